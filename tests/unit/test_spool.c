/*
 * test_spool.c: the spool's record framing.  Every byte of a field
 * comes back as written, NULL stays NULL, and a record that is torn,
 * altered or forged (bad CRC, bad escape) is refused whole.  Then a
 * spool file on disk: private modes, one R record first, status counts
 * with a torn tail.
 */
#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "lib/util.h"
#include "lib/sample.h"
#include "store/spool.h"

static void
test_roundtrip(void **state)
{
	const char *in[6] = { "plain", "tab\there", "new\nline\r",
	    "back\\slash \\N \\t", NULL, "" };
	char *rec, *f[8], type;
	size_t len;
	int n, i;

	rec = spool_encode('S', in, 6);
	len = strlen(rec);
	assert_true(len > 10 && rec[len - 1] == '\n');
	assert_null(memchr(rec, '\t', 9));
	/* One line: no raw newline before the end. */
	assert_ptr_equal(strchr(rec, '\n'), rec + len - 1);
	rec[len - 1] = '\0';
	n = spool_decode(rec, &type, f, 8);
	assert_int_equal(n, 6);
	assert_int_equal(type, 'S');
	for (i = 0; i < 6; i++) {
		if (in[i] == NULL)
			assert_null(f[i]);
		else
			assert_string_equal(f[i], in[i]);
	}
	free(rec);
}

static void
test_refused(void **state)
{
	const char *in[2] = { "run-1", "42" };
	char *rec, *copy, *f[4], type;
	size_t len, i;

	rec = spool_encode('T', in, 2);
	len = strlen(rec);
	rec[--len] = '\0';
	/* Every truncation (a torn write) and every one-bit flip fails. */
	for (i = 0; i < len; i++) {
		copy = strndup(rec, i);
		assert_int_equal(spool_decode(copy, &type, f, 4), -1);
		free(copy);
		copy = strdup(rec);
		copy[i] ^= 0x01;
		assert_int_equal(spool_decode(copy, &type, f, 4), -1);
		free(copy);
	}
	/* Too many fields for the caller. */
	copy = strdup(rec);
	assert_int_equal(spool_decode(copy, &type, f, 1), -1);
	free(copy);
	free(rec);
}

static void
test_file(void **state)
{
	char dir[] = "/tmp/test_spool.XXXXXX", *path, *cmd;
	struct spool_run r;
	struct spool_stat st;
	struct kb_sample s;
	struct spool *sp;
	struct stat sb;
	FILE *fp;

	assert_non_null(mkdtemp(dir));
	setenv("KBENCH_HOME", dir, 1);
	memset(&r, 0, sizeof(r));
	r.ukey = "20250101T000000Z-abcdef";
	r.worker = "local";
	r.workload = "w";
	r.kernel = "k'; DROP TABLE run; --";
	r.source = "agent";
	r.state = "running";
	/* A key that would leave the directory is refused. */
	r.ukey = "../evil";
	assert_null(spool_open(&r));
	r.ukey = "20250101T000000Z-abcdef";
	assert_non_null(sp = spool_open(&r));
	kb_sample_init(&s);
	s.rep = 1;
	s.real_us = 1000;
	assert_int_equal(spool_sample(sp, &s), 0);
	assert_int_equal(spool_state(sp, "done", NULL), 0);
	path = kb_strdup(spool_path(sp));
	spool_close(sp);
	assert_int_equal(stat(spool_dir(), &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* A torn tail is counted, not taken. */
	assert_non_null(fp = fopen(path, "a"));
	fputs("12345678 S\tx", fp);
	fclose(fp);
	assert_int_equal(spool_status(&st), 0);
	assert_int_equal(st.files, 1);
	assert_int_equal(st.runs, 1);
	assert_int_equal(st.samples, 1);
	assert_int_equal(st.states, 1);
	assert_int_equal(st.torn, 1);
	assert_int_equal(st.live, 0);
	cmd = kb_asprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(path);
}

/* A guest's records: unknown figures (< 0) and a missing tail are NULL. */
static void
test_guest(void **state)
{
	char dir[] = "/tmp/test_spool.XXXXXX", *cmd, line[512], *f[8];
	struct spool_run r;
	struct spool_io io = { 3, 2048, -1, 0, 512 };
	struct spool_boot b = { "tcg", "/c/console.log", "4100000", NULL };
	struct spool *sp;
	FILE *fp;
	char type;
	int n, seen = 0;

	assert_non_null(mkdtemp(dir));
	setenv("KBENCH_HOME", dir, 1);
	memset(&r, 0, sizeof(r));
	r.ukey = "20250101T000000Z-guest";
	r.worker = "qemu-amd64";
	r.workload = "w";
	r.kernel = "k";
	r.source = "qemu";
	r.state = "booting";
	assert_non_null(sp = spool_open(&r));
	assert_int_equal(spool_io(sp, &io), 0);
	assert_int_equal(spool_boot(sp, &b), 0);
	assert_non_null(fp = fopen(spool_path(sp), "r"));
	while (fgets(line, sizeof(line), fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		n = spool_decode(line, &type, f, 8);
		if (type == 'I') {
			assert_int_equal(n, 6);
			assert_string_equal(f[1], "3");
			assert_string_equal(f[2], "2048");
			assert_null(f[3]);
			assert_string_equal(f[4], "0");
			assert_string_equal(f[5], "512");
			seen |= 1;
		} else if (type == 'B') {
			assert_int_equal(n, 5);
			assert_string_equal(f[1], "tcg");
			assert_string_equal(f[2], "/c/console.log");
			assert_string_equal(f[3], "4100000");
			assert_null(f[4]);
			seen |= 2;
		}
	}
	fclose(fp);
	spool_close(sp);
	assert_int_equal(seen, 3);
	cmd = kb_asprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_guest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
