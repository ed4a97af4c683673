/*
 * test_agentproto.c: the framed lines of kbench-agent, read back: good
 * lines, console noise, every way a line can be damaged or forged, and
 * a round trip through the real agent when it has been built.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "lib/hash.h"
#include "format/agentproto.h"

#define SESS	"0123456789abcdef0123456789abcdef"
#define OTHER	"fedcba9876543210fedcba9876543210"

/* A line as the agent prints it: "KBENCH-KIND json *crc". */
static const char *
frame(const char *kind, const char *json)
{
	static char buf[8192];
	int n;

	n = snprintf(buf, sizeof(buf), "KBENCH-%s %s", kind, json);
	snprintf(buf + n, sizeof(buf) - (size_t)n, " *%08lx",
	    (unsigned long)kb_crc32(buf, (size_t)n));
	return buf;
}

static const char *
sample(const char *session, int rep, int warmup)
{
	static char json[1024];

	snprintf(json, sizeof(json), "{\"session\":\"%s\",\"rep\":%d,"
	    "\"warmup\":%s,\"real_us\":1500000,\"user_us\":1200000,"
	    "\"sys_us\":250000,\"maxrss_kb\":2048,\"minflt\":10,"
	    "\"majflt\":1,\"inblock\":2,\"oublock\":3,\"nvcsw\":4,"
	    "\"nivcsw\":5,\"status\":0,\"timeout\":false,"
	    "\"start\":\"2026-11-22T04:00:00.123456Z\"}", session, rep,
	    warmup ? "true" : "false");
	return frame("SAMPLE", json);
}

static const char *
start(const char *session, int n, int warmup)
{
	static char json[512];

	snprintf(json, sizeof(json), "{\"v\":1,\"session\":\"%s\",\"n\":%d,"
	    "\"warmup\":%d,\"host\":\"h\",\"os\":\"OpenBSD\",\"ncpu\":4,"
	    "\"cmd\":\"make -j4\"}", session, n, warmup);
	return frame("START", json);
}

static const char *
end(const char *session, int samples, int errors)
{
	static char json[256];

	snprintf(json, sizeof(json), "{\"session\":\"%s\",\"samples\":%d,"
	    "\"errors\":%d}", session, samples, errors);
	return frame("END", json);
}

static enum ap_kind
parse(const char *s, struct ap_line *l)
{
	return ap_parse(s, strlen(s), l);
}

static enum ap_kind
feed(struct ap_reader *r, const char *s, struct ap_line *l)
{
	return ap_reader_feed(r, s, strlen(s), l);
}

/* A sample line with one field's text replaced, CRC made good. */
static enum ap_kind
sample_with(const char *field, const char *value, struct ap_line *l)
{
	char json[1024], *p, *q;
	const char *base;

	base = sample(SESS, 1, 0);
	snprintf(json, sizeof(json), "%s", strchr(base, '{'));
	*strrchr(json, '}') = '\0';
	strcat(json, "}");
	p = strstr(json, field);
	assert_non_null(p);
	p += strlen(field);
	q = p + strcspn(p, ",}");
	memmove(p + strlen(value), q, strlen(q) + 1);
	memcpy(p, value, strlen(value));
	return parse(frame("SAMPLE", json), l);
}

static void
test_crc32(void **state)
{
	(void)state;
	/* The check value of CRC-32/ISO-HDLC, as zlib.crc32 gives. */
	assert_int_equal(kb_crc32("123456789", 9), 0xcbf43926U);
	assert_int_equal(kb_crc32("", 0), 0);
	assert_int_equal(kb_crc32("a", 1), 0xe8b7be43U);
}

