/*
 * cmd_detect.c: kbench detect: find where each series moved (E-divisive
 * means with a permutation test, harness/stats/changepoint.c), store the
 * change points with their direction, size and interval, and list the
 * open regressions.
 *
 * Incremental: a series is re-analysed only from its last change point
 * (series_state.anchor_kernel_id), as Hunter does, so new results cost
 * the length of the last segment, not of all history; a series with no
 * new point is not analysed at all.  An accepted shift (kbench alert
 * accept) is a floor no analysis reaches back past, --full included.
 *
 * Each regression joins the alert of its worker and kernel (made on
 * first sight, in the same transaction), and new alerts are sent as
 * kbench.conf's alert group says (engine/alertsend.c).
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
#include "engine/alertsend.h"
#include "format/config.h"
#include "output/cmpreport.h"
#include "store/alertdb.h"
#include "store/db.h"
#include "store/connect.h"
#include "stats/seqtest.h"
#include "store/series.h"

struct detect {
	const char	*worker, *workload, *input, *conf;
	enum kb_metric	 metrics[KB_M_COUNT];
	size_t		 nmetrics;
	int		 list, all, json, full;
	struct cp_opts	 cp;
	long		 found, series, skipped, alerts;
	struct kb_config cfg;
	const char	*delivery;	/* of a new alert: pending, quiet */
};

/* NULL, or the word that is not a metric. */
static const char *
parse_metrics(struct detect *d, char *spec)
{
	char *tok, *save = NULL;

	for (tok = strtok_r(spec, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (d->nmetrics == KB_M_COUNT ||
		    kb_metric_parse(tok, &d->metrics[d->nmetrics]) == -1)
			return tok;
		d->nmetrics++;
	}
	return d->nmetrics > 0 ? NULL : "";
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

/* A regression joins the alert of its worker and kernel. */
static int
join_alert(PGconn *c, struct detect *d, const struct series_key *k,
    enum kb_metric m, const struct series_cp *cp)
{
	int created;

	if (alertdb_attach(c, k->worker_id, k->workload_id,
	    kb_metric_name(m), cp->kernel_id, cp->prev_kernel_id,
	    d->delivery, &created) == -1)
		return -1;
	d->alerts += created;
	return 0;
}

/* Analyse one series of one metric from its anchor; store, report. */
static int
analyse(PGconn *c, struct detect *d, const struct series_key *k,
    enum kb_metric m)
{
	struct series s;
	struct series_state ss;
	struct series_cp cp;
	struct cp_found *f = NULL;
	struct cpinfo ci;
	int64_t anchor = 0, lastk = 0;
	long npoints = -1;
	const char *dir;
	int nf, i, rc = -1;

	if (series_state_get(c, k, m, &ss) == -1)
		return -1;
	if (d->full)
		anchor = ss.baseline;
	else {
		anchor = ss.anchor;
		lastk = ss.last;
		npoints = ss.npoints;
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
	    k->worker, k->workload, kb_metric_name(m), s.n, anchor == 0 ? "" :
	    anchor == ss.baseline ? " (since the accepted shift)" :
	    " (since the last change point)", nf, nf == 1 ? "" : "s");
	if (db_begin(c) == -1)
		goto out;
	for (i = 0; i < nf; i++) {
		describe(&s, f, (size_t)nf, (size_t)i, 0, &ci);
		dir = ci.w.diff > 0 || (ci.w.diff == 0 && ci.w.diff_pct > 0) ?
		    "regression" : "improvement";
		print_cp("change:", &s, &ci, dir);
		cp.kernel_id = s.p[ci.at].kernel_id;
		cp.prev_kernel_id = s.p[ci.at - 1].kernel_id;
		cp.mean_before = ci.w.mean_a;
		cp.mean_after = ci.w.mean_b;
		cp.diff_pct = ci.w.diff_pct;
		cp.ci_low_pct = ci.w.lo_pct;
		cp.ci_high_pct = ci.w.hi_pct;
		cp.p_value = ci.p;
		cp.direction = dir;
		cp.n_before = ci.at - ci.lo;
		cp.n_after = ci.hi - ci.at;
		if (series_cp_put(c, k, m, &cp) == -1 ||
		    (strcmp(dir, "regression") == 0 && join_alert(c, d, k, m,
		    &cp) == -1)) {
			db_rollback(c);
			goto out;
		}
		d->found++;
	}
	/* The last change point becomes the anchor of the next analysis. */
	if (nf > 0)
		anchor = s.p[f[nf - 1].at].kernel_id;
	ss.anchor = anchor;
	ss.last = s.p[s.n - 1].kernel_id;
	ss.npoints = (long)(nf > 0 ? s.n - f[nf - 1].at : s.n);
	if (series_state_put(c, k, m, &ss) == -1 || db_commit(c) == -1) {
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
	struct db_table r;
	int i, n, j;

	if (series_cp_list(c, d->worker, d->workload, d->nmetrics == 1 ?
	    kb_metric_name(d->metrics[0]) : NULL, d->all, &r) == -1)
		return KB_EXIT_ERR;
	n = r.nrows;
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
					printf("%s", db_cell(&r, i, j));
				else if (j >= 7 && j <= 12)
					cmp_json_number(stdout,
					    db_isnull(&r, i, j) ? NAN :
					    strtod(db_cell(&r, i, j), NULL));
				else
					cmp_json_string(stdout,
					    db_cell(&r, i, j));
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
			    db_cell(&r, i, 0), db_cell(&r, i, 1),
			    db_cell(&r, i, 2), db_cell(&r, i, 3),
			    db_cell(&r, i, 13), db_cell(&r, i, 4),
			    *db_cell(&r, i, 5) ? " (revision " : "",
			    db_cell(&r, i, 5), *db_cell(&r, i, 5) ? ")" :
			    "", strtod(db_cell(&r, i, 7), NULL),
			    strtod(db_cell(&r, i, 8), NULL),
			    strtod(db_cell(&r, i, 9), NULL),
			    db_cell(&r, i, 11), db_cell(&r, i, 12),
			    strtod(db_cell(&r, i, 10), NULL),
			    db_cell(&r, i, 14));
	}
	db_table_free(&r);
	return KB_EXIT_OK;
}

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
	{ "config", required_argument, NULL, 'C' },
	{ NULL, 0, NULL, 0 }
};

