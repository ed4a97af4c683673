/*
 * pkgcmp.c: the per-package comparison of two bulk builds (pkgcmp.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "output/report_formats.h"
#include "output/pkgcmp.h"

#define NAMEW	24	/* the package column of the text form */

static int
by_name(const void *x, const void *y)
{
	return strcmp(((const struct pkgdb_pkg *)x)->name,
	    ((const struct pkgdb_pkg *)y)->name);
}

static int
by_diff(const void *x, const void *y)
{
	double a = ((const struct pkgcmp_row *)x)->c.diff;
	double b = ((const struct pkgcmp_row *)y)->c.diff;

	return a < b ? 1 : a > b ? -1 : strcmp(
	    ((const struct pkgcmp_row *)x)->name,
	    ((const struct pkgcmp_row *)y)->name);
}

static const struct pkgdb_pkg *
find(const struct pkgdb_set *s, const char *name)
{
	struct pkgdb_pkg key;

	key.name = (char *)(uintptr_t)name;
	return bsearch(&key, s->v, s->n, sizeof(*s->v), by_name);
}

/* Seconds of each repetition. */
static double *
seconds(const struct pkgdb_pkg *p)
{
	double *v = kb_calloc(p->n + 1, sizeof(*v));
	size_t i;

	for (i = 0; i < p->n; i++)
		v[i] = (double)p->real_us[i] / 1e6;
	return v;
}

static double
mean_s(const struct pkgdb_pkg *p)
{
	double m, var, *v;

	if (p == NULL || p->n == 0)
		return 0;
	v = seconds(p);
	st_meanvar(v, p->n, &m, &var);
	free(v);
	return m;
}

static int
row(struct pkgcmp_row *r, const struct pkgdb_pkg *a,
    const struct pkgdb_pkg *b, double conf, double thr)
{
	double *va = seconds(a), *vb = seconds(b);
	int rc = 0;

	memset(r, 0, sizeof(*r));
	r->name = a->name;
	if ((r->interval = a->n >= 2 && b->n >= 2))
		rc = st_compare(va, a->n, vb, b->n, conf, thr, &r->c);
	else {
		/* One repetition: no spread to speak of, a ratio only. */
		st_summarize(va, a->n, &r->c.a);
		st_summarize(vb, b->n, &r->c.b);
		r->c.diff = r->c.b.mean - r->c.a.mean;
		r->c.diff_pct = r->c.a.mean > 0 ?
		    r->c.diff / r->c.a.mean * 100 : NAN;
		r->c.diff_ci = r->c.diff_pct_ci = NAN;
		r->c.p_student = r->c.p_welch = r->c.p_mwu = NAN;
		r->c.verdict = ST_INSUFFICIENT;
	}
	r->ratio = r->c.a.mean > 0 ? r->c.b.mean / r->c.a.mean : NAN;
	free(va);
	free(vb);
	return rc;
}

/* The critical path: dp[i], the longest chain from package i down. */
struct cp {
	const struct pkgdb_set	*s;
	size_t			*first, *dep;	/* CSR of each one's deps */
	double			*w, *dp;
	size_t			*next;		/* the dep the chain takes */
	char			*state;		/* 0 new, 1 open, 2 done */
};

static double
longest(struct cp *g, size_t i)
{
	double best = 0, d;
	size_t k;

	if (g->state[i] == 2)
		return g->dp[i];
	if (g->state[i] == 1)
		return 0;	/* a cycle: the edges are wrong; cut it */
	g->state[i] = 1;
	g->next[i] = SIZE_MAX;
	for (k = g->first[i]; k < g->first[i + 1]; k++)
		if ((d = longest(g, g->dep[k])) > best) {
			best = d;
			g->next[i] = g->dep[k];
		}
	g->dp[i] = g->w[i] + best;
	g->state[i] = 2;
	return g->dp[i];
}

