/*
 * kbench-bulk: a small bulk package builder in the manner of OpenBSD's
 * dpb(1) and FreeBSD's poudriere(8), for workers that have neither.
 *
 * It reads a package list, builds up to -j packages at once, each in its
 * own process group, starts a package only when all its dependencies
 * built, records a package whose dependency failed as skipped, orders
 * ready packages by the longest remaining path when past timings are
 * known, measures every build with wait4(2), keeps each build's log, and
 * writes one JSON line per package.
 *
 * One portable POSIX C file with no dependencies beyond libc; it builds
 * with a plain `cc -std=c99 -Wall -Wextra -pedantic` on Linux, OpenBSD
 * and FreeBSD (wait4() is not POSIX but all three have it).
 *
 * Package list: one package per line, '#' starts a comment:
 *
 *	NAME [deps=A,B] [dir=PATH] [version=V] [-- SHELL COMMAND]
 *
 * NAME is [A-Za-z0-9._+-]; deps name other packages of the list (in any
 * order); dir is the pristine source tree, relative to -S (default: the
 * NAME); version is for whoever fetches the sources (kbench's
 * workers/fetch/ports.sh pins Debian versions with it) and is ignored
 * here.  Everything after a lone "--" is the build command, run by
 * /bin/sh -c; without it the default recipe (-b) is used.  Each build
 * runs in a fresh copy of its source tree (cp -pR, which keeps the
 * timestamps autotools rely on) with this environment:
 *
 *	KBENCH_PKG		the package name
 *	KBENCH_PREFIX		its install prefix, -p PREFIX/NAME
 *	KBENCH_MAKE_JOBS	-m, the make -j of one package
 *	KBENCH_DEP_PREFIXES	the prefixes of its dependencies, transitively
 *	PATH			their bin directories first, so bison is
 *				built with the m4 this run just built
 *	CPPFLAGS, LDFLAGS	-I and -L (with an rpath) of their include
 *				and lib directories, before any value
 *				inherited, so a configure finds the
 *				libraries built in this run first
 *	PKG_CONFIG_PATH		their lib/pkgconfig directories
 *	ACLOCAL_PATH		their share/aclocal directories, so an
 *				autoreconf finds the libtool macros staged
 *				in this run (ltdl.m4: libxcrypt)
 *	CMAKE_PREFIX_PATH	their prefixes, for CMake's find_package()
 *				(fmt for spdlog)
 *
 * Output, one line per package, in order of completion:
 *
 *	{"pkg":"m4","status":"ok","exit":0,"real_us":41000000,
 *	 "user_us":...,"sys_us":...,"start":"2024-11-22T04:30:00.123456Z",
 *	 "log_tail":""}
 *
 * status is ok, failed or skipped; exit is the exit code, 128+signal, or
 * -1 when the package never ran; log_tail holds the last lines of the log
 * of a failed build and the reason of a skipped one.
 *
 * Timings file (-t): lines "NAME SECONDS" from an earlier run; with -U
 * it is rewritten with this run's figures.  A fixed timings file gives
 * a fixed schedule, which is what a benchmark wants.
 *
 * Exit: 0 when every package built, 1 when any failed or was skipped,
 * 2 on a usage or list error.
 */

#if defined(__linux__)
#define _DEFAULT_SOURCE		/* wait4(), struct rusage fields */
#endif

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAXPKG		1024
#define MAXNAME		64
#define MAXLINE		4096
#define TAIL_BYTES	2048
#define TAIL_LINES	20
#define KILL_GRACE	10	/* seconds between SIGTERM and SIGKILL */
/*
 * When we are told to stop: a shorter grace, well inside the 2 s that
 * kbench-agent gives its command's group before SIGKILL, which cannot
 * reach the builds (they are in groups of their own).
 */
#define STOP_GRACE_DS	10	/* tenths of a second */

/*
 * A package without a recipe of its own is built by the build system
 * its tree ships, as a ports framework's USES= picks one: a shipped
 * configure first (what most tarballs are made for), then CMake, Meson,
 * a configure.ac that needs autoreconf, and a bare Makefile last.
 * CMake builds are PIC, as a static library staged here may be linked
 * into a dependant's shared one (gflags into google-glog).
 */
