/*
 * kbench-agent: run a command n times on a worker, measure each run
 * with wait4() and print one framed, checksummed JSON line per
 * repetition on stdout, for the kbench harness to read back out of a
 * noisy serial console or ssh session.
 *
 * One portable POSIX C file with no dependency beyond libc, so that it
 * builds with a plain "cc -O2 -o kbench-agent kbench-agent.c" on
 * Linux (glibc, musl, static), OpenBSD and FreeBSD.  See
 * kbench-agent(1) for the line format.
 */

/*
 * Feature test macros.  On Linux, -std=c99 hides wait4() and the BSD
 * rusage fields unless asked for: _DEFAULT_SOURCE (glibc >= 2.19,
 * musl), _BSD_SOURCE (older glibc; defining both keeps newer glibc
 * quiet).  On the BSDs everything is visible by default and defining
 * _POSIX_C_SOURCE or _XOPEN_SOURCE would *hide* wait4() and
 * procctl(), so define nothing there.
 */
#if defined(__linux__)
#define _DEFAULT_SOURCE		1
#define _BSD_SOURCE		1
#define _XOPEN_SOURCE		700
#endif

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#if defined(__linux__)
#include <sys/prctl.h>
#endif
#if defined(__FreeBSD__) || defined(__DragonFly__)
#include <sys/procctl.h>
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define AGENT_VERSION	"0.1"
#define PROTO_VERSION	1

#define GRACE_S		2	/* SIGTERM to SIGKILL */
#define GIVEUP_S	10	/* stop waiting for unkillable stragglers */
#define LINE_MAX_LEN	4096
#define CMD_JSON_MAX	1024	/* bytes of the command echoed in START */
#define INSN_SLOWER	100	/* -i: the timeout of a counted run, times */

enum phase { PH_RUN, PH_TERM, PH_KILL };

/* What one child run left behind. */
struct result {
	int		 status;	/* exit code or 128+signal */
	int		 timedout;
	int		 interrupted;	/* the agent got SIGINT/TERM/HUP */
	int		 execerr;	/* errno of a failed exec, or 0 */
	int64_t		 real_us;
	struct timespec	 t0;		/* CLOCK_MONOTONIC at the start */
	struct timespec	 wall;		/* CLOCK_REALTIME at the start */
	struct rusage	 ru;		/* the whole tree, summed */
};

static volatile sig_atomic_t got_alrm;
static volatile sig_atomic_t got_term;

static sigset_t	 waitmask;	/* the mask during sigsuspend() */
static int	 logfd = STDERR_FILENO;
static int	 nullfd = -1;
static int	 subreaper;
static char	 session[33];
static long	 nsamples, nerrors;
static char	 insndir[PATH_MAX];	/* -i: valgrind's logs, or "" */

static void
onsig(int sig)
{
	if (sig == SIGALRM)
		got_alrm = 1;
	else if (sig != SIGCHLD)
		got_term = sig;
}

static uint32_t
crc32(const void *buf, size_t len)
{
	/* Reflected IEEE 802.3 polynomial, a nibble at a time. */
	static const uint32_t t[16] = {
		0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
		0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
		0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
		0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c
	};
	const unsigned char *p = buf;
	uint32_t c = 0xffffffffU;

	while (len-- > 0) {
		c ^= *p++;
		c = (c >> 4) ^ t[c & 15];
		c = (c >> 4) ^ t[c & 15];
	}
	return c ^ 0xffffffffU;
}

/* Append to a fixed buffer; the caller checks *len against size. */
static void
bprintf(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n < 0)
		*len = size;
	else
		*len += (size_t)n;
}

/*
 * A JSON string, quotes included, of at most max bytes of s: control
 * bytes are escaped, other bytes pass through (UTF-8 is assumed), and
 * a cut never splits a UTF-8 sequence.
 */
static void
bjson(char *buf, size_t size, size_t *len, const char *s, size_t max)
{
	size_t n = strlen(s);
	unsigned char c;

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	bprintf(buf, size, len, "\"");
	for (; n > 0; n--, s++) {
		c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			bprintf(buf, size, len, "\\%c", c);
		else if (c == '\n')
			bprintf(buf, size, len, "\\n");
		else if (c == '\t')
			bprintf(buf, size, len, "\\t");
		else if (c < 0x20 || c == 0x7f)
			bprintf(buf, size, len, "\\u%04x", c);
		else
			bprintf(buf, size, len, "%c", c);
	}
	bprintf(buf, size, len, "\"");
}

