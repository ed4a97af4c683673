/*
 * series.c: load a series from the store, one aggregate row per kernel,
 * so that 10,000 kernels are 10,000 rows however many samples each has.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "lib/sample.h"
#include "store/db.h"
#include "store/series.h"

int
series_keys(PGconn *c, const char *worker, const char *workload,
    struct series_key **out, size_t *n)
{
	const char *p[2] = { worker, workload };
	struct series_key *k;
	PGresult *r;
	int i, rows;

	*out = NULL;
	*n = 0;
	if (db_exec(c, &r,
	    "SELECT w.id, l.id, w.name, l.name FROM worker w, workload l "
	    "WHERE ($1::text IS NULL OR w.name = $1) "
	    "AND ($2::text IS NULL OR l.name = $2) AND EXISTS (SELECT 1 "
	    "FROM run r JOIN kernel k ON k.id = r.kernel_id "
	    "WHERE r.worker_id = w.id AND r.workload_id = l.id "
	    "AND k.commit_date IS NOT NULL) ORDER BY w.name, l.name",
	    2, p) == -1)
		return -1;
	rows = PQntuples(r);
	k = kb_calloc((size_t)rows + 1, sizeof(*k));
	for (i = 0; i < rows; i++) {
		k[i].worker_id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
		k[i].workload_id = strtoll(PQgetvalue(r, i, 1), NULL, 10);
		k[i].worker = kb_strdup(PQgetvalue(r, i, 2));
		k[i].workload = kb_strdup(PQgetvalue(r, i, 3));
	}
	PQclear(r);
	*out = k;
	*n = (size_t)rows;
	return 0;
}

void
series_keys_free(struct series_key *k, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(k[i].worker);
		free(k[i].workload);
	}
	free(k);
}

int
series_load(PGconn *c, const struct series_key *key, enum kb_metric m,
    int64_t anchor, struct series *s)
{
	char wid[24], lid[24], aid[24], *q;
	const char *p[3] = { wid, lid, aid };
	const char *col = kb_metric_column(m);
	double scale = kb_metric_is_time(m) ? 1e6 : 1;
	struct series_point *pt;
	PGresult *r;
	int i, rows, rc;

	memset(s, 0, sizeof(*s));
	if (col == NULL)
		return -1;
	snprintf(wid, sizeof(wid), "%" PRId64, key->worker_id);
	snprintf(lid, sizeof(lid), "%" PRId64, key->workload_id);
	snprintf(aid, sizeof(aid), "%" PRId64, anchor);
	/* Counted samples only, as compare reads them. */
	q = kb_asprintf(
	    "SELECT k.id, k.label, COALESCE(k.revision, ''), count(*), "
	    "sum(s.%s::float8), sum((s.%s::float8) * (s.%s::float8)) "
	    "FROM sample s JOIN run r ON r.id = s.run_id "
	    "JOIN kernel k ON k.id = r.kernel_id "
	    "WHERE r.worker_id = $1 AND r.workload_id = $2 "
	    "AND k.commit_date IS NOT NULL AND s.%s IS NOT NULL "
	    "AND " DB_COUNTED " "
	    "AND ($3::bigint = 0 OR (k.commit_date, k.id) >= "
	    "(SELECT commit_date, id FROM kernel WHERE id = $3)) "
	    "GROUP BY k.id ORDER BY k.commit_date, k.id",
	    col, col, col, col);
	rc = db_exec(c, &r, q, 3, p);
	free(q);
	if (rc == -1)
		return -1;
	rows = PQntuples(r);
	s->p = kb_calloc((size_t)rows + 1, sizeof(*s->p));
	for (i = 0; i < rows; i++) {
		pt = &s->p[i];
		pt->kernel_id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
		pt->label = kb_strdup(PQgetvalue(r, i, 1));
		pt->revision = kb_strdup(PQgetvalue(r, i, 2));
		pt->n = strtol(PQgetvalue(r, i, 3), NULL, 10);
		pt->sum = strtod(PQgetvalue(r, i, 4), NULL) / scale;
		pt->sumsq = strtod(PQgetvalue(r, i, 5), NULL) / scale / scale;
		pt->value = pt->sum / (double)pt->n;
	}
	PQclear(r);
	s->n = (size_t)rows;
	return 0;
}