#define DEFAULT_RECIPE \
	"P=\"$KBENCH_PREFIX\" J=\"$KBENCH_MAKE_JOBS\"; " \
	"if [ -x ./configure ]; then " \
	"./configure --prefix=\"$P\" && make -j\"$J\" && make install; " \
	"elif [ -f CMakeLists.txt ]; then " \
	"cmake -S . -B _kb -DCMAKE_INSTALL_PREFIX=\"$P\" " \
	"-DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF " \
	"-DCMAKE_POSITION_INDEPENDENT_CODE=ON && " \
	"cmake --build _kb -j\"$J\" && cmake --install _kb; " \
	"elif [ -f meson.build ]; then " \
	"meson setup _kb --prefix=\"$P\" --libdir=lib && " \
	"ninja -C _kb -j\"$J\" && ninja -C _kb install; " \
	"elif [ -f configure.ac ] || [ -f configure.in ]; then " \
	"autoreconf -fi && ./configure --prefix=\"$P\" && " \
	"make -j\"$J\" && make install; " \
	"else make -j\"$J\" && make install PREFIX=\"$P\"; fi"

/*
 * The wrapper every build runs in: a fresh copy of the pristine tree,
 * then the recipe.  The values come through the environment so that no
 * path or command is ever quoted into a shell string.
 */
#define WRAPPER \
	"rm -rf \"$KBENCH_PKG_WORK\" && " \
	"cp -pR \"$KBENCH_PKG_SRC\" \"$KBENCH_PKG_WORK\" && " \
	"cd \"$KBENCH_PKG_WORK\" && eval \"$KBENCH_PKG_CMD\""

enum state { WAITING, RUNNING, DONE_OK, DONE_FAILED, SKIPPED };

struct pkg {
	char		 name[MAXNAME + 1];
	char		*dir;
	char		*cmd;
	int		 ndeps;
	int		*deps;		/* indices */
	int		 order;		/* position in the list */
	double		 weight;	/* seconds, from the timings file */
	double		 prio;		/* longest path from here to the end */
	int		 known;		/* weight came from the timings file */
	enum state	 state;
	pid_t		 pid;
	struct timespec	 t0;
	char		 start[40];
	time_t		 deadline;	/* 0: none */
	time_t		 killat;	/* SIGKILL after SIGTERM; 0: none */
	int		 timedout;
	int		 exitcode;
	long long	 real_us, user_us, sys_us;
};

static struct pkg	 pkgs[MAXPKG];
static int		 npkgs;

static long		 opt_jobs = 1;
static long		 opt_make = 1;
static long		 opt_timeout;
static const char	*opt_src = ".";
static const char	*opt_work = "work";
static const char	*opt_prefix = "stage";
static const char	*opt_logs;
static const char	*opt_out;
static const char	*opt_timings;
static int		 opt_update;
static const char	*opt_recipe = DEFAULT_RECIPE;

static FILE		*outf;
static volatile sig_atomic_t got_tick, got_term;

static void
usage(void)
{
	fprintf(stderr, "usage: kbench-bulk [-U] [-b recipe] [-j jobs] "
	    "[-l logdir] [-m makejobs] [-o out.jsonl]\n"
	    "\t[-p prefix] [-S srcdir] [-T timeout] [-t timings] "
	    "[-w workdir] list\n");
	exit(2);
}

static void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kbench-bulk: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(2);
}

static void *
xmalloc(size_t n)
{
	void *p;

	if ((p = malloc(n == 0 ? 1 : n)) == NULL)
		die("out of memory");
	return p;
}

static char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

static char *
xjoin(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *p = xmalloc(la + lb + 2);

	memcpy(p, a, la);
	p[la] = '/';
	memcpy(p + la + 1, b, lb + 1);
	return p;
}

static int
valid_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > MAXNAME || s[0] == '.' || s[0] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' &&
		    s[i] != '_' && s[i] != '+' && s[i] != '-')
			return 0;
	return 1;
}

static int
find_pkg(const char *name)
{
	int i;

	for (i = 0; i < npkgs; i++)
		if (strcmp(pkgs[i].name, name) == 0)
			return i;
	return -1;
}

/* Dependency names are kept as text until every package is known. */
static char	*depnames[MAXPKG];

