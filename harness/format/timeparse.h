/*
 * timeparse.h: read the timing logs users already have (time(1) in its
 * BSD, POSIX, bash and GNU forms, and plain numbers) into samples.
 */
#ifndef TIMEPARSE_H
#define TIMEPARSE_H

#include "lib/util.h"
#include "lib/sample.h"

/*
 * Parse a whole log.  name is used in error messages only.  On error
 * returns -1 and leaves "name:line: what is wrong; what was expected"
 * in err; samples already appended to out must then be discarded by
 * the caller (an import is all or nothing).  Returns the number of
 * samples appended on success; 0 samples is an error too ("no timing
 * records found").
 */
int	tp_parse(FILE *, const char *name, struct kb_sampleset *out,
	    char *err, size_t errlen);
/* The same over a buffer (for fuzzing and tests). */
int	tp_parse_buf(const char *buf, size_t len, const char *name,
	    struct kb_sampleset *out, char *err, size_t errlen);

/*
 * import --lenient: a record cut short (or a bad line of a plain-number
 * log) is skipped and counted instead of failing the parse.  Binary
 * input, an empty file and a log with no record at all still fail.
 */
struct tp_skips {
	long	 n;
	long	 first_line;
	char	 first[256];	/* the first one: "FILE:LINE: what" */
};
int	tp_parse_lenient(const char *buf, size_t len, const char *name,
	    struct kb_sampleset *out, struct tp_skips *, char *err,
	    size_t errlen);

/*
 * Exact decimal seconds ("12", "12.34", ".5") into microseconds, the
 * one rule for every log that writes seconds: 0, or -1 when s is not
 * such a number or is more than about 31 years.
 */
int	tp_seconds(const char *s, size_t n, int64_t *us);

#endif
