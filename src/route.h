/*
 * route: the one static route table and its matcher.
 *
 * Each row says, for a method and a path pattern, what kind of route it
 * is (which decides the proxy behaviour), the guard level the request
 * must reach, the role permission it needs, how its body is read, and the
 * handler.  Pattern segments are literals, "{name}" (one segment) or
 * "{name*}" (the rest of the path, last only).  The table is also printed
 * by "second-fcgi --routes" for the generated isolation tests.
 */
#ifndef SECOND_ROUTE_H
#define SECOND_ROUTE_H

#include <stddef.h>

#include "err.h"
#include "perm.h"
#include "req.h"

struct rctx;
struct buf;

enum route_kind {
	RK_PUBLIC = 0,	/* no proxy: livez, health, oauth callback */
	RK_PAGE,	/* HTML for people: redirects on onboarding state */
	RK_API,		/* JSON under /api/: errors on onboarding state */
	RK_INTERNAL,	/* under /api/internal/: bearer token, no proxy */
	RK__MAX
};

enum guard_level {
	GL_NONE = 0,	/* nothing to prove */
	GL_ANY,		/* identity resolved if present, not required */
	GL_IDENTITY,	/* an identity, profile or not */
	GL_PROFILE,	/* identity with display name and email */
	GL_READY,	/* profile and at least one membership */
	GL_WORKSPACE,	/* member of the workspace the path names */
	GL_INTERNAL,	/* INTERNAL_API_TOKEN bearer */
	GL_PROVIDER,	/* SECOND_PROVIDER_TOKEN bearer */
	GL__MAX
};

enum body_kind {
	BODY_NONE = 0,	/* no body accepted */
	BODY_JSON,	/* application/json, capped by max_body */
	BODY_FORM,	/* urlencoded form post (pages), capped by max_body */
	BODY_LARGE,	/* application/json, capped by max_snapshot_body */
};

typedef enum err (*route_fn)(struct rctx *);
typedef enum err (*route_pre_fn)(struct rctx *);

struct route {
	enum http_method	 rt_method;
	const char		*rt_pattern;
	enum route_kind		 rt_kind;
	enum guard_level	 rt_guard;
	enum perm		 rt_perm;
	enum body_kind		 rt_body;
	const char		*rt_name;	/* for logs and tests */
	route_fn		 rt_fn;
	route_pre_fn		 rt_pre;	/* GET: queue reads to pipeline
						   with the guard, or NULL; an
						   error stops the request */
};

/*
 * A kind of route request state: what a route's pre-hook and handler
 * keep for the request (a decoded path, a page of a list), held in the
 * one slot of struct rctx and freed when the request ends.
 */
struct route_state_type {
	const char	*rst_name;		/* for logs */
	size_t		 rst_size;		/* bytes, allocated zeroed */
	void		(*rst_free)(void *);	/* frees what it owns, or NULL */
};

enum route_match {
	RM_FOUND = 0,
	RM_NOT_FOUND,
	RM_BAD_METHOD,
};

enum route_match route_lookup(enum http_method, const char *path,
		    const struct route **, char **args, size_t *nargs,
		    struct buf *allow);
size_t		 route_count(void);
const struct route *route_at(size_t);
const char	*route_kind_name(enum route_kind);
const char	*route_guard_name(enum guard_level);
void		*route_state_new(struct rctx *,
		    const struct route_state_type *);
void		*route_state(const struct rctx *,
		    const struct route_state_type *);
void		 route_state_free(struct rctx *);

#endif
