/*
 * timeparse.c: turn the timing logs users already have into samples.
 *
 * Formats, one per file:
 *
 *   BSD	"   16m32.65s real    21m36.79s user    30m53.45s system"
 *		(ksh) or "        1.23 real   0.50 user   0.10 sys"
 *		(/usr/bin/time), each optionally followed by time -l rusage
 *		lines "   123456  maximum resident set size".
 *   POSIX	"real 1.23" / "user 0.50" / "sys 0.10" (time -p).
 *   bash	"real\t1m54.310s" / "user\t..." / "sys\t..." (also ksh93).
 *   GNU	the two-line default format and the time -v block, with
 *		an optional "Command exited with non-zero status N" or
 *		"Command terminated by signal N" line before a record
 *		(GNU time -p prints that line before a POSIX record too).
 *   plain	one number of seconds per line, ministat(1)'s input;
 *		each is a real time, user and sys are unknown.
 *
 * A BSD line that starts a record ("T real", "T user") but is not a
 * whole one is a cut or wrapped record: an error, not make noise.  A
 * plain file's line of one word that is no number ("nan", "foo") is an
 * error too, as in ministat.
 *
 * Format rule: the first time(1) record line (BSD line, "real",
 * GNU line, "Command being timed:") fixes the format of the file; a
 * record line of another format later is an error (mixed formats).
 * Bare numbers are samples only in a file that has no time(1)
 * record at all: once a record appears, bare numbers before and after
 * it are make noise (a count, a year) and are skipped, so a make log
 * holding the odd number still imports.  In a plain file a line that
 * starts like a number (a digit, maybe after a sign or '.') must be one
 * non-negative decimal number; comments ("# ...") and all other
 * lines are skipped, as are all non-record lines of a time(1) log.
 *
 * The lines of one record must be contiguous and in time(1)'s order
 * (real, user, sys; GNU line one then two; a -v block from "Command
 * being timed:" to "Exit status:"): anything else inside a record
 * means it was truncated or interleaved, and is an error rather than
 * a guess.
 *
 * Status: GNU's "Exit status:", or its "Command exited with non-zero
 * status N" (N) and "Command terminated by signal N" (128 + N) lines;
 * a GNU default record without such a line exited 0, since GNU time
 * prints one exactly when the status is not 0.  Otherwise -1.
 *
 * Numbers are parsed as exact decimals into microseconds; no floating
 * point, so "0.29" is 290000.  The parse is one pass over the input
 * with a fixed buffer: a line longer than TP_LINEMAX is an error.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "format/timeparse.h"

#define TP_LINEMAX	65536		/* longest line accepted, bytes */
#define TP_BUFSZ	(1024 * 1024)	/* read buffer, > 2 * TP_LINEMAX */
#define TP_MAXSECS	1000000000LL	/* ~31 years: more is impossible */
#define TP_MAXCOUNT	(1LL << 53)	/* rusage counts above are garbage */
#define TP_MAXTOK	8

enum tp_fmt { F_NONE, F_BSD, F_POSIX, F_BASH, F_GNU };

static const char *fmtname[] = {
	[F_NONE] = "plain-number",
	[F_BSD] = "BSD time",
	[F_POSIX] = "POSIX time -p",
	[F_BASH] = "bash time",
	[F_GNU] = "GNU time",
};

enum tp_state {
	S_IDLE,		/* between records */
	S_BSD_RU,	/* after a BSD line: time -l lines may follow */
	S_PX_USER,	/* POSIX/bash: "real" read, "user" expected */
	S_PX_SYS,	/* POSIX/bash: "sys" expected */
	S_GNU_PREFIX,	/* "Command exited ..." read, a record expected */
	S_GNU_L2,	/* GNU default line one read, line two expected */
	S_GNU_V		/* inside a GNU -v block */
};

/* A whitespace-separated word of the current line. */
struct tp_tok {
	const char	*p;
	size_t		 n;
};

struct tp {
	const char		*name;
	char			*err;
	size_t			 errlen;
	int			 failed;
	struct kb_sampleset	*out;
	size_t			 base;		/* out->n when we started */
	long			 lineno;
	enum tp_fmt		 fmt;
	enum tp_state		 st;
	struct kb_sample	 cur;		/* the record being read */
	unsigned		 seen;		/* fields of cur already set */
	int			 prefix;	/* status from "Command ..." */
	int			 prefix_sig;	/* it was a signal */
	long			 prefix_line;
	size_t			 nplain;	/* plain samples in out */
	long			 badplain_line;	/* first bad plain line */
	long			 nbadplain;
	char			 badplain[160];
	struct tp_skips		*skips;		/* lenient: skip, count */
	int			 fatal;		/* not a record's fault */
	/* the current line, split */
	struct tp_tok		 tok[TP_MAXTOK];
	size_t			 ntok;		/* TP_MAXTOK + 1 means more */
};

/* Bits of tp.seen. */
#define SEEN_REAL	0x0001
#define SEEN_USER	0x0002
#define SEEN_SYS	0x0004
#define SEEN_MAXRSS	0x0008
#define SEEN_MINFLT	0x0010
#define SEEN_MAJFLT	0x0020
#define SEEN_INBLOCK	0x0040
#define SEEN_OUBLOCK	0x0080
#define SEEN_NVCSW	0x0100
#define SEEN_NIVCSW	0x0200
#define SEEN_STATUS	0x0400

static void	tp_error(struct tp *, long, const char *, ...)
		    __attribute__((__format__(__printf__, 3, 4)));

