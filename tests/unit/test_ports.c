/*
 * test_ports.c: the strict reader of kbench-bulk's per-package lines
 * (good lines, and garbage that must be refused), and the shipped
 * ports/libc workload files loading cleanly.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "lib/util.h"
#include "format/config.h"
#include "format/ports.h"

#define GOOD "{\"pkg\":\"m4\",\"status\":\"ok\",\"exit\":0," \
	"\"real_us\":41000000,\"user_us\":30000000,\"sys_us\":5000000," \
	"\"start\":\"2024-11-22T04:30:00.123456Z\",\"log_tail\":\"\"}"

static void
test_good(void **state)
{
	struct ports_rec r;
	const char *why = NULL;

	(void)state;
	assert_int_equal(ports_parse_line(GOOD, &r, &why), 0);
	assert_string_equal(r.pkg, "m4");
	assert_string_equal(r.status, "ok");
	assert_int_equal(r.exit, 0);
	assert_true(r.real_us == 41000000 && r.user_us == 30000000 &&
	    r.sys_us == 5000000);
	assert_string_equal(r.start, "2024-11-22T04:30:00.123456Z");
	assert_string_equal(r.log_tail, "");
	ports_rec_free(&r);

	/* Key order is free, whitespace allowed, escapes decoded. */
	assert_int_equal(ports_parse_line(" { \"log_tail\" : "
	    "\"a\\nb\\t\\\"c\\\" \\u00e9 \\ud83d\\ude00 \xc3\xa9\", "
	    "\"start\":\"\", \"sys_us\":0, \"user_us\":0, \"real_us\":0, "
	    "\"exit\":-1, \"status\":\"skipped\", \"pkg\":\"xz-utils\" } ",
	    &r, &why), 0);
	assert_string_equal(r.log_tail,
	    "a\nb\t\"c\" \xc3\xa9 \xf0\x9f\x98\x80 \xc3\xa9");
	assert_string_equal(r.pkg, "xz-utils");
	assert_int_equal(r.exit, -1);
	ports_rec_free(&r);

	assert_int_equal(ports_parse_line("{\"pkg\":\"g++\",\"status\":"
	    "\"failed\",\"exit\":143,\"real_us\":1,\"user_us\":2,"
	    "\"sys_us\":3,\"start\":\"2024-01-01T00:00:00Z\","
	    "\"log_tail\":\"make: *** Error 1\"}", &r, &why), 0);
	ports_rec_free(&r);
}

