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
#include "engine/subject.h"

struct bisect_opts {
	const char	*repo, *good, *bad, *build, *worker, *workload;
	char		**cmdv;
	enum kb_metric	 metric;
	long		 n;		/* samples per endpoint; default 5 */
	long		 max_n;		/* rounds per step; default 15 */
	long		 best_of;	/* runs a round keeps the least of */
	long		 timeout;
	int		 confirm_revert;
	int		 tree;		/* --tree: repo is a kernel tree */
	int		 icount;	/* kernel: QEMU -icount shift, -1 off */
	int64_t		 resume;	/* bisection id, or 0 */
	/* Filled by bisect_run for a caller that acts on the outcome. */
	int64_t		 id_out;	/* the bisection's id, 0: none */
	int		 apart_out;	/* the endpoints were told apart */
};

/* The kernel label a revision's measurements are stored under. */
void	bisect_label(const char *sha, const char *suffix, char *, size_t);

/* Run (or resume) a bisection; a KB_EXIT_ code. */
int	bisect_run(PGconn *, struct bisect_opts *);
/* kbench bisect log: one bisection (0: the latest) as text or JSON. */
int	bisect_log(PGconn *, int64_t id, int json);

#endif /* BISECT_H */
