/*
 * qemu.c: one QEMU guest per run (see qemu.h).
 *
 * The guest boots our kernel (bzImage; Image on arm64 and riscv64,
 * vmlinux on macppc) with -kernel over a per-boot qcow2 overlay of the
 * base image (so every run starts from the same disk), with host
 * caching off (cache=none) so the guest's page cache is the only one
 * that helps: a patch that evicts pages sooner must show up as disk
 * reads, not be hidden by the host's cache.  The job reaches the guest
 * init on a second, tiny raw disk; the serial console (ttyS0; ttyAMA0
 * on arm64, ttyPZ0 on macppc) comes back on QEMU's stdout and is also
 * logged to DIR/console.log.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/util.h"
#include "lib/spawn.h"
#include "format/config.h"
#include "format/console.h"
#include "store/db.h"
#include "store/kerneldb.h"
#include "store/portsdb.h"
#include "store/profiledb.h"
#include "worker/qemu.h"
#include "worker/qemuinsn.h"
#include "worker/pkgrows.h"
#include "worker/runner.h"

#define QEMU_X86	"/usr/bin/qemu-system-x86_64"
#define QEMU_IMG	"/usr/bin/qemu-img"
#define FATAL_GRACE	3	/* seconds of console after a panic line */
#define ACCEL_TTL	3600

/*
 * The guests: which QEMU, machine and CPU, the firmware, the serial
 * console's device name in the guest, the root disk's, and the vCPUs.
 */
struct qarch {
	const char	*arch;		/* amd64 arm64 riscv64 */
	const char	*qemu;		/* the system emulator */
	const char	*pkg;		/* its Debian package */
	const char	*machine;	/* -M, or NULL: QEMU's default */
	const char	*cpu;		/* -cpu under TCG, or NULL */
	const char	*bios;		/* -bios, or NULL */
	const char	*console;	/* console= */
	const char	*root;		/* root= */
	int		 smp;		/* vCPUs; 0: the host's, up to 4 */
	/*
	 * Under -icount QEMU 7.2 does not bring up a second x86 vCPU, and
	 * a 4-hart riscv64 guest hangs in its first disk I/O (PID 1
	 * "blocked for more than 120 seconds"): those guests get one vCPU.
	 * arm64 boots and runs with 2.
	 */
	int		 icount_one_cpu;
	int		 mem_mb;	/* guest RAM; 0: by the host's */
	/* TCG may run one thread per vCPU (QEMU warns for ppc if not). */
	int		 mttcg;
};

static const struct qarch qarchs[] = {
	{ "amd64", QEMU_X86, "qemu-system-x86", NULL, "max", NULL, "ttyS0",
	    "/dev/vda", 0, 1, 0, 1 },
	/*
	 * cortex-a57, not max: max brings pointer authentication, which
	 * TCG emulates slowly, and features no board the reports came from
	 * has.  The virt machine's UART is a PL011.
	 */
	{ "arm64", "/usr/bin/qemu-system-aarch64", "qemu-system-arm",
	    "virt", "cortex-a57", NULL, "ttyAMA0", "/dev/vda", 0, 0, 0, 1 },
	/*
	 * OpenSBI (QEMU's own build of it, -bios default) loads the
	 * kernel; four harts like a HiFive Unmatched, whatever the host.
	 */
	{ "riscv64", "/usr/bin/qemu-system-riscv64", "qemu-system-misc",
	    "virt", NULL, "default", "ttyS0", "/dev/vda", 4, 1, 0, 1 },
	/*
	 * A G4 PowerMac (mac99, one CPU, OpenBIOS) with 512 MiB: a 32-bit
	 * kernel without HIGHMEM maps no more than 768 MiB.  graphics=off
	 * makes OpenBIOS's output device the serial port: without it (and
	 * without a display, -nodefaults) the kernel's prom_init finds no
	 * "screen" and stops.  The console is the MacIO's Zilog SCC
	 * (PMACZILOG: ttyPZ0); the disks are virtio-blk-pci on its PCI
	 * bus.  QEMU 7.2 has no multi-threaded TCG for ppc.
	 */
	{ "macppc", "/usr/bin/qemu-system-ppc", "qemu-system-ppc",
	    "mac99,graphics=off", NULL, NULL, "ttyPZ0", "/dev/vda", 1, 1, 512,
	    0 },
};

static const struct qarch *
qarch_of(const char *arch)
{
	size_t i;

	for (i = 0; i < sizeof(qarchs) / sizeof(qarchs[0]); i++)
		if (strcmp(qarchs[i].arch, arch) == 0)
			return &qarchs[i];
	return NULL;
}

