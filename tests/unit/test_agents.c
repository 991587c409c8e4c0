/*
 * test_agents: the canonical form and "v1:" hash of agents.json, its
 * normalization and validation, and the approved-payload lookups (the
 * RFC 8785 serialisation itself is tests/unit/test_jcs.c).
 *
 * Expected canonical forms and hashes were computed outside this code:
 * the RFC 8785 examples as printed in the RFC, the rest with a JCS
 * written on ECMAScript's own JSON.stringify (node) and, for documents
 * with ASCII keys and integers, Python's json.dumps(sort_keys=True,
 * separators=(',', ':'), ensure_ascii=False) + hashlib.sha256.
 */
#include "config.h"

#include <stdint.h>

#include <json-c/json.h>
#include <sodium.h>

#include "agents.h"
#include "buf.h"
#include "jcs.h"
#include "unit.h"

/* ------------------------------------------------------------ helpers */

/* agents_canonical of v equals want (NULL: fails). */
static void
check_form(json_object *v, const char *want, const char *what)
{
	unit_check_form(agents_canonical, v, want, what);
}

static void
hash_of(json_object *v, char out[AGENTS_HASH_SIZE])
{
	UNIT_CHECK(agents_hash(v, out) == 0, "agents_hash failed");
}

static void
hash_text(const char *text, char out[AGENTS_HASH_SIZE])
{
	json_object	*v = unit_parse(text);

	hash_of(v, out);
	json_object_put(v);
}

/* Whether documents x and y have the same hash. */
static bool
same_hash(const char *x, const char *y)
{
	char	 a[AGENTS_HASH_SIZE], b[AGENTS_HASH_SIZE];

	hash_text(x, a);
	hash_text(y, b);
	return unit_streq(a, b);
}

/* ------------------------------------------------------- canonical */

/* Not an agents.json: agents_canonical is plain JCS then. */
static void
test_canonical_not_agents(void)
{
	json_object	*v;

	v = unit_parse("[{\"appTools\":[]},\"x\"]");
	check_form(v, "[{\"appTools\":[]},\"x\"]", "array");
	json_object_put(v);
	check_form(NULL, "null", "null");
	/* JSON nulls survive the copy agents_canonical normalizes. */
	v = unit_parse("{\"x\":null,\"agents\":[null,{\"tools\":[]}]}");
	check_form(v, "{\"agents\":[null,{}],\"x\":null}", "nulls");
	json_object_put(v);
}

/* ------------------------------------------------ canonical and hash */

static const char BASE_DOC[] =
	"{\n"
	"  \"agents\": [\n"
	"    {\n"
	"      \"id\": \"lead-scorer\",\n"
	"      \"name\": \"Lead scorer\",\n"
	"      \"description\": \"Scores new leads.\",\n"
	"      \"systemPrompt\": \"You score leads.\",\n"
	"      \"dataCollections\": [\"leads\", \"notes_2\"],\n"
	"      \"tools\": [\n"
	"        { \"type\": \"builtin\", \"name\": \"WebSearch\", "
	"\"enabled\": true },\n"
	"        {\n"
	"          \"type\": \"custom\", \"name\": \"linear_search\",\n"
	"          \"displayName\": \"Search Linear\", \"description\": "
	"\"Finds issues.\",\n"
	"          \"enabled\": true, \"recommended\": false,\n"
	"          \"integration\": { \"name\": \"Linear\", \"domain\": "
	"\"api.linear.app\",\n"
	"            \"keySlug\": \"default\", \"setupSearchQuery\": "
	"\"linear api key\" },\n"
	"          \"endpoint\": { \"method\": \"POST\",\n"
	"            \"url\": \"https://api.linear.app/graphql\",\n"
	"            \"headers\": { \"Authorization\": "
	"\"Bearer {{secrets.LINEAR_KEY}}\",\n"
	"              \"Content-Type\": \"application/json\" },\n"
	"            \"queryParams\": { \"q\": \"{{query}}\" },\n"
	"            \"body\": { \"query\": \"{{query}}\", \"first\": 10 } },\n"
	"          \"responseSchema\": { \"type\": \"object\" },\n"
	"          \"mockData\": [ { \"id\": 1 }, { \"id\": 2 }, "
	"{ \"id\": 3 } ]\n"
	"        }\n"
	"      ]\n"
	"    },\n"
	"    {\n"
	"      \"id\": \"calendar\",\n"
	"      \"name\": \"Calendar helper\",\n"
	"      \"tools\": [\n"
	"        {\n"
	"          \"type\": \"custom\", \"name\": \"list_events\",\n"
	"          \"integration\": { \"name\": \"Google Calendar\",\n"
	"            \"domain\": \"googleapis.com\",\n"
	"            \"auth\": { \"type\": \"oauth2\", \"providerKey\": "
	"\"google\",\n"
	"              \"identity\": \"triggering_user\",\n"
	"              \"authorizationUrl\": "
	"\"https://accounts.google.com/o/oauth2/v2/auth\",\n"
	"              \"tokenUrl\": \"https://oauth2.googleapis.com/token\",\n"
	"              \"scopes\": [ "
	"\"https://www.googleapis.com/auth/calendar.readonly\" ],\n"
	"              \"tokenAuthMethod\": \"client_secret_post\",\n"
	"              \"authorizationParams\": { \"access_type\": "
	"\"offline\" },\n"
	"              \"tokenParams\": {} } },\n"
	"          \"endpoint\": { \"method\": \"GET\",\n"
	"            \"url\": \"https://www.googleapis.com/calendar/v3/"
	"calendars/primary/events\",\n"
	"            \"headers\": { \"Accept\": \"application/json\" },\n"
	"            \"queryParams\": { \"q\": \"{{query}}\" } },\n"
	"          \"mockData\": [ [], {}, \"none\" ]\n"
	"        }\n"
	"      ]\n"
	"    }\n"
	"  ],\n"
	"  \"appTools\": [\n"
	"    {\n"
	"      \"type\": \"custom\", \"name\": \"create_issue\",\n"
	"      \"integration\": { \"name\": \"Linear\", \"domain\": "
	"\"linear.app\",\n"
	"        \"keySlug\": \"write-access\" },\n"
	"      \"endpoint\": { \"method\": \"POST\", \"url\": "
	"\"https://api.linear.app/graphql\",\n"
	"        \"body\": { \"q\": 1 } },\n"
	"      \"mockData\": [ 1, 2, 3 ]\n"
	"    }\n"
	"  ]\n"
	"}\n";

/* Python and node, over BASE_DOC with keySlug "default" added. */
static const char BASE_HASH[] =
    "v1:6135f0de1b52c5c36f45ce4731fef11ffd2c825da7449dba5c3adfe46dc810fe";

/*
 * Independent hash vectors.  The first two from Python's json.dumps
 * (ASCII keys, integers only); the third from the node JCS, with floats,
 * non-ASCII member names that sort differently in UTF-16 and UTF-8,
 * control characters and a missing keySlug.
 */
