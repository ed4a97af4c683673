/*
 * commiturl.h: a kernel tree's commit links (serve.trees in
 * kbench.conf): a URL template with one %s where the revision goes,
 * chosen by the worker's OS (commiturl.c).
 */
#ifndef FORMAT_COMMITURL_H
#define FORMAT_COMMITURL_H

#include <stddef.h>

struct kb_tree {
	char	*os;		/* "": the trees of every other worker */
	char	*commit_url;	/* "https://.../commit/%s" */
};

/* 0 when t has exactly one %s and no other %; else -1. */
int	 commit_url_ok(const char *t);
/*
 * The template for a worker of this OS: the first tree naming it, else
 * the first naming none; NULL when none does.
 */
const char *commit_url_for(const struct kb_tree *, size_t n,
	    const char *os);
/*
 * The link to revision rev (malloc'd), its characters other than
 * letters, digits and "-._~" percent-encoded; NULL for no template or
 * an empty revision.
 */
char	*commit_url(const char *t, const char *rev);

#endif /* FORMAT_COMMITURL_H */
