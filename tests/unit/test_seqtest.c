/*
 * test_seqtest.c: the sequential tests behind --until-verdict and
 * bisect, simulated with a seeded generator: error rates at most what
 * docs/statistics.md promises, and the power it claims.
 */
#include <math.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "unit.h"
#include "stats/seqtest.h"

#define NEAR(x, y, tol)	assert_true(fabs((x) - (y)) <= (tol))

static void
test_welch(void **state)
{
	/* R: t.test(b, a): t = 3.4641, df = 4, p = 0.02572 */
	double a[] = { 1, 2, 3 }, b[] = { 4, 5, 6 };
	struct sq_welch w;

	assert_int_equal(sq_welch(a, 3, b, 3, 0.05, &w), 0);
	NEAR(w.t, 3.674235, 1e-5);
	NEAR(w.df, 4, 1e-9);
	NEAR(w.p, 0.02131, 1e-4);
	NEAR(w.diff_pct, 150, 1e-9);
	/* 95% CI of the difference: 3 -/+ 2.776 * 0.8165 */
	NEAR(w.lo_pct, (3 - 2.776445 * sqrt(2.0 / 3)) / 2 * 100, 1e-3);
	assert_int_equal(sq_welch(a, 1, b, 3, 0.05, &w), -1);
}

/* One simulated --until-verdict run; returns the final state. */
static enum sq_state
simulate(gsl_rng *r, const struct sq_plan *p, double shift, double sd,
    int *nused)
{
	double a[64], b[64];
	struct sq_look l;
	int n;

	for (n = 1; n <= p->max_n; n++) {
		a[n - 1] = 1 + gsl_ran_gaussian(r, sd);
		b[n - 1] = (1 + shift) * (1 + gsl_ran_gaussian(r, sd));
		sq_look(p, a, (size_t)n, b, (size_t)n, &l);
		if (l.state != SQ_CONTINUE)
			break;
	}
	*nused = n > p->max_n ? p->max_n : n;
	assert_true(l.state != SQ_CONTINUE);
	return l.state;
}

/*
 * sq_walk() over blocks gives the verdict that looking after every pair
 * gives, at the same look: boots of 2 reps miss the counts 3, 5 and 8.
 */
static void
test_walk(void **state)
{
	struct sq_plan p;
	struct sq_look l, w;
	double a[10], b[10];
	gsl_rng *r;
	int i, n, sim, agree = 0;

	(void)state;
	sq_plan_default(&p);
	r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 7);
	for (sim = 0; sim < 200; sim++) {
		for (i = 0; i < 10; i++) {
			a[i] = 1 + gsl_ran_gaussian(r, 0.03);
			b[i] = (1 + 0.08 * (sim % 2)) *
			    (1 + gsl_ran_gaussian(r, 0.03));
		}
		for (n = 1; n <= 10; n++) {
			sq_look(&p, a, (size_t)n, b, (size_t)n, &l);
			if (l.state != SQ_CONTINUE)
				break;
		}
		/* The walk sees the pairs only in blocks of two. */
		for (n = 2; n <= 10; n += 2) {
			sq_walk(&p, a, b, (size_t)n, &w);
			if (w.state != SQ_CONTINUE)
				break;
		}
		assert_int_equal(w.state, l.state);
		assert_int_equal(w.look, l.look);
		agree += l.state == SQ_REGRESSION;
	}
	gsl_rng_free(r);
	/* Half the runs carry an 8% slowdown at 3% noise: most seen. */
	assert_true(agree > 60);
	/* Before the first look there is nothing to say. */
	sq_walk(&p, a, b, 2, &w);
	assert_int_equal(w.state, SQ_CONTINUE);
	assert_int_equal(w.look, 0);
}

static void
test_fold(void **state)
{
	double v[] = { 3, 1, 2, 5, 4, 9, 7 };

	(void)state;
	assert_int_equal(sq_fold(v, 7, 1), 7);
	assert_int_equal(sq_fold(v, 7, 3), 2);
	NEAR(v[0], 1, 0);
	NEAR(v[1], 4, 0);
	assert_int_equal(sq_fold(v, 2, 3), 0);
}

