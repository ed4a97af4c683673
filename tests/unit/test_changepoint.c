/*
 * test_changepoint.c: E-divisive means: the O(n log n) statistic equals
 * the textbook O(n^2) one, steps are found where they are, flat noise
 * gives no change point at about the documented rate, the same data
 * gives the same answer, and 10,000 points take well under a second.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "unit.h"
#include "stats/changepoint.h"

/* Matteson and James's Q for the split at t, straight from the sums. */
static double
q_brute(const double *x, size_t n, size_t t)
{
	double sxy = 0, sx = 0, sy = 0, m = (double)t, k = (double)(n - t);
	size_t i, j;

	for (i = 0; i < t; i++)
		for (j = t; j < n; j++)
			sxy += fabs(x[i] - x[j]);
	for (i = 0; i < t; i++)
		for (j = i + 1; j < t; j++)
			sx += fabs(x[i] - x[j]);
	for (i = t; i < n; i++)
		for (j = i + 1; j < n; j++)
			sy += fabs(x[i] - x[j]);
	return m * k / (m + k) * (2 * sxy / (m * k) - sx / (m * (m - 1) / 2) -
	    sy / (k * (k - 1) / 2));
}

static void
test_statistic(void **state)
{
	double x[40], q, bq = -1;
	size_t n = 40, t, at, bat = 0;
	gsl_rng *r;

	r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 1);
	for (t = 0; t < n; t++)
		x[t] = (t >= 25 ? 1.3 : 1) + gsl_ran_gaussian(r, 0.2);
	x[7] = x[3];	/* a tie */
	gsl_rng_free(r);
	for (t = 3; t <= n - 3; t++) {
		q = q_brute(x, n, t);
		if (q > bq) {
			bq = q;
			bat = t;
		}
	}
	q = cp_best_split(x, n, 3, &at);
	assert_int_equal(at, bat);
	assert_true(fabs(q - bq) <= 1e-9 * fabs(bq));
	assert_true(cp_best_split(x, 5, 3, &at) < 0);
}

static void
series(gsl_rng *r, double *x, size_t n, size_t step, double size, double sd)
{
	size_t i;

	for (i = 0; i < n; i++)
		x[i] = (i >= step ? 1 + size : 1) * (1 + gsl_ran_gaussian(r, sd));
}

static void
test_steps(void **state)
{
	struct cp_opts o;
	struct cp_found *f, *g;
	double x[300];
	gsl_rng *r;
	int n, i;

	cp_opts_default(&o);
	r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 2);
	/* One 3% step in 1% noise at 200 of 300. */
	series(r, x, 300, 200, 0.03, 0.01);
	n = cp_edivisive(x, 300, &o, &f);
	assert_int_equal(n, 1);
	assert_true(f[0].at >= 199 && f[0].at <= 201);
	assert_true(f[0].p <= o.alpha);
	/* The same data, the same answer. */
	assert_int_equal(cp_edivisive(x, 300, &o, &g), 1);
	assert_int_equal(g[0].at, f[0].at);
	assert_true(g[0].p == f[0].p);
	free(f);
	free(g);
	/* Two steps: up at 100, down at 220. */
	for (i = 220; i < 300; i++)
		x[i] /= 1.03 * 1.05;
	for (i = 100; i < 200; i++)
		x[i] *= 1.03;
	n = cp_edivisive(x, 300, &o, &f);
	assert_int_equal(n, 2);
	assert_true(f[0].at >= 98 && f[0].at <= 102);
	assert_true(f[1].at >= 218 && f[1].at <= 222);
	free(f);
	gsl_rng_free(r);
}

static void
test_flat(void **state)
{
	struct cp_opts o;
	struct cp_found *f;
	double x[1000];
	gsl_rng *r;
	int seed, alarms = 0, seeds = 20;

	cp_opts_default(&o);
	r = gsl_rng_alloc(gsl_rng_mt19937);
	for (seed = 1; seed <= seeds; seed++) {
		gsl_rng_set(r, (unsigned long)seed * 7919);
		series(r, x, 1000, 1000, 0, 0.02);
		alarms += cp_edivisive(x, 1000, &o, &f);
		free(f);
	}
	gsl_rng_free(r);
	printf("flat series of 1000 points: %d false alarms in %d series\n",
	    alarms, seeds);
	/* alpha 0.01 per series: more than 2 in 20 would be odd. */
	assert_true(alarms <= 2);
}

static void
test_speed(void **state)
{
	struct cp_opts o;
	struct cp_found *f;
	struct timespec t0, t1;
	double *x, s;
	gsl_rng *r;
	int n;

	cp_opts_default(&o);
	x = malloc(10000 * sizeof(*x));
	r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 3);
	series(r, x, 10000, 7000, 0.02, 0.01);
	gsl_rng_free(r);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	n = cp_edivisive(x, 10000, &o, &f);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("10,000 points, one 2%% step: %d change point(s) in %.3f s "
	    "(sanitizer build)\n", n, s);
	assert_int_equal(n, 1);
	assert_true(f[0].at >= 6995 && f[0].at <= 7005);
	free(f);
	free(x);
}

static void
test_options(void **state)
{
	struct cp_opts o;
	struct cp_found *f;
	double x[10] = { 0 };

	cp_opts_default(&o);
	o.alpha = 0.001;	/* below 1/(199+1): unreachable */
	assert_int_equal(cp_edivisive(x, 10, &o, &f), -1);
	cp_opts_default(&o);
	assert_int_equal(cp_edivisive(x, 10, &o, &f), 0);
	free(f);
	assert_int_equal(cp_edivisive(x, 0, &o, &f), 0);
	free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_statistic),
		cmocka_unit_test(test_steps),
		cmocka_unit_test(test_flat),
		cmocka_unit_test(test_speed),
		cmocka_unit_test(test_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
