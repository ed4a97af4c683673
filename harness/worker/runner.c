/*
 * runner.c: spawn kbench-agent processes, read their framed lines,
 * and take turns between them when a run is interleaved.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/util.h"
#include "lib/spawn.h"
#include "format/agentproto.h"
#include "worker/runner.h"

extern char **environ;

#define LINE_CAP	(64 * 1024)	/* longer "lines" are noise */
#define TERM_GRACE_S	15	/* after SIGTERM, before SIGKILL */

static volatile sig_atomic_t got_sig;

static void
onsig(int sig)
{
	got_sig = sig;
}

void
runner_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = onsig;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: poll() and waitpid() must see EINTR. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* A reader gone away must be an error, not our death. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

int
runner_interrupted(void)
{
	return got_sig;
}

static int
executable(const char *p)
{
	return access(p, X_OK) == 0;
}

int
runner_insn_ready(const char *cmd)
{
	const char *path = getenv("PATH"), *p, *e;
	char *f;
	int ok = 0;

	for (p = path != NULL ? path : "/usr/bin:/bin"; !ok; p = e + 1) {
		if ((e = strchr(p, ':')) == NULL)
			e = p + strlen(p);
		f = kb_asprintf("%.*s/valgrind", (int)(e - p),
		    e > p ? p : ".");
		ok = access(f, X_OK) == 0;
		free(f);
		if (*e == '\0')
			break;
	}
	if (!ok)
		kb_warnx("%s: --metric insn_user counts the command's "
		    "instructions under valgrind, which is not on $PATH "
		    "(Debian's valgrind package; make deps)", cmd);
	return ok ? 0 : -1;
}

char *
runner_agent_path(const char *argv0)
{
	char self[PATH_MAX], *p, *slash;
	const char *e;
	ssize_t n;

	if ((e = getenv("KBENCH_AGENT")) != NULL && *e != '\0')
		return kb_strdup(e);
	/* Beside this kbench: the agent of the same build. */
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
	} else if (argv0 != NULL && strchr(argv0, '/') != NULL) {
		snprintf(self, sizeof(self), "%s", argv0);
	} else
		self[0] = '\0';
	if ((slash = strrchr(self, '/')) != NULL) {
		*slash = '\0';
		p = kb_asprintf("%s/kbench-agent", self);
		if (executable(p))
			return p;
		free(p);
	}
	return kb_asprintf("%s/bin/kbench-agent", kb_root());
}

/* environ with env's NAME=VALUE entries put over it. */
static char **
make_env(char **env)
{
	char **out;
	size_t n = 0, m = 0, i, j, k;
	const char *eq;

	while (environ[n] != NULL)
		n++;
	while (env != NULL && env[m] != NULL)
		m++;
	out = kb_calloc(n + m + 1, sizeof(char *));
	k = 0;
	for (i = 0; i < n; i++) {
		for (j = 0; j < m; j++) {
			eq = strchr(env[j], '=');
			if (eq != NULL && strncmp(environ[i], env[j],
			    (size_t)(eq - env[j]) + 1) == 0)
				break;
		}
		if (j == m)
			out[k++] = environ[i];
	}
	for (j = 0; j < m; j++)
		out[k++] = env[j];
	out[k] = NULL;
	return out;
}

static int
open_log(const char *path)
{
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0644)) == -1)
		kb_warn("%s", path);
	return fd;
}

static int
exit_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return -1;
}

int
runner_shell(const char *cmd, const char *dir, const char *log)
{
	char *argv[] = { "/bin/sh", "-c", NULL, NULL };
	struct spawn_opts o = { NULL, NULL, SPAWN_NULL, SPAWN_KEEP,
	    SPAWN_KEEP, 1, 1 };
	pid_t pid;
	int fd, st, killed = 0;

	argv[2] = (char *)cmd;
	if ((fd = open_log(log)) == -1)
		return -1;
	o.dir = dir;
	o.out = o.err = fd;
	pid = spawn_start(argv, &o, NULL);
	close(fd);
	if (pid == -1)
		return -1;
	while (waitpid(pid, &st, 0) == -1) {
		if (errno != EINTR) {
			kb_warn("waitpid");
			return -1;
		}
		if (got_sig && !killed) {
			kill(-pid, SIGTERM);
			killed = 1;
		}
	}
	return exit_status(st);
}