static const struct {
	const char	*doc;
	const char	*canon;
	const char	*hash;
	const char	*bad_field;	/* NULL: agents_validate accepts */
} hash_cases[] = {
	{ "{\"agents\":[{\"id\":\"a\",\"name\":\"A\"}]}",
	  "{\"agents\":[{\"id\":\"a\",\"name\":\"A\"}]}",
	  "v1:09cb95509093c60971215e03da295ab8178aac4fecf5a81416c56fdc10821910",
	  NULL },
	{ "{ \"appTools\": [ { \"type\": \"custom\", \"name\": \"t\",\n"
	  "  \"integration\": { \"name\": \"N\", \"domain\": \"example.com\" },\n"
	  "  \"endpoint\": { \"url\": \"https://example.com/x\",\n"
	  "    \"method\": \"GET\" }, \"mockData\": [1, 2, 3] } ],\n"
	  "  \"agents\": [] }",
	  "{\"agents\":[],\"appTools\":[{\"endpoint\":{\"method\":\"GET\",\"url"
	  "\":\"https://example.com/x\"},\"integration\":{\"domain\":\"example"
	  ".com\",\"keySlug\":\"default\",\"name\":\"N\"},\"mockData\":[1,2,3],"
	  "\"name\":\"t\",\"type\":\"custom\"}]}",
	  "v1:a8c0ddc434825300982ed0995460813c3887be7f9237e5c57c12d6643ad2cbcc",
	  NULL },
	{ "{\"appTools\":[{\"type\":\"custom\",\"name\":\"quote\",\"integration"
	  "\":{\"name\":\"B\xc3\xb6rse\",\"domain\":\"example.com\"},\"endpoint"
	  "\":{\"method\":\"GET\",\"url\":\"https://api.example.com/q?s={{symbo"
	  "l}}\"},\"mockData\":[{\"price\":1.5,\"big\":1e21,\"tenth\":0.1,\"neg"
	  "\":-0,\"tiny\":1e-7,\"n\":1.2345678901234568e20,\"\\ufb33\":\"dalet"
	  "\",\"\\ud83d\\ude00\":\"grin\",\"\xc3\xa9\":\"e\",\"z\":\"z\"},{\"s"
	  "\":\"tab\\there \\u0001 </script> \\u007f\"},[4.50,2e-3,-1.25e-10]]}"
	  "],\"agents\":[{\"id\":\"x\",\"name\":\"\xc3\x9cn\xc3\xaf" "c\xc3\xb8"
	  "d\xc3\xa9 \xf0\x9f\x98\x80\",\"description\":\"\xc3\xa9\"}]}",
	  "{\"agents\":[{\"description\":\"\xc3\xa9\",\"id\":\"x\",\"name\":\""
	  "\xc3\x9cn\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9 \xf0\x9f\x98\x80\"}],\"app"
	  "Tools\":[{\"endpoint\":{\"method\":\"GET\",\"url\":\"https://api.exa"
	  "mple.com/q?s={{symbol}}\"},\"integration\":{\"domain\":\"example.com"
	  "\",\"keySlug\":\"default\",\"name\":\"B\xc3\xb6rse\"},\"mockData\":["
	  "{\"big\":1e+21,\"n\":123456789012345680000,\"neg\":0,\"price\":1.5,"
	  "\"tenth\":0.1,\"tiny\":1e-7,\"z\":\"z\",\"\xc3\xa9\":\"e\",\"\xf0"
	  "\x9f\x98\x80\":\"grin\",\"\xef\xac\xb3\":\"dalet\"},{\"s\":\"tab\\th"
	  "ere \\u0001 </script> \x7f\"},[4.5,0.002,-1.25e-10]],\"name\":\"quot"
	  "e\",\"type\":\"custom\"}]}",
	  "v1:8454fe819282d645904bdf6a5245eb94f6b66a5a9778e6daf1ab1a209e752e98",
	  "appTools[0].mockData[0].n" },
};

static void
test_hash_vectors(void)
{
	struct agents_err err;
	char		 h[AGENTS_HASH_SIZE];
	json_object	*v;
	size_t		 i;
	int		 rc;

	for (i = 0; i < UNIT_NCASES(hash_cases); i++) {
		v = unit_parse(hash_cases[i].doc);
		check_form(v, hash_cases[i].canon, "vector");
		hash_of(v, h);
		UNIT_CHECK(unit_streq(h, hash_cases[i].hash),
		    "row %zu: got %s want %s", i, h, hash_cases[i].hash);
		/* Hashable is not valid: 1.2345678901234568e20 is refused. */
		rc = agents_validate(v, &err);
		if (hash_cases[i].bad_field == NULL)
			UNIT_CHECK(rc == 0, "row %zu: %s: %s", i,
			    err.ae_field, UNIT_S(err.ae_msg));
		else
			UNIT_CHECK(rc == -1 && strcmp(err.ae_field,
			    hash_cases[i].bad_field) == 0, "row %zu: %s", i,
			    err.ae_field);
		json_object_put(v);
	}
	hash_text(BASE_DOC, h);
	UNIT_CHECK(unit_streq(h, BASE_HASH), "base: got %s", h);
	/* Shape: "v1:" and 64 lowercase hex digits. */
	CU_ASSERT_EQUAL(strlen(h), 67);
	CU_ASSERT_EQUAL(strspn(h + 3, "0123456789abcdef"), 64);
}

/* Neither member order nor white space matters; values do. */
static void
test_hash_invariance(void)
{
	CU_ASSERT_TRUE(same_hash(
	    "{\"agents\":[{\"id\":\"a\",\"name\":\"A\",\"tools\":[{"
	    "\"type\":\"builtin\",\"name\":\"WebFetch\",\"enabled\":true}]}]}",
	    "\n{ \"agents\" : [ { \"tools\" : [ { \"enabled\" : true ,"
	    "\r\n\t\"name\" : \"WebFetch\", \"type\" : \"builtin\" } ], "
	    "\"name\": \"A\", \"id\": \"a\" } ] }\n"));
	/* Equal numbers written differently hash the same. */
	CU_ASSERT_TRUE(same_hash(
	    "{\"agents\":[],\"x\":[1.0,10e-1,100e-2,0.5e1,-0]}",
	    "{\"agents\":[],\"x\":[1,1,1,5,0]}"));
	/* Escaped and literal forms of the same string too. */
	CU_ASSERT_TRUE(same_hash(
	    "{\"agents\":[{\"id\":\"a\",\"name\":\"\\u00c9t\\u00e9\"}]}",
	    "{\"agents\":[{\"id\":\"a\",\"name\":\"\xc3\x89t\xc3\xa9\"}]}"));

	/* Any changed value changes the hash. */
	CU_ASSERT_FALSE(same_hash(
	    "{\"agents\":[{\"id\":\"a\",\"name\":\"A\",\"tools\":[{"
	    "\"type\":\"builtin\",\"name\":\"WebFetch\",\"enabled\":false}]}]}",
	    "{\"agents\":[{\"id\":\"a\",\"name\":\"A\",\"tools\":[{"
	    "\"type\":\"builtin\",\"name\":\"WebFetch\",\"enabled\":true}]}]}"));
	CU_ASSERT_FALSE(same_hash(
	    "{\"agents\":[{\"id\":\"a\",\"name\":\"A \"}]}",
	    "{\"agents\":[{\"id\":\"a\",\"name\":\"A\"}]}"));
	/* Array order is significant. */
	CU_ASSERT_FALSE(same_hash(
	    "{\"agents\":[{\"id\":\"a\",\"name\":\"A\","
	    "\"dataCollections\":[\"x\",\"y\"]}]}",
	    "{\"agents\":[{\"id\":\"a\",\"name\":\"A\","
	    "\"dataCollections\":[\"y\",\"x\"]}]}"));
	/* 1 and "1" differ, as do true and "true". */
	CU_ASSERT_FALSE(same_hash(
	    "{\"agents\":[],\"x\":1}",
	    "{\"agents\":[],\"x\":\"1\"}"));
}

/*
 * Empty appTools, tools and dataCollections are "treated as omitted",
 * a missing keySlug is "default"; other empty arrays are content.
 */
static void
test_hash_normalization(void)
{
	char	 a[AGENTS_HASH_SIZE], b[AGENTS_HASH_SIZE];

	hash_text("{\"agents\":[{\"id\":\"a\",\"name\":\"A\"}]}", a);
	hash_text("{\"appTools\":[],\"agents\":[{\"id\":\"a\",\"name\":\"A\","
	    "\"tools\":[],\"dataCollections\":[]}]}", b);
	CU_ASSERT_TRUE(unit_streq(a, b));
	CU_ASSERT_TRUE(unit_streq(a, hash_cases[0].hash));

	hash_text("{\"agents\":[{\"id\":\"a\",\"name\":\"A\",\"tools\":[{"
	    "\"type\":\"custom\",\"name\":\"t\",\"integration\":{\"name\":"
	    "\"N\",\"domain\":\"example.com\"}}]}]}", a);
	hash_text("{\"agents\":[{\"id\":\"a\",\"name\":\"A\",\"tools\":[{"
	    "\"type\":\"custom\",\"name\":\"t\",\"integration\":{\"name\":"
	    "\"N\",\"domain\":\"example.com\",\"keySlug\":\"default\"}}]}]}",
	    b);
	CU_ASSERT_TRUE(unit_streq(a, b));
	hash_text("{\"agents\":[{\"id\":\"a\",\"name\":\"A\",\"tools\":[{"
	    "\"type\":\"custom\",\"name\":\"t\",\"integration\":{\"name\":"
	    "\"N\",\"domain\":\"example.com\",\"keySlug\":\"other\"}}]}]}",
	    b);
	CU_ASSERT_FALSE(unit_streq(a, b));

	/* Other empty arrays count: agents, mockData, scopes, nested ones. */
	CU_ASSERT_FALSE(same_hash(
	    "{\"agents\":[]}",
	    "{}"));
	CU_ASSERT_FALSE(same_hash(
	    "{\"agents\":[{\"id\":\"a\",\"name\":\"A\",\"tools\":[{"
	    "\"type\":\"builtin\",\"name\":\"WebFetch\"}]}]}",
	    "{\"agents\":[{\"id\":\"a\",\"name\":\"A\",\"tools\":[{"
	    "\"type\":\"builtin\",\"name\":\"WebFetch\",\"mockData\":[]}]}]}"));
	/* "tools" is optional only at agents[i], not at the top. */
	CU_ASSERT_FALSE(same_hash(
	    "{\"agents\":[],\"tools\":[]}",
	    "{\"agents\":[]}"));
	/* An empty non-array is not omitted either. */
	CU_ASSERT_FALSE(same_hash(
	    "{\"agents\":[{\"id\":\"a\",\"name\":\"A\",\"tools\":{}}]}",
	    "{\"agents\":[{\"id\":\"a\",\"name\":\"A\"}]}"));
}

