/*
 * db.c: the connection primitives (running a statement, transactions)
 * and the statements every command shares.  Every value goes to the
 * server as a parameter, never into the SQL text.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format/config.h"
#include "store/db.h"
#include "lib/util.h"
#include "lib/sample.h"

static char	*env_conninfo;
static int	 env_read;

/*
 * KBENCH_DB, read once and kept: kbench run takes it out of the
 * environment its workloads see, yet reconnects later.
 */
static const char *
env_db(void)
{
	const char *env;

	if (!env_read) {
		env_read = 1;
		if ((env = getenv("KBENCH_DB")) != NULL && *env != '\0')
			env_conninfo = kb_strdup(env);
	}
	return env_conninfo;
}

/*
 * KBENCH_DB, else database.conninfo of the config: a config that names
 * a server is never silently replaced by the private cluster, so a
 * malformed one stops the command here.
 */
const char *
db_conninfo(void)
{
	const char *ci, *file;
	char err[1024];

	if (env_db() != NULL)
		return env_db();
	if (kb_config_conninfo(&ci, &file, err, sizeof(err)) == -1) {
		kb_warnx("%s (fix it: the database to use is read from it)",
		    err);
		exit(KB_EXIT_ERR);
	}
	return ci;
}

const char *
db_conninfo_source(void)
{
	const char *ci, *file;
	char err[1024];

	if (env_db() != NULL)
		return "KBENCH_DB";
	if (kb_config_conninfo(&ci, &file, err, sizeof(err)) == -1 ||
	    file == NULL)
		return "the private cluster";
	return file;
}

/*
 * Set by db_exec: the last failure looked like the server going away
 * (no SQLSTATE: a client-side error such as a closed socket; class 08,
 * connection exception; 57P01-57P03, shutting down or starting up).
 */
static int last_gone;

int
db_lost(PGconn *c)
{
	PGresult *r;
	int ok;

	if (c == NULL || PQstatus(c) != CONNECTION_OK)
		return 1;
	if (last_gone)
		return 1;
	/* The socket may not have shown EOF yet: ask. */
	r = PQexec(c, "SELECT 1");
	ok = PQresultStatus(r) == PGRES_TUPLES_OK;
	PQclear(r);
	return !ok || PQstatus(c) != CONNECTION_OK;
}

void
db_close(PGconn *c)
{
	if (c != NULL)
		PQfinish(c);
}

/*
 * The server keeps text as UTF-8 and would refuse anything else with a
 * raw encoding error, then refuse every later statement of the
 * transaction: say it once, here, naming the value (bytes shown as
 * \xHH), and send nothing.
 */
static int
params_utf8(int n, const char *const *params)
{
	char shown[96], *o;
	const unsigned char *s;
	int i;

	for (i = 0; i < n; i++) {
		if (params[i] == NULL || kb_utf8_valid(params[i]))
			continue;
		o = shown;
		for (s = (const unsigned char *)params[i]; *s != '\0' &&
		    o < shown + sizeof(shown) - 5; s++)
			if (*s < 0x20 || *s >= 0x7f)
				o += snprintf(o, 5, "\\x%02x", *s);
			else
				*o++ = (char)*s;
		*o = '\0';
		kb_warnx("\"%s%s\" is not UTF-8; give names and labels in "
		    "UTF-8", shown, *s != '\0' ? "..." : "");
		return 0;
	}
	return 1;
}

/* A failed statement's result: say why, note whether the server went. */
static void
failed(PGconn *c, PGresult *r)
{
	const char *state;

	state = r != NULL ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	last_gone = state == NULL || strncmp(state, "08", 2) == 0 ||
	    strcmp(state, "57P01") == 0 || strcmp(state, "57P02") == 0 ||
	    strcmp(state, "57P03") == 0 || PQstatus(c) != CONNECTION_OK;
	kb_warnx("database: %s", r != NULL &&
	    *PQresultErrorMessage(r) != '\0' ?
	    PQresultErrorMessage(r) : PQerrorMessage(c));
}

int
db_exec(PGconn *c, PGresult **res, const char *sql, int n,
    const char *const *params)
{
	PGresult *r;
	ExecStatusType st;

	if (!params_utf8(n, params))
		return -1;
	r = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	st = PQresultStatus(r);
	last_gone = 0;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		failed(c, r);
		PQclear(r);
		if (res != NULL)
			*res = NULL;
		return -1;
	}
	if (res != NULL)
		*res = r;
	else
		PQclear(r);
	return 0;
}

