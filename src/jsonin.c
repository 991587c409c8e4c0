/*
 * jsonin: strict JSON request bodies (see jsonin.h).
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "id.h"
#include "jsonin.h"
#include "rctx.h"
#include "req.h"
#include "utf8.h"

static int
hex4(const char *p)
{
	int	 v = 0, i, c;

	for (i = 0; i < 4; i++) {
		c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/*
 * What json-c lets through but JSON (RFC 8259) or we do not: raw control
 * characters inside strings, and \u escapes of lone surrogates (json-c
 * would store U+FFFD).  Returns true if the text is clean.
 */
static bool
json_text_clean(const char *s, size_t n)
{
	size_t	 i;
	bool	 in = false;
	int	 u, lo;

	for (i = 0; i < n; i++) {
		if (!in) {
			/*
			 * Outside strings only JSON's own characters:
			 * json-c even in strict mode takes 'single quotes'.
			 */
			if (strchr("{}[],:-+.eE0123456789truefalsn \t\r\n\"",
			    s[i]) == NULL || s[i] == '\0')
				return false;
			in = s[i] == '"';
			continue;
		}
		if (s[i] == '"') {
			in = false;
			continue;
		}
		if ((unsigned char)s[i] < 0x20)
			return false;
		if (s[i] != '\\')
			continue;
		if (++i >= n)
			return false;
		if (s[i] != 'u')
			continue;
		if (n - i < 5 || (u = hex4(s + i + 1)) < 0)
			return false;
		i += 4;
		if (u == 0)
			return false;	/* NUL: cut keys short, not storable */
		if (u >= 0xdc00 && u <= 0xdfff)
			return false;		/* lone low surrogate */
		if (u >= 0xd800 && u <= 0xdbff) {
			if (n - i < 7 || s[i + 1] != '\\' || s[i + 2] != 'u' ||
			    (lo = hex4(s + i + 3)) < 0xdc00 || lo > 0xdfff)
				return false;	/* lone high surrogate */
			i += 6;
		}
	}
	return true;
}

/* What json_scan counts in a JSON text. */
struct jscan {
	size_t	 sc_keys;	/* object keys */
	size_t	 sc_values;	/* values of any kind */
	size_t	 sc_grow;	/* bytes PostgreSQL adds: separators, digits */
	bool	 sc_badnum;	/* a number out of range (first one's key:) */
	char	 sc_key[64];	/* top-level key it stands under */
};

/* Saturating exponent: anything beyond this is out of range anyway. */
#define EXP_CAP		1000000000LL

/*
 * The digits of the number token s[0..n) once PostgreSQL's numeric writes
 * it out in full (an upper bound: leading zeros that a shift would drop
 * are counted), into *digits; its length in bytes, sign and point
 * included, is the result.  *integer: written without fraction or
 * exponent.
 */
static long long
num_full_len(const char *s, size_t n, long long *digits, bool *integer)
{
	size_t		 i = 0, ni = 0, nf = 0;
	long long	 e = 0, ip, scale;
	bool		 eneg = false;

	if (i < n && s[i] == '-')
		i++;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		ni++;
	*integer = i == n;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			nf++;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			if ((e = e * 10 + (s[i] - '0')) > EXP_CAP)
				e = EXP_CAP;
	}
	if (eneg)
		e = -e;
	ip = (long long)ni + e;
	scale = (long long)nf - e;
	*digits = (ip < 1 ? 1 : ip) + (scale > 0 ? scale : 0);
	return *digits + (s[0] == '-') + (scale > 0);
}

/*
 * Whether the integer token s[0..n) fits json-c's 64 bits
 * (-2^63 .. 2^64-1): json-c would store a larger one as the nearest
 * bound without a word.
 */
static bool
int_fits(const char *s, size_t n)
{
	const char	*lim = "18446744073709551615";

	if (s[0] == '-') {
		s++;
		n--;
		lim = "9223372036854775808";
	}
	return n < strlen(lim) || (n == strlen(lim) && memcmp(s, lim, n) <= 0);
}

/* Skip white space from i; the index of the next other byte. */
static size_t
skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && strchr(" \t\r\n", s[i]) != NULL && s[i] != '\0')
		i++;
	return i;
}

/*
 * Count keys, values and the bytes PostgreSQL's jsonb output adds (a
 * space after each ',' and ':', numbers written out in full) in the
 * well-formed JSON text s[0..n), and check every number: an integer must
 * fit in 64 bits, any other number written out in full may have at most
 * JSONIN_NUM_DIGITS digits or be as long as it was sent.
 */
