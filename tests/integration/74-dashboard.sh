#!/bin/sh
# The dashboard (issue 21): 3 arches x 3 workloads x 20 kernels imported
# into the test's own PostgreSQL; the index is a matrix of 9 cells, each
# coloured by the verdict of its newest kernel against the one before
# (3 regressions, 3 improvements, 3 unchanged by construction); filters
# narrow the index and the series pages; two kernels picked compare;
# alerts of kbench detect are triaged on the web with the token only;
# a failed ad hoc run stays out of the index and its plot URL does not
# answer 500; kbench runs and POST /runs hide, show and remove runs; a
# series links each revision to its commit (serve.trees); a finished
# try's page has its verdicts, boots in order and the guest's counters;
# kbench annotate and POST /annotate put notes on a kernel or a date of
# the series.  Then the same in Chromium (tests/browser/dashboard.py:
# colours, filters, hover, notes, triage, a finished try), screenshots
# in build/test-logs.
. "$(dirname "$0")/../lib.sh"

TOKEN=t0k3n-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
export KBENCH_CONFIG=$T/kbench.conf
printf 'serve: { token = "%s";\n  trees = ( { commit_url = "https://example.org/commit/%%s"; } ); };\n' \
    "$TOKEN" >"$KBENCH_CONFIG"
chmod 600 "$KBENCH_CONFIG"

SPID=
stop() {
	st=$?
	set +e
	[ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
	(exit $st)
	cleanup
}
trap stop EXIT

# time -p logs: 5 repetitions, ~0.5% noise, deterministic.  Kind 0 is
# flat; 1 steps +10% at k12 and again at k20 (a regression, and a
# change point for kbench detect); 2 drops 10% at k20 (an improvement).
load() {	# arch arch-index
	for l in libc ports hello; do
		li=$(case $l in libc) echo 0 ;; ports) echo 1 ;; *) echo 2 ;; esac)
		kind=$((($2 + li) % 3))
		seed=$(printf '%s' "$1$l" | cksum | cut -d' ' -f1)
		k=1
		while [ $k -le 20 ]; do
			awk -v seed=$((seed % 100000 * 100 + k)) -v k=$k \
			    -v kind=$kind 'BEGIN {
				srand(seed); m = 1
				if (kind == 1) m = (k >= 12 ? 1.1 : 1) * (k == 20 ? 1.1 : 1)
				if (kind == 2 && k == 20) m = 0.9
				for (i = 0; i < 5; i++) {
					u = (rand() + rand() - 1) * 0.01
					printf "real %.3f\nuser %.3f\nsys %.3f\n",
					    10 * m * (1 + u), 8 * m * (1 + u), 1 + u
				}
			}' >"$T/$1-$l.log"
			kk=$(printf 'k%02d' $k)
			"$KBENCH" -q import --worker "w-$1" --arch "$1" \
			    --workload $l --kernel $kk --revision "r$k" \
			    --date "$(printf '2024-01-%02d' $k)" \
			    "$T/$1-$l.log" >/dev/null ||
			    { echo "import $1 $l $kk failed" >&2; return 1; }
			k=$((k + 1))
		done
	done
}
# The cluster first, then the three arches side by side.
expect_status 0 "$KBENCH" db start
load amd64 0 & p1=$!
load arm64 1 & p2=$!
load riscv64 2 & p3=$!
wait $p1 && wait $p2 && wait $p3 || fail "loading failed"
[ "$(sql 'SELECT count(*) FROM run')" = 180 ] || fail "expected 180 runs"

expect_status 0 "$KBENCH" detect --metric real
contains "$OUT" "3 new alerts"
ALERT=$(sql "SELECT min(id) FROM alert")

# A failed ad hoc run: kept, but out of the index.
expect_status 1 "$KBENCH" run -n 2 -- /nonexistent/cmd
FR=$(sql "SELECT max(id) FROM run WHERE state = 'failed'")
[ -n "$FR" ] || fail "no failed run stored"
FW=$(sql "SELECT worker_id FROM run WHERE id = $FR")
FL=$(sql "SELECT workload_id FROM run WHERE id = $FR")
FLN=$(sql "SELECT name FROM workload WHERE id = $FL")

