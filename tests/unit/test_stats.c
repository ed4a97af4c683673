/*
 * test_stats.c: the statistics behind kbench compare.
 */
#include <math.h>
#include <stdlib.h>

#include "unit.h"
#include "stats/stats.h"

#define NEAR(x, y, tol)	assert_true(fabs((x) - (y)) <= (tol))
#define REL(x, y, tol)	assert_true(fabs((x) - (y)) <= (tol) * fabs(y))

/*
 * ministat's Student's t table, as its source has it (row 0: df > 100),
 * used here only as the oracle kbench's GSL quantiles must reproduce.
 */
static const double ms_table[101][6] = {
	{ 1.282, 1.645, 1.960, 2.326, 2.576, 3.090 },
	{ 3.078, 6.314, 12.706, 31.821, 63.657, 318.313 },
	{ 1.886, 2.920, 4.303, 6.965, 9.925, 22.327 },
	{ 1.638, 2.353, 3.182, 4.541, 5.841, 10.215 },
	{ 1.533, 2.132, 2.776, 3.747, 4.604, 7.173 },
	{ 1.476, 2.015, 2.571, 3.365, 4.032, 5.893 },
	{ 1.440, 1.943, 2.447, 3.143, 3.707, 5.208 },
	{ 1.415, 1.895, 2.365, 2.998, 3.499, 4.782 },
	{ 1.397, 1.860, 2.306, 2.896, 3.355, 4.499 },
	{ 1.383, 1.833, 2.262, 2.821, 3.250, 4.296 },
	{ 1.372, 1.812, 2.228, 2.764, 3.169, 4.143 },
	{ 1.363, 1.796, 2.201, 2.718, 3.106, 4.024 },
	{ 1.356, 1.782, 2.179, 2.681, 3.055, 3.929 },
	{ 1.350, 1.771, 2.160, 2.650, 3.012, 3.852 },
	{ 1.345, 1.761, 2.145, 2.624, 2.977, 3.787 },
	{ 1.341, 1.753, 2.131, 2.602, 2.947, 3.733 },
	{ 1.337, 1.746, 2.120, 2.583, 2.921, 3.686 },
	{ 1.333, 1.740, 2.110, 2.567, 2.898, 3.646 },
	{ 1.330, 1.734, 2.101, 2.552, 2.878, 3.610 },
	{ 1.328, 1.729, 2.093, 2.539, 2.861, 3.579 },
	{ 1.325, 1.725, 2.086, 2.528, 2.845, 3.552 },
	{ 1.323, 1.721, 2.080, 2.518, 2.831, 3.527 },
	{ 1.321, 1.717, 2.074, 2.508, 2.819, 3.505 },
	{ 1.319, 1.714, 2.069, 2.500, 2.807, 3.485 },
	{ 1.318, 1.711, 2.064, 2.492, 2.797, 3.467 },
	{ 1.316, 1.708, 2.060, 2.485, 2.787, 3.450 },
	{ 1.315, 1.706, 2.056, 2.479, 2.779, 3.435 },
	{ 1.314, 1.703, 2.052, 2.473, 2.771, 3.421 },
	{ 1.313, 1.701, 2.048, 2.467, 2.763, 3.408 },
	{ 1.311, 1.699, 2.045, 2.462, 2.756, 3.396 },
	{ 1.310, 1.697, 2.042, 2.457, 2.750, 3.385 },
	{ 1.309, 1.696, 2.040, 2.453, 2.744, 3.375 },
	{ 1.309, 1.694, 2.037, 2.449, 2.738, 3.365 },
	{ 1.308, 1.692, 2.035, 2.445, 2.733, 3.356 },
	{ 1.307, 1.691, 2.032, 2.441, 2.728, 3.348 },
	{ 1.306, 1.690, 2.030, 2.438, 2.724, 3.340 },
	{ 1.306, 1.688, 2.028, 2.434, 2.719, 3.333 },
	{ 1.305, 1.687, 2.026, 2.431, 2.715, 3.326 },
	{ 1.304, 1.686, 2.024, 2.429, 2.712, 3.319 },
	{ 1.304, 1.685, 2.023, 2.426, 2.708, 3.313 },
	{ 1.303, 1.684, 2.021, 2.423, 2.704, 3.307 },
	{ 1.303, 1.683, 2.020, 2.421, 2.701, 3.301 },
	{ 1.302, 1.682, 2.018, 2.418, 2.698, 3.296 },
	{ 1.302, 1.681, 2.017, 2.416, 2.695, 3.291 },
	{ 1.301, 1.680, 2.015, 2.414, 2.692, 3.286 },
	{ 1.301, 1.679, 2.014, 2.412, 2.690, 3.281 },
	{ 1.300, 1.679, 2.013, 2.410, 2.687, 3.277 },
	{ 1.300, 1.678, 2.012, 2.408, 2.685, 3.273 },
	{ 1.299, 1.677, 2.011, 2.407, 2.682, 3.269 },
	{ 1.299, 1.677, 2.010, 2.405, 2.680, 3.265 },
	{ 1.299, 1.676, 2.009, 2.403, 2.678, 3.261 },
	{ 1.298, 1.675, 2.008, 2.402, 2.676, 3.258 },
	{ 1.298, 1.675, 2.007, 2.400, 2.674, 3.255 },
	{ 1.298, 1.674, 2.006, 2.399, 2.672, 3.251 },
	{ 1.297, 1.674, 2.005, 2.397, 2.670, 3.248 },
	{ 1.297, 1.673, 2.004, 2.396, 2.668, 3.245 },
	{ 1.297, 1.673, 2.003, 2.395, 2.667, 3.242 },
	{ 1.297, 1.672, 2.002, 2.394, 2.665, 3.239 },
	{ 1.296, 1.672, 2.002, 2.392, 2.663, 3.237 },
	{ 1.296, 1.671, 2.001, 2.391, 2.662, 3.234 },
	{ 1.296, 1.671, 2.000, 2.390, 2.660, 3.232 },
	{ 1.296, 1.670, 2.000, 2.389, 2.659, 3.229 },
	{ 1.295, 1.670, 1.999, 2.388, 2.657, 3.227 },
	{ 1.295, 1.669, 1.998, 2.387, 2.656, 3.225 },
	{ 1.295, 1.669, 1.998, 2.386, 2.655, 3.223 },
	{ 1.295, 1.669, 1.997, 2.385, 2.654, 3.220 },
	{ 1.295, 1.668, 1.997, 2.384, 2.652, 3.218 },
	{ 1.294, 1.668, 1.996, 2.383, 2.651, 3.216 },
	{ 1.294, 1.668, 1.995, 2.382, 2.650, 3.214 },
	{ 1.294, 1.667, 1.995, 2.382, 2.649, 3.213 },
	{ 1.294, 1.667, 1.994, 2.381, 2.648, 3.211 },
	{ 1.294, 1.667, 1.994, 2.380, 2.647, 3.209 },
	{ 1.293, 1.666, 1.993, 2.379, 2.646, 3.207 },
	{ 1.293, 1.666, 1.993, 2.379, 2.645, 3.206 },
	{ 1.293, 1.666, 1.993, 2.378, 2.644, 3.204 },
	{ 1.293, 1.665, 1.992, 2.377, 2.643, 3.202 },
	{ 1.293, 1.665, 1.992, 2.376, 2.642, 3.201 },
	{ 1.293, 1.665, 1.991, 2.376, 2.641, 3.199 },
	{ 1.292, 1.665, 1.991, 2.375, 2.640, 3.198 },
	{ 1.292, 1.664, 1.990, 2.374, 2.640, 3.197 },
	{ 1.292, 1.664, 1.990, 2.374, 2.639, 3.195 },
	{ 1.292, 1.664, 1.990, 2.373, 2.638, 3.194 },
	{ 1.292, 1.664, 1.989, 2.373, 2.637, 3.193 },
	{ 1.292, 1.663, 1.989, 2.372, 2.636, 3.191 },
	{ 1.292, 1.663, 1.989, 2.372, 2.636, 3.190 },
	{ 1.292, 1.663, 1.988, 2.371, 2.635, 3.189 },
	{ 1.291, 1.663, 1.988, 2.370, 2.634, 3.188 },
	{ 1.291, 1.663, 1.988, 2.370, 2.634, 3.187 },
	{ 1.291, 1.662, 1.987, 2.369, 2.633, 3.185 },
	{ 1.291, 1.662, 1.987, 2.369, 2.632, 3.184 },
	{ 1.291, 1.662, 1.987, 2.368, 2.632, 3.183 },
	{ 1.291, 1.662, 1.986, 2.368, 2.631, 3.182 },
	{ 1.291, 1.662, 1.986, 2.368, 2.630, 3.181 },
	{ 1.291, 1.661, 1.986, 2.367, 2.630, 3.180 },
	{ 1.291, 1.661, 1.986, 2.367, 2.629, 3.179 },
	{ 1.291, 1.661, 1.985, 2.366, 2.629, 3.178 },
	{ 1.290, 1.661, 1.985, 2.366, 2.628, 3.177 },
	{ 1.290, 1.661, 1.985, 2.365, 2.627, 3.176 },
	{ 1.290, 1.661, 1.984, 2.365, 2.627, 3.175 },
	{ 1.290, 1.660, 1.984, 2.365, 2.626, 3.175 },
	{ 1.290, 1.660, 1.984, 2.364, 2.626, 3.174 }
};
static const double confs[6] = { 80, 90, 95, 98, 99, 99.5 };

