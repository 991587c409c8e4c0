/*
 * err: the public error table (see err.h and second-api(7)).
 */
#include "config.h"

#include <string.h>

#include "err.h"

const struct err_row err_table[ERR__MAX] = {
	{ 200, "ok", "ok" }, /* ERR_OK */
	{ 400, "bad_request", "The request is malformed." }, /* ERR_BAD_REQUEST */
	{ 400, "invalid_json", "The request body is not valid JSON." }, /* ERR_INVALID_JSON */
	{ 401, "identity_required", "Sign in first." }, /* ERR_IDENTITY_REQUIRED */
	{ 401, "profile_required", "Complete your profile first." }, /* ERR_PROFILE_REQUIRED */
	{ 401, "unauthorized", "A valid bearer token is required." }, /* ERR_UNAUTHORIZED */
	{ 403, "workspace_required", "Create or join a workspace first." }, /* ERR_WORKSPACE_REQUIRED */
	{ 403, "forbidden", "Your role does not allow this action." }, /* ERR_FORBIDDEN */
	{ 403, "forbidden", "csrf_failed: cross-site request refused." }, /* ERR_CSRF_FAILED */
	{ 404, "not_found", "Not found." }, /* ERR_NOT_FOUND */
	{ 405, "method_not_allowed", "Method not allowed." }, /* ERR_METHOD_NOT_ALLOWED */
	{ 409, "conflict", "The request conflicts with the current state." }, /* ERR_CONFLICT */
	{ 409, "review_superseded", "The review request was superseded or already decided." }, /* ERR_REVIEW_SUPERSEDED */
	{ 409, "stale_approval", "The approved hash is not the current draft hash." }, /* ERR_STALE_APPROVAL */
	{ 409, "integrations_need_setup", "The app's integrations need setup first." }, /* ERR_INTEGRATIONS_NEED_SETUP */
	{ 409, "external_auth_required", "This action needs external authentication (SECOND_AUTH_MODE=external)." }, /* ERR_EXTERNAL_AUTH_REQUIRED */
	{ 409, "oauth_provider_not_configured", "The OAuth provider needs its client id and secret first." }, /* ERR_OAUTH_NOT_CONFIGURED */
	{ 400, "oauth_state_invalid", "The connect link is unknown, used, expired or not yours; start again." }, /* ERR_OAUTH_STATE_INVALID */
	{ 400, "oauth_connect_failed", "The provider did not grant access." }, /* ERR_OAUTH_CONNECT_FAILED */
	{ 403, "oauth_url_refused", "The provider URL is refused by the outbound rules." }, /* ERR_OAUTH_URL_REFUSED */
	{ 429, "oauth_too_many_pending", "Too many account connections are pending; finish one or wait ten minutes." }, /* ERR_OAUTH_TOO_MANY_PENDING */
	{ 413, "payload_too_large", "The request body is too large." }, /* ERR_PAYLOAD_TOO_LARGE */
	{ 414, "uri_too_long", "The request URI is too long." }, /* ERR_URI_TOO_LONG */
	{ 415, "unsupported_media_type", "Send application/json." }, /* ERR_UNSUPPORTED_MEDIA_TYPE */
	{ 422, "validation_failed", "The request is invalid." }, /* ERR_VALIDATION_FAILED */
	{ 431, "headers_too_large", "The request headers are too large." }, /* ERR_HEADERS_TOO_LARGE */
	{ 500, "internal_error", "Internal error." }, /* ERR_INTERNAL */
	{ 501, "not_implemented", "The server does not implement this request." }, /* ERR_NOT_IMPLEMENTED */
	{ 503, "unavailable", "The service is temporarily unavailable." }, /* ERR_UNAVAILABLE */
	{ 502, "upstream_failed", "The remote service did not answer usably." }, /* ERR_UPSTREAM_FAILED */
};

/*
 * SQLSTATE to error, by class and code, never by message text
 * (PostgreSQL, Appendix A "Error Codes").  A unique violation is 409;
 * check, not-null, foreign key and too-long values 422; bad text
 * representation 400; connection, shutdown, cancel, resource and
 * serialization failures 503; our own "SE" class (raised by SQL
 * functions) maps its last three digits to a status.  Insufficient
 * privilege (42501: a missing grant, an RLS WITH CHECK refusal) is 500
 * like anything unmapped: every handler finds its target and checks the
 * caller's rights before it writes, so a refusal there is our bug, never
 * a 404 that would hide it.  tests/unit/test_err.c holds a copy.
 */
const struct err_sqlstate err_sqlstates[] = {
	{ "23505", ERR_CONFLICT },		/* unique_violation */
	{ "23514", ERR_VALIDATION_FAILED },	/* check_violation */
	{ "23502", ERR_VALIDATION_FAILED },	/* not_null_violation */
	{ "23503", ERR_VALIDATION_FAILED },	/* foreign_key_violation */
	{ "22001", ERR_VALIDATION_FAILED },	/* string_data_right_truncation */
	{ "22P02", ERR_BAD_REQUEST },		/* invalid_text_representation */
	{ "22021", ERR_BAD_REQUEST },		/* character_not_in_repertoire */
	{ "08", ERR_UNAVAILABLE },		/* connection exception */
	{ "57", ERR_UNAVAILABLE },		/* operator intervention */
	{ "40001", ERR_UNAVAILABLE },		/* serialization_failure */
	{ "40P01", ERR_UNAVAILABLE },		/* deadlock_detected */
	{ "55P03", ERR_UNAVAILABLE },		/* lock_not_available */
	{ "53", ERR_UNAVAILABLE },		/* insufficient resources */
	{ "SE404", ERR_NOT_FOUND },		/* second: not found */
	{ "SE409", ERR_CONFLICT },		/* second: conflict */
	{ "SE422", ERR_VALIDATION_FAILED },	/* second: invalid */
	{ "SE403", ERR_FORBIDDEN },		/* second: forbidden */
	{ "SE429", ERR_OAUTH_TOO_MANY_PENDING },	/* second: pending states */
};
const size_t err_nsqlstates = sizeof(err_sqlstates) / sizeof(err_sqlstates[0]);

/*
 * The error for a SQLSTATE: the first row of err_sqlstates naming it or
 * its class; ERR_INTERNAL for NULL, anything not five characters long,
 * and any state without a row.
 */
enum err
err_from_sqlstate(const char *s)
{
	size_t	 i, n;

	if (s == NULL || strlen(s) != 5)
		return ERR_INTERNAL;
	for (i = 0; i < err_nsqlstates; i++) {
		n = strlen(err_sqlstates[i].ss_state);
		if (strncmp(s, err_sqlstates[i].ss_state, n) == 0)
			return err_sqlstates[i].ss_err;
	}
	return ERR_INTERNAL;
}

/*
 * The reason phrase for an HTTP status used by second-fcgi, or "Unknown".
 */
const char *
err_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 302: return "Found";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

/*
 * The error answering HTTP "status": the first row of the table with
 * that status; a 4xx without a row is ERR_BAD_REQUEST, anything else
 * without one ERR_INTERNAL.
 */
enum err
err_of_status(int status)
{
	int	 e;

	for (e = ERR_OK + 1; e < ERR__MAX; e++)
		if (err_table[e].status == status)
			return (enum err)e;
	return status >= 400 && status < 500 ? ERR_BAD_REQUEST : ERR_INTERNAL;
}
