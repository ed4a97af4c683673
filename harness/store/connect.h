/*
 * connect.h: connecting a command to the store.
 */
#ifndef STORE_CONNECT_H
#define STORE_CONNECT_H

#include <stddef.h>

#include <libpq-fe.h>

/*
 * Connect: to $KBENCH_DB when set, else to the private cluster under
 * $KBENCH_HOME/pg, which is created, started and migrated on first use.
 * Then stores what the spool holds.  Prints the reason and returns NULL
 * on failure.
 */
PGconn	*store_connect(void);
/*
 * Reconnect for a command already running: never starts the private
 * cluster, prints nothing; NULL with the reason (no password) in err.
 */
PGconn	*store_reconnect(char *err, size_t errlen);

#endif /* STORE_CONNECT_H */
