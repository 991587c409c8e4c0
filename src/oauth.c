/*
 * oauth: the client side of OAuth 2.0 with PKCE (see oauth.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>
#include <sodium.h>

#include "agents.h"
#include "buf.h"
#include "egress.h"
#include "err.h"
#include "jsonin.h"
#include "log.h"
#include "oauth.h"

#define OAUTH_MAX_HEADERS	3
#define OAUTH_MAX_EXPIRES	(10L * 365 * 24 * 3600)	/* ten years */

static const char *const fail_names[] = {
	"ok",			/* OAUTH_OK */
	"token_url_refused",	/* OAUTH_REFUSED */
	"provider_rejected",	/* OAUTH_REJECTED */
	"provider_unavailable",	/* OAUTH_UNAVAILABLE */
	"bad_token_response",	/* OAUTH_BAD_ANSWER */
	"internal",		/* OAUTH_INTERNAL */
};

/*
 * A provider URL as oauth_provider_configs stores it: agents.json's URL
 * rule (agents_url_ok) within OAUTH_URL_MAX bytes.
 */
bool
oauth_url_ok(const char *s)
{
	return agents_url_ok(s, OAUTH_URL_MAX);
}

/*
 * A token endpoint client authentication method we speak:
 * client_secret_post, client_secret_basic or none.
 */
bool
oauth_method_ok(const char *s)
{
	return strcmp(s, "client_secret_post") == 0 ||
	    strcmp(s, "client_secret_basic") == 0 || strcmp(s, "none") == 0;
}

/*
 * The name of a failure class, for audit metadata and logs.
 */
const char *
oauth_fail_name(enum oauth_fail f)
{
	return (size_t)f < sizeof(fail_names) / sizeof(fail_names[0]) ?
	    fail_names[f] : "internal";
}

/* base64url without padding of the n bytes at p into out. */
static void
b64url(const unsigned char *p, size_t n, char out[OAUTH_RANDOM_LEN + 1])
{
	sodium_bin2base64(out, OAUTH_RANDOM_LEN + 1, p, n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/*
 * A fresh random string: base64url of 32 bytes from the system CSPRNG
 * (43 characters of the unreserved set, so usable as a state and as a
 * PKCE code verifier, RFC 7636 4.1).
 */
void
oauth_random(char out[OAUTH_RANDOM_LEN + 1])
{
	unsigned char	 r[32];

	randombytes_buf(r, sizeof(r));
	b64url(r, sizeof(r), out);
	sodium_memzero(r, sizeof(r));
}

/*
 * SHA-256 of the string s: how a state is stored (only its hash is).
 */
void
oauth_hash(const char *s, unsigned char out[OAUTH_HASH_LEN])
{
	crypto_hash_sha256(out, (const unsigned char *)s, strlen(s));
}

/*
 * The S256 code challenge of a verifier: BASE64URL(SHA256(verifier)),
 * RFC 7636 4.2.
 */
void
oauth_challenge(const char *verifier, char out[OAUTH_RANDOM_LEN + 1])
{
	unsigned char	 h[OAUTH_HASH_LEN];

	oauth_hash(verifier, h);
	b64url(h, sizeof(h), out);
}

/*
 * Forget the tokens: wipe and free each.
 */
void
oauth_tokens_clear(struct oauth_tokens *t)
{
	char	**p[] = { &t->ot_access, &t->ot_refresh, &t->ot_scope };
	size_t	  i;

	for (i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		if (*p[i] != NULL) {
			sodium_memzero(*p[i], strlen(*p[i]));
			free(*p[i]);
			*p[i] = NULL;
		}
	}
	t->ot_expires_in = 0;
}

/* The "Authorization: Basic" header of RFC 6749 2.3.1 into h. */
static bool
basic_header(const struct oauth_client *c, struct buf *h)
{
	struct buf	 pair = BUF_INIT;
	size_t		 n = 0;
	char		*b64 = NULL;
	bool		 ok = false;

	buf_pct(&pair, c->oc_client_id, strlen(c->oc_client_id));
	buf_putc(&pair, ':');
	buf_pct(&pair, c->oc_client_secret, strlen(c->oc_client_secret));
	if (!buf_ok(&pair))
		goto out;
	n = sodium_base64_ENCODED_LEN(pair.b_len,
	    sodium_base64_VARIANT_ORIGINAL);
	if ((b64 = malloc(n)) == NULL)
		goto out;
	sodium_bin2base64(b64, n, (const unsigned char *)pair.b_data,
	    pair.b_len, sodium_base64_VARIANT_ORIGINAL);
	buf_puts(h, "Authorization: Basic ");
	buf_puts(h, b64);
	ok = buf_ok(h);
out:
	if (b64 != NULL)
		sodium_memzero(b64, n);
	if (pair.b_data != NULL)
		sodium_memzero(pair.b_data, pair.b_len);
	buf_free(&pair);
	free(b64);
	return ok;
}

/* One form field "name=value" (percent-encoded) appended to body. */
static void
form_add(struct buf *body, const char *name, const char *value)
{
	if (body->b_len > 0)
		buf_putc(body, '&');
	buf_pct(body, name, strlen(name));
	buf_putc(body, '=');
	buf_pct(body, value, strlen(value));
}

/* A copy of string member key of o of 1..max bytes, or NULL. */
static char *
member_dup(json_object *o, const char *key, size_t max)
{
	json_object	*v;
	size_t		 n;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	n = (size_t)json_object_get_string_len(v);
	if (n < 1 || n > max || memchr(json_object_get_string(v), '\0', n))
		return NULL;
	return strdup(json_object_get_string(v));
}

/* True if s is a token68-ish value safe in an Authorization header. */
static bool
token_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s <= ' ' || *s >= 0x7f)
			return false;
	return true;
}

