/*
 * seqtest.c: sequential tests, so that a clear answer needs few runs
 * and no answer is bought by re-testing until something looks
 * significant.  See seqtest.h and docs/statistics.md.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "stats/seqtest.h"
#include "stats/stats.h"

int
sq_welch_sum(double ma, double va, double na, double mb, double vb,
    double nb, double alpha, struct sq_welch *w)
{
	double qa, qb, q;

	memset(w, 0, sizeof(*w));
	w->mean_a = ma;
	w->mean_b = mb;
	if (na < 2 || nb < 2 || !(alpha > 0 && alpha < 1) || ma == 0)
		return -1;
	qa = va / na;
	qb = vb / nb;
	w->diff = mb - ma;
	w->diff_pct = w->diff / ma * 100;
	w->se = sqrt(qa + qb);
	if (w->se == 0) {
		/* Identical constants: an exact, zero-width answer. */
		w->df = na + nb - 2;
		w->t = w->diff == 0 ? 0 : copysign(INFINITY, w->diff);
		w->p = w->diff == 0 ? 1 : 0;
		w->lo_pct = w->hi_pct = w->diff_pct;
		return 0;
	}
	/* Welch-Satterthwaite degrees of freedom. */
	w->df = (qa + qb) * (qa + qb) /
	    (qa * qa / (na - 1) + qb * qb / (nb - 1));
	w->t = w->diff / w->se;
	w->p = 2 * gsl_cdf_tdist_Q(fabs(w->t), w->df);
	q = gsl_cdf_tdist_Qinv(alpha / 2, w->df) * w->se;
	w->lo_pct = (w->diff - q) / ma * 100;
	w->hi_pct = (w->diff + q) / ma * 100;
	return 0;
}

int
sq_welch(const double *a, size_t na, const double *b, size_t nb,
    double alpha, struct sq_welch *w)
{
	double ma, va, mb, vb;

	st_meanvar(a, na, &ma, &va);
	st_meanvar(b, nb, &mb, &vb);
	return sq_welch_sum(ma, va, (double)na, mb, vb, (double)nb, alpha, w);
}

void
sq_plan_default(struct sq_plan *p)
{
	p->alpha = 0.05;
	p->margin_pct = 3;
	p->min_n = 3;
	p->max_n = 10;
}

int
sq_plan_check(const struct sq_plan *p, char *err, size_t len)
{
	if (!(p->alpha > 0 && p->alpha < 0.5)) {
		snprintf(err, len, "alpha %g: expected 0 < alpha < 0.5",
		    p->alpha);
		return -1;
	}
	if (!(p->margin_pct > 0)) {
		snprintf(err, len, "margin %g%%: expected more than 0",
		    p->margin_pct);
		return -1;
	}
	/* Two samples a side give Welch 2 df at best: no verdict. */
	if (p->min_n < 3 || p->max_n < p->min_n || p->max_n > 100000) {
		snprintf(err, len, "looks from %d to %d per side: expected "
		    "3 <= min <= max", p->min_n, p->max_n);
		return -1;
	}
	return 0;
}

/*
 * The looks: min_n, then about 1.5 times the last, and max_n.  Few
 * looks leave more alpha to each (3 5 8 10 for the default plan).
 */
int
sq_plan_looks(const struct sq_plan *p, int *ns, int cap)
{
	int k = 0, n = p->min_n, next;

	while (k < cap) {
		ns[k++] = n;
		if (n >= p->max_n)
			break;
		next = (int)lround(n * 1.5);
		if (next <= n)
			next = n + 1;
		n = next > p->max_n ? p->max_n : next;
	}
	return k;
}

/*
 * One look.  Every look k of K uses level alpha / K for a two-sided
 * interval of the relative difference; by Bonferroni's inequality all K
 * intervals cover it together with probability at least 1 - alpha,
 * whatever the correlation between looks.  The first look (3 pairs) is
 * Welch's, whose 4 or so degrees of freedom beat the paired test's 2;
 * every later one the paired log ratio of the interleaved pairs, which
 * a drift of the machine between pairs does not widen (on this VM the
 * least of 3 runs moved by 7% from round to round, but the two sides of
 * a round by 4.5%).  Which interval a look uses is fixed by the plan,
 * never chosen from the data.  A verdict is only given by
 * an interval that excludes every other verdict, so a wrong verdict
 * needs a non-covering interval: each kind of error is at most alpha
 * (a false regression at most alpha / 2).  Between looks the state
 * stays "continue".
 */
