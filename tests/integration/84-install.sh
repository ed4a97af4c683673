# make install: the installed kbench, run outside the checkout with
# nothing of the checkout on PATH, finds its migrations and gnuplot
# scripts under PREFIX/share/kbench, keeps its state in KBENCH_HOME or
# the per-user default, and imports, compares, reports and plots.
# DESTDIR stages the same tree for a package.
. "$(dirname "$0")/../lib.sh"

B=$DATA/riscv64-libc-base.txt
C=$DATA/riscv64-libc-canpersist.txt
P=$T/prefix
# The tree's make, on its own: not a job of the make that runs the tests.
inst() {
	MAKEFLAGS= MFLAGS= MAKELEVEL= make -s -C "$ROOT" install "$@" \
	    >"$T/install.log" 2>&1 ||
	    fail "make install $*: $(tail -n 20 "$T/install.log")"
}
inst PREFIX="$P"
KBENCH=$P/bin/kbench		# the cleanup's db stop
for f in bin/kbench bin/kbench-agent share/kbench/db/001_init.sql \
    share/kbench/dashboards/compare.gp share/kbench/configs/kbench.conf \
    share/kbench/workers/agent/kbench-agent.c \
    share/kbench/kernel-src/linux/fetch.sh; do
	[ -s "$P/$f" ] || fail "not installed: $f"
done
[ -x "$P/share/kbench/workers/qemu/mkimage.sh" ] ||
    fail "mkimage.sh lost its mode"
n=$(ls "$ROOT"/docs/man/*.1 | wc -l)
[ "$(ls "$P"/share/man/man1/kbench*.1 | wc -l)" -eq "$n" ] ||
    fail "not all $n man pages installed"
# No path into the checkout in the installed program (debug info aside).
strip -o "$T/stripped" "$P/bin/kbench"
if grep -q "$ROOT" "$T/stripped"; then
	fail "the installed kbench names the checkout $ROOT"
fi

# Outside the checkout, nothing of it on PATH or in the environment.
unset KBENCH_AGENT KBENCH_ROOT KBENCH_CONFIG
PATH=$P/bin:$(printf '%s\n' "$PATH" | tr : '\n' | grep -v "^$ROOT" |
    paste -sd: -)
export PATH
cd /tmp
[ "$(command -v kbench)" = "$P/bin/kbench" ] || fail "kbench not on PATH"
mkdir "$T/in"
cp "$B" "$T/in/base.txt"
cp "$C" "$T/in/cp.txt"

expect_status 0 kbench import --worker rv --workload libc --kernel base \
    "$T/in/base.txt"
contains "$OUT" "4 samples stored"
expect_status 0 kbench import --worker rv --workload libc --kernel cp \
    --parent base "$T/in/cp.txt"
expect_status 3 kbench compare --fail-on-regression --worker rv \
    --workload libc base cp
contains "$OUT" "Difference at 95.0% confidence"
expect_status 0 kbench report --format text --worker rv --workload libc \
    base cp
contains "$OUT" "verdict: regression, +16.21%"
# compare.gp comes from the data directory.
expect_status 0 kbench plot --format svg --out "$T/c.svg" compare \
    --worker rv --workload libc base cp
grep -q '<svg' "$T/c.svg" || fail "c.svg is no SVG"

# db status: the home, the data directory, the schema of its migrations.
last=$(ls "$P"/share/kbench/db/*.sql | sed 's|.*/0*||; s|_.*||' |
    sort -n | tail -n 1)
expect_status 0 kbench db status
contains "$OUT" "home: $KBENCH_HOME (KBENCH_HOME)"
contains "$OUT" "data: $P/share/kbench (installed)"
contains "$OUT" "database: private cluster, socket in $KBENCH_HOME/pg"
contains "$OUT" "schema: version $last"
[ -S "$KBENCH_HOME/pg/.s.PGSQL.5432" ] || fail "no cluster in KBENCH_HOME"

# Without KBENCH_HOME: one place per user, wherever kbench is run.
expect_status 1 env -u KBENCH_HOME HOME="$T/u" XDG_DATA_HOME= kbench \
    db status
contains "$OUT" "home: $T/u/.local/share/kbench (~/.local/share/kbench)"
expect_status 1 env -u KBENCH_HOME HOME="$T/u" XDG_DATA_HOME="$T/x" kbench \
    db status
contains "$OUT" "home: $T/x/kbench (\$XDG_DATA_HOME/kbench)"
contains "$OUT" "socket in $T/x/kbench/pg"
expect_status 1 env -u KBENCH_HOME HOME="$T/u" XDG_DATA_HOME=rel kbench \
    db status
contains "$OUT" "home: $T/u/.local/share/kbench"
# KBENCH_ROOT still points the installed kbench at another data dir.
expect_status 0 env KBENCH_ROOT="$ROOT" kbench db status
contains "$OUT" "data: $ROOT (KBENCH_ROOT)"

# DESTDIR: staged under it, yet built for PREFIX.
cd "$T"
inst DESTDIR="$T/stage" PREFIX=/opt/kb
[ -s "$T/stage/opt/kb/share/kbench/db/001_init.sql" ] ||
    fail "DESTDIR: no data directory"
expect_status 1 env -u KBENCH_HOME HOME="$T/u" \
    "$T/stage/opt/kb/bin/kbench" db status
contains "$OUT" "data: /opt/kb/share/kbench (installed)"
MAKEFLAGS= MFLAGS= MAKELEVEL= make -s -C "$ROOT" uninstall \
    DESTDIR="$T/stage" PREFIX=/opt/kb >"$T/uninstall.log" 2>&1 ||
    fail "make uninstall: $(cat "$T/uninstall.log")"
left=$(find "$T/stage" -type f)
[ -z "$left" ] || fail "make uninstall left: $left"
echo "84-install: ok"
