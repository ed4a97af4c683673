/*
 * report_text.c: a comparison as text for a developers' list (every
 * line at most 72 columns: ministat's layout with narrower number
 * columns and no tabs), as Markdown, as CSV and as JSON.
 */
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "output/report.h"

/*
 * A label on one line of at most max columns: control characters as
 * '?', cut at a character boundary with "..." when too long.
 */
static void
put_label(FILE *fp, const char *s, size_t max)
{
	size_t len = strlen(s), cut = len, i, cols = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			cols++;
	if (cols > max) {
		/* Count characters, not bytes, to the cut. */
		for (cut = 0, cols = 0; cut < len; cut++)
			if (((unsigned char)s[cut] & 0xc0) != 0x80 &&
			    ++cols > max - 3)
				break;
	}
	for (i = 0; i < cut; i++)
		fputc(iscntrl((unsigned char)s[i]) ? '?' : s[i], fp);
	if (cut < len)
		fputs("...", fp);
}

static void
vitals(FILE *fp, int sym, const struct st_summary *s)
{
	fprintf(fp, "%c %3zu %12.7g %12.7g %12.7g %12.7g %12.7g\n", sym,
	    s->n, s->min, s->max, s->median, s->mean, s->stddev);
}

static int
pct(char *buf, size_t len, const struct st_compare *c)
{
	if (isnan(c->diff_pct))
		return snprintf(buf, len, "n/a");
	if (isnan(c->diff_pct_ci))
		return snprintf(buf, len, "%+.2f%%", c->diff_pct);
	return snprintf(buf, len, "%+.2f%% +/- %.2f%%", c->diff_pct,
	    c->diff_pct_ci);
}

static void
metric_block(FILE *fp, const struct cmp_set *set, const struct cmp_metric *cm)
{
	const struct st_compare *c = &cm->c;
	char p[64];

	fprintf(fp, "%s (%s)\n", kb_metric_name(cm->m),
	    cmp_metric_unit(cm->m));
	fputs("x ", fp);
	put_label(fp, set->label_a, RP_WIDTH - 2);
	fputs("\n+ ", fp);
	put_label(fp, set->label_b, RP_WIDTH - 2);
	fputc('\n', fp);
	/* ministat's plot, framed: RP_WIDTH - 2 columns inside. */
	cmp_print_plot(fp, cm, RP_WIDTH - 2);
	fprintf(fp, "    N %12s %12s %12s %12s %12s\n", "Min", "Max",
	    "Median", "Avg", "Stddev");
	vitals(fp, 'x', &c->a);
	vitals(fp, '+', &c->b);
	if (c->verdict == ST_INSUFFICIENT) {
		fputs("Not enough data: at least 2 values per side are "
		    "needed\nverdict: insufficient\n", fp);
		return;
	}
	if (c->proven) {
		fprintf(fp, "Difference at %.1f%% confidence\n", c->confidence);
		fprintf(fp, "    %g +/- %g\n", c->diff, c->diff_ci);
		fprintf(fp, "    %g%% +/- %g%%\n", c->diff * 100 / c->a.mean,
		    c->diff_ci * 100 / c->a.mean);
		fprintf(fp, "    (Student's t, pooled s = %g)\n", c->pooled_s);
	} else
		fprintf(fp, "No difference proven at %.1f%% confidence\n",
		    c->confidence);
	fprintf(fp, "p(Student) = %.3g, p(Welch) = %.3g, p(MWU) = %.3g\n",
	    c->p_student, c->p_welch, c->p_mwu);
	pct(p, sizeof(p), c);
	fprintf(fp, "verdict: %s, %s (threshold %g%%)\n",
	    st_verdict_name(c->verdict), p, set->threshold_pct);
	if (c->verdict == ST_INCONCLUSIVE && c->more_runs > 0)
		fprintf(fp, "         about %ld more run%s per side needed\n",
		    c->more_runs, c->more_runs == 1 ? "" : "s");
}

static void
summary(FILE *fp, const struct cmp_set *set)
{
	const struct cmp_metric *cm;
	char p[64];
	size_t i;

	fprintf(fp, "Verdicts at %.1f%% confidence, threshold %g%%:\n",
	    set->confidence, set->threshold_pct);
	for (i = 0; i < set->n; i++) {
		cm = &set->v[i];
		pct(p, sizeof(p), &cm->c);
		fprintf(fp, "  %-8s %-13s %s", kb_metric_name(cm->m),
		    st_verdict_name(cm->c.verdict), p);
		if (cm->c.verdict == ST_INCONCLUSIVE && cm->c.more_runs > 0)
			fprintf(fp, " (%ld more/side)",
			    cm->c.more_runs < 99999 ? cm->c.more_runs : 99999);
		fputc('\n', fp);
	}
}

