/*
 * try_ssh.c: kbench try PATCH... --worker NAME on an ssh worker: a real
 * machine (or the loopback QEMU guest of tests/integration/66-ssh-try.sh)
 * that runs the recipe of its OS, configs/recipes/OS.conf, or the file
 * its worker entry names (docs/workers.md).
 *
 * In order: connect (ssh.c: BatchMode, host key checked, one master
 * connection); copy the agent's source and build it there with cc;
 * the two kernels, built on the worker by the recipe's fetch, patch and
 * build steps, or here by kernel.c when the recipe says build_on =
 * "harness" (Linux; the image is copied to the worker as $KB_IMAGE);
 * then boots in turns, base, patched, base, ... as try_kernel.c, each
 * one: install, reboot, wait (bounded) until ssh answers with a new
 * boot id, verify that the running kernel is the one built (its output
 * must contain verify_expect, "-kb$KB_KID12"), then the workload
 * through the agent, each sample stored the moment its line arrives,
 * once the agent's START line has shown the same mark in its uname
 * (-r or -v): a START from another kernel (forged, or a machine that
 * rebooted under the try) fails the boot before any sample counts.
 *
 * A boot that runs the wrong kernel is a failed run with the reason
 * "booted the wrong kernel: expected ..., running ...": nothing is
 * measured on it and the try fails, whatever the other boots gave.  A
 * machine that does not come back, or drops the connection during the
 * workload, stops the try (a real machine needs a person, or the
 * recipe's on_panic commands at its console, worker key console).
 *
 * Every step's command line and output goes to steps.log in the try's
 * directory; a step that fails stops the try with "worker W: step N of
 * PHASE failed (exit S): CMD" and the tail of its output.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/adhoc.h"
#include "format/agentcmd.h"
#include "format/agentproto.h"
#include "format/config.h"
#include "lib/util.h"
#include "lib/hash.h"
#include "worker/kernel.h"
#include "worker/kid.h"
#include "worker/krun.h"
#include "format/recipe.h"
#include "lib/spawn.h"
#include "worker/pkgrows.h"
#include "worker/ssh.h"
#include "engine/try.h"
#include "engine/try_ssh.h"
#include "engine/try_report.h"
#include "engine/try_store.h"
#include "engine/try_turns.h"

/* kbench's directory on the worker: /tmp may be emptied at boot. */
#define REMOTE_DIR	"/var/tmp/kbench"
#define BOOT_TIMEOUT	900	/* s, reboot to ssh back (boot_timeout) */
#define STEP_TIMEOUT	(4 * 3600)	/* one fetch or build step */

enum { PH_CONNECT, PH_AGENT, PH_KERNEL, PH_INSTALL, PH_REBOOT, PH_WAIT,
	PH_VERIFY, PH_WORKLOAD, PH_COUNT };
static const char *const ph_name[PH_COUNT] = {
	"connect", "agent copy+build", "kernels", "install", "reboot",
	"reboot to ssh back", "verify", "workload"
};
static const char *side_name[2] = { "base", "patched" };

struct stry {
	struct try		*t;
	const struct kb_worker	*w;
	struct recipe		 r;
	struct recipe_workload	 adhoc;
	const struct recipe_workload *wl;
	struct ssh_host		 h;
	struct kernel_artifact	 ka[2];
	char			*dir;		/* $KBENCH_HOME/try/... */
	char			*logpath;	/* dir/steps.log */
	FILE			*log;
	long			 ncpu, jobs;
	int			 boot_timeout;
	char			*bootid;	/* the worker's, last seen */
	char			*orig;		/* verify's output, before */
	int			 saved;		/* save ran: restore at the end */
	struct try_store	 s;
	/* Per boot. */
	struct try_turns	 tt;
	long			 got;		/* samples of this boot */
	struct ap_reader	 rd;
	char			*expect;	/* the kernel's mark, this boot */
	char			*startbad;	/* why START was refused */
	FILE			*raw;
	char			*pkdir;		/* dir/boot-N: package rows */
	struct pkgrows		 pk;
	/* A bisection's boots (ssh_session): samples to it, not stored. */
	ssh_sample_fn		 sample;
	void			*sarg;
	char			*why;		/* the last boot's failure */
	/* Outcome. */
	long			 wrong;		/* boots on the wrong kernel */
	double			 secs[PH_COUNT];
	long			 count[PH_COUNT];
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
timed(struct stry *k, int ph, double t0)
{
	k->secs[ph] += now() - t0;
	k->count[ph]++;
}

/*
 * A boot's state: stored for a try; a bisection (k->sample set) keeps
 * its own runs, so only the reason of a failure is kept for it.
 */
static void
boot_state(struct stry *k, const char *state, const char *reason)
{
	if (k->sample == NULL) {
		try_store_state(&k->s, state, reason);
		return;
	}
	if (reason != NULL) {
		free(k->why);
		k->why = kb_strdup(reason);
	}
}

/* What kbench sets for every step (the recipes' header lists them). */
static char *
env_prefix(const struct stry *k, const char *patch)
{
	const char *kid = k->ka[k->tt.side].kid12;
	char *src = sh_quote(k->r.src), *p, *img, *rel, *s;

	p = sh_quote(patch != NULL ? patch : "");
	/* Before the kernels are known (connect, agent): empty. */
	img = *kid != '\0' ? kb_asprintf(REMOTE_DIR "/vmlinuz-%s", kid) :
	    kb_strdup("");
	rel = sh_quote(k->ka[k->tt.side].release != NULL ?
	    k->ka[k->tt.side].release : "");
	s = kb_asprintf("KB_SRC=%s KB_WORK=" REMOTE_DIR " KB_PATCH=%s "
	    "KB_KID12=%s KB_IMAGE=%s KB_RELEASE=%s NCPU=%ld JOBS=%ld; "
	    "export KB_SRC KB_WORK KB_PATCH KB_KID12 KB_IMAGE KB_RELEASE "
	    "NCPU JOBS; ", src, p, kid, img, rel, k->ncpu, k->jobs);
	free(src);
	free(p);
	free(img);
	free(rel);
	return s;
}

/* The last lines of the log from offset off: a failure's context. */
static void
print_tail(struct stry *k, long off)
{
	char *buf, *p;
	long end, n;
	int lines = 0;
	FILE *fp;

	fflush(k->log);
	if ((fp = fopen(k->logpath, "r")) == NULL)
		return;
	fseek(fp, 0, SEEK_END);
	end = ftell(fp);
	if (end - off > 16384)
		off = end - 16384;
	n = end - off;
	buf = kb_malloc((size_t)n + 1);
	fseek(fp, off, SEEK_SET);
	n = (long)fread(buf, 1, (size_t)n, fp);
	buf[n] = '\0';
	fclose(fp);
	for (p = buf + n; p > buf; p--)
		if (p[-1] == '\n' && p != buf + n && ++lines == 15)
			break;
	fprintf(stderr, "--- the end of its output (%s) ---\n%s%s---\n",
	    k->logpath, p, n > 0 && buf[n - 1] != '\n' ? "\n" : "");
	free(buf);
}

/*
 * One recipe step: 0, or -1 after saying which step failed.  The step
 * is logged as the recipe has it, after the variables kbench sets.
 */
static int
step(struct stry *k, const char *phase, size_t i, size_t n, const char *cmd,
    const char *patch, char **out, int timeout)
{
	char *env, *full;
	long off;
	int st;

	env = env_prefix(k, patch);
	full = kb_asprintf("%s%s", env, cmd);
	fflush(k->log);
	off = ftell(k->log);
	fprintf(k->log, "\n+ [%s] %s step %zu/%zu: %s\n+ (with: %s)\n",
	    k->w->host, phase, i + 1, n, cmd, env);
	fflush(k->log);
	st = ssh_run(&k->h, full, -1, k->log, NULL, NULL, out, timeout);
	fprintf(k->log, "+ exit %d\n", st);
	free(env);
	free(full);
	if (st == 0)
		return 0;
	if (st == SSH_TIMEOUT)
		kb_warnx("worker %s: step %zu of %s timed out after %d s: %s",
		    k->w->name, i + 1, phase, timeout, cmd);
	else
		kb_warnx("worker %s: step %zu of %s failed (exit %d%s): %s",
		    k->w->name, i + 1, phase, st, st == SSH_LOST ?
		    ", ssh: connection failed or lost" : "", cmd);
	print_tail(k, off);
	return -1;
}

static int
phase(struct stry *k, enum recipe_phase p, const char *patch)
{
	size_t i;

	for (i = 0; i < k->r.phase[p].n; i++)
		if (step(k, recipe_phase_name(p), i, k->r.phase[p].n,
		    k->r.phase[p].v[i], patch, NULL, STEP_TIMEOUT) == -1)
			return -1;
	return 0;
}

/* Trimmed copy: the first line of s, without trailing space. */
static char *
first_line(const char *s)
{
	size_t n = strcspn(s, "\n");

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\r' ||
	    s[n - 1] == '\t'))
		n--;
	return kb_asprintf("%.*s", (int)n, s);
}

