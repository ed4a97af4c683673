/*
 * try.h: what a kbench try is, shared by its subjects: a git repository
 * and a command on the local worker (cmd/try.c), and a kernel patch
 * booted on a QEMU worker (try_kernel.c) or on an ssh worker, a real
 * machine (try_ssh.c).  All end in the same report
 * (try_report()): the figures and verdicts of `kbench compare`.
 */
#ifndef TRY_H
#define TRY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/util.h"
#include "lib/sample.h"
#include "stats/seqtest.h"

#define TRY_MAX_PATCHES	64

/*
 * --until-verdict: the sequential test of one metric, patched against
 * base (seqtest.h), that ends the boots (or runs) once it has a verdict.
 */
struct try_seq {
	int		 on;
	enum kb_metric	 metric;
	long		 best_of;	/* a value: the least of K runs */
	struct sq_plan	 plan;
	struct sq_look	 look;		/* the last one */
};

struct try {
	const char	*repo, *base, *build, *worker, *workload;
	const char	*tree;		/* --tree: the kernel's git tree */
	const char	*format;
	const char	*patches[TRY_MAX_PATCHES];
	size_t		 npatches;
	char		**cmdv;
	long		 n, warmup, timeout;
	long		 per_boot;	/* kernel: counted reps per boot */
	int		 icount;	/* kernel: QEMU -icount shift, -1 off */
	double		 confidence, threshold;
	int		 fail_on_regression;
	int		 worker_given, warmup_given;
	int		 dry_run;	/* print the plan for a real worker */
	const char	*os;		/* dry run: the recipe without a worker */
	const char	*result;	/* --result-file: for try_all() */
	struct try_seq	 seq;
	long		 max_n;		/* --max-n, -1 unset */
	int		 metric_given;
	int64_t		 request;	/* --request: a queued request's id */
	int		 queue;		/* --queue: queue it, do not run it */
	int		 fixed_n;	/* --fixed-n: all without a verdict */
	int		 profile;	/* --profile: kernel functions counted */

	char		 sha[41];	/* base commit */
	char		 psha[65];	/* patch series hash */
	char		*label[2];	/* base, patched: kernel labels */
	char		*wt[2];		/* their work trees */
	char		*dir;		/* $KBENCH_HOME/try/ID */
	char		*wl;		/* workload label */
};

/* One try's two sides as stored: the samples of runs after since. */
struct try_side {
	const char	*worker, *wl;
	const char	*label[2];	/* base, patched */
	int64_t		 since;
	struct try_seq	*seq;		/* or NULL: no sequential verdict */
};

#endif /* TRY_H */
