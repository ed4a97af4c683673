/*
 * stats.c: the two-sample comparison of ministat(1), with its Student's
 * t test, plus Welch's t test, the Mann-Whitney U test and a verdict.
 * Every distribution comes from GSL.
 *
 * What is printed as ministat prints it must be the same numbers that
 * Debian's ministat (20150715) prints for the same data:
 *
 *  - mean is the sum in input order divided by n, as ministat's sy/n.
 *  - the variance is computed in two passes around that mean, not as
 *    ministat's (syy - sy*sy/n)/(n-1): for well-conditioned data the
 *    printed digits agree, and for data with a large offset (1e6 +/-
 *    small) ministat's one-pass formula cancels catastrophically while
 *    this one stays right (tests/integration/20-ministat.sh checks both
 *    against exact rational arithmetic).
 *  - the median of an even count is the mean of the two middle values,
 *    as current ministat; Debian's older build prints the upper one.
 *  - the relative half-width is e * 100 / mean(a), as Debian's build
 *    prints it (newer FreeBSD ministat prints a different "re").
 *  - the t quantile: see st_t_quantile().
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "lib/util.h"
#include "stats/stats.h"

/* ministat's confidence levels and its table's df cut-off. */
static const double conf_levels[] = { 80, 90, 95, 98, 99, 99.5 };
#define NCONF		(sizeof(conf_levels) / sizeof(conf_levels[0]))
#define MS_NSTUDENT	100

/*
 * The upper quantile ministat's table holds for each level.  Its
 * "99.5%" column holds t(0.999), i.e. a two-sided 99.8% interval
 * (its df = infinity entry is 3.090 = z(0.999), not z(0.9975) =
 * 2.807); kbench uses the same quantile so the printed numbers agree,
 * which makes its "99.5%" interval slightly conservative.
 */
static const double conf_quantile[NCONF] = {
	0.90, 0.95, 0.975, 0.99, 0.995, 0.999
};

/*
 * ministat's table was typed by hand and six of its cells are not the
 * 3-decimal rounding of the quantile (all in the 99.5% column).  These
 * are errata, not a distribution table: they exist only so that kbench
 * prints exactly what ministat prints.  GSL rounded to 3 decimals gives
 * every other cell for df 2..100 and the df = infinity row (df = 1,
 * also off in ministat's table, cannot occur: a side needs 2 values);
 * tests/unit/test_stats.c checks every level for df 2..200 against the
 * table.
 */
static const struct {
	int	df;
	double	conf, t;
} ms_errata[] = {
	{ 7, 99.5, 4.782 }, { 8, 99.5, 4.499 }, { 9, 99.5, 4.296 },
	{ 10, 99.5, 4.143 }, { 11, 99.5, 4.024 }, { 12, 99.5, 3.929 },
};

static int
conf_index(double conf)
{
	size_t i;

	for (i = 0; i < NCONF; i++)
		if (conf == conf_levels[i])
			return (int)i;
	return -1;
}

int
st_confidence_ok(double conf)
{
	return conf_index(conf) >= 0;
}

/*
 * The t quantile ministat uses for a two-sided interval at conf with
 * df degrees of freedom: GSL's quantile rounded to 3 decimals, as
 * ministat's table holds it; for df > 100 ministat uses its infinity
 * row, i.e. the normal quantile rounded to 3 decimals.
 */
static double
st_t_quantile(double conf, int df)
{
	double p, t;
	size_t i;
	int ci;

	if ((ci = conf_index(conf)) < 0 || df < 1)
		return NAN;
	p = conf_quantile[ci];
	for (i = 0; i < sizeof(ms_errata) / sizeof(ms_errata[0]); i++)
		if (ms_errata[i].df == df && ms_errata[i].conf == conf)
			return ms_errata[i].t;
	if (df > MS_NSTUDENT)
		t = gsl_cdf_ugaussian_Pinv(p);
	else
		t = gsl_cdf_tdist_Pinv(p, (double)df);
	return round(t * 1000.0) / 1000.0;
}

static int
dblcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Mean (summed in input order, as ministat) and sample variance in two
 * passes, rounding corrected; n < 2 gives variance 0.  The one
 * definition every caller uses.
 */
void
st_meanvar(const double *v, size_t n, double *mean, double *var)
{
	double m = 0, dev, ss, sc;
	size_t i;

	for (i = 0; i < n; i++)
		m += v[i];
	m = n > 0 ? m / (double)n : NAN;
	*mean = m;
	if (n < 2) {
		*var = 0;
		return;
	}
	for (ss = sc = 0, i = 0; i < n; i++) {
		dev = v[i] - m;
		ss += dev * dev;
		sc += dev;
	}
	ss -= sc * sc / (double)n;
	*var = ss > 0 ? ss / (double)(n - 1) : 0;
}

