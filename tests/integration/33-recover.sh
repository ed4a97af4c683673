#!/bin/sh
# kbench import --agent FILE --run ID: a run's samples recovered from
# what its agent printed, here a console log with kernel noise, a
# garbled line and two agent sessions (the real agent's output).  The
# run's session is the one named, or the one whose release carries the
# run's kernel id; each rep is stored once however often it runs, and
# the run is done once every rep is in.
. "$(dirname "$0")/../lib.sh"

"$KBENCH" -q db start
"$AGENT" -n 3 -w 1 -- true >"$T/s1.out"
"$AGENT" -n 2 -w 0 -- true >"$T/s2.out"
S1=$(sed -n 's/^KBENCH-START {"v":1,"session":"\([0-9a-f]*\)".*/\1/p' "$T/s1.out")
S2=$(sed -n 's/^KBENCH-START {"v":1,"session":"\([0-9a-f]*\)".*/\1/p' "$T/s2.out")
[ -n "$S1" ] && [ -n "$S2" ] || fail "no sessions: $(cat "$T/s1.out")"
KID=0123456789ab$(printf '%052d' 0)
# Session 2 as the run's kernel printed it: its release carries
# -kb<kid12> (the frame's CRC-32 made again over the changed line).
python3 - "$T/s2.out" "$T/s2k.out" <<'PY'
import re, sys, zlib
out = []
for line in open(sys.argv[1]):
    m = re.match(r'(KBENCH-START \{.*\}) \*[0-9a-f]{8}$', line.rstrip('\n'))
    if m:
        body = re.sub(r'"release":"[^"]*"', '"release":"6.1.0-kb0123456789ab"', m.group(1))
        line = "%s *%08x\n" % (body, zlib.crc32(body.encode()) & 0xffffffff)
    out.append(line)
open(sys.argv[2], "w").write("".join(out))
PY
# The console: kernel lines, a garbled copy of rep 2 first (its
# checksum no longer holds), the agent's lines behind a prefix, then
# the other session.
{
	echo "[    0.000000] Linux version 6.1.0"
	sed -n 1p "$T/s1.out"
	sed -n 3p "$T/s1.out" | sed 's/"real_us":[0-9]*/"real_us":1/'
	sed 's/^/[   12.345678] /' "$T/s1.out"
	echo "[   13.000000] random: crng init done"
	cat "$T/s2k.out"
} >"$T/console.log"

# Two runs interrupted while booting: no samples stored yet.
sql "INSERT INTO kernel (label) VALUES ('plain');
    INSERT INTO kernel (label, kid) VALUES ('built', '$KID');
    INSERT INTO worker (name) VALUES ('qemu-amd64');
    INSERT INTO workload (name) VALUES ('exec');" >/dev/null
mkrun() {	# kernel label, ukey: prints the run id
	sql "INSERT INTO run (ukey, kernel_id, worker_id, workload_id,
	    source, state, n_planned) SELECT '$2', k.id, w.id, l.id, 'qemu',
	    'booting', 3 FROM kernel k, worker w, workload l
	    WHERE k.label = '$1' AND w.name = 'qemu-amd64'
	    AND l.name = 'exec' RETURNING id"
}
R1=$(mkrun plain r1)
R2=$(mkrun built r2)
count() { sql "SELECT count(*) FROM sample WHERE run_id = $1"; }

# A kernel without an id: two sessions fit, so one must be named.
expect_status 1 "$KBENCH" import --agent "$T/console.log" --run "$R1"
contains "$OUT" "2 agent sessions could be the run's; name one with --session"
contains "$OUT" "$S1"
[ "$(count "$R1")" = 0 ] || fail "stored without a session"
expect_status 0 "$KBENCH" import --agent "$T/console.log" --run "$R1" \
    --session "$S1"
contains "$OUT" "session $S1: 4 sample lines, 0 package rows; run $R1 had 0 samples, has 4 (all of them: done)"
[ "$(count "$R1")" = 4 ] || fail "run $R1: $(count "$R1") samples"
[ "$(sql "SELECT state FROM run WHERE id = $R1")" = done ] || fail "not done"
# The garbled copy of rep 2 was not taken: rep 2 is the intact one.
[ "$(sql "SELECT real_us <> 1 FROM sample WHERE run_id = $R1 AND rep = 2")" = t ] ||
    fail "the garbled line was stored"
# Again: still once.
expect_status 0 "$KBENCH" import --agent "$T/console.log" --run "$R1" \
    --session "$S1"
contains "$OUT" "run $R1 had 4 samples, has 4"
[ "$(count "$R1")" = 4 ] || fail "recovered twice: $(count "$R1") samples"

# A kernel kbench built: its session is found by the kernel id.
expect_status 0 "$KBENCH" import --agent "$T/console.log" --run "$R2"
contains "$OUT" "session $S2: 2 sample lines, 0 package rows; run $R2 had 0 samples, has 2 (all of them: done)"
[ "$(count "$R2")" = 2 ] || fail "run $R2: $(count "$R2") samples"

# Bad input: no --run, no such run, a file without a session.
expect_status 2 "$KBENCH" import --agent "$T/console.log"
expect_status 1 "$KBENCH" import --agent "$T/console.log" --run 999
contains "$OUT" "no run 999 in the database"
echo "just a kernel log" >"$T/empty.log"
expect_status 1 "$KBENCH" import --agent "$T/empty.log" --run "$R1"
contains "$OUT" "no intact KBENCH-START line"
echo "33-recover: ok"
