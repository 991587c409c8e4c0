/*
 * test_list: pagination (list.c).  ?limit= is 1 to 200 (default 50) and
 * ?cursor= an id; anything else is a 400 with its message.  A page
 * fetches limit + 1 rows; "nextCursor" is the id of the page's last row
 * when a further row exists, else null, and parsing it back as ?cursor=
 * gives the same position.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include <libpq-fe.h>

#include "buf.h"
#include "list.h"
#include "rctx.h"
#include "req.h"
#include "unit.h"

/* list_parse over the query string q; the message in *msg. */
static struct list_args
parse(const char *q, const char **msg)
{
	struct req	 rq;
	struct rctx	 x;
	struct list_args la;

	req_init(&rq);
	rq.rq_query = strdup(q);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rq.rq_query);
	memset(&x, 0, sizeof(x));
	x.x_req = &rq;
	list_parse(&x, &la);
	*msg = x.x_msg;
	req_free(&rq);
	return la;
}

/* A query string and what list_parse makes of it. */
struct page_case {
	const char	*q;
	int		 limit;		/* 0: a 400 */
	const char	*fetch;
	const char	*cursor;	/* "" for the first page */
};

#define CUR	"65a0b1c2d3e4f5a6b7c8d9e0"

static const struct page_case page_cases[] = {
	{ "", LIST_DEFAULT, "51", "" },
	{ "other=7", LIST_DEFAULT, "51", "" },
	{ "limit=1", 1, "2", "" },
	{ "limit=50", 50, "51", "" },
	{ "limit=199", 199, "200", "" },
	{ "limit=200", 200, "201", "" },
	{ "a=b&limit=20&c=d", 20, "21", "" },
	{ "limit=%32%30", 20, "21", "" },
	{ "limit=0", 0, NULL, NULL },
	{ "limit=201", 0, NULL, NULL },
	{ "limit=1000000000000", 0, NULL, NULL },
	{ "limit=-1", 0, NULL, NULL },
	{ "limit=+5", 0, NULL, NULL },
	{ "limit=%2B5", 0, NULL, NULL },
	{ "limit= 5", 0, NULL, NULL },
	{ "limit=5 ", 0, NULL, NULL },
	{ "limit=5x", 0, NULL, NULL },
	{ "limit=0x10", 0, NULL, NULL },
	{ "limit=", 0, NULL, NULL },
	{ "limit=abc", 0, NULL, NULL },
	{ "limit=5&limit=6", 0, NULL, NULL },
	{ "limit=%zz", 0, NULL, NULL },
	{ "cursor=" CUR, LIST_DEFAULT, "51", CUR },
	{ "limit=3&cursor=0123456789abcdef01234567", 3, "4",
	    "0123456789abcdef01234567" },
	{ "cursor=%36%35a0b1c2d3e4f5a6b7c8d9e0", LIST_DEFAULT, "51", CUR },
	{ "cursor=", 0, NULL, NULL },
	{ "cursor=65a0b1c2d3e4f5a6b7c8d9e", 0, NULL, NULL },	/* 23 */
	{ "cursor=" CUR "f", 0, NULL, NULL },			/* 25 */
	{ "cursor=65A0B1C2D3E4F5A6B7C8D9E0", 0, NULL, NULL },	/* upper */
	{ "cursor=65a0b1c2d3e4f5a6b7c8d9eg", 0, NULL, NULL },	/* not hex */
	{ "cursor=65a0b1c2d3e4f5a6b7c8d9e%00", 0, NULL, NULL },
	{ "cursor=%2065a0b1c2d3e4f5a6b7c8d9e", 0, NULL, NULL },
	{ "cursor=acme", 0, NULL, NULL },
	{ "cursor=null", 0, NULL, NULL },
	{ "cursor=" CUR "&cursor=" CUR, 0, NULL, NULL },
};

static void
test_parse(void)
{
	const struct page_case	*c;
	struct list_args	 la;
	const char		*msg;
	size_t			 i;

	for (i = 0; i < UNIT_NCASES(page_cases); i++) {
		c = &page_cases[i];
		la = parse(c->q, &msg);
		if (c->limit == 0) {
			UNIT_CHECK(la.la_err == ERR_BAD_REQUEST, "%s: err %d",
			    c->q, la.la_err);
			continue;
		}
		UNIT_CHECK(la.la_err == ERR_OK && msg == NULL, "%s: err %d",
		    c->q, la.la_err);
		UNIT_CHECK(la.la_limit == c->limit, "%s: limit %d", c->q,
		    la.la_limit);
		UNIT_CHECK(strcmp(la.la_fetch, c->fetch) == 0, "%s: fetch %s",
		    c->q, la.la_fetch);
		UNIT_CHECK(strcmp(la.la_cursor, c->cursor) == 0,
		    "%s: cursor %s", c->q, la.la_cursor);
		UNIT_CHECK(unit_streq(list_cursor_param(&la),
		    c->cursor[0] != '\0' ? c->cursor : NULL), "%s: param",
		    c->q);
	}
}