static void
test_golden(void **state)
{
	/* Printed by the real agent; CRC checked with python3 zlib. */
	static const char line[] = "KBENCH-SAMPLE {\"session\":"
	    "\"3edba36734842f296ff999a43b24802b\",\"rep\":1,\"warmup\":true,"
	    "\"real_us\":158613,\"user_us\":131327,\"sys_us\":0,"
	    "\"maxrss_kb\":1596,\"minflt\":87,\"majflt\":0,\"inblock\":0,"
	    "\"oublock\":8,\"nvcsw\":1,\"nivcsw\":41,\"status\":0,"
	    "\"timeout\":false,\"start\":\"2026-11-22T04:34:28.947356Z\"} "
	    "*3d504aa8";
	struct ap_line l;

	(void)state;
	assert_int_equal(parse(line, &l), AP_SAMPLE);
	assert_string_equal(l.session, "3edba36734842f296ff999a43b24802b");
	assert_int_equal(l.sample.rep, 1);
	assert_int_equal(l.sample.warmup, 1);
	assert_int_equal(l.sample.real_us, 158613);
	assert_int_equal(l.sample.user_us, 131327);
	assert_int_equal(l.sample.sys_us, 0);
	assert_int_equal(l.sample.maxrss_kb, 1596);
	assert_int_equal(l.sample.minflt, 87);
	assert_int_equal(l.sample.oublock, 8);
	assert_int_equal(l.sample.nivcsw, 41);
	assert_int_equal(l.sample.status, 0);
	assert_int_equal(l.sample.timedout, 0);
	assert_string_equal(l.sample.start, "2026-11-22T04:34:28.947356Z");
	/* Counted only by kbench-agent -i (or a TCG plugin, apart). */
	assert_true(l.sample.insn_user == KB_NONE);
	assert_true(l.sample.insn_kernel == KB_NONE);
}

static void
test_golden_insn(void **state)
{
	/* kbench-agent -i -n 1 -- true, 2026-12-06. */
	static const char line[] = "KBENCH-SAMPLE {\"session\":"
	    "\"e94663c4fc16bd9d2534e68330b361ef\",\"rep\":1,"
	    "\"warmup\":false,\"real_us\":20288,\"user_us\":0,"
	    "\"sys_us\":5068,\"maxrss_kb\":976,\"minflt\":76,"
	    "\"majflt\":0,\"inblock\":0,\"oublock\":0,\"nvcsw\":1,"
	    "\"nivcsw\":7,\"status\":0,\"timeout\":false,"
	    "\"start\":\"2026-12-06T04:37:43.288965Z\","
	    "\"insn_user\":130777} *15defe2c";
	struct ap_line l;

	(void)state;
	assert_int_equal(parse(line, &l), AP_SAMPLE);
	assert_int_equal(l.sample.real_us, 20288);
	assert_true(l.sample.insn_user == 130777);
	assert_true(l.sample.insn_kernel == KB_NONE);
}

static void
test_kinds(void **state)
{
	struct ap_line l;

	(void)state;
	assert_int_equal(parse(start(SESS, 5, 1), &l), AP_START);
	assert_int_equal(l.n, 5);
	assert_int_equal(l.warmup, 1);
	assert_string_equal(l.session, SESS);

	assert_int_equal(parse(frame("ERROR", "{\"session\":\"" SESS "\","
	    "\"rep\":3,\"msg\":\"setup failed: \\\"x\\\"\\n\\u00e9\"}"), &l),
	    AP_ERROR);
	assert_int_equal(l.rep, 3);
	assert_string_equal(l.msg, "setup failed: \"x\"\n\xc3\xa9");

	assert_int_equal(parse(end(SESS, 7, 2), &l), AP_END);
	assert_int_equal(l.samples, 7);
	assert_int_equal(l.errors, 2);

	/* Optional rusage fields left out are unknown, not zero. */
	assert_int_equal(parse(frame("SAMPLE", "{\"session\":\"" SESS "\","
	    "\"rep\":2,\"warmup\":false,\"real_us\":1,\"user_us\":2,"
	    "\"sys_us\":3,\"status\":137,\"timeout\":true}"), &l), AP_SAMPLE);
	assert_int_equal(l.sample.maxrss_kb, KB_NONE);
	assert_int_equal(l.sample.status, 137);
	assert_int_equal(l.sample.timedout, 1);
	assert_string_equal(l.sample.start, "");
}

static void
test_noise(void **state)
{
	char buf[2048];
	struct ap_line l;

	(void)state;
	snprintf(buf, sizeof(buf), "[   12.345678] uvm_fault KBENCH-x %s\r",
	    sample(SESS, 4, 0));
	assert_int_equal(parse(buf, &l), AP_SAMPLE);
	assert_int_equal(l.sample.rep, 4);
	/* A garbled frame glued before a good one does not hide it. */
	snprintf(buf, sizeof(buf), "KBENCH-SAMPLE {\"sess%s",
	    sample(SESS, 5, 0));
	assert_int_equal(parse(buf, &l), AP_SAMPLE);
	assert_int_equal(l.sample.rep, 5);
	/* Plain text is not a frame at all. */
	assert_int_equal(parse("login: root", &l), AP_NONE);
	assert_int_equal(parse("kbench-agent: usage", &l), AP_NONE);
	assert_int_equal(parse("", &l), AP_NONE);
	assert_int_equal(parse("KBENCH-", &l), AP_NONE);
	assert_int_equal(parse("KBENCH-FOO {}", &l), AP_BAD);
}