/*
 * Frame a JSON object and write it in one write(2), so that a line is
 * never interleaved with itself and never sits in a stdio buffer.
 */
static void
emit(const char *kind, const char *json, size_t jlen)
{
	char line[LINE_MAX_LEN + 64];
	size_t len = 0, off;
	ssize_t w;

	bprintf(line, sizeof(line), &len, "KBENCH-%s %.*s", kind,
	    (int)jlen, json);
	if (len >= sizeof(line) - 12)
		return;		/* cannot happen: every object is bounded */
	bprintf(line, sizeof(line), &len, " *%08lx\n",
	    (unsigned long)crc32(line, len));
	for (off = 0; off < len; off += (size_t)w) {
		w = write(STDOUT_FILENO, line + off, len - off);
		if (w == -1 && errno == EINTR)
			w = 0;
		else if (w <= 0) {
			/*
			 * The harness is gone and nobody can read results;
			 * lines are only written between runs, so there is
			 * no child left to kill.
			 */
			_exit(1);
		}
	}
}

static void
emit_error(long rep, const char *fmt, ...)
{
	char msg[512], json[LINE_MAX_LEN];
	size_t len = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bprintf(json, sizeof(json), &len, "{\"session\":\"%s\",\"rep\":%ld,"
	    "\"msg\":", session, rep);
	bjson(json, sizeof(json), &len, msg, 400);
	bprintf(json, sizeof(json), &len, "}");
	nerrors++;
	emit("ERROR", json, len);
}

static void
emit_end(void)
{
	char json[256];
	size_t len = 0;

	bprintf(json, sizeof(json), &len,
	    "{\"session\":\"%s\",\"samples\":%ld,\"errors\":%ld}",
	    session, nsamples, nerrors);
	emit("END", json, len);
}

static void
usage(void)
{
	fprintf(stderr, "usage: kbench-agent [-V] [-n count] [-w warmup] "
	    "[-s setup] [-c cleanup]\n"
	    "                    [-t timeout] [-C dir] [-o log] [-i] -- "
	    "command [arg ...]\n");
	exit(2);
}

static long
numarg(const char *opt, const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max) {
		fprintf(stderr, "kbench-agent: -%s %s: expected a number "
		    "from %ld to %ld\n", opt, s, min, max);
		exit(2);
	}
	return v;
}

static void
mksession(void)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char r[16];
	struct timespec ts;
	size_t i, got = 0;
	ssize_t n;
	int fd;

	if ((fd = open("/dev/urandom", O_RDONLY)) != -1) {
		while (got < sizeof(r) &&
		    ((n = read(fd, r + got, sizeof(r) - got)) > 0 ||
		    (n == -1 && errno == EINTR)))
			if (n > 0)
				got += (size_t)n;
		close(fd);
	}
	if (got < sizeof(r)) {
		/*
		 * No /dev/urandom (a chroot, an early boot): still unique
		 * enough to tell runs apart, just not unguessable.
		 */
		clock_gettime(CLOCK_REALTIME, &ts);
		for (i = 0; i < sizeof(r); i++)
			r[i] = (unsigned char)(((unsigned long)ts.tv_nsec >>
			    (i % 4 * 8)) ^ ((unsigned long)ts.tv_sec >>
			    (i % 3 * 8)) ^ ((unsigned long)getpid() >>
			    (i % 2 * 8)) ^ i * 37);
	}
	for (i = 0; i < sizeof(r); i++) {
		session[2 * i] = hex[r[i] >> 4];
		session[2 * i + 1] = hex[r[i] & 15];
	}
	session[32] = '\0';
}

