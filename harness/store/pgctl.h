/*
 * pgctl.h: the private PostgreSQL cluster under $KBENCH_HOME/pg.
 */
#ifndef STORE_PGCTL_H
#define STORE_PGCTL_H

int	 pg_init(void);
int	 pg_start(void);
int	 pg_stop(void);
int	 pg_running(void);
const char *pg_sockdir(void);

#endif /* STORE_PGCTL_H */
