/*
 * bisectdb.c: the statements of a bisection.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "store/db.h"
#include "store/bisectdb.h"

int
bisectdb_request(PGconn *c, const char *id, struct db_table *t)
{
	const char *p[1] = { id };

	return db_query(c, t, "SELECT b.repo, b.good, b.bad, b.command, "
	    "b.build, b.metric, w.name, b.n, l.name, b.state, b.best_of "
	    "FROM bisection b "
	    "JOIN worker w ON w.id = b.worker_id LEFT JOIN workload l ON "
	    "l.id = b.workload_id WHERE b.id = $1", 1, p);
}

int64_t
bisectdb_running(PGconn *c, const char *ukey)
{
	const char *p[1] = { ukey };
	PGresult *r;
	int64_t id = 0;

	if (db_exec(c, &r, "SELECT id FROM bisection WHERE ukey = $1 "
	    "AND state = 'running' ORDER BY id DESC LIMIT 1", 1, p) == -1)
		return -1;
	if (PQntuples(r) == 1)
		id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return id;
}

int64_t
bisectdb_create(PGconn *c, const struct bisectdb_new *b)
{
	char n[16], k[16];
	const char *p[13];
	PGresult *r;
	int64_t id;

	snprintf(n, sizeof(n), "%ld", b->n);
	snprintf(k, sizeof(k), "%ld", b->best_of);
	p[0] = b->ukey;
	p[1] = b->repo;
	p[2] = b->good;
	p[3] = b->bad;
	p[4] = b->good_sha;
	p[5] = b->bad_sha;
	p[6] = b->worker;
	p[7] = b->metric;
	p[8] = b->command;
	p[9] = b->build;
	p[10] = n;
	p[11] = b->workload;
	p[12] = k;
	if (db_exec(c, &r, "INSERT INTO bisection (ukey, repo, good, "
	    "bad, good_sha, bad_sha, worker_id, metric, command, build, "
	    "n, workload_id, best_of) VALUES ($1, $2, $3, $4, $5, $6, "
	    "(SELECT id FROM worker WHERE name = $7), $8, $9, $10, $11, "
	    "(SELECT id FROM workload WHERE name = $12), $13) "
	    "RETURNING id", 13, p) == -1)
		return -1;
	id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return id;
}

int
bisectdb_step_add(PGconn *c, const struct bisectdb_step *s)
{
	char seq[16];
	const char *p[14];

	snprintf(seq, sizeof(seq), "%d", s->seq);
	p[0] = s->id;
	p[1] = seq;
	p[2] = s->kind;
	p[3] = s->revision;
	p[4] = s->subject;
	p[5] = s->run;
	p[6] = s->n;
	p[7] = s->mean;
	p[8] = s->stddev;
	p[9] = s->llr;
	p[10] = s->p_good;
	p[11] = s->p_bad;
	p[12] = s->decision;
	p[13] = s->detail;
	return db_exec(c, NULL, "INSERT INTO bisect_step (bisection_id, "
	    "seq, kind, revision, subject, run_id, n, mean, stddev, llr, "
	    "p_good, p_bad, decision, detail) VALUES ($1, $2, $3, $4, $5, $6, "
	    "$7, $8, $9, $10, $11, $12, $13, $14)", 14, p);
}

int
bisectdb_steps(PGconn *c, const char *id, struct db_table *t)
{
	const char *p[1] = { id };

	return db_query(c, t, "SELECT seq, kind, revision, decision, "
	    "COALESCE(run_id, 0) FROM bisect_step WHERE bisection_id = $1 "
	    "ORDER BY seq", 1, p);
}

int
bisectdb_result(PGconn *c, const char *id, const char *state,
    const char *reason, const char *culprit, const char *subject)
{
	const char *p[5] = { id, state, reason, culprit, subject };

	return db_exec(c, NULL, "UPDATE bisection SET state = $2, "
	    "reason = $3, culprit = $4, culprit_subject = $5, finished = "
	    "CASE WHEN $2 = 'running' THEN NULL ELSE now() END "
	    "WHERE id = $1", 5, p);
}

/* Whole statements, one per figure: no column name is formatted in. */
static const char *const figure_sql[BISECTDB_NFIG] = {
	[BISECTDB_CONFIRM_DIFF] = "UPDATE bisection SET confirm_diff_pct = $2 "
	    "WHERE id = $1",
	[BISECTDB_CONFIRM_P] = "UPDATE bisection SET confirm_p = $2 "
	    "WHERE id = $1",
	[BISECTDB_REVERT_DIFF] = "UPDATE bisection SET revert_diff_pct = $2 "
	    "WHERE id = $1",
	[BISECTDB_REVERT_P] = "UPDATE bisection SET revert_p = $2 "
	    "WHERE id = $1",
};

int
bisectdb_figure(PGconn *c, const char *id, enum bisectdb_fig f, double v)
{
	char num[32];
	const char *p[2] = { id, num };

	if ((unsigned)f >= BISECTDB_NFIG)
		return -1;
	snprintf(num, sizeof(num), "%.17g", v);
	return db_exec(c, NULL, figure_sql[f], 2, p);
}

int
bisectdb_log(PGconn *c, const char *id, struct db_table *t)
{
	const char *p[1] = { id };

	return db_query(c, t, "SELECT id, repo, good, bad, good_sha, "
	    "bad_sha, metric, COALESCE(command, ''), state, "
	    "COALESCE(culprit, ''), COALESCE(culprit_subject, ''), "
	    "COALESCE(reason, ''), confirm_diff_pct, confirm_p, best_of "
	    "FROM bisection WHERE "
	    "id = CASE WHEN $1::bigint = 0 THEN (SELECT max(id) FROM "
	    "bisection) ELSE $1::bigint END", 1, p);
}

int
bisectdb_log_steps(PGconn *c, const char *id, struct db_table *t)
{
	const char *p[1] = { id };

	return db_query(c, t, "SELECT seq, kind, revision, "
	    "COALESCE(subject, ''), COALESCE(run_id, 0), COALESCE(n, 0), "
	    "mean, stddev, llr, p_good, p_bad, decision, "
	    "COALESCE(detail, '') FROM bisect_step WHERE "
	    "bisection_id = $1 ORDER BY seq", 1, p);
}
