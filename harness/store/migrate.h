/*
 * migrate.h: the schema, as the db/NNN_*.sql files say.
 */
#ifndef STORE_MIGRATE_H
#define STORE_MIGRATE_H

#include <libpq-fe.h>

/* Apply db/NNN_*.sql not yet applied; 0 or -1. */
int	 db_migrate(PGconn *, int verbose);
int	 db_schema_version(PGconn *);

#endif /* STORE_MIGRATE_H */
