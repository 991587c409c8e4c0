/*
 * test_jsonin: the rules jsonin_object holds a request body to: numbers
 * (64-bit integers; other numbers at most 40 digits written out in full
 * unless sent that long), duplicate keys at any depth, and the field a
 * bad number is reported under; and jsonin_stored's size and value
 * limits.  The expected answers are written out by hand, row by row.
 */
#include "config.h"

#include <CUnit/Basic.h>
#include <string.h>

#include "jsonin.h"
#include "rctx.h"
#include "unit.h"

static const struct {
	const char	*body;
	enum err	 rc;
	const char	*field;		/* of a 422 */
} bodies[] = {
	{ "{\"n\":1}", ERR_OK, NULL },
	{ "{\"n\":-0}", ERR_OK, NULL },
	{ "{\"n\":18446744073709551615}", ERR_OK, NULL },
	{ "{\"n\":18446744073709551616}", ERR_VALIDATION_FAILED, "n" },
	{ "{\"n\":99999999999999999999}", ERR_VALIDATION_FAILED, "n" },
	{ "{\"n\":-9223372036854775808}", ERR_OK, NULL },
	{ "{\"n\":-9223372036854775809}", ERR_VALIDATION_FAILED, "n" },
	{ "{\"n\":123456789012345678901234567890}", ERR_VALIDATION_FAILED,
	  "n" },
	{ "{\"n\":123456789012345678901234567890.5}", ERR_OK, NULL },
	{ "{\"n\":1e39}", ERR_OK, NULL },
	{ "{\"n\":-1e39}", ERR_OK, NULL },
	{ "{\"n\":1E+39}", ERR_OK, NULL },
	{ "{\"n\":1e40}", ERR_VALIDATION_FAILED, "n" },
	{ "{\"n\":1e-39}", ERR_OK, NULL },
	{ "{\"n\":1e-40}", ERR_VALIDATION_FAILED, "n" },
	{ "{\"n\":0e-38}", ERR_OK, NULL },
	{ "{\"n\":0e-99999}", ERR_VALIDATION_FAILED, "n" },
	{ "{\"n\":1.5e-3}", ERR_OK, NULL },
	{ "{\"n\":12.5e38}", ERR_OK, NULL },
	{ "{\"n\":12.5e39}", ERR_VALIDATION_FAILED, "n" },
	{ "{\"n\":1e131071}", ERR_VALIDATION_FAILED, "n" },
	{ "{\"n\":1e99999999999999999999999}", ERR_VALIDATION_FAILED, "n" },
	{ "{\"n\":1e-99999999999999999999999}", ERR_VALIDATION_FAILED, "n" },
	/* 0.(49 zeros)1: 52 digits written out, sent just as long. */
	{ "{\"n\":0.00000000000000000000000000000000000000000000000001}",
	  ERR_OK, NULL },
	{ "{\"a\":1,\"data\":{\"x\":[1,{\"y\":1e999}]}}", ERR_VALIDATION_FAILED,
	  "data" },
	{ "{\"data\":{\"x\":1e999},\"z\":1}", ERR_VALIDATION_FAILED, "data" },
	{ "{\"k\\\"q\":1e99}", ERR_VALIDATION_FAILED, "k\\\"q" },
	{ "{\"s\":\"1e999999\"}", ERR_OK, NULL },
	{ "{\"a\":1,\"a\":2}", ERR_INVALID_JSON, NULL },
	{ "{\"a\":1,\"\\u0061\":2}", ERR_INVALID_JSON, NULL },
	{ "{\"a\":{\"b\":1,\"b\":1}}", ERR_INVALID_JSON, NULL },
	{ "{\"a\":[{\"b\":1},{\"b\":1,\"c\":{\"d\":0,\"d\":0}}]}",
	  ERR_INVALID_JSON, NULL },
	{ "{\"a\":{\"b\":1},\"b\":{\"a\":1}}", ERR_OK, NULL },
	{ "{\"a\" : 1 , \"b\" : \"a\"}", ERR_OK, NULL },
	{ "{\"a\":1", ERR_INVALID_JSON, NULL },
	{ "[1]", ERR_INVALID_JSON, NULL },
};

