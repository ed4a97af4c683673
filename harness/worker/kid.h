/*
 * kid.h: the kernel id, the one rule for what names a kernel
 * (kernel.h): the SHA-256 of, each ending in a NUL,
 *
 *   "kbench-kernel-2" os arch base-commit compiler-version
 *   for each config fragment: its name, sha256(its CONFIG_ lines)
 *   for each patch: sha256(its content)
 *
 * Fed in that order by kernel.c, which reads the files; here only the
 * hashing, so a test can show what changes an id without a tree.
 */
#ifndef KID_H
#define KID_H

#include <stddef.h>

struct kid {
	char	*buf;
	size_t	 len;
};

/* Start an id: os, arch, the tree's commit, `CC --version`'s line. */
void	 kid_init(struct kid *, const char *os, const char *arch,
	    const char *base, const char *ccversion);
/* A config fragment's name and the SHA-256 of its lines, in order. */
void	 kid_fragment(struct kid *, const char *name, const char *sum);
/* A patch's SHA-256, in the series' order. */
void	 kid_patch(struct kid *, const char *sum);
/* The id, 64 hex digits; frees what kid_init took. */
void	 kid_final(struct kid *, char kid[65]);

#endif /* KID_H */
