/*
 * agents: agents.json validation, normalization, canonical form and hash
 * (see agents.h).
 *
 * The approval of an app's agents.json is bound to "v1:" + the SHA-256 of
 * its canonical form: the normalized document (second-api(7), Agents: empty
 * optional arrays omitted, a missing integration.keySlug is "default")
 * serialised per RFC 8785, the JSON Canonicalization Scheme (jcs.c).
 * Version v1 must never change; a different normalization needs a "v2:".
 * Validation refuses what JCS cannot represent exactly (invalid UTF-8,
 * NaN or infinity, an integer an IEEE double would round) rather than
 * hash it differently from what a JavaScript implementation would.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>
#include <sodium.h>

#include "agents.h"
#include "buf.h"
#include "id.h"
#include "jcs.h"
#include "utf8.h"

#define SYSTEM_PROMPT_MAX	65536	/* bytes */
#define TEXT_MAX		200	/* UTF-16 code units, as JS .length */
#define URL_MAX			4096	/* bytes */
#define HEADER_NAME_MAX		256	/* bytes */
#define HEADER_VALUE_MAX	8192	/* bytes */
#define SCOPE_MAX		256	/* bytes */

/* ---------------------------------------------------------- normalize */

/* Drop o[key] when it is an empty array ("treated as omitted"). */
static void
drop_empty_array(json_object *o, const char *key)
{
	json_object	*a;

	if (json_object_object_get_ex(o, key, &a) &&
	    json_object_is_type(a, json_type_array) &&
	    json_object_array_length(a) == 0)
		json_object_object_del(o, key);
}

/* Give every tool's integration object a keySlug ("default"). */
static int
normalize_tools(json_object *tools)
{
	json_object	*t, *in, *slug;
	size_t		 i, n;

	if (!json_object_is_type(tools, json_type_array))
		return 0;
	n = json_object_array_length(tools);
	for (i = 0; i < n; i++) {
		t = json_object_array_get_idx(tools, i);
		if (!json_object_is_type(t, json_type_object) ||
		    !json_object_object_get_ex(t, "integration", &in) ||
		    !json_object_is_type(in, json_type_object) ||
		    json_object_object_get_ex(in, "keySlug", NULL))
			continue;
		if ((slug = json_object_new_string("default")) == NULL)
			return -1;
		if (json_object_object_add(in, "keySlug", slug) != 0) {
			json_object_put(slug);
			return -1;
		}
	}
	return 0;
}

/*
 * Normalize an agents.json document in place (second-api(7), Agents; v1):
 * remove top-level appTools, agents[i].tools and agents[i].dataCollections
 * when they are empty arrays, and set integration.keySlug to "default" in
 * every tool (agents[i].tools[j] and appTools[j]) whose integration object
 * has none.  Parts of the wrong type are left alone, so it is safe on an
 * unvalidated document; validation gives the same answer before and after.
 * Returns 0, or -1 on allocation failure (the document may then be
 * partly normalized).
 */
int
agents_normalize(json_object *doc)
{
	json_object	*agents, *a, *tools;
	size_t		 i, n;

	if (!json_object_is_type(doc, json_type_object))
		return 0;
	drop_empty_array(doc, "appTools");
	if (json_object_object_get_ex(doc, "appTools", &tools) &&
	    normalize_tools(tools) == -1)
		return -1;
	if (!json_object_object_get_ex(doc, "agents", &agents) ||
	    !json_object_is_type(agents, json_type_array))
		return 0;
	n = json_object_array_length(agents);
	for (i = 0; i < n; i++) {
		a = json_object_array_get_idx(agents, i);
		if (!json_object_is_type(a, json_type_object))
			continue;
		drop_empty_array(a, "tools");
		drop_empty_array(a, "dataCollections");
		if (json_object_object_get_ex(a, "tools", &tools) &&
		    normalize_tools(tools) == -1)
			return -1;
	}
	return 0;
}

/*
 * Append the canonical form of an agents.json document to out: the JCS
 * serialisation (jcs_serialize) of its normalized form (agents_normalize).
 * The document is borrowed and not changed (a copy is normalized).
 * Returns 0, or -1 under the conditions of jcs_serialize or on allocation
 * failure; after -1 out may hold a partial form.
 */
int
agents_canonical(json_object *doc, struct buf *out)
{
	json_object	*copy = NULL;
	int		 rc = -1;

	/* Only an object has anything to normalize. */
	if (!json_object_is_type(doc, json_type_object))
		return jcs_serialize(doc, out);
	if (json_object_deep_copy(doc, &copy, NULL) != 0)
		goto out;
	if (agents_normalize(copy) == -1)
		goto out;
	if (jcs_serialize(copy, out) == -1)
		goto out;
	rc = 0;
out:
	json_object_put(copy);
	return rc;
}

