/*
 * plotdb.h: what kbench serve's plots read beside webdata.h: a version
 * of each plot's input, cheap enough to ask on every request (indexes
 * and the trigger-kept series_point rows, never the samples), and one
 * metric's counted values of a kernel, lean enough for a comparison of
 * a million samples.
 */
#ifndef STORE_PLOTDB_H
#define STORE_PLOTDB_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "lib/sample.h"

#define PD_VERSION_LEN	33	/* 32 hex digits and the NUL */

/*
 * A digest that changes whenever what the plot draws may have: a
 * kernel's counted samples (their count and series_point's time of the
 * last change), the labels, commit dates and change points it shows.
 * 0, or -1 on a database error.
 */
int	pd_version_compare(PGconn *, int64_t wid, int64_t lid, int64_t ka,
	    int64_t kb, char out[PD_VERSION_LEN]);
int	pd_version_history(PGconn *, int64_t wid, int64_t lid,
	    char out[PD_VERSION_LEN]);
int	pd_version_overview(PGconn *, int64_t lid, char out[PD_VERSION_LEN]);

/*
 * The counted samples' values of metric m for (worker, workload,
 * kernel), in seconds for times, in the order compare reads them (run,
 * repetition); *out allocated.  How many, or -1.
 */
long	pd_values(PGconn *, int64_t wid, int64_t lid, int64_t kid,
	    enum kb_metric m, double **out);

#endif /* STORE_PLOTDB_H */
