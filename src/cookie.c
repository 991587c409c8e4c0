/*
 * cookie: session cookie codec and derived tags (see cookie.h).
 *
 * Verification order: shape and lengths, key id lookup, MAC (constant
 * time, crypto_auth_verify), and only then the payload is parsed.  Every
 * failure is the same -1: the caller answers identity_required and never
 * says which check failed.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "buf.h"
#include "cookie.h"
#include "id.h"

#define COOKIE_VERSION	"v1"

/*
 * Derive a MAC key and its key id from secret material (a configured
 * secret string or the 32 random bytes kept in the database).  The key is
 * BLAKE2b-256 of the secret under a fixed context; the key id is the
 * first 4 bytes of a second hash, in hex.
 */
void
cookie_key_derive(struct cookie_key *k, const void *secret, size_t len)
{
	static const unsigned char	 ctx_key[] = "second-fcgi session key v1";
	static const unsigned char	 ctx_kid[] = "second-fcgi key id v1";
	unsigned char			 fp[crypto_generichash_BYTES];

	crypto_generichash(k->ck_key, sizeof(k->ck_key), secret, len,
	    ctx_key, sizeof(ctx_key) - 1);
	crypto_generichash(fp, sizeof(fp), k->ck_key, sizeof(k->ck_key),
	    ctx_kid, sizeof(ctx_kid) - 1);
	sodium_bin2hex(k->ck_kid, sizeof(k->ck_kid), fp, COOKIE_KID_LEN / 2);
	sodium_memzero(fp, sizeof(fp));
}

/*
 * Append a key derived from "secret" to ks (the first key added signs,
 * later ones only verify).  Returns 0, or -1 when ks is full.
 */
int
cookie_keys_add(struct cookie_keys *ks, const void *secret, size_t len)
{
	if (ks->ks_n >= COOKIE_MAX_KEYS)
		return -1;
	cookie_key_derive(&ks->ks_keys[ks->ks_n++], secret, len);
	return 0;
}

/*
 * Fill ks with the signing key and the verifying ones: the configured
 * secret when set, else the key kept in the database (fetch stores a fresh
 * random candidate unless a key exists, and returns the one that wins, so
 * every worker of every pool shares it); then each comma-separated
 * previous secret.  Returns 0, or -1 if fetching failed.
 */
int
cookie_keys_load(struct cookie_keys *ks, const char *secret,
    const char *previous, cookie_fetch_fn fetch, void *arg)
{
	unsigned char	 cand[32], key[32];
	char		 hex[65], got[65];
	const char	*p, *comma;
	size_t		 binlen;
	int		 rc = -1;

	memset(ks, 0, sizeof(*ks));
	if (secret != NULL)
		(void)cookie_keys_add(ks, secret, strlen(secret));
	else {
		randombytes_buf(cand, sizeof(cand));
		sodium_bin2hex(hex, sizeof(hex), cand, sizeof(cand));
		if (fetch(arg, hex, got) != 0 ||
		    sodium_hex2bin(key, sizeof(key), got, strlen(got), NULL,
		    &binlen, NULL) != 0 || binlen != sizeof(key))
			goto out;
		(void)cookie_keys_add(ks, key, sizeof(key));
	}
	for (p = previous; p != NULL && *p != '\0';
	    p = comma ? comma + 1 : NULL) {
		comma = strchr(p, ',');
		if (cookie_keys_add(ks, p, comma ? (size_t)(comma - p) :
		    strlen(p)) != 0)
			break;
	}
	rc = 0;
out:
	sodium_memzero(cand, sizeof(cand));
	sodium_memzero(key, sizeof(key));
	sodium_memzero(hex, sizeof(hex));
	sodium_memzero(got, sizeof(got));
	return rc;
}

/* The MAC input: purpose NUL name NUL version NUL kid NUL payload. */
static void
mac_input(struct buf *m, const char *purpose, const char *name,
    const char *kid, const char *payload, size_t plen)
{
	buf_puts(m, purpose);
	buf_putc(m, '\0');
	buf_puts(m, name);
	buf_putc(m, '\0');
	buf_puts(m, COOKIE_VERSION);
	buf_putc(m, '\0');
	buf_puts(m, kid);
	buf_putc(m, '\0');
	buf_add(m, payload, plen);
}

