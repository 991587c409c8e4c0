/*
 * req: request intake from FastCGI parameters (see req.h).
 *
 * The web server is trusted for non-HTTP_* parameters (REQUEST_METHOD,
 * REQUEST_URI, REMOTE_USER ...), but a parameter that arrives twice is
 * refused when it carries security meaning: libfcgi returns the first of
 * duplicates, so an "override" appended after Debian's stock
 * fastcgi_params would silently lose (second-fcgi(8)).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "req.h"
#include "utf8.h"

static const char *const method_names[M__MAX] = {
	"GET", /* M_GET */
	"POST", /* M_POST */
	"PUT", /* M_PUT */
	"PATCH", /* M_PATCH */
	"DELETE", /* M_DELETE */
	"OTHER", /* M_OTHER */
};

/* Where a kept parameter goes; offset into struct req of a char *. */
struct param_slot {
	const char	*ps_name;
	size_t		 ps_off;
};

#define SLOT(n, f)	{ n, offsetof(struct req, f) }

static const struct param_slot param_slots[] = {
	SLOT("CONTENT_TYPE", rq_ctype),
	SLOT("HTTP_COOKIE", rq_cookie),
	SLOT("HTTP_AUTHORIZATION", rq_authz),
	SLOT("HTTP_ORIGIN", rq_origin),
	SLOT("HTTP_SEC_FETCH_SITE", rq_fetch_site),
	SLOT("HTTP_X_SECOND_WORKSPACE_ID", rq_ws_header),
	SLOT("REMOTE_USER", rq_remote_user),
};

#define NSLOTS	(sizeof(param_slots) / sizeof(param_slots[0]))

/* Security-relevant parameters besides the slots: duplicates are refused. */
static const char *const unique_params[] = {
	"REQUEST_METHOD", "REQUEST_URI", "QUERY_STRING", "CONTENT_LENGTH",
	"HTTPS", "DOCUMENT_URI", "SCRIPT_NAME", "REDIRECT_STATUS",
};

#define NUNIQUE	(sizeof(unique_params) / sizeof(unique_params[0]))

/*
 * Zero a request so that req_free is safe.
 */
void
req_init(struct req *rq)
{
	memset(rq, 0, sizeof(*rq));
	rq->rq_clen = -1;
}

/*
 * Free every owned field and re-initialise.  Safe twice.
 */
void
req_free(struct req *rq)
{
	size_t	 i;

	free(rq->rq_path);
	free(rq->rq_query);
	for (i = 0; i < NSLOTS; i++)
		free(*(char **)(void *)((char *)rq + param_slots[i].ps_off));
	free(rq->rq_assertion);
	free(rq->rq_prov_email);
	free(rq->rq_prov_name);
	free(rq->rq_body);
	for (i = 0; i < rq->rq_nargs; i++)
		free(rq->rq_args[i]);
	req_init(rq);
}

/*
 * The name of a method, for logs and Allow headers.
 */
