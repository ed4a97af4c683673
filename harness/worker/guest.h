/*
 * guest.h: what every command that boots kernels on a QEMU worker
 * needs before its first boot: the worker (configured, or qemu-ARCH
 * built in), the workload as the guest's shell runs it, and the guest
 * image.  kbench bisect's kernel subject uses it; kbench try's kernel
 * path has its own copy for now (try_kernel.c).
 */
#ifndef GUEST_H
#define GUEST_H

#include "format/config.h"

struct guest {
	char	*worker;	/* the name runs are stored under */
	char	*arch;
	int	 smp;		/* 0: the arch's default */
	char	*wl;		/* workload label */
	char	*cmd;		/* the timed sh -c string */
	char	*setup, *cleanup; /* or NULL */
	long	 warmup, timeout;
	char	*image;		/* base image, made when missing */
};

/* name NULL: qemu-amd64.  0, or -1 with the reason printed. */
int	 guest_worker(struct guest *, const struct kb_config *,
	    const char *name);
/*
 * A workload name (NULL: libc-small; vm-small on macppc, whose image
 * has no compiler) or a command; after guest_worker.  0 or -1.
 */
int	 guest_workload(struct guest *, const struct kb_config *,
	    const char *workload, char **cmdv);
/* The guest image for g->arch, made when missing; 0 or -1. */
int	 guest_image(struct guest *);
void	 guest_free(struct guest *);

/*
 * A recipe step as the guest's sh runs it: cd "DIR" && STEP; dir may
 * only hold path characters and $NAME (guest_dir_ok).
 */
char	*guest_in_dir(const char *dir, const char *step);
int	 guest_dir_ok(const char *dir);

#endif /* GUEST_H */