/*
 * Write the versioned hash of an agents.json document into out:
 * "v1:" followed by the lowercase hex SHA-256 of agents_canonical, 67
 * characters and a NUL.  The document is borrowed and unchanged.
 * Returns 0, or -1 (out is then "") when agents_canonical fails.
 */
int
agents_hash(json_object *doc, char out[AGENTS_HASH_SIZE])
{
	struct buf	 b;
	unsigned char	 md[crypto_hash_sha256_BYTES];
	int		 rc = -1;

	out[0] = '\0';
	buf_init(&b, 0);
	if (agents_canonical(doc, &b) == -1 || b.b_data == NULL)
		goto out;
	crypto_hash_sha256(md, (const unsigned char *)b.b_data, b.b_len);
	memcpy(out, "v1:", 3);
	sodium_bin2hex(out + 3, AGENTS_HASH_SIZE - 3, md, sizeof(md));
	rc = 0;
out:
	buf_free(&b);
	return rc;
}

/* --------------------------------------------------------- validation */

/* Validation state: the error report doubles as the current path. */
struct vctx {
	struct agents_err	*v_err;		/* caller's report */
	size_t			 v_len;		/* bytes of ae_field in use */
	size_t			 v_trunc;	/* where "..." starts, or SIZE_MAX */
};

/* Append n bytes of p to the path, or "..." once it would not fit. */
static void
path_add(struct vctx *v, const char *p, size_t n)
{
	char	*f = v->v_err->ae_field;

	if (v->v_trunc != SIZE_MAX)
		return;
	/* Always keep room for "..." and the NUL. */
	if (n > AGENTS_FIELD_MAX - 4 - v->v_len) {
		n = AGENTS_FIELD_MAX - 4 - v->v_len;
		/* Do not cut a UTF-8 sequence: the path is shown as JSON. */
		while (n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
			n--;
		memcpy(f + v->v_len, p, n);
		v->v_trunc = v->v_len + n;
		memcpy(f + v->v_trunc, "...", 4);
		v->v_len = v->v_trunc + 3;
		return;
	}
	memcpy(f + v->v_len, p, n);
	v->v_len += n;
	f[v->v_len] = '\0';
}

/* Descend into member "key"; returns the length to restore with path_pop. */
static size_t
path_key(struct vctx *v, const char *key)
{
	size_t	 old = v->v_len;

	if (v->v_len > 0)
		path_add(v, ".", 1);
	path_add(v, key, strlen(key));
	return old;
}

/* Descend into element i. */
static size_t
path_idx(struct vctx *v, size_t i)
{
	char	 t[32];
	size_t	 old = v->v_len;
	int	 w;

	w = snprintf(t, sizeof(t), "[%zu]", i);
	if (w > 0 && (size_t)w < sizeof(t))
		path_add(v, t, (size_t)w);
	return old;
}

static void
path_pop(struct vctx *v, size_t old)
{
	v->v_len = old;
	if (v->v_trunc != SIZE_MAX && old <= v->v_trunc)
		v->v_trunc = SIZE_MAX;
	v->v_err->ae_field[old] = '\0';
}

/* Record msg for the current path; always false, to return directly. */
static bool
vfail(struct vctx *v, const char *msg)
{
	v->v_err->ae_msg = msg;
	return false;
}

/* Record msg for member "key" of the current path. */
static bool
vfail_at(struct vctx *v, const char *key, const char *msg)
{
	path_key(v, key);
	return vfail(v, msg);
}

static const char *
type_msg(json_type t)
{
	switch (t) {
	case json_type_object:
		return "Expected an object.";
	case json_type_array:
		return "Expected an array.";
	case json_type_string:
		return "Expected a string.";
	case json_type_boolean:
		return "Expected a boolean.";
	default:
		return "Wrong type.";
	}
}

/*
 * Fetch o[key] of type t into *vp (NULL when absent).  False with the
 * error set when it has another type (JSON null included) or, if
 * required, is absent.
 */
static bool
vget(struct vctx *v, json_object *o, const char *key, json_type t,
    bool required, json_object **vp)
{
	json_object	*x;

	*vp = NULL;
	if (!json_object_object_get_ex(o, key, &x)) {
		if (required)
			return vfail_at(v, key, "A required field is missing.");
		return true;
	}
	if (!json_object_is_type(x, t))
		return vfail_at(v, key, type_msg(t));
	*vp = x;
	return true;
}

/*
 * A number whose canonical form json-c reads back as the same value.
 * Doubles between 2^53 and 1e21 print as bare integers beyond 2^53
 * ("1e20" becomes "100000000000000000000"), which json-c would parse as
 * a clamped or unrepresentable integer: a stored approved payload could
 * then not be hashed again.  Above that ECMAScript switches to "1e+21".
 */
static bool
number_stable(json_object *v)
{
	double	 x;

	if (!jcs_number_ok(v))
		return false;
	if (!json_object_is_type(v, json_type_double))
		return true;
	x = json_object_get_double(v);
	if (x < 0)
		x = -x;
	return x <= (double)JCS_INT_LIMIT || x >= 1e21;
}

/*
 * Type, depth, UTF-8 and number rules for every value of the document,
 * so that a valid document always has a canonical form, and one that
 * parses back (json-c) to the same canonical form.
 */
static bool
walk(struct vctx *v, json_object *x, int depth)
{
	size_t	 i, n, old;

	switch (json_object_get_type(x)) {
	case json_type_int:
	case json_type_double:
		if (!number_stable(x))
			return vfail(v, "Numbers must be finite, and whole "
			    "ones within +-2^53 or from 1e21 on.");
		return true;
	case json_type_string:
		if (!utf8_valid(json_object_get_string(x),
		    (size_t)json_object_get_string_len(x)))
			return vfail(v, "Not valid UTF-8.");
		return true;
	case json_type_array:
		if (depth >= AGENTS_MAX_DEPTH)
			return vfail(v, "Nested too deeply.");
		n = json_object_array_length(x);
		for (i = 0; i < n; i++) {
			old = path_idx(v, i);
			if (!walk(v, json_object_array_get_idx(x, i),
			    depth + 1))
				return false;
			path_pop(v, old);
		}
		return true;
	case json_type_object: {
		if (depth >= AGENTS_MAX_DEPTH)
			return vfail(v, "Nested too deeply.");
		json_object_object_foreach(x, key, val) {
			if (!utf8_valid(key, strlen(key)))
				return vfail(v, "A member name is not valid "
				    "UTF-8.");
			old = path_key(v, key);
			if (!walk(v, val, depth + 1))
				return false;
			path_pop(v, old);
		}
		return true;
	}
	default:
		return true;
	}
}

/* The string of s has no NUL byte (json-c strings may hold them). */
static bool
str_nonul(json_object *s)
{
	return strlen(json_object_get_string(s)) ==
	    (size_t)json_object_get_string_len(s);
}

/* ^[a-z0-9][a-z0-9_-]{0,63}$: agent ids, key slugs. */
static bool
slug_ok(json_object *s)
{
	const char	*p = json_object_get_string(s);
	size_t		 i, n = (size_t)json_object_get_string_len(s);

	if (n < 1 || n > 64 || !str_nonul(s))
		return false;
	for (i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') ||
		    (p[i] >= '0' && p[i] <= '9') ||
		    (i > 0 && (p[i] == '_' || p[i] == '-'))))
			return false;
	return true;
}