/* The worker's boot id now, or NULL when it does not answer. */
static char *
boot_id(struct stry *k, int timeout)
{
	char *out = NULL, *id;
	int st;

	if (*k->r.boot_id == '\0')
		return kb_strdup("");
	fprintf(k->log, "+ [%s] %s\n", k->w->host, k->r.boot_id);
	st = ssh_run(&k->h, k->r.boot_id, -1, k->log, NULL, NULL, &out,
	    timeout);
	if (st != 0 || *out == '\0') {
		free(out);
		return NULL;
	}
	id = first_line(out);
	free(out);
	return id;
}

/* Connect, NCPU, the agent; the worker's files in REMOTE_DIR. */
static int
prepare_worker(struct stry *k)
{
	char *out = NULL, *agent, *to, *cmd, *s;
	double t0 = now();
	size_t i;

	s = ssh_cmdline(&k->h);
	fprintf(k->log, "# each step runs as: %s 'STEP'\n", s);
	free(s);
	if (step(k, "connect", 0, 1, "mkdir -p " REMOTE_DIR " && "
	    "{ getconf _NPROCESSORS_ONLN 2>/dev/null || getconf "
	    "NPROCESSORS_ONLN 2>/dev/null || sysctl -n hw.ncpuonline; }",
	    NULL, &out, 60) == -1) {
		free(out);
		return -1;
	}
	if (k->ncpu == 0) {
		k->ncpu = strtol(out, NULL, 10);
		if (k->ncpu < 1)
			k->ncpu = 1;
		k->jobs = k->ncpu / 2 > 0 ? k->ncpu / 2 : 1;
		kb_info("kbench try: worker %s has %ld CPUs", k->w->name,
		    k->ncpu);
	}
	free(out);
	free(k->bootid);
	if ((k->bootid = boot_id(k, 60)) == NULL) {
		kb_warnx("worker %s: boot_id (%s) gave nothing", k->w->name,
		    k->r.boot_id);
		return -1;
	}
	timed(k, PH_CONNECT, t0);

	t0 = now();
	agent = kb_asprintf("%s/workers/agent/kbench-agent.c", kb_root());
	if (ssh_put(&k->h, agent, REMOTE_DIR "/kbench-agent.c", k->log) ==
	    -1) {
		free(agent);
		return -1;
	}
	free(agent);
	if (step(k, "agent", 0, 1, "cd " REMOTE_DIR " && cc -O2 -o "
	    "kbench-agent kbench-agent.c && ./kbench-agent -V", NULL, NULL,
	    600) == -1)
		return -1;
	timed(k, PH_AGENT, t0);
	kb_info("kbench try: agent built on %s in %.1f s", k->w->name,
	    k->secs[PH_AGENT]);

	for (i = 0; i < k->wl->nfiles; i++) {
		s = kb_asprintf("%s/%s", kb_root(), k->wl->files[i]);
		cmd = strrchr(k->wl->files[i], '/');
		to = kb_asprintf(REMOTE_DIR "/%s", cmd != NULL ? cmd + 1 :
		    k->wl->files[i]);
		if (ssh_put(&k->h, s, to, k->log) == -1) {
			free(s);
			free(to);
			return -1;
		}
		free(s);
		free(to);
	}
	return 0;
}

/*
 * Kernels built here: kernel.c, the worker's arch and extra fragments
 * (kconfig), so the same id and cache as any other build; each image
 * copied to the worker as REMOTE_DIR/vmlinuz-<kid12>.
 */
static int
harness_kernels(struct stry *k)
{
	struct kernel_spec s;
	char *to;
	double t0;
	int i;

	for (i = 0; i < 2; i++) {
		memset(&s, 0, sizeof(s));
		s.os = "linux";
		s.arch = k->w->arch;
		s.patches = (char **)k->t->patches;
		s.npatches = i ? k->t->npatches : 0;
		s.fragments = k->w->kconfig;
		s.nfragments = k->w->nkconfig;
		s.tree = k->t->tree;
		s.rev = k->t->tree != NULL ? k->t->base : NULL;
		t0 = now();
		kb_info("kbench try: the %s kernel, built here", side_name[i]);
		if (kernel_build(&s, &k->ka[i]) != 0)
			return -1;
		kb_info("kbench try: %s kernel %s %s (%.1f s)", side_name[i],
		    k->ka[i].kid12, k->ka[i].cached ? "cached: not rebuilt" :
		    "built", now() - t0);
		k->tt.side = i;
		t0 = now();
		to = kb_asprintf(REMOTE_DIR "/vmlinuz-%s", k->ka[i].kid12);
		if (ssh_put(&k->h, k->ka[i].image, to, k->log) == -1) {
			free(to);
			return -1;
		}
		free(to);
		kb_info("kbench try: %s kernel copied to %s in %.1f s",
		    side_name[i], k->w->name, now() - t0);
	}
	return 0;
}

