/*
 * webapi.h: kbench serve's JSON API (webapi.c): what the server holds
 * for a request, the reply it fills, and the GET and POST handlers.
 * web.c calls these; they never call web.c.
 */
#ifndef WEB_WEBAPI_H
#define WEB_WEBAPI_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "web/plotcache.h"
#include "web/webpages.h"

/*
 * What the server's threads share.  mu guards x (its database
 * connection above all) and everything else that reads the store: see
 * web.c for why one lock.
 */
struct web {
	struct wp_ctx	 x;
	pthread_mutex_t	 mu;
	const char	*token;		/* serve.token; "" disables writes */
	char		*cache;		/* $KBENCH_HOME/cache/web */
	struct plotcache *plots;	/* the drawn plots in cache */
};

/*
 * A response: the body (malloc'd, the server frees it) or a file (fd,
 * not -1, of size bytes, streamed and closed by the server), its type.
 */
struct web_reply {
	int		 status;
	const char	*type;
	char		*body;
	size_t		 len;
	int		 fd;
	uint64_t	 size;
	const char	*allow;		/* Allow header for a 405 */
	int		 auth;		/* add WWW-Authenticate (401) */
	char		*location;	/* a 303's target (freed by web.c) */
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
/*
 * Is authz ("Bearer TOKEN") the configured token?  Compared in
 * constant time.
 */
int	web_token_ok(const char *want, const char *authz);
/* A JSON error reply. */
void	web_error(struct web_reply *, int status, const char *msg);

#endif /* WEB_WEBAPI_H */
