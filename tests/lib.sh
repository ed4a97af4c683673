# tests/lib.sh: sourced by integration tests.  Gives each test its own
# KBENCH_HOME (so its own private PostgreSQL cluster) and small asserts.
set -eu
: "${ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${KBENCH_BIN_DIR:=$ROOT/build/san}"
KBENCH=$KBENCH_BIN_DIR/kbench
AGENT=$KBENCH_BIN_DIR/kbench-agent
DATA=$ROOT/tests/data
export KBENCH_AGENT="$AGENT"
unset KBENCH_DB

# A work dir the unprivileged database user can traverse (root runs the
# server as "postgres", which cannot enter a 0700 mktemp directory).
T=$(mktemp -d "${TMPDIR:-/tmp}/kbench-test.XXXXXX")
chmod 755 "$T"
export KBENCH_HOME=$T/home
cleanup() {
	st=$?
	set +e
	# The test's own cluster, whatever KBENCH_DB or KBENCH_CONFIG the
	# test set (with either, db stop would leave it running).
	if [ -d "$KBENCH_HOME/pg" ]; then
		env -u KBENCH_DB -u KBENCH_CONFIG "$KBENCH" db stop \
		    >/dev/null 2>&1 || true
	fi
	# 77: skipped (tests/run.sh), nothing worth keeping.
	if { [ $st -eq 0 ] || [ $st -eq 77 ]; } && [ -z "${KEEP:-}" ]; then
		rm -rf "$T"
	else
		echo "test dir kept: $T" >&2
	fi
}
trap cleanup EXIT

# Pin a timed CPU loop to the last CPU: on a shared 2-CPU VM a loop
# that migrates between CPUs varies by 5-25% (user time), pinned by 0.3%.
PIN="taskset -c $(( $(nproc) - 1 ))"

fail() {
	echo "FAIL: $*" >&2
	exit 1
}
# expect_status N cmd...: run, check the exit status, keep output in $OUT.
expect_status() {
	want=$1
	shift
	set +e
	OUT=$("$@" 2>&1)
	got=$?
	set -e
	[ "$got" -eq "$want" ] ||
	    fail "'$*' exited $got, expected $want; output:
$OUT"
}
contains() {	# haystack needle
	case $1 in *"$2"*) return 0 ;; esac
	fail "expected to find '$2' in:
$1"
}
lacks() {
	case $1 in *"$2"*) fail "did not expect '$2' in:
$1" ;; esac
	return 0
}
sql() {		# one value from the test's database
	"$KBENCH" db psql -XAtq -c "$1"
}
# serve_start KBENCH LOG [ARG...]: kbench serve in the background.
. "$ROOT/scripts/serve-start.sh"
new_repo() {	# dir: an empty git repository with a committer, cd'd into
	mkdir -p "$1"
	cd "$1"
	git init -q .
	git config user.email t@example.org
	git config user.name kbench-test
}
# write_loop ITERATIONS COMMENT: loop.c, a CPU loop of that many
# iterations (the program the bisect and watch tests time), in the cwd.
write_loop() {
	cat >loop.c <<EOF2
/* loop.c: $2 */
#include <stdlib.h>
int
main(void)
{
	volatile unsigned long x = 0;
	long i;

	for (i = 0; i < $1L; i++)
		x += (unsigned long)i * i;
	return 0;
}
EOF2
}
