/*
 * test_kid.c: what names a kernel (worker/kid.c) and the compiler's
 * version line in it (worker/kcc.c): the same inputs give the same id,
 * and another tree revision, another compiler, another fragment or
 * patch, or the patches in another order, give another.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "lib/util.h"
#include "worker/kcc.h"
#include "worker/kid.h"

#define REV1	"1111111111111111111111111111111111111111"
#define REV2	"2222222222222222222222222222222222222222"
#define GCC12	"gcc (Debian 12.2.0-14) 12.2.0"
#define CLANG	"Debian clang version 14.0.6"

/* The id of a kernel with up to two patches (NULL: fewer). */
static void
id(char out[65], const char *base, const char *cc, const char *frag,
    const char *p1, const char *p2)
{
	struct kid k;

	kid_init(&k, "linux", "amd64", base, cc);
	if (frag != NULL)
		kid_fragment(&k, "extra.config", frag);
	if (p1 != NULL)
		kid_patch(&k, p1);
	if (p2 != NULL)
		kid_patch(&k, p2);
	kid_final(&k, out);
}

/* The same inputs, the same id; another revision, another. */
static void
test_revision(void **state)
{
	char a[65], b[65], c[65];

	(void)state;
	id(a, REV1, GCC12, "f", "p1", "p2");
	id(b, REV1, GCC12, "f", "p1", "p2");
	id(c, REV2, GCC12, "f", "p1", "p2");
	assert_string_equal(a, b);
	assert_int_equal(strspn(a, "0123456789abcdef"), 64);
	assert_int_equal(strlen(a), 64);
	assert_string_not_equal(a, c);
}

static void
test_compiler(void **state)
{
	char a[65], b[65], c[65];

	(void)state;
	id(a, REV1, GCC12, NULL, "p", NULL);
	id(b, REV1, CLANG, NULL, "p", NULL);
	id(c, REV1, "gcc (Debian 12.2.0-14+deb12u1) 12.2.0", NULL, "p",
	    NULL);
	assert_string_not_equal(a, b);
	assert_string_not_equal(a, c);
}

static void
test_parts(void **state)
{
	char a[65], b[65];

	(void)state;
	id(a, REV1, GCC12, "f", "p1", "p2");
	id(b, REV1, GCC12, "g", "p1", "p2");
	assert_string_not_equal(a, b);
	id(b, REV1, GCC12, "f", "p2", "p1");
	assert_string_not_equal(a, b);
	id(b, REV1, GCC12, "f", "p1", NULL);
	assert_string_not_equal(a, b);
	/* The NULs keep the fields apart: "ab" "c" is not "a" "bc". */
	id(a, REV1, GCC12, NULL, "ab", "c");
	id(b, REV1, GCC12, NULL, "a", "bc");
	assert_string_not_equal(a, b);
}

static void
test_first_line(void **state)
{
	char *s;

	(void)state;
	s = kcc_first_line(GCC12 "  \r\nCopyright (C) 2022\n");
	assert_string_equal(s, GCC12);
	free(s);
	assert_null(kcc_first_line(""));
	assert_null(kcc_first_line("\nsecond"));
	assert_null(kcc_first_line(NULL));
}

static void
test_name(void **state)
{
	char *s;

	(void)state;
	s = kcc_name("aarch64-linux-gnu-", NULL);
	assert_string_equal(s, "aarch64-linux-gnu-gcc");
	free(s);
	s = kcc_name("", NULL);
	assert_string_equal(s, "gcc");
	free(s);
	s = kcc_name("", "clang");
	assert_string_equal(s, "clang");
	free(s);
}

/* The real compiler this host builds with: gcc is a build dependency. */
static void
test_version(void **state)
{
	char *s;

	(void)state;
	s = kcc_version("gcc");
	assert_non_null(s);
	assert_non_null(strstr(s, "gcc"));
	assert_null(strchr(s, '\n'));
	free(s);
	kb_quiet = 1;
	assert_null(kcc_version("/nonexistent/kbench-no-such-cc"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_revision),
		cmocka_unit_test(test_compiler),
		cmocka_unit_test(test_parts),
		cmocka_unit_test(test_first_line),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
