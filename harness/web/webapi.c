/*
 * webapi.c: the JSON API of kbench serve.  Everything under /api is
 * read-only but POST /api/try, which needs the configured bearer
 * token; without one configured it is disabled.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "lib/hash.h"
#include "store/db.h"
#include "store/webq.h"
#include "output/report_formats.h"
#include "output/cmpreport.h"
#include "web/webapi.h"

#define API_RUNS	100	/* runs in a list unless ?limit= */
#define API_SAMPLES	1000	/* samples of /api/runs/ID */
#define RECENT_VERDICTS	5

static void
key(FILE *fp, const char *k, int first)
{
	fprintf(fp, "%s\"%s\": ", first ? "" : ", ", k);
}

static void
kstr(FILE *fp, const char *k, const char *v)
{
	key(fp, k, 0);
	cmp_json_string(fp, v);
}

static void
knum(FILE *fp, const char *k, double v)
{
	key(fp, k, 0);
	cmp_json_number(fp, v);
}

static void
run_json(FILE *fp, const struct wd_run *r)
{
	fprintf(fp, "{\"id\": %" PRId64, r->id);
	kstr(fp, "state", r->state);
	kstr(fp, "reason", r->reason);
	kstr(fp, "worker", r->worker);
	kstr(fp, "arch", r->arch);
	kstr(fp, "workload", r->workload);
	kstr(fp, "kernel", r->kernel);
	kstr(fp, "kernel_id", r->kid);
	kstr(fp, "variant", r->variant);
	kstr(fp, "source", r->source);
	fprintf(fp, ", \"worker_id\": %" PRId64 ", \"workload_id\": %" PRId64
	    ", \"n_planned\": %ld, \"samples\": %ld, \"done\": %ld",
	    r->worker_id, r->workload_id, r->n_planned, r->nall, r->done);
	knum(fp, "mean_s", r->mean_real);
	knum(fp, "median_s", r->median_real);
	knum(fp, "elapsed_s", r->elapsed);
	knum(fp, "eta_s", strcmp(r->state, "done") == 0 ||
	    strcmp(r->state, "failed") == 0 ? NAN : wd_run_eta(r));
	kstr(fp, "created", r->created);
	kstr(fp, "started", r->started);
	kstr(fp, "finished", r->finished);
	fputc('}', fp);
}

static int
runs_json(FILE *fp, PGconn *c, const char *state, long limit)
{
	struct wd_run *r;
	size_t n, i;

	if (wd_runs(c, state, limit, &r, &n) == -1)
		return -1;
	fputc('[', fp);
	for (i = 0; i < n; i++) {
		fputs(i ? ",\n  " : "\n  ", fp);
		run_json(fp, &r[i]);
	}
	fputs("]", fp);
	wd_runs_free(r, n);
	return 0;
}

static void
verdicts_json(FILE *fp, struct web *w)
{
	struct rp_cmp *v;
	int64_t *runs;
	size_t n, i, j;

	if (rp_recent(w->x.c, &w->x.o, RECENT_VERDICTS, &v, &runs, &n) == -1)
		n = 0;
	fputc('[', fp);
	for (i = 0; i < n; i++) {
		fprintf(fp, "%s{\"run\": %" PRId64, i ? ",\n  " : "\n  ",
		    runs[i]);
		kstr(fp, "worker", v[i].worker);
		kstr(fp, "workload", v[i].workload);
		kstr(fp, "baseline", v[i].set.label_a);
		kstr(fp, "candidate", v[i].set.label_b);
		fputs(", \"metrics\": [", fp);
		for (j = 0; j < v[i].set.n; j++) {
			fputs(j ? ", {" : "{", fp);
			key(fp, "metric", 1);
			cmp_json_string(fp, kb_metric_name(v[i].set.v[j].m));
			kstr(fp, "verdict",
			    st_verdict_name(v[i].set.v[j].c.verdict));
			knum(fp, "diff_pct", v[i].set.v[j].c.diff_pct);
			fputc('}', fp);
		}
		fputs("]}", fp);
	}
	fputs("]", fp);
	rp_cmps_free(v, n);
	free(runs);
}

