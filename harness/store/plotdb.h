/*
 * plotdb.h: a version of each of kbench serve's plots' input, cheap
 * enough to ask on every request: indexes and the trigger-kept
 * series_point rows, never the samples.  What the plots draw is read
 * through webdata.h.
 */
#ifndef STORE_PLOTDB_H
#define STORE_PLOTDB_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

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

#endif /* STORE_PLOTDB_H */
