/*
 * utf8: strict UTF-8 decoding and its UTF-16 view (see utf8.h).
 */
#include "config.h"

#include <string.h>

#include "utf8.h"

/*
 * Decode the code point at s[*i] (n bytes in all, *i < n) into *cp and
 * advance *i past it.  Strict RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF, no sequence cut short by n.
 * Returns false on a malformed sequence (*i and *cp then unchanged).
 */
bool
utf8_next(const char *str, size_t n, size_t *i, uint32_t *cp)
{
	const unsigned char	*s = (const unsigned char *)str;
	unsigned char		 c = s[*i];
	unsigned char		 lo = 0x80, hi = 0xbf;
	size_t			 len, k;
	uint32_t		 v;

	if (c < 0x80) {
		*cp = c;
		(*i)++;
		return true;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		v = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (c == 0xed)
			hi = 0x9f;	/* UTF-16 surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		v = c & 0x07;
		if (c == 0xf0)
			lo = 0x90;	/* overlong */
		else if (c == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else
		return false;
	if (n - *i < len)
		return false;
	for (k = 1; k < len; k++) {
		c = s[*i + k];
		if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xbf))
			return false;
		v = (v << 6) | (c & 0x3f);
	}
	*i += len;
	*cp = v;
	return true;
}

/*
 * True if s[0..n) is well-formed UTF-8 by utf8_next; NUL bytes are
 * allowed and do not end the string (n does).
 */
bool
utf8_valid(const char *s, size_t n)
{
	size_t		 i = 0;
	uint32_t	 cp;

	while (i < n)
		if (!utf8_next(s, n, &i, &cp))
			return false;
	return true;
}

/* Walks a valid UTF-8 string as UTF-16 code units. */
struct u16it {
	const char	*u_s;		/* the string */
	size_t		 u_n;		/* its length in bytes */
	size_t		 u_i;		/* next byte to decode */
	int32_t		 u_low;		/* pending low surrogate or -1 */
};

/* The next UTF-16 code unit, or -1 at the end (or on bad UTF-8). */
static int32_t
u16_next(struct u16it *it)
{
	uint32_t	 cp;
	int32_t		 u;

	if (it->u_low >= 0) {
		u = it->u_low;
		it->u_low = -1;
		return u;
	}
	if (it->u_i >= it->u_n || !utf8_next(it->u_s, it->u_n, &it->u_i, &cp))
		return -1;
	if (cp < 0x10000)
		return (int32_t)cp;
	cp -= 0x10000;
	it->u_low = (int32_t)(0xdc00 + (cp & 0x3ff));
	return (int32_t)(0xd800 + (cp >> 10));
}

static void
u16_init(struct u16it *it, const char *s, size_t n)
{
	it->u_s = s;
	it->u_n = n;
	it->u_i = 0;
	it->u_low = -1;
}

/*
 * Compare two NUL-terminated valid UTF-8 strings by their UTF-16 code
 * units (RFC 8785 3.2.3): <0, 0 or >0 as strcmp.  This differs from
 * byte order only between U+E000..U+FFFF and the supplementary planes,
 * which UTF-16 sorts first.  Decoding stops at the first malformed
 * sequence, which then compares as the end of the string.
 */
int
utf8_u16_cmp(const char *a, const char *b)
{
	struct u16it	 ia, ib;
	int32_t		 ua, ub;

	u16_init(&ia, a, strlen(a));
	u16_init(&ib, b, strlen(b));
	for (;;) {
		ua = u16_next(&ia);
		ub = u16_next(&ib);
		if (ua != ub)
			return ua < ub ? -1 : 1;
		if (ua < 0)
			return 0;
	}
}

/*
 * Length in UTF-16 code units (JavaScript's .length) of the valid UTF-8
 * s[0..n); counting stops at the first malformed sequence.
 */
size_t
utf8_u16_len(const char *s, size_t n)
{
	struct u16it	 it;
	size_t		 len = 0;

	u16_init(&it, s, n);
	while (u16_next(&it) >= 0)
		len++;
	return len;
}
