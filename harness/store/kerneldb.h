/*
 * kerneldb.h: a built kernel's row and what a guest run adds to its
 * run and samples (db/003_kernel.sql).
 */
#ifndef STORE_KERNELDB_H
#define STORE_KERNELDB_H

#include <stdint.h>

#include <libpq-fe.h>

/*
 * The kid stored under label: 1 with *kid allocated, 0 when there is
 * no such row or it has no kid, -1 on error.
 */
int	 kerneldb_kid(PGconn *, const char *label, char **kid);
/* What the build says of a kernel row. */
struct kerneldb_facts {
	const char	*kid, *os, *revision, *patches, *arch, *release;
	long long	 build_us;
};
int	 kerneldb_set(PGconn *, int64_t id, const struct kerneldb_facts *);
/* A guest sample's I/O and page cache figures; < 0: unknown (NULL). */
int	 kerneldb_sample_io(PGconn *, int64_t run, int rep,
	    long long read_kib, long long write_kib,
	    long long cached_pre_kib, long long cached_post_kib);
/* A guest run's boot: accelerator, console log, boot time, tail. */
int	 kerneldb_run_boot(PGconn *, int64_t run, const char *accel,
	    const char *console_log, const char *boot_us,
	    const char *console_tail);

#endif /* STORE_KERNELDB_H */
