/*
 * alert.c: kbench alert: triage the alerts kbench detect makes: list,
 * show, set a state (ack, invalid, fixed, accept), add a note.  States
 * change only here, each change with who and when, so nobody needs SQL.
 */
#include <sys/types.h>

#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"
#include "lib/suggest.h"
#include "cmd/cmd.h"
#include "format/config.h"
#include "output/alertmsg.h"
#include "output/report_formats.h"
#include "store/alertdb.h"
#include "store/connect.h"
#include "store/db.h"

#define JFLAGS	(JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17) | JSON_INDENT(2))

struct alert_args {
	const char	*sub, *by, *state, *worker, *conf;
	int		 json;
	int64_t		 id;
	const char	*text;
	struct kb_config cfg;
};

/* The verbs that set a state, and the state each sets. */
static const char *const verbs[][2] = {
	{ "ack", "acknowledged" }, { "invalid", "invalid" },
	{ "fixed", "fixed" }, { "accept", "accepted" }
};

static const char *const subs[] = {
	"list", "show", "ack", "invalid", "fixed", "accept", "note"
};
#define NSUBS (sizeof(subs) / sizeof(subs[0]))

static const char *const states[] = {
	"new", "acknowledged", "invalid", "fixed", "accepted"
};

/* Who is triaging: --by, else the login name. */
static const char *
who(const struct alert_args *a)
{
	const struct passwd *pw;
	const char *u;

	if (a->by != NULL)
		return a->by;
	if ((u = getenv("USER")) != NULL && *u != '\0')
		return u;
	if ((u = getenv("LOGNAME")) != NULL && *u != '\0')
		return u;
	if ((pw = getpwuid(getuid())) != NULL)
		return pw->pw_name;
	return "unknown";
}

static json_t *
json_rows(const struct db_table *t, const char *const *keys)
{
	json_t *l = json_array(), *o;
	int i, j;

	for (i = 0; i < t->nrows; i++) {
		o = json_object();
		for (j = 0; keys[j] != NULL; j++)
			json_object_set_new(o, keys[j], rp_jstr(db_cell(t, i,
			    j)));
		json_array_append_new(l, o);
	}
	return l;
}

/* An alert's history and notes, as JSON (into o) or text. */
static int
show_more(PGconn *c, const struct alert_args *a, json_t *o)
{
	static const char *const ekeys[] = { "state", "by", "at", NULL };
	static const char *const nkeys[] = { "author", "at", "text", NULL };
	struct db_table ev, no;
	int i;

	if (alertdb_events(c, a->id, &ev) == -1)
		return -1;
	if (alertdb_notes(c, a->id, &no) == -1) {
		db_table_free(&ev);
		return -1;
	}
	if (o != NULL) {
		json_object_set_new(o, "history", json_rows(&ev, ekeys));
		json_object_set_new(o, "notes", json_rows(&no, nkeys));
	} else {
		for (i = 0; i < ev.nrows; i++)
			printf("%s %s by %s\n", db_cell(&ev, i, 2),
			    db_cell(&ev, i, 0), db_cell(&ev, i, 1));
		for (i = 0; i < no.nrows; i++)
			printf("%s note by %s: %s\n", db_cell(&no, i, 1),
			    db_cell(&no, i, 0), db_cell(&no, i, 2));
	}
	db_table_free(&ev);
	db_table_free(&no);
	return 0;
}

/* Print row i of t (text or into the JSON array l). */
static int
show_one(PGconn *c, const struct alert_args *a, const struct db_table *t,
    int i, json_t *l)
{
	struct db_table cps;
	char *s;
	json_t *o;

	if (alertdb_cps(c, strtoll(db_cell(t, i, AL_ID), NULL, 10),
	    &cps) == -1)
		return -1;
	if (l != NULL) {
		o = alertmsg_json(t, i, &cps, a->cfg.serve_url);
		json_array_append_new(l, o);
		if (strcmp(a->sub, "show") == 0 && show_more(c, a, o) == -1)
			goto fail;
	} else if (strcmp(a->sub, "show") == 0) {
		printf("alert #%s: %s%s%s%s%s; delivery %s%s%s\n",
		    db_cell(t, i, AL_ID), db_cell(t, i, AL_STATE),
		    *db_cell(t, i, AL_STATE_BY) ? " by " : "",
		    db_cell(t, i, AL_STATE_BY), *db_cell(t, i, AL_STATE_AT) ?
		    " at " : "", db_cell(t, i, AL_STATE_AT),
		    db_cell(t, i, AL_DELIVERY), db_isnull(t, i,
		    AL_DELIVERY_ERROR) ? "" : ": ", db_cell(t, i,
		    AL_DELIVERY_ERROR));
		if (show_more(c, a, NULL) == -1)
			goto fail;
		s = alertmsg_text(t, i, &cps, a->cfg.serve_url);
		printf("\n%s", s);
		free(s);
	} else {
		s = alertmsg_line(t, i, &cps);
		fputs(s, stdout);
		free(s);
	}
	db_table_free(&cps);
	return 0;
fail:
	db_table_free(&cps);
	return -1;
}

