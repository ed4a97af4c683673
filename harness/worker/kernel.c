/*
 * kernel.c: fetch a kernel tree, apply a patch series as commits, build
 * it with ccache, and keep the artifacts by kernel id (see kernel.h).
 *
 * One checkout per OS ($KBENCH_HOME/src/linux) and one build directory
 * per OS and arch ($KBENCH_HOME/build/linux-amd64, linux-arm64,
 * linux-riscv64; the last two cross-built) serve every kernel:
 * each kernel gets a fresh branch kb/<kid12> from the base commit, and
 * switching branches rewrites only the files that differ, so make
 * rebuilds only what a patch touched.  A lock file serialises builds.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/util.h"
#include "lib/hash.h"
#include "lib/spawn.h"
#include "store/db.h"
#include "worker/kernel.h"
#include "format/mail.h"

extern char **environ;

#define KIDTAG		"kbench-kernel-1"
#define TAIL_MAX	(64 * 1024)

/*
 * What each arch is built as: kbuild's ARCH, the cross toolchain's
 * prefix ("" natively), the make target and where it lands in the build
 * directory, and the name the artifact keeps in kernels/<kid>/.
 */
struct karch {
	const char	*arch;		/* ours: amd64 arm64 riscv64 */
	const char	*karch;		/* kbuild's ARCH= */
	const char	*cross;		/* CROSS_COMPILE= */
	const char	*cross_pkg;	/* Debian package of the compiler */
	const char	*target;	/* make target */
	const char	*built;		/* the target, in the build dir */
};

static const struct karch karchs[] = {
	{ "amd64", "x86_64", "", "gcc", "bzImage",
	    "arch/x86/boot/bzImage" },
	{ "arm64", "arm64", "aarch64-linux-gnu-", "gcc-aarch64-linux-gnu",
	    "Image", "arch/arm64/boot/Image" },
	{ "riscv64", "riscv", "riscv64-linux-gnu-", "gcc-riscv64-linux-gnu",
	    "Image", "arch/riscv/boot/Image" },
	/* 32-bit PowerMac: QEMU's mac99 loads the ELF vmlinux itself. */
	{ "macppc", "powerpc", "powerpc-linux-gnu-", "gcc-powerpc-linux-gnu",
	    "vmlinux", "vmlinux" },
};

static const struct karch *
karch_of(const char *arch)
{
	size_t i;

	for (i = 0; i < sizeof(karchs) / sizeof(karchs[0]); i++)
		if (strcmp(karchs[i].arch, arch) == 0)
			return &karchs[i];
	return NULL;
}

/* What a child printed: kept whole up to TAIL_MAX, then its tail. */
struct out {
	char	*buf;
	size_t	 len;
};

/* How a long step shows it is alive. */
struct prog {
	const char	*phase;
	struct timespec	 t0;
	time_t		 shown;
	char		 last[160];
	int		 tty;
};

