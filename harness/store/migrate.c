/*
 * migrate.c: apply the numbered SQL files in db/ in order, each in its
 * own transaction, and record them in kbench_schema.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/migrate.h"
#include "lib/util.h"

/* Any number that fits our advisory lock namespace: "kbench". */
#define MIGRATE_LOCK	"7242362"

struct migration {
	long	 version;
	char	*name;
};

static int
cmp_migration(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

/* db/NNN_name.sql, sorted by NNN. */
static struct migration *
list_migrations(size_t *np)
{
	struct migration *m = NULL;
	struct dirent *de;
	char *dir, num[16];
	size_t n = 0, len, digits;
	DIR *d;
	long v;

	dir = kb_asprintf("%s/db", kb_root());
	if ((d = opendir(dir)) == NULL) {
		kb_warn("%s (set KBENCH_ROOT to the kbench tree)", dir);
		free(dir);
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		digits = strspn(de->d_name, "0123456789");
		if (len < 5 || strcmp(de->d_name + len - 4, ".sql") != 0 ||
		    digits == 0 || digits >= sizeof(num))
			continue;
		memcpy(num, de->d_name, digits);
		num[digits] = '\0';
		if (kb_parse_long(num, 1, 999999, &v) == -1)
			continue;
		m = kb_reallocarray(m, n + 1, sizeof(*m));
		m[n].version = v;
		m[n].name = kb_asprintf("%s/%s", dir, de->d_name);
		n++;
	}
	closedir(d);
	free(dir);
	qsort(m, n, sizeof(*m), cmp_migration);
	*np = n;
	return m;
}

static char *
slurp(const char *path)
{
	FILE *fp;
	char *buf;
	long len;

	if ((fp = fopen(path, "r")) == NULL) {
		kb_warn("%s", path);
		return NULL;
	}
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	buf = kb_malloc((size_t)len + 1);
	if (len < 0 || fread(buf, 1, (size_t)len, fp) != (size_t)len) {
		kb_warn("%s", path);
		free(buf);
		fclose(fp);
		return NULL;
	}
	buf[len] = '\0';
	fclose(fp);
	return buf;
}

int
db_schema_version(PGconn *c)
{
	PGresult *r;
	int v = 0;

	r = PQexec(c, "SELECT coalesce(max(version), 0) FROM kbench_schema");
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		v = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

/*
 * Apply one migration unless a concurrent kbench already did: the
 * advisory lock makes the check and the apply one step.
 */
static int
apply(PGconn *c, const struct migration *m, int verbose)
{
	char vbuf[24];
	const char *p[2];
	const char *base;
	PGresult *r;
	char *sql;
	int done;

	snprintf(vbuf, sizeof(vbuf), "%ld", m->version);
	base = strrchr(m->name, '/') + 1;
	p[0] = vbuf;
	p[1] = base;
	if (db_begin(c) == -1)
		return -1;
	if (db_exec(c, NULL, "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK ")",
	    0, NULL) == -1 || db_exec(c, &r,
	    "SELECT 1 FROM kbench_schema WHERE version = $1", 1, p) == -1)
		goto fail;
	done = PQntuples(r) > 0;
	PQclear(r);
	if (done) {
		db_rollback(c);
		return 0;
	}
	if ((sql = slurp(m->name)) == NULL)
		goto fail;
	/* The file is ours, not user input: a plain multi-statement exec. */
	r = PQexec(c, sql);
	free(sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK) {
		kb_warnx("migration %s: %s", base, PQresultErrorMessage(r));
		PQclear(r);
		goto fail;
	}
	PQclear(r);
	if (db_exec(c, NULL, "INSERT INTO kbench_schema (version, name) "
	    "VALUES ($1, $2)", 2, p) == -1 || db_commit(c) == -1)
		goto fail;
	if (verbose)
		kb_info("kbench: applied %s", base);
	return 0;
fail:
	db_rollback(c);
	return -1;
}

/* Whether version v is among the applied ones (r: their versions). */
static int
applied(PGresult *r, long v)
{
	int i;

	for (i = 0; i < PQntuples(r); i++)
		if (atol(PQgetvalue(r, i, 0)) == v)
			return 1;
	return 0;
}

/*
 * Every file not yet recorded is applied, not only those above the
 * highest: a database that took 012 from one branch still gets 010
 * and 011 when they arrive by a later merge.
 */
int
db_migrate(PGconn *c, int verbose)
{
	struct migration *m;
	PGresult *have;
	size_t i, n = 0;
	int rc = 0;

	/* Under the lock: concurrent CREATE IF NOT EXISTS can collide. */
	if (db_begin(c) == -1)
		return -1;
	if (db_exec(c, NULL, "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK ")",
	    0, NULL) == -1 || db_exec(c, NULL,
	    "CREATE TABLE IF NOT EXISTS kbench_schema ("
	    "version integer PRIMARY KEY, name text NOT NULL, "
	    "applied timestamptz NOT NULL DEFAULT now())", 0, NULL) == -1 ||
	    db_commit(c) == -1) {
		db_rollback(c);
		return -1;
	}
	if ((m = list_migrations(&n)) == NULL && n == 0)
		return -1;
	have = PQexec(c, "SELECT version FROM kbench_schema");
	if (PQresultStatus(have) != PGRES_TUPLES_OK) {
		kb_warnx("kbench_schema: %s", PQresultErrorMessage(have));
		rc = -1;
	}
	for (i = 0; i < n && rc == 0; i++)
		if (!applied(have, m[i].version))
			rc = apply(c, &m[i], verbose);
	PQclear(have);
	if (rc == 0 && verbose)
		kb_info("kbench: schema at version %d", db_schema_version(c));
	for (i = 0; i < n; i++)
		free(m[i].name);
	free(m);
	return rc;
}
