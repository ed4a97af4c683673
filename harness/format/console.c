/*
 * console.c: a guest's serial console, line by line (see console.h).
 *
 * Agent lines go through ap_reader like any other transport's; the
 * console adds only what a console needs: the kernel's release from
 * START (to check the guest booted the kernel we built), the guest
 * init's KBENCH-GUEST lines, the panic watch and a tail for reports.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "lib/hash.h"
#include "format/console.h"

#define GUEST_TAG	"KBENCH-GUEST "

/*
 * What a kernel prints when it is in trouble.  "Call Trace" alone is
 * a WARN(); it still means the kernel went somewhere its authors say
 * it must not, so the run is not trusted.  x86 and powerpc print "Call
 * Trace:", arm64 and riscv64 "Call trace:".
 */
static const char *const fatal_pats[] = {
	"Kernel panic",
	"Oops:",
	"Oops ",
	"BUG:",
	"blocked for more than",
	"soft lockup",
	"hard LOCKUP",
	"general protection fault",
	"Call Trace",
	"Call trace:",
	"end Kernel panic",
};

void
console_init(struct console *c)
{
	memset(c, 0, sizeof(*c));
	ap_reader_init(&c->rd);
}

const char *
console_fatal(const char *line)
{
	size_t i;

	/* Our own init's and agent's lines may quote anything. */
	if (strstr(line, "KBENCH-") != NULL ||
	    strncmp(line, "kbench-work: ", 13) == 0)
		return NULL;
	for (i = 0; i < sizeof(fatal_pats) / sizeof(fatal_pats[0]); i++)
		if (strstr(line, fatal_pats[i]) != NULL)
			return fatal_pats[i];
	return NULL;
}

/* A JSON string value by key, unescaped simply; 0 or -1. */
static int
json_str(const char *s, const char *key, char *out, size_t outsz)
{
	char pat[64];
	const char *p;
	size_t n = 0;

	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	if ((p = strstr(s, pat)) == NULL)
		return -1;
	for (p += strlen(pat); *p != '\0' && *p != '"'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		if (n + 1 < outsz)
			out[n++] = *p;
	}
	out[n] = '\0';
	return *p == '"' ? 0 : -1;
}

static long long
json_num(const char *s, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	if ((p = strstr(s, pat)) == NULL)
		return -1;
	return strtoll(p + strlen(pat), NULL, 10);
}

int
console_guest(const char *line, size_t len, struct guest_stat *g)
{
	const char *k, *end;
	unsigned long want;
	char *ep;
	size_t n;

	if ((k = strstr(line, GUEST_TAG)) == NULL)
		return -1;
	n = len - (size_t)(k - line);
	while (n > 0 && (k[n - 1] == '\r' || k[n - 1] == ' ' ||
	    k[n - 1] == '\n'))
		n--;
	if (n < 12 || k[n - 10] != ' ' || k[n - 9] != '*')
		return -1;
	end = k + n - 10;
	if (end[-1] != '}')
		return -1;
	want = strtoul(k + n - 8, &ep, 16);
	if (ep != k + n || kb_crc32(k, (size_t)(end - k)) != want)
		return -1;
	memset(g, 0, sizeof(*g));
	if (json_str(k, "tag", g->tag, sizeof(g->tag)) != 0)
		return -1;
	g->rep = (long)json_num(k, "rep");
	g->read_kib = json_num(k, "read_kib");
	g->write_kib = json_num(k, "write_kib");
	g->cached_kib = json_num(k, "cached_kib");
	g->memfree_kib = json_num(k, "memfree_kib");
	return 0;
}

static void
tail_add(struct console *c, const char *s, size_t n)
{
	size_t k;

	while (n > 0) {
		k = sizeof(c->tail) - c->tpos;
		if (k > n)
			k = n;
		memcpy(c->tail + c->tpos, s, k);
		c->tpos += k;
		s += k;
		n -= k;
		if (c->tpos == sizeof(c->tail)) {
			c->tpos = 0;
			c->twrapped = 1;
		}
	}
}

static int
one_line(struct console *c, int (*fn)(void *, const struct console_line *),
    void *arg)
{
	struct console_line l;
	const char *f;

	while (c->len > 0 && (c->line[c->len - 1] == '\r'))
		c->len--;
	c->line[c->len] = '\0';
	c->lines++;
	memset(&l, 0, sizeof(l));
	l.text = c->line;
	l.len = c->len;
	l.kind = CON_TEXT;
	if (strstr(c->line, GUEST_TAG) != NULL) {
		if (console_guest(c->line, c->len, &l.gs) == 0)
			l.kind = CON_GUEST;
	} else if (strstr(c->line, "KBENCH-") != NULL) {
		switch (ap_reader_feed(&c->rd, c->line, c->len, &l.ap)) {
		case AP_NONE:
			break;
		case AP_BAD:
			c->rejected++;
			l.kind = CON_AGENT_BAD;
			break;
		case AP_START:
			json_str(strstr(c->line, "KBENCH-START"), "release",
			    l.release, sizeof(l.release));
			/* FALLTHROUGH */
		default:
			l.kind = CON_AGENT;
			break;
		}
	} else if ((f = console_fatal(c->line)) != NULL) {
		l.kind = CON_FATAL;
		if (c->fatal[0] == '\0')
			snprintf(c->fatal, sizeof(c->fatal), "%.255s",
			    c->line);
	}
	c->len = 0;
	return fn != NULL ? fn(arg, &l) : 0;
}

int
console_feed(struct console *c, const char *s, size_t n,
    int (*fn)(void *, const struct console_line *), void *arg)
{
	size_t i;
	int rc;

	tail_add(c, s, n);
	for (i = 0; i < n; i++) {
		if (s[i] == '\n') {
			if ((rc = one_line(c, fn, arg)) != 0)
				return rc;
			continue;
		}
		/* An endless line: cut it, as a terminal would wrap it. */
		if (c->len >= sizeof(c->line) - 1 &&
		    (rc = one_line(c, fn, arg)) != 0)
			return rc;
		if (s[i] != '\0')
			c->line[c->len++] = s[i];
	}
	return 0;
}

int
console_flush(struct console *c,
    int (*fn)(void *, const struct console_line *), void *arg)
{
	return c->len > 0 ? one_line(c, fn, arg) : 0;
}

char *
console_tail(const struct console *c, int maxlines)
{
	char *buf, *p, *o;
	size_t n, i;
	int lines = 0;

	n = c->twrapped ? sizeof(c->tail) : c->tpos;
	buf = kb_malloc(n + 1);
	if (c->twrapped) {
		memcpy(buf, c->tail + c->tpos, sizeof(c->tail) - c->tpos);
		memcpy(buf + sizeof(c->tail) - c->tpos, c->tail, c->tpos);
	} else
		memcpy(buf, c->tail, n);
	buf[n] = '\0';
	/* Drop \r and NULs a console adds; keep the last maxlines. */
	for (p = o = buf; p < buf + n; p++)
		if (*p != '\r' && *p != '\0')
			*o++ = *p;
	*o = '\0';
	n = (size_t)(o - buf);
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	for (i = n; i > 0; i--)
		if (buf[i - 1] == '\n' && ++lines >= maxlines)
			break;
	p = kb_strdup(buf + i);
	free(buf);
	return p;
}