int
qemu_arch_ok(const char *arch, int quiet)
{
	const struct qarch *qa = qarch_of(arch);

	if (qa == NULL) {
		if (!quiet)
			kb_warnx("qemu: no guest for arch %s (amd64, arm64, "
			    "riscv64 or macppc)", arch);
		return 0;
	}
	if (access(qa->qemu, X_OK) != 0) {
		if (!quiet)
			kb_warnx("qemu: %s: %s (apt-get install %s, or make "
			    "deps)", qa->qemu, strerror(errno), qa->pkg);
		return 0;
	}
	return 1;
}

int
qemu_arch_cpus(const char *arch, int smp)
{
	const struct qarch *qa = qarch_of(arch);
	long n;

	if (smp > 0)
		return smp;
	if (qa != NULL && qa->smp > 0)
		return qa->smp;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 4 ? 4 : (int)n;
}

enum phase { PH_BOOT, PH_RUN, PH_DOWN, PH_DYING, PH_GONE };

struct qrun {
	const struct qemu_job	*job;
	const struct qemu_hooks	*h;
	struct qemu_result	*r;
	struct console		 con;
	enum phase		 ph;
	struct timespec		 t0;
	double			 last;	/* last agent line */
	double			 dying;	/* fatal line seen */
	long			 total;	/* reps, warm-ups in */
	struct qemu_sample	*pend;	/* by rep */
	char			*have;	/* pend[rep] is waiting */
	struct guest_stat	*pre;	/* by rep */
	int			 stop;	/* a hook said stop */
	struct qemu_insn	 insn;	/* the plugin's counts */
	struct pkgrows		 pk;	/* a bulk build's package rows */
};

static double
since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static int
host_mem_mb(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);

	if (pages <= 0 || psz <= 0)
		return 1024;
	return (int)((double)pages * (double)psz / (1024.0 * 1024.0));
}

/* argv with stdin /dev/null, stdout to outfd, stderr to errpath. */
static pid_t
start_proc(char *const argv[], int outfd, const char *errpath)
{
	/* Its own process group: a kill reaches QEMU's helpers too. */
	struct spawn_opts o = { NULL, NULL, SPAWN_NULL, SPAWN_KEEP,
	    SPAWN_KEEP, 1, 0 };
	pid_t pid;
	int fd = -1;

	o.out = outfd;
	if (errpath != NULL && (fd = open(errpath, O_WRONLY | O_CREAT |
	    O_TRUNC | O_CLOEXEC, 0644)) != -1)
		o.err = fd;
	pid = spawn_start(argv, &o, NULL);
	if (fd != -1)
		close(fd);
	return pid;
}

static int
wait_status(pid_t pid, int block)
{
	int st;
	pid_t w;

	while ((w = waitpid(pid, &st, block ? 0 : WNOHANG)) == -1)
		if (errno != EINTR)
			return -2;
	if (w == 0)
		return -2;	/* still running */
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

/* SIGTERM, a grace, SIGKILL: QEMU does not always hear the first. */
static int
kill_qemu(pid_t pid)
{
	int i, st;

	kill(-pid, SIGTERM);
	kill(pid, SIGTERM);
	for (i = 0; i < 20; i++) {
		if ((st = wait_status(pid, 0)) != -2)
			return st;
		usleep(100000);
	}
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	return wait_status(pid, 1);
}

static int
run_wait(char *const argv[], const char *errpath)
{
	pid_t pid;

	if ((pid = start_proc(argv, -1, errpath)) == -1)
		return -1;
	return wait_status(pid, 1);
}

static int
has_virt_flags(void)
{
	char line[4096];
	FILE *fp;
	int yes = 0;

	if ((fp = fopen("/proc/cpuinfo", "r")) == NULL)
		return 0;
	while (!yes && fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, "flags", 5) == 0 &&
		    (strstr(line, " vmx") != NULL ||
		    strstr(line, " svm") != NULL))
			yes = 1;
	fclose(fp);
	return yes;
}

/*
 * Boot kernel under KVM with no root and init=/nonexistent: a kernel
 * that gets as far as looking for init (and panicking) proves that KVM
 * runs guests here.  Bounded: a nested hypervisor that hangs costs
 * 30 s once an hour, not a run.
 */
