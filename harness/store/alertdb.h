/*
 * alertdb.h: alerts (db/008_alert.sql): one per worker and kernel,
 * grouping the regression change points first seen there; their
 * triage states, notes, and delivery.  Rows come back as db_tables
 * whose columns are the enums below, so that the commands and the
 * message writers above read plain C.
 */
#ifndef ALERTDB_H
#define ALERTDB_H

#include <stdint.h>

#include <libpq-fe.h>

#include "store/db.h"

/* The columns of alertdb_list's rows. */
enum alert_col {
	AL_ID, AL_WORKER, AL_KERNEL, AL_REVISION, AL_PREV_KERNEL,
	AL_PREV_REVISION, AL_STATE, AL_STATE_BY, AL_STATE_AT, AL_CREATED,
	AL_CONFIRMED, AL_CULPRIT, AL_DELIVERY, AL_DELIVERED_AT,
	AL_DELIVERY_ERROR, AL_DELIVERY_TRIES, AL_MAIL_AT, AL_WEBHOOK_AT,
	AL_WORKER_ID, AL_KERNEL_ID, AL_PREV_KERNEL_ID, AL_CONFIRM_NOTE,
	AL_BISECTION, AL_NCOLS
};
/* The columns of alertdb_cps's rows. */
enum alert_cp_col {
	AC_ID, AC_WORKLOAD, AC_METRIC, AC_DIFF_PCT, AC_CI_LOW, AC_CI_HIGH,
	AC_P, AC_MEAN_BEFORE, AC_MEAN_AFTER, AC_STATUS, AC_WORKLOAD_ID,
	AC_NCOLS
};

/*
 * Attach the change point (worker, workload, metric, kernel) to the
 * alert of (worker, kernel), creating it when there is none, with the
 * delivery state given ("pending" or "quiet").  *created is 1 when the
 * alert is new.  A point already attached stays where it is.
 */
int	alertdb_attach(PGconn *, int64_t worker_id, int64_t workload_id,
	    const char *metric, int64_t kernel_id, int64_t prev_kernel_id,
	    const char *delivery, int *created);
/*
 * Alerts, newest first: one id (0: any), a state and a worker (NULL:
 * any).  Columns: enum alert_col.
 */
int	alertdb_list(PGconn *, int64_t id, const char *state,
	    const char *worker, struct db_table *);
/* An alert's change points, biggest first.  Columns: enum alert_cp_col. */
int	alertdb_cps(PGconn *, int64_t id, struct db_table *);
/* Its notes (author, at, body) and state changes (state, by, at). */
int	alertdb_notes(PGconn *, int64_t id, struct db_table *);
int	alertdb_events(PGconn *, int64_t id, struct db_table *);
/*
 * Set the state, by whom, in one transaction with its event and its
 * change points' status.  "accepted" also restarts each of its series
 * at the alert's kernel (series_state.baseline_kernel_id), so no later
 * analysis compares across the accepted step.  0; 1: no such alert;
 * -1 on error.
 */
int	alertdb_set_state(PGconn *, int64_t id, const char *state,
	    const char *by);
/* Add a note; 0, 1: no such alert, -1 on error. */
int	alertdb_note(PGconn *, int64_t id, const char *author,
	    const char *body);
/* The ids of alerts waiting to be sent (pending, failed; state new). */
int	alertdb_pending(PGconn *, struct db_table *);
/*
 * Record a delivery attempt: which channels went through (they are not
 * sent again), the outcome ("sent", "failed", "quiet") and the error
 * (NULL: none).
 */
int	alertdb_delivered(PGconn *, int64_t id, int mail_ok, int webhook_ok,
	    const char *delivery, const char *error);

#endif /* ALERTDB_H */
