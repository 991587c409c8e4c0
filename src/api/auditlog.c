/*
 * auditlog: reading the workspace's audit log (audit:read).
 *
 * GET /api/workspaces/{ws}/audit-events, newest first, filtered by
 * event name, category, actor, target and a time range, paginated like
 * every list.  Metadata is served as stored: its writers keep it to
 * identifiers and field names (audit.c, agentapi.c).  The read is not
 * itself audited: a GET never writes (second-api(7)).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "handlers.h"
#include "id.h"
#include "jsonin.h"
#include "list.h"
#include "rctx.h"
#include "req.h"
#include "route.h"
#include "txn.h"

/* "YYYY-MM-DDTHH:MM:SSZ" and its NUL. */
#define UTC_LEN		21

/* The route's state: the filters, kept alive for the queued read. */
struct auditlog_state {
	struct list_args al_list;	/* the page; la_err: any bad filter */
	char		 al_event[101];
	char		 al_category[33];
	char		 al_actor[ID_LEN + 1];
	char		 al_target[201];
	char		 al_since[UTC_LEN];
	char		 al_until[UTC_LEN];
	const char	*al_field;	/* the bad filter, for the handler */
};

static const struct route_state_type auditlog_state_type = {
	"auditlog", sizeof(struct auditlog_state), NULL,
};

/* 1..max bytes of the characters in set. */
static bool
chars_ok(const char *s, size_t max, const char *set)
{
	size_t	 n = strlen(s);

	return n > 0 && n <= max && strspn(s, set) == n;
}

/* n decimal digits at s, as a number. */
static int
digits(const char *s, int n)
{
	int	 v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

/*
 * A UTC time as the API writes it (RFC 3339, "2026-12-07T21:38:30Z"):
 * that exact shape and a real date and time, years 0001 to 9999.
 */
static bool
utc_ok(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	int	 y, m, d;
	size_t	 i;

	if (strlen(s) != sizeof(shape) - 1)
		return false;
	for (i = 0; shape[i] != '\0'; i++)
		if (shape[i] == 'd' ? s[i] < '0' || s[i] > '9' :
		    s[i] != shape[i])
			return false;
	y = digits(s, 4);
	m = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    digits(s + 11, 2) > 23 || digits(s + 14, 2) > 59 ||
	    digits(s + 17, 2) > 59)
		return false;
	/* 29 February of a year that is not a leap year. */
	return !(m == 2 && d == 29 &&
	    (y % 4 != 0 || (y % 100 == 0 && y % 400 != 0)));
}

/*
 * One filter of the query into buf (size bytes): absent leaves buf "",
 * a value that ok refuses sets la_err (422, field name).
 */
static void
auditlog_filter(struct rctx *x, struct auditlog_state *st,
    const char *name, char *buf, size_t size, bool (*ok)(const char *))
{
	char	*v = NULL;

	if (st->al_list.la_err != ERR_OK)
		return;
	if (req_query_get(x->x_req, name, &v) != ERR_OK) {
		st->al_list.la_err = ERR_BAD_REQUEST;
		return;
	}
	if (v != NULL && (strlen(v) >= size || !ok(v))) {
		st->al_field = name;
		st->al_list.la_err = ERR_VALIDATION_FAILED;
	} else if (v != NULL)
		memcpy(buf, v, strlen(v) + 1);
	free(v);
}

static bool
event_ok(const char *s)
{
	return chars_ok(s, 100, "abcdefghijklmnopqrstuvwxyz0123456789_.");
}

static bool
category_ok(const char *s)
{
	return chars_ok(s, 32, "abcdefghijklmnopqrstuvwxyz_");
}

static bool
target_ok(const char *s)
{
	return jsonin_text_ok(s, 200);
}

/* A filter as a statement parameter: NULL when not given. */
static const char *
param(const char *s)
{
	return s[0] != '\0' ? s : NULL;
}

/*
 * Queue a page of the workspace's events with the filters of the query:
 * eventName, category, actorId (a user id), targetId, since (inclusive)
 * and until (exclusive), both RFC 3339 UTC times.  A bad one is left in
 * the state's la_err for the handler (after the guard).
 */
