/*
 * list: pagination (see list.h).  The cursor is the last id of the page
 * as an opaque token; "limit + 1" rows are fetched to know whether a next
 * page exists.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "list.h"
#include "rctx.h"
#include "req.h"
#include "resp.h"
#include "route.h"
#include "txn.h"

/* A list route's state: its page arguments. */
static const struct route_state_type list_state = {
	"list", sizeof(struct list_args), NULL,
};

/*
 * Set la to a page of n rows (1 to LIST_MAX) after cursor cur (NULL for
 * the first page; else an id); a bad value sets la_err to
 * ERR_BAD_REQUEST with x_msg.  The query (list_parse) and the bodies of
 * internal calls give their page arguments here.
 */
void
list_set(struct rctx *x, struct list_args *la, long n, const char *cur)
{
	memset(la, 0, sizeof(*la));
	if (n < 1 || n > LIST_MAX) {
		la->la_err = ERR_BAD_REQUEST;
		x->x_msg = "limit must be 1 to 200.";
		return;
	}
	if (cur != NULL) {
		if (!id_valid(cur)) {
			la->la_err = ERR_BAD_REQUEST;
			x->x_msg = "Invalid cursor.";
			return;
		}
		memcpy(la->la_cursor, cur, ID_LEN + 1);
	}
	la->la_limit = (int)n;
	snprintf(la->la_fetch, sizeof(la->la_fetch), "%d", (int)n + 1);
}

/*
 * Parse ?limit= and ?cursor= into la (list_set); a malformed value sets
 * la_err to ERR_BAD_REQUEST (the handler reports it; pre-read hooks
 * cannot).
 */
void
list_parse(struct rctx *x, struct list_args *la)
{
	char	*lim = NULL, *cur = NULL, *end;
	long	 n = LIST_DEFAULT;

	memset(la, 0, sizeof(*la));
	if (req_query_get(x->x_req, "limit", &lim) != ERR_OK ||
	    req_query_get(x->x_req, "cursor", &cur) != ERR_OK) {
		la->la_err = ERR_BAD_REQUEST;
		goto out;
	}
	if (lim != NULL) {
		n = strtol(lim, &end, 10);
		if (lim[0] < '0' || lim[0] > '9' || *end != '\0')
			n = 0;	/* refused by list_set */
	}
	list_set(x, la, n, cur);
out:
	free(lim);
	free(cur);
}

/*
 * The page arguments of a list route, parsed (list_parse) into the
 * route's state when first asked for.  NULL on memory exhaustion.
 */
struct list_args *
list_new(struct rctx *x)
{
	struct list_args	*la;

	if ((la = route_state(x, &list_state)) != NULL)
		return la;
	if ((la = route_state_new(x, &list_state)) != NULL)
		list_parse(x, la);
	return la;
}

/*
 * The page arguments list_new parsed for this request, for list_reply:
 * ERR_OK with *la set, their la_err when they were bad, or ERR_INTERNAL
 * when none were parsed.
 */
static enum err
list_page(const struct rctx *x, const struct list_args **la)
{
	if ((*la = route_state(x, &list_state)) == NULL)
		return ERR_INTERNAL;
	return (*la)->la_err;
}

/*
 * The pre-hook of a plain paginated list: parse the page arguments and
 * queue st($1 cursor, $2 rows to fetch) unless they are bad (the handler
 * then answers their la_err).  ERR_INTERNAL on memory exhaustion.
 */
enum err
list_pre(struct rctx *x, enum stmt st)
{
	struct list_args	*la;

	if ((la = list_new(x)) == NULL)
		return ERR_INTERNAL;
	if (la->la_err == ERR_OK)
		txn_pre(x, st, list_cursor_param(la), la->la_fetch);
	return ERR_OK;
}

/*
 * The cursor as a statement parameter (NULL for the first page).
 */
const char *
list_cursor_param(const struct list_args *la)
{
	return la->la_cursor[0] != '\0' ? la->la_cursor : NULL;
}

/*
 * How many rows of r belong to this page.
 */
int
list_rows(const PGresult *r, const struct list_args *la)
{
	int	 n = r ? PQntuples(r) : 0;

	return n > la->la_limit ? la->la_limit : n;
}

/*
 * Close a JSON list ("]") and append ,"nextCursor":<id or null>.
 */
void
list_end(struct buf *b, const PGresult *r, const struct list_args *la,
    int idcol)
{
	buf_puts(b, "],");
	list_next(b, r, la, idcol);
}

/*
 * Append "nextCursor":<id or null> for the page in r.
 */
void
list_next(struct buf *b, const PGresult *r, const struct list_args *la,
    int idcol)
{
	int	 n = r ? PQntuples(r) : 0;

	buf_puts(b, "\"nextCursor\":");
	if (n > la->la_limit)
		buf_json_str(b, PQgetvalue(r, la->la_limit - 1, idcol));
	else
		buf_puts(b, "null");
}

/*
 * Append, separated by commas, the JSON of the rows among the first n
 * of r that the shape's filter keeps (all when it has none), each written
 * by its ls_json; n is at most PQntuples(r) (r may be NULL when n is 0).
 */
void
list_items(struct buf *b, const PGresult *r, int n,
    const struct list_shape *ls, void *arg)
{
	int	 i, out = 0;

	for (i = 0; i < n; i++) {
		if (ls->ls_keep != NULL && !ls->ls_keep(r, i, arg))
			continue;
		if (out++)
			buf_putc(b, ',');
		ls->ls_json(b, r, i, arg);
	}
}

/*
 * Answer 200 {"<ls_key>":[rows of this page],"nextCursor":<id or null>}
 * for the page la of r (list_items, list_end).
 */
void
list_write(struct rctx *x, const PGresult *r, const struct list_args *la,
    const struct list_shape *ls, void *arg)
{
	struct buf	*b = &x->x_resp->rs_body;

	buf_printf(b, "{\"%s\":[", ls->ls_key);
	list_items(b, r, list_rows(r, la), ls, arg);
	list_end(b, r, la, ls->ls_idcol);
	buf_putc(b, '}');
	resp_json(x->x_resp, 200);
}

/*
 * The end of a list route's handler: answer, with list_write, the page
 * of pre-read result res (txn_pre_res) that the route's page arguments
 * (list_new, list_page) ask for, or return their error when they were
 * bad.
 */
enum err
list_reply(struct rctx *x, size_t res, const struct list_shape *ls,
    void *arg)
{
	const struct list_args	*la;
	enum err		 rc = ERR_INTERNAL;

	if ((rc = list_page(x, &la)) != ERR_OK)
		return rc;
	list_write(x, txn_pre_res(x, res), la, ls, arg);
	return ERR_OK;
}
