/*
 * webtry.c: a per-patch page (try-ID.html): one try request of the
 * queue, its state and the verdict its try wrote, the verdict table of
 * its two kernels (the comparison page's), the kernels and their ids,
 * its boots in order with their run pages (the console log is there),
 * the guest's disk reads and page cache per boot, the per-package page
 * of a bulk workload, and the try's own log.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/webq.h"
#include "output/html.h"
#include "output/report.h"
#include "web/webbulk.h"
#include "web/webhtml.h"
#include "web/webtry.h"

/* The verdict table of base (the first kernel booted) and patched. */
static void
verdicts(struct wp_ctx *x, FILE *fp, const struct db_table *b)
{
	struct rp_cmp rc;
	const struct cmp_metric *cm;
	int64_t ka, kb = 0;
	char err[256];
	size_t i;
	int j;

	ka = strtoll(db_cell(b, 0, WB_KERNEL_ID), NULL, 10);
	for (j = 1; j < b->nrows && kb == 0; j++)
		if (strtoll(db_cell(b, j, WB_KERNEL_ID), NULL, 10) != ka)
			kb = strtoll(db_cell(b, j, WB_KERNEL_ID), NULL, 10);
	if (kb == 0 || rp_cmp_load(x->c, strtoll(db_cell(b, 0, WB_WORKER_ID),
	    NULL, 10), strtoll(db_cell(b, 0, WB_WORKLOAD_ID), NULL, 10), ka,
	    kb, &x->o, &rc, err, sizeof(err)) == -1)
		return;
	fprintf(fp, "<h2>Verdicts</h2>\n<p><a href=\"compare-%" PRId64 "-%"
	    PRId64 "-%" PRId64 "-%" PRId64 ".html\">the comparison</a>: ",
	    rc.wid, rc.lid, ka, kb);
	html_esc(fp, rc.set.label_a);
	fputs(" (base) vs ", fp);
	html_esc(fp, rc.set.label_b);
	fputs("</p>\n<table id=\"verdicts\"><tr><th>metric</th><th>base "
	    "mean</th><th>patched mean</th><th>difference</th><th>verdict"
	    "</th></tr>\n", fp);
	for (i = 0; i < rc.set.n; i++) {
		cm = &rc.set.v[i];
		fprintf(fp, "<tr><td>%s</td><td>", kb_metric_name(cm->m));
		wp_value(fp, cm->m, cm->c.a.mean);
		fputs("</td><td>", fp);
		wp_value(fp, cm->m, cm->c.b.mean);
		fprintf(fp, "</td><td>%+.2f%%</td>", cm->c.diff_pct);
		wp_verdict_cell(fp, st_verdict_name(cm->c.verdict));
		fputs("</tr>\n", fp);
	}
	fputs("</table>\n", fp);
	if (x->site == NULL)
		wb_link(x->c, fp, rc.wid, rc.lid, ka, kb);
	rp_cmp_free(&rc);
}

static void
boots(FILE *fp, const struct db_table *b)
{
	int i;

	fputs("<h2>Boots, in order</h2>\n<table id=\"boots\"><tr><th>#</th>"
	    "<th>run</th><th>state</th><th>kernel</th><th>kernel id</th>"
	    "<th>samples</th><th>boot (s)</th><th>started</th><th>reason"
	    "</th><th>disk read (KiB)</th><th>page cache before (KiB)</th>"
	    "<th>after (KiB)</th><th>console</th></tr>\n", fp);
	for (i = 0; i < b->nrows; i++) {
		fprintf(fp, "<tr><td>%d</td><td><a href=\"run-%s.html\">%s"
		    "</a></td>", i + 1, db_cell(b, i, WB_RUN),
		    db_cell(b, i, WB_RUN));
		wp_verdict_cell(fp, db_cell(b, i, WB_STATE));
		wp_cells(fp, db_cell(b, i, WB_KERNEL), db_cell(b, i, WB_KID),
		    db_cell(b, i, WB_SAMPLES), db_cell(b, i, WB_BOOT_S),
		    db_cell(b, i, WB_CREATED), db_cell(b, i, WB_REASON),
		    db_cell(b, i, WB_READ_KIB), db_cell(b, i, WB_CACHED_PRE),
		    db_cell(b, i, WB_CACHED_POST), NULL);
		if (*db_cell(b, i, WB_LOG) != '\0')
			fprintf(fp, "<td><a href=\"run-%s.html\">"
			    "console log</a></td>", db_cell(b, i, WB_RUN));
		else
			fputs("<td>&ndash;</td>", fp);
		fputs("</tr>\n", fp);
	}
	fputs("</table>\n<p class=\"note\">Disk reads and page cache: "
	    "the means of the guest's counters over the counted repetitions "
	    "(&ndash; where the samples do not carry them).  A run's page "
	    "has the end of its console log.</p>\n", fp);
}

int
wp_try(struct wp_ctx *x, FILE *fp, int64_t id)
{
	static const struct wp_field fields[] = { { "state", WT_STATE },
	    { "verdict", WT_VERDICT }, { "error", WT_ERROR },
	    { "repetitions", WT_N }, { "submitted", WT_SUBMITTED },
	    { "started", WT_STARTED }, { "finished", WT_FINISHED },
	    { "attempts", WT_ATTEMPTS }, { "log", WT_LOG } };
	struct db_table t, b;

	if (webq_try(x->c, id, &t) == -1)
		return -1;
	if (wp_record(fp, &t, "Try", id, WT_WORKLOAD, WT_WORKER, fields,
	    sizeof(fields) / sizeof(fields[0])) == 1)
		return 1;
	if (webq_try_runs(x->c, id, &b) == 0) {
		if (b.nrows > 0) {
			verdicts(x, fp, &b);
			boots(fp, &b);
		} else
			fputs("<p>No boot yet.</p>\n", fp);
		db_table_free(&b);
	}
	db_table_free(&t);
	wp_foot(fp);
	return 0;
}