static void
test_bad(void **state)
{
	static const char *bad[] = {
		"",
		"[]",
		"{}",
		"not json",
		/* missing key */
		"{\"pkg\":\"m4\",\"status\":\"ok\",\"exit\":0,\"real_us\":1,"
		"\"user_us\":1,\"sys_us\":1,\"start\":\"\"}",
		/* unknown key */
		"{\"pkg\":\"m4\",\"status\":\"ok\",\"exit\":0,\"real_us\":1,"
		"\"user_us\":1,\"sys_us\":1,\"start\":\"\",\"log_tail\":\"\","
		"\"x\":1}",
		/* duplicate key */
		"{\"pkg\":\"m4\",\"pkg\":\"m4\",\"status\":\"ok\",\"exit\":0,"
		"\"real_us\":1,\"user_us\":1,\"sys_us\":1,\"start\":\"\","
		"\"log_tail\":\"\"}",
		/* trailing garbage */
		GOOD "x",
		GOOD ",",
		/* status and exit disagree */
		"{\"pkg\":\"m4\",\"status\":\"ok\",\"exit\":2,\"real_us\":1,"
		"\"user_us\":1,\"sys_us\":1,\"start\":\"\",\"log_tail\":\"\"}",
		/* bad status */
		"{\"pkg\":\"m4\",\"status\":\"meh\",\"exit\":0,\"real_us\":1,"
		"\"user_us\":1,\"sys_us\":1,\"start\":\"\",\"log_tail\":\"\"}",
		/* negative time, float, exponent, leading zero, huge */
		"{\"pkg\":\"m4\",\"status\":\"ok\",\"exit\":0,\"real_us\":-1,"
		"\"user_us\":1,\"sys_us\":1,\"start\":\"\",\"log_tail\":\"\"}",
		"{\"pkg\":\"m4\",\"status\":\"ok\",\"exit\":0,\"real_us\":1.5,"
		"\"user_us\":1,\"sys_us\":1,\"start\":\"\",\"log_tail\":\"\"}",
		"{\"pkg\":\"m4\",\"status\":\"ok\",\"exit\":0,\"real_us\":1e6,"
		"\"user_us\":1,\"sys_us\":1,\"start\":\"\",\"log_tail\":\"\"}",
		"{\"pkg\":\"m4\",\"status\":\"ok\",\"exit\":0,\"real_us\":01,"
		"\"user_us\":1,\"sys_us\":1,\"start\":\"\",\"log_tail\":\"\"}",
		"{\"pkg\":\"m4\",\"status\":\"ok\",\"exit\":0,\"real_us\":"
		"99999999999999999999,\"user_us\":1,\"sys_us\":1,\"start\":\"\","
		"\"log_tail\":\"\"}",
		/* string where a number goes, and the reverse */
		"{\"pkg\":\"m4\",\"status\":\"ok\",\"exit\":\"0\",\"real_us\":1,"
		"\"user_us\":1,\"sys_us\":1,\"start\":\"\",\"log_tail\":\"\"}",
		"{\"pkg\":4,\"status\":\"ok\",\"exit\":0,\"real_us\":1,"
		"\"user_us\":1,\"sys_us\":1,\"start\":\"\",\"log_tail\":\"\"}",
		/* bad names */
		"{\"pkg\":\"../etc\",\"status\":\"ok\",\"exit\":0,\"real_us\":1,"
		"\"user_us\":1,\"sys_us\":1,\"start\":\"\",\"log_tail\":\"\"}",
		"{\"pkg\":\"a b\",\"status\":\"ok\",\"exit\":0,\"real_us\":1,"
		"\"user_us\":1,\"sys_us\":1,\"start\":\"\",\"log_tail\":\"\"}",
		"{\"pkg\":\"\",\"status\":\"ok\",\"exit\":0,\"real_us\":1,"
		"\"user_us\":1,\"sys_us\":1,\"start\":\"\",\"log_tail\":\"\"}",
		/* bad start times */
		"{\"pkg\":\"m4\",\"status\":\"ok\",\"exit\":0,\"real_us\":1,"
		"\"user_us\":1,\"sys_us\":1,\"start\":\"yesterday\","
		"\"log_tail\":\"\"}",
		"{\"pkg\":\"m4\",\"status\":\"ok\",\"exit\":0,\"real_us\":1,"
		"\"user_us\":1,\"sys_us\":1,\"start\":\"2024-11-22T04:30:00\","
		"\"log_tail\":\"\"}",
		"{\"pkg\":\"m4\",\"status\":\"ok\",\"exit\":0,\"real_us\":1,"
		"\"user_us\":1,\"sys_us\":1,"
		"\"start\":\"2024-11-22T04:30:00.1234567Z\",\"log_tail\":\"\"}",
		/* bad strings: NUL escape, lone surrogate, raw control,
		 * invalid UTF-8, bad escape, unterminated */
		"{\"pkg\":\"m4\",\"status\":\"ok\",\"exit\":0,\"real_us\":1,"
		"\"user_us\":1,\"sys_us\":1,\"start\":\"\",\"log_tail\":"
		"\"\\u0000\"}",
		"{\"pkg\":\"m4\",\"status\":\"ok\",\"exit\":0,\"real_us\":1,"
		"\"user_us\":1,\"sys_us\":1,\"start\":\"\",\"log_tail\":"
		"\"\\ud800\"}",
		"{\"pkg\":\"m4\",\"status\":\"ok\",\"exit\":0,\"real_us\":1,"
		"\"user_us\":1,\"sys_us\":1,\"start\":\"\",\"log_tail\":"
		"\"a\tb\"}",
		"{\"pkg\":\"m4\",\"status\":\"ok\",\"exit\":0,\"real_us\":1,"
		"\"user_us\":1,\"sys_us\":1,\"start\":\"\",\"log_tail\":"
		"\"\xff\"}",
		"{\"pkg\":\"m4\",\"status\":\"ok\",\"exit\":0,\"real_us\":1,"
		"\"user_us\":1,\"sys_us\":1,\"start\":\"\",\"log_tail\":"
		"\"\xc0\xaf\"}",
		"{\"pkg\":\"m4\",\"status\":\"ok\",\"exit\":0,\"real_us\":1,"
		"\"user_us\":1,\"sys_us\":1,\"start\":\"\",\"log_tail\":"
		"\"\\x\"}",
		"{\"pkg\":\"m4\",\"status\":\"ok\",\"exit\":0,\"real_us\":1,"
		"\"user_us\":1,\"sys_us\":1,\"start\":\"\",\"log_tail\":\"abc",
	};
	struct ports_rec r;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		if (ports_parse_line(bad[i], &r, &why) != -1)
			fail_msg("accepted bad line %zu: %s", i, bad[i]);
		assert_non_null(why);
		assert_null(r.log_tail);
	}
}

