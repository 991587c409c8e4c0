/*
 * buf: growable byte buffers and escapers (see buf.h).
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define BUF_DEFAULT_MAX	((size_t)64 << 20)

/*
 * Prepare an empty buffer that may grow to "max" bytes (0: the default
 * limit).  Nothing is allocated until the first append.
 */
void
buf_init(struct buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->b_max = max;
}

/*
 * Release the buffer's memory and leave it empty and usable.  Safe on a
 * zeroed or already freed buffer.
 */
void
buf_free(struct buf *b)
{
	size_t	 max = b->b_max;

	free(b->b_data);
	buf_init(b, max);
}

/*
 * Forget the contents but keep the allocation, and clear a broken state.
 */
void
buf_reset(struct buf *b)
{
	b->b_len = 0;
	b->b_broken = false;
	if (b->b_data != NULL)
		b->b_data[0] = '\0';
}

/*
 * True unless an append failed since the last reset.
 */
bool
buf_ok(const struct buf *b)
{
	return !b->b_broken;
}

/* Make room for "extra" more bytes plus the NUL; false marks the buffer broken. */
static bool
buf_grow(struct buf *b, size_t extra)
{
	size_t	 max = b->b_max ? b->b_max : BUF_DEFAULT_MAX;
	size_t	 need, ncap;
	char	*p;

	if (b->b_broken)
		return false;
	if (extra > max || b->b_len > max - extra) {
		b->b_broken = true;
		return false;
	}
	need = b->b_len + extra + 1;
	if (need <= b->b_cap)
		return true;
	ncap = b->b_cap ? b->b_cap : 64;
	while (ncap < need)
		ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
	/* Never past max + NUL: buf_add's fast path relies on it. */
	if (ncap > max)
		ncap = max + 1;
	if ((p = realloc(b->b_data, ncap)) == NULL) {
		b->b_broken = true;
		return false;
	}
	b->b_data = p;
	b->b_cap = ncap;
	return true;
}

/*
 * Append "len" bytes when buf_add found no room for them (or the buffer
 * broken): grow, then copy.  On failure the buffer is marked broken.
 */
void
buf_add_grow(struct buf *b, const void *p, size_t len)
{
	if (!buf_grow(b, len))
		return;
	if (len > 0)
		memcpy(b->b_data + b->b_len, p, len);
	b->b_len += len;
	b->b_data[b->b_len] = '\0';
}

/*
 * Append formatted text.
 */
void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->b_broken = true;
		return;
	}
	if (!buf_grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->b_data + b->b_len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->b_len += (size_t)n;
}

/*
 * Hand the contents to the caller, who must free() them, and leave the
 * buffer empty.  Returns NULL if the buffer is broken (and frees it), or
 * an allocated empty string if nothing was appended.
 */
char *
buf_steal(struct buf *b)
{
	char	*p;

	if (b->b_broken) {
		buf_free(b);
		return NULL;
	}
	if (b->b_data == NULL) {
		if (!buf_grow(b, 0))
			return NULL;
		b->b_data[0] = '\0';
	}
	p = b->b_data;
	b->b_data = NULL;
	b->b_len = b->b_cap = 0;
	return p;
}

/*
 * Append "s" as a quoted JSON string.  Control characters are written as
 * \u escapes; "<", ">" and "&" are escaped too so the output is safe inside
 * HTML script data.  Input is expected to be valid UTF-8 (checked at intake).
 */
void
buf_json_str(struct buf *b, const char *s)
{
	/*
	 * The escape of each byte: 0 for a plain byte, a short escape
	 * character ("\\n" is 'n'), or 'u' for \u00XX.  NUL ends the string.
	 */
	static const char	 esc[256] = {
		['\0'] = 'u', [0x01] = 'u', [0x02] = 'u', [0x03] = 'u',
		[0x04] = 'u', [0x05] = 'u', [0x06] = 'u', [0x07] = 'u',
		[0x08] = 'u', ['\t'] = 't', ['\n'] = 'n', [0x0b] = 'u',
		[0x0c] = 'u', ['\r'] = 'r', [0x0e] = 'u', [0x0f] = 'u',
		[0x10] = 'u', [0x11] = 'u', [0x12] = 'u', [0x13] = 'u',
		[0x14] = 'u', [0x15] = 'u', [0x16] = 'u', [0x17] = 'u',
		[0x18] = 'u', [0x19] = 'u', [0x1a] = 'u', [0x1b] = 'u',
		[0x1c] = 'u', [0x1d] = 'u', [0x1e] = 'u', [0x1f] = 'u',
		['"'] = '"', ['\\'] = '\\', ['<'] = 'u', ['>'] = 'u',
		['&'] = 'u', [0x7f] = 'u',
	};
	const unsigned char	*p, *run;
	char			 two[2] = { '\\', 0 };

	buf_putc(b, '"');
	for (p = run = (const unsigned char *)s;; p++) {
		/* Plain bytes go out in runs, not one by one. */
		while (esc[*p] == 0)
			p++;
		buf_add(b, run, (size_t)(p - run));
		if (*p == '\0')
			break;
		run = p + 1;
		if (esc[*p] == 'u')
			buf_printf(b, "\\u%04x", *p);
		else {
			two[1] = esc[*p];
			buf_add(b, two, 2);
		}
	}
	buf_putc(b, '"');
}

