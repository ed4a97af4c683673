#!/bin/sh
# bench-bisect.sh: repeat the bisection of tests/integration/51-bisect.sh
# ten times with a 5% step; print how many found the right commit and
# the step counts.  make bench runs it.
# Run by hand: sh scripts/bench-bisect.sh (KBENCH_BIN_DIR as for tests).
cd "$(dirname "$0")/.." || exit 1
ok=0
steps=""
for i in 1 2 3 4 5 6 7 8 9 10; do
	out=$(PCT=5 sh tests/integration/51-bisect.sh 2>&1)
	s=$(echo "$out" | sed -n 's/^measured revisions besides the endpoints: //p')
	if echo "$out" | grep -q '^ok$'; then ok=$((ok + 1)); fi
	steps="$steps ${s:-?}"
done
echo "right commit in $ok of 10 bisections; steps:$steps"
