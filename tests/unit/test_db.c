/*
 * test_db: the data layer without a database.
 *
 * The SQLSTATE -> public error table of db_err_from_sqlstate: insufficient
 * privilege (42501: a missing grant or a row-level security WITH CHECK
 * refusal) is a bug of ours and must be a 500, never a 404 that hides it
 * (issue 19, item 5).
 *
 * Batches (issue 11): dbb_add is bounded by the caller's array and checks
 * each statement's parameter count against the catalogue; a failed add
 * adds nothing, writes nothing past the array, and the batch then fails
 * with ERR_INTERNAL before anything is sent.  The pre-read queue of a
 * request (txn_pre) is bounded the same way, and a pre-hook's error
 * stops the request.
 */
#include "config.h"

#include "db.h"
#include "rctx.h"
#include "route.h"
#include "stmt.h"
#include "txn.h"
#include "unit.h"

/* A database that is not there: batches that reach it are 503. */
#define NO_DB	"host=/nonexistent/second-test dbname=none"

struct state_row {
	const char	*state;
	enum err	 err;
};

static const struct state_row states[] = {
	{ "23505", ERR_CONFLICT },
	{ "23514", ERR_VALIDATION_FAILED },
	{ "23502", ERR_VALIDATION_FAILED },
	{ "23503", ERR_VALIDATION_FAILED },
	{ "22001", ERR_VALIDATION_FAILED },
	{ "22P02", ERR_BAD_REQUEST },
	{ "22021", ERR_BAD_REQUEST },
	{ "42501", ERR_INTERNAL },
	{ "08006", ERR_UNAVAILABLE },
	{ "57P01", ERR_UNAVAILABLE },
	{ "40001", ERR_UNAVAILABLE },
	{ "40P01", ERR_UNAVAILABLE },
	{ "55P03", ERR_UNAVAILABLE },
	{ "53300", ERR_UNAVAILABLE },
	{ "SE404", ERR_NOT_FOUND },
	{ "SE409", ERR_CONFLICT },
	{ "SE422", ERR_VALIDATION_FAILED },
	{ "SE403", ERR_FORBIDDEN },
	{ "SE429", ERR_OAUTH_TOO_MANY_PENDING },
	{ "42P01", ERR_INTERNAL },
	{ "P0001", ERR_INTERNAL },
	{ "4250", ERR_INTERNAL },
	{ "425011", ERR_INTERNAL },
	{ "", ERR_INTERNAL },
	{ NULL, ERR_INTERNAL },
};

static void
test_states(void)
{
	size_t		 i;
	enum err	 got;

	for (i = 0; i < UNIT_NCASES(states); i++) {
		got = db_err_from_sqlstate(states[i].state);
		UNIT_CHECK(got == states[i].err, "%s: got %d want %d",
		    UNIT_S(states[i].state), got, states[i].err);
	}
}

/* Statements of the right count, NULLs among them, fill the batch. */
static void
test_batch_add(void)
{
	struct dbq	 qs[3];
	struct dbb	 b = DBB_ARRAY(qs);

	CU_ASSERT_EQUAL(b.bb_cap, 3);
	dbb_add(&b, ST_GUARD);
	dbb_add(&b, ST_APP_REFS, "{a}", "{b}");
	/* NULL is SQL NULL, a parameter like any other. */
	dbb_add(&b, ST_DATA_GET, NULL, "draft", NULL, NULL);
	CU_ASSERT_FALSE(b.bb_bad);
	CU_ASSERT_EQUAL(b.bb_n, 3);
	CU_ASSERT_EQUAL(qs[0].q_stmt, ST_GUARD);
	CU_ASSERT_EQUAL(qs[1].q_stmt, ST_APP_REFS);
	CU_ASSERT_STRING_EQUAL(qs[1].q_params[0], "{a}");
	CU_ASSERT_STRING_EQUAL(qs[1].q_params[1], "{b}");
	CU_ASSERT_PTR_NULL(qs[1].q_params[2]);
	CU_ASSERT_PTR_NULL(qs[2].q_params[0]);
	CU_ASSERT_STRING_EQUAL(qs[2].q_params[1], "draft");
	CU_ASSERT_PTR_NULL(qs[2].q_params[3]);
	CU_ASSERT_PTR_NULL(qs[2].q_res);
	CU_ASSERT_PTR_NULL(dbb_res(&b, 3));
	dbb_reset(&b);
	CU_ASSERT_EQUAL(b.bb_n, 0);
}