static void
test_summary(void **state)
{
	const double even[] = { 4, 1, 3, 2 };
	const double odd[] = { 5, 1, 3 };
	const double one[] = { 7 };
	struct st_summary s;

	st_summarize(even, 4, &s);
	assert_int_equal(s.n, 4);
	assert_true(s.min == 1 && s.max == 4);
	assert_true(s.median == 2.5);	/* mean of the middle two */
	assert_true(s.mean == 2.5);
	NEAR(s.stddev, 1.2909944487358056, 1e-15);
	st_summarize(odd, 3, &s);
	assert_true(s.median == 3 && s.mean == 3 && s.stddev == 2);
	st_summarize(one, 1, &s);
	assert_true(s.n == 1 && s.median == 7 && isnan(s.stddev));
}

/* Large offset: exact where ministat's one-pass variance is not. */
static void
test_summary_offset(void **state)
{
	const double v[] = { 1000000.001, 1000000.002, 1000000.003 };
	struct st_summary s;

	/*
	 * ministat's one-pass variance cancels to nothing here (Debian's
	 * ministat prints 0); kbench prints the accurate value instead.
	 */
	st_summarize(v, 3, &s);
	REL(s.stddev, 0.001, 1e-6);
	REL(s.mean, 1000000.002, 1e-12);
}

