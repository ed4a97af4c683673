/*
 * util.c: error reporting, allocation that cannot fail silently, paths.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"

const char	*kb_progname = "kbench";
int		 kb_quiet;
FILE		*kb_warnlog;

static void
vmsg(int with_errno, const char *fmt, va_list ap)
{
	int saved = errno;

	va_list aq;

	if (kb_warnlog != NULL) {
		va_copy(aq, ap);
		vfprintf(kb_warnlog, fmt, aq);
		va_end(aq);
		if (with_errno)
			fprintf(kb_warnlog, ": %s", strerror(saved));
		fputc('\n', kb_warnlog);
		fflush(kb_warnlog);
	}
	/* One line whole, though threads (kbench serve) write at once. */
	flockfile(stderr);
	fprintf(stderr, "%s: ", kb_progname);
	vfprintf(stderr, fmt, ap);
	if (with_errno)
		fprintf(stderr, ": %s", strerror(saved));
	fputc('\n', stderr);
	funlockfile(stderr);
}

void
kb_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(0, fmt, ap);
	va_end(ap);
}

void
kb_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(1, fmt, ap);
	va_end(ap);
}

/* Progress and notes: stderr, silenced by -q. */
void
kb_info(const char *fmt, ...)
{
	va_list ap;

	if (kb_quiet)
		return;
	va_start(ap, fmt);
	flockfile(stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
	va_end(ap);
}

static void
oom(void)
{
	fprintf(stderr, "%s: out of memory\n", kb_progname);
	exit(KB_EXIT_ERR);
}

void *
kb_malloc(size_t n)
{
	void *p;

	if ((p = malloc(n ? n : 1)) == NULL)
		oom();
	return p;
}

void *
kb_calloc(size_t n, size_t sz)
{
	void *p;

	if ((p = calloc(n ? n : 1, sz ? sz : 1)) == NULL)
		oom();
	return p;
}

void *
kb_reallocarray(void *p, size_t n, size_t sz)
{
	if (sz != 0 && n > SIZE_MAX / sz)
		oom();
	if ((p = realloc(p, n * sz != 0 ? n * sz : 1)) == NULL)
		oom();
	return p;
}

char *
kb_strdup(const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		oom();
	return p;
}

char *
kb_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	p = kb_malloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/* mkdir -p; the last component gets mode, parents 0755. */
int
kb_mkdirs(const char *path, int mode)
{
	char *p, *s;
	int rc = 0;

	p = kb_strdup(path);
	for (s = p + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) == -1 && errno != EEXIST) {
			kb_warn("mkdir %s", p);
			rc = -1;
		}
		*s = '/';
		if (rc == -1)
			break;
	}
	if (rc == 0 && mkdir(p, (mode_t)mode) == -1 && errno != EEXIST) {
		kb_warn("mkdir %s", p);
		rc = -1;
	}
	free(p);
	return rc;
}

int
kb_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (s[0] == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
kb_randhex(char *buf, size_t nbytes)
{
	unsigned char b[64];
	size_t i;
	FILE *fp;

	if (nbytes > sizeof(b) || (fp = fopen("/dev/urandom", "r")) == NULL)
		return -1;
	if (fread(b, 1, nbytes, fp) != nbytes) {
		fclose(fp);
		return -1;
	}
	fclose(fp);
	for (i = 0; i < nbytes; i++)
		snprintf(buf + 2 * i, 3, "%02x", b[i]);
	return 0;
}

int
kb_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The length of the UTF-8 sequence at s, or 0 if it is not one. */
static size_t
utf8_seq(const unsigned char *s)
{
	unsigned long cp;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong, a surrogate, or past U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

int
kb_ymd_shape(const char *s)
{
	int i;

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !(s[i] >= '0' &&
		    s[i] <= '9'))
			return 0;
	return s[10] == '\0';
}

int
kb_utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	for (; *p != '\0'; p += n)
		if ((n = utf8_seq(p)) == 0)
			return 0;
	return 1;
}

void	(*kb_usage_hook)(FILE *, const char *);

int
kb_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kbench %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (kb_usage_hook != NULL)
		kb_usage_hook(stderr, cmd);
	return KB_EXIT_USAGE;
}
