/*
 * agentproto.c: read kbench-agent's framed lines back out of a noisy
 * stream.  Nothing from a worker is trusted: a line must carry a good
 * CRC, hold a flat JSON object of the expected shape with every value
 * in range, and fit the sequence of its run, or it is rejected with a
 * reason.  The JSON parser is deliberately small and strict; it knows
 * only what the agent prints (plus unknown keys, skipped, so a newer
 * agent can add fields).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/hash.h"
#include "format/agentproto.h"

#define FRAME_TAG	"KBENCH-"
#define TAG_LEN		(sizeof(FRAME_TAG) - 1)
#define MAX_DEPTH	16	/* nesting in skipped unknown values */
#define STR_MAX		512	/* longest string value kept */

/* Parser state over [p, end); why is set on the first error. */
struct jp {
	const char	*p;
	const char	*end;
	const char	*why;
};

enum jtype { J_STR, J_INT, J_NUM, J_BOOL, J_NULL, J_OTHER };

/* A decoded value of a known key. */
struct jval {
	int		 seen;
	enum jtype	 type;
	int64_t		 i;
	char		 s[STR_MAX];
	int		 trunc;		/* s was cut at STR_MAX - 1 bytes */
};

/* What each kind of line may hold. */
struct field {
	const char	*name;
	char		 type;		/* 'i' integer, 'b' bool, 's' string */
	int		 required;
	int64_t		 min, max;
};

#define NOLIMIT	INT64_MAX
#define MAXF	20

static const struct field start_fields[] = {
	{ "v", 'i', 1, 0, NOLIMIT },
	{ "session", 's', 1, 0, 0 },
	{ "n", 'i', 1, 1, INT_MAX - 1 },
	{ "warmup", 'i', 1, 0, INT_MAX - 1 },
	{ NULL, 0, 0, 0, 0 }
};
enum { S_V, S_SESSION, S_N, S_WARMUP };

static const struct field sample_fields[] = {
	{ "session", 's', 1, 0, 0 },
	{ "rep", 'i', 1, 1, INT_MAX - 1 },
	{ "warmup", 'b', 1, 0, 0 },
	{ "real_us", 'i', 1, 0, NOLIMIT },
	{ "user_us", 'i', 1, 0, NOLIMIT },
	{ "sys_us", 'i', 1, 0, NOLIMIT },
	{ "maxrss_kb", 'i', 0, 0, NOLIMIT },
	{ "minflt", 'i', 0, 0, NOLIMIT },
	{ "majflt", 'i', 0, 0, NOLIMIT },
	{ "inblock", 'i', 0, 0, NOLIMIT },
	{ "oublock", 'i', 0, 0, NOLIMIT },
	{ "nvcsw", 'i', 0, 0, NOLIMIT },
	{ "nivcsw", 'i', 0, 0, NOLIMIT },
	{ "status", 'i', 1, 0, 255 },
	{ "timeout", 'b', 1, 0, 0 },
	{ "start", 's', 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 }
};
enum {
	P_SESSION, P_REP, P_WARMUP, P_REAL, P_USER, P_SYS, P_MAXRSS,
	P_MINFLT, P_MAJFLT, P_INBLOCK, P_OUBLOCK, P_NVCSW, P_NIVCSW,
	P_STATUS, P_TIMEOUT, P_START
};

static const struct field error_fields[] = {
	{ "session", 's', 1, 0, 0 },
	{ "rep", 'i', 0, 0, INT_MAX - 1 },
	{ "msg", 's', 1, 0, 0 },
	{ NULL, 0, 0, 0, 0 }
};
enum { E_SESSION, E_REP, E_MSG };

static const struct field end_fields[] = {
	{ "session", 's', 1, 0, 0 },
	{ "samples", 'i', 1, 0, LONG_MAX },
	{ "errors", 'i', 1, 0, LONG_MAX },
	{ NULL, 0, 0, 0, 0 }
};
enum { N_SESSION, N_SAMPLES, N_ERRORS };

