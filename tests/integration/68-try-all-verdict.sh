# kbench try --worker all: --until-verdict is its default, so every
# worker's try goes on until its verdict or its cap; --fixed-n turns it
# off.  No guest boots: the one worker configured cannot run (no QEMU
# guest for its arch), so each child fails at once and the table says
# so, with the sequential row only when the test is on.
. "$(dirname "$0")/../lib.sh"

PATCH=$ROOT/kernel-src/patches/neutral.patch
cat >"$T/kbench.conf" <<EOF2
workers = (
	{ name = "local"; transport = "local"; },
	{ name = "vax"; transport = "qemu"; arch = "vax"; os = "linux"; }
);
EOF2
export KBENCH_CONFIG="$T/kbench.conf"

expect_status 1 "$KBENCH" try "$PATCH" --worker all -n 4
contains "$OUT" "--worker all: 1 of 1: vax"
contains "$OUT" "sequential verdict on real"
contains "$OUT" "vax: "
# The child is told outright: --best-of, which a try takes only with
# --until-verdict, passes the child's checks and it fails on its worker.
expect_status 1 "$KBENCH" try "$PATCH" --worker all -n 4 --best-of 2
contains "$OUT" "sequential verdict on real (rounds of 2 runs"
contains "$OUT" "no QEMU guest for vax"
lacks "$OUT" "go with --until-verdict"

expect_status 1 "$KBENCH" try "$PATCH" --worker all -n 4 --fixed-n
contains "$OUT" "--worker all: 1 of 1: vax"
lacks "$OUT" "sequential verdict"

expect_status 2 "$KBENCH" try "$PATCH" --worker all --fixed-n \
    --until-verdict
contains "$OUT" "--until-verdict or --fixed-n, not both"
# The cap still has its floor under the default.
expect_status 2 "$KBENCH" try "$PATCH" --worker all -n 2
contains "$OUT" "the cap must be at least"
