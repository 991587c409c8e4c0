/*
 * handlers: every route handler, grouped by the file that defines it.
 * Each takes the request context, writes its response into x_resp and
 * returns ERR_OK, or returns an error (with x_msg/x_field optionally set)
 * for the worker to render.  "_pre" functions queue the reads of a GET
 * so they are pipelined with the guard (one round trip).
 */
#ifndef SECOND_HANDLERS_H
#define SECOND_HANDLERS_H

#include <libpq-fe.h>

#include "err.h"
#include "id.h"

struct buf;
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
void		 onb_me_pre(struct rctx *);
enum err	 onb_me(struct rctx *);
enum err	 onb_logout(struct rctx *);

/* ws.c */
void		 ws_json_list(struct buf *, const PGresult *, int);
enum err	 ws_create(struct rctx *, const char *name, const char *slug,
		    char wsid[ID_LEN + 1]);
void		 ws_list_pre(struct rctx *);
enum err	 ws_list(struct rctx *);
enum err	 ws_post(struct rctx *);
enum err	 ws_get(struct rctx *);
enum err	 ws_patch(struct rctx *);
void		 ws_home_pre(struct rctx *);
enum err	 ws_home(struct rctx *);

/* members.c */
void		 json_id_list(struct buf *, const char *csv);
void		 members_list_pre(struct rctx *);
enum err	 members_list(struct rctx *);
enum err	 members_patch(struct rctx *);
enum err	 members_delete(struct rctx *);

/* teams.c */
void		 teams_list_pre(struct rctx *);
enum err	 teams_list(struct rctx *);
enum err	 teams_post(struct rctx *);
enum err	 teams_patch(struct rctx *);
enum err	 teams_delete(struct rctx *);
enum err	 teams_member_put(struct rctx *);
enum err	 teams_member_delete(struct rctx *);

/* invite.c */
void		 invites_list_pre(struct rctx *);
enum err	 invites_list(struct rctx *);
enum err	 invites_post(struct rctx *);
enum err	 invites_delete(struct rctx *);

/* internal.c */
enum err	 internal_provider_sync(struct rctx *);

#endif
