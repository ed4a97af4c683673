/*
 * cmd_worker.c: kbench worker: prepare a QEMU worker's image, check
 * which accelerator QEMU can use here, and boot a built kernel to run a
 * command in the guest (the building block `kbench try` uses).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/util.h"
#include "lib/suggest.h"
#include "lib/adhoc.h"
#include "lib/spawn.h"
#include "cmd/cmd.h"
#include "store/db.h"
#include "store/connect.h"
#include "worker/kernel.h"
#include "worker/qemu.h"
#include "worker/runner.h"

static int
worker_prepare(int argc, char **argv)
{
	const char *arch = argc > 1 ? argv[1] : "amd64";
	char *script, *home, *root;
	char *av[] = { "/bin/sh", NULL, NULL, NULL };
	struct timespec t0, t1;
	int st;

	if (argc > 2)
		return kb_usage_error("worker", "prepare takes one ARCH");
	if (strcmp(arch, "amd64") != 0 && strcmp(arch, "arm64") != 0 &&
	    strcmp(arch, "riscv64") != 0 && strcmp(arch, "macppc") != 0)
		return kb_usage_error("worker", "prepare %s: expected amd64, "
		    "arm64, riscv64 or macppc", arch);
	script = kb_asprintf("%s/workers/qemu/mkimage.sh", kb_root());
	home = kb_asprintf("%s", kb_home());
	root = kb_asprintf("%s", kb_root());
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* mkimage.sh finds kbench's tree and home in these. */
	setenv("KBENCH_HOME", home, 1);
	setenv("KBENCH_ROOT", root, 1);
	av[1] = script;
	av[2] = (char *)arch;
	st = spawn(av, NULL, NULL, -1, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	free(script);
	free(home);
	free(root);
	if (st != 0) {
		kb_warnx("worker prepare %s failed", arch);
		return KB_EXIT_ERR;
	}
	kb_info("worker prepare %s: %.0f s", arch,
	    (double)(t1.tv_sec - t0.tv_sec));
	return KB_EXIT_OK;
}

/* What the hooks of one boot share. */
struct boot_ctx {
	time_t	 shown;		/* last progress line */
	PGconn	*db;		/* --store: the run's database, or NULL */
	int64_t	 run;
};

static void
on_tick(void *arg, const char *phase, double t)
{
	struct boot_ctx *b = arg;
	int tty = isatty(2);

	if (kb_quiet || time(NULL) - b->shown < (tty ? 1 : 30))
		return;
	b->shown = time(NULL);
	if (tty)
		fprintf(stderr, "\r\033[K[%d:%02d] %s", (int)t / 60,
		    (int)t % 60, phase);
	else
		fprintf(stderr, "kbench worker: [%d:%02d] %s\n", (int)t / 60,
		    (int)t % 60, phase);
}

static int
on_sample(void *arg, const struct qemu_sample *s)
{
	struct boot_ctx *b = arg;

	if (b->db != NULL && qemu_store_sample(b->db, b->run, s) != 0)
		return -1;
	if (!kb_quiet && isatty(2))
		fprintf(stderr, "\r\033[K");
	printf("rep %d%s real %.3f user %.3f sys %.3f status %d%s "
	    "read_kib %lld write_kib %lld cached_kib %lld -> %lld "
	    "insn_kernel %lld insn_user %lld\n",
	    s->s.rep, s->s.warmup ? " (warm-up)" : "",
	    (double)s->s.real_us / 1e6, (double)s->s.user_us / 1e6,
	    (double)s->s.sys_us / 1e6, s->s.status,
	    s->s.timedout ? " TIMEOUT" : "", s->read_kib, s->write_kib,
	    s->cached_pre_kib, s->cached_post_kib,
	    (long long)s->s.insn_kernel, (long long)s->s.insn_user);
	fflush(stdout);
	return 0;
}

