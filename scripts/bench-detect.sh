#!/bin/sh
# bench-detect.sh: false alerts of kbench detect on flat series of 1000
# points (several seeds, ~1% noise) and its time on 10,000 points.
# Run by hand: sh scripts/bench-detect.sh [KBENCH]
set -eu
KBENCH=${1:-$(dirname "$0")/../bin/kbench}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
alerts=0
for seed in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	awk -v s=$seed 'BEGIN { srand(s); for (i = 0; i < 1000; i++)
	    printf "%.5f\n", 100 * (1 + (rand() + rand() + rand() + rand() - 2) * 0.017) }' >"$T/flat"
	n=$("$KBENCH" detect --input "$T/flat" | sed -n 's/.*points, \([0-9]*\) change.*/\1/p')
	alerts=$((alerts + n))
done
echo "flat series of 1000 points: $alerts false alerts in 20 series (alpha 0.01 each)"
awk 'BEGIN { srand(99); for (i = 0; i < 10000; i++)
    printf "%.5f\n", (i >= 7000 ? 102 : 100) * (1 + (rand() - 0.5) * 0.03) }' >"$T/big"
"$KBENCH" detect --input "$T/big" | head -2
awk 'BEGIN { srand(98); for (i = 0; i < 10000; i++)
    printf "%.5f\n", 100 * (1 + (rand() - 0.5) * 0.03) }' >"$T/bigflat"
"$KBENCH" detect --input "$T/bigflat" | head -1
