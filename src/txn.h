/*
 * txn: the request's transaction, with the repository layer 7 of
 * second-fcgi(8) ("Layers of a request"): the guard decides who and
 * where, this module runs what the request does there.
 *
 * txn_begin opens the transaction under the caller's context (guard.c
 * builds it) with the guard's query first.  A GET is read-only and costs
 * one round trip: the reads its route's pre-hook queued (txn_pre) ride in
 * the same pipeline and the transaction commits at once; handlers read
 * them with txn_pre_res.  Any other method keeps the transaction open for
 * the handler, which continues it with txn_exec and ends it with
 * txn_commit.  Whatever is not committed is rolled back when the request
 * ends (db_end_request).
 */
#ifndef SECOND_TXN_H
#define SECOND_TXN_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "db.h"
#include "err.h"

#define TXN_MAXPRE	4	/* reads a pre-hook may queue */

struct rctx;

/* The request's transaction and the reads queued for it. */
struct txn {
	bool		 t_open;		/* transaction open */
	bool		 t_queued;		/* the pre-hook has run */
	struct dbq	 t_preq[TXN_MAXPRE];	/* the queued reads */
	struct dbb	 t_pre;			/* ... as a batch over t_preq */
};

enum err	 txn_queue(struct rctx *) __attribute__((warn_unused_result));
enum err	 txn_begin(struct rctx *, const struct dbctx *, struct dbb *)
		    __attribute__((warn_unused_result));
enum err	 txn_exec(struct rctx *, struct dbb *)
		    __attribute__((warn_unused_result));
enum err	 txn_commit(struct rctx *, struct dbb *)
		    __attribute__((warn_unused_result));
void		 txn_end(struct rctx *);
struct dbb	*txn_pre_batch(struct rctx *);
const PGresult	*txn_pre_res(const struct rctx *, size_t);
void		 txn_clear(struct rctx *);

/*
 * txn_pre(x, st, params...): queue a read for the GET's first round trip
 * (from a pre-hook), bounded like dbb_add: a read past TXN_MAXPRE or
 * with the wrong parameter count fails the request with ERR_INTERNAL.
 */
#define txn_pre(x, ...)	dbb_add(txn_pre_batch(x), __VA_ARGS__)

#endif