static int
start_agent(struct agent_proc *a)
{
	/* Its own group: a stop takes down the whole tree at once. */
	struct spawn_opts o = { NULL, NULL, SPAWN_NULL, SPAWN_KEEP,
	    SPAWN_KEEP, 1, 1 };
	char **envp, **env, *out;
	int p[2], err, n;

	a->pid = -1;
	a->fd = -1;
	a->gatefd = -1;
	a->status = -1;
	ap_reader_init(&a->rd);
	out = kb_asprintf("%s/agent.out", a->dir);
	a->raw = fopen(out, "a");
	if (a->raw == NULL)
		kb_warn("%s", out);
	free(out);
	if (a->raw == NULL)
		return -1;
	out = kb_asprintf("%s/agent.err", a->dir);
	err = open_log(out);
	free(out);
	if (err == -1)
		return -1;
	if (pipe(p) == -1) {
		kb_warn("pipe");
		close(err);
		return -1;
	}
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	env = a->env;
	if (a->gate != NULL) {
		/*
		 * Opened read-write so that neither side blocks in open(2)
		 * and the agent's reads wait for data, not for a writer.
		 */
		if ((mkfifo(a->gate, 0600) == -1 && errno != EEXIST) ||
		    (a->gatefd = open(a->gate, O_RDWR | O_CLOEXEC)) == -1) {
			kb_warn("%s", a->gate);
			close(p[0]);
			close(p[1]);
			close(err);
			return -1;
		}
		for (n = 0; a->env != NULL && a->env[n] != NULL; n++)
			;
		env = kb_calloc((size_t)n + 2, sizeof(char *));
		memcpy(env, a->env, (size_t)n * sizeof(char *));
		env[n] = kb_asprintf("KBENCH_GATE=%s", a->gate);
	}
	envp = make_env(env);
	o.env = envp;
	o.out = p[1];
	o.err = err;
	a->pid = spawn_start(a->argv, &o, NULL);
	free(envp);
	if (env != a->env) {
		/* Only the KBENCH_GATE entry, last, is ours. */
		for (n = 0; env[n + 1] != NULL; n++)
			;
		free(env[n]);
		free(env);
	}
	close(p[1]);
	close(err);
	if (a->pid == -1) {
		close(p[0]);
		return -1;
	}
	a->fd = p[0];
	return 0;
}

static void
reject(struct agent_proc *a, const char *line, size_t len, const char *why)
{
	char *path;

	a->rejected++;
	if (a->rejects == NULL) {
		path = kb_asprintf("%s/rejected.log", a->dir);
		if ((a->rejects = fopen(path, "a")) == NULL)
			kb_warn("%s", path);
		free(path);
		if (a->rejects == NULL)
			return;
	}
	fprintf(a->rejects, "%s\n\t%.*s\n", why, (int)len, line);
	fflush(a->rejects);
}

/* One line from an agent, without its newline. */
static int
feed(struct agent_proc *a, const char *line, size_t len,
    const struct runner_hooks *h)
{
	struct ap_line l;

	switch (ap_reader_feed(&a->rd, line, len, &l)) {
	case AP_NONE:
		return 0;
	case AP_BAD:
		reject(a, line, len, l.msg);
		return 0;
	case AP_START:
		a->started = 1;
		break;
	case AP_SAMPLE:
		a->samples++;
		break;
	case AP_ERROR:
		if (a->error[0] == '\0')
			snprintf(a->error, sizeof(a->error), "%s", l.msg);
		break;
	case AP_END:
		a->ended = 1;
		break;
	case AP_PKG:
		/* Here the rows' file is on this host: the run reads it. */
		break;
	}
	return h->line != NULL ? h->line(h->arg, a, &l) : 0;
}

/*
 * Read what is there; split into lines.  0, -1 to stop everything, or
 * 1 when the line hook has enough samples (stop, but no error).
 */