void
rp_text(FILE *fp, const struct rp_cmp *rc)
{
	size_t i;

	fputs("Workload: ", fp);
	put_label(fp, rc->workload, RP_WIDTH - 10);
	fputs("\nWorker:   ", fp);
	put_label(fp, rc->worker, RP_WIDTH - 22);
	fputs(" (", fp);
	put_label(fp, rc->arch, 8);
	fputs(")\nBaseline:  x ", fp);
	put_label(fp, rc->set.label_a, RP_WIDTH - 13);
	fputs("\nCandidate: + ", fp);
	put_label(fp, rc->set.label_b, RP_WIDTH - 13);
	fputs("\n\n", fp);
	for (i = 0; i < rc->set.n; i++) {
		metric_block(fp, &rc->set, &rc->set.v[i]);
		fputc('\n', fp);
	}
	summary(fp, &rc->set);
}

void
rp_text_changes(FILE *fp, const struct wd_change *v, size_t n)
{
	size_t i;

	fprintf(fp, "Open regressions: %zu\n", n);
	for (i = 0; i < n; i++) {
		fputs("  ", fp);
		put_label(fp, v[i].workload, 16);
		fputs(" on ", fp);
		put_label(fp, v[i].worker, 16);
		fprintf(fp, ", %s %+.1f%% [%+.1f%%, %+.1f%%]\n    at ",
		    v[i].metric, v[i].diff_pct, v[i].ci_low, v[i].ci_high);
		put_label(fp, v[i].kernel, 30);
		fputs(" (after ", fp);
		put_label(fp, v[i].prev_kernel, 26);
		fputs(")\n", fp);
	}
}

/* Markdown: backslash before what Markdown or HTML would interpret. */
static void
md_esc(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++) {
		if (strchr("\\`*_{}[]()<>#+-.!|&", *s) != NULL)
			fputc('\\', fp);
		fputc(iscntrl((unsigned char)*s) ? '?' : *s, fp);
	}
}

void
rp_md(FILE *fp, const struct rp_cmp *rc)
{
	const struct cmp_metric *cm;
	char p[64];
	size_t i;

	fputs("## ", fp);
	md_esc(fp, rc->workload);
	fputs(" on ", fp);
	md_esc(fp, rc->worker);
	fputs(" (", fp);
	md_esc(fp, rc->arch);
	fputs("): ", fp);
	md_esc(fp, rc->set.label_a);
	fputs(" vs ", fp);
	md_esc(fp, rc->set.label_b);
	fprintf(fp, "\n\n%.1f%% confidence, threshold %g%%.\n\n"
	    "| metric | baseline median | candidate median | difference "
	    "| p (Student) | verdict |\n|---|---:|---:|---:|---:|---|\n",
	    rc->set.confidence, rc->set.threshold_pct);
	for (i = 0; i < rc->set.n; i++) {
		cm = &rc->set.v[i];
		pct(p, sizeof(p), &cm->c);
		fprintf(fp, "| %s | %.7g | %.7g | %s | %.3g | **%s** |\n",
		    kb_metric_name(cm->m), cm->c.a.median, cm->c.b.median, p,
		    cm->c.p_student, st_verdict_name(cm->c.verdict));
	}
	fputs("\n```\n", fp);
	rp_text(fp, rc);
	fputs("```\n\n", fp);
}

void
rp_md_changes(FILE *fp, const struct wd_change *v, size_t n)
{
	size_t i;

	fprintf(fp, "## Open regressions (%zu)\n\n", n);
	if (n == 0)
		return;
	fputs("| workload | worker | metric | kernel | after | change |\n"
	    "|---|---|---|---|---|---:|\n", fp);
	for (i = 0; i < n; i++) {
		fputs("| ", fp);
		md_esc(fp, v[i].workload);
		fputs(" | ", fp);
		md_esc(fp, v[i].worker);
		fprintf(fp, " | %s | ", v[i].metric);
		md_esc(fp, v[i].kernel);
		fputs(" | ", fp);
		md_esc(fp, v[i].prev_kernel);
		fprintf(fp, " | %+.1f%% |\n", v[i].diff_pct);
	}
	fputc('\n', fp);
}

/*
 * A CSV field, always quoted, quotes doubled.  A leading = + - @ gets
 * an apostrophe so that a spreadsheet shows the label rather than
 * evaluating it as a formula.
 */
static void
csv_str(FILE *fp, const char *s)
{
	fputc('"', fp);
	if (strchr("=+-@", *s) != NULL && *s != '\0')
		fputc('\'', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, fp);
	}
	fputc('"', fp);
}