int
db_exec_one(PGconn *c, const char *sql, int nparams,
    const char *const *params)
{
	PGresult *r;
	int n;

	if (db_exec(c, &r, sql, nparams, params) == -1)
		return -1;
	n = atoi(PQcmdTuples(r));
	PQclear(r);
	return n == 1 ? 0 : 1;
}

int
db_each(PGconn *c, const char *sql, int n, const char *const *params,
    void (*row)(void *, PGresult *), void *arg)
{
	PGresult *r;
	ExecStatusType st;
	int rc = 0;

	if (!params_utf8(n, params))
		return -1;
	last_gone = 0;
	if (!PQsendQueryParams(c, sql, n, NULL, params, NULL, NULL, 0) ||
	    !PQsetSingleRowMode(c)) {
		failed(c, NULL);
		while ((r = PQgetResult(c)) != NULL)
			PQclear(r);
		return -1;
	}
	/* Every result to the end, even after an error: the next query. */
	while ((r = PQgetResult(c)) != NULL) {
		st = PQresultStatus(r);
		if (st == PGRES_SINGLE_TUPLE && rc == 0)
			row(arg, r);
		else if (st != PGRES_TUPLES_OK && st != PGRES_SINGLE_TUPLE &&
		    rc == 0) {
			failed(c, r);
			rc = -1;
		}
		PQclear(r);
	}
	return rc;
}

int
db_query(PGconn *c, struct db_table *t, const char *sql, int n,
    const char *const *params)
{
	PGresult *r;
	int i, j;

	memset(t, 0, sizeof(*t));
	if (db_exec(c, &r, sql, n, params) == -1)
		return -1;
	t->nrows = PQntuples(r);
	t->ncols = PQnfields(r);
	t->cell = kb_calloc((size_t)t->nrows * t->ncols + 1, sizeof(char *));
	t->null = kb_calloc((size_t)t->nrows * t->ncols + 1, 1);
	for (i = 0; i < t->nrows; i++)
		for (j = 0; j < t->ncols; j++) {
			t->cell[i * t->ncols + j] =
			    kb_strdup(PQgetvalue(r, i, j));
			t->null[i * t->ncols + j] = PQgetisnull(r, i, j);
		}
	PQclear(r);
	return 0;
}

int
db_query_id(PGconn *c, struct db_table *t, const char *sql, int64_t id)
{
	char a[24];
	const char *p[1] = { a };

	snprintf(a, sizeof(a), "%" PRId64, id);
	return db_query(c, t, sql, 1, p);
}

const char *
db_cell(const struct db_table *t, int row, int col)
{
	if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
		return "";
	return t->cell[row * t->ncols + col];
}

int
db_isnull(const struct db_table *t, int row, int col)
{
	if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
		return 1;
	return t->null[row * t->ncols + col];
}

double
db_num(const struct db_table *t, int row, int col)
{
	if (db_isnull(t, row, col))
		return NAN;
	return strtod(db_cell(t, row, col), NULL);
}

void
db_table_free(struct db_table *t)
{
	int i;

	if (t->cell != NULL)
		for (i = 0; i < t->nrows * t->ncols; i++)
			free(t->cell[i]);
	free(t->cell);
	free(t->null);
	memset(t, 0, sizeof(*t));
}

int
db_begin(PGconn *c)
{
	return db_exec(c, NULL, "BEGIN", 0, NULL);
}

int
db_commit(PGconn *c)
{
	return db_exec(c, NULL, "COMMIT", 0, NULL);
}

void
db_rollback(PGconn *c)
{
	PQclear(PQexec(c, "ROLLBACK"));
}

/* The single bigint a statement returns, or -1. */
static int64_t
one_id(PGconn *c, const char *sql, int n, const char *const *params)
{
	PGresult *r;
	int64_t id = -1;

	if (db_exec(c, &r, sql, n, params) == -1)
		return -1;
	if (PQntuples(r) == 1)
		id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	else
		id = 0;
	PQclear(r);
	return id;
}

/*
 * Look up by name, insert when absent.  The insert ignores a conflict
 * (a concurrent kbench may have won) and the second look-up, a new
 * statement with a new snapshot, then sees the winner's row.
 */
