/*
 * Touches every page of PAGES pages (argv[1], or the define) once: one
 * minor fault each, a count the neighbours on a shared host cannot move.
 * For the --until-verdict tests (52, 53).
 */
#include <sys/mman.h>
#include <stdlib.h>
#include <unistd.h>

#define PAGES 20000L

int
main(int argc, char **argv)
{
	long i, n = argc > 1 ? atol(argv[1]) : PAGES;
	long pg = sysconf(_SC_PAGESIZE);
	char *p;

	p = mmap(NULL, n * pg, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANON, -1, 0);
	if (p == MAP_FAILED)
		return 1;
#ifdef MADV_NOHUGEPAGE
	/* A huge page would take 512 faults in one. */
	madvise(p, n * pg, MADV_NOHUGEPAGE);
#endif
	/* Every page once. */
	for (i = 0; i < n; i++)
		p[i * pg] = 1;
	return 0;
}
