/*
 * try_ssh.h: kbench try on a real machine over ssh (try_ssh.c).
 */
#ifndef ENGINE_TRY_SSH_H
#define ENGINE_TRY_SSH_H

#include "engine/try.h"

/*
 * The kernel subject on an ssh worker (try_ssh.c): its recipe run over
 * ssh, boots in turns, each verified; exit status.
 */
struct kb_worker;
int	 try_ssh(struct try *, const struct kb_worker *);

#endif /* ENGINE_TRY_SSH_H */
