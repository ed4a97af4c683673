/*
 * web.h: kbench serve's HTTP side (libmicrohttpd): the pages of
 * webpages.h, their plots, the style sheet, and the JSON API of
 * webapi.c, answered by a pool of threads (web.c says how they share
 * the database).
 */
#ifndef WEB_H
#define WEB_H

#include "web/webapi.h"

/* Start on addr:port; returns the bound port, or -1. */
int	web_start(struct web *, const char *addr, int port, void **daemon);
void	web_stop(struct web *, void *daemon);

#endif /* WEB_H */