static void
run_aa(double sd, unsigned long seed, int sims, int *count)
{
	struct sq_plan p;
	gsl_rng *r;
	int i, n;

	sq_plan_default(&p);
	r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, seed);
	for (i = 0; i < 5; i++)
		count[i] = 0;
	for (i = 0; i < sims; i++)
		count[simulate(r, &p, 0, sd, &n)]++;
	gsl_rng_free(r);
	printf("A/A, sd %.1f%%, margin 3%%, n <= 10: %d regression, "
	    "%d improvement, %d no-change, %d inconclusive of %d\n",
	    sd * 100, count[SQ_REGRESSION], count[SQ_IMPROVEMENT],
	    count[SQ_NOCHANGE], count[SQ_CAP], sims);
}

static void
test_aa_error(void **state)
{
	int count[5], sims = 4000;

	/* The documented bound: a false regression at most alpha / 2. */
	run_aa(0.02, 20240607, sims, count);
	assert_true(count[SQ_REGRESSION] <= sims * 0.05 / 2);
	assert_true(count[SQ_IMPROVEMENT] <= sims * 0.05 / 2);
	run_aa(0.05, 11, sims, count);
	assert_true(count[SQ_REGRESSION] <= sims * 0.05 / 2);
	/* With 1% noise no-change is the usual ending within 10 runs. */
	run_aa(0.01, 3, sims, count);
	assert_true(count[SQ_REGRESSION] <= sims * 0.05 / 2);
	assert_true(count[SQ_NOCHANGE] >= sims * 0.9);
}

/*
 * A machine whose speed moves from round to round by sd 5% (both runs
 * of a pair alike), 1% noise within a pair: the later looks' paired
 * ratio sees through it.  A/A ends no-change, a 15% regression is
 * flagged, and the false-regression bound holds.
 */
static void
test_drift(void **state)
{
	struct sq_plan p;
	struct sq_look l;
	double a[10], b[10], lvl;
	gsl_rng *r;
	int n, sim, sims = 2000, nochange = 0, falsereg = 0, hit = 0;

	(void)state;
	sq_plan_default(&p);
	r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 99);
	for (sim = 0; sim < 2 * sims; sim++) {
		for (n = 1; n <= p.max_n; n++) {
			lvl = exp(gsl_ran_gaussian(r, 0.05));
			a[n - 1] = lvl * (1 + gsl_ran_gaussian(r, 0.01));
			b[n - 1] = lvl * (sim < sims ? 1 : 1.15) *
			    (1 + gsl_ran_gaussian(r, 0.01));
			sq_look(&p, a, (size_t)n, b, (size_t)n, &l);
			if (l.state != SQ_CONTINUE)
				break;
		}
		if (sim < sims) {
			nochange += l.state == SQ_NOCHANGE;
			falsereg += l.state == SQ_REGRESSION;
		} else
			hit += l.state == SQ_REGRESSION;
	}
	gsl_rng_free(r);
	printf("drift sd 5%% a round, noise 1%%: A/A no-change %d, false "
	    "regression %d of %d; 15%% regression flagged %d of %d\n",
	    nochange, falsereg, sims, hit, sims);
	assert_true(falsereg <= sims * 0.05 / 2);
	assert_true(nochange >= sims * 0.8);
	assert_true(hit >= sims * 0.95);
}

static void
test_power(void **state)
{
	struct sq_plan p;
	gsl_rng *r;
	int i, n, hit3 = 0, wrong = 0, sims = 2000;

	sq_plan_default(&p);
	r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 7);
	for (i = 0; i < sims; i++) {
		if (simulate(r, &p, 0.15, 0.02, &n) != SQ_REGRESSION)
			wrong++;
		else if (n <= 3)
			hit3++;
	}
	gsl_rng_free(r);
	printf("15%% regression, sd 2%%: %d of %d flagged by 3 runs a side, "
	    "%d missed\n", hit3, sims, wrong);
	assert_true(hit3 >= sims * 0.85);
	assert_int_equal(wrong, 0);
}

/*
 * The reach printed when a run ends inconclusive is the half-width of
 * the first look's Welch interval at that spread: check it against
 * sq_welch_sum() itself, and that a change beyond it is flagged at the
 * first look in most simulated runs, one under half of it in few.
 */
