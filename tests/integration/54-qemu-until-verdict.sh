#!/bin/sh
# kbench-test: retry 2
# kbench-test: qemu
# kbench try --until-verdict on a kernel, judged on real time, where this
# host's noise cannot reach it: the QEMU guest under -icount, whose clock
# follows the instructions it executes.  init-on-free.patch zeroes every
# page as it is freed, a cost in the kernel's CPU time only; on an
# exec-heavy workload (ten compiles, each followed by forty execs of
# true) it makes real time about 15% longer.  The sequential test must
# call it a regression at its first look, after 3 runs a side (one boot
# each), and boot no more; the neutral patch (a comment) must end as
# no-change at the same look.  Both are done-when figures of issue 6.
. "$(dirname "$0")/60-qemu-lib.inc"

"$KBENCH" -q db start
DB="host=$KBENCH_HOME/pg port=5432 dbname=kbench user=kbench"
P=$ROOT/kernel-src/patches
W='cd /tmp && : >e.c && i=0; while [ $i -lt 10 ]; do gcc -c e.c || exit 1; j=0; while [ $j -lt 40 ]; do /bin/true; j=$((j+1)); done; i=$((i+1)); done'

# try_seq PATCH NAME [ARG...]: the try, its JSON in $T/NAME.json,
# progress in .err.
try_seq() {
	p=$1 name=$2
	shift 2
	set +e
	env KBENCH_HOME="$QHOME" KBENCH_DB="$DB" "$KBENCH" try "$p" \
	    --worker qemu-amd64 --icount 3 -n 6 --per-boot 3 \
	    --until-verdict --metric real --format json "$@" -- "$W" \
	    >"$T/$name.json" 2>"$T/$name.err"
	st=$?
	set -e
	cat "$T/$name.err"
	[ $st -eq 0 ] || fail "try $name exited $st"
	contains "$(cat "$T/$name.err")" "tcg+icount(shift=3)"
	contains "$(cat "$T/$name.err")" "look 1 of"
	lacks "$(cat "$T/$name.err")" "boot 3/"
}

try_seq "$P/init-on-free.patch" reg
python3 - "$T/reg.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["sequential"]
print("init-on-free:", s)
assert s["metric"] == "real" and s["verdict"] == "regression", s
assert s["n"] == 3 and s["look"] == 1, s
# About 15%: the size is the guest's, steady under -icount.
assert 10 < s["diff_pct"] < 20, s
assert s["diff_pct_lo"] > 5, s
PY

# The neutral patch, with --fail-on-regression: exit 0 (it is the
# only kernel try with that flag).
try_seq "$P/neutral.patch" aa --fail-on-regression
python3 - "$T/aa.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["sequential"]
print("neutral:", s)
assert s["metric"] == "real" and s["verdict"] == "no-change", s
assert s["n"] == 3 and s["look"] == 1, s
assert -3 < s["diff_pct_lo"] and s["diff_pct_hi"] < 3, s
PY

# Every boot ran under -icount, and each side stored its 3 samples.
[ "$(sql "SELECT count(*) FROM sample WHERE NOT warmup")" = 12 ] ||
    fail "samples: $(sql 'SELECT run_id, rep, warmup FROM sample')"
echo "until-verdict on qemu -icount ok"
