/*
 * queue.c: the embedded queue runner.
 *
 * Each request runs as a child `kbench try --request ID ...` in its own
 * process group, its output in $KBENCH_HOME/queue/ID/log: the very
 * command a user would type, so a queued try and a typed one cannot
 * differ.  The child moves the request through building, booting and
 * running and writes its verdict (try_kernel.c, try_report.c); the
 * runner ends it as done or failed by the exit status.  One request
 * runs per worker at a time (a worker is one machine or one QEMU
 * guest's host budget), up to --jobs at once.
 *
 * Nothing is lost when the runner stops: a request's row names its
 * runner (host:pid), and a runner that starts gives every request whose
 * runner is no longer alive back to the queue.  A request cancelled
 * while it runs has its child's process group terminated.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"
#include "lib/spawn.h"
#include "engine/queue.h"
#include "store/queuedb.h"
#include "worker/runner.h"

struct job {
	pid_t		 pid;
	int64_t		 id;
	char		*worker, *dir;
};

struct qr {
	PGconn			*c;
	const struct queue_opts	*o;
	char			 me[300];	/* host:pid */
	struct job		 job[QUEUE_MAX_JOBS];
	int			 njobs;
	char			*self;
};

/* Requests whose runner (on this host) is gone go back to the queue. */
static int
requeue_orphans(struct qr *q)
{
	struct db_table t;
	const char *r, *colon;
	char host[256];
	long pid;
	int i;

	if (gethostname(host, sizeof(host)) == -1)
		snprintf(host, sizeof(host), "localhost");
	if (queuedb_active(q->c, &t) == -1)
		return -1;
	for (i = 0; i < t.nrows; i++) {
		r = db_cell(&t, i, QA_RUNNER);
		if ((colon = strrchr(r, ':')) == NULL ||
		    (size_t)(colon - r) != strlen(host) ||
		    strncmp(r, host, strlen(host)) != 0)
			continue;	/* another host's runner: its own */
		pid = strtol(colon + 1, NULL, 10);
		if (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM))
			continue;
		printf("queue: request %s: its runner %s is gone; queued "
		    "again\n", db_cell(&t, i, QA_ID), r);
		if (queuedb_requeue(q->c, strtoll(db_cell(&t, i, QA_ID), NULL,
		    10), "the runner stopped; queued again") == -1) {
			db_table_free(&t);
			return -1;
		}
	}
	db_table_free(&t);
	return 0;
}

/* The patch into the request's directory; its path, or NULL. */
static char *
write_patch(const struct queue_req *r, const char *dir)
{
	char *path = kb_asprintf("%s/patch.diff", dir);
	FILE *fp;

	if ((fp = fopen(path, "w")) == NULL || fputs(r->patch, fp) == EOF ||
	    fclose(fp) == EOF) {
		kb_warn("%s", path);
		free(path);
		return NULL;
	}
	return path;
}

/* Start `kbench try` for r; 0, or -1 with the request failed. */
static int
start(struct qr *q, struct queue_req *r)
{
	struct spawn_opts so = { NULL, NULL, SPAWN_NULL, SPAWN_KEEP,
	    SPAWN_TO_OUT, 1, 1 };
	struct job *j = &q->job[q->njobs];
	char ids[24], ns[24], *log, *patch, *argv[16];
	int fd, k = 0;

	j->dir = kb_asprintf("%s/queue/%" PRId64, kb_home(), r->id);
	log = kb_asprintf("%s/log", j->dir);
	if (kb_mkdirs(j->dir, 0755) == -1 || (patch = write_patch(r,
	    j->dir)) == NULL || (fd = open(log, O_WRONLY | O_CREAT |
	    O_APPEND | O_CLOEXEC, 0644)) == -1) {
		queuedb_finish(q->c, r->id, "failed", "cannot write the "
		    "request's directory", log);
		free(log);
		free(j->dir);
		return -1;
	}
	snprintf(ids, sizeof(ids), "%" PRId64, r->id);
	snprintf(ns, sizeof(ns), "%ld", r->n);
	argv[k++] = q->self;
	argv[k++] = "try";
	argv[k++] = "--request";
	argv[k++] = ids;
	argv[k++] = "--worker";
	argv[k++] = r->worker;
	argv[k++] = "--workload";
	argv[k++] = r->workload;
	argv[k++] = "-n";
	argv[k++] = ns;
	argv[k++] = patch;
	argv[k] = NULL;
	so.out = fd;
	j->pid = spawn_start(argv, &so, NULL);
	close(fd);
	free(patch);
	printf("queue: request %" PRId64 ": kbench try on %s, %s, n %ld "
	    "(log %s)\n", r->id, r->worker, r->workload, r->n, log);
	fflush(stdout);
	free(log);
	if (j->pid == -1) {
		queuedb_finish(q->c, r->id, "failed", "cannot run kbench try",
		    NULL);
		free(j->dir);
		return -1;
	}
	j->id = r->id;
	j->worker = kb_strdup(r->worker);
	q->njobs++;
	return 0;
}

