/*
 * second-admin: database and operator commands (second-admin(8)).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "buf.h"
#include "conf.h"
#include "cookie.h"
#include "guard.h"
#include "id.h"
#include "ident.h"
#include "jsonin.h"
#include "migrate.h"
#include "perm.h"
#include "secret.h"
#include "seed.h"

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: second-admin [-c file] migrate "
	    "[--sql-dir dir]\n"
	    "       second-admin [-c file] audit\n"
	    "       second-admin [-c file] member-add --workspace id|slug "
	    "--email e --name n --role r\n"
	    "       second-admin [-c file] workspace-link --workspace id|slug "
	    "--provider p --organization id\n"
	    "       second-admin [-c file] cookie --email e\n"
	    "       second-admin [-c file] assertion --subject s "
	    "[--email e] [--name n] [--ttl seconds]\n"
	    "       second-admin [-c file] seed-bench [--workspaces n] "
	    "[--users n] [--apps n]\n"
	    "       second-admin [-c file] secrets-rotate [--batch n] "
	    "[--check]\n");
	exit(2);
}

/* Connect with the admin conninfo; NULL (printed) on failure. */
static PGconn *
admin_connect(const struct conf *cf)
{
	PGconn	*c;

	c = PQconnectdb(cf->cf_admin_database_url);
	if (c == NULL || PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "second-admin: connect: %s",
		    c ? PQerrorMessage(c) : "out of memory\n");
		PQfinish(c);
		return NULL;
	}
	return c;
}

/* Run one parameterised statement; print the error.  NULL on failure. */
static PGresult *
admin_exec(PGconn *c, const char *sql, int n, const char *const *params)
{
	PGresult	*res = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);

	if (res == NULL || (PQresultStatus(res) != PGRES_TUPLES_OK &&
	    PQresultStatus(res) != PGRES_COMMAND_OK)) {
		fprintf(stderr, "second-admin: %s", PQerrorMessage(c));
		PQclear(res);
		return NULL;
	}
	return res;
}

/* An --email that breaks the email rule of second-api(7): usage, 2. */
static int
bad_email(void)
{
	fprintf(stderr, "second-admin: --email is not a plausible email "
	    "(ASCII only; see second-api(7))\n");
	return 2;
}

/*
 * member-add (none mode): upsert the user by email, the membership with
 * the role, and the General team membership, in one transaction.
 */
static int
cmd_member_add(PGconn *c, const struct conf *cf, const char *ws,
    const char *email, const char *name, const char *role)
{
	const char	*p[6];
	PGresult	*res = NULL;
	char		 nid[ID_LEN + 1], eid[ID_LEN + 1];
	int		 rc = 1;

	if (cf->cf_auth_mode != AUTH_NONE) {
		fprintf(stderr, "second-admin: member-add is for none mode; in "
		    "external mode the provider syncs memberships\n");
		return 1;
	}
	if (ws == NULL || email == NULL || name == NULL || role == NULL ||
	    role_parse(role) == ROLE_NONE) {
		fprintf(stderr, "second-admin: member-add needs --workspace, "
		    "--email, --name and --role owner|admin|member\n");
		return 2;
	}
	if (!jsonin_email_ok(email))
		return bad_email();
	id_new(nid);
	p[0] = nid;
	p[1] = name;
	p[2] = email;
	p[3] = role;
	p[4] = ws;
	id_new(eid);
	p[5] = eid;
	if ((res = admin_exec(c, "BEGIN", 0, NULL)) == NULL)
		goto out;
	PQclear(res);
	res = admin_exec(c,
	    "WITH u AS (SELECT user_id FROM second.onboard_identity($1, $2, $3)),"
	    " w AS (SELECT id FROM second.workspaces WHERE id = $5 OR slug = $5),"
	    " m AS (INSERT INTO second.workspace_memberships AS wm "
	    "  (workspace_id, user_id, role) SELECT w.id, u.user_id, $4 "
	    "  FROM w, u ON CONFLICT (workspace_id, user_id) DO UPDATE SET "
	    "  role = EXCLUDED.role, membership_version = "
	    "  wm.membership_version + 1 RETURNING workspace_id, user_id),"
	    " t AS (INSERT INTO second.team_memberships (workspace_id, team_id,"
	    "  user_id) SELECT m.workspace_id, tm.id, m.user_id FROM m "
	    "  JOIN second.teams tm ON tm.workspace_id = m.workspace_id "
	    "  AND tm.is_default ON CONFLICT DO NOTHING),"
	    " a AS (INSERT INTO second.audit_events (workspace_id, id, "
	    "  event_name, category, actor_type, source, target_type, "
	    "  target_id, outcome, metadata) SELECT m.workspace_id, $6, "
	    "  'members.added', 'members', 'system', 'second-admin', 'user', "
	    "  m.user_id, 'success', jsonb_build_object('role', $4::text) "
	    "  FROM m) "
	    "SELECT user_id, workspace_id FROM m", 6, p);
	if (res == NULL)
		goto out;
	if (PQntuples(res) != 1) {
		fprintf(stderr, "second-admin: no workspace %s\n", ws);
		goto out;
	}
	printf("user %s is %s of workspace %s\n", PQgetvalue(res, 0, 0), role,
	    PQgetvalue(res, 0, 1));
	PQclear(res);
	if ((res = admin_exec(c, "COMMIT", 0, NULL)) == NULL)
		goto out;
	rc = 0;
out:
	PQclear(res);
	if (PQtransactionStatus(c) != PQTRANS_IDLE)
		PQclear(PQexec(c, "ROLLBACK"));
	return rc;
}