static void
test_crc_mismatch(void **state)
{
	char buf[2048], *p;
	struct ap_line l;

	(void)state;
	snprintf(buf, sizeof(buf), "%s", sample(SESS, 1, 0));
	p = strstr(buf, "1500000");
	p[0] = '2';
	assert_int_equal(parse(buf, &l), AP_BAD);
	assert_non_null(strstr(l.msg, "CRC mismatch"));
	/* The CRC itself damaged. */
	snprintf(buf, sizeof(buf), "%s", sample(SESS, 1, 0));
	buf[strlen(buf) - 1] ^= 1;
	assert_int_equal(parse(buf, &l), AP_BAD);
	buf[strlen(buf) - 1] = 'g';
	assert_int_equal(parse(buf, &l), AP_BAD);
	assert_non_null(strstr(l.msg, "hex"));
}

static void
test_truncated(void **state)
{
	char buf[2048];
	struct ap_line l;
	size_t n, len;
	enum ap_kind k;

	(void)state;
	snprintf(buf, sizeof(buf), "%s", sample(SESS, 1, 0));
	len = strlen(buf);
	/* Every proper prefix is rejected or ignored, never accepted. */
	for (n = 0; n < len; n++) {
		k = ap_parse(buf, n, &l);
		assert_true(k == AP_BAD || k == AP_NONE);
		if (n > strlen("KBENCH-SAMPLE"))
			assert_int_equal(k, AP_BAD);
	}
	assert_int_equal(ap_parse(buf, len, &l), AP_SAMPLE);
}

static void
test_garbled_json(void **state)
{
	static const char *const bad[] = {
		"{\"session\" \"" SESS "\",\"samples\":1,\"errors\":0}",
		"{\"session\":\"" SESS "\",\"samples\":1,\"errors\":0,}",
		"{\"session\":\"" SESS "\",\"samples\":1\"errors\":0}",
		"{\"session\":\"" SESS "\",\"samples\":1,\"errors\":0}}",
		"{\"session\":\"" SESS "\",\"samples\":01,\"errors\":0}",
		"{\"session\":\"" SESS "\",\"samples\":1,\"errors\":0} x",
		"{\"session\":\"" SESS ",\"samples\":1,\"errors\":0}",
		"{\"session\":\"" SESS "\",\"samples\":\"1\",\"errors\":0}",
		"{\"session\":\"" SESS "\",\"samples\":1.5,\"errors\":0}",
		"{\"session\":\"" SESS "\",\"samples\":true,\"errors\":0}",
		"{\"session\":\"" SESS "\",\"samples\":1}",
		"{\"session\":\"" SESS "\",\"samples\":1,\"samples\":2,"
		    "\"errors\":0}",
		"{\"session\":\"" SESS "\",\"samples\":1,\"errors\":0,"
		    "\"x\":[1,{\"a\":}]}",
		"{\"session\":\"" SESS "\",\"samples\":1,\"errors\":0,"
		    "\"x\":\"\\u0000\"}",
		"{\"session\":\"" SESS "\",\"samples\":1,\"errors\":0,"
		    "\"x\":\"\\ud800\"}",
		"{\"session\":\"" SESS "\",\"samples\":1,\"errors\":0,"
		    "\"x\":\"\xc0\xaf\"}",
		"{\"session\":\"" SESS "\",\"samples\":1,\"errors\":0,"
		    "\"x\":\"a\tb\"}",
		"{\"session\":\"XYZ\",\"samples\":1,\"errors\":0}",
		"{\"session\":\"abc\",\"samples\":1,\"errors\":0}",
		"{\"session\":1,\"samples\":1,\"errors\":0}",
		"{}",
	};
	struct ap_line l;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(frame("END", bad[i]), &l) != AP_BAD)
			fail_msg("accepted: %s", bad[i]);
		assert_true(l.msg[0] != '\0');
	}
	/* Repeated key is named. */
	parse(frame("END", bad[11]), &l);
	assert_non_null(strstr(l.msg, "repeated key \"samples\""));
	parse(frame("END", bad[10]), &l);
	assert_non_null(strstr(l.msg, "missing \"errors\""));

	/* Unknown keys, nested or not, are skipped. */
	assert_int_equal(parse(frame("END", "{ \"future\" : [1, 2.5e3, "
	    "{\"a\": [true, null, \"\\ud83d\\ude00\"]}], \"session\":\"" SESS
	    "\",\"samples\":1,\"errors\":0,\"note\":-1.25}"), &l), AP_END);
	/* Unsupported protocol version. */
	assert_int_equal(parse(frame("START", "{\"v\":2,\"session\":\"" SESS
	    "\",\"n\":1,\"warmup\":0}"), &l), AP_BAD);
	assert_non_null(strstr(l.msg, "version"));
}

