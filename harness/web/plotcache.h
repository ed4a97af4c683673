/*
 * plotcache.h: kbench serve's drawn plots, kept as files in one
 * directory and shared by the server's threads.  A file is named by
 * the plot and a version of its input (webplots.h), so it is drawn
 * again only when the data changed; a plot (at one version) is drawn
 * by one thread at a time while the others that want it wait and then
 * read the same file; a few plots at most are drawn at once; a plot
 * is drawn into a temporary file and renamed, so no reader sees half
 * of one; the directory is kept under a size and a file count, least
 * recently used first out, and emptied when the server starts.
 */
#ifndef WEB_PLOTCACHE_H
#define WEB_PLOTCACHE_H

#include <stdint.h>

struct plotcache;

/* The bounds: bytes and files kept, plots drawn at once. */
struct pc_limits {
	int64_t	 max_bytes;
	int	 max_files;
	int	 max_draws;
};

/* dir must exist; it is emptied but for others' drawings under way. */
struct plotcache *pc_open(const char *dir, const struct pc_limits *);
void	pc_close(struct plotcache *);

/*
 * A read-only descriptor of plot name at version (the caller closes
 * it), drawn first by draw(arg, path) when no file of that version is
 * there and no other thread is drawing it.  draw returns 0, 1 for no
 * such plot, -1 on error; pc_get returns -1 with that in *rc when the
 * drawing failed (the waiters get the same), or when the file cannot
 * be opened (*rc -1).
 */
int	pc_get(struct plotcache *, const char *name, const char *version,
	    int (*draw)(void *, const char *path), void *arg, int *rc);

#endif /* WEB_PLOTCACHE_H */
