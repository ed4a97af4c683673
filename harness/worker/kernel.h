/*
 * kernel.h: a kernel is a base tree plus an ordered patch series, built
 * for one arch with a fixed config.  Its id (kid) is the SHA-256 of all
 * of that, so a built kernel is found again by what went into it.
 *
 *   kid = sha256("kbench-kernel-1\0" os \0 arch \0 base-commit \0
 *                for each config fragment: name \0 sha256(its CONFIG_
 *                    lines; comments do not count) \0
 *                for each patch: sha256(content) \0)
 *
 * Patch file names are not hashed (a renamed patch is the same kernel);
 * their order and contents are.  Artifacts live in
 * $KBENCH_HOME/kernels/<kid>/: the image, .config, build.log, and
 * kernel.info (key=value lines: kid, label, release, base, arch,
 * build_secs, image).  The release (uname -r) carries "-kb<kid12>", so a
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

/*
 * Config fragments, as kernel.c reads them (exposed for the unit test).
 * config_lines: keep only what kconfig reads ("CONFIG_X=..." and "#
 * CONFIG_X is not set"), trimmed, in place; the new length.
 * config_sym: the symbol a line sets, *sym at it; its length, or 0.
 * config_set_later: does a later line of rest set sym again (the last
 * word on a symbol wins, as kconfig reads fragments in order)?
 */
size_t	 config_lines(char *);
size_t	 config_sym(const char *line, const char **sym);
int	 config_set_later(const char *rest, const char *sym);

#endif /* KERNEL_H */