void
sq_look(const struct sq_plan *p, const double *a, size_t na,
    const double *b, size_t nb, struct sq_look *l)
{
	int ns[SQ_MAXLOOKS], k, K;
	size_t n = na < nb ? na : nb;

	memset(l, 0, sizeof(*l));
	l->n = (int)n;
	K = sq_plan_looks(p, ns, SQ_MAXLOOKS);
	l->nlooks = K;
	l->state = SQ_CONTINUE;
	for (k = 0; k < K && ns[k] != (int)n; k++)
		;
	if (k == K)
		return;
	l->look = k + 1;
	l->alpha_k = p->alpha / K;
	/* Equal counts: the interleaved pairs so far. */
	l->paired = k > 0;
	if ((l->paired ? sq_paired_t(a, b, n, l->alpha_k, &l->w) :
	    sq_welch(a, n, b, n, l->alpha_k, &l->w)) == -1) {
		l->state = (int)n >= p->max_n ? SQ_CAP : SQ_CONTINUE;
		return;
	}
	if (l->w.lo_pct > -p->margin_pct && l->w.hi_pct < p->margin_pct)
		l->state = SQ_NOCHANGE;
	else if (l->w.lo_pct > 0)
		l->state = SQ_REGRESSION;
	else if (l->w.hi_pct < 0)
		l->state = SQ_IMPROVEMENT;
	else if ((int)n >= p->max_n)
		l->state = SQ_CAP;
}

void
sq_walk(const struct sq_plan *p, const double *a, const double *b,
    size_t n, struct sq_look *l)
{
	int ns[SQ_MAXLOOKS], k, K;

	memset(l, 0, sizeof(*l));
	l->n = (int)n;
	l->state = SQ_CONTINUE;
	K = sq_plan_looks(p, ns, SQ_MAXLOOKS);
	l->nlooks = K;
	for (k = 0; k < K && (size_t)ns[k] <= n; k++) {
		sq_look(p, a, (size_t)ns[k], b, (size_t)ns[k], l);
		if (l->state != SQ_CONTINUE)
			return;
	}
}

/*
 * A neighbour's burst only ever adds time, and on a shared VM it hits
 * one run in five or so (the same loop at 0.5 s and then 1.2 s): the
 * least of three is a run it missed nearly always, where the mean of
 * single runs carries it.
 */
size_t
sq_fold(double *v, size_t n, long k)
{
	size_t i, j, kk = (size_t)k;

	if (k <= 1)
		return n;
	for (i = 0; i + kk <= n; i += kk) {
		v[i / kk] = v[i];
		for (j = 1; j < kk; j++)
			v[i / kk] = fmin(v[i / kk], v[i + j]);
	}
	return n / kk;
}

double
sq_reach_pct(const struct sq_plan *p, double cv_pct)
{
	int ns[SQ_MAXLOOKS], K;
	double n = p->min_n;

	K = sq_plan_looks(p, ns, SQ_MAXLOOKS);
	/* Equal spreads: Welch's df is that of the pooled test. */
	return gsl_cdf_tdist_Pinv(1 - p->alpha / K / 2, 2 * (n - 1)) *
	    cv_pct * sqrt(2 / n);
}

const char *
sq_state_name(enum sq_state s)
{
	switch (s) {
	case SQ_CONTINUE:
		return "continue";
	case SQ_REGRESSION:
		return "regression";
	case SQ_IMPROVEMENT:
		return "improvement";
	case SQ_NOCHANGE:
		return "no-change";
	case SQ_CAP:
		return "inconclusive";
	}
	return "?";
}

static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median and the normal-consistent MAD (1.4826 MAD) of v[0..n). */
static void
robust(const double *v, size_t n, double *med, double *scale)
{
	double *t = malloc((n + 1) * sizeof(double));
	size_t i;

	if (t == NULL) {
		*med = *scale = NAN;
		return;
	}
	memcpy(t, v, n * sizeof(double));
	qsort(t, n, sizeof(double), dcmp);
	*med = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
	for (i = 0; i < n; i++)
		t[i] = fabs(t[i] - *med);
	qsort(t, n, sizeof(double), dcmp);
	*scale = 1.4826 * (n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2);
	free(t);
}

/*
 * Robust on purpose: on a shared machine one repetition in ten may be
 * far off.  The mean of v with every value beyond 3 robust standard
 * deviations of the median pulled in to that bound, and the standard
 * deviation of the values so pulled in: near the mean and standard
 * deviation for normal data, but one wild value moves them no more
 * than a value at the bound would.
 */
