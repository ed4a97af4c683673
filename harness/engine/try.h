/*
 * try.h: kbench try, shared between its two subjects: a git repository
 * and a command on the local worker (cmd_try.c), and a kernel patch
 * booted on a QEMU worker (try_kernel.c) or on an ssh worker, a real
 * machine (try_ssh.c).  Both end in the same report
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

struct cmp_set;

/*
 * Compare the samples of runs after run id `since` of the two labels,
 * print the report (text or JSON) on stdout; the exit status.
 */
int	 try_report(struct try *, int64_t since);
/* The comparison of one try's sides; logs get each side's log (or NULL). */
int	 try_compare(const struct try_side *, double confidence,
	    double threshold, struct cmp_set *, char *logs[2]);

/*
 * --worker all: the same try on every configured worker, one after the
 * other, then one table of verdicts (worker x metric); argv as
 * cmd_try() got it.  The exit status.
 */
int	 try_all(struct try *, int argc, char **argv);

/* Where a kernel try's boots are: try_turns.c. */
struct try_turns {
	int	 side;		/* this boot's: 0 base, 1 patched */
	long	 boot, nboots;	/* this one (from 1), all planned */
	int	 failed_row[2];	/* failed boots in a row, per side */
	long	 samples[2];	/* counted samples so far, per side */
	struct kb_sampleset ss[2];	/* and the samples themselves */
	int	 seq_shown;	/* --until-verdict: the last look said */
};

/* A counted sample of this boot's side, for the count and --until-verdict. */
void	 try_turns_sample(struct try_turns *, const struct kb_sample *);
void	 try_turns_free(struct try_turns *);

/*
 * The sequential test over the two sides' samples in the order taken:
 * sets seq->look; 1 when it has a verdict, else 0.
 */
int	 try_seq_look(struct try_seq *, const struct kb_sampleset ss[2]);
/* The verdict line of the text report, or a JSON member. */
void	 try_seq_print(FILE *, const struct try_seq *, int json);

/*
 * Boot the two kernels in turns until each has t->n counted samples,
 * t->per_boot a boot: boot(arg, reps) runs one, tt->side and tt->boot
 * set, and returns 0 (done), 1 (failed, recorded: go on) or -1 (stop).
 * A kernel that failed twice in a row is not booted again.  0, or -1
 * (stopped, interrupted, or a side with fewer than 2 samples).
 */
int	 try_turns(const struct try *, struct try_turns *,
	    int (*boot)(void *, long reps), void *arg);

/* The kernel subject: build, boot interleaved, report; exit status. */
int	 try_kernel(struct try *);

/*
 * The kernel subject on an ssh worker (try_ssh.c): its recipe run over
 * ssh, boots in turns, each verified; exit status.
 */
struct kb_worker;
int	 try_ssh(struct try *, const struct kb_worker *);

/*
 * --dry-run: print every command a real (ssh) worker would run for the
 * patches, in order, from configs/recipes/OS.conf; runs nothing.
 */
int	 try_dry_run(struct try *);

#endif /* TRY_H */
