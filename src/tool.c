/*
 * tool: an approved custom tool's outbound request and its mock
 * fallback (see tool.h; the rules are second-api(7), "Tool execution").
 *
 * Two passes over the endpoint.  The scan checks every template string
 * (placeholder syntax, no placeholder in the URL's scheme, host or
 * fragment, none in a name) and counts the input placeholders, without
 * looking at the input or the secrets.  The render then fills each
 * placeholder with its value encoded for where it lands: percent-encoded
 * in the URL's path and query, refused with control characters in a
 * header, a JSON string (or the input's own JSON value) in the body.
 * The URL's scheme and authority are copied from the tool unchanged, so
 * the host is always the one the tool names.
 */
#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>
#include <sodium.h>

#include "buf.h"
#include "err.h"
#include "jcs.h"
#include "jsonin.h"
#include "tool.h"
#include "utf8.h"

#define PH_NAME_MAX	128	/* bytes of a placeholder's name */
#define PH_SEG_MAX	64	/* bytes of one dotted segment of it */

static const char FIELD_INPUT[] = "toolInput";
static const char MSG_SYNTAX[] = "Placeholders are {{name}}, {{name.path}} "
    "or {{secrets.NAME}}, with names of letters, digits, _ and -.";
static const char MSG_BRACES[] = "Unbalanced {{ or }}.";

/* One placeholder: an input path such as "company.ticker", or a secret. */
struct ph {
	bool	 ph_secret;
	char	 ph_name[PH_NAME_MAX + 1];	/* the path, or NAME */
};

/* The "secrets." that a secret placeholder's name is shown with. */
#define PH_NS(p)	((p)->ph_secret ? "secrets." : "")

enum piece {
	PIECE_END,
	PIECE_TEXT,	/* literal text: l_text, l_len */
	PIECE_PH,	/* a placeholder: l_ph */
	PIECE_BAD,	/* a syntax error: l_msg */
};

/* A lexer over the l_n bytes of a template. */
struct lex {
	const char	*l_s;
	size_t		 l_n;
	size_t		 l_pos;
	const char	*l_text;
	size_t		 l_len;
	struct ph	 l_ph;
	const char	*l_msg;
};

/* Where a value lands; it decides the encoding and what is refused. */
enum place {
	PLACE_URL,	/* percent-encoded */
	PLACE_HEADER,	/* as is, no control character */
	PLACE_TEXT,	/* as is: a query value (encoded later), body text */
};

/* What one render_text call met. */
struct rinfo {
	size_t		 ri_nph;	/* placeholders filled */
	struct ph	 ri_first;	/* the first of them */
	bool		 ri_lacked;	/* a secret the credential lacks */
};

/* The state of one tool_build or tool_secret_names call. */
struct tctx {
	json_object			*c_in;	/* input object or NULL */
	const struct tool_secret	*c_sec;
	size_t				 c_nsec;
	struct tool_err			*c_err;
	char				 c_field[TOOL_FIELD_MAX];
	size_t				 c_ninput;	/* input placeholders */
	json_object			*c_names;	/* names met, or NULL */
	bool				 c_lacks;
	struct ph			 c_missing;	/* first one lacking */
	struct buf			 c_num;		/* a number's text */
};

/* The endpoint's parts, borrowed from the tool. */
struct parts {
	const char	*p_method;
	const char	*p_url;
	const char	*p_domain;
	json_object	*p_headers;	/* NULL when absent */
	json_object	*p_query;	/* NULL when absent */
	json_object	*p_body;	/* NULL when absent */
};

/* Record a validation failure and return ERR_VALIDATION_FAILED. */
static enum err
fail(struct tool_err *e, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum err
fail(struct tool_err *e, const char *field, const char *fmt, ...)
{
	va_list	 ap;

	snprintf(e->te_field, sizeof(e->te_field), "%s", field);
	va_start(ap, fmt);
	vsnprintf(e->te_msg, sizeof(e->te_msg), fmt, ap);
	va_end(ap);
	return ERR_VALIDATION_FAILED;
}

/* Set the field that spec errors name: prefix, or prefix.key. */
static void
field_set(struct tctx *c, const char *prefix, const char *key)
{
	if (key == NULL)
		snprintf(c->c_field, sizeof(c->c_field), "%s", prefix);
	else
		snprintf(c->c_field, sizeof(c->c_field), "%s.%s", prefix, key);
}

/* ------------------------------------------------------------ lexer */

static bool
name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
}

static bool
at2(const struct lex *l, size_t i, char ch)
{
	return l->l_n - i >= 2 && l->l_s[i] == ch && l->l_s[i + 1] == ch;
}