static int64_t
get_or_create(PGconn *c, const char *select, const char *insert, int n,
    const char *const *params)
{
	int64_t id;

	if ((id = one_id(c, select, 1, params)) != 0)
		return id;
	if (db_exec(c, NULL, insert, n, params) == -1)
		return -1;
	if ((id = one_id(c, select, 1, params)) == 0) {
		kb_warnx("database: row for '%s' vanished", params[0]);
		return -1;
	}
	return id;
}

int64_t
db_worker_id(PGconn *c, const char *name, const char *arch, const char *os,
    const char *transport, int ncpu)
{
	char nbuf[16];
	const char *p[5];
	int64_t id;

	snprintf(nbuf, sizeof(nbuf), "%d", ncpu);
	p[0] = name;
	p[1] = arch;
	p[2] = os;
	p[3] = transport;
	p[4] = ncpu > 0 ? nbuf : NULL;
	id = get_or_create(c, "SELECT id FROM worker WHERE name = $1",
	    "INSERT INTO worker (name, arch, os, transport, ncpu) "
	    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING",
	    5, p);
	/*
	 * A worker first seen without its arch or OS (an import without
	 * --arch) learns them from the first caller that knows; a known
	 * value is kept.
	 */
	if (id > 0 && (arch != NULL || os != NULL) &&
	    db_exec(c, NULL, "UPDATE worker SET arch = coalesce(arch, $2), "
	    "os = coalesce(os, $3) WHERE name = $1 AND "
	    "((arch IS NULL AND $2::text IS NOT NULL) OR "
	    "(os IS NULL AND $3::text IS NOT NULL))", 3, p) == -1)
		return -1;
	return id;
}

int64_t
db_workload_id(PGconn *c, const char *name)
{
	const char *p[1] = { name };

	return get_or_create(c, "SELECT id FROM workload WHERE name = $1",
	    "INSERT INTO workload (name) VALUES ($1) "
	    "ON CONFLICT (name) DO NOTHING", 1, p);
}

int64_t
db_kernel_id(PGconn *c, const char *label)
{
	const char *p[1] = { label };

	return get_or_create(c, "SELECT id FROM kernel WHERE label = $1",
	    "INSERT INTO kernel (label) VALUES ($1) "
	    "ON CONFLICT (label) DO NOTHING", 1, p);
}

int64_t
db_find_id(PGconn *c, const char *table, const char *name)
{
	const char *p[1] = { name };
	const char *sql;

	/* Table names come from this file's callers, never from users. */
	if (strcmp(table, "worker") == 0)
		sql = "SELECT id FROM worker WHERE name = $1";
	else if (strcmp(table, "workload") == 0)
		sql = "SELECT id FROM workload WHERE name = $1";
	else if (strcmp(table, "kernel") == 0)
		sql = "SELECT id FROM kernel WHERE label = $1";
	else
		return -1;
	return one_id(c, sql, 1, p);
}

int64_t
db_run_create(PGconn *c, const struct db_run *r)
{
	char k[24], w[24], l[24], n[24];
	const char *p[9];

	snprintf(k, sizeof(k), "%" PRId64, r->kernel_id);
	snprintf(w, sizeof(w), "%" PRId64, r->worker_id);
	snprintf(l, sizeof(l), "%" PRId64, r->workload_id);
	snprintf(n, sizeof(n), "%d", r->n_planned);
	p[0] = r->ukey;
	p[1] = k;
	p[2] = w;
	p[3] = l;
	p[4] = r->variant;
	p[5] = r->source;
	p[6] = r->state;
	p[7] = r->n_planned > 0 ? n : NULL;
	p[8] = r->command;
	/*
	 * A replayed create (same ukey) returns the existing run, so the
	 * spool can resend it without making a second one.
	 */
	return one_id(c,
	    "WITH ins AS (INSERT INTO run (ukey, kernel_id, worker_id, "
	    "workload_id, variant, source, state, n_planned, command, started) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now()) "
	    "ON CONFLICT (ukey) DO NOTHING RETURNING id) "
	    "SELECT id FROM ins UNION ALL "
	    "SELECT id FROM run WHERE ukey = $1 LIMIT 1", 9, p);
}

int
db_run_state(PGconn *c, int64_t run, const char *state, const char *reason)
{
	char id[24];
	const char *p[3];

	snprintf(id, sizeof(id), "%" PRId64, run);
	p[0] = id;
	p[1] = state;
	p[2] = reason;
	return db_exec(c, NULL,
	    "UPDATE run SET state = $2, reason = COALESCE($3, reason), "
	    "heartbeat = now(), finished = CASE WHEN $2 IN ('done', 'failed') "
	    "THEN now() ELSE finished END WHERE id = $1", 3, p);
}

