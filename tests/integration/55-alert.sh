#!/bin/sh
# kbench alert: a +20% step at kernel 6 of an imported series (time -p
# logs, one kernel per revision) makes exactly one alert holding its
# change points (real and user); a flat series makes none; a second
# detect makes nothing new.  Triage (ack, note, invalid, accept) shows
# in the JSON with who and when; after accept, more kernels at the new
# level raise nothing and even --full starts at the accepted kernel.
# Delivery is real: the mail goes through Debian's exim4
# (/usr/sbin/sendmail -t) into a local mbox, subject and 72-column body
# checked; the webhook reaches a python3 listener, its HMAC-SHA256
# signature checked, the secret never printed.  A failed webhook is
# recorded and sent by the next detect, the mail not sent twice; an
# override threshold keeps an alert quiet.
. "$(dirname "$0")/../lib.sh"

# A worker name of this run's own, so that the shared mbox's other
# messages (an earlier or a parallel run) are never read as ours.
W=abox$$
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
	overrides = ( { worker = "quiet$W"; threshold = 50.0; } );
};
EOF

# kb WANT ARGS...: expect_status, its output kept for the secret check.
kb() {
	expect_status "$@"
	printf '%s\n' "$OUT" >>"$KLOG"
}

# time -p logs: 5 repetitions, ~0.5% noise, deterministic; real and
# user step by the factor from kernel $step on (0: no step).
gen() {	# seed kernel step factor (a seed per worker, workload, kernel)
	awk -v seed="$1" -v k="$2" -v step="$3" -v f="$4" 'BEGIN {
		srand(seed)
		m = (step > 0 && k >= step) ? f : 1
		for (i = 0; i < 5; i++) {
			u = (rand() + rand() - 1) * 0.01
			printf "real %.3f\nuser %.3f\nsys %.3f\n",
			    10 * m * (1 + u), 8 * m * (1 + u), 1 + u
		}
	}'
}
import_kernels() {	# worker workload from to step factor
	k=$3
	while [ "$k" -le "$4" ]; do
		# The seed leaves out this run's pid ($W): the same data on
		# every run, so the flat series is flat every time.
		seed=$(printf '%s' "${1%"$W"}$2" | cksum | cut -d' ' -f1)
		gen $((seed % 100000 * 100 + k)) "$k" "$5" "$6" >"$T/k.log"
		d=$(date -u -d "@$((1700000000 + k * 3600))" +%Y-%m-%dT%H:%M:%SZ)
		"$KBENCH" import --worker "$1" --workload "$2" --kernel "k$k" \
		    --revision "rev$k" --date "$d" "$T/k.log" >>"$KLOG" 2>&1 ||
		    fail "import of $1 $2 k$k failed"
		k=$((k + 1))
	done
}
json() {	# python expression over d (the JSON in $OUT) that must hold
	printf '%s' "$OUT" | python3 -c "import json, sys
d = json.load(sys.stdin)
assert ($1), d" || fail "JSON: $1"
}

import_kernels "$W" bench 1 12 6 1.2
import_kernels "$W" flat 1 12 0 1

# --- 1. one alert: its change points, sent by mail and webhook -------------
kb 0 "$KBENCH" detect --metric real,user
echo "$OUT"
contains "$OUT" "2 change points found, 1 new alert"
contains "$OUT" "$W flat real: 12 kernels analysed, 0 change points"
contains "$OUT" "alert #1: sent by mail and webhook"
kb 0 "$KBENCH" alert list --format json
json 'len(d) == 1 and d[0]["id"] == 1 and d[0]["state"] == "new"'
json 'd[0]["worker"] == "'$W'" and d[0]["kernel"] == "k6"'
json 'd[0]["prev_kernel"] == "k5" and d[0]["revision"] == "rev6"'
json 'd[0]["delivery"] == "sent" and d[0]["delivery_error"] is None'
json 'd[0]["confirmed"] is False and d[0]["culprit"] is None'
json 'sorted((c["workload"], c["metric"]) for c in d[0]["change_points"])
    == [("bench", "real"), ("bench", "user")]'
