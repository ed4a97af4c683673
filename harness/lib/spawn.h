/*
 * spawn.h: run a program by argv (never through a shell string built
 * from user input), optionally in a directory, capturing its output.
 */
#ifndef SPAWN_H
#define SPAWN_H

/*
 * Run argv in dir (NULL: here).  Standard output goes to *out when out
 * is not NULL (allocated, NUL-terminated), else to outfd (-1: inherit).
 * Standard error is captured into *err when err is not NULL.  Returns
 * the exit status (128+signal when killed), or -1 if it could not run.
 */
int	spawn(char *const argv[], const char *dir, char **out, int outfd,
	    char **err);
/* A word quoted for sh(1): 'it'\''s'. */
char	*sh_quote(const char *);
/* The path of the running kbench, for running its own subcommands. */
char	*self_path(const char *argv0);

#endif