static void
save_result(const char *dir, const struct qemu_result *r)
{
	char *path = kb_asprintf("%s/result", dir);
	FILE *fp;

	if ((fp = fopen(path, "w")) != NULL) {
		fprintf(fp, "state=%s\nreason=%s\naccel=%s\nrelease=%s\n"
		    "boot_secs=%.1f\ntotal_secs=%.1f\nsamples=%ld\n"
		    "rejected=%ld\nqemu_status=%d\n",
		    r->ok ? "done" : "failed", r->reason, r->accel, r->release,
		    r->boot_secs, r->total_secs, r->samples, r->rejected,
		    r->qemu_status);
		fclose(fp);
	}
	free(path);
}

static const struct option boot_longopts[] = {
	{ "kernel", required_argument, NULL, 'k' },
	{ "image", required_argument, NULL, 'i' },
	{ "warmup", required_argument, NULL, 'w' },
	{ "timeout", required_argument, NULL, 't' },
	{ "boot-timeout", required_argument, NULL, 'B' },
	{ "rep-timeout", required_argument, NULL, 'R' },
	{ "append", required_argument, NULL, 'A' },
	{ "accel", required_argument, NULL, 'a' },
	{ "setup", required_argument, NULL, 's' },
	{ "cleanup", required_argument, NULL, 'c' },
	{ "dir", required_argument, NULL, 'C' },
	{ "smp", required_argument, NULL, 'P' },
	{ "mem", required_argument, NULL, 'M' },
	{ "no-verify", no_argument, NULL, 'V' },
	{ "store", no_argument, NULL, 'S' },
	{ "worker", required_argument, NULL, 'W' },
	{ "workload", required_argument, NULL, 'L' },
	{ "icount", required_argument, NULL, 'I' },
	{ "no-insn", no_argument, NULL, 'N' },
	{ "profile", no_argument, NULL, 'p' },
	{ NULL, 0, NULL, 0 }
};

/* worker boot's options that are not the job's own. */
struct boot_opts {
	const char	*kernel;	/* --kernel */
	const char	*image;		/* --image */
	const char	*wname;		/* --worker */
	const char	*lname;		/* --workload */
	const char	*arch;		/* ARCH, or the kernel's */
	int		 verify;	/* not --no-verify */
	int		 store;		/* --store */
};

/* One option into o or j, v its number if it takes one; 0 or why. */
static int
boot_opt(struct boot_opts *o, struct qemu_job *j, int ch, long v)
{
	switch (ch) {
	case 'k':
		o->kernel = optarg;
		break;
	case 'i':
		o->image = optarg;
		break;
	case 'n':
		j->n = v;
		break;
	case 'w':
		j->warmup = v;
		break;
	case 't':
		j->agent_timeout = v;
		break;
	case 'B':
		j->boot_timeout = (int)v;
		break;
	case 'R':
		j->rep_timeout = (int)v;
		break;
	case 'P':
		j->smp = (int)v;
		break;
	case 'M':
		j->mem_mb = (int)v;
		break;
	case 'A':
		j->append = optarg;
		break;
	case 'a':
		j->accel = optarg;
		break;
	case 's':
		j->setup = optarg;
		break;
	case 'c':
		j->cleanup = optarg;
		break;
	case 'C':
		j->workdir = optarg;
		break;
	case 'V':
		o->verify = 0;
		break;
	case 'S':
		o->store = 1;
		break;
	case 'W':
		o->wname = optarg;
		break;
	case 'L':
		o->lname = optarg;
		break;
	case 'N':
		j->no_insn = 1;
		break;
	case 'p':
		j->profile = 1;
		break;
	case 'I':
		if (v > 10)
			return kb_usage_error("worker", "--icount %ld: "
			    "expected a shift from 0 to 10", v);
		j->icount = 1;
		j->icount_shift = (int)v;
		break;
	default:
		return kb_usage_error("worker", "bad option");
	}
	return 0;
}