static int
kvm_probe(const char *kernel, char *why, size_t whysz)
{
	char *argv[] = { QEMU_X86, "-accel", "kvm", "-cpu", "host", "-m",
	    "256", "-nodefaults", "-display", "none", "-no-reboot",
	    "-serial", "stdio", "-kernel", (char *)kernel, "-append",
	    "console=ttyS0 panic=-1 init=/kbench-kvm-probe", NULL };
	struct timespec t0;
	char buf[4096];
	struct pollfd pfd;
	struct console c;
	int fds[2], ok = 0;
	ssize_t n;
	pid_t pid;

	if (kernel == NULL) {
		snprintf(why, whysz, "no kernel to probe KVM with");
		return 0;
	}
	if (pipe(fds) == -1)
		return 0;
	if ((pid = start_proc(argv, fds[1], "/dev/null")) == -1) {
		close(fds[0]);
		close(fds[1]);
		return 0;
	}
	close(fds[1]);
	console_init(&c);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	while (!ok && since(&t0) < 30) {
		if (poll(&pfd, 1, 500) <= 0)
			continue;
		if ((n = read(fds[0], buf, sizeof(buf))) <= 0)
			break;
		console_feed(&c, buf, (size_t)n, NULL, NULL);
		if (strstr(c.tail, "kbench-kvm-probe") != NULL ||
		    strstr(c.tail, "No working init") != NULL)
			ok = 1;
	}
	kill_qemu(pid);
	close(fds[0]);
	snprintf(why, whysz, ok ? "KVM probe boot reached init in %.0f s" :
	    "KVM probe boot did not reach init within 30 s (nested "
	    "hypervisor?)", since(&t0));
	return ok;
}

const char *
qemu_accel_arch(const char *arch, const char *kernel, char *why,
    size_t whysz)
{
	char *path, line[512], *sp;
	const char *accel;
	struct stat sb;
	FILE *fp;
	int fd;

	/* KVM runs only the host's own arch; only amd64's is probed. */
	if (strcmp(arch, kb_host_arch()) != 0) {
		snprintf(why, whysz, "the guest is %s, the host %s", arch,
		    kb_host_arch());
		return "tcg";
	}
	if (strcmp(arch, "amd64") != 0) {
		snprintf(why, whysz, "no KVM probe for %s guests yet", arch);
		return "tcg";
	}
	path = kb_asprintf("%s/qemu/accel", kb_home());
	if (stat(path, &sb) == 0 && time(NULL) - sb.st_mtime < ACCEL_TTL &&
	    (fp = fopen(path, "r")) != NULL) {
		if (fgets(line, sizeof(line), fp) != NULL &&
		    (sp = strchr(line, ' ')) != NULL) {
			line[strcspn(line, "\n")] = '\0';
			*sp = '\0';
			snprintf(why, whysz, "%s (checked %ld s ago)", sp + 1,
			    (long)(time(NULL) - sb.st_mtime));
			fclose(fp);
			free(path);
			return strcmp(line, "kvm") == 0 ? "kvm" : "tcg";
		}
		fclose(fp);
	}
	accel = "tcg";
	if (!has_virt_flags())
		snprintf(why, whysz, "no vmx/svm in /proc/cpuinfo");
	else if ((fd = open("/dev/kvm", O_RDWR | O_CLOEXEC)) == -1)
		snprintf(why, whysz, "/dev/kvm: %s", strerror(errno));
	else {
		close(fd);
		if (kvm_probe(kernel, why, whysz))
			accel = "kvm";
	}
	if (kb_mkdirs(path, 0755) == 0) {
		/* kb_mkdirs made path a directory: make it the file's. */
		rmdir(path);
	}
	if ((fp = fopen(path, "w")) != NULL) {
		fprintf(fp, "%s %s\n", accel, why);
		fclose(fp);
	}
	free(path);
	return accel;
}

/* 'it''s' quoting for the job's sh fragment. */
static void
sq(FILE *fp, const char *name, const char *v)
{
	fprintf(fp, "%s='", name);
	for (; v != NULL && *v != '\0'; v++) {
		if (*v == '\'')
			fputs("'\\''", fp);
		else
			fputc(*v, fp);
	}
	fputs("'\n", fp);
}

/* The job disk: a sh fragment padded with NULs to whole sectors. */
static int
write_job(const struct qemu_job *j, const char *path)
{
	static const char zero[4096];
	long len;
	FILE *fp;

	if ((fp = fopen(path, "w")) == NULL) {
		kb_warn("%s", path);
		return -1;
	}
	fprintf(fp, "# kbench job\nKB_N=%ld\nKB_WARMUP=%ld\nKB_TIMEOUT=%ld\n",
	    j->n, j->warmup, j->agent_timeout);
	sq(fp, "KB_DIR", j->workdir != NULL ? j->workdir : "/root");
	sq(fp, "KB_SETUP", j->setup);
	sq(fp, "KB_CLEANUP", j->cleanup);
	sq(fp, "KB_CMD", j->cmd);
	/* Run by the init as it reads the job, before the agent starts. */
	if (j->profile)
		fprintf(fp, "%s\n", QEMU_INSN_SYMS_CMD);
	len = ftell(fp);
	fwrite(zero, 1, sizeof(zero) - (size_t)(len % 4096), fp);
	if (fclose(fp) == EOF) {
		kb_warn("%s", path);
		return -1;
	}
	return 0;
}

