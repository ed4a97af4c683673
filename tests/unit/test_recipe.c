/*
 * test_recipe.c: a recipe file becomes a plan (format/recipe.c): the
 * phases in order on the right host, the variables expanded, every
 * value from the file or the command line quoted for sh(1), the boots
 * in turns, and the agent's command line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "lib/util.h"
#include "format/recipe.h"

static const char recipe_text[] =
    "name = \"toy\";\n"
    "description = \"a toy OS, <b>&\\\"quoted\\\"</b>\";\n"
    "src = \"/usr/src\";\n"
    "example_worker: { name = \"ex\"; host = \"root@ex.example.org\";"
    " arch = \"amd64\"; ncpu = 2; };\n"
    "fetch = ( \"cd $KB_SRC && git pull\" );\n"
    "patch = ( \"cd $KB_SRC && patch -p1 < $KB_PATCH\" );\n"
    "build = ( \"cd ${KB_SRC} && make -j$NCPU KERNEL=KB-$KB_KID12\" );\n"
    "install = ( \"make install KERNEL=KB-$KB_KID12\" );\n"
    "reboot = ( \"reboot\" );\n"
    "verify = ( \"uname -v\" );\n"
    "verify_expect = \"KB-$KB_KID12\";\n"
    "on_panic = ( \"show panic\" );\n"
    "workloads: {\n"
    "  w: {\n"
    "    dir = \"/tmp/a dir\";\n"
    "    setup = \"echo 'it''s' | tee x\";\n"
    "    command = \"make -j$NCPU; echo \\\"done, ok\\\"\";\n"
    "    cleanup = \"rm -f x\";\n"
    "  };\n"
    "};\n";

static char *
write_recipe(void)
{
	char *dir, *path;
	FILE *fp;

	dir = kb_strdup("/tmp/kbench-test-recipe.XXXXXX");
	assert_non_null(mkdtemp(dir));
	path = kb_asprintf("%s/toy.conf", dir);
	free(dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs(recipe_text, fp);
	fclose(fp);
	return path;
}

static char *
plan_text(const struct recipe *r, const struct plan *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	assert_non_null(fp = open_memstream(&buf, &len));
	recipe_print_plan(fp, r, p);
	fclose(fp);
	return buf;
}

/* line is a whole line of text, after the line at *from; moves on. */
static void
line_after(const char *text, const char **from, const char *line)
{
	const char *p = *from;
	size_t n = strlen(line);

	for (; (p = strstr(p, line)) != NULL; p++)
		if ((p == text || p[-1] == '\n') && p[n] == '\n') {
			*from = p + n;
			return;
		}
	fail_msg("line not found (in order): %s\n--- plan:\n%s", line, text);
}

static void
test_plan(void **state)
{
	const char *patches[] = { "/tmp/x/my patch's.diff" };
	struct recipe r;
	struct plan p;
	char err[256], *path, *text, *dir;
	const char *at;

	(void)state;
	path = write_recipe();
	assert_int_equal(recipe_load_file(path, &r, err, sizeof(err)), 0);
	assert_string_equal(r.name, "toy");
	assert_int_equal(r.phase[RP_BUILD].n, 1);
	assert_non_null(recipe_workload(&r, "w"));
	assert_null(recipe_workload(&r, "nope"));

	memset(&p, 0, sizeof(p));
	p.host = "root@h.example.org";
	p.worker = "h";
	p.origin = "test";
	p.ncpu = 4;
	p.jobs = 0;
	p.patches = patches;
	p.npatches = 1;
	p.workload = recipe_workload(&r, "w");
	p.n = 3;
	p.per_boot = 2;
	p.warmup = 1;
	p.timeout = 60;
	p.kid12[0] = "aaaaaaaaaaaa";
	p.kid12[1] = "bbbbbbbbbbbb";
	text = plan_text(&r, &p);
	at = text;
	line_after(text, &at, "# workload w: 3 counted repetitions per "
	    "kernel, 2 boots each, 1 warm-up per boot");
	/* The patch's name made safe to name unquoted on the worker. */
	line_after(text, &at, "[root@h.example.org] cd /usr/src && git pull");
	line_after(text, &at, "[root@h.example.org] cd /usr/src && patch -p1 "
	    "< /var/tmp/kbench/1-my_patch_s.diff");
	line_after(text, &at, "[root@h.example.org] cd /usr/src && make -j4 "
	    "KERNEL=KB-bbbbbbbbbbbb");
	line_after(text, &at, "[root@h.example.org] make install "
	    "KERNEL=KB-aaaaaaaaaaaa");
	/* First boot: base, 2 reps; the agent's line quoted for sh. */
	line_after(text, &at, "[root@h.example.org] reboot");
	line_after(text, &at, "[harness] check that the output of 'uname -v' "
	    "contains KB-aaaaaaaaaaaa");
	line_after(text, &at, "[root@h.example.org] "
	    "/var/tmp/kbench/kbench-agent -n 2 -w 1 -t 60 -C '/tmp/a dir' "
	    "-s 'echo '\\''it'\\'''\\''s'\\'' | tee x' -c 'rm -f x' "
	    "-o /var/tmp/kbench/boot-1.log -- /bin/sh -c "
	    "'make -j4; echo \"done, ok\"'");
	/* Then patched, then base and patched once more with 1 rep. */
	line_after(text, &at, "[harness] check that the output of 'uname -v' "
	    "contains KB-bbbbbbbbbbbb");
	line_after(text, &at, "[root@h.example.org] "
	    "/var/tmp/kbench/kbench-agent -n 2 -w 1 -t 60 -C '/tmp/a dir' "
	    "-s 'echo '\\''it'\\'''\\''s'\\'' | tee x' -c 'rm -f x' "
	    "-o /var/tmp/kbench/boot-2.log -- /bin/sh -c "
	    "'make -j4; echo \"done, ok\"'");
	line_after(text, &at, "[harness] check that the output of 'uname -v' "
	    "contains KB-aaaaaaaaaaaa");
	assert_non_null(strstr(at, "kbench-agent -n 1 -w 1 -t 60"));
	assert_non_null(strstr(at, "/boot-3.log"));
	assert_non_null(strstr(at, "/boot-4.log"));
	assert_null(strstr(at, "/boot-5.log"));
	free(text);

	/* Unknown NCPU stays for the worker's shell to expand. */
	p.ncpu = 0;
	text = plan_text(&r, &p);
	assert_non_null(strstr(text, "make -j$NCPU KERNEL=KB-bbbbbbbbbbbb\n"));
	free(text);

	recipe_free(&r);
	unlink(path);
	dir = kb_strdup(path);
	*strrchr(dir, '/') = '\0';
	rmdir(dir);
	free(dir);
	free(path);
}
/*
 * Every shipped recipe keeps a real machine safe: save before the
 * first install, restore (ending in a reboot) at the end; the BSDs a
 * fallback at the console.  The plan says so, in that order: the
 * running kernel noted, kept, the boots, the fallback, the restore and
 * the check that the machine runs what it ran before.
 */
