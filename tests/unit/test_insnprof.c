/*
 * test_insnprof.c: the plugin's per-address kernel profile named by a
 * guest's /proc/kallsyms: addresses summed into the function they fall
 * in (KASLR-moved symbols, data and module lines, NUL padding of the
 * disk), an address below every symbol, and bad profile lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "format/insnprof.h"

/* As the guest's grep writes it to the disk, then NUL padding. */
static const char kallsyms[] =
    "ffffffff9a000000 T _text\n"
    "ffffffff9a2f0010 T filemap_read\n"
    "ffffffff9a2f0800 t filemap_get_pages\n"
    "ffffffff9a100000 T do_syscall_64\n"
    "ffffffff9a400000 d some_data\n"
    "ffffffffc0100000 t ext4_readahead\t[ext4]\n"
    "garbage line\n"
    "\0\0\0ffffffff9a500000 T after_the_padding\n";

static FILE *
profile(const char *text)
{
	FILE *fp = tmpfile();

	assert_non_null(fp);
	fputs(text, fp);
	rewind(fp);
	return fp;
}

static void
test_ksyms(void **state)
{
	struct ksyms ks;

	assert_int_equal(ksyms_parse(&ks, kallsyms, sizeof(kallsyms) - 1), 5);
	assert_null(ksyms_name(&ks, 0xffffffff99ffffffULL));
	assert_string_equal(ksyms_name(&ks, 0xffffffff9a000000ULL), "_text");
	assert_string_equal(ksyms_name(&ks, 0xffffffff9a2f0010ULL),
	    "filemap_read");
	assert_string_equal(ksyms_name(&ks, 0xffffffff9a2f07ffULL),
	    "filemap_read");
	assert_string_equal(ksyms_name(&ks, 0xffffffff9a2f0800ULL),
	    "filemap_get_pages");
	/* Data symbols are not functions: the text before holds it. */
	assert_string_equal(ksyms_name(&ks, 0xffffffff9a400010ULL),
	    "filemap_get_pages");
	assert_string_equal(ksyms_name(&ks, 0xffffffffc0100044ULL),
	    "ext4_readahead");
	ksyms_free(&ks);
	assert_int_equal(ksyms_parse(&ks, "\0", 1), 0);
	assert_null(ksyms_name(&ks, 1));
}

static void
test_named(void **state)
{
	struct insn_profile p;
	struct ksyms ks;
	char why[256];
	FILE *fp;

	assert_int_equal(ksyms_parse(&ks, kallsyms, sizeof(kallsyms) - 1), 5);
	fp = profile("700 0xffffffff9a2f0010\n"
	    "500 0xffffffff9a2f0020\n"
	    "900 0xffffffff9a100abc\n"
	    "20 0xffffffff80000000\n"
	    "30 0xffffffff9a2f0900\n");
	assert_int_equal(insnprof_read(fp, &ks, &p, why, sizeof(why)), 0);
	fclose(fp);
	assert_int_equal(p.n, 4);
	assert_int_equal(p.total, 2150);
	/* Summed per function, most first. */
	assert_string_equal(p.f[0].name, "filemap_read");
	assert_int_equal(p.f[0].insn, 1200);
	assert_string_equal(p.f[1].name, "do_syscall_64");
	assert_int_equal(p.f[1].insn, 900);
	assert_string_equal(p.f[2].name, "filemap_get_pages");
	assert_int_equal(p.f[2].insn, 30);
	assert_string_equal(p.f[3].name, "[unknown]");
	assert_int_equal(p.f[3].insn, 20);
	insnprof_free(&p);

	/* With a map the plugin names them itself: kept as they are. */
	fp = profile("12000 main\n3 main\n");
	assert_int_equal(insnprof_read(fp, &ks, &p, why, sizeof(why)), 0);
	fclose(fp);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.f[0].insn, 12003);
	insnprof_free(&p);
	ksyms_free(&ks);
}

static void
test_bad(void **state)
{
	static const char *const bad[] = {
		"x 0xffffffff9a2f0010\n",
		"12\n",
		"12 \n",
		"-5 main\n",
		"12 two names\n",
		"99999999999999999999 main\n",
		"9223372036854775807 a\n9223372036854775807 b\n",
	};
	struct insn_profile p;
	char why[256];
	size_t i;
	FILE *fp;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fp = profile(bad[i]);
		why[0] = '\0';
		assert_int_equal(insnprof_read(fp, NULL, &p, why,
		    sizeof(why)), -1);
		assert_true(why[0] != '\0');
		assert_int_equal(p.n, 0);
		fclose(fp);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ksyms),
		cmocka_unit_test(test_named),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
