/*
 * test_utf8: the one strict UTF-8 decoder (utf8.c) against Unicode's
 * Table 3-7 "Well-Formed UTF-8 Byte Sequences", and its UTF-16 view.
 * Every caller (request intake, JSON bodies, identities, agents.json,
 * the canonical form) relies on these answers.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>

#include "utf8.h"
#include "unit.h"

/* ------------------------------------------------------------ UTF-8 */

struct utf8_case {
	const char	*s;
	size_t		 len;
	bool		 ok;
};

#define U(s, ok)	{ (s), sizeof(s) - 1, (ok) }

static const struct utf8_case utf8_cases[] = {
	U("", true),
	U("plain ascii", true),
	U("a\0b", true),			/* U+0000 is UTF-8 */
	U("\x7f", true),
	/* two bytes */
	U("\xc2\x80", true),			/* U+0080 */
	U("\xc3\xa9", true),			/* e acute */
	U("\xdf\xbf", true),			/* U+07FF */
	U("\xc0\x80", false),			/* overlong NUL */
	U("\xc0\xaf", false),			/* overlong '/' */
	U("\xc1\xbf", false),			/* overlong U+007F */
	U("\xc2", false),			/* truncated */
	U("\xc2\x41", false),			/* bad continuation */
	U("\xc2\xc0", false),
	/* three bytes */
	U("\xe0\xa0\x80", true),		/* U+0800 */
	U("\xe2\x82\xac", true),		/* euro */
	U("\xed\x9f\xbf", true),		/* U+D7FF */
	U("\xee\x80\x80", true),		/* U+E000 */
	U("\xef\xbf\xbf", true),		/* U+FFFF */
	U("\xe0\x80\x80", false),		/* overlong NUL */
	U("\xe0\x80\xaf", false),		/* overlong '/' */
	U("\xe0\x9f\xbf", false),		/* overlong U+07FF */
	U("\xed\xa0\x80", false),		/* U+D800 */
	U("\xed\xaf\xbf", false),		/* U+DBFF */
	U("\xed\xb0\x80", false),		/* U+DC00 */
	U("\xed\xbf\xbf", false),		/* U+DFFF */
	U("\xed\xa0\xbd\xed\xb8\x80", false),	/* CESU-8 pair */
	U("\xe2\x82", false),			/* truncated */
	U("a\xe2", false),
	U("\xe2\x28\xa1", false),
	U("\xe2\x82\x28", false),
	/* four bytes */
	U("\xf0\x90\x80\x80", true),		/* U+10000 */
	U("\xf0\x9f\x98\x80", true),		/* emoji */
	U("\xf4\x8f\xbf\xbf", true),		/* U+10FFFF */
	U("\xf0\x80\x80\x80", false),		/* overlong */
	U("\xf0\x8f\xbf\xbf", false),		/* overlong U+FFFF */
	U("\xf4\x90\x80\x80", false),		/* U+110000 */
	U("\xf5\x80\x80\x80", false),
	U("\xf7\xbf\xbf\xbf", false),
	U("\xf0\x9f\x98", false),		/* truncated */
	U("\xf0\x9f", false),
	U("\xf0", false),
	U("\xf0\x9f\x98\x28", false),
	/* never valid */
	U("\x80", false),
	U("\xbf", false),
	U("a\x80z", false),
	U("\xf8\x88\x80\x80\x80", false),
	U("\xfc\x84\x80\x80\x80\x80", false),
	U("\xfe", false),
	U("\xff", false),
	U("ok \xc3\xa9 then \xff", false),
};

static void
test_utf8_table(void)
{
	size_t	 i;

	for (i = 0; i < UNIT_NCASES(utf8_cases); i++)
		UNIT_CHECK(utf8_valid(utf8_cases[i].s, utf8_cases[i].len) ==
		    utf8_cases[i].ok, "row %zu: expected %s", i,
		    utf8_cases[i].ok ? "valid" : "invalid");
	/* The length bounds the check, not a NUL. */
	CU_ASSERT_FALSE(utf8_valid("\xc3\xa9", 1));
	CU_ASSERT_TRUE(utf8_valid("ab\xff", 2));
	CU_ASSERT_FALSE(utf8_valid("\xf0\x9f\x98\x80", 3));
}

