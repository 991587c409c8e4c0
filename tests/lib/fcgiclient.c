/*
 * fcgiclient: a small, strict FastCGI client for the regress tests.
 *
 * It speaks the FastCGI wire protocol itself (no libfcgi), so the tests
 * can send what a web server would send and also what a broken or hostile
 * one might: duplicate parameters, thousands of parameters, bytes that are
 * not UTF-8, a CONTENT_LENGTH that disagrees with the body.  One request
 * per connection, role RESPONDER, flags 0 (the server closes afterwards);
 * or, with "--" between their options, several requests one after the
 * other on ONE connection, every one but the last with FCGI_KEEP_CONN (as
 * nginx sends them with fastcgi_keep_conn on).
 *
 * Usage:
 *   fcgiclient -s SOCKET [-m METHOD] [-u REQUEST_URI] [-H 'Name: value']...
 *              [-p NAME=VALUE]... [-d BODY | -f FILE] [-L CONTENT_LENGTH]
 *              [-P N] [-N] [-t TIMEOUT_SEC] [-- OPTIONS-BUT-S]...
 *
 * The raw CGI response (the FCGI_STDOUT stream) is copied to stdout byte
 * for byte (between two responses on one connection, a newline and the
 * line FCGICLIENT_NEXT), the FCGI_STDERR stream to stderr.  Exit status: 0 when
 * FCGI_END_REQUEST arrived, 1 on a usage or local error, 2 when the
 * connection failed or closed without FCGI_END_REQUEST (or the server broke
 * the protocol), 3 on timeout.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* Wire constants from the FastCGI 1.0 specification. */
#define FCGI_VERSION_1		1
#define FCGI_BEGIN_REQUEST	1
#define FCGI_ABORT_REQUEST	2
#define FCGI_END_REQUEST	3
#define FCGI_PARAMS		4
#define FCGI_STDIN		5
#define FCGI_STDOUT		6
#define FCGI_STDERR		7
#define FCGI_DATA		8
#define FCGI_RESPONDER		1
#define FCGI_HEADER_LEN		8
#define FCGI_MAX_CONTENT	65535
#define FCGI_REQUEST_ID		1
#define FCGI_KEEP_CONN		1

/* The line between two responses on one connection (a body need not end
 * with a newline: it starts with one). */
#define FCGICLIENT_NEXT \
	"\n--- fcgiclient: next request, same connection ---\n"

/* Exit statuses (documented in the usage text). */
#define EX_OK_END	0	/* FCGI_END_REQUEST received */
#define EX_LOCAL	1	/* usage or local error */
#define EX_CONN		2	/* connect failed, EOF or protocol error */
#define EX_TIMEOUT	3	/* deadline passed */

/* Caps that keep every buffer bounded. */
#define MAX_BODY	((size_t)64 * 1024 * 1024)	/* -d / -f body */
#define MAX_STREAM	((size_t)256 * 1024 * 1024)	/* whole send buffer */
#define MAX_PAD		1000000L			/* -P N */
#define MAX_TIMEOUT	3600L				/* -t seconds */
#define MAX_ITEMS	4096				/* -H and -p each */

/* A growable byte buffer. */
struct buf {
	unsigned char	*data;	/* owned, NULL while empty */
	size_t		 len;	/* bytes used */
	size_t		 cap;	/* bytes allocated */
};

/* A parameter given on the command line (-p or -H), already decoded. */
struct item {
	char	*name;		/* owned, NUL-terminated */
	size_t	 namelen;	/* bytes in name (may contain NUL after \x00) */
	char	*value;		/* owned */
	size_t	 valuelen;	/* bytes in value */
};