/* The command as a shell would read it back, for the START line. */
static void
joincmd(char *buf, size_t size, char **argv)
{
	size_t len = 0;
	const char *s;
	int i;

	buf[0] = '\0';
	for (i = 0; argv[i] != NULL && len < size; i++) {
		if (i > 0)
			bprintf(buf, size, &len, " ");
		s = argv[i];
		if (*s != '\0' && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789_./=:,+-@%") ==
		    strlen(s)) {
			bprintf(buf, size, &len, "%s", s);
			continue;
		}
		bprintf(buf, size, &len, "'");
		for (; *s != '\0'; s++) {
			if (*s == '\'')
				bprintf(buf, size, &len, "'\\''");
			else
				bprintf(buf, size, &len, "%c", *s);
		}
		bprintf(buf, size, &len, "'");
	}
	if (len >= size)
		buf[size - 1] = '\0';
}

static void
emit_start(long n, long warmup, long timeout, char **cmd)
{
	char json[LINE_MAX_LEN], host[256], cmdline[CMD_JSON_MAX + 1];
	struct utsname u;
	size_t len = 0;
	long ncpu = -1;

	if (gethostname(host, sizeof(host)) == -1)
		strcpy(host, "unknown");
	host[sizeof(host) - 1] = '\0';
	if (uname(&u) == -1)
		memset(&u, 0, sizeof(u));
#ifdef _SC_NPROCESSORS_ONLN
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
#endif
	joincmd(cmdline, sizeof(cmdline), cmd);

	bprintf(json, sizeof(json), &len, "{\"v\":%d,\"session\":\"%s\","
	    "\"agent\":\"%s\",\"n\":%ld,\"warmup\":%ld,\"timeout\":%ld,"
	    "\"subreaper\":%s,\"host\":", PROTO_VERSION, session,
	    AGENT_VERSION, n, warmup, timeout, subreaper ? "true" : "false");
	bjson(json, sizeof(json), &len, host, 255);
	bprintf(json, sizeof(json), &len, ",\"os\":");
	bjson(json, sizeof(json), &len, u.sysname, 255);
	bprintf(json, sizeof(json), &len, ",\"release\":");
	bjson(json, sizeof(json), &len, u.release, 255);
	bprintf(json, sizeof(json), &len, ",\"version\":");
	bjson(json, sizeof(json), &len, u.version, 255);
	bprintf(json, sizeof(json), &len, ",\"machine\":");
	bjson(json, sizeof(json), &len, u.machine, 255);
	bprintf(json, sizeof(json), &len, ",\"ncpu\":%ld,\"cmd\":", ncpu);
	bjson(json, sizeof(json), &len, cmdline, CMD_JSON_MAX);
	bprintf(json, sizeof(json), &len, "}");
	emit("START", json, len);
}

