/*
 * webpages.h: the HTML pages, the same for the static site (kbench
 * report --format html) and the live server (kbench serve).  Pages
 * link to each other by flat relative names (series-3-4.html,
 * run-17.html, compare-3-4-10-11.html, plot-...svg), so one set of
 * links works both from a directory and from the server.
 */
#ifndef WEBPAGES_H
#define WEBPAGES_H

#include <stdio.h>

#include <libpq-fe.h>

#include "output/plot.h"
#include "output/report.h"
#include "web/webhtml.h"
#include "web/webplots.h"

/*
 * Each returns 0, 1 when what was asked for does not exist, 2 for a
 * bad query parameter, -1 on error.
 */
int	wp_run(struct wp_ctx *, FILE *, int64_t rid);
int	wp_compare(struct wp_ctx *, FILE *, int64_t wid, int64_t lid,
	    int64_t ka, int64_t kb);
int	wp_regressions(struct wp_ctx *, FILE *);
int	wp_status(struct wp_ctx *, FILE *);

/* compare.html?w=&l=&a=&b=: the comparison two kernels picked. */
int	wp_compare_pick(struct wp_ctx *, FILE *);

/* Route a page name ("index.html", "run-17.html", ...) to its page. */
int	wp_page(struct wp_ctx *, FILE *, const char *name);

#endif /* WEBPAGES_H */
