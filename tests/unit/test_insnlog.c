/*
 * test_insnlog.c: kbench-insn.so's count lines read back: good lines
 * (one as the plugin wrote it), corrupt and truncated ones, bad values,
 * and the order a reader enforces.
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "lib/hash.h"
#include "format/insnlog.h"

/* Written by bin/kbench-insn.so under qemu-x86_64 (2000 = 1000 x 2). */
#define REAL	"KBENCH-INSN {\"seq\":1,\"kernel\":0,\"user\":2000} *8af5b422"

static const char *
frame(const char *json)
{
	static char buf[512];
	int n;

	n = snprintf(buf, sizeof(buf), "KBENCH-INSN %s", json);
	snprintf(buf + n, sizeof(buf) - (size_t)n, " *%08lx",
	    (unsigned long)kb_crc32(buf, (size_t)n));
	return buf;
}

static int
parse(const char *s, struct insn_count *c, char *why)
{
	return insnlog_parse(s, strlen(s), c, why, 256);
}

static void
test_good(void **state)
{
	struct insn_count c;
	char why[256], buf[512];

	assert_int_equal(parse(REAL, &c, why), 0);
	assert_int_equal(c.seq, 1);
	assert_int_equal(c.kernel, 0);
	assert_int_equal(c.user, 2000);
	assert_int_equal(parse(frame("{\"seq\":7,\"kernel\":123456789012,"
	    "\"user\":5}"), &c, why), 0);
	assert_int_equal(c.seq, 7);
	assert_true(c.kernel == 123456789012LL);
	/* Noise before, \r and blanks after, an unknown key. */
	snprintf(buf, sizeof(buf), "xx%s\r ", frame("{\"seq\":2,"
	    "\"kernel\":1,\"user\":2,\"vcpus\":2}"));
	assert_int_equal(parse(buf, &c, why), 0);
	assert_int_equal(c.user, 2);
}

static void
test_corrupt(void **state)
{
	struct insn_count c;
	char why[256], buf[512];

	/* One digit changed: the CRC no longer fits. */
	snprintf(buf, sizeof(buf), "%s", REAL);
	buf[strlen("KBENCH-INSN {\"seq\":1,\"kernel\":0,\"user\":2")] = '9';
	assert_int_equal(parse(buf, &c, why), -1);
	assert_non_null(strstr(why, "CRC mismatch"));
	/* A bad CRC digit. */
	snprintf(buf, sizeof(buf), "%s", REAL);
	buf[strlen(buf) - 1] = 'g';
	assert_int_equal(parse(buf, &c, why), -1);
	assert_non_null(strstr(why, "hex"));
	/* Good frames, bad values. */
	assert_int_equal(parse(frame("{\"seq\":0,\"kernel\":1,\"user\":2}"),
	    &c, why), -1);
	assert_non_null(strstr(why, "seq"));
	assert_int_equal(parse(frame("{\"seq\":1,\"kernel\":-1,\"user\":2}"),
	    &c, why), -1);
	assert_non_null(strstr(why, "kernel"));
	assert_int_equal(parse(frame("{\"seq\":1,\"kernel\":1}"), &c, why),
	    -1);
	assert_non_null(strstr(why, "missing \"user\""));
	assert_int_equal(parse(frame("{\"seq\":1,\"kernel\":1,\"user\":"
	    "\"2\"}"), &c, why), -1);
	assert_int_equal(parse(frame("{\"seq\":1,\"seq\":2,\"kernel\":1,"
	    "\"user\":2}"), &c, why), -1);
	assert_non_null(strstr(why, "repeated key"));
	/* Not a plugin line at all; an agent line is not one either. */
	assert_int_equal(parse("hello", &c, why), -1);
	assert_int_equal(parse("KBENCH-END {\"session\":\"0123456789\","
	    "\"samples\":0,\"errors\":0} *00000000", &c, why), -1);
}

static void
test_truncated(void **state)
{
	struct insn_count c;
	char why[256], buf[512];
	size_t n, full = strlen(REAL);

	for (n = 0; n < full; n++) {
		memcpy(buf, REAL, n);
		buf[n] = '\0';
		assert_int_equal(parse(buf, &c, why), -1);
	}
	assert_int_equal(parse(REAL, &c, why), 0);
}

static void
test_reader(void **state)
{
	struct insnlog r;
	struct insn_count c;
	const char *l;

	insnlog_init(&r);
	l = frame("{\"seq\":1,\"kernel\":10,\"user\":20}");
	assert_int_equal(insnlog_feed(&r, l, strlen(l), &c), 0);
	/* Repeated: rejected, and the reason kept. */
	assert_int_equal(insnlog_feed(&r, l, strlen(l), &c), -1);
	assert_non_null(strstr(r.why, "repeated or out of order"));
	/* A gap (seq 2 lost) is allowed. */
	l = frame("{\"seq\":3,\"kernel\":10,\"user\":20}");
	assert_int_equal(insnlog_feed(&r, l, strlen(l), &c), 0);
	assert_int_equal(c.seq, 3);
	l = frame("{\"seq\":2,\"kernel\":10,\"user\":20}");
	assert_int_equal(insnlog_feed(&r, l, strlen(l), &c), -1);
	assert_int_equal(insnlog_feed(&r, "KBENCH-INSN {", 13, &c), -1);
	assert_int_equal(r.counts, 2);
	assert_int_equal(r.rejected, 3);
	assert_non_null(strstr(r.why, "repeated or out of order"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_reader),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
