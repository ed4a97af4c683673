/*
 * cmd_detect.c: kbench detect: find where each series moved (E-divisive
 * means with a permutation test, harness/stats/changepoint.c), store the
 * change points with their direction, size and interval, and list the
 * open regressions.
 *
 * Incremental: a series is re-analysed only from its last change point
 * (series_state.anchor_kernel_id), as Hunter does, so new results cost
 * the length of the last segment, not of all history; a series with no
 * new point is not analysed at all.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/util.h"
#include "lib/sample.h"
#include "stats/changepoint.h"
#include "cmd/cmd.h"
#include "output/cmpreport.h"
#include "store/db.h"
#include "store/connect.h"
#include "stats/seqtest.h"
#include "store/series.h"

struct detect {
	const char	*worker, *workload, *input;
	enum kb_metric	 metrics[KB_M_COUNT];
	size_t		 nmetrics;
	int		 list, all, json, full;
	struct cp_opts	 cp;
	long		 found, series, skipped;
};

static int
parse_metrics(struct detect *d, char *spec)
{
	char *tok, *save = NULL;

	for (tok = strtok_r(spec, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (d->nmetrics == KB_M_COUNT ||
		    kb_metric_parse(tok, &d->metrics[d->nmetrics]) == -1)
			return -1;
		d->nmetrics++;
	}
	return d->nmetrics > 0 ? 0 : -1;
}

/* A change point of series s at index at, between segments. */
struct cpinfo {
	size_t		 at, lo, hi;	/* after-segment [at, hi); before [lo, at) */
	double		 p;
	struct sq_welch	 w;
};

static void
describe(const struct series *s, const struct cp_found *f, size_t nf,
    size_t i, size_t base, struct cpinfo *ci)
{
	double ma, va, na, mb, vb, nb;

	ci->at = f[i].at;
	ci->lo = i > 0 ? f[i - 1].at : base;
	ci->hi = i + 1 < nf ? f[i + 1].at : s->n;
	ci->p = f[i].p;
	series_segment(s, ci->lo, ci->at, &ma, &va, &na);
	series_segment(s, ci->at, ci->hi, &mb, &vb, &nb);
	if (sq_welch_sum(ma, va, na, mb, vb, nb, 0.05, &ci->w) == -1) {
		/* One sample a side: the size is known, no interval. */
		memset(&ci->w, 0, sizeof(ci->w));
		ci->w.mean_a = ma;
		ci->w.mean_b = mb;
		ci->w.diff_pct = ma != 0 ? (mb - ma) / ma * 100 : 0;
		ci->w.lo_pct = ci->w.hi_pct = ci->w.diff_pct;
		ci->w.p = 1;
	}
}

static void
print_cp(const char *what, const struct series *s, const struct cpinfo *ci,
    const char *dir)
{
	const struct series_point *a = &s->p[ci->at];

	printf("  %s %s at %s%s%s%s: %+.2f%% [%+.2f%%, %+.2f%%], %.6g -> "
	    "%.6g, p = %.3g (%zu kernels before, %zu after)\n", what, dir,
	    a->label, *a->revision != '\0' ? " (revision " : "",
	    a->revision, *a->revision != '\0' ? ")" : "", ci->w.diff_pct,
	    ci->w.lo_pct, ci->w.hi_pct, ci->w.mean_a, ci->w.mean_b, ci->p,
	    ci->at - ci->lo, ci->hi - ci->at);
}

/* Analyse one series of one metric from its anchor; store, report. */
static int
analyse(PGconn *c, struct detect *d, const struct series_key *k,
    enum kb_metric m)
{
	char wid[24], lid[24], kid[24], pkid[24], v[7][32], anc[24], last[24],
	    np[24];
	const char *p[16];
	struct series s;
	struct cp_found *f = NULL;
	struct cpinfo ci;
	PGresult *r;
	int64_t anchor = 0, lastk = 0;
	long npoints = -1;
	const char *dir;
	int nf, i, rc = -1;

