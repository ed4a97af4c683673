/*
 * try_all.c: kbench try PATCH... --worker all: the same try on every
 * worker, then one table of verdicts, worker by metric.
 *
 * Each worker's try is a child `kbench try ... --worker W`, so a worker
 * that fails (does not build, panics, cannot be reached) ends its own
 * process and nothing else: its column says so and the reason, the
 * child's last complaint, is printed under the table.  The children run
 * one after the other: QEMU guests share this host's CPUs and would
 * time each other, and a real machine's try is mostly its own builds
 * and reboots.  Each child writes what it compared (worker, workload,
 * kernel labels, first run) to a result file; the table is made from
 * the stored samples exactly as each child's own report was.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "output/cmpreport.h"
#include "format/config.h"
#include "lib/util.h"
#include "lib/sample.h"
#include "worker/qemu.h"
#include "lib/spawn.h"
#include "stats/stats.h"
#include "engine/try.h"
#include "engine/try_all.h"
#include "engine/try_report.h"
#include "engine/try_turns.h"

#define MAX_WORKERS	64

/* The QEMU guests kbench has built in, for a config that names none. */
static const char *const builtin_arch[] = {
	"amd64", "arm64", "riscv64", "macppc"
};

struct one {
	char		*worker;
	char		*out, *res;	/* the child's report, its result */
	char		 reason[512];	/* why it failed; "" when it did not */
	int		 status;	/* the child's exit status */
	int		 ok;		/* set is valid */
	char		 line[1024];	/* the result file's line */
	struct try_side	 side;
	struct try_seq	 seq;		/* --until-verdict: its own look */
	struct cmp_set	 set;
};

/*
 * Configured workers that can take a kernel (not local), in the file's
 * order; with none, the built-in qemu-ARCH guests this host can run.
 */
static size_t
pick_workers(const struct kb_config *cfg, struct one *w)
{
	size_t i, n = 0;

	for (i = 0; i < cfg->nworkers && n < MAX_WORKERS; i++)
		if (strcmp(cfg->workers[i].transport, "local") != 0)
			w[n++].worker = kb_strdup(cfg->workers[i].name);
	if (n > 0)
		return n;
	for (i = 0; i < sizeof(builtin_arch) / sizeof(builtin_arch[0]); i++)
		if (qemu_arch_ok(builtin_arch[i], 1))
			w[n++].worker = kb_asprintf("qemu-%s",
			    builtin_arch[i]);
	return n;
}

/*
 * The child's arguments: ours with --worker and --format replaced, the
 * new ones first so that they stay before any `--` and its command;
 * --until-verdict said outright, as it is --worker all's default.
 */
static char **
child_argv(const struct try *t, int argc, char **argv, const char *self,
    const struct one *w)
{
	char **v;
	int i, n = 0;

	v = kb_reallocarray(NULL, argc + 10, sizeof(*v));
	v[n++] = (char *)self;
	v[n++] = "try";
	v[n++] = "--worker";
	v[n++] = w->worker;
	v[n++] = "--format";
	v[n++] = "text";
	v[n++] = "--result-file";
	v[n++] = w->res;
	for (i = 1; t->seq.on && i < argc; i++)
		if (strcmp(argv[i], "--") == 0 ||
		    strcmp(argv[i], "--until-verdict") == 0)
			break;
	if (t->seq.on && (i == argc || strcmp(argv[i], "--") == 0))
		v[n++] = "--until-verdict";
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				v[n++] = argv[i++];
			break;
		}
		if ((strcmp(argv[i], "--worker") == 0 ||
		    strcmp(argv[i], "--format") == 0 ||
		    strcmp(argv[i], "--result-file") == 0) && i + 1 < argc) {
			i++;
			continue;
		}
		if (strncmp(argv[i], "--worker=", 9) == 0 ||
		    strncmp(argv[i], "--format=", 9) == 0 ||
		    strncmp(argv[i], "--result-file=", 14) == 0)
			continue;
		v[n++] = argv[i];
	}
	v[n] = NULL;
	return v;
}

/*
 * The child's warnings (cmd_try.c writes them to RESULT.warn), joined:
 * the first is usually the cause, the rest its detail.
 */