static void
json_scan(const char *s, size_t n, struct jscan *sc)
{
	size_t		 i = 0, start, depth = 0, klen;
	long long	 full, digits;
	bool		 integer;
	const char	*key = NULL;

	memset(sc, 0, sizeof(*sc));
	while (i < n) {
		switch (s[i]) {
		case '{':
		case '[':
			depth++;
			sc->sc_values++;
			i++;
			break;
		case '}':
		case ']':
			depth--;
			i++;
			break;
		case ',':
		case ':':
			sc->sc_grow++;
			i++;
			break;
		case '"':
			start = ++i;
			while (i < n && s[i] != '"')
				i += s[i] == '\\' ? 2 : 1;
			klen = i - start;
			i = skip_ws(s, n, i + 1);
			if (i < n && s[i] == ':') {
				sc->sc_keys++;
				if (depth == 1 && !sc->sc_badnum) {
					key = s + start;
					if (klen >= sizeof(sc->sc_key))
						klen = sizeof(sc->sc_key) - 1;
					memcpy(sc->sc_key, key, klen);
					sc->sc_key[klen] = '\0';
				}
			} else
				sc->sc_values++;
			break;
		case '-':
		case '0': case '1': case '2': case '3': case '4':
		case '5': case '6': case '7': case '8': case '9':
			start = i;
			while (i < n && strchr("+-.eE0123456789", s[i]) != NULL &&
			    s[i] != '\0')
				i++;
			sc->sc_values++;
			full = num_full_len(s + start, i - start, &digits,
			    &integer);
			if (integer ? !int_fits(s + start, i - start) :
			    digits > JSONIN_NUM_DIGITS &&
			    full > (long long)(i - start))
				sc->sc_badnum = true;
			else if (!integer && full > (long long)(i - start))
				sc->sc_grow += (size_t)full - (i - start);
			break;
		case 't':
		case 'f':
		case 'n':
			sc->sc_values++;
			while (i < n && s[i] >= 'a' && s[i] <= 'z')
				i++;
			break;
		default:
			i++;
			break;
		}
	}
	if (!sc->sc_badnum)
		sc->sc_key[0] = '\0';
}

/* Keys in the objects of v, at any depth. */
static size_t
tree_keys(json_object *v)
{
	size_t	 k = 0, i, len;

	if (json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, key, val) {
			(void)key;
			k += 1 + tree_keys(val);
		}
	} else if (json_object_is_type(v, json_type_array)) {
		len = json_object_array_length(v);
		for (i = 0; i < len; i++)
			k += tree_keys(json_object_array_get_idx(v, i));
	}
	return k;
}

/*
 * Parse the n bytes at s as exactly one JSON object by the rules of a
 * request body: valid UTF-8 without NUL bytes, clean text
 * (json_text_clean), at most JSONIN_MAX_DEPTH deep, no key twice in one
 * object (json-c keeps the last, a reader may keep the first), numbers
 * in range (see jsonin.h), nothing but white space after it.  On success
 * *out is the object (the caller puts it).  Otherwise *out is NULL, why
 * says why, and the result is ERR_INVALID_JSON, or ERR_VALIDATION_FAILED
 * for a number out of range (jw_field: the top-level key it is under).
 */
enum err
jsonin_object(const char *s, size_t n, json_object **out,
    struct jsonin_why *why)
{
	json_tokener	*tok = NULL;
	json_object	*obj = NULL;
	struct jscan	 sc;
	enum err	 rc = ERR_INVALID_JSON;

	*out = NULL;
	why->jw_msg = "The body must be one JSON object, in UTF-8.";
	why->jw_field[0] = '\0';
	if (s == NULL || n == 0 || n > INT_MAX || strlen(s) != n ||
	    !utf8_valid(s, n) || !json_text_clean(s, n))
		goto out;
	if ((tok = json_tokener_new_ex(JSONIN_MAX_DEPTH)) == NULL)
		goto out;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, s, (int)n);
	if (json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != n ||
	    !json_object_is_type(obj, json_type_object))
		goto out;
	json_scan(s, n, &sc);
	if (sc.sc_badnum) {
		why->jw_msg = "A number is out of range: an integer must fit "
		    "in 64 bits, and any other number, written out in full, "
		    "may have at most 40 digits unless it was sent that way.";
		snprintf(why->jw_field, sizeof(why->jw_field), "%s",
		    sc.sc_key);
		rc = ERR_VALIDATION_FAILED;
		goto out;
	}
	if (tree_keys(obj) != sc.sc_keys) {
		why->jw_msg = "A key appears twice in one object.";
		goto out;
	}
	*out = obj;
	obj = NULL;
	rc = ERR_OK;
