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

void
html_printf(FILE *fp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
}

void
html_urlenc(FILE *fp, const char *s)
{
	unsigned char ch;

	for (; (ch = (unsigned char)*s) != '\0'; s++) {
		if (isalnum(ch) || strchr("-._~", ch) != NULL)
			fputc(ch, fp);
		else
			fprintf(fp, "%%%02X", ch);
	}
}

int
html_urldec(char *s)
{
	char *w = s;
	int hi, lo;

	for (; *s != '\0'; s++) {
		if (*s == '+')
			*w++ = ' ';
		else if (*s == '%') {
			if ((hi = kb_hexval(s[1])) < 0 ||
			    (lo = kb_hexval(s[2])) < 0)
				return -1;
			if (hi == 0 && lo == 0)
				return -1;	/* no NUL inside a value */
			*w++ = (char)(hi * 16 + lo);
			s += 2;
		} else
			*w++ = *s;
	}
	*w = '\0';
	return 0;
}

void
html_gpstr(FILE *fp, const char *s)
{
	unsigned char ch;

	fputc('\'', fp);
	for (; (ch = (unsigned char)*s) != '\0'; s++) {
		if (ch == '\'')
			fputs("''", fp);
		else if (ch < 0x20 || ch == 0x7f)
			fputc('?', fp);
		else
			fputc(ch, fp);
	}
	fputc('\'', fp);
}