void
series_free(struct series *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->p[i].label);
		free(s->p[i].revision);
	}
	free(s->p);
	memset(s, 0, sizeof(*s));
}

void
series_segment(const struct series *s, size_t lo, size_t hi, double *mean,
    double *var, double *n)
{
	double sum = 0, sumsq = 0, k = 0;
	size_t i;

	for (i = lo; i < hi && i < s->n; i++) {
		k += (double)s->p[i].n;
		sum += s->p[i].sum;
		sumsq += s->p[i].sumsq;
	}
	*n = k;
	*mean = k > 0 ? sum / k : 0;
	*var = k > 1 ? (sumsq - sum * sum / k) / (k - 1) : 0;
	if (*var < 0)
		*var = 0;	/* rounding */
}

size_t
series_run_values(PGconn *c, int64_t run, enum kb_metric m, double **out)
{
	char id[24], *q;
	const char *p[1] = { id };
	const char *col = kb_metric_column(m);
	double scale = kb_metric_is_time(m) ? 1e6 : 1;
	PGresult *r;
	int i, n;

	*out = NULL;
	if (col == NULL)
		return 0;
	snprintf(id, sizeof(id), "%" PRId64, run);
	q = kb_asprintf(
	    "SELECT s.%s FROM sample s WHERE s.run_id = $1 AND " DB_COUNTED
	    " AND s.%s IS NOT NULL ORDER BY s.rep", col, col);
	i = db_exec(c, &r, q, 1, p);
	free(q);
	if (i == -1)
		return 0;
	n = PQntuples(r);
	*out = kb_calloc((size_t)n + 1, sizeof(double));
	for (i = 0; i < n; i++)
		(*out)[i] = strtod(PQgetvalue(r, i, 0), NULL) / scale;
	PQclear(r);
	return (size_t)n;
}

int
series_state_get(PGconn *c, const struct series_key *k, enum kb_metric m,
    struct series_state *st)
{
	char wid[24], lid[24];
	const char *p[3] = { wid, lid, kb_metric_name(m) };
	PGresult *r;

	memset(st, 0, sizeof(*st));
	st->npoints = -1;
	snprintf(wid, sizeof(wid), "%" PRId64, k->worker_id);
	snprintf(lid, sizeof(lid), "%" PRId64, k->workload_id);
	if (db_exec(c, &r, "SELECT COALESCE(anchor_kernel_id, 0), "
	    "COALESCE(last_kernel_id, 0), npoints, "
	    "COALESCE(baseline_kernel_id, 0) FROM series_state "
	    "WHERE worker_id = $1 AND workload_id = $2 AND metric = $3",
	    3, p) == -1)
		return -1;
	if (PQntuples(r) == 1) {
		st->anchor = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		st->last = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
		st->npoints = strtol(PQgetvalue(r, 0, 2), NULL, 10);
		st->baseline = strtoll(PQgetvalue(r, 0, 3), NULL, 10);
	}
	PQclear(r);
	return 0;
}

