/*
 * test_secret: sealed secrets open only where they were sealed (same
 * workspace, owning row and name), under a key of the set, unchanged;
 * previous keys open, the current key seals.
 */
#include "config.h"

#include <string.h>

#include <sodium.h>

#include "buf.h"
#include "secret.h"
#include "unit.h"

#define WS	"aaaaaaaaaaaaaaaaaaaaaaaa"
#define WS2	"bbbbbbbbbbbbbbbbbbbbbbbb"
#define ROW	"a00000000000000000000071"
#define ROW2	"a00000000000000000000072"
#define K1	"first-key-0123456789abcdef0123456789"
#define K2	"second-key-0123456789abcdef0123456789"
#define PLAIN	"xoxb-SENTINEL-token"

/* ks holds key material "current" and the comma list "previous". */
static void
keys(struct secret_keys *ks, const char *current, const char *previous)
{
	CU_ASSERT_FATAL(sodium_init() >= 0);
	CU_ASSERT_EQUAL_FATAL(secret_keys_load(ks, current, strlen(current),
	    previous), 0);
}

/* Seal PLAIN at (ws, row, name) under ks into out. */
static void
seal(const struct secret_keys *ks, const char *ws, const char *row,
    const char *name, struct buf *out)
{
	buf_reset(out);
	CU_ASSERT_EQUAL_FATAL(secret_seal(ks, ws, row, name, PLAIN,
	    strlen(PLAIN), out), 0);
}

/* True when s opens at (ws, row, name) under ks to PLAIN. */
static bool
opens(const struct secret_keys *ks, const char *ws, const char *row,
    const char *name, const struct buf *s)
{
	struct buf	 p = BUF_INIT;
	bool		 ok;

	ok = secret_open(ks, ws, row, name, s->b_data, s->b_len, &p) == 0 &&
	    p.b_len == strlen(PLAIN) && memcmp(p.b_data, PLAIN, p.b_len) == 0;
	buf_free(&p);
	return ok;
}

/* True when s holds the bytes of text anywhere. */
static bool
holds(const struct buf *s, const char *text)
{
	size_t	 n = strlen(text), i;

	for (i = 0; i + n <= s->b_len; i++)
		if (memcmp(s->b_data + i, text, n) == 0)
			return true;
	return false;
}

static void
test_round_trip(void)
{
	struct secret_keys	 ks;
	struct buf		 s = BUF_INIT, t = BUF_INIT;
	unsigned char		 kid[SECRET_KID_LEN];

	keys(&ks, K1, NULL);
	seal(&ks, WS, ROW, "TOKEN", &s);
	CU_ASSERT_EQUAL(s.b_len, SECRET_OVERHEAD + strlen(PLAIN));
	CU_ASSERT_EQUAL((unsigned char)s.b_data[0], SECRET_VERSION);
	CU_ASSERT_FALSE(holds(&s, PLAIN));
	CU_ASSERT_TRUE(opens(&ks, WS, ROW, "TOKEN", &s));
	CU_ASSERT_TRUE(secret_sealed_kid(s.b_data, s.b_len, kid));
	CU_ASSERT_EQUAL(memcmp(kid, ks.sks_keys[0].sk_kid, SECRET_KID_LEN), 0);
	/* A fresh nonce each time: the same value seals differently. */
	seal(&ks, WS, ROW, "TOKEN", &t);
	CU_ASSERT_FALSE(s.b_len == t.b_len &&
	    memcmp(s.b_data, t.b_data, s.b_len) == 0);
	buf_free(&s);
	buf_free(&t);
}

static void
test_wrong_place(void)
{
	struct secret_keys	 ks;
	struct buf		 s = BUF_INIT;

	keys(&ks, K1, NULL);
	seal(&ks, WS, ROW, "TOKEN", &s);
	CU_ASSERT_FALSE(opens(&ks, WS, ROW2, "TOKEN", &s));	/* other row */
	CU_ASSERT_FALSE(opens(&ks, WS, ROW, "TOKEN2", &s));	/* other name */
	CU_ASSERT_FALSE(opens(&ks, WS2, ROW, "TOKEN", &s));	/* other ws */
	/* Fields cannot be shifted into one another. */
	CU_ASSERT_FALSE(opens(&ks, WS, ROW "T", "OKEN", &s));
	CU_ASSERT_FALSE(opens(&ks, WS ROW, "", "TOKEN", &s));
	CU_ASSERT_TRUE(opens(&ks, WS, ROW, "TOKEN", &s));
	buf_free(&s);
}

