/*
 * page: HTML pages and the session cookie.
 *
 * Pages carry no script.  Every form that changes something carries the
 * session's CSRF token (page_csrf_field); the cross-site checks of form
 * posts are xsite.c's.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#include <sodium.h>

#include "buf.h"
#include "conf.h"
#include "cookie.h"
#include "guard.h"
#include "page.h"
#include "rctx.h"
#include "req.h"
#include "resp.h"
#include "xsite.h"

/*
 * Start an HTML page with "title" (escaped).
 */
void
page_begin(struct rctx *x, const char *title)
{
	struct buf	*b = &x->x_resp->rs_body;

	buf_reset(b);
	buf_puts(b, "<!doctype html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><title>");
	buf_html(b, title);
	buf_puts(b, " · Second</title><style>body{font-family:sans-serif;"
	    "max-width:48rem;margin:2rem auto;padding:0 1rem}label{display:"
	    "block;margin:.5rem 0}</style></head><body>\n<h1>");
	buf_html(b, title);
	buf_puts(b, "</h1>\n");
	x->x_resp->rs_ctype = CT_HTML;
}

/*
 * Close the page.
 */
void
page_end(struct rctx *x)
{
	buf_puts(&x->x_resp->rs_body, "</body></html>\n");
}

/*
 * Append the hidden CSRF input of the current session to the page.
 */
void
page_csrf_field(struct rctx *x)
{
	struct buf	 t = BUF_INIT;

	xsite_csrf_token(x, &t);
	buf_puts(&x->x_resp->rs_body, "<input type=\"hidden\" name=\"csrf\" "
	    "value=\"");
	if (t.b_data != NULL)
		buf_html(&x->x_resp->rs_body, t.b_data);
	buf_puts(&x->x_resp->rs_body, "\">");
	buf_free(&t);
}

/*
 * Replace the response with an HTML page for error e (same status as the
 * JSON error).
 */
void
page_error(struct rctx *x, enum err e)
{
	int	 status = err_table[e].status;

	page_begin(x, err_table[e].message);
	buf_printf(&x->x_resp->rs_body, "<p>%d · ", status);
	buf_html(&x->x_resp->rs_body, err_table[e].code);
	buf_puts(&x->x_resp->rs_body, "</p><p><a href=\"/\">Home</a></p>");
	page_end(x);
	x->x_resp->rs_status = status;
	x->x_resp->rs_err = e;
}

/* Append the cookie attributes for a Max-Age. */
static void
cookie_attrs(const struct rctx *x, struct buf *b, long long max_age)
{
	buf_printf(b, "; Path=/; HttpOnly; SameSite=Lax; Max-Age=%lld",
	    max_age);
	if (conf_public_https(x->x_conf))
		buf_puts(b, "; Secure");
}

/*
 * Issue a session cookie for user_id at session version sv (sent by the
 * worker as Set-Cookie).
 */
void
page_set_session(struct rctx *x, const char *user_id, long long sv)
{
	const char	*name = guard_cookie_name(x->x_conf);
	struct session	 s;
	struct buf	 b = BUF_INIT;

	memset(&s, 0, sizeof(s));
	snprintf(s.s_user_id, sizeof(s.s_user_id), "%s", user_id);
	s.s_issued = (int64_t)time(NULL);
	s.s_expires = s.s_issued + x->x_conf->cf_session_max_age;
	s.s_version = sv;
	buf_printf(&b, "%s=", name);
	if (cookie_encode(&x->x_w->ws_keys.ks_keys[0], name, &s, &b) != 0) {
		buf_free(&b);
		return;
	}
	cookie_attrs(x, &b, x->x_conf->cf_session_max_age);
	free(x->x_set_cookie);
	x->x_set_cookie = buf_steal(&b);
}

/*
 * Clear the session cookie in the browser.
 */
void
page_clear_session(struct rctx *x)
{
	struct buf	 b = BUF_INIT;

	buf_printf(&b, "%s=", guard_cookie_name(x->x_conf));
	cookie_attrs(x, &b, 0);
	free(x->x_set_cookie);
	x->x_set_cookie = buf_steal(&b);
}
