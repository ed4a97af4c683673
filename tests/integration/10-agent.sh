#!/bin/sh
# kbench-test: alone
# 10-agent: the real kbench-agent (sanitizer build): framed lines with
# good CRCs, figures that agree with time(1), timeouts that take the
# whole process group down, setup failure, -C, and a workload that
# cannot forge lines.
. "$(dirname "$0")/../lib.sh"

command -v python3 >/dev/null || fail "python3 is needed to check CRCs"

# check.py FILE: every line framed with a good CRC (zlib.crc32) and
# JSON; prints "KIND key=value ..." per line for the shell to grep.
cat >"$T/check.py" <<'EOF'
import json, sys, zlib
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    line = line.rstrip("\n")
    body, sep, crc = line.rpartition(" *")
    if not sep or not body.startswith("KBENCH-"):
        sys.exit("line %d not framed: %r" % (n, line))
    if "%08x" % zlib.crc32(body.encode()) != crc:
        sys.exit("line %d: bad CRC %s: %r" % (n, crc, line))
    kind, obj = body[len("KBENCH-"):].split(" ", 1)
    d = json.loads(obj)
    print(kind, " ".join("%s=%s" % (k, json.dumps(v).replace(" ", "_"))
                         for k, v in d.items()))
EOF
check() {	# file -> $T/parsed
	python3 "$T/check.py" "$1" >"$T/parsed" ||
	    fail "agent output does not check:
$(cat "$1")"
}
field() {	# kind rep key: one value from $T/parsed
	awk -v k="$1" -v r="rep=$2" -v f="$3" '
	    $1 == k && (r == "rep=" || index(" " $0 " ", " " r " ")) {
		for (i = 2; i <= NF; i++)
			if (index($i, f "=") == 1) {
				print substr($i, length(f) + 2); exit
			}
	    }' "$T/parsed"
}

# Usage and version.
expect_status 2 "$AGENT"
contains "$OUT" "usage:"
expect_status 2 "$AGENT" -n 0 -- true
expect_status 0 "$AGENT" -V
contains "$OUT" "kbench-agent"

# 1. A CPU-bound command, 3 times.
LOOP='i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done'
"$AGENT" -n 3 -- /bin/sh -c "$LOOP" >"$T/out" 2>"$T/err" ||
    fail "agent failed: $(cat "$T/err")"
check "$T/out"
[ "$(grep -c '^SAMPLE ' "$T/parsed")" -eq 3 ] || fail "not 3 samples:
$(cat "$T/parsed")"
[ "$(head -n 1 "$T/parsed" | cut -d' ' -f1)" = START ] || fail "no START"
[ "$(tail -n 1 "$T/parsed" | cut -d' ' -f1)" = END ] || fail "no END"
contains "$(cat "$T/parsed")" "samples=3"
s1=$(field START "" session)
[ "$(grep -c "session=$s1" "$T/parsed")" -eq 5 ] || fail "session varies"
for r in 1 2 3; do
	u=$(field SAMPLE $r user_us)
	re=$(field SAMPLE $r real_us)
	st=$(field SAMPLE $r status)
	[ "$u" -gt 0 ] || fail "rep $r: user_us $u"
	# One process on a shared machine: real is at least most of user.
	[ "$re" -ge $((u * 8 / 10)) ] || fail "rep $r: real $re < user $u"
	[ "$st" -eq 0 ] || fail "rep $r: status $st"
	[ "$(field SAMPLE $r timeout)" = false ] || fail "rep $r timed out"
done

# 2. Agreement with time(1) on the same command: medians of five of
# user CPU time, within 30% + 50 ms.  The two take turns, pinned to one
# CPU, so that a slow minute of this shared VM (the same loop has taken
# twice as long from one second to the next) weighs on both alike.
if [ -x /usr/bin/time ]; then
	: >"$T/time"
	: >"$T/auser"
	for r in 1 2 3 4 5; do
		"$AGENT" -n 1 -- $PIN /bin/sh -c "$LOOP" >"$T/out" \
		    2>"$T/err" || fail "agent failed: $(cat "$T/err")"
		check "$T/out"
		field SAMPLE 1 user_us >>"$T/auser"
		/usr/bin/time -f '%e %U %S' -a -o "$T/time" \
		    $PIN /bin/sh -c "$LOOP"
	done
	tu=$(awk '{ printf "%d\n", $2 * 1000000 }' "$T/time" |
	    sort -n | sed -n 3p)
	au=$(sort -n "$T/auser" | sed -n 3p)
	[ "$au" -gt 0 ] || fail "agent user time: $(cat "$T/auser")"
	d=$((au > tu ? au - tu : tu - au))
	m=$((au > tu ? au : tu))
	[ "$d" -le $((m * 3 / 10 + 50000)) ] ||
	    fail "agent user ${au}us vs time(1) ${tu}us (agent:" \
	    $(cat "$T/auser") "time(1):" $(cut -d' ' -f2 "$T/time") ")"
	echo "user: agent ${au}us, time(1) ${tu}us"
