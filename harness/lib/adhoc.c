/*
 * adhoc.c: quote and label ad hoc commands.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "lib/hash.h"
#include "lib/adhoc.h"

#define LABEL_WORDS	2
#define LABEL_MAX	24	/* readable part, before the hash */

static const char safe[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    "0123456789_./=:,+-@%";

char *
adhoc_join(char *const *argv)
{
	size_t len = 1, i;
	const char *s;
	char *out, *p;

	/* Worst case: every byte a quote, four bytes each, plus quotes. */
	for (i = 0; argv[i] != NULL; i++)
		len += strlen(argv[i]) * 4 + 3;
	p = out = kb_malloc(len);
	for (i = 0; argv[i] != NULL; i++) {
		if (i > 0)
			*p++ = ' ';
		s = argv[i];
		if (*s != '\0' && strspn(s, safe) == strlen(s)) {
			p = stpcpy(p, s);
			continue;
		}
		*p++ = '\'';
		for (; *s != '\0'; s++) {
			if (*s == '\'')
				p = stpcpy(p, "'\\''");
			else
				*p++ = *s;
		}
		*p++ = '\'';
	}
	*p = '\0';
	return out;
}

static int
is_shell(const char *prog)
{
	static const char *const shells[] = {
		"sh", "bash", "dash", "ksh", "mksh", "zsh", NULL
	};
	const char *base;
	int i;

	base = (base = strrchr(prog, '/')) != NULL ? base + 1 : prog;
	for (i = 0; shells[i] != NULL; i++)
		if (strcmp(base, shells[i]) == 0)
			return 1;
	return 0;
}

static int
alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/*
 * Append word w to the label: its base name if it is the first, only
 * label characters, runs of anything else as one '-'.
 */
static void
add_word(char *label, size_t size, const char *w, size_t wlen, int first)
{
	const char *slash, *end = w + wlen;
	size_t len = strlen(label);
	int dash = len > 0;

	if (first)
		for (slash = w; slash < end; slash++)
			if (*slash == '/')
				w = slash + 1;
	for (; w < end && len + 2 < size; w++) {
		/* Not a leading '.': the label must pass label_valid(). */
		if (alnum((unsigned char)*w) || (*w == '.' && len > 0) ||
		    *w == '_' || *w == '+') {
			if (dash && len > 0)
				label[len++] = '-';
			label[len++] = *w;
			dash = 0;
		} else
			dash = 1;
	}
	label[len] = '\0';
}

/* A shell word that only sets a variable: "i=0" says nothing. */
static int
assignment(const char *w, size_t len)
{
	const char *eq = memchr(w, '=', len);

	return eq != NULL && eq > w && memchr(w, '/', (size_t)(eq - w)) ==
	    NULL;
}

char *
adhoc_label(char *const *argv)
{
	char label[LABEL_MAX + 1], *joined, *out;
	const char *s, *w;
	size_t len;
	uint32_t crc;
	int words = 0, i = 0;

	joined = adhoc_join(argv);
	crc = kb_crc32(joined, strlen(joined));
	free(joined);
	label[0] = '\0';
	if (argv[0] != NULL && argv[1] != NULL && argv[2] != NULL &&
	    is_shell(argv[0]) && strcmp(argv[1], "-c") == 0) {
		/* The script's words; shell punctuation separates them. */
		for (s = argv[2]; *s != '\0' && words < LABEL_WORDS;) {
			s += strspn(s, " \t\n;&|(){}!");
			len = strcspn(s, " \t\n;&|(){}!");
			w = s;
			s += len;
			if (len == 0 || (words == 0 && assignment(w, len)))
				continue;
			add_word(label, sizeof(label), w, len, words == 0);
			words++;
		}
	} else {
		for (i = 0; argv[i] != NULL && words < LABEL_WORDS; i++) {
			if (words == 0 && assignment(argv[i],
			    strlen(argv[i])))
				continue;
			add_word(label, sizeof(label), argv[i],
			    strlen(argv[i]), words == 0);
			words++;
		}
	}
	out = kb_asprintf("%s%s%06x", label[0] != '\0' ? label : "cmd", "-",
	    (unsigned)(crc & 0xffffff));
	return out;
}
