/*
 * test_buf: growable buffers and the JSON, HTML and log escapers.
 */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include <json-c/json.h>

#include "buf.h"
#include "unit.h"

/* Appending byte by byte and in blocks grows the buffer; content intact. */
static void
test_append_growth(void)
{
	struct buf	 b;
	char		 block[1000];
	size_t		 i;
	bool		 same = true;

	buf_init(&b, 0);
	CU_ASSERT_TRUE(buf_ok(&b));
	CU_ASSERT_EQUAL(b.b_len, 0);
	for (i = 0; i < 10000; i++)
		buf_putc(&b, (char)('a' + i % 26));
	CU_ASSERT_TRUE(buf_ok(&b));
	CU_ASSERT_EQUAL(b.b_len, 10000);
	CU_ASSERT_TRUE(b.b_cap >= 10001);
	for (i = 0; i < 10000 && b.b_data != NULL; i++)
		if (b.b_data[i] != (char)('a' + i % 26))
			same = false;
	CU_ASSERT_TRUE(same);
	CU_ASSERT_EQUAL(b.b_data[10000], '\0');

	memset(block, 'z', sizeof(block));
	buf_add(&b, block, sizeof(block));
	buf_puts(&b, "END");
	buf_add(&b, "ignored", 0);
	CU_ASSERT_EQUAL(b.b_len, 11003);
	CU_ASSERT_STRING_EQUAL(b.b_data + 11000, "END");
	CU_ASSERT_EQUAL(b.b_data[10999], 'z');
	CU_ASSERT_EQUAL(strlen(b.b_data), b.b_len);

	/* Bytes after an embedded NUL are kept: buf_add is length-based. */
	buf_reset(&b);
	buf_add(&b, "a\0b", 3);
	CU_ASSERT_EQUAL(b.b_len, 3);
	CU_ASSERT_EQUAL(memcmp(b.b_data, "a\0b", 4), 0);
	buf_free(&b);
	CU_ASSERT_PTR_NULL(b.b_data);
	CU_ASSERT_EQUAL(b.b_len, 0);
	buf_free(&b);		/* twice is fine */
}

/* buf_printf grows past the initial capacity and appends. */
static void
test_printf_growth(void)
{
	struct buf	 b = BUF_INIT;
	char		*big, *want, *got;
	size_t		 i;

	big = malloc(5001);
	CU_ASSERT_FATAL(big != NULL);
	for (i = 0; i < 5000; i++)
		big[i] = (char)('0' + i % 10);
	big[5000] = '\0';

	buf_printf(&b, "%d-%s", 42, "x");
	CU_ASSERT_STRING_EQUAL(b.b_data, "42-x");
	CU_ASSERT_EQUAL(b.b_len, 4);
	buf_printf(&b, "[%s]%05d", big, 7);
	CU_ASSERT_TRUE(buf_ok(&b));
	CU_ASSERT_EQUAL(b.b_len, 4 + 1 + 5000 + 1 + 5);
	want = malloc(6000);
	CU_ASSERT_FATAL(want != NULL);
	snprintf(want, 6000, "42-x[%s]00007", big);
	CU_ASSERT_STRING_EQUAL(b.b_data, want);
	buf_printf(&b, "%s", "");
	CU_ASSERT_EQUAL(b.b_len, strlen(want));

	got = buf_steal(&b);
	CU_ASSERT_PTR_NOT_NULL(got);
	CU_ASSERT_TRUE(unit_streq(got, want));
	/* Stealing leaves the buffer empty and reusable. */
	CU_ASSERT_PTR_NULL(b.b_data);
	CU_ASSERT_EQUAL(b.b_len, 0);
	buf_puts(&b, "again");
	CU_ASSERT_STRING_EQUAL(b.b_data, "again");
	buf_free(&b);
	free(got);
	free(want);
	free(big);
}

/* Stealing an untouched buffer gives an allocated empty string. */
static void
test_steal_empty(void)
{
	struct buf	 b = BUF_INIT;
	char		*s;

	s = buf_steal(&b);
	CU_ASSERT_PTR_NOT_NULL(s);
	CU_ASSERT_TRUE(s != NULL && s[0] == '\0');
	free(s);
	buf_free(&b);
}

/*
 * The limit: exactly max bytes fit, one more marks the buffer broken; a
 * broken buffer ignores appends and buf_steal returns NULL.
 */
