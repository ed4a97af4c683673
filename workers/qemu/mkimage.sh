#!/bin/sh
# Build the amd64 guest image: Debian bookworm (mmdebstrap minbase) with
# gcc and make, the static kbench-agent and kbench-stat, /sbin/kbench-init,
# and the musl source unpacked and configured in /root/src/musl.  An ext4
# file system image made by mkfs.ext4 -d (no loop mount, no root needed
# for that step), kept in the shared cache under a name that hashes
# everything that goes into it, and linked as
# $KBENCH_HOME/images/ARCH/base.img.
#
# Usage: mkimage.sh [ARCH]     prints the image path on stdout
set -eu
: "${KBENCH_ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$KBENCH_ROOT/workers/fetch/lib.sh"

ARCH=${1:-amd64}
SUITE=bookworm
MIRROR=${KBENCH_MIRROR:-http://deb.debian.org/debian}
SIZE=${KBENCH_IMAGE_SIZE:-3G}
PKGS=gcc,make,libc6-dev,xz-utils
MUSL_VERSION=1.2.3-1
Q=$KBENCH_ROOT/workers/qemu

say() { echo "kbench worker: $*" >&2; }

[ "$ARCH" = amd64 ] || fetch_die "image for $ARCH: only amd64 so far"
command -v mmdebstrap >/dev/null 2>&1 ||
    fetch_die "mmdebstrap missing (apt-get install mmdebstrap)"
command -v mkfs.ext4 >/dev/null 2>&1 ||
    fetch_die "mkfs.ext4 missing (apt-get install e2fsprogs)"

# The image's name: a hash of every input, so an edited init or agent
# makes a new image and an unchanged one is reused by every clone.
id=$( { echo "$SUITE $ARCH $PKGS $MUSL_VERSION $SIZE"
	cat "$0" "$Q/kbench-init" "$Q/kbench-stat.c" \
	    "$KBENCH_ROOT/workers/agent/kbench-agent.c" \
	    "$KBENCH_ROOT/configs/workloads/libc-small.mk" \
	    "$KBENCH_ROOT/workers/bulk/kbench-bulk.c" \
	    "$KBENCH_ROOT/workers/fetch/ports.sh" \
	    "$KBENCH_ROOT/configs/ports/packages.list" \
	    "$KBENCH_ROOT/configs/ports/packages-small.list" \
	    "$KBENCH_ROOT/configs/ports/timings"; } |
	sha256sum | cut -c1-16)
dir=$KBENCH_CACHE/images/$ARCH
img=$dir/$SUITE-$id.img
link=$KBENCH_HOME/images/$ARCH/base.img
mkdir -p "$dir" "$(dirname "$link")"

exec 9>"$dir/.lock"
flock 9
if [ ! -f "$img" ]; then
	t0=$(date +%s)
	tmp=$(mktemp -d "$dir/.build.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	root=$tmp/root
	say "mmdebstrap $SUITE $ARCH ($PKGS): a few minutes, once"
	mmdebstrap --quiet --variant=minbase --architectures="$ARCH" \
	    --include="$PKGS" "$SUITE" "$root" "$MIRROR" >&2

	say "adding kbench-agent, kbench-stat, kbench-init"
	${CC:-cc} -static -O2 -o "$root/usr/local/bin/kbench-agent" \
	    "$KBENCH_ROOT/workers/agent/kbench-agent.c"
	${CC:-cc} -static -O2 -std=c99 -D_POSIX_C_SOURCE=200809L \
	    -o "$root/usr/local/bin/kbench-stat" "$Q/kbench-stat.c"
	install -m 0755 "$Q/kbench-init" "$root/sbin/kbench-init"
	echo kbench-guest >"$root/etc/hostname"
	printf '/dev/vda / ext4 rw 0 1\n' >"$root/etc/fstab"

	say "musl $MUSL_VERSION source, configured"
	dsc=$(deb_dsc musl "$MUSL_VERSION")
	mkdir -p "$root/root/src"
	deb_unpack "$dsc" "$root/root/src/musl" "$root/root/src/.stamp-musl"
	chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root \
	    /bin/sh -c 'cd /root/src/musl &&
	    ./configure --prefix=/root/kbench/musl >configure.log 2>&1' ||
	    fetch_die "musl configure failed in the image"
	# What workload recipes name as $KBENCH_ROOT (kbench-init sets it
	# to this directory), so a recipe reads the same in a guest.
	mkdir -p "$root/usr/local/share/kbench/configs/workloads" \
	    "$root/usr/local/share/kbench/configs/ports"
	install -m 0644 "$KBENCH_ROOT/configs/workloads/libc-small.mk" \
	    "$root/usr/local/share/kbench/configs/workloads/libc-small.mk"
	install -m 0644 "$KBENCH_ROOT/configs/ports/packages.list" \
	    "$KBENCH_ROOT/configs/ports/packages-small.list" \
	    "$KBENCH_ROOT/configs/ports/timings" \
	    "$root/usr/local/share/kbench/configs/ports/"

	# The ports workload: its sources (the same pinned Debian source
	# packages as on the host, from the shared cache) in /root/src/ports
	# and the bulk builder in /root/kbench/bin, where the recipes look.
	say "ports sources and kbench-bulk"
	KBENCH_HOME=$tmp/fetch KBENCH_SRC=$root/root/src \
	    sh "$KBENCH_ROOT/workers/fetch/ports.sh" \
	    "$KBENCH_ROOT/configs/ports/packages.list" \
	    "$KBENCH_ROOT/configs/ports/packages-small.list" >&2 ||
	    fetch_die "ports sources for the image"
	mkdir -p "$root/root/kbench/bin"
	${CC:-cc} -static -O2 -o "$root/root/kbench/bin/kbench-bulk" \
	    "$KBENCH_ROOT/workers/bulk/kbench-bulk.c"

	# What apt downloaded is not needed in a throwaway guest.
	rm -rf "$root/var/cache/apt/archives"/*.deb \
	    "$root/var/lib/apt/lists"/*_Packages
	say "mkfs.ext4 -d ($SIZE)"
	# Inode tables and journal zeroed now: else the guest kernel's
	# ext4lazyinit thread writes them during the first runs, and
	# that I/O lands in the timings.
	mkfs.ext4 -q -F -L kbench-root \
	    -E lazy_itable_init=0,lazy_journal_init=0 \
	    -d "$root" "$tmp/img" "$SIZE" >&2
	mv "$tmp/img" "$img"
	rm -rf "$tmp"
	trap - EXIT
	say "built $img in $(( $(date +%s) - t0 )) s"
fi
ln -sfn "$img" "$link"
echo "$link"
