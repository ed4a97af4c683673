#!/bin/sh
# The command line a newcomer meets (issue 21): one wording and a
# did-you-mean for unknown commands, subcommands and metrics, without
# the whole usage; usage strings that list what each dispatch takes;
# help pointing only to pages that exist; errors that list the valid
# choices (workloads, kernels, workers, the option import misses);
# import --arch kept on the worker and found by plot overview --arch;
# db status's version; the plots' key, the metric honoured, history's
# x label without commits; run's progress from rep 1 and its short
# default kernel label; -c only as the confidence level.
. "$(dirname "$0")/../lib.sh"

B=$DATA/riscv64-libc-base.txt
C=$DATA/riscv64-libc-canpersist.txt

# --- 1. unknown words: one wording, a suggestion, the choices, no usage --
unknown() {	# status word suggestion [cmd...]
	want=$1 word=$2 sugg=$3
	shift 3
	expect_status "$want" "$KBENCH" "$@"
	contains "$OUT" "unknown $word"
	[ -z "$sugg" ] || contains "$OUT" "did you mean '$sugg'?"
	lacks "$OUT" "usage:"
	[ "$(printf '%s\n' "$OUT" | wc -l)" -le 2 ] ||
	    fail "'$*' printed more than two lines: $OUT"
}
unknown 2 "command 'comapre'" compare comapre
contains "$OUT" "kbench: the commands are: alert, annotate, compare,"
unknown 2 "command 'xyzzy'" "" xyzzy
lacks "$OUT" "did you mean"
unknown 2 "command 'comapre'" compare help comapre
unknown 2 "subcommand 'statsu'" status db statsu
unknown 2 "subcommand 'lsit'" list alert lsit
unknown 2 "subcommand 'lsit'" list kernel lsit
unknown 2 "subcommand 'bot'" boot worker bot
unknown 2 "plot 'histroy'" history plot --out "$T/x.svg" histroy
unknown 2 "subcommand 'lgo'" log bisect lgo
expect_status 2 "$KBENCH" -x
contains "$OUT" "unknown option -x; before the command: -q, --help"
lacks "$OUT" "usage:"
for c in "compare --metric sus $B $C" "plot --metric sus --out x history" \
    "run --metric sus --variant a=true --variant b=true --until-verdict" \
    "detect --metric real,sus" "bisect --metric sus" "try --metric sus x"; do
	# shellcheck disable=SC2086
	unknown 2 "metric 'sus'" sys $c
	contains "$OUT" "the metrics are: real, user, sys, maxrss, minflt,"
done

# --- 2. each dispatch's subcommands are in its usage -------------------
for c in db alert kernel worker plot; do
	case $c in plot) a="--out $T/x.svg zzzz" ;; *) a=zzzz ;; esac
	# shellcheck disable=SC2086
	expect_status 2 "$KBENCH" $c $a
	subs=$(printf '%s\n' "$OUT" | sed -n 's/.*: the [a-z]*s are: //p' |
	    tr -d ,)
	[ -n "$subs" ] || fail "$c: no list of subcommands: $OUT"
	expect_status 0 "$KBENCH" $c --help
	for s in $subs; do
		printf '%s\n' "$OUT" | grep -qE "(kbench $c|[|])[^a-z]*(.*[ |])?$s([ |]|\$)" ||
		    fail "kbench $c --help lacks $s: $OUT"
	done
done
expect_status 0 "$KBENCH" db --help
contains "$OUT" "replay"

# --- 3. help points to pages that exist --------------------------------
expect_status 0 "$KBENCH" help
cmds=$(printf '%s\n' "$OUT" | sed -n 's/^  \([a-z]*\) .*/\1/p')
[ "$(echo "$cmds" | wc -w)" -ge 16 ] || fail "help lists: $cmds"
for c in $cmds; do
	expect_status 0 "$KBENCH" help "$c"
	page=$(printf '%s\n' "$OUT" | sed -n 's/.*(man \(docs\/man\/[a-z-]*\.1\)).*/\1/p')
	[ -n "$page" ] && [ -f "$ROOT/$page" ] ||
	    fail "help $c points to '$page', which does not exist: $OUT"
done
expect_status 0 "$KBENCH" help help
contains "$OUT" "See kbench(1)"
expect_status 0 "$KBENCH" help version
contains "$OUT" "See kbench(1)"

# --- 4. -c is the confidence level only --------------------------------
expect_status 0 "$KBENCH" compare -c 90 "$B" "$C"
contains "$OUT" "at 90.0% confidence"
expect_status 2 "$KBENCH" detect -c "$T/none.conf"
expect_status 2 "$KBENCH" alert list -c "$T/none.conf"

# --- 5. errors that list the valid choices -----------------------------
export KBENCH_CONFIG="$ROOT/configs/kbench.conf"
expect_status 1 "$KBENCH" run --workload libcc -n 1
contains "$OUT" "no workload libcc"
contains "$OUT" "did you mean 'libc'?"
contains "$OUT" "the workloads are: "
contains "$OUT" "ports"
expect_status 2 "$KBENCH" import --worker rv --workload libc "$B"
contains "$OUT" "missing --kernel (it is required)"
lacks "$OUT" "--worker and"
expect_status 2 "$KBENCH" import --workload libc "$B"
contains "$OUT" "missing --kernel --worker (each is required)"

