/*
 * dpblog.h: OpenBSD dpb(1)'s build.log, one line per package job as
 * DPB::PortBuilder::report() writes it:
 *
 *	PKGPATH HOST TOTALTIME LOGSIZE PHASE=SECS/PHASE=SECS/...[!]
 *
 * TOTALTIME is DPB::Job::Port::totaltime(), seconds with two decimals;
 * a trailing "!" marks a failed job.  tests/data/dpb/README says where
 * each field comes from.
 */
#ifndef FORMAT_DPBLOG_H
#define FORMAT_DPBLOG_H

#include "format/bulklog.h"

/* DIR/build.log into *b (zeroed): 0 or -1. */
int	 dpblog_read(const char *dir, struct bulklog *, char *err,
	    size_t errlen);
/* Parse a whole build.log (named file in errors) into *b: 0 or -1. */
int	 dpblog_parse(const char *buf, size_t len, const char *file,
	    struct bulklog *, char *err, size_t errlen);

#endif /* FORMAT_DPBLOG_H */
