/*
 * jcs: the RFC 8785 JSON Canonicalization Scheme of a json-c value (see
 * jcs.h).
 *
 * JCS leans on ECMAScript: strings are escaped as JSON.stringify does,
 * numbers print as ECMAScript's Number::toString, and object members are
 * sorted by their UTF-16 code units.  json-c gives us UTF-8 strings, int64
 * and double numbers; the helpers below bridge the two.  Anything JCS
 * cannot represent exactly (invalid UTF-8, NaN or infinity, an integer an
 * IEEE double would round) is refused rather than serialised differently
 * from what a JavaScript implementation would produce.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "jcs.h"
#include "utf8.h"

/*
 * True if the number v (json_type_int or json_type_double) has an exact
 * JCS form: a finite double, or an integer within +-JCS_INT_LIMIT.
 */
bool
jcs_number_ok(json_object *v)
{
	int64_t	 n;

	if (json_object_is_type(v, json_type_double))
		return isfinite(json_object_get_double(v)) != 0;
	/* json-c clamps larger literals to INT64/UINT64 bounds: refused. */
	n = json_object_get_int64(v);
	return n >= -JCS_INT_LIMIT && n <= JCS_INT_LIMIT;
}

/*
 * Add one unit in the last place to the decimal digit string d (len
 * *n, room for at least *n + 2 bytes), carrying to a new leading digit.
 */
static void
dec_inc(char *d, size_t *n)
{
	size_t	 i = *n;

	while (i > 0) {
		i--;
		if (d[i] != '9') {
			d[i]++;
			return;
		}
		d[i] = '0';
	}
	memmove(d + 1, d, *n + 1);
	d[0] = '1';
	(*n)++;
}

/* Subtract one unit in the last place; d must be greater than zero. */
static void
dec_dec(char *d, size_t n)
{
	size_t	 i = n;

	while (i > 0) {
		i--;
		if (d[i] != '0') {
			d[i]--;
			return;
		}
		d[i] = '9';
	}
}

/*
 * True if the decimal digits d times 10^e read back as exactly x.  The
 * text has no decimal point, so it does not depend on LC_NUMERIC.
 */
static bool
dec_roundtrips(const char *d, int e, double x)
{
	char	 t[48];
	int	 w;

	w = snprintf(t, sizeof(t), "%se%d", d, e);
	if (w < 0 || (size_t)w >= sizeof(t))
		return false;
	return strtod(t, NULL) == x;
}

/*
 * The shortest decimal digits d (NUL-terminated, no leading or trailing
 * zeros) and exponent e with d * 10^e == x after rounding to double, for
 * finite x > 0.  Among equally short candidates ECMAScript wants the one
 * closest to x, which is printf's correctly rounded one whenever that
 * round-trips.  When it does not, a neighbour one unit away may still
 * round-trip (the rounding interval of a power of two is lopsided), so
 * both neighbours are tried before adding a digit.
 */
static int
dbl_shortest(double x, char d[24], int *e)
{
	char	 t[48], *p, *end;
	size_t	 n, i;
	long	 ex;
	int	 prec, w;

	for (prec = 1; prec <= 17; prec++) {
		w = snprintf(t, sizeof(t), "%.*e", prec - 1, x);
		if (w < 0 || (size_t)w >= sizeof(t))
			return -1;
		/* Collect the digits, skipping the (locale's) radix. */
		for (n = 0, p = t; *p != '\0' && *p != 'e'; p++)
			if (*p >= '0' && *p <= '9' && n < 20)
				d[n++] = *p;
		d[n] = '\0';
		if (*p != 'e' || n != (size_t)prec)
			return -1;
		ex = strtol(p + 1, &end, 10);
		if (*end != '\0' || ex < -400 || ex > 400)
			return -1;
		*e = (int)ex - (prec - 1);
		if (dec_roundtrips(d, *e, x))
			goto found;
		dec_inc(d, &n);
		if (dec_roundtrips(d, *e, x))
			goto found;
		/* Back to the rounded digits, then one below them. */
		dec_dec(d, n);
		if (n > (size_t)prec) {
			memmove(d, d + 1, n);
			n--;
		}
		dec_dec(d, n);
		if (dec_roundtrips(d, *e, x))
			goto found;
	}
	return -1;
found:
	n = strlen(d);
	for (i = 0; i + 1 < n && d[i] == '0'; i++)
		continue;
	memmove(d, d + i, n - i + 1);
	n -= i;
	while (n > 1 && d[n - 1] == '0') {
		d[--n] = '\0';
		(*e)++;
	}
	return 0;
}

/*
 * Append x as ECMAScript Number::toString (ECMA-262 7.1.12.1), the form
 * RFC 8785 3.2.2.3 requires.  -1 for NaN and infinities.
 */