/* Everything the command line asked for. */
struct opts {
	const char	*sock;		/* -s, borrowed from argv */
	const char	*method;	/* -m */
	const char	*uri;		/* -u */
	const char	*clen;		/* -L, sent verbatim, or NULL */
	const char	*ctype;		/* from -H Content-Type, or NULL */
	struct item	 hdrs[MAX_ITEMS];	/* -H other than the two above */
	size_t		 nhdrs;
	struct item	 params[MAX_ITEMS];	/* -p */
	size_t		 nparams;
	long		 npad;		/* -P */
	int		 nodefaults;	/* -N */
	long		 timeout;	/* -t, seconds */
	int		 hasbody;	/* -d or -f given */
	struct buf	 body;		/* the request body */
};

static void	 usage(void);
static void	 warnx_(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
static int	 buf_reserve(struct buf *, size_t);
static int	 buf_add(struct buf *, const void *, size_t);
static void	 buf_free(struct buf *);
static int	 hexval(char);
static int	 decode_escapes(const char *, size_t, char **, size_t *);
static int	 parse_param(const char *, struct item *);
static int	 parse_header(const char *, struct opts *);
static int	 read_file(const char *, struct buf *);
static int	 parse_long(const char *, long, long, long *);
static int	 add_pair(struct buf *, const void *, size_t, const void *,
		    size_t);
static int	 add_pair_str(struct buf *, const char *, const char *);
static int	 build_params(const struct opts *, struct buf *);
static int	 add_record(struct buf *, int, const unsigned char *, size_t);
static int	 add_stream(struct buf *, int, const unsigned char *, size_t);
static int	 build_request(const struct opts *, int, struct buf *);
static int	 parse_opts(int, char *[], struct opts *);
static int64_t	 now_ms(void);
static int	 connect_unix(const char *, int64_t);
static int	 write_all(int, const unsigned char *, size_t);
static int	 handle_record(int, const unsigned char *, size_t, int *);
static int	 exchange(int, const struct buf *, int64_t);
static void	 free_opts(struct opts *);

/*
 * Print the usage text to stderr and exit with EX_LOCAL.  Does not return.
 */
static void
usage(void)
{
	fputs("usage: fcgiclient -s SOCKET [-m METHOD] [-u REQUEST_URI]\n"
	    "           [-H 'Name: value']... [-p NAME=VALUE]...\n"
	    "           [-d BODY | -f FILE] [-L CONTENT_LENGTH] [-P N] [-N]\n"
	    "           [-t TIMEOUT_SEC] [-- OPTIONS-BUT-S]...\n"
	    "  -- starts the next request on the same connection.\n"
	    "  -p values (and names) accept \\xHH and \\\\ escapes.\n"
	    "  exit: 0 END_REQUEST received, 1 local error, 2 connection\n"
	    "        failed or closed early, 3 timeout\n", stderr);
	exit(EX_LOCAL);
}

/*
 * Print "fcgiclient: <message>" and a newline to stderr.
 */
static void
warnx_(const char *fmt, ...)
{
	va_list	 ap;

	fputs("fcgiclient: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * Make room for n more bytes in b, capped at MAX_STREAM in total.
 * Returns 0 or -1 (too large or out of memory; b is unchanged).
 */
static int
buf_reserve(struct buf *b, size_t n)
{
	unsigned char	*p;
	size_t		 ncap;

	if (n > MAX_STREAM || b->len > MAX_STREAM - n) {
		warnx_("request too large");
		return -1;
	}
	if (b->len + n <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 4096;
	while (ncap < b->len + n)
		ncap *= 2;
	if ((p = realloc(b->data, ncap)) == NULL) {
		warnx_("out of memory");
		return -1;
	}
	b->data = p;
	b->cap = ncap;
	return 0;
}

/*
 * Append n bytes from p to b.  Returns 0 or -1 (b unchanged).
 */
static int
buf_add(struct buf *b, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	if (buf_reserve(b, n) == -1)
		return -1;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

/*
 * Release b's storage and leave it empty.  NULL-safe on an empty buffer.
 */
static void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/*
 * Value of the hexadecimal digit c, or -1 if c is not one.
 */
static int
hexval(char c)
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
 * Decode n bytes of s, turning "\xHH" into that byte and "\\" into one
 * backslash; any other byte is kept.  On success *outp is an owned,
 * NUL-terminated copy (it may contain NUL bytes before the end) and *outlenp
 * its length.  Returns 0 or -1 (bad escape or out of memory; nothing owned).
 */
static int
decode_escapes(const char *s, size_t n, char **outp, size_t *outlenp)
{
	char		*out = NULL;
	int		 hi, lo;
	size_t		 i, o = 0;
	int		 rc = -1;

	if ((out = malloc(n + 1)) == NULL) {
		warnx_("out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 == n) {
			/* Plain byte, or a backslash that ends the string. */
			out[o++] = s[i];
			continue;
		}
		if (s[i + 1] == '\\') {
			out[o++] = '\\';
			i++;
			continue;
		}
		if (s[i + 1] != 'x') {
			/* A backslash before anything else is kept. */
			out[o++] = s[i];
			continue;
		}
		/* "\xHH": both digits must be there and be hex. */
		if (n - i < 4 || (hi = hexval(s[i + 2])) == -1 ||
		    (lo = hexval(s[i + 3])) == -1) {
			warnx_("bad \\x escape in: %.*s", (int)n, s);
			goto out;
		}
		out[o++] = (char)(hi << 4 | lo);
		i += 3;
	}
	out[o] = '\0';
	*outp = out;
	*outlenp = o;
	out = NULL;
	rc = 0;
out:
	free(out);
	return rc;
}

/*
 * Parse "-p NAME=VALUE" into it, decoding escapes in both parts.  Returns 0
 * (it owns two strings) or -1 (message printed, nothing owned).
 */
static int
parse_param(const char *arg, struct item *it)
{
	const char	*eq;

	if ((eq = strchr(arg, '=')) == NULL || eq == arg) {
		warnx_("-p wants NAME=VALUE: %s", arg);
		return -1;
	}
	if (decode_escapes(arg, (size_t)(eq - arg), &it->name,
	    &it->namelen) == -1)
		return -1;
	if (decode_escapes(eq + 1, strlen(eq + 1), &it->value,
	    &it->valuelen) == -1) {
		free(it->name);
		it->name = NULL;
		return -1;
	}
	return 0;
}

/*
 * Parse "-H 'Name: value'".  Content-Type and Content-Length become the CGI
 * variables CONTENT_TYPE and CONTENT_LENGTH (the latter like -L); any other
 * header becomes HTTP_NAME (upper case, '-' to '_') in o->hdrs.  Returns 0
 * or -1 (message printed).
 */
static int
parse_header(const char *arg, struct opts *o)
{
	struct item	*it;
	const char	*colon, *v;
	size_t		 nlen, i;

	if ((colon = strchr(arg, ':')) == NULL || colon == arg) {
		warnx_("-H wants 'Name: value': %s", arg);
		return -1;
	}
	nlen = (size_t)(colon - arg);
	for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
		continue;
	if (nlen == strlen("Content-Type") &&
	    strncasecmp(arg, "Content-Type", nlen) == 0) {
		o->ctype = v;
		return 0;
	}
	if (nlen == strlen("Content-Length") &&
	    strncasecmp(arg, "Content-Length", nlen) == 0) {
		o->clen = v;
		return 0;
	}
	if (o->nhdrs >= MAX_ITEMS) {
		warnx_("too many -H options");
		return -1;
	}
	it = &o->hdrs[o->nhdrs];
	if ((it->name = malloc(nlen + 6)) == NULL ||
	    (it->value = strdup(v)) == NULL) {
		free(it->name);
		it->name = NULL;
		warnx_("out of memory");
		return -1;
	}
	memcpy(it->name, "HTTP_", 5);
	for (i = 0; i < nlen; i++) {
		unsigned char	 c = (unsigned char)arg[i];

		if (c == '-')
			c = '_';
		else if (c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 'a' + 'A');
		it->name[5 + i] = (char)c;
	}
	it->name[5 + nlen] = '\0';
	it->namelen = 5 + nlen;
	it->valuelen = strlen(it->value);
	o->nhdrs++;
	return 0;
}

/*
 * Read the whole of file path (at most MAX_BODY bytes) into b.  Returns 0
 * or -1 (message printed; b may hold a partial read, the caller frees it).
 */
static int
read_file(const char *path, struct buf *b)
{
	unsigned char	 chunk[65536];
	ssize_t		 n;
	int		 fd = -1, rc = -1;

	if ((fd = open(path, O_RDONLY)) == -1) {
		warnx_("%s: %s", path, strerror(errno));
		goto out;
	}
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			warnx_("%s: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		if (b->len + (size_t)n > MAX_BODY) {
			warnx_("%s: larger than %zu bytes", path, MAX_BODY);
			goto out;
		}
		if (buf_add(b, chunk, (size_t)n) == -1)
			goto out;
	}
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	return rc;
}

/*
 * Parse a decimal integer in [min, max] from s into *vp.  Returns 0 or -1.
 */
static int
parse_long(const char *s, long min, long max, long *vp)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < min || v > max)
		return -1;
	*vp = v;
	return 0;
}

/*
 * Append one FastCGI name-value pair to b, each length in the 1-byte form
 * below 128 and in the 4-byte form (high bit set) otherwise.  Returns 0 or
 * -1 (a length over 2^31 - 1, or out of memory).
 */
static int
add_pair(struct buf *b, const void *name, size_t nlen, const void *value,
    size_t vlen)
{
	unsigned char	 hdr[8];
	size_t		 h = 0, lens[2], i;

	lens[0] = nlen;
	lens[1] = vlen;
	for (i = 0; i < 2; i++) {
		if (lens[i] > 0x7fffffffUL) {
			warnx_("parameter too long");
			return -1;
		}
		if (lens[i] < 128) {
			hdr[h++] = (unsigned char)lens[i];
		} else {
			hdr[h++] = (unsigned char)((lens[i] >> 24) | 0x80);
			hdr[h++] = (unsigned char)(lens[i] >> 16);
			hdr[h++] = (unsigned char)(lens[i] >> 8);
			hdr[h++] = (unsigned char)lens[i];
		}
	}
	if (buf_add(b, hdr, h) == -1 || buf_add(b, name, nlen) == -1 ||
	    buf_add(b, value, vlen) == -1)
		return -1;
	return 0;
}

/*
 * add_pair for two C strings.  Returns 0 or -1.
 */
static int
add_pair_str(struct buf *b, const char *name, const char *value)
{
	return add_pair(b, name, strlen(name), value, strlen(value));
}

/*
 * Encode the whole FCGI_PARAMS stream content (not yet split into records)
 * into b: the default CGI variables unless -N, CONTENT_LENGTH and
 * CONTENT_TYPE, the -H headers, the -p parameters verbatim, then -P pads.
 * Returns 0 or -1.
 */
static int
build_params(const struct opts *o, struct buf *b)
{
	const char	*q;
	char		*path = NULL;
	char		 num[64];
	size_t		 plen, i;
	long		 k;
	int		 rc = -1;

	if (!o->nodefaults) {
		q = strchr(o->uri, '?');
		plen = q ? (size_t)(q - o->uri) : strlen(o->uri);
		if ((path = strndup(o->uri, plen)) == NULL) {
			warnx_("out of memory");
			goto out;
		}
		if (add_pair_str(b, "REQUEST_METHOD", o->method) == -1 ||
		    add_pair_str(b, "REQUEST_URI", o->uri) == -1 ||
		    add_pair_str(b, "QUERY_STRING", q ? q + 1 : "") == -1 ||
		    add_pair_str(b, "DOCUMENT_URI", path) == -1 ||
		    add_pair_str(b, "SERVER_PROTOCOL", "HTTP/1.1") == -1 ||
		    add_pair_str(b, "REMOTE_ADDR", "127.0.0.1") == -1 ||
		    add_pair_str(b, "SERVER_NAME", "localhost") == -1 ||
		    add_pair_str(b, "SERVER_PORT", "80") == -1)
			goto out;
	}
	/* -L (or -H Content-Length) always wins; -N drops the automatic one. */
	if (o->clen != NULL) {
		if (add_pair_str(b, "CONTENT_LENGTH", o->clen) == -1)
			goto out;
	} else if (o->hasbody && !o->nodefaults) {
		snprintf(num, sizeof(num), "%zu", o->body.len);
		if (add_pair_str(b, "CONTENT_LENGTH", num) == -1)
			goto out;
	}
	if (o->ctype != NULL &&
	    add_pair_str(b, "CONTENT_TYPE", o->ctype) == -1)
		goto out;
	for (i = 0; i < o->nhdrs; i++)
		if (add_pair(b, o->hdrs[i].name, o->hdrs[i].namelen,
		    o->hdrs[i].value, o->hdrs[i].valuelen) == -1)
			goto out;
	for (i = 0; i < o->nparams; i++)
		if (add_pair(b, o->params[i].name, o->params[i].namelen,
		    o->params[i].value, o->params[i].valuelen) == -1)
			goto out;
	for (k = 0; k < o->npad; k++) {
		snprintf(num, sizeof(num), "X_PAD_%ld", k);
		if (add_pair_str(b, num, "v") == -1)
			goto out;
	}
	rc = 0;
out:
	free(path);
	return rc;
}

/*
 * Append one record of the given type with n (<= 65535) content bytes to
 * b, padded to a multiple of 8 as the specification recommends.  Returns 0
 * or -1.
 */
static int
add_record(struct buf *b, int type, const unsigned char *p, size_t n)
{
	static const unsigned char zeros[8];
	unsigned char	 h[FCGI_HEADER_LEN];
	size_t		 pad = (8 - n % 8) % 8;

	if (n > FCGI_MAX_CONTENT)
		return -1;
	h[0] = FCGI_VERSION_1;
	h[1] = (unsigned char)type;
	h[2] = (unsigned char)(FCGI_REQUEST_ID >> 8);
	h[3] = (unsigned char)(FCGI_REQUEST_ID & 0xff);
	h[4] = (unsigned char)(n >> 8);
	h[5] = (unsigned char)(n & 0xff);
	h[6] = (unsigned char)pad;
	h[7] = 0;
	if (buf_add(b, h, sizeof(h)) == -1 || buf_add(b, p, n) == -1 ||
	    buf_add(b, zeros, pad) == -1)
		return -1;
	return 0;
}

/*
 * Append a whole stream of the given type: the content in records of at
 * most 65535 bytes, then the empty record that ends the stream.  Returns 0
 * or -1.
 */
static int
add_stream(struct buf *b, int type, const unsigned char *p, size_t n)
{
	size_t	 off, chunk;

	for (off = 0; off < n; off += chunk) {
		chunk = n - off;
		if (chunk > FCGI_MAX_CONTENT)
			chunk = FCGI_MAX_CONTENT;
		if (add_record(b, type, p + off, chunk) == -1)
			return -1;
	}
	return add_record(b, type, NULL, 0);
}

/*
 * Build every byte the client sends into out: BEGIN_REQUEST (responder,
 * flags FCGI_KEEP_CONN when keep, else 0, so the server closes the
 * connection), the PARAMS stream, the STDIN stream.  Returns 0 or -1 (out
 * may hold a partial request; the caller frees it).
 */
static int
build_request(const struct opts *o, int keep, struct buf *out)
{
	struct buf	 params = { NULL, 0, 0 };
	unsigned char	 begin[8] = { 0, FCGI_RESPONDER, 0, 0, 0, 0, 0, 0 };
	int		 rc = -1;

	if (keep)
		begin[2] = FCGI_KEEP_CONN;

	if (build_params(o, &params) == -1)
		goto out;
	if (add_record(out, FCGI_BEGIN_REQUEST, begin, sizeof(begin)) == -1 ||
	    add_stream(out, FCGI_PARAMS, params.data, params.len) == -1 ||
	    add_stream(out, FCGI_STDIN, o->body.data, o->body.len) == -1)
		goto out;
	rc = 0;
out:
	buf_free(&params);
	return rc;
}

/*
 * Milliseconds on the monotonic clock.
 */
static int64_t
now_ms(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return 0;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Connect a non-blocking stream socket to the unix socket path, retrying
 * while the listen queue is full until deadline (monotonic ms).  Returns
 * the fd, -1 on failure (message printed) or -2 on timeout.
 */
static int
connect_unix(const char *path, int64_t deadline)
{
	struct sockaddr_un	 sa;
	struct pollfd		 pfd;
	socklen_t		 sl;
	int			 fd = -1, err, rc = -1;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		warnx_("%s: socket path too long", path);
		goto out;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1) {
		warnx_("socket: %s", strerror(errno));
		goto out;
	}
	if (fcntl(fd, F_SETFL, O_NONBLOCK) == -1) {
		warnx_("fcntl: %s", strerror(errno));
		goto out;
	}
	for (;;) {
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN) {
			/* Listen queue full: AF_UNIX does not queue us. */
			if (now_ms() >= deadline) {
				rc = -2;
				goto out;
			}
			poll(NULL, 0, 10);
			continue;
		}
		if (errno != EINPROGRESS) {
			warnx_("connect %s: %s", path, strerror(errno));
			goto out;
		}
		pfd.fd = fd;
		pfd.events = POLLOUT;
		pfd.revents = 0;
		err = poll(&pfd, 1, (int)(deadline - now_ms() > 0 ?
		    deadline - now_ms() : 0));
		if (err == 0) {
			rc = -2;
			goto out;
		}
		sl = sizeof(err);
		if (err == -1 ||
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl) == -1 ||
		    err != 0) {
			warnx_("connect %s: %s", path, strerror(err > 0 ?
			    err : errno));
			goto out;
		}
		break;
	}
	rc = fd;
	fd = -1;
out:
	if (fd != -1)
		close(fd);
	return rc;
}

