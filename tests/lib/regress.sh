# shellcheck shell=bash
#
# regress.sh: helpers for tests/regress/*.test, sourced (never run).
#
# A regress test drives the real second-fcgi on a FastCGI unix socket in a
# temporary directory, with tests/lib/fcgiclient as the web server and a
# throwaway PostgreSQL from tests/lib/pgtmp.sh.  Nothing listens on TCP and
# nothing outside the temp directories is touched, so tests run in
# parallel.  What every shell test shares (temp dir, cleanup, db_start,
# worker_pids, hdr, check, expect_status, done_testing ...) is in
# tests/lib/common.sh, sourced from here.
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
#	FCGICLIENT		the client program
#	SOCK SUPERVISOR_PID	after server_start
#	STATUS BODY REQ_RC	after req (REQ_RC is fcgiclient's exit status)
# and by common.sh: top_srcdir top_builddir SECOND_FCGI T.
#
# Cleanup: stack_stop (called from common.sh's EXIT trap) stops the
# server; the database stops after it.
#
# Exit statuses follow automake: 0 pass, 1 fail, 77 skip, 99 hard error.

_lib_name=regress
TEST_LOGS=server.log
# shellcheck source=tests/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

FCGICLIENT=${FCGICLIENT:-$top_builddir/tests/lib/fcgiclient}
[ -x "$FCGICLIENT" ] || bail "$FCGICLIENT not built (run make)"
SOCK=

# stack_stop: stop the server, if it runs (common.sh's EXIT trap).
stack_stop() {
	if [ -n "$SUPERVISOR_PID" ] && kill -0 "$SUPERVISOR_PID" 2>/dev/null
	then
		server_stop
	fi
}

# server_start [ARGS...]: start second-fcgi as supervisor on $T/fcgi.sock
# with ${WORKERS:-1} workers, stdout and stderr appended to
# $T/server.log (supervisor_launch).  Waits up to 10 s for the socket and
# the workers; on failure prints the log and bails.
server_start() {
	SOCK=$T/fcgi.sock
	supervisor_launch "$SOCK" "$T/server.log" "${WORKERS:-1}" "$@"
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

# server_stop: SIGTERM the supervisor and wait for it (10 s, then
# SIGKILL).  Sets SERVER_EXIT to its exit status (or 137 after SIGKILL).
server_stop() {
	local pid=$SUPERVISOR_PID
	SERVER_EXIT=
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	if ! wait_until 10000 20 pid_gone "$pid"; then
		echo "# supervisor $pid ignored SIGTERM for 10 s; killing"
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	# shellcheck disable=SC2034 # read by the tests
	SERVER_EXIT=$?
	SUPERVISOR_PID=
	return 0
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
