/*
 * profile.c: instructions per function between the agent's marks.  The
 * counters only grow; a start mark takes a copy of them and an end mark
 * adds what grew since to the profile, so what ran outside the marked
 * repetitions (boot, setup, cleanup) is left out.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"

struct sym {
	uint64_t	 addr;
	char		*name;
};

static struct sym	*syms;
static long		 nsyms;
static uint64_t		*cur, *snap, *acc;

static int
by_addr(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	return (x->addr > y->addr) - (x->addr < y->addr);
}

int
prof_load(const char *path)
{
	char line[512], name[256], type;
	unsigned long long addr;
	long cap = 0;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL) {
		perror(path);
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3 ||
		    strchr("tTwW", type) == NULL)
			continue;
		if (nsyms == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((syms = realloc(syms, (size_t)cap *
			    sizeof(*syms))) == NULL)
				abort();
		}
		syms[nsyms].addr = addr;
		if ((syms[nsyms++].name = strdup(name)) == NULL)
			abort();
	}
	fclose(fp);
	if (nsyms == 0) {
		fprintf(stderr, "%s: no text symbols\n", path);
		return -1;
	}
	qsort(syms, (size_t)nsyms, sizeof(*syms), by_addr);
	cur = calloc((size_t)nsyms, sizeof(*cur));
	snap = calloc((size_t)nsyms, sizeof(*snap));
	acc = calloc((size_t)nsyms, sizeof(*acc));
	if (cur == NULL || snap == NULL || acc == NULL)
		abort();
	return 0;
}

long
prof_find(uint64_t vaddr)
{
	long lo = 0, hi = nsyms - 1, mid;

	if (nsyms == 0 || vaddr < syms[0].addr)
		return -1;
	/* The last symbol at or below vaddr. */
	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		if (syms[mid].addr <= vaddr)
			lo = mid;
		else
			hi = mid - 1;
	}
	/* Past the last symbol (an end marker such as _etext): none. */
	return lo < nsyms - 1 ? lo : -1;
}

uint64_t *
prof_counter(long idx)
{
	return &cur[idx];
}

void
prof_add(long idx, uint64_t n)
{
	__atomic_fetch_add(&cur[idx], n, __ATOMIC_RELAXED);
}

void
prof_mark(int start)
{
	long i;

	for (i = 0; i < nsyms; i++) {
		if (start)
			snap[i] = cur[i];
		else
			acc[i] += cur[i] - snap[i];
	}
}

static int
by_count(const void *a, const void *b)
{
	uint64_t x = acc[*(const long *)a], y = acc[*(const long *)b];

	return (x < y) - (x > y);
}

int
prof_write(const char *path)
{
	long i, n = 0, *order;
	FILE *fp;

	if (nsyms == 0)
		return 0;
	if ((order = calloc((size_t)nsyms, sizeof(*order))) == NULL)
		abort();
	for (i = 0; i < nsyms; i++)
		if (acc[i] > 0)
			order[n++] = i;
	qsort(order, (size_t)n, sizeof(*order), by_count);
	if ((fp = fopen(path, "w")) == NULL) {
		perror(path);
		free(order);
		return -1;
	}
	for (i = 0; i < n; i++)
		fprintf(fp, "%" PRIu64 " %s\n", acc[order[i]],
		    syms[order[i]].name);
	free(order);
	return fclose(fp) == 0 ? 0 : -1;
}
