/*
 * webpages.c: the dashboard's pages as HTML.  Everything that comes
 * from the store or a log is escaped by html_esc(); ids in links are
 * numbers the store made.
 */
#include <sys/stat.h>

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/db.h"
#include "store/webq.h"
#include "output/report_formats.h"
#include "output/html.h"
#include "output/profcmp.h"
#include "web/webalerts.h"
#include "web/webbulk.h"
#include "web/webmatrix.h"
#include "web/webpages.h"
#include "web/webseries.h"
#include "web/webtry.h"

#define RUNS_SHOWN	50	/* runs on a series or status page */
#define SAMPLES_SHOWN	500	/* rows of a run's sample table */
#define LOG_TAIL	8192	/* bytes of a log excerpt */

static void
duration(FILE *fp, double s)
{
	if (isnan(s) || s < 0)
		fputs("&ndash;", fp);
	else if (s < 60)
		fprintf(fp, "%.0fs", s);
	else if (s < 3600)
		fprintf(fp, "%dm%02ds", (int)s / 60, (int)s % 60);
	else
		fprintf(fp, "%dh%02dm", (int)s / 3600, ((int)s / 60) % 60);
}

static void
runs_table(FILE *fp, const struct wd_run *r, size_t n)
{
	size_t i;

	fputs("<table><tr><th>run</th><th>state</th><th>worker</th>"
	    "<th>workload</th><th>kernel</th><th>samples</th>"
	    "<th>median real (s)</th><th>created</th><th>reason</th></tr>\n",
	    fp);
	for (i = 0; i < n; i++) {
		fprintf(fp, "<tr><td><a href=\"run-%" PRId64 ".html\">%"
		    PRId64 "</a></td>", r[i].id, r[i].id);
		wp_verdict_cell(fp, r[i].state);
		fputs("<td>", fp);
		html_esc(fp, r[i].worker);
		fputs("</td><td>", fp);
		html_esc(fp, r[i].workload);
		fputs("</td><td>", fp);
		html_esc(fp, r[i].kernel);
		fprintf(fp, "</td><td>%ld", r[i].done);
		if (r[i].n_planned > 0)
			fprintf(fp, "/%ld", r[i].n_planned);
		fputs("</td><td>", fp);
		wp_num(fp, r[i].median_real);
		fputs("</td><td>", fp);
		html_esc(fp, r[i].created);
		fputs("</td><td>", fp);
		html_esc(fp, r[i].reason);
		fputs("</td></tr>\n", fp);
	}
	fputs("</table>\n", fp);
}

/* The last LOG_TAIL bytes of a file, escaped, in a <pre>. */
static void
log_excerpt(FILE *fp, const char *dir, const char *file)
{
	char *path, buf[LOG_TAIL + 1];
	struct stat st;
	FILE *in;
	size_t n;

	path = kb_asprintf("%s/%s", dir, file);
	if ((in = fopen(path, "r")) == NULL || fstat(fileno(in), &st) == -1 ||
	    !S_ISREG(st.st_mode)) {
		if (in != NULL)
			fclose(in);
		free(path);
		return;
	}
	if (st.st_size > LOG_TAIL)
		fseeko(in, st.st_size - LOG_TAIL, SEEK_SET);
	n = fread(buf, 1, LOG_TAIL, in);
	buf[n] = '\0';
	fclose(in);
	fputs("<h3>", fp);
	html_esc(fp, file);
	fprintf(fp, "</h3>\n<p class=\"note\">%s", st.st_size > LOG_TAIL ?
	    "the end of " : "");
	html_esc(fp, path);
	fputs("</p><pre class=\"log\">", fp);
	/* Bytes past a NUL are not text; show what precedes it. */
	html_esc(fp, buf);
	fputs("</pre>\n", fp);
	free(path);
}

/* Hide, show again or remove the run: posted to /runs with the token. */
static void
run_forms(FILE *fp, int64_t id)
{
	static const char *const acts[][2] = { { "hide", "hide" },
	    { "show", "show again" }, { "rm", "remove for good" } };
	size_t i;

	fputs("<h2>Housekeeping</h2>\n<p class=\"note\">Hidden runs stay "
	    "out of the index; each action needs the API token.</p>\n", fp);
	for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++)
		fprintf(fp, "<form class=\"triage\" method=\"post\" "
		    "action=\"runs\"><input type=\"hidden\" name=\"run\" "
		    "value=\"%" PRId64 "\"><input type=\"hidden\" "
		    "name=\"action\" value=\"%s\"><input type=\"password\" "
		    "name=\"token\" placeholder=\"token\" size=\"8\"> "
		    "<button id=\"run-%s\">%s</button></form>\n", id,
		    acts[i][0], acts[i][0], acts[i][1]);
}

