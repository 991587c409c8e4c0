/*
 * secret: sealing workspace secrets at rest (see secret.h).
 *
 * Every failure to open is the same -1: the caller never learns whether
 * the key id, the associated data or the ciphertext was wrong.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "buf.h"
#include "secret.h"

#define NPUB	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define ABYTES	crypto_aead_xchacha20poly1305_ietf_ABYTES

/* Append a 4-byte big-endian length, then s. */
static void
ad_field(struct buf *ad, const char *s)
{
	size_t		 n = strlen(s);
	unsigned char	 len[4];

	len[0] = (unsigned char)(n >> 24);
	len[1] = (unsigned char)(n >> 16);
	len[2] = (unsigned char)(n >> 8);
	len[3] = (unsigned char)n;
	buf_add(ad, len, sizeof(len));
	buf_add(ad, s, n);
}

/* The associated data of a value with this header stored at (ws, owner, name). */
static void
ad_build(struct buf *ad, const unsigned char *header, const char *ws,
    const char *owner, const char *name)
{
	buf_add(ad, header, SECRET_HEADER_LEN);
	ad_field(ad, ws);
	ad_field(ad, owner);
	ad_field(ad, name);
}

/*
 * Append a key derived from key material to ks (the first key added
 * seals, later ones only open).  Returns 0, or -1 when ks is full.
 */
int
secret_keys_add(struct secret_keys *ks, const void *material, size_t len)
{
	static const unsigned char	 ctx_key[] = "second-fcgi secrets key v1";
	static const unsigned char	 ctx_kid[] = "second-fcgi secrets key id v1";
	unsigned char			 fp[crypto_generichash_BYTES];
	struct secret_key		*k;

	if (ks->sks_n >= SECRET_MAX_KEYS)
		return -1;
	k = &ks->sks_keys[ks->sks_n++];
	crypto_generichash(k->sk_key, sizeof(k->sk_key), material, len,
	    ctx_key, sizeof(ctx_key) - 1);
	crypto_generichash(fp, sizeof(fp), k->sk_key, sizeof(k->sk_key),
	    ctx_kid, sizeof(ctx_kid) - 1);
	memcpy(k->sk_kid, fp, SECRET_KID_LEN);
	sodium_memzero(fp, sizeof(fp));
	return 0;
}

/*
 * Fill ks with the sealing key (from "current", len bytes of key
 * material: the configured SECOND_SECRETS_KEY or the development key kept
 * in the database) and then each comma-separated previous key, which only
 * opens.  Returns 0, or -1 when there are more than SECRET_MAX_KEYS.
 */
int
secret_keys_load(struct secret_keys *ks, const void *current, size_t len,
    const char *previous)
{
	const char	*p, *comma;

	sodium_memzero(ks, sizeof(*ks));
	if (secret_keys_add(ks, current, len) != 0)
		return -1;
	for (p = previous; p != NULL && *p != '\0';
	    p = comma ? comma + 1 : NULL) {
		comma = strchr(p, ',');
		if (secret_keys_add(ks, p, comma ? (size_t)(comma - p) :
		    strlen(p)) != 0)
			return -1;
	}
	return 0;
}

/*
 * Seal plain[0..len) for secret "name" of row "owner" in workspace "ws"
 * under the first key of ks; append the sealed bytes to out.  Returns 0,
 * or -1 (no key, out of memory).
 */
int
secret_seal(const struct secret_keys *ks, const char *ws, const char *owner,
    const char *name, const void *plain, size_t len, struct buf *out)
{
	struct buf		 ad = BUF_INIT;
	unsigned char		 header[SECRET_HEADER_LEN];
	unsigned char		 nonce[NPUB];
	unsigned char		*ct = NULL;
	unsigned long long	 ctlen;
	int			 rc = -1;

	if (ks->sks_n == 0 || len > SECRET_MAX_VALUE)
		goto out;
	header[0] = SECRET_VERSION;
	memcpy(header + 1, ks->sks_keys[0].sk_kid, SECRET_KID_LEN);
	ad_build(&ad, header, ws, owner, name);
	if (!buf_ok(&ad) || (ct = malloc(len + ABYTES)) == NULL)
		goto out;
	randombytes_buf(nonce, sizeof(nonce));
	crypto_aead_xchacha20poly1305_ietf_encrypt(ct, &ctlen, plain, len,
	    (const unsigned char *)ad.b_data, ad.b_len, NULL, nonce,
	    ks->sks_keys[0].sk_key);
	buf_add(out, header, sizeof(header));
	buf_add(out, nonce, sizeof(nonce));
	buf_add(out, ct, (size_t)ctlen);
	rc = buf_ok(out) ? 0 : -1;
out:
	free(ct);
	buf_free(&ad);
	return rc;
}

