/*
 * fuzz_ports.c: libFuzzer target for the per-package results lines a
 * bulk build on a worker writes (harness/format/ports.c).  Each input line is
 * parsed on its own; an accepted record must respect the bounds the
 * parser promises, and a refused one must say why.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "format/ports.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ports_rec rec;
	const char *why, *p, *nl, *end;
	char *line;
	size_t len;

	p = (const char *)data;
	end = p + size;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		len = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		line = malloc(len + 1);
		if (line == NULL)
			return 0;
		memcpy(line, p, len);
		line[len] = '\0';
		why = NULL;
		memset(&rec, 0, sizeof(rec));
		if (ports_parse_line(line, &rec, &why) == 0) {
			if (strlen(rec.pkg) == 0 ||
			    strlen(rec.pkg) > PORTS_MAX_NAME ||
			    rec.real_us < 0 || rec.user_us < 0 ||
			    rec.sys_us < 0 || (rec.log_tail != NULL &&
			    strlen(rec.log_tail) > PORTS_MAX_TAIL) ||
			    (strcmp(rec.status, "ok") != 0 &&
			    strcmp(rec.status, "failed") != 0 &&
			    strcmp(rec.status, "skipped") != 0))
				__builtin_trap();
		} else if (why == NULL || *why == '\0')
			__builtin_trap();
		ports_rec_free(&rec);
		free(line);
		p += len + 1;
	}
	return 0;
}