static void
b64(struct buf *out, const unsigned char *p, size_t n)
{
	char	 tmp[sodium_base64_ENCODED_LEN(SIGNED_PAYLOAD_MAX,
		    sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

	if (n > SIGNED_PAYLOAD_MAX) {
		out->b_broken = true;
		return;
	}
	sodium_bin2base64(tmp, sizeof(tmp), p, n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	buf_puts(out, tmp);
}

/* Strict base64url (no padding, nothing ignored) into dst; -1 if not. */
static int
unb64(const char *s, size_t n, unsigned char *dst, size_t cap, size_t *outn)
{
	const char	*end = NULL;

	if (sodium_base642bin(dst, cap, s, n, NULL, outn, &end,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || end != s + n)
		return -1;
	return 0;
}

/* Parse a decimal int64 field of exactly [s, e); -1 if not one. */
static int
parse_i64(const char *s, const char *e, int64_t *v)
{
	int64_t	 r = 0;

	if (s == e || e - s > 18)
		return -1;
	for (; s < e; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		r = r * 10 + (*s - '0');
	}
	*v = r;
	return 0;
}

/*
 * Append "v1.<kid>.<b64(payload)>.<b64(tag)>" for payload[0..plen) signed
 * for (purpose, name) under key k.  Returns 0, or -1 if out broke or the
 * payload is over SIGNED_PAYLOAD_MAX.
 */
int
cookie_sign(const struct cookie_key *k, const char *purpose, const char *name,
    const void *payload, size_t plen, struct buf *out)
{
	struct buf	 pb = BUF_INIT, m = BUF_INIT;
	unsigned char	 tag[crypto_auth_BYTES];
	int		 rc = -1;

	if (plen > SIGNED_PAYLOAD_MAX)
		goto out;
	b64(&pb, payload, plen);
	mac_input(&m, purpose, name, k->ck_kid, pb.b_data, pb.b_len);
	if (!buf_ok(&pb) || !buf_ok(&m))
		goto out;
	crypto_auth(tag, (const unsigned char *)m.b_data, m.b_len, k->ck_key);
	buf_printf(out, "%s.%s.%s.", COOKIE_VERSION, k->ck_kid, pb.b_data);
	b64(out, tag, sizeof(tag));
	rc = buf_ok(out) ? 0 : -1;
out:
	buf_free(&pb);
	buf_free(&m);
	return rc;
}

/*
 * Verify value[0..len) made by cookie_sign for (purpose, name) with any
 * key of ks, and decode its payload into payload[0..cap) (NUL-terminated,
 * length in *plen).  Returns 0, or -1 for any flaw: shape, encoding,
 * unknown key id, MAC, or a payload that does not fit.
 */
int
cookie_open(const struct cookie_keys *ks, const char *purpose,
    const char *name, const char *value, size_t len, char *payload,
    size_t cap, size_t *plen)
{
	const struct cookie_key	*k = NULL;
	const char		*dot[3], *p;
	unsigned char		 tag[crypto_auth_BYTES];
	struct buf		 m = BUF_INIT;
	size_t			 i, nd = 0, tlen;
	int			 rc = -1;

	if (len == 0 || len > SIGNED_VALUE_MAX || cap < 2)
		return -1;
	for (p = value; p < value + len; p++) {
		if (*p == '.') {
			if (nd == 3)
				return -1;
			dot[nd++] = p;
		}
	}
	if (nd != 3 || dot[0] - value != 2 ||
	    memcmp(value, COOKIE_VERSION, 2) != 0 ||
	    dot[1] - dot[0] - 1 != COOKIE_KID_LEN)
		return -1;
	for (i = 0; i < ks->ks_n; i++)
		if (memcmp(ks->ks_keys[i].ck_kid, dot[0] + 1,
		    COOKIE_KID_LEN) == 0)
			k = &ks->ks_keys[i];
	if (k == NULL)
		return -1;
	if (unb64(dot[2] + 1, (size_t)(value + len - dot[2] - 1), tag,
	    sizeof(tag), &tlen) != 0 || tlen != sizeof(tag))
		return -1;
	mac_input(&m, purpose, name, k->ck_kid, dot[1] + 1,
	    (size_t)(dot[2] - dot[1] - 1));
	if (!buf_ok(&m) || crypto_auth_verify(tag,
	    (const unsigned char *)m.b_data, m.b_len, k->ck_key) != 0)
		goto out;
	if (unb64(dot[1] + 1, (size_t)(dot[2] - dot[1] - 1),
	    (unsigned char *)payload, cap - 1, plen) != 0)
		goto out;
	payload[*plen] = '\0';
	if (strlen(payload) != *plen)
		goto out;
	rc = 0;
out:
	buf_free(&m);
	return rc;
}

/*
 * Append the session cookie value for s under cookie "name" to out.
 * Returns 0, or -1 if out broke.
 */
int
cookie_encode(const struct cookie_key *k, const char *name,
    const struct session *s, struct buf *out)
{
	char	 payload[128];
	int	 n;

	n = snprintf(payload, sizeof(payload), "%s|%" PRId64 "|%" PRId64
	    "|%" PRId64, s->s_user_id, s->s_issued, s->s_expires,
	    s->s_version);
	if (n < 0 || (size_t)n >= sizeof(payload))
		return -1;
	return cookie_sign(k, "second-session", name, payload, (size_t)n, out);
}

/*
 * Verify and parse a session cookie value[0..len) found under cookie
 * "name".  Returns 0 with *s filled, or -1 for any flaw (see cookie_open),
 * a malformed payload, expiry (against "now") or an issue time in the
 * future.
 */
int
cookie_decode(const struct cookie_keys *ks, const char *name,
    const char *value, size_t len, int64_t now, struct session *s)
{
	char		 payload[128];
	const char	*f[4], *p;
	size_t		 plen, i;

	if (len > COOKIE_MAX_VALUE || cookie_open(ks, "second-session", name,
	    value, len, payload, sizeof(payload), &plen) != 0)
		return -1;
	/* uid|iat|exp|sv */
	f[0] = payload;
	for (i = 1, p = f[0]; i < 4; i++) {
		if ((p = strchr(p, '|')) == NULL)
			return -1;
		f[i] = ++p;
	}
	if (strchr(f[3], '|') != NULL || f[1] - f[0] - 1 != ID_LEN)
		return -1;
	memcpy(s->s_user_id, f[0], ID_LEN);
	s->s_user_id[ID_LEN] = '\0';
	if (!id_valid(s->s_user_id) ||
	    parse_i64(f[1], f[2] - 1, &s->s_issued) != 0 ||
	    parse_i64(f[2], f[3] - 1, &s->s_expires) != 0 ||
	    parse_i64(f[3], payload + plen, &s->s_version) != 0)
		return -1;
	if (s->s_expires <= now || s->s_issued > now + 300 ||
	    s->s_expires < s->s_issued)
		return -1;
	return 0;
}

/*
 * Append a base64url tag binding (a, b) for "purpose" under key k, e.g.
 * the CSRF token of a session.
 */
void
cookie_tag(const struct cookie_key *k, const char *purpose, const char *a,
    const char *b, struct buf *out)
{
	struct buf	 m = BUF_INIT;
	unsigned char	 tag[crypto_auth_BYTES];

	mac_input(&m, purpose, a, k->ck_kid, b, strlen(b));
	if (!buf_ok(&m)) {
		out->b_broken = true;
		buf_free(&m);
		return;
	}
	crypto_auth(tag, (const unsigned char *)m.b_data, m.b_len, k->ck_key);
	b64(out, tag, sizeof(tag));
	buf_free(&m);
}

/*
 * Constant-time check of a tag made by cookie_tag.
 */
bool
cookie_tag_ok(const struct cookie_key *k, const char *purpose, const char *a,
    const char *b, const char *tag)
{
	struct buf	 want = BUF_INIT;
	bool		 ok;

	cookie_tag(k, purpose, a, b, &want);
	ok = buf_ok(&want) && strlen(tag) == want.b_len &&
	    sodium_memcmp(tag, want.b_data, want.b_len) == 0;
	buf_free(&want);
	return ok;
}
