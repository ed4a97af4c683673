/*
 * bisect.c: the bisection engine and the repo subject.
 *
 * git itself walks the history (git bisect --no-checkout in a control
 * worktree of our own), so merges and skips mean what they mean to git.
 * kbench decides each revision: it measures the good and bad endpoints
 * first, in interleaved rounds, then each step in rounds that run the
 * revision beside both endpoints, with Wald's SPRT on where the
 * revision falls between them in each round (seqtest.h), until it is
 * clearly one or the other.  Measuring the endpoints again at every
 * step is what makes it hold on a shared machine: a neighbour's burst
 * slows all three runs of a round alike, where a step measured alone
 * against endpoints measured minutes before would take the burst for a
 * regression.  A revision that does not build is skipped.  Every
 * measurement is a stored run and every decision a bisect_step row, so
 * an interrupted bisection resumes by replaying its decisions to git.
 */
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "lib/sample.h"
#include "lib/hash.h"
#include "lib/adhoc.h"
#include "engine/bisect.h"
#include "engine/bisect_git.h"
#include "engine/bisect_repo.h"
#include "engine/bisect_kernel.h"
#include "output/cmpreport.h"
#include "store/db.h"
#include "store/series.h"
#include "store/bisectdb.h"
#include "worker/runner.h"
#include "stats/seqtest.h"
#include "stats/stats.h"

/* Batches of n endpoint rounds before a bisection declines. */
#define EP_BATCHES	8
/* A step's cap may grow to this many times --max-n with the noise. */
#define CAP_STRETCH	4


struct bs {
	PGconn			*c;
	struct bisect_opts	*o;
	struct bisect_subject	*sub;
	int64_t			 id;
	char			 ids[24], ctl[PATH_MAX + 8], dir[PATH_MAX];
	char			 good[64], bad[64];
	int			 seq;
	/* The endpoints' rounds: gv[i] and bv[i] measured together. */
	double			*gv, *bv;
	size_t			 np;
	double			*pend;		/* a good row's, in replay */
	size_t			 npend;
	struct sq_sprt		 sprt;
	int			 have_model;
	long			 steps;
	char			 ukey[65];
};

/*
 * The tests work on logarithms, and a count (majflt, inblock) is often
 * 0: counts are taken as 1 + count, so that ln(1 + count) compares
 * them.  Times are taken as they are.  add_step stores the counts'
 * own means.
 */
static double
offset(enum kb_metric m)
{
	return kb_metric_is_time(m) ? 0 : 1;
}

/* What a round is, in the progress lines. */
static const char *
best_of_note(const struct bs *b)
{
	static char note[64];

	if (b->o->best_of <= 1)
		return "";
	snprintf(note, sizeof(note), " (each the least of %ld runs)",
	    b->o->best_of);
	return note;
}

/*
 * The counted values of a sample set for the metric (plus offset); with
 * --best-of K, every K runs of a revision, one after the other in K
 * rounds, count as one, the least of them.
 */
static size_t
counted(const struct bs *b, const struct kb_sampleset *ss, double **out)
{
	struct kb_sampleset g;
	enum kb_metric m = b->o->metric;
	size_t i, n;

	memset(&g, 0, sizeof(g));
	for (i = 0; i < ss->n; i++)
		if (ss->v[i].status == 0 && !ss->v[i].timedout)
			kb_ss_add(&g, &ss->v[i]);
	n = kb_ss_values(&g, m, out);
	kb_ss_free(&g);
	for (i = 0; i < n; i++)
		(*out)[i] += offset(m);
	return sq_fold(*out, n, b->o->best_of);
}

static void
subject_of(struct bs *b, const char *rev, char *out, size_t len)
{
	if (bisect_git(b->o->repo, NULL, out, len, "log", "-1",
	    "--format=%s", rev, NULL) != 0)
		snprintf(out, len, "?");
}

static int
add_step(struct bs *b, const char *kind, const char *rev, int64_t run,
    const double *v, size_t n, const struct sq_sprt_out *so,
    const char *decision, const char *detail)
{
	char runs[24], ns[16], mean[32], sd[32], llr[32], pg[32],
	    pb[32], subj[256];
	struct bisectdb_step st;
	double m = NAN, var = NAN;

	if (n > 0) {
		st_meanvar(v, n, &m, &var);
		m -= offset(b->o->metric);
	}
	subject_of(b, rev, subj, sizeof(subj));
	snprintf(runs, sizeof(runs), "%" PRId64, run);
	snprintf(ns, sizeof(ns), "%zu", n);
	snprintf(mean, sizeof(mean), "%.17g", m);
	snprintf(sd, sizeof(sd), "%.17g", sqrt(var));
	snprintf(llr, sizeof(llr), "%.17g", so != NULL ? so->llr : NAN);
	snprintf(pg, sizeof(pg), "%.17g", so != NULL ? so->p_good : NAN);
	snprintf(pb, sizeof(pb), "%.17g", so != NULL ? so->p_bad : NAN);
	st.id = b->ids;
	st.seq = ++b->seq;
	st.kind = kind;
	st.revision = rev;
	st.subject = subj;
	st.run = run > 0 ? runs : NULL;
	st.n = n > 0 ? ns : NULL;
	st.mean = n > 0 ? mean : NULL;
	st.stddev = n > 1 ? sd : NULL;
	st.llr = so != NULL ? llr : NULL;
	st.p_good = so != NULL && !isnan(so->p_good) ? pg : NULL;
	st.p_bad = so != NULL && !isnan(so->p_bad) ? pb : NULL;
	st.decision = decision;
	st.detail = detail;
	return bisectdb_step_add(b->c, &st);
}

