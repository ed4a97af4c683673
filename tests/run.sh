#!/bin/sh
# Run kbench's tests: cmocka unit tests, then integration tests against
# real components.  Prints one line per test (its seconds and attempts)
# and closes with "N passed, N failed, N skipped", the total time and
# the five slowest tests.
#
# Usage: tests/run.sh [short|long|all|unit|integration] [NAME...]
#   short (default)  the unit tests and the integration tests not marked
#                    long: what make test runs
#   long             the integration tests marked long and tests/long/
#   all              both tiers
#   unit             the unit tests only
#   integration      the integration tests of the short tier; with NAMEs,
#                    any integration test whose name holds one of them
#
# A test file says what it is with lines "# kbench-test: WORD":
#   long     it belongs to the long tier (make test-long)
#   qemu     it boots a guest: it runs alone, and under KBENCH_CI its
#            skip is a failure (CI must boot a real kernel)
#   alone    it times CPU work or races a clock: it runs alone
#   retry N  it times CPU work on this shared VM, whose speed comes in
#            bursts (a loop's user time can jump 45% for one
#            repetition): it runs alone and gets up to N attempts, all
#            in its log; it fails when every attempt fails
# The others (unit tests, PostgreSQL-only integration tests, each with
# its own cluster in a temp dir) run KBENCH_TEST_JOBS (2) at a time;
# their lines still come in the order above, each whole.
#
# A test that exits 77 was skipped (something it needs is missing): it
# is reported as skipped, not passed.
#
# KBENCH_BIN_DIR: where kbench and kbench-agent are (build/san by default,
# the AddressSanitizer/UBSan build).
set -u
cd "$(dirname "$0")/.." || exit 1
ROOT=$(pwd)
: "${KBENCH_BIN_DIR:=$ROOT/build/san}"
: "${KBENCH_TEST_JOBS:=2}"
export KBENCH_BIN_DIR ROOT
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

what=${1:-short}
[ $# -gt 0 ] && shift
only="$*"
case $what in
short|long|all|unit|integration) ;;
*)	echo "usage: tests/run.sh [short|long|all|unit|integration]" \
	    "[NAME...]" >&2
	exit 2 ;;
esac

LOGDIR=${KBENCH_TEST_LOGS:-$ROOT/build/test-logs}
mkdir -p "$LOGDIR"
RES=$(mktemp -d "${TMPDIR:-/tmp}/kbench-run.XXXXXX") || exit 1
trap 'rm -rf "$RES"' EXIT
trap 'exit 130' INT TERM

want() {
	[ -z "$only" ] && return 0
	for o in $only; do
		case $1 in *"$o"*) return 0 ;; esac
	done
	return 1
}
marked() {	# file word: the file has the line "# kbench-test: word..."
	grep -q "^# kbench-test: $2\\b" "$1" 2>/dev/null
}
tries_of() {
	sed -n 's/^# kbench-test: retry \([0-9][0-9]*\)$/\1/p' "$1" \
	    2>/dev/null | head -n 1
}

# The list, one test a line: name, mode (par: with others; one: alone),
# tries, qemu (1 or 0), the command's kind (bin or sh) and its path.
add() {		# name kind path
	mode=par
	tries=
	q=0
	if [ "$2" = sh ]; then
		tries=$(tries_of "$3")
		[ -n "$tries" ] && mode=one
		marked "$3" alone && mode=one
		case $1 in *qemu*) q=1 ;; esac
		marked "$3" qemu && q=1
		[ $q -eq 1 ] && mode=one
	fi
	printf '%s %s %s %s %s %s\n' "$1" "$mode" "${tries:-1}" "$q" "$2" \
	    "$3" >>"$RES/list"
}
add_sh() {	# dir tier: the scripts of that tier (short, long or any)
	for t in "$1"/*.sh; do
		[ -f "$t" ] || continue
		tier=short
		marked "$t" long && tier=long
		[ "$2" = any ] || [ "$2" = "$tier" ] || continue
		nm=$(basename "$1")-$(basename "$t" .sh)
		want "$nm" && add "$nm" sh "$t"
	done
}
: >"$RES/list"
case $what in short|all|unit)
	for t in "$KBENCH_BIN_DIR"/test_*; do
		[ -x "$t" ] || continue
		nm=unit-$(basename "$t")
		want "$nm" && add "$nm" bin "$t"
	done ;;
esac
case $what in
short)			add_sh tests/integration short ;;
integration)		if [ -n "$only" ]; then
				add_sh tests/integration any
			else
				add_sh tests/integration short
			fi ;;
long)			add_sh tests/integration long
			add_sh tests/long long ;;
all)			add_sh tests/integration short
			add_sh tests/integration long
			add_sh tests/long long ;;
esac
[ -s "$RES/list" ] || { echo "tests/run.sh: no test matches" >&2; exit 1; }

# left_behind ID: the processes a test left running.  Everything a test
# starts inherits KBENCH_TEST_ID (servers, guests, clusters), so after
# it has exited any process still holding its ID is a leak: each is
# named in the log and killed, and the test fails.  Reads /proc, so on
# a system without it nothing is checked.
left_behind() {
	[ -r /proc/self/environ ] || return 0
	pids=$(grep -lzx "KBENCH_TEST_ID=$1" /proc/[0-9]*/environ \
	    2>/dev/null | sed 's|^/proc/\([0-9]*\)/environ$|\1|')
	[ -n "$pids" ] || return 0
	for p in $pids; do
		echo "left running by the test, killed: pid $p:" \
		    "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-200)"
	done
	kill $pids 2>/dev/null
	sleep 2
	kill -9 $pids 2>/dev/null
	return 1
}

