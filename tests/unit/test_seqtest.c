/*
 * test_seqtest.c: the sequential tests behind --until-verdict and
 * bisect, simulated with a seeded generator: error rates at most what
 * docs/statistics.md promises, and the power it claims.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "unit.h"
#include "seqtest.h"

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

static void
draw(gsl_rng *r, double *v, size_t n, double mu, double sd)
{
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = mu * (1 + gsl_ran_gaussian(r, sd));
}

/* Bisect's question: 5% apart, 1.5% noise, endpoints of 5 samples. */
static void
test_sprt(void **state)
{
	struct sq_sprt s;
	struct sq_sprt_out o;
	double g[5], b[5], x[32];
	char err[128];
	gsl_rng *r;
	int i, side, n, wrong = 0, used = 0, sims = 1000;

	r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 42);
	for (i = 0; i < sims; i++) {
		draw(r, g, 5, 1.0, 0.015);
		draw(r, b, 5, 1.05, 0.015);
		if (sq_sprt_init(&s, g, 5, b, 5, err, sizeof(err)) == -1)
			continue;	/* the endpoints did not separate */
		side = i % 2;
		for (n = 1; n <= s.max_n; n++) {
			draw(r, x + n - 1, 1, side ? 1.05 : 1.0, 0.015);
			sq_sprt_classify(&s, x, (size_t)n, g, 5, b, 5, &o);
			if (o.cls != SQ_UNDECIDED)
				break;
		}
		used += n;
		if (o.cls != (side ? SQ_BAD : SQ_GOOD))
			wrong++;
	}
	printf("SPRT 5%% apart, sd 1.5%%: %d wrong of %d, %.2f samples "
	    "on average\n", wrong, sims, (double)used / sims);
	assert_true(wrong <= sims * 0.02);

	/* One wild outlier among three good samples: still good. */
	g[0] = 1.00; g[1] = 1.01; g[2] = 0.99; g[3] = 1.0; g[4] = 1.005;
	b[0] = 1.05; b[1] = 1.06; b[2] = 1.04; b[3] = 1.05; b[4] = 1.055;
	assert_int_equal(sq_sprt_init(&s, g, 5, b, 5, err, sizeof(err)), 0);
	x[0] = 1.40; x[1] = 1.0; x[2] = 1.002;
	sq_sprt_classify(&s, x, 3, g, 5, b, 5, &o);
	assert_int_equal(o.cls, SQ_GOOD);
	/* Endpoints that do not differ: refused. */
	assert_int_equal(sq_sprt_init(&s, g, 5, g, 5, err, sizeof(err)), -1);
	gsl_rng_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_welch),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_aa_error),
		cmocka_unit_test(test_power),
		cmocka_unit_test(test_sprt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
