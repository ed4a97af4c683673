/*
 * commiturl.c: commit links from a tree's URL template (commiturl.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/commiturl.h"
#include "lib/util.h"

int
commit_url_ok(const char *t)
{
	const char *p;
	int n = 0;

	for (p = t; (p = strchr(p, '%')) != NULL; p += 2) {
		if (p[1] != 's')
			return -1;
		n++;
	}
	return n == 1 ? 0 : -1;
}

const char *
commit_url_for(const struct kb_tree *v, size_t n, const char *os)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (os != NULL && strcmp(v[i].os, os) == 0)
			return v[i].commit_url;
	for (i = 0; i < n; i++)
		if (*v[i].os == '\0')
			return v[i].commit_url;
	return NULL;
}

char *
commit_url(const char *t, const char *rev)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *s, *p;
	char *buf, *q;

	if (t == NULL || rev == NULL || *rev == '\0' ||
	    (s = strstr(t, "%s")) == NULL)
		return NULL;
	q = buf = kb_malloc(strlen(t) + 3 * strlen(rev) + 1);
	memcpy(q, t, (size_t)(s - t));
	q += s - t;
	for (p = rev; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL)
			*q++ = *p;
		else {
			*q++ = '%';
			*q++ = hex[(unsigned char)*p >> 4];
			*q++ = hex[(unsigned char)*p & 15];
		}
	}
	strcpy(q, s + 2);
	return buf;
}