/* ASCII letters and digits, whatever the locale. */
static bool
ascii_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* A name (id_name_ok): tool names, data collections, provider keys. */
static bool
name_ok(json_object *s)
{
	return str_nonul(s) && id_name_ok(json_object_get_string(s));
}

/*
 * Display text: 1..TEXT_MAX UTF-16 code units (JavaScript's length),
 * no control characters, not only white space.
 */
static bool
text_ok(json_object *s)
{
	const char	*p = json_object_get_string(s);
	size_t		 i, n = (size_t)json_object_get_string_len(s);
	size_t		 units;
	bool		 visible = false;

	if (!utf8_valid(p, n))
		return false;
	for (i = 0; i < n; i++) {
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
			return false;
		if (p[i] != ' ')
			visible = true;
	}
	units = utf8_u16_len(p, n);
	return visible && units >= 1 && units <= TEXT_MAX;
}

/*
 * An https:// URL of at most max bytes: a non-empty authority, no white
 * space, control characters or backslashes (which some parsers read as
 * "/", hiding the real host).  Syntax only: where it resolves is
 * egress_url_check's business.  The one URL rule of agents.json tools
 * and of stored OAuth provider URLs (oauth_url_ok).
 */
bool
agents_url_ok(const char *p, size_t max)
{
	size_t		 i, n = strlen(p);

	if (n > max || n <= 8 || strncmp(p, "https://", 8) != 0 ||
	    strchr("/?#", p[8]) != NULL)
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] <= 0x20 || p[i] == 0x7f ||
		    p[i] == '\\')
			return false;
	return true;
}

/* A tool's https:// URL (agents_url_ok, URL_MAX), without a NUL inside. */
static bool
url_ok(json_object *s)
{
	return str_nonul(s) &&
	    agents_url_ok(json_object_get_string(s), URL_MAX);
}

