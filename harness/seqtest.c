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

#include "seqtest.h"

void
sq_meanvar(const double *v, size_t n, double *mean, double *var)
{
	double m = 0, s = 0, d;
	size_t i;

	for (i = 0; i < n; i++)
		m += v[i];
	m = n > 0 ? m / (double)n : NAN;
	for (i = 0; i < n; i++) {
		d = v[i] - m;
		s += d * d;
	}
	*mean = m;
	*var = n > 1 ? s / (double)(n - 1) : 0;
}

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

	sq_meanvar(a, na, &ma, &va);
	sq_meanvar(b, nb, &mb, &vb);
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
 * Welch interval; by Bonferroni's inequality all K intervals cover the
 * true difference together with probability at least 1 - alpha,
 * whatever the correlation between looks.  A verdict is only given by
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
	if (sq_welch(a, n, b, n, l->alpha_k, &l->w) == -1) {
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
 * far off, and a mean or standard deviation would take it in.  The
 * endpoints are their medians; the spread is the pooled MAD, never
 * below 0.1% of the good median (timer resolution).  They must be at
 * least 3 standard errors apart (about p < 0.003).
 */
int
sq_sprt_init(struct sq_sprt *s, const double *g, size_t ng, const double *b,
    size_t nb, char *err, size_t len)
{
	double sg, sb, floor, z;

	memset(s, 0, sizeof(*s));
	s->alpha = s->beta = 0.01;
	s->min_n = 3;
	s->max_n = 15;
	if (ng < 2 || nb < 2) {
		snprintf(err, len, "need at least 2 samples of each endpoint");
		return -1;
	}
	robust(g, ng, &s->mu_g, &sg);
	robust(b, nb, &s->mu_b, &sb);
	s->sigma = sqrt(((double)(ng - 1) * sg * sg + (double)(nb - 1) *
	    sb * sb) / (double)(ng + nb - 2));
	floor = fabs(s->mu_g) * 0.001;
	if (!(s->sigma >= floor))
		s->sigma = floor;
	z = fabs(s->mu_b - s->mu_g) / (s->sigma * sqrt(1.0 / (double)ng +
	    1.0 / (double)nb));
	if (!(z >= 3)) {
		snprintf(err, len, "good and bad endpoints do not differ "
		    "measurably (medians %+.2f%% apart, %.1f standard errors)",
		    (s->mu_b - s->mu_g) / s->mu_g * 100, z);
		return -1;
	}
	return 0;
}

void
sq_sprt_classify(const struct sq_sprt *s, const double *x, size_t n,
    const double *g, size_t ng, const double *b, size_t nb,
    struct sq_sprt_out *o)
{
	struct sq_welch w;
	double lo, hi, mid, k, v, upper, lower;
	size_t i;

	memset(o, 0, sizeof(*o));
	o->p_good = o->p_bad = NAN;
	lo = fmin(s->mu_g, s->mu_b);
	hi = fmax(s->mu_g, s->mu_b);
	mid = (s->mu_g + s->mu_b) / 2;
	k = (s->mu_b - s->mu_g) / (s->sigma * s->sigma);
	for (i = 0; i < n; i++) {
		v = fmin(fmax(x[i], lo), hi);
		o->llr += k * (v - mid);
	}
	if (n >= 2 && sq_welch(g, ng, x, n, 0.05, &w) == 0)
		o->p_good = w.p;
	if (n >= 2 && sq_welch(b, nb, x, n, 0.05, &w) == 0)
		o->p_bad = w.p;
	upper = log((1 - s->beta) / s->alpha);
	lower = log(s->beta / (1 - s->alpha));
	o->cls = SQ_UNDECIDED;
	if ((int)n < s->min_n)
		return;
	if (o->llr >= upper)
		o->cls = SQ_BAD;
	else if (o->llr <= lower)
		o->cls = SQ_GOOD;
	else if ((int)n >= s->max_n) {
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
