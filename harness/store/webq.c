/*
 * webq.c: the web pages' and the JSON API's own statements.
 */
#include <inttypes.h>
#include <stdio.h>

#include "store/db.h"
#include "store/webq.h"

/* The queue as the status page shows it: what waits or runs, and what
 * ended in the last day (its verdict). */
#define RECENT	"(state IN ('queued', 'building', 'booting', 'running') " \
	"OR finished > now() - interval '1 day')"

int
webq_tries_api(PGconn *c, struct db_table *t)
{
	return db_query(c, t, "SELECT id, worker, workload, n, state, "
	    "to_char(submitted, 'YYYY-MM-DD HH24:MI:SS'), verdict FROM "
	    "try_request WHERE " RECENT " ORDER BY id DESC LIMIT 100", 0,
	    NULL);
}

int
webq_tries_page(PGconn *c, struct db_table *t)
{
	return db_query(c, t, "SELECT id, worker, workload, n, "
	    "to_char(submitted, 'YYYY-MM-DD HH24:MI:SS'), length(patch), "
	    "state, coalesce(verdict, coalesce(error, '')) FROM try_request "
	    "WHERE " RECENT " ORDER BY id DESC LIMIT 50", 0, NULL);
}

int
webq_try_submit(PGconn *c, const char *worker, const char *workload,
    const char *n, const char *patch, const char *client, char id[24])
{
	const char *p[5] = { worker, workload, n, patch, client };
	PGresult *r;

	if (db_exec(c, &r, "INSERT INTO try_request (worker, workload, "
	    "n, patch, client) VALUES ($1, $2, $3::integer, $4, $5) "
	    "RETURNING id", 5, p) == -1)
		return -1;
	snprintf(id, 24, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

int
webq_samples_api(PGconn *c, int64_t run, long limit, struct db_table *t)
{
	char id[24], lim[24];
	const char *p[2] = { id, lim };

	snprintf(id, sizeof(id), "%" PRId64, run);
	snprintf(lim, sizeof(lim), "%ld", limit);
	return db_query(c, t, "SELECT rep, warmup, real_us / 1e6, "
	    "user_us / 1e6, sys_us / 1e6, maxrss_kb, status, timedout "
	    "FROM sample WHERE run_id = $1 ORDER BY rep LIMIT $2::bigint",
	    2, p);
}

int
webq_samples_page(PGconn *c, int64_t run, long limit, struct db_table *t)
{
	char id[24], lim[24];
	const char *p[2] = { id, lim };

	snprintf(id, sizeof(id), "%" PRId64, run);
	snprintf(lim, sizeof(lim), "%ld", limit);
	return db_query(c, t, "SELECT rep, warmup, round(real_us / 1e6, 2), "
	    "round(user_us / 1e6, 2), round(sys_us / 1e6, 2), maxrss_kb, "
	    "majflt, minflt, "
	    "nvcsw, nivcsw, status, timedout FROM sample WHERE run_id = $1 "
	    "ORDER BY rep LIMIT $2::bigint", 2, p);
}

int
webq_try(PGconn *c, int64_t id, struct db_table *t)
{
	return db_query_id(c, t, "SELECT id, worker, workload, n, state, "
	    "to_char(submitted, 'YYYY-MM-DD HH24:MI:SS'), "
	    "coalesce(to_char(started, 'YYYY-MM-DD HH24:MI:SS'), ''), "
	    "coalesce(to_char(finished, 'YYYY-MM-DD HH24:MI:SS'), ''), "
	    "coalesce(verdict, ''), coalesce(error, ''), "
	    "coalesce(log_path, ''), attempts FROM try_request "
	    "WHERE id = $1::bigint", id);
}

int
webq_try_runs(PGconn *c, int64_t id, struct db_table *t)
{
	return db_query_id(c, t, "SELECT r.id, r.state, k.label, "
	    "coalesce(k.kid, ''), k.id, r.worker_id, r.workload_id, "
	    "(SELECT count(*) FROM sample s WHERE s.run_id = r.id AND "
	    DB_COUNTED "), coalesce(round(r.boot_us / 1e6, 2)::text, ''), "
	    "to_char(r.created, 'YYYY-MM-DD HH24:MI:SS'), "
	    "coalesce(r.log_path, ''), coalesce(r.reason, ''), "
	    "coalesce(io.rd::text, ''), coalesce(io.cpre::text, ''), "
	    "coalesce(io.cpost::text, '') "
	    "FROM try_request tr JOIN worker w ON w.name = tr.worker "
	    "JOIN workload l ON l.name = tr.workload "
	    "JOIN run r ON r.worker_id = w.id AND r.workload_id = l.id "
	    "JOIN kernel k ON k.id = r.kernel_id "
	    "LEFT JOIN LATERAL (SELECT round(avg(s.disk_read_kib)) AS rd, "
	    "round(avg(s.cached_pre_kib)) AS cpre, "
	    "round(avg(s.cached_post_kib)) AS cpost FROM sample s "
	    "WHERE s.run_id = r.id AND " DB_COUNTED ") io ON true "
	    "WHERE tr.id = $1::bigint AND tr.started IS NOT NULL AND "
	    "r.created >= tr.started AND "
	    "(tr.finished IS NULL OR r.created <= tr.finished) "
	    "ORDER BY r.id", id);
}