int
db_run_harness(PGconn *c, int64_t run, const char *log_path,
    const char *host, long pid, const char *pid_start)
{
	char id[24], pb[24];
	const char *p[5];

	snprintf(id, sizeof(id), "%" PRId64, run);
	snprintf(pb, sizeof(pb), "%ld", pid);
	p[0] = id;
	p[1] = log_path;
	p[2] = host;
	p[3] = pid > 0 ? pb : NULL;
	p[4] = pid_start;
	/* A replay never takes a run back from a resumed harness. */
	return db_exec(c, NULL, "UPDATE run SET "
	    "log_path = COALESCE(log_path, $2), "
	    "host = CASE WHEN host IS NULL THEN $3 ELSE host END, "
	    "pid = CASE WHEN host IS NULL THEN $4::integer ELSE pid END, "
	    "pid_start = CASE WHEN host IS NULL THEN $5 ELSE pid_start END "
	    "WHERE id = $1", 5, p);
}

/* Text form of a figure, or NULL (SQL NULL) when unknown. */
static const char *
num(char *buf, size_t len, int64_t v)
{
	if (v == KB_NONE)
		return NULL;
	snprintf(buf, len, "%" PRId64, v);
	return buf;
}

int
db_sample_insert(PGconn *c, int64_t run, const struct kb_sample *s)
{
	char b[18][24];
	const char *p[18];

	p[0] = num(b[0], sizeof(b[0]), run);
	p[1] = num(b[1], sizeof(b[1]), s->rep);
	p[2] = s->warmup ? "true" : "false";
	p[3] = num(b[3], sizeof(b[3]), s->real_us);
	p[4] = num(b[4], sizeof(b[4]), s->user_us);
	p[5] = num(b[5], sizeof(b[5]), s->sys_us);
	p[6] = num(b[6], sizeof(b[6]), s->maxrss_kb);
	p[7] = num(b[7], sizeof(b[7]), s->minflt);
	p[8] = num(b[8], sizeof(b[8]), s->majflt);
	p[9] = num(b[9], sizeof(b[9]), s->inblock);
	p[10] = num(b[10], sizeof(b[10]), s->oublock);
	p[11] = num(b[11], sizeof(b[11]), s->nvcsw);
	p[12] = num(b[12], sizeof(b[12]), s->nivcsw);
	p[13] = s->status < 0 ? NULL : num(b[13], sizeof(b[13]), s->status);
	p[14] = s->timedout ? "true" : "false";
	p[15] = s->start[0] != '\0' ? s->start : NULL;
	p[16] = num(b[16], sizeof(b[16]), s->insn_kernel);
	p[17] = num(b[17], sizeof(b[17]), s->insn_user);
	return db_exec(c, NULL,
	    "INSERT INTO sample (run_id, rep, warmup, real_us, user_us, "
	    "sys_us, maxrss_kb, minflt, majflt, inblock, oublock, nvcsw, "
	    "nivcsw, status, timedout, started, insn_kernel, insn_user) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
	    "$14, $15, $16, $17, $18) "
	    "ON CONFLICT (run_id, rep) DO NOTHING", 18, p);
}

/* One COPY text-format field: digits or \N. */
static int
copy_field(char *buf, size_t len, int64_t v, char sep)
{
	if (v == KB_NONE)
		return snprintf(buf, len, "\\N%c", sep);
	return snprintf(buf, len, "%" PRId64 "%c", v, sep);
}

