/*
 * knowndb.c: the labels that have samples, for errors that list them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "store/db.h"
#include "store/knowndb.h"

#define KNOWN_MAX	12

/* Names of one kind, newest first: worker ($1), workload ($2) or kernel. */
static const char *const known_sql[3] = {
	"SELECT w.name, count(*) OVER () FROM worker w JOIN run r "
	"ON r.worker_id = w.id GROUP BY w.name ORDER BY max(r.id) DESC",
	"SELECT l.name, count(*) OVER () FROM workload l JOIN run r "
	"ON r.workload_id = l.id JOIN worker w ON w.id = r.worker_id "
	"WHERE w.name = $1 GROUP BY l.name ORDER BY max(r.id) DESC",
	"SELECT k.label, count(*) OVER () FROM kernel k JOIN run r "
	"ON r.kernel_id = k.id JOIN worker w ON w.id = r.worker_id "
	"JOIN workload l ON l.id = r.workload_id "
	"WHERE w.name = $1 AND l.name = $2 AND EXISTS "
	"(SELECT 1 FROM sample s WHERE s.run_id = r.id) "
	"GROUP BY k.label ORDER BY max(r.id) DESC",
};

/* 0: none of that kind; 1: the sentence is in *out; -1: error. */
static int
known_kind(PGconn *c, int kind, const char *const *p, const char *lead,
    char **out)
{
	struct db_table t;
	char *s, *n;
	int i;

	if (db_query(c, &t, known_sql[kind], kind, p) == -1)
		return -1;
	if (t.nrows == 0) {
		db_table_free(&t);
		return 0;
	}
	s = kb_strdup(lead);
	for (i = 0; i < t.nrows && i < KNOWN_MAX; i++) {
		n = kb_asprintf("%s%s %s", s, i > 0 ? "," : "",
		    db_cell(&t, i, 0));
		free(s);
		s = n;
	}
	if (t.nrows > KNOWN_MAX) {
		n = kb_asprintf("%s, ... (%s in all)", s, db_cell(&t, 0, 1));
		free(s);
		s = n;
	}
	db_table_free(&t);
	*out = s;
	return 1;
}

char *
known_choices(PGconn *c, const char *worker, const char *workload)
{
	const char *p[2] = { worker, workload };
	char *lead, *s = NULL;
	int rc;

	lead = kb_asprintf("kernels with samples on worker %s, workload %s, "
	    "newest first:", worker, workload);
	rc = known_kind(c, 2, p, lead, &s);
	free(lead);
	if (rc != 0)
		return rc == 1 ? s : NULL;
	lead = kb_asprintf("worker %s has no samples of workload %s; its "
	    "workloads:", worker, workload);
	rc = known_kind(c, 1, p, lead, &s);
	free(lead);
	if (rc != 0)
		return rc == 1 ? s : NULL;
	lead = kb_asprintf("no samples from worker %s; workers with samples:",
	    worker);
	rc = known_kind(c, 0, p, lead, &s);
	free(lead);
	if (rc == 0)
		return kb_strdup("the database has no samples yet "
		    "(kbench import or kbench run stores them)");
	return rc == 1 ? s : NULL;
}

void
known_warn(PGconn *c, const char *worker, const char *workload)
{
	char *s;

	if ((s = known_choices(c, worker, workload)) != NULL)
		kb_warnx("%s", s);
	free(s);
}
