/*
 * db: connection, prepared statements, pipelined request transactions
 * (see db.h).
 *
 * The connection is opened lazily and re-opened after any failure with a
 * capped exponential backoff, so a worker never exits because PostgreSQL
 * is away and answers 503 until it is back.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "db.h"
#include "err.h"
#include "log.h"
#include "stmt.h"

#define BACKOFF_MIN_MS	50
#define BACKOFF_MAX_MS	1000

/*
 * The transaction's own statements, prepared once per connection like the
 * catalogue's: sent as unnamed statements, PostgreSQL parsed both on every
 * request.
 */
enum txc {
	TXC_BEGIN_RO,
	TXC_BEGIN,
	TXC_COMMIT,
	TXC__MAX
};

static const struct {
	const char	*t_name;
	const char	*t_sql;
} txc_defs[] = {
	[TXC_BEGIN_RO] = { "second_begin_ro",
	    "BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY" },
	[TXC_BEGIN] = { "second_begin", "BEGIN" },
	[TXC_COMMIT] = { "second_commit", "COMMIT" },
};

struct db {
	PGconn		*db_conn;	/* NULL when disconnected */
	char		*db_conninfo;	/* libpq conninfo or URI */
	long long	 db_next_ms;	/* earliest next connect attempt */
	unsigned	 db_backoff_ms;	/* current backoff */
	unsigned	 db_rt;		/* round trips this request */
	unsigned	 db_stmts;	/* statements this request */
	bool		 db_prepared[ST__MAX]; /* prepared on this connection */
	bool		 db_txc_prepared[TXC__MAX]; /* txc_defs, likewise */
};

/* What a pipeline sent, in order, so results can be matched. */
enum sent_kind {
	SENT_BEGIN,
	SENT_CTX,
	SENT_PREPARE,	/* of statement s_stmt */
	SENT_PREPARE_TXC, /* of txc_defs[s_index] */
	SENT_QUERY,	/* qs[s_index] */
	SENT_COMMIT,
};

struct sent {
	enum sent_kind	 s_kind;
	enum stmt	 s_stmt;
	size_t		 s_index;
};

static long long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * A handle for "conninfo" (copied).  Does not connect.  NULL on memory
 * exhaustion.
 */
struct db *
db_new(const char *conninfo)
{
	struct db	*db;

	if ((db = calloc(1, sizeof(*db))) == NULL)
		return NULL;
	if ((db->db_conninfo = strdup(conninfo)) == NULL) {
		free(db);
		return NULL;
	}
	return db;
}

/*
 * Close the connection and free the handle.  NULL is a no-op.
 */
void
db_free(struct db *db)
{
	if (db == NULL)
		return;
	if (db->db_conn != NULL)
		PQfinish(db->db_conn);
	free(db->db_conninfo);
	free(db);
}

static void
db_drop(struct db *db)
{
	if (db->db_conn != NULL)
		PQfinish(db->db_conn);
	db->db_conn = NULL;
	db->db_backoff_ms = db->db_backoff_ms == 0 ? BACKOFF_MIN_MS :
	    db->db_backoff_ms * 2;
	if (db->db_backoff_ms > BACKOFF_MAX_MS)
		db->db_backoff_ms = BACKOFF_MAX_MS;
	db->db_next_ms = now_ms() + db->db_backoff_ms;
}

/*
 * Make sure the connection is up, connecting if needed and the backoff
 * allows.  Statements are prepared on first use, in the pipeline that
 * first needs them.  Returns true when usable.
 */
