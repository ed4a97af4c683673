/*
 * test_agentpkg.c: the agent's package rows read back: a line as the
 * agent writes it, noise around it, corrupt frames, rows the ports
 * rules refuse, and the place of PKG lines in a session's order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "lib/hash.h"
#include "format/agentpkg.h"
#include "format/agentproto.h"
#include "format/ports.h"

#define SESS	"0123456789abcdef0123456789abcdef"
#define ROW	"{\"pkg\":\"m4\",\"status\":\"failed\",\"exit\":2," \
		"\"real_us\":41000000,\"user_us\":30000000,\"sys_us\":" \
		"5000000,\"start\":\"2026-12-06T04:29:22.991474Z\"," \
		"\"log_tail\":\"make: *** [all] Error 2\\n\"}"

/* Written by kbench-agent from a pkgs-1.jsonl holding ROW. */
#define REAL	"KBENCH-PKG {\"session\":\"" SESS "\",\"rep\":1,\"pkg\":" \
		ROW "}"

static const char *
frame(const char *kind, const char *json)
{
	static char buf[2048];
	int n;

	n = snprintf(buf, sizeof(buf), "KBENCH-%s %s", kind, json);
	snprintf(buf + n, sizeof(buf) - (size_t)n, " *%08lx",
	    (unsigned long)kb_crc32(buf, (size_t)n));
	return buf;
}

static const char *
pkgline(long rep, const char *row)
{
	static char json[1024];

	snprintf(json, sizeof(json), "{\"session\":\"" SESS "\",\"rep\":%ld,"
	    "\"pkg\":%s}", rep, row);
	return frame("PKG", json);
}

static int
parse(const char *s, long *rep, char **row, char *why)
{
	char pkg[PORTS_MAX_NAME + 1];

	return agentpkg_parse(s, strlen(s), rep, pkg, row, why, 256);
}

static void
test_good(void **state)
{
	struct ports_rec rec;
	const char *w;
	char why[256], buf[2048], *row;
	long rep = 0;

	(void)state;
	snprintf(buf, sizeof(buf), "%s", frame("PKG", REAL + 11));
	assert_int_equal(parse(buf, &rep, &row, why), 0);
	assert_int_equal(rep, 1);
	/* The row is one the ports rules read as kbench-bulk's own. */
	assert_int_equal(ports_parse_line(row, &rec, &w), 0);
	assert_string_equal(rec.pkg, "m4");
	assert_string_equal(rec.status, "failed");
	assert_int_equal(rec.exit, 2);
	assert_true(rec.real_us == 41000000);
	assert_true(rec.user_us == 30000000);
	assert_true(rec.sys_us == 5000000);
	assert_string_equal(rec.log_tail, "make: *** [all] Error 2\n");
	assert_null(strchr(row, '\n'));
	ports_rec_free(&rec);
	free(row);
	/* Console noise before, \r after. */
	snprintf(buf, sizeof(buf), "[  12.3] x%s\r", pkgline(7, ROW));
	assert_int_equal(parse(buf, &rep, &row, why), 0);
	assert_int_equal(rep, 7);
	free(row);
}

static void
test_bad(void **state)
{
	char why[256], buf[2048], *row;
	size_t n;
	long rep;

	(void)state;
	/* A flipped byte: the CRC no longer holds. */
	snprintf(buf, sizeof(buf), "%s", pkgline(1, ROW));
	buf[40] ^= 1;
	assert_int_equal(parse(buf, &rep, &row, why), -1);
	assert_null(row);
	/* Truncated on the console. */
	snprintf(buf, sizeof(buf), "%s", pkgline(1, ROW));
	n = strlen(buf);
	buf[n / 2] = '\0';
	assert_int_equal(parse(buf, &rep, &row, why), -1);
	/* Not a frame at all. */
	assert_int_equal(parse("make[1]: Leaving directory", &rep, &row,
	    why), -1);
	assert_non_null(strstr(why, "no KBENCH-PKG frame"));
	/* rep out of range, the row not an object. */
	assert_int_equal(parse(pkgline(0, ROW), &rep, &row, why), -1);
	assert_non_null(strstr(why, "rep"));
	assert_int_equal(parse(pkgline(1, "[1]"), &rep, &row, why), -1);
	assert_non_null(strstr(why, "not an object"));
	/* Rows the ports rules refuse: a status, a key, a time. */
	assert_int_equal(parse(pkgline(1, "{\"pkg\":\"m4\",\"status\":\"meh\","
	    "\"exit\":0,\"real_us\":1,\"user_us\":1,\"sys_us\":1,\"start\":"
	    "\"\",\"log_tail\":\"\"}"), &rep, &row, why), -1);
	assert_non_null(strstr(why, "PKG: "));
	assert_int_equal(parse(pkgline(1, "{\"pkg\":\"m4\",\"status\":\"ok\","
	    "\"exit\":0,\"real_us\":1,\"user_us\":1,\"sys_us\":1,\"start\":"
	    "\"\"}"), &rep, &row, why), -1);
	assert_int_equal(parse(pkgline(1, "{\"pkg\":\"m4\",\"status\":\"ok\","
	    "\"exit\":0,\"real_us\":-1,\"user_us\":1,\"sys_us\":1,\"start\":"
	    "\"\",\"log_tail\":\"\"}"), &rep, &row, why), -1);
	assert_int_equal(parse(pkgline(1, "{\"pkg\":\"a b\",\"status\":\"ok\","
	    "\"exit\":0,\"real_us\":1,\"user_us\":1,\"sys_us\":1,\"start\":"
	    "\"\",\"log_tail\":\"\"}"), &rep, &row, why), -1);
	assert_null(row);
}

/* PKG lines of a rep come before its SAMPLE, within the session. */
static void
test_reader(void **state)
{
	struct ap_reader r;
	struct ap_line l;
	const char *s;

	(void)state;
	ap_reader_init(&r);
	s = pkgline(1, ROW);
	assert_int_equal(ap_reader_feed(&r, s, strlen(s), &l), AP_BAD);
	s = frame("START", "{\"v\":1,\"session\":\"" SESS "\",\"n\":2,"
	    "\"warmup\":0}");
	assert_int_equal(ap_reader_feed(&r, s, strlen(s), &l), AP_START);
	s = pkgline(1, ROW);
	assert_int_equal(ap_reader_feed(&r, s, strlen(s), &l), AP_PKG);
	assert_int_equal(l.rep, 1);
	s = frame("SAMPLE", "{\"session\":\"" SESS "\",\"rep\":1,\"warmup\":"
	    "false,\"real_us\":1,\"user_us\":1,\"sys_us\":1,\"status\":0,"
	    "\"timeout\":false}");
	assert_int_equal(ap_reader_feed(&r, s, strlen(s), &l), AP_SAMPLE);
	/* rep 1 is over; rep 3 is beyond the 2 planned. */
	s = pkgline(1, ROW);
	assert_int_equal(ap_reader_feed(&r, s, strlen(s), &l), AP_BAD);
	assert_non_null(strstr(l.msg, "not the running one"));
	s = pkgline(3, ROW);
	assert_int_equal(ap_reader_feed(&r, s, strlen(s), &l), AP_BAD);
	s = pkgline(2, ROW);
	assert_int_equal(ap_reader_feed(&r, s, strlen(s), &l), AP_PKG);
	assert_int_equal(r.pkgs, 2);
	assert_int_equal(r.rejected, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_reader),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
