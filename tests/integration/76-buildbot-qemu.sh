#!/bin/sh
# kbench-test: retry 2
# kbench-test: long
# kbench-test: qemu
# Buildbot with the QEMU worker: a configured user forces a build of
# the CANPERSIST patch on the builder of the qemu-amd64 kbench worker;
# the build step runs `kbench try PATCH --worker qemu-amd64` (the
# kernels come from the cache the other QEMU tests use), the samples
# land in this test's PostgreSQL, and the regression shows as the
# build's WARNINGS result with verdict properties.  A real boot of both
# kernels under TCG with the libc-small workload: about six minutes.
. "$(dirname "$0")/60-qemu-lib.inc"

PY=/usr/bin/python3
[ -x /usr/bin/buildbot ] && [ -x /usr/bin/buildbot-worker ] ||
    fail "Debian's buildbot and buildbot-worker are not installed (make deps)"
P=$ROOT/kernel-src/patches/canpersist-removal.patch

# The patched kernel, built in $QHOME (a one-file rebuild) and shown to
# this test's home beside the base kernel, so the worker builds nothing.
PKID=$(KBENCH_HOME=$QHOME "$KBENCH" -q kernel build --id-only --patch "$P")
[ -f "$QHOME/kernels/$PKID/kernel.info" ] ||
    KBENCH_HOME=$QHOME "$KBENCH" -q kernel build --no-db --patch "$P" \
    >"$T/pbuild.log" 2>&1 || fail "patched kernel: $(tail "$T/pbuild.log")"
ln -s "$QHOME/kernels/$PKID" "$KBENCH_HOME/kernels/$PKID"

bb_exit() {
	st=$?
	set +e
	sh "$ROOT/scripts/buildbot-down.sh" >/dev/null 2>&1
	env -u KBENCH_CONFIG -u KBENCH_DB "$KBENCH" db stop >/dev/null 2>&1
	if [ $st -eq 0 ] && [ -z "${KEEP:-}" ]; then
		rm -rf "$T"
	else
		echo "test dir kept: $T" >&2
	fi
	exit $st
}
trap bb_exit EXIT

"$KBENCH" -q db start >/dev/null
CONNINFO="host=$KBENCH_HOME/pg port=5432 dbname=kbench user=kbench"
cat >"$T/kbench.conf" <<EOF2
database: { conninfo = "$CONNINFO"; };
workers = ( { name = "qemu-amd64"; transport = "qemu"; arch = "amd64";
	      os = "linux"; } );
EOF2
cat >"$T/buildbot.conf" <<EOF2
kbench_config = "$T/kbench.conf";
title = "kbench qemu test";
read_access = "open";
mainline: { interval = 0; workloads = [ ]; n = 2; };
try: { n = 2; };
EOF2
export KBENCH_BUILDBOT_USER=dev
KBENCH_BUILDBOT_CONF="$T/buildbot.conf" KBENCH_CONFIG="$T/kbench.conf" \
    KBENCH_BIN_DIR="$KBENCH_BIN_DIR" sh "$ROOT/scripts/buildbot-up.sh" \
    >"$T/up.log" 2>&1 || fail "buildbot-up failed: $(cat "$T/up.log")"
S=$KBENCH_HOME/buildbot
WWW=$(sed -n 's/^www = //p' "$S/submit.conf")
PW=$(sed -n 's/^dev://p' "$S/master/secrets/users")
rest() { "$PY" "$ROOT/tests/integration/bb-rest.py" "$WWW" "$@"; }

PATCH_JSON=$("$PY" -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read()))' "$P")
t0=$(date +%s)
B=$(rest force dev "$PW" qemu-amd64 "{\"n\": 2, \"workload\": \"libc-small\", \"patch\": $PATCH_JSON, \"reason\": \"qemu test\"}" 1800) ||
    fail "forced try: $B"
echo "forced kernel try: $(( $(date +%s) - t0 ))s"
printf "%s\n" "$B" | "$PY" -c '
import json, sys
b = json.load(sys.stdin)
p = b["props"]
print("build: results %s, verdict %s; real %+.1f%% (%s), sys %+.1f%% (%s)" % (
      b["results"], p.get("verdict"), p.get("diff_pct_real") or 0,
      p.get("verdict_real"), p.get("diff_pct_sys") or 0, p.get("verdict_sys")))
assert b["results"] == 1, ("not WARNINGS", b)
assert p["scheduler"] == "force" and p["patch_from"] == "property patch", p
# The mechanism, not the clock: with 2 samples a side under TCG on a
# shared host, sys time alone can come out either way (-38% once,
# while another guest ran); major faults cannot.
assert p["verdict"] == "regression" and \
    p["verdict_majflt"] == "regression", p
assert p["label_b"].endswith("+canpersist-removal.patch") or \
    "canpersist" in p["label_b"], p
' || fail "build result or properties wrong: $B"
# Both kernels booted on the QEMU worker, their samples in this database.
[ "$(sql "SELECT count(DISTINCT r.kernel_id) FROM run r JOIN worker w
    ON w.id = r.worker_id WHERE w.name = 'qemu-amd64' AND r.state = 'done'
    AND r.source = 'qemu'")" = 2 ] ||
    fail "runs: $(sql 'SELECT id, state, reason FROM run')"
[ "$(sql "SELECT count(*) FROM sample WHERE NOT warmup")" = 4 ] ||
    fail "samples: $(sql 'SELECT run_id, rep, warmup FROM sample')"
echo "buildbot qemu ok"
