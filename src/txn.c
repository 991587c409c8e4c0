/*
 * txn: the request's transaction (see txn.h).
 *
 * Reads cost one round trip: for a GET the pipeline holds BEGIN READ
 * ONLY, the context statement, the guard's query, the route's queued
 * reads and COMMIT.  The reads run before C has seen the guard's answer;
 * that is safe because they run under the caller's role and context, so
 * row-level security returns nothing the caller may not see, and C
 * discards them unless the guard passes.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "db.h"
#include "err.h"
#include "log.h"
#include "rctx.h"
#include "req.h"
#include "route.h"
#include "stmt.h"
#include "txn.h"

#define TXN_MAXLEAD	1	/* statements before the queued reads */

/* A GET's transaction is read-only and ends with its first round trip. */
static bool
txn_readonly(const struct rctx *x)
{
	return x->x_route->rt_method == M_GET;
}

/*
 * The batch of reads a pre-hook fills (through txn_pre), over the
 * request's own array.
 */
struct dbb *
txn_pre_batch(struct rctx *x)
{
	struct txn	*t = &x->x_txn;

	if (t->t_pre.bb_q == NULL) {
		t->t_pre.bb_q = t->t_preq;
		t->t_pre.bb_cap = TXN_MAXPRE;
	}
	return &t->t_pre;
}

/*
 * Run the route's pre-hook, once per request and only for a GET: it
 * queues the reads that ride with the guard's query.  Returns the hook's
 * error (the request stops with it), or ERR_OK.
 */
enum err
txn_queue(struct rctx *x)
{
	const struct route	*rt = x->x_route;

	if (x->x_txn.t_queued || !txn_readonly(x) || rt->rt_pre == NULL)
		return ERR_OK;
	x->x_txn.t_queued = true;
	return rt->rt_pre(x);
}

/* Append the statements of from to to, as dbb_add would. */
static void
txn_append(struct dbb *to, const struct dbb *from)
{
	size_t	 i;

	for (i = 0; i < from->bb_n; i++)
		dbb_push(to, from->bb_q[i].q_stmt, from->bb_q[i].q_params,
		    (size_t)stmt_defs[from->bb_q[i].q_stmt].sd_nparams);
	if (from->bb_bad)
		to->bb_bad = true;
}

/*
 * Open the request transaction under ctx (its c_readonly is decided
 * here) and run b (at most TXN_MAXLEAD statements) first.  For a GET the
 * queued reads follow and the transaction commits in the same round
 * trip; otherwise it stays open for txn_exec and txn_commit.  Results are
 * left in b's statements and in the queued reads (txn_pre_res); the
 * caller clears b.  Returns the batch's error; the transaction is then
 * rolled back.
 */
enum err
txn_begin(struct rctx *x, const struct dbctx *ctx, struct dbb *b)
{
	struct txn	*t = &x->x_txn;
	struct dbb	*pre = txn_pre_batch(x);
	struct dbq	 qs[TXN_MAXLEAD + TXN_MAXPRE], *to;
	struct dbb	 all = DBB_ARRAY(qs);
	struct dbctx	 c = *ctx;
	size_t		 i;
	int		 flags = DB_BEGIN;
	enum err	 rc = ERR_INTERNAL;

	dbb_clear(pre);		/* a retry's reads run again */
	c.c_readonly = txn_readonly(x);
	txn_append(&all, b);
	if (c.c_readonly) {
		txn_append(&all, pre);
		flags |= DB_COMMIT;
	}
	rc = db_batch(x->x_db, &c, flags, &all);
	/* Hand the results back, in the order they were appended. */
	for (i = 0; i < all.bb_n; i++) {
		to = i < b->bb_n ? &b->bb_q[i] : &pre->bb_q[i - b->bb_n];
		PQclear(to->q_res);
		to->q_res = qs[i].q_res;
		qs[i].q_res = NULL;
	}
	t->t_open = rc == ERR_OK && !(flags & DB_COMMIT);
	return rc;
}

/*
 * Run b (NULL: nothing) in the open request transaction: one round trip.
 * ERR_INTERNAL when none is open; on any error the transaction is rolled
 * back and closed.  The caller clears b.
 */
enum err
txn_exec(struct rctx *x, struct dbb *b)
{
	enum err	 rc = ERR_INTERNAL;

	if (!x->x_txn.t_open) {
		log_err("txn: no open transaction to run in");
		goto out;
	}
	if ((rc = db_batch(x->x_db, NULL, 0, b)) != ERR_OK)
		x->x_txn.t_open = false;	/* db_batch rolled back */
out:
	return rc;
}

/*
 * Run b (NULL: nothing) and COMMIT the request transaction, in one round
 * trip.  ERR_INTERNAL when none is open.  The transaction is closed
 * whatever the outcome; the caller clears b.
 */
enum err
txn_commit(struct rctx *x, struct dbb *b)
{
	enum err	 rc = ERR_INTERNAL;

	if (!x->x_txn.t_open) {
		log_err("txn: no open transaction to commit");
		goto out;
	}
	rc = db_batch(x->x_db, NULL, DB_COMMIT, b);
	x->x_txn.t_open = false;
out:
	return rc;
}

/*
 * End the request transaction now, rolling back what it did not commit
 * (before a transaction of its own: a denial's audit event, an identity
 * write).  The connection is idle afterwards.
 */
void
txn_end(struct rctx *x)
{
	db_end_request(x->x_db);
	x->x_txn.t_open = false;
}

/*
 * The result of queued read i (in the order queued), or NULL when there
 * is none: not queued, or the round trip failed.
 */
const PGresult *
txn_pre_res(const struct rctx *x, size_t i)
{
	const struct txn	*t = &x->x_txn;

	return i < t->t_pre.bb_n ? t->t_preq[i].q_res : NULL;
}

/*
 * Free the results of the queued reads (end of the request).
 */
void
txn_clear(struct rctx *x)
{
	if (x->x_txn.t_pre.bb_q != NULL)
		dbb_clear(&x->x_txn.t_pre);
}