static void
read_reason(struct one *w)
{
	FILE *fp;
	char *path, buf[512], *nl;
	size_t len = 0;

	path = kb_asprintf("%s.warn", w->res);
	fp = fopen(path, "r");
	free(path);
	if (fp == NULL)
		return;
	while (fgets(buf, sizeof(buf), fp) != NULL &&
	    len + 2 < sizeof(w->reason)) {
		if ((nl = strchr(buf, '\n')) != NULL)
			*nl = '\0';
		if (*buf == '\0')
			continue;
		len += snprintf(w->reason + len, sizeof(w->reason) - len,
		    "%s%s", len ? " " : "", buf);
		if (len >= sizeof(w->reason))
			len = sizeof(w->reason) - 1;
	}
	fclose(fp);
}

/*
 * Run one worker's try: stdout to its report file, stderr passed on to
 * ours a line at a time with the worker's name in front (the progress
 * of a long try), the last complaint kept as the reason.
 */
static void
run_one(struct one *w, char **argv)
{
	struct spawn_opts o = { NULL, NULL, SPAWN_KEEP, SPAWN_KEEP,
	    SPAWN_PIPE, 0, 0 };
	FILE *in;
	char buf[1024];
	pid_t pid;
	int rd[2], fd;

	if ((fd = open(w->out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1) {
		snprintf(w->reason, sizeof(w->reason), "%s: %s", w->out,
		    strerror(errno));
		return;
	}
	o.out = fd;
	pid = spawn_start(argv, &o, rd);
	close(fd);
	if (pid == -1) {
		snprintf(w->reason, sizeof(w->reason), "cannot run %s",
		    argv[0]);
		return;
	}
	if ((in = fdopen(rd[1], "r")) == NULL) {
		close(rd[1]);
	} else {
		while (fgets(buf, sizeof(buf), in) != NULL) {
			fprintf(stderr, "%s: %s", w->worker, buf);
			if (strchr(buf, '\n') == NULL)
				fputc('\n', stderr);
		}
		fclose(in);
	}
	w->status = spawn_wait(pid);
	read_reason(w);
}

/* The child's result line, as try_report() wrote it; 0 or -1. */
static int
read_result(struct one *w)
{
	FILE *fp;
	char *f[5], *s, *nl;
	int i;

	if ((fp = fopen(w->res, "r")) == NULL)
		return -1;
	s = fgets(w->line, sizeof(w->line), fp);
	fclose(fp);
	if (s == NULL)
		return -1;
	if ((nl = strchr(w->line, '\n')) != NULL)
		*nl = '\0';
	for (i = 0, s = w->line; i < 5; i++) {
		f[i] = s;
		if (i < 4) {
			if ((s = strchr(s, '\t')) == NULL)
				return -1;
			*s++ = '\0';
		}
	}
	w->side.worker = f[0];
	w->side.wl = f[1];
	w->side.label[0] = f[2];
	w->side.label[1] = f[3];
	w->side.since = strtoll(f[4], NULL, 10);
	return 0;
}

static const char *
short_verdict(enum st_verdict v)
{
	switch (v) {
	case ST_REGRESSION:	return "regr";
	case ST_IMPROVEMENT:	return "impr";
	case ST_NOCHANGE:	return "same";
	case ST_INCONCLUSIVE:	return "?";
	default:		return "n/a";
	}
}

static const char *
seq_short(enum sq_state s)
{
	switch (s) {
	case SQ_REGRESSION:	return "regr";
	case SQ_IMPROVEMENT:	return "impr";
	case SQ_NOCHANGE:	return "same";
	default:		return "?";
	}
}

static const struct cmp_metric *
find_metric(const struct cmp_set *set, enum kb_metric m)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->v[i].m == m)
			return &set->v[i];
	return NULL;
}

/* Padded to the column, but no blanks at the end of a line (mail). */
static void
print_cell(const char *s, size_t width, int last)
{
	if (last)
		fputs(s, stdout);
	else
		printf("%-*s", (int)width, s);
}

/*
 * --until-verdict: the sequential verdict of each worker's try, with
 * the runs (or rounds) a side it took, under compare's rows.
 */
