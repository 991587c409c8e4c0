/*
 * migrate: the migration runner and the catalog audit of second-admin(8).
 *
 * Each file runs in its own transaction together with its bookkeeping
 * row, under a transaction-level advisory lock, so two runners cannot
 * apply the same file and a failed file leaves nothing behind.  A file
 * that changed after it was applied is an error: migrations are history,
 * new changes go into a new file.
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
    " applied_at timestamptz NOT NULL DEFAULT now())";

/* A migration file name: NNN_[a-z0-9_]+.sql */
static bool
migration_name_ok(const char *n)
{
	size_t	 len = strlen(n), i;

	if (len < 9 || strcmp(n + len - 4, ".sql") != 0)
		return false;
	for (i = 0; i < 3; i++)
		if (n[i] < '0' || n[i] > '9')
			return false;
	if (n[3] != '_')
		return false;
	for (i = 4; i < len - 4; i++)
		if (!((n[i] >= 'a' && n[i] <= 'z') ||
		    (n[i] >= '0' && n[i] <= '9') || n[i] == '_'))
			return false;
	return true;
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
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

/* Read a whole file into b; 0 or -1. */
static int
read_file(const char *path, struct buf *b)
{
	FILE	*fp;
	char	 chunk[8192];
	size_t	 n;
	int	 rc = -1;

	if ((fp = fopen(path, "re")) == NULL) {
		fprintf(stderr, "second-admin: %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(b, chunk, n);
	if (!ferror(fp) && buf_ok(b))
		rc = 0;
	fclose(fp);
	return rc;
}

/*
 * Apply one file unless already applied with the same checksum.
 * Returns 1 if applied, 0 if already there, -1 on error.
 */
static int
apply_one(PGconn *c, const char *dir, const char *name)
{
	struct buf	 path = BUF_INIT, text = BUF_INIT;
	unsigned char	 hash[crypto_hash_sha256_BYTES];
	char		 hex[crypto_hash_sha256_BYTES * 2 + 1];
	const char	*params[2];
	PGresult	*res = NULL;
	int		 rc = -1;

	buf_printf(&path, "%s/%s", dir, name);
	if (!buf_ok(&path) || read_file(path.b_data, &text) != 0)
		goto out;
	if (text.b_len == 0 || strlen(text.b_data) != text.b_len) {
		fprintf(stderr, "second-admin: %s: empty or contains NUL\n",
		    name);
		goto out;
	}
	crypto_hash_sha256(hash, (const unsigned char *)text.b_data,
	    text.b_len);
	sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
	params[0] = name;
	params[1] = hex;

	if (exec_ok(c, "BEGIN", "begin") != 0 ||
	    exec_ok(c, MIGRATE_LOCK, "lock") != 0)
		goto out;
	res = PQexecParams(c, "SELECT checksum FROM second.schema_migrations "
	    "WHERE name = $1", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "second-admin: %s", PQerrorMessage(c));
		goto out;
	}
	if (PQntuples(res) == 1) {
		if (strcmp(PQgetvalue(res, 0, 0), hex) != 0) {
			fprintf(stderr, "second-admin: %s was changed after "
			    "it was applied (checksum %s, now %s); add a new "
			    "migration instead\n", name,
			    PQgetvalue(res, 0, 0), hex);
			goto out;
		}
		rc = exec_ok(c, "COMMIT", "commit") == 0 ? 0 : -1;
		goto out;
	}
	PQclear(res);
	res = NULL;
	if (exec_ok(c, text.b_data, name) != 0)
		goto out;
	res = PQexecParams(c, "INSERT INTO second.schema_migrations "
	    "(name, checksum) VALUES ($1, $2)", 2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		fprintf(stderr, "second-admin: %s: %s", name,
		    PQerrorMessage(c));
		goto out;
	}
	if (exec_ok(c, "COMMIT", "commit") != 0)
		goto out;
	printf("applied %s\n", name);
	rc = 1;
out:
	PQclear(res);
	if (PQtransactionStatus(c) != PQTRANS_IDLE)
		(void)exec_ok(c, "ROLLBACK", "rollback");
	buf_free(&path);
	buf_free(&text);
	return rc;
}

/*
 * Apply every migration of sqldir in name order.  Returns 0 when all are
 * applied (newly or before), 1 on the first failure (printed).
 */
int
migrate_run(PGconn *c, const char *sqldir)
{
	DIR		*d = NULL;
	struct dirent	*de;
	char		**names = NULL, **tmp;
	size_t		 n = 0, cap = 0, i;
	int		 r, applied = 0, rc = 1;

	if ((d = opendir(sqldir)) == NULL) {
		fprintf(stderr, "second-admin: %s: %s\n", sqldir,
		    strerror(errno));
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		if (!migration_name_ok(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((tmp = reallocarray(names, cap,
			    sizeof(*names))) == NULL)
				goto out;
			names = tmp;
		}
		if ((names[n] = strdup(de->d_name)) == NULL)
			goto out;
		n++;
	}
	if (n == 0) {
		fprintf(stderr, "second-admin: no migrations in %s\n", sqldir);
		goto out;
	}
	qsort(names, n, sizeof(*names), cmpstr);
	if (exec_ok(c, "BEGIN", "begin") != 0 ||
	    exec_ok(c, MIGRATE_LOCK, "lock") != 0 ||
	    exec_ok(c, bootstrap_sql, "bootstrap") != 0 ||
	    exec_ok(c, "COMMIT", "commit") != 0) {
		(void)exec_ok(c, "ROLLBACK", "rollback");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((r = apply_one(c, sqldir, names[i])) < 0)
			goto out;
		applied += r;
	}
	printf("migrations: %zu known, %d applied now\n", n, applied);
	rc = 0;
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (d != NULL)
		closedir(d);
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
