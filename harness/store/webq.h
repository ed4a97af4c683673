/*
 * webq.h: the web pages' and the JSON API's own statements (the rest
 * is webdata.h): try requests and a run's samples as shown.
 */
#ifndef STORE_WEBQ_H
#define STORE_WEBQ_H

#include <stdint.h>

#include <libpq-fe.h>

#include "store/db.h"

/*
 * The queued and running try requests, oldest first: id, worker,
 * workload, n, state, submitted (the API, at most 100) ...
 */
int	 webq_tries_api(PGconn *, struct db_table *);
/*
 * ... or id, worker, workload, n, submitted, patch bytes, state (the
 * status page, at most 50).
 */
int	 webq_tries_page(PGconn *, struct db_table *);
/* The columns of webq_try's row and of webq_try_runs' rows. */
enum webq_try_col {
	WT_ID, WT_WORKER, WT_WORKLOAD, WT_N, WT_STATE, WT_SUBMITTED,
	WT_STARTED, WT_FINISHED, WT_VERDICT, WT_ERROR, WT_LOG, WT_ATTEMPTS,
	WT_NCOLS
};
enum webq_boot_col {
	WB_RUN, WB_STATE, WB_KERNEL, WB_KID, WB_KERNEL_ID, WB_WORKER_ID,
	WB_WORKLOAD_ID, WB_SAMPLES, WB_BOOT_S, WB_CREATED, WB_LOG,
	WB_REASON, WB_READ_KIB, WB_CACHED_PRE, WB_CACHED_POST, WB_NCOLS
};
/* One try request (no row: none). */
int	 webq_try(PGconn *, int64_t id, struct db_table *);
/*
 * Its boots in order: the runs of its worker and workload made while
 * it ran (the runner takes one request per worker at a time).  The last
 * three: the means in KiB over its counted samples of the guest's disk
 * reads and page cache (Cached:) before and after a repetition, empty
 * where the samples do not carry them (a time(1) log, a local run).
 */
int	 webq_try_runs(PGconn *, int64_t id, struct db_table *);
/* A new try request; its id into id. */
int	 webq_try_submit(PGconn *, const char *worker, const char *workload,
	    const char *n, const char *patch, const char *client,
	    char id[24]);
/*
 * A run's first samples by rep: rep, warmup (t/f), real, user, sys (s),
 * maxrss_kb, status, timedout (t/f) for the API ...
 */
int	 webq_samples_api(PGconn *, int64_t run, long limit,
	    struct db_table *);
/*
 * ... and rep, warmup, real, user, sys, maxrss_kb, majflt, minflt,
 * nvcsw, nivcsw, status, timedout for the run page.
 */
int	 webq_samples_page(PGconn *, int64_t run, long limit,
	    struct db_table *);

#endif /* STORE_WEBQ_H */