/* agents_hash and agents_canonical leave the document untouched. */
static void
test_hash_no_mutation(void)
{
	json_object	*v;
	char		*before;
	char		 h[AGENTS_HASH_SIZE];
	const char	*text = "{\"appTools\":[],\"agents\":[{\"id\":\"a\","
	    "\"name\":\"A\",\"tools\":[{\"type\":\"custom\",\"name\":\"t\","
	    "\"integration\":{\"name\":\"N\",\"domain\":\"example.com\"}}],"
	    "\"dataCollections\":[]}]}";

	v = unit_parse(text);
	before = strdup(json_object_to_json_string_ext(v,
	    JSON_C_TO_STRING_PLAIN));
	CU_ASSERT_FATAL(before != NULL);
	hash_of(v, h);
	CU_ASSERT_STRING_EQUAL(json_object_to_json_string_ext(v,
	    JSON_C_TO_STRING_PLAIN), before);
	free(before);
	json_object_put(v);
}

/* A document without a canonical form has no hash; out is "". */
static void
test_hash_failure(void)
{
	json_object	*v;
	char		 h[AGENTS_HASH_SIZE];

	memset(h, 'x', sizeof(h));
	v = unit_parse("{\"agents\":[],\"n\":18446744073709551615}");
	CU_ASSERT_EQUAL(agents_hash(v, h), -1);
	CU_ASSERT_STRING_EQUAL(h, "");
	json_object_put(v);
}

/* Normalization in place: idempotent and the canonical form agrees. */
static void
test_normalize(void)
{
	json_object	*v, *in;
	struct buf	 a = BUF_INIT, b = BUF_INIT;

	v = unit_parse(
	    "{\"appTools\":[],\"agents\":[{\"id\":\"a\",\"name\":\"A\","
	    "\"tools\":[],\"dataCollections\":[]},{\"id\":\"b\",\"name\":\"B\","
	    "\"dataCollections\":[\"c\"],\"tools\":[{\"type\":\"custom\","
	    "\"name\":\"t\",\"integration\":{\"name\":\"N\",\"domain\":"
	    "\"example.com\"}},{\"type\":\"custom\",\"name\":\"u\","
	    "\"integration\":{\"name\":\"N\",\"domain\":\"example.com\","
	    "\"keySlug\":\"k\"}}]}]}");
	CU_ASSERT_EQUAL(agents_canonical(v, &a), 0);
	CU_ASSERT_EQUAL(agents_normalize(v), 0);
	CU_ASSERT_EQUAL(jcs_serialize(v, &b), 0);
	CU_ASSERT_TRUE(unit_streq(a.b_data, b.b_data));
	CU_ASSERT_STRING_EQUAL(b.b_data,
	    "{\"agents\":[{\"id\":\"a\",\"name\":\"A\"},{\"dataCollections\":"
	    "[\"c\"],\"id\":\"b\",\"name\":\"B\",\"tools\":[{\"integration\":{"
	    "\"domain\":\"example.com\",\"keySlug\":\"default\",\"name\":\"N\"},"
	    "\"name\":\"t\",\"type\":\"custom\"},{\"integration\":{\"domain\":"
	    "\"example.com\",\"keySlug\":\"k\",\"name\":\"N\"},\"name\":\"u\","
	    "\"type\":\"custom\"}]}]}");
	CU_ASSERT_FALSE(json_object_object_get_ex(v, "appTools", NULL));
	in = json_object_array_get_idx(json_object_object_get(v, "agents"), 0);
	CU_ASSERT_FALSE(json_object_object_get_ex(in, "tools", NULL));
	CU_ASSERT_FALSE(json_object_object_get_ex(in, "dataCollections",
	    NULL));
	/* Again: nothing changes. */
	CU_ASSERT_EQUAL(agents_normalize(v), 0);
	buf_reset(&b);
	CU_ASSERT_EQUAL(jcs_serialize(v, &b), 0);
	CU_ASSERT_TRUE(unit_streq(a.b_data, b.b_data));
	json_object_put(v);

	/* Wrong shapes are left alone; a null keySlug is not "missing". */
	v = unit_parse(
	    "{\"agents\":{\"tools\":[]},\"appTools\":[5,{\"integration"
	    "\":[]},{\"integration\":{\"keySlug\":null}}]}");
	buf_reset(&a);
	buf_reset(&b);
	CU_ASSERT_EQUAL(jcs_serialize(v, &a), 0);
	CU_ASSERT_EQUAL(agents_normalize(v), 0);
	CU_ASSERT_EQUAL(jcs_serialize(v, &b), 0);
	CU_ASSERT_TRUE(unit_streq(a.b_data, b.b_data));
	json_object_put(v);
	CU_ASSERT_EQUAL(agents_normalize(NULL), 0);
	buf_free(&a);
	buf_free(&b);
}

/* ------------------------------------------------------------ validate */

/*
 * Set the member or element at JSON pointer ptr ("/agents/0/id") of doc
 * to val (taking it; NULL is JSON null), or delete it when del is true.
 * "" replaces doc.
 */
static void
ptr_set(json_object **doc, const char *ptr, json_object *val, bool del)
{
	json_object	*cur = *doc, *next;
	char		 seg[512];
	const char	*p = ptr, *e;
	size_t		 n;
	bool		 last;

	if (*ptr == '\0') {
		json_object_put(*doc);
		*doc = val;
		return;
	}
	for (;;) {
		p++;	/* the "/" */
		e = strchr(p, '/');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		CU_ASSERT_FATAL(n < sizeof(seg));
		memcpy(seg, p, n);
		seg[n] = '\0';
		last = e == NULL;
		if (json_object_is_type(cur, json_type_array)) {
			size_t	 i = (size_t)strtoul(seg, NULL, 10);

			if (last) {
				if (del)
					json_object_array_del_idx(cur, i, 1);
				else
					json_object_array_put_idx(cur, i, val);
				return;
			}
			next = json_object_array_get_idx(cur, i);
		} else {
			if (last) {
				if (del)
					json_object_object_del(cur, seg);
				else
					json_object_object_add(cur, seg, val);
				return;
			}
			next = json_object_object_get(cur, seg);
		}
		UNIT_CHECK(next != NULL, "pointer %s: no %s", ptr, seg);
		if (next == NULL) {
			json_object_put(val);
			return;
		}
		cur = next;
		p = e;
	}
}

/*
 * Patch BASE_DOC (up to two patches, ptr2 NULL for one; delN deletes),
 * validate, and expect field/msg (field NULL: valid).  The normalized
 * document must give the same answer.
 */
static void
expect_ex(unsigned int line, const char *ptr1, json_object *val1, bool del1,
    const char *ptr2, json_object *val2, bool del2, const char *field,
    const char *msg)
{
	struct agents_err	 err, nerr;
	json_object		*doc = unit_parse(BASE_DOC);
	int			 rc, nrc;

	ptr_set(&doc, ptr1, val1, del1);
	if (ptr2 != NULL)
		ptr_set(&doc, ptr2, val2, del2);
	memset(&err, 0x55, sizeof(err));
	rc = agents_validate(doc, &err);
	if (field == NULL)
		UNIT_CHECK(rc == 0 && err.ae_field[0] == '\0' &&
		    err.ae_msg == NULL, "line %u: %s: expected valid, got "
		    "%s: %s", line, ptr1, err.ae_field, UNIT_S(err.ae_msg));
	else
		UNIT_CHECK(rc == -1 && strcmp(err.ae_field, field) == 0 &&
		    err.ae_msg != NULL && strncmp(err.ae_msg, msg,
		    strlen(msg)) == 0, "line %u: %s: got %s \"%s\" (%d), "
		    "want %s \"%s\"", line, ptr1, rc == 0 ? "(valid)" :
		    err.ae_field, UNIT_S(err.ae_msg), rc, field, msg);
	/* The verdict does not depend on normalization. */
	CU_ASSERT_FATAL(agents_normalize(doc) == 0);
	nrc = agents_validate(doc, &nerr);
	UNIT_CHECK(nrc == rc && strcmp(nerr.ae_field, err.ae_field) == 0 &&
	    unit_streq(nerr.ae_msg, err.ae_msg), "line %u: %s: normalized "
	    "gives %s \"%s\"", line, ptr1, nerr.ae_field, UNIT_S(nerr.ae_msg));
	json_object_put(doc);
}

/* expect_ex where a NULL value means "delete". */
static void
expect(unsigned int line, const char *ptr1, json_object *val1,
    const char *ptr2, json_object *val2, const char *field, const char *msg)
{
	expect_ex(line, ptr1, val1, val1 == NULL, ptr2, val2, val2 == NULL,
	    field, msg);
}

