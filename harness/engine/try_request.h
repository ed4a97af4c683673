/*
 * try_request.h: a try run for a queued request (kbench try --request
 * ID, started by the queue runner) tells the request where it is and
 * what it found (try_request.c).
 */
#ifndef ENGINE_TRY_REQUEST_H
#define ENGINE_TRY_REQUEST_H

#include "engine/try.h"
#include "output/cmpreport.h"

/* building, booting, running: best effort (a try goes on without it). */
void	try_request_state(const struct try *, const char *state);
/* The verdict, one "metric verdict diff" line per metric. */
void	try_request_verdict(const struct try *, const struct cmp_set *);

#endif /* ENGINE_TRY_REQUEST_H */
