/*
 * pkgdb.h: the per-package rows of bulk builds as a whole: a bulk log
 * imported as one run (format/bulklog.h), and the packages of two
 * kernels read back for the per-package comparison (output/pkgcmp.h).
 */
#ifndef STORE_PKGDB_H
#define STORE_PKGDB_H

#include <stdint.h>

#include <libpq-fe.h>

#include "format/bulklog.h"

/* Store b's packages as repetition 1 of run, in the caller's transaction. */
int	 pkgdb_store(PGconn *, int64_t run, const struct bulklog *);

/* The packages of one (worker, workload, kernel), every run and rep. */
struct pkgdb_pkg {
	char		*name;
	int64_t		*real_us;	/* of each repetition built ok */
	size_t		 n;
	int		 failed;	/* repetitions failed or skipped */
};
struct pkgdb_edge {
	char		*pkg, *dep;
};
struct pkgdb_set {
	struct pkgdb_pkg	*v;	/* sorted by name */
	size_t			 n;
	struct pkgdb_edge	*e;	/* the runs' edges, where known */
	size_t			 ne;
};
/* 0 with *s filled (s->n 0 when there are no packages), or -1. */
int	 pkgdb_load(PGconn *, const char *worker, const char *workload,
	    const char *kernel, struct pkgdb_set *);
void	 pkgdb_free(struct pkgdb_set *);

/*
 * The names of worker wid, workload lid and kernels ka and kb, each
 * allocated into out[0..3]: 0, 1 when one of them does not exist, -1.
 */
int	 pkgdb_labels(PGconn *, int64_t wid, int64_t lid, int64_t ka,
	    int64_t kb, char *out[4]);

/* One package of one run, as stored; user_us and sys_us -1 when unknown. */
struct pkgdb_row {
	int		 rep;
	char		*name, *status;
	int		 exit;		/* -1 when unknown */
	long long	 real_us, user_us, sys_us;
};
/* Run's packages in the order they started, rep by rep: 0 or -1. */
int	 pkgdb_run(PGconn *, int64_t run, struct pkgdb_row **, size_t *);
void	 pkgdb_rows_free(struct pkgdb_row *, size_t);

#endif /* STORE_PKGDB_H */