static void
parse_list(const char *path)
{
	FILE *f;
	char line[MAXLINE + 2], *p, *tok, *end;
	long lineno = 0;
	size_t n;
	struct pkg *k;

	if ((f = fopen(path, "r")) == NULL)
		die("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		n = strlen(line);
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		else if (!feof(f))
			die("%s:%ld: line too long", path, lineno);
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if (*p == '\0' || *p == '#')
			continue;
		if (npkgs == MAXPKG)
			die("%s:%ld: more than %d packages", path, lineno,
			    MAXPKG);
		k = &pkgs[npkgs];
		memset(k, 0, sizeof(*k));
		k->order = npkgs;
		k->exitcode = -1;

		n = strcspn(p, " \t");
		if (!valid_name(p, n))
			die("%s:%ld: bad package name", path, lineno);
		memcpy(k->name, p, n);
		k->name[n] = '\0';
		if (find_pkg(k->name) != -1)
			die("%s:%ld: %s listed twice", path, lineno, k->name);
		p += n;

		for (;;) {
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p == '\0' || *p == '#')
				break;
			n = strcspn(p, " \t");
			if (n == 2 && strncmp(p, "--", 2) == 0) {
				p += 2;
				while (*p == ' ' || *p == '\t')
					p++;
				if (*p == '\0')
					die("%s:%ld: empty command after --",
					    path, lineno);
				k->cmd = xstrdup(p);
				break;
			}
			tok = p;
			end = p + n;
			p = end;
			if (*end != '\0')
				*p++ = '\0';
			if (strncmp(tok, "deps=", 5) == 0) {
				if (depnames[npkgs] != NULL)
					die("%s:%ld: deps= twice", path,
					    lineno);
				depnames[npkgs] = xstrdup(tok + 5);
			} else if (strncmp(tok, "dir=", 4) == 0 &&
			    tok[4] != '\0') {
				if (k->dir != NULL)
					die("%s:%ld: dir= twice", path,
					    lineno);
				k->dir = xstrdup(tok + 4);
			} else if (strncmp(tok, "version=", 8) == 0 &&
			    tok[8] != '\0') {
				/* The fetcher's business, not ours. */
			} else
				die("%s:%ld: unknown field '%s'", path,
				    lineno, tok);
		}
		if (k->dir == NULL)
			k->dir = xstrdup(k->name);
		npkgs++;
	}
	if (ferror(f))
		die("%s: read error", path);
	fclose(f);
	if (npkgs == 0)
		die("%s: no packages", path);
}

static void
resolve_deps(void)
{
	int i, j, d;
	char *s, *name, *next;

	for (i = 0; i < npkgs; i++) {
		pkgs[i].deps = xmalloc(sizeof(int) * npkgs);
		if ((s = depnames[i]) == NULL)
			continue;
		for (name = s; name != NULL; name = next) {
			if ((next = strchr(name, ',')) != NULL)
				*next++ = '\0';
			if (*name == '\0')
				continue;
			if ((d = find_pkg(name)) == -1)
				die("%s: unknown dependency %s",
				    pkgs[i].name, name);
			if (d == i)
				die("%s depends on itself", name);
			for (j = 0; j < pkgs[i].ndeps; j++)
				if (pkgs[i].deps[j] == d)
					break;
			if (j == pkgs[i].ndeps)
				pkgs[i].deps[pkgs[i].ndeps++] = d;
		}
		free(s);
		depnames[i] = NULL;
	}
}

/*
 * Refuse a cycle up front (Kahn's algorithm) rather than discover at
 * the end of a long build that some packages could never start.
 */
static void
check_cycles(void)
{
	int *indeg, *queue, head = 0, tail = 0, i, j, seen = 0;

	indeg = xmalloc(sizeof(int) * npkgs);
	queue = xmalloc(sizeof(int) * npkgs);
	for (i = 0; i < npkgs; i++)
		indeg[i] = pkgs[i].ndeps;
	for (i = 0; i < npkgs; i++)
		if (indeg[i] == 0)
			queue[tail++] = i;
	while (head < tail) {
		int d = queue[head++];

		seen++;
		for (i = 0; i < npkgs; i++)
			for (j = 0; j < pkgs[i].ndeps; j++)
				if (pkgs[i].deps[j] == d && --indeg[i] == 0)
					queue[tail++] = i;
	}
	if (seen != npkgs) {
		for (i = 0; i < npkgs; i++)
			if (indeg[i] > 0)
				die("dependency cycle through %s",
				    pkgs[i].name);
	}
	free(indeg);
	free(queue);
}

static void
read_timings(void)
{
	FILE *f;
	char line[MAXLINE + 2], name[MAXNAME + 1];
	double secs, sum = 0;
	int i, nknown = 0;
	char *p, *end;
	size_t n;

	if (opt_timings != NULL && (f = fopen(opt_timings, "r")) != NULL) {
		while (fgets(line, sizeof(line), f) != NULL) {
			for (p = line; *p == ' ' || *p == '\t'; p++)
				;
			if (*p == '#' || *p == '\n' || *p == '\0')
				continue;
			n = strcspn(p, " \t\n");
			if (!valid_name(p, n))
				continue;
			memcpy(name, p, n);
			name[n] = '\0';
			errno = 0;
			secs = strtod(p + n, &end);
			if (errno != 0 || end == p + n || !(secs >= 0) ||
			    secs > 1e7)
				continue;
			if ((i = find_pkg(name)) != -1) {
				pkgs[i].weight = secs;
				pkgs[i].known = 1;
			}
		}
		fclose(f);
	}
	/* An unknown package weighs as much as the average known one. */
	for (i = 0; i < npkgs; i++)
		if (pkgs[i].known) {
			sum += pkgs[i].weight;
			nknown++;
		}
	for (i = 0; i < npkgs; i++)
		if (!pkgs[i].known)
			pkgs[i].weight = nknown > 0 ? sum / nknown : 1;
}

