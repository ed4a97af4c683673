/*
 * bisect_kernel.c: the kernel subject of kbench bisect.
 *
 * The history is any kernel git tree.  On a clone of kbench's base
 * tree ($KBENCH_HOME/src/linux, tag "base") a revision becomes a kernel
 * the way kbench try makes one: its commits since base, as one git
 * format-patch mail, go to kernel_build(), which applies them to the
 * base tree.  On any other tree (a developer's linux.git, --tree) the
 * revision itself is the base, built from a scratch clone of the tree
 * (kernel.h).  Either way the kernel id names the revision, so a
 * revision measured twice (the endpoints, at every step) is built once.  A round boots
 * each slot's kernel once on the QEMU worker: a warm-up repetition,
 * then one counted one, checked to run the kernel that was built.  On
 * an ssh worker whose recipe builds on the harness (build_on =
 * "harness", linux-kexec.conf) the kernels are built here the same
 * way, for its arch and kconfig fragments, and each boot is a try's
 * (try_ssh.c): install, reboot, verify, the agent; the worker's own
 * kernel is saved first and restored at the end.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/util.h"
#include "lib/sample.h"
#include "engine/bisect_git.h"
#include "engine/bisect_kernel.h"
#include "engine/try_ssh.h"
#include "format/config.h"
#include "store/db.h"
#include "store/importdb.h"
#include "worker/guest.h"
#include "worker/kernel.h"
#include "worker/qemu.h"
#include "worker/runner.h"

/* A boot that fails is tried once more before the revision is given up. */
#define BOOT_TRIES	2

struct kern_ctx {
	PGconn			*c;
	char			*tree, *dir;
	struct guest		 g;
	struct kb_config	 cfg;
	const struct kb_worker	*w;		/* an ssh worker, or NULL */
	struct ssh_session	*ss;
	int			 icount;	/* shift, or -1 */
	int64_t			 wid, lid;
	struct kernel_artifact	 ka[BISECT_SLOTS];
	int64_t			 kid[BISECT_SLOTS];
	char			*ready[BISECT_SLOTS];
	struct bisect_subject	 sub;
};

/* One slot's boot in a round: where its samples go. */
struct kboot {
	struct kern_ctx		*kc;
	struct kb_sampleset	*ss;
	int64_t			 run;
	long			 round;
	int			 try;
	const char		*label;
	time_t			 shown;
};

/*
 * The mails that make rev (and its revert) from kbench's base into
 * patch[], or the tree itself into s when rev is not on that base.  0,
 * 1 when a git step failed, -1 on an error that ends the bisection.
 */
static int
rev_patches(struct kern_ctx *kc, struct kernel_spec *sp, const char *rev,
    const char *revert, char *patch[2], size_t *npp, char *why, size_t len)
{
	struct kernel_spec s = *sp;
	char *range, out[64];
	size_t np = 0;
	int rc = 1;

	/* The commits since base as one mail: git am keeps them commits. */
	range = kb_asprintf("base..%s", rev);
	if (bisect_git(kc->tree, NULL, NULL, 0, "merge-base",
	    "--is-ancestor", "base", rev, NULL) != 0) {
		/* Not on kbench's base: the tree at rev is the kernel. */
		s.tree = kc->tree;
		s.rev = rev;
	} else if (bisect_git(kc->tree, NULL, out, sizeof(out), "rev-list",
	    "--count", range, NULL) != 0) {
		snprintf(why, len, "%s: git rev-list %s failed", kc->tree,
		    range);
		rc = -1;
		goto done;
	}
	if (s.tree == NULL && strtol(out, NULL, 10) > 0) {
		patch[np] = kb_asprintf("%s/rev-%.12s.patch", kc->dir, rev);
		/*
		 * Full blob ids: an abbreviation grows when the tree gets
		 * packed, and the same commit would get a second kernel id.
		 */
		if (bisect_git_file(kc->tree, patch[np], "format-patch",
		    "--stdout", "--no-signature", "--full-index", range,
		    NULL) != 0) {
			snprintf(why, len, "git format-patch %s failed", range);
			goto done;
		}
		np++;
	}
	if (revert != NULL) {
		patch[np] = kb_asprintf("%s/revert-%.12s.patch", kc->dir,
		    revert);
		free(range);
		range = kb_asprintf("%s^", revert);
		if (bisect_git_file(kc->tree, patch[np], "diff", "--binary",
		    revert, range, NULL) != 0) {
			snprintf(why, len, "git diff for the revert of %.12s "
			    "failed", revert);
			goto done;
		}
		np++;
	}
	rc = 0;
done:
	*sp = s;
	*npp = np;
	free(range);
	return rc;
}

