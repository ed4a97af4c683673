/*
 * watch.h: kbench watch: follow a git branch, measure each new commit
 * (or the head of each batch of them), find where the series moved,
 * confirm it by measuring both sides again, bisect the step to its
 * commit and send the alert (watch.c; docs/watch.md).
 */
#ifndef ENGINE_WATCH_H
#define ENGINE_WATCH_H

#include <libpq-fe.h>

#include "lib/sample.h"
#include "format/config.h"

struct watch_opts {
	const char	*repo;		/* the git tree, absolute */
	const char	*branch;	/* default HEAD */
	const char	*since;		/* the first pass's first commit */
	const char	*worker, *workload, *build;
	char		**cmdv;
	enum kb_metric	 metric;
	long		 n;		/* samples per measured commit */
	long		 every;		/* measure each Nth commit */
	long		 depth;		/* first pass: commits back */
	long		 timeout;
	int		 icount;
	double		 threshold;	/* per cent; < 0: the config's */
	const struct kb_config *cfg;
};

/*
 * One pass: what is new on the branch is measured, tested, confirmed
 * and sent.  A KB_EXIT_ code.
 */
int	watch_pass(PGconn *, struct watch_opts *);

#endif /* ENGINE_WATCH_H */
