/*
 * bisect.h: find the commit that changed a measurement.
 *
 * The engine knows revisions, decisions and statistics; a subject knows
 * how to make a revision measurable and how to measure it.  The repo
 * subject (this file's bisect_repo_subject) checks a git repository out
 * into worktrees under $KBENCH_HOME, runs an untimed build and times a
 * command through kbench-agent on the local worker.  A kernel subject
 * (build the kernel at REV, boot it in QEMU, run a workload) plugs in
 * through the same two calls.
 */
#ifndef BISECT_H
#define BISECT_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "lib/util.h"
#include "lib/sample.h"

/*
 * Slots: 0 the revision under test, 1 the good endpoint, 2 the bad one,
 * 3 the culprit's parent when confirming.
 */
#define BISECT_SLOTS	4
enum { BS_TEST, BS_GOOD, BS_BAD, BS_SPARE };

/* After each round (all slots sampled once): 1 when enough, 0 go on. */
typedef int (*bisect_enough_fn)(void *, const struct kb_sampleset *,
	    int nsets);

struct bisect_subject {
	const char	*name;		/* "repo" or "kernel" */
	void		*ctx;
	/*
	 * Make rev measurable in slot 0 or 1; with revert, apply the
	 * revert of that commit on top.  0 ready, 1 skip it (it does not
	 * build), -1 error (why says what).
	 */
	int	(*prepare)(void *, int slot, const char *rev,
		    const char *revert, char *why, size_t);
	/*
	 * Measure the prepared slots slots[0..nslots), interleaved in
	 * rounds, n samples each (the enough callback may stop sooner).
	 * Each is one stored run under kernel label labels[i]; its id in
	 * run_ids[i], its samples in out[i].  0, or -1 (interrupted,
	 * failed).
	 */
	int	(*measure)(void *, int nslots, const int *slots,
		    const char *const *labels, long n, bisect_enough_fn,
		    void *arg, struct kb_sampleset *out, int64_t *run_ids);
	void	(*cleanup)(void *, int keep);
};

struct bisect_opts {
	const char	*repo, *good, *bad, *build, *worker, *workload;
	char		**cmdv;
	enum kb_metric	 metric;
	long		 n;		/* samples per endpoint; default 5 */
	long		 max_n;		/* rounds per step; default 15 */
	long		 best_of;	/* runs a round keeps the least of */
	long		 timeout;
	int		 confirm_revert;
	int		 icount;	/* kernel: QEMU -icount shift, -1 off */
	int64_t		 resume;	/* bisection id, or 0 */
};

/* Run (or resume) a bisection; a KB_EXIT_ code. */
int	bisect_run(PGconn *, struct bisect_opts *);
/* kbench bisect log: one bisection (0: the latest) as text or JSON. */
int	bisect_log(PGconn *, int64_t id, int json);

/* git -C dir ARGS... (NULL-terminated); stdout into out; a status. */
int	bisect_git(const char *dir, const char *log, char *out, size_t len,
	    ...);
/* git bisect's answer: 1 with the culprit's sha in sha, else 0. */
int	bisect_first_bad(const char *out, char *sha, size_t len);
/* The same with stdout into file (made or emptied). */
int	bisect_git_file(const char *dir, const char *file, ...);

/* The repo subject (bisect_repo.c). */
struct bisect_subject *bisect_repo_subject(PGconn *, const char *repo,
	    const char *dir, const char *build, char **cmdv,
	    const char *worker, const char *workload, long timeout);

/*
 * The kernel subject (bisect_kernel.c): tree is a kernel git tree on
 * kbench's base (tag base); each revision is built and booted on the
 * QEMU worker, the workload (or cmdv, in the guest) timed there.
 */
struct bisect_subject *bisect_kernel_subject(PGconn *, const char *tree,
	    const char *dir, const char *worker, const char *workload,
	    char **cmdv, int icount, long timeout);

#endif /* BISECT_H */
