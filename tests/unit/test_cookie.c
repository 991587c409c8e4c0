/*
 * test_cookie: the session cookie codec and the signed values of
 * cookie.h: a value round-trips, is bound to its cookie name, purpose and
 * key, and any flaw (a changed byte, a foreign key id, an expired or
 * future session, another format version, a bad encoding) is the same
 * refusal, -1.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include <sodium.h>

#include "buf.h"
#include "cookie.h"
#include "unit.h"

#define NAME	"second_session"
#define UID	"65a0b1c2d3e4f5a6b7c8d9e0"
#define NOW	INT64_C(1700000000)

/* A key set holding one key derived from "secret". */
static void
keys_one(struct cookie_keys *ks, const char *secret)
{
	CU_ASSERT_FATAL(sodium_init() >= 0);	/* once; then a no-op */
	memset(ks, 0, sizeof(*ks));
	CU_ASSERT_EQUAL_FATAL(cookie_keys_add(ks, secret, strlen(secret)), 0);
}

/* A fresh session of UID issued at NOW, valid an hour. */
static struct session
sess(void)
{
	struct session	 s;

	memset(&s, 0, sizeof(s));
	memcpy(s.s_user_id, UID, ID_LEN + 1);
	s.s_issued = NOW;
	s.s_expires = NOW + 3600;
	s.s_version = 7;
	return s;
}

/* Encode s under the first key of ks into out (NUL-terminated). */
static void
encode(const struct cookie_keys *ks, const struct session *s, struct buf *out)
{
	buf_reset(out);
	CU_ASSERT_EQUAL_FATAL(cookie_encode(&ks->ks_keys[0], NAME, s, out), 0);
	CU_ASSERT_FATAL(buf_ok(out));
}

/* ks with the key of "one secret", v a good value of sess() under it. */
static void
good_value(struct cookie_keys *ks, struct buf *v)
{
	struct session	 s = sess();

	keys_one(ks, "one secret");
	encode(ks, &s, v);
}

static int
decode(const struct cookie_keys *ks, const char *v, int64_t now,
    struct session *s)
{
	return cookie_decode(ks, NAME, v, strlen(v), now, s);
}

/* Sign an arbitrary session payload, as a forger holding the key could. */
static void
sign_payload(const struct cookie_keys *ks, const char *payload,
    struct buf *out)
{
	buf_reset(out);
	CU_ASSERT_EQUAL_FATAL(cookie_sign(&ks->ks_keys[0], "second-session",
	    NAME, payload, strlen(payload), out), 0);
}

static void
test_round_trip(void)
{
	struct cookie_keys	 ks;
	struct session		 s = sess(), got;
	struct buf		 v = BUF_INIT;

	good_value(&ks, &v);
	CU_ASSERT_TRUE(strncmp(v.b_data, "v1.", 3) == 0);
	CU_ASSERT_TRUE(v.b_len <= COOKIE_MAX_VALUE);
	CU_ASSERT_TRUE(strncmp(v.b_data + 3, ks.ks_keys[0].ck_kid,
	    COOKIE_KID_LEN) == 0);
	memset(&got, 0, sizeof(got));
	CU_ASSERT_EQUAL(decode(&ks, v.b_data, NOW, &got), 0);
	CU_ASSERT_STRING_EQUAL(got.s_user_id, UID);
	CU_ASSERT_EQUAL(got.s_issued, s.s_issued);
	CU_ASSERT_EQUAL(got.s_expires, s.s_expires);
	CU_ASSERT_EQUAL(got.s_version, 7);
	/* Bound to its cookie name. */
	CU_ASSERT_EQUAL(cookie_decode(&ks, "__Host-second_session", v.b_data,
	    v.b_len, NOW, &got), -1);
	buf_free(&v);
}