/* A full batch refuses the next statement and touches nothing past. */
static void
test_batch_overflow(void)
{
	struct dbq	 qs[3];
	struct dbb	 b = { qs, 2, 0, false };

	memset(&qs[2], 0xa5, sizeof(qs[2]));
	dbb_add(&b, ST_APP_GET, "a");
	dbb_add(&b, ST_APP_GET, "b");
	CU_ASSERT_FALSE(b.bb_bad);
	dbb_add(&b, ST_APP_GET, "c");
	CU_ASSERT_TRUE(b.bb_bad);
	CU_ASSERT_EQUAL(b.bb_n, 2);
	CU_ASSERT_EQUAL(((unsigned char *)&qs[2])[0], 0xa5);
	CU_ASSERT_EQUAL(((unsigned char *)&qs[2])[sizeof(qs[2]) - 1], 0xa5);
	CU_ASSERT_STRING_EQUAL(qs[1].q_params[0], "b");
	/* Still refused: the batch stays failed until it is reset. */
	dbb_reset(&b);
	CU_ASSERT_FALSE(b.bb_bad);
	dbb_add(&b, ST_APP_GET, "d");
	CU_ASSERT_EQUAL(b.bb_n, 1);
}

/* Too many, too few, or a statement the catalogue does not have. */
static void
test_batch_count(void)
{
	struct dbq	 qs[4];
	struct dbb	 b = DBB_ARRAY(qs);

	dbb_add(&b, ST_APP_GET, "a", "b");
	CU_ASSERT_TRUE(b.bb_bad);
	CU_ASSERT_EQUAL(b.bb_n, 0);
	dbb_reset(&b);
	dbb_add(&b, ST_APP_GET);
	CU_ASSERT_TRUE(b.bb_bad);
	dbb_reset(&b);
	dbb_add(&b, ST_AUDIT, "id", "event", "outcome", "type", "target");
	CU_ASSERT_TRUE(b.bb_bad);
	dbb_reset(&b);
	dbb_add(&b, ST_GUARD, NULL);
	CU_ASSERT_TRUE(b.bb_bad);
	dbb_reset(&b);
	dbb_add(&b, ST__MAX);
	CU_ASSERT_TRUE(b.bb_bad);
	CU_ASSERT_EQUAL(b.bb_n, 0);
}

/* A failed add fails the whole batch, unsent; a good one is sent. */
static void
test_batch_run(void)
{
	struct db	*db;
	struct dbq	 qs[1];
	struct dbb	 b = DBB_ARRAY(qs);

	if ((db = db_new(NO_DB)) == NULL) {
		CU_FAIL("out of memory");
		return;
	}
	dbb_add(&b, ST_PING);
	dbb_add(&b, ST_PING);
	CU_ASSERT_TRUE(b.bb_bad);
	CU_ASSERT_EQUAL(db_batch(db, NULL, 0, &b), ERR_INTERNAL);
	dbb_reset(&b);
	dbb_add(&b, ST_PING);
	/* Sent: the missing server answers, not the batch. */
	CU_ASSERT_EQUAL(db_batch(db, NULL, 0, &b), ERR_UNAVAILABLE);
	dbb_clear(&b);
	db_free(db);
}

static int	 hook_runs;

/* A pre-hook that queues one read more than a request may. */
static enum err
hook_too_many(struct rctx *x)
{
	size_t	 i;

	hook_runs++;
	for (i = 0; i <= TXN_MAXPRE; i++)
		txn_pre(x, ST_APP_GET, "a");
	return ERR_OK;
}

/* A pre-hook that fails. */
static enum err
hook_fails(struct rctx *x)
{
	hook_runs++;
	txn_pre(x, ST_MY_WORKSPACES);
	return ERR_UNAVAILABLE;
}

