#!/bin/sh
# kbench-test: alone
# A failing test leaves nothing running.  The runner is run on
# 71-serve, made to fail right after its kbench serve has started (with
# its cluster and a run's data): the test's own trap must stop both, so
# the runner has nothing to kill ("left running by the test" would say
# it had), and afterwards no process of that test is left at all.
. "$(dirname "$0")/../lib.sh"

mkdir -p "$T/logs"
set +e
env KBENCH_FORCE_FAIL=serve-started KBENCH_TEST_LOGS="$T/logs" \
    sh "$ROOT/tests/run.sh" integration 71-serve >"$T/run.out" 2>&1
rc=$?
set -e
cat "$T/run.out"
[ "$rc" -ne 0 ] || fail "the forced failure passed"
log=$(cat "$T/logs/integration-71-serve.log")
contains "$log" "FAIL: forced (KBENCH_FORCE_FAIL=serve-started)"
lacks "$log" "left running by the test"
kept=$(printf '%s\n' "$log" | sed -n 's/^test dir kept: //p' | tail -n 1)
[ -n "$kept" ] || fail "the failed test named no test dir: $log"
left=$(ps -eo pid=,args= | grep -F "$kept" | grep -v grep || true)
[ -z "$left" ] || fail "left running by the failed 71-serve: $left"
rm -rf "$kept"
echo "leak ok: 71-serve failed on purpose and left nothing running"
