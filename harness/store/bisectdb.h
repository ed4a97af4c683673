/*
 * bisectdb.h: a bisection's rows (bisection, bisect_step).
 */
#ifndef STORE_BISECTDB_H
#define STORE_BISECTDB_H

#include <stdint.h>

#include <libpq-fe.h>

#include "store/db.h"

/* A new bisection's request, as the bisection row keeps it. */
struct bisectdb_new {
	const char	*ukey, *repo, *good, *bad, *good_sha, *bad_sha;
	const char	*worker, *metric, *command, *build, *workload;
	long		 n, best_of;
};

/* One decision or measurement; NULL fields are stored as NULL. */
struct bisectdb_step {
	const char	*id;		/* the bisection */
	int		 seq;
	const char	*kind, *revision, *subject;
	const char	*run, *n, *mean, *stddev, *llr, *p_good, *p_bad;
	const char	*decision, *detail;
};

/*
 * --resume ID: one row of repo, good, bad, command, build, metric,
 * worker, n, workload, state, best_of.
 */
int	 bisectdb_request(PGconn *, const char *id, struct db_table *);
/* The running bisection of ukey: its id, 0 when none, -1 on error. */
int64_t	 bisectdb_running(PGconn *, const char *ukey);
/* The new bisection's id, or -1. */
int64_t	 bisectdb_create(PGconn *, const struct bisectdb_new *);
int	 bisectdb_step_add(PGconn *, const struct bisectdb_step *);
/* Rows of seq, kind, revision, decision, run id (0: none). */
int	 bisectdb_steps(PGconn *, const char *id, struct db_table *);
int	 bisectdb_result(PGconn *, const char *id, const char *state,
	    const char *reason, const char *culprit, const char *subject);
/* The confirmation's figures. */
enum bisectdb_fig {
	BISECTDB_CONFIRM_DIFF, BISECTDB_CONFIRM_P, BISECTDB_REVERT_DIFF,
	BISECTDB_REVERT_P, BISECTDB_NFIG
};
int	 bisectdb_figure(PGconn *, const char *id, enum bisectdb_fig,
	    double);
/*
 * For bisect log: the bisection id (0: the latest) as one row of id,
 * repo, good, bad, good_sha, bad_sha, metric, command, state, culprit,
 * culprit_subject, reason, confirm_diff_pct, confirm_p, best_of ...
 */
int	 bisectdb_log(PGconn *, const char *id, struct db_table *);
/*
 * ... and its steps: seq, kind, revision, subject, run id, n, mean,
 * stddev, llr, p_good, p_bad, decision, detail.
 */
int	 bisectdb_log_steps(PGconn *, const char *id, struct db_table *);

#endif /* STORE_BISECTDB_H */