/*
 * Priority as dpb computes it in spirit: a package's own time plus the
 * longest chain of dependants waiting behind it, so the critical path
 * starts first.  The graph is acyclic, so plain relaxation terminates.
 */
static void
compute_prio(void)
{
	int i, j, changed;
	double p;

	for (i = 0; i < npkgs; i++)
		pkgs[i].prio = pkgs[i].weight;
	do {
		changed = 0;
		for (i = 0; i < npkgs; i++)
			for (j = 0; j < pkgs[i].ndeps; j++) {
				struct pkg *d = &pkgs[pkgs[i].deps[j]];

				p = d->weight + pkgs[i].prio;
				if (p > d->prio + 1e-9) {
					d->prio = p;
					changed = 1;
				}
			}
	} while (changed);
}

static void
write_timings(void)
{
	FILE *f;
	char *tmp;
	size_t n;
	int i;

	if (opt_timings == NULL || !opt_update)
		return;
	n = strlen(opt_timings) + 5;
	tmp = xmalloc(n);
	snprintf(tmp, n, "%s.new", opt_timings);
	if ((f = fopen(tmp, "w")) == NULL) {
		fprintf(stderr, "kbench-bulk: %s: %s\n", tmp,
		    strerror(errno));
		free(tmp);
		return;
	}
	fprintf(f, "# kbench-bulk timings: package, real seconds\n");
	for (i = 0; i < npkgs; i++) {
		if (pkgs[i].state == DONE_OK)
			fprintf(f, "%s %.1f\n", pkgs[i].name,
			    pkgs[i].real_us / 1e6);
		else if (pkgs[i].known)
			fprintf(f, "%s %.1f\n", pkgs[i].name,
			    pkgs[i].weight);
	}
	if (fclose(f) != 0 || rename(tmp, opt_timings) != 0)
		fprintf(stderr, "kbench-bulk: %s: %s\n", opt_timings,
		    strerror(errno));
	free(tmp);
}

static double
elapsed(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) + (b->tv_nsec - a->tv_nsec) / 1e9;
}

static void
json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	putc('"', f);
	for (; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			putc(*p, f);
	}
	putc('"', f);
}

/*
 * Replace what is not valid UTF-8 with '?' in place, so the line is
 * valid JSON and storable as PostgreSQL text whatever a compiler wrote.
 */
static void
clean_utf8(char *s)
{
	unsigned char *p = (unsigned char *)s;
	int i, len;

	while (*p != '\0') {
		if (*p < 0x80) {
			p++;
			continue;
		}
		if (*p >= 0xc2 && *p <= 0xdf)
			len = 2;
		else if (*p >= 0xe0 && *p <= 0xef)
			len = 3;
		else if (*p >= 0xf0 && *p <= 0xf4)
			len = 4;
		else
			len = 0;
		for (i = 1; i < len; i++)
			if ((p[i] & 0xc0) != 0x80)
				break;
		/* Also refuse overlongs, surrogates and > U+10FFFF. */
		if (len == 0 || i < len ||
		    (p[0] == 0xe0 && p[1] < 0xa0) ||
		    (p[0] == 0xed && p[1] >= 0xa0) ||
		    (p[0] == 0xf0 && p[1] < 0x90) ||
		    (p[0] == 0xf4 && p[1] >= 0x90)) {
			*p++ = '?';
			continue;
		}
		p += len;
	}
}

/* The last TAIL_LINES lines (at most TAIL_BYTES) of a log. */
static char *
log_tail(const char *path)
{
	char *buf, *p, *q;
	int fd, lines;
	off_t size, from;
	ssize_t r, got = 0;

	buf = xmalloc(TAIL_BYTES + 1);
	buf[0] = '\0';
	if ((fd = open(path, O_RDONLY)) == -1)
		return buf;
	size = lseek(fd, 0, SEEK_END);
	from = size > TAIL_BYTES ? size - TAIL_BYTES : 0;
	if (size > 0 && lseek(fd, from, SEEK_SET) != -1) {
		while (got < TAIL_BYTES &&
		    (r = read(fd, buf + got, TAIL_BYTES - got)) > 0)
			got += r;
	}
	close(fd);
	buf[got] = '\0';
	/* A NUL byte would end the text early; make it visible instead. */
	for (p = buf; p < buf + got; p++)
		if (*p == '\0')
			*p = '?';
	/* Start at a line boundary when the front was cut off. */
	p = buf;
	if (from > 0 && (q = strchr(buf, '\n')) != NULL)
		p = q + 1;
	q = buf + got;
	if (q > p && q[-1] == '\n')
		q--;
	for (lines = 0; q > p; q--)
		if (q[-1] == '\n' && ++lines == TAIL_LINES)
			break;
	p = q;
	memmove(buf, p, strlen(p) + 1);
	clean_utf8(buf);
	return buf;
}

