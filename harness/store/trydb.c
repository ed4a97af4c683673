/*
 * trydb.c: the statements of kbench try.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "lib/sample.h"
#include "store/db.h"
#include "store/trydb.h"

int
trydb_open(PGconn *c, struct trydb_rows *t)
{
	char id[24];
	const char *p[1] = { id };
	PGresult *r;
	int i;

	for (i = 0; i < 2; i++) {
		snprintf(id, sizeof(id), "%" PRId64, t->kernel_id[i]);
		if (db_exec(c, &r, "SELECT label FROM kernel WHERE id = $1",
		    1, p) != 0)
			return -1;
		t->label[i] = kb_strdup(PQgetvalue(r, 0, 0));
		PQclear(r);
	}
	t->worker_id = db_worker_id(c, t->worker, t->arch, t->os,
	    t->transport, t->ncpu);
	t->workload_id = db_workload_id(c, t->workload);
	if (t->worker_id == -1 || t->workload_id == -1)
		return -1;
	if ((t->since = db_last_run_id(c)) == -1)
		return -1;
	return 0;
}

int
trydb_guest(PGconn *c, int64_t since, int64_t kernel_id,
    struct trydb_guest *g)
{
	char sbuf[24], kbuf[24];
	const char *p[2] = { sbuf, kbuf };
	PGresult *r;

	snprintf(sbuf, sizeof(sbuf), "%" PRId64, since);
	snprintf(kbuf, sizeof(kbuf), "%" PRId64, kernel_id);
	if (db_exec(c, &r, "SELECT count(*), "
	    "coalesce(avg(s.disk_read_kib), 0), "
	    "coalesce(avg(s.cached_post_kib), 0), "
	    "string_agg(DISTINCT coalesce(r.accel, '?'), ',') "
	    "FROM sample s JOIN run r ON r.id = s.run_id "
	    "WHERE r.id > $1 AND r.kernel_id = $2 AND " DB_COUNTED, 2,
	    p) != 0)
		return -1;
	snprintf(g->n, sizeof(g->n), "%s", PQgetvalue(r, 0, 0));
	g->disk_read_kib = atof(PQgetvalue(r, 0, 1));
	g->cached_post_kib = atof(PQgetvalue(r, 0, 2));
	snprintf(g->accel, sizeof(g->accel), "%s", PQgetvalue(r, 0, 3));
	PQclear(r);
	return 0;
}

int
trydb_samples(PGconn *c, const char *worker, const char *workload,
    const char *label, int64_t since, struct kb_sampleset *ss, char **logs)
{
	char sbuf[24];
	const char *p[4] = { worker, workload, label, sbuf };
	struct kb_sample s;
	PGresult *r;
	int k;

	snprintf(sbuf, sizeof(sbuf), "%" PRId64, since);
	if (db_exec(c, &r, "SELECT s.real_us, s.user_us, s.sys_us, "
	    "s.maxrss_kb, s.minflt, s.majflt, s.inblock, s.oublock, "
	    "s.nvcsw, s.nivcsw, coalesce(r.log_path, ''), s.insn_kernel, "
	    "s.insn_user "
	    "FROM sample s JOIN run r ON r.id = s.run_id "
	    "JOIN worker w ON w.id = r.worker_id "
	    "JOIN workload l ON l.id = r.workload_id "
	    "JOIN kernel k ON k.id = r.kernel_id "
	    "WHERE w.name = $1 AND l.name = $2 AND k.label = $3 "
	    "AND r.id > $4 AND " DB_COUNTED " ORDER BY s.run_id, s.rep",
	    4, p) == -1)
		return -1;
	for (k = 0; k < PQntuples(r); k++) {
		kb_sample_init(&s);
#define F(col) (PQgetisnull(r, k, col) ? KB_NONE : \
	    strtoll(PQgetvalue(r, k, col), NULL, 10))
		s.real_us = F(0);
		s.user_us = F(1);
		s.sys_us = F(2);
		s.maxrss_kb = F(3);
		s.minflt = F(4);
		s.majflt = F(5);
		s.inblock = F(6);
		s.oublock = F(7);
		s.nvcsw = F(8);
		s.nivcsw = F(9);
		s.insn_kernel = F(11);
		s.insn_user = F(12);
#undef F
		s.rep = k + 1;
		kb_ss_add(ss, &s);
		if (*logs == NULL && *PQgetvalue(r, k, 10) != '\0')
			*logs = kb_strdup(PQgetvalue(r, k, 10));
	}
	PQclear(r);
	return 0;
}