# --- 6. import --arch: stored, kept, found -----------------------------
# A worker named after an arch gets it; another takes --arch; one first
# stored without it learns it later, and a known arch is kept.
"$KBENCH" import --worker riscv64 --workload libc --kernel base "$B" >/dev/null
"$KBENCH" import --worker riscv64 --workload libc --kernel cp "$C" >/dev/null
"$KBENCH" import --force --worker board --arch riscv64 --os openbsd \
    --workload libc --kernel base "$B" >/dev/null
"$KBENCH" import --force --worker late --workload libc --kernel base \
    "$B" >/dev/null
"$KBENCH" import --force --worker late --arch riscv64 --workload libc \
    --kernel cp "$C" >/dev/null
"$KBENCH" import --force --worker late --arch arm64 --workload libc \
    --kernel cp2 "$C" >/dev/null
got=$(sql "SELECT string_agg(name || '=' || coalesce(arch, '?') || '/' ||
    coalesce(os, '?'), ' ' ORDER BY name) FROM worker")
[ "$got" = "board=riscv64/openbsd late=riscv64/? riscv64=riscv64/?" ] ||
    fail "worker arches: $got"
expect_status 0 "$KBENCH" plot --out "$T/ov.svg" overview --arch riscv64 \
    --workload libc
grep -q '<svg' "$T/ov.svg" || fail "overview --arch riscv64 drew nothing"
expect_status 2 "$KBENCH" import --worker w --arch 'x y' --workload l \
    --kernel k "$B"
contains "$OUT" "--arch x y: expected an architecture name"

# Unknown kernel, workload and worker: the ones that have samples.
expect_status 1 "$KBENCH" compare --worker riscv64 --workload libc base nosuch
contains "$OUT" "kernels with samples on worker riscv64, workload libc, newest first: cp, base"
expect_status 1 "$KBENCH" compare --worker riscv64 --workload nosuch base cp
contains "$OUT" "its workloads: libc"
expect_status 1 "$KBENCH" report --worker nosuch --workload libc base cp
contains "$OUT" "workers with samples: late, board, riscv64"
expect_status 1 "$KBENCH" plot --out "$T/x.svg" history --worker riscv64 \
    --workload nosuch
contains "$OUT" "its workloads: libc"

# --- 7. db status: the server's version as people write it -------------
expect_status 0 "$KBENCH" db status
printf '%s\n' "$OUT" | grep -qE '^server: running, PostgreSQL [0-9]+\.[0-9]+$' ||
    fail "db status version: $OUT"

# --- 8. plots: the key, the metric, the x label ------------------------
expect_status 0 "$KBENCH" plot --format svg --out "$T/real.svg" compare \
    --worker riscv64 --workload libc base cp
expect_status 0 "$KBENCH" plot --format svg --metric sys --out "$T/sys.svg" \
    compare --worker riscv64 --workload libc base cp
for f in real sys; do
	grep -q '>median<' "$T/$f.svg" || fail "$f.svg: no key for the median"
	grep -q '>mean +/- 1 sd<' "$T/$f.svg" ||
	    fail "$f.svg: no key for the whisker"
done
grep -q '>sys<' "$T/sys.svg" || fail "sys.svg has no sys panel"
! grep -q '>real<' "$T/sys.svg" || fail "--metric sys still draws real"
! cmp -s "$T/real.svg" "$T/sys.svg" || fail "sys and real plots are the same"
expect_status 0 "$KBENCH" plot --format svg --out "$T/h.svg" history \
    --worker riscv64 --workload libc
grep -q 'no commit dates' "$T/h.svg" || fail "history's x label: $(grep -o 'kernel ([^<]*' "$T/h.svg")"
! grep -q 'kernel (commit order)' "$T/h.svg" || fail "history says commit order"

# --- 9. run: progress from rep 1, the short default label --------------
expect_status 0 "$KBENCH" run --worker local -n 2 -w 1 -- true
contains "$OUT" "warm-up 1/1"
contains "$OUT" "rep 1/2"
contains "$OUT" "rep 2/2"
lacks "$OUT" "rep 3/"
[ "$(sql "SELECT k.label FROM kernel k JOIN run r ON r.kernel_id = k.id
    JOIN worker w ON w.id = r.worker_id WHERE w.name = 'local'")" = \
    "$(uname -sr)" ] || fail "default kernel label is not uname -sr"

# --- 10. README's import-and-compare path, as written ------------------
# Its own home, so that it starts the way a newcomer's does.
"$KBENCH" db stop >/dev/null
export KBENCH_HOME=$T/readme
sed -n '/^## Compare the time(1) logs/,/^## /p' "$ROOT/README.md" |
    sed -n 's/^    //p' | grep -v '^make' |
    sed "s|bin/kbench|\"$KBENCH\"|; s|tests/data/|$DATA/|g" >"$T/readme.sh"
grep -q 'db stop' "$T/readme.sh" || fail "README does not stop the database"
[ "$(grep -c '"'"$KBENCH"'"' "$T/readme.sh")" -ge 5 ] ||
    fail "README's path: $(cat "$T/readme.sh")"
(cd "$T" && sh -e "$T/readme.sh") >"$T/readme.out" 2>&1 ||
    fail "README's commands failed: $(cat "$T/readme.out")"
grep -qE '^  real +regression +\+16\.21%' "$T/readme.out" ||
    fail "README's compare: $(cat "$T/readme.out")"
[ -s "$T/cmp.svg" ] || fail "README's plot wrote nothing"
expect_status 1 "$KBENCH" db status
contains "$OUT" "server: not running"
echo ok
