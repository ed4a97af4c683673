/*
 * webalerts.c: the alert pages: the list (alerts.html, ?state= to
 * narrow it) and one alert (alert-ID.html) with its change points,
 * each linking to its comparison, the confirmation's note, the
 * bisection and its culprit, notes and state changes.  Served live, an
 * alert page has the triage forms (the states of kbench alert, and a
 * note), posted to /triage with the API token (webform.c).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "store/alertdb.h"
#include "store/db.h"
#include "output/html.h"
#include "web/webhtml.h"
#include "web/webalerts.h"

/* The states a person sets, as kbench alert's verbs set them. */
static const char *const triage[][2] = {
	{ "acknowledged", "acknowledge" }, { "invalid", "dismiss (invalid)" },
	{ "fixed", "fixed" }, { "accepted", "accept (new baseline)" }
};

static void
cell(FILE *fp, const struct db_table *t, int i, int col)
{
	fputs("<td>", fp);
	html_esc(fp, db_cell(t, i, col));
	fputs("</td>", fp);
}

int
wp_alerts(struct wp_ctx *x, FILE *fp)
{
	struct db_table t;
	const char *st = wp_arg(x, "state");
	int i;

	if (st != NULL && *st == '\0')
		st = NULL;
	if (alertdb_list(x->c, 0, st, NULL, &t) == -1)
		return -1;
	wp_head(fp, "Alerts", NULL);
	fputs("<p>state: <a href=\"alerts.html\">all</a> <a href=\""
	    "alerts.html?state=new\">new</a> <a href=\"alerts.html?state="
	    "acknowledged\">acknowledged</a></p>\n", fp);
	if (t.nrows == 0)
		fputs("<p>No alerts.</p>\n", fp);
	else
		fputs("<table id=\"alerts\"><tr><th>alert</th><th>worker</th>"
		    "<th>before</th><th>kernel</th><th>state</th><th>by</th>"
		    "<th>confirmed</th><th>culprit</th><th>delivery</th>"
		    "<th>created</th></tr>\n", fp);
	for (i = 0; i < t.nrows; i++) {
		fprintf(fp, "<tr><td><a href=\"alert-%s.html\">%s</a></td>",
		    db_cell(&t, i, AL_ID), db_cell(&t, i, AL_ID));
		cell(fp, &t, i, AL_WORKER);
		cell(fp, &t, i, AL_PREV_KERNEL);
		cell(fp, &t, i, AL_KERNEL);
		wp_verdict_cell(fp, db_cell(&t, i, AL_STATE));
		cell(fp, &t, i, AL_STATE_BY);
		fputs(strcmp(db_cell(&t, i, AL_CONFIRMED), "t") == 0 ?
		    "<td>yes</td>" : "<td>no</td>", fp);
		cell(fp, &t, i, AL_CULPRIT);
		cell(fp, &t, i, AL_DELIVERY);
		cell(fp, &t, i, AL_CREATED);
		fputs("</tr>\n", fp);
	}
	if (t.nrows > 0)
		fputs("</table>\n", fp);
	db_table_free(&t);
	wp_foot(fp);
	return 0;
}

static void
cps_table(FILE *fp, const struct db_table *a, const struct db_table *t)
{
	int i;

	fputs("<h2>What moved</h2>\n<table id=\"changes\"><tr><th>workload"
	    "</th><th>metric</th><th>change</th><th>interval</th><th>p</th>"
	    "<th>mean before</th><th>mean after</th><th>status</th></tr>\n",
	    fp);
	for (i = 0; i < t->nrows; i++) {
		fputs("<tr><td>", fp);
		if (strcmp(db_cell(a, 0, AL_PREV_KERNEL_ID), "0") != 0)
			fprintf(fp, "<a href=\"compare-%s-%s-%s-%s.html\">",
			    db_cell(a, 0, AL_WORKER_ID), db_cell(t, i,
			    AC_WORKLOAD_ID), db_cell(a, 0, AL_PREV_KERNEL_ID),
			    db_cell(a, 0, AL_KERNEL_ID));
		html_esc(fp, db_cell(t, i, AC_WORKLOAD));
		fputs(strcmp(db_cell(a, 0, AL_PREV_KERNEL_ID), "0") != 0 ?
		    "</a></td>" : "</td>", fp);
		cell(fp, t, i, AC_METRIC);
		fprintf(fp, "<td>%+.2f%%</td><td>[%+.2f%%, %+.2f%%]</td>",
		    strtod(db_cell(t, i, AC_DIFF_PCT), NULL),
		    strtod(db_cell(t, i, AC_CI_LOW), NULL),
		    strtod(db_cell(t, i, AC_CI_HIGH), NULL));
		cell(fp, t, i, AC_P);
		cell(fp, t, i, AC_MEAN_BEFORE);
		cell(fp, t, i, AC_MEAN_AFTER);
		cell(fp, t, i, AC_STATUS);
		fputs("</tr>\n", fp);
	}
	fputs("</table>\n", fp);
}