static int
kern_prepare(void *arg, int slot, const char *rev, const char *revert,
    char *why, size_t len)
{
	struct kern_ctx *kc = arg;
	struct kernel_spec s;
	char *key, *patch[2];
	size_t np = 0;
	int rc = 1;

	key = kb_asprintf("%s%s%s", rev, revert != NULL ? "+revert:" : "",
	    revert != NULL ? revert : "");
	if (kc->ready[slot] != NULL && strcmp(kc->ready[slot], key) == 0) {
		free(key);
		return 0;
	}
	free(kc->ready[slot]);
	kc->ready[slot] = NULL;
	kernel_artifact_free(&kc->ka[slot]);
	memset(&kc->ka[slot], 0, sizeof(kc->ka[slot]));
	patch[0] = patch[1] = NULL;
	memset(&s, 0, sizeof(s));
	if ((rc = rev_patches(kc, &s, rev, revert, patch, &np, why,
	    len)) != 0)
		goto out;
	rc = 1;
	s.os = "linux";
	s.arch = kc->g.arch;
	if (kc->w != NULL) {
		s.fragments = kc->w->kconfig;
		s.nfragments = kc->w->nkconfig;
	}
	s.patches = patch;
	s.npatches = np;
	kb_info("kbench bisect: the kernel at %.12s%s", rev, revert != NULL ?
	    " with the revert" : "");
	if (kernel_build(&s, &kc->ka[slot]) != 0) {
		snprintf(why, len, "the kernel at %.12s does not build%s (see "
		    "above)", rev, s.tree != NULL ? "" : " or its commits do "
		    "not apply to base");
		rc = runner_interrupted() ? -1 : 1;
		goto out;
	}
	/*
	 * The row names the commit, not the base its mail was applied to:
	 * watch's step test reads it from the rows on both sides.
	 */
	if ((kc->kid[slot] = kernel_row(kc->c, &kc->ka[slot])) == -1 ||
	    (revert == NULL && importdb_kernel_facts(kc->c, kc->kid[slot],
	    rev, NULL, NULL) != 0)) {
		kc->kid[slot] = -1;
		snprintf(why, len, "storing the kernel row failed");
		rc = -1;
		goto out;
	}
	kc->ready[slot] = key;
	key = NULL;
	rc = 0;
out:
	free(key);
	free(patch[0]);
	free(patch[1]);
	return rc;
}

static int
kern_sample(void *arg, const struct qemu_sample *qs)
{
	struct kboot *kb = arg;
	struct qemu_sample s = *qs;

	/* Every boot's agent counts from 1 again. */
	s.s.rep = (int)((kb->round * BOOT_TRIES + kb->try) * 100 + qs->s.rep);
	if (qemu_store_sample(kb->kc->c, kb->run, &s) != 0)
		return -1;
	if (!s.s.warmup)
		kb_ss_add(kb->ss, &s.s);
	if (!kb_quiet)
		fprintf(stderr, "  round %ld, %s rep %d%s: real %.2f user "
		    "%.2f sys %.2f s\n", kb->round + 1, kb->label, qs->s.rep,
		    qs->s.warmup ? " (warm-up)" : "",
		    (double)qs->s.real_us / 1e6, (double)qs->s.user_us / 1e6,
		    (double)qs->s.sys_us / 1e6);
	return 0;
}

static void
kern_tick(void *arg, const char *phase, double el)
{
	struct kboot *kb = arg;

	if (kb_quiet || time(NULL) - kb->shown < 60)
		return;
	kb->shown = time(NULL);
	fprintf(stderr, "  round %ld [%d:%02d] %s\n", kb->round + 1,
	    (int)el / 60, (int)el % 60, phase);
}

/* An ssh boot's sample, as QEMU's without the disk figures. */
static int
kern_ssh_sample(void *arg, const struct kb_sample *ks)
{
	struct qemu_sample qs;

	memset(&qs, 0, sizeof(qs));
	qs.s = *ks;
	qs.read_kib = qs.write_kib = -1;
	qs.cached_pre_kib = qs.cached_post_kib = -1;
	return kern_sample(arg, &qs);
}

