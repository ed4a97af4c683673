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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
