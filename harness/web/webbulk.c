/*
 * webbulk.c: the page of a bulk comparison (webbulk.h).
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"
#include "output/html.h"
#include "output/plot.h"
#include "output/pkgcmp.h"
#include "store/pkgdb.h"
#include "web/webbulk.h"

static void
cell(FILE *fp, double v, const char *fmt)
{
	/* data-v: the number the table sorts by (sort.js). */
	if (!isfinite(v)) {
		fputs("<td data-v=\"\">&ndash;</td>", fp);
		return;
	}
	fprintf(fp, "<td data-v=\"%.17g\">", v);
	fprintf(fp, fmt, v);
	fputs("</td>", fp);
}

static void
table(FILE *fp, const struct pkgcmp *pc)
{
	const struct pkgcmp_row *r;
	size_t i;

	fputs("<table class=\"sortable\"><thead><tr><th>package</th>"
	    "<th>base s</th><th>patched s</th><th>difference s</th>"
	    "<th>difference %</th><th>&plusmn; %</th><th>ratio</th>"
	    "<th>repetitions</th></tr></thead><tbody>\n", fp);
	for (i = 0; i < pc->n; i++) {
		r = &pc->v[i];
		fputs("<tr><td>", fp);
		html_esc(fp, r->name);
		fputs("</td>", fp);
		cell(fp, r->c.a.mean, "%.2f");
		cell(fp, r->c.b.mean, "%.2f");
		cell(fp, r->c.diff, "%+.2f");
		cell(fp, r->c.diff_pct, "%+.1f");
		cell(fp, r->c.diff_pct_ci, "%.1f");
		cell(fp, r->ratio, "%.3f");
		fprintf(fp, "<td data-v=\"%zu\">%zu / %zu</td></tr>\n",
		    r->c.a.n < r->c.b.n ? r->c.a.n : r->c.b.n, r->c.a.n,
		    r->c.b.n);
	}
	fputs("</tbody></table>\n", fp);
}

/* gnuplot's SVG of the scatter, inline from its <svg> element on. */
static void
scatter(FILE *fp, const struct pkgcmp *pc)
{
	char path[] = "/tmp/kbench-bulk.XXXXXX", buf[8192], *s;
	double *a, *b;
	size_t i, n, skip;
	FILE *in;
	int fd;

	if ((fd = mkstemp(path)) == -1) {
		kb_warn("mkstemp");
		return;
	}
	close(fd);
	a = kb_calloc(pc->n + 1, sizeof(double));
	b = kb_calloc(pc->n + 1, sizeof(double));
	for (i = 0; i < pc->n; i++) {
		a[i] = pc->v[i].c.a.mean;
		b[i] = pc->v[i].c.b.mean;
	}
	if (plot_scatter(a, b, pc->n, pc->label_a, pc->label_b,
	    "time per package", PLOT_SVG, path) == 0 &&
	    (in = fopen(path, "r")) != NULL) {
		fputs("<figure>", fp);
		for (skip = 1; (n = fread(buf, 1, sizeof(buf) - 1, in)) > 0;) {
			buf[n] = '\0';
			s = buf;
			/* Drop the XML prolog: the first block holds <svg. */
			if (skip && (s = strstr(buf, "<svg")) == NULL)
				s = buf + n;
			skip = 0;
			fwrite(s, 1, (size_t)(buf + n - s), fp);
		}
		fclose(in);
		fputs("</figure>\n", fp);
	} else
		fputs("<p class=\"note\">(no scatter: gnuplot drew "
		    "nothing)</p>\n", fp);
	unlink(path);
	free(a);
	free(b);
}

static void
summary(FILE *fp, const struct pkgcmp *pc)
{
	size_t i;

	fprintf(fp, "<p>%zu packages built on both; total %.2f s on base, "
	    "%.2f s patched", pc->n, pc->total_a, pc->total_b);
	if (pc->total_a > 0)
		fprintf(fp, " (%+.1f%%)", (pc->total_b - pc->total_a) /
		    pc->total_a * 100);
	fprintf(fp, ". Not built: %zu on base, %zu patched; only on one: "
	    "%zu base, %zu patched.", pc->failed_a, pc->failed_b, pc->only_a,
	    pc->only_b);
	if (pc->single)
		fputs(" With one repetition on a side a package has a "
		    "ratio, no interval.", fp);
	fputs("</p>\n<p>Critical path", fp);
	if (pc->npath == 0) {
		fputs(": unknown (no dependency edges stored).</p>\n", fp);
		return;
	}
	fprintf(fp, " by base time, %.2f s on base, %.2f s patched: ",
	    pc->path_a, pc->path_b);
	for (i = 0; i < pc->npath; i++) {
		if (i > 0)
			fputs(" &rarr; ", fp);
		html_esc(fp, pc->path[i]);
	}
	fputs(".</p>\n", fp);
}

int
wb_bulk(PGconn *c, const struct rp_opts *o, FILE *fp, int64_t wid,
    int64_t lid, int64_t ka, int64_t kb)
{
	struct pkgcmp_loaded l;
	char *nm[4] = { NULL, NULL, NULL, NULL };
	int i, rc;

	if ((rc = pkgdb_labels(c, wid, lid, ka, kb, nm)) != 0)
		return rc;
	if ((rc = pkgcmp_load(c, nm[0], nm[1], nm[2], nm[3], o->confidence,
	    o->threshold, &l)) == 1) {
		fputs("<!DOCTYPE html>\n<html lang=\"en\"><head>"
		    "<meta charset=\"utf-8\"><link rel=\"stylesheet\" "
		    "href=\"style.css\"><script src=\"sort.js\" defer>"
		    "</script><title>packages - kbench</title></head><body>"
		    "<nav><a href=\"index.html\">kbench</a></nav><main>\n"
		    "<h1>Per package: ", fp);
		html_esc(fp, nm[2]);
		fputs(" vs ", fp);
		html_esc(fp, nm[3]);
		fputs(", ", fp);
		html_esc(fp, nm[1]);
		fputs(" on ", fp);
		html_esc(fp, nm[0]);
		fputs("</h1>\n", fp);
		summary(fp, &l.pc);
		scatter(fp, &l.pc);
		table(fp, &l.pc);
		fputs("</main></body></html>\n", fp);
		pkgcmp_unload(&l);
		rc = 0;
	} else if (rc == 0)
		rc = 1;
	for (i = 0; i < 4; i++)
		free(nm[i]);
	return rc;
}

void
wb_link(PGconn *c, FILE *fp, int64_t wid, int64_t lid, int64_t ka,
    int64_t kb)
{
	struct pkgdb_set s[2];
	char *nm[4] = { NULL, NULL, NULL, NULL };
	int i;

	if (pkgdb_labels(c, wid, lid, ka, kb, nm) != 0)
		return;
	if (pkgdb_load(c, nm[0], nm[1], nm[2], &s[0]) == 0) {
		if (pkgdb_load(c, nm[0], nm[1], nm[3], &s[1]) == 0) {
			if (s[0].n > 0 && s[1].n > 0)
				fprintf(fp, "<p><a href=\"bulk-%" PRId64 "-%"
				    PRId64 "-%" PRId64 "-%" PRId64 ".html\">"
				    "Per package</a>: the packages of these "
				    "bulk builds.</p>\n", wid, lid, ka, kb);
			pkgdb_free(&s[1]);
		}
		pkgdb_free(&s[0]);
	}
	for (i = 0; i < 4; i++)
		free(nm[i]);
}
