# kbench import: formats, all-or-nothing, duplicates, literal labels,
# and compare from the database agreeing with compare from files.
. "$(dirname "$0")/../lib.sh"

B=$DATA/riscv64-libc-base.txt
C=$DATA/riscv64-libc-canpersist.txt
counts() { sql "SELECT (SELECT count(*) FROM run) || '/' || (SELECT count(*) FROM sample)"; }

expect_status 0 "$KBENCH" import --worker rv --workload libc --kernel base "$B"
contains "$OUT" "4 samples stored"
expect_status 0 "$KBENCH" import --worker rv --workload libc --kernel cp - <"$C"
[ "$(counts)" = "2/8" ] || fail "expected 2 runs, 8 samples: $(counts)"
# Exact microseconds, first record of the base log.
first=$(sql "SELECT s.real_us FROM sample s JOIN run r ON r.id = s.run_id
    JOIN kernel k ON k.id = r.kernel_id WHERE k.label = 'base' AND s.rep = 1")
want=$(awk '/ real /{ v = $1; sub(/s$/, "", v); split(v, a, "m");
    printf "%d\n", (a[1] * 60 + a[2]) * 1000000 + 0.5; exit }' "$B")
[ "$first" = "$want" ] || fail "real_us $first, expected $want"

# The same content again is refused, and stores nothing; --force takes it.
expect_status 1 "$KBENCH" import --worker rv --workload libc --kernel base "$B"
contains "$OUT" "already imported"
contains "$OUT" "--force"
[ "$(counts)" = "2/8" ] || fail "refused import stored something"
expect_status 0 "$KBENCH" import --force --worker rv --workload libc \
    --kernel base2 "$B"
[ "$(counts)" = "3/12" ] || fail "--force import: $(counts)"

# Malformed logs: each a clear error naming file:line; nothing stored.
printf 'real 1.00\nuser 0.50\nsys 0.10\nreal 2.00\nuser 0.40\n' >"$T/trunc.txt"
printf 'real 1.00\nuser 0.50\nsys 0.10\n0.50user 0.10system 0:01.23elapsed 49%%CPU (0avgtext+0avgdata 1234maxresident)k\n0inputs+0outputs (0major+123minor)pagefaults 0swaps\n' >"$T/mixed.txt"
printf '\001\002garbage\377\376 real user sys\n' >"$T/garbage.txt"
: >"$T/empty.txt"
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "x"; print "" }' >"$T/long.txt"
for f in trunc mixed garbage empty long; do
	expect_status 1 "$KBENCH" import --worker rv --workload libc \
	    --kernel bad "$T/$f.txt"
	contains "$OUT" "$T/$f.txt"
	contains "$OUT" "nothing was imported"
	[ "$(counts)" = "3/12" ] || fail "$f.txt changed the database"
done
expect_status 1 "$KBENCH" import --worker rv --workload libc --kernel bad \
    "$T/trunc.txt"
contains "$OUT" "$T/trunc.txt:"
# One good file and one bad file in one call: nothing at all.
expect_status 1 "$KBENCH" import --worker rv --workload libc --kernel k2 \
    "$DATA/amd64-libc-base.txt" "$T/trunc.txt"
[ "$(counts)" = "3/12" ] || fail "half an import was stored"
[ "$(sql "SELECT count(*) FROM kernel WHERE label = 'k2'")" = 0 ] ||
    fail "a kernel row of a failed import was kept"

# Labels with quotes, semicolons, backslashes and SQL keywords.
K1="base'; DROP TABLE sample; --"
K2='cp "quoted" \back\slash; SELECT * FROM run'
W="w'); DELETE FROM worker; --"
expect_status 0 "$KBENCH" import --force --worker "$W" --workload "libc;" \
    --kernel "$K1" "$B"
expect_status 0 "$KBENCH" import --force --worker "$W" --workload "libc;" \
    --kernel "$K2" "$C"
[ "$(sql "SELECT count(*) FROM sample")" = 20 ] || fail "sample table damaged"
got=$("$KBENCH" db psql -XAtq -c "SELECT label FROM kernel ORDER BY id DESC LIMIT 1")
[ "$got" = "$K2" ] || fail "label not stored literally: $got"
got=$(sql "SELECT name FROM worker ORDER BY id DESC LIMIT 1")
[ "$got" = "$W" ] || fail "worker not stored literally: $got"
expect_status 3 "$KBENCH" compare --fail-on-regression --worker "$W" \
    --workload "libc;" "$K1" "$K2"
contains "$OUT" "$K1"
contains "$OUT" "$K2"

# Compare from the database gives the figures compare from files gives.
set +e
"$KBENCH" compare --format json --worker rv --workload libc base cp \
    >"$T/db.json"
s1=$?
"$KBENCH" compare --format json "$B" "$C" >"$T/files.json"
s2=$?
set -e
[ $s1 -eq 0 ] && [ $s2 -eq 0 ] || fail "compare failed: $s1 $s2"
python3 - "$T/db.json" "$T/files.json" <<'PY'
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
ma = {m["metric"]: m for m in a["metrics"]}
mb = {m["metric"]: m for m in b["metrics"]}
for k in ("real", "user", "sys"):
    for f in ("diff", "diff_ci", "diff_pct", "p_student", "verdict"):
        assert ma[k][f] == mb[k][f], (k, f, ma[k][f], mb[k][f])
    assert ma[k]["a"] == mb[k]["a"] and ma[k]["b"] == mb[k]["b"], k
