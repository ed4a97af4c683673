/*
 * dbinfo.c: counts and a fingerprint of what the database holds.
 */
#include <stdio.h>

#include "store/db.h"
#include "store/dbinfo.h"

int
dbinfo_counts(PGconn *c, struct dbinfo_counts *n)
{
	PGresult *r;

	if (db_exec(c, &r, "SELECT (SELECT count(*) FROM run), "
	    "(SELECT count(*) FROM sample), (SELECT count(*) FROM kernel), "
	    "(SELECT count(*) FROM worker), (SELECT count(*) FROM workload), "
	    "(SELECT count(*) FROM run WHERE state NOT IN ('done', 'failed'))",
	    0, NULL) == -1)
		return -1;
	snprintf(n->runs, sizeof(n->runs), "%s", PQgetvalue(r, 0, 0));
	snprintf(n->samples, sizeof(n->samples), "%s", PQgetvalue(r, 0, 1));
	snprintf(n->kernels, sizeof(n->kernels), "%s", PQgetvalue(r, 0, 2));
	snprintf(n->workers, sizeof(n->workers), "%s", PQgetvalue(r, 0, 3));
	snprintf(n->workloads, sizeof(n->workloads), "%s",
	    PQgetvalue(r, 0, 4));
	snprintf(n->unfinished, sizeof(n->unfinished), "%s",
	    PQgetvalue(r, 0, 5));
	PQclear(r);
	return 0;
}

int
dbinfo_fingerprint(PGconn *c, char *buf, size_t len)
{
	PGresult *r;

	if (db_exec(c, &r, "SELECT coalesce(max(id), 0) || ':' || "
	    "count(*) FILTER (WHERE state = 'done') || ':' || "
	    "coalesce(max(finished)::text, '') FROM run", 0, NULL) == -1)
		return -1;
	snprintf(buf, len, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}