/*
 * What the worker's tree is, asked once it is fetched: its revision (a
 * git commit, else a checksum of the kernel's CVS/Entries files, which
 * name every file's revision) and its compiler's version line.
 */
#define SOURCE_PROBE	"cd \"$KB_SRC\" && { git rev-parse HEAD 2>/dev/null " \
	"|| { find sys -path '*/CVS/Entries' -exec cat {} + 2>/dev/null " \
	"| cksum; }; }; cc --version 2>&1 | head -n 1"

/* A file's SHA-256, or -1 with the reason printed. */
static int
file_sum(const char *path, char sum[65])
{
	char *buf;
	size_t len;

	if ((buf = kr_read_file(path, &len)) == NULL) {
		kb_warn("%s", path);
		return -1;
	}
	kb_sha256_hex(buf, len, sum);
	free(buf);
	return 0;
}

/*
 * The id and names of side's kernel built on the worker (see
 * worker_kernels) into k->ka[side]: kid.h's rule, with the worker's
 * source revision and compiler (src: the two lines of SOURCE_PROBE),
 * the recipe file and the worker's name as its fragments.
 */
static int
worker_kernel_id(struct stry *k, int side, const char *src)
{
	struct kernel_artifact *a = &k->ka[side];
	char *rev, *cc, *rn, *names, sum[65], tag[13];
	const char *b;
	struct kid h;
	size_t i;

	rev = kb_asprintf("%.*s", (int)strcspn(src, "\n"), src);
	b = src + strcspn(src, "\n");
	cc = kb_asprintf("%.*s", *b != '\0' ? (int)strcspn(b + 1, "\n") : 0,
	    *b != '\0' ? b + 1 : b);
	kid_init(&h, k->w->os, k->w->arch, rev, cc);
	if (file_sum(k->r.file, sum) == 0)
		kid_fragment(&h, "recipe", sum);
	kid_fragment(&h, "worker", k->w->name);
	names = kb_strdup("");
	for (i = 0; side == 1 && i < k->t->npatches; i++) {
		if (file_sum(k->t->patches[i], sum) == -1) {
			kid_final(&h, sum);
			free(names);
			free(rev);
			free(cc);
			return -1;
		}
		kid_patch(&h, sum);
		b = strrchr(k->t->patches[i], '/');
		b = b != NULL ? b + 1 : k->t->patches[i];
		rn = kb_asprintf("%s%s%s", names, i ? " " : "", b);
		free(names);
		names = rn;
	}
	memset(a, 0, sizeof(*a));
	kid_final(&h, a->kid);
	memcpy(a->kid12, a->kid, 12);
	/* A git commit names itself; anything else by its hash. */
	if (strlen(rev) == 40 && strspn(rev, "0123456789abcdef") == 40)
		snprintf(tag, sizeof(tag), "%.12s", rev);
	else {
		kb_sha256_hex(rev, strlen(rev), sum);
		snprintf(tag, sizeof(tag), "%.12s", sum);
	}
	snprintf(a->base, sizeof(a->base), "%.40s", rev);
	a->os = kb_strdup(k->w->os);
	a->arch = kb_strdup(k->w->arch);
	a->patches = names;
	a->cc = cc;
	a->label = kb_asprintf("%s-%s-%s-g%s", k->w->os, k->w->arch,
	    k->w->name, tag);
	for (i = 0; side == 1 && i < k->t->npatches; i++) {
		b = strrchr(k->t->patches[i], '/');
		rn = kb_asprintf("%s+%s", a->label, b != NULL ? b + 1 :
		    k->t->patches[i]);
		free(a->label);
		a->label = rn;
	}
	kb_info("kbench try: %s kernel %s: %s at %s, %s", side_name[side],
	    a->kid12, k->w->name, rev, cc);
	free(rev);
	return 0;
}

/* The patch's name on the worker: REMOTE_DIR/<i+1>-<basename>. */
static char *
remote_patch(const struct stry *k, size_t i)
{
	const char *b = strrchr(k->t->patches[i], '/');

	return kb_asprintf(REMOTE_DIR "/%zu-%s", i + 1, b != NULL ? b + 1 :
	    k->t->patches[i]);
}

/*
 * Kernels built on the worker.  Their id is kid.h's, with what only
 * the worker knows, asked once its tree is fetched: the tree's
 * revision and the compiler's version (SOURCE_PROBE); two revisions of
 * /usr/src, or a compiler upgrade, are other kernels with other labels.
 */
static int
worker_kernels(struct stry *k)
{
	char *to, *src = NULL;
	size_t i;
	int side, st;

	for (i = 0; i < k->t->npatches; i++) {
		to = remote_patch(k, i);
		if (ssh_put(&k->h, k->t->patches[i], to, k->log) == -1) {
			free(to);
			return -1;
		}
		free(to);
	}
	k->tt.side = 0;
	if (phase(k, RP_FETCH, NULL) == -1)
		return -1;
	if (step(k, "source", 0, 1, SOURCE_PROBE, NULL, &src, 600) == -1) {
		free(src);
		return -1;
	}
	for (side = 0; side < 2; side++)
		if (worker_kernel_id(k, side, src) == -1) {
			free(src);
			return -1;
		}
	free(src);
	for (side = 0; side < 2; side++) {
		double t0 = now();

		k->tt.side = side;
		for (i = 0; side == 1 && i < k->t->npatches; i++) {
			to = remote_patch(k, i);
			st = phase(k, RP_PATCH, to);
			free(to);
			if (st != 0)
				return -1;
		}
		kb_info("kbench try: building the %s kernel %s on %s",
		    side_name[side], k->ka[side].kid12, k->w->name);
		if (phase(k, RP_BUILD, NULL) == -1)
			return -1;
		k->ka[side].build_secs = now() - t0;
		kb_info("kbench try: %s kernel built on %s in %.0f s",
		    side_name[side], k->w->name, k->ka[side].build_secs);
	}
	return 0;
}

static int
open_rows(struct stry *k)
{
	k->s.worker = k->w->name;
	k->s.arch = k->w->arch;
	k->s.os = k->w->os;
	k->s.transport = "ssh";
	k->s.ncpu = (int)k->ncpu;
	return try_store_open(&k->s, k->t, k->ka);
}

