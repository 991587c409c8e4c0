/*
 * worker: one process, one FastCGI request at a time, one database
 * connection (second-fcgi(8), "Process model").
 *
 * Signals: SIGTERM is blocked while a request is handled and only
 * delivered while the worker waits for the next connection (ppoll), so a
 * request in flight always finishes; then the loop ends and the worker
 * exits 0.  The listening socket is non-blocking, so when several workers
 * wake for one connection the losers go back to waiting instead of
 * blocking in accept() with SIGTERM masked.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <sodium.h>

#include "buf.h"
#include "conf.h"
#include "db.h"
#include "err.h"
#include "id.h"
#include "log.h"
#include "rctx.h"
#include "req.h"
#include "resp.h"
#include "guard.h"
#include "internal.h"
#include "jsonin.h"
#include "page.h"
#include "route.h"
#include "super.h"
#include "txn.h"
#include "worker.h"
#include "xsite.h"

static volatile sig_atomic_t worker_stop;

static void
worker_on_term(int sig)
{
	(void)sig;
	worker_stop = 1;
}

/*
 * Read the body announced by CONTENT_LENGTH for a route that takes one,
 * capped at "cap" bytes.  A body shorter or longer than announced is
 * ERR_BAD_REQUEST, and so is a body that comes without CONTENT_LENGTH
 * (Apache's mod_proxy_fcgi streams a large chunked body that way): it is
 * refused, never taken for an empty one.  Over the cap is
 * ERR_PAYLOAD_TOO_LARGE (nothing read).
 */
static enum err
read_body(FCGX_Stream *in, struct req *rq, long long cap)
{
	long long	 got = 0;
	int		 n;

	if (rq->rq_clen <= 0)
		return FCGX_GetChar(in) == EOF ? ERR_OK : ERR_BAD_REQUEST;
	if (rq->rq_clen > cap)
		return ERR_PAYLOAD_TOO_LARGE;
	if ((rq->rq_body = malloc((size_t)rq->rq_clen + 1)) == NULL)
		return ERR_INTERNAL;
	while (got < rq->rq_clen) {
		n = FCGX_GetStr(rq->rq_body + got,
		    (int)(rq->rq_clen - got > 65536 ? 65536 :
		    rq->rq_clen - got), in);
		if (n <= 0)
			return ERR_BAD_REQUEST;
		got += n;
	}
	if (FCGX_GetChar(in) != EOF)
		return ERR_BAD_REQUEST;
	rq->rq_body[got] = '\0';
	rq->rq_body_len = (size_t)got;
	return ERR_OK;
}

/*
 * Route, read the body, run the proxy layer and guard (or the internal
 * gate), then the handler.  Returns the first error.
 */
static enum err
dispatch(struct rctx *x, FCGX_Stream *in, struct buf *allow)
{
	struct req	*rq = x->x_req;
	long long	 cap;
	enum err	 rc = ERR_INTERNAL;

	switch (route_lookup(rq->rq_method, rq->rq_path, &x->x_route,
	    rq->rq_args, &rq->rq_nargs, allow)) {
	case RM_FOUND:
		break;
	case RM_BAD_METHOD:
		return ERR_METHOD_NOT_ALLOWED;
	case RM_NOT_FOUND:
	default:
		return ERR_NOT_FOUND;
	}
	if (x->x_route->rt_body != BODY_NONE) {
		cap = x->x_route->rt_body == BODY_LARGE ?
		    x->x_conf->cf_max_snapshot_body : x->x_conf->cf_max_body;
		if ((rc = read_body(in, rq, cap)) != ERR_OK)
			return rc;
	} else if (rq->rq_clen > x->x_conf->cf_max_body)
		return ERR_PAYLOAD_TOO_LARGE;	/* a body it never reads */
	switch (x->x_route->rt_kind) {
	case RK_PUBLIC:
		break;
	case RK_INTERNAL:
		if ((rc = internal_auth(x)) != ERR_OK)
			return rc;
		break;
	case RK_API:
		if ((rc = xsite_api_write(x)) != ERR_OK)
			return rc;
		/* FALLTHROUGH */
	case RK_PAGE:
	default:
		if ((rc = guard_run(x)) != ERR_OK)
			return rc;
		if (x->x_resp->rs_status == 302)
			return ERR_OK;	/* the proxy redirected the page */
		break;
	}
	return x->x_route->rt_fn(x);
}

/*
 * Handle one accepted request end to end: intake, dispatch, response,
 * access log, and the database back to idle.
 */