	snprintf(wid, sizeof(wid), "%" PRId64, k->worker_id);
	snprintf(lid, sizeof(lid), "%" PRId64, k->workload_id);
	p[0] = wid;
	p[1] = lid;
	p[2] = kb_metric_name(m);
	if (!d->full) {
		if (db_exec(c, &r, "SELECT COALESCE(anchor_kernel_id, 0), "
		    "COALESCE(last_kernel_id, 0), npoints FROM series_state "
		    "WHERE worker_id = $1 AND workload_id = $2 AND metric = $3",
		    3, p) == -1)
			return -1;
		if (PQntuples(r) == 1) {
			anchor = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
			lastk = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
			npoints = strtol(PQgetvalue(r, 0, 2), NULL, 10);
		}
		PQclear(r);
	}
	if (series_load(c, k, m, anchor, &s) == -1)
		return -1;
	if (s.n == 0 || ((long)s.n == npoints &&
	    s.p[s.n - 1].kernel_id == lastk)) {
		/* Nothing new since the last analysis. */
		d->skipped++;
		series_free(&s);
		return 0;
	}
	d->series++;
	{
		double *x = kb_calloc(s.n + 1, sizeof(double));
		size_t j;

		for (j = 0; j < s.n; j++)
			x[j] = s.p[j].value;
		nf = cp_edivisive(x, s.n, &d->cp, &f);
		free(x);
	}
	if (nf == -1) {
		kb_warnx("bad change point options");
		goto out;
	}
	printf("%s %s %s: %zu kernels analysed%s, %d change point%s\n",
	    k->worker, k->workload, kb_metric_name(m), s.n, anchor != 0 ?
	    " (since the last change point)" : "", nf, nf == 1 ? "" : "s");
	if (db_begin(c) == -1)
		goto out;
	for (i = 0; i < nf; i++) {
		describe(&s, f, (size_t)nf, (size_t)i, 0, &ci);
		dir = ci.w.diff > 0 || (ci.w.diff == 0 && ci.w.diff_pct > 0) ?
		    "regression" : "improvement";
		print_cp("change:", &s, &ci, dir);
		snprintf(kid, sizeof(kid), "%" PRId64, s.p[ci.at].kernel_id);
		snprintf(pkid, sizeof(pkid), "%" PRId64,
		    s.p[ci.at - 1].kernel_id);
		snprintf(v[0], sizeof(v[0]), "%.17g", ci.w.mean_a);
		snprintf(v[1], sizeof(v[1]), "%.17g", ci.w.mean_b);
		snprintf(v[2], sizeof(v[2]), "%.17g", ci.w.diff_pct);
		snprintf(v[3], sizeof(v[3]), "%.17g", ci.w.lo_pct);
		snprintf(v[4], sizeof(v[4]), "%.17g", ci.w.hi_pct);
		snprintf(v[5], sizeof(v[5]), "%.17g", ci.p);
		snprintf(v[6], sizeof(v[6]), "%zu", ci.at - ci.lo);
		snprintf(np, sizeof(np), "%zu", ci.hi - ci.at);
		p[3] = kid;
		p[4] = pkid;
		p[5] = v[0];
		p[6] = v[1];
		p[7] = v[2];
		p[8] = v[3];
		p[9] = v[4];
		p[10] = v[5];
		p[11] = dir;
		p[12] = v[6];
		p[13] = np;
		/* A re-found point keeps its status; its figures refresh. */
		if (db_exec(c, NULL, "INSERT INTO change_point (worker_id, "
		    "workload_id, metric, kernel_id, prev_kernel_id, "
		    "mean_before, mean_after, diff_pct, ci_low_pct, "
		    "ci_high_pct, p_value, direction, n_before, n_after) "
		    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
		    "$13, $14) ON CONFLICT (worker_id, workload_id, metric, "
		    "kernel_id) DO UPDATE SET prev_kernel_id = $5, "
		    "mean_before = $6, mean_after = $7, diff_pct = $8, "
		    "ci_low_pct = $9, ci_high_pct = $10, p_value = $11, "
		    "direction = $12, n_before = $13, n_after = $14",
		    14, p) == -1) {
			db_rollback(c);
			goto out;
		}
		d->found++;
	}
	/* The last change point becomes the anchor of the next analysis. */
	if (nf > 0)
		anchor = s.p[f[nf - 1].at].kernel_id;
	snprintf(anc, sizeof(anc), "%" PRId64, anchor);
	snprintf(last, sizeof(last), "%" PRId64, s.p[s.n - 1].kernel_id);
	snprintf(np, sizeof(np), "%zu", nf > 0 ? s.n - f[nf - 1].at : s.n);
	p[3] = anchor != 0 ? anc : NULL;
	p[4] = last;
	p[5] = np;
	if (db_exec(c, NULL, "INSERT INTO series_state (worker_id, "
	    "workload_id, metric, anchor_kernel_id, last_kernel_id, npoints) "
	    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (worker_id, "
	    "workload_id, metric) DO UPDATE SET anchor_kernel_id = $4, "
	    "last_kernel_id = $5, npoints = $6, analysed = now()",
	    6, p) == -1 || db_commit(c) == -1) {
		db_rollback(c);
		goto out;
	}
	rc = 0;
out:
	free(f);
	series_free(&s);
	return rc;
}

/* --input FILE: a series of numbers, one a line, with no database. */
static int
detect_file(struct detect *d)
{
	struct series s;
	struct cp_found *f;
	struct cpinfo ci;
	struct timespec t0, t1;
	double *x = NULL, val;
	size_t n = 0, cap = 0, i;
	char line[256], *end;
	FILE *fp;
	int nf;

	if (strcmp(d->input, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(d->input, "r")) == NULL) {
		kb_warn("%s", d->input);
		return KB_EXIT_ERR;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		errno = 0;
		val = strtod(line, &end);
		if (end == line || errno != 0 || (*end != '\n' &&
		    *end != '\0' && *end != ' ')) {
			kb_warnx("%s:%zu: not a number", d->input, n + 1);
			free(x);
			if (fp != stdin)
				fclose(fp);
			return KB_EXIT_ERR;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			x = kb_reallocarray(x, cap, sizeof(double));
		}
		x[n++] = val;
	}
	if (fp != stdin)
		fclose(fp);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	nf = cp_edivisive(x, n, &d->cp, &f);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (nf == -1) {
		free(x);
		kb_warnx("bad change point options");
		return KB_EXIT_USAGE;
	}
	/* One "sample" per point: the segments' spread is the points'. */
	memset(&s, 0, sizeof(s));
	s.p = kb_calloc(n + 1, sizeof(*s.p));
	s.n = n;
	for (i = 0; i < n; i++) {
		s.p[i].n = 1;
		s.p[i].sum = s.p[i].value = x[i];
		s.p[i].sumsq = x[i] * x[i];
		s.p[i].label = kb_asprintf("#%zu", i);
		s.p[i].revision = kb_strdup("");
	}
	printf("%s: %zu points, %d change point%s (%.3f s)\n", d->input, n,
	    nf, nf == 1 ? "" : "s", (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	for (i = 0; i < (size_t)nf; i++) {
		describe(&s, f, (size_t)nf, i, 0, &ci);
		print_cp("change:", &s, &ci, ci.w.diff > 0 ? "regression" :
		    "improvement");
	}
	free(f);
	free(x);
	series_free(&s);
	return KB_EXIT_OK;
}

static int
list(PGconn *c, const struct detect *d)
{
	const char *p[4];
	PGresult *r;
	int i, n, j;

	p[0] = d->worker;
	p[1] = d->workload;
	p[2] = d->nmetrics == 1 ? kb_metric_name(d->metrics[0]) : NULL;
	p[3] = d->all ? "1" : NULL;
	if (db_exec(c, &r, "SELECT c.id, w.name, l.name, c.metric, k.label, "
	    "COALESCE(k.revision, ''), COALESCE(pk.label, ''), c.diff_pct, "
	    "c.ci_low_pct, c.ci_high_pct, c.p_value, c.mean_before, "
	    "c.mean_after, c.direction, c.status, "
	    "to_char(c.detected AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
	    "FROM change_point c JOIN worker w ON w.id = c.worker_id "
	    "JOIN workload l ON l.id = c.workload_id "
	    "JOIN kernel k ON k.id = c.kernel_id "
	    "LEFT JOIN kernel pk ON pk.id = c.prev_kernel_id "
	    "WHERE ($1::text IS NULL OR w.name = $1) "
	    "AND ($2::text IS NULL OR l.name = $2) "
	    "AND ($3::text IS NULL OR c.metric = $3) "
	    "AND ($4::text IS NOT NULL OR (c.status = 'open' "
	    "AND c.direction = 'regression')) "
	    "ORDER BY k.commit_date, k.id, c.metric", 4, p) == -1)
		return KB_EXIT_ERR;
	n = PQntuples(r);
	if (d->json) {
		static const char *const keys[] = { "id", "worker",
		    "workload", "metric", "kernel", "revision", "prev_kernel",
		    "diff_pct", "ci_low_pct", "ci_high_pct", "p_value",
		    "mean_before", "mean_after", "direction", "status",
		    "detected" };
		printf("[");
		for (i = 0; i < n; i++) {
			printf("%s\n  {", i ? "," : "");
			for (j = 0; j < 16; j++) {
				printf("%s\"%s\": ", j ? ", " : "", keys[j]);
				if (j == 0)
					printf("%s", PQgetvalue(r, i, j));
				else if (j >= 7 && j <= 12)
					cmp_json_number(stdout,
					    PQgetisnull(r, i, j) ? NAN :
					    strtod(PQgetvalue(r, i, j), NULL));
				else
					cmp_json_string(stdout,
					    PQgetvalue(r, i, j));
			}
			printf("}");
		}
		printf("%s]\n", n ? "\n" : "");
	} else {
		if (n == 0)
			printf("no %s change points\n", d->all ? "" : "open "
			    "regression");
		for (i = 0; i < n; i++)
			printf("#%s %s %s %s: %s at %s%s%s%s: %+.2f%% "
			    "[%+.2f%%, %+.2f%%], %s -> %s, p = %.3g, %s\n",
			    PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
			    PQgetvalue(r, i, 2), PQgetvalue(r, i, 3),
			    PQgetvalue(r, i, 13), PQgetvalue(r, i, 4),
			    *PQgetvalue(r, i, 5) ? " (revision " : "",
			    PQgetvalue(r, i, 5), *PQgetvalue(r, i, 5) ? ")" :
			    "", strtod(PQgetvalue(r, i, 7), NULL),
			    strtod(PQgetvalue(r, i, 8), NULL),
			    strtod(PQgetvalue(r, i, 9), NULL),
			    PQgetvalue(r, i, 11), PQgetvalue(r, i, 12),
			    strtod(PQgetvalue(r, i, 10), NULL),
			    PQgetvalue(r, i, 14));
	}
	PQclear(r);
	return KB_EXIT_OK;
}

int
cmd_detect(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "worker", required_argument, NULL, 'W' },
		{ "workload", required_argument, NULL, 'L' },
		{ "metric", required_argument, NULL, 'M' },
		{ "list", no_argument, NULL, 'l' },
		{ "all", no_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'F' },
		{ "full", no_argument, NULL, 'f' },
		{ "input", required_argument, NULL, 'i' },
		{ "alpha", required_argument, NULL, 'A' },
		{ "permutations", required_argument, NULL, 'P' },
		{ "min-size", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 }
	};
	struct detect d;
	struct series_key *keys;
	size_t nkeys, i, j;
	PGconn *c;
	char *end;
	long v;
	int ch, rc = KB_EXIT_OK;

	memset(&d, 0, sizeof(d));
	cp_opts_default(&d.cp);
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "q", longopts, NULL)) != -1) {
		switch (ch) {
		case 'W': d.worker = optarg; break;
		case 'L': d.workload = optarg; break;
		case 'M':
			if (parse_metrics(&d, optarg) == -1)
				return kb_usage_error("detect", "--metric %s: "
				    "expected metric names, e.g. real,user,sys",
				    optarg);
			break;
		case 'l': d.list = 1; break;
		case 'a': d.all = 1; break;
		case 'f': d.full = 1; break;
		case 'i': d.input = optarg; break;
		case 'q': kb_quiet = 1; break;
		case 'F':
			if (strcmp(optarg, "json") == 0)
				d.json = 1;
			else if (strcmp(optarg, "text") != 0)
				return kb_usage_error("detect", "--format %s: "
				    "expected text or json", optarg);
			break;
		case 'A':
			d.cp.alpha = strtod(optarg, &end);
			if (*end != '\0' || !(d.cp.alpha > 0 &&
			    d.cp.alpha < 1))
				return kb_usage_error("detect", "--alpha %s: "
				    "expected 0 < alpha < 1", optarg);
			break;
		case 'P':
			if (kb_parse_long(optarg, 19, 99999, &v) == -1)
				return kb_usage_error("detect", "--permutations"
				    " %s: expected 19 to 99999", optarg);
			d.cp.permutations = (int)v;
			break;
		case 'S':
			if (kb_parse_long(optarg, 2, 100000, &v) == -1)
				return kb_usage_error("detect", "--min-size %s:"
				    " expected 2 or more", optarg);
			d.cp.min_size = (size_t)v;
			break;
		default:
			return kb_usage_error("detect", "unknown option or "
			    "missing value: %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return kb_usage_error("detect", "unexpected argument '%s'",
		    argv[optind]);
	if (d.cp.alpha * (d.cp.permutations + 1) < 1)
		return kb_usage_error("detect", "--alpha %g needs at least "
		    "%.0f permutations", d.cp.alpha, 1 / d.cp.alpha);
	if (d.input != NULL)
		return detect_file(&d);
	if (d.json && !d.list)
		return kb_usage_error("detect", "--format json goes with "
		    "--list");
	if ((c = store_connect()) == NULL)
		return KB_EXIT_ERR;
	if (d.list) {
		rc = list(c, &d);
		db_close(c);
		return rc;
	}
	if (d.nmetrics == 0)
		d.metrics[d.nmetrics++] = KB_M_REAL;
	if (series_keys(c, d.worker, d.workload, &keys, &nkeys) == -1) {
		db_close(c);
		return KB_EXIT_ERR;
	}
	if (nkeys == 0)
		printf("no series: no kernel with a commit date has runs%s\n",
		    d.worker || d.workload ? " for that worker/workload" : "");
	for (i = 0; i < nkeys && rc == KB_EXIT_OK; i++)
		for (j = 0; j < d.nmetrics; j++)
			if (analyse(c, &d, &keys[i], d.metrics[j]) == -1) {
				rc = KB_EXIT_ERR;
				break;
			}
	if (rc == KB_EXIT_OK)
		printf("%ld series analysed, %ld unchanged, %ld change "
		    "point%s found\n", d.series, d.skipped, d.found,
		    d.found == 1 ? "" : "s");
	series_keys_free(keys, nkeys);
	db_close(c);
	return rc;
}
