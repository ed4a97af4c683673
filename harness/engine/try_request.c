/*
 * try_request.c: a queued request's progress and verdict, written by
 * the try that runs it.  Each is one short statement on a connection
 * of its own, so that a try whose store is spooling (the database
 * away) loses only these marks, never its samples.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "stats/stats.h"
#include "engine/try_request.h"
#include "store/connect.h"
#include "store/db.h"
#include "store/queuedb.h"

void
try_request_state(const struct try *t, const char *state)
{
	PGconn *c;

	if (t->request == 0 || (c = store_connect()) == NULL)
		return;
	queuedb_state(c, t->request, state);
	db_close(c);
}

void
try_request_verdict(const struct try *t, const struct cmp_set *set)
{
	const struct cmp_metric *m;
	char *s = NULL, *next;
	PGconn *c;
	size_t i;

	if (t->request == 0)
		return;
	for (i = 0; i < set->n; i++) {
		m = &set->v[i];
		/* The times, and whatever else got worse. */
		if (m->m != KB_M_REAL && m->m != KB_M_USER && m->m != KB_M_SYS &&
		    m->c.verdict != ST_REGRESSION)
			continue;
		next = kb_asprintf("%s%s%s %s %+.2f%%", s != NULL ? s : "",
		    s != NULL ? "; " : "", kb_metric_name(m->m),
		    st_verdict_name(m->c.verdict), isfinite(m->c.diff_pct) ?
		    m->c.diff_pct : 0.0);
		free(s);
		s = next;
	}
	if ((c = store_connect()) != NULL) {
		queuedb_verdict(c, t->request, s != NULL ? s : "no data");
		db_close(c);
	}
	free(s);
}