static void
fail(struct qrun *q, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

static void
fail(struct qrun *q, const char *fmt, ...)
{
	va_list ap;

	if (q->r->reason[0] != '\0')
		return;		/* the first reason is the cause */
	va_start(ap, fmt);
	vsnprintf(q->r->reason, sizeof(q->r->reason), fmt, ap);
	va_end(ap);
}

static void
deliver(struct qrun *q, long rep, const struct guest_stat *post)
{
	struct qemu_sample *s;
	const struct guest_stat *pre;

	if (rep < 1 || rep > q->total || !q->have[rep])
		return;
	s = &q->pend[rep];
	pre = &q->pre[rep];
	if (pre->tag[0] != '\0') {
		s->cached_pre_kib = pre->cached_kib;
		if (post != NULL && pre->read_kib >= 0 && post->read_kib >= 0)
			s->read_kib = post->read_kib - pre->read_kib;
		if (post != NULL && pre->write_kib >= 0 &&
		    post->write_kib >= 0)
			s->write_kib = post->write_kib - pre->write_kib;
	}
	if (post != NULL)
		s->cached_post_kib = post->cached_kib;
	qemu_insn_get(&q->insn, rep, &s->s);
	s->pkgs_dir = pkgrows_dir(&q->pk, rep);
	q->have[rep] = 0;
	q->r->samples++;
	if (s->s.timedout)
		q->r->timedout++;
	if (q->h != NULL && q->h->sample != NULL &&
	    q->h->sample(q->h->arg, s) == -1)
		q->stop = 1;
}

static int
on_line(void *arg, const struct console_line *l)
{
	struct qrun *q = arg;
	const struct qemu_job *j = q->job;
	long rep;

	switch (l->kind) {
	case CON_FATAL:
		if (q->ph != PH_DYING && q->ph != PH_GONE) {
			fail(q, "kernel trouble: %s", q->con.fatal);
			q->ph = PH_DYING;
			q->dying = since(&q->t0);
		}
		break;
	case CON_GUEST:
		rep = l->gs.rep;
		if (rep < 1 || rep > q->total)
			break;
		if (strcmp(l->gs.tag, "pre") == 0)
			q->pre[rep] = l->gs;
		else if (strcmp(l->gs.tag, "post") == 0)
			deliver(q, rep, &l->gs);
		break;
	case CON_AGENT_BAD:
		q->r->rejected++;
		break;
	case CON_AGENT:
		q->last = since(&q->t0);
		switch (l->ap.kind) {
		case AP_START:
			snprintf(q->r->release, sizeof(q->r->release), "%s",
			    l->release);
			snprintf(q->r->session, sizeof(q->r->session), "%s",
			    l->ap.session);
			q->r->boot_secs = q->last;
			if (j->release_tag != NULL &&
			    strstr(l->release, j->release_tag) == NULL) {
				fail(q, "wrong kernel: the guest runs \"%s\", "
				    "expected a release with \"%s\"",
				    l->release, j->release_tag);
				q->ph = PH_DYING;
				q->dying = 0;	/* no grace: stop now */
				return 0;
			}
			q->ph = PH_RUN;
			break;
		case AP_SAMPLE:
			if (q->ph != PH_RUN)
				break;	/* not before a good START */
			rep = l->ap.sample.rep;
			if (rep < 1 || rep > q->total)
				break;
			q->pend[rep].s = l->ap.sample;
			q->have[rep] = 1;
			break;
		case AP_ERROR:
			if (q->ph == PH_RUN)
				fail(q, "agent error (rep %ld): %s", l->ap.rep,
				    l->ap.msg);
			break;
		case AP_PKG:
			if (q->ph == PH_RUN &&
			    pkgrows_feed(&q->pk, l->text, l->len) == -1)
				q->r->rejected++;
			break;
		case AP_END:
			if (q->ph == PH_RUN) {
				q->ph = PH_DOWN;
				if (l->ap.msg[0] != '\0')
					fail(q, "agent: %s", l->ap.msg);
			}
			break;
		default:
			break;
		}
		break;
	default:
		break;
	}
	return 0;
}

static void
tick(struct qrun *q)
{
	char what[128];

	if (q->h == NULL || q->h->tick == NULL)
		return;
	switch (q->ph) {
	case PH_BOOT:
		snprintf(what, sizeof(what), "booting (%s)", q->r->accel);
		break;
	case PH_RUN:
		snprintf(what, sizeof(what), "running (%ld/%ld samples)",
		    q->r->samples, q->total);
		break;
	default:
		snprintf(what, sizeof(what), "shutting down");
		break;
	}
	q->h->tick(q->h->arg, what, since(&q->t0));
}

/* DIR/cmdline: the QEMU command, one word a line, to rerun it by hand. */
static void
save_cmdline(const char *dir, char *const argv[])
{
	char *path = kb_asprintf("%s/cmdline", dir);
	FILE *fp;
	int i;

	if ((fp = fopen(path, "w")) != NULL) {
		for (i = 0; argv[i] != NULL; i++)
			fprintf(fp, "%s\n", argv[i]);
		fclose(fp);
	}
	free(path);
}

void
qemu_result_free(struct qemu_result *r)
{
	free(r->tail);
	free(r->console_log);
	insnprof_free(&r->prof);
	r->tail = NULL;
	r->console_log = NULL;
}

/* One boot's files and QEMU's command line, freed by qboot_free(). */
struct qboot {
	const struct qarch *qa;
	const char	*accel;		/* kvm or tcg */
	char		*overlay;	/* DIR/overlay.qcow2 */
	char		*jobdisk;	/* DIR/job.raw */
	char		*qlog;		/* DIR/qemu.log */
	char		*base;		/* the image, resolved */
	char		*icount;	/* -icount's value */
	char		*plugin;	/* -plugin's value, or NULL */
	char		*smp, *mem, *app, *ovl_drive, *job_drive, *chardev;
	char		*sym_drive;	/* the guest's kallsyms, or NULL */
	char		*argv[40];
	int		 fd;		/* QEMU's stdout: the console */
	pid_t		 pid;
};

/* When a phase has gone on too long, in seconds. */
struct qlimits {
	int		 boot;		/* to the agent's START */
	int		 rep;		/* between agent lines */
	int		 down;		/* from END to power-off */
};

static void
qrun_init(struct qrun *q, const struct qemu_job *j,
    const struct qemu_hooks *h, struct qemu_result *r)
{
	long i;

	memset(r, 0, sizeof(*r));
	memset(q, 0, sizeof(*q));
	q->job = j;
	q->h = h;
	q->r = r;
	q->total = j->n + j->warmup;
	q->pend = kb_calloc((size_t)q->total + 1, sizeof(*q->pend));
	q->have = kb_calloc((size_t)q->total + 1, 1);
	q->pre = kb_calloc((size_t)q->total + 1, sizeof(*q->pre));
	for (i = 0; i <= q->total; i++) {
		q->pend[i].read_kib = q->pend[i].write_kib = -1;
		q->pend[i].cached_pre_kib = q->pend[i].cached_post_kib = -1;
	}
	console_init(&q->con);
	pkgrows_init(&q->pk, j->dir);
	r->qemu_status = -1;
}

/* KVM when it works, else TCG; -icount is TCG's alone. */
static void
boot_accel(struct qboot *b, const struct qemu_job *j, struct qemu_result *r)
{
	char why[256];

	b->accel = j->icount ? "tcg" : j->accel;
	if (b->accel == NULL) {
		b->accel = qemu_accel_arch(j->arch, j->kernel, why,
		    sizeof(why));
		if (strcmp(b->accel, "tcg") == 0)
			kb_info("qemu: no KVM: %s; using TCG (emulation: "
			    "slow, and timings are not those of hardware)",
			    why);
	}
	if (j->icount)
		snprintf(r->accel, sizeof(r->accel), "tcg+icount(shift=%d)",
		    j->icount_shift);
	else
		snprintf(r->accel, sizeof(r->accel), "%s", b->accel);
	b->icount = kb_asprintf("shift=%d,sleep=off", j->icount_shift);
}

/* A fresh copy-on-write disk per boot; the base is never written. */
static int
boot_overlay(struct qboot *b)
{
	char *bf = kb_asprintf("backing_file=%s,backing_fmt=raw", b->base);
	char *argv[] = { QEMU_IMG, "create", "-q", "-f", "qcow2", "-o",
	    bf, b->overlay, NULL };
	int rc;

	unlink(b->overlay);
	rc = run_wait(argv, b->qlog);
	free(bf);
	if (rc != 0) {
		kb_warnx("qemu-img create %s failed (see %s)", b->overlay,
		    b->qlog);
		return -1;
	}
	return 0;
}

/* DIR's files: the overlay, the job disk, the logs' names. */
static int
boot_files(struct qboot *b, const struct qemu_job *j, struct qemu_result *r)
{
	if ((b->qa = qarch_of(j->arch)) == NULL ||
	    !qemu_arch_ok(j->arch, 0)) {
		if (b->qa == NULL)
			kb_warnx("qemu: arch %s: expected amd64, arm64, "
			    "riscv64 or macppc", j->arch);
		return -1;
	}
	if (kb_mkdirs(j->dir, 0755) == -1)
		return -1;
	b->overlay = kb_asprintf("%s/overlay.qcow2", j->dir);
	b->jobdisk = kb_asprintf("%s/job.raw", j->dir);
	b->qlog = kb_asprintf("%s/qemu.log", j->dir);
	r->console_log = kb_asprintf("%s/console.log", j->dir);
	if ((b->base = realpath(j->image, NULL)) == NULL) {
		kb_warn("%s (kbench worker prepare %s)", j->image, j->arch);
		return -1;
	}
	boot_accel(b, j, r);
	if (boot_overlay(b) != 0 || write_job(j, b->jobdisk) != 0)
		return -1;
	return 0;
}

/* -smp, -m, -append and the disks' and console's option strings. */
static void
boot_strings(struct qboot *b, const struct qemu_job *j,
    const struct qemu_result *r)
{
	const struct qarch *qa = b->qa;
	int nsmp, nmem;

	nsmp = qemu_arch_cpus(j->arch, j->smp);
	/*
	 * QEMU 7.2 under -icount never brings up a second x86 vCPU (the
	 * guest stops at "Booting SMP configuration"), and a 4-hart
	 * riscv64 guest hangs in its first disk I/O, so an amd64 or
	 * riscv64 icount guest has one.
	 */
	if (j->icount && qa->icount_one_cpu && nsmp > 1) {
		if (j->smp > 1 || qa->smp > 1)
			kb_info("qemu: -icount: one vCPU, not %d (a %s guest "
			    "with more does not run under QEMU's -icount)",
			    nsmp, j->arch);
		nsmp = 1;
	}
	nmem = j->mem_mb > 0 ? j->mem_mb : qa->mem_mb > 0 ? qa->mem_mb :
	    host_mem_mb() >= 8192 ? 2048 : 1024;
	b->smp = kb_asprintf("%d", nsmp);
	b->mem = kb_asprintf("%d", nmem);
	/*
	 * Under -icount (sleep=off) the guest's clock runs with its
	 * instructions, so a disk request a loaded host serves slowly
	 * shows the guest minutes of waiting: its hung-task watch would
	 * call that kernel trouble and end a boot that was only slow.
	 */
	/*
	 * x86's boot-time check of the IO-APIC timer counts ticks over a
	 * short busy wait: under TCG on a loaded host the vCPU is starved
	 * through it and the kernel panics ("IO-APIC + timer doesn't
	 * work!"); no_timer_check skips it, as VM images do.
	 */
	b->app = kb_asprintf("root=%s rw console=%s "
	    "init=/sbin/kbench-init panic=-1%s%s%s%s", qa->root, qa->console,
	    strcmp(j->arch, "amd64") == 0 ? " no_timer_check" : "",
	    j->icount ? " sysctl.kernel.hung_task_timeout_secs=0" : "",
	    j->append != NULL ? " " : "", j->append != NULL ? j->append : "");
	b->ovl_drive = kb_asprintf("file=%s,format=qcow2,if=virtio,"
	    "cache=none,aio=threads", b->overlay);
	b->job_drive = kb_asprintf("file=%s,format=raw,if=virtio,"
	    "readonly=on", b->jobdisk);
	b->chardev = kb_asprintf("stdio,id=con0,signal=off,logfile=%s",
	    r->console_log);
}

/* Under TCG, the plugin that counts instructions, when it is built. */
static void
boot_insn(struct qboot *b, struct qrun *q, const struct qemu_job *j)
{
	const char *syms;
	char *plugin;

	if (j->profile && (j->no_insn || strcmp(b->accel, "tcg") != 0))
		kb_info("qemu: --profile needs TCG and the plugin: no "
		    "profile");
	if (j->no_insn || strcmp(b->accel, "tcg") != 0)
		return;
	if ((plugin = qemu_insn_plugin()) == NULL) {
		kb_info("qemu: no %s/bin/kbench-insn.so (make all builds it): "
		    "no instruction counts", kb_root());
		return;
	}
	b->plugin = qemu_insn_start(&q->insn, plugin, q->job->dir, q->total,
	    atoi(b->smp), j->profile);
	free(plugin);
	if (j->profile && (syms = qemu_insn_syms_disk(&q->insn)) != NULL)
		b->sym_drive = kb_asprintf("file=%s,format=raw,if=virtio",
		    syms);
}

/* QEMU's command line, from boot_strings()'s pieces. */
static void
boot_argv(struct qboot *b, const struct qemu_job *j)
{
	const struct qarch *qa = b->qa;
	char **argv = b->argv;
	int k = 0, kvm = strcmp(b->accel, "kvm") == 0;

	argv[k++] = (char *)qa->qemu;
	if (qa->machine != NULL) {
		argv[k++] = "-M";
		argv[k++] = (char *)qa->machine;
	}
	argv[k++] = "-accel";
	argv[k++] = kvm ? "kvm" :
	    j->icount || !qa->mttcg ? "tcg" : "tcg,thread=multi";
	if (kvm || qa->cpu != NULL) {
		argv[k++] = "-cpu";
		argv[k++] = kvm ? "host" : (char *)qa->cpu;
	}
	if (qa->bios != NULL) {
		argv[k++] = "-bios";
		argv[k++] = (char *)qa->bios;
	}
	argv[k++] = "-smp";
	argv[k++] = b->smp;
	argv[k++] = "-m";
	argv[k++] = b->mem;
	argv[k++] = "-nodefaults";
	argv[k++] = "-display";
	argv[k++] = "none";
	argv[k++] = "-no-reboot";
	argv[k++] = "-kernel";
	argv[k++] = (char *)j->kernel;
	argv[k++] = "-append";
	argv[k++] = b->app;
	argv[k++] = "-drive";
	argv[k++] = b->ovl_drive;
	argv[k++] = "-drive";
	argv[k++] = b->job_drive;
	if (b->sym_drive != NULL) {
		argv[k++] = "-drive";
		argv[k++] = b->sym_drive;
	}
	argv[k++] = "-chardev";
	argv[k++] = b->chardev;
	argv[k++] = "-serial";
	argv[k++] = "chardev:con0";
	if (j->icount) {
		argv[k++] = "-icount";
		argv[k++] = b->icount;
	}
	if (b->plugin != NULL) {
		argv[k++] = "-plugin";
		argv[k++] = b->plugin;
	}
	argv[k] = NULL;
}

/* QEMU, its stdout on b->fd; q's clock starts. */
static int
boot_spawn(struct qboot *b, struct qrun *q, const struct qemu_job *j)
{
	int fds[2];

	save_cmdline(j->dir, b->argv);
	if (pipe(fds) == -1) {
		kb_warn("pipe");
		return -1;
	}
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	clock_gettime(CLOCK_MONOTONIC, &q->t0);
	b->pid = start_proc(b->argv, fds[1], b->qlog);
	close(fds[1]);
	if (b->pid == -1) {
		close(fds[0]);
		return -1;
	}
	b->fd = fds[0];
	return 0;
}

static void
boot_limits(struct qlimits *lim, const struct qemu_job *j, const char *accel)
{
	lim->boot = j->boot_timeout > 0 ? j->boot_timeout :
	    strcmp(accel, "kvm") == 0 ? 60 : 300;
	lim->rep = j->rep_timeout > 0 ? j->rep_timeout :
	    j->agent_timeout > 0 ? (int)j->agent_timeout + 60 : 6 * 3600;
	lim->down = j->shutdown_timeout > 0 ? j->shutdown_timeout : 30;
}

/*
 * What the console has now, within half a second.  1 when QEMU has
 * closed it (it is gone; *st is its status), else 0.
 */
static int
watch_console(struct qrun *q, struct qboot *b, int *st)
{
	struct pollfd pfd;
	char buf[8192];
	ssize_t n;

	pfd.fd = b->fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 500) <= 0)
		return 0;
	if ((n = read(b->fd, buf, sizeof(buf))) > 0) {
		console_feed(&q->con, buf, (size_t)n, on_line, q);
		return 0;
	}
	if (n != 0 && errno == EINTR)
		return 0;
	/* QEMU closed the console: it is gone. */
	console_flush(&q->con, on_line, q);
	*st = wait_status(b->pid, 1);
	if (q->ph == PH_BOOT)
		fail(q, "qemu exited (status %d) before the agent started",
		    *st);
	else if (q->ph == PH_RUN)
		fail(q, "qemu exited (status %d) during the run", *st);
	q->ph = PH_GONE;
	return 1;
}