void
bisect_label(const char *sha, const char *suffix, char *out, size_t len)
{
	snprintf(out, len, "git:%.12s%s", sha, suffix);
}

/*
 * Add k rounds of the endpoints.  A repetition that failed on one side
 * leaves that round unpaired: the rounds are cut to the shorter side.
 */
static void
add_rounds(struct bs *b, const double *g, size_t ng, const double *x,
    size_t nx)
{
	size_t k = ng < nx ? ng : nx;

	b->gv = kb_reallocarray(b->gv, b->np + k + 1, sizeof(double));
	b->bv = kb_reallocarray(b->bv, b->np + k + 1, sizeof(double));
	memcpy(b->gv + b->np, g, k * sizeof(double));
	memcpy(b->bv + b->np, x, k * sizeof(double));
	b->np += k;
}

/*
 * A model from more endpoint rounds that are no longer 3 standard
 * errors apart still has the best estimate of delta: five lucky first
 * rounds can put it at three times the real step, and a model kept at
 * that judges (and caps) every later step by a difference that is not
 * there.  So its delta is taken unless it flipped sign or could not be
 * estimated at all, and the spread is the larger of the two.  ok: the
 * new one passed sq_sprt_init.
 */
static void
refresh(const struct sq_sprt *old, struct sq_sprt *s, int ok)
{
	if (!ok && !(s->sd_d > 0 && s->delta * old->delta > 0)) {
		*s = *old;
		return;
	}
	if (!ok && s->sd_hi < old->sd_hi) {
		s->sd_hi = old->sd_hi;
		s->sd_z = old->sd_z;
	}
}

/* The model from every round of the endpoints so far. */
static int
model(struct bs *b, char *why, size_t len)
{
	struct sq_sprt s;

	if (sq_sprt_init(&s, b->gv, b->bv, b->np, why, len) == -1)
		return -1;
	s.max_n = (int)b->o->max_n;
	b->sprt = s;
	b->have_model = 1;
	return 0;
}

/* After a step whose endpoint rounds left them less than 3 SE apart. */
static void
remodel(struct bs *b, const char *why)
{
	struct sq_sprt s;
	char err[256];

	refresh(&b->sprt, &s, sq_sprt_init(&s, b->gv, b->bv, b->np, err,
	    sizeof(err)) == 0);
	s.max_n = (int)b->o->max_n;
	printf("  (the endpoints' rounds so far: %s; the model takes %+.2f%% "
	    "at a spread of %.2f%%)\n", why, (exp(s.delta) - 1) * 100,
	    s.sd_hi * 100);
	b->sprt = s;
}

static void set_result(struct bs *, const char *, const char *,
    const char *, const char *);

/*
 * Measure the endpoints, interleaved, in rounds of n until they are
 * told apart (at most EP_BATCHES times n rounds); a resume keeps what
 * it has.
 */
static int
endpoints(struct bs *b)
{
	struct kb_sampleset ss[2];
	char la[64], lb[64], why[512];
	const char *labels[2] = { la, lb };
	const int slots[2] = { BS_GOOD, BS_BAD };
	double *x, *y;
	size_t k = 0, ky = 0;
	int64_t runs[2];
	int rc, round;

	for (round = 0; round < EP_BATCHES; round++) {
		if (b->np >= 2 && model(b, why, sizeof(why)) == 0)
			return 0;
		if (b->np > 0)
			printf("%s: more rounds\n", why);
		printf("measuring the endpoints: good %.12s and bad %.12s, "
		    "%ld rounds, interleaved%s\n", b->good, b->bad, b->o->n,
		    best_of_note(b));
		fflush(stdout);
		if (b->sub->prepare(b->sub->ctx, BS_GOOD, b->good, NULL, why,
		    sizeof(why)) != 0 || b->sub->prepare(b->sub->ctx, BS_BAD,
		    b->bad, NULL, why, sizeof(why)) != 0) {
			kb_warnx("endpoint: %s", why);
			return -1;
		}
		bisect_label(b->good, "", la, sizeof(la));
		bisect_label(b->bad, "", lb, sizeof(lb));
		memset(ss, 0, sizeof(ss));
		rc = b->sub->measure(b->sub->ctx, 2, slots, labels,
		    b->o->n * b->o->best_of, NULL, NULL, ss, runs);
		if (rc == 0) {
			k = counted(b, &ss[0], &x);
			ky = counted(b, &ss[1], &y);
			if (k == 0 || ky == 0)
				kb_warnx("no repetition of the %s endpoint "
				    "succeeded (its workload log is in the "
				    "run's directory: kbench bisect log)",
				    k == 0 ? "good" : "bad");
			add_rounds(b, x, k, y, ky);
			if (add_step(b, "good", b->good, runs[0], x, k, NULL,
			    "good", NULL) == -1 || add_step(b, "bad", b->bad,
			    runs[1], y, ky, NULL, "bad", NULL) == -1)
				rc = -1;
			free(x);
			free(y);
		}
		kb_ss_free(&ss[0]);
		kb_ss_free(&ss[1]);
		if (rc == -1)
			return -1;
		if (k == 0 || ky == 0)
			break;
	}
	if (model(b, why, sizeof(why)) == 0)
		return 0;
	kb_warnx("%s", why);
	set_result(b, "failed", why, NULL, NULL);
	return 1;
}

