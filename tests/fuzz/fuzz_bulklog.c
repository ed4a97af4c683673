/*
 * fuzz_bulklog.c: libFuzzer target for the readers of other tools' bulk
 * logs (harness/format/dpblog.c, poudlog.c).  The first byte picks the
 * reader: dpb's build.log, one of poudriere's three lists, its
 * .data.json, or its pkg_deps graph over a list read first.  An accepted log must hold only packages within the
 * promised bounds; a refused one must say where.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format/bulklog.h"
#include "format/dpblog.h"
#include "format/poudlog.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const lists[] = { "built", "failed", "skipped" };
	struct bulklog b;
	const struct bulklog_pkg *p;
	const char *buf;
	char err[512];
	size_t i, n;
	int which, rc;

	if (size == 0)
		return 0;
	which = data[0] % 6;
	buf = (const char *)data + 1;
	n = size - 1;
	memset(&b, 0, sizeof(b));
	err[0] = '\0';
	if (which == 0)
		rc = dpblog_parse(buf, n, "F", &b, err, sizeof(err));
	else if (which == 4)
		rc = poudlog_parse_json(buf, n, "F", &b, err, sizeof(err));
	else if (which == 5) {
		/* Packages to name, then the same bytes as their graph. */
		(void)poudlog_parse_list(buf, n, "L", "built", &b, err,
		    sizeof(err));
		rc = poudlog_parse_deps(buf, n, "F", &b, err, sizeof(err));
	}
	else
		rc = poudlog_parse_list(buf, n, "F", lists[which - 1], &b, err,
		    sizeof(err));
	if (rc == 0) {
		for (i = 0; i < b.ne; i++)
			if (strcmp(b.e[i].pkg, b.e[i].dep) == 0)
				__builtin_trap();
		for (i = 0; i < b.n; i++) {
			p = &b.v[i];
			if (strlen(p->name) == 0 ||
			    strlen(p->name) > BULKLOG_MAX_NAME ||
			    p->real_us < 0 || (strcmp(p->status, "ok") != 0 &&
			    strcmp(p->status, "failed") != 0 &&
			    strcmp(p->status, "skipped") != 0))
				__builtin_trap();
		}
	} else if (strncmp(err, "F", 1) != 0)
		__builtin_trap();
	bulklog_free(&b);
	return 0;
}
