/*
 * test_perm: the role x permission matrix of second-api(7), copied here
 * by hand from the spec's "Roles and permissions (fixed)" table so that
 * a change to perm.c has to be a deliberate change to this file too.
 */
#include "config.h"

#include <stdbool.h>

#include "perm.h"
#include "unit.h"

struct perm_row {
	enum perm	 perm;
	const char	*name;
	bool		 owner, admin, member;
};

/* | permission | owner | admin | member | */
static const struct perm_row matrix[] = {
	{ PERM_WORKSPACE_MANAGE, "workspace:manage", true, true, false },
	{ PERM_MEMBERS_INVITE, "members:invite", true, true, false },
	{ PERM_MEMBERS_MANAGE, "members:manage", true, true, false },
	{ PERM_TEAMS_MANAGE, "teams:manage", true, true, false },
	{ PERM_APPS_REVIEW, "apps:review", true, true, false },
	{ PERM_AGENTS_APPROVE, "agents:approve", true, true, false },
	{ PERM_INTEGRATIONS_MANAGE, "integrations:manage", true, true, false },
	{ PERM_AUDIT_READ, "audit:read", true, true, false },
};

/* The table above names every permission exactly once. */
static void
test_matrix_complete(void)
{
	size_t	 i, j, hits;
	int	 p;

	CU_ASSERT_EQUAL(UNIT_NCASES(matrix), PERM__MAX - 1);
	for (p = PERM_NONE + 1; p < PERM__MAX; p++) {
		hits = 0;
		for (i = 0; i < UNIT_NCASES(matrix); i++)
			if ((int)matrix[i].perm == p)
				hits++;
		UNIT_CHECK(hits == 1, "permission %d (%s) has %zu rows", p,
		    perm_name((enum perm)p), hits);
	}
	for (i = 0; i < UNIT_NCASES(matrix); i++)
		for (j = i + 1; j < UNIT_NCASES(matrix); j++)
			UNIT_CHECK(strcmp(perm_name(matrix[i].perm),
			    perm_name(matrix[j].perm)) != 0, "%s twice",
			    matrix[i].name);
}

static void
test_matrix(void)
{
	const struct perm_row	*r;
	size_t			 i;

	for (i = 0; i < UNIT_NCASES(matrix); i++) {
		r = &matrix[i];
		UNIT_CHECK(perm_has(ROLE_OWNER, r->perm) == r->owner,
		    "owner %s", r->name);
		UNIT_CHECK(perm_has(ROLE_ADMIN, r->perm) == r->admin,
		    "admin %s", r->name);
		UNIT_CHECK(perm_has(ROLE_MEMBER, r->perm) == r->member,
		    "member %s", r->name);
		UNIT_CHECK(!perm_has(ROLE_NONE, r->perm), "non-member %s",
		    r->name);
	}
}

/* PERM_NONE is "membership is enough": every role but ROLE_NONE. */
static void
test_perm_none(void)
{
	CU_ASSERT_TRUE(perm_has(ROLE_OWNER, PERM_NONE));
	CU_ASSERT_TRUE(perm_has(ROLE_ADMIN, PERM_NONE));
	CU_ASSERT_TRUE(perm_has(ROLE_MEMBER, PERM_NONE));
	CU_ASSERT_FALSE(perm_has(ROLE_NONE, PERM_NONE));
}

/* Out-of-range values hold nothing. */
static void
test_out_of_range(void)
{
	int	 p, r;

	for (p = 0; p <= PERM__MAX; p++) {
		CU_ASSERT_FALSE(perm_has(ROLE__MAX, (enum perm)p));
		CU_ASSERT_FALSE(perm_has((enum role)(ROLE__MAX + 7),
		    (enum perm)p));
	}
	for (r = 0; r <= ROLE__MAX; r++) {
		CU_ASSERT_FALSE(perm_has((enum role)r, PERM__MAX));
		CU_ASSERT_FALSE(perm_has((enum role)r,
		    (enum perm)(PERM__MAX + 100)));
	}
	CU_ASSERT_STRING_EQUAL(perm_name(PERM__MAX), "");
	CU_ASSERT_STRING_EQUAL(role_name(ROLE__MAX), "");
}

static void
test_perm_names(void)
{
	size_t	 i;

	for (i = 0; i < UNIT_NCASES(matrix); i++)
		UNIT_CHECK(unit_streq(perm_name(matrix[i].perm),
		    matrix[i].name), "perm %d: \"%s\" want \"%s\"",
		    matrix[i].perm, UNIT_S(perm_name(matrix[i].perm)),
		    matrix[i].name);
	CU_ASSERT_STRING_EQUAL(perm_name(PERM_NONE), "");
}

static void
test_role_names(void)
{
	int	 r;

	CU_ASSERT_STRING_EQUAL(role_name(ROLE_OWNER), "owner");
	CU_ASSERT_STRING_EQUAL(role_name(ROLE_ADMIN), "admin");
	CU_ASSERT_STRING_EQUAL(role_name(ROLE_MEMBER), "member");
	CU_ASSERT_STRING_EQUAL(role_name(ROLE_NONE), "");
	for (r = ROLE_MEMBER; r < ROLE__MAX; r++)
		UNIT_CHECK((int)role_parse(role_name((enum role)r)) == r,
		    "round trip of %s", role_name((enum role)r));
}

struct parse_case {
	const char	*in;
	enum role	 role;
};

static const struct parse_case parse_cases[] = {
	{ "owner", ROLE_OWNER },
	{ "admin", ROLE_ADMIN },
	{ "member", ROLE_MEMBER },
	{ NULL, ROLE_NONE },
	{ "", ROLE_NONE },
	{ "Owner", ROLE_NONE },
	{ "OWNER", ROLE_NONE },
	{ "Admin", ROLE_NONE },
	{ "owner ", ROLE_NONE },
	{ " owner", ROLE_NONE },
	{ "owner\n", ROLE_NONE },
	{ "own", ROLE_NONE },
	{ "owners", ROLE_NONE },
	{ "administrator", ROLE_NONE },
	{ "members", ROLE_NONE },
	{ "none", ROLE_NONE },
	{ "guest", ROLE_NONE },
	{ "viewer", ROLE_NONE },
	{ "owner,admin", ROLE_NONE },
	{ "workspace:manage", ROLE_NONE },
};

static void
test_role_parse(void)
{
	size_t	 i;

	for (i = 0; i < UNIT_NCASES(parse_cases); i++)
		UNIT_CHECK(role_parse(parse_cases[i].in) == parse_cases[i].role,
		    "\"%s\": got %d want %d", UNIT_S(parse_cases[i].in),
		    role_parse(parse_cases[i].in), parse_cases[i].role);
}

static const struct unit_case cases[] = {
	{ "matrix covers every permission", test_matrix_complete },
	{ "role x permission matrix", test_matrix },
	{ "PERM_NONE needs membership", test_perm_none },
	{ "out of range holds nothing", test_out_of_range },
	{ "permission names", test_perm_names },
	{ "role names", test_role_names },
	{ "role_parse", test_role_parse },
};

UNIT_MAIN("perm", cases)
