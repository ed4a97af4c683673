/*
 * try_turns.c: the order of a kernel try's boots, the same on a QEMU
 * worker (try_kernel.c) and a real one over ssh (try_ssh.c): base,
 * patched, base, patched ..., so that drift of the machine hits both
 * kernels alike.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "output/cmpreport.h"
#include "lib/util.h"
#include "lib/sample.h"
#include "worker/runner.h"
#include "engine/try.h"
#include "engine/try_turns.h"

/* After this many failed boots in a row a kernel is given up on. */
#define MAX_FAILED_ROW	2

static const char *const side_name[2] = { "base", "patched" };

/* After a round: 1 when --until-verdict has its answer. */
static int
seq_done(const struct try *t, struct try_turns *tt)
{
	struct try_seq q = t->seq;
	int done;

	if (!q.on)
		return 0;
	done = try_seq_look(&q, tt->ss);
	if (q.look.look > tt->seq_shown && !kb_quiet)
		fprintf(stderr, "kbench try: look %d of %d after %d %s a "
		    "side: %s %+.2f%% [%+.2f%%, %+.2f%%]: %s\n", q.look.look,
		    q.look.nlooks, q.look.n, q.best_of > 1 ? "rounds" : "runs",
		    kb_metric_name(q.metric), q.look.w.diff_pct,
		    q.look.w.lo_pct, q.look.w.hi_pct,
		    sq_state_name(q.look.state));
	tt->seq_shown = q.look.look;
	return done;
}

void
try_turns_sample(struct try_turns *tt, const struct kb_sample *s)
{
	tt->samples[tt->side]++;
	kb_ss_add(&tt->ss[tt->side], s);
}

void
try_turns_free(struct try_turns *tt)
{
	kb_ss_free(&tt->ss[0]);
	kb_ss_free(&tt->ss[1]);
}

/*
 * A count is taken as 1 + count, as `kbench run --until-verdict` does:
 * 0 faults against 130 has a ratio, and 0 against 0 is no change.
 */
int
try_seq_look(struct try_seq *q, const struct kb_sampleset ss[2])
{
	double *v[2];
	size_t n[2], i;
	int side;

	for (side = 0; side < 2; side++) {
		n[side] = kb_ss_values(&ss[side], q->metric, &v[side]);
		if (!kb_metric_is_time(q->metric))
			for (i = 0; i < n[side]; i++)
				v[side][i] += 1;
		n[side] = sq_fold(v[side], n[side], q->best_of);
	}
	sq_walk(&q->plan, v[0], v[1], n[0] < n[1] ? n[0] : n[1], &q->look);
	free(v[0]);
	free(v[1]);
	return q->look.state != SQ_CONTINUE && q->look.state != SQ_CAP;
}

void
try_seq_print(FILE *fp, const struct try_seq *q, const int json)
{
	const struct sq_look *l = &q->look;

	if (json) {
		fprintf(fp, ",\n \"sequential\": {\"metric\": \"%s\", "
		    "\"verdict\": \"%s\", \"n\": %d, \"best_of\": %ld, "
		    "\"look\": %d, \"looks\": %d, \"alpha\": %g, "
		    "\"margin\": %g, \"interval\": \"%s\", ",
		    kb_metric_name(q->metric), sq_state_name(l->state), l->n,
		    q->best_of, l->look, l->nlooks, q->plan.alpha,
		    q->plan.margin_pct, l->paired ? "paired" : "welch");
		fputs("\"diff_pct\": ", fp);
		cmp_json_number(fp, l->look > 0 ? l->w.diff_pct : NAN);
		fputs(", \"diff_pct_lo\": ", fp);
		cmp_json_number(fp, l->look > 0 ? l->w.lo_pct : NAN);
		fputs(", \"diff_pct_hi\": ", fp);
		cmp_json_number(fp, l->look > 0 ? l->w.hi_pct : NAN);
		fputs("}", fp);
		return;
	}
	fprintf(fp, "sequential verdict: %s: %s", sq_state_name(l->state),
	    kb_metric_name(q->metric));
	if (l->look > 0)
		fprintf(fp, " %+.2f%%, %.4g%% %s interval [%+.2f%%, "
		    "%+.2f%%]", l->w.diff_pct, 100 * (1 - l->alpha_k),
		    l->paired ? "paired" : "Welch", l->w.lo_pct, l->w.hi_pct);
	fprintf(fp, ", after %d ", l->n);
	if (q->best_of > 1)
		fprintf(fp, "rounds of %ld runs", q->best_of);
	else
		fputs("runs", fp);
	fprintf(fp, " a side (look %d of %d; margin %g%%, overall alpha "
	    "%g)\n", l->look, l->nlooks, q->plan.margin_pct, q->plan.alpha);
}

/*
 * With --until-verdict the turns end at the first round after which
 * the sequential test has its verdict: it looks only between rounds,
 * over the samples so far (sq_walk()), so boots of 2 repetitions are
 * judged at the same counts (3, 5, 8 ...) as single runs.
 */
int
try_turns(const struct try *t, struct try_turns *tt,
    int (*boot)(void *, long reps), void *arg)
{
	long per = t->per_boot, left[2], reps;
	int side, st;

	left[0] = left[1] = t->n;
	tt->nboots = 2 * ((t->n + per - 1) / per);
	runner_catch_signals();
	/* Only a side with reps left that is not given up on boots. */
	while ((left[0] > 0 && tt->failed_row[0] < MAX_FAILED_ROW) ||
	    (left[1] > 0 && tt->failed_row[1] < MAX_FAILED_ROW)) {
		for (side = 0; side < 2; side++) {
			if (left[side] <= 0 ||
			    tt->failed_row[side] >= MAX_FAILED_ROW)
				continue;
			tt->side = side;
			tt->boot++;
			reps = left[side] < per ? left[side] : per;
			if ((st = boot(arg, reps)) == -1)
				return -1;
			tt->failed_row[side] = st == 0 ? 0 :
			    tt->failed_row[side] + 1;
			left[side] -= reps;
			if (runner_interrupted()) {
				kb_warnx("interrupted: the runs so far are "
				    "stored");
				return -1;
			}
		}
		if (seq_done(t, tt))
			break;
	}
	/* Two a side for a spread; -n 1 asks for one, and a plain ratio. */
	for (side = 0; side < 2; side++)
		if (tt->samples[side] < (t->n < 2 ? 1 : 2)) {
			kb_warnx("the %s kernel gave %ld counted sample%s: no "
			    "comparison (its runs are stored, with the "
			    "reasons)", side_name[side], tt->samples[side],
			    tt->samples[side] == 1 ? "" : "s");
			return -1;
		}
	return 0;
}