/*
 * The console: the recipe's on_panic (or fallback) lines typed into
 * the worker's console command, its answer kept beside the boot's log.
 */
static void
at_console(struct stry *k, const char *why, enum recipe_phase ph)
{
	const struct recipe_steps *st = &k->r.phase[ph];
	char *path, *cmds, *av[6];
	size_t i;
	FILE *fp;

	if (*k->w->console == '\0') {
		fprintf(stderr, "kbench try: worker %s has no console "
		    "configured (worker key console): at its console, type: ",
		    k->w->name);
		for (i = 0; i < st->n; i++)
			fprintf(stderr, "%s'%s'", i ? ", " : "", st->v[i]);
		fprintf(stderr, "\n");
		return;
	}
	path = kb_asprintf("%s/%s-%ld.log", k->dir, ph == RP_ON_PANIC ?
	    "console" : recipe_phase_name(ph), k->tt.boot);
	cmds = kb_asprintf("%s/%s-%ld.in", k->dir, ph == RP_ON_PANIC ?
	    "console" : recipe_phase_name(ph), k->tt.boot);
	if ((fp = fopen(cmds, "w")) == NULL) {
		kb_warn("%s", cmds);
		goto out;
	}
	for (i = 0; i < st->n; i++)
		fprintf(fp, "%s\n", st->v[i]);
	fclose(fp);
	if ((fp = fopen(path, "w")) == NULL) {
		kb_warn("%s", path);
		goto out;
	}
	fprintf(fp, "# %s\n# console: %s < %s\n", why, k->w->console, cmds);
	fflush(fp);
	/*
	 * The console command is the user's own sh(1) line, run here,
	 * bounded; it and the file are arguments, never pasted in.
	 */
	av[0] = "/bin/sh";
	av[1] = "-c";
	av[2] = "timeout 120 /bin/sh -c \"$0\" <\"$1\" 2>&1";
	av[3] = (char *)k->w->console;
	av[4] = cmds;
	av[5] = NULL;
	(void)spawn(av, NULL, NULL, fileno(fp), NULL);
	fclose(fp);
	kb_info("kbench try: the console's answer to %s is in %s",
	    recipe_phase_name(ph), path);
out:
	free(path);
	free(cmds);
}

/* Wait until ssh answers with a boot id other than the old one. */
static int
wait_back(struct stry *k, const char *old, double *secs)
{
	double t0 = now(), left;
	char *id;
	int tries = 0, gone = 0;

	for (;;) {
		left = k->boot_timeout - (now() - t0);
		if (left <= 0)
			break;
		sleep(tries++ == 0 ? 1 : 2);
		id = boot_id(k, left < 30 ? (int)left + 1 : 30);
		if (id == NULL) {
			gone = 1;
			/* A dead master must not answer for the new one. */
			ssh_close(&k->h, k->log);
			continue;
		}
		if (*old != '\0' ? strcmp(id, old) != 0 : gone) {
			free(k->bootid);
			k->bootid = id;
			*secs = now() - t0;
			return 0;
		}
		free(id);
		ssh_close(&k->h, k->log);
	}
	*secs = now() - t0;
	return -1;
}

static int
on_line(void *arg, const char *line, size_t len)
{
	struct stry *k = arg;
	struct ap_line l;

	if (k->raw != NULL) {
		fwrite(line, 1, len, k->raw);
		fputc('\n', k->raw);
		fflush(k->raw);
	}
	switch (ap_reader_feed(&k->rd, line, len, &l)) {
	case AP_SAMPLE:
		if (k->sample != NULL ? k->sample(k->sarg, &l.sample) != 0 :
		    try_store_sample(&k->s, &l.sample,
		    pkgrows_dir(&k->pk, l.sample.rep)) != 0)
			return -1;
		k->got++;
		if (!l.sample.warmup && !l.sample.timedout &&
		    l.sample.status == 0)
			try_turns_sample(&k->tt, &l.sample);
		if (!kb_quiet && k->sample == NULL)
			fprintf(stderr, "kbench try: boot %ld/%ld %s rep "
			    "%d%s: real %.2f user %.2f sys %.2f s\n", k->tt.boot,
			    k->tt.nboots, side_name[k->tt.side], l.sample.rep,
			    l.sample.warmup ? " (warm-up)" : "",
			    (double)l.sample.real_us / 1e6,
			    (double)l.sample.user_us / 1e6,
			    (double)l.sample.sys_us / 1e6);
		break;
	case AP_BAD:
		fprintf(k->log, "# rejected agent line: %s\n", l.msg);
		if (k->rd.wrong_kernel && k->startbad == NULL)
			k->startbad = kb_strdup(l.msg);
		break;
	case AP_ERROR:
		fprintf(k->log, "# agent error: %s\n", l.msg);
		break;
	case AP_PKG:
		if (pkgrows_feed(&k->pk, line, len) == -1)
			fprintf(k->log, "# rejected package row: %s\n",
			    k->pk.why);
		break;
	default:
		break;
	}
	return 0;
}

/* The agent's command line on the worker. */
static char *
agent_cmd(struct stry *k, long reps)
{
	const struct recipe_workload *w = k->wl;
	struct agent_cmd ac;
	char *log, *line, *s;

	log = kb_asprintf(REMOTE_DIR "/boot-%ld.log", k->tt.boot);
	memset(&ac, 0, sizeof(ac));
	ac.agent = "./kbench-agent";
	ac.n = reps;
	ac.warmup = k->t->warmup;
	ac.timeout = k->t->timeout;
	ac.dir = w->dir;
	ac.setup = w->setup;
	ac.cleanup = w->cleanup;
	ac.log = log;
	ac.shell = w->command;
	line = agent_cmdline(&ac);
	/*
	 * A bulk workload writes its packages' rows there, and the agent
	 * sends them; emptied first, so that no boot sends another's.
	 */
	s = kb_asprintf("cd " REMOTE_DIR " && rm -rf results && mkdir results "
	    "&& KBENCH_RESULTS_DIR=" REMOTE_DIR "/results %s", line);
	free(line);
	free(log);
	return s;
}

/* The boot's run row, its log named in it; 0, or -1. */
static int
boot_row(struct stry *k, long reps)
{
	char id[24];

	if (try_store_boot(&k->s, k->tt.side, "ssh", k->wl->command,
	    reps + k->t->warmup, k->logpath) == -1)
		return -1;
	if (store_run_id(k->s.run) > 0)
		snprintf(id, sizeof(id), "run %" PRId64,
		    store_run_id(k->s.run));
	else
		snprintf(id, sizeof(id), "spooled");
	kb_info("kbench try: boot %ld/%ld: %s kernel %s on %s, %ld+%ld reps",
	    k->tt.boot, k->tt.nboots, side_name[k->tt.side],
	    k->ka[k->tt.side].kid12, k->w->name, k->t->warmup, reps);
	fprintf(k->log, "\n# boot %ld/%ld: the %s kernel %s (%s)\n",
	    k->tt.boot, k->tt.nboots, side_name[k->tt.side],
	    k->ka[k->tt.side].kid12, id);
	return 0;
}

