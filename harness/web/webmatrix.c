/*
 * webmatrix.c: the index as a matrix, architectures across and
 * workloads down.  Each cell holds, for each worker of that arch with
 * that workload, the newest kernel's mean and its change against the
 * kernel before: the difference of the means, with the verdict of the
 * comparison page (Student's t at the configured confidence and
 * threshold), so the colour of a cell is the verdict its link shows.
 *
 * Query parameters narrow it: arch, workload, metric, from and to
 * (YYYY-MM-DD, on the kernels' dates); all=1 also shows the series
 * with no counted sample (failed runs) and hidden runs' series.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/alertdb.h"
#include "store/db.h"
#include "store/runsdb.h"
#include "store/webq.h"
#include "output/html.h"
#include "output/report.h"
#include "web/webhtml.h"
#include "web/webmatrix.h"

/* What a cell shows of one worker's series. */
struct cell {
	const struct wd_pair	*p;
	char			*label;		/* newest kernel */
	double			 mean, diff;	/* diff: % of the mean */
	int64_t			 ka, kb;	/* the two compared */
	const char		*verdict;	/* "no-data" ... */
	size_t			 npoints;
};

/* Does a filter (NULL: none) let name through? */
static int
pass(const char *want, const char *name)
{
	return want == NULL || *want == '\0' || strcmp(want, name) == 0;
}

/* The points of s inside the date range, as indexes into s->v. */
static size_t
in_range(const struct wp_ctx *x, const struct wd_series *s, size_t *idx)
{
	size_t i, n = 0;

	for (i = 0; i < s->n; i++)
		if (wp_date_in(x, s->v[i].date))
			idx[n++] = i;
	return n;
}

/*
 * A cell from the series' summaries (never its samples): the verdict
 * of the comparison page from n, mean and stddev of the two kernels.
 */
static void
cell_load(struct wp_ctx *x, const struct wd_pair *p, enum kb_metric m,
    struct cell *c)
{
	struct wd_series s;
	size_t *idx, n;

	memset(c, 0, sizeof(*c));
	c->p = p;
	c->verdict = "no-data";
	c->mean = c->diff = NAN;
	if (wd_series_load(x->c, p->worker_id, p->workload_id, m, &s) == -1)
		return;
	idx = kb_calloc(s.n + 1, sizeof(*idx));
	n = in_range(x, &s, idx);
	c->npoints = n;
	if (n > 0) {
		c->label = kb_strdup(s.v[idx[n - 1]].label);
		c->mean = s.v[idx[n - 1]].mean;
	}
	if (n > 1) {
		c->ka = s.v[idx[n - 2]].kernel_id;
		c->kb = s.v[idx[n - 1]].kernel_id;
		c->verdict = wp_step(x, &s.v[idx[n - 2]], &s.v[idx[n - 1]],
		    &c->diff);
	}
	free(idx);
	wd_series_free(&s);
}

static void
cell_print(const struct wp_ctx *x, FILE *fp, const struct cell *c,
    enum kb_metric m, int many)
{
	const char *mn = m == KB_M_REAL ? "" : kb_metric_name(m);

	fprintf(fp, "<div class=\"cell v-%s\" data-verdict=\"%s\">",
	    c->verdict, c->verdict);
	fprintf(fp, "<a href=\"series-%" PRId64 "-%" PRId64 "%s%s.html\">",
	    c->p->worker_id, c->p->workload_id, *mn ? "-" : "", mn);
	if (many) {
		html_esc(fp, c->p->worker);
		fputs(": ", fp);
	}
	if (c->npoints == 0) {
		fputs("no data</a></div>", fp);
		return;
	}
	wp_value(fp, m, c->mean);
	fputs("</a> <span class=\"kernel\">", fp);
	html_esc(fp, c->label);
	fputs("</span>", fp);
	if (c->ka != 0) {
		fprintf(fp, " <a class=\"diff\" href=\"compare-%" PRId64 "-%"
		    PRId64 "-%" PRId64 "-%" PRId64 ".html\">", c->p->worker_id,
		    c->p->workload_id, c->ka, c->kb);
		if (isnan(c->diff))
			fputs("n/a", fp);
		else
			fprintf(fp, "%+.2f%%", c->diff);
		fputs("</a>", fp);
	}
	fputs("</div>", fp);
}

/* The distinct values of one field of the pairs shown, sorted. */
static size_t
distinct(const struct wd_pair *p, const int *keep, size_t np, int arch,
    const char **out)
{
	size_t i, j, n = 0;
	const char *v;

	for (i = 0; i < np; i++) {
		if (!keep[i])
			continue;
		v = arch ? p[i].arch : p[i].workload;
		for (j = 0; j < n && strcmp(out[j], v) != 0; j++)
			;
		if (j == n)
			out[n++] = v;
	}
	for (i = 1; i < n; i++)		/* few: insertion sort */
		for (j = i; j > 0 && strcmp(out[j - 1], out[j]) > 0; j--) {
			v = out[j];
			out[j] = out[j - 1];
			out[j - 1] = v;
		}
	return n;
}

static void
filter_form(const struct wp_ctx *x, FILE *fp, enum kb_metric m)
{
	static const char *const keys[] = { "arch", "workload", "from",
	    "to" };
	const char *v;
	size_t i;

	fputs("<form class=\"filters\" method=\"get\" action=\"index.html\">",
	    fp);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		fprintf(fp, "<label>%s <input name=\"%s\" size=\"10\" "
		    "value=\"", keys[i], keys[i]);
		if ((v = wp_arg(x, keys[i])) != NULL)
			html_esc(fp, v);
		fputs("\"></label> ", fp);
	}
	fputs("<label>metric <input name=\"metric\" size=\"8\" value=\"", fp);
	fputs(kb_metric_name(m), fp);
	fputs("\"></label> <button>filter</button></form>\n", fp);
}

