/*
 * pgctl.c: the private PostgreSQL cluster under $KBENCH_HOME/pg.
 *
 * It listens on a Unix socket in that directory and nowhere else, so
 * two clones with their own KBENCH_HOME never meet.  PostgreSQL refuses
 * to run as root; when kbench runs as root the server runs as the
 * "postgres" user (or "nobody"), which then owns the cluster files.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/pgctl.h"
#include "lib/util.h"

#define PG_PORT		"5432"
#define SUN_PATH_MAX	100	/* sockaddr_un.sun_path, with room */

static const char *
pgdir(void)
{
	static char *p;

	if (p == NULL)
		p = kb_asprintf("%s/pg", kb_home());
	return p;
}

static const char *
datadir(void)
{
	static char *p;

	if (p == NULL)
		p = kb_asprintf("%s/data", pgdir());
	return p;
}

const char *
pg_sockdir(void)
{
	return pgdir();
}

/* The user the server runs as when we are root; NULL otherwise. */
static struct passwd *
server_user(void)
{
	struct passwd *pw;

	if (geteuid() != 0)
		return NULL;
	if ((pw = getpwnam("postgres")) == NULL)
		pw = getpwnam("nobody");
	return pw;
}

/*
 * Find a PostgreSQL server program: $KBENCH_PGBIN, pg_config's bindir,
 * the newest /usr/lib/postgresql/N/bin (Debian), then PATH.
 */
static char *
pgbin(const char *prog)
{
	static char *bindir;
	const char *e;
	char buf[512], *p, *best = NULL;
	FILE *fp;
	DIR *d;
	struct dirent *de;
	long v, bestv = -1;

	if (bindir == NULL && (e = getenv("KBENCH_PGBIN")) != NULL)
		bindir = kb_strdup(e);
	if (bindir == NULL && (fp = popen("pg_config --bindir 2>/dev/null",
	    "r")) != NULL) {
		if (fgets(buf, sizeof(buf), fp) != NULL) {
			buf[strcspn(buf, "\n")] = '\0';
			p = kb_asprintf("%s/initdb", buf);
			if (access(p, X_OK) == 0)
				bindir = kb_strdup(buf);
			free(p);
		}
		pclose(fp);
	}
	if (bindir == NULL && (d = opendir("/usr/lib/postgresql")) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (kb_parse_long(de->d_name, 1, 1000, &v) == 0 &&
			    v > bestv) {
				free(best);
				best = kb_asprintf("/usr/lib/postgresql/%s/bin",
				    de->d_name);
				bestv = v;
			}
		}
		closedir(d);
		bindir = best;
	}
	if (bindir == NULL)
		return kb_strdup(prog);		/* execvp searches PATH */
	return kb_asprintf("%s/%s", bindir, prog);
}

/* Become the server user in a child about to exec a server program. */
static void
drop_privileges(const struct passwd *pw)
{
	if (pw == NULL)
		return;
	if (setgroups(0, NULL) == -1 || setgid(pw->pw_gid) == -1 ||
	    setuid(pw->pw_uid) == -1) {
		kb_warn("cannot become user %s", pw->pw_name);
		_exit(127);
	}
}

/*
 * Run a server program as the server user, output to log (appended)
 * or inherited when log is NULL.  Returns its exit status, or -1.
 */
