/*
 * web.h: kbench serve's HTTP side (libmicrohttpd): the pages of
 * webpages.h, their plots, the style sheet, and the JSON API of
 * webapi.c.  One internal polling thread answers every request in
 * turn, so a single database connection serves them all.
 */
#ifndef WEB_H
#define WEB_H

#include "web/webapi.h"

/* Start on addr:port; returns the bound port, or -1. */
int	web_start(struct web *, const char *addr, int port, void **daemon);
void	web_stop(void *daemon);

#endif /* WEB_H */
