/*
 * knowndb.h: what a worker, workload or kernel label could have been,
 * for an error that lists the valid choices.
 */
#ifndef STORE_KNOWNDB_H
#define STORE_KNOWNDB_H

#include <libpq-fe.h>

/*
 * A sentence naming the valid choices for the first of worker,
 * workload on it, kernel on both that has no samples: "workers with
 * samples: a, b", "workloads of worker W: ...", "kernels of W, L,
 * newest first: ..." (at most 12, then how many in all); NULL when
 * the query fails.  Free it.
 */
char	*known_choices(PGconn *, const char *worker, const char *workload);
/* The same sentence as a warning ("kbench CMD: ..."). */
void	 known_warn(PGconn *, const char *worker, const char *workload);

#endif /* STORE_KNOWNDB_H */
