/*
 * changepoint.h: E-divisive means (Matteson and James 2014) for one
 * series of numbers, as Otava/Hunter use it: the energy statistic of
 * every split of a segment, the best split tested with a permutation
 * test from a fixed seed (the same data always gives the same answer),
 * and binary segmentation while splits stay significant.
 */
#ifndef CHANGEPOINT_H
#define CHANGEPOINT_H

#include <stddef.h>
#include <stdint.h>

struct cp_opts {
	double		alpha;		/* significance; default 0.01 */
	int		permutations;	/* default 199 */
	size_t		min_size;	/* points per segment; default 4 */
	uint64_t	seed;		/* default CP_SEED */
	size_t		max_cps;	/* 0: no limit */
};
#define CP_SEED	0x6b62656e6368ULL	/* "kbench" */

struct cp_found {
	size_t	at;		/* first index after the change */
	double	q;		/* the energy statistic of the split */
	double	p;		/* permutation p-value */
};

void	cp_opts_default(struct cp_opts *);
/*
 * Change points of x[0..n), in increasing order of index; *out is
 * allocated (free it).  Returns how many, or -1 on bad options.
 */
int	cp_edivisive(const double *x, size_t n, const struct cp_opts *,
	    struct cp_found **out);
/*
 * The best split of x[0..n) with at least min_size points a side:
 * returns its statistic Q and sets *at, or returns -1 when the series
 * is too short.  O(n log n).
 */
double	cp_best_split(const double *x, size_t n, size_t min_size,
	    size_t *at);

#endif /* CHANGEPOINT_H */
