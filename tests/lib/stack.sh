# shellcheck shell=bash
#
# stack.sh: process, PostgreSQL and nginx helpers shared by the tests
# (tests/lib/common.sh, tests/lib/pgtmp.sh, tests/e2e/lib.sh) and by
# scripts/dev and scripts/bench, sourced (never run).
#
# It only defines functions: no variables, no traps, nothing started, so
# it is safe under `set -euo pipefail`.  It reads processes from /proc
# with shell builtins (no procps, no fork per process).  Shipped in the dist tarball (EXTRA_DIST), where
# scripts/dev runs too.

[ -z "${_stack_sh:-}" ] || return 0
_stack_sh=1

# --- processes --------------------------------------------------------------

# pid_gone PID: the process has exited (a zombie nobody reaped counts as
# exited).
pid_gone() {
	local st
	{ read -r st <"/proc/$1/stat"; } 2>/dev/null || return 0
	st=${st##*) }
	[ "${st%% *}" = Z ]
}

# pid_wait_gone PID TENTHS: 0 when PID is gone within TENTHS tenths of a
# second.
pid_wait_gone() {
	local i=0
	while [ "$i" -lt "$2" ]; do
		pid_gone "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	pid_gone "$1"
}

# pid_stop PID: SIGTERM, SIGKILL after 10 s, reap (when it is our child).
pid_stop() {
	[ -n "$1" ] || return 0
	kill -TERM "$1" 2>/dev/null
	pid_wait_gone "$1" 100 || kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

# pid_children PID: the live (not zombie) direct children of PID, one per
# line, sorted.
pid_children() {
	local stat rest pid
	[ -n "$1" ] || return 0
	for stat in /proc/[0-9]*/stat; do
		{ read -r rest <"$stat"; } 2>/dev/null || continue
		rest=${rest##*) }
		# rest: STATE PPID PGRP ...
		# shellcheck disable=SC2086 # split into fields on purpose
		set -- "$1" $rest
		if [ "$3" != "$1" ] || [ "$2" = Z ]; then
			continue
		fi
		pid=${stat#/proc/}
		echo "${pid%/stat}"
	done | sort -n
}

# trap_exit_add COMMAND: run COMMAND on exit, after any EXIT trap already
# set.
trap_exit_add() {
	local cmd=$1
	eval "set -- $(trap -p EXIT)"	# trap -- 'COMMAND' EXIT
	# shellcheck disable=SC2064 # the old command is expanded on purpose
	trap "${3:+$3;} $cmd" EXIT
}

# --- PostgreSQL ---------------------------------------------------------------

# pg_bindir: the directory of PostgreSQL's server programs (initdb and
# pg_ctl): $PGBIN, else pg_config's, else Debian 12's.  Status 1 if none.
pg_bindir() {
	local d
	for d in "${PGBIN:-}" "$(pg_config --bindir 2>/dev/null || true)" \
	    /usr/lib/postgresql/15/bin; do
		if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
			printf '%s\n' "$d"
			return 0
		fi
	done
	return 1
}

# pg_as_owner COMMAND...: run a server program as the cluster's owner:
# postgres when we are root (PostgreSQL refuses to run as root), else
# ourselves.
pg_as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# pg_cluster_init INITDB DATADIR SOCKDIR LOG: a new cluster in DATADIR
# (trust authentication, user postgres, UTF8, no locale) that listens on
# a unix socket in SOCKDIR only, never on TCP.  initdb's output goes to
# LOG.  The caller may append more settings to DATADIR/postgresql.conf.
pg_cluster_init() {
	pg_as_owner "$1" -D "$2" --nosync --auth=trust -U postgres -E UTF8 \
	    --no-locale --no-instructions >"$4" 2>&1 || return 1
	pg_as_owner tee -a "$2/postgresql.conf" >/dev/null <<-EOF

	# unix socket only, throwaway data (tests/lib/stack.sh)
	listen_addresses = ''
	unix_socket_directories = '$3'
	fsync = off
	EOF
}

# pg_server_start PG_CTL DATADIR LOG: start the cluster and wait for it
# (60 s); on failure the tail of LOG goes to stderr, status 1.
pg_server_start() {
	if ! pg_as_owner "$1" -D "$2" -l "$3" -w -t 60 start >/dev/null; then
		tail -n 30 "$3" >&2
		return 1
	fi
}

# pg_server_stop PG_CTL DATADIR [MODE]: stop it (fast unless MODE), wait
# up to 60 s.
pg_server_stop() {
	pg_as_owner "$1" -D "$2" -m "${3:-fast}" -w -t 60 stop >/dev/null
}

# --- nginx --------------------------------------------------------------------

# sed_repl STRING: STRING escaped for the right-hand side of s|...|...|.
sed_repl() {
	printf '%s' "$1" | sed 's/[\\|&]/\\&/g'
}

# render_site LISTEN SOCKET CONFDIR: CONFDIR/second.conf (the shipped
# conf/nginx/second.conf) with its placeholders filled in.
render_site() {
	local l s c
	l=$(sed_repl "$1")
	s=$(sed_repl "$2")
	c=$(sed_repl "$3")
	sed -e "s|@LISTEN@|$l|g" -e "s|@SOCKET@|$s|g" -e "s|@CONFDIR@|$c|g" \
	    "$3/second.conf"
}

# nginx_write_conf DIR CONFDIR LISTEN SOCKET PIDFILE ERRLOG LEVEL ACCESSLOG
# WORKERS DAEMON: DIR/second.conf (render_site) and DIR/nginx.conf, the
# main configuration around it, with its temp paths in DIR/tmp, nginx's
# workers as www-data when we are root, and $NGINX_HTTP_EXTRA (if set)
# added to its http block.  Status 1, with the placeholders left on
# stderr, when the site config has one render_site does not fill.
nginx_write_conf() {
	local dir=$1
	mkdir -p "$dir/tmp"
	render_site "$3" "$4" "$2" >"$dir/second.conf"
	if grep -q '@[A-Z]*@' "$dir/second.conf"; then
		echo "unrendered placeholder in $2/second.conf:" \
		    "$(grep -o '@[A-Z]*@' "$dir/second.conf" | sort -u | tr '\n' ' ')" >&2
		return 1
	fi
	{
		echo "# generated from $2/second.conf; edit that file instead"
		[ "$(id -u)" != 0 ] || echo "user www-data;"
		cat <<-EOF
		worker_processes $9;
		daemon ${10};
		pid $5;
		error_log $6 $7;

		events {
		    worker_connections 512;
		}

		http {
		    default_type application/octet-stream;
		    access_log $8;
		    client_body_temp_path $dir/tmp/body;
		    fastcgi_temp_path $dir/tmp/fastcgi;
		    proxy_temp_path $dir/tmp/proxy;
		    scgi_temp_path $dir/tmp/scgi;
		    uwsgi_temp_path $dir/tmp/uwsgi;

		    include $dir/second.conf;
		${NGINX_HTTP_EXTRA:-}
		}
		EOF
	} >"$dir/nginx.conf"
}