static double
elapsed(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
prog_show(struct prog *p, int force)
{
	time_t now = time(NULL);
	int s;

	if (kb_quiet || p == NULL)
		return;
	/* On a terminal redraw each second; in a log every 30 s. */
	if (!force && now - p->shown < (p->tty ? 1 : 30))
		return;
	p->shown = now;
	s = (int)elapsed(&p->t0);
	if (p->tty)
		fprintf(stderr, "\r\033[K[%d:%02d] %s: %.60s", s / 60, s % 60,
		    p->phase, p->last);
	else
		fprintf(stderr, "kbench kernel: [%d:%02d] %s: %s\n", s / 60,
		    s % 60, p->phase, p->last);
}

static void
prog_end(struct prog *p)
{
	if (!kb_quiet && p != NULL && p->tty)
		fprintf(stderr, "\r\033[K");
}

static void
out_add(struct out *o, const char *s, size_t n)
{
	if (o == NULL)
		return;
	if (o->len + n > TAIL_MAX) {
		/* Keep the newest bytes: errors come last. */
		size_t keep = o->len + n > TAIL_MAX ? TAIL_MAX - n : o->len;

		if (n >= TAIL_MAX) {
			s += n - TAIL_MAX;
			n = TAIL_MAX;
			keep = 0;
		}
		memmove(o->buf, o->buf + o->len - keep, keep);
		o->len = keep;
	}
	if (o->buf == NULL)
		o->buf = kb_malloc(TAIL_MAX + 1);
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

/* environ plus NAME=VALUE pairs (which win), for execve. */
static char **
make_env(char *const *add)
{
	size_t n = 0, k = 0, i, j;
	char **env;

	while (environ[n] != NULL)
		n++;
	while (add != NULL && add[k] != NULL)
		k++;
	env = kb_calloc(n + k + 1, sizeof(*env));
	k = 0;
	for (i = 0; environ[i] != NULL; i++) {
		size_t nl = strcspn(environ[i], "=");
		int shadowed = 0;

		for (j = 0; add != NULL && add[j] != NULL; j++)
			if (strncmp(add[j], environ[i], nl + 1) == 0)
				shadowed = 1;
		if (!shadowed)
			env[k++] = environ[i];
	}
	for (j = 0; add != NULL && add[j] != NULL; j++)
		env[k++] = add[j];
	env[k] = NULL;
	return env;
}

/*
 * Run argv (no shell) in dir with env additions; stdout and stderr go
 * to log (appended, unless NULL) and into o; each output line updates
 * the progress line.  Returns the exit status, 128+signal, or -1.
 */
static int
run(char *const argv[], const char *dir, char *const *envadd,
    const char *log, struct out *o, struct prog *p)
{
	struct spawn_opts so = { NULL, NULL, SPAWN_NULL, SPAWN_PIPE,
	    SPAWN_TO_OUT, 0, 0 };
	char buf[8192], line[160];
	struct pollfd pfd;
	size_t ll = 0;
	ssize_t r;
	pid_t pid;
	char **env;
	int fds[2], logfd = -1, i;

	if (log != NULL && (logfd = open(log, O_WRONLY | O_CREAT | O_APPEND |
	    O_CLOEXEC, 0644)) == -1) {
		kb_warn("%s", log);
		return -1;
	}
	env = make_env(envadd);
	so.dir = dir;
	so.env = env;
	pid = spawn_start(argv, &so, fds);
	free(env);
	if (pid == -1) {
		if (logfd != -1)
			close(logfd);
		return -1;
	}
	if (logfd != -1) {
		dprintf(logfd, "+");
		for (i = 0; argv[i] != NULL; i++)
			dprintf(logfd, " %s", argv[i]);
		dprintf(logfd, "\n");
	}
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	for (;;) {
		if (poll(&pfd, 1, 1000) == -1 && errno != EINTR)
			break;
		prog_show(p, 0);
		if (!(pfd.revents & (POLLIN | POLLHUP)))
			continue;
		if ((r = read(fds[0], buf, sizeof(buf))) <= 0) {
			if (r == -1 && errno == EINTR)
				continue;
			break;
		}
		if (logfd != -1 && write(logfd, buf, (size_t)r) != r)
			kb_warn("%s", log);
		out_add(o, buf, (size_t)r);
		for (i = 0; i < r; i++) {
			if (buf[i] == '\n') {
				line[ll] = '\0';
				if (p != NULL && ll > 0)
					memcpy(p->last, line, ll + 1);
				ll = 0;
			} else if (ll < sizeof(line) - 1 && buf[i] != '\r')
				line[ll++] = buf[i];
		}
	}
	close(fds[0]);
	if (logfd != -1)
		close(logfd);
	return spawn_wait(pid);
}

static char *
read_file(const char *path, size_t *lenp)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	size_t r;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (cap - len < 65536) {
			cap = cap * 2 + 65536;
			buf = kb_reallocarray(buf, cap + 1, 1);
		}
		if ((r = fread(buf + len, 1, cap - len, fp)) == 0)
			break;
		len += r;
	}
	fclose(fp);
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return buf;
}

static int
write_file(const char *path, const char *s)
{
	FILE *fp;

	if ((fp = fopen(path, "w")) == NULL) {
		kb_warn("%s", path);
		return -1;
	}
	fputs(s, fp);
	if (fclose(fp) == EOF) {
		kb_warn("%s", path);
		return -1;
	}
	return 0;
}

static int
copy_file(const char *from, const char *to)
{
	char *buf;
	size_t len;
	FILE *fp;

	if ((buf = read_file(from, &len)) == NULL) {
		kb_warn("%s", from);
		return -1;
	}
	if ((fp = fopen(to, "wb")) == NULL || fwrite(buf, 1, len, fp) != len ||
	    fclose(fp) == EOF) {
		kb_warn("%s", to);
		free(buf);
		return -1;
	}
	free(buf);
	return 0;
}

static const char *
cache_dir(void)
{
	static char *c;
	const char *x;

	if (c != NULL)
		return c;
	if ((x = getenv("KBENCH_CACHE")) != NULL && *x != '\0')
		c = kb_strdup(x);
	else if ((x = getenv("XDG_CACHE_HOME")) != NULL && *x != '\0')
		c = kb_asprintf("%s/kbench", x);
	else
		c = kb_asprintf("%s/.cache/kbench",
		    getenv("HOME") != NULL ? getenv("HOME") : "/tmp");
	return c;
}

static const char *
basename_of(const char *p)
{
	const char *s = strrchr(p, '/');

	return s != NULL ? s + 1 : p;
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.config files of dir, sorted by name. */
static char **
fragments_in(const char *dir, size_t *n)
{
	struct dirent *de;
	char **v = NULL;
	size_t len;
	DIR *d;

	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 8 || strcmp(de->d_name + len - 7, ".config") != 0)
			continue;
		v = kb_reallocarray(v, *n + 1, sizeof(*v));
		v[(*n)++] = kb_asprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	if (*n > 0)
		qsort(v, *n, sizeof(*v), cmpstr);
	return v;
}