static void
test_max_limit(void)
{
	struct buf	 b;
	char		*s;

	buf_init(&b, 10);
	buf_puts(&b, "0123456789");
	CU_ASSERT_TRUE(buf_ok(&b));
	CU_ASSERT_EQUAL(b.b_len, 10);
	buf_putc(&b, 'x');
	CU_ASSERT_FALSE(buf_ok(&b));
	CU_ASSERT_EQUAL(b.b_len, 10);
	CU_ASSERT_STRING_EQUAL(b.b_data, "0123456789");
	/* Broken stays broken, even for appends that would fit. */
	buf_reset(&b);
	CU_ASSERT_TRUE(buf_ok(&b));
	CU_ASSERT_EQUAL(b.b_len, 0);
	buf_puts(&b, "abc");
	buf_puts(&b, "0123456789");
	CU_ASSERT_FALSE(buf_ok(&b));
	buf_puts(&b, "");
	buf_putc(&b, 'y');
	CU_ASSERT_FALSE(buf_ok(&b));
	CU_ASSERT_STRING_EQUAL(b.b_data, "abc");
	s = buf_steal(&b);
	CU_ASSERT_PTR_NULL(s);
	free(s);
	CU_ASSERT_PTR_NULL(b.b_data);
	/* The limit survives buf_steal/buf_free. */
	buf_puts(&b, "0123456789A");
	CU_ASSERT_FALSE(buf_ok(&b));
	buf_free(&b);

	/* One oversized append at once. */
	buf_init(&b, 10);
	buf_add(&b, "0123456789A", 11);
	CU_ASSERT_FALSE(buf_ok(&b));
	CU_ASSERT_PTR_NULL(buf_steal(&b));
	buf_free(&b);

	/* buf_printf respects the limit too. */
	buf_init(&b, 10);
	buf_printf(&b, "%s", "12345");
	buf_printf(&b, "%d", 123456);
	CU_ASSERT_FALSE(buf_ok(&b));
	CU_ASSERT_PTR_NULL(buf_steal(&b));
	buf_free(&b);

	buf_init(&b, 10);
	buf_printf(&b, "%s%d", "12345", 67890);
	CU_ASSERT_TRUE(buf_ok(&b));
	CU_ASSERT_STRING_EQUAL(b.b_data, "1234567890");
	buf_free(&b);

	/* Escapers count escaped bytes against the limit. */
	buf_init(&b, 10);
	buf_json_str(&b, "<<");		/* "\u003c\u003c" = 14 bytes */
	CU_ASSERT_FALSE(buf_ok(&b));
	CU_ASSERT_PTR_NULL(buf_steal(&b));
	buf_free(&b);
	buf_init(&b, 10);
	buf_log_str(&b, "\n\n\n");	/* 12 bytes */
	CU_ASSERT_FALSE(buf_ok(&b));
	buf_free(&b);

	/* A huge append never wraps the size arithmetic. */
	buf_init(&b, 0);
	buf_puts(&b, "x");
	buf_add(&b, "y", (size_t)-1);
	CU_ASSERT_FALSE(buf_ok(&b));
	buf_free(&b);
}

struct esc_case {
	const char	*in;
	const char	*out;
};

/*
 * Each row: fn appends out for in to an empty buffer (no data at all
 * counts as "").
 */
static void
check_esc(void (*fn)(struct buf *, const char *), const struct esc_case *c,
    size_t n)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	for (i = 0; i < n; i++) {
		buf_reset(&b);
		fn(&b, c[i].in);
		UNIT_CHECK(buf_ok(&b) && unit_streq(b.b_data != NULL ?
		    b.b_data : "", c[i].out), "row %zu (%s): got %s want %s",
		    i, c[i].in, UNIT_S(b.b_data), c[i].out);
	}
	buf_free(&b);
}

