/*
 * poudlog.c: read a poudriere build's package lists (poudlog.h).
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"
#include "format/timeparse.h"
#include "format/bulklog.h"
#include "format/poudlog.h"

#define MAXF	8

/* The lists, in the order read, and the status each gives a package. */
static const struct {
	const char	*list, *status;
	int		 minf, maxf;	/* fields of a line */
} lists[] = {
	{ "built",	"ok",		3, 3 },
	{ "failed",	"failed",	4, 5 },
	{ "skipped",	"skipped",	3, 3 },
};
#define NLISTS	(sizeof(lists) / sizeof(lists[0]))

/* Whole seconds as clock -monotonic differences give them. */
static int
elapsed(const char *s, size_t n, int64_t *us)
{
	return memchr(s, '.', n) == NULL && tp_seconds(s, n, us) == 0 ?
	    0 : -1;
}

static int
list_line(const char *s, size_t n, const char *file, long line, int k,
    struct bulklog *b, char *err, size_t errlen)
{
	const char *f[MAXF];
	size_t fl[MAXF];
	int64_t us = 0;
	int nf;

	if ((nf = bulklog_split(s, n, f, fl, MAXF)) == 0)
		return 0;
	if (nf < lists[k].minf || nf > lists[k].maxf) {
		snprintf(err, errlen, "%s:%ld: %d fields; expected %s", file,
		    line, nf, k == 0 ? "ORIGIN PKGNAME ELAPSED" : k == 1 ?
		    "ORIGIN PKGNAME PHASE [ERRORTYPE] ELAPSED" :
		    "ORIGIN PKGNAME DEPENDENCY");
		return -1;
	}
	/* A crashed builder's failure has no time (crashed_build()). */
	if (k != 2 && elapsed(f[nf - 1], fl[nf - 1], &us) == -1 &&
	    (k == 0 || nf == 5)) {
		snprintf(err, errlen, "%s:%ld: elapsed '%.*s'; expected whole "
		    "seconds", file, line, (int)(fl[nf - 1] > 40 ? 40 :
		    fl[nf - 1]), f[nf - 1]);
		return -1;
	}
	if (bulklog_add(b, f[0], fl[0], lists[k].status, us, file, line,
	    err, errlen) == -1)
		return -1;
	bulklog_pkgname(b, f[1], fl[1]);
	return 0;
}

int
poudlog_parse_list(const char *buf, size_t len, const char *file,
    const char *list, struct bulklog *b, char *err, size_t errlen)
{
	const char *s = buf, *end = buf + len, *nl;
	long line = 0;
	size_t k;

	for (k = 0; k < NLISTS && strcmp(lists[k].list, list) != 0; k++)
		;
	if (k == NLISTS) {
		snprintf(err, errlen, "%s: unknown list %s", file, list);
		return -1;
	}
	while (s < end) {
		line++;
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			nl = end;
		if (list_line(s, (size_t)(nl - s), file, line, (int)k, b, err,
		    errlen) == -1)
			return -1;
		s = nl + 1;
	}
	return 0;
}

/* One {"origin", "flavor", "elapsed", ...} of .data.json's lists. */
static int
json_pkg(json_t *o, const char *at, int k, struct bulklog *b, char *err,
    size_t errlen)
{
	json_t *origin, *flavor, *el;
	char *name;
	int64_t us = 0;
	int rc;

	origin = json_object_get(o, "origin");
	flavor = json_object_get(o, "flavor");
	el = json_object_get(o, "elapsed");
	if (!json_is_string(origin) || (flavor != NULL &&
	    !json_is_string(flavor))) {
		snprintf(err, errlen, "%s: no origin; expected {\"origin\": "
		    "\"CATEGORY/PORT\", ...}", at);
		return -1;
	}
	if (k != 2 && el != NULL) {
		if (json_is_integer(el) && json_integer_value(el) >= 0)
			us = json_integer_value(el) * 1000000;
		else if (!json_is_string(el) || elapsed(json_string_value(el),
		    json_string_length(el), &us) == -1) {
			snprintf(err, errlen, "%s: elapsed; expected whole "
			    "seconds", at);
			return -1;
		}
	} else if (k == 0) {
		snprintf(err, errlen, "%s: no elapsed; expected the seconds "
		    "of a built package", at);
		return -1;
	}
	name = flavor != NULL && json_string_length(flavor) > 0 ?
	    kb_asprintf("%s@%s", json_string_value(origin),
	    json_string_value(flavor)) : kb_strdup(json_string_value(origin));
	rc = bulklog_add(b, name, strlen(name), lists[k].status, us, at, 0,
	    err, errlen);
	if (rc == 0 && json_is_string(json_object_get(o, "pkgname")))
		bulklog_pkgname(b, json_string_value(json_object_get(o,
		    "pkgname")), json_string_length(json_object_get(o,
		    "pkgname")));
	free(name);
	return rc;
}

int
poudlog_parse_json(const char *buf, size_t len, const char *file,
    struct bulklog *b, char *err, size_t errlen)
{
	json_error_t e;
	json_t *root, *ports, *a;
	char at[512];
	size_t k, i;
	int rc = -1;