static int
drain(struct agent_proc *a, const struct runner_hooks *h)
{
	char chunk[16384], *nl, *p;
	ssize_t n;
	size_t off;
	int rc = 0;

	n = read(a->fd, chunk, sizeof(chunk));
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0) {
		if (n == -1)
			kb_warn("reading the agent");
		/* A last line without its newline still counts. */
		if (a->len > 0)
			rc = feed(a, a->buf, a->len, h);
		a->len = 0;
		a->eof = 1;
		close(a->fd);
		a->fd = -1;
		return rc;
	}
	/* Raw first: what the agent said is kept even if we die next. */
	fwrite(chunk, 1, (size_t)n, a->raw);
	fflush(a->raw);
	if (a->len + (size_t)n > a->cap) {
		a->cap = a->len + (size_t)n + 4096;
		a->buf = kb_reallocarray(a->buf, a->cap, 1);
	}
	memcpy(a->buf + a->len, chunk, (size_t)n);
	a->len += (size_t)n;
	off = 0;
	while ((nl = memchr(a->buf + off, '\n', a->len - off)) != NULL) {
		p = a->buf + off;
		/* The hook's 1 ("enough samples") is passed on too. */
		if (rc == 0)
			rc = feed(a, p, (size_t)(nl - p), h);
		off = (size_t)(nl - a->buf) + 1;
	}
	memmove(a->buf, a->buf + off, a->len - off);
	a->len -= off;
	if (a->len > LINE_CAP) {
		reject(a, a->buf, 80, "line too long; dropped");
		a->len = 0;
	}
	return rc;
}

static void
release(struct agent_proc *a)
{
	if (a->gatefd != -1 && write(a->gatefd, "\n", 1) == -1)
		kb_warn("%s", a->gate);
}

static void
stop_all(struct agent_proc *v, size_t n, int sig)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].pid > 0 && v[i].status == -1)
			kill(-v[i].pid, sig);
}

/* The next agent (after cur) that still has repetitions to run. */
static size_t
next_turn(struct agent_proc *v, size_t n, size_t cur)
{
	size_t i, j;

	for (i = 1; i <= n; i++) {
		j = (cur + i) % n;
		if (!v[j].eof && v[j].samples < v[j].reps && !v[j].ended)
			return j;
	}
	return n;
}

/*
 * RUNNER_ROTATE: round r starts with agent r mod n, so that no agent
 * always runs first or after the same one (a neighbour with a period
 * near a round's length would otherwise hit one of them every round).
 */
static size_t
rotated_turn(struct agent_proc *v, size_t n, size_t cur, unsigned long k)
{
	size_t j = (size_t)((k / n + k % n) % n);

	if (!v[j].eof && v[j].samples < v[j].reps && !v[j].ended)
		return j;
	return next_turn(v, n, cur);
}

/* One runner_run(): its agents and how far it has gone. */
struct run {
	struct agent_proc	*v;
	size_t			 n;
	int			 interleave;
	size_t			 turn;		/* whose gate is open */
	unsigned long		 turns;
	int			 stopping, killed, rc;
	struct timespec		 t0;		/* when stopping began */
};

/* Every agent's state reset, and its gate named if it takes turns. */
static void
run_init(struct run *r)
{
	struct agent_proc *v = r->v;
	size_t i;

	for (i = 0; i < r->n; i++) {
		if (!r->interleave || r->n < 2) {
			free(v[i].gate);
			v[i].gate = NULL;
		} else if (v[i].gate == NULL)
			v[i].gate = kb_asprintf("%s/gate", v[i].dir);
		v[i].pid = -1;
		v[i].fd = -1;
		v[i].gatefd = -1;
		v[i].status = -1;
	}
}

/* Asks every agent to stop (SIGTERM), SIGKILL after TERM_GRACE_S. */
static void
run_stop(struct run *r)
{
	r->stopping = 1;
	clock_gettime(CLOCK_MONOTONIC, &r->t0);
	stop_all(r->v, r->n, SIGTERM);
}

/* A signal stops the run; a grace period over kills what is left. */
static void
run_check_stop(struct run *r)
{
	struct timespec now;

	if (got_sig && !r->stopping) {
		r->rc = -1;
		run_stop(r);
	}
	if (r->stopping && !r->killed) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - r->t0.tv_sec >= TERM_GRACE_S) {
			stop_all(r->v, r->n, SIGKILL);
			r->killed = 1;
		}
	}
}

