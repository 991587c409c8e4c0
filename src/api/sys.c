/*
 * sys: liveness and readiness.
 *
 * /api/livez never touches the database: it says the worker loop runs
 * (and is the benchmark's FastCGI baseline).  /api/health says the worker
 * can reach PostgreSQL right now.
 */
#include "config.h"

#include "buf.h"
#include "db.h"
#include "handlers.h"
#include "rctx.h"
#include "resp.h"

/*
 * GET /api/livez: 200 {"status":"live"}.
 */
enum err
sys_livez(struct rctx *x)
{
	buf_puts(&x->x_resp->rs_body, "{\"status\":\"live\"}");
	resp_json(x->x_resp, 200);
	return ERR_OK;
}

/*
 * GET /api/health: 200 {"status":"ok"} after a round trip to the
 * database, 503 unavailable otherwise.
 */
enum err
sys_health(struct rctx *x)
{
	enum err	 rc = ERR_INTERNAL;

	if ((rc = db_ping(x->x_db)) != ERR_OK)
		return ERR_UNAVAILABLE;
	buf_puts(&x->x_resp->rs_body, "{\"status\":\"ok\"}");
	resp_json(x->x_resp, 200);
	return ERR_OK;
}