/*
 * workspace-link: map the workspace to the identity provider's
 * organization (provider sync may then name it by that organization),
 * audited, in one transaction.  An organization already mapped to another
 * workspace is refused (the unique index of sql/003); linking again
 * replaces the workspace's previous mapping.
 */
static int
cmd_workspace_link(PGconn *c, const char *ws, const char *provider,
    const char *org)
{
	const char	*p[4];
	PGresult	*res = NULL;
	char		 eid[ID_LEN + 1];
	int		 rc = 1;

	if (ws == NULL || provider == NULL || org == NULL ||
	    provider[0] == '\0' || org[0] == '\0' || strlen(provider) > 64 ||
	    strlen(org) > 255) {
		fprintf(stderr, "second-admin: workspace-link needs --workspace, "
		    "--provider (1 to 64 bytes) and --organization (1 to 255 "
		    "bytes)\n");
		return 2;
	}
	id_new(eid);
	p[0] = ws;
	p[1] = provider;
	p[2] = org;
	p[3] = eid;
	res = admin_exec(c,
	    "WITH w AS (UPDATE second.workspaces SET "
	    "  external_organization_provider = $2, "
	    "  external_organization_id = $3 "
	    "  WHERE id = $1 OR slug = $1 RETURNING id),"
	    " a AS (INSERT INTO second.audit_events (workspace_id, id, "
	    "  event_name, category, actor_type, source, target_type, "
	    "  target_id, outcome, metadata) SELECT w.id, $4, "
	    "  'workspaces.linked', 'workspaces', 'system', 'second-admin', "
	    "  'workspace', w.id, 'success', jsonb_build_object("
	    "  'organizationProvider', $2::text, 'organizationId', $3::text) "
	    "  FROM w) "
	    "SELECT id FROM w", 4, p);
	if (res == NULL)
		goto out;
	if (PQntuples(res) != 1) {
		fprintf(stderr, "second-admin: no workspace %s\n", ws);
		goto out;
	}
	printf("workspace %s is organization %s of provider %s\n",
	    PQgetvalue(res, 0, 0), org, provider);
	rc = 0;
out:
	PQclear(res);
	return rc;
}

/* cookie_fetch_fn over the admin connection. */
static int
fetch_admin_key(void *arg, const char *cand_hex, char out_hex[65])
{
	const char	*p[1] = { cand_hex };
	PGresult	*res;
	int		 rc = -1;

	res = admin_exec(arg, "SELECT encode(key, 'hex') FROM "
	    "second.session_key_ensure(decode($1, 'hex'))", 1, p);
	if (res != NULL && PQntuples(res) == 1 &&
	    strlen(PQgetvalue(res, 0, 0)) == 64) {
		memcpy(out_hex, PQgetvalue(res, 0, 0), 65);
		rc = 0;
	}
	PQclear(res);
	return rc;
}

/*
 * secrets-rotate: every sealed value not under the current key (its
 * stored key id) is opened with the key its key id names and sealed again
 * under the current key with the same associated data (rot_sets:
 * integration secrets, OAuth client secrets, access and refresh tokens),
 * --batch rows per transaction, in key order.  A crash leaves each row
 * either as it was or re-sealed (each batch commits or rolls back whole),
 * so a second run finishes the work.  A value that opens under no key
 * (copied from another row, sealed under a key no longer configured) is
 * left as it is and counted.  --check opens every row and changes nothing.
 */
