#!/bin/sh
# buildbot-up.sh: start a local kbench Buildbot master and one worker per
# Buildbot worker it names, on 127.0.0.1 with free ports, state under
# $KBENCH_HOME/buildbot (default ./var/buildbot).  `make buildbot-up`.
#
#   KBENCH_BUILDBOT_CONF  master settings to start from (default
#                         configs/buildbot/buildbot.conf, with the periodic
#                         mainline builds off unless KBENCH_BUILDBOT_INTERVAL
#                         gives seconds); ports replaced
#   KBENCH_CONFIG         the kbench configuration (workers, workloads, db)
#   KBENCH_BIN_DIR        where kbench and kbench-agent are (default bin/)
#   KBENCH_BUILDBOT_USER  the user allowed to force and try (default $USER)
#
# Prints where the master listens and how to submit.  Stop: buildbot-down.sh.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=/usr/bin/python3
BB=/usr/bin/buildbot
BW=/usr/bin/buildbot-worker
: "${KBENCH_HOME:=$ROOT/var}"
mkdir -p "$KBENCH_HOME"
KBENCH_HOME=$(cd "$KBENCH_HOME" && pwd)
export KBENCH_HOME
: "${KBENCH_BIN_DIR:=$ROOT/bin}"
# The example settings run the mainline workloads (a libc build) at
# once and then daily; a trial starts without them unless asked.
EXTRA=""
if [ -z "${KBENCH_BUILDBOT_CONF:-}" ]; then
	KBENCH_BUILDBOT_CONF=$ROOT/configs/buildbot/buildbot.conf
	EXTRA="mainline.interval=${KBENCH_BUILDBOT_INTERVAL:-0}"
fi
: "${KBENCH_BUILDBOT_USER:=${USER:-$(id -un)}}"
S=$KBENCH_HOME/buildbot
M=$S/master
for x in "$PY" "$BB" "$BW"; do
	[ -x "$x" ] || { echo "buildbot-up: $x missing; run 'make deps'" >&2; exit 1; }
done
[ -x "$KBENCH_BIN_DIR/kbench" ] || { echo "buildbot-up: no $KBENCH_BIN_DIR/kbench; run 'make'" >&2; exit 1; }
if [ -f "$M/twistd.pid" ] && kill -0 "$(cat "$M/twistd.pid")" 2>/dev/null; then
	echo "buildbot-up: a master already runs in $M (buildbot-down.sh first)" >&2
	exit 1
fi

rand() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }
# No __pycache__ in the kbench tree (workers/buildbot/master, workers/buildbot/www).
export PYTHONDONTWRITEBYTECODE=1

# Three free loopback ports: workers, try, web.
set -- $("$PY" -c '
import socket
ss = [socket.socket() for _ in range(3)]
for s in ss:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')
WPORT=$1 TPORT=$2 HPORT=$3

umask 077
mkdir -p "$M/secrets" "$S/workers"
if [ ! -f "$M/buildbot.tac" ]; then
	"$BB" create-master -q -r --db sqlite:///state.sqlite "$M" >/dev/null
	rm -f "$M/master.cfg.sample"
fi
ln -sf "$ROOT/workers/buildbot/master/master.cfg" "$M/master.cfg"
CONF_ARGS=""
[ -n "${KBENCH_CONFIG:-}" ] && CONF_ARGS="kbench_config=$KBENCH_CONFIG"
KBENCH_ROOT=$ROOT "$PY" "$ROOT/workers/buildbot/master/kbench_bb.py" render \
    "$KBENCH_BUILDBOT_CONF" \
    "worker_port=tcp:$WPORT:interface=127.0.0.1" \
    "try_port=tcp:$TPORT:interface=127.0.0.1" \
    "www_port=tcp:$HPORT:interface=127.0.0.1" \
    "buildbot_url=http://127.0.0.1:$HPORT/" $CONF_ARGS $EXTRA \
    >"$M/buildbot.conf"
WORKERS=$(KBENCH_ROOT=$ROOT "$PY" "$ROOT/workers/buildbot/master/kbench_bb.py" \
    workers "$M/buildbot.conf")

# Secrets: kept across restarts, mode 0600, never on a command line.
[ -f "$M/secrets/users" ] || printf '%s:%s\n' "$KBENCH_BUILDBOT_USER" "$(rand)" \
    >"$M/secrets/users"
touch "$M/secrets/workers"
for w in $WORKERS; do
	grep -q "^$w:" "$M/secrets/workers" ||
	    printf '%s:%s\n' "$w" "$(rand)" >>"$M/secrets/workers"
done
chmod 600 "$M/secrets/users" "$M/secrets/workers"
user=$(head -n 1 "$M/secrets/users" | cut -d: -f1)
pass=$(head -n 1 "$M/secrets/users" | cut -d: -f2-)
first=$(echo "$WORKERS" | head -n 1)
printf 'master = 127.0.0.1:%s\nuser = %s\npassword = %s\nbuilder = %s\nwww = http://127.0.0.1:%s/\n' \
    "$TPORT" "$user" "$pass" "${first:-local}" "$HPORT" >"$S/submit.conf"
chmod 600 "$S/submit.conf"

# The master: Debian's buildbot, with the minimal web app on its path.
if ! (cd "$M" && PYTHONPATH="$ROOT/workers/buildbot/www" \
    KBENCH_ROOT="$ROOT" "$BB" start "$M" >"$S/master-start.log" 2>&1); then
	cat "$S/master-start.log" >&2
	tail -n 40 "$M/twistd.log" >&2 || true
	echo "buildbot-up: the master did not start (log: $M/twistd.log)" >&2
	exit 1
fi

for w in $WORKERS; do
	d=$S/workers/$w
	rm -f "$d/buildbot.tac"
	set -- "KBENCH=$KBENCH_BIN_DIR/kbench" \
	    "KBENCH_AGENT=$KBENCH_BIN_DIR/kbench-agent" \
	    "KBENCH_HOME=$KBENCH_HOME" "KBENCH_ROOT=$ROOT"
	[ -n "${KBENCH_CONFIG:-}" ] && set -- "$@" "KBENCH_CONFIG=$KBENCH_CONFIG"
	grep "^$w:" "$M/secrets/workers" | cut -d: -f2- |
	    sh "$ROOT/scripts/buildbot-worker-setup.sh" "$d" \
	    "127.0.0.1:$WPORT" "$w" "$@"
	: >"$d/twistd.log"
	"$BW" start "$d" >"$S/worker-$w-start.log" 2>&1 || {
		cat "$S/worker-$w-start.log" >&2
		echo "buildbot-up: worker $w did not start" >&2
		exit 1
	}
done
# Wait until every worker is connected.
for w in $WORKERS; do
	i=0
	until grep -q "worker is ready" "$S/workers/$w/twistd.log" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 300 ] || { echo "buildbot-up: worker $w did not connect" >&2;
		    tail -n 20 "$S/workers/$w/twistd.log" >&2; exit 1; }
		sleep 0.1
	done
done
cat <<MSG
buildbot: master $M
  workers connect to 127.0.0.1:$WPORT ($(echo $WORKERS))
  try (kbench submit, buildbot try) at 127.0.0.1:$TPORT
  web and REST API at http://127.0.0.1:$HPORT/ (api/v2)
  credentials for kbench submit: $S/submit.conf (mode 0600)
  submit: KBENCH_HOME=$KBENCH_HOME bin/kbench submit --wait PATCH
  stop:   make buildbot-down
MSG