struct step_arg {
	struct bs		*b;
	struct sq_sprt_out	 out;
};

/* The rounds of a step: the revision, good and bad, cut to a length. */
struct rounds {
	double	*v[3];
	size_t	 n;
};

static void
rounds_get(struct bs *b, const struct kb_sampleset *ss, struct rounds *r)
{
	size_t i, k;

	r->n = SIZE_MAX;
	for (i = 0; i < 3; i++) {
		k = counted(b, &ss[i], &r->v[i]);
		if (k < r->n)
			r->n = k;
	}
}

static void
rounds_free(struct rounds *r)
{
	size_t i;

	for (i = 0; i < 3; i++)
		free(r->v[i]);
}

/*
 * The rounds after which a step is decided by the nearer endpoint:
 * --max-n, or three times the rounds the SPRT needs on average at the
 * spread measured now, up to CAP_STRETCH times --max-n.  A cap the
 * noise of the minute makes too short decides steps by a sign that is
 * barely more than a coin (on this project's 2-core VM, 15 rounds at a
 * 5% spread a round: 2 of 10 bisections wrong).
 */
static int
step_cap(const struct bs *b, const struct sq_sprt *s)
{
	double need = 3 * sq_sprt_rounds(s);
	long cap = b->o->max_n;

	if (need > cap)
		cap = need < (double)CAP_STRETCH * b->o->max_n ?
		    (long)ceil(need) : CAP_STRETCH * b->o->max_n;
	return (int)cap;
}

/*
 * Classify the step's rounds so far.  The model takes in this step's
 * own endpoint rounds as they come: the noise that matters is the
 * machine's now, and a step measured in a noisier minute than the
 * endpoints were must not be judged by their quieter spread.
 */
static void
classify(struct bs *b, const struct rounds *r, struct sq_sprt_out *out)
{
	struct sq_sprt s;
	double *g, *x;
	size_t n = b->np + r->n;
	char why[256];

	g = kb_calloc(n + 1, sizeof(double));
	x = kb_calloc(n + 1, sizeof(double));
	memcpy(g, b->gv, b->np * sizeof(double));
	memcpy(x, b->bv, b->np * sizeof(double));
	memcpy(g + b->np, r->v[1], r->n * sizeof(double));
	memcpy(x + b->np, r->v[2], r->n * sizeof(double));
	refresh(&b->sprt, &s, sq_sprt_init(&s, g, x, n, why,
	    sizeof(why)) == 0);
	/* The spread may grow with this step's rounds, not shrink. */
	if (s.sd_hi < b->sprt.sd_hi) {
		s.sd_hi = b->sprt.sd_hi;
		s.sd_z = b->sprt.sd_z;
	}
	s.max_n = step_cap(b, &s);
	s.hard_n = CAP_STRETCH * (int)b->o->max_n;
	sq_sprt_classify(&s, r->v[0], r->v[1], r->v[2], r->n, out);
	free(g);
	free(x);
}

static int
step_enough(void *arg, const struct kb_sampleset *ss, int nsets)
{
	struct step_arg *sa = arg;
	struct rounds r;

	/* Only at the end of a round: every slot has as many samples. */
	if (nsets != 3 || ss[0].n != ss[1].n || ss[1].n != ss[2].n ||
	    ss[0].n % (size_t)sa->b->o->best_of != 0)
		return 0;
	rounds_get(sa->b, ss, &r);
	classify(sa->b, &r, &sa->out);
	rounds_free(&r);
	return sa->out.cls != SQ_UNDECIDED;
}

/* git bisect's answer after its last command, in out. */
int
bisect_first_bad(const char *out, char *sha, size_t len)
{
	const char *p;

	if ((p = strstr(out, " is the first bad commit")) == NULL)
		return 0;
	while (p > out && p[-1] != '\n')
		p--;
	snprintf(sha, len, "%.40s", p);
	return 1;
}

static int
bisect_cmd(struct bs *b, const char *what, const char *rev, char *out,
    size_t len)
{
	char *log = kb_asprintf("%s/git.log", b->dir);
	int st;

	st = bisect_git(b->ctl, log, out, len, "bisect", what, rev, NULL);
	free(log);
	return st;
}

/*
 * Measure one step in rounds beside both endpoints; record it; tell
 * git.  0, or -1.
 */
