/*
 * test_bulklog.c: the readers of dpb's build.log and poudriere's
 * package lists and .data.json, on the sample logs in tests/data and on
 * malformed input, whose errors must name the line.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "format/bulklog.h"
#include "format/dpblog.h"
#include "format/poudlog.h"

/* The package called name in b, or NULL. */
static const struct bulklog_pkg *
find(const struct bulklog *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (strcmp(b->v[i].name, name) == 0)
			return &b->v[i];
	return NULL;
}

static void
check(const struct bulklog *b, const char *name, const char *status,
    int64_t us)
{
	const struct bulklog_pkg *p = find(b, name);

	assert_non_null(p);
	assert_string_equal(p->status, status);
	assert_true(p->real_us == us);
}

static void
test_dpb_files(void **state)
{
	struct bulklog b;
	char err[512];

	(void)state;
	memset(&b, 0, sizeof(b));
	assert_int_equal(dpblog_read(KB_ROOT "/tests/data/dpb/base", &b, err,
	    sizeof(err)), 0);
	assert_int_equal(b.n, 6);
	check(&b, "devel/gmake", "ok", 84240000);
	check(&b, "devel/m4", "ok", 47090000);	/* host localhost*4 */
	check(&b, "lang/python/3.11,-main", "ok", 679140000);
	assert_int_equal(strlen(b.sha), 64);
	bulklog_free(&b);
	assert_int_equal(dpblog_read(KB_ROOT "/tests/data/dpb/patched", &b,
	    err, sizeof(err)), 0);
	check(&b, "textproc/libxml", "failed", 164220000);
	check(&b, "archivers/lzip", "ok", 12470000);
	bulklog_free(&b);
}

static void
test_poudriere_files(void **state)
{
	struct bulklog b;
	char err[512];

	(void)state;
	memset(&b, 0, sizeof(b));
	assert_int_equal(poudlog_read(KB_ROOT "/tests/data/poudriere/base",
	    &b, err, sizeof(err)), 0);
	assert_int_equal(b.n, 8);
	check(&b, "devel/bison", "ok", 117000000);
	check(&b, "devel/py-setuptools@py311", "ok", 21000000);
	check(&b, "textproc/libxml2", "failed", 188000000);
	check(&b, "textproc/libxslt", "skipped", 0);
	/* .poudriere.pkg_deps%: the build lines between listed packages. */
	assert_int_equal(b.ne, 4);
	assert_string_equal(b.e[2].pkg, "devel/py-setuptools@py311");
	assert_string_equal(b.e[2].dep, "lang/python311");
	bulklog_free(&b);
	assert_int_equal(poudlog_read(KB_ROOT
	    "/tests/data/poudriere/patched", &b, err, sizeof(err)), 0);
	assert_int_equal(b.n, 8);
	check(&b, "lang/python311", "ok", 771000000);
	check(&b, "devel/py-setuptools@py311", "ok", 22000000);
	check(&b, "textproc/libxslt", "failed", 40000000);
	bulklog_free(&b);
}

/* buf must fail, with want in the error. */
static void
dpb_bad(const char *buf, const char *want)
{
	struct bulklog b;
	char err[512];

	memset(&b, 0, sizeof(b));
	assert_int_equal(dpblog_parse(buf, strlen(buf), "build.log", &b, err,
	    sizeof(err)), -1);
	if (strstr(err, want) == NULL)
		fail_msg("'%s' lacks '%s'", err, want);
	bulklog_free(&b);
}

static void
list_bad(const char *list, const char *buf, const char *want)
{
	struct bulklog b;
	char err[512];

	memset(&b, 0, sizeof(b));
	assert_int_equal(poudlog_parse_list(buf, strlen(buf), "L", list, &b,
	    err, sizeof(err)), -1);
	if (strstr(err, want) == NULL)
		fail_msg("'%s' lacks '%s'", err, want);
	bulklog_free(&b);
}

static void
test_malformed(void **state)
{
	struct bulklog b;
	char err[512];
	const char *json = "{\"ports\": {\"built\": [\n"
	    "{\"origin\": \"a/b\", \"elapsed\": \"1.5\"}]}}";

	(void)state;
	dpb_bad("", "build.log:0: no package line");
	dpb_bad("a/b h 1.00 10 x=1.00\na/c h\n", "build.log:2: 2 fields");
	dpb_bad("a/b h 1.00 10 x=1.00\n\na/c h -1 10 x\n",
	    "build.log:3: total time '-1'");
	dpb_bad("a/b h 1.00 1k x=1.00\n", "build.log:1: log size '1k'");
	dpb_bad("a/b h 1 1 x\na/b h 2 1 x!\n", "build.log:2: a/b listed again");
	list_bad("built", "a/b p 1\na/c p 2.5\n", "L:2: elapsed '2.5'");
	list_bad("failed", "a/b p build x 7 9\n", "L:1: 6 fields");
	list_bad("skipped", "a/b p\n", "L:1: 2 fields");
	memset(&b, 0, sizeof(b));
	assert_int_equal(poudlog_parse_deps("build:a run:b\nbuild:x\n", 21,
	    "D", &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "D:2: expected build:PKGNAME"));
	bulklog_free(&b);
	memset(&b, 0, sizeof(b));
	assert_int_equal(poudlog_parse_json(json, strlen(json), "J", &b, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "J: ports.built[0]: elapsed"));
	bulklog_free(&b);
	assert_int_equal(poudlog_parse_json("{\n\"ports\": [}", 13, "J", &b,
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "J:2:"));
	bulklog_free(&b);
}

static void
test_edges(void **state)
{
	struct bulklog b;
	char err[512];
	/* A failure, crashed (no time), and one without an error type. */
	const char *f = "a/b p build  12\na/c q stage stage\n";

	(void)state;
	memset(&b, 0, sizeof(b));
	assert_int_equal(poudlog_parse_list(f, strlen(f), "L", "failed", &b,
	    err, sizeof(err)), 0);
	check(&b, "a/b", "failed", 12000000);
	check(&b, "a/c", "failed", 0);
	bulklog_free(&b);
	/* dpb: an unknown log size leaves the timings fourth. */
	assert_int_equal(dpblog_parse("a/b h 3.25  x=3.25!\n", 19, "B", &b,
	    err, sizeof(err)), 0);
	check(&b, "a/b", "failed", 3250000);
	bulklog_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpb_files),
		cmocka_unit_test(test_poudriere_files),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
