/*
 * queue.h: the queue runner (queue.c): per-patch requests (POST
 * /api/try, kbench try --queue) executed one at a time per worker,
 * each as `kbench try` would run it.
 */
#ifndef ENGINE_QUEUE_H
#define ENGINE_QUEUE_H

#include <libpq-fe.h>

#define QUEUE_MAX_JOBS	8

struct queue_opts {
	int	 once;		/* exit when the queue is empty and idle */
	int	 jobs;		/* requests at once (each on its own worker) */
	long	 poll;		/* seconds between looks at the queue */
};

/* Run the queue until a signal (or, with once, until it is empty). */
int	queue_run(PGconn *, const struct queue_opts *);

#endif /* ENGINE_QUEUE_H */
