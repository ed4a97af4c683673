#!/bin/sh
# kbench run on the local worker, through the real agent and database:
# samples stored exactly as the agent printed them and in line with
# /usr/bin/time; timeouts and failed repetitions recorded; interleaved
# variants run A B A B and compare with no extra step; a configured
# workload's fetch/setup/cleanup; forged lines rejected; a stopped run
# recorded as failed; bad configs named by file:line.
. "$(dirname "$0")/../lib.sh"

LOOP='i=0; while [ $i -lt 150000 ]; do i=$((i+1)); done'
export KBENCH_CONFIG=$T/kbench.conf
mkdir -p "$T/wl"
cat >"$KBENCH_CONFIG" <<EOF
workload_dirs = [ "wl" ];
EOF

# --- 1. an ad hoc command: 3 samples, exact, plausible -----------------
expect_status 0 "$KBENCH" run --worker local -n 3 -- sh -c "$LOOP"
contains "$OUT" "3 of 3 repetitions counted"
contains "$OUT" "rep 3/3"		# one plain progress line per rep
[ "$(sql 'SELECT count(*) FROM sample')" = 3 ] || fail "not 3 samples"
[ "$(sql 'SELECT count(*) FROM sample WHERE real_us > 0 AND user_us > 0
    AND status = 0 AND NOT timedout')" = 3 ] || fail "implausible samples"
[ "$(sql "SELECT state || ' ' || n_planned || ' ' || source FROM run")" = \
    "done 3 agent" ] || fail "run not done: $(sql 'SELECT * FROM run')"
wl=$(sql 'SELECT name FROM workload')
case $wl in while-??????) ;; *) fail "ad hoc label '$wl'" ;; esac
[ "$(sql 'SELECT label FROM kernel')" = "$(uname -sr)" ] ||
    fail "kernel label is not uname -sr"

