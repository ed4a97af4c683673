# kbench-bulk on a synthetic package list: dependency order under -j 2,
# a failing package with its log tail, its dependants skipped (also
# transitively), the rest built, staged tools visible to dependants only
# (PATH, and CPPFLAGS, LDFLAGS, PKG_CONFIG_PATH naming their prefixes),
# valid JSON lines, longest-first with a timings file, per-package
# timeout, and refusal of bad lists.
. "$(dirname "$0")/../lib.sh"

BULK=$T/kbench-bulk
cc -std=c99 -Wall -Wextra -pedantic -Werror -O2 -o "$BULK" \
    "$ROOT/workers/bulk/kbench-bulk.c" || fail "kbench-bulk does not build"

S=$T/src
mkdir -p "$S"
# mkpkg NAME MAKEFILE-BODY: a source tree holding just a Makefile.
mkpkg() {
	mkdir -p "$S/$1"
	printf '%s\n' "$2" >"$S/$1/Makefile"
}
TAB=$(printf '\t')
mkpkg base "all:
${TAB}sleep 1
${TAB}mkdir -p \$(KBENCH_PREFIX)/bin
${TAB}printf '#!/bin/sh\necho base-tool-ran\n' >\$(KBENCH_PREFIX)/bin/base-tool
${TAB}chmod +x \$(KBENCH_PREFIX)/bin/base-tool"
mkpkg useit "all:
${TAB}base-tool >out.txt
${TAB}grep base-tool-ran out.txt
${TAB}echo \"\$\$CPPFLAGS|\$\$LDFLAGS|\$\$PKG_CONFIG_PATH|\$\$ACLOCAL_PATH|\$\$CMAKE_PREFIX_PATH\" | grep -q 'base/include.*|.*base/lib -Wl,-rpath,.*base/lib|.*base/lib/pkgconfig|.*base/share/aclocal|.*base'"
mkpkg broken "all:
${TAB}@echo line-before-failure
${TAB}@echo deliberate failure 7 >&2
${TAB}exit 3"
mkpkg afterbroken "all:
${TAB}touch built"
mkpkg chain "all:
${TAB}touch built"
mkpkg indep "all:
${TAB}sleep 1
${TAB}command -v base-tool && exit 1 || true
${TAB}touch built"
# The pristine tree must stay pristine: builds happen in copies.
echo pristine >"$S/base/marker"

cat >"$T/list" <<'EOF'
# synthetic bulk: name, deps, custom command
base                                     -- make
useit     deps=base                      -- make
broken                                   -- make
afterbroken deps=broken                  -- make
chain     deps=afterbroken,base dir=chain -- make
indep                                    -- make
EOF

W=$T/work
OUTF=$T/pkgs-1.jsonl
expect_status 1 "$BULK" -j 2 -m 1 -S "$S" -w "$W/b" -p "$W/stage" \
    -l "$W/logs" -o "$OUTF" "$T/list"
contains "$OUT" "3 ok, 1 failed, 2 skipped"
[ "$(wc -l <"$OUTF" | tr -d ' ')" = 6 ] || fail "expected 6 lines:
$(cat "$OUTF")"

# field LINE KEY: a number or string value out of one JSON line.
field() {
	printf '%s\n' "$1" | sed -n "s/.*\"$2\":\"\{0,1\}\([^\",}]*\).*/\1/p"
}
line() { grep "\"pkg\":\"$1\"" "$OUTF"; }
for p in base useit indep; do
	[ "$(field "$(line $p)" status)" = ok ] || fail "$p not ok: $(line $p)"
	[ "$(field "$(line $p)" exit)" = 0 ] || fail "$p exit"
done
b=$(line broken)
[ "$(field "$b" status)" = failed ] || fail "broken: $b"
# make reports the recipe's failure as its own exit 2.
[ "$(field "$b" exit)" = 2 ] || fail "broken exit: $b"
contains "$b" "deliberate failure 7"
contains "$b" "line-before-failure"
a=$(line afterbroken)
[ "$(field "$a" status)" = skipped ] || fail "afterbroken: $a"
[ "$(field "$a" exit)" = -1 ] || fail "afterbroken exit: $a"
contains "$a" "dependency broken failed"
contains "$(line chain)" "dependency afterbroken was skipped"
[ -f "$W/logs/broken.log" ] || fail "no log kept for broken"
[ -f "$W/b/indep/built" ] || fail "indep did not build in its work dir"
[ ! -e "$S/indep/built" ] || fail "build wrote into the pristine tree"
[ -f "$W/b/base/marker" ] || fail "source not copied"

