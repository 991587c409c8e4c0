/*
 * files: an app's source files.  Builders read and write the draft
 * snapshot; everyone who can see the app reads the published one.
 *
 * Limits: 1 MiB a file, max_snapshot_files (1000) files and
 * max_snapshot_body (12 MiB) a snapshot, counting every file's content,
 * path and FILES_ENTRY_BYTES; a write over one is 413 and changes
 * nothing (checked under the app's row lock before the write, by every
 * route that writes the draft).
 *
 * Paths (second-api(7), "Path rules"): segments of the POSIX portable
 * filename characters A-Z a-z 0-9 . _ - separated by single "/", none
 * empty, "." or "..".  That one rule leaves no NFC/NFD pair, bidi
 * control, zero-width character, BOM, non-ASCII confusable letter, space
 * or percent sign (so nothing that a second decoding could turn into ".."
 * or "/").  A path equal to a reserved name
 * (agents.json) but for ASCII case is refused too, so it can neither be
 * written as a second file nor escape the rules of the reserved one.  A
 * write of a path that breaks the rules is 422 with field "path"; a read
 * or delete is 404, since no such file can exist.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "apps.h"
#include "audit.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "guard.h"
#include "handlers.h"
#include "id.h"
#include "jsonin.h"
#include "rctx.h"
#include "req.h"
#include "resp.h"
#include "route.h"
#include "txn.h"

#define FILE_MAX	(1024 * 1024)
#define PATH_MAX_BYTES	512
#define SEGMENT_MAX	255

/* The POSIX portable filename character set, the only bytes of a segment. */
#define PATH_CHARS \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"

/*
 * Check a decoded file path.  Returns true if it is a clean relative
 * path of at most 512 bytes: segments of 1..255 bytes of PATH_CHARS
 * separated by single "/", none "." or "..", and not a reserved name
 * (AGENTS_FILE) in another ASCII case.
 */
bool
files_path_ok(const char *p)
{
	size_t	 n = strlen(p), seg = 0, i;

	if (n == 0 || n > PATH_MAX_BYTES || p[0] == '/' || p[n - 1] == '/')
		return false;
	for (i = 0; i <= n; i++) {
		if (i == n || p[i] == '/') {
			if (seg == 0 || seg > SEGMENT_MAX ||
			    (seg == 1 && p[i - 1] == '.') ||
			    (seg == 2 && p[i - 1] == '.' && p[i - 2] == '.'))
				return false;
			seg = 0;
			continue;
		}
		if (strchr(PATH_CHARS, p[i]) == NULL)
			return false;
		seg++;
	}
	return strcasecmp(p, AGENTS_FILE) != 0 || strcmp(p, AGENTS_FILE) == 0;
}

/* The decoded, checked path of capture 2; NULL if not clean. */
static char *
file_path(struct rctx *x)
{
	const char	*raw = apps_arg(x, 2);
	char		*p = NULL;

	if (raw == NULL || req_pct_decode(raw, strlen(raw), &p) != 0)
		return NULL;
	if (!files_path_ok(p)) {
		free(p);
		return NULL;
	}
	return p;
}

/*
 * Which snapshot a read wants: ?version=draft|published.  Builders
 * default to the draft; viewers get the published one and a draft they
 * may not see is 404.  Returns "draft", "published" or NULL (bad).
 */
static const char *
file_version(struct rctx *x, bool builder, enum err *rc)
{
	char		*v = NULL;
	const char	*out = NULL;

	*rc = req_query_get(x->x_req, "version", &v);
	if (*rc != ERR_OK)
		return NULL;
	if (v == NULL)
		out = builder ? "draft" : "published";
	else if (strcmp(v, "published") == 0)
		out = "published";
	else if (strcmp(v, "draft") == 0)
		out = "draft";
	else
		*rc = ERR_BAD_REQUEST;
	free(v);
	if (out != NULL && strcmp(out, "draft") == 0 && !builder)
		*rc = ERR_NOT_FOUND;
	return *rc == ERR_OK ? out : NULL;
}

