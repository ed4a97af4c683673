/*
 * webplots.h: the plots the pages show, by name: plot-history-W-L-M,
 * plot-compare-W-L-A-B and plot-overview-L-HASH, each .svg or .png.
 * A plot is read from the store (wplot_load) apart from being drawn
 * (wplot_draw: gnuplot, no database), so that kbench serve holds its
 * database lock only for the reading; wplot_version says cheaply
 * whether what a plot would draw has changed.
 */
#ifndef WEB_WEBPLOTS_H
#define WEB_WEBPLOTS_H

#include <stdint.h>

#include <libpq-fe.h>

#include "output/plot.h"
#include "output/report.h"
#include "store/plotdb.h"

struct wplot;

/*
 * Numbers after prefix, separated by '-', then suffix: their count,
 * or -1.  With word, what follows max numbers after a '-' (a metric, a
 * hash) goes there.  The one parser of page and plot names.
 */
int	wplot_parse_ids(const char *s, const char *prefix,
	    const char *suffix, int64_t *v, int max, char *word,
	    size_t wordlen);
/* The short hash of an architecture used in overview plot names. */
void	wp_arch_hash(const char *arch, char out[9]);

/* Each returns 0, 1 when the name means no plot (or no data), -1. */
int	wplot_version(PGconn *, enum plot_fmt, const char *name,
	    char out[PD_VERSION_LEN]);
int	wplot_load(PGconn *, const struct rp_opts *, enum plot_fmt,
	    const char *name, struct wplot **);
int	wplot_draw(const struct wplot *, const char *path);
void	wplot_free(struct wplot *);

#endif /* WEB_WEBPLOTS_H */