static int
run_pg(char *const argv[], const char *log)
{
	struct passwd *pw = server_user();
	pid_t pid;
	int fd, st;

	fflush(NULL);
	if ((pid = fork()) == -1) {
		kb_warn("fork");
		return -1;
	}
	if (pid == 0) {
		if (log != NULL) {
			fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
			if (fd == -1) {
				kb_warn("%s", log);
				_exit(127);
			}
			if (pw != NULL && fchown(fd, pw->pw_uid, pw->pw_gid))
				_exit(127);
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			close(fd);
		}
		drop_privileges(pw);
		if (chdir(pgdir()) == -1)
			_exit(127);
		execvp(argv[0], argv);
		kb_warn("exec %s", argv[0]);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Can the server user enter dir?  Catches a root-only 0700 parent. */
static int
reachable(const char *dir)
{
	struct passwd *pw = server_user();
	pid_t pid;
	int st;

	if (pw == NULL)
		return 1;
	if ((pid = fork()) == -1)
		return 0;
	if (pid == 0) {
		drop_privileges(pw);
		_exit(access(dir, R_OK | W_OK | X_OK) == 0 ? 0 : 1);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return 0;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/*
 * Serialise init and start between concurrent kbench processes (several
 * may auto-start the cluster at once).  POSIX record lock, released on
 * close or exit.
 */
static int
lock_pgdir(void)
{
	struct flock fl;
	char *path;
	int fd;

	if (kb_mkdirs(kb_home(), 0755) == -1)
		return -1;
	path = kb_asprintf("%s/pg.lock", kb_home());
	fd = open(path, O_RDWR | O_CREAT, 0600);
	free(path);
	if (fd == -1) {
		kb_warn("%s/pg.lock", kb_home());
		return -1;
	}
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	while (fcntl(fd, F_SETLKW, &fl) == -1) {
		if (errno != EINTR) {
			kb_warn("lock %s/pg.lock", kb_home());
			close(fd);
			return -1;
		}
	}
	return fd;
}

static int
initialised(void)
{
	char *p;
	int ok;

	p = kb_asprintf("%s/PG_VERSION", datadir());
	ok = access(p, F_OK) == 0;
	free(p);
	return ok;
}

/* Settings that keep the cluster private: socket only, in our dir. */
static int
write_conf(void)
{
	char *path;
	const char *s;
	FILE *fp;

	path = kb_asprintf("%s/postgresql.conf", datadir());
	fp = fopen(path, "a");
	free(path);
	if (fp == NULL) {
		kb_warn("%s/postgresql.conf", datadir());
		return -1;
	}
	fprintf(fp, "\n# kbench: private cluster, Unix socket only\n"
	    "listen_addresses = ''\nport = " PG_PORT "\n"
	    "unix_socket_permissions = 0700\n"
	    "max_connections = 200\n"
	    "unix_socket_directories = '");
	for (s = pgdir(); *s != '\0'; s++) {
		if (*s == '\'')
			fputc('\'', fp);
		fputc(*s, fp);
	}
	fprintf(fp, "'\n");
	return fclose(fp) == 0 ? 0 : -1;
}

static int
init_locked(void)
{
	struct passwd *pw = server_user();
	char *initdb, *log;
	char *argv[12];
	int rc;

	if (initialised())
		return 0;
	if (strlen(pgdir()) + sizeof("/.s.PGSQL." PG_PORT) > SUN_PATH_MAX) {
		kb_warnx("KBENCH_HOME path too long for a Unix socket "
		    "(%s): choose a shorter KBENCH_HOME", pgdir());
		return -1;
	}
	if (kb_mkdirs(pgdir(), 0700) == -1)
		return -1;
	if (pw != NULL && chown(pgdir(), pw->pw_uid, pw->pw_gid) == -1) {
		kb_warn("chown %s", pgdir());
		return -1;
	}
	if (!reachable(pgdir())) {
		kb_warnx("%s: the database server runs as user %s, which "
		    "cannot reach this directory; make its parents "
		    "traversable (chmod o+x) or set KBENCH_HOME elsewhere",
		    pgdir(), pw->pw_name);
		return -1;
	}
	kb_info("kbench: creating the private PostgreSQL cluster in %s",
	    datadir());
	initdb = pgbin("initdb");
	log = kb_asprintf("%s/initdb.log", pgdir());
	argv[0] = initdb;
	argv[1] = "-D";
	argv[2] = (char *)datadir();
	argv[3] = "-U";
	argv[4] = "kbench";
	argv[5] = "-A";
	argv[6] = "trust";	/* the socket directory is 0700: the guard */
	argv[7] = "-E";
	argv[8] = "UTF8";
	argv[9] = "--locale=C";
	argv[10] = "--no-instructions";
	argv[11] = NULL;
	rc = run_pg(argv, log);
	if (rc != 0) {
		kb_warnx("initdb failed (status %d); see %s", rc, log);
	} else
		rc = write_conf();
	free(initdb);
	free(log);
	return rc == 0 ? 0 : -1;
}

int
pg_init(void)
{
	int fd, rc;

	if ((fd = lock_pgdir()) == -1)
		return -1;
	if (initialised()) {
		kb_info("kbench: cluster already initialised in %s",
		    datadir());
		rc = 0;
	} else
		rc = init_locked();
	close(fd);
	return rc;
}

int
pg_running(void)
{
	char *pgctl;
	char *argv[6];
	int rc;

	if (!initialised())
		return 0;
	pgctl = pgbin("pg_ctl");
	argv[0] = pgctl;
	argv[1] = "status";
	argv[2] = "-s";
	argv[3] = "-D";
	argv[4] = (char *)datadir();
	argv[5] = NULL;
	rc = run_pg(argv, "/dev/null");
	free(pgctl);
	return rc == 0;
}

static int
start_locked(void)
{
	char *pgctl, *log;
	char *argv[11];
	int rc;

	if (pg_running())
		return 1;
	pgctl = pgbin("pg_ctl");
	log = kb_asprintf("%s/server.log", pgdir());
	argv[0] = pgctl;
	argv[1] = "start";
	argv[2] = "-w";
	argv[3] = "-s";
	argv[4] = "-t";
	argv[5] = "120";
	argv[6] = "-D";
	argv[7] = (char *)datadir();
	argv[8] = "-l";
	argv[9] = log;
	argv[10] = NULL;
	rc = run_pg(argv, NULL);
	if (rc != 0)
		kb_warnx("the database server did not start (status %d); "
		    "see %s", rc, log);
	free(pgctl);
	free(log);
	return rc == 0 ? 0 : -1;
}

int
pg_start(void)
{
	int fd, rc;

	if ((fd = lock_pgdir()) == -1)
		return -1;
	rc = initialised() ? 0 : init_locked();
	if (rc == 0) {
		rc = start_locked();
		if (rc == 1) {
			kb_info("kbench: database already running "
			    "(socket in %s)", pgdir());
			rc = 0;
		} else if (rc == 0)
			kb_info("kbench: database started (socket in %s)",
			    pgdir());
	}
	close(fd);
	return rc;
}

int
pg_stop(void)
{
	char *pgctl, *pidfile;
	char *argv[11];
	int fd, rc, i;

	if ((fd = lock_pgdir()) == -1)
		return -1;
	if (!pg_running()) {
		kb_info("kbench: database not running");
		close(fd);
		return 0;
	}
	pgctl = pgbin("pg_ctl");
	argv[0] = pgctl;
	argv[1] = "stop";
	argv[2] = "-w";
	argv[3] = "-s";
	argv[4] = "-t";
	argv[5] = "120";
	argv[6] = "-m";
	argv[7] = "fast";
	argv[8] = "-D";
	argv[9] = (char *)datadir();
	argv[10] = NULL;
	rc = run_pg(argv, NULL);
	free(pgctl);
	/* "Leaves no process": wait until the postmaster's pid file goes. */
	pidfile = kb_asprintf("%s/postmaster.pid", datadir());
	for (i = 0; i < 100 && access(pidfile, F_OK) == 0; i++)
		usleep(100000);
	if (access(pidfile, F_OK) == 0) {
		kb_warnx("the database server did not stop; see %s",
		    pidfile);
		rc = -1;
	}
	free(pidfile);
	if (rc == 0)
		kb_info("kbench: database stopped");
	close(fd);
	return rc == 0 ? 0 : -1;
}
