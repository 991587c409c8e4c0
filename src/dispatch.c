/*
 * dispatch: deliver runs to the agent worker (see dispatch.h).
 *
 * The run rows are the outbox (sql/003_run_delivery.sql).  One process,
 * one database connection as second_authenticator switching to
 * second_dispatcher, which reaches the runs only through the definer
 * functions of sql/repeatable/90_dispatch.sql.  The loop:
 *
 *   1. one transaction: LISTEN second_runs (again: a no-op unless the
 *      connection is new), claim a batch of due runs of every workspace
 *      (FOR UPDATE SKIP LOCKED; each claimed run's next attempt moves by
 *      the backoff, so the claim is a lease), commit;
 *   2. POST each run to the worker (egress_worker_post) and record the
 *      outcome, one short transaction each: delivered, or the failure's
 *      class (the run stays pending and is claimed again when its backoff
 *      has passed; "refused" is final);
 *   3. a full batch: claim again at once; otherwise wait on the socket for
 *      a notification (a run was committed) or until the next pending run
 *      is due, at most IDLE_MS.
 *
 * Notifications are sent only when the creating transaction commits, so a
 * run is never seen before its commit and a rolled-back run never at all;
 * requests never wait on the worker.  What the worker receives is built
 * from the claim's columns only: ids, the prompt or messages, the agent's
 * approved configuration; never a cookie, a credential or a user detail.
 * SIGTERM ends the loop between deliveries.
 */
#include "config.h"

#include <sys/prctl.h>

#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "buf.h"
#include "conf.h"
#include "db.h"
#include "dispatch.h"
#include "egress.h"
#include "err.h"
#include "log.h"
#include "stmt.h"
#include "super.h"

#define CLAIM_BATCH	"16"	/* agent runs, and as many builder runs */
#define CLAIM_FULL	16
#define IDLE_MS		30000	/* longest wait without a notification */
#define DOWN_MS		1000	/* wait while the database is away */

static volatile sig_atomic_t dispatch_stop;

static void
dispatch_on_term(int sig)
{
	(void)sig;
	dispatch_stop = 1;
}

/* Sleep ms milliseconds with the signal mask "mask" (a signal ends it). */
static void
pause_ms(int ms, const sigset_t *mask)
{
	struct timespec	 ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	(void)ppoll(NULL, 0, &ts, mask);
}

/* The column c of row i, or NULL when it is SQL NULL. */
static const char *
col(const PGresult *r, int i, int c)
{
	return PQgetisnull(r, i, c) ? NULL : PQgetvalue(r, i, c);
}

/* Append JSON text j (a stored jsonb value), or null. */
static void
put_json(struct buf *b, const char *j)
{
	buf_puts(b, j != NULL ? j : "null");
}

/* Append a JSON string, or null. */
static void
put_str(struct buf *b, const char *s)
{
	if (s != NULL)
		buf_json_str(b, s);
	else
		buf_puts(b, "null");
}

/*
 * The request of claimed row i: *path and the JSON body (second-docs
 * §4.4).  The callback URL is public_url's internal API (the worker calls
 * back through the web server, as the browser's requests come in).
 */
static void
build(const struct conf *cf, const PGresult *r, int i, bool agent,
    struct buf *path, struct buf *body)
{
	struct buf	 cb = BUF_INIT;
	const char	*app = PQgetvalue(r, i, COL_DISPATCH_CLAIM_APP_ID);
	size_t		 n = strlen(cf->cf_public_url);

	buf_puts(path, "/sessions/");
	buf_puts(path, app);
	buf_puts(path, agent ? "/agent-run" : "/messages");

