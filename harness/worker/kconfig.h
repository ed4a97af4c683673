/*
 * kconfig.h: a kernel's .config, from tinyconfig and the config
 * fragments (the NAME.config files of kernel-src/OS/config, then of
 * config/ARCH, then the caller's), and what of a fragment counts
 * towards the kernel's id.
 */
#ifndef KCONFIG_H
#define KCONFIG_H

#include <stddef.h>

struct karch;
struct kr_prog;

/* The *.config files of dir, sorted by name; *n of them. */
char	**kconfig_fragments(const char *dir, size_t *n);

/*
 * Keep only what kconfig reads from a fragment ("CONFIG_X=..." and
 * "# CONFIG_X is not set"), in place; returns the new length.  A
 * comment edited in a fragment is then not a new kernel.
 */
size_t	 kconfig_lines(char *buf);
/*
 * The symbol a line sets, *sym at it; its length, or 0.  Does a later
 * line of rest (NUL-separated) set sym again?  The last word on a
 * symbol wins, as kconfig reads fragments in order.
 */
size_t	 config_sym(const char *line, const char **sym);
int	 config_set_later(const char *rest, const char *sym);

/*
 * bdir/.config: tinyconfig, then every fragment, then LOCALVERSION
 * "-kb<kid12>", then olddefconfig.  A fragment line kconfig did not
 * keep (a dependency is missing) is reported: it would silently give a
 * different kernel.  0, or -1 with the reason printed.
 */
int	 kconfig_make(const char *tree, const char *bdir, char **frags,
	    size_t nfrags, const struct karch *, const char *kid12,
	    const char *log, struct kr_prog *);

#endif /* KCONFIG_H */
