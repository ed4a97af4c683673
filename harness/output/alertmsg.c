/*
 * alertmsg.c: an alert's mail (subject, plain-text body) and its JSON.
 */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "lib/sample.h"
#include "store/alertdb.h"
#include "output/report.h"
#include "output/report_formats.h"
#include "output/alertmsg.h"


/* A string stream; as with kb_malloc, no memory is fatal. */
static FILE *
memfile(char **buf, size_t *len)
{
	FILE *fp;

	if ((fp = open_memstream(buf, len)) == NULL) {
		kb_warn("open_memstream");
		exit(KB_EXIT_ERR);
	}
	return fp;
}

/*
 * One line folded to RP_WIDTH columns: cut at the last space that
 * fits, else (a long URL, a long name) hard at the width; continued
 * lines keep the line's indent and two more.  A control character in
 * a stored name cannot reach the mail: it becomes '?'.
 */
static void
fold_line(FILE *fp, const char *s, size_t len)
{
	size_t ind = strspn(s, " "), w, cut, i, sp, c;
	int first = 1;

	if (ind > RP_WIDTH / 2)
		ind = RP_WIDTH / 2;
	while (first || len > 0) {
		w = first ? RP_WIDTH : RP_WIDTH - ind - 2;
		if (!first)
			fprintf(fp, "%*s", (int)(ind + 2), "");
		for (cut = 0, c = 0, sp = 0; cut < len; cut++) {
			if (((unsigned char)s[cut] & 0xc0) != 0x80 && ++c > w)
				break;
			if (s[cut] == ' ' && cut > ind)
				sp = cut;
		}
		if (cut < len && sp > 0)
			cut = sp;
		for (i = 0; i < cut; i++)
			fputc(iscntrl((unsigned char)s[i]) ? '?' : s[i], fp);
		fputc('\n', fp);
		while (cut < len && s[cut] == ' ')
			cut++;
		s += cut;
		len -= cut;
		first = 0;
	}
}

/* Every line of text folded. */
static char *
fold(const char *text)
{
	const char *p = text, *nl;
	char *out = NULL;
	size_t outlen = 0;
	FILE *fp;

	fp = memfile(&out, &outlen);
	while (*p != '\0') {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		fold_line(fp, p, (size_t)(nl - p));
		p = *nl != '\0' ? nl + 1 : nl;
	}
	fclose(fp);
	return out;
}

/* The unit of a metric's figures: times are in seconds. */
static const char *
unit(const char *metric)
{
	enum kb_metric m;

	return kb_metric_parse(metric, &m) == 0 && kb_metric_is_time(m) ?
	    " s" : "";
}

/* A word for a shell line, quoted only when it has to be. */
static void
shword(FILE *fp, const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("._-+=:,/@%", *p) ==
		    NULL)
			break;
	if (*p == '\0' && *s != '\0') {
		fputs(s, fp);
		return;
	}
	fputc('\'', fp);
	for (p = s; *p != '\0'; p++)
		fputs(*p == '\'' ? "'\\''" : (char[]){ *p, '\0' }, fp);
	fputc('\'', fp);
}

char *
alertmsg_subject(const struct db_table *a, int row,
    const struct db_table *cps)
{
	const char *more = cps->nrows > 1 ? " and more" : "";
	char *s, *p;

	if (cps->nrows == 0)
		s = kb_asprintf("[kbench] regression: %s at %s",
		    db_cell(a, row, AL_WORKER), db_cell(a, row, AL_KERNEL));
	else
		s = kb_asprintf("[kbench] regression: %s at %s: %s %s "
		    "%+.1f%%%s", db_cell(a, row, AL_WORKER), db_cell(a, row,
		    AL_KERNEL), db_cell(cps, 0, AC_WORKLOAD), db_cell(cps, 0,
		    AC_METRIC), db_num(cps, 0, AC_DIFF_PCT), more);
	/* A header line: a stored name must not start another header. */
	for (p = s; *p != '\0'; p++)
		if (iscntrl((unsigned char)*p))
			*p = '?';
	return s;
}

static void
text_kernel(FILE *fp, const char *what, const char *label, const char *rev)
{
	fprintf(fp, "%-10s%s", what, *label != '\0' ? label : "(none)");
	if (*rev != '\0')
		fprintf(fp, " (revision %s)", rev);
	fputc('\n', fp);
}

/*
 * The comparison page and the series graph of change point i, by
 * kbench serve's names (web/webpages.c): compare-W-L-KA-KB.html and
 * series-W-L[-METRIC].html (real has no suffix).
 */