static int64_t
tv_us(struct timeval tv)
{
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

/* insn: the command's user instructions (-i), or -1 for none. */
static void
emit_sample(long rep, int warmup, const struct result *r, int64_t insn)
{
	char json[LINE_MAX_LEN], when[32];
	struct tm tm;
	size_t len = 0;
	time_t sec = r->wall.tv_sec;
	long maxrss = r->ru.ru_maxrss;

#if defined(__APPLE__)
	maxrss /= 1024;		/* bytes there, KiB everywhere else */
#endif
	if (gmtime_r(&sec, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		strcpy(when, "1970-01-01T00:00:00");
	bprintf(json, sizeof(json), &len, "{\"session\":\"%s\",\"rep\":%ld,"
	    "\"warmup\":%s,\"real_us\":%lld,\"user_us\":%lld,"
	    "\"sys_us\":%lld,\"maxrss_kb\":%ld,\"minflt\":%ld,"
	    "\"majflt\":%ld,\"inblock\":%ld,\"oublock\":%ld,"
	    "\"nvcsw\":%ld,\"nivcsw\":%ld,\"status\":%d,\"timeout\":%s,"
	    "\"start\":\"%s.%06ldZ\"",
	    session, rep, warmup ? "true" : "false",
	    (long long)r->real_us, (long long)tv_us(r->ru.ru_utime),
	    (long long)tv_us(r->ru.ru_stime), maxrss,
	    (long)r->ru.ru_minflt, (long)r->ru.ru_majflt,
	    (long)r->ru.ru_inblock, (long)r->ru.ru_oublock,
	    (long)r->ru.ru_nvcsw, (long)r->ru.ru_nivcsw, r->status,
	    r->timedout ? "true" : "false", when,
	    (long)(r->wall.tv_nsec / 1000));
	if (insn >= 0)
		bprintf(json, sizeof(json), &len, ",\"insn_user\":%lld",
		    (long long)insn);
	bprintf(json, sizeof(json), &len, "}");
	nsamples++;
	emit("SAMPLE", json, len);
}

/*
 * A row's log tail replaced by a note (kbench-bulk writes log_tail
 * last, and a '"' inside a string is always escaped, so the key's first
 * match is the key): 0, or -1 when row has none or the note does not
 * fit in size.
 */
static int
cut_tail(char *row, size_t size)
{
	static const char key[] = ",\"log_tail\":\"";
	static const char note[] = "(cut: too long for one line)\"}";
	char *p;

	if ((p = strstr(row, key)) == NULL ||
	    (size_t)(p - row) + sizeof(key) + sizeof(note) > size)
		return -1;
	memcpy(p + sizeof(key) - 1, note, sizeof(note));
	return 0;
}

/*
 * The per-package rows of a bulk build: kbench-bulk writes one JSON
 * object a line to $KBENCH_RESULTS_DIR/pkgs-REP.jsonl, and each goes
 * out framed as a PKG line before the repetition's SAMPLE, so that a
 * guest's or an ssh worker's packages come back as its samples do.  A
 * row too long for a console line loses its log tail, not its times.
 */
static void
emit_pkgs(long rep)
{
	char path[PATH_MAX], row[LINE_MAX_LEN], json[LINE_MAX_LEN];
	const char *dir = getenv("KBENCH_RESULTS_DIR");
	size_t n, len;
	FILE *f;
	int c, bad;

	if (dir == NULL || *dir == '\0' || (size_t)snprintf(path,
	    sizeof(path), "%s/pkgs-%ld.jsonl", dir, rep) >= sizeof(path))
		return;
	if ((f = fopen(path, "r")) == NULL) {
		if (errno != ENOENT)
			emit_error(rep, "%s: %s", path, strerror(errno));
		return;
	}
	while (fgets(row, sizeof(row), f) != NULL) {
		n = strlen(row);
		bad = 0;
		if (n > 0 && row[n - 1] == '\n')
			row[--n] = '\0';
		else if (!feof(f)) {
			/* Longer than a line may be: drop the rest. */
			while ((c = getc(f)) != EOF && c != '\n')
				;
			bad = cut_tail(row, sizeof(row));
			n = strlen(row);
		}
		if (!bad && (n < 2 || row[0] != '{' || row[n - 1] != '}'))
			bad = -1;
		len = 0;
		if (!bad)
			bprintf(json, sizeof(json), &len, "{\"session\":"
			    "\"%s\",\"rep\":%ld,\"pkg\":%s}", session, rep,
			    row);
		if (!bad && len >= sizeof(json) &&
		    cut_tail(row, sizeof(row)) == 0) {
			len = 0;
			bprintf(json, sizeof(json), &len, "{\"session\":"
			    "\"%s\",\"rep\":%ld,\"pkg\":%s}", session, rep,
			    row);
		}
		if (bad || len >= sizeof(json))
			emit_error(rep, "%s: a row that is not one JSON "
			    "object a line", path);
		else
			emit("PKG", json, len);
	}
	fclose(f);
}

static void
ru_add(struct rusage *sum, const struct rusage *ru)
{
	sum->ru_utime.tv_sec += ru->ru_utime.tv_sec;
	sum->ru_utime.tv_usec += ru->ru_utime.tv_usec;
	while (sum->ru_utime.tv_usec >= 1000000) {
		sum->ru_utime.tv_usec -= 1000000;
		sum->ru_utime.tv_sec++;
	}
	sum->ru_stime.tv_sec += ru->ru_stime.tv_sec;
	sum->ru_stime.tv_usec += ru->ru_stime.tv_usec;
	while (sum->ru_stime.tv_usec >= 1000000) {
		sum->ru_stime.tv_usec -= 1000000;
		sum->ru_stime.tv_sec++;
	}
	/* The peak of the tree is the peak of its biggest process. */
	if (ru->ru_maxrss > sum->ru_maxrss)
		sum->ru_maxrss = ru->ru_maxrss;
	sum->ru_minflt += ru->ru_minflt;
	sum->ru_majflt += ru->ru_majflt;
	sum->ru_inblock += ru->ru_inblock;
	sum->ru_oublock += ru->ru_oublock;
	sum->ru_nvcsw += ru->ru_nvcsw;
	sum->ru_nivcsw += ru->ru_nivcsw;
}

static int64_t
elapsed_us(const struct timespec *a, const struct timespec *b)
{
	return ((int64_t)b->tv_sec - a->tv_sec) * 1000000 +
	    (b->tv_nsec - a->tv_nsec) / 1000;
}

/* In the child: never returns. */
static void
child(const char *path, char **argv, int usepath, int errfd)
{
	static const int reset[] = {
		SIGPIPE, SIGINT, SIGQUIT, SIGHUP, SIGTERM, SIGCHLD, SIGALRM
	};
	struct sigaction sa;
	sigset_t none;
	size_t i;
	int e;

	/* Its own group, so a timeout can take the whole tree down. */
	setpgid(0, 0);
	/* A clean slate whatever started the agent (nohup, a shell &). */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(reset) / sizeof(reset[0]); i++)
		sigaction(reset[i], &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/*
	 * stdin from /dev/null so that a workload never eats the
	 * harness's input; stdout and stderr to the log, never to the
	 * framed stream.
	 */
	if (dup2(nullfd, STDIN_FILENO) == -1 ||
	    dup2(logfd, STDOUT_FILENO) == -1 ||
	    dup2(logfd, STDERR_FILENO) == -1)
		goto fail;
	if (usepath)
		execvp(path, argv);
	else
		execv(path, argv);
fail:
	e = errno;
	while (write(errfd, &e, sizeof(e)) == -1 && errno == EINTR)
		;
	_exit(127);
}

/*
 * Fork and exec a command and wait for it, measuring it.  Signals we
 * care about stay blocked except inside sigsuspend(), so there is no
 * window in which one is lost and no need to poll.
 */
static int
run(const char *path, char **argv, int usepath, long timeout,
    struct result *r)
{
	struct timespec t1;
	struct rusage ru;
	enum phase phase = PH_RUN;
	sigset_t pend, onlyalrm;
	pid_t pid, w;
	int st, errpipe[2], leader = 0, ticks = 0, armed = 0, e;
	ssize_t n;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	if (pipe(errpipe) == -1) {
		r->execerr = errno;
		return -1;
	}
	fcntl(errpipe[0], F_SETFD, FD_CLOEXEC);
	fcntl(errpipe[1], F_SETFD, FD_CLOEXEC);

	clock_gettime(CLOCK_REALTIME, &r->wall);
	clock_gettime(CLOCK_MONOTONIC, &r->t0);
	if ((pid = fork()) == -1) {
		r->execerr = errno;
		close(errpipe[0]);
		close(errpipe[1]);
		return -1;
	}
	if (pid == 0)
		child(path, argv, usepath, errpipe[1]);
	/* Both sides set the group: whichever runs first wins the race. */
	setpgid(pid, pid);
	close(errpipe[1]);

	if (timeout > 0) {
		alarm((unsigned)timeout);
		armed = 1;
	}
	for (;;) {
		while ((w = wait4(-1, &st, WNOHANG, &ru)) > 0) {
			/*
			 * Anything else we reap is an orphan of the tree
			 * handed to us as subreaper: it ran for this
			 * repetition, so it counts.
			 */
			ru_add(&r->ru, &ru);
			if (w != pid)
				continue;
			leader = 1;
			if (WIFEXITED(st))
				r->status = WEXITSTATUS(st);
			else if (WIFSIGNALED(st))
				r->status = 128 + WTERMSIG(st);
			clock_gettime(CLOCK_MONOTONIC, &t1);
			r->real_us = elapsed_us(&r->t0, &t1);
		}
		if (leader) {
			/* Stragglers left in the group would disturb the
			 * next repetition: take them down too. */
			if (kill(-pid, 0) == -1 || ticks >= GIVEUP_S)
				break;
			if (phase == PH_RUN) {
				kill(-pid, SIGTERM);
				phase = PH_TERM;
				ticks = 0;
				/* Without a subreaper no SIGCHLD says when
				 * they are gone: look once a second. */
				alarm(1);
				armed = 1;
			}
		}
		if (got_term && !r->interrupted) {
			r->interrupted = 1;
			if (phase == PH_RUN) {
				kill(-pid, SIGTERM);
				phase = PH_TERM;
				ticks = 0;
				alarm(1);
				armed = 1;
			}
		}
		if (got_alrm) {
			got_alrm = 0;
			switch (phase) {
			case PH_RUN:
				r->timedout = 1;
				kill(-pid, SIGTERM);
				phase = PH_TERM;
				ticks = 0;
				break;
			case PH_TERM:
				if (++ticks >= GRACE_S) {
					kill(-pid, SIGKILL);
					phase = PH_KILL;
					ticks = 0;
				}
				break;
			case PH_KILL:
				kill(-pid, SIGKILL);
				ticks++;
				break;
			}
			alarm(1);
		}
		sigsuspend(&waitmask);
	}
	/* Cancel the alarm and swallow one already pending, or it would
	 * time out the next repetition at once. */
	if (armed) {
		alarm(0);
		if (sigpending(&pend) == 0 && sigismember(&pend, SIGALRM)) {
			sigfillset(&onlyalrm);
			sigdelset(&onlyalrm, SIGALRM);
			sigsuspend(&onlyalrm);
		}
		got_alrm = 0;
	}
	/*
	 * Only now learn whether the exec worked: the child is gone, so
	 * the pipe holds its errno or is at EOF, and reading it earlier
	 * would have put one more wake-up inside the measured time.
	 */
	while ((n = read(errpipe[0], &e, sizeof(e))) == -1 && errno == EINTR)
		;
	close(errpipe[0]);
	if (n == (ssize_t)sizeof(e))
		r->execerr = e;
	return r->execerr ? -1 : 0;
}

/*
 * Mark the start and the end of a timed repetition for the TCG plugin
 * that counts a guest's instructions (workers/qemu-plugin/kbench-insn.c,
 * which recognises these bytes when it translates them).  Each mark is
 * one instruction that does nothing, on QEMU and on hardware alike:
 * a nopl with a magic displacement on amd64, a move to the zero
 * register on arm64 and riscv64.  Elsewhere nothing is marked.
 */
#if defined(__x86_64__)
#define MARK_START()	__asm__ __volatile__( \
			    ".byte 0x0f,0x1f,0x80,0x01,0x00,0x42,0x4b")
#define MARK_END()	__asm__ __volatile__( \
			    ".byte 0x0f,0x1f,0x80,0x02,0x00,0x42,0x4b")
#elif defined(__aarch64__)
#define MARK_START()	__asm__ __volatile__(".inst 0xd2e9683f")
#define MARK_END()	__asm__ __volatile__(".inst 0xd2e9685f")
#elif defined(__riscv) && __riscv_xlen == 64
#define MARK_START()	__asm__ __volatile__(".insn 0x4b421037")
#define MARK_END()	__asm__ __volatile__(".insn 0x4b422037")
#else
#define MARK_START()	do { } while (0)
#define MARK_END()	do { } while (0)
#endif

static const char *
signame(int sig)
{
	switch (sig) {
	case SIGINT:
		return "SIGINT";
	case SIGTERM:
		return "SIGTERM";
	case SIGHUP:
		return "SIGHUP";
	default:
		return "a signal";
	}
}

/* The agent was told to stop: report it framed, then leave. */
static void
interrupted(long rep)
{
	int sig = got_term;

	emit_error(rep, "interrupted by %s", signame(sig));
	emit_end();
	if (insndir[0] != '\0')
		rmdir(insndir);
	exit(128 + sig);
}

static void
setrepenv(long rep, int warmup)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", rep);
	if (setenv("KBENCH_REP", buf, 1) == -1 ||
	    setenv("KBENCH_WARMUP", warmup ? "1" : "0", 1) == -1) {
		emit_error(rep, "setenv: %s", strerror(errno));
		emit_end();
		exit(1);
	}
}

