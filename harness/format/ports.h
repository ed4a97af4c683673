/*
 * ports.h: per-package results of a bulk build (the ports workloads).
 *
 * kbench-bulk writes one JSON line per package to
 * $KBENCH_RESULTS_DIR/pkgs-REP.jsonl; after each repetition the run
 * command hands that file to ports_collect(), which stores the lines in
 * the pkg_build table (db/002_ports.sql).
 */
#ifndef PORTS_H
#define PORTS_H

#include <stdint.h>

#include <libpq-fe.h>

/* Bounds on what a worker may send; anything larger is refused. */
#define PORTS_MAX_LINE		32768	/* bytes of one JSON line */
#define PORTS_MAX_PKGS		4096	/* lines in one file */
#define PORTS_MAX_NAME		64	/* bytes of a package name */
#define PORTS_MAX_TAIL		8192	/* bytes of a decoded log tail */

/* One package of one repetition, as kbench-bulk reports it. */
struct ports_rec {
	char		 pkg[PORTS_MAX_NAME + 1];
	char		 status[8];	/* ok failed skipped */
	int		 exit;		/* code, 128+signal, -1 never ran */
	int64_t		 real_us, user_us, sys_us;
	char		 start[40];	/* ISO 8601 UTC, or "" */
	char		*log_tail;	/* allocated; free with ports_rec_free */
};

/*
 * Parse one line strictly: a flat JSON object with exactly the keys
 * pkg, status, exit, real_us, user_us, sys_us, start, log_tail, each
 * once, with the types and bounds above.  0, or -1 with *why set to a
 * static reason.
 */
int	 ports_parse_line(const char *line, struct ports_rec *,
	    const char **why);
void	 ports_rec_free(struct ports_rec *);

/*
 * Store $results_dir/pkgs-REP.jsonl for (run_id, rep).  A missing file
 * is not an error (most workloads have no packages): returns 0.  Every
 * line is validated before anything is stored; a malformed file stores
 * nothing and returns -1 with the reason printed.  A replay of the same
 * (run, rep, package) is ignored.  Inside a caller's transaction the
 * rows go in under a savepoint; otherwise in a transaction of their own.
 * Returns 0 on success, -1 on error.
 */
int	 ports_collect(PGconn *conn, int64_t run_id, int rep,
	    const char *results_dir);

#endif /* PORTS_H */
