/*
 * egress: the one outbound HTTP client (libcurl), locked down.
 *
 * https only, no redirects, no proxies from the environment, the final
 * host equal to the allowed domain or a subdomain of it, no userinfo, and
 * every address the name resolves to, and every address connected to,
 * must be public unless an operator listed its range in
 * egress_allow_cidrs; curl is pinned to the checked answers.  Timeouts,
 * no decompression, capped response headers and a 1 MiB response cap.
 *
 * egress_request is the general entry (tool calls); egress_post_json
 * is a POST of JSON on top of it (provider webhooks).
 */
#ifndef SECOND_EGRESS_H
#define SECOND_EGRESS_H

#include <stdbool.h>
#include <stddef.h>

#include <netinet/in.h>
#include <sys/socket.h>

struct addrinfo;
struct buf;
struct conf;

#define EGRESS_MAX_RESPONSE	(1024 * 1024)
#define EGRESS_CONNECT_MS	5000L
#define EGRESS_MAX_CIDRS	32
#define EGRESS_MAX_HEADERS	32		/* extra request headers */
#define EGRESS_MAX_HEADER_LEN	8192		/* one "Name: value" */
#define EGRESS_MAX_RESP_HEADERS	(64 * 1024)	/* all response headers */
#define EGRESS_CONTENT_TYPE_LEN	256		/* longer values: cut */

/* Why a request produced no response; names in egress_err_name(). */
enum egress_err {
	EGRESS_OK = 0,
	EGRESS_REFUSED_URL,	/* scheme, host outside domain, userinfo, zone */
	EGRESS_REFUSED_REQUEST,	/* method, header or body not allowed */
	EGRESS_REFUSED_ADDRESS,	/* resolved to a non-public address */
	EGRESS_TIMEOUT,		/* total timeout (slow server, slow drip) */
	EGRESS_TOO_LARGE,	/* response body or headers over the cap */
	EGRESS_CONNECT_FAILED,	/* name not resolved, connection failed */
	EGRESS_TLS_FAILED,	/* handshake or certificate */
	EGRESS_PROTOCOL,	/* broken HTTP, connection cut */
	EGRESS_INTERNAL,	/* out of memory, bad configuration */
};

/*
 * One request.  Every pointer is borrowed for the call.  er_domain NULL
 * means the URL's own host (only for URLs the operator configured).
 */
struct egress_req {
	const char		*er_method;	/* GET POST PUT PATCH DELETE */
	const char		*er_url;	/* full https URL */
	const char		*er_domain;	/* allowed domain */
	const char *const	*er_headers;	/* "Name: value" strings */
	size_t			 er_nheaders;	/* <= EGRESS_MAX_HEADERS */
	const char		*er_body;	/* NULL: no body */
	size_t			 er_body_len;
};

/* The outcome: a response (es_err EGRESS_OK), or an error class. */
struct egress_resp {
	long		 es_status;		/* HTTP status, 0 if none */
	char		 es_content_type[EGRESS_CONTENT_TYPE_LEN]; /* "" */
	struct buf	*es_body;		/* caller's; NULL: discard */
	size_t		 es_body_len;		/* bytes received */
	enum egress_err	 es_err;
	bool		 es_retryable;		/* the same call may succeed */
};

struct egress_cidr {
	int		 ec_family;	/* AF_INET or AF_INET6 */
	unsigned char	 ec_addr[16];
	int		 ec_bits;
};

struct egress_call {
	const char	*ec_url;	/* https URL */
	const char	*ec_domain;	/* allowed domain; NULL: the URL's host */
	const char	*ec_body;	/* JSON body */
	size_t		 ec_body_len;
	const char	*ec_sig_header;	/* optional header name */
	const char	*ec_sig;	/* its value */
};

int	 egress_cidrs_parse(const char *, struct egress_cidr *, size_t *);
bool	 egress_addr_public(const struct sockaddr *);
bool	 egress_addr_allowed(const struct sockaddr *,
	    const struct egress_cidr *, size_t);
bool	 egress_answers_allowed(const struct addrinfo *,
	    const struct egress_cidr *, size_t);
bool	 egress_host_matches(const char *host, const char *domain);
int	 egress_request(const struct conf *, const struct egress_req *,
	    struct egress_resp *);
const char *egress_err_name(enum egress_err);
enum egress_err egress_url_check(const struct conf *, const char *url);
int	 egress_post_json(const struct conf *, const struct egress_call *,
	    long *status, struct buf *response);

/* The agent worker, at the operator's WORKER_URL (not the rules above). */
long	 egress_worker_post(const struct conf *, const char *path,
	    const char *body, size_t len);

#endif
