/*
 * webseries.c: a series page: its kernels in the date range asked
 * (from, to), a graph to zoom and hover (dygraphs, from Debian's
 * libjs-dygraphs, served by kbench serve itself; a static site gets
 * the gnuplot image), its change points, and a form to compare any
 * two of its kernels, and its notes (kbench annotate): each on the
 * graph at its kernel's point, or a date's at the first kernel of that
 * date or later, and a form to add one with the token.  "vs previous"
 * is the difference of the means, the statistic of the comparison
 * page.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/annotdb.h"
#include "store/db.h"
#include "output/html.h"
#include "output/report.h"
#include "web/webhtml.h"
#include "web/webseries.h"

/*
 * The points as JSON for series.js, in a data block: '<' written as
 * \u003c, so no string can close the element.
 */
/*
 * Where a note goes among the points shown: its kernel's, or for a day
 * the first point of that day or later; -1 when none is shown.
 */
static long
note_point(const struct wd_series *s, const size_t *idx, size_t n,
    const struct db_table *an, int row)
{
	const char *day = db_cell(an, row, AN_DAY);
	int64_t k;
	size_t i;

	if (*day == '\0') {
		k = strtoll(db_cell(an, row, AN_KERNEL_ID), NULL, 10);
		for (i = 0; i < n; i++)
			if (s->v[idx[i]].kernel_id == k)
				return (long)i;
		return -1;
	}
	for (i = 0; i < n; i++)
		if (*s->v[idx[i]].date != '\0' &&
		    strcmp(s->v[idx[i]].date, day) >= 0)
			return (long)i;
	return -1;
}

static void
data_block(FILE *fp, const struct wd_series *s, const size_t *idx,
    size_t n, enum kb_metric m, const struct db_table *an)
{
	json_t *o, *pts, *notes;
	char *txt, *q;
	size_t i;
	long x;
	int j;

	pts = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(pts, json_pack("{s:s, s:I, s:s, s:f, "
		    "s:f, s:f, s:I}", "kernel", s->v[idx[i]].label, "id",
		    (json_int_t)s->v[idx[i]].kernel_id, "date",
		    s->v[idx[i]].date, "mean", s->v[idx[i]].mean, "min",
		    s->v[idx[i]].min, "max", s->v[idx[i]].max, "n",
		    (json_int_t)s->v[idx[i]].n));
	notes = json_array();
	for (j = 0; an != NULL && j < an->nrows; j++)
		if ((x = note_point(s, idx, n, an, j)) >= 0)
			json_array_append_new(notes, json_pack("{s:I, s:s, "
			    "s:s}", "x", (json_int_t)x, "id", db_cell(an, j,
			    AN_ID), "text", db_cell(an, j, AN_BODY)));
	o = json_pack("{s:s, s:s, s:o, s:o}", "metric", kb_metric_name(m),
	    "unit", kb_metric_is_time(m) ? "s" : cmp_metric_unit(m), "points",
	    pts, "notes", notes);
	txt = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	fputs("<script type=\"application/json\" id=\"series-data\">", fp);
	for (q = txt; q != NULL && *q != '\0'; q++)
		if (*q == '<')
			fputs("\\u003c", fp);
		else
			fputc(*q, fp);
	fputs("</script>\n", fp);
	free(txt);
}

static void
kernel_select(FILE *fp, const char *name, const struct wd_series *s,
    const size_t *idx, size_t n, size_t sel)
{
	size_t i;

	fprintf(fp, "<select name=\"%s\" id=\"pick-%s\">", name, name);
	for (i = 0; i < n; i++) {
		fprintf(fp, "<option value=\"%" PRId64 "\"%s>",
		    s->v[idx[i]].kernel_id, i == sel ? " selected" : "");
		html_esc(fp, s->v[idx[i]].label);
		fputs("</option>", fp);
	}
	fputs("</select>", fp);
}

static void
range_form(const struct wp_ctx *x, FILE *fp, int64_t wid, int64_t lid,
    enum kb_metric m)
{
	const char *v;

