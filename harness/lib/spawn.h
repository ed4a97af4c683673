/*
 * spawn.h: run a program by argv (never through a shell string built
 * from user input), optionally in a directory, capturing its output.
 */
#ifndef SPAWN_H
#define SPAWN_H

#include <sys/types.h>

/* Where a child's standard stream goes when not to a descriptor. */
#define SPAWN_KEEP	(-1)	/* where ours goes */
#define SPAWN_NULL	(-2)	/* /dev/null */
#define SPAWN_PIPE	(-3)	/* a new pipe, its read end ours */
#define SPAWN_TO_OUT	(-4)	/* stderr only: where stdout goes */

struct spawn_opts {
	const char	*dir;		/* chdir there first; NULL: here */
	char *const	*env;		/* its environment; NULL: ours */
	int		 in;		/* a descriptor, SPAWN_KEEP or _NULL */
	int		 out, err;	/* a descriptor or SPAWN_* */
	int		 pgrp;		/* its own process group */
	int		 dfl_signals;	/* INT TERM HUP PIPE as by default */
};

/*
 * Run argv in dir (NULL: here).  Standard output goes to *out when out
 * is not NULL (allocated, NUL-terminated), else to outfd (-1: inherit).
 * Standard error is captured into *err when err is not NULL.  Returns
 * the exit status (128+signal when killed), or -1 if it could not run.
 */
int	spawn(char *const argv[], const char *dir, char **out, int outfd,
	    char **err);
/*
 * The primitive under spawn(): start argv (searched in PATH) as o
 * says (NULL: everything inherited).  rd[0] and rd[1] get the read
 * ends of the pipes for out and err that are SPAWN_PIPE, else -1; rd
 * may be NULL when none is.  The child's pid, or -1.
 */
pid_t	spawn_start(char *const argv[], const struct spawn_opts *o,
	    int rd[2]);
/* Wait for it: its exit status, 128+signal when killed, or -1. */
int	spawn_wait(pid_t);
/* A word quoted for sh(1): 'it'\''s'. */
char	*sh_quote(const char *);
/* The path of the running kbench, for running its own subcommands. */
char	*self_path(const char *argv0);

#endif