bool
db_connect(struct db *db)
{
	const char *const	 keys[] = { "dbname", "connect_timeout",
				    "application_name", NULL };
	const char		*vals[] = { db->db_conninfo, "3",
				    "second-fcgi", NULL };

	if (db->db_conn != NULL && PQstatus(db->db_conn) == CONNECTION_OK)
		return true;
	if (db->db_conn != NULL)
		db_drop(db);
	if (now_ms() < db->db_next_ms)
		return false;
	db->db_conn = PQconnectdbParams(keys, vals, 1);
	if (db->db_conn == NULL || PQstatus(db->db_conn) != CONNECTION_OK) {
		log_warn("db: connect failed: %s", db->db_conn ?
		    PQerrorMessage(db->db_conn) : "out of memory");
		db_drop(db);
		return false;
	}
	memset(db->db_prepared, 0, sizeof(db->db_prepared));
	memset(db->db_txc_prepared, 0, sizeof(db->db_txc_prepared));
	db->db_backoff_ms = 0;
	db->db_next_ms = 0;
	log_info("db: connected");
	return true;
}

/* Map a SQLSTATE to the public error table (err_from_sqlstate). */
enum err
db_err_from_sqlstate(const char *s)
{
	return err_from_sqlstate(s);
}

/* Record and log the first error of a batch. */
static enum err
db_result_error(struct db *db, const PGresult *res, const char *what)
{
	const char	*state, *msg;
	enum err	 e;

	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	e = state ? db_err_from_sqlstate(state) : ERR_UNAVAILABLE;
	if (e == ERR_INTERNAL || e == ERR_UNAVAILABLE)
		log_warn("db: %s: %s %s", what, state ? state : "-",
		    msg ? msg : "");
	else
		log_info("db: %s: %s %s", what, state, msg ? msg : "");
	return e;
}

/* Queue statement st (preparing it first if this connection has not). */
static bool
send_stmt(struct db *db, enum stmt st, const char *const *params,
    struct sent *sent, size_t *ns, size_t index)
{
	PGconn	*c = db->db_conn;

	if (st >= ST__MAX)
		return false;
	if (!db->db_prepared[st]) {
		if (PQsendPrepare(c, stmt_defs[st].sd_name, stmt_defs[st].sd_sql,
		    stmt_defs[st].sd_nparams, NULL) != 1)
			return false;
		/* Once per pipeline too; undone below if it fails. */
		db->db_prepared[st] = true;
		sent[(*ns)++] = (struct sent){ SENT_PREPARE, st, 0 };
	}
	if (PQsendQueryPrepared(c, stmt_defs[st].sd_name,
	    stmt_defs[st].sd_nparams, params, NULL, NULL, 0) != 1)
		return false;
	sent[(*ns)++] = (struct sent){ index == (size_t)-1 ? SENT_CTX :
	    SENT_QUERY, st, index };
	return true;
}

/* Queue txc_defs[t] as kind (preparing it first if this connection has not). */
static bool
send_txc(struct db *db, enum txc t, enum sent_kind kind, struct sent *sent,
    size_t *ns)
{
	PGconn	*c = db->db_conn;

	if (!db->db_txc_prepared[t]) {
		if (PQsendPrepare(c, txc_defs[t].t_name, txc_defs[t].t_sql, 0,
		    NULL) != 1)
			return false;
		db->db_txc_prepared[t] = true;
		sent[(*ns)++] = (struct sent){ SENT_PREPARE_TXC, ST__MAX, t };
	}
	if (PQsendQueryPrepared(c, txc_defs[t].t_name, 0, NULL, NULL, NULL,
	    0) != 1)
		return false;
	sent[(*ns)++] = (struct sent){ kind, ST__MAX, 0 };
	return true;
}

/*
 * Send and collect one pipeline.  Returns ERR_OK, the mapped error of the
 * first failed statement, or ERR_UNAVAILABLE when the connection broke
 * (*broken set).  Results of qs are stored in qs[i].q_res.
 */
static enum err
db_pipeline(struct db *db, const struct dbctx *ctx, int flags,
    struct dbq *qs, size_t nq, bool *broken)
{
	PGconn		*c = db->db_conn;
	PGresult	*res;
	struct sent	*sent = NULL;
	const char	*ctxp[5];
	ExecStatusType	 st;
	size_t		 ns = 0, i, nstmts = 0;
	enum err	 rc = ERR_OK;	/* the first failed statement's */
	const char	*what;