/*
 * Open sealed[0..len), stored as secret "name" of row "owner" in
 * workspace "ws", with the key of ks its key id names; append the plain
 * bytes to out.  Returns 0, or -1 for any flaw (format, unknown key id,
 * another place, a changed byte).
 */
int
secret_open(const struct secret_keys *ks, const char *ws, const char *owner,
    const char *name, const void *sealed, size_t len, struct buf *out)
{
	const unsigned char	*s = sealed;
	const struct secret_key	*k = NULL;
	struct buf		 ad = BUF_INIT;
	unsigned char		*pt = NULL;
	unsigned long long	 ptlen;
	size_t			 i;
	int			 rc = -1;

	if (len < SECRET_OVERHEAD || s[0] != SECRET_VERSION)
		goto out;
	for (i = 0; i < ks->sks_n && k == NULL; i++)
		if (memcmp(ks->sks_keys[i].sk_kid, s + 1, SECRET_KID_LEN) == 0)
			k = &ks->sks_keys[i];
	if (k == NULL)
		goto out;
	ad_build(&ad, s, ws, owner, name);
	if (!buf_ok(&ad) || (pt = malloc(len)) == NULL)
		goto out;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(pt, &ptlen, NULL,
	    s + SECRET_HEADER_LEN + NPUB, len - SECRET_HEADER_LEN - NPUB,
	    (const unsigned char *)ad.b_data, ad.b_len,
	    s + SECRET_HEADER_LEN, k->sk_key) != 0)
		goto out;
	buf_add(out, pt, (size_t)ptlen);
	rc = buf_ok(out) ? 0 : -1;
out:
	if (pt != NULL) {
		sodium_memzero(pt, len);
		free(pt);
	}
	buf_free(&ad);
	return rc;
}

/*
 * Seal plain[0..len) as secret_seal does and append the sealed bytes to
 * out in bytea's text form (secret_bytea), for a bound parameter.
 * Returns 0, or -1 (no key, out of memory).
 */
int
secret_seal_bytea(const struct secret_keys *ks, const char *ws,
    const char *owner, const char *name, const void *plain, size_t len,
    struct buf *out)
{
	struct buf	 raw = BUF_INIT;
	int		 rc = -1;

	if (secret_seal(ks, ws, owner, name, plain, len, &raw) != 0)
		goto out;
	secret_bytea(raw.b_data, raw.b_len, out);
	if (buf_ok(out))
		rc = 0;
out:
	buf_free(&raw);
	return rc;
}

/*
 * Copy the key id of a sealed value into kid.  False when it is too short
 * or of another format version.
 */
bool
secret_sealed_kid(const void *sealed, size_t len,
    unsigned char kid[SECRET_KID_LEN])
{
	const unsigned char	*s = sealed;

	if (len < SECRET_OVERHEAD || s[0] != SECRET_VERSION)
		return false;
	memcpy(kid, s + 1, SECRET_KID_LEN);
	return true;
}

/*
 * Append bytes as PostgreSQL's text form of bytea ("\x" and hex), for a
 * bound parameter.
 */
void
secret_bytea(const void *p, size_t len, struct buf *out)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*s = p;
	size_t			 i;

	buf_puts(out, "\\x");
	for (i = 0; i < len; i++) {
		buf_putc(out, hex[s[i] >> 4]);
		buf_putc(out, hex[s[i] & 0x0f]);
	}
}

/*
 * Append the bytes of a bytea read back in text form ("\x" and hex).
 * Returns 0, or -1 when text is not that form.
 */
int
secret_from_bytea(const char *text, struct buf *out)
{
	unsigned char	 byte[1];
	size_t		 n, i, binlen;

	if (text[0] != '\\' || text[1] != 'x')
		return -1;
	n = strlen(text + 2);
	if (n % 2 != 0)
		return -1;
	for (i = 0; i < n; i += 2) {
		if (sodium_hex2bin(byte, 1, text + 2 + i, 2, NULL, &binlen,
		    NULL) != 0 || binlen != 1)
			return -1;
		buf_add(out, byte, 1);
	}
	return buf_ok(out) ? 0 : -1;
}