/*
 * A lowercase DNS name of two or more labels, no trailing dot, not an
 * IPv4 address.  The egress check accepts this name and its subdomains,
 * so a bare top-level domain would open a whole TLD.
 */
static bool
domain_ok(json_object *s)
{
	const char	*p = json_object_get_string(s);
	size_t		 n = (size_t)json_object_get_string_len(s);
	size_t		 i, label = 0, labels = 0;
	bool		 digits = true;

	if (n < 1 || n > 253 || !str_nonul(s))
		return false;
	for (i = 0; i <= n; i++) {
		if (i == n || p[i] == '.') {
			if (label == 0 || label > 63 || p[i - 1] == '-')
				return false;
			labels++;
			if (i < n) {
				label = 0;
				digits = true;
			}
			continue;
		}
		if (label == 0 && p[i] == '-')
			return false;
		if (!((p[i] >= 'a' && p[i] <= 'z') ||
		    (p[i] >= '0' && p[i] <= '9') || p[i] == '-'))
			return false;
		if (!(p[i] >= '0' && p[i] <= '9'))
			digits = false;
		label++;
	}
	/* "digits" now describes the last label. */
	return labels >= 2 && !digits;
}

/* An RFC 9110 token of 1..HEADER_NAME_MAX bytes. */
static bool
header_name_ok(const char *p)
{
	size_t	 i, n = strlen(p);

	if (n < 1 || n > HEADER_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!ascii_alnum(p[i]) &&
		    strchr("!#$%&'*+-.^_`|~", p[i]) == NULL)
			return false;
	return true;
}

/* A header value: no NUL, CR or LF (no header injection), bounded. */
static bool
header_value_ok(json_object *s)
{
	const char	*p = json_object_get_string(s);
	size_t		 n = (size_t)json_object_get_string_len(s);

	return n <= HEADER_VALUE_MAX && str_nonul(s) &&
	    strpbrk(p, "\r\n") == NULL;
}

/*
 * True if p has a placeholder an OAuth tool may not use (second-api(7),
 * Agents): {{oauth.access_token}}, {{access_token}}, {{token}} or any
 * {{secrets.*}}.  Blanks inside the braces and case are ignored, so
 * "{{ Token }}" counts too.
 */
static bool
token_placeholder(const char *p)
{
	static const char *const names[] = {
		"oauth.access_token", "access_token", "token",
	};
	const char	*q, *r;
	size_t		 i, n;

	/* Every "{{", overlapping ones too: "{{{token}}}" holds one. */
	for (; (p = strstr(p, "{{")) != NULL; p++) {
		for (r = p + 2; *r == ' ' || *r == '\t'; r++)
			continue;
		if (strncasecmp(r, "secrets.", 8) == 0)
			return true;
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			n = strlen(names[i]);
			if (strncasecmp(r, names[i], n) != 0)
				continue;
			for (q = r + n; *q == ' ' || *q == '\t'; q++)
				continue;
			if (strncmp(q, "}}", 2) == 0)
				return true;
		}
	}
	return false;
}

static const char MSG_OAUTH_PLACEHOLDER[] = "OAuth tools must not use token "
    "or secret placeholders.";

/* Look for token placeholders in every string (and member name) of x. */
static bool
oauth_clean(struct vctx *v, json_object *x)
{
	size_t	 i, n, old;

	switch (json_object_get_type(x)) {
	case json_type_string:
		if (token_placeholder(json_object_get_string(x)))
			return vfail(v, MSG_OAUTH_PLACEHOLDER);
		return true;
	case json_type_array:
		n = json_object_array_length(x);
		for (i = 0; i < n; i++) {
			old = path_idx(v, i);
			if (!oauth_clean(v, json_object_array_get_idx(x, i)))
				return false;
			path_pop(v, old);
		}
		return true;
	case json_type_object: {
		json_object_object_foreach(x, key, val) {
			old = path_key(v, key);
			if (token_placeholder(key))
				return vfail(v, MSG_OAUTH_PLACEHOLDER);
			if (!oauth_clean(v, val))
				return false;
			path_pop(v, old);
		}
		return true;
	}
	default:
		return true;
	}
}

/* Every member of o (if present) is a string without NUL. */
static bool
string_map(struct vctx *v, json_object *o)
{
	size_t	 old;

	if (o == NULL)
		return true;
	json_object_object_foreach(o, key, val) {
		old = path_key(v, key);
		if (!json_object_is_type(val, json_type_string))
			return vfail(v, "Expected a string.");
		if (!str_nonul(val))
			return vfail(v, "Must not contain NUL.");
		path_pop(v, old);
	}
	return true;
}

