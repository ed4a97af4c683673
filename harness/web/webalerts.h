/*
 * webalerts.h: the alert pages (webalerts.c).  Return values as in webpages.h.
 */
#ifndef WEB_WEBALERTS_H
#define WEB_WEBALERTS_H

#include "web/webhtml.h"

/* alerts.html (?state=) and alert-ID.html. */
int	wp_alerts(struct wp_ctx *, FILE *);
int	wp_alert(struct wp_ctx *, FILE *, int64_t id);
/* Is s a state the triage forms set (acknowledged ... accepted)? */
int	wp_triage_state(const char *s);

#endif /* WEB_WEBALERTS_H */
