#!/bin/sh
# Build the ssh loopback guest's image (tests/integration/66-ssh-try.sh,
# docs/workers.md section 7): Debian bookworm amd64 (mmdebstrap
# minbase) with openssh-server, kexec-tools, iproute2 and a C compiler,
# the init /sbin/kbench-sshd-init, and host keys generated here.  It
# holds no harness key: root's authorized_keys comes from the guest's
# second disk at each boot (kbench-sshd-init).  An ext4 image made by
# mkfs.ext4 -d, kept in the shared cache under a name that hashes its
# inputs, linked as $KBENCH_HOME/images/amd64/ssh.img.  The guest's
# public host key is beside it (ssh.img.hostkey.pub): a test trusts the
# key read from the image, not one offered over the network.
#
# Usage: mkimage-ssh.sh        prints the image path on stdout
set -eu
: "${KBENCH_ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$KBENCH_ROOT/workers/fetch/lib.sh"

say() { echo "kbench worker: $*" >&2; }

SUITE=${KBENCH_IMAGE_SUITE:-bookworm}
MIRROR=${KBENCH_MIRROR:-http://deb.debian.org/debian}
SIZE=${KBENCH_SSH_IMAGE_SIZE:-1G}
PKGS=openssh-server,kexec-tools,iproute2,gcc,libc6-dev,make
Q=$KBENCH_ROOT/workers/qemu

command -v mmdebstrap >/dev/null 2>&1 ||
    fetch_die "mmdebstrap missing (apt-get install mmdebstrap)"
command -v mkfs.ext4 >/dev/null 2>&1 ||
    fetch_die "mkfs.ext4 missing (apt-get install e2fsprogs)"

id=$( { echo "$SUITE amd64 $PKGS $SIZE"; cat "$0" "$Q/kbench-sshd-init"; } |
	sha256sum | cut -c1-16)
dir=$KBENCH_CACHE/images/amd64-ssh
img=$dir/$SUITE-$id.img
link=$KBENCH_HOME/images/amd64/ssh.img
mkdir -p "$dir" "$(dirname "$link")"

exec 9>"$dir/.lock"
flock 9
if [ ! -f "$img" ]; then
	t0=$(date +%s)
	tmp=$(mktemp -d "$dir/.build.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	root=$tmp/root
	say "mmdebstrap $SUITE amd64 ($PKGS): a few minutes, once"
	mmdebstrap --quiet --variant=minbase --architectures=amd64 \
	    --include="$PKGS" "$SUITE" "$root" "$MIRROR" >&2
	install -m 0755 "$Q/kbench-sshd-init" "$root/sbin/kbench-sshd-init"
	echo kbench-loop >"$root/etc/hostname"
	printf '/dev/vda / ext4 rw 0 1\n' >"$root/etc/fstab"
	# Fresh host keys for this image (the package's postinst may have
	# made some in the chroot: replace them, one set per image).
	rm -f "$root"/etc/ssh/ssh_host_*
	ssh-keygen -q -t ed25519 -N '' -C kbench-loop \
	    -f "$root/etc/ssh/ssh_host_ed25519_key"
	# Keys only, root allowed by key; no PAM (no logind, no audit in
	# the guest kernel), no DNS lookups of the client.
	cat >"$root/etc/ssh/sshd_config.d/kbench.conf" <<EOC
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
EOC
	mkdir -p "$root/root/.ssh"
	chmod 700 "$root/root/.ssh"
	: >"$root/root/.ssh/authorized_keys"
	chmod 600 "$root/root/.ssh/authorized_keys"
	rm -rf "$root/var/cache/apt/archives"/*.deb \
	    "$root/var/lib/apt/lists"/*_Packages
	say "mkfs.ext4 -d ($SIZE)"
	mkfs.ext4 -q -F -L kbench-loop \
	    -E lazy_itable_init=0,lazy_journal_init=0 \
	    -d "$root" "$tmp/img" "$SIZE" >&2
	cp "$root/etc/ssh/ssh_host_ed25519_key.pub" "$tmp/img.hostkey.pub"
	mv "$tmp/img.hostkey.pub" "$img.hostkey.pub"
	mv "$tmp/img" "$img"
	rm -rf "$tmp"
	trap - EXIT
	say "built $img in $(( $(date +%s) - t0 )) s"
fi
ln -sfn "$img" "$link"
ln -sfn "$img.hostkey.pub" "$link.hostkey.pub"
echo "$link"
