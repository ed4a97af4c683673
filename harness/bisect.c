/*
 * bisect.c: the bisection engine and the repo subject.
 *
 * git itself walks the history (git bisect --no-checkout in a control
 * worktree of our own), so merges and skips mean what they mean to git.
 * kbench decides each revision: it measures the good and bad endpoints
 * first, then each step with Wald's SPRT between those two measured
 * distributions (seqtest.h), taking samples until the step is clearly
 * one or the other.  A revision that does not build is skipped.  Every
 * measurement is a stored run and every decision a bisect_step row, so
 * an interrupted bisection resumes by replaying its decisions to git.
 */
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kb.h"
#include "adhoc.h"
#include "bisect.h"
#include "cmpreport.h"
#include "db.h"
#include "runner.h"
#include "seqtest.h"

static const char *const mcol[KB_M_COUNT] = {
	"real_us", "user_us", "sys_us", "maxrss_kb", "minflt", "majflt",
	"inblock", "oublock", "nvcsw", "nivcsw"
};

/*
 * git -C dir ARGS..., stdout into out (NUL-terminated, trailing
 * newlines cut), stderr appended to log when not NULL.  Exit status.
 */
static int
git(const char *dir, const char *log, char *out, size_t len, ...)
{
	const char *argv[24];
	va_list ap;
	pid_t pid;
	ssize_t r;
	size_t n = 0, k = 0;
	int p[2], st, fd;

	argv[n++] = "git";
	argv[n++] = "-C";
	argv[n++] = dir;
	va_start(ap, len);
	while (n < 23 && (argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	if (pipe(p) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		fd = log != NULL ? open(log, O_WRONLY | O_CREAT | O_APPEND,
		    0644) : open("/dev/null", O_WRONLY);
		if (fd != -1)
			dup2(fd, 2);
		dup2(p[1], 1);
		close(p[0]);
		execvp("git", (char *const *)argv);
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		char tmp[4096];

		r = read(p[0], out != NULL && k + 1 < len ? out + k : tmp,
		    out != NULL && k + 1 < len ? len - k - 1 : sizeof(tmp));
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (out != NULL && k + 1 < len)
			k += (size_t)r;
	}
	close(p[0]);
	if (out != NULL) {
		out[k] = '\0';
		while (k > 0 && out[k - 1] == '\n')
			out[--k] = '\0';
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* ---- the repo subject ------------------------------------------------ */

struct repo_ctx {
	PGconn		*c;
	char		*repo, *dir, *build, *workload, *command;
	char		**cmdv;
	long		 timeout;
	int64_t		 wid, lid;
	char		*slot[2];
	struct bisect_subject sub;
};

struct slotrun {
	struct repo_ctx		*rc;
	struct kb_sampleset	*ss;
	int64_t			 run_id;
	int			 slot;
	bisect_enough_fn	 enough;
	void			*arg;
	int			 enough_said;
};

static int
repo_prepare(void *arg, int slot, const char *rev, const char *revert,
    char *why, size_t len)
{
	struct repo_ctx *rc = arg;
	char *log, out[256];
	struct stat st;
	int s;

	log = kb_asprintf("%s/git.log", rc->dir);
	if (stat(rc->slot[slot], &st) == -1) {
		git(rc->repo, log, NULL, 0, "worktree", "prune", NULL);
		if (git(rc->repo, log, NULL, 0, "worktree", "add", "--detach",
		    "-f", rc->slot[slot], rev, NULL) != 0) {
			snprintf(why, len, "git worktree add %s failed (see %s)",
			    rc->slot[slot], log);
			free(log);
			return -1;
		}
	} else {
		/* What the last build left is not this revision's. */
		git(rc->slot[slot], log, NULL, 0, "reset", "-q", "--hard",
		    NULL);
		git(rc->slot[slot], log, NULL, 0, "clean", "-q", "-fdx", NULL);
		if (git(rc->slot[slot], log, NULL, 0, "checkout", "-q",
		    "--detach", rev, NULL) != 0) {
			snprintf(why, len, "git checkout %s failed (see %s)",
			    rev, log);
			free(log);
			return -1;
		}
	}
	if (revert != NULL && git(rc->slot[slot], log, out, sizeof(out),
	    "revert", "--no-commit", revert, NULL) != 0) {
		snprintf(why, len, "the revert of %.12s does not apply (see %s)",
		    revert, log);
		free(log);
		return 1;
	}
	free(log);
	if (rc->build == NULL)
		return 0;
	log = kb_asprintf("%s/build-%.12s.log", rc->dir, rev);
	s = runner_shell(rc->build, rc->slot[slot], log);
	if (s != 0) {
		snprintf(why, len, "build failed with status %d (see %s)", s,
		    log);
		free(log);
		return runner_interrupted() ? -1 : 1;
	}
	free(log);
	return 0;
}

static int
repo_line(void *arg, struct agent_proc *a, const struct ap_line *l)
{
	struct slotrun *sr = a->arg;

	if (l->kind != AP_SAMPLE || sr->enough_said)
		return 0;
	kb_ss_add(sr->ss, &l->sample);
	if (db_sample_insert(sr->rc->c, sr->run_id, &l->sample) == -1)
		return -1;
	if (sr->enough != NULL && !l->sample.warmup &&
	    sr->enough(sr->arg, sr->ss)) {
		sr->enough_said = 1;
		return 1;
	}
	return 0;
}

static char *
make_ukey(void)
{
	char rnd[13], when[32];
	struct tm tm;
	time_t now = time(NULL);

	if (kb_randhex(rnd, 6) == -1)
		return NULL;
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y%m%dT%H%M%SZ", &tm);
	return kb_asprintf("%s-%s", when, rnd);
}

static int
repo_measure(void *arg, int nslots, const char *const *labels, long n,
    bisect_enough_fn enough, void *earg, struct kb_sampleset *out,
    int64_t *run_ids)
{
	struct repo_ctx *rc = arg;
	struct agent_proc proc[2];
	struct slotrun sr[2];
	struct runner_hooks h;
	struct db_run dr;
	char *argv[2][32], *env[2][4], *ukey, *rdir, *agent, id[24];
	const char *p[2];
	size_t k, j;
	int i, rrc, rc_ = 0;

	memset(proc, 0, sizeof(proc));
	memset(sr, 0, sizeof(sr));
	memset(argv, 0, sizeof(argv));
	memset(env, 0, sizeof(env));
	agent = runner_agent_path(NULL);
	for (i = 0; i < nslots; i++) {
		if ((ukey = make_ukey()) == NULL)
			return -1;
		rdir = kb_asprintf("%s/runs/%s", kb_home(), ukey);
		kb_mkdirs(rdir, 0755);
		memset(&dr, 0, sizeof(dr));
		dr.kernel_id = db_kernel_id(rc->c, labels[i]);
		dr.worker_id = rc->wid;
		dr.workload_id = rc->lid;
		dr.ukey = ukey;
		dr.source = "bisect";
		dr.state = "running";
		dr.command = rc->command;
		dr.n_planned = (int)n;
		if (dr.kernel_id == -1 ||
		    (run_ids[i] = db_run_create(rc->c, &dr)) == -1) {
			free(ukey);
			free(rdir);
			free(agent);
			return -1;
		}
		snprintf(id, sizeof(id), "%" PRId64, run_ids[i]);
		p[0] = id;
		p[1] = rdir;
		db_exec(rc->c, NULL, "UPDATE run SET log_path = $2 WHERE id = $1",
		    2, p);
		k = 0;
		argv[i][k++] = kb_strdup(agent);
		argv[i][k++] = kb_asprintf("-n%ld", n);
		argv[i][k++] = kb_asprintf("-t%ld", rc->timeout);
		if (nslots > 1) {
			argv[i][k++] = kb_strdup("-s");
			argv[i][k++] = kb_strdup(RUNNER_GATE);
			argv[i][k++] = kb_strdup("-c");
			argv[i][k++] = kb_strdup(RUNNER_GATE);
		}
		argv[i][k++] = kb_strdup("-C");
		argv[i][k++] = kb_strdup(rc->slot[i]);
		argv[i][k++] = kb_strdup("-o");
		argv[i][k++] = kb_asprintf("%s/workload.log", rdir);
		argv[i][k++] = kb_strdup("--");
		for (j = 0; rc->cmdv[j] != NULL && k < 31; j++)
			argv[i][k++] = kb_strdup(rc->cmdv[j]);
		env[i][0] = kb_asprintf("KBENCH_RESULTS_DIR=%s", rdir);
		env[i][1] = kb_asprintf("KBENCH_KERNEL=%s", labels[i]);
		env[i][2] = kb_asprintf("KBENCH_RUN=%s", ukey);
		sr[i].rc = rc;
		sr[i].ss = &out[i];
		sr[i].run_id = run_ids[i];
		sr[i].slot = i;
		/* Only a single measurement stops early. */
		sr[i].enough = nslots == 1 ? enough : NULL;
		sr[i].arg = earg;
		proc[i].label = labels[i];
		proc[i].argv = argv[i];
		proc[i].env = env[i];
		proc[i].dir = rdir;
		proc[i].reps = n;
		proc[i].arg = &sr[i];
		proc[i].fd = -1;
		free(ukey);
	}
	free(agent);
	memset(&h, 0, sizeof(h));
	h.line = repo_line;
	h.arg = rc;
	rrc = runner_run(proc, (size_t)nslots, nslots > 1, &h);
	for (i = 0; i < nslots; i++) {
		if (rrc == -1 || (out[i].n == 0)) {
			db_run_state(rc->c, run_ids[i], "failed",
			    runner_interrupted() ? "interrupted" :
			    "the agent did not measure");
			rc_ = -1;
		} else
			db_run_state(rc->c, run_ids[i], "done", NULL);
		free((char *)proc[i].dir);
		runner_free(&proc[i]);
		for (k = 0; argv[i][k] != NULL; k++)
			free(argv[i][k]);
		for (k = 0; env[i][k] != NULL; k++)
			free(env[i][k]);
	}
	return rc_;
}

static void
repo_cleanup(void *arg, int keep)
{
	struct repo_ctx *rc = arg;
	int i;

	for (i = 0; i < 2; i++) {
		if (!keep)
			git(rc->repo, NULL, NULL, 0, "worktree", "remove",
			    "--force", rc->slot[i], NULL);
		free(rc->slot[i]);
	}
	if (!keep)
		git(rc->repo, NULL, NULL, 0, "worktree", "prune", NULL);
	free(rc->repo);
	free(rc->dir);
	free(rc->build);
	free(rc->workload);
	free(rc->command);
	free(rc);
}

struct bisect_subject *
bisect_repo_subject(PGconn *c, const char *repo, const char *dir,
    const char *build, char **cmdv, const char *worker,
    const char *workload, long timeout)
{
	struct repo_ctx *rc;
	struct utsname u;
	char os[sizeof(((struct utsname *)0)->sysname)];
	size_t i;

	rc = kb_calloc(1, sizeof(*rc));
	rc->c = c;
	rc->repo = kb_strdup(repo);
	rc->dir = kb_strdup(dir);
	rc->build = build != NULL ? kb_strdup(build) : NULL;
	rc->cmdv = cmdv;
	rc->command = adhoc_join(cmdv);
	rc->workload = workload != NULL ? kb_strdup(workload) :
	    adhoc_label(cmdv);
	rc->timeout = timeout;
	rc->slot[0] = kb_asprintf("%s/slot0", dir);
	rc->slot[1] = kb_asprintf("%s/slot1", dir);
	if (uname(&u) == -1)
		memset(&u, 0, sizeof(u));
	snprintf(os, sizeof(os), "%s", u.sysname);
	for (i = 0; os[i] != '\0'; i++)
		if (os[i] >= 'A' && os[i] <= 'Z')
			os[i] += 'a' - 'A';
	rc->wid = db_worker_id(c, worker, u.machine, os, "local",
	    (int)sysconf(_SC_NPROCESSORS_ONLN));
	rc->lid = db_workload_id(c, rc->workload);
	rc->sub.name = "repo";
	rc->sub.ctx = rc;
	rc->sub.prepare = repo_prepare;
	rc->sub.measure = repo_measure;
	rc->sub.cleanup = repo_cleanup;
	if (rc->wid == -1 || rc->lid == -1) {
		repo_cleanup(rc, 1);
		return NULL;
	}
	return &rc->sub;
}

/* ---- the engine -------------------------------------------------------- */

struct bs {
	PGconn			*c;
	struct bisect_opts	*o;
	struct bisect_subject	*sub;
	int64_t			 id;
	char			 ids[24], ctl[PATH_MAX + 8], dir[PATH_MAX];
	char			 good[64], bad[64];
	int			 seq;
	double			*gv, *bv;
	size_t			 ng, nb;
	struct sq_sprt		 sprt;
	long			 steps;
	char			 ukey[65];
};

/* The counted values of a sample set for the metric. */
static size_t
counted(const struct kb_sampleset *ss, enum kb_metric m, double **out)
{
	struct kb_sampleset g;
	size_t i, n;

	memset(&g, 0, sizeof(g));
	for (i = 0; i < ss->n; i++)
		if (ss->v[i].status == 0 && !ss->v[i].timedout)
			kb_ss_add(&g, &ss->v[i]);
	n = kb_ss_values(&g, m, out);
	kb_ss_free(&g);
	return n;
}

static size_t
run_values(PGconn *c, int64_t run, enum kb_metric m, double **out)
{
	char id[24], *q;
	const char *p[1] = { id };
	double scale = kb_metric_is_time(m) ? 1e6 : 1;
	PGresult *r;
	int i, n;

	*out = NULL;
	snprintf(id, sizeof(id), "%" PRId64, run);
	q = kb_asprintf("SELECT %s FROM sample WHERE run_id = $1 AND NOT "
	    "warmup AND NOT timedout AND (status IS NULL OR status = 0) AND "
	    "%s IS NOT NULL ORDER BY rep", mcol[m], mcol[m]);
	i = db_exec(c, &r, q, 1, p);
	free(q);
	if (i == -1)
		return 0;
	n = PQntuples(r);
	*out = kb_calloc((size_t)n + 1, sizeof(double));
	for (i = 0; i < n; i++)
		(*out)[i] = strtod(PQgetvalue(r, i, 0), NULL) / scale;
	PQclear(r);
	return (size_t)n;
}

static void
subject_of(struct bs *b, const char *rev, char *out, size_t len)
{
	if (git(b->o->repo, NULL, out, len, "log", "-1", "--format=%s", rev,
	    NULL) != 0)
		snprintf(out, len, "?");
}

static int
add_step(struct bs *b, const char *kind, const char *rev, int64_t run,
    const double *v, size_t n, const struct sq_sprt_out *so,
    const char *decision, const char *detail)
{
	char seq[16], runs[24], ns[16], mean[32], sd[32], llr[32], pg[32],
	    pb[32], subj[256];
	const char *p[14];
	double m = NAN, var = NAN;

	if (n > 0)
		sq_meanvar(v, n, &m, &var);
	subject_of(b, rev, subj, sizeof(subj));
	snprintf(seq, sizeof(seq), "%d", ++b->seq);
	snprintf(runs, sizeof(runs), "%" PRId64, run);
	snprintf(ns, sizeof(ns), "%zu", n);
	snprintf(mean, sizeof(mean), "%.17g", m);
	snprintf(sd, sizeof(sd), "%.17g", sqrt(var));
	snprintf(llr, sizeof(llr), "%.17g", so != NULL ? so->llr : NAN);
	snprintf(pg, sizeof(pg), "%.17g", so != NULL ? so->p_good : NAN);
	snprintf(pb, sizeof(pb), "%.17g", so != NULL ? so->p_bad : NAN);
	p[0] = b->ids;
	p[1] = seq;
	p[2] = kind;
	p[3] = rev;
	p[4] = subj;
	p[5] = run > 0 ? runs : NULL;
	p[6] = n > 0 ? ns : NULL;
	p[7] = n > 0 ? mean : NULL;
	p[8] = n > 1 ? sd : NULL;
	p[9] = so != NULL ? llr : NULL;
	p[10] = so != NULL && !isnan(so->p_good) ? pg : NULL;
	p[11] = so != NULL && !isnan(so->p_bad) ? pb : NULL;
	p[12] = decision;
	p[13] = detail;
	return db_exec(b->c, NULL, "INSERT INTO bisect_step (bisection_id, "
	    "seq, kind, revision, subject, run_id, n, mean, stddev, llr, "
	    "p_good, p_bad, decision, detail) VALUES ($1, $2, $3, $4, $5, $6, "
	    "$7, $8, $9, $10, $11, $12, $13, $14)", 14, p);
}

static void
label_of(const char *sha, const char *suffix, char *out, size_t len)
{
	snprintf(out, len, "git:%.12s%s", sha, suffix);
}

static void
append(double **v, size_t *n, const double *x, size_t k)
{
	*v = kb_reallocarray(*v, *n + k + 1, sizeof(double));
	memcpy(*v + *n, x, k * sizeof(double));
	*n += k;
}

/*
 * Measure the endpoints, interleaved, in rounds of n until they are
 * told apart (at most three rounds); a resume keeps what it has.
 */
static int
endpoints(struct bs *b)
{
	struct kb_sampleset ss[2];
	char la[64], lb[64], why[512];
	const char *labels[2] = { la, lb };
	double *x;
	size_t k;
	int64_t runs[2];
	int rc, round;

	for (round = 0; round < 3; round++) {
		if (b->ng >= 2 && b->nb >= 2 && sq_sprt_init(&b->sprt, b->gv,
		    b->ng, b->bv, b->nb, why, sizeof(why)) == 0)
			return 0;
		if (b->ng > 0)
			printf("%s: more samples\n", why);
		printf("measuring the endpoints: good %.12s and bad %.12s, "
		    "%ld samples each, interleaved\n", b->good, b->bad,
		    b->o->n);
		fflush(stdout);
		if (b->sub->prepare(b->sub->ctx, 0, b->good, NULL, why,
		    sizeof(why)) != 0 || b->sub->prepare(b->sub->ctx, 1,
		    b->bad, NULL, why, sizeof(why)) != 0) {
			kb_warnx("endpoint: %s", why);
			return -1;
		}
		label_of(b->good, "", la, sizeof(la));
		label_of(b->bad, "", lb, sizeof(lb));
		memset(ss, 0, sizeof(ss));
		rc = b->sub->measure(b->sub->ctx, 2, labels, b->o->n, NULL,
		    NULL, ss, runs);
		if (rc == 0) {
			k = counted(&ss[0], b->o->metric, &x);
			append(&b->gv, &b->ng, x, k);
			if (add_step(b, "good", b->good, runs[0], x, k, NULL,
			    "good", NULL) == -1)
				rc = -1;
			free(x);
			k = counted(&ss[1], b->o->metric, &x);
			append(&b->bv, &b->nb, x, k);
			if (add_step(b, "bad", b->bad, runs[1], x, k, NULL,
			    "bad", NULL) == -1)
				rc = -1;
			free(x);
		}
		kb_ss_free(&ss[0]);
		kb_ss_free(&ss[1]);
		if (rc == -1)
			return -1;
	}
	return 0;
}

struct step_arg {
	struct bs		*b;
	struct sq_sprt_out	 out;
};

static int
step_enough(void *arg, const struct kb_sampleset *ss)
{
	struct step_arg *sa = arg;
	struct bs *b = sa->b;
	double *x;
	size_t n;

	n = counted(ss, b->o->metric, &x);
	sq_sprt_classify(&b->sprt, x, n, b->gv, b->ng, b->bv, b->nb,
	    &sa->out);
	free(x);
	return sa->out.cls != SQ_UNDECIDED;
}

/* git bisect's answer after its last command, in out. */
static int
first_bad(const char *out, char *sha, size_t len)
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

	st = git(b->ctl, log, out, len, "bisect", what, rev, NULL);
	free(log);
	return st;
}

/* Measure one step; record it; tell git.  0, or -1. */
static int
step(struct bs *b, const char *rev, char *out, size_t len)
{
	struct kb_sampleset ss;
	struct step_arg sa;
	char la[64], why[512], detail[600];
	const char *labels[1] = { la };
	const char *dec;
	double *x, mean, var;
	size_t n;
	int64_t run;
	int rc;

	memset(&sa, 0, sizeof(sa));
	sa.b = b;
	rc = b->sub->prepare(b->sub->ctx, 0, rev, NULL, why, sizeof(why));
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
	label_of(rev, "", la, sizeof(la));
	memset(&ss, 0, sizeof(ss));
	if (b->sub->measure(b->sub->ctx, 1, labels, b->o->max_n, step_enough,
	    &sa, &ss, &run) == -1) {
		kb_ss_free(&ss);
		return -1;
	}
	n = counted(&ss, b->o->metric, &x);
	kb_ss_free(&ss);
	sq_sprt_classify(&b->sprt, x, n, b->gv, b->ng, b->bv, b->nb, &sa.out);
	if (sa.out.cls == SQ_UNDECIDED) {
		/* Too few good samples (failed repetitions): nearer side. */
		sa.out.cls = sa.out.llr > 0 ? SQ_BAD : SQ_GOOD;
		sa.out.at_cap = 1;
	}
	dec = sq_class_name(sa.out.cls);
	snprintf(detail, sizeof(detail), "SPRT log LR %+.2f after %zu "
	    "samples%s", sa.out.llr, n, sa.out.at_cap ? " (cap reached: "
	    "the nearer endpoint)" : "");
	sq_meanvar(x, n, &mean, &var);
	printf("  %.12s: %s, mean %.6g from %zu samples (good %.6g, bad "
	    "%.6g; %s)\n", rev, dec, mean, n, b->sprt.mu_g, b->sprt.mu_b,
	    detail);
	fflush(stdout);
	rc = add_step(b, "step", rev, run, x, n, &sa.out, dec, detail);
	free(x);
	b->steps++;
	if (rc == -1)
		return -1;
	return bisect_cmd(b, dec, rev, out, len) == 0 ? 0 : -1;
}

/* Measure a against b interleaved; Welch of b against a.  0 or -1. */
static int
pair(struct bs *b, const char *ka, const char *ra, const char *reverta,
    const char *kb_, const char *rb, struct sq_welch *w)
{
	struct kb_sampleset ss[2];
	char la[64], lb[64], why[512];
	const char *labels[2] = { la, lb };
	double *va = NULL, *vb = NULL;
	size_t na, nb;
	int64_t runs[2];
	int rc;

	if ((rc = b->sub->prepare(b->sub->ctx, 0, ra, reverta, why,
	    sizeof(why))) != 0 || (rc = b->sub->prepare(b->sub->ctx, 1, rb,
	    NULL, why, sizeof(why))) != 0) {
		printf("  %s: %s\n", ka, why);
		return -1;
	}
	label_of(ra, reverta != NULL ? "+revert" : "", la, sizeof(la));
	label_of(rb, "", lb, sizeof(lb));
	memset(ss, 0, sizeof(ss));
	rc = b->sub->measure(b->sub->ctx, 2, labels, b->o->n, NULL, NULL, ss,
	    runs);
	if (rc == 0) {
		na = counted(&ss[0], b->o->metric, &va);
		nb = counted(&ss[1], b->o->metric, &vb);
		if (sq_welch(va, na, vb, nb, 0.01, w) == -1)
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
	const char *p[5] = { b->ids, state, reason, culprit, subj };

	db_exec(b->c, NULL, "UPDATE bisection SET state = $2, reason = $3, "
	    "culprit = $4, culprit_subject = $5, finished = CASE WHEN $2 = "
	    "'running' THEN NULL ELSE now() END WHERE id = $1", 5, p);
}

static void
set_num(struct bs *b, const char *col, double v)
{
	char num[32], *q;
	const char *p[2] = { b->ids, num };

	snprintf(num, sizeof(num), "%.17g", v);
	/* col is one of ours, never the user's. */
	q = kb_asprintf("UPDATE bisection SET %s = $2 WHERE id = $1", col);
	db_exec(b->c, NULL, q, 2, p);
	free(q);
}

/* The confirmation: the culprit against its parent, and its revert. */
static void
confirm(struct bs *b, const char *culprit)
{
	struct sq_welch w;
	char parent[64], *spec;
	double want = b->sprt.mu_b - b->sprt.mu_g;
	int st;

	spec = kb_asprintf("%s^", culprit);
	st = git(b->o->repo, NULL, parent, sizeof(parent), "rev-parse",
	    "--verify", "-q", spec, NULL);
	free(spec);
	if (st != 0) {
		printf("confirmation: %.12s has no parent to measure\n",
		    culprit);
		return;
	}
	printf("confirming: parent %.12s against culprit %.12s, %ld samples "
	    "each, interleaved\n", parent, culprit, b->o->n);
	fflush(stdout);
	if (pair(b, "parent", parent, NULL, "culprit", culprit, &w) == 0) {
		set_num(b, "confirm_diff_pct", w.diff_pct);
		set_num(b, "confirm_p", w.p);
		printf("confirmation: culprit vs parent %+.2f%% [%+.2f%%, "
		    "%+.2f%% at 99%%], Welch p = %.3g: %s\n", w.diff_pct,
		    w.lo_pct, w.hi_pct, w.p, w.p < 0.01 && w.diff * want > 0 ?
		    "confirmed" : "NOT confirmed (the change may be spread "
		    "over several commits, or noise)");
	}
	if (!b->o->confirm_revert)
		return;
	printf("confirming: culprit %.12s with its revert applied against "
	    "the culprit\n", culprit);
	fflush(stdout);
	if (pair(b, "revert", culprit, culprit, "culprit", culprit, &w) == 0) {
		/* b: culprit, a: culprit+revert; the revert should undo. */
		set_num(b, "revert_diff_pct", -w.diff_pct);
		set_num(b, "revert_p", w.p);
		printf("confirmation: reverting it changes %+.2f%%, Welch p = "
		    "%.3g: %s\n", -w.diff_pct, w.p, w.p < 0.01 &&
		    -w.diff * want < 0 ? "the revert undoes the change" :
		    "the revert does NOT undo the change");
	}
}

/* The bisection row for this request: resumed, or new. */
static void
make_key(struct bs *b)
{
	struct bisect_opts *o = b->o;
	char *key, *cmd;

	cmd = adhoc_join(o->cmdv);
	key = kb_asprintf("%s\n%s\n%s\n%s\n%s\n%s\n%s\n%ld", o->repo,
	    b->good, b->bad, cmd, o->build ? o->build : "",
	    kb_metric_name(o->metric), o->worker, o->n);
	kb_sha256_hex(key, strlen(key), b->ukey);
	free(key);
	free(cmd);
}

static int
find_or_create(struct bs *b)
{
	char n[16], *cmd;
	const char *p[12];
	PGresult *r;
	struct bisect_opts *o = b->o;

	cmd = adhoc_join(o->cmdv);
	snprintf(n, sizeof(n), "%ld", o->n);
	p[0] = b->ukey;
	if (o->resume == 0) {
		if (db_exec(b->c, &r, "SELECT id FROM bisection WHERE ukey = $1 "
		    "AND state = 'running' ORDER BY id DESC LIMIT 1", 1,
		    p) == -1) {
			free(cmd);
			return -1;
		}
		if (PQntuples(r) == 1) {
			b->id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
			printf("resuming bisection %" PRId64 "\n", b->id);
		}
		PQclear(r);
	} else {
		b->id = o->resume;
		printf("resuming bisection %" PRId64 "\n", b->id);
	}
	if (b->id == 0) {
		p[1] = o->repo;
		p[2] = o->good;
		p[3] = o->bad;
		p[4] = b->good;
		p[5] = b->bad;
		p[6] = o->worker;
		p[7] = kb_metric_name(o->metric);
		p[8] = cmd;
		p[9] = o->build;
		p[10] = n;
		p[11] = o->workload;
		if (db_exec(b->c, &r, "INSERT INTO bisection (ukey, repo, good, "
		    "bad, good_sha, bad_sha, worker_id, metric, command, build, "
		    "n, workload_id) VALUES ($1, $2, $3, $4, $5, $6, "
		    "(SELECT id FROM worker WHERE name = $7), $8, $9, $10, $11, "
		    "(SELECT id FROM workload WHERE name = $12)) RETURNING id",
		    12, p) == -1) {
			free(cmd);
			return -1;
		}
		b->id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
		printf("bisection %" PRId64 ": %s, good %.12s, bad %.12s\n",
		    b->id, o->repo, b->good, b->bad);
	}
	free(cmd);
	snprintf(b->ids, sizeof(b->ids), "%" PRId64, b->id);
	return 0;
}

/* Replay what is stored: endpoints' samples, decisions to git. */
static int
replay(struct bs *b, char *out, size_t len)
{
	const char *p[1] = { b->ids };
	PGresult *r;
	int i, n;
	int64_t run;
	const char *kind, *dec, *rev;

	if (db_exec(b->c, &r, "SELECT seq, kind, revision, decision, "
	    "COALESCE(run_id, 0) FROM bisect_step WHERE bisection_id = $1 "
	    "ORDER BY seq", 1, p) == -1)
		return -1;
	n = PQntuples(r);
	for (i = 0; i < n; i++) {
		b->seq = atoi(PQgetvalue(r, i, 0));
		kind = PQgetvalue(r, i, 1);
		rev = PQgetvalue(r, i, 2);
		dec = PQgetvalue(r, i, 3);
		run = strtoll(PQgetvalue(r, i, 4), NULL, 10);
		if (strcmp(kind, "good") == 0 || strcmp(kind, "bad") == 0) {
			double *x;
			size_t k = run_values(b->c, run, b->o->metric, &x);

			if (*kind == 'g')
				append(&b->gv, &b->ng, x, k);
			else
				append(&b->bv, &b->nb, x, k);
			free(x);
		} else if (strcmp(kind, "step") == 0) {
			b->steps++;
			if (bisect_cmd(b, dec, rev, out, len) != 0) {
				PQclear(r);
				return -1;
			}
		}
	}
	PQclear(r);
	return 0;
}

static int
resolve(const char *repo, const char *rev, char *out, size_t len)
{
	char spec[512];

	snprintf(spec, sizeof(spec), "%s^{commit}", rev);
	return git(repo, NULL, out, len, "rev-parse", "--verify", "-q", spec,
	    NULL) == 0 && strlen(out) >= 40 ? 0 : -1;
}

int
bisect_run(PGconn *c, struct bisect_opts *o)
{
	struct bs b;
	char out[8192], sha[64], subj[256], next[64], why[600], *log;
	char *wl = NULL;
	int rc = KB_EXIT_ERR;

	memset(&b, 0, sizeof(b));
	b.c = c;
	b.o = o;
	if (resolve(o->repo, o->good, b.good, sizeof(b.good)) == -1 ||
	    resolve(o->repo, o->bad, b.bad, sizeof(b.bad)) == -1) {
		kb_warnx("%s: cannot resolve --good %s or --bad %s to commits",
		    o->repo, o->good, o->bad);
		return KB_EXIT_ERR;
	}
	/* The subject first: it makes the worker and workload rows. */
	make_key(&b);
	snprintf(b.dir, sizeof(b.dir), "%s/bisect/%.16s", kb_home(), b.ukey);
	snprintf(b.ctl, sizeof(b.ctl), "%s/ctl", b.dir);
	if (kb_mkdirs(b.dir, 0755) == -1)
		return KB_EXIT_ERR;
	if (o->workload == NULL)
		o->workload = wl = adhoc_label(o->cmdv);
	b.sub = bisect_repo_subject(c, o->repo, b.dir, o->build, o->cmdv,
	    o->worker, o->workload, o->timeout);
	if (b.sub == NULL || find_or_create(&b) == -1) {
		if (b.sub != NULL)
			b.sub->cleanup(b.sub->ctx, 0);
		free(wl);
		return KB_EXIT_ERR;
	}
	/* git's own bisect state, in a worktree of ours, from scratch. */
	log = kb_asprintf("%s/git.log", b.dir);
	git(o->repo, log, NULL, 0, "worktree", "remove", "--force", b.ctl,
	    NULL);
	git(o->repo, log, NULL, 0, "worktree", "prune", NULL);
	if (git(o->repo, log, NULL, 0, "worktree", "add", "--detach",
	    "--no-checkout", "-f", b.ctl, b.bad, NULL) != 0 ||
	    git(b.ctl, log, out, sizeof(out), "bisect", "start",
	    "--no-checkout", b.bad, b.good, NULL) != 0) {
		kb_warnx("git bisect start failed in %s (see %s)", b.ctl, log);
		free(log);
		goto done;
	}
	free(log);
	if (replay(&b, out, sizeof(out)) == -1)
		goto fail;
	if (endpoints(&b) == -1)
		goto fail;
	if (sq_sprt_init(&b.sprt, b.gv, b.ng, b.bv, b.nb, why,
	    sizeof(why)) == -1) {
		kb_warnx("%s", why);
		set_result(&b, "failed", why, NULL, NULL);
		goto done;
	}
	b.sprt.max_n = (int)o->max_n;
	printf("good %.6g, bad %.6g (%+.2f%%), sigma %.3g: deciding each step "
	    "by SPRT, 3 to %ld samples\n", b.sprt.mu_g, b.sprt.mu_b,
	    (b.sprt.mu_b - b.sprt.mu_g) / b.sprt.mu_g * 100, b.sprt.sigma,
	    o->max_n);
	fflush(stdout);
	while (!first_bad(out, sha, sizeof(sha))) {
		if (strstr(out, "only 'skip'ped commits left") != NULL) {
			printf("%s\n", out);
			set_result(&b, "failed", "only skipped commits left",
			    NULL, NULL);
			goto done;
		}
		if (git(b.ctl, NULL, next, sizeof(next), "rev-parse",
		    "BISECT_HEAD", NULL) != 0) {
			kb_warnx("git bisect: no next revision:\n%s", out);
			goto fail;
		}
		out[0] = '\0';
		if (step(&b, next, out, sizeof(out)) == -1)
			goto fail;
	}
	subject_of(&b, sha, subj, sizeof(subj));
	printf("%ld revisions measured besides the endpoints\n", b.steps);
	set_result(&b, "running", NULL, sha, subj);
	confirm(&b, sha);
	set_result(&b, "done", NULL, sha, subj);
	printf("first bad commit: %s %s\n", sha, subj);
	rc = KB_EXIT_OK;
	goto done;
fail:
	if (runner_interrupted())
		printf("bisection %" PRId64 " interrupted: run the same command "
		    "again, or kbench bisect --resume %" PRId64 ", to go on\n",
		    b.id, b.id);
	else
		set_result(&b, "failed", "see the output of kbench bisect",
		    NULL, NULL);
done:
	git(b.ctl, NULL, NULL, 0, "bisect", "reset", NULL);
	git(o->repo, NULL, NULL, 0, "worktree", "remove", "--force", b.ctl,
	    NULL);
	b.sub->cleanup(b.sub->ctx, 0);
	free(b.gv);
	free(b.bv);
	free(wl);
	return rc;
}

/* kbench bisect log. */
int
bisect_log(PGconn *c, int64_t id, int json)
{
	char ids[24];
	const char *p[1] = { ids };
	PGresult *r, *s;
	double *v;
	size_t nv, k;
	int i, n;
	enum kb_metric m = KB_M_REAL;

	snprintf(ids, sizeof(ids), "%" PRId64, id);
	if (db_exec(c, &r, "SELECT id, repo, good, bad, good_sha, bad_sha, "
	    "metric, COALESCE(command, ''), state, COALESCE(culprit, ''), "
	    "COALESCE(culprit_subject, ''), COALESCE(reason, ''), "
	    "confirm_diff_pct, confirm_p FROM bisection WHERE "
	    "id = CASE WHEN $1::bigint = 0 THEN (SELECT max(id) FROM "
	    "bisection) ELSE $1::bigint END", 1, p) == -1)
		return KB_EXIT_ERR;
	if (PQntuples(r) != 1) {
		PQclear(r);
		kb_warnx("no bisection %s", id ? ids : "yet");
		return KB_EXIT_ERR;
	}
	kb_metric_parse(PQgetvalue(r, 0, 6), &m);
	snprintf(ids, sizeof(ids), "%s", PQgetvalue(r, 0, 0));
	if (db_exec(c, &s, "SELECT seq, kind, revision, COALESCE(subject, ''),"
	    " COALESCE(run_id, 0), COALESCE(n, 0), mean, stddev, llr, p_good, "
	    "p_bad, decision, COALESCE(detail, '') FROM bisect_step WHERE "
	    "bisection_id = $1 ORDER BY seq", 1, p) == -1) {
		PQclear(r);
		return KB_EXIT_ERR;
	}
	n = PQntuples(s);
	if (json) {
		printf("{\"id\": %s, \"repo\": ", ids);
		cmp_json_string(stdout, PQgetvalue(r, 0, 1));
		printf(", \"good\": ");
		cmp_json_string(stdout, PQgetvalue(r, 0, 4));
		printf(", \"bad\": ");
		cmp_json_string(stdout, PQgetvalue(r, 0, 5));
		printf(", \"metric\": ");
		cmp_json_string(stdout, PQgetvalue(r, 0, 6));
		printf(", \"state\": ");
		cmp_json_string(stdout, PQgetvalue(r, 0, 8));
		printf(", \"culprit\": ");
		cmp_json_string(stdout, PQgetvalue(r, 0, 9));
		printf(", \"steps\": [");
		for (i = 0; i < n; i++) {
			printf("%s\n  {\"seq\": %s, \"kind\": ", i ? "," : "",
			    PQgetvalue(s, i, 0));
			cmp_json_string(stdout, PQgetvalue(s, i, 1));
			printf(", \"revision\": ");
			cmp_json_string(stdout, PQgetvalue(s, i, 2));
			printf(", \"subject\": ");
			cmp_json_string(stdout, PQgetvalue(s, i, 3));
			printf(", \"run\": %s, \"decision\": ",
			    PQgetvalue(s, i, 4));
			cmp_json_string(stdout, PQgetvalue(s, i, 11));
			printf(", \"llr\": ");
			cmp_json_number(stdout, PQgetisnull(s, i, 8) ? NAN :
			    strtod(PQgetvalue(s, i, 8), NULL));
			printf(", \"samples\": [");
			nv = run_values(c, strtoll(PQgetvalue(s, i, 4), NULL,
			    10), m, &v);
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
		    "metric %s: %s\n", ids, PQgetvalue(r, 0, 1),
		    PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 4),
		    PQgetvalue(r, 0, 3), PQgetvalue(r, 0, 5),
		    PQgetvalue(r, 0, 6), PQgetvalue(r, 0, 8));
		printf("  command: %s\n", PQgetvalue(r, 0, 7));
		for (i = 0; i < n; i++)
			printf("  %2s %-7s %.12s %-8s n=%-3s mean=%-10.6g "
			    "run=%s %s  %s\n", PQgetvalue(s, i, 0),
			    PQgetvalue(s, i, 1), PQgetvalue(s, i, 2),
			    PQgetvalue(s, i, 11), PQgetvalue(s, i, 5),
			    PQgetisnull(s, i, 6) ? NAN :
			    strtod(PQgetvalue(s, i, 6), NULL),
			    PQgetvalue(s, i, 4), PQgetvalue(s, i, 3),
			    PQgetvalue(s, i, 12));
		if (*PQgetvalue(r, 0, 9) != '\0')
			printf("first bad commit: %s %s\n", PQgetvalue(r, 0, 9),
			    PQgetvalue(r, 0, 10));
		if (*PQgetvalue(r, 0, 11) != '\0')
			printf("  reason: %s\n", PQgetvalue(r, 0, 11));
	}
	PQclear(s);
	PQclear(r);
	return KB_EXIT_OK;
}
