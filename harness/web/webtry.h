/*
 * webtry.h: the per-patch page, try-ID.html (webtry.c).  Return values
 * as in webpages.h.
 */
#ifndef WEB_WEBTRY_H
#define WEB_WEBTRY_H

#include "web/webhtml.h"

int	wp_try(struct wp_ctx *, FILE *, int64_t id);

#endif /* WEB_WEBTRY_H */
