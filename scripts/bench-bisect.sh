#!/bin/sh
# bench-bisect.sh: repeat the bisection of tests/integration/51-bisect.sh
# ten times with a 5% step at commit 11 of 16; print how many of the
# first bisections named commit 11, how many revisions each measured
# besides the endpoints (target: at most 6), how many of the right
# answers the confirmation against the parent confirmed, how many gave up
# because the endpoints did not differ measurably.  Twice: by user time
# (a loop of 10^9), and by --metric insn_user (user instructions counted
# under valgrind, a loop of 2,000,000) at otherwise default settings.
# make bench-bisect; BEST_OF=3 make bench-bisect bisects with
# --best-of 3; METRICS=insn_user make bench-bisect runs only that series.
cd "$(dirname "$0")/.." || exit 1
runs=${RUNS:-10}
mkdir -p build/bench-bisect/bin
# A copy of the binaries: a rebuild while this runs changes nothing.
for f in kbench kbench-agent; do
	cp build/san/$f build/bench-bisect/bin/$f.new &&
	    mv -f build/bench-bisect/bin/$f.new build/bench-bisect/bin/$f ||
	    exit 1
done
export KBENCH_BIN_DIR=$(pwd)/build/bench-bisect/bin
# The host's noise this hour: the same loop, pinned as the test pins it.
cat >build/bench-bisect/loop.c <<'EOF'
int
main(void)
{
	volatile unsigned long x = 0;
	long i;

	for (i = 0; i < 1000000000L; i++)
		x += (unsigned long)i * i;
	return 0;
}
EOF
cc -O1 -o build/bench-bisect/loop build/bench-bisect/loop.c || exit 1
# series METRIC: ten bisections by that metric (RUNS), their figures.
series() {
	metric=$1
	ok=0
	conf=0
	gaveup=0
	steps=""
	secs=""
	i=1
	while [ $i -le "$runs" ]; do
		log=build/bench-bisect/$metric-$i.log
		t0=$(date +%s)
		KBENCH_BISECT_BENCH=1 PCT=5 METRIC=$metric LOOP_N=$2 \
		    sh tests/integration/51-bisect.sh >"$log" 2>&1
		t1=$(date +%s)
		first=$(grep -m 1 '^first bad commit:' "$log")
		s=$(grep -m 1 'revisions measured besides the endpoints' \
		    "$log" | sed 's/ revisions.*//')
		case $first in
		*" commit 11: "*)
			ok=$((ok + 1))
			grep -q '^confirmation: culprit vs parent.*: confirmed$' \
			    "$log" && conf=$((conf + 1))
			;;
		esac
		grep -q 'do not differ measurably' "$log" &&
		    ! grep -q 'deciding each step' "$log" &&
		    gaveup=$((gaveup + 1))
		steps="$steps ${s:-?}"
		secs="$secs $((t1 - t0))"
		echo "$metric bisection $i: ${first:-no answer} (${s:-?} steps," \
		    "$((t1 - t0)) s)"
		i=$((i + 1))
	done
	echo "5% step, --metric $metric, best-of ${BEST_OF:-1}: right commit" \
	    "in $ok of $runs bisections ($conf of them confirmed against" \
	    "the parent); gave up (endpoints not apart) $gaveup;" \
	    "steps:$steps; seconds:$secs (logs in build/bench-bisect)"
}

for m in ${METRICS:-user insn_user}; do
	case $m in
	user)
		echo "loop before: $(sh scripts/loop-spread.sh \
		    build/bench-bisect/loop)"
		series user 1000000000
		echo "loop after: $(sh scripts/loop-spread.sh \
		    build/bench-bisect/loop)"
		;;
	insn_user)
		# Under valgrind (kbench-agent -i): 16,000,000 instructions
		# a run, the step 800,000 of them.
		command -v valgrind >/dev/null ||
		    { echo "insn_user: no valgrind (make deps)"; continue; }
		series insn_user 2000000
		;;
	*)
		echo "METRICS: user or insn_user, not $m" >&2
		exit 2
		;;
	esac
done
