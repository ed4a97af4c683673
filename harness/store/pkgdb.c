/*
 * pkgdb.c: the statements of bulk builds as a whole (pkgdb.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "store/db.h"
#include "store/pkgdb.h"

/* The runs of ($1 worker, $2 workload, $3 kernel label). */
#define RUNS_OF	"SELECT r.id FROM run r " \
	"JOIN worker w ON w.id = r.worker_id " \
	"JOIN workload l ON l.id = r.workload_id " \
	"JOIN kernel k ON k.id = r.kernel_id " \
	"WHERE w.name = $1 AND l.name = $2 AND k.label = $3"

int
pkgdb_store(PGconn *c, int64_t run, const struct bulklog *b)
{
	char runs[24], real[24];
	const char *p[4];
	size_t i;

	snprintf(runs, sizeof(runs), "%" PRId64, run);
	for (i = 0; i < b->n; i++) {
		snprintf(real, sizeof(real), "%" PRId64, b->v[i].real_us);
		p[0] = runs;
		p[1] = b->v[i].name;
		p[2] = b->v[i].status;
		p[3] = real;
		/* The tools log no user or system time: NULL (010). */
		if (db_exec(c, NULL, "INSERT INTO pkg_build (run_id, rep, "
		    "package, status, real_us) VALUES ($1, 1, $2, $3, $4)",
		    4, p) == -1)
			return -1;
	}
	for (i = 0; i < b->ne; i++) {
		p[1] = b->e[i].pkg;
		p[2] = b->e[i].dep;
		if (db_exec(c, NULL, "INSERT INTO pkg_edge (run_id, package, "
		    "dep) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", 3,
		    p) == -1)
			return -1;
	}
	return 0;
}

void
pkgdb_free(struct pkgdb_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].real_us);
	}
	for (i = 0; i < s->ne; i++) {
		free(s->e[i].pkg);
		free(s->e[i].dep);
	}
	free(s->v);
	free(s->e);
	memset(s, 0, sizeof(*s));
}

static int
load_edges(PGconn *c, const char *const p[3], struct pkgdb_set *s)
{
	PGresult *r;
	int i, n;

	if (db_exec(c, &r, "SELECT DISTINCT package, dep FROM pkg_edge "
	    "WHERE run_id IN (" RUNS_OF ") ORDER BY 1, 2", 3, p) == -1)
		return -1;
	n = PQntuples(r);
	s->e = kb_calloc((size_t)n + 1, sizeof(*s->e));
	for (i = 0; i < n; i++) {
		s->e[i].pkg = kb_strdup(PQgetvalue(r, i, 0));
		s->e[i].dep = kb_strdup(PQgetvalue(r, i, 1));
	}
	s->ne = (size_t)n;
	PQclear(r);
	return 0;
}

int
pkgdb_load(PGconn *c, const char *worker, const char *workload,
    const char *kernel, struct pkgdb_set *s)
{
	const char *const p[3] = { worker, workload, kernel };
	struct pkgdb_pkg *cur = NULL;
	PGresult *r;
	const char *name;
	int i, n;

	memset(s, 0, sizeof(*s));
	/*
	 * Every repetition that is not a warm-up (its sample, where it has
	 * one, says so); a package's time counts only when it built.
	 */
	if (db_exec(c, &r, "SELECT p.package, p.status, p.real_us "
	    "FROM pkg_build p "
	    "LEFT JOIN sample s ON s.run_id = p.run_id AND s.rep = p.rep "
	    "WHERE p.run_id IN (" RUNS_OF ") "
	    "AND (s.id IS NULL OR NOT s.warmup) "
	    "ORDER BY p.package, p.run_id, p.rep", 3, p) == -1)
		return -1;
	n = PQntuples(r);
	s->v = kb_calloc((size_t)n + 1, sizeof(*s->v));
	for (i = 0; i < n; i++) {
		name = PQgetvalue(r, i, 0);
		if (cur == NULL || strcmp(cur->name, name) != 0) {
			cur = &s->v[s->n++];
			cur->name = kb_strdup(name);
		}
		if (strcmp(PQgetvalue(r, i, 1), "ok") == 0) {
			cur->real_us = kb_reallocarray(cur->real_us,
			    cur->n + 1, sizeof(int64_t));
			cur->real_us[cur->n++] = strtoll(PQgetvalue(r, i, 2),
			    NULL, 10);
		} else
			cur->failed++;
	}
	PQclear(r);
	if (load_edges(c, p, s) == -1) {
		pkgdb_free(s);
		return -1;
	}
	return 0;
}

int
pkgdb_labels(PGconn *c, int64_t wid, int64_t lid, int64_t ka, int64_t kb,
    char *out[4])
{
	char ids[4][24];
	const char *p[4] = { ids[0], ids[1], ids[2], ids[3] };
	int64_t v[4] = { wid, lid, ka, kb };
	PGresult *r;
	int i, rc = 0;

	for (i = 0; i < 4; i++)
		snprintf(ids[i], sizeof(ids[i]), "%" PRId64, v[i]);
	if (db_exec(c, &r, "SELECT (SELECT name FROM worker WHERE id = $1), "
	    "(SELECT name FROM workload WHERE id = $2), "
	    "(SELECT label FROM kernel WHERE id = $3), "
	    "(SELECT label FROM kernel WHERE id = $4)", 4, p) == -1)
		return -1;
	for (i = 0; i < 4; i++)
		rc |= PQgetisnull(r, 0, i);
	for (i = 0; i < 4; i++)
		out[i] = rc ? NULL : kb_strdup(PQgetvalue(r, 0, i));
	PQclear(r);
	return rc;
}

static long long
num_or(PGresult *r, int i, int col)
{
	return PQgetisnull(r, i, col) ? -1 :
	    strtoll(PQgetvalue(r, i, col), NULL, 10);
}

int
pkgdb_run(PGconn *c, int64_t run, struct pkgdb_row **vp, size_t *np)
{
	char id[24];
	const char *p[1] = { id };
	struct pkgdb_row *v;
	PGresult *r;
	int i, n;

	*vp = NULL;
	*np = 0;
	snprintf(id, sizeof(id), "%" PRId64, run);
	/* The start order is the build order kbench-bulk chose. */
	if (db_exec(c, &r, "SELECT rep, package, status, exit, real_us, "
	    "user_us, sys_us FROM pkg_build WHERE run_id = $1 "
	    "ORDER BY rep, started NULLS LAST, id", 1, p) == -1)
		return -1;
	n = PQntuples(r);
	v = kb_calloc((size_t)n + 1, sizeof(*v));
	for (i = 0; i < n; i++) {
		v[i].rep = atoi(PQgetvalue(r, i, 0));
		v[i].name = kb_strdup(PQgetvalue(r, i, 1));
		v[i].status = kb_strdup(PQgetvalue(r, i, 2));
		v[i].exit = (int)num_or(r, i, 3);
		v[i].real_us = num_or(r, i, 4);
		v[i].user_us = num_or(r, i, 5);
		v[i].sys_us = num_or(r, i, 6);
	}
	PQclear(r);
	*vp = v;
	*np = (size_t)n;
	return 0;
}

void
pkgdb_rows_free(struct pkgdb_row *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].status);
	}
	free(v);
}
