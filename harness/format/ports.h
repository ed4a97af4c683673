/*
 * ports.h: per-package results of a bulk build (the ports workloads).
 *
 * kbench-bulk writes one JSON line per package to
 * $KBENCH_RESULTS_DIR/pkgs-REP.jsonl; after each repetition the run
 * command hands that file to ports_collect() (store/portsdb.h), which
 * reads it with ports_read_file() and stores the lines in the pkg_build
 * table (db/002_ports.sql).
 */
#ifndef PORTS_H
#define PORTS_H

#include <stddef.h>
#include <stdint.h>

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
 * Read and check a whole pkgs-REP.jsonl file: every line is validated
 * and a package listed twice refused.  0 with *vp (free with
 * ports_free) and *np set, or -1 with the reason printed.
 */
int	 ports_read_file(const char *path, struct ports_rec **vp, size_t *np);
void	 ports_free(struct ports_rec *, size_t);

#endif /* PORTS_H */
