/*
 * cmd_run.c: kbench run: run a workload (or an ad hoc command) on a
 * worker through kbench-agent and store every sample as it arrives.
 *
 * Several --variant options make an interleaved run: one run per
 * variant, each stored under the variant's label as its kernel, and
 * the repetitions taken A B A B ... so that drift (a warming machine,
 * a neighbour's cron job) hits every side alike.  kbench compare then
 * reads them back with no extra step.
 */
#include <sys/stat.h>
#include <sys/utsname.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wordexp.h>

#include "lib/util.h"
#include "lib/sample.h"
#include "lib/adhoc.h"
#include "cmd/cmd.h"
#include "format/config.h"
#include "store/db.h"
#include "store/connect.h"
#include "format/ports.h"
#include "lib/progress.h"
#include "lib/label.h"
#include "format/agentcmd.h"
#include "store/resume.h"
#include "worker/runner.h"
#include "stats/seqtest.h"
#include "stats/stats.h"
#include "store/store.h"

#define MAX_VARIANTS	16

/* One variant: one run row, one agent, one directory. */
struct variant {
	char		*label;		/* kernel label */
	const char	*cmd;		/* its own command, or NULL */
	char		*ukey;
	char		*dir;		/* $KBENCH_HOME/runs/UKEY */
	char		*command;	/* what is timed, for the record */
	int64_t		 run_id;
	struct store_run *sr;		/* database or spool (store.h) */
	struct kb_sampleset ss;
	long		 store_failed;
	struct agent_proc *proc;
	char		**argv;
	char		*env[8];
};

struct run {
	/* From the command line. */
	const char	*worker_name;
	const char	*workload;	/* --workload */
	const char	*kernel;	/* --kernel */
	const char	*conf;		/* --config */
	long		 n, warmup, timeout;
	char		**cmdv;		/* after --, or NULL */
	char		*vspec[MAX_VARIANTS];
	size_t		 nvspec;

	struct kb_config cfg;
	const struct kb_worker *worker;
	const struct kb_recipe *recipe;	/* NULL for ad hoc */
	char		*wl_name;	/* workload label stored */
	char		*dir;		/* recipe dir, expanded */
	struct variant	 v[MAX_VARIANTS];
	struct agent_proc proc[MAX_VARIANTS];	/* one per variant */
	const char	*labels[MAX_VARIANTS];
	size_t		 nv;
	int		 named;		/* by --variant */
	/* --until-verdict: a sequential test of variant 2 against 1. */
	int		 until;
	long		 max_n;
	long		 best_of;	/* a side's value: the least of K */
	enum kb_metric	 metric;
	struct sq_plan	 sq;
	struct sq_look	 look;		/* the last one taken */
	int		 verdict;	/* the test ended the run */
	PGconn		*conn;		/* NULL while the database is away */
	struct store	*st;
	const char	*resume;	/* --resume RUN */
	struct resume_info ri;
	int		 rep0;		/* resumed: reps stored before */
	struct progress	 prog;
};

static const struct option longopts[] = {
	{ "worker", required_argument, NULL, 'W' },
	{ "workload", required_argument, NULL, 'L' },
	{ "kernel", required_argument, NULL, 'K' },
	{ "variant", required_argument, NULL, 'V' },
	{ "config", required_argument, NULL, 'C' },
	{ "resume", required_argument, NULL, 'R' },
	{ "until-verdict", no_argument, NULL, 'U' },
	{ "max-n", required_argument, NULL, 'N' },
	{ "metric", required_argument, NULL, 'M' },
	{ "threshold", required_argument, NULL, 'T' },
	{ "best-of", required_argument, NULL, 'B' },
	{ NULL, 0, NULL, 0 }
};