	fprintf(fp, "<form class=\"filters\" method=\"get\" action=\"series-"
	    "%" PRId64 "-%" PRId64 "%s%s.html\">", wid, lid,
	    m == KB_M_REAL ? "" : "-", m == KB_M_REAL ? "" :
	    kb_metric_name(m));
	fputs("<label>from <input name=\"from\" size=\"10\" value=\"", fp);
	if ((v = wp_arg(x, "from")) != NULL)
		html_esc(fp, v);
	fputs("\"></label> <label>to <input name=\"to\" size=\"10\" "
	    "value=\"", fp);
	if ((v = wp_arg(x, "to")) != NULL)
		html_esc(fp, v);
	fputs("\"></label> <button>filter</button></form>\n", fp);
}

static void
notes_table(FILE *fp, const struct db_table *an)
{
	int i;

	if (an->nrows == 0)
		return;
	fputs("<h2>Notes</h2>\n<table id=\"notes\"><tr><th>#</th><th>on"
	    "</th><th>note</th><th>by</th><th>added</th></tr>\n", fp);
	for (i = 0; i < an->nrows; i++) {
		fputs("<tr>", fp);
		wp_cells(fp, db_cell(an, i, AN_ID), *db_cell(an, i,
		    AN_KERNEL) != '\0' ? db_cell(an, i, AN_KERNEL) :
		    db_cell(an, i, AN_DAY), db_cell(an, i, AN_BODY),
		    db_cell(an, i, AN_AUTHOR), db_cell(an, i, AN_CREATED),
		    NULL);
		fputs("</tr>\n", fp);
	}
	fputs("</table>\n", fp);
}

/* A note on a kernel of the series (or on a date), for this series. */
static void
note_form(FILE *fp, const struct wd_series *s, const size_t *idx, size_t n)
{
	fprintf(fp, "<form class=\"annotate\" method=\"post\" "
	    "action=\"annotate\"><input type=\"hidden\" name=\"w\" "
	    "value=\"%" PRId64 "\"><input type=\"hidden\" name=\"l\" "
	    "value=\"%" PRId64 "\">Note on ", s->worker_id, s->workload_id);
	kernel_select(fp, "k", s, idx, n, n - 1);
	fputs(" or the date <input name=\"date\" size=\"10\" "
	    "placeholder=\"YYYY-MM-DD\"> <input name=\"body\" size=\"40\" "
	    "placeholder=\"note\"> <input type=\"password\" name=\"token\" "
	    "placeholder=\"token\" size=\"8\"> <button id=\"annotate\">add"
	    "</button></form>\n", fp);
}

static void
kernels_table(const struct wp_ctx *x, FILE *fp, const struct wd_series *s,
    const size_t *idx, size_t n, enum kb_metric m)
{
	const struct wd_point *a, *b;
	const char *v;
	double d;
	size_t i;

	fprintf(fp, "<h2>Kernels</h2>\n<table id=\"kernels\"><tr>"
	    "<th>kernel</th><th>revision</th><th>date</th><th>n</th>"
	    "<th>mean (%s)</th><th>median</th><th>min</th><th>max</th>"
	    "<th>stddev</th><th>vs previous (difference of the means, "
	    "verdict)</th></tr>\n",
	    kb_metric_is_time(m) ? "s" : cmp_metric_unit(m));
	for (i = 0; i < n; i++) {
		b = &s->v[idx[i]];
		fputs("<tr>", fp);
		wp_cells(fp, b->label, NULL);
		wp_revision_cell(x, fp, s->os, b->revision);
		wp_cells(fp, b->date, NULL);
		fprintf(fp, "<td>%ld</td><td>", b->n);
		wp_value(fp, m, b->mean);
		fputs("</td><td>", fp);
		wp_value(fp, m, b->median);
		fputs("</td><td>", fp);
		wp_value(fp, m, b->min);
		fputs("</td><td>", fp);
		wp_value(fp, m, b->max);
		fputs("</td><td>", fp);
		wp_value(fp, m, b->stddev);
		fputs("</td>", fp);
		if (i > 0) {
			a = &s->v[idx[i - 1]];
			v = wp_step(x, a, b, &d);
			fprintf(fp, "<td class=\"v-%s\"><a href=\"compare-%"
			    PRId64 "-%" PRId64 "-%" PRId64 "-%" PRId64 ".html\">"
			    "%+.2f%%</a> %s</td>", v, s->worker_id,
			    s->workload_id, a->kernel_id, b->kernel_id, d, v);
		} else
			fputs("<td></td>", fp);
		fputs("</tr>\n", fp);
	}
	fputs("</table>\n", fp);
}