static int
step(struct bs *b, const char *rev, char *out, size_t len)
{
	struct kb_sampleset ss[3];
	struct step_arg sa;
	struct rounds r;
	char lt[64], lg[64], lb[64], why[512], detail[600];
	const char *labels[3] = { lt, lg, lb };
	const int slots[3] = { BS_TEST, BS_GOOD, BS_BAD };
	const char *dec;
	double mean, var;
	int64_t runs[3];
	int i, rc;

	memset(&sa, 0, sizeof(sa));
	sa.b = b;
	rc = b->sub->prepare(b->sub->ctx, BS_TEST, rev, NULL, why,
	    sizeof(why));
	if (rc == -1) {
		kb_warnx("%.12s: %s", rev, why);
		return -1;
	}
	if (rc == 1) {
		printf("  %.12s: skip (%s)\n", rev, why);
		if (add_step(b, "step", rev, 0, NULL, 0, NULL, "skip", why) ==
		    -1)
			return -1;
		b->steps++;
		return bisect_cmd(b, "skip", rev, out, len) == 0 ? 0 : -1;
	}
	if (b->sub->prepare(b->sub->ctx, BS_GOOD, b->good, NULL, why,
	    sizeof(why)) != 0 || b->sub->prepare(b->sub->ctx, BS_BAD, b->bad,
	    NULL, why, sizeof(why)) != 0) {
		kb_warnx("endpoint: %s", why);
		return -1;
	}
	bisect_label(rev, "", lt, sizeof(lt));
	bisect_label(b->good, "", lg, sizeof(lg));
	bisect_label(b->bad, "", lb, sizeof(lb));
	memset(ss, 0, sizeof(ss));
	rc = b->sub->measure(b->sub->ctx, 3, slots, labels,
	    CAP_STRETCH * b->o->max_n * b->o->best_of, step_enough, &sa, ss,
	    runs);
	if (rc != 0) {
		for (i = 0; i < 3; i++)
			kb_ss_free(&ss[i]);
		if (rc == -1)
			return -1;
		/* It built but cannot be measured (it does not boot). */
		printf("  %.12s: skip (it does not run: see above)\n", rev);
		if (add_step(b, "step", rev, runs[0], NULL, 0, NULL, "skip",
		    "does not boot or run") == -1)
			return -1;
		b->steps++;
		return bisect_cmd(b, "skip", rev, out, len) == 0 ? 0 : -1;
	}
	rounds_get(b, ss, &r);
	for (i = 0; i < 3; i++)
		kb_ss_free(&ss[i]);
	classify(b, &r, &sa.out);
	if (sa.out.cls == SQ_UNDECIDED) {
		/* Too few rounds (failed repetitions): the nearer side. */
		sa.out.cls = sa.out.llr > 0 ? SQ_BAD : SQ_GOOD;
		sa.out.at_cap = 1;
	}
	dec = sq_class_name(sa.out.cls);
	snprintf(detail, sizeof(detail), "SPRT log LR %+.2f after %zu "
	    "rounds, %zu left out as disturbed%s", sa.out.llr, r.n,
	    sa.out.dropped, sa.out.at_cap ? " (cap reached: the nearer "
	    "endpoint)" : "");
	st_meanvar(r.v[0], r.n, &mean, &var);
	mean -= offset(b->o->metric);
	printf("  %.12s: %s, mean %.6g from %zu rounds beside the endpoints "
	    "(%s)\n", rev, dec, mean, r.n, detail);
	fflush(stdout);
	/* The endpoints' rounds go into the model of the next steps. */
	add_rounds(b, r.v[1], r.n, r.v[2], r.n);
	rc = 0;
	if (add_step(b, "good", b->good, runs[1], r.v[1], r.n, NULL,
	    "measured", NULL) == -1 || add_step(b, "bad", b->bad, runs[2],
	    r.v[2], r.n, NULL, "measured", NULL) == -1 ||
	    add_step(b, "step", rev, runs[0], r.v[0], r.n, &sa.out, dec,
	    detail) == -1)
		rc = -1;
	rounds_free(&r);
	b->steps++;
	if (rc == -1)
		return -1;
	if (model(b, why, sizeof(why)) == -1)
		remodel(b, why);
	return bisect_cmd(b, dec, rev, out, len) == 0 ? 0 : -1;
}

/*
 * A confirmation, like the endpoints, goes on until the answer is clear
 * or a cap: looks at n rounds, then about 1.5 times as many, up to
 * EP_BATCHES times n; each look a paired interval at level 0.01 / K
 * (Bonferroni over its K looks, so a false "confirmed" has a chance of
 * at most 1% in all).  It stops at the first look whose interval lies
 * on the side of the change the endpoints showed.
 */
struct pair_arg {
	struct bs	*b;
	double		 want;		/* the change's sign, from delta */
	int		 ns[SQ_MAXLOOKS], nlooks;
	double		 alpha_k;
	struct sq_welch	 w;		/* at the last look taken */
	int		 look;		/* from 1; 0 before the first */
	size_t		 n;		/* rounds at it */
	int		 yes;		/* its interval excludes no change */
};

static void
pair_look(struct pair_arg *pa, const double *va, const double *vb, size_t n)
{
	if (sq_paired(va, vb, n, pa->alpha_k, &pa->w) == -1)
		return;
	pa->n = n;
	pa->yes = pa->want > 0 ? pa->w.lo_pct > 0 : pa->w.hi_pct < 0;
}

static int
pair_enough(void *arg, const struct kb_sampleset *ss, int nsets)
{
	struct pair_arg *pa = arg;
	double *va, *vb;
	size_t na, nb, n;
	int k;

	if (nsets != 2 || ss[0].n != ss[1].n ||
	    ss[0].n % (size_t)pa->b->o->best_of != 0)
		return 0;
	na = counted(pa->b, &ss[0], &va);
	nb = counted(pa->b, &ss[1], &vb);
	n = na < nb ? na : nb;
	for (k = 0; k < pa->nlooks && (size_t)pa->ns[k] != n; k++)
		;
	if (k < pa->nlooks) {
		pa->look = k + 1;
		pair_look(pa, va, vb, n);
	}
	free(va);
	free(vb);
	return pa->yes;
}

