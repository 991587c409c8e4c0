/*
 * stmtcheck: check the statement catalogue (stmt_defs, generated from
 * sql/statements/) against a migrated database, for tests/sql/statements.test.
 *
 *   stmtcheck CONNINFO        (a superuser: it switches to each role)
 *
 * For every statement and every role its header names, in a transaction
 * rolled back afterwards: SET LOCAL ROLE, PREPARE the text with the
 * catalogue's parameter count, and compare what the server describes with
 * the header: the parameter count and types ("$n TYPE ..." in params),
 * the result column count and names (returns).  Then EXPLAIN EXECUTE it
 * with a generic plan, which checks the role's privileges on every table
 * and function the statement, and the policies it meets, use.  Then,
 * as the superuser again, each "TABLE CMD" of the policy header must name
 * a row-level security policy of second.TABLE for that command (or ALL)
 * and the role, each "definer FUNC" a SECURITY DEFINER function.
 *
 * Prints one "ok" or "not ok" line per statement and role, then
 * "N passed, N failed"; exits 1 on any failure.
 */
#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "stmt.h"

#define CHECK_NAME	"stmtcheck"

struct why {
	char	 w_msg[1024];
	size_t	 w_len;
};

static void __attribute__((format(printf, 2, 3)))
why_add(struct why *w, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (w->w_len > 0 && w->w_len < sizeof(w->w_msg) - 2) {
		memcpy(w->w_msg + w->w_len, "; ", 3);
		w->w_len += 2;
	}
	va_start(ap, fmt);
	n = vsnprintf(w->w_msg + w->w_len, sizeof(w->w_msg) - w->w_len, fmt,
	    ap);
	va_end(ap);
	if (n > 0)
		w->w_len += (size_t)n;
	if (w->w_len > sizeof(w->w_msg) - 1)
		w->w_len = sizeof(w->w_msg) - 1;
}

