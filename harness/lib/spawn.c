/*
 * spawn.c: fork/exec by argv with captured output.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"
#include "lib/spawn.h"

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

int
spawn(char *const argv[], const char *dir, char **out, int outfd,
    char **err)
{
	struct sink o = { -1, NULL, 0, 0 }, e = { -1, NULL, 0, 0 };
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, st;
	pid_t pid;

	if ((out != NULL && pipe(po) == -1) ||
	    (err != NULL && pipe(pe) == -1)) {
		kb_warn("pipe");
		return -1;
	}
	fflush(NULL);
	if ((pid = fork()) == -1) {
		kb_warn("fork");
		return -1;
	}
	if (pid == 0) {
		if (out != NULL) {
			dup2(po[1], STDOUT_FILENO);
			close(po[0]);
			close(po[1]);
		} else if (outfd != -1)
			dup2(outfd, STDOUT_FILENO);
		if (err != NULL) {
			dup2(pe[1], STDERR_FILENO);
			close(pe[0]);
			close(pe[1]);
		}
		if (dir != NULL && chdir(dir) == -1) {
			kb_warn("%s", dir);
			_exit(127);
		}
		execvp(argv[0], argv);
		kb_warn("%s", argv[0]);
		_exit(127);
	}
	if (out != NULL) {
		close(po[1]);
		o.fd = po[0];
	}
	if (err != NULL) {
		close(pe[1]);
		e.fd = pe[0];
	}
	drain(&o, &e);
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return -1;
	if (out != NULL)
		*out = take(&o);
	if (err != NULL)
		*err = take(&e);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
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