static void
test_bodies(void)
{
	struct jsonin_why	 why;
	json_object		*o;
	enum err		 rc;
	size_t			 i;

	for (i = 0; i < UNIT_NCASES(bodies); i++) {
		rc = jsonin_object(bodies[i].body, strlen(bodies[i].body), &o,
		    &why);
		UNIT_CHECK(rc == bodies[i].rc, "%s: got %d, want %d",
		    bodies[i].body, (int)rc, (int)bodies[i].rc);
		UNIT_CHECK((o != NULL) == (rc == ERR_OK), "%s: object",
		    bodies[i].body);
		if (bodies[i].field != NULL)
			UNIT_CHECK(strcmp(why.jw_field, bodies[i].field) == 0,
			    "%s: field '%s', want '%s'", bodies[i].body,
			    why.jw_field, bodies[i].field);
		json_object_put(o);
	}
}

/* jsonin_stored on the "d" member of body; the answer. */
static enum err
stored(const char *body, size_t max)
{
	struct jsonin_why	 why;
	struct rctx		 x;
	json_object		*o, *d;
	const char		*out;
	enum err		 rc = ERR_INTERNAL;

	memset(&x, 0, sizeof(x));
	if (jsonin_object(body, strlen(body), &o, &why) != ERR_OK)
		return rc;
	if (json_object_object_get_ex(o, "d", &d))
		rc = jsonin_stored(&x, d, "d", max, &out);
	if (rc != ERR_OK)
		CU_ASSERT_STRING_EQUAL(x.x_field, "d");
	json_object_put(o);
	return rc;
}

/* A body {"d":[TOKEN,TOKEN,...]} with n tokens, in a static buffer. */
static const char *
array_body(const char *token, size_t n)
{
	static char	 b[200000];
	size_t		 i, len = 0, t = strlen(token);

	len += (size_t)snprintf(b, sizeof(b), "{\"d\":[");
	for (i = 0; i < n && len + t + 4 < sizeof(b); i++) {
		if (i)
			b[len++] = ',';
		memcpy(b + len, token, t);
		len += t;
	}
	snprintf(b + len, sizeof(b) - len, "]}");
	return b;
}

static void
test_stored(void)
{
	/* {"a": 1}: 8 bytes written back, 7 sent. */
	CU_ASSERT_EQUAL(stored("{\"d\":{\"a\":1}}", 8), ERR_OK);
	CU_ASSERT_EQUAL(stored("{\"d\":{\"a\":1}}", 7), ERR_PAYLOAD_TOO_LARGE);
	/* 1e3 is 1000: 4 bytes, not 3. */
	CU_ASSERT_EQUAL(stored("{\"d\":1e3}", 4), ERR_OK);
	CU_ASSERT_EQUAL(stored("{\"d\":1e3}", 3), ERR_PAYLOAD_TOO_LARGE);
	/* [1, 2]: 6 bytes. */
	CU_ASSERT_EQUAL(stored("{\"d\":[1,2]}", 6), ERR_OK);
	CU_ASSERT_EQUAL(stored("{\"d\":[1,2]}", 5), ERR_PAYLOAD_TOO_LARGE);
	/* 9,999 numbers and the array: 10,000 values; one more is over. */
	CU_ASSERT_EQUAL(stored(array_body("0", 9999), JSONIN_DOC_MAX), ERR_OK);
	CU_ASSERT_EQUAL(stored(array_body("0", 10000), JSONIN_DOC_MAX),
	    ERR_VALIDATION_FAILED);
	/* 7,000 numbers of 40 digits each: 35 KB sent, 294 KB stored. */
	CU_ASSERT_EQUAL(stored(array_body("1e39", 7000), JSONIN_DOC_MAX),
	    ERR_PAYLOAD_TOO_LARGE);
	CU_ASSERT_EQUAL(stored(array_body("1e39", 6000), JSONIN_DOC_MAX),
	    ERR_OK);
}

static const struct unit_case cases[] = {
	{ "bodies: numbers and duplicate keys", test_bodies },
	{ "stored documents: bytes and values", test_stored },
};

UNIT_MAIN("jsonin", cases)
