/*
 * test_subsample.c: the points a plot of many draws: at most the
 * bound, evenly spread, the ends kept, each index once, every time
 * the same; and the counts the plot's note prints.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "lib/subsample.h"

static void
test_few(void **state)
{
	size_t k;

	(void)state;
	/* Fewer than the bound: every point, in order. */
	assert_int_equal(kb_sub_count(12, KB_PLOT_POINTS), 12);
	for (k = 0; k < 12; k++)
		assert_int_equal(kb_sub_index(12, KB_PLOT_POINTS, k), k);
	assert_int_equal(kb_sub_count(0, KB_PLOT_POINTS), 0);
	assert_int_equal(kb_sub_count(1, KB_PLOT_POINTS), 1);
	assert_int_equal(kb_sub_index(1, KB_PLOT_POINTS, 0), 0);
	assert_int_equal(kb_sub_count(5000, 5000), 5000);
	assert_int_equal(kb_sub_index(5000, 5000, 4999), 4999);
}

/* n points thinned to max: ends kept, gaps within one of each other. */
static void
check_even(size_t n, size_t max)
{
	size_t m = kb_sub_count(n, max), k, i, prev = 0, gap, lo = SIZE_MAX,
	    hi = 0;

	assert_int_equal(m, n < max ? n : max);
	assert_int_equal(kb_sub_index(n, max, 0), 0);
	assert_int_equal(kb_sub_index(n, max, m - 1), n - 1);
	for (k = 1; k < m; k++) {
		i = kb_sub_index(n, max, k);
		assert_true(i > prev);
		assert_true(i < n);
		gap = i - prev;
		lo = gap < lo ? gap : lo;
		hi = gap > hi ? gap : hi;
		prev = i;
	}
	if (m > 1)
		assert_true(hi - lo <= 1);
}

static void
test_many(void **state)
{
	(void)state;
	check_even(5001, KB_PLOT_POINTS);
	check_even(6000, KB_PLOT_POINTS);
	check_even(1000000, KB_PLOT_POINTS);
	check_even(4000000, KB_PLOT_POINTS);
	check_even(9999, 2);
	check_even(10, 3);
	/* One point drawn of many: the first. */
	assert_int_equal(kb_sub_count(100, 1), 1);
	assert_int_equal(kb_sub_index(100, 1, 0), 0);
	/* The same picks every time. */
	assert_int_equal(kb_sub_index(1000000, KB_PLOT_POINTS, 2500),
	    kb_sub_index(1000000, KB_PLOT_POINTS, 2500));
	assert_int_equal(kb_sub_index(1000000, KB_PLOT_POINTS, 2500),
	    (size_t)2500 * 999999 / 4999);
}

static void
test_huge(void **state)
{
	size_t n = SIZE_MAX / 3;

	(void)state;
	/* k (n - 1) would overflow; the index still ends at n - 1. */
	assert_int_equal(kb_sub_index(n, KB_PLOT_POINTS,
	    KB_PLOT_POINTS - 1), n - 1);
	assert_true(kb_sub_index(n, KB_PLOT_POINTS, 1) > n / KB_PLOT_POINTS);
}

static void
test_commas(void **state)
{
	char buf[32];

	(void)state;
	kb_sub_commas(0, buf);
	assert_string_equal(buf, "0");
	kb_sub_commas(999, buf);
	assert_string_equal(buf, "999");
	kb_sub_commas(5000, buf);
	assert_string_equal(buf, "5,000");
	kb_sub_commas(1000000, buf);
	assert_string_equal(buf, "1,000,000");
	kb_sub_commas(123456789, buf);
	assert_string_equal(buf, "123,456,789");
	kb_sub_commas(SIZE_MAX, buf);
	assert_true(strlen(buf) < 32);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_few),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_commas),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
