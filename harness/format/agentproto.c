/*
 * agentproto.c: read kbench-agent's framed lines back out of a noisy
 * stream.  Nothing from a worker is trusted: a line must carry a good
 * CRC, hold a flat JSON object of the expected shape with every value
 * in range, and fit the sequence of its run, or it is rejected with a
 * reason.  jansson parses the object strictly (valid UTF-8, no NUL, no
 * repeated key, integers that fit); unknown keys are skipped, so a
 * newer agent can add fields.
 */
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/hash.h"
#include "lib/util.h"
#include "format/agentproto.h"

#define FRAME_TAG	"KBENCH-"
#define TAG_LEN		(sizeof(FRAME_TAG) - 1)
#define MAX_DEPTH	16	/* nesting in skipped unknown values */

/* What each kind of line may hold. */
struct field {
	const char	*name;
	char		 type;		/* 'i' integer, 'b' bool, 's' string,
					   'o' object */
	int		 required;
	int64_t		 min, max;
};

#define NOLIMIT	INT64_MAX
#define MAXF	20

#define MAXF	20

static const struct field start_fields[] = {
	{ "v", 'i', 1, 0, NOLIMIT },
	{ "session", 's', 1, 0, 0 },
	{ "n", 'i', 1, 1, INT_MAX - 1 },
	{ "warmup", 'i', 1, 0, INT_MAX - 1 },
	{ "release", 's', 0, 0, 0 },
	{ "version", 's', 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 }
};
enum { S_V, S_SESSION, S_N, S_WARMUP, S_RELEASE, S_VERSION };

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
	{ "insn_user", 'i', 0, 0, NOLIMIT },
	{ NULL, 0, 0, 0, 0 }
};
enum {
	P_SESSION, P_REP, P_WARMUP, P_REAL, P_USER, P_SYS, P_MAXRSS,
	P_MINFLT, P_MAJFLT, P_INBLOCK, P_OUBLOCK, P_NVCSW, P_NIVCSW,
	P_STATUS, P_TIMEOUT, P_START, P_INSN_USER
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

/* The package row is read by format/agentpkg.h, not here. */
static const struct field pkg_fields[] = {
	{ "session", 's', 1, 0, 0 },
	{ "rep", 'i', 1, 1, INT_MAX - 1 },
	{ "pkg", 'o', 1, 0, 0 },
	{ NULL, 0, 0, 0, 0 }
};
enum { K_SESSION, K_REP, K_PKG };

static const struct {
	const char		*name;
	enum ap_kind		 kind;
	const struct field	*fields;
} kinds[] = {
	{ "START", AP_START, start_fields },
	{ "SAMPLE", AP_SAMPLE, sample_fields },
	{ "ERROR", AP_ERROR, error_fields },
	{ "END", AP_END, end_fields },
	{ "PKG", AP_PKG, pkg_fields },
};


/*
 * Messages end up in logs and the database: keep them plain ASCII,
 * whatever a hostile line made jansson quote.
 */
static enum ap_kind
bad(struct ap_line *l, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

static enum ap_kind
bad(struct ap_line *l, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	vsnprintf(l->msg, sizeof(l->msg), fmt, ap);
	va_end(ap);
	for (p = l->msg; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
	l->kind = AP_BAD;
	return AP_BAD;
}

/* Whether a skipped value nests containers deeper than MAX_DEPTH. */
static int
too_deep(json_t *v, int depth)
{
	const char *k;
	json_t *e;
	size_t i;

	if (!json_is_object(v) && !json_is_array(v))
		return 0;
	if (depth > MAX_DEPTH)
		return 1;
	if (json_is_object(v)) {
		json_object_foreach(v, k, e)
			if (too_deep(e, depth + 1))
				return 1;
	} else {
		json_array_foreach(v, i, e)
			if (too_deep(e, depth + 1))
				return 1;
	}
	return 0;
}

/*
 * jansson stops on a repeated key just past its closing quote, byte
 * pos of p: the key's text (as written, escapes and all) is the string
 * that ends there.  Its length, with *key set, or -1.
 */
static int
dupkey(const char *p, size_t pos, const char **key)
{
	size_t i, bs;

	if (pos < 2 || p[pos - 1] != '"')
		return -1;
	for (i = pos - 1; i-- > 0;) {
		if (p[i] != '"')
			continue;
		/* An opening quote has an even run of backslashes before. */
		for (bs = 0; bs < i && p[i - 1 - bs] == '\\'; bs++)
			;
		if (bs % 2 == 0) {
			*key = p + i + 1;
			return (int)(pos - 2 - i);
		}
	}
	return -1;
}

/*
 * The object of a frame, [p, p + n), off bytes into the line.  NULL
 * with l->msg set on bad JSON, a repeated key, a line break (the agent
 * prints none: a console glued two lines) or unknown values nested too
 * deep.
 */
static json_t *
load_object(struct ap_line *l, const char *kname, const char *p, size_t n,
    long off)
{
	json_error_t e;
	const char *key;
	json_t *o, *v;
	int len;

	if (memchr(p, '\n', n) != NULL || memchr(p, '\r', n) != NULL) {
		bad(l, "%s: bad JSON: line break in the object", kname);
		return NULL;
	}
	if ((o = json_loadb(p, n, JSON_REJECT_DUPLICATES, &e)) == NULL) {
		if (json_error_code(&e) == json_error_duplicate_key &&
		    (len = dupkey(p, (size_t)e.position, &key)) >= 0)
			bad(l, "%s: repeated key \"%.*s\"", kname, len, key);
		else
			bad(l, "%s: bad JSON at byte %ld: %s", kname,
			    off + (long)e.position,
			    json_error_code(&e) == json_error_numeric_overflow ?
			    "number out of range" : e.text);
		return NULL;
	}
	json_object_foreach(o, key, v)
		if (too_deep(v, 1)) {
			json_decref(o);
			bad(l, "%s: bad JSON: nested too deep", kname);
			return NULL;
		}
	return o;
}

/* Check each known value's type and range. */
static enum ap_kind
check(struct ap_line *l, const char *kind, const struct field *fields,
    json_t *const *vals)
{
	const struct field *f;
	json_int_t x;
	int i;

	for (i = 0; fields[i].name != NULL; i++) {
		f = &fields[i];
		if (vals[i] == NULL) {
			if (f->required)
				return bad(l, "%s: missing \"%s\"", kind,
				    f->name);
			continue;
		}
		switch (f->type) {
		case 'i':
			if (!json_is_integer(vals[i]))
				return bad(l, "%s: \"%s\" is not an integer",
				    kind, f->name);
			x = json_integer_value(vals[i]);
			if (x < f->min || x > f->max)
				return bad(l, "%s: \"%s\" %lld out of range "
				    "%lld..%lld", kind, f->name, (long long)x,
				    (long long)f->min, (long long)f->max);
			break;
		case 'b':
			if (!json_is_boolean(vals[i]))
				return bad(l, "%s: \"%s\" is not true or "
				    "false", kind, f->name);
			break;
		case 's':
			if (!json_is_string(vals[i]))
				return bad(l, "%s: \"%s\" is not a string",
				    kind, f->name);
			break;
		case 'o':
			if (!json_is_object(vals[i]))
				return bad(l, "%s: \"%s\" is not an object",
				    kind, f->name);
			break;
		}
	}
	return AP_NONE;
}

/* The agent's session: 8 to 63 lowercase hex digits. */
static int
goodsession(const char *s)
{
	size_t n = strlen(s);

	return n >= 8 && n <= 63 && strspn(s, "0123456789abcdef") == n;
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
 * The kind of the frame at s (at the K of KBENCH-), with *wp just past
 * its name; AP_NONE when it is not a frame at all (just text that
 * happens to say KBENCH-).
 */
static enum ap_kind
frame_kind(const char *s, size_t n, struct ap_line *l, size_t *wp, int *kp)
{
	size_t w, k;

	for (w = TAG_LEN; w < n && s[w] >= 'A' && s[w] <= 'Z'; w++)
		;
	*wp = w;
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (w - TAG_LEN == strlen(kinds[k].name) &&
		    memcmp(s + TAG_LEN, kinds[k].name, w - TAG_LEN) == 0) {
			*kp = (int)k;
			return kinds[k].kind;
		}
	if (w > TAG_LEN && n - w >= 2 && s[w] == ' ' && s[w + 1] == '{')
		return bad(l, "unknown line kind \"%.*s\"",
		    (int)(w - TAG_LEN), s + TAG_LEN);
	return AP_NONE;
}

/*
 * Check the frame's shape and CRC: " {...} *XXXXXXXX" after the kind's
 * name at s + w.  0 with *bodyp the object's length from s + w + 1,
 * or AP_BAD.
 */
static int
frame_body(const char *s, size_t n, size_t w, const char *kname,
    struct ap_line *l, size_t *bodyp)
{
	uint32_t want, got;
	int h, i;

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
		if ((h = kb_hexval((unsigned char)s[n - 8 + i])) < 0)
			return bad(l, "%s: CRC is not 8 hex digits",
			    kname);
		want = want << 4 | (uint32_t)h;
	}
	if (s[n - 11] != '}')
		return bad(l, "%s: no '}' before the CRC (truncated "
		    "line?)", kname);
	if ((got = kb_crc32(s, n - 10)) != want)
		return bad(l, "%s: CRC mismatch: line says %08lx, content "
		    "gives %08lx", kname, (unsigned long)want,
		    (unsigned long)got);
	*bodyp = n - 10 - (w + 1);
	return 0;
}

/* An optional field: KB_NONE (unknown, not zero) when left out. */
static int64_t
opt(json_t *v)
{
	return v != NULL ? json_integer_value(v) : KB_NONE;
}

static void
fill_sample(struct kb_sample *sm, json_t *const *vals)
{
	sm->rep = (int)json_integer_value(vals[P_REP]);
	sm->warmup = json_is_true(vals[P_WARMUP]);
	sm->real_us = json_integer_value(vals[P_REAL]);
	sm->user_us = json_integer_value(vals[P_USER]);
	sm->sys_us = json_integer_value(vals[P_SYS]);
	sm->maxrss_kb = opt(vals[P_MAXRSS]);
	sm->minflt = opt(vals[P_MINFLT]);
	sm->majflt = opt(vals[P_MAJFLT]);
	sm->inblock = opt(vals[P_INBLOCK]);
	sm->oublock = opt(vals[P_OUBLOCK]);
	sm->nvcsw = opt(vals[P_NVCSW]);
	sm->nivcsw = opt(vals[P_NIVCSW]);
	sm->status = (int)json_integer_value(vals[P_STATUS]);
	sm->timedout = json_is_true(vals[P_TIMEOUT]);
	/* kbench-agent -i: counted under valgrind, a host's command. */
	sm->insn_user = opt(vals[P_INSN_USER]);
}

/* The checked values of a line of this kind into l. */
static enum ap_kind
fill(struct ap_line *l, enum ap_kind kind, json_t *const *vals)
{
	struct kb_sample *sm = &l->sample;
	const char *s;
	size_t k;

	switch (kind) {
	case AP_START:
		if (json_integer_value(vals[S_V]) != 1)
			return bad(l, "START: protocol version %lld, this "
			    "kbench reads 1",
			    (long long)json_integer_value(vals[S_V]));
		l->n = (long)json_integer_value(vals[S_N]);
		l->warmup = (long)json_integer_value(vals[S_WARMUP]);
		if (vals[S_RELEASE] != NULL)
			snprintf(l->release, sizeof(l->release), "%s",
			    json_string_value(vals[S_RELEASE]));
		if (vals[S_VERSION] != NULL)
			snprintf(l->version, sizeof(l->version), "%s",
			    json_string_value(vals[S_VERSION]));
		if (l->n + l->warmup > INT_MAX - 1)
			return bad(l, "START: too many repetitions");
		break;
	case AP_SAMPLE:
		fill_sample(sm, vals);
		if (vals[P_START] != NULL) {
			s = json_string_value(vals[P_START]);
			if (!goodstart(s))
				return bad(l, "SAMPLE: \"start\" is not an "
				    "ISO 8601 UTC time");
			memcpy(sm->start, s, strlen(s) + 1);
		}
		break;
	case AP_ERROR:
		l->rep = vals[E_REP] != NULL ?
		    (long)json_integer_value(vals[E_REP]) : 0;
		/* A long message is only cut, at a character boundary. */
		s = json_string_value(vals[E_MSG]);
		k = strlen(s);
		if (k > sizeof(l->msg) - 1) {
			k = sizeof(l->msg) - 1;
			while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
				k--;
		}
		memcpy(l->msg, s, k);
		l->msg[k] = '\0';
		break;
	case AP_END:
		l->samples = (long)json_integer_value(vals[N_SAMPLES]);
		l->errors = (long)json_integer_value(vals[N_ERRORS]);
		break;
	case AP_PKG:
		l->rep = (long)json_integer_value(vals[K_REP]);
		break;
	default:
		break;
	}
	l->kind = kind;
	return kind;
}

/*
 * Try the frame that starts at s (at the K of KBENCH-).  AP_NONE when
 * it is not a frame at all.
 */
static enum ap_kind
parse_frame(const char *s, size_t n, struct ap_line *l)
{
	json_t *vals[MAXF], *o;
	const struct field *fields;
	const char *kname, *sess;
	enum ap_kind kind;
	size_t w, body = 0;
	int k = 0, i;

	if ((kind = frame_kind(s, n, l, &w, &k)) == AP_NONE ||
	    kind == AP_BAD)
		return kind;
	kname = kinds[k].name;
	fields = kinds[k].fields;
	if (frame_body(s, n, w, kname, l, &body) == AP_BAD)
		return AP_BAD;
	/* frame_body made sure of the '{': o is an object. */
	if ((o = load_object(l, kname, s + w + 1, body, (long)w + 1)) == NULL)
		return AP_BAD;
	for (i = 0; fields[i].name != NULL; i++)
		vals[i] = json_object_get(o, fields[i].name);
	if (check(l, kname, fields, vals) == AP_BAD)
		goto out;
	/* Every kind has a session. */
	for (i = 0; strcmp(fields[i].name, "session") != 0; i++)
		;
	sess = json_string_value(vals[i]);
	if (!goodsession(sess)) {
		bad(l, "%s: bad session id", kname);
		goto out;
	}
	memcpy(l->session, sess, strlen(sess) + 1);
	kind = fill(l, kind, vals);
out:
	if (l->kind == AP_BAD)
		kind = AP_BAD;
	json_decref(o);
	return kind;
}

json_t *
ap_frame_object(const char *line, size_t len, const char *name, char *why,
    size_t whysz)
{
	struct ap_line l;
	size_t i, w, nl = strlen(name), body = 0;
	json_t *o = NULL;

	memset(&l, 0, sizeof(l));
	snprintf(why, whysz, "no KBENCH-%s frame", name);
	for (i = 0; i + TAG_LEN + nl <= len; i++) {
		if (memcmp(line + i, FRAME_TAG, TAG_LEN) != 0 ||
		    memcmp(line + i + TAG_LEN, name, nl) != 0)
			continue;
		w = TAG_LEN + nl;
		if (frame_body(line + i, len - i, w, name, &l, &body) ==
		    AP_BAD ||
		    (o = load_object(&l, name, line + i + w + 1, body,
		    (long)(i + w + 1))) == NULL) {
			snprintf(why, whysz, "%s", l.msg);
			return NULL;
		}
		if (!json_is_object(o)) {
			json_decref(o);
			snprintf(why, whysz, "%s: not a JSON object", name);
			return NULL;
		}
		return o;
	}
	return NULL;
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
	case AP_PKG:
		return "PKG";
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
		if (r->expect != NULL && strstr(l->release, r->expect) ==
		    NULL && strstr(l->version, r->expect) == NULL) {
			r->wrong_kernel = 1;
			return reject(r, l, "START from the wrong kernel: "
			    "uname -r \"%s\", -v \"%.60s\", neither has \"%s\"",
			    l->release, l->version, r->expect);
		}
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
	case AP_PKG:
		/* A repetition's packages come before its SAMPLE. */
		if (l->rep < r->next_rep || l->rep > r->planned)
			return reject(r, l, "PKG rep %ld is not the running "
			    "one (next is %d of %ld)", l->rep, r->next_rep,
			    r->planned);
		r->pkgs++;
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
