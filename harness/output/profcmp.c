/*
 * profcmp.c: the functions that grew most, in every format (see
 * profcmp.h).
 */
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "output/html.h"
#include "output/profcmp.h"

#define NAMEW	26	/* the function column of the text table */

int
profcmp_load(PGconn *c, const char *worker, const char *workload,
    const char *a, const char *b, int64_t since, struct profcmp *pc)
{
	int i;

	memset(pc, 0, sizeof(*pc));
	pc->label_a = a;
	pc->label_b = b;
	if (profiledb_growth(c, worker, workload, a, b, since, PROFCMP_TOP,
	    pc->side, &pc->t) == -1)
		return -1;
	if (pc->side[0].reps == 0 || pc->side[1].reps == 0) {
		db_table_free(&pc->t);
		return 0;
	}
	pc->n = (size_t)pc->t.nrows;
	pc->v = kb_calloc(pc->n + 1, sizeof(*pc->v));
	for (i = 0; i < pc->t.nrows; i++) {
		pc->v[i].func = db_cell(&pc->t, i, PG_FUNC);
		pc->v[i].a = db_num(&pc->t, i, PG_A);
		pc->v[i].b = db_num(&pc->t, i, PG_B);
	}
	return 1;
}

void
profcmp_free(struct profcmp *pc)
{
	free(pc->v);
	db_table_free(&pc->t);
	memset(pc, 0, sizeof(*pc));
}

/* Growth as a share of the base's kernel instructions, in percent. */
static double
share(const struct profcmp *pc, double growth)
{
	return pc->side[0].kern_per_rep > 0 ?
	    100 * growth / pc->side[0].kern_per_rep : 0;
}

static double
pct(double a, double b)
{
	return a > 0 ? 100 * (b - a) / a : 0;
}

void
profcmp_text(FILE *fp, const struct profcmp *pc)
{
	const struct profile_side *s = pc->side;
	char name[NAMEW + 1];
	size_t i, len;

	fprintf(fp, "Kernel instructions by function, per repetition\n"
	    "  A %s: %ld runs, %ld reps, insn_kernel %.0f\n"
	    "  B %s: %ld runs, %ld reps, insn_kernel %.0f (%+.2f%%)\n"
	    "  (the profile charged %.1f%% and %.1f%% of it)\n\n",
	    pc->label_a, s[0].runs, s[0].reps, s[0].kern_per_rep,
	    pc->label_b, s[1].runs, s[1].reps, s[1].kern_per_rep,
	    pct(s[0].kern_per_rep, s[1].kern_per_rep),
	    s[0].kern_per_rep > 0 ? 100 * s[0].prof_per_rep /
	    s[0].kern_per_rep : 0,
	    s[1].kern_per_rep > 0 ? 100 * s[1].prof_per_rep /
	    s[1].kern_per_rep : 0);
	fprintf(fp, "%-*s %11s %11s %11s %8s\n", NAMEW, "function (grew most)",
	    "A/rep", "B/rep", "B-A", "of A's");
	for (i = 0; i < pc->n; i++) {
		len = strlen(pc->v[i].func);
		snprintf(name, sizeof(name), "%s", pc->v[i].func);
		if (len > NAMEW)
			name[NAMEW - 1] = '~';
		fprintf(fp, "%-*s %11.0f %11.0f %+11.0f %+7.2f%%\n", NAMEW,
		    name, pc->v[i].a, pc->v[i].b, pc->v[i].b - pc->v[i].a,
		    share(pc, pc->v[i].b - pc->v[i].a));
	}
	if (pc->n == 0)
		fputs("(no function in either profile)\n", fp);
	fputs("\"of A's\": the growth as a share of A's insn_kernel.\n", fp);
}

void
profcmp_md(FILE *fp, const struct profcmp *pc)
{
	size_t i;

	fprintf(fp, "\n## Kernel instructions by function\n\n"
	    "Per repetition; A `%s` (%ld reps), B `%s` (%ld reps); "
	    "insn_kernel %.0f and %.0f (%+.2f%%).\n\n"
	    "| function | A/rep | B/rep | B-A | of A's insn_kernel |\n"
	    "|---|---:|---:|---:|---:|\n", pc->label_a, pc->side[0].reps,
	    pc->label_b, pc->side[1].reps, pc->side[0].kern_per_rep,
	    pc->side[1].kern_per_rep,
	    pct(pc->side[0].kern_per_rep, pc->side[1].kern_per_rep));
	for (i = 0; i < pc->n; i++)
		fprintf(fp, "| `%s` | %.0f | %.0f | %+.0f | %+.2f%% |\n",
		    pc->v[i].func, pc->v[i].a, pc->v[i].b,
		    pc->v[i].b - pc->v[i].a,
		    share(pc, pc->v[i].b - pc->v[i].a));
}

static json_t *
side_json(const char *label, const struct profile_side *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "kernel", json_string(label));
	json_object_set_new(o, "runs", json_integer(s->runs));
	json_object_set_new(o, "reps", json_integer(s->reps));
	json_object_set_new(o, "insn_kernel_per_rep",
	    json_real(s->kern_per_rep));
	json_object_set_new(o, "profiled_per_rep", json_real(s->prof_per_rep));
	return o;
}

json_t *
profcmp_json(const struct profcmp *pc)
{
	json_t *o = json_object(), *a = json_array(), *r;
	size_t i;

	json_object_set_new(o, "base", side_json(pc->label_a, &pc->side[0]));
	json_object_set_new(o, "patched", side_json(pc->label_b,
	    &pc->side[1]));
	for (i = 0; i < pc->n; i++) {
		r = json_object();
		json_object_set_new(r, "function", json_string(pc->v[i].func));
		json_object_set_new(r, "base_per_rep", json_real(pc->v[i].a));
		json_object_set_new(r, "patched_per_rep",
		    json_real(pc->v[i].b));
		json_object_set_new(r, "growth_per_rep",
		    json_real(pc->v[i].b - pc->v[i].a));
		json_object_set_new(r, "growth_pct_of_insn_kernel",
		    json_real(share(pc, pc->v[i].b - pc->v[i].a)));
		json_array_append_new(a, r);
	}
	json_object_set_new(o, "functions", a);
	return o;
}

void
profcmp_html(FILE *fp, const struct profcmp *pc)
{
	size_t i;

	fputs("<h2>Kernel instructions by function</h2>\n<p>Per "
	    "repetition: A ", fp);
	html_esc(fp, pc->label_a);
	fputs(", B ", fp);
	html_esc(fp, pc->label_b);
	fprintf(fp, "; insn_kernel %.0f and %.0f (%+.2f%%).</p>\n"
	    "<table class=\"profile\">\n<tr><th>function</th><th>A/rep</th>"
	    "<th>B/rep</th><th>B-A</th><th>of A's insn_kernel</th></tr>\n",
	    pc->side[0].kern_per_rep, pc->side[1].kern_per_rep,
	    pct(pc->side[0].kern_per_rep, pc->side[1].kern_per_rep));
	for (i = 0; i < pc->n; i++) {
		fputs("<tr><td>", fp);
		html_esc(fp, pc->v[i].func);
		fprintf(fp, "</td><td>%.0f</td><td>%.0f</td><td>%+.0f</td>"
		    "<td>%+.2f%%</td></tr>\n", pc->v[i].a, pc->v[i].b,
		    pc->v[i].b - pc->v[i].a,
		    share(pc, pc->v[i].b - pc->v[i].a));
	}
	fputs("</table>\n", fp);
}