/* An optional string without NUL bytes of at most max bytes. */
static bool
opt_string(struct vctx *v, json_object *o, const char *key, size_t max)
{
	json_object	*s;

	if (!vget(v, o, key, json_type_string, false, &s))
		return false;
	if (s == NULL)
		return true;
	if (!str_nonul(s))
		return vfail_at(v, key, "Must not contain NUL.");
	if ((size_t)json_object_get_string_len(s) > max)
		return vfail_at(v, key, "Too long.");
	return true;
}

/* One of the strings of set (NULL-terminated). */
static bool
one_of(json_object *s, const char *const *set)
{
	const char	*p = json_object_get_string(s);

	if (!str_nonul(s))
		return false;
	for (; *set != NULL; set++)
		if (strcmp(p, *set) == 0)
			return true;
	return false;
}

/* integration.auth: the OAuth 2 fields of second-api(7), Agents. */
static bool
check_auth(struct vctx *v, json_object *a)
{
	static const char *const methods[] = {
		"client_secret_post", "client_secret_basic", "none", NULL
	};
	json_object	*s, *o;
	size_t		 i, n, old, old2;

	if (!vget(v, a, "type", json_type_string, true, &s))
		return false;
	if (strcmp(json_object_get_string(s), "oauth2") != 0)
		return vfail_at(v, "type", "Must be \"oauth2\".");
	if (!vget(v, a, "providerKey", json_type_string, true, &s))
		return false;
	if (!name_ok(s))
		return vfail_at(v, "providerKey",
		    "Must match ^[A-Za-z0-9_-]{1,64}$.");
	if (!vget(v, a, "identity", json_type_string, true, &s))
		return false;
	if (strcmp(json_object_get_string(s), "triggering_user") != 0)
		return vfail_at(v, "identity", "Must be \"triggering_user\".");
	if (!vget(v, a, "authorizationUrl", json_type_string, true, &s))
		return false;
	if (!url_ok(s))
		return vfail_at(v, "authorizationUrl",
		    "Must be an https:// URL.");
	if (!vget(v, a, "tokenUrl", json_type_string, true, &s))
		return false;
	if (!url_ok(s))
		return vfail_at(v, "tokenUrl", "Must be an https:// URL.");
	if (!vget(v, a, "tokenAuthMethod", json_type_string, true, &s))
		return false;
	if (!one_of(s, methods))
		return vfail_at(v, "tokenAuthMethod", "Must be "
		    "client_secret_post, client_secret_basic or none.");
	if (!vget(v, a, "scopes", json_type_array, true, &o))
		return false;
	n = json_object_array_length(o);
	old = path_key(v, "scopes");
	for (i = 0; i < n; i++) {
		old2 = path_idx(v, i);
		s = json_object_array_get_idx(o, i);
		if (!json_object_is_type(s, json_type_string))
			return vfail(v, "Expected a string.");
		/* Scopes travel space-separated: no blanks inside one. */
		if (json_object_get_string_len(s) < 1 ||
		    json_object_get_string_len(s) > SCOPE_MAX ||
		    !str_nonul(s) ||
		    strpbrk(json_object_get_string(s), " \t\r\n") != NULL)
			return vfail(v, "Must be 1 to 256 bytes without "
			    "white space.");
		path_pop(v, old2);
	}
	path_pop(v, old);
	if (!vget(v, a, "authorizationParams", json_type_object, false, &o))
		return false;
	old = path_key(v, "authorizationParams");
	if (!string_map(v, o))
		return false;
	path_pop(v, old);
	if (!vget(v, a, "tokenParams", json_type_object, false, &o))
		return false;
	old = path_key(v, "tokenParams");
	if (!string_map(v, o))
		return false;
	path_pop(v, old);
	return true;
}

/* A tool's integration; *oauth is set when it carries auth. */
static bool
check_integration(struct vctx *v, json_object *in, bool *oauth)
{
	json_object	*s, *a;
	size_t		 old;

	*oauth = false;
	if (!vget(v, in, "name", json_type_string, true, &s))
		return false;
	if (!text_ok(s))
		return vfail_at(v, "name", "Must be 1 to 200 characters "
		    "without control characters.");
	if (!vget(v, in, "domain", json_type_string, true, &s))
		return false;
	if (!domain_ok(s))
		return vfail_at(v, "domain", "Must be a lowercase DNS name "
		    "such as example.com.");
	if (!vget(v, in, "keySlug", json_type_string, false, &s))
		return false;
	if (s != NULL && !slug_ok(s))
		return vfail_at(v, "keySlug",
		    "Must match ^[a-z0-9][a-z0-9_-]{0,63}$.");
	if (!opt_string(v, in, "setupSearchQuery", SIZE_MAX))
		return false;
	if (!vget(v, in, "auth", json_type_object, false, &a))
		return false;
	if (a != NULL) {
		old = path_key(v, "auth");
		if (!check_auth(v, a))
			return false;
		path_pop(v, old);
		*oauth = true;
	}
	return true;
}