/*
 * Measure a against b in rounds until b is apart from a on the side of
 * want, or the cap; paired, in pa.  0 or -1.
 */
static int
pair(struct bs *b, const char *ka, const char *ra, const char *reverta,
    const char *kb_, const char *rb, struct pair_arg *pa)
{
	struct kb_sampleset ss[2];
	struct sq_plan plan;
	char la[64], lb[64], why[512];
	const char *labels[2] = { la, lb };
	const int slots[2] = { BS_SPARE, BS_TEST };
	double *va = NULL, *vb = NULL;
	size_t na, nb;
	int64_t runs[2];
	int rc;

	if ((rc = b->sub->prepare(b->sub->ctx, BS_SPARE, ra, reverta, why,
	    sizeof(why))) != 0 || (rc = b->sub->prepare(b->sub->ctx, BS_TEST,
	    rb, NULL, why, sizeof(why))) != 0) {
		printf("  %s: %s\n", ka, why);
		return -1;
	}
	pa->b = b;
	pa->want = b->sprt.delta;
	plan.min_n = (int)b->o->n < 3 ? 3 : (int)b->o->n;
	plan.max_n = EP_BATCHES * plan.min_n;
	pa->nlooks = sq_plan_looks(&plan, pa->ns, SQ_MAXLOOKS);
	pa->alpha_k = 0.01 / pa->nlooks;
	pa->look = 0;
	pa->yes = 0;
	pa->n = 0;
	memset(&pa->w, 0, sizeof(pa->w));
	bisect_label(ra, reverta != NULL ? "+revert" : "", la, sizeof(la));
	bisect_label(rb, "", lb, sizeof(lb));
	memset(ss, 0, sizeof(ss));
	rc = b->sub->measure(b->sub->ctx, 2, slots, labels,
	    plan.max_n * b->o->best_of, pair_enough, pa, ss, runs);
	if (rc == 0) {
		na = counted(b, &ss[0], &va);
		nb = counted(b, &ss[1], &vb);
		/* Stopped between looks (failed runs): judge what there is. */
		if (pa->look == 0 || pa->n != (na < nb ? na : nb))
			pair_look(pa, va, vb, na < nb ? na : nb);
		if (pa->n == 0)
			rc = -1;
		if (add_step(b, ka, ra, runs[0], va, na, NULL, "measured",
		    NULL) == -1 || add_step(b, kb_, rb, runs[1], vb, nb, NULL,
		    "measured", NULL) == -1)
			rc = -1;
	}
	free(va);
	free(vb);
	kb_ss_free(&ss[0]);
	kb_ss_free(&ss[1]);
	return rc;
}

static void
set_result(struct bs *b, const char *state, const char *reason,
    const char *culprit, const char *subj)
{
	bisectdb_result(b->c, b->ids, state, reason, culprit, subj);
}

/* The confirmation: the culprit against its parent, and its revert. */
static void
confirm(struct bs *b, const char *culprit)
{
	struct pair_arg pa;
	char parent[64], *spec;
	int st;

	memset(&pa, 0, sizeof(pa));
	spec = kb_asprintf("%s^", culprit);
	st = bisect_git(b->o->repo, NULL, parent, sizeof(parent), "rev-parse",
	    "--verify", "-q", spec, NULL);
	free(spec);
	if (st != 0) {
		printf("confirmation: %.12s has no parent to measure\n",
		    culprit);
		return;
	}
	printf("confirming: parent %.12s against culprit %.12s, %ld rounds "
	    "and more until apart (at most %ld), interleaved%s\n", parent,
	    culprit, b->o->n < 3 ? 3 : b->o->n, EP_BATCHES * (b->o->n < 3 ?
	    3 : b->o->n), best_of_note(b));
	fflush(stdout);
	if (pair(b, "parent", parent, NULL, "culprit", culprit, &pa) == 0) {
		bisectdb_figure(b->c, b->ids, BISECTDB_CONFIRM_DIFF,
		    pa.w.diff_pct);
		bisectdb_figure(b->c, b->ids, BISECTDB_CONFIRM_P, pa.w.p);
		printf("confirmation: culprit vs parent %+.2f%% [%+.2f%%, "
		    "%+.2f%%], paired p = %.3g, after %zu rounds (look %d of "
		    "%d, each at %.2g): %s\n", pa.w.diff_pct, pa.w.lo_pct,
		    pa.w.hi_pct, pa.w.p, pa.n, pa.look, pa.nlooks, pa.alpha_k,
		    pa.yes ? "confirmed" : "NOT confirmed (the change may be "
		    "spread over several commits, or noise)");
	}
	if (!b->o->confirm_revert)
		return;
	printf("confirming: culprit %.12s with its revert applied against "
	    "the culprit\n", culprit);
	fflush(stdout);
	if (pair(b, "revert", culprit, culprit, "culprit", culprit, &pa) ==
	    0) {
		/* b: culprit, a: culprit+revert; the revert should undo. */
		bisectdb_figure(b->c, b->ids, BISECTDB_REVERT_DIFF,
		    -pa.w.diff_pct);
		bisectdb_figure(b->c, b->ids, BISECTDB_REVERT_P, pa.w.p);
		printf("confirmation: reverting it changes %+.2f%%, paired p = "
		    "%.3g, after %zu rounds: %s\n", -pa.w.diff_pct, pa.w.p,
		    pa.n, pa.yes ? "the revert undoes the change" :
		    "the revert does NOT undo the change");
	}
}