/* A value is only good under the key that signed it, or a previous one. */
static void
test_keys(void)
{
	struct cookie_keys	 a, b, both;
	struct session		 s = sess(), got;
	struct buf		 v = BUF_INIT;

	keys_one(&a, "old secret");
	keys_one(&b, "new secret");
	CU_ASSERT_STRING_NOT_EQUAL(a.ks_keys[0].ck_kid, b.ks_keys[0].ck_kid);
	CU_ASSERT_EQUAL(strlen(a.ks_keys[0].ck_kid), COOKIE_KID_LEN);
	encode(&a, &s, &v);
	CU_ASSERT_EQUAL(decode(&b, v.b_data, NOW, &got), -1);
	/* Rotation: new signs, old still verifies. */
	CU_ASSERT_EQUAL(cookie_keys_load(&both, "new secret", "x,old secret",
	    NULL, NULL), 0);
	CU_ASSERT_EQUAL(both.ks_n, 3);
	CU_ASSERT_EQUAL(decode(&both, v.b_data, NOW, &got), 0);
	encode(&both, &s, &v);
	CU_ASSERT_EQUAL(decode(&b, v.b_data, NOW, &got), 0);
	CU_ASSERT_EQUAL(decode(&a, v.b_data, NOW, &got), -1);
	/* Same key material under a forged key id: unknown key. */
	memcpy(v.b_data + 3, "00000000", COOKIE_KID_LEN);
	CU_ASSERT_EQUAL(decode(&both, v.b_data, NOW, &got), -1);
	buf_free(&v);
}

/* The key set is bounded: the ninth key is refused. */
static void
test_keys_full(void)
{
	struct cookie_keys	 ks;
	size_t			 i;

	memset(&ks, 0, sizeof(ks));
	for (i = 0; i < COOKIE_MAX_KEYS; i++)
		CU_ASSERT_EQUAL(cookie_keys_add(&ks, "k", 1), 0);
	CU_ASSERT_EQUAL(cookie_keys_add(&ks, "k", 1), -1);
	CU_ASSERT_EQUAL(ks.ks_n, COOKIE_MAX_KEYS);
}

static const char *fetched;

static int
fetch_fixed(void *arg, const char *cand, char out[65])
{
	(void)arg;
	CU_ASSERT_EQUAL(strlen(cand), 64);
	if (fetched == NULL)
		return -1;
	snprintf(out, 65, "%s", fetched);
	return 0;
}

/* Without a configured secret the key kept in the database signs. */
static void
test_keys_fetched(void)
{
	static const char	 hex[] =
	    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	struct cookie_keys	 ks;
	struct cookie_key	 want;
	unsigned char		 bin[32];
	size_t			 i;

	CU_ASSERT_FATAL(sodium_init() >= 0);
	for (i = 0; i < sizeof(bin); i++)
		bin[i] = (unsigned char)((i % 16) * 0x11);
	cookie_key_derive(&want, bin, sizeof(bin));
	fetched = hex;
	CU_ASSERT_EQUAL(cookie_keys_load(&ks, NULL, NULL, fetch_fixed, NULL),
	    0);
	CU_ASSERT_EQUAL(ks.ks_n, 1);
	CU_ASSERT_STRING_EQUAL(ks.ks_keys[0].ck_kid, want.ck_kid);
	CU_ASSERT_TRUE(memcmp(ks.ks_keys[0].ck_key, want.ck_key,
	    sizeof(want.ck_key)) == 0);
	fetched = NULL;
	CU_ASSERT_EQUAL(cookie_keys_load(&ks, NULL, NULL, fetch_fixed, NULL),
	    -1);
	fetched = "0011";	/* too short */
	CU_ASSERT_EQUAL(cookie_keys_load(&ks, NULL, NULL, fetch_fixed, NULL),
	    -1);
	fetched = "zz112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	CU_ASSERT_EQUAL(cookie_keys_load(&ks, NULL, NULL, fetch_fixed, NULL),
	    -1);
	fetched = NULL;
}