/*
 * Check the name of n bytes at s (names chars and dots) and fill *ph.
 * "secrets" is a namespace: only {{secrets.NAME}} in exactly that case;
 * "oauth" is reserved (the server sets an OAuth tool's token itself).
 */
static bool
ph_parse(struct lex *l, const char *s, size_t n)
{
	struct ph	*ph = &l->l_ph;
	size_t		 i, seg = 0, nseg = 1, first = 0;

	l->l_msg = MSG_SYNTAX;
	if (n == 0 || n > PH_NAME_MAX)
		return false;
	for (i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (seg == 0 || seg > PH_SEG_MAX)
				return false;
			if (nseg == 1)
				first = i;
			if (i < n)
				nseg++;
			seg = 0;
			continue;
		}
		seg++;
	}
	if (first == 5 && strncasecmp(s, "oauth", 5) == 0) {
		l->l_msg = "{{oauth.*}} is not a placeholder: the server sets "
		    "an OAuth tool's Authorization header itself.";
		return false;
	}
	ph->ph_secret = first == 7 && strncasecmp(s, "secrets", 7) == 0;
	if (ph->ph_secret) {
		if (strncmp(s, "secrets", 7) != 0 || nseg != 2) {
			l->l_msg = "Secret placeholders are {{secrets.NAME}}.";
			return false;
		}
		memcpy(ph->ph_name, s + 8, n - 8);
		ph->ph_name[n - 8] = '\0';
	} else {
		memcpy(ph->ph_name, s, n);
		ph->ph_name[n] = '\0';
	}
	return true;
}

/* A placeholder at l_pos, which holds "{{". */
static enum piece
lex_ph(struct lex *l)
{
	size_t	 i = l->l_pos + 2, start;

	while (i < l->l_n && (l->l_s[i] == ' ' || l->l_s[i] == '\t'))
		i++;
	start = i;
	while (i < l->l_n && (name_char(l->l_s[i]) || l->l_s[i] == '.'))
		i++;
	if (!ph_parse(l, l->l_s + start, i - start))
		return PIECE_BAD;
	while (i < l->l_n && (l->l_s[i] == ' ' || l->l_s[i] == '\t'))
		i++;
	if (!at2(l, i, '}')) {
		l->l_msg = MSG_SYNTAX;
		return PIECE_BAD;
	}
	l->l_pos = i + 2;
	return PIECE_PH;
}

/*
 * The next piece of the template: literal text up to the next "{{" or
 * "}}", or a placeholder.  A "}}" that closes nothing is an error.
 */
static enum piece
lex_next(struct lex *l)
{
	size_t	 i = l->l_pos, start = l->l_pos;

	if (i >= l->l_n)
		return PIECE_END;
	if (at2(l, i, '{'))
		return lex_ph(l);
	while (i < l->l_n && !at2(l, i, '{') && !at2(l, i, '}'))
		i++;
	if (i == start) {
		l->l_msg = MSG_BRACES;
		return PIECE_BAD;
	}
	l->l_text = l->l_s + start;
	l->l_len = i - start;
	l->l_pos = i;
	return PIECE_TEXT;
}

static void
lex_init(struct lex *l, const char *s, size_t n)
{
	memset(l, 0, sizeof(*l));
	l->l_s = s;
	l->l_n = n;
}

/* True if the n bytes at s hold "{{" or "}}". */
static bool
has_braces(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i + 1 < n; i++)
		if ((s[i] == '{' && s[i + 1] == '{') ||
		    (s[i] == '}' && s[i + 1] == '}'))
			return true;
	return false;
}

/* ------------------------------------------------------------- scan */

/* Add a secret's name to c_names once. */
static enum err
name_note(struct tctx *c, const char *name)
{
	json_object	*s;
	size_t		 i, n = json_object_array_length(c->c_names);

	for (i = 0; i < n; i++)
		if (strcmp(json_object_get_string(
		    json_object_array_get_idx(c->c_names, i)), name) == 0)
			return ERR_OK;
	if ((s = json_object_new_string(name)) == NULL)
		return ERR_INTERNAL;
	if (json_object_array_add(c->c_names, s) != 0) {
		json_object_put(s);
		return ERR_INTERNAL;
	}
	return ERR_OK;
}

/* Check one template string (at c_field); count and note placeholders. */
static enum err
scan_text(struct tctx *c, const char *s, size_t n)
{
	struct lex	 l;
	enum piece	 k;
	enum err	 rc = ERR_INTERNAL;

	lex_init(&l, s, n);
	while ((k = lex_next(&l)) != PIECE_END) {
		if (k == PIECE_BAD)
			return fail(c->c_err, c->c_field, "%s", l.l_msg);
		if (k != PIECE_PH)
			continue;
		if (!l.l_ph.ph_secret)
			c->c_ninput++;
		else if (c->c_names != NULL &&
		    (rc = name_note(c, l.l_ph.ph_name)) != ERR_OK)
			return rc;
	}
	return ERR_OK;
}

