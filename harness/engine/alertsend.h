/*
 * alertsend.h: deliver new alerts: a mail through the sendmail(8)
 * interface and an HTTP POST of the alert's JSON, signed with
 * HMAC-SHA256 of the body under the configured secret.  Every attempt
 * is recorded on the alert; a failed channel is tried again by the
 * next call, one that went through is not repeated.
 */
#ifndef ALERTSEND_H
#define ALERTSEND_H

#include <libpq-fe.h>

#include "format/config.h"

/* Is anything configured to send to? */
int	alertsend_configured(const struct kb_config *);
/*
 * Send every alert waiting (alertdb_pending) as cfg says, printing one
 * line each; *sent and *failed count them.  0, or -1 when the store
 * failed (a failed delivery is not an error: it is recorded).
 */
int	alertsend_pending(PGconn *, const struct kb_config *, long *sent,
	    long *failed);

#endif /* ALERTSEND_H */
