/*
 * suggest.h: the one rule for a word kbench does not know (a command,
 * a subcommand, a metric, a workload): one wording, the valid choices,
 * and "did you mean X?" when one of them is a likely typo.
 */
#ifndef LIB_SUGGEST_H
#define LIB_SUGGEST_H

#include <stddef.h>

/*
 * Edit distance between a and b (insertions, deletions, substitutions
 * and transpositions of neighbours each count 1).
 */
size_t	 kb_edit_distance(const char *a, const char *b);

/*
 * The choice a typo of word most likely meant: the nearest one, at
 * most 1 edit away for words of up to 4 bytes and 2 for longer ones;
 * NULL when none is that near.
 */
const char	*kb_suggest(const char *word, const char *const *choices,
		    size_t n);

/*
 * Print, for command cmd (NULL: kbench itself),
 *   kbench CMD: unknown WHAT 'word'; did you mean 'x'?
 *   kbench CMD: WHATs: a, b, c
 * (word NULL: "missing WHAT"), without the whole usage, and return
 * KB_EXIT_USAGE.
 */
int	 kb_unknown(const char *cmd, const char *what, const char *word,
	    const char *const *choices, size_t n);

#endif /* LIB_SUGGEST_H */
