/*
 * ssh.c: run commands on an ssh worker with ssh(1), by argv.
 *
 * ssh joins the words after the host into one string for the remote
 * shell, so the command goes as one word, exactly as the caller wrote
 * it for sh(1) on the worker.  Standard output and standard error are
 * read on separate pipes, so an ssh warning can never split a line of
 * the agent's framed output.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/util.h"
#include "worker/runner.h"
#include "lib/spawn.h"
#include "worker/ssh.h"

#define MAXARGS		40

struct argv {
	char	*v[MAXARGS];
	int	 n;
	char	*own[8];	/* allocated ones, freed after */
	int	 nown;
};

static void
add(struct argv *a, const char *s)
{
	if (a->n < MAXARGS - 1)
		a->v[a->n++] = (char *)s;
	a->v[a->n] = NULL;
}

static void
add_own(struct argv *a, char *s)
{
	if (a->nown < 8)
		a->own[a->nown++] = s;
	add(a, s);
}

static void
argv_free(struct argv *a)
{
	int i;

	for (i = 0; i < a->nown; i++)
		free(a->own[i]);
	a->nown = a->n = 0;
}

/* ssh OPTIONS [-O op] host: the fixed part of every command. */
static int
base_argv(const struct ssh_host *h, struct argv *a, const char *op)
{
	char *dir;

	memset(a, 0, sizeof(*a));
	dir = kb_asprintf("%s/ssh", kb_home());
	if (kb_mkdirs(dir, 0700) == -1) {
		free(dir);
		return -1;
	}
	add(a, "ssh");
	if (h->config != NULL && *h->config != '\0') {
		add(a, "-F");
		add(a, h->config);
	}
	if (h->port > 0) {
		add(a, "-p");
		add_own(a, kb_asprintf("%d", h->port));
	}
	add(a, "-o");
	add(a, "BatchMode=yes");
	add(a, "-o");
	add(a, "StrictHostKeyChecking=yes");
	add(a, "-o");
	add(a, "ControlMaster=auto");
	add(a, "-o");
	add_own(a, kb_asprintf("ControlPath=%s/%%C", dir));
	add(a, "-o");
	add(a, "ControlPersist=60");
	add(a, "-o");
	add_own(a, kb_asprintf("ConnectTimeout=%d", h->connect_timeout > 0 ?
	    h->connect_timeout : 10));
	/* A machine that vanishes (a reboot) ends the session in ~15 s. */
	add(a, "-o");
	add(a, "ServerAliveInterval=5");
	add(a, "-o");
	add(a, "ServerAliveCountMax=3");
	free(dir);
	if (op != NULL) {
		add(a, "-O");
		add(a, op);
	}
	add(a, h->host);
	return 0;
}

char *
ssh_cmdline(const struct ssh_host *h)
{
	struct argv a;
	char *s, *t, *q;
	int i;

	if (base_argv(h, &a, NULL) == -1)
		return kb_strdup("ssh");
	s = kb_strdup("");
	for (i = 0; i < a.n; i++) {
		q = sh_quote(a.v[i]);
		t = kb_asprintf("%s%s%s", s, i ? " " : "",
		    strpbrk(a.v[i], " '\"$%") ? q : a.v[i]);
		free(q);
		free(s);
		s = t;
	}
	argv_free(&a);
	return s;
}

struct lbuf {
	int	 fd;
	char	*buf;
	size_t	 len, cap;
};

/* Read what is there; complete lines of stdout go to line(). */
static int
pump(struct lbuf *b, FILE *log, int (*line)(void *, const char *, size_t),
    void *arg, char **out, size_t *outlen, int *stop)
{
	char tmp[8192], *nl, *p;
	ssize_t n;
	size_t k;

	n = read(b->fd, tmp, sizeof(tmp));
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0) {
		close(b->fd);
		b->fd = -1;
		if (line != NULL && b->len > 0 && !*stop &&
		    line(arg, b->buf, b->len) != 0)
			*stop = 1;
		b->len = 0;
		return 0;
	}
	if (log != NULL) {
		fwrite(tmp, 1, (size_t)n, log);
		fflush(log);
	}
	if (out != NULL) {
		*out = kb_reallocarray(*out, *outlen + (size_t)n + 1, 1);
		memcpy(*out + *outlen, tmp, (size_t)n);
		*outlen += (size_t)n;
		(*out)[*outlen] = '\0';
	}
	if (line == NULL)
		return 0;
	if (b->len + (size_t)n + 1 > b->cap) {
		b->cap = b->len + (size_t)n + 8192;
		b->buf = kb_reallocarray(b->buf, b->cap, 1);
	}
	memcpy(b->buf + b->len, tmp, (size_t)n);
	b->len += (size_t)n;
	p = b->buf;
	while ((nl = memchr(p, '\n', b->len - (size_t)(p - b->buf))) != NULL) {
		*nl = '\0';
		if (!*stop && line(arg, p, (size_t)(nl - p)) != 0)
			*stop = 1;
		p = nl + 1;
	}
	k = b->len - (size_t)(p - b->buf);
	memmove(b->buf, p, k);
	b->len = k;
	return 0;
}

