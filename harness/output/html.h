/*
 * html.h: escaping for what kbench writes into HTML.  Every label, path
 * or message that came from a user, a worker or a log goes through it
 * before it is written (gnuplot's quoting is plot_gpstr, plot.h).
 */
#ifndef HTML_H
#define HTML_H

#include <stdio.h>

/* Text and attribute values: & < > " ' escaped; control chars as '?'. */
void	html_esc(FILE *, const char *);

#endif /* HTML_H */
