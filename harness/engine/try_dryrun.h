/*
 * try_dryrun.h: kbench try --dry-run (try_dryrun.c).
 */
#ifndef ENGINE_TRY_DRYRUN_H
#define ENGINE_TRY_DRYRUN_H

#include "engine/try.h"

/*
 * --dry-run: print every command a real (ssh) worker would run for the
 * patches, in order, from configs/recipes/OS.conf; runs nothing.
 */
int	 try_dry_run(struct try *);

#endif /* ENGINE_TRY_DRYRUN_H */
