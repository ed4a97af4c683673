/*
 * test_suggest.c: the edit distance behind "did you mean", and which
 * typos get a suggestion (a swap of neighbours is one edit, a word far
 * from every choice gets none).
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "lib/suggest.h"

static const char *const cmds[] = {
	"alert", "compare", "bisect", "db", "detect", "help", "import",
	"kernel", "plot", "report", "run", "serve", "submit", "try",
	"version", "worker"
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static void
test_distance(void **state)
{
	(void)state;
	assert_int_equal(kb_edit_distance("", ""), 0);
	assert_int_equal(kb_edit_distance("abc", ""), 3);
	assert_int_equal(kb_edit_distance("", "abc"), 3);
	assert_int_equal(kb_edit_distance("compare", "compare"), 0);
	assert_int_equal(kb_edit_distance("comapre", "compare"), 1);
	assert_int_equal(kb_edit_distance("statsu", "status"), 1);
	assert_int_equal(kb_edit_distance("lsit", "list"), 1);
	assert_int_equal(kb_edit_distance("kitten", "sitting"), 3);
	assert_int_equal(kb_edit_distance("sys", "sus"), 1);
	/* Symmetric. */
	assert_int_equal(kb_edit_distance("detcet", "detect"),
	    kb_edit_distance("detect", "detcet"));
}

static void
test_suggest(void **state)
{
	const char *const subs[] = { "init", "start", "stop", "status",
	    "migrate", "replay", "psql" };

	(void)state;
	assert_string_equal(kb_suggest("comapre", cmds, NCMDS), "compare");
	assert_string_equal(kb_suggest("imoprt", cmds, NCMDS), "import");
	assert_string_equal(kb_suggest("serv", cmds, NCMDS), "serve");
	assert_string_equal(kb_suggest("statsu", subs, 7), "status");
	assert_string_equal(kb_suggest("replya", subs, 7), "replay");
	/* Far from everything, or too short to guess. */
	assert_null(kb_suggest("xyzzy", cmds, NCMDS));
	assert_null(kb_suggest("zz", cmds, NCMDS));
	assert_null(kb_suggest("anything", cmds, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_suggest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
