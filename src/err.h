/*
 * err: the one error enum of the request path and its public table.
 *
 * Every request-path step returns an enum err.  Each value has exactly one
 * row in err_table (err.c): HTTP status, public code, default message.  The
 * same table is documented in second-api(7).  Details of a failure go to
 * the log, never to the client.
 */
#ifndef SECOND_ERR_H
#define SECOND_ERR_H

#include <stddef.h>

enum err {
	ERR_OK = 0,
	ERR_BAD_REQUEST,		/* malformed syntax or parameters */
	ERR_INVALID_JSON,		/* body is not JSON of the right shape */
	ERR_IDENTITY_REQUIRED,		/* no valid identity */
	ERR_PROFILE_REQUIRED,		/* identity without display name/email */
	ERR_UNAUTHORIZED,		/* internal API without a valid bearer */
	ERR_WORKSPACE_REQUIRED,		/* ready identity, but no membership */
	ERR_FORBIDDEN,			/* member, but the role lacks permission */
	ERR_CSRF_FAILED,		/* cross-site request refused (403) */
	ERR_NOT_FOUND,			/* missing, hidden or outside the tenant */
	ERR_METHOD_NOT_ALLOWED,		/* known path, other method */
	ERR_CONFLICT,			/* state conflict */
	ERR_REVIEW_SUPERSEDED,		/* review superseded or decided */
	ERR_STALE_APPROVAL,		/* approval of a hash that is not current */
	ERR_INTEGRATIONS_NEED_SETUP,	/* app grants need setup */
	ERR_EXTERNAL_AUTH_REQUIRED,	/* act needs external identity mode */
	ERR_OAUTH_NOT_CONFIGURED,	/* provider config without its client */
	ERR_OAUTH_STATE_INVALID,	/* unknown, used, expired or foreign state */
	ERR_OAUTH_CONNECT_FAILED,	/* the provider refused the connect */
	ERR_OAUTH_URL_REFUSED,		/* a provider URL refused by egress */
	ERR_OAUTH_TOO_MANY_PENDING,	/* 20 connects of the member pending */
	ERR_PAYLOAD_TOO_LARGE,		/* body over the cap */
	ERR_URI_TOO_LONG,		/* web server: request line too long */
	ERR_UNSUPPORTED_MEDIA_TYPE,	/* write that is not JSON */
	ERR_VALIDATION_FAILED,		/* well-formed but invalid */
	ERR_HEADERS_TOO_LARGE,		/* web server: header block too large */
	ERR_INTERNAL,			/* a bug; logged with the request id */
	ERR_NOT_IMPLEMENTED,		/* web server: unknown method or coding */
	ERR_UNAVAILABLE,		/* database down */
	ERR_UPSTREAM_FAILED,		/* an outbound call failed */
	ERR__MAX
};

struct err_row {
	int		 status;	/* HTTP status */
	const char	*code;		/* public error code */
	const char	*message;	/* default human message */
};

extern const struct err_row err_table[ERR__MAX];

/*
 * One row of the SQLSTATE map: a five-character SQLSTATE, or a
 * two-character class that stands for every state in it.
 */
struct err_sqlstate {
	const char	*ss_state;
	enum err	 ss_err;
};

extern const struct err_sqlstate err_sqlstates[];
extern const size_t err_nsqlstates;

const char	*err_reason(int status);
enum err	 err_of_status(int status);
enum err	 err_from_sqlstate(const char *sqlstate);

#endif