/* Every single changed byte of a good value is refused. */
static void
test_tampering(void)
{
	static const char	 alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
	struct cookie_keys	 ks;
	struct session		 got;
	struct buf		 v = BUF_INIT;
	char			 t[COOKIE_MAX_VALUE + 1];
	size_t			 i, j, tried = 0;

	good_value(&ks, &v);
	for (i = 0; i < v.b_len; i++)
		for (j = 0; alphabet[j] != '\0'; j++) {
			if (alphabet[j] == v.b_data[i])
				continue;
			memcpy(t, v.b_data, v.b_len + 1);
			t[i] = alphabet[j];
			UNIT_CHECK(decode(&ks, t, NOW, &got) == -1,
			    "byte %zu changed to %c accepted", i, alphabet[j]);
			tried++;
		}
	CU_ASSERT_TRUE(tried > 100 * 60);
	/* Truncated or extended. */
	for (i = 0; i < v.b_len; i++)
		UNIT_CHECK(cookie_decode(&ks, NAME, v.b_data, i, NOW, &got) ==
		    -1, "prefix of %zu bytes accepted", i);
	memcpy(t, v.b_data, v.b_len);
	t[v.b_len] = 'A';
	CU_ASSERT_EQUAL(cookie_decode(&ks, NAME, t, v.b_len + 1, NOW, &got),
	    -1);
	buf_free(&v);
}

/* Expiry and issue time against "now" (sess(): issued NOW, an hour). */
static void
test_expiry(void)
{
	static const struct {
		int64_t	 now;
		int	 rc;
	} at[] = {
		{ NOW, 0 },
		{ NOW + 3599, 0 },
		{ NOW + 3600, -1 },		/* expired */
		{ NOW + 3600 + 86400, -1 },
		{ NOW - 300, 0 },		/* clock skew: 5 minutes early */
		{ NOW - 301, -1 },		/* ... not more */
	};
	struct cookie_keys	 ks;
	struct session		 s = sess(), got;
	struct buf		 v = BUF_INIT;
	size_t			 i;

	good_value(&ks, &v);
	for (i = 0; i < UNIT_NCASES(at); i++)
		UNIT_CHECK(decode(&ks, v.b_data, at[i].now, &got) == at[i].rc,
		    "now = issued %+" PRId64 " s", at[i].now - NOW);
	/* Expires before it was issued. */
	s.s_expires = NOW - 1;
	encode(&ks, &s, &v);
	CU_ASSERT_EQUAL(decode(&ks, v.b_data, NOW - 10, &got), -1);
	buf_free(&v);
}

/* Only format version v1, and only the version the MAC covers. */
static void
test_version(void)
{
	struct cookie_keys	 ks;
	struct session		 s = sess(), got;
	struct buf		 v = BUF_INIT;
	char			*t;

	good_value(&ks, &v);
	t = strdup(v.b_data);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	t[1] = '2';
	CU_ASSERT_EQUAL(decode(&ks, t, NOW, &got), -1);
	t[0] = 'V';
	t[1] = '1';
	CU_ASSERT_EQUAL(decode(&ks, t, NOW, &got), -1);
	free(t);
	/* The session version round-trips whatever its value. */
	s.s_version = 0;
	encode(&ks, &s, &v);
	CU_ASSERT_EQUAL(decode(&ks, v.b_data, NOW, &got), 0);
	CU_ASSERT_EQUAL(got.s_version, 0);
	s.s_version = INT64_C(999999999999999999);
	encode(&ks, &s, &v);
	CU_ASSERT_EQUAL(decode(&ks, v.b_data, NOW, &got), 0);
	CU_ASSERT_EQUAL(got.s_version, INT64_C(999999999999999999));
	buf_free(&v);
}

