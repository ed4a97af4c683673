/*
 * cmd_report.c: kbench report: one comparison, a run against its
 * baseline, or every series, as text for a mail (72 columns), Markdown,
 * CSV, JSON, or a static HTML site.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "format/config.h"
#include "store/db.h"
#include "store/connect.h"
#include "store/knowndb.h"
#include "output/report.h"
#include "output/report_formats.h"
#include "output/pkgcmp.h"
#include "output/pkgrun.h"
#include "output/profcmp.h"
#include "web/site.h"

enum rp_format { F_TEXT, F_MD, F_CSV, F_JSON, F_HTML };

static const char *const fmt_names[] = { "text", "md", "csv", "json",
    "html" };
static const char *const fmt_ext[] = { "txt", "md", "csv", "json", "" };

struct report_opts {
	enum rp_format	 fmt;
	const char	*out, *worker, *workload, *conf;
	int64_t		 run;
	int		 all;
	char		**kernels;
	const struct kb_config *cfg;	/* html: serve.trees' commit links */
};

/* The rule between the sections of a text report, after the first. */
static void
rule(FILE *fp, int after)
{
	if (after)
		fputs("============================================"
		    "============================\n\n", fp);
}

/* The per-package section of two bulk builds, in format f. */
static void
write_packages(FILE *fp, enum rp_format f, const struct pkgcmp *pk,
    size_t n)
{
	switch (f) {
	case F_TEXT:
		rule(fp, n > 0);
		pkgcmp_text(fp, pk);
		break;
	case F_MD:
		fputs("\n## Per package\n\n```\n", fp);
		pkgcmp_text(fp, pk);
		fputs("```\n", fp);
		break;
	case F_CSV:
		if (n > 0)
			fputc('\n', fp);
		pkgcmp_csv(fp, pk);
		break;
	case F_JSON:
		rp_json_put(fp, "packages", pkgcmp_json(pk));
		break;
	case F_HTML:
		break;
	}
}

/* One bulk run's packages (report --run). */
struct runpk {
	int64_t			 run;
	struct pkgdb_row	*v;
	size_t			 n;
};

/* The packages of the run, in format f, after n comparisons. */
static void
write_run_packages(FILE *fp, enum rp_format f, const struct runpk *rp,
    size_t n)
{
	switch (f) {
	case F_TEXT:
		rule(fp, n > 0);
		pkgrun_text(fp, rp->run, rp->v, rp->n);
		break;
	case F_MD:
		fputs("\n## Packages of the run\n\n```\n", fp);
		pkgrun_text(fp, rp->run, rp->v, rp->n);
		fputs("```\n", fp);
		break;
	case F_CSV:
		if (n > 0)
			fputc('\n', fp);
		pkgrun_csv(fp, rp->v, rp->n);
		break;
	case F_JSON:
		rp_json_put(fp, "run_packages", pkgrun_json(rp->v, rp->n));
		break;
	case F_HTML:
		break;
	}
}

/* Where the kernel's instructions went (profiled runs), in format f. */
static void
write_profile(FILE *fp, enum rp_format f, const struct profcmp *pc)
{
	switch (f) {
	case F_TEXT:
		rule(fp, 1);
		profcmp_text(fp, pc);
		break;
	case F_MD:
		profcmp_md(fp, pc);
		break;
	case F_JSON:
		rp_json_put(fp, "profile", profcmp_json(pc));
		break;
	case F_CSV:
	case F_HTML:
		break;
	}
}

static void
write_all(FILE *fp, enum rp_format f, const struct rp_cmp *v, size_t n,
    const struct wd_change *ch, size_t nch, int with_changes,
    const struct pkgcmp *pk, const struct profcmp *pc, const struct runpk *rp)
{
	size_t i;

	if (f == F_CSV && (n > 0 || (pk == NULL && rp == NULL)))
		rp_csv_header(fp);
	if (f == F_JSON)
		fputs("{\"comparisons\": [", fp);
	for (i = 0; i < n; i++) {
		switch (f) {
		case F_TEXT:
			rule(fp, i > 0);
			rp_text(fp, &v[i]);
			fputc('\n', fp);
			break;
		case F_MD:
			rp_md(fp, &v[i]);
			break;
		case F_CSV:
			rp_csv(fp, &v[i]);
			break;
		case F_JSON:
			fputs(i ? ",\n" : "\n", fp);
			rp_json(fp, &v[i]);
			break;
		case F_HTML:
			break;
		}
	}
	if (f == F_JSON)
		fputs("]", fp);
	if (pk != NULL)
		write_packages(fp, f, pk, n);
	if (rp != NULL)
		write_run_packages(fp, f, rp, n);
	if (pc != NULL)
		write_profile(fp, f, pc);
	if (f == F_JSON) {
		if (with_changes) {
			fputs(",\n \"regressions\": ", fp);
			rp_json_changes(fp, ch, nch);
		}
		fputs("}\n", fp);
	} else if (with_changes && f == F_TEXT) {
		if (n == 0)
			fputs("No series has two kernels to compare yet.\n\n",
			    fp);
		rp_text_changes(fp, ch, nch);
	} else if (with_changes && f == F_MD)
		rp_md_changes(fp, ch, nch);
}