static enum err
scan_str(struct tctx *c, json_object *s)
{
	return scan_text(c, json_object_get_string(s),
	    (size_t)json_object_get_string_len(s));
}

static const char MSG_NAME[] = "Placeholders may appear in values only, "
    "not in names.";

/* Every string of a body value; names may not hold placeholders. */
static enum err
scan_json(struct tctx *c, json_object *v)
{
	enum err	 rc = ERR_INTERNAL;
	size_t		 i, n;

	switch (json_object_get_type(v)) {
	case json_type_string:
		return scan_str(c, v);
	case json_type_array:
		n = json_object_array_length(v);
		for (i = 0; i < n; i++)
			if ((rc = scan_json(c,
			    json_object_array_get_idx(v, i))) != ERR_OK)
				return rc;
		return ERR_OK;
	case json_type_object: {
		json_object_object_foreach(v, key, val) {
			if (has_braces(key, strlen(key)))
				return fail(c->c_err, c->c_field, "%s",
				    MSG_NAME);
			if ((rc = scan_json(c, val)) != ERR_OK)
				return rc;
		}
		return ERR_OK;
	}
	default:
		return ERR_OK;
	}
}

/* Where the URL's authority ends: the first "/", "?" or "#" after it. */
static size_t
authority_end(const char *url, size_t n)
{
	size_t	 i = strlen("https://");

	while (i < n && strchr("/?#", url[i]) == NULL)
		i++;
	return i;
}

/* The end of the URL before its fragment. */
static size_t
fragment_start(const char *url, size_t n)
{
	const char	*h = memchr(url, '#', n);

	return h == NULL ? n : (size_t)(h - url);
}

/*
 * Framing and hop-by-hop headers are the HTTP client's; Host would let
 * a tool talk to another virtual host than its URL names.
 */
static bool
header_reserved(const char *name)
{
	static const char *const reserved[] = {
		"Host", "Content-Length", "Transfer-Encoding", "Connection",
		"Keep-Alive", "Upgrade", "TE", "Trailer", "Expect",
		"Proxy-Authorization", "Proxy-Connection",
	};
	size_t	 i;

	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (strcasecmp(name, reserved[i]) == 0)
			return true;
	return false;
}

/* The scan pass over the whole endpoint (see the top of this file). */
static enum err
scan_endpoint(struct tctx *c, const struct parts *p)
{
	enum err	 rc = ERR_INTERNAL;
	size_t		 n = strlen(p->p_url), a, f;

	field_set(c, "endpoint.url", NULL);
	a = authority_end(p->p_url, n);
	f = fragment_start(p->p_url, n);
	if (has_braces(p->p_url, a))
		return fail(c->c_err, c->c_field, "Placeholders may not "
		    "appear in the URL's scheme or host.");
	if (has_braces(p->p_url + f, n - f))
		return fail(c->c_err, c->c_field, "Placeholders may not "
		    "appear in the URL's fragment.");
	if ((rc = scan_text(c, p->p_url, n)) != ERR_OK)
		return rc;
	if (p->p_headers != NULL) {
		json_object_object_foreach(p->p_headers, key, val) {
			field_set(c, "endpoint.headers", key);
			if (header_reserved(key))
				return fail(c->c_err, c->c_field, "This header "
				    "is set by the HTTP client, not a tool.");
			if ((rc = scan_str(c, val)) != ERR_OK)
				return rc;
		}
	}
	if (p->p_query != NULL) {
		json_object_object_foreach(p->p_query, key, val) {
			field_set(c, "endpoint.queryParams", key);
			if (has_braces(key, strlen(key)))
				return fail(c->c_err, c->c_field, "%s",
				    MSG_NAME);
			if ((rc = scan_str(c, val)) != ERR_OK)
				return rc;
		}
	}
	if (p->p_body != NULL) {
		field_set(c, "endpoint.body", NULL);
		if ((rc = scan_json(c, p->p_body)) != ERR_OK)
			return rc;
	}
	return ERR_OK;
}

/* ----------------------------------------------------------- values */

