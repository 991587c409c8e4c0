/*
 * seed: bulk benchmark data (second-admin seed-bench).
 */
#ifndef SECOND_SEED_H
#define SECOND_SEED_H

#include <libpq-fe.h>

/* What seed_bench creates. */
struct seed_size {
	long	 ss_workspaces;	/* workspaces "bench-0".. */
	long	 ss_users;	/* users bench-user-N@bench.invalid */
	long	 ss_apps;	/* apps per workspace */
};

#define SEED_DEFAULT_WORKSPACES	1000
#define SEED_DEFAULT_USERS	5000
#define SEED_DEFAULT_APPS	50
#define SEED_MAX		1000000

int	 seed_bench(PGconn *, const struct seed_size *);

#endif
