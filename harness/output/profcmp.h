/*
 * profcmp.h: the kernel functions whose instruction counts grew most
 * from one kernel to another (kbench compare --profile, the report of
 * a profiled try): per repetition, absolute and as a share of the
 * base's insn_kernel, from the profiles of kbench try --profile.
 */
#ifndef OUTPUT_PROFCMP_H
#define OUTPUT_PROFCMP_H

#include <stdio.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "store/profiledb.h"

#define PROFCMP_TOP	20	/* rows: the functions that grew most */

struct profcmp_row {
	const char	*func;
	double		 a, b;		/* instructions per repetition */
};

struct profcmp {
	const char		*label_a, *label_b;
	struct profile_side	 side[2];
	struct profcmp_row	*v;	/* most grown first */
	size_t			 n;
	struct db_table		 t;
};

/*
 * Kernels a (base) and b on (worker, workload), runs after since: 1
 * when both have profiled runs (free with profcmp_free), 0 when either
 * has none, -1 on error.
 */
int	 profcmp_load(PGconn *, const char *worker, const char *workload,
	    const char *a, const char *b, int64_t since, struct profcmp *);
void	 profcmp_free(struct profcmp *);

/* 72 columns, for a mail. */
void	 profcmp_text(FILE *, const struct profcmp *);
/* A Markdown table. */
void	 profcmp_md(FILE *, const struct profcmp *);
/* {"base": {...}, "patched": {...}, "functions": [...]} */
json_t	*profcmp_json(const struct profcmp *);
/* An HTML table, every name escaped. */
void	 profcmp_html(FILE *, const struct profcmp *);

#endif /* OUTPUT_PROFCMP_H */
