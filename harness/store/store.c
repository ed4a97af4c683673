/*
 * store.c: store a live run in the database, or spool it while the
 * database is away and replay it when it answers again.  See store.h.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/util.h"
#include "lib/sample.h"
#include "store/db.h"
#include "store/connect.h"
#include "store/kerneldb.h"
#include "store/portsdb.h"
#include "store/profiledb.h"
#include "store/resume.h"
#include "store/spool.h"
#include "store/store.h"

#define BACKOFF_MIN	1	/* seconds before the first retry */
#define BACKOFF_MAX	30

struct store_run {
	struct spool_run d;
	char		*s[12];		/* the strings d points at */
	char		 start[128];
	int64_t		 id;		/* 0 while only spooled */
	struct spool	*sp;		/* open while it has spooled records */
	long		 spooled;
};

struct store {
	PGconn		**connp;
	time_t		 next_try;
	int		 backoff;
	int		 away;		/* said "spooling" for this outage */
	struct store_run **run;		/* live or spooled */
	size_t		 nrun;
};

static time_t
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* The connection is gone: close it and schedule the first retry. */
static void
drop(struct store *st)
{
	if (*st->connp != NULL)
		db_close(*st->connp);
	*st->connp = NULL;
	st->backoff = BACKOFF_MIN;
	st->next_try = now() + st->backoff;
}

/* Replay one run's spool through the live connection. */
static int
flush(struct store *st, struct store_run *sr)
{
	int64_t id = 0;

	if (sr->sp == NULL)
		return 0;
	if (spool_flush(*st->connp, sr->sp, &id) == -1) {
		if (db_lost(*st->connp))
			drop(st);
		return -1;
	}
	spool_close(sr->sp);
	sr->sp = NULL;
	if (id > 0)
		sr->id = id;
	return 0;
}

/* Back after an outage?  Try when the backoff allows (or force). */
static void
reconnect(struct store *st, int force)
{
	char err[256];
	size_t i;

	if (*st->connp != NULL && !db_lost(*st->connp))
		return;
	if (*st->connp != NULL)
		drop(st);
	if (!force && now() < st->next_try)
		return;
	if ((*st->connp = store_reconnect(err, sizeof(err))) == NULL) {
		st->backoff = st->backoff < BACKOFF_MIN ? BACKOFF_MIN :
		    st->backoff * 2;
		if (st->backoff > BACKOFF_MAX)
			st->backoff = BACKOFF_MAX;
		st->next_try = now() + st->backoff;
		return;
	}
	for (i = 0; i < st->nrun && *st->connp != NULL; i++)
		flush(st, st->run[i]);
	if (*st->connp != NULL && st->away) {
		kb_info("kbench: database back; spooled records stored, "
		    "storing live again");
		st->away = 0;
	}
}

static int
spool_it(struct store *st, struct store_run *sr)
{
	if (sr->sp != NULL)
		return 0;
	if ((sr->sp = spool_open(&sr->d)) == NULL)
		return -1;
	if (!st->away)
		kb_info("kbench: database unreachable; spooling to %s "
		    "(stored when it is back; kbench db status shows it)",
		    spool_path(sr->sp));
	st->away = 1;
	return 0;
}

struct store *
store_attach(PGconn **connp)
{
	struct store *st;

	st = kb_calloc(1, sizeof(*st));
	st->connp = connp;
	resume_mark_stale(*connp);
	return st;
}

struct store *
store_open(PGconn **connp)
{
	struct store *st;

	st = kb_calloc(1, sizeof(*st));
	st->connp = connp;
	if ((*connp = store_connect()) == NULL) {
		drop(st);
		st->away = 0;
		kb_info("kbench: the database is unreachable; the run goes "
		    "on and spools its samples");
	} else
		resume_mark_stale(*connp);
	return st;
}

static char *
dup0(const char *s)
{
	return s != NULL ? kb_strdup(s) : NULL;
}