# Order: useit started only after base finished (base sleeps 1 s).
usec() {	# ISO 8601 UTC with microseconds -> microseconds of the day
	printf '%s\n' "$1" | awk -F'[T:.Z]' \
	    '{ printf "%.0f\n", (($2 * 60 + $3) * 60 + $4) * 1e6 + $5 }'
}
bs=$(usec "$(field "$(line base)" start)")
br=$(field "$(line base)" real_us)
us=$(usec "$(field "$(line useit)" start)")
[ "$br" -ge 1000000 ] || fail "base real_us $br < 1 s"
[ "$us" -ge $((bs + br)) ] || fail "useit started at $us, before base \
finished at $((bs + br))"
# -j 2: indep ran alongside base, not after it.
is=$(usec "$(field "$(line indep)" start)")
[ "$is" -lt $((bs + br)) ] || fail "indep waited for base under -j 2"

# Every line is valid JSON with exactly the documented keys.
if command -v python3 >/dev/null 2>&1; then
	python3 - "$OUTF" <<'EOF' || fail "invalid JSON lines"
import json, sys
keys = {"pkg", "status", "exit", "real_us", "user_us", "sys_us", "start",
        "log_tail"}
for l in open(sys.argv[1]):
    o = json.loads(l)
    assert set(o) == keys, o
    assert o["status"] in ("ok", "failed", "skipped"), o
    for k in ("exit", "real_us", "user_us", "sys_us"):
        assert isinstance(o[k], int), o
EOF
fi

# Longest first: with -j 1 and a timings file naming indep as the long
# one, indep starts first although it is listed last.
# (Unknown packages weigh the average of the known ones, so name all.)
printf 'indep 100\nbase 1\nuseit 1\nbroken 1\nafterbroken 1\nchain 1\n' \
    >"$T/timings"
expect_status 1 "$BULK" -j 1 -S "$S" -w "$W/b2" -p "$W/stage2" \
    -t "$T/timings" -o "$T/order.jsonl" "$T/list"
first=$(printf '%s\n' "$OUT" | sed -n 's/.*start *\([a-z]*\).*/\1/p' | head -1)
[ "$first" = indep ] || fail "expected indep first, got $first:
$OUT"
# -U rewrites the timings with this run's figures.
expect_status 1 "$BULK" -j 2 -U -S "$S" -w "$W/b3" -p "$W/stage3" \
    -t "$T/timings" -o "$T/u.jsonl" "$T/list"
grep -q '^base 1\.' "$T/timings" || fail "timings not updated: \
$(cat "$T/timings")"

# The default output: $KBENCH_RESULTS_DIR/pkgs-$KBENCH_REP.jsonl.
mkdir -p "$T/res"
printf 'indep -- make\n' >"$T/one"
expect_status 0 env KBENCH_RESULTS_DIR="$T/res" KBENCH_REP=2 "$BULK" -S "$S" \
    -w "$W/b4" -p "$W/stage4" "$T/one"
[ -s "$T/res/pkgs-2.jsonl" ] || fail "no default output file"

# A package past its timeout is killed with its whole process group.
mkpkg slow "all:
${TAB}sleep 30 & echo \$\$! >$T/slow.pid; wait"
printf 'slow -- make\n' >"$T/slow"
start=$(date +%s)
expect_status 1 "$BULK" -T 1 -S "$S" -w "$W/b5" -p "$W/stage5" \
    -o "$T/slow.jsonl" "$T/slow"
[ $(($(date +%s) - start)) -lt 15 ] || fail "timeout did not stop slow"
contains "$(cat "$T/slow.jsonl")" "timed out"
# (Its orphaned child is reaped by init, which may take a moment.)
i=0
while kill -0 "$(cat "$T/slow.pid")" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 10 ] || fail "slow's background child survived the timeout"
	sleep 1
done

# SIGTERM (what kbench-agent sends on its timeout) takes the builds down
# within a second, before the agent's SIGKILL, and still records them.
"$BULK" -S "$S" -w "$W/b6" -p "$W/stage6" -o "$T/term.jsonl" "$T/slow" \
    2>"$T/term.err" &
bpid=$!
sleep 1
start=$(date +%s)
kill -TERM "$bpid"
set +e
wait "$bpid"
st=$?
set -e
[ "$st" -eq 143 ] || fail "kbench-bulk exited $st on SIGTERM, expected 143"
[ $(($(date +%s) - start)) -le 2 ] || fail "SIGTERM took too long"
contains "$(cat "$T/term.jsonl")" '"status":"failed"'
i=0
while kill -0 "$(cat "$T/slow.pid")" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 10 ] || fail "a build survived SIGTERM of kbench-bulk"
	sleep 1
done

