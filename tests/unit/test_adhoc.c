/*
 * test_adhoc.c: labels and quoting for ad hoc commands (kbench run --
 * CMD...): readable, stable, and distinct for distinct commands.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "lib/util.h"
#include "lib/adhoc.h"

/* label must be PREFIX-XXXXXX with six hex digits. */
static void
expect_label(const char *prefix, char **argv)
{
	char *l;
	size_t n = strlen(prefix);

	l = adhoc_label(argv);
	if (strncmp(l, prefix, n) != 0 || l[n] != '-' ||
	    strlen(l + n + 1) != 6 ||
	    strspn(l + n + 1, "0123456789abcdef") != 6)
		fail_msg("label '%s', expected '%s-XXXXXX'", l, prefix);
	free(l);
}

static void
test_label(void **state)
{
	char *make[] = { "make", "-j4", NULL };
	char *path[] = { "/usr/bin/sort", "-o", "/dev/null", "x", NULL };
	char *sh[] = { "sh", "-c", "i=0; while [ $i -lt 9 ]; do :; done",
	    NULL };
	char *bash[] = { "/bin/bash", "-c", "cd /usr/src && make -j8",
	    NULL };
	char *env[] = { "CC=clang", "cc", "x.c", NULL };
	char *odd[] = { "!!!", NULL };
	char *make8[] = { "make", "-j8", NULL };
	char *a, *b;

	expect_label("make-j4", make);
	expect_label("sort-o", path);
	expect_label("while", sh);
	expect_label("cd-usr-src", bash);
	expect_label("cc-x.c", env);
	expect_label("cmd", odd);
	/* Stable, and different commands never share a label. */
	a = adhoc_label(make);
	b = adhoc_label(make);
	assert_string_equal(a, b);
	free(b);
	b = adhoc_label(make8);
	assert_string_not_equal(a, b);
	free(a);
	free(b);
}

static void
test_join(void **state)
{
	char *argv[] = { "sh", "-c", "echo 'hi' $X", "", "a=b", NULL };
	char *j;

	j = adhoc_join(argv);
	assert_string_equal(j, "sh -c 'echo '\\''hi'\\'' $X' '' a=b");
	free(j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label),
		cmocka_unit_test(test_join),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
