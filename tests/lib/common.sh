# shellcheck shell=bash
#
# common.sh: what every shell test shares, sourced (never run) by
# tests/lib/regress.sh and tests/e2e/lib.sh, which add their own way of
# starting the server and sending requests.
#
# Sourcing it:
#	- sets top_srcdir, top_builddir (from automake, else the repository
#	  root) and SECOND_FCGI, and bails if that is not built;
#	- removes SECOND_* and INTERNAL_API_TOKEN from the environment (but
#	  SECOND_FCGI and SECOND_ADMIN, the programs under test), so that a
#	  developer's shell cannot change the results; REGRESS_KEEP_ENV=1
#	  keeps them;
#	- makes this test's temp dir $T (mode 755: nginx's workers, www-data
#	  when we are root, reach sockets in it), short enough for unix
#	  socket paths;
#	- chains test_on_exit onto the EXIT trap: stack_stop (which the
#	  sourcing library defines: stop its servers), then remove $T
#	  (REGRESS_KEEP_TMP=1 or E2E_KEEP_TMP=1 keep it).  pgtmp_start chains
#	  pgtmp_stop after it, so the database stops last (the workers hold
#	  connections).  A test that sets its own EXIT trap must chain it
#	  the same way: trap "$(existing); mine" EXIT.
#
# The sourcing library sets, before sourcing: _lib_name (regress, e2e;
# the temp dir's name) and TEST_LOGS (files under $T that done_testing
# shows when a check failed).
#
# Results are TAP lines (check, expect_status, expect_json_error), the
# plan and a summary last (done_testing).  Exit statuses follow automake:
# 0 pass, 1 fail, 77 skip, 99 hard error.

_common_lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib/stack.sh
. "$_common_lib/stack.sh"

: "${top_srcdir:=$(cd "$_common_lib/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
top_srcdir=$(cd "$top_srcdir" && pwd)
top_builddir=$(cd "$top_builddir" && pwd)
export top_srcdir top_builddir

SECOND_FCGI=${SECOND_FCGI:-$top_builddir/src/second-fcgi}

# Counters for _result and done_testing.
_tap_n=0
_tap_pass=0
_tap_fail=0
SUPERVISOR_PID=
STATUS=
BODY=
REQ_RC=
T=

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

[ -x "$SECOND_FCGI" ] || bail "$SECOND_FCGI not built (run make)"

if [ -z "${REGRESS_KEEP_ENV:-}" ]; then
	for _common_v in $(compgen -e); do
		case $_common_v in
		SECOND_FCGI|SECOND_ADMIN) ;;	# the programs, not configuration
		SECOND_*|INTERNAL_API_TOKEN) unset "$_common_v" ;;
		esac
	done
fi

