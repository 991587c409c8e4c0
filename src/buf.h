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
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_putc(struct buf *, char);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
char	*buf_steal(struct buf *);
void	 buf_json_str(struct buf *, const char *);
void	 buf_json_utc(struct buf *, const char *);
void	 buf_html(struct buf *, const char *);
void	 buf_log_str(struct buf *, const char *);
void	 buf_pct(struct buf *, const char *, size_t);

#endif