int
wp_run(struct wp_ctx *x, FILE *fp, int64_t rid)
{
	static const char *logs[] = { "workload.log", "agent.out",
	    "console.log", "fetch.log" };
	struct wd_run r;
	struct wd_series s;
	struct db_table res;
	char *title;
	double eta;
	int64_t base;
	size_t i;
	int n, j;

	if (wd_run(x->c, rid, &r) == -1)
		return 1;
	title = kb_asprintf("Run %" PRId64 ": %s on %s, kernel %s", r.id,
	    r.workload, r.worker, r.kernel);
	wp_head(fp, title, NULL);
	free(title);
	fputs("<table class=\"kv\">\n", fp);
	wp_kv(fp, "state", r.state);
	if (*r.reason != '\0')
		wp_kv(fp, "reason", r.reason);
	fprintf(fp, "<tr><th>series</th><td><a href=\"series-%" PRId64 "-%"
	    PRId64 ".html\">", r.worker_id, r.workload_id);
	html_esc(fp, r.workload);
	fputs(" on ", fp);
	html_esc(fp, r.worker);
	fputs("</a></td></tr>\n", fp);
	wp_kv(fp, "kernel", r.kernel);
	wp_kv(fp, "kernel id", *r.kid != '\0' ? r.kid : "(not built by kbench)");
	wp_kv(fp, "variant", r.variant);
	wp_kv(fp, "source", r.source);
	wp_kv(fp, "command", r.command);
	wp_kv(fp, "run key", r.ukey);
	wp_kv(fp, "created", r.created);
	wp_kv(fp, "started", r.started);
	wp_kv(fp, "finished", r.finished);
	fprintf(fp, "<tr><th>samples</th><td>%ld of %ld planned (%ld with "
	    "warm-ups)</td></tr>\n", r.done, r.n_planned, r.nall);
	if (strcmp(r.state, "done") != 0 && strcmp(r.state, "failed") != 0) {
		eta = wd_run_eta(&r);
		fputs("<tr><th>progress</th><td>", fp);
		fprintf(fp, "<progress value=\"%ld\" max=\"%ld\"></progress> "
		    "ETA ", r.done, r.n_planned > 0 ? r.n_planned : 1);
		duration(fp, eta);
		fputs("</td></tr>\n", fp);
	}
	fputs("</table>\n", fp);
	if (wd_series_load(x->c, r.worker_id, r.workload_id, KB_M_REAL,
	    &s) == 0) {
		if ((base = wd_baseline(x->c, &s, r.kernel_id)) != 0)
			fprintf(fp, "<p><a href=\"compare-%" PRId64 "-%" PRId64
			    "-%" PRId64 "-%" PRId64 ".html\">compare with the "
			    "baseline</a></p>\n", r.worker_id, r.workload_id,
			    base, r.kernel_id);
		wd_series_free(&s);
	}
	if (webq_samples_page(x->c, rid, SAMPLES_SHOWN, &res) == 0) {
		n = res.nrows;
		fprintf(fp, "<h2>Samples</h2>\n%s<table><tr><th>rep</th>"
		    "<th>real (s)</th><th>user (s)</th><th>sys (s)</th>"
		    "<th>maxrss (KB)</th><th>majflt</th><th>minflt</th>"
		    "<th>nvcsw</th><th>nivcsw</th><th>status</th></tr>\n",
		    r.nall > SAMPLES_SHOWN ? "<p class=\"note\">the first "
		    "500</p>" : "");
		for (i = 0; i < (size_t)n; i++) {
			fprintf(fp, "<tr%s><td>%s%s</td>",
			    strcmp(db_cell(&res, (int)i, 1), "t") == 0 ?
			    " class=\"warmup\"" : "",
			    db_cell(&res, (int)i, 0),
			    strcmp(db_cell(&res, (int)i, 1), "t") == 0 ?
			    " (warm-up)" : "");
			for (j = 2; j <= 10; j++) {
				fputs("<td>", fp);
				html_esc(fp, db_cell(&res, (int)i, j));
				fputs("</td>", fp);
			}
			fputs(strcmp(db_cell(&res, (int)i, 11), "t") == 0 ?
			    "</tr>\n" : "</tr>\n", fp);
		}
		fputs("</table>\n", fp);
		db_table_free(&res);
	}
	if (x->live)
		run_forms(fp, r.id);
	if (*r.log_path != '\0') {
		fputs("<h2>Logs</h2>\n", fp);
		for (i = 0; i < sizeof(logs) / sizeof(logs[0]); i++)
			log_excerpt(fp, r.log_path, logs[i]);
	}
	wp_foot(fp);
	wd_run_free(&r);
	return 0;
}