/* The bisection row for this request: resumed, or new. */
static void
make_key(struct bs *b)
{
	struct bisect_opts *o = b->o;
	char *key, *cmd, *k2;

	cmd = adhoc_join(o->cmdv);
	key = kb_asprintf("%s\n%s\n%s\n%s\n%s\n%s\n%s\n%ld\n%d", o->repo,
	    b->good, b->bad, cmd, o->build ? o->build : "",
	    kb_metric_name(o->metric), o->worker, o->n, o->icount);
	/* Keys of bisections from before --best-of stay as they were. */
	if (o->best_of > 1) {
		k2 = kb_asprintf("%s\nbest-of %ld", key, o->best_of);
		free(key);
		key = k2;
	}
	kb_sha256_hex(key, strlen(key), b->ukey);
	free(key);
	free(cmd);
}

static int
find_or_create(struct bs *b)
{
	char *cmd;
	struct bisectdb_new nb;
	struct bisect_opts *o = b->o;
	int64_t id;

	cmd = adhoc_join(o->cmdv);
	if (o->resume == 0) {
		if ((id = bisectdb_running(b->c, b->ukey)) == -1) {
			free(cmd);
			return -1;
		}
		if (id != 0) {
			b->id = id;
			printf("resuming bisection %" PRId64 "\n", b->id);
		}
	} else {
		b->id = o->resume;
		printf("resuming bisection %" PRId64 "\n", b->id);
	}
	if (b->id == 0) {
		nb.ukey = b->ukey;
		nb.repo = o->repo;
		nb.good = o->good;
		nb.bad = o->bad;
		nb.good_sha = b->good;
		nb.bad_sha = b->bad;
		nb.worker = o->worker;
		nb.metric = kb_metric_name(o->metric);
		nb.command = cmd;
		nb.build = o->build;
		nb.n = o->n;
		nb.workload = o->workload;
		nb.best_of = o->best_of;
		if ((id = bisectdb_create(b->c, &nb)) == -1) {
			free(cmd);
			return -1;
		}
		b->id = id;
		printf("bisection %" PRId64 ": %s, good %.12s, bad %.12s\n",
		    b->id, o->repo, b->good, b->bad);
	}
	free(cmd);
	snprintf(b->ids, sizeof(b->ids), "%" PRId64, b->id);
	return 0;
}

/* A stored run's values as counted() gives them. */
static size_t
pool_values(struct bs *b, int64_t run, double **x)
{
	size_t i, n = series_run_values(b->c, run, b->o->metric, x);

	for (i = 0; i < n; i++)
		(*x)[i] += offset(b->o->metric);
	return sq_fold(*x, n, b->o->best_of);
}

/* Replay what is stored: endpoints' samples, decisions to git. */
static int
replay(struct bs *b, char *out, size_t len)
{
	struct db_table r;
	int i, n;
	int64_t run;
	const char *kind, *dec, *rev;

	if (bisectdb_steps(b->c, b->ids, &r) == -1)
		return -1;
	n = r.nrows;
	for (i = 0; i < n; i++) {
		b->seq = atoi(db_cell(&r, i, 0));
		kind = db_cell(&r, i, 1);
		rev = db_cell(&r, i, 2);
		dec = db_cell(&r, i, 3);
		run = strtoll(db_cell(&r, i, 4), NULL, 10);
		if (strcmp(kind, "good") == 0) {
			/* Its bad row follows: they pair up then. */
			free(b->pend);
			b->npend = pool_values(b, run, &b->pend);
		} else if (strcmp(kind, "bad") == 0) {
			double *x;
			size_t k = pool_values(b, run, &x);

			add_rounds(b, b->pend, b->npend, x, k);
			free(x);
			free(b->pend);
			b->pend = NULL;
			b->npend = 0;
		} else if (strcmp(kind, "step") == 0) {
			b->steps++;
			if (bisect_cmd(b, dec, rev, out, len) != 0) {
				db_table_free(&r);
				return -1;
			}
		}
	}
	db_table_free(&r);
	return 0;
}

static int
resolve(const char *repo, const char *rev, char *out, size_t len)
{
	char spec[512];

	snprintf(spec, sizeof(spec), "%s^{commit}", rev);
	return bisect_git(repo, NULL, out, len, "rev-parse", "--verify", "-q",
	    spec, NULL) == 0 && strlen(out) >= 40 ? 0 : -1;
}

/*
 * Resolves the endpoints and makes the subject and the bisection's row;
 * -1 with the subject cleaned up.  *wl gets an ad hoc workload label
 * the caller frees.
 */
