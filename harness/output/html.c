/*
 * html.c: escaping for HTML, URLs and gnuplot string literals.
 */
#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "lib/util.h"
#include "output/html.h"

void
html_esc(FILE *fp, const char *s)
{
	unsigned char ch;

	if (s == NULL)
		return;
	for (; (ch = (unsigned char)*s) != '\0'; s++) {
		switch (ch) {
		case '&':	fputs("&amp;", fp); break;
		case '<':	fputs("&lt;", fp); break;
		case '>':	fputs("&gt;", fp); break;
		case '"':	fputs("&quot;", fp); break;
		case '\'':	fputs("&#39;", fp); break;
		case '\n':
		case '\t':	fputc(ch, fp); break;
		default:
			/* Control characters are not valid in HTML text. */
			fputc(ch < 0x20 || ch == 0x7f ? '?' : ch, fp);
		}
	}
}

