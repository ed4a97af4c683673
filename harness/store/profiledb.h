/*
 * profiledb.h: the statements of kernel instruction profiles
 * (db/013_insn_profile.sql): a profiled run's functions stored, and two
 * kernels' profiles set side by side for kbench compare --profile and
 * the reports.
 */
#ifndef STORE_PROFILEDB_H
#define STORE_PROFILEDB_H

#include <stdint.h>

#include <libpq-fe.h>

#include "format/insnprof.h"
#include "store/db.h"

/* A run's profile, in one statement; 0 or -1. */
int	 profiledb_store(PGconn *, int64_t run, const struct insn_profile *);

/*
 * One side of a comparison: the profiled runs of (worker, workload,
 * kernel label) after since, their repetitions (every sample row,
 * warm-ups in, as the profile counts them), and per repetition the
 * instructions the profile charged and the samples' insn_kernel.
 */
struct profile_side {
	long	 runs, reps;
	double	 prof_per_rep, kern_per_rep;
};

/* Columns of profiledb_growth's rows. */
enum { PG_FUNC, PG_A, PG_B, PG_NCOLS };

/*
 * The sides of label a and b (side[0], side[1]), and at most limit
 * functions, the most grown first: name, instructions per repetition
 * in a, in b.  0, or -1.  A side with no profiled run has runs 0.
 */
int	 profiledb_growth(PGconn *, const char *worker, const char *workload,
	    const char *a, const char *b, int64_t since, long limit,
	    struct profile_side side[2], struct db_table *);

#endif /* STORE_PROFILEDB_H */
