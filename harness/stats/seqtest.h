/*
 * seqtest.h: verdicts in few runs.  A group-sequential comparison of
 * two interleaved sample sets (kbench run --until-verdict) and a
 * sequential probability ratio test that says which of two measured
 * distributions a third set of samples comes from (kbench bisect).
 * docs/statistics.md gives the formulas and their error rates.
 */
#ifndef SEQTEST_H
#define SEQTEST_H

#include <stddef.h>

/* Welch's two-sample comparison of b against a. */
struct sq_welch {
	double	mean_a, mean_b;
	double	diff;		/* mean_b - mean_a */
	double	diff_pct;	/* diff / mean_a * 100 */
	double	se, df, t, p;	/* two-sided p */
	double	lo_pct, hi_pct;	/* (1 - alpha) interval of diff_pct */
};
/* From summaries (variances are sample variances, n - 1); 0 or -1. */
int	sq_welch_sum(double mean_a, double var_a, double na, double mean_b,
	    double var_b, double nb, double alpha, struct sq_welch *);
int	sq_welch(const double *a, size_t na, const double *b, size_t nb,
	    double alpha, struct sq_welch *);

enum sq_state {
	SQ_CONTINUE, SQ_REGRESSION, SQ_IMPROVEMENT, SQ_NOCHANGE, SQ_CAP
};

/*
 * The plan of an --until-verdict run: looks at min_n pairs of
 * repetitions, then at about 1.5 times as many, up to max_n per side;
 * alpha spent equally over the looks (Bonferroni, so the family-wise error is at most alpha);
 * no-change means the interval lies within +/- margin_pct.
 */
struct sq_plan {
	double	alpha;		/* total, two-sided; default 0.05 */
	double	margin_pct;	/* equivalence margin; default 3 */
	int	min_n, max_n;	/* per side; default 3 and 10 */
};

struct sq_look {
	int	n;		/* per side, the smaller of the two */
	int	look, nlooks;	/* 1-based; 0 before the first look */
	double	alpha_k;	/* two-sided level used at this look */
	int	paired;		/* the paired log ratio, not Welch */
	struct sq_welch w;
	enum sq_state state;
};

#define SQ_MAXLOOKS	64

void	 sq_plan_default(struct sq_plan *);
/* The per-side counts at which sq_look looks; returns how many. */
int	 sq_plan_looks(const struct sq_plan *, int *ns, int cap);
/* 0 when the plan makes sense, else -1 with a reason in err. */
int	 sq_plan_check(const struct sq_plan *, char *err, size_t);
/* The state after the samples so far (a: baseline, b: candidate). */
void	 sq_look(const struct sq_plan *, const double *a, size_t na,
	    const double *b, size_t nb, struct sq_look *);
/*
 * The state after the first n pairs, every look up to n taken in turn:
 * the first verdict, else the last look's state.  For samples that come
 * in blocks (boots of a few repetitions) and miss the exact counts.
 */
void	 sq_walk(const struct sq_plan *, const double *a, const double *b,
	    size_t n, struct sq_look *);
const char *sq_state_name(enum sq_state);

/*
 * --best-of K: v[0..n) in blocks of K consecutive values, each replaced
 * by its least, in place; a partial last block is dropped.  The new
 * count (n when K <= 1).
 */
size_t	 sq_fold(double *v, size_t n, long k);

/*
 * Paired comparison of b against a, round by round: the winsorized mean
 * of ln(b[i] / a[i]) with a t interval, as percentages (diff_pct,
 * lo_pct, hi_pct; df n - 1).  For samples taken in interleaved rounds,
 * where a drift of the machine moves both.  0, or -1.
 */
int	sq_paired(const double *a, const double *b, size_t n, double alpha,
	    struct sq_welch *);
/* The same with the plain mean and sd: --until-verdict's later looks. */
int	sq_paired_t(const double *a, const double *b, size_t n, double alpha,
	    struct sq_welch *);

/*
 * Bisection's question, is this revision good or bad: Wald's SPRT on
 * interleaved rounds, each of which runs the revision under test beside
 * both endpoints, so that every comparison is made at one moment of
 * the machine.  The model (delta = ln(bad / good) and the spread of a
 * round) comes from the endpoints' own rounds.  Bad when the log
 * likelihood ratio reaches log((1 - beta) / alpha), good at log(beta /
 * (1 - alpha)); a round whose endpoints disagree with the model is
 * left out; no decision before min_n rounds kept; at max_n rounds the
 * sign of the ratio decides.  seqtest.c and docs/statistics.md give the
 * formulas.
 */
enum sq_class { SQ_UNDECIDED, SQ_GOOD, SQ_BAD };
struct sq_sprt {
	double	delta;		/* ln(bad / good) */
	double	sd_d;		/* spread of ln b - ln g in a round */
	double	sd_hi;		/* its upper 95% confidence limit */
	double	sd_z;		/* spread of the per-round statistic */
	double	mu_g, mu_b;	/* the endpoints' medians, for reports */
	double	alpha, beta;	/* default 0.01 each */
	int	min_n, max_n;	/* rounds; default 3 and 15 */
	int	hard_n;		/* past max_n while near 0, up to this */
	size_t	n;		/* endpoint rounds behind the model */
};
struct sq_sprt_out {
	enum sq_class	cls;
	double		llr;
	size_t		n;		/* rounds */
	size_t		kept, dropped;	/* dropped: disturbed rounds */
	int		at_cap;		/* decided by the sign at max_n */
	double		p_good, p_bad;	/* paired p against each endpoint */
};
/* From n rounds of the endpoints; -1 if they do not differ. */
int	 sq_sprt_init(struct sq_sprt *, const double *good,
	    const double *bad, size_t n, char *err, size_t errlen);
/* The rounds a step needs on average under the model (Wald). */
double	 sq_sprt_rounds(const struct sq_sprt *);
/* Rounds i < n of the revision (c) and the endpoints beside it. */
void	 sq_sprt_classify(const struct sq_sprt *, const double *c,
	    const double *good, const double *bad, size_t n,
	    struct sq_sprt_out *);
const char *sq_class_name(enum sq_class);

/*
 * The smallest change, in percent, that the first look can call when
 * a run's coefficient of variation is cv_pct on both sides: the half
 * width of its Welch interval at that spread, for the hint printed when
 * a comparison ends inconclusive.
 */
double	 sq_reach_pct(const struct sq_plan *, double cv_pct);

#endif /* SEQTEST_H */
