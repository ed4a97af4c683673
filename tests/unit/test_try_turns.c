/*
 * test_try_turns.c: the order of a kernel try's boots (base, patched,
 * base, patched ...), the reps each boot gets, a kernel given up on
 * after failing twice in a row, and --until-verdict stopping the turns
 * between rounds.  The boot function is a fake that records each call.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "engine/try.h"
#include "engine/try_turns.h"

struct fake {
	struct try_turns	*tt;
	char			 log[512];	/* "b2 p2 ..." */
	int			 fail[2];	/* side fails every boot */
	int			 stop_at;	/* boot number answering -1 */
	double			 real_ms[2];	/* each sample's time */
	long			 boots;
};

static int
fake_boot(void *arg, long reps)
{
	struct fake *f = arg;
	struct kb_sample s;
	size_t len = strlen(f->log);
	long i;

	f->boots++;
	snprintf(f->log + len, sizeof(f->log) - len, "%s%c%ld",
	    len > 0 ? " " : "", f->tt->side == 0 ? 'b' : 'p', reps);
	if (f->boots > 100 || f->tt->boot == f->stop_at)
		return -1;
	if (f->fail[f->tt->side])
		return 1;
	for (i = 0; i < reps; i++) {
		kb_sample_init(&s);
		s.rep = (int)i + 1;
		/* A little spread, the same on both sides. */
		s.real_us = (int64_t)(f->real_ms[f->tt->side] * 1000) +
		    (int64_t)((f->boots * 7 + i * 3) % 5) * 100;
		s.status = 0;
		try_turns_sample(f->tt, &s);
	}
	return 0;
}

static void
setup_try(struct try *t, long n, long per_boot)
{
	memset(t, 0, sizeof(*t));
	t->n = n;
	t->per_boot = per_boot;
	t->max_n = -1;
}

static void
setup_fake(struct fake *f, struct try_turns *tt)
{
	memset(f, 0, sizeof(*f));
	memset(tt, 0, sizeof(*tt));
	f->tt = tt;
	f->real_ms[0] = f->real_ms[1] = 100;
}

static void
test_alternate(void **state)
{
	struct try t;
	struct try_turns tt;
	struct fake f;

	(void)state;
	setup_try(&t, 5, 2);
	setup_fake(&f, &tt);
	assert_int_equal(try_turns(&t, &tt, fake_boot, &f), 0);
	/* The last boot of each side takes what is left: 1 rep. */
	assert_string_equal(f.log, "b2 p2 b2 p2 b1 p1");
	assert_int_equal(tt.nboots, 6);
	assert_int_equal(tt.boot, 6);
	assert_int_equal(tt.samples[0], 5);
	assert_int_equal(tt.samples[1], 5);
	try_turns_free(&tt);
}

static void
test_one_per_boot(void **state)
{
	struct try t;
	struct try_turns tt;
	struct fake f;

	(void)state;
	setup_try(&t, 3, 1);
	setup_fake(&f, &tt);
	assert_int_equal(try_turns(&t, &tt, fake_boot, &f), 0);
	assert_string_equal(f.log, "b1 p1 b1 p1 b1 p1");
	try_turns_free(&tt);
}

/*
 * The patched kernel fails every boot: after two in a row it is not
 * booted again, the base kernel finishes, and the try has no
 * comparison.  Reps left over on the failed side must not keep the
 * turns going round (they once did, forever).
 */
static void
test_give_up(void **state)
{
	struct try t;
	struct try_turns tt;
	struct fake f;

	(void)state;
	setup_try(&t, 5, 2);
	setup_fake(&f, &tt);
	f.fail[1] = 1;
	alarm(20);
	assert_int_equal(try_turns(&t, &tt, fake_boot, &f), -1);
	alarm(0);
	assert_string_equal(f.log, "b2 p2 b2 p2 b1");
	assert_int_equal(tt.failed_row[1], 2);
	assert_int_equal(tt.samples[0], 5);
	assert_int_equal(tt.samples[1], 0);
	try_turns_free(&tt);
}

static void
test_both_fail(void **state)
{
	struct try t;
	struct try_turns tt;
	struct fake f;

	(void)state;
	setup_try(&t, 10, 2);
	setup_fake(&f, &tt);
	f.fail[0] = f.fail[1] = 1;
	alarm(20);
	assert_int_equal(try_turns(&t, &tt, fake_boot, &f), -1);
	alarm(0);
	assert_string_equal(f.log, "b2 p2 b2 p2");
	try_turns_free(&tt);
}

/* A boot that says stop (-1) stops the turns at once. */
static void
test_stop(void **state)
{
	struct try t;
	struct try_turns tt;
	struct fake f;

	(void)state;
	setup_try(&t, 4, 1);
	setup_fake(&f, &tt);
	f.stop_at = 3;
	assert_int_equal(try_turns(&t, &tt, fake_boot, &f), -1);
	assert_string_equal(f.log, "b1 p1 b1");
	try_turns_free(&tt);
}

/*
 * --until-verdict: patched 50% slower, the sequential test has its
 * verdict long before 30 runs a side, and the turns end after a whole
 * round (both sides booted as often).
 */
static void
test_until_verdict(void **state)
{
	struct try t;
	struct try_turns tt;
	struct fake f;
	size_t len;

	(void)state;
	setup_try(&t, 30, 1);
	t.seq.on = 1;
	t.seq.metric = KB_M_REAL;
	t.seq.best_of = 1;
	sq_plan_default(&t.seq.plan);
	t.seq.plan.max_n = 30;
	setup_fake(&f, &tt);
	f.real_ms[1] = 150;
	kb_quiet = 1;
	assert_int_equal(try_turns(&t, &tt, fake_boot, &f), 0);
	kb_quiet = 0;
	assert_true(f.boots < 20);
	assert_int_equal(f.boots % 2, 0);
	assert_int_equal(tt.samples[0], tt.samples[1]);
	len = strlen(f.log);
	assert_string_equal(f.log + len - 5, "b1 p1");
	try_turns_free(&tt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alternate),
		cmocka_unit_test(test_one_per_boot),
		cmocka_unit_test(test_give_up),
		cmocka_unit_test(test_both_fail),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_until_verdict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
