/*
 * webhtml.c: what every dashboard page is made of: its head and end,
 * numbers, verdict cells, plots as images, change-point tables, and
 * the request's query parameters (webhtml.h).
 */
#include <sys/stat.h>

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/db.h"
#include "output/html.h"
#include "stats/stats.h"
#include "web/webhtml.h"
#include "web/webplots.h"

void
wp_head(FILE *fp, const char *title, const char *extra)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width\">"
	    "<link rel=\"stylesheet\" href=\"style.css\"><title>", fp);
	html_esc(fp, title);
	fputs(" - kbench</title>", fp);
	if (extra != NULL)
		fputs(extra, fp);
	fputs("</head><body><nav><a href=\"index.html\">kbench</a> "
	    "<a href=\"regressions.html\">regressions</a> "
	    "<a href=\"alerts.html\">alerts</a> "
	    "<a href=\"status.html\">status</a></nav><main>\n<h1>", fp);
	html_esc(fp, title);
	fputs("</h1>\n", fp);
}

void
wp_foot(FILE *fp)
{
	char buf[64];
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm);
	fprintf(fp, "</main><footer>kbench %s, %s</footer></body></html>\n",
	    KB_VERSION, buf);
}

void
wp_num(FILE *fp, double v)
{
	if (isnan(v))
		fputs("&ndash;", fp);
	else
		fprintf(fp, "%.6g", v);
}

const char *
wp_arg(const struct wp_ctx *x, const char *key)
{
	return x->arg != NULL ? x->arg(x->argctx, key) : NULL;
}

/* A date parameter: absent, empty or YYYY-MM-DD. */
int
wp_date_ok(const struct wp_ctx *x, const char *key)
{
	const char *v = wp_arg(x, key);

	return v == NULL || *v == '\0' || kb_ymd_shape(v);
}

int
wp_date_in(const struct wp_ctx *x, const char *date)
{
	const char *from = wp_arg(x, "from"), *to = wp_arg(x, "to");

	if ((from == NULL || *from == '\0') && (to == NULL || *to == '\0'))
		return 1;
	if (*date == '\0')
		return 0;
	/* ISO dates: the byte order is the time order. */
	return (from == NULL || strncmp(date, from, 10) >= 0) &&
	    (to == NULL || *to == '\0' || strncmp(date, to, 10) <= 0);
}

void
wp_value(FILE *fp, enum kb_metric m, double v)
{
	if (isnan(v))
		fputs("&ndash;", fp);
	else
		fprintf(fp, kb_metric_is_time(m) ? "%.2f" : "%.0f", v);
}

/*
 * An image of a plot.  A static site gets the file now; a served page
 * names it and the server draws it when the browser asks.  A plot that
 * cannot be drawn (too little data) leaves a note instead.
 */
void
wp_img(struct wp_ctx *x, FILE *fp, const char *name, const char *alt)
{
	char *path;

	if (x->site != NULL) {
		path = kb_asprintf("%s/%s", x->site, name);
		if (wp_plot(x, name, path) != 0) {
			fputs("<p class=\"note\">(no plot: not enough data)"
			    "</p>\n", fp);
			free(path);
			return;
		}
		x->nplots++;
		free(path);
	}
	fprintf(fp, "<figure><img src=\"%s\" alt=\"", name);
	html_esc(fp, alt);
	fputs("\"></figure>\n", fp);
}

void
wp_kv(FILE *fp, const char *k, const char *v)
{
	fprintf(fp, "<tr><th>%s</th><td>", k);
	html_esc(fp, v);
	fputs("</td></tr>\n", fp);
}

void
wp_kv_table(FILE *fp, const char *id, const struct db_table *t,
    const struct wp_field *f, size_t n)
{
	const char *v;
	size_t i;

	fprintf(fp, "<table class=\"kv\" id=\"%s\">\n", id);
	for (i = 0; i < n; i++) {
		v = db_cell(t, 0, f[i].col);
		/* A boolean column: PostgreSQL's t and f. */
		wp_kv(fp, f[i].label, strcmp(v, "t") == 0 ? "yes" :
		    strcmp(v, "f") == 0 ? "no" : v);
	}
	fputs("</table>\n", fp);
}