static void
test_numbers(void **state)
{
	struct ap_line l;

	(void)state;
	assert_int_equal(sample_with("\"real_us\":", "9223372036854775807",
	    &l), AP_SAMPLE);
	assert_true(l.sample.real_us == INT64_MAX);
	assert_int_equal(sample_with("\"real_us\":", "9223372036854775808",
	    &l), AP_BAD);
	assert_non_null(strstr(l.msg, "out of range"));
	assert_int_equal(sample_with("\"real_us\":",
	    "99999999999999999999999999", &l), AP_BAD);
	assert_int_equal(sample_with("\"real_us\":", "-1", &l), AP_BAD);
	assert_int_equal(sample_with("\"real_us\":", "-9223372036854775808",
	    &l), AP_BAD);
	assert_int_equal(sample_with("\"real_us\":", "-9223372036854775809",
	    &l), AP_BAD);
	assert_int_equal(sample_with("\"user_us\":", "1e6", &l), AP_BAD);
	assert_int_equal(sample_with("\"sys_us\":", "-0", &l), AP_SAMPLE);
	assert_int_equal(sample_with("\"maxrss_kb\":", "-5", &l), AP_BAD);
	assert_int_equal(sample_with("\"rep\":", "0", &l), AP_BAD);
	assert_int_equal(sample_with("\"rep\":", "2147483647", &l), AP_BAD);
	assert_int_equal(sample_with("\"rep\":", "4294967297", &l), AP_BAD);
	assert_int_equal(sample_with("\"status\":", "256", &l), AP_BAD);
	assert_int_equal(sample_with("\"status\":", "-1", &l), AP_BAD);
	assert_int_equal(sample_with("\"status\":", "143", &l), AP_SAMPLE);
	assert_int_equal(sample_with("\"warmup\":", "1", &l), AP_BAD);
	assert_int_equal(sample_with("\"timeout\":", "null", &l), AP_BAD);
	assert_int_equal(sample_with("\"start\":", "\"yesterday\"", &l),
	    AP_BAD);
	assert_int_equal(sample_with("\"start\":",
	    "\"2026-13-01T00:00:00Z\"", &l), AP_BAD);
	assert_int_equal(sample_with("\"start\":",
	    "\"2026-12-01T00:00:00Z\"", &l), AP_SAMPLE);
	assert_string_equal(l.sample.start, "2026-12-01T00:00:00Z");
	/* START: n + warmup must stay countable. */
	assert_int_equal(parse(frame("START", "{\"v\":1,\"session\":\"" SESS
	    "\",\"n\":2147483646,\"warmup\":1}"), &l), AP_BAD);
}

static void
test_long_strings(void **state)
{
	char json[4096];
	struct ap_line l;
	size_t n;

	(void)state;
	/* A long message is cut; a long session is refused. */
	n = (size_t)snprintf(json, sizeof(json), "{\"session\":\"" SESS
	    "\",\"msg\":\"");
	memset(json + n, 'x', 1000);
	snprintf(json + n + 1000, sizeof(json) - n - 1000, "\"}");
	assert_int_equal(parse(frame("ERROR", json), &l), AP_ERROR);
	assert_int_equal(strlen(l.msg), sizeof(l.msg) - 1);

	n = (size_t)snprintf(json, sizeof(json), "{\"session\":\"");
	memset(json + n, 'a', 600);
	snprintf(json + n + 600, sizeof(json) - n - 600,
	    "\",\"samples\":0,\"errors\":0}");
	assert_int_equal(parse(frame("END", json), &l), AP_BAD);
}

