/*
 * runs.c: kbench runs: housekeeping of the stored runs: list them,
 * hide one (kept, out of the index and the lists), show it again, or
 * remove it with its samples.  The dashboard does the same behind the
 * token (web/webform.c).
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd/cmd.h"
#include "lib/suggest.h"
#include "lib/util.h"
#include "store/connect.h"
#include "store/db.h"
#include "store/runsdb.h"

#define LIST_MAX	100	/* runs listed unless --limit */

static const char *const subs[] = { "list", "hide", "show", "rm" };
#define NSUBS	(sizeof(subs) / sizeof(subs[0]))

static const char *const keys[RU_NCOLS] = {
	"id", "state", "hidden", "worker", "arch", "workload", "kernel",
	"samples", "created", "reason"
};

static int
print_json(const struct db_table *t)
{
	json_t *a = json_array(), *o;
	const char *v;
	int i, k;

	for (i = 0; i < t->nrows; i++) {
		o = json_object();
		for (k = 0; k < RU_NCOLS; k++) {
			v = db_cell(t, i, k);
			if (k == RU_ID || k == RU_SAMPLES)
				json_object_set_new(o, keys[k],
				    json_integer(strtoll(v, NULL, 10)));
			else if (k == RU_HIDDEN)
				json_object_set_new(o, keys[k],
				    json_boolean(*v == 't'));
			else
				json_object_set_new(o, keys[k], json_string(v));
		}
		json_array_append_new(a, o);
	}
	json_dumpf(a, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(a);
	return KB_EXIT_OK;
}

static int
print_text(const struct db_table *t)
{
	int i;

	if (t->nrows == 0)
		printf("no runs\n");
	for (i = 0; i < t->nrows; i++) {
		printf("%6s %-7s %s%s (%s) %s %s: %s samples, %s",
		    db_cell(t, i, RU_ID), db_cell(t, i, RU_STATE),
		    *db_cell(t, i, RU_HIDDEN) == 't' ? "[hidden] " : "",
		    db_cell(t, i, RU_WORKER), db_cell(t, i, RU_ARCH),
		    db_cell(t, i, RU_WORKLOAD), db_cell(t, i, RU_KERNEL),
		    db_cell(t, i, RU_SAMPLES), db_cell(t, i, RU_CREATED));
		if (*db_cell(t, i, RU_REASON) != '\0')
			printf("\n       %s", db_cell(t, i, RU_REASON));
		putchar('\n');
	}
	return KB_EXIT_OK;
}

/* list [--all] [--failed] [--limit N] [--format text|json] */
static int
runs_list(PGconn *c, int argc, char **argv)
{
	struct db_table t;
	long limit = LIST_MAX;
	int i, all = 0, json = 0, rc;
	const char *state = NULL;

	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--all") == 0)
			all = 1;
		else if (strcmp(argv[i], "--failed") == 0)
			state = "failed";
		else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc &&
		    kb_parse_long(argv[i + 1], 1, LONG_MAX, &limit) == 0)
			i++;
		else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc &&
		    (strcmp(argv[i + 1], "json") == 0 ||
		    strcmp(argv[i + 1], "text") == 0))
			json = strcmp(argv[++i], "json") == 0;
		else
			return kb_usage_error("runs", "list: unexpected '%s' "
			    "(--all, --failed, --limit N, --format text|json)",
			    argv[i]);
	}
	if (runsdb_list(c, all, state, limit, &t) == -1)
		return KB_EXIT_ERR;
	rc = json ? print_json(&t) : print_text(&t);
	db_table_free(&t);
	return rc;
}

/* hide|show|rm ID... */
static int
runs_change(PGconn *c, int argc, char **argv)
{
	const char *sub = argv[1];
	long id;
	int i, rc = KB_EXIT_OK, r;

	if (argc < 3)
		return kb_usage_error("runs", "%s: expected a run id", sub);
	for (i = 2; i < argc; i++)
		if (kb_parse_long(argv[i], 1, LONG_MAX, &id) == -1)
			return kb_usage_error("runs", "%s: '%s' is not a run "
			    "id", sub, argv[i]);
	for (i = 2; i < argc; i++) {
		(void)kb_parse_long(argv[i], 1, LONG_MAX, &id);
		r = strcmp(sub, "rm") == 0 ? runsdb_rm(c, id) :
		    runsdb_hide(c, id, strcmp(sub, "hide") == 0);
		if (r == 0)
			printf("run %ld %s\n", id, strcmp(sub, "rm") == 0 ?
			    "removed" : strcmp(sub, "hide") == 0 ? "hidden" :
			    "shown");
		else {
			if (r == 1)
				kb_warnx("no run %ld (kbench runs list --all)",
				    id);
			rc = KB_EXIT_ERR;
		}
	}
	return rc;
}

int
cmd_runs(int argc, char **argv)
{
	PGconn *c;
	int rc, sub;

	if ((sub = cmd_subcommand("runs", argc, argv, subs, NSUBS)) == -1)
		return KB_EXIT_USAGE;
	if ((c = store_connect()) == NULL)
		return KB_EXIT_ERR;
	rc = sub == 0 ? runs_list(c, argc, argv) : runs_change(c, argc, argv);
	db_close(c);
	return rc;
}
