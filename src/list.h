/*
 * list: pagination of JSON lists: ?limit= (default 50, max 200) and an
 * opaque cursor; responses carry "nextCursor" (null at the end).  Order
 * is by id, which starts with the creation time, so it is stable.
 */
#ifndef SECOND_LIST_H
#define SECOND_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "err.h"
#include "id.h"
#include "stmt.h"

#define LIST_DEFAULT	50
#define LIST_MAX	200

struct buf;
struct rctx;

/*
 * How a list route writes its rows: the name of the JSON array (a
 * constant, written as is), the id column the next cursor comes from,
 * the writer of one row's JSON object and, when not NULL, a filter asked
 * first whether a row is listed at all (it may leave in arg what the
 * writer of that row needs).  arg is the handler's, passed through
 * unchanged.
 */
struct list_shape {
	const char	*ls_key;
	int		 ls_idcol;
	void		(*ls_json)(struct buf *, const PGresult *, int, void *);
	bool		(*ls_keep)(const PGresult *, int, void *);
};

struct list_args {
	char		 la_cursor[ID_LEN + 1];	/* "" for the first page */
	char		 la_fetch[8];		/* limit + 1, as text */
	int		 la_limit;
	enum err	 la_err;		/* a bad limit or cursor */
};

void	 list_set(struct rctx *, struct list_args *, long, const char *);
void	 list_parse(struct rctx *, struct list_args *);
struct list_args *list_new(struct rctx *);
enum err list_pre(struct rctx *, enum stmt);
const char *list_cursor_param(const struct list_args *);
int	 list_rows(const PGresult *, const struct list_args *);
void	 list_end(struct buf *, const PGresult *, const struct list_args *,
	    int idcol);
void	 list_next(struct buf *, const PGresult *, const struct list_args *,
	    int idcol);
void	 list_items(struct buf *, const PGresult *, int n,
	    const struct list_shape *, void *);
void	 list_write(struct rctx *, const PGresult *, const struct list_args *,
	    const struct list_shape *, void *);
enum err list_reply(struct rctx *, size_t res, const struct list_shape *,
	    void *);

#endif