/*
 * Steps that reboot the machine (reboot, restore): one may not come
 * back, the machine going away under it.  A lost connection is what a
 * reboot looks like; any other failure is the step's.  0, or -1.
 */
static int
reboot_steps(struct stry *k, enum recipe_phase ph)
{
	const struct recipe_steps *rs = &k->r.phase[ph];
	char *env, *full;
	size_t i;
	int st;

	for (i = 0; i < rs->n; i++) {
		env = env_prefix(k, NULL);
		full = kb_asprintf("%s%s", env, rs->v[i]);
		fprintf(k->log, "\n+ [%s] %s step %zu/%zu: %s\n", k->w->host,
		    recipe_phase_name(ph), i + 1, rs->n, rs->v[i]);
		st = ssh_run(&k->h, full, -1, k->log, NULL, NULL, NULL, 120);
		fprintf(k->log, "+ exit %d\n", st);
		free(env);
		free(full);
		if (st != 0 && st != SSH_LOST && st != SSH_TIMEOUT) {
			kb_warnx("worker %s: step %zu of %s failed (exit %d): "
			    "%s", k->w->name, i + 1, recipe_phase_name(ph), st,
			    rs->v[i]);
			return -1;
		}
	}
	ssh_close(&k->h, k->log);
	return 0;
}

/* The install step, then the reboot; 0, or -1 with *reason set. */
static int
boot_install(struct stry *k, char **reason)
{
	double t0;

	t0 = now();
	if (phase(k, RP_INSTALL, NULL) == -1) {
		*reason = kb_strdup("the install step failed");
		return -1;
	}
	timed(k, PH_INSTALL, t0);

	t0 = now();
	if (reboot_steps(k, RP_REBOOT) == -1) {
		*reason = kb_strdup("the reboot step failed");
		return -1;
	}
	timed(k, PH_REBOOT, t0);
	return 0;
}

/*
 * The run fails and the try stops: reason said, stored, at the console
 * (on_panic), then the recipe's fallback typed there and the machine
 * waited for, so that the end can restore its own kernel.
 */
static int
boot_lost(struct stry *k, char *reason)
{
	char *old;
	double secs;
	int st;

	kb_warnx("%s", reason);
	boot_state(k, "failed", reason);
	at_console(k, reason, RP_ON_PANIC);
	free(reason);
	if (k->r.phase[RP_FALLBACK].n == 0)
		return -1;
	at_console(k, "fallback", RP_FALLBACK);
	old = kb_strdup(k->bootid != NULL ? k->bootid : "");
	st = wait_back(k, old, &secs);
	free(old);
	if (st == 0)
		kb_info("kbench try: the fallback brought %s back after %.0f "
		    "s", k->w->name, secs);
	else
		kb_warnx("worker %s is not back %.0f s after the fallback",
		    k->w->name, secs);
	return -1;
}

/* The worker back after the reboot; 0, or -1 (the try stops). */
static int
boot_back(struct stry *k)
{
	char *cmd;
	double secs;
	int st;

	cmd = kb_strdup(k->bootid);
	st = wait_back(k, cmd, &secs);
	free(cmd);
	k->secs[PH_WAIT] += secs;
	k->count[PH_WAIT]++;
	if (st == -1)
		return boot_lost(k, kb_asprintf("worker %s did not come back "
		    "within %d s after the reboot (%s)", k->w->name,
		    k->boot_timeout, *k->r.boot_id != '\0' ?
		    "no new boot id" : "no ssh"));
	kb_info("kbench try: %s back after %.1f s (boot id %s)", k->w->name,
	    secs, k->bootid);
	return 0;
}

/*
 * The running kernel must be the one just installed.  0: it is; 1:
 * another (the boot is not measured, the try goes on); -1 with *reason
 * set: the verify step failed.
 */
/* The recipe's verify_expect for this boot's kernel, $KB_KID12 put in. */
static char *
kernel_mark(const struct stry *k)
{
	const char *vx = k->r.verify_expect, *kid = k->ka[k->tt.side].kid12;
	const char *at = strstr(vx, "$KB_KID12");

	return at != NULL ? kb_asprintf("%.*s%s%s", (int)(at - vx), vx, kid,
	    at + 9) : kb_strdup(vx);
}

/*
 * The boot came up on another kernel than the one installed: a kernel
 * that panics (panic= on its command line) or hangs until a reset at
 * the console comes back on the machine's default, which is what the
 * fallback is.  Said as such when it is the machine's own kernel, and
 * the console asked for what it printed (the recipe's on_panic lines).
 */
static void
wrong_kernel_console(struct stry *k, const char *reason, const char *running)
{
	if (k->orig != NULL && strcmp(running, k->orig) == 0)
		fprintf(stderr, "kbench try: worker %s came back on its own "
		    "kernel (its default): the %s kernel %s panicked or hung, "
		    "or the reboot step did not boot it\n", k->w->name,
		    side_name[k->tt.side], k->ka[k->tt.side].kid12);
	at_console(k, reason, RP_ON_PANIC);
}

static int
boot_verify(struct stry *k, char **reason)
{
	char *expect, *running, *out = NULL;
	const char *kid = k->ka[k->tt.side].kid12;
	double t0;

	t0 = now();
	if (step(k, "verify", 0, 1, k->r.phase[RP_VERIFY].v[0], NULL, &out,
	    60) == -1) {
		free(out);
		*reason = kb_strdup("the verify step failed");
		return -1;
	}
	timed(k, PH_VERIFY, t0);
	expect = kernel_mark(k);
	running = first_line(out);
	free(out);
	if (strstr(running, expect) == NULL) {
		*reason = kb_asprintf("booted the wrong kernel: expected "
		    "\"%s\" in the output of '%s', running \"%s\"", expect,
		    k->r.phase[RP_VERIFY].v[0], running);
		fprintf(stderr, "kbench try: worker %s %s; boot %ld/%ld (%s "
		    "kernel %s) not measured\n", k->w->name, *reason,
		    k->tt.boot, k->tt.nboots, side_name[k->tt.side], kid);
		fprintf(k->log, "# %s: not measured\n", *reason);
		wrong_kernel_console(k, *reason, running);
		k->wrong++;
		free(expect);
		free(running);
		boot_state(k, "failed", *reason);
		free(*reason);
		*reason = NULL;
		return 1;
	}
	kb_info("kbench try: verified: %s runs %s", k->w->name, running);
	free(expect);
	free(running);
	return 0;
}

