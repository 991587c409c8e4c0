/*
 * egress: the one outbound HTTP client (libcurl), locked down.
 *
 * https only, no redirects, no proxies from the environment, the final
 * host equal to the allowed domain or a subdomain of it, no userinfo, and
 * every address connected to must be public unless an operator listed
 * its range in egress_allow_cidrs.  Timeouts and a 1 MiB response cap.
 */
#ifndef SECOND_EGRESS_H
#define SECOND_EGRESS_H

#include <stdbool.h>
#include <stddef.h>

#include <netinet/in.h>
#include <sys/socket.h>

struct buf;
struct conf;

#define EGRESS_MAX_RESPONSE	(1024 * 1024)
#define EGRESS_TIMEOUT_MS	30000L
#define EGRESS_CONNECT_MS	5000L
#define EGRESS_MAX_CIDRS	32

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
bool	 egress_host_matches(const char *host, const char *domain);
int	 egress_post_json(const struct conf *, const struct egress_call *,
	    long *status, struct buf *response);

/* The agent worker, at the operator's WORKER_URL (not the rules above). */
long	 egress_worker_post(const struct conf *, const char *path,
	    const char *body, size_t len);

#endif
