/*
 * try_kernel.h: kbench try of a kernel patch on a QEMU worker (try_kernel.c).
 */
#ifndef ENGINE_TRY_KERNEL_H
#define ENGINE_TRY_KERNEL_H

#include "engine/try.h"

/* The kernel subject: build, boot interleaved, report; exit status. */
int	 try_kernel(struct try *);

#endif /* ENGINE_TRY_KERNEL_H */