static void
test_bounds(void **state)
{
	struct ports_rec r;
	const char *why;
	char *line, *tail;
	size_t n;

	(void)state;
	/* A log tail one byte over the bound is refused. */
	n = PORTS_MAX_TAIL + 1;
	tail = kb_malloc(n + 1);
	memset(tail, 'x', n);
	tail[n] = '\0';
	line = kb_asprintf("{\"pkg\":\"m4\",\"status\":\"failed\",\"exit\":1,"
	    "\"real_us\":1,\"user_us\":1,\"sys_us\":1,\"start\":\"\","
	    "\"log_tail\":\"%s\"}", tail);
	assert_int_equal(ports_parse_line(line, &r, &why), -1);
	free(line);
	tail[n - 1] = '\0';
	line = kb_asprintf("{\"pkg\":\"m4\",\"status\":\"failed\",\"exit\":1,"
	    "\"real_us\":1,\"user_us\":1,\"sys_us\":1,\"start\":\"\","
	    "\"log_tail\":\"%s\"}", tail);
	assert_int_equal(ports_parse_line(line, &r, &why), 0);
	assert_int_equal(strlen(r.log_tail), PORTS_MAX_TAIL);
	ports_rec_free(&r);
	free(line);
	free(tail);
}

/* The shipped workload files load, with the recipes the docs promise. */
static void
test_shipped_workloads(void **state)
{
	static const char *names[] = {
		"libc", "libc-small", "ports", "ports-small"
	};
	struct kb_config cfg;
	const struct kb_recipe *r;
	char err[512];
	size_t i;

	(void)state;
	/* The default configuration: the tree's own workload files. */
	unsetenv("KBENCH_CONFIG");
	if (kb_config_load(NULL, &cfg, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		r = kb_config_workload(&cfg, names[i], "linux");
		if (r == NULL)
			fail_msg("workload %s has no linux recipe", names[i]);
		assert_true(r->fetch[0] != '\0' && r->dir[0] != '\0');
		assert_true(r->cleanup[0] != '\0');
	}
	assert_non_null(kb_config_workload(&cfg, "libc", "openbsd"));
	assert_non_null(kb_config_workload(&cfg, "libc", "freebsd"));
	assert_non_null(kb_config_workload(&cfg, "ports", "openbsd"));
	assert_non_null(kb_config_workload(&cfg, "ports", "freebsd"));
	/* vm-small: the macppc guest's, in its image (no fetch). */
	r = kb_config_workload(&cfg, "vm-small", "linux");
	assert_non_null(r);
	assert_string_equal(r->dir, "/root/vm");
	assert_true(r->fetch[0] == '\0' && r->cleanup[0] != '\0');
	assert_non_null(strstr(r->command, "kbench-vmload"));
	kb_config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_shipped_workloads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