static const struct {
	const char		*name;
	enum ap_kind		 kind;
	const struct field	*fields;
} kinds[] = {
	{ "START", AP_START, start_fields },
	{ "SAMPLE", AP_SAMPLE, sample_fields },
	{ "ERROR", AP_ERROR, error_fields },
	{ "END", AP_END, end_fields },
};

static enum ap_kind
bad(struct ap_line *l, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

static enum ap_kind
bad(struct ap_line *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(l->msg, sizeof(l->msg), fmt, ap);
	va_end(ap);
	l->kind = AP_BAD;
	return AP_BAD;
}

static int
fail(struct jp *j, const char *why)
{
	if (j->why == NULL)
		j->why = why;
	return -1;
}

static void
skipws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t'))
		j->p++;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
hex4(struct jp *j, unsigned *out)
{
	int i, h;

	if (j->end - j->p < 4)
		return fail(j, "truncated \\u escape");
	*out = 0;
	for (i = 0; i < 4; i++) {
		if ((h = hexval((unsigned char)j->p[i])) < 0)
			return fail(j, "bad \\u escape");
		*out = *out << 4 | (unsigned)h;
	}
	j->p += 4;
	return 0;
}

/* Append one byte to a value's string, noting a cut. */
static void
put(struct jval *v, size_t *n, int c)
{
	if (v == NULL)
		return;
	if (*n < sizeof(v->s) - 1)
		v->s[(*n)++] = (char)c;
	else
		v->trunc = 1;
}

/*
 * Length of the well-formed UTF-8 sequence at p (RFC 3629: no
 * overlongs, no surrogates, nothing past U+10FFFF), or 0.
 */
static size_t
utf8len(const unsigned char *p, const unsigned char *end)
{
	size_t n, i;
	unsigned lo = 0x80, hi = 0xbf;

	if (*p >= 0xc2 && *p <= 0xdf)
		n = 2;
	else if (*p >= 0xe0 && *p <= 0xef) {
		n = 3;
		if (*p == 0xe0)
			lo = 0xa0;
		else if (*p == 0xed)
			hi = 0x9f;
	} else if (*p >= 0xf0 && *p <= 0xf4) {
		n = 4;
		if (*p == 0xf0)
			lo = 0x90;
		else if (*p == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if ((size_t)(end - p) < n)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

/* A JSON string into v->s (v may be NULL to skip one). */
static int
jstring(struct jp *j, struct jval *v)
{
	const unsigned char *u;
	unsigned cp, lo;
	size_t n = 0, k;
	int c;

	if (j->p >= j->end || *j->p != '"')
		return fail(j, "expected a string");
	j->p++;
	for (;;) {
		if (j->p >= j->end)
			return fail(j, "unterminated string");
		c = (unsigned char)*j->p;
		if (c == '"') {
			j->p++;
			break;
		}
		if (c < 0x20)
			return fail(j, "control character in string");
		if (c >= 0x80) {
			u = (const unsigned char *)j->p;
			if ((k = utf8len(u, (const unsigned char *)j->end)) ==
			    0)
				return fail(j, "invalid UTF-8 in string");
			/* Never keep half a character. */
			if (v != NULL && n + k > sizeof(v->s) - 1)
				v->trunc = 1;
			for (; k > 0; k--, j->p++)
				if (v == NULL || !v->trunc)
					put(v, &n, (unsigned char)*j->p);
			continue;
		}
		j->p++;
		if (c != '\\') {
			put(v, &n, c);
			continue;
		}
		if (j->p >= j->end)
			return fail(j, "unterminated string");
		c = (unsigned char)*j->p++;
		switch (c) {
		case '"': case '\\': case '/':
			put(v, &n, c);
			continue;
		case 'b':
			put(v, &n, '\b');
			continue;
		case 'f':
			put(v, &n, '\f');
			continue;
		case 'n':
			put(v, &n, '\n');
			continue;
		case 'r':
			put(v, &n, '\r');
			continue;
		case 't':
			put(v, &n, '\t');
			continue;
		case 'u':
			break;
		default:
			return fail(j, "bad escape in string");
		}
		if (hex4(j, &cp) == -1)
			return -1;
		if (cp == 0)
			return fail(j, "NUL in string");
		if (cp >= 0xdc00 && cp <= 0xdfff)
			return fail(j, "lone surrogate in string");
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (j->end - j->p < 2 || j->p[0] != '\\' ||
			    j->p[1] != 'u')
				return fail(j, "lone surrogate in string");
			j->p += 2;
			if (hex4(j, &lo) == -1)
				return -1;
			if (lo < 0xdc00 || lo > 0xdfff)
				return fail(j, "lone surrogate in string");
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		}
		k = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
		if (v != NULL && n + k > sizeof(v->s) - 1) {
			v->trunc = 1;
			continue;
		}
		if (k == 1)
			put(v, &n, (int)cp);
		else if (k == 2) {
			put(v, &n, (int)(0xc0 | cp >> 6));
			put(v, &n, (int)(0x80 | (cp & 0x3f)));
		} else if (k == 3) {
			put(v, &n, (int)(0xe0 | cp >> 12));
			put(v, &n, (int)(0x80 | (cp >> 6 & 0x3f)));
			put(v, &n, (int)(0x80 | (cp & 0x3f)));
		} else {
			put(v, &n, (int)(0xf0 | cp >> 18));
			put(v, &n, (int)(0x80 | (cp >> 12 & 0x3f)));
			put(v, &n, (int)(0x80 | (cp >> 6 & 0x3f)));
			put(v, &n, (int)(0x80 | (cp & 0x3f)));
		}
	}
	if (v != NULL) {
		v->s[n] = '\0';
		v->type = J_STR;
	}
	return 0;
}

/*
 * A JSON number.  An integer that fits int64_t is J_INT in v->i; one
 * that does not is an error (a figure we would silently mangle); a
 * fraction or exponent makes J_NUM, fine only for unknown keys.
 */
static int
jnumber(struct jp *j, struct jval *v)
{
	int neg = 0, frac = 0, d;
	uint64_t mag = 0, lim;

	if (j->p < j->end && *j->p == '-') {
		neg = 1;
		j->p++;
	}
	if (j->p >= j->end || *j->p < '0' || *j->p > '9')
		return fail(j, "bad number");
	if (*j->p == '0' && j->end - j->p > 1 && j->p[1] >= '0' &&
	    j->p[1] <= '9')
		return fail(j, "leading zero in number");
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
		d = *j->p++ - '0';
		if (mag > (lim - (uint64_t)d) / 10)
			return fail(j, "number out of range");
		mag = mag * 10 + (uint64_t)d;
	}
	if (j->p < j->end && *j->p == '.') {
		frac = 1;
		j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return fail(j, "bad number");
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		frac = 1;
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return fail(j, "bad number");
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (v != NULL) {
		v->type = frac ? J_NUM : J_INT;
		if (!neg)
			v->i = (int64_t)mag;
		else if (mag == (uint64_t)INT64_MAX + 1)
			v->i = INT64_MIN;
		else
			v->i = -(int64_t)mag;
	}
	return 0;
}

static int
jword(struct jp *j, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0)
		return fail(j, "bad value");
	j->p += n;
	return 0;
}

static int	jskip(struct jp *, int);

/* Any value; v may be NULL (an unknown key: skip, nesting allowed). */
static int
jvalue(struct jp *j, struct jval *v, int depth)
{
	int truth;

	skipws(j);
	if (j->p >= j->end)
		return fail(j, "truncated object");
	switch (*j->p) {
	case '"':
		return jstring(j, v);
	case 't':
	case 'f':
		truth = *j->p == 't';
		if (jword(j, truth ? "true" : "false") == -1)
			return -1;
		if (v != NULL) {
			v->type = J_BOOL;
			v->i = truth;
		}
		return 0;
	case 'n':
		if (v != NULL)
			v->type = J_NULL;
		return jword(j, "null");
	case '{':
	case '[':
		if (v != NULL)
			v->type = J_OTHER;
		return jskip(j, depth + 1);
	default:
		return jnumber(j, v);
	}
}

/* Skip a nested object or array of an unknown key. */
static int
jskip(struct jp *j, int depth)
{
	char close = *j->p == '{' ? '}' : ']';
	int first = 1;

	if (depth > MAX_DEPTH)
		return fail(j, "nested too deep");
	j->p++;
	for (;;) {
		skipws(j);
		if (j->p >= j->end)
			return fail(j, "truncated object");
		if (*j->p == close) {
			j->p++;
			return 0;
		}
		if (!first) {
			if (*j->p != ',')
				return fail(j, "expected ',' in nested value");
			j->p++;
			skipws(j);
		}
		first = 0;
		if (close == '}') {
			if (jstring(j, NULL) == -1)
				return -1;
			skipws(j);
			if (j->p >= j->end || *j->p != ':')
				return fail(j, "expected ':'");
			j->p++;
		}
		if (jvalue(j, NULL, depth) == -1)
			return -1;
	}
}

/*
 * The flat object of one line: known keys into vals[] (in the order of
 * fields[]), unknown keys skipped, a repeated key an error.
 */
static int
jobject(struct jp *j, const struct field *fields, struct jval *vals,
    const char **dupkey)
{
	struct jval key, tmp;
	int first = 1, f;

	skipws(j);
	if (j->p >= j->end || *j->p != '{')
		return fail(j, "expected '{'");
	j->p++;
	for (;;) {
		skipws(j);
		if (j->p >= j->end)
			return fail(j, "truncated object");
		if (*j->p == '}') {
			j->p++;
			break;
		}
		if (!first) {
			if (*j->p != ',')
				return fail(j, "expected ',' or '}'");
			j->p++;
			skipws(j);
		}
		first = 0;
		memset(&key, 0, sizeof(key));
		if (jstring(j, &key) == -1)
			return -1;
		skipws(j);
		if (j->p >= j->end || *j->p != ':')
			return fail(j, "expected ':' after key");
		j->p++;
		for (f = 0; fields[f].name != NULL; f++)
			if (!key.trunc && strcmp(key.s, fields[f].name) == 0)
				break;
		if (fields[f].name == NULL) {
			if (jvalue(j, NULL, 0) == -1)
				return -1;
			continue;
		}
		if (vals[f].seen) {
			*dupkey = fields[f].name;
			return fail(j, "repeated key");
		}
		memset(&tmp, 0, sizeof(tmp));
		if (jvalue(j, &tmp, 0) == -1)
			return -1;
		vals[f] = tmp;
		vals[f].seen = 1;
	}
	skipws(j);
	if (j->p != j->end)
		return fail(j, "text after the object");
	return 0;
}

/* Check each known value's type and range. */
static enum ap_kind
check(struct ap_line *l, const char *kind, const struct field *fields,
    const struct jval *vals)
{
	const struct field *f;
	const struct jval *v;
	int i;

	for (i = 0; fields[i].name != NULL; i++) {
		f = &fields[i];
		v = &vals[i];
		if (!v->seen) {
			if (f->required)
				return bad(l, "%s: missing \"%s\"", kind,
				    f->name);
			continue;
		}
		switch (f->type) {
		case 'i':
			if (v->type != J_INT)
				return bad(l, "%s: \"%s\" is not an integer",
				    kind, f->name);
			if (v->i < f->min || v->i > f->max)
				return bad(l, "%s: \"%s\" %lld out of range "
				    "%lld..%lld", kind, f->name,
				    (long long)v->i, (long long)f->min,
				    (long long)f->max);
			break;
		case 'b':
			if (v->type != J_BOOL)
				return bad(l, "%s: \"%s\" is not true or "
				    "false", kind, f->name);
			break;
		case 's':
			if (v->type != J_STR)
				return bad(l, "%s: \"%s\" is not a string",
				    kind, f->name);
			break;
		}
	}
	return AP_NONE;
}

/* The agent's session: 8 to 63 lowercase hex digits. */
static int
goodsession(const struct jval *v)
{
	size_t n = strlen(v->s);

	return !v->trunc && n >= 8 && n <= 63 &&
	    strspn(v->s, "0123456789abcdef") == n;
}

static int
digits(const char *s, int n, int min, int max)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v >= min && v <= max;
}

/* ISO 8601 UTC as the agent writes it: 2026-11-22T04:00:00.123456Z. */
static int
goodstart(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 20 || n >= sizeof(((struct kb_sample *)0)->start))
		return 0;
	if (!digits(s, 4, 1970, 9999) || s[4] != '-' ||
	    !digits(s + 5, 2, 1, 12) || s[7] != '-' ||
	    !digits(s + 8, 2, 1, 31) || s[10] != 'T' ||
	    !digits(s + 11, 2, 0, 23) || s[13] != ':' ||
	    !digits(s + 14, 2, 0, 59) || s[16] != ':' ||
	    !digits(s + 17, 2, 0, 60))
		return 0;
	i = 19;
	if (s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == 20 || i > 29)
			return 0;
	}
	return i == n - 1 && s[i] == 'Z';
}

