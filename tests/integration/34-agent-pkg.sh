# A bulk build's package rows the way a QEMU guest or an ssh worker
# sends them, without a guest: kbench-bulk builds a tiny DAG (a package
# and its dependant, a failing one and its skipped dependant) under the
# real agent, whose framed PKG lines go through a noisy console log into
# `kbench import --agent`: one pkg_build row per package with the
# file's figures, a corrupted row refused, nothing stored twice.
. "$(dirname "$0")/../lib.sh"

BULK=$T/kbench-bulk
cc -std=c99 -Wall -Wextra -pedantic -Werror -O2 -o "$BULK" \
    "$ROOT/workers/bulk/kbench-bulk.c" || fail "kbench-bulk does not build"
S=$T/src
mkdir -p "$S/base" "$S/useit" "$S/broken" "$S/after" "$T/res"
cat >"$T/list" <<'LIST'
base                 -- mkdir -p "$KBENCH_PREFIX/bin" && printf '#!/bin/sh\necho ran\n' >"$KBENCH_PREFIX/bin/tool" && chmod +x "$KBENCH_PREFIX/bin/tool"
useit  deps=base     -- tool | grep -q ran
broken               -- echo "deliberate failure" >&2; exit 3
after  deps=broken   -- true
LIST
"$KBENCH" -q db start
# kbench-bulk writes $KBENCH_RESULTS_DIR/pkgs-REP.jsonl; the agent sends
# its rows before the rep's SAMPLE.
KBENCH_RESULTS_DIR=$T/res "$AGENT" -n 1 -- "$BULK" -S "$S" -w "$T/w" \
    -p "$T/p" -l "$T/logs" "$T/list" >"$T/agent.out" 2>"$T/agent.err"
[ "$(grep -c '^KBENCH-PKG ' "$T/agent.out")" = 4 ] ||
    fail "expected 4 PKG lines: $(cat "$T/agent.out")"
grep -n 'KBENCH-PKG\|KBENCH-SAMPLE' "$T/agent.out" | tail -1 |
    grep -q SAMPLE || fail "the SAMPLE did not come after the rows"
SESS=$(sed -n 's/^KBENCH-START {"v":1,"session":"\([0-9a-f]*\)".*/\1/p' \
    "$T/agent.out")
# The console: kernel noise, every agent line behind a prefix, and a
# copy of broken's row with a byte changed first (its CRC fails).
{
	echo "[    0.000000] Linux version 6.1.0"
	grep '"pkg":"broken"' "$T/agent.out" | sed 's/"exit":3/"exit":9/'
	sed 's/^/[   12.345678] /' "$T/agent.out"
} >"$T/console.log"

sql "INSERT INTO kernel (label) VALUES ('plain');
    INSERT INTO worker (name) VALUES ('qemu-amd64');
    INSERT INTO workload (name) VALUES ('ports-tiny');" >/dev/null
RUN=$(sql "INSERT INTO run (ukey, kernel_id, worker_id, workload_id,
    source, state, n_planned) SELECT 'p1', k.id, w.id, l.id, 'qemu',
    'booting', 1 FROM kernel k, worker w, workload l RETURNING id")
expect_status 0 "$KBENCH" import --agent "$T/console.log" --run "$RUN"
contains "$OUT" "session $SESS: 1 sample lines, 4 package rows"
rows=$(sql "SELECT string_agg(package || '=' || status || ':' || exit, ' '
    ORDER BY package) FROM pkg_build WHERE run_id = $RUN AND rep = 1")
[ "$rows" = "after=skipped:-1 base=ok:0 broken=failed:3 useit=ok:0" ] ||
    fail "rows: '$rows'"
# The figures are the file's, to the microsecond.
for p in base useit broken; do
	want=$(grep "\"pkg\":\"$p\"" "$T/res/pkgs-1.jsonl" |
	    sed 's/.*"real_us":\([0-9]*\),"user_us":\([0-9]*\),"sys_us":\([0-9]*\).*/\1 \2 \3/')
	got=$(sql "SELECT real_us || ' ' || user_us || ' ' || sys_us
	    FROM pkg_build WHERE run_id = $RUN AND package = '$p'")
	[ "$got" = "$want" ] || fail "$p: stored '$got', file '$want'"
done
contains "$(sql "SELECT log_tail FROM pkg_build WHERE run_id = $RUN
    AND package = 'broken'")" "deliberate failure"
# useit started after base had finished.
order=$(sql "SELECT u.started >= b.started + b.real_us * interval '1 us'
    FROM pkg_build u JOIN pkg_build b ON b.run_id = u.run_id
    AND b.package = 'base' WHERE u.run_id = $RUN AND u.package = 'useit'")
[ "$order" = t ] || fail "useit did not wait for base"
# Again: nothing stored twice.
expect_status 0 "$KBENCH" import --agent "$T/console.log" --run "$RUN"
[ "$(sql "SELECT count(*) FROM pkg_build WHERE run_id = $RUN")" = 4 ] ||
    fail "rows stored twice"
# report --run: the run's packages in the order they started, even
# with no baseline to compare against.
expect_status 0 "$KBENCH" report --run "$RUN"
contains "$OUT" "Packages of run $RUN, in the order they started"
contains "$OUT" "4 rows: 2 built, 2 failed or skipped"
b=$(echo "$OUT" | grep -n '^  1 base ' | cut -d: -f1)
u=$(echo "$OUT" | grep -n '^  1 useit ' | cut -d: -f1)
[ -n "$b" ] && [ -n "$u" ] && [ "$b" -lt "$u" ] ||
    fail "report --run: base ($b) not before useit ($u): $OUT"
expect_status 0 "$KBENCH" report --run "$RUN" --format csv
contains "$OUT" "rep,package,status,exit,real_s,user_s,sys_s"
contains "$OUT" '1,"broken",failed,3,'
expect_status 0 "$KBENCH" report --run "$RUN" --format json
# (OUT has stderr too: the warning that there is no baseline.)
echo "$OUT" | sed -n '/^{/,$p' | python3 -c '
import json, sys
d = json.load(sys.stdin)
p = d["run_packages"]
assert [x["package"] for x in p][-1] == "after", d
assert [x["real_us"] for x in p if x["package"] == "base"][0] > 0, d
' || fail "report --run json: $OUT"
echo "34-agent-pkg: ok"
