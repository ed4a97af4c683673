/*
 * cmd_compare.c: kbench compare, ministat(1) with p-values and a
 * verdict, over two timing logs or two kernels' samples in the store.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "output/cmpreport.h"
#include "output/pkgcmp.h"
#include "output/profcmp.h"
#include "output/report_formats.h"
#include "store/db.h"
#include "store/connect.h"
#include "store/knowndb.h"
#include "lib/util.h"
#include "lib/sample.h"
#include "format/config.h"
#include "format/timeparse.h"

enum { OPT_THRESHOLD = 256, OPT_FORMAT, OPT_METRIC, OPT_PLOT, OPT_FAIL,
	OPT_WORKER, OPT_WORKLOAD, OPT_PROFILE };

static const struct option longopts[] = {
	{ "confidence",		required_argument, NULL, 'c' },
	{ "threshold",		required_argument, NULL, OPT_THRESHOLD },
	{ "format",		required_argument, NULL, OPT_FORMAT },
	{ "metric",		required_argument, NULL, OPT_METRIC },
	{ "plot",		no_argument,	   NULL, OPT_PLOT },
	{ "fail-on-regression",	no_argument,	   NULL, OPT_FAIL },
	{ "worker",		required_argument, NULL, OPT_WORKER },
	{ "workload",		required_argument, NULL, OPT_WORKLOAD },
	{ "profile",		no_argument,	   NULL, OPT_PROFILE },
	{ NULL,			0,		   NULL, 0 }
};

/* A number, optionally followed by '%'; -1 if not one. */
static int
parse_double(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0 || !isfinite(v))
		return -1;
	if (*end == '%')
		end++;
	if (*end != '\0')
		return -1;
	*out = v;
	return 0;
}

/* "real,sys" into a mask; -1 naming the bad one in *bad. */
static int
parse_metrics(const char *arg, unsigned *mask, char *bad, size_t badlen)
{
	char *list, *p, *tok;
	enum kb_metric m;
	int rc = 0;

	list = kb_strdup(arg);
	for (p = list; (tok = strsep(&p, ",")) != NULL;) {
		if (*tok == '\0')
			continue;
		if (kb_metric_parse(tok, &m) == -1) {
			snprintf(bad, badlen, "%s", tok);
			rc = -1;
			break;
		}
		*mask |= CMP_METRIC(m);
	}
	free(list);
	if (rc == 0 && *mask == 0) {
		snprintf(bad, badlen, "%s", arg);
		rc = -1;
	}
	return rc;
}

static int
read_file(const char *name, struct kb_sampleset *ss)
{
	char err[512];
	FILE *fp;
	int rc;

	if (strcmp(name, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(name, "r")) == NULL) {
		kb_warn("%s", name);
		return -1;
	}
	rc = tp_parse(fp, fp == stdin ? "<stdin>" : name, ss, err,
	    sizeof(err));
	if (fp != stdin)
		fclose(fp);
	if (rc < 0) {
		kb_warnx("%s", err);
		return -1;
	}
	return 0;
}

/*
 * Both kernels' samples and, for a bulk build, their packages (*pk, 1
 * in *haspk).  Imported bulk logs have packages and no samples.
 */
static int
load_db(const char *worker, const char *workload, char **kernels,
    double conf, double thr, struct kb_sampleset ss[2],
    struct pkgcmp_loaded *pk, int *haspk)
{
	PGconn *c;
	int i, rc = 0;

	if ((c = store_connect()) == NULL)
		return -1;
	if ((*haspk = pkgcmp_load(c, worker, workload, kernels[0],
	    kernels[1], conf, thr, pk)) == -1) {
		db_close(c);
		return -1;
	}
	for (i = 0; i < 2 && rc == 0; i++) {
		if (db_samples_load(c, worker, workload, kernels[i],
		    &ss[i]) == -1)
			rc = -1;
		else if (ss[i].n == 0 && *haspk && ss[0].n == 0)
			continue;	/* packages only */
		else if (ss[i].n == 0) {
			kb_warnx("no samples for kernel %s on worker %s, "
			    "workload %s", kernels[i], worker, workload);
			known_warn(c, worker, workload);
			rc = -1;
		}
	}
	db_close(c);
	return rc;
}

