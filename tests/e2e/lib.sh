# shellcheck shell=bash
#
# lib.sh: helpers for tests/e2e/*.test, sourced (never run).
#
# An end-to-end test puts the real nginx, with the shipped site config
# conf/nginx/second.conf and conf/nginx/second_fastcgi_params, in front of
# the real second-fcgi pool (supervisor + workers) and a throwaway
# PostgreSQL (tests/lib/pgtmp.sh), and talks HTTP to nginx with curl.
# Nothing listens on TCP: nginx listens on $T/nginx.sock, the pool on
# $T/second.sock, PostgreSQL on its own socket; every run has its own temp
# dir, so tests run in parallel.  What every shell test shares (temp dir,
# cleanup, db_start, worker_pids, hdr, check, expect_status, done_testing
# ...) is in tests/lib/common.sh, sourced from here; the process,
# PostgreSQL and nginx helpers are in tests/lib/stack.sh (which
# scripts/dev uses too).
#
# Typical test:
#
#	. "$(dirname "$0")/lib.sh"
#	e2e_start			# database + pool + nginx
#	http GET /api/livez
#	expect_status 200 "livez through nginx"
#	done_testing
#
# A test that does not put nginx in front (lighttpd, Apache only) sets
# E2E_WITHOUT_NGINX=1 before sourcing: nginx is then not required.
#
# Variables (and common.sh's top_srcdir top_builddir SECOND_FCGI T):
#	NGINX			the program
#	LIGHTTPD APACHE APACHE_MODDIR	the other web servers (may be missing)
#	ROOT			set when running as root (servers run as www-data)
#	SUPERVISOR_PID NGINX_PID	after e2e_start (the pool's supervisor)
#	LIGHTTPD_PID APACHE_PID APACHE_PORT	after lighttpd_run, apache_run
#	STATUS BODY		after http (STATUS 000: no HTTP answer)
#
# Cleanup: stack_stop (called from common.sh's EXIT trap) stops lighttpd,
# Apache, nginx and the pool; the database goes last.
#
# Exit statuses follow automake: 0 pass, 1 fail, 77 skip, 99 hard error.

_lib_name=e2e
TEST_LOGS="pool.log nginx/error.log"
# shellcheck source=tests/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

WORKERS=${WORKERS:-2}
NGINX_PID=

# --- prerequisites --------------------------------------------------------------

NGINX=${NGINX:-$(command -v nginx 2>/dev/null || true)}
[ -n "$NGINX" ] || { [ -x /usr/sbin/nginx ] && NGINX=/usr/sbin/nginx; }
if [ -z "${E2E_WITHOUT_NGINX:-}" ] && { [ -z "$NGINX" ] || [ ! -x "$NGINX" ]; }; then
	skip_all "nginx is not installed"
fi
LIGHTTPD=${LIGHTTPD:-$(command -v lighttpd 2>/dev/null || echo /usr/sbin/lighttpd)}
APACHE=${APACHE:-$(command -v apache2 2>/dev/null || echo /usr/sbin/apache2)}
APACHE_MODDIR=${APACHE_MODDIR:-/usr/lib/apache2/modules}
LIGHTTPD_PID=
APACHE_PID=
APACHE_PORT=
ROOT=
[ "$(id -u)" != 0 ] || ROOT=1
command -v curl >/dev/null 2>&1 || skip_all "curl is not installed"
for _e2e_f in conf/nginx/second.conf conf/nginx/second_fastcgi_params; do
	[ -r "$top_srcdir/$_e2e_f" ] || bail "$top_srcdir/$_e2e_f is missing"
done

# --- cleanup --------------------------------------------------------------------

nginx_stop() {
	pid_stop "$NGINX_PID"
	NGINX_PID=
}