/*
 * The pre-read queue: bounded at TXN_MAXPRE (the request's first round
 * trip then fails with ERR_INTERNAL, nothing sent), run once, and a
 * hook's error is the request's.
 */
static void
test_txn_pre(void)
{
	struct route	 rt = { .rt_method = M_GET, .rt_pre = hook_too_many };
	struct dbctx	 ctx = { "second_member", NULL, NULL, NULL, false, NULL };
	struct rctx	 x;
	struct dbq	 q;
	struct dbb	 b = DBB_ONE(q);

	memset(&x, 0, sizeof(x));
	x.x_route = &rt;
	if ((x.x_db = db_new(NO_DB)) == NULL) {
		CU_FAIL("out of memory");
		return;
	}
	hook_runs = 0;
	CU_ASSERT_EQUAL(txn_queue(&x), ERR_OK);
	CU_ASSERT_EQUAL(txn_queue(&x), ERR_OK);
	CU_ASSERT_EQUAL(hook_runs, 1);
	CU_ASSERT_EQUAL(x.x_txn.t_pre.bb_n, TXN_MAXPRE);
	CU_ASSERT_TRUE(x.x_txn.t_pre.bb_bad);
	CU_ASSERT_PTR_NULL(txn_pre_res(&x, TXN_MAXPRE));
	dbb_add(&b, ST_GUARD);
	CU_ASSERT_EQUAL(txn_begin(&x, &ctx, &b), ERR_INTERNAL);
	CU_ASSERT_FALSE(x.x_txn.t_open);
	/* Not a read-only request: its reads are never queued. */
	memset(&x.x_txn, 0, sizeof(x.x_txn));
	rt.rt_method = M_POST;
	CU_ASSERT_EQUAL(txn_queue(&x), ERR_OK);
	CU_ASSERT_EQUAL(hook_runs, 1);
	/* Outside a transaction nothing runs. */
	CU_ASSERT_EQUAL(txn_exec(&x, &b), ERR_INTERNAL);
	CU_ASSERT_EQUAL(txn_commit(&x, &b), ERR_INTERNAL);
	/* A failing hook stops the request with its error. */
	memset(&x.x_txn, 0, sizeof(x.x_txn));
	rt.rt_method = M_GET;
	rt.rt_pre = hook_fails;
	CU_ASSERT_EQUAL(txn_queue(&x), ERR_UNAVAILABLE);
	txn_clear(&x);
	dbb_clear(&b);
	db_free(x.x_db);
}

/* A test route state type that counts what it frees. */
static int	 state_frees;

static void
state_free(void *p)
{
	(void)p;
	state_frees++;
}

static const struct route_state_type state_a = { "a", 16, state_free };
static const struct route_state_type state_b = { "b", 8, NULL };

/* One owned slot: made once, typed, freed with the request. */
static void
test_route_state(void)
{
	struct rctx	 x;
	void		*p;

	memset(&x, 0, sizeof(x));
	state_frees = 0;
	CU_ASSERT_PTR_NULL(route_state(&x, &state_a));
	p = route_state_new(&x, &state_a);
	CU_ASSERT_PTR_NOT_NULL(p);
	CU_ASSERT_PTR_EQUAL(route_state_new(&x, &state_a), p);
	CU_ASSERT_PTR_EQUAL(route_state(&x, &state_a), p);
	/* Another type never gets the slot. */
	CU_ASSERT_PTR_NULL(route_state(&x, &state_b));
	CU_ASSERT_PTR_NULL(route_state_new(&x, &state_b));
	route_state_free(&x);
	CU_ASSERT_EQUAL(state_frees, 1);
	CU_ASSERT_PTR_NULL(route_state(&x, &state_a));
	route_state_free(&x);
	CU_ASSERT_EQUAL(state_frees, 1);
}

static const struct unit_case cases[] = {
	{ "SQLSTATE table", test_states },
	{ "batch: add", test_batch_add },
	{ "batch: overflow", test_batch_overflow },
	{ "batch: parameter count", test_batch_count },
	{ "batch: a failed add fails the run", test_batch_run },
	{ "txn: the pre-read queue", test_txn_pre },
	{ "route state slot", test_route_state },
};

UNIT_MAIN("db", cases)