/*
 * The variance as printed.  ministat computes it in one pass,
 * (syy - sy^2/n) / (n - 1); reviewers compare our figures with its
 * output digit by digit, so where that formula is well conditioned we
 * use it and print exactly what ministat prints.  Where it cancels
 * (data far from zero with a tiny spread: sy^2/n is more than 1e6 times
 * the spread term) ministat's digits are rounding noise, and Debian's
 * build even prints -nan; there we print the accurate two-pass value.
 */
static double
ms_variance(const double *v, size_t n)
{
	double sy = 0, syy = 0, q, d;
	size_t i;

	if (n < 2)
		return NAN;
	for (i = 0; i < n; i++) {
		sy += v[i];
		syy += v[i] * v[i];
	}
	q = sy * sy / (double)n;
	d = syy - q;
	if (d <= 0 || q > 1e6 * d) {
		st_meanvar(v, n, &q, &d);
		return d;
	}
	return d / ((double)n - 1.0);
}

void
st_summarize(const double *v, size_t n, struct st_summary *s)
{
	double *sorted, var;

	memset(s, 0, sizeof(*s));
	s->n = n;
	if (n == 0) {
		s->min = s->max = s->median = s->mean = s->stddev = NAN;
		return;
	}
	sorted = kb_reallocarray(NULL, n, sizeof(*sorted));
	memcpy(sorted, v, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), dblcmp);
	s->min = sorted[0];
	s->max = sorted[n - 1];
	if (n % 2 == 0)
		s->median = (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	else
		s->median = sorted[n / 2];
	free(sorted);

	st_meanvar(v, n, &s->mean, &var);
	s->stddev = sqrt(ms_variance(v, n));
}

/* Two-sided p-value of a t statistic. */
static double
p_t(double t, double df)
{
	if (isnan(t) || !(df > 0))
		return NAN;
	if (isinf(t))
		return 0;
	return 2 * gsl_cdf_tdist_Q(fabs(t), df);
}

/*
 * Mann-Whitney U, two-sided.  Exact when there are no ties and the
 * counts table stays small (at most 50 per side): the
 * number of orderings giving each U is counted with the recurrence
 * c(m, n, u) = c(m - 1, n, u - n) + c(m, n - 1, u), and
 * p = 2 min(P(U <= u), P(U >= u)), capped at 1.  Otherwise the normal
 * approximation with the tie-corrected variance
 *   na nb / 12 * ((N + 1) - sum(t^3 - t) / (N (N - 1)))
 * and a continuity correction of 1/2.  All values tied gives p = 1.
 */
struct rank_item {
	double	v;
	int	side;
};

static int
rankcmp(const void *a, const void *b)
{
	const struct rank_item *x = a, *y = b;

	return (x->v > y->v) - (x->v < y->v);
}

static double
mwu_exact(size_t na, size_t nb, double u)
{
	double *c, *prev, *cur, total, lo, hi, p;
	size_t i, j, k, umax = na * nb;

	/*
	 * c[i][j][k]: orderings of i a's and j b's with U (a over b) = k.
	 * Roll over i; keep a (nb + 1) x (umax + 1) table per i.
	 */
	prev = kb_calloc((nb + 1) * (umax + 1), sizeof(*prev));
	cur = kb_calloc((nb + 1) * (umax + 1), sizeof(*cur));
#define C(t, j, k)	((t)[(j) * (umax + 1) + (k)])
	for (j = 0; j <= nb; j++)
		C(prev, j, 0) = 1;	/* i = 0: U is 0 */
	for (i = 1; i <= na; i++) {
		memset(cur, 0, (nb + 1) * (umax + 1) * sizeof(*cur));
		C(cur, 0, 0) = 1;
		for (j = 1; j <= nb; j++)
			for (k = 0; k <= i * j; k++) {
				/* Largest is an a: it beats all j b's. */
				C(cur, j, k) = (k >= j ? C(prev, j, k - j) : 0) +
				    C(cur, j - 1, k);
			}
		c = prev;
		prev = cur;
		cur = c;
	}
	total = lo = hi = 0;
	for (k = 0; k <= umax; k++) {
		total += C(prev, nb, k);
		if ((double)k <= u + 1e-9)
			lo += C(prev, nb, k);
		if ((double)k >= u - 1e-9)
			hi += C(prev, nb, k);
	}
#undef C
	free(prev);
	free(cur);
	p = 2 * fmin(lo, hi) / total;
	return p > 1 ? 1 : p;
}