out:
	json_object_put(obj);
	if (tok != NULL)
		json_tokener_free(tok);
	return rc;
}

/*
 * Parse the request body as a JSON object into *out (caller puts it).
 * ERR_UNSUPPORTED_MEDIA_TYPE unless Content-Type is application/json
 * (parameters allowed); ERR_INVALID_JSON for an empty body, bad syntax,
 * invalid UTF-8, a NUL byte, too deep nesting, a duplicate key or a
 * non-object; ERR_VALIDATION_FAILED for a number out of range.
 */
enum err
jsonin_parse(struct rctx *x, json_object **out)
{
	const struct req	*rq = x->x_req;
	const char		*ct = rq->rq_ctype;
	struct jsonin_why	 why;
	size_t			 ctlen;
	enum err		 rc = ERR_UNSUPPORTED_MEDIA_TYPE;

	*out = NULL;
	if (ct == NULL)
		return rc;
	ctlen = strcspn(ct, ";");
	while (ctlen > 0 && ct[ctlen - 1] == ' ')
		ctlen--;
	if (ctlen != 16 || strncasecmp(ct, "application/json", 16) != 0)
		return rc;
	if ((rc = jsonin_object(rq->rq_body, rq->rq_body_len, out, &why)) !=
	    ERR_OK) {
		x->x_msg = why.jw_msg;
		if (why.jw_field[0] != '\0') {
			snprintf(x->x_fieldbuf, sizeof(x->x_fieldbuf), "%s",
			    why.jw_field);
			x->x_field = x->x_fieldbuf;
		}
	}
	return rc;
}

/*
 * A value about to be stored as jsonb under field: serialised into *out
 * (owned by v), it may hold at most JSONIN_DOC_VALUES values and, as
 * PostgreSQL writes it back (a space after each ',' and ':', numbers in
 * full), at most max bytes.  ERR_VALIDATION_FAILED or
 * ERR_PAYLOAD_TOO_LARGE with x_field set to field.
 */
enum err
jsonin_stored(struct rctx *x, json_object *v, const char *field,
    size_t max, const char **out)
{
	struct jscan	 sc;
	size_t		 n;

	*out = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
	x->x_field = field;
	if (*out == NULL)
		return ERR_INTERNAL;
	n = strlen(*out);
	json_scan(*out, n, &sc);
	if (sc.sc_values > JSONIN_DOC_VALUES) {
		x->x_msg = "Too many values in one document (at most 10000).";
		return ERR_VALIDATION_FAILED;
	}
	if (n > max || sc.sc_grow > max - n) {
		x->x_msg = "The document is too large once stored.";
		return ERR_PAYLOAD_TOO_LARGE;
	}
	x->x_field = NULL;
	return ERR_OK;
}

/* A JSON string without NUL of [min, max] bytes. */
static bool
str_ok(json_object *v, size_t min, size_t max)
{
	const char	*s = json_object_get_string(v);
	size_t		 n = (size_t)json_object_get_string_len(v);

	return strlen(s) == n && n >= min && n <= max;
}

/*
 * Check obj against fields[0..n): no unknown keys, types as declared,
 * required ones present, sizes within jf_max.  Sets each jf_val.
 * Returns ERR_OK, ERR_INVALID_JSON (unknown field, wrong type) or
 * ERR_VALIDATION_FAILED (missing, empty, too long); x_field names the
 * field.
 */