static int
bisect_open(struct bs *b, PGconn *c, struct bisect_opts *o, char **wl)
{
	memset(b, 0, sizeof(*b));
	b->c = c;
	b->o = o;
	if (resolve(o->repo, o->good, b->good, sizeof(b->good)) == -1 ||
	    resolve(o->repo, o->bad, b->bad, sizeof(b->bad)) == -1) {
		kb_warnx("%s: cannot resolve --good %s or --bad %s to commits",
		    o->repo, o->good, o->bad);
		return -1;
	}
	/* The subject first: it makes the worker and workload rows. */
	make_key(b);
	snprintf(b->dir, sizeof(b->dir), "%s/bisect/%.16s", kb_home(),
	    b->ukey);
	snprintf(b->ctl, sizeof(b->ctl), "%s/ctl", b->dir);
	if (kb_mkdirs(b->dir, 0755) == -1)
		return -1;
	if (o->workload == NULL)
		o->workload = *wl = adhoc_label(o->cmdv);
	if (strcmp(o->worker, "local") == 0)
		b->sub = bisect_repo_subject(c, o->repo, b->dir, o->build,
		    o->cmdv, o->worker, o->workload, o->timeout,
		    o->metric == KB_M_INSN_USER);
	else
		b->sub = bisect_kernel_subject(c, o->repo, b->dir, o->worker,
		    o->workload, o->cmdv[0] != NULL ? o->cmdv : NULL,
		    o->icount, o->timeout);
	if (b->sub == NULL || find_or_create(b) == -1) {
		if (b->sub != NULL)
			b->sub->cleanup(b->sub->ctx, 0);
		return -1;
	}
	return 0;
}

/* git's own bisect state, in a worktree of ours, from scratch. */
static int
bisect_start(struct bs *b, char *out, size_t len)
{
	struct bisect_opts *o = b->o;
	char *log;
	int rc = 0;

	log = kb_asprintf("%s/git.log", b->dir);
	bisect_git(o->repo, log, NULL, 0, "worktree", "remove", "--force",
	    b->ctl, NULL);
	bisect_git(o->repo, log, NULL, 0, "worktree", "prune", NULL);
	if (bisect_git(o->repo, log, NULL, 0, "worktree", "add", "--detach",
	    "--no-checkout", "-f", b->ctl, b->bad, NULL) != 0 ||
	    bisect_git(b->ctl, log, out, len, "bisect", "start",
	    "--no-checkout", b->bad, b->good, NULL) != 0) {
		kb_warnx("git bisect start failed in %s (see %s)", b->ctl, log);
		rc = -1;
	}
	free(log);
	return rc;
}

/* The endpoints' figures and how each step will be decided. */
static void
announce(struct bs *b)
{
	printf("good %.6g, bad %.6g: bad %+.2f%% over %zu interleaved rounds "
	    "(%.2f%% spread a round, %.2f%% at most): deciding each step by "
	    "SPRT beside both endpoints, 3 to %d rounds (about %.0f on "
	    "average; up to %ld while a step stays in between)\n",
	    b->sprt.mu_g, b->sprt.mu_b, (exp(b->sprt.delta) - 1) * 100,
	    b->sprt.n, b->sprt.sd_d * 100, b->sprt.sd_hi * 100,
	    step_cap(b, &b->sprt), sq_sprt_rounds(&b->sprt),
	    CAP_STRETCH * b->o->max_n);
	fflush(stdout);
}

/*
 * Measures the revisions git names until it names the first bad commit
 * (into sha): 0 found, 1 given up (only skipped commits left), -1
 * failed.
 */
static int
walk(struct bs *b, char *out, size_t len, char *sha, size_t shalen)
{
	char next[64];

	while (!bisect_first_bad(out, sha, shalen)) {
		if (strstr(out, "only 'skip'ped commits left") != NULL) {
			printf("%s\n", out);
			set_result(b, "failed", "only skipped commits left",
			    NULL, NULL);
			return 1;
		}
		if (bisect_git(b->ctl, NULL, next, sizeof(next), "rev-parse",
		    "BISECT_HEAD", NULL) != 0) {
			kb_warnx("git bisect: no next revision:\n%s", out);
			return -1;
		}
		out[0] = '\0';
		if (step(b, next, out, len) == -1)
			return -1;
	}
	return 0;
}

/* The first bad commit: confirmed, stored and printed. */
static void
found(struct bs *b, const char *sha)
{
	char subj[256];

	subject_of(b, sha, subj, sizeof(subj));
	printf("%ld revisions measured besides the endpoints\n", b->steps);
	set_result(b, "running", NULL, sha, subj);
	confirm(b, sha);
	set_result(b, "done", NULL, sha, subj);
	printf("first bad commit: %s %s\n", sha, subj);
}

/* A failed bisection: kept to resume if interrupted, else marked so. */
static void
failed(struct bs *b)
{
	if (runner_interrupted())
		printf("bisection %" PRId64 " interrupted: run the same "
		    "command again, or kbench bisect --resume %" PRId64
		    ", to go on\n", b->id, b->id);
	else
		set_result(b, "failed", "see the output of kbench bisect",
		    NULL, NULL);
}

/* Removes git's bisect state and worktree and frees what b holds. */
static void
bisect_close(struct bs *b)
{
	bisect_git(b->ctl, NULL, NULL, 0, "bisect", "reset", NULL);
	bisect_git(b->o->repo, NULL, NULL, 0, "worktree", "remove",
	    "--force", b->ctl, NULL);
	b->sub->cleanup(b->sub->ctx, 0);
	free(b->gv);
	free(b->bv);
	free(b->pend);
}