/* One getopt option into r; 0, or the usage error's exit status. */
static int
run_opt(struct run *r, int ch, char *arg, const char *cur)
{
	char *end_p;

	switch (ch) {
	case 'W':
		r->worker_name = arg;
		break;
	case 'L':
		r->workload = arg;
		break;
	case 'K':
		r->kernel = arg;
		break;
	case 'V':
		if (r->nvspec == MAX_VARIANTS)
			return kb_usage_error("run", "at most %d "
			    "variants", MAX_VARIANTS);
		r->vspec[r->nvspec++] = arg;
		break;
	case 'C':
		r->conf = arg;
		break;
	case 'R':
		r->resume = arg;
		break;
	case 'n':
		if (kb_parse_long(arg, 1, 1000000, &r->n) == -1)
			return kb_usage_error("run", "-n %s: expected "
			    "a count from 1 to 1000000", arg);
		break;
	case 'w':
		if (kb_parse_long(arg, 0, 1000000, &r->warmup) == -1)
			return kb_usage_error("run", "-w %s: expected "
			    "a count from 0 to 1000000", arg);
		break;
	case 't':
		if (kb_parse_long(arg, 0, 366L * 86400, &r->timeout) == -1)
			return kb_usage_error("run", "-t %s: expected "
			    "seconds (0 = none)", arg);
		break;
	case 'q':
		kb_quiet = 1;
		break;
	case 'U':
		r->until = 1;
		break;
	case 'N':
		if (kb_parse_long(arg, 3, 100000, &r->max_n) == -1)
			return kb_usage_error("run", "--max-n %s: "
			    "expected a count from 3 to 100000", arg);
		break;
	case 'B':
		if (kb_parse_long(arg, 1, 10, &r->best_of) == -1)
			return kb_usage_error("run", "--best-of %s: "
			    "expected a count from 1 to 10", arg);
		break;
	case 'M':
		if (kb_metric_parse(arg, &r->metric) == -1)
			return cmd_unknown_metric("run", arg);
		break;
	case 'T':
		r->sq.margin_pct = strtod(arg, &end_p);
		if (*arg == '\0' || *end_p != '\0' ||
		    !(r->sq.margin_pct > 0 && r->sq.margin_pct < 100))
			return kb_usage_error("run", "--threshold %s: "
			    "expected a percentage above 0", arg);
		break;
	default:
		return kb_usage_error("run", "unknown option or "
		    "missing value: %s", cur);
	}
	return 0;
}

static int
parse_args(struct run *r, int argc, char **argv)
{
	int ch, i, rc, end = argc;

	/* Everything after "--" is the command, never our options. */
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			end = i;
			r->cmdv = argv + i + 1;
			if (r->cmdv[0] == NULL)
				return kb_usage_error("run", "no command "
				    "after --");
			break;
		}
	r->n = r->warmup = r->timeout = r->max_n = -1;
	r->best_of = 1;
	r->metric = KB_M_REAL;
	sq_plan_default(&r->sq);
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(end, argv, "+n:qt:w:", longopts,
	    NULL)) != -1)
		if ((rc = run_opt(r, ch, optarg, argv[optind - 1])) != 0)
			return rc;
	if (optind < end)
		return kb_usage_error("run", "unexpected argument '%s' (a "
		    "command goes after --)", argv[optind]);
	if (r->worker_name == NULL)
		r->worker_name = "local";
	/* insn_user alone: each repetition counted too, no test. */
	if (!r->until && (r->max_n != -1 || (r->metric != KB_M_REAL &&
	    r->metric != KB_M_INSN_USER) || r->best_of != 1))
		return kb_usage_error("run", "--max-n, --metric and --best-of "
		    "go with --until-verdict (--metric insn_user also "
		    "without)");
	return 0;
}

static char *
running_kernel(void)
{
	struct utsname u;

	if (uname(&u) == -1)
		return kb_strdup("unknown");
	/* uname -sr: the version (build number, date) made a long label. */
	return kb_asprintf("%s %s", u.sysname, u.release);
}

/* A --workload that names a configured workload brings its recipe. */
static int
plan_recipe(struct run *r)
{
	const struct kb_workload *wl;

	wl = r->workload != NULL ?
	    kb_config_find_workload(&r->cfg, r->workload) : NULL;
	if (r->cmdv != NULL && wl != NULL)
		return kb_usage_error("run", "--workload %s names a "
		    "configured workload (%s); label an ad hoc command "
		    "differently", r->workload, wl->file);
	if (wl != NULL) {
		r->recipe = kb_config_workload(&r->cfg, wl->name,
		    r->worker->os);
		if (r->recipe == NULL) {
			kb_warnx("workload %s (%s) has no %s section for "
			    "worker %s", wl->name, wl->file, r->worker->os,
			    r->worker->name);
			return KB_EXIT_ERR;
		}
		r->wl_name = kb_strdup(wl->name);
	}
	return 0;
}

/* --variant LABEL or LABEL=CMD number i: checked, added to r->v. */
static int
plan_variant(struct run *r, size_t i)
{
	struct variant *v;
	char *eq;
	size_t j;

	v = &r->v[r->nv++];
	if ((eq = strchr(r->vspec[i], '=')) != NULL) {
		if (r->recipe != NULL)
			return kb_usage_error("run", "--variant %s: "
			    "workload %s has its own command; give the "
			    "label only", r->vspec[i], r->recipe->name);
		v->label = kb_asprintf("%.*s",
		    (int)(eq - r->vspec[i]), r->vspec[i]);
		v->cmd = eq + 1;
		if (*v->cmd == '\0')
			return kb_usage_error("run", "--variant %s: "
			    "empty command", r->vspec[i]);
	} else
		v->label = kb_strdup(r->vspec[i]);
	if (!label_valid(v->label, 0))
		return kb_usage_error("run", "--variant %s: expected "
		    "LABEL or LABEL=CMD, the label of letters, digits "
		    "and ._+-", r->vspec[i]);
	for (j = 0; j + 1 < r->nv; j++)
		if (strcmp(r->v[j].label, v->label) == 0)
			return kb_usage_error("run", "variant %s "
			    "given twice", v->label);
	if (v->cmd == NULL && r->recipe == NULL && r->cmdv == NULL) {
		if (r->workload != NULL) {
			kb_warnx("no workload %s in %s, and variant "
			    "%s has no command (LABEL=CMD)",
			    r->workload, *r->cfg.path != '\0' ?
			    r->cfg.path : "the configuration",
			    v->label);
			return KB_EXIT_ERR;
		}
		return kb_usage_error("run", "variant %s: no "
		    "command; give LABEL=CMD, --workload or -- CMD",
		    v->label);
	}
	return 0;
}