/* The run's rows, live; -1 when the database failed us. */
static int
create_live(PGconn *c, struct store_run *sr)
{
	const struct spool_run *d = &sr->d;
	struct db_run dr;
	int64_t wid, lid, kid;

	wid = db_worker_id(c, d->worker, d->arch, d->os, d->transport,
	    d->ncpu);
	lid = db_workload_id(c, d->workload);
	kid = db_kernel_id(c, d->kernel);
	if (wid <= 0 || lid <= 0 || kid <= 0)
		return -1;
	memset(&dr, 0, sizeof(dr));
	dr.kernel_id = kid;
	dr.worker_id = wid;
	dr.workload_id = lid;
	dr.ukey = d->ukey;
	dr.source = d->source;
	dr.variant = d->variant;
	dr.state = d->state;
	dr.command = d->command;
	dr.n_planned = d->n_planned;
	if ((sr->id = db_run_create(c, &dr)) <= 0) {
		sr->id = 0;
		return -1;
	}
	return db_run_harness(c, sr->id, d->log_path, d->host, d->pid,
	    d->pid_start);
}

struct store_run *
store_run(struct store *st, const struct spool_run *d)
{
	struct store_run *sr;

	sr = kb_calloc(1, sizeof(*sr));
	sr->d = *d;
	sr->d.ukey = sr->s[0] = dup0(d->ukey);
	sr->d.worker = sr->s[1] = dup0(d->worker);
	sr->d.arch = sr->s[2] = dup0(d->arch);
	sr->d.os = sr->s[3] = dup0(d->os);
	sr->d.transport = sr->s[4] = dup0(d->transport);
	sr->d.workload = sr->s[5] = dup0(d->workload);
	sr->d.kernel = sr->s[6] = dup0(d->kernel);
	sr->d.variant = sr->s[7] = dup0(d->variant);
	sr->d.source = sr->s[8] = dup0(d->source);
	sr->d.state = sr->s[9] = dup0(d->state);
	sr->d.command = sr->s[10] = dup0(d->command);
	sr->d.log_path = sr->s[11] = dup0(d->log_path);
	sr->d.host = resume_host();
	sr->d.pid = (long)getpid();
	if (resume_proc_start(getpid(), sr->start, sizeof(sr->start)) == 0)
		sr->d.pid_start = sr->start;
	else
		sr->d.pid_start = NULL;
	st->run = kb_reallocarray(st->run, st->nrun + 1, sizeof(*st->run));
	st->run[st->nrun++] = sr;

	reconnect(st, 0);
	if (*st->connp != NULL) {
		if (create_live(*st->connp, sr) == 0)
			return sr;
		if (!db_lost(*st->connp))
			return NULL;	/* the database refused: an error */
		drop(st);
	}
	if (spool_it(st, sr) == -1)
		return NULL;
	return sr;
}

int64_t
store_run_id(const struct store_run *sr)
{
	return sr->id;
}

/* Store live now?  Else the record goes to the run's spool. */
static int
live(struct store *st, struct store_run *sr)
{
	reconnect(st, 0);
	return sr->sp == NULL && *st->connp != NULL && sr->id > 0;
}

/* A live statement failed: -1 if the database refused it, else spool. */
static int
lost(struct store *st)
{
	if (!db_lost(*st->connp))
		return -1;
	drop(st);
	return 0;
}

int
store_sample(struct store *st, struct store_run *sr,
    const struct kb_sample *s, const char *dir)
{
	if (live(st, sr)) {
		if (db_sample_insert(*st->connp, sr->id, s) == 0) {
			if (dir != NULL && ports_collect(*st->connp, sr->id,
			    s->rep, dir) == -1 && db_lost(*st->connp)) {
				drop(st);
				if (spool_it(st, sr) == -1 ||
				    spool_ports(sr->sp, s->rep, dir) == -1)
					return -1;
			}
			return 0;
		}
		if (lost(st) == -1)
			return -1;
	}
	if (spool_it(st, sr) == -1 || spool_sample(sr->sp, s) == -1)
		return -1;
	sr->spooled++;
	if (dir != NULL)
		spool_ports(sr->sp, s->rep, dir);
	return 0;
}