struct vcase {
	unsigned int	 line;
	const char	*ptr1;		/* JSON pointer into BASE_DOC */
	const char	*val1;		/* JSON text; NULL deletes */
	const char	*ptr2;		/* optional second patch */
	const char	*val2;
	const char	*field;		/* NULL: still valid */
	const char	*msg;		/* prefix of ae_msg */
};

#define T	"/agents/0/tools/1"	/* a custom tool with secrets */
#define O	"/agents/1/tools/0"	/* an OAuth tool */
#define A	O "/integration/auth"
#define TF	"agents[0].tools[1]"
#define OF	"agents[1].tools[0]"
#define AF	OF ".integration.auth"

#define MISSING	"A required field is missing."
#define STR	"Expected a string."
#define OBJ	"Expected an object."
#define ARR	"Expected an array."
#define BOOL	"Expected a boolean."
#define OAUTHP	"OAuth tools must not use token"

static const struct vcase vcases[] = {
	/* The document. */
	{ __LINE__, "", "[]", NULL, NULL, "", "agents.json must be" },
	{ __LINE__, "", "\"x\"", NULL, NULL, "", "agents.json must be" },
	{ __LINE__, "", "null", NULL, NULL, "", "agents.json must be" },
	{ __LINE__, "/extra", "1", NULL, NULL, "extra", "Unknown field." },
	{ __LINE__, "/version", "\"v1\"", NULL, NULL, "version",
	  "Unknown field." },
	{ __LINE__, "/agents", NULL, NULL, NULL, "agents", MISSING },
	{ __LINE__, "/agents", "{}", NULL, NULL, "agents", ARR },
	{ __LINE__, "/agents", "null", NULL, NULL, "agents", ARR },
	{ __LINE__, "/agents", "[]", NULL, NULL, NULL, NULL },
	{ __LINE__, "/agents", "[]", "/appTools", NULL, "agents",
	  "agents may be empty only" },
	{ __LINE__, "/agents", "[]", "/appTools", "[]", "agents",
	  "agents may be empty only" },
	{ __LINE__, "/appTools", NULL, NULL, NULL, NULL, NULL },
	{ __LINE__, "/appTools", "[]", NULL, NULL, NULL, NULL },
	{ __LINE__, "/appTools", "{}", NULL, NULL, "appTools", ARR },

	/* Agents. */
	{ __LINE__, "/agents/0", "1", NULL, NULL, "agents[0]", OBJ },
	{ __LINE__, "/agents/1", "[]", NULL, NULL, "agents[1]", OBJ },
	{ __LINE__, "/agents/0/id", NULL, NULL, NULL, "agents[0].id", MISSING },
	{ __LINE__, "/agents/0/id", "7", NULL, NULL, "agents[0].id", STR },
	{ __LINE__, "/agents/0/id", "null", NULL, NULL, "agents[0].id", STR },
	{ __LINE__, "/agents/0/id", "\"\"", NULL, NULL, "agents[0].id",
	  "Must match ^[a-z0-9]" },
	{ __LINE__, "/agents/0/id", "\"Lead\"", NULL, NULL, "agents[0].id",
	  "Must match ^[a-z0-9]" },
	{ __LINE__, "/agents/0/id", "\"-lead\"", NULL, NULL, "agents[0].id",
	  "Must match ^[a-z0-9]" },
	{ __LINE__, "/agents/0/id", "\"_lead\"", NULL, NULL, "agents[0].id",
	  "Must match ^[a-z0-9]" },
	{ __LINE__, "/agents/0/id", "\"le ad\"", NULL, NULL, "agents[0].id",
	  "Must match ^[a-z0-9]" },
	{ __LINE__, "/agents/0/id", "\"a\\u0000\"", NULL, NULL, "agents[0].id",
	  "Must match ^[a-z0-9]" },
	{ __LINE__, "/agents/0/id", "\"0\"", NULL, NULL, NULL, NULL },
	{ __LINE__, "/agents/0/id", "\"a_b-c9\"", NULL, NULL, NULL, NULL },
	{ __LINE__, "/agents/1/id", "\"lead-scorer\"", NULL, NULL,
	  "agents[1].id", "Duplicate agent id." },
	{ __LINE__, "/agents/0/name", NULL, NULL, NULL, "agents[0].name",
	  MISSING },
	{ __LINE__, "/agents/0/name", "1", NULL, NULL, "agents[0].name", STR },
	{ __LINE__, "/agents/0/name", "\"\"", NULL, NULL, "agents[0].name",
	  "Must be 1 to 200" },
	{ __LINE__, "/agents/0/name", "\"   \"", NULL, NULL, "agents[0].name",
	  "Must be 1 to 200" },
	{ __LINE__, "/agents/0/name", "\"a\\nb\"", NULL, NULL,
	  "agents[0].name", "Must be 1 to 200" },
	{ __LINE__, "/agents/0/name", "\"a\\u007f\"", NULL, NULL,
	  "agents[0].name", "Must be 1 to 200" },
	{ __LINE__, "/agents/0/name", "\"\xc3\x89quipe \xf0\x9f\x98\x80\"",
	  NULL, NULL, NULL, NULL },
	{ __LINE__, "/agents/0/description", NULL, NULL, NULL, NULL, NULL },
	{ __LINE__, "/agents/0/description", "\"\"", NULL, NULL, NULL, NULL },
	{ __LINE__, "/agents/0/description", "5", NULL, NULL,
	  "agents[0].description", STR },
	{ __LINE__, "/agents/0/description", "\"a\\u0000b\"", NULL, NULL,
	  "agents[0].description", "Must not contain NUL." },
	{ __LINE__, "/agents/0/systemPrompt", NULL, NULL, NULL, NULL, NULL },
	{ __LINE__, "/agents/0/systemPrompt", "{}", NULL, NULL,
	  "agents[0].systemPrompt", STR },
	{ __LINE__, "/agents/0/dataCollections", NULL, NULL, NULL, NULL, NULL },
	{ __LINE__, "/agents/0/dataCollections", "[]", NULL, NULL, NULL, NULL },
	{ __LINE__, "/agents/0/dataCollections", "\"leads\"", NULL, NULL,
	  "agents[0].dataCollections", ARR },
	{ __LINE__, "/agents/0/dataCollections/1", "5", NULL, NULL,
	  "agents[0].dataCollections[1]", STR },
	{ __LINE__, "/agents/0/dataCollections/1", "\"my leads\"", NULL, NULL,
	  "agents[0].dataCollections[1]", "Must match ^[A-Za-z0-9_-]" },
	{ __LINE__, "/agents/0/dataCollections/1", "\"\"", NULL, NULL,
	  "agents[0].dataCollections[1]", "Must match ^[A-Za-z0-9_-]" },
	{ __LINE__, "/agents/0/dataCollections/1", "\"a.b\"", NULL, NULL,
	  "agents[0].dataCollections[1]", "Must match ^[A-Za-z0-9_-]" },
	{ __LINE__, "/agents/0/dataCollections/2", "\"leads\"", NULL, NULL,
	  "agents[0].dataCollections[2]", "Duplicate data collection." },
	{ __LINE__, "/agents/0/dataCollections/2", "\"Leads\"", NULL, NULL,
	  NULL, NULL },
	{ __LINE__, "/agents/0/tools", NULL, NULL, NULL, NULL, NULL },
	{ __LINE__, "/agents/0/tools", "[]", NULL, NULL, NULL, NULL },
	{ __LINE__, "/agents/0/tools", "{}", NULL, NULL, "agents[0].tools",
	  ARR },
	{ __LINE__, "/agents/0/unknown", "1", NULL, NULL, NULL, NULL },

	/* Tools. */
	{ __LINE__, T, "5", NULL, NULL, TF, OBJ },
	{ __LINE__, T "/type", NULL, NULL, NULL, TF ".type", MISSING },
	{ __LINE__, T "/type", "\"mcp\"", NULL, NULL, TF ".type",
	  "Must be \"builtin\" or \"custom\"." },
	{ __LINE__, T "/type", "\"Custom\"", NULL, NULL, TF ".type",
	  "Must be \"builtin\"" },
	{ __LINE__, T "/name", NULL, NULL, NULL, TF ".name", MISSING },
	{ __LINE__, T "/name", "\"linear search\"", NULL, NULL, TF ".name",
	  "Must match ^[A-Za-z0-9_-]" },
	{ __LINE__, T "/name", "\"mcp__x.y\"", NULL, NULL, TF ".name",
	  "Must match ^[A-Za-z0-9_-]" },
	{ __LINE__, T "/name", "\"report_tool_call_failed\"", NULL, NULL,
	  TF ".name", "This tool name is reserved." },
	{ __LINE__, T "/name", "\"WebSearch\"", NULL, NULL, TF ".name",
	  "Duplicate tool name." },
	{ __LINE__, "/agents/0/tools/0/name", "\"Bash\"", NULL, NULL,
	  "agents[0].tools[0].name", "Builtin tools are WebSearch and" },
	{ __LINE__, "/agents/0/tools/0/name", "\"WebFetch\"", NULL, NULL,
	  NULL, NULL },
	{ __LINE__, "/agents/0/tools/2", "{\"type\":\"builtin\",\"name\":"
	  "\"WebSearch\"}", NULL, NULL, "agents[0].tools[2].name",
	  "Duplicate tool name." },
	{ __LINE__, "/agents/1/tools/1", "{\"type\":\"builtin\",\"name\":"
	  "\"WebSearch\"}", NULL, NULL, NULL, NULL },
	{ __LINE__, T "/displayName", "1", NULL, NULL, TF ".displayName",
	  STR },
	{ __LINE__, T "/description", "[]", NULL, NULL, TF ".description",
	  STR },
	{ __LINE__, T "/enabled", "\"yes\"", NULL, NULL, TF ".enabled", BOOL },
	{ __LINE__, T "/enabled", "1", NULL, NULL, TF ".enabled", BOOL },
	{ __LINE__, T "/enabled", NULL, NULL, NULL, NULL, NULL },
	{ __LINE__, T "/recommended", "null", NULL, NULL, TF ".recommended",
	  BOOL },
	{ __LINE__, T "/recommended", "true", NULL, NULL, NULL, NULL },
	{ __LINE__, T "/integration", NULL, NULL, NULL, TF ".integration",
	  MISSING },
	{ __LINE__, T "/integration", "[]", NULL, NULL, TF ".integration",
	  OBJ },
	{ __LINE__, T "/integration/name", NULL, NULL, NULL,
	  TF ".integration.name", MISSING },
	{ __LINE__, T "/integration/name", "\"\"", NULL, NULL,
	  TF ".integration.name", "Must be 1 to 200" },
	{ __LINE__, T "/integration/domain", NULL, NULL, NULL,
	  TF ".integration.domain", MISSING },
	{ __LINE__, T "/integration/domain", "\"API.linear.app\"", NULL, NULL,
	  TF ".integration.domain", "Must be a lowercase DNS name" },
	{ __LINE__, T "/integration/domain", "\"linear\"", NULL, NULL,
	  TF ".integration.domain", "Must be a lowercase DNS name" },
	{ __LINE__, T "/integration/domain", "\"10.0.0.1\"", NULL, NULL,
	  TF ".integration.domain", "Must be a lowercase DNS name" },
	{ __LINE__, T "/integration/domain", "\"-a.com\"", NULL, NULL,
	  TF ".integration.domain", "Must be a lowercase DNS name" },
	{ __LINE__, T "/integration/domain", "\"a-.com\"", NULL, NULL,
	  TF ".integration.domain", "Must be a lowercase DNS name" },
	{ __LINE__, T "/integration/domain", "\"a..com\"", NULL, NULL,
	  TF ".integration.domain", "Must be a lowercase DNS name" },
	{ __LINE__, T "/integration/domain", "\"a.com.\"", NULL, NULL,
	  TF ".integration.domain", "Must be a lowercase DNS name" },
	{ __LINE__, T "/integration/domain", "\".a.com\"", NULL, NULL,
	  TF ".integration.domain", "Must be a lowercase DNS name" },
	{ __LINE__, T "/integration/domain", "\"a_b.com\"", NULL, NULL,
	  TF ".integration.domain", "Must be a lowercase DNS name" },
	{ __LINE__, T "/integration/domain", "\"https://a.com\"", NULL, NULL,
	  TF ".integration.domain", "Must be a lowercase DNS name" },
	{ __LINE__, T "/integration/domain", "\"a.com/x\"", NULL, NULL,
	  TF ".integration.domain", "Must be a lowercase DNS name" },
	{ __LINE__, T "/integration/domain", "\"\"", NULL, NULL,
	  TF ".integration.domain", "Must be a lowercase DNS name" },
	{ __LINE__, T "/integration/domain", "\"xn--bcher-kva.example\"",
	  NULL, NULL, NULL, NULL },
	{ __LINE__, T "/integration/domain", "\"a-b.c0.io\"", NULL, NULL,
	  NULL, NULL },
	{ __LINE__, T "/integration/keySlug", NULL, NULL, NULL, NULL, NULL },
	{ __LINE__, T "/integration/keySlug", "\"Default\"", NULL, NULL,
	  TF ".integration.keySlug", "Must match ^[a-z0-9]" },
	{ __LINE__, T "/integration/keySlug", "5", NULL, NULL,
	  TF ".integration.keySlug", STR },
	{ __LINE__, T "/integration/keySlug", "null", NULL, NULL,
	  TF ".integration.keySlug", STR },
	{ __LINE__, T "/integration/setupSearchQuery", "[]", NULL, NULL,
	  TF ".integration.setupSearchQuery", STR },
	{ __LINE__, T "/integration/auth", "\"oauth2\"", NULL, NULL,
	  TF ".integration.auth", OBJ },
	{ __LINE__, T "/endpoint", NULL, NULL, NULL, TF ".endpoint", MISSING },
	{ __LINE__, T "/endpoint", "\"https://x.y\"", NULL, NULL,
	  TF ".endpoint", OBJ },
	{ __LINE__, T "/endpoint/method", NULL, NULL, NULL,
	  TF ".endpoint.method", MISSING },
	{ __LINE__, T "/endpoint/method", "\"get\"", NULL, NULL,
	  TF ".endpoint.method", "Must be GET, POST" },
	{ __LINE__, T "/endpoint/method", "\"HEAD\"", NULL, NULL,
	  TF ".endpoint.method", "Must be GET, POST" },
	{ __LINE__, T "/endpoint/method", "\"DELETE\"", NULL, NULL, NULL,
	  NULL },
	{ __LINE__, T "/endpoint/method", "\"PATCH\"", NULL, NULL, NULL,
	  NULL },
	{ __LINE__, T "/endpoint/method", "\"PUT\"", NULL, NULL, NULL, NULL },
	{ __LINE__, T "/endpoint/url", NULL, NULL, NULL, TF ".endpoint.url",
	  MISSING },
	{ __LINE__, T "/endpoint/url", "5", NULL, NULL, TF ".endpoint.url",
	  STR },
	{ __LINE__, T "/endpoint/url", "\"http://api.linear.app/\"", NULL,
	  NULL, TF ".endpoint.url", "Must be an https:// URL." },
	{ __LINE__, T "/endpoint/url", "\"HTTPS://api.linear.app/\"", NULL,
	  NULL, TF ".endpoint.url", "Must be an https:// URL." },
	{ __LINE__, T "/endpoint/url", "\"https://\"", NULL, NULL,
	  TF ".endpoint.url", "Must be an https:// URL." },
	{ __LINE__, T "/endpoint/url", "\"https:///etc\"", NULL, NULL,
	  TF ".endpoint.url", "Must be an https:// URL." },
	{ __LINE__, T "/endpoint/url", "\"https://a.com/x y\"", NULL, NULL,
	  TF ".endpoint.url", "Must be an https:// URL." },
	{ __LINE__, T "/endpoint/url", "\"https://a.com/\\r\\n\"", NULL, NULL,
	  TF ".endpoint.url", "Must be an https:// URL." },
	{ __LINE__, T "/endpoint/url", "\"https://evil.com\\\\@a.com/\"", NULL,
	  NULL, TF ".endpoint.url", "Must be an https:// URL." },
	{ __LINE__, T "/endpoint/url", "\"ftp://a.com/\"", NULL, NULL,
	  TF ".endpoint.url", "Must be an https:// URL." },
	{ __LINE__, T "/endpoint/url", "\"https://{{secrets.HOST}}/x\"", NULL,
	  NULL, NULL, NULL },
	{ __LINE__, T "/endpoint/headers", "[]", NULL, NULL,
	  TF ".endpoint.headers", OBJ },
	{ __LINE__, T "/endpoint/headers", "{}", NULL, NULL, NULL, NULL },
	{ __LINE__, T "/endpoint/headers/X-N", "5", NULL, NULL,
	  TF ".endpoint.headers.X-N", STR },
	{ __LINE__, T "/endpoint/headers/Bad Name", "\"v\"", NULL, NULL,
	  TF ".endpoint.headers.Bad Name", "Not a valid header name." },
	{ __LINE__, T "/endpoint/headers/X:Y", "\"v\"", NULL, NULL,
	  TF ".endpoint.headers.X:Y", "Not a valid header name." },
	{ __LINE__, T "/endpoint/headers/X-N", "\"a\\r\\nSet-Cookie: x\"", NULL,
	  NULL, TF ".endpoint.headers.X-N", "Header values must not" },
	{ __LINE__, T "/endpoint/headers/X-N", "\"a\\u0000\"", NULL, NULL,
	  TF ".endpoint.headers.X-N", "Header values must not" },
	{ __LINE__, T "/endpoint/headers/X-Api_Key.v2", "\"{{secrets.K}}\"",
	  NULL, NULL, NULL, NULL },
	{ __LINE__, T "/endpoint/queryParams", "[]", NULL, NULL,
	  TF ".endpoint.queryParams", OBJ },
	{ __LINE__, T "/endpoint/queryParams/n", "1", NULL, NULL,
	  TF ".endpoint.queryParams.n", STR },
	{ __LINE__, T "/endpoint/queryParams/n", "\"a\\u0000\"", NULL, NULL,
	  TF ".endpoint.queryParams.n", "Must not contain NUL." },
	{ __LINE__, T "/endpoint/body", "null", NULL, NULL, NULL, NULL },
	{ __LINE__, T "/endpoint/body", "\"raw {{secrets.K}}\"", NULL, NULL,
	  NULL, NULL },
	{ __LINE__, T "/endpoint/body", "[1,[2,{\"a\":\"\\u0000\"}]]", NULL,
	  NULL, NULL, NULL },
	{ __LINE__, T "/responseSchema", "[]", NULL, NULL, TF ".responseSchema",
	  OBJ },
	{ __LINE__, T "/responseSchema", NULL, NULL, NULL, NULL, NULL },
	{ __LINE__, T "/mockData", NULL, NULL, NULL, TF ".mockData",
	  "Custom tools need at least 3 mockData" },
	{ __LINE__, T "/mockData", "[1,2]", NULL, NULL, TF ".mockData",
	  "Custom tools need at least 3 mockData" },
	{ __LINE__, T "/mockData", "{}", NULL, NULL, TF ".mockData", ARR },
	{ __LINE__, T "/mockData", "[null,null,null]", NULL, NULL, NULL,
	  NULL },
	{ __LINE__, "/agents/0/tools/0/mockData", "[]", NULL, NULL, NULL,
	  NULL },
	{ __LINE__, "/agents/0/tools/0/mockData", "5", NULL, NULL,
	  "agents[0].tools[0].mockData", ARR },
	{ __LINE__, "/agents/0/tools/0/integration", "{\"name\":\"X\"}", NULL,
	  NULL, "agents[0].tools[0].integration.domain", MISSING },
	{ __LINE__, "/agents/0/tools/0/endpoint", "{\"method\":\"GET\",\"url\":"
	  "\"http://x.com\"}", NULL, NULL, "agents[0].tools[0].endpoint.url",
	  "Must be an https:// URL." },

	/* OAuth. */
	{ __LINE__, A "/type", NULL, NULL, NULL, AF ".type", MISSING },
	{ __LINE__, A "/type", "\"static_secret\"", NULL, NULL, AF ".type",
	  "Must be \"oauth2\"." },
	{ __LINE__, A "/providerKey", NULL, NULL, NULL, AF ".providerKey",
	  MISSING },
	{ __LINE__, A "/providerKey", "\"goo gle\"", NULL, NULL,
	  AF ".providerKey", "Must match" },
	{ __LINE__, A "/identity", NULL, NULL, NULL, AF ".identity", MISSING },
	{ __LINE__, A "/identity", "\"app\"", NULL, NULL, AF ".identity",
	  "Must be \"triggering_user\"." },
	{ __LINE__, A "/authorizationUrl", NULL, NULL, NULL,
	  AF ".authorizationUrl", MISSING },
	{ __LINE__, A "/authorizationUrl", "\"http://accounts.google.com/\"",
	  NULL, NULL, AF ".authorizationUrl", "Must be an https:// URL." },
	{ __LINE__, A "/tokenUrl", NULL, NULL, NULL, AF ".tokenUrl", MISSING },
	{ __LINE__, A "/tokenUrl", "\"https://\"", NULL, NULL, AF ".tokenUrl",
	  "Must be an https:// URL." },
	{ __LINE__, A "/tokenAuthMethod", NULL, NULL, NULL,
	  AF ".tokenAuthMethod", MISSING },
	{ __LINE__, A "/tokenAuthMethod", "\"basic\"", NULL, NULL,
	  AF ".tokenAuthMethod", "Must be client_secret_post" },
	{ __LINE__, A "/tokenAuthMethod", "\"none\"", NULL, NULL, NULL, NULL },
	{ __LINE__, A "/tokenAuthMethod", "\"client_secret_basic\"", NULL,
	  NULL, NULL, NULL },
	{ __LINE__, A "/scopes", NULL, NULL, NULL, AF ".scopes", MISSING },
	{ __LINE__, A "/scopes", "\"a b\"", NULL, NULL, AF ".scopes", ARR },
	{ __LINE__, A "/scopes", "[]", NULL, NULL, NULL, NULL },
	{ __LINE__, A "/scopes", "[\"a\",\"b c\"]", NULL, NULL,
	  AF ".scopes[1]", "Must be 1 to 256 bytes" },
	{ __LINE__, A "/scopes", "[\"\"]", NULL, NULL, AF ".scopes[0]",
	  "Must be 1 to 256 bytes" },
	{ __LINE__, A "/scopes", "[1]", NULL, NULL, AF ".scopes[0]", STR },
	{ __LINE__, A "/authorizationParams", "[]", NULL, NULL,
	  AF ".authorizationParams", OBJ },
	{ __LINE__, A "/authorizationParams/prompt", "true", NULL, NULL,
	  AF ".authorizationParams.prompt", STR },
	{ __LINE__, A "/tokenParams/x", "{}", NULL, NULL, AF ".tokenParams.x",
	  STR },
	{ __LINE__, A "/tokenParams", NULL, NULL, NULL, NULL, NULL },
	{ __LINE__, O "/endpoint/headers/Authorization", "\"Bearer x\"", NULL,
	  NULL, OF ".endpoint.headers.Authorization",
	  "OAuth tools must not set an Authorization header." },
	{ __LINE__, O "/endpoint/headers/authorization", "\"x\"", NULL, NULL,
	  OF ".endpoint.headers.authorization",
	  "OAuth tools must not set an Authorization header." },
	{ __LINE__, O "/endpoint/url", "\"https://www.googleapis.com/x?"
	  "t={{token}}\"", NULL, NULL, OF ".endpoint.url", OAUTHP },
	{ __LINE__, O "/endpoint/url", "\"https://www.googleapis.com/x?"
	  "t={{tokenizer}}\"", NULL, NULL, NULL, NULL },
	{ __LINE__, O "/endpoint/headers/X-T", "\"{{ Access_Token }}\"", NULL,
	  NULL, OF ".endpoint.headers.X-T", OAUTHP },
	{ __LINE__, O "/endpoint/headers/X-T", "\"{{{oauth.access_token}}}\"",
	  NULL, NULL, OF ".endpoint.headers.X-T", OAUTHP },
	{ __LINE__, O "/endpoint/queryParams/k", "\"{{secrets.KEY}}\"", NULL,
	  NULL, OF ".endpoint.queryParams.k", OAUTHP },
	{ __LINE__, O "/endpoint/queryParams/k", "\"{{ secrets.KEY }}\"", NULL,
	  NULL, OF ".endpoint.queryParams.k", OAUTHP },
	{ __LINE__, O "/endpoint/body", "{\"a\":[1,\"x {{token}}\"]}", NULL,
	  NULL, OF ".endpoint.body.a[1]", OAUTHP },
	{ __LINE__, O "/endpoint/body", "{\"{{oauth.access_token}}\":1}", NULL,
	  NULL, OF ".endpoint.body.{{oauth.access_token}}", OAUTHP },
	{ __LINE__, O "/endpoint/body", "\"{{secrets.X}}\"", NULL, NULL,
	  OF ".endpoint.body", OAUTHP },
	{ __LINE__, O "/endpoint/body", "{\"q\":\"{{query}}\",\"n\":[{}]}",
	  NULL, NULL, NULL, NULL },
	/* Without auth the same placeholders are the static-secret way. */
	{ __LINE__, A, NULL, O "/endpoint/headers/Authorization",
	  "\"Bearer {{secrets.TOKEN}}\"", NULL, NULL },

	/* appTools: the same tool rules, their own name space. */
	{ __LINE__, "/appTools/0", "[]", NULL, NULL, "appTools[0]", OBJ },
	{ __LINE__, "/appTools/0/name", NULL, NULL, NULL, "appTools[0].name",
	  MISSING },
	{ __LINE__, "/appTools/0/name", "\"linear_search\"", NULL, NULL, NULL,
	  NULL },
	{ __LINE__, "/appTools/1", "{\"type\":\"builtin\",\"name\":"
	  "\"WebFetch\"}", NULL, NULL, NULL, NULL },
	{ __LINE__, "/appTools/1", "{\"type\":\"custom\",\"name\":"
	  "\"create_issue\"}", NULL, NULL, "appTools[1].integration",
	  MISSING },
	{ __LINE__, "/appTools/1", "{\"type\":\"builtin\",\"name\":"
	  "\"WebFetch\"}", "/appTools/2", "{\"type\":\"builtin\",\"name\":"
	  "\"WebFetch\"}", "appTools[2].name", "Duplicate tool name." },
	{ __LINE__, "/appTools/0/mockData", "[1]", NULL, NULL,
	  "appTools[0].mockData", "Custom tools need at least 3" },
	{ __LINE__, "/appTools/0/integration/keySlug", "\"a/b\"", NULL, NULL,
	  "appTools[0].integration.keySlug", "Must match" },

	/* Values without a canonical form, wherever they are. */
	{ __LINE__, T "/mockData/0", "9007199254740993", NULL, NULL,
	  TF ".mockData[0]", "Numbers must be" },
	{ __LINE__, T "/mockData/0", "{\"a\":[1e400]}", NULL, NULL,
	  TF ".mockData[0].a[0]", "Numbers must be" },
	{ __LINE__, T "/responseSchema/max", "-18446744073709551615", NULL,
	  NULL, TF ".responseSchema.max", "Numbers must be" },
	{ __LINE__, T "/mockData/0", "{\"a\":[9007199254740992,-1.5e300]}",
	  NULL, NULL, NULL, NULL },
	/* Whole doubles in (2^53, 1e21) print as integers json-c refuses. */
	{ __LINE__, T "/mockData/0", "1e20", NULL, NULL, TF ".mockData[0]",
	  "Numbers must be" },
	{ __LINE__, T "/mockData/0", "-9007199254740994.0", NULL, NULL,
	  TF ".mockData[0]", "Numbers must be" },
	{ __LINE__, T "/mockData/0", "[9007199254740992.0,1e21,-1e21,1e300]",
	  NULL, NULL, NULL, NULL },
	/* The first problem in document order wins over later ones. */
	{ __LINE__, "/agents/0/id", "\"X\"", "/agents/1/name", "\"\"",
	  "agents[0].id", "Must match" },
};