/* Run setup or cleanup through the shell; untimed.  0 when it worked. */
static int
shell(const char *what, const char *script, long rep)
{
	char *argv[4];
	struct result r;

	argv[0] = "sh";
	argv[1] = "-c";
	argv[2] = (char *)script;
	argv[3] = NULL;
	if (run("/bin/sh", argv, 0, 0, &r) == -1) {
		emit_error(rep, "%s: cannot run /bin/sh: %s", what,
		    strerror(r.execerr));
		return -1;
	}
	if (r.interrupted)
		interrupted(rep);
	if (r.status != 0) {
		emit_error(rep, "%s failed with status %d", what, r.status);
		return -1;
	}
	return 0;
}

static void
fatal(const char *what, const char *arg)
{
	emit_error(0, "%s %s: %s", what, arg, strerror(errno));
	emit_end();
	exit(1);
}

/*
 * -i: one more run of the command, untimed, under valgrind's callgrind,
 * which counts every instruction the command's processes execute in
 * user mode and follows execve into children (--trace-children), so
 * that "make && ./prog" or a script is counted whole.  Each process
 * leaves "==PID== Collected : N" in its own log under insndir; the
 * sum is the count.  -1 (an error reported) when there is none or the
 * command did not exit as its timed run did.  docs/statistics.md says
 * why valgrind and not qemu-user.
 */