static double
st_mann_whitney(const double *a, size_t na, const double *b, size_t nb)
{
	struct rank_item *r;
	double ra, u, mu, ties, sigma2, z, nn;
	size_t i, j, k, n = na + nb;
	int tied = 0;

	if (na == 0 || nb == 0)
		return NAN;
	r = kb_reallocarray(NULL, n, sizeof(*r));
	for (i = 0; i < na; i++)
		r[i] = (struct rank_item){ a[i], 0 };
	for (i = 0; i < nb; i++)
		r[na + i] = (struct rank_item){ b[i], 1 };
	qsort(r, n, sizeof(*r), rankcmp);
	ra = ties = 0;
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && r[j].v == r[i].v; j++)
			;
		/* Ranks i+1..j share the mean rank. */
		for (k = i; k < j; k++)
			if (r[k].side == 0)
				ra += (double)(i + 1 + j) / 2;
		if (j - i > 1) {
			tied = 1;
			ties += pow((double)(j - i), 3) - (double)(j - i);
		}
	}
	free(r);
	u = ra - (double)na * (double)(na + 1) / 2;
	if (!tied && na <= 50 && nb <= 50)
		return mwu_exact(na, nb, u);
	nn = (double)n;
	mu = (double)na * (double)nb / 2;
	sigma2 = (double)na * (double)nb / 12 *
	    ((nn + 1) - ties / (nn * (nn - 1)));
	if (!(sigma2 > 0))
		return 1;
	z = (fabs(u - mu) - 0.5) / sqrt(sigma2);
	if (z <= 0)
		return 1;
	return fmin(1, 2 * gsl_cdf_ugaussian_Q(z));
}

/*
 * Runs per side that would likely settle an inconclusive comparison.
 * With the pooled coefficient of variation cv = s_pooled / mean(a) in
 * percent, n per side gives a half-width of about z cv sqrt(2 / n).
 * The margin to resolve is |diff_pct| when the observed change is at
 * least the threshold (to prove it) and threshold - |diff_pct| when it
 * is below (to fit the interval inside +/- threshold).  For 80% power:
 *   n = ceil(2 ((z(1 - alpha/2) + z(0.8)) cv / margin)^2)
 * and more_runs = n - min(na, nb), at least 1, at most 100000.
 */
static long
more_runs(const struct st_compare *c, double zq)
{
	double cv, margin, n, have;

	if (c->a.mean == 0 || !isfinite(c->diff_pct))
		return 0;
	cv = c->pooled_s / fabs(c->a.mean) * 100;
	if (fabs(c->diff_pct) >= c->threshold_pct)
		margin = fabs(c->diff_pct);
	else
		margin = c->threshold_pct - fabs(c->diff_pct);
	if (!(margin > 0))
		return 100000;
	n = 2 * pow((zq + gsl_cdf_ugaussian_Pinv(0.8)) * cv / margin, 2);
	n = ceil(n);
	have = (double)(c->a.n < c->b.n ? c->a.n : c->b.n);
	if (n - have < 1)
		return 1;
	if (n - have > 100000)
		return 100000;
	return (long)(n - have);
}

/*
 * The difference of the means and its interval from pooled_s and t:
 * ministat's Relative(), with a the reference.
 */
static void
interval(struct st_compare *c)
{
	double s;

	s = c->pooled_s * sqrt(1.0 / (double)c->b.n + 1.0 / (double)c->a.n);
	c->diff = c->b.mean - c->a.mean;
	c->diff_ci = c->t * s;
	c->proven = fabs(c->diff) > c->diff_ci;
	if (c->a.mean != 0) {
		c->diff_pct = c->diff * 100 / c->a.mean;
		c->diff_pct_ci = c->diff_ci * 100 / c->a.mean;
		c->diff_pct_ci = fabs(c->diff_pct_ci);
	} else if (c->diff == 0 && c->diff_ci == 0) {
		c->diff_pct = c->diff_pct_ci = 0;
	}
}

/* The verdict, the one rule: proven and past the threshold, or inside. */
static void
decide(struct st_compare *c, int ci)
{
	if (c->proven && (isnan(c->diff_pct) ||
	    fabs(c->diff_pct) >= c->threshold_pct))
		c->verdict = c->diff > 0 ? ST_REGRESSION : ST_IMPROVEMENT;
	else if (isfinite(c->diff_pct) &&
	    fabs(c->diff_pct) + c->diff_pct_ci <= c->threshold_pct)
		c->verdict = ST_NOCHANGE;
	else {
		c->verdict = ST_INCONCLUSIVE;
		c->more_runs = more_runs(c,
		    gsl_cdf_ugaussian_Pinv(conf_quantile[ci]));
	}
}