static void
test_validate_table(void)
{
	json_object	*v1, *v2;
	size_t		 i;

	for (i = 0; i < UNIT_NCASES(vcases); i++) {
		v1 = vcases[i].val1 != NULL ? unit_parse(vcases[i].val1) : NULL;
		v2 = vcases[i].val2 != NULL ? unit_parse(vcases[i].val2) : NULL;
		expect_ex(vcases[i].line, vcases[i].ptr1, v1,
		    vcases[i].val1 == NULL, vcases[i].ptr2, v2,
		    vcases[i].val2 == NULL, vcases[i].field, vcases[i].msg);
	}
}

/* A string of n copies of unit. */
static json_object *
rep(const char *unit, size_t n)
{
	struct buf	 b = BUF_INIT;
	json_object	*s;
	size_t		 i;

	for (i = 0; i < n; i++)
		buf_puts(&b, unit);
	buf_puts(&b, "");
	s = json_object_new_string(b.b_data);
	buf_free(&b);
	return s;
}

/* Length limits, counted as the rules say (bytes or UTF-16 units). */
static void
test_validate_lengths(void)
{
	expect(__LINE__, "/agents/0/id", rep("a", 64), NULL, NULL, NULL, NULL);
	expect(__LINE__, "/agents/0/id", rep("a", 65), NULL, NULL,
	    "agents[0].id", "Must match");
	expect(__LINE__, "/agents/0/name", rep("n", 200), NULL, NULL, NULL,
	    NULL);
	expect(__LINE__, "/agents/0/name", rep("n", 201), NULL, NULL,
	    "agents[0].name", "Must be 1 to 200");
	/* 200 two-byte characters are 200 UTF-16 units: fine. */
	expect(__LINE__, "/agents/0/name", rep("\xc3\xa9", 200), NULL, NULL,
	    NULL, NULL);
	/* An emoji is two UTF-16 units, as in JavaScript. */
	expect(__LINE__, "/agents/0/name", rep("\xf0\x9f\x98\x80", 100), NULL,
	    NULL, NULL, NULL);
	expect(__LINE__, "/agents/0/name", rep("\xf0\x9f\x98\x80", 101), NULL,
	    NULL, "agents[0].name", "Must be 1 to 200");
	expect(__LINE__, "/agents/0/systemPrompt", rep("p", 65536), NULL, NULL,
	    NULL, NULL);
	expect(__LINE__, "/agents/0/systemPrompt", rep("p", 65537), NULL, NULL,
	    "agents[0].systemPrompt", "Too long.");
	expect(__LINE__, "/agents/0/dataCollections/0", rep("c", 64), NULL,
	    NULL, NULL, NULL);
	expect(__LINE__, "/agents/0/dataCollections/0", rep("c", 65), NULL,
	    NULL, "agents[0].dataCollections[0]", "Must match");
	expect(__LINE__, T "/name", rep("t", 64), NULL, NULL, NULL, NULL);
	expect(__LINE__, T "/name", rep("t", 65), NULL, NULL, TF ".name",
	    "Must match");
	expect(__LINE__, T "/integration/keySlug", rep("k", 64), NULL, NULL,
	    NULL, NULL);
	expect(__LINE__, T "/integration/keySlug", rep("k", 65), NULL, NULL,
	    TF ".integration.keySlug", "Must match");
	expect(__LINE__, T "/endpoint/url", json_object_new_string(
	    "https://api.linear.app/"), NULL, NULL, NULL, NULL);
	/* A 63-byte label is fine, 64 is not. */
	expect(__LINE__, T "/integration/domain", json_object_new_string(
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    ".com"), NULL, NULL, NULL, NULL);
	expect(__LINE__, T "/integration/domain", json_object_new_string(
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    ".com"), NULL, NULL, TF ".integration.domain", "Must be a");
}

