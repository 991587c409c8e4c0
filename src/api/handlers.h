/*
 * handlers: every route handler, grouped by the file that defines it.
 * Each takes the request context, writes its response into x_resp and
 * returns ERR_OK, or returns an error (with x_msg/x_field optionally set)
 * for the worker to render.  "_pre" functions (pre-hooks) queue the
 * reads of a GET with txn_pre so they are pipelined with the guard (one
 * round trip), keeping what the handler needs in the route state
 * (route_state_new); a bad argument is left for the handler to answer
 * after the guard, and an error they return (memory) stops the request.
 */
#ifndef SECOND_HANDLERS_H
#define SECOND_HANDLERS_H

#include <libpq-fe.h>

#include "err.h"
#include "id.h"

struct buf;
struct jfield;
struct list_shape;
struct rctx;

/* sys.c */
enum err	 sys_livez(struct rctx *);
enum err	 sys_health(struct rctx *);

/* onboard.c */
enum err	 onb_home(struct rctx *);
enum err	 onb_identity_page(struct rctx *);
enum err	 onb_identity_form(struct rctx *);
enum err	 onb_identity_api(struct rctx *);
enum err	 onb_workspace_page(struct rctx *);
enum err	 onb_workspace_form(struct rctx *);
enum err	 onb_me_pre(struct rctx *);
enum err	 onb_me(struct rctx *);
enum err	 onb_logout(struct rctx *);

/* ws.c */
void		 ws_json_list(struct buf *, const PGresult *, int);
enum err	 ws_create(struct rctx *, const char *name, const char *slug,
		    char wsid[ID_LEN + 1]);
enum err	 ws_list_pre(struct rctx *);
enum err	 ws_list(struct rctx *);
enum err	 ws_post(struct rctx *);
enum err	 ws_get(struct rctx *);
enum err	 ws_patch(struct rctx *);
enum err	 ws_home_pre(struct rctx *);
enum err	 ws_home(struct rctx *);

/* members.c */
void		 json_id_list(struct buf *, const char *csv);
enum err	 members_list_pre(struct rctx *);
enum err	 members_list(struct rctx *);
enum err	 members_patch(struct rctx *);
enum err	 members_delete(struct rctx *);

/* teams.c */
enum err	 teams_list_pre(struct rctx *);
enum err	 teams_list(struct rctx *);
enum err	 teams_post(struct rctx *);
enum err	 teams_patch(struct rctx *);
enum err	 teams_delete(struct rctx *);
enum err	 teams_member_put(struct rctx *);
enum err	 teams_member_delete(struct rctx *);

/* invite.c */
enum err	 invites_list_pre(struct rctx *);
enum err	 invites_list(struct rctx *);
enum err	 invites_post(struct rctx *);
enum err	 invites_delete(struct rctx *);

/* apps.c */
enum err	 apps_list_pre(struct rctx *);
enum err	 apps_get_pre(struct rctx *);
enum err	 apps_list(struct rctx *);
enum err	 apps_show(struct rctx *);
enum err	 apps_post(struct rctx *);
enum err	 apps_patch(struct rctx *);
enum err	 apps_delete(struct rctx *);

/* files.c */
enum err	 files_list_pre(struct rctx *);
enum err	 files_get_pre(struct rctx *);
enum err	 files_list(struct rctx *);
enum err	 files_get(struct rctx *);
enum err	 files_put(struct rctx *);
enum err	 files_delete(struct rctx *);

/* review.c */
enum err	 review_list_pre(struct rctx *);
enum err	 review_list(struct rctx *);
enum err	 review_request(struct rctx *);
enum err	 review_approve(struct rctx *);
enum err	 review_request_changes(struct rctx *);
enum err	 review_publish(struct rctx *);

/* agentsapi.c */
enum err	 agentsapi_pre(struct rctx *);
enum err	 agentsapi_get(struct rctx *);
enum err	 agentsapi_patch(struct rctx *);
enum err	 agentsapi_approve(struct rctx *);

/* runs.c */
void		 run_json(struct buf *, const PGresult *, int, const char *app);
void		 agent_run_json(struct buf *, const PGresult *, const char *app);
enum err	 runs_list_pre(struct rctx *);
enum err	 runs_list(struct rctx *);
enum err	 runs_get_pre(struct rctx *);
enum err	 runs_get(struct rctx *);
enum err	 runs_post(struct rctx *);
enum err	 agent_runs_get_pre(struct rctx *);
enum err	 agent_runs_get(struct rctx *);
enum err	 agent_runs_post(struct rctx *);

/* data.c */
extern const struct list_shape data_doc_shape;
void		 data_doc_json(struct buf *, const PGresult *, int,
		    const char *coll);
enum err	 data_field(struct rctx *, struct jfield *, const char **);
enum err	 data_list_pre(struct rctx *);
enum err	 data_list(struct rctx *);
enum err	 data_get_pre(struct rctx *);
enum err	 data_get(struct rctx *);
enum err	 data_post(struct rctx *);
enum err	 data_patch(struct rctx *);
enum err	 data_delete(struct rctx *);

/* internal.c */
enum err	 internal_provider_sync(struct rctx *);

/* integ.c */
enum err	 integ_list_pre(struct rctx *);
enum err	 integ_list(struct rctx *);
enum err	 integ_post(struct rctx *);
enum err	 integ_patch(struct rctx *);
enum err	 integ_reset(struct rctx *);
enum err	 integ_delete(struct rctx *);
enum err	 integ_workspace(struct rctx *);
enum err	 integ_requirements(struct rctx *);

/* oauthcfg.c */
enum err	 oauthcfg_list_pre(struct rctx *);
enum err	 oauthcfg_list(struct rctx *);
enum err	 oauthcfg_patch(struct rctx *);

/* oauthconn.c */
enum err	 oauthconn_start_pre(struct rctx *);
enum err	 oauthconn_start(struct rctx *);
enum err	 oauthconn_callback(struct rctx *);
enum err	 oauthconn_accounts_pre(struct rctx *);
enum err	 oauthconn_accounts(struct rctx *);
enum err	 oauthconn_account_delete(struct rctx *);

/* toolexec.c */
enum err	 toolexec_internal(struct rctx *);
enum err	 toolexec_app(struct rctx *);
/* agentapi.c */
enum err	 agentapi_data_write(struct rctx *);
enum err	 agentapi_data_read(struct rctx *);
enum err	 agentapi_agent_run_complete(struct rctx *);
enum err	 agentapi_builder_run_complete(struct rctx *);
enum err	 agentapi_tool_failure(struct rctx *);

/* auditlog.c */
enum err	 auditlog_list_pre(struct rctx *);
enum err	 auditlog_list(struct rctx *);

#endif
