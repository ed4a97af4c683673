/*
 * bisect_kernel.h: the kernel subject of a bisection (bisect_kernel.c).
 */
#ifndef ENGINE_BISECT_KERNEL_H
#define ENGINE_BISECT_KERNEL_H

#include <libpq-fe.h>

#include "engine/subject.h"

/*
 * The kernel subject (bisect_kernel.c): tree is any kernel git tree
 * (on kbench's base, tag base, or a developer's own); each revision is
 * built and booted on the QEMU worker, the workload (or cmdv, in the
 * guest) timed there.
 */
struct bisect_subject *bisect_kernel_subject(PGconn *, const char *tree,
	    const char *dir, const char *worker, const char *workload,
	    char **cmdv, int icount, long timeout);

#endif /* ENGINE_BISECT_KERNEL_H */