enum err
auditlog_list_pre(struct rctx *x)
{
	struct auditlog_state	*st;

	if ((st = route_state_new(x, &auditlog_state_type)) == NULL)
		return ERR_INTERNAL;
	list_parse(x, &st->al_list);
	auditlog_filter(x, st, "eventName", st->al_event,
	    sizeof(st->al_event), event_ok);
	auditlog_filter(x, st, "category", st->al_category,
	    sizeof(st->al_category), category_ok);
	auditlog_filter(x, st, "actorId", st->al_actor, sizeof(st->al_actor),
	    id_valid);
	auditlog_filter(x, st, "targetId", st->al_target,
	    sizeof(st->al_target), target_ok);
	auditlog_filter(x, st, "since", st->al_since, sizeof(st->al_since),
	    utc_ok);
	auditlog_filter(x, st, "until", st->al_until, sizeof(st->al_until),
	    utc_ok);
	if (st->al_list.la_err == ERR_OK)
		txn_pre(x, ST_AUDIT_LIST, param(st->al_event),
		    param(st->al_category), param(st->al_actor),
		    param(st->al_target), param(st->al_since),
		    param(st->al_until), list_cursor_param(&st->al_list),
		    st->al_list.la_fetch);
	return ERR_OK;
}

/* A text column as a JSON string, or null. */
static void
str_or_null(struct buf *b, const PGresult *r, int i, int col)
{
	if (PQgetisnull(r, i, col))
		buf_puts(b, "null");
	else
		buf_json_str(b, PQgetvalue(r, i, col));
}

/* One event: {"id","occurredAt","eventName","category","actorType",
 * "actorId","source","targetType","targetId","outcome","metadata"}. */
static void
event_json(struct buf *b, const PGresult *r, int i, void *arg)
{
	(void)arg;
	buf_puts(b, "{\"id\":");
	buf_json_str(b, PQgetvalue(r, i, COL_AUDIT_LIST_ID));
	buf_puts(b, ",\"occurredAt\":");
	buf_json_utc(b, PQgetvalue(r, i, COL_AUDIT_LIST_OCCURRED_AT));
	buf_puts(b, ",\"eventName\":");
	buf_json_str(b, PQgetvalue(r, i, COL_AUDIT_LIST_EVENT_NAME));
	buf_puts(b, ",\"category\":");
	buf_json_str(b, PQgetvalue(r, i, COL_AUDIT_LIST_CATEGORY));
	buf_puts(b, ",\"actorType\":");
	buf_json_str(b, PQgetvalue(r, i, COL_AUDIT_LIST_ACTOR_TYPE));
	buf_puts(b, ",\"actorId\":");
	str_or_null(b, r, i, COL_AUDIT_LIST_ACTOR_ID);
	buf_puts(b, ",\"source\":");
	buf_json_str(b, PQgetvalue(r, i, COL_AUDIT_LIST_SOURCE));
	buf_puts(b, ",\"targetType\":");
	str_or_null(b, r, i, COL_AUDIT_LIST_TARGET_TYPE);
	buf_puts(b, ",\"targetId\":");
	str_or_null(b, r, i, COL_AUDIT_LIST_TARGET_ID);
	buf_puts(b, ",\"outcome\":");
	buf_json_str(b, PQgetvalue(r, i, COL_AUDIT_LIST_OUTCOME));
	buf_printf(b, ",\"metadata\":%s}",
	    PQgetvalue(r, i, COL_AUDIT_LIST_METADATA));
}

static const struct list_shape event_shape = {
	"events", COL_AUDIT_LIST_ID, event_json, NULL,
};

/*
 * GET /api/workspaces/{ws}/audit-events: 200 {"events":[...],
 * "nextCursor"} (audit:read: the guard answers 403 to a member, 404
 * outside the workspace); a bad filter or page argument is 400 or 422.
 */
enum err
auditlog_list(struct rctx *x)
{
	const struct auditlog_state *st = route_state(x,
	    &auditlog_state_type);

	if (st == NULL)
		return ERR_INTERNAL;
	if (st->al_field != NULL) {
		x->x_field = st->al_field;
		x->x_msg = "Invalid filter value (times: RFC 3339 UTC, "
		    "such as 2026-01-31T12:00:00Z).";
	}
	if (st->al_list.la_err != ERR_OK)
		return st->al_list.la_err;
	list_write(x, txn_pre_res(x, 0), &st->al_list, &event_shape, NULL);
	return ERR_OK;
}
