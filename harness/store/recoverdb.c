/*
 * recoverdb.c: the statements of recovering a run's samples (the
 * samples themselves go in through db_sample_insert, which ignores a
 * repeat of (run, rep)).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "store/db.h"
#include "store/recoverdb.h"

int
recoverdb_run(PGconn *c, int64_t run, struct recoverdb_run *r)
{
	struct db_table t;
	char rid[24];
	const char *p[1] = { rid };
	int found;

	snprintf(rid, sizeof(rid), "%" PRId64, run);
	if (db_query(c, &t, "SELECT r.state, coalesce(substr(k.kid, 1, 12), "
	    "''), (SELECT count(*) FROM sample s WHERE s.run_id = r.id) "
	    "FROM run r JOIN kernel k ON k.id = r.kernel_id WHERE r.id = $1",
	    1, p) == -1)
		return -1;
	if ((found = t.nrows == 1)) {
		snprintf(r->state, sizeof(r->state), "%s", db_cell(&t, 0, 0));
		snprintf(r->kid12, sizeof(r->kid12), "%s", db_cell(&t, 0, 1));
		r->samples = strtoll(db_cell(&t, 0, 2), NULL, 10);
	}
	db_table_free(&t);
	return found;
}