const char *
req_method_name(enum http_method m)
{
	return m < M__MAX ? method_names[m] : "OTHER";
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Percent-decode s[0..len) into a new string in *out ("+" is kept as is).
 * Returns 0; -1 if an escape is malformed, the result holds a NUL or a
 * control character, or is not UTF-8; -2 on memory exhaustion.
 */
int
req_pct_decode(const char *s, size_t len, char **out)
{
	char	*d;
	size_t	 i, j = 0;
	int	 hi, lo;

	*out = NULL;
	if ((d = malloc(len + 1)) == NULL)
		return -2;
	for (i = 0; i < len; i++) {
		if (s[i] == '%') {
			if (len - i < 3 || (hi = hexval(s[i + 1])) < 0 ||
			    (lo = hexval(s[i + 2])) < 0)
				goto bad;
			d[j] = (char)(hi * 16 + lo);
			i += 2;
		} else
			d[j] = s[i];
		if ((unsigned char)d[j] < 0x20 || d[j] == 0x7f)
			goto bad;
		j++;
	}
	d[j] = '\0';
	if (!utf8_valid(d, j))
		goto bad;
	*out = d;
	return 0;
bad:
	free(d);
	return -1;
}

/*
 * Check a raw request path: starts with "/", at most REQ_MAXPATH bytes,
 * no control characters or spaces, valid UTF-8, and every percent escape
 * well-formed and decoding to valid, control-free UTF-8.  Returns ERR_OK
 * or ERR_BAD_REQUEST.
 */
enum err
req_check_path(const char *path)
{
	const unsigned char	*p;
	char			*dec = NULL;
	size_t			 len = strlen(path);

	if (path[0] != '/' || len > REQ_MAXPATH)
		return ERR_BAD_REQUEST;
	for (p = (const unsigned char *)path; *p != '\0'; p++)
		if (*p <= 0x20 || *p == 0x7f)
			return ERR_BAD_REQUEST;
	if (!utf8_valid(path, len))
		return ERR_BAD_REQUEST;
	if (req_pct_decode(path, len, &dec) != 0)
		return ERR_BAD_REQUEST;
	free(dec);
	return ERR_OK;
}

static enum http_method
method_parse(const char *s)
{
	int	 i;

	for (i = 0; i < M_OTHER; i++)
		if (strcmp(s, method_names[i]) == 0)
			return (enum http_method)i;
	return M_OTHER;
}

/* Does envp entry "e" have the name "name" (followed by '=')? */
static bool
param_is(const char *e, const char *name)
{
	size_t	 n = strlen(name);

	return strncmp(e, name, n) == 0 && e[n] == '=';
}

/*
 * Look up "name" in envp, refusing duplicates.  *val is set to the value
 * (pointing into envp) or NULL.  Returns ERR_OK or ERR_BAD_REQUEST.
 */
static enum err
param_get(char *const *envp, const char *name, const char **val)
{
	char *const	*e;

	*val = NULL;
	if (name == NULL)
		return ERR_OK;
	for (e = envp; *e != NULL; e++)
		if (param_is(*e, name)) {
			if (*val != NULL)
				return ERR_BAD_REQUEST;
			*val = *e + strlen(name) + 1;
		}
	return ERR_OK;
}

/* Copy an optional value; false on memory exhaustion. */
static bool
dup_opt(char **dst, const char *v)
{
	*dst = NULL;
	if (v == NULL)
		return true;
	return (*dst = strdup(v)) != NULL;
}

/*
 * The error of a request the web server refused itself and hands on only
 * for its error document (lighttpd's server.error-handler, Apache's
 * ErrorDocument with a local path): REDIRECT_STATUS, a parameter only the
 * server sets, is a 4xx or 5xx status.  ERR_OK for any other value
 * (lighttpd passes 200 with every request) or none.
 */
static enum err
redirect_error(char *const *envp)
{
	const char	*v;
	int		 status;

	if (param_get(envp, "REDIRECT_STATUS", &v) != ERR_OK || v == NULL ||
	    strlen(v) != 3 || strspn(v, "0123456789") != 3)
		return ERR_OK;
	status = atoi(v);
	if (status < 400 || status > 599)
		return ERR_OK;
	return err_of_status(status);
}

/*
 * Fill rq from the FastCGI parameters in envp: counts and sizes are
 * capped by the configuration, duplicated security parameters refused,
 * a request the web server refused itself answered with that refusal's
 * error (redirect_error), the method and path parsed, CONTENT_LENGTH
 * checked against the largest cap any route accepts (the route's own cap
 * is applied when the body is read).  Returns ERR_OK, ERR_BAD_REQUEST,
 * ERR_PAYLOAD_TOO_LARGE, ERR_INTERNAL (memory) or the error of the web
 * server's refusal.  rq must have been req_init'ed; on error it holds
 * whatever was copied so far and must still be freed.
 */
enum err
req_intake(struct req *rq, char *const *envp, const struct conf *cf)
{
	char *const	*e;
	const char	*v, *uri, *q;
	char		*end;
	size_t		 count = 0, bytes = 0, i;
	enum err	 rc = ERR_INTERNAL;

	for (e = envp; *e != NULL; e++) {
		count++;
		bytes += strlen(*e);
		if (count > (size_t)cf->cf_max_params ||
		    bytes > (size_t)cf->cf_max_params_bytes)
			return ERR_BAD_REQUEST;
	}
	for (i = 0; i < NUNIQUE; i++)
		if ((rc = param_get(envp, unique_params[i], &v)) != ERR_OK)
			return rc;
	if ((rc = redirect_error(envp)) != ERR_OK)
		return rc;
	for (i = 0; i < NSLOTS; i++) {
		if ((rc = param_get(envp, param_slots[i].ps_name, &v)) !=
		    ERR_OK)
			return rc;
		if (!dup_opt((char **)(void *)((char *)rq +
		    param_slots[i].ps_off), v))
			return ERR_INTERNAL;
	}
	/*
	 * An identity assertion sent twice is not an error of the request
	 * but no identity at all (401): keep neither copy.
	 */
	if (param_get(envp, "HTTP_X_SECOND_ASSERTION", &v) == ERR_OK &&
	    !dup_opt(&rq->rq_assertion, v))
		return ERR_INTERNAL;
	if ((rc = param_get(envp, cf->cf_provider_email_param, &v)) != ERR_OK)
		return rc;
	if (!dup_opt(&rq->rq_prov_email, v))
		return ERR_INTERNAL;
	if ((rc = param_get(envp, cf->cf_provider_name_param, &v)) != ERR_OK)
		return rc;
	if (!dup_opt(&rq->rq_prov_name, v))
		return ERR_INTERNAL;

	if ((rc = param_get(envp, "REQUEST_METHOD", &v)) != ERR_OK)
		return rc;
	if (v == NULL)
		return ERR_BAD_REQUEST;
	rq->rq_method = method_parse(v);

	if ((rc = param_get(envp, "REQUEST_URI", &uri)) != ERR_OK)
		return rc;
	if (uri == NULL)
		return ERR_BAD_REQUEST;
	if ((q = strchr(uri, '?')) != NULL) {
		rq->rq_path = strndup(uri, (size_t)(q - uri));
		rq->rq_query = strdup(q + 1);
	} else {
		rq->rq_path = strdup(uri);
		rq->rq_query = strdup("");
	}
	if (rq->rq_path == NULL || rq->rq_query == NULL)
		return ERR_INTERNAL;
	if ((rc = req_check_path(rq->rq_path)) != ERR_OK)
		return rc;
	if (!utf8_valid(rq->rq_query, strlen(rq->rq_query)))
		return ERR_BAD_REQUEST;

	if ((rc = param_get(envp, "CONTENT_LENGTH", &v)) != ERR_OK)
		return rc;
	if (v != NULL && v[0] != '\0') {
		if (v[0] < '0' || v[0] > '9')
			return ERR_BAD_REQUEST;
		errno = 0;
		rq->rq_clen = strtoll(v, &end, 10);
		if (*end != '\0')
			return ERR_BAD_REQUEST;
		if (errno == ERANGE || rq->rq_clen > cf->cf_max_snapshot_body ||
		    rq->rq_clen > cf->cf_max_body * 64)
			return ERR_PAYLOAD_TOO_LARGE;
	}
	return ERR_OK;
}

/*
 * Find "name" in the query string and percent-decode its value ("+" is a
 * space) into *out (caller frees).  *out is NULL when absent.  A name that
 * appears twice, or a value that does not decode, is ERR_BAD_REQUEST.
 */
enum err
req_query_get(const struct req *rq, const char *name, char **out)
{
	return req_form_get(rq->rq_query, name, out);
}

/*
 * The same for any urlencoded text "s" (a query string or a form body).
 */
enum err
req_form_get(const char *s, const char *name, char **out)
{
	const char	*p = s, *amp, *eq;
	size_t		 nlen = strlen(name), vlen, i;
	char		*raw = NULL, *dec = NULL;
	enum err	 rc = ERR_BAD_REQUEST;

	*out = NULL;
	while (*p != '\0') {
		amp = strchr(p, '&');
		if (amp == NULL)
			amp = p + strlen(p);
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq != NULL && (size_t)(eq - p) == nlen &&
		    strncmp(p, name, nlen) == 0) {
			if (dec != NULL)
				goto out;
			vlen = (size_t)(amp - eq - 1);
			if ((raw = strndup(eq + 1, vlen)) == NULL) {
				rc = ERR_INTERNAL;
				goto out;
			}
			for (i = 0; i < vlen; i++)
				if (raw[i] == '+')
					raw[i] = ' ';
			if (req_pct_decode(raw, vlen, &dec) != 0)
				goto out;
			free(raw);
			raw = NULL;
		}
		p = *amp == '&' ? amp + 1 : amp;
	}
	*out = dec;
	dec = NULL;
	rc = ERR_OK;
out:
	free(raw);
	free(dec);
	return rc;
}

