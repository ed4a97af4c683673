# kbench plot and kbench report: plots from gnuplot (labels with quotes
# cannot break or inject), text that fits a 72-column mail with the
# ministat blocks and verdicts, md/csv/json, and a static HTML site
# whose pages open in headless Chromium with their graphs.
. "$(dirname "$0")/../lib.sh"

B=$DATA/riscv64-libc-base.txt
C=$DATA/riscv64-libc-canpersist.txt
# A label that is hostile to gnuplot, HTML and the shell alike.
EVIL="cp'\"<script>alert(1)</script>\`touch $T/pwned\`@x"

expect_status 0 "$KBENCH" import --worker rv --arch riscv64 --workload libc \
    --kernel base --date 2024-01-01 "$B"
expect_status 0 "$KBENCH" import --worker rv --workload libc \
    --kernel "$EVIL" --date 2024-01-02 --parent base "$C"
expect_status 0 "$KBENCH" import --force --worker rv --workload libc \
    --kernel fixed --date 2024-01-03 "$B"

# Plots: SVG and PNG, non-empty, and no injection through the label.
expect_status 0 "$KBENCH" plot --out "$T/h.svg" history --worker rv \
    --workload libc
expect_status 0 "$KBENCH" plot --out "$T/c.png" compare --worker rv \
    --workload libc base "$EVIL"
expect_status 0 "$KBENCH" plot --format svg --out "$T/o.svg" overview \
    --arch riscv64 --workload libc
for f in h.svg c.png o.svg; do
	[ -s "$T/$f" ] || fail "$f is empty"
done
head -c 8 "$T/c.png" | od -c | grep -q 'P   N   G' || fail "c.png is no PNG"
grep -q '<svg' "$T/h.svg" || fail "h.svg is no SVG"
[ ! -e "$T/pwned" ] || fail "a label ran a command"
# A label holding "]]>", which gnuplot writes into the SVG as it is:
# the file must still be well-formed XML.
expect_status 0 "$KBENCH" import --force --worker rv --workload libc \
    --kernel "k]]>x" --date 2024-01-04 "$C"
expect_status 0 "$KBENCH" plot --format svg --out "$T/cdata.svg" compare \
    --worker rv --workload libc base "k]]>x"
for f in h.svg o.svg cdata.svg; do
	python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' \
	    "$T/$f" || fail "$f is not well-formed XML"
done
contains "$(cat "$T/cdata.svg")" "k]]&gt;x"
expect_status 2 "$KBENCH" plot --out "$T/x.svg" nonsense
expect_status 1 "$KBENCH" plot --out "$T/x.svg" history --worker nobody \
    --workload libc

# Text for a mail: 72 columns, ministat blocks, verdicts.
expect_status 0 "$KBENCH" report --format text --worker rv --workload libc \
    base "$EVIL"
printf '%s\n' "$OUT" >"$T/report.txt"
long=$(awk 'length > 72' "$T/report.txt")
[ -z "$long" ] || fail "lines over 72 columns:
$long"
contains "$OUT" "    N          Min          Max       Median          Avg       Stddev"
contains "$OUT" "Difference at 95.0% confidence"
contains "$OUT" "verdict: regression, +16.21%"
contains "$OUT" "Verdicts at 95.0% confidence, threshold 1%:"
contains "$OUT" "  sys      regression"
grep -q "$(printf '\t')" "$T/report.txt" && fail "tabs in the mail text"
# A run against its baseline (its parent kernel), and everything.
rid=$(sql "SELECT r.id FROM run r JOIN kernel k ON k.id = r.kernel_id
    WHERE k.parent = 'base'")
expect_status 0 "$KBENCH" report --run "$rid"
contains "$OUT" "Baseline:  x base"
expect_status 0 "$KBENCH" report
printf '%s\n' "$OUT" | awk 'length > 72 { bad = 1 } END { exit bad }' ||
    fail "report --all has lines over 72 columns"
contains "$OUT" "Open regressions:"
expect_status 1 "$KBENCH" report --run 999
contains "$OUT" "no run 999"

# md, csv (one row per metric), json.
expect_status 0 "$KBENCH" report --format md --worker rv --workload libc \
    base fixed
contains "$OUT" "| real |"
contains "$OUT" '```'
expect_status 0 "$KBENCH" report --format csv --out "$T/csv" --worker rv \
    --workload libc base "$EVIL"
python3 - "$T/csv/report.csv" "$EVIL" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert [r["metric"] for r in rows] == ["real", "user", "sys"], rows
assert rows[0]["candidate"] == sys.argv[2], rows[0]["candidate"]
assert rows[0]["verdict"] == "regression"
PY
"$KBENCH" report --format json --all >"$T/all.json" ||
    fail "report --format json failed"
python3 - "$T/all.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = d["comparisons"][0]
assert c["worker"] == "rv" and c["workload"] == "libc", c
assert {m["metric"] for m in c["comparison"]["metrics"]} >= {"real", "sys"}
assert isinstance(d["regressions"], list)
PY

# The static site: pages, plots, escaping, offline.
expect_status 0 "$KBENCH" report --format html --out "$T/site"
for f in index.html regressions.html status.html alerts.html \
    series-1-1.html series-1-1-sys.html compare-1-1-1-2.html run-1.html \
    style.css \
    plot-history-1-1-real.svg plot-compare-1-1-1-2.svg; do
	[ -s "$T/site/$f" ] || fail "site lacks $f"
done
grep -rq '<script>alert' "$T/site" && fail "a label was not escaped"
grep -q '&lt;script&gt;alert(1)' "$T/site/compare-1-1-1-2.html" ||
    fail "the escaped label is missing"
grep -rqiE '(src|href)="(https?:)?//' "$T/site"/*.html &&
    fail "the site refers to something outside itself"

# In real Chromium: every page loads, its graphs render, no errors.
if command -v chromium >/dev/null 2>&1; then
	shots=$ROOT/build/test-logs/70-report-shots
	rm -rf "$shots"
	set +e
	python3 "$ROOT/tests/browser/cdp.py" --shots "$shots" \
	    "file://$T/site/index.html" "file://$T/site/series-1-1.html" \
	    "file://$T/site/compare-1-1-1-2.html" \
	    "file://$T/site/run-$rid.html" "file://$T/site/regressions.html" \
	    >"$T/cdp.out" 2>&1
	st=$?
	set -e
	cat "$T/cdp.out"
	[ $st -eq 0 ] || fail "a page failed in Chromium: $(cat "$T/cdp.out")"
	# The series and compare pages; the index is a matrix of cells
	# (docs/dashboards.md), no plot.
	n=$(grep -c '"tag": "img"' "$T/cdp.out")
	[ "$n" -ge 2 ] || fail "expected graphs on 2 pages, got $n"
	grep -q 'class=\"cell v-' "$T/site/index.html" ||
	    fail "the index has no matrix cell"
	ls "$shots"/*.png >/dev/null || fail "no screenshots"
else
	fail "chromium is not installed (make deps)"
fi
echo "70-report: ok"
