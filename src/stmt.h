/*
 * stmt: every SQL statement the workers run, named and prepared once per
 * connection.  The text is in stmt.c, in one place, so that a DBA can read
 * all of it; every value is a bound parameter.
 */
#ifndef SECOND_STMT_H
#define SECOND_STMT_H

enum stmt {
	ST_PING = 0,		/* readiness */
	ST_CTX,			/* role + transaction-local context */
	ST_GUARD,		/* who: user, memberships, target workspace */
	ST_SESSION_KEY,		/* the shared none-mode cookie key */
	ST_ONBOARD,		/* none mode: create or complete a user */
	ST_EXTERNAL_USER,	/* external mode: upsert by subject */
	ST_AUDIT,		/* append an audit event in the context */
	ST_SET_WS,		/* move the context to a new workspace */
	ST_MY_WORKSPACES,	/* the caller's memberships */
	ST_LOGOUT,		/* bump session_version */
	ST_WS_CREATE,		/* workspace + owner + General */
	ST_WS_RENAME,
	ST_MEMBERS,		/* members page */
	ST_MEMBER_LOCK,		/* lock owners and a target member */
	ST_MEMBER_SET_ROLE,
	ST_MEMBER_DELETE,
	ST_IS_MEMBER,		/* is a user a member of the context ws */
	ST_TEAMS,		/* teams page */
	ST_TEAM_GET,		/* lock one team */
	ST_TEAM_INSERT,
	ST_TEAM_RENAME,
	ST_TEAM_DELETE,
	ST_TEAM_MEMBER_ADD,
	ST_TEAM_MEMBER_DEL,
	ST_INVITES,		/* invitations page */
	ST_INVITE_GET,		/* lock one invitation */
	ST_INVITE_INSERT,
	ST_INVITE_REVOKE,
	ST_PROVIDER_SYNC,	/* provider membership sync */
	ST__MAX
};

struct stmt_def {
	const char	*sd_name;	/* prepared statement name */
	const char	*sd_sql;	/* text */
	int		 sd_nparams;	/* number of $n */
};

extern const struct stmt_def stmt_defs[ST__MAX];

#endif
