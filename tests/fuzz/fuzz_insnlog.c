/*
 * fuzz_insnlog.c: libFuzzer target for the TCG plugin's count lines
 * (format/insnlog.c).  The file a guest's QEMU writes is input kbench
 * did not make; the reader must never crash, read out of bounds or
 * accept a count it cannot vouch for.  Each input line is tried as it
 * is and, framed with a good CRC, as the body of a KBENCH-INSN line.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/hash.h"
#include "format/insnlog.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *nl;
	static char buf[8192];
	struct insnlog r;
	struct insn_count c;
	size_t len;
	int n;

	insnlog_init(&r);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		len = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		if (insnlog_feed(&r, p, len, &c) == 0 &&
		    (c.seq < 1 || c.kernel < 0 || c.user < 0))
			__builtin_trap();
		n = snprintf(buf, sizeof(buf), "KBENCH-INSN %.*s",
		    (int)(len < 4096 ? len : 4096), p);
		if (n > 0 && (size_t)n < sizeof(buf) - 16) {
			snprintf(buf + n, sizeof(buf) - (size_t)n, " *%08lx",
			    (unsigned long)kb_crc32(buf, (size_t)n));
			if (insnlog_feed(&r, buf, strlen(buf), &c) == 0 &&
			    (c.seq < 1 || c.kernel < 0 || c.user < 0))
				__builtin_trap();
		}
		p += len + 1;
	}
	return 0;
}