/*
 * Reference: Unicode 15, Table 3-7 "Well-Formed UTF-8 Byte Sequences",
 * for exactly one sequence of n bytes.
 */
static bool
ref_utf8_one(const unsigned char *p, size_t n)
{
	unsigned char	 lo = 0x80, hi = 0xbf;
	size_t		 want, k;

	if (n == 0)
		return false;
	if (p[0] <= 0x7f)
		want = 1;
	else if (p[0] >= 0xc2 && p[0] <= 0xdf)
		want = 2;
	else if (p[0] == 0xe0) {
		want = 3;
		lo = 0xa0;
	} else if (p[0] == 0xed) {
		want = 3;
		hi = 0x9f;
	} else if (p[0] >= 0xe1 && p[0] <= 0xef)
		want = 3;
	else if (p[0] == 0xf0) {
		want = 4;
		lo = 0x90;
	} else if (p[0] == 0xf4) {
		want = 4;
		hi = 0x8f;
	} else if (p[0] >= 0xf1 && p[0] <= 0xf3)
		want = 4;
	else
		return false;
	if (n != want)
		return false;
	if (n >= 2 && (p[1] < lo || p[1] > hi))
		return false;
	for (k = 2; k < n; k++)
		if (p[k] < 0x80 || p[k] > 0xbf)
			return false;
	return true;
}

/*
 * Exhaustive agreement with the reference on every 1-, 2- and 3-byte
 * string, and on 4-byte strings over every lead and second byte.
 */
static void
test_utf8_exhaustive(void)
{
	static const unsigned char tails[] = { 0x00, 0x41, 0x7f, 0x80, 0x8f,
	    0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xf0, 0xff };
	unsigned char	 s[4];
	unsigned long	 bad = 0, n = 0;
	unsigned int	 a, b, c, d;
	bool		 want, got;

	for (a = 0; a < 256; a++) {
		s[0] = (unsigned char)a;
		want = ref_utf8_one(s, 1);
		got = utf8_valid((const char *)s, 1);
		n++;
		if (want != got && bad++ < 5)
			UNIT_CHECK(false, "%02x: got %d", a, got);
		for (b = 0; b < 256; b++) {
			s[1] = (unsigned char)b;
			/* Two bytes: either one 2-byte sequence or two 1s. */
			want = ref_utf8_one(s, 2) || (a < 0x80 && b < 0x80);
			got = utf8_valid((const char *)s, 2);
			n++;
			if (want != got && bad++ < 5)
				UNIT_CHECK(false, "%02x %02x: got %d", a, b,
				    got);
			if (a < 0xe0 || a > 0xef)
				continue;
			for (c = 0; c < 256; c++) {
				s[2] = (unsigned char)c;
				want = ref_utf8_one(s, 3);
				got = utf8_valid((const char *)s, 3);
				n++;
				if (want != got && bad++ < 5)
					UNIT_CHECK(false, "%02x %02x %02x: "
					    "got %d", a, b, c, got);
			}
		}
	}
	for (a = 0xf0; a < 256; a++)
		for (b = 0; b < 256; b++)
			for (c = 0; c < sizeof(tails); c++)
				for (d = 0; d < sizeof(tails); d++) {
					s[0] = (unsigned char)a;
					s[1] = (unsigned char)b;
					s[2] = tails[c];
					s[3] = tails[d];
					want = ref_utf8_one(s, 4);
					got = utf8_valid((const char *)s,
					    4);
					n++;
					if (want != got && bad++ < 5)
						UNIT_CHECK(false, "%02x %02x "
						    "%02x %02x: got %d", a, b,
						    s[2], s[3], got);
				}
	UNIT_CHECK(bad == 0, "%lu of %lu strings disagree with Table 3-7",
	    bad, n);
}