static void
emit(struct pkg *k, const char *status, const char *tail)
{
	if (outf == NULL)
		return;
	fprintf(outf, "{\"pkg\":");
	json_str(outf, k->name);
	fprintf(outf, ",\"status\":\"%s\",\"exit\":%d,\"real_us\":%lld,"
	    "\"user_us\":%lld,\"sys_us\":%lld,\"start\":", status,
	    k->exitcode, k->real_us, k->user_us, k->sys_us);
	json_str(outf, k->start);
	fprintf(outf, ",\"log_tail\":");
	json_str(outf, tail);
	fprintf(outf, "}\n");
	/* Each line on disk as soon as known: a killed run keeps them. */
	if (fflush(outf) != 0)
		fprintf(stderr, "kbench-bulk: write: %s\n", strerror(errno));
}

static int	ndone, nrunning;

static void
progress(const struct pkg *k, const char *what)
{
	fprintf(stderr, "[%d/%d] %-7s %s", ndone, npkgs, what, k->name);
	if (k->state == DONE_OK || k->state == DONE_FAILED)
		fprintf(stderr, " %.1fs", k->real_us / 1e6);
	fprintf(stderr, " (%d running)\n", nrunning);
}

/* Skip everything that depends, directly or not, on a failed package. */
static void
skip_dependants(int failed)
{
	int i, j;
	char reason[MAXNAME + 64];

	for (i = 0; i < npkgs; i++) {
		if (pkgs[i].state != WAITING)
			continue;
		for (j = 0; j < pkgs[i].ndeps; j++)
			if (pkgs[i].deps[j] == failed)
				break;
		if (j == pkgs[i].ndeps)
			continue;
		pkgs[i].state = SKIPPED;
		ndone++;
		snprintf(reason, sizeof(reason), "skipped: dependency %s %s",
		    pkgs[failed].name, pkgs[failed].state == SKIPPED ?
		    "was skipped" : "failed");
		emit(&pkgs[i], "skipped", reason);
		progress(&pkgs[i], "skipped");
		skip_dependants(i);
	}
}

static int
ready(const struct pkg *k)
{
	int j;

	if (k->state != WAITING)
		return 0;
	for (j = 0; j < k->ndeps; j++)
		if (pkgs[k->deps[j]].state != DONE_OK)
			return 0;
	return 1;
}

/*
 * Prepend to the environment variable var one item per prefix of the
 * space-separated list: fmt with the prefix for its %s, joined by sep.
 */
static int
prepend_env(const char *var, const char *prefixes, const char *fmt,
    const char *sep)
{
	const char *old = getenv(var), *p, *e;
	char *buf, item[PATH_MAX + 64], one[PATH_MAX];
	size_t cap, len = 0, n;
	int rc;

	cap = (old ? strlen(old) : 0) + 1;
	for (p = prefixes; *p != '\0'; p++)
		cap += strlen(fmt) + strlen(sep) + 2;
	cap += strlen(prefixes) * 1;
	buf = xmalloc(cap + sizeof(item));
	buf[0] = '\0';
	for (p = prefixes; *p != '\0'; p = *e ? e + 1 : e) {
		e = strchr(p, ' ');
		if (e == NULL)
			e = p + strlen(p);
		n = (size_t)(e - p);
		if (n == 0 || n >= sizeof(one))
			continue;
		memcpy(one, p, n);
		one[n] = '\0';
		snprintf(item, sizeof(item), fmt, one, one);
		len += (size_t)snprintf(buf + len, cap + sizeof(item) - len,
		    "%s%s", len ? sep : "", item);
	}
	if (len == 0) {
		free(buf);
		return 0;
	}
	if (old != NULL && *old != '\0')
		snprintf(buf + len, cap + sizeof(item) - len, "%s%s", sep,
		    old);
	rc = setenv(var, buf, 1);
	free(buf);
	return rc;
}