# descendants PID: the live (not zombie) descendants of PID, one per line,
# children before grandchildren.
descendants() {
	ps -e -o pid= -o ppid= -o stat= 2>/dev/null | awk -v root="$1" '
	    $3 !~ /^Z/ { kids[$2] = kids[$2] " " $1 }
	    END {
		n = split(kids[root], q, " ")
		for (i = 1; i <= n; i++) {
			print q[i]
			m = split(kids[q[i]], more, " ")
			for (j = 1; j <= m; j++)
				q[++n] = more[j]
		}
	    }'
}

# _stop_tree PID: pid_stop PID, then give what was below it (Apache's
# children, the FastCGI processes a server spawned) 3 s to follow and
# SIGKILL what is left: a server that had to be killed must not leave its
# processes behind.
_stop_tree() {
	local p left
	[ -n "$1" ] || return 0
	left=$(descendants "$1")
	pid_stop "$1"
	for p in $left; do
		pid_wait_gone "$p" 30 || kill -KILL "$p" 2>/dev/null
	done
	return 0
}

lighttpd_stop() {
	_stop_tree "$LIGHTTPD_PID"
	LIGHTTPD_PID=
}

apache_stop() {
	_stop_tree "$APACHE_PID"
	APACHE_PID=
}

# pool_stop: SIGTERM the supervisor (it drains and removes the socket),
# SIGKILL it and its workers after 10 s. Sets POOL_EXIT.
pool_stop() {
	local pid=$SUPERVISOR_PID kids
	POOL_EXIT=
	[ -n "$pid" ] || return 0
	kids=$(worker_pids)
	kill -TERM "$pid" 2>/dev/null
	if ! pid_wait_gone "$pid" 100; then
		echo "# supervisor $pid ignored SIGTERM for 10 s; killing it and its workers"
		# shellcheck disable=SC2086
		kill -KILL "$pid" $kids 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	# shellcheck disable=SC2034 # read by tests
	POOL_EXIT=$?
	SUPERVISOR_PID=
	return 0
}

# stack_stop: stop lighttpd, Apache, nginx and the pool (common.sh's EXIT
# trap; the database stops after it).
stack_stop() {
	lighttpd_stop
	apache_stop
	nginx_stop
	pool_stop
}

# --- the stack ------------------------------------------------------------------

_pool_ready() {
	pid_gone "$SUPERVISOR_PID" && return 2
	[ -S "$T/second.sock" ]
}

# pool_start [ARGS...]: second-fcgi --listen unix:$T/second.sock
# --workers $WORKERS (+ --socket-group www-data as root, the way the systemd
# unit runs it), output appended to $T/pool.log (supervisor_launch).
pool_start() {
	if [ "$(id -u)" = 0 ]; then
		id www-data >/dev/null 2>&1 || skip_all "running as root without a www-data user"
		set -- "$@" --socket-group www-data
	fi
	supervisor_launch "$T/second.sock" "$T/pool.log" "$WORKERS" "$@"
	if ! wait_until 10000 20 _pool_ready || ! wait_until 10000 20 _workers_up "$WORKERS"; then
		echo "# pool did not come up; log:"
		sed 's/^/#   /' "$T/pool.log"
		bail "pool_start failed"
	fi
}

# nginx_conf: write $T/nginx/nginx.conf, the main config around the
# shipped site config, rendered into $T/nginx/second.conf.
nginx_conf() {
	nginx_write_conf "$T/nginx" "$top_srcdir/conf/nginx" "unix:$T/nginx.sock" \
	    "$T/second.sock" "$T/nginx/nginx.pid" "$T/nginx/error.log" notice \
	    "$T/nginx/access.log" 1 off || bail "cannot render conf/nginx/second.conf"
}

_nginx() {
	"$NGINX" -p "$T/nginx/" -e "$T/nginx/error.log" -c "$T/nginx/nginx.conf" "$@"
}

_nginx_ready() {
	pid_gone "$NGINX_PID" && return 2
	[ -S "$T/nginx.sock" ]
}