/* A file route's state: the decoded path of capture 2. */
struct files_state {
	char	*fs_path;	/* NULL when not clean, owned */
};

static void
files_state_free(void *p)
{
	struct files_state	*fs = p;

	free(fs->fs_path);
}

static const struct route_state_type files_state_type = {
	"files", sizeof(struct files_state), files_state_free,
};

/*
 * Queue the app and both snapshots' list in the guard's pipeline: the
 * draft row only comes back to builders (row-level security), and C
 * picks the version afterwards.  One round trip.
 */
enum err
files_list_pre(struct rctx *x)
{
	const char	*id = apps_arg(x, 1);
	enum err	 rc = ERR_INTERNAL;

	if ((rc = apps_get_pre(x)) != ERR_OK)
		return rc;
	if (id == NULL || !id_valid(id))
		id = NULL;
	txn_pre(x, ST_FILES_LIST, id, "draft");
	txn_pre(x, ST_FILES_LIST, id, "published");
	return ERR_OK;
}

/* The same for one file, whose decoded path the handler answers with. */
enum err
files_get_pre(struct rctx *x)
{
	struct files_state	*fs;
	const char		*id = apps_arg(x, 1);
	enum err		 rc = ERR_INTERNAL;

	if ((rc = apps_get_pre(x)) != ERR_OK)
		return rc;
	if ((fs = route_state_new(x, &files_state_type)) == NULL)
		return ERR_INTERNAL;
	if (id == NULL || !id_valid(id))
		id = NULL;
	fs->fs_path = file_path(x);
	txn_pre(x, ST_FILE_GET, id, "draft", fs->fs_path);
	txn_pre(x, ST_FILE_GET, id, "published", fs->fs_path);
	return ERR_OK;
}

/*
 * GET .../apps/{appId}/files[?version=]: the snapshot's file list.
 */
enum err
files_list(struct rctx *x)
{
	struct buf	*b = &x->x_resp->rs_body;
	const PGresult	*r;
	struct app	 a;
	const char	*ver;
	enum err	 rc = ERR_INTERNAL;

	if ((rc = apps_load(x, txn_pre_res(x, 0), &a)) != ERR_OK ||
	    (ver = file_version(x, a.ap_builder, &rc)) == NULL)
		return rc;
	r = txn_pre_res(x, strcmp(ver, "draft") == 0 ? 1 : 2);
	buf_puts(b, "{\"version\":");
	buf_json_str(b, ver);
	if (r != NULL && PQntuples(r) == 1) {
		buf_puts(b, ",\"snapshotId\":");
		buf_json_str(b, PQgetvalue(r, 0, COL_FILES_LIST_ID));
		buf_puts(b, ",\"hash\":");
		buf_json_str(b, PQgetvalue(r, 0, COL_FILES_LIST_HASH));
		buf_printf(b, ",\"fileCount\":%s,\"bytes\":%s,\"files\":%s}",
		    PQgetvalue(r, 0, COL_FILES_LIST_FILE_COUNT),
		    PQgetvalue(r, 0, COL_FILES_LIST_BYTES),
		    PQgetvalue(r, 0, COL_FILES_LIST_FILES));
	} else
		buf_puts(b, ",\"snapshotId\":null,\"hash\":null,"
		    "\"fileCount\":0,\"bytes\":0,\"files\":[]}");
	resp_json(x->x_resp, 200);
	return ERR_OK;
}

/*
 * GET .../apps/{appId}/files/{path}[?version=]: one file as JSON
 * {"path", "version", "content"}.
 */