static int64_t
count_insn(char **cmd, long timeout, long rep, int timed_status)
{
	char *argv[8 + 1024], logarg[PATH_MAX + 32], path[PATH_MAX + 256];
	char line[256], *p;
	struct dirent *de;
	struct result r;
	int64_t sum = -1;
	size_t n = 0, k;
	FILE *fp;
	DIR *d;

	snprintf(logarg, sizeof(logarg), "--log-file=%s/vg.%%p", insndir);
	argv[n++] = "valgrind";
	argv[n++] = "--tool=callgrind";
	argv[n++] = "--callgrind-out-file=/dev/null";
	argv[n++] = "--trace-children=yes";
	argv[n++] = logarg;
	for (k = 0; cmd[k] != NULL && n < sizeof(argv) / sizeof(argv[0]) - 1;
	    k++)
		argv[n++] = cmd[k];
	argv[n] = NULL;
	if (timeout > 0)
		timeout = timeout > 366L * 86400 / INSN_SLOWER ?
		    366L * 86400 : timeout * INSN_SLOWER;
	if (run("valgrind", argv, 1, timeout, &r) == -1) {
		emit_error(rep, "cannot run valgrind, the instruction counter "
		    "(-i; Debian's valgrind package): %s",
		    strerror(r.execerr));
		emit_end();
		rmdir(insndir);
		exit(1);
	}
	if (r.interrupted)
		interrupted(rep);
	if ((d = opendir(insndir)) == NULL)
		fatal("opendir", insndir);
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "vg.", 3) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", insndir, de->d_name);
		if ((fp = fopen(path, "r")) != NULL) {
			while (fgets(line, sizeof(line), fp) != NULL)
				if ((p = strstr(line, "== Collected : ")) !=
				    NULL)
					sum = (sum < 0 ? 0 : sum) +
					    strtoll(p + 15, NULL, 10);
			fclose(fp);
		}
		unlink(path);
	}
	closedir(d);
	if (sum < 0) {
		emit_error(rep, "valgrind counted no instructions of the "
		    "command (status %d; see the workload's log)", r.status);
		return -1;
	}
	if (r.timedout || r.status != timed_status) {
		emit_error(rep, "under valgrind the command %s (timed run: "
		    "status %d)", r.timedout ? "timed out" : "exited "
		    "otherwise", timed_status);
		return -1;
	}
	return sum;
}

