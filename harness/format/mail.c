/*
 * mail.c: tell a mail from a plain diff.  git am takes only the first,
 * git apply only the second (it would drop a mail's message), so both
 * "kbench try" and the kernel builder ask here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/util.h"
#include "format/mail.h"

/* A header field name, then ':' (RFC 5322: printable ASCII but ':'). */
static size_t
field_name(const char *p, size_t len)
{
	size_t n;

	for (n = 0; n < len && p[n] > ' ' && p[n] <= '~' && p[n] != ':'; n++)
		;
	return n > 0 && n < len && p[n] == ':' ? n : 0;
}

static int
names(const char *p, size_t n, const char *name)
{
	return strlen(name) == n && strncasecmp(p, name, n) == 0;
}

int
patch_is_mail(const char *buf)
{
	const char *p = buf, *nl;
	size_t len, n;
	int named = 0;

	/* mbox: git format-patch writes "From <sha> Mon Sep 17 ...". */
	if (strncmp(buf, "From ", 5) == 0)
		return 1;
	for (;;) {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (len == 0)
			return p != buf && named;
		if (p[0] == ' ' || p[0] == '\t') {
			/* A folded line continues a field, never starts. */
			if (p == buf)
				return 0;
		} else {
			/* "diff --git", "--- a/x", "Index: x" all end here. */
			if ((n = field_name(p, len)) == 0)
				return 0;
			named |= names(p, n, "From") ||
			    names(p, n, "Subject") || names(p, n, "Date");
		}
		if (nl == NULL)
			return 0;
		p = nl + 1;
	}
}

int
patch_file_is_mail(const char *path)
{
	char *buf;
	size_t n;
	FILE *fp;
	int mail;

	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	buf = kb_malloc(65536 + 1);
	n = fread(buf, 1, 65536, fp);
	buf[n] = '\0';
	fclose(fp);
	mail = patch_is_mail(buf);
	free(buf);
	return mail;
}
