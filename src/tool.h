/*
 * tool: the outbound request of an approved custom tool (agents.json),
 * with its placeholders filled, and the mock fallback.
 *
 * An endpoint's URL, header values, query parameter values and body
 * strings may hold placeholders: {{secrets.NAME}}, filled only from the
 * credential secrets the caller passes, and input placeholders such as
 * {{query}} or {{company.ticker}}, filled from the tool input.  Every
 * value is encoded for the place it lands in (second-api(7), "Tool
 * execution"), so an input cannot change the host, the path's segments,
 * the query's parameters, a header's framing or the body's structure.
 * Error messages name placeholders, never values.  Pure: no database,
 * no network, no FastCGI, no logging.
 */
#ifndef SECOND_TOOL_H
#define SECOND_TOOL_H

#include <stddef.h>

#include <json-c/json.h>

#include "err.h"

/* Bytes of the final URL and of one final header value. */
#define TOOL_URL_MAX		8192
#define TOOL_HEADER_MAX		8192

/* Sizes of the buffers of struct tool_err. */
#define TOOL_FIELD_MAX		256
#define TOOL_MSG_MAX		320

/* One secret of the grant's credential: name and plaintext value. */
struct tool_secret {
	const char	*ts_name;
	const char	*ts_value;
};

/*
 * The request to execute, every string owned (tool_req_free).  The
 * pieces map one to one onto the egress module's request.
 */
struct tool_req {
	char	 *tr_method;	/* GET, POST, PUT, PATCH or DELETE */
	char	 *tr_url;	/* https URL, placeholders filled */
	char	 *tr_domain;	/* integration.domain: the allowed host */
	char	**tr_headers;	/* "Name: value" */
	size_t	  tr_nheaders;
	char	 *tr_body;	/* JSON text, or NULL for no body */
	size_t	  tr_body_len;
};

/*
 * Why tool_build or tool_secret_names failed.  te_field is "toolInput"
 * for a problem of the input, else the place in the tool such as
 * "endpoint.headers.X-Api-Key"; te_msg names the placeholder and never
 * holds a value.  Caller-owned storage.
 */
struct tool_err {
	char	 te_field[TOOL_FIELD_MAX];
	char	 te_msg[TOOL_MSG_MAX];
};

enum err	 tool_build(json_object *, json_object *,
		    const struct tool_secret *, size_t, struct tool_req *,
		    struct tool_err *);
void		 tool_req_free(struct tool_req *);
enum err	 tool_secret_names(json_object *, json_object **,
		    struct tool_err *);
json_object	*tool_mock_pick(json_object *);

#endif
