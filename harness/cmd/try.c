/*
 * cmd_try.c: kbench try, one patch against its baseline.
 *
 * The subject is a tree at a base revision; the candidate is the same
 * tree with the patch series applied as commits.  Both are built
 * (untimed), then measured by `kbench run` with the two as interleaved
 * variants (A B A B ...) so drift on the machine hits both alike, then
 * compared with exactly the figures and verdicts of `kbench compare`.
 *
 * Subjects: --repo DIR (any git repository and a command, on the local
 * worker), here; and without --repo a kernel patch series, built and
 * booted on a QEMU worker (try_kernel.c).
 */
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/adhoc.h"
#include "cmd/cmd.h"
#include "output/cmpreport.h"
#include "store/db.h"
#include "store/connect.h"
#include "store/trydb.h"
#include "store/webq.h"
#include "lib/util.h"
#include "lib/sample.h"
#include "lib/hash.h"
#include "lib/spawn.h"
#include "stats/stats.h"
#include "engine/try.h"
#include "engine/try_report.h"
#include "engine/try_all.h"
#include "engine/try_kernel.h"
#include "engine/try_ssh.h"
#include "engine/try_dryrun.h"
#include "format/mail.h"

static const struct option longopts[] = {
	{ "repo", required_argument, NULL, 'R' },
	{ "tree", required_argument, NULL, 'E' },
	{ "base", required_argument, NULL, 'B' },
	{ "build", required_argument, NULL, 'b' },
	{ "worker", required_argument, NULL, 'W' },
	{ "workload", required_argument, NULL, 'L' },
	{ "format", required_argument, NULL, 'f' },
	{ "confidence", required_argument, NULL, 'c' },
	{ "threshold", required_argument, NULL, 'T' },
	{ "fail-on-regression", no_argument, NULL, 'F' },
	{ "per-boot", required_argument, NULL, 'P' },
	{ "icount", required_argument, NULL, 'I' },
	{ "dry-run", no_argument, NULL, 'D' },
	{ "os", required_argument, NULL, 'O' },
	{ "until-verdict", no_argument, NULL, 'U' },
	{ "max-n", required_argument, NULL, 'N' },
	{ "metric", required_argument, NULL, 'M' },
	{ "best-of", required_argument, NULL, 'K' },
	{ "queue", no_argument, NULL, 'Q' },
	{ "fixed-n", no_argument, NULL, 'Z' },
	{ "profile", no_argument, NULL, 'p' },
	/* Internal: the queue runner's children (engine/queue.c). */
	{ "request", required_argument, NULL, 'X' },
	/* Internal: try_all.c's children say what they compared. */
	{ "result-file", required_argument, NULL, 'r' },
	{ NULL, 0, NULL, 0 }
};

/* One option; 0, or the usage error's exit status. */
static int
one_option(struct try *t, int ch)
{
	char *end;
	long v;

	switch (ch) {
	case 'R': t->repo = optarg; break;
	case 'E': t->tree = optarg; break;
	case 'B': t->base = optarg; break;
	case 'b': t->build = optarg; break;
	case 'r': t->result = optarg; break;
	case 'Q': t->queue = 1; break;
	case 'Z': t->fixed_n = 1; break;
	case 'p': t->profile = 1; break;
	case 'X':
		if (kb_parse_long(optarg, 1, LONG_MAX, &v) == -1)
			return kb_usage_error("try", "--request %s", optarg);
		t->request = v;
		break;
	case 'W':
		t->worker = optarg;
		t->worker_given = 1;
		break;
	case 'L': t->workload = optarg; break;
	case 'f': t->format = optarg; break;
	case 'F': t->fail_on_regression = 1; break;
	case 'D': t->dry_run = 1; break;
	case 'O': t->os = optarg; break;
	case 'U': t->seq.on = 1; break;
	case 'N':
		if (kb_parse_long(optarg, 3, 100000, &t->max_n) == -1)
			return kb_usage_error("try", "--max-n %s: expected a "
			    "count from 3 to 100000", optarg);
		break;
	case 'M':
		if (kb_metric_parse(optarg, &t->seq.metric) == -1)
			return cmd_unknown_metric("try", optarg);
		t->metric_given = 1;
		break;
	case 'K':
		if (kb_parse_long(optarg, 1, 10, &t->seq.best_of) == -1)
			return kb_usage_error("try", "--best-of %s: expected "
			    "a count from 1 to 10", optarg);
		break;
	case 'n':
		if (kb_parse_long(optarg, 1, 100000, &t->n) == -1)
			return kb_usage_error("try", "-n %s: expected "
			    "a count from 1", optarg);
		break;
	case 'w':
		if (kb_parse_long(optarg, 0, 1000, &t->warmup) == -1)
			return kb_usage_error("try", "-w %s", optarg);
		t->warmup_given = 1;
		break;
	case 'P':
		if (kb_parse_long(optarg, 1, 1000, &t->per_boot) == -1)
			return kb_usage_error("try", "--per-boot %s: "
			    "expected a count from 1", optarg);
		break;
	case 'I':
		if (kb_parse_long(optarg, 0, 10, &v) == -1)
			return kb_usage_error("try", "--icount %s: expected a "
			    "shift from 0 to 10", optarg);
		t->icount = (int)v;
		break;
	case 't':
		if (kb_parse_long(optarg, 0, 86400 * 7,
		    &t->timeout) == -1)
			return kb_usage_error("try", "-t %s", optarg);
		break;
	case 'c':
		t->confidence = strtod(optarg, &end);
		if (*end != '\0' || !st_confidence_ok(t->confidence))
			return kb_usage_error("try", "-c %s: expected "
			    "80, 90, 95, 98, 99 or 99.5", optarg);
		break;
	case 'T':
		t->threshold = strtod(optarg, &end);
		if (*end != '\0' || !(t->threshold > 0))
			return kb_usage_error("try", "--threshold %s: "
			    "expected a percentage above 0", optarg);
		break;
	default:
		return kb_usage_error("try", "bad option");
	}
	return 0;
}

