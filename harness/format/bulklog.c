/*
 * bulklog.c: what the readers of other tools' bulk logs share: the
 * package list, its one name rule, reading a whole file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "lib/hash.h"
#include "format/bulklog.h"

void
bulklog_free(struct bulklog *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		free(b->v[i].name);
		free(b->v[i].pkgname);
	}
	for (i = 0; i < b->ne; i++) {
		free(b->e[i].pkg);
		free(b->e[i].dep);
	}
	free(b->v);
	free(b->e);
	memset(b, 0, sizeof(*b));
}

/* A package path as the tools write them: devel/gmake, lang/py@py311. */
static int
name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > BULKLOG_MAX_NAME)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return 0;
	return 1;
}

/* "file:line", or just "file" (a JSON path) where line is 0. */
static const char *
where(char *buf, size_t len, const char *file, long line)
{
	if (line > 0)
		snprintf(buf, len, "%s:%ld", file, line);
	else
		snprintf(buf, len, "%s", file);
	return buf;
}

int
bulklog_add(struct bulklog *b, const char *name, size_t namelen,
    const char *status, int64_t real_us, const char *file, long line,
    char *err, size_t errlen)
{
	struct bulklog_pkg *p;
	char at[512];
	size_t i;

	if (!name_ok(name, namelen)) {
		snprintf(err, errlen, "%s: bad package name; expected 1 to "
		    "%d printable characters without blanks",
		    where(at, sizeof(at), file, line), BULKLOG_MAX_NAME);
		return -1;
	}
	for (i = 0; i < b->n; i++)
		if (strlen(b->v[i].name) == namelen &&
		    memcmp(b->v[i].name, name, namelen) == 0) {
			snprintf(err, errlen, "%s: %.*s listed again; "
			    "expected each package once in one build",
			    where(at, sizeof(at), file, line), (int)namelen,
			    name);
			return -1;
		}
	if (b->n == BULKLOG_MAX_PKGS) {
		snprintf(err, errlen, "%s: more than %d packages; expected "
		    "one build", where(at, sizeof(at), file, line),
		    BULKLOG_MAX_PKGS);
		return -1;
	}
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->v = kb_reallocarray(b->v, b->cap, sizeof(*b->v));
	}
	p = &b->v[b->n++];
	p->name = kb_malloc(namelen + 1);
	memcpy(p->name, name, namelen);
	p->name[namelen] = '\0';
	snprintf(p->status, sizeof(p->status), "%s", status);
	p->real_us = real_us;
	p->line = line;
	p->pkgname = NULL;
	return 0;
}

void
bulklog_pkgname(struct bulklog *b, const char *s, size_t n)
{
	struct bulklog_pkg *p = &b->v[b->n - 1];

	free(p->pkgname);
	p->pkgname = kb_malloc(n + 1);
	memcpy(p->pkgname, s, n);
	p->pkgname[n] = '\0';
}

void
bulklog_edge(struct bulklog *b, const char *pkg, const char *dep)
{
	if (b->ne == b->ecap) {
		b->ecap = b->ecap ? b->ecap * 2 : 64;
		b->e = kb_reallocarray(b->e, b->ecap, sizeof(*b->e));
	}
	b->e[b->ne].pkg = kb_strdup(pkg);
	b->e[b->ne++].dep = kb_strdup(dep);
}

int
bulklog_split(const char *s, size_t n, const char **f, size_t *fl, int max)
{
	size_t i = 0, start;
	int nf = 0;

	while (i < n) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == n)
			break;
		start = i;
		while (i < n && s[i] != ' ' && s[i] != '\t')
			i++;
		if (nf < max) {
			f[nf] = s + start;
			fl[nf] = i - start;
		}
		nf++;
	}
	return nf;
}

char *
bulklog_slurp(const char *path, size_t *lenp, char *err, size_t errlen)
{
	FILE *fp;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			buf = kb_reallocarray(buf, cap, 1);
		}
		if ((n = fread(buf + len, 1, cap - len - 1, fp)) == 0)
			break;
		if ((len += n) > BULKLOG_MAX_FILE) {
			snprintf(err, errlen, "%s: larger than %zu MiB; "
			    "expected a build log", path,
			    BULKLOG_MAX_FILE >> 20);
			goto bad;
		}
	}
	if (ferror(fp)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto bad;
	}
	if (memchr(buf, '\0', len) != NULL) {
		snprintf(err, errlen, "%s: NUL byte; expected a text log",
		    path);
		goto bad;
	}
	fclose(fp);
	buf[len] = '\0';
	*lenp = len;
	return buf;
bad:
	fclose(fp);
	free(buf);
	return NULL;
}

void
bulklog_note(struct bulklog *b, const char *name, const char *buf,
    size_t len)
{
	char sha[65], both[130];
	size_t used = strlen(b->files);

	snprintf(b->files + used, sizeof(b->files) - used, "%s%s",
	    used ? " " : "", name);
	kb_sha256_hex(buf, len, sha);
	if (b->sha[0] == '\0')
		memcpy(b->sha, sha, sizeof(sha));
	else {
		/* The hash of the hashes: the same files give the same. */
		memcpy(both, b->sha, 64);
		memcpy(both + 64, sha, 65);
		kb_sha256_hex(both, 128, b->sha);
	}
}