/*
 * Why a try failed: its last complaint in the log ("kbench try: ..."
 * and the line after, where it says what to do), else its status.
 */
static void
failure_reason(const char *log, int code, char *why, size_t len)
{
	char line[512];
	FILE *fp;

	snprintf(why, len, "kbench try exited with status %d", code);
	if ((fp = fopen(log, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, "kbench try: ", 12) == 0 &&
		    strstr(line, "interrupted") == NULL &&
		    strncmp(line + 12, "build log", 9) != 0) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(why, len, "%s (status %d)", line + 12, code);
		}
	fclose(fp);
}

/* A child that ended: its request done or failed by its status. */
static void
finish(struct qr *q, int i, int status)
{
	struct job *j = &q->job[i];
	char *log = kb_asprintf("%s/log", j->dir), why[600];
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
	    WTERMSIG(status);

	/* 0 and 3 (a regression found: --fail-on-regression) are a verdict. */
	failure_reason(log, code, why, sizeof(why));
	queuedb_finish(q->c, j->id, code == 0 || code == KB_EXIT_REGRESSION ?
	    "done" : "failed", code == 0 || code == KB_EXIT_REGRESSION ? NULL :
	    why, log);
	printf("queue: request %" PRId64 ": %s (status %d)\n", j->id,
	    code == 0 ? "done" : "failed", code);
	fflush(stdout);
	free(log);
	free(j->worker);
	free(j->dir);
	q->job[i] = q->job[--q->njobs];
}

/* Reap ended children; stop those whose request was cancelled. */
static int
watch_jobs(struct qr *q)
{
	char st[32];
	pid_t pid;
	int i, status;

	for (i = 0; i < q->njobs; i++) {
		pid = waitpid(q->job[i].pid, &status, WNOHANG);
		if (pid == q->job[i].pid) {
			finish(q, i--, status);
			continue;
		}
		if (queuedb_get_state(q->c, q->job[i].id, st, sizeof(st)) == -1)
			return -1;
		if (strcmp(st, "cancelled") == 0) {
			printf("queue: request %" PRId64 " cancelled: stopping "
			    "its try\n", q->job[i].id);
			kill(-q->job[i].pid, SIGTERM);
		}
	}
	return 0;
}

/* Start what the queue holds for the workers that are free. */
static int
take(struct qr *q)
{
	const char *busy[QUEUE_MAX_JOBS];
	struct queue_req r;
	int i, got;

	while (q->njobs < q->o->jobs) {
		for (i = 0; i < q->njobs; i++)
			busy[i] = q->job[i].worker;
		memset(&r, 0, sizeof(r));
		if ((got = queuedb_claim(q->c, q->me, busy, q->njobs,
		    &r)) <= 0)
			return got;
		start(q, &r);
		queuedb_req_free(&r);
	}
	return 0;
}

/* At a signal: the tries stop; their requests go back to the queue. */
static void
stop_all(struct qr *q)
{
	int i, status;

	for (i = 0; i < q->njobs; i++)
		kill(-q->job[i].pid, SIGTERM);
	while (q->njobs > 0) {
		if (waitpid(q->job[0].pid, &status, 0) == -1 && errno == EINTR)
			continue;
		queuedb_requeue(q->c, q->job[0].id, "the runner stopped; "
		    "queued again");
		free(q->job[0].worker);
		free(q->job[0].dir);
		q->job[0] = q->job[--q->njobs];
	}
}

int
queue_run(PGconn *c, const struct queue_opts *o)
{
	struct qr q;
	char host[256];
	int rc = 0;

	memset(&q, 0, sizeof(q));
	q.c = c;
	q.o = o;
	if (gethostname(host, sizeof(host)) == -1)
		snprintf(host, sizeof(host), "localhost");
	snprintf(q.me, sizeof(q.me), "%s:%ld", host, (long)getpid());
	if ((q.self = self_path(NULL)) == NULL) {
		kb_warnx("cannot find the kbench binary to run tries with");
		return KB_EXIT_ERR;
	}
	printf("queue: runner %s, up to %d request%s at once\n", q.me, o->jobs,
	    o->jobs == 1 ? "" : "s");
	fflush(stdout);
	if (requeue_orphans(&q) == -1)
		rc = -1;
	while (rc == 0 && !runner_interrupted()) {
		if ((rc = watch_jobs(&q)) == -1 || (rc = take(&q)) == -1)
			break;
		if (o->once && q.njobs == 0)
			break;
		sleep((unsigned)o->poll);
	}
	stop_all(&q);
	free(q.self);
	return rc == -1 ? KB_EXIT_ERR : KB_EXIT_OK;
}