/* The input value at a dotted path; NULL when missing or null. */
static json_object *
input_at(json_object *in, const char *path)
{
	char		 seg[PH_SEG_MAX + 1], *end;
	const char	*p = path, *dot;
	json_object	*v = in;
	unsigned long	 idx;
	size_t		 len;

	while (v != NULL) {
		dot = strchr(p, '.');
		len = dot != NULL ? (size_t)(dot - p) : strlen(p);
		memcpy(seg, p, len);
		seg[len] = '\0';
		if (json_object_is_type(v, json_type_object)) {
			if (!json_object_object_get_ex(v, seg, &v))
				return NULL;
		} else if (json_object_is_type(v, json_type_array)) {
			/* Array index: decimal digits only, no sign. */
			if (strspn(seg, "0123456789") != len || len > 9)
				return NULL;
			idx = strtoul(seg, &end, 10);
			if (idx >= json_object_array_length(v))
				return NULL;
			v = json_object_array_get_idx(v, idx);
		} else
			return NULL;
		if (dot == NULL)
			break;
		p = dot + 1;
	}
	if (v == NULL || json_object_is_type(v, json_type_null))
		return NULL;
	return v;
}

/* The secret named name, or NULL. */
static const char *
secret_of(const struct tctx *c, const char *name)
{
	size_t	 i;

	for (i = 0; i < c->c_nsec; i++)
		if (c->c_sec[i].ts_name != NULL &&
		    strcmp(c->c_sec[i].ts_name, name) == 0)
			return c->c_sec[i].ts_value;
	return NULL;
}

/* The field a bad value is reported at: the input's, or the spec's. */
static const char *
value_field(const struct tctx *c, const struct ph *ph)
{
	return ph->ph_secret ? c->c_field : FIELD_INPUT;
}

/*
 * The text of placeholder ph: *p and *len, or *p NULL for a secret the
 * credential lacks (noted in c_missing; rendering goes on so that an
 * input error still wins).  Numbers are written in their RFC 8785 form.
 */
static enum err
value_text(struct tctx *c, const struct ph *ph, const char **p,
    size_t *len)
{
	json_object	*v;

	*p = NULL;
	*len = 0;
	if (ph->ph_secret) {
		if ((*p = secret_of(c, ph->ph_name)) == NULL) {
			if (!c->c_lacks)
				c->c_missing = *ph;
			c->c_lacks = true;
			return ERR_OK;
		}
		*len = strlen(*p);
	} else {
		if ((v = input_at(c->c_in, ph->ph_name)) == NULL)
			return fail(c->c_err, FIELD_INPUT,
			    "No value for {{%s}}.", ph->ph_name);
		switch (json_object_get_type(v)) {
		case json_type_string:
			*p = json_object_get_string(v);
			*len = (size_t)json_object_get_string_len(v);
			break;
		case json_type_boolean:
			*p = json_object_get_boolean(v) ? "true" : "false";
			*len = strlen(*p);
			break;
		case json_type_int:
		case json_type_double:
			buf_reset(&c->c_num);
			if (jcs_serialize(v, &c->c_num) != 0)
				return fail(c->c_err, FIELD_INPUT, "{{%s}} is "
				    "a number that cannot be written exactly.",
				    ph->ph_name);
			*p = c->c_num.b_data;
			*len = c->c_num.b_len;
			break;
		default:
			return fail(c->c_err, FIELD_INPUT, "{{%s}} must be a "
			    "string, a number or a boolean here.", ph->ph_name);
		}
	}
	if (memchr(*p, '\0', *len) != NULL || !utf8_valid(*p, *len))
		return fail(c->c_err, value_field(c, ph), "The value of "
		    "{{%s%s}} must be valid UTF-8 without NUL.", PH_NS(ph),
		    ph->ph_name);
	return ERR_OK;
}

/* True if a header value of n bytes at p holds a control character. */
static bool
has_ctl(const char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (((unsigned char)p[i] < 0x20 && p[i] != '\t') ||
		    p[i] == 0x7f)
			return true;
	return false;
}

/*
 * Append the template of n bytes at s (already scanned) to out, each
 * placeholder filled for place pl.  ri says what was met.
 */
static enum err
render_text(struct tctx *c, const char *s, size_t n, enum place pl,
    struct buf *out, struct rinfo *ri)
{
	struct lex	 l;
	enum piece	 k;
	enum err	 rc = ERR_INTERNAL;
	const char	*p;
	size_t		 len;

