#!/bin/sh
# Fetch the ports workload's sources on Linux: every package of the given
# lists (configs/ports/*.list) as a Debian source package, downloaded once
# into $KBENCH_CACHE/src at the version= the list pins, unpacked pristine
# (upstream tarball, timestamps kept, Debian patches not applied) to
# $KBENCH_SRC/ports/NAME; and the bulk builder, compiled with the plain
# system cc into $KBENCH_HOME/bin/kbench-bulk, as on any worker.
# Idempotent: a tree whose stamp names the same .dsc is left alone.
# A package whose source cannot be had (not on this mirror, a tarball
# missing) does not stop the others: it is named, listed in
# $KBENCH_SRC/ports/.missing, and kbench-bulk records it failed and
# skips what depends on it.  Only a list none of whose sources can be
# had is an error.
#
# Usage: ports.sh LIST...
set -eu
: "${KBENCH_ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$KBENCH_ROOT/workers/fetch/lib.sh"

[ $# -ge 1 ] || fetch_die "usage: ports.sh LIST..."
mkdir -p "$KBENCH_HOME"
build_bulk
mkdir -p "$KBENCH_SRC/ports"
missing=$KBENCH_SRC/ports/.missing
: >"$missing"
for list in "$@"; do
	[ -f "$list" ] || fetch_die "$list: no such list"
	# NAME and version= of each package line (the builder checks the
	# rest of the syntax).
	sed -e 's/#.*//' -e 's/[[:space:]]--[[:space:]].*//' "$list" |
	    awk 'NF { v = ""
		for (i = 2; i <= NF; i++)
			if ($i ~ /^version=/) v = substr($i, 9)
		print $1, v }' >"$KBENCH_HOME/.ports-fetch.$$"
	total=0
	nmiss=0
	names=
	while read -r name ver; do
		case $name in
		*[!A-Za-z0-9.+_-]* | -* | .*)
			fetch_die "$list: bad package name '$name'" ;;
		esac
		total=$((total + 1))
		# Subshells: deb_dsc and deb_unpack exit on failure.
		if dsc=$(deb_dsc "$name" "$ver") &&
		    (deb_unpack "$dsc" "$KBENCH_SRC/ports/$name" \
		    "$KBENCH_SRC/ports/.stamps/$name"); then
			continue
		fi
		echo "$name" >>"$missing"
		nmiss=$((nmiss + 1))
		names="$names $name"
	done <"$KBENCH_HOME/.ports-fetch.$$"
	rm -f "$KBENCH_HOME/.ports-fetch.$$"
	[ "$nmiss" -lt "$total" ] || fetch_die "$list: no package's source \
could be fetched"
	[ "$nmiss" -eq 0 ] || echo "kbench fetch: $list: $nmiss of $total \
packages have no source here:$names; \
kbench-bulk will record them failed and skip their dependants" >&2
done