/*
 * Scan the Cookie header for "name": the first value (length in *len) and
 * how many times the name occurs.
 */
static const char *
cookie_scan(const struct req *rq, const char *name, size_t *len,
    size_t *count)
{
	const char	*p = rq->rq_cookie, *end, *first = NULL;
	size_t		 nlen = strlen(name);

	*count = 0;
	if (p == NULL)
		return NULL;
	while (*p != '\0') {
		while (*p == ' ' || *p == ';')
			p++;
		end = strchr(p, ';');
		if (end == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) > nlen && strncmp(p, name, nlen) == 0 &&
		    p[nlen] == '=') {
			if ((*count)++ == 0) {
				first = p + nlen + 1;
				*len = (size_t)(end - p) - nlen - 1;
			}
		}
		p = end;
	}
	return first;
}

/*
 * How many cookies named "name" the Cookie header holds.
 */
size_t
req_cookie_count(const struct req *rq, const char *name)
{
	size_t	 len, n;

	(void)cookie_scan(rq, name, &len, &n);
	return n;
}

/*
 * Find cookie "name" in the Cookie header.  Returns a pointer into the
 * header and its length in *len, or NULL.  If the name appears more than
 * once the first is returned; callers that care (the session) check
 * req_cookie_count.
 */
const char *
req_cookie_get(const struct req *rq, const char *name, size_t *len)
{
	size_t	 n;

	return cookie_scan(rq, name, len, &n);
}
