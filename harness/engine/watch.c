/*
 * watch.c: one pass of kbench watch over a git branch.
 *
 * The commits new since the last pass (the first pass: the last
 * --depth commits, or those from --since) are cut into batches of
 * --every; the head of each batch is measured through a bisection
 * subject (bisect_repo.c on the local worker, bisect_kernel.c on a
 * QEMU worker), stored on the kernel row its runs name (the
 * bisection's label for a repo, the build's for a kernel), with its
 * revision and commit date so that it lands in the series.  Each
 * is measured in interleaved rounds beside the commit measured before
 * it, and the pair tested (watchstep.c).  A regression found is
 * an alert held back until kbench measures both sides again,
 * interleaved, by bisecting the step: the bisection's endpoints are the
 * confirmation, its first bad commit the culprit.  Only then is the
 * alert sent (alertsend.c); an unconfirmed one is kept, quiet.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "lib/adhoc.h"
#include "engine/alertsend.h"
#include "engine/bisect.h"
#include "engine/bisect_git.h"
#include "engine/bisect_kernel.h"
#include "engine/bisect_repo.h"
#include "engine/watch.h"
#include "engine/watchstep.h"
#include "store/db.h"
#include "store/importdb.h"
#include "store/watchdb.h"
#include "worker/runner.h"

#define WATCH_ALPHA	0.01	/* a step's two-sided p, before confirming */
#define WATCH_LOOKS	3	/* batches of -n rounds before "no step" */

struct wp {
	PGconn			*c;
	struct watch_opts	*o;
	struct bisect_subject	*sub;
	char			 dir[1024];
	int64_t			 id;
	struct series_key	 key;	/* once the first run names it */
	char			 prev[64];	/* the last commit measured */
	long			 measured, skipped, found;
};

