/*
 * try_kernel.c: kbench try PATCH... on a QEMU worker.
 *
 * The baseline is the base tree with no patch, the candidate the same
 * tree with the series applied; both are built (cached by kernel id,
 * so a second try of the same patch builds nothing).  Then boots take
 * turns, base, patched, base, patched ..., so drift on the host hits
 * both alike.  Each boot is its own run: a warm-up repetition (a fresh
 * guest has a cold page cache on either kernel) and a few counted ones,
 * every sample stored the moment it arrives.  A boot that fails (panic,
 * hang, wrong kernel) is recorded with its reason and console tail, and
 * the try goes on with the next boot.  The report is `kbench compare`'s,
 * plus what the guest saw of the mechanism: disk reads and page cache.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "format/config.h"
#include "store/trydb.h"
#include "worker/guest.h"
#include "lib/util.h"
#include "worker/kernel.h"
#include "worker/qemu.h"
#include "engine/try.h"
#include "engine/try_kernel.h"
#include "engine/try_request.h"
#include "engine/try_ssh.h"
#include "engine/try_report.h"
#include "engine/try_store.h"
#include "engine/try_turns.h"

struct ktry {
	struct try		*t;
	struct guest		 g;		/* worker, workload, image */
	struct kernel_artifact	 ka[2];
	struct try_store	 s;
	/* Per boot. */
	struct try_turns	 tt;
	time_t			 shown;
	int			 running;	/* a sample came: said so */
};

static const char *side_name[2] = { "base", "patched" };

/*
 * The worker and the workload (guest.c): a configured qemu worker or
 * qemu-ARCH built in; a linux recipe, or the command after --.  What
 * the user gave (--warmup, -t) wins over the recipe's.
 */
static int
resolve(struct ktry *k, const struct kb_config *cfg)
{
	struct try *t = k->t;

	if (t->cmdv != NULL && t->cmdv[0] != NULL && t->workload != NULL) {
		kb_warnx("give either --workload or a command after --, not "
		    "both");
		return -1;
	}
	if (guest_worker(&k->g, cfg, t->worker_given ? t->worker :
	    "qemu-amd64") == -1 || guest_workload(&k->g, cfg, t->workload,
	    t->cmdv) == -1)
		return -1;
	t->worker = k->g.worker;
	t->wl = kb_strdup(k->g.wl);
	if (!t->warmup_given)
		t->warmup = k->g.warmup;
	if (t->timeout == 0)
		t->timeout = k->g.timeout;
	return 0;
}

static int
build_kernels(struct ktry *k)
{
	struct kernel_spec s;
	int i;

	for (i = 0; i < 2; i++) {
		memset(&s, 0, sizeof(s));
		s.os = "linux";
		s.arch = k->g.arch;
		s.patches = (char **)k->t->patches;
		s.npatches = i ? k->t->npatches : 0;
		s.tree = k->t->tree;
		s.rev = k->t->tree != NULL ? k->t->base : NULL;
		kb_info("kbench try: the %s kernel", side_name[i]);
		if (kernel_build(&s, &k->ka[i]) != 0)
			return -1;
		if (k->ka[i].cached)
			kb_info("kbench try: %s kernel %s cached: not rebuilt",
			    side_name[i], k->ka[i].kid12);
	}
	return 0;
}

/* The guest image, made when missing (kbench worker prepare ARCH). */
static int
find_image(struct ktry *k)
{
	char *path;
	int cached;

	path = kb_asprintf("%s/images/%s/base.img", kb_home(), k->g.arch);
	cached = access(path, R_OK) == 0;
	free(path);
	if (guest_image(&k->g) == -1)
		return -1;
	if (cached)
		kb_info("kbench try: guest image %s (cached)", k->g.image);
	return 0;
}

/* Rows for both kernels, the worker and workload; the labels to load. */
static int
open_rows(struct ktry *k)
{
	k->s.worker = k->t->worker;
	k->s.arch = k->g.arch;
	k->s.os = "linux";
	k->s.transport = "qemu";
	k->s.ncpu = k->g.smp;
	return try_store_open(&k->s, k->t, k->ka);
}