static void
freev(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/*
 * Keep only what kconfig reads from a fragment ("CONFIG_X=..." and
 * "# CONFIG_X is not set"), in place; returns the new length.  A
 * comment edited in a fragment is then not a new kernel.
 */
size_t
config_lines(char *buf)
{
	char *line, *next, *o = buf;
	size_t n;

	for (line = buf; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		if (strncmp(line, "CONFIG_", 7) != 0 &&
		    (strncmp(line, "# CONFIG_", 9) != 0 ||
		    strstr(line, " is not set") == NULL))
			continue;
		n = strlen(line);
		while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t' ||
		    line[n - 1] == '\r'))
			n--;
		memmove(o, line, n);
		o += n;
		*o++ = '\n';
	}
	*o = '\0';
	return (size_t)(o - buf);
}

/* Append s and a NUL to the hash input. */
static void
hin(struct out *h, const char *s)
{
	size_t n = strlen(s) + 1;

	h->buf = kb_reallocarray(h->buf, h->len + n + 1, 1);
	memcpy(h->buf + h->len, s, n);
	h->len += n;
}

void
kernel_artifact_free(struct kernel_artifact *a)
{
	free(a->dir);
	free(a->image);
	free(a->config);
	free(a->log);
	free(a->label);
	free(a->release);
	free(a->arch);
	free(a->os);
	free(a->patches);
	memset(a, 0, sizeof(*a));
}

/* The image's file name in kernels/<kid>/: bzImage on amd64, else Image. */
static const char *
image_name(const char *arch)
{
	const struct karch *k = arch != NULL ? karch_of(arch) : NULL;

	return k != NULL ? k->target : "bzImage";
}

static void
set_paths(struct kernel_artifact *a)
{
	free(a->dir);
	free(a->image);
	free(a->config);
	free(a->log);
	a->dir = kb_asprintf("%s/kernels/%s", kb_home(), a->kid);
	a->image = kb_asprintf("%s/%s", a->dir, image_name(a->arch));
	a->config = kb_asprintf("%s/config", a->dir);
	a->log = kb_asprintf("%s/build.log", a->dir);
}

/* Read dir/kernel.info into a; 0, or -1 when there is no finished build. */
static int
load_info(const char *kid, struct kernel_artifact *a)
{
	char *path, *buf, *line, *next, *eq;

	path = kb_asprintf("%s/kernels/%s/kernel.info", kb_home(), kid);
	buf = read_file(path, NULL);
	free(path);
	if (buf == NULL)
		return -1;
	kernel_artifact_free(a);
	for (line = buf; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((eq = strchr(line, '=')) == NULL)
			continue;
		*eq++ = '\0';
		if (strcmp(line, "kid") == 0 && strlen(eq) == 64)
			memcpy(a->kid, eq, 65);
		else if (strcmp(line, "base") == 0 && strlen(eq) == 40)
			memcpy(a->base, eq, 41);
		else if (strcmp(line, "label") == 0)
			a->label = kb_strdup(eq);
		else if (strcmp(line, "release") == 0)
			a->release = kb_strdup(eq);
		else if (strcmp(line, "arch") == 0)
			a->arch = kb_strdup(eq);
		else if (strcmp(line, "os") == 0)
			a->os = kb_strdup(eq);
		else if (strcmp(line, "patches") == 0)
			a->patches = kb_strdup(eq);
		else if (strcmp(line, "build_secs") == 0)
			a->build_secs = strtod(eq, NULL);
	}
	free(buf);
	if (a->kid[0] == '\0' || a->label == NULL) {
		kernel_artifact_free(a);
		return -1;
	}
	memcpy(a->kid12, a->kid, 12);
	a->kid12[12] = '\0';
	if (a->patches == NULL)
		a->patches = kb_strdup("");
	set_paths(a);
	return 0;
}

static int
save_info(const struct kernel_artifact *a, const char *dir)
{
	char *path, *s;
	int rc;

	path = kb_asprintf("%s/kernel.info", dir);
	s = kb_asprintf("kid=%s\nos=%s\narch=%s\nbase=%s\nlabel=%s\n"
	    "release=%s\npatches=%s\nbuild_secs=%.1f\nimage=%s\n",
	    a->kid, a->os, a->arch, a->base, a->label,
	    a->release != NULL ? a->release : "", a->patches, a->build_secs,
	    image_name(a->arch));
	rc = write_file(path, s);
	free(s);
	free(path);
	return rc;
}

/*
 * The patch failed: print its name and git's account of the hunk
 * ("error: patch failed: mm/filemap.c:123" and the context it looked
 * for), not the whole log.
 */
