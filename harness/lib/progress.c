/*
 * progress.c: the run's progress display on stderr.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"
#include "lib/sample.h"
#include "lib/progress.h"

static double
diff(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static double
since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return diff(t, &now);
}

static void
hms(char *buf, size_t len, double s)
{
	long t = (long)(s + 0.5);

	if (s < 0)
		snprintf(buf, len, "?");
	else if (t >= 3600)
		snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60,
		    t % 60);
	else
		snprintf(buf, len, "%ld:%02ld", t / 60, t % 60);
}

/*
 * Time left: the pace between samples since the first (which also
 * carried the setup), or after one sample its real time, times what
 * is left, less what the running repetition has already taken.
 */
static double
eta(const struct progress *p)
{
	double per, left;

	if (p->done == 0)
		return -1;
	if (p->done >= 2)
		per = diff(&p->first, &p->last) / (double)(p->done - 1);
	else
		per = p->last_real;
	left = per * (double)(p->reps * (long)p->nv - p->done) -
	    since(&p->last);
	return left > 0 ? left : 0;
}

/* Repetition i (0-based, warm-ups first) as "warm-up 1/W" or "rep 1/N". */
static void
rep_name(const struct progress *p, long i, char *buf, size_t len)
{
	if (i < p->warmups)
		snprintf(buf, len, "warm-up %ld/%ld", i + 1, p->warmups);
	else
		snprintf(buf, len, "rep %ld/%ld", i - p->warmups + 1,
		    p->reps - p->warmups);
}

static void
draw(struct progress *p)
{
	char el[32], et[32], what[160], rep[64];
	long total = p->reps * (long)p->nv;

	if (!p->on || !p->tty)
		return;
	hms(el, sizeof(el), since(&p->t0));
	hms(et, sizeof(et), eta(p));
	if (p->done == 0)
		snprintf(what, sizeof(what), "%s", p->step);
	else if (p->done >= total)
		snprintf(what, sizeof(what), "finishing");
	else {
		rep_name(p, p->done / (long)p->nv, rep, sizeof(rep));
		snprintf(what, sizeof(what), "%s%s%s", p->labels != NULL ?
		    p->labels[p->done % (long)p->nv] : "",
		    p->labels != NULL ? ": " : "", rep);
	}
	fprintf(stderr, "\r\033[K%s  elapsed %s  eta %s%s%s", what, el, et,
	    p->figures[0] != '\0' ? "  last " : "", p->figures);
	fflush(stderr);
	p->drawn = 1;
}

void
progress_init(struct progress *p, long n, long warmups, size_t nv,
    const char *const *labels)
{
	memset(p, 0, sizeof(*p));
	p->on = !kb_quiet;
	p->tty = isatty(STDERR_FILENO);
	p->reps = n + warmups;
	p->warmups = warmups;
	p->nv = nv > 0 ? nv : 1;
	p->labels = labels;
	clock_gettime(CLOCK_MONOTONIC, &p->t0);
	snprintf(p->step, sizeof(p->step), "starting");
}

void
progress_step(struct progress *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->step, sizeof(p->step), fmt, ap);
	va_end(ap);
	if (!p->on)
		return;
	if (p->tty)
		draw(p);
	else
		fprintf(stderr, "%s: %s\n", kb_progname, p->step);
}

void
progress_sample(struct progress *p, const char *variant,
    const struct kb_sample *s)
{
	char el[32], et[32], flag[64], rep[64];

	clock_gettime(CLOCK_MONOTONIC, &p->last);
	if (p->done++ == 0)
		p->first = p->last;
	p->last_real = (double)s->real_us / 1e6;
	flag[0] = '\0';
	if (s->timedout)
		snprintf(flag, sizeof(flag), " TIMED OUT");
	else if (s->status != 0)
		snprintf(flag, sizeof(flag), " FAILED (status %d)", s->status);
	snprintf(p->figures, sizeof(p->figures), "real %.2f user %.2f "
	    "sys %.2f%s", p->last_real,
	    s->user_us >= 0 ? (double)s->user_us / 1e6 : 0.0,
	    s->sys_us >= 0 ? (double)s->sys_us / 1e6 : 0.0, flag);
	if (!p->on)
		return;
	if (p->tty) {
		draw(p);
		return;
	}
	hms(el, sizeof(el), since(&p->t0));
	hms(et, sizeof(et), eta(p));
	/* The agent numbers warm-ups and timed repetitions together. */
	rep_name(p, s->rep > 0 ? s->rep - 1 : (p->done - 1) / (long)p->nv,
	    rep, sizeof(rep));
	fprintf(stderr, "%s: %s%s%s: %s  elapsed %s  eta %s\n",
	    kb_progname, variant != NULL ? variant : "",
	    variant != NULL ? ": " : "", rep, p->figures, el, et);
}

void
progress_tick(struct progress *p)
{
	draw(p);
}

void
progress_note(struct progress *p, const char *fmt, ...)
{
	va_list ap;

	if (!p->on)
		return;
	if (p->tty && p->drawn)
		fputs("\r\033[K", stderr);
	p->drawn = 0;
	fprintf(stderr, "%s: ", kb_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	draw(p);
}

void
progress_done(struct progress *p)
{
	if (p->on && p->tty && p->drawn) {
		fputc('\n', stderr);
		p->drawn = 0;
	}
}
