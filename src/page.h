/*
 * page: server-rendered HTML for people and their session cookie
 * (cross-site checks: xsite.h).
 */
#ifndef SECOND_PAGE_H
#define SECOND_PAGE_H

#include <stdbool.h>

#include "err.h"

struct buf;
struct rctx;

void	 page_begin(struct rctx *, const char *title);
void	 page_end(struct rctx *);
void	 page_csrf_field(struct rctx *);
void	 page_error(struct rctx *, enum err);
void	 page_set_session(struct rctx *, const char *user_id, long long sv);
void	 page_clear_session(struct rctx *);

#endif