/* What the command line asked for. */
struct cmp_opts {
	const char	*worker, *workload;
	double		 conf, thr;
	unsigned	 mask;
	int		 json, plot, failreg, profile;
};

/* One getopt option into o; 0, or the usage error's exit status. */
static int
compare_opt(struct cmp_opts *o, int ch, const char *arg, const char *cur)
{
	char err[512];

	switch (ch) {
	case 'c':
		if (parse_double(arg, &o->conf) == -1 ||
		    !st_confidence_ok(o->conf))
			return kb_usage_error("compare",
			    "confidence must be one of 80 90 95 98 99 "
			    "99.5, not %s", arg);
		break;
	case OPT_THRESHOLD:
		if (parse_double(arg, &o->thr) == -1 || o->thr < 0)
			return kb_usage_error("compare",
			    "threshold must be a percentage >= 0, "
			    "not %s", arg);
		break;
	case OPT_FORMAT:
		if (strcmp(arg, "json") == 0)
			o->json = 1;
		else if (strcmp(arg, "text") == 0)
			o->json = 0;
		else
			return kb_usage_error("compare",
			    "format must be text or json, not %s", arg);
		break;
	case OPT_METRIC:
		if (parse_metrics(arg, &o->mask, err, sizeof(err)) == -1)
			return cmd_unknown_metric("compare", err);
		break;
	case OPT_PLOT:
		o->plot = 1;
		break;
	case OPT_FAIL:
		o->failreg = 1;
		break;
	case OPT_WORKER:
		o->worker = arg;
		break;
	case OPT_WORKLOAD:
		o->workload = arg;
		break;
	case OPT_PROFILE:
		o->profile = 1;
		break;
	case ':':
		return kb_usage_error("compare",
		    "option %s needs an argument", cur);
	default:
		return kb_usage_error("compare", "unknown option %s", cur);
	}
	return 0;
}

/* The two operands: files, or kernels with --worker and --workload. */
static int
check_operands(const struct cmp_opts *o, int argc, char **argv)
{
	if (argc != 2)
		return kb_usage_error("compare", "two %s expected, got %d",
		    o->worker || o->workload ? "kernels" : "files", argc);
	if ((o->worker == NULL) != (o->workload == NULL))
		return kb_usage_error("compare",
		    "--worker and --workload go together");
	if (o->worker == NULL && strcmp(argv[0], "-") == 0 &&
	    strcmp(argv[1], "-") == 0)
		return kb_usage_error("compare",
		    "standard input (-) can be read only once");
	return 0;
}

/* Both sample sets, from the store or from the two files. */
static int
load_samples(const struct cmp_opts *o, char **argv,
    struct kb_sampleset ss[2], struct pkgcmp_loaded *pk, int *haspk)
{
	int i;

	if (o->worker != NULL)
		return load_db(o->worker, o->workload, argv, o->conf, o->thr,
		    ss, pk, haspk);
	for (i = 0; i < 2; i++)
		if (read_file(argv[i], &ss[i]) == -1)
			return -1;
	return 0;
}