/* The environment of a build: PATH with its dependencies' bin first. */
static void
set_child_env(const struct pkg *k)
{
	char *prefixes, *path, *old, *pfx, *src, *work;
	size_t len, cap;
	int i, *closure, changed, j;

	closure = xmalloc(sizeof(int) * npkgs);
	for (i = 0; i < npkgs; i++)
		closure[i] = 0;
	for (j = 0; j < k->ndeps; j++)
		closure[k->deps[j]] = 1;
	do {
		changed = 0;
		for (i = 0; i < npkgs; i++) {
			if (!closure[i])
				continue;
			for (j = 0; j < pkgs[i].ndeps; j++)
				if (!closure[pkgs[i].deps[j]]) {
					closure[pkgs[i].deps[j]] = 1;
					changed = 1;
				}
		}
	} while (changed);

	old = getenv("PATH");
	if (old == NULL)
		old = "/usr/bin:/bin";
	cap = strlen(old) + 1;
	for (i = 0; i < npkgs; i++)
		if (closure[i])
			cap += 2 * (strlen(opt_prefix) + MAXNAME + 8);
	prefixes = xmalloc(cap);
	path = xmalloc(cap);
	prefixes[0] = path[0] = '\0';
	/* Direct dependencies first, in list order; then the rest. */
	for (i = 0; i < npkgs; i++) {
		if (!closure[i])
			continue;
		len = strlen(prefixes);
		snprintf(prefixes + len, cap - len, "%s%s/%s",
		    len ? " " : "", opt_prefix, pkgs[i].name);
		len = strlen(path);
		snprintf(path + len, cap - len, "%s/%s/bin:", opt_prefix,
		    pkgs[i].name);
	}
	len = strlen(path);
	snprintf(path + len, cap - len, "%s", old);

	pfx = xjoin(opt_prefix, k->name);
	src = k->dir[0] == '/' ? xstrdup(k->dir) : xjoin(opt_src, k->dir);
	work = xjoin(opt_work, k->name);
	if (setenv("KBENCH_PKG", k->name, 1) == -1 ||
	    setenv("KBENCH_PREFIX", pfx, 1) == -1 ||
	    setenv("KBENCH_DEP_PREFIXES", prefixes, 1) == -1 ||
	    setenv("KBENCH_PKG_SRC", src, 1) == -1 ||
	    setenv("KBENCH_PKG_WORK", work, 1) == -1 ||
	    setenv("KBENCH_PKG_CMD", k->cmd ? k->cmd : opt_recipe, 1) == -1 ||
	    setenv("PATH", path, 1) == -1 ||
	    prepend_env("CPPFLAGS", prefixes, "-I%s/include", " ") == -1 ||
	    prepend_env("LDFLAGS", prefixes, "-L%s/lib -Wl,-rpath,%s/lib",
	    " ") == -1 ||
	    prepend_env("PKG_CONFIG_PATH", prefixes, "%s/lib/pkgconfig",
	    ":") == -1 ||
	    prepend_env("ACLOCAL_PATH", prefixes, "%s/share/aclocal",
	    ":") == -1 ||
	    prepend_env("CMAKE_PREFIX_PATH", prefixes, "%s", ":") == -1)
		_exit(127);
	{
		char num[32];

		snprintf(num, sizeof(num), "%ld", opt_make);
		if (setenv("KBENCH_MAKE_JOBS", num, 1) == -1)
			_exit(127);
	}
}

static char *
log_path(const struct pkg *k)
{
	size_t n = strlen(opt_logs) + strlen(k->name) + 6;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/%s.log", opt_logs, k->name);
	return p;
}

