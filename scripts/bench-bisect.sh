#!/bin/sh
# bench-bisect.sh: repeat the bisection of tests/integration/51-bisect.sh
# ten times with a 5% step at commit 11 of 16; print how many of the
# first bisections named commit 11, how many revisions each measured
# besides the endpoints (target: at most 6), and how many gave up
# because the endpoints did not differ measurably.  make bench-bisect.
cd "$(dirname "$0")/.." || exit 1
ok=0
gaveup=0
steps=""
mkdir -p build/bench-bisect
for i in 1 2 3 4 5 6 7 8 9 10; do
	log=build/bench-bisect/run-$i.log
	PCT=5 sh tests/integration/51-bisect.sh >"$log" 2>&1
	first=$(grep -m 1 '^first bad commit:' "$log")
	s=$(grep -m 1 'revisions measured besides the endpoints' "$log" |
	    sed 's/ revisions.*//')
	case $first in
	*" commit 11: "*) ok=$((ok + 1)) ;;
	esac
	grep -q 'do not differ measurably (medians' "$log" &&
	    ! grep -q 'deciding each step' "$log" && gaveup=$((gaveup + 1))
	steps="$steps ${s:-?}"
done
echo "5% step: right commit in $ok of 10 bisections;" \
    "gave up (endpoints not apart) $gaveup; steps:$steps" \
    "(logs in build/bench-bisect)"