static void
patch_error(const char *patch, const struct out *o)
{
	const char *s, *e;
	int ctx = 0, shown = 0;

	kb_warnx("patch %s does not apply to the base tree:", patch);
	for (s = o->buf; s != NULL && *s != '\0'; s = *e ? e + 1 : e) {
		e = s + strcspn(s, "\n");
		if (strncmp(s, "error:", 6) == 0 ||
		    strncmp(s, "Patch failed", 12) == 0 ||
		    strncmp(s, "Hunk #", 6) == 0) {
			fprintf(stderr, "    %.*s\n", (int)(e - s), s);
			ctx = strstr(s, "while searching for") != NULL &&
			    (size_t)(e - s) < 80 ? 8 : 0;
			shown++;
		} else if (ctx > 0) {
			fprintf(stderr, "      | %.*s\n", (int)(e - s), s);
			ctx--;
		}
	}
	if (shown == 0 && o->buf != NULL)
		fprintf(stderr, "%s\n", o->buf);
}

static char *const git_ident[] = {
	"GIT_AUTHOR_NAME=kbench", "GIT_AUTHOR_EMAIL=kbench@localhost",
	"GIT_COMMITTER_NAME=kbench", "GIT_COMMITTER_EMAIL=kbench@localhost",
	"GIT_AUTHOR_DATE=2000-01-01T00:00:00Z",
	"GIT_COMMITTER_DATE=2000-01-01T00:00:00Z", NULL
};

static int
git(const char *tree, const char *log, struct out *o, const char *a1,
    const char *a2, const char *a3, const char *a4, const char *a5)
{
	char *argv[] = { "/usr/bin/git", "-C", (char *)tree, "-c",
	    "gc.auto=0", (char *)a1, (char *)a2, (char *)a3, (char *)a4,
	    (char *)a5, NULL };

	return run(argv, NULL, git_ident, log, o, NULL);
}

/* Branch kb/<kid12> at base with each patch a commit on it. */
static int
apply_patches(const char *tree, const struct kernel_spec *s,
    const struct kernel_artifact *a, const char *log)
{
	struct out o = { NULL, 0 };
	char *branch, *abs, *buf, *msg, *ramdir;
	struct stat sb;
	size_t i;
	int rc = -1;

	branch = kb_asprintf("kb/%s", a->kid12);
	/* A git am that died half-way would block every later one. */
	ramdir = kb_asprintf("%s/.git/rebase-apply", tree);
	if (stat(ramdir, &sb) == 0)
		git(tree, log, NULL, "am", "--abort", NULL, NULL, NULL);
	free(ramdir);
	if (git(tree, log, &o, "checkout", "-q", "-f", "-B", branch) != 0) {
		kb_warnx("git checkout in %s failed:\n%s", tree, o.buf);
		goto out;
	}
	o.len = 0;
	if (git(tree, log, &o, "reset", "-q", "--hard", "base", NULL) != 0) {
		kb_warnx("git reset in %s failed:\n%s", tree, o.buf);
		goto out;
	}
	for (i = 0; i < s->npatches; i++) {
		if ((abs = realpath(s->patches[i], NULL)) == NULL) {
			kb_warn("%s", s->patches[i]);
			goto out;
		}
		if ((buf = read_file(abs, NULL)) == NULL) {
			kb_warn("%s", abs);
			free(abs);
			goto out;
		}
		o.len = 0;
		if (patch_is_mail(buf)) {
			if (git(tree, log, &o, "am", "-q", "--keep-cr", abs,
			    NULL) != 0) {
				patch_error(s->patches[i], &o);
				git(tree, log, NULL, "am", "--abort", NULL,
				    NULL, NULL);
				free(buf);
				free(abs);
				goto out;
			}
		} else {
			msg = kb_asprintf("kbench: %s",
			    basename_of(s->patches[i]));
			if (git(tree, log, &o, "apply", "-v", "--index", abs,
			    NULL) != 0) {
				patch_error(s->patches[i], &o);
				git(tree, log, NULL, "reset", "-q", "--hard",
				    NULL, NULL);
				free(msg);
				free(buf);
				free(abs);
				goto out;
			}
			if (git(tree, log, &o, "commit", "-q", "--no-verify",
			    "-m", msg) != 0) {
				kb_warnx("git commit of %s failed:\n%s",
				    s->patches[i], o.buf);
				free(msg);
				free(buf);
				free(abs);
				goto out;
			}
			free(msg);
		}
		free(buf);
		free(abs);
	}
	rc = 0;
out:
	free(o.buf);
	free(branch);
	return rc;
}

/*
 * The symbol a fragment line sets ("CONFIG_X=..." or "# CONFIG_X is
 * not set"): *sym points at it; its length, or 0 for any other line.
 */
size_t
config_sym(const char *line, const char **sym)
{
	size_t n;

	while (*line == ' ' || *line == '\t')
		line++;
	if (strncmp(line, "# CONFIG_", 9) == 0) {
		line += 2;
		n = strcspn(line, " ");
		if (strncmp(line + n, " is not set", 11) != 0)
			return 0;
	} else if (strncmp(line, "CONFIG_", 7) == 0) {
		n = strcspn(line, "=");
		if (line[n] != '=')
			return 0;
	} else
		return 0;
	*sym = line;
	return n;
}