static void
alerts_line(struct wp_ctx *x, FILE *fp)
{
	struct db_table t;

	if (alertdb_list(x->c, 0, "new", NULL, &t) == -1)
		return;
	if (t.nrows > 0)
		fprintf(fp, "<p class=\"alerts\"><a href=\"alerts.html\">%d "
		    "new alert%s</a></p>\n", t.nrows, t.nrows == 1 ? "" : "s");
	db_table_free(&t);
}

/* The tries of the last day, beside the new alerts: links to their pages. */
static void
tries_line(struct wp_ctx *x, FILE *fp)
{
	struct db_table t;
	int i;

	if (webq_tries_page(x->c, &t) == -1)
		return;
	if (t.nrows > 0)
		fputs("<table id=\"tries\"><tr><th>latest tries</th>"
		    "<th>workload</th><th>worker</th><th>state</th></tr>\n",
		    fp);
	for (i = 0; i < t.nrows && i < 5; i++) {
		fprintf(fp, "<tr><td><a href=\"try-%s.html\">#%s</a></td>",
		    db_cell(&t, i, 0), db_cell(&t, i, 0));
		wp_cells(fp, db_cell(&t, i, 2), db_cell(&t, i, 1), NULL);
		wp_verdict_cell(fp, db_cell(&t, i, 6));
		fputs("</tr>\n", fp);
	}
	if (t.nrows > 0)
		fputs("</table>\n", fp);
	db_table_free(&t);
}

int
wp_index(struct wp_ctx *x, FILE *fp)
{
	struct wd_pair *p;
	struct cell *cells;
	const char **arches, **loads, *ms, *all;
	enum kb_metric m = KB_M_REAL;
	size_t np, na, nl, i, j, k, many;
	int *keep;

	if ((ms = wp_arg(x, "metric")) != NULL && *ms != '\0' &&
	    kb_metric_parse(ms, &m) == -1)
		return 2;
	if (!wp_date_ok(x, "from") || !wp_date_ok(x, "to"))
		return 2;
	all = wp_arg(x, "all");
	if (wd_pairs(x->c, &p, &np) == -1)
		return -1;
	keep = kb_calloc(np + 1, sizeof(*keep));
	cells = kb_calloc(np + 1, sizeof(*cells));
	for (i = 0; i < np; i++) {
		if (!pass(wp_arg(x, "arch"), p[i].arch) ||
		    !pass(wp_arg(x, "workload"), p[i].workload))
			continue;
		if ((all == NULL || strcmp(all, "1") != 0) &&
		    runsdb_pair_hidden(x->c, p[i].worker_id,
		    p[i].workload_id) == 1)
			continue;
		cell_load(x, &p[i], m, &cells[i]);
		/* A series of failed runs only stays out unless all=1. */
		keep[i] = cells[i].npoints > 0 || (all != NULL &&
		    strcmp(all, "1") == 0);
	}
	wp_head(fp, "Benchmarks", NULL);
	alerts_line(x, fp);
	tries_line(x, fp);
	if (x->live)		/* a static site has no query parameters */
		filter_form(x, fp, m);
	arches = kb_calloc(np + 1, sizeof(*arches));
	loads = kb_calloc(np + 1, sizeof(*loads));
	na = distinct(p, keep, np, 1, arches);
	nl = distinct(p, keep, np, 0, loads);
	if (na == 0)
		fputs("<p>No series here: <code>kbench run</code> or "
		    "<code>kbench import</code> stores some.</p>\n", fp);
	else {
		fprintf(fp, "<p class=\"note\">Each cell: the newest kernel's "
		    "mean %s (%s) and its change against the kernel before, "
		    "as the difference of the means with the comparison's "
		    "verdict (Student's t, %.1f%% confidence, threshold "
		    "%g%%).</p>\n", kb_metric_name(m),
		    kb_metric_is_time(m) ? "s" : cmp_metric_unit(m),
		    x->o.confidence, x->o.threshold);
		fputs("<table class=\"matrix\"><tr><th>workload</th>", fp);
		for (j = 0; j < na; j++) {
			fputs("<th>", fp);
			html_esc(fp, arches[j]);
			fputs("</th>", fp);
		}
		fputs("</tr>\n", fp);
	}
	for (k = 0; k < nl; k++) {
		fputs("<tr><th>", fp);
		html_esc(fp, loads[k]);
		fputs("</th>", fp);
		for (j = 0; j < na; j++) {
			for (many = 0, i = 0; i < np; i++)
				if (keep[i] && strcmp(p[i].arch,
				    arches[j]) == 0 && strcmp(p[i].workload,
				    loads[k]) == 0)
					many++;
			fputs(many == 0 ? "<td class=\"v-no-data\" "
			    "data-verdict=\"no-data\">" : "<td>", fp);
			for (i = 0; i < np; i++)
				if (keep[i] && strcmp(p[i].arch,
				    arches[j]) == 0 && strcmp(p[i].workload,
				    loads[k]) == 0)
					cell_print(x, fp, &cells[i], m,
					    many > 1);
			fputs("</td>", fp);
		}
		fputs("</tr>\n", fp);
	}
	if (na > 0)
		fputs("</table>\n", fp);
	wp_foot(fp);
	for (i = 0; i < np; i++)
		free(cells[i].label);
	free(cells);
	free(keep);
	free(arches);
	free(loads);
	wd_pairs_free(p, np);
	return 0;
}
