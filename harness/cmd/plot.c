/*
 * cmd_plot.c: kbench plot: a series' history, a comparison, or the
 * overview of one architecture and workload, drawn by gnuplot as SVG
 * or PNG.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "output/cmpreport.h"
#include "format/config.h"
#include "store/db.h"
#include "store/connect.h"
#include "lib/suggest.h"
#include "lib/util.h"
#include "lib/sample.h"
#include "output/plot.h"
#include "store/knowndb.h"
#include "store/webdata.h"

struct plot_opts {
	const char	*worker, *workload, *arch, *out;
	enum kb_metric	 metric;
	enum plot_fmt	 fmt;
	int		 fmt_set, metric_set;
};

static int
ids(PGconn *c, const struct plot_opts *o, int64_t *wid, int64_t *lid)
{
	if ((*wid = db_find_id(c, "worker", o->worker)) <= 0 ||
	    (*lid = db_find_id(c, "workload", o->workload)) <= 0) {
		kb_warnx("no worker %s with workload %s", o->worker,
		    o->workload);
		known_warn(c, o->worker, o->workload);
		return -1;
	}
	return 0;
}

static int
history(PGconn *c, const struct plot_opts *o)
{
	struct wd_series s;
	struct wd_change *ch;
	size_t nch;
	int64_t wid, lid;
	int rc;

	if (ids(c, o, &wid, &lid) == -1 ||
	    wd_series_load(c, wid, lid, o->metric, &s) == -1)
		return -1;
	if (wd_changes(c, wid, lid, 0, &ch, &nch) == -1) {
		ch = NULL;
		nch = 0;
	}
	rc = plot_history(&s, ch, nch, o->fmt, o->out);
	wd_changes_free(ch, nch);
	wd_series_free(&s);
	return rc;
}

static int
compare(PGconn *c, const struct plot_opts *o, char **k)
{
	struct kb_sampleset ss[2];
	struct cmp_set set;
	struct kb_config cfg;
	char err[512], *title;
	int i, rc = -1;

	memset(ss, 0, sizeof(ss));
	memset(&cfg, 0, sizeof(cfg));
	if (kb_config_load(NULL, &cfg, err, sizeof(err)) == -1) {
		kb_warnx("%s", err);
		return -1;
	}
	for (i = 0; i < 2; i++)
		if (db_samples_load(c, o->worker, o->workload, k[i],
		    &ss[i]) <= 0) {
			kb_warnx("no samples for kernel %s on worker %s, "
			    "workload %s", k[i], o->worker, o->workload);
			known_warn(c, o->worker, o->workload);
			goto out;
		}
	/* Without --metric: real, user and sys, one panel each. */
	if (cmp_build(&set, &ss[0], &ss[1], k[0], k[1], cfg.confidence,
	    cfg.threshold, o->metric_set ? CMP_METRIC(o->metric) : CMP_ALL,
	    err, sizeof(err)) == -1) {
		kb_warnx("%s", err);
		goto out;
	}
	title = kb_asprintf("%s on %s", o->workload, o->worker);
	rc = plot_compare(&set, title, o->fmt, o->out);
	free(title);
	cmp_free(&set);
out:
	kb_ss_free(&ss[0]);
	kb_ss_free(&ss[1]);
	kb_config_free(&cfg);
	return rc;
}

static int
overview(PGconn *c, const struct plot_opts *o)
{
	struct wd_pair *p;
	struct wd_series *s;
	size_t np, i, ns = 0;
	char *title;
	int rc = -1;

	if (wd_pairs(c, &p, &np) == -1)
		return -1;
	s = kb_calloc(np + 1, sizeof(*s));
	for (i = 0; i < np; i++) {
		if (strcmp(p[i].arch, o->arch) != 0 ||
		    strcmp(p[i].workload, o->workload) != 0)
			continue;
		if (wd_series_load(c, p[i].worker_id, p[i].workload_id,
		    o->metric, &s[ns]) == 0)
			ns++;
	}
	if (ns == 0)
		kb_warnx("no series of workload %s on %s", o->workload,
		    o->arch);
	else {
		title = kb_asprintf("%s on %s: %s", o->workload, o->arch,
		    kb_metric_name(o->metric));
		rc = plot_overview(s, ns, title, o->fmt, o->out);
		free(title);
	}
	for (i = 0; i < ns; i++)
		wd_series_free(&s[i]);
	free(s);
	wd_pairs_free(p, np);
	return rc;
}

static const char *const plots[] = { "history", "compare", "overview" };
#define NPLOTS (sizeof(plots) / sizeof(plots[0]))

int
cmd_plot(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "worker", required_argument, NULL, 'W' },
		{ "workload", required_argument, NULL, 'L' },
		{ "arch", required_argument, NULL, 'a' },
		{ "metric", required_argument, NULL, 'm' },
		{ "format", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	struct plot_opts o;
	const char *what, *dot;
	PGconn *c;
	int ch, rc;

	memset(&o, 0, sizeof(o));
	o.metric = KB_M_REAL;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'W': o.worker = optarg; break;
		case 'L': o.workload = optarg; break;
		case 'a': o.arch = optarg; break;
		case 'o': o.out = optarg; break;
		case 'm':
			if (kb_metric_parse(optarg, &o.metric) == -1)
				return cmd_unknown_metric("plot", optarg);
			o.metric_set = 1;
			break;
		case 'f':
			if (plot_fmt_parse(optarg, &o.fmt) == -1)
				return kb_usage_error("plot",
				    "format must be svg or png, not %s",
				    optarg);
			o.fmt_set = 1;
			break;
		default:
			return kb_usage_error("plot", "bad option %s",
			    argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return kb_unknown("plot", "plot", NULL, plots, NPLOTS);
	what = argv[0];
	if (o.out == NULL)
		return kb_usage_error("plot", "--out FILE is required");
	if (!o.fmt_set && (dot = strrchr(o.out, '.')) != NULL &&
	    plot_fmt_parse(dot + 1, &o.fmt) == -1)
		o.fmt = PLOT_SVG;
	if (strcmp(what, "overview") == 0) {
		if (o.arch == NULL || o.workload == NULL || argc != 1)
			return kb_usage_error("plot", "overview needs --arch "
			    "and --workload");
	} else if (strcmp(what, "history") == 0) {
		if (o.worker == NULL || o.workload == NULL || argc != 1)
			return kb_usage_error("plot", "history needs "
			    "--worker and --workload");
	} else if (strcmp(what, "compare") == 0) {
		if (o.worker == NULL || o.workload == NULL || argc != 3)
			return kb_usage_error("plot", "compare needs "
			    "--worker, --workload and two kernels");
	} else
		return kb_unknown("plot", "plot", what, plots, NPLOTS);
	if ((c = store_connect()) == NULL)
		return KB_EXIT_ERR;
	if (strcmp(what, "overview") == 0)
		rc = overview(c, &o);
	else if (strcmp(what, "history") == 0)
		rc = history(c, &o);
	else
		rc = compare(c, &o, argv + 1);
	db_close(c);
	if (rc == 0 && !kb_quiet)
		kb_info("wrote %s", o.out);
	return rc == 0 ? KB_EXIT_OK : KB_EXIT_ERR;
}
