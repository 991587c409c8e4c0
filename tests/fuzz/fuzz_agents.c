/*
 * fuzz_agents: libFuzzer target for agents.json, which a builder sends as
 * the body of PATCH .../agents or as the content of a draft file.  The
 * text is parsed as both of those parse it (jsonin_object: the rules of a
 * request body); then, in the order of payload_prepare, agents_validate, agents_hash and agents_canonical; then
 * agents_normalize in place and jcs_serialize (the stored payload), and the
 * lookups the internal routes and runs make in a stored payload.
 *
 * Input format: the document, then optionally NUL, an agent id, NUL and a
 * name (a tool or data collection) for the lookups; absent ones are NULL.
 *
 * Invariants, abort() if broken:
 *  - the verdict of agents_validate is the same after agents_normalize;
 *  - a valid document has a canonical form C and a hash, the hash is
 *    "v1:" + SHA-256 of C, and C parses back (same settings) into a
 *    valid document with the canonical form C again;
 *  - jcs_serialize of the normalized document is C;
 *  - a lookup hit is in a declared agent; a found tool has that name.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <sodium.h>

#include "agents.h"
#include "buf.h"
#include "jcs.h"
#include "jsonin.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Check hash against canon[0..n): "v1:" and the hex SHA-256.  Aborts if
 * they differ.
 */
static void
check_hash(const char *hash, const char *canon, size_t n)
{
	unsigned char	 md[crypto_hash_sha256_BYTES];
	char		 want[AGENTS_HASH_SIZE];

	crypto_hash_sha256(md, (const unsigned char *)canon, n);
	memcpy(want, "v1:", 3);
	sodium_bin2hex(want + 3, sizeof(want) - 3, md, sizeof(md));
	if (strcmp(hash, want) != 0)
		abort();
}

/*
 * Parse the canonical form canon[0..n) of a valid document with hash
 * back, as a stored payload is read again (runs.c, json_tokener_parse;
 * not jsonin_object, whose number rule looks at how a number was sent):
 * it must still be valid, with the same canonical form and hash.
 */
static void
check_reparse(const char *canon, size_t n, const char *hash)
{
	struct agents_err	 ae;
	struct buf		 b = BUF_INIT;
	json_object		*doc;
	char			 h[AGENTS_HASH_SIZE];

	if (strlen(canon) != n || (doc = json_tokener_parse(canon)) == NULL ||
	    agents_validate(doc, &ae) != 0 ||
	    agents_canonical(doc, &b) != 0 || !buf_ok(&b) || b.b_len != n ||
	    memcmp(b.b_data, canon, n) != 0 ||
	    agents_hash(doc, h) != 0 || strcmp(h, hash) != 0)
		abort();
	buf_free(&b);
	json_object_put(doc);
}

/* A tool a lookup found (or NULL) must carry the name looked for. */
static void
check_tool(json_object *t, const char *name)
{
	json_object	*s;

	if (t != NULL && (!json_object_object_get_ex(t, "name", &s) ||
	    strcmp(json_object_get_string(s), name) != 0))
		abort();
}

/* The lookups; a hit for an agent implies the agent is declared. */
static void
lookups(json_object *doc, const char *agent, const char *name)
{
	json_object	*t;
	bool		 has;

	has = agents_has_agent(doc, agent);
	if (agents_has_collection(doc, agent, name) && !has)
		abort();
	if ((t = agents_find_agent_tool(doc, agent, name)) != NULL && !has)
		abort();
	check_tool(t, name);
	check_tool(agents_find_tool(doc, name), name);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 ready;
	struct agents_err	 ae;
	struct jsonin_why	 why;
	struct buf		 canon = BUF_INIT, jcs = BUF_INIT;
	json_object		*doc = NULL;
	char			*copy, hash[AGENTS_HASH_SIZE];
	const char		*agent = NULL, *name = NULL;
	size_t			 n;
	int			 valid, hrc, crc, jrc;

	if (!ready) {
		if (sodium_init() < 0)
			abort();
		ready = 1;
	}
	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	n = strlen(copy);
	if (n < size) {
		agent = copy + n + 1;
		if (agent + strlen(agent) < copy + size)
			name = agent + strlen(agent) + 1;
	}
	if (jsonin_object(copy, n, &doc, &why) != ERR_OK)
		goto out;

	valid = agents_validate(doc, &ae) == 0;
	hrc = agents_hash(doc, hash);
	crc = agents_canonical(doc, &canon);
	if (valid) {
		if (hrc != 0 || crc != 0 || !buf_ok(&canon))
			abort();
		check_hash(hash, canon.b_data, canon.b_len);
		check_reparse(canon.b_data, canon.b_len, hash);
	}

	if (agents_normalize(doc) != 0)
		goto out;
	if ((agents_validate(doc, &ae) == 0) != valid)
		abort();
	jrc = jcs_serialize(doc, &jcs);
	if ((valid && jrc != 0) || (jrc == 0 && crc == 0 &&
	    (jcs.b_len != canon.b_len ||
	    memcmp(jcs.b_data, canon.b_data, canon.b_len) != 0)))
		abort();
	lookups(doc, agent, name);
out:
	buf_free(&canon);
	buf_free(&jcs);
	json_object_put(doc);
	free(copy);
	return 0;
}
