#!/bin/sh
# Fetch the Linux base tree: Debian's linux-source-6.1 tarball, made into
# a one-commit git repository once in the shared cache, and cloned from
# there into $KBENCH_HOME/src/linux.  The base commit is made with fixed
# author, committer and dates, so the same tarball gives the same commit
# id on every machine: kernel ids (which hash it) agree across clones.
#
# Usage: fetch.sh        prints the base commit id on stdout
# Idempotent; a concurrent fetch waits on a lock.
set -eu
: "${KBENCH_ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$KBENCH_ROOT/workers/fetch/lib.sh"

PKG=linux-source-6.1
TARBALL=/usr/src/linux-source-6.1.tar.xz
CACHE_GIT=$KBENCH_CACHE/linux/linux-6.1.git
DEST=$KBENCH_SRC/linux

say() { echo "kbench fetch: $*" >&2; }

if [ ! -f "$TARBALL" ]; then
	[ "$(id -u)" -eq 0 ] ||
	    fetch_die "$TARBALL missing: apt-get install $PKG (as root)"
	say "installing $PKG (apt-get)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$PKG" >&2 ||
	    fetch_die "apt-get install $PKG failed"
fi
debver=$(dpkg-query -W -f '${Version}' "$PKG" 2>/dev/null || echo unknown)

mkdir -p "$KBENCH_CACHE/linux"
exec 9>"$KBENCH_CACHE/linux/.lock"
flock 9

if [ ! -d "$CACHE_GIT" ]; then
	say "unpacking $TARBALL into a git repository (once, a few minutes)"
	tmp=$(mktemp -d "$KBENCH_CACHE/linux/.unpack.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	tar -xf "$TARBALL" -C "$tmp"
	set -- "$tmp"/linux-source-*
	[ -d "$1" ] || fetch_die "$TARBALL: no linux-source-* directory"
	(
		cd "$1"
		git init -q
		git config core.autocrlf false
		# No background gc: it would race the clone and the cleanup
		# below, and 80k loose objects clone fine by hard links.
		git config gc.auto 0
		git add -A -f .
		GIT_AUTHOR_NAME=kbench GIT_AUTHOR_EMAIL=kbench@localhost \
		GIT_COMMITTER_NAME=kbench GIT_COMMITTER_EMAIL=kbench@localhost \
		GIT_AUTHOR_DATE='2000-01-01T00:00:00Z' \
		GIT_COMMITTER_DATE='2000-01-01T00:00:00Z' \
		    git commit -q --no-verify -m "$PKG $debver"
		git tag base
	)
	git clone -q --bare "$1" "$tmp/bare.git"
	git -C "$tmp/bare.git" config gc.auto 0
	mv "$tmp/bare.git" "$CACHE_GIT"
	rm -rf "$tmp"
	trap - EXIT
fi

if [ ! -d "$DEST/.git" ]; then
	say "cloning the base tree into $DEST"
	mkdir -p "$KBENCH_SRC"
	rm -rf "$DEST.tmp"
	git clone -q "$CACHE_GIT" "$DEST.tmp"
	git -C "$DEST.tmp" config gc.auto 0
	git -C "$DEST.tmp" tag -f base "$(git -C "$CACHE_GIT" rev-parse base)" \
	    >/dev/null
	mv "$DEST.tmp" "$DEST"
fi
git -C "$DEST" rev-parse 'base^{commit}'
