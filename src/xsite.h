/*
 * xsite: every cross-site decision of pages and APIs, in one place
 * (second-api(7), CROSS-SITE REQUESTS).
 *
 * Contract:
 *  - Origin: a request is cross-site when a present Sec-Fetch-Site is
 *    anything but "same-origin" or "none", or a present Origin differs
 *    from the origin (scheme://host[:port]) of public_url, byte for
 *    byte.  Neither header present is same-site: non-browser clients
 *    send none, and browsers send them on every cross-site write.
 *  - API writes (any method but GET, checked before the identity is
 *    even looked at): cross-site is 403 ERR_CSRF_FAILED; a body
 *    (CONTENT_LENGTH above 0) must be application/json, else 415, which
 *    a cross-site HTML form cannot send without a CORS preflight that
 *    is never granted.
 *  - Page form posts: cross-site is ERR_CSRF_FAILED; a session the
 *    database confirmed must also send the form field "csrf", a MAC of
 *    the purpose "second-csrf", the user id and the session's issue
 *    time under the current session key.  Without a session (the
 *    identity form, external mode) the origin check stands alone, with
 *    SameSite=Lax on the cookie.
 *  - Responses tell browsers not to frame, sniff or leak the URL to
 *    other sites, and pages get a script-free Content-Security-Policy.
 */
#ifndef SECOND_XSITE_H
#define SECOND_XSITE_H

#include <stdbool.h>

#include "err.h"

struct buf;
struct rctx;

bool		 xsite_same_origin(const struct rctx *);
enum err	 xsite_api_write(const struct rctx *);
enum err	 xsite_form_check(struct rctx *);
void		 xsite_csrf_token(const struct rctx *, struct buf *);
void		 xsite_headers(struct buf *, bool html);

#endif
