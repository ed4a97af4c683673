#!/bin/sh
# Build the macppc guest image (mkimage.sh macppc comes here): Debian
# has no 32-bit PowerPC userland this host can reach, so the image is a
# minimal one, cross-built with gcc-powerpc-linux-gnu against
# libc6-dev-powerpc-cross, all static:
#
#   /bin/busybox and its links   BusyBox from Debian's source package
#                                (pinned; upstream tree, defconfig,
#                                static, tc off)
#   /usr/local/bin/kbench-agent, kbench-stat, /sbin/kbench-init
#                                as in every other guest image
#   /root/vm                     the vm-small workload: kbench-vmload
#                                and its "compiler" (a copy: a second
#                                file), a second BusyBox (bb) for the
#                                applets the workload execs, and
#                                sources to work on (BusyBox's own)
#
# An ext4 file system made by mkfs.ext4 -d (no loop mount, no root
# needed), the root disk as on the other arches: the programs the
# workload execs live on a disk, so a kernel that drops their page cache
# reads them from the disk again (a ramfs would keep them).  Kept in the
# shared cache under a name that hashes every input, and linked as
# $KBENCH_HOME/images/macppc/base.img.
#
# Usage: mkimage-macppc.sh     prints the image path on stdout
set -eu
: "${KBENCH_ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$KBENCH_ROOT/workers/fetch/lib.sh"

ARCH=macppc
CROSS=powerpc-linux-gnu-
TCC=${CROSS}gcc
BUSYBOX_VERSION=1:1.35.0-4+deb12u1
SIZE=${KBENCH_IMAGE_SIZE_MACPPC:-96M}
JOBS=${KBENCH_IMAGE_JOBS:-$(nproc 2>/dev/null || echo 1)}
Q=$KBENCH_ROOT/workers/qemu
# The workload's sources: these directories of the BusyBox tree.
VM_SRC="coreutils archival"

say() { echo "kbench worker: $*" >&2; }

# BusyBox from Debian's source package (the pristine upstream tree):
# defconfig, static, tc off (it does not build against 6.x kernel
# headers: CBQ); the binary and its list of links into $bbdir.
build_busybox() {
	say "BusyBox $BUSYBOX_VERSION, cross-built static ($TCC, -j$JOBS)"
	bt0=$(date +%s)
	bb=$tmp/busybox
	dsc=$(deb_dsc busybox "$BUSYBOX_VERSION")
	deb_unpack "$dsc" "$bb" "$tmp/.stamp-busybox"
	(
		cd "$bb"
		make -s ARCH=powerpc CROSS_COMPILE=$CROSS defconfig >/dev/null
		sed -i -e 's/^# CONFIG_STATIC is not set$/CONFIG_STATIC=y/' \
		    -e 's/^CONFIG_TC=y$/# CONFIG_TC is not set/' .config
		make -s ARCH=powerpc CROSS_COMPILE=$CROSS oldconfig \
		    </dev/null >/dev/null
		make -s ARCH=powerpc CROSS_COMPILE=$CROSS -j"$JOBS" busybox \
		    busybox.links >build.log 2>&1 ||
		    { tail -n 30 build.log >&2; exit 1; }
	) || fetch_die "BusyBox build failed (log: $bb/build.log)"
	rm -rf "$bbdir.tmp"
	mkdir -p "$bbdir.tmp"
	cp "$bb/busybox" "$bb/busybox.links" "$bbdir.tmp/"
	mv "$bbdir.tmp" "$bbdir"
	rm -rf "$bb"
	say "BusyBox built in $(( $(date +%s) - bt0 )) s"
}

command -v "$TCC" >/dev/null 2>&1 ||
    fetch_die "$TCC missing (apt-get install gcc-powerpc-linux-gnu libc6-dev-powerpc-cross, or make deps)"
[ -f /usr/powerpc-linux-gnu/lib/libc.a ] ||
    fetch_die "/usr/powerpc-linux-gnu/lib/libc.a missing (apt-get install libc6-dev-powerpc-cross, or make deps)"
command -v mkfs.ext4 >/dev/null 2>&1 ||
    fetch_die "mkfs.ext4 missing (apt-get install e2fsprogs)"
command -v bzip2 >/dev/null 2>&1 ||
    fetch_die "bzip2 missing: BusyBox's tarball is .tar.bz2 (apt-get install bzip2, or make deps)"