/* A JSON array of n items made by mk(i). */
static json_object *
array_of(size_t n, json_object *(*mk)(size_t))
{
	json_object	*a = json_object_new_array();
	size_t		 i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, mk(i));
	return a;
}

static json_object *
mk_collection(size_t i)
{
	char	 t[32];

	snprintf(t, sizeof(t), "c%zu", i);
	return json_object_new_string(t);
}

static json_object *
mk_tool(size_t i)
{
	char	 t[96];

	snprintf(t, sizeof(t), "{\"type\":\"builtin\",\"name\":\"%s\"}",
	    i == 0 ? "WebSearch" : "WebFetch");
	return json_tokener_parse(t);
}

static json_object *
mk_custom_tool(size_t i)
{
	char	 t[256];

	snprintf(t, sizeof(t), "{\"type\":\"custom\",\"name\":\"t%zu\","
	    "\"integration\":{\"name\":\"N\",\"domain\":\"example.com\"},"
	    "\"endpoint\":{\"method\":\"GET\",\"url\":\"https://example.com/\"},"
	    "\"mockData\":[1,2,3]}", i);
	return json_tokener_parse(t);
}

static json_object *
mk_agent(size_t i)
{
	char	 t[96];

	snprintf(t, sizeof(t), "{\"id\":\"a%zu\",\"name\":\"A\"}", i);
	return json_tokener_parse(t);
}

