/*
 * internal: the bearer-token gate of /api/internal/..., and the calls the
 * web tier makes to the identity provider.
 */
#ifndef SECOND_INTERNAL_H
#define SECOND_INTERNAL_H

#include "err.h"

struct rctx;

enum err	 internal_auth(struct rctx *);
enum err	 internal_notify_invite(struct rctx *, const char *id,
		    const char *email, const char *role);

#endif
