#!/bin/sh
# Fetch the libc workload's source on Linux: Debian's musl source package,
# downloaded once into $KBENCH_CACHE/src, unpacked pristine (upstream
# tarball, Debian patches not applied) to $KBENCH_SRC/musl.  Idempotent:
# a tree whose stamp names the same .dsc is left alone, configured or not.
#
# Usage: musl.sh        (kbench run calls it as the workload's fetch step)
set -eu
: "${KBENCH_ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$KBENCH_ROOT/workers/fetch/lib.sh"

# Pinned, so every run of every clone builds the same libc.
MUSL_VERSION=1.2.3-1

dsc=$(deb_dsc musl "$MUSL_VERSION")
deb_unpack "$dsc" "$KBENCH_SRC/musl" "$KBENCH_SRC/.stamp-musl"
