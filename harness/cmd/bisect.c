/*
 * cmd_bisect.c: kbench bisect: the command line of harness/engine/bisect.c.
 */
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lib/suggest.h"
#include "lib/util.h"
#include "lib/sample.h"
#include "engine/bisect.h"
#include "engine/bisect_repo.h"
#include "engine/bisect_kernel.h"
#include "cmd/cmd.h"
#include "store/db.h"
#include "store/connect.h"
#include "store/bisectdb.h"
#include "worker/runner.h"

/* --resume ID: the stored request; the command comes back as sh -c. */
static int
load_request(PGconn *c, struct bisect_opts *o, char **shv)
{
	char id[24];
	struct db_table r;

	snprintf(id, sizeof(id), "%" PRId64, o->resume);
	if (bisectdb_request(c, id, &r) == -1)
		return -1;
	if (r.nrows != 1) {
		kb_warnx("no bisection %s", id);
		db_table_free(&r);
		return -1;
	}
	if (strcmp(db_cell(&r, 0, 9), "running") != 0) {
		kb_warnx("bisection %s is %s: see kbench bisect log %s", id,
		    db_cell(&r, 0, 9), id);
		db_table_free(&r);
		return -1;
	}
	o->repo = kb_strdup(db_cell(&r, 0, 0));
	o->good = kb_strdup(db_cell(&r, 0, 1));
	o->bad = kb_strdup(db_cell(&r, 0, 2));
	/* A kernel bisection of a workload has no command. */
	if (*db_cell(&r, 0, 3) != '\0') {
		shv[0] = "sh";
		shv[1] = "-c";
		shv[2] = kb_strdup(db_cell(&r, 0, 3));
		shv[3] = NULL;
	}
	o->build = db_isnull(&r, 0, 4) ? NULL : kb_strdup(db_cell(&r, 0,
	    4));
	kb_metric_parse(db_cell(&r, 0, 5), &o->metric);
	o->worker = kb_strdup(db_cell(&r, 0, 6));
	o->n = strtol(db_cell(&r, 0, 7), NULL, 10);
	o->workload = db_isnull(&r, 0, 8) ? NULL :
	    kb_strdup(db_cell(&r, 0, 8));
	o->best_of = strtol(db_cell(&r, 0, 10), NULL, 10);
	db_table_free(&r);
	return 0;
}

static int
bisect_log_cmd(int argc, char **argv)
{
	PGconn *c;
	long id = 0;
	int i, json = 0, rc;

	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			i++;
			if (strcmp(argv[i], "json") == 0)
				json = 1;
			else if (strcmp(argv[i], "text") != 0)
				return kb_usage_error("bisect", "--format %s: "
				    "expected text or json", argv[i]);
		} else if (kb_parse_long(argv[i], 1, LONG_MAX, &id) == -1)
			return kb_usage_error("bisect", "log: unexpected "
			    "'%s'", argv[i]);
	}
	if ((c = store_connect()) == NULL)
		return KB_EXIT_ERR;
	rc = bisect_log(c, id, json);
	db_close(c);
	return rc;
}

static const struct option bisect_longopts[] = {
	{ "repo", required_argument, NULL, 'R' },
	{ "tree", required_argument, NULL, 'T' },
	{ "good", required_argument, NULL, 'G' },
	{ "bad", required_argument, NULL, 'B' },
	{ "build", required_argument, NULL, 'b' },
	{ "worker", required_argument, NULL, 'W' },
	{ "workload", required_argument, NULL, 'L' },
	{ "metric", required_argument, NULL, 'M' },
	{ "max-n", required_argument, NULL, 'N' },
	{ "best-of", required_argument, NULL, 'K' },
	{ "confirm-revert", no_argument, NULL, 'r' },
	{ "resume", required_argument, NULL, 'S' },
	{ "icount", required_argument, NULL, 'I' },
	{ NULL, 0, NULL, 0 }
};

/* One option into o; 0, or the usage error's exit status. */
static int
bisect_opt(struct bisect_opts *o, int ch, char **argv)
{
	long v;

	switch (ch) {
	case 'R': o->repo = optarg; break;
	case 'T':
		o->repo = optarg;
		o->tree = 1;
		break;
	case 'G': o->good = optarg; break;
	case 'B': o->bad = optarg; break;
	case 'b': o->build = optarg; break;
	case 'W': o->worker = optarg; break;
	case 'L': o->workload = optarg; break;
	case 'r': o->confirm_revert = 1; break;
	case 'q': kb_quiet = 1; break;
	case 'M':
		if (kb_metric_parse(optarg, &o->metric) == -1)
			return cmd_unknown_metric("bisect", optarg);
		break;
	case 'n':
		if (kb_parse_long(optarg, 2, 1000, &o->n) == -1)
			return kb_usage_error("bisect", "-n %s: expected 2 to "
			    "1000", optarg);
		break;
	case 'N':
		if (kb_parse_long(optarg, 3, 1000, &o->max_n) == -1)
			return kb_usage_error("bisect", "--max-n %s: expected "
			    "3 to 1000", optarg);
		break;
	case 'K':
		if (kb_parse_long(optarg, 1, 10, &o->best_of) == -1)
			return kb_usage_error("bisect", "--best-of %s: "
			    "expected 1 to 10", optarg);
		break;
	case 't':
		if (kb_parse_long(optarg, 0, 366L * 86400, &o->timeout) == -1)
			return kb_usage_error("bisect", "-t %s: expected "
			    "seconds", optarg);
		break;
	case 'I':
		if (kb_parse_long(optarg, 0, 10, &v) == -1)
			return kb_usage_error("bisect", "--icount %s: "
			    "expected a shift of 0 to 10", optarg);
		o->icount = (int)v;
		break;
	case 'S':
		if (kb_parse_long(optarg, 1, LONG_MAX, &v) == -1)
			return kb_usage_error("bisect", "--resume %s: "
			    "expected a bisection id", optarg);
		o->resume = v;
		break;
	default:
		return kb_usage_error("bisect", "unknown option or missing "
		    "value: %s", argv[optind - 1]);
	}
	return 0;
}

