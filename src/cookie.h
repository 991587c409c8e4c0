/*
 * cookie: the none-mode session cookie and the keys that sign it.
 *
 * Value: "v1.<kid>.<payload>.<tag>", payload and tag base64url without
 * padding.  payload = "<user id>|<issued at>|<expires at>|<session
 * version>".  tag = crypto_auth (HMAC-SHA512-256) over
 * "second-session" NUL name NUL "v1" NUL kid NUL payload, so a value is
 * bound to its cookie name and cannot be replayed as anything else.
 */
#ifndef SECOND_COOKIE_H
#define SECOND_COOKIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "id.h"

#define COOKIE_MAX_VALUE	256	/* session cookie value */
#define SIGNED_VALUE_MAX	2048	/* any signed value */
#define SIGNED_PAYLOAD_MAX	1024	/* its decoded payload */
#define COOKIE_MAX_KEYS		8
#define COOKIE_KID_LEN		8

struct buf;

struct cookie_key {
	unsigned char	 ck_key[crypto_auth_KEYBYTES];	/* MAC key */
	char		 ck_kid[COOKIE_KID_LEN + 1];	/* hex fingerprint */
};

struct cookie_keys {
	struct cookie_key ks_keys[COOKIE_MAX_KEYS];	/* [0] signs */
	size_t		  ks_n;				/* keys loaded */
};

struct session {
	char		 s_user_id[ID_LEN + 1];
	int64_t		 s_issued;	/* Unix seconds */
	int64_t		 s_expires;	/* Unix seconds */
	int64_t		 s_version;	/* users.session_version at issue */
};

/* Store candidate_hex as the shared key unless one exists; put it in out. */
typedef int (*cookie_fetch_fn)(void *arg, const char *candidate_hex,
    char out_hex[65]);

int	 cookie_keys_load(struct cookie_keys *, const char *secret,
	    const char *previous, cookie_fetch_fn, void *arg);
void	 cookie_key_derive(struct cookie_key *, const void *secret, size_t);
int	 cookie_keys_add(struct cookie_keys *, const void *secret, size_t);
int	 cookie_sign(const struct cookie_key *, const char *purpose,
	    const char *name, const void *, size_t, struct buf *);
int	 cookie_open(const struct cookie_keys *, const char *purpose,
	    const char *name, const char *value, size_t len, char *payload,
	    size_t cap, size_t *plen);
int	 cookie_encode(const struct cookie_key *, const char *name,
	    const struct session *, struct buf *);
int	 cookie_decode(const struct cookie_keys *, const char *name,
	    const char *value, size_t len, int64_t now, struct session *);
void	 cookie_tag(const struct cookie_key *, const char *purpose,
	    const char *a, const char *b, struct buf *);
bool	 cookie_tag_ok(const struct cookie_key *, const char *purpose,
	    const char *a, const char *b, const char *tag);

#endif