static void
winsorized(const double *v, size_t n, double *mean, double *sd)
{
	double med, mad, lo, hi, *t, var;
	size_t i;

	robust(v, n, &med, &mad);
	t = malloc((n + 1) * sizeof(double));
	if (t == NULL) {
		*mean = *sd = NAN;
		return;
	}
	lo = med - 3 * mad;
	hi = med + 3 * mad;
	for (i = 0; i < n; i++)
		t[i] = mad > 0 ? fmin(fmax(v[i], lo), hi) : v[i];
	st_meanvar(t, n, mean, &var);
	*sd = sqrt(var);
	free(t);
}

/* d[i] = ln b[i] - ln a[i]; -1 when a value is not positive. */
static int
logratios(const double *a, const double *b, size_t n, double *d)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!(a[i] > 0 && b[i] > 0))
			return -1;
		d[i] = log(b[i] / a[i]);
	}
	return 0;
}

/*
 * Winsorizing pulls a burst in, which bisection wants, but it narrows
 * the spread of a handful of pairs below what t's quantiles assume: the
 * sequential test, whose error rates rest on them, takes the plain mean.
 */
static int
paired(const double *a, const double *b, size_t n, double alpha,
    int winsor, struct sq_welch *w)
{
	double *d, m, sd, q, va, vb;

	memset(w, 0, sizeof(*w));
	if (n < 2 || !(alpha > 0 && alpha < 1))
		return -1;
	d = malloc(n * sizeof(double));
	if (d == NULL || logratios(a, b, n, d) == -1) {
		free(d);
		return -1;
	}
	if (winsor)
		winsorized(d, n, &m, &sd);
	else {
		st_meanvar(d, n, &m, &sd);
		sd = sqrt(sd);
	}
	free(d);
	st_meanvar(a, n, &w->mean_a, &va);
	st_meanvar(b, n, &w->mean_b, &vb);
	w->diff = w->mean_b - w->mean_a;
	w->df = (double)n - 1;
	w->se = sd / sqrt((double)n);
	w->diff_pct = (exp(m) - 1) * 100;
	if (w->se == 0) {
		w->t = m == 0 ? 0 : copysign(INFINITY, m);
		w->p = m == 0 ? 1 : 0;
		w->lo_pct = w->hi_pct = w->diff_pct;
		return 0;
	}
	w->t = m / w->se;
	w->p = 2 * gsl_cdf_tdist_Q(fabs(w->t), w->df);
	q = gsl_cdf_tdist_Qinv(alpha / 2, w->df) * w->se;
	w->lo_pct = (exp(m - q) - 1) * 100;
	w->hi_pct = (exp(m + q) - 1) * 100;
	return 0;
}

int
sq_paired(const double *a, const double *b, size_t n, double alpha,
    struct sq_welch *w)
{
	return paired(a, b, n, alpha, 1, w);
}

int
sq_paired_t(const double *a, const double *b, size_t n, double alpha,
    struct sq_welch *w)
{
	return paired(a, b, n, alpha, 0, w);
}

/*
 * The model from n interleaved rounds of the two endpoints: delta, the
 * winsorized mean of d = ln b - ln g, and its spread.  A drift of the
 * machine between rounds moves g and b together and cancels in d.  The
 * spread is never below 0.1% (timer resolution).  The endpoints must
 * be at least 3 standard errors apart (about p < 0.003).
 */
int
sq_sprt_init(struct sq_sprt *s, const double *g, const double *b, size_t n,
    char *err, size_t len)
{
	double *d, z, sg, sb;

	memset(s, 0, sizeof(*s));
	s->alpha = s->beta = 0.01;
	s->min_n = 3;
	s->max_n = s->hard_n = 15;
	s->n = n;
	if (n < 2) {
		snprintf(err, len, "need at least 2 rounds of the endpoints");
		return -1;
	}
	d = malloc(n * sizeof(double));
	if (d == NULL || logratios(g, b, n, d) == -1) {
		free(d);
		snprintf(err, len, "the endpoints' values must be positive");
		return -1;
	}
	winsorized(d, n, &s->delta, &s->sd_d);
	free(d);
	robust(g, n, &s->mu_g, &sg);
	robust(b, n, &s->mu_b, &sb);
	if (!(s->sd_d >= 0.001 * sqrt(2.0)))
		s->sd_d = 0.001 * sqrt(2.0);
	/*
	 * The test uses the upper 95% confidence limit of the spread, not
	 * the estimate: five rounds that happen to agree would otherwise
	 * make one round decide a step.  d carries the noise of two runs,
	 * z (sq_sprt_classify) that of one and a half: with s the noise of
	 * one run in a round, var d = 2 s^2 and var z = 1.5 s^2.
	 */
	s->sd_hi = s->sd_d * sqrt((double)(n - 1) /
	    gsl_cdf_chisq_Pinv(0.05, (double)(n - 1)));
	s->sd_z = s->sd_hi * sqrt(0.75);
	z = fabs(s->delta) / (s->sd_d / sqrt((double)n));
	if (!(z >= 3)) {
		snprintf(err, len, "good and bad endpoints do not differ "
		    "measurably (%+.2f%% apart over %zu interleaved rounds, "
		    "%.1f standard errors)", (exp(s->delta) - 1) * 100, n, z);
		return -1;
	}
	return 0;
}

