/*
 * pkgrows.c: a guest's package rows back into the file a local run's
 * bulk build writes.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "format/agentpkg.h"
#include "worker/pkgrows.h"

void
pkgrows_init(struct pkgrows *p, const char *dir)
{
	memset(p, 0, sizeof(*p));
	p->dir = dir;
}

static int
refuse(struct pkgrows *p, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

static int
refuse(struct pkgrows *p, const char *fmt, ...)
{
	va_list ap;

	if (p->rejected++ == 0) {
		va_start(ap, fmt);
		vsnprintf(p->why, sizeof(p->why), fmt, ap);
		va_end(ap);
	}
	return -1;
}

static void
forget(struct pkgrows *p)
{
	size_t i;

	for (i = 0; i < p->nseen; i++)
		free(p->seen[i]);
	free(p->seen);
	p->seen = NULL;
	p->nseen = 0;
}

void
pkgrows_free(struct pkgrows *p)
{
	forget(p);
}

int
pkgrows_feed(struct pkgrows *p, const char *line, size_t len)
{
	char why[256], pkg[PORTS_MAX_NAME + 1], *row, *path;
	size_t i;
	long rep;
	FILE *f;
	int rc;

	if (agentpkg_parse(line, len, &rep, pkg, &row, why, sizeof(why)) ==
	    -1)
		return refuse(p, "%s", why);
	if (rep != p->rep)
		forget(p);
	for (i = 0; i < p->nseen; i++)
		if (strcmp(p->seen[i], pkg) == 0) {
			free(row);
			return 0;
		}
	path = kb_asprintf("%s/pkgs-%ld.jsonl", p->dir, rep);
	/* A rep's first row starts its file: nothing stale is kept. */
	if ((f = fopen(path, rep == p->rep ? "a" : "w")) == NULL)
		rc = -1;
	else {
		rc = fprintf(f, "%s\n", row) < 0 ? -1 : 0;
		if (fclose(f) == EOF)
			rc = -1;
	}
	if (rc == -1)
		refuse(p, "%s: %s", path, strerror(errno));
	else {
		p->rep = rep;
		p->rows++;
		p->seen = kb_reallocarray(p->seen, p->nseen + 1,
		    sizeof(*p->seen));
		p->seen[p->nseen++] = kb_strdup(pkg);
	}
	free(path);
	free(row);
	return rc;
}

const char *
pkgrows_dir(const struct pkgrows *p, long rep)
{
	struct stat st;
	char *path;
	int there;

	if (p->rows == 0)
		return NULL;
	path = kb_asprintf("%s/pkgs-%ld.jsonl", p->dir, rep);
	there = stat(path, &st) == 0;
	free(path);
	return there ? p->dir : NULL;
}
