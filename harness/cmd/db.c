/*
 * cmd_db.c: kbench db init|start|stop|status|migrate|replay|psql.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "store/db.h"
#include "lib/paths.h"
#include "store/connect.h"
#include "store/migrate.h"
#include "store/pgctl.h"
#include "store/dbinfo.h"
#include "lib/suggest.h"
#include "lib/util.h"
#include "store/resume.h"
#include "store/spool.h"

static int
external(void)
{
	return db_conninfo() != NULL;
}

/* The server kbench uses, with any password left out. */
static void
describe_server(FILE *fp)
{
	PQconninfoOption *o, *opts;

	if (!external()) {
		fprintf(fp, "database: private cluster, socket in %s\n",
		    pg_sockdir());
		return;
	}
	if (strcmp(db_conninfo_source(), "KBENCH_DB") == 0)
		fprintf(fp, "database: KBENCH_DB (");
	else
		fprintf(fp, "database: database.conninfo in %s (",
		    db_conninfo_source());
	if ((opts = PQconninfoParse(db_conninfo(), NULL)) != NULL) {
		for (o = opts; o->keyword != NULL; o++) {
			if (o->val == NULL || *o->val == '\0' ||
			    strcmp(o->keyword, "password") == 0 ||
			    strcmp(o->keyword, "sslpassword") == 0)
				continue;
			if (strcmp(o->keyword, "host") == 0 ||
			    strcmp(o->keyword, "port") == 0 ||
			    strcmp(o->keyword, "dbname") == 0 ||
			    strcmp(o->keyword, "user") == 0)
				fprintf(fp, " %s=%s", o->keyword, o->val);
		}
		PQconninfoFree(opts);
	}
	fprintf(fp, " )\n");
}

/* What waits in the spool: readable with the database down. */
static void
spool_report(void)
{
	struct spool_stat ss;

	if (spool_status(&ss) == -1) {
		printf("spool: %s: unreadable\n", spool_dir());
		return;
	}
	if (ss.files == 0) {
		printf("spool: empty\n");
		return;
	}
	printf("spool: %d files, %d runs, %ld samples, %ld state changes in "
	    "%s", ss.files, ss.runs, ss.samples, ss.states, spool_dir());
	if (ss.live > 0)
		printf(" (%d held by running kbench)", ss.live);
	if (ss.torn > 0 || ss.bad > 0)
		printf(" (%d torn, %d damaged records ignored)", ss.torn,
		    ss.bad);
	printf("\n");
}

static int
db_status(void)
{
	char err[512];
	PGconn *c;
	struct dbinfo_counts n;
	int v;

	/* An installed kbench and a checkout's differ here: say why. */
	printf("home: %s (%s)\n", kb_home(), kb_home_origin());
	printf("data: %s (%s)\n", kb_root(), kb_root_origin());
	describe_server(stdout);
	if (!external() && !pg_running()) {
		printf("server: not running (kbench db start)\n");
		spool_report();
		return KB_EXIT_ERR;
	}
	/* Quietly first: a server that is away is a status, not an error. */
	if ((c = store_reconnect(err, sizeof(err))) == NULL) {
		printf("server: unreachable: %s\n", err);
		spool_report();
		return KB_EXIT_ERR;
	}
	db_close(c);
	if ((c = store_connect()) == NULL) {	/* replays the spool */
		spool_report();
		return KB_EXIT_ERR;
	}
	resume_mark_stale(c);
	v = PQserverVersion(c);
	/* 150018 is 15.18; before 10, 90624 was 9.6.24. */
	if (v >= 100000)
		printf("server: running, PostgreSQL %d.%d\n", v / 10000,
		    v % 10000);
	else
		printf("server: running, PostgreSQL %d.%d.%d\n", v / 10000,
		    v / 100 % 100, v % 100);
	printf("schema: version %d\n", db_schema_version(c));
	if (dbinfo_counts(c, &n) == 0)
		printf("runs: %s (%s not finished)\nsamples: %s\n"
		    "kernels: %s\nworkers: %s\nworkloads: %s\n",
		    n.runs, n.unfinished, n.samples, n.kernels, n.workers,
		    n.workloads);
	spool_report();
	db_close(c);
	return KB_EXIT_OK;
}

