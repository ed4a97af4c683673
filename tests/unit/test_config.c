/*
 * test_config.c: the configuration loader on good and bad files.  Every
 * bad file must be refused with FILE:LINE pointing at the culprit.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "lib/util.h"
#include "format/config.h"

static char tmpdir[] = "/tmp/kbench-test-config.XXXXXX";

/* Write text to tmpdir/name (creating subdirectories); the path. */
static char *
put(const char *name, const char *text)
{
	char *path, *dir, *slash;
	FILE *fp;

	path = kb_asprintf("%s/%s", tmpdir, name);
	dir = kb_strdup(path);
	slash = strrchr(dir, '/');
	*slash = '\0';
	assert_int_equal(kb_mkdirs(dir, 0755), 0);
	free(dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
	return path;
}

static void
rm_rf(void)
{
	char *cmd;

	cmd = kb_asprintf("rm -rf '%s'", tmpdir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static int
setup(void **state)
{
	assert_non_null(mkdtemp(tmpdir));
	unsetenv("KBENCH_DB");
	unsetenv("KBENCH_CONFIG");
	return 0;
}

static int
teardown(void **state)
{
	rm_rf();
	strcpy(tmpdir + strlen(tmpdir) - 6, "XXXXXX");
	return 0;
}

/* Loading main must fail with "FILE:LINE: ...needle...". */
static void
expect_error(const char *main, const char *file, int line,
    const char *needle)
{
	struct kb_config cfg;
	char err[1024], *want;

	assert_int_equal(kb_config_load(main, &cfg, err, sizeof(err)), -1);
	want = kb_asprintf("%s/%s:%d: ", tmpdir, file, line);
	if (strncmp(err, want, strlen(want)) != 0 ||
	    strstr(err, needle) == NULL)
		fail_msg("error '%s': expected prefix '%s' and '%s'", err,
		    want, needle);
	free(want);
	assert_int_equal(cfg.nworkers, 0);
	kb_config_free(&cfg);
}

static const char good_main[] =
    "# a fleet\n"
    "database: { conninfo = \"host=db dbname=kbench\"; };\n"
    "compare: { confidence = 99.0; threshold = 2; };\n"
    "workload_dirs = [ \"wl\" ];\n"
    "workers = (\n"
    "  { name = \"local\"; transport = \"local\"; ncpu = 0; },\n"
    "  { name = \"rv\"; transport = \"ssh\"; host = \"root@rv\";\n"
    "    arch = \"riscv64\"; os = \"openbsd\"; ncpu = 4; }\n"
    ");\n"
    "serve: { token = \"s3cret\"; };\n";

static const char good_wl[] =
    "name = \"libc\";\n"
    "description = \"make -j of a libc\";\n"
    "defaults: { n = 7; warmup = 1; timeout = 600; };\n"
    "linux: {\n"
    "  fetch = \"true\";\n"
    "  dir = \"$KBENCH_SRC/musl\";\n"
    "  setup = \"./configure\";\n"
    "  command = \"make -j$NCPU\";\n"
    "  cleanup = \"make clean\";\n"
    "  timeout = 900;\n"
    "};\n"
    "openbsd: { command = \"make -j$NCPU\"; n = 3; };\n";

static void
test_good(void **state)
{
	struct kb_config cfg;
	const struct kb_worker *w;
	const struct kb_recipe *r;
	char err[1024], *main;

	main = put("kbench.conf", good_main);
	free(put("wl/libc.conf", good_wl));
	free(put("wl/true.conf", "linux: { command = \"true\"; };\n"));
	free(put("wl/README", "not a workload\n"));
	if (kb_config_load(main, &cfg, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_string_equal(cfg.path, main);
	assert_string_equal(cfg.conninfo, "host=db dbname=kbench");
	assert_true(cfg.confidence == 99.0);
	assert_true(cfg.threshold == 2.0);
	assert_string_equal(cfg.token, "s3cret");
	assert_int_equal(cfg.nworkers, 2);
	assert_int_equal(cfg.nworkloads, 2);

	assert_non_null(w = kb_config_worker(&cfg, "local"));
	assert_string_equal(w->arch, kb_host_arch());
	assert_string_equal(w->os, kb_host_os());
	assert_int_equal(w->ncpu, kb_host_ncpu());
	assert_true(w->jobs >= 1);
	assert_non_null(w = kb_config_worker(&cfg, "rv"));
	assert_string_equal(w->host, "root@rv");
	assert_int_equal(w->ncpu, 4);
	assert_int_equal(w->jobs, 2);
	assert_int_equal(w->line, 7);
	assert_null(kb_config_worker(&cfg, "nope"));

	assert_non_null(r = kb_config_workload(&cfg, "libc", "linux"));
	assert_string_equal(r->name, "libc");
	assert_string_equal(r->description, "make -j of a libc");
	assert_string_equal(r->dir, "$KBENCH_SRC/musl");
	assert_string_equal(r->setup, "./configure");
	assert_string_equal(r->command, "make -j$NCPU");
	assert_string_equal(r->cleanup, "make clean");
	assert_int_equal(r->n, 7);
	assert_int_equal(r->warmup, 1);
	assert_int_equal(r->timeout, 900);
	assert_int_equal(r->line, 4);
	assert_non_null(r = kb_config_workload(&cfg, "libc", "openbsd"));
	assert_int_equal(r->n, 3);
	assert_int_equal(r->timeout, 600);
	assert_string_equal(r->fetch, "");
	assert_null(kb_config_workload(&cfg, "libc", "freebsd"));
	assert_null(kb_config_workload(&cfg, "nope", "linux"));
	/* Without a name, the file names the workload. */
	assert_non_null(r = kb_config_workload(&cfg, "true", "linux"));
	assert_int_equal(r->n, KB_CONF_N);
	assert_int_equal(r->timeout, KB_CONF_TIMEOUT);
	kb_config_free(&cfg);

	/* The environment beats the file for the database. */
	setenv("KBENCH_DB", "dbname=other", 1);
	assert_int_equal(kb_config_load(main, &cfg, err, sizeof(err)), 0);
	assert_string_equal(cfg.conninfo, "dbname=other");
	kb_config_free(&cfg);
	unsetenv("KBENCH_DB");
	free(main);
}

/* An empty file still gives a local worker and the defaults. */
static void
test_empty(void **state)
{
	struct kb_config cfg;
	char err[1024], *main;

	main = put("kbench.conf", "workload_dirs = [];\n");
	assert_int_equal(kb_config_load(main, &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.nworkers, 1);
	assert_string_equal(cfg.workers[0].name, "local");
	assert_string_equal(cfg.workers[0].transport, "local");
	assert_true(cfg.confidence == KB_CONF_CONFIDENCE);
	assert_int_equal(cfg.nworkloads, 0);
	kb_config_free(&cfg);
	free(main);
}

/* $KBENCH_CONFIG, then ./kbench.conf, then the built-in file. */
static void
test_default_path(void **state)
{
	struct kb_config cfg;
	char err[1024], cwd[4096], *main, *builtin;

	main = put("other.conf", "workload_dirs = [];\n");
	setenv("KBENCH_CONFIG", main, 1);
	assert_string_equal(kb_config_default_path(), main);
	unsetenv("KBENCH_CONFIG");

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(tmpdir), 0);
	free(put("kbench.conf", "workload_dirs = [];\n"));
	assert_string_equal(kb_config_default_path(), "kbench.conf");
	assert_int_equal(unlink("kbench.conf"), 0);
	builtin = kb_asprintf("%s/configs/kbench.conf", kb_root());
	assert_string_equal(kb_config_default_path(), builtin);
	/* The shipped default must itself load. */
	if (kb_config_load(NULL, &cfg, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_non_null(kb_config_worker(&cfg, "local"));
	kb_config_free(&cfg);
	assert_int_equal(chdir(cwd), 0);
	free(builtin);
	free(main);
}

static void
test_missing_file(void **state)
{
	struct kb_config cfg;
	char err[1024], *path;

	path = kb_asprintf("%s/none.conf", tmpdir);
	assert_int_equal(kb_config_load(path, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "No such file"));
	kb_config_free(&cfg);
	free(path);
}

static void
test_syntax(void **state)
{
	char *main;

	main = put("kbench.conf", "compare: {\n  threshold = 1.0;\n"
	    "  confidence = = 3;\n};\n");
	expect_error(main, "kbench.conf", 3, "syntax error");
	free(main);
	main = put("kbench.conf", "serve: { token = \"a\"; };\n"
	    "serve: { token = \"b\"; };\n");
	expect_error(main, "kbench.conf", 2, "duplicate");
	free(main);
}

static void
test_main_semantics(void **state)
{
	char *main;

	main = put("kbench.conf", "workload_dirs = [];\n\ncompre: {};\n");
	expect_error(main, "kbench.conf", 3,
	    "unknown key 'compre' in the main file; expected one of: "
	    "database, compare");
	free(main);
	main = put("kbench.conf", "workload_dirs = [];\n"
	    "compare: {\n confidence = \"95\";\n};\n");
	expect_error(main, "kbench.conf", 3, "confidence: expected a number");
	free(main);
	main = put("kbench.conf", "workload_dirs = [];\n"
	    "compare: { confidence = 100.0; };\n");
	expect_error(main, "kbench.conf", 2, "below 100");
	free(main);
	main = put("kbench.conf", "workload_dirs = [];\n"
	    "compare: {\n  confidence = 97.5; };\n");
	expect_error(main, "kbench.conf", 3, "confidence: expected one of 80, "
	    "90, 95, 98, 99, 99.5, not 97.5");
	free(main);
	main = put("kbench.conf", "workload_dirs = [];\n"
	    "compare: { threshold = -1; };\n");
	expect_error(main, "kbench.conf", 2, "threshold: expected a number "
	    "from 0");
	free(main);
	main = put("kbench.conf", "\nworkload_dirs = [ \"nodir\" ];\n");
	expect_error(main, "kbench.conf", 2, "nodir: expected a directory");
	free(main);
	main = put("kbench.conf", "workload_dirs = \"wl\";\n");
	expect_error(main, "kbench.conf", 1, "workload_dirs: expected a list "
	    "of strings");
	free(main);
	main = put("kbench.conf", "database: { conninfo = 5; };\n");
	expect_error(main, "kbench.conf", 1, "conninfo: expected a string");
	free(main);
}

static void
test_workers(void **state)
{
	char *main;

	main = put("kbench.conf", "workload_dirs = [];\nworkers = (\n"
	    "  { name = \"a\"; transport = \"local\"; },\n"
	    "  { name = \"a\"; transport = \"local\"; }\n);\n");
	expect_error(main, "kbench.conf", 4, "worker 'a' already defined at");
	free(main);
	main = put("kbench.conf", "workload_dirs = [];\nworkers = (\n"
	    "  { name = \"b\";\n    transport = \"ssh\"; arch = \"amd64\"; "
	    "os = \"openbsd\"; }\n);\n");
	expect_error(main, "kbench.conf", 3, "expected host");
	free(main);
	main = put("kbench.conf", "workload_dirs = [];\nworkers = (\n"
	    "  { name = \"c\"; transport = \"qemu\"; arch = \"arm64\";\n"
	    "    os = \"solaris\"; }\n);\n");
	expect_error(main, "kbench.conf", 4, "os 'solaris': expected");
	free(main);
	main = put("kbench.conf", "workload_dirs = [];\nworkers = (\n"
	    "  { name = \"d\"; transport = \"telnet\"; }\n);\n");
	expect_error(main, "kbench.conf", 3, "transport 'telnet'");
	free(main);
	main = put("kbench.conf", "workload_dirs = [];\nworkers = (\n"
	    "  { name = \"e\"; transport = \"local\"; ncpu = -2; }\n);\n");
	expect_error(main, "kbench.conf", 3, "ncpu: expected an integer from "
	    "0");
	free(main);
	main = put("kbench.conf", "workload_dirs = [];\nworkers = (\n"
	    "  { name = \"bad name\"; transport = \"local\"; }\n);\n");
	expect_error(main, "kbench.conf", 3, "worker name 'bad name'");
	free(main);
	main = put("kbench.conf", "workload_dirs = [];\nworkers = (\n"
	    "  { name = \"f\"; transport = \"local\"; cpus = 2; }\n);\n");
	expect_error(main, "kbench.conf", 3, "unknown key 'cpus' in worker");
	free(main);
	main = put("kbench.conf", "workload_dirs = [];\nworkers = (\n"
	    "  { transport = \"local\"; }\n);\n");
	expect_error(main, "kbench.conf", 3, "expected name");
	free(main);
	main = put("kbench.conf", "workload_dirs = [];\nworkers = (\n"
	    "  { name = \"g\"; transport = \"qemu\"; arch = \"amd64\";\n"
	    "    os = \"linux\"; console = \"cu\"; }\n);\n");
	expect_error(main, "kbench.conf", 4, "console is for transport ssh "
	    "only");
	free(main);
	main = put("kbench.conf", "workload_dirs = [];\nworkers = (\n"
	    "  { name = \"h\"; transport = \"ssh\"; arch = \"amd64\";\n"
	    "    os = \"linux\"; host = \"h\"; port = 70000; }\n);\n");
	expect_error(main, "kbench.conf", 4, "port: expected an integer from "
	    "1 to 65535");
	free(main);
}

/* The ssh keys: paths relative to the file, $KBENCH_ROOT, defaults. */
static void
test_ssh_worker(void **state)
{
	struct kb_config cfg;
	const struct kb_worker *w;
	char err[1024], *main, *want;

	main = put("kbench.conf", "workload_dirs = [];\nworkers = (\n"
	    "  { name = \"rv\"; transport = \"ssh\"; host = \"rv\";\n"
	    "    arch = \"riscv64\"; os = \"openbsd\"; port = 2222;\n"
	    "    ssh_config = \"ssh/config\"; console = \"cu -l x\";\n"
	    "    recipe = \"$KBENCH_ROOT/configs/recipes/openbsd.conf\";\n"
	    "    kconfig = [ \"/a.config\", \"b.config\" ];\n"
	    "    boot_timeout = 600; },\n"
	    "  { name = \"plain\"; transport = \"ssh\"; host = \"p\";\n"
	    "    arch = \"macppc\"; os = \"openbsd\"; }\n);\n");
	if (kb_config_load(main, &cfg, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_non_null(w = kb_config_worker(&cfg, "rv"));
	assert_int_equal(w->port, 2222);
	assert_int_equal(w->boot_timeout, 600);
	want = kb_asprintf("%s/ssh/config", tmpdir);
	assert_string_equal(w->ssh_config, want);
	free(want);
	want = kb_asprintf("%s/configs/recipes/openbsd.conf", kb_root());
	assert_string_equal(w->recipe, want);
	free(want);
	assert_string_equal(w->console, "cu -l x");
	assert_int_equal(w->nkconfig, 2);
	assert_string_equal(w->kconfig[0], "/a.config");
	want = kb_asprintf("%s/b.config", tmpdir);
	assert_string_equal(w->kconfig[1], want);
	free(want);
	assert_non_null(w = kb_config_worker(&cfg, "plain"));
	assert_int_equal(w->port, 0);
	assert_int_equal(w->boot_timeout, 0);
	assert_string_equal(w->ssh_config, "");
	assert_string_equal(w->recipe, "");
	assert_string_equal(w->console, "");
	assert_int_equal(w->nkconfig, 0);
	kb_config_free(&cfg);
	free(main);
}

static void
test_workloads(void **state)
{
	char *main;

	main = put("kbench.conf", "workload_dirs = [ \"wl\" ];\n");

	free(put("wl/a.conf", "name = \"a\";\nlinux: {\n  comand = \"x\";\n"
	    "};\n"));
	expect_error(main, "wl/a.conf", 3, "unknown key 'comand' in linux; "
	    "expected one of: fetch, dir, setup, command, cleanup");
	free(put("wl/a.conf", "name = \"a\";\nlinux: {\n  setup = \"x\";\n"
	    "};\n"));
	expect_error(main, "wl/a.conf", 2, "section linux: expected command");
	free(put("wl/a.conf", "name = \"a\";\nlinux: {\n  command = \"\";\n"
	    "};\n"));
	expect_error(main, "wl/a.conf", 3, "section linux: expected command");
	free(put("wl/a.conf", "name = \"a\";\nlinux: { command = \"x\"; };\n"
	    "solaris: { command = \"x\"; };\n"));
	expect_error(main, "wl/a.conf", 3, "unknown key 'solaris' in a "
	    "workload file; expected one of: name, description, defaults, "
	    "linux, openbsd, freebsd");
	free(put("wl/a.conf", "name = \"a\";\nlinux: { command = \"x\";\n"
	    "  timeout = \"1h\"; };\n"));
	expect_error(main, "wl/a.conf", 3, "timeout: expected an integer");
	free(put("wl/a.conf", "name = \"a\";\ndefaults: { n = 0; };\n"
	    "linux: { command = \"x\"; };\n"));
	expect_error(main, "wl/a.conf", 2, "n: expected an integer from 1");
	free(put("wl/a.conf", "\nname = \"a\";\ndescription = \"only\";\n"));
	expect_error(main, "wl/a.conf", 2, "expected a section linux, "
	    "openbsd or freebsd");
	free(put("wl/a.conf", "name = \"a\";\nlinux: { command = \"x\" \n"
	    "  dir = ; };\n"));
	expect_error(main, "wl/a.conf", 3, "syntax error");
	free(put("wl/a.conf", "name = \"a/b\";\n"
	    "linux: { command = \"x\"; };\n"));
	expect_error(main, "wl/a.conf", 1, "workload name 'a/b'");

	/* The same name twice: the second file, pointing at the first. */
	free(put("wl/a.conf", "name = \"libc\";\n"
	    "linux: { command = \"x\"; };\n"));
	free(put("wl/b.conf", "# again\nname = \"libc\";\n"
	    "linux: { command = \"y\"; };\n"));
	expect_error(main, "wl/b.conf", 2, "workload 'libc' already defined "
	    "at ");
	free(main);
}

/* alert: its keys, defaults, the threshold overrides, bad values. */
static void
test_alert(void **state)
{
	struct kb_config cfg;
	char err[1024], *main;

	main = put("kbench.conf", "workload_dirs = [];\n"
	    "serve: { url = \"http://kb.example.org/\"; };\n"
	    "alert: { mail = [ \"a@example.org\", \"b@example.org\" ];\n"
	    "  webhook = { url = \"http://127.0.0.1:8080/h\";\n"
	    "    secret = \"xyz\"; };\n  threshold = 5;\n"
	    "  overrides = ( { worker = \"w\"; threshold = 10.0; },\n"
	    "    { workload = \"l\"; threshold = 2.0; },\n"
	    "    { worker = \"w\"; workload = \"l\"; threshold = 7.0; } );\n"
	    "};\n");
	if (kb_config_load(main, &cfg, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_string_equal(cfg.serve_url, "http://kb.example.org/");
	assert_int_equal(cfg.alert.nmail, 2);
	assert_string_equal(cfg.alert.mail[1], "b@example.org");
	assert_string_equal(cfg.alert.sendmail, "/usr/sbin/sendmail");
	assert_string_equal(cfg.alert.webhook_url, "http://127.0.0.1:8080/h");
	assert_string_equal(cfg.alert.webhook_secret, "xyz");
	assert_true(kb_alert_threshold(&cfg, "x", "y") == 5.0);
	assert_true(kb_alert_threshold(&cfg, "w", "y") == 10.0);
	assert_true(kb_alert_threshold(&cfg, "x", "l") == 2.0);
	assert_true(kb_alert_threshold(&cfg, "w", "l") == 7.0);
	kb_config_free(&cfg);
	free(main);

	main = put("kbench.conf", "alert: {\n  webhook = {\n"
	    "    url = \"https://x/\"; };\n};\n");
	expect_error(main, "kbench.conf", 3, "expected http://");
	free(main);
	main = put("kbench.conf", "alert: {\n  mial = [ \"a\" ];\n};\n");
	expect_error(main, "kbench.conf", 2, "unknown key 'mial'");
	free(main);
	main = put("kbench.conf", "alert: {\n  overrides = (\n"
	    "    { threshold = 3.0; } );\n};\n");
	expect_error(main, "kbench.conf", 3, "expected worker, workload");
	free(main);
	main = put("kbench.conf", "alert: {\n  threshold = -1.0;\n};\n");
	expect_error(main, "kbench.conf", 2, "threshold");
	free(main);
}

/* serve.trees: commit links by the worker's OS (format/commiturl.h). */
static void
test_trees(void **state)
{
	static const char *const bad[][2] = {
		{ "serve: { trees = (\n  { commit_url = \"https://x/c/\"; } ); "
		    "};\n", "expected one %s" },
		{ "serve: { trees = (\n  { os = \"plan9\"; commit_url = "
		    "\"https://x/%s\"; } ); };\n", "os 'plan9': expected" },
		{ "serve: { trees = (\n  { os = \"linux\"; } ); };\n",
		    "commit_url" }
	};
	struct kb_config cfg;
	char err[1024], *main, *u;
	size_t i;

	main = put("kbench.conf", "workload_dirs = [];\n"
	    "serve: { trees = (\n"
	    "  { os = \"openbsd\";\n"
	    "    commit_url = \"https://github.com/openbsd/src/commit/%s\"; },\n"
	    "  { commit_url = \"https://example.org/c?id=%s&x=1\"; } ); };\n");
	if (kb_config_load(main, &cfg, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(cfg.ntrees, 2);
	u = commit_url(commit_url_for(cfg.trees, cfg.ntrees, "openbsd"),
	    "3f2a9c1");
	assert_string_equal(u, "https://github.com/openbsd/src/commit/3f2a9c1");
	free(u);
	/* Another OS, or none known: the tree that names no OS. */
	u = commit_url(commit_url_for(cfg.trees, cfg.ntrees, "linux"),
	    "v6.1 rc/\"x");
	assert_string_equal(u, "https://example.org/c?id=v6.1%20rc%2F%22x&x=1");
	free(u);
	u = commit_url(commit_url_for(cfg.trees, cfg.ntrees, ""), "abc");
	assert_string_equal(u, "https://example.org/c?id=abc&x=1");
	free(u);
	/* No revision, no link. */
	assert_null(commit_url(commit_url_for(cfg.trees, cfg.ntrees, ""), ""));
	assert_null(commit_url_for(cfg.trees, 1, "linux"));
	kb_config_free(&cfg);
	free(main);

	assert_int_equal(commit_url_ok("https://x/%s"), 0);
	assert_int_equal(commit_url_ok("https://x/"), -1);
	assert_int_equal(commit_url_ok("https://x/%s/%s"), -1);
	assert_int_equal(commit_url_ok("https://x/%d"), -1);
	assert_int_equal(commit_url_ok("https://x/%s%"), -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		main = put("kbench.conf", bad[i][0]);
		expect_error(main, "kbench.conf", 2, bad[i][1]);
		free(main);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_good, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_path, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_syntax, setup, teardown),
		cmocka_unit_test_setup_teardown(test_main_semantics, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_workers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ssh_worker, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_workloads, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_alert, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trees, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
