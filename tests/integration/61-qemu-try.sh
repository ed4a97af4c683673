#!/bin/sh
# kbench-test: retry 3
# kbench-test: qemu
# kbench try PATCH on the QEMU worker, for real: the CANPERSIST patch
# (kernel-src/patches) is built against the cached base kernel, both
# boot in turns, and a small exec-heavy workload runs in each.  The
# patch drops a program's page cache when its last mapping goes, so the
# compiler is read from the (host-uncached) disk again at every exec:
# the guest's own disk counters must show it, and the report must carry
# compare's figures and verdicts.  A second try of the same patch must
# reuse both kernels, here through --worker all (once the test of its
# own: it is one more kernel try).  The neutral patch is
# 54-qemu-until-verdict's.
#
# The first try runs through a database outage: once its first sample
# is stored, the database is stopped for a minute.  The try spools and
# goes on, waits at its end for the database, stores the spool, and
# reports; every sample (and what the guest saw of it) is stored once
# and both runs are done.
#
# The kernels are built in $QHOME (its build dir holds the base build,
# so a patch rebuilds a file and relinks); the samples go to this
# test's own database (KBENCH_DB), never to $QHOME's.
. "$(dirname "$0")/60-qemu-lib.inc"

"$KBENCH" -q db start
DB="host=$KBENCH_HOME/pg port=5432 dbname=kbench user=kbench"
P=$ROOT/kernel-src/patches
# Ten compiles of an empty file: ten execs of gcc, cc1 and as.
W='cd /tmp && : >e.c && i=0; while [ $i -lt 10 ]; do gcc -c e.c || exit 1; i=$((i+1)); done'

TPID=
stop() {
	st=$?
	set +e
	[ -n "$TPID" ] && kill "$TPID" 2>/dev/null && wait "$TPID"
	(exit $st)
	cleanup
}
trap stop EXIT
spools() { ls "$QHOME/spool" 2>/dev/null | grep -c '[.]spool$' || true; }
spooled=$(spools)
env KBENCH_HOME="$QHOME" KBENCH_DB="$DB" "$KBENCH" try \
    "$P/canpersist-removal.patch" --worker qemu-amd64 -n 3 --per-boot 3 \
    -- "$W" >"$T/try.out" 2>&1 &
TPID=$!
i=0
until grep -q 'boot 1/2 base rep ' "$T/try.out"; do
	kill -0 "$TPID" 2>/dev/null || break
	[ $i -lt 1800 ] || fail "no sample in 30 minutes: $(cat "$T/try.out")"
	sleep 1
	i=$((i + 1))
done
"$KBENCH" -q db stop
echo "database stopped during the try: $(grep 'boot 1/2 base rep ' "$T/try.out")"
sleep 60
"$KBENCH" -q db start
set +e
wait "$TPID"
rc=$?
TPID=
set -e
OUT=$(cat "$T/try.out")
echo "$OUT"
[ "$rc" = 0 ] || fail "the try exited $rc through the outage"
contains "$OUT" "database unreachable; spooling to $QHOME/spool/"
contains "$OUT" "database back; spooled records stored"
[ "$(spools)" = "$spooled" ] || fail "spool files left: $(ls "$QHOME/spool")"
[ "$(sql "SELECT count(*) FROM sample")" = \
    "$(sql "SELECT sum(n_planned) FROM run")" ] ||
    fail "samples: $(sql 'SELECT run_id, rep, warmup FROM sample')"
[ "$(sql "SELECT count(*) FROM sample WHERE disk_read_kib IS NULL")" = 0 ] ||
    fail "the guest's figures were not all stored"
[ "$(sql "SELECT count(*) FROM run WHERE accel IS NULL OR boot_us IS NULL
    OR host IS NULL OR pid IS NULL")" = 0 ] ||
    fail "boot facts or harness: $(sql 'SELECT id, accel, boot_us, host, pid FROM run')"
contains "$OUT" "base kernel $KID12 cached: not rebuilt"
contains "$OUT" "boot 1/2: base kernel"
contains "$OUT" "boot 2/2: patched kernel"
contains "$OUT" "Difference at 95.0% confidence"
contains "$OUT" "verdict"
contains "$OUT" "guest (qemu-amd64, per counted repetition)"
# Each side: one run, done, on its own kernel; 3 counted samples each.
[ "$(sql "SELECT count(*) FROM run WHERE state = 'done' AND source = 'qemu'")" = 2 ] ||
    fail "runs: $(sql 'SELECT id, state, reason FROM run')"
[ "$(sql "SELECT count(DISTINCT kernel_id) FROM run")" = 2 ] ||
    fail "both runs on one kernel"
[ "$(sql "SELECT count(*) FROM sample WHERE NOT warmup")" = 6 ] ||
    fail "samples: $(sql 'SELECT run_id, rep, warmup FROM sample')"