	if ((root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &e)) ==
	    NULL) {
		snprintf(err, errlen, "%s:%d: %s; expected poudriere's "
		    ".data.json", file, e.line, e.text);
		return -1;
	}
	if (!json_is_object(ports = json_object_get(root, "ports"))) {
		snprintf(err, errlen, "%s:1: no \"ports\" object; expected "
		    "poudriere's .data.json", file);
		goto out;
	}
	for (k = 0; k < NLISTS; k++) {
		if ((a = json_object_get(ports, lists[k].list)) == NULL)
			continue;
		if (!json_is_array(a)) {
			snprintf(err, errlen, "%s: ports.%s: expected a list",
			    file, lists[k].list);
			goto out;
		}
		for (i = 0; i < json_array_size(a); i++) {
			snprintf(at, sizeof(at), "%s: ports.%s[%zu]", file,
			    lists[k].list, i);
			if (json_pkg(json_array_get(a, i), at, (int)k, b, err,
			    errlen) == -1)
				goto out;
		}
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

static int
by_pkgname(const void *x, const void *y)
{
	const struct bulklog_pkg *a = *(const struct bulklog_pkg *const *)x;
	const struct bulklog_pkg *b = *(const struct bulklog_pkg *const *)y;

	return strcmp(a->pkgname, b->pkgname);
}

/* The package whose PKGNAME is s[0..n), in the sorted index, or NULL. */
static const struct bulklog_pkg *
by_name(struct bulklog_pkg **ix, size_t nix, const char *s, size_t n)
{
	struct bulklog_pkg key, *kp = &key, **hit;
	char name[BULKLOG_MAX_NAME + 1];

	if (n > BULKLOG_MAX_NAME)
		return NULL;
	memcpy(name, s, n);
	name[n] = '\0';
	key.pkgname = name;
	hit = bsearch(&kp, ix, nix, sizeof(*ix), by_pkgname);
	return hit != NULL ? *hit : NULL;
}

int
poudlog_parse_deps(const char *buf, size_t len, const char *file,
    struct bulklog *b, char *err, size_t errlen)
{
	const char *s = buf, *end = buf + len, *nl, *f[MAXF];
	const struct bulklog_pkg *p, *d;
	struct bulklog_pkg **ix;
	size_t fl[MAXF], i, nix = 0;
	long line = 0;
	int nf, rc = 0;

	ix = kb_calloc(b->n + 1, sizeof(*ix));
	for (i = 0; i < b->n; i++)
		if (b->v[i].pkgname != NULL)
			ix[nix++] = &b->v[i];
	qsort(ix, nix, sizeof(*ix), by_pkgname);
	for (; s < end && rc == 0; s = nl + 1) {
		line++;
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			nl = end;
		if ((nf = bulklog_split(s, (size_t)(nl - s), f, fl, MAXF)) == 0)
			continue;
		if (nf != 2 || fl[0] < 7 || fl[1] < 5 ||
		    (memcmp(f[0], "build:", 6) != 0 &&
		    memcmp(f[0], "run:", 4) != 0)) {
			snprintf(err, errlen, "%s:%ld: expected build:PKGNAME "
			    "run:PKGNAME or run:PKGNAME ...", file, line);
			rc = -1;
		} else if (memcmp(f[0], "build:", 6) == 0 &&
		    memcmp(f[1], "run:", 4) == 0 &&
		    (p = by_name(ix, nix, f[0] + 6, fl[0] - 6)) != NULL &&
		    (d = by_name(ix, nix, f[1] + 4, fl[1] - 4)) != NULL &&
		    p != d)
			bulklog_edge(b, p->name, d->name);
	}
	free(ix);
	return rc;
}

/* DIR/NAME into the list; 1 when the file is not there. */
static int
read_one(const char *dir, const char *name, const char *list,
    struct bulklog *b, char *err, size_t errlen)
{
	char *path, *buf = NULL;
	size_t len;
	int rc = -1;

	path = kb_asprintf("%s/%s", dir, name);
	if (access(path, F_OK) == -1 && errno == ENOENT)
		rc = 1;
	else if ((buf = bulklog_slurp(path, &len, err, errlen)) != NULL &&
	    (rc = list == NULL ?
	    poudlog_parse_json(buf, len, path, b, err, errlen) :
	    strcmp(list, "deps") == 0 ?
	    poudlog_parse_deps(buf, len, path, b, err, errlen) :
	    poudlog_parse_list(buf, len, path, list, b, err, errlen)) == 0)
		bulklog_note(b, name, buf, len);
	free(buf);
	free(path);
	return rc;
}

int
poudlog_read(const char *dir, struct bulklog *b, char *err, size_t errlen)
{
	char name[64];
	size_t k;
	int rc;

	for (k = 0; k < NLISTS; k++) {
		snprintf(name, sizeof(name), ".poudriere.ports.%s",
		    lists[k].list);
		if ((rc = read_one(dir, name, lists[k].list, b, err,
		    errlen)) == -1)
			goto fail;
		/* Without a built list, the web copy is what is left. */
		if (rc == 1 && k == 0) {
			if ((rc = read_one(dir, ".data.json", NULL, b, err,
			    errlen)) == -1)
				goto fail;
			break;
		}
	}
	if (rc == 1 && b->n == 0) {
		snprintf(err, errlen, "%s: neither .poudriere.ports.built nor "
		    ".data.json; expected a poudriere build's log directory "
		    "(logs/bulk/MASTERNAME/BUILDNAME)", dir);
		goto fail;
	}
	if (b->n == 0) {
		snprintf(err, errlen, "%s: no package in its lists; expected "
		    "a build that built something", dir);
		goto fail;
	}
	/* The dependency graph poudriere stashed, where it is kept. */
	if (read_one(dir, ".poudriere.pkg_deps%", "deps", b, err,
	    errlen) == -1)
		goto fail;
	return 0;
fail:
	bulklog_free(b);
	return -1;
}
