/*
 * migrate: the migration runner and the catalog audit of second-admin(8).
 *
 * Two kinds of file.  A numbered migration (NNN_name.sql: tables,
 * columns, indexes, constraints, roles, grants, data) runs once, in its
 * own transaction together with its bookkeeping row, under a
 * transaction-level advisory lock, so two runners cannot apply the same
 * file and a failed file leaves nothing behind; a file that changed after
 * it was applied is an error: migrations are history, new changes go into
 * a new file.  A repeatable file (repeatable/name.sql: functions,
 * triggers, policies) holds the one current definition of what it
 * defines; after the numbered migrations, every repeatable file whose
 * checksum differs from the recorded one runs again, all of them in one
 * transaction, so a policy set is replaced whole or not at all.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "buf.h"
#include "migrate.h"

#define MIGRATE_LOCK	"SELECT pg_advisory_xact_lock(7236512897)"

static const char bootstrap_sql[] =
    "CREATE SCHEMA IF NOT EXISTS second; "
    "CREATE TABLE IF NOT EXISTS second.schema_migrations ("
    " name text PRIMARY KEY,"
    " checksum text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now()); "
    "CREATE TABLE IF NOT EXISTS second.schema_repeatable ("
    " name text PRIMARY KEY,"
    " checksum text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";

/*
 * A file sets the role it creates objects as (set_config('role', ...,
 * true)); the runner's own bookkeeping runs as the connecting admin.
 */
#define MIGRATE_ROLE_BACK	"SELECT set_config('role', 'none', true)"

/* A name made of [a-z0-9_] ending in .sql, at least min bytes before it. */
static bool
sql_name_ok(const char *n, size_t min)
{
	size_t	 len = strlen(n), i;

	if (len < min + 4 || strcmp(n + len - 4, ".sql") != 0)
		return false;
	for (i = 0; i < len - 4; i++)
		if (!((n[i] >= 'a' && n[i] <= 'z') ||
		    (n[i] >= '0' && n[i] <= '9') || n[i] == '_'))
			return false;
	return true;
}

/* A migration file name: NNN_[a-z0-9_]+.sql */
static bool
migration_name_ok(const char *n)
{
	size_t	 i;

	if (!sql_name_ok(n, 5))
		return false;
	for (i = 0; i < 3; i++)
		if (n[i] < '0' || n[i] > '9')
			return false;
	return n[3] == '_';
}

/* A repeatable file name: [a-z0-9_]+.sql */
static bool
repeatable_name_ok(const char *n)
{
	return sql_name_ok(n, 1);
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Free a list of names from list_dir. */
static void
names_free(char **names, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/*
 * The names in dir that ok accepts, sorted, into *names / *n.  A missing
 * dir is an empty list when missing_ok.  0 or -1 (printed).
 */
static int
list_dir(const char *dir, bool (*ok)(const char *), bool missing_ok,
    char ***names, size_t *n)
{
	DIR		*d;
	struct dirent	*de;
	char		**tmp;
	size_t		 cap = 0;
	int		 rc = -1;

	*names = NULL;
	*n = 0;
	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT && missing_ok)
			return 0;
		fprintf(stderr, "second-admin: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (!ok(de->d_name))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((tmp = reallocarray(*names, cap,
			    sizeof(**names))) == NULL)
				goto out;
			*names = tmp;
		}
		if (((*names)[*n] = strdup(de->d_name)) == NULL)
			goto out;
		(*n)++;
	}
	qsort(*names, *n, sizeof(**names), cmpstr);
	rc = 0;
out:
	if (rc != 0) {
		fprintf(stderr, "second-admin: %s: out of memory\n", dir);
		names_free(*names, *n);
		*names = NULL;
		*n = 0;
	}
	closedir(d);
	return rc;
}

/* Run one simple-protocol command; print the error; 0 or -1. */
static int
exec_ok(PGconn *c, const char *sql, const char *what)
{
	PGresult	*res = PQexec(c, sql);
	int		 rc = -1;

	if (res != NULL && (PQresultStatus(res) == PGRES_COMMAND_OK ||
	    PQresultStatus(res) == PGRES_TUPLES_OK))
		rc = 0;
	else
		fprintf(stderr, "second-admin: %s: %s", what,
		    PQerrorMessage(c));
	PQclear(res);
	return rc;
}

/*
 * Read dir/name into text and its sha256 into hex (lower-case, 64 digits);
 * an empty file or one holding NUL is refused.  0 or -1 (printed).
 */
