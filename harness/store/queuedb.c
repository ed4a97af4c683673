/*
 * queuedb.c: the queue's statements.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "store/db.h"
#include "store/queuedb.h"

#define ACTIVE	"('building', 'booting', 'running')"

void
queuedb_req_free(struct queue_req *r)
{
	free(r->worker);
	free(r->workload);
	free(r->patch);
	memset(r, 0, sizeof(*r));
}

static int
busy(const char *w, const char *const *b, int nb)
{
	int i;

	for (i = 0; i < nb; i++)
		if (strcmp(w, b[i]) == 0)
			return 1;
	return 0;
}

int
queuedb_claim(PGconn *c, const char *runner, const char *const *b, int nb,
    struct queue_req *r)
{
	struct db_table t;
	PGresult *res;
	const char *p[2];
	int i, got = 0;

	if (db_query(c, &t, "SELECT id, worker FROM try_request WHERE state "
	    "= 'queued' ORDER BY id LIMIT 100", 0, NULL) == -1)
		return -1;
	for (i = 0; i < t.nrows && !got; i++) {
		if (busy(db_cell(&t, i, 1), b, nb))
			continue;
		p[0] = db_cell(&t, i, 0);
		p[1] = runner;
		/* Another runner may have taken it since: state = queued. */
		if (db_exec(c, &res, "UPDATE try_request SET state = "
		    "'building', runner = $2, started = now(), attempts = "
		    "attempts + 1, error = NULL WHERE id = $1 AND state = "
		    "'queued' RETURNING id, worker, workload, n, patch", 2,
		    p) == -1) {
			db_table_free(&t);
			return -1;
		}
		if ((got = PQntuples(res) == 1)) {
			r->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
			r->worker = kb_strdup(PQgetvalue(res, 0, 1));
			r->workload = kb_strdup(PQgetvalue(res, 0, 2));
			r->n = strtol(PQgetvalue(res, 0, 3), NULL, 10);
			r->patch = kb_strdup(PQgetvalue(res, 0, 4));
		}
		PQclear(res);
	}
	db_table_free(&t);
	return got;
}

int
queuedb_active(PGconn *c, struct db_table *t)
{
	return db_query(c, t, "SELECT id, coalesce(runner, ''), state FROM "
	    "try_request WHERE state IN " ACTIVE " ORDER BY id", 0, NULL);
}

/* sql with $1 the id and $2 .. $np the strings a, b, d. */
static int
by_id(PGconn *c, const char *sql, int np, int64_t id, const char *a,
    const char *b, const char *d)
{
	char ids[24];
	const char *p[4] = { ids, a, b, d };

	snprintf(ids, sizeof(ids), "%" PRId64, id);
	return db_exec(c, NULL, sql, np, p);
}

int
queuedb_requeue(PGconn *c, int64_t id, const char *why)
{
	return by_id(c, "UPDATE try_request SET state = 'queued', runner = "
	    "NULL, error = $2 WHERE id = $1 AND state IN " ACTIVE, 2, id, why,
	    NULL, NULL);
}

int
queuedb_state(PGconn *c, int64_t id, const char *state)
{
	return by_id(c, "UPDATE try_request SET state = $2 WHERE id = $1 AND "
	    "state IN " ACTIVE, 2, id, state, NULL, NULL);
}

int
queuedb_verdict(PGconn *c, int64_t id, const char *verdict)
{
	return by_id(c, "UPDATE try_request SET verdict = $2 WHERE id = $1",
	    2, id, verdict, NULL, NULL);
}

int
queuedb_finish(PGconn *c, int64_t id, const char *state, const char *error,
    const char *log_path)
{
	/* A cancelled request stays cancelled, whatever its try said. */
	return by_id(c, "UPDATE try_request SET state = CASE WHEN state = "
	    "'cancelled' THEN state ELSE $2 END, error = coalesce($3, "
	    "error), log_path = $4, finished = now() WHERE id = $1", 4, id,
	    state, error, log_path);
}

int
queuedb_get_state(PGconn *c, int64_t id, char *state, size_t len)
{
	char ids[24];
	const char *p[1] = { ids };
	PGresult *r;

	snprintf(ids, sizeof(ids), "%" PRId64, id);
	if (db_exec(c, &r, "SELECT state FROM try_request WHERE id = $1", 1,
	    p) == -1)
		return -1;
	snprintf(state, len, "%s", PQntuples(r) == 1 ? PQgetvalue(r, 0, 0) :
	    "");
	PQclear(r);
	return 0;
}

int
queuedb_cancel(PGconn *c, int64_t id)
{
	char ids[24], st[32];
	const char *p[1] = { ids };
	PGresult *r;
	int n;

	snprintf(ids, sizeof(ids), "%" PRId64, id);
	if (db_exec(c, &r, "UPDATE try_request SET state = 'cancelled', "
	    "finished = now() WHERE id = $1 AND state IN ('queued', "
	    "'building', 'booting', 'running') RETURNING id", 1, p) == -1)
		return -1;
	n = PQntuples(r);
	PQclear(r);
	if (n == 1)
		return 0;
	if (queuedb_get_state(c, id, st, sizeof(st)) == -1)
		return -1;
	return *st == '\0' ? 1 : 2;
}

#define LIST_COLS "SELECT id, state, worker, workload, n, " \
	"to_char(submitted, 'YYYY-MM-DD HH24:MI:SS'), " \
	"coalesce(to_char(started, 'YYYY-MM-DD HH24:MI:SS'), ''), " \
	"coalesce(to_char(finished, 'YYYY-MM-DD HH24:MI:SS'), ''), " \
	"coalesce(client, ''), coalesce(runner, ''), coalesce(verdict, ''), " \
	"coalesce(error, ''), coalesce(log_path, ''), " \
	"coalesce(run_id::text, ''), attempts FROM try_request "

int
queuedb_list(PGconn *c, int all, struct db_table *t)
{
	if (all)
		return db_query(c, t, LIST_COLS "ORDER BY id DESC LIMIT 200",
		    0, NULL);
	return db_query(c, t, LIST_COLS "WHERE state IN ('queued', "
	    "'building', 'booting', 'running') ORDER BY id DESC", 0, NULL);
}

int
queuedb_show(PGconn *c, int64_t id, struct db_table *t)
{
	char ids[24];
	const char *p[1] = { ids };

	snprintf(ids, sizeof(ids), "%" PRId64, id);
	return db_query(c, t, LIST_COLS "WHERE id = $1", 1, p);
}
