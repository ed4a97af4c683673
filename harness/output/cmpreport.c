/*
 * cmpreport.c: per-metric comparisons of two sample sets, rendered as
 * ministat(1) renders them (text) or as JSON.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output/cmpreport.h"

static int
dblcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

const char *
cmp_metric_unit(enum kb_metric m)
{
	if (kb_metric_is_time(m))
		return "seconds";
	if (m == KB_M_MAXRSS)
		return "kilobytes";
	return "count";
}

int
cmp_start(struct cmp_set *out, const char *label_a, const char *label_b,
    double confidence, double threshold_pct, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (!st_confidence_ok(confidence)) {
		snprintf(err, errlen, "unsupported confidence level %g",
		    confidence);
		return -1;
	}
	out->label_a = kb_strdup(label_a);
	out->label_b = kb_strdup(label_b);
	out->confidence = confidence;
	out->threshold_pct = threshold_pct;
	out->v = kb_calloc(KB_M_COUNT, sizeof(*out->v));
	return 0;
}

void
cmp_add(struct cmp_set *out, enum kb_metric m, double *va, size_t na,
    double *vb, size_t nb)
{
	struct cmp_metric *cm = &out->v[out->n++];

	cm->m = m;
	/* Sums in input order, as ministat; then sort for the plot. */
	(void)st_compare(va, na, vb, nb, out->confidence, out->threshold_pct,
	    &cm->c);
	qsort(va, na, sizeof(*va), dblcmp);
	qsort(vb, nb, sizeof(*vb), dblcmp);
	cm->a = va;
	cm->b = vb;
	cm->na = na;
	cm->nb = nb;
}

int
cmp_build(struct cmp_set *out, const struct kb_sampleset *a,
    const struct kb_sampleset *b, const char *label_a, const char *label_b,
    double confidence, double threshold_pct, unsigned mask, char *err,
    size_t errlen)
{
	double *va, *vb;
	size_t na, nb;
	int m;

	if (cmp_start(out, label_a, label_b, confidence, threshold_pct, err,
	    errlen) == -1)
		return -1;
	for (m = 0; m < KB_M_COUNT; m++) {
		if (mask != CMP_ALL && !(mask & CMP_METRIC(m)))
			continue;
		na = kb_ss_values(a, (enum kb_metric)m, &va);
		nb = kb_ss_values(b, (enum kb_metric)m, &vb);
		if (na == 0 || nb == 0) {
			free(va);
			free(vb);
			if (mask == CMP_ALL)
				continue;
			snprintf(err, errlen, "no %s values in %s",
			    kb_metric_name((enum kb_metric)m),
			    na == 0 ? label_a : label_b);
			cmp_free(out);
			return -1;
		}
		cmp_add(out, (enum kb_metric)m, va, na, vb, nb);
	}
	if (out->n == 0) {
		snprintf(err, errlen, "no metric has values in both %s and %s",
		    label_a, label_b);
		cmp_free(out);
		return -1;
	}
	return 0;
}

void
cmp_free(struct cmp_set *s)
{
	size_t i;

	if (s->v != NULL)
		for (i = 0; i < s->n; i++) {
			free(s->v[i].a);
			free(s->v[i].b);
		}
	free(s->v);
	free(s->label_a);
	free(s->label_b);
	memset(s, 0, sizeof(*s));
}

int
cmp_any_regression(const struct cmp_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].c.verdict == ST_REGRESSION)
			return 1;
	return 0;
}

/* A label for a terminal: control characters become '?'. */
static void
put_label(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++)
		fputc(iscntrl((unsigned char)*s) ? '?' : *s, fp);
}

/*
 * ministat's plot: its SetupPlot/DimPlot/PlotSet/DumpPlot for two sets
 * (x, +; '*' where both fall), bars on one line, kept to the letter
 * including its quirk that the plot's height is that of the last set
 * plotted.
 */
struct plot {
	double	 min, max, span, x0, dx;
	int	 width, height;
	int	 scale;		/* samples a row stands for; ministat's: 1 */
	char	*data;
	char	*bar;
};

/*
 * Rows of dots at most: ministat stacks one row per sample in a
 * column, which for a million samples is a report of hundreds of MB.
 * Past this, one row stands for several samples, and the plot says so.
 */