#define ROTATE_DEFAULT_BATCH	100
#define ROTATE_MAX_BATCH	10000

/*
 * The keys the workers use: SECOND_SECRETS_KEY and its previous keys, or
 * (unset, development) the key kept in the database.  The key kept in the
 * database also opens when a configured key replaced it.  0 or -1.
 */
static int
rot_keys(PGconn *c, const struct conf *cf, struct secret_keys *ks)
{
	unsigned char	 cand[32], key[32];
	char		 hex[65];
	const char	*p[1] = { hex };
	PGresult	*res = NULL;
	size_t		 binlen;
	int		 rc = -1;

	if (cf->cf_secrets_key == NULL) {
		randombytes_buf(cand, sizeof(cand));
		sodium_bin2hex(hex, sizeof(hex), cand, sizeof(cand));
		res = admin_exec(c, "SELECT encode(key, 'hex') FROM "
		    "second.sealing_key_ensure(decode($1, 'hex'))", 1, p);
	} else
		res = admin_exec(c, "SELECT encode(key, 'hex') FROM "
		    "second.sealing_keys WHERE kid = 1", 0, NULL);
	if (res == NULL)
		goto out;
	if (PQntuples(res) == 1 && sodium_hex2bin(key, sizeof(key),
	    PQgetvalue(res, 0, 0), strlen(PQgetvalue(res, 0, 0)), NULL,
	    &binlen, NULL) != 0)
		goto out;
	if (cf->cf_secrets_key == NULL) {
		if (PQntuples(res) != 1 ||
		    secret_keys_load(ks, key, sizeof(key), NULL) != 0)
			goto out;
	} else if (secret_keys_load(ks, cf->cf_secrets_key,
	    strlen(cf->cf_secrets_key), cf->cf_secrets_previous_keys) != 0 ||
	    (PQntuples(res) == 1 && secret_keys_add(ks, key, sizeof(key)) != 0))
		goto out;
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "second-admin: cannot load the sealing keys\n");
	PQclear(res);
	sodium_memzero(cand, sizeof(cand));
	sodium_memzero(key, sizeof(key));
	sodium_memzero(hex, sizeof(hex));
	return rc;
}

/* Counts of a run. */
struct rot_count {
	long	 rc_resealed, rc_current, rc_open, rc_bad;
};

/*
 * One kind of sealed value: its rows as (workspace, owner row id, name,
 * sealed, under the current key $1), after the key ($2, $3, $4) in key
 * order, at most $5; the name being the sealing's associated data (a
 * secret's name, or the column's kind).  check reads every row, rotate
 * those under another key, locked; update writes $4 as the row's sealed
 * value.
 */
struct rot_set {
	const char	*rs_owner;	/* what the owner row is, for messages */
	const char	*rs_check;
	const char	*rs_rotate;
	const char	*rs_update;	/* $1 ws, $2 owner, $3 name, $4 sealed */
};

/*
 * The sealed column col of table, keyed (workspace_id, id), kid its key
 * id column; the associated data's name is the column's name.
 */
#define ROT_COLUMN(owner, table, col, kid) { owner, \
	"SELECT workspace_id, id, '" col "', " col ", " kid " = decode($1, 'hex') " \
	"FROM second." table " WHERE " col " IS NOT NULL " \
	"AND (workspace_id, id, '" col "'::text) > ($2, $3, $4::text) " \
	"ORDER BY workspace_id, id LIMIT $5::int", \
	"SELECT workspace_id, id, '" col "', " col ", false " \
	"FROM second." table " WHERE " col " IS NOT NULL " \
	"AND " kid " <> decode($1, 'hex') " \
	"AND (workspace_id, id, '" col "'::text) > ($2, $3, $4::text) " \
	"ORDER BY workspace_id, id LIMIT $5::int FOR UPDATE", \
	"UPDATE second." table " SET " col " = $4::bytea " \
	"WHERE workspace_id = $1 AND id = $2 AND $3 = '" col "'" }