/*
 * A tool's endpoint.  For OAuth tools the server injects the bearer
 * token, so the tool itself may name neither a token nor a secret, nor
 * set Authorization (second-api(7), Agents).
 */
static bool
check_endpoint(struct vctx *v, json_object *ep, bool oauth)
{
	static const char *const methods[] = {
		"GET", "POST", "PUT", "PATCH", "DELETE", NULL
	};
	json_object	*s, *o, *body;
	size_t		 old, old2;

	if (!vget(v, ep, "method", json_type_string, true, &s))
		return false;
	if (!one_of(s, methods))
		return vfail_at(v, "method",
		    "Must be GET, POST, PUT, PATCH or DELETE.");
	if (!vget(v, ep, "url", json_type_string, true, &s))
		return false;
	if (!url_ok(s))
		return vfail_at(v, "url", "Must be an https:// URL.");
	if (oauth && token_placeholder(json_object_get_string(s)))
		return vfail_at(v, "url", MSG_OAUTH_PLACEHOLDER);

	if (!vget(v, ep, "headers", json_type_object, false, &o))
		return false;
	old = path_key(v, "headers");
	if (o != NULL) {
		json_object_object_foreach(o, key, val) {
			old2 = path_key(v, key);
			if (!header_name_ok(key))
				return vfail(v, "Not a valid header name.");
			if (!json_object_is_type(val, json_type_string))
				return vfail(v, "Expected a string.");
			if (!header_value_ok(val))
				return vfail(v, "Header values must not "
				    "contain CR, LF or NUL.");
			if (oauth && strcasecmp(key, "Authorization") == 0)
				return vfail(v, "OAuth tools must not set "
				    "an Authorization header.");
			if (oauth && token_placeholder(
			    json_object_get_string(val)))
				return vfail(v, MSG_OAUTH_PLACEHOLDER);
			path_pop(v, old2);
		}
	}
	path_pop(v, old);

	if (!vget(v, ep, "queryParams", json_type_object, false, &o))
		return false;
	old = path_key(v, "queryParams");
	if (!string_map(v, o) || (oauth && o != NULL && !oauth_clean(v, o)))
		return false;
	path_pop(v, old);

	/* Any JSON value may be a body. */
	if (oauth && json_object_object_get_ex(ep, "body", &body)) {
		old = path_key(v, "body");
		if (!oauth_clean(v, body))
			return false;
		path_pop(v, old);
	}
	return true;
}

/* One tool of agents[i].tools or appTools. */
static bool
check_tool(struct vctx *v, json_object *t)
{
	static const char *const types[] = { "builtin", "custom", NULL };
	static const char *const builtins[] = {
		"WebSearch", "WebFetch", NULL
	};
	json_object	*s, *o;
	size_t		 old;
	bool		 custom, oauth = false;

	if (!json_object_is_type(t, json_type_object))
		return vfail(v, "Expected an object.");
	if (!vget(v, t, "type", json_type_string, true, &s))
		return false;
	if (!one_of(s, types))
		return vfail_at(v, "type", "Must be \"builtin\" or \"custom\".");
	custom = strcmp(json_object_get_string(s), "custom") == 0;

	if (!vget(v, t, "name", json_type_string, true, &s))
		return false;
	if (!name_ok(s))
		return vfail_at(v, "name", "Must match ^[A-Za-z0-9_-]{1,64}$.");
	/* Reserved in the app_tools namespace (second-api(7), Agents). */
	if (strcmp(json_object_get_string(s), "report_tool_call_failed") == 0)
		return vfail_at(v, "name", "This tool name is reserved.");
	if (!custom && !one_of(s, builtins))
		return vfail_at(v, "name",
		    "Builtin tools are WebSearch and WebFetch.");

	if (!opt_string(v, t, "displayName", SIZE_MAX) ||
	    !opt_string(v, t, "description", SIZE_MAX) ||
	    !vget(v, t, "enabled", json_type_boolean, false, &o) ||
	    !vget(v, t, "recommended", json_type_boolean, false, &o))
		return false;

	/* Custom tools need integration.name/domain (second-api(7), Agents). */
	if (!vget(v, t, "integration", json_type_object, custom, &o))
		return false;
	if (o != NULL) {
		old = path_key(v, "integration");
		if (!check_integration(v, o, &oauth))
			return false;
		path_pop(v, old);
	}
	if (!vget(v, t, "endpoint", json_type_object, custom, &o))
		return false;
	if (o != NULL) {
		old = path_key(v, "endpoint");
		if (!check_endpoint(v, o, oauth))
			return false;
		path_pop(v, old);
	}
	if (!vget(v, t, "responseSchema", json_type_object, false, &o) ||
	    !vget(v, t, "mockData", json_type_array, false, &o))
		return false;
	/* The mock fallback picks a random entry: at least 3 of them. */
	if (custom && (o == NULL || json_object_array_length(o) < 3))
		return vfail_at(v, "mockData",
		    "Custom tools need at least 3 mockData entries.");
	return true;
}