/* The variants given, or one named for the kernel if none was. */
static int
plan_variants(struct run *r)
{
	struct variant *v;
	size_t i;
	int rc;

	r->named = r->nvspec > 0;
	if (r->named && r->kernel != NULL)
		return kb_usage_error("run", "--kernel and --variant: each "
		    "variant's label is its kernel label");
	for (i = 0; i < r->nvspec; i++)
		if ((rc = plan_variant(r, i)) != 0)
			return rc;
	if (r->nv == 0) {
		if (r->recipe == NULL && r->cmdv == NULL) {
			if (r->workload != NULL) {
				kb_config_no_workload(&r->cfg, r->workload);
				return KB_EXIT_ERR;
			}
			return kb_usage_error("run", "expected --workload "
			    "NAME or a command after --");
		}
		v = &r->v[r->nv++];
		v->label = r->kernel != NULL ? kb_strdup(r->kernel) :
		    running_kernel();
	}
	return 0;
}

/* What each variant times, and the workload label that names it. */
static int
plan_commands(struct run *r)
{
	struct variant *v;
	char *eq, *joined, *shv[4] = { "sh", "-c", NULL, NULL };
	size_t i;

	/* What each variant times, as a shell would read it. */
	for (i = 0; i < r->nv; i++) {
		v = &r->v[i];
		if (v->cmd != NULL)
			v->command = kb_strdup(v->cmd);
		else if (r->recipe != NULL)
			v->command = kb_strdup(r->recipe->command);
		else
			v->command = adhoc_join(r->cmdv);
	}
	/* An ad hoc workload label comes from the command(s). */
	if (r->wl_name == NULL && r->workload != NULL)
		r->wl_name = kb_strdup(r->workload);
	else if (r->wl_name == NULL && r->cmdv != NULL)
		r->wl_name = adhoc_label(r->cmdv);
	else if (r->wl_name == NULL) {
		/* Variants with their own commands: all of them, in order. */
		joined = kb_strdup(r->v[0].command);
		for (i = 1; i < r->nv; i++) {
			eq = kb_asprintf("%s\n%s", joined, r->v[i].command);
			free(joined);
			joined = eq;
		}
		shv[2] = joined;
		r->wl_name = adhoc_label(shv);
		free(joined);
	}
	if (!label_valid(r->wl_name, 0))
		return kb_usage_error("run", "--workload %s: expected "
		    "letters, digits and ._+-", r->wl_name);
	return 0;
}

/* Runs, warm-ups and timeout: the options, else the recipe's. */
static int
plan_counts(struct run *r)
{
	if (r->until) {
		if (r->nv != 2)
			return kb_usage_error("run", "--until-verdict compares "
			    "two variants: give --variant A... --variant B...");
		/* The agents get the cap; the test stops them sooner. */
		r->sq.max_n = (int)(r->max_n != -1 ? r->max_n : r->n != -1 ?
		    r->n : r->sq.max_n);
		if (r->sq.max_n < r->sq.min_n)
			return kb_usage_error("run", "--until-verdict: the cap "
			    "must be at least %d runs", r->sq.min_n);
		r->n = r->sq.max_n * r->best_of;
	}
	if (r->n == -1)
		r->n = r->recipe != NULL ? r->recipe->n : KB_CONF_N;
	if (r->warmup == -1)
		r->warmup = r->recipe != NULL ? r->recipe->warmup :
		    KB_CONF_WARMUP;
	if (r->timeout == -1)
		r->timeout = r->recipe != NULL ? r->recipe->timeout : 0;
	return 0;
}

/* Decide what runs: the recipe or the command, and the variants. */
static int
plan(struct run *r)
{
	int rc;

	if ((rc = plan_recipe(r)) != 0 || (rc = plan_variants(r)) != 0 ||
	    (rc = plan_commands(r)) != 0)
		return rc;
	return plan_counts(r);
}

static char *
make_ukey(void)
{
	unsigned char rnd[6];
	char when[32];
	struct tm tm;
	time_t now;

	if (getentropy(rnd, sizeof(rnd)) == -1) {
		kb_warn("getentropy");
		return NULL;
	}
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y%m%dT%H%M%SZ", &tm);
	return kb_asprintf("%s-%02x%02x%02x%02x%02x%02x", when, rnd[0],
	    rnd[1], rnd[2], rnd[3], rnd[4], rnd[5]);
}

