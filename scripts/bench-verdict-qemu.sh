#!/bin/sh
# bench-verdict-qemu.sh: the done-when figures of kbench try
# --until-verdict on a kernel, where the host's noise does not reach
# them.  RUNS (default 3) tries of kernel-src/patches/init-on-free.patch
# (about 15% longer real time on this workload) and RUNS of the neutral
# patch, on the QEMU amd64 guest under -icount SHIFT (default 3), judged
# on real time with the default 3% margin.  Prints, for each, the
# verdict and the runs a side it took (target: regression by 3, A/A
# no-change), and the host's own loop spread before and after, to show
# that the guest's figures do not follow it.
#
# Needs the base kernel and the image in $KBENCH_QEMU_HOME (default
# ./var; make test builds both).  make bench-verdict-qemu.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
KB=${KB:-$ROOT/bin/kbench}
runs=${RUNS:-3}
shift_=${SHIFT:-3}
QHOME=${KBENCH_QEMU_HOME:-$ROOT/var}
P=$ROOT/kernel-src/patches
W='cd /tmp && : >e.c && i=0; while [ $i -lt 10 ]; do gcc -c e.c || exit 1; j=0; while [ $j -lt 40 ]; do /bin/true; j=$((j+1)); done; i=$((i+1)); done'
T=$(mktemp -d "${TMPDIR:-/tmp}/kbench-bench.XXXXXX")
chmod 755 "$T"	# the database server runs as postgres
# A private database, so the figures land nowhere else.
export KBENCH_HOME=$T/home
cleanup() {
	"$KB" -q db stop >/dev/null 2>&1 || true
	rm -rf "$T"
}
trap cleanup EXIT
"$KB" -q db start
DB="host=$KBENCH_HOME/pg port=5432 dbname=kbench user=kbench"

cc -O1 -o "$T/loop" "$ROOT/tests/data/loop.c"

# One try: "VERDICT N DIFF% [LO%, HI%] SECONDS".
one() {
	t0=$(date +%s)
	env KBENCH_HOME="$QHOME" KBENCH_DB="$DB" "$KB" -q try "$1" \
	    --worker qemu-amd64 --icount "$shift_" -n 6 --per-boot 3 \
	    --until-verdict --metric real --format json -- "$W" \
	    >"$T/out.json" 2>"$T/out.err" || {
		echo "bench-verdict-qemu: try $1 failed:" >&2
		tail -n 20 "$T/out.err" >&2
		exit 1
	}
	python3 - "$T/out.json" "$(($(date +%s) - t0))" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["sequential"]
print("%s %d %+.2f%% [%+.2f%%, %+.2f%%] %s" % (s["verdict"], s["n"],
    s["diff_pct"], s["diff_pct_lo"], s["diff_pct_hi"], sys.argv[2]))
PY
}

echo "host loop before: $(sh "$ROOT/scripts/loop-spread.sh" "$T/loop" 1000000000)"
regok=0
aaok=0
i=1
while [ "$i" -le "$runs" ]; do
	r=$(one "$P/init-on-free.patch")
	set -- $r
	[ "$1" = regression ] && [ "$2" -le 3 ] && regok=$((regok + 1))
	echo "try $i: init-on-free: $1 after $2 runs a side, real $3 $4 $5 ($6 s)"
	a=$(one "$P/neutral.patch")
	set -- $a
	[ "$1" = no-change ] && [ "$2" -le 3 ] && aaok=$((aaok + 1))
	echo "try $i: neutral: $1 after $2 runs a side, real $3 $4 $5 ($6 s)"
	i=$((i + 1))
done
echo "host loop after: $(sh "$ROOT/scripts/loop-spread.sh" "$T/loop" 1000000000)"
echo "init-on-free (about 15%): regression by 3 runs a side in $regok of $runs"
echo "neutral (A/A): no-change by 3 runs a side in $aaok of $runs"
