/*
 * page: server-rendered HTML for people, and cross-site request checks.
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
bool	 page_same_origin(const struct rctx *);
enum err page_form_check(struct rctx *);
void	 page_set_session(struct rctx *, const char *user_id, long long sv);
void	 page_clear_session(struct rctx *);

#endif
