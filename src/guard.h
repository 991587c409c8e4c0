/*
 * guard: the proxy layer and the guard, layers 3 to 5 of second-fcgi(8)
 * ("Layers of a request").
 *
 * guard_run resolves the identity, computes the onboarding state, applies
 * the proxy table of second-api(7) for pages and APIs, checks the
 * workspace reference and membership, then the role permission.  When it
 * returns ERR_OK for a route that needs an identity, the request
 * transaction is open under the caller's context and the handler
 * continues it with txn_exec / txn_commit (txn.h): the guard decides who
 * and where, txn runs what the request does there.
 */
#ifndef SECOND_GUARD_H
#define SECOND_GUARD_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "rctx.h"
#include "route.h"

enum err	 guard_run(struct rctx *);
void		 guard_free(struct rctx *);
enum err	 guard_keys(struct rctx *) __attribute__((warn_unused_result));
enum err	 guard_seal_keys(struct rctx *)
		    __attribute__((warn_unused_result));
const char	*guard_cookie_name(const struct conf *);
const char	*guard_state_name(enum onboard);
enum onboard	 guard_state(bool has_profile, bool has_membership);
enum err	 guard_proxy(enum guard_level, enum onboard, bool redirect,
		    const char **to);
bool		 guard_slug_valid(const char *);
bool		 guard_ws_ref_valid(const char *);
enum err	 guard_denied(struct rctx *, const char *what);

#endif
