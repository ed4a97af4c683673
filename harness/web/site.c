/*
 * site.c: the static site kbench report --format html writes:
 * the same pages kbench serve shows, as files that work offline (no
 * CDN, no external font or script), with their plots beside them.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/alertdb.h"
#include "store/webq.h"
#include "web/site.h"

#define SITE_RUNS	1000	/* newest runs that get a page */

/* Render one page into DIR/name; -1 on error. */
static int
page(struct wp_ctx *x, const char *name)
{
	char *path, *tmp;
	FILE *fp;
	int rc;

	path = kb_asprintf("%s/%s", x->site, name);
	tmp = kb_asprintf("%s.tmp", path);
	if ((fp = fopen(tmp, "w")) == NULL) {
		kb_warn("%s", tmp);
		free(path);
		free(tmp);
		return -1;
	}
	rc = wp_page(x, fp, name);
	if (fclose(fp) == EOF || rc != 0) {
		if (rc == 0)
			kb_warn("%s", tmp);
		unlink(tmp);
		rc = rc == 1 ? 0 : -1;	/* nothing there: no page */
	} else if (rename(tmp, path) == -1) {
		kb_warn("%s", path);
		rc = -1;
	}
	free(path);
	free(tmp);
	return rc;
}

static int
copy_file(const char *from, const char *to)
{
	char buf[8192];
	FILE *in, *out;
	size_t n;
	int rc = 0;

	if ((in = fopen(from, "r")) == NULL) {
		kb_warn("%s", from);
		return -1;
	}
	if ((out = fopen(to, "w")) == NULL) {
		kb_warn("%s", to);
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rc = -1;
	fclose(in);
	if (fclose(out) == EOF || rc == -1) {
		kb_warn("%s", to);
		return -1;
	}
	return 0;
}

/*
 * The alert list and each alert's page, and the page of each try the
 * status page lists; *n counts them.
 */
static int
alerts_and_tries(struct wp_ctx *x, long *n)
{
	struct db_table t;
	char name[64];
	int i, rc = 0;

	if (page(x, "alerts.html") == -1)
		return -1;
	(*n)++;
	if (alertdb_list(x->c, 0, NULL, NULL, &t) == 0) {
		for (i = 0; i < t.nrows && rc == 0; i++, (*n)++) {
			snprintf(name, sizeof(name), "alert-%s.html",
			    db_cell(&t, i, AL_ID));
			rc = page(x, name);
		}
		db_table_free(&t);
	}
	if (rc == 0 && webq_tries_page(x->c, &t) == 0) {
		for (i = 0; i < t.nrows && rc == 0; i++, (*n)++) {
			snprintf(name, sizeof(name), "try-%s.html",
			    db_cell(&t, i, 0));
			rc = page(x, name);
		}
		db_table_free(&t);
	}
	return rc;
}

int
rp_site(struct wp_ctx *x, long *npages)
{
	static const char *fixed[] = { "index.html", "regressions.html",
	    "status.html" };
	static const char *extra[] = { "", "-user", "-sys" };
	struct wd_pair *p;
	struct wd_series s;
	struct wd_run *r;
	char name[128], *src, *dst;
	size_t np, nr, i, j, k;
	long n = 0;
	int rc = 0;

	if (kb_mkdirs(x->site, 0755) == -1)
		return -1;
	src = kb_asprintf("%s/dashboards/style.css", kb_root());
	dst = kb_asprintf("%s/style.css", x->site);
	rc = copy_file(src, dst);
	free(src);
	free(dst);
	if (rc == -1)
		return -1;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++, n++)
		if (page(x, fixed[i]) == -1)
			return -1;
	if (alerts_and_tries(x, &n) == -1)
		return -1;
	if (wd_pairs(x->c, &p, &np) == -1)
		return -1;
	for (i = 0; i < np && rc == 0; i++) {
		for (k = 0; k < 3 && rc == 0; k++, n++) {
			snprintf(name, sizeof(name), "series-%" PRId64 "-%"
			    PRId64 "%s.html", p[i].worker_id, p[i].workload_id,
			    extra[k]);
			rc = page(x, name);
		}
		/* Each kernel against the one before: the series' links. */
		if (wd_series_load(x->c, p[i].worker_id, p[i].workload_id,
		    KB_M_REAL, &s) == -1)
			continue;
		for (j = 1; j < s.n && rc == 0; j++, n++) {
			snprintf(name, sizeof(name), "compare-%" PRId64 "-%"
			    PRId64 "-%" PRId64 "-%" PRId64 ".html",
			    s.worker_id, s.workload_id, s.v[j - 1].kernel_id,
			    s.v[j].kernel_id);
			rc = page(x, name);
		}
		/* And against its baseline when that is another kernel. */
		for (j = 0; j < s.n && rc == 0; j++) {
			int64_t b = wd_baseline(x->c, &s, s.v[j].kernel_id);

			if (b == 0 || (j > 0 && b == s.v[j - 1].kernel_id))
				continue;
			snprintf(name, sizeof(name), "compare-%" PRId64 "-%"
			    PRId64 "-%" PRId64 "-%" PRId64 ".html",
			    s.worker_id, s.workload_id, b, s.v[j].kernel_id);
			rc = page(x, name);
			n++;
		}
		wd_series_free(&s);
	}
	wd_pairs_free(p, np);
	if (rc == 0 && wd_runs(x->c, NULL, SITE_RUNS, &r, &nr) == 0) {
		for (i = 0; i < nr && rc == 0; i++, n++) {
			snprintf(name, sizeof(name), "run-%" PRId64 ".html",
			    r[i].id);
			rc = page(x, name);
		}
		wd_runs_free(r, nr);
	}
	*npages = n;
	return rc;
}
