/*
 * webdata.c: the queries behind reports, plots and pages.  Everything
 * is aggregated in the server; finished data is summarised once into
 * series_range and run_summary (db/006_web.sql) and read from there.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/webdata.h"

#define FINISHED "('done', 'failed')"
#define TS(col) "coalesce(to_char(" col ", 'YYYY-MM-DD HH24:MI:SS'), '')"

/*
 * The metric's column, chosen by a parameter ($3) rather than pasted
 * into the SQL: nothing of the caller's reaches the statement text.
 * The CASE is made once from the metric table (lib/sample.c), so the
 * names and columns are written down in one place only.
 */
static const char *
metric_expr(void)
{
	static char *e;
	char *t;
	int i;

	if (e != NULL)
		return e;
	e = kb_strdup("(CASE $3::text");
	for (i = 0; i < KB_M_COUNT; i++) {
		t = kb_asprintf("%s WHEN '%s' THEN s.%s", e,
		    kb_metric_name((enum kb_metric)i),
		    kb_metric_column((enum kb_metric)i));
		free(e);
		e = t;
	}
	t = kb_asprintf("%s END)", e);
	free(e);
	e = t;
	return e;
}

/* Statement which (0 or 1): head, the metric's CASE, tail; made once. */
static const char *
metric_sql(int which, const char *head, const char *tail)
{
	static char *q[2];

	if (q[which] == NULL)
		q[which] = kb_asprintf("%s%s%s", head, metric_expr(), tail);
	return q[which];
}

char *
wd_str(PGresult *r, int row, int col)
{
	return kb_strdup(PQgetisnull(r, row, col) ? "" :
	    PQgetvalue(r, row, col));
}

int64_t
wd_int(PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return 0;
	return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

double
wd_dbl(PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return NAN;
	return strtod(PQgetvalue(r, row, col), NULL);
}

const char *
wd_id(char buf[24], int64_t v)
{
	snprintf(buf, 24, "%" PRId64, v);
	return buf;
}

void
wd_session(PGconn *c)
{
	(void)db_exec(c, NULL, "SET jit = off", 0, NULL);
}

static void
pair_row(PGresult *r, int i, struct wd_pair *p)
{
	p->worker_id = wd_int(r, i, 0);
	p->worker = wd_str(r, i, 1);
	p->arch = wd_str(r, i, 2);
	p->workload_id = wd_int(r, i, 3);
	p->workload = wd_str(r, i, 4);
	p->nkernels = (long)wd_int(r, i, 5);
	p->nruns = (long)wd_int(r, i, 6);
	p->nactive = (long)wd_int(r, i, 7);
	p->last = wd_str(r, i, 8);
	p->os = wd_str(r, i, 9);
}

#define PAIR_SQL \
	"SELECT w.id, w.name, coalesce(w.arch, '?'), l.id, l.name, " \
	"count(DISTINCT r.kernel_id), count(*), " \
	"count(*) FILTER (WHERE r.state NOT IN " FINISHED "), " \
	TS("max(r.created)") ", coalesce(w.os, '') FROM run r " \
	"JOIN worker w ON w.id = r.worker_id " \
	"JOIN workload l ON l.id = r.workload_id "

int
wd_pairs(PGconn *c, struct wd_pair **out, size_t *np)
{
	PGresult *r;
	int i, n;

	*out = NULL;
	*np = 0;
	if (db_exec(c, &r, PAIR_SQL "GROUP BY w.id, l.id "
	    "ORDER BY 3, l.name, w.name", 0, NULL) == -1)
		return -1;
	n = PQntuples(r);
	*out = kb_calloc((size_t)n + 1, sizeof(**out));
	for (i = 0; i < n; i++)
		pair_row(r, i, &(*out)[i]);
	*np = (size_t)n;
	PQclear(r);
	return 0;
}

int
wd_pair(PGconn *c, int64_t wid, int64_t lid, struct wd_pair *p)
{
	char a[24], b[24];
	const char *pp[2] = { wd_id(a, wid), wd_id(b, lid) };
	PGresult *r;
	int rc = -1;

	memset(p, 0, sizeof(*p));
	if (db_exec(c, &r, PAIR_SQL "WHERE r.worker_id = $1 AND "
	    "r.workload_id = $2 GROUP BY w.id, l.id", 2, pp) == -1)
		return -1;
	if (PQntuples(r) == 1) {
		pair_row(r, 0, p);
		rc = 0;
	}
	PQclear(r);
	return rc;
}

void
wd_pairs_free(struct wd_pair *v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++) {
		free(v[i].worker);
		free(v[i].workload);
		free(v[i].arch);
		free(v[i].os);
		free(v[i].last);
	}
	free(v);
}

