#!/bin/sh
# Run every libFuzzer target for FUZZ_SECONDS (default 20) each, seeded
# from tests/data; a crash leaves its input in build/fuzz/crashes/.
set -eu
cd "$(dirname "$0")/../.."
secs=${FUZZ_SECONDS:-20}
# libconfig's own leak on a file that ends inside a string (its input is
# in tests/fuzz/crashers/): not kbench memory, reported upstream-style
# in lsan.supp; any other leak still fails.
export LSAN_OPTIONS="suppressions=$(pwd)/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
mkdir -p build/fuzz/crashes
st=0
for f in build/fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	name=$(basename "$f")
	corpus=build/fuzz/corpus-$name
	mkdir -p "$corpus"
	seeds=tests/data
	[ -d "tests/fuzz/seeds/$name" ] && seeds="tests/fuzz/seeds/$name"
	echo "== $name: ${secs}s"
	if ! "$f" -max_total_time="$secs" -max_len=65536 -timeout=10 \
	    -rss_limit_mb=2048 -artifact_prefix=build/fuzz/crashes/"$name"- \
	    -print_final_stats=1 "$corpus" "$seeds" \
	    >build/fuzz/"$name".log 2>&1; then
		echo "$name: FAILED, see build/fuzz/$name.log"
		tail -n 40 build/fuzz/"$name".log
		st=1
	else
		grep -E 'stat::number_of_executed_units|cov:' \
		    build/fuzz/"$name".log | tail -n 2
	fi
done
exit $st
