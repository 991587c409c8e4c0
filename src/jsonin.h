/*
 * jsonin: strict JSON request bodies.
 *
 * A body must be application/json, valid UTF-8, nested at most
 * JSONIN_MAX_DEPTH deep, an object, and hold only the fields the handler
 * names.  Strings may not contain NUL.  Wrong syntax or types are 400
 * invalid_json; well-formed but invalid values are 422 with the field.
 */
#ifndef SECOND_JSONIN_H
#define SECOND_JSONIN_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "err.h"

#define JSONIN_MAX_DEPTH	16

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

json_object	*jsonin_object(const char *, size_t);
enum err	 jsonin_parse(struct rctx *, json_object **);
enum err	 jsonin_fields(struct rctx *, json_object *, struct jfield *,
		    size_t);
const char	*jsonin_str(const struct jfield *);
bool		 jsonin_email_ok(const char *);
bool		 jsonin_text_ok(const char *, size_t max);

#endif
