/*
 * test_rules.c: the rules that have one definition each: a user's
 * label (lib/label.c), a mail against a plain diff (format/mail.c),
 * kbench-agent's command line (format/agentcmd.c), mean and variance
 * (stats/stats.c), and starting a child (lib/spawn.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "lib/label.h"
#include "lib/spawn.h"
#include "lib/util.h"
#include "format/agentcmd.h"
#include "format/mail.h"
#include "stats/stats.h"

static void
test_label(void **state)
{
	(void)state;
	assert_true(label_valid("linux-6.1+a.patch_2", 0));
	assert_true(label_valid("_x", 0));
	assert_false(label_valid("", 0));
	assert_false(label_valid(".hidden", 0));
	assert_false(label_valid("..", 0));
	assert_false(label_valid("-n", 0));
	assert_false(label_valid("a/b", 0));
	assert_false(label_valid("a b", 0));
	assert_false(label_valid("a\"b", 0));
	assert_false(label_valid("a|b", 0));
	assert_false(label_valid("a\nb", 0));
	assert_false(label_valid("caf\xc3\xa9", 0));
	assert_true(label_valid("abcd", 4));
	assert_false(label_valid("abcde", 4));
}

static void
test_mail(void **state)
{
	(void)state;
	/* git format-patch */
	assert_true(patch_is_mail("From 0123abcd Mon Sep 17 00:00:00 2001\n"
	    "From: A <a@b>\nSubject: [PATCH] x\n\n---\ndiff --git a/f b/f\n"));
	/* A saved message: headers, folded ones too, then a blank line. */
	assert_true(patch_is_mail("Return-Path: <a@b>\nReceived: from x\n"
	    "\tby y\nSubject: [PATCH] x\nDate: Mon, 1 Jan 2024\n\nbody\n"));
	assert_true(patch_is_mail("subject: lower case\r\n\r\nbody\n"));
	/* Plain diffs, whatever comes before the first hunk. */
	assert_false(patch_is_mail("diff --git a/f b/f\n--- a/f\n+++ b/f\n"));
	assert_false(patch_is_mail("--- a/f\n+++ b/f\n@@ -1 +1 @@\n"));
	assert_false(patch_is_mail("Index: f\n===\n--- f\n+++ f\n"));
	assert_false(patch_is_mail("This fixes x.\nSubject: not a header "
	    "here\n\ndiff --git a/f b/f\n"));
	/* Headers without an end, or none that a mail has. */
	assert_false(patch_is_mail("Subject: x\ndiff --git a/f b/f\n"));
	assert_false(patch_is_mail("X-Foo: bar\n\ndiff --git a/f b/f\n"));
	assert_false(patch_is_mail(" Subject: x\n\n"));
	assert_false(patch_is_mail("\n\nSubject: x\n\n"));
	assert_false(patch_is_mail(""));
	assert_false(patch_file_is_mail("/nonexistent/patch"));
}

static void
test_agent(void **state)
{
	char *const cmdv[] = { "make", "-j4", "a b", NULL };
	struct agent_cmd c;
	char **v, *line;
	size_t n;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.agent = "/x/kbench-agent";
	c.n = 5;
	c.warmup = 1;
	c.dir = "/src dir";
	c.setup = "echo 'hi' | tee x";
	c.log = "/r/workload.log";
	c.cmdv = cmdv;
	v = agent_argv(&c);
	for (n = 0; v[n] != NULL; n++)
		;
	assert_int_equal(n, 15);
	assert_string_equal(v[0], "/x/kbench-agent");
	assert_string_equal(v[2], "5");
	assert_string_equal(v[5], "-C");
	assert_string_equal(v[6], "/src dir");
	assert_string_equal(v[11], "--");
	assert_string_equal(v[14], "a b");
	agent_argv_free(v);
	line = agent_cmdline(&c);
	/* No -t for no timeout, no -c for no cleanup. */
	assert_string_equal(line, "/x/kbench-agent -n 5 -w 1 -C '/src dir' "
	    "-s 'echo '\\''hi'\\'' | tee x' -o /r/workload.log -- make -j4 "
	    "'a b'");
	free(line);
	c.timeout = 30;
	c.cleanup = "rm x";
	c.shell = "true; echo \"$X\"";
	line = agent_cmdline(&c);
	assert_string_equal(line, "/x/kbench-agent -n 5 -w 1 -t 30 "
	    "-C '/src dir' -s 'echo '\\''hi'\\'' | tee x' -c 'rm x' "
	    "-o /r/workload.log -- /bin/sh -c 'true; echo \"$X\"'");
	free(line);
}

