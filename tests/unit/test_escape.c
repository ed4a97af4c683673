/*
 * test_escape.c: every report format escapes what users, workers and
 * logs put into labels: HTML text and URLs, gnuplot strings, Markdown
 * tables, CSV fields, JSON strings and the mail text's labels.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "output/html.h"
#include "output/plot.h"
#include "output/report.h"
#include "output/report_formats.h"

/* A label with everything that breaks some format. */
#define NASTY	"a\"b'c<d>&e,f|g\nh\\i=j"

/* What fn wrote for s, as a string to free. */
static char *
capture(void (*fn)(FILE *, const char *), const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	assert_non_null(fp = open_memstream(&buf, &len));
	fn(fp, s);
	fclose(fp);
	return buf;
}

static void
check(void (*fn)(FILE *, const char *), const char *in, const char *want)
{
	char *got = capture(fn, in);

	assert_string_equal(got, want);
	free(got);
}

static void
test_html(void **state)
{
	(void)state;
	check(html_esc, NASTY,
	    "a&quot;b&#39;c&lt;d&gt;&amp;e,f|g\nh\\i=j");
	/* Markup already escaped is escaped again, not trusted. */
	check(html_esc, "&amp;<script>", "&amp;amp;&lt;script&gt;");
	/* Control characters are not valid HTML text; tab and LF are. */
	check(html_esc, "x\001y\tz\177", "x?y\tz?");
}

static void
test_gnuplot(void **state)
{
	(void)state;
	/* Single quotes doubled; a newline would end the command. */
	check(plot_gpstr, NASTY, "'a\"b''c<d>&e,f|g?h\\i=j'");
	check(plot_gpstr, "", "''");
	check(plot_gpstr, "'`date`'", "'''`date`'''");
}

static struct wd_change
nasty_change(void)
{
	static char worker[] = "w|1\nx", workload[] = "<b>&\"q\"",
	    arch[] = "amd64", metric[] = "real", kernel[] = "k,1 *x*",
	    prev[] = "=cmd|' /C calc'!A0", dir[] = "up", st[] = "open",
	    det[] = "2026-01-01";
	struct wd_change c;

	memset(&c, 0, sizeof(c));
	c.worker_id = 1;
	c.workload_id = 2;
	c.kernel_id = 3;
	c.prev_kernel_id = 4;
	c.worker = worker;
	c.workload = workload;
	c.arch = arch;
	c.metric = metric;
	c.kernel = kernel;
	c.prev_kernel = prev;
	c.direction = dir;
	c.status = st;
	c.detected = det;
	c.diff_pct = 12.5;
	c.ci_low = 10;
	c.ci_high = 15;
	c.p = 0.001;
	return c;
}

static char *
changes(void (*fn)(FILE *, const struct wd_change *, size_t),
    const struct wd_change *c, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	assert_non_null(fp = open_memstream(&buf, &len));
	fn(fp, c, n);
	fclose(fp);
	return buf;
}

static void
test_markdown(void **state)
{
	struct wd_change c = nasty_change();
	char *got;

	(void)state;
	got = changes(rp_md_changes, &c, 1);
	/* A pipe would split the cell, a newline the row. */
	assert_string_equal(got,
	    "## Open regressions (1)\n\n"
	    "| workload | worker | metric | kernel | after | change |\n"
	    "|---|---|---|---|---|---:|\n"
	    "| \\<b\\>\\&\"q\" | w\\|1?x | real | k,1 \\*x\\* | "
	    "=cmd\\|' /C calc'\\!A0 | +12.5% |\n\n");
	free(got);
}