enum err
files_get(struct rctx *x)
{
	struct buf		*b = &x->x_resp->rs_body;
	const struct files_state *fs = route_state(x, &files_state_type);
	const PGresult		*r;
	struct app		 a;
	const char		*ver;
	enum err		 rc = ERR_INTERNAL;

	if (fs == NULL)
		return ERR_INTERNAL;
	if ((rc = apps_load(x, txn_pre_res(x, 0), &a)) != ERR_OK ||
	    (ver = file_version(x, a.ap_builder, &rc)) == NULL)
		return rc;
	r = txn_pre_res(x, strcmp(ver, "draft") == 0 ? 1 : 2);
	if (fs->fs_path == NULL || r == NULL || PQntuples(r) != 1)
		return ERR_NOT_FOUND;
	buf_puts(b, "{\"path\":");
	buf_json_str(b, fs->fs_path);
	buf_puts(b, ",\"version\":");
	buf_json_str(b, ver);
	buf_puts(b, ",\"content\":");
	buf_json_str(b, PQgetvalue(r, 0, COL_FILE_GET_CONTENT));
	buf_putc(b, '}');
	resp_json(x->x_resp, 200);
	return ERR_OK;
}

/*
 * Add one file of content_len bytes at a path of path_len bytes to u.
 */
void
files_use_add(struct files_use *u, size_t path_len, long long content_len)
{
	u->fu_files++;
	u->fu_bytes += (long long)path_len + content_len + FILES_ENTRY_BYTES;
}

/*
 * Which limit a write taking the draft from "before" to "after" breaks:
 * FL_FILES or FL_BYTES when it leaves the draft over that limit and
 * grows it there, FL_OK otherwise (so a draft over a limit that was
 * lowered can still be shrunk, edited in place or emptied).
 */
enum files_limit
files_over(const struct files_use *before, const struct files_use *after,
    long long max_files, long long max_bytes)
{
	if (after->fu_files > max_files && after->fu_files > before->fu_files)
		return FL_FILES;
	if (after->fu_bytes > max_bytes && after->fu_bytes > before->fu_bytes)
		return FL_BYTES;
	return FL_OK;
}

/*
 * Check that writing content at path (content NULL: deleting it) keeps
 * the draft snapshot of app_id within its limits: 1 MiB a file, and
 * max_snapshot_files and max_snapshot_body as files_over counts them.
 * The caller holds the app's row lock (apps_require_builder), so
 * concurrent writes are checked one after the other.  413 when a limit
 * would break, with the field when "named" (the request has "content"
 * and a path); 404 when deleting a file the draft does not have.
 */
enum err
files_draft_room(struct rctx *x, const char *app_id, const char *path,
    const char *content, bool named)
{
	struct dbq		 q;
	struct dbb		 b = DBB_ONE(q);
	struct files_use	 before, after;
	size_t			 len = content ? strlen(content) : 0;
	enum err		 rc = ERR_INTERNAL;

	if (len > FILE_MAX) {
		x->x_msg = "A file is at most 1 MiB.";
		x->x_field = named ? "content" : NULL;
		rc = ERR_PAYLOAD_TOO_LARGE;
		goto out;
	}
	dbb_add(&b, ST_SNAP_SIZE, app_id, path);
	if ((rc = txn_exec(x, &b)) != ERR_OK)
		goto out;
	before.fu_files = strtoll(PQgetvalue(q.q_res, 0,
	    COL_SNAP_SIZE_OTHER_FILES), NULL, 10);
	before.fu_bytes = strtoll(PQgetvalue(q.q_res, 0,
	    COL_SNAP_SIZE_OTHER_BYTES), NULL, 10) +
	    before.fu_files * FILES_ENTRY_BYTES;
	after = before;
	if (!PQgetisnull(q.q_res, 0, COL_SNAP_SIZE_FILE_BYTES))
		files_use_add(&before, strlen(path),
		    strtoll(PQgetvalue(q.q_res, 0, COL_SNAP_SIZE_FILE_BYTES),
		    NULL, 10));
	else if (content == NULL) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	if (content != NULL)
		files_use_add(&after, strlen(path), (long long)len);
	switch (files_over(&before, &after, x->x_conf->cf_max_snapshot_files,
	    x->x_conf->cf_max_snapshot_body)) {
	case FL_FILES:
		x->x_msg = "The draft snapshot holds as many files as it may "
		    "(max_snapshot_files): replace or delete one first.";
		x->x_field = named ? "path" : NULL;
		rc = ERR_PAYLOAD_TOO_LARGE;
		break;
	case FL_BYTES:
		x->x_msg = "The draft snapshot would exceed its size limit "
		    "(max_snapshot_body; each file counts its content, its "
		    "path and a fixed overhead).";
		x->x_field = named ? "content" : NULL;
		rc = ERR_PAYLOAD_TOO_LARGE;
		break;
	case FL_OK:
		rc = ERR_OK;
		break;
	}
out:
	dbb_clear(&b);
	return rc;
}