/* "{1,2,3}" for a bigint[] parameter. */
static char *
id_array(const int64_t *v, size_t n)
{
	char *buf, *p;
	size_t i;

	p = buf = kb_malloc(n * 22 + 3);
	*p++ = '{';
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s%" PRId64, i ? "," : "", v[i]);
	*p++ = '}';
	*p = '\0';
	return buf;
}

/*
 * Kernels whose cached point is missing or made from other runs: the
 * finished ones are summarised into series_range now; the others come
 * back in live (summarised by the caller's query, never cached).
 */
static int
refresh_points(PGconn *c, const char *const p3[3], char **live)
{
	PGresult *r;
	int64_t *fin, *act;
	size_t nf = 0, na = 0;
	const char *p[4];
	char *arr;
	int i, n, rc = 0;

	if (db_exec(c, &r,
	    "WITH k AS (SELECT kernel_id, count(*) AS nruns, max(id) AS maxrun, "
	    "bool_and(state IN " FINISHED ") AS fin FROM run "
	    "WHERE worker_id = $1 AND workload_id = $2 GROUP BY kernel_id) "
	    "SELECT k.kernel_id, k.fin FROM k LEFT JOIN series_range sr ON "
	    "sr.worker_id = $1 AND sr.workload_id = $2 AND "
	    "sr.kernel_id = k.kernel_id AND sr.metric = $3::text AND "
	    "sr.nruns = k.nruns AND sr.maxrun = k.maxrun "
	    "WHERE sr.kernel_id IS NULL", 3, p3) == -1)
		return -1;
	n = PQntuples(r);
	fin = kb_calloc((size_t)n + 1, sizeof(*fin));
	act = kb_calloc((size_t)n + 1, sizeof(*act));
	for (i = 0; i < n; i++) {
		if (strcmp(PQgetvalue(r, i, 1), "t") == 0)
			fin[nf++] = wd_int(r, i, 0);
		else
			act[na++] = wd_int(r, i, 0);
	}
	PQclear(r);
	if (nf > 0) {
		arr = id_array(fin, nf);
		p[0] = p3[0];
		p[1] = p3[1];
		p[2] = p3[2];
		p[3] = arr;
		rc = db_exec(c, NULL, metric_sql(0,
		    "INSERT INTO series_range (worker_id, workload_id, "
		    "kernel_id, metric, nruns, maxrun, n, min, max, median, "
		    "mean, stddev) SELECT $1, $2, k.kernel_id, $3::text, "
		    "k.nruns, k.maxrun, a.n, a.mn, a.mx, a.md, a.av, a.sd FROM "
		    "(SELECT kernel_id, count(*) AS nruns, max(id) AS maxrun "
		    "FROM run WHERE worker_id = $1 AND workload_id = $2 AND "
		    "kernel_id = ANY($4::bigint[]) GROUP BY kernel_id) k "
		    "CROSS JOIN LATERAL (SELECT count(v) AS n, min(v) AS mn, "
		    "max(v) AS mx, percentile_cont(0.5) WITHIN GROUP "
		    "(ORDER BY v) AS md, avg(v) AS av, stddev_samp(v) AS sd "
		    "FROM (SELECT ",
		    " AS v FROM run r "
		    "JOIN sample s ON s.run_id = r.id WHERE r.worker_id = $1 "
		    "AND r.workload_id = $2 AND r.kernel_id = k.kernel_id AND "
		    DB_COUNTED ") x WHERE v IS NOT NULL) a "
		    "ON CONFLICT (worker_id, workload_id, kernel_id, metric) "
		    "DO UPDATE SET nruns = EXCLUDED.nruns, "
		    "maxrun = EXCLUDED.maxrun, n = EXCLUDED.n, "
		    "min = EXCLUDED.min, max = EXCLUDED.max, "
		    "median = EXCLUDED.median, mean = EXCLUDED.mean, "
		    "stddev = EXCLUDED.stddev"), 4, p);
		free(arr);
	}
	*live = id_array(act, na);
	free(fin);
	free(act);
	return rc;
}