static void
test_meanvar(void **state)
{
	const double v[] = { 1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4 };
	double m, var;

	(void)state;
	st_meanvar(v, 4, &m, &var);
	assert_true(fabs(m - (1e9 + 2.5)) < 1e-6);
	/* Two passes: exact where one pass would cancel. */
	assert_true(fabs(var - 5.0 / 3) < 1e-9);
	st_meanvar(v, 1, &m, &var);
	assert_true(m == 1e9 + 1 && var == 0);
	st_meanvar(v, 0, &m, &var);
	assert_true(isnan(m) && var == 0);
}

static void
test_spawn(void **state)
{
	char *const sh[] = { "/bin/sh", "-c",
	    "echo out; echo err >&2; pwd; exit 3", NULL };
	char *const sig[] = { "/bin/sh", "-c", "kill -TERM $$", NULL };
	char *const none[] = { "/nonexistent/prog", NULL };
	struct spawn_opts o = { "/", NULL, SPAWN_NULL, SPAWN_PIPE,
	    SPAWN_TO_OUT, 1, 1 };
	char *out, *err, buf[256];
	int rd[2];
	ssize_t n;
	size_t k = 0;
	pid_t pid;

	(void)state;
	assert_int_equal(spawn(sh, "/", &out, -1, &err), 3);
	assert_string_equal(out, "out\n/\n");
	assert_string_equal(err, "err\n");
	free(out);
	free(err);
	assert_int_equal(spawn(sig, NULL, NULL, -1, NULL), 128 + 15);
	assert_int_equal(spawn(none, NULL, NULL, -1, &err), 127);
	assert_non_null(strstr(err, "/nonexistent/prog"));
	free(err);
	/* Both streams into one pipe, in a group of its own. */
	assert_true((pid = spawn_start(sh, &o, rd)) > 0);
	assert_int_equal(rd[1], -1);
	while (k + 1 < sizeof(buf) && (n = read(rd[0], buf + k,
	    sizeof(buf) - 1 - k)) > 0)
		k += (size_t)n;
	buf[k] = '\0';
	close(rd[0]);
	assert_int_equal(getpgid(pid), pid);
	assert_int_equal(spawn_wait(pid), 3);
	assert_string_equal(buf, "out\nerr\n/\n");
}

/* UTF-8, as PostgreSQL's UTF8 encoding takes it. */
static void
test_utf8(void **state)
{
	(void)state;
	assert_true(kb_utf8_valid(""));
	assert_true(kb_utf8_valid("plain ascii"));
	assert_true(kb_utf8_valid("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7"));
	assert_true(kb_utf8_valid("\xf4\x8f\xbf\xbf"));	/* U+10FFFF */
	assert_false(kb_utf8_valid("k\xffx"));
	assert_false(kb_utf8_valid("\xc3"));			/* cut */
	assert_false(kb_utf8_valid("\xc0\xaf"));		/* overlong / */
	assert_false(kb_utf8_valid("\xe0\x80\xaf"));		/* overlong */
	assert_false(kb_utf8_valid("\xed\xa0\x80"));		/* surrogate */
	assert_false(kb_utf8_valid("\xf4\x90\x80\x80"));	/* > U+10FFFF */
	assert_false(kb_utf8_valid("\x80"));			/* lone tail */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label),
		cmocka_unit_test(test_mail),
		cmocka_unit_test(test_agent),
		cmocka_unit_test(test_meanvar),
		cmocka_unit_test(test_spawn),
		cmocka_unit_test(test_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
