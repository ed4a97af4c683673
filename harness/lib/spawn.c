/*
 * spawn.c: fork/exec by argv with captured output.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"
#include "lib/spawn.h"

extern char **environ;

struct sink {
	int	 fd;
	char	*buf;
	size_t	 len, cap;
};

static int
sink_read(struct sink *s)
{
	ssize_t n;

	if (s->cap - s->len < 4096) {
		s->cap = s->cap ? s->cap * 2 : 8192;
		s->buf = kb_reallocarray(s->buf, s->cap, 1);
	}
	n = read(s->fd, s->buf + s->len, s->cap - s->len - 1);
	if (n == -1 && errno == EINTR)
		return 0;
	if (n <= 0) {
		close(s->fd);
		s->fd = -1;
		return 0;
	}
	s->len += (size_t)n;
	return 0;
}

/* Drain both pipes together so neither child stream can block. */
static void
drain(struct sink *o, struct sink *e)
{
	struct pollfd p[2];
	int n;

	while (o->fd != -1 || e->fd != -1) {
		p[0].fd = o->fd;
		p[0].events = POLLIN;
		p[1].fd = e->fd;
		p[1].events = POLLIN;
		if ((n = poll(p, 2, -1)) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (o->fd != -1 && p[0].revents != 0)
			sink_read(o);
		if (e->fd != -1 && p[1].revents != 0)
			sink_read(e);
	}
}

static char *
take(struct sink *s)
{
	if (s->buf == NULL)
		return kb_strdup("");
	s->buf[s->len] = '\0';
	return s->buf;
}

/* One standard stream of the child, fd, as how says. */
static int
redirect(int how, const int p[2], int fd)
{
	int n;

	if (how == SPAWN_PIPE)
		return dup2(p[1], fd) == -1 ? -1 : 0;
	if (how == SPAWN_NULL) {
		if ((n = open("/dev/null", fd == STDIN_FILENO ? O_RDONLY :
		    O_WRONLY)) == -1 || dup2(n, fd) == -1)
			return -1;
		close(n);
		return 0;
	}
	if (how >= 0 && how != fd)
		return dup2(how, fd) == -1 ? -1 : 0;
	return 0;
}

static void
close_pipe(int p[2])
{
	if (p[0] != -1)
		close(p[0]);
	if (p[1] != -1)
		close(p[1]);
	p[0] = p[1] = -1;
}

static void __attribute__((__noreturn__))
child(char *const argv[], const struct spawn_opts *o, int po[2], int pe[2])
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	struct sigaction sa;
	size_t i;

	/* Its own group: a kill of the group reaches all it started. */
	if (o->pgrp)
		setpgid(0, 0);
	if (o->dfl_signals) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_DFL;
		sigemptyset(&sa.sa_mask);
		for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			sigaction(sigs[i], &sa, NULL);
	}
	if (redirect(o->in, po, STDIN_FILENO) == -1 ||
	    redirect(o->out, po, STDOUT_FILENO) == -1 ||
	    (o->err == SPAWN_TO_OUT ? dup2(STDOUT_FILENO, STDERR_FILENO) ==
	    -1 : redirect(o->err, pe, STDERR_FILENO) == -1))
		_exit(127);
	close_pipe(po);
	close_pipe(pe);
	if (o->dir != NULL && chdir(o->dir) == -1) {
		kb_warn("%s", o->dir);
		_exit(127);
	}
	if (o->env != NULL)
		environ = (char **)o->env;
	execvp(argv[0], argv);
	kb_warn("%s", argv[0]);
	_exit(127);
}

pid_t
spawn_start(char *const argv[], const struct spawn_opts *o, int rd[2])
{
	static const struct spawn_opts keep = { NULL, NULL, SPAWN_KEEP,
	    SPAWN_KEEP, SPAWN_KEEP, 0, 0 };
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 };
	pid_t pid;

	if (o == NULL)
		o = &keep;
	if (rd != NULL)
		rd[0] = rd[1] = -1;
	if ((o->out == SPAWN_PIPE && pipe(po) == -1) ||
	    (o->err == SPAWN_PIPE && pipe(pe) == -1)) {
		kb_warn("pipe");
		close_pipe(po);
		return -1;
	}
	fflush(NULL);
	if ((pid = fork()) == -1) {
		kb_warn("fork");
		close_pipe(po);
		close_pipe(pe);
		return -1;
	}
	if (pid == 0)
		child(argv, o, po, pe);
	/* Both sides set the group: no race with a kill right after. */
	if (o->pgrp)
		setpgid(pid, pid);
	if (po[1] != -1)
		close(po[1]);
	if (pe[1] != -1)
		close(pe[1]);
	if (rd != NULL) {
		rd[0] = po[0];
		rd[1] = pe[0];
	} else {
		if (po[0] != -1)
			close(po[0]);
		if (pe[0] != -1)
			close(pe[0]);
	}
	return pid;
}

int
spawn_wait(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return -1;
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int
spawn(char *const argv[], const char *dir, char **out, int outfd,
    char **err)
{
	struct sink o = { -1, NULL, 0, 0 }, e = { -1, NULL, 0, 0 };
	struct spawn_opts so = { NULL, NULL, SPAWN_KEEP, SPAWN_KEEP,
	    SPAWN_KEEP, 0, 0 };
	int rd[2], st;
	pid_t pid;

	so.dir = dir;
	so.out = out != NULL ? SPAWN_PIPE : outfd;
	so.err = err != NULL ? SPAWN_PIPE : SPAWN_KEEP;
	if ((pid = spawn_start(argv, &so, rd)) == -1)
		return -1;
	o.fd = rd[0];
	e.fd = rd[1];
	drain(&o, &e);
	st = spawn_wait(pid);
	if (out != NULL)
		*out = take(&o);
	if (err != NULL)
		*err = take(&e);
	return st;
}

char *
sh_quote(const char *s)
{
	size_t n = 2;
	const char *p;
	char *q, *r;

	for (p = s; *p != '\0'; p++)
		n += *p == '\'' ? 4 : 1;
	r = q = kb_malloc(n + 1);
	*q++ = '\'';
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'') {
			memcpy(q, "'\\''", 4);
			q += 4;
		} else
			*q++ = *p;
	}
	*q++ = '\'';
	*q = '\0';
	return r;
}

char *
self_path(const char *argv0)
{
	char buf[PATH_MAX];
	ssize_t n;

	/* Linux; elsewhere argv[0] as given (a path, or found in PATH). */
	if ((n = readlink("/proc/self/exe", buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		return kb_strdup(buf);
	}
	return kb_strdup(argv0 != NULL ? argv0 : "kbench");
}