int
bisect_run(PGconn *c, struct bisect_opts *o)
{
	struct bs b;
	char out[8192], sha[64];
	char *wl = NULL;
	int rc = KB_EXIT_ERR;

	if (bisect_open(&b, c, o, &wl) == -1) {
		free(wl);
		return KB_EXIT_ERR;
	}
	if (bisect_start(&b, out, sizeof(out)) == -1)
		goto done;
	if (replay(&b, out, sizeof(out)) == -1)
		goto fail;
	o->id_out = b.id;
	switch (endpoints(&b)) {
	case -1:
		goto fail;
	case 1:
		goto done;
	}
	o->apart_out = 1;
	announce(&b);
	switch (walk(&b, out, sizeof(out), sha, sizeof(sha))) {
	case -1:
		goto fail;
	case 1:
		goto done;
	}
	found(&b, sha);
	rc = KB_EXIT_OK;
	goto done;
fail:
	failed(&b);
done:
	bisect_close(&b);
	free(wl);
	return rc;
}

/* kbench bisect log. */
int
bisect_log(PGconn *c, int64_t id, int json)
{
	char ids[24];
	struct db_table s;
	struct db_table r;
	double *v;
	size_t nv, k;
	int i, n;
	enum kb_metric m = KB_M_REAL;

	snprintf(ids, sizeof(ids), "%" PRId64, id);
	if (bisectdb_log(c, ids, &r) == -1)
		return KB_EXIT_ERR;
	if (r.nrows != 1) {
		db_table_free(&r);
		kb_warnx("no bisection %s", id ? ids : "yet");
		return KB_EXIT_ERR;
	}
	kb_metric_parse(db_cell(&r, 0, 6), &m);
	snprintf(ids, sizeof(ids), "%s", db_cell(&r, 0, 0));
	if (bisectdb_log_steps(c, ids, &s) == -1) {
		db_table_free(&r);
		return KB_EXIT_ERR;
	}
	n = s.nrows;
	if (json) {
		printf("{\"id\": %s, \"repo\": ", ids);
		cmp_json_string(stdout, db_cell(&r, 0, 1));
		printf(", \"good\": ");
		cmp_json_string(stdout, db_cell(&r, 0, 4));
		printf(", \"bad\": ");
		cmp_json_string(stdout, db_cell(&r, 0, 5));
		printf(", \"metric\": ");
		cmp_json_string(stdout, db_cell(&r, 0, 6));
		printf(", \"state\": ");
		cmp_json_string(stdout, db_cell(&r, 0, 8));
		printf(", \"culprit\": ");
		cmp_json_string(stdout, db_cell(&r, 0, 9));
		/* A step's n counts rounds; its samples are every run. */
		printf(", \"best_of\": %s, \"steps\": [",
		    db_cell(&r, 0, 14));
		for (i = 0; i < n; i++) {
			printf("%s\n  {\"seq\": %s, \"kind\": ", i ? "," : "",
			    db_cell(&s, i, 0));
			cmp_json_string(stdout, db_cell(&s, i, 1));
			printf(", \"revision\": ");
			cmp_json_string(stdout, db_cell(&s, i, 2));
			printf(", \"subject\": ");
			cmp_json_string(stdout, db_cell(&s, i, 3));
			printf(", \"run\": %s, \"decision\": ",
			    db_cell(&s, i, 4));
			cmp_json_string(stdout, db_cell(&s, i, 11));
			printf(", \"llr\": ");
			cmp_json_number(stdout, db_isnull(&s, i, 8) ? NAN :
			    strtod(db_cell(&s, i, 8), NULL));
			printf(", \"samples\": [");
			nv = series_run_values(c, strtoll(db_cell(&s, i, 4),
			    NULL, 10), m, &v);
			for (k = 0; k < nv; k++) {
				printf("%s", k ? ", " : "");
				cmp_json_number(stdout, v[k]);
			}
			free(v);
			printf("]}");
		}
		printf("%s]}\n", n ? "\n" : "");
	} else {
		printf("bisection %s: %s, good %s (%.12s), bad %s (%.12s), "
		    "metric %s: %s\n", ids, db_cell(&r, 0, 1),
		    db_cell(&r, 0, 2), db_cell(&r, 0, 4),
		    db_cell(&r, 0, 3), db_cell(&r, 0, 5),
		    db_cell(&r, 0, 6), db_cell(&r, 0, 8));
		printf("  command: %s\n", db_cell(&r, 0, 7));
		if (strcmp(db_cell(&r, 0, 14), "1") != 0)
			printf("  a round's value: the least of %s runs\n",
			    db_cell(&r, 0, 14));
		for (i = 0; i < n; i++)
			printf("  %2s %-7s %.12s %-8s n=%-3s mean=%-10.6g "
			    "run=%s %s  %s\n", db_cell(&s, i, 0),
			    db_cell(&s, i, 1), db_cell(&s, i, 2),
			    db_cell(&s, i, 11), db_cell(&s, i, 5),
			    db_isnull(&s, i, 6) ? NAN :
			    strtod(db_cell(&s, i, 6), NULL),
			    db_cell(&s, i, 4), db_cell(&s, i, 3),
			    db_cell(&s, i, 12));
		if (*db_cell(&r, 0, 9) != '\0')
			printf("first bad commit: %s %s\n", db_cell(&r, 0, 9),
			    db_cell(&r, 0, 10));
		if (*db_cell(&r, 0, 11) != '\0')
			printf("  reason: %s\n", db_cell(&r, 0, 11));
	}
	db_table_free(&s);
	db_table_free(&r);
	return KB_EXIT_OK;
}