# run_test i name tries qemu kind path: writes $RES/i.out (the lines to
# print), $RES/i.st ("ok|FAIL|skip SECONDS NAME"), then $RES/i.done.
run_test() {
	i=$1 name=$2 tries=$3 q=$4 kind=$5 path=$6
	log=$LOGDIR/$name.log
	start=$(date +%s)
	attempt=1
	st=0
	: >"$log"
	while :; do
		if [ "$kind" = sh ]; then
			KBENCH_TEST_ID=$$.$i.$attempt sh "$path" >>"$log" 2>&1
		else
			KBENCH_TEST_ID=$$.$i.$attempt "$path" >>"$log" 2>&1
		fi
		st=$?
		if ! left_behind "$$.$i.$attempt" >>"$log"; then
			echo "FAIL: processes left running (above)" >>"$log"
			[ $st -ne 0 ] || st=1
		fi
		[ $st -eq 0 ] || [ $st -eq 77 ] && break
		[ $attempt -ge "$tries" ] && break
		echo "--- attempt $attempt of $tries failed; trying again" \
		    >>"$log"
		attempt=$((attempt + 1))
	done
	secs=$(( $(date +%s) - start ))
	if [ "$tries" -gt 1 ]; then
		how="${secs}s, attempt $attempt of $tries"
	else
		how="${secs}s, 1 attempt"
	fi
	why=$(sed -n 's/^SKIP: //p' "$log" | tail -n 1)
	if [ $st -eq 0 ]; then
		res=ok
		echo "ok    $name ($how)"
	elif [ $st -eq 77 ] && [ $q -eq 1 ] && [ -n "${KBENCH_CI:-}" ]; then
		res=FAIL
		echo "FAIL  $name ($how): skipped, and KBENCH_CI is set:" \
		    "CI must boot a real kernel: ${why:-see $log}"
	elif [ $st -eq 77 ]; then
		res=skip
		echo "skip  $name ($how): ${why:-see $log}"
	else
		res=FAIL
		echo "FAIL  $name ($how), log: $log"
		tail -n 30 "$log" | sed 's/^/      | /'
	fi >"$RES/$i.out"
	echo "$res $secs $name" >"$RES/$i.st"
	: >"$RES/$i.done"
}

pass=0
fail=0
skip=0
failed=""
skipped=""
shown=1
show_done() {	# print the finished tests in list order, count them
	while [ -f "$RES/$shown.done" ]; do
		cat "$RES/$shown.out"
		read -r d_res d_secs d_name <"$RES/$shown.st"
		echo "$d_secs $d_name" >>"$RES/times"
		case $d_res in
		ok)	pass=$((pass + 1)) ;;
		skip)	skip=$((skip + 1))
			skipped="$skipped $d_name" ;;
		*)	fail=$((fail + 1))
			failed="$failed $d_name" ;;
		esac
		shown=$((shown + 1))
	done
}
running=""
reap() {	# wait until one of the running tests is done
	while :; do
		left=""
		got=0
		for j in $running; do
			if [ -f "$RES/$j.done" ]; then
				eval "wait \$pid_$j"
				got=1
			else
				left="$left $j"
			fi
		done
		running=$left
		[ $got -eq 1 ] && break
		sleep 0.2 2>/dev/null || sleep 1
	done
	show_done
}

all0=$(date +%s)
i=0
while read -r name mode tries q kind path; do
	i=$((i + 1))
	if [ "$mode" = one ]; then
		while [ -n "$running" ]; do reap; done
		run_test "$i" "$name" "$tries" "$q" "$kind" "$path" </dev/null
		show_done
		continue
	fi
	set -- $running
	[ $# -ge "$KBENCH_TEST_JOBS" ] && reap
	run_test "$i" "$name" "$tries" "$q" "$kind" "$path" </dev/null &
	eval "pid_$i=\$!"
	running="$running $i"
done <"$RES/list"
while [ -n "$running" ]; do reap; done
show_done

echo
[ -n "$skipped" ] && echo "skipped:$skipped"
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed, $skip skipped"
if [ -s "$RES/times" ]; then
	echo "total $(( $(date +%s) - all0 ))s; the slowest:" \
	    "$(sort -rn "$RES/times" | head -n 5 |
	    awk '{ printf "%s%s %ss", (NR > 1 ? ", " : ""), $2, $1 }')"
fi
[ "$fail" -eq 0 ]