/*
 * Write or delete one draft file for a builder, in the open transaction:
 * lock the app, supersede a pending review, check the limits, write, and
 * record the event.  content NULL deletes.
 */
/* supersede, draft agents, stale event, write, event: at most five. */
#define FILE_WRITE_MAXQ	6

static enum err
file_write(struct rctx *x, const char *path, const char *content)
{
	struct dbq	 lq, qs[FILE_WRITE_MAXQ];
	struct dbb	 lk = DBB_ONE(lq), b = DBB_ARRAY(qs);
	struct agents_draft d = { NULL };
	struct audit_ev	 ev;
	struct app	 a;
	char		 sid[ID_LEN + 1];
	const char	*id = apps_arg(x, 1);
	enum err	 rc = ERR_INTERNAL;

	if ((rc = apps_require_builder(x, id, &lk, &a)) != ERR_OK ||
	    (rc = files_draft_room(x, id, path, content, true)) != ERR_OK)
		goto out;
	id_new(sid);
	dbb_add(&b, ST_SUPERSEDE, id);
	if ((rc = agentsapi_file_hook(x, &a, path, content, &b, &d)) != ERR_OK)
		goto out;
	if (content != NULL)
		dbb_add(&b, ST_FILE_PUT, id, path, content, sid);
	else
		dbb_add(&b, ST_FILE_DEL, id, path, sid);
	audit_queue(x, &ev, &b, content ? EV_APP_FILE_WRITTEN :
	    EV_APP_FILE_DELETED, "success", "app", id, NULL);
	if ((rc = txn_commit(x, &b)) != ERR_OK)
		goto out;
	x->x_resp->rs_status = 204;
out:
	dbb_clear(&lk);
	dbb_clear(&b);
	agentsapi_draft_free(&d);
	return rc;
}

/*
 * PUT .../apps/{appId}/files/{path} {"content": "..."}: 204.
 */
enum err
files_put(struct rctx *x)
{
	/* The body cap bounds the content; files_draft_room its limits. */
	struct jfield	 f[] = { { "content", JF_STRING0, true, SIZE_MAX,
			    NULL } };
	json_object	*obj = NULL;
	char		*path = NULL;
	enum err	 rc = ERR_INTERNAL;

	if ((path = file_path(x)) == NULL) {
		x->x_field = "path";
		x->x_msg = "A file path is 1 to 512 bytes: segments of 1 to 255 "
		    "of A-Z a-z 0-9 . _ -, not . or .., separated by single "
		    "slashes, and not agents.json in another case.";
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	if ((rc = jsonin_parse(x, &obj)) != ERR_OK ||
	    (rc = jsonin_fields(x, obj, f, 1)) != ERR_OK)
		goto out;
	rc = file_write(x, path, jsonin_str(&f[0]));
out:
	free(path);
	json_object_put(obj);
	return rc;
}

/*
 * DELETE .../apps/{appId}/files/{path}: 204 (404 if absent).
 */
enum err
files_delete(struct rctx *x)
{
	char		*path = NULL;
	enum err	 rc = ERR_INTERNAL;

	if ((path = file_path(x)) == NULL) {
		rc = ERR_NOT_FOUND;
		goto out;
	}
	rc = file_write(x, path, NULL);
out:
	free(path);
	return rc;
}
