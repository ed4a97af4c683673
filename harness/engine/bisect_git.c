/*
 * bisect_git.c: git(1) as the bisection runs it: output captured, errors
 * to a log of ours, so that git's own words are there when it fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/spawn.h"
#include "engine/bisect_git.h"

/*
 * git -C dir ARGS..., stdout into out (NUL-terminated, trailing
 * newlines cut), stderr appended to log when not NULL.  Exit status.
 */
static int
vgit(const char *dir, const char *log, int tofd, char *out, size_t len,
    va_list ap)
{
	struct spawn_opts o = { NULL, NULL, SPAWN_KEEP, SPAWN_PIPE,
	    SPAWN_NULL, 0, 0 };
	const char *argv[24];
	char tmp[4096];
	pid_t pid;
	ssize_t r;
	size_t n = 0, k = 0;
	int rd[2], logfd = -1;

	argv[n++] = "git";
	argv[n++] = "-C";
	argv[n++] = dir;
	while (n < 23 && (argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	argv[n] = NULL;
	if (log != NULL && (logfd = open(log, O_WRONLY | O_CREAT | O_APPEND |
	    O_CLOEXEC, 0644)) != -1)
		o.err = logfd;
	if (tofd != -1)
		o.out = tofd;
	pid = spawn_start((char *const *)argv, &o, rd);
	if (logfd != -1)
		close(logfd);
	if (pid == -1)
		return -1;
	while (rd[0] != -1) {
		r = read(rd[0], out != NULL && k + 1 < len ? out + k : tmp,
		    out != NULL && k + 1 < len ? len - k - 1 : sizeof(tmp));
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (out != NULL && k + 1 < len)
			k += (size_t)r;
	}
	if (rd[0] != -1)
		close(rd[0]);
	if (out != NULL) {
		out[k] = '\0';
		while (k > 0 && out[k - 1] == '\n')
			out[--k] = '\0';
	}
	return spawn_wait(pid);
}

int
bisect_git(const char *dir, const char *log, char *out, size_t len, ...)
{
	va_list ap;
	int st;

	va_start(ap, len);
	st = vgit(dir, log, -1, out, len, ap);
	va_end(ap);
	return st;
}

int
bisect_git_file(const char *dir, const char *file, ...)
{
	va_list ap;
	int fd, st;

	if ((fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1)
		return -1;
	va_start(ap, file);
	st = vgit(dir, NULL, fd, NULL, 0, ap);
	va_end(ap);
	if (close(fd) == -1)
		st = -1;
	return st;
}
