/*
 * webseries.h: a series page (webseries.c) and the comparison of two
 * kernels picked on it.  Return values as in webpages.h.
 */
#ifndef WEB_WEBSERIES_H
#define WEB_WEBSERIES_H

#include "web/webhtml.h"

int	wp_series(struct wp_ctx *, FILE *, int64_t wid, int64_t lid,
	    enum kb_metric);
/* compare.html?w=&l=&a=&b=: the comparison two kernels picked. */
int	wp_compare_pick(struct wp_ctx *, FILE *);

#endif /* WEB_WEBSERIES_H */
