/*
 * bisect_git.h: git(1) as a bisection runs it (bisect_git.c).
 */
#ifndef ENGINE_BISECT_GIT_H
#define ENGINE_BISECT_GIT_H

#include <stddef.h>

/* git -C dir ARGS... (NULL-terminated); stdout into out; a status. */
int	bisect_git(const char *dir, const char *log, char *out, size_t len,
	    ...);
/* git bisect's answer: 1 with the culprit's sha in sha, else 0. */
int	bisect_first_bad(const char *out, char *sha, size_t len);
/* The same with stdout into file (made or emptied). */
int	bisect_git_file(const char *dir, const char *file, ...);

#endif /* ENGINE_BISECT_GIT_H */