/* The value of member "key" of o, a string known to be present. */
static const char *
member_str(json_object *o, const char *key)
{
	json_object	*s;

	if (!json_object_object_get_ex(o, key, &s))
		return "";
	return json_object_get_string(s);
}

/* A tools array (path at the array): shapes, limit, unique names. */
static bool
check_tools(struct vctx *v, json_object *tools)
{
	size_t	 i, j, n, old;

	n = json_object_array_length(tools);
	if (n > AGENTS_MAX_TOOLS)
		return vfail(v, "Too many tools.");
	for (i = 0; i < n; i++) {
		old = path_idx(v, i);
		if (!check_tool(v, json_object_array_get_idx(tools, i)))
			return false;
		for (j = 0; j < i; j++)
			if (strcmp(member_str(json_object_array_get_idx(tools,
			    i), "name"), member_str(
			    json_object_array_get_idx(tools, j), "name")) == 0)
				return vfail_at(v, "name",
				    "Duplicate tool name.");
		path_pop(v, old);
	}
	return true;
}

/* One element of agents[] (path at the element). */
static bool
check_agent(struct vctx *v, json_object *a)
{
	json_object	*s, *o;
	size_t		 i, j, n, old, old2;

	if (!json_object_is_type(a, json_type_object))
		return vfail(v, "Expected an object.");
	if (!vget(v, a, "id", json_type_string, true, &s))
		return false;
	if (!slug_ok(s))
		return vfail_at(v, "id",
		    "Must match ^[a-z0-9][a-z0-9_-]{0,63}$.");
	if (!vget(v, a, "name", json_type_string, true, &s))
		return false;
	if (!text_ok(s))
		return vfail_at(v, "name", "Must be 1 to 200 characters "
		    "without control characters.");
	if (!opt_string(v, a, "description", SIZE_MAX) ||
	    !opt_string(v, a, "systemPrompt", SYSTEM_PROMPT_MAX))
		return false;

	if (!vget(v, a, "dataCollections", json_type_array, false, &o))
		return false;
	if (o != NULL) {
		old = path_key(v, "dataCollections");
		n = json_object_array_length(o);
		if (n > AGENTS_MAX_COLLECTIONS)
			return vfail(v, "Too many data collections.");
		for (i = 0; i < n; i++) {
			old2 = path_idx(v, i);
			s = json_object_array_get_idx(o, i);
			if (!json_object_is_type(s, json_type_string))
				return vfail(v, "Expected a string.");
			if (!name_ok(s))
				return vfail(v,
				    "Must match ^[A-Za-z0-9_-]{1,64}$.");
			for (j = 0; j < i; j++)
				if (strcmp(json_object_get_string(s),
				    json_object_get_string(
				    json_object_array_get_idx(o, j))) == 0)
					return vfail(v,
					    "Duplicate data collection.");
			path_pop(v, old2);
		}
		path_pop(v, old);
	}

	if (!vget(v, a, "tools", json_type_array, false, &o))
		return false;
	if (o != NULL) {
		old = path_key(v, "tools");
		if (!check_tools(v, o))
			return false;
		path_pop(v, old);
	}
	return true;
}

static bool
check_doc(struct vctx *v, json_object *doc)
{
	json_object	*agents, *app_tools;
	size_t		 i, j, n, old, old2;

	if (!json_object_is_type(doc, json_type_object))
		return vfail(v, "agents.json must be a JSON object.");
	json_object_object_foreach(doc, key, val) {
		(void)val;
		if (strcmp(key, "agents") != 0 && strcmp(key, "appTools") != 0)
			return vfail_at(v, key, "Unknown field.");
	}
	if (!vget(v, doc, "agents", json_type_array, true, &agents) ||
	    !vget(v, doc, "appTools", json_type_array, false, &app_tools))
		return false;

	n = json_object_array_length(agents);
	old = path_key(v, "agents");
	if (n > AGENTS_MAX_AGENTS)
		return vfail(v, "Too many agents.");
	if (n == 0 && (app_tools == NULL ||
	    json_object_array_length(app_tools) == 0))
		return vfail(v, "agents may be empty only when appTools is "
		    "not.");
	for (i = 0; i < n; i++) {
		old2 = path_idx(v, i);
		if (!check_agent(v, json_object_array_get_idx(agents, i)))
			return false;
		for (j = 0; j < i; j++)
			if (strcmp(member_str(json_object_array_get_idx(agents,
			    i), "id"), member_str(
			    json_object_array_get_idx(agents, j), "id")) == 0)
				return vfail_at(v, "id", "Duplicate agent id.");
		path_pop(v, old2);
	}
	path_pop(v, old);

	if (app_tools != NULL) {
		old = path_key(v, "appTools");
		if (!check_tools(v, app_tools))
			return false;
		path_pop(v, old);
	}
	return true;
}

