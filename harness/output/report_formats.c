/*
 * report_formats.c: a comparison as text for a developers' list (every
 * line at most 72 columns: ministat's layout with narrower number
 * columns and no tabs), as Markdown, as CSV and as JSON.
 */
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "output/report.h"
#include "output/report_formats.h"

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
 * evaluating it as a formula; so do a leading TAB and CR, which some
 * skip before looking for one.
 */
void
rp_csv_str(FILE *fp, const char *s)
{
	fputc('"', fp);
	if (strchr("=+-@\t\r", *s) != NULL && *s != '\0')
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
		rp_csv_str(fp, rc->worker);
		fputc(',', fp);
		rp_csv_str(fp, rc->arch);
		fputc(',', fp);
		rp_csv_str(fp, rc->workload);
		fputc(',', fp);
		rp_csv_str(fp, rc->set.label_a);
		fputc(',', fp);
		rp_csv_str(fp, rc->set.label_b);
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

/*
 * JSON through jansson, keys in the order written, 17 significant
 * digits so that every double reads back exactly.
 */
#define JFLAGS	(JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17))

/*
 * jansson takes only valid UTF-8: a label that is not (the database's
 * text always is) gets '?' for its high bytes rather than failing the
 * whole report.
 */
json_t *
rp_jstr(const char *s)
{
	json_t *v;
	char *t, *p;

	if ((v = json_string(s)) != NULL)
		return v;
	t = kb_strdup(s);
	for (p = t; *p != '\0'; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	v = json_string(t);
	free(t);
	return v;
}

/* A figure, or null: JSON has no NaN or infinity. */
json_t *
rp_jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *
jsummary(const struct st_summary *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "n", json_integer((json_int_t)s->n));
	json_object_set_new(o, "min", rp_jnum(s->min));
	json_object_set_new(o, "max", rp_jnum(s->max));
	json_object_set_new(o, "median", rp_jnum(s->median));
	json_object_set_new(o, "mean", rp_jnum(s->mean));
	json_object_set_new(o, "stddev", rp_jnum(s->stddev));
	return o;
}

static json_t *
jmetric(const struct cmp_metric *cm)
{
	const struct st_compare *c = &cm->c;
	json_t *o = json_object();

	json_object_set_new(o, "metric", rp_jstr(kb_metric_name(cm->m)));
	json_object_set_new(o, "a", jsummary(&c->a));
	json_object_set_new(o, "b", jsummary(&c->b));
	json_object_set_new(o, "diff", rp_jnum(c->diff));
	json_object_set_new(o, "diff_ci", rp_jnum(c->diff_ci));
	json_object_set_new(o, "diff_pct", rp_jnum(c->diff_pct));
	json_object_set_new(o, "diff_pct_ci", rp_jnum(c->diff_pct_ci));
	json_object_set_new(o, "p_student", rp_jnum(c->p_student));
	json_object_set_new(o, "p_welch", rp_jnum(c->p_welch));
	json_object_set_new(o, "p_mwu", rp_jnum(c->p_mwu));
	json_object_set_new(o, "verdict", rp_jstr(st_verdict_name(c->verdict)));
	json_object_set_new(o, "more_runs", json_integer(c->more_runs));
	return o;
}

/* The keys and values of cmp_print_json (output/cmpreport.c). */
static json_t *
jcomparison(const struct cmp_set *set)
{
	json_t *o = json_object(), *labels = json_object(), *m = json_array();
	size_t i;

	json_object_set_new(o, "confidence", rp_jnum(set->confidence));
	json_object_set_new(o, "threshold", rp_jnum(set->threshold_pct));
	json_object_set_new(labels, "a", rp_jstr(set->label_a));
	json_object_set_new(labels, "b", rp_jstr(set->label_b));
	json_object_set_new(o, "labels", labels);
	for (i = 0; i < set->n; i++)
		json_array_append_new(m, jmetric(&set->v[i]));
	json_object_set_new(o, "metrics", m);
	return o;
}

void
rp_json(FILE *fp, const struct rp_cmp *rc)
{
	json_t *o = json_object();

	json_object_set_new(o, "worker", rp_jstr(rc->worker));
	json_object_set_new(o, "arch", rp_jstr(rc->arch));
	json_object_set_new(o, "workload", rp_jstr(rc->workload));
	json_object_set_new(o, "comparison", jcomparison(&rc->set));
	json_dumpf(o, fp, JFLAGS);
	json_decref(o);
}

static json_t *
jchange(const struct wd_change *c)
{
	json_t *o = json_object();

	json_object_set_new(o, "worker_id", json_integer(c->worker_id));
	json_object_set_new(o, "workload_id", json_integer(c->workload_id));
	json_object_set_new(o, "kernel_id", json_integer(c->kernel_id));
	json_object_set_new(o, "prev_kernel_id",
	    json_integer(c->prev_kernel_id));
	json_object_set_new(o, "worker", rp_jstr(c->worker));
	json_object_set_new(o, "arch", rp_jstr(c->arch));
	json_object_set_new(o, "workload", rp_jstr(c->workload));
	json_object_set_new(o, "metric", rp_jstr(c->metric));
	json_object_set_new(o, "kernel", rp_jstr(c->kernel));
	json_object_set_new(o, "prev_kernel", rp_jstr(c->prev_kernel));
	json_object_set_new(o, "direction", rp_jstr(c->direction));
	json_object_set_new(o, "status", rp_jstr(c->status));
	json_object_set_new(o, "detected", rp_jstr(c->detected));
	json_object_set_new(o, "diff_pct", rp_jnum(c->diff_pct));
	json_object_set_new(o, "ci_low_pct", rp_jnum(c->ci_low));
	json_object_set_new(o, "ci_high_pct", rp_jnum(c->ci_high));
	json_object_set_new(o, "p_value", rp_jnum(c->p));
	return o;
}

void
rp_json_changes(FILE *fp, const struct wd_change *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, jchange(&v[i]));
	json_dumpf(a, fp, JFLAGS);
	json_decref(a);
}

void
rp_json_put(FILE *fp, const char *name, json_t *j)
{
	if (name != NULL)
		fprintf(fp, ",\n \"%s\": ", name);
	json_dumpf(j, fp, JFLAGS);
	json_decref(j);
}