/*
 * Append the instant "epoch" (seconds since 1970-01-01 UTC, as the
 * database sends floor(date_part('epoch', t))) as a JSON string
 * "YYYY-MM-DDTHH:MM:SSZ", or null when "epoch" is not a whole number or
 * falls outside the years 0001..9999.  The civil date comes from the day
 * count by the proleptic Gregorian rules (eras of 400 years), with no
 * time zone, locale or lock involved.
 */
void
buf_json_utc(struct buf *b, const char *epoch)
{
	/* 0001-01-01T00:00:00 .. 9999-12-31T23:59:59, seconds from 1970. */
	static const long long	 lo = -62135596800LL, hi = 253402300799LL;
	long long		 t, days, secs, era, doe, yoe, doy, mp;
	char			 out[22], *end;
	int			 f[6], i, w;

	errno = 0;
	t = strtoll(epoch, &end, 10);
	if (errno != 0 || end == epoch || *end != '\0' || t < lo || t > hi) {
		buf_puts(b, "null");
		return;
	}
	days = t / 86400;
	secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	days += 719468;			/* from 0000-03-01: never negative here */
	era = days / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	f[2] = (int)(doy - (153 * mp + 2) / 5 + 1);
	f[1] = (int)(mp < 10 ? mp + 3 : mp - 9);
	f[0] = (int)(yoe + era * 400 + (f[1] <= 2));
	f[3] = (int)(secs / 3600);
	f[4] = (int)(secs / 60 % 60);
	f[5] = (int)(secs % 60);
	/* "YYYY-MM-DDTHH:MM:SSZ" with its quotes, digits filled from the right. */
	memcpy(out, "\"0000-00-00T00:00:00Z\"", 22);
	for (i = 0; i < 6; i++) {
		w = (i == 0) ? 4 : 2;
		end = out + (i == 0 ? 1 : 3 + 3 * i) + w;
		while (w-- > 0) {
			*--end = (char)('0' + f[i] % 10);
			f[i] /= 10;
		}
	}
	buf_add(b, out, 22);
}

/*
 * Append "s" as HTML text or attribute value.
 */
void
buf_html(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '"':
			buf_puts(b, "&quot;");
			break;
		case '\'':
			buf_puts(b, "&#39;");
			break;
		default:
			buf_putc(b, *s);
			break;
		}
	}
}

/*
 * Append "s" for a log line: every byte outside printable ASCII, and the
 * backslash, becomes \xHH, so a hostile value can neither forge a line nor
 * hide in one.
 */
void
buf_log_str(struct buf *b, const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p >= 0x7f || *p == '\\')
			buf_printf(b, "\\x%02x", *p);
		else
			buf_putc(b, (char)*p);
	}
}

/*
 * Append the n bytes at p percent-encoded (RFC 3986 2.1): only the
 * unreserved characters (letters, digits, "-._~") stay as they are, so
 * the result is safe in a path segment, a query or a form body.
 */
void
buf_pct(struct buf *b, const char *p, size_t n)
{
	static const char	 hex[] = "0123456789ABCDEF";
	unsigned char		 ch;
	size_t			 i;

	for (i = 0; i < n; i++) {
		ch = (unsigned char)p[i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') ||
		    (ch != '\0' && strchr("-._~", ch) != NULL)) {
			buf_putc(b, (char)ch);
			continue;
		}
		buf_putc(b, '%');
		buf_putc(b, hex[ch >> 4]);
		buf_putc(b, hex[ch & 0x0f]);
	}
}
