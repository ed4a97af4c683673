/*
 * changepoint.c: E-divisive means in O(n log n) per split.
 *
 * For a split of a segment into X (m points) and Y (k points), with
 * exponent 1, Matteson and James's statistic is
 *
 *	E = 2/(mk) S(X,Y) - S(X)/C(m,2) - S(Y)/C(k,2),	Q = mk/(m+k) E
 *
 * where S(X,Y) sums |x - y| over pairs across and S(X) over pairs
 * within.  Moving the split one point to the right changes each sum by
 * the distances from that point to the points left and right of it,
 * which two Fenwick trees over the segment's ranks give in O(log n).
 * Every split of a segment is thus scored in O(n log n) rather than the
 * O(n^2) of the textbook form, and a permutation reuses the ranks (a
 * permutation of values permutes their ranks), so it needs no sort.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "stats/changepoint.h"

void
cp_opts_default(struct cp_opts *o)
{
	o->alpha = 0.01;
	o->permutations = 199;
	o->min_size = 4;
	o->seed = CP_SEED;
	o->max_cps = 0;
}

/* splitmix64: small, seeded, and the same everywhere. */
static uint64_t
rnd_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static size_t
rnd_below(uint64_t *s, size_t n)
{
	uint64_t lim = UINT64_MAX - UINT64_MAX % n, r;

	do
		r = rnd_next(s);
	while (r >= lim);
	return (size_t)(r % n);
}

/* Scratch for one segment: values, ranks, sorted values, trees. */
struct work {
	size_t	 cap;
	double	*v, *sorted, *pre, *tsum;
	size_t	*rank, *idx;
	long	*tcnt;
};

static void
work_grow(struct work *w, size_t n)
{
	if (n <= w->cap)
		return;
	w->v = kb_reallocarray(w->v, n, sizeof(double));
	w->sorted = kb_reallocarray(w->sorted, n, sizeof(double));
	w->pre = kb_reallocarray(w->pre, n + 1, sizeof(double));
	w->tsum = kb_reallocarray(w->tsum, n + 1, sizeof(double));
	w->rank = kb_reallocarray(w->rank, n, sizeof(size_t));
	w->idx = kb_reallocarray(w->idx, n, sizeof(size_t));
	w->tcnt = kb_reallocarray(w->tcnt, n + 1, sizeof(long));
	w->cap = n;
}

static void
work_free(struct work *w)
{
	free(w->v);
	free(w->sorted);
	free(w->pre);
	free(w->tsum);
	free(w->rank);
	free(w->idx);
	free(w->tcnt);
}

static const double *sortkey;

static int
idxcmp(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	if (sortkey[i] < sortkey[j])
		return -1;
	if (sortkey[i] > sortkey[j])
		return 1;
	return i < j ? -1 : i > j;
}

/* Distinct ranks (ties broken by position) and prefix sums. */
static void
rank_segment(struct work *w, const double *x, size_t n)
{
	size_t i;

	memcpy(w->v, x, n * sizeof(double));
	for (i = 0; i < n; i++)
		w->idx[i] = i;
	sortkey = w->v;
	qsort(w->idx, n, sizeof(size_t), idxcmp);
	w->pre[0] = 0;
	for (i = 0; i < n; i++) {
		w->rank[w->idx[i]] = i;
		w->sorted[i] = w->v[w->idx[i]];
		w->pre[i + 1] = w->pre[i] + w->sorted[i];
	}
}

/* Fenwick trees: count and sum of the left part below a rank. */
static void
tree_add(struct work *w, size_t n, size_t r, double v)
{
	for (r++; r <= n; r += r & -r) {
		w->tcnt[r]++;
		w->tsum[r] += v;
	}
}

static void
tree_below(const struct work *w, size_t r, long *cnt, double *sum)
{
	*cnt = 0;
	*sum = 0;
	for (; r > 0; r -= r & -r) {
		*cnt += w->tcnt[r];
		*sum += w->tsum[r];
	}
}

/*
 * Score every split of the segment in w (values v, ranks rank) and
 * return the best Q, its split in *at.
 */
static double
best(struct work *w, size_t n, size_t min_size, size_t *at)
{
	double wl = 0, wr = 0, b = 0, x, sl, sumL = 0, dl, dr, q, bestq;
	double ml, mr, e;
	long cl, cntL = 0;
	size_t t, r;

	/* S(Y) of the whole segment, from the sorted values. */
	for (t = 0; t < n; t++)
		wr += w->sorted[t] * (2.0 * (double)t - (double)n + 1);
	memset(w->tcnt, 0, (n + 1) * sizeof(long));
	memset(w->tsum, 0, (n + 1) * sizeof(double));
	bestq = -1;
	*at = 0;
	for (t = 0; t + 1 < n; t++) {
		x = w->v[t];
		r = w->rank[t];
		tree_below(w, r, &cl, &sl);
		/* Distances from x to the left part, then to the right. */
		dl = x * (double)cl - sl + (sumL - sl) -
		    x * (double)(cntL - cl);
		dr = x * (double)((long)r - cl) - (w->pre[r] - sl) +
		    ((w->pre[n] - w->pre[r + 1]) - (sumL - sl)) -
		    x * (double)(((long)n - (long)r - 1) - (cntL - cl));
		wl += dl;
		wr -= dr;
		b += dr - dl;
		tree_add(w, n, r, x);
		cntL++;
		sumL += x;
		ml = (double)(t + 1);
		mr = (double)(n - t - 1);
		if (t + 1 < min_size || n - t - 1 < min_size)
			continue;
		e = 2 * b / (ml * mr) - wl / (ml * (ml - 1) / 2) -
		    wr / (mr * (mr - 1) / 2);
		q = ml * mr / (ml + mr) * e;
		if (q > bestq) {
			bestq = q;
			*at = t + 1;
		}
	}
	return bestq;
}