static void
test_reach(void **state)
{
	struct sq_plan p;
	struct sq_welch w;
	gsl_rng *r;
	double reach;
	int i, n, far = 0, near = 0, sims = 2000;
	enum sq_state st;

	sq_plan_default(&p);
	reach = sq_reach_pct(&p, 2);
	assert_int_equal(sq_welch_sum(100, 4, 3, 100, 4, 3, p.alpha / 4,
	    &w), 0);
	assert_true(fabs(reach - w.hi_pct) < 1e-9);
	assert_true(fabs(sq_reach_pct(&p, 6) - 3 * reach) < 1e-9);
	r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 11);
	for (i = 0; i < sims; i++) {
		st = simulate(r, &p, 1.5 * reach / 100, 0.02, &n);
		if (st == SQ_REGRESSION && n == 3)
			far++;
		st = simulate(r, &p, 0.4 * reach / 100, 0.02, &n);
		if (st == SQ_REGRESSION && n == 3)
			near++;
	}
	gsl_rng_free(r);
	printf("reach at 2%% CV: %.2f%%; flagged at look 1: 1.5 x reach in "
	    "%d of %d, 0.4 x reach in %d\n", reach, far, sims, near);
	assert_true(far >= sims * 0.6);
	assert_true(near <= sims * 0.1);
}

static void
test_plan(void **state)
{
	struct sq_plan p;
	char err[128];

	sq_plan_default(&p);
	assert_int_equal(sq_plan_check(&p, err, sizeof(err)), 0);
	p.min_n = 2;
	assert_int_equal(sq_plan_check(&p, err, sizeof(err)), -1);
	sq_plan_default(&p);
	p.alpha = 0.7;
	assert_int_equal(sq_plan_check(&p, err, sizeof(err)), -1);
}

/*
 * A round on a shared machine: the machine's speed that moment (a
 * neighbour's burst slows one round in five by up to 15%, all of its
 * runs alike) times each run's own noise (sd 2%); and in one round in
 * twenty a burst that slows one of its three runs by 30% (hit()).
 */
static double
speed(gsl_rng *r)
{
	return gsl_rng_uniform(r) < 0.2 ? 1 + 0.15 * gsl_rng_uniform(r) : 1;
}

static double
run(gsl_rng *r, double mu, double f)
{
	return mu * f * (1 + gsl_ran_gaussian(r, 0.02));
}

static void
hit(gsl_rng *r, double *c, double *g, double *b)
{
	double *v[3] = { c, g, b };

	if (gsl_rng_uniform(r) < 0.05)
		*v[gsl_rng_uniform_int(r, 3)] *= 1.3;
}

