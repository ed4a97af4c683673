# kbench-test: alone
# kbench serve: pages and the JSON API live; a running run's progress
# moves between two looks (curl on /api/status, Chromium on the status
# page); POST /api/try needs the configured token; read-only otherwise.
. "$(dirname "$0")/../lib.sh"

TOKEN=t0k3n-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
export KBENCH_CONFIG=$T/kbench.conf
mkdir -p "$T/wl"
printf 'workload_dirs = [ "wl" ];\nserve: { token = "%s"; };\n' "$TOKEN" \
    >"$KBENCH_CONFIG"

expect_status 0 "$KBENCH" import --worker rv --arch riscv64 --workload libc \
    --kernel base --date 2024-01-01 "$DATA/riscv64-libc-base.txt"
expect_status 0 "$KBENCH" import --worker rv --workload libc --kernel cp \
    --date 2024-01-02 "$DATA/riscv64-libc-canpersist.txt"

SPID=
RPID=
# set +e: a kill or wait that fails here (the process is gone, or
# answers 143) must not end the trap before cleanup stops the cluster.
stop() {
	st=$?
	set +e
	[ -n "$RPID" ] && kill "$RPID" 2>/dev/null
	[ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
	(exit $st)
	cleanup
}
trap stop EXIT

# A token too short to be secret is refused, naming the file.
printf 'serve: { token = "short"; };\n' >"$T/short.conf"
expect_status 1 env KBENCH_CONFIG="$T/short.conf" "$KBENCH" serve \
    --listen 127.0.0.1:0
contains "$OUT" "serve.token in $T/short.conf has 5 characters; use at least 16"

chmod 644 "$KBENCH_CONFIG"
serve_start "$KBENCH" "$T/serve.err" --no-runner ||
    fail "serve did not start: $(cat "$T/serve.err")"
case $URL in http://127.0.0.1:*) ;; *) fail "not on loopback: $URL" ;; esac
# 85-leak fails the test here: its trap must still stop serve and the
# cluster.
[ "${KBENCH_FORCE_FAIL:-}" != serve-started ] ||
    fail "forced (KBENCH_FORCE_FAIL=serve-started)"
# The token's file is readable by others: said, with the fix.
contains "$(cat "$T/serve.err")" "holds serve.token and is readable by others (mode 0644): chmod 600 $KBENCH_CONFIG"
lacks "$(cat "$T/serve.err")" "not loopback"

get() {		# get PATH [curl args]: body in $BODY, status in $CODE
	p=$1
	shift
	CODE=$(curl -s -o "$T/body" -w '%{http_code}' "$@" "$URL/$p")
	BODY=$(cat "$T/body")
}
for p in index.html status.html regressions.html series-1-1.html \
    run-1.html compare-1-1-1-2.html style.css status.js api/status \
    api/runs api/runs/1 'api/series?worker=rv&workload=libc' \
    api/regressions plot-history-1-1-real.svg plot-compare-1-1-1-2.svg; do
	get "$p"
	[ "$CODE" = 200 ] || fail "$p: HTTP $CODE: $BODY"
done
get api/runs/999
[ "$CODE" = 404 ] || fail "api/runs/999: $CODE"
get ../../etc/passwd --path-as-is
[ "$CODE" = 404 ] || fail "path traversal: $CODE"
get index.html -X DELETE
[ "$CODE" = 405 ] || fail "DELETE: $CODE"
get 'api/series?worker=rv&workload=libc&metric=sys'
python3 -c 'import json,sys; d=json.loads(sys.argv[1]);
assert d["metric"] == "sys" and len(d["points"]) == 2, d' "$BODY" ||
    fail "api/series: $BODY"

# The only write: no token 401, wrong token 401, right token 201 + row.
get 'api/try?worker=rv&workload=libc&n=3' -X POST --data-binary 'x'
[ "$CODE" = 401 ] || fail "try without token: $CODE $BODY"
get 'api/try?worker=rv&workload=libc&n=3' -X POST --data-binary 'x' \
    -H "Authorization: Bearer wrong-$TOKEN"
[ "$CODE" = 401 ] || fail "try with a wrong token: $CODE"
printf 'diff --git a/sys/uvm/uvm_vnode.c b/sys/uvm/uvm_vnode.c\n' >"$T/p.diff"
get 'api/try?worker=rv&workload=libc&n=3' -X POST \
    --data-binary "@$T/p.diff" -H "Authorization: Bearer $TOKEN"
[ "$CODE" = 201 ] || fail "try with the token: $CODE $BODY"
contains "$BODY" '"state": "queued"'
[ "$(sql "SELECT worker || ' ' || workload || ' ' || n || ' ' || state ||
    ' ' || (patch LIKE 'diff --git%') FROM try_request")" = \
    "rv libc 3 queued true" ] ||
    fail "try row: $(sql 'SELECT * FROM try_request')"
# A patch that is not UTF-8 text: a clear 400, nothing stored.
printf 'diff --git a/x b/x\n+caf\351\n' >"$T/latin1.diff"
get 'api/try?worker=rv&workload=libc&n=3' -X POST \
    --data-binary "@$T/latin1.diff" -H "Authorization: Bearer $TOKEN"
[ "$CODE" = 400 ] || fail "a non-UTF-8 patch: $CODE $BODY"
contains "$BODY" "UTF-8 text"
[ "$(sql "SELECT count(*) FROM try_request")" = 1 ] || fail "stored anyway"
get api/status
contains "$BODY" '"tries": [{"id": 1'

# A live run: its repetition count moves between two looks.  One
# second a repetition, 60 of them: the run outlasts Chromium's start
# however busy the host is, and once the page has been looked at,
# $T/fast makes the rest instant (no race with the browser).
"$KBENCH" run --worker local -n 60 -- sh -c "[ -e '$T/fast' ] || sleep 1" \
    >"$T/run.out" 2>&1 &
RPID=$!
rep_now() {
	curl -s "$URL/api/status" | python3 -c 'import json, sys
d = json.load(sys.stdin)
r = d["running"] if "running" in d else sys.exit("api/status: %s" % d)
print(r[0]["done"] if r else -1)'
}
first=-1
for i in $(seq 40); do
	first=$(rep_now)
	[ "$first" -ge 1 ] && break
	sleep 0.25
done
[ "$first" -ge 1 ] || fail "the run never showed as running with samples"
sleep 2.2
second=$(rep_now)
[ "$second" -gt "$first" ] || [ "$second" = -1 ] ||
    fail "api/status: repetitions did not move: $first then $second"
echo "api/status: repetition $first, then $second"
# Chromium on the status page: the page's own poll of /api/status
# moves the repetition count while it stays open.
python3 "$ROOT/tests/browser/cdp.py" --wait 0.5 --again 3 \
    --shots "$ROOT/build/test-logs/71-serve-shots" \
    --eval 'document.querySelector("#running .rep") ?
    document.querySelector("#running .rep").textContent : "none"' \
    "$URL/status.html" >"$T/look" ||
    fail "status page in Chromium: $(cat "$T/look")"
cat "$T/look"
ev() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$T/look" "$1"
}
r1=$(ev eval)
r2=$(ev eval_again)
touch "$T/fast"
case $r1 in [0-9]/60|[0-9][0-9]/60) ;; *) fail "status page showed '$r1'" ;; esac
case $r2 in [0-9]/60|[0-9][0-9]/60) ;; *) fail "status page later showed '$r2'" ;; esac
[ "${r2%/60}" -gt "${r1%/60}" ] ||
    fail "progress did not move in the page: $r1 then $r2"