/* The messages of the two 400s; a bad limit is reported first. */
static void
test_messages(void)
{
	const char	*msg;

	(void)parse("limit=0", &msg);
	CU_ASSERT_TRUE(unit_streq(msg, "limit must be 1 to 200."));
	(void)parse("cursor=acme", &msg);
	CU_ASSERT_TRUE(unit_streq(msg, "Invalid cursor."));
	(void)parse("limit=0&cursor=acme", &msg);
	CU_ASSERT_TRUE(unit_streq(msg, "limit must be 1 to 200."));
}

/* A result of n rows (id in column 1), as the list statements return. */
static PGresult *
rows(int n)
{
	PGresAttDesc	 att[2];
	PGresult	*r;
	char		 id[ID_LEN + 1];
	int		 i;

	memset(att, 0, sizeof(att));
	att[0].name = (char *)(uintptr_t)"name";
	att[1].name = (char *)(uintptr_t)"id";
	r = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_FATAL(PQsetResultAttrs(r, 2, att) != 0);
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "65a0b1c2%016x", (unsigned)i);
		CU_ASSERT_FATAL(PQsetvalue(r, i, 0, (char *)(uintptr_t)"x",
		    1) != 0);
		CU_ASSERT_FATAL(PQsetvalue(r, i, 1, id, ID_LEN) != 0);
	}
	return r;
}

/* list_end's text for n rows at this limit. */
static void
end_text(int n, int limit, struct buf *b)
{
	struct list_args	 la;
	PGresult		*r = rows(n);

	memset(&la, 0, sizeof(la));
	la.la_limit = limit;
	buf_reset(b);
	buf_putc(b, '[');
	list_end(b, r, &la, 1);
	PQclear(r);
}

static void
test_next(void)
{
	struct list_args	 la;
	struct buf		 b = BUF_INIT;
	PGresult		*r;

	/* Fewer rows than limit + 1: the last page. */
	end_text(0, 3, &b);
	CU_ASSERT_STRING_EQUAL(b.b_data, "[],\"nextCursor\":null");
	end_text(3, 3, &b);
	CU_ASSERT_STRING_EQUAL(b.b_data, "[],\"nextCursor\":null");
	/* limit + 1 rows: the cursor is the id of the page's last row. */
	end_text(4, 3, &b);
	CU_ASSERT_STRING_EQUAL(b.b_data,
	    "[],\"nextCursor\":\"65a0b1c20000000000000002\"");
	end_text(2, 1, &b);
	CU_ASSERT_STRING_EQUAL(b.b_data,
	    "[],\"nextCursor\":\"65a0b1c20000000000000000\"");
	/* No result at all (the reads were not run). */
	memset(&la, 0, sizeof(la));
	la.la_limit = 3;
	buf_reset(&b);
	list_next(&b, NULL, &la, 1);
	CU_ASSERT_STRING_EQUAL(b.b_data, "\"nextCursor\":null");
	CU_ASSERT_EQUAL(list_rows(NULL, &la), 0);

	r = rows(4);
	CU_ASSERT_EQUAL(list_rows(r, &la), 3);
	la.la_limit = 10;
	CU_ASSERT_EQUAL(list_rows(r, &la), 4);
	PQclear(r);
	buf_free(&b);
}

/* nextCursor read back as ?cursor= is the same position. */
static void
test_round_trip(void)
{
	struct list_args	 la, next;
	struct buf		 b = BUF_INIT, q = BUF_INIT;
	const char		*msg, *v;
	PGresult		*r;

	la = parse("limit=2", &msg);
	CU_ASSERT_EQUAL_FATAL(la.la_err, ERR_OK);
	r = rows(atoi(la.la_fetch));
	CU_ASSERT_EQUAL(list_rows(r, &la), 2);
	list_next(&b, r, &la, 1);
	v = strchr(b.b_data, ':');
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_EQUAL_FATAL(strlen(v), ID_LEN + 3);
	buf_printf(&q, "limit=2&cursor=%.*s", ID_LEN, v + 2);
	next = parse(q.b_data, &msg);
	CU_ASSERT_EQUAL(next.la_err, ERR_OK);
	CU_ASSERT_STRING_EQUAL(next.la_cursor, PQgetvalue(r, 1, 1));
	CU_ASSERT_STRING_EQUAL(list_cursor_param(&next), PQgetvalue(r, 1, 1));
	PQclear(r);
	buf_free(&b);
	buf_free(&q);
}

static const struct unit_case cases[] = {
	{ "?limit= and ?cursor=", test_parse },
	{ "messages", test_messages },
	{ "nextCursor", test_next },
	{ "nextCursor read back", test_round_trip },
};

UNIT_MAIN("list", cases)
