/*
 * try_report.h: the report every kbench try ends with (try_report.c).
 */
#ifndef ENGINE_TRY_REPORT_H
#define ENGINE_TRY_REPORT_H

#include "engine/try.h"

struct cmp_set;
/*
 * Compare the samples of runs after run id `since` of the two labels,
 * print the report (text or JSON) on stdout; the exit status.
 */
int	 try_report(struct try *, int64_t since);
/* The comparison of one try's sides; logs get each side's log (or NULL). */
int	 try_compare(const struct try_side *, double confidence,
	    double threshold, struct cmp_set *, char *logs[2]);

#endif /* ENGINE_TRY_REPORT_H */
