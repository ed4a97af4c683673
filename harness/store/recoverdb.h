/*
 * recoverdb.h: the statements of recovering a run's samples from what
 * its agent printed (engine/recover.c).
 */
#ifndef RECOVERDB_H
#define RECOVERDB_H

#include <stdint.h>

#include <libpq-fe.h>

struct recoverdb_run {
	char	 state[16];
	char	 kid12[13];	/* "" for a kernel kbench did not build */
	int64_t	 samples;	/* stored now */
};

/* 1 with *r filled, 0 when there is no such run, -1 on error. */
int	 recoverdb_run(PGconn *, int64_t run, struct recoverdb_run *r);

#endif /* RECOVERDB_H */
