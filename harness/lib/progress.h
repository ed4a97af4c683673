/*
 * progress.h: what a run shows while it goes, on stderr.  On a terminal
 * one status line redrawn in place (the repetition running, elapsed,
 * ETA, the last real/user/sys); otherwise one plain line per finished
 * repetition, which reads well in a CI log.  Silent under -q.
 */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stddef.h>
#include <time.h>

#include "lib/util.h"
#include "lib/sample.h"

struct progress {
	int		 on;		/* 0 under -q */
	int		 tty;		/* redraw in place */
	int		 drawn;		/* a status line is showing */
	long		 reps;		/* per variant, warm-ups in */
	long		 warmups;	/* per variant, first of reps */
	size_t		 nv;		/* variants, taking turns */
	const char	*const *labels;	/* of the variants, or NULL */
	long		 done;		/* finished, all variants */
	double		 last_real;	/* seconds */
	struct timespec	 t0;		/* start of the run */
	struct timespec	 first;		/* first sample arrived */
	struct timespec	 last;		/* when the last one did */
	char		 step[128];	/* before the first repetition */
	char		 figures[128];	/* last real/user/sys */
};

/*
 * n timed repetitions per variant after warmups warm-ups; labels: nv
 * variant names when interleaved, else NULL (nv 1).  Repetitions are
 * shown as "warm-up 1/W", then "rep 1/N".
 */
void	progress_init(struct progress *, long n, long warmups, size_t nv,
	    const char *const *labels);
/* A step before the repetitions ("fetching sources…"). */
void	progress_step(struct progress *, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
/* A repetition of variant (NULL when only one) finished. */
void	progress_sample(struct progress *, const char *variant,
	    const struct kb_sample *);
/* Redraw the clock; call about once a second. */
void	progress_tick(struct progress *);
/* A message that must not be overdrawn by the status line. */
void	progress_note(struct progress *, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
void	progress_done(struct progress *);

#endif /* PROGRESS_H */
