/*
 * watchstep.h: the test kbench watch makes of each commit it measures
 * against the one it measured before (watchstep.c).
 */
#ifndef ENGINE_WATCHSTEP_H
#define ENGINE_WATCHSTEP_H

#include <libpq-fe.h>

#include "lib/sample.h"
#include "store/series.h"

/* One commit measured beside the one before it, in interleaved rounds. */
struct watch_pair {
	int64_t		 kernel_id, prev_kernel_id;
	const char	*label;
	const struct kb_sampleset *before, *after;
};

/* What the rounds so far say. */
enum watch_verdict { WS_SAME, WS_MOVED, WS_UNSURE };

/*
 * A step between the two sides: the paired difference of their rounds
 * (sq_paired) has a two-sided p below alpha and reaches threshold per
 * cent; unsure while a step of threshold per cent is inside the
 * interval (more rounds may tell).  A step is stored as a change point
 * of the series (k, m); a regression joins its worker's alert for that
 * kernel, held until confirmed.  *regressions gets 1 for a regression.
 * The verdict, or -1 on error.
 */
int	watch_step(PGconn *, const struct series_key *, enum kb_metric,
	    const struct watch_pair *, double threshold, double alpha,
	    int *regressions);

#endif /* ENGINE_WATCHSTEP_H */