/* The comparison a run stands for: its kernel against the baseline. */
static int
run_cmp(PGconn *c, int64_t id, const struct rp_opts *o, struct rp_cmp *rc)
{
	struct wd_run r;
	struct wd_series s;
	char err[512];
	int64_t base = 0;
	int ret = -1;

	if (wd_run(c, id, &r) == -1) {
		kb_warnx("no run %" PRId64, id);
		return -1;
	}
	if (wd_series_load(c, r.worker_id, r.workload_id, KB_M_REAL,
	    &s) == 0) {
		base = wd_baseline(c, &s, r.kernel_id);
		wd_series_free(&s);
	}
	if (base == 0)
		kb_warnx("run %" PRId64 " (kernel %s) has no baseline: no "
		    "parent kernel and none before it in the series", id,
		    r.kernel);
	else if (rp_cmp_load(c, r.worker_id, r.workload_id, base,
	    r.kernel_id, o, rc, err, sizeof(err)) == -1)
		kb_warnx("%s", err);
	else
		ret = 0;
	wd_run_free(&r);
	return ret;
}

/*
 * Two kernels: their comparison into v[0], and, where they have them,
 * their packages and their instruction profiles.  1 with a comparison,
 * 0 with packages only, -1.
 */
static int
load_kernels(PGconn *c, const struct report_opts *ro,
    const struct rp_opts *o, struct rp_cmp *v, struct pkgcmp_loaded *pk,
    int *haspk, struct profcmp *pc, int *haspc)
{
	int64_t wid, lid, ka, kb;
	char err[512];

	if ((wid = db_find_id(c, "worker", ro->worker)) <= 0 ||
	    (lid = db_find_id(c, "workload", ro->workload)) <= 0 ||
	    (ka = db_find_id(c, "kernel", ro->kernels[0])) <= 0 ||
	    (kb = db_find_id(c, "kernel", ro->kernels[1])) <= 0) {
		kb_warnx("worker %s, workload %s, kernels %s and %s: not all "
		    "are in the database", ro->worker, ro->workload,
		    ro->kernels[0], ro->kernels[1]);
		known_warn(c, ro->worker, ro->workload);
		return -1;
	}
	if ((*haspk = pkgcmp_load(c, ro->worker, ro->workload,
	    ro->kernels[0], ro->kernels[1], o->confidence, o->threshold,
	    pk)) == -1)
		return -1;
	/* A profiled try's kernels: the functions that grew most. */
	if ((*haspc = profcmp_load(c, ro->worker, ro->workload,
	    ro->kernels[0], ro->kernels[1], 0, pc)) == -1)
		return -1;
	/* Imported bulk logs have packages, no samples. */
	if (rp_cmp_load(c, wid, lid, ka, kb, o, v, err, sizeof(err)) == 0)
		return 1;
	if (*haspk)
		return 0;
	kb_warnx("%s", err);
	return -1;
}

/* --format html: the static site in ro->out. */
static int
site(PGconn *c, const struct report_opts *ro, const struct rp_opts *o)
{
	struct wp_ctx x;
	long npages;

	memset(&x, 0, sizeof(x));
	x.c = c;
	x.o = *o;
	x.site = ro->out;
	x.fmt = PLOT_SVG;
	x.trees = ro->cfg->trees;
	x.ntrees = ro->cfg->ntrees;
	if (rp_site(&x, &npages) == -1)
		return -1;
	if (!kb_quiet)
		kb_info("wrote %ld pages and %d plots to %s", npages,
		    x.nplots, ro->out);
	return 0;
}

