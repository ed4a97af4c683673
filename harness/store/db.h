/*
 * db.h: the PostgreSQL store (libpq): running statements and the rows
 * every command shares.  Every statement is parameterised.  Connecting
 * for a command is connect.h.
 */
#ifndef DB_H
#define DB_H

#include <libpq-fe.h>

#include "lib/util.h"
#include "lib/sample.h"

void	 db_close(PGconn *);
/* The server: KBENCH_DB, else the config's database.conninfo; NULL:
 * the private cluster. */
const char *db_conninfo(void);
/* Where db_conninfo came from: "KBENCH_DB" or the config file. */
const char *db_conninfo_source(void);
/* Is the connection gone (server down, network)?  NULL counts. */
int	 db_lost(PGconn *);
/* Run a statement; 0 or -1 (error printed).  res may be NULL. */
int	 db_exec(PGconn *, PGresult **res, const char *sql, int nparams,
	    const char *const *params);
/* A statement that changes one row: 0, 1 when it changed none, -1. */
int	 db_exec_one(PGconn *, const char *sql, int nparams,
	    const char *const *params);
/*
 * Run a query and hand each row to row(arg, result) as it comes (one
 * row a result, freed after): a million rows never sit in memory
 * together.  0, or -1 (error printed; rows already handed stay).
 */
int	 db_each(PGconn *, const char *sql, int nparams,
	    const char *const *params, void (*row)(void *, PGresult *),
	    void *arg);
/*
 * A statement's rows copied out of libpq, so that callers above the
 * store read plain C: every cell a string ("" for NULL, as libpq).
 */
struct db_table {
	int	  nrows, ncols;
	char	**cell;		/* nrows * ncols */
	char	 *null;		/* 1 where the cell is NULL */
};
/* Run a statement and copy its rows into t; 0 or -1 (error printed). */
int	 db_query(PGconn *, struct db_table *t, const char *sql,
	    int nparams, const char *const *params);
/* The same with one parameter, $1: an id. */
int	 db_query_id(PGconn *, struct db_table *t, const char *sql,
	    int64_t id);
const char *db_cell(const struct db_table *, int row, int col);
int	 db_isnull(const struct db_table *, int row, int col);
/* The cell as a number; NAN for NULL. */
double	 db_num(const struct db_table *, int row, int col);
void	 db_table_free(struct db_table *);
int	 db_begin(PGconn *);
int	 db_commit(PGconn *);
void	 db_rollback(PGconn *);

/*
 * The one definition of a counted sample (sample alias s): not a
 * warm-up, not timed out, and a clean exit.  Every statement that
 * compares or summarises samples uses it.
 */
#define DB_COUNTED "NOT s.warmup AND NOT s.timedout AND " \
	"(s.status IS NULL OR s.status = 0)"

/* Rows created on first use; the id, or -1. */
int64_t	 db_worker_id(PGconn *, const char *name, const char *arch,
	    const char *os, const char *transport, int ncpu);
int64_t	 db_workload_id(PGconn *, const char *name);
int64_t	 db_kernel_id(PGconn *, const char *label);
/* As above, without creating; 0 when absent, -1 on error. */
int64_t	 db_find_id(PGconn *, const char *table, const char *name);

struct db_run {
	int64_t		 kernel_id, worker_id, workload_id;
	const char	*ukey;		/* client-made unique key (replay) */
	const char	*source;	/* "import", "agent", ... */
	const char	*variant;	/* label within an interleaved run */
	const char	*state;		/* queued running done failed */
	const char	*command;	/* what was timed, for the record */
	int		 n_planned;
};
int64_t	 db_run_create(PGconn *, const struct db_run *);
int	 db_run_state(PGconn *, int64_t run, const char *state,
	    const char *reason);
/*
 * Where the run's files are and which harness process owns it (005);
 * never overwrites an owner already set.
 */
int	 db_run_harness(PGconn *, int64_t run, const char *log_path,
	    const char *host, long pid, const char *pid_start);
/* The highest run id (0: none), or -1: later runs are newer. */
int64_t	 db_last_run_id(PGconn *);
int	 db_run_log_path(PGconn *, int64_t run, const char *path);
/* A workload's description, when it changed. */
int	 db_workload_describe(PGconn *, const char *name,
	    const char *description);
/* Insert; a repeat of (run, rep) is ignored (idempotent replay). */
int	 db_sample_insert(PGconn *, int64_t run, const struct kb_sample *);
/* Bulk insert through COPY. */
int	 db_samples_copy(PGconn *, int64_t run, const struct kb_sampleset *);
/* All non-warm-up samples of finished runs of (worker, workload, kernel). */
int	 db_samples_load(PGconn *, const char *worker, const char *workload,
	    const char *kernel, struct kb_sampleset *);

#endif