static int
read_sql(const char *dir, const char *name, struct buf *text,
    char hex[crypto_hash_sha256_BYTES * 2 + 1])
{
	struct buf	 path = BUF_INIT;
	unsigned char	 hash[crypto_hash_sha256_BYTES];
	FILE		*fp = NULL;
	char		 chunk[8192];
	size_t		 n;
	int		 rc = -1;

	buf_printf(&path, "%s/%s", dir, name);
	if (!buf_ok(&path))
		goto out;
	if ((fp = fopen(path.b_data, "re")) == NULL) {
		fprintf(stderr, "second-admin: %s: %s\n", path.b_data,
		    strerror(errno));
		goto out;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(text, chunk, n);
	if (ferror(fp) || !buf_ok(text))
		goto out;
	if (text->b_len == 0 || strlen(text->b_data) != text->b_len) {
		fprintf(stderr, "second-admin: %s: empty or contains NUL\n",
		    name);
		goto out;
	}
	crypto_hash_sha256(hash, (const unsigned char *)text->b_data,
	    text->b_len);
	sodium_bin2hex(hex, crypto_hash_sha256_BYTES * 2 + 1, hash,
	    sizeof(hash));
	rc = 0;
out:
	if (fp != NULL)
		fclose(fp);
	buf_free(&path);
	return rc;
}

/*
 * The checksum that sql (a SELECT of one ledger by name $1) returns for
 * name into rec, "" when none.  0 or -1 (printed).
 */
static int
recorded(PGconn *c, const char *sql, const char *name,
    char rec[crypto_hash_sha256_BYTES * 2 + 1])
{
	const char	*params[1] = { name };
	PGresult	*res;
	int		 rc = -1;

	res = PQexecParams(c, sql, 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "second-admin: %s", PQerrorMessage(c));
		goto out;
	}
	rec[0] = '\0';
	if (PQntuples(res) == 1)
		snprintf(rec, crypto_hash_sha256_BYTES * 2 + 1, "%s",
		    PQgetvalue(res, 0, 0));
	rc = 0;
out:
	PQclear(res);
	return rc;
}

/* Run one parameterised bookkeeping statement; 0 or -1 (printed). */
static int
record(PGconn *c, const char *sql, const char *name, const char *hex)
{
	const char	*params[2] = { name, hex };
	PGresult	*res;
	int		 rc = -1;

	res = PQexecParams(c, sql, 2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_COMMAND_OK)
		rc = 0;
	else
		fprintf(stderr, "second-admin: %s: %s", name,
		    PQerrorMessage(c));
	PQclear(res);
	return rc;
}

/*
 * Apply one numbered migration unless already applied with the same
 * checksum.  Returns 1 if applied, 0 if already there, -1 on error.
 */
static int
apply_one(PGconn *c, const char *dir, const char *name)
{
	struct buf	 text = BUF_INIT;
	char		 hex[crypto_hash_sha256_BYTES * 2 + 1];
	char		 rec[crypto_hash_sha256_BYTES * 2 + 1];
	int		 rc = -1;

	if (read_sql(dir, name, &text, hex) != 0)
		goto out;
	if (exec_ok(c, "BEGIN", "begin") != 0 ||
	    exec_ok(c, MIGRATE_LOCK, "lock") != 0 ||
	    recorded(c, "SELECT checksum FROM second.schema_migrations "
	    "WHERE name = $1", name, rec) != 0)
		goto out;
	if (rec[0] != '\0') {
		if (strcmp(rec, hex) != 0) {
			fprintf(stderr, "second-admin: %s was changed after "
			    "it was applied (checksum %s, now %s); add a new "
			    "migration instead\n", name, rec, hex);
			goto out;
		}
		rc = exec_ok(c, "COMMIT", "commit") == 0 ? 0 : -1;
		goto out;
	}
	if (exec_ok(c, text.b_data, name) != 0 ||
	    exec_ok(c, MIGRATE_ROLE_BACK, "role") != 0 ||
	    record(c, "INSERT INTO second.schema_migrations (name, checksum) "
	    "VALUES ($1, $2)", name, hex) != 0 ||
	    exec_ok(c, "COMMIT", "commit") != 0)
		goto out;
	printf("applied %s\n", name);
	rc = 1;
out:
	if (PQtransactionStatus(c) != PQTRANS_IDLE)
		(void)exec_ok(c, "ROLLBACK", "rollback");
	buf_free(&text);
	return rc;
}

/*
 * Inside the caller's transaction, run dir/name again unless its checksum
 * is the recorded one.  Returns 1 if run, 0 if unchanged, -1 on error.
 */