/*
 * Try the frame that starts at s (at the K of KBENCH-).  AP_NONE when
 * it is not a frame at all (just text that happens to say KBENCH-).
 */
static enum ap_kind
parse_frame(const char *s, size_t n, struct ap_line *l)
{
	struct jval vals[MAXF];
	const struct field *fields = NULL;
	const char *kname = NULL, *dupkey = NULL;
	struct kb_sample *sm = &l->sample;
	struct jp j;
	size_t w, body, k;
	uint32_t want, got;
	enum ap_kind kind = AP_NONE;
	int h, i;

	for (w = TAG_LEN; w < n && s[w] >= 'A' && s[w] <= 'Z'; w++)
		;
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (w - TAG_LEN == strlen(kinds[k].name) &&
		    memcmp(s + TAG_LEN, kinds[k].name, w - TAG_LEN) == 0) {
			kind = kinds[k].kind;
			kname = kinds[k].name;
			fields = kinds[k].fields;
		}
	if (kind == AP_NONE) {
		if (w > TAG_LEN && n - w >= 2 && s[w] == ' ' &&
		    s[w + 1] == '{')
			return bad(l, "unknown line kind \"%.*s\"",
			    (int)(w - TAG_LEN), s + TAG_LEN);
		return AP_NONE;
	}

	/* Serial consoles add \r; editors and shells add blanks. */
	while (n > w && (s[n - 1] == '\r' || s[n - 1] == ' ' ||
	    s[n - 1] == '\t' || s[n - 1] == '\n'))
		n--;
	if (n < w + 13 || s[w] != ' ' || s[w + 1] != '{')
		return bad(l, "%s: no JSON object (truncated line?)", kname);
	if (s[n - 10] != ' ' || s[n - 9] != '*')
		return bad(l, "%s: no \" *CRC\" at the end (truncated "
		    "line?)", kname);
	want = 0;
	for (i = 0; i < 8; i++) {
		if ((h = hexval((unsigned char)s[n - 8 + i])) < 0)
			return bad(l, "%s: CRC is not 8 hex digits", kname);
		want = want << 4 | (uint32_t)h;
	}
	body = n - 10;
	if (s[body - 1] != '}')
		return bad(l, "%s: no '}' before the CRC (truncated "
		    "line?)", kname);
	if ((got = kb_crc32(s, body)) != want)
		return bad(l, "%s: CRC mismatch: line says %08lx, content "
		    "gives %08lx", kname, (unsigned long)want,
		    (unsigned long)got);

	memset(vals, 0, sizeof(vals));
	j.p = s + w + 1;
	j.end = s + body;
	j.why = NULL;
	if (jobject(&j, fields, vals, &dupkey) == -1) {
		if (dupkey != NULL)
			return bad(l, "%s: repeated key \"%s\"", kname,
			    dupkey);
		return bad(l, "%s: bad JSON at byte %ld: %s", kname,
		    (long)(j.p - s), j.why);
	}
	if (check(l, kname, fields, vals) == AP_BAD)
		return AP_BAD;
	/* Every kind has a session. */
	for (i = 0; strcmp(fields[i].name, "session") != 0; i++)
		;
	if (!goodsession(&vals[i]))
		return bad(l, "%s: bad session id", kname);
	memcpy(l->session, vals[i].s, strlen(vals[i].s) + 1);

	switch (kind) {
	case AP_START:
		if (vals[S_V].i != 1)
			return bad(l, "START: protocol version %lld, this "
			    "kbench reads 1", (long long)vals[S_V].i);
		if (vals[S_N].i + vals[S_WARMUP].i > INT_MAX - 1)
			return bad(l, "START: too many repetitions");
		l->n = (long)vals[S_N].i;
		l->warmup = (long)vals[S_WARMUP].i;
		break;
	case AP_SAMPLE:
		sm->rep = (int)vals[P_REP].i;
		sm->warmup = (int)vals[P_WARMUP].i;
		sm->real_us = vals[P_REAL].i;
		sm->user_us = vals[P_USER].i;
		sm->sys_us = vals[P_SYS].i;
		if (vals[P_MAXRSS].seen)
			sm->maxrss_kb = vals[P_MAXRSS].i;
		if (vals[P_MINFLT].seen)
			sm->minflt = vals[P_MINFLT].i;
		if (vals[P_MAJFLT].seen)
			sm->majflt = vals[P_MAJFLT].i;
		if (vals[P_INBLOCK].seen)
			sm->inblock = vals[P_INBLOCK].i;
		if (vals[P_OUBLOCK].seen)
			sm->oublock = vals[P_OUBLOCK].i;
		if (vals[P_NVCSW].seen)
			sm->nvcsw = vals[P_NVCSW].i;
		if (vals[P_NIVCSW].seen)
			sm->nivcsw = vals[P_NIVCSW].i;
		sm->status = (int)vals[P_STATUS].i;
		sm->timedout = (int)vals[P_TIMEOUT].i;
		if (vals[P_START].seen) {
			if (vals[P_START].trunc ||
			    !goodstart(vals[P_START].s))
				return bad(l, "SAMPLE: \"start\" is not an "
				    "ISO 8601 UTC time");
			memcpy(sm->start, vals[P_START].s,
			    strlen(vals[P_START].s) + 1);
		}
		break;
	case AP_ERROR:
		l->rep = vals[E_REP].seen ? (long)vals[E_REP].i : 0;
		/* A long message is only cut, at a character boundary. */
		k = strlen(vals[E_MSG].s);
		if (k > sizeof(l->msg) - 1) {
			k = sizeof(l->msg) - 1;
			while (k > 0 &&
			    ((unsigned char)vals[E_MSG].s[k] & 0xc0) == 0x80)
				k--;
		}
		memcpy(l->msg, vals[E_MSG].s, k);
		l->msg[k] = '\0';
		break;
	case AP_END:
		l->samples = (long)vals[N_SAMPLES].i;
		l->errors = (long)vals[N_ERRORS].i;
		break;
	default:
		break;
	}
	l->kind = kind;
	return kind;
}