/* One getopt option into d; 0, or the usage error's exit status. */
static int
detect_opt(struct detect *d, int ch, char *arg, const char *cur)
{
	const char *bad;
	char *end;
	long v;

	switch (ch) {
	case 'W': d->worker = arg; break;
	case 'L': d->workload = arg; break;
	case 'M':
		if ((bad = parse_metrics(d, arg)) != NULL)
			return cmd_unknown_metric("detect", bad);
		break;
	case 'l': d->list = 1; break;
	case 'a': d->all = 1; break;
	case 'f': d->full = 1; break;
	case 'i': d->input = arg; break;
	case 'C': d->conf = arg; break;
	case 'q': kb_quiet = 1; break;
	case 'F':
		if (strcmp(arg, "json") == 0)
			d->json = 1;
		else if (strcmp(arg, "text") != 0)
			return kb_usage_error("detect", "--format %s: "
			    "expected text or json", arg);
		break;
	case 'A':
		d->cp.alpha = strtod(arg, &end);
		if (*end != '\0' || !(d->cp.alpha > 0 && d->cp.alpha < 1))
			return kb_usage_error("detect", "--alpha %s: "
			    "expected 0 < alpha < 1", arg);
		break;
	case 'P':
		if (kb_parse_long(arg, 19, 99999, &v) == -1)
			return kb_usage_error("detect", "--permutations"
			    " %s: expected 19 to 99999", arg);
		d->cp.permutations = (int)v;
		break;
	case 'S':
		if (kb_parse_long(arg, 2, 100000, &v) == -1)
			return kb_usage_error("detect", "--min-size %s:"
			    " expected 2 or more", arg);
		d->cp.min_size = (size_t)v;
		break;
	default:
		return kb_usage_error("detect", "unknown option or "
		    "missing value: %s", cur);
	}
	return 0;
}

/* Analyse every series the options select; the exit status. */
static int
detect_all(PGconn *c, struct detect *d)
{
	struct series_key *keys;
	size_t nkeys, i, j;
	long sent, failed;
	int rc = KB_EXIT_OK;

	if (d->nmetrics == 0)
		d->metrics[d->nmetrics++] = KB_M_REAL;
	if (series_keys(c, d->worker, d->workload, &keys, &nkeys) == -1)
		return KB_EXIT_ERR;
	if (nkeys == 0)
		printf("no series: no kernel with a commit date has runs%s\n",
		    d->worker || d->workload ? " for that worker/workload" :
		    "");
	for (i = 0; i < nkeys && rc == KB_EXIT_OK; i++)
		for (j = 0; j < d->nmetrics; j++)
			if (analyse(c, d, &keys[i], d->metrics[j]) == -1) {
				rc = KB_EXIT_ERR;
				break;
			}
	if (rc == KB_EXIT_OK)
		printf("%ld series analysed, %ld unchanged, %ld change "
		    "point%s found, %ld new alert%s\n", d->series, d->skipped,
		    d->found, d->found == 1 ? "" : "s", d->alerts,
		    d->alerts == 1 ? "" : "s");
	series_keys_free(keys, nkeys);
	/* New alerts, and those a failed delivery left, go out now. */
	if (rc == KB_EXIT_OK && alertsend_pending(c, &d->cfg, &sent,
	    &failed) == -1)
		rc = KB_EXIT_ERR;
	return rc;
}

int
cmd_detect(int argc, char **argv)
{
	struct detect d;
	PGconn *c;
	char err[1024];
	int ch, rc;

	memset(&d, 0, sizeof(d));
	cp_opts_default(&d.cp);
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "q", longopts, NULL)) != -1)
		if ((rc = detect_opt(&d, ch, optarg, argv[optind - 1])) != 0)
			return rc;
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
	/* The alert group: where new alerts go. */
	if (kb_config_load(d.conf, &d.cfg, err, sizeof(err)) == -1) {
		kb_warnx("%s", err);
		return KB_EXIT_ERR;
	}
	d.delivery = alertsend_configured(&d.cfg) ? "pending" : "quiet";
	if ((c = store_connect()) == NULL) {
		kb_config_free(&d.cfg);
		return KB_EXIT_ERR;
	}
	if (d.list)
		rc = list(c, &d);
	else
		rc = detect_all(c, &d);
	db_close(c);
	kb_config_free(&d.cfg);
	return rc;
}