#define PLOT_MAXROWS	40

static void
adj_plot(struct plot *pl, double v)
{
	if (v < pl->min)
		pl->min = v;
	if (v > pl->max)
		pl->max = v;
	pl->span = pl->max - pl->min;
	pl->dx = pl->span / (pl->width - 1.0);
	pl->x0 = pl->min - .5 * pl->dx;
}

/* The tallest stack of samples in one column (v is sorted). */
static int
max_stack(const struct plot *pl, const double *v, size_t n)
{
	size_t k;
	int i = -1, j = 0, m = 1, x;

	for (k = 0; k < n; k++) {
		x = (v[k] - pl->x0) / pl->dx;
		if (x == i) {
			j++;
			if (j > m)
				m = j;
		} else {
			j = 1;
			i = x;
		}
	}
	return m;
}

static void
plot_set(struct plot *pl, const double *v, size_t n,
    const struct st_summary *s, int val)
{
	size_t k;
	int i, j, m, x;

	j = 0;
	m = (max_stack(pl, v, n) + pl->scale - 1) / pl->scale + 1;
	if (m > pl->height) {
		pl->data = kb_reallocarray(pl->data, (size_t)m,
		    (size_t)pl->width);
		memset(pl->data + (size_t)pl->height * pl->width, 0,
		    (size_t)(m - pl->height) * pl->width);
	}
	pl->height = m;
	i = -1;
	for (k = 0; k < n; k++) {
		x = (v[k] - pl->x0) / pl->dx;
		if (x == i)
			j++;
		else {
			j = 1;
			i = x;
		}
		pl->data[(j + pl->scale - 1) / pl->scale * pl->width + x] |=
		    val;
	}
	if (!isnan(s->stddev)) {
		x = ((s->mean - s->stddev) - pl->x0) / pl->dx;
		m = ((s->mean + s->stddev) - pl->x0) / pl->dx;
		pl->bar[m] = '|';
		pl->bar[x] = '|';
		for (i = x + 1; i < m; i++)
			if (pl->bar[i] == 0)
				pl->bar[i] = '_';
	}
	x = (s->median - pl->x0) / pl->dx;
	pl->bar[x] = 'M';
	x = (s->mean - pl->x0) / pl->dx;
	pl->bar[x] = 'A';
}

static void
plot_rule(FILE *fp, int width)
{
	int i;

	fputc('+', fp);
	for (i = 0; i < width; i++)
		fputc('-', fp);
	fputs("+\n", fp);
}

void
cmp_print_plot(FILE *fp, const struct cmp_metric *cm, int width)
{
	static const char symbol[] = " x+*";
	const struct st_summary *s[2] = { &cm->c.a, &cm->c.b };
	struct plot pl;
	int i, j, k;

	memset(&pl, 0, sizeof(pl));
	pl.width = width;
	pl.min = 999e99;
	pl.max = -999e99;
	for (i = 0; i < 2; i++) {
		adj_plot(&pl, s[i]->min);
		adj_plot(&pl, s[i]->max);
		adj_plot(&pl, s[i]->mean - s[i]->stddev);
		adj_plot(&pl, s[i]->mean + s[i]->stddev);
	}
	if (pl.span == 0 || !isfinite(pl.span)) {
		fputs("[no plot, span is zero width]\n", fp);
		return;
	}
	pl.bar = kb_calloc((size_t)width, 1);
	k = max_stack(&pl, cm->a, cm->na);
	if (max_stack(&pl, cm->b, cm->nb) > k)
		k = max_stack(&pl, cm->b, cm->nb);
	pl.scale = (k + PLOT_MAXROWS - 1) / PLOT_MAXROWS;
	plot_set(&pl, cm->a, cm->na, s[0], 1);
	plot_set(&pl, cm->b, cm->nb, s[1], 2);

	plot_rule(fp, width);
	for (i = 1; i < pl.height; i++) {
		fputc('|', fp);
		for (j = 0; j < width; j++) {
			k = pl.data[(pl.height - i) * width + j];
			fputc(symbol[k & 3], fp);
		}
		fputs("|\n", fp);
	}
	fputc('|', fp);
	for (j = 0; j < width; j++)
		fputc(pl.bar[j] == 0 ? ' ' : pl.bar[j], fp);
	fputs("|\n", fp);
	plot_rule(fp, width);
	if (pl.scale > 1)
		fprintf(fp, "[a row of the plot is %d samples]\n", pl.scale);
	free(pl.data);
	free(pl.bar);
}

