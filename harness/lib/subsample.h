/*
 * subsample.h: the one rule for a plot of many points: it draws at
 * most KB_PLOT_POINTS of a series or of a comparison's side, picked
 * evenly by index, the first and the last always among them, the same
 * ones every time.  Over sorted values that is a set of even
 * quantiles, so the cloud keeps its shape, its minimum and maximum.
 * What is computed from the values (medians, intervals) uses them all.
 */
#ifndef LIB_SUBSAMPLE_H
#define LIB_SUBSAMPLE_H

#include <stddef.h>

#define KB_PLOT_POINTS	5000	/* points drawn per series or side */

/* How many of n points are drawn when at most max are: min(n, max). */
size_t	kb_sub_count(size_t n, size_t max);
/*
 * The index of the k-th drawn point, k < kb_sub_count(n, max):
 * floor(k (n - 1) / (m - 1)) for m drawn, strictly increasing in k.
 */
size_t	kb_sub_index(size_t n, size_t max, size_t k);
/* "5,000 of 1,000,000" style: n with a comma every three digits. */
void	kb_sub_commas(size_t n, char buf[32]);

#endif /* LIB_SUBSAMPLE_H */
