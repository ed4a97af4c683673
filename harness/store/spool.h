/*
 * spool.h: what a run could not store while the database was away.
 *
 * One file per run, $KBENCH_HOME/spool/UKEY.spool (0600 in a 0700
 * directory), append-only, fsync'd after every record.  A record is one
 * line: eight hex digits of the CRC-32 of the rest of the line, a
 * space, a type letter and tab-separated fields (\\ \t \n \r escaped,
 * \N for NULL).  A torn last line (no newline, or a bad CRC) is what a
 * crash mid-write leaves: it is ignored, never half-applied.
 *
 *	R  the run: ukey and everything needed to create it by name
 *	S  a sample
 *	T  a state change (state, reason)
 *	P  a repetition whose package results wait in the run's dir
 *	I  what a guest saw of one repetition: disk I/O, page cache
 *	B  a guest run's boot: accelerator, console log, boot time, tail
 *
 * The writer holds an exclusive flock(2) on its file for as long as the
 * run lives; a replayer only takes files nobody holds, so a live run's
 * records are replayed by the run itself when it reconnects.  A replay
 * applies one file in one transaction and then removes the file; as the
 * run is found by its ukey and a sample is unique by (run, rep), a
 * replay repeated after a crash stores nothing twice.
 */
#ifndef SPOOL_H
#define SPOOL_H

#include <libpq-fe.h>

#include "lib/util.h"
#include "lib/sample.h"

/* A run as the spool records it: by names, not ids. */
struct spool_run {
	const char	*ukey;
	const char	*worker, *arch, *os, *transport;
	int		 ncpu;
	const char	*workload, *kernel, *variant;
	const char	*source, *state, *command, *log_path;
	int		 n_planned;
	const char	*host;		/* the harness: where, which process */
	long		 pid;
	const char	*pid_start;
};

struct spool;		/* one run's open spool file */

/* What a guest saw of one repetition; < 0: unknown (NULL). */
struct spool_io {
	int		 rep;
	long long	 read_kib, write_kib, cached_pre_kib, cached_post_kib;
};

/* A guest run's boot; boot_us NULL when unknown, tail NULL when ok. */
struct spool_boot {
	const char	*accel, *console_log, *boot_us, *tail;
};

/* The directory, made 0700 when absent. */
const char	*spool_dir(void);

/*
 * Open (create) the run's spool file and lock it; writes the R record
 * when the file is new.  NULL on error (printed).
 */
struct spool	*spool_open(const struct spool_run *);
int		 spool_sample(struct spool *, const struct kb_sample *);
int		 spool_state(struct spool *, const char *state,
		    const char *reason);
int		 spool_ports(struct spool *, int rep, const char *dir);
int		 spool_io(struct spool *, const struct spool_io *);
int		 spool_boot(struct spool *, const struct spool_boot *);
const char	*spool_path(const struct spool *);
/* Close without replaying: the file stays for a later replay. */
void		 spool_close(struct spool *);

/*
 * Replay the caller's own spool file (it holds the lock) and remove it.
 * The run's id in *run_id.  0, or -1 (file kept, spool still open).
 */
int		 spool_flush(PGconn *, struct spool *, int64_t *run_id);

/*
 * Replay every spool file nobody holds.  verbose: say what was done.
 * Returns how many files were replayed, or -1 if one failed (it stays).
 */
int		 spool_replay_all(PGconn *, int verbose);

struct spool_stat {
	int	 files, runs, live, torn, bad;
	long	 samples, states;
};
/* What is spooled; works with the database down.  0 or -1. */
int		 spool_status(struct spool_stat *);

/* Internal, for the unit test: encode and decode one record line. */
char		*spool_encode(char type, const char *const *f, int n);
int		 spool_decode(char *line, char *type, char **f, int max);

#endif /* SPOOL_H */