/* A signal, a hook's stop, or a phase past its limit: QEMU dies. */
static void
watch_limits(struct qrun *q, const struct qlimits *lim, double now)
{
	if (runner_interrupted()) {
		fail(q, "interrupted by signal %d", runner_interrupted());
		q->ph = PH_DYING;
		q->dying = 0;
	}
	if (q->stop) {
		fail(q, "stopped by the caller");
		q->ph = PH_DYING;
		q->dying = 0;
	}
	if (q->ph == PH_BOOT && now > lim->boot) {
		fail(q, "timeout: no agent START within %d s of boot",
		    lim->boot);
		q->ph = PH_DYING;
		q->dying = 0;
	} else if (q->ph == PH_RUN && now - q->last > lim->rep) {
		fail(q, "timeout: no agent line for %d s (hung repetition "
		    "%ld?)", lim->rep, q->r->samples + 1);
		q->ph = PH_DYING;
		q->dying = 0;
	} else if (q->ph == PH_DOWN && now - q->last > lim->down) {
		kb_warnx("qemu: guest did not power off within %d s of the "
		    "agent's END; killed", lim->down);
		q->ph = PH_DYING;
		q->dying = 0;
	}
}

/* Whatever the console still holds, then kill; QEMU's status. */
static int
watch_kill(struct qrun *q, struct qboot *b)
{
	struct pollfd pfd;
	char buf[8192];
	ssize_t n;

	pfd.fd = b->fd;
	pfd.events = POLLIN;
	while (poll(&pfd, 1, 0) > 0 &&
	    (n = read(b->fd, buf, sizeof(buf))) > 0)
		console_feed(&q->con, buf, (size_t)n, on_line, q);
	console_flush(&q->con, on_line, q);
	q->ph = PH_GONE;
	return kill_qemu(b->pid);
}

