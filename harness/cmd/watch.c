/*
 * cmd_watch.c: kbench watch: follow a git branch (engine/watch.c).
 * --once is one pass, for cron and Buildbot; without it the branch is
 * polled every --interval seconds until a signal.
 */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "lib/util.h"
#include "engine/watch.h"
#include "format/config.h"
#include "store/connect.h"
#include "store/db.h"
#include "worker/runner.h"

struct wargs {
	struct watch_opts o;
	const char	*dir, *conf;
	int		 tree, once;
	long		 interval;
};

static const struct option watch_longopts[] = {
	{ "repo", required_argument, NULL, 'R' },
	{ "tree", required_argument, NULL, 'T' },
	{ "branch", required_argument, NULL, 'B' },
	{ "since", required_argument, NULL, 's' },
	{ "depth", required_argument, NULL, 'D' },
	{ "every", required_argument, NULL, 'e' },
	{ "once", no_argument, NULL, '1' },
	{ "interval", required_argument, NULL, 'i' },
	{ "worker", required_argument, NULL, 'W' },
	{ "workload", required_argument, NULL, 'L' },
	{ "build", required_argument, NULL, 'b' },
	{ "metric", required_argument, NULL, 'M' },
	{ "threshold", required_argument, NULL, 'P' },
	{ "icount", required_argument, NULL, 'I' },
	{ "config", required_argument, NULL, 'C' },
	{ NULL, 0, NULL, 0 }
};

/* A number option in [lo, hi]; 0, or the usage error's status. */
static int
num(const char *opt, const char *arg, long lo, long hi, long *v)
{
	if (kb_parse_long(arg, lo, hi, v) == -1)
		return kb_usage_error("watch", "%s %s: expected %ld to %ld",
		    opt, arg, lo, hi);
	return 0;
}

static int
watch_opt(struct wargs *a, int ch, const char *cur)
{
	struct watch_opts *o = &a->o;
	char *end;
	long v;
	int rc = 0;

	switch (ch) {
	case 'R': a->dir = optarg; a->tree = 0; break;
	case 'T': a->dir = optarg; a->tree = 1; break;
	case 'B': o->branch = optarg; break;
	case 's': o->since = optarg; break;
	case 'W': o->worker = optarg; break;
	case 'L': o->workload = optarg; break;
	case 'b': o->build = optarg; break;
	case 'C': a->conf = optarg; break;
	case '1': a->once = 1; break;
	case 'q': kb_quiet = 1; break;
	case 'D': rc = num("--depth", optarg, 1, 100000, &o->depth); break;
	case 'e': rc = num("--every", optarg, 1, 100000, &o->every); break;
	case 'n': rc = num("-n", optarg, 2, 1000, &o->n); break;
	case 't': rc = num("-t", optarg, 0, 366L * 86400, &o->timeout); break;
	case 'i': rc = num("--interval", optarg, 1, 7L * 86400,
	    &a->interval); break;
	case 'I':
		if ((rc = num("--icount", optarg, 0, 10, &v)) == 0)
			o->icount = (int)v;
		break;
	case 'M':
		if (kb_metric_parse(optarg, &o->metric) == -1)
			rc = kb_usage_error("watch", "--metric %s: unknown "
			    "metric", optarg);
		break;
	case 'P':
		o->threshold = strtod(optarg, &end);
		if (*end != '\0' || !(o->threshold >= 0 && o->threshold < 1e6))
			rc = kb_usage_error("watch", "--threshold %s: expected"
			    " a per cent, e.g. 3", optarg);
		break;
	default:
		rc = kb_usage_error("watch", "unknown option or missing value: "
		    "%s", cur);
	}
	return rc;
}

static int
watch_args(struct wargs *a, int argc, char **argv)
{
	int ch, i, end = argc, rc;

	memset(a, 0, sizeof(*a));
	a->o.branch = "HEAD";
	a->o.n = 5;
	a->o.every = 1;
	a->o.depth = 64;
	a->o.icount = -1;
	a->o.threshold = -1;
	a->o.metric = KB_M_REAL;
	a->interval = 300;
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			end = i;
			a->o.cmdv = argv + i + 1;
			break;
		}
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(end, argv, "+n:t:q", watch_longopts,
	    NULL)) != -1)
		if ((rc = watch_opt(a, ch, argv[optind - 1])) != 0)
			return rc;
	if (optind < end)
		return kb_usage_error("watch", "unexpected argument '%s' (the "
		    "command goes after --)", argv[optind]);
	return 0;
}

/* The request checked against the kind of tree; 0 or an exit status. */
static int
watch_check(struct wargs *a, char repo[PATH_MAX])
{
	struct watch_opts *o = &a->o;
	int cmd = o->cmdv != NULL && o->cmdv[0] != NULL;

	if (a->dir == NULL)
		return kb_usage_error("watch", "expected --repo DIR -- CMD..."
		    " or --tree DIR --worker qemu-ARCH");
	if (o->worker == NULL)
		o->worker = a->tree ? "qemu-amd64" : "local";
	if (!a->tree && strcmp(o->worker, "local") != 0)
		return kb_usage_error("watch", "--repo runs on the local "
		    "worker; a kernel tree is --tree DIR");
	if (a->tree && strcmp(o->worker, "local") == 0)
		return kb_usage_error("watch", "--tree needs a qemu worker, "
		    "e.g. --worker qemu-amd64");
	if (!a->tree && !cmd)
		return kb_usage_error("watch", "--repo: the command to time "
		    "goes after --");
	if (a->tree && o->build != NULL)
		return kb_usage_error("watch", "--build: kernels are built "
		    "by kbench");
	if (a->tree && !cmd && o->workload == NULL)
		o->workload = "libc-small";
	if (realpath(a->dir, repo) == NULL) {
		kb_warn("%s", a->dir);
		return KB_EXIT_ERR;
	}
	o->repo = repo;
	return 0;
}

int
cmd_watch(int argc, char **argv)
{
	struct wargs a;
	struct kb_config cfg;
	char repo[PATH_MAX], err[1024], *shv[1] = { NULL };
	PGconn *c;
	long slept;
	int rc;

	if ((rc = watch_args(&a, argc, argv)) != 0 ||
	    (rc = watch_check(&a, repo)) != 0)
		return rc;
	if (a.o.cmdv == NULL)
		a.o.cmdv = shv;
	if (kb_config_load(a.conf, &cfg, err, sizeof(err)) == -1) {
		kb_warnx("%s", err);
		return KB_EXIT_ERR;
	}
	a.o.cfg = &cfg;
	if (a.o.threshold < 0)
		a.o.threshold = cfg.threshold;
	runner_catch_signals();
	if ((c = store_connect()) == NULL) {
		kb_config_free(&cfg);
		return KB_EXIT_ERR;
	}
	for (;;) {
		rc = watch_pass(c, &a.o);
		if (a.once || runner_interrupted())
			break;
		for (slept = 0; slept < a.interval && !runner_interrupted();
		    slept++)
			sleep(1);
		if (runner_interrupted())
			break;
	}
	db_close(c);
	kb_config_free(&cfg);
	return runner_interrupted() ? KB_EXIT_ERR : rc;
}
