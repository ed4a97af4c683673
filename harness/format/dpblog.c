/*
 * dpblog.c: read dpb(1)'s build.log (dpblog.h has its line).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "format/timeparse.h"
#include "format/bulklog.h"
#include "format/dpblog.h"

#define NFIELDS	5	/* PKGPATH HOST TOTALTIME LOGSIZE TIMINGS */

static int
parse_line(const char *s, size_t n, const char *file, long line,
    struct bulklog *b, char *err, size_t errlen)
{
	const char *f[NFIELDS];
	size_t fl[NFIELDS];
	int64_t us;
	size_t i;
	int nf, failed;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r'))
		n--;
	if (n == 0)
		return 0;
	/* report() ends a failed job's line with "!". */
	if ((failed = s[n - 1] == '!'))
		n--;
	if ((nf = bulklog_split(s, n, f, fl, NFIELDS)) < 3 || nf > NFIELDS) {
		snprintf(err, errlen, "%s:%ld: %d fields; expected PKGPATH "
		    "HOST TOTALTIME LOGSIZE TIMINGS as dpb writes them", file,
		    line, nf);
		return -1;
	}
	if (tp_seconds(f[2], fl[2], &us) == -1) {
		snprintf(err, errlen, "%s:%ld: total time '%.*s'; expected "
		    "seconds such as 123.45", file, line,
		    (int)(fl[2] > 40 ? 40 : fl[2]), f[2]);
		return -1;
	}
	for (i = 0; nf >= 4 && i < fl[3]; i++)
		if (f[3][i] < '0' || f[3][i] > '9') {
			/* An unknown log size leaves the timings fourth. */
			if (nf == 4 && memchr(f[3], '=', fl[3]) != NULL)
				break;
			snprintf(err, errlen, "%s:%ld: log size '%.*s'; "
			    "expected a number of bytes", file, line,
			    (int)(fl[3] > 40 ? 40 : fl[3]), f[3]);
			return -1;
		}
	return bulklog_add(b, f[0], fl[0], failed ? "failed" : "ok", us,
	    file, line, err, errlen);
}

int
dpblog_parse(const char *buf, size_t len, const char *file,
    struct bulklog *b, char *err, size_t errlen)
{
	const char *s = buf, *end = buf + len, *nl;
	long line = 0;

	while (s < end) {
		line++;
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			nl = end;
		if (parse_line(s, (size_t)(nl - s), file, line, b, err,
		    errlen) == -1)
			return -1;
		s = nl + 1;
	}
	if (b->n == 0) {
		snprintf(err, errlen, "%s:%ld: no package line; expected "
		    "dpb's build.log", file, line);
		return -1;
	}
	return 0;
}

int
dpblog_read(const char *dir, struct bulklog *b, char *err, size_t errlen)
{
	char *path, *buf;
	size_t len;
	int rc = -1;

	path = kb_asprintf("%s/build.log", dir);
	if ((buf = bulklog_slurp(path, &len, err, errlen)) != NULL &&
	    (rc = dpblog_parse(buf, len, path, b, err, errlen)) == 0)
		bulklog_note(b, "build.log", buf, len);
	if (rc == -1)
		bulklog_free(b);
	free(buf);
	free(path);
	return rc;
}
