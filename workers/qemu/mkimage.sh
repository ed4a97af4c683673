#!/bin/sh
# Build a guest image: Debian (mmdebstrap minbase; bookworm for amd64 and
# arm64, trixie for riscv64, which bookworm does not release) with gcc
# and make, the static kbench-agent and kbench-stat, /sbin/kbench-init,
# and the musl source unpacked and configured in /root/src/musl.  An ext4
# file system image made by mkfs.ext4 -d (no loop mount, no root needed
# for that step), kept in the shared cache under a name that hashes
# everything that goes into it, and linked as
# $KBENCH_HOME/images/ARCH/base.img.
#
# Usage: mkimage.sh [ARCH]     ARCH amd64 (default), arm64, riscv64 or
#                              macppc; prints the image path on stdout
#
# macppc has no Debian userland here: mkimage-macppc.sh builds its
# minimal one (BusyBox, the agent, the vm-small workload).
#
# A foreign ARCH is built with qemu-user-static through binfmt_misc (the
# debootstrap's maintainer scripts and musl's configure run in the
# target's userland): binfmt_misc is mounted and the emulator registered
# here when they are not, as root, each step bounded by a timeout.  The
# static tools are cross-built (aarch64-linux-gnu-gcc,
# riscv64-linux-gnu-gcc; make deps installs them).
set -eu
: "${KBENCH_ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$KBENCH_ROOT/workers/fetch/lib.sh"

