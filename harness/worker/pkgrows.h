/*
 * pkgrows.h: the package rows of a bulk build that a QEMU guest or an
 * ssh worker sends as framed PKG lines (format/agentpkg.h), written
 * back into DIR/pkgs-REP.jsonl on this host: the file kbench-bulk
 * writes in a local run, so that they are stored by the same road
 * (store/portsdb.h, and the spool while the database is away).
 */
#ifndef PKGROWS_H
#define PKGROWS_H

#include <stddef.h>

struct pkgrows {
	const char	*dir;		/* the run's directory on this host */
	long		 rep;		/* the rep of the file written now */
	char		**seen;		/* its packages so far */
	size_t		 nseen;
	long		 rows;		/* written */
	long		 rejected;	/* refused lines */
	char		 why[256];	/* the first refusal's reason */
};

void		 pkgrows_init(struct pkgrows *, const char *dir);

/*
 * One PKG line (without its newline): 0 when its row was written, -1
 * when it was refused or could not be written (counted in rejected,
 * the first reason kept).  The first row of a rep starts its file
 * afresh; a package's second row in a rep (a console that showed a
 * line twice) is dropped.
 */
int		 pkgrows_feed(struct pkgrows *, const char *line, size_t len);

/* The directory holding rep's rows, or NULL when none came for it. */
const char	*pkgrows_dir(const struct pkgrows *, long rep);
void		 pkgrows_free(struct pkgrows *);

#endif /* PKGROWS_H */
