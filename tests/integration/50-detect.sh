#!/bin/sh
# kbench detect: a long imported series (one kernel per revision, in
# commit order) with a 4% step is flagged at the right revision as a
# regression, with its size and interval; a flat series flags nothing;
# new data is analysed from the last change point only; --list shows
# open regressions in text and JSON; the same data gives the same answer.
. "$(dirname "$0")/../lib.sh"

NREV=${NREV:-300}
STEP=${STEP:-211}	# the first revision after the change

# 3 samples per revision, ~1% noise, deterministic (awk's srand seed).
gen() {	# workload seed stepsize
	awk -v n="$NREV" -v step="$STEP" -v seed="$2" -v size="$3" 'BEGIN {
		srand(seed)
		for (r = 1; r <= n; r++)
			for (i = 0; i < 3; i++) {
				# sum of 4 uniforms: roughly normal, sd ~1%
				u = (rand() + rand() + rand() + rand() - 2) * 0.017
				m = 100 * (r >= step ? 1 + size : 1)
				printf "%d %.3f\n", r, m * (1 + u)
			}
	}' >"$T/$1.all"
}
import_series() {	# workload
	r=1
	while [ $r -le "$NREV" ]; do
		awk -v r=$r '$1 == r { print $2 }' "$T/$1.all" >"$T/rev.txt"
		d=$(date -u -d "@$((1700000000 + r * 3600))" +%Y-%m-%dT%H:%M:%SZ)
		"$KBENCH" import --worker box --workload "$1" \
		    --kernel "$1-r$r" --revision "rev$r" --date "$d" \
		    "$T/rev.txt" >/dev/null 2>&1 ||
		    fail "import of $1 revision $r failed"
		r=$((r + 1))
	done
}
gen step 1 0.04
gen flat 2 0
import_series step
import_series flat

# --- 1. the step: one regression, at rev$STEP, about +4% ----------------
expect_status 0 "$KBENCH" detect --workload step
echo "$OUT"
contains "$OUT" "1 change point"
contains "$OUT" "regression at step-r$STEP (revision rev$STEP)"
[ "$(sql "SELECT count(*) FROM change_point")" = 1 ] || fail "not 1 point"
row=$(sql "SELECT k.revision || ' ' || pk.revision || ' ' || c.direction
    || ' ' || c.status || ' ' || (c.diff_pct BETWEEN 3 AND 5) || ' ' ||
    (c.ci_low_pct > 0 AND c.ci_low_pct < c.diff_pct AND
    c.ci_high_pct > c.diff_pct) || ' ' || (c.p_value <= 0.01)
    FROM change_point c JOIN kernel k ON k.id = c.kernel_id
    JOIN kernel pk ON pk.id = c.prev_kernel_id")
[ "$row" = "rev$STEP rev$((STEP - 1)) regression open true true true" ] ||
    fail "change point row: $row"

# --- 2. flat: nothing -------------------------------------------------------
expect_status 0 "$KBENCH" detect --workload flat --metric real
contains "$OUT" "0 change points"

# --- 3. incremental: no new data, no work; new data from the anchor ----------
expect_status 0 "$KBENCH" detect
contains "$OUT" "0 series analysed, 2 unchanged, 0 change points found"
[ "$(sql "SELECT k.revision || ' ' || s.npoints FROM series_state s
    JOIN workload l ON l.id = s.workload_id
    JOIN kernel k ON k.id = s.anchor_kernel_id WHERE l.name = 'step'")" = \
    "rev$STEP $((NREV - STEP + 1))" ] || fail "anchor not at rev$STEP"
# Twenty more revisions of "step", 5% faster from the 11th on.
r=$((NREV + 1))
while [ $r -le $((NREV + 20)) ]; do
	m=104
	[ $r -gt $((NREV + 10)) ] && m=99
	d=$(date -u -d "@$((1700000000 + r * 3600))" +%Y-%m-%dT%H:%M:%SZ)
	awk -v m=$m -v s=$r 'BEGIN { srand(s); for (i = 0; i < 3; i++)
	    printf "%.3f\n", m * (1 + (rand() - 0.5) * 0.02) }' >"$T/rev.txt"
	"$KBENCH" import --worker box --workload step --kernel "step-r$r" \
	    --revision "rev$r" --date "$d" "$T/rev.txt" >/dev/null 2>&1 ||
	    fail "import of revision $r failed"
	r=$((r + 1))
done
expect_status 0 "$KBENCH" detect --workload step
echo "$OUT"
contains "$OUT" "since the last change point"
contains "$OUT" "$((NREV - STEP + 21)) kernels analysed"
contains "$OUT" "improvement at step-r$((NREV + 11))"

# --- 4. --list: open regressions only; JSON; status kept -------------------
expect_status 0 "$KBENCH" detect --list
contains "$OUT" "regression at step-r$STEP (revision rev$STEP)"
lacks "$OUT" "improvement"
expect_status 0 "$KBENCH" detect --list --format json
contains "$OUT" "\"revision\": \"rev$STEP\""
contains "$OUT" "\"direction\": \"regression\""
echo "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin);
assert len(d) == 1 and d[0]["status"] == "open", d' ||
    fail "JSON not a list of one open regression"
expect_status 0 "$KBENCH" detect --list --all
contains "$OUT" "improvement"
sql "UPDATE change_point SET status = 'acknowledged'" >/dev/null
expect_status 0 "$KBENCH" detect --full --workload step
[ "$(sql "SELECT count(*) FROM change_point WHERE status = 'acknowledged'")" \
    = 2 ] || fail "re-analysis lost a status"
expect_status 0 "$KBENCH" detect --list
contains "$OUT" "no open regression change points"

# --- 5. the same data, the same answer (fixed seed) ------------------------
awk '{ print $2 }' "$T/step.all" >"$T/vals"
expect_status 0 "$KBENCH" detect --input "$T/vals"
a=$(echo "$OUT" | sed 1d)
expect_status 0 "$KBENCH" detect --input "$T/vals"
[ "$a" = "$(echo "$OUT" | sed 1d)" ] || fail "two answers for one series"
expect_status 2 "$KBENCH" detect --alpha 0.0001
expect_status 2 "$KBENCH" detect --format json
echo ok
