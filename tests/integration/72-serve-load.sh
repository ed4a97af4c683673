# kbench-test: alone
# kbench serve under load: 200 idle connections from one address do
# not lock out another client, and that address is held to its own
# share; 20 clients asking for the same plot at once get one drawing,
# the same bytes; a plot of more samples than it draws says so; a
# plot is drawn again when its data change, not before.
. "$(dirname "$0")/../lib.sh"

# 6,000 samples of "base" (more than a plot draws), 40 of "new".
gen() {		# count seed > time -p log
	awk -v n="$1" -v s="$2" 'BEGIN { srand(s)
	    for (i = 0; i < n; i++) { r = 100 + rand() * 2
		printf "real %.2f\nuser %.2f\nsys %.2f\n", r, r * 1.3, r / 2 } }'
}
gen 6000 1 >"$T/base.txt"
gen 40 2 >"$T/new.txt"
gen 10 3 >"$T/more.txt"
for k in base new; do
	expect_status 0 "$KBENCH" import --worker rv --arch riscv64 \
	    --workload libc --kernel "$k" "$T/$k.txt"
done

SPID=
HPID=
# set +e: a kill or wait that fails here (the process is gone) must
# not end the trap before cleanup stops the cluster.
stop() {
	st=$?
	set +e
	[ -n "$HPID" ] && kill "$HPID" 2>/dev/null && wait "$HPID" 2>/dev/null
	[ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
	(exit $st)
	cleanup
}
trap stop EXIT

serve_start "$KBENCH" "$T/serve.err" ||
    fail "serve did not start: $(cat "$T/serve.err")"
PORT=${URL##*:}

# (a) 200 connections from 127.0.0.1, each a request line and then
# nothing.  The holder says how many the server kept after a second
# (the rest it closed: one address gets 64), then how long until the
# server dropped the ones it kept (idle for 10 s).
cat >"$T/hold.py" <<'EOF'
import select, socket, sys, time
port, n, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def gone(s):
    if not select.select([s], [], [], 0)[0]:
        return False
    try:
        return s.recv(1) == b""
    except OSError:
        return True
socks = []
for i in range(n):
    s = socket.socket()
    s.settimeout(5)
    try:
        s.connect(("127.0.0.1", port))
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        socks.append(s)
    except OSError:
        pass
t0 = time.time()
time.sleep(1)
held = [s for s in socks if not gone(s)]
with open(out, "a") as f:
    f.write("held %d of %d\n" % (len(held), n))
while held and time.time() - t0 < 40:
    time.sleep(0.2)
    held = [s for s in held if not gone(s)]
with open(out, "a") as f:
    f.write("dropped after %.1f s\n" % (time.time() - t0) if not held
        else "still held %d\n" % len(held))
EOF
python3 "$T/hold.py" "$PORT" 200 "$T/hold.out" &
HPID=$!
for i in $(seq 100); do
	grep -q held "$T/hold.out" 2>/dev/null && break
	sleep 0.1
done
cat "$T/hold.out"
held=$(sed -n 's/^held \([0-9]*\) of 200$/\1/p' "$T/hold.out")
[ "$held" = 64 ] || fail "127.0.0.1 kept $held connections, not 64"
# The issue asks for an answer within 1 s; 5 s keeps a busy CI host
# from failing it, and still tells apart the server that never
# answers (every slot taken: curl times out or is refused).
got=$(curl -s -o "$T/index" -w '%{http_code} %{time_total}' --max-time 5 \
    --interface 127.0.0.2 "$URL/") || true
echo "another address, with 200 idle connections open: $got"
[ "${got%% *}" = 200 ] || fail "/ from 127.0.0.2: $got"
contains "$(cat "$T/index")" "<h1>Benchmarks</h1>"
# 127.0.0.1 itself is at its limit: refused, answered by nothing.
got=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$URL/") || true
[ "$got" = 000 ] || fail "a 65th connection from 127.0.0.1 got $got"
# 137 refusals, a line a second in the log at most: a few lines.
n=$(grep -c "connection limit" "$T/serve.err" || true)
[ "$n" -le 10 ] || fail "$n lines of refusals in the log"

# (b) 20 clients at once for one compare plot: one drawing, 20 x 200
# with the same body.  serve writes one line per drawing.
PLOT=plot-compare-1-1-1-2.svg
draws() {
	grep -c "drew $PLOT in" "$T/serve.err" || true
}
[ "$(draws)" = 0 ] || fail "drawn before it was asked for"
pids=
for i in $(seq 20); do
	curl -s --interface 127.0.0.2 --max-time 50 -o "$T/p$i.svg" \
	    -w '%{http_code}' "$URL/$PLOT" >"$T/code$i" &
	pids="$pids $!"
done
wait $pids || true
for i in $(seq 20); do
	[ "$(cat "$T/code$i")" = 200 ] ||
	    fail "client $i: HTTP $(cat "$T/code$i")"
	cmp -s "$T/p1.svg" "$T/p$i.svg" || fail "client $i got other bytes"
done
[ "$(draws)" = 1 ] || fail "$(draws) drawings for 20 clients:
$(grep drew "$T/serve.err")"
grep "drew $PLOT" "$T/serve.err"

# (c) 6,000 samples of base: 5,000 drawn, and the plot says so; the
# three panels' points stay near 3 x (5,000 + 40) (gnuplot draws each
# point as a use of a symbol).
contains "$(cat "$T/p1.svg")" "5,000 of 6,000 samples of base shown"
pts=$(grep -o "xlink:href='#gpPt" "$T/p1.svg" | wc -l)
echo "points in the SVG: $pts"
[ "$pts" -le $((3 * 5040 + 100)) ] || fail "$pts points drawn"
[ "$pts" -ge $((3 * 5040)) ] || fail "only $pts points drawn"

# Asked again: the same file, not drawn again.  New samples of new:
# drawn once more, at once (no wait for an expiry), with 50 samples.
curl -s --interface 127.0.0.2 -o "$T/again.svg" "$URL/$PLOT"
cmp -s "$T/p1.svg" "$T/again.svg" || fail "the same plot changed"
[ "$(draws)" = 1 ] || fail "drawn again with nothing changed"
expect_status 0 "$KBENCH" import --worker rv --workload libc \
    --kernel new "$T/more.txt"
curl -s --interface 127.0.0.2 -o "$T/new.svg" "$URL/$PLOT"
[ "$(draws)" = 2 ] || fail "not drawn again after an import ($(draws))"
cmp -s "$T/p1.svg" "$T/new.svg" && fail "the plot did not change"
curl -s --interface 127.0.0.2 -o "$T/new2.svg" "$URL/$PLOT"
[ "$(draws)" = 2 ] || fail "drawn again without a change"
# The cache holds this plot's newest version only, no temporary file.
ls -a "$KBENCH_HOME/cache/web"
[ "$(ls -A "$KBENCH_HOME/cache/web" | grep -c "^$PLOT\.")" = 1 ] ||
    fail "cache: $(ls -A "$KBENCH_HOME/cache/web")"
ls -A "$KBENCH_HOME/cache/web" | grep -q '^\.tmp' && fail "a temporary file left"

# The idle connections were dropped, after about 10 s.
for i in $(seq 300); do
	grep -q "dropped\|still" "$T/hold.out" && break
	sleep 0.1
done
cat "$T/hold.out"
after=$(sed -n 's/^dropped after \([0-9]*\)\..*/\1/p' "$T/hold.out")
[ -n "$after" ] || fail "idle connections not dropped: $(cat "$T/hold.out")"
[ "$after" -ge 5 ] && [ "$after" -le 25 ] ||
    fail "idle connections dropped after $after s, not about 10"
wait "$HPID"
HPID=
echo "72-serve-load: ok"