/* The entry limits, just inside and just outside. */
static void
test_validate_limits(void)
{
	expect(__LINE__, "/agents/0/dataCollections", array_of(
	    AGENTS_MAX_COLLECTIONS, mk_collection), NULL, NULL, NULL, NULL);
	expect(__LINE__, "/agents/0/dataCollections", array_of(
	    AGENTS_MAX_COLLECTIONS + 1, mk_collection), NULL, NULL,
	    "agents[0].dataCollections", "Too many data collections.");
	expect(__LINE__, "/agents/0/tools", array_of(AGENTS_MAX_TOOLS,
	    mk_custom_tool), NULL, NULL, NULL, NULL);
	expect(__LINE__, "/agents/0/tools", array_of(AGENTS_MAX_TOOLS + 1,
	    mk_custom_tool), NULL, NULL, "agents[0].tools", "Too many tools.");
	expect(__LINE__, "/appTools", array_of(AGENTS_MAX_TOOLS + 1,
	    mk_custom_tool), NULL, NULL, "appTools", "Too many tools.");
	expect(__LINE__, "/agents", array_of(AGENTS_MAX_AGENTS, mk_agent),
	    NULL, NULL, NULL, NULL);
	expect(__LINE__, "/agents", array_of(AGENTS_MAX_AGENTS + 1, mk_agent),
	    NULL, NULL, "agents", "Too many agents.");
	/* Three builtins: the third repeats WebFetch. */
	expect(__LINE__, "/agents/0/tools", array_of(3, mk_tool), NULL, NULL,
	    "agents[0].tools[2].name", "Duplicate tool name.");
}

