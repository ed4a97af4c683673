/*
 * portsdb.c: the per-package results of a bulk build into pkg_build,
 * all of a repetition's file or nothing.
 */
#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/util.h"
#include "format/ports.h"
#include "store/db.h"
#include "store/portsdb.h"

static int
insert_all(PGconn *conn, int64_t run_id, int rep,
    const struct ports_rec *v, size_t n)
{
	char runs[24], reps[16], exits[16], real[24], user[24], sys[24];
	const char *params[10];
	size_t i;

	snprintf(runs, sizeof(runs), "%" PRId64, run_id);
	snprintf(reps, sizeof(reps), "%d", rep);
	for (i = 0; i < n; i++) {
		snprintf(exits, sizeof(exits), "%d", v[i].exit);
		snprintf(real, sizeof(real), "%" PRId64, v[i].real_us);
		snprintf(user, sizeof(user), "%" PRId64, v[i].user_us);
		snprintf(sys, sizeof(sys), "%" PRId64, v[i].sys_us);
		params[0] = runs;
		params[1] = reps;
		params[2] = v[i].pkg;
		params[3] = v[i].status;
		params[4] = exits;
		params[5] = real;
		params[6] = user;
		params[7] = sys;
		params[8] = v[i].start[0] != '\0' ? v[i].start : NULL;
		params[9] = v[i].log_tail;
		if (db_exec(conn, NULL,
		    "INSERT INTO pkg_build (run_id, rep, package, status, "
		    "exit, real_us, user_us, sys_us, started, log_tail) "
		    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
		    "ON CONFLICT (run_id, rep, package) DO NOTHING",
		    10, params) == -1)
			return -1;
	}
	return 0;
}

int
ports_collect(PGconn *conn, int64_t run_id, int rep, const char *results_dir)
{
	struct ports_rec *v;
	struct stat st;
	char *path;
	size_t n;
	int rc, own;

	if (rep < 1 || run_id < 1) {
		kb_warnx("ports: bad run %" PRId64 " or rep %d", run_id, rep);
		return -1;
	}
	path = kb_asprintf("%s/pkgs-%d.jsonl", results_dir, rep);
	if (stat(path, &st) == -1) {
		rc = errno == ENOENT ? 0 : -1;
		if (rc == -1)
			kb_warn("%s", path);
		free(path);
		return rc;
	}
	if (!S_ISREG(st.st_mode)) {
		kb_warnx("%s: not a regular file", path);
		free(path);
		return -1;
	}
	if (ports_read_file(path, &v, &n) == -1) {
		free(path);
		return -1;
	}

	/*
	 * All or nothing.  In the caller's transaction a savepoint keeps
	 * a failure here from aborting the caller's own work.
	 */
	own = PQtransactionStatus(conn) == PQTRANS_IDLE;
	rc = own ? db_begin(conn) :
	    db_exec(conn, NULL, "SAVEPOINT ports_collect", 0, NULL);
	if (rc == 0)
		rc = insert_all(conn, run_id, rep, v, n);
	if (rc == 0)
		rc = own ? db_commit(conn) : db_exec(conn, NULL,
		    "RELEASE SAVEPOINT ports_collect", 0, NULL);
	if (rc == -1) {
		if (own)
			db_rollback(conn);
		else
			PQclear(PQexec(conn,
			    "ROLLBACK TO SAVEPOINT ports_collect"));
		kb_warnx("%s: packages not stored", path);
	}
	ports_free(v, n);
	free(path);
	return rc;
}
