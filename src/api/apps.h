/*
 * apps: the app an app route names, loaded with its whole parent chain,
 * and what the caller may do with it.
 */
#ifndef SECOND_APPS_H
#define SECOND_APPS_H

#include <stdbool.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "audit.h"
#include "db.h"
#include "err.h"
#include "id.h"

/* The draft file that is also the app's agents payload (agentsapi.c). */
#define AGENTS_FILE	"agents.json"

/*
 * What a draft write's agents hook queued (agentsapi_file_hook): the
 * normalized payload and its event, alive until the batch has run.  The
 * caller owns it and frees it with agentsapi_draft_free.
 */
struct agents_draft {
	char		*ad_buf;	/* "hash NUL canonical", owned */
	struct audit_ev	 ad_ev;		/* the stale event, if queued */
};

struct buf;
struct rctx;

struct app {
	const PGresult	*ap_res;	/* the row (owned by the caller's dbq) */
	int		 ap_row;
	bool		 ap_builder;	/* owner, admin, creator, collaborator */
	bool		 ap_published;	/* has a published version */
	bool		 ap_in_review;
};

bool		 apps_visible(const struct rctx *, const PGresult *, int row,
		    struct app *);
const char	*apps_get(const struct app *, enum col_app);
enum err	 apps_load(struct rctx *, const PGresult *, struct app *);
enum err	 apps_lock(struct rctx *, const char *app_id, struct dbb *,
		    struct app *);
enum err	 apps_require_builder(struct rctx *, const char *app_id,
		    struct dbb *, struct app *);
void		 apps_json(struct buf *, const struct app *);
enum err	 apps_ids_in_workspace(struct rctx *, json_object *teams,
		    json_object *users, struct buf *team_arr,
		    struct buf *user_arr);
void		 apps_pg_array(struct buf *, json_object *);
enum err	 apps_commit_show(struct rctx *, struct dbb *, const char *id,
		    int status);
void		 apps_queue_refs(struct dbb *, const char *app,
		    const char *teams, bool visible, const char *users);
const char	*apps_arg(const struct rctx *, size_t);
const char	*apps_id_arg(const struct rctx *, size_t);
bool		 apps_is_collaborator(const struct rctx *, const struct app *);
bool		 files_path_ok(const char *);

/*
 * A draft snapshot as its limits count it: each file costs its content
 * bytes, its path bytes and FILES_ENTRY_BYTES (second-api(7), "App
 * files").
 */
#define FILES_ENTRY_BYTES	64

struct files_use {
	long long	 fu_files;	/* files */
	long long	 fu_bytes;	/* contents, paths, FILES_ENTRY_BYTES each */
};

enum files_limit {
	FL_OK = 0,
	FL_FILES,	/* over max_snapshot_files */
	FL_BYTES,	/* over max_snapshot_body */
};

void		 files_use_add(struct files_use *, size_t path_len,
		    long long content_len);
enum files_limit files_over(const struct files_use *before,
		    const struct files_use *after, long long max_files,
		    long long max_bytes);
enum err	 files_draft_room(struct rctx *, const char *app_id,
		    const char *path, const char *content, bool named);
enum err	 agentsapi_file_hook(struct rctx *, const struct app *,
		    const char *path, const char *content, struct dbb *,
		    struct agents_draft *);
void		 agentsapi_draft_free(struct agents_draft *);

#endif
