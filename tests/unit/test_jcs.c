/*
 * test_jcs: the RFC 8785 canonical form of any JSON value (jcs.c).
 *
 * Expected forms were computed outside this code: the RFC 8785 examples
 * as printed in the RFC, the rest with a JCS written on ECMAScript's own
 * JSON.stringify (node).
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>

#include <json-c/json.h>

#include "buf.h"
#include "jcs.h"
#include "unit.h"

/* ------------------------------------------------------------ helpers */

/* jcs_serialize of v equals want (NULL: fails). */
static void
check_form(json_object *v, const char *want, const char *what)
{
	unit_check_form(jcs_serialize, v, want, what);
}

/* Parse text, check its JCS form and put it. */
static void
check_text(const char *text, const char *want)
{
	json_object	*v = unit_parse(text);

	check_form(v, want, text);
	json_object_put(v);
}

/* RFC 8785 3.2.2, the sample input and its canonical output verbatim. */
static void
test_jcs_rfc_sample(void)
{
	check_text("{\n"
	    "  \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, "
	    "0.000000000000000000000000001],\n"
	    "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c"
	    "\\\\\\\"\\/\",\n"
	    "  \"literals\": [null, true, false]\n"
	    "}",
	    "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30"
	    ",4.5,0.002,1e-27],\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\"
	    "\\\\\"/\"}");
}

/*
 * RFC 8785 3.2.3: members sorted by UTF-16 code units, so U+1F600 (a
 * surrogate pair, 0xD83D...) sorts before U+FB33 although its UTF-8 is
 * greater; U+0080 is printed literally.
 */
