#!/bin/sh
# buildbot-worker-setup.sh DIR MASTER_HOST:PORT NAME [KEY=VALUE...]
# Make a kbench Buildbot worker directory: workers/buildbot/buildbot.tac,
# worker.conf, env (the KEY=VALUE arguments: KBENCH=..., KBENCH_CONFIG=...)
# and passwd, read from standard input (one line) so that it is never on
# a command line.  Then: buildbot-worker start DIR.  Works on Debian,
# OpenBSD and FreeBSD (needs py3-buildbot-worker / py-buildbot-worker).
set -eu
[ $# -ge 3 ] || { echo "usage: $0 DIR HOST:PORT NAME [KEY=VALUE...] <passwd" >&2; exit 2; }
dir=$1 master=$2 name=$3
shift 3
case $name in
"" | *[!A-Za-z0-9._+-]*) echo "$0: bad worker name '$name'" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")/.." && pwd)
umask 077
mkdir -p "$dir"
cp "$here/workers/buildbot/buildbot.tac" "$dir/buildbot.tac"
printf 'master = %s\nname = %s\n' "$master" "$name" >"$dir/worker.conf"
: >"$dir/env"
for kv in "$@"; do
	case $kv in
	[A-Za-z_]*=*) printf '%s\n' "$kv" >>"$dir/env" ;;
	*) echo "$0: not KEY=VALUE: $kv" >&2; exit 2 ;;
	esac
done
IFS= read -r pw || true
[ -n "$pw" ] || { echo "$0: no password on standard input" >&2; exit 2; }
printf '%s\n' "$pw" >"$dir/passwd"
chmod 600 "$dir/passwd"
mkdir -p "$dir/info"
printf 'kbench worker %s\n' "$name" >"$dir/info/admin"
uname -srm >"$dir/info/host"
