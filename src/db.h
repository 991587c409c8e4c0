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

#include <signal.h>
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

/*
 * A batch: the statements of one round trip, in an array the caller owns
 * (DBB_ARRAY, DBB_ONE).  dbb_add is the one way to fill it: it checks
 * the statement's parameter count against the catalogue and the array's
 * capacity.  A failed add is logged with the statement's name, adds
 * nothing and marks the batch, which then fails with ERR_INTERNAL when it
 * runs: never a batch short of a statement, never a write past the array.
 */
struct dbb {
	struct dbq	*bb_q;		/* the caller's array */
	size_t		 bb_cap;	/* its length */
	size_t		 bb_n;		/* statements added */
	bool		 bb_bad;	/* an add failed: running it fails */
};

/* A batch over an array (not a pointer: its size is the capacity). */
#define DBB_ARRAY(qs)	{ (qs), sizeof(qs) / sizeof((qs)[0]), 0, false }
/* A batch of one statement, over a single struct dbq. */
#define DBB_ONE(q)	{ &(q), 1, 0, false }

/*
 * dbb_add(b, st, params...): append statement st and its text parameters
 * (NULL is SQL NULL) to batch b.  The macro counts the parameters for
 * dbb_push (at most DB_MAXPARAMS; more does not compile).
 */
#define dbb_add(...)	DBB_PICK_(__VA_ARGS__, \
	DBB_N_, DBB_N_, DBB_N_, DBB_N_, DBB_N_, DBB_N_, DBB_N_, DBB_N_, \
	DBB_N_, DBB_N_, DBB_N_, DBB_N_, DBB_N_, DBB_N_, DBB_N_, DBB_N_, \
	DBB_0_, -)(__VA_ARGS__)
#define DBB_0_(b, st)	dbb_push((b), (st), NULL, 0)
#define DBB_N_(b, st, ...) dbb_push((b), (st), \
	(const char *const []){ __VA_ARGS__ }, \
	sizeof((const char *const []){ __VA_ARGS__ }) / sizeof(const char *))
#define DBB_PICK_(b, st, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, \
	p12, p13, p14, p15, p16, m, ...) m

/* The identity a transaction runs under. */
struct dbctx {
	const char	*c_role;	/* second_member, second_anon ... */
	const char	*c_user_id;	/* NULL or "" for none */
	const char	*c_ws_ref;	/* workspace id or slug, NULL for none */
	const char	*c_subject;	/* external subject, when no user id */
	bool		 c_readonly;	/* BEGIN ... READ ONLY */
	const char	*c_app_id;	/* internal calls: the app; else NULL */
};

#define DB_BEGIN	0x01	/* open the transaction with the context */
#define DB_COMMIT	0x02	/* end the transaction */

struct db	*db_new(const char *conninfo);
void		 db_free(struct db *);
bool		 db_connect(struct db *);
enum err	 db_batch(struct db *, const struct dbctx *, int flags,
		    struct dbb *) __attribute__((warn_unused_result));
enum err	 db_ping(struct db *) __attribute__((warn_unused_result));
void		 db_end_request(struct db *);
int		 db_wait_notify(struct db *, int timeout_ms, const sigset_t *);
void		 db_stats(struct db *, unsigned *roundtrips,
		    unsigned *statements);
void		 dbb_push(struct dbb *, enum stmt, const char *const *,
		    size_t);
const PGresult	*dbb_res(const struct dbb *, size_t);
void		 dbb_clear(struct dbb *);
void		 dbb_reset(struct dbb *);
enum err	 db_err_from_sqlstate(const char *);

#endif