/* UTF-8 and depth problems, which json-c's parser would not produce. */
static void
test_validate_encoding(void)
{
	struct buf	 path = BUF_INIT;
	json_object	*o;
	int		 i;

	expect(__LINE__, "/agents/0/description", json_object_new_string(
	    "caf\xc3"), NULL, NULL, "agents[0].description",
	    "Not valid UTF-8.");
	expect(__LINE__, T "/mockData/1", json_object_new_string(
	    "\xed\xa0\x80"), NULL, NULL, TF ".mockData[1]",
	    "Not valid UTF-8.");
	o = json_object_new_object();
	json_object_object_add(o, "ok\xff", json_object_new_int(1));
	expect(__LINE__, T "/responseSchema", o, NULL, NULL,
	    TF ".responseSchema", "A member name is not valid UTF-8.");
	/* The body sits at depth 6; 57 more arrays reach the limit. */
	expect(__LINE__, T "/endpoint/body", unit_nest(AGENTS_MAX_DEPTH - 6),
	    NULL, NULL, NULL, NULL);
	/* Reported at the innermost array, 58 elements down. */
	buf_puts(&path, TF ".endpoint.body");
	for (i = 0; i < AGENTS_MAX_DEPTH - 6; i++)
		buf_puts(&path, "[0]");
	expect(__LINE__, T "/endpoint/body", unit_nest(AGENTS_MAX_DEPTH - 5),
	    NULL, NULL, path.b_data, "Nested too deeply.");
	buf_free(&path);
}

/* Long paths are cut with "..." at a character boundary. */
static void
test_validate_long_path(void)
{
	struct agents_err	 err;
	struct buf		 key = BUF_INIT;
	json_object		*doc = unit_parse(BASE_DOC);
	size_t			 i, n;

	buf_putc(&key, 'a');
	for (i = 0; i < 100; i++)
		buf_puts(&key, "\xe2\x82\xac");		/* 3 bytes each */
	json_object_object_add(doc, key.b_data, json_object_new_int(1));
	CU_ASSERT_EQUAL(agents_validate(doc, &err), -1);
	n = strlen(err.ae_field);
	/* 252 bytes of room: "a" and 83 whole euro signs, then "...". */
	CU_ASSERT_EQUAL(n, 1 + 83 * 3 + 3);
	CU_ASSERT_TRUE(n < AGENTS_FIELD_MAX);
	CU_ASSERT_EQUAL(strncmp(err.ae_field, key.b_data, n - 3), 0);
	CU_ASSERT_STRING_EQUAL(err.ae_field + n - 3, "...");
	CU_ASSERT_STRING_EQUAL(err.ae_msg, "Unknown field.");
	json_object_put(doc);

	/* A deep path inside a body is cut too, and still names the spot. */
	doc = unit_parse(BASE_DOC);
	ptr_set(&doc, T "/endpoint/body", unit_nest(AGENTS_MAX_DEPTH),
	    false);
	CU_ASSERT_EQUAL(agents_validate(doc, &err), -1);
	CU_ASSERT_EQUAL(strncmp(err.ae_field, TF ".endpoint.body[0][0]",
	    strlen(TF ".endpoint.body[0][0]")), 0);
	CU_ASSERT_TRUE(strlen(err.ae_field) < AGENTS_FIELD_MAX);
	CU_ASSERT_STRING_EQUAL(err.ae_msg, "Nested too deeply.");
	json_object_put(doc);
	buf_free(&key);
}

/* The base document and the independent vectors validate. */
static void
test_validate_valid(void)
{
	struct agents_err	 err;
	json_object		*doc = unit_parse(BASE_DOC);

	memset(&err, 0x55, sizeof(err));
	CU_ASSERT_EQUAL(agents_validate(doc, &err), 0);
	CU_ASSERT_STRING_EQUAL(err.ae_field, "");
	CU_ASSERT_PTR_NULL(err.ae_msg);
	/* Validation does not change the document. */
	{
		char	 h[AGENTS_HASH_SIZE];

		hash_of(doc, h);
		CU_ASSERT_STRING_EQUAL(h, BASE_HASH);
	}
	json_object_put(doc);
	/* agents may be empty when appTools is not. */
	doc = unit_parse(hash_cases[1].doc);
	CU_ASSERT_EQUAL(agents_validate(doc, &err), 0);
	json_object_put(doc);
}

/* ------------------------------------------------------------ lookups */

static void
test_lookups(void)
{
	json_object	*doc = unit_parse(BASE_DOC), *t, *s;

	CU_ASSERT_TRUE(agents_has_agent(doc, "lead-scorer"));
	CU_ASSERT_TRUE(agents_has_agent(doc, "calendar"));
	CU_ASSERT_FALSE(agents_has_agent(doc, "Calendar"));
	CU_ASSERT_FALSE(agents_has_agent(doc, "calendar "));
	CU_ASSERT_FALSE(agents_has_agent(doc, ""));
	CU_ASSERT_FALSE(agents_has_agent(doc, NULL));
	CU_ASSERT_FALSE(agents_has_agent(NULL, "calendar"));

	CU_ASSERT_TRUE(agents_has_collection(doc, "lead-scorer", "leads"));
	CU_ASSERT_TRUE(agents_has_collection(doc, "lead-scorer", "notes_2"));
	CU_ASSERT_FALSE(agents_has_collection(doc, "lead-scorer", "Leads"));
	/* Another agent's collection is not the caller's. */
	CU_ASSERT_FALSE(agents_has_collection(doc, "calendar", "leads"));
	CU_ASSERT_FALSE(agents_has_collection(doc, "nobody", "leads"));
	CU_ASSERT_FALSE(agents_has_collection(doc, NULL, "leads"));
	CU_ASSERT_FALSE(agents_has_collection(doc, "lead-scorer", NULL));

	t = agents_find_tool(doc, "create_issue");
	CU_ASSERT_PTR_NOT_NULL(t);
	CU_ASSERT_TRUE(t != NULL && json_object_object_get_ex(t, "endpoint",
	    &s));
	/* Agent tools are not app actions, and the reverse. */
	CU_ASSERT_PTR_NULL(agents_find_tool(doc, "linear_search"));
	CU_ASSERT_PTR_NULL(agents_find_tool(doc, NULL));
	CU_ASSERT_PTR_NOT_NULL(agents_find_agent_tool(doc, "lead-scorer",
	    "linear_search"));
	CU_ASSERT_PTR_NOT_NULL(agents_find_agent_tool(doc, "lead-scorer",
	    "WebSearch"));
	CU_ASSERT_PTR_NULL(agents_find_agent_tool(doc, "calendar",
	    "linear_search"));
	CU_ASSERT_PTR_NULL(agents_find_agent_tool(doc, "lead-scorer",
	    "create_issue"));
	CU_ASSERT_PTR_NULL(agents_find_agent_tool(doc, "nobody",
	    "linear_search"));
	CU_ASSERT_PTR_NULL(agents_find_agent_tool(doc, NULL, "WebSearch"));
	CU_ASSERT_TRUE(agents_find_agent_tool(doc, "calendar", "list_events") ==
	    json_object_array_get_idx(json_object_object_get(
	    json_object_array_get_idx(json_object_object_get(doc, "agents"),
	    1), "tools"), 0));
	json_object_put(doc);

	/* Malformed documents give no matches rather than crashes. */
	doc = unit_parse(
	    "{\"agents\":{\"id\":\"a\"},\"appTools\":[1,{\"name\":2},"
	    "{\"name\":\"x\"}]}");
	CU_ASSERT_FALSE(agents_has_agent(doc, "a"));
	CU_ASSERT_PTR_NOT_NULL(agents_find_tool(doc, "x"));
	CU_ASSERT_PTR_NULL(agents_find_tool(doc, "2"));
	json_object_put(doc);
	doc = unit_parse(
	    "{\"agents\":[{\"id\":\"a\",\"dataCollections\":\"c\"},"
	    "{\"id\":\"b\",\"dataCollections\":[1,\"c\"]}]}");
	CU_ASSERT_FALSE(agents_has_collection(doc, "a", "c"));
	CU_ASSERT_TRUE(agents_has_collection(doc, "b", "c"));
	CU_ASSERT_FALSE(agents_has_collection(doc, "b", "1"));
	json_object_put(doc);
}

static const struct unit_case cases[] = {
	{ "canonical: not an agents.json", test_canonical_not_agents },
	{ "hash: independent vectors", test_hash_vectors },
	{ "hash: order and white space", test_hash_invariance },
	{ "hash: normalization rules", test_hash_normalization },
	{ "hash: input untouched", test_hash_no_mutation },
	{ "hash: failure", test_hash_failure },
	{ "normalize in place", test_normalize },
	{ "validate: valid documents", test_validate_valid },
	{ "validate: rule table", test_validate_table },
	{ "validate: lengths", test_validate_lengths },
	{ "validate: entry limits", test_validate_limits },
	{ "validate: encoding and depth", test_validate_encoding },
	{ "validate: long paths", test_validate_long_path },
	{ "lookups", test_lookups },
};

int main(void);

int
main(void)
{
	if (sodium_init() < 0)
		return 1;
	return unit_run("agents", cases, UNIT_NCASES(cases));
}
