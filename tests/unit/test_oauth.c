/*
 * test_oauth: the PKCE and state helpers of src/oauth.c, against the
 * published test vector of RFC 7636 appendix B, and the percent-encoding
 * of form fields (buf_pct) against RFC 3986's unreserved set.
 */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "buf.h"
#include "oauth.h"
#include "unit.h"

static void
test_challenge(void)
{
	char	 c[OAUTH_RANDOM_LEN + 1];

	/* RFC 7636 appendix B. */
	oauth_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", c);
	CU_ASSERT_TRUE(unit_streq(c,
	    "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
}

static void
test_random(void)
{
	char	 a[OAUTH_RANDOM_LEN + 1], b[OAUTH_RANDOM_LEN + 1];
	size_t	 i;

	CU_ASSERT_FATAL(sodium_init() >= 0);
	oauth_random(a);
	oauth_random(b);
	CU_ASSERT_EQUAL(strlen(a), OAUTH_RANDOM_LEN);
	CU_ASSERT_NOT_EQUAL(strcmp(a, b), 0);
	/* RFC 7636 4.1: a verifier is of the unreserved set. */
	for (i = 0; a[i] != '\0'; i++)
		CU_ASSERT_PTR_NOT_NULL(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789-._~", a[i]));
}

static void
test_hash(void)
{
	unsigned char	 h[OAUTH_HASH_LEN];
	static const unsigned char abc[OAUTH_HASH_LEN] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41,
		0x40, 0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3,
		0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00,
		0x15, 0xad,
	};

	oauth_hash("abc", h);	/* FIPS 180-2 B.1 */
	CU_ASSERT_EQUAL(memcmp(h, abc, sizeof(h)), 0);
}

static void
test_pct(void)
{
	struct buf	 b = BUF_INIT;
	const char	 in[] = "a Z-._~/?&=+%\xc3\xa9";

	buf_pct(&b, in, strlen(in));
	CU_ASSERT_TRUE(unit_streq(b.b_data,
	    "a%20Z-._~%2F%3F%26%3D%2B%25%C3%A9"));
	buf_free(&b);
}

static const struct unit_case cases[] = {
	{ "S256 challenge (RFC 7636 appendix B)", test_challenge },
	{ "random states and verifiers", test_random },
	{ "state hash", test_hash },
	{ "form percent-encoding", test_pct },
};

UNIT_MAIN("oauth", cases)