enum err
jsonin_fields(struct rctx *x, json_object *obj, struct jfield *fields,
    size_t n)
{
	json_object	*v, *e;
	size_t		 i, k, len;
	bool		 known;

	json_object_object_foreach(obj, key, val) {
		(void)val;
		for (known = false, i = 0; i < n && !known; i++)
			known = strcmp(key, fields[i].jf_name) == 0;
		if (!known) {
			/*
			 * The key belongs to obj, which the handler frees
			 * before the error is written: copy it.
			 */
			x->x_msg = "Unknown field.";
			snprintf(x->x_fieldbuf, sizeof(x->x_fieldbuf), "%s",
			    key);
			x->x_field = x->x_fieldbuf;
			return ERR_INVALID_JSON;
		}
	}
	for (i = 0; i < n; i++) {
		fields[i].jf_val = NULL;
		x->x_field = fields[i].jf_name;
		if (!json_object_object_get_ex(obj, fields[i].jf_name, &v) ||
		    v == NULL) {
			if (fields[i].jf_required) {
				x->x_msg = "A required field is missing.";
				return ERR_VALIDATION_FAILED;
			}
			continue;
		}
		switch (fields[i].jf_type) {
		case JF_STRING:
		case JF_STRING0:
			if (!json_object_is_type(v, json_type_string)) {
				x->x_msg = "Expected a string.";
				return ERR_INVALID_JSON;
			}
			if (!str_ok(v, fields[i].jf_type == JF_STRING ? 1 : 0,
			    fields[i].jf_max)) {
				x->x_msg = "The value is empty, too long or "
				    "contains NUL.";
				return ERR_VALIDATION_FAILED;
			}
			break;
		case JF_IDARRAY:
			if (!json_object_is_type(v, json_type_array)) {
				x->x_msg = "Expected an array of ids.";
				return ERR_INVALID_JSON;
			}
			len = json_object_array_length(v);
			if (len > fields[i].jf_max) {
				x->x_msg = "Too many ids.";
				return ERR_VALIDATION_FAILED;
			}
			for (k = 0; k < len; k++) {
				e = json_object_array_get_idx(v, k);
				if (!json_object_is_type(e, json_type_string)) {
					x->x_msg = "Expected an array of ids.";
					return ERR_INVALID_JSON;
				}
				if (!id_valid(json_object_get_string(e))) {
					x->x_msg = "Not a valid id.";
					return ERR_VALIDATION_FAILED;
				}
			}
			break;
		case JF_OBJECT:
			if (!json_object_is_type(v, json_type_object)) {
				x->x_msg = "Expected an object.";
				return ERR_INVALID_JSON;
			}
			break;
		case JF_ANY:
			break;
		}
		fields[i].jf_val = v;
	}
	x->x_field = NULL;
	return ERR_OK;
}

/*
 * The string value of a JF_STRING field, or NULL when absent.
 */
const char *
jsonin_str(const struct jfield *f)
{
	return f->jf_val ? json_object_get_string(f->jf_val) : NULL;
}

/*
 * A plausible email, the one rule of every way an email comes in
 * (onboarding, invitations, provider sync, external identities,
 * second-admin): at most 254 bytes of ASCII, "local@domain" with a local
 * part of 1..64 bytes of RFC 5322 dot-atom text (letters, digits and
 * !#$%&'*+-/=?^_`{|}~, dots only between them) and a domain of two or more
 * dot-separated labels of 1..63 letters, digits and hyphens, neither
 * first nor last.  So no white space, control, quote or non-ASCII byte:
 * an internationalized domain comes in its IDNA A-label ("xn--") form,
 * and no email passes for another through a non-ASCII lookalike or an
 * invisible character.  Emails are compared ignoring ASCII case
 * (email_normalized is lower() of the email).
 */
bool
jsonin_email_ok(const char *s)
{
	static const char	 atext[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~";
	static const char	 ldh[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";
	const char		*at = strchr(s, '@'), *d;
	size_t			 i, label, labels = 0;

	if (strlen(s) > 254 || at == NULL || at == s || at - s > 64 ||
	    s[0] == '.' || at[-1] == '.')
		return false;
	for (i = 0; s + i < at; i++)
		if (s[i] == '.' ? s[i + 1] == '.' :
		    strchr(atext, s[i]) == NULL)
			return false;
	for (d = at + 1; ; d += label + 1) {
		label = strspn(d, ldh);
		if (label == 0 || label > 63 || d[0] == '-' ||
		    d[label - 1] == '-')
			return false;
		labels++;
		if (d[label] == '\0')
			return labels >= 2;
		if (d[label] != '.')
			return false;
	}
}

/*
 * Display text (names): 1..max bytes of UTF-8 without control characters
 * and not only white space.
 */
bool
jsonin_text_ok(const char *s, size_t max)
{
	size_t	 n = strlen(s), i;
	bool	 visible = false;

	if (n == 0 || n > max || !utf8_valid(s, n))
		return false;
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
		if (s[i] != ' ')
			visible = true;
	}
	return visible;
}