int
wp_series(struct wp_ctx *x, FILE *fp, int64_t wid, int64_t lid,
    enum kb_metric m)
{
	static const enum kb_metric shown[] = { KB_M_REAL, KB_M_USER,
	    KB_M_SYS };
	struct wd_series s;
	struct wd_change *ch;
	struct db_table an;
	size_t i, n, nch, *idx;
	char name[96], *title;
	int han;

	if (!wp_date_ok(x, "from") || !wp_date_ok(x, "to"))
		return 2;
	if (wd_series_load(x->c, wid, lid, m, &s) == -1)
		return 1;
	idx = kb_calloc(s.n + 1, sizeof(*idx));
	for (n = i = 0; i < s.n; i++)
		if (wp_date_in(x, s.v[i].date))
			idx[n++] = i;
	han = annotdb_series(x->c, wid, lid, &an) == 0;
	title = kb_asprintf("%s on %s (%s): %s", s.workload, s.worker,
	    s.arch, kb_metric_name(m));
	wp_head(fp, title, x->live ? "<link rel=\"stylesheet\" "
	    "href=\"dygraph.min.css\"><script src=\"dygraph.min.js\" defer>"
	    "</script><script src=\"series.js\" defer></script>" : NULL);
	free(title);
	fputs("<p>metric:", fp);
	for (i = 0; i < sizeof(shown) / sizeof(shown[0]); i++)
		fprintf(fp, " <a href=\"series-%" PRId64 "-%" PRId64 "%s%s"
		    ".html\">%s</a>", wid, lid, shown[i] == KB_M_REAL ? "" :
		    "-", shown[i] == KB_M_REAL ? "" :
		    kb_metric_name(shown[i]), kb_metric_name(shown[i]));
	fprintf(fp, "; %zu of %zu kernels shown.</p>\n", n, s.n);
	if (x->live) {
		range_form(x, fp, wid, lid, m);
		if (n > 0) {
			fputs("<div id=\"graph\"></div><div id=\"legend\">"
			    "</div><p class=\"note\">Drag to zoom, double-click "
			    "to zoom out; the bars span min to max, the line "
			    "joins the means.</p>\n", fp);
			data_block(fp, &s, idx, n, m, han ? &an : NULL);
			note_form(fp, &s, idx, n);
		}
		if (n > 1) {
			fprintf(fp, "<form method=\"get\" action=\"compare"
			    ".html\"><input type=\"hidden\" name=\"w\" "
			    "value=\"%" PRId64 "\"><input type=\"hidden\" "
			    "name=\"l\" value=\"%" PRId64 "\">Compare ", wid,
			    lid);
			kernel_select(fp, "a", &s, idx, n, n - 2);
			fputs(" with ", fp);
			kernel_select(fp, "b", &s, idx, n, n - 1);
			fputs(" <button>compare</button></form>\n", fp);
		}
	} else if (s.n > 0) {
		snprintf(name, sizeof(name), "plot-history-%" PRId64 "-%"
		    PRId64 "-%s.%s", wid, lid, kb_metric_name(m),
		    plot_fmt_ext(x->fmt));
		wp_img(x, fp, name, "history");
	}
	if (wd_changes(x->c, wid, lid, 0, &ch, &nch) == 0 && nch > 0) {
		fputs("<h2>Change points</h2>\n", fp);
		wp_changes_table(fp, ch, nch);
	}
	wd_changes_free(ch, nch);
	if (han) {
		notes_table(fp, &an);
		db_table_free(&an);
	}
	kernels_table(x, fp, &s, idx, n, m);
	free(idx);
	wd_series_free(&s);
	wp_foot(fp);
	return 0;
}
