/*
 * watchdb.c: kbench watch's statements.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "store/db.h"
#include "store/watchdb.h"
#include "lib/util.h"

int64_t
watchdb_open(PGconn *c, const struct watchdb_key *k, char last[64])
{
	const char *p[5] = { k->kind, k->repo, k->branch, k->worker,
	    k->workload };
	PGresult *r;
	int64_t id;

	/* DO UPDATE, not NOTHING: RETURNING then gives the old row too. */
	if (db_exec(c, &r, "INSERT INTO watch (kind, repo, branch, worker, "
	    "workload) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, repo, "
	    "branch, worker, workload) DO UPDATE SET updated = "
	    "watch.updated RETURNING id, coalesce(last_rev, '')", 5,
	    p) == -1)
		return -1;
	id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	snprintf(last, 64, "%s", PQgetvalue(r, 0, 1));
	PQclear(r);
	return id;
}

int
watchdb_advance(PGconn *c, int64_t id, const char *rev)
{
	char ids[24];
	const char *p[2] = { ids, rev };

	snprintf(ids, sizeof(ids), "%" PRId64, id);
	return db_exec(c, NULL, "UPDATE watch SET last_rev = $2, measured = "
	    "measured + 1, updated = now() WHERE id = $1", 2, p);
}

int
watchdb_held(PGconn *c, int64_t worker_id, struct db_table *t)
{
	char wid[24];
	const char *p[1] = { wid };

	snprintf(wid, sizeof(wid), "%" PRId64, worker_id);
	return db_query(c, t, "SELECT a.id, k.revision, pk.revision, "
	    "(SELECT cp.metric FROM change_point cp WHERE cp.alert_id = a.id "
	    "ORDER BY abs(cp.diff_pct) DESC LIMIT 1) FROM alert a "
	    "JOIN kernel k ON k.id = a.kernel_id "
	    "JOIN kernel pk ON pk.id = a.prev_kernel_id "
	    "WHERE a.worker_id = $1 AND a.delivery = 'held' "
	    "AND k.revision IS NOT NULL AND pk.revision IS NOT NULL "
	    "ORDER BY a.id", 1, p);
}

int
watchdb_confirm(PGconn *c, int64_t alert_id, int confirmed,
    int64_t bisection_id, const char *culprit, const char *note)
{
	char aid[24], bid[24];
	const char *p[5] = { aid, confirmed ? "true" : "false", bid, culprit,
	    note };

	snprintf(aid, sizeof(aid), "%" PRId64, alert_id);
	snprintf(bid, sizeof(bid), "%" PRId64, bisection_id);
	return db_exec(c, NULL, "UPDATE alert SET confirmed = $2::boolean, "
	    "bisection_id = NULLIF($3, '0')::bigint, culprit = $4, "
	    "confirm_note = $5, delivery = CASE WHEN $2::boolean THEN "
	    "'pending' ELSE 'quiet' END WHERE id = $1 AND delivery = 'held'",
	    5, p);
}

int
watchdb_bisection(PGconn *c, int64_t id, struct db_table *t)
{
	char bid[24];
	const char *p[1] = { bid };

	snprintf(bid, sizeof(bid), "%" PRId64, id);
	return db_query(c, t, "SELECT state, coalesce(culprit, ''), "
	    "coalesce(culprit_subject, ''), coalesce(reason, '') FROM "
	    "bisection WHERE id = $1", 1, p);
}

int
watchdb_run_key(PGconn *c, int64_t run, struct series_key *k)
{
	char rid[24];
	const char *p[1] = { rid };
	PGresult *r;

	snprintf(rid, sizeof(rid), "%" PRId64, run);
	if (db_exec(c, &r, "SELECT r.worker_id, r.workload_id, w.name, "
	    "l.name FROM run r JOIN worker w ON w.id = r.worker_id "
	    "JOIN workload l ON l.id = r.workload_id WHERE r.id = $1", 1,
	    p) == -1)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return -1;
	}
	k->worker_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	k->workload_id = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	k->worker = kb_strdup(PQgetvalue(r, 0, 2));
	k->workload = kb_strdup(PQgetvalue(r, 0, 3));
	PQclear(r);
	return 0;
}

int64_t
watchdb_run_kernel(PGconn *c, int64_t run)
{
	struct db_table t;
	int64_t id = -1;

	if (db_query_id(c, &t, "SELECT kernel_id FROM run WHERE id = $1",
	    run) == -1)
		return -1;
	if (t.nrows == 1 && !db_isnull(&t, 0, 0))
		id = strtoll(db_cell(&t, 0, 0), NULL, 10);
	db_table_free(&t);
	return id;
}
