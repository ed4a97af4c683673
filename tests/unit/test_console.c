/*
 * test_console.c: the console watch (console_fatal, console_feed):
 * every arch's way of saying the kernel is in trouble is caught, and
 * our own framed lines and the workload's output never are.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "lib/util.h"
#include "format/console.h"

static void
test_fatal_patterns(void **state)
{
	/* x86_64 and powerpc: "Call Trace:"; arm64 and riscv64: lower case. */
	assert_non_null(console_fatal("[   12.345678] Call Trace:"));
	assert_non_null(console_fatal("[   12.345678] Call trace:"));
	assert_non_null(console_fatal("[    3.1] Kernel panic - not syncing: "
	    "Attempted to kill init!"));
	assert_non_null(console_fatal("[    3.1] BUG: unable to handle page "
	    "fault for address: 0000000000001234"));
	assert_non_null(console_fatal("[    3.1] Oops: Kernel access of bad "
	    "area, sig: 11 [#1]"));
	assert_non_null(console_fatal("[  240.0] INFO: task sh:1 blocked for "
	    "more than 120 seconds."));
	assert_non_null(console_fatal("[   30.0] watchdog: BUG: soft lockup - "
	    "CPU#0 stuck for 22s!"));
	assert_string_equal(console_fatal("[ 1.0] Call trace:"), "Call trace:");
	assert_string_equal(console_fatal("[ 1.0] Call Trace:"), "Call Trace");
}

static void
test_not_fatal(void **state)
{
	assert_null(console_fatal("[    0.000000] Linux version 6.1.0"));
	assert_null(console_fatal("kbench-init: up: 6.1.0-kb0123 1 cpus"));
	/* What our own init and the workload print may quote anything. */
	assert_null(console_fatal("kbench-work: grep 'Call trace:' log"));
	assert_null(console_fatal("KBENCH-ERROR {\"msg\":\"Kernel panic\"}"));
	/* Neither case alone, nor "trace" elsewhere, is a trace. */
	assert_null(console_fatal("[    1.0] ftrace: allocating 1 entries"));
	assert_null(console_fatal("[    1.0] call trace buffer"));
}

static int
count_fatal(void *arg, const struct console_line *l)
{
	if (l->kind == CON_FATAL)
		(*(int *)arg)++;
	return 0;
}

static void
test_feed(void **state)
{
	static const char text[] =
	    "[    1.0] Booting Linux on physical CPU 0x0\r\n"
	    "[    2.0] Internal error: Oops: 96000004 [#1] SMP\n"
	    "[    2.0] Call trace:\n"
	    "[    2.0]  do_mem_abort+0x44/0xa0\n";
	struct console c;
	int n = 0;

	console_init(&c);
	/* Split mid-line: lines are joined before they are watched. */
	assert_int_equal(console_feed(&c, text, 60, count_fatal, &n), 0);
	assert_int_equal(console_feed(&c, text + 60, sizeof(text) - 61,
	    count_fatal, &n), 0);
	assert_int_equal(console_flush(&c, count_fatal, &n), 0);
	assert_int_equal(n, 2);
	assert_non_null(strstr(c.fatal, "Oops: 96000004"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fatal_patterns),
		cmocka_unit_test(test_not_fatal),
		cmocka_unit_test(test_feed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
