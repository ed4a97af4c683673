#!/bin/sh
# kbench-test: alone
# 12-insn-plugin: the TCG plugin bin/kbench-insn.so under qemu-user
# (qemu-x86_64, which loads plugins; qemu-user-static's cannot): a
# program whose marked stretches run a known number of instructions
# (a loop of dec and jnz, 1000 x r times for r = 1..3) gets exactly
# those counts, in both counting modes, the same in each of 3 runs; and
# the real agent's marks give one framed, checksummed line per
# repetition; and insn_kernel and insn_user are metrics compare takes
# from the store.
. "$(dirname "$0")/../lib.sh"
skip() {
	echo "SKIP: $*"
	exit 77
}

PLUGIN=$ROOT/bin/kbench-insn.so
QEMU=$(command -v qemu-x86_64 || true)
[ -n "$QEMU" ] || skip "no qemu-x86_64 (Debian's qemu-user; make deps)"
[ "$(uname -m)" = x86_64 ] || skip "the marks tested are amd64's"
[ -f "$PLUGIN" ] || skip "no $PLUGIN (make all builds it)"
command -v python3 >/dev/null || fail "python3 is needed to check CRCs"

# The agent's mark bytes (workers/agent/kbench-agent.c).
cat >"$T/loop.c" <<'CEOF'
#define START ".byte 0x0f,0x1f,0x80,0x01,0x00,0x42,0x4b\n\t"
#define END "\n\t.byte 0x0f,0x1f,0x80,0x02,0x00,0x42,0x4b"
int
main(void)
{
	long r, n;

	for (r = 1; r <= 3; r++) {
		n = 1000 * r;
		__asm__ volatile(START "1: dec %0\n\tjnz 1b" END
		    : "+r"(n) : : "cc");
	}
	/* An end without a start is not a repetition. */
	__asm__ volatile(END);
	return 0;
}
CEOF
# Not PIE: nm's addresses are those the code runs at (the profile).
cc -O1 -no-pie -o "$T/loop" "$T/loop.c" || fail "cannot build the test program"
nm "$T/loop" >"$T/loop.map"

# check FILE: every line framed with a good CRC; "seq kernel user".
cat >"$T/check.py" <<'PEOF'
import json, sys, zlib
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    body, sep, crc = line.rstrip("\n").rpartition(" *")
    if not sep or not body.startswith("KBENCH-INSN {"):
        sys.exit("line %d not framed: %r" % (n, line))
    if "%08x" % zlib.crc32(body.encode()) != crc:
        sys.exit("line %d: bad CRC %s" % (n, crc))
    d = json.loads(body[len("KBENCH-INSN "):])
    print(d["seq"], d["kernel"], d["user"])
PEOF

want="1 0 2000
2 0 4000
3 0 6000"
for mode in inline cb; do
	for run in 1 2 3; do
		rm -f "$T/out"
		"$QEMU" -plugin "$PLUGIN,out=$T/out,mode=$mode" "$T/loop" ||
		    fail "$mode run $run: qemu-x86_64 failed"
		got=$(python3 "$T/check.py" "$T/out") ||
		    fail "$mode run $run: $got"
		[ "$got" = "$want" ] ||
		    fail "$mode run $run: counts
$got
expected
$want"
	done
	# The profile (map=, profile=): the marked instructions are all
	# main's, 2000 + 4000 + 6000.
	"$QEMU" -plugin "$PLUGIN,out=$T/out,mode=$mode,map=$T/loop.map,profile=$T/prof" \
	    "$T/loop" || fail "$mode profile: qemu-x86_64 failed"
	[ "$(cat "$T/prof")" = "12000 main" ] ||
	    fail "$mode profile: $(cat "$T/prof")"
done

