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

#include <string.h>

#include "audit.h"
#include "db.h"
#include "rctx.h"

/*
 * Fill q with an audit insert for the current context.  ev must live
 * until the batch has run.  metadata_json NULL means {}.
 */
void
audit_queue(struct rctx *x, struct audit_ev *ev, struct dbq *q,
    enum event event, const char *outcome, const char *target_type,
    const char *target_id, const char *metadata_json)
{
	(void)x;
	id_new(ev->ae_id);
	memset(q, 0, sizeof(*q));
	q->q_stmt = ST_AUDIT;
	q->q_params[0] = ev->ae_id;
	q->q_params[1] = event_name(event);
	q->q_params[2] = outcome;
	q->q_params[3] = target_type;
	q->q_params[4] = target_id;
	q->q_params[5] = metadata_json ? metadata_json : "{}";
	q->q_params[6] = event_category(event);
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
	enum err	 rc;

	if (x->x_user_id[0] == '\0' || x->x_ws.w_id[0] == '\0')
		return ERR_OK;
	ctx.c_role = "second_member";
	ctx.c_user_id = x->x_user_id;
	ctx.c_ws_ref = x->x_ws.w_id;
	ctx.c_subject = NULL;
	ctx.c_readonly = false;
	audit_queue(x, &ev, &q, event, outcome, target_type, target_id, NULL);
	rc = db_batch(x->x_db, &ctx, DB_BEGIN | DB_COMMIT, &q, 1);
	dbq_clear(&q, 1);
	return rc;
}
