/*
 * suggest.c: unknown words, their valid choices and the likely typo.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/suggest.h"
#include "lib/util.h"

static size_t
min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

/*
 * Optimal string alignment distance: "comapre" is one swap from
 * "compare", which plain Levenshtein counts as two.
 */
size_t
kb_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, w, r;
	size_t *d;

	w = lb + 1;
	d = kb_calloc((la + 1) * w, sizeof(*d));
	for (i = 0; i <= la; i++)
		d[i * w] = i;
	for (j = 0; j <= lb; j++)
		d[j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			d[i * w + j] = min3(d[(i - 1) * w + j] + 1,
			    d[i * w + j - 1] + 1,
			    d[(i - 1) * w + j - 1] + (a[i - 1] != b[j - 1]));
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] &&
			    d[(i - 2) * w + j - 2] + 1 < d[i * w + j])
				d[i * w + j] = d[(i - 2) * w + j - 2] + 1;
		}
	r = d[la * w + lb];
	free(d);
	return r;
}

const char *
kb_suggest(const char *word, const char *const *choices, size_t n)
{
	const char *best = NULL;
	size_t i, d, bestd, limit;

	limit = strlen(word) <= 4 ? 1 : 2;
	bestd = limit + 1;
	for (i = 0; i < n; i++) {
		if ((d = kb_edit_distance(word, choices[i])) < bestd) {
			bestd = d;
			best = choices[i];
		}
	}
	return best;
}

int
kb_unknown(const char *cmd, const char *what, const char *word,
    const char *const *choices, size_t n)
{
	const char *s;
	char pfx[64];
	size_t i;

	snprintf(pfx, sizeof(pfx), "kbench%s%s", cmd != NULL ? " " : "",
	    cmd != NULL ? cmd : "");
	if (word == NULL)
		fprintf(stderr, "%s: missing %s\n", pfx, what);
	else if ((s = kb_suggest(word, choices, n)) != NULL)
		fprintf(stderr, "%s: unknown %s '%s'; did you mean '%s'?\n",
		    pfx, what, word, s);
	else
		fprintf(stderr, "%s: unknown %s '%s'\n", pfx, what, word);
	fprintf(stderr, "%s: the %ss are:", pfx, what);
	for (i = 0; i < n; i++)
		fprintf(stderr, "%s %s", i > 0 ? "," : "", choices[i]);
	fputc('\n', stderr);
	return KB_EXIT_USAGE;
}