int
series_state_put(PGconn *c, const struct series_key *k, enum kb_metric m,
    const struct series_state *st)
{
	char wid[24], lid[24], anc[24], last[24], np[24];
	const char *p[6] = { wid, lid, kb_metric_name(m), NULL, last, np };

	snprintf(wid, sizeof(wid), "%" PRId64, k->worker_id);
	snprintf(lid, sizeof(lid), "%" PRId64, k->workload_id);
	snprintf(anc, sizeof(anc), "%" PRId64, st->anchor);
	snprintf(last, sizeof(last), "%" PRId64, st->last);
	snprintf(np, sizeof(np), "%ld", st->npoints);
	p[3] = st->anchor != 0 ? anc : NULL;
	return db_exec(c, NULL, "INSERT INTO series_state (worker_id, "
	    "workload_id, metric, anchor_kernel_id, last_kernel_id, npoints) "
	    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (worker_id, "
	    "workload_id, metric) DO UPDATE SET anchor_kernel_id = $4, "
	    "last_kernel_id = $5, npoints = $6, analysed = now()", 6, p);
}

int
series_cp_put(PGconn *c, const struct series_key *k, enum kb_metric m,
    const struct series_cp *cp)
{
	char wid[24], lid[24], kid[24], pkid[24], v[6][32], nb[24], na[24];
	const char *p[14];
	int i;

	snprintf(wid, sizeof(wid), "%" PRId64, k->worker_id);
	snprintf(lid, sizeof(lid), "%" PRId64, k->workload_id);
	snprintf(kid, sizeof(kid), "%" PRId64, cp->kernel_id);
	snprintf(pkid, sizeof(pkid), "%" PRId64, cp->prev_kernel_id);
	snprintf(v[0], sizeof(v[0]), "%.17g", cp->mean_before);
	snprintf(v[1], sizeof(v[1]), "%.17g", cp->mean_after);
	snprintf(v[2], sizeof(v[2]), "%.17g", cp->diff_pct);
	snprintf(v[3], sizeof(v[3]), "%.17g", cp->ci_low_pct);
	snprintf(v[4], sizeof(v[4]), "%.17g", cp->ci_high_pct);
	snprintf(v[5], sizeof(v[5]), "%.17g", cp->p_value);
	snprintf(nb, sizeof(nb), "%zu", cp->n_before);
	snprintf(na, sizeof(na), "%zu", cp->n_after);
	p[0] = wid;
	p[1] = lid;
	p[2] = kb_metric_name(m);
	p[3] = kid;
	p[4] = pkid;
	for (i = 0; i < 6; i++)
		p[5 + i] = v[i];
	p[11] = cp->direction;
	p[12] = nb;
	p[13] = na;
	/* A re-found point keeps its status; its figures refresh. */
	return db_exec(c, NULL, "INSERT INTO change_point (worker_id, "
	    "workload_id, metric, kernel_id, prev_kernel_id, "
	    "mean_before, mean_after, diff_pct, ci_low_pct, "
	    "ci_high_pct, p_value, direction, n_before, n_after) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
	    "$13, $14) ON CONFLICT (worker_id, workload_id, metric, "
	    "kernel_id) DO UPDATE SET prev_kernel_id = $5, "
	    "mean_before = $6, mean_after = $7, diff_pct = $8, "
	    "ci_low_pct = $9, ci_high_pct = $10, p_value = $11, "
	    "direction = $12, n_before = $13, n_after = $14", 14, p);
}

int
series_cp_list(PGconn *c, const char *worker, const char *workload,
    const char *metric, int all, struct db_table *t)
{
	const char *p[4] = { worker, workload, metric, all ? "1" : NULL };

	return db_query(c, t, "SELECT c.id, w.name, l.name, c.metric, "
	    "k.label, COALESCE(k.revision, ''), COALESCE(pk.label, ''), "
	    "c.diff_pct, c.ci_low_pct, c.ci_high_pct, c.p_value, "
	    "c.mean_before, c.mean_after, c.direction, c.status, "
	    "to_char(c.detected AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
	    "FROM change_point c JOIN worker w ON w.id = c.worker_id "
	    "JOIN workload l ON l.id = c.workload_id "
	    "JOIN kernel k ON k.id = c.kernel_id "
	    "LEFT JOIN kernel pk ON pk.id = c.prev_kernel_id "
	    "WHERE ($1::text IS NULL OR w.name = $1) "
	    "AND ($2::text IS NULL OR l.name = $2) "
	    "AND ($3::text IS NULL OR c.metric = $3) "
	    "AND ($4::text IS NOT NULL OR (c.status = 'open' "
	    "AND c.direction = 'regression')) "
	    "ORDER BY k.commit_date, k.id, c.metric", 4, p);
}