static int
run_argv(struct argv *a, int infd, FILE *log,
    int (*line)(void *, const char *, size_t), void *arg, char **out,
    int timeout)
{
	struct lbuf o = { -1, NULL, 0, 0 }, e = { -1, NULL, 0, 0 };
	struct pollfd p[2];
	struct spawn_opts so = { NULL, NULL, SPAWN_NULL, SPAWN_PIPE,
	    SPAWN_PIPE, 1, 0 };
	int rd[2], st, stop = 0, killed = 0;
	size_t outlen = 0;
	time_t deadline;
	pid_t pid;

	if (out != NULL)
		*out = kb_strdup("");
	/* Its own group: a kill at the deadline takes it all. */
	so.in = infd != -1 ? infd : SPAWN_NULL;
	if ((pid = spawn_start(a->v, &so, rd)) == -1)
		return -1;
	o.fd = rd[0];
	e.fd = rd[1];
	deadline = timeout > 0 ? time(NULL) + timeout : 0;
	while (o.fd != -1 || e.fd != -1) {
		p[0].fd = o.fd;
		p[0].events = POLLIN;
		p[1].fd = e.fd;
		p[1].events = POLLIN;
		if (poll(p, 2, 1000) == -1 && errno != EINTR)
			break;
		if (o.fd != -1 && p[0].revents != 0)
			pump(&o, log, line, arg, out, &outlen, &stop);
		if (e.fd != -1 && p[1].revents != 0)
			pump(&e, log, NULL, NULL, NULL, NULL, &stop);
		/* ssh is in its own group: a ^C reaches it through us. */
		if (!killed && (stop || runner_interrupted() ||
		    (deadline != 0 && time(NULL) >= deadline))) {
			killed = stop || runner_interrupted() ? 1 : 2;
			kill(-pid, SIGTERM);
			kill(pid, SIGTERM);
		}
	}
	if (o.fd != -1)
		close(o.fd);
	if (e.fd != -1)
		close(e.fd);
	free(o.buf);
	free(e.buf);
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR) {
			kb_warn("waitpid");
			return -1;
		}
	if (killed == 2)
		return SSH_TIMEOUT;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + WTERMSIG(st);
}

int
ssh_run(const struct ssh_host *h, const char *cmd, int infd, FILE *log,
    int (*line)(void *, const char *, size_t), void *arg, char **out,
    int timeout)
{
	struct argv a;
	int st;

	if (base_argv(h, &a, NULL) == -1)
		return -1;
	/* One word: ssh passes it to the remote shell as it is. */
	add(&a, cmd);
	st = run_argv(&a, infd, log, line, arg, out, timeout);
	argv_free(&a);
	return st;
}

int
ssh_put(const struct ssh_host *h, const char *local, const char *path,
    FILE *log)
{
	char *q, *cmd;
	int fd, st;

	if ((fd = open(local, O_RDONLY)) == -1) {
		kb_warn("%s", local);
		return -1;
	}
	q = sh_quote(path);
	cmd = kb_asprintf("cat >%s", q);
	if (log != NULL)
		fprintf(log, "+ [%s] %s < %s\n", h->host, cmd, local);
	st = ssh_run(h, cmd, fd, log, NULL, NULL, NULL, 600);
	close(fd);
	free(cmd);
	free(q);
	if (st != 0) {
		kb_warnx("worker %s: copying %s to %s failed (exit %d)",
		    h->worker, local, path, st);
		return -1;
	}
	return 0;
}

void
ssh_close(const struct ssh_host *h, FILE *log)
{
	struct argv a;

	if (base_argv(h, &a, "exit") == -1)
		return;
	(void)run_argv(&a, -1, log, NULL, NULL, NULL, 20);
	argv_free(&a);
}
