/*
 * portsdb.h: store the per-package results of a bulk build
 * (format/ports.h reads them) in the pkg_build table.
 */
#ifndef PORTSDB_H
#define PORTSDB_H

#include <stdint.h>

#include <libpq-fe.h>

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

#endif /* PORTSDB_H */