# The mechanism: the patched kernel reads the compiler again each time.
base=$(sql "SELECT avg(s.disk_read_kib)::bigint FROM sample s
    JOIN run r ON r.id = s.run_id JOIN kernel k ON k.id = r.kernel_id
    WHERE NOT s.warmup AND k.patches = ''")
patched=$(sql "SELECT avg(s.disk_read_kib)::bigint FROM sample s
    JOIN run r ON r.id = s.run_id JOIN kernel k ON k.id = r.kernel_id
    WHERE NOT s.warmup AND k.patches <> ''")
echo "disk read per repetition: base $base KiB, patched $patched KiB"
[ "$patched" -gt $((base * 10 + 10240)) ] ||
    fail "the patched kernel did not read more: base $base, patched $patched"
# The guest ran the kernel built from the patch (its id in uname -r).
contains "$(sql "SELECT string_agg(release, ' ') FROM kernel")" "-kb"

# Again, as kbench try --worker all (the try on every configured
# worker in turn, then one verdict table, metric by worker): both
# kernels cached, and it says so.  Two workers: qemu-amd64, and one that
# cannot run (no QEMU guest for its arch), which must be in the table as
# failed, with its reason, while the other's verdicts stand; the exit
# status says a worker failed.  With --until-verdict on major faults (0
# against about 220 a repetition) the sequential test has its verdict
# at its first look, after one boot a side of 3, and no more boots are
# made for the cap of 6.
cat >"$T/kbench.conf" <<EOF2
workers = (
	{ name = "local"; transport = "local"; },
	{ name = "qemu-amd64"; transport = "qemu"; arch = "amd64"; os = "linux"; },
	{ name = "vax"; transport = "qemu"; arch = "vax"; os = "linux"; }
);
EOF2
samples=$(sql "SELECT count(*) FROM sample WHERE NOT warmup")
expect_status 1 env KBENCH_HOME="$QHOME" KBENCH_DB="$DB" \
    KBENCH_CONFIG="$T/kbench.conf" "$KBENCH" try \
    "$P/canpersist-removal.patch" --worker all --until-verdict \
    --metric majflt -n 6 --per-boot 3 -- "$W"
echo "$OUT"
contains "$OUT" "patched kernel"
contains "$OUT" "cached: not rebuilt"
contains "$OUT" "look 1 of"
lacks "$OUT" "boot 3/"
# Progress of each worker's try, prefixed with its name.
contains "$OUT" "--worker all: 1 of 2: qemu-amd64"
contains "$OUT" "qemu-amd64: "
contains "$OUT" "--worker all: 2 of 2: vax"
# The table: a header with both workers, amd64's samples and verdicts.
table=$(printf '%s\n' "$OUT" | sed -n '/^metric /,$p')
[ -n "$table" ] || fail "no table"
printf '%s\n' "$table" | grep -q '^metric  *qemu-amd64  *vax' ||
    fail "table header: $table"
printf '%s\n' "$table" | grep -q '^n  *3/3  *failed' ||
    fail "sample counts: $table"
printf '%s\n' "$table" | grep -q '^majflt  *+[0-9.]*%\{0,1\} regr  *-' ||
    fail "majflt verdict: $table"
printf '%s\n' "$table" | grep -q '^real  *[-+][0-9.]*% [a-z?]' ||
    fail "real time: $table"
printf '%s\n' "$table" | grep -q '^verdict  *regr 3  *failed$' ||
    fail "sequential verdict row: $table"
contains "$table" "sequential verdict on majflt (runs a side):"
contains "$table" "vax: failed: worker vax: no QEMU guest for vax here"
# The worker's own report is kept and is compare's.
rep=$(printf '%s\n' "$table" | sed -n 's/^  qemu-amd64: .*, \(\/.*\.txt\)$/\1/p')
[ -f "$rep" ] || fail "no report file for qemu-amd64: $table"
contains "$(cat "$rep")" "Difference at 95.0% confidence"
# Stored under the worker's name, like any try: 3 more a side.
[ "$(sql "SELECT count(*) FROM sample s JOIN run r ON r.id = s.run_id
    JOIN worker w ON w.id = r.worker_id
    WHERE w.name = 'qemu-amd64' AND NOT s.warmup")" = $((samples + 6)) ] ||
    fail "samples: $(sql 'SELECT run_id, rep, warmup FROM sample')"

# JSON: one object per worker, the failed one with its reason.
cat >"$T/vax.conf" <<EOF2
workers = ( { name = "vax"; transport = "qemu"; arch = "vax"; os = "linux"; } );
EOF2
expect_status 1 env KBENCH_HOME="$QHOME" KBENCH_DB="$DB" \
    KBENCH_CONFIG="$T/vax.conf" "$KBENCH" try \
    "$P/canpersist-removal.patch" --worker all --format json -- true
contains "$OUT" '{"workers": ['
contains "$OUT" '"worker": "vax", "ok": false, "reason": "worker vax: no QEMU guest for vax here: qemu: no guest for arch vax'
# Not with a plan.
expect_status 2 "$KBENCH" try "$P/neutral.patch" --worker all --dry-run
contains "$OUT" "--dry-run plans one worker"

# Bad input: a patch that does not apply names itself; nothing is run.
printf -- '--- a/mm/nosuch.c\n+++ b/mm/nosuch.c\n@@ -1 +1 @@\n-x\n+y\n' \
    >"$T/bad.diff"
runs=$(sql "SELECT count(*) FROM run")
expect_status 1 env KBENCH_HOME="$QHOME" KBENCH_DB="$DB" "$KBENCH" try "$T/bad.diff" \
    --worker qemu-amd64 -n 2 -- true
contains "$OUT" "bad.diff"
[ "$(sql "SELECT count(*) FROM run")" = "$runs" ] || fail "a run was made"
expect_status 1 "$KBENCH" try "$P/neutral.patch" --worker local -n 2
contains "$OUT" "cannot boot a kernel"
echo "try ok"