json 'all(15 < c["diff_pct"] < 25 and c["ci_low_pct"] > 10
    for c in d[0]["change_points"])'
kb 0 "$KBENCH" alert list
contains "$OUT" "#1 new $W at k6 (2 change points), sent"

# The mail, in the mbox by exim's local delivery.
i=0
while ! grep -q "^Subject: .*$W" "$MBOX" 2>/dev/null; do
	i=$((i + 1))
	[ $i -le 150 ] || fail "no mail in $MBOX after 30 s; exim says:
$(tail -n 5 /var/log/exim4/mainlog 2>/dev/null)"
	sleep 0.2
done
python3 - "$MBOX" "$W" >"$T/mail" <<'EOF' || fail "the mail: $(cat "$T/mail")"
import mailbox, sys
ours = [m for m in mailbox.mbox(sys.argv[1])
        if sys.argv[2] in (m["Subject"] or "")]
assert len(ours) == 1, "%d mails" % len(ours)
m = ours[0]
for h in ("From", "To", "Subject", "Date", "Message-ID"):
    assert m[h], "no " + h
print("Subject: " + m["Subject"])
print(m.get_payload(decode=True).decode())
EOF
cat "$T/mail"
contains "$(head -n 1 "$T/mail")" \
    "Subject: [kbench] regression: $W at k6: bench"
contains "$(head -n 1 "$T/mail")" "and more"
body=$(sed 1d "$T/mail")
contains "$body" "workload bench, metric real: +"
contains "$body" "workload bench, metric user: +"
echo "$body" | grep -Eq 'metric real: \+(1[5-9]|2[0-4])\.[0-9]{2}% \[\+' ||
    fail "no percent and interval for real in the body"
contains "$body" "kbench compare --worker $W --metric real \\
      --workload bench k5 k6"
contains "$body" "http://kbench.example.org/compare-"
contains "$body" "http://kbench.example.org/series-"
long=$(echo "$body" | awk 'length($0) > 72')
[ -z "$long" ] || fail "body lines over 72 columns:
$long"

# The webhook: one POST, its signature the HMAC of the body.
[ -f "$T/hook/0.body" ] || fail "no webhook call"
[ ! -f "$T/hook/1.body" ] || fail "two webhook calls"
python3 - "$T/hook/0.body" "$T/hook/0.headers" "$SECRET" <<'EOF' ||
import hashlib, hmac, json, sys
body = open(sys.argv[1], "rb").read()
heads = open(sys.argv[2]).read()
secret = sys.argv[3]
sig = [l.split(":", 1)[1].strip() for l in heads.splitlines()
       if l.lower().startswith("x-kbench-signature:")]
want = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
assert sig == [want], (sig, want)
assert secret not in heads and secret.encode() not in body
d = json.loads(body)
assert d["event"] == "alert" and d["alert"]["id"] == 1, d
assert len(d["alert"]["change_points"]) == 2, d
cp = d["alert"]["change_points"][0]
assert cp["compare_url"].startswith("http://kbench.example.org/compare-")
EOF
    fail "webhook body or signature"

# --- 2. again, nothing new: no alert, no mail, no call --------------------
kb 0 "$KBENCH" detect --metric real,user
contains "$OUT" "0 new alerts"
lacks "$OUT" "alert #"
kb 0 "$KBENCH" detect --full --metric real,user
contains "$OUT" "0 new alerts"
[ "$(sql "SELECT count(*) FROM alert")" = 1 ] || fail "a second alert"
[ ! -f "$T/hook/1.body" ] || fail "the webhook was called again"

# --- 3. triage: ack, note, invalid; who and when in the JSON --------------
kb 0 "$KBENCH" alert ack 1 --by alice
contains "$OUT" "alert #1: acknowledged by alice"
kb 0 "$KBENCH" alert note 1 "looks like the scheduler change" --by alice
kb 0 "$KBENCH" alert show 1 --format json
json 'd["state"] == "acknowledged" and d["state_by"] == "alice"'
json 'd["state_at"] and d["history"][0]["by"] == "alice"'
json 'd["notes"] == [{"author": "alice", "at": d["notes"][0]["at"],
    "text": "looks like the scheduler change"}]'
