/*
 * try_turns.c: the order of a kernel try's boots, the same on a QEMU
 * worker (try_kernel.c) and a real one over ssh (try_ssh.c): base,
 * patched, base, patched ..., so that drift of the machine hits both
 * kernels alike.
 */
#include <stdio.h>

#include "kb.h"
#include "runner.h"
#include "try.h"

/* After this many failed boots in a row a kernel is given up on. */
#define MAX_FAILED_ROW	2

static const char *const side_name[2] = { "base", "patched" };

int
try_turns(const struct try *t, struct try_turns *tt,
    int (*boot)(void *, long reps), void *arg)
{
	long per = t->per_boot, left[2], reps;
	int side, st;

	left[0] = left[1] = t->n;
	tt->nboots = 2 * ((t->n + per - 1) / per);
	runner_catch_signals();
	while (left[0] > 0 || left[1] > 0) {
		for (side = 0; side < 2; side++) {
			if (left[side] <= 0 ||
			    tt->failed_row[side] >= MAX_FAILED_ROW)
				continue;
			tt->side = side;
			tt->boot++;
			reps = left[side] < per ? left[side] : per;
			if ((st = boot(arg, reps)) == -1)
				return -1;
			tt->failed_row[side] = st == 0 ? 0 :
			    tt->failed_row[side] + 1;
			left[side] -= reps;
			if (runner_interrupted()) {
				kb_warnx("interrupted: the runs so far are "
				    "stored");
				return -1;
			}
		}
		if (tt->failed_row[0] >= MAX_FAILED_ROW &&
		    tt->failed_row[1] >= MAX_FAILED_ROW)
			break;
	}
	for (side = 0; side < 2; side++)
		if (tt->samples[side] < 2) {
			kb_warnx("the %s kernel gave %ld counted sample%s: no "
			    "comparison (its runs are stored, with the "
			    "reasons)", side_name[side], tt->samples[side],
			    tt->samples[side] == 1 ? "" : "s");
			return -1;
		}
	return 0;
}