	buf_puts(body, "{\"runId\":");
	buf_json_str(body, PQgetvalue(r, i, COL_DISPATCH_CLAIM_RUN_ID));
	buf_puts(body, ",\"workspaceId\":");
	buf_json_str(body, PQgetvalue(r, i, COL_DISPATCH_CLAIM_WORKSPACE_ID));
	buf_puts(body, ",\"appId\":");
	buf_json_str(body, app);
	buf_puts(body, ",\"sourceVersion\":");
	buf_json_str(body, PQgetvalue(r, i,
	    COL_DISPATCH_CLAIM_SOURCE_VERSION));
	if (agent) {
		buf_puts(body, ",\"agentId\":");
		put_str(body, col(r, i, COL_DISPATCH_CLAIM_AGENT_ID));
		buf_puts(body, ",\"prompt\":");
		put_str(body, col(r, i, COL_DISPATCH_CLAIM_PROMPT));
		buf_puts(body, ",\"systemPrompt\":");
		put_str(body, col(r, i, COL_DISPATCH_CLAIM_SYSTEM_PROMPT));
		buf_puts(body, ",\"agentConfig\":");
		put_json(body, col(r, i, COL_DISPATCH_CLAIM_AGENT_CONFIG));
		buf_puts(body, ",\"allowedTools\":");
		put_json(body, col(r, i, COL_DISPATCH_CLAIM_ALLOWED_TOOLS));
	} else {
		buf_puts(body, ",\"messages\":");
		put_json(body, col(r, i, COL_DISPATCH_CLAIM_MESSAGES));
	}
	buf_puts(body, ",\"callbackUrl\":");
	while (n > 0 && cf->cf_public_url[n - 1] == '/')
		n--;
	buf_printf(&cb, "%.*s/api/internal/%s", (int)n, cf->cf_public_url,
	    agent ? "agent-run-complete" : "builder-run-complete");
	buf_json_str(body, buf_ok(&cb) ? cb.b_data : "");
	buf_free(&cb);
	buf_putc(body, '}');
}

/*
 * The outcome of a POST: NULL when the worker accepted the run (2xx),
 * else the class recorded in last_delivery_error.  "refused" (a 4xx that
 * will not change: the request itself is wrong) ends the delivery; every
 * other class is retried after the backoff.
 */
static const char *
outcome(long status)
{
	if (status < 0)
		return "unreachable";
	if (status >= 200 && status < 300)
		return NULL;
	if (status == 401 || status == 403)
		return "unauthorized";
	if (status == 400 || status == 404 || status == 405 ||
	    status == 413 || status == 422)
		return "refused";
	if (status == 408 || status == 409 || status == 429)
		return "busy";
	return "worker_error";
}

/* Deliver claimed row i and record the outcome. */
static void
deliver(const struct conf *cf, struct db *db, const struct dbctx *ctx,
    const PGresult *r, int i)
{
	struct buf	 path = BUF_INIT, body = BUF_INIT;
	struct dbq	 q;
	struct dbb	 b = DBB_ONE(q);
	const char	*kind = PQgetvalue(r, i, COL_DISPATCH_CLAIM_KIND);
	const char	*ws = PQgetvalue(r, i, COL_DISPATCH_CLAIM_WORKSPACE_ID);
	const char	*run = PQgetvalue(r, i, COL_DISPATCH_CLAIM_RUN_ID);
	const char	*why;
	long		 status = -1;

	build(cf, r, i, strcmp(kind, "agent") == 0, &path, &body);
	if (buf_ok(&path) && buf_ok(&body))
		status = egress_worker_post(cf, path.b_data, body.b_data,
		    body.b_len);
	why = outcome(status);
	if (why == NULL)
		log_info("dispatch: %s run %s of workspace %s delivered "
		    "(status %ld)", kind, run, ws, status);
	else
		log_warn("dispatch: %s run %s of workspace %s not delivered "
		    "(attempt %s, status %ld): %s%s", kind, run, ws,
		    PQgetvalue(r, i, COL_DISPATCH_CLAIM_ATTEMPT), status, why,
		    strcmp(why, "refused") == 0 ? ", giving up" :
		    ", will retry");
	dbb_add(&b, ST_DISPATCH_DONE, ws, run, kind, why == NULL ? "t" : "f",
	    why);
	if (db_batch(db, ctx, DB_BEGIN | DB_COMMIT, &b) != ERR_OK)
		log_warn("dispatch: %s run %s: outcome not recorded (the run "
		    "is delivered again after its backoff)", kind, run);
	dbb_clear(&b);
	buf_free(&path);
	buf_free(&body);
}