/* ministat's t: every level, df 2..200, against its table. */
static void
test_t_quantiles(void **state)
{
	double a[2] = { 1, 2 }, *b;
	struct st_compare c;
	int ci, df, i;

	b = calloc(200, sizeof(*b));
	for (i = 0; i < 200; i++)
		b[i] = i % 7;
	for (ci = 0; ci < 6; ci++)
		for (df = 2; df <= 200; df++) {
			/* na = 2, nb = df: df = na + nb - 2 */
			assert_int_equal(st_compare(a, 2, b, (size_t)df,
			    confs[ci], 1, &c), 0);
			if (c.t != ms_table[df > 100 ? 0 : df][ci])
				fail_msg("conf %g df %d: t %.3f, ministat "
				    "%.3f", confs[ci], df, c.t,
				    ms_table[df > 100 ? 0 : df][ci]);
		}
	free(b);
}

static void
test_confidence(void **state)
{
	const double a[] = { 1, 2, 3 };
	struct st_compare c;

	assert_true(st_confidence_ok(95));
	assert_true(st_confidence_ok(99.5));
	assert_false(st_confidence_ok(97));
	assert_int_equal(st_compare(a, 3, a, 3, 97, 1, &c), -1);
}

/* ministat's Difference block for its own kind of data. */
static void
test_ministat_relative(void **state)
{
	const double a[] = { 1, 2, 3, 4 }, b[] = { 3, 4, 5, 6, 7, 8 };
	struct st_compare c;

	assert_int_equal(st_compare(a, 4, b, 6, 95, 1, &c), 0);
	assert_true(c.proven);
	assert_true(c.t == 2.306);
	NEAR(c.diff, 3, 1e-12);
	/* ministat: 3 +/- 2.49632, 120% +/- 99.8527%, pooled s 1.67705 */
	NEAR(c.diff_ci, 2.49632, 5e-6);
	NEAR(c.diff_pct, 120, 1e-9);
	NEAR(c.diff_pct_ci, 99.8527, 5e-5);
	NEAR(c.pooled_s, 1.67705, 5e-6);
}

