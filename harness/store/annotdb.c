/*
 * annotdb.c: notes on a kernel or a date: the statements of annotdb.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "store/annotdb.h"
#include "store/db.h"

/* An id as a parameter: NULL for 0 (none). */
static const char *
id_param(char buf[24], int64_t id)
{
	if (id == 0)
		return NULL;
	snprintf(buf, 24, "%" PRId64, id);
	return buf;
}

int
annotdb_add(PGconn *c, const struct annot *a, char id[24])
{
	char k[24], w[24], l[24];
	const char *p[6];
	PGresult *r;

	p[0] = id_param(k, a->kernel_id);
	p[1] = a->kernel_id != 0 ? NULL : a->day;
	p[2] = id_param(w, a->worker_id);
	p[3] = id_param(l, a->workload_id);
	p[4] = a->body;
	p[5] = a->author;
	if (db_exec(c, &r, "INSERT INTO annotation (kernel_id, day, "
	    "worker_id, workload_id, body, author) VALUES ($1::bigint, "
	    "$2::date, $3::bigint, $4::bigint, $5, $6) RETURNING id",
	    6, p) == -1)
		return -1;
	snprintf(id, 24, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

#define ANNOT_COLS \
	"SELECT a.id, coalesce(a.kernel_id::text, ''), " \
	"coalesce(k.label, ''), coalesce(a.day::text, ''), " \
	"coalesce(w.name, ''), coalesce(l.name, ''), a.body, a.author, " \
	"to_char(a.created, 'YYYY-MM-DD HH24:MI') FROM annotation a " \
	"LEFT JOIN kernel k ON k.id = a.kernel_id " \
	"LEFT JOIN worker w ON w.id = a.worker_id " \
	"LEFT JOIN workload l ON l.id = a.workload_id "

int
annotdb_list(PGconn *c, struct db_table *t)
{
	return db_query(c, t, ANNOT_COLS "ORDER BY a.id DESC", 0, NULL);
}

int
annotdb_series(PGconn *c, int64_t wid, int64_t lid, struct db_table *t)
{
	char a[24], b[24];
	const char *p[2];

	snprintf(a, sizeof(a), "%" PRId64, wid);
	snprintf(b, sizeof(b), "%" PRId64, lid);
	p[0] = a;
	p[1] = b;
	return db_query(c, t, ANNOT_COLS "WHERE (a.worker_id IS NULL OR "
	    "a.worker_id = $1::bigint) AND (a.workload_id IS NULL OR "
	    "a.workload_id = $2::bigint) ORDER BY a.kernel_id, a.day, a.id",
	    2, p);
}

int
annotdb_rm(PGconn *c, int64_t id)
{
	char a[24];
	const char *p[1] = { a };

	snprintf(a, sizeof(a), "%" PRId64, id);
	return db_exec_one(c, "DELETE FROM annotation WHERE id = $1::bigint",
	    1, p);
}
