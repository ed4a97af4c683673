# A short fuzz run of every parser under ASan/UBSan (make fuzz: long runs).
. "$(dirname "$0")/../lib.sh"
cd "$ROOT"
n=$(ls build/fuzz/fuzz_* 2>/dev/null | wc -l)
[ "$n" -ge 4 ] || fail "fuzzers not built (make fuzzers): $n of 4"
# The known libconfig input must not crash or leak kbench memory.
LSAN_OPTIONS="suppressions=$ROOT/tests/fuzz/lsan.supp" \
    build/fuzz/fuzz_config tests/fuzz/crashers/* >/dev/null 2>&1 ||
    fail "fuzz_config on tests/fuzz/crashers failed"
FUZZ_SECONDS=${FUZZ_SECONDS:-15} sh tests/fuzz/run.sh
