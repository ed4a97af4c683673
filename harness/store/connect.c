/*
 * connect.c: a connection for a command: start the private cluster
 * when it is needed, apply pending migrations and store what the spool
 * holds.  Above db.c, migrate.c, pgctl.c and spool.c, so none of them
 * needs another's connecting.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/pgctl.h"
#include "store/spool.h"
#include "store/connect.h"

static PGconn *
connect_private(void)
{
	const char *kw[] = { "host", "port", "dbname", "user",
	    "application_name", NULL };
	const char *val[] = { pg_sockdir(), "5432", "kbench", "kbench",
	    "kbench", NULL };

	return PQconnectdbParams(kw, val, 0);
}

/* The private cluster's "kbench" database, made on first start. */
static int
ensure_database(void)
{
	const char *kw[] = { "host", "port", "dbname", "user", NULL };
	const char *val[] = { pg_sockdir(), "5432", "postgres", "kbench",
	    NULL };
	const char *params[1] = { "kbench" };
	PGconn *c;
	PGresult *r;
	int rc = -1;

	c = PQconnectdbParams(kw, val, 0);
	if (PQstatus(c) != CONNECTION_OK) {
		kb_warnx("database: %s", PQerrorMessage(c));
		PQfinish(c);
		return -1;
	}
	r = PQexecParams(c, "SELECT 1 FROM pg_database WHERE datname = $1",
	    1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		rc = 0;
	else if (PQresultStatus(r) == PGRES_TUPLES_OK) {
		PQclear(r);
		/* A fixed identifier: nothing of the user's in it. */
		r = PQexec(c, "CREATE DATABASE kbench");
		if (PQresultStatus(r) == PGRES_COMMAND_OK)
			rc = 0;
		else if (strstr(PQresultErrorMessage(r), "already exists"))
			rc = 0;		/* a concurrent kbench won */
		else
			kb_warnx("create database: %s",
			    PQresultErrorMessage(r));
	} else
		kb_warnx("database: %s", PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(c);
	return rc;
}

/* Quiet the server's NOTICEs (e.g. "relation exists, skipping"). */
static void
no_notices(void *arg, const char *msg)
{
}

/* Connect to KBENCH_DB or the private cluster if it runs; no output. */
static PGconn *
connect_any(void)
{
	PGconn *c;

	c = db_conninfo() != NULL ? PQconnectdb(db_conninfo()) :
	    connect_private();
	if (c != NULL && PQstatus(c) == CONNECTION_OK)
		PQsetNoticeProcessor(c, no_notices, NULL);
	return c;
}

PGconn *
store_connect(void)
{
	PGconn *c;

	if (db_conninfo() != NULL) {
		c = PQconnectdb(db_conninfo());
		if (PQstatus(c) != CONNECTION_OK) {
			/* libpq's message names no password. */
			kb_warnx("cannot connect to the database of %s: %s",
			    db_conninfo_source(), PQerrorMessage(c));
			PQfinish(c);
			return NULL;
		}
	} else {
		c = connect_private();
		if (PQstatus(c) != CONNECTION_OK) {
			PQfinish(c);
			if (pg_start() == -1 || ensure_database() == -1)
				return NULL;
			c = connect_private();
			if (PQstatus(c) != CONNECTION_OK) {
				kb_warnx("database: %s", PQerrorMessage(c));
				PQfinish(c);
				return NULL;
			}
		}
	}
	PQsetNoticeProcessor(c, no_notices, NULL);
	if (db_migrate(c, 0) == -1) {
		PQfinish(c);
		return NULL;
	}
	/* The database is back: what was spooled while it was away goes in. */
	spool_replay_all(c, 0);
	return c;
}

PGconn *
store_reconnect(char *err, size_t errlen)
{
	PGconn *c;

	c = connect_any();
	if (c == NULL || PQstatus(c) != CONNECTION_OK) {
		snprintf(err, errlen, "%s", c != NULL ? PQerrorMessage(c) :
		    "out of memory");
		err[strcspn(err, "\n")] = '\0';
		PQfinish(c);
		return NULL;
	}
	if (db_migrate(c, 0) == -1) {
		snprintf(err, errlen, "schema migration failed");
		PQfinish(c);
		return NULL;
	}
	return c;
}

