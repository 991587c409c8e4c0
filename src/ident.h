/*
 * ident: what identity a request presents, before the database confirms
 * it.  None mode: the session cookie.  External mode: the web server's
 * REMOTE_USER and configured parameters, or a signed assertion header
 * from an authenticating proxy.  Never a plain client header.
 */
#ifndef SECOND_IDENT_H
#define SECOND_IDENT_H

#include <stdint.h>

#include "err.h"
#include "rctx.h"

#define IDENT_MAX_SUBJECT	255
#define ASSERTION_MAX_AGE	3600	/* seconds an assertion may live */

enum err	 ident_claim(struct rctx *);
void		 ident_claim_free(struct claim *);
int		 ident_assertion_make(const char *secret, const char *sub,
		    const char *email, const char *name, int64_t exp,
		    struct buf *out);

#endif
