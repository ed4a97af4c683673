/*
 * try_store.c: a kernel try's rows and boots, stored or spooled.  See
 * try_store.h.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "store/db.h"
#include "store/connect.h"
#include "store/trydb.h"
#include "engine/try_store.h"

int
try_store_open(struct try_store *ts, struct try *t,
    const struct kernel_artifact ka[2])
{
	struct trydb_rows r;
	int i;

	ts->t = t;
	if ((ts->db = store_connect()) == NULL)
		return -1;
	ts->st = store_attach(&ts->db);
	for (i = 0; i < 2; i++)
		if ((ts->kernel_id[i] = kernel_row(ts->db, &ka[i])) == -1)
			return -1;
	if (strcmp(ka[0].kid, ka[1].kid) == 0) {
		kb_warnx("the patch series leaves the kernel unchanged (same "
		    "kernel id %s): nothing to compare", ka[0].kid12);
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.kernel_id[0] = ts->kernel_id[0];
	r.kernel_id[1] = ts->kernel_id[1];
	r.worker = ts->worker;
	r.arch = ts->arch;
	r.os = ts->os;
	r.transport = ts->transport;
	r.ncpu = ts->ncpu;
	r.workload = t->wl;
	if (trydb_open(ts->db, &r) == -1)
		return -1;
	t->label[0] = r.label[0];
	t->label[1] = r.label[1];
	ts->since = r.since;
	return 0;
}

int
try_store_boot(struct try_store *ts, int side, const char *source,
    const char *command, long n_planned, const char *log_path)
{
	struct spool_run d;
	char ukey[33];

	if (ts->run != NULL)
		store_run_done(ts->st, ts->run);
	ts->run = NULL;
	if (kb_randhex(ukey, 16) != 0)
		return -1;
	memset(&d, 0, sizeof(d));
	d.ukey = ukey;
	d.worker = ts->worker;
	d.arch = ts->arch;
	d.os = ts->os;
	d.transport = ts->transport;
	d.ncpu = ts->ncpu;
	d.workload = ts->t->wl;
	d.kernel = ts->t->label[side];
	d.variant = ts->t->label[side];
	d.source = source;
	d.state = "booting";
	d.command = command;
	d.log_path = log_path;
	d.n_planned = (int)n_planned;
	ts->run = store_run(ts->st, &d);
	return ts->run != NULL ? 0 : -1;
}

int
try_store_sample(struct try_store *ts, const struct kb_sample *s,
    const char *pkgs_dir)
{
	return store_sample(ts->st, ts->run, s, pkgs_dir);
}

int
try_store_io(struct try_store *ts, const struct spool_io *io)
{
	return store_sample_io(ts->st, ts->run, io);
}

int
try_store_facts(struct try_store *ts, const struct spool_boot *b)
{
	return store_boot(ts->st, ts->run, b);
}

int
try_store_profile(struct try_store *ts, const struct insn_profile *p)
{
	return store_profile(ts->st, ts->run, p);
}

int
try_store_state(struct try_store *ts, const char *state, const char *reason)
{
	return store_state(ts->st, ts->run, state, reason);
}

int
try_store_finish(struct try_store *ts)
{
	int rc;

	if (ts->st == NULL || (rc = store_wait(ts->st, TRY_STORE_WAIT)) == 0)
		return 0;
	if (rc == -1)
		kb_warnx("the database did not come back within %d minutes",
		    TRY_STORE_WAIT / 60);
	kb_warnx("this try's samples stay in the spool (kbench db status "
	    "shows them); kbench db replay stores them, and then kbench "
	    "compare --worker %s --workload %s '%s' '%s' reports them",
	    ts->worker, ts->t->wl, ts->t->label[0], ts->t->label[1]);
	return -1;
}

void
try_store_close(struct try_store *ts)
{
	if (ts->st != NULL)
		store_close(ts->st);	/* closes ts->db */
	else if (ts->db != NULL)
		db_close(ts->db);
	ts->st = NULL;
	ts->db = NULL;
	ts->run = NULL;
}
