/*
 * utf8: the one strict UTF-8 decoder of the tree (RFC 3629, Unicode
 * Table 3-7 "Well-Formed UTF-8 Byte Sequences"): no overlong forms, no
 * UTF-16 surrogates, nothing above U+10FFFF, no truncated sequence.
 * U+0000 is well-formed UTF-8: callers that refuse NUL bytes check for
 * them themselves.  Also the UTF-16 view of a valid string that
 * ECMAScript rules need (RFC 8785 member order, JavaScript's .length).
 * Pure: no allocation, no locale.
 */
#ifndef SECOND_UTF8_H
#define SECOND_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool		 utf8_next(const char *, size_t, size_t *, uint32_t *);
bool		 utf8_valid(const char *, size_t);
size_t		 utf8_u16_len(const char *, size_t);
int		 utf8_u16_cmp(const char *, const char *);

#endif
