/*
 * cmpreport.h: compare two sample sets metric by metric and render the
 * result as ministat-style text or as JSON.  Used by `kbench compare`
 * and meant for `kbench try` and `kbench report` too.
 */
#ifndef CMPREPORT_H
#define CMPREPORT_H

#include <stdio.h>

#include "lib/util.h"
#include "lib/sample.h"
#include "stats/stats.h"

/* One metric compared: baseline a, candidate b. */
struct cmp_metric {
	enum kb_metric		 m;
	struct st_compare	 c;
	double			*a, *b;	/* values, sorted ascending */
	size_t			 na, nb;
};

struct cmp_set {
	char			*label_a, *label_b;
	double			 confidence;	/* percent */
	double			 threshold_pct;
	struct cmp_metric	*v;
	size_t			 n;
};

/* Metric masks for cmp_build(). */
#define CMP_METRIC(m)	(1u << (m))
#define CMP_ALL		0u	/* every metric with data on both sides */

/* Flags for cmp_print_text(). */
#define CMP_PLOT	0x01	/* ministat's ASCII plot */
#define CMP_PLOT_WIDTH	74	/* ministat's default width */

/*
 * Compare every metric in mask (CMP_ALL: each one with data on both
 * sides, in kb_metric order: real, user, sys, then the rest).  With an
 * explicit mask, a metric without data on a side is an error.  Returns
 * 0, or -1 with the reason in err (unsupported confidence, no data).
 * On error *out holds nothing to free.
 */
int	cmp_build(struct cmp_set *out, const struct kb_sampleset *a,
	    const struct kb_sampleset *b, const char *label_a,
	    const char *label_b, double confidence, double threshold_pct,
	    unsigned mask, char *err, size_t errlen);
void	cmp_free(struct cmp_set *);
/*
 * cmp_build's two steps, for values read some other way: an empty set
 * (-1 with err for an unsupported confidence), then one metric from
 * its values on each side (na, nb > 0), which the set takes (sorted;
 * cmp_free frees them), metrics in kb_metric order.
 */
int	cmp_start(struct cmp_set *out, const char *label_a,
	    const char *label_b, double confidence, double threshold_pct,
	    char *err, size_t errlen);
void	cmp_add(struct cmp_set *, enum kb_metric, double *va, size_t na,
	    double *vb, size_t nb);

/* Every metric's block, then the one-line-per-metric summary. */
void	cmp_print_text(FILE *, const struct cmp_set *, int flags);
/* One metric's block: heading, legend, plot, vitals, tests, verdict. */
void	cmp_print_metric(FILE *, const struct cmp_set *,
	    const struct cmp_metric *, int flags);
/* ministat's plot of one metric, width columns inside the frame. */
void	cmp_print_plot(FILE *, const struct cmp_metric *, int width);
/* The final verdict summary, one line per metric. */
void	cmp_print_summary(FILE *, const struct cmp_set *);
/*
 * {"confidence": C, "threshold": T, "labels": {"a", "b"}, "metrics":
 * [{"metric", "a": {"n", "min", "max", "median", "mean", "stddev"},
 * "b": {...}, "diff", "diff_ci", "diff_pct", "diff_pct_ci",
 * "p_student", "p_welch", "p_mwu", "verdict", "more_runs"}]}, times in
 * seconds, null for a figure that cannot be computed.
 */
void	cmp_print_json(FILE *, const struct cmp_set *);
/* The same without its closing brace, for a caller's own members. */
void	cmp_print_json_open(FILE *, const struct cmp_set *);
/* JSON helpers: a quoted, escaped string; a number or null. */
void	cmp_json_string(FILE *, const char *);
void	cmp_json_number(FILE *, double);

/* 1 if any metric's verdict is ST_REGRESSION. */
int	cmp_any_regression(const struct cmp_set *);
/* "seconds", "kilobytes" or "count". */
const char *cmp_metric_unit(enum kb_metric);

#endif /* CMPREPORT_H */