static void
page_urls(const char *url, const struct db_table *a, int row,
    const struct db_table *cps, int i, char **cmp, char **ser)
{
	const char *sep = url[strlen(url) - 1] == '/' ? "" : "/";
	const char *m = db_cell(cps, i, AC_METRIC);
	int real = strcmp(m, "real") == 0;

	*cmp = kb_asprintf("%s%scompare-%s-%s-%s-%s.html", url, sep,
	    db_cell(a, row, AL_WORKER_ID), db_cell(cps, i, AC_WORKLOAD_ID),
	    db_cell(a, row, AL_PREV_KERNEL_ID), db_cell(a, row, AL_KERNEL_ID));
	*ser = kb_asprintf("%s%sseries-%s-%s%s%s.html", url, sep,
	    db_cell(a, row, AL_WORKER_ID), db_cell(cps, i, AC_WORKLOAD_ID),
	    real ? "" : "-", real ? "" : m);
}

/*
 * Where to look at change point i: the command, on two lines so that
 * folding never splits it, and the pages.
 */
static void
text_links(FILE *fp, const struct db_table *a, int row,
    const struct db_table *cps, int i, const char *url)
{
	char *cmp, *ser;

	fputs("    kbench compare --worker ", fp);
	shword(fp, db_cell(a, row, AL_WORKER));
	fputs(" --metric ", fp);
	shword(fp, db_cell(cps, i, AC_METRIC));
	fputs(" \\\n      --workload ", fp);
	shword(fp, db_cell(cps, i, AC_WORKLOAD));
	fputc(' ', fp);
	shword(fp, db_cell(a, row, AL_PREV_KERNEL));
	fputc(' ', fp);
	shword(fp, db_cell(a, row, AL_KERNEL));
	fputc('\n', fp);
	if (*url == '\0')
		return;
	page_urls(url, a, row, cps, i, &cmp, &ser);
	fprintf(fp, "    %s\n    %s\n", cmp, ser);
	free(cmp);
	free(ser);
}

/* Measured again or not, and the commit a bisection named. */
static void
text_confirmation(FILE *fp, const struct db_table *a, int row)
{
	if (!db_isnull(a, row, AL_CULPRIT))
		fprintf(fp, "\nFirst bad commit: %s\n", db_cell(a, row,
		    AL_CULPRIT));
	if (!db_isnull(a, row, AL_CONFIRM_NOTE))
		fprintf(fp, "%sConfirmation: %s.\n", db_isnull(a, row,
		    AL_CULPRIT) ? "\n" : "", db_cell(a, row, AL_CONFIRM_NOTE));
	else
		fprintf(fp, "\nNot measured again: found in stored history "
		    "(kbench detect); kbench watch confirms before sending.\n");
}

char *
alertmsg_text(const struct db_table *a, int row, const struct db_table *cps,
    const char *serve_url)
{
	char *raw = NULL, *out;
	size_t rawlen = 0;
	const char *m;
	FILE *fp;
	int i;

	fp = memfile(&raw, &rawlen);
	fprintf(fp, "kbench found a regression: alert %s on worker "
	    "%s.\n\n", db_cell(a, row, AL_ID), db_cell(a, row, AL_WORKER));
	text_kernel(fp, "Before:", db_cell(a, row, AL_PREV_KERNEL),
	    db_cell(a, row, AL_PREV_REVISION));
	text_kernel(fp, "After:", db_cell(a, row, AL_KERNEL),
	    db_cell(a, row, AL_REVISION));
	text_confirmation(fp, a, row);
	fprintf(fp, "\nWhat moved (higher is worse; the change is the "
	    "difference of the means, with its 95%% interval):\n");
	for (i = 0; i < cps->nrows; i++) {
		m = db_cell(cps, i, AC_METRIC);
		fprintf(fp, "\n  workload %s, metric %s: %+.2f%% "
		    "[%+.2f%%, %+.2f%%], p = %.3g\n",
		    db_cell(cps, i, AC_WORKLOAD), m,
		    db_num(cps, i, AC_DIFF_PCT), db_num(cps, i, AC_CI_LOW),
		    db_num(cps, i, AC_CI_HIGH), db_num(cps, i, AC_P));
		fprintf(fp, "    mean %.6g%s before, %.6g%s after\n",
		    db_num(cps, i, AC_MEAN_BEFORE), unit(m),
		    db_num(cps, i, AC_MEAN_AFTER), unit(m));
		fputs("  Where to look:\n", fp);
		text_links(fp, a, row, cps, i, serve_url);
	}
	fprintf(fp, "\nTriage it: kbench alert show %s, then kbench alert "
	    "ack, invalid, fixed or accept %s (kbench-alert(1)).\n",
	    db_cell(a, row, AL_ID), db_cell(a, row, AL_ID));
	fclose(fp);
	out = fold(raw);
	free(raw);
	return out;
}

/* A cell as a JSON string, or null. */
static json_t *
jcell(const struct db_table *t, int row, int col)
{
	if (db_isnull(t, row, col) || (col != AL_CULPRIT &&
	    *db_cell(t, row, col) == '\0'))
		return json_null();
	return rp_jstr(db_cell(t, row, col));
}

