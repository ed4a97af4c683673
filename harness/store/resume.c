/*
 * resume.c: tell a live run from one whose harness died, mark the dead
 * ones, and load one to finish it.
 */
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"
#include "store/db.h"
#include "store/resume.h"

#define STALE_REASON	"stale: harness died"
#define LIVE_STATES	"('queued', 'building', 'booting', 'running')"

const char *
resume_host(void)
{
	static char host[256];

	if (host[0] == '\0' && gethostname(host, sizeof(host) - 1) == -1)
		snprintf(host, sizeof(host), "unknown");
	return host;
}

static int
read_small(const char *path, char *buf, size_t len)
{
	FILE *fp;
	size_t n;

	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, len - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	return 0;
}

int
resume_proc_start(pid_t pid, char *buf, size_t len)
{
	char path[64], stat[1024], boot[64], *p;
	int i;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if (read_small(path, stat, sizeof(stat)) == -1) {
		/* No /proc (BSD): liveness by kill(2) alone. */
		if (access("/proc/self/stat", F_OK) == -1 &&
		    (kill(pid, 0) == 0 || errno == EPERM)) {
			snprintf(buf, len, "-");
			return 0;
		}
		return -1;
	}
	if (read_small("/proc/sys/kernel/random/boot_id", boot,
	    sizeof(boot)) == -1)
		boot[0] = '\0';
	boot[strcspn(boot, "\n")] = '\0';
	/* The command name may hold spaces and parentheses: skip it whole. */
	if ((p = strrchr(stat, ')')) == NULL)
		return -1;
	/* Field 22, starttime; p is at the end of field 2. */
	for (i = 2; i < 22 && p != NULL; i++)
		if ((p = strchr(p + 1, ' ')) != NULL)
			while (p[1] == ' ')
				p++;
	if (p == NULL)
		return -1;
	p++;
	snprintf(buf, len, "%s:%.*s", boot, (int)strcspn(p, " \n"), p);
	return 0;
}

int
resume_alive(long pid, const char *start)
{
	char now[128];

	if (pid <= 0)
		return 0;
	if (kill((pid_t)pid, 0) == -1 && errno == ESRCH)
		return 0;
	if (start == NULL || *start == '\0' || strcmp(start, "-") == 0)
		return 1;
	if (resume_proc_start((pid_t)pid, now, sizeof(now)) == -1)
		return 0;
	return strcmp(now, start) == 0;
}

int
resume_mark_stale(PGconn *c)
{
	const char *p[4];
	PGresult *r;
	int i, n, marked = 0;

	p[0] = resume_host();
	if (db_exec(c, &r, "SELECT id, pid, pid_start, state FROM run "
	    "WHERE host = $1 AND pid IS NOT NULL AND state IN " LIVE_STATES,
	    1, p) == -1)
		return -1;
	n = PQntuples(r);
	for (i = 0; i < n; i++) {
		if (resume_alive(atol(PQgetvalue(r, i, 1)),
		    PQgetisnull(r, i, 2) ? NULL : PQgetvalue(r, i, 2)))
			continue;
		p[0] = PQgetvalue(r, i, 0);
		p[1] = PQgetvalue(r, i, 1);
		p[2] = PQgetvalue(r, i, 3);
		p[3] = STALE_REASON;
		/* Only if nobody took it over meanwhile (same pid, state). */
		if (db_exec(c, NULL, "UPDATE run SET state = 'failed', "
		    "reason = $4, finished = now() WHERE id = $1 AND "
		    "pid = $2 AND state = $3", 4, p) == 0)
			marked++;
	}
	PQclear(r);
	if (marked > 0)
		kb_info("kbench: %d stale run%s (harness died) marked failed; "
		    "kbench run --resume RUN finishes one", marked,
		    marked == 1 ? "" : "s");
	return marked;
}

static char *
val(PGresult *r, int col)
{
	return PQgetisnull(r, 0, col) ? NULL : kb_strdup(PQgetvalue(r, 0, col));
}