static void
csv_num(FILE *fp, double v)
{
	fputc(',', fp);
	if (isfinite(v))
		fprintf(fp, "%.10g", v);
}

void
rp_csv_header(FILE *fp)
{
	fputs("worker,arch,workload,baseline,candidate,metric,unit,"
	    "n_a,median_a,mean_a,stddev_a,min_a,max_a,"
	    "n_b,median_b,mean_b,stddev_b,min_b,max_b,"
	    "diff,diff_ci,diff_pct,diff_pct_ci,p_student,p_welch,p_mwu,"
	    "verdict\n", fp);
}

void
rp_csv(FILE *fp, const struct rp_cmp *rc)
{
	const struct st_compare *c;
	size_t i;
	int side;

	for (i = 0; i < rc->set.n; i++) {
		c = &rc->set.v[i].c;
		csv_str(fp, rc->worker);
		fputc(',', fp);
		csv_str(fp, rc->arch);
		fputc(',', fp);
		csv_str(fp, rc->workload);
		fputc(',', fp);
		csv_str(fp, rc->set.label_a);
		fputc(',', fp);
		csv_str(fp, rc->set.label_b);
		fprintf(fp, ",%s,%s", kb_metric_name(rc->set.v[i].m),
		    cmp_metric_unit(rc->set.v[i].m));
		for (side = 0; side < 2; side++) {
			const struct st_summary *s = side ? &c->b : &c->a;

			fprintf(fp, ",%zu", s->n);
			csv_num(fp, s->median);
			csv_num(fp, s->mean);
			csv_num(fp, s->stddev);
			csv_num(fp, s->min);
			csv_num(fp, s->max);
		}
		csv_num(fp, c->diff);
		csv_num(fp, c->diff_ci);
		csv_num(fp, c->diff_pct);
		csv_num(fp, c->diff_pct_ci);
		csv_num(fp, c->p_student);
		csv_num(fp, c->p_welch);
		csv_num(fp, c->p_mwu);
		fprintf(fp, ",%s\n", st_verdict_name(c->verdict));
	}
}

void
rp_json(FILE *fp, const struct rp_cmp *rc)
{
	fputs("{\"worker\": ", fp);
	cmp_json_string(fp, rc->worker);
	fputs(", \"arch\": ", fp);
	cmp_json_string(fp, rc->arch);
	fputs(", \"workload\": ", fp);
	cmp_json_string(fp, rc->workload);
	fputs(",\n \"comparison\": ", fp);
	cmp_print_json(fp, &rc->set);
	fputs("}", fp);
}

void
rp_json_changes(FILE *fp, const struct wd_change *v, size_t n)
{
	size_t i;

	fputc('[', fp);
	for (i = 0; i < n; i++) {
		fputs(i ? ",\n {" : "\n {", fp);
		fprintf(fp, "\"worker_id\": %lld, \"workload_id\": %lld, "
		    "\"kernel_id\": %lld, \"prev_kernel_id\": %lld, ",
		    (long long)v[i].worker_id, (long long)v[i].workload_id,
		    (long long)v[i].kernel_id, (long long)v[i].prev_kernel_id);
		fputs("\"worker\": ", fp);
		cmp_json_string(fp, v[i].worker);
		fputs(", \"arch\": ", fp);
		cmp_json_string(fp, v[i].arch);
		fputs(", \"workload\": ", fp);
		cmp_json_string(fp, v[i].workload);
		fputs(", \"metric\": ", fp);
		cmp_json_string(fp, v[i].metric);
		fputs(", \"kernel\": ", fp);
		cmp_json_string(fp, v[i].kernel);
		fputs(", \"prev_kernel\": ", fp);
		cmp_json_string(fp, v[i].prev_kernel);
		fputs(", \"direction\": ", fp);
		cmp_json_string(fp, v[i].direction);
		fputs(", \"status\": ", fp);
		cmp_json_string(fp, v[i].status);
		fputs(", \"detected\": ", fp);
		cmp_json_string(fp, v[i].detected);
		fputs(", \"diff_pct\": ", fp);
		cmp_json_number(fp, v[i].diff_pct);
		fputs(", \"ci_low_pct\": ", fp);
		cmp_json_number(fp, v[i].ci_low);
		fputs(", \"ci_high_pct\": ", fp);
		cmp_json_number(fp, v[i].ci_high);
		fputs(", \"p_value\": ", fp);
		cmp_json_number(fp, v[i].p);
		fputs("}", fp);
	}
	fputs(n ? "\n]" : "]", fp);
}