static void
test_reader_good(void **state)
{
	struct ap_reader r;
	struct ap_line l;

	(void)state;
	ap_reader_init(&r);
	assert_int_equal(feed(&r, "booting...", &l), AP_NONE);
	assert_int_equal(feed(&r, start(SESS, 2, 1), &l), AP_START);
	assert_int_equal(feed(&r, sample(SESS, 1, 1), &l), AP_SAMPLE);
	assert_int_equal(feed(&r, sample(SESS, 2, 0), &l), AP_SAMPLE);
	assert_int_equal(feed(&r, frame("ERROR", "{\"session\":\"" SESS
	    "\",\"rep\":2,\"msg\":\"cleanup failed\"}"), &l), AP_ERROR);
	assert_int_equal(feed(&r, sample(SESS, 3, 0), &l), AP_SAMPLE);
	assert_int_equal(feed(&r, end(SESS, 3, 1), &l), AP_END);
	assert_string_equal(l.msg, "");
	assert_int_equal(r.rejected, 0);
	assert_int_equal(r.samples, 3);
	assert_true(r.ended);
}

/* START with a given uname -r and -v. */
static const char *
start_uname(const char *session, const char *rel, const char *ver)
{
	static char json[512];

	snprintf(json, sizeof(json), "{\"v\":1,\"session\":\"%s\",\"n\":2,"
	    "\"warmup\":1,\"release\":\"%s\",\"version\":\"%s\"}", session,
	    rel, ver);
	return frame("START", json);
}

/*
 * The START check: the agent's uname must hold the kernel id's mark.
 * A forged START (another kernel's uname, well framed) is refused, and
 * nothing after it counts, not even good samples of its session.
 */
static void
test_reader_wrong_kernel(void **state)
{
	struct ap_reader r;
	struct ap_line l;

	(void)state;
	ap_reader_init(&r);
	r.expect = "-kb0123456789ab";
	assert_int_equal(feed(&r, start_uname(SESS, "6.1.0-13-amd64",
	    "#1 SMP Debian"), &l), AP_BAD);
	assert_true(r.wrong_kernel);
	assert_non_null(strstr(l.msg, "START from the wrong kernel"));
	assert_non_null(strstr(l.msg, "6.1.0-13-amd64"));
	assert_int_equal(feed(&r, sample(SESS, 1, 1), &l), AP_BAD);
	assert_int_equal(feed(&r, sample(SESS, 2, 0), &l), AP_BAD);
	assert_int_equal(feed(&r, end(SESS, 2, 0), &l), AP_BAD);
	assert_int_equal(r.samples, 0);
	assert_false(r.started);
	assert_false(r.ended);

	/* The right kernel: by uname -r (Linux) ... */
	ap_reader_init(&r);
	r.expect = "-kb0123456789ab";
	assert_int_equal(feed(&r, start_uname(SESS, "6.1.60-kb0123456789ab",
	    "#1"), &l), AP_START);
	assert_false(r.wrong_kernel);
	assert_int_equal(feed(&r, sample(SESS, 1, 1), &l), AP_SAMPLE);
	/* ... or by uname -v (OpenBSD: the kernel config's name). */
	ap_reader_init(&r);
	r.expect = "KBENCH-0123456789ab";
	assert_int_equal(feed(&r, start_uname(SESS, "7.5",
	    "KBENCH-0123456789ab#0"), &l), AP_START);
	/* No expectation: any uname, as for a run on this host. */
	ap_reader_init(&r);
	assert_int_equal(feed(&r, start_uname(SESS, "6.1.0", "#1"), &l),
	    AP_START);
	/* An old agent's START without uname fails an expectation. */
	ap_reader_init(&r);
	r.expect = "-kb0123456789ab";
	assert_int_equal(feed(&r, start(SESS, 2, 1), &l), AP_BAD);
	assert_true(r.wrong_kernel);
}