/* One boot of slot's kernel on the ssh worker; as boot(). */
static int
boot_ssh(struct kern_ctx *kc, int slot, struct kboot *kb, char *why,
    size_t len)
{
	int st;

	st = ssh_session_boot(kc->ss, &kc->ka[slot], 1, kern_ssh_sample, kb,
	    why, len);
	if (st != 0)
		fprintf(stderr, "kbench bisect: kernel %s on %s: boot failed: "
		    "%s\n", kc->ka[slot].kid12, kc->w->name, why);
	return st;
}

/* One boot of slot's kernel; 0, 1 (it failed: reason said), -1. */
static int
boot(struct kern_ctx *kc, int slot, struct kboot *kb, char *why,
    size_t len)
{
	struct qemu_job j;
	struct qemu_hooks h;
	struct qemu_result r;
	char rnd[9], *dir, *tag;
	int rc;

	if (kc->ss != NULL)
		return boot_ssh(kc, slot, kb, why, len);
	if (kb_randhex(rnd, 4) != 0)
		return -1;
	dir = kb_asprintf("%s/qemu/runs/%ld-%s", kb_home(), (long)time(NULL),
	    rnd);
	tag = kb_asprintf("-kb%s", kc->ka[slot].kid12);
	memset(&j, 0, sizeof(j));
	j.arch = kc->g.arch;
	j.kernel = kc->ka[slot].image;
	j.release_tag = tag;
	j.image = kc->g.image;
	j.dir = dir;
	j.smp = kc->g.smp;
	j.n = 1;
	j.warmup = kc->g.warmup;
	j.cmd = kc->g.cmd;
	j.setup = kc->g.setup;
	j.cleanup = kc->g.cleanup;
	j.agent_timeout = kc->g.timeout;
	if (kc->icount >= 0) {
		j.icount = 1;
		j.icount_shift = kc->icount;
	}
	memset(&h, 0, sizeof(h));
	h.sample = kern_sample;
	h.tick = kern_tick;
	h.arg = kb;
	if (qemu_run(&j, &h, &r) != 0) {
		snprintf(why, len, "qemu could not be started");
		rc = -1;
	} else if (!r.ok) {
		snprintf(why, len, "%s (console: %s)", r.reason,
		    r.console_log != NULL ? r.console_log : dir);
		fprintf(stderr, "kbench bisect: kernel %s: boot failed: %s\n"
		    "--- console tail ---\n%s\n---\n", kc->ka[slot].kid12,
		    r.reason, r.tail != NULL ? r.tail : "");
		rc = 1;
	} else
		rc = 0;
	qemu_result_free(&r);
	free(dir);
	free(tag);
	return rc;
}

static int
kern_measure(void *arg, int nslots, const int *slots,
    const char *const *labels, long n, bisect_enough_fn enough, void *earg,
    struct kb_sampleset *out, int64_t *run_ids)
{
	struct kern_ctx *kc = arg;
	struct kboot kb;
	struct db_run dr;
	char ukey[33], why[600];
	long round;
	size_t before;
	int i, j, st = 0, rc = 0, failed = -1;

	if (nslots < 1 || nslots > BISECT_SLOTS)
		return -1;
	for (i = 0; i < nslots; i++) {
		if (kb_randhex(ukey, 16) != 0)
			return -1;
		memset(&dr, 0, sizeof(dr));
		dr.kernel_id = kc->kid[slots[i]];
		dr.worker_id = kc->wid;
		dr.workload_id = kc->lid;
		dr.ukey = ukey;
		dr.source = "bisect";
		dr.variant = labels[i];
		dr.state = "running";
		dr.command = kc->g.cmd;
		dr.n_planned = (int)n;
		if ((run_ids[i] = db_run_create(kc->c, &dr)) == -1)
			return -1;
	}
	memset(&kb, 0, sizeof(kb));
	kb.kc = kc;
	for (round = 0; round < n && rc == 0; round++) {
		/* Round r starts with slot r mod n (runner.c: rotation). */
		for (j = 0; j < nslots && rc == 0; j++) {
			i = (int)((round + j) % nslots);
			kb.ss = &out[i];
			kb.run = run_ids[i];
			kb.round = round;
			kb.label = labels[i];
			before = out[i].n;
			for (kb.try = 0; kb.try < BOOT_TRIES; kb.try++) {
				/* What a failed boot gave is not a round. */
				out[i].n = before;
				if ((st = boot(kc, slots[i], &kb, why,
				    sizeof(why))) != 1)
					break;
			}
			if (st == -1 || runner_interrupted())
				rc = -1;
			else if (st == 1) {
				/* The revision under test: skip it. */
				db_run_state(kc->c, run_ids[i], "failed", why);
				failed = i;
				rc = slots[i] == BS_TEST ? 1 : -1;
			}
		}
		if (rc == 0 && enough != NULL && enough(earg, out, nslots))
			break;
	}
	for (i = 0; i < nslots; i++)
		if (i != failed)
			db_run_state(kc->c, run_ids[i], rc == -1 ? "failed" :
			    "done", rc == -1 ? "interrupted or failed" : NULL);
	return rc;
}

