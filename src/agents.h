/*
 * agents: the agents.json document of an app: shape validation,
 * normalization, the canonical form (RFC 8785 JCS, jcs.h), the versioned hash
 * "v1:<sha256>" that approvals are bound to, and the lookups the routes
 * use to check that an agent, a tool or a data collection is in an
 * approved payload.  Pure: no database, no FastCGI, no logging.
 */
#ifndef SECOND_AGENTS_H
#define SECOND_AGENTS_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "jcs.h"

struct buf;

/* Bytes for "v1:" + 64 hex digits + NUL, rounded up. */
#define AGENTS_HASH_SIZE	72

/* Nesting limit for any value in the document: the canonical form's. */
#define AGENTS_MAX_DEPTH	JCS_MAX_DEPTH

/* Entry limits; they also bound the quadratic uniqueness checks. */
#define AGENTS_MAX_AGENTS	100	/* agents[] */
#define AGENTS_MAX_TOOLS	100	/* agents[i].tools[] and appTools[] */
#define AGENTS_MAX_COLLECTIONS	100	/* agents[i].dataCollections[] */

/* Size of the field path buffer of struct agents_err. */
#define AGENTS_FIELD_MAX	256

/*
 * The first problem agents_validate found.  Caller-owned storage, so
 * nothing is allocated for the report: keep the struct alive as long as
 * ae_field is referenced (for example until the 422 has been written).
 */
struct agents_err {
	/* Path such as "agents[0].tools[1].name"; "" is the document. */
	char		 ae_field[AGENTS_FIELD_MAX];
	const char	*ae_msg;	/* static, short, safe to show */
};

int		 agents_validate(json_object *, struct agents_err *);
int		 agents_normalize(json_object *);
int		 agents_canonical(json_object *, struct buf *);
int		 agents_hash(json_object *, char out[AGENTS_HASH_SIZE]);

bool		 agents_has_agent(json_object *, const char *);
bool		 agents_has_collection(json_object *, const char *,
		    const char *);
json_object	*agents_find_tool(json_object *, const char *);
bool		 agents_url_ok(const char *, size_t max);
json_object	*agents_find_agent_tool(json_object *, const char *,
		    const char *);

#endif
