/*
 * test_bisect.c: bisection's decisions.  Each step is good or bad by
 * the SPRT beside both endpoints (stats/seqtest.c), git bisect picks
 * the next revision from those answers (engine/bisect.c asks it with
 * BISECT_HEAD), and the bisection stops at git's "is the first bad
 * commit" (bisect_first_bad()).  The loop here is bisect_run()'s, on a
 * real git repository of 16 commits, with measurements made up from
 * which commit is checked out.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "lib/util.h"
#include "stats/seqtest.h"
#include "engine/bisect.h"
#include "engine/bisect_git.h"

#define NROUNDS	10

/* A round's time: the level, and a spread the same at every level. */
static double
noisy(double level, int i)
{
	static const double j[NROUNDS] = {
		0.004, -0.003, 0.001, -0.002, 0.003, -0.004, 0.002, 0.0,
		-0.001, 0.002
	};

	return level * (1 + j[i % NROUNDS]);
}

static void
model(struct sq_sprt *s, double good, double bad)
{
	double g[NROUNDS], b[NROUNDS];
	char err[256];
	int i;

	for (i = 0; i < NROUNDS; i++) {
		g[i] = noisy(good, i);
		b[i] = noisy(bad, i + 3);
	}
	assert_int_equal(sq_sprt_init(s, g, b, NROUNDS, err, sizeof(err)), 0);
}

static enum sq_class
judge(const struct sq_sprt *s, double good, double bad, double level,
    size_t n, struct sq_sprt_out *o)
{
	double c[NROUNDS], g[NROUNDS], b[NROUNDS];
	size_t i;

	for (i = 0; i < n; i++) {
		c[i] = noisy(level, (int)i + 5);
		g[i] = noisy(good, (int)i + 1);
		b[i] = noisy(bad, (int)i + 7);
	}
	sq_sprt_classify(s, c, g, b, n, o);
	return o->cls;
}

static void
test_classify(void **state)
{
	struct sq_sprt s;
	struct sq_sprt_out o;
	double g[NROUNDS];
	char err[256];
	int i;

	(void)state;
	model(&s, 100, 110);
	assert_true(fabs(s.delta - log(1.1)) < 0.01);
	/* At the good level: good; at the bad one: bad. */
	assert_int_equal(judge(&s, 100, 110, 100, NROUNDS, &o), SQ_GOOD);
	assert_int_equal(judge(&s, 100, 110, 110, NROUNDS, &o), SQ_BAD);
	assert_int_equal(judge(&s, 100, 110, 111, NROUNDS, &o), SQ_BAD);
	/* Fewer rounds than min_n: no decision yet, however clear. */
	assert_int_equal(judge(&s, 100, 110, 110, 2, &o), SQ_UNDECIDED);
	/*
	 * Halfway, at max_n: the sign decides (the nearer endpoint);
	 * just below half is good.
	 */
	s.max_n = 4;
	s.hard_n = 4;
	assert_int_equal(judge(&s, 100, 110, 105, 4, &o), SQ_GOOD);
	assert_true(o.at_cap);
	assert_true(o.llr < 0);
	/* The same rounds before the cap: not decided yet. */
	s.max_n = s.hard_n = 15;
	assert_int_equal(judge(&s, 100, 110, 105, 4, &o), SQ_UNDECIDED);
	/* Further from the middle the test decides before the cap. */
	s.max_n = s.hard_n = 4;
	assert_int_equal(judge(&s, 100, 110, 104.8, 4, &o), SQ_GOOD);
	assert_false(o.at_cap);
	/* Endpoints that do not differ give no model. */
	for (i = 0; i < NROUNDS; i++)
		g[i] = noisy(100, i);
	assert_int_equal(sq_sprt_init(&s, g, g, NROUNDS, err, sizeof(err)),
	    -1);
	assert_true(err[0] != '\0');
}

static void
test_first_bad(void **state)
{
	char sha[41];

	(void)state;
	assert_int_equal(bisect_first_bad("Bisecting: 3 revisions left to "
	    "test after this (roughly 2 steps)\n[0123] c4", sha, sizeof(sha)),
	    0);
	assert_int_equal(bisect_first_bad(
	    "0123456789abcdef0123456789abcdef01234567 is the first bad "
	    "commit\ncommit 0123456789abcdef0123456789abcdef01234567\n",
	    sha, sizeof(sha)), 1);
	assert_string_equal(sha, "0123456789abcdef0123456789abcdef01234567");
	/* Not at the start of the output: the line it is on. */
	assert_int_equal(bisect_first_bad("x\n"
	    "fedcba9876543210fedcba9876543210fedcba98 is the first bad commit",
	    sha, sizeof(sha)), 1);
	assert_string_equal(sha, "fedcba9876543210fedcba9876543210fedcba98");
}

static int
sh(const char *dir, const char *cmd)
{
	char *c = kb_asprintf("cd '%s' && { %s; } >/dev/null 2>&1", dir, cmd);
	int st = system(c);

	free(c);
	return st;
}

/* The commit number of rev: its subject is "c<N>". */
static int
commit_no(const char *dir, const char *rev)
{
	char out[64];

	assert_int_equal(bisect_git(dir, NULL, out, sizeof(out), "log", "-1",
	    "--format=%s", rev, NULL), 0);
	assert_int_equal(out[0], 'c');
	return atoi(out + 1);
}

static void
test_loop(void **state)
{
	struct sq_sprt s;
	struct sq_sprt_out o;
	char dir[] = "/tmp/kbench-test-bisect.XXXXXX";
	char out[4096], next[64], sha[41], tested[128], *t;
	const char *what;
	int k, steps = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(sh(dir, "git init -q . && "
	    "git config user.email t@t && git config user.name t && "
	    "for i in $(seq 0 15); do echo $i >f; git add f; "
	    "git commit -qm c$i; git tag c$i; done"), 0);
	/* Commit c11 made it 10% slower. */
	model(&s, 100, 110);
	assert_int_equal(bisect_git(dir, NULL, out, sizeof(out), "bisect",
	    "start", "--no-checkout", "c15", "c0", NULL), 0);
	tested[0] = '\0';
	while (!bisect_first_bad(out, sha, sizeof(sha))) {
		assert_true(steps++ < 8);
		assert_int_equal(bisect_git(dir, NULL, next, sizeof(next),
		    "rev-parse", "BISECT_HEAD", NULL), 0);
		k = commit_no(dir, next);
		t = kb_asprintf("%s%s%d", tested, tested[0] ? " " : "", k);
		snprintf(tested, sizeof(tested), "%s", t);
		free(t);
		what = sq_class_name(judge(&s, 100, 110, k >= 11 ? 110 : 100,
		    NROUNDS, &o));
		out[0] = '\0';
		assert_int_equal(bisect_git(dir, NULL, out, sizeof(out),
		    "bisect", what, next, NULL), 0);
	}
	/* Halving 15 commits: 4 steps, each the midpoint git picks. */
	assert_string_equal(tested, "7 11 9 10");
	assert_int_equal(commit_no(dir, sha), 11);
	sh(dir, "git bisect reset");
	t = kb_asprintf("rm -rf '%s'", dir);
	assert_int_equal(system(t), 0);
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_first_bad),
		cmocka_unit_test(test_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