static void
setenv_num(const char *name, long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", v);
	setenv(name, buf, 1);
}

/*
 * What every step sees (fetch, dir, setup, the command): kbench's
 * places and the worker's size.  docs/config.md lists them.
 */
static void
export_env(const struct run *r)
{
	const char *xdg, *home;
	char *p;

	setenv("KBENCH_HOME", kb_home(), 1);
	setenv("KBENCH_ROOT", kb_root(), 1);
	p = kb_asprintf("%s/src", kb_home());
	setenv("KBENCH_SRC", p, 1);
	free(p);
	if ((xdg = getenv("XDG_CACHE_HOME")) != NULL && *xdg != '\0')
		p = kb_asprintf("%s/kbench", xdg);
	else if ((home = getenv("HOME")) != NULL && *home != '\0')
		p = kb_asprintf("%s/.cache/kbench", home);
	else
		p = kb_asprintf("%s/cache", kb_home());
	setenv("KBENCH_CACHE", p, 1);
	free(p);
	setenv_num("NCPU", r->worker->ncpu);
	setenv_num("JOBS", r->worker->jobs);
	setenv("KBENCH_WORKER", r->worker->name, 1);
	setenv("KBENCH_WORKLOAD", r->wl_name, 1);
	/* Credentials stay with kbench (db.c keeps its copy). */
	db_conninfo();
	unsetenv("KBENCH_DB");
	unsetenv("PGPASSWORD");
}

static void
fail_all(struct run *r, const char *reason)
{
	size_t i;

	for (i = 0; i < r->nv; i++)
		if (r->v[i].sr != NULL)
			store_state(r->st, r->v[i].sr, "failed", reason);
}

/*
 * The rows: worker, workload, a kernel and a run per variant, in the
 * database or, while it is away, in the spool (store.h).
 */
static int
create_runs(struct run *r)
{
	struct spool_run d;
	struct variant *v;
	char *runs;
	size_t i;

	/* Logs may say more than they should: the runs are ours alone. */
	runs = kb_asprintf("%s/runs", kb_home());
	if (kb_mkdirs(runs, 0700) == -1) {
		free(runs);
		return -1;
	}
	free(runs);
	for (i = 0; i < r->nv; i++) {
		v = &r->v[i];
		v->ukey = r->resume != NULL ? kb_strdup(r->ri.ukey) :
		    make_ukey();
		if (v->ukey == NULL)
			return -1;
		v->dir = kb_asprintf("%s/runs/%s", kb_home(), v->ukey);
		if (kb_mkdirs(v->dir, 0755) == -1)
			return -1;
		memset(&d, 0, sizeof(d));
		d.ukey = v->ukey;
		d.worker = r->worker->name;
		d.arch = r->worker->arch;
		d.os = r->worker->os;
		d.transport = r->worker->transport;
		d.ncpu = r->worker->ncpu;
		d.workload = r->wl_name;
		d.kernel = v->label;
		d.variant = r->named ? v->label : NULL;
		d.source = "agent";
		d.state = "running";
		d.command = v->command;
		d.n_planned = (int)r->n;
		d.log_path = v->dir;
		if ((v->sr = store_run(r->st, &d)) == NULL)
			return -1;
		v->run_id = store_run_id(v->sr);
		if (r->resume != NULL && (r->conn == NULL ||
		    resume_claim(r->conn, &r->ri) == -1))
			return -1;
	}
	/* Now that the workload row exists (cosmetic: skipped if spooled). */
	if (r->conn != NULL && r->recipe != NULL &&
	    *r->recipe->description != '\0') {
		db_workload_describe(r->conn, r->wl_name,
		    r->recipe->description);
	}
	return 0;
}

/* Untimed, once, before anything: sources in place. */
static int
fetch(struct run *r)
{
	char *src, *log, reason[512];
	int st;

	if (r->recipe == NULL || *r->recipe->fetch == '\0')
		return 0;
	src = kb_asprintf("%s/src", kb_home());
	kb_mkdirs(src, 0755);
	kb_mkdirs(getenv("KBENCH_CACHE"), 0755);
	log = kb_asprintf("%s/fetch.log", r->v[0].dir);
	progress_step(&r->prog, "fetching sources…");
	st = runner_shell(r->recipe->fetch, src, log);
	free(src);
	if (st != 0) {
		if (runner_interrupted())
			snprintf(reason, sizeof(reason), "interrupted by "
			    "signal %d while fetching", runner_interrupted());
		else
			snprintf(reason, sizeof(reason), "fetch failed with "
			    "status %d (see %s)", st, log);
		kb_warnx("%s", reason);
		fail_all(r, reason);
		free(log);
		return -1;
	}
	free(log);
	return 0;
}

