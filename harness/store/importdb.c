/*
 * importdb.c: the statements of kbench import.
 */
#include <inttypes.h>
#include <stdio.h>

#include "store/db.h"
#include "store/importdb.h"

int
importdb_lock(PGconn *c, const char *sha256)
{
	const char *p[1] = { sha256 };

	/* The first 64 bits of the digest are the lock's key. */
	return db_exec(c, NULL, "SELECT pg_advisory_xact_lock(('x' || "
	    "substr($1, 1, 16))::bit(64)::bigint)", 1, p);
}

int
importdb_find(PGconn *c, const char *sha256, struct importdb_dup *d)
{
	const char *p[1] = { sha256 };
	PGresult *r;
	int dup;

	if (db_exec(c, &r, "SELECT i.run_id, i.name, "
	    "to_char(i.imported, 'YYYY-MM-DD HH24:MI'), k.label "
	    "FROM import_file i JOIN run r ON r.id = i.run_id "
	    "JOIN kernel k ON k.id = r.kernel_id WHERE i.sha256 = $1",
	    1, p) == -1)
		return -1;
	if ((dup = PQntuples(r) > 0)) {
		snprintf(d->run, sizeof(d->run), "%s", PQgetvalue(r, 0, 0));
		snprintf(d->name, sizeof(d->name), "%s", PQgetvalue(r, 0, 1));
		snprintf(d->when, sizeof(d->when), "%s", PQgetvalue(r, 0, 2));
		snprintf(d->kernel, sizeof(d->kernel), "%s",
		    PQgetvalue(r, 0, 3));
	}
	PQclear(r);
	return dup;
}

int
importdb_record(PGconn *c, const char *sha256, int64_t run,
    const char *name)
{
	char rid[24];
	const char *p[3] = { sha256, rid, name };

	snprintf(rid, sizeof(rid), "%" PRId64, run);
	return db_exec(c, NULL, "INSERT INTO import_file (sha256, run_id, "
	    "name) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING", 3,
	    p);
}

int
importdb_kernel_facts(PGconn *c, int64_t kernel_id, const char *revision,
    const char *date, const char *parent)
{
	char id[24];
	const char *p[4] = { id, revision, date, parent };

	snprintf(id, sizeof(id), "%" PRId64, kernel_id);
	return db_exec(c, NULL, "UPDATE kernel SET "
	    "revision = COALESCE($2, revision), "
	    "commit_date = COALESCE($3::timestamptz, commit_date), "
	    "parent = COALESCE($4, parent) WHERE id = $1", 4, p);
}
