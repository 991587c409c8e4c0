/*
 * req: one request, copied out of the FastCGI parameters and capped.
 *
 * Intake keeps only what later layers use.  Every field is an owned copy:
 * nothing points into libfcgi's buffers, which die with FCGX_Finish_r.
 */
#ifndef SECOND_REQ_H
#define SECOND_REQ_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct conf;

enum http_method {
	M_GET = 0,
	M_POST,
	M_PUT,
	M_PATCH,
	M_DELETE,
	M_OTHER,	/* anything else: never matches a route */
	M__MAX
};

#define REQ_MAXARGS	8
#define REQ_MAXPATH	4096

struct req {
	char		 rq_id[25];		/* request id, 24 hex */
	enum http_method rq_method;
	char		*rq_path;		/* raw path of REQUEST_URI */
	char		*rq_query;		/* raw query string ("" if none) */
	long long	 rq_clen;		/* CONTENT_LENGTH, -1 if absent */
	char		*rq_ctype;		/* CONTENT_TYPE or NULL */
	char		*rq_cookie;		/* HTTP_COOKIE or NULL */
	char		*rq_authz;		/* HTTP_AUTHORIZATION or NULL */
	char		*rq_origin;		/* HTTP_ORIGIN or NULL */
	char		*rq_fetch_site;		/* HTTP_SEC_FETCH_SITE or NULL */
	char		*rq_ws_header;		/* HTTP_X_SECOND_WORKSPACE_ID */
	char		*rq_assertion;		/* HTTP_X_SECOND_ASSERTION */
	char		*rq_remote_user;	/* REMOTE_USER (server-set) */
	char		*rq_prov_email;		/* configured email param */
	char		*rq_prov_name;		/* configured name param */
	char		*rq_body;		/* NUL-terminated body or NULL */
	size_t		 rq_body_len;		/* bytes in rq_body */
	char		*rq_args[REQ_MAXARGS];	/* raw route captures */
	size_t		 rq_nargs;		/* captures used */
};

void		 req_init(struct req *);
void		 req_free(struct req *);
enum err	 req_intake(struct req *, char *const *envp,
		    const struct conf *);
enum err	 req_check_path(const char *);
int		 req_pct_decode(const char *, size_t, char **);
const char	*req_method_name(enum http_method);
enum err	 req_query_get(const struct req *, const char *, char **);
enum err	 req_form_get(const char *, const char *, char **);
size_t		 req_cookie_count(const struct req *, const char *);
const char	*req_cookie_get(const struct req *, const char *,
		    size_t *);

#endif