int
wp_compare(struct wp_ctx *x, FILE *fp, int64_t wid, int64_t lid,
    int64_t ka, int64_t kb)
{
	struct rp_cmp rc;
	struct profcmp pc;
	const struct cmp_metric *cm;
	char err[512], name[128], *title, p[64];
	size_t i;

	if (rp_cmp_load(x->c, wid, lid, ka, kb, &x->o, &rc, err,
	    sizeof(err)) == -1)
		return 1;
	title = kb_asprintf("%s vs %s: %s on %s", rc.set.label_a,
	    rc.set.label_b, rc.workload, rc.worker);
	wp_head(fp, title, NULL);
	free(title);
	fprintf(fp, "<p><a href=\"series-%" PRId64 "-%" PRId64 ".html\">"
	    "the series</a>; %.1f%% confidence, threshold %g%%.</p>\n",
	    wid, lid, rc.set.confidence, rc.set.threshold_pct);
	if (x->site == NULL)
		wb_link(x->c, fp, wid, lid, ka, kb);
	fputs("<table><tr><th>metric</th><th>baseline median</th>"
	    "<th>candidate median</th><th>difference</th>"
	    "<th>p (Student)</th><th>p (Mann-Whitney)</th><th>verdict</th>"
	    "</tr>\n", fp);
	for (i = 0; i < rc.set.n; i++) {
		cm = &rc.set.v[i];
		fprintf(fp, "<tr><td>%s</td><td>", kb_metric_name(cm->m));
		wp_num(fp, cm->c.a.median);
		fputs("</td><td>", fp);
		wp_num(fp, cm->c.b.median);
		if (isnan(cm->c.diff_pct))
			snprintf(p, sizeof(p), "n/a");
		else
			snprintf(p, sizeof(p), "%+.2f%% &plusmn; %.2f%%",
			    cm->c.diff_pct, cm->c.diff_pct_ci);
		fprintf(fp, "</td><td>%s</td><td>", p);
		wp_num(fp, cm->c.p_student);
		fputs("</td><td>", fp);
		wp_num(fp, cm->c.p_mwu);
		fputs("</td>", fp);
		wp_verdict_cell(fp, st_verdict_name(cm->c.verdict));
		fputs("</tr>\n", fp);
	}
	fputs("</table>\n", fp);
	snprintf(name, sizeof(name), "plot-compare-%" PRId64 "-%" PRId64 "-%"
	    PRId64 "-%" PRId64 ".%s", wid, lid, ka, kb, plot_fmt_ext(x->fmt));
	wp_img(x, fp, name, "comparison");
	fputs("<h2>ministat</h2>\n<pre class=\"ministat\">", fp);
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&buf, &len);

		if (mem != NULL) {
			rp_text(mem, &rc);
			fclose(mem);
			html_esc(fp, buf);
			free(buf);
		}
	}
	fputs("</pre>\n", fp);
	/* Profiled runs of both (kbench try --profile): where it grew. */
	if (profcmp_load(x->c, rc.worker, rc.workload, rc.set.label_a,
	    rc.set.label_b, 0, &pc) == 1) {
		profcmp_html(fp, &pc);
		profcmp_free(&pc);
	}
	rp_cmp_free(&rc);
	wp_foot(fp);
	return 0;
}