assert ma["real"]["verdict"] == "regression", ma["real"]
assert ma["sys"]["verdict"] == "regression", ma["sys"]
PY

# A million-line log imports (timing is for make bench; here: correct).
awk 'BEGIN { for (i = 0; i < 1000000; i++)
    printf "%d.%02d\n", 100 + i % 7, i % 100 }' >"$T/million.txt"
expect_status 0 "$KBENCH" import --worker rv --workload big --kernel m \
    "$T/million.txt"
n=$(sql "SELECT count(*) FROM sample s JOIN run r ON r.id = s.run_id
    JOIN workload l ON l.id = r.workload_id WHERE l.name = 'big'")
[ "$n" = 1000000 ] || fail "million-line import stored $n samples"
# Records cut short or wrapped, in each format: FILE:LINE, exit 1,
# nothing stored (a cut BSD line was once skipped as make noise).
bsd="        1.23 real         0.50 user         0.10 sys"
printf '%s\n        1.20 real         0.50 user\n' "$bsd" >"$T/cut-bsd.txt"
printf '%s\n        1.20 real         0.50\n user 0.10 sys\n' "$bsd" \
    >"$T/cut-wrap.txt"
printf 'real 1.0\nuser 0.5\nsys 0.1\nreal 1.2\nuser 0.5\n' >"$T/cut-posix.txt"
printf 'real\t0m1.0s\nuser\t0m0.5s\n\nreal\t0m1.2s\nuser\t0m0.5s\nsys\t0m0.1s\n' \
    >"$T/cut-bash.txt"
g1='0.50user 0.10system 0:01.23elapsed 99%CPU (0avgtext+0avgdata 1234maxresident)k'
printf '%s\n%s\n0inputs+0outputs (0major+100minor)pagefaults 0swaps\n' \
    "$g1" "$g1" >"$T/cut-gnu.txt"
printf '1.0\nnan\n2.0\n' >"$T/cut-plain.txt"
before=$(counts)
for c in bsd:2 wrap:2 posix:4 bash:3 gnu:2 plain:2; do
	expect_status 1 "$KBENCH" import --worker rv --workload cut \
	    --kernel cut "$T/cut-${c%:*}.txt"
	contains "$OUT" "$T/cut-${c%:*}.txt:${c#*:}: "
	contains "$OUT" "nothing was imported"
done
[ "$(counts)" = "$before" ] || fail "a cut record was stored: $(counts)"
# --lenient: the cut record is skipped and counted, the rest stored.
printf '%s\n        1.20 real         0.50 user\n%s\n' "$bsd" "$bsd" \
    >"$T/cut-mid.txt"
expect_status 1 "$KBENCH" import --worker rv --workload cut --kernel cut \
    "$T/cut-mid.txt"
expect_status 0 "$KBENCH" import --worker rv --workload cut --kernel cut \
    --lenient "$T/cut-mid.txt"
contains "$OUT" "$T/cut-mid.txt: 2 stored, 1 skipped (--lenient): $T/cut-mid.txt:2: BSD time record cut short"
[ "$(sql "SELECT count(*) FROM sample s JOIN run r ON r.id = s.run_id
    JOIN workload l ON l.id = r.workload_id WHERE l.name = 'cut'")" = 2 ] ||
    fail "--lenient did not store the 2 whole records"
# Still refused, lenient or not: a log with no record in it.
expect_status 1 "$KBENCH" import --worker rv --workload cut --kernel cut \
    --lenient "$T/cut-plain.txt" /dev/null
before=$(counts)

# A label that is not UTF-8: said once, by name, no raw server error.
expect_status 1 "$KBENCH" import --worker rv --workload cut \
    --kernel "$(printf 'k\377x')" "$DATA/plain.txt"
contains "$OUT" '"k\xffx" is not UTF-8'
lacks "$OUT" "database:"
[ "$(counts)" = "$before" ] || fail "a non-UTF-8 label stored: $(counts)"

# A device of NULs is refused at its first block, not read whole.
expect_status 1 timeout 60 "$KBENCH" import --worker rv --workload cut \
    --kernel cut /dev/zero
contains "$OUT" "/dev/zero:1: NUL byte; expected a text log"

# Eight imports of one new file at once: one run stored, seven refused
# by name (without the lock each stored its own run).
awk 'BEGIN { for (i = 0; i < 2000; i++) printf "%d.%02d\n", 7 + i % 3, i % 97 }' \
    >"$T/race.txt"
# The labels exist already, so no insert of a new kernel row makes the
# imports wait for each other.
printf '1.00\n1.01\n' >"$T/race-labels.txt"
expect_status 0 "$KBENCH" import --worker rv --workload race --kernel r \
    "$T/race-labels.txt"
runs=$(sql "SELECT count(*) FROM run")
i=0
while [ $i -lt 8 ]; do
	"$KBENCH" import --worker rv --workload race --kernel r \
	    "$T/race.txt" >"$T/race.$i" 2>&1 &
	i=$((i + 1))
done
wait
[ "$(sql "SELECT count(*) FROM run") " = "$((runs + 1)) " ] ||
    fail "8 concurrent imports stored $(( $(sql "SELECT count(*) FROM run") - runs )) runs"
[ "$(cat "$T"/race.* | grep -c 'stored as run')" = 1 ] ||
    fail "not one 'stored': $(cat "$T"/race.*)"
[ "$(cat "$T"/race.* | grep -c 'already imported from .* as run')" = 7 ] ||
    fail "not seven refusals: $(cat "$T"/race.*)"
echo "31-import: ok"