static const struct rot_set rot_sets[] = {
	{ "credential",
	  "SELECT workspace_id, credential_id, name, sealed, "
	  "key_id = decode($1, 'hex') FROM second.integration_secrets "
	  "WHERE (workspace_id, credential_id, name) > ($2, $3, $4) "
	  "ORDER BY workspace_id, credential_id, name LIMIT $5::int",
	  "SELECT workspace_id, credential_id, name, sealed, false "
	  "FROM second.integration_secrets "
	  "WHERE key_id <> decode($1, 'hex') "
	  "AND (workspace_id, credential_id, name) > ($2, $3, $4) "
	  "ORDER BY workspace_id, credential_id, name LIMIT $5::int "
	  "FOR UPDATE",
	  "UPDATE second.integration_secrets SET sealed = $4::bytea "
	  "WHERE workspace_id = $1 AND credential_id = $2 AND name = $3" },
	ROT_COLUMN("OAuth provider config", "oauth_provider_configs",
	    "client_secret", "key_id"),
	ROT_COLUMN("connected account", "connected_accounts",
	    "access_token", "access_key_id"),
	ROT_COLUMN("connected account", "connected_accounts",
	    "refresh_token", "refresh_key_id"),
};

/*
 * One batch of set rs after the key (ws, owner, name) (all "" for the
 * first): at most batch rows, in one transaction.  Sets *more when there
 * may be further rows, and the key to the last row seen.  0 or -1.
 */
static int
rot_batch(PGconn *c, const struct rot_set *rs, const struct secret_keys *ks,
    const char *kid_hex, long batch, bool check, char last[3][128],
    bool *more, struct rot_count *n)
{
	char		 lim[24];
	const char	*p[5] = { kid_hex, last[0], last[1], last[2], lim };
	const char	*up[4];
	struct buf	 sealed = BUF_INIT, plain = BUF_INIT, out = BUF_INIT;
	struct buf	 param = BUF_INIT;
	PGresult	*res = NULL, *ur;
	const char	*ws, *owner, *name;
	int		 i, rows, rc = -1;

	snprintf(lim, sizeof(lim), "%ld", batch);
	if ((ur = admin_exec(c, "BEGIN", 0, NULL)) == NULL)
		return -1;
	PQclear(ur);
	/* --check: every row; otherwise those under another key. */
	res = admin_exec(c, check ? rs->rs_check : rs->rs_rotate, 5, p);
	if (res == NULL)
		goto out;
	rows = PQntuples(res);
	for (i = 0; i < rows; i++) {
		ws = PQgetvalue(res, i, 0);
		owner = PQgetvalue(res, i, 1);
		name = PQgetvalue(res, i, 2);
		buf_reset(&sealed);
		buf_reset(&plain);
		if (secret_from_bytea(PQgetvalue(res, i, 3), &sealed) != 0 ||
		    secret_open(ks, ws, owner, name, sealed.b_data,
		    sealed.b_len, &plain) != 0) {
			fprintf(stderr, "second-admin: secret %s of %s %s in "
			    "workspace %s opens under no key\n", name,
			    rs->rs_owner, owner, ws);
			n->rc_bad++;
			continue;
		}
		if (check) {
			n->rc_open++;
			if (strcmp(PQgetvalue(res, i, 4), "t") == 0)
				n->rc_current++;
			continue;
		}
		buf_reset(&out);
		buf_reset(&param);
		if (secret_seal(ks, ws, owner, name, plain.b_data, plain.b_len,
		    &out) != 0)
			goto out;
		secret_bytea(out.b_data, out.b_len, &param);
		if (!buf_ok(&param))
			goto out;
		up[0] = ws;
		up[1] = owner;
		up[2] = name;
		up[3] = param.b_data;
		if ((ur = admin_exec(c, rs->rs_update, 4, up)) == NULL)
			goto out;
		PQclear(ur);
		n->rc_resealed++;
	}
	if (rows > 0) {
		snprintf(last[0], 128, "%s", PQgetvalue(res, rows - 1, 0));
		snprintf(last[1], 128, "%s", PQgetvalue(res, rows - 1, 1));
		snprintf(last[2], 128, "%s", PQgetvalue(res, rows - 1, 2));
	}
	*more = rows == batch;
	if ((ur = admin_exec(c, "COMMIT", 0, NULL)) == NULL)
		goto out;
	PQclear(ur);
	rc = 0;
out:
	if (rc != 0)
		PQclear(PQexec(c, "ROLLBACK"));
	PQclear(res);
	if (plain.b_data != NULL)
		sodium_memzero(plain.b_data, plain.b_len);
	buf_free(&plain);
	buf_free(&sealed);
	buf_free(&out);
	buf_free(&param);
	return rc;
}