static void
handle(const struct conf *cf, struct wstate *w, FCGX_Request *fr)
{
	struct req	 rq;
	struct resp	 rs;
	struct rctx	 x;
	struct buf	 out = BUF_INIT, allow = BUF_INIT;
	const struct buf	*body = &rs.rs_body;
	struct timespec	 t0, t1;
	unsigned	 rt, st;
	enum err	 rc = ERR_INTERNAL;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	req_init(&rq);
	resp_init(&rs);
	memset(&x, 0, sizeof(x));
	x.x_conf = cf;
	x.x_req = &rq;
	x.x_resp = &rs;
	x.x_db = w->ws_db;
	x.x_w = w;
	id_new(rq.rq_id);

	if ((rc = req_intake(&rq, fr->envp, cf)) == ERR_OK)
		rc = dispatch(&x, fr->in, &allow);
	if (rc != ERR_OK) {
		if (x.x_route != NULL && x.x_route->rt_kind == RK_PAGE)
			page_error(&x, rc);
		else	/* every 404 body is the same: no field, no hint */
			resp_error(&rs, rc, rc == ERR_NOT_FOUND ? NULL : x.x_msg,
			    rc == ERR_NOT_FOUND ? NULL : x.x_field);
		if (rc == ERR_METHOD_NOT_ALLOWED && allow.b_len > 0)
			resp_header(&rs, "Allow", allow.b_data);
	}
	if (x.x_set_cookie != NULL)
		resp_header(&rs, "Set-Cookie", x.x_set_cookie);
	db_end_request(w->ws_db);

	if (resp_render(&rs, rq.rq_id, &out) != 0) {
		log_err("req=%s: response too large or out of memory",
		    rq.rq_id);
		buf_reset(&out);
		buf_printf(&out, "Status: 500 Internal Server Error\r\n"
		    "Content-Type: " CT_JSON "\r\nX-Request-Id: %s\r\n"
		    "X-Content-Type-Options: nosniff\r\n"
		    "Cache-Control: no-store\r\n\r\n"
		    "{\"error\":\"internal_error\","
		    "\"message\":\"Internal error.\"}", rq.rq_id);
		rs.rs_status = 500;
		body = NULL;
	}
	if (buf_ok(&out)) {
		FCGX_PutStr(out.b_data, (int)out.b_len, fr->out);
		if (body != NULL && body->b_len > 0)
			FCGX_PutStr(body->b_data, (int)body->b_len, fr->out);
	}

	clock_gettime(CLOCK_MONOTONIC, &t1);
	db_stats(w->ws_db, &rt, &st);
	log_msg(rs.rs_status >= 500 ? LOG_WARN : LOG_INFO,
	    "req=%s route=%s status=%d ms=%.3f user=%s ws=%s rt=%u st=%u",
	    rq.rq_id, x.x_route ? x.x_route->rt_name : "-", rs.rs_status,
	    (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6,
	    x.x_user_id[0] ? x.x_user_id : "-",
	    x.x_ws.w_id[0] ? x.x_ws.w_id : "-", rt, st);
	txn_clear(&x);
	route_state_free(&x);
	guard_free(&x);
	buf_free(&out);
	buf_free(&allow);
	resp_free(&rs);
	req_free(&rq);
}

/*
 * Serve FastCGI requests from listen_fd until SIGTERM (or SIGINT) ends
 * the loop between requests.  Returns the process exit status (0 after a
 * clean drain, 1 if set-up failed).
 */
int
worker_run(const struct conf *cf, int listen_fd)
{
	FCGX_Request		 fr;
	sigset_t		 waitmask, pending;
	socklen_t		 optlen = sizeof(int);
	int			 listening = 0;
	struct pollfd		 pfd;
	struct wstate		 w = { NULL };
	int			 fl, ar, rc = 1;

	super_child_signals(worker_on_term, &waitmask);

	log_set_level((enum log_level)cf->cf_log_level);
	if (getsockopt(listen_fd, SOL_SOCKET, SO_ACCEPTCONN, &listening,
	    &optlen) == -1 || !listening) {
		log_err("worker: fd %d is not a listening socket (run with "
		    "--listen, or under spawn-fcgi, mod_fcgid or lighttpd)",
		    listen_fd);
		goto out;
	}
	if ((fl = fcntl(listen_fd, F_GETFL)) == -1 ||
	    fcntl(listen_fd, F_SETFL, fl | O_NONBLOCK) == -1) {
		log_err("worker: listening socket: %s", strerror(errno));
		goto out;
	}
	if (FCGX_Init() != 0 || FCGX_InitRequest(&fr, listen_fd, 0) != 0) {
		log_err("worker: FastCGI initialisation failed");
		goto out;
	}
	if ((w.ws_db = db_new(cf->cf_database_url)) == NULL) {
		log_err("worker: out of memory");
		goto out;
	}
	(void)db_connect(w.ws_db);	/* early, but a failure is not fatal */
	log_info("worker: ready");

	while (!worker_stop) {
		/*
		 * A connection the web server keeps (FCGI_KEEP_CONN, nginx
		 * fastcgi_keep_conn on) brings its next request on itself:
		 * wait there; FCGX_Accept_r reads it, or at its end closes it
		 * and accepts afresh.  Meanwhile this worker serves no other
		 * connection (second-fcgi(8), "Web server configuration").
		 */
		pfd.fd = fr.ipcFd >= 0 ? fr.ipcFd : listen_fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (ppoll(&pfd, 1, NULL, &waitmask) == -1) {
			if (errno == EINTR)
				continue;
			log_err("worker: poll: %s", strerror(errno));
			break;
		}
		/*
		 * When ppoll returns readiness it restores the mask before
		 * a pending SIGTERM is delivered, so under constant load the
		 * signal would wait forever: look for it explicitly.
		 */
		if (sigpending(&pending) == 0 &&
		    (sigismember(&pending, SIGTERM) ||
		    sigismember(&pending, SIGINT)))
			break;
		if ((ar = FCGX_Accept_r(&fr)) < 0) {
			/* Another worker took it, or the peer gave up. */
			if (ar != -EAGAIN && ar != -EWOULDBLOCK &&
			    ar != -EINTR && ar != -ECONNABORTED) {
				log_warn("worker: accept: %s", strerror(-ar));
				(void)nanosleep(&(struct timespec){ 0,
				    100000000 }, NULL);
			}
			continue;
		}
		handle(cf, &w, &fr);
		FCGX_Finish_r(&fr);
	}
	FCGX_Free(&fr, 1);
	log_info("worker: exiting");
	rc = 0;
out:
	db_free(w.ws_db);
	sodium_memzero(&w.ws_keys, sizeof(w.ws_keys));
	sodium_memzero(&w.ws_seal, sizeof(w.ws_seal));
	return rc;
}