/*
 * --until-verdict: -n (or --max-n) is the cap, in rounds a side; the
 * boots or runs go on until the verdict or the cap.
 */
static int
seq_args(struct try *t)
{
	if (!t->seq.on) {
		/* --repo: insn_user alone counts each run, no test. */
		if (t->max_n != -1 || t->seq.best_of != 1 ||
		    (t->metric_given && (t->repo == NULL ||
		    t->seq.metric != KB_M_INSN_USER)))
			return kb_usage_error("try", "--max-n, --metric and "
			    "--best-of go with --until-verdict (with --repo, "
			    "--metric insn_user also without)");
		if (t->n == -1)
			t->n = 5;
		/* Allowed for hour-long bulk repetitions in TCG guests. */
		if (t->n == 1)
			fprintf(stderr, "kbench try: -n 1: one repetition a "
			    "side has no spread; the verdict will be "
			    "\"insufficient\" and packages get plain "
			    "ratios\n");
		return 0;
	}
	if (t->max_n != -1)
		t->seq.plan.max_n = (int)t->max_n;
	else if (t->n != -1)
		t->seq.plan.max_n = (int)t->n;
	if (t->seq.plan.max_n < t->seq.plan.min_n)
		return kb_usage_error("try", "--until-verdict: the cap must "
		    "be at least %d runs", t->seq.plan.min_n);
	t->n = t->seq.plan.max_n * t->seq.best_of;
	return 0;
}

/*
 * Options may come before and after the patches (kbench try PATCH
 * --worker W), as users write them; `--` ends both, and what follows
 * is the command.
 */
static int
parse_args(struct try *t, int argc, char **argv)
{
	int ch, prev, rc;

	t->n = -1;
	t->max_n = -1;
	t->seq.metric = KB_M_REAL;
	t->seq.best_of = 1;
	sq_plan_default(&t->seq.plan);
	t->warmup = 0;
	t->timeout = 0;
	t->confidence = 95;
	t->threshold = 1;
	t->format = "text";
	t->base = "HEAD";
	t->worker = "local";
	t->per_boot = 2;
	t->icount = -1;
	optind = 1;
	for (;;) {
		prev = optind;
		ch = getopt_long(argc, argv, "+n:w:t:c:", longopts, NULL);
		if (ch != -1) {
			if ((rc = one_option(t, ch)) != 0)
				return rc;
			continue;
		}
		if (optind > prev && strcmp(argv[optind - 1], "--") == 0) {
			t->cmdv = argv + optind;
			break;
		}
		if (optind >= argc)
			break;
		if (t->npatches == TRY_MAX_PATCHES)
			return kb_usage_error("try", "more than %d patches",
			    TRY_MAX_PATCHES);
		t->patches[t->npatches++] = argv[optind++];
	}
	if (strcmp(t->format, "text") != 0 && strcmp(t->format, "json") != 0)
		return kb_usage_error("try", "--format %s: expected text or "
		    "json", t->format);
	if (t->fixed_n && t->seq.on)
		return kb_usage_error("try", "--until-verdict or --fixed-n, "
		    "not both");
	/* Every worker ends with a verdict, or inconclusive at the cap. */
	if (strcmp(t->worker, "all") == 0 && !t->fixed_n)
		t->seq.on = 1;
	if ((rc = seq_args(t)) != 0)
		return rc;
	if (t->npatches == 0)
		return kb_usage_error("try", "no PATCH");
	if (t->repo != NULL && t->tree != NULL)
		return kb_usage_error("try", "--repo (a program's tree) or "
		    "--tree (a kernel's), not both");
	if (t->profile && (t->repo != NULL || strcmp(t->worker, "all") == 0))
		return kb_usage_error("try", "--profile: a kernel patch on "
		    "one QEMU worker only");
	if (t->repo == NULL)
		return 0;	/* a kernel patch: try_kernel() checks the rest */
	if (t->cmdv == NULL || t->cmdv[0] == NULL)
		return kb_usage_error("try", "--repo needs the command to "
		    "time after --");
	if (strcmp(t->worker, "local") != 0)
		return kb_usage_error("try", "--repo runs on the local "
		    "worker only");
	return 0;
}

