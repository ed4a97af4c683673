#!/bin/sh
# kbench-test: retry 2
# kbench watch --repo: a 12-commit history of a small C program, commit
# 7 of which makes its loop 20% longer (user time, pinned, as in
# 51-bisect.sh).  One pass with --every 4 measures commits 1 (the
# baseline), 5, 9 and 12; the step shows at 9; before anyone is told,
# both sides (5 and 9) are measured again, interleaved, and the step
# bisected: the alert is confirmed, names commit 7, and goes out through
# a real MTA (exim4, into a local mbox) and a signed webhook.  A docs
# commit on top raises no new alert; ack and accept change the state;
# after accept, four more commits at the new level raise nothing.
. "$(dirname "$0")/../lib.sh"

W=wbox$$
. "$(dirname "$0")/mail.inc"
hook_start 0

export KBENCH_CONFIG=$T/kbench.conf
cat >"$KBENCH_CONFIG" <<EOF
serve: { url = "http://kbench.example.org/"; };
alert: {
	mail = [ "$MAILUSER@localhost" ];
	sendmail = "/usr/sbin/sendmail";
	webhook = { url = "http://127.0.0.1:$PORT/hook"; secret = "$SECRET"; };
	threshold = 5.0;
};
EOF
json() {	# python expression over d (the JSON in $OUT) that must hold
	printf '%s' "$OUT" | python3 -c "import json, sys
d = json.load(sys.stdin)
assert ($1), d" || fail "JSON: $1"
}

R=$T/repo
new_repo "$R"
N=300000000
commit() {	# number message: one hour apart, so commit order is clear
	d="@$((1700000000 + $1 * 3600)) +0000"
	GIT_COMMITTER_DATE=$d GIT_AUTHOR_DATE=$d git commit -q -am "$2"
}
write_loop $N "first"
echo "a loop" >README
git add .
commit 1 "commit 1: the loop"
docs() {	# from to: docs-only commits
	c=$1
	while [ "$c" -le "$2" ]; do
		echo "doc line $c" >>README
		commit "$c" "commit $c: docs"
		c=$((c + 1))
	done
}
docs 2 6
N=$((N + N / 5))
write_loop $N "more"
commit 7 "commit 7: 20 per cent more work"
CULPRIT=$(git rev-parse HEAD)
docs 8 12
cd "$T"

watch() {
	expect_status 0 "$KBENCH" watch --repo "$R" --every 4 --once \
	    --workload "loop$W" --build "cc -O1 -o loop loop.c" \
	    --metric user -n 5 -- $PIN ./loop
	echo "$OUT"
}

# --- 1. the batches measured, one confirmed alert, bisected, sent ----------
watch
contains "$OUT" "12 new commits"
contains "$OUT" "first bad commit: $CULPRIT commit 7"
contains "$OUT" "4 commits measured"
contains "$OUT" "1 regression found, 1 alert sent"
[ "$(sql "SELECT count(*) FROM kernel WHERE commit_date IS NOT NULL")" = 4 ] ||
    fail "not 4 measured commits in the series"
expect_status 0 "$KBENCH" alert list --format json
json 'len(d) == 1 and d[0]["confirmed"] is True'
json 'd[0]["culprit"].startswith("'"$CULPRIT"' commit 7")'
json 'd[0]["delivery"] == "sent" and d[0]["bisection"] is not None'
json 'd[0]["change_points"][0]["metric"] == "user"'
json '8 < d[0]["change_points"][0]["diff_pct"] < 35'
AID=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')

i=0
while ! grep -q "^Subject: .*loop$W" "$MBOX" 2>/dev/null; do
	i=$((i + 1))
	[ $i -le 150 ] || fail "no mail in $MBOX after 30 s"
	sleep 0.2
done
python3 - "$MBOX" "$W" >"$T/mail" <<'EOF' || fail "the mail: $(cat "$T/mail")"
import mailbox, sys
ours = [m for m in mailbox.mbox(sys.argv[1])
        if sys.argv[2] in (m["Subject"] or "")]
assert len(ours) == 1, "%d mails" % len(ours)
print(ours[0].get_payload(decode=True).decode())
EOF
cat "$T/mail"
contains "$(cat "$T/mail")" "First bad commit: $CULPRIT commit 7"
contains "$(cat "$T/mail")" "Confirmation: confirmed"
long=$(awk 'length($0) > 72' "$T/mail")
[ -z "$long" ] || fail "mail lines over 72 columns: $long"
[ -f "$T/hook/0.body" ] || fail "no webhook call"
python3 - "$T/hook/0.body" "$CULPRIT" <<'EOF' || fail "webhook body"
import json, sys
d = json.load(open(sys.argv[1]))["alert"]
assert d["confirmed"] is True and d["culprit"].startswith(sys.argv[2]), d
EOF

# --- 2. a commit with no slowdown: nothing new ------------------------------
cd "$R"
docs 13 13
cd "$T"
watch
contains "$OUT" "1 new commit "
contains "$OUT" "1 commit measured"
contains "$OUT" "0 regressions found"
[ "$(sql "SELECT count(*) FROM alert")" = 1 ] || fail "a new alert"

# --- 3. triage: ack, then accept; more commits at the new level ------------
expect_status 0 "$KBENCH" alert ack "$AID" --by tester
expect_status 0 "$KBENCH" alert show "$AID" --format json
json 'd["state"] == "acknowledged" and d["state_by"] == "tester"'
expect_status 0 "$KBENCH" alert accept "$AID" --by tester
expect_status 0 "$KBENCH" alert show "$AID" --format json
json 'd["state"] == "accepted"'
cd "$R"
docs 14 17
cd "$T"
watch
contains "$OUT" "4 new commits"
contains "$OUT" "0 regressions found"
[ "$(sql "SELECT count(*) FROM alert")" = 1 ] || fail "a new alert"
[ ! -f "$T/hook/1.body" ] || fail "a second webhook call"
[ "$(cd "$R" && git worktree list | wc -l)" = 1 ] ||
    fail "worktrees left behind: $(cd "$R" && git worktree list)"
echo "PASS"
