#!/bin/sh
# 13-insn-profile: kernel instruction profiles through the store and
# out again, no guest: two kernels' runs of a workload on qemu-amd64,
# each with its samples' insn_kernel and an insn_profile table (as a
# profiled boot, kbench try --profile, stores them; tests/long/
# 68-qemu-profile.sh stores them for real).  kbench compare --profile
# lists the functions that grew most per repetition, most first, with
# each growth as a share of the base's insn_kernel, within 72 columns,
# one that shrank last; JSON says the
# same; kbench report of the two kernels carries the table in text,
# Markdown and JSON, and the static site's compare page as HTML; without
# a profile, or without --worker, it says why.
. "$(dirname "$0")/../lib.sh"

"$KBENCH" -q db start
printf '10.0\n10.1\n9.9\n10.0\n' >"$T/times"
for k in base cand; do
	"$KBENCH" -q import --worker qemu-amd64 --workload cc10 --kernel "$k" \
	    "$T/times" >/dev/null || fail "import $k"
	printf '# %s\n' "$k" >>"$T/times"	# the next import is new content
done
# Four repetitions a side: insn_kernel 1,000,000 a rep on base and
# 1,100,000 on cand.  Profiles, summed over the 4 reps: filemap_read
# grows by 60,000 a rep, a long-named function by 20,000 a rep,
# do_syscall_64 stays, lru_add shrinks, and xa_load appears (10,000).
sql "UPDATE sample s SET insn_kernel = CASE k.label WHEN 'base' THEN 1000000
    ELSE 1100000 END FROM run r JOIN kernel k ON k.id = r.kernel_id
    WHERE r.id = s.run_id" >/dev/null
sql "INSERT INTO insn_profile (run_id, func, insn)
    SELECT r.id, f.func, CASE k.label WHEN 'base' THEN f.a ELSE f.b END
    FROM run r JOIN kernel k ON k.id = r.kernel_id,
    (VALUES ('filemap_read', 400000, 640000),
    ('a_function_with_a_name_longer_than_the_column', 4, 80004),
    ('do_syscall_64', 2000000, 2000000), ('lru_add', 80000, 40000),
    ('xa_load', 0, 40000)) AS f (func, a, b)
    WHERE f.a > 0 OR k.label = 'cand'" >/dev/null

expect_status 0 "$KBENCH" compare --profile --worker qemu-amd64 \
    --workload cc10 base cand
echo "$OUT"
contains "$OUT" "A base: 1 runs, 4 reps, insn_kernel 1000000"
contains "$OUT" "insn_kernel 1100000 (+10.00%)"
# Sorted by growth: filemap_read, the long name (cut), xa_load.
rows=$(echo "$OUT" | awk '/^function/ { on = 1; next } on && /^[a-z_]/ {
    print $1 }' | tr '\n' ' ')
[ "$rows" = "filemap_read a_function_with_a_name_lo~ xa_load do_syscall_64 lru_add " ] ||
    fail "order: $rows"
contains "$(echo "$OUT" | grep '^filemap_read')" "+60000   +6.00%"
contains "$(echo "$OUT" | grep '^xa_load')" "+10000   +1.00%"
contains "$(echo "$OUT" | grep '^lru_add')" "-10000   -1.00%"
long=$(echo "$OUT" | awk 'length > 72')
[ -z "$long" ] || fail "lines over 72 columns: $long"

expect_status 0 "$KBENCH" compare --profile --format json \
    --worker qemu-amd64 --workload cc10 base cand
echo "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
f = d["functions"]
assert d["base"]["reps"] == 4 and d["patched"]["reps"] == 4, d
assert f[0]["function"] == "filemap_read", f[0]
assert f[0]["growth_per_rep"] == 60000, f[0]
assert abs(f[0]["growth_pct_of_insn_kernel"] - 6) < 1e-9, f[0]
assert [r["function"] for r in f][-1] == "lru_add", f
' || fail "compare --profile JSON"

# The report of the two kernels ends with the table.
expect_status 0 "$KBENCH" report --worker qemu-amd64 --workload cc10 base cand
contains "$OUT" "Kernel instructions by function, per repetition"
contains "$(echo "$OUT" | grep '^filemap_read')" "+6.00%"
expect_status 0 "$KBENCH" report --format md --worker qemu-amd64 \
    --workload cc10 base cand
contains "$OUT" "## Kernel instructions by function"
contains "$OUT" "| \`filemap_read\` | 100000 | 160000 | +60000 | +6.00% |"
expect_status 0 "$KBENCH" report --format json --worker qemu-amd64 \
    --workload cc10 base cand
echo "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["profile"]["functions"][0]["function"] == "filemap_read"
assert len(d["comparisons"]) == 1
' || fail "report JSON"

# The dashboard's compare page of the two kernels has the table too.
"$KBENCH" -q report --format html --out "$T/site" >/dev/null 2>&1 ||
    fail "report --format html"
page=$(grep -l "Kernel instructions by function" "$T"/site/compare-*.html) ||
    fail "no compare page with the profile: $(ls "$T/site")"
contains "$(cat "$page")" "<tr><td>filemap_read</td><td>100000</td><td>160000</td><td>+60000</td><td>+6.00%</td></tr>"

# Without profiles: said, and the report has no such section.
sql "DELETE FROM insn_profile WHERE run_id IN (SELECT r.id FROM run r
    JOIN kernel k ON k.id = r.kernel_id WHERE k.label = 'cand')" >/dev/null
expect_status 1 "$KBENCH" compare --profile --worker qemu-amd64 \
    --workload cc10 base cand
contains "$OUT" "no instruction profile of both kernels"
expect_status 0 "$KBENCH" report --worker qemu-amd64 --workload cc10 base cand
lacks "$OUT" "Kernel instructions by function"
expect_status 2 "$KBENCH" compare --profile "$T/times" "$T/times"
contains "$OUT" "give --worker and --workload"
# try --profile is for a kernel patch on one QEMU worker.
expect_status 2 "$KBENCH" try --profile --repo "$T" "$T/times" -- true
contains "$OUT" "--profile: a kernel patch on one QEMU worker only"
echo "profile ok"
