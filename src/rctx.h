/*
 * rctx: everything a handler sees of one request: the request, the
 * response under construction, the database, and what the proxy layer
 * and the guard proved (who, which workspace, which role).
 */
#ifndef SECOND_RCTX_H
#define SECOND_RCTX_H

#include <stdbool.h>
#include <stdint.h>

#include "audit.h"
#include "cookie.h"
#include "db.h"
#include "id.h"
#include "list.h"
#include "perm.h"

struct conf;
struct req;
struct resp;
struct route;

#define RCTX_MAXPRE	4

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
	 * sql/018) when the caller is a member of x_ws.
	 */
	char			*x_first_slug;
	const char		*x_ws_ref;	/* workspace reference used */
	char			 x_sel[64];	/* selected by header or cookie */
	bool			 x_sel_bad;	/* ... and malformed */
	struct wsinfo		 x_ws;		/* targeted workspace */
	bool			 x_tx;		/* request transaction open */
	bool			 x_readonly;	/* ... and READ ONLY */
	struct dbq		 x_pre[RCTX_MAXPRE]; /* pipelined reads */
	size_t			 x_npre;
	struct list_args	 x_list;	/* pagination of a list */
	char			*x_set_cookie;	/* Set-Cookie to send, owned */
	char			*x_path;	/* decoded file path, owned */
	char			 x_dcoll[65];	/* data collection */
	const char		*x_dscope;	/* data scope: draft, published */
	char			*x_hookbuf;	/* text a write hook queued */
	struct audit_ev		 x_hook_ev;	/* event a write hook queued */
};

#endif
