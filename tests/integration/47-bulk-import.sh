# kbench import --format dpb|poudriere: per-package times of other
# tools' bulk logs (tests/data/dpb, tests/data/poudriere) into pkg_build
# as one run per log directory, exact to the hundredth (dpb) or second
# (poudriere); a malformed log names FILE:LINE and stores nothing.
. "$(dirname "$0")/../lib.sh"

D=$DATA/dpb
P=$DATA/poudriere
counts() { sql "SELECT (SELECT count(*) FROM run) || '/' ||
    (SELECT count(*) FROM pkg_build)"; }
# pkg KERNEL PACKAGE: "status real_us" of that package.
pkg() { sql "SELECT p.status || ' ' || p.real_us FROM pkg_build p
    JOIN run r ON r.id = p.run_id JOIN kernel k ON k.id = r.kernel_id
    WHERE k.label = '$1' AND p.package = '$2'"; }
# imp STATUS FORMAT WORKER KERNEL DIR...: one import, its exit status.
imp() {
	_st=$1 _f=$2 _w=$3 _k=$4
	shift 4
	expect_status "$_st" "$KBENCH" import --format "$_f" --worker "$_w" \
	    --workload bulk --kernel "$_k" "$@"
}
# jtrue CODE: CODE sets ok from d, the JSON in $OUT; fail unless ok.
jtrue() {
	printf '%s' "$OUT" | python3 -c "import json, sys
d = json.load(sys.stdin)
$1
sys.exit(not ok)" || fail "JSON: $1: $OUT"
}
# logged DPBLOG PACKAGE: the total time dpb wrote, in microseconds.
logged() { awk -v p="$2" '$1 == p { split($3, a, ".");
    printf "%d\n", a[1] * 1000000 + a[2] * 10000 }' "$1"; }

imp 0 dpb arm64 base "$D/base"
contains "$OUT" "6 packages (6 built, 0 failed, 0 skipped) stored as run"
imp 0 dpb arm64 patched "$D/patched"
contains "$OUT" "6 packages (5 built, 1 failed, 0 skipped)"
[ "$(counts)" = "2/12" ] || fail "expected 2 runs, 12 packages: $(counts)"
for p in devel/gmake lang/python/3.11,-main archivers/lzip; do
	want="ok $(logged "$D/base/build.log" "$p")"
	[ "$(pkg base "$p")" = "$want" ] || fail "$p: $(pkg base "$p"), \
expected $want"
done
[ "$(pkg patched devel/bison)" = "ok 140580000" ] ||
    fail "bison: $(pkg patched devel/bison)"
[ "$(pkg patched textproc/libxml)" = "failed 164220000" ] ||
    fail "failed libxml: $(pkg patched textproc/libxml)"
[ "$(sql "SELECT count(*) FROM pkg_build WHERE user_us IS NOT NULL")" = 0 ] ||
    fail "dpb logs no user time, yet one was stored"
[ "$(sql "SELECT count(*) FROM sample")" = 0 ] ||
    fail "a bulk log has no total, yet a sample was stored"

# poudriere: the .poudriere.ports.* lists, and the .data.json web copy.
imp 0 poudriere fbsd pbase "$P/base"
contains "$OUT" "8 packages (6 built, 1 failed, 1 skipped)"
imp 0 poudriere fbsd ppatched "$P/patched"
contains "$OUT" "8 packages (7 built, 1 failed, 0 skipped)"
[ "$(pkg pbase lang/python311)" = "ok 702000000" ] ||
    fail "python311: $(pkg pbase lang/python311)"
[ "$(pkg pbase textproc/libxml2)" = "failed 188000000" ] ||
    fail "libxml2: $(pkg pbase textproc/libxml2)"
[ "$(pkg pbase textproc/libxslt)" = "skipped 0" ] ||
    fail "libxslt: $(pkg pbase textproc/libxslt)"
[ "$(pkg ppatched devel/py-setuptools@py311)" = "ok 22000000" ] ||
    fail "flavored origin: $(pkg ppatched devel/py-setuptools@py311)"
[ "$(counts)" = "4/28" ] || fail "expected 4 runs, 28 packages: $(counts)"
# .poudriere.pkg_deps%: its build lines as edges, by origin.
[ "$(sql "SELECT count(*) FROM pkg_edge")" = 4 ] ||
    fail "expected 4 edges: $(sql "SELECT count(*) FROM pkg_edge")"
expect_status 0 "$KBENCH" compare --worker fbsd --workload bulk pbase ppatched
contains "$OUT" "Critical path, 3 packages by base time: base 818.00 s,"
contains "$OUT" "  devel/gmake -> lang/python311 -> devel/py-setuptools@py311"

# The same logs again are refused; --force takes them.
imp 1 dpb arm64 base "$D/base"
contains "$OUT" "already imported"
[ "$(counts)" = "4/28" ] || fail "refused import stored something"

# Malformed logs: FILE:LINE, nothing stored, also from a good directory
# given in the same command.
mkdir -p "$T/bad1" "$T/bad2" "$T/bad3" "$T/empty"
sed '3s/ 108.14 / 10x.14 /' "$D/base/build.log" >"$T/bad1/build.log"
cp "$P/base/.poudriere.ports.built" "$T/bad2/"
printf 'devel/gmake gmake-4.4.1 95\ndevel/m4 m4-1.4.19\n' \
    >>"$T/bad2/.poudriere.ports.built"
printf '{"ports": {"built": [\n{"origin": "devel/gmake",\n "elapsed": }]}}\n' \
    >"$T/bad3/.data.json"
imp 1 dpb arm64 bad --force "$D/patched" "$T/bad1"
contains "$OUT" "$T/bad1/build.log:3: total time '10x.14'"
contains "$OUT" "nothing was imported"
imp 1 poudriere fbsd bad "$T/bad2"
contains "$OUT" "$T/bad2/.poudriere.ports.built:7: devel/gmake listed again"
sed -i '7d' "$T/bad2/.poudriere.ports.built"
imp 1 poudriere fbsd bad "$T/bad2"
contains "$OUT" "$T/bad2/.poudriere.ports.built:7: 2 fields"
imp 1 poudriere fbsd bad "$T/bad3"
contains "$OUT" "$T/bad3/.data.json:3:"
imp 1 poudriere fbsd bad "$T/empty"
contains "$OUT" "neither .poudriere.ports.built nor .data.json"
[ "$(counts)" = "4/28" ] || fail "a malformed log stored something: $(counts)"
[ "$(sql "SELECT count(*) FROM kernel WHERE label = 'bad'")" = 0 ] ||
    fail "a malformed log created its kernel"

# The per-package comparison of the two dpb builds: one repetition a
# side, so ratios; python added most time (+67.92 s), lzip saved most.
expect_status 0 "$KBENCH" compare --worker arm64 --workload bulk base patched
echo "$OUT" >"$T/cmp.txt"
contains "$OUT" "Per package: 5 built on both base and patched"
contains "$OUT" "a plain ratio"
contains "$OUT" "Slower, most time added first:
  package                     base s patched s    diff s  change
  lang/python/3.11,-main      679.14    747.06    +67.92  x1.100
  devel/bison                 108.14    140.58    +32.44  x1.300"
contains "$OUT" "Faster, most time saved first:
  package                     base s patched s    diff s  change
  archivers/lzip               15.59     12.47     -3.12  x0.800"
contains "$OUT" "Not built: 0 on base, 1 patched"
contains "$OUT" "Critical path: unknown"
awk 'length > 72 { exit 1 }' "$T/cmp.txt" || fail "a line over 72 columns:
$OUT"
# Known edges give the critical path: m4 <- bison <- python, by base time.
for e in "devel/bison devel/m4" "lang/python/3.11,-main devel/bison" \
    "archivers/lzip devel/m4"; do
	set -- $e
	sql "INSERT INTO pkg_edge SELECT id, '$1', '$2' FROM run
	    WHERE command LIKE '%dpb/base%'" >/dev/null
done
expect_status 0 "$KBENCH" compare --worker arm64 --workload bulk base patched
contains "$OUT" "Critical path, 3 packages by base time: base 834.37 s,"
contains "$OUT" "patched 934.27 s, +12.0%; in build order:"
contains "$OUT" "  devel/m4 -> devel/bison -> lang/python/3.11,-main"
expect_status 0 "$KBENCH" compare --format json --worker arm64 \
    --workload bulk base patched
jtrue 'p = d["packages"]; r = p["rows"][1]
ok = (p["packages"] == 5 and p["single_repetition"] and
    r["package"] == "devel/bison" and abs(r["ratio"] - 1.3) < 1e-3 and
    r["diff_pct_ci"] is None and len(p["critical_path"]["packages"]) == 3)'


# kbench report carries the section in every form.
expect_status 0 "$KBENCH" report --worker arm64 --workload bulk base patched
contains "$OUT" "Per package: 5 built on both base and patched"
contains "$OUT" "  devel/m4 -> devel/bison -> lang/python/3.11,-main"
echo "$OUT" >"$T/report.txt"
awk 'length > 72 { exit 1 }' "$T/report.txt" ||
    fail "a report line over 72 columns: $OUT"
expect_status 0 "$KBENCH" report --format csv --worker arm64 \
    --workload bulk base patched
contains "$OUT" "package,base_s,patched_s,diff_s,diff_pct,diff_pct_ci,ratio,n_base,n_patched"
contains "$OUT" '"devel/bison",108.140000,140.580000,32.440000,'
contains "$OUT" '"lang/python/3.11,-main",679.140000,'
expect_status 0 "$KBENCH" report --format json --worker arm64 \
    --workload bulk base patched
jtrue 'ok = d["comparisons"] == [] and d["packages"]["packages"] == 5'
expect_status 0 "$KBENCH" report --format md --worker arm64 \
    --workload bulk base patched
contains "$OUT" "## Per package"

# The page of the comparison, live: a sortable table of the 5 packages,
# the scatter drawn by gnuplot inline, the critical path.
SPID=
stop() {
	st=$?
	set +e
	[ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
	(exit $st)
	cleanup
}
trap stop EXIT
serve_start "$KBENCH" "$T/serve.err" --no-runner ||
    fail "serve did not start: $(cat "$T/serve.err")"
ids=$(sql "SELECT w.id || '-' || l.id || '-' || a.id || '-' || b.id
    FROM worker w, workload l, kernel a, kernel b WHERE w.name = 'arm64'
    AND l.name = 'bulk' AND a.label = 'base' AND b.label = 'patched'")
code=$(curl -s -o "$T/bulk.html" -w '%{http_code}' "$URL/bulk-$ids.html")
[ "$code" = 200 ] || fail "bulk-$ids.html: HTTP $code"
PAGE=$(cat "$T/bulk.html")
contains "$PAGE" '<table class="sortable">'
[ "$(grep -c '^<tr><td>' "$T/bulk.html")" = 5 ] || fail "not 5 rows: $PAGE"
contains "$PAGE" '<tr><td>devel/bison</td><td data-v="108.14">108.14</td>'
contains "$PAGE" "<svg"
contains "$PAGE" "same time"
contains "$PAGE" "devel/m4 &rarr; devel/bison &rarr; lang/python/3.11,-main"
lacks "$PAGE" "<?xml"
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/sort.js")
[ "$code" = 200 ] || fail "sort.js: HTTP $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/bulk-9-9-9-9.html")
[ "$code" = 404 ] || fail "a bulk page of nothing: HTTP $code"

# Usage errors.
expect_status 2 "$KBENCH" import --format rpm --worker a --workload b \
    --kernel c "$T"
contains "$OUT" "expected dpb or poudriere"
echo "47-bulk-import: ok"