/* Bisect's question: 5% apart, bursts, 10 rounds of the endpoints. */
static void
test_sprt(void **state)
{
	struct sq_sprt s;
	struct sq_sprt_out o;
	double g[64], b[64], c[64], f;
	char err[160];
	gsl_rng *r;
	int i, k, side, n, wrong = 0, used = 0, sims = 1000, refused = 0;

	r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 42);
	for (i = 0; i < sims; i++) {
		for (k = 0; k < 10; k++) {
			f = speed(r);
			g[k] = run(r, 1.0, f);
			b[k] = run(r, 1.05, f);
		}
		if (sq_sprt_init(&s, g, b, 10, err, sizeof(err)) == -1) {
			refused++;
			continue;
		}
		side = i % 2;
		for (n = 1; n <= s.max_n; n++) {
			f = speed(r);
			c[n - 1] = run(r, side ? 1.05 : 1.0, f);
			g[n - 1] = run(r, 1.0, f);
			b[n - 1] = run(r, 1.05, f);
			hit(r, c + n - 1, g + n - 1, b + n - 1);
			sq_sprt_classify(&s, c, g, b, (size_t)n, &o);
			if (o.cls != SQ_UNDECIDED)
				break;
		}
		used += n;
		if (o.cls != (side ? SQ_BAD : SQ_GOOD))
			wrong++;
	}
	printf("SPRT 5%% apart, sd 2%%, bursts of up to 15%% in one round "
	    "of five and of 30%% on one run in one round of twenty: %d "
	    "wrong of %d, %.2f rounds on average, endpoints refused %d "
	    "times\n", wrong, sims - refused,
	    (double)used / (sims - refused), refused);
	assert_true(wrong <= (sims - refused) * 0.02);
	assert_true(refused <= sims * 0.05);

	/* One wild round among three good ones: still good. */
	g[0] = 1.00; g[1] = 1.01; g[2] = 0.99; g[3] = 1.0; g[4] = 1.005;
	b[0] = 1.05; b[1] = 1.06; b[2] = 1.04; b[3] = 1.05; b[4] = 1.055;
	assert_int_equal(sq_sprt_init(&s, g, b, 5, err, sizeof(err)), 0);
	c[0] = 1.40; c[1] = 1.0; c[2] = 1.002;
	sq_sprt_classify(&s, c, g, b, 3, &o);
	assert_int_equal(o.cls, SQ_GOOD);
	/* A round where everything ran 30% slower is no evidence of bad. */
	c[0] = 1.30; g[0] = 1.30; b[0] = 1.365;
	sq_sprt_classify(&s, c, g, b, 3, &o);
	assert_int_equal(o.cls, SQ_GOOD);
	/*
	 * A revision half way between, round after round: no sign at
	 * max_n, since the ratio does not lean; at hard_n the nearer side.
	 */
	assert_int_equal(sq_sprt_init(&s, g, b, 5, err, sizeof(err)), 0);
	s.max_n = 5;
	s.hard_n = 10;
	for (k = 0; k < 10; k++) {
		g[k] = 1.0 + 0.002 * (k % 3);
		b[k] = g[k] * 1.05;
		c[k] = g[k] * sqrt(1.05) * (k % 2 ? 1.0001 : 0.9999);
	}
	sq_sprt_classify(&s, c, g, b, 5, &o);
	assert_int_equal(o.cls, SQ_UNDECIDED);
	sq_sprt_classify(&s, c, g, b, 9, &o);
	assert_int_equal(o.cls, SQ_UNDECIDED);
	sq_sprt_classify(&s, c, g, b, 10, &o);
	assert_int_not_equal(o.cls, SQ_UNDECIDED);
	assert_int_equal(o.at_cap, 1);
	/* One that leans (a bad one, half of its rounds noisy) at max_n. */
	for (k = 0; k < 10; k++)
		c[k] = g[k] * (k % 2 ? 1.05 : 1.03);
	s.hard_n = 5;
	sq_sprt_classify(&s, c, g, b, 5, &o);
	assert_int_equal(o.cls, SQ_BAD);
	/* Endpoints that do not differ: refused. */
	s.hard_n = 15;
	assert_int_equal(sq_sprt_init(&s, g, g, 5, err, sizeof(err)), -1);

	/*
	 * Wald's average rounds: ln 99 / (delta^2 / (2 sd_z^2)); four
	 * times the noise, sixteen times the rounds.
	 */
	memset(&s, 0, sizeof(s));
	s.alpha = s.beta = 0.01;
	s.delta = 0.05;
	s.sd_z = 0.05;
	assert_true(fabs(sq_sprt_rounds(&s) - 2 * log(99.0)) < 1e-9);
	s.sd_z = 0.2;
	assert_true(fabs(sq_sprt_rounds(&s) - 32 * log(99.0)) < 1e-9);
	s.delta = 0;
	assert_true(isinf(sq_sprt_rounds(&s)));
	gsl_rng_free(r);
}

/* Paired: a 3% difference under 10% drift between rounds is found. */
static void
test_paired(void **state)
{
	struct sq_welch w;
	double a[10], b[10], f;
	int i;

	for (i = 0; i < 10; i++) {
		f = 1 + 0.1 * (i % 3);
		a[i] = f * (1 + 0.002 * (i % 2));
		b[i] = f * 1.03 * (1 - 0.002 * (i % 2));
	}
	assert_int_equal(sq_paired(a, b, 10, 0.01, &w), 0);
	assert_true(w.diff_pct > 2.5 && w.diff_pct < 3.5);
	assert_true(w.p < 0.001);
	assert_true(w.lo_pct > 0 && w.hi_pct > w.diff_pct);
	/* Welch, unpaired, cannot see it through the drift. */
	assert_int_equal(sq_welch(a, 10, b, 10, 0.01, &w), 0);
	assert_true(w.p > 0.01);
	/* Not positive: refused. */
	a[3] = 0;
	assert_int_equal(sq_paired(a, b, 10, 0.01, &w), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_welch),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_drift),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_aa_error),
		cmocka_unit_test(test_power),
		cmocka_unit_test(test_reach),
		cmocka_unit_test(test_sprt),
		cmocka_unit_test(test_paired),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
