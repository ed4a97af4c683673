/*
 * poudlog.h: a poudriere bulk build's log directory
 * (logs/bulk/MASTERNAME/BUILDNAME): the lists common.sh appends to with
 * badd(),
 *
 *	.poudriere.ports.built		ORIGINSPEC PKGNAME ELAPSED
 *	.poudriere.ports.failed		ORIGINSPEC PKGNAME PHASE ERRORTYPE ELAPSED
 *	.poudriere.ports.skipped	ORIGINSPEC PKGNAME DEPENDENCY_PKGNAME
 *
 * or, where only the web copy is kept, the .data.json that
 * awk/json.awk writes from them ("ports": {"built": [{"origin",
 * "flavor", "pkgname", "elapsed"}], "failed": [...], "skipped": [...]}).
 * ELAPSED is whole seconds (clock -monotonic).  tests/data/poudriere/
 * README says where each field comes from.
 */
#ifndef FORMAT_POUDLOG_H
#define FORMAT_POUDLOG_H

#include "format/bulklog.h"

/*
 * DIR's .poudriere.ports.* lists when there is a built one, else its
 * .data.json, into *b (zeroed): 0 or -1.
 */
int	 poudlog_read(const char *dir, struct bulklog *, char *err,
	    size_t errlen);
/* One .poudriere.ports.STATUS list ("built", "failed", "skipped"). */
int	 poudlog_parse_list(const char *buf, size_t len, const char *file,
	    const char *list, struct bulklog *, char *err, size_t errlen);
/*
 * .poudriere.pkg_deps%, the graph common.sh stashes for the build
 * (generate_queue_pkg(): "build:PKGNAME run:DEP-PKGNAME" and "run:..."
 * lines): an edge per build line between two packages already in b by
 * their PKGNAME; run lines are checked, not followed.
 */
int	 poudlog_parse_deps(const char *buf, size_t len, const char *file,
	    struct bulklog *, char *err, size_t errlen);
/* A .data.json. */
int	 poudlog_parse_json(const char *buf, size_t len, const char *file,
	    struct bulklog *, char *err, size_t errlen);

#endif /* FORMAT_POUDLOG_H */
