# A short fuzz run of every parser under ASan/UBSan (make fuzz: long runs).
. "$(dirname "$0")/../lib.sh"
cd "$ROOT"
n=$(ls build/fuzz/fuzz_* 2>/dev/null | wc -l)
[ "$n" -ge 2 ] || fail "fuzzers not built (make fuzzers)"
FUZZ_SECONDS=${FUZZ_SECONDS:-20} sh tests/fuzz/run.sh
