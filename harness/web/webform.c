/*
 * webform.c: the dashboard's writes, HTML forms posted with the API
 * token (a "token" field, or the Authorization: Bearer header as for
 * POST /api/try): /triage sets an alert's state or adds a note,
 * /runs hides, shows again or removes a run, /annotate adds a note on a
 * kernel or a date to a series.  Each answers 303 to the page it
 * changed, so a reload does not post again.
 */
#include <inttypes.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "store/alertdb.h"
#include "store/annotdb.h"
#include "store/db.h"
#include "store/runsdb.h"
#include "web/webalerts.h"
#include "web/webapi.h"
#include "web/webform.h"

#define FIELD_MAX	65536	/* a note */

/*
 * The value of key in an application/x-www-form-urlencoded body,
 * decoded ('+' a space, %XX a byte); NULL when absent (free it).
 */
static char *
field(const char *body, const char *key)
{
	size_t kl = strlen(key), n;
	const char *p = body, *e;
	char *v, *q;

	while (p != NULL && *p != '\0') {
		e = strchr(p, '&');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		if (n > kl && strncmp(p, key, kl) == 0 && p[kl] == '=' &&
		    n - kl - 1 <= FIELD_MAX) {
			v = kb_malloc(n - kl);
			memcpy(v, p + kl + 1, n - kl - 1);
			v[n - kl - 1] = '\0';
			for (q = v; *q != '\0'; q++)
				if (*q == '+')
					*q = ' ';
			MHD_http_unescape(v);
			return v;
		}
		p = e != NULL ? e + 1 : NULL;
	}
	return NULL;
}

static int
id_field(const char *body, const char *key, int64_t *id)
{
	char *v = field(body, key);
	long n;
	int rc;

	rc = v != NULL && kb_parse_long(v, 1, INT64_MAX, &n) == 0 ? 0 : -1;
	free(v);
	*id = rc == 0 ? n : 0;
	return rc;
}

/* 0 when the request carries the token; else the reply says why. */
static int
authorised(struct web *w, const char *authz, const char *body,
    struct web_reply *r)
{
	char *t, *h;
	int ok;

	if (*w->token == '\0') {
		web_error(r, 403, "writes are disabled: no serve.token in the "
		    "configuration");
		return -1;
	}
	if (authz != NULL && web_token_ok(w->token, authz))
		return 0;
	if ((t = field(body, "token")) != NULL) {
		h = kb_asprintf("Bearer %s", t);
		ok = web_token_ok(w->token, h);
		free(h);
		free(t);
		if (ok)
			return 0;
	}
	web_error(r, 401, "a valid token is needed (the form's token "
	    "field, or Authorization: Bearer)");
	r->auth = 1;
	return -1;
}

/* 303 to a page, its name formatted as printf(3) does. */
static void
see_other(struct web_reply *r, const char *fmt, ...)
	__attribute__((__format__(__printf__, 2, 3)));
static void
see_other(struct web_reply *r, const char *fmt, ...)
{
	char buf[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	r->location = kb_strdup(buf);
	r->status = 303;
	r->type = "text/plain";
	r->body = kb_asprintf("see %s\n", buf);
	r->len = strlen(r->body);
}

static void
triage(struct web *w, const char *body, struct web_reply *r)
{
	char *act = field(body, "action"), *by = field(body, "by"), *note;
	const char *who;
	int64_t id;
	int rc;

	who = by != NULL && *by != '\0' && strlen(by) <= 200 &&
	    kb_utf8_valid(by) ? by : "web";
	if (id_field(body, "alert", &id) == -1 || act == NULL)
		web_error(r, 400, "alert (an id) and action are needed");
	else if (strcmp(act, "note") == 0) {
		note = field(body, "body");
		if (note == NULL || *note == '\0' || !kb_utf8_valid(note))
			web_error(r, 400, "a note needs a body (UTF-8 text)");
		else if ((rc = alertdb_note(w->x.c, id, who, note)) == 0)
			see_other(r, "alert-%" PRId64 ".html", id);
		else
			web_error(r, rc == 1 ? 404 : 500, rc == 1 ?
			    "no such alert" : "could not store the note");
		free(note);
	} else if (!wp_triage_state(act))
		web_error(r, 400, "action: acknowledged, invalid, fixed, "
		    "accepted or note");
	else if ((rc = alertdb_set_state(w->x.c, id, act, who)) == 0)
		see_other(r, "alert-%" PRId64 ".html", id);
	else
		web_error(r, rc == 1 ? 404 : 500, rc == 1 ? "no such alert" :
		    "could not set the state");
	free(act);
	free(by);
}

static void
runs(struct web *w, const char *body, struct web_reply *r)
{
	char *act = field(body, "action");
	int64_t id;
	int rc = -2;

	if (id_field(body, "run", &id) == -1 || act == NULL)
		web_error(r, 400, "run (an id) and action are needed");
	else if (strcmp(act, "hide") == 0 || strcmp(act, "show") == 0)
		rc = runsdb_hide(w->x.c, id, strcmp(act, "hide") == 0);
	else if (strcmp(act, "rm") == 0)
		rc = runsdb_rm(w->x.c, id);
	else
		web_error(r, 400, "action: hide, show or rm");
	if (rc == 0 && strcmp(act, "rm") == 0)
		see_other(r, "status.html");
	else if (rc == 0)
		see_other(r, "run-%" PRId64 ".html", id);
	else if (rc != -2)
		web_error(r, rc == 1 ? 404 : 500, rc == 1 ? "no such run" :
		    "could not change the run");
	free(act);
}

/* w, l (the series), k (a kernel) or date (YYYY-MM-DD), body, by. */
static void
annotate(struct web *w, const char *body, struct web_reply *r)
{
	char *day = field(body, "date"), *text = field(body, "body");
	char *by = field(body, "by"), id[24];
	struct annot a;

	memset(&a, 0, sizeof(a));
	a.author = by != NULL && strlen(by) <= 200 && kb_utf8_valid(by) ?
	    by : "web";
	a.body = text;
	if (day != NULL && *day != '\0')
		a.day = day;
	if (id_field(body, "w", &a.worker_id) == -1 ||
	    id_field(body, "l", &a.workload_id) == -1 ||
	    (a.day == NULL && id_field(body, "k", &a.kernel_id) == -1))
		web_error(r, 400, "w and l (the series) and k (a kernel) or "
		    "date are needed");
	else if (a.day != NULL && !kb_ymd_shape(a.day))
		web_error(r, 400, "date: expected YYYY-MM-DD");
	else if (text == NULL || *text == '\0' || strlen(text) > 2000 ||
	    !kb_utf8_valid(text))
		web_error(r, 400, "a note needs a body (UTF-8 text, at most "
		    "2000 bytes)");
	else if (annotdb_add(w->x.c, &a, id) == -1)
		web_error(r, 400, "could not store the note (no such "
		    "series or kernel?)");
	else {
		see_other(r, "series-%" PRId64 "-%" PRId64 ".html",
		    a.worker_id, a.workload_id);
	}
	free(day);
	free(text);
	free(by);
}

int
webform_post(struct web *w, const char *path, const char *authz,
    const char *body, struct web_reply *r)
{
	if (strcmp(path, "/triage") != 0 && strcmp(path, "/runs") != 0 &&
	    strcmp(path, "/annotate") != 0)
		return 1;
	if (authorised(w, authz, body, r) == -1)
		return 0;
	if (strcmp(path, "/triage") == 0)
		triage(w, body, r);
	else if (strcmp(path, "/annotate") == 0)
		annotate(w, body, r);
	else
		runs(w, body, r);
	return 0;
}
