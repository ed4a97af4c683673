/*
 * bisect_repo.c: the repo subject.  A revision of any git repository
 * is checked out into a worktree of ours (one per slot, under the
 * bisection's directory, so the user's tree is never touched), built
 * with the user's build command, and timed by kbench-agent on the local
 * worker, one stored run per slot and measurement.
 */
#include <sys/stat.h>
#include <sys/utsname.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/util.h"
#include "lib/sample.h"
#include "lib/adhoc.h"
#include "format/agentcmd.h"
#include "engine/bisect_git.h"
#include "engine/bisect_repo.h"
#include "store/db.h"
#include "worker/runner.h"
struct repo_ctx {
	PGconn		*c;
	char		*repo, *dir, *build, *workload, *command;
	char		**cmdv;
	long		 timeout;
	int		 insn;		/* kbench-agent -i */
	int64_t		 wid, lid;
	char		*slot[BISECT_SLOTS];
	char		*ready[BISECT_SLOTS];	/* what the slot holds, built */
	struct bisect_subject sub;
};

struct slotrun {
	struct repo_ctx		*rc;
	struct kb_sampleset	*ss, *all;
	int			 nall;
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
	char *key;
	int s;

	/* The endpoints' slots are measured again at every step. */
	key = kb_asprintf("%s%s%s", rev, revert != NULL ? "+revert:" : "",
	    revert != NULL ? revert : "");
	if (rc->ready[slot] != NULL && strcmp(rc->ready[slot], key) == 0 &&
	    stat(rc->slot[slot], &st) == 0) {
		free(key);
		return 0;
	}
	free(rc->ready[slot]);
	rc->ready[slot] = NULL;
	log = kb_asprintf("%s/git.log", rc->dir);
	if (stat(rc->slot[slot], &st) == -1) {
		bisect_git(rc->repo, log, NULL, 0, "worktree", "prune", NULL);
		if (bisect_git(rc->repo, log, NULL, 0, "worktree", "add",
		    "--detach", "-f", rc->slot[slot], rev, NULL) != 0) {
			snprintf(why, len, "git worktree add %s failed (see %s)",
			    rc->slot[slot], log);
			free(log);
			free(key);
			return -1;
		}
	} else {
		/* What the last build left is not this revision's. */
		bisect_git(rc->slot[slot], log, NULL, 0, "reset", "-q",
		    "--hard", NULL);
		bisect_git(rc->slot[slot], log, NULL, 0, "clean", "-q", "-fdx",
		    NULL);
		if (bisect_git(rc->slot[slot], log, NULL, 0, "checkout", "-q",
		    "--detach", rev, NULL) != 0) {
			snprintf(why, len, "git checkout %s failed (see %s)",
			    rev, log);
			free(log);
			free(key);
			return -1;
		}
	}
	if (revert != NULL && bisect_git(rc->slot[slot], log, out, sizeof(out),
	    "revert", "--no-commit", revert, NULL) != 0) {
		snprintf(why, len, "the revert of %.12s does not apply (see %s)",
		    revert, log);
		free(log);
		free(key);
		return 1;
	}
	free(log);
	if (rc->build != NULL) {
		log = kb_asprintf("%s/build-%.12s.log", rc->dir, rev);
		s = runner_shell(rc->build, rc->slot[slot], log);
		if (s != 0) {
			snprintf(why, len, "build failed with status %d (see "
			    "%s)", s, log);
			free(log);
			free(key);
			return runner_interrupted() ? -1 : 1;
		}
		free(log);
	}
	rc->ready[slot] = key;
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
	    sr->enough(sr->arg, sr->all, sr->nall)) {
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

/*
 * A new stored run for one slot's measurement of the kernel labelled
 * label, with its directory (*rdirp) and key (*ukeyp), both for the
 * caller to free; -1 with nothing to free.
 */
static int64_t
run_row(struct repo_ctx *rc, const char *label, long n, char **ukeyp,
    char **rdirp)
{
	struct db_run dr;
	char *ukey, *rdir;
	int64_t id;

	if ((ukey = make_ukey()) == NULL)
		return -1;
	rdir = kb_asprintf("%s/runs/%s", kb_home(), ukey);
	kb_mkdirs(rdir, 0755);
	memset(&dr, 0, sizeof(dr));
	dr.kernel_id = db_kernel_id(rc->c, label);
	dr.worker_id = rc->wid;
	dr.workload_id = rc->lid;
	dr.ukey = ukey;
	dr.source = "bisect";
	dr.state = "running";
	dr.command = rc->command;
	dr.n_planned = (int)n;
	if (dr.kernel_id == -1 || (id = db_run_create(rc->c, &dr)) == -1) {
		free(ukey);
		free(rdir);
		return -1;
	}
	db_run_log_path(rc->c, id, rdir);
	*ukeyp = ukey;
	*rdirp = rdir;
	return id;
}

/*
 * kbench-agent's argv (31 words at most) for a slot's worktree, as
 * agentcmd.c builds it, in the caller's fixed array (zeroed), whose
 * words runs_end() frees.
 */
static void
slot_argv(char **argv, const struct repo_ctx *rc, const char *agent,
    long n, int nslots, const char *slot, const char *rdir)
{
	struct agent_cmd ac;
	char **v;
	size_t k;

	memset(&ac, 0, sizeof(ac));
	ac.agent = agent;
	ac.n = n;
	ac.timeout = rc->timeout;
	ac.dir = slot;
	ac.setup = ac.cleanup = nslots > 1 ? RUNNER_GATE : NULL;
	ac.log = kb_asprintf("%s/workload.log", rdir);
	ac.cmdv = rc->cmdv;
	ac.insn = rc->insn;
	v = agent_argv(&ac);
	free((char *)ac.log);
	for (k = 0; v[k] != NULL; k++)
		if (k < 31)
			argv[k] = v[k];
		else
			free(v[k]);
	free(v);
}

/*
 * Each run's end state (failed when the runner failed or the agent
 * measured nothing: -1), and the agents' memory freed.
 */
static int
runs_end(struct repo_ctx *rc, int nslots, int rrc, struct agent_proc *proc,
    char *argv[][32], char *env[][4], const struct kb_sampleset *out,
    const int64_t *run_ids)
{
	size_t k;
	int i, rc_ = 0;

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
		/* argv[i] is ours, not agent_argv()'s: its words only. */
		for (k = 0; argv[i][k] != NULL; k++)
			free(argv[i][k]);
		for (k = 0; env[i][k] != NULL; k++)
			free(env[i][k]);
	}
	return rc_;
}