static void
test_safety(void **state)
{
	static const char *os[] = { "openbsd", "freebsd", "linux",
	    "linux-kexec" };
	struct recipe r;
	struct plan p;
	char err[256], *text;
	const char *at;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(os) / sizeof(os[0]); i++) {
		assert_int_equal(recipe_load(os[i], &r, err, sizeof(err)), 0);
		assert_true(r.phase[RP_SAVE].n > 0);
		assert_true(r.phase[RP_RESTORE].n > 0);
		if (i < 2)
			assert_true(r.phase[RP_FALLBACK].n > 0);
		if (i == 0) {
			memset(&p, 0, sizeof(p));
			p.host = "root@h";
			p.worker = p.origin = "t";
			p.workload = recipe_workload(&r, "libc");
			p.n = p.per_boot = 2;
			p.kid12[0] = p.kid12[1] = "cccccccccccc";
			text = plan_text(&r, &p);
			at = text;
			line_after(text, &at, "[root@h] sysctl -n kern.version");
			line_after(text, &at, "[harness] keep the output of "
			    "'sysctl -n kern.version': the kernel to come "
			    "back to");
			line_after(text, &at, "[root@h] test -f /bsd.kbench || "
			    "cp -p /bsd /bsd.kbench");
			line_after(text, &at, "[root@h] reboot");
			line_after(text, &at, "[root@h console] boot /bsd.kbench");
			line_after(text, &at, "[root@h] cp -p /bsd.kbench "
			    "/bsd.new && mv /bsd.new /bsd && rm -f /bsd.kbench");
			line_after(text, &at, "[root@h] reboot");
			line_after(text, &at, "[harness] check that the output "
			    "of 'sysctl -n kern.version' is the one kept "
			    "before the first install");
			free(text);
		}
		recipe_free(&r);
	}
}

static void
test_errors(void **state)
{
	struct recipe r;
	char err[256];

	(void)state;
	/* A name that would leave the recipe directory is not looked up. */
	assert_int_equal(recipe_load("../../etc/passwd", &r, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "no recipe for OS '../../etc/passwd'"));
	recipe_free(&r);
	assert_int_equal(recipe_load_file("/nonexistent/x.conf", &r, err,
	    sizeof(err)), -1);
	assert_true(err[0] != '\0');
	recipe_free(&r);
}

/* save without restore would keep a kernel aside and never put it back. */
static void
test_save_alone(void **state)
{
	struct recipe r;
	char err[256], *path, *dir;
	FILE *fp;

	(void)state;
	dir = kb_strdup("/tmp/kbench-test-recipe.XXXXXX");
	assert_non_null(mkdtemp(dir));
	path = kb_asprintf("%s/toy.conf", dir);
	assert_non_null(fp = fopen(path, "w"));
	fprintf(fp, "%ssave = ( \"cp /bsd /bsd.kbench\" );\n", recipe_text);
	fclose(fp);
	assert_int_equal(recipe_load_file(path, &r, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "save and restore go together"));
	recipe_free(&r);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_safety),
		cmocka_unit_test(test_save_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