static void
on_tick(void *arg, const char *phase, double el)
{
	struct ktry *k = arg;
	int tty = isatty(STDERR_FILENO);

	if (kb_quiet || time(NULL) - k->shown < (tty ? 1 : 60))
		return;
	k->shown = time(NULL);
	fprintf(stderr, "%skbench try: boot %ld/%ld %s [%d:%02d] %s%s",
	    tty ? "\r\033[K" : "", k->tt.boot, k->tt.nboots, side_name[k->tt.side],
	    (int)el / 60, (int)el % 60, phase, tty ? "" : "\n");
}

static int
on_sample(void *arg, const struct qemu_sample *s)
{
	struct ktry *k = arg;
	struct spool_io io;

	io.rep = s->s.rep;
	io.read_kib = s->read_kib;
	io.write_kib = s->write_kib;
	io.cached_pre_kib = s->cached_pre_kib;
	io.cached_post_kib = s->cached_post_kib;
	if (try_store_sample(&k->s, &s->s, s->pkgs_dir) != 0 || try_store_io(&k->s, &io) != 0)
		return -1;
	if (!k->running) {
		k->running = 1;
		try_request_state(k->t, "running");
	}
	if (!s->s.warmup && !s->s.timedout && s->s.status == 0)
		try_turns_sample(&k->tt, &s->s);
	if (kb_quiet)
		return 0;
	fprintf(stderr, "%skbench try: boot %ld/%ld %s rep %d%s: real %.2f "
	    "user %.2f sys %.2f s, disk read %.1f MiB\n",
	    isatty(STDERR_FILENO) ? "\r\033[K" : "", k->tt.boot, k->tt.nboots,
	    side_name[k->tt.side], s->s.rep, s->s.warmup ? " (warm-up)" : "",
	    (double)s->s.real_us / 1e6, (double)s->s.user_us / 1e6,
	    (double)s->s.sys_us / 1e6,
	    s->read_kib >= 0 ? (double)s->read_kib / 1024 : -1.0);
	return 0;
}

/* The boot's end: what QEMU saw, then done or failed; r->ok. */
static int
store_result(struct ktry *k, struct qemu_result *r)
{
	struct spool_boot b;
	char us[24];

	snprintf(us, sizeof(us), "%lld", (long long)(r->boot_secs * 1e6));
	b.accel = r->accel;
	b.console_log = r->console_log;
	b.boot_us = r->boot_secs > 0 ? us : NULL;
	b.tail = r->ok ? NULL : r->tail;
	if (r->prof.n > 0 && try_store_profile(&k->s, &r->prof) != 0)
		r->ok = 0;
	if (try_store_facts(&k->s, &b) != 0 || try_store_state(&k->s,
	    r->ok ? "done" : "failed", r->ok ? NULL : r->reason) != 0)
		r->ok = 0;
	return r->ok;
}

/* One boot of one side: a run row, QEMU, its samples, its end. */
static int
boot_once(struct ktry *k, long reps)
{
	struct qemu_job j;
	struct qemu_hooks h;
	struct qemu_result r;
	char rnd[9], *dir, *tag;
	int ok;

	if (kb_randhex(rnd, 4) != 0)
		return -1;
	dir = kb_asprintf("%s/qemu/runs/%ld-%s", kb_home(), (long)time(NULL),
	    rnd);
	tag = kb_asprintf("-kb%s", k->ka[k->tt.side].kid12);
	if (try_store_boot(&k->s, k->tt.side, "qemu", k->g.cmd,
	    reps + k->t->warmup, NULL) == -1) {
		free(dir);
		free(tag);
		return -1;
	}
	memset(&j, 0, sizeof(j));
	j.arch = k->g.arch;
	j.kernel = k->ka[k->tt.side].image;
	j.release_tag = tag;
	j.image = k->g.image;
	j.dir = dir;
	j.smp = k->g.smp;
	j.n = reps;
	j.warmup = k->t->warmup;
	j.cmd = k->g.cmd;
	j.setup = k->g.setup;
	j.cleanup = k->g.cleanup;
	j.agent_timeout = k->t->timeout;
	j.profile = k->t->profile;
	if (k->t->icount >= 0) {
		j.icount = 1;
		j.icount_shift = k->t->icount;
	}
	memset(&h, 0, sizeof(h));
	h.sample = on_sample;
	h.tick = on_tick;
	h.arg = k;
	kb_info("kbench try: boot %ld/%ld: %s kernel %s, %ld+%ld reps, in %s",
	    k->tt.boot, k->tt.nboots, side_name[k->tt.side], k->ka[k->tt.side].kid12,
	    k->t->warmup, reps, dir);
	if (qemu_run(&j, &h, &r) != 0) {
		try_store_state(&k->s, "failed", "qemu could not be started");
		qemu_result_free(&r);
		free(dir);
		free(tag);
		return -1;
	}
	if (!kb_quiet && isatty(STDERR_FILENO))
		fprintf(stderr, "\r\033[K");
	ok = store_result(k, &r);
	if (!ok)
		fprintf(stderr, "kbench try: boot %ld/%ld (%s kernel) failed: "
		    "%s\n--- console tail (%s) ---\n%s\n---\n", k->tt.boot,
		    k->tt.nboots, side_name[k->tt.side], r.reason, r.console_log,
		    r.tail != NULL ? r.tail : "");
	else if (k->tt.boot <= 2)
		kb_info("kbench try: %s kernel runs %s (%s), boot took %.1f s",
		    side_name[k->tt.side], r.release, r.accel, r.boot_secs);
	qemu_result_free(&r);
	free(dir);
	free(tag);
	return ok ? 0 : 1;
}

