/*
 * oauth: the client side of the OAuth 2.0 authorization-code grant
 * (RFC 6749) with PKCE (RFC 7636), for customer-owned provider configs
 * (second-api(7), "OAuth").
 *
 * Random states and verifiers, the S256 challenge, and one call to a
 * token endpoint (the code exchange or a refresh) through the locked
 * egress client, with client_secret_post, client_secret_basic or no
 * client authentication.  Tokens come back in memory only, for the caller
 * to seal (secret.c) and clear; nothing of a token, code, verifier or
 * secret is logged.
 */
#ifndef SECOND_OAUTH_H
#define SECOND_OAUTH_H

#include <stdbool.h>

struct conf;

#define OAUTH_RANDOM_LEN	43	/* base64url of 32 random bytes */
#define OAUTH_HASH_LEN		32	/* SHA-256 */
#define OAUTH_TOKEN_MAX		8192	/* bytes of one token we keep */
#define OAUTH_SCOPE_MAX		256	/* bytes of one scope (agents.c) */
#define OAUTH_SCOPES_MAX	4096	/* bytes of the scopes as JSON */
#define OAUTH_ERROR_LEN		64	/* a provider's error code */
#define OAUTH_URL_MAX		2048	/* a stored provider URL */

/* The client of one provider config (all borrowed). */
struct oauth_client {
	const char	*oc_token_url;		/* https */
	const char	*oc_auth_method;	/* client_secret_post, */
						/* client_secret_basic, none */
	const char	*oc_client_id;
	const char	*oc_client_secret;	/* NULL with "none" */
};

/* A token endpoint's successful answer (RFC 6749 5.1), plain. */
struct oauth_tokens {
	char	*ot_access;	/* access_token */
	char	*ot_refresh;	/* refresh_token; NULL: none sent */
	char	*ot_scope;	/* scope, as a JSON array of strings; */
				/* NULL: not said (as requested) */
	long	 ot_expires_in;	/* seconds; 0: not said */
};

/* Why a token call gave no tokens; names in oauth_fail_name(). */
enum oauth_fail {
	OAUTH_OK = 0,
	OAUTH_REFUSED,		/* the token URL refused by the egress rules */
	OAUTH_REJECTED,		/* 4xx: invalid_grant, invalid_client, ... */
	OAUTH_UNAVAILABLE,	/* no answer, a timeout, 5xx or 429 */
	OAUTH_BAD_ANSWER,	/* 2xx without a usable bearer token */
	OAUTH_INTERNAL,		/* out of memory */
};

void		 oauth_random(char out[OAUTH_RANDOM_LEN + 1]);
void		 oauth_hash(const char *, unsigned char out[OAUTH_HASH_LEN]);
void		 oauth_challenge(const char *verifier,
		    char out[OAUTH_RANDOM_LEN + 1]);
enum oauth_fail	 oauth_token(const struct conf *,
		    const struct oauth_client *, const char *const *params,
		    struct oauth_tokens *, char error[OAUTH_ERROR_LEN]);
void		 oauth_tokens_clear(struct oauth_tokens *);
const char	*oauth_fail_name(enum oauth_fail);
bool		 oauth_url_ok(const char *);
bool		 oauth_method_ok(const char *);

#endif
