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
/* Sample mean and variance of the points [lo, hi) together. */
void	series_segment(const struct series *, size_t lo, size_t hi,
	    double *mean, double *var, double *n);

#endif /* SERIES_H */