/* The triage forms: a button per state, a note; the token in each. */
static void
forms(FILE *fp, const char *id)
{
	size_t i;

	fputs("<h2>Triage</h2>\n<p class=\"note\">Each action needs the "
	    "API token (serve.token).</p>\n", fp);
	for (i = 0; i < sizeof(triage) / sizeof(triage[0]); i++)
		fprintf(fp, "<form class=\"triage\" method=\"post\" action=\""
		    "triage\"><input type=\"hidden\" name=\"alert\" value=\""
		    "%s\"><input type=\"hidden\" name=\"action\" value=\"%s\">"
		    "<input type=\"password\" name=\"token\" "
		    "placeholder=\"token\" size=\"8\"> <button id=\"do-%s\">"
		    "%s</button></form>\n", id, triage[i][0], triage[i][0],
		    triage[i][1]);
	fprintf(fp, "<form method=\"post\" action=\"triage\"><input "
	    "type=\"hidden\" name=\"alert\" value=\"%s\"><input type=\"hidden\""
	    " name=\"action\" value=\"note\"><p><textarea name=\"body\" "
	    "rows=\"3\" cols=\"60\"></textarea></p><p><input name=\"by\" "
	    "placeholder=\"your name\"> <input type=\"password\" "
	    "name=\"token\" placeholder=\"token\" size=\"8\"> <button "
	    "id=\"do-note\">add a note</button></p></form>\n", id);
}

int
wp_alert(struct wp_ctx *x, FILE *fp, int64_t id)
{
	static const struct wp_field fields[] = { { "state", AL_STATE },
	    { "set by", AL_STATE_BY }, { "set at", AL_STATE_AT },
	    { "kernel before", AL_PREV_KERNEL }, { "kernel", AL_KERNEL },
	    { "revision", AL_REVISION }, { "confirmed", AL_CONFIRMED },
	    { "confirmation", AL_CONFIRM_NOTE },
	    { "bisection", AL_BISECTION }, { "culprit", AL_CULPRIT },
	    { "delivery", AL_DELIVERY }, { "created", AL_CREATED } };
	struct db_table a, t;
	int i;

	if (alertdb_list(x->c, id, NULL, NULL, &a) == -1)
		return -1;
	if (wp_record(fp, &a, "Alert", id, AL_KERNEL, AL_WORKER, fields,
	    sizeof(fields) / sizeof(fields[0])) == 1)
		return 1;
	if (alertdb_cps(x->c, id, &t) == 0) {
		cps_table(fp, &a, &t);
		db_table_free(&t);
	}
	if (alertdb_notes(x->c, id, &t) == 0) {
		fputs("<h2>Notes</h2>\n", fp);
		if (t.nrows == 0)
			fputs("<p id=\"no-notes\">None.</p>\n", fp);
		for (i = 0; i < t.nrows; i++) {
			fputs("<div class=\"anote\"><p class=\"note\">", fp);
			html_esc(fp, db_cell(&t, i, 0));
			fputs(", ", fp);
			html_esc(fp, db_cell(&t, i, 1));
			fputs("</p><pre>", fp);
			html_esc(fp, db_cell(&t, i, 2));
			fputs("</pre></div>\n", fp);
		}
		db_table_free(&t);
	}
	if (alertdb_events(x->c, id, &t) == 0) {
		if (t.nrows > 0)
			fputs("<h2>State changes</h2>\n<table><tr><th>state"
			    "</th><th>by</th><th>at</th></tr>\n", fp);
		for (i = 0; i < t.nrows; i++) {
			fputs("<tr>", fp);
			cell(fp, &t, i, 0);
			cell(fp, &t, i, 1);
			cell(fp, &t, i, 2);
			fputs("</tr>\n", fp);
		}
		if (t.nrows > 0)
			fputs("</table>\n", fp);
		db_table_free(&t);
	}
	if (x->live)
		forms(fp, db_cell(&a, 0, AL_ID));
	db_table_free(&a);
	wp_foot(fp);
	return 0;
}

int
wp_triage_state(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(triage) / sizeof(triage[0]); i++)
		if (strcmp(s, triage[i][0]) == 0)
			return 1;
	return 0;
}
