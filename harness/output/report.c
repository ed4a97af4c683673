/*
 * report.c: comparisons loaded from the store for reports and pages.
 */
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/dbinfo.h"
#include "output/report.h"

/* rc's names and the two kernels' labels (*la, *lb to free); 0 or -1. */
static int
cmp_names(PGconn *c, int64_t wid, int64_t lid, int64_t ka, int64_t kb,
    struct rp_cmp *rc, char **la, char **lb, char *err, size_t errlen)
{
	struct wd_pair p;

	memset(rc, 0, sizeof(*rc));
	*la = *lb = NULL;
	if (wd_pair(c, wid, lid, &p) == -1) {
		snprintf(err, errlen, "no runs of that worker and workload");
		return -1;
	}
	rc->wid = wid;
	rc->lid = lid;
	rc->ka = ka;
	rc->kb = kb;
	rc->worker = p.worker;
	rc->workload = p.workload;
	rc->arch = p.arch;
	free(p.os);
	free(p.last);
	if ((*la = wd_kernel_label(c, ka)) == NULL ||
	    (*lb = wd_kernel_label(c, kb)) == NULL) {
		snprintf(err, errlen, "no such kernel");
		return -1;
	}
	return 0;
}

/*
 * Each metric of mask with values on both sides into rc->set; with
 * strict, one without them is an error (cmp_build's rule for an
 * explicit mask).  0, or -1 with err.
 */
static int
cmp_metrics(PGconn *c, const struct rp_cmp *rc, unsigned mask, int strict,
    struct cmp_set *set, char *err, size_t errlen)
{
	struct wd_values va, vb;
	int m, ret = 0;

	if (wd_values(c, rc->wid, rc->lid, rc->ka, mask, &va) <= 0 ||
	    wd_values(c, rc->wid, rc->lid, rc->kb, mask, &vb) <= 0) {
		snprintf(err, errlen, "no samples of %s or %s on %s, %s",
		    set->label_a, set->label_b, rc->worker, rc->workload);
		wd_values_free(&va);
		return -1;
	}
	for (m = 0; m < KB_M_COUNT && ret == 0; m++) {
		if (!(mask & CMP_METRIC(m)))
			continue;
		if (va.n[m] > 0 && vb.n[m] > 0) {
			/* The set takes the arrays. */
			cmp_add(set, (enum kb_metric)m, va.v[m], va.n[m],
			    vb.v[m], vb.n[m]);
			va.v[m] = vb.v[m] = NULL;
		} else if (strict) {
			snprintf(err, errlen, "no %s values in %s",
			    kb_metric_name((enum kb_metric)m), va.n[m] == 0 ?
			    set->label_a : set->label_b);
			ret = -1;
		}
	}
	wd_values_free(&va);
	wd_values_free(&vb);
	if (ret == 0 && set->n == 0) {
		snprintf(err, errlen, "no metric has values in both %s and %s",
		    set->label_a, set->label_b);
		ret = -1;
	}
	return ret;
}

/* Both rp_cmp_load and rp_cmp_plot: metrics of mask, read as values. */
static int
cmp_load(PGconn *c, int64_t wid, int64_t lid, int64_t ka, int64_t kb,
    const struct rp_opts *o, unsigned mask, int strict, struct rp_cmp *rc,
    char *err, size_t errlen)
{
	char *la, *lb;
	int ret = -1;

	if (cmp_names(c, wid, lid, ka, kb, rc, &la, &lb, err, errlen) == 0 &&
	    cmp_start(&rc->set, la, lb, o->confidence, o->threshold, err,
	    errlen) == 0 &&
	    cmp_metrics(c, rc, mask, strict, &rc->set, err, errlen) == 0)
		ret = 0;
	free(la);
	free(lb);
	if (ret == -1)
		rp_cmp_free(rc);
	return ret;
}

int
rp_cmp_load(PGconn *c, int64_t wid, int64_t lid, int64_t ka, int64_t kb,
    const struct rp_opts *o, struct rp_cmp *rc, char *err, size_t errlen)
{
	return cmp_load(c, wid, lid, ka, kb, o, o->mask == CMP_ALL ?
	    ~0u : o->mask, o->mask != CMP_ALL, rc, err, errlen);
}

int
rp_cmp_plot(PGconn *c, int64_t wid, int64_t lid, int64_t ka, int64_t kb,
    const struct rp_opts *o, struct rp_cmp *rc, char *err, size_t errlen)
{
	return cmp_load(c, wid, lid, ka, kb, o, CMP_METRIC(KB_M_REAL) |
	    CMP_METRIC(KB_M_USER) | CMP_METRIC(KB_M_SYS), 0, rc, err, errlen);
}

void
rp_cmp_free(struct rp_cmp *rc)
{
	free(rc->worker);
	free(rc->workload);
	free(rc->arch);
	cmp_free(&rc->set);
	memset(rc, 0, sizeof(*rc));
}

void
rp_cmps_free(struct rp_cmp *v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		rp_cmp_free(&v[i]);
	free(v);
}

