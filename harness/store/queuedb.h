/*
 * queuedb.h: the queue of per-patch requests (try_request, db/006_web.sql
 * and 009_watch.sql) as the queue runner (engine/queue.c), kbench try
 * --request and kbench queue use it.
 */
#ifndef STORE_QUEUEDB_H
#define STORE_QUEUEDB_H

#include <stdint.h>

#include <libpq-fe.h>

#include "store/db.h"

/* A request, as the runner takes it. */
struct queue_req {
	int64_t	 id;
	char	*worker, *workload, *patch;
	long	 n;
};
void	queuedb_req_free(struct queue_req *);

/*
 * The oldest queued request whose worker is not in busy (nbusy names),
 * claimed for runner ("host:pid"): its state becomes building.  1 with
 * *r filled, 0 when there is none, -1 on error.
 */
int	queuedb_claim(PGconn *, const char *runner, const char *const *busy,
	    int nbusy, struct queue_req *r);
/* The columns of queuedb_active's rows. */
enum queue_active_col { QA_ID, QA_RUNNER, QA_STATE, QA_NCOLS };
/* Requests being worked on (building, booting, running). */
int	queuedb_active(PGconn *, struct db_table *);
/* A request whose runner is gone goes back to the queue. */
int	queuedb_requeue(PGconn *, int64_t id, const char *why);
/*
 * Where a try is (building, booting, running): set only while the
 * request is active, so a cancel is never undone.
 */
int	queuedb_state(PGconn *, int64_t id, const char *state);
/* Its verdict summary (kbench compare's last lines). */
int	queuedb_verdict(PGconn *, int64_t id, const char *verdict);
/* The end: done, failed (error: why) or cancelled; and its log. */
int	queuedb_finish(PGconn *, int64_t id, const char *state,
	    const char *error, const char *log_path);
/* The state now ("" when there is no such request); 0 or -1. */
int	queuedb_get_state(PGconn *, int64_t id, char *state, size_t len);
/*
 * Cancel a queued or active request: 0 done, 1 no such request, 2 it
 * had ended already; -1 on error.
 */
int	queuedb_cancel(PGconn *, int64_t id);
/* The columns of queuedb_list's rows. */
enum queue_list_col {
	QL_ID, QL_STATE, QL_WORKER, QL_WORKLOAD, QL_N, QL_SUBMITTED,
	QL_STARTED, QL_FINISHED, QL_CLIENT, QL_RUNNER, QL_VERDICT, QL_ERROR,
	QL_LOG, QL_RUN, QL_ATTEMPTS, QL_NCOLS
};
/* Requests, newest first: the unfinished ones, or all (last 200). */
int	queuedb_list(PGconn *, int all, struct db_table *);
/* One request by id (0 rows: none), columns as queuedb_list's. */
int	queuedb_show(PGconn *, int64_t id, struct db_table *);

#endif /* STORE_QUEUEDB_H */
