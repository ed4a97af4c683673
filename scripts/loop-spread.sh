#!/bin/sh
# loop-spread.sh CMD [ARG...]: user time of CMD, 8 times, pinned to the
# last CPU as the tests pin their loops; prints "user MIN-MAX s, CV X%".
# The benches print it before and after their figures, so that a reader
# can tell a noisy hour of the host from a slow method.
cpu=$(($(nproc) - 1))
for i in 1 2 3 4 5 6 7 8; do
	/usr/bin/time -f %U taskset -c $cpu "$@" 2>&1 >/dev/null
done | awk '{ s += $1; q += $1 * $1; n++
    if (n == 1 || $1 < lo) lo = $1; if ($1 > hi) hi = $1 }
    END { m = s / n; v = (q - n * m * m) / (n - 1)
    if (v < 0) v = 0
    printf "user %.2f-%.2f s, CV %.1f%%\n", lo, hi, 100 * sqrt(v) / m }'