/* git -C DIR ARGS..., output captured; prints git's complaint. */
static int
git(const char *dir, char **out, const char *what, ...)
{
	char *argv[16], *err = NULL, *o = NULL;
	const char *a;
	va_list ap;
	int n = 0, st;

	argv[n++] = "git";
	argv[n++] = "-C";
	argv[n++] = (char *)dir;
	argv[n++] = "-c";
	argv[n++] = "user.name=kbench";
	argv[n++] = "-c";
	argv[n++] = "user.email=kbench@localhost";
	va_start(ap, what);
	while ((a = va_arg(ap, const char *)) != NULL && n < 15)
		argv[n++] = (char *)a;
	va_end(ap);
	argv[n] = NULL;
	st = spawn(argv, NULL, &o, -1, &err);
	if (st != 0)
		kb_warnx("%s: %s", what, err != NULL && *err != '\0' ? err :
		    "git failed");
	if (out != NULL && st == 0)
		*out = o;
	else
		free(o);
	free(err);
	return st == 0 ? 0 : -1;
}

static char *
slurp_file(const char *path, size_t *lenp)
{
	FILE *fp;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if ((fp = fopen(path, "r")) == NULL) {
		kb_warn("%s", path);
		return NULL;
	}
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			buf = kb_reallocarray(buf, cap, 1);
		}
		n = fread(buf + len, 1, cap - len - 1, fp);
		len += n;
	} while (n > 0);
	fclose(fp);
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

/* The series' identity: a hash over every patch's bytes, in order. */
static int
hash_patches(struct try *t)
{
	char *all = NULL, *p, h[65];
	size_t i, len, total = 0;

	for (i = 0; i < t->npatches; i++) {
		if ((p = slurp_file(t->patches[i], &len)) == NULL) {
			free(all);
			return -1;
		}
		kb_sha256_hex(p, len, h);
		all = kb_reallocarray(all, total + 65, 1);
		memcpy(all + total, h, 64);
		total += 64;
		free(p);
	}
	kb_sha256_hex(all, total, t->psha);
	free(all);
	return 0;
}

static int
apply_patches(struct try *t)
{
	char *abs, *msg, what[512];
	size_t i;
	int rc = 0;

	for (i = 0; i < t->npatches && rc == 0; i++) {
		abs = t->patches[i][0] == '/' ? kb_strdup(t->patches[i]) :
		    kb_asprintf("%s/%s", getcwd(what, sizeof(what)),
		    t->patches[i]);
		snprintf(what, sizeof(what), "%s does not apply to %s at %s",
		    t->patches[i], t->repo, t->base);
		if (patch_file_is_mail(abs))
			rc = git(t->wt[1], NULL, what, "am", "-q", "--3way",
			    abs, NULL);
		else {
			msg = kb_asprintf("kbench try: %s", t->patches[i]);
			rc = git(t->wt[1], NULL, what, "apply", "--index",
			    abs, NULL);
			if (rc == 0)
				rc = git(t->wt[1], NULL, "commit", "commit",
				    "-q", "--allow-empty", "-m", msg, NULL);
			free(msg);
		}
		free(abs);
	}
	return rc;
}

