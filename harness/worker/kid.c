/*
 * kid.c: the kernel id's hash input, in the order kid.h gives.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "lib/hash.h"
#include "worker/kid.h"

#define KIDTAG	"kbench-kernel-2"	/* -1 had no compiler */

/* Append s and its NUL. */
static void
add(struct kid *k, const char *s)
{
	size_t n = strlen(s) + 1;

	k->buf = kb_reallocarray(k->buf, k->len + n, 1);
	memcpy(k->buf + k->len, s, n);
	k->len += n;
}

void
kid_init(struct kid *k, const char *os, const char *arch, const char *base,
    const char *ccversion)
{
	k->buf = NULL;
	k->len = 0;
	add(k, KIDTAG);
	add(k, os);
	add(k, arch);
	add(k, base);
	add(k, ccversion);
}

void
kid_fragment(struct kid *k, const char *name, const char *sum)
{
	add(k, name);
	add(k, sum);
}

void
kid_patch(struct kid *k, const char *sum)
{
	add(k, sum);
}

void
kid_final(struct kid *k, char kid[65])
{
	kb_sha256_hex(k->buf, k->len, kid);
	free(k->buf);
	k->buf = NULL;
	k->len = 0;
}