kb 0 env USER=carol "$KBENCH" alert invalid 1
kb 0 "$KBENCH" alert show 1 --format json
json 'd["state"] == "invalid" and d["state_by"] == "carol"'
json '[h["state"] for h in d["history"]] == ["acknowledged", "invalid"]'
json 'all(c["status"] == "false-alarm" for c in d["change_points"])'
kb 0 "$KBENCH" detect --list
contains "$OUT" "no open regression change points"
kb 0 "$KBENCH" alert show 1
contains "$OUT" "alert #1: invalid by carol"
contains "$OUT" "note by alice: looks like the scheduler change"
kb 1 "$KBENCH" alert ack 99
contains "$OUT" "no alert #99"
kb 2 "$KBENCH" alert frob 1
kb 2 "$KBENCH" alert list --state nonsense

# --- 4. accept: the new level is the baseline ------------------------------
kb 0 "$KBENCH" alert accept 1 --by bob
contains "$OUT" "alert #1: accepted by bob"
kb 0 "$KBENCH" alert list --format json
json 'd[0]["state"] == "accepted" and d[0]["state_by"] == "bob"'
import_kernels "$W" bench 13 15 6 1.2
kb 0 "$KBENCH" detect --metric real,user
echo "$OUT"
contains "$OUT" "0 change points found, 0 new alerts"
contains "$OUT" "$W bench real: 10 kernels analysed (since the accepted shift)"
# --full too: the analysis starts at the accepted kernel, not kernel 1.
kb 0 "$KBENCH" detect --full --metric real,user --workload bench
contains "$OUT" "$W bench real: 10 kernels analysed (since the accepted shift), 0 change points"
contains "$OUT" "0 new alerts"
[ "$(sql "SELECT count(*) FROM alert")" = 1 ] || fail "accept re-flagged"

# --- 5. a failed webhook: recorded, sent by the next detect ----------------
hook_stop
import_kernels "w2$W" bench 1 12 6 1.25
kb 0 "$KBENCH" detect --metric real
contains "$OUT" "1 new alert"
contains "$OUT" "alert #2: delivery failed, to be tried again by the next detect: webhook: connect to 127.0.0.1 port $PORT"
kb 0 "$KBENCH" alert list
contains "$OUT" "#2 new w2$W at k6 (1 change point), failed: webhook:"
hook_start "$PORT"
kb 0 "$KBENCH" detect --metric real
contains "$OUT" "0 new alerts"
contains "$OUT" "alert #2: sent by webhook"
[ -f "$T/hook/1.body" ] || fail "the retried webhook did not arrive"
kb 0 "$KBENCH" alert show 2 --format json
json 'd["delivery"] == "sent" and d["delivery_tries"] == 2'
json 'd["delivery_error"] is None and d["delivered_at"]'
# The mail went out with the first try, and only then.
i=0
while [ "$(grep -c "^Subject: .*w2$W" "$MBOX")" -lt 1 ]; do
	i=$((i + 1))
	[ $i -le 150 ] || fail "no mail for alert #2"
	sleep 0.2
done
sleep 1
[ "$(grep -c "^Subject: .*w2$W" "$MBOX")" = 1 ] ||
    fail "alert #2 mailed more than once"

# --- 6. under its override threshold: made, not sent -----------------------
import_kernels "quiet$W" bench 1 12 6 1.2
kb 0 "$KBENCH" detect --metric real
contains "$OUT" "1 new alert"
contains "$OUT" "not sent (below its threshold)"
kb 0 "$KBENCH" alert list --worker "quiet$W" --format json
json 'len(d) == 1 and d[0]["delivery"] == "quiet"'
[ ! -f "$T/hook/2.body" ] || fail "a quiet alert was sent"

# The secret was never printed.
lacks "$(cat "$KLOG")" "$SECRET"
echo ok