/*
 * secrets-rotate [--batch n] [--check]: re-seal (or, --check, open) every
 * stored secret; print the counts.  0 when every secret opens, 1
 * otherwise (or on an error).
 */
static int
cmd_secrets_rotate(PGconn *c, const struct conf *cf, long batch, bool check)
{
	struct secret_keys	 ks;
	struct rot_count	 n = { 0, 0, 0, 0 };
	char			 kid[2 * SECRET_KID_LEN + 1];
	char			 last[3][128];
	bool			 more;
	size_t			 i;
	int			 rc = 1;

	if (batch < 1 || batch > ROTATE_MAX_BATCH) {
		fprintf(stderr, "second-admin: --batch is 1 to %d\n",
		    ROTATE_MAX_BATCH);
		return 2;
	}
	if (rot_keys(c, cf, &ks) != 0)
		goto out;
	sodium_bin2hex(kid, sizeof(kid), ks.sks_keys[0].sk_kid,
	    SECRET_KID_LEN);
	for (i = 0; i < sizeof(rot_sets) / sizeof(rot_sets[0]); i++) {
		memset(last, 0, sizeof(last));
		more = true;
		while (more)
			if (rot_batch(c, &rot_sets[i], &ks, kid, batch, check,
			    last, &more, &n) != 0)
				goto out;
	}
	if (check)
		printf("secrets-rotate --check: %ld open (%ld under the "
		    "current key %s), %ld open under no key\n", n.rc_open,
		    n.rc_current, kid, n.rc_bad);
	else
		printf("secrets-rotate: %ld re-sealed under key %s, %ld open "
		    "under no key\n", n.rc_resealed, kid, n.rc_bad);
	rc = n.rc_bad == 0 ? 0 : 1;
out:
	sodium_memzero(&ks, sizeof(ks));
	return rc;
}

/*
 * cookie (none mode): print "name=value" of a fresh session cookie for
 * the user with that email, signed with the key the workers use.
 */
static int
cmd_cookie(PGconn *c, const struct conf *cf, const char *email)
{
	struct cookie_keys	 ks;
	struct session		 s;
	struct buf		 out = BUF_INIT;
	const char		*p[1], *name = guard_cookie_name(cf);
	PGresult		*res = NULL;
	int			 rc = 1;

	memset(&ks, 0, sizeof(ks));
	if (cf->cf_auth_mode != AUTH_NONE) {
		fprintf(stderr, "second-admin: cookie is for none mode only\n");
		return 1;
	}
	if (email == NULL) {
		fprintf(stderr, "second-admin: cookie needs --email\n");
		return 2;
	}
	if (!jsonin_email_ok(email))
		return bad_email();
	p[0] = email;
	res = admin_exec(c, "SELECT id, session_version FROM second.users "
	    "WHERE email_normalized = lower(btrim($1))", 1, p);
	if (res == NULL)
		goto out;
	if (PQntuples(res) != 1) {
		fprintf(stderr, "second-admin: no user with that email\n");
		goto out;
	}
	memset(&s, 0, sizeof(s));
	snprintf(s.s_user_id, sizeof(s.s_user_id), "%s", PQgetvalue(res, 0, 0));
	s.s_version = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	s.s_issued = (int64_t)time(NULL);
	s.s_expires = s.s_issued + cf->cf_session_max_age;
	if (cookie_keys_load(&ks, cf->cf_session_secret, NULL, fetch_admin_key,
	    c) != 0) {
		fprintf(stderr, "second-admin: cannot load the session key\n");
		goto out;
	}
	buf_printf(&out, "%s=", name);
	if (cookie_encode(&ks.ks_keys[0], name, &s, &out) != 0)
		goto out;
	printf("%s\n", out.b_data);
	rc = 0;
out:
	sodium_memzero(&ks, sizeof(ks));
	buf_free(&out);
	PQclear(res);
	return rc;
}

/*
 * assertion: print a signed identity assertion as an authenticating proxy
 * would send it (X-Second-Assertion), for testing a deployment.
 */