/* The command line into o and j; 0, or the usage error's exit status. */
static int
boot_args(int argc, char **argv, struct boot_opts *o, struct qemu_job *j)
{
	int ch, rc;
	long v;

	memset(o, 0, sizeof(*o));
	o->verify = 1;
	/* ARCH, or the kernel's own. */
	o->arch = argc > 1 && argv[1][0] != '-' ? argv[1] : NULL;
	j->n = 1;
	optind = argc > 1 && argv[1][0] != '-' ? 2 : 1;
	while ((ch = getopt_long(argc, argv, "+n:", boot_longopts,
	    NULL)) != -1) {
		v = 0;
		if (strchr("nwtBRPMI", ch) != NULL &&
		    kb_parse_long(optarg, 0, 1000000, &v) != 0)
			return kb_usage_error("worker", "bad number: %s",
			    optarg);
		if ((rc = boot_opt(o, j, ch, v)) != 0)
			return rc;
	}
	if (o->kernel == NULL || optind >= argc || j->n < 1)
		return kb_usage_error("worker", "boot needs --kernel KID "
		    "and a command");
	return 0;
}

/* The kernel, and the arch it boots on; 0, or -1 (ka freed). */
static int
boot_kernel(const struct boot_opts *o, struct qemu_job *j,
    struct kernel_artifact *ka)
{
	if (kernel_lookup(o->kernel, ka) != 0)
		return -1;
	j->arch = o->arch != NULL ? o->arch : ka->arch != NULL ? ka->arch :
	    "amd64";
	if (ka->arch != NULL && strcmp(ka->arch, j->arch) != 0) {
		kb_warnx("kernel %s is built for %s, not %s", ka->kid12,
		    ka->arch, j->arch);
		kernel_artifact_free(ka);
		return -1;
	}
	if (!qemu_arch_ok(j->arch, 0)) {
		kernel_artifact_free(ka);
		return -1;
	}
	return 0;
}

/* The command: the words after the options, joined for sh -c. */
static char *
join_words(char **words, int n)
{
	char *cmd = kb_strdup(words[0]), *t;
	int i;

	for (i = 1; i < n; i++) {
		t = kb_asprintf("%s %s", cmd, words[i]);
		free(cmd);
		cmd = t;
	}
	return cmd;
}

/*
 * --store: the run row first, so that a failed boot is recorded too;
 * b->db and b->run.  0, or -1.
 */
static int
boot_run_row(struct boot_ctx *b, const struct boot_opts *o,
    const struct qemu_job *j, const struct kernel_artifact *ka,
    char **words)
{
	const char *wname = o->wname, *lname = o->lname;
	char *wdef = NULL, *ldef = NULL, ukey[33];
	struct db_run dr;
	int rc = -1;

	if ((b->db = store_connect()) == NULL)
		return -1;
	if (wname == NULL)
		wname = wdef = kb_asprintf("qemu-%s", j->arch);
	if (lname == NULL)
		lname = ldef = adhoc_label(words);
	memset(&dr, 0, sizeof(dr));
	if (kb_randhex(ukey, 16) != 0 ||
	    (dr.kernel_id = kernel_row(b->db, ka)) == -1 ||
	    (dr.worker_id = db_worker_id(b->db, wname, j->arch, ka->os,
	    "qemu", qemu_arch_cpus(j->arch, j->smp))) == -1 ||
	    (dr.workload_id = db_workload_id(b->db, lname)) == -1)
		goto out;
	dr.ukey = ukey;
	dr.source = "qemu";
	dr.state = "booting";
	dr.command = j->cmd;
	dr.n_planned = (int)(j->n + j->warmup);
	if ((b->run = db_run_create(b->db, &dr)) == -1)
		goto out;
	rc = 0;
out:
	free(wdef);
	free(ldef);
	return rc;
}

/* The boot's result: stored, saved, printed; kbench's exit status. */
static int
boot_report(struct boot_ctx *b, struct qemu_result *r, const char *rdir)
{
	int rc = KB_EXIT_ERR;

	if (!kb_quiet && isatty(2))
		fprintf(stderr, "\r\033[K");
	save_result(rdir, r);
	if (b->db != NULL) {
		if (qemu_store_result(b->db, b->run, r) != 0)
			r->ok = 0;
		printf("run %lld\n", (long long)b->run);
	}
	printf("accel %s\nrelease %s\nboot_secs %.1f\nsamples %ld\n",
	    r->accel, r->release, r->boot_secs, r->samples);
	if (r->prof.n > 0)
		printf("profile %zu functions %lld instructions\n", r->prof.n,
		    (long long)r->prof.total);
	if (r->ok) {
		printf("state done\n");
		rc = KB_EXIT_OK;
	} else {
		printf("state failed\nreason %s\n", r->reason);
		fprintf(stderr, "kbench worker: run failed: %s\n"
		    "--- console tail (%s) ---\n%s\n---\n", r->reason,
		    r->console_log, r->tail != NULL ? r->tail : "");
	}
	return rc;
}

