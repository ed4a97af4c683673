/*
 * try_turns.h: the boots of a kernel try in turns, and --until-verdict's
 * look between them (try_turns.c).
 */
#ifndef ENGINE_TRY_TURNS_H
#define ENGINE_TRY_TURNS_H

#include "engine/try.h"

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

#endif /* ENGINE_TRY_TURNS_H */