/* The workload's own output, kept beside the steps. */
static void
save_work_log(struct stry *k)
{
	char *path, *cmd;
	FILE *fp;

	path = kb_asprintf("%s/boot-%ld.work.log", k->dir, k->tt.boot);
	if ((fp = fopen(path, "w")) != NULL) {
		cmd = kb_asprintf("cat " REMOTE_DIR "/boot-%ld.log",
		    k->tt.boot);
		(void)ssh_run(&k->h, cmd, -1, fp, NULL, NULL, NULL, 120);
		free(cmd);
		fclose(fp);
	}
	free(path);
}

/* The workload, its samples stored as they come; ssh_run's status. */
static int
boot_workload(struct stry *k, long reps)
{
	char *cmd, *env, *full, *path;
	double t0;
	int st;

	boot_state(k, "running", NULL);
	t0 = now();
	ap_reader_init(&k->rd);
	free(k->expect);
	free(k->startbad);
	k->startbad = NULL;
	k->expect = kernel_mark(k);
	k->rd.expect = k->expect;
	k->got = 0;
	free(k->pkdir);
	pkgrows_free(&k->pk);
	k->pkdir = kb_asprintf("%s/boot-%ld", k->dir, k->tt.boot);
	if (kb_mkdirs(k->pkdir, 0755) == -1)
		kb_warn("%s", k->pkdir);
	pkgrows_free(&k->pk);
	pkgrows_init(&k->pk, k->pkdir);
	path = kb_asprintf("%s/boot-%ld.agent.out", k->dir, k->tt.boot);
	k->raw = fopen(path, "w");
	free(path);
	cmd = agent_cmd(k, reps);
	env = env_prefix(k, NULL);
	full = kb_asprintf("%s%s", env, cmd);
	fprintf(k->log, "\n+ [%s] workload: %s\n", k->w->host, cmd);
	fflush(k->log);
	st = ssh_run(&k->h, full, -1, NULL, on_line, k, NULL,
	    (int)((reps + k->t->warmup) * (k->t->timeout > 0 ?
	    k->t->timeout + 60 : 3600) + 600));
	fprintf(k->log, "+ exit %d\n", st);
	free(env);
	free(full);
	free(cmd);
	if (k->raw != NULL)
		fclose(k->raw);
	k->raw = NULL;
	timed(k, PH_WORKLOAD, t0);
	save_work_log(k);
	return st;
}

/* The run's end in the database: failed with reason, or done; rc. */
static int
boot_end(struct stry *k, char *reason, int rc)
{
	if (reason != NULL) {
		kb_warnx("boot %ld/%ld (%s kernel) failed: %s", k->tt.boot,
		    k->tt.nboots, side_name[k->tt.side], reason);
		boot_state(k, "failed", reason);
		free(reason);
	} else
		boot_state(k, "done", NULL);
	return rc;
}

/*
 * The agent's START named another kernel than the one verified: the
 * boot fails, nothing of it counted (the reader took no line after
 * it), and it is one more boot on the wrong kernel; 1.
 */
static int
boot_wrong_start(struct stry *k)
{
	char *reason;

	reason = kb_asprintf("booted the wrong kernel: the agent's %s",
	    k->startbad != NULL ? k->startbad : "START lacks the kernel id");
	fprintf(stderr, "kbench try: worker %s %s; boot %ld/%ld (%s kernel "
	    "%s) not measured\n", k->w->name, reason, k->tt.boot,
	    k->tt.nboots, side_name[k->tt.side], k->ka[k->tt.side].kid12);
	fprintf(k->log, "# %s: not measured\n", reason);
	k->wrong++;
	return boot_end(k, reason, 1);
}

/*
 * One boot of one side.  0: measured; 1: failed, the try goes on (the
 * wrong kernel, a failed workload); -1: the try stops.
 */
static int
boot_once(struct stry *k, long reps)
{
	char *reason = NULL;
	int rc, st;

	if (k->sample == NULL && boot_row(k, reps) != 0)
		return -1;
	if (boot_install(k, &reason) != 0)
		return boot_end(k, reason, -1);
	if (boot_back(k) != 0)
		return -1;
	if ((rc = boot_verify(k, &reason)) == 1)
		return 1;
	if (rc != 0)
		return boot_end(k, reason, -1);
	st = boot_workload(k, reps);
	if (k->rd.wrong_kernel)
		return boot_wrong_start(k);
	if (st == SSH_LOST || st == SSH_TIMEOUT)
		return boot_lost(k, kb_asprintf("the connection to %s was "
		    "lost during the workload (%s)", k->w->name,
		    st == SSH_LOST ? "ssh exit 255" : "timed out"));
	if (st != 0 || !k->rd.ended || k->got != reps + k->t->warmup)
		return boot_end(k, kb_asprintf("the agent exited %d with %ld "
		    "of %ld samples%s", st, k->got, reps + k->t->warmup,
		    k->rd.ended ? "" : ", no END line"), 1);
	return boot_end(k, NULL, 0);
}

static void
print_times(struct stry *k, double total)
{
	int i;

	fprintf(stderr, "kbench try: times on %s:", k->w->name);
	for (i = 0; i < PH_COUNT; i++)
		if (k->count[i] > 0)
			fprintf(stderr, " %s %.1f s%s;", ph_name[i], k->secs[i],
			    k->count[i] > 1 ? " (all boots)" : "");
	fprintf(stderr, " total %.1f s; steps and output in %s\n", total,
	    k->logpath);
	fprintf(k->log, "# total %.1f s\n", total);
}

/* The workload: the recipe's (default libc), or the command after --. */
static int
pick_workload(struct stry *k)
{
	struct try *t = k->t;
	const char *name = t->workload != NULL ? t->workload : "libc";
	char *s;
	size_t i;

	if (t->cmdv != NULL && t->cmdv[0] != NULL && t->workload != NULL) {
		kb_warnx("give either --workload or a command after --, not "
		    "both");
		return -1;
	}
	if (t->cmdv != NULL && t->cmdv[0] != NULL) {
		k->adhoc.command = kb_strdup(t->cmdv[0]);
		for (i = 1; t->cmdv[i] != NULL; i++) {
			s = kb_asprintf("%s %s", k->adhoc.command, t->cmdv[i]);
			free(k->adhoc.command);
			k->adhoc.command = s;
		}
		k->adhoc.name = kb_strdup("(the command after --)");
		k->adhoc.dir = k->adhoc.setup = k->adhoc.cleanup = "";
		k->wl = &k->adhoc;
		t->wl = adhoc_label(t->cmdv);
		return 0;
	}
	if ((k->wl = recipe_workload(&k->r, name)) == NULL) {
		kb_warnx("no workload %s in %s", name, k->r.file);
		return -1;
	}
	t->wl = kb_strdup(name);
	return 0;
}