static void
start_pkg(struct pkg *k)
{
	struct timespec now;
	struct tm tm;
	char *logp;
	pid_t pid;
	int fd;

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(k->start, sizeof(k->start), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(k->start + strlen(k->start),
	    sizeof(k->start) - strlen(k->start), ".%06ldZ",
	    (long)(now.tv_nsec / 1000));
	clock_gettime(CLOCK_MONOTONIC, &k->t0);
	logp = log_path(k);
	fflush(NULL);
	if ((pid = fork()) == -1) {
		fprintf(stderr, "kbench-bulk: fork: %s\n", strerror(errno));
		k->state = DONE_FAILED;
		ndone++;
		emit(k, "failed", "fork failed");
		skip_dependants((int)(k - pkgs));
		free(logp);
		return;
	}
	if (pid == 0) {
		/* Own group: a timeout or a signal kills the whole build. */
		setpgid(0, 0);
		signal(SIGALRM, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		if ((fd = open("/dev/null", O_RDONLY)) != -1) {
			dup2(fd, 0);
			if (fd > 2)
				close(fd);
		}
		fd = open(logp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd == -1) {
			fprintf(stderr, "kbench-bulk: %s: %s\n", logp,
			    strerror(errno));
			_exit(127);
		}
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
		if (outf != NULL && outf != stdout)
			close(fileno(outf));
		set_child_env(k);
		execl("/bin/sh", "sh", "-c", WRAPPER, (char *)NULL);
		_exit(127);
	}
	/* Both sides set the group, so neither can race the other. */
	setpgid(pid, pid);
	free(logp);
	k->pid = pid;
	k->state = RUNNING;
	k->deadline = opt_timeout > 0 ? time(NULL) + opt_timeout : 0;
	nrunning++;
	progress(k, "start");
}

static void
reap(pid_t pid, int status, const struct rusage *ru)
{
	struct timespec now;
	struct pkg *k = NULL;
	char *logp, *tail;
	int i;

	for (i = 0; i < npkgs; i++)
		if (pkgs[i].state == RUNNING && pkgs[i].pid == pid) {
			k = &pkgs[i];
			break;
		}
	if (k == NULL)
		return;
	/* Whatever the shell left behind in the group goes with it. */
	killpg(pid, SIGKILL);
	clock_gettime(CLOCK_MONOTONIC, &now);
	nrunning--;
	ndone++;
	k->real_us = (long long)(elapsed(&k->t0, &now) * 1e6);
	k->user_us = (long long)ru->ru_utime.tv_sec * 1000000 +
	    ru->ru_utime.tv_usec;
	k->sys_us = (long long)ru->ru_stime.tv_sec * 1000000 +
	    ru->ru_stime.tv_usec;
	if (WIFEXITED(status))
		k->exitcode = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		k->exitcode = 128 + WTERMSIG(status);
	else
		k->exitcode = -1;
	if (k->exitcode == 0 && !k->timedout) {
		k->state = DONE_OK;
		emit(k, "ok", "");
		progress(k, "ok");
		return;
	}
	k->state = DONE_FAILED;
	logp = log_path(k);
	tail = log_tail(logp);
	if (k->timedout) {
		char *t = xmalloc(strlen(tail) + 64);

		snprintf(t, strlen(tail) + 64, "%s[kbench-bulk: timed out "
		    "after %lds]", tail, opt_timeout);
		free(tail);
		tail = t;
	}
	emit(k, "failed", tail);
	progress(k, "FAILED");
	fprintf(stderr, "    log: %s\n", logp);
	free(tail);
	free(logp);
	skip_dependants(i);
}

static void
check_timeouts(void)
{
	time_t now = time(NULL);
	int i;

	for (i = 0; i < npkgs; i++) {
		struct pkg *k = &pkgs[i];

		if (k->state != RUNNING)
			continue;
		if (k->killat != 0 && now >= k->killat) {
			killpg(k->pid, SIGKILL);
			k->killat = 0;
		} else if (k->deadline != 0 && now >= k->deadline) {
			fprintf(stderr, "kbench-bulk: %s timed out\n",
			    k->name);
			k->timedout = 1;
			k->deadline = 0;
			killpg(k->pid, SIGTERM);
			k->killat = now + KILL_GRACE;
		}
	}
}

/* On a signal, take every build down with us rather than orphan it. */
static void
kill_all(void)
{
	int i, left;

	for (i = 0; i < npkgs; i++)
		if (pkgs[i].state == RUNNING)
			killpg(pkgs[i].pid, SIGTERM);
	for (left = STOP_GRACE_DS; left > 0 && nrunning > 0; left--) {
		struct rusage ru;
		int st;
		pid_t pid;

		while ((pid = wait4(-1, &st, WNOHANG, &ru)) > 0)
			reap(pid, st, &ru);
		if (nrunning > 0) {
			struct timespec ts = { 0, 100000000 };

			nanosleep(&ts, NULL);
		}
	}
	for (i = 0; i < npkgs; i++)
		if (pkgs[i].state == RUNNING)
			killpg(pkgs[i].pid, SIGKILL);
}

static void
on_alarm(int sig)
{
	(void)sig;
	got_tick = 1;
	alarm(1);
}

static void
on_term(int sig)
{
	got_term = sig;
}

static int
pick(void)
{
	int i, best = -1;

	for (i = 0; i < npkgs; i++) {
		if (!ready(&pkgs[i]))
			continue;
		if (best == -1 || pkgs[i].prio > pkgs[best].prio + 1e-9)
			best = i;
	}
	return best;
}

static void
mkdirs(const char *path)
{
	char *p, *s = xstrdup(path);

	for (p = s + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(s, 0755) == -1 && errno != EEXIST)
			die("mkdir %s: %s", s, strerror(errno));
		*p = '/';
	}
	if (mkdir(s, 0755) == -1 && errno != EEXIST)
		die("mkdir %s: %s", s, strerror(errno));
	free(s);
}

/* Absolute, because builds chdir into their trees. */
static const char *
absolute(const char *path)
{
	char cwd[PATH_MAX];

	if (path[0] == '/')
		return path;
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		die("getcwd: %s", strerror(errno));
	return xjoin(cwd, path);
}

static long
num_arg(const char *s, long min, long max, int opt)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || v < min || v > max)
		die("-%c: bad number '%s' (%ld..%ld)", opt, s, min, max);
	return v;
}