	*broken = false;
	if ((sent = calloc(2 * nq + 6, sizeof(*sent))) == NULL)
		return ERR_INTERNAL;
	if (PQenterPipelineMode(c) != 1)
		goto broke;
	if (flags & DB_BEGIN) {
		if (!send_txc(db, ctx->c_readonly ? TXC_BEGIN_RO : TXC_BEGIN,
		    SENT_BEGIN, sent, &ns))
			goto broke;
		ctxp[0] = ctx->c_role;
		ctxp[1] = ctx->c_user_id;
		ctxp[2] = ctx->c_ws_ref;
		ctxp[3] = ctx->c_subject;
		ctxp[4] = ctx->c_app_id;
		if (!send_stmt(db, ST_CTX, ctxp, sent, &ns, (size_t)-1))
			goto broke;
	}
	for (i = 0; i < nq; i++)
		if (!send_stmt(db, qs[i].q_stmt, qs[i].q_params, sent, &ns, i))
			goto broke;
	if (flags & DB_COMMIT) {
		if (!send_txc(db, TXC_COMMIT, SENT_COMMIT, sent, &ns))
			goto broke;
	}
	if (PQpipelineSync(c) != 1)
		goto broke;
	db->db_rt++;

	/* Collect in the order sent. */
	for (i = 0; i < ns; i++) {
		if ((res = PQgetResult(c)) == NULL)
			goto broke;
		st = PQresultStatus(res);
		what = sent[i].s_kind == SENT_BEGIN ? "begin" :
		    sent[i].s_kind == SENT_COMMIT ? "commit" :
		    sent[i].s_kind == SENT_PREPARE_TXC ?
		    txc_defs[sent[i].s_index].t_name :
		    stmt_defs[sent[i].s_stmt].sd_name;
		if (sent[i].s_kind != SENT_PREPARE &&
		    sent[i].s_kind != SENT_PREPARE_TXC)
			nstmts++;
		if (st == PGRES_FATAL_ERROR && rc == ERR_OK)
			rc = db_result_error(db, res, what);
		else if (st == PGRES_PIPELINE_ABORTED && rc == ERR_OK)
			rc = ERR_INTERNAL;
		if (sent[i].s_kind == SENT_PREPARE && st != PGRES_COMMAND_OK)
			db->db_prepared[sent[i].s_stmt] = false;
		if (sent[i].s_kind == SENT_PREPARE_TXC &&
		    st != PGRES_COMMAND_OK)
			db->db_txc_prepared[sent[i].s_index] = false;
		if (sent[i].s_kind == SENT_COMMIT && st == PGRES_COMMAND_OK &&
		    strcmp(PQcmdStatus(res), "COMMIT") != 0 && rc == ERR_OK)
			rc = ERR_INTERNAL;	/* ROLLBACK reported */
		if (sent[i].s_kind == SENT_QUERY) {
			PQclear(qs[sent[i].s_index].q_res);
			qs[sent[i].s_index].q_res = res;
		} else
			PQclear(res);
		/* Each statement's results end with NULL. */
		if ((res = PQgetResult(c)) != NULL) {
			PQclear(res);
			goto broke;
		}
	}
	db->db_stmts += (unsigned)nstmts;
	if ((res = PQgetResult(c)) == NULL)
		goto broke;
	st = PQresultStatus(res);
	PQclear(res);
	if (st != PGRES_PIPELINE_SYNC)
		goto broke;
	if (PQexitPipelineMode(c) != 1)
		goto broke;
	free(sent);
	return rc;
broke:
	free(sent);
	*broken = true;
	if (PQstatus(c) != CONNECTION_OK)
		log_warn("db: connection lost: %s", PQerrorMessage(c));
	else
		log_err("db: pipeline failed: %s", PQerrorMessage(c));
	db_drop(db);
	return ERR_UNAVAILABLE;
}

/* Free the results of qs[0..n) and clear their pointers. */
static void
dbq_clear(struct dbq *qs, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		PQclear(qs[i].q_res);
		qs[i].q_res = NULL;
	}
}

