# shellcheck shell=bash
#
# regress.sh: helpers for tests/regress/*.test, sourced (never run).
#
# A regress test drives the real second-fcgi on a FastCGI unix socket in a
# temporary directory, with tests/lib/fcgiclient as the web server and a
# throwaway PostgreSQL from tests/lib/pgtmp.sh.  Nothing listens on TCP and
# nothing outside the temp directories is touched, so tests run in
# parallel.
#
# Typical test:
#
#	. "$(dirname "$0")/../lib/regress.sh"
#	db_start			# pgtmp_start + pgtmp_migrate
#	WORKERS=1 server_start
#	req -u /api/livez
#	expect_status 200 "livez answers"
#	done_testing
#
# Variables set here:
#	top_srcdir top_builddir	from automake, else the repository root
#	FCGICLIENT SECOND_FCGI	the two programs
#	T			this test's temp dir (removed on exit)
#	SOCK SUPERVISOR_PID	after server_start
#	STATUS BODY REQ_RC	after req (REQ_RC is fcgiclient's exit status)
#
# Cleanup: sourcing this file chains regress_on_exit (stop the server,
# remove $T) onto the EXIT trap; pgtmp_start later chains pgtmp_stop after
# it.  So the server stops first and the database second (the workers hold
# database connections).  A test that sets its own EXIT trap must chain
# it the same way: trap "$(existing); mine" EXIT.
#
# Exit statuses follow automake: 0 pass, 1 fail, 77 skip, 99 hard error.

_regress_lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(cd "$_regress_lib/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
top_srcdir=$(cd "$top_srcdir" && pwd)
top_builddir=$(cd "$top_builddir" && pwd)
export top_srcdir top_builddir

FCGICLIENT=${FCGICLIENT:-$top_builddir/tests/lib/fcgiclient}
SECOND_FCGI=${SECOND_FCGI:-$top_builddir/src/second-fcgi}

# Counters for check and done_testing.
_regress_n=0
_regress_pass=0
_regress_fail=0
SUPERVISOR_PID=
SOCK=
STATUS=
BODY=
REQ_RC=

# bail MESSAGE: hard error (automake 99), cleanup still runs.
bail() {
	echo "Bail out! $*"
	exit 99
}

# skip_all MESSAGE: the whole test is skipped (automake 77).
skip_all() {
	echo "1..0 # SKIP $*"
	exit 77
}

for _regress_prog in "$FCGICLIENT" "$SECOND_FCGI"; do
	[ -x "$_regress_prog" ] || bail "$_regress_prog not built (run make)"
done

# The server's configuration comes from the environment too: start from
# a clean one so a developer's shell cannot change the results.
if [ -z "${REGRESS_KEEP_ENV:-}" ]; then
	for _regress_v in $(compgen -e); do
		case $_regress_v in
		SECOND_*|INTERNAL_API_TOKEN) unset "$_regress_v" ;;
		esac
	done
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/second-regress.XXXXXX") ||
	bail "mktemp failed"
export T

# regress_cleanup: stop the server (if any) and remove $T.  Idempotent.
regress_cleanup() {
	if [ -n "$SUPERVISOR_PID" ] && kill -0 "$SUPERVISOR_PID" 2>/dev/null
	then
		server_stop >/dev/null 2>&1
	fi
	if [ -n "${REGRESS_KEEP_TMP:-}" ]; then
		echo "# kept $T"
	elif [ -n "$T" ] && [ -d "$T" ]; then
		rm -rf "$T"
	fi
}

# regress_on_exit: our part of the EXIT trap.  It does not call exit, so
# the test's exit status stands and the traps chained after it run.
regress_on_exit() {
	regress_cleanup
}

# Install it once, after any EXIT trap already set.  pgtmp_start chains
# pgtmp_stop after it in the same way, which gives the order we need.
# shellcheck disable=SC2120 # set -- inside, no arguments taken
_regress_trap_chain() {
	eval "set -- $(trap -p EXIT)"	# trap -- 'COMMAND' EXIT
	# shellcheck disable=SC2064 # the old command is expanded on purpose
	trap "${3:+$3;} regress_on_exit" EXIT
}
_regress_trap_chain
# Turn the usual signals into a normal exit so the EXIT trap runs.
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# db_start: a throwaway PostgreSQL with the migrations applied
# (tests/lib/pgtmp.sh: exports PGHOST, SECOND_DATABASE_URL, ...).
db_start() {
	# shellcheck source=tests/lib/pgtmp.sh
	. "$top_srcdir/tests/lib/pgtmp.sh" || bail "cannot source pgtmp.sh"
	pgtmp_start || bail "pgtmp_start failed"
	pgtmp_migrate || bail "pgtmp_migrate failed"
}