/* Lines of file (40 hex digits each) appended to *v. */
static int
read_revs(const char *file, char ***v, size_t *n)
{
	char line[128];
	FILE *fp;

	if ((fp = fopen(file, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strlen(line) < 40)
			continue;
		*v = kb_reallocarray(*v, *n + 2, sizeof(char *));
		(*v)[(*n)++] = kb_strdup(line);
		(*v)[*n] = NULL;
	}
	fclose(fp);
	return 0;
}

/*
 * The commits to look at, oldest first: after last, else from --since
 * (itself the baseline), else the last --depth of the branch.
 */
static int
list_commits(struct wp *w, const char *last, const char *head,
    char ***v, size_t *n)
{
	struct watch_opts *o = w->o;
	char depth[32], since[64], *range, *file;
	int st;

	file = kb_asprintf("%s/revs", w->dir);
	snprintf(depth, sizeof(depth), "--max-count=%ld", o->depth);
	*v = NULL;
	*n = 0;
	if (*last != '\0' || o->since != NULL) {
		if (*last == '\0') {
			range = kb_asprintf("%s^{commit}", o->since);
			st = bisect_git(o->repo, NULL, since, sizeof(since),
			    "rev-parse", "--verify", "-q", range, NULL);
			free(range);
			if (st != 0) {
				kb_warnx("--since %s: not a commit of %s",
				    o->since, o->repo);
				free(file);
				return -1;
			}
			since[strcspn(since, "\n")] = '\0';
			*v = kb_calloc(2, sizeof(char *));
			(*v)[(*n)++] = kb_strdup(since);
		}
		range = kb_asprintf("%s..%s", *last != '\0' ? last : since,
		    head);
		st = bisect_git_file(o->repo, file, "rev-list", "--reverse",
		    "--first-parent", range, NULL);
		free(range);
	} else
		st = bisect_git_file(o->repo, file, "rev-list", "--reverse",
		    "--first-parent", depth, head, NULL);
	if (st != 0 || read_revs(file, v, n) == -1) {
		kb_warnx("%s: git rev-list failed", o->repo);
		free(file);
		return -1;
	}
	free(file);
	return 0;
}

/* The revision's commit date and first parent onto its kernel row. */
static int
set_facts(struct wp *w, const char *rev, int64_t kid)
{
	char date[64], parent[64], *spec;
	int pst;

	if (bisect_git(w->o->repo, NULL, date, sizeof(date), "show", "-s",
	    "--format=%cI", rev, NULL) != 0) {
		kb_warnx("%.12s: no commit date", rev);
		return -1;
	}
	date[strcspn(date, "\n")] = '\0';
	spec = kb_asprintf("%s^", rev);
	pst = bisect_git(w->o->repo, NULL, parent, sizeof(parent),
	    "rev-parse", "--verify", "-q", spec, NULL);
	free(spec);
	parent[strcspn(parent, "\n")] = '\0';
	if (kid <= 0)
		return -1;
	return importdb_kernel_facts(w->c, kid, rev, date, pst == 0 ? parent :
	    NULL);
}

/*
 * Prepare rev in BS_TEST and, when there is one, the commit measured
 * before it in BS_GOOD (kept: a build of it that fails now is measured
 * alone).  The number of slots ready (0: rev itself is not), -1 on ^C
 * or an error.
 */
static int
prepare_pair(struct wp *w, const char *rev, char *why, size_t len)
{
	int st;

	st = w->sub->prepare(w->sub->ctx, BS_TEST, rev, NULL, why, len);
	if (st != 0)
		return st == 1 && !runner_interrupted() ? 0 : -1;
	if (*w->prev == '\0' || w->sub->prepare(w->sub->ctx, BS_GOOD, w->prev,
	    NULL, why, len) != 0)
		return runner_interrupted() ? -1 : 1;
	return 2;
}

/*
 * The step test of rev against the commit before it (their kernel
 * rows: kid[0], kid[1]): its verdict.
 */
static int
test_pair(struct wp *w, const char *label, const int64_t *kid,
    const struct kb_sampleset *ss)
{
	struct watch_opts *o = w->o;
	struct watch_pair p;
	double thr;
	int v, found;

	memset(&p, 0, sizeof(p));
	p.label = label;
	p.after = &ss[0];
	p.before = &ss[1];
	if ((p.kernel_id = kid[0]) <= 0 || (p.prev_kernel_id = kid[1]) <= 0)
		return -1;
	/* No confirmation for a step nobody would be told about. */
	thr = kb_alert_threshold(o->cfg, w->key.worker, w->key.workload);
	/* Each look spends its share of alpha (Bonferroni). */
	v = watch_step(w->c, &w->key, o->metric, &p, thr > o->threshold ?
	    thr : o->threshold, WATCH_ALPHA / WATCH_LOOKS, &found);
	w->found += found;
	return v;
}

static void
ss_append(struct kb_sampleset *to, struct kb_sampleset *from)
{
	size_t i;

	for (i = 0; i < from->n; i++)
		kb_ss_add(to, &from->v[i]);
	kb_ss_free(from);
}

/*
 * Rounds of the prepared slots into acc, -n at a time, until the step
 * test decides or WATCH_LOOKS batches were run (then: no step found);
 * the kernel rows the slots' runs measured into kid.  0, or -1
 * (nothing measured: *run0 is still 0; or an error).
 */
static int
measure_rounds(struct wp *w, int nslots, const char *const *labels,
    struct kb_sampleset *acc, int64_t *run0, int64_t *kid)
{
	struct kb_sampleset ss[2];
	const int slots[2] = { BS_TEST, BS_GOOD };
	int64_t runs[2] = { 0, 0 };
	int look, v;

	for (look = 0; look < WATCH_LOOKS; look++) {
		memset(ss, 0, sizeof(ss));
		v = w->sub->measure(w->sub->ctx, nslots, slots, labels,
		    w->o->n, NULL, NULL, ss, runs);
		if (look == 0) {
			*run0 = runs[0];
			kid[0] = watchdb_run_kernel(w->c, runs[0]);
			kid[1] = nslots == 2 ? watchdb_run_kernel(w->c,
			    runs[1]) : 0;
		}
		ss_append(&acc[0], &ss[0]);
		ss_append(&acc[1], &ss[1]);
		if (v == -1 || (look == 0 && (w->key.worker == NULL &&
		    watchdb_run_key(w->c, runs[0], &w->key) == -1)))
			return -1;
		if (nslots == 1)
			return 0;
		if ((v = test_pair(w, labels[0], kid, acc)) == -1)
			return -1;
		if (v != WS_UNSURE)
			return 0;
	}
	printf("watch: %s: no step told after %d looks\n", labels[0], look);
	return 0;
}

/*
 * Measure one commit, beside the one before it, into the series and
 * test the step; 0 (measured, or skipped: it does not build or run),
 * -1 on an error or ^C.
 */
static int
measure_one(struct wp *w, const char *rev)
{
	struct kb_sampleset acc[2];
	char label[64], plabel[64], why[512];
	const char *labels[2] = { label, plabel };
	int64_t run0 = 0, kid[2] = { 0, 0 };
	int nslots, st;

	bisect_label(rev, "", label, sizeof(label));
	bisect_label(w->prev, "", plabel, sizeof(plabel));
	if ((nslots = prepare_pair(w, rev, why, sizeof(why))) <= 0) {
		if (nslots == -1 || runner_interrupted()) {
			kb_warnx("%.12s: %s", rev, why);
			return -1;
		}
		printf("watch: %.12s skipped: %s\n", rev, why);
		w->skipped++;
		return 0;
	}
	printf("watch: measuring %.12s%s%.12s, %ld rounds at a time\n", rev,
	    nslots == 2 ? " beside " : "", nslots == 2 ? w->prev : "",
	    w->o->n);
	fflush(stdout);
	memset(acc, 0, sizeof(acc));
	st = measure_rounds(w, nslots, labels, acc, &run0, kid);
	kb_ss_free(&acc[0]);
	kb_ss_free(&acc[1]);
	if (runner_interrupted() || (st == -1 && run0 == 0))
		return -1;
	if (st == -1 || set_facts(w, rev, kid[0]) == -1) {
		printf("watch: %.12s skipped: no repetition succeeded\n", rev);
		w->skipped++;
		return 0;
	}
	w->measured++;
	snprintf(w->prev, sizeof(w->prev), "%s", rev);
	return 0;
}

/* The note kept with a confirmed or unconfirmed alert. */
static char *
confirm_note(const struct bisect_opts *bo, const struct db_table *t,
    char **culprit)
{
	const char *state = db_cell(t, 0, 0), *reason = db_cell(t, 0, 3);

	*culprit = NULL;
	if (!bo->apart_out)
		return kb_asprintf("not confirmed: measured again, the two "
		    "sides were not told apart (%s)", *reason != '\0' ?
		    reason : state);
	if (strcmp(state, "done") == 0 && *db_cell(t, 0, 1) != '\0') {
		*culprit = kb_asprintf("%s %s", db_cell(t, 0, 1),
		    db_cell(t, 0, 2));
		return kb_asprintf("confirmed; bisection %" PRId64 " names "
		    "%.12s", bo->id_out, db_cell(t, 0, 1));
	}
	return kb_asprintf("confirmed; bisection %" PRId64 " named no "
	    "commit (%s)", bo->id_out, *reason != '\0' ? reason : state);
}

/*
 * Measure both sides of a held alert again and bisect between them:
 * the bisection's endpoints confirm (or not), its end names the
 * culprit.  0, or -1 (^C, error: the alert stays held for next time).
 */
static int
confirm_one(struct wp *w, int64_t id, const char *bad, const char *good,
    const char *metric)
{
	struct watch_opts *o = w->o;
	struct bisect_opts bo;
	struct db_table t;
	char *note, *culprit;
	int rc;

	memset(&bo, 0, sizeof(bo));
	bo.repo = o->repo;
	bo.good = good;
	bo.bad = bad;
	bo.build = o->build;
	bo.worker = o->worker;
	bo.workload = o->workload;
	bo.cmdv = o->cmdv;
	bo.n = o->n;
	bo.max_n = 15;
	bo.best_of = 1;
	bo.timeout = o->timeout;
	bo.icount = o->icount;
	if (kb_metric_parse(metric, &bo.metric) == -1)
		bo.metric = o->metric;
	printf("watch: alert %" PRId64 ": confirming %.12s..%.12s: both sides"
	    " measured again, interleaved, and the step bisected\n", id, good,
	    bad);
	fflush(stdout);
	bisect_run(w->c, &bo);
	if (runner_interrupted() || bo.id_out == 0)
		return -1;
	if (watchdb_bisection(w->c, bo.id_out, &t) == -1)
		return -1;
	if (t.nrows != 1) {
		db_table_free(&t);
		return -1;
	}
	note = confirm_note(&bo, &t, &culprit);
	db_table_free(&t);
	printf("watch: alert %" PRId64 ": %s\n", id, note);
	rc = watchdb_confirm(w->c, id, bo.apart_out, bo.id_out, culprit,
	    note);
	free(note);
	free(culprit);
	return rc;
}

static int
confirm_held(struct wp *w)
{
	struct db_table t;
	int i, rc = 0;

	if (w->key.worker_id <= 0)
		return 0;
	if (watchdb_held(w->c, w->key.worker_id, &t) == -1)
		return -1;
	for (i = 0; i < t.nrows && rc == 0; i++)
		rc = confirm_one(w, strtoll(db_cell(&t, i, WH_ID), NULL, 10),
		    db_cell(&t, i, WH_REVISION), db_cell(&t, i,
		    WH_PREV_REVISION), db_cell(&t, i, WH_METRIC));
	db_table_free(&t);
	return rc;
}

/* Measure the batch heads of revs (the first too on a first pass). */
static int
measure_new(struct wp *w, char **revs, size_t n, int first)
{
	size_t i, from = first ? 1 : 0;

	for (i = 0; i < n; i++) {
		if (!(first && i == 0) && i != n - 1 &&
		    (i + 1 - from) % (size_t)w->o->every != 0)
			continue;
		if (measure_one(w, revs[i]) == -1 ||
		    watchdb_advance(w->c, w->id, revs[i]) == -1)
			return -1;
	}
	return 0;
}

/* The subject that measures a revision, as kbench bisect picks it. */
static int
open_subject(struct wp *w)
{
	struct watch_opts *o = w->o;

	if (strcmp(o->worker, "local") == 0)
		w->sub = bisect_repo_subject(w->c, o->repo, w->dir, o->build,
		    o->cmdv, o->worker, o->workload, o->timeout,
		    o->metric == KB_M_INSN_USER);
	else
		w->sub = bisect_kernel_subject(w->c, o->repo, w->dir,
		    o->worker, o->workload, o->cmdv != NULL &&
		    o->cmdv[0] != NULL ? o->cmdv : NULL, o->icount, o->timeout);
	return w->sub != NULL ? 0 : -1;
}

/* What is new on the branch into the series; 0 or -1. */
static int
follow(struct wp *w, const char *last, const char *head)
{
	char **revs;
	size_t n, i;
	int rc;

	if (list_commits(w, last, head, &revs, &n) == -1)
		return -1;
	printf("watch: %s: %zu new commit%s up to %.12s, measuring %s\n",
	    w->o->repo, n, n == 1 ? "" : "s", head, w->o->every == 1 ?
	    "each" : "the head of each batch");
	fflush(stdout);
	if ((rc = open_subject(w)) == 0) {
		rc = measure_new(w, revs, n, *last == '\0');
		w->sub->cleanup(w->sub->ctx, 0);
	}
	for (i = 0; i < n; i++)
		free(revs[i]);
	free(revs);
	return rc;
}

/* The watch row and where it was left; the branch head in head. */
static int
watch_open(struct wp *w, char last[64], char head[64])
{
	struct watch_opts *o = w->o;
	struct watchdb_key k;
	char *spec;
	int st;

	spec = kb_asprintf("%s^{commit}", o->branch);
	st = bisect_git(o->repo, NULL, head, 64, "rev-parse", "--verify",
	    "-q", spec, NULL);
	free(spec);
	if (st != 0) {
		kb_warnx("%s: no branch or commit %s", o->repo, o->branch);
		return -1;
	}
	head[strcspn(head, "\n")] = '\0';
	k.kind = strcmp(o->worker, "local") == 0 ? "repo" : "tree";
	k.repo = o->repo;
	k.branch = o->branch;
	k.worker = o->worker;
	k.workload = o->workload != NULL ? o->workload : "";
	if ((w->id = watchdb_open(w->c, &k, last)) == -1)
		return -1;
	snprintf(w->dir, sizeof(w->dir), "%s/watch/%" PRId64, kb_home(),
	    w->id);
	snprintf(w->prev, sizeof(w->prev), "%s", last);
	if (kb_mkdirs(w->dir, 0755) == -1) {
		kb_warn("%s", w->dir);
		return -1;
	}
	/* Held alerts of an earlier, interrupted pass are confirmed too. */
	if ((w->key.worker_id = db_find_id(w->c, "worker", o->worker)) == -1)
		return -1;
	return 0;
}

int
watch_pass(PGconn *c, struct watch_opts *o)
{
	struct wp w;
	char last[64], head[64], *wl = NULL;
	long sent = 0, failed = 0;
	int rc = -1;

	memset(&w, 0, sizeof(w));
	w.c = c;
	w.o = o;
	if (o->workload == NULL && o->cmdv != NULL && o->cmdv[0] != NULL)
		o->workload = wl = adhoc_label(o->cmdv);
	if (watch_open(&w, last, head) == -1)
		goto out;
	if (strcmp(last, head) == 0)
		printf("watch: %s: nothing new since %.12s\n", o->repo, last);
	else if (follow(&w, last, head) == -1)
		goto out;
	if (w.key.worker_id > 0 && (rc = confirm_held(&w)) == -1)
		goto out;
	rc = alertsend_pending(c, o->cfg, &sent, &failed);
	printf("watch: %ld commit%s measured, %ld skipped, %ld regression%s "
	    "found, %ld alert%s sent, %ld failed to send\n", w.measured,
	    w.measured == 1 ? "" : "s", w.skipped, w.found, w.found == 1 ?
	    "" : "s", sent, sent == 1 ? "" : "s", failed);
out:
	free(w.key.worker);
	free(w.key.workload);
	if (wl != NULL) {
		free(wl);
		o->workload = NULL;
	}
	return rc == -1 ? KB_EXIT_ERR : KB_EXIT_OK;
}
