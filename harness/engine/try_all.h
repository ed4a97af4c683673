/*
 * try_all.h: kbench try --worker all (try_all.c).
 */
#ifndef ENGINE_TRY_ALL_H
#define ENGINE_TRY_ALL_H

#include "engine/try.h"

/*
 * --worker all: the same try on every configured worker, one after the
 * other, then one table of verdicts (worker x metric); argv as
 * cmd_try() got it.  The exit status.
 */
int	 try_all(struct try *, int argc, char **argv);

#endif /* ENGINE_TRY_ALL_H */
