/*
 * kerneldb.c: the statements of built kernels and guest runs.
 */
#include <inttypes.h>
#include <stdio.h>

#include "lib/util.h"
#include "store/db.h"
#include "store/kerneldb.h"

int
kerneldb_kid(PGconn *c, const char *label, char **kid)
{
	const char *p[1] = { label };
	PGresult *r;
	int found;

	*kid = NULL;
	if (db_exec(c, &r, "SELECT kid FROM kernel WHERE label = $1", 1,
	    p) != 0)
		return -1;
	if ((found = PQntuples(r) > 0 && !PQgetisnull(r, 0, 0)))
		*kid = kb_strdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return found;
}

int
kerneldb_set(PGconn *c, int64_t id, const struct kerneldb_facts *f)
{
	char idbuf[24], us[24];
	const char *p[8];

	snprintf(idbuf, sizeof(idbuf), "%" PRId64, id);
	snprintf(us, sizeof(us), "%lld", f->build_us);
	p[0] = f->kid;
	p[1] = f->os;
	p[2] = f->revision;
	p[3] = f->patches;
	p[4] = idbuf;
	p[5] = f->arch;
	p[6] = f->release;
	p[7] = us;
	/* arch, release and build_us come with db/003_kernel.sql. */
	return db_exec(c, NULL, "UPDATE kernel SET kid = $1, os = $2, "
	    "revision = $3, patches = $4, arch = $6, release = $7, "
	    "build_us = $8 WHERE id = $5", 8, p) != 0 ? -1 : 0;
}

static const char *
num(char *buf, size_t sz, long long v)
{
	if (v < 0)
		return NULL;
	snprintf(buf, sz, "%lld", v);
	return buf;
}

int
kerneldb_sample_io(PGconn *c, int64_t run, int rep, long long read_kib,
    long long write_kib, long long cached_pre_kib, long long cached_post_kib)
{
	char id[24], reps[24], b[4][24];
	const char *p[6];

	snprintf(id, sizeof(id), "%" PRId64, run);
	snprintf(reps, sizeof(reps), "%d", rep);
	p[0] = id;
	p[1] = reps;
	p[2] = num(b[0], sizeof(b[0]), read_kib);
	p[3] = num(b[1], sizeof(b[1]), write_kib);
	p[4] = num(b[2], sizeof(b[2]), cached_pre_kib);
	p[5] = num(b[3], sizeof(b[3]), cached_post_kib);
	return db_exec(c, NULL, "UPDATE sample SET disk_read_kib = $3, "
	    "disk_write_kib = $4, cached_pre_kib = $5, cached_post_kib = $6 "
	    "WHERE run_id = $1 AND rep = $2", 6, p);
}

int
kerneldb_run_boot(PGconn *c, int64_t run, const char *accel,
    const char *console_log, const char *boot_us, const char *console_tail)
{
	char id[24];
	const char *p[5] = { id, accel, console_log, boot_us, console_tail };

	snprintf(id, sizeof(id), "%" PRId64, run);
	return db_exec(c, NULL, "UPDATE run SET accel = $2, log_path = $3, "
	    "boot_us = $4, console_tail = $5 WHERE id = $1", 5, p);
}
