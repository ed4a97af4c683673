# workers/fetch/lib.sh: sourced by the fetch scripts.  Downloads Debian
# source packages once into a cache that every clone and KBENCH_HOME
# shares, and unpacks pristine upstream trees from it.
#
# Environment (kbench run exports all of these; the defaults let the
# scripts run by hand too):
#	KBENCH_HOME	kbench's state directory (default ./var)
#	KBENCH_SRC	where trees are unpacked ($KBENCH_HOME/src)
#	KBENCH_CACHE	the shared download cache
#			(${XDG_CACHE_HOME:-$HOME/.cache}/kbench)
#	KBENCH_ROOT	the kbench tree (default: two levels above this file)

: "${KBENCH_HOME:=$(pwd)/var}"
: "${KBENCH_SRC:=$KBENCH_HOME/src}"
: "${KBENCH_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/kbench}"
DEB_CACHE=$KBENCH_CACHE/src

fetch_die() {
	echo "kbench fetch: $*" >&2
	exit 1
}

# deb_dsc PKG [VERSION]: print the path of the cached .dsc of source
# package PKG, downloading it with apt-get source on first use.  VERSION
# pins the exact Debian version so that
# every run builds the same source.  VERSION is as apt shows it, epoch
# included (bison's is 2:3.8.2+dfsg-1); file names drop the epoch.
deb_dsc() {
	_pkg=$1
	_ver=${2:-}
	mkdir -p "$DEB_CACHE"
	if [ -n "$_ver" ]; then
		_dsc=$DEB_CACHE/${_pkg}_${_ver#*:}.dsc
		[ -f "$_dsc" ] && { echo "$_dsc"; return 0; }
	else
		# The newest cached version, by Debian's ordering.
		_dsc=
		for _f in "$DEB_CACHE/${_pkg}"_*.dsc; do
			[ -f "$_f" ] || continue
			if [ -z "$_dsc" ] || dpkg --compare-versions \
			    "$(deb_version "$_f")" gt "$(deb_version "$_dsc")"
			then
				_dsc=$_f
			fi
		done
		[ -n "$_dsc" ] && { echo "$_dsc"; return 0; }
	fi
	command -v apt-get >/dev/null 2>&1 ||
	    fetch_die "$_pkg: not cached in $DEB_CACHE and no apt-get here"
	# Download into a private directory and move the .dsc in last, so
	# that a concurrent or interrupted fetch never leaves a .dsc whose
	# tarballs are missing.
	_tmp=$(mktemp -d "$DEB_CACHE/.dl.XXXXXX")
	# As root, apt drops to the _apt user, which cannot write here.
	_aptopt=
	[ "$(id -u)" -eq 0 ] && _aptopt="-o APT::Sandbox::User=root"
	# --only-source: the name is a source package's, never a binary's
	# (whose newer security version deb-src may lack: brotli).
	# shellcheck disable=SC2086
	if ! (cd "$_tmp" && apt-get -q $_aptopt --only-source source \
	    --download-only "${_pkg}${_ver:+=$_ver}" >"$_tmp/.log" 2>&1) &&
	    ! deb_upstream_only "$_tmp"; then
		cat "$_tmp/.log" >&2
		rm -rf "$_tmp"
		fetch_die "apt-get source $_pkg${_ver:+=$_ver} failed (is \
there a deb-src line?  'make deps' adds one)"
	fi
	for _f in "$_tmp"/*; do
		case $_f in *.dsc) ;; *) mv -f "$_f" "$DEB_CACHE/" ;; esac
	done
	_new=
	for _f in "$_tmp"/*.dsc; do
		[ -f "$_f" ] || continue
		mv -f "$_f" "$DEB_CACHE/"
		_new=$DEB_CACHE/$(basename "$_f")
	done
	rm -rf "$_tmp"
	[ -n "$_new" ] || fetch_die "apt-get source $_pkg: no .dsc"
	echo "$_new"
}

# deb_upstream_only DIR: true when a failed download left the .dsc and
# its upstream tarball in DIR (the mirror lacks only the Debian part,
# as for zip).  The build uses the pristine upstream tree, so that is
# all it needs.
deb_upstream_only() {
	for _d in "$1"/*.dsc; do
		[ -f "$_d" ] || return 1
		_o=$(deb_orig_name "$_d")
		[ -n "$_o" ] && [ -f "$1/$_o" ] || return 1
		echo "kbench fetch: $(basename "$_d"): only the upstream" \
		    "tarball could be had, which is all a build uses" >&2
		return 0
	done
	return 1
}

# deb_version DSC: the Version: field of a .dsc.
deb_version() {
	sed -n 's/^Version: *//p' "$1" | head -n 1
}

# deb_orig_name DSC: the name of the upstream tarball a .dsc lists.
deb_orig_name() {
	_n=$(awk '/^Files:/ { f = 1; next } /^[^ ]/ { f = 0 }
	    f && $3 ~ /\.orig\.tar\.[a-z0-9]+$/ { print $3; exit }' "$1")
	[ -n "$_n" ] || _n=$(awk '/^Files:/ { f = 1; next } /^[^ ]/ { f = 0 }
	    f && $3 ~ /\.tar\.[a-z0-9]+$/ && $3 !~ /debian/ { print $3; exit }' \
	    "$1")
	echo "$_n"
}

# deb_orig DSC: the upstream tarball a .dsc names (NAME_VER.orig.tar.*,
# or NAME_VER.tar.* for a native package), as a path in the cache.
deb_orig() {
	_o=$(deb_orig_name "$1")
	[ -n "$_o" ] || fetch_die "$1: no upstream tarball listed"
	[ -f "$DEB_CACHE/$_o" ] || fetch_die "$DEB_CACHE/$_o: missing"
	echo "$DEB_CACHE/$_o"
}

# deb_unpack DSC DEST STAMP: the pristine upstream tree of DSC at DEST,
# unless STAMP already names this .dsc (then nothing is done).  Debian's
# patches are not applied: the tree is upstream's, timestamps and all, so
# configure never wants autotools; what a build needs beyond that is in
# its recipe, as a port's Makefile would have it.
deb_unpack() {
	_dsc=$1
	_dest=$2
	_stamp=$3
	_id=$(basename "$_dsc")
	if [ -d "$_dest" ] && [ -f "$_stamp" ] &&
	    [ "$(cat "$_stamp")" = "$_id" ]; then
		return 0
	fi
	_tar=$(deb_orig "$_dsc")
	mkdir -p "$(dirname "$_dest")" "$(dirname "$_stamp")"
	_tmp=$(mktemp -d "$(dirname "$_dest")/.unpack.XXXXXX")
	# tar picks the decompressor itself (GNU tar and bsdtar both do).
	tar -xf "$_tar" -C "$_tmp" || { rm -rf "$_tmp"; \
	    fetch_die "$_tar: cannot unpack"; }
	set -- "$_tmp"/*
	if [ $# -ne 1 ] || [ ! -d "$1" ]; then
		rm -rf "$_tmp"
		fetch_die "$_tar: expected one top directory"
	fi
	rm -rf "$_dest" "$_stamp"
	mv "$1" "$_dest"
	rm -rf "$_tmp"
	echo "$_id" >"$_stamp"
	echo "kbench fetch: unpacked $_id into $_dest" >&2
}

# build_bulk: $KBENCH_HOME/bin/kbench-bulk from its one source file with
# the plain system compiler, as on any worker; rebuilt when the source
# is newer.
build_bulk() {
	_src=$KBENCH_ROOT/workers/bulk/kbench-bulk.c
	_bin=$KBENCH_HOME/bin/kbench-bulk
	[ -f "$_src" ] || fetch_die "$_src: missing (set KBENCH_ROOT)"
	# find -newer: test -nt is not POSIX.
	if [ ! -x "$_bin" ] || [ -n "$(find "$_src" -newer "$_bin")" ]; then
		mkdir -p "$KBENCH_HOME/bin"
		${CC:-cc} -O2 -o "$_bin.$$" "$_src" ||
		    fetch_die "cannot build kbench-bulk"
		mv -f "$_bin.$$" "$_bin"
	fi
}