static json_t *
json_cp(const struct db_table *a, int row, const struct db_table *cps,
    int i, const char *url)
{
	static const struct { const char *key; int col; } nums[] = {
		{ "diff_pct", AC_DIFF_PCT }, { "ci_low_pct", AC_CI_LOW },
		{ "ci_high_pct", AC_CI_HIGH }, { "p_value", AC_P },
		{ "mean_before", AC_MEAN_BEFORE },
		{ "mean_after", AC_MEAN_AFTER }
	};
	json_t *o = json_object();
	char *cmp, *ser;
	size_t k;

	json_object_set_new(o, "id", json_integer(strtoll(db_cell(cps, i,
	    AC_ID), NULL, 10)));
	json_object_set_new(o, "workload", rp_jstr(db_cell(cps, i,
	    AC_WORKLOAD)));
	json_object_set_new(o, "metric", rp_jstr(db_cell(cps, i, AC_METRIC)));
	for (k = 0; k < sizeof(nums) / sizeof(nums[0]); k++)
		json_object_set_new(o, nums[k].key, rp_jnum(db_num(cps, i,
		    nums[k].col)));
	json_object_set_new(o, "status", rp_jstr(db_cell(cps, i, AC_STATUS)));
	if (*url == '\0')
		return o;
	page_urls(url, a, row, cps, i, &cmp, &ser);
	json_object_set_new(o, "compare_url", rp_jstr(cmp));
	json_object_set_new(o, "series_url", rp_jstr(ser));
	free(cmp);
	free(ser);
	return o;
}

json_t *
alertmsg_json(const struct db_table *a, int row, const struct db_table *cps,
    const char *serve_url)
{
	static const struct { const char *key; int col; } strs[] = {
		{ "worker", AL_WORKER }, { "kernel", AL_KERNEL },
		{ "revision", AL_REVISION },
		{ "prev_kernel", AL_PREV_KERNEL },
		{ "prev_revision", AL_PREV_REVISION },
		{ "state", AL_STATE }, { "state_by", AL_STATE_BY },
		{ "state_at", AL_STATE_AT }, { "created", AL_CREATED }
	};
	json_t *o = json_object(), *l = json_array();
	size_t k;
	int i;

	json_object_set_new(o, "id", json_integer(strtoll(db_cell(a, row,
	    AL_ID), NULL, 10)));
	for (k = 0; k < sizeof(strs) / sizeof(strs[0]); k++)
		json_object_set_new(o, strs[k].key, jcell(a, row,
		    strs[k].col));
	json_object_set_new(o, "confirmed", json_boolean(strcmp(db_cell(a,
	    row, AL_CONFIRMED), "t") == 0));
	json_object_set_new(o, "culprit", jcell(a, row, AL_CULPRIT));
	json_object_set_new(o, "confirm_note", jcell(a, row,
	    AL_CONFIRM_NOTE));
	json_object_set_new(o, "bisection", db_isnull(a, row, AL_BISECTION) ?
	    json_null() : json_integer(db_num(a, row, AL_BISECTION)));
	json_object_set_new(o, "delivery", rp_jstr(db_cell(a, row,
	    AL_DELIVERY)));
	json_object_set_new(o, "delivered_at", jcell(a, row,
	    AL_DELIVERED_AT));
	json_object_set_new(o, "delivery_error", jcell(a, row,
	    AL_DELIVERY_ERROR));
	json_object_set_new(o, "delivery_tries", json_integer(strtoll(
	    db_cell(a, row, AL_DELIVERY_TRIES), NULL, 10)));
	for (i = 0; i < cps->nrows; i++)
		json_array_append_new(l, json_cp(a, row, cps, i, serve_url));
	json_object_set_new(o, "change_points", l);
	return o;
}

char *
alertmsg_line(const struct db_table *a, int row, const struct db_table *cps)
{
	const char *d = db_cell(a, row, AL_DELIVERY);
	const char *when = strcmp(d, "sent") == 0 ? db_cell(a, row,
	    AL_DELIVERED_AT) : strcmp(d, "failed") == 0 ? db_cell(a, row,
	    AL_DELIVERY_ERROR) : "";
	char *head, *out;

	/* The delivery: sent when, or failed why. */
	head = kb_asprintf("#%s %s %s at %s (%d change point%s), %s%s%s",
	    db_cell(a, row, AL_ID), db_cell(a, row, AL_STATE),
	    db_cell(a, row, AL_WORKER), db_cell(a, row, AL_KERNEL),
	    cps->nrows, cps->nrows == 1 ? "" : "s", d,
	    *when != '\0' ? (*d == 's' ? " " : ": ") : "", when);
	if (cps->nrows > 0) {
		out = kb_asprintf("%s; %s %s %+.2f%%%s", head,
		    db_cell(cps, 0, AC_WORKLOAD), db_cell(cps, 0, AC_METRIC),
		    db_num(cps, 0, AC_DIFF_PCT), cps->nrows > 1 ? ", ..." :
		    "");
		free(head);
		head = out;
	}
	out = fold(head);
	free(head);
	return out;
}
