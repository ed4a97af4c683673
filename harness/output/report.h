/*
 * report.h: comparisons read from the store and written for people:
 * text for a mailing list (72 columns, ministat's blocks), Markdown,
 * CSV (one row per metric) and JSON.  The HTML site is in webpages.h.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>

#include <libpq-fe.h>

#include "output/cmpreport.h"
#include "store/webdata.h"

#define RP_WIDTH	72	/* a mail line */

/* One comparison: baseline a, candidate b, on one (worker, workload). */
struct rp_cmp {
	int64_t		 wid, lid, ka, kb;
	char		*worker, *workload, *arch;
	struct cmp_set	 set;
};

struct rp_opts {
	double		confidence, threshold;
	unsigned	mask;		/* cmp_build's; CMP_ALL for all */
};

/*
 * Load and compare; 0, or -1 with the reason in err.  The samples are
 * read as values (wd_values), a few tens of MB for a million.
 */
int	 rp_cmp_load(PGconn *, int64_t wid, int64_t lid, int64_t ka,
	    int64_t kb, const struct rp_opts *, struct rp_cmp *, char *err,
	    size_t errlen);
/* The same for what the compare plot draws: real, user and sys only. */
int	 rp_cmp_plot(PGconn *, int64_t wid, int64_t lid, int64_t ka,
	    int64_t kb, const struct rp_opts *, struct rp_cmp *, char *err,
	    size_t errlen);
void	 rp_cmp_free(struct rp_cmp *);
/* Every series' newest kernel against its baseline. */
int	 rp_cmp_all(PGconn *, const struct rp_opts *, struct rp_cmp **,
	    size_t *);
void	 rp_cmps_free(struct rp_cmp *, size_t);
/*
 * The latest verdicts: the newest finished runs (one per kernel and
 * series, at most limit) against their baselines; runs[i] is the run
 * of out[i].
 */
int	 rp_recent(PGconn *, const struct rp_opts *, size_t limit,
	    struct rp_cmp **out, int64_t **runs, size_t *n);

/* The writers of text, Markdown, CSV and JSON: output/report_formats.h. */

#endif /* REPORT_H */
