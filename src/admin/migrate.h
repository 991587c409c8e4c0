/*
 * migrate: apply sql/NNN_name.sql files once each, checksummed, then
 * sql/repeatable/name.sql files again whenever their checksum changes.
 */
#ifndef SECOND_MIGRATE_H
#define SECOND_MIGRATE_H

#include <libpq-fe.h>

int	 migrate_run(PGconn *, const char *sqldir);
int	 migrate_audit(PGconn *);

#endif