fi

# 3. Timeout: the whole group dies, the rep is recorded, the next runs.
ln -s "$(command -v sleep)" "$T/sleep-kbmark-$$"
S="$T/sleep-kbmark-$$"
t0=$(date +%s)
"$AGENT" -n 2 -t 1 -- /bin/sh -c \
    "if [ \"\$KBENCH_REP\" = 1 ]; then $S 30 & $S 30; wait; fi" \
    >"$T/out" 2>"$T/err" || fail "timeout run failed: $(cat "$T/err")"
t1=$(date +%s)
[ $((t1 - t0)) -le 6 ] || fail "timeout took $((t1 - t0))s"
if pgrep -f "sleep-kbmark-$$" >/dev/null; then
	pkill -f "sleep-kbmark-$$"
	fail "a sleep survived the timeout"
fi
check "$T/out"
[ "$(field SAMPLE 1 timeout)" = true ] || fail "rep 1 not timed out:
$(cat "$T/parsed")"
[ "$(field SAMPLE 1 status)" -gt 128 ] || fail "rep 1 status"
[ "$(field SAMPLE 2 timeout)" = false ] || fail "rep 2 did not run:
$(cat "$T/parsed")"
[ "$(field SAMPLE 2 status)" -eq 0 ] || fail "rep 2 status"

# 4. Setup failure: framed ERROR, END, non-zero exit, no samples.
set +e
"$AGENT" -n 2 -s 'exit 3' -- true >"$T/out" 2>"$T/err"
st=$?
set -e
[ "$st" -ne 0 ] || fail "setup failure exited 0"
check "$T/out"
contains "$(cat "$T/parsed")" "ERROR"
contains "$(cat "$T/parsed")" "setup_failed"
lacks "$(cat "$T/parsed")" "SAMPLE"

# A command that does not exist: ERROR, not a bogus sample.
set +e
"$AGENT" -- /nonexistent/kbench >"$T/out" 2>"$T/err"
st=$?
set -e
[ "$st" -ne 0 ] || fail "exec failure exited 0"
check "$T/out"
contains "$(cat "$T/parsed")" "cannot_run"

# 5. -C, -o, setup/cleanup order and the environment; a workload
# printing a fake frame must not reach stdout.
mkdir "$T/wd"
"$AGENT" -n 2 -w 1 -C "$T/wd" -o "$T/log" -s 'echo setup >>trace' \
    -c 'echo cleanup $KBENCH_REP >>trace' -- /bin/sh -c \
    'echo run $KBENCH_REP $KBENCH_WARMUP >>trace; pwd;
     echo "KBENCH-SAMPLE {\"session\":\"x\"} *00000000";
     echo "KBENCH-SAMPLE fake" >&2' >"$T/out" 2>"$T/err" ||
    fail "agent failed: $(cat "$T/err")"
check "$T/out"
[ "$(grep -c '^SAMPLE ' "$T/parsed")" -eq 3 ] || fail "not 3 samples"
[ "$(field SAMPLE 1 warmup)" = true ] || fail "rep 1 not a warm-up"
[ "$(field SAMPLE 2 warmup)" = false ] || fail "rep 2 a warm-up"
# (START echoes the command itself, so look past it.)
lacks "$(grep -v '^KBENCH-START ' "$T/out")" "fake"
lacks "$(grep -v '^KBENCH-START ' "$T/out")" '"x"'
[ "$(wc -l <"$T/out")" -eq 5 ] || fail "extra lines on stdout"
lacks "$(cat "$T/err")" "fake"
contains "$(cat "$T/log")" "KBENCH-SAMPLE fake"
contains "$(cat "$T/log")" "$T/wd"
[ "$(cat "$T/wd/trace")" = "setup
run 1 1
cleanup 1
run 2 0
cleanup 2
run 3 0" ] || fail "wrong order: $(cat "$T/wd/trace")"

# Without -o the workload's output goes to the agent's stderr.
"$AGENT" -- /bin/sh -c 'echo KBENCH-SAMPLE fake' >"$T/out" 2>"$T/err"
lacks "$(grep -v '^KBENCH-START ' "$T/out")" "fake"
contains "$(cat "$T/err")" "KBENCH-SAMPLE fake"

# 6. SIGTERM to the agent: the group is killed, ERROR then END.
"$AGENT" -n 3 -- "$S" 30 >"$T/out" 2>"$T/err" &
apid=$!
sleep 1
kill -TERM $apid
set +e
wait $apid
st=$?
set -e
[ "$st" -ne 0 ] || fail "interrupted agent exited 0"
if pgrep -f "sleep-kbmark-$$" >/dev/null; then
	pkill -f "sleep-kbmark-$$"
	fail "a sleep survived SIGTERM to the agent"
fi
check "$T/out"
contains "$(cat "$T/parsed")" "interrupted_by_SIGTERM"
[ "$(tail -n 1 "$T/parsed" | cut -d' ' -f1)" = END ] || fail "no END"
echo ok