# db_stop / db_restart: stop or start the same cluster (pgtmp).
db_stop() {
	pgtmp_stop_server || bail "pgtmp_stop_server failed"
}
db_restart() {
	pgtmp_start_server || bail "pgtmp_start_server failed"
}

# now_ms: milliseconds since the epoch.
now_ms() {
	local ns
	ns=$(date +%s%N)
	echo $((ns / 1000000))
}

# wait_until TIMEOUT_MS INTERVAL_MS COMMAND...: run COMMAND every
# INTERVAL_MS until it succeeds (status 0) or TIMEOUT_MS pass (status 1).
# COMMAND exiting 2 means "will never succeed": give up at once (status 1).
wait_until() {
	local timeout=$1 interval=$2 end rc
	shift 2
	end=$(($(now_ms) + timeout))
	while :; do
		"$@"
		rc=$?
		[ "$rc" -eq 0 ] && return 0
		[ "$rc" -eq 2 ] && return 1
		[ "$(now_ms)" -ge "$end" ] && return 1
		sleep "$(printf '%d.%03d' $((interval / 1000)) \
		    $((interval % 1000)))"
	done
}

# server_start [ARGS...]: start second-fcgi as supervisor on $T/fcgi.sock
# with ${WORKERS:-1} workers, stdout and stderr appended to
# $T/server.log.  Without -c in ARGS an empty config file is used, so the
# machine's /etc/second/second.conf cannot change the results.  Waits up
# to 10 s for the socket; on failure prints the log and bails.
server_start() {
	local a has_c=
	for a in "$@"; do
		[ "$a" = -c ] && has_c=1
	done
	if [ -z "$has_c" ]; then
		: >"$T/empty.conf"
		set -- -c "$T/empty.conf" "$@"
	fi
	SOCK=$T/fcgi.sock
	rm -f "$SOCK"
	"$SECOND_FCGI" --listen "unix:$SOCK" --workers "${WORKERS:-1}" "$@" \
	    </dev/null >>"$T/server.log" 2>&1 &
	SUPERVISOR_PID=$!
	if ! wait_until 10000 20 _server_ready; then
		echo "# server did not come up; log:"
		sed 's/^/#   /' "$T/server.log"
		if ! kill -0 "$SUPERVISOR_PID" 2>/dev/null; then
			wait "$SUPERVISOR_PID"
			echo "# server exited with status $?"
			SUPERVISOR_PID=
		fi
		bail "server_start failed"
	fi
	# The socket appears before the workers are forked: wait for them.
	if ! wait_until 10000 20 _workers_up "${WORKERS:-1}"; then
		echo "# workers did not start; log:"
		sed 's/^/#   /' "$T/server.log"
		bail "server_start failed"
	fi
}

# _server_ready: the socket exists (and the supervisor still runs).
_server_ready() {
	kill -0 "$SUPERVISOR_PID" 2>/dev/null || return 2
	[ -S "$SOCK" ]
}

# _workers_up N: exactly N worker processes exist.
_workers_up() {
	[ "$(worker_pids | wc -l)" -eq "$1" ]
}

# server_stop: SIGTERM the supervisor and wait for it (10 s, then
# SIGKILL).  Sets SERVER_EXIT to its exit status (or 137 after SIGKILL).
server_stop() {
	local pid=$SUPERVISOR_PID
	SERVER_EXIT=
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	if ! wait_until 10000 20 _gone "$pid"; then
		echo "# supervisor $pid ignored SIGTERM for 10 s; killing"
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	# shellcheck disable=SC2034 # read by the tests
	SERVER_EXIT=$?
	SUPERVISOR_PID=
	return 0
}

# _gone PID: PID has exited (a zombie counts as exited).
_gone() {
	local st
	st=$(ps -o stat= -p "$1" 2>/dev/null) || return 0
	case $st in
	Z*) return 0 ;;
	esac
	return 1
}

# worker_pids: the supervisor's children (the workers), one per line,
# sorted.  Zombies (dead, not yet reaped) are left out.
worker_pids() {
	local p
	[ -n "$SUPERVISOR_PID" ] || return 0
	for p in $(pgrep -P "$SUPERVISOR_PID"); do
		_gone "$p" || echo "$p"
	done | sort -n
}

