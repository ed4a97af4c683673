/*
 * report_formats.h: a comparison (output/report.h) written as text for a
 * mailing list, Markdown, CSV or JSON.
 */
#ifndef REPORT_FORMATS_H
#define REPORT_FORMATS_H

#include <stdio.h>

#include <jansson.h>

struct rp_cmp;
struct wd_change;

/* The ministat blocks and verdicts, every line at most RP_WIDTH. */
void	 rp_text(FILE *, const struct rp_cmp *);
/* Open regressions (change points), at most RP_WIDTH per line. */
void	 rp_text_changes(FILE *, const struct wd_change *, size_t);
void	 rp_md(FILE *, const struct rp_cmp *);
void	 rp_md_changes(FILE *, const struct wd_change *, size_t);
/* A CSV field: quoted, and never read as a formula. */
void	 rp_csv_str(FILE *, const char *);
void	 rp_csv_header(FILE *);
void	 rp_csv(FILE *, const struct rp_cmp *);
/* JSON (jansson): one object, and an array of change points. */
void	 rp_json(FILE *, const struct rp_cmp *);
void	 rp_json_changes(FILE *, const struct wd_change *, size_t);
/*
 * A JSON string, with '?' for the high bytes of text that is not UTF-8
 * (jansson takes only UTF-8); a figure, or null for NaN and infinity.
 */
json_t	*rp_jstr(const char *);
json_t	*rp_jnum(double);
/*
 * j written to fp (the reports' flags) and released; with name, as a
 * member after others: ",\n \"name\": j".
 */
void	 rp_json_put(FILE *, const char *name, json_t *j);

#endif /* REPORT_FORMATS_H */