/* Run sql with up to three text parameters; NULL and a reason on error. */
static PGresult *
run(PGconn *c, const char *sql, const char *p1, const char *p2,
    const char *p3, struct why *w)
{
	const char	*p[3] = { p1, p2, p3 };
	int		 n = p3 != NULL ? 3 : p2 != NULL ? 2 : p1 != NULL ? 1 : 0;
	PGresult	*r = PQexecParams(c, sql, n, NULL, p, NULL, NULL, 0);
	ExecStatusType	 st = PQresultStatus(r);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return r;
	why_add(w, "%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
	return NULL;
}

/* One row and "t" for sql with up to three parameters. */
static bool
is_true(PGconn *c, const char *sql, const char *p1, const char *p2,
    const char *p3, struct why *w)
{
	PGresult	*r = run(c, sql, p1, p2, p3, w);
	bool		 t;

	t = r != NULL && PQntuples(r) == 1 &&
	    strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	return t;
}

/* The type named after "$n " in the params header, normalized. */
static bool
param_type(const char *params, int n, char *out, size_t outlen)
{
	static const char *const alias[][2] = {
		{ "int", "integer" }, { "int4", "integer" },
		{ "int8", "bigint" }, { "bool", "boolean" },
	};
	char		 key[16];
	const char	*p = params, *e;
	size_t		 len, i;

	snprintf(key, sizeof(key), "$%d ", n);
	while ((p = strstr(p, key)) != NULL &&
	    p != params && p[-1] != ' ' && p[-1] != ';')
		p++;
	if (p == NULL)
		return false;
	p += strlen(key);
	for (e = p; *e != '\0' && *e != ' ' && *e != ';'; e++)
		continue;
	len = (size_t)(e - p);
	if (len == 0 || len >= outlen)
		return false;
	memcpy(out, p, len);
	out[len] = '\0';
	for (i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
		if (strcmp(out, alias[i][0]) == 0)
			snprintf(out, outlen, "%s", alias[i][1]);
	return true;
}

/* Compare the described statement with the header. */
static void
check_describe(PGconn *c, const struct stmt_def *d, struct why *w)
{
	PGresult	*r = PQdescribePrepared(c, CHECK_NAME), *t;
	char		 want[64], oid[16], num[16];
	int		 i;

	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		why_add(w, "describe: %s", PQresultErrorMessage(r));
		PQclear(r);
		return;
	}
	if (PQnparams(r) != d->sd_nparams) {
		why_add(w, "the server sees %d parameters, the catalogue %d",
		    PQnparams(r), d->sd_nparams);
	}
	for (i = 0; i < PQnparams(r) && i < d->sd_nparams; i++) {
		snprintf(num, sizeof(num), "$%d", i + 1);
		if (!param_type(d->sd_params, i + 1, want, sizeof(want))) {
			why_add(w, "params: no type after %s", num);
			continue;
		}
		snprintf(oid, sizeof(oid), "%u", PQparamtype(r, i));
		t = run(c, "SELECT format_type($1::oid, NULL)", oid, NULL, NULL,
		    w);
		if (t != NULL && PQntuples(t) == 1 &&
		    strcmp(PQgetvalue(t, 0, 0), want) != 0) {
			why_add(w, "params: %s is %s, the header says %s",
			    num, PQgetvalue(t, 0, 0), want);
		}
		PQclear(t);
	}
	if (PQnfields(r) != d->sd_ncols) {
		why_add(w, "returns: the server has %d columns, the header %d",
		    PQnfields(r), d->sd_ncols);
	}
	for (i = 0; i < PQnfields(r) && i < d->sd_ncols; i++)
		if (strcmp(PQfname(r, i), d->sd_cols[i]) != 0)
			why_add(w, "returns: column %s, header %s",
			    PQfname(r, i), d->sd_cols[i]);
	PQclear(r);
}

/*
 * The policy header: "TABLE CMD", "definer FUNC" or "none (...)" items,
 * comma-separated.
 */
static void
check_policy(PGconn *c, const struct stmt_def *d, const char *role,
    struct why *w)
{
	char	*s = strdup(d->sd_policy), *item, *save = NULL, *sp;
	char	 tbl[128];

	if (s == NULL) {
		why_add(w, "out of memory");
		return;
	}
	for (item = strtok_r(s, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		while (*item == ' ')
			item++;
		if (strncmp(item, "none", 4) == 0)
			continue;
		if ((sp = strchr(item, ' ')) == NULL) {
			why_add(w, "policy: cannot read \"%s\"", item);
			continue;
		}
		*sp++ = '\0';
		if (strcmp(item, "definer") == 0) {
			if (!is_true(c, "SELECT p.prosecdef FROM "
			    "pg_catalog.pg_proc p WHERE p.oid = "
			    "$1::regproc", sp, NULL, NULL, w))
				why_add(w, "policy: %s is not SECURITY "
				    "DEFINER", sp);
			continue;
		}
		snprintf(tbl, sizeof(tbl), "%s", item);
		if (!is_true(c, "SELECT EXISTS (SELECT 1 FROM "
		    "pg_catalog.pg_policies WHERE schemaname = 'second' "
		    "AND tablename = $1 AND cmd IN ($2, 'ALL') AND "
		    "(roles @> ARRAY[$3]::name[] OR "
		    "roles @> ARRAY['public']::name[]))", tbl, sp, role, w))
			why_add(w, "policy: no policy of second.%s for %s",
			    tbl, sp);
	}
	free(s);
}

/* Check statement d as role; true when it matches. */
static bool
check_one(PGconn *c, const struct stmt_def *d, const char *role,
    struct why *w)
{
	PGresult	*r;
	char		*id = NULL, sql[512];
	size_t		 len;
	int		 i;

	if ((r = run(c, "BEGIN", NULL, NULL, NULL, w)) == NULL)
		return false;
	PQclear(r);
	if ((id = PQescapeIdentifier(c, role, strlen(role))) == NULL)
		goto out;
	snprintf(sql, sizeof(sql), "SET LOCAL ROLE %s", id);
	if ((r = run(c, sql, NULL, NULL, NULL, w)) == NULL)
		goto out;
	PQclear(r);
	r = PQprepare(c, CHECK_NAME, d->sd_sql, d->sd_nparams, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		why_add(w, "prepare: %s", PQresultErrorMessage(r));
		PQclear(r);
		goto out;
	}
	PQclear(r);
	check_describe(c, d, w);
	/* Privileges: the executor's checks, without running anything. */
	snprintf(sql, sizeof(sql), "EXPLAIN EXECUTE " CHECK_NAME);
	for (i = 0; i < d->sd_nparams; i++) {
		len = strlen(sql);
		snprintf(sql + len, sizeof(sql) - len, "%sNULL",
		    i ? ", " : "(");
	}
	if (d->sd_nparams > 0) {
		len = strlen(sql);
		snprintf(sql + len, sizeof(sql) - len, ")");
	}
	if ((r = run(c, "SET LOCAL plan_cache_mode = force_generic_plan",
	    NULL, NULL, NULL, w)) != NULL) {
		PQclear(r);
		if ((r = run(c, sql, NULL, NULL, NULL, w)) != NULL)
			PQclear(r);
	}
out:
	PQfreemem(id);
	PQclear(PQexec(c, "ROLLBACK"));
	PQclear(PQexec(c, "DEALLOCATE ALL"));
	/* As the superuser again: the catalogues. */
	check_policy(c, d, role, w);
	return w->w_len == 0;
}

int
main(int argc, char *argv[])
{
	PGconn		*c;
	struct why	 w;
	char		 roles[256], *role, *save = NULL;
	int		 i, pass = 0, fail = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: stmtcheck conninfo\n");
		return 2;
	}
	c = PQconnectdb(argv[1]);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "stmtcheck: %s", PQerrorMessage(c));
		PQfinish(c);
		return 1;
	}
	for (i = 0; i < ST__MAX; i++) {
		snprintf(roles, sizeof(roles), "%s", stmt_defs[i].sd_role);
		for (role = strtok_r(roles, " ,", &save); role != NULL;
		    role = strtok_r(NULL, " ,", &save)) {
			memset(&w, 0, sizeof(w));
			if (check_one(c, &stmt_defs[i], role, &w)) {
				printf("ok - %s as %s\n", stmt_defs[i].sd_name,
				    role);
				pass++;
			} else {
				printf("not ok - %s as %s: %s\n",
				    stmt_defs[i].sd_name, role, w.w_msg);
				fail++;
			}
		}
	}
	PQfinish(c);
	printf("%d passed, %d failed\n", pass, fail);
	return fail == 0 && pass > 0 ? 0 : 1;
}
