/*
 * iscope: the scope of an internal call (the agent worker's), taken from
 * its body and nowhere else.
 *
 * Every internal route (/api/internal/...) but provider sync names workspaceId and
 * appId, and most name version and agentId.  iscope_open checks their
 * shape, opens the request transaction as second_internal with
 * second.workspace_id and second.app_id set from them (the policies of
 * that role key on both), and loads the app with the approved agents
 * payload of the version named.  The token authenticated the caller; this
 * is what scopes the call.
 */
#ifndef SECOND_ISCOPE_H
#define SECOND_ISCOPE_H

#include <stdbool.h>

#include <json-c/json.h>

#include "err.h"
#include "id.h"
#include "jsonin.h"

struct rctx;

/*
 * The first ISCOPE_NFIELDS entries of a handler's jfield array, in this
 * order; the handler's own fields follow.
 */
#define ISCOPE_FIELDS \
	{ "workspaceId", JF_STRING, true, 64, NULL }, \
	{ "appId", JF_STRING, true, 64, NULL }, \
	{ "version", JF_STRING, false, 16, NULL }, \
	{ "agentId", JF_STRING, false, 128, NULL }
#define ISCOPE_NFIELDS	4

/* What the call must name besides the workspace and the app. */
#define ISCOPE_AGENT	0x01	/* agentId, an agent of the approved payload */

struct iscope {
	char		 is_ws[ID_LEN + 1];	/* workspaceId */
	char		 is_app[ID_LEN + 1];	/* appId */
	bool		 is_draft;		/* version "draft" */
	const char	*is_agent;	/* agentId (borrowed from the body) */
	json_object	*is_payload;	/* approved payload; NULL: none */
	char		 is_hash[80];	/* its hash; "" when none */
};

enum err	 iscope_open(struct rctx *, const struct jfield *, int,
		    struct iscope *) __attribute__((warn_unused_result));
void		 iscope_close(struct iscope *);
const char	*iscope_version(const struct iscope *);

#endif