# The default recipe (no command on the line) builds with what the
# tree ships: its configure, else CMake, else Meson, else a bare
# Makefile with PREFIX; each must end up installed in its own prefix.
D=$T/dsrc
mkdir -p "$D/withconf" "$D/withcmake" "$D/withmeson" "$D/bare"
cat >"$D/withconf/configure" <<'EOF'
#!/bin/sh
p=${1#--prefix=}
printf 'all:\n\ttrue\ninstall:\n\tmkdir -p %s\n\ttouch %s/by-configure\n' \
    "$p" "$p" >Makefile
EOF
chmod +x "$D/withconf/configure"
printf 'cmake_minimum_required(VERSION 3.13)\nproject(t NONE)\n%s\n' \
    'install(FILES CMakeLists.txt DESTINATION share RENAME by-cmake)' \
    >"$D/withcmake/CMakeLists.txt"
printf "project('t', [])\ninstall_data('meson.build', %s)\n" \
    "rename: 'by-meson', install_dir: 'share'" >"$D/withmeson/meson.build"
printf 'all:\n\ttrue\ninstall:\n\tmkdir -p $(PREFIX)/share\n\ttouch $(PREFIX)/share/by-make\n' \
    >"$D/bare/Makefile"
printf 'withconf\nwithcmake\nwithmeson\nbare\n' >"$T/default.list"
expect_status 0 "$BULK" -j 2 -m 1 -S "$D" -w "$W/d" -p "$W/dstage" \
    -l "$W/dlogs" -o "$W/d.jsonl" "$T/default.list"
for f in withconf/by-configure withcmake/share/by-cmake \
    withmeson/share/by-meson bare/share/by-make; do
	[ -f "$W/dstage/$f" ] || fail "default recipe: no $f in the prefix:
$(cat "$W/dlogs"/* 2>/dev/null | tail -n 20)"
done

# Bad lists are refused before anything builds.
printf 'a deps=b -- true\nb deps=a -- true\n' >"$T/cycle"
expect_status 2 "$BULK" -S "$S" -w "$W/x" -p "$W/x" "$T/cycle"
contains "$OUT" "cycle"
printf 'a deps=nosuch -- true\n' >"$T/unknown"
expect_status 2 "$BULK" -S "$S" -w "$W/x" -p "$W/x" "$T/unknown"
contains "$OUT" "unknown dependency nosuch"
printf 'a colour=red\n' >"$T/field"
expect_status 2 "$BULK" -S "$S" -w "$W/x" -p "$W/x" "$T/field"
contains "$OUT" "unknown field"
printf 'a\na\n' >"$T/twice"
expect_status 2 "$BULK" -S "$S" -w "$W/x" -p "$W/x" "$T/twice"
contains "$OUT" "listed twice"
# The fetch (workers/fetch/ports.sh) with a source that cannot be had:
# the others are unpacked, the missing one is named and listed in
# .missing, and kbench-bulk records it failed and skips its dependant.
# The cache holds one package (a .dsc and its tarball), as apt-get
# source would leave it; the other is on no mirror.
C=$T/cache/src
mkdir -p "$C" "$T/fake/fakepkg-1.0"
printf 'all:\n\ttrue\n' >"$T/fake/fakepkg-1.0/Makefile"
tar -czf "$C/fakepkg_1.0.orig.tar.gz" -C "$T/fake" fakepkg-1.0
printf 'Format: 3.0 (quilt)\nSource: fakepkg\nVersion: 1.0-1\nFiles:\n %s\n' \
    '00000000000000000000000000000000 1 fakepkg_1.0.orig.tar.gz' \
    >"$C/fakepkg_1.0-1.dsc"
printf '%s\n' 'fakepkg version=1.0-1 -- make' \
    'kbench-no-such-source version=1.0-1 -- make' \
    'needsit deps=kbench-no-such-source version=1.0-1 -- make' \
    >"$T/fetch.list"
FH=$T/fetchhome
expect_status 0 env KBENCH_HOME="$FH" KBENCH_SRC="$FH/src" \
    KBENCH_CACHE="$T/cache" sh "$ROOT/workers/fetch/ports.sh" "$T/fetch.list"
contains "$OUT" \
    "2 of 3 packages have no source here: kbench-no-such-source needsit"
[ -f "$FH/src/ports/fakepkg/Makefile" ] || fail "fakepkg not unpacked"
[ "$(tr '\n' ' ' <"$FH/src/ports/.missing")" = \
    "kbench-no-such-source needsit " ] ||
    fail ".missing: $(cat "$FH/src/ports/.missing")"
expect_status 1 "$FH/bin/kbench-bulk" -S "$FH/src/ports" -w "$W/f" \
    -p "$W/fp" -l "$W/fl" -o "$W/f.jsonl" "$T/fetch.list"
grep -q '"pkg":"fakepkg".*"status":"ok"' "$W/f.jsonl" ||
    fail "fakepkg not built: $(cat "$W/f.jsonl")"
grep -q '"pkg":"kbench-no-such-source".*"status":"failed"' \
    "$W/f.jsonl" || fail "the missing source not failed: $(cat "$W/f.jsonl")"
grep -q '"pkg":"needsit".*"status":"skipped"' "$W/f.jsonl" ||
    fail "its dependant not skipped: $(cat "$W/f.jsonl")"
# A list none of whose sources can be had is an error.
printf 'kbench-no-such-source version=1.0-1\n' >"$T/none.list"
expect_status 1 env KBENCH_HOME="$FH" KBENCH_SRC="$FH/src" \
    KBENCH_CACHE="$T/cache" sh "$ROOT/workers/fetch/ports.sh" "$T/none.list"
contains "$OUT" "no package's source could be fetched"
echo "45-bulk: ok"