/* Store what the spool holds now; store_connect already replays, say so. */
static int
db_replay(void)
{
	struct spool_stat ss;
	PGconn *c;
	int n;

	if ((c = store_connect()) == NULL)
		return KB_EXIT_ERR;
	/* store_connect replayed what nobody holds; a second pass reports. */
	n = spool_replay_all(c, 1);
	db_close(c);
	if (spool_status(&ss) == 0 && ss.files > 0)
		printf("spool: %d files left (%d held by running kbench)\n",
		    ss.files, ss.live);
	else
		printf("spool: empty\n");
	return n == -1 ? KB_EXIT_ERR : KB_EXIT_OK;
}

static int
db_migrate_cmd(void)
{
	PGconn *c;

	/* store_connect applies pending migrations; say what we have after. */
	if ((c = store_connect()) == NULL)
		return KB_EXIT_ERR;
	kb_info("kbench: schema at version %d", db_schema_version(c));
	db_close(c);
	return KB_EXIT_OK;
}

/* Replace this process with psql on the database. */
static int
db_psql(int argc, char **argv)
{
	char **av;
	int i, n = 0;

	if (!external()) {
		if (!pg_running() && pg_start() == -1)
			return KB_EXIT_ERR;
		/* Make sure the database and schema exist first. */
		db_close(store_connect());
	}
	av = kb_calloc((size_t)argc + 12, sizeof(*av));
	av[n++] = "psql";
	if (external()) {
		av[n++] = "-d";
		av[n++] = (char *)db_conninfo();
	} else {
		av[n++] = "-h";
		av[n++] = (char *)pg_sockdir();
		av[n++] = "-p";
		av[n++] = "5432";
		av[n++] = "-U";
		av[n++] = "kbench";
		av[n++] = "-d";
		av[n++] = "kbench";
	}
	for (i = 1; i < argc; i++)
		av[n++] = argv[i];
	av[n] = NULL;
	fflush(NULL);
	execvp("psql", av);
	kb_warn("exec psql");
	free(av);
	return KB_EXIT_ERR;
}

static const char *const db_subs[] = {
	"init", "start", "stop", "status", "migrate", "replay", "psql"
};
#define NDBSUBS (sizeof(db_subs) / sizeof(db_subs[0]))

int
cmd_db(int argc, char **argv)
{
	const char *sub;
	size_t i;

	sub = argc < 2 ? NULL : argv[1];
	for (i = 0; sub != NULL && i < NDBSUBS; i++)
		if (strcmp(sub, db_subs[i]) == 0)
			break;
	if (sub == NULL || i == NDBSUBS)
		return kb_unknown("db", "subcommand", sub, db_subs, NDBSUBS);
	if (strcmp(sub, "psql") == 0)
		return db_psql(argc - 1, argv + 1);
	if (argc > 2)
		return kb_usage_error("db", "%s takes no arguments", sub);
	if (strcmp(sub, "status") == 0)
		return db_status();
	if (strcmp(sub, "migrate") == 0)
		return db_migrate_cmd();
	if (strcmp(sub, "replay") == 0)
		return db_replay();
	if (external() && (strcmp(sub, "init") == 0 ||
	    strcmp(sub, "start") == 0 || strcmp(sub, "stop") == 0)) {
		kb_warnx("KBENCH_DB is set: kbench uses that server and "
		    "never starts or stops one");
		return KB_EXIT_ERR;
	}
	if (strcmp(sub, "init") == 0)
		return pg_init() == 0 ? KB_EXIT_OK : KB_EXIT_ERR;
	if (strcmp(sub, "start") == 0) {
		PGconn *c;

		if (pg_start() == -1 || (c = store_connect()) == NULL)
			return KB_EXIT_ERR;
		db_close(c);
		return KB_EXIT_OK;
	}
	if (strcmp(sub, "stop") == 0)
		return pg_stop() == 0 ? KB_EXIT_OK : KB_EXIT_ERR;
	return kb_unknown("db", "subcommand", sub, db_subs, NDBSUBS);
}
