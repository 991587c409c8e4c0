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
	ST_WS_PAGE,		/* ... paginated by workspace id */
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
	ST_INVITE_EXPIRE,	/* store an email's lapsed invitation expired */
	ST_INVITE_INSERT,
	ST_INVITE_REVOKE,
	ST_PROVIDER_ORG,	/* context: the organization's workspace */
	ST_PROVIDER_SYNC,	/* provider membership sync */
	ST_APPS_LIST,		/* visible apps, paginated */
	ST_APP_GET,		/* one app (under RLS: visible or nothing) */
	ST_APP_LOCK,		/* ... locked for a builder's write */
	ST_APP_REFS,		/* team and member ids inside the workspace */
	ST_APP_INSERT,
	ST_APP_RENAME,
	ST_APP_DELETE,
	ST_APP_CLEAR_TEAMS,
	ST_APP_ADD_TEAMS,
	ST_APP_DRAFT_TEAMS,	/* the teams a review request proposes */
	ST_APP_ADD_COLLABS,
	ST_APP_DROP_COLLABS,	/* all but the kept ones */
	ST_SUPERSEDE,		/* a builder edit of an app in review */
	ST_FILES_LIST,		/* a snapshot's file list */
	ST_FILE_GET,		/* one file of a snapshot */
	ST_SNAP_SIZE,		/* draft use, apart from one path */
	ST_FILE_PUT,		/* write one draft file, update the app */
	ST_FILE_DEL,		/* delete one draft file, update the app */
	ST_REVIEWS_LIST,	/* review requests the caller may see */
	ST_REVIEW_LOCK,		/* one review request, locked */
	ST_REVIEW_INSERT,
	ST_REVIEW_DECIDE,
	ST_APP_SET_STATUS,
	ST_APP_PROMOTE,		/* draft snapshot and approved agents -> published */
	ST_APP_AGENTS,		/* draft and published agents payloads */
	ST_APP_SET_DRAFT_AGENTS, /* new draft agents.json, approval kept or cleared */
	ST_APP_APPROVE_AGENTS,	/* record an approval of the current hash */
	ST_RUNS_LIST,		/* builder runs of an app */
	ST_RUN_GET,
	ST_RUN_INSERT,
	ST_AGENT_RUN_INSERT,
	ST_AGENT_RUN_GET,
	ST_DATA_LIST,
	ST_DATA_GET,
	ST_DATA_INSERT,
	ST_DATA_UPDATE,
	ST_DATA_DELETE,
	ST__MAX
};

struct stmt_def {
	const char	*sd_name;	/* prepared statement name */
	const char	*sd_sql;	/* text */
	int		 sd_nparams;	/* number of $n */
};

extern const struct stmt_def stmt_defs[ST__MAX];

#endif