/* Does a line of rest (NUL-separated up to its end) set sym again? */
int
config_set_later(const char *rest, const char *sym)
{
	size_t n = strcspn(sym, "= "), m;
	const char *s, *e, *t;

	for (s = rest; *s != '\0'; s = *e != '\0' ? e + 1 : e) {
		e = s + strcspn(s, "\n");
		if ((m = config_sym(s, &t)) == n && strncmp(t, sym, n) == 0)
			return 1;
	}
	return 0;
}

/*
 * .config: tinyconfig, then every fragment, then our LOCALVERSION, then
 * olddefconfig.  A fragment line kconfig did not keep (a dependency is
 * missing) is reported: it would silently give a different kernel.
 */
static int
configure(const char *tree, const char *bdir, char **frags, size_t nfrags,
    const struct karch *ka, const struct kernel_artifact *a,
    const char *log, struct prog *p)
{
	char *ob = kb_asprintf("O=%s", bdir);
	char *ar = kb_asprintf("ARCH=%s", ka->karch);
	/* Kconfig asks the compiler what it can do: the cross one. */
	char *cr = kb_asprintf("CROSS_COMPILE=%s", ka->cross);
	char *argv[] = { "/usr/bin/make", "-C", (char *)tree, ob, ar, cr,
	    "tinyconfig", NULL };
	char *cfgpath, *cfg, *frag, *line, *next, *add, *all, *t;
	const char *sym;
	struct out o = { NULL, 0 };
	size_t i, *offs;
	FILE *fp;
	int on, rc = -1;

	cfgpath = kb_asprintf("%s/.config", bdir);
	p->phase = "configure";
	if (run(argv, NULL, NULL, log, &o, p) != 0) {
		kb_warnx("make tinyconfig failed:\n%s", o.buf);
		goto out;
	}
	if ((fp = fopen(cfgpath, "a")) == NULL) {
		kb_warn("%s", cfgpath);
		goto out;
	}
	for (i = 0; i < nfrags; i++) {
		if ((frag = read_file(frags[i], NULL)) == NULL) {
			kb_warn("%s", frags[i]);
			fclose(fp);
			goto out;
		}
		fprintf(fp, "\n# %s\n%s\n", frags[i], frag);
		free(frag);
	}
	fprintf(fp, "CONFIG_LOCALVERSION=\"-kb%s\"\n"
	    "# CONFIG_LOCALVERSION_AUTO is not set\n", a->kid12);
	fclose(fp);
	argv[6] = "olddefconfig";
	o.len = 0;
	if (run(argv, NULL, NULL, log, &o, p) != 0) {
		kb_warnx("make olddefconfig failed:\n%s", o.buf);
		goto out;
	}
	if ((cfg = read_file(cfgpath, NULL)) == NULL)
		goto out;
	/* Every fragment's lines, in the order kconfig read them. */
	all = kb_strdup("");
	offs = kb_calloc(nfrags + 1, sizeof(*offs));
	for (i = 0; i < nfrags; i++) {
		offs[i] = strlen(all);
		if ((frag = read_file(frags[i], NULL)) == NULL)
			continue;
		t = kb_asprintf("%s%s\n", all, frag);
		free(all);
		free(frag);
		all = t;
	}
	offs[nfrags] = strlen(all);
	for (i = 0, line = all; *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) == NULL)
			next = line + strlen(line);
		else
			*next++ = '\0';
		while (i + 1 < nfrags && (size_t)(line - all) >= offs[i + 1])
			i++;
		if (config_sym(line, &sym) == 0 ||
		    config_set_later(next, sym))
			continue;
		/* The last word on a symbol is the one that must hold. */
		line += strspn(line, " \t");
		on = *line == 'C';
		if (on)
			add = kb_asprintf("\n%s\n", line);
		else
			add = kb_asprintf("\n%.*s=", (int)config_sym(line,
			    &sym), sym);
		if ((strstr(cfg, add) == NULL) == on)
			kb_warnx("%s: %s did not stick (a missing "
			    "dependency?)", basename_of(frags[i]), line);
		free(add);
	}
	free(all);
	free(offs);
	free(cfg);
	rc = 0;
out:
	free(o.buf);
	free(cfgpath);
	free(ob);
	free(ar);
	free(cr);
	return rc;
}

static char *
ccache_cc(const struct karch *ka)
{
	if (access("/usr/bin/ccache", X_OK) == 0)
		return kb_asprintf("CC=ccache %sgcc", ka->cross);
	kb_warnx("ccache not found: building without it (apt-get install "
	    "ccache)");
	return kb_asprintf("CC=%sgcc", ka->cross);
}