static int
report(PGconn *c, const struct report_opts *ro, const struct rp_opts *o)
{
	struct rp_cmp *v = NULL;
	struct wd_change *ch = NULL;
	struct pkgcmp_loaded pk;
	struct profcmp pc;
	struct runpk rp;
	size_t n = 0, nch = 0;
	char *path = NULL;
	FILE *fp = stdout;
	int rc = -1, haspk = 0, haspc = 0;

	memset(&pk, 0, sizeof(pk));
	memset(&pc, 0, sizeof(pc));
	memset(&rp, 0, sizeof(rp));
	if (ro->fmt == F_HTML)
		return site(c, ro, o);
	if (ro->all) {
		if (rp_cmp_all(c, o, &v, &n) == -1)
			return -1;
		(void)wd_changes(c, 0, 0, 1, &ch, &nch);
	} else {
		v = kb_calloc(1, sizeof(*v));
		if (ro->run != 0) {
			rp.run = ro->run;
			if (pkgdb_run(c, ro->run, &rp.v, &rp.n) == -1)
				goto out;
			/* A bulk run with no baseline yet: its packages. */
			n = run_cmp(c, ro->run, o, &v[0]) == 0;
			if (n == 0 && rp.n == 0)
				goto out;
		} else if ((rc = load_kernels(c, ro, o, v, &pk, &haspk, &pc,
		    &haspc)) == -1)
			goto out;
		else
			n = (size_t)rc;
		rc = -1;
	}
	if (ro->out != NULL) {
		if (kb_mkdirs(ro->out, 0755) == -1)
			goto out;
		path = kb_asprintf("%s/report.%s", ro->out,
		    fmt_ext[ro->fmt]);
		if ((fp = fopen(path, "w")) == NULL) {
			kb_warn("%s", path);
			goto out;
		}
	}
	write_all(fp, ro->fmt, v, n, ch, nch, ro->all, haspk ? &pk.pc : NULL,
	    haspc ? &pc : NULL, rp.n > 0 ? &rp : NULL);
	if (fp != stdout) {
		if (fclose(fp) == EOF)
			kb_warn("%s", path);
		else {
			rc = 0;
			if (!kb_quiet)
				kb_info("wrote %s", path);
		}
	} else if (fflush(stdout) == EOF || ferror(stdout))
		kb_warn("stdout");
	else
		rc = 0;
out:
	free(path);
	rp_cmps_free(v, n == 0 ? 1 : n);
	wd_changes_free(ch, nch);
	if (haspk == 1)
		pkgcmp_unload(&pk);
	if (haspc == 1)
		profcmp_free(&pc);
	pkgdb_rows_free(rp.v, rp.n);
	return rc;
}

int
cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ "worker", required_argument, NULL, 'W' },
		{ "workload", required_argument, NULL, 'L' },
		{ "run", required_argument, NULL, 'r' },
		{ "all", no_argument, NULL, 'a' },
		{ "config", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	struct report_opts ro;
	struct rp_opts o;
	struct kb_config cfg;
	char err[512];
	PGconn *c;
	long id;
	int ch, i, nsel, rc, fmt_set = 0;

	memset(&ro, 0, sizeof(ro));
	memset(&o, 0, sizeof(o));
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			for (i = 0; i <= F_HTML; i++)
				if (strcmp(optarg, fmt_names[i]) == 0)
					break;
			if (i > F_HTML)
				return kb_usage_error("report", "format must "
				    "be text, md, csv, json or html, not %s",
				    optarg);
			ro.fmt = (enum rp_format)i;
			fmt_set = 1;
			break;
		case 'o': ro.out = optarg; break;
		case 'W': ro.worker = optarg; break;
		case 'L': ro.workload = optarg; break;
		case 'a': ro.all = 1; break;
		case 'C': ro.conf = optarg; break;
		case 'r':
			if (kb_parse_long(optarg, 1, INT64_MAX, &id) == -1)
				return kb_usage_error("report", "bad run id "
				    "%s", optarg);
			ro.run = id;
			break;
		default:
			return kb_usage_error("report", "bad option %s",
			    argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;
	(void)fmt_set;
	nsel = ro.all + (ro.run != 0) + (ro.worker != NULL ||
	    ro.workload != NULL || argc > 0);
	if (nsel > 1)
		return kb_usage_error("report", "give one of --all, --run "
		    "or --worker/--workload with two kernels");
	if (ro.fmt == F_HTML && (ro.run != 0 || ro.worker != NULL))
		return kb_usage_error("report", "html is a whole site: "
		    "--all only");
	if (nsel == 0)
		ro.all = 1;
	if (ro.worker != NULL || ro.workload != NULL || argc > 0) {
		if (ro.worker == NULL || ro.workload == NULL || argc != 2)
			return kb_usage_error("report", "--worker W "
			    "--workload L KERNEL_A KERNEL_B");
		ro.kernels = argv;
	} else if (argc > 0)
		return kb_usage_error("report", "unexpected %s", argv[0]);
	if (ro.fmt == F_HTML && ro.out == NULL)
		return kb_usage_error("report", "html needs --out DIR");
	memset(&cfg, 0, sizeof(cfg));
	if (kb_config_load(ro.conf, &cfg, err, sizeof(err)) == -1) {
		kb_warnx("%s", err);
		kb_config_free(&cfg);
		return KB_EXIT_ERR;
	}
	o.confidence = cfg.confidence;
	o.threshold = cfg.threshold;
	ro.cfg = &cfg;
	if ((c = store_connect()) == NULL) {
		kb_config_free(&cfg);
		return KB_EXIT_ERR;
	}
	wd_session(c);
	rc = report(c, &ro, &o);
	db_close(c);
	kb_config_free(&cfg);
	return rc == 0 ? KB_EXIT_OK : KB_EXIT_ERR;
}
