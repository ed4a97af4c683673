/*
 * web.h: kbench serve's HTTP side (libmicrohttpd): the pages of
 * webpages.h, their plots, the style sheet, and the JSON API of
 * webapi.c.  One internal polling thread answers every request in
 * turn, so a single database connection serves them all.
 */
#ifndef WEB_H
#define WEB_H

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

/* Start on addr:port; returns the bound port, or -1. */
int	web_start(struct web *, const char *addr, int port, void **daemon);
void	web_stop(void *daemon);

#endif /* WEB_H */
