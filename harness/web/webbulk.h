/*
 * webbulk.h: the page of one bulk comparison, bulk-W-L-A-B.html: every
 * package built on both kernels in a table sortable by any column
 * (dashboards/sort.js), a log-log scatter of base against patched time
 * with the diagonal (gnuplot, the SVG inline), the total and the
 * critical path (output/pkgcmp.h).
 */
#ifndef WEB_WEBBULK_H
#define WEB_WEBBULK_H

#include <stdio.h>

#include <libpq-fe.h>

#include "output/report.h"

/* The page; 0, 1 when there is no such comparison of packages, -1. */
int	 wb_bulk(PGconn *, const struct rp_opts *, FILE *, int64_t wid,
	    int64_t lid, int64_t ka, int64_t kb);
/* A paragraph linking to that page, when both kernels have packages. */
void	 wb_link(PGconn *, FILE *, int64_t wid, int64_t lid, int64_t ka,
	    int64_t kb);

#endif /* WEB_WEBBULK_H */