int
main(int argc, char *argv[])
{
	static const int caught[] = {
		SIGCHLD, SIGALRM, SIGINT, SIGTERM, SIGHUP
	};
	long n = 1, warmup = 0, timeout = 0, rep, total;
	int64_t insn = -1;
	int count = 0;
	const char *setup = NULL, *cleanup = NULL, *dir = NULL;
	const char *logpath = NULL, *a, *val;
	struct sigaction sa;
	struct result r;
	sigset_t block;
	char **cmd;
	size_t k;
	int i, rc;

	/*
	 * Options by hand: glibc's getopt() would permute and take a
	 * "-j4" meant for the command as ours.
	 */
	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;
		if (strcmp(a, "-V") == 0) {
			printf("kbench-agent %s (protocol %d)\n",
			    AGENT_VERSION, PROTO_VERSION);
			return 0;
		}
		if (strcmp(a, "-i") == 0) {
			count = 1;
			continue;
		}
		if (strchr("nwsctCo", a[1]) == NULL)
			usage();
		if (a[2] != '\0')
			val = a + 2;
		else if (++i < argc)
			val = argv[i];
		else
			usage();
		switch (a[1]) {
		case 'n':
			n = numarg("n", val, 1, 100000000L);
			break;
		case 'w':
			warmup = numarg("w", val, 0, 100000000L);
			break;
		case 's':
			setup = val;
			break;
		case 'c':
			cleanup = val;
			break;
		case 't':
			/* alarm() takes an unsigned int; a year is plenty. */
			timeout = numarg("t", val, 0, 366L * 86400);
			break;
		case 'C':
			dir = val;
			break;
		case 'o':
			logpath = val;
			break;
		}
	}
	if (i >= argc)
		usage();
	cmd = argv + i;
	total = n + warmup;

	/*
	 * Block the signals we wait for; they are only let in by
	 * sigsuspend(), so each is seen exactly where it is handled.
	 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = onsig;
	sigfillset(&sa.sa_mask);
	sigemptyset(&block);
	for (k = 0; k < sizeof(caught) / sizeof(caught[0]); k++) {
		sa.sa_flags = caught[k] == SIGCHLD ? SA_NOCLDSTOP : 0;
		sigaction(caught[k], &sa, NULL);
		sigaddset(&block, caught[k]);
	}
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	for (k = 0; k < sizeof(caught) / sizeof(caught[0]); k++)
		sigdelset(&waitmask, caught[k]);
	/* A vanished reader shows up as a write error, not a kill. */
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	sigaction(SIGPIPE, &sa, NULL);

	/*
	 * Become the reaper of orphans from the tree, so that a daemon
	 * the workload forks off is still waited for and counted.
	 */
