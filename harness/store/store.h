/*
 * store.h: where a live run's rows go: the database while it answers,
 * the spool (spool.h) while it does not.
 *
 * A run keeps running while the database is away.  Every record that
 * cannot be stored goes to the run's spool file; the store then tries
 * to reconnect with a bounded backoff (1 s doubling to 30 s), and once
 * back it replays the run's spool (in order, one transaction) before it
 * stores anything live again, so records are never reordered.
 */
#ifndef STORE_H
#define STORE_H

#include <libpq-fe.h>

#include "lib/util.h"
#include "lib/sample.h"
#include "format/insnprof.h"
#include "store/spool.h"

struct store;
struct store_run;

/*
 * Connect (store_connect: may start the private cluster); when that fails,
 * the store spools.  *connp always holds the live connection, or NULL
 * while the database is away.  Marks this host's stale runs failed.
 */
struct store	*store_open(PGconn **connp);
/* The same on a connection the caller made (it must be live). */
struct store	*store_attach(PGconn **connp);
/*
 * The run's rows (worker, workload, kernel, run), or its R record in
 * the spool; host, pid and pid_start are filled in here.  NULL when it
 * can be neither stored nor spooled.
 */
struct store_run *store_run(struct store *, const struct spool_run *);
/* The run's id, or 0 while it is only in the spool. */
int64_t		 store_run_id(const struct store_run *);
/* A sample, then the package results of its rep in dir (may be NULL). */
int		 store_sample(struct store *, struct store_run *,
		    const struct kb_sample *, const char *dir);
int		 store_state(struct store *, struct store_run *,
		    const char *state, const char *reason);
/* What a guest saw of a rep stored before; a guest run's boot. */
int		 store_sample_io(struct store *, struct store_run *,
		    const struct spool_io *);
int		 store_boot(struct store *, struct store_run *,
		    const struct spool_boot *);
/*
 * A profiled boot's kernel functions (db/013), live only: while the
 * database is away the profile is not spooled, and that is said.
 */
int		 store_profile(struct store *, struct store_run *,
		    const struct insn_profile *);
/*
 * Wait up to max_secs for the database to store every spooled run,
 * trying with the backoff and saying so every 30 s.  0; -1: it did
 * not come back; -2: it refused a replay (said).  Then some runs stay
 * spooled.
 */
int		 store_wait(struct store *, int max_secs);
/*
 * The caller is done with the run: forgotten now if it is stored, else
 * kept until its spool is (store_wait, store_close).
 */
void		 store_run_done(struct store *, struct store_run *);
/* Now and then, to reconnect even when nothing is being stored. */
void		 store_tick(struct store *);
/*
 * A last try to store what is spooled, then close.  Returns the number
 * of runs left in the spool (said on stderr, with where).
 */
int		 store_close(struct store *);

#endif /* STORE_H */
