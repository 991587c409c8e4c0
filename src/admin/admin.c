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
	    "[--users n] [--apps n]\n");
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
		{ NULL, 0, NULL, 0 },
	};
	const char	*ws = NULL, *email = NULL, *name = NULL, *role = NULL;
	const char	*subject = NULL, *provider = NULL, *org = NULL;
	long		 ttl = 300;
	struct seed_size sz = { SEED_DEFAULT_WORKSPACES, SEED_DEFAULT_USERS,
			    SEED_DEFAULT_APPS };
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
			if (*optarg == '\0' || *end != '\0')
				usage();
			break;
		case 'A':
			sz.ss_apps = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0')
				usage();
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
	} else if (strcmp(cmd, "assertion") == 0) {
		rc = cmd_assertion(&cf, subject, email, name, ttl);
	} else
		usage();
out:
	PQfinish(c);
	conf_free(&cf);
	return rc;
}
