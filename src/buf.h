/*
 * buf: growable byte buffers and the escapers built on them.
 *
 * Every escaped or encoded output in second-fcgi (JSON strings, HTML text,
 * log fields) is written into a buf, so no code ever sizes an output in one
 * pass and writes it in another.  A buf whose allocation failed is "broken":
 * further appends are ignored and buf_ok() reports false, so callers check
 * once at the end instead of after every append.
 */
#ifndef SECOND_BUF_H
#define SECOND_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct buf {
	char	*b_data;	/* always NUL-terminated when b_cap > 0 */
	size_t	 b_len;		/* bytes used, excluding the NUL */
	size_t	 b_cap;		/* bytes allocated */
	size_t	 b_max;		/* hard limit on b_len; 0 means 64 MiB */
	bool	 b_broken;	/* an allocation or limit failure happened */
};

#define BUF_INIT { NULL, 0, 0, 0, false }

void	 buf_init(struct buf *, size_t max);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
bool	 buf_ok(const struct buf *);
void	 buf_add_grow(struct buf *, const void *, size_t);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
char	*buf_steal(struct buf *);
void	 buf_json_str(struct buf *, const char *);
void	 buf_json_utc(struct buf *, const char *);
void	 buf_html(struct buf *, const char *);
void	 buf_log_str(struct buf *, const char *);
void	 buf_pct(struct buf *, const char *, size_t);

/*
 * Append "len" bytes; on failure the buffer is marked broken.  Inline,
 * with buf_puts and buf_putc: a list's JSON is hundreds of short appends
 * of literals, and with the room check and a copy of known length here
 * they cost a quarter of the worker's instructions less (buf_add_grow
 * takes the rest: growth and the broken state).
 */
static inline void
buf_add(struct buf *b, const void *p, size_t len)
{
	if (b->b_broken || len >= b->b_cap - b->b_len) {
		buf_add_grow(b, p, len);
		return;
	}
	if (len > 0)
		memcpy(b->b_data + b->b_len, p, len);
	b->b_len += len;
	b->b_data[b->b_len] = '\0';
}

/* Append a NUL-terminated string (a literal's length is known here). */
static inline void
buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* Append one byte. */
static inline void
buf_putc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

#endif
