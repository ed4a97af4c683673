/*
 * runsdb.c: housekeeping of runs: the statements of runsdb.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "store/db.h"
#include "store/runsdb.h"

int
runsdb_list(PGconn *c, int all, const char *state, long limit,
    struct db_table *t)
{
	char lim[24];
	const char *p[3] = { all ? "t" : "f", state, lim };

	snprintf(lim, sizeof(lim), "%ld", limit);
	return db_query(c, t, "SELECT r.id, r.state, r.hidden, w.name, "
	    "coalesce(w.arch, '?'), l.name, k.label, (SELECT count(*) FROM "
	    "sample s WHERE s.run_id = r.id), "
	    "to_char(r.created, 'YYYY-MM-DD HH24:MI:SS'), "
	    "coalesce(r.reason, '') FROM run r "
	    "JOIN worker w ON w.id = r.worker_id "
	    "JOIN workload l ON l.id = r.workload_id "
	    "JOIN kernel k ON k.id = r.kernel_id "
	    "WHERE ($1::boolean OR NOT r.hidden) "
	    "AND ($2::text IS NULL OR r.state = $2) "
	    "ORDER BY r.id DESC LIMIT $3::bigint", 3, p);
}

int
runsdb_hide(PGconn *c, int64_t id, int hide)
{
	char a[24];
	const char *p[2] = { a, hide ? "t" : "f" };

	snprintf(a, sizeof(a), "%" PRId64, id);
	return db_exec_one(c, "UPDATE run SET hidden = $2::boolean "
	    "WHERE id = $1::bigint", 2, p);
}

int
runsdb_rm(PGconn *c, int64_t id)
{
	char a[24];
	const char *p[1] = { a };
	PGresult *r;
	int n;

	snprintf(a, sizeof(a), "%" PRId64, id);
	if (db_begin(c) == -1)
		return -1;
	if (db_exec(c, NULL, "DELETE FROM series_range sr USING run r "
	    "WHERE r.id = $1::bigint AND sr.worker_id = r.worker_id AND "
	    "sr.workload_id = r.workload_id AND sr.kernel_id = r.kernel_id",
	    1, p) == -1 || db_exec(c, &r, "DELETE FROM run WHERE "
	    "id = $1::bigint", 1, p) == -1) {
		db_rollback(c);
		return -1;
	}
	n = atoi(PQcmdTuples(r));
	PQclear(r);
	if (db_commit(c) == -1)
		return -1;
	return n == 1 ? 0 : 1;
}

int
runsdb_pair_hidden(PGconn *c, int64_t wid, int64_t lid)
{
	char a[24], b[24];
	const char *p[2] = { a, b };
	PGresult *r;
	int rc;

	snprintf(a, sizeof(a), "%" PRId64, wid);
	snprintf(b, sizeof(b), "%" PRId64, lid);
	if (db_exec(c, &r, "SELECT coalesce(bool_and(hidden), false) "
	    "FROM run WHERE worker_id = $1::bigint AND "
	    "workload_id = $2::bigint", 2, p) == -1)
		return -1;
	rc = PQntuples(r) == 1 && *PQgetvalue(r, 0, 0) == 't';
	PQclear(r);
	return rc;
}
