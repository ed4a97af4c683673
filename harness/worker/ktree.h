/*
 * ktree.h: the kernel source tree, one checkout per OS in
 * $KBENCH_HOME/src/OS.  Each kernel gets a fresh branch kb/<kid12> from
 * the base commit with its patches as commits on it; switching branches
 * rewrites only the files that differ, so make rebuilds only what a
 * patch touched.  A lock file serialises the builds that use it.
 *
 * A user's own tree (--tree DIR) is only read: its kernels are branches
 * of a scratch clone, $KBENCH_HOME/src/tree-<sha256(realpath)[:12]>,
 * made by `git clone --shared --no-checkout`, which borrows DIR's
 * objects and never writes to DIR, its index, HEAD or work tree.
 */
#ifndef KTREE_H
#define KTREE_H

#include <stddef.h>

/*
 * Fetch or update the tree (kernel-src/OS/fetch.sh) and put its base
 * commit in base; 0, or -1 with the reason printed.
 */
int	 ktree_fetch(const char *os, char base[41]);

/*
 * rev in the git tree dir as a full commit id into base; 0, or -1 with
 * the reason printed.
 */
int	 ktree_resolve(const char *dir, const char *rev, char base[41]);

/* The scratch clone of dir, made on first use: its path, or NULL. */
char	*ktree_scratch(const char *dir);

/* Hold path's lock, waiting if need be: the fd to close, or -1. */
int	 ktree_lock(const char *path);

/*
 * Branch kb/<kid12> at the commit base with each patch a commit on it
 * (`git am` for a mail, else `git apply`); 0, or -1 naming the patch
 * and the hunk that failed.
 */
int	 ktree_apply(const char *tree, const char *base,
	    char *const *patches, size_t npatches, const char *kid12,
	    const char *log);

#endif /* KTREE_H */
