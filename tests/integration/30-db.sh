# The private cluster: idempotent init/start, stop leaves no process,
# two homes side by side, KBENCH_DB used as given and never started.
. "$(dirname "$0")/../lib.sh"

expect_status 0 "$KBENCH" db init
expect_status 0 "$KBENCH" db init
contains "$OUT" "already initialised"
expect_status 0 "$KBENCH" db start
expect_status 0 "$KBENCH" db start
contains "$OUT" "already running"
expect_status 0 "$KBENCH" db status
contains "$OUT" "schema: version"
[ -S "$KBENCH_HOME/pg/.s.PGSQL.5432" ] || fail "no socket in KBENCH_HOME/pg"

# A migration missing below the highest applied (a database that took
# a later file first, from another branch) is applied all the same.
sql "ALTER TABLE run DROP COLUMN hidden; DELETE FROM kbench_schema WHERE version = 11" >/dev/null
[ "$(sql "SELECT count(*) FROM kbench_schema WHERE version > 11")" -gt 0 ] ||
    fail "no migration above 011: the check below would prove nothing"
expect_status 0 "$KBENCH" db migrate
[ "$(sql "SELECT count(*) FROM kbench_schema WHERE version = 11")" = 1 ] ||
    fail "011 not applied again: $OUT"
[ "$(sql "SELECT count(*) FROM information_schema.columns
    WHERE table_name = 'run' AND column_name = 'hidden'")" = 1 ] ||
    fail "run.hidden not back"

# No TCP: the server has no listen address.
[ "$(sql 'SHOW listen_addresses')" = "" ] || fail "server listens on TCP"

# A second clone with its own home runs beside the first.
HOME1=$KBENCH_HOME
HOME2=$T/home2
KBENCH_HOME=$HOME2 "$KBENCH" -q db start
sql "INSERT INTO workload (name) VALUES ('only-in-one')" >/dev/null
n1=$(sql "SELECT count(*) FROM workload WHERE name = 'only-in-one'")
n2=$(KBENCH_HOME=$HOME2 "$KBENCH" db psql -XAtq -c \
    "SELECT count(*) FROM workload WHERE name = 'only-in-one'")
[ "$n1" = 1 ] && [ "$n2" = 0 ] || fail "homes interfere: $n1 $n2"
expect_status 0 env KBENCH_HOME="$HOME2" "$KBENCH" db stop
[ "$(sql 'SELECT 1')" = 1 ] || fail "stopping home2 stopped home1"

# KBENCH_DB: use that server, never start one; no password shown.
export KBENCH_DB="host=$HOME1/pg port=5432 dbname=kbench user=kbench password=s3cr3t-pw"
expect_status 0 env KBENCH_HOME="$T/unused" "$KBENCH" db status
contains "$OUT" "KBENCH_DB"
lacks "$OUT" "s3cr3t-pw"
expect_status 1 env KBENCH_HOME="$T/unused" "$KBENCH" db start
contains "$OUT" "never starts"
[ ! -e "$T/unused/pg" ] || fail "KBENCH_DB set, yet a cluster was made"
unset KBENCH_DB

# stop leaves no process behind.
expect_status 0 "$KBENCH" db stop
if pgrep -f "$HOME1/pg/data" >/dev/null || pgrep -f "$HOME2/pg/data" >/dev/null
then
	fail "a server process survived db stop"
fi
[ ! -e "$HOME1/pg/data/postmaster.pid" ] || fail "postmaster.pid left"
expect_status 0 "$KBENCH" db stop
contains "$OUT" "not running"
expect_status 1 "$KBENCH" db status
echo "30-db: ok"