int
wd_series_load(PGconn *c, int64_t wid, int64_t lid, enum kb_metric m,
    struct wd_series *s)
{
	char a[24], b[24];
	const char *p[4];
	struct wd_pair pair;
	struct wd_point *pt;
	PGresult *r;
	char *live;
	double scale;
	int i, n;

	memset(s, 0, sizeof(*s));
	if (wd_pair(c, wid, lid, &pair) == -1)
		return -1;
	s->worker_id = wid;
	s->workload_id = lid;
	s->worker = pair.worker;
	s->workload = pair.workload;
	s->arch = pair.arch;
	s->os = pair.os;
	free(pair.last);
	s->m = m;
	p[0] = wd_id(a, wid);
	p[1] = wd_id(b, lid);
	p[2] = kb_metric_name(m);
	if (refresh_points(c, p, &live) == -1)
		return -1;
	p[3] = live;
	if (db_exec(c, &r, metric_sql(1,
	    "WITH k AS (SELECT kernel_id, min(id) AS first FROM run "
	    "WHERE worker_id = $1 AND workload_id = $2 GROUP BY kernel_id), "
	    "live AS (SELECT r.kernel_id, count(x.v) AS n, min(x.v) AS mn, "
	    "max(x.v) AS mx, percentile_cont(0.5) WITHIN GROUP "
	    "(ORDER BY x.v) AS md, avg(x.v) AS av, stddev_samp(x.v) AS sd "
	    "FROM run r JOIN sample s ON s.run_id = r.id CROSS JOIN LATERAL "
	    "(SELECT ",
	    " AS v) x WHERE r.worker_id = $1 AND "
	    "r.workload_id = $2 AND r.kernel_id = ANY($4::bigint[]) AND "
	    DB_COUNTED " AND x.v IS NOT NULL GROUP BY r.kernel_id), "
	    "pt AS (SELECT k.kernel_id, k.first, "
	    "CASE WHEN k.kernel_id = ANY($4::bigint[]) THEN live.n "
	    "ELSE sr.n END AS n, "
	    "CASE WHEN k.kernel_id = ANY($4::bigint[]) THEN live.mn "
	    "ELSE sr.min END AS mn, "
	    "CASE WHEN k.kernel_id = ANY($4::bigint[]) THEN live.mx "
	    "ELSE sr.max END AS mx, "
	    "CASE WHEN k.kernel_id = ANY($4::bigint[]) THEN live.md "
	    "ELSE sr.median END AS md, "
	    "CASE WHEN k.kernel_id = ANY($4::bigint[]) THEN live.av "
	    "ELSE sr.mean END AS av, "
	    "CASE WHEN k.kernel_id = ANY($4::bigint[]) THEN live.sd "
	    "ELSE sr.stddev END AS sd FROM k "
	    "LEFT JOIN series_range sr ON sr.worker_id = $1 AND "
	    "sr.workload_id = $2 AND sr.kernel_id = k.kernel_id AND "
	    "sr.metric = $3::text "
	    "LEFT JOIN live ON live.kernel_id = k.kernel_id) "
	    "SELECT kn.id, kn.label, coalesce(kn.revision, ''), "
	    "coalesce(to_char(kn.commit_date, 'YYYY-MM-DD'), ''), pt.n, "
	    "pt.mn, pt.mx, pt.md, pt.av, pt.sd FROM pt "
	    "JOIN kernel kn ON kn.id = pt.kernel_id WHERE pt.n > 0 "
	    "ORDER BY kn.commit_date NULLS LAST, pt.first"), 4, p) == -1) {
		free(live);
		return -1;
	}
	free(live);
	n = PQntuples(r);
	scale = kb_metric_is_time(m) ? 1e6 : 1;
	s->v = kb_calloc((size_t)n + 1, sizeof(*s->v));
	for (i = 0; i < n; i++) {
		pt = &s->v[i];
		pt->kernel_id = wd_int(r, i, 0);
		pt->label = wd_str(r, i, 1);
		pt->revision = wd_str(r, i, 2);
		pt->date = wd_str(r, i, 3);
		pt->n = (long)wd_int(r, i, 4);
		pt->min = wd_dbl(r, i, 5) / scale;
		pt->max = wd_dbl(r, i, 6) / scale;
		pt->median = wd_dbl(r, i, 7) / scale;
		pt->mean = wd_dbl(r, i, 8) / scale;
		pt->stddev = wd_dbl(r, i, 9) / scale;
	}
	s->n = (size_t)n;
	PQclear(r);
	return 0;
}

