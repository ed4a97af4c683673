/*
 * bisect_repo.h: the repo subject of a bisection (bisect_repo.c).
 */
#ifndef ENGINE_BISECT_REPO_H
#define ENGINE_BISECT_REPO_H

#include <libpq-fe.h>

#include "engine/subject.h"

/*
 * The repo subject (bisect_repo.c).  insn: each repetition's user
 * instructions counted too (--metric insn_user; kbench-agent -i).
 */
struct bisect_subject *bisect_repo_subject(PGconn *, const char *repo,
	    const char *dir, const char *build, char **cmdv,
	    const char *worker, const char *workload, long timeout,
	    int insn);

#endif /* ENGINE_BISECT_REPO_H */