int
store_state(struct store *st, struct store_run *sr, const char *state,
    const char *reason)
{
	if (live(st, sr)) {
		if (db_run_state(*st->connp, sr->id, state, reason) == 0)
			return 0;
		if (lost(st) == -1)
			return -1;
	}
	if (spool_it(st, sr) == -1)
		return -1;
	return spool_state(sr->sp, state, reason);
}

int
store_sample_io(struct store *st, struct store_run *sr,
    const struct spool_io *io)
{
	if (live(st, sr)) {
		if (kerneldb_sample_io(*st->connp, sr->id, io->rep,
		    io->read_kib, io->write_kib, io->cached_pre_kib,
		    io->cached_post_kib) == 0)
			return 0;
		if (lost(st) == -1)
			return -1;
	}
	if (spool_it(st, sr) == -1)
		return -1;
	return spool_io(sr->sp, io);
}

int
store_boot(struct store *st, struct store_run *sr,
    const struct spool_boot *b)
{
	if (live(st, sr)) {
		if (kerneldb_run_boot(*st->connp, sr->id, b->accel,
		    b->console_log, b->boot_us, b->tail) == 0)
			return 0;
		if (lost(st) == -1)
			return -1;
	}
	if (spool_it(st, sr) == -1)
		return -1;
	return spool_boot(sr->sp, b);
}

int
store_profile(struct store *st, struct store_run *sr,
    const struct insn_profile *p)
{
	if (live(st, sr)) {
		if (profiledb_store(*st->connp, sr->id, p) == 0)
			return 0;
		if (lost(st) == -1)
			return -1;
	}
	kb_warnx("the database is away: this boot's instruction profile "
	    "(%zu functions) is not kept", p->n);
	return 0;
}

static int
nspooled(const struct store *st)
{
	size_t i;
	int n = 0;

	for (i = 0; i < st->nrun; i++)
		if (st->run[i]->sp != NULL)
			n++;
	return n;
}

int
store_wait(struct store *st, int max_secs)
{
	time_t end = now() + max_secs, said = 0;
	size_t i;
	int n;

	while ((n = nspooled(st)) > 0) {
		reconnect(st, 0);
		/* Back, yet still spooled: a replay the database refused. */
		for (i = 0; i < st->nrun && *st->connp != NULL; i++)
			if (flush(st, st->run[i]) == -1 && *st->connp != NULL)
				return -2;
		if (nspooled(st) == 0)
			break;
		if (now() >= end)
			return -1;
		if (now() - said >= 30) {
			kb_info("kbench: waiting for the database to store %d "
			    "spooled run%s (up to %lld s more)", n,
			    n == 1 ? "" : "s", (long long)(end - now()));
			said = now();
		}
		sleep(1);
	}
	return 0;
}

void
store_tick(struct store *st)
{
	reconnect(st, 0);
}

static void
run_free(struct store_run *sr)
{
	size_t j;

	for (j = 0; j < sizeof(sr->s) / sizeof(sr->s[0]); j++)
		free(sr->s[j]);
	free(sr);
}

void
store_run_done(struct store *st, struct store_run *sr)
{
	size_t i;

	if (sr->sp != NULL)
		return;		/* kept until its spool is stored */
	for (i = 0; i < st->nrun; i++)
		if (st->run[i] == sr) {
			st->run[i] = st->run[--st->nrun];
			run_free(sr);
			return;
		}
}

int
store_close(struct store *st)
{
	struct store_run *sr;
	size_t i;
	int left = 0;

	if (st == NULL)
		return 0;
	for (i = 0; i < st->nrun; i++)
		if (st->run[i]->sp != NULL) {
			reconnect(st, 1);
			break;
		}
	for (i = 0; i < st->nrun; i++) {
		sr = st->run[i];
		if (sr->sp != NULL) {
			left++;
			kb_info("kbench: run %s stays in the spool (%s) until "
			    "the database is back: any kbench command that "
			    "reaches it, or kbench db replay, stores it",
			    sr->d.ukey, spool_path(sr->sp));
			spool_close(sr->sp);
		}
		run_free(sr);
	}
	if (*st->connp != NULL)
		db_close(*st->connp);
	*st->connp = NULL;
	free(st->run);
	free(st);
	return left;
}
