/*
 * db: the worker's one PostgreSQL connection and request transactions.
 *
 * A request is one transaction.  Its first statement sets the request role
 * and the transaction-local context (user, workspace) in one SELECT; the
 * request's queries follow in the same libpq pipeline, so a read costs one
 * round trip.  After every request the connection is idle again (or
 * reset), so nothing of one request can reach the next.
 */
#ifndef SECOND_DB_H
#define SECOND_DB_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "err.h"
#include "stmt.h"

#define DB_MAXPARAMS	16

struct db;

/* One statement of a batch and, after the batch, its result. */
struct dbq {
	enum stmt	 q_stmt;			/* prepared statement */
	const char	*q_params[DB_MAXPARAMS];	/* text values, NULL = SQL NULL */
	PGresult	*q_res;				/* result (owned) */
};

/* The identity a transaction runs under. */
struct dbctx {
	const char	*c_role;	/* second_member, second_anon ... */
	const char	*c_user_id;	/* NULL or "" for none */
	const char	*c_ws_ref;	/* workspace id or slug, NULL for none */
	const char	*c_subject;	/* external subject, when no user id */
	bool		 c_readonly;	/* BEGIN ... READ ONLY */
};

#define DB_BEGIN	0x01	/* open the transaction with the context */
#define DB_COMMIT	0x02	/* end the transaction */

struct db	*db_new(const char *conninfo);
void		 db_free(struct db *);
bool		 db_connect(struct db *);
enum err	 db_batch(struct db *, const struct dbctx *, int flags,
		    struct dbq *, size_t)
		    __attribute__((warn_unused_result));
enum err	 db_ping(struct db *) __attribute__((warn_unused_result));
void		 db_end_request(struct db *);
void		 db_stats(struct db *, unsigned *roundtrips,
		    unsigned *statements);
void		 dbq_clear(struct dbq *, size_t);
void		 dbq_add(struct dbq *, size_t *, enum stmt, const char *,
		    const char *, const char *, const char *);
enum err	 db_err_from_sqlstate(const char *);

#endif
