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