static void
test_jcs_rfc_sorting(void)
{
	check_text("{\n"
	    "  \"\\u20ac\": \"Euro Sign\",\n"
	    "  \"\\r\": \"Carriage Return\",\n"
	    "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
	    "  \"1\": \"One\",\n"
	    "  \"\\ud83d\\ude00\": \"Emoji: Grinning Face\",\n"
	    "  \"\\u0080\": \"Control\",\n"
	    "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"\n"
	    "}",
	    "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\","
	    "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\",\"\xe2\x82\xac"
	    "\":\"Euro Sign\",\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\",\""
	    "\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
	/* Prefixes sort first; ASCII by code. */
	check_text("{\"ab\":1,\"a\":2,\"B\":3,\"\":4,\"a b\":5}",
	    "{\"\":4,\"B\":3,\"a\":2,\"a b\":5,\"ab\":1}");
}

struct num_case {
	const char	*in;		/* JSON text */
	const char	*out;		/* NULL: refused */
};

/* Number text as parsed by json-c, then printed per ECMAScript. */
static const struct num_case num_text_cases[] = {
	{ "333333333.33333329", "333333333.3333333" },
	{ "1E30", "1e+30" },
	{ "4.50", "4.5" },
	{ "2e-3", "0.002" },
	{ "0.000001", "0.000001" },
	{ "1e-7", "1e-7" },
	{ "0.0000001", "1e-7" },
	{ "-0", "0" },
	{ "-0.0", "0" },
	{ "0.0", "0" },
	{ "1.0", "1" },
	{ "-1.5", "-1.5" },
	{ "100", "100" },
	{ "1e2", "100" },
	{ "1e20", "100000000000000000000" },
	{ "1e21", "1e+21" },
	{ "123e18", "123000000000000000000" },
	{ "1.2345678901234568e20", "123456789012345680000" },
	{ "0.1", "0.1" },
	{ "0.3", "0.3" },
	{ "1.25e-10", "1.25e-10" },
	{ "1e-6", "0.000001" },
	{ "1.5e-6", "0.0000015" },
	{ "-1e+300", "-1e+300" },
	{ "9007199254740992", "9007199254740992" },
	{ "-9007199254740992", "-9007199254740992" },
	{ "9007199254740993", NULL },	/* 2^53 + 1: a double would round */
	{ "-9007199254740993", NULL },
	{ "9223372036854775807", NULL },
	{ "18446744073709551615", NULL },
	{ "295147905179352830000", NULL },	/* json-c clamps it */
	{ "1e400", NULL },			/* infinity */
	{ "-1e400", NULL },
};

/* RFC 8785 Appendix B: IEEE 754 bit patterns and their JCS form. */
static const struct {
	uint64_t	 bits;
	const char	*out;
} num_bits_cases[] = {
	{ 0x0000000000000000ULL, "0" },
	{ 0x8000000000000000ULL, "0" },
	{ 0x0000000000000001ULL, "5e-324" },
	{ 0x8000000000000001ULL, "-5e-324" },
	{ 0x7fefffffffffffffULL, "1.7976931348623157e+308" },
	{ 0xffefffffffffffffULL, "-1.7976931348623157e+308" },
	{ 0x4340000000000000ULL, "9007199254740992" },
	{ 0xc340000000000000ULL, "-9007199254740992" },
	{ 0x4430000000000000ULL, "295147905179352830000" },
	{ 0x7fffffffffffffffULL, NULL },	/* NaN */
	{ 0x7ff0000000000000ULL, NULL },	/* Infinity */
	{ 0x44b52d02c7e14af5ULL, "9.999999999999997e+22" },
	{ 0x44b52d02c7e14af6ULL, "1e+23" },
	{ 0x44b52d02c7e14af7ULL, "1.0000000000000001e+23" },
	{ 0x444b1ae4d6e2ef4eULL, "999999999999999700000" },
	{ 0x444b1ae4d6e2ef4fULL, "999999999999999900000" },
	{ 0x444b1ae4d6e2ef50ULL, "1e+21" },
	{ 0x3eb0c6f7a0b5ed8cULL, "9.999999999999997e-7" },
	{ 0x3eb0c6f7a0b5ed8dULL, "0.000001" },
	{ 0x41b3de4355555553ULL, "333333333.3333332" },
	{ 0x41b3de4355555554ULL, "333333333.33333325" },
	{ 0x41b3de4355555555ULL, "333333333.3333333" },
	{ 0x41b3de4355555556ULL, "333333333.3333334" },
	{ 0x41b3de4355555557ULL, "333333333.33333343" },
	{ 0xbecbf647612f3696ULL, "-0.0000033333333333333333" },
	{ 0x43143ff3c1cb0959ULL, "1424953923781206.2" },
	/*
	 * Not in the RFC; from node.  Powers of two whose correctly rounded
	 * shortest digits do not round-trip, but a neighbour does.
	 */
	{ 0x0060000000000000ULL, "7.120236347223045e-307" },
	{ 0x0100000000000000ULL, "7.291122019556398e-304" },
	{ 0x3ff0000000000001ULL, "1.0000000000000002" },
	{ 0x3fb999999999999aULL, "0.1" },
};

static void
test_jcs_numbers(void)
{
	json_object	*v;
	double		 d;
	size_t		 i;
	char		 what[64];

	for (i = 0; i < UNIT_NCASES(num_text_cases); i++)
		check_text(num_text_cases[i].in, num_text_cases[i].out);
	for (i = 0; i < UNIT_NCASES(num_bits_cases); i++) {
		memcpy(&d, &num_bits_cases[i].bits, sizeof(d));
		v = json_object_new_double(d);
		CU_ASSERT_FATAL(v != NULL);
		snprintf(what, sizeof(what), "bits %016" PRIx64,
		    num_bits_cases[i].bits);
		check_form(v, num_bits_cases[i].out, what);
		json_object_put(v);
	}
	/* Built in code, not parsed: int64 limits and a NaN. */
	v = json_object_new_int64(INT64_MIN);
	check_form(v, NULL, "INT64_MIN");
	json_object_put(v);
	v = json_object_new_int64(((int64_t)1 << 53) + 1);
	check_form(v, NULL, "2^53+1");
	json_object_put(v);
	v = json_object_new_double(NAN);
	check_form(v, NULL, "nan");
	json_object_put(v);
	/* Inside a document the whole form is refused. */
	check_text("{\"a\":[1,{\"b\":9007199254740993}]}", NULL);
}

/* Every control character: the short escapes, else \u00xx lowercase. */
static void
test_jcs_string_controls(void)
{
	struct buf	 want = BUF_INIT;
	json_object	*v;
	char		 in[2], what[32];
	int		 c;

	for (c = 1; c < 0x20; c++) {
		in[0] = (char)c;
		in[1] = '\0';
		buf_reset(&want);
		switch (c) {
		case '\b':
			buf_puts(&want, "\"\\b\"");
			break;
		case '\t':
			buf_puts(&want, "\"\\t\"");
			break;
		case '\n':
			buf_puts(&want, "\"\\n\"");
			break;
		case '\f':
			buf_puts(&want, "\"\\f\"");
			break;
		case '\r':
			buf_puts(&want, "\"\\r\"");
			break;
		default:
			buf_printf(&want, "\"\\u%04x\"", c);
			break;
		}
		v = json_object_new_string(in);
		snprintf(what, sizeof(what), "control 0x%02x", c);
		check_form(v, want.b_data, what);
		json_object_put(v);
	}
	buf_free(&want);

	/* NUL inside a string value survives as \u0000. */
	v = json_object_new_string_len("a\0b", 3);
	check_form(v, "\"a\\u0000b\"", "embedded NUL");
	json_object_put(v);
	/* Unlike buf_json_str: no HTML escaping, DEL and "/" literal. */
	check_text("\"</script>&'\\u007f/\\\\\\\"\"",
	    "\"</script>&'\x7f/\\\\\\\"\"");
	check_text("\"\\u2028\\u2029\\ud83d\\ude00\"",
	    "\"\xe2\x80\xa8\xe2\x80\xa9\xf0\x9f\x98\x80\"");
}

/* Malformed UTF-8 in values or member names is refused. */
static void
test_jcs_bad_utf8(void)
{
	static const char *const bad[] = {
		"\xff", "\x80", "\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf",
		"\xed\xa0\x80",		/* a UTF-16 surrogate */
		"\xf4\x90\x80\x80",	/* above U+10FFFF */
		"\xf0\x80\x80\xaf", "\xc3", "\xe2\x82", "a\xf0\x9f\x98",
	};
	json_object	*v, *o;
	size_t		 i;

	for (i = 0; i < UNIT_NCASES(bad); i++) {
		v = json_object_new_string(bad[i]);
		check_form(v, NULL, "bad UTF-8 value");
		json_object_put(v);
		o = json_object_new_object();
		json_object_object_add(o, bad[i], json_object_new_int(1));
		check_form(o, NULL, "bad UTF-8 name");
		json_object_put(o);
	}
	/* The longest valid forms pass. */
	v = json_object_new_string("\xf4\x8f\xbf\xbf\xef\xbf\xbf\xed\x9f\xbf");
	check_form(v, "\"\xf4\x8f\xbf\xbf\xef\xbf\xbf\xed\x9f\xbf\"",
	    "edge code points");
	json_object_put(v);
}

static void
test_jcs_structure(void)
{
	check_text(" { } ", "{}");
	check_text("[ ]", "[]");
	check_text("null", "null");
	check_text("[true , false,null , \"x\" ,{ \"b\" : [ ] , \"a\" : { } }]",
	    "[true,false,null,\"x\",{\"a\":{},\"b\":[]}]");
	check_text("{\"z\":{\"y\":[3,2,{\"b\":1,\"a\":0}],\"x\":\"\"},"
	    "\"a\":-7}",
	    "{\"a\":-7,\"z\":{\"x\":\"\",\"y\":[3,2,{\"a\":0,\"b\":1}]}}");
}

/* JCS_MAX_DEPTH levels of containers, not one more. */
static void
test_jcs_depth(void)
{
	struct buf	 want = BUF_INIT;
	json_object	*v;
	int		 i;

	for (i = 0; i < JCS_MAX_DEPTH; i++)
		buf_putc(&want, '[');
	buf_putc(&want, '1');
	for (i = 0; i < JCS_MAX_DEPTH; i++)
		buf_putc(&want, ']');
	v = unit_nest(JCS_MAX_DEPTH);
	check_form(v, want.b_data, "max depth");
	json_object_put(v);
	v = unit_nest(JCS_MAX_DEPTH + 1);
	check_form(v, NULL, "max depth + 1");
	json_object_put(v);
	buf_free(&want);
}

/* A failing form leaves the borrowed value alone and reports -1. */
static void
test_jcs_broken_buffer(void)
{
	struct buf	 b;
	json_object	*v = unit_parse("{\"a\":\"0123456789\"}");

	buf_init(&b, 8);
	CU_ASSERT_EQUAL(jcs_serialize(v, &b), -1);
	buf_free(&b);
	json_object_put(v);
}

static const struct unit_case cases[] = {
	{ "RFC 8785 3.2.2 sample", test_jcs_rfc_sample },
	{ "RFC 8785 3.2.3 sorting", test_jcs_rfc_sorting },
	{ "numbers (RFC 8785 appendix B)", test_jcs_numbers },
	{ "string escapes", test_jcs_string_controls },
	{ "malformed UTF-8 refused", test_jcs_bad_utf8 },
	{ "structure and white space", test_jcs_structure },
	{ "depth limit", test_jcs_depth },
	{ "broken buffer", test_jcs_broken_buffer },
};

UNIT_MAIN("jcs", cases)
