/*
 * webapi.h: kbench serve's JSON API (webapi.c): what the server holds
 * for a request, the reply it fills, and the GET and POST handlers.
 * web.c calls these; they never call web.c.
 */
#ifndef WEB_WEBAPI_H
#define WEB_WEBAPI_H

#include <stddef.h>

#include "web/webpages.h"

struct web {
	struct wp_ctx	 x;
	const char	*token;		/* serve.token; "" disables writes */
	char		*cache;		/* $KBENCH_HOME/cache/web */
	int		 plot_ttl;	/* seconds a drawn plot is reused */
};

/* A response: the body (malloc'd, the server frees it) and its type. */
struct web_reply {
	int		 status;
	const char	*type;
	char		*body;
	size_t		 len;
	const char	*allow;		/* Allow header for a 405 */
	int		 auth;		/* add WWW-Authenticate (401) */
};

/* GET /api/...: 0 with a reply (404 included). */
int	webapi_get(struct web *, const char *path,
	    const char *(*arg)(void *, const char *), void *argctx,
	    struct web_reply *);
/* POST /api/try with the Authorization header and the body. */
int	webapi_try(struct web *, const char *authz,
	    const char *(*arg)(void *, const char *), void *argctx,
	    const char *client, const char *body, size_t len,
	    struct web_reply *);
/* A JSON error reply. */
void	web_error(struct web_reply *, int status, const char *msg);

#endif /* WEB_WEBAPI_H */
