/*
 * report_html.h: the static HTML site of kbench report.
 */
#ifndef REPORT_HTML_H
#define REPORT_HTML_H

#include "webpages.h"

/*
 * Write every page (index, regressions, status snapshot, series,
 * comparisons of each kernel with the one before and with its
 * baseline, the newest runs) and their plots into x->site.
 */
int	rp_site(struct wp_ctx *, long *npages);

#endif /* REPORT_HTML_H */