/* The provider's error code (RFC 6749 5.2) when it is a plain word. */
static void
error_code(json_object *o, char error[OAUTH_ERROR_LEN])
{
	json_object	*v;
	const char	*s;
	size_t		 i;

	if (o == NULL || !json_object_object_get_ex(o, "error", &v) ||
	    !json_object_is_type(v, json_type_string))
		return;
	s = json_object_get_string(v);
	for (i = 0; s[i] != '\0'; i++)
		if (i + 1 >= OAUTH_ERROR_LEN ||
		    !((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
			return;
	snprintf(error, OAUTH_ERROR_LEN, "%s", s);
}

/*
 * The "scope" of a token answer (RFC 6749 3.3: space-separated) as a new
 * JSON array of strings, each scope at most OAUTH_SCOPE_MAX bytes and the
 * array at most OAUTH_SCOPES_MAX; NULL when v is not such a string.
 */
static char *
scopes_json(json_object *v)
{
	struct buf	 out = BUF_INIT;
	const char	*p, *e;
	char		 one[OAUTH_SCOPE_MAX + 1];
	bool		 first = true;

	if (!json_object_is_type(v, json_type_string) ||
	    memchr(json_object_get_string(v), '\0',
	    (size_t)json_object_get_string_len(v)) != NULL)
		return NULL;
	buf_init(&out, OAUTH_SCOPES_MAX);
	buf_putc(&out, '[');
	for (p = json_object_get_string(v); *p != '\0'; p = e) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		e = p + strcspn(p, " ");
		if ((size_t)(e - p) > OAUTH_SCOPE_MAX) {
			buf_free(&out);
			return NULL;
		}
		memcpy(one, p, (size_t)(e - p));
		one[e - p] = '\0';
		if (!first)
			buf_putc(&out, ',');
		buf_json_str(&out, one);
		first = false;
	}
	buf_putc(&out, ']');
	return buf_ok(&out) ? buf_steal(&out) : (buf_free(&out), NULL);
}

/* Read a 2xx token answer o into t (RFC 6749 5.1). */
static enum oauth_fail
answer_read(json_object *o, struct oauth_tokens *t)
{
	json_object	*v;
	const char	*type;
	long		 e;

	if (o == NULL || !json_object_is_type(o, json_type_object))
		return OAUTH_BAD_ANSWER;
	if (json_object_object_get_ex(o, "token_type", &v)) {
		type = json_object_get_string(v);
		if (!json_object_is_type(v, json_type_string) ||
		    strcasecmp(type, "bearer") != 0)
			return OAUTH_BAD_ANSWER;
	}
	if ((t->ot_access = member_dup(o, "access_token",
	    OAUTH_TOKEN_MAX)) == NULL || !token_ok(t->ot_access))
		return OAUTH_BAD_ANSWER;
	if (json_object_object_get_ex(o, "refresh_token", &v) &&
	    ((t->ot_refresh = member_dup(o, "refresh_token",
	    OAUTH_TOKEN_MAX)) == NULL || !token_ok(t->ot_refresh)))
		return OAUTH_BAD_ANSWER;
	if (json_object_object_get_ex(o, "scope", &v) &&
	    (t->ot_scope = scopes_json(v)) == NULL)
		return OAUTH_BAD_ANSWER;
	if (json_object_object_get_ex(o, "expires_in", &v)) {
		/* A number, or (some providers) a string of digits. */
		e = json_object_is_type(v, json_type_int) ?
		    (long)json_object_get_int64(v) :
		    json_object_is_type(v, json_type_string) ?
		    strtol(json_object_get_string(v), NULL, 10) : -1;
		if (e < 0 || e > OAUTH_MAX_EXPIRES)
			return OAUTH_BAD_ANSWER;
		t->ot_expires_in = e;
	}
	return OAUTH_OK;
}

/*
 * POST params (name, value, name, value, ..., NULL) as a form to the
 * client's token endpoint through egress_request (the URL's own host is
 * the allowed domain; its addresses checked at this call), with the
 * client's authentication: client_secret_post adds client_id and
 * client_secret to the form, client_secret_basic sends them in an
 * Authorization header, none sends client_id only.  On OAUTH_OK, *t
 * holds the tokens (oauth_tokens_clear them); otherwise *t is empty and
 * error holds the provider's error code when it gave a plain one ("" if
 * not).  Nothing secret is logged.
 */
enum oauth_fail
oauth_token(const struct conf *cf, const struct oauth_client *c,
    const char *const *params, struct oauth_tokens *t,
    char error[OAUTH_ERROR_LEN])
{
	struct egress_req	 er;
	struct egress_resp	 rs;
	struct buf		 body = BUF_INIT, auth = BUF_INIT;
	struct buf		 answer = BUF_INIT;
	const char		*hdrs[OAUTH_MAX_HEADERS];
	json_object		*o = NULL;
	struct jsonin_why	 why;
	size_t			 i, nh = 0;
	bool			 basic, post;
	enum oauth_fail		 f = OAUTH_INTERNAL;

	memset(t, 0, sizeof(*t));
	memset(&er, 0, sizeof(er));
	memset(&rs, 0, sizeof(rs));
	error[0] = '\0';
	basic = strcmp(c->oc_auth_method, "client_secret_basic") == 0;
	post = strcmp(c->oc_auth_method, "client_secret_post") == 0;
	if ((basic || post) && c->oc_client_secret == NULL)
		goto out;
	for (i = 0; params[i] != NULL && params[i + 1] != NULL; i += 2)
		form_add(&body, params[i], params[i + 1]);
	if (!basic)
		form_add(&body, "client_id", c->oc_client_id);
	if (post)
		form_add(&body, "client_secret", c->oc_client_secret);
	hdrs[nh++] = "Content-Type: application/x-www-form-urlencoded";
	hdrs[nh++] = "Accept: application/json";
	if (basic) {
		if (!basic_header(c, &auth))
			goto out;
		hdrs[nh++] = auth.b_data;
	}
	if (!buf_ok(&body))
		goto out;
	er.er_method = "POST";
	er.er_url = c->oc_token_url;
	er.er_domain = NULL;
	er.er_headers = hdrs;
	er.er_nheaders = nh;
	er.er_body = body.b_data;
	er.er_body_len = body.b_len;
	buf_init(&answer, EGRESS_MAX_RESPONSE);
	rs.es_body = &answer;
	if (egress_request(cf, &er, &rs) != 0) {
		f = rs.es_err == EGRESS_REFUSED_URL ||
		    rs.es_err == EGRESS_REFUSED_ADDRESS ||
		    rs.es_err == EGRESS_REFUSED_REQUEST ? OAUTH_REFUSED :
		    rs.es_err == EGRESS_INTERNAL ? OAUTH_INTERNAL :
		    OAUTH_UNAVAILABLE;
		goto out;
	}
	if (answer.b_len > 0 &&
	    jsonin_object(answer.b_data, answer.b_len, &o, &why) != ERR_OK)
		o = NULL;
	if (rs.es_status >= 500 || rs.es_status == 429) {
		f = OAUTH_UNAVAILABLE;
		goto out;
	}
	if (rs.es_status >= 300) {
		error_code(o, error);
		log_warn("oauth: token endpoint answered %ld%s%s",
		    rs.es_status, error[0] != '\0' ? " " : "", error);
		f = OAUTH_REJECTED;
		goto out;
	}
	if ((f = answer_read(o, t)) != OAUTH_OK)
		log_warn("oauth: token endpoint answered without a usable "
		    "bearer token");
out:
	if (f != OAUTH_OK)
		oauth_tokens_clear(t);
	if (body.b_data != NULL)
		sodium_memzero(body.b_data, body.b_len);
	if (auth.b_data != NULL)
		sodium_memzero(auth.b_data, auth.b_len);
	if (answer.b_data != NULL)
		sodium_memzero(answer.b_data, answer.b_len);
	json_object_put(o);
	buf_free(&body);
	buf_free(&auth);
	buf_free(&answer);
	return f;
}