int
db_samples_copy(PGconn *c, int64_t run, const struct kb_sampleset *ss)
{
	static const char sql[] = "COPY sample (run_id, rep, warmup, "
	    "real_us, user_us, sys_us, maxrss_kb, minflt, majflt, inblock, "
	    "oublock, nvcsw, nivcsw, status, timedout, source_line) "
	    "FROM STDIN";
	char *buf;
	size_t i, bufsz = 1 << 16, off = 0;
	PGresult *r;
	const struct kb_sample *s;
	int64_t f[15];
	int j, rc = 0;

	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		kb_warnx("database: %s", PQresultErrorMessage(r));
		PQclear(r);
		return -1;
	}
	PQclear(r);
	buf = kb_malloc(bufsz);
	for (i = 0; i < ss->n && rc == 0; i++) {
		s = &ss->v[i];
		f[0] = run;
		f[1] = s->rep;
		f[2] = s->real_us;
		f[3] = s->user_us;
		f[4] = s->sys_us;
		f[5] = s->maxrss_kb;
		f[6] = s->minflt;
		f[7] = s->majflt;
		f[8] = s->inblock;
		f[9] = s->oublock;
		f[10] = s->nvcsw;
		f[11] = s->nivcsw;
		f[12] = s->status < 0 ? KB_NONE : s->status;
		f[13] = s->line > 0 ? s->line : KB_NONE;
		off += copy_field(buf + off, bufsz - off, f[0], '\t');
		off += copy_field(buf + off, bufsz - off, f[1], '\t');
		off += snprintf(buf + off, bufsz - off, "%s\t",
		    s->warmup ? "t" : "f");
		for (j = 2; j <= 12; j++)
			off += copy_field(buf + off, bufsz - off, f[j], '\t');
		off += snprintf(buf + off, bufsz - off, "%s\t",
		    s->timedout ? "t" : "f");
		off += copy_field(buf + off, bufsz - off, f[13], '\n');
		if (off > bufsz - 512 || i + 1 == ss->n) {
			if (PQputCopyData(c, buf, (int)off) != 1)
				rc = -1;
			off = 0;
		}
	}
	free(buf);
	if (PQputCopyEnd(c, rc == 0 ? NULL : "aborted") != 1)
		rc = -1;
	while ((r = PQgetResult(c)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			kb_warnx("database: %s", PQresultErrorMessage(r));
			rc = -1;
		}
		PQclear(r);
	}
	return rc;
}

static int64_t
field(PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return KB_NONE;
	return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

int
db_samples_load(PGconn *c, const char *worker, const char *workload,
    const char *kernel, struct kb_sampleset *ss)
{
	const char *p[3] = { worker, workload, kernel };
	struct kb_sample s;
	PGresult *r;
	int i, n;

	/*
	 * Only measurements that count: no warm-ups, no timeouts, no
	 * failed commands.  A run that failed later still contributes the
	 * good repetitions it finished.
	 */
	if (db_exec(c, &r,
	    "SELECT s.rep, s.real_us, s.user_us, s.sys_us, s.maxrss_kb, "
	    "s.minflt, s.majflt, s.inblock, s.oublock, s.nvcsw, s.nivcsw, "
	    "s.status, s.insn_kernel, s.insn_user FROM sample s JOIN run r ON r.id = s.run_id "
	    "JOIN worker w ON w.id = r.worker_id "
	    "JOIN workload l ON l.id = r.workload_id "
	    "JOIN kernel k ON k.id = r.kernel_id "
	    "WHERE w.name = $1 AND l.name = $2 AND k.label = $3 "
	    "AND " DB_COUNTED " ORDER BY r.id, s.rep", 3, p) == -1)
		return -1;
	n = PQntuples(r);
	for (i = 0; i < n; i++) {
		kb_sample_init(&s);
		s.rep = (int)field(r, i, 0);
		s.real_us = field(r, i, 1);
		s.user_us = field(r, i, 2);
		s.sys_us = field(r, i, 3);
		s.maxrss_kb = field(r, i, 4);
		s.minflt = field(r, i, 5);
		s.majflt = field(r, i, 6);
		s.inblock = field(r, i, 7);
		s.oublock = field(r, i, 8);
		s.nvcsw = field(r, i, 9);
		s.nivcsw = field(r, i, 10);
		s.status = (int)field(r, i, 11);
		s.insn_kernel = field(r, i, 12);
		s.insn_user = field(r, i, 13);
		kb_ss_add(ss, &s);
	}
	PQclear(r);
	return n;
}

int64_t
db_last_run_id(PGconn *c)
{
	PGresult *r;
	int64_t id;

	if (db_exec(c, &r, "SELECT coalesce(max(id), 0) FROM run", 0,
	    NULL) == -1)
		return -1;
	id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return id;
}

int
db_run_log_path(PGconn *c, int64_t run, const char *path)
{
	char id[24];
	const char *p[2] = { id, path };

	snprintf(id, sizeof(id), "%" PRId64, run);
	return db_exec(c, NULL, "UPDATE run SET log_path = $2 WHERE id = $1",
	    2, p);
}

int
db_workload_describe(PGconn *c, const char *name, const char *description)
{
	const char *p[2] = { name, description };

	return db_exec(c, NULL, "UPDATE workload SET description = $2 "
	    "WHERE name = $1 AND description IS DISTINCT FROM $2", 2, p);
}