/* The recipe's dir, with its $VARS, as the shell would see it. */
static int
expand_dir(struct run *r)
{
	struct stat st;
	wordexp_t we;
	char reason[512];
	int e;

	if (r->recipe == NULL || *r->recipe->dir == '\0')
		return 0;
	e = wordexp(r->recipe->dir, &we, WRDE_NOCMD | WRDE_UNDEF);
	if (e != 0 || we.we_wordc != 1) {
		snprintf(reason, sizeof(reason), "%s:%d: dir \"%s\": expected "
		    "one path (unset variable, command substitution or "
		    "spaces?)", r->recipe->file, r->recipe->line,
		    r->recipe->dir);
		if (e == 0)
			wordfree(&we);
		goto fail;
	}
	r->dir = kb_strdup(we.we_wordv[0]);
	wordfree(&we);
	if (stat(r->dir, &st) == -1 || !S_ISDIR(st.st_mode)) {
		snprintf(reason, sizeof(reason), "dir %s (from %s:%d): %s",
		    r->dir, r->recipe->file, r->recipe->line,
		    access(r->dir, F_OK) == 0 ? "not a directory" :
		    strerror(errno));
		goto fail;
	}
	return 0;
fail:
	kb_warnx("%s", reason);
	fail_all(r, reason);
	return -1;
}

/* setup or cleanup for the agent: gated when interleaved. */
static char *
gated(const char *script, int gate)
{
	if (!gate)
		return script != NULL && *script != '\0' ?
		    kb_strdup(script) : NULL;
	if (script == NULL || *script == '\0')
		return kb_strdup(RUNNER_GATE);
	return kb_asprintf(RUNNER_GATE "; %s", script);
}

/* One variant's agent argv and environment (v->argv, v->env); runs nothing. */
static void
variant_agent_argv(struct run *r, struct variant *v, const char *agent)
{
	struct agent_cmd ac;
	char *setup, *cleanup, *log;
	size_t i;
	int gate = r->nv > 1;

	setup = gated(r->recipe != NULL ? r->recipe->setup : NULL, gate);
	cleanup = gated(r->recipe != NULL ? r->recipe->cleanup : NULL, gate);
	log = kb_asprintf("%s/workload.log", v->dir);
	memset(&ac, 0, sizeof(ac));
	ac.agent = agent;
	ac.n = r->n;
	ac.warmup = r->warmup;
	ac.timeout = r->timeout;
	ac.dir = r->dir;
	ac.setup = setup;
	ac.cleanup = cleanup;
	ac.log = log;
	ac.insn = r->metric == KB_M_INSN_USER;
	if (v->cmd != NULL || r->recipe != NULL)
		ac.shell = v->command;
	else
		ac.cmdv = r->cmdv;
	v->argv = agent_argv(&ac);
	free(setup);
	free(cleanup);
	free(log);

	i = 0;
	v->env[i++] = kb_asprintf("KBENCH_RESULTS_DIR=%s", v->dir);
	v->env[i++] = kb_asprintf("KBENCH_KERNEL=%s", v->label);
	v->env[i++] = kb_asprintf("KBENCH_RUN=%s", v->ukey);
	if (r->named)
		v->env[i++] = kb_asprintf("KBENCH_VARIANT=%s", v->label);
	v->env[i] = NULL;

	v->proc->label = r->named ? v->label : NULL;
	v->proc->argv = v->argv;
	v->proc->env = v->env;
	v->proc->dir = v->dir;
	v->proc->reps = r->n + r->warmup;
	v->proc->arg = v;
}

/*
 * The counted values of one variant, for the sequential test, and how
 * many runs they come from.  A count is taken as 1 + count: a patch
 * that brings major faults where there were none (0 against 130) has a
 * ratio, and 0 against 0 is no change.  With --best-of K a value is the
 * least of K runs in a row (sq_fold()): a burst on the host only ever
 * adds time.
 */
static size_t
seq_values(const struct run *r, const struct variant *v, double **out,
    size_t *runs)
{
	struct kb_sampleset good;
	size_t i, n;

	memset(&good, 0, sizeof(good));
	for (i = 0; i < v->ss.n; i++)
		if (v->ss.v[i].status == 0 && !v->ss.v[i].timedout)
			kb_ss_add(&good, &v->ss.v[i]);
	n = kb_ss_values(&good, r->metric, out);
	kb_ss_free(&good);
	if (!kb_metric_is_time(r->metric))
		for (i = 0; i < n; i++)
			(*out)[i] += 1;
	*runs = n;
	return sq_fold(*out, n, r->best_of);
}

/* What a look counts: runs, or rounds of K runs. */
static const char *
rounds_word(const struct run *r)
{
	static char w[48];

	if (r->best_of <= 1)
		return "runs";
	snprintf(w, sizeof(w), "rounds of %ld runs", r->best_of);
	return w;
}

/*
 * No verdict by the cap: say how much the values varied, and what the
 * first look can call at that spread, so that the user can tell a
 * noisy machine from a small change, and where fewer runs would do.
 */
