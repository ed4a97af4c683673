# kbench try PATCH --dry-run: the plan for a real (ssh) worker, from
# configs/recipes/OS.conf, printed in order, one command a line, each
# prefixed by where it runs; nothing run, no database made.  The patch
# is a Linux one: a plan only names it, so any file will do.
. "$(dirname "$0")/../lib.sh"

PATCH=kernel-src/patches/canpersist-removal.patch
cd "$ROOT"
KID=$(sha256sum "$PATCH" | cut -c1-12)	# the plan's placeholder id
BASE=e3b0c44298fc			# sha256 of no patch at all

# in_order TEXT HOST STRING...: each STRING on a line of "[HOST] ",
# after the line of the one before.  "A...B": A, then B, on one line.
in_order() {
	text=$1
	host=$2
	shift 2
	prev=0
	for s in "$@"; do
		n=$(printf '%s\n' "$text" | awk -v h="[$host] " -v s="$s" \
		    -v p="$prev" '
			NR <= p || index($0, h) != 1 { next }
			{
				rest = $0
				k = split(s, part, /\.\.\./)
				for (i = 1; i <= k; i++) {
					j = index(rest, part[i])
					if (j == 0)
						next
					rest = substr(rest, j + length(part[i]))
				}
				print NR
				exit
			}')
		[ -n "$n" ] || fail "no [$host] line with '$s' after line $prev:
$text"
		prev=$n
	done
}

# Every line is a comment, empty, or says where it runs.
where_every_line() {
	bad=$(printf '%s\n' "$1" | grep -v -e '^#' -e '^$' -e '^\[' || true)
	[ -z "$bad" ] || fail "lines without [where]: $bad"
}

# The harness's own steps, the same for every OS.
harness_steps() {
	contains "$1" "[harness] ssh -o ControlMaster=auto -o ControlPath=$KBENCH_HOME/ssh/%C -o ControlPersist=60 -o BatchMode=yes -o StrictHostKeyChecking=yes $2 true"
	contains "$1" "[harness] scp -o ControlMaster=auto"
	contains "$1" "kbench-agent.c $2:/var/tmp/kbench/"
	contains "$1" "[$2] cd /var/tmp/kbench && cc -O2 -o kbench-agent kbench-agent.c"
	contains "$1" "[harness] wait for ssh, at most 900 s"
	lacks "$1" "StrictHostKeyChecking=no"
	where_every_line "$1"
	# Base and patched kernels take turns, boot after boot.
	turns=$(printf '%s\n' "$1" | sed -n 's/^# boot [0-9]* of [0-9]*: the \([a-z]*\) kernel.*/\1/p' |
	    tr '\n' ' ')
	[ "$turns" = "base patched base patched base patched " ] ||
	    fail "boots not in turns (n 5, 2 per boot): $turns"
}

# OpenBSD, on the recipe's example worker.
H=root@riscv64.example.org
expect_status 0 "$KBENCH" try "$PATCH" --dry-run --os openbsd
in_order "$OUT" "$H" \
    "cd /usr/src && patch -p0 < /var/tmp/kbench/1-canpersist-removal.patch" \
    "compile/KBENCH-$KID && make obj && make config && make -j4" \
    "compile/KBENCH-$BASE && make install" \
    "reboot" \
    "sysctl -n kern.version" \
    "kbench-agent -n 2 -w 1...-C /usr/src/lib/libc...make -j4"
in_order "$OUT" "$H" "cp GENERIC.MP KBENCH-$BASE" \
    "patch -p0" "cp GENERIC.MP KBENCH-$KID"
contains "$OUT" "[harness] check that the output of 'sysctl -n kern.version' contains KBENCH-$KID"
contains "$OUT" "[$H console] show panic"
contains "$OUT" "[$H console] trace"
harness_steps "$OUT" "$H"

expect_status 0 "$KBENCH" try "$PATCH" --dry-run --os openbsd --workload ports
contains "$OUT" "configs/ports/openbsd.list $H:/var/tmp/kbench/"
in_order "$OUT" "$H" "make install" "dpb -j 2 -P /var/tmp/kbench/openbsd.list"

# FreeBSD.
H=root@arm64.example.org
expect_status 0 "$KBENCH" try "$PATCH" --dry-run --os freebsd
in_order "$OUT" "$H" \
    "cd /usr/src && git apply --index /var/tmp/kbench/1-canpersist-removal.patch" \
    "ident KBENCH-$KID" \
    "make -j8 buildkernel KERNCONF=KBENCH-$KID" \
    "make installkernel KERNCONF=KBENCH-$BASE" \
    "shutdown -r now" \
    "uname -v" \
    "-C /usr/src/lib/libc...make -j8"
contains "$OUT" "[harness] check that the output of 'uname -v' contains KBENCH-$KID"
contains "$OUT" "[$H console] bt"
harness_steps "$OUT" "$H"

# Linux.
H=root@amd64.example.org
expect_status 0 "$KBENCH" try "$PATCH" --dry-run --os linux
in_order "$OUT" "$H" \
    "cd /usr/src/linux && git apply --index /var/tmp/kbench/1-canpersist-removal.patch" \
    "make O=/var/tmp/kbench/obj-$KID olddefconfig" \
    "make O=/var/tmp/kbench/obj-$KID -j8 LOCALVERSION=-kb$KID" \
    "LOCALVERSION=-kb$BASE modules_install install" \
    "kexec -l" \
    "uname -r" \
    "-C /usr/src/musl...make -j8"
contains "$OUT" "[harness] check that the output of 'uname -r' contains -kb$KID"
harness_steps "$OUT" "$H"

# A command after -- is the workload.
expect_status 0 "$KBENCH" try "$PATCH" --dry-run --os linux -n 2 -- 'cd /tmp && true'
contains "$OUT" "-- /bin/sh -c 'cd /tmp && true'"

# A configured ssh worker is the one planned for.
cat >"$T/kbench.conf" <<'EOF'
workers = (
	{ name = "unmatched"; transport = "ssh";
	  host = "root@unmatched.example.org";
	  arch = "riscv64"; os = "openbsd"; ncpu = 4; },
	{ name = "vm"; transport = "qemu"; arch = "amd64"; os = "linux"; }
);
EOF
export KBENCH_CONFIG=$T/kbench.conf
expect_status 0 "$KBENCH" try "$PATCH" --worker unmatched --dry-run
H=root@unmatched.example.org
in_order "$OUT" "$H" "patch -p0" "make config" "make install" "reboot" \
    "sysctl -n kern.version" "-C /usr/src/lib/libc...make -j4"
contains "$OUT" "# worker unmatched, $H ($T/kbench.conf:2)"
lacks "$OUT" "riscv64.example.org"
harness_steps "$OUT" "$H"
# Its os must agree with --os; an unknown worker needs --os; only ssh.
expect_status 2 "$KBENCH" try "$PATCH" --worker unmatched --os linux --dry-run
contains "$OUT" "worker unmatched runs openbsd"
expect_status 1 "$KBENCH" try "$PATCH" --worker nosuch --dry-run
contains "$OUT" "no worker nosuch in $T/kbench.conf"
expect_status 0 "$KBENCH" try "$PATCH" --worker nosuch --os freebsd --dry-run
contains "$OUT" "[root@arm64.example.org] uname -v"
expect_status 1 "$KBENCH" try "$PATCH" --worker vm --dry-run
contains "$OUT" "transport qemu"
unset KBENCH_CONFIG

# Kernels built on the harness (build_on = "harness"): no fetch, patch
# or build on the worker; each image copied, installed, kexec'd.
H=root@kbench-loop
expect_status 0 "$KBENCH" try "$PATCH" --dry-run --os linux-kexec -- true
contains "$OUT" "[harness] kbench kernel build --os linux --arch ARCH: $BASE"
contains "$OUT" "[harness] kbench kernel build --os linux --arch ARCH --patch ...: $KID"
contains "$OUT" "vmlinuz-$KID"
lacks "$OUT" "git apply"
in_order "$OUT" "$H" "install -m 0644" "kexec -l" "kexec -e" "uname -r"
where_every_line "$OUT"

# Errors: an OS without a recipe names the directory; usage errors.
expect_status 1 "$KBENCH" try "$PATCH" --dry-run --os plan9
contains "$OUT" "no recipe for OS 'plan9' in $ROOT/configs/recipes"
contains "$OUT" "expected one of: freebsd, linux-kexec, linux, openbsd"
expect_status 1 "$KBENCH" try "$PATCH" --dry-run --os ../configs/recipes/linux
expect_status 1 "$KBENCH" try "$T/nosuch.patch" --dry-run --os openbsd
contains "$OUT" "nosuch.patch"
expect_status 2 "$KBENCH" try "$PATCH" --dry-run
contains "$OUT" "--dry-run needs --worker NAME or --os OS"
expect_status 2 "$KBENCH" try "$PATCH" --os openbsd
contains "$OUT" "--os goes with --dry-run"
expect_status 1 "$KBENCH" try "$PATCH" --dry-run --os linux --workload ports
contains "$OUT" "no workload ports"

# A malformed recipe: FILE:LINE and what was expected.  KBENCH_ROOT
# points at a copy of the recipes with one fault each.
mkdir -p "$T/root/configs/recipes"
BAD=$T/root/configs/recipes/bad.conf
bad() {		# sed-script grep-pattern-of-the-line|"" (line 1) message
	sed "$1" configs/recipes/openbsd.conf >"$BAD"
	line=1
	[ -z "$2" ] || line=$(grep -n -e "$2" "$BAD" | head -n 1 | cut -d: -f1)
	[ -n "$line" ] || fail "the fault '$1' was not made"
	expect_status 1 env KBENCH_ROOT="$T/root" "$KBENCH" try "$PATCH" \
	    --dry-run --os bad
	contains "$OUT" "$BAD:$line: $3"
}
bad 's/^reboot = (/rebot = (/' '^rebot' \
    "unknown key 'rebot' in the recipe; expected one of:"
bad '/^install = (/,/^);/d' "" \
    "the recipe has no install; expected install = a list of strings"
bad '/^on_panic = (/,/^);/c\
on_panic = ();' '^on_panic' "on_panic: expected at least one step"
bad 's/"trace",/"  ",/' '"  ",' \
    "on_panic, step 2: expected a shell command, not an empty string"
bad 's/ncpu = 4;/ncpu = "4";/' 'ncpu = "4"' "ncpu: expected an integer"
bad 's/^src = .*/src = [ "\/usr\/src" ];/' '^src' \
    'src: expected a string ("...")'
bad 's/^verify_expect = .*/verify_expect = "KBENCH";/' '^verify_expect' \
    "verify_expect: expected a string containing \$KB_KID12"
bad 's/command = "make -j$NCPU";/comand = "make";/' 'comand =' \
    "unknown key 'comand' in workload libc"
# A good copy loads from there too.
cp configs/recipes/openbsd.conf "$BAD"
expect_status 0 env KBENCH_ROOT="$T/root" "$KBENCH" try "$PATCH" --dry-run --os bad

# Nothing was started or stored: no cluster, not even KBENCH_HOME.
[ ! -d "$KBENCH_HOME/pg" ] || fail "a dry run made a database"
[ ! -e "$KBENCH_HOME" ] || fail "a dry run wrote to $KBENCH_HOME"
echo "62-try-dry-run: ok"
