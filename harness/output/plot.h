/*
 * plot.h: graphs drawn by gnuplot from the templates in dashboards/.
 *
 * The data go to gnuplot in temporary data files; the labels in a
 * params file of single-quoted gnuplot strings (plot_gpstr), so that a
 * label can never end a string or become a command.
 *
 * A plot draws at most KB_PLOT_POINTS points of a series or of a
 * comparison's side (lib/subsample.h) and says so under its title
 * when it draws fewer than it has; the summaries use every value.
 */
#ifndef PLOT_H
#define PLOT_H

#include "output/cmpreport.h"
#include "store/webdata.h"

enum plot_fmt { PLOT_SVG, PLOT_PNG };

int	 plot_fmt_parse(const char *, enum plot_fmt *);
const char *plot_fmt_ext(enum plot_fmt);

/* A series with its change points (may be NULL, 0) into out. */
int	 plot_history(const struct wd_series *, const struct wd_change *,
	    size_t nch, enum plot_fmt, const char *out);
/* Every sample of a comparison, baseline beside candidate, per metric. */
int	 plot_compare(const struct cmp_set *, const char *title,
	    enum plot_fmt, const char *out);
/* Several series of one architecture and workload, relative. */
int	 plot_overview(const struct wd_series *, size_t n, const char *title,
	    enum plot_fmt, const char *out);

/*
 * Per package, base time a[i] against patched time b[i] (seconds, > 0),
 * log-log with the diagonal drawn: a point above it got slower.
 */
int	 plot_scatter(const double *a, const double *b, size_t n,
	    const char *label_a, const char *label_b, const char *title,
	    enum plot_fmt, const char *out);

/*
 * A gnuplot single-quoted string literal: quote doubled, control
 * characters (a newline would end the command) as '?'.  gnuplot does
 * no backquote or macro substitution inside single quotes.
 */
void	plot_gpstr(FILE *, const char *);

#endif /* PLOT_H */
