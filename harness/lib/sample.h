/*
 * sample.h: one timed repetition (struct kb_sample), a set of them, and
 * the metric table: every metric kbench knows, its name, its unit and
 * how to read it from a sample.  The one place that says what a metric
 * is.
 */
#ifndef LIB_SAMPLE_H
#define LIB_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

/* An unknown figure (e.g. user time from a plain-number log). */
#define KB_NONE		((int64_t)-1)

/*
 * One timed repetition.  Times are microseconds; every other rusage
 * field is KB_NONE when the source did not report it.
 */
struct kb_sample {
	int	 rep;		/* 1-based repetition; 0 when not known */
	int	 warmup;	/* 1 for a warm-up repetition (not compared) */
	int64_t	 real_us;
	int64_t	 user_us;
	int64_t	 sys_us;
	int64_t	 maxrss_kb;
	int64_t	 minflt;
	int64_t	 majflt;
	int64_t	 inblock;
	int64_t	 oublock;
	int64_t	 nvcsw;
	int64_t	 nivcsw;
	/* Guest instructions under kbench-insn.so (QEMU TCG), or KB_NONE. */
	int64_t	 insn_kernel;
	int64_t	 insn_user;
	int	 status;	/* exit code, 128+signal, or -1 unknown */
	int	 timedout;	/* killed by the agent's timeout */
	char	 start[40];	/* ISO 8601 UTC start time, or "" */
	long	 line;		/* source line of the record, for errors */
};

struct kb_sampleset {
	struct kb_sample *v;
	size_t		  n;
	size_t		  cap;
};

void	 kb_sample_init(struct kb_sample *);
void	 kb_ss_add(struct kb_sampleset *, const struct kb_sample *);
void	 kb_ss_free(struct kb_sampleset *);

/* The metrics that compare, detect and report know about. */
enum kb_metric {
	KB_M_REAL, KB_M_USER, KB_M_SYS, KB_M_MAXRSS, KB_M_MINFLT,
	KB_M_MAJFLT, KB_M_INBLOCK, KB_M_OUBLOCK, KB_M_NVCSW, KB_M_NIVCSW,
	KB_M_INSN_KERNEL, KB_M_INSN_USER,
	KB_M_COUNT
};
const char	*kb_metric_name(enum kb_metric);
/* Its column in the sample table (a fixed identifier), or NULL. */
const char	*kb_metric_column(enum kb_metric);
int		 kb_metric_parse(const char *, enum kb_metric *);
int		 kb_metric_is_time(enum kb_metric);
int64_t		 kb_sample_get(const struct kb_sample *, enum kb_metric);
/*
 * Values of one metric over the non-warm-up samples of a set, in
 * seconds for times and raw counts otherwise.  Returns how many were
 * known; *out is allocated (free it).
 */
size_t		 kb_ss_values(const struct kb_sampleset *, enum kb_metric,
		    double **out);

#endif /* LIB_SAMPLE_H */