static void
print_seq_row(const struct try *t, struct one *w, size_t n, size_t width)
{
	const struct sq_look *l;
	char cell[64];
	size_t i;

	printf("\nsequential verdict on %s (", kb_metric_name(t->seq.metric));
	if (t->seq.best_of > 1)
		printf("rounds of %ld runs", t->seq.best_of);
	else
		printf("runs");
	printf(" a side):\n%-9s", "verdict");
	for (i = 0; i < n; i++) {
		l = &w[i].seq.look;
		if (!w[i].ok)
			snprintf(cell, sizeof(cell), "failed");
		else if (l->look == 0)
			snprintf(cell, sizeof(cell), "? %d", l->n);
		else if (l->state == SQ_CAP || l->state == SQ_CONTINUE)
			/* Inconclusive at the cap: the spread it had. */
			snprintf(cell, sizeof(cell), "? %d %+.1f..%+.1f%%",
			    l->n, l->w.lo_pct, l->w.hi_pct);
		else
			snprintf(cell, sizeof(cell), "%s %d",
			    seq_short(l->state), l->n);
		print_cell(cell, width, i + 1 == n);
	}
	printf("\n");
}

static void
print_table(const struct try *t, struct one *w, size_t n)
{
	const struct cmp_metric *cm;
	char cell[64];
	size_t i, width = 19;	/* "? 10 -12.5..+20.1%" */
	int m, any;

	for (i = 0; i < n; i++)
		if (strlen(w[i].worker) + 2 > width)
			width = strlen(w[i].worker) + 2;
	printf("kbench try: %zu patch%s on %zu worker%s (%.4g%% confidence, "
	    "changes under %.4g%% are no change)\n\n", t->npatches,
	    t->npatches == 1 ? "" : "es", n, n == 1 ? "" : "s",
	    t->confidence, t->threshold);
	printf("%-9s", "metric");
	for (i = 0; i < n; i++)
		print_cell(w[i].worker, width, i + 1 == n);
	printf("\n%-9s", "n");
	for (i = 0; i < n; i++) {
		if (w[i].ok && w[i].set.n > 0)
			snprintf(cell, sizeof(cell), "%zu/%zu",
			    w[i].set.v[0].na, w[i].set.v[0].nb);
		else
			snprintf(cell, sizeof(cell), "failed");
		print_cell(cell, width, i + 1 == n);
	}
	printf("\n");
	for (m = 0; m < KB_M_COUNT; m++) {
		for (i = 0, any = 0; i < n; i++)
			if (w[i].ok && find_metric(&w[i].set, m) != NULL)
				any = 1;
		if (!any)
			continue;
		printf("%-9s", kb_metric_name(m));
		for (i = 0; i < n; i++) {
			cm = w[i].ok ? find_metric(&w[i].set, m) : NULL;
			if (cm == NULL)
				snprintf(cell, sizeof(cell), "-");
			else if (cm->c.verdict == ST_INSUFFICIENT)
				snprintf(cell, sizeof(cell), "n/a");
			else if (isfinite(cm->c.diff_pct))
				snprintf(cell, sizeof(cell), "%+.1f%% %s",
				    cm->c.diff_pct,
				    short_verdict(cm->c.verdict));
			else	/* from 0: no percentage, the difference */
				snprintf(cell, sizeof(cell), "%+.4g %s",
				    cm->c.diff, short_verdict(cm->c.verdict));
			print_cell(cell, width, i + 1 == n);
		}
		printf("\n");
	}
	if (t->seq.on)
		print_seq_row(t, w, n, width);
	printf("\nregr: regression, impr: improvement, same: no change, "
	    "?: inconclusive\n(more runs needed); base and patched as in "
	    "each worker's report:\n");
	for (i = 0; i < n; i++) {
		if (w[i].ok)
			printf("  %s: %s vs %s, %s\n", w[i].worker,
			    w[i].side.label[0], w[i].side.label[1], w[i].out);
		else
			printf("  %s: failed: %s\n", w[i].worker,
			    w[i].reason);
	}
}