static int
jcs_double(struct buf *out, double x)
{
	char	 d[24];
	int	 e, k, n, i;

	if (!isfinite(x))
		return -1;
	if (x == 0) {
		/* Both +0 and -0. */
		buf_putc(out, '0');
		return 0;
	}
	if (x < 0) {
		buf_putc(out, '-');
		x = -x;
	}
	if (dbl_shortest(x, d, &e) == -1)
		return -1;
	/* x = 0.d * 10^n with k significant digits. */
	k = (int)strlen(d);
	n = e + k;
	if (k <= n && n <= 21) {
		buf_puts(out, d);
		for (i = 0; i < n - k; i++)
			buf_putc(out, '0');
	} else if (0 < n && n <= 21) {
		buf_add(out, d, (size_t)n);
		buf_putc(out, '.');
		buf_puts(out, d + n);
	} else if (-6 < n && n <= 0) {
		buf_puts(out, "0.");
		for (i = 0; i < -n; i++)
			buf_putc(out, '0');
		buf_puts(out, d);
	} else {
		buf_putc(out, d[0]);
		if (k > 1) {
			buf_putc(out, '.');
			buf_puts(out, d + 1);
		}
		buf_printf(out, "e%c%d", n - 1 >= 0 ? '+' : '-',
		    n - 1 >= 0 ? n - 1 : 1 - n);
	}
	return 0;
}

/*
 * Append s[0..n) as a JCS string (RFC 8785 3.2.2.2): only the quote,
 * the backslash and control characters are escaped, the latter as the
 * short forms or \u00xx in lowercase hex; everything else is literal
 * UTF-8.  -1 on invalid UTF-8.
 */
static int
jcs_string(struct buf *out, const char *s, size_t n)
{
	size_t		 i, run = 0;
	unsigned char	 c;
	const char	*esc;

	if (!utf8_valid(s, n))
		return -1;
	buf_putc(out, '"');
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		switch (c) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\b':
			esc = "\\b";
			break;
		case '\f':
			esc = "\\f";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		case '\t':
			esc = "\\t";
			break;
		default:
			esc = c < 0x20 ? "" : NULL;
			break;
		}
		if (esc == NULL)
			continue;
		buf_add(out, s + run, i - run);
		run = i + 1;
		if (*esc != '\0')
			buf_puts(out, esc);
		else
			buf_printf(out, "\\u%04x", c);
	}
	buf_add(out, s + run, n - run);
	buf_putc(out, '"');
	return 0;
}

/* One member of an object being sorted. */
struct jmember {
	const char	*m_key;		/* borrowed from the object */
	json_object	*m_val;		/* borrowed */
};

static int
jmember_cmp(const void *a, const void *b)
{
	return utf8_u16_cmp(((const struct jmember *)a)->m_key,
	    ((const struct jmember *)b)->m_key);
}

static int	jcs_value(struct buf *, json_object *, int);

/* Append an object with its members in UTF-16 order. */
static int
jcs_object(struct buf *out, json_object *v, int depth)
{
	struct jmember	*m = NULL;
	size_t		 n, i = 0;
	int		 rc = -1;

	n = (size_t)json_object_object_length(v);
	if (n > 0 && (m = calloc(n, sizeof(*m))) == NULL)
		goto out;
	json_object_object_foreach(v, key, val) {
		if (i == n || !utf8_valid(key, strlen(key)))
			goto out;
		m[i].m_key = key;
		m[i].m_val = val;
		i++;
	}
	if (i != n)
		goto out;
	if (n > 1)
		qsort(m, n, sizeof(*m), jmember_cmp);
	buf_putc(out, '{');
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(out, ',');
		if (jcs_string(out, m[i].m_key, strlen(m[i].m_key)) == -1)
			goto out;
		buf_putc(out, ':');
		if (jcs_value(out, m[i].m_val, depth + 1) == -1)
			goto out;
	}
	buf_putc(out, '}');
	rc = 0;
out:
	free(m);
	return rc;
}

/* Append any value; containers count towards JCS_MAX_DEPTH. */
static int
jcs_value(struct buf *out, json_object *v, int depth)
{
	size_t	 i, n;

	switch (json_object_get_type(v)) {
	case json_type_null:
		buf_puts(out, "null");
		return 0;
	case json_type_boolean:
		buf_puts(out, json_object_get_boolean(v) ? "true" : "false");
		return 0;
	case json_type_int:
		if (!jcs_number_ok(v))
			return -1;
		buf_printf(out, "%" PRId64, json_object_get_int64(v));
		return 0;
	case json_type_double:
		return jcs_double(out, json_object_get_double(v));
	case json_type_string:
		return jcs_string(out, json_object_get_string(v),
		    (size_t)json_object_get_string_len(v));
	case json_type_array:
		if (depth >= JCS_MAX_DEPTH)
			return -1;
		buf_putc(out, '[');
		n = json_object_array_length(v);
		for (i = 0; i < n; i++) {
			if (i > 0)
				buf_putc(out, ',');
			if (jcs_value(out, json_object_array_get_idx(v, i),
			    depth + 1) == -1)
				return -1;
		}
		buf_putc(out, ']');
		return 0;
	case json_type_object:
		if (depth >= JCS_MAX_DEPTH)
			return -1;
		return jcs_object(out, v, depth);
	}
	return -1;
}

/*
 * Append the RFC 8785 canonical form of any JSON value to out, as is
 * (no normalization of any kind).  The value is borrowed and unchanged.
 * Returns 0, or -1 if the value has invalid UTF-8, a NaN or infinite
 * double, an integer beyond +-2^53, more than JCS_MAX_DEPTH levels of
 * nesting, or out failed (allocation or its limit).  After -1 out may
 * hold a partial form: reset or discard it.
 */
int
jcs_serialize(json_object *v, struct buf *out)
{
	if (jcs_value(out, v, 0) == -1)
		return -1;
	return buf_ok(out) ? 0 : -1;
}