static void
vitals(FILE *fp, int sym, const struct st_summary *s)
{
	fprintf(fp, "%c %3zu %13.8g %13.8g %13.8g %13.8g %13.8g\n", sym,
	    s->n, s->min, s->max, s->median, s->mean, s->stddev);
}

/* "+16.21% +/- 2.03%", or "n/a". */
static void
pct(FILE *fp, const struct st_compare *c)
{
	if (isnan(c->diff_pct))
		fputs("n/a", fp);
	else if (isnan(c->diff_pct_ci))
		fprintf(fp, "%+.2f%%", c->diff_pct);
	else
		fprintf(fp, "%+.2f%% +/- %.2f%%", c->diff_pct, c->diff_pct_ci);
}

static void
verdict_detail(FILE *fp, const struct cmp_set *set, const struct st_compare *c)
{
	fputs(st_verdict_name(c->verdict), fp);
	fputs(", ", fp);
	pct(fp, c);
	fprintf(fp, " (threshold %g%%", set->threshold_pct);
	if (c->verdict == ST_INCONCLUSIVE && c->more_runs > 0)
		fprintf(fp, "; about %ld more run%s per side", c->more_runs,
		    c->more_runs == 1 ? "" : "s");
	fputs(")", fp);
}

void
cmp_print_metric(FILE *fp, const struct cmp_set *set,
    const struct cmp_metric *cm, int flags)
{
	const struct st_compare *c = &cm->c;

	fprintf(fp, "%s (%s)\n", kb_metric_name(cm->m),
	    cmp_metric_unit(cm->m));
	fputs("x ", fp);
	put_label(fp, set->label_a);
	fputs("\n+ ", fp);
	put_label(fp, set->label_b);
	fputc('\n', fp);
	if (flags & CMP_PLOT)
		cmp_print_plot(fp, cm, CMP_PLOT_WIDTH);
	fputs("    N           Min           Max        Median"
	    "           Avg        Stddev\n", fp);
	vitals(fp, 'x', &c->a);
	vitals(fp, '+', &c->b);
	if (c->verdict == ST_INSUFFICIENT) {
		fputs("Not enough data: at least 2 values per side are "
		    "needed\n", fp);
		fputs("verdict: insufficient\n", fp);
		return;
	}
	/* ministat's Relative(). */
	if (c->proven) {
		fprintf(fp, "Difference at %.1f%% confidence\n",
		    c->confidence);
		fprintf(fp, "\t%g +/- %g\n", c->diff, c->diff_ci);
		fprintf(fp, "\t%g%% +/- %g%%\n", c->diff * 100 / c->a.mean,
		    c->diff_ci * 100 / c->a.mean);
		fprintf(fp, "\t(Student's t, pooled s = %g)\n", c->pooled_s);
	} else
		fprintf(fp, "No difference proven at %.1f%% confidence\n",
		    c->confidence);
	fprintf(fp, "p(Student) = %.3g, p(Welch) = %.3g, "
	    "p(Mann-Whitney) = %.3g\n", c->p_student, c->p_welch, c->p_mwu);
	fputs("verdict: ", fp);
	verdict_detail(fp, set, c);
	fputc('\n', fp);
}

void
cmp_print_summary(FILE *fp, const struct cmp_set *set)
{
	const struct cmp_metric *cm;
	size_t i;

	fprintf(fp, "Verdicts at %.1f%% confidence, threshold %g%%:\n",
	    set->confidence, set->threshold_pct);
	for (i = 0; i < set->n; i++) {
		cm = &set->v[i];
		fprintf(fp, "  %-8s %-13s ", kb_metric_name(cm->m),
		    st_verdict_name(cm->c.verdict));
		pct(fp, &cm->c);
		if (cm->c.verdict == ST_INCONCLUSIVE && cm->c.more_runs > 0)
			fprintf(fp, " (about %ld more run%s per side)",
			    cm->c.more_runs, cm->c.more_runs == 1 ? "" : "s");
		fputc('\n', fp);
	}
}