static int
make_image(const char *tree, const char *bdir, const struct karch *ka,
    int jobs, const char *log, struct prog *p)
{
	char *ob = kb_asprintf("O=%s", bdir);
	char *j = kb_asprintf("-j%d", jobs);
	char *cc = ccache_cc(ka);
	char *ar = kb_asprintf("ARCH=%s", ka->karch);
	char *cr = kb_asprintf("CROSS_COMPILE=%s", ka->cross);
	char *phase = kb_asprintf("make %s", ka->target);
	char *ccdir = kb_asprintf("CCACHE_DIR=%s/ccache", cache_dir());
	char *base = kb_asprintf("CCACHE_BASEDIR=%s", tree);
	/*
	 * LOCALVERSION set (even empty) stops setlocalversion adding "+"
	 * for a git tree: the release is exactly 6.1.N-kb<kid12>.
	 */
	char *argv[] = { "/usr/bin/make", "-C", (char *)tree, ob, ar, cr,
	    cc, j, "LOCALVERSION=", (char *)ka->target, NULL };
	char *env[] = { ccdir, base, "CCACHE_NOHASHDIR=1",
	    "CCACHE_MAXSIZE=5G", "KBUILD_BUILD_USER=kbench",
	    "KBUILD_BUILD_HOST=kbench", NULL };
	struct out o = { NULL, 0 };
	int rc;

	p->phase = phase;
	rc = run(argv, NULL, env, log, &o, p);
	prog_end(p);
	if (rc != 0) {
		const char *t = o.buf != NULL ? o.buf : "";
		size_t n = strlen(t);

		/* The last lines hold the compiler's error. */
		while (n > 0 && (t[n - 1] == '\n'))
			n--;
		for (rc = 0; n > 0 && rc < 25; n--)
			if (t[n - 1] == '\n')
				rc++;
		kb_warnx("kernel build failed; the end of %s:\n%s", log,
		    t + n);
		rc = -1;
	}
	free(o.buf);
	free(ob);
	free(j);
	free(cc);
	free(ar);
	free(cr);
	free(phase);
	free(ccdir);
	free(base);
	return rc;
}

static int
fetch_base(const char *os, char base[41])
{
	char *script = kb_asprintf("%s/kernel-src/%s/fetch.sh", kb_root(), os);
	char *home = kb_asprintf("KBENCH_HOME=%s", kb_home());
	char *root = kb_asprintf("KBENCH_ROOT=%s", kb_root());
	char *cache = kb_asprintf("KBENCH_CACHE=%s", cache_dir());
	char *argv[] = { "/bin/sh", script, NULL };
	char *env[] = { home, root, cache, NULL };
	struct out o = { NULL, 0 };
	struct prog p = { "fetch tree", { 0, 0 }, 0, "", 0 };
	const char *s;
	size_t n;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &p.t0);
	p.tty = isatty(2);
	p.shown = time(NULL);
	rc = run(argv, NULL, env, NULL, &o, &p);
	prog_end(&p);
	/* The commit id is the last line. */
	s = o.buf != NULL ? o.buf : "";
	n = strlen(s);
	while (n > 0 && s[n - 1] == '\n')
		n--;
	if (rc == 0 && n >= 40) {
		memcpy(base, s + n - 40, 40);
		base[40] = '\0';
		if (strspn(base, "0123456789abcdef") != 40)
			rc = -1;
	} else
		rc = -1;
	if (rc != 0)
		kb_warnx("%s failed:\n%s", script, s);
	free(o.buf);
	free(script);
	free(home);
	free(root);
	free(cache);
	return rc;
}

static int
lock_tree(const char *path)
{
	int fd;

	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) == -1) {
		kb_warn("%s", path);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		kb_info("waiting for another kernel build (%s)", path);
		if (flock(fd, LOCK_EX) == -1) {
			kb_warn("flock %s", path);
			close(fd);
			return -1;
		}
	}
	return fd;
}