/* try_turns()'s boot: one boot of k->tt.side. */
static int
boot_turn(void *arg, long reps)
{
	return boot_once(arg, reps);
}

/*
 * Before the first install: the running kernel as verify shows it,
 * then the recipe's save steps; 0, or -1 (the try does not start).
 */
static int
save_kernel(struct stry *k)
{
	char *out = NULL;

	if (k->r.phase[RP_SAVE].n == 0) {
		kb_warnx("worker %s: recipe %s has no save and restore steps: "
		    "the last kernel booted stays installed", k->w->name,
		    k->r.file);
		return 0;
	}
	if (step(k, "save", 0, 1, k->r.phase[RP_VERIFY].v[0], NULL, &out,
	    60) == -1) {
		free(out);
		return -1;
	}
	k->orig = first_line(out);
	free(out);
	kb_info("kbench try: %s runs %s now; it is restored at the end",
	    k->w->name, k->orig);
	if (phase(k, RP_SAVE, NULL) == -1)
		return -1;
	k->saved = 1;
	return 0;
}

/*
 * At the end, whatever happened (a failure, ^C): the machine's own
 * kernel back and booted (restore), verified to be the one save saw.
 * 0, or -1 with the reason printed: the machine needs a person.
 */
static int
restore_kernel(struct stry *k)
{
	char *old, *out = NULL, *now_runs;
	double secs;
	int rc = -1;

	old = kb_strdup(k->bootid != NULL ? k->bootid : "");
	/* After a lost boot: back by the fallback, a person, or not at all. */
	if ((now_runs = boot_id(k, 30)) == NULL)
		kb_info("kbench try: waiting up to %d s for %s to come back, "
		    "to restore its own kernel", k->boot_timeout, k->w->name);
	if (now_runs == NULL && wait_back(k, old, &secs) == -1) {
		kb_warnx("worker %s is not reachable: its own kernel was not "
		    "restored (recipe %s, restore steps); it needs a person",
		    k->w->name, k->r.file);
		goto out;
	}
	free(now_runs);
	free(old);
	old = kb_strdup(k->bootid != NULL ? k->bootid : "");
	kb_info("kbench try: restoring %s's own kernel", k->w->name);
	if (reboot_steps(k, RP_RESTORE) == -1 || wait_back(k, old,
	    &secs) == -1) {
		kb_warnx("worker %s: the restore failed or it did not come "
		    "back within %d s; it needs a person", k->w->name,
		    k->boot_timeout);
		goto out;
	}
	if (step(k, "verify", 0, 1, k->r.phase[RP_VERIFY].v[0], NULL, &out,
	    60) == -1)
		goto out;
	now_runs = first_line(out);
	if (strcmp(now_runs, k->orig) == 0) {
		kb_info("kbench try: %s runs its own kernel again: %s",
		    k->w->name, now_runs);
		rc = 0;
	} else
		kb_warnx("worker %s runs \"%s\" after the restore, not its "
		    "own kernel \"%s\"", k->w->name, now_runs, k->orig);
	free(now_runs);
out:
	free(out);
	free(old);
	return rc;
}

/* The worker's recipe: its own file, or its OS's; 0, or -1. */
static int
load_recipe(struct stry *k)
{
	char err[1024];

	if ((*k->w->recipe != '\0' ? recipe_load_file(k->w->recipe, &k->r,
	    err, sizeof(err)) : recipe_load(k->w->os, &k->r, err,
	    sizeof(err))) == -1) {
		kb_warnx("%s", err);
		return -1;
	}
	return 0;
}

/* Whether the recipe can build kernels for the worker. */
static int
ssh_recipe(struct stry *k)
{
	const struct kb_worker *w = k->w;

	if (k->r.build_on_harness && strcmp(w->os, "linux") != 0) {
		kb_warnx("worker %s: recipe %s builds on the harness, which "
		    "builds Linux kernels only, not %s", w->name, k->r.file,
		    w->os);
		return -1;
	}
	if (k->t->tree != NULL && !k->r.build_on_harness) {
		kb_warnx("worker %s: recipe %s builds kernels on the worker "
		    "from its own %s; --tree %s needs a recipe with build_on "
		    "= \"harness\" (docs/workers.md)", w->name, k->r.file,
		    k->r.src, k->t->tree);
		return -1;
	}
	if (k->r.build_on_harness && strcmp(w->arch, "amd64") != 0 &&
	    strcmp(w->arch, "arm64") != 0 && strcmp(w->arch, "riscv64") != 0) {
		kb_warnx("worker %s: kernel.c cannot build for %s", w->name,
		    w->arch);
		return -1;
	}
	return 0;
}

/*
 * The ssh handle, the try's defaults and its directory with the steps
 * log open in it.
 */
static int
ssh_setup(struct stry *k)
{
	const struct kb_worker *w = k->w;
	struct try *t = k->t;
	char rnd[9];

	k->h.worker = w->name;
	k->h.host = w->host;
	k->h.port = w->port;
	k->h.config = w->ssh_config;
	k->ncpu = w->ncpu;
	k->jobs = w->ncpu > 0 ? w->jobs : 0;
	k->boot_timeout = w->boot_timeout > 0 ? w->boot_timeout :
	    BOOT_TIMEOUT;
	if (!t->warmup_given)
		t->warmup = 1;		/* each boot is cold */
	if (t->timeout == 0)
		t->timeout = KB_CONF_TIMEOUT;
	if (kb_randhex(rnd, 4) != 0)
		return -1;
	k->dir = kb_asprintf("%s/try/ssh-%s-%ld-%s", kb_home(), w->name,
	    (long)time(NULL), rnd);
	if (kb_mkdirs(k->dir, 0755) == -1)
		return -1;
	k->logpath = kb_asprintf("%s/steps.log", k->dir);
	if ((k->log = fopen(k->logpath, "w")) == NULL) {
		kb_warn("%s", k->logpath);
		return -1;
	}
	return 0;
}

/* Both kernels, built here or on the worker as the recipe says. */
static int
ssh_kernels(struct stry *k)
{
	double tk = now();

	if ((k->r.build_on_harness ? harness_kernels(k) :
	    worker_kernels(k)) == -1)
		return -1;
	timed(k, PH_KERNEL, tk);
	return 0;
}

