/*
 * pkgcmp.h: the per-package section of a comparison of two bulk builds
 * (the ports workloads, or dpb and poudriere logs imported): the
 * packages whose time moved most, slower and faster, each with its
 * difference and interval (ministat's, from stats.h) or, with one
 * repetition a side, a plain ratio; the total; the critical path.
 */
#ifndef OUTPUT_PKGCMP_H
#define OUTPUT_PKGCMP_H

#include <stdio.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "stats/stats.h"
#include "store/pkgdb.h"

#define PKGCMP_TOP	10	/* rows of each of slower and faster */

/* One package built on both sides. */
struct pkgcmp_row {
	const char		*name;		/* the base set's */
	struct st_compare	 c;		/* seconds; c.a base, c.b patched */
	int			 interval;	/* 2+ repetitions a side */
	double			 ratio;		/* patched / base mean */
};

struct pkgcmp {
	const char		*label_a, *label_b;
	struct pkgcmp_row	*v;		/* most time added first */
	size_t			 n;
	int			 single;	/* some row has no interval */
	double			 total_a, total_b;	/* sums of the means */
	size_t			 failed_a, failed_b;	/* never built ok */
	size_t			 only_a, only_b;
	/* The longest chain of dependencies by base time; n 0: no edges. */
	const char		**path;
	size_t			 npath;
	double			 path_a, path_b;
};

/*
 * Compare base a with patched b (their packages sorted by pkgcmp_build
 * itself); the sets must outlive the result.  0, or -1 with err set for
 * an unsupported confidence.
 */
int	 pkgcmp_build(struct pkgcmp *, struct pkgdb_set *a,
	    struct pkgdb_set *b, const char *label_a, const char *label_b,
	    double confidence, double threshold, char *err, size_t errlen);
void	 pkgcmp_free(struct pkgcmp *);

/* 72 columns, for a mail. */
void	 pkgcmp_text(FILE *, const struct pkgcmp *);
/* {"packages": n, "rows": [...], "total", "failed", "only", "critical_path"} */
json_t	*pkgcmp_json(const struct pkgcmp *);
/* package,base_s,patched_s,diff_s,diff_pct,diff_pct_ci,ratio,n_base,n_patched */
void	 pkgcmp_csv(FILE *, const struct pkgcmp *);

/*
 * Both kernels' packages on (worker, workload) from the store, and
 * their comparison: 1 when both have packages (*pc and *sets filled,
 * free with pkgcmp_unload), 0 when either has none, -1 on error.
 */
struct pkgcmp_loaded {
	struct pkgdb_set	 set[2];
	struct pkgcmp		 pc;
};
int	 pkgcmp_load(PGconn *, const char *worker, const char *workload,
	    const char *ka, const char *kb, double confidence,
	    double threshold, struct pkgcmp_loaded *);
void	 pkgcmp_unload(struct pkgcmp_loaded *);

#endif /* OUTPUT_PKGCMP_H */