static void
clear(struct ap_line *l)
{
	memset(l, 0, sizeof(*l));
	kb_sample_init(&l->sample);
	l->kind = AP_NONE;
}

enum ap_kind
ap_parse(const char *line, size_t len, struct ap_line *l)
{
	char why[sizeof(l->msg)];
	size_t i;
	int rejected = 0;
	enum ap_kind k;

	why[0] = '\0';
	clear(l);
	/*
	 * Try every "KBENCH-" on the line, first to last: console noise
	 * before a frame, or a frame glued after a garbled one, still
	 * gives the good frame.
	 */
	for (i = 0; i + TAG_LEN <= len; i++) {
		if (line[i] != 'K' || memcmp(line + i, FRAME_TAG, TAG_LEN) != 0)
			continue;
		k = parse_frame(line + i, len - i, l);
		if (k != AP_NONE && k != AP_BAD)
			return k;
		if (k == AP_BAD && !rejected) {
			rejected = 1;
			memcpy(why, l->msg, sizeof(why));
		}
		clear(l);
	}
	if (rejected) {
		memcpy(l->msg, why, sizeof(l->msg));
		l->kind = AP_BAD;
	}
	return l->kind;
}

void
ap_reader_init(struct ap_reader *r)
{
	memset(r, 0, sizeof(*r));
	r->next_rep = 1;
}

