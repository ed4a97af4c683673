/*
 * plotdb.c: the versions of the plots' input, for the plot cache.
 */
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/webdata.h"
#include "store/plotdb.h"

/* The one value of a version query into out. */
static int
version(PGconn *c, const char *sql, int n, const char *const *p,
    char out[PD_VERSION_LEN])
{
	PGresult *r;

	if (db_exec(c, &r, sql, n, p) == -1)
		return -1;
	snprintf(out, PD_VERSION_LEN, "%s", PQntuples(r) == 1 ?
	    PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	return 0;
}

int
pd_version_compare(PGconn *c, int64_t wid, int64_t lid, int64_t ka,
    int64_t kb, char out[PD_VERSION_LEN])
{
	char a[24], b[24], k1[24], k2[24];
	const char *p[4] = { wd_id(a, wid), wd_id(b, lid), wd_id(k1, ka),
	    wd_id(k2, kb) };

	/* series_point is rewritten by the trigger on every sample change. */
	return version(c,
	    "SELECT md5(concat_ws('|', (SELECT name FROM worker "
	    "WHERE id = $1), (SELECT name FROM workload WHERE id = $2), "
	    "(SELECT string_agg(concat_ws(':', k.id, k.label, p.n, "
	    "p.updated), ',' ORDER BY k.id = $4::bigint, k.id) FROM kernel k "
	    "LEFT JOIN series_point p ON p.worker_id = $1 AND "
	    "p.workload_id = $2 AND p.kernel_id = k.id "
	    "WHERE k.id IN ($3::bigint, $4::bigint))))", 4, p, out);
}

int
pd_version_history(PGconn *c, int64_t wid, int64_t lid,
    char out[PD_VERSION_LEN])
{
	char a[24], b[24];
	const char *p[2] = { wd_id(a, wid), wd_id(b, lid) };

	return version(c,
	    "SELECT md5(concat_ws('|', (SELECT name || ':' || arch "
	    "FROM worker WHERE id = $1), (SELECT name FROM workload "
	    "WHERE id = $2), (SELECT string_agg(concat_ws(':', k.id, "
	    "k.label, k.revision, k.commit_date, p.n, p.updated), ',' "
	    "ORDER BY k.id) FROM series_point p JOIN kernel k "
	    "ON k.id = p.kernel_id WHERE p.worker_id = $1 AND "
	    "p.workload_id = $2), (SELECT string_agg(cp::text, ',' "
	    "ORDER BY cp.metric, cp.kernel_id) FROM change_point cp "
	    "WHERE cp.worker_id = $1 AND cp.workload_id = $2)))", 2, p, out);
}

int
pd_version_overview(PGconn *c, int64_t lid, char out[PD_VERSION_LEN])
{
	char b[24];
	const char *p[1] = { wd_id(b, lid) };

	/* Every worker's series of the workload: arches are few. */
	return version(c,
	    "SELECT md5(concat_ws('|', (SELECT name FROM workload "
	    "WHERE id = $1), (SELECT string_agg(concat_ws(':', w.id, "
	    "w.name, w.arch, k.id, k.label, k.commit_date, p.n, p.updated), "
	    "',' ORDER BY w.id, k.id) FROM series_point p "
	    "JOIN kernel k ON k.id = p.kernel_id "
	    "JOIN worker w ON w.id = p.worker_id WHERE p.workload_id = $1)))",
	    1, p, out);
}