static void
seq_hint(const struct run *r)
{
	double *v, m, var, cv[2];
	size_t n, runs;
	int i;

	for (i = 0; i < 2; i++) {
		n = seq_values(r, &r->v[i], &v, &runs);
		st_meanvar(v, n, &m, &var);
		free(v);
		cv[i] = m > 0 ? 100 * sqrt(var) / m : NAN;
	}
	if (!isfinite(cv[0]) || !isfinite(cv[1]))
		return;
	kb_info("kbench run: no verdict: %s varied by %.1f%% and %.1f%% "
	    "(CV of the %s, base and candidate); at that spread the first "
	    "look calls only changes beyond about %.0f%%.  A quieter "
	    "machine, --best-of 3 or a higher --max-n (now %d) would help; "
	    "for a kernel patch, kbench try on a QEMU worker with --icount "
	    "is judged on the guest's own clock", kb_metric_name(r->metric),
	    cv[0], cv[1], rounds_word(r),
	    sq_reach_pct(&r->sq, fmax(cv[0], cv[1])), r->sq.max_n);
}

/* After each sample: 1 when the sequential test has its verdict. */
static int
seq_check(struct run *r)
{
	double *a, *b;
	size_t na, nb, ra, rb;

	na = seq_values(r, &r->v[0], &a, &ra);
	nb = seq_values(r, &r->v[1], &b, &rb);
	/* Only when both sides have run the same whole rounds. */
	if (ra == rb && ra % (size_t)r->best_of == 0) {
		sq_look(&r->sq, a, na, b, nb, &r->look);
		if (r->look.look > 0)
			progress_note(&r->prog, "look %d of %d after %zu "
			    "%s a side: %s %+.2f%% [%+.2f%%, %+.2f%%]: %s",
			    r->look.look, r->look.nlooks, na, rounds_word(r),
			    kb_metric_name(r->metric), r->look.w.diff_pct,
			    r->look.w.lo_pct, r->look.w.hi_pct,
			    sq_state_name(r->look.state));
	}
	free(a);
	free(b);
	if (r->look.state == SQ_CONTINUE || r->look.state == SQ_CAP)
		return 0;
	r->verdict = 1;
	return 1;
}

/* A sample is stored the moment it arrives: a kill loses nothing. */
static int
on_line(void *arg, struct agent_proc *a, const struct ap_line *l)
{
	struct variant *v = a->arg;
	struct run *r = arg;
	struct kb_sample s;

	/* After the verdict the agents are stopped: their last words. */
	if (r->verdict)
		return 0;
	switch (l->kind) {
	case AP_SAMPLE:
		/* A resumed run numbers its reps after the stored ones. */
		s = l->sample;
		s.rep += r->rep0;
		kb_ss_add(&v->ss, &s);
		/* Live, or spooled while the database is away. */
		if (store_sample(r->st, v->sr, &s, v->dir) == -1)
			v->store_failed++;
		progress_sample(&r->prog, a->label, &l->sample);
		if (r->until && !l->sample.warmup)
			return seq_check(r);
		break;
	case AP_ERROR:
		progress_note(&r->prog, "%s%sagent: %s", a->label ?
		    a->label : "", a->label ? ": " : "", l->msg);
		break;
	default:
		break;
	}
	return 0;
}

static void
on_tick(void *arg)
{
	struct run *r = arg;

	progress_tick(&r->prog);
	store_tick(r->st);
}

/* Done or failed, with the reason; 0 when the run is wholly good. */
static int
finish(struct run *r, struct variant *v)
{
	struct agent_proc *a = v->proc;
	char reason[512];
	long ok = 0, bad = 0;
	size_t i;

	for (i = 0; i < v->ss.n; i++) {
		if (v->ss.v[i].warmup)
			continue;
		if (v->ss.v[i].status == 0 && !v->ss.v[i].timedout)
			ok++;
		else
			bad++;
	}
	reason[0] = '\0';
	if (runner_interrupted())
		snprintf(reason, sizeof(reason), "interrupted by signal %d "
		    "after %ld of %ld repetitions", runner_interrupted(),
		    a->samples, a->reps);
	else if (!a->started)
		snprintf(reason, sizeof(reason), "agent did not start "
		    "(status %d; see %s/agent.err)", a->status, v->dir);
	else if (a->samples < a->reps && !r->verdict)
		snprintf(reason, sizeof(reason), "%s after %ld of %ld "
		    "repetitions (agent status %d)", a->error[0] != '\0' ?
		    a->error : "agent stopped", a->samples, a->reps,
		    a->status);
	else if (v->store_failed > 0)
		snprintf(reason, sizeof(reason), "%ld samples not stored "
		    "(they are in %s/agent.out)", v->store_failed, v->dir);
	else if (ok == 0)
		snprintf(reason, sizeof(reason), "every repetition failed "
		    "or timed out");
	if (reason[0] != '\0') {
		store_state(r->st, v->sr, "failed", reason);
		kb_warnx("%s%s%s", r->named ? v->label : "", r->named ?
		    ": " : "", reason);
		return -1;
	}
	store_state(r->st, v->sr, "done", NULL);
	return bad > 0 || a->rejected > 0 ? -1 : 0;
}

