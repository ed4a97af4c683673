/*
 * webhtml.h: what every dashboard page is made of (webhtml.c), and
 * the context a page is written in.
 */
#ifndef WEB_WEBHTML_H
#define WEB_WEBHTML_H

#include <stdint.h>
#include <stdio.h>

#include <libpq-fe.h>

#include "lib/sample.h"
#include "format/commiturl.h"
#include "output/plot.h"
#include "output/report.h"
#include "store/db.h"
#include "store/webdata.h"

struct wp_ctx {
	PGconn		*c;
	struct rp_opts	 o;
	int		 live;		/* served: status polls the API */
	const char	*site;		/* static: write plots here now */
	enum plot_fmt	 fmt;
	int		 nplots;	/* static: plots written */
	/* served: the request's query parameters (NULL: none) */
	const char	*(*arg)(void *, const char *);
	void		*argctx;
	/* serve.trees: a kernel's revision links to its commit */
	const struct kb_tree *trees;
	size_t		 ntrees;
};

/*
 * A table cell with a kernel's revision, a link to its commit when a
 * tree of serve.trees has a template for the worker's OS.
 */
void	wp_revision_cell(const struct wp_ctx *, FILE *, const char *os,
	    const char *rev);
/* A query parameter of the request, or NULL (always for a static site). */
const char *wp_arg(const struct wp_ctx *, const char *key);
/*
 * The date range of the request (from, to: YYYY-MM-DD, both ends
 * included): wp_date_ok says whether key is absent or a date,
 * wp_date_in whether a kernel's date (YYYY-MM-DD, "" unknown) is in
 * it; with no range, every kernel is.
 */
int	wp_date_ok(const struct wp_ctx *, const char *key);
int	wp_date_in(const struct wp_ctx *, const char *date);
/* The parts every page shares: its head (title escaped) and its end. */
void	wp_head(FILE *, const char *title, const char *extra);
void	wp_foot(FILE *);
/* A row of a key-value table: k as it is (a literal), v escaped. */
void	wp_kv(FILE *, const char *k, const char *v);
/*
 * The first row of t as a key-value table (id: its HTML id), the
 * fields in order; a boolean (t, f) as yes or no.
 */
struct wp_field {
	const char	*label;
	int		 col;
};
void	wp_kv_table(FILE *, const char *id, const struct db_table *,
	    const struct wp_field *, size_t);
/*
 * A page about one record, the first row of t: its head, titled "KIND
 * ID: C1 on C2", and its fields (wp_kv_table, id kind in lower case).
 * 1, t freed, when t has no row.
 */
int	wp_record(FILE *, struct db_table *, const char *kind, int64_t id,
	    int c1, int c2, const struct wp_field *, size_t);
/*
 * The step from kernel a to b of a series, from their summaries: the
 * comparison page's verdict (Student's t on the means at the
 * configured confidence and threshold) and the difference of the
 * means in percent (NAN when unknown).
 */
const char *wp_step(const struct wp_ctx *, const struct wd_point *a,
	    const struct wd_point *b, double *diff_pct);
/* Table cells, each string escaped in its own <td>; NULL ends them. */
void	wp_cells(FILE *, const char *, ...);
/* A table cell coloured by verdict or state (class v-NAME). */
void	wp_verdict_cell(FILE *, const char *);
/* Change points as a table, each linking to its comparison. */
struct wd_change;
void	wp_changes_table(FILE *, const struct wd_change *, size_t);
/* A plot by name: the file now (static site) or a link (served). */
void	wp_img(struct wp_ctx *, FILE *, const char *name, const char *alt);
/* A value with the precision it has: seconds to 2 decimals, counts whole. */
void	wp_value(FILE *, enum kb_metric, double);
/* A number as %.6g, or a dash for NaN. */
void	wp_num(FILE *, double);

/*
 * Draw the plot a name like plot-history-W-L-M.svg,
 * plot-compare-W-L-A-B.svg or plot-overview-L-HASH.svg stands for, into
 * path.  0, 1 for a name that means nothing, -1 on error.
 */
int	wp_plot(struct wp_ctx *, const char *name, const char *path);

#endif /* WEB_WEBHTML_H */