double
cp_best_split(const double *x, size_t n, size_t min_size, size_t *at)
{
	struct work w;
	double q;

	if (min_size < 2)
		min_size = 2;
	if (n < 2 * min_size)
		return -1;
	memset(&w, 0, sizeof(w));
	work_grow(&w, n);
	rank_segment(&w, x, n);
	q = best(&w, n, min_size, at);
	work_free(&w);
	return q;
}

/*
 * The permutation test of a segment's best split: p is the share of
 * random orderings (and the data's own) whose best Q is at least the
 * data's.  It stops as soon as the answer cannot be significant, so a
 * flat series costs few permutations.
 */
static double
perm_test(struct work *w, const double *x, size_t n, double q0,
    const struct cp_opts *o)
{
	uint64_t s = o->seed;
	double qv, tv;
	size_t i, j, at, tr;
	long ge = 0, give_up;
	int k;

	give_up = (long)floor(o->alpha * (o->permutations + 1));
	rank_segment(w, x, n);
	for (k = 0; k < o->permutations; k++) {
		for (i = n - 1; i > 0; i--) {
			j = rnd_below(&s, i + 1);
			tv = w->v[i];
			w->v[i] = w->v[j];
			w->v[j] = tv;
			tr = w->rank[i];
			w->rank[i] = w->rank[j];
			w->rank[j] = tr;
		}
		qv = best(w, n, o->min_size, &at);
		if (qv >= q0 * (1 - 1e-12) && ++ge >= give_up)
			return (double)(ge + 1) / (k + 2);
	}
	return (double)(ge + 1) / (o->permutations + 1);
}

struct seg {
	size_t	lo, hi;		/* [lo, hi) */
	double	q;		/* best split's Q, or -1 */
	size_t	at;
};

static void
seg_score(struct work *w, const double *x, struct seg *g, size_t min_size)
{
	size_t n = g->hi - g->lo;

	g->q = -1;
	if (n < 2 * min_size)
		return;
	rank_segment(w, x + g->lo, n);
	g->q = best(w, n, min_size, &g->at);
	g->at += g->lo;
}

static int
foundcmp(const void *a, const void *b)
{
	const struct cp_found *x = a, *y = b;

	return x->at < y->at ? -1 : x->at > y->at;
}

int
cp_edivisive(const double *x, size_t n, const struct cp_opts *o,
    struct cp_found **out)
{
	struct work w;
	struct seg *segs;
	struct cp_found *f;
	size_t nseg = 1, nf = 0, i, bi;
	double p;

	*out = NULL;
	/* alpha below 1/(R+1) could never be reached. */
	if (o->min_size < 2 || o->permutations < 1 ||
	    !(o->alpha > 0 && o->alpha < 1) ||
	    o->alpha * (o->permutations + 1) < 1)
		return -1;
	memset(&w, 0, sizeof(w));
	work_grow(&w, n > 0 ? n : 1);
	segs = kb_calloc(n / 2 + 2, sizeof(*segs));
	f = kb_calloc(n / 2 + 2, sizeof(*f));
	segs[0].lo = 0;
	segs[0].hi = n;
	seg_score(&w, x, &segs[0], o->min_size);
	for (;;) {
		if (o->max_cps > 0 && nf >= o->max_cps)
			break;
		/* The strongest split of any segment goes first. */
		bi = nseg;
		for (i = 0; i < nseg; i++)
			if (segs[i].q > 0 && (bi == nseg ||
			    segs[i].q > segs[bi].q))
				bi = i;
		if (bi == nseg)
			break;
		p = perm_test(&w, x + segs[bi].lo, segs[bi].hi - segs[bi].lo,
		    segs[bi].q, o);
		if (p > o->alpha)
			break;
		f[nf].at = segs[bi].at;
		f[nf].q = segs[bi].q;
		f[nf].p = p;
		nf++;
		segs[nseg].lo = segs[bi].at;
		segs[nseg].hi = segs[bi].hi;
		segs[bi].hi = segs[bi].at;
		seg_score(&w, x, &segs[bi], o->min_size);
		seg_score(&w, x, &segs[nseg], o->min_size);
		nseg++;
	}
	work_free(&w);
	free(segs);
	qsort(f, nf, sizeof(*f), foundcmp);
	*out = f;
	return (int)nf;
}
