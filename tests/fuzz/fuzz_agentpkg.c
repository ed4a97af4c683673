/*
 * fuzz_agentpkg.c: libFuzzer target for the package rows kbench-agent
 * sends framed from a guest (harness/format/agentpkg.c).  Each input
 * line is parsed on its own; an accepted row must read back by the
 * ports rules as one line, and a refused one must say why.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "format/agentpkg.h"
#include "format/ports.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ports_rec rec;
	const char *p, *nl, *end, *w;
	char why[256], pkg[PORTS_MAX_NAME + 1], *row;
	size_t len;
	long rep;

	p = (const char *)data;
	end = p + size;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		len = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		why[0] = '\0';
		rep = 0;
		if (agentpkg_parse(p, len, &rep, pkg, &row, why,
		    sizeof(why)) == 0) {
			if (rep < 1 || row == NULL || pkg[0] == '\0' ||
			    strchr(row, '\n') != NULL ||
			    ports_parse_line(row, &rec, &w) != 0)
				__builtin_trap();
			ports_rec_free(&rec);
			free(row);
		} else if (why[0] == '\0' || row != NULL)
			__builtin_trap();
		p += len + 1;
	}
	return 0;
}
