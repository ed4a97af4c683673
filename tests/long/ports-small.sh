#!/bin/sh
# kbench-test: long
# kbench run --workload ports-small -n 1 on the local worker, for real
# (make test-long; some 5 minutes of compiling on an idle 2-core host):
# the fetch through the shared cache, the 6 packages of the DAG subset
# built by kbench-bulk, one pkg_build row per package, each started
# only after its dependencies had finished.  Prints the figures it
# measured.  (The per-package section of kbench report compares two
# kernels' runs: 47-bulk-import.sh checks it.)
. "$(dirname "$0")/../lib.sh"

"$KBENCH" -q db start
start=$(date +%s)
expect_status 0 "$KBENCH" run --worker local --workload ports-small -n 1
wall=$(($(date +%s) - start))
n=$(sql "SELECT count(*) FROM sample s JOIN run r ON r.id = s.run_id
    JOIN workload w ON w.id = r.workload_id
    WHERE w.name = 'ports-small' AND NOT s.warmup AND s.status = 0")
[ "$n" = 1 ] || fail "ports-small: $n good samples, expected 1:
$OUT"
# Every package of the list, ok.
want=$(sed -e 's/#.*//' "$ROOT/configs/ports/packages-dag-small.list" |
    awk 'NF { print $1 "=ok" }' | sort | tr '\n' ' ' | sed 's/ $//')
rows=$(sql "SELECT string_agg(b.package || '=' || b.status, ' '
    ORDER BY b.package) FROM pkg_build b JOIN run r ON r.id = b.run_id
    JOIN workload w ON w.id = r.workload_id WHERE w.name = 'ports-small'")
[ "$rows" = "$want" ] || fail "ports-small packages: '$rows', want '$want'"
# Dependency order: each package started after every dependency of it
# in the list had finished.
sed -e 's/#.*//' -e 's/ -- .*//' \
    "$ROOT/configs/ports/packages-dag-small.list" | awk 'NF {
	for (i = 2; i <= NF; i++) if ($i ~ /^deps=/) {
		n = split(substr($i, 6), d, ",")
		for (j = 1; j <= n; j++) print $1, d[j]
	} }' >"$T/edges"
[ -s "$T/edges" ] || fail "no edges in the small list"
while read -r p d; do
	ok=$(sql "SELECT b.started >= a.started + a.real_us *
	    interval '1 microsecond' FROM pkg_build b JOIN pkg_build a
	    ON a.run_id = b.run_id AND a.rep = b.rep AND a.package = '$d'
	    JOIN run r ON r.id = b.run_id JOIN workload w
	    ON w.id = r.workload_id AND w.name = 'ports-small'
	    WHERE b.package = '$p'")
	[ "$ok" = t ] || fail "$p started before its dependency $d finished"
done <"$T/edges"
sane=$(sql "SELECT bool_and(real_us > 0 AND user_us > 0 AND sys_us >= 0)
    FROM pkg_build WHERE status = 'ok'")
[ "$sane" = t ] || fail "pkg_build times not plausible"
echo "ports-small: wall ${wall}s (kbench run, fetch included); packages:"
sql "SELECT b.package || ' real ' || round(b.real_us / 1e6, 1) || ' user '
    || round(b.user_us / 1e6, 1) || ' sys ' || round(b.sys_us / 1e6, 1)
    FROM pkg_build b JOIN run r ON r.id = b.run_id JOIN workload w
    ON w.id = r.workload_id WHERE w.name = 'ports-small'
    ORDER BY b.started"
echo "ports-small: ok"
