#!/bin/sh
# Security (docs/reliability.md): hostile strings in every label go in
# and come back literally, through import and run, and no shell ever
# evaluates them (marker files); a password in KBENCH_DB shows up in no
# output, log, spool, run directory or workload environment; what kbench
# creates has safe permissions; a workload file cannot run a command
# through its dir; every SQL statement in the tree takes its values as
# parameters.
. "$(dirname "$0")/../lib.sh"

M=$T/marker
INJ="x'); DROP TABLE sample; -- \$(touch $M.1) \`touch $M.2\`; touch $M.3 | touch $M.4 \" \\ %s %n"
export KBENCH_CONFIG=$T/kbench.conf
mkdir -p "$T/wl"
cat >"$KBENCH_CONFIG" <<CONF
workload_dirs = [ "wl" ];
CONF
"$KBENCH" -q db start

lit() {		# lit SQL-with-:'v' -> one value, with v bound to $INJ
	printf '%s;\n' "$1" | "$KBENCH" db psql -XAtq -v v="$INJ"
}
nomarker() {
	for f in "$M".*; do
		[ -e "$f" ] && fail "a label was run by a shell: $f exists"
	done
	return 0
}

# --- 1. import: kernel, worker, workload, revision --------------------
expect_status 0 "$KBENCH" import --kernel "$INJ" --worker "$INJ" \
    --workload "$INJ" --revision "$INJ" --parent "$INJ" "$DATA/plain.txt"
[ "$(lit "SELECT count(*) FROM kernel WHERE label = :'v' AND
    revision = :'v' AND parent = :'v'")" = 1 ] || fail "kernel not literal"
[ "$(lit "SELECT count(*) FROM worker WHERE name = :'v'")" = 1 ] ||
    fail "worker not literal"
[ "$(lit "SELECT count(*) FROM workload WHERE name = :'v'")" = 1 ] ||
    fail "workload not literal"
[ "$(sql 'SELECT count(*) > 0 FROM sample')" = t ] || fail "sample table?"
nomarker

# --- 2. run: kernel label and command kept as text ---------------------
expect_status 0 "$KBENCH" run -n 1 --kernel "$INJ" --workload sec \
    -- printf '%s\n' "$INJ"
[ "$(lit "SELECT count(*) FROM run r JOIN kernel k ON k.id = r.kernel_id
    WHERE k.label = :'v' AND r.source = 'agent'")" = 1 ] ||
    fail "run kernel label not literal"
[ "$(sql "SELECT count(*) FROM run WHERE source = 'agent' AND
    command LIKE 'printf %'")" = 1 ] || fail "command not stored"
nomarker
# Labels that name things (workload, variant) take a plain charset: the
# hostile ones are refused before anything runs.
expect_status 2 "$KBENCH" run -n 1 --workload "$INJ" -- true
expect_status 2 "$KBENCH" run -n 1 --variant "a;touch $M.5" \
    --variant b=true --workload sec2
expect_status 2 "$KBENCH" run -n 1 --variant "\$(touch $M.6)=true" \
    --variant b=true --workload sec3
nomarker

# --- 3. a workload file cannot smuggle a command into dir ---------------
cat >"$T/wl/evil.conf" <<CONF
name = "evil";
linux: { dir = "\$(touch $M.7)"; command = "true"; };
CONF
expect_status 1 "$KBENCH" run -n 1 --workload evil
contains "$OUT" "command substitution"
nomarker
# Nor into a QEMU guest's shell through kbench try (refused before any
# kernel is built or booted).
cat >"$T/wl/evil2.conf" <<CONF
name = "evil2";
linux: { dir = "/tmp\\"; touch $M.8; \\""; command = "true"; };
CONF
expect_status 1 "$KBENCH" try "$ROOT/kernel-src/patches/neutral.patch" \
    --workload evil2
contains "$OUT" "only path characters"
lacks "$OUT" "building kernel"
nomarker
rm "$T/wl/evil.conf" "$T/wl/evil2.conf"

# --- 4. a password never leaks ------------------------------------------
PW=Sekr1t-pw-83
export KBENCH_DB="host=$KBENCH_HOME/pg port=5432 dbname=kbench user=kbench password=$PW"
export PGPASSWORD=$PW
all=""
expect_status 0 "$KBENCH" run -n 1 --kernel pw --workload pwtest \
    -- sh -c "env >$T/env.txt"
all="$all$OUT"
grep -q "$PW" "$T/env.txt" && fail "the workload saw the password"
expect_status 0 "$KBENCH" db status
all="$all$OUT"
# With the server down: the run spools, status and import fail; none of
# it names the password.
env -u KBENCH_DB "$KBENCH" -q db stop
expect_status 0 "$KBENCH" run -n 1 --kernel pw2 --workload pwtest -- true
all="$all$OUT"
expect_status 1 "$KBENCH" db status
all="$all$OUT"
contains "$OUT" "spool: 1 files"
expect_status 1 "$KBENCH" import --kernel k --worker w --workload l \
    "$DATA/plain.txt"
all="$all$OUT"
contains "$OUT" "nothing was imported"
lacks "$all" "$PW"
grep -rq "$PW" "$KBENCH_HOME" && fail "password in $(grep -rl "$PW" \
    "$KBENCH_HOME")"
env -u KBENCH_DB "$KBENCH" -q db start
expect_status 0 "$KBENCH" db replay
[ "$(sql "SELECT count(*) FROM run WHERE command LIKE '%$PW%' OR
    log_path LIKE '%$PW%'")" = 0 ] || fail "password in the database"
unset KBENCH_DB PGPASSWORD

# --- 5. permissions -------------------------------------------------------
mode() { stat -c %a "$1"; }
[ "$(mode "$KBENCH_HOME/pg")" = 700 ] || fail "pg dir $(mode "$KBENCH_HOME/pg")"
[ "$(mode "$KBENCH_HOME/spool")" = 700 ] || fail "spool dir not 0700"
[ "$(mode "$KBENCH_HOME/runs")" = 700 ] || fail "runs dir not 0700"
"$KBENCH" -q db stop
KBENCH_DB="host=$KBENCH_HOME/pg port=5432 dbname=kbench user=kbench" \
    "$KBENCH" run -n 1 --kernel perm2 --workload pwtest -- true >/dev/null 2>&1
ls "$KBENCH_HOME"/spool/*.spool >/dev/null || fail "nothing spooled"
for f in "$KBENCH_HOME"/spool/*.spool; do
	[ "$(mode "$f")" = 600 ] || fail "$f is $(mode "$f")"
done

# --- 6. the source: no value formatted into SQL ---------------------------
# Only identifiers from fixed tables (column names) may be formatted in;
# every such site is listed here after review: store/series.c (a metric's
# column) and store/webdata.c (the metric CASE, made from the same table).
cd "$ROOT"
hits=$(grep -nE '(asprintf|snprintf)\(.*"(SELECT|INSERT|UPDATE|DELETE|COPY|CREATE|DROP|ALTER)' \
    harness/*/*.c | grep -vE '^harness/store/(series|webdata)\.c:' || true)
[ -z "$hits" ] || fail "SQL built with printf:
$hits"
echo "83-security: ok"
