/*
 * krun.c: what the kernel build's steps share (see krun.h): the arches,
 * running a child with its output logged, kept and shown as a progress
 * line, and whole files.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/util.h"
#include "lib/spawn.h"
#include "worker/krun.h"

extern char **environ;

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

const struct karch *
kr_arch(const char *arch)
{
	size_t i;

	for (i = 0; i < sizeof(karchs) / sizeof(karchs[0]); i++)
		if (strcmp(karchs[i].arch, arch) == 0)
			return &karchs[i];
	return NULL;
}

double
kr_elapsed(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

void
kr_prog_show(struct kr_prog *p, int force)
{
	time_t now = time(NULL);
	int s;

	if (kb_quiet || p == NULL)
		return;
	/* On a terminal redraw each second; in a log every 30 s. */
	if (!force && now - p->shown < (p->tty ? 1 : 30))
		return;
	p->shown = now;
	s = (int)kr_elapsed(&p->t0);
	if (p->tty)
		fprintf(stderr, "\r\033[K[%d:%02d] %s: %.60s", s / 60, s % 60,
		    p->phase, p->last);
	else
		fprintf(stderr, "kbench kernel: [%d:%02d] %s: %s\n", s / 60,
		    s % 60, p->phase, p->last);
}

void
kr_prog_end(struct kr_prog *p)
{
	if (!kb_quiet && p != NULL && p->tty)
		fprintf(stderr, "\r\033[K");
}

static void
out_add(struct kr_out *o, const char *s, size_t n)
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

int
kr_run(char *const argv[], const char *dir, char *const *envadd,
    const char *log, struct kr_out *o, struct kr_prog *p)
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
		kr_prog_show(p, 0);
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

char *
kr_read_file(const char *path, size_t *lenp)
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

int
kr_write_file(const char *path, const char *s)
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

int
kr_copy_file(const char *from, const char *to)
{
	char *buf;
	size_t len;
	FILE *fp;

	if ((buf = kr_read_file(from, &len)) == NULL) {
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

const char *
kr_cache_dir(void)
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

const char *
kr_basename(const char *p)
{
	const char *s = strrchr(p, '/');

	return s != NULL ? s + 1 : p;
}

int
kr_cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
kr_freev(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