void
wd_series_free(struct wd_series *s)
{
	size_t i;

	for (i = 0; s->v != NULL && i < s->n; i++) {
		free(s->v[i].label);
		free(s->v[i].revision);
		free(s->v[i].date);
	}
	free(s->v);
	free(s->worker);
	free(s->workload);
	free(s->arch);
	free(s->os);
	memset(s, 0, sizeof(*s));
}

long
wd_series_find(const struct wd_series *s, int64_t kid)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].kernel_id == kid)
			return (long)i;
	return -1;
}

int
wd_has_changes(PGconn *c)
{
	PGresult *r;
	int has = 0;

	if (db_exec(c, &r, "SELECT to_regclass('change_point') IS NOT NULL",
	    0, NULL) == -1)
		return 0;
	has = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	return has;
}

int
wd_changes(PGconn *c, int64_t wid, int64_t lid, int open_only,
    struct wd_change **out, size_t *np)
{
	char a[24], b[24];
	const char *p[3] = { wd_id(a, wid), wd_id(b, lid),
	    open_only ? "t" : "f" };
	struct wd_change *ch;
	PGresult *r;
	int i, n;

	*out = NULL;
	*np = 0;
	if (!wd_has_changes(c))
		return 0;
	if (db_exec(c, &r,
	    "SELECT c.worker_id, c.workload_id, c.kernel_id, "
	    "coalesce(c.prev_kernel_id, 0), w.name, l.name, "
	    "coalesce(w.arch, '?'), c.metric, k.label, "
	    "coalesce(pk.label, ''), c.direction, c.status, "
	    TS("c.detected") ", c.mean_before, c.mean_after, c.diff_pct, "
	    "c.ci_low_pct, c.ci_high_pct, c.p_value FROM change_point c "
	    "JOIN worker w ON w.id = c.worker_id "
	    "JOIN workload l ON l.id = c.workload_id "
	    "JOIN kernel k ON k.id = c.kernel_id "
	    "LEFT JOIN kernel pk ON pk.id = c.prev_kernel_id "
	    "WHERE ($1::bigint = 0 OR c.worker_id = $1::bigint) AND "
	    "($2::bigint = 0 OR c.workload_id = $2::bigint) AND "
	    "(NOT $3::boolean OR c.status = 'open') "
	    "ORDER BY c.detected DESC LIMIT 500", 3, p) == -1)
		return -1;
	n = PQntuples(r);
	*out = kb_calloc((size_t)n + 1, sizeof(**out));
	for (i = 0; i < n; i++) {
		ch = &(*out)[i];
		ch->worker_id = wd_int(r, i, 0);
		ch->workload_id = wd_int(r, i, 1);
		ch->kernel_id = wd_int(r, i, 2);
		ch->prev_kernel_id = wd_int(r, i, 3);
		ch->worker = wd_str(r, i, 4);
		ch->workload = wd_str(r, i, 5);
		ch->arch = wd_str(r, i, 6);
		ch->metric = wd_str(r, i, 7);
		ch->kernel = wd_str(r, i, 8);
		ch->prev_kernel = wd_str(r, i, 9);
		ch->direction = wd_str(r, i, 10);
		ch->status = wd_str(r, i, 11);
		ch->detected = wd_str(r, i, 12);
		ch->mean_before = wd_dbl(r, i, 13);
		ch->mean_after = wd_dbl(r, i, 14);
		ch->diff_pct = wd_dbl(r, i, 15);
		ch->ci_low = wd_dbl(r, i, 16);
		ch->ci_high = wd_dbl(r, i, 17);
		ch->p = wd_dbl(r, i, 18);
	}
	*np = (size_t)n;
	PQclear(r);
	return 0;
}