static void
test_json(void **state)
{
	struct wd_change c = nasty_change();
	char *got;

	(void)state;
	got = changes(rp_json_changes, &c, 1);
	assert_string_equal(got,
	    "[{\"worker_id\": 1, \"workload_id\": 2, \"kernel_id\": 3, "
	    "\"prev_kernel_id\": 4, \"worker\": \"w|1\\nx\", "
	    "\"arch\": \"amd64\", \"workload\": \"<b>&\\\"q\\\"\", "
	    "\"metric\": \"real\", \"kernel\": \"k,1 *x*\", "
	    "\"prev_kernel\": \"=cmd|' /C calc'!A0\", \"direction\": \"up\", "
	    "\"status\": \"open\", \"detected\": \"2026-01-01\", "
	    "\"diff_pct\": 12.5, \"ci_low_pct\": 10.0, \"ci_high_pct\": 15.0, "
	    "\"p_value\": 0.001}]");
	free(got);
	got = changes(rp_json_changes, &c, 0);
	assert_string_equal(got, "[]");
	free(got);
}

static void
test_text(void **state)
{
	struct wd_change c = nasty_change();
	char *got;

	(void)state;
	got = changes(rp_text_changes, &c, 1);
	/* The mail text: no control character, so no line of its own. */
	assert_null(strstr(got, "w|1\nx"));
	assert_non_null(strstr(got, "w|1?x"));
	free(got);
}

static void
test_csv(void **state)
{
	static char w[] = "w,\"1\"\nx", a[] = "\t=1+2", l[] = "-2+3",
	    ka[] = "=SUM(A1)", kb[] = "@b|<c>";
	struct cmp_metric m;
	struct rp_cmp rc;
	const char *want;
	char *buf = NULL, *nl;
	size_t len = 0;
	FILE *fp;

	(void)state;
	memset(&rc, 0, sizeof(rc));
	memset(&m, 0, sizeof(m));
	m.m = KB_M_REAL;
	m.c.verdict = ST_NOCHANGE;
	rc.worker = w;
	rc.arch = a;
	rc.workload = l;
	rc.set.label_a = ka;
	rc.set.label_b = kb;
	rc.set.v = &m;
	rc.set.n = 1;
	assert_non_null(fp = open_memstream(&buf, &len));
	rp_csv(fp, &rc);
	fclose(fp);
	/* One row: the newline inside a field is gone. */
	nl = strchr(buf, '\n');
	assert_non_null(nl);
	assert_string_equal(nl + 1, "");
	/*
	 * Quotes doubled; formulas defused with an apostrophe, also
	 * behind a leading TAB, which spreadsheets skip.
	 */
	want = "\"w,\"\"1\"\" x\",\"'\t=1+2\",\"'-2+3\",\"'=SUM(A1)\","
	    "\"'@b|<c>\",real,";
	assert_memory_equal(buf, want, strlen(want));
	free(buf);
}

/*
 * A million samples a side: ministat would stack a row per sample in a
 * column (hundreds of MB of report); at most PLOT_MAXROWS rows, and
 * the plot says how many samples a row is.
 */
static int
cmpd(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

static void
test_plot_height(void **state)
{
	struct cmp_metric cm;
	char *buf = NULL, *p;
	size_t len = 0, i, n = 1000000, lines = 0;
	FILE *fp;

	(void)state;
	memset(&cm, 0, sizeof(cm));
	cm.a = kb_calloc(n, sizeof(double));
	cm.b = kb_calloc(n, sizeof(double));
	for (i = 0; i < n; i++) {
		cm.a[i] = 10.0 + (double)(i % 10) / 10.0;
		cm.b[i] = 10.5 + (double)(i % 10) / 10.0;
	}
	qsort(cm.a, n, sizeof(double), cmpd);
	qsort(cm.b, n, sizeof(double), cmpd);
	cm.na = cm.nb = n;
	assert_int_equal(st_compare(cm.a, n, cm.b, n, 95.0, 1.0, &cm.c), 0);
	assert_non_null(fp = open_memstream(&buf, &len));
	cmp_print_plot(fp, &cm, 74);
	fclose(fp);
	for (p = buf; *p != '\0'; p++)
		lines += *p == '\n';
	assert_true(lines <= 40 + 4);
	assert_non_null(strstr(buf, "[a row of the plot is 2500 samples]"));
	free(buf);
	free(cm.a);
	free(cm.b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_gnuplot),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_plot_height),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
