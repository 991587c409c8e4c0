/*
 * resp: responses.  Every response, error or not, goes out through
 * resp_render, which adds the request id and the security headers, so no
 * handler can forget them.
 */
#include "config.h"

#include <string.h>

#include "buf.h"
#include "err.h"
#include "resp.h"
#include "xsite.h"

/*
 * Start an empty 200 response.
 */
void
resp_init(struct resp *rs)
{
	memset(rs, 0, sizeof(*rs));
	rs->rs_status = 200;
	buf_init(&rs->rs_head, 64 * 1024);
	buf_init(&rs->rs_body, 0);
}

/*
 * Free the response's buffers.
 */
void
resp_free(struct resp *rs)
{
	buf_free(&rs->rs_head);
	buf_free(&rs->rs_body);
}

/*
 * Add a header line.  Name and value are ours (never client bytes with
 * CR or LF); a value holding either is dropped rather than split.
 */
void
resp_header(struct resp *rs, const char *name, const char *value)
{
	if (strpbrk(value, "\r\n") != NULL || strpbrk(name, "\r\n:") != NULL)
		return;
	buf_printf(&rs->rs_head, "%s: %s\r\n", name, value);
}

/*
 * Mark the body (already written to rs_body) as JSON with "status".
 */
void
resp_json(struct resp *rs, int status)
{
	rs->rs_status = status;
	rs->rs_ctype = CT_JSON;
}

/*
 * Replace the body with the JSON error of "e": {"error", "message"} and,
 * for validation failures, "field".  "message" NULL uses the table's.
 */
void
resp_error(struct resp *rs, enum err e, const char *message,
    const char *field)
{
	if (e <= ERR_OK || e >= ERR__MAX)
		e = ERR_INTERNAL;
	buf_reset(&rs->rs_body);
	rs->rs_err = e;
	buf_puts(&rs->rs_body, "{\"error\":");
	buf_json_str(&rs->rs_body, err_table[e].code);
	buf_puts(&rs->rs_body, ",\"message\":");
	buf_json_str(&rs->rs_body, message ? message : err_table[e].message);
	if (field != NULL) {
		buf_puts(&rs->rs_body, ",\"field\":");
		buf_json_str(&rs->rs_body, field);
	}
	buf_puts(&rs->rs_body, "}");
	if (e == ERR_UNAUTHORIZED)
		resp_header(rs, "WWW-Authenticate", "Bearer");
	resp_json(rs, err_table[e].status);
}

/*
 * Make the response a redirect to "location" (a path of ours).
 */
void
resp_redirect(struct resp *rs, int status, const char *location)
{
	rs->rs_status = status;
	rs->rs_ctype = NULL;
	buf_reset(&rs->rs_body);
	resp_header(rs, "Location", location);
}

/*
 * Serialise the head of the response as CGI output (Status line, headers,
 * blank line) into out; the body, rs_body, goes out after it as it is (no
 * copy: a list's body is most of the bytes).  Returns 0, or -1 if a
 * buffer broke (the caller then sends a bare 500).
 */
int
resp_render(const struct resp *rs, const char *req_id, struct buf *out)
{
	buf_printf(out, "Status: %d %s\r\n", rs->rs_status,
	    err_reason(rs->rs_status));
	if (rs->rs_ctype != NULL)
		buf_printf(out, "Content-Type: %s\r\n", rs->rs_ctype);
	buf_printf(out, "Content-Length: %zu\r\n", rs->rs_body.b_len);
	buf_printf(out, "X-Request-Id: %s\r\n", req_id);
	buf_puts(out, "Cache-Control: no-store\r\n");
	xsite_headers(out, rs->rs_ctype != NULL &&
	    strcmp(rs->rs_ctype, CT_HTML) == 0);
	if (!buf_ok(&rs->rs_head) || !buf_ok(&rs->rs_body))
		return -1;
	if (rs->rs_head.b_len > 0)
		buf_add(out, rs->rs_head.b_data, rs->rs_head.b_len);
	buf_puts(out, "\r\n");
	return buf_ok(out) ? 0 : -1;
}