static void
critical_path(struct pkgcmp *pc, const struct pkgdb_set *a,
    const struct pkgdb_set *b)
{
	const struct pkgdb_set *es = a->ne > 0 ? a : b;
	const struct pkgdb_pkg *p, *q;
	struct cp g;
	size_t i, k, n = a->n, *from, *to, ne = 0, top = 0;

	if (es->ne == 0 || n == 0)
		return;
	memset(&g, 0, sizeof(g));
	from = kb_calloc(es->ne + 1, sizeof(*from));
	to = kb_calloc(es->ne + 1, sizeof(*to));
	g.first = kb_calloc(n + 2, sizeof(size_t));
	for (i = 0; i < es->ne; i++)
		if ((p = find(a, es->e[i].pkg)) != NULL &&
		    (q = find(a, es->e[i].dep)) != NULL) {
			from[ne] = (size_t)(p - a->v);
			to[ne++] = (size_t)(q - a->v);
			g.first[from[ne - 1] + 1]++;
		}
	for (i = 0; i < n; i++)
		g.first[i + 1] += g.first[i];
	g.dep = kb_calloc(ne + 1, sizeof(size_t));
	g.next = kb_calloc(n, sizeof(size_t));	/* fill positions */
	for (k = 0; k < ne; k++)
		g.dep[g.first[from[k]] + g.next[from[k]]++] = to[k];
	g.w = kb_calloc(n, sizeof(double));
	g.dp = kb_calloc(n, sizeof(double));
	g.state = kb_calloc(n, 1);
	for (i = 0; i < n; i++)
		g.w[i] = mean_s(&a->v[i]);
	for (i = 0; i < n; i++)
		if (longest(&g, i) > g.dp[top])
			top = i;
	pc->path = kb_calloc(n, sizeof(*pc->path));
	for (i = top; i != SIZE_MAX; i = g.next[i]) {
		pc->path[pc->npath++] = a->v[i].name;
		pc->path_a += g.w[i];
		pc->path_b += mean_s(find(b, a->v[i].name));
	}
	/* In build order: each package after the one it needs. */
	for (i = 0; i < pc->npath / 2; i++) {
		const char *t = pc->path[i];

		pc->path[i] = pc->path[pc->npath - 1 - i];
		pc->path[pc->npath - 1 - i] = t;
	}
	free(from);
	free(to);
	free(g.first);
	free(g.dep);
	free(g.next);
	free(g.w);
	free(g.dp);
	free(g.state);
}

int
pkgcmp_build(struct pkgcmp *pc, struct pkgdb_set *a, struct pkgdb_set *b,
    const char *label_a, const char *label_b, double conf, double thr,
    char *err, size_t errlen)
{
	const struct pkgdb_pkg *q;
	size_t i;

	memset(pc, 0, sizeof(*pc));
	pc->label_a = label_a;
	pc->label_b = label_b;
	qsort(a->v, a->n, sizeof(*a->v), by_name);
	qsort(b->v, b->n, sizeof(*b->v), by_name);
	pc->v = kb_calloc(a->n + 1, sizeof(*pc->v));
	for (i = 0; i < a->n; i++) {
		if ((q = find(b, a->v[i].name)) == NULL) {
			pc->only_a++;
			continue;
		}
		pc->failed_a += a->v[i].n == 0;
		pc->failed_b += q->n == 0;
		if (a->v[i].n == 0 || q->n == 0)
			continue;
		if (row(&pc->v[pc->n], &a->v[i], q, conf, thr) == -1) {
			snprintf(err, errlen, "confidence %g: expected one of "
			    "80 90 95 98 99 99.5", conf);
			pkgcmp_free(pc);
			return -1;
		}
		pc->single |= !pc->v[pc->n].interval;
		pc->total_a += pc->v[pc->n].c.a.mean;
		pc->total_b += pc->v[pc->n].c.b.mean;
		pc->n++;
	}
	for (i = 0; i < b->n; i++)
		if ((q = find(a, b->v[i].name)) == NULL) {
			pc->only_b++;
			pc->failed_b += b->v[i].n == 0;
		}
	for (i = 0; i < a->n; i++)
		if (a->v[i].n == 0 && find(b, a->v[i].name) == NULL)
			pc->failed_a++;
	qsort(pc->v, pc->n, sizeof(*pc->v), by_diff);
	critical_path(pc, a, b);
	return 0;
}

void
pkgcmp_free(struct pkgcmp *pc)
{
	free(pc->v);
	free(pc->path);
	memset(pc, 0, sizeof(*pc));
}

static double
pct(double a, double b)
{
	return a > 0 ? (b - a) / a * 100 : NAN;
}