/*
 * Claim and deliver one batch.  Returns the number of runs claimed of the
 * fuller kind, or -1 when the database is away.
 */
static int
claim_round(const struct conf *cf, struct db *db, const struct dbctx *ctx)
{
	struct dbq	 qs[2];
	struct dbb	 b = DBB_ARRAY(qs);
	const PGresult	*r;
	int		 i, agents = 0, builders = 0, rc = -1;

	dbb_add(&b, ST_DISPATCH_LISTEN);
	dbb_add(&b, ST_DISPATCH_CLAIM, CLAIM_BATCH);
	if (db_batch(db, ctx, DB_BEGIN | DB_COMMIT, &b) != ERR_OK)
		goto out;
	r = dbb_res(&b, 1);
	for (i = 0; i < PQntuples(r) && !dispatch_stop; i++) {
		if (strcmp(PQgetvalue(r, i, COL_DISPATCH_CLAIM_KIND),
		    "agent") == 0)
			agents++;
		else
			builders++;
		deliver(cf, db, ctx, r, i);
	}
	rc = agents > builders ? agents : builders;
out:
	dbb_clear(&b);
	return rc;
}

/* Milliseconds to wait for the next due run (IDLE_MS at most). */
static int
next_wait(struct db *db, const struct dbctx *ctx)
{
	struct dbq	 q;
	struct dbb	 b = DBB_ONE(q);
	const PGresult	*r;
	long long	 ms = IDLE_MS;

	dbb_add(&b, ST_DISPATCH_NEXT_DUE);
	if (db_batch(db, ctx, DB_BEGIN | DB_COMMIT, &b) != ERR_OK)
		ms = DOWN_MS;
	else if ((r = dbb_res(&b, 0)) != NULL && PQntuples(r) == 1 &&
	    !PQgetisnull(r, 0, COL_DISPATCH_NEXT_DUE_MS))
		ms = strtoll(PQgetvalue(r, 0, COL_DISPATCH_NEXT_DUE_MS),
		    NULL, 10);
	dbb_clear(&b);
	if (ms < 0)
		ms = 0;
	return ms > IDLE_MS ? IDLE_MS : (int)ms;
}

/*
 * Run the dispatcher until SIGTERM or SIGINT.  Returns the process exit
 * status: 0 after a clean stop, 1 when it cannot start, EX_CONFIG (78)
 * without worker_url.
 */
int
dispatch_run(const struct conf *cf)
{
	const struct dbctx	 ctx = { "second_dispatcher", NULL, NULL, NULL,
				    false };
	sigset_t		 waitmask;
	struct db		*db = NULL;
	int			 n, ms, rc = 1;

	/* Signals arrive only while waiting (ppoll in db_wait_notify). */
	super_child_signals(dispatch_on_term, &waitmask);

	/* Its own name in ps and /proc/PID/comm, apart from the workers. */
	(void)prctl(PR_SET_NAME, "second-dispatch", 0, 0, 0);
	log_set_level((enum log_level)cf->cf_log_level);
	if (cf->cf_worker_url == NULL) {
		log_err("dispatch: worker_url (WORKER_URL) is not set: runs "
		    "stay pending");
		return 78;
	}
	if ((db = db_new(cf->cf_database_url)) == NULL) {
		log_err("dispatch: out of memory");
		goto out;
	}
	log_info("dispatch: ready");
	while (!dispatch_stop) {
		if ((n = claim_round(cf, db, &ctx)) >= CLAIM_FULL)
			continue;
		ms = n < 0 ? DOWN_MS : next_wait(db, &ctx);
		/* Even for 0 ms: the wait is where a SIGTERM arrives. */
		if (!dispatch_stop && db_wait_notify(db, ms, &waitmask) < 0)
			pause_ms(DOWN_MS, &waitmask);
	}
	log_info("dispatch: stopped");
	rc = 0;
out:
	db_free(db);
	return rc;
}
