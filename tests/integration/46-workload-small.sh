# A small built-in workload end to end on the local worker: fetch
# (Debian source packages through the shared cache), setup, timed runs,
# cleanup, samples stored.  libc-small here; ports-small, now some 5
# minutes, is tests/long/ports-small.sh, and the ordering and skipping
# of a bulk build are 45-bulk.sh and 34-agent-pkg.sh.  Slow (a minute
# of compiling): KBENCH_SKIP_SLOW=1 skips it.
. "$(dirname "$0")/../lib.sh"

if [ -n "${KBENCH_SKIP_SLOW:-}" ]; then
	echo "SKIP: KBENCH_SKIP_SLOW is set"
	exit 77
fi
"$KBENCH" run --help >/dev/null 2>&1 ||
    fail "kbench run is not available"

# libc-small: the fixed musl subset; no packages of its own.
expect_status 0 "$KBENCH" run --worker local --workload libc-small -n 1
n=$(sql "SELECT count(*) FROM sample s JOIN run r ON r.id = s.run_id
    JOIN workload w ON w.id = r.workload_id
    WHERE w.name = 'libc-small' AND NOT s.warmup AND s.status = 0
    AND s.real_us > 0")
[ "$n" = 1 ] || fail "libc-small: $n good samples, expected 1:
$OUT"
n=$(sql "SELECT count(*) FROM pkg_build b JOIN run r ON r.id = b.run_id
    JOIN workload w ON w.id = r.workload_id WHERE w.name = 'libc-small'")
[ "$n" = 0 ] || fail "libc-small stored $n package rows"
# The subset really is the fixed one: on x86_64, 269 objects (if the
# last repetition's tree was not cleaned up).
[ "$(uname -m)" = x86_64 ] || { echo "46-workload-small: ok"; exit 0; }
objs=$(find "$KBENCH_HOME/src/musl/obj/src" -name '*.lo' 2>/dev/null |
    wc -l | tr -d ' ')
case $objs in
0) ;;	# cleaned up after the last repetition: fine
*) [ "$objs" = 269 ] || fail "libc-small built $objs objects, not 269" ;;
esac
echo "46-workload-small: ok"