/* What the guest saw: disk reads and page cache, per counted sample. */
static void
print_mechanism(struct ktry *k, int64_t since)
{
	struct trydb_guest g;
	int i;

	printf("\nguest (%s, per counted repetition):\n", k->t->worker);
	for (i = 0; i < 2; i++) {
		if (trydb_guest(k->s.db, since, k->s.kernel_id[i], &g) != 0)
			return;
		printf("  %-7s %s: %s samples, disk read %.1f MiB, page cache "
		    "after %.1f MiB (%s)\n", side_name[i], k->ka[i].kid12,
		    g.n, g.disk_read_kib / 1024, g.cached_post_kib / 1024,
		    g.accel);
	}
}

/* try_turns()'s boot: one boot of k->tt.side. */
static int
boot_turn(void *arg, long reps)
{
	return boot_once(arg, reps);
}

int
try_kernel(struct try *t)
{
	struct kb_config cfg;
	const struct kb_worker *w;
	struct ktry k;
	char err[512];
	int rc = KB_EXIT_ERR, i;

	memset(&k, 0, sizeof(k));
	k.t = t;
	if (kb_config_load(NULL, &cfg, err, sizeof(err)) != 0) {
		kb_warnx("%s", err);
		kb_config_free(&cfg);
		return KB_EXIT_ERR;
	}
	w = t->worker_given ? kb_config_worker(&cfg, t->worker) : NULL;
	if (w != NULL && strcmp(w->transport, "ssh") == 0) {
		if (t->profile) {
			kb_warnx("--profile: QEMU workers only (%s is a "
			    "machine over ssh)", t->worker);
			kb_config_free(&cfg);
			return KB_EXIT_USAGE;
		}
		rc = try_ssh(t, w);
		kb_config_free(&cfg);
		return rc;
	}
	if (resolve(&k, &cfg) == -1)
		goto out;
	kb_info("kbench try: %zu patch%s on %s, workload %s, %ld+%ld "
	    "samples a side, %ld counted per boot", t->npatches,
	    t->npatches == 1 ? "" : "es", t->worker, t->wl, t->warmup, t->n,
	    t->per_boot);
	if (build_kernels(&k) == -1 || find_image(&k) == -1 ||
	    open_rows(&k) == -1)
		goto out;
	try_request_state(t, "booting");
	if (try_turns(k.t, &k.tt, boot_turn, &k) == -1 ||
	    try_store_finish(&k.s) == -1)
		goto out;
	rc = try_report(t, k.s.since);
	if (strcmp(t->format, "text") == 0)
		print_mechanism(&k, k.s.since);
out:
	try_store_close(&k.s);
	for (i = 0; i < 2; i++) {
		kernel_artifact_free(&k.ka[i]);
		free(t->label[i]);
	}
	free(t->wl);
	try_turns_free(&k.tt);
	guest_free(&k.g);
	kb_config_free(&cfg);
	return rc;
}