void
wd_changes_free(struct wd_change *v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++) {
		free(v[i].worker);
		free(v[i].workload);
		free(v[i].arch);
		free(v[i].metric);
		free(v[i].kernel);
		free(v[i].prev_kernel);
		free(v[i].direction);
		free(v[i].status);
		free(v[i].detected);
	}
	free(v);
}

/* Runs selected by $1 (state or NULL), $2 (limit), $3 (one id or 0). */
#define RUN_WHERE "WHERE ($3::bigint = 0 OR r.id = $3::bigint) AND " \
	"($1::text IS NULL OR r.state = $1::text) "

static void
run_row(PGresult *r, int i, struct wd_run *w)
{
	w->id = wd_int(r, i, 0);
	w->worker_id = wd_int(r, i, 1);
	w->workload_id = wd_int(r, i, 2);
	w->kernel_id = wd_int(r, i, 3);
	w->ukey = wd_str(r, i, 4);
	w->state = wd_str(r, i, 5);
	w->reason = wd_str(r, i, 6);
	w->worker = wd_str(r, i, 7);
	w->arch = wd_str(r, i, 8);
	w->workload = wd_str(r, i, 9);
	w->kernel = wd_str(r, i, 10);
	w->kid = wd_str(r, i, 11);
	w->variant = wd_str(r, i, 12);
	w->source = wd_str(r, i, 13);
	w->command = wd_str(r, i, 14);
	w->log_path = wd_str(r, i, 15);
	w->created = wd_str(r, i, 16);
	w->started = wd_str(r, i, 17);
	w->finished = wd_str(r, i, 18);
	w->n_planned = (long)wd_int(r, i, 19);
	w->nall = (long)wd_int(r, i, 20);
	w->done = (long)wd_int(r, i, 21);
	w->mean_real = wd_dbl(r, i, 22) / 1e6;
	w->median_real = wd_dbl(r, i, 23) / 1e6;
	w->elapsed = wd_dbl(r, i, 24);
}

/*
 * Finished runs are summarised once into run_summary; active runs are
 * counted live (they hold at most n_planned samples).
 */
static int
runs_query(PGconn *c, const char *state, long limit, int64_t id,
    struct wd_run **out, size_t *np)
{
	char lb[24], ib[24];
	const char *p[3];
	PGresult *r;
	int i, n;