# nginx_start: nginx in the foreground of a background job (daemon off),
# listening on $T/nginx.sock.
nginx_start() {
	nginx_conf
	_nginx -t -q >"$T/nginx/test.out" 2>&1 || {
		sed 's/^/#   /' "$T/nginx/test.out"
		bail "nginx rejects the rendered configuration"
	}
	# Not through _nginx: $! must be nginx's own pid, not a subshell's.
	"$NGINX" -p "$T/nginx/" -e "$T/nginx/error.log" -c "$T/nginx/nginx.conf" \
	    </dev/null >>"$T/nginx/stdout.log" 2>&1 &
	NGINX_PID=$!
	if ! wait_until 10000 20 _nginx_ready; then
		echo "# nginx did not come up; error log:"
		sed 's/^/#   /' "$T/nginx/error.log" 2>/dev/null
		bail "nginx_start failed"
	fi
}

# e2e_start: database, pool, nginx.
e2e_start() {
	db_start
	pool_start "$@"
	nginx_start
}

# --- lighttpd and Apache (webservers.test, spawned.test) -----------------------

# need_www_data: skip the test when root has no www-data user to run the
# servers as.
need_www_data() {
	[ -z "$ROOT" ] || id www-data >/dev/null 2>&1 ||
	    skip_all "running as root without a www-data user"
}

# render FILE SED-ARGS...: the shipped FILE through sed, on stdout.
render() {
	local f=$1
	shift
	sed "$@" "$top_srcdir/$f"
}

# free_port: a TCP port of 127.0.0.1 nobody listens on (right now).
free_port() {
	perl -MIO::Socket::INET -e '
	    my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 0,
		Listen => 1, ReuseAddr => 1) or exit 1;
	    print $s->sockport, "\n";'
}

# lighttpd_main_conf: make $T/lighttpd (htdocs, tmp, error.log) and print
# the lines of a minimal lighttpd.conf listening on $T/lighttpd.sock; the
# test adds its own (an include of the rendered shipped file).
lighttpd_main_conf() {
	local d=$T/lighttpd
	mkdir -p "$d/htdocs" "$d/tmp"
	# Request bodies are buffered here, and the error log is opened, by
	# lighttpd's unprivileged process.
	chmod 1777 "$d/tmp"
	: >"$d/error.log"
	[ -z "$ROOT" ] || chown www-data:www-data "$d/error.log"
	cat <<-EOF
	# ${0##*/}: minimal main configuration around the shipped file
	server.modules = ( )
	server.document-root = "$d/htdocs"
	server.bind = "$T/lighttpd.sock"
	server.errorlog = "$d/error.log"
	server.upload-dirs = ( "$d/tmp" )
	server.pid-file = "$d/lighttpd.pid"
	EOF
	if [ -n "$ROOT" ]; then
		echo 'server.username = "www-data"'
		echo 'server.groupname = "www-data"'
	fi
}

_lighttpd_ready() {
	pid_gone "$LIGHTTPD_PID" && return 2
	[ -S "$T/lighttpd.sock" ] &&
	    curl -s --max-time 2 --unix-socket "$T/lighttpd.sock" -o /dev/null http://localhost/ 2>/dev/null
}

# lighttpd_run: lighttpd -D -f $T/lighttpd/lighttpd.conf (checked with -tt
# first), output appended to $T/lighttpd/stdout.log. Returns 1, with the
# reasons as comments, if it does not come up.
lighttpd_run() {
	local d=$T/lighttpd
	"$LIGHTTPD" -tt -f "$d/lighttpd.conf" >"$d/test.out" 2>&1 || {
		sed 's/^/#   /' "$d/test.out"
		return 1
	}
	"$LIGHTTPD" -D -f "$d/lighttpd.conf" </dev/null >>"$d/stdout.log" 2>&1 &
	LIGHTTPD_PID=$!
	if ! wait_until 10000 20 _lighttpd_ready; then
		echo "# lighttpd did not come up; error log:"
		sed 's/^/#   /' "$d/error.log" "$d/stdout.log" 2>/dev/null
		return 1
	fi
}

