/*
 * try_report.c: the end of every kbench try: the two sides' stored
 * samples compared as kbench compare does, printed as text or JSON,
 * and the exit status (see try_report.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "lib/sample.h"
#include "output/cmpreport.h"
#include "output/pkgcmp.h"
#include "output/profcmp.h"
#include "output/report_formats.h"
#include "store/db.h"
#include "store/connect.h"
#include "store/trydb.h"
#include "engine/try.h"
#include "engine/try_turns.h"
#include "engine/try_report.h"
#include "engine/try_request.h"

/* The samples of this try's run of one variant, and where its logs are. */
static int
load(PGconn *c, const struct try_side *ts, int i, struct kb_sampleset *ss,
    char **logs)
{
	return trydb_samples(c, ts->worker, ts->wl, ts->label[i], ts->since,
	    ss, logs);
}

int
try_compare(const struct try_side *ts, double confidence, double threshold,
    struct cmp_set *set, char *logs[2])
{
	struct kb_sampleset ss[2];
	char err[256];
	PGconn *c;
	int i, rc = -1;

	memset(ss, 0, sizeof(ss));
	logs[0] = logs[1] = NULL;
	if ((c = store_connect()) == NULL)
		return -1;
	for (i = 0; i < 2; i++)
		if (load(c, ts, i, &ss[i], &logs[i]) == -1)
			goto out;
	if (cmp_build(set, &ss[0], &ss[1], ts->label[0], ts->label[1],
	    confidence, threshold, CMP_ALL, err, sizeof(err)) == -1) {
		kb_warnx("%s", err);
		goto out;
	}
	/* The stored samples in the order taken: the test's own verdict. */
	if (ts->seq != NULL)
		try_seq_look(ts->seq, ss);
	rc = 0;
out:
	for (i = 0; i < 2; i++)
		kb_ss_free(&ss[i]);
	if (rc == -1)
		for (i = 0; i < 2; i++) {
			free(logs[i]);
			logs[i] = NULL;
		}
	db_close(c);
	return rc;
}

/*
 * For try_all.c: what this try compared, one tab-separated line, so the
 * parent can read the same samples back for its table.
 */
static int
write_result(const struct try *t, int64_t since)
{
	FILE *fp;

	if ((fp = fopen(t->result, "w")) == NULL) {
		kb_warn("%s", t->result);
		return -1;
	}
	fprintf(fp, "%s\t%s\t%s\t%s\t%" PRId64 "\n", t->worker, t->wl,
	    t->label[0], t->label[1], since);
	if (fclose(fp) == EOF) {
		kb_warn("%s", t->result);
		return -1;
	}
	return 0;
}

/* --profile: the functions that grew most, as text or a JSON member. */
static void
print_profile(const struct try *t, int64_t since, int json)
{
	struct profcmp pc;
	PGconn *c;
	int rc;

	if ((c = store_connect()) == NULL)
		return;
	rc = profcmp_load(c, t->worker, t->wl, t->label[0], t->label[1],
	    since, &pc);
	db_close(c);
	if (rc != 1) {
		if (rc == 0)
			kb_warnx("--profile: no instruction profile of both "
			    "kernels in this try (is the worker's guest "
			    "under TCG, with bin/kbench-insn.so?)");
		return;
	}
	if (json)
		rp_json_put(stdout, "profile", profcmp_json(&pc));
	else {
		putchar('\n');
		profcmp_text(stdout, &pc);
	}
	profcmp_free(&pc);
}

/*
 * A bulk workload: kbench compare's per-package section, of every run
 * of the two kernels on this worker and workload (a kernel's label
 * names its build, so earlier runs are of the same kernels).
 */
static void
print_packages(const struct try *t, int json)
{
	struct pkgcmp_loaded pk;
	PGconn *c;
	int rc;

	if ((c = store_connect()) == NULL)
		return;
	rc = pkgcmp_load(c, t->worker, t->wl, t->label[0], t->label[1],
	    t->confidence, t->threshold, &pk);
	db_close(c);
	if (rc != 1)
		return;
	if (json)
		rp_json_put(stdout, "packages", pkgcmp_json(&pk.pc));
	else {
		putchar('\n');
		pkgcmp_text(stdout, &pk.pc);
	}
	pkgcmp_unload(&pk);
}

int
try_report(struct try *t, int64_t since)
{
	struct try_side ts;
	struct cmp_set set;
	char *logs[2];
	int i, rc, regr;

	ts.worker = t->worker;
	ts.wl = t->wl;
	ts.label[0] = t->label[0];
	ts.label[1] = t->label[1];
	ts.since = since;
	ts.seq = t->seq.on ? &t->seq : NULL;
	if (try_compare(&ts, t->confidence, t->threshold, &set, logs) == -1)
		return KB_EXIT_ERR;
	try_request_verdict(t, &set);
	if (strcmp(t->format, "json") == 0) {
		cmp_print_json_open(stdout, &set);
		if (ts.seq != NULL)
			try_seq_print(stdout, ts.seq, 1);
		print_packages(t, 1);
		if (t->profile)
			print_profile(t, since, 1);
		fputs("}\n", stdout);
	} else {
		cmp_print_text(stdout, &set, 0);
		if (ts.seq != NULL) {
			putchar('\n');
			try_seq_print(stdout, ts.seq, 0);
		}
		print_packages(t, 0);
		if (t->profile)
			print_profile(t, since, 0);
		printf("\nlogs: %s\n      %s\n", logs[0] ? logs[0] : "-",
		    logs[1] ? logs[1] : "-");
	}
	/*
	 * With --until-verdict the sequential verdict is the one that
	 * counts: compare's other metrics, after as few as 3 runs a side,
	 * are a dozen tests at once and flag noise.
	 */
	if (ts.seq != NULL)
		regr = ts.seq->look.state == SQ_REGRESSION;
	else
		regr = cmp_any_regression(&set);
	rc = t->fail_on_regression && regr ? KB_EXIT_REGRESSION : KB_EXIT_OK;
	if (t->result != NULL && write_result(t, since) == -1)
		rc = KB_EXIT_ERR;
	cmp_free(&set);
	for (i = 0; i < 2; i++)
		free(logs[i]);
	return rc;
}