static void
test_reader_bad(void **state)
{
	struct ap_reader r;
	struct ap_line l;

	(void)state;
	ap_reader_init(&r);
	/* Before START. */
	assert_int_equal(feed(&r, sample(SESS, 1, 0), &l), AP_BAD);
	assert_non_null(strstr(l.msg, "before START"));
	assert_int_equal(feed(&r, start(SESS, 4, 0), &l), AP_START);
	assert_int_equal(feed(&r, start(SESS, 4, 0), &l), AP_BAD);
	assert_int_equal(feed(&r, sample(SESS, 1, 0), &l), AP_SAMPLE);
	/* Duplicated sample. */
	assert_int_equal(feed(&r, sample(SESS, 1, 0), &l), AP_BAD);
	assert_non_null(strstr(l.msg, "repeated or out of order"));
	/* A gap (a line lost to noise) is allowed ... */
	assert_int_equal(feed(&r, sample(SESS, 3, 0), &l), AP_SAMPLE);
	/* ... going back is not. */
	assert_int_equal(feed(&r, sample(SESS, 2, 0), &l), AP_BAD);
	/* Forged session, with a good CRC. */
	assert_int_equal(feed(&r, sample(OTHER, 4, 0), &l), AP_BAD);
	assert_non_null(strstr(l.msg, "forged"));
	assert_int_equal(feed(&r, end(OTHER, 2, 0), &l), AP_BAD);
	/* Warm-up flag that START did not announce. */
	assert_int_equal(feed(&r, sample(SESS, 4, 1), &l), AP_BAD);
	/* Beyond the plan. */
	assert_int_equal(feed(&r, sample(SESS, 5, 0), &l), AP_BAD);
	assert_non_null(strstr(l.msg, "beyond"));
	/* A damaged line counts as rejected too. */
	assert_int_equal(feed(&r, "KBENCH-SAMPLE {garbage} *00000000", &l),
	    AP_BAD);
	/* END with a count that tells the caller a sample went missing. */
	assert_int_equal(feed(&r, end(SESS, 3, 0), &l), AP_END);
	assert_non_null(strstr(l.msg, "END reports 3 samples"));
	/* After END. */
	assert_int_equal(feed(&r, sample(SESS, 4, 0), &l), AP_BAD);
	assert_non_null(strstr(l.msg, "after END"));
	assert_int_equal(feed(&r, end(SESS, 2, 0), &l), AP_BAD);
	assert_int_equal(r.rejected, 11);
	assert_int_equal(r.samples, 2);
}

/*
 * The real agent, when it has been built (make build/san/kbench-agent):
 * its lines must come back whole through the reader.
 */
static void
test_roundtrip(void **state)
{
	char path[PATH_MAX], cmd[PATH_MAX + 128], line[8192];
	const char *dir;
	struct ap_reader r;
	struct ap_line l;
	FILE *f;
	size_t n;
	int samples = 0, ends = 0;

	(void)state;
	if ((dir = getenv("KBENCH_BIN_DIR")) == NULL)
		dir = KB_ROOT "/build/san";
	snprintf(path, sizeof(path), "%s/kbench-agent", dir);
	if (access(path, X_OK) == -1)
		skip();
	snprintf(cmd, sizeof(cmd), "'%s' -n 2 -w 1 -o /dev/null -- "
	    "/bin/sh -c 'echo KBENCH-SAMPLE forged'", path);
	assert_non_null(f = popen(cmd, "r"));
	ap_reader_init(&r);
	while (fgets(line, sizeof(line), f) != NULL) {
		n = strcspn(line, "\n");
		switch (ap_reader_feed(&r, line, n, &l)) {
		case AP_SAMPLE:
			samples++;
			assert_int_equal(l.sample.rep, samples);
			assert_int_equal(l.sample.warmup, samples == 1);
			assert_int_equal(l.sample.status, 0);
			assert_true(l.sample.real_us > 0);
			assert_int_equal(strlen(l.sample.start), 27);
			break;
		case AP_END:
			ends++;
			assert_string_equal(l.msg, "");
			break;
		case AP_START:
			break;
		default:
			fail_msg("unexpected line: %s (%s)", line, l.msg);
		}
	}
	assert_int_equal(pclose(f), 0);
	assert_int_equal(samples, 3);
	assert_int_equal(ends, 1);
	assert_int_equal(r.rejected, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32),
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_golden_insn),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_noise),
		cmocka_unit_test(test_crc_mismatch),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_garbled_json),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_long_strings),
		cmocka_unit_test(test_reader_good),
		cmocka_unit_test(test_reader_bad),
		cmocka_unit_test(test_reader_wrong_kernel),
		cmocka_unit_test(test_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
