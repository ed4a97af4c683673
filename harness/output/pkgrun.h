/*
 * pkgrun.h: the packages of one bulk run, in the order they were built,
 * for `kbench report --run`: text (72 columns), CSV and JSON.
 */
#ifndef OUTPUT_PKGRUN_H
#define OUTPUT_PKGRUN_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "store/pkgdb.h"

void	 pkgrun_text(FILE *, int64_t run, const struct pkgdb_row *, size_t);
void	 pkgrun_csv(FILE *, const struct pkgdb_row *, size_t);
json_t	*pkgrun_json(const struct pkgdb_row *, size_t);

#endif /* OUTPUT_PKGRUN_H */
