/*
 * migrate: apply sql/NNN_name.sql files once each, checksummed.
 */
#ifndef SECOND_MIGRATE_H
#define SECOND_MIGRATE_H

#include <libpq-fe.h>

int	 migrate_run(PGconn *, const char *sqldir);
int	 migrate_audit(PGconn *);

#endif
