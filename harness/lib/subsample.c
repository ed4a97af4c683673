/*
 * subsample.c: which points a plot of many draws.
 */
#include <stdio.h>
#include <string.h>

#include "lib/subsample.h"

size_t
kb_sub_count(size_t n, size_t max)
{
	return n < max ? n : max;
}

size_t
kb_sub_index(size_t n, size_t max, size_t k)
{
	size_t m = kb_sub_count(n, max), q, r;

	if (m <= 1)
		return 0;
	/*
	 * k (n - 1) / (m - 1) without the product, which can overflow:
	 * with n - 1 = q (m - 1) + r it is k q + k r / (m - 1), and
	 * k r < m * m stays small.
	 */
	q = (n - 1) / (m - 1);
	r = (n - 1) % (m - 1);
	return k * q + k * r / (m - 1);
}

void
kb_sub_commas(size_t n, char buf[32])
{
	char digits[32];
	size_t len, i, j = 0;

	len = (size_t)snprintf(digits, sizeof(digits), "%zu", n);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[j++] = ',';
		buf[j++] = digits[i];
	}
	buf[j] = '\0';
}