/* The poll set: each agent's output while open; how many are. */
static int
run_pollset(struct run *r, struct pollfd *pfd)
{
	size_t i;
	int live = 0;

	for (i = 0; i < r->n; i++) {
		pfd[i].fd = r->v[i].fd;
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
		if (r->v[i].fd != -1)
			live++;
	}
	return live;
}

/* With turns: agent i has had its say; the gate passes on if due. */
static void
run_next_turn(struct run *r, size_t i, long before)
{
	struct agent_proc *v = r->v;

	/*
	 * A finished agent may still run a last cleanup:
	 * leave its gate open.
	 */
	if (v[i].samples >= v[i].reps || v[i].eof || v[i].ended)
		release(&v[i]);
	if (i == r->turn && (v[i].samples > before || v[i].eof ||
	    v[i].ended)) {
		r->turn = r->interleave == RUNNER_ROTATE ?
		    rotated_turn(v, r->n, r->turn, ++r->turns) :
		    next_turn(v, r->n, r->turn);
		if (r->turn < r->n)
			release(&v[r->turn]);
	}
}

/* Reads what the agents that poll() marked have said. */
static void
run_read(struct run *r, const struct pollfd *pfd,
    const struct runner_hooks *h)
{
	struct agent_proc *v = r->v;
	size_t i;
	long before;
	int dr;

	for (i = 0; i < r->n; i++) {
		if (v[i].fd == -1 || (pfd[i].revents &
		    (POLLIN | POLLHUP | POLLERR)) == 0)
			continue;
		before = v[i].samples;
		dr = drain(&v[i], h);
		/*
		 * 1: the caller has its answer (a sequential test):
		 * stop every agent, as after -1, but it is no error.
		 */
		if (dr != 0 && !r->stopping) {
			if (dr == -1)
				r->rc = -1;
			run_stop(r);
		}
		if (!r->interleave || r->n < 2 || r->stopping)
			continue;
		run_next_turn(r, i, before);
	}
}

/* Waits for every agent, kills what is left of its group, shuts gates. */
static void
run_reap(struct run *r)
{
	struct agent_proc *v = r->v;
	size_t i;
	pid_t w;
	int st;

	for (i = 0; i < r->n; i++) {
		if (v[i].pid <= 0)
			continue;
		while ((w = waitpid(v[i].pid, &st, 0)) == -1 && errno == EINTR)
			;
		if (w == v[i].pid)
			v[i].status = exit_status(st);
		/* Nothing of its group may outlive the run. */
		kill(-v[i].pid, SIGKILL);
	}
	for (i = 0; i < r->n; i++)
		if (v[i].gatefd != -1) {
			close(v[i].gatefd);
			v[i].gatefd = -1;
			unlink(v[i].gate);
		}
}

int
runner_run(struct agent_proc *v, size_t n, int interleave,
    const struct runner_hooks *h)
{
	struct run r;
	struct pollfd *pfd;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.v = v;
	r.n = n;
	r.interleave = interleave;
	run_init(&r);
	for (i = 0; i < n; i++)
		if (start_agent(&v[i]) == -1) {
			stop_all(v, n, SIGTERM);
			r.rc = -1;
			r.stopping = 1;
			break;
		}
	if (r.rc == 0 && interleave && n > 1)
		release(&v[0]);
	pfd = kb_calloc(n, sizeof(*pfd));
	clock_gettime(CLOCK_MONOTONIC, &r.t0);
	for (;;) {
		run_check_stop(&r);
		if (run_pollset(&r, pfd) == 0)
			break;
		if (poll(pfd, n, 1000) == -1) {
			if (errno == EINTR)
				continue;
			kb_warn("poll");
			stop_all(v, n, SIGKILL);
			r.rc = -1;
			break;
		}
		if (h->tick != NULL)
			h->tick(h->arg);
		run_read(&r, pfd, h);
	}
	free(pfd);
	run_reap(&r);
	if (got_sig)
		r.rc = -1;
	return r.rc;
}

void
runner_free(struct agent_proc *a)
{
	if (a->fd != -1)
		close(a->fd);
	if (a->raw != NULL)
		fclose(a->raw);
	if (a->rejects != NULL)
		fclose(a->rejects);
	free(a->buf);
	free(a->gate);
	a->fd = -1;
	a->raw = NULL;
	a->rejects = NULL;
	a->buf = NULL;
	a->gate = NULL;
}