ARCH=${1:-amd64}
[ "$ARCH" != macppc ] || exec sh "$KBENCH_ROOT/workers/qemu/mkimage-macppc.sh"
case $ARCH in
amd64)	SUITE=bookworm QARCH=x86_64 CROSS= ;;
arm64)	SUITE=bookworm QARCH=aarch64 CROSS=aarch64-linux-gnu- ;;
riscv64) SUITE=trixie QARCH=riscv64 CROSS=riscv64-linux-gnu- ;;
*)	fetch_die "image for $ARCH: expected amd64, arm64, riscv64 or macppc" ;;
esac
SUITE=${KBENCH_IMAGE_SUITE:-$SUITE}
MIRROR=${KBENCH_MIRROR:-http://deb.debian.org/debian}
SIZE=${KBENCH_IMAGE_SIZE:-3G}
PKGS=gcc,make,libc6-dev,xz-utils
MUSL_VERSION=1.2.3-1
Q=$KBENCH_ROOT/workers/qemu

say() { echo "kbench worker: $*" >&2; }

# The compiler for the static tools in the image: the host's for amd64
# (CC, default cc), the cross one for the others.
if [ -n "$CROSS" ]; then
	TCC=${CROSS}gcc
	command -v "$TCC" >/dev/null 2>&1 ||
	    fetch_die "$TCC missing (apt-get install gcc-${CROSS%-} libc6-dev-$ARCH-cross, or make deps)"
else
	TCC=${CC:-cc}
fi

# binfmt_misc with the target's emulator registered (F: the kernel opens
# the interpreter now, so it works inside the chroot).  Bounded: a hung
# mount or write fails the build with a reason, not forever.
foreign_ready() {
	bm=/proc/sys/fs/binfmt_misc
	emu=/usr/libexec/qemu-binfmt/$QARCH-binfmt-P
	conf=/usr/lib/binfmt.d/qemu-$QARCH.conf
	command -v arch-test >/dev/null 2>&1 ||
	    fetch_die "arch-test missing: mmdebstrap needs it for a foreign arch (apt-get install arch-test, or make deps)"
	[ -x "/usr/bin/qemu-$QARCH-static" ] ||
	    fetch_die "/usr/bin/qemu-$QARCH-static missing (apt-get install qemu-user-static binfmt-support, or make deps)"
	if [ ! -e "$bm/register" ]; then
		[ "$(id -u)" -eq 0 ] ||
		    fetch_die "binfmt_misc is not mounted on $bm and this is not root: mount -t binfmt_misc binfmt_misc $bm (as root)"
		say "mounting binfmt_misc on $bm"
		timeout 20 mount -t binfmt_misc binfmt_misc "$bm" ||
		    fetch_die "cannot mount binfmt_misc on $bm (in a container without it, build the $ARCH image elsewhere)"
	fi
	if [ -e "$bm/qemu-$QARCH" ]; then
		grep -q '^enabled' "$bm/qemu-$QARCH" ||
		    fetch_die "binfmt_misc: qemu-$QARCH is registered but disabled (echo 1 >$bm/qemu-$QARCH)"
	else
		[ -f "$conf" ] ||
		    fetch_die "$conf missing (apt-get install qemu-user-static)"
		[ -w "$bm/register" ] ||
		    fetch_die "binfmt_misc: qemu-$QARCH not registered and $bm/register not writable (as root: systemctl restart systemd-binfmt)"
		say "registering qemu-$QARCH-static with binfmt_misc"
		timeout 20 sh -c "cat '$conf' >'$bm/register'" ||
		    fetch_die "binfmt_misc: registering qemu-$QARCH failed"
	fi
	# The proof: a target binary runs.
	probe=$(mktemp)
	printf 'int main(void){return 0;}\n' >"$probe.c"
	if ! "$TCC" -static -o "$probe" "$probe.c" 2>/dev/null ||
	    ! timeout 60 "$probe"; then
		rm -f "$probe" "$probe.c"
		fetch_die "a static $ARCH binary does not run here through binfmt_misc (see $bm/qemu-$QARCH)"
	fi
	rm -f "$probe" "$probe.c"
}

command -v mmdebstrap >/dev/null 2>&1 ||
    fetch_die "mmdebstrap missing (apt-get install mmdebstrap)"
command -v mkfs.ext4 >/dev/null 2>&1 ||
    fetch_die "mkfs.ext4 missing (apt-get install e2fsprogs)"

# The image's name: a hash of every input, so an edited init or agent
# makes a new image and an unchanged one is reused by every clone.
id=$( { echo "$SUITE $ARCH $PKGS $MUSL_VERSION $SIZE"
	"$TCC" --version | head -n 1
	cat "$0" "$Q/kbench-init" "$Q/kbench-stat.c" \
	    "$KBENCH_ROOT/workers/agent/kbench-agent.c" \
	    "$KBENCH_ROOT/configs/workloads/libc-small.mk" \
	    "$KBENCH_ROOT/workers/bulk/kbench-bulk.c" \
	    "$KBENCH_ROOT/workers/fetch/ports.sh" \
	    "$KBENCH_ROOT/configs/ports/packages-dag.list" \
	    "$KBENCH_ROOT/configs/ports/packages-dag-small.list" \
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
	[ -z "$CROSS" ] || foreign_ready
	tmp=$(mktemp -d "$dir/.build.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	root=$tmp/root
	say "mmdebstrap $SUITE $ARCH ($PKGS): a few minutes, once"
	mmdebstrap --quiet --variant=minbase --architectures="$ARCH" \
	    --include="$PKGS" "$SUITE" "$root" "$MIRROR" >&2

	say "adding kbench-agent, kbench-stat, kbench-init"
	"$TCC" -static -O2 -o "$root/usr/local/bin/kbench-agent" \
	    "$KBENCH_ROOT/workers/agent/kbench-agent.c"
	"$TCC" -static -O2 -std=c99 -D_POSIX_C_SOURCE=200809L \
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
	install -m 0644 "$KBENCH_ROOT/configs/ports/packages-dag.list" \
	    "$KBENCH_ROOT/configs/ports/packages-dag-small.list" \
	    "$KBENCH_ROOT/configs/ports/timings" \
	    "$root/usr/local/share/kbench/configs/ports/"

	# The ports workload: its sources (the same pinned Debian source
	# packages as on the host, from the shared cache) in /root/src/ports
	# and the bulk builder in /root/kbench/bin, where the recipes look.
	# Only ports-small's: the full DAG's sources would make an image
	# of gigabytes, and TCG guests run ports-small.
	say "ports sources and kbench-bulk"
	KBENCH_HOME=$tmp/fetch KBENCH_SRC=$root/root/src \
	    sh "$KBENCH_ROOT/workers/fetch/ports.sh" \
	    "$KBENCH_ROOT/configs/ports/packages-dag-small.list" >&2 ||
	    fetch_die "ports sources for the image"
	mkdir -p "$root/root/kbench/bin"
	"$TCC" -static -O2 -o "$root/root/kbench/bin/kbench-bulk" \
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
