/*
 * dbinfo.h: what the database holds, in a few figures.
 */
#ifndef STORE_DBINFO_H
#define STORE_DBINFO_H

#include <stddef.h>

#include <libpq-fe.h>

/* Row counts for kbench db status, as the server prints them. */
struct dbinfo_counts {
	char	 runs[24], samples[24], kernels[24], workers[24];
	char	 workloads[24], unfinished[24];
};
int	 dbinfo_counts(PGconn *, struct dbinfo_counts *);
/*
 * A fingerprint of the runs (last id, how many done, last finished):
 * it changes whenever a run is added or finishes.
 */
int	 dbinfo_fingerprint(PGconn *, char *buf, size_t len);

#endif /* STORE_DBINFO_H */
