/*
 * annotate.c: kbench annotate: notes on a kernel or a date, shown on
 * the series pages' graphs (a new kernel config, a machine moved, a
 * known regression).  The dashboard adds them behind the token
 * (web/webform.c).
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
#include "store/annotdb.h"
#include "store/connect.h"
#include "store/db.h"

static const char *const subs[] = { "add", "list", "rm" };
#define NSUBS	(sizeof(subs) / sizeof(subs[0]))

static const char *const keys[AN_NCOLS] = {
	"id", "kernel_id", "kernel", "date", "worker", "workload", "text",
	"by", "created"
};

/* The id of table's row called name, or an error naming the choices. */
static int64_t
find(PGconn *c, const char *table, const char *name, const char *opt)
{
	int64_t id;

	if ((id = db_find_id(c, table, name)) > 0)
		return id;
	kb_warnx("annotate: no %s %s (%s: one that has runs; kbench runs "
	    "list shows them)", table, name, opt);
	return -1;
}

/* add (--kernel LABEL | --date YYYY-MM-DD) [--worker W] [--workload L]
 * [--by NAME] TEXT... */
static int
annotate_add(PGconn *c, int argc, char **argv)
{
	const char *kernel = NULL, *worker = NULL, *workload = NULL;
	struct annot a;
	char id[24], *text = NULL, *t;
	int i, rc = KB_EXIT_USAGE;

	memset(&a, 0, sizeof(a));
	a.author = getenv("USER") != NULL ? getenv("USER") : "";
	for (i = 2; i < argc; i++) {
		if (i + 1 < argc && strcmp(argv[i], "--kernel") == 0)
			kernel = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--date") == 0)
			a.day = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--worker") == 0)
			worker = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--workload") == 0)
			workload = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--by") == 0)
			a.author = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1] == '-')
			return kb_usage_error("annotate", "add: unexpected "
			    "'%s' (--kernel, --date, --worker, --workload, "
			    "--by)", argv[i]);
		else {
			t = kb_asprintf("%s%s%s", text != NULL ? text : "",
			    text != NULL ? " " : "", argv[i]);
			free(text);
			text = t;
		}
	}
	if ((kernel == NULL) == (a.day == NULL))
		rc = kb_usage_error("annotate", "add: give one of --kernel "
		    "LABEL or --date YYYY-MM-DD");
	else if (a.day != NULL && !kb_ymd_shape(a.day))
		rc = kb_usage_error("annotate", "--date %s: expected "
		    "YYYY-MM-DD", a.day);
	else if (text == NULL || strlen(text) > 2000 || !kb_utf8_valid(text))
		rc = kb_usage_error("annotate", "add: expected the note's "
		    "text (UTF-8, at most 2000 bytes)");
	else if ((kernel != NULL && (a.kernel_id = find(c, "kernel", kernel,
	    "--kernel")) == -1) || (worker != NULL && (a.worker_id = find(c,
	    "worker", worker, "--worker")) == -1) || (workload != NULL &&
	    (a.workload_id = find(c, "workload", workload,
	    "--workload")) == -1))
		rc = KB_EXIT_ERR;
	else {
		a.body = text;
		if (annotdb_add(c, &a, id) == -1)
			rc = KB_EXIT_ERR;
		else {
			printf("note %s added\n", id);
			rc = KB_EXIT_OK;
		}
	}
	free(text);
	return rc;
}

static void
print_text(const struct db_table *t)
{
	int i;

	if (t->nrows == 0)
		printf("no notes\n");
	for (i = 0; i < t->nrows; i++) {
		printf("%4s %s %s", db_cell(t, i, AN_ID),
		    *db_cell(t, i, AN_KERNEL) != '\0' ? "kernel" : "date",
		    *db_cell(t, i, AN_KERNEL) != '\0' ?
		    db_cell(t, i, AN_KERNEL) : db_cell(t, i, AN_DAY));
		if (*db_cell(t, i, AN_WORKER) != '\0')
			printf(", worker %s", db_cell(t, i, AN_WORKER));
		if (*db_cell(t, i, AN_WORKLOAD) != '\0')
			printf(", workload %s", db_cell(t, i, AN_WORKLOAD));
		printf(" (%s%s%s): %s\n", db_cell(t, i, AN_CREATED),
		    *db_cell(t, i, AN_AUTHOR) != '\0' ? ", " : "",
		    db_cell(t, i, AN_AUTHOR), db_cell(t, i, AN_BODY));
	}
}

static void
print_json(const struct db_table *t)
{
	json_t *a = json_array(), *o;
	int i, k;

	for (i = 0; i < t->nrows; i++) {
		o = json_object();
		for (k = 0; k < AN_NCOLS; k++)
			if (k == AN_ID)
				json_object_set_new(o, keys[k], json_integer(
				    strtoll(db_cell(t, i, k), NULL, 10)));
			else if (k != AN_KERNEL_ID)
				json_object_set_new(o, keys[k],
				    json_string(db_cell(t, i, k)));
		json_array_append_new(a, o);
	}
	json_dumpf(a, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(a);
}

/* list [--format text|json] */
static int
annotate_list(PGconn *c, int argc, char **argv)
{
	struct db_table t;
	int json = 0;

	if (argc == 4 && strcmp(argv[2], "--format") == 0 &&
	    (strcmp(argv[3], "json") == 0 || strcmp(argv[3], "text") == 0))
		json = strcmp(argv[3], "json") == 0;
	else if (argc != 2)
		return kb_usage_error("annotate", "list: unexpected '%s' "
		    "(--format text|json)", argv[2]);
	if (annotdb_list(c, &t) == -1)
		return KB_EXIT_ERR;
	if (json)
		print_json(&t);
	else
		print_text(&t);
	db_table_free(&t);
	return KB_EXIT_OK;
}

/* rm ID... */
static int
annotate_rm(PGconn *c, int argc, char **argv)
{
	long id;
	int i, r, rc = KB_EXIT_OK;

	if (argc < 3)
		return kb_usage_error("annotate", "rm: expected a note id");
	for (i = 2; i < argc; i++)
		if (kb_parse_long(argv[i], 1, LONG_MAX, &id) == -1)
			return kb_usage_error("annotate", "rm: '%s' is not a "
			    "note id", argv[i]);
	for (i = 2; i < argc; i++) {
		(void)kb_parse_long(argv[i], 1, LONG_MAX, &id);
		if ((r = annotdb_rm(c, id)) == 0)
			printf("note %ld removed\n", id);
		else {
			if (r == 1)
				kb_warnx("no note %ld (kbench annotate list)",
				    id);
			rc = KB_EXIT_ERR;
		}
	}
	return rc;
}

int
cmd_annotate(int argc, char **argv)
{
	PGconn *c;
	int rc, sub;

	if ((sub = cmd_subcommand("annotate", argc, argv, subs, NSUBS)) == -1)
		return KB_EXIT_USAGE;
	if ((c = store_connect()) == NULL)
		return KB_EXIT_ERR;
	rc = sub == 0 ? annotate_add(c, argc, argv) : sub == 1 ?
	    annotate_list(c, argc, argv) : annotate_rm(c, argc, argv);
	db_close(c);
	return rc;
}
