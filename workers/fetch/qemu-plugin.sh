#!/bin/sh
# Fetch QEMU's TCG plugin header (include/qemu/qemu-plugin.h) from
# Debian's qemu source package, the version of the installed
# qemu-system-x86 (a plugin must be built against the API of the QEMU
# that loads it).  The .dsc and tarballs are downloaded once into
# $KBENCH_CACHE/src; the header alone is kept at
# $KBENCH_CACHE/qemu-plugin/VERSION/qemu-plugin.h.  Idempotent.
#
# Usage: qemu-plugin.sh		(prints the header's directory)
set -eu
: "${KBENCH_ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$KBENCH_ROOT/workers/fetch/lib.sh"

ver=$(dpkg-query -W -f='${source:Version}' qemu-system-x86 2>/dev/null) ||
    ver=
# The epoch dropped, as in file names (a colon would upset make).
vdir=${ver#*:}
dir=$KBENCH_CACHE/qemu-plugin/${vdir:-any}
if [ ! -f "$dir/qemu-plugin.h" ]; then
	dsc=$(deb_dsc qemu "$ver")
	tar=$(deb_orig "$dsc")
	mkdir -p "$dir"
	tmp=$(mktemp -d "$dir/.unpack.XXXXXX")
	tar -xf "$tar" -C "$tmp" --wildcards '*/include/qemu/qemu-plugin.h' ||
	    { rm -rf "$tmp"; fetch_die "$tar: no include/qemu/qemu-plugin.h"; }
	mv -f "$tmp"/*/include/qemu/qemu-plugin.h "$dir/qemu-plugin.h"
	rm -rf "$tmp"
	echo "kbench fetch: qemu-plugin.h of qemu $ver in $dir" >&2
fi
echo "$dir"