/* The per-package section alone, or after the samples' comparison. */
static void
print_packages(const struct cmp_opts *o, const struct pkgcmp *pc,
    int after)
{
	json_t *j;

	if (!o->json) {
		if (after)
			fputc('\n', stdout);
		pkgcmp_text(stdout, pc);
		return;
	}
	fputs(after ? ",\n \"packages\": " : "{\"packages\": ", stdout);
	j = pkgcmp_json(pc);
	json_dumpf(j, stdout, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	json_decref(j);
	fputs("}\n", stdout);
}

/* Compare, print the report; the command's exit status. */
static int
report(const struct cmp_opts *o, char **argv, struct kb_sampleset ss[2],
    const struct pkgcmp *pk)
{
	struct cmp_set set;
	char err[512];
	int rc;

	if (ss[0].n == 0 && pk != NULL) {
		print_packages(o, pk, 0);
		return fflush(stdout) == EOF || ferror(stdout) ?
		    KB_EXIT_ERR : KB_EXIT_OK;
	}
	if (cmp_build(&set, &ss[0], &ss[1],
	    strcmp(argv[0], "-") == 0 && o->worker == NULL ? "<stdin>" :
	    argv[0],
	    strcmp(argv[1], "-") == 0 && o->worker == NULL ? "<stdin>" :
	    argv[1],
	    o->conf, o->thr, o->mask, err, sizeof(err)) == -1) {
		kb_warnx("%s", err);
		return KB_EXIT_ERR;
	}
	if (o->json && pk != NULL)
		cmp_print_json_open(stdout, &set);
	else if (o->json)
		cmp_print_json(stdout, &set);
	else
		cmp_print_text(stdout, &set, o->plot ? CMP_PLOT : 0);
	if (pk != NULL)
		print_packages(o, pk, 1);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		kb_warn("stdout");
		rc = KB_EXIT_ERR;
	} else if (o->failreg && cmp_any_regression(&set))
		rc = KB_EXIT_REGRESSION;
	else
		rc = KB_EXIT_OK;
	cmp_free(&set);
	return rc;
}

/*
 * --profile: the kernel functions whose instruction counts grew most
 * from the first kernel to the second, over their profiled runs.
 */
static int
compare_profile(const struct cmp_opts *o, char **argv)
{
	struct profcmp pc;
	PGconn *c;
	int rc;

	if (o->worker == NULL)
		return kb_usage_error("compare", "--profile compares two "
		    "kernels in the store: give --worker and --workload");
	if ((c = store_connect()) == NULL)
		return KB_EXIT_ERR;
	if ((rc = profcmp_load(c, o->worker, o->workload, argv[0], argv[1],
	    0, &pc)) != 1) {
		if (rc == 0)
			kb_warnx("no instruction profile of both kernels %s "
			    "and %s on worker %s, workload %s (kbench try "
			    "--profile makes them)", argv[0], argv[1],
			    o->worker, o->workload);
		db_close(c);
		return KB_EXIT_ERR;
	}
	if (o->json) {
		rp_json_put(stdout, NULL, profcmp_json(&pc));
		fputc('\n', stdout);
	} else
		profcmp_text(stdout, &pc);
	profcmp_free(&pc);
	db_close(c);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		kb_warn("stdout");
		return KB_EXIT_ERR;
	}
	return KB_EXIT_OK;
}

int
cmd_compare(int argc, char **argv)
{
	struct kb_sampleset ss[2];
	struct pkgcmp_loaded pk;
	struct cmp_opts o;
	int ch, rc, haspk = 0;

	memset(&o, 0, sizeof(o));
	/* The defaults of kbench.conf's compare group: one rule. */
	o.conf = KB_CONF_CONFIDENCE;
	o.thr = KB_CONF_THRESHOLD;
	o.mask = CMP_ALL;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:", longopts, NULL)) != -1)
		if ((rc = compare_opt(&o, ch, optarg,
		    argv[optind - 1])) != 0)
			return rc;
	argc -= optind;
	argv += optind;
	if ((rc = check_operands(&o, argc, argv)) != 0)
		return rc;
	if (o.profile)
		return compare_profile(&o, argv);

	memset(ss, 0, sizeof(ss));
	memset(&pk, 0, sizeof(pk));
	if (load_samples(&o, argv, ss, &pk, &haspk) == -1)
		rc = KB_EXIT_ERR;
	else
		rc = report(&o, argv, ss, haspk ? &pk.pc : NULL);
	if (haspk)
		pkgcmp_unload(&pk);
	kb_ss_free(&ss[0]);
	kb_ss_free(&ss[1]);
	return rc;
}