/* The boots, turn by turn, and the report: the exit status. */
static int
ssh_measure(struct stry *k)
{
	int rc;

	if (open_rows(k) == -1)
		return KB_EXIT_ERR;
	if (try_turns(k->t, &k->tt, boot_turn, k) == -1) {
		if (k->wrong > 0)
			kb_warnx("%ld boot%s ran the wrong kernel and %s not "
			    "measured", k->wrong, k->wrong > 1 ? "s" : "",
			    k->wrong > 1 ? "were" : "was");
		return KB_EXIT_ERR;
	}
	if (try_store_finish(&k->s) == -1)
		return KB_EXIT_ERR;
	rc = try_report(k->t, k->s.since);
	if (k->wrong > 0) {
		kb_warnx("%ld boot%s ran the wrong kernel and %s not measured: "
		    "the try fails", k->wrong, k->wrong > 1 ? "s" : "",
		    k->wrong > 1 ? "were" : "was");
		rc = KB_EXIT_ERR;
	}
	return rc;
}

/* Closes the connection, prints the times and frees what k holds. */
static void
ssh_end(struct stry *k, double t0)
{
	struct try *t = k->t;
	int i;

	if (k->log != NULL) {
		ssh_close(&k->h, k->log);
		print_times(k, now() - t0);
		fclose(k->log);
	}
	try_store_close(&k->s);
	for (i = 0; i < 2; i++) {
		kernel_artifact_free(&k->ka[i]);
		free(t->label[i]);
		t->label[i] = NULL;
	}
	if (k->adhoc.command != NULL) {
		free(k->adhoc.name);
		free(k->adhoc.command);
	}
	free(t->wl);
	t->wl = NULL;
	free(k->bootid);
	free(k->expect);
	free(k->startbad);
	free(k->orig);
	free(k->why);
	free(k->dir);
	free(k->pkdir);
	free(k->logpath);
	try_turns_free(&k->tt);
	recipe_free(&k->r);
}

int
try_ssh(struct try *t, const struct kb_worker *w)
{
	struct stry k;
	double t0 = now();
	int rc = KB_EXIT_ERR;

	memset(&k, 0, sizeof(k));
	k.t = t;
	k.w = w;
	if (load_recipe(&k) == -1)
		return KB_EXIT_ERR;
	if (ssh_recipe(&k) == -1 || pick_workload(&k) == -1 ||
	    ssh_setup(&k) == -1)
		goto out;
	kb_info("kbench try: %zu patch%s on %s (%s, recipe %s), workload "
	    "%s, %ld+%ld samples a side, %ld counted per boot; log %s",
	    t->npatches, t->npatches == 1 ? "" : "es", w->name, w->host,
	    k.r.file, t->wl, t->warmup, t->n, t->per_boot, k.logpath);
	if (prepare_worker(&k) == -1 || ssh_kernels(&k) == -1 ||
	    save_kernel(&k) == -1)
		goto out;
	rc = ssh_measure(&k);
out:
	if (k.saved && restore_kernel(&k) == -1)
		rc = KB_EXIT_ERR;
	ssh_end(&k, t0);
	return rc;
}

/*
 * A bisection's boots on an ssh worker (bisect_kernel.c): the same
 * connect, agent, save, install, reboot, verify, workload and restore
 * as a try's, one kernel a boot, its samples to the caller's hook.
 */
struct ssh_session {
	struct stry	 k;
	struct try	 t;
	char		**sent;		/* kid12s of the images on the worker */
	size_t		 nsent;
	double		 t0;
};

struct ssh_session *
ssh_session_open(const struct kb_worker *w, const char *workload,
    char **cmdv, long timeout)
{
	struct ssh_session *ss;
	struct stry *k;

	ss = kb_calloc(1, sizeof(*ss));
	ss->t0 = now();
	ss->t.workload = workload;
	ss->t.cmdv = cmdv;
	ss->t.timeout = timeout;
	k = &ss->k;
	k->t = &ss->t;
	k->w = w;
	if (load_recipe(k) == -1)
		goto fail;
	if (!k->r.build_on_harness) {
		kb_warnx("worker %s: recipe %s builds kernels on the worker "
		    "from its own %s; kbench bisect on an ssh worker needs a "
		    "recipe with build_on = \"harness\" (docs/workers.md)",
		    w->name, k->r.file, k->r.src);
		goto fail;
	}
	if (ssh_recipe(k) == -1 || pick_workload(k) == -1 ||
	    ssh_setup(k) == -1)
		goto fail;
	kb_info("kbench bisect: on %s (%s, recipe %s), workload %s; log %s",
	    w->name, w->host, k->r.file, ss->t.wl, k->logpath);
	if (prepare_worker(k) == -1 || save_kernel(k) == -1)
		goto fail;
	return ss;
fail:
	(void)ssh_session_close(ss);
	return NULL;
}

/* The workload's label (recipe workload or command), once open. */
const char *
ssh_session_workload(const struct ssh_session *ss)
{
	return ss->t.wl;
}

/* The kernel image on the worker, copied the first time; 0, or -1. */
static int
session_image(struct ssh_session *ss, const struct kernel_artifact *ka)
{
	char *to;
	size_t i;
	int rc;

	for (i = 0; i < ss->nsent; i++)
		if (strcmp(ss->sent[i], ka->kid12) == 0)
			return 0;
	to = kb_asprintf(REMOTE_DIR "/vmlinuz-%s", ka->kid12);
	rc = ssh_put(&ss->k.h, ka->image, to, ss->k.log);
	free(to);
	if (rc == -1)
		return -1;
	ss->sent = kb_reallocarray(ss->sent, ss->nsent + 1,
	    sizeof(*ss->sent));
	ss->sent[ss->nsent++] = kb_strdup(ka->kid12);
	return 0;
}

int
ssh_session_boot(struct ssh_session *ss, const struct kernel_artifact *ka,
    long reps, ssh_sample_fn fn, void *arg, char *why, size_t len)
{
	struct stry *k = &ss->k;
	int st;

	if (session_image(ss, ka) == -1) {
		snprintf(why, len, "copying kernel %s to %s failed", ka->kid12,
		    k->w->name);
		return -1;
	}
	k->ka[0] = *ka;		/* borrowed: the caller's */
	k->tt.side = 0;
	k->tt.nboots = ++k->tt.boot;
	k->sample = fn;
	k->sarg = arg;
	free(k->why);
	k->why = NULL;
	st = boot_once(k, reps);
	if (st != 0)
		snprintf(why, len, "%s (steps in %s)", k->why != NULL ?
		    k->why : "the boot failed", k->logpath);
	memset(&k->ka[0], 0, sizeof(k->ka[0]));
	return st;
}

int
ssh_session_close(struct ssh_session *ss)
{
	size_t i;
	int rc = 0;

	if (ss == NULL)
		return 0;
	if (ss->k.saved && restore_kernel(&ss->k) == -1)
		rc = -1;
	ssh_end(&ss->k, ss->t0);
	for (i = 0; i < ss->nsent; i++)
		free(ss->sent[i]);
	free(ss->sent);
	free(ss);
	return rc;
}