static int
ncpu(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

int
kernel_build(const struct kernel_spec *s, struct kernel_artifact *a)
{
	struct out h = { NULL, 0 };
	struct prog p;
	char sum[65], **frags = NULL, *tree = NULL, *bdir = NULL;
	char *tmp = NULL, *log = NULL, *lockp = NULL, *fragdir, *buf;
	char *names = NULL, *t, *rel, **afrags;
	const struct karch *ka;
	size_t nfrags = 0, nafrags, len, i;
	int lockfd = -1, rc = -1;

	memset(a, 0, sizeof(*a));
	if (strcmp(s->os, "linux") != 0) {
		kb_warnx("kernel build: os %s: only linux is built here; "
		    "see kernel-src/%s/README for the fetch recipe", s->os,
		    s->os);
		return -1;
	}
	if ((ka = karch_of(s->arch)) == NULL) {
		kb_warnx("kernel build: arch %s: expected amd64, arm64, "
		    "riscv64 or macppc", s->arch);
		return -1;
	}
	if (*ka->cross != '\0' && !s->fetch_only) {
		char *gcc = kb_asprintf("/usr/bin/%sgcc", ka->cross);

		i = access(gcc, X_OK) == 0;
		if (!i)
			kb_warnx("kernel build: %s: no cross compiler %s "
			    "(apt-get install %s, or make deps)", s->arch,
			    gcc, ka->cross_pkg);
		free(gcc);
		if (!i)
			return -1;
	}
	if (fetch_base(s->os, a->base) != 0)
		return -1;

	/* The id: everything that decides what the image is. */
	hin(&h, KIDTAG);
	hin(&h, s->os);
	hin(&h, s->arch);
	hin(&h, a->base);
	fragdir = kb_asprintf("%s/kernel-src/%s/config", kb_root(), s->os);
	frags = fragments_in(fragdir, &nfrags);
	/* Then the arch's own: config/ARCH/NAME.config. */
	t = kb_asprintf("%s/%s", fragdir, s->arch);
	afrags = fragments_in(t, &nafrags);
	free(t);
	free(fragdir);
	for (i = 0; i < nafrags; i++) {
		frags = kb_reallocarray(frags, nfrags + 1, sizeof(*frags));
		frags[nfrags++] = afrags[i];
	}
	free(afrags);
	for (i = 0; i < s->nfragments; i++) {
		frags = kb_reallocarray(frags, nfrags + 1, sizeof(*frags));
		frags[nfrags++] = kb_strdup(s->fragments[i]);
	}
	for (i = 0; i < nfrags; i++) {
		if ((buf = read_file(frags[i], &len)) == NULL) {
			kb_warn("%s", frags[i]);
			goto out;
		}
		len = config_lines(buf);
		kb_sha256_hex(buf, len, sum);
		free(buf);
		hin(&h, basename_of(frags[i]));
		hin(&h, sum);
	}
	names = kb_strdup("");
	for (i = 0; i < s->npatches; i++) {
		if ((buf = read_file(s->patches[i], &len)) == NULL) {
			kb_warn("%s", s->patches[i]);
			goto out;
		}
		kb_sha256_hex(buf, len, sum);
		free(buf);
		hin(&h, sum);
		t = kb_asprintf("%s%s%s", names, i ? " " : "",
		    basename_of(s->patches[i]));
		free(names);
		names = t;
	}
	kb_sha256_hex(h.buf, h.len, a->kid);
	memcpy(a->kid12, a->kid, 12);
	a->kid12[12] = '\0';

	if (!s->force && load_info(a->kid, a) == 0) {
		a->cached = 1;
		kb_info("kernel %s already built (%s, %.0f s): reusing %s",
		    a->kid12, a->label, a->build_secs, a->dir);
		rc = 0;
		goto out;
	}
	a->os = kb_strdup(s->os);
	a->arch = kb_strdup(s->arch);
	a->patches = names;
	names = NULL;
	/* amd64 kernels keep the plain label they have always had. */
	a->label = strcmp(s->arch, "amd64") == 0 ? kb_strdup("linux-6.1") :
	    kb_asprintf("linux-6.1-%s", s->arch);
	for (i = 0; i < s->npatches; i++) {
		t = kb_asprintf("%s+%s", a->label, basename_of(s->patches[i]));
		free(a->label);
		a->label = t;
	}
	set_paths(a);
	if (s->fetch_only) {
		rc = 0;
		goto out;
	}

	tree = kb_asprintf("%s/src/%s", kb_home(), s->os);
	bdir = kb_asprintf("%s/build/%s-%s", kb_home(), s->os, s->arch);
	lockp = kb_asprintf("%s.lock", tree);
	if ((lockfd = lock_tree(lockp)) == -1)
		goto out;
	/* Whoever held the lock may have built this very kernel. */
	if (!s->force && load_info(a->kid, a) == 0) {
		a->cached = 1;
		kb_info("kernel %s was just built by another kbench: reusing "
		    "%s", a->kid12, a->dir);
		rc = 0;
		goto out;
	}
	tmp = kb_asprintf("%s.tmp", a->dir);
	if (kb_mkdirs(tmp, 0755) == -1 || kb_mkdirs(bdir, 0755) == -1)
		goto out;
	log = kb_asprintf("%s/build.log", tmp);
	unlink(log);

	memset(&p, 0, sizeof(p));
	clock_gettime(CLOCK_MONOTONIC, &p.t0);
	p.tty = isatty(2);
	p.shown = time(NULL);
	kb_info("building kernel %s (%s) in %s", a->kid12, a->label, bdir);
	p.phase = "apply patches";
	prog_show(&p, 1);
	if (apply_patches(tree, s, a, log) != 0)
		goto out;
	if (configure(tree, bdir, frags, nfrags, ka, a, log, &p) != 0)
		goto out;
	if (make_image(tree, bdir, ka, s->jobs > 0 ? s->jobs : ncpu(), log,
	    &p) != 0)
		goto out;
	a->build_secs = elapsed(&p.t0);

	t = kb_asprintf("%s/%s", bdir, ka->built);
	buf = kb_asprintf("%s/%s", tmp, ka->target);
	i = copy_file(t, buf) == 0;
	free(t);
	free(buf);
	t = kb_asprintf("%s/.config", bdir);
	buf = kb_asprintf("%s/config", tmp);
	i = i && copy_file(t, buf) == 0;
	free(t);
	free(buf);
	t = kb_asprintf("%s/include/config/kernel.release", bdir);
	if ((rel = read_file(t, NULL)) != NULL) {
		rel[strcspn(rel, "\n")] = '\0';
		a->release = rel;
	}
	free(t);
	if (!i)
		goto out;
	if (a->release == NULL || strstr(a->release, a->kid12) == NULL) {
		kb_warnx("kernel release \"%s\" lacks -kb%s: not trusted",
		    a->release != NULL ? a->release : "", a->kid12);
		goto out;
	}
	if (save_info(a, tmp) != 0)
		goto out;
	/* The rename publishes a finished build, never a partial one. */
	t = kb_asprintf("%s.old", a->dir);
	if (rename(a->dir, t) == 0) {
		char *rmv[] = { "/bin/rm", "-rf", "--", t, NULL };

		run(rmv, NULL, NULL, NULL, NULL, NULL);
	}
	free(t);
	if (rename(tmp, a->dir) == -1) {
		kb_warn("rename %s", tmp);
		goto out;
	}
	kb_info("built kernel %s (%s) in %.0f s: %s, release %s", a->kid12,
	    a->label, a->build_secs, a->image, a->release);
	rc = 0;
out:
	if (rc != 0 && log != NULL)
		kb_warnx("build log: %s", log);
	if (lockfd != -1)
		close(lockfd);
	freev(frags, nfrags);
	free(h.buf);
	free(names);
	free(tree);
	free(bdir);
	free(tmp);
	free(log);
	free(lockp);
	return rc;
}

int
kernel_lookup(const char *key, struct kernel_artifact *a)
{
	char **v;
	size_t n, i, hits = 0;
	const char *hit = NULL;
	struct kernel_artifact t;
	int rc = -1;

	memset(a, 0, sizeof(*a));
	memset(&t, 0, sizeof(t));
	v = kernel_list(&n);
	for (i = 0; i < n; i++) {
		if (strncmp(v[i], key, strlen(key)) == 0 &&
		    strlen(key) >= 6) {
			hit = v[i];
			hits++;
		} else if (load_info(v[i], &t) == 0 &&
		    strcmp(t.label, key) == 0) {
			hit = v[i];
			hits++;
		}
		kernel_artifact_free(&t);
	}
	if (hits == 1)
		rc = load_info(hit, a);
	else if (hits == 0)
		kb_warnx("no built kernel %s (kbench kernel list)", key);
	else
		kb_warnx("%s names %zu built kernels; say more", key, hits);
	freev(v, n);
	return rc;
}

char **
kernel_list(size_t *n)
{
	char *dir = kb_asprintf("%s/kernels", kb_home());
	struct dirent *de;
	char **v = NULL;
	DIR *d;

	*n = 0;
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strlen(de->d_name) != 64 ||
			    strspn(de->d_name, "0123456789abcdef") != 64)
				continue;
			v = kb_reallocarray(v, *n + 1, sizeof(*v));
			v[(*n)++] = kb_strdup(de->d_name);
		}
		closedir(d);
	}
	free(dir);
	if (*n > 0)
		qsort(v, *n, sizeof(*v), cmpstr);
	return v;
}