# Unix socket paths are limited to 107 bytes: keep $T short.
_common_base=${TMPDIR:-/tmp}
[ ${#_common_base} -le 40 ] || _common_base=/tmp
T=$(mktemp -d "$_common_base/second-${_lib_name:-test}.XXXXXX") ||
	bail "mktemp failed"
chmod 755 "$T"
export T

# test_on_exit: our part of the EXIT trap.  It does not call exit, so the
# test's exit status stands and the traps chained after it run.
test_on_exit() {
	stack_stop >/dev/null 2>&1
	if [ -n "${REGRESS_KEEP_TMP:-}${E2E_KEEP_TMP:-}" ]; then
		echo "# kept $T"
	elif [ -n "$T" ] && [ -d "$T" ]; then
		rm -rf "$T"
	fi
}
trap_exit_add test_on_exit
# Turn the usual signals into a normal exit so the EXIT trap runs.
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# --- timing ---------------------------------------------------------------------

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

# --- a remote API: tests/lib/toolsrv.py ------------------------------------------

# toolsrv_ca: a throwaway CA ($T/ca.pem) and a certificate signed by it
# for localhost, api.localhost, sub.api.localhost, oauth.localhost,
# 127.0.0.1 and ::1 ($T/srv.pem, $T/srv.key).
toolsrv_ca() {
	command -v openssl >/dev/null || skip_all "openssl not installed"
	command -v python3 >/dev/null || skip_all "python3 not installed"
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=egress-test-ca \
	    -addext basicConstraints=critical,CA:TRUE \
	    -addext keyUsage=critical,keyCertSign \
	    -keyout "$T/ca.key" -out "$T/ca.pem" 2>/dev/null || bail "openssl CA"
	openssl req -newkey rsa:2048 -nodes -subj /CN=localhost \
	    -keyout "$T/srv.key" -out "$T/srv.csr" 2>/dev/null || bail "openssl csr"
	echo "subjectAltName=DNS:localhost,DNS:api.localhost,DNS:sub.api.localhost,DNS:oauth.localhost,IP:127.0.0.1,IP:::1" \
	    >"$T/ext"
	openssl x509 -req -in "$T/srv.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" \
	    -CAcreateserial -days 1 -extfile "$T/ext" -out "$T/srv.pem" \
	    2>/dev/null || bail "openssl x509"
}

# _pysrv_start SCRIPT NAME [ARGS...]: tests/lib/SCRIPT.py CERT KEY LOG
# PORTFILE ARGS with toolsrv_ca's certificate, logging to $T/NAME.log,
# its stderr to $T/SCRIPT.err; sets its port in PORT_<NAME> and whether
# it also listens on ::1 in V6_<NAME> (2: yes).  It is stopped first on
# exit.
_pysrv_start() {
	local script=$1 name=$2 pid
	shift 2
	python3 "$top_srcdir/tests/lib/$script.py" "$T/srv.pem" "$T/srv.key" \
	    "$T/$name.log" "$T/$name.port" "$@" 2>>"$T/$script.err" &
	pid=$!
	eval "set -- $(trap -p EXIT)"
	# shellcheck disable=SC2064 # the pid is expanded on purpose
	trap "kill $pid 2>/dev/null; ${3:-:}" EXIT
	wait_until 10000 50 test -s "$T/$name.port" ||
		bail "$script $name did not start"
	read -r "PORT_$name" "V6_$name" <"$T/$name.port"
}

# toolsrv_start NAME: a toolsrv (_pysrv_start).
toolsrv_start() {
	_pysrv_start toolsrv "$1"
}

# oauthsrv_start NAME CLIENT_ID CLIENT_SECRET: a stand-in OAuth provider
# (tests/lib/oauthsrv.py) knowing that one client (_pysrv_start).  Its
# endpoints answer under any host name of the certificate on that port:
# https://oauth.localhost:$PORT_<NAME>/authorize and /token, and
# https://api.localhost:$PORT_<NAME>/resource.
oauthsrv_start() {
	_pysrv_start oauthsrv "$1" "$2" "$3"
}

# --- the database and the pool ------------------------------------------------------

# db_start: a throwaway PostgreSQL with the migrations applied
# (tests/lib/pgtmp.sh: exports PGHOST, SECOND_DATABASE_URL, ...).
db_start() {
	# shellcheck source=tests/lib/pgtmp.sh
	. "$top_srcdir/tests/lib/pgtmp.sh" || bail "cannot source tests/lib/pgtmp.sh"
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

# supervisor_launch SOCKET LOG WORKERS [ARGS...]: second-fcgi --listen
# unix:SOCKET --workers WORKERS ARGS in the background, its output
# appended to LOG; sets SUPERVISOR_PID.  Without -c in ARGS an empty
# config file is used, so /etc/second/second.conf cannot change the
# results.  The caller waits for it.
supervisor_launch() {
	local sock=$1 log=$2 n=$3 a has_c=
	shift 3
	for a in "$@"; do
		[ "$a" = -c ] && has_c=1
	done
	if [ -z "$has_c" ]; then
		: >"$T/empty.conf"
		set -- -c "$T/empty.conf" "$@"
	fi
	rm -f "$sock"
	"$SECOND_FCGI" --listen "unix:$sock" --workers "$n" "$@" \
	    </dev/null >>"$log" 2>&1 &
	SUPERVISOR_PID=$!
}

# worker_pids: the supervisor's live children that are workers, one per
# line, sorted (the dispatcher, named second-dispatch, is not one).
worker_pids() {
	local p c
	for p in $(pid_children "$SUPERVISOR_PID"); do
		{ read -r c <"/proc/$p/comm"; } 2>/dev/null || continue
		[ "$c" = second-dispatch ] || echo "$p"
	done
}

# dispatcher_pid: the supervisor's live dispatcher child, if any.
dispatcher_pid() {
	local p c
	for p in $(pid_children "$SUPERVISOR_PID"); do
		{ read -r c <"/proc/$p/comm"; } 2>/dev/null || continue
		[ "$c" = second-dispatch ] && echo "$p"
	done
	return 0
}

# _workers_up N: exactly N worker processes exist.
_workers_up() {
	[ "$(worker_pids | wc -l)" -eq "$1" ]
}

# --- the last response ------------------------------------------------------------
# The request helpers (req, http) leave the headers (CR removed) in
# $T/resp.hdr, the body in $T/resp.body and in BODY, the client's
# stderr in $T/resp.err, and the status in STATUS.

# hdr NAME: the value(s) of header NAME in the last response, one per
# line, name matched case-insensitively, surrounding blanks trimmed.
hdr() {
	LC_ALL=C awk -v n="$(printf '%s' "$1" | tr '[:upper:]' '[:lower:]')" '
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

# --- results ----------------------------------------------------------------------

# _diag: show the last response (for a failed check).
_diag() {
	echo "#   status: $STATUS${REQ_RC:+ (client exit $REQ_RC)}"
	[ -s "$T/resp.hdr" ] && sed 's/^/#   hdr: /' "$T/resp.hdr"
	[ -n "$BODY" ] && printf '#   body: %.400s\n' "$BODY"
	[ -s "$T/resp.err" ] && sed 's/^/#   stderr: /' "$T/resp.err" | head -n 5
	return 0
}

# _result OK DESC: record and print one result.
_result() {
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then
		_tap_pass=$((_tap_pass + 1))
		echo "ok $_tap_n - $2"
	else
		_tap_fail=$((_tap_fail + 1))
		echo "not ok $_tap_n - $2"
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
	local rc=0
	[ "$(json_str error)" = "$1" ] || rc=1
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

# done_testing: the logs of $TEST_LOGS when a check failed, the plan, the
# summary as the last line; exit 1 if anything failed or nothing was
# checked, else 0.
done_testing() {
	local f
	if [ "$_tap_fail" -gt 0 ]; then
		for f in ${TEST_LOGS:-}; do
			[ -s "$T/$f" ] || continue
			echo "# $f (last 40 lines):"
			tail -n 40 "$T/$f" | sed 's/^/#   /'
		done
	fi
	echo "1..$_tap_n"
	echo "$_tap_pass passed, $_tap_fail failed"
	[ "$_tap_n" -gt 0 ] && [ "$_tap_fail" -eq 0 ] && exit 0
	exit 1
}
