/*
 * xsite: cross-site checks of pages and APIs (see xsite.h for the
 * contract).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "conf.h"
#include "cookie.h"
#include "guard.h"
#include "rctx.h"
#include "req.h"
#include "route.h"
#include "xsite.h"

#define CSRF_PURPOSE	"second-csrf"

/*
 * Restrictive policy for the server-rendered pages: no scripts, styles
 * only from our own inline <style> block, forms post only to us, never
 * framed.
 */
#define CSP_HTML "default-src 'none'; style-src 'unsafe-inline'; " \
	"img-src 'self'; form-action 'self'; frame-ancestors 'none'; " \
	"base-uri 'none'"

/*
 * True unless the browser says the request is cross-site: a present
 * Origin must equal the public URL's origin, a present Sec-Fetch-Site
 * must be same-origin or none.
 */
bool
xsite_same_origin(const struct rctx *x)
{
	const struct req	*rq = x->x_req;
	const char		*pub = x->x_conf->cf_public_url;
	size_t			 n;

	if (rq->rq_fetch_site != NULL &&
	    strcmp(rq->rq_fetch_site, "same-origin") != 0 &&
	    strcmp(rq->rq_fetch_site, "none") != 0)
		return false;
	if (rq->rq_origin == NULL)
		return true;
	/* The origin of public_url: scheme://host[:port], no path. */
	n = strcspn(pub + (strncmp(pub, "https://", 8) == 0 ? 8 : 7), "/") +
	    (strncmp(pub, "https://", 8) == 0 ? 8 : 7);
	return strlen(rq->rq_origin) == n &&
	    strncmp(rq->rq_origin, pub, n) == 0;
}

/*
 * The rules for an API route: nothing for GET; otherwise same origin
 * (ERR_CSRF_FAILED) and a body, if any, in application/json
 * (ERR_UNSUPPORTED_MEDIA_TYPE).  Returns ERR_OK when the request passes.
 */
enum err
xsite_api_write(const struct rctx *x)
{
	const struct req	*rq = x->x_req;
	size_t			 n;

	if (x->x_route->rt_method == M_GET)
		return ERR_OK;
	if (!xsite_same_origin(x))
		return ERR_CSRF_FAILED;
	if (rq->rq_clen > 0) {
		n = rq->rq_ctype ? strcspn(rq->rq_ctype, ";") : 0;
		while (n > 0 && rq->rq_ctype[n - 1] == ' ')
			n--;
		if (n != 16 || strncasecmp(rq->rq_ctype, "application/json",
		    16) != 0)
			return ERR_UNSUPPORTED_MEDIA_TYPE;
	}
	return ERR_OK;
}

/* The session's issue time, the second half of what a CSRF token binds. */
static void
csrf_iat(const struct rctx *x, char iat[24])
{
	snprintf(iat, 24, "%" PRId64, x->x_claim.cl_sess.s_issued);
}

/*
 * Append the CSRF token of the current session to out (base64url, safe
 * in HTML); nothing without a session or before the keys are loaded.
 */
void
xsite_csrf_token(const struct rctx *x, struct buf *out)
{
	char	 iat[24];

	if (x->x_claim.cl_kind != CLAIM_SESSION || !x->x_w->ws_keys_loaded)
		return;
	csrf_iat(x, iat);
	cookie_tag(&x->x_w->ws_keys.ks_keys[0], CSRF_PURPOSE,
	    x->x_claim.cl_sess.s_user_id, iat, out);
}

/*
 * Check a form post: same origin, and, when a session exists, the CSRF
 * field.  Returns ERR_OK or ERR_CSRF_FAILED.
 */
enum err
xsite_form_check(struct rctx *x)
{
	const struct req	*rq = x->x_req;
	char			*got = NULL, iat[24];
	enum err		 rc = ERR_CSRF_FAILED;

	if (!xsite_same_origin(x))
		return ERR_CSRF_FAILED;
	/* A token is owed only by a session the database confirmed. */
	if (x->x_claim.cl_kind != CLAIM_SESSION ||
	    x->x_state == OB_MISSING_IDENTITY)
		return ERR_OK;
	if (req_form_get(rq->rq_body ? rq->rq_body : "", "csrf", &got) !=
	    ERR_OK || got == NULL)
		goto out;
	csrf_iat(x, iat);
	if (x->x_w->ws_keys_loaded && cookie_tag_ok(&x->x_w->ws_keys.ks_keys[0],
	    CSRF_PURPOSE, x->x_claim.cl_sess.s_user_id, iat, got))
		rc = ERR_OK;
out:
	free(got);
	return rc;
}

/*
 * Append the browser-policy headers of every response (CGI lines):
 * no MIME sniffing, no Referer to other sites, never framed; for an
 * HTML page (html true) also the Content-Security-Policy.
 */
void
xsite_headers(struct buf *out, bool html)
{
	buf_puts(out, "X-Content-Type-Options: nosniff\r\n"
	    "Referrer-Policy: same-origin\r\n");
	buf_puts(out, "X-Frame-Options: DENY\r\n");
	if (html)
		buf_puts(out, "Content-Security-Policy: " CSP_HTML "\r\n");
}