static void
test_tampered(void)
{
	struct secret_keys	 ks;
	struct buf		 s = BUF_INIT;
	size_t			 i;

	keys(&ks, K1, NULL);
	seal(&ks, WS, ROW, "TOKEN", &s);
	for (i = 0; i < s.b_len; i++) {
		s.b_data[i] ^= 0x01;
		UNIT_CHECK(!opens(&ks, WS, ROW, "TOKEN", &s),
		    "byte %zu flipped opens", i);
		s.b_data[i] ^= 0x01;
	}
	for (i = 0; i < s.b_len; i++) {
		struct buf	 p = BUF_INIT;

		UNIT_CHECK(secret_open(&ks, WS, ROW, "TOKEN", s.b_data, i,
		    &p) == -1, "truncated to %zu opens", i);
		buf_free(&p);
	}
	CU_ASSERT_TRUE(opens(&ks, WS, ROW, "TOKEN", &s));
	buf_free(&s);
}

static void
test_keys(void)
{
	struct secret_keys	 k1, k2, rot, prev_only;
	struct buf		 s = BUF_INIT, t = BUF_INIT;
	unsigned char		 kid[SECRET_KID_LEN];

	keys(&k1, K1, NULL);
	keys(&k2, K2, NULL);
	keys(&rot, K2, "unrelated-key-0123456789abcdef01234," K1);
	seal(&k1, WS, ROW, "TOKEN", &s);
	/* Unknown key id. */
	CU_ASSERT_FALSE(opens(&k2, WS, ROW, "TOKEN", &s));
	/* A previous key opens. */
	CU_ASSERT_TRUE(opens(&rot, WS, ROW, "TOKEN", &s));
	/* New seals use the current key. */
	seal(&rot, WS, ROW, "TOKEN", &t);
	CU_ASSERT_TRUE(secret_sealed_kid(t.b_data, t.b_len, kid));
	CU_ASSERT_EQUAL(memcmp(kid, k2.sks_keys[0].sk_kid, SECRET_KID_LEN), 0);
	CU_ASSERT_TRUE(opens(&k2, WS, ROW, "TOKEN", &t));
	CU_ASSERT_FALSE(opens(&k1, WS, ROW, "TOKEN", &t));
	/* A key id naming a key of the set but sealed under another. */
	keys(&prev_only, K2, NULL);
	memcpy(s.b_data + 1, prev_only.sks_keys[0].sk_kid, SECRET_KID_LEN);
	CU_ASSERT_FALSE(opens(&prev_only, WS, ROW, "TOKEN", &s));
	/* Too many keys. */
	CU_ASSERT_EQUAL(secret_keys_load(&k1, K1, strlen(K1),
	    "a,b,c,d,e,f,g,h"), -1);
	buf_free(&s);
	buf_free(&t);
}

static void
test_bytea(void)
{
	struct buf	 h = BUF_INIT, b = BUF_INIT;
	const char	 raw[] = { 0x00, 0x7f, (char)0xff, 0x10 };

	secret_bytea(raw, sizeof(raw), &h);
	CU_ASSERT_TRUE(unit_streq(h.b_data, "\\x007fff10"));
	CU_ASSERT_EQUAL(secret_from_bytea(h.b_data, &b), 0);
	CU_ASSERT_EQUAL(b.b_len, sizeof(raw));
	CU_ASSERT_EQUAL(memcmp(b.b_data, raw, sizeof(raw)), 0);
	buf_reset(&b);
	CU_ASSERT_EQUAL(secret_from_bytea("\\x0", &b), -1);
	CU_ASSERT_EQUAL(secret_from_bytea("\\xzz", &b), -1);
	CU_ASSERT_EQUAL(secret_from_bytea("00", &b), -1);
	buf_free(&h);
	buf_free(&b);
}

/* secret_seal_bytea appends bytea text that opens where it was sealed. */
static void
test_seal_bytea(void)
{
	struct secret_keys	 ks;
	struct buf		 h = BUF_INIT, b = BUF_INIT;

	keys(&ks, K1, NULL);
	buf_puts(&h, "kept");
	CU_ASSERT_EQUAL_FATAL(secret_seal_bytea(&ks, WS, ROW, "access_token",
	    PLAIN, strlen(PLAIN), &h), 0);
	CU_ASSERT_EQUAL_FATAL(strncmp(h.b_data, "kept\\x", 6), 0);
	CU_ASSERT_FALSE(holds(&h, PLAIN));
	CU_ASSERT_EQUAL_FATAL(secret_from_bytea(h.b_data + 4, &b), 0);
	CU_ASSERT_TRUE(opens(&ks, WS, ROW, "access_token", &b));
	CU_ASSERT_FALSE(opens(&ks, WS, ROW, "refresh_token", &b));
	buf_free(&h);
	buf_free(&b);
}

static const struct unit_case cases[] = {
	{ "round trip", test_round_trip },
	{ "another workspace, row or name", test_wrong_place },
	{ "changed or truncated bytes", test_tampered },
	{ "key ids and rotation", test_keys },
	{ "bytea text form", test_bytea },
	{ "sealed as bytea text", test_seal_bytea },
};

UNIT_MAIN("secret", cases)