/*
 * p-values.  Oracles: df = 2 has the closed form p = 1 - t/sqrt(t^2+2);
 * the others were computed with Python's standard library (Simpson's
 * rule over the t density, statistics.NormalDist), and the exact
 * Mann-Whitney values count orderings by hand.
 */
static void
test_p_values(void **state)
{
	const double a1[] = { 1, 3 }, b1[] = { 4, 6 };
	const double a2[] = { 1, 2, 3 }, b2[] = { 10, 20, 30 };
	const double a3[] = { 10.1, 10.4, 9.8, 10.0, 10.3, 9.9, 10.2 };
	const double b3[] = { 10.5, 10.2, 10.9, 10.4, 10.6, 10.8 };
	const double a4[] = { 1, 2, 3, 4 }, b4[] = { 5, 6, 7, 8 };
	const double a5[] = { 1, 2, 2, 3, 4, 4 };
	const double b5[] = { 3, 4, 5, 5, 6, 7, 7 };
	const double a6[] = { 1, 2, 4, 7 }, b6[] = { 3, 5, 6, 8, 9 };
	struct st_compare c;
	double t;

	assert_int_equal(st_compare(a1, 2, b1, 2, 95, 1, &c), 0);
	t = 3 / sqrt(2.0);
	NEAR(c.p_student, 1 - t / sqrt(t * t + 2), 1e-9);
	NEAR(c.p_welch, 1 - t / sqrt(t * t + 2), 1e-9);

	assert_int_equal(st_compare(a2, 3, b2, 3, 95, 1, &c), 0);
	NEAR(c.p_student, 0.03614327805327078, 1e-8);
	NEAR(c.p_welch, 0.08787460158675786, 1e-8);	/* df 2.04 */
	NEAR(c.p_mwu, 0.1, 1e-12);		/* exact: 2 / C(6,3) */

	assert_int_equal(st_compare(a3, 7, b3, 6, 95, 1, &c), 0);
	NEAR(c.p_student, 0.004533838410070046, 1e-8);
	NEAR(c.p_welch, 0.00586191527061608, 1e-8);

	assert_int_equal(st_compare(a4, 4, b4, 4, 95, 1, &c), 0);
	NEAR(c.p_mwu, 2.0 / 70, 1e-12);		/* exact: 2 / C(8,4) */

	/* Exact, U = 4 of 20: P(U <= 4) = 12 / 126 by enumeration. */
	assert_int_equal(st_compare(a6, 4, b6, 5, 95, 1, &c), 0);
	NEAR(c.p_mwu, 2 * 12.0 / 126, 1e-12);

	/* Ties: normal approximation, tie and continuity corrected. */
	assert_int_equal(st_compare(a5, 6, b5, 7, 95, 1, &c), 0);
	NEAR(c.p_mwu, 0.014060768961122072, 1e-9);

	/* Everything tied. */
	assert_int_equal(st_compare(a1, 2, a1, 2, 95, 1, &c), 0);
	NEAR(c.p_student, 1, 1e-12);
	NEAR(c.p_mwu, 1, 1e-12);
}