static int
status_json(FILE *fp, struct web *w)
{
	struct wd_change *ch;
	struct db_table r;
	size_t nch;
	int i, n;

	fputs("{\"running\": ", fp);
	if (runs_json(fp, w->x.c, "running", API_RUNS) == -1)
		return -1;
	fputs(",\n \"queued\": ", fp);
	if (runs_json(fp, w->x.c, "queued", API_RUNS) == -1)
		return -1;
	fputs(",\n \"tries\": [", fp);
	if (webq_tries_api(w->x.c, &r) == -1)
		return -1;
	n = r.nrows;
	for (i = 0; i < n; i++) {
		fprintf(fp, "%s{\"id\": %s", i ? ", " : "",
		    db_cell(&r, i, 0));
		kstr(fp, "worker", db_cell(&r, i, 1));
		kstr(fp, "workload", db_cell(&r, i, 2));
		fprintf(fp, ", \"n\": %s", db_cell(&r, i, 3));
		kstr(fp, "state", db_cell(&r, i, 4));
		kstr(fp, "submitted", db_cell(&r, i, 5));
		if (db_isnull(&r, i, 6))
			fputs(", \"verdict\": null", fp);
		else
			kstr(fp, "verdict", db_cell(&r, i, 6));
		fputc('}', fp);
	}
	db_table_free(&r);
	fputs("],\n \"verdicts\": ", fp);
	verdicts_json(fp, w);
	fputs(",\n \"open_regressions\": ", fp);
	if (wd_has_changes(w->x.c) &&
	    wd_changes(w->x.c, 0, 0, 1, &ch, &nch) == 0) {
		fprintf(fp, "%zu", nch);
		wd_changes_free(ch, nch);
	} else
		fputs("null", fp);
	fputs("}\n", fp);
	return 0;
}

static int
run_detail(FILE *fp, struct web *w, int64_t id)
{
	struct wd_run run;
	struct db_table r;
	int i, n;

	if (wd_run(w->x.c, id, &run) == -1)
		return 1;
	run_json(fp, &run);
	wd_run_free(&run);
	/* Reopen the object to add the samples. */
	fseeko(fp, -1, SEEK_CUR);
	fputs(",\n \"samples\": [", fp);
	if (webq_samples_api(w->x.c, id, API_SAMPLES, &r) == -1)
		return -1;
	n = r.nrows;
	for (i = 0; i < n; i++) {
		fprintf(fp, "%s{\"rep\": %s, \"warmup\": %s", i ? ",\n  " :
		    "\n  ", db_cell(&r, i, 0),
		    *db_cell(&r, i, 1) == 't' ? "true" : "false");
		knum(fp, "real", db_num(&r, i, 2));
		knum(fp, "user", db_num(&r, i, 3));
		knum(fp, "sys", db_num(&r, i, 4));
		knum(fp, "maxrss_kb", db_num(&r, i, 5));
		knum(fp, "status", db_num(&r, i, 6));
		fprintf(fp, ", \"timedout\": %s}",
		    *db_cell(&r, i, 7) == 't' ? "true" : "false");
	}
	db_table_free(&r);
	fputs("]}\n", fp);
	return 0;
}

static int
series_json(FILE *fp, struct web *w,
    const char *(*arg)(void *, const char *), void *ax)
{
	const char *wn = arg(ax, "worker"), *ln = arg(ax, "workload");
	const char *mn = arg(ax, "metric");
	struct wd_series s;
	enum kb_metric m = KB_M_REAL;
	int64_t wid, lid;
	size_t i;

	if (wn == NULL || ln == NULL)
		return 2;
	if (mn != NULL && kb_metric_parse(mn, &m) == -1)
		return 2;
	if ((wid = db_find_id(w->x.c, "worker", wn)) <= 0 ||
	    (lid = db_find_id(w->x.c, "workload", ln)) <= 0)
		return 1;
	if (wd_series_load(w->x.c, wid, lid, m, &s) == -1)
		return 1;
	fputc('{', fp);
	key(fp, "worker", 1);
	cmp_json_string(fp, s.worker);
	kstr(fp, "arch", s.arch);
	kstr(fp, "workload", s.workload);
	kstr(fp, "metric", kb_metric_name(m));
	kstr(fp, "unit", cmp_metric_unit(m));
	fputs(",\n \"points\": [", fp);
	for (i = 0; i < s.n; i++) {
		fprintf(fp, "%s{\"kernel_id\": %" PRId64, i ? ",\n  " : "\n  ",
		    s.v[i].kernel_id);
		kstr(fp, "kernel", s.v[i].label);
		kstr(fp, "revision", s.v[i].revision);
		kstr(fp, "date", s.v[i].date);
		fprintf(fp, ", \"n\": %ld", s.v[i].n);
		knum(fp, "median", s.v[i].median);
		knum(fp, "min", s.v[i].min);
		knum(fp, "max", s.v[i].max);
		knum(fp, "mean", s.v[i].mean);
		knum(fp, "stddev", s.v[i].stddev);
		fputc('}', fp);
	}
	fputs("]}\n", fp);
	wd_series_free(&s);
	return 0;
}