int64_t
kernel_row(PGconn *c, const struct kernel_artifact *a)
{
	const char *p[8];
	PGresult *res = NULL;
	char *label = NULL, idbuf[24], us[24];
	int64_t id = -1;

	/* The label is unique: same names, other contents get the kid. */
	p[0] = a->label;
	if (db_exec(c, &res, "SELECT kid FROM kernel WHERE label = $1", 1,
	    p) != 0)
		goto out;
	if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0) &&
	    strcmp(PQgetvalue(res, 0, 0), a->kid) != 0)
		label = kb_asprintf("%s-kb%s", a->label, a->kid12);
	else
		label = kb_strdup(a->label);
	PQclear(res);
	res = NULL;
	if ((id = db_kernel_id(c, label)) == -1)
		goto out;
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	snprintf(us, sizeof(us), "%lld", (long long)(a->build_secs * 1e6));
	p[0] = a->kid;
	p[1] = a->os;
	p[2] = a->base;
	p[3] = a->patches;
	p[4] = idbuf;
	p[5] = a->arch;
	p[6] = a->release;
	p[7] = us;
	/* arch, release and build_us come with db/003_kernel.sql. */
	if (db_exec(c, NULL, "UPDATE kernel SET kid = $1, os = $2, "
	    "revision = $3, patches = $4, arch = $6, release = $7, "
	    "build_us = $8 WHERE id = $5", 8, p) != 0) {
		id = -1;
		goto out;
	}
	kb_info("kernel row %s (id %s)", label, idbuf);
out:
	PQclear(res);
	free(label);
	return id;
}

int
kernel_store(const struct kernel_artifact *a)
{
	PGconn *c;
	int64_t id;

	if ((c = db_open()) == NULL)
		return -1;
	id = kernel_row(c, a);
	db_close(c);
	return id == -1 ? -1 : 0;
}