/* Two private clones: the user's work tree is never touched. */
static int
prepare_tree(struct try *t)
{
	char *out = NULL, *rev, rnd[13], *nl;
	int i;

	rev = kb_asprintf("%s^{commit}", t->base);
	if (git(t->repo, &out, "base revision", "rev-parse", "--verify",
	    "--quiet", rev, NULL) == -1) {
		free(rev);
		kb_warnx("%s: no revision %s", t->repo, t->base);
		return -1;
	}
	free(rev);
	if ((nl = strchr(out, '\n')) != NULL)
		*nl = '\0';
	snprintf(t->sha, sizeof(t->sha), "%s", out);
	free(out);
	if (hash_patches(t) == -1 || kb_randhex(rnd, 6) == -1)
		return -1;
	t->label[0] = kb_asprintf("g%.12s", t->sha);
	t->label[1] = kb_asprintf("g%.12s+p%.8s", t->sha, t->psha);
	t->dir = kb_asprintf("%s/try/%s-%s", kb_home(), t->label[1], rnd);
	if (kb_mkdirs(t->dir, 0755) == -1)
		return -1;
	for (i = 0; i < 2; i++) {
		char *argv[] = { "git", "clone", "-q", "--shared",
		    "--no-checkout", (char *)t->repo, NULL, NULL };

		t->wt[i] = kb_asprintf("%s/%s", t->dir, i ? "patched" :
		    "base");
		argv[6] = t->wt[i];
		if (spawn(argv, NULL, NULL, -1, NULL) != 0 ||
		    git(t->wt[i], NULL, "checkout", "checkout", "-q",
		    "--detach", t->sha, NULL) == -1)
			return -1;
	}
	kb_info("kbench try: base %.12s, patched with %zu patch%s (%.8s), "
	    "in %s", t->sha, t->npatches, t->npatches > 1 ? "es" : "",
	    t->psha, t->dir);
	return apply_patches(t);
}

static int
build_trees(struct try *t)
{
	char *argv[] = { "/bin/sh", "-c", (char *)t->build, NULL };
	char *log;
	int i, st, fd;
	FILE *fp;

	if (t->build == NULL)
		return 0;
	for (i = 0; i < 2; i++) {
		log = kb_asprintf("%s/build-%s.log", t->dir,
		    i ? "patched" : "base");
		kb_info("kbench try: building %s (%s)", i ? "patched" : "base",
		    log);
		if ((fp = fopen(log, "w")) == NULL) {
			kb_warn("%s", log);
			free(log);
			return -1;
		}
		fd = fileno(fp);
		st = spawn(argv, t->wt[i], NULL, fd, NULL);
		fclose(fp);
		if (st != 0) {
			kb_warnx("the %s build failed (status %d); see %s",
			    i ? "patched" : "base", st, log);
			free(log);
			return -1;
		}
		free(log);
	}
	return 0;
}

/* The timed command in one tree, as sh(1) reads it. */
static char *
variant(const struct try *t, int i)
{
	char *s, *q, *cmd;
	size_t k;

	q = sh_quote(t->wt[i]);
	cmd = kb_asprintf("cd %s &&", q);
	free(q);
	for (k = 0; t->cmdv[k] != NULL; k++) {
		q = sh_quote(t->cmdv[k]);
		s = kb_asprintf("%s %s", cmd, q);
		free(q);
		free(cmd);
		cmd = s;
	}
	s = kb_asprintf("%s=%s", t->label[i], cmd);
	free(cmd);
	return s;
}