static int
apply_repeatable(PGconn *c, const char *dir, const char *name)
{
	struct buf	 text = BUF_INIT;
	char		 hex[crypto_hash_sha256_BYTES * 2 + 1];
	char		 rec[crypto_hash_sha256_BYTES * 2 + 1];
	int		 rc = -1;

	if (read_sql(dir, name, &text, hex) != 0 ||
	    recorded(c, "SELECT checksum FROM second.schema_repeatable "
	    "WHERE name = $1", name, rec) != 0)
		goto out;
	if (strcmp(rec, hex) == 0) {
		rc = 0;
		goto out;
	}
	if (exec_ok(c, text.b_data, name) != 0 ||
	    exec_ok(c, MIGRATE_ROLE_BACK, "role") != 0 ||
	    record(c, "INSERT INTO second.schema_repeatable (name, checksum) "
	    "VALUES ($1, $2) ON CONFLICT (name) DO UPDATE "
	    "SET checksum = EXCLUDED.checksum, applied_at = now()",
	    name, hex) != 0)
		goto out;
	printf("applied repeatable/%s\n", name);
	rc = 1;
out:
	buf_free(&text);
	return rc;
}

/*
 * Apply every migration of sqldir in name order, then, in one
 * transaction, every changed repeatable file of sqldir/repeatable in name
 * order.  Returns 0 when all are applied (newly or before), 1 on the
 * first failure (printed; the repeatable files are then left as they
 * were).
 */
int
migrate_run(PGconn *c, const char *sqldir)
{
	struct buf	 rdir = BUF_INIT;
	char		**names = NULL, **rnames = NULL;
	size_t		 n = 0, rn = 0, i;
	int		 r, applied = 0, rapplied = 0, rc = 1;

	buf_printf(&rdir, "%s/repeatable", sqldir);
	if (!buf_ok(&rdir) ||
	    list_dir(sqldir, migration_name_ok, false, &names, &n) != 0 ||
	    list_dir(rdir.b_data, repeatable_name_ok, true, &rnames, &rn) != 0)
		goto out;
	if (n == 0) {
		fprintf(stderr, "second-admin: no migrations in %s\n", sqldir);
		goto out;
	}
	if (exec_ok(c, "BEGIN", "begin") != 0 ||
	    exec_ok(c, MIGRATE_LOCK, "lock") != 0 ||
	    exec_ok(c, bootstrap_sql, "bootstrap") != 0 ||
	    exec_ok(c, "COMMIT", "commit") != 0)
		goto out;
	for (i = 0; i < n; i++) {
		if ((r = apply_one(c, sqldir, names[i])) < 0)
			goto out;
		applied += r;
	}
	printf("migrations: %zu known, %d applied now\n", n, applied);
	/* DROP ... IF EXISTS of a first run is no news: warnings only. */
	if (exec_ok(c, "BEGIN", "begin") != 0 ||
	    exec_ok(c, MIGRATE_LOCK, "lock") != 0 ||
	    exec_ok(c, "SELECT set_config('client_min_messages', 'warning', "
	    "true)", "quiet") != 0)
		goto out;
	for (i = 0; i < rn; i++) {
		if ((r = apply_repeatable(c, rdir.b_data, rnames[i])) < 0)
			goto out;
		rapplied += r;
	}
	if (exec_ok(c, "COMMIT", "commit") != 0)
		goto out;
	printf("repeatable: %zu known, %d applied now\n", rn, rapplied);
	rc = 0;
out:
	if (PQtransactionStatus(c) != PQTRANS_IDLE)
		(void)exec_ok(c, "ROLLBACK", "rollback");
	names_free(names, n);
	names_free(rnames, rn);
	buf_free(&rdir);
	return rc;
}

/*
 * Print the catalog check (second.audit_catalog(), see sql/) for a DBA:
 * one line per violation, then a summary.  Returns 0 when green, 1 on
 * any violation or error.
 */
int
migrate_audit(PGconn *c)
{
	PGresult	*res;
	int		 i, n, rc = 1;

	res = PQexec(c, "SELECT check_name, object_name, detail "
	    "FROM second.audit_catalog() ORDER BY 1, 2");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "second-admin: audit: %s", PQerrorMessage(c));
		goto out;
	}
	n = PQntuples(res);
	for (i = 0; i < n; i++)
		printf("FAIL %s %s: %s\n", PQgetvalue(res, i, 0),
		    PQgetvalue(res, i, 1), PQgetvalue(res, i, 2));
	printf("audit: %d violation%s\n", n, n == 1 ? "" : "s");
	rc = n == 0 ? 0 : 1;
out:
	PQclear(res);
	return rc;
}
