/*
 * ident: identity claims (see ident.h).
 *
 * A presented identity that fails any check is the same as none: the
 * request continues as missing-identity and gets identity_required (or
 * the onboarding redirect), never a 500 and never a hint of which check
 * failed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "buf.h"
#include "conf.h"
#include "cookie.h"
#include "guard.h"
#include "ident.h"
#include "jsonin.h"
#include "rctx.h"
#include "req.h"
#include "utf8.h"

#define ASSERTION_PURPOSE	"second-assertion"
#define ASSERTION_NAME		"X-Second-Assertion"

/*
 * Free the owned strings of a claim and reset it to CLAIM_NONE.
 */
void
ident_claim_free(struct claim *cl)
{
	free(cl->cl_subject);
	free(cl->cl_email);
	free(cl->cl_name);
	memset(cl, 0, sizeof(*cl));
}

/* A subject: 1..255 bytes of printable ASCII or UTF-8, no controls. */
static bool
subject_ok(const char *s)
{
	size_t	 n = strlen(s), i;

	if (n == 0 || n > IDENT_MAX_SUBJECT || !utf8_valid(s, n))
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x21 || s[i] == 0x7f)
			return false;
	return true;
}

/* Set an external claim from borrowed strings; profile fields optional. */
static enum err
claim_external(struct claim *cl, const char *sub, const char *email,
    const char *name)
{
	if (!subject_ok(sub))
		return ERR_OK;
	if (email != NULL && (email[0] == '\0' || !jsonin_email_ok(email)))
		email = NULL;
	if (name != NULL && !jsonin_text_ok(name, 200))
		name = NULL;
	if ((cl->cl_subject = strdup(sub)) == NULL ||
	    (email != NULL && (cl->cl_email = strdup(email)) == NULL) ||
	    (name != NULL && (cl->cl_name = strdup(name)) == NULL)) {
		ident_claim_free(cl);
		return ERR_INTERNAL;
	}
	cl->cl_kind = CLAIM_EXTERNAL;
	return ERR_OK;
}

/*
 * Verify a signed assertion "v1.<kid>.<payload>.<tag>" whose payload is
 * {"sub": ..., "exp": <unix seconds>, "email"?: ..., "name"?: ...}.
 */
static enum err
claim_assertion(struct rctx *x, const char *value)
{
	struct cookie_keys	 ks;
	json_object		*obj = NULL, *v;
	const char		*sub, *email = NULL, *name = NULL;
	char			 payload[SIGNED_PAYLOAD_MAX + 1];
	size_t			 plen;
	int64_t			 exp, now = (int64_t)time(NULL);
	enum err		 rc = ERR_OK;

	memset(&ks, 0, sizeof(ks));
	(void)cookie_keys_add(&ks, x->x_conf->cf_provider_secret,
	    strlen(x->x_conf->cf_provider_secret));
	if (cookie_open(&ks, ASSERTION_PURPOSE, ASSERTION_NAME, value,
	    strlen(value), payload, sizeof(payload), &plen) != 0)
		goto out;
	if ((obj = json_tokener_parse(payload)) == NULL ||
	    !json_object_is_type(obj, json_type_object))
		goto out;
	if (!json_object_object_get_ex(obj, "sub", &v) ||
	    !json_object_is_type(v, json_type_string))
		goto out;
	sub = json_object_get_string(v);
	if (!json_object_object_get_ex(obj, "exp", &v) ||
	    !json_object_is_type(v, json_type_int))
		goto out;
	exp = json_object_get_int64(v);
	if (exp <= now || exp > now + ASSERTION_MAX_AGE)
		goto out;
	if (json_object_object_get_ex(obj, "email", &v) &&
	    json_object_is_type(v, json_type_string))
		email = json_object_get_string(v);
	if (json_object_object_get_ex(obj, "name", &v) &&
	    json_object_is_type(v, json_type_string))
		name = json_object_get_string(v);
	rc = claim_external(&x->x_claim, sub, email, name);
out:
	json_object_put(obj);
	sodium_memzero(&ks, sizeof(ks));
	return rc;
}

/*
 * Fill x_claim from the request.  ERR_OK whether or not an identity was
 * found (x_claim.cl_kind says); an error only for memory exhaustion.
 * guard_keys must have loaded the session keys.
 */
enum err
ident_claim(struct rctx *x)
{
	const struct conf	*cf = x->x_conf;
	const struct req	*rq = x->x_req;
	const char		*name, *val;
	size_t			 len;

	memset(&x->x_claim, 0, sizeof(x->x_claim));
	if (cf->cf_auth_mode == AUTH_NONE) {
		/* REMOTE_USER and assertion headers are ignored entirely. */
		name = guard_cookie_name(cf);
		/* Absent, or sent twice (ambiguous): no identity. */
		if (req_cookie_count(rq, name) != 1 ||
		    (val = req_cookie_get(rq, name, &len)) == NULL)
			return ERR_OK;
		if (cookie_decode(&x->x_w->ws_keys, name, val, len,
		    (int64_t)time(NULL), &x->x_claim.cl_sess) == 0)
			x->x_claim.cl_kind = CLAIM_SESSION;
		return ERR_OK;
	}
	if (cf->cf_provider == PROVIDER_WEBSERVER) {
		if (rq->rq_remote_user == NULL || rq->rq_remote_user[0] == '\0')
			return ERR_OK;
		return claim_external(&x->x_claim, rq->rq_remote_user,
		    rq->rq_prov_email, rq->rq_prov_name);
	}
	if (cf->cf_provider == PROVIDER_ASSERTION && rq->rq_assertion != NULL)
		return claim_assertion(x, rq->rq_assertion);
	return ERR_OK;
}

/*
 * Make an assertion as an authenticating proxy would (second-admin
 * assertion, tests).  Returns 0, or -1 if out broke.
 */
int
ident_assertion_make(const char *secret, const char *sub, const char *email,
    const char *name, int64_t exp, struct buf *out)
{
	struct cookie_key	 k;
	json_object		*o;
	const char		*js;
	int			 rc = -1;

	cookie_key_derive(&k, secret, strlen(secret));
	if ((o = json_object_new_object()) == NULL)
		return -1;
	json_object_object_add(o, "sub", json_object_new_string(sub));
	json_object_object_add(o, "exp", json_object_new_int64(exp));
	if (email != NULL)
		json_object_object_add(o, "email",
		    json_object_new_string(email));
	if (name != NULL)
		json_object_object_add(o, "name", json_object_new_string(name));
	js = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	if (js != NULL)
		rc = cookie_sign(&k, ASSERTION_PURPOSE, ASSERTION_NAME, js,
		    strlen(js), out);
	json_object_put(o);
	sodium_memzero(&k, sizeof(k));
	return rc;
}