int
wp_regressions(struct wp_ctx *x, FILE *fp)
{
	struct wd_change *ch;
	size_t n;

	wp_head(fp, "Open regressions", NULL);
	if (!wd_has_changes(x->c))
		fputs("<p class=\"note\">Change-point detection has not "
		    "run here (no change_point table); compare pages still "
		    "give verdicts.</p>\n", fp);
	else if (wd_changes(x->c, 0, 0, 1, &ch, &n) == 0) {
		if (n == 0)
			fputs("<p>None open.</p>\n", fp);
		else
			wp_changes_table(fp, ch, n);
		wd_changes_free(ch, n);
	}
	wp_foot(fp);
	return 0;
}

/* The newest finished runs against their baselines. */
static void
verdicts(struct wp_ctx *x, FILE *fp)
{
	struct rp_cmp *v;
	int64_t *runs;
	size_t n, i, j;

	if (rp_recent(x->c, &x->o, 5, &v, &runs, &n) == -1)
		n = 0;
	fputs("<h2>Latest verdicts</h2>\n", fp);
	if (n == 0)
		fputs("<p>No finished run has a baseline yet.</p>\n", fp);
	else
		fputs("<table><tr><th>run</th><th>series</th><th>baseline"
		    "</th><th>candidate</th><th>verdicts</th></tr>\n", fp);
	for (i = 0; i < n; i++) {
		fprintf(fp, "<tr><td><a href=\"run-%" PRId64 ".html\">%"
		    PRId64 "</a></td><td>", runs[i], runs[i]);
		html_esc(fp, v[i].workload);
		fputs(" on ", fp);
		html_esc(fp, v[i].worker);
		fputs("</td><td>", fp);
		html_esc(fp, v[i].set.label_a);
		fputs("</td><td>", fp);
		html_esc(fp, v[i].set.label_b);
		fprintf(fp, "</td><td><a href=\"compare-%" PRId64 "-%" PRId64
		    "-%" PRId64 "-%" PRId64 ".html\">", v[i].wid, v[i].lid,
		    v[i].ka, v[i].kb);
		for (j = 0; j < v[i].set.n && j < 3; j++)
			fprintf(fp, "%s%s <span class=\"v-%s\">%s</span> "
			    "%+.2f%%", j ? ", " : "",
			    kb_metric_name(v[i].set.v[j].m),
			    st_verdict_name(v[i].set.v[j].c.verdict),
			    st_verdict_name(v[i].set.v[j].c.verdict),
			    v[i].set.v[j].c.diff_pct);
		fputs("</a></td></tr>\n", fp);
	}
	if (n > 0)
		fputs("</table>\n", fp);
	rp_cmps_free(v, n);
	free(runs);
}