/* Shapes and encodings that are not a value, whatever the key. */
static void
test_bad_encodings(void)
{
	struct cookie_keys	 ks;
	struct session		 got;
	struct buf		 v = BUF_INIT, w = BUF_INIT;
	const char		*d1, *d2, *d3;
	char			 big[COOKIE_MAX_VALUE + 2];

	good_value(&ks, &v);
	d1 = strchr(v.b_data, '.');
	d2 = strchr(d1 + 1, '.');
	d3 = strchr(d2 + 1, '.');
	CU_ASSERT_PTR_NOT_NULL_FATAL(d3);
	CU_ASSERT_PTR_NULL(strchr(d3 + 1, '.'));

	CU_ASSERT_EQUAL(decode(&ks, "", NOW, &got), -1);
	CU_ASSERT_EQUAL(decode(&ks, "v1", NOW, &got), -1);
	CU_ASSERT_EQUAL(decode(&ks, "v1...", NOW, &got), -1);
	CU_ASSERT_EQUAL(decode(&ks, "....", NOW, &got), -1);
	/* Padding, standard base64 letters, a fifth part. */
	buf_reset(&w);
	buf_printf(&w, "%s=", v.b_data);
	CU_ASSERT_EQUAL(decode(&ks, w.b_data, NOW, &got), -1);
	buf_reset(&w);
	buf_printf(&w, "%s.", v.b_data);
	CU_ASSERT_EQUAL(decode(&ks, w.b_data, NOW, &got), -1);
	buf_reset(&w);
	buf_add(&w, v.b_data, (size_t)(d3 - v.b_data) + 1);
	buf_puts(&w, "+/");
	buf_puts(&w, d3 + 3);
	CU_ASSERT_EQUAL(decode(&ks, w.b_data, NOW, &got), -1);
	/* Payload and tag swapped. */
	buf_reset(&w);
	buf_add(&w, v.b_data, (size_t)(d2 - v.b_data) + 1);
	buf_puts(&w, d3 + 1);
	buf_putc(&w, '.');
	buf_add(&w, d2 + 1, (size_t)(d3 - d2 - 1));
	CU_ASSERT_EQUAL(decode(&ks, w.b_data, NOW, &got), -1);
	/* A short key id. */
	buf_reset(&w);
	buf_printf(&w, "v1.%.7s%s", d1 + 1, d2);
	CU_ASSERT_EQUAL(decode(&ks, w.b_data, NOW, &got), -1);
	/* Over the cookie's length cap, even with a good prefix. */
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, v.b_data, v.b_len);
	CU_ASSERT_EQUAL(decode(&ks, big, NOW, &got), -1);
	buf_free(&v);
	buf_free(&w);
}

/* Correctly signed payloads that are not a session. */
static void
test_bad_payloads(void)
{
	static const char *const bad[] = {
		"",
		UID,
		UID "|1700000000|1700003600",
		UID "|1700000000|1700003600|1|2",
		UID "||1700003600|1",
		UID "|1700000000|1700003600|",
		UID "|-1|1700003600|1",
		UID "|1700000000|+1700003600|1",
		UID "|1700000000|1700003600|0x1",
		UID "|1700000000|1700003600|1234567890123456789",
		UID "|1700000000 |1700003600|1",
		"65A0B1C2D3E4F5A6B7C8D9E0|1700000000|1700003600|1",
		"65a0b1c2d3e4f5a6b7c8d9e|1700000000|1700003600|1",
		"65a0b1c2d3e4f5a6b7c8d9e0f|1700000000|1700003600|1",
		"zza0b1c2d3e4f5a6b7c8d9e0|1700000000|1700003600|1",
	};
	struct cookie_keys	 ks;
	struct session		 got;
	struct buf		 v = BUF_INIT;
	size_t			 i;

	keys_one(&ks, "one secret");
	sign_payload(&ks, UID "|1700000000|1700003600|1", &v);
	CU_ASSERT_EQUAL(decode(&ks, v.b_data, NOW, &got), 0);
	for (i = 0; i < UNIT_NCASES(bad); i++) {
		sign_payload(&ks, bad[i], &v);
		UNIT_CHECK(decode(&ks, v.b_data, NOW, &got) == -1,
		    "payload \"%s\" accepted", bad[i]);
	}
	/* A NUL inside the payload. */
	buf_reset(&v);
	CU_ASSERT_EQUAL(cookie_sign(&ks.ks_keys[0], "second-session", NAME,
	    UID "\0|1700000000|1700003600|1", ID_LEN + 25, &v), 0);
	CU_ASSERT_EQUAL(decode(&ks, v.b_data, NOW, &got), -1);
	/* Signed for another purpose. */
	buf_reset(&v);
	CU_ASSERT_EQUAL(cookie_sign(&ks.ks_keys[0], "second-other", NAME,
	    UID "|1700000000|1700003600|1", ID_LEN + 24, &v), 0);
	CU_ASSERT_EQUAL(decode(&ks, v.b_data, NOW, &got), -1);
	buf_free(&v);
}