# req FCGICLIENT-ARGS...: one request to $SOCK.  The raw response goes to
# $T/resp, its headers (CR removed) to $T/resp.hdr, its body to
# $T/resp.body, fcgiclient's stderr to $T/resp.err.  Sets REQ_RC,
# STATUS (the Status: header, 200 when absent, "none" when fcgiclient
# failed, "malformed" without a header/body separator) and BODY.
req() {
	local off
	"$FCGICLIENT" -s "$SOCK" "$@" >"$T/resp" 2>"$T/resp.err"
	REQ_RC=$?
	: >"$T/resp.hdr"
	: >"$T/resp.body"
	BODY=
	if [ "$REQ_RC" -ne 0 ]; then
		STATUS=none
		return 0
	fi
	# Byte offset just past the first empty line (LF or CRLF).
	off=$(LC_ALL=C awk '{ n += length($0) + 1 }
	    $0 == "" || $0 == "\r" { print n; exit }' "$T/resp")
	if [ -z "$off" ]; then
		tr -d '\r' <"$T/resp" >"$T/resp.hdr"
		STATUS=malformed
		return 0
	fi
	head -c "$off" "$T/resp" | tr -d '\r' | sed '/^$/d' >"$T/resp.hdr"
	tail -c "+$((off + 1))" "$T/resp" >"$T/resp.body"
	BODY=$(cat "$T/resp.body")
	STATUS=$(hdr Status | head -n 1 | cut -d ' ' -f 1)
	: "${STATUS:=200}"
	return 0
}

# hdr NAME: the value(s) of header NAME in the last response, one per
# line, name matched case-insensitively, surrounding blanks trimmed.
hdr() {
	LC_ALL=C awk -v n="$(printf '%s' "$1" | tr '[:upper:]' '[:lower:]')" '
	    $0 == "" { exit }
	    {
		i = index($0, ":")
		if (i > 1 && tolower(substr($0, 1, i - 1)) == n) {
			v = substr($0, i + 1)
			sub(/^[ \t]+/, "", v)
			sub(/[ \t]+$/, "", v)
			print v
		}
	    }' "$T/resp.hdr"
}

# json_str FIELD [JSON]: the value of the first "FIELD": "string" in JSON
# (default $BODY); a minimal extractor for flat error bodies, no escapes.
json_str() {
	printf '%s' "${2-$BODY}" | tr -d '\n' |
	    sed -n 's/.*"'"$1"'"[[:space:]]*:[[:space:]]*"\([^"\\]*\)".*/\1/p' |
	    head -n 1
}

# _diag: show the last response (for a failed check).
_diag() {
	echo "#   status: $STATUS (fcgiclient exit $REQ_RC)"
	[ -s "$T/resp.hdr" ] && sed 's/^/#   hdr: /' "$T/resp.hdr"
	[ -n "$BODY" ] && printf '#   body: %.400s\n' "$BODY"
	[ -s "$T/resp.err" ] && sed 's/^/#   stderr: /' "$T/resp.err" | head -n 5
	return 0
}

# _result OK DESC: record and print one result.
_result() {
	_regress_n=$((_regress_n + 1))
	if [ "$1" -eq 0 ]; then
		_regress_pass=$((_regress_pass + 1))
		echo "ok $_regress_n - $2"
	else
		_regress_fail=$((_regress_fail + 1))
		echo "not ok $_regress_n - $2"
	fi
}

# not COMMAND...: succeeds when COMMAND fails (for check).
not() {
	! "$@"
}

# check DESC COMMAND...: passes when COMMAND exits 0.
check() {
	local desc=$1 rc
	shift
	"$@"
	rc=$?
	_result "$rc" "$desc"
	[ "$rc" -eq 0 ] || echo "#   failed: $*"
	return "$rc"
}

# expect_status CODE DESC: the last response had status CODE.
expect_status() {
	local rc=0
	[ "$STATUS" = "$1" ] || rc=1
	_result "$rc" "$2 (status $1)"
	[ "$rc" -eq 0 ] || { echo "#   expected status $1"; _diag; }
	return "$rc"
}

# expect_json_error CODE DESC: the last response is JSON with
# "error": "CODE" and a "message" string.
expect_json_error() {
	local rc=0 got
	got=$(json_str error)
	[ "$got" = "$1" ] || rc=1
	case $(hdr Content-Type) in
	application/json*) ;;
	*) rc=1 ;;
	esac
	printf '%s' "$BODY" | grep -q '"message"[[:space:]]*:[[:space:]]*"' ||
		rc=1
	_result "$rc" "$2 (error $1)"
	[ "$rc" -eq 0 ] ||
		{ echo "#   expected a JSON error \"$1\" with a message"; _diag; }
	return "$rc"
}

# done_testing: summary as the last line; exit 1 if anything failed or
# nothing was checked, else 0.
done_testing() {
	if [ "$_regress_fail" -gt 0 ] && [ -s "$T/server.log" ]; then
		echo "# server log (last 40 lines):"
		tail -n 40 "$T/server.log" | sed 's/^/#   /'
	fi
	echo "1..$_regress_n"
	echo "$_regress_pass passed, $_regress_fail failed"
	[ "$_regress_n" -gt 0 ] && [ "$_regress_fail" -eq 0 ] && exit 0
	exit 1
}
