/*
 * pkgrun.c: the packages of one bulk run (pkgrun.h).
 */
#include <stdio.h>
#include <string.h>

#include "output/pkgrun.h"
#include "output/report_formats.h"

#define NAMEW	28	/* the package column of the text form */

/* Seconds with the 2 decimals a build time has, or "-" for unknown. */
static void
secs(FILE *fp, long long us)
{
	if (us < 0)
		fprintf(fp, " %9s", "-");
	else
		fprintf(fp, " %9.2f", (double)us / 1e6);
}

void
pkgrun_text(FILE *fp, int64_t run, const struct pkgdb_row *v, size_t n)
{
	size_t i, nok = 0;
	double total = 0;

	fprintf(fp, "Packages of run %lld, in the order they started:\n\n",
	    (long long)run);
	fprintf(fp, "%3s %-*s %-7s %9s %9s %9s\n", "rep", NAMEW, "package",
	    "status", "real s", "user s", "sys s");
	for (i = 0; i < n; i++) {
		fprintf(fp, "%3d %-*.*s %-7s", v[i].rep, NAMEW, NAMEW,
		    v[i].name, v[i].status);
		secs(fp, v[i].real_us);
		secs(fp, v[i].user_us);
		secs(fp, v[i].sys_us);
		fputc('\n', fp);
		if (strcmp(v[i].status, "ok") == 0) {
			nok++;
			total += (double)v[i].real_us / 1e6;
		}
	}
	fprintf(fp, "\n%zu rows: %zu built, %zu failed or skipped; %.2f s of "
	    "package time\n(the packages' real times added up: parallel "
	    "builds overlap).\n\n", n, nok, n - nok, total);
}

void
pkgrun_csv(FILE *fp, const struct pkgdb_row *v, size_t n)
{
	size_t i;

	fputs("rep,package,status,exit,real_s,user_s,sys_s\n", fp);
	for (i = 0; i < n; i++) {
		fprintf(fp, "%d,", v[i].rep);
		rp_csv_str(fp, v[i].name);
		fprintf(fp, ",%s,", v[i].status);
		if (v[i].exit >= 0)
			fprintf(fp, "%d", v[i].exit);
		fprintf(fp, ",%.2f,", (double)v[i].real_us / 1e6);
		if (v[i].user_us >= 0)
			fprintf(fp, "%.2f", (double)v[i].user_us / 1e6);
		fputc(',', fp);
		if (v[i].sys_us >= 0)
			fprintf(fp, "%.2f", (double)v[i].sys_us / 1e6);
		fputc('\n', fp);
	}
}

/* Microseconds, as stored: exact, where seconds would print 17 digits. */
static json_t *
us_json(long long us)
{
	return us < 0 ? json_null() : json_integer(us);
}

json_t *
pkgrun_json(const struct pkgdb_row *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:i, s:s, s:s, s:o, "
		    "s:o, s:o, s:o}", "rep", v[i].rep, "package", v[i].name,
		    "status", v[i].status, "exit", v[i].exit < 0 ?
		    json_null() : json_integer(v[i].exit), "real_us",
		    us_json(v[i].real_us), "user_us", us_json(v[i].user_us),
		    "sys_us", us_json(v[i].sys_us)));
	return a;
}