static void
kern_cleanup(void *arg, int keep)
{
	struct kern_ctx *kc = arg;
	int i;

	if (kc->ss != NULL && ssh_session_close(kc->ss) == -1)
		kb_warnx("worker %s: its own kernel was not restored",
		    kc->w->name);
	for (i = 0; i < BISECT_SLOTS; i++) {
		free(kc->ready[i]);
		kernel_artifact_free(&kc->ka[i]);
	}
	guest_free(&kc->g);
	kb_config_free(&kc->cfg);
	free(kc->tree);
	free(kc->dir);
	free(kc);
}

/*
 * The ssh worker: connected, its kernel saved (ssh_session_open); the
 * guest fields the rounds read (arch, workload label) set from it.
 */
static int
ssh_worker(struct kern_ctx *kc, const char *workload, char **cmdv,
    int icount, long timeout)
{
	if (icount >= 0) {
		kb_warnx("--icount: only for a qemu worker, not %s",
		    kc->w->name);
		return -1;
	}
	if ((kc->ss = ssh_session_open(kc->w, workload, cmdv, timeout)) ==
	    NULL)
		return -1;
	kc->g.worker = kb_strdup(kc->w->name);
	kc->g.arch = kb_strdup(kc->w->arch);
	kc->g.wl = kb_strdup(ssh_session_workload(kc->ss));
	kc->g.cmd = kb_strdup(kc->g.wl);
	return 0;
}

struct bisect_subject *
bisect_kernel_subject(PGconn *c, const char *tree, const char *dir,
    const char *worker, const char *workload, char **cmdv, int icount,
    long timeout)
{
	struct kern_ctx *kc;
	char err[512];

	kc = kb_calloc(1, sizeof(*kc));
	kc->c = c;
	kc->tree = kb_strdup(tree);
	kc->dir = kb_strdup(dir);
	kc->icount = icount;
	if (kb_config_load(NULL, &kc->cfg, err, sizeof(err)) != 0) {
		kb_warnx("%s", err);
		kern_cleanup(kc, 0);
		return NULL;
	}
	kc->w = worker != NULL ? kb_config_worker(&kc->cfg, worker) : NULL;
	if (kc->w != NULL && strcmp(kc->w->transport, "ssh") == 0) {
		if (ssh_worker(kc, workload, cmdv, icount, timeout) == -1) {
			kern_cleanup(kc, 0);
			return NULL;
		}
	} else if (guest_worker(&kc->g, &kc->cfg, worker) == -1 ||
	    guest_workload(&kc->g, &kc->cfg, workload, cmdv) == -1 ||
	    guest_image(&kc->g) == -1) {
		kern_cleanup(kc, 0);
		return NULL;
	}
	kc->w = kc->ss != NULL ? kc->w : NULL;
	if (timeout > 0)
		kc->g.timeout = timeout;
	kc->wid = kc->ss != NULL ? db_worker_id(c, kc->w->name, kc->w->arch,
	    kc->w->os, "ssh", kc->w->ncpu) : db_worker_id(c, kc->g.worker,
	    kc->g.arch, "linux", "qemu", qemu_arch_cpus(kc->g.arch,
	    kc->g.smp));
	kc->lid = db_workload_id(c, kc->g.wl);
	if (kc->wid == -1 || kc->lid == -1) {
		kern_cleanup(kc, 0);
		return NULL;
	}
	kc->sub.name = "kernel";
	kc->sub.ctx = kc;
	kc->sub.prepare = kern_prepare;
	kc->sub.measure = kern_measure;
	kc->sub.cleanup = kern_cleanup;
	return &kc->sub;
}