/* Reference encoder: cp (below 2^21) in len bytes, overlong or not. */
static size_t
ref_encode(uint32_t cp, size_t len, unsigned char out[4])
{
	switch (len) {
	case 1:
		out[0] = (unsigned char)cp;
		break;
	case 2:
		out[0] = (unsigned char)(0xc0 | (cp >> 6));
		out[1] = (unsigned char)(0x80 | (cp & 0x3f));
		break;
	case 3:
		out[0] = (unsigned char)(0xe0 | (cp >> 12));
		out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (unsigned char)(0x80 | (cp & 0x3f));
		break;
	default:
		out[0] = (unsigned char)(0xf0 | (cp >> 18));
		out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		out[3] = (unsigned char)(0x80 | (cp & 0x3f));
		len = 4;
		break;
	}
	return len;
}

/* The shortest length for cp. */
static size_t
ref_len(uint32_t cp)
{
	return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/*
 * Every scalar value U+0000..U+10FFFF decodes to itself in its shortest
 * form and advances past it; each of its proper prefixes (a truncated
 * sequence) is refused and leaves the index alone.
 */
static void
test_utf8_every_scalar(void)
{
	unsigned char	 s[4];
	unsigned long	 bad = 0;
	uint32_t	 cp, got;
	size_t		 len, i, k;

	for (cp = 0; cp <= 0x10ffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		len = ref_encode(cp, ref_len(cp), s);
		i = 0;
		got = 0xffffffff;
		if (!utf8_next((const char *)s, len, &i, &got) || i != len ||
		    got != cp) {
			if (bad++ < 5)
				UNIT_CHECK(false, "U+%04X: got U+%04X after %zu",
				    (unsigned)cp, (unsigned)got, i);
			continue;
		}
		for (k = 1; k < len; k++) {
			i = 0;
			if ((utf8_next((const char *)s, k, &i, &got) ||
			    i != 0) && bad++ < 5)
				UNIT_CHECK(false, "U+%04X cut to %zu bytes "
				    "accepted", (unsigned)cp, k);
		}
	}
	UNIT_CHECK(bad == 0, "%lu scalar values wrong", bad);
}

/* Every overlong form of every code point is refused. */
static void
test_utf8_overlongs(void)
{
	unsigned char	 s[4];
	unsigned long	 bad = 0;
	uint32_t	 cp;
	size_t		 len, n;

	for (cp = 0; cp < 0x10000; cp++)
		for (len = ref_len(cp) + 1; len <= 4; len++) {
			n = ref_encode(cp, len, s);
			if (utf8_valid((const char *)s, n) && bad++ < 5)
				UNIT_CHECK(false, "U+%04X in %zu bytes accepted",
				    (unsigned)cp, len);
		}
	UNIT_CHECK(bad == 0, "%lu overlong forms accepted", bad);
	/* The classic ones: NUL and '/' in two, three and four bytes. */
	CU_ASSERT_FALSE(utf8_valid("\xc0\x80", 2));
	CU_ASSERT_FALSE(utf8_valid("\xe0\x80\x80", 3));
	CU_ASSERT_FALSE(utf8_valid("\xf0\x80\x80\x80", 4));
	CU_ASSERT_FALSE(utf8_valid("\xc0\xaf", 2));
	CU_ASSERT_FALSE(utf8_valid("\xe0\x80\xaf", 3));
	CU_ASSERT_FALSE(utf8_valid("\xf0\x80\x80\xaf", 4));
}

/*
 * Surrogates U+D800..U+DFFF, alone or as a CESU-8 pair, and everything
 * from U+110000 to the largest a 4-byte form can carry are refused.
 */
static void
test_utf8_surrogates_and_beyond(void)
{
	unsigned char	 s[8];
	unsigned long	 bad = 0;
	uint32_t	 cp;
	size_t		 n;

	for (cp = 0xd800; cp <= 0xdfff; cp++) {
		n = ref_encode(cp, 3, s);
		if (utf8_valid((const char *)s, n) && bad++ < 5)
			UNIT_CHECK(false, "surrogate U+%04X accepted",
			    (unsigned)cp);
	}
	for (cp = 0x110000; cp <= 0x1fffff; cp++) {
		n = ref_encode(cp, 4, s);
		if (utf8_valid((const char *)s, n) && bad++ < 5)
			UNIT_CHECK(false, "U+%06X accepted", (unsigned)cp);
	}
	UNIT_CHECK(bad == 0, "%lu surrogates or values above U+10FFFF "
	    "accepted", bad);
	/* A high and a low surrogate, each in 3 bytes. */
	n = ref_encode(0xd83d, 3, s);
	n += ref_encode(0xde00, 3, s + n);
	CU_ASSERT_FALSE(utf8_valid((const char *)s, n));
	CU_ASSERT_TRUE(utf8_valid("\xf4\x8f\xbf\xbf", 4));
	CU_ASSERT_FALSE(utf8_valid("\xf4\x90\x80\x80", 4));
}

/* NUL is a code point: valid, decoded as U+0000, and the length rules. */
static void
test_utf8_nul(void)
{
	uint32_t	 cp = 1;
	size_t		 i = 1;

	CU_ASSERT_TRUE(utf8_valid("\0", 1));
	CU_ASSERT_TRUE(utf8_valid("a\0\xc3\xa9\0", 5));
	CU_ASSERT_TRUE(utf8_next("a\0b", 3, &i, &cp));
	CU_ASSERT_EQUAL(cp, 0);
	CU_ASSERT_EQUAL(i, 2);
	/* A NUL does not end the check: what follows it still counts. */
	CU_ASSERT_FALSE(utf8_valid("a\0\xff", 3));
	CU_ASSERT_FALSE(utf8_valid("\xc3\0", 2));
	CU_ASSERT_EQUAL(utf8_u16_len("a\0b", 3), 3);
}

/* JavaScript's .length: supplementary characters count twice. */
static void
test_utf8_u16_len(void)
{
	CU_ASSERT_EQUAL(utf8_u16_len("", 0), 0);
	CU_ASSERT_EQUAL(utf8_u16_len("abc", 3), 3);
	CU_ASSERT_EQUAL(utf8_u16_len("\xc3\xa9", 2), 1);
	CU_ASSERT_EQUAL(utf8_u16_len("\xef\xbf\xbf", 3), 1);
	CU_ASSERT_EQUAL(utf8_u16_len("\xf0\x9f\x98\x80", 4), 2);
	CU_ASSERT_EQUAL(utf8_u16_len("a\xf4\x8f\xbf\xbf" "b", 6), 4);
	/* Counting stops at a malformed sequence. */
	CU_ASSERT_EQUAL(utf8_u16_len("ab\xff" "cd", 5), 2);
}

/* UTF-16 order puts the supplementary planes before U+E000..U+FFFF. */
static void
test_utf8_u16_cmp(void)
{
	CU_ASSERT_EQUAL(utf8_u16_cmp("", ""), 0);
	CU_ASSERT_EQUAL(utf8_u16_cmp("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"),
	    0);
	CU_ASSERT_TRUE(utf8_u16_cmp("a", "ab") < 0);
	CU_ASSERT_TRUE(utf8_u16_cmp("ab", "a") > 0);
	CU_ASSERT_TRUE(utf8_u16_cmp("B", "a") < 0);
	CU_ASSERT_TRUE(utf8_u16_cmp("\xc2\x80", "\xe2\x82\xac") < 0);
	/* U+1F600 (0xD83D 0xDE00) < U+FB33, unlike their UTF-8 bytes. */
	CU_ASSERT_TRUE(utf8_u16_cmp("\xf0\x9f\x98\x80", "\xef\xac\xb3") < 0);
	CU_ASSERT_TRUE(utf8_u16_cmp("\xef\xac\xb3", "\xf0\x9f\x98\x80") > 0);
	/* But after U+D7FF. */
	CU_ASSERT_TRUE(utf8_u16_cmp("\xed\x9f\xbf", "\xf0\x9f\x98\x80") < 0);
}

static const struct unit_case cases[] = {
	{ "table", test_utf8_table },
	{ "exhaustive vs Table 3-7", test_utf8_exhaustive },
	{ "every scalar value and its truncations", test_utf8_every_scalar },
	{ "overlong forms", test_utf8_overlongs },
	{ "surrogates and above U+10FFFF", test_utf8_surrogates_and_beyond },
	{ "NUL", test_utf8_nul },
	{ "UTF-16 length", test_utf8_u16_len },
	{ "UTF-16 order", test_utf8_u16_cmp },
};

UNIT_MAIN("utf8", cases)