/* The guest's life, boot to power-off or kill; QEMU's status. */
static int
watch(struct qrun *q, struct qboot *b, const struct qemu_job *j)
{
	struct qlimits lim;
	double now;
	int st = -1;

	boot_limits(&lim, j, b->accel);
	q->ph = PH_BOOT;
	while (q->ph != PH_GONE) {
		if (watch_console(q, b, &st))
			break;
		now = since(&q->t0);
		tick(q);
		watch_limits(q, &lim, now);
		if (q->ph == PH_DYING && now - q->dying > FATAL_GRACE)
			st = watch_kill(q, b);
	}
	close(b->fd);
	return st;
}

/* The result's last words, once QEMU is gone. */
static void
qrun_finish(struct qrun *q, int st)
{
	struct qemu_result *r = q->r;
	long i;

	r->qemu_status = st;
	r->total_secs = since(&q->t0);
	/* Samples whose post line never came still count, without it. */
	for (i = 1; i <= q->total; i++)
		deliver(q, i, NULL);
	if (r->reason[0] == '\0' && r->samples < q->total)
		fail(q, "only %ld of %ld samples arrived", r->samples,
		    q->total);
	if (r->reason[0] == '\0' && r->timedout > 0)
		fail(q, "timeout: the agent killed %ld repetition(s) at its "
		    "-t %ld s", r->timedout, q->job->agent_timeout);
	r->ok = r->reason[0] == '\0';
	r->tail = console_tail(&q->con, 40);
	qemu_insn_report(&q->insn);
	if (q->job->profile && q->insn.prof_path != NULL &&
	    qemu_insn_profile(&q->insn, &r->prof) == 0)
		kb_info("qemu: kernel instruction profile: %zu functions, "
		    "%lld instructions", r->prof.n, (long long)r->prof.total);
}