# apache_main_conf PORT MODULE...: print the lines of a minimal
# apache2.conf in $T/apache (made here), listening on 127.0.0.1:PORT,
# loading mod_MODULE for each MODULE; the test adds its own (an Include of
# the rendered shipped file).
apache_main_conf() {
	local d=$T/apache port=$1 m
	shift
	mkdir -p "$d/run" "$d/logs"
	cat <<-EOF
	# ${0##*/}: minimal main configuration around the shipped file
	ServerRoot "$d"
	DefaultRuntimeDir "$d/run"
	PidFile "$d/apache2.pid"
	ErrorLog "$d/error.log"
	LogLevel warn
	ServerName localhost
	Define APACHE_LOG_DIR $d/logs
	EOF
	for m in "$@"; do
		echo "LoadModule ${m}_module $APACHE_MODDIR/mod_$m.so"
	done
	if [ -n "$ROOT" ]; then
		echo 'User www-data'
		echo 'Group www-data'
	fi
	cat <<-EOF
	StartServers 1
	ServerLimit 1
	ThreadLimit 8
	ThreadsPerChild 8
	MaxRequestWorkers 8
	MinSpareThreads 1
	MaxSpareThreads 8
	Listen 127.0.0.1:$port
	LogFormat "%h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"" combined
	EOF
}

_apache_ready() {
	pid_gone "$APACHE_PID" && return 2
	curl -s --max-time 2 -o /dev/null "http://127.0.0.1:$APACHE_PORT/" 2>/dev/null
}

# apache_run CONFFN [NAME=VALUE...]: Apache -DFOREGROUND with
# $T/apache/apache2.conf, which CONFFN PORT writes, on a free port (a few
# tries: the port may be taken between free_port and Apache's bind); with
# these variables added to its environment. Sets APACHE_PORT. Returns 1,
# with the reasons as comments, if it does not come up.
apache_run() {
	local conf=$1 d=$T/apache try
	shift
	for try in 1 2 3 4 5; do
		APACHE_PORT=$(free_port) || { echo "# no free port"; return 1; }
		"$conf" "$APACHE_PORT" || return 1
		if [ "$try" = 1 ]; then
			"$APACHE" -f "$d/apache2.conf" -t >"$d/test.out" 2>&1 || {
				sed 's/^/#   /' "$d/test.out"
				return 1
			}
		fi
		: >"$d/error.log"
		# env execs Apache: $! is Apache's pid.
		env "$@" "$APACHE" -f "$d/apache2.conf" -DFOREGROUND </dev/null >>"$d/stdout.log" 2>&1 &
		APACHE_PID=$!
		wait_until 10000 20 _apache_ready && return 0
		apache_stop
		grep -q 'could not bind\|Address already in use' "$d/error.log" "$d/stdout.log" 2>/dev/null ||
		    break
	done
	echo "# Apache did not come up; error log:"
	sed 's/^/#   /' "$d/error.log" "$d/stdout.log" 2>/dev/null
	return 1
}

# lighttpd_pool_start: lighttpd -D with $T/lighttpd/lighttpd.conf around the
# rendered conf/lighttpd/second.conf (option A: the pool on $T/second.sock).
lighttpd_pool_start() {
	local d=$T/lighttpd
	mkdir -p "$d"
	render conf/lighttpd/second.conf -e "s|/run/second/second\\.sock|$(sed_repl "$T/second.sock")|g" \
	    >"$d/second.conf"
	grep -q "\"socket\" *=> *\"$T/second.sock\"" "$d/second.conf" || {
		echo "# conf/lighttpd/second.conf: no \"socket\" => \"/run/second/second.sock\" to render"
		return 1
	}
	{
		lighttpd_main_conf
		echo "include \"$d/second.conf\""
	} >"$d/lighttpd.conf"
	lighttpd_run
}