static void
text_row(FILE *fp, const struct pkgcmp_row *r)
{
	size_t len = strlen(r->name);

	if (len > NAMEW)
		fprintf(fp, "  %.*s~", NAMEW - 1, r->name);
	else
		fprintf(fp, "  %-*s", NAMEW, r->name);
	fprintf(fp, " %9.2f %9.2f %+9.2f  ", r->c.a.mean, r->c.b.mean,
	    r->c.diff);
	if (r->interval)
		fprintf(fp, "%+.1f%% +/-%.1f%%\n", r->c.diff_pct,
		    r->c.diff_pct_ci);
	else
		fprintf(fp, "x%.3f\n", r->ratio);
}

/* Up to PKGCMP_TOP rows that moved in one direction (dir 1: slower). */
static void
text_rows(FILE *fp, const struct pkgcmp *pc, int dir)
{
	size_t i, k, shown = 0;

	fprintf(fp, "%s:\n", dir > 0 ? "Slower, most time added first" :
	    "Faster, most time saved first");
	for (k = 0; k < pc->n && shown < PKGCMP_TOP; k++) {
		i = dir > 0 ? k : pc->n - 1 - k;
		if (dir > 0 ? pc->v[i].c.diff <= 0 : pc->v[i].c.diff >= 0)
			break;
		if (shown++ == 0)
			fprintf(fp, "  %-*s %9s %9s %9s  %s\n", NAMEW, "package",
			    "base s", "patched s", "diff s", "change");
		text_row(fp, &pc->v[i]);
	}
	if (shown == 0)
		fputs("  none\n", fp);
}

/* The path "a -> b -> c", wrapped at 72 columns with an indent of 2. */
static void
text_path(FILE *fp, const struct pkgcmp *pc)
{
	size_t i, col = 2, len;
	int last;

	fputs("  ", fp);
	for (i = 0; i < pc->npath; i++) {
		last = i + 1 == pc->npath;
		len = strlen(pc->path[i]) + (last ? 0 : 3);
		if (col > 2 && col + 1 + len > 72) {
			fputs("\n  ", fp);
			col = 2;
		} else if (col > 2) {
			fputc(' ', fp);
			col++;
		}
		fprintf(fp, "%s%s", pc->path[i], last ? "" : " ->");
		col += len;
	}
	fputc('\n', fp);
}

void
pkgcmp_text(FILE *fp, const struct pkgcmp *pc)
{
	fprintf(fp, "Per package: %zu built on both %s and %s\n", pc->n,
	    pc->label_a, pc->label_b);
	if (pc->single)
		fputs("(one repetition on a side: a plain ratio patched/base, "
		    "no interval)\n", fp);
	fputc('\n', fp);
	text_rows(fp, pc, 1);
	fputc('\n', fp);
	text_rows(fp, pc, -1);
	fprintf(fp, "\nTotal of the %zu: base %.2f s, patched %.2f s, "
	    "%+.1f%%\n", pc->n, pc->total_a, pc->total_b,
	    pct(pc->total_a, pc->total_b));
	fprintf(fp, "Not built: %zu on base, %zu patched; only on one: %zu "
	    "base, %zu patched\n", pc->failed_a, pc->failed_b, pc->only_a,
	    pc->only_b);
	if (pc->npath == 0) {
		fputs("Critical path: unknown (no dependency edges stored)\n",
		    fp);
		return;
	}
	fprintf(fp, "Critical path, %zu packages by base time: base %.2f s,\n"
	    "  patched %.2f s, %+.1f%%; in build order:\n", pc->npath,
	    pc->path_a, pc->path_b, pct(pc->path_a, pc->path_b));
	text_path(fp, pc);
}

