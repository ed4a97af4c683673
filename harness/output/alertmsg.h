/*
 * alertmsg.h: an alert as people and programs read it: the mail's
 * subject and plain-text body (every line at most RP_WIDTH columns,
 * for a mailing list), and one JSON object for the webhook and for
 * kbench alert --format json alike.  The alert is row row of an
 * alertdb_list table, its change points an alertdb_cps table.
 */
#ifndef ALERTMSG_H
#define ALERTMSG_H

#include <jansson.h>

#include "store/db.h"

/* "[kbench] regression: WORKER at KERNEL: WORKLOAD METRIC +P%". */
char	*alertmsg_subject(const struct db_table *a, int row,
	    const struct db_table *cps);
/*
 * The report: what moved, by how much with its 95% interval, the
 * kernels before and after, and where to look: the kbench compare
 * command and, when serve_url is not "", the comparison page and the
 * series graph of kbench serve.
 */
char	*alertmsg_text(const struct db_table *a, int row,
	    const struct db_table *cps, const char *serve_url);
/* The alert and its change points (links when serve_url is not ""). */
json_t	*alertmsg_json(const struct db_table *a, int row,
	    const struct db_table *cps, const char *serve_url);
/* One line a change point for kbench alert list, at most RP_WIDTH. */
char	*alertmsg_line(const struct db_table *a, int row,
	    const struct db_table *cps);

#endif /* ALERTMSG_H */