	memset(ri, 0, sizeof(*ri));
	lex_init(&l, s, n);
	while ((k = lex_next(&l)) != PIECE_END) {
		if (k == PIECE_BAD)	/* the scan saw it first */
			return fail(c->c_err, c->c_field, "%s", l.l_msg);
		if (k == PIECE_TEXT) {
			buf_add(out, l.l_text, l.l_len);
			continue;
		}
		if ((rc = value_text(c, &l.l_ph, &p, &len)) != ERR_OK)
			return rc;
		if (p == NULL) {
			ri->ri_lacked = true;
			continue;
		}
		if (ri->ri_nph++ == 0)
			ri->ri_first = l.l_ph;
		switch (pl) {
		case PLACE_URL:
			buf_pct(out, p, len);
			break;
		case PLACE_HEADER:
			if (has_ctl(p, len))
				return fail(c->c_err, value_field(c, &l.l_ph),
				    "The value of {{%s%s}} may not hold CR, "
				    "LF or another control character in a "
				    "header.", PH_NS(&l.l_ph), l.l_ph.ph_name);
			buf_add(out, p, len);
			break;
		case PLACE_TEXT:
			buf_add(out, p, len);
			break;
		}
	}
	return ERR_OK;
}

/*
 * True if a path segment is empty, "." or ".." (a dot also written
 * %2E): filled from the input, it would change the path's shape.
 */
static bool
dot_segment(const char *s, size_t n)
{
	size_t	 i = 0, dots = 0;

	while (i < n) {
		if (s[i] == '.')
			i++;
		else if (n - i >= 3 && s[i] == '%' && s[i + 1] == '2' &&
		    (s[i + 2] == 'e' || s[i + 2] == 'E'))
			i += 3;
		else
			return false;
		dots++;
	}
	return dots <= 2;
}

/* ------------------------------------------------------------ render */

/* Append the query parameters of the tool, percent-encoded. */
static enum err
render_query(struct tctx *c, json_object *qp, bool has_q, struct buf *out)
{
	struct buf	 val = BUF_INIT;
	struct rinfo	 ri;
	enum err	 rc = ERR_INTERNAL;
	char		 last;

	json_object_object_foreach(qp, key, v) {
		field_set(c, "endpoint.queryParams", key);
		buf_reset(&val);
		if ((rc = render_text(c, json_object_get_string(v),
		    (size_t)json_object_get_string_len(v), PLACE_TEXT, &val,
		    &ri)) != ERR_OK)
			goto out;
		last = out->b_len > 0 ? out->b_data[out->b_len - 1] : '\0';
		if (!has_q)
			buf_putc(out, '?');
		else if (last != '?' && last != '&')
			buf_putc(out, '&');
		has_q = true;
		buf_pct(out, key, strlen(key));
		buf_putc(out, '=');
		buf_pct(out, val.b_data != NULL ? val.b_data : "", val.b_len);
	}
	rc = buf_ok(&val) ? ERR_OK : ERR_INTERNAL;
out:
	buf_free(&val);
	return rc;
}

/*
 * The final URL: scheme and authority copied, the path rendered one
 * segment at a time (so that no filled segment is empty, "." or ".."),
 * the query rendered, the tool's queryParams appended, the fragment
 * copied.
 */
static enum err
render_url(struct tctx *c, const struct parts *p, struct buf *out)
{
	struct buf	 seg = BUF_INIT;
	struct rinfo	 ri;
	enum err	 rc = ERR_INTERNAL;
	const char	*u = p->p_url, *slash;
	size_t		 n = strlen(u), a, f, q, i, j;

	field_set(c, "endpoint.url", NULL);
	a = authority_end(u, n);
	f = fragment_start(u, n);
	q = a;
	while (q < f && u[q] != '?')
		q++;
	buf_add(out, u, a);
	for (i = a; i < q; i = j) {
		buf_putc(out, '/');	/* u[i] is the "/" of the segment */
		slash = memchr(u + i + 1, '/', q - i - 1);
		j = slash != NULL ? (size_t)(slash - u) : q;
		buf_reset(&seg);
		if ((rc = render_text(c, u + i + 1, j - i - 1, PLACE_URL, &seg,
		    &ri)) != ERR_OK)
			goto out;
		if (ri.ri_nph > 0 && !ri.ri_lacked &&
		    dot_segment(seg.b_data, seg.b_len)) {
			rc = fail(c->c_err, value_field(c, &ri.ri_first),
			    "The value of {{%s%s}} would make an empty, \".\" "
			    "or \"..\" path segment.", PH_NS(&ri.ri_first),
			    ri.ri_first.ph_name);
			goto out;
		}
		buf_add(out, seg.b_data, seg.b_len);
	}
	if (q < f) {
		buf_putc(out, '?');
		if ((rc = render_text(c, u + q + 1, f - q - 1, PLACE_URL, out,
		    &ri)) != ERR_OK)
			goto out;
	}
	if (p->p_query != NULL &&
	    (rc = render_query(c, p->p_query, q < f, out)) != ERR_OK)
		goto out;
	buf_add(out, u + f, n - f);
	if (!buf_ok(out) || !buf_ok(&seg)) {
		rc = ERR_INTERNAL;
		goto out;
	}
	if (out->b_len > TOOL_URL_MAX) {
		rc = fail(c->c_err, FIELD_INPUT, "The URL would be longer "
		    "than %d bytes.", TOOL_URL_MAX);
		goto out;
	}
	rc = ERR_OK;
out:
	buf_free(&seg);
	return rc;
}

