/*
 * series.h: the history of one (worker, workload, metric): one point
 * per kernel that has a commit date, in commit order (commit_date, then
 * id), each the mean of that kernel's counted samples, with the sums
 * that give the segments' sample statistics without the samples.
 */
#ifndef SERIES_H
#define SERIES_H

#include <stdint.h>

#include <libpq-fe.h>

#include "lib/util.h"
#include "lib/sample.h"
#include "store/db.h"

struct series_key {
	int64_t	 worker_id, workload_id;
	char	*worker, *workload;
};

struct series_point {
	int64_t	 kernel_id;
	char	*label, *revision;
	long	 n;		/* counted samples */
	double	 sum, sumsq;	/* of the values (seconds for times) */
	double	 value;		/* the mean */
};

struct series {
	struct series_point	*p;
	size_t			 n;
};

/* The (worker, workload) pairs with revisioned kernels; NULL = any. */
int	series_keys(PGconn *, const char *worker, const char *workload,
	    struct series_key **, size_t *);
void	series_keys_free(struct series_key *, size_t);
/* Points from the anchor kernel on (0: from the start). */
int	series_load(PGconn *, const struct series_key *, enum kb_metric,
	    int64_t anchor, struct series *);
void	series_free(struct series *);
/*
 * One run's counted values of a metric in rep order (seconds for
 * times); *out is allocated (free it).  The count; 0 on error.
 */
size_t	series_run_values(PGconn *, int64_t run, enum kb_metric,
	    double **out);
/* Where the last analysis of a series stopped (series_state). */
struct series_state {
	int64_t	 anchor;	/* the last change point's kernel, or 0 */
	int64_t	 last;		/* the last kernel analysed, or 0 */
	long	 npoints;	/* points since the anchor; -1: none yet */
	int64_t	 baseline;	/* an accepted step's kernel, or 0: no
				   analysis reaches back past it */
};
int	series_state_get(PGconn *, const struct series_key *, enum kb_metric,
	    struct series_state *);
/* Writes anchor, last and npoints; the baseline is kbench alert's. */
int	series_state_put(PGconn *, const struct series_key *, enum kb_metric,
	    const struct series_state *);

/* A change point found (change_point). */
struct series_cp {
	int64_t		 kernel_id, prev_kernel_id;
	double		 mean_before, mean_after, diff_pct;
	double		 ci_low_pct, ci_high_pct, p_value;
	const char	*direction;	/* regression improvement */
	size_t		 n_before, n_after;
};
int	series_cp_put(PGconn *, const struct series_key *, enum kb_metric,
	    const struct series_cp *);
/*
 * The change points of (worker, workload, metric), NULL = any; only the
 * open regressions unless all: rows of id, worker, workload, metric,
 * kernel, revision, prev_kernel, diff_pct, ci_low_pct, ci_high_pct,
 * p_value, mean_before, mean_after, direction, status, detected.
 */
int	series_cp_list(PGconn *, const char *worker, const char *workload,
	    const char *metric, int all, struct db_table *);

/* Sample mean and variance of the points [lo, hi) together. */
void	series_segment(const struct series *, size_t lo, size_t hi,
	    double *mean, double *var, double *n);

#endif /* SERIES_H */
