# shellcheck shell=bash
#
# pgtmp.sh: a throwaway PostgreSQL cluster for shell tests (sourced, not run).
#
#   . "$top_srcdir/tests/lib/pgtmp.sh"
#   pgtmp_start                 # cluster + database "second", exports PG* and SECOND_*
#   pgtmp_migrate               # second-admin migrate --sql-dir $top_srcdir/sql
#   pgtmp_stop_server           # stop the postmaster, keep the data (outage tests)
#   pgtmp_start_server          # start it again on the same socket
#   pgtmp_stop                  # stop and remove everything (idempotent)
#
# The cluster listens on a unix socket only ($PGTMP/sock), never on TCP, so any
# number of tests can run in parallel.  pgtmp_start chains an EXIT trap that
# calls pgtmp_stop after any EXIT trap already set; a caller that sets its own
# EXIT trap afterwards must call pgtmp_stop from it.
#
# PostgreSQL refuses to run as root: as root the server tools run as the
# "postgres" user, which owns the data directory.  Clients (psql, second-fcgi,
# second-admin) may run as anyone: authentication is "trust" on a socket in a
# private directory.  Without initdb or pg_ctl the test is skipped (exit 77).

: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir
# shellcheck source=tests/lib/stack.sh
. "$top_srcdir/tests/lib/stack.sh"

pgtmp_start() {
	local bindir base
	bindir=$(pg_bindir || true)
	PGTMP_INITDB=${INITDB:-${bindir:+$bindir/initdb}}
	PGTMP_PG_CTL=${PG_CTL:-${bindir:+$bindir/pg_ctl}}
	if [ ! -x "$PGTMP_INITDB" ] || [ ! -x "$PGTMP_PG_CTL" ]; then
		echo "pgtmp: initdb/pg_ctl not found (install postgresql); skipping" >&2
		exit 77
	fi
	# psql, createdb: next to pg_ctl, else on PATH.
	PGTMP_BINDIR=$(dirname "$PGTMP_PG_CTL")
	[ -x "$PGTMP_BINDIR/psql" ] || PGTMP_BINDIR=$(dirname "$(command -v psql)")

	if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
		echo "pgtmp: running as root and there is no postgres user; skipping" >&2
		exit 77
	fi

	# Unix socket paths are limited to 107 bytes: fall back to /tmp if
	# $TMPDIR is deep.
	base=${TMPDIR:-/tmp}
	[ ${#base} -le 60 ] || base=/tmp
	PGTMP=$(mktemp -d "$base/pgtmp.XXXXXXXX") || return 1
	chmod 755 "$PGTMP"
	mkdir "$PGTMP/data" "$PGTMP/sock" "$PGTMP/log"
	[ "$(id -u)" != 0 ] ||
	    chown postgres "$PGTMP/data" "$PGTMP/sock" "$PGTMP/log"
	chmod 700 "$PGTMP/data"
	export PGTMP

	_pgtmp_trap

	if ! pg_cluster_init "$PGTMP_INITDB" "$PGTMP/data" "$PGTMP/sock" \
	    "$PGTMP/log/initdb.log"; then
		echo "pgtmp: initdb failed:" >&2
		cat "$PGTMP/log/initdb.log" >&2
		return 1
	fi
	cat >>"$PGTMP/data/postgresql.conf" <<-EOF
	# pgtmp: throwaway test cluster
	port = 5432
	synchronous_commit = off
	full_page_writes = off
	shared_buffers = 32MB
	max_connections = 100
	log_min_messages = warning
	log_line_prefix = '%m [%p] %u@%d '
	EOF

	export PGHOST="$PGTMP/sock" PGPORT=5432 PGDATABASE=second PGUSER=postgres
	unset PGHOSTADDR PGSERVICE PGPASSWORD PGOPTIONS
	export SECOND_ADMIN_DATABASE_URL="host=$PGTMP/sock dbname=second user=postgres"
	export SECOND_DATABASE_URL="host=$PGTMP/sock dbname=second user=second_authenticator"

	pgtmp_start_server || return 1
	if ! "$PGTMP_BINDIR/psql" -X -q -d postgres -v ON_ERROR_STOP=1 \
	    -c 'CREATE DATABASE second' >&2; then
		echo "pgtmp: cannot create database second" >&2
		return 1
	fi
}

pgtmp_start_server() {
	if ! pg_server_start "$PGTMP_PG_CTL" "$PGTMP/data" "$PGTMP/log/server.log"; then
		echo "pgtmp: server did not start (log above)" >&2
		return 1
	fi
}

pgtmp_stop_server() {
	pg_server_stop "$PGTMP_PG_CTL" "$PGTMP/data"
}

pgtmp_stop() {
	[ -n "${PGTMP:-}" ] && [ -d "$PGTMP" ] || return 0
	if [ -f "$PGTMP/data/postmaster.pid" ]; then
		pg_server_stop "$PGTMP_PG_CTL" "$PGTMP/data" immediate \
		    >/dev/null 2>&1 || true
	fi
	rm -rf "$PGTMP"
	PGTMP=
}

# Chain pgtmp_stop after the caller's EXIT trap; turn INT/TERM/HUP into an
# exit so the EXIT trap runs, unless the caller already handles them.
_pgtmp_trap() {
	local sig
	trap_exit_add pgtmp_stop
	for sig in INT TERM HUP; do
		[ -n "$(trap -p "$sig")" ] || trap "exit 1" "$sig"
	done
}

# Apply sql/*.sql with second-admin (the tool under test, not psql).
pgtmp_migrate() {
	local admin="${SECOND_ADMIN:-$top_builddir/src/second-admin}"
	if [ ! -x "$admin" ]; then
		echo "pgtmp: $admin not built" >&2
		return 1
	fi
	"$admin" migrate --sql-dir "$top_srcdir/sql"
}