serve_start "$KBENCH" "$T/serve.err" --no-runner ||
    fail "serve did not start: $(cat "$T/serve.err")"
get() {		# get PATH [curl args]: body in $BODY, status in $CODE
	p=$1
	shift
	CODE=$(curl -s -o "$T/body" -w '%{http_code}' "$@" "$URL/$p")
	BODY=$(cat "$T/body")
}
count() {	# how many times $2 is in $1
	printf '%s' "$1" | grep -o "$2" | wc -l | tr -d ' '
}

# --- 1. the matrix, its one statistic, its filters -----------------------
get index.html
[ "$CODE" = 200 ] || fail "index: $CODE"
for v in regression improvement no-change; do
	[ "$(count "$BODY" "class=\"cell v-$v\"")" = 3 ] ||
	    fail "expected 3 $v cells: $BODY"
done
contains "$BODY" "difference of the means"
contains "$BODY" "Student's t"
lacks "$BODY" ">$FLN<"
contains "$BODY" "3 new alerts"
get index.html?all=1
contains "$BODY" ">$FLN<"
get 'index.html?arch=arm64'
[ "$(count "$BODY" 'class="cell v-')" = 3 ] || fail "arch filter: $BODY"
get 'index.html?workload=libc&arch=amd64'
[ "$(count "$BODY" 'class="cell v-')" = 1 ] || fail "two filters: $BODY"
# Before k20 (to=2024-01-19) the regressions were at a level: unchanged.
get 'index.html?to=2024-01-19'
[ "$(count "$BODY" 'class="cell v-regression"')" = 0 ] ||
    fail "date range: $BODY"
get 'index.html?metric=sys'
[ "$(count "$BODY" 'class="cell v-')" = 9 ] || fail "metric sys: $BODY"
get 'index.html?metric=nosuch'
[ "$CODE" = 400 ] || fail "bad metric: $CODE"
get 'index.html?from=yesterday'
[ "$CODE" = 400 ] || fail "bad date: $CODE"
# The index's "vs previous" is the comparison page's difference.
link=$(printf '%s' "$BODY" | sed -n 's/.*href="\(compare-[0-9-]*\.html\)">\([-+][0-9.]*%\)<.*/\1 \2/p' | head -n 1)
get "${link% *}"
contains "$BODY" "${link#* }"

# --- 2. a series page: range, graph data, the kernels to compare ---------
W=$(sql "SELECT id FROM worker WHERE name = 'w-amd64'")
L=$(sql "SELECT id FROM workload WHERE name = 'ports'")
get "series-$W-$L.html"
contains "$BODY" "20 of 20 kernels shown"
contains "$BODY" 'src="dygraph.min.js"'
contains "$BODY" 'id="series-data"'
# Each revision links to its commit (serve.trees).
contains "$BODY" '<td><a class="commit" href="https://example.org/commit/r7">r7</a></td>'
get "series-$W-$L.html?from=2024-01-05&to=2024-01-09"
contains "$BODY" "5 of 20 kernels shown"
get "series-$W-$L.html?from=2024-1-5"
[ "$CODE" = 400 ] || fail "bad range: $CODE"
get dygraph.min.js
[ "$CODE" = 200 ] || fail "dygraph.min.js: $CODE"
get series.js
[ "$CODE" = 200 ] || fail "series.js: $CODE"
KA=$(sql "SELECT id FROM kernel WHERE label = 'k03'")
KB=$(sql "SELECT id FROM kernel WHERE label = 'k17'")
get "compare.html?w=$W&l=$L&a=$KA&b=$KB"
[ "$CODE" = 200 ] || fail "compare.html: $CODE $BODY"
contains "$BODY" "k03 vs k17"
get "compare.html?w=$W&l=$L&a=$KA"
[ "$CODE" = 400 ] || fail "compare.html without b: $CODE"

# The failed run's series and plot: not a 500.
get "series-$FW-$FL.html"
[ "$CODE" = 200 ] || fail "failed run's series: $CODE"
get "plot-history-$FW-$FL-real.svg"
[ "$CODE" != 500 ] || fail "failed run's plot: 500"

# --- 3. alerts and their triage, with the token only ---------------------
get alerts.html
contains "$BODY" "alert-$ALERT.html"
get "alert-$ALERT.html"
contains "$BODY" 'action="triage"'
contains "$BODY" "What moved"
get triage -X POST --data "alert=$ALERT&action=fixed"
[ "$CODE" = 401 ] || fail "triage without token: $CODE"
get triage -X POST --data "alert=$ALERT&action=fixed&token=wrong$TOKEN"
[ "$CODE" = 401 ] || fail "triage, wrong token: $CODE"
[ "$(sql "SELECT state FROM alert WHERE id = $ALERT")" = new ] ||
    fail "state changed without the token"
get triage -X POST --data "alert=$ALERT&action=nosuch&token=$TOKEN"
[ "$CODE" = 400 ] || fail "triage, bad action: $CODE"
get triage -X POST --data "alert=$ALERT&action=note&by=ann&token=$TOKEN&body=looks+real+%3Cb%3E"
[ "$CODE" = 303 ] || fail "note: $CODE $BODY"
get "alert-$ALERT.html"
contains "$BODY" "looks real &lt;b&gt;"
contains "$BODY" "ann"
expect_status 0 "$KBENCH" alert show "$ALERT"
contains "$OUT" "looks real <b>"

# --- 4. housekeeping: kbench runs, and /runs with the token -------------
expect_status 0 "$KBENCH" runs list --failed
contains "$OUT" "$FR failed"
contains "$OUT" "/nonexistent/cmd"
expect_status 0 "$KBENCH" runs list --limit 5 --format json
printf '%s' "$OUT" | python3 -c 'import json, sys
d = json.load(sys.stdin)
assert len(d) == 5 and d[0]["state"] == "failed" and not d[0]["hidden"], d' ||
    fail "runs list json: $OUT"
expect_status 2 "$KBENCH" runs hdie 1
contains "$OUT" "did you mean"
# Every run of a series hidden: its cell leaves the index; shown again.
RV=$(sql "SELECT id FROM worker WHERE name = 'w-riscv64'")
HL=$(sql "SELECT id FROM workload WHERE name = 'hello'")
IDS=$(sql "SELECT string_agg(id::text, ' ') FROM run WHERE worker_id = $RV AND workload_id = $HL")
# shellcheck disable=SC2086
expect_status 0 "$KBENCH" runs hide $IDS
get index.html
[ "$(count "$BODY" 'class="cell v-')" = 8 ] || fail "hidden series: $BODY"
get index.html?all=1
[ "$(count "$BODY" 'class="cell v-')" = 10 ] || fail "all=1: $BODY"
# shellcheck disable=SC2086
expect_status 0 "$KBENCH" runs show $IDS
get index.html
[ "$(count "$BODY" 'class="cell v-')" = 9 ] || fail "shown again: $BODY"
# The web: the token or nothing.
get runs -X POST --data "run=$FR&action=hide"
[ "$CODE" = 401 ] || fail "runs without token: $CODE"
get "run-$FR.html"
contains "$BODY" 'action="runs"'
get runs -X POST --data "run=$FR&action=hide&token=$TOKEN"
[ "$CODE" = 303 ] || fail "hide: $CODE $BODY"
[ "$(sql "SELECT hidden FROM run WHERE id = $FR")" = t ] || fail "not hidden"
expect_status 0 "$KBENCH" runs list
lacks "$OUT" "/nonexistent/cmd"
expect_status 0 "$KBENCH" runs list --all
contains "$OUT" "[hidden]"
get runs -X POST --data "run=$FR&action=rm&token=$TOKEN"
[ "$CODE" = 303 ] || fail "rm: $CODE $BODY"
[ "$(sql "SELECT count(*) FROM run WHERE id = $FR")" = 0 ] || fail "not removed"
expect_status 1 "$KBENCH" runs rm "$FR"
contains "$OUT" "no run $FR"
# A run with samples removed: its kernel leaves the series (the kept
# summary goes with it).
AL=$(sql "SELECT id FROM workload WHERE name = 'libc'")
get "series-$W-$AL.html"
contains "$BODY" "20 of 20 kernels shown"
R5=$(sql "SELECT r.id FROM run r JOIN kernel k ON k.id = r.kernel_id WHERE r.worker_id = $W AND r.workload_id = $AL AND k.label = 'k05'")
expect_status 0 "$KBENCH" runs rm "$R5"
get "series-$W-$AL.html"
contains "$BODY" "19 of 19 kernels shown"

# --- 5. a per-patch page: a queued request (no runner here) -------------
get 'api/try?worker=w-amd64&workload=libc&n=3' -X POST \
    -H "Authorization: Bearer $TOKEN" --data-binary 'diff --git a/x b/x'
[ "$CODE" = 201 ] || fail "try: $CODE $BODY"
TRY=$(printf '%s' "$BODY" | sed -n 's/.*"id": \([0-9]*\).*/\1/p')
get status.html
contains "$BODY" "href=\"try-$TRY.html\""
get index.html
contains "$BODY" "href=\"try-$TRY.html\""
get "try-$TRY.html"
[ "$CODE" = 200 ] || fail "try page: $CODE"
contains "$BODY" "queued"
contains "$BODY" "No boot yet"
get "try-999999.html"
[ "$CODE" = 404 ] || fail "no such try: $CODE"

# --- 5b. a finished try's page ------------------------------------------
# A try request queued on the web; what the queue runner and kbench try
# --request write around a try (started, then done with its verdict:
# try_request.c) is written here with SQL, and its boots (base, patched,
# base, patched) are kbench imports of time(1) logs: no guest.  The
# guest's disk and page-cache counters, which only a QEMU guest's agent
# reports, are set on their samples the same way.
get 'api/try?worker=w-try&workload=libc&n=3' -X POST \
    -H "Authorization: Bearer $TOKEN" --data-binary 'diff --git a/y b/y'
[ "$CODE" = 201 ] || fail "try: $CODE $BODY"
TRY2=$(printf '%s' "$BODY" | sed -n 's/.*"id": \([0-9]*\).*/\1/p')
sql "UPDATE try_request SET state = 'running', started = now() - '1 s'::interval WHERE id = $TRY2" >/dev/null
for b in 1 2 3 4; do
	case $b in 1|3) k=try-base m=1 ;; *) k=try-patched m=1.1 ;; esac
	awk -v m=$m -v b=$b 'BEGIN { for (i = 0; i < 3; i++)
		printf "real %.2f\nuser %.2f\nsys %.2f\n", 10 * m + i * 0.01 + b * 0.01,
		    8 * m + i * 0.01, 1 + i * 0.01 }' >"$T/try$b.log"
	"$KBENCH" -q import --worker w-try --arch amd64 --workload libc \
	    --kernel $k "$T/try$b.log" >/dev/null || fail "try import $b"
done
sql "UPDATE sample s SET disk_read_kib = 1000 + r.id % 2, cached_pre_kib = 2048, cached_post_kib = 4096 FROM run r JOIN worker w ON w.id = r.worker_id WHERE s.run_id = r.id AND w.name = 'w-try'" >/dev/null
sql "UPDATE try_request SET state = 'done', finished = now() + '1 s'::interval, verdict = 'real regression +10.00%' WHERE id = $TRY2" >/dev/null
# Its runs out of the index (the matrix stays 3 x 3).
TIDS=$(sql "SELECT string_agg(r.id::text, ' ' ORDER BY r.id) FROM run r JOIN worker w ON w.id = r.worker_id WHERE w.name = 'w-try'")
# shellcheck disable=SC2086
expect_status 0 "$KBENCH" runs hide $TIDS
get "try-$TRY2.html"
[ "$CODE" = 200 ] || fail "finished try page: $CODE"
contains "$BODY" "real regression +10.00%"
contains "$BODY" "try-base (base) vs try-patched"
contains "$BODY" '<table id="verdicts">'
contains "$BODY" '<td class="v-regression">regression</td>'
contains "$BODY" "<td>1000</td><td>2048</td><td>4096</td>"
[ "$(count "$BODY" 'href="run-[0-9]*.html">[0-9]')" = 4 ] ||
    fail "expected 4 boots: $BODY"
order=$(printf '%s' "$BODY" | sed -n 's/.*<td>\(try-[a-z]*\)<\/td>.*/\1/p' | tr '\n' ' ')
[ "$order" = "try-base try-patched try-base try-patched " ] ||
    fail "boots out of order: $order"
# A run page: seconds with the 2 decimals they have.
get "run-${TIDS%% *}.html"
contains "$BODY" "<td>10.01</td>"
lacks "$BODY" "0000000"

# --- 5c. notes on a kernel or a date (kbench annotate, POST /annotate) ---
expect_status 0 "$KBENCH" annotate add --kernel k10 --worker w-amd64 \
    --workload ports --by ann new compiler "<b>"
contains "$OUT" "note 1 added"
expect_status 0 "$KBENCH" annotate add --date 2024-01-15 rack moved
expect_status 1 "$KBENCH" annotate add --kernel nosuch x
contains "$OUT" "no kernel nosuch"
expect_status 2 "$KBENCH" annotate add no anchor
contains "$OUT" "give one of --kernel LABEL or --date YYYY-MM-DD"
expect_status 2 "$KBENCH" annotate add --date 2024-1-5 x
expect_status 2 "$KBENCH" annotate lsit
contains "$OUT" "did you mean 'list'?"
expect_status 0 "$KBENCH" annotate list
contains "$OUT" "kernel k10, worker w-amd64, workload ports"
contains "$OUT" "ann): new compiler <b>"
notes() {	# the series page's notes: "x:text" by x
	printf '%s' "$BODY" | sed -n 's/.*<script type="application\/json" id="series-data">\(.*\)<\/script>.*/\1/p' |
	    python3 -c 'import json, sys
print(" ".join("%d:%s" % (n["x"], n["text"]) for n in
    sorted(json.load(sys.stdin)["notes"], key=lambda n: n["x"])))'
}
# On the point of k10 (x 9) and of the first kernel of 2024-01-15 (k15,
# x 14); only the date's on another series.
get "series-$W-$L.html"
[ "$(notes)" = "9:new compiler <b> 14:rack moved" ] || fail "notes: $(notes)"
contains "$BODY" '<table id="notes">'
contains "$BODY" "new compiler &lt;b&gt;"
contains "$BODY" 'action="annotate"'
get "series-$W-$AL.html"
[ "$(notes)" = "13:rack moved" ] || fail "notes of libc: $(notes)"
get "series-$W-$L.html?from=2024-01-12"
[ "$(notes)" = "3:rack moved" ] || fail "notes in a range: $(notes)"
# The web: the token or nothing.
get annotate -X POST --data "w=$W&l=$L&k=$KA&body=web+note"
[ "$CODE" = 401 ] || fail "annotate without token: $CODE"
get annotate -X POST --data "w=$W&l=$L&date=2024-1-3&body=x&token=$TOKEN"
[ "$CODE" = 400 ] || fail "annotate, bad date: $CODE"
get annotate -X POST --data "w=$W&l=$L&k=$KA&body=web+note&token=$TOKEN"
[ "$CODE" = 303 ] || fail "annotate: $CODE $BODY"
get "series-$W-$L.html"
[ "$(notes)" = "2:web note 9:new compiler <b> 14:rack moved" ] ||
    fail "notes after the post: $(notes)"
expect_status 0 "$KBENCH" annotate list --format json
N3=$(printf '%s' "$OUT" | python3 -c 'import json, sys
d = json.load(sys.stdin)
assert len(d) == 3 and d[0]["text"] == "web note" and d[0]["by"] == "web" \
    and d[0]["kernel"] == "k03", d
print(d[0]["id"])') || fail "annotate list json: $OUT"
expect_status 0 "$KBENCH" annotate rm "$N3"
expect_status 1 "$KBENCH" annotate rm "$N3"
contains "$OUT" "no note $N3"

# --- 6. the same in Chromium ---------------------------------------------
SHOTS=$ROOT/build/test-logs/74-dashboard-shots
rm -rf "$SHOTS"
set +e
python3 "$ROOT/tests/browser/dashboard.py" "$URL" "$TOKEN" "$SHOTS" \
    "series-$W-$L.html" "$ALERT" "$TRY2" >"$T/browser.out" 2>&1
st=$?
set -e
cat "$T/browser.out"
[ $st -ne 77 ] || fail "$(cat "$T/browser.out")"
[ $st -eq 0 ] || fail "in Chromium"
[ "$(sql "SELECT state FROM alert WHERE id = $ALERT")" = acknowledged ] ||
    fail "the browser's triage did not reach the database"
echo "74-dashboard: ok"
