/*
 * importdb.h: what kbench import keeps of a file (import_file) and the
 * kernel facts it may set.
 */
#ifndef STORE_IMPORTDB_H
#define STORE_IMPORTDB_H

#include <stdint.h>

#include <libpq-fe.h>

/* An earlier import of the same content. */
struct importdb_dup {
	char	 run[24];
	char	 name[4096];
	char	 when[32];	/* YYYY-MM-DD HH24:MI */
	char	 kernel[1024];
};
/*
 * Hold, until the transaction ends, the lock of one content: imports of
 * the same file wait for each other, so the check below sees the one
 * that committed first.  0 or -1.
 */
int	 importdb_lock(PGconn *, const char *sha256);
/* 1 with *d filled when sha256 was imported before, 0 if not, -1. */
int	 importdb_find(PGconn *, const char *sha256, struct importdb_dup *);
/* Record the file's content as imported into run (a repeat is kept). */
int	 importdb_record(PGconn *, const char *sha256, int64_t run,
	    const char *name);
/* Set what is given (NULL: keep) of a kernel's revision facts. */
int	 importdb_kernel_facts(PGconn *, int64_t kernel_id,
	    const char *revision, const char *date, const char *parent);

#endif /* STORE_IMPORTDB_H */
