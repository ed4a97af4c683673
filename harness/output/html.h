/*
 * html.h: escaping for what kbench writes into HTML, URLs and gnuplot
 * scripts.  Every label, path or message that came from a user, a
 * worker or a log goes through one of these before it is written.
 */
#ifndef HTML_H
#define HTML_H

#include <stdio.h>

/* Text and attribute values: & < > " ' escaped; control chars as '?'. */
void	html_esc(FILE *, const char *);
/* printf whose %s arguments are NOT escaped: for fixed markup only. */
void	html_printf(FILE *, const char *, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
/* A URL query value: everything but [A-Za-z0-9-._~] percent-encoded. */
void	html_urlenc(FILE *, const char *);
/* Decode %XX and '+' in place (query strings); -1 on a bad escape. */
int	html_urldec(char *);
/*
 * A gnuplot single-quoted string literal: quote doubled, control
 * characters (a newline would end the command) as '?'.  gnuplot does
 * no backquote or macro substitution inside single quotes.
 */
void	html_gpstr(FILE *, const char *);

#endif /* HTML_H */