static void
tp_error(struct tp *p, long line, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (p->failed)
		return;
	p->failed = 1;
	if (p->errlen == 0)
		return;
	if (line > 0)
		n = snprintf(p->err, p->errlen, "%s:%ld: ", p->name, line);
	else
		n = snprintf(p->err, p->errlen, "%s: ", p->name);
	if (n < 0 || (size_t)n >= p->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
}

/*
 * Copy a word of the input into buf for an error message: clipped,
 * and with control bytes replaced so a message stays one line.
 */
static const char *
shown(char *buf, size_t len, const char *s, size_t n)
{
	size_t i, max;

	max = len > 4 ? len - 4 : 0;	/* room for "..." and NUL */
	for (i = 0; i < n && i < max; i++)
		buf[i] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ?
		    '?' : s[i];
	if (i < n) {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return buf;
}

static int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

static int
isspc(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

static int
tokeq(const struct tp_tok *t, const char *s)
{
	size_t n = strlen(s);

	return t->n == n && memcmp(t->p, s, n) == 0;
}

/* Does word t end with s?  Then *vlen is the length of what precedes. */
static int
tokends(const struct tp_tok *t, const char *s, size_t *vlen)
{
	size_t n = strlen(s);

	if (t->n < n || memcmp(t->p + t->n - n, s, n) != 0)
		return 0;
	*vlen = t->n - n;
	return 1;
}

static void
tokenize(struct tp *p, const char *s, size_t n)
{
	size_t i = 0, start;

	p->ntok = 0;
	for (;;) {
		while (i < n && isspc(s[i]))
			i++;
		if (i == n)
			return;
		if (p->ntok == TP_MAXTOK) {
			p->ntok++;
			return;
		}
		start = i;
		while (i < n && !isspc(s[i]))
			i++;
		p->tok[p->ntok].p = s + start;
		p->tok[p->ntok].n = i - start;
		p->ntok++;
	}
}

/* Result of the number parsers. */
#define NUM_OK		0
#define NUM_BAD		-1	/* not a number of that form */
#define NUM_RANGE	-2	/* a number, but impossible */

/* Non-negative decimal integer, all of s[0..n). */
static int
parse_count(const char *s, size_t n, int64_t *v)
{
	int64_t	x = 0;
	size_t	i;

	if (n == 0)
		return NUM_BAD;
	for (i = 0; i < n; i++) {
		if (!isdig(s[i]))
			return NUM_BAD;
		if (x > TP_MAXCOUNT)
			return NUM_RANGE;
		x = x * 10 + (s[i] - '0');
	}
	if (x > TP_MAXCOUNT)
		return NUM_RANGE;
	*v = x;
	return NUM_OK;
}

/*
 * Exact decimal seconds "12", "12.", "12.34", ".5" into microseconds.
 * Digits past the sixth decimal round half up: the figure stays
 * integral, with no binary floating point in between.
 */
static int
parse_dec(const char *s, size_t n, int64_t *us)
{
	int64_t	sec = 0, frac = 0;
	size_t	i = 0, nd = 0, fd = 0;
	int	roundup = 0;

	while (i < n && isdig(s[i])) {
		if (sec > TP_MAXSECS)
			return NUM_RANGE;
		sec = sec * 10 + (s[i++] - '0');
		nd++;
	}
	if (i < n && s[i] == '.') {
		for (i++; i < n && isdig(s[i]); i++, fd++) {
			if (fd < 6)
				frac = frac * 10 + (s[i] - '0');
			else if (fd == 6)
				roundup = s[i] >= '5';
		}
	}
	if (i != n || nd + fd == 0)
		return NUM_BAD;
	if (sec > TP_MAXSECS)
		return NUM_RANGE;
	for (; fd < 6; fd++)
		frac *= 10;
	*us = sec * 1000000 + frac + roundup;
	return NUM_OK;
}

int
tp_seconds(const char *s, size_t n, int64_t *us)
{
	return parse_dec(s, n, us) == NUM_OK ? 0 : -1;
}

/* A leading integer field "16" of "16m...", bounded by max. */
static int
parse_field(const char *s, size_t n, size_t *used, int64_t max, int64_t *v)
{
	int64_t	x = 0;
	size_t	i;

	for (i = 0; i < n && isdig(s[i]); i++) {
		x = x * 10 + (s[i] - '0');
		if (x > TP_MAXSECS)
			return NUM_RANGE;
	}
	if (i == 0)
		return NUM_BAD;
	if (x > max)
		return NUM_RANGE;
	*used = i;
	*v = x;
	return NUM_OK;
}

/*
 * ksh/bash "[Hh]Mm<sec>s": "16m32.65s", "1h02m03.45s", "0m1.234s".
 * With minutes present the seconds must be below 60, and so must the
 * minutes when hours are.
 */
static int
parse_hms(const char *s, size_t n, int64_t *us)
{
	int64_t	h = 0, m = 0, sec, a;
	size_t	used;
	int	r;

	if (n < 2 || s[n - 1] != 's')
		return NUM_BAD;
	n--;
	if ((r = parse_field(s, n, &used, TP_MAXSECS, &a)) != NUM_OK)
		return r;
	if (used < n && s[used] == 'h') {
		h = a;
		s += used + 1;
		n -= used + 1;
		if ((r = parse_field(s, n, &used, TP_MAXSECS, &a)) != NUM_OK)
			return r;
		if (used == n || s[used] != 'm')
			return NUM_BAD;
		if (a >= 60)
			return NUM_RANGE;
	}
	if (used == n || s[used] != 'm')
		return NUM_BAD;
	m = a;
	s += used + 1;
	n -= used + 1;
	if ((r = parse_dec(s, n, &sec)) != NUM_OK)
		return r;
	if (sec >= 60 * 1000000LL)
		return NUM_RANGE;
	if (h * 3600 + m * 60 > TP_MAXSECS)
		return NUM_RANGE;
	*us = (h * 3600 + m * 60) * 1000000 + sec;
	return NUM_OK;
}

/* GNU elapsed "[H:]M:SS[.ff]": "0:01.23", "1:02:03". */
static int
parse_clock(const char *s, size_t n, int64_t *us)
{
	int64_t	f[2], sec;
	size_t	used;
	int	nf = 0, r;

	for (;;) {
		if ((r = parse_field(s, n, &used, TP_MAXSECS, &f[nf])) !=
		    NUM_OK)
			return r;
		if (used == n || s[used] != ':')
			return NUM_BAD;
		s += used + 1;
		n -= used + 1;
		if (++nf == 2 || memchr(s, ':', n) == NULL)
			break;
	}
	if ((r = parse_dec(s, n, &sec)) != NUM_OK)
		return r;
	if (sec >= 60 * 1000000LL || (nf == 2 && f[1] >= 60))
		return NUM_RANGE;
	if (nf == 2)
		f[0] = f[0] * 60 + f[1];
	if (f[0] * 60 > TP_MAXSECS)
		return NUM_RANGE;
	*us = f[0] * 60 * 1000000 + sec;
	return NUM_OK;
}

/* bash/ksh values have an 'm' or end in 's'; POSIX ones are bare. */
static int
is_hms(const struct tp_tok *t)
{
	return memchr(t->p, 'm', t->n) != NULL || t->p[t->n - 1] == 's';
}

/* Either form, as BSD lines use both. */
static int
parse_time(const char *s, size_t n, int64_t *us)
{
	struct tp_tok t = { s, n };

	if (n == 0)
		return NUM_BAD;
	return is_hms(&t) ? parse_hms(s, n, us) : parse_dec(s, n, us);
}

/*
 * Report a value that did not parse.  what names the field; expect
 * says what form it should have had.
 */
static void
bad_value(struct tp *p, int r, const char *what, const char *s, size_t n,
    const char *expect)
{
	char buf[48];

	shown(buf, sizeof(buf), s, n);
	if (n > 0 && s[0] == '-')
		tp_error(p, p->lineno, "negative %s \"%s\"; expected %s",
		    what, buf, expect);
	else if (r == NUM_RANGE)
		tp_error(p, p->lineno, "impossible %s \"%s\"; expected %s",
		    what, buf, expect);
	else
		tp_error(p, p->lineno, "bad %s \"%s\"; expected %s",
		    what, buf, expect);
}

static int
get_time(struct tp *p, const char *s, size_t n, const char *what,
    const char *expect, int (*fn)(const char *, size_t, int64_t *),
    int64_t *us)
{
	int r;

	if ((r = fn(s, n, us)) != NUM_OK) {
		bad_value(p, r, what, s, n, expect);
		return -1;
	}
	return 0;
}

static int
get_count(struct tp *p, const char *s, size_t n, const char *what,
    int64_t *v)
{
	int r;

	if ((r = parse_count(s, n, v)) != NUM_OK) {
		bad_value(p, r, what, s, n, "a non-negative integer");
		return -1;
	}
	return 0;
}

/*
 * A record of format f starts on this line.  The first one fixes the
 * format of the file, and drops bare numbers seen so far: they were
 * noise in a time(1) log, not a plain-number log.
 */
static int
set_format(struct tp *p, enum tp_fmt f)
{
	if (p->fmt == F_NONE) {
		p->fmt = f;
		p->out->n = p->base;
		p->nplain = 0;
		p->badplain_line = 0;
		p->nbadplain = 0;
		return 0;
	}
	if (p->fmt != f) {
		tp_error(p, p->lineno, "%s output in a %s log; expected one "
		    "format per file", fmtname[f], fmtname[p->fmt]);
		return -1;
	}
	return 0;
}

static void
begin(struct tp *p, enum tp_state st)
{
	kb_sample_init(&p->cur);
	p->cur.line = p->lineno;
	p->seen = 0;
	if (p->prefix_line != 0) {
		p->cur.line = p->prefix_line;
		p->cur.status = p->prefix;
		p->prefix_line = 0;
	} else
		p->prefix_sig = 0;
	p->st = st;
}

static void
emit(struct tp *p, struct kb_sample *s)
{
	s->rep = (int)(p->out->n - p->base + 1);
	kb_ss_add(p->out, s);
}

/* BSD: "T real T user T sys|system", T seconds or [Hh]Mm<sec>s. */
static int
is_bsd(const struct tp *p)
{
	return p->ntok == 6 && tokeq(&p->tok[1], "real") &&
	    tokeq(&p->tok[3], "user") &&
	    (tokeq(&p->tok[5], "sys") || tokeq(&p->tok[5], "system"));
}

/*
 * A line that starts a BSD record ("T real", "T user") but is not a
 * whole one: a record cut short or wrapped over two lines.
 */
static int
is_bsd_cut(const struct tp *p)
{
	int64_t us;

	return p->ntok >= 2 && p->ntok <= TP_MAXTOK &&
	    (tokeq(&p->tok[1], "real") || tokeq(&p->tok[1], "user")) &&
	    parse_time(p->tok[0].p, p->tok[0].n, &us) == NUM_OK;
}

static void
do_bsd(struct tp *p)
{
	static const char *ex = "seconds like 1.23 or 16m32.65s";
	const struct tp_tok *t = p->tok;

	if (set_format(p, F_BSD) == -1)
		return;
	begin(p, S_BSD_RU);
	if (get_time(p, t[0].p, t[0].n, "real time", ex, parse_time,
	    &p->cur.real_us) == -1 ||
	    get_time(p, t[2].p, t[2].n, "user time", ex, parse_time,
	    &p->cur.user_us) == -1 ||
	    get_time(p, t[4].p, t[4].n, "system time", ex, parse_time,
	    &p->cur.sys_us) == -1)
		return;
	emit(p, &p->cur);
}

/* BSD time -l lines (FreeBSD, OpenBSD and macOS spellings). */
static const struct {
	const char	*name;
	unsigned	 bit;
	size_t		 off;
} rusage_names[] = {
	{ "maximum resident set size", SEEN_MAXRSS,
	    offsetof(struct kb_sample, maxrss_kb) },
	{ "page reclaims", SEEN_MINFLT, offsetof(struct kb_sample, minflt) },
	{ "minor page faults", SEEN_MINFLT,
	    offsetof(struct kb_sample, minflt) },
	{ "page faults", SEEN_MAJFLT, offsetof(struct kb_sample, majflt) },
	{ "major page faults", SEEN_MAJFLT,
	    offsetof(struct kb_sample, majflt) },
	{ "block input operations", SEEN_INBLOCK,
	    offsetof(struct kb_sample, inblock) },
	{ "block output operations", SEEN_OUBLOCK,
	    offsetof(struct kb_sample, oublock) },
	{ "voluntary context switches", SEEN_NVCSW,
	    offsetof(struct kb_sample, nvcsw) },
	{ "involuntary context switches", SEEN_NIVCSW,
	    offsetof(struct kb_sample, nivcsw) },
	{ "average shared memory size", 0, 0 },
	{ "average unshared data size", 0, 0 },
	{ "average unshared stack size", 0, 0 },
	{ "swaps", 0, 0 },
	{ "messages sent", 0, 0 },
	{ "messages received", 0, 0 },
	{ "signals received", 0, 0 },
	{ "instructions retired", 0, 0 },
	{ "cycles elapsed", 0, 0 },
	{ "peak memory footprint", 0, 0 },
};

/*
 * A time -l line "  123456  maximum resident set size" belonging to
 * the BSD record just read.  Returns 1 if the line was one (or was
 * one with a bad number: then p->failed is set), 0 if the record has
 * ended and the line is to be looked at afresh.
 */
static int
do_rusage(struct tp *p, const char *s, size_t n)
{
	struct kb_sample *last;
	const char	*name;
	size_t		 i, nlen;
	int64_t		 v;

	if (p->ntok < 2)
		return 0;
	/* The name is the rest of the line after the first word. */
	name = p->tok[1].p;
	nlen = (size_t)(s + n - name);
	while (nlen > 0 && isspc(name[nlen - 1]))
		nlen--;
	for (i = 0; i < sizeof(rusage_names) / sizeof(rusage_names[0]); i++)
		if (strlen(rusage_names[i].name) == nlen &&
		    memcmp(rusage_names[i].name, name, nlen) == 0)
			break;
	if (i == sizeof(rusage_names) / sizeof(rusage_names[0]))
		return 0;
	if (get_count(p, p->tok[0].p, p->tok[0].n, rusage_names[i].name,
	    &v) == -1)
		return 1;
	if (rusage_names[i].bit == 0)
		return 1;
	if (p->seen & rusage_names[i].bit) {
		tp_error(p, p->lineno, "second \"%s\" in the record at line "
		    "%ld; expected each time -l line once",
		    rusage_names[i].name, p->cur.line);
		return 1;
	}
	p->seen |= rusage_names[i].bit;
	/* The record was emitted at its time line; complete it there. */
	last = &p->out->v[p->out->n - 1];
	*(int64_t *)(void *)((char *)last + rusage_names[i].off) = v;
	return 1;
}

/* POSIX "real 1.23" or bash "real\t0m1.23s". */
static void
do_real(struct tp *p)
{
	const struct tp_tok *v = &p->tok[1];
	enum tp_fmt f;

	f = is_hms(v) ? F_BASH : F_POSIX;
	if (set_format(p, f) == -1)
		return;
	begin(p, S_PX_USER);
	if (f == F_BASH)
		get_time(p, v->p, v->n, "real time", "a time like 1m54.310s",
		    parse_hms, &p->cur.real_us);
	else
		get_time(p, v->p, v->n, "real time", "seconds like 1.23",
		    parse_dec, &p->cur.real_us);
}

/* The "user" or "sys" line of a POSIX or bash record. */
static void
do_px_next(struct tp *p)
{
	const char	*want = p->st == S_PX_USER ? "user" : "sys";
	const char	*ex;
	const struct tp_tok *v = &p->tok[1];
	int64_t		*dst;
	int		 r;

	ex = p->fmt == F_BASH ? "0m0.50s" : "0.50";
	if (p->ntok != 2 || !tokeq(&p->tok[0], want)) {
		tp_error(p, p->lineno, "record started at line %ld is "
		    "incomplete; expected \"%s %s\"", p->cur.line, want, ex);
		return;
	}
	dst = p->st == S_PX_USER ? &p->cur.user_us : &p->cur.sys_us;
	if (p->fmt == F_BASH)
		r = get_time(p, v->p, v->n, want, "a time like 0m0.50s",
		    parse_hms, dst);
	else
		r = get_time(p, v->p, v->n, want, "seconds like 0.50",
		    parse_dec, dst);
	if (r == -1)
		return;
	if (p->st == S_PX_USER)
		p->st = S_PX_SYS;
	else {
		emit(p, &p->cur);
		p->st = S_IDLE;
	}
}

/* A cursor over a line for the GNU formats' fixed layouts. */
struct scan {
	const char	*p;
	const char	*e;
};

static int
sc_lit(struct scan *c, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(c->e - c->p) < n || memcmp(c->p, lit, n) != 0)
		return -1;
	c->p += n;
	return 0;
}

/* Skip blanks; returns 0 so it can sit in a chain of && tests. */
static int
sc_blank(struct scan *c)
{
	while (c->p < c->e && isspc(*c->p))
		c->p++;
	return 0;
}

/* Only blanks are left. */
static int
sc_end(struct scan *c)
{
	sc_blank(c);
	return c->p == c->e;
}

/* An integer up to the next non-digit. */
static int
sc_count(struct tp *p, struct scan *c, const char *what, int64_t *v)
{
	const char *s = c->p;

	while (c->p < c->e && isdig(*c->p))
		c->p++;
	if (c->p == s) {
		/* Show the offending word. */
		while (c->p < c->e && !isspc(*c->p))
			c->p++;
		bad_value(p, NUM_BAD, what, s, (size_t)(c->p - s),
		    "a non-negative integer");
		return -1;
	}
	return get_count(p, s, (size_t)(c->p - s), what, v);
}

/*
 * GNU default, line one:
 * "0.50user 0.10system 0:01.23elapsed 49%CPU (0avgtext+0avgdata
 * 1234maxresident)k".
 */
static int
is_gnu1(const struct tp *p)
{
	size_t n;

	return p->ntok >= 3 && tokends(&p->tok[0], "user", &n) &&
	    tokends(&p->tok[1], "system", &n) &&
	    tokends(&p->tok[2], "elapsed", &n);
}

static void
do_gnu1(struct tp *p, const char *s, size_t len)
{
	static const char *ex = "GNU time's \"0.50user 0.10system "
	    "0:01.23elapsed 49%CPU (0avgtext+0avgdata 1234maxresident)k\"";
	const struct tp_tok *t = p->tok;
	struct scan	c;
	size_t		n = 0;
	int64_t		v;

	if (set_format(p, F_GNU) == -1)
		return;
	begin(p, S_GNU_L2);
	if (p->cur.status == -1)
		p->cur.status = 0;	/* GNU says so when it is not */
	tokends(&t[0], "user", &n);
	if (get_time(p, t[0].p, n, "user time", "seconds like 0.50",
	    parse_dec, &p->cur.user_us) == -1)
		return;
	tokends(&t[1], "system", &n);
	if (get_time(p, t[1].p, n, "system time", "seconds like 0.10",
	    parse_dec, &p->cur.sys_us) == -1)
		return;
	tokends(&t[2], "elapsed", &n);
	if (get_time(p, t[2].p, n, "elapsed time", "[h:]m:ss.ff",
	    parse_clock, &p->cur.real_us) == -1)
		return;
	c.p = t[2].p + t[2].n;
	c.e = s + len;
	sc_blank(&c);
	/* CPU percentage, "?" when elapsed was zero: not kept. */
	if (sc_lit(&c, "?") == -1 && sc_count(p, &c, "CPU percentage",
	    &v) == -1)
		return;
	if (sc_lit(&c, "%CPU") == 0) {
		sc_blank(&c);
		if (sc_lit(&c, "(") == 0 &&
		    sc_count(p, &c, "avgtext", &v) == 0 &&
		    sc_lit(&c, "avgtext+") == 0 &&
		    sc_count(p, &c, "avgdata", &v) == 0 &&
		    sc_lit(&c, "avgdata") == 0 && sc_blank(&c) == 0 &&
		    sc_count(p, &c, "maxresident", &p->cur.maxrss_kb) == 0 &&
		    sc_lit(&c, "maxresident)k") == 0 &&
		    sc_end(&c))
			return;
	}
	tp_error(p, p->lineno, "malformed GNU time line; expected %s", ex);
}

/* "0inputs+0outputs (0major+123minor)pagefaults 0swaps" */
static void
do_gnu2(struct tp *p, const char *s, size_t len)
{
	struct scan	c = { s, s + len };
	int64_t		v;

	sc_blank(&c);
	if (c.p < c.e && isdig(*c.p) &&
	    sc_count(p, &c, "inputs", &p->cur.inblock) == 0 &&
	    sc_lit(&c, "inputs+") == 0 &&
	    sc_count(p, &c, "outputs", &p->cur.oublock) == 0 &&
	    sc_lit(&c, "outputs") == 0 && sc_blank(&c) == 0 &&
	    sc_lit(&c, "(") == 0 &&
	    sc_count(p, &c, "major faults", &p->cur.majflt) == 0 &&
	    sc_lit(&c, "major+") == 0 &&
	    sc_count(p, &c, "minor faults", &p->cur.minflt) == 0 &&
	    sc_lit(&c, "minor)pagefaults") == 0 && sc_blank(&c) == 0 &&
	    sc_count(p, &c, "swaps", &v) == 0 &&
	    sc_lit(&c, "swaps") == 0 && sc_end(&c)) {
		emit(p, &p->cur);
		p->st = S_IDLE;
		return;
	}
	tp_error(p, p->lineno, "GNU time record started at line %ld is "
	    "incomplete or malformed; expected \"0inputs+0outputs "
	    "(0major+123minor)pagefaults 0swaps\"", p->cur.line);
}

/* The lines of a GNU time -v block, in the order GNU time prints them. */
enum vkind { V_SKIP, V_USER, V_SYS, V_ELAPSED, V_COUNT, V_PERCENT,
	V_STATUS, V_START };

static const struct {
	const char	*key;
	enum vkind	 kind;
	unsigned	 bit;
	size_t		 off;
} vkeys[] = {
	{ "Command being timed", V_START, 0, 0 },
	{ "User time (seconds)", V_USER, SEEN_USER, 0 },
	{ "System time (seconds)", V_SYS, SEEN_SYS, 0 },
	{ "Percent of CPU this job got", V_PERCENT, 0, 0 },
	{ "Elapsed (wall clock) time (h:mm:ss or m:ss)", V_ELAPSED,
	    SEEN_REAL, 0 },
	{ "Average shared text size (kbytes)", V_SKIP, 0, 0 },
	{ "Average unshared data size (kbytes)", V_SKIP, 0, 0 },
	{ "Average stack size (kbytes)", V_SKIP, 0, 0 },
	{ "Average total size (kbytes)", V_SKIP, 0, 0 },
	{ "Maximum resident set size (kbytes)", V_COUNT, SEEN_MAXRSS,
	    offsetof(struct kb_sample, maxrss_kb) },
	{ "Average resident set size (kbytes)", V_SKIP, 0, 0 },
	{ "Major (requiring I/O) page faults", V_COUNT, SEEN_MAJFLT,
	    offsetof(struct kb_sample, majflt) },
	{ "Minor (reclaiming a frame) page faults", V_COUNT, SEEN_MINFLT,
	    offsetof(struct kb_sample, minflt) },
	{ "Voluntary context switches", V_COUNT, SEEN_NVCSW,
	    offsetof(struct kb_sample, nvcsw) },
	{ "Involuntary context switches", V_COUNT, SEEN_NIVCSW,
	    offsetof(struct kb_sample, nivcsw) },
	{ "Swaps", V_SKIP, 0, 0 },
	{ "File system inputs", V_COUNT, SEEN_INBLOCK,
	    offsetof(struct kb_sample, inblock) },
	{ "File system outputs", V_COUNT, SEEN_OUBLOCK,
	    offsetof(struct kb_sample, oublock) },
	{ "Socket messages sent", V_SKIP, 0, 0 },
	{ "Socket messages received", V_SKIP, 0, 0 },
	{ "Signals delivered", V_SKIP, 0, 0 },
	{ "Page size (bytes)", V_SKIP, 0, 0 },
	{ "Exit status", V_STATUS, SEEN_STATUS, 0 },
};

/*
 * Split "\tKey: value" and look the key up.  Returns the index in
 * vkeys or -1; *val is the trimmed value.
 */
static int
vkey(const char *s, size_t n, struct tp_tok *val)
{
	const char	*colon, *e = s + n;
	size_t		 i, klen;

	while (s < e && isspc(*s))
		s++;
	for (colon = s; colon + 1 < e; colon++)
		if (colon[0] == ':' && (colon[1] == ' ' || colon[1] == '\t'))
			break;
	if (colon + 1 >= e) {
		/* "Key:" with nothing after it is still a key. */
		if (e > s && e[-1] == ':')
			colon = e - 1;
		else
			return -1;
	}
	klen = (size_t)(colon - s);
	for (i = 0; i < sizeof(vkeys) / sizeof(vkeys[0]); i++)
		if (strlen(vkeys[i].key) == klen &&
		    memcmp(vkeys[i].key, s, klen) == 0)
			break;
	if (i == sizeof(vkeys) / sizeof(vkeys[0]))
		return -1;
	val->p = colon + 1;
	while (val->p < e && isspc(*val->p))
		val->p++;
	while (e > val->p && isspc(e[-1]))
		e--;
	val->n = (size_t)(e - val->p);
	return (int)i;
}

static int
is_gnuv_start(const char *s, size_t n)
{
	struct tp_tok v;
	int k;

	return (k = vkey(s, n, &v)) != -1 && vkeys[k].kind == V_START;
}

/* Close a -v block at its "Exit status:" line. */
static void
gnuv_end(struct tp *p)
{
	static const struct {
		unsigned	 bit;
		const char	*key;
	} need[] = {
		{ SEEN_REAL, "Elapsed (wall clock) time" },
		{ SEEN_USER, "User time (seconds)" },
		{ SEEN_SYS, "System time (seconds)" },
	};
	size_t i;

	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if (!(p->seen & need[i].bit)) {
			tp_error(p, p->lineno, "GNU time -v record started "
			    "at line %ld has no \"%s\" line; expected one "
			    "before \"Exit status\"", p->cur.line,
			    need[i].key);
			return;
		}
	}
	emit(p, &p->cur);
	p->st = S_IDLE;
}

static void
do_gnuv(struct tp *p, const char *s, size_t n)
{
	struct tp_tok	 v;
	int64_t		 x;
	int		 k, r;

	if ((k = vkey(s, n, &v)) == -1 || vkeys[k].kind == V_START) {
		tp_error(p, p->lineno, "GNU time -v record started at line "
		    "%ld is incomplete; expected its lines up to \"Exit "
		    "status:\"", p->cur.line);
		return;
	}
	if (vkeys[k].bit != 0 && (p->seen & vkeys[k].bit)) {
		tp_error(p, p->lineno, "second \"%s\" in the record started "
		    "at line %ld; expected each line once", vkeys[k].key,
		    p->cur.line);
		return;
	}
	p->seen |= vkeys[k].bit;
	switch (vkeys[k].kind) {
	case V_USER:
		get_time(p, v.p, v.n, "user time", "seconds like 0.50",
		    parse_dec, &p->cur.user_us);
		break;
	case V_SYS:
		get_time(p, v.p, v.n, "system time", "seconds like 0.10",
		    parse_dec, &p->cur.sys_us);
		break;
	case V_ELAPSED:
		get_time(p, v.p, v.n, "elapsed time", "[h:]m:ss.ff",
		    parse_clock, &p->cur.real_us);
		break;
	case V_COUNT:
		get_count(p, v.p, v.n, vkeys[k].key,
		    (int64_t *)(void *)((char *)&p->cur + vkeys[k].off));
		break;
	case V_PERCENT:
		/* "49%", or "?%" when elapsed was zero: not kept. */
		r = NUM_BAD;
		if (v.n >= 2 && v.p[v.n - 1] == '%')
			r = (v.n == 2 && v.p[0] == '?') ? NUM_OK :
			    parse_count(v.p, v.n - 1, &x);
		if (r != NUM_OK)
			bad_value(p, r, "CPU percentage", v.p, v.n,
			    "a percentage like 49%");
		break;
	case V_STATUS:
		if (get_count(p, v.p, v.n, "exit status", &x) == -1)
			break;
		if (x > 255) {
			bad_value(p, NUM_RANGE, "exit status", v.p, v.n,
			    "0 to 255");
			break;
		}
		/* A signal from "Command terminated by signal" wins. */
		if (!p->prefix_sig)
			p->cur.status = (int)x;
		gnuv_end(p);
		break;
	case V_SKIP:
	case V_START:
		/* Read only to catch garbage. */
		get_count(p, v.p, v.n, vkeys[k].key, &x);
		break;
	}
}

/*
 * "Command exited with non-zero status N" or "Command terminated by
 * signal N" (GNU time): the status of the record that follows.
 */
static int
do_prefix(struct tp *p, const char *s, size_t n)
{
	static const char *ex = "Command exited with non-zero status ";
	static const char *sg = "Command terminated by signal ";
	struct scan	c = { s, s + n };
	int64_t		v;
	int		sig;

	sc_blank(&c);
	if (sc_lit(&c, ex) == 0)
		sig = 0;
	else if (sc_lit(&c, sg) == 0)
		sig = 1;
	else
		return 0;
	if (sc_count(p, &c, "exit status", &v) == -1)
		return 1;
	if (!sc_end(&c) || v > (sig ? 127 : 255)) {
		tp_error(p, p->lineno, "malformed GNU time status line; "
		    "expected \"%sN\"", sig ? sg : ex);
		return 1;
	}
	p->prefix = sig ? 128 + (int)v : (int)v;
	p->prefix_sig = sig;
	p->prefix_line = p->lineno;
	p->st = S_GNU_PREFIX;
	return 1;
}

/*
 * A line of a file with no time(1) record so far: a bare number is a
 * sample; a line that starts like a number but is not exactly one is
 * remembered, and an error only if the file turns out to be a
 * plain-number log after all.
 */
static void
do_plain(struct tp *p)
{
	struct kb_sample s;
	const struct tp_tok *t = &p->tok[0];
	char	buf[48];
	int64_t	us;
	size_t	i;

	if (p->ntok == 0)
		return;
	/* Only what starts like a number: "1", ".5", "-2", "+3". */
	i = (t->p[0] == '-' || t->p[0] == '+') ? 1 : 0;
	if (i < t->n && t->p[i] == '.')
		i++;
	/*
	 * A line of one word is a value or a mistake ("nan", "inf", a
	 * stray word): ministat refuses it too.  Text of several words
	 * is a log's noise.
	 */
	if ((i == t->n || !isdig(t->p[i])) && (p->ntok != 1 ||
	    t->p[0] == '#'))
		return;
	if (p->ntok == 1 && parse_dec(t->p, t->n, &us) == NUM_OK) {
		kb_sample_init(&s);
		s.real_us = us;
		s.line = p->lineno;
		emit(p, &s);
		p->nplain++;
		return;
	}
	p->nbadplain++;
	if (p->badplain_line != 0)
		return;
	p->badplain_line = p->lineno;
	shown(buf, sizeof(buf), t->p, t->n);
	snprintf(p->badplain, sizeof(p->badplain), "%s \"%s\"; expected "
	    "one number of seconds per line",
	    i == t->n || !isdig(t->p[i]) ? "not a number" :
	    t->p[0] == '-' ? "negative time" : p->ntok > 1 ?
	    "more than a number in" : "bad number", buf);
}

/* Between records: does this line start one? */
static void
do_idle(struct tp *p, const char *s, size_t n)
{
	const struct tp_tok *t = p->tok;
	int64_t us;

	if (p->ntok == 0)
		return;
	if (is_bsd(p))
		do_bsd(p);
	else if (is_bsd_cut(p))
		tp_error(p, p->lineno, "BSD time record cut short or wrapped "
		    "(%zu words); expected \"T real T user T sys\" on one "
		    "line", p->ntok);
	else if (p->ntok == 2 && tokeq(&t[0], "real"))
		do_real(p);
	else if (p->ntok == 2 && (tokeq(&t[0], "user") ||
	    tokeq(&t[0], "sys")) && parse_time(t[1].p, t[1].n, &us) ==
	    NUM_OK)
		tp_error(p, p->lineno, "\"%.*s\" line without a record; "
		    "expected \"real\" first", (int)t[0].n, t[0].p);
	else if (is_gnu1(p))
		do_gnu1(p, s, n);
	else if (is_gnuv_start(s, n)) {
		if (set_format(p, F_GNU) == 0)
			begin(p, S_GNU_V);
	} else if (!do_prefix(p, s, n) && p->fmt == F_NONE)
		do_plain(p);
}

/* After a GNU status line: the record it belongs to. */
static void
do_gnu_prefix(struct tp *p, const char *s, size_t n)
{
	const struct tp_tok *t = p->tok;

	if (is_gnu1(p))
		do_gnu1(p, s, n);
	else if (is_gnuv_start(s, n)) {
		if (set_format(p, F_GNU) == 0)
			begin(p, S_GNU_V);
	} else if (p->ntok == 2 && tokeq(&t[0], "real") && !is_hms(&t[1]))
		do_real(p);
	else
		tp_error(p, p->lineno, "GNU time status line %ld is not "
		    "followed by its record; expected a GNU time or "
		    "\"real\" line", p->prefix_line);
}

/* One line, without its newline. */
static void
tp_line1(struct tp *p, const char *s, size_t n)
{
	p->lineno++;
	if (n > TP_LINEMAX) {
		tp_error(p, p->lineno, "line too long (more than %d bytes); "
		    "expected a text log", TP_LINEMAX);
		p->fatal = 1;
		return;
	}
	if (memchr(s, '\0', n) != NULL) {
		tp_error(p, p->lineno, "NUL byte; expected a text log");
		p->fatal = 1;
		return;
	}
	if (n > 0 && s[n - 1] == '\r')
		n--;
	tokenize(p, s, n);
	switch (p->st) {
	case S_BSD_RU:
		if (do_rusage(p, s, n))
			return;
		p->st = S_IDLE;
		do_idle(p, s, n);
		break;
	case S_PX_USER:
	case S_PX_SYS:
		do_px_next(p);
		break;
	case S_GNU_PREFIX:
		do_gnu_prefix(p, s, n);
		break;
	case S_GNU_L2:
		do_gnu2(p, s, n);
		break;
	case S_GNU_V:
		do_gnuv(p, s, n);
		break;
	case S_IDLE:
		do_idle(p, s, n);
		break;
	}
}

/* Lenient: the error just raised is a skipped record, counted. */
static void
skip(struct tp *p, long line, const char *msg)
{
	if (p->skips->n++ == 0 || line < p->skips->first_line) {
		snprintf(p->skips->first, sizeof(p->skips->first), "%s", msg);
		p->skips->first_line = line;
	}
	p->failed = 0;
	if (p->errlen > 0)
		p->err[0] = '\0';
	p->st = S_IDLE;
	p->seen = 0;
	p->prefix_line = 0;
}

/*
 * One line.  Lenient, a record the line breaks is skipped and the line
 * read again as the start of a record (it may begin the next one); a
 * line that is wrong on its own is skipped.
 */
static void
tp_line(struct tp *p, const char *s, size_t n)
{
	enum tp_state st = p->st;

	tp_line1(p, s, n);
	if (!p->failed || p->skips == NULL || p->fatal)
		return;
	skip(p, p->lineno, p->err);
	if (st == S_IDLE || st == S_BSD_RU)	/* no record was open */
		return;
	p->lineno--;
	tp_line1(p, s, n);
	if (p->failed && !p->fatal)
		skip(p, p->lineno, p->err);
}

static void
tp_init(struct tp *p, const char *name, struct kb_sampleset *out,
    char *err, size_t errlen)
{
	memset(p, 0, sizeof(*p));
	p->name = name != NULL ? name : "(input)";
	p->out = out;
	p->base = out->n;
	p->err = err;
	p->errlen = errlen;
	p->fmt = F_NONE;
	p->st = S_IDLE;
	if (errlen > 0)
		err[0] = '\0';
}

/* End of input: no record may be left half read. */
static int
tp_finish(struct tp *p, size_t total)
{
	size_t n;

	if (!p->failed && total == 0) {
		tp_error(p, 0, "empty file; no timing records found");
		p->fatal = 1;
	}
	if (!p->failed && p->st == S_GNU_PREFIX)
		tp_error(p, p->prefix_line, "GNU time status line at end of "
		    "file; expected its record after it");
	else if (!p->failed && p->st != S_IDLE && p->st != S_BSD_RU)
		tp_error(p, p->cur.line, "record is truncated at end of file; "
		    "expected %s", p->st == S_PX_USER ? "\"user\" and \"sys\" "
		    "lines after \"real\"" : p->st == S_PX_SYS ?
		    "a \"sys\" line after \"user\"" : p->st == S_GNU_L2 ?
		    "GNU time's second line (inputs, outputs, pagefaults)" :
		    "the rest of the GNU time -v block up to \"Exit status\"");
	if (p->failed && p->skips != NULL && !p->fatal)
		skip(p, p->lineno, p->err);
	if (!p->failed && p->fmt == F_NONE && p->badplain_line != 0) {
		tp_error(p, p->badplain_line, "%s", p->badplain);
		if (p->skips != NULL && p->nplain > 0) {
			skip(p, p->badplain_line, p->err);
			p->skips->n += p->nbadplain - 1;
		}
	}
	n = p->out->n - p->base;
	if (!p->failed && n == 0)
		tp_error(p, 0, "no timing records found; expected time(1) "
		    "output (BSD, POSIX -p, bash or GNU) or one number of "
		    "seconds per line");
	if (!p->failed && n > INT_MAX)
		tp_error(p, 0, "too many records; expected at most %d",
		    INT_MAX);
	if (p->failed) {
		p->out->n = p->base;
		return -1;
	}
	return (int)n;
}

int
tp_parse_buf(const char *buf, size_t len, const char *name,
    struct kb_sampleset *out, char *err, size_t errlen)
{
	return tp_parse_lenient(buf, len, name, out, NULL, err, errlen);
}

int
tp_parse_lenient(const char *buf, size_t len, const char *name,
    struct kb_sampleset *out, struct tp_skips *skips, char *err,
    size_t errlen)
{
	struct tp	 p;
	const char	*s = buf, *e = buf + len, *nl;

	tp_init(&p, name, out, err, errlen);
	if ((p.skips = skips) != NULL)
		memset(skips, 0, sizeof(*skips));
	while (s < e && !p.failed) {
		if ((nl = memchr(s, '\n', (size_t)(e - s))) == NULL)
			nl = e;
		tp_line(&p, s, (size_t)(nl - s));
		s = nl + 1;
	}
	return tp_finish(&p, len);
}

int
tp_parse(FILE *fp, const char *name, struct kb_sampleset *out, char *err,
    size_t errlen)
{
	struct tp	 p;
	char		*buf, *nl;
	size_t		 have = 0, off, got, total = 0;
	int		 eof = 0;

	tp_init(&p, name, out, err, errlen);
	buf = kb_malloc(TP_BUFSZ);
	while (!p.failed) {
		if (!eof) {
			got = fread(buf + have, 1, TP_BUFSZ - have, fp);
			if (got == 0) {
				if (ferror(fp)) {
					tp_error(&p, 0, "read error: %s; "
					    "expected a readable file",
					    strerror(errno));
					break;
				}
				eof = 1;
			}
			have += got;
			total += got;
		}
		off = 0;
		while (!p.failed && (nl = memchr(buf + off, '\n',
		    have - off)) != NULL) {
			tp_line(&p, buf + off, (size_t)(nl - (buf + off)));
			off = (size_t)(nl - buf) + 1;
		}
		if (p.failed)
			break;
		/* A partial line longer than the limit: let tp_line say. */
		if (have - off > TP_LINEMAX || (eof && have > off)) {
			tp_line(&p, buf + off, have - off);
			off = have;
		}
		memmove(buf, buf + off, have - off);
		have -= off;
		if (eof)
			break;
	}
	free(buf);
	return tp_finish(&p, total);
}
