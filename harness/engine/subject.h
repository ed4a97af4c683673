/*
 * subject.h: what a bisection subject implements (bisect_repo.c,
 * bisect_kernel.c) and the engine (bisect.c) calls: make a revision
 * measurable, measure revisions in rounds, clean up.  A header of its
 * own so that the subjects and the engine do not include each other.
 */
#ifndef ENGINE_SUBJECT_H
#define ENGINE_SUBJECT_H

#include <stddef.h>
#include <stdint.h>

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

#endif /* ENGINE_SUBJECT_H */
