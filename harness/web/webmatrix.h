/*
 * webmatrix.h: the index as a matrix of architectures and workloads
 * (webmatrix.c).  Return values as in webpages.h.
 */
#ifndef WEB_WEBMATRIX_H
#define WEB_WEBMATRIX_H

#include "web/webhtml.h"

int	wp_index(struct wp_ctx *, FILE *);

#endif /* WEB_WEBMATRIX_H */