int
st_compare(const double *a, size_t na, const double *b, size_t nb,
    double confidence, double threshold_pct, struct st_compare *c)
{
	double df, va, vb, se, tw, dfw, s, m;
	int ci;

	if ((ci = conf_index(confidence)) < 0)
		return -1;
	memset(c, 0, sizeof(*c));
	st_summarize(a, na, &c->a);
	st_summarize(b, nb, &c->b);
	c->confidence = confidence;
	c->threshold_pct = threshold_pct;
	c->t = c->pooled_s = c->diff = c->diff_ci = NAN;
	c->diff_pct = c->diff_pct_ci = NAN;
	c->p_student = c->p_welch = c->p_mwu = NAN;
	if (na < 2 || nb < 2) {
		if (na > 0 && nb > 0) {
			c->diff = c->b.mean - c->a.mean;
			if (c->a.mean != 0)
				c->diff_pct = c->diff * 100 / c->a.mean;
			c->p_mwu = st_mann_whitney(a, na, b, nb);
		}
		c->verdict = ST_INSUFFICIENT;
		return 0;
	}

	/* ministat's Relative(), with a the reference. */
	df = (double)(na + nb - 2);
	c->t = st_t_quantile(confidence, (int)(na + nb - 2));
	st_meanvar(a, na, &m, &va);
	st_meanvar(b, nb, &m, &vb);
	/* The printed block is ministat's, to the digit. */
	c->pooled_s = sqrt(((double)(nb - 1) * ms_variance(b, nb) +
	    (double)(na - 1) * ms_variance(a, na)) / df);
	interval(c);

	/* Student's t (pooled), two-sided, on the accurate variances. */
	s = sqrt(((double)(nb - 1) * vb + (double)(na - 1) * va) / df) *
	    sqrt(1.0 / (double)nb + 1.0 / (double)na);
	if (s > 0)
		c->p_student = p_t(c->diff / s, df);
	else
		c->p_student = c->diff == 0 ? 1 : 0;
	/* Welch's t with the Welch-Satterthwaite df. */
	se = va / (double)na + vb / (double)nb;
	if (se > 0) {
		tw = c->diff / sqrt(se);
		dfw = se * se / ((va / na) * (va / na) / (double)(na - 1) +
		    (vb / nb) * (vb / nb) / (double)(nb - 1));
		c->p_welch = p_t(tw, dfw);
	} else
		c->p_welch = c->diff == 0 ? 1 : 0;
	c->p_mwu = st_mann_whitney(a, na, b, nb);

	decide(c, ci);
	return 0;
}

int
st_compare_summary(const struct st_summary *a, const struct st_summary *b,
    double confidence, double threshold_pct, struct st_compare *c)
{
	double df, s;
	int ci;

	if ((ci = conf_index(confidence)) < 0)
		return -1;
	memset(c, 0, sizeof(*c));
	c->a = *a;
	c->b = *b;
	c->confidence = confidence;
	c->threshold_pct = threshold_pct;
	c->t = c->pooled_s = c->diff = c->diff_ci = NAN;
	c->diff_pct = c->diff_pct_ci = NAN;
	c->p_student = c->p_welch = c->p_mwu = NAN;
	if (a->n < 2 || b->n < 2) {
		c->verdict = ST_INSUFFICIENT;
		return 0;
	}
	df = (double)(a->n + b->n - 2);
	c->t = st_t_quantile(confidence, (int)(a->n + b->n - 2));
	c->pooled_s = sqrt(((double)(b->n - 1) * b->stddev * b->stddev +
	    (double)(a->n - 1) * a->stddev * a->stddev) / df);
	interval(c);
	s = c->pooled_s * sqrt(1.0 / (double)b->n + 1.0 / (double)a->n);
	if (s > 0)
		c->p_student = p_t(c->diff / s, df);
	else
		c->p_student = c->diff == 0 ? 1 : 0;
	decide(c, ci);
	return 0;
}

const char *
st_verdict_name(enum st_verdict v)
{
	switch (v) {
	case ST_NOCHANGE:	return "no-change";
	case ST_REGRESSION:	return "regression";
	case ST_IMPROVEMENT:	return "improvement";
	case ST_INCONCLUSIVE:	return "inconclusive";
	case ST_INSUFFICIENT:	return "insufficient";
	}
	return "?";
}