static enum ap_kind
reject(struct ap_reader *r, struct ap_line *l, const char *fmt, ...)
    __attribute__((__format__(__printf__, 3, 4)));

static enum ap_kind
reject(struct ap_reader *r, struct ap_line *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(l->msg, sizeof(l->msg), fmt, ap);
	va_end(ap);
	l->kind = AP_BAD;
	r->rejected++;
	return AP_BAD;
}

static const char *
kindname(enum ap_kind k)
{
	switch (k) {
	case AP_START:
		return "START";
	case AP_SAMPLE:
		return "SAMPLE";
	case AP_ERROR:
		return "ERROR";
	case AP_END:
		return "END";
	default:
		return "line";
	}
}

enum ap_kind
ap_reader_feed(struct ap_reader *r, const char *line, size_t len,
    struct ap_line *l)
{
	enum ap_kind k;
	int rep;

	k = ap_parse(line, len, l);
	if (k == AP_NONE)
		return k;
	if (k == AP_BAD) {
		r->rejected++;
		return k;
	}
	if (r->ended)
		return reject(r, l, "%s after END", kindname(k));
	if (k == AP_START) {
		if (r->started)
			return reject(r, l, "second START (session %s) in "
			    "session %s", l->session, r->session);
		r->started = 1;
		memcpy(r->session, l->session, sizeof(r->session));
		r->next_rep = 1;
		r->warmup = l->warmup;
		r->planned = l->warmup + l->n;
		return k;
	}
	if (!r->started)
		return reject(r, l, "%s before START", kindname(k));
	if (strcmp(l->session, r->session) != 0)
		return reject(r, l, "%s from session %s in session %s "
		    "(forged or stale)", kindname(k), l->session, r->session);
	switch (k) {
	case AP_SAMPLE:
		rep = l->sample.rep;
		if (rep < r->next_rep)
			return reject(r, l, "SAMPLE rep %d repeated or out of "
			    "order (next is %d)", rep, r->next_rep);
		if (rep > r->planned)
			return reject(r, l, "SAMPLE rep %d beyond the %ld "
			    "planned", rep, r->planned);
		if ((rep <= r->warmup) != (l->sample.warmup != 0))
			return reject(r, l, "SAMPLE rep %d: warmup flag "
			    "disagrees with START's %ld warm-ups", rep,
			    r->warmup);
		r->next_rep = rep + 1;
		r->samples++;
		break;
	case AP_ERROR:
		r->errors++;
		break;
	case AP_END:
		r->ended = 1;
		if (l->samples != r->samples || l->errors != r->errors)
			snprintf(l->msg, sizeof(l->msg), "END reports %ld "
			    "samples and %ld errors, %ld and %ld received",
			    l->samples, l->errors, r->samples, r->errors);
		break;
	default:
		break;
	}
	return k;
}