/* The command line into o; 0, or the usage error's exit status. */
static int
bisect_args(struct bisect_opts *o, int argc, char **argv)
{
	int ch, i, end = argc, rc;

	memset(o, 0, sizeof(*o));
	o->n = 5;
	o->max_n = 15;
	o->best_of = 1;
	o->metric = KB_M_REAL;
	o->icount = -1;
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			end = i;
			o->cmdv = argv + i + 1;
			break;
		}
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(end, argv, "+n:t:q", bisect_longopts,
	    NULL)) != -1)
		if ((rc = bisect_opt(o, ch, argv)) != 0)
			return rc;
	if (optind < end)
		return kb_usage_error("bisect", "unexpected argument '%s' (the "
		    "command goes after --)", argv[optind]);
	return 0;
}

/*
 * A new bisection's request, checked, its repository made absolute in
 * repo; 0, or an exit status.
 */
static int
bisect_new(struct bisect_opts *o, char repo[PATH_MAX])
{
	int kernel;

	if (o->worker == NULL)
		o->worker = "local";
	kernel = strcmp(o->worker, "local") != 0;
	if (o->repo == NULL)
		return kb_usage_error("bisect", kernel ? "--tree DIR: the "
		    "kernel git tree with the commits to bisect" : "expected "
		    "--repo DIR --good REV --bad REV -- CMD...");
	if (o->tree && !kernel)
		return kb_usage_error("bisect", "--tree %s is a kernel tree: "
		    "give a qemu worker (--worker qemu-amd64) or an ssh "
		    "worker", o->repo);
	if (o->good == NULL || o->bad == NULL)
		return kb_usage_error("bisect", "expected --good REV and "
		    "--bad REV");
	if (!kernel && (o->cmdv == NULL || o->cmdv[0] == NULL))
		return kb_usage_error("bisect", "on the local worker: the "
		    "command to time goes after --");
	if (!kernel && o->workload != NULL)
		return kb_usage_error("bisect", "--workload %s: a workload "
		    "runs in a guest: give a qemu worker (--worker "
		    "qemu-amd64)", o->workload);
	if (kernel && o->build != NULL)
		return kb_usage_error("bisect", "--build: kernels are built "
		    "by kbench (kbench kernel build)");
	if (!kernel && o->icount >= 0)
		return kb_usage_error("bisect", "--icount: only for a qemu "
		    "worker");
	if (!kernel && o->metric == KB_M_INSN_USER &&
	    runner_insn_ready("bisect --repo") == -1)
		return KB_EXIT_ERR;
	if (kernel && (o->cmdv == NULL || o->cmdv[0] == NULL) &&
	    o->workload == NULL)
		o->workload = "libc-small";
	if (realpath(o->repo, repo) == NULL) {
		kb_warn("%s", o->repo);
		return KB_EXIT_ERR;
	}
	o->repo = repo;
	return 0;
}

int
cmd_bisect(int argc, char **argv)
{
	struct bisect_opts o;
	char *shv[4] = { NULL }, repo[PATH_MAX];
	PGconn *c;
	int rc;

	static const char *const subs[] = { "log" };

	if (argc > 1 && strcmp(argv[1], "log") == 0)
		return bisect_log_cmd(argc, argv);
	/* Its one subcommand misspelt: not "the command goes after --". */
	if (argc > 1 && argv[1][0] != '-' && kb_suggest(argv[1], subs, 1) != NULL)
		return kb_unknown("bisect", "subcommand", argv[1], subs, 1);
	if ((rc = bisect_args(&o, argc, argv)) != 0)
		return rc;
	if (o.resume == 0 && (rc = bisect_new(&o, repo)) != 0)
		return rc;
	runner_catch_signals();
	if ((c = store_connect()) == NULL)
		return KB_EXIT_ERR;
	if (o.resume != 0) {
		if (load_request(c, &o, shv) == -1) {
			db_close(c);
			return KB_EXIT_ERR;
		}
		o.cmdv = shv;
	}
	if (o.cmdv == NULL)
		o.cmdv = shv;	/* none: a kernel bisection of a workload */
	rc = bisect_run(c, &o);
	db_close(c);
	return rc;
}