int
webapi_get(struct web *w, const char *path,
    const char *(*arg)(void *, const char *), void *ax, struct web_reply *r)
{
	struct wd_change *ch;
	const char *st, *lim;
	size_t nch;
	long limit = API_RUNS;
	char *end;
	int64_t id;
	FILE *fp;
	int rc = 0;

	if ((fp = open_memstream(&r->body, &r->len)) == NULL) {
		web_error(r, 500, "out of memory");
		return 0;
	}
	if (strcmp(path, "/api/status") == 0)
		rc = status_json(fp, w);
	else if (strcmp(path, "/api/runs") == 0) {
		st = arg(ax, "state");
		if ((lim = arg(ax, "limit")) != NULL &&
		    kb_parse_long(lim, 1, 10000, &limit) == -1)
			rc = 2;
		else {
			rc = runs_json(fp, w->x.c, st, limit);
			fputc('\n', fp);
		}
	} else if (strncmp(path, "/api/runs/", 10) == 0) {
		id = strtoll(path + 10, &end, 10);
		rc = *end != '\0' || id <= 0 ? 1 : run_detail(fp, w, id);
	} else if (strcmp(path, "/api/series") == 0)
		rc = series_json(fp, w, arg, ax);
	else if (strcmp(path, "/api/regressions") == 0) {
		fprintf(fp, "{\"available\": %s, \"regressions\": ",
		    wd_has_changes(w->x.c) ? "true" : "false");
		if (wd_changes(w->x.c, 0, 0, 1, &ch, &nch) == -1)
			rc = -1;
		else {
			rp_json_changes(fp, ch, nch);
			wd_changes_free(ch, nch);
		}
		fputs("}\n", fp);
	} else
		rc = 1;
	fclose(fp);
	if (rc == 0) {
		r->status = 200;
		r->type = "application/json";
	} else if (rc == 1)
		web_error(r, 404, "not found");
	else if (rc == 2)
		web_error(r, 400, "bad or missing parameter (worker, "
		    "workload, metric, state, limit)");
	else if (db_lost(w->x.c))
		web_error(r, 503, "the database is not reachable");
	else
		web_error(r, 500, "internal error");
	return 0;
}

/*
 * Compare the token in constant time: both sides hashed first, so
 * neither the length nor a common prefix shows in the timing.
 */
int
web_token_ok(const char *want, const char *authz)
{
	char a[65], b[65];

	if (authz == NULL || strncmp(authz, "Bearer ", 7) != 0)
		return 0;
	authz += 7;
	kb_sha256_hex(want, strlen(want), a);
	kb_sha256_hex(authz, strlen(authz), b);
	return CRYPTO_memcmp(a, b, 64) == 0;
}

static int
label_ok(const char *s)
{
	size_t n;

	if (s == NULL || (n = strlen(s)) == 0 || n > 200)
		return 0;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return kb_utf8_valid(s - n);
}

int
webapi_try(struct web *w, const char *authz,
    const char *(*arg)(void *, const char *), void *ax, const char *client,
    const char *body, size_t len, struct web_reply *r)
{
	const char *wn, *ln, *ns;
	char tid[24];
	long n = 5;
	FILE *fp;

	if (*w->token == '\0') {
		web_error(r, 403, "POST /api/try is disabled: no serve.token "
		    "in the configuration");
		return 0;
	}
	if (!web_token_ok(w->token, authz)) {
		web_error(r, 401, "a valid Authorization: Bearer token is "
		    "needed");
		r->auth = 1;
		return 0;
	}
	wn = arg(ax, "worker");
	ln = arg(ax, "workload");
	ns = arg(ax, "n");
	if (!label_ok(wn) || !label_ok(ln) || (ns != NULL &&
	    kb_parse_long(ns, 1, 1000, &n) == -1)) {
		web_error(r, 400, "worker and workload (1-200 printable "
		    "UTF-8 characters) and n (1-1000) are needed");
		return 0;
	}
	if (len == 0 || strlen(body) != len || !kb_utf8_valid(body)) {
		web_error(r, 400, "the body must be the patch (UTF-8 text, "
		    "not empty)");
		return 0;
	}
	if (webq_try_submit(w->x.c, wn, ln, ns != NULL ? ns : "5", body,
	    client, tid) == -1) {
		web_error(r, 500, "could not store the request");
		return 0;
	}
	if ((fp = open_memstream(&r->body, &r->len)) != NULL) {
		fprintf(fp, "{\"id\": %s, \"state\": \"queued\"}\n",
		    tid);
		fclose(fp);
	}
	r->status = 201;
	r->type = "application/json";
	return 0;
}

void
web_error(struct web_reply *r, int status, const char *msg)
{
	FILE *fp;

	free(r->body);
	r->body = NULL;
	r->len = 0;
	r->status = status;
	r->type = "application/json";
	if ((fp = open_memstream(&r->body, &r->len)) == NULL)
		return;
	fputs("{\"error\": ", fp);
	cmp_json_string(fp, msg);
	fputs("}\n", fp);
	fclose(fp);
}
