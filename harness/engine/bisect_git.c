/*
 * bisect_git.c: git(1) as the bisection runs it: output captured, errors
 * to a log of ours, so that git's own words are there when it fails.
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "engine/bisect_git.h"

/*
 * git -C dir ARGS..., stdout into out (NUL-terminated, trailing
 * newlines cut), stderr appended to log when not NULL.  Exit status.
 */
static int
vgit(const char *dir, const char *log, int tofd, char *out, size_t len,
    va_list ap)
{
	const char *argv[24];
	pid_t pid;
	ssize_t r;
	size_t n = 0, k = 0;
	int p[2], st, fd;

	argv[n++] = "git";
	argv[n++] = "-C";
	argv[n++] = dir;
	while (n < 23 && (argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	argv[n] = NULL;
	if (pipe(p) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		fd = log != NULL ? open(log, O_WRONLY | O_CREAT | O_APPEND,
		    0644) : open("/dev/null", O_WRONLY);
		if (fd != -1)
			dup2(fd, 2);
		dup2(tofd != -1 ? tofd : p[1], 1);
		close(p[0]);
		execvp("git", (char *const *)argv);
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		char tmp[4096];

		r = read(p[0], out != NULL && k + 1 < len ? out + k : tmp,
		    out != NULL && k + 1 < len ? len - k - 1 : sizeof(tmp));
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (out != NULL && k + 1 < len)
			k += (size_t)r;
	}
	close(p[0]);
	if (out != NULL) {
		out[k] = '\0';
		while (k > 0 && out[k - 1] == '\n')
			out[--k] = '\0';
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
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
