/*
 * cmd_queue.c: kbench queue: the per-patch requests (POST /api/try,
 * kbench try --queue) and their runner (engine/queue.c), which kbench
 * serve starts unless told not to.
 */
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd/cmd.h"
#include "lib/util.h"
#include "engine/queue.h"
#include "store/connect.h"
#include "store/db.h"
#include "store/queuedb.h"
#include "worker/runner.h"

static const char *const list_keys[QL_NCOLS] = {
	"id", "state", "worker", "workload", "n", "submitted", "started",
	"finished", "client", "runner", "verdict", "error", "log", "run",
	"attempts"
};

static json_t *
row_json(const struct db_table *t, int i)
{
	json_t *o = json_object();
	const char *v;
	int k;

	for (k = 0; k < QL_NCOLS; k++) {
		v = db_cell(t, i, k);
		if (k == QL_ID || k == QL_N || k == QL_ATTEMPTS)
			json_object_set_new(o, list_keys[k],
			    json_integer(strtoll(v, NULL, 10)));
		else
			json_object_set_new(o, list_keys[k], *v != '\0' ?
			    json_string(v) : json_null());
	}
	return o;
}

static void
row_text(const struct db_table *t, int i, int long_form)
{
	printf("#%s %-9s %s %s n=%s submitted %s%s%s\n", db_cell(t, i, QL_ID),
	    db_cell(t, i, QL_STATE), db_cell(t, i, QL_WORKER),
	    db_cell(t, i, QL_WORKLOAD), db_cell(t, i, QL_N),
	    db_cell(t, i, QL_SUBMITTED), *db_cell(t, i, QL_CLIENT) ? " by " :
	    "", db_cell(t, i, QL_CLIENT));
	if (*db_cell(t, i, QL_VERDICT) != '\0')
		printf("  verdict: %s\n", db_cell(t, i, QL_VERDICT));
	if (*db_cell(t, i, QL_ERROR) != '\0')
		printf("  error: %s\n", db_cell(t, i, QL_ERROR));
	if (!long_form)
		return;
	printf("  started %s, finished %s, attempts %s, runner %s\n  log: %s\n",
	    *db_cell(t, i, QL_STARTED) ? db_cell(t, i, QL_STARTED) : "-",
	    *db_cell(t, i, QL_FINISHED) ? db_cell(t, i, QL_FINISHED) : "-",
	    db_cell(t, i, QL_ATTEMPTS), *db_cell(t, i, QL_RUNNER) ?
	    db_cell(t, i, QL_RUNNER) : "-", *db_cell(t, i, QL_LOG) ?
	    db_cell(t, i, QL_LOG) : "-");
}

static int
print_rows(const struct db_table *t, int json, int one)
{
	json_t *a;
	int i;

	if (json) {
		a = one ? row_json(t, 0) : json_array();
		for (i = 0; !one && i < t->nrows; i++)
			json_array_append_new(a, row_json(t, i));
		json_dumpf(a, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(a);
		return KB_EXIT_OK;
	}
	if (t->nrows == 0)
		printf("no requests\n");
	for (i = 0; i < t->nrows; i++)
		row_text(t, i, one);
	return KB_EXIT_OK;
}

/* list [--all] [--format F], show ID [--format F] */
static int
queue_list(PGconn *c, int argc, char **argv, int show)
{
	struct db_table t;
	long id = 0;
	int i, all = 0, json = 0, rc;

	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--all") == 0 && !show)
			all = 1;
		else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc &&
		    (strcmp(argv[i + 1], "json") == 0 ||
		    strcmp(argv[i + 1], "text") == 0))
			json = strcmp(argv[++i], "json") == 0;
		else if (show && id == 0 &&
		    kb_parse_long(argv[i], 1, LONG_MAX, &id) == 0)
			continue;
		else
			return kb_usage_error("queue", "%s: unexpected '%s'",
			    argv[1], argv[i]);
	}
	if (show && id == 0)
		return kb_usage_error("queue", "show: expected a request id");
	if ((show ? queuedb_show(c, id, &t) : queuedb_list(c, all, &t)) == -1)
		return KB_EXIT_ERR;
	if (show && t.nrows == 0) {
		kb_warnx("no request %ld (kbench queue list --all)", id);
		rc = KB_EXIT_ERR;
	} else
		rc = print_rows(&t, json, show);
	db_table_free(&t);
	return rc;
}

static int
queue_cancel(PGconn *c, int argc, char **argv)
{
	long id;

	if (argc != 3 || kb_parse_long(argv[2], 1, LONG_MAX, &id) == -1)
		return kb_usage_error("queue", "cancel: expected a request id");
	switch (queuedb_cancel(c, id)) {
	case 0:
		printf("request %ld cancelled\n", id);
		return KB_EXIT_OK;
	case 1:
		kb_warnx("no request %ld (kbench queue list --all)", id);
		return KB_EXIT_ERR;
	case 2:
		kb_warnx("request %ld has ended already (kbench queue show "
		    "%ld)", id, id);
		return KB_EXIT_ERR;
	}
	return KB_EXIT_ERR;
}

static int
queue_runner(PGconn *c, int argc, char **argv)
{
	struct queue_opts o = { 0, 1, 2 };
	long v;
	int i;

	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--once") == 0)
			o.once = 1;
		else if (strcmp(argv[i], "--jobs") == 0 && i + 1 < argc &&
		    kb_parse_long(argv[i + 1], 1, QUEUE_MAX_JOBS, &v) == 0) {
			o.jobs = (int)v;
			i++;
		} else if (strcmp(argv[i], "--poll") == 0 && i + 1 < argc &&
		    kb_parse_long(argv[i + 1], 1, 3600, &v) == 0) {
			o.poll = v;
			i++;
		} else
			return kb_usage_error("queue", "run: unexpected '%s' "
			    "(--once, --jobs 1-%d, --poll SECONDS)", argv[i],
			    QUEUE_MAX_JOBS);
	}
	runner_catch_signals();
	return queue_run(c, &o);
}

int
cmd_queue(int argc, char **argv)
{
	PGconn *c;
	int rc;

	if (argc < 2)
		return kb_usage_error("queue", "expected list, show, cancel or "
		    "run");
	if (strcmp(argv[1], "list") != 0 && strcmp(argv[1], "show") != 0 &&
	    strcmp(argv[1], "cancel") != 0 && strcmp(argv[1], "run") != 0)
		return kb_usage_error("queue", "unknown subcommand '%s' "
		    "(list, show, cancel, run)", argv[1]);
	if ((c = store_connect()) == NULL)
		return KB_EXIT_ERR;
	if (strcmp(argv[1], "cancel") == 0)
		rc = queue_cancel(c, argc, argv);
	else if (strcmp(argv[1], "run") == 0)
		rc = queue_runner(c, argc, argv);
	else
		rc = queue_list(c, argc, argv, strcmp(argv[1], "show") == 0);
	db_close(c);
	return rc;
}