/* Append one "Name: value" line (a copy of text) to r's headers. */
static enum err
header_add(struct tool_req *r, const char *text)
{
	char	**h, *s;

	if ((s = strdup(text)) == NULL)
		return ERR_INTERNAL;
	h = realloc(r->tr_headers, (r->tr_nheaders + 1) * sizeof(*h));
	if (h == NULL) {
		free(s);
		return ERR_INTERNAL;
	}
	h[r->tr_nheaders++] = s;
	r->tr_headers = h;
	return ERR_OK;
}

/*
 * The tool's headers into r; "Content-Type: application/json" is added
 * when there is a body and the tool sets no Content-Type.
 */
static enum err
render_headers(struct tctx *c, const struct parts *p, struct tool_req *r)
{
	struct buf	 line = BUF_INIT;
	struct rinfo	 ri;
	enum err	 rc = ERR_INTERNAL;
	bool		 ctype = false;
	size_t		 start;

	if (p->p_headers != NULL) {
		json_object_object_foreach(p->p_headers, key, v) {
			field_set(c, "endpoint.headers", key);
			if (strcasecmp(key, "Content-Type") == 0)
				ctype = true;
			buf_reset(&line);
			buf_printf(&line, "%s: ", key);
			start = line.b_len;
			if ((rc = render_text(c, json_object_get_string(v),
			    (size_t)json_object_get_string_len(v),
			    PLACE_HEADER, &line, &ri)) != ERR_OK)
				goto out;
			if (!buf_ok(&line)) {
				rc = ERR_INTERNAL;
				goto out;
			}
			if (line.b_len - start > TOOL_HEADER_MAX) {
				rc = fail(c->c_err, FIELD_INPUT, "The header "
				    "%s would be longer than %d bytes.", key,
				    TOOL_HEADER_MAX);
				goto out;
			}
			if ((rc = header_add(r, line.b_data)) != ERR_OK)
				goto out;
		}
	}
	if (p->p_body != NULL && !ctype &&
	    (rc = header_add(r, "Content-Type: application/json")) != ERR_OK)
		goto out;
	rc = ERR_OK;
out:
	buf_free(&line);
	return rc;
}

/*
 * A copy of the body value v with its strings filled (*out, a new
 * reference).  A string that is exactly one input placeholder takes the
 * input's JSON value as it is (a number stays a number); any other
 * string stays a string, its placeholders filled as text.
 */
static enum err
render_json(struct tctx *c, json_object *v, json_object **out)
{
	struct buf	 b = BUF_INIT;
	struct lex	 l;
	struct rinfo	 ri;
	json_object	*x = NULL, *e = NULL, *iv;
	enum err	 rc = ERR_INTERNAL;
	size_t		 i, n;

	*out = NULL;
	switch (json_object_get_type(v)) {
	case json_type_null:	/* json-c's null is a NULL pointer */
		return ERR_OK;
	case json_type_string:
		lex_init(&l, json_object_get_string(v),
		    (size_t)json_object_get_string_len(v));
		if (lex_next(&l) == PIECE_PH && !l.l_ph.ph_secret &&
		    lex_next(&l) == PIECE_END &&
		    (iv = input_at(c->c_in, l.l_ph.ph_name)) != NULL &&
		    !json_object_is_type(iv, json_type_string)) {
			x = json_object_get(iv);
			break;
		}
		if ((rc = render_text(c, json_object_get_string(v),
		    (size_t)json_object_get_string_len(v), PLACE_TEXT, &b,
		    &ri)) != ERR_OK)
			goto out;
		if (!buf_ok(&b)) {
			rc = ERR_INTERNAL;
			goto out;
		}
		x = json_object_new_string_len(b.b_data != NULL ? b.b_data :
		    "", (int)b.b_len);
		break;
	case json_type_array:
		x = json_object_new_array();
		n = json_object_array_length(v);
		for (i = 0; x != NULL && i < n; i++) {
			if ((rc = render_json(c,
			    json_object_array_get_idx(v, i), &e)) != ERR_OK)
				goto out;
			if (json_object_array_add(x, e) != 0) {
				rc = ERR_INTERNAL;
				goto out;
			}
			e = NULL;
		}
		break;
	case json_type_object: {
		x = json_object_new_object();
		if (x == NULL)
			break;
		json_object_object_foreach(v, key, val) {
			if ((rc = render_json(c, val, &e)) != ERR_OK)
				goto out;
			if (json_object_object_add(x, key, e) != 0) {
				rc = ERR_INTERNAL;
				goto out;
			}
			e = NULL;
		}
		break;
	}
	default:
		x = json_object_get(v);
		break;
	}
	if (x == NULL) {
		rc = ERR_INTERNAL;
		goto out;
	}
	*out = x;
	x = NULL;
	rc = ERR_OK;
out:
	json_object_put(e);
	json_object_put(x);
	buf_free(&b);
	return rc;
}

