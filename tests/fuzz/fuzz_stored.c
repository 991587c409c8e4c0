/*
 * fuzz_stored: libFuzzer target for the JSON documents we store: app data
 * and builder-run messages (a member of a request body, stored as jsonb)
 * and agents.json written as a file (stored as its canonical payload).
 * The input is a request body.
 *
 * Invariants, abort() if broken:
 * - jsonin_object answers only ERR_OK, ERR_INVALID_JSON or
 *   ERR_VALIDATION_FAILED, and jsonin_stored only ERR_OK,
 *   ERR_VALIDATION_FAILED or ERR_PAYLOAD_TOO_LARGE: bad input is never
 *   a 500;
 * - the bound of the amplification fix: for an accepted body, every
 *   member, and the canonical payload of a valid agents.json, takes at
 *   most 10 times the body's bytes (plus a constant) once PostgreSQL
 *   writes it back, and every number stays within PostgreSQL's numeric
 *   format (131072 digits before the point, 16383 after);
 * - a member jsonin_stored accepts takes at most JSONIN_DOC_MAX bytes
 *   written back and holds at most JSONIN_DOC_VALUES values.
 *
 * What PostgreSQL writes back is computed here on its own, from the json-c
 * tree, with numbers written out digit by digit: not with jsonin's scan.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "agents.h"
#include "buf.h"
#include "jsonin.h"
#include "rctx.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The bytes PostgreSQL's numeric output gives the JSON number text t. */
static size_t
pg_number(const char *t)
{
	const char	*p = t, *ip, *fp = "";
	size_t		 ni, nf = 0, i, lead, intlen, total;
	long long	 e = 0, point, scale;
	bool		 neg = false, nonzero = false;

	if (*p == '-') {
		neg = true;
		p++;
	}
	ip = p;
	ni = strspn(ip, "0123456789");
	p += ni;
	if (*p == '.') {
		fp = ++p;
		nf = strspn(fp, "0123456789");
		p += nf;
	}
	if (*p == 'e' || *p == 'E')
		e = strtoll(p + 1, NULL, 10);
	if (e > 100000000 || e < -100000000)
		abort();	/* far past what any rule lets through */
	/* The digits ip[0..ni) fp[0..nf) with the point after "point" of them. */
	point = (long long)ni + e;
	for (i = 0; i < ni; i++)
		nonzero |= ip[i] != '0';
	for (i = 0; i < nf; i++)
		nonzero |= fp[i] != '0';
	/* Integer part: the digits before the point, leading zeros dropped. */
	lead = 0;
	for (i = 0; (long long)i < point && i < ni + nf; i++) {
		if ((i < ni ? ip[i] : fp[i - ni]) != '0')
			break;
		lead++;
	}
	if (point <= 0 || lead >= (size_t)point)
		intlen = 1;
	else
		intlen = (size_t)point - lead;
	scale = (long long)nf - e;
	if (scale < 0)
		scale = 0;
	if (intlen > 131072 || scale > 16383)
		abort();	/* PostgreSQL would refuse it: a 500 */
	total = (neg && nonzero) + intlen + (scale > 0 ? 1 + (size_t)scale : 0);
	return total;
}

/* The bytes of a JSON string as PostgreSQL's jsonb output escapes it. */
static size_t
pg_string(const char *s, size_t n)
{
	size_t	 i, out = 2;

	for (i = 0; i < n; i++) {
		if (strchr("\"\\\b\f\n\r\t", s[i]) != NULL && s[i] != '\0')
			out += 2;
		else if ((unsigned char)s[i] < 0x20)
			out += 6;
		else
			out++;
	}
	return out;
}

/* jsonb::text's bytes for v; *values counts the values. */
static size_t
pg_size(json_object *v, size_t *values)
{
	size_t	 out, i, len;

	(*values)++;
	switch (json_object_get_type(v)) {
	case json_type_null:
		return 4;
	case json_type_boolean:
		return json_object_get_boolean(v) ? 4 : 5;
	case json_type_int:
	case json_type_double:
		return pg_number(json_object_to_json_string_ext(v,
		    JSON_C_TO_STRING_PLAIN));
	case json_type_string:
		return pg_string(json_object_get_string(v),
		    (size_t)json_object_get_string_len(v));
	case json_type_array:
		len = json_object_array_length(v);
		out = 2 + (len ? 2 * (len - 1) : 0);
		for (i = 0; i < len; i++)
			out += pg_size(json_object_array_get_idx(v, i), values);
		return out;
	case json_type_object:
		out = 2;
		i = 0;
		json_object_object_foreach(v, key, val) {
			out += (i++ ? 2 : 0) + pg_string(key, strlen(key)) + 2 +
			    pg_size(val, values);
		}
		return out;
	}
	abort();
}

/* The amplification bound for a body of n bytes. */
static void
check_bound(json_object *v, size_t n)
{
	size_t	 values = 0;

	if (pg_size(v, &values) > 10 * n + 16)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rctx		 x;
	struct jsonin_why	 why;
	struct agents_err	 ae;
	struct buf		 canon = BUF_INIT;
	json_object		*doc = NULL, *back = NULL;
	const char		*out;
	char			*copy;
	size_t			 values, sz;
	enum err		 rc;

	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	rc = jsonin_object(copy, size, &doc, &why);
	if (rc != ERR_OK) {
		if ((rc != ERR_INVALID_JSON && rc != ERR_VALIDATION_FAILED) ||
		    doc != NULL || why.jw_msg == NULL)
			abort();
		goto out;
	}
	json_object_object_foreach(doc, key, val) {
		(void)key;
		check_bound(val, size);
		memset(&x, 0, sizeof(x));
		rc = jsonin_stored(&x, val, "data", JSONIN_DOC_MAX, &out);
		if (rc == ERR_OK) {
			values = 0;
			if ((sz = pg_size(val, &values)) > JSONIN_DOC_MAX ||
			    values > JSONIN_DOC_VALUES)
				abort();
		} else if (rc != ERR_VALIDATION_FAILED &&
		    rc != ERR_PAYLOAD_TOO_LARGE)
			abort();
	}
	/* agents.json as a file: the canonical payload is what is stored. */
	if (agents_validate(doc, &ae) == 0) {
		if (agents_canonical(doc, &canon) != 0 || !buf_ok(&canon) ||
		    (back = json_tokener_parse(canon.b_data)) == NULL)
			abort();
		check_bound(back, size);
	}
out:
	json_object_put(back);
	json_object_put(doc);
	buf_free(&canon);
	free(copy);
	return 0;
}