# Two threads counting at once, 2 x 20,000,000 x 2 instructions:
# mode=cb (per vCPU, which the harness uses for more than one vCPU)
# loses none.  (Inline counters may: QEMU 7.2 adds to one address from
# every vCPU thread; 14% were lost in one run here.)
cat >"$T/thr.c" <<'CEOF'
#include <pthread.h>
#define START ".byte 0x0f,0x1f,0x80,0x01,0x00,0x42,0x4b"
#define END ".byte 0x0f,0x1f,0x80,0x02,0x00,0x42,0x4b"
static void *
work(void *a)
{
	long n = 20000000;

	__asm__ volatile("1: dec %0\n\tjnz 1b" : "+r"(n) : : "cc");
	return a;
}
int
main(void)
{
	pthread_t t[2];
	int i;

	__asm__ volatile(START);
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], 0, work, 0);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], 0);
	__asm__ volatile(END);
	return 0;
}
CEOF
cc -O1 -no-pie -pthread -o "$T/thr" "$T/thr.c" || fail "cannot build thr.c"
nm "$T/thr" >"$T/thr.map"
for run in 1 2 3; do
	rm -f "$T/out"
	"$QEMU" -plugin "$PLUGIN,out=$T/out,mode=cb,map=$T/thr.map,profile=$T/prof" \
	    "$T/thr" || fail "threads run $run: qemu-x86_64 failed"
	u=$(python3 "$T/check.py" "$T/out" | awk '{ print $3 }')
	# The loops, and at most 100,000 of thread start and join.
	[ "$u" -ge 80000000 ] && [ "$u" -le 80100000 ] ||
	    fail "threads run $run: user $u, expected 80,000,000 and a little"
	# Both threads' loops charged to work(), none lost.
	w=$(awk '$2 == "work" { print $1 }' "$T/prof")
	[ "${w:-0}" -ge 80000000 ] && [ "$w" -le 80000100 ] ||
	    fail "threads run $run: work() $w, expected 80,000,000 and a few"
done

# A bad argument is refused (QEMU does not start).
if "$QEMU" -plugin "$PLUGIN,bogus=1" "$T/loop" 2>"$T/err"; then
	fail "a bad plugin argument was accepted"
fi
contains "$(cat "$T/err")" "unknown argument bogus=1"

# The agent (the plain build: ASan does not run under qemu-user) marks
# each of its 3 repetitions: seq 1..3, some user instructions each.
make -s -C "$ROOT" bin/kbench-agent >/dev/null || fail "make bin/kbench-agent"
"$QEMU" -plugin "$PLUGIN,out=$T/agent" "$ROOT/bin/kbench-agent" -n 3 \
    -- /bin/true >"$T/lines" || fail "the agent failed under qemu-x86_64"
got=$(python3 "$T/check.py" "$T/agent") || fail "agent marks: $got"
[ "$(echo "$got" | awk '$3 > 0 { print $1 }' | tr '\n' ' ')" = "1 2 3 " ] ||
    fail "agent marks: expected seq 1 2 3 with user counts, got
$got"
[ "$(grep -c '^KBENCH-SAMPLE' "$T/lines")" -eq 3 ] || fail "agent samples"

# The counts as metrics, through the store and the one metric table:
# two kernels' samples with instruction counts (as a TCG guest stores
# them), 5% more user instructions on the second: compare --metric
# insn_user says regression, insn_kernel (unchanged) no change, and an
# unknown metric's error offers both.
"$KBENCH" -q db start
printf '10.0\n10.1\n9.9\n10.0\n10.2\n' >"$T/times"
for k in base cand; do
	"$KBENCH" -q import --worker qemu-amd64 --workload loop --kernel "$k" \
	    --force "$T/times" >/dev/null || fail "import $k"
done
sql "UPDATE sample s SET insn_user = CASE k.label WHEN 'base' THEN 1000000
    ELSE 1050000 END + s.rep * 10, insn_kernel = 500000 + s.rep * 100
    FROM run r JOIN kernel k ON k.id = r.kernel_id
    WHERE r.id = s.run_id" >/dev/null
expect_status 3 "$KBENCH" compare --fail-on-regression --worker qemu-amd64 \
    --workload loop --metric insn_user,insn_kernel base cand
contains "$OUT" "insn_user"
contains "$OUT" "insn_kernel"
contains "$(echo "$OUT" | grep 'insn_user' | tail -n 1)" "regression"
contains "$(echo "$OUT" | grep "insn_kernel" | tail -n 1)" "no-change"
expect_status 2 "$KBENCH" compare --worker qemu-amd64 --workload loop \
    --metric insn_usr base cand
contains "$OUT" "insn_user"
echo "metrics ok"
