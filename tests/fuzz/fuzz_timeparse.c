/*
 * fuzz_timeparse.c: libFuzzer target for the log parser.  Build:
 * clang -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DKB_ROOT=\"$PWD\" -g -fsanitize=fuzzer,address,undefined -Iharness -o build/fuzz_timeparse tests/fuzz/fuzz_timeparse.c harness/format/timeparse.c harness/lib/sample.c harness/lib/util.c -lm
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/util.h"
#include "lib/sample.h"
#include "format/timeparse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kb_sampleset	 ss;
	char			 err[256];
	size_t			 i;
	int			 n;

	memset(&ss, 0, sizeof(ss));
	n = tp_parse_buf((const char *)data, size, "fuzz", &ss, err,
	    sizeof(err));
	/* What the parser promises: all or nothing, and a message. */
	if (n < 0) {
		if (ss.n != 0 || err[0] == '\0')
			__builtin_trap();
	} else {
		if ((size_t)n != ss.n || n == 0)
			__builtin_trap();
		for (i = 0; i < ss.n; i++)
			if (ss.v[i].rep != (int)i + 1 || ss.v[i].real_us < 0)
				__builtin_trap();
	}
	kb_ss_free(&ss);
	return 0;
}