/*
 * Wald's approximation of the rounds a step needs on average: the log
 * likelihood ratio drifts by delta^2 / (2 sd_z^2) a round towards a
 * boundary ln((1 - beta) / alpha) away.
 */
double
sq_sprt_rounds(const struct sq_sprt *s)
{
	double drift = s->delta * s->delta / (2 * s->sd_z * s->sd_z);

	if (!(drift > 0))
		return INFINITY;
	return log((1 - s->beta) / s->alpha) / drift;
}

/*
 * At max_n the sign decides, but only once the ratio leans (half way to
 * a boundary): a revision still near 0 goes on up to hard_n, since a
 * sign at 0 is a coin, and one coin among four steps names the wrong
 * commit.
 *
 * Round i measured c[i], g[i] and b[i] back to back; z = ln c - (ln g +
 * ln b) / 2 is -delta/2 on average if c is good and +delta/2 if it is
 * bad, whatever the machine's speed was in that round.  The log
 * likelihood ratio of the two normal hypotheses adds delta / sd_z^2 *
 * z per round, with z clipped to [-|delta|/2, |delta|/2] so that one
 * outlier moves it no more than one typical round does.
 *
 * The endpoints are the round's own control: a round whose ln(b / g)
 * is more than 3 spreads from delta was disturbed while it ran (a
 * burst that slowed one run of it and not the others) and is left
 * out.  Normal noise loses 0.3% of rounds so; min_n and max_n count
 * the rounds kept.
 */
void
sq_sprt_classify(const struct sq_sprt *s, const double *c, const double *g,
    const double *b, size_t n, struct sq_sprt_out *o)
{
	struct sq_welch w;
	double k, z, h, upper, lower;
	size_t i;

	memset(o, 0, sizeof(*o));
	o->p_good = o->p_bad = NAN;
	o->n = n;
	k = s->delta / (s->sd_z * s->sd_z);
	h = fabs(s->delta) / 2;
	for (i = 0; i < n; i++) {
		if (!(c[i] > 0 && g[i] > 0 && b[i] > 0))
			continue;
		if (fabs(log(b[i] / g[i]) - s->delta) > 3 * s->sd_hi) {
			o->dropped++;
			continue;
		}
		z = log(c[i]) - (log(g[i]) + log(b[i])) / 2;
		o->llr += k * fmin(fmax(z, -h), h);
		o->kept++;
	}
	if (sq_paired(g, c, n, 0.05, &w) == 0)
		o->p_good = w.p;
	if (sq_paired(b, c, n, 0.05, &w) == 0)
		o->p_bad = w.p;
	upper = log((1 - s->beta) / s->alpha);
	lower = log(s->beta / (1 - s->alpha));
	o->cls = SQ_UNDECIDED;
	if ((int)o->kept < s->min_n && (int)n < s->max_n)
		return;
	if (o->llr >= upper)
		o->cls = SQ_BAD;
	else if (o->llr <= lower)
		o->cls = SQ_GOOD;
	else if ((int)n >= s->max_n && (fabs(o->llr) >= upper / 2 ||
	    (int)n >= s->hard_n)) {
		o->cls = o->llr > 0 ? SQ_BAD : SQ_GOOD;
		o->at_cap = 1;
	}
}

const char *
sq_class_name(enum sq_class c)
{
	switch (c) {
	case SQ_UNDECIDED:
		return "undecided";
	case SQ_GOOD:
		return "good";
	case SQ_BAD:
		return "bad";
	}
	return "?";
}
