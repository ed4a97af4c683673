/*
 * watchdb.h: kbench watch's rows (db/009_watch.sql): where each
 * followed branch was left, and the alerts it holds until their
 * confirmation.
 */
#ifndef STORE_WATCHDB_H
#define STORE_WATCHDB_H

#include <stdint.h>

#include <libpq-fe.h>

#include "store/db.h"
#include "store/series.h"

/* What one watch follows. */
struct watchdb_key {
	const char	*kind;		/* repo tree */
	const char	*repo, *branch, *worker, *workload;
};

/*
 * The watch row of key, made on first use: its id, and the newest
 * commit measured into last (40 hex digits, "" when none yet).
 */
int64_t	watchdb_open(PGconn *, const struct watchdb_key *, char last[64]);
/* The newest commit measured, and one more measured. */
int	watchdb_advance(PGconn *, int64_t id, const char *rev);

/* The columns of watchdb_held's rows. */
enum watch_held_col {
	WH_ID, WH_REVISION, WH_PREV_REVISION, WH_METRIC, WH_NCOLS
};
/*
 * The alerts of a worker that wait for their confirmation (delivery
 * held), oldest first, with the revisions on both sides and the metric
 * of their biggest change point.
 */
int	watchdb_held(PGconn *, int64_t worker_id, struct db_table *);
/*
 * The confirmation's outcome: confirmed or not, the bisection and its
 * culprit ("SHA subject", NULL: none), a note; the delivery becomes
 * pending (to send) or quiet (kept, not sent).
 */
int	watchdb_confirm(PGconn *, int64_t alert_id, int confirmed,
	    int64_t bisection_id, const char *culprit, const char *note);
/*
 * The bisection's outcome: state, culprit, culprit_subject, reason
 * (one row; "" for NULL).
 */
int	watchdb_bisection(PGconn *, int64_t id, struct db_table *);
/*
 * The series a stored run belongs to: its worker's and workload's ids
 * and names into k (the names allocated: the caller frees them).
 */
int	watchdb_run_key(PGconn *, int64_t run, struct series_key *k);
/*
 * The kernel row a stored run measured: its id, -1 when none.  A
 * kernel subject's rows are named by the build (linux-6.1+rev-...),
 * not by the revision's label, so the run is what tells.
 */
int64_t	watchdb_run_kernel(PGconn *, int64_t run);

#endif /* STORE_WATCHDB_H */
