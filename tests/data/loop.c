/*
 * loop.c: a CPU loop of argv[1] iterations and nothing else, the
 * timed subject of tests/integration/52-until-verdict.sh and of the
 * verdict benches (scripts/bench-verdict*.sh): its user time is the
 * host's CPU speed times a count.
 */
#include <stdlib.h>

int
main(int argc, char **argv)
{
	volatile unsigned long x = 0;
	long i, n = argc > 1 ? atol(argv[1]) : 0;

	for (i = 0; i < n; i++)
		x += (unsigned long)i * i;
	return 0;
}
