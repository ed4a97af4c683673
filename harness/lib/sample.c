/*
 * sample.c: sample sets and the metrics kbench knows.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "lib/sample.h"

/* The metric table: name, sample table column, time or count. */
static const struct {
	const char	*name;
	const char	*column;
	int		 is_time;
} metrics[KB_M_COUNT] = {
	[KB_M_REAL] = { "real", "real_us", 1 },
	[KB_M_USER] = { "user", "user_us", 1 },
	[KB_M_SYS] = { "sys", "sys_us", 1 },
	[KB_M_MAXRSS] = { "maxrss", "maxrss_kb", 0 },
	[KB_M_MINFLT] = { "minflt", "minflt", 0 },
	[KB_M_MAJFLT] = { "majflt", "majflt", 0 },
	[KB_M_INBLOCK] = { "inblock", "inblock", 0 },
	[KB_M_OUBLOCK] = { "oublock", "oublock", 0 },
	[KB_M_NVCSW] = { "nvcsw", "nvcsw", 0 },
	[KB_M_NIVCSW] = { "nivcsw", "nivcsw", 0 },
	[KB_M_INSN_KERNEL] = { "insn_kernel", "insn_kernel", 0 },
	[KB_M_INSN_USER] = { "insn_user", "insn_user", 0 },
};

void
kb_sample_init(struct kb_sample *s)
{
	memset(s, 0, sizeof(*s));
	s->real_us = s->user_us = s->sys_us = KB_NONE;
	s->maxrss_kb = s->minflt = s->majflt = KB_NONE;
	s->inblock = s->oublock = s->nvcsw = s->nivcsw = KB_NONE;
	s->insn_kernel = s->insn_user = KB_NONE;
	s->status = -1;
}

void
kb_ss_add(struct kb_sampleset *ss, const struct kb_sample *s)
{
	if (ss->n == ss->cap) {
		ss->cap = ss->cap ? ss->cap * 2 : 16;
		ss->v = kb_reallocarray(ss->v, ss->cap, sizeof(*ss->v));
	}
	ss->v[ss->n++] = *s;
}

void
kb_ss_free(struct kb_sampleset *ss)
{
	free(ss->v);
	memset(ss, 0, sizeof(*ss));
}

const char *
kb_metric_name(enum kb_metric m)
{
	return (unsigned)m < KB_M_COUNT ? metrics[m].name : "?";
}

const char *
kb_metric_column(enum kb_metric m)
{
	return (unsigned)m < KB_M_COUNT ? metrics[m].column : NULL;
}

int
kb_metric_parse(const char *s, enum kb_metric *m)
{
	int i;

	if (strcmp(s, "system") == 0)
		s = "sys";
	for (i = 0; i < KB_M_COUNT; i++) {
		if (strcmp(s, metrics[i].name) == 0) {
			*m = (enum kb_metric)i;
			return 0;
		}
	}
	return -1;
}

int
kb_metric_is_time(enum kb_metric m)
{
	return (unsigned)m < KB_M_COUNT && metrics[m].is_time;
}

int64_t
kb_sample_get(const struct kb_sample *s, enum kb_metric m)
{
	switch (m) {
	case KB_M_REAL:		return s->real_us;
	case KB_M_USER:		return s->user_us;
	case KB_M_SYS:		return s->sys_us;
	case KB_M_MAXRSS:	return s->maxrss_kb;
	case KB_M_MINFLT:	return s->minflt;
	case KB_M_MAJFLT:	return s->majflt;
	case KB_M_INBLOCK:	return s->inblock;
	case KB_M_OUBLOCK:	return s->oublock;
	case KB_M_NVCSW:	return s->nvcsw;
	case KB_M_NIVCSW:	return s->nivcsw;
	case KB_M_INSN_KERNEL:	return s->insn_kernel;
	case KB_M_INSN_USER:	return s->insn_user;
	default:		return KB_NONE;
	}
}

size_t
kb_ss_values(const struct kb_sampleset *ss, enum kb_metric m, double **out)
{
	size_t i, n = 0;
	int64_t v;
	double *d;

	d = kb_calloc(ss->n, sizeof(*d));
	for (i = 0; i < ss->n; i++) {
		if (ss->v[i].warmup)
			continue;
		if ((v = kb_sample_get(&ss->v[i], m)) == KB_NONE)
			continue;
		d[n++] = kb_metric_is_time(m) ? (double)v / 1e6 : (double)v;
	}
	*out = d;
	return n;
}