/* Interleaved measurement: kbench run with the two as variants. */
static int
measure(struct try *t, int64_t *since)
{
	char *argv[32], nbuf[24], wbuf[24], tbuf[24], mbuf[24], kbuf[24];
	char *self;
	PGconn *c;
	int n = 0, st;

	if ((c = store_connect()) == NULL)
		return -1;
	if ((*since = db_last_run_id(c)) == -1) {
		db_close(c);
		return -1;
	}
	db_close(c);

	snprintf(nbuf, sizeof(nbuf), "-n%ld", t->n);
	snprintf(wbuf, sizeof(wbuf), "-w%ld", t->warmup);
	snprintf(tbuf, sizeof(tbuf), "-t%ld", t->timeout);
	self = self_path(NULL);
	argv[n++] = self;
	if (kb_quiet)
		argv[n++] = "-q";
	argv[n++] = "run";
	argv[n++] = "--worker";
	argv[n++] = (char *)t->worker;
	argv[n++] = "--workload";
	argv[n++] = t->wl;
	argv[n++] = nbuf;
	argv[n++] = wbuf;
	argv[n++] = tbuf;
	if (t->seq.on) {
		/* run's own test stops the runs; the report says it again. */
		snprintf(mbuf, sizeof(mbuf), "--max-n=%d", t->seq.plan.max_n);
		snprintf(kbuf, sizeof(kbuf), "--best-of=%ld", t->seq.best_of);
		argv[n++] = "--until-verdict";
		argv[n++] = mbuf;
		argv[n++] = kbuf;
		argv[n++] = "--metric";
		argv[n++] = (char *)kb_metric_name(t->seq.metric);
	} else if (t->metric_given) {
		argv[n++] = "--metric";
		argv[n++] = (char *)kb_metric_name(t->seq.metric);
	}
	argv[n++] = "--variant";
	argv[n++] = variant(t, 0);
	argv[n++] = "--variant";
	argv[n++] = variant(t, 1);
	argv[n] = NULL;
	/* Progress and run's own summary to stderr: stdout is the report. */
	st = spawn(argv, NULL, NULL, STDERR_FILENO, NULL);
	free(argv[n - 1]);
	free(argv[n - 3]);
	free(self);
	/* 1: some runs failed (stored); 3: run's own test saw a regression. */
	if (st != 0 && st != 1 && st != KB_EXIT_REGRESSION) {
		kb_warnx("kbench run failed (status %d)", st);
		return -1;
	}
	return 0;
}

/* For try_all.c: this try's complaints, its reason if it fails. */
static int
try_warnlog(const struct try *t)
{
	char *path = kb_asprintf("%s.warn", t->result);

	kb_warnlog = fopen(path, "w");
	if (kb_warnlog == NULL)
		kb_warn("%s", path);
	free(path);
	return kb_warnlog != NULL ? 0 : -1;
}

/*
 * --queue: the request goes to the queue that kbench serve's runner
 * (or kbench queue run) takes requests from, as POST /api/try does.
 */
static int
try_queue(struct try *t)
{
	char *patch = NULL, *body, *next, id[24], n[24];
	const char *who;
	size_t i, len;
	PGconn *c;
	int rc;

	if (t->repo != NULL || t->tree != NULL || t->dry_run ||
	    (t->cmdv != NULL && t->cmdv[0] != NULL))
		return kb_usage_error("try", "--queue takes kernel patches "
		    "and --worker, --workload, -n only");
	for (i = 0; i < t->npatches; i++) {
		if ((body = slurp_file(t->patches[i], &len)) == NULL)
			return KB_EXIT_ERR;
		next = kb_asprintf("%s%s", patch != NULL ? patch : "", body);
		free(body);
		free(patch);
		patch = next;
	}
	snprintf(n, sizeof(n), "%ld", t->n);
	who = getenv("USER") != NULL ? getenv("USER") : "kbench try";
	if ((c = store_connect()) == NULL) {
		free(patch);
		return KB_EXIT_ERR;
	}
	rc = webq_try_submit(c, t->worker_given ? t->worker : "qemu-amd64",
	    t->workload != NULL ? t->workload : "libc-small", n, patch, who, id);
	db_close(c);
	free(patch);
	if (rc == -1)
		return KB_EXIT_ERR;
	printf("request %s queued: kbench queue show %s\n", id, id);
	return KB_EXIT_OK;
}

int
cmd_try(int argc, char **argv)
{
	struct try t;
	int64_t since = 0;
	int rc, i;

	memset(&t, 0, sizeof(t));
	if ((rc = parse_args(&t, argc, argv)) != 0)
		return rc;
	if (t.queue)
		return try_queue(&t);
	if (strcmp(t.worker, "all") == 0)
		return try_all(&t, argc, argv);
	if (t.result != NULL && try_warnlog(&t) == -1)
		return KB_EXIT_ERR;
	if (t.dry_run)
		return try_dry_run(&t);
	/* Only a plan has a recipe to choose; a real try has its worker. */
	if (t.os != NULL)
		return kb_usage_error("try", "--os goes with --dry-run");
	if (t.repo == NULL)
		return try_kernel(&t);
	t.wl = t.workload != NULL ? kb_strdup(t.workload) :
	    adhoc_label(t.cmdv);
	if (prepare_tree(&t) == -1 || build_trees(&t) == -1 ||
	    measure(&t, &since) == -1)
		rc = KB_EXIT_ERR;
	else
		rc = try_report(&t, since);
	for (i = 0; i < 2; i++) {
		free(t.label[i]);
		free(t.wt[i]);
	}
	free(t.dir);
	free(t.wl);
	return rc;
}
