/*
 * site.h: the static HTML site of kbench report.
 */
#ifndef WEB_SITE_H
#define WEB_SITE_H

#include "web/webpages.h"

/*
 * Write every page (index, regressions, status snapshot, series,
 * comparisons of each kernel with the one before and with its
 * baseline, the newest runs) and their plots into x->site.
 */
int	rp_site(struct wp_ctx *, long *npages);

#endif /* WEB_SITE_H */