/*
 * Run the statements of batch b (NULL: none) in one round trip.  With
 * DB_BEGIN the batch opens the request transaction under ctx; with
 * DB_COMMIT it ends it.  A batch without DB_BEGIN continues the open
 * transaction, or runs on its own when none is open.  On any error the
 * transaction is rolled back before returning, so the connection is
 * idle; a batch an add failed on (bb_bad) is ERR_INTERNAL without being
 * sent.
 *
 * If the connection turns out dead (a restarted server: a broken pipe, or
 * an administrator-shutdown error on the first statement), the batch is
 * sent once more on a new connection, but only when repeating it cannot
 * apply anything twice: a read-only transaction, a transaction this batch
 * opens but does not commit (a dead connection aborted it), or a
 * statement outside any transaction (the ping, the idempotent session
 * key).  A batch that commits writes is never repeated: its commit may
 * have landed before the connection died.
 * Results are in b's statements' q_res (free with dbb_clear).
 */
enum err
db_batch(struct db *db, const struct dbctx *ctx, int flags, struct dbb *b)
{
	struct dbq	*qs = b != NULL ? b->bb_q : NULL;
	size_t		 nq = b != NULL ? b->bb_n : 0;
	enum err	 rc = ERR_INTERNAL;
	bool		 broken, repeatable;
	int		 attempt;

	if (b != NULL && b->bb_bad) {
		log_err("db: a statement could not be added to the batch");
		goto out;
	}
	for (attempt = 0; attempt < 2; attempt++) {
		repeatable = (flags & DB_BEGIN) ?
		    ctx->c_readonly || !(flags & DB_COMMIT) :
		    db->db_conn == NULL ||
		    PQtransactionStatus(db->db_conn) == PQTRANS_IDLE;
		if (!db_connect(db)) {
			rc = ERR_UNAVAILABLE;
			goto out;
		}
		rc = db_pipeline(db, ctx, flags, qs, nq, &broken);
		if (!broken && rc == ERR_UNAVAILABLE &&
		    PQstatus(db->db_conn) != CONNECTION_OK) {
			db_drop(db);
			broken = true;
		}
		if (!broken)
			break;
		if (!repeatable || attempt > 0) {
			rc = ERR_UNAVAILABLE;	/* dropped: nothing to end */
			goto out;
		}
		dbq_clear(qs, nq);
		db->db_next_ms = 0;	/* retry at once, once */
	}
out:
	if (rc != ERR_OK)
		db_end_request(db);
	return rc;
}

/*
 * Readiness: one "SELECT 1" outside any transaction.
 */
enum err
db_ping(struct db *db)
{
	struct dbq	 q;
	struct dbb	 b = DBB_ONE(q);
	enum err	 rc = ERR_INTERNAL;

	dbb_add(&b, ST_PING);
	rc = db_batch(db, NULL, 0, &b);
	dbb_clear(&b);
	return rc;
}

/*
 * End of request: whatever happened, leave the connection idle.  An open
 * or failed transaction is rolled back; if that fails the connection is
 * dropped (and re-opened by the next request).  Also resets the per
 * request counters after they have been read.
 */
void
db_end_request(struct db *db)
{
	PGresult	*res;

	if (db->db_conn == NULL)
		return;
	if (PQstatus(db->db_conn) != CONNECTION_OK) {
		db_drop(db);
		return;
	}
	if (PQpipelineStatus(db->db_conn) != PQ_PIPELINE_OFF ||
	    PQtransactionStatus(db->db_conn) == PQTRANS_ACTIVE) {
		log_err("db: connection left busy, resetting");
		db_drop(db);
		return;
	}
	if (PQtransactionStatus(db->db_conn) == PQTRANS_IDLE)
		return;
	res = PQexec(db->db_conn, "ROLLBACK");
	db->db_rt++;
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK ||
	    PQtransactionStatus(db->db_conn) != PQTRANS_IDLE) {
		log_err("db: rollback failed, resetting connection");
		PQclear(res);
		db_drop(db);
		return;
	}
	PQclear(res);
}