static void
qboot_free(struct qboot *b)
{
	free(b->smp);
	free(b->mem);
	free(b->app);
	free(b->ovl_drive);
	free(b->job_drive);
	free(b->chardev);
	free(b->sym_drive);
	free(b->icount);
	free(b->plugin);
	if (b->base != NULL)
		unlink(b->overlay);	/* the base was there: so may it be */
	free(b->base);
	free(b->overlay);
	free(b->jobdisk);
	free(b->qlog);
}

int
qemu_run(const struct qemu_job *j, const struct qemu_hooks *h,
    struct qemu_result *r)
{
	struct qrun q;
	struct qboot b;
	int rc = -1;

	qrun_init(&q, j, h, r);
	memset(&b, 0, sizeof(b));
	if (boot_files(&b, j, r) == 0) {
		boot_strings(&b, j, r);
		boot_insn(&b, &q, j);
		boot_argv(&b, j);
		if (boot_spawn(&b, &q, j) == 0) {
			qrun_finish(&q, watch(&q, &b, j));
			rc = 0;
		}
	}
	qboot_free(&b);
	free(q.pend);
	pkgrows_free(&q.pk);
	free(q.have);
	free(q.pre);
	qemu_insn_free(&q.insn);
	return rc;
}

int
qemu_store_sample(PGconn *c, int64_t run, const struct qemu_sample *s)
{
	if (db_sample_insert(c, run, &s->s) != 0)
		return -1;
	if (s->pkgs_dir != NULL &&
	    ports_collect(c, run, s->s.rep, s->pkgs_dir) != 0)
		return -1;
	return kerneldb_sample_io(c, run, s->s.rep, s->read_kib,
	    s->write_kib, s->cached_pre_kib, s->cached_post_kib);
}

int
qemu_store_result(PGconn *c, int64_t run, const struct qemu_result *r)
{
	char boot[24];

	snprintf(boot, sizeof(boot), "%lld", (long long)(r->boot_secs * 1e6));
	if (r->prof.n > 0 && profiledb_store(c, run, &r->prof) != 0)
		return -1;
	if (kerneldb_run_boot(c, run, r->accel, r->console_log,
	    r->boot_secs > 0 ? boot : NULL, r->ok ? NULL : r->tail) != 0)
		return -1;
	return db_run_state(c, run, r->ok ? "done" : "failed",
	    r->ok ? NULL : r->reason);
}
