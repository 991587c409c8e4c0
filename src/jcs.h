/*
 * jcs: RFC 8785, the JSON Canonicalization Scheme, for json-c values:
 * members sorted by UTF-16 code units, strings escaped as ECMAScript's
 * JSON.stringify, numbers printed as ECMAScript's Number::toString (the
 * shortest decimal that reads back as the same double).  Pure: no
 * database, no FastCGI, no logging.
 */
#ifndef SECOND_JCS_H
#define SECOND_JCS_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

struct buf;

/* Integers beyond this magnitude do not survive a trip through a double. */
#define JCS_INT_LIMIT	((int64_t)1 << 53)

/* Nesting limit of containers (json-c's default parser depth is 32). */
#define JCS_MAX_DEPTH	64

bool		 jcs_number_ok(json_object *);
int		 jcs_serialize(json_object *, struct buf *);

#endif
