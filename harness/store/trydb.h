/*
 * trydb.h: the statements of kbench try (both kernels of a patch
 * series, their runs and their samples).
 */
#ifndef STORE_TRYDB_H
#define STORE_TRYDB_H

#include <stdint.h>

#include <libpq-fe.h>

#include "lib/sample.h"

/* The rows a kernel try measures into. */
struct trydb_rows {
	/* In: the two kernels' rows, and the worker and workload. */
	int64_t		 kernel_id[2];
	const char	*worker, *arch, *os, *transport, *workload;
	int		 ncpu;
	/* Out: the kernels' labels (allocated), the ids, the last run. */
	char		*label[2];
	int64_t		 worker_id, workload_id;
	int64_t		 since;		/* runs after it are this try's */
};
int	 trydb_open(PGconn *, struct trydb_rows *);

/* What the guest saw on one side, over its counted samples. */
struct trydb_guest {
	char	 n[24];			/* counted samples */
	double	 disk_read_kib, cached_post_kib;
	char	 accel[64];		/* the runs' accelerators, a,b */
};
int	 trydb_guest(PGconn *, int64_t since, int64_t kernel_id,
	    struct trydb_guest *);

/*
 * The counted samples of runs after since of (worker, workload, kernel
 * label) in order, rep numbered from 1; *logs, when NULL, gets the
 * first run's log path.
 */
int	 trydb_samples(PGconn *, const char *worker, const char *workload,
	    const char *label, int64_t since, struct kb_sampleset *,
	    char **logs);

#endif /* STORE_TRYDB_H */