/* The body's JSON text into r. */
static enum err
render_body(struct tctx *c, json_object *body, struct tool_req *r)
{
	struct buf	 b = BUF_INIT;
	json_object	*filled = NULL;
	enum err	 rc = ERR_INTERNAL;

	field_set(c, "endpoint.body", NULL);
	if ((rc = render_json(c, body, &filled)) != ERR_OK)
		goto out;
	if (jcs_serialize(filled, &b) != 0) {
		rc = buf_ok(&b) ? fail(c->c_err, FIELD_INPUT, "The body "
		    "cannot be written as JSON (a number out of range or "
		    "nesting too deep).") : ERR_INTERNAL;
		goto out;
	}
	r->tr_body_len = b.b_len;
	if ((r->tr_body = buf_steal(&b)) == NULL)
		goto out;
	rc = ERR_OK;
out:
	json_object_put(filled);
	buf_free(&b);
	return rc;
}

/* ------------------------------------------------------------ entry */

/* A string member of o, or NULL. */
static const char *
member_str(json_object *o, const char *key)
{
	json_object	*s;

	if (!json_object_object_get_ex(o, key, &s) ||
	    !json_object_is_type(s, json_type_string))
		return NULL;
	return json_object_get_string(s);
}

/* An object member of o, or NULL. */
static json_object *
member_obj(json_object *o, const char *key)
{
	json_object	*v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_object))
		return NULL;
	return v;
}

/*
 * The endpoint of tool, validated by agents_validate; a tool without
 * one (a builtin tool) is refused.
 */
static enum err
parts_get(json_object *tool, struct parts *p, struct tool_err *e)
{
	json_object	*ep, *in, *body;

	memset(p, 0, sizeof(*p));
	ep = member_obj(tool, "endpoint");
	in = member_obj(tool, "integration");
	if (ep == NULL || in == NULL ||
	    (p->p_method = member_str(ep, "method")) == NULL ||
	    (p->p_url = member_str(ep, "url")) == NULL ||
	    strncmp(p->p_url, "https://", strlen("https://")) != 0 ||
	    (p->p_domain = member_str(in, "domain")) == NULL)
		return fail(e, "endpoint", "Only a custom tool with an "
		    "https endpoint can be executed.");
	p->p_headers = member_obj(ep, "headers");
	p->p_query = member_obj(ep, "queryParams");
	if (json_object_object_get_ex(ep, "body", &body))
		p->p_body = body;	/* NULL for "body": null */
	return ERR_OK;
}

/*
 * The input as an object (*obj, borrowed or *parsed), or *obj NULL for
 * none: absent, null, "" or a string of white space only.  A string is
 * parsed as a JSON object by the rules of a request body.
 */
static enum err
input_get(json_object *input, json_object **parsed, json_object **obj,
    struct tool_err *e)
{
	static const char	 msg[] = "toolInput must be a JSON object, or "
	    "a string that holds one.";
	struct jsonin_why	 why;
	const char		*s;
	size_t			 n;

	*parsed = *obj = NULL;
	switch (json_object_get_type(input)) {
	case json_type_null:
		return ERR_OK;
	case json_type_object:
		*obj = input;
		return ERR_OK;
	case json_type_string:
		s = json_object_get_string(input);
		n = (size_t)json_object_get_string_len(input);
		if (strspn(s, " \t\r\n") == n)
			return ERR_OK;
		if (jsonin_object(s, n, parsed, &why) != ERR_OK)
			return fail(e, FIELD_INPUT, "%s", msg);
		*obj = *parsed;
		return ERR_OK;
	default:
		return fail(e, FIELD_INPUT, "%s", msg);
	}
}

/*
 * Build the outbound request of the custom tool "tool" (an entry of an
 * approved agents.json) for input (NULL or JSON null for none, an
 * object, or a string holding a JSON object), filling {{secrets.NAME}}
 * from the nsec secrets of sec only.  On ERR_OK *r holds the request
 * (free it with tool_req_free); otherwise *r is empty and e says why:
 * ERR_VALIDATION_FAILED for the input (te_field "toolInput": a missing
 * or unusable value, input given to an endpoint without input
 * placeholder) or for the tool (te_field its place: placeholder syntax,
 * a placeholder in the URL's host, a reserved header);
 * ERR_INTEGRATIONS_NEED_SETUP when the input is good but a secret the
 * tool names is not in sec (the caller answers mock data); ERR_INTERNAL
 * when memory ran out.  Messages name placeholders, never values.
 */
