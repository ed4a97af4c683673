/*
 * test_qemuinsn.c: the harness reads the plugin's file while the guest
 * runs: counts by rep, a line the plugin has not finished left for the
 * next read, a bad line skipped, a rep without a line left unknown.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "lib/hash.h"
#include "lib/util.h"
#include "worker/qemuinsn.h"

static void
put(FILE *fp, const char *json, int newline)
{
	char buf[256];
	int n;

	n = snprintf(buf, sizeof(buf), "KBENCH-INSN %s", json);
	fprintf(fp, "%s *%08lx%s", buf,
	    (unsigned long)kb_crc32(buf, (size_t)n), newline ? "\n" : "");
	fflush(fp);
}

static void
test_read(void **state)
{
	char dir[] = "/tmp/test_qemuinsn.XXXXXX", *arg, *path;
	struct qemu_insn qi;
	struct kb_sample s;
	FILE *fp;

	assert_non_null(mkdtemp(dir));
	arg = qemu_insn_start(&qi, "/p/kbench-insn.so", dir, 4, 2, 0);
	path = kb_asprintf("%s/insn.log", dir);
	assert_string_equal(arg + strlen(arg) - 8, ",mode=cb");
	assert_non_null(strstr(arg, ",out="));
	/* No file yet: nothing known. */
	kb_sample_init(&s);
	qemu_insn_get(&qi, 1, &s);
	assert_true(s.insn_user == KB_NONE);
	assert_non_null(fp = fopen(path, "w"));
	put(fp, "{\"seq\":1,\"kernel\":10,\"user\":20}", 1);
	fputs("KBENCH-INSN {\"seq\":2,\"kernel\":1,\"user\":2} *00000000\n",
	    fp);
	put(fp, "{\"seq\":3,\"kernel\":30,\"user\":40}", 0);
	fflush(fp);
	qemu_insn_get(&qi, 1, &s);
	assert_true(s.insn_kernel == 10 && s.insn_user == 20);
	/* The bad CRC's rep stays unknown; rep 3 is not finished yet. */
	kb_sample_init(&s);
	qemu_insn_get(&qi, 2, &s);
	assert_true(s.insn_user == KB_NONE);
	qemu_insn_get(&qi, 3, &s);
	assert_true(s.insn_user == KB_NONE);
	fputs("\n", fp);
	fflush(fp);
	qemu_insn_get(&qi, 3, &s);
	assert_true(s.insn_kernel == 30 && s.insn_user == 40);
	assert_int_equal(qi.il.rejected, 1);
	/* Out of range reps are ignored. */
	qemu_insn_get(&qi, 9, &s);
	assert_true(s.insn_user == 40);
	fclose(fp);
	qemu_insn_free(&qi);
	free(arg);
	arg = qemu_insn_start(&qi, "/p/kbench-insn.so", dir, 1, 1, 0);
	assert_string_equal(arg + strlen(arg) - 12, ",mode=inline");
	qemu_insn_free(&qi);
	free(arg);
	unlink(path);
	free(path);
	rmdir(dir);
}

/*
 * --profile: the plugin's profile= argument, the guest's symbol disk
 * (made empty, written over its start as the guest's grep does), and
 * the profile named from it once the guest is gone.
 */
static void
test_profile(void **state)
{
	char dir[] = "/tmp/test_qemuinsn.XXXXXX", *arg, *path;
	struct insn_profile p;
	struct qemu_insn qi;
	const char *disk;
	struct stat sb;
	FILE *fp;

	assert_non_null(mkdtemp(dir));
	arg = qemu_insn_start(&qi, "/p/kbench-insn.so", dir, 2, 2, 1);
	path = kb_asprintf(",profile=%s/profile", dir);
	assert_string_equal(arg + strlen(arg) - strlen(path), path);
	free(path);
	/* No profile yet: said, nothing named. */
	assert_int_equal(qemu_insn_profile(&qi, &p), -1);
	assert_non_null(disk = qemu_insn_syms_disk(&qi));
	assert_int_equal(stat(disk, &sb), 0);
	assert_true(sb.st_size == (off_t)QEMU_INSN_SYMS_MB << 20);
	assert_non_null(fp = fopen(disk, "r+"));
	fputs("ffffffff81000000 T _text\n"
	    "ffffffff81200000 T filemap_read\n"
	    "ffffffff81201000 t filemap_get_pages\n", fp);
	fclose(fp);
	path = kb_asprintf("%s/profile", dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs("500 0xffffffff81200010\n400 0xffffffff81201004\n"
	    "300 0xffffffff81200fff\n", fp);
	fclose(fp);
	assert_int_equal(qemu_insn_profile(&qi, &p), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.f[0].name, "filemap_read");
	assert_int_equal(p.f[0].insn, 800);
	assert_string_equal(p.f[1].name, "filemap_get_pages");
	assert_int_equal(p.total, 1200);
	insnprof_free(&p);
	/* A guest that wrote no symbols: no profile, said. */
	assert_non_null(qemu_insn_syms_disk(&qi));
	assert_int_equal(qemu_insn_profile(&qi, &p), -1);
	assert_int_equal(p.n, 0);
	unlink(path);
	unlink(disk);
	free(path);
	qemu_insn_free(&qi);
	free(arg);
	assert_int_equal(rmdir(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profile),
		cmocka_unit_test(test_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