static int
alert_show(PGconn *c, const struct alert_args *a)
{
	struct db_table t;
	json_t *l = a->json ? json_array() : NULL;
	int i, rc = KB_EXIT_OK;

	if (alertdb_list(c, a->id, a->state, a->worker, &t) == -1) {
		json_decref(l);
		return KB_EXIT_ERR;
	}
	if (a->id != 0 && t.nrows == 0) {
		kb_warnx("no alert #%" PRId64, a->id);
		rc = KB_EXIT_ERR;
	} else if (t.nrows == 0 && l == NULL)
		printf("no alerts\n");
	for (i = 0; i < t.nrows && rc == KB_EXIT_OK; i++)
		if (show_one(c, a, &t, i, l) == -1)
			rc = KB_EXIT_ERR;
	if (l != NULL && rc == KB_EXIT_OK) {
		/* show: the one object; list: the array. */
		json_dumpf(a->id != 0 ? json_array_get(l, 0) : l, stdout,
		    JFLAGS);
		putchar('\n');
	}
	json_decref(l);
	db_table_free(&t);
	return rc;
}

static int
alert_change(PGconn *c, const struct alert_args *a)
{
	const char *state = NULL;
	size_t i;
	int r;

	if (strcmp(a->sub, "note") == 0)
		r = alertdb_note(c, a->id, who(a), a->text);
	else {
		for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
			if (strcmp(verbs[i][0], a->sub) == 0)
				state = verbs[i][1];
		r = alertdb_set_state(c, a->id, state, who(a));
	}
	if (r == 1)
		kb_warnx("no alert #%" PRId64, a->id);
	if (r != 0)
		return KB_EXIT_ERR;
	if (state == NULL)
		printf("alert #%" PRId64 ": note by %s\n", a->id, who(a));
	else
		printf("alert #%" PRId64 ": %s by %s%s\n", a->id, state, who(a),
		    strcmp(state, "accepted") == 0 ? "; its series restart "
		    "at its kernel" : "");
	return KB_EXIT_OK;
}

static const struct option longopts[] = {
	{ "by", required_argument, NULL, 'b' },
	{ "format", required_argument, NULL, 'F' },
	{ "state", required_argument, NULL, 's' },
	{ "worker", required_argument, NULL, 'W' },
	{ "config", required_argument, NULL, 'C' },
	{ NULL, 0, NULL, 0 }
};

static int
alert_opts(struct alert_args *a, int argc, char **argv)
{
	size_t i;
	int ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		switch (ch) {
		case 'b': a->by = optarg; break;
		case 's': a->state = optarg; break;
		case 'W': a->worker = optarg; break;
		case 'C': a->conf = optarg; break;
		case 'F':
			if (strcmp(optarg, "json") != 0 &&
			    strcmp(optarg, "text") != 0)
				return kb_usage_error("alert", "--format %s: "
				    "expected text or json", optarg);
			a->json = strcmp(optarg, "json") == 0;
			break;
		default:
			return kb_usage_error("alert", "unknown option or "
			    "missing value: %s", argv[optind - 1]);
		}
	if (a->state != NULL) {
		for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
			if (strcmp(states[i], a->state) == 0)
				break;
		if (i == sizeof(states) / sizeof(states[0]))
			return kb_usage_error("alert", "--state %s: expected "
			    "new, acknowledged, invalid, fixed or accepted",
			    a->state);
	}
	if (a->by != NULL && *a->by == '\0')
		return kb_usage_error("alert", "--by: expected a name");
	return 0;
}

/* The subcommand, its ID and TEXT; 0 or the usage error's status. */
static int
alert_args(struct alert_args *a, int argc, char **argv)
{
	int want_id, want_text, rc;
	long v;
	size_t i;

	a->sub = argv[0];
	want_id = strcmp(a->sub, "list") != 0;
	want_text = strcmp(a->sub, "note") == 0;
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(verbs[i][0], a->sub) == 0)
			break;
	if (i == sizeof(verbs) / sizeof(verbs[0]) && !want_text &&
	    strcmp(a->sub, "list") != 0 && strcmp(a->sub, "show") != 0)
		return kb_unknown("alert", "subcommand", a->sub, subs, NSUBS);
	if ((rc = alert_opts(a, argc, argv)) != 0)
		return rc;
	if (a->json && (want_id && strcmp(a->sub, "show") != 0))
		return kb_usage_error("alert", "--format goes with list and "
		    "show");
	if (argc - optind != want_id + want_text)
		return kb_usage_error("alert", "%s takes %s", a->sub,
		    want_text ? "ID TEXT" : want_id ? "ID" : "no argument");
	if (want_id) {
		if (kb_parse_long(argv[optind][0] == '#' ? argv[optind] + 1 :
		    argv[optind], 1, LONG_MAX, &v) == -1)
			return kb_usage_error("alert", "expected an alert id, "
			    "not %s", argv[optind]);
		a->id = v;
	}
	if (want_text && *(a->text = argv[optind + 1]) == '\0')
		return kb_usage_error("alert", "note: expected a text");
	return 0;
}

int
cmd_alert(int argc, char **argv)
{
	struct alert_args a;
	char err[1024];
	PGconn *c;
	int rc;

	memset(&a, 0, sizeof(a));
	if (argc < 2)
		return kb_unknown("alert", "subcommand", NULL, subs, NSUBS);
	if ((rc = alert_args(&a, argc - 1, argv + 1)) != 0)
		return rc;
	/* serve.url: the links in show's report and JSON. */
	if (kb_config_load(a.conf, &a.cfg, err, sizeof(err)) == -1) {
		kb_warnx("%s", err);
		return KB_EXIT_ERR;
	}
	if ((c = store_connect()) == NULL) {
		kb_config_free(&a.cfg);
		return KB_EXIT_ERR;
	}
	if (strcmp(a.sub, "list") == 0 || strcmp(a.sub, "show") == 0)
		rc = alert_show(c, &a);
	else
		rc = alert_change(c, &a);
	db_close(c);
	kb_config_free(&a.cfg);
	return rc;
}
