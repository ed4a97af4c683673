/*
 * watchstep.c: did this commit move the measurement?
 *
 * Each commit kbench watch measures runs in interleaved rounds beside
 * the commit it measured before, so that a burst of the machine (on a
 * shared host one moves a loop's time by 10% or more for seconds) moves
 * both sides of a round alike; the rounds are compared pairwise, as a
 * bisection compares its endpoints.  A series of separately measured
 * points would need several kernels each side of a step before kbench
 * detect's E-divisive test could see it; this sees it at once.  What it
 * finds is a candidate only: kbench watch measures both sides again and
 * bisects before anyone is told (watch.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "stats/seqtest.h"
#include "stats/stats.h"
#include "store/alertdb.h"
#include "store/db.h"
#include "engine/watchstep.h"

static int
store_change(PGconn *c, const struct series_key *k, enum kb_metric m,
    const struct watch_pair *p, const struct sq_welch *w, size_t n)
{
	struct series_cp cp;
	int created, regression = w->diff_pct > 0;

	memset(&cp, 0, sizeof(cp));
	cp.kernel_id = p->kernel_id;
	cp.prev_kernel_id = p->prev_kernel_id;
	cp.mean_before = w->mean_a;
	cp.mean_after = w->mean_b;
	cp.diff_pct = w->diff_pct;
	cp.ci_low_pct = w->lo_pct;
	cp.ci_high_pct = w->hi_pct;
	cp.p_value = w->p;
	cp.direction = regression ? "regression" : "improvement";
	cp.n_before = cp.n_after = n;
	if (db_begin(c) == -1)
		return -1;
	if (series_cp_put(c, k, m, &cp) == -1 || (regression &&
	    alertdb_attach(c, k->worker_id, k->workload_id, kb_metric_name(m),
	    cp.kernel_id, cp.prev_kernel_id, "held", &created) == -1)) {
		db_rollback(c);
		return -1;
	}
	if (db_commit(c) == -1)
		return -1;
	return regression;
}

int
watch_step(PGconn *c, const struct series_key *k, enum kb_metric m,
    const struct watch_pair *p, double threshold, double alpha,
    int *regressions)
{
	struct sq_welch w;
	double *a, *b, va, vb;
	size_t na, nb, n;
	int rc = WS_UNSURE;

	*regressions = 0;
	na = kb_ss_values(p->before, m, &a);
	nb = kb_ss_values(p->after, m, &b);
	n = na < nb ? na : nb;
	if (n < 3 || sq_paired(a, b, n, alpha, &w) == -1) {
		printf("watch: %s: too few rounds to compare (%zu)\n",
		    p->label, n);
		goto out;
	}
	/* The means, for the change point, are the plain ones. */
	st_meanvar(a, n, &w.mean_a, &va);
	st_meanvar(b, n, &w.mean_b, &vb);
	if (w.p < alpha && fabs(w.diff_pct) >= threshold)
		rc = WS_MOVED;
	else if (w.hi_pct < threshold && w.lo_pct > -threshold)
		rc = WS_SAME;
	printf("watch: %s %s %s: %s %+.2f%% [%+.2f%%, %+.2f%%] against the "
	    "commit before, %zu rounds, p = %.3g: %s\n", k->worker,
	    k->workload, kb_metric_name(m), p->label, w.diff_pct, w.lo_pct,
	    w.hi_pct, n, w.p, rc == WS_SAME ? "no step" : rc == WS_UNSURE ?
	    "not sure yet" : w.diff_pct > 0 ? "a regression" :
	    "an improvement");
	if (rc == WS_MOVED) {
		if ((*regressions = store_change(c, k, m, p, &w, n)) == -1)
			rc = -1;
	}
out:
	free(a);
	free(b);
	return rc;
}