/* Drain the notifications libpq has read; true when there was one. */
static bool
db_notified(PGconn *c)
{
	PGnotify	*n;
	bool		 any = false;

	while ((n = PQnotifies(c)) != NULL) {
		any = true;
		PQfreemem(n);
	}
	return any;
}

/*
 * Wait on the idle connection for a notification (of a LISTEN committed
 * earlier), for at most timeout_ms, with the signal mask "mask" while
 * waiting (ppoll), so a signal blocked elsewhere ends the wait.  Returns 1
 * when notified (all pending notifications are consumed), 0 on timeout or
 * signal, -1 when there is no usable connection (dropped: the next batch
 * reconnects, after the backoff).
 */
int
db_wait_notify(struct db *db, int timeout_ms, const sigset_t *mask)
{
	struct pollfd	 pfd;
	struct timespec	 ts;

	if (db->db_conn == NULL || PQstatus(db->db_conn) != CONNECTION_OK ||
	    PQsocket(db->db_conn) < 0) {
		if (db->db_conn != NULL)
			db_drop(db);
		return -1;
	}
	if (db_notified(db->db_conn))
		return 1;
	pfd.fd = PQsocket(db->db_conn);
	pfd.events = POLLIN;
	pfd.revents = 0;
	ts.tv_sec = timeout_ms / 1000;
	ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000;
	if (ppoll(&pfd, 1, &ts, mask) == -1)
		return errno == EINTR ? 0 : -1;
	if (pfd.revents == 0)
		return 0;
	if (PQconsumeInput(db->db_conn) != 1) {
		log_warn("db: connection lost: %s", PQerrorMessage(db->db_conn));
		db_drop(db);
		return -1;
	}
	return db_notified(db->db_conn) ? 1 : 0;
}

/*
 * Round trips and statements since the last call, then reset them.
 */
void
db_stats(struct db *db, unsigned *roundtrips, unsigned *statements)
{
	*roundtrips = db->db_rt;
	*statements = db->db_stmts;
	db->db_rt = 0;
	db->db_stmts = 0;
}

/*
 * Append statement st with its n text parameters (NULL: SQL NULL) to b;
 * use it through dbb_add, which counts them.  A statement the catalogue
 * does not know, a count other than the statement's sd_nparams, or a full
 * batch is logged, adds nothing and marks the batch bad (db_batch then
 * fails it with ERR_INTERNAL).
 */
void
dbb_push(struct dbb *b, enum stmt st, const char *const *params, size_t n)
{
	struct dbq	*q;
	size_t		 i;

	if (st >= ST__MAX) {
		log_err("db: statement %d is not in the catalogue", (int)st);
		b->bb_bad = true;
		return;
	}
	if (n != (size_t)stmt_defs[st].sd_nparams || n > DB_MAXPARAMS) {
		log_err("db: %s takes %d parameters, %zu given",
		    stmt_defs[st].sd_name, stmt_defs[st].sd_nparams, n);
		b->bb_bad = true;
		return;
	}
	if (b->bb_n >= b->bb_cap) {
		log_err("db: %s: batch full (%zu statements)",
		    stmt_defs[st].sd_name, b->bb_cap);
		b->bb_bad = true;
		return;
	}
	q = &b->bb_q[b->bb_n++];
	memset(q, 0, sizeof(*q));
	q->q_stmt = st;
	for (i = 0; i < n; i++)
		q->q_params[i] = params[i];
}

/*
 * The result of b's statement i (in the order added), or NULL when there
 * is none: no such statement, or the batch has not run or failed.
 */
const PGresult *
dbb_res(const struct dbb *b, size_t i)
{
	return i < b->bb_n ? b->bb_q[i].q_res : NULL;
}

/*
 * Free the results of b's statements; the statements stay, so the batch
 * can run again.
 */
void
dbb_clear(struct dbb *b)
{
	dbq_clear(b->bb_q, b->bb_n);
}

/*
 * Free the results and empty b for new statements (a failed add is
 * forgotten with them).
 */
void
dbb_reset(struct dbb *b)
{
	dbb_clear(b);
	b->bb_n = 0;
	b->bb_bad = false;
}
