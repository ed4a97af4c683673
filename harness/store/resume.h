/*
 * resume.h: runs whose harness died, and finishing them.
 *
 * A live run records the harness that owns it: host, pid and the
 * process's start ("BOOT_ID:START_TICKS" from /proc).  On the same host
 * a run is stale when that pid is gone or belongs to a process started
 * at another time (a reboot, a reused pid).  Runs of other hosts are
 * left alone: from here we cannot tell.
 */
#ifndef RESUME_H
#define RESUME_H

#include <sys/types.h>

#include <libpq-fe.h>

/* This host's name, as runs record it. */
const char	*resume_host(void);
/* pid's start, "BOOT_ID:TICKS"; 0, or -1 when no such process. */
int		 resume_proc_start(pid_t, char *buf, size_t len);
/* Is the harness (pid, start) on this host still alive?  1 or 0. */
int		 resume_alive(long pid, const char *start);

/*
 * Mark failed, with reason "stale: harness died", every live run of this
 * host whose harness is gone.  Returns how many, or -1.
 */
int		 resume_mark_stale(PGconn *);

/* What a run to resume was, and how far it got. */
struct resume_info {
	char	*ukey, *worker, *workload, *kernel, *variant, *command;
	char	*state, *reason;
	int64_t	 id;
	int	 n_planned;
	int	 good;		/* stored good, non-warm-up samples */
	int	 last_rep;	/* highest stored rep, 0 if none */
};

/*
 * Load run RUN (its id or ukey) for resuming: refused while its harness
 * lives or when it is done.  Marks it stale first if its harness died.
 * 0, or -1 with the reason printed.
 */
int		 resume_load(PGconn *, const char *run, struct resume_info *);
/* Take the run over: state running, this process as its harness. */
int		 resume_claim(PGconn *, const struct resume_info *);
void		 resume_free(struct resume_info *);

#endif /* RESUME_H */