int
wp_record(FILE *fp, struct db_table *t, const char *kind, int64_t id,
    int c1, int c2, const struct wp_field *f, size_t n)
{
	char *title, hid[32];

	if (t->nrows != 1) {
		db_table_free(t);
		return 1;
	}
	title = kb_asprintf("%s %" PRId64 ": %s on %s", kind, id,
	    db_cell(t, 0, c1), db_cell(t, 0, c2));
	wp_head(fp, title, NULL);
	free(title);
	snprintf(hid, sizeof(hid), "%s", kind);
	hid[0] = (char)(hid[0] | 0x20);		/* "Alert": id "alert" */
	wp_kv_table(fp, hid, t, f, n);
	return 0;
}

static void
summary(const struct wd_point *p, struct st_summary *s)
{
	s->n = (size_t)p->n;
	s->min = p->min;
	s->max = p->max;
	s->median = p->median;
	s->mean = p->mean;
	s->stddev = p->stddev;
}

const char *
wp_step(const struct wp_ctx *x, const struct wd_point *a,
    const struct wd_point *b, double *diff_pct)
{
	struct st_summary sa, sb;
	struct st_compare c;

	summary(a, &sa);
	summary(b, &sb);
	*diff_pct = NAN;
	if (st_compare_summary(&sa, &sb, x->o.confidence, x->o.threshold,
	    &c) == -1)
		return "no-data";
	*diff_pct = c.diff_pct;
	return st_verdict_name(c.verdict);
}

void
wp_cells(FILE *fp, const char *s, ...)
{
	va_list ap;

	va_start(ap, s);
	for (; s != NULL; s = va_arg(ap, const char *)) {
		fputs("<td>", fp);
		html_esc(fp, s);
		fputs("</td>", fp);
	}
	va_end(ap);
}

void
wp_revision_cell(const struct wp_ctx *x, FILE *fp, const char *os,
    const char *rev)
{
	char *url;

	url = commit_url(commit_url_for(x->trees, x->ntrees, os), rev);
	fputs("<td>", fp);
	if (url != NULL) {
		fputs("<a class=\"commit\" href=\"", fp);
		html_esc(fp, url);
		fputs("\">", fp);
	}
	html_esc(fp, rev);
	if (url != NULL)
		fputs("</a>", fp);
	fputs("</td>", fp);
	free(url);
}

void
wp_verdict_cell(FILE *fp, const char *v)
{
	fputs("<td class=\"v-", fp);
	html_esc(fp, v);
	fputs("\">", fp);
	html_esc(fp, v);
	fputs("</td>", fp);
}

void
wp_changes_table(FILE *fp, const struct wd_change *ch, size_t n)
{
	size_t i;

	fputs("<table><tr><th>workload</th><th>worker</th><th>arch</th>"
	    "<th>metric</th><th>before</th><th>first kernel after</th>"
	    "<th>change</th><th>interval</th><th>p</th><th>direction</th>"
	    "<th>status</th><th>detected</th></tr>\n", fp);
	for (i = 0; i < n; i++) {
		fprintf(fp, "<tr><td><a href=\"series-%" PRId64 "-%" PRId64
		    ".html\">", ch[i].worker_id, ch[i].workload_id);
		html_esc(fp, ch[i].workload);
		fputs("</a></td>", fp);
		wp_cells(fp, ch[i].worker, ch[i].arch, ch[i].metric,
		    ch[i].prev_kernel, NULL);
		fputs("<td>", fp);
		if (ch[i].prev_kernel_id != 0)
			fprintf(fp, "<a href=\"compare-%" PRId64 "-%" PRId64
			    "-%" PRId64 "-%" PRId64 ".html\">", ch[i].worker_id,
			    ch[i].workload_id, ch[i].prev_kernel_id,
			    ch[i].kernel_id);
		html_esc(fp, ch[i].kernel);
		fputs(ch[i].prev_kernel_id != 0 ? "</a></td>" : "</td>", fp);
		fprintf(fp, "<td>%+.2f%%</td><td>[%+.2f%%, %+.2f%%]</td><td>",
		    ch[i].diff_pct, ch[i].ci_low, ch[i].ci_high);
		wp_num(fp, ch[i].p);
		fputs("</td>", fp);
		wp_verdict_cell(fp, ch[i].direction);
		wp_cells(fp, ch[i].status, ch[i].detected, NULL);
		fputs("</tr>\n", fp);
	}
	fputs("</table>\n", fp);
}

int
wp_plot(struct wp_ctx *x, const char *name, const char *path)
{
	struct wplot *p;
	int rc;

	if ((rc = wplot_load(x->c, &x->o, x->fmt, name, &p)) != 0)
		return rc;
	rc = wplot_draw(p, path);
	wplot_free(p);
	return rc;
}

