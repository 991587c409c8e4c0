/*
 * resp: a response under construction, and its serialisation.
 */
#ifndef SECOND_RESP_H
#define SECOND_RESP_H

#include "buf.h"
#include "err.h"

#define CT_JSON	"application/json; charset=utf-8"
#define CT_HTML	"text/html; charset=utf-8"

struct resp {
	int		 rs_status;	/* HTTP status */
	const char	*rs_ctype;	/* static Content-Type or NULL */
	struct buf	 rs_head;	/* extra "Name: value\r\n" lines */
	struct buf	 rs_body;	/* body bytes */
	enum err	 rs_err;	/* error sent, ERR_OK otherwise */
};

void	 resp_init(struct resp *);
void	 resp_free(struct resp *);
void	 resp_header(struct resp *, const char *, const char *);
void	 resp_json(struct resp *, int status);
void	 resp_error(struct resp *, enum err, const char *message,
	    const char *field);
void	 resp_redirect(struct resp *, int status, const char *location);
int	 resp_render(const struct resp *, const char *req_id,
	    struct buf *out);

#endif
