# The small built-in workloads end to end on the local worker: fetch
# (Debian source packages through the shared cache), setup, timed runs,
# cleanup, samples stored, and for ports-small one pkg_build row per
# package with the dependency order kept.  Slow (a few minutes of
# compiling): KBENCH_SKIP_SLOW=1 skips it.
. "$(dirname "$0")/../lib.sh"

if [ -n "${KBENCH_SKIP_SLOW:-}" ]; then
	echo "SKIP: KBENCH_SKIP_SLOW is set"
	exit 77
fi
"$KBENCH" run --help >/dev/null 2>&1 ||
    fail "kbench run is not available"

# ports-small: m4 -> flex, bzip2, lzip.
expect_status 0 "$KBENCH" run --worker local --workload ports-small -n 1
n=$(sql "SELECT count(*) FROM sample s JOIN run r ON r.id = s.run_id
    JOIN workload w ON w.id = r.workload_id
    WHERE w.name = 'ports-small' AND NOT s.warmup AND s.status = 0")
[ "$n" = 1 ] || fail "ports-small: $n good samples, expected 1:
$OUT"
rows=$(sql "SELECT string_agg(b.package || '=' || b.status, ' '
    ORDER BY b.package) FROM pkg_build b JOIN run r ON r.id = b.run_id
    JOIN workload w ON w.id = r.workload_id WHERE w.name = 'ports-small'")
[ "$rows" = "bzip2=ok flex=ok lzip=ok m4=ok" ] ||
    fail "ports-small packages: '$rows'"
# flex started after m4 had finished.
order=$(sql "SELECT bool_and(f.started >= m.started +
    m.real_us * interval '1 microsecond')
    FROM pkg_build f JOIN pkg_build m ON m.run_id = f.run_id
    AND m.rep = f.rep AND m.package = 'm4' WHERE f.package = 'flex'")
[ "$order" = t ] || fail "flex did not wait for m4"
sane=$(sql "SELECT bool_and(real_us > 0 AND user_us > 0 AND sys_us >= 0)
    FROM pkg_build WHERE status = 'ok'")
[ "$sane" = t ] || fail "pkg_build times not plausible"

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
