/*
 * webform.h: the dashboard's forms posted with the token (webform.c):
 * alert triage (/triage) and run housekeeping (/runs).
 */
#ifndef WEB_WEBFORM_H
#define WEB_WEBFORM_H

#include "web/webapi.h"

/*
 * POST path with its urlencoded body: 0 with the reply filled (303 to
 * the changed page, or an error), 1 when path is not a form's.
 */
int	webform_post(struct web *, const char *path, const char *authz,
	    const char *body, struct web_reply *);

#endif /* WEB_WEBFORM_H */