enum err
tool_build(json_object *tool, json_object *input,
    const struct tool_secret *sec, size_t nsec, struct tool_req *r,
    struct tool_err *e)
{
	struct tctx	 c;
	struct parts	 p;
	struct buf	 url = BUF_INIT;
	json_object	*parsed = NULL;
	enum err	 rc = ERR_INTERNAL;

	memset(r, 0, sizeof(*r));
	memset(e, 0, sizeof(*e));
	memset(&c, 0, sizeof(c));
	c.c_sec = sec;
	c.c_nsec = nsec;
	c.c_err = e;
	buf_init(&c.c_num, 0);
	if ((rc = parts_get(tool, &p, e)) != ERR_OK ||
	    (rc = scan_endpoint(&c, &p)) != ERR_OK ||
	    (rc = input_get(input, &parsed, &c.c_in, e)) != ERR_OK)
		goto out;
	if (c.c_in != NULL && json_object_object_length(c.c_in) > 0 &&
	    c.c_ninput == 0) {
		rc = fail(e, FIELD_INPUT, "This tool takes no input: its "
		    "endpoint has no input placeholder.");
		goto out;
	}
	if ((rc = render_url(&c, &p, &url)) != ERR_OK ||
	    (rc = render_headers(&c, &p, r)) != ERR_OK ||
	    (p.p_body != NULL && (rc = render_body(&c, p.p_body, r)) != ERR_OK))
		goto out;
	if (c.c_lacks) {
		snprintf(e->te_msg, sizeof(e->te_msg), "The credential has no "
		    "secret {{secrets.%s}}.", c.c_missing.ph_name);
		rc = ERR_INTEGRATIONS_NEED_SETUP;
		goto out;
	}
	rc = ERR_INTERNAL;
	if ((r->tr_url = buf_steal(&url)) == NULL ||
	    (r->tr_method = strdup(p.p_method)) == NULL ||
	    (r->tr_domain = strdup(p.p_domain)) == NULL)
		goto out;
	rc = ERR_OK;
out:
	if (rc != ERR_OK)
		tool_req_free(r);
	json_object_put(parsed);
	buf_free(&url);
	buf_free(&c.c_num);
	return rc;
}

/*
 * Free what tool_build put in r and leave it empty.  Safe on an empty
 * or already freed request.
 */
void
tool_req_free(struct tool_req *r)
{
	size_t	 i;

	for (i = 0; i < r->tr_nheaders; i++)
		free(r->tr_headers[i]);
	free(r->tr_headers);
	free(r->tr_method);
	free(r->tr_url);
	free(r->tr_domain);
	free(r->tr_body);
	memset(r, 0, sizeof(*r));
}

/*
 * The names of the secrets the custom tool's endpoint uses, each once,
 * in the order they first appear (URL, headers, queryParams, body):
 * *out a new array of strings the caller puts.  ERR_VALIDATION_FAILED
 * (e says where) when a template is malformed, as tool_build would
 * refuse it; ERR_INTERNAL when memory ran out.
 */
enum err
tool_secret_names(json_object *tool, json_object **out, struct tool_err *e)
{
	struct tctx	 c;
	struct parts	 p;
	enum err	 rc = ERR_INTERNAL;

	*out = NULL;
	memset(e, 0, sizeof(*e));
	memset(&c, 0, sizeof(c));
	c.c_err = e;
	if ((c.c_names = json_object_new_array()) == NULL)
		goto out;
	if ((rc = parts_get(tool, &p, e)) != ERR_OK ||
	    (rc = scan_endpoint(&c, &p)) != ERR_OK)
		goto out;
	*out = c.c_names;
	c.c_names = NULL;
	rc = ERR_OK;
out:
	json_object_put(c.c_names);
	return rc;
}

/*
 * One of the tool's mockData entries, uniformly at random
 * (randombytes_uniform; sodium_init must have run): borrowed from tool,
 * json_object_get it to keep it.  NULL when the tool has no mockData.
 */
json_object *
tool_mock_pick(json_object *tool)
{
	json_object	*m;
	size_t		 n;

	if (!json_object_object_get_ex(tool, "mockData", &m) ||
	    !json_object_is_type(m, json_type_array) ||
	    (n = json_object_array_length(m)) == 0 || n > UINT32_MAX)
		return NULL;
	return json_object_array_get_idx(m,
	    randombytes_uniform((uint32_t)n));
}
