/*
 * audit: governance events (see audit.h).
 *
 * The workspace and the actor come from the transaction's context
 * (second.current_workspace_id(), second.current_user_id()), never from
 * anything the client sent.  The event's name and category come from the
 * table of event.c.  Metadata is built by our code from identifiers
 * only: no emails, tokens, secrets or bodies.
 */
#include "config.h"

#include "audit.h"
#include "db.h"
#include "rctx.h"

/*
 * Add an audit insert for the current context to batch b (dbb_add: a
 * full batch fails when it runs).  ev must live until the batch has run.
 * metadata_json NULL means {}.
 */
void
audit_queue(struct rctx *x, struct audit_ev *ev, struct dbb *b,
    enum event event, const char *outcome, const char *target_type,
    const char *target_id, const char *metadata_json)
{
	(void)x;
	id_new(ev->ae_id);
	dbb_add(b, ST_AUDIT, ev->ae_id, event_name(event), outcome,
	    target_type, target_id, metadata_json ? metadata_json : "{}",
	    event_category(event));
}

/*
 * Write one event in a transaction of its own under the caller's member
 * context (used for denials, whose request transaction is read-only or
 * rolled back).  Returns the batch's error.
 */
enum err
audit_write_alone(struct rctx *x, enum event event, const char *outcome,
    const char *target_type, const char *target_id)
{
	struct dbctx	 ctx;
	struct audit_ev	 ev;
	struct dbq	 q;
	struct dbb	 b = DBB_ONE(q);
	enum err	 rc = ERR_INTERNAL;

	if (x->x_user_id[0] == '\0' || x->x_ws.w_id[0] == '\0')
		return ERR_OK;	/* no workspace to record it in */
	ctx.c_role = "second_member";
	ctx.c_user_id = x->x_user_id;
	ctx.c_ws_ref = x->x_ws.w_id;
	ctx.c_subject = NULL;
	ctx.c_readonly = false;
	ctx.c_app_id = NULL;
	audit_queue(x, &ev, &b, event, outcome, target_type, target_id, NULL);
	rc = db_batch(x->x_db, &ctx, DB_BEGIN | DB_COMMIT, &b);
	dbb_clear(&b);
	return rc;
}