void
cmp_print_text(FILE *fp, const struct cmp_set *set, int flags)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		cmp_print_metric(fp, set, &set->v[i], flags);
		fputc('\n', fp);
	}
	cmp_print_summary(fp, set);
}

void
cmp_json_string(FILE *fp, const char *s)
{
	unsigned char ch;

	fputc('"', fp);
	for (; (ch = (unsigned char)*s) != '\0'; s++) {
		switch (ch) {
		case '"':	fputs("\\\"", fp); break;
		case '\\':	fputs("\\\\", fp); break;
		case '\b':	fputs("\\b", fp); break;
		case '\f':	fputs("\\f", fp); break;
		case '\n':	fputs("\\n", fp); break;
		case '\r':	fputs("\\r", fp); break;
		case '\t':	fputs("\\t", fp); break;
		default:
			if (ch < 0x20 || ch == 0x7f)
				fprintf(fp, "\\u%04x", ch);
			else
				fputc(ch, fp);
		}
	}
	fputc('"', fp);
}

/* The shortest %g that reads back as the same double; null if not finite. */
void
cmp_json_number(FILE *fp, double v)
{
	char buf[40];
	int prec;

	if (!isfinite(v)) {
		fputs("null", fp);
		return;
	}
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	fputs(buf, fp);
}

static void
json_key_number(FILE *fp, const char *key, double v)
{
	fprintf(fp, "\"%s\": ", key);
	cmp_json_number(fp, v);
}

static void
json_summary(FILE *fp, const char *key, const struct st_summary *s)
{
	fprintf(fp, "\"%s\": {\"n\": %zu, ", key, s->n);
	json_key_number(fp, "min", s->min);
	fputs(", ", fp);
	json_key_number(fp, "max", s->max);
	fputs(", ", fp);
	json_key_number(fp, "median", s->median);
	fputs(", ", fp);
	json_key_number(fp, "mean", s->mean);
	fputs(", ", fp);
	json_key_number(fp, "stddev", s->stddev);
	fputs("}", fp);
}

void
cmp_print_json_open(FILE *fp, const struct cmp_set *set)
{
	const struct st_compare *c;
	size_t i;

	fputs("{", fp);
	json_key_number(fp, "confidence", set->confidence);
	fputs(", ", fp);
	json_key_number(fp, "threshold", set->threshold_pct);
	fputs(", \"labels\": {\"a\": ", fp);
	cmp_json_string(fp, set->label_a);
	fputs(", \"b\": ", fp);
	cmp_json_string(fp, set->label_b);
	fputs("},\n \"metrics\": [", fp);
	for (i = 0; i < set->n; i++) {
		c = &set->v[i].c;
		fputs(i ? ",\n  {" : "\n  {", fp);
		fputs("\"metric\": ", fp);
		cmp_json_string(fp, kb_metric_name(set->v[i].m));
		fputs(",\n   ", fp);
		json_summary(fp, "a", &c->a);
		fputs(",\n   ", fp);
		json_summary(fp, "b", &c->b);
		fputs(",\n   ", fp);
		json_key_number(fp, "diff", c->diff);
		fputs(", ", fp);
		json_key_number(fp, "diff_ci", c->diff_ci);
		fputs(", ", fp);
		json_key_number(fp, "diff_pct", c->diff_pct);
		fputs(", ", fp);
		json_key_number(fp, "diff_pct_ci", c->diff_pct_ci);
		fputs(",\n   ", fp);
		json_key_number(fp, "p_student", c->p_student);
		fputs(", ", fp);
		json_key_number(fp, "p_welch", c->p_welch);
		fputs(", ", fp);
		json_key_number(fp, "p_mwu", c->p_mwu);
		fputs(",\n   \"verdict\": ", fp);
		cmp_json_string(fp, st_verdict_name(c->verdict));
		fprintf(fp, ", \"more_runs\": %ld}", c->more_runs);
	}
	fputs("\n ]", fp);
}

void
cmp_print_json(FILE *fp, const struct cmp_set *set)
{
	cmp_print_json_open(fp, set);
	fputs("}\n", fp);
}
