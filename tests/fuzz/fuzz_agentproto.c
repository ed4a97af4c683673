/*
 * fuzz_agentproto.c: libFuzzer target for the agent line parser.
 * Lines from a worker are hostile input; the parser must never crash,
 * read out of bounds or accept a line it cannot vouch for.
 *
 * Build and run from the top of the tree:
 *
 *	clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 \
 *	    -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
 *	    -DKB_ROOT='"."' -DKB_VERSION='"fuzz"' -Iharness \
 *	    -o build/fuzz_agentproto tests/fuzz/fuzz_agentproto.c \
 *	    harness/format/agentproto.c harness/lib/sample.c harness/lib/util.c
 *	mkdir -p build/fuzz-corpus
 *	bin/kbench-agent -n 2 -- true >build/fuzz-corpus/seed
 *	build/fuzz_agentproto build/fuzz-corpus
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/hash.h"
#include "format/agentproto.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size, *nl;
	struct ap_reader r;
	struct ap_line l;
	enum ap_kind k;

	static const char *const kinds[] = { "START", "SAMPLE", "ERROR",
	    "END" };
	static char buf[8192];
	int n;

	/*
	 * The input as the JSON of a frame with a good CRC, or the
	 * fuzzer would hardly ever get past the checksum; the first byte
	 * picks the kind.
	 */
	if (size > 0 && size < sizeof(buf) - 64) {
		n = snprintf(buf, sizeof(buf), "KBENCH-%s ",
		    kinds[data[0] % 4]);
		memcpy(buf + n, data + 1, size - 1);
		n += (int)size - 1;
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, " *%08lx",
		    (unsigned long)kb_crc32(buf, (size_t)n));
		k = ap_parse(buf, (size_t)n, &l);
		if (k == AP_BAD && l.msg[0] == '\0')
			__builtin_trap();
	}

	/* The whole input as one line. */
	k = ap_parse(p, size, &l);
	if (k == AP_SAMPLE && (l.sample.rep < 1 || l.sample.real_us < 0))
		__builtin_trap();
	if (k == AP_BAD && l.msg[0] == '\0')
		__builtin_trap();

	/* And as a stream of lines through the sequence checks. */
	ap_reader_init(&r);
	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		k = ap_reader_feed(&r, p, (size_t)(nl - p), &l);
		if (k == AP_SAMPLE && l.sample.rep >= r.next_rep)
			__builtin_trap();
		if (memchr(l.session, '\0', sizeof(l.session)) == NULL ||
		    memchr(l.msg, '\0', sizeof(l.msg)) == NULL)
			__builtin_trap();
		p = nl + 1;
	}
	return 0;
}
