/*
 * profiledb.c: the statements of kernel instruction profiles (see
 * profiledb.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "store/profiledb.h"

/* A text[] literal of the names and a bigint[] one of the counts. */
static void
arrays(const struct insn_profile *p, char **names, char **counts)
{
	size_t nl, cl, i;
	FILE *n, *c;
	const char *s;

	if ((n = open_memstream(names, &nl)) == NULL ||
	    (c = open_memstream(counts, &cl)) == NULL) {
		kb_warn("open_memstream");
		abort();
	}
	fputc('{', n);
	fputc('{', c);
	for (i = 0; i < p->n; i++) {
		fputs(i > 0 ? ",\"" : "\"", n);
		for (s = p->f[i].name; *s != '\0'; s++) {
			if (*s == '"' || *s == '\\')
				fputc('\\', n);
			fputc(*s, n);
		}
		fputc('"', n);
		fprintf(c, "%s%" PRId64, i > 0 ? "," : "", p->f[i].insn);
	}
	fputc('}', n);
	fputc('}', c);
	fclose(n);
	fclose(c);
}

int
profiledb_store(PGconn *c, int64_t run, const struct insn_profile *p)
{
	char id[24], *names, *counts;
	const char *params[3];
	int rc;

	if (p->n == 0)
		return 0;
	snprintf(id, sizeof(id), "%" PRId64, run);
	arrays(p, &names, &counts);
	params[0] = id;
	params[1] = names;
	params[2] = counts;
	rc = db_exec(c, NULL, "INSERT INTO insn_profile (run_id, func, insn) "
	    "SELECT $1, f, n FROM unnest($2::text[], $3::bigint[]) AS "
	    "u (f, n) ON CONFLICT (run_id, func) DO NOTHING", 3, params);
	free(names);
	free(counts);
	return rc != 0 ? -1 : 0;
}

/* The profiled runs of one of the two labels ($3 a, $4 b) after $5. */
#define PROFILED_RUNS \
	"WITH pr AS (SELECT r.id, k.label FROM run r " \
	"JOIN worker w ON w.id = r.worker_id " \
	"JOIN workload l ON l.id = r.workload_id " \
	"JOIN kernel k ON k.id = r.kernel_id " \
	"WHERE w.name = $1 AND l.name = $2 AND k.label IN ($3, $4) " \
	"AND r.id > $5 AND EXISTS (SELECT 1 FROM insn_profile p " \
	"WHERE p.run_id = r.id)), " \
	"side AS (SELECT pr.label, count(DISTINCT pr.id) AS runs, " \
	"count(s.rep) AS reps, sum(s.insn_kernel) AS kern, " \
	"(SELECT sum(p.insn) FROM insn_profile p JOIN pr q " \
	"ON q.id = p.run_id WHERE q.label = pr.label) AS prof " \
	"FROM pr JOIN sample s ON s.run_id = pr.id GROUP BY pr.label) "

int
profiledb_growth(PGconn *c, const char *worker, const char *workload,
    const char *a, const char *b, int64_t since, long limit,
    struct profile_side side[2], struct db_table *t)
{
	char sbuf[24], lbuf[24];
	const char *p[6] = { worker, workload, a, b, sbuf, lbuf };
	struct db_table s;
	int i, k;

	memset(side, 0, 2 * sizeof(*side));
	memset(t, 0, sizeof(*t));
	snprintf(sbuf, sizeof(sbuf), "%" PRId64, since);
	snprintf(lbuf, sizeof(lbuf), "%ld", limit);
	if (db_query(c, &s, PROFILED_RUNS "SELECT label, runs, reps, "
	    "coalesce(prof, 0)::float8 / reps, "
	    "coalesce(kern, 0)::float8 / reps FROM side", 5, p) != 0)
		return -1;
	for (k = 0; k < s.nrows; k++) {
		i = strcmp(db_cell(&s, k, 0), a) == 0 ? 0 : 1;
		side[i].runs = atol(db_cell(&s, k, 1));
		side[i].reps = atol(db_cell(&s, k, 2));
		side[i].prof_per_rep = db_num(&s, k, 3);
		side[i].kern_per_rep = db_num(&s, k, 4);
	}
	db_table_free(&s);
	if (side[0].reps == 0 || side[1].reps == 0)
		return 0;
	return db_query(c, t, PROFILED_RUNS ", f AS (SELECT p.func, "
	    "coalesce(sum(p.insn) FILTER (WHERE pr.label = $3), 0) AS a, "
	    "coalesce(sum(p.insn) FILTER (WHERE pr.label = $4), 0) AS b "
	    "FROM pr JOIN insn_profile p ON p.run_id = pr.id "
	    "GROUP BY p.func) "
	    "SELECT f.func, f.a::float8 / sa.reps, f.b::float8 / sb.reps "
	    "FROM f, side sa, side sb WHERE sa.label = $3 AND sb.label = $4 "
	    "ORDER BY f.b::float8 / sb.reps - f.a::float8 / sa.reps DESC, "
	    "f.func LIMIT $6", 6, p);
}