/*
 * Write n bytes to the blocking descriptor fd.  Returns 0 or -1.
 */
static int
write_all(int fd, const unsigned char *p, size_t n)
{
	ssize_t	 w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			warnx_("write: %s", strerror(errno));
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Act on one complete record (header plus content, no padding): copy
 * STDOUT and STDERR content out, note END_REQUEST in *endp.  Returns 0, or
 * -1 when the record breaks the protocol or output fails (message printed).
 */
static int
handle_record(int type, const unsigned char *c, size_t n, int *endp)
{
	uint32_t	 app;

	switch (type) {
	case FCGI_STDOUT:
		return write_all(STDOUT_FILENO, c, n) == -1 ? -1 : 0;
	case FCGI_STDERR:
		return write_all(STDERR_FILENO, c, n) == -1 ? -1 : 0;
	case FCGI_END_REQUEST:
		if (n != 8) {
			warnx_("END_REQUEST body of %zu bytes", n);
			return -1;
		}
		app = (uint32_t)c[0] << 24 | (uint32_t)c[1] << 16 |
		    (uint32_t)c[2] << 8 | c[3];
		if (c[4] != 0)
			warnx_("END_REQUEST protocolStatus %u appStatus %u",
			    (unsigned)c[4], (unsigned)app);
		*endp = 1;
		return 0;
	default:
		warnx_("unexpected record type %d", type);
		return -1;
	}
}

/*
 * Send req on fd while reading the answer, until FCGI_END_REQUEST.  Sending
 * stops quietly at EPIPE or ECONNRESET (a server may answer 413 and close
 * without reading the body); reading goes on.  Returns an exit status:
 * EX_OK_END, EX_CONN, EX_TIMEOUT or EX_LOCAL.
 */
static int
exchange(int fd, const struct buf *req, int64_t deadline)
{
	/* One whole record always fits: header, content, padding. */
	static unsigned char	 rbuf[FCGI_HEADER_LEN + FCGI_MAX_CONTENT + 255];
	struct pollfd		 pfd;
	size_t			 sent = 0, rlen = 0, need, clen;
	ssize_t			 n;
	int64_t			 left;
	int			 sending = 1, end = 0, pr;

	while (!end) {
		if (sending && sent == req->len)
			sending = 0;
		if ((left = deadline - now_ms()) <= 0) {
			warnx_("timeout");
			return EX_TIMEOUT;
		}
		pfd.fd = fd;
		pfd.events = POLLIN | (sending ? POLLOUT : 0);
		pfd.revents = 0;
		pr = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (pr == -1 && errno == EINTR)
			continue;
		if (pr == -1) {
			warnx_("poll: %s", strerror(errno));
			return EX_LOCAL;
		}
		if (pr == 0)
			continue;	/* the deadline check above ends it */
		if (sending && (pfd.revents & (POLLOUT | POLLERR | POLLHUP))) {
			n = send(fd, req->data + sent, req->len - sent,
			    MSG_NOSIGNAL);
			if (n > 0)
				sent += (size_t)n;
			else if (n == -1 && (errno == EPIPE ||
			    errno == ECONNRESET))
				sending = 0;	/* peer stopped reading */
			else if (n == -1 && errno != EINTR &&
			    errno != EAGAIN) {
				warnx_("send: %s", strerror(errno));
				return EX_CONN;
			}
		}
		if (!(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = recv(fd, rbuf + rlen, sizeof(rbuf) - rlen, 0);
		if (n == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n == 0 || (n == -1 && errno == ECONNRESET)) {
			warnx_("connection closed without END_REQUEST"
			    " (%zu bytes of a record pending)", rlen);
			return EX_CONN;
		}
		if (n == -1) {
			warnx_("recv: %s", strerror(errno));
			return EX_CONN;
		}
		rlen += (size_t)n;
		/* Handle every complete record in the buffer. */
		while (!end && rlen >= FCGI_HEADER_LEN) {
			if (rbuf[0] != FCGI_VERSION_1) {
				warnx_("bad record version %u", rbuf[0]);
				return EX_CONN;
			}
			if (((unsigned)rbuf[2] << 8 | rbuf[3]) !=
			    FCGI_REQUEST_ID) {
				warnx_("record for request id %u",
				    (unsigned)rbuf[2] << 8 | rbuf[3]);
				return EX_CONN;
			}
			clen = (size_t)rbuf[4] << 8 | rbuf[5];
			need = FCGI_HEADER_LEN + clen + rbuf[6];
			if (rlen < need)
				break;
			if (handle_record(rbuf[1], rbuf + FCGI_HEADER_LEN,
			    clen, &end) == -1)
				return EX_CONN;
			memmove(rbuf, rbuf + need, rlen - need);
			rlen -= need;
		}
	}
	if (rlen != 0)
		warnx_("%zu bytes after END_REQUEST", rlen);
	return EX_OK_END;
}

/*
 * Free what the option parser allocated.
 */
static void
free_opts(struct opts *o)
{
	size_t	 i;

	for (i = 0; i < o->nhdrs; i++) {
		free(o->hdrs[i].name);
		free(o->hdrs[i].value);
	}
	for (i = 0; i < o->nparams; i++) {
		free(o->params[i].name);
		free(o->params[i].value);
	}
	buf_free(&o->body);
}

/*
 * Parse the options of one request (argv[0] is the program name or the
 * "--" before them) into o, which holds its defaults.  Returns the number
 * of arguments used, or -1 (message printed).
 */
static int
parse_opts(int argc, char *argv[], struct opts *o)
{
	int	 ch;

	optind = 0;	/* GNU getopt: start afresh at argv[1] */
	while ((ch = getopt(argc, argv, "s:m:u:H:p:d:f:L:P:Nt:")) != -1) {
		switch (ch) {
		case 's':
			o->sock = optarg;
			break;
		case 'm':
			o->method = optarg;
			break;
		case 'u':
			o->uri = optarg;
			break;
		case 'H':
			if (parse_header(optarg, o) == -1)
				return -1;
			break;
		case 'p':
			if (o->nparams >= MAX_ITEMS) {
				warnx_("too many -p options");
				return -1;
			}
			if (parse_param(optarg, &o->params[o->nparams]) == -1)
				return -1;
			o->nparams++;
			break;
		case 'd':
			if (o->hasbody) {
				warnx_("-d and -f: give one body");
				return -1;
			}
			o->hasbody = 1;
			if (strlen(optarg) > MAX_BODY) {
				warnx_("-d: larger than %zu bytes", MAX_BODY);
				return -1;
			}
			if (buf_add(&o->body, optarg, strlen(optarg)) == -1)
				return -1;
			break;
		case 'f':
			if (o->hasbody) {
				warnx_("-d and -f: give one body");
				return -1;
			}
			o->hasbody = 1;
			if (read_file(optarg, &o->body) == -1)
				return -1;
			break;
		case 'L':
			o->clen = optarg;
			break;
		case 'P':
			if (parse_long(optarg, 0, MAX_PAD, &o->npad) == -1) {
				warnx_("-P wants 0..%ld", MAX_PAD);
				return -1;
			}
			break;
		case 'N':
			o->nodefaults = 1;
			break;
		case 't':
			if (parse_long(optarg, 1, MAX_TIMEOUT,
			    &o->timeout) == -1) {
				warnx_("-t wants 1..%ld seconds", MAX_TIMEOUT);
				return -1;
			}
			break;
		default:
			usage();
		}
	}
	/* Operands are not allowed; "--" ends this request's options. */
	if (optind < argc && strcmp(argv[optind - 1], "--") != 0)
		usage();
	return optind;
}

/*
 * Parse the options, connect, and for each request (several, separated
 * by "--", share the connection) build it and exchange.  The exit status
 * is described at the top of this file: the first failure's.
 */
int
main(int argc, char *argv[])
{
	static struct opts	 o;
	struct buf		 req = { NULL, 0, 0 };
	const char		*sock = NULL;
	int			 fd = -1, rc = EX_LOCAL, used, keep;
	int64_t			 deadline;

	/* The server may close before reading everything: see exchange(). */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
		warnx_("signal: %s", strerror(errno));
		goto out;
	}
	for (;;) {
		free_opts(&o);
		memset(&o, 0, sizeof(o));
		o.method = "GET";
		o.uri = "/";
		o.timeout = 10;
		if ((used = parse_opts(argc, argv, &o)) == -1)
			goto out;
		if (fd == -1)
			sock = o.sock;
		else if (o.sock != NULL) {
			warnx_("-s: only before the first --");
			goto out;
		}
		if (sock == NULL)
			usage();
		keep = used < argc;
		deadline = now_ms() + (int64_t)o.timeout * 1000;
		req.len = 0;
		if (build_request(&o, keep, &req) == -1)
			goto out;
		if (fd == -1 && (fd = connect_unix(sock, deadline)) < 0) {
			if (fd == -2)
				warnx_("timeout");
			rc = fd == -2 ? EX_TIMEOUT : EX_CONN;
			fd = -1;
			goto out;
		}
		if ((rc = exchange(fd, &req, deadline)) != EX_OK_END || !keep)
			break;
		if (write_all(STDOUT_FILENO, (const unsigned char *)
		    FCGICLIENT_NEXT, strlen(FCGICLIENT_NEXT)) == -1) {
			rc = EX_LOCAL;
			break;
		}
		/* The next request's options: "--" stands as its argv[0]. */
		argc -= used - 1;
		argv += used - 1;
	}
out:
	if (fd != -1)
		close(fd);
	buf_free(&req);
	free_opts(&o);
	return rc;
}