static const struct esc_case json_cases[] = {
	{ "", "\"\"" },
	{ "plain text", "\"plain text\"" },
	{ "a\"b", "\"a\\\"b\"" },
	{ "a\\b", "\"a\\\\b\"" },
	{ "\\\"", "\"\\\\\\\"\"" },
	{ "l1\nl2", "\"l1\\nl2\"" },
	{ "\r\t", "\"\\r\\t\"" },
	{ "\x01", "\"\\u0001\"" },
	{ "\x08", "\"\\u0008\"" },
	{ "\x0b\x0c", "\"\\u000b\\u000c\"" },
	{ "\x1b[31m", "\"\\u001b[31m\"" },
	{ "\x1f", "\"\\u001f\"" },
	{ "\x7f", "\"\\u007f\"" },
	{ "<", "\"\\u003c\"" },
	{ ">", "\"\\u003e\"" },
	{ "&", "\"\\u0026\"" },
	{ "</script><b>&amp;", "\"\\u003c/script\\u003e\\u003cb\\u003e"
	    "\\u0026amp;\"" },
	{ "'single'/", "\"'single'/\"" },
	{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	    "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"" },
};

static void
test_json_str(void)
{
	check_esc(buf_json_str, json_cases, UNIT_NCASES(json_cases));
}

/*
 * Every ASCII byte 1..127 on its own: the output has no raw control byte,
 * no raw <, > or &, and json-c parses it back to the input.
 */
static void
test_json_str_roundtrip(void)
{
	struct buf		 b = BUF_INIT;
	struct json_object	*o;
	char			 in[3];
	const unsigned char	*p;
	bool			 clean;
	int			 c;

	for (c = 1; c < 128; c++) {
		in[0] = 'x';
		in[1] = (char)c;
		in[2] = '\0';
		buf_reset(&b);
		buf_json_str(&b, in);
		clean = buf_ok(&b);
		for (p = (const unsigned char *)b.b_data; clean && *p; p++)
			if (*p < 0x20 || *p == 0x7f || *p == '<' ||
			    *p == '>' || *p == '&')
				clean = false;
		UNIT_CHECK(clean, "byte 0x%02x: raw output %s", c,
		    UNIT_S(b.b_data));
		o = json_tokener_parse(b.b_data);
		UNIT_CHECK(o != NULL && json_object_is_type(o,
		    json_type_string) && strcmp(json_object_get_string(o),
		    in) == 0, "byte 0x%02x: %s does not parse back", c,
		    UNIT_S(b.b_data));
		json_object_put(o);
	}
	buf_free(&b);
}

static const struct esc_case html_cases[] = {
	{ "", "" },
	{ "plain", "plain" },
	{ "<", "&lt;" },
	{ ">", "&gt;" },
	{ "&", "&amp;" },
	{ "\"", "&quot;" },
	{ "'", "&#39;" },
	{ "<a href=\"x\" title='y'>&amp;</a>",
	    "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;" },
	{ "caf\xc3\xa9", "caf\xc3\xa9" },
};

/*
 * Whole epoch seconds as a JSON date-time.  Expected values: GNU date -u,
 * and the calendar rules (leap days of 2000 and 2024, none in 1900 or
 * 2100, the century boundary, days before 1970).
 */
static const struct esc_case utc_cases[] = {
	{ "0", "\"1970-01-01T00:00:00Z\"" },
	{ "-1", "\"1969-12-31T23:59:59Z\"" },
	{ "59", "\"1970-01-01T00:00:59Z\"" },
	{ "86399", "\"1970-01-01T23:59:59Z\"" },
	{ "951782400", "\"2000-02-29T00:00:00Z\"" },
	{ "951868800", "\"2000-03-01T00:00:00Z\"" },
	{ "978307199", "\"2000-12-31T23:59:59Z\"" },
	{ "1709164800", "\"2024-02-29T00:00:00Z\"" },
	{ "1795501210", "\"2026-11-24T06:20:10Z\"" },
	{ "-2203977600", "\"1900-02-28T00:00:00Z\"" },
	{ "-2203891200", "\"1900-03-01T00:00:00Z\"" },
	{ "4107456000", "\"2100-02-28T00:00:00Z\"" },
	{ "4107542400", "\"2100-03-01T00:00:00Z\"" },
	{ "-62135596800", "\"0001-01-01T00:00:00Z\"" },
	{ "253402300799", "\"9999-12-31T23:59:59Z\"" },
	/* out of range or not a whole number: null, never a wrong date */
	{ "-62135596801", "null" },
	{ "253402300800", "null" },
	{ "99999999999999999999", "null" },
	{ "", "null" },
	{ "12.5", "null" },
	{ "1e9", "null" },
	{ "2026-11-24T04:20:10Z", "null" },
};

static void
test_json_utc(void)
{
	check_esc(buf_json_utc, utc_cases, UNIT_NCASES(utc_cases));
}

/* Every day of 1969..2101 against gmtime_r. */
static void
test_json_utc_days(void)
{
	struct buf	 b = BUF_INIT;
	char		 in[32], want[32];
	struct tm	 tm;
	time_t		 t;
	long long	 s;
	int		 bad = 0;

	for (s = -86400LL * 366 + 3723; s < 4136400000LL; s += 86400) {
		t = (time_t)s;
		if (gmtime_r(&t, &tm) == NULL)
			continue;
		strftime(want, sizeof(want), "\"%Y-%m-%dT%H:%M:%SZ\"", &tm);
		snprintf(in, sizeof(in), "%lld", s);
		buf_reset(&b);
		buf_json_utc(&b, in);
		if (!buf_ok(&b) || !unit_streq(b.b_data, want))
			bad++;
	}
	CU_ASSERT_EQUAL(bad, 0);
	buf_free(&b);
}

static void
test_html(void)
{
	check_esc(buf_html, html_cases, UNIT_NCASES(html_cases));
}

/* What buf_log_str must make of one byte. */
static void
log_expect(int c, char *out, size_t outlen)
{
	if (c >= 0x20 && c < 0x7f && c != '\\')
		snprintf(out, outlen, "%c", c);
	else
		snprintf(out, outlen, "\\x%02x", c);
}

static const struct esc_case log_cases[] = {
	{ "", "" },
	{ "user=42 ok", "user=42 ok" },
	{ "a\\b", "a\\x5cb" },
	{ "forged\n2026-01-01T00:00:00Z info x", "forged\\x0a2026-01-01T00:00:00Z"
	    " info x" },
	{ "\a\b\f\v\t\r", "\\x07\\x08\\x0c\\x0b\\x09\\x0d" },
	{ "\x01\x1f\x7f\x80\xff", "\\x01\\x1f\\x7f\\x80\\xff" },
	{ "\x1b]0;t\x07", "\\x1b]0;t\\x07" },
	{ "caf\xc3\xa9", "caf\\xc3\\xa9" },
	{ "\\x41", "\\x5cx41" },
};

static void
test_log_str_table(void)
{
	check_esc(buf_log_str, log_cases, UNIT_NCASES(log_cases));
}

/*
 * Every byte 1..255 alone and surrounded, then all of them in one string:
 * printable ASCII except backslash is kept, everything else is \xHH, and
 * no byte outside 0x20..0x7e ever reaches the output.
 */
static void
test_log_str_every_byte(void)
{
	struct buf		 b = BUF_INIT, want = BUF_INIT;
	char			 in[4], one[8], all[256];
	const unsigned char	*p;
	bool			 clean;
	int			 c;

	for (c = 1; c < 256; c++) {
		in[0] = 'a';
		in[1] = (char)c;
		in[2] = 'z';
		in[3] = '\0';
		log_expect(c, one, sizeof(one));
		buf_reset(&want);
		buf_printf(&want, "a%sz", one);
		buf_reset(&b);
		buf_log_str(&b, in);
		UNIT_CHECK(buf_ok(&b) && unit_streq(b.b_data, want.b_data),
		    "byte 0x%02x: got %s want %s", c, UNIT_S(b.b_data),
		    UNIT_S(want.b_data));
		all[c - 1] = (char)c;
	}
	all[255] = '\0';
	buf_reset(&b);
	buf_reset(&want);
	buf_log_str(&b, all);
	for (c = 1; c < 256; c++) {
		log_expect(c, one, sizeof(one));
		buf_puts(&want, one);
	}
	CU_ASSERT_TRUE(buf_ok(&b));
	CU_ASSERT_TRUE(unit_streq(b.b_data, want.b_data));
	clean = b.b_data != NULL;
	for (p = (const unsigned char *)b.b_data; clean && *p; p++)
		if (*p < 0x20 || *p >= 0x7f)
			clean = false;
	CU_ASSERT_TRUE(clean);
	/* 95 printable bytes minus the backslash stay, 160 become 4 bytes. */
	CU_ASSERT_EQUAL(b.b_len, 94 + 161 * 4);
	buf_free(&b);
	buf_free(&want);
}

/* The log encoding is injective: decoding \xHH gives back the input. */
static void
test_log_str_decodes(void)
{
	struct buf	 b = BUF_INIT;
	char		 in[256], dec[256];
	size_t		 i, j = 0;
	unsigned int	 v;
	int		 c;

	for (c = 1; c < 256; c++)
		in[c - 1] = (char)(256 - c);
	in[255] = '\0';
	buf_log_str(&b, in);
	CU_ASSERT_FATAL(buf_ok(&b) && b.b_data != NULL);
	for (i = 0; b.b_data[i] != '\0' && j < sizeof(dec) - 1; j++) {
		if (b.b_data[i] == '\\') {
			if (b.b_data[i + 1] != 'x' ||
			    sscanf(b.b_data + i + 2, "%2x", &v) != 1)
				break;
			dec[j] = (char)v;
			i += 4;
		} else
			dec[j] = b.b_data[i++];
	}
	dec[j] = '\0';
	CU_ASSERT_EQUAL(j, 255);
	CU_ASSERT_EQUAL(memcmp(dec, in, 256), 0);
	buf_free(&b);
}

static const struct unit_case cases[] = {
	{ "append grows", test_append_growth },
	{ "printf grows", test_printf_growth },
	{ "steal of empty buffer", test_steal_empty },
	{ "max limit breaks, steal NULL", test_max_limit },
	{ "json string table", test_json_str },
	{ "json string bytes 1..127 round trip", test_json_str_roundtrip },
	{ "json utc table", test_json_utc },
	{ "json utc every day 1969..2101 vs gmtime_r", test_json_utc_days },
	{ "html table", test_html },
	{ "log string table", test_log_str_table },
	{ "log string every byte 1..255", test_log_str_every_byte },
	{ "log string decodes back", test_log_str_decodes },
};

UNIT_MAIN("buf", cases)
