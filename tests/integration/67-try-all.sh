#!/bin/sh
# kbench-test: retry 2
# kbench-test: qemu
# kbench try PATCH --worker all: the try on every configured worker, one
# after the other, then one verdict table (metric by worker).  Two
# workers here: qemu-amd64, which boots the CANPERSIST kernel for real
# (cached by 61-qemu-try), and one that cannot run (no QEMU guest for
# its arch), which must be in the table as failed, with its reason,
# while the other's verdicts stand.  The exit status says a worker
# failed.  With --until-verdict (on majflt, which the patch moves from
# 0 to hundreds) the table has each worker's sequential verdict and the
# runs a side it took: one boot of 3 a side, no second.
. "$(dirname "$0")/60-qemu-lib.inc"

"$KBENCH" -q db start
DB="host=$KBENCH_HOME/pg port=5432 dbname=kbench user=kbench"
P=$ROOT/kernel-src/patches
W='cd /tmp && : >e.c && i=0; while [ $i -lt 10 ]; do gcc -c e.c || exit 1; i=$((i+1)); done'
cat >"$T/kbench.conf" <<EOF2
workers = (
	{ name = "local"; transport = "local"; },
	{ name = "qemu-amd64"; transport = "qemu"; arch = "amd64"; os = "linux"; },
	{ name = "vax"; transport = "qemu"; arch = "vax"; os = "linux"; }
);
EOF2

expect_status 1 env KBENCH_HOME="$QHOME" KBENCH_DB="$DB" \
    KBENCH_CONFIG="$T/kbench.conf" "$KBENCH" try \
    "$P/canpersist-removal.patch" --worker all --until-verdict \
    --metric majflt -n 6 --per-boot 3 -- "$W"
echo "$OUT"
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
# The mechanism on amd64: every exec faults the compiler in again.
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
# Stored under the worker's name, like any try.
[ "$(sql "SELECT count(*) FROM sample s JOIN run r ON r.id = s.run_id
    JOIN worker w ON w.id = r.worker_id
    WHERE w.name = 'qemu-amd64' AND NOT s.warmup")" = 6 ] ||
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
# Not with a plan or a repository.
expect_status 2 "$KBENCH" try "$P/neutral.patch" --worker all --dry-run
contains "$OUT" "--dry-run plans one worker"
echo "try --worker all ok"