static int
worker_boot(int argc, char **argv)
{
	struct kernel_artifact ka;
	struct boot_opts o;
	struct qemu_job j;
	struct qemu_hooks h;
	struct qemu_result r;
	struct boot_ctx b;
	const char *image;
	char *img = NULL, *rdir = NULL, *tag = NULL, *cmd = NULL, rnd[9];
	int rc = KB_EXIT_ERR;

	memset(&j, 0, sizeof(j));
	memset(&b, 0, sizeof(b));
	if ((rc = boot_args(argc, argv, &o, &j)) != 0)
		return rc;
	rc = KB_EXIT_ERR;
	if (boot_kernel(&o, &j, &ka) != 0)
		return KB_EXIT_ERR;
	cmd = join_words(argv + optind, argc - optind);
	if ((image = o.image) == NULL)
		image = img = kb_asprintf("%s/images/%s/base.img", kb_home(),
		    j.arch);
	if (access(image, R_OK) != 0) {
		kb_warnx("%s: no guest image (kbench worker prepare %s)",
		    image, j.arch);
		goto out;
	}
	if (kb_randhex(rnd, 4) != 0)
		goto out;
	rdir = kb_asprintf("%s/qemu/runs/%ld-%s", kb_home(),
	    (long)time(NULL), rnd);
	tag = kb_asprintf("-kb%s", ka.kid12);
	j.kernel = ka.image;
	j.image = image;
	j.dir = rdir;
	j.release_tag = o.verify ? tag : NULL;
	j.cmd = cmd;
	memset(&h, 0, sizeof(h));
	h.sample = on_sample;
	h.tick = on_tick;
	h.arg = &b;
	if (o.store && boot_run_row(&b, &o, &j, &ka, argv + optind) != 0)
		goto out;
	runner_catch_signals();
	kb_info("booting %s (%s) on %s, %ld+%ld reps, in %s", ka.kid12,
	    ka.label, j.arch, j.warmup, j.n, rdir);
	if (qemu_run(&j, &h, &r) != 0) {
		if (b.db != NULL)
			db_run_state(b.db, b.run, "failed",
			    "qemu could not be started");
	} else
		rc = boot_report(&b, &r, rdir);
	qemu_result_free(&r);
out:
	if (b.db != NULL)
		db_close(b.db);
	kernel_artifact_free(&ka);
	free(img);
	free(rdir);
	free(tag);
	free(cmd);
	return rc;
}

static const char *const subs[] = { "prepare", "accel", "boot" };
#define NSUBS (sizeof(subs) / sizeof(subs[0]))

int
cmd_worker(int argc, char **argv)
{
	char why[256];
	const char *a;
	struct kernel_artifact ka;

	if (argc < 2)
		return kb_unknown("worker", "subcommand", NULL, subs, NSUBS);
	if (strcmp(argv[1], "prepare") == 0)
		return worker_prepare(argc - 1, argv + 1);
	if (strcmp(argv[1], "boot") == 0)
		return worker_boot(argc - 1, argv + 1);
	if (strcmp(argv[1], "accel") == 0) {
		memset(&ka, 0, sizeof(ka));
		if (argc > 2 && kernel_lookup(argv[2], &ka) != 0)
			return KB_EXIT_ERR;
		a = qemu_accel_arch(ka.arch != NULL ? ka.arch : "amd64",
		    ka.image, why, sizeof(why));
		printf("%s\t%s\n", a, why);
		kernel_artifact_free(&ka);
		return KB_EXIT_OK;
	}
	return kb_unknown("worker", "subcommand", argv[1], subs, NSUBS);
}
