/*
 * profile.c: instructions per function between the agent's marks.  The
 * counters only grow; a start mark takes a copy of them and an end mark
 * adds what grew since to the profile, so what ran outside the marked
 * repetitions (boot, setup, cleanup) is left out.
 *
 * With a map, there is one counter per text symbol, made at load.
 * Without one, there is one counter per distinct block start address,
 * made as blocks are translated: a guest kernel's symbols are known only
 * once it has booted (KASLR moves them), so kbench names the addresses
 * afterwards from the guest's /proc/kallsyms.  The counters live in
 * chunks that never move, so an inline add may point into them while
 * another vCPU thread adds a counter.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"

#define CHUNK		65536L
#define MAXCHUNKS	1024L	/* 64M counters */

struct sym {
	uint64_t	 addr;
	char		*name;
};

struct cnt {
	uint64_t	 cur, snap, acc;
	uint64_t	 addr;		/* address mode: the block's */
};

static struct sym	*syms;
static long		 nsyms;
static struct cnt	*chunk[MAXCHUNKS];
static long		 ncnt;		/* counters made (atomic) */
static pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t		*hkey;		/* address -> counter: open hash */
static long		*hval;
static long		 hcap;

static int
by_addr(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	return (x->addr > y->addr) - (x->addr < y->addr);
}

static struct cnt *
cnt_at(long idx)
{
	return &chunk[idx / CHUNK][idx % CHUNK];
}

/* One more counter (under lock, or before any vCPU runs); or -1. */
static long
cnt_new(uint64_t addr)
{
	long idx = __atomic_load_n(&ncnt, __ATOMIC_RELAXED);

	if (idx / CHUNK >= MAXCHUNKS)
		return -1;
	if (chunk[idx / CHUNK] == NULL &&
	    (chunk[idx / CHUNK] = calloc(CHUNK, sizeof(struct cnt))) == NULL)
		abort();
	cnt_at(idx)->addr = addr;
	__atomic_store_n(&ncnt, idx + 1, __ATOMIC_RELEASE);
	return idx;
}

int
prof_load(const char *path)
{
	char line[512], name[256], type;
	unsigned long long addr;
	long cap = 0, i;
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
	for (i = 0; i < nsyms; i++)
		if (cnt_new(syms[i].addr) == -1)
			abort();
	return 0;
}

/* Address mode: the counter of a block's start address, made once. */
static long
find_addr(uint64_t vaddr)
{
	uint64_t *ok;
	long *ov, oc, i, h, idx;

	pthread_mutex_lock(&lock);
	if (2 * (ncnt + 1) > hcap) {
		ok = hkey;
		ov = hval;
		oc = hcap;
		hcap = hcap ? hcap * 2 : 65536;
		if ((hkey = calloc((size_t)hcap, sizeof(*hkey))) == NULL ||
		    (hval = calloc((size_t)hcap, sizeof(*hval))) == NULL)
			abort();
		for (i = 0; i < oc; i++) {
			if (ov[i] == 0)
				continue;
			for (h = (long)((ok[i] * 0x9e3779b97f4a7c15ULL) >> 32) &
			    (hcap - 1); hval[h] != 0; h = (h + 1) & (hcap - 1))
				;
			hkey[h] = ok[i];
			hval[h] = ov[i];
		}
		free(ok);
		free(ov);
	}
	for (h = (long)((vaddr * 0x9e3779b97f4a7c15ULL) >> 32) & (hcap - 1);
	    hval[h] != 0 && hkey[h] != vaddr; h = (h + 1) & (hcap - 1))
		;
	if (hval[h] != 0)
		idx = hval[h] - 1;
	else if ((idx = cnt_new(vaddr)) != -1) {
		hkey[h] = vaddr;
		hval[h] = idx + 1;
	}
	pthread_mutex_unlock(&lock);
	return idx;
}

long
prof_find(uint64_t vaddr)
{
	long lo = 0, hi = nsyms - 1, mid;

	if (nsyms == 0)
		return find_addr(vaddr);
	if (vaddr < syms[0].addr)
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
	return &cnt_at(idx)->cur;
}

void
prof_add(long idx, uint64_t n)
{
	__atomic_fetch_add(&cnt_at(idx)->cur, n, __ATOMIC_RELAXED);
}

void
prof_mark(int start)
{
	long i, n = __atomic_load_n(&ncnt, __ATOMIC_ACQUIRE);
	struct cnt *c;

	for (i = 0; i < n; i++) {
		c = cnt_at(i);
		if (start)
			c->snap = c->cur;
		else
			c->acc += c->cur - c->snap;
	}
}

static int
by_count(const void *a, const void *b)
{
	uint64_t x = cnt_at(*(const long *)a)->acc;
	uint64_t y = cnt_at(*(const long *)b)->acc;

	return (x < y) - (x > y);
}

int
prof_write(const char *path)
{
	long i, n = 0, *order, total = __atomic_load_n(&ncnt, __ATOMIC_ACQUIRE);
	FILE *fp;

	if ((fp = fopen(path, "w")) == NULL) {
		perror(path);
		return -1;
	}
	if ((order = calloc((size_t)total + 1, sizeof(*order))) == NULL)
		abort();
	for (i = 0; i < total; i++)
		if (cnt_at(i)->acc > 0)
			order[n++] = i;
	qsort(order, (size_t)n, sizeof(*order), by_count);
	for (i = 0; i < n; i++) {
		if (nsyms > 0)
			fprintf(fp, "%" PRIu64 " %s\n", cnt_at(order[i])->acc,
			    syms[order[i]].name);
		else
			fprintf(fp, "%" PRIu64 " 0x%" PRIx64 "\n",
			    cnt_at(order[i])->acc, cnt_at(order[i])->addr);
	}
	free(order);
	return fclose(fp) == 0 ? 0 : -1;
}
