/*
 * fuzz_values: libFuzzer target for single request values with a checker
 * of their own: an app file path (the files routes percent-decode the
 * captured path, then call files_path_ok) and a session cookie value
 * (cookie_decode, and cookie_open as for a signed assertion) under fixed
 * test keys.
 *
 * Input format: the raw bytes are the path and the cookie value.  They
 * are also signed as a session payload with the test key, so that
 * cookie_decode's payload parser is reached behind a valid MAC.
 *
 * Invariants, abort() if broken:
 *  - files_path_ok accepts a path exactly when it is relative, of 1..512
 *    bytes, its segments are 1..255 bytes of A-Z a-z 0-9 . _ - and none
 *    is "." or "..", and it is not "agents.json" in another ASCII case
 *    (checked here by other means: ctype classes and a lowered copy);
 *  - the input never verifies as a cookie under the test keys;
 *  - a value signed for the input opens to exactly the input when that
 *    holds no NUL (and fails otherwise), and never under another name.
 */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "apps.h"
#include "buf.h"
#include "cookie.h"
#include "req.h"

#define NOW		INT64_C(1700000000)
#define KEY_SIGN	"fuzz_values signing key"
#define KEY_OLD		"fuzz_values previous key"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* "agents.json" spelled in another case: lower it and compare. */
static bool
agents_lookalike(const char *p)
{
	static const char	 name[] = "agents.json";
	char			 low[sizeof(name)];
	size_t			 i;

	if (strlen(p) != sizeof(name) - 1 || memcmp(p, name, sizeof(name)) == 0)
		return false;
	for (i = 0; i < sizeof(name); i++)
		low[i] = (char)tolower((unsigned char)p[i]);
	return memcmp(low, name, sizeof(name)) == 0;
}

/* The promise of files_path_ok, checked segment by segment. */
static bool
path_clean(const char *p)
{
	const char	*s, *e, *c;
	size_t		 n = strlen(p), seg;

	if (n == 0 || n > 512 || p[0] == '/' || agents_lookalike(p))
		return false;
	for (s = p; ; s = e + 1) {
		e = s + strcspn(s, "/");
		seg = (size_t)(e - s);
		/* Empty, too long, or only dots: "." or "..". */
		if (seg == 0 || seg > 255 ||
		    (seg <= 2 && strspn(s, ".") >= seg))
			return false;
		/* The C locale's classes: ASCII letters and digits only. */
		for (c = s; c < e; c++)
			if (!isalnum((unsigned char)*c) && *c != '.' &&
			    *c != '_' && *c != '-')
				return false;
		if (*e == '\0')
			return true;
	}
}

/* Abort if files_path_ok and its promise disagree about p. */
static void
check_path(const char *p)
{
	if (files_path_ok(p) != path_clean(p))
		abort();
}

/*
 * Sign data[0..size) as a session payload, then open and decode it:
 * it opens to the same bytes unless they hold a NUL, and only under
 * the name it was signed for.
 */
static void
check_signed(const struct cookie_keys *ks, const uint8_t *data, size_t size)
{
	struct buf	 v = BUF_INIT;
	struct session	 s;
	char		 payload[SIGNED_PAYLOAD_MAX + 1];
	size_t		 plen;
	bool		 ok, nul;

	if (cookie_sign(&ks->ks_keys[0], "second-session", "second_session",
	    data, size, &v) != 0) {
		if (size <= SIGNED_PAYLOAD_MAX)
			abort();
		goto out;
	}
	nul = memchr(data, '\0', size) != NULL;
	ok = cookie_open(ks, "second-session", "second_session", v.b_data,
	    v.b_len, payload, sizeof(payload), &plen) == 0;
	if (ok == nul || (ok && (plen != size ||
	    memcmp(payload, data, size) != 0)))
		abort();
	if (cookie_open(ks, "second-session", "__Host-second_session",
	    v.b_data, v.b_len, payload, sizeof(payload), &plen) == 0)
		abort();
	(void)cookie_decode(ks, "second_session", v.b_data, v.b_len, NOW, &s);
out:
	buf_free(&v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cookie_keys	 ks;
	static int			 ready;
	const char			*value = (const char *)data;
	struct session			 s;
	char				*copy, *p;
	char				 payload[SIGNED_PAYLOAD_MAX + 1];
	size_t				 plen;

	if (!ready) {
		if (sodium_init() < 0 ||
		    cookie_keys_add(&ks, KEY_SIGN, strlen(KEY_SIGN)) != 0 ||
		    cookie_keys_add(&ks, KEY_OLD, strlen(KEY_OLD)) != 0)
			abort();
		ready = 1;
	}

	/* The path as captured (up to a NUL) and as the routes decode it. */
	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	check_path(copy);
	free(copy);
	if (req_pct_decode(value, size, &p) == 0) {
		check_path(p);
		free(p);
	}

	/* Nobody forges a cookie or an assertion without the key. */
	if (cookie_decode(&ks, "second_session", value, size, NOW, &s) == 0 ||
	    cookie_open(&ks, "second-assertion", "X-Second-Assertion", value,
	    size, payload, sizeof(payload), &plen) == 0)
		abort();
	check_signed(&ks, data, size);
	return 0;
}