json_t *
pkgcmp_json(const struct pkgcmp *pc)
{
	json_t *o = json_object(), *rows = json_array(), *r, *p;
	const struct pkgcmp_row *x;
	size_t i;

	for (i = 0; i < pc->n; i++) {
		x = &pc->v[i];
		r = json_object();
		json_object_set_new(r, "package", rp_jstr(x->name));
		json_object_set_new(r, "n_base", json_integer((json_int_t)
		    x->c.a.n));
		json_object_set_new(r, "n_patched", json_integer((json_int_t)
		    x->c.b.n));
		json_object_set_new(r, "base_s", rp_jnum(x->c.a.mean));
		json_object_set_new(r, "patched_s", rp_jnum(x->c.b.mean));
		json_object_set_new(r, "diff_s", rp_jnum(x->c.diff));
		json_object_set_new(r, "diff_pct", rp_jnum(x->c.diff_pct));
		json_object_set_new(r, "diff_pct_ci",
		    rp_jnum(x->c.diff_pct_ci));
		json_object_set_new(r, "ratio", rp_jnum(x->ratio));
		json_object_set_new(r, "p_welch", rp_jnum(x->c.p_welch));
		json_object_set_new(r, "verdict",
		    rp_jstr(st_verdict_name(x->c.verdict)));
		json_array_append_new(rows, r);
	}
	json_object_set_new(o, "packages", json_integer((json_int_t)pc->n));
	json_object_set_new(o, "single_repetition", json_boolean(pc->single));
	json_object_set_new(o, "rows", rows);
	r = json_object();
	json_object_set_new(r, "base_s", rp_jnum(pc->total_a));
	json_object_set_new(r, "patched_s", rp_jnum(pc->total_b));
	json_object_set_new(r, "diff_pct", rp_jnum(pct(pc->total_a,
	    pc->total_b)));
	json_object_set_new(o, "total", r);
	r = json_object();
	json_object_set_new(r, "base", json_integer((json_int_t)pc->failed_a));
	json_object_set_new(r, "patched",
	    json_integer((json_int_t)pc->failed_b));
	json_object_set_new(o, "not_built", r);
	r = json_object();
	json_object_set_new(r, "base", json_integer((json_int_t)pc->only_a));
	json_object_set_new(r, "patched", json_integer((json_int_t)pc->only_b));
	json_object_set_new(o, "only", r);
	if (pc->npath == 0) {
		json_object_set_new(o, "critical_path", json_null());
		return o;
	}
	r = json_object();
	p = json_array();
	for (i = 0; i < pc->npath; i++)
		json_array_append_new(p, rp_jstr(pc->path[i]));
	json_object_set_new(r, "packages", p);
	json_object_set_new(r, "base_s", rp_jnum(pc->path_a));
	json_object_set_new(r, "patched_s", rp_jnum(pc->path_b));
	json_object_set_new(o, "critical_path", r);
	return o;
}

/* A number, or nothing for one that cannot be computed. */
static void
csv_num(FILE *fp, double v, int last)
{
	if (isfinite(v))
		fprintf(fp, "%.6f", v);
	fputc(last ? '\n' : ',', fp);
}

void
pkgcmp_csv(FILE *fp, const struct pkgcmp *pc)
{
	const struct pkgcmp_row *x;
	size_t i;

	fputs("package,base_s,patched_s,diff_s,diff_pct,diff_pct_ci,ratio,"
	    "n_base,n_patched\n", fp);
	for (i = 0; i < pc->n; i++) {
		x = &pc->v[i];
		rp_csv_str(fp, x->name);
		fputc(',', fp);
		csv_num(fp, x->c.a.mean, 0);
		csv_num(fp, x->c.b.mean, 0);
		csv_num(fp, x->c.diff, 0);
		csv_num(fp, x->c.diff_pct, 0);
		csv_num(fp, x->c.diff_pct_ci, 0);
		csv_num(fp, x->ratio, 0);
		fprintf(fp, "%zu,%zu\n", x->c.a.n, x->c.b.n);
	}
}

int
pkgcmp_load(PGconn *c, const char *worker, const char *workload,
    const char *ka, const char *kb, double conf, double thr,
    struct pkgcmp_loaded *l)
{
	char err[256];

	memset(l, 0, sizeof(*l));
	if (pkgdb_load(c, worker, workload, ka, &l->set[0]) == -1 ||
	    pkgdb_load(c, worker, workload, kb, &l->set[1]) == -1) {
		pkgcmp_unload(l);
		return -1;
	}
	if (l->set[0].n == 0 || l->set[1].n == 0) {
		pkgcmp_unload(l);
		return 0;
	}
	if (pkgcmp_build(&l->pc, &l->set[0], &l->set[1], ka, kb, conf, thr,
	    err, sizeof(err)) == -1) {
		kb_warnx("%s", err);
		pkgcmp_unload(l);
		return -1;
	}
	return 1;
}

void
pkgcmp_unload(struct pkgcmp_loaded *l)
{
	pkgcmp_free(&l->pc);
	pkgdb_free(&l->set[0]);
	pkgdb_free(&l->set[1]);
}
