/*
 * perm: roles and permissions, defined once.  Owners and admins hold
 * every named permission; members hold none.  What separates an owner
 * from an admin (granting or removing "owner") is checked by the member
 * handlers, not here, because it depends on the target as well.
 */
#include "config.h"

#include <string.h>

#include "perm.h"

static const char *const perm_names[PERM__MAX] = {
	"", /* PERM_NONE */
	"workspace:manage", /* PERM_WORKSPACE_MANAGE */
	"members:invite", /* PERM_MEMBERS_INVITE */
	"members:manage", /* PERM_MEMBERS_MANAGE */
	"teams:manage", /* PERM_TEAMS_MANAGE */
	"apps:review", /* PERM_APPS_REVIEW */
	"agents:approve", /* PERM_AGENTS_APPROVE */
	"integrations:manage", /* PERM_INTEGRATIONS_MANAGE */
	"audit:read", /* PERM_AUDIT_READ */
};

static const char *const role_names[ROLE__MAX] = {
	"", /* ROLE_NONE */
	"member", /* ROLE_MEMBER */
	"admin", /* ROLE_ADMIN */
	"owner", /* ROLE_OWNER */
};

/* Which roles hold each permission, one row per permission. */
static const bool perm_map[PERM__MAX][ROLE__MAX] = {
	/*                         none   member admin  owner */
	[PERM_NONE] =		 { false, true,  true,  true },
	[PERM_WORKSPACE_MANAGE] = { false, false, true,  true },
	[PERM_MEMBERS_INVITE] =	 { false, false, true,  true },
	[PERM_MEMBERS_MANAGE] =	 { false, false, true,  true },
	[PERM_TEAMS_MANAGE] =	 { false, false, true,  true },
	[PERM_APPS_REVIEW] =	 { false, false, true,  true },
	[PERM_AGENTS_APPROVE] =	 { false, false, true,  true },
	[PERM_INTEGRATIONS_MANAGE] = { false, false, true, true },
	[PERM_AUDIT_READ] =	 { false, false, true,  true },
};

/*
 * True if a member with role "r" holds permission "p".  ROLE_NONE holds
 * nothing, not even PERM_NONE.
 */
bool
perm_has(enum role r, enum perm p)
{
	if (r <= ROLE_NONE || r >= ROLE__MAX || p >= PERM__MAX)
		return false;
	return perm_map[p][r];
}

/*
 * The public name of a permission ("" for PERM_NONE).
 */
const char *
perm_name(enum perm p)
{
	return p < PERM__MAX ? perm_names[p] : "";
}

/*
 * The public name of a role ("" for ROLE_NONE).
 */
const char *
role_name(enum role r)
{
	return r < ROLE__MAX ? role_names[r] : "";
}

/*
 * Parse "owner", "admin" or "member"; anything else is ROLE_NONE.
 */
enum role
role_parse(const char *s)
{
	int	 i;

	if (s == NULL)
		return ROLE_NONE;
	for (i = ROLE_MEMBER; i < ROLE__MAX; i++)
		if (strcmp(s, role_names[i]) == 0)
			return (enum role)i;
	return ROLE_NONE;
}
