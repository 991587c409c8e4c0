/*
 * perm: the fixed role-to-permission map of second-api(7).
 */
#ifndef SECOND_PERM_H
#define SECOND_PERM_H

#include <stdbool.h>

enum role {
	ROLE_NONE = 0,	/* not a member */
	ROLE_MEMBER,
	ROLE_ADMIN,
	ROLE_OWNER,
	ROLE__MAX
};

enum perm {
	PERM_NONE = 0,		/* membership is enough */
	PERM_WORKSPACE_MANAGE,
	PERM_MEMBERS_INVITE,
	PERM_MEMBERS_MANAGE,
	PERM_TEAMS_MANAGE,
	PERM_APPS_REVIEW,
	PERM_AGENTS_APPROVE,
	PERM_INTEGRATIONS_MANAGE,
	PERM_AUDIT_READ,
	PERM__MAX
};

bool		 perm_has(enum role, enum perm);
const char	*perm_name(enum perm);
const char	*role_name(enum role);
enum role	 role_parse(const char *);

#endif