static void
summary_row(const char *name, const struct kb_sampleset *ss,
    enum kb_metric m)
{
	struct st_summary s;
	double *vals;
	size_t n;

	n = kb_ss_values(ss, m, &vals);
	if (n == 0) {
		printf("%-6s %4d %12s %12s %12s\n", name, 0, "-", "-", "-");
		free(vals);
		return;
	}
	st_summarize(vals, n, &s);
	printf("%-6s %4zu %12.3f %12.3f %12.3f\n", name, s.n, s.median,
	    s.mean, n > 1 ? s.stddev : 0.0);
	free(vals);
}

static void
summary(const struct run *r, const struct variant *v)
{
	struct kb_sampleset good;
	const struct kb_sample *s;
	long nwarm = 0;
	size_t i;

	memset(&good, 0, sizeof(good));
	if (r->named)
		printf("variant %s: ", v->label);
	printf("run %s: workload %s, worker %s, kernel %s\n", v->ukey,
	    r->wl_name, r->worker->name, v->label);
	for (i = 0; i < v->ss.n; i++) {
		s = &v->ss.v[i];
		if (s->warmup) {
			nwarm++;
			continue;
		}
		if (s->timedout)
			printf("  rep %d: TIMED OUT after %.1f s (not "
			    "counted)\n", s->rep, (double)s->real_us / 1e6);
		else if (s->status != 0)
			printf("  rep %d: FAILED with status %d (not "
			    "counted)\n", s->rep, s->status);
		else
			kb_ss_add(&good, s);
	}
	if (v->proc->rejected > 0)
		printf("  %ld lines rejected (see %s/rejected.log)\n",
		    v->proc->rejected, v->dir);
	printf("  %zu of %ld repetitions counted%s\n", good.n, r->n,
	    nwarm > 0 ? " (warm-ups not shown)" : "");
	printf("%-6s %4s %12s %12s %12s\n", "", "n", "median", "mean",
	    "stddev");
	summary_row("real", &good, KB_M_REAL);
	summary_row("user", &good, KB_M_USER);
	summary_row("sys", &good, KB_M_SYS);
	kb_ss_free(&good);
}

static void
run_free(struct run *r)
{
	size_t i, j;

	for (i = 0; i < r->nv; i++) {
		free(r->v[i].label);
		free(r->v[i].ukey);
		free(r->v[i].dir);
		free(r->v[i].command);
		kb_ss_free(&r->v[i].ss);
		runner_free(&r->proc[i]);
		for (j = 0; r->v[i].argv != NULL && r->v[i].argv[j] != NULL;
		    j++)
			free(r->v[i].argv[j]);
		free(r->v[i].argv);
		for (j = 0; r->v[i].env[j] != NULL; j++)
			free(r->v[i].env[j]);
	}
	free(r->wl_name);
	free(r->dir);
	store_close(r->st);	/* and the connection; says what is spooled */
	if (r->conn != NULL)
		db_close(r->conn);
	kb_config_free(&r->cfg);
}

static int
execute(struct run *r)
{
	struct runner_hooks h;
	char *agent;
	size_t i;
	int rc = KB_EXIT_OK, rrc;

	for (i = 0; i < r->nv; i++)
		r->labels[i] = r->v[i].label;
	progress_init(&r->prog, r->n, r->warmup, r->nv, r->named ?
	    r->labels : NULL);
	runner_catch_signals();
	export_env(r);
	/* No database: the run goes on and spools (store.h). */
	r->st = store_open(&r->conn);
	if (create_runs(r) == -1) {
		fail_all(r, "could not create the run");
		return KB_EXIT_ERR;
	}
	if (fetch(r) == -1 || expand_dir(r) == -1)
		return KB_EXIT_ERR;
	agent = runner_agent_path(NULL);
	for (i = 0; i < r->nv; i++)
		variant_agent_argv(r, &r->v[i], agent);
	free(agent);

	progress_step(&r->prog, "running %s on %s", r->wl_name,
	    r->worker->name);
	memset(&h, 0, sizeof(h));
	h.line = on_line;
	h.tick = on_tick;
	h.arg = r;
	rrc = runner_run(r->proc, r->nv, r->nv > 1, &h);
	progress_done(&r->prog);
	if (rrc == -1)
		rc = KB_EXIT_ERR;
	for (i = 0; i < r->nv; i++) {
		if (finish(r, &r->v[i]) == -1)
			rc = KB_EXIT_ERR;
		summary(r, &r->v[i]);
	}
	if (r->until) {
		printf("verdict: %s: %s %+.2f%%, %.4g%% %s interval [%+.2f%%, "
		    "%+.2f%%], after %d %s a side (look %d of %d; margin "
		    "%g%%, overall alpha %g)\n", sq_state_name(r->look.state),
		    kb_metric_name(r->metric), r->look.w.diff_pct,
		    100 * (1 - r->look.alpha_k), r->look.paired ? "paired" :
		    "Welch", r->look.w.lo_pct,
		    r->look.w.hi_pct, r->look.n, rounds_word(r), r->look.look,
		    r->look.nlooks, r->sq.margin_pct, r->sq.alpha);
		if (rc == KB_EXIT_OK && r->look.state == SQ_REGRESSION)
			rc = KB_EXIT_REGRESSION;
		if (!r->verdict && rrc != -1)
			seq_hint(r);
	}
	if (r->nv > 1) {
		printf("compare with: kbench compare --worker %s --workload "
		    "%s", r->worker->name, r->wl_name);
		for (i = 0; i < r->nv; i++)
			printf(" %s", r->v[i].label);
		printf("\n");
	}
	return rc;
}

