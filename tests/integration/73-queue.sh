#!/bin/sh
# kbench-test: qemu
# The queue runs.  kbench serve starts its runner (kbench queue run);
# POST /api/try with the token queues the CANPERSIST patch for
# qemu-amd64, and the runner takes it through building, booting and
# running to done, as `kbench try` would (the kernels are the ones
# 61-qemu-try.sh built and cached); its verdict shows on the status
# page in Chromium.  A patch that does not apply ends failed with the
# try's complaint; a second request for the same worker waits, queued,
# and is cancelled before it runs.  serve stopped mid-try puts the
# request back in the queue and the next serve's runner finishes it.
. "$(dirname "$0")/60-qemu-lib.inc"

"$KBENCH" -q db start
export KBENCH_DB="host=$KBENCH_HOME/pg port=5432 dbname=kbench user=kbench"
TOKEN=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
export KBENCH_CONFIG=$T/kbench.conf
printf 'serve: { token = "%s"; };\n' "$TOKEN" >"$KBENCH_CONFIG"
chmod 600 "$KBENCH_CONFIG"
# serve and its runner work in $QHOME, where the kernels are.
printf '#!/bin/sh\nKBENCH_HOME=%s exec %s "$@"\n' "$QHOME" "$KBENCH" >"$T/kb"
chmod 755 "$T/kb"
SPID=
stop() {
	st=$?
	set +e
	[ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID"
	for i in 1 2 3 4; do rm -rf "$QHOME/queue/$i"; done
	(exit $st)
	cleanup
}
trap stop EXIT
serve() {
	serve_start "$T/kb" "$T/serve$1.err" || fail "serve: $(cat "$T/serve$1.err")"
}
post() {	# patch-file: the request's id
	curl -s -X POST -H "Authorization: Bearer $TOKEN" --data-binary "@$1" \
	    "$URL/api/try?worker=qemu-amd64&workload=exec-small&n=2" |
	    python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'
}
state() { sql "SELECT state FROM try_request WHERE id = $1"; }
wait_state() {	# id, states (|), seconds
	i=0
	until state "$1" | grep -Eqx "$2"; do
		[ $i -lt "$3" ] || fail "request $1 is $(state "$1"), not $2" \
		    "after $3 s: $("$KBENCH" queue show "$1")
$(tail -n 20 "$QHOME/queue/$1/log")"
		sleep 1
		i=$((i + 1))
	done
}

serve 1
# --- 1. a patch that does not apply: failed, with the try's reason ---------
printf -- '--- a/nosuch.c\n+++ b/nosuch.c\n@@ -1 +1 @@\n-a\n+b\n' >"$T/bad.diff"
BAD=$(post "$T/bad.diff")
wait_state "$BAD" failed 300
expect_status 0 "$KBENCH" queue show "$BAD" --format json
printf '%s' "$OUT" | python3 -c 'import json, sys
d = json.load(sys.stdin)
assert d["state"] == "failed" and "does not apply" in d["error"], d
assert d["attempts"] == 1 and d["log"], d' || fail "failed request: $OUT"

# --- 2. the real one, and a second that waits for the worker --------------
GOOD=$(post "$ROOT/kernel-src/patches/canpersist-removal.patch")
WAIT=$(post "$ROOT/kernel-src/patches/canpersist-removal.patch")
wait_state "$GOOD" 'booting|running' 1800
[ "$(state "$WAIT")" = queued ] || fail "request $WAIT: $(state "$WAIT")"
expect_status 0 "$KBENCH" queue cancel "$WAIT"
[ "$(state "$WAIT")" = cancelled ] || fail "not cancelled"
expect_status 0 "$KBENCH" queue list
contains "$OUT" "#$GOOD "
lacks "$OUT" "#$WAIT "

# --- 3. serve stops mid-try: the request goes back to the queue ------------
kill "$SPID"
wait "$SPID" || true
SPID=
[ "$(state "$GOOD")" = queued ] || fail "after serve stopped: $(state "$GOOD")"
contains "$(sql "SELECT error FROM try_request WHERE id = $GOOD")" \
    "queued again"
serve 2
wait_state "$GOOD" done 1800
expect_status 0 "$KBENCH" queue show "$GOOD" --format json
echo "$OUT"
printf '%s' "$OUT" | python3 -c 'import json, sys
d = json.load(sys.stdin)
assert d["state"] == "done" and d["attempts"] == 2, d
assert "real " in d["verdict"], d' || fail "done request: $OUT"
[ "$(state "$WAIT")" = cancelled ] || fail "the cancelled one ran"

# --- 4. the status page, in Chromium: the request, done, with its verdict --
command -v chromium >/dev/null 2>&1 || fail "chromium is not installed"
python3 "$ROOT/tests/browser/cdp.py" --shots "$ROOT/build/test-logs/73-queue-shots" \
    --eval "document.body.innerText" "$URL/status.html" >"$T/cdp.out" ||
    fail "chromium: $(cat "$T/cdp.out")"
python3 - "$T/cdp.out" "$GOOD" <<'EOF' || fail "status page: $(cat "$T/cdp.out")"
import json, sys
page = json.loads(open(sys.argv[1]).read().splitlines()[-1])
text = page["eval"]
row = [l for l in text.splitlines() if l.startswith(sys.argv[2] + "\t")]
assert row and "qemu-amd64" in row[0] and "done" in row[0], text
assert "real " in row[0], row
EOF
# The request's own page (try-ID.html): done, with its verdict.
curl -s -o "$T/try.html" -w '%{http_code}' "$URL/try-$GOOD.html" \
    >"$T/try.code" || fail "try page: curl"
[ "$(cat "$T/try.code")" = 200 ] || fail "try page: HTTP $(cat "$T/try.code")"
grep -q '<td>done</td>' "$T/try.html" || fail "try page: $(cat "$T/try.html")"
grep -q '<th>verdict</th><td>[^<]*real ' "$T/try.html" ||
    fail "try page without its verdict: $(cat "$T/try.html")"
echo "73-queue: ok"
