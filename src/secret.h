/*
 * secret: sealing workspace secrets at rest (second-tenancy(7), "Sealed
 * secrets").
 *
 * A sealed value is, as bytes (a bytea column):
 *
 *   0x01 | key id (4) | nonce (24) | XChaCha20-Poly1305 ciphertext + tag
 *
 * The associated data binds it to where it is stored: the 5-byte header
 * (version and key id), then the workspace id, the owning row id and the
 * secret name, each as a 4-byte big-endian length and its bytes.  A value
 * copied to another workspace, row or name, or sealed under another key,
 * does not open.  Keys are BLAKE2b-256 of the configured key material
 * under a fixed context; a key id is the first 4 bytes of a second hash
 * of the key, so keys rotate without numbering: the first key of a set
 * seals, every key of it opens.
 */
#ifndef SECOND_SECRET_H
#define SECOND_SECRET_H

#include <stdbool.h>
#include <stddef.h>

#include <sodium.h>

#define SECRET_VERSION		0x01
#define SECRET_KID_LEN		4
#define SECRET_HEADER_LEN	(1 + SECRET_KID_LEN)
#define SECRET_OVERHEAD		(SECRET_HEADER_LEN + \
	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + \
	crypto_aead_xchacha20poly1305_ietf_ABYTES)
#define SECRET_MAX_KEYS		8
#define SECRET_MAX_VALUE	8192	/* bytes of one plain secret */

struct buf;

struct secret_key {
	unsigned char	 sk_key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
	unsigned char	 sk_kid[SECRET_KID_LEN];
};

struct secret_keys {
	struct secret_key sks_keys[SECRET_MAX_KEYS];	/* [0] seals */
	size_t		  sks_n;
};

int	 secret_keys_load(struct secret_keys *, const void *current,
	    size_t, const char *previous);
int	 secret_keys_add(struct secret_keys *, const void *material, size_t);
int	 secret_seal(const struct secret_keys *, const char *ws,
	    const char *owner, const char *name, const void *plain, size_t,
	    struct buf *);
int	 secret_open(const struct secret_keys *, const char *ws,
	    const char *owner, const char *name, const void *sealed, size_t,
	    struct buf *);
bool	 secret_sealed_kid(const void *sealed, size_t,
	    unsigned char kid[SECRET_KID_LEN]);
int	 secret_seal_bytea(const struct secret_keys *, const char *ws,
	    const char *owner, const char *name, const void *plain, size_t,
	    struct buf *);
void	 secret_bytea(const void *, size_t, struct buf *);
int	 secret_from_bytea(const char *, struct buf *);

#endif
