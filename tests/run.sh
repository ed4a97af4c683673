#!/bin/sh
# Run kbench's tests: cmocka unit tests, then integration tests against
# real components.  Prints one line per test and closes with
# "N passed, N failed".  Usage: tests/run.sh [unit|integration] [NAME...]
#
# KBENCH_BIN_DIR: where kbench and kbench-agent are (build/san by default,
# the AddressSanitizer/UBSan build).
set -u
cd "$(dirname "$0")/.." || exit 1
ROOT=$(pwd)
: "${KBENCH_BIN_DIR:=$ROOT/build/san}"
export KBENCH_BIN_DIR ROOT
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

what=${1:-all}
[ $# -gt 0 ] && shift
only="$*"

LOGDIR=$ROOT/build/test-logs
mkdir -p "$LOGDIR"
pass=0
fail=0
failed=""

want() {
	[ -z "$only" ] && return 0
	for o in $only; do
		case $1 in *"$o"*) return 0 ;; esac
	done
	return 1
}

# A test that times CPU work on this shared VM says so with a line
# "# kbench-test: retry N": the host's speed comes in bursts (a loop's
# user time can jump 45% for one repetition), so such a test gets up to
# N attempts, all in its log; it fails when every attempt fails.
tries_of() {
	sed -n 's/^# kbench-test: retry \([0-9][0-9]*\)$/\1/p' "$1" \
	    2>/dev/null | head -n 1
}

run_one() {	# name command...
	name=$1
	shift
	log=$LOGDIR/$name.log
	start=$(date +%s)
	tries=1
	if [ $# -ge 2 ]; then
		t=$(tries_of "$2")
		[ -n "$t" ] && tries=$t
	fi
	attempt=1
	ok=0
	: >"$log"
	while :; do
		if "$@" >>"$log" 2>&1; then
			ok=1
			break
		fi
		[ $attempt -ge "$tries" ] && break
		echo "--- attempt $attempt of $tries failed; trying again" >>"$log"
		attempt=$((attempt + 1))
	done
	note=""
	[ $attempt -gt 1 ] && note=", attempt $attempt of $tries"
	if [ $ok -eq 1 ]; then
		pass=$((pass + 1))
		echo "ok    $name ($(( $(date +%s) - start ))s$note)"
	else
		fail=$((fail + 1))
		failed="$failed $name"
		echo "FAIL  $name ($(( $(date +%s) - start ))s$note), log: $log"
		tail -n 30 "$log" | sed 's/^/      | /'
	fi
}

if [ "$what" = all ] || [ "$what" = unit ]; then
	for t in "$KBENCH_BIN_DIR"/test_*; do
		[ -x "$t" ] || continue
		n=unit/$(basename "$t")
		want "$n" && run_one "$(echo "$n" | tr / -)" "$t"
	done
fi
if [ "$what" = all ] || [ "$what" = integration ]; then
	for t in tests/integration/*.sh; do
		[ -f "$t" ] || continue
		n=integration/$(basename "$t" .sh)
		want "$n" && run_one "$(echo "$n" | tr / -)" sh "$t"
	done
fi

echo
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