# What the database holds is what the agent printed, field for field.
ukey=$(sql 'SELECT ukey FROM run')
RD=$KBENCH_HOME/runs/$ukey
[ -s "$RD/agent.out" ] || fail "no agent.out in $RD"
[ -f "$RD/workload.log" ] || fail "no workload.log in $RD"
got=$(sql "SELECT rep || ' ' || real_us || ' ' || user_us || ' ' ||
    sys_us || ' ' || maxrss_kb || ' ' || minflt || ' ' || majflt || ' ' ||
    nvcsw || ' ' || nivcsw || ' ' || status FROM sample ORDER BY rep")
want=$(awk '/^KBENCH-SAMPLE / {
	n = split("rep real_us user_us sys_us maxrss_kb minflt majflt nvcsw " \
	    "nivcsw status", k, " ")
	line = ""
	for (i = 1; i <= n; i++) {
		match($0, "\"" k[i] "\":[0-9]+")
		v = substr($0, RSTART + length(k[i]) + 3,
		    RLENGTH - length(k[i]) - 3)
		line = line (i > 1 ? " " : "") v
	}
	print line }' "$RD/agent.out")
[ "$got" = "$want" ] || fail "stored samples differ from agent.out:
stored:
$got
agent:
$want"

# Against /usr/bin/time on the same command: medians within 50% + 0.1 s
# (two shared cores: loose, but catches unit and field mix-ups).
for i in 1 2 3; do
	/usr/bin/time -f '%e %U' sh -c "$LOOP" 2>>"$T/time.out"
done
kb=$(sql "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY real_us) / 1e6
    || ' ' || percentile_cont(0.5) WITHIN GROUP (ORDER BY user_us) / 1e6
    FROM sample")
tm=$(sort -n "$T/time.out" | sed -n 2p)
tmu=$(awk '{ print $2 }' "$T/time.out" | sort -n | sed -n 2p)
awk -v k="$kb" -v r="$(echo "$tm" | awk '{ print $1 }')" -v u="$tmu" '
    function near(a, b) { d = a - b; if (d < 0) d = -d
	m = a > b ? a : b; return d <= 0.5 * m + 0.1 }
    BEGIN { split(k, kk, " ")
	if (!near(kk[1], r) || !near(kk[2], u)) {
	    printf "kbench real %s user %s vs time real %s user %s\n",
		kk[1], kk[2], r, u; exit 1 } }' ||
    fail "kbench and /usr/bin/time disagree"

# -q: no progress, the summary still on stdout.
"$KBENCH" -q run -n 1 --workload quiet -- true >"$T/q.out" 2>"$T/q.err" ||
    fail "-q run failed: $(cat "$T/q.err")"
[ -s "$T/q.err" ] && fail "-q printed progress: $(cat "$T/q.err")"
contains "$(cat "$T/q.out")" "1 of 1 repetitions counted"

# --- 2. a timeout and a failure are stored, the run goes on -------------
expect_status 1 "$KBENCH" run -n 3 -t 1 --workload flaky -- sh -c \
    'case $KBENCH_REP in 1) sleep 30 ;; 3) exit 3 ;; esac'
contains "$OUT" "rep 1: TIMED OUT"
contains "$OUT" "rep 3: FAILED with status 3"
contains "$OUT" "1 of 3 repetitions counted"
[ "$(sql "SELECT string_agg(s.rep || ':' || s.timedout || ':' ||
    CASE WHEN s.timedout THEN 'T' ELSE s.status::text END, ' '
    ORDER BY s.rep) FROM sample s JOIN run r ON r.id = s.run_id
    JOIN workload l ON l.id = r.workload_id WHERE l.name = 'flaky'")" = \
    "1:true:T 2:false:0 3:false:3" ] ||
    fail "flaky samples: $(sql 'SELECT rep, timedout, status FROM sample')"
[ "$(sql "SELECT r.state FROM run r JOIN workload l ON
    l.id = r.workload_id WHERE l.name = 'flaky'")" = done ] ||
    fail "flaky run not done"

# --- 3. interleaved variants, then compare ------------------------------
expect_status 0 "$KBENCH" run -n 3 --workload ab \
    --variant "A=echo A \$KBENCH_REP >>$T/order; $LOOP" \
    --variant "B=echo B \$KBENCH_REP >>$T/order; $LOOP; $LOOP"
[ "$(tr '\n' ' ' <"$T/order")" = "A 1 B 1 A 2 B 2 A 3 B 3 " ] ||
    fail "not interleaved: $(cat "$T/order")"
contains "$OUT" "kbench compare --worker local --workload ab A B"
[ "$(sql "SELECT string_agg(k.label || '/' || r.variant || '/' ||
    r.state, ' ' ORDER BY k.label) FROM run r JOIN kernel k ON
    k.id = r.kernel_id JOIN workload l ON l.id = r.workload_id WHERE
    l.name = 'ab'")" = "A/A/done B/B/done" ] || fail "variant runs"
expect_status 0 "$KBENCH" compare --worker local --workload ab A B
contains "$OUT" "real"

# --- 4. a configured workload: fetch, dir, setup, cleanup, env ----------
cat >"$T/wl/tiny.conf" <<'EOF'
name = "tiny";
description = "a loop in a fetched directory";
defaults: { n = 2; timeout = 60; };
linux: {
	fetch = "mkdir -p tiny && echo fetched >>tiny/steps";
	dir = "$KBENCH_SRC/tiny";
	setup = "echo setup${KBENCH_VARIANT:+ $KBENCH_VARIANT} >>steps";
	command = "echo run${KBENCH_VARIANT:+ $KBENCH_VARIANT} $KBENCH_REP $NCPU $JOBS >>steps; test -d \"$KBENCH_RESULTS_DIR\" && test -d \"$KBENCH_CACHE\"";
	cleanup = "echo cleanup${KBENCH_VARIANT:+ $KBENCH_VARIANT} >>steps";
};
EOF
cp "$T/wl/tiny.conf" "$T/wl/tiny-freebsd.conf"
sed -i 's/"tiny"/"tiny-bsd"/; s/^linux:/freebsd:/' "$T/wl/tiny-freebsd.conf"
expect_status 0 "$KBENCH" run --worker local --workload tiny
S=$KBENCH_HOME/src/tiny/steps
nc=$(getconf _NPROCESSORS_ONLN)
jobs=$((nc / 2)); [ $jobs -ge 1 ] || jobs=1
[ "$(tr '\n' '|' <"$S")" = "fetched|setup|run 1 $nc $jobs|cleanup|run 2 $nc $jobs|" ] ||
    fail "steps: $(cat "$S")"
[ "$(sql "SELECT description FROM workload WHERE name = 'tiny'")" = \
    "a loop in a fetched directory" ] || fail "description not stored"
rm "$S"
expect_status 0 "$KBENCH" run --workload tiny -n 1 --variant X --variant Y
[ "$(tr '\n' '|' <"$S")" = "fetched|setup X|run X 1 $nc $jobs|setup Y|run Y 1 $nc $jobs|" ] ||
    fail "variant steps: $(cat "$S")"
expect_status 1 "$KBENCH" run --workload tiny-bsd
contains "$OUT" "has no linux section"
expect_status 1 "$KBENCH" run --workload nosuch
contains "$OUT" "no workload nosuch"
expect_status 2 "$KBENCH" run --workload tiny -- true
contains "$OUT" "names a configured workload"
expect_status 2 "$KBENCH" run -n 1 stray
contains "$OUT" "a command goes after --"
# A failing fetch fails the run, with the reason kept.
sed 's/^\tfetch = .*/\tfetch = "exit 7";/; s/"tiny"/"nofetch"/' \
    "$T/wl/tiny.conf" >"$T/wl/nofetch.conf"
expect_status 1 "$KBENCH" run --workload nofetch
contains "$OUT" "fetch failed with status 7"
[ "$(sql "SELECT r.state FROM run r JOIN workload l ON
    l.id = r.workload_id WHERE l.name = 'nofetch'")" = failed ] ||
    fail "nofetch run not failed"
rm "$T/wl/nofetch.conf"

# --- 5. forged lines are rejected, logged, never stored -----------------
cat >"$T/forger" <<EOF
#!/bin/sh
# The real agent, plus a copy of every sample with real_us changed
# (so its CRC no longer matches) and a replay of the first sample.
"$AGENT" "\$@" | while IFS= read -r l; do
	printf '%s\n' "\$l"
	case \$l in KBENCH-SAMPLE*)
		printf '%s\n' "\$l" | sed 's/"real_us":[0-9]*/"real_us":1/'
		[ -n "\${first:-}" ] && printf '%s\n' "\$first"
		first=\$l ;;
	esac
done
EOF
chmod +x "$T/forger"
expect_status 1 env KBENCH_AGENT="$T/forger" "$KBENCH" run -n 2 \
    --workload forged -- true
contains "$OUT" "lines rejected"
[ "$(sql "SELECT count(*) FROM sample s JOIN run r ON r.id = s.run_id
    JOIN workload l ON l.id = r.workload_id WHERE l.name = 'forged'
    AND s.real_us > 1")" = 2 ] || fail "forged: not the 2 real samples"
[ "$(sql "SELECT count(*) FROM sample s JOIN run r ON r.id = s.run_id
    JOIN workload l ON l.id = r.workload_id WHERE l.name = 'forged'
    AND s.real_us = 1")" = 0 ] || fail "a forged sample was stored"
ukey=$(sql "SELECT ukey FROM run r JOIN workload l ON l.id = r.workload_id
    WHERE l.name = 'forged'")
[ "$(grep -c 'CRC mismatch' "$KBENCH_HOME/runs/$ukey/rejected.log")" = 2 ] ||
    fail "rejected.log: $(cat "$KBENCH_HOME/runs/$ukey/rejected.log")"

# --- 6. a stopped run keeps its samples and says why it failed ----------
"$KBENCH" run -n 20 --workload stopped -- sleep 1 >"$T/stop.out" 2>&1 &
pid=$!
i=0
until [ "$(sql "SELECT count(*) FROM sample s JOIN run r ON r.id = s.run_id
    JOIN workload l ON l.id = r.workload_id WHERE l.name = 'stopped'")" \
    -ge 1 ] 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "no sample of the stopped run"
	sleep 0.2
done
kill -TERM $pid
set +e
wait $pid
st=$?
set -e
[ $st -eq 1 ] || fail "stopped run exited $st: $(cat "$T/stop.out")"
[ "$(sql "SELECT r.state FROM run r JOIN workload l ON
    l.id = r.workload_id WHERE l.name = 'stopped'")" = failed ] ||
    fail "stopped run not failed"
contains "$(sql "SELECT r.reason FROM run r JOIN workload l ON
    l.id = r.workload_id WHERE l.name = 'stopped'")" "interrupted"
ps -eo args | grep -q "[k]bench-agent -n20 .*$KBENCH_HOME" &&
    fail "agent left over: $(ps -eo pid,args | grep "[k]bench-agent -n20")"

# --- 7. bad configs name file:line --------------------------------------
printf 'workload_dirs = [ "wl" ];\ncompare: {\n  confidence = ;\n};\n' \
    >"$T/bad.conf"
expect_status 1 env KBENCH_CONFIG="$T/bad.conf" "$KBENCH" run -- true
contains "$OUT" "$T/bad.conf:3: syntax error"
printf 'name = "typo";\nlinux: {\n  comand = "true";\n};\n' >"$T/wl/typo.conf"
expect_status 1 "$KBENCH" run -- true
contains "$OUT" "$T/wl/typo.conf:3: unknown key 'comand'"
echo "ok"