# apache_pool_conf PORT: $T/apache/apache2.conf around the rendered
# conf/apache/second.conf (option A, mod_proxy_fcgi to $T/second.sock).
# shellcheck disable=SC2317 # called through apache_run
apache_pool_conf() {
	local d=$T/apache
	mkdir -p "$d"
	render conf/apache/second.conf -e "s|/run/second/second\\.sock|$(sed_repl "$T/second.sock")|g" \
	    -e "s|<VirtualHost \\*:80>|<VirtualHost *:$1>|" >"$d/second.conf"
	if ! grep -q "^ *ProxyPass .*unix:$T/second.sock|fcgi://" "$d/second.conf" ||
	    ! grep -q "^<VirtualHost \\*:$1>" "$d/second.conf"; then
		echo "# conf/apache/second.conf: no ProxyPass to unix:/run/second/second.sock or no <VirtualHost *:80> to render"
		return 1
	fi
	{
		apache_main_conf "$1" mpm_event authz_core proxy proxy_fcgi headers
		echo "Include \"$d/second.conf\""
	} >"$d/apache2.conf"
}

# apache_pool_start: Apache -DFOREGROUND on a free port with it.
apache_pool_start() {
	apache_run apache_pool_conf
}

# apps_sum: a digest of every app row (and how many).
apps_sum() {
	"$PGTMP_BINDIR/psql" -X -qAt -v ON_ERROR_STOP=1 -c \
	    "SELECT count(*) || ':' || coalesce(md5(string_agg(row(a.*)::text, E'\\n' ORDER BY a.id)), '')
	     FROM second.apps a"
}

# big_app FILE BYTES: a POST .../apps body, valid JSON but for its size.
big_app() {
	{
		printf '{"name":"'
		head -c "$2" /dev/zero | tr '\0' a
		printf '"}'
	} >"$1"
}

# --- HTTP -----------------------------------------------------------------------

# http_to SERVER METHOD PATH [CURL-ARGS...]: one request to SERVER, a unix
# socket path or a base URL (http://127.0.0.1:PORT). Headers (CR removed)
# go to $T/resp.hdr, the body to $T/resp.body. Sets STATUS and BODY.
http_to() {
	local base=$1 method=$2 path=$3 via=()
	shift 3
	case $base in
	/*) via=(--unix-socket "$base"); base=http://localhost ;;
	esac
	STATUS=$(curl -sS --max-time "${HTTP_TIMEOUT:-10}" "${via[@]}" \
	    -X "$method" -D "$T/resp.hdr.raw" -o "$T/resp.body" -w '%{http_code}' \
	    "$@" "$base$path" 2>"$T/resp.err") || true
	[ -n "$STATUS" ] || STATUS=000
	tr -d '\r' <"$T/resp.hdr.raw" >"$T/resp.hdr" 2>/dev/null || : >"$T/resp.hdr"
	BODY=$(cat "$T/resp.body" 2>/dev/null || true)
	return 0
}

# http METHOD PATH [CURL-ARGS...]: one request through nginx.
http() {
	http_to "$T/nginx.sock" "$@"
}

# compact JSON: the body without whitespace outside strings (good enough
# for the small bodies compared here).
body_compact() {
	printf '%s' "$BODY" | tr -d ' \t\r\n'
}

# --- results ---------------------------------------------------------------

# expect_header NAME VALUE DESC: header NAME is exactly VALUE (VALUE "*":
# present and not empty).
expect_header() {
	local rc=0 got
	got=$(hdr "$1" | head -n 1)
	if [ "$2" = "*" ]; then
		[ -n "$got" ] || rc=1
	else
		[ "$got" = "$2" ] || rc=1
	fi
	_result "$rc" "$3 ($1: $2)"
	[ "$rc" -eq 0 ] || { echo "#   got $1: '$got'"; _diag; }
	return "$rc"
}