static int
repo_measure(void *arg, int nslots, const int *slots,
    const char *const *labels, long n, bisect_enough_fn enough, void *earg,
    struct kb_sampleset *out, int64_t *run_ids)
{
	struct repo_ctx *rc = arg;
	struct agent_proc proc[BISECT_SLOTS];
	struct slotrun sr[BISECT_SLOTS];
	struct runner_hooks h;
	char *argv[BISECT_SLOTS][32], *env[BISECT_SLOTS][4], *ukey, *rdir;
	char *agent;
	int i, rrc;

	memset(proc, 0, sizeof(proc));
	memset(sr, 0, sizeof(sr));
	memset(argv, 0, sizeof(argv));
	memset(env, 0, sizeof(env));
	if (nslots < 1 || nslots > BISECT_SLOTS)
		return -1;
	agent = runner_agent_path(NULL);
	for (i = 0; i < nslots; i++) {
		run_ids[i] = run_row(rc, labels[i], n, &ukey, &rdir);
		if (run_ids[i] == -1) {
			free(agent);
			return -1;
		}
		slot_argv(argv[i], rc, agent, n, nslots, rc->slot[slots[i]],
		    rdir);
		env[i][0] = kb_asprintf("KBENCH_RESULTS_DIR=%s", rdir);
		env[i][1] = kb_asprintf("KBENCH_KERNEL=%s", labels[i]);
		env[i][2] = kb_asprintf("KBENCH_RUN=%s", ukey);
		sr[i].rc = rc;
		sr[i].ss = &out[i];
		sr[i].run_id = run_ids[i];
		sr[i].slot = slots[i];
		sr[i].all = out;
		sr[i].nall = nslots;
		/* Asked after every sample; it knows a round's end. */
		sr[i].enough = enough;
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
	rrc = runner_run(proc, (size_t)nslots, nslots > 1 ? RUNNER_ROTATE : 0,
	    &h);
	return runs_end(rc, nslots, rrc, proc, argv, env, out, run_ids);
}

static void
repo_cleanup(void *arg, int keep)
{
	struct repo_ctx *rc = arg;
	int i;

	for (i = 0; i < BISECT_SLOTS; i++) {
		free(rc->ready[i]);
		if (!keep)
			bisect_git(rc->repo, NULL, NULL, 0, "worktree", "remove",
			    "--force", rc->slot[i], NULL);
		free(rc->slot[i]);
	}
	if (!keep)
		bisect_git(rc->repo, NULL, NULL, 0, "worktree", "prune", NULL);
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
    const char *workload, long timeout, int insn)
{
	struct repo_ctx *rc;
	struct utsname u;
	char os[sizeof(((struct utsname *)0)->sysname)];
	size_t i;

	if (insn && runner_insn_ready("bisect --repo") == -1)
		return NULL;
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
	rc->insn = insn;
	for (i = 0; i < BISECT_SLOTS; i++)
		rc->slot[i] = kb_asprintf("%s/slot%zu", dir, i);
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