static void
test_verdicts(void **state)
{
	const double base[] = { 100.1, 99.9, 100.0, 100.2, 99.8 };
	const double slow[] = { 110.1, 109.9, 110.0, 110.2, 109.8 };
	const double fast[] = { 90.1, 89.9, 90.0, 90.2, 89.8 };
	const double same[] = { 100.0, 100.1, 99.9, 100.05, 99.95 };
	const double noisy_a[] = { 100, 95, 104, 99, 102 };
	const double noisy_b[] = { 103, 97, 106, 101, 99 };
	const double one[] = { 100 };
	struct st_compare c;

	assert_int_equal(st_compare(base, 5, slow, 5, 95, 1, &c), 0);
	assert_int_equal(c.verdict, ST_REGRESSION);
	assert_string_equal(st_verdict_name(c.verdict), "regression");
	NEAR(c.diff_pct, 10, 1e-9);
	assert_int_equal(c.more_runs, 0);

	assert_int_equal(st_compare(base, 5, fast, 5, 95, 1, &c), 0);
	assert_int_equal(c.verdict, ST_IMPROVEMENT);

	/* Proven but below the threshold, CI inside it: no change. */
	assert_int_equal(st_compare(base, 5, slow, 5, 95, 20, &c), 0);
	assert_int_equal(c.verdict, ST_NOCHANGE);

	assert_int_equal(st_compare(base, 5, same, 5, 95, 1, &c), 0);
	assert_int_equal(c.verdict, ST_NOCHANGE);
	assert_string_equal(st_verdict_name(c.verdict), "no-change");

	assert_int_equal(st_compare(noisy_a, 5, noisy_b, 5, 95, 1, &c), 0);
	assert_int_equal(c.verdict, ST_INCONCLUSIVE);
	assert_true(c.more_runs > 0);

	assert_int_equal(st_compare(one, 1, base, 5, 95, 1, &c), 0);
	assert_int_equal(c.verdict, ST_INSUFFICIENT);
}

/* From summaries: the same verdicts, difference and interval. */
static void
test_verdicts_summary(void **state)
{
	const double base[] = { 100.1, 99.9, 100.0, 100.2, 99.8 };
	const double slow[] = { 110.1, 109.9, 110.0, 110.2, 109.8 };
	const double same[] = { 100.0, 100.1, 99.9, 100.05, 99.95 };
	const double noisy_a[] = { 100, 95, 104, 99, 102 };
	const double noisy_b[] = { 103, 97, 106, 101, 99 };
	const double *sets[][2] = { { base, slow }, { slow, base },
	    { base, same }, { noisy_a, noisy_b } };
	struct st_compare c, d;
	size_t i;

	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		assert_int_equal(st_compare(sets[i][0], 5, sets[i][1], 5, 95,
		    1, &c), 0);
		assert_int_equal(st_compare_summary(&c.a, &c.b, 95, 1, &d), 0);
		assert_int_equal(d.verdict, c.verdict);
		REL(d.diff_pct, c.diff_pct, 1e-12);
		REL(d.diff_pct_ci, c.diff_pct_ci, 1e-9);
		REL(d.p_student, c.p_student, 1e-9);
	}
	c.a.n = 1;
	assert_int_equal(st_compare_summary(&c.a, &c.b, 95, 1, &d), 0);
	assert_int_equal(d.verdict, ST_INSUFFICIENT);
	assert_int_equal(st_compare_summary(&c.a, &c.b, 42, 1, &d), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_summary_offset),
		cmocka_unit_test(test_t_quantiles),
		cmocka_unit_test(test_confidence),
		cmocka_unit_test(test_ministat_relative),
		cmocka_unit_test(test_p_values),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_verdicts_summary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