int
main(int argc, char *argv[])
{
	struct sigaction sa;
	struct rusage ru;
	struct timespec t0, t1;
	int ch, st, i, nok = 0, nfail = 0, nskip = 0;
	pid_t pid;
	char *dflt = NULL;

	while ((ch = getopt(argc, argv, "b:j:l:m:o:p:S:T:t:Uw:")) != -1) {
		switch (ch) {
		case 'b':
			opt_recipe = optarg;
			break;
		case 'j':
			opt_jobs = num_arg(optarg, 1, 1024, ch);
			break;
		case 'l':
			opt_logs = optarg;
			break;
		case 'm':
			opt_make = num_arg(optarg, 1, 1024, ch);
			break;
		case 'o':
			opt_out = optarg;
			break;
		case 'p':
			opt_prefix = optarg;
			break;
		case 'S':
			opt_src = optarg;
			break;
		case 'T':
			opt_timeout = num_arg(optarg, 0, 86400 * 7, ch);
			break;
		case 't':
			opt_timings = optarg;
			break;
		case 'U':
			opt_update = 1;
			break;
		case 'w':
			opt_work = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage();

	parse_list(argv[0]);
	resolve_deps();
	check_cycles();
	read_timings();
	compute_prio();

	opt_src = absolute(opt_src);
	opt_work = absolute(opt_work);
	opt_prefix = absolute(opt_prefix);
	if (opt_logs == NULL)
		opt_logs = xjoin(opt_work, "logs");
	opt_logs = absolute(opt_logs);
	mkdirs(opt_work);
	mkdirs(opt_prefix);
	mkdirs(opt_logs);

	/* Default output: where the harness looks for it. */
	if (opt_out == NULL && getenv("KBENCH_RESULTS_DIR") != NULL &&
	    getenv("KBENCH_REP") != NULL) {
		size_t n = strlen(getenv("KBENCH_RESULTS_DIR")) +
		    strlen(getenv("KBENCH_REP")) + 16;

		dflt = xmalloc(n);
		snprintf(dflt, n, "%s/pkgs-%s.jsonl",
		    getenv("KBENCH_RESULTS_DIR"), getenv("KBENCH_REP"));
		opt_out = dflt;
	}
	if (opt_out != NULL && strcmp(opt_out, "-") == 0)
		outf = stdout;
	else if (opt_out != NULL && (outf = fopen(opt_out, "w")) == NULL)
		die("%s: %s", opt_out, strerror(errno));

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the tick must interrupt wait4(). */
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	alarm(1);

	fprintf(stderr, "kbench-bulk: %d packages, -j %ld, make -j %ld\n",
	    npkgs, opt_jobs, opt_make);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		while (!got_term && nrunning < opt_jobs && (i = pick()) != -1)
			start_pkg(&pkgs[i]);
		if (nrunning == 0)
			break;
		pid = wait4(-1, &st, 0, &ru);
		if (pid > 0)
			reap(pid, st, &ru);
		else if (errno != EINTR) {
			fprintf(stderr, "kbench-bulk: wait4: %s\n",
			    strerror(errno));
			break;
		}
		if (got_term) {
			fprintf(stderr, "kbench-bulk: signal %d, stopping "
			    "builds\n", (int)got_term);
			kill_all();
			break;
		}
		if (got_tick) {
			got_tick = 0;
			check_timeouts();
		}
	}
	alarm(0);
	clock_gettime(CLOCK_MONOTONIC, &t1);

	/* Never started: interrupted.  Say so rather than drop them. */
	for (i = 0; i < npkgs; i++)
		if (pkgs[i].state == WAITING) {
			pkgs[i].state = SKIPPED;
			emit(&pkgs[i], "skipped", "skipped: bulk build "
			    "interrupted");
		}
	for (i = 0; i < npkgs; i++) {
		if (pkgs[i].state == DONE_OK)
			nok++;
		else if (pkgs[i].state == DONE_FAILED)
			nfail++;
		else
			nskip++;
	}
	write_timings();
	if (outf != NULL && outf != stdout && fclose(outf) != 0) {
		fprintf(stderr, "kbench-bulk: %s: %s\n", opt_out,
		    strerror(errno));
		nfail++;
	}
	fprintf(stderr, "kbench-bulk: %d ok, %d failed, %d skipped in "
	    "%.1fs\n", nok, nfail, nskip, elapsed(&t0, &t1));
	free(dflt);
	if (got_term)
		return 128 + (int)got_term;
	return nok == npkgs ? 0 : 1;
}