#if defined(PR_SET_CHILD_SUBREAPER)
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)
		subreaper = 1;
#elif defined(PROC_REAP_ACQUIRE)
	if (procctl(P_PID, getpid(), PROC_REAP_ACQUIRE, NULL) == 0)
		subreaper = 1;
#endif

	mksession();
	emit_start(n, warmup, timeout, cmd);

	if ((nullfd = open("/dev/null", O_RDWR)) == -1)
		fatal("open", "/dev/null");
	fcntl(nullfd, F_SETFD, FD_CLOEXEC);
	/* The log before -C, so a relative path means what the caller
	 * meant. */
	if (logpath != NULL) {
		if ((logfd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC,
		    0666)) == -1)
			fatal("open", logpath);
		fcntl(logfd, F_SETFD, FD_CLOEXEC);
	}
	if (dir != NULL && chdir(dir) == -1)
		fatal("chdir", dir);
	if (count) {
		a = getenv("TMPDIR");
		snprintf(insndir, sizeof(insndir), "%s/kbench-insn.XXXXXX",
		    a != NULL && a[0] != '\0' ? a : "/tmp");
		if (mkdtemp(insndir) == NULL)
			fatal("mkdtemp", insndir);
	}

	if (setup != NULL) {
		setrepenv(0, 0);
		if (shell("setup", setup, 0) == -1) {
			emit_end();
			return 1;
		}
	}
	for (rep = 1; rep <= total; rep++) {
		if (got_term)
			interrupted(rep);
		if (rep > 1 && cleanup != NULL) {
			setrepenv(rep - 1, rep - 1 <= warmup);
			/* A failed cleanup is reported; the runs go on. */
			(void)shell("cleanup", cleanup, rep - 1);
		}
		setrepenv(rep, rep <= warmup);
		MARK_START();
		rc = run(cmd[0], cmd, 1, timeout, &r);
		MARK_END();
		if (rc == -1) {
			emit_error(rep, "cannot run %s: %s", cmd[0],
			    strerror(r.execerr));
			emit_end();
			if (insndir[0] != '\0')
				rmdir(insndir);
			return 1;
		}
		if (r.interrupted)
			interrupted(rep);
		if (count)
			insn = count_insn(cmd, timeout, rep, r.status);
		emit_pkgs(rep);
		emit_sample(rep, rep <= warmup, &r, insn);
	}
	emit_end();
	if (insndir[0] != '\0')
		rmdir(insndir);
	return 0;
}