int
wp_status(struct wp_ctx *x, FILE *fp)
{
	struct wd_run *r;
	struct db_table res;
	size_t n, i;
	double eta;
	int j, nt;

	wp_head(fp, "Status", x->live ?
	    "<script src=\"status.js\" defer></script>" : NULL);
	if (!x->live)
		fputs("<p class=\"note\">A snapshot: <code>kbench serve"
		    "</code> shows this live.</p>\n", fp);
	fputs("<h2>Running</h2>\n", fp);
	if (wd_runs(x->c, "running", RUNS_SHOWN, &r, &n) == 0) {
		fputs("<table id=\"running\"><tr><th>run</th><th>worker</th>"
		    "<th>workload</th><th>kernel</th><th>repetition</th>"
		    "<th>progress</th><th>mean (s)</th><th>elapsed</th>"
		    "<th>ETA</th></tr>\n", fp);
		for (i = 0; i < n; i++) {
			fprintf(fp, "<tr data-run=\"%" PRId64 "\"><td><a "
			    "href=\"run-%" PRId64 ".html\">%" PRId64
			    "</a></td><td>", r[i].id, r[i].id, r[i].id);
			html_esc(fp, r[i].worker);
			fputs("</td><td>", fp);
			html_esc(fp, r[i].workload);
			fputs("</td><td>", fp);
			html_esc(fp, r[i].kernel);
			fprintf(fp, "</td><td class=\"rep\">%ld/%ld</td>"
			    "<td><progress value=\"%ld\" max=\"%ld\">"
			    "</progress></td><td class=\"mean\">", r[i].done,
			    r[i].n_planned, r[i].done,
			    r[i].n_planned > 0 ? r[i].n_planned : 1);
			wp_num(fp, r[i].mean_real);
			fputs("</td><td class=\"elapsed\">", fp);
			duration(fp, r[i].elapsed);
			fputs("</td><td class=\"eta\">", fp);
			eta = wd_run_eta(&r[i]);
			duration(fp, eta);
			fputs("</td></tr>\n", fp);
		}
		fputs("</table>\n", fp);
		if (n == 0)
			fputs("<p id=\"idle\">Nothing is running.</p>\n", fp);
		wd_runs_free(r, n);
	}
	fputs("<h2>Queue</h2>\n", fp);
	if (wd_runs(x->c, "queued", RUNS_SHOWN, &r, &n) == 0) {
		if (n > 0)
			runs_table(fp, r, n);
		wd_runs_free(r, n);
	}
	if (webq_tries_page(x->c, &res) == 0) {
		nt = res.nrows;
		if (nt > 0) {
			fputs("<table><tr><th>try</th><th>worker</th>"
			    "<th>workload</th><th>n</th><th>submitted</th>"
			    "<th>patch bytes</th><th>state</th>"
			    "<th>verdict</th></tr>\n", fp);
			for (i = 0; i < (size_t)nt; i++) {
				/* The id is a number the store made. */
				fprintf(fp, "<tr><td><a href=\"try-%s.html\">"
				    "%s</a></td>", db_cell(&res, (int)i, 0),
				    db_cell(&res, (int)i, 0));
				for (j = 1; j < 8; j++) {
					fputs("<td>", fp);
					html_esc(fp, db_cell(&res, (int)i, j));
					fputs("</td>", fp);
				}
				fputs("</tr>\n", fp);
			}
			fputs("</table>\n", fp);
		}
		if (nt == 0 && n == 0)
			fputs("<p>The queue is empty.</p>\n", fp);
		db_table_free(&res);
	}
	verdicts(x, fp);
	fputs("<h2>Latest runs</h2>\n", fp);
	if (wd_runs(x->c, NULL, 15, &r, &n) == 0) {
		runs_table(fp, r, n);
		wd_runs_free(r, n);
	}
	wp_foot(fp);
	return 0;
}

int
wp_compare_pick(struct wp_ctx *x, FILE *fp)
{
	static const char *const keys[] = { "w", "l", "a", "b" };
	long v[4];
	size_t i;

	for (i = 0; i < 4; i++)
		if (wp_arg(x, keys[i]) == NULL || kb_parse_long(wp_arg(x,
		    keys[i]), 1, INT64_MAX, &v[i]) == -1)
			return 2;
	return wp_compare(x, fp, v[0], v[1], v[2], v[3]);
}

int
wp_page(struct wp_ctx *x, FILE *fp, const char *name)
{
	int64_t v[4];
	char word[32];
	enum kb_metric m = KB_M_REAL;
	int n;

	if (strcmp(name, "") == 0 || strcmp(name, "index.html") == 0)
		return wp_index(x, fp);
	if (strcmp(name, "regressions.html") == 0)
		return wp_regressions(x, fp);
	if (strcmp(name, "status.html") == 0)
		return wp_status(x, fp);
	if (strcmp(name, "compare.html") == 0)
		return wp_compare_pick(x, fp);
	if (strcmp(name, "alerts.html") == 0)
		return wp_alerts(x, fp);
	if (wplot_parse_ids(name, "alert-", ".html", v, 1, NULL, 0) == 1)
		return wp_alert(x, fp, v[0]);
	if (wplot_parse_ids(name, "try-", ".html", v, 1, NULL, 0) == 1)
		return wp_try(x, fp, v[0]);
	if (wplot_parse_ids(name, "run-", ".html", v, 1, NULL, 0) == 1)
		return wp_run(x, fp, v[0]);
	if (wplot_parse_ids(name, "compare-", ".html", v, 4, NULL, 0) == 4)
		return wp_compare(x, fp, v[0], v[1], v[2], v[3]);
	if (wplot_parse_ids(name, "bulk-", ".html", v, 4, NULL, 0) == 4)
		return wb_bulk(x->c, &x->o, fp, v[0], v[1], v[2], v[3]);
	if ((n = wplot_parse_ids(name, "series-", ".html", v, 2, word,
	    sizeof(word))) == 2) {
		if (*word != '\0' && kb_metric_parse(word, &m) == -1)
			return 1;
		return wp_series(x, fp, v[0], v[1], m);
	}
	return 1;
}
