/*
 * try_ssh.h: kbench try on a real machine over ssh (try_ssh.c).
 */
#ifndef ENGINE_TRY_SSH_H
#define ENGINE_TRY_SSH_H

#include "engine/try.h"

/*
 * The kernel subject on an ssh worker (try_ssh.c): its recipe run over
 * ssh, boots in turns, each verified; exit status.
 */
struct kb_worker;
int	 try_ssh(struct try *, const struct kb_worker *);

/*
 * An ssh worker kept for a series of boots (kbench bisect): connected,
 * the agent built, its running kernel saved; each boot installs one
 * kernel built on the harness (the recipe's build_on = "harness"),
 * reboots, verifies and runs the workload (a recipe workload or the
 * command) with reps counted samples after one warm-up, each sample
 * given to fn.  A boot: 0 measured; 1 failed, why said, the worker
 * still there; -1 the worker lost or a step failed.  Close restores
 * the worker's own kernel (0, or -1: it needs a person).  Open gives
 * NULL with the reason printed.
 */
struct kb_sample;
struct kernel_artifact;
struct ssh_session;
typedef int (*ssh_sample_fn)(void *, const struct kb_sample *);
struct ssh_session *ssh_session_open(const struct kb_worker *,
	    const char *workload, char **cmdv, long timeout);
const char *ssh_session_workload(const struct ssh_session *);
int	 ssh_session_boot(struct ssh_session *,
	    const struct kernel_artifact *, long reps, ssh_sample_fn,
	    void *, char *why, size_t len);
int	 ssh_session_close(struct ssh_session *);

#endif /* ENGINE_TRY_SSH_H */
