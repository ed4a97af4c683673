/*
 * try_store.h: where a kernel try's boots go, on a QEMU or an ssh
 * worker alike.
 *
 * The rows of the two kernels, the worker and the workload are made at
 * the start, with the database there: the two sides' labels and the
 * last run before the try come from it.  From then on, each boot's run,
 * its samples, what the guest saw and the boot's end go through the
 * store (store/store.h): while the database is away they are spooled
 * and the try goes on; at the end the try waits for the spool to be
 * stored before it reports.  Every run row names this host and process,
 * so a try whose harness died is marked failed by the next command.
 */
#ifndef TRY_STORE_H
#define TRY_STORE_H

#include <stdint.h>

#include "lib/sample.h"
#include "store/store.h"
#include "worker/kernel.h"
#include "engine/try.h"

/* How long a try waits at its end for an absent database. */
#define TRY_STORE_WAIT	900	/* seconds */

struct try_store {
	PGconn		*db;		/* NULL while the database is away */
	struct store	*st;
	struct store_run *run;		/* the current boot's */
	struct try	*t;
	/* The names the runs are stored under. */
	const char	*worker, *arch, *os, *transport;
	int		 ncpu;
	int64_t		 kernel_id[2];
	int64_t		 since;		/* the runs after it are the try's */
};

/*
 * Connect, make the rows, fill t->label (freed by the caller) and
 * ts->since.  -1 (said) when the database is not there or the patch
 * series leaves the kernel unchanged.
 */
int	 try_store_open(struct try_store *, struct try *,
	    const struct kernel_artifact ka[2]);
/* The run of one boot of side (0 base, 1 patched); -1 when lost. */
int	 try_store_boot(struct try_store *, int side, const char *source,
	    const char *command, long n_planned, const char *log_path);
/* A sample, and its bulk build's rows from pkgs_dir (or NULL). */
int	 try_store_sample(struct try_store *, const struct kb_sample *,
	    const char *pkgs_dir);
int	 try_store_io(struct try_store *, const struct spool_io *);
int	 try_store_facts(struct try_store *, const struct spool_boot *);
/* The boot's kernel instruction profile (--profile). */
int	 try_store_profile(struct try_store *, const struct insn_profile *);
int	 try_store_state(struct try_store *, const char *state,
	    const char *reason);
/*
 * The end of the boots: every spooled run stored (waiting up to
 * TRY_STORE_WAIT for the database), so that the report sees them.
 * 0, or -1 with what to do said.
 */
int	 try_store_finish(struct try_store *);
void	 try_store_close(struct try_store *);

#endif /* TRY_STORE_H */