	*out = NULL;
	*np = 0;
	p[0] = state;
	p[1] = wd_id(lb, limit);
	p[2] = wd_id(ib, id);
	if (db_exec(c, NULL,
	    "INSERT INTO run_summary (run_id, nall, n, real_median, "
	    "real_mean, real_min, real_max) SELECT r.id, a.* FROM "
	    "(SELECT r.id FROM run r " RUN_WHERE "ORDER BY r.id DESC "
	    "LIMIT $2::bigint) r0 JOIN run r ON r.id = r0.id "
	    "CROSS JOIN LATERAL (SELECT count(*), "
	    "count(*) FILTER (WHERE " DB_COUNTED "), "
	    "percentile_cont(0.5) WITHIN GROUP (ORDER BY s.real_us) "
	    "FILTER (WHERE " DB_COUNTED "), "
	    "avg(s.real_us) FILTER (WHERE " DB_COUNTED "), "
	    "min(s.real_us) FILTER (WHERE " DB_COUNTED "), "
	    "max(s.real_us) FILTER (WHERE " DB_COUNTED ") "
	    "FROM sample s WHERE s.run_id = r.id) a "
	    "WHERE r.state IN " FINISHED " AND NOT EXISTS (SELECT 1 FROM "
	    "run_summary x WHERE x.run_id = r.id) "
	    "ON CONFLICT (run_id) DO NOTHING", 3, p) == -1)
		return -1;
	if (db_exec(c, &r,
	    "SELECT r.id, r.worker_id, r.workload_id, r.kernel_id, r.ukey, "
	    "r.state, coalesce(r.reason, ''), w.name, coalesce(w.arch, '?'), "
	    "l.name, k.label, coalesce(k.kid, ''), coalesce(r.variant, ''), "
	    "r.source, coalesce(r.command, ''), coalesce(r.log_path, ''), "
	    TS("r.created") ", " TS("r.started") ", " TS("r.finished") ", "
	    "coalesce(r.n_planned, 0), coalesce(rs.nall, lv.nall), "
	    "coalesce(rs.n, lv.nrep), "
	    "CASE WHEN rs.run_id IS NULL THEN lv.mean ELSE rs.real_mean END, "
	    "rs.real_median, extract(epoch FROM (coalesce(r.finished, now()) "
	    "- coalesce(r.started, r.created))) "
	    "FROM run r JOIN worker w ON w.id = r.worker_id "
	    "JOIN workload l ON l.id = r.workload_id "
	    "JOIN kernel k ON k.id = r.kernel_id "
	    "LEFT JOIN run_summary rs ON rs.run_id = r.id "
	    "LEFT JOIN LATERAL (SELECT count(*) AS nall, "
	    "count(*) FILTER (WHERE NOT s.warmup) AS nrep, "
	    "avg(s.real_us) AS mean FROM sample s WHERE s.run_id = r.id "
	    /* Only for runs without a summary: never scan a finished one. */
	    "AND rs.run_id IS NULL) lv ON true " RUN_WHERE
	    "ORDER BY r.id DESC LIMIT $2::bigint", 3, p) == -1)
		return -1;
	n = PQntuples(r);
	*out = kb_calloc((size_t)n + 1, sizeof(**out));
	for (i = 0; i < n; i++)
		run_row(r, i, &(*out)[i]);
	*np = (size_t)n;
	PQclear(r);
	return 0;
}

int
wd_runs(PGconn *c, const char *state, long limit, struct wd_run **out,
    size_t *np)
{
	return runs_query(c, state, limit, 0, out, np);
}

int
wd_run(PGconn *c, int64_t id, struct wd_run *w)
{
	struct wd_run *v;
	size_t n;

	memset(w, 0, sizeof(*w));
	if (runs_query(c, NULL, 1, id, &v, &n) == -1)
		return -1;
	if (n == 0) {
		free(v);
		return -1;
	}
	*w = v[0];
	free(v);
	return 0;
}

void
wd_run_free(struct wd_run *w)
{
	free(w->ukey);
	free(w->state);
	free(w->reason);
	free(w->worker);
	free(w->workload);
	free(w->arch);
	free(w->kernel);
	free(w->kid);
	free(w->variant);
	free(w->source);
	free(w->command);
	free(w->log_path);
	free(w->created);
	free(w->started);
	free(w->finished);
}

void
wd_runs_free(struct wd_run *v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		wd_run_free(&v[i]);
	free(v);
}

double
wd_run_eta(const struct wd_run *w)
{
	long left;

	if (w->n_planned <= 0 || isnan(w->mean_real) || w->nall == 0)
		return NAN;
	left = w->n_planned - w->done;
	return left > 0 ? left * w->mean_real : 0;
}

/* One row of wd_values(): each wanted metric's value, when known. */
static void
values_row(void *arg, PGresult *r)
{
	struct wd_values *v = arg;
	int64_t x;
	int m;

	for (m = 0; m < KB_M_COUNT; m++) {
		if (!(v->mask & (1u << m)) || PQgetisnull(r, 0, m) ||
		    (x = wd_int(r, 0, m)) == KB_NONE)
			continue;
		if (v->n[m] == v->cap[m]) {
			v->cap[m] = v->cap[m] ? v->cap[m] * 2 : 256;
			v->v[m] = kb_reallocarray(v->v[m], v->cap[m],
			    sizeof(double));
		}
		v->v[m][v->n[m]++] = kb_metric_is_time((enum kb_metric)m) ?
		    (double)x / 1e6 : (double)x;
	}
	v->rows++;
}