echo "status page: $r1, then $r2"
wait "$RPID" || fail "the run failed: $(cat "$T/run.out")"
RPID=
# Every page of the running server in Chromium: graphs, no errors.
# The compare page has its plot; the series page draws its graph with
# dygraphs (a canvas); the index is a matrix (74-dashboard).
python3 "$ROOT/tests/browser/cdp.py" \
    --shots "$ROOT/build/test-logs/71-serve-shots" \
    --eval "document.querySelectorAll('#graph canvas').length" \
    "$URL/index.html" \
    "$URL/series-1-1.html" "$URL/compare-1-1-1-2.html" "$URL/status.html" \
    "$URL/run-3.html" >"$T/pages" || fail "pages: $(cat "$T/pages")"
[ "$(grep -c '"tag": "img"' "$T/pages")" -ge 1 ] || fail "graphs missing"
grep 'series-1-1.html' "$T/pages" | grep -q '"eval": [1-9]' ||
    fail "the series graph is missing: $(cat "$T/pages")"
get api/runs/3
contains "$BODY" '"state": "done"'

# The administrator stops the database: the server says so (503) and
# does not start it again behind their back.
"$KBENCH" -q db stop
get api/status
[ "$CODE" = 503 ] || fail "api/status with the database stopped: $CODE $BODY"
sleep 1
get api/status
[ "$CODE" = 503 ] || fail "api/status later: $CODE $BODY"
expect_status 1 "$KBENCH" db status
contains "$OUT" "server: not running"
echo "71-serve: ok"