static void
print_json(struct one *w, size_t n)
{
	size_t i;

	printf("{\"workers\": [");
	for (i = 0; i < n; i++) {
		printf("%s\n {\"worker\": ", i ? "," : "");
		cmp_json_string(stdout, w[i].worker);
		printf(", \"ok\": %s, ", w[i].ok ? "true" : "false");
		if (w[i].ok) {
			printf("\"report\": ");
			cmp_json_string(stdout, w[i].out);
			printf(", \"comparison\": ");
			cmp_print_json(stdout, &w[i].set);
			if (w[i].side.seq != NULL)
				try_seq_print(stdout, w[i].side.seq, 1);
		} else {
			printf("\"reason\": ");
			cmp_json_string(stdout, w[i].reason);
		}
		printf("}");
	}
	printf("\n]}\n");
}

int
try_all(struct try *t, int argc, char **argv)
{
	struct kb_config cfg;
	struct one w[MAX_WORKERS];
	char err[1024], stamp[32], *dir, *self, **cv, *logs[2];
	size_t i, n;
	time_t now;
	int rc = KB_EXIT_OK, regr = 0, j;

	if (t->dry_run)
		return kb_usage_error("try", "--dry-run plans one worker: "
		    "give --worker NAME");
	if (t->repo != NULL)
		return kb_usage_error("try", "--repo runs on the local "
		    "worker only");
	if (kb_config_load(NULL, &cfg, err, sizeof(err)) != 0) {
		kb_warnx("%s", err);
		kb_config_free(&cfg);
		return KB_EXIT_ERR;
	}
	memset(w, 0, sizeof(w));
	if ((n = pick_workers(&cfg, w)) == 0) {
		kb_warnx("--worker all: no worker but local in %s, and no "
		    "QEMU installed for a built-in guest (make deps)",
		    *cfg.path ? cfg.path : "the built-in config");
		kb_config_free(&cfg);
		return KB_EXIT_ERR;
	}
	kb_config_free(&cfg);
	now = time(NULL);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", gmtime(&now));
	dir = kb_asprintf("%s/try-all/%s-%ld", kb_home(), stamp,
	    (long)getpid());
	if (kb_mkdirs(dir, 0755) == -1) {
		free(dir);
		return KB_EXIT_ERR;
	}
	self = self_path(NULL);
	for (i = 0; i < n; i++) {
		w[i].out = kb_asprintf("%s/%s.txt", dir, w[i].worker);
		w[i].res = kb_asprintf("%s/%s.result", dir, w[i].worker);
		kb_info("--worker all: %zu of %zu: %s (report in %s)", i + 1,
		    n, w[i].worker, w[i].out);
		cv = child_argv(t, argc, argv, self, &w[i]);
		run_one(&w[i], cv);
		free(cv);
		if (t->seq.on) {
			w[i].seq = t->seq;
			w[i].side.seq = &w[i].seq;
		}
		if ((w[i].status == KB_EXIT_OK ||
		    w[i].status == KB_EXIT_REGRESSION) &&
		    read_result(&w[i]) == 0 &&
		    try_compare(&w[i].side, t->confidence, t->threshold,
		    &w[i].set, logs) == 0) {
			w[i].ok = 1;
			for (j = 0; j < 2; j++)
				free(logs[j]);
			/* As in a worker's own try (try_report()). */
			if (t->seq.on ? w[i].seq.look.state ==
			    SQ_REGRESSION : cmp_any_regression(&w[i].set))
				regr = 1;
		} else if (w[i].reason[0] == '\0')
			snprintf(w[i].reason, sizeof(w[i].reason),
			    "kbench try exited with status %d (%s)",
			    w[i].status, w[i].out);
		if (!w[i].ok)
			rc = KB_EXIT_ERR;
	}
	if (strcmp(t->format, "json") == 0)
		print_json(w, n);
	else
		print_table(t, w, n);
	if (fflush(stdout) == EOF)
		rc = KB_EXIT_ERR;
	if (t->fail_on_regression && regr)
		rc = KB_EXIT_REGRESSION;
	for (i = 0; i < n; i++) {
		if (w[i].ok)
			cmp_free(&w[i].set);
		free(w[i].worker);
		free(w[i].out);
		free(w[i].res);
	}
	free(self);
	free(dir);
	return rc;
}