int
resume_load(PGconn *c, const char *run, struct resume_info *ri)
{
	const char *p[1] = { run };
	PGresult *r;
	char *host;
	long pid;
	int alive;

	memset(ri, 0, sizeof(ri[0]));
	resume_mark_stale(c);
	/* By id when it is all digits, else by ukey. */
	if (db_exec(c, &r, "SELECT r.id, r.ukey, w.name, l.name, k.label, "
	    "r.variant, r.command, r.state, r.reason, "
	    "COALESCE(r.n_planned, 0), r.host, r.pid, r.pid_start, "
	    "(SELECT count(*) FROM sample s WHERE s.run_id = r.id AND "
	    DB_COUNTED "), "
	    "(SELECT COALESCE(max(rep), 0) FROM sample s "
	    "WHERE s.run_id = r.id), r.source "
	    "FROM run r JOIN worker w ON w.id = r.worker_id "
	    "JOIN workload l ON l.id = r.workload_id "
	    "JOIN kernel k ON k.id = r.kernel_id "
	    "WHERE CASE WHEN $1 ~ '^[0-9]{1,18}$' THEN r.id = $1::bigint "
	    "ELSE r.ukey = $1 END", 1, p) == -1)
		return -1;
	if (PQntuples(r) != 1) {
		kb_warnx("no run %s", run);
		PQclear(r);
		return -1;
	}
	ri->id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	ri->ukey = val(r, 1);
	ri->worker = val(r, 2);
	ri->workload = val(r, 3);
	ri->kernel = val(r, 4);
	ri->variant = val(r, 5);
	ri->command = val(r, 6);
	ri->state = val(r, 7);
	ri->reason = val(r, 8);
	ri->n_planned = atoi(PQgetvalue(r, 0, 9));
	host = val(r, 10);
	pid = PQgetisnull(r, 0, 11) ? 0 : atol(PQgetvalue(r, 0, 11));
	alive = host != NULL && strcmp(host, resume_host()) == 0 &&
	    resume_alive(pid, PQgetisnull(r, 0, 12) ? NULL :
	    PQgetvalue(r, 0, 12));
	ri->good = atoi(PQgetvalue(r, 0, 13));
	ri->last_rep = atoi(PQgetvalue(r, 0, 14));
	if (strcmp(PQgetvalue(r, 0, 15), "agent") != 0) {
		kb_warnx("run %s was %s, not run by kbench run: nothing to "
		    "resume", run, PQgetvalue(r, 0, 15));
		goto fail;
	}
	if (strcmp(ri->state, "done") == 0) {
		kb_warnx("run %s is done (%d of %d good samples)", run,
		    ri->good, ri->n_planned);
		goto fail;
	}
	if (strcmp(ri->state, "failed") != 0) {
		kb_warnx("run %s is %s and its harness (%s pid %ld) %s", run,
		    ri->state, host != NULL ? host : "unknown host", pid,
		    alive ? "is alive: not resumed" : "is on another host: "
		    "stop it there first");
		goto fail;
	}
	if (ri->command == NULL || ri->n_planned <= 0) {
		kb_warnx("run %s has no command or plan on record", run);
		goto fail;
	}
	free(host);
	PQclear(r);
	return 0;
fail:
	free(host);
	PQclear(r);
	resume_free(ri);
	return -1;
}

/*
 * An orphaned agent exits at its next line (the pipe is gone), but its
 * current repetition would still run beside ours and skew both: end the
 * processes that carry the run's key in their environment.
 */
static void
kill_orphans(const char *ukey)
{
	char path[64], *env, *want, *p;
	struct dirent *de;
	size_t n, cap = 1 << 16;
	FILE *fp;
	DIR *d;
	pid_t pid;

	if ((d = opendir("/proc")) == NULL)
		return;
	want = kb_asprintf("KBENCH_RUN=%s", ukey);
	env = kb_malloc(cap);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		pid = (pid_t)atol(de->d_name);
		if (pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/environ", (long)pid);
		if ((fp = fopen(path, "r")) == NULL)
			continue;
		n = fread(env, 1, cap - 1, fp);
		fclose(fp);
		env[n] = '\0';
		for (p = env; p < env + n; p += strlen(p) + 1)
			if (strcmp(p, want) == 0) {
				kill(pid, SIGKILL);
				break;
			}
	}
	closedir(d);
	free(env);
	free(want);
}

int
resume_claim(PGconn *c, const struct resume_info *ri)
{
	char id[24], pid[24], start[128];
	const char *p[4];
	PGresult *r;
	int n;

	kill_orphans(ri->ukey);
	if (resume_proc_start(getpid(), start, sizeof(start)) == -1)
		start[0] = '\0';
	snprintf(id, sizeof(id), "%" PRId64, ri->id);
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	p[0] = id;
	p[1] = resume_host();
	p[2] = pid;
	p[3] = start[0] != '\0' ? start : NULL;
	/* Only a failed run is taken over, so two resumers cannot both. */
	if (db_exec(c, &r, "UPDATE run SET state = 'running', reason = "
	    "NULL, finished = NULL, heartbeat = now(), host = $2, "
	    "pid = $3::integer, pid_start = $4 WHERE id = $1 AND "
	    "state = 'failed' RETURNING id", 4, p) == -1)
		return -1;
	n = PQntuples(r);
	PQclear(r);
	if (n != 1) {
		kb_warnx("run %s was taken over by another kbench", ri->ukey);
		return -1;
	}
	return 0;
}

void
resume_free(struct resume_info *ri)
{
	free(ri->ukey);
	free(ri->worker);
	free(ri->workload);
	free(ri->kernel);
	free(ri->variant);
	free(ri->command);
	free(ri->state);
	free(ri->reason);
	memset(ri, 0, sizeof(*ri));
}
