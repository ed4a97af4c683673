/*
 * runsdb.h: housekeeping of runs (db/011_runs.sql): list, hide,
 * show again, remove; for kbench runs and the dashboard.
 */
#ifndef STORE_RUNSDB_H
#define STORE_RUNSDB_H

#include <stdint.h>

#include <libpq-fe.h>

#include "store/db.h"

/* The columns of runsdb_list's rows. */
enum runs_col {
	RU_ID, RU_STATE, RU_HIDDEN, RU_WORKER, RU_ARCH, RU_WORKLOAD,
	RU_KERNEL, RU_SAMPLES, RU_CREATED, RU_REASON, RU_NCOLS
};

/*
 * Runs, newest first, at most limit: hidden ones only with all; state
 * NULL for any.  Columns: enum runs_col (hidden "t" or "f").
 */
int	runsdb_list(PGconn *, int all, const char *state, long limit,
	    struct db_table *);
/* Hide a run (hide 1) or show it again (0); 0, 1: no such run, -1. */
int	runsdb_hide(PGconn *, int64_t id, int hide);
/*
 * Remove a run, its samples and the summaries kept of its kernel in
 * that series (computed again when next read); 0, 1: no such run, -1.
 */
int	runsdb_rm(PGconn *, int64_t id);
/* 1 when every run of the (worker, workload) is hidden, 0 if not, -1. */
int	runsdb_pair_hidden(PGconn *, int64_t wid, int64_t lid);

#endif /* STORE_RUNSDB_H */