int
rp_cmp_all(PGconn *c, const struct rp_opts *o, struct rp_cmp **out,
    size_t *np)
{
	struct wd_pair *p;
	struct wd_series s;
	size_t i, n = 0, npairs;
	int64_t kb, ka;
	char err[256];

	*out = NULL;
	*np = 0;
	if (wd_pairs(c, &p, &npairs) == -1)
		return -1;
	*out = kb_calloc(npairs + 1, sizeof(**out));
	for (i = 0; i < npairs; i++) {
		if (wd_series_load(c, p[i].worker_id, p[i].workload_id,
		    KB_M_REAL, &s) == -1)
			continue;
		if (s.n >= 2) {
			kb = s.v[s.n - 1].kernel_id;
			if ((ka = wd_baseline(c, &s, kb)) != 0 &&
			    rp_cmp_load(c, p[i].worker_id, p[i].workload_id,
			    ka, kb, o, &(*out)[n], err, sizeof(err)) == 0)
				n++;
		}
		wd_series_free(&s);
	}
	wd_pairs_free(p, npairs);
	*np = n;
	return 0;
}

/* A deep copy, so that a cached comparison can be handed out. */
static void
cmp_dup(struct rp_cmp *to, const struct rp_cmp *from)
{
	size_t i;

	*to = *from;
	to->worker = kb_strdup(from->worker);
	to->workload = kb_strdup(from->workload);
	to->arch = kb_strdup(from->arch);
	to->set.label_a = kb_strdup(from->set.label_a);
	to->set.label_b = kb_strdup(from->set.label_b);
	to->set.v = kb_calloc(from->set.n + 1, sizeof(*to->set.v));
	for (i = 0; i < from->set.n; i++) {
		to->set.v[i] = from->set.v[i];
		to->set.v[i].a = kb_calloc(from->set.v[i].na + 1,
		    sizeof(double));
		to->set.v[i].b = kb_calloc(from->set.v[i].nb + 1,
		    sizeof(double));
		memcpy(to->set.v[i].a, from->set.v[i].a,
		    from->set.v[i].na * sizeof(double));
		memcpy(to->set.v[i].b, from->set.v[i].b,
		    from->set.v[i].nb * sizeof(double));
	}
}

/*
 * The last answer, kept while no run was added or finished: the
 * status page asks every second, and a finished run's samples do not
 * change.  kbench serve calls it only under its one database lock
 * (web.c), so no lock of its own.
 */
static struct {
	char		 fp[128];
	size_t		 limit, n;
	struct rp_cmp	*v;
	int64_t		*runs;
} recent;

static int
fingerprint(PGconn *c, char *buf, size_t len)
{
	return dbinfo_fingerprint(c, buf, len);
}

static int
recent_compute(PGconn *c, const struct rp_opts *o, size_t limit,
    struct rp_cmp **out, int64_t **runs, size_t *np)
{
	struct wd_run *r;
	struct wd_series s;
	size_t nr, i, j, n = 0;
	int64_t base;
	char err[256];

	*out = kb_calloc(limit + 1, sizeof(**out));
	*runs = kb_calloc(limit + 1, sizeof(**runs));
	*np = 0;
	if (wd_runs(c, "done", (long)limit * 4, &r, &nr) == -1)
		return -1;
	for (i = 0; i < nr && n < limit; i++) {
		for (j = 0; j < n; j++)
			if ((*out)[j].wid == r[i].worker_id &&
			    (*out)[j].lid == r[i].workload_id &&
			    (*out)[j].kb == r[i].kernel_id)
				break;
		if (j < n)
			continue;
		if (wd_series_load(c, r[i].worker_id, r[i].workload_id,
		    KB_M_REAL, &s) == -1)
			continue;
		base = wd_baseline(c, &s, r[i].kernel_id);
		wd_series_free(&s);
		if (base != 0 && rp_cmp_load(c, r[i].worker_id,
		    r[i].workload_id, base, r[i].kernel_id, o, &(*out)[n],
		    err, sizeof(err)) == 0)
			(*runs)[n++] = r[i].id;
	}
	wd_runs_free(r, nr);
	*np = n;
	return 0;
}

int
rp_recent(PGconn *c, const struct rp_opts *o, size_t limit,
    struct rp_cmp **out, int64_t **runs, size_t *np)
{
	char fp[128];
	size_t i;

	*out = NULL;
	*runs = NULL;
	*np = 0;
	if (fingerprint(c, fp, sizeof(fp)) == -1)
		return -1;
	if (recent.v == NULL || strcmp(fp, recent.fp) != 0 ||
	    recent.limit != limit) {
		rp_cmps_free(recent.v, recent.n);
		free(recent.runs);
		recent.v = NULL;
		recent.runs = NULL;
		recent.n = 0;
		if (recent_compute(c, o, limit, &recent.v, &recent.runs,
		    &recent.n) == -1)
			return -1;
		snprintf(recent.fp, sizeof(recent.fp), "%s", fp);
		recent.limit = limit;
	}
	*out = kb_calloc(recent.n + 1, sizeof(**out));
	*runs = kb_calloc(recent.n + 1, sizeof(**runs));
	for (i = 0; i < recent.n; i++) {
		cmp_dup(&(*out)[i], &recent.v[i]);
		(*runs)[i] = recent.runs[i];
	}
	*np = recent.n;
	return 0;
}