/*
 * Validate an agents.json document (second-api(7), Agents): the shape
 * of agents[] and appTools[] and their tools, the id and name patterns,
 * uniqueness, the custom-tool and OAuth rules, and that every value has
 * a canonical form that json-c parses back to the same form (UTF-8,
 * depth, and numbers: finite, whole ones within +-2^53 or >= 1e21).
 * A missing keySlug is fine, as are empty optional arrays, so the answer
 * is the same before and after agents_normalize.  The document is
 * borrowed and unchanged.  Returns 0 if valid (ae_field "", ae_msg
 * NULL).  Otherwise -1 and *err holds the first problem: ae_field its
 * path ("" for the document itself, cut with "..." at a UTF-8 boundary
 * if long; member names are copied, so it does not point into the
 * document) and ae_msg a static message.  Nothing is allocated.
 */
int
agents_validate(json_object *doc, struct agents_err *err)
{
	struct vctx	 v;

	err->ae_field[0] = '\0';
	err->ae_msg = NULL;
	v.v_err = err;
	v.v_len = 0;
	v.v_trunc = SIZE_MAX;
	if (!walk(&v, doc, 0) || !check_doc(&v, doc))
		return -1;
	/* Leave no stale path behind on success. */
	err->ae_field[0] = '\0';
	return 0;
}

/* ------------------------------------------------------------ lookups */

/* The element of array arr whose string member key equals val. */
static json_object *
find_by(json_object *arr, const char *key, const char *val)
{
	json_object	*e, *s;
	size_t		 i, n;

	if (val == NULL || !json_object_is_type(arr, json_type_array))
		return NULL;
	n = json_object_array_length(arr);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(arr, i);
		if (json_object_is_type(e, json_type_object) &&
		    json_object_object_get_ex(e, key, &s) &&
		    json_object_is_type(s, json_type_string) &&
		    str_nonul(s) && strcmp(json_object_get_string(s), val) == 0)
			return e;
	}
	return NULL;
}

/* Member key of o, or NULL if o is not an object or lacks it. */
static json_object *
member(json_object *o, const char *key)
{
	json_object	*v;

	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static json_object *
find_agent(json_object *doc, const char *agent_id)
{
	return find_by(member(doc, "agents"), "id", agent_id);
}

/*
 * True if the (approved) document declares an agent with this id.  The
 * document is borrowed; a NULL id or a malformed document gives false.
 */
bool
agents_has_agent(json_object *doc, const char *agent_id)
{
	return find_agent(doc, agent_id) != NULL;
}

/*
 * True if agent agent_id lists collection in its dataCollections, the
 * check an internal app-data route makes for the calling agent
 * (second-api(7), Agents).  False for NULL arguments, an unknown agent
 * or a malformed document.
 */
bool
agents_has_collection(json_object *doc, const char *agent_id,
    const char *collection)
{
	json_object	*cols, *s;
	size_t		 i, n;

	if (collection == NULL)
		return false;
	cols = member(find_agent(doc, agent_id), "dataCollections");
	if (!json_object_is_type(cols, json_type_array))
		return false;
	n = json_object_array_length(cols);
	for (i = 0; i < n; i++) {
		s = json_object_array_get_idx(cols, i);
		if (json_object_is_type(s, json_type_string) && str_nonul(s) &&
		    strcmp(json_object_get_string(s), collection) == 0)
			return true;
	}
	return false;
}

/*
 * The appTools[] entry named name (an app-callable action), or NULL.
 * The result is borrowed from doc: valid while doc is, not to be put.
 * It is returned whatever its "enabled" says; the caller decides.
 */
json_object *
agents_find_tool(json_object *doc, const char *name)
{
	return find_by(member(doc, "appTools"), "name", name);
}

/*
 * The tools[] entry named name of agent agent_id, or NULL: the "tool is
 * in the approved payload for the agent" check of tool-execute.  Borrowed
 * from doc like agents_find_tool, and likewise regardless of "enabled".
 */
json_object *
agents_find_agent_tool(json_object *doc, const char *agent_id,
    const char *name)
{
	return find_by(member(find_agent(doc, agent_id), "tools"), "name",
	    name);
}
