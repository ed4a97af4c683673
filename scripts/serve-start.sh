# serve-start.sh: sourced by the tests and benchmarks that run kbench
# serve.  serve_start KBENCH LOG [ARG...]: kbench serve on a free port
# of 127.0.0.1, in the background, its standard error into LOG; sets
# SPID (kill it when done) and URL (http://127.0.0.1:PORT), and
# returns 1, URL empty, when it has not said where it listens within
# 20 s.
serve_start() {
	_kb=$1
	_log=$2
	shift 2
	"$_kb" serve --listen 127.0.0.1:0 "$@" 2>"$_log" &
	SPID=$!
	for _i in $(seq 100); do
		grep -q listening "$_log" && break
		sleep 0.2
	done
	URL=$(sed -n 's/.*listening on \(http:[^ ]*\)\/.*/\1/p' "$_log")
	[ -n "$URL" ]
}
