/*
 * jsonin: strict JSON request bodies.
 *
 * A body must be application/json, valid UTF-8, nested at most
 * JSONIN_MAX_DEPTH deep, an object without duplicate keys at any depth,
 * and hold only the fields the handler names.  Strings may not contain
 * NUL.  A number written as an integer must fit in 64 bits; any other
 * number, written out in full as PostgreSQL stores it, may not have more
 * than JSONIN_NUM_DIGITS digits unless it was sent at that length.
 * Wrong syntax, types or duplicate keys are 400 invalid_json;
 * well-formed but invalid values (numbers out of range included) are 422
 * with the field.
 *
 * A value about to be stored as jsonb (app data, run messages) is also
 * held to a size, counted as PostgreSQL writes it back, and to
 * JSONIN_DOC_VALUES values (jsonin_stored).
 */
#ifndef SECOND_JSONIN_H
#define SECOND_JSONIN_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "err.h"

#define JSONIN_MAX_DEPTH	16
/* Digits of a number with a fraction or exponent, written out in full. */
#define JSONIN_NUM_DIGITS	40
/* Values (of any kind, at any depth) in one stored document. */
#define JSONIN_DOC_VALUES	10000
/* Bytes of a stored document as PostgreSQL writes it back. */
#define JSONIN_DOC_MAX		(256 * 1024)

struct rctx;

enum jf_type {
	JF_STRING,	/* string of 1..max bytes */
	JF_STRING0,	/* string of 0..max bytes */
	JF_IDARRAY,	/* array of entity ids (24 hex), at most max */
	JF_OBJECT,	/* object */
	JF_ANY,		/* anything (handler validates) */
};

struct jfield {
	const char	*jf_name;	/* camelCase field name */
	enum jf_type	 jf_type;
	bool		 jf_required;
	size_t		 jf_max;	/* bytes or elements */
	json_object	*jf_val;	/* out: the value or NULL if absent */
};

/* Why jsonin_object refused a text. */
struct jsonin_why {
	const char	*jw_msg;	/* for the error body */
	char		 jw_field[64];	/* top-level key of a bad number */
};

enum err	 jsonin_object(const char *, size_t, json_object **,
		    struct jsonin_why *);
enum err	 jsonin_parse(struct rctx *, json_object **);
enum err	 jsonin_stored(struct rctx *, json_object *, const char *,
		    size_t, const char **);
enum err	 jsonin_fields(struct rctx *, json_object *, struct jfield *,
		    size_t);
const char	*jsonin_str(const struct jfield *);
bool		 jsonin_email_ok(const char *);
bool		 jsonin_text_ok(const char *, size_t max);

#endif
