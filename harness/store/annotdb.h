/*
 * annotdb.h: notes on a kernel or a date (db/014_annotation.sql): add,
 * list, remove; those of a series for its page.
 */
#ifndef STORE_ANNOTDB_H
#define STORE_ANNOTDB_H

#include <stdint.h>

#include <libpq-fe.h>

#include "store/db.h"

/* What a note is on, and where it shows: 0 for none (every series). */
struct annot {
	int64_t		 kernel_id;	/* or ... */
	const char	*day;		/* YYYY-MM-DD; NULL with a kernel */
	int64_t		 worker_id, workload_id;
	const char	*body, *author;
};
/* Store a note; its id into id.  0, or -1. */
int	annotdb_add(PGconn *, const struct annot *, char id[24]);
/* The columns of annotdb_list's and annotdb_series' rows. */
enum annot_col {
	AN_ID, AN_KERNEL_ID, AN_KERNEL, AN_DAY, AN_WORKER, AN_WORKLOAD,
	AN_BODY, AN_AUTHOR, AN_CREATED, AN_NCOLS
};
/* Every note, newest first ("" for what it does not name). */
int	annotdb_list(PGconn *, struct db_table *);
/*
 * The notes shown on the series (worker, workload): those naming it, or
 * its worker or workload only, or neither; by kernel, then day.
 */
int	annotdb_series(PGconn *, int64_t wid, int64_t lid,
	    struct db_table *);
/* Remove a note: 0, 1: no such note, -1. */
int	annotdb_rm(PGconn *, int64_t id);

#endif /* STORE_ANNOTDB_H */
