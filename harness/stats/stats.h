/*
 * stats.h: two-sample comparison as ministat(1) computes it, plus
 * Welch's t, Mann-Whitney U and a verdict.  Distributions from GSL.
 */
#ifndef STATS_H
#define STATS_H

#include <stddef.h>

struct st_summary {
	size_t	n;
	double	min, max, median, mean, stddev;
};

enum st_verdict {
	ST_NOCHANGE, ST_REGRESSION, ST_IMPROVEMENT, ST_INCONCLUSIVE,
	ST_INSUFFICIENT		/* fewer than 2 values on a side */
};

struct st_compare {
	struct st_summary a, b;		/* a: baseline, b: candidate */
	double	confidence;		/* percent, e.g. 95 */
	double	t;			/* Student's t quantile used */
	double	pooled_s;
	int	proven;			/* |diff| > diff_ci, as ministat */
	double	diff;			/* mean(b) - mean(a) */
	double	diff_ci;		/* half-width, ministat's "+/-" */
	double	diff_pct;		/* diff / mean(a) * 100 */
	double	diff_pct_ci;		/* ministat's relative half-width */
	double	p_student, p_welch, p_mwu;
	enum st_verdict verdict;
	double	threshold_pct;
	long	more_runs;		/* per side, for inconclusive; 0 else */
};

/* Mean and sample variance (n - 1); n < 2 gives variance 0. */
void	st_meanvar(const double *, size_t, double *mean, double *var);
void	st_summarize(const double *, size_t, struct st_summary *);
/*
 * Compare baseline a with candidate b.  "Higher is worse" for every
 * metric kbench compares (times, faults, I/O).  Returns 0, or -1 for
 * an unsupported confidence level.
 */
int	st_compare(const double *a, size_t na, const double *b, size_t nb,
	    double confidence, double threshold_pct, struct st_compare *);
/*
 * The same verdict from two summaries (n, mean, stddev), as pages that
 * hold summaries give it: the pooled deviation from the sample
 * deviations (ministat's printed block rounds its variance apart),
 * p_student only (no p_welch, p_mwu).
 */
int	st_compare_summary(const struct st_summary *a,
	    const struct st_summary *b, double confidence,
	    double threshold_pct, struct st_compare *);
const char *st_verdict_name(enum st_verdict);
/* 1 if confidence is one ministat offers (80 90 95 98 99 99.5). */
int	st_confidence_ok(double);

#endif
