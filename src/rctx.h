/*
 * rctx: everything a handler sees of one request: the request, the
 * response under construction, the database, and what the proxy layer
 * and the guard proved (who, which workspace, which role).
 */
#ifndef SECOND_RCTX_H
#define SECOND_RCTX_H

#include <stdbool.h>
#include <stdint.h>

#include "cookie.h"
#include "db.h"
#include "id.h"
#include "perm.h"
#include "secret.h"
#include "txn.h"

struct conf;
struct req;
struct resp;
struct route;
struct route_state_type;

enum onboard {
	OB_MISSING_IDENTITY = 0,
	OB_NEEDS_PROFILE,
	OB_NEEDS_WORKSPACE,
	OB_READY,
	OB__MAX
};

enum claim_kind {
	CLAIM_NONE = 0,		/* nothing presented, or it failed */
	CLAIM_SESSION,		/* none mode: verified session cookie */
	CLAIM_EXTERNAL,		/* external mode: web server or assertion */
};

/* What the request claims to be, before the database confirms it. */
struct claim {
	enum claim_kind	 cl_kind;
	struct session	 cl_sess;	/* CLAIM_SESSION */
	char		*cl_subject;	/* CLAIM_EXTERNAL, owned */
	char		*cl_email;	/* CLAIM_EXTERNAL, owned or NULL */
	char		*cl_name;	/* CLAIM_EXTERNAL, owned or NULL */
};

/* The workspace the request targets, and the caller's place in it. */
struct wsinfo {
	char		 w_id[ID_LEN + 1];	/* "" when none */
	char		*w_slug;		/* owned */
	char		*w_name;		/* owned */
	enum role	 w_role;		/* ROLE_NONE: not a member */
	char		*w_team_ids;		/* comma list, owned */
};

/* Per-worker state that outlives requests. */
struct wstate {
	struct db		*ws_db;		/* the connection */
	struct cookie_keys	 ws_keys;	/* session keys */
	bool			 ws_keys_loaded;
	struct secret_keys	 ws_seal;	/* sealing keys */
	bool			 ws_seal_loaded;
};

struct rctx {
	const struct conf	*x_conf;	/* configuration (borrowed) */
	struct req		*x_req;		/* the request */
	struct resp		*x_resp;	/* the response being built */
	struct db		*x_db;		/* the worker's connection */
	struct wstate		*x_w;		/* per-worker state */
	const struct route	*x_route;	/* matched route */
	const char		*x_msg;		/* error message override */
	const char		*x_field;	/* field of a 422 */
	char			 x_fieldbuf[256]; /* x_field's storage when the
						   name came from the body */

	struct claim		 x_claim;	/* presented identity */
	enum onboard		 x_state;	/* onboarding state */
	char			 x_user_id[ID_LEN + 1]; /* "" if none */
	char			*x_user_name;	/* display name, owned */
	char			*x_user_email;	/* email, owned */
	int64_t			 x_user_sv;	/* session_version */
	/*
	 * The oldest membership's slug; NULL when none, and NULL (not read,
	 * sql/repeatable/30_guard.sql) when the caller is a member of x_ws.
	 */
	char			*x_first_slug;
	const char		*x_ws_ref;	/* workspace reference used */
	struct wsinfo		 x_ws;		/* targeted workspace */
	struct txn		 x_txn;		/* the request's transaction */
	char			*x_set_cookie;	/* Set-Cookie to send, owned */
	/*
	 * The matched route's own state (route_state_new): one slot, owned,
	 * freed with the request.  Per-route data lives there, not in new
	 * fields here.
	 */
	const struct route_state_type *x_rstype; /* its type, NULL if none */
	void			*x_rstate;	/* the state, owned */
};

#endif
