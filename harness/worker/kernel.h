/*
 * kernel.h: a kernel is a base tree plus an ordered patch series, built
 * for one arch with a fixed config by one compiler.  Its id (kid) is
 * the SHA-256 of all of that (kid.h: os, arch, the base commit, the
 * first line of `CC --version`, each config fragment's CONFIG_ lines,
 * each patch), so a built kernel is found again by what went into it.
 *
 * The base tree is kbench's own (kernel-src/OS/fetch.sh, one commit
 * tagged base), or with --tree any local git tree at a revision
 * (--base, default HEAD): its patches are applied in a scratch clone
 * ($KBENCH_HOME/src/tree-<hash of its path>, `git clone --shared`),
 * never in the user's checkout.
 *
 * Patch file names are not hashed (a renamed patch is the same kernel);
 * their order and contents are.  Artifacts live in
 * $KBENCH_HOME/kernels/<kid>/: the image, .config, build.log, and
 * kernel.info (key=value lines: kid, label, release, base, arch, cc,
 * tree, build_secs, image).  The release (uname -r) carries "-kb<kid12>", so a
 * booted guest proves which kernel it runs.
 */
#ifndef KERNEL_H
#define KERNEL_H

#include <stddef.h>
#include <stdint.h>

struct kernel_spec {
	const char	 *os;		/* "linux" */
	const char	 *arch;		/* "amd64" */
	char		**patches;	/* patch files, in order */
	size_t		  npatches;
	char		**fragments;	/* extra fragments */
	size_t		  nfragments;
	int		  jobs;		/* make -j; 0: online CPUs */
	int		  force;	/* rebuild even if cached */
	int		  fetch_only;	/* only fetch, hash */
	int		  apply_only;	/* hash, apply the patches, no make */
	const char	 *tree;		/* a local git tree, or NULL: kbench's */
	const char	 *rev;		/* its revision; NULL: HEAD */
	const char	 *cc;		/* the compiler, or NULL: ARCH's gcc */
};

struct kernel_artifact {
	char	 kid[65];
	char	 kid12[13];
	char	 base[41];	/* base commit of the tree */
	char	*dir;		/* $KBENCH_HOME/kernels/<kid> */
	char	*image;		/* dir/bzImage */
	char	*config;	/* dir/config */
	char	*log;		/* dir/build.log */
	char	*label;		/* "linux-6.1+a.patch+b.patch" */
	char	*release;	/* expected uname -r, NULL if not known */
	char	*arch;
	char	*os;
	char	*patches;	/* patch names, space-separated, or "" */
	char	*cc;		/* the compiler's version line */
	char	*tree;		/* --tree's path, or "" */
	char	*work;		/* where the patches were applied */
	double	 build_secs;	/* its build's wall time */
	int	 cached;	/* 1: reused, not built now */
};

/*
 * Fetch the tree (kernel-src/OS/fetch.sh), compute the kid, and build
 * unless $KBENCH_HOME/kernels/<kid> already holds a finished build.
 * Shows progress (phase, last line of make, elapsed) unless kb_quiet.
 * Returns 0, or -1 with the reason printed (a patch that does not
 * apply names the file and the failing hunk).
 */
int	 kernel_build(const struct kernel_spec *, struct kernel_artifact *);

/*
 * A built kernel by kid, a unique prefix of one (12 digits will do) or
 * a label; 0, or -1 (reason printed).
 */
int	 kernel_lookup(const char *, struct kernel_artifact *);

/* Every built kernel's kid in $KBENCH_HOME/kernels, for `kernel list`. */
char	**kernel_list(size_t *n);

/*
 * The kernel row for a built kernel, created or updated (label, kid, os,
 * base commit as revision, patches, arch, release, build time): its id,
 * or -1.  kernel_store() opens the database itself; 0 or -1.
 */
struct pg_conn;
int64_t	 kernel_row(struct pg_conn *, const struct kernel_artifact *);
int	 kernel_store(const struct kernel_artifact *);

void	 kernel_artifact_free(struct kernel_artifact *);

#endif /* KERNEL_H */