/*
 * --resume RUN: the run's own worker, workload, kernel and command, and
 * the repetitions still missing, numbered after the last stored one.
 * 0, -2 when nothing is left (marked done), or an exit code.
 */
static int
resume_prepare(struct run *r)
{
	static char *shv[4];
	PGconn *c;
	int rc;

	if (r->cmdv != NULL || r->workload != NULL || r->kernel != NULL ||
	    r->nvspec > 0 || r->until || r->n != -1)
		return kb_usage_error("run", "--resume RUN takes the command, "
		    "workload, kernel and count from the run: give none");
	if ((c = store_connect()) == NULL) {
		kb_warnx("--resume reads the run from the database, which "
		    "is unreachable");
		return KB_EXIT_ERR;
	}
	rc = resume_load(c, r->resume, &r->ri);
	if (rc == 0 && r->ri.good >= r->ri.n_planned) {
		/* Every planned sample is in: the run is done. */
		if (resume_claim(c, &r->ri) == 0 &&
		    db_run_state(c, r->ri.id, "done", NULL) == 0)
			printf("run %s: all %d repetitions were stored; marked "
			    "done\n", r->ri.ukey, r->ri.n_planned);
		rc = -2;
	}
	db_close(c);
	if (rc != 0)
		return rc == -2 ? -2 : KB_EXIT_ERR;
	r->worker_name = r->ri.worker;
	r->workload = r->ri.workload;
	r->kernel = r->ri.kernel;
	r->n = r->ri.n_planned - r->ri.good;
	r->rep0 = r->ri.last_rep;
	if (r->warmup == -1)
		r->warmup = 0;
	/* An ad hoc run: its command as recorded, through the shell. */
	if (kb_config_find_workload(&r->cfg, r->workload) == NULL) {
		shv[0] = "/bin/sh";
		shv[1] = "-c";
		shv[2] = r->ri.command;
		shv[3] = NULL;
		r->cmdv = shv;
	}
	kb_info("kbench: resuming run %s: %ld of %d repetitions left, "
	    "numbered from %d", r->ri.ukey, r->n, r->ri.n_planned,
	    r->rep0 + 1);
	return 0;
}

int
cmd_run(int argc, char **argv)
{
	struct run r;
	char err[1024];
	size_t i;
	int rc;

	memset(&r, 0, sizeof(r));
	for (i = 0; i < MAX_VARIANTS; i++) {
		r.v[i].proc = &r.proc[i];
		r.proc[i].fd = -1;
	}
	if ((rc = parse_args(&r, argc, argv)) != 0)
		return rc;
	if (kb_config_load(r.conf, &r.cfg, err, sizeof(err)) == -1) {
		kb_warnx("%s", err);
		return KB_EXIT_ERR;
	}
	if (r.resume != NULL && (rc = resume_prepare(&r)) != 0) {
		resume_free(&r.ri);
		kb_config_free(&r.cfg);
		return rc == -2 ? KB_EXIT_OK : rc;
	}
	if ((r.worker = kb_config_worker(&r.cfg, r.worker_name)) == NULL) {
		kb_warnx("no worker %s in %s", r.worker_name,
		    *r.cfg.path != '\0' ? r.cfg.path : "the configuration");
		rc = KB_EXIT_ERR;
	} else if (strcmp(r.worker->transport, "local") != 0) {
		kb_warnx("worker %s: transport %s is not supported by run yet "
		    "(only local)", r.worker->name, r.worker->transport);
		rc = KB_EXIT_ERR;
	} else if (r.metric == KB_M_INSN_USER &&
	    runner_insn_ready("run") == -1)
		rc = KB_EXIT_ERR;
	else if ((rc = plan(&r)) == 0)
		rc = execute(&r);
	run_free(&r);
	resume_free(&r.ri);
	return rc;
}
