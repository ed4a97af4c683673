/*
 * recover.h: a run's samples stored after the fact from what its agent
 * printed: the console log of a QEMU try whose harness died or whose
 * database was away, or the agent output an ssh try keeps.
 */
#ifndef RECOVER_H
#define RECOVER_H

#include <stdint.h>

struct recover_result {
	char	 session[64];	/* the agent session taken */
	long	 lines;		/* its checksummed sample lines */
	long	 pkgs;		/* and package rows (format/agentpkg.h) */
	int64_t	 before, after;	/* the run's samples, stored */
	int	 done;		/* the session ended and all are stored */
};

/*
 * Store the sample lines of one agent session in path into run: the
 * session given, else the one whose kernel release carries the run's
 * kernel id (-kb<kid12>), else the only one.  Each rep at most once,
 * however often this runs; a run whose session ended with every rep
 * stored becomes done.  0, or -1 with the reason said.
 */
int	 recover_run(int64_t run, const char *path, const char *session,
	    struct recover_result *);

#endif /* RECOVER_H */