long
wd_values(PGconn *c, int64_t wid, int64_t lid, int64_t kid,
    unsigned mask, struct wd_values *v)
{
	char a[24], b[24], k[24], *cols = NULL, *t;
	const char *p[3] = { wd_id(a, wid), wd_id(b, lid), wd_id(k, kid) };
	int m, rc;

	memset(v, 0, sizeof(*v));
	v->mask = mask;
	for (m = 0; m < KB_M_COUNT; m++) {
		t = kb_asprintf("%s%ss.%s", cols != NULL ? cols : "",
		    m > 0 ? ", " : "", kb_metric_column((enum kb_metric)m));
		free(cols);
		cols = t;
	}
	/* Row by row: a million samples are never a million rows here. */
	t = kb_asprintf("SELECT %s FROM run r JOIN sample s "
	    "ON s.run_id = r.id WHERE r.worker_id = $1 AND "
	    "r.workload_id = $2 AND r.kernel_id = $3 AND " DB_COUNTED
	    " ORDER BY r.id, s.rep", cols);
	rc = db_each(c, t, 3, p, values_row, v);
	free(t);
	free(cols);
	if (rc == -1) {
		wd_values_free(v);
		return -1;
	}
	return v->rows;
}

void
wd_values_free(struct wd_values *v)
{
	int m;

	for (m = 0; m < KB_M_COUNT; m++)
		free(v->v[m]);
	memset(v, 0, sizeof(*v));
}

char *
wd_kernel_label(PGconn *c, int64_t kid)
{
	char k[24];
	const char *p[1] = { wd_id(k, kid) };
	PGresult *r;
	char *s = NULL;

	if (db_exec(c, &r, "SELECT label FROM kernel WHERE id = $1", 1,
	    p) == -1)
		return NULL;
	if (PQntuples(r) == 1)
		s = wd_str(r, 0, 0);
	PQclear(r);
	return s;
}

int64_t
wd_baseline(PGconn *c, const struct wd_series *s, int64_t kid)
{
	char k[24];
	const char *p[1] = { wd_id(k, kid) };
	PGresult *r;
	int64_t par = 0;
	long i;

	if ((i = wd_series_find(s, kid)) == -1)
		return 0;
	/* A kernel built on a named parent is compared with it. */
	if (db_exec(c, &r, "SELECT p.id FROM kernel k JOIN kernel p "
	    "ON p.label = k.parent WHERE k.id = $1", 1, p) == 0) {
		if (PQntuples(r) == 1)
			par = wd_int(r, 0, 0);
		PQclear(r);
	}
	if (par != 0 && par != kid && wd_series_find(s, par) >= 0)
		return par;
	return i > 0 ? s->v[i - 1].kernel_id : 0;
}

/*
 * Summarise what is finished before the first request: the series of
 * every pair (the time metrics) and the newest runs.  A bulk import
 * otherwise makes the first visitor wait for it (412 ms for the index
 * after a million samples were loaded); later data is summarised a
 * kernel or a run at a time, as it comes.
 */
int
wd_warm(PGconn *c, long runs)
{
	static const enum kb_metric m[] = { KB_M_REAL, KB_M_USER, KB_M_SYS };
	struct wd_pair *pairs;
	struct wd_series s;
	struct wd_run *rv;
	size_t np, nr, i, k;

	if (wd_pairs(c, &pairs, &np) == -1)
		return -1;
	for (i = 0; i < np; i++)
		for (k = 0; k < sizeof(m) / sizeof(m[0]); k++) {
			if (wd_series_load(c, pairs[i].worker_id,
			    pairs[i].workload_id, m[k], &s) == -1) {
				wd_pairs_free(pairs, np);
				return -1;
			}
			wd_series_free(&s);
		}
	wd_pairs_free(pairs, np);
	if (wd_runs(c, NULL, runs, &rv, &nr) == -1)
		return -1;
	wd_runs_free(rv, nr);
	return 0;
}
