#!/bin/sh
# buildbot-down.sh: stop the local master and workers buildbot-up.sh
# started under $KBENCH_HOME/buildbot.  Only the processes whose pids
# their twistd.pid files hold are stopped.  `make buildbot-down`.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${KBENCH_HOME:=$ROOT/var}"
S=$KBENCH_HOME/buildbot
stop() {	# dir what
	[ -f "$1/twistd.pid" ] || return 0
	pid=$(cat "$1/twistd.pid")
	kill -0 "$pid" 2>/dev/null || { rm -f "$1/twistd.pid"; return 0; }
	kill -TERM "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 150 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null
		echo "buildbot-down: $2 ($pid) killed"
	else
		echo "buildbot-down: $2 stopped"
	fi
	rm -f "$1/twistd.pid"
}
# The master first: it stops its builds while the workers can still
# hear it (a master that loses a worker mid-build can hang on SIGTERM).
stop "$S/master" master
for d in "$S"/workers/*/; do
	[ -d "$d" ] && stop "${d%/}" "worker $(basename "$d")"
done
exit 0
