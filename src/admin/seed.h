/*
 * seed: bulk benchmark data (second-admin seed-bench).
 */
#ifndef SECOND_SEED_H
#define SECOND_SEED_H

#include <libpq-fe.h>

/* What seed_bench creates. */
struct seed_size {
	long	 ss_workspaces;	/* workspaces "bench-0".. */
	long	 ss_users;	/* users bench-user-N@bench.invalid; 0: */
				/* SEED_USERS_PER_WORKSPACE per workspace */
	long	 ss_apps;	/* apps per workspace */
};

#define SEED_DEFAULT_WORKSPACES	1000
/* Users, unless --users: this many per workspace (same shape at any size). */
#define SEED_USERS_PER_WORKSPACE	5
#define SEED_DEFAULT_APPS	50
#define SEED_MAX		1000000		/* workspaces, users */
#define SEED_MAX_APPS		10000000	/* apps in all */

int	 seed_bench(PGconn *, const struct seed_size *);

#endif
