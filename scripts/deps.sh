#!/bin/sh
# Install the Debian packages kbench needs, quietly and only when missing.
# Also adds a deb-src entry for the configured mirror so that
# `apt-get source` (the libc workload) works on a fresh machine.
set -eu

# exim4-daemon-light: a real MTA behind /usr/sbin/sendmail for the alert
# mail test (tests/integration/55-alert.sh); Debian configures it for
# local delivery only, and no daemon is needed for sendmail -t.
# qemu-user: the dynamically linked user-mode emulators, which load TCG
# plugins (qemu-user-static's cannot); tests/integration/12-insn-plugin.sh.
PKGS="build-essential pkg-config git ca-certificates libpq-dev postgresql
libgsl-dev libcmocka-dev libconfig-dev libssl-dev libjansson-dev zlib1g-dev
ministat time mandoc
dpkg-dev gnuplot-nox valgrind bc python3 procps clang libclang-rt-14-dev
libmicrohttpd-dev chromium chromium-driver libjs-dygraphs fonts-dejavu-core buildbot buildbot-worker
qemu-system-x86 qemu-utils linux-source-6.1 mmdebstrap ccache flex bison
libelf-dev e2fsprogs cpio xz-utils cmake meson ninja-build autoconf automake libtool autopoint gperf
gcc-aarch64-linux-gnu gcc-riscv64-linux-gnu libc6-dev-arm64-cross
libc6-dev-riscv64-cross qemu-system-arm qemu-system-misc qemu-user-static
binfmt-support arch-test qemu-user
gcc-powerpc-linux-gnu libc6-dev-powerpc-cross qemu-system-ppc bzip2
exim4-daemon-light"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO="sudo -n"
	elif [ -n "$missing" ]; then
		echo "deps: missing:$missing; run 'make deps' as root" >&2
		exit 1
	fi
fi

# deb-src for bookworm on the same mirror as the deb lines.
need_update=0
if ! grep -rqs '^[^#]*deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	mirror=$(grep -rhs '^URIs:.*debian$\|^URIs:.*debian/$' \
	    /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1 |
	    awk '{print $2}')
	if [ -z "$mirror" ]; then
		mirror=$(grep -hs '^deb .*bookworm' /etc/apt/sources.list \
		    /etc/apt/sources.list.d/*.list 2>/dev/null |
		    grep -v security | head -n 1 | awk '{print $2}')
	fi
	: "${mirror:=http://deb.debian.org/debian}"
	printf 'Types: deb-src\nURIs: %s\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
	    "$mirror" | $SUDO tee /etc/apt/sources.list.d/kbench-src.sources \
	    >/dev/null
	need_update=1
fi

if [ -n "$missing" ] || [ $need_update -eq 1 ]; then
	echo "deps: installing:${missing:- (source lists only)}" >&2
	# kbench runs its own private cluster; do not create Debian's.
	if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
		$SUDO mkdir -p /etc/postgresql-common
		echo 'create_main_cluster = false' |
		    $SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null
	fi
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	if [ -n "$missing" ]; then
		log=$(mktemp)
		if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install \
		    -y -qq --no-install-recommends $missing >"$log" 2>&1; then
			cat "$log" >&2
			rm -f "$log"
			exit 1
		fi
		rm -f "$log"
	fi
fi