# The image's name: a hash of every input.
id=$( { echo "$ARCH $BUSYBOX_VERSION $SIZE $VM_SRC"
	"$TCC" --version | head -n 1
	cat "$0" "$Q/kbench-init" "$Q/kbench-stat.c" "$Q/kbench-vmload.c" \
	    "$KBENCH_ROOT/workers/agent/kbench-agent.c"; } |
	sha256sum | cut -c1-16)
dir=$KBENCH_CACHE/images/$ARCH
img=$dir/busybox-$id.img
# BusyBox's own entry: its version, the compiler, and BB_RECIPE, the
# version of build_busybox below (bump it when that changes).
BB_RECIPE=1
bbid=$( { echo "$BUSYBOX_VERSION $BB_RECIPE"; "$TCC" --version | head -n 1; } |
	sha256sum | cut -c1-16)
bbdir=$dir/busybox-bin-$bbid
link=$KBENCH_HOME/images/$ARCH/base.img
mkdir -p "$dir" "$(dirname "$link")"

exec 9>"$dir/.lock"
flock 9
if [ ! -f "$img" ]; then
	t0=$(date +%s)
	tmp=$(mktemp -d "$dir/.build.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	root=$tmp/root

	# BusyBox: built once per version and compiler (its own cache
	# entry), so an edited init or agent does not rebuild it.
	if [ ! -f "$bbdir/busybox" ]; then
		build_busybox
	else
		say "BusyBox $BUSYBOX_VERSION: cached in $bbdir"
	fi
	t1=$(date +%s)
	mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin"
	install -m 0755 "$bbdir/busybox" "$root/bin/busybox"
	# Its links, relative as BusyBox's own make install makes them.
	while read -r l; do
		case $l in
		/bin/*) t=busybox ;;
		/sbin/*) t=../bin/busybox ;;
		/usr/bin/* | /usr/sbin/*) t=../../bin/busybox ;;
		*) continue ;;
		esac
		[ -e "$root$l" ] || ln -s "$t" "$root$l"
	done <"$bbdir/busybox.links"
	mkdir -p "$root/proc" "$root/sys" "$root/dev" "$root/run" \
	    "$root/tmp" "$root/root" "$root/etc" "$root/usr/local/bin" \
	    "$root/usr/local/share/kbench"
	chmod 1777 "$root/tmp"
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
	printf 'root:x:0:\n' >"$root/etc/group"
	echo kbench-guest >"$root/etc/hostname"
	printf '/dev/vda / ext4 rw 0 1\n' >"$root/etc/fstab"

	say "adding kbench-agent, kbench-stat, kbench-init"
	"$TCC" -static -O2 -o "$root/usr/local/bin/kbench-agent" \
	    "$KBENCH_ROOT/workers/agent/kbench-agent.c"
	"$TCC" -static -O2 -std=c99 -D_POSIX_C_SOURCE=200809L \
	    -o "$root/usr/local/bin/kbench-stat" "$Q/kbench-stat.c"
	install -m 0755 "$Q/kbench-init" "$root/sbin/kbench-init"

	say "the vm-small workload in /root/vm"
	vm=$root/root/vm
	mkdir -p "$vm/bin" "$vm/src"
	"$TCC" -static -O2 -std=c99 -D_POSIX_C_SOURCE=200809L \
	    -o "$vm/bin/kbench-vmload" "$Q/kbench-vmload.c"
	cp "$vm/bin/kbench-vmload" "$vm/bin/cc"
	cp "$bbdir/busybox" "$vm/bin/bb"
	for a in md5sum wc sort cat; do
		ln -s bb "$vm/bin/$a"
	done
	dsc=$(deb_dsc busybox "$BUSYBOX_VERSION")
	deb_unpack "$dsc" "$tmp/bbsrc" "$tmp/.stamp-bbsrc"
	for d in $VM_SRC; do
		for f in "$tmp/bbsrc/$d"/*.c; do
			cp "$f" "$vm/src/${d}_$(basename "$f")"
		done
	done
	t2=$(date +%s)

	say "mkfs.ext4 -d ($SIZE)"
	# Inode tables and journal zeroed now, as for the other images.
	mkfs.ext4 -q -F -L kbench-root \
	    -E lazy_itable_init=0,lazy_journal_init=0 \
	    -d "$root" "$tmp/img" "$SIZE" >&2
	mv "$tmp/img" "$img"
	rm -rf "$tmp"
	trap - EXIT
	t3=$(date +%s)
	say "built $img in $((t3 - t0)) s (BusyBox $((t1 - t0)) s, agent" \
	    "and workload $((t2 - t1)) s, mkfs $((t3 - t2)) s)"
fi
ln -sfn "$img" "$link"
echo "$link"
