/*
 * webdata.h: what reports, plots and pages read from the store.
 *
 * Every query aggregates in the server and uses the indexes: a page
 * never loads the samples of a whole series.  Summaries of finished
 * kernels and runs are kept in series_range and run_summary
 * (db/006_web.sql) the first time they are needed.
 */
#ifndef WEBDATA_H
#define WEBDATA_H

#include <libpq-fe.h>

#include "lib/util.h"
#include "lib/sample.h"

/* One kernel of a series: figures in display units (seconds for times). */
struct wd_point {
	int64_t	 kernel_id;
	char	*label, *revision, *date;	/* "" when unknown */
	long	 n;
	double	 min, max, median, mean, stddev;
};

struct wd_series {
	int64_t		 worker_id, workload_id;
	char		*worker, *workload, *arch;
	char		*os;		/* the worker's; "" unknown */
	enum kb_metric	 m;
	struct wd_point	*v;
	size_t		 n;
};

/* A (worker, workload) pair with runs. */
struct wd_pair {
	int64_t	 worker_id, workload_id;
	char	*worker, *workload, *arch;
	char	*os;		/* the worker's; "" unknown */
	long	 nkernels, nruns, nactive;
	char	*last;		/* last run's creation time */
};

struct wd_change {
	int64_t	 worker_id, workload_id, kernel_id, prev_kernel_id;
	char	*worker, *workload, *arch, *metric, *kernel, *prev_kernel;
	char	*direction, *status, *detected;
	double	 mean_before, mean_after, diff_pct, ci_low, ci_high, p;
};

struct wd_run {
	int64_t	 id, worker_id, workload_id, kernel_id;
	char	*ukey, *state, *reason, *worker, *workload, *arch, *kernel;
	char	*kid, *variant, *source, *command, *log_path;
	char	*created, *started, *finished;
	long	 n_planned;
	long	 nall, done;		/* samples: all, counted */
	double	 mean_real;		/* seconds per repetition, or NAN */
	double	 median_real;
	double	 elapsed;		/* seconds since start */
};

/*
 * Set up a connection for pages: no JIT.  The planner's estimates for
 * the lateral summaries are large, and compiling them costs far more
 * than the few index lookups they really do.
 */
void	 wd_session(PGconn *);

int	 wd_pairs(PGconn *, struct wd_pair **, size_t *);
void	 wd_pairs_free(struct wd_pair *, size_t);
/* Names of a pair; 0, or -1 when it does not exist. */
int	 wd_pair(PGconn *, int64_t wid, int64_t lid, struct wd_pair *);

int	 wd_series_load(PGconn *, int64_t wid, int64_t lid, enum kb_metric,
	    struct wd_series *);
void	 wd_series_free(struct wd_series *);
/* Index of kernel in the series, or -1. */
long	 wd_series_find(const struct wd_series *, int64_t kernel_id);

/* 1 when the change_point table (db/004_detect.sql) exists. */
int	 wd_has_changes(PGconn *);
/* Change points; wid/lid 0 for all, open_only for status 'open'. */
int	 wd_changes(PGconn *, int64_t wid, int64_t lid, int open_only,
	    struct wd_change **, size_t *);
void	 wd_changes_free(struct wd_change *, size_t);

/* Runs: state NULL for all, newest first, at most limit. */
/* Summarise every pair's series and the newest runs; 0 or -1. */
int	 wd_warm(PGconn *, long runs);
int	 wd_runs(PGconn *, const char *state, long limit, struct wd_run **,
	    size_t *);
int	 wd_run(PGconn *, int64_t id, struct wd_run *);
void	 wd_runs_free(struct wd_run *, size_t);
void	 wd_run_free(struct wd_run *);
/* Seconds left for an active run from its mean repetition; NAN if unknown. */
double	 wd_run_eta(const struct wd_run *);

/* The counted samples of a (worker, workload, kernel), as values. */
struct wd_values {
	unsigned	 mask;			/* 1 << metric: wanted */
	double		*v[KB_M_COUNT];		/* known values, in order */
	size_t		 n[KB_M_COUNT], cap[KB_M_COUNT];
	long		 rows;			/* counted samples */
};
/*
 * Each metric in mask of every counted sample, in the order compare
 * reads them (run, repetition), seconds for times, unknown values
 * left out: 8 bytes a value, nothing more, for a million samples.
 * How many samples, or -1.
 */
long	 wd_values(PGconn *, int64_t wid, int64_t lid, int64_t kid,
	    unsigned mask, struct wd_values *);
void	 wd_values_free(struct wd_values *);
/* A kernel's label; NULL when unknown (free it). */
char	*wd_kernel_label(PGconn *, int64_t kid);
/* The kernel to compare with: its parent in the series, or the one before. */
int64_t	 wd_baseline(PGconn *, const struct wd_series *, int64_t kid);

/* String helpers over results. */
char	*wd_str(PGresult *, int row, int col);
int64_t	 wd_int(PGresult *, int row, int col);
double	 wd_dbl(PGresult *, int row, int col);
const char *wd_id(char buf[24], int64_t);

#endif /* WEBDATA_H */