/* cookie_sign / cookie_open with any payload, and their limits. */
static void
test_sign_open(void)
{
	struct cookie_keys	 ks;
	struct buf		 v = BUF_INIT;
	char			 big[SIGNED_PAYLOAD_MAX + 1], out[64];
	size_t			 n;

	keys_one(&ks, "one secret");
	CU_ASSERT_EQUAL(cookie_sign(&ks.ks_keys[0], "p", "n", "hello", 5, &v),
	    0);
	CU_ASSERT_EQUAL(cookie_open(&ks, "p", "n", v.b_data, v.b_len, out,
	    sizeof(out), &n), 0);
	CU_ASSERT_EQUAL(n, 5);
	CU_ASSERT_STRING_EQUAL(out, "hello");
	/* The payload does not fit the caller's buffer. */
	CU_ASSERT_EQUAL(cookie_open(&ks, "p", "n", v.b_data, v.b_len, out, 5,
	    &n), -1);
	CU_ASSERT_EQUAL(cookie_open(&ks, "p", "m", v.b_data, v.b_len, out,
	    sizeof(out), &n), -1);
	/* The payload cap. */
	memset(big, 'x', sizeof(big));
	buf_reset(&v);
	CU_ASSERT_EQUAL(cookie_sign(&ks.ks_keys[0], "p", "n", big,
	    SIGNED_PAYLOAD_MAX, &v), 0);
	CU_ASSERT_TRUE(v.b_len <= SIGNED_VALUE_MAX);
	buf_reset(&v);
	CU_ASSERT_EQUAL(cookie_sign(&ks.ks_keys[0], "p", "n", big,
	    SIGNED_PAYLOAD_MAX + 1, &v), -1);
	buf_free(&v);
}

/* Derived tags (the CSRF token): bound to key, purpose and both values. */
static void
test_tag(void)
{
	struct cookie_keys	 a, b;
	struct buf		 t = BUF_INIT;

	keys_one(&a, "one secret");
	keys_one(&b, "other secret");
	cookie_tag(&a.ks_keys[0], "csrf", UID, "session", &t);
	CU_ASSERT_FATAL(buf_ok(&t));
	CU_ASSERT_EQUAL(t.b_len, 43);	/* 32 bytes, base64url unpadded */
	CU_ASSERT_TRUE(cookie_tag_ok(&a.ks_keys[0], "csrf", UID, "session",
	    t.b_data));
	CU_ASSERT_FALSE(cookie_tag_ok(&b.ks_keys[0], "csrf", UID, "session",
	    t.b_data));
	CU_ASSERT_FALSE(cookie_tag_ok(&a.ks_keys[0], "other", UID, "session",
	    t.b_data));
	CU_ASSERT_FALSE(cookie_tag_ok(&a.ks_keys[0], "csrf", UID, "session2",
	    t.b_data));
	CU_ASSERT_FALSE(cookie_tag_ok(&a.ks_keys[0], "csrf", "x", "session",
	    t.b_data));
	CU_ASSERT_FALSE(cookie_tag_ok(&a.ks_keys[0], "csrf", UID, "session",
	    ""));
	t.b_data[t.b_len - 1] = '\0';
	CU_ASSERT_FALSE(cookie_tag_ok(&a.ks_keys[0], "csrf", UID, "session",
	    t.b_data));
	buf_free(&t);
}

static const struct unit_case cases[] = {
	{ "round trip and cookie name", test_round_trip },
	{ "key ids and rotation", test_keys },
	{ "at most COOKIE_MAX_KEYS keys", test_keys_full },
	{ "key kept in the database", test_keys_fetched },
	{ "every changed byte refused", test_tampering },
	{ "expiry and issue time", test_expiry },
	{ "format and session versions", test_version },
	{ "bad shapes and encodings", test_bad_encodings },
	{ "signed payloads that are no session", test_bad_payloads },
	{ "sign/open and the payload cap", test_sign_open },
	{ "derived tags", test_tag },
};

UNIT_MAIN("cookie", cases)