static int
cmd_assertion(const struct conf *cf, const char *sub, const char *email,
    const char *name, long ttl)
{
	struct buf	 out = BUF_INIT;
	int		 rc = 1;

	if (cf->cf_provider_secret == NULL || sub == NULL || ttl < 1 ||
	    ttl > ASSERTION_MAX_AGE) {
		fprintf(stderr, "second-admin: assertion needs provider_secret, "
		    "--subject, and a --ttl of 1 to %d seconds\n",
		    ASSERTION_MAX_AGE);
		return 2;
	}
	if (ident_assertion_make(cf->cf_provider_secret, sub, email, name,
	    (int64_t)time(NULL) + ttl, &out) == 0) {
		printf("%s\n", out.b_data);
		rc = 0;
	}
	buf_free(&out);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option sub_opts[] = {
		{ "sql-dir", required_argument, NULL, 's' },
		{ "workspace", required_argument, NULL, 'w' },
		{ "email", required_argument, NULL, 'e' },
		{ "name", required_argument, NULL, 'n' },
		{ "role", required_argument, NULL, 'r' },
		{ "subject", required_argument, NULL, 'u' },
		{ "ttl", required_argument, NULL, 't' },
		{ "provider", required_argument, NULL, 'p' },
		{ "organization", required_argument, NULL, 'o' },
		{ "workspaces", required_argument, NULL, 'W' },
		{ "users", required_argument, NULL, 'U' },
		{ "apps", required_argument, NULL, 'A' },
		{ "batch", required_argument, NULL, 'B' },
		{ "check", no_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	const char	*ws = NULL, *email = NULL, *name = NULL, *role = NULL;
	const char	*subject = NULL, *provider = NULL, *org = NULL;
	long		 ttl = 300, batch = ROTATE_DEFAULT_BATCH;
	bool		 check = false;
	struct seed_size sz = { SEED_DEFAULT_WORKSPACES, 0, SEED_DEFAULT_APPS };
	char		*end;
	struct conf	 cf;
	const char	*conf_path = CONF_DEFAULT_PATH, *cmd;
	const char	*sqldir = SECOND_SQLDIR;
	bool		 explicit_path = false;
	char		 err[512];
	PGconn		*c = NULL;
	int		 ch, rc = 1;

	while ((ch = getopt(argc, argv, "+c:")) != -1) {
		switch (ch) {
		case 'c':
			conf_path = optarg;
			explicit_path = true;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	cmd = argv[0];
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", sub_opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			sqldir = optarg;
			break;
		case 'w':
			ws = optarg;
			break;
		case 'e':
			email = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'r':
			role = optarg;
			break;
		case 'u':
			subject = optarg;
			break;
		case 'p':
			provider = optarg;
			break;
		case 'o':
			org = optarg;
			break;
		case 't':
			ttl = strtol(optarg, &end, 10);
			if (*end != '\0')
				usage();
			break;
		case 'W':
			sz.ss_workspaces = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0')
				usage();
			break;
		case 'U':
			sz.ss_users = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || sz.ss_users < 1)
				usage();
			break;
		case 'A':
			sz.ss_apps = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0')
				usage();
			break;
		case 'B':
			batch = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0')
				usage();
			break;
		case 'C':
			check = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (sodium_init() < 0)
		return 1;
	if (conf_load(&cf, conf_path, explicit_path, err, sizeof(err)) != 0) {
		fprintf(stderr, "second-admin: configuration: %s\n", err);
		goto out;
	}
	if (strcmp(cmd, "migrate") == 0) {
		if ((c = admin_connect(&cf)) != NULL)
			rc = migrate_run(c, sqldir);
	} else if (strcmp(cmd, "audit") == 0) {
		if ((c = admin_connect(&cf)) != NULL)
			rc = migrate_audit(c);
	} else if (strcmp(cmd, "member-add") == 0) {
		if ((c = admin_connect(&cf)) != NULL)
			rc = cmd_member_add(c, &cf, ws, email, name, role);
	} else if (strcmp(cmd, "workspace-link") == 0) {
		if ((c = admin_connect(&cf)) != NULL)
			rc = cmd_workspace_link(c, ws, provider, org);
	} else if (strcmp(cmd, "cookie") == 0) {
		if ((c = admin_connect(&cf)) != NULL)
			rc = cmd_cookie(c, &cf, email);
	} else if (strcmp(cmd, "seed-bench") == 0) {
		if ((c = admin_connect(&cf)) != NULL)
			rc = seed_bench(c, &sz);
	} else if (strcmp(cmd, "secrets-rotate") == 0) {
		if ((c = admin_connect(&cf)) != NULL)
			rc = cmd_secrets_rotate(c, &cf, batch, check);
	} else if (strcmp(cmd, "assertion") == 0) {
		rc = cmd_assertion(&cf, subject, email, name, ttl);
	} else
		usage();
out:
	PQfinish(c);
	conf_free(&cf);
	return rc;
}
