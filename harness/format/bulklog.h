/*
 * bulklog.h: the per-package times of a bulk build someone already ran
 * with their own tool (OpenBSD's dpb, FreeBSD's poudriere), read from
 * its log directory into one list: dpblog.h and poudlog.h read the
 * files, this file holds what both share.  kbench import stores the
 * list as one run (store/pkgdb.h).  Each reader's NAME_read(dir)
 * fills a zeroed list, or returns -1 with "FILE:LINE: what is wrong;
 * expected what" in err and the list freed.
 */
#ifndef FORMAT_BULKLOG_H
#define FORMAT_BULKLOG_H

#include <stddef.h>
#include <stdint.h>

#define BULKLOG_MAX_FILE	((size_t)256 << 20)	/* bytes of one log */
#define BULKLOG_MAX_PKGS	200000	/* packages of one build */
#define BULKLOG_MAX_NAME	200	/* bytes of a package path */

/* One package of the build, as its tool logged it. */
struct bulklog_pkg {
	char		*name;		/* dpb pkgpath, poudriere origin */
	char		 status[8];	/* ok failed skipped */
	int64_t		 real_us;	/* 0 where the tool wrote none */
	long		 line;		/* where it was read */
	char		*pkgname;	/* poudriere's PKGNAME, or NULL */
};

/* pkg needs dep built first, both names of the list. */
struct bulklog_edge {
	char		*pkg, *dep;
};

struct bulklog {
	struct bulklog_pkg	*v;
	size_t			 n, cap;
	struct bulklog_edge	*e;		/* where the log has them */
	size_t			 ne, ecap;
	char			 sha[65];	/* SHA-256 of what was read */
	char			 files[512];	/* the files read, for the run */
};

void	 bulklog_free(struct bulklog *);

/*
 * What the readers share.  bulklog_add() appends one package: its name
 * (1..BULKLOG_MAX_NAME bytes of printable ASCII without blanks) must
 * not be there already.  0, or -1 with "file:line: ..." in err.
 */
int	 bulklog_add(struct bulklog *, const char *name, size_t namelen,
	    const char *status, int64_t real_us, const char *file, long line,
	    char *err, size_t errlen);
/*
 * Split s[0..n) at blanks into at most max fields (f[i], fl[i]); the
 * number of fields there are, which may be more than max.
 */
int	 bulklog_split(const char *s, size_t n, const char **f, size_t *fl,
	    int max);
/* Give the package added last its tool's own package name. */
void	 bulklog_pkgname(struct bulklog *, const char *s, size_t n);
/* Append the edge pkg -> dep (copied). */
void	 bulklog_edge(struct bulklog *, const char *pkg, const char *dep);
/* The whole of a file, NUL-terminated, or NULL with the reason in err. */
char	*bulklog_slurp(const char *path, size_t *lenp, char *err,
	    size_t errlen);
/* Note a file read: its name in b->files and its bytes in b->sha. */
void	 bulklog_note(struct bulklog *, const char *name, const char *buf,
	    size_t len);

#endif /* FORMAT_BULKLOG_H */
