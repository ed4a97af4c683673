#!/bin/sh
# database.conninfo in kbench.conf is the server kbench uses; KBENCH_DB
# still wins.  A second private cluster, started here, plays the shared
# server: an import with the config lands there and never starts the
# test's own cluster, and db status names the config file.  A
# malformed config stops the command with its FILE:LINE instead of
# falling back to the private cluster, and stores nothing.
. "$(dirname "$0")/../lib.sh"

H2=$T/shared
unset KBENCH_CONFIG
trap 'st=$?; set +e; unset KBENCH_CONFIG; KBENCH_HOME=$H2 "$KBENCH" db stop >/dev/null 2>&1; (exit $st); cleanup' EXIT
KBENCH_HOME=$H2 "$KBENCH" -q db start
CI="host=$H2/pg port=5432 dbname=kbench user=kbench"
shared() { env -u KBENCH_CONFIG KBENCH_HOME="$H2" "$KBENCH" db psql -XAtq -c "$1"; }
printf 'database: { conninfo = "%s"; };\n' "$CI" >"$T/kbench.conf"
export KBENCH_CONFIG=$T/kbench.conf

expect_status 0 "$KBENCH" import --worker rv --workload libc \
    --kernel base "$DATA/riscv64-libc-base.txt"
[ "$(shared "SELECT count(*) FROM run")" = 1 ] ||
    fail "the import is not in the configured server"
[ ! -d "$KBENCH_HOME/pg" ] || fail "the private cluster was started"
expect_status 0 "$KBENCH" db status
contains "$OUT" "database: database.conninfo in $T/kbench.conf ("
contains "$OUT" " host=$H2/pg "

# KBENCH_DB wins over the config.
(unset KBENCH_CONFIG; "$KBENCH" -q db start)
OWN="host=$KBENCH_HOME/pg port=5432 dbname=kbench user=kbench"
expect_status 0 env KBENCH_DB="$OWN" "$KBENCH" import --worker rv \
    --workload libc --kernel cp "$DATA/riscv64-libc-canpersist.txt"
[ "$(env KBENCH_DB="$OWN" "$KBENCH" db psql -XAtq -c \
    "SELECT count(*) FROM run")" = 1 ] || fail "KBENCH_DB did not win"
[ "$(shared "SELECT count(*) FROM run")" = 1 ] ||
    fail "KBENCH_DB's import went to the configured server"

# A malformed config: its FILE:LINE, exit 1, nothing stored anywhere.
printf 'database: { conninfo = "%s"; };\nbad = ;\n' "$CI" >"$T/kbench.conf"
expect_status 1 "$KBENCH" import --worker rv --workload libc \
    --kernel cp "$DATA/riscv64-libc-canpersist.txt"
contains "$OUT" "$T/kbench.conf:2"
[ "$(shared "SELECT count(*) FROM run")" = 1 ] || fail "stored anyway"
unset KBENCH_CONFIG
echo "conninfo ok"
