/*
 * cmd_serve.c: kbench serve: the dashboard and its JSON API, live, on
 * 127.0.0.1 unless told otherwise.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <unistd.h>

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "lib/spawn.h"
#include "format/config.h"
#include "store/db.h"
#include "store/connect.h"
#include "output/report.h"
#include "web/web.h"

#define SERVE_PORT	8080
/* The runs the status pages list: summarised before the first request. */
#define WARM_RUNS	1000
#define WARM_VERDICTS	5	/* as wp_status() shows */

/* "ADDR:PORT", ":PORT" or "PORT"; 0 or -1. */
static int
parse_listen(const char *s, char *addr, size_t len, int *port)
{
	const char *colon = strrchr(s, ':');
	long p;

	if (colon == NULL) {
		snprintf(addr, len, "127.0.0.1");
		colon = s - 1;
	} else if (colon == s)
		snprintf(addr, len, "127.0.0.1");
	else if ((size_t)(colon - s) >= len)
		return -1;
	else {
		memcpy(addr, s, (size_t)(colon - s));
		addr[colon - s] = '\0';
	}
	if (kb_parse_long(colon + 1, 0, 65535, &p) == -1)
		return -1;
	*port = (int)p;
	return 0;
}

#define TOKEN_MIN	16	/* characters: not guessed over a network */

/*
 * The token guards the one request that starts work: refuse one too
 * short to be secret, and say so when its file or the address give it
 * away.  Returns -1 to stop.
 */
static int
check_exposure(const struct kb_config *cfg, const char *addr)
{
	struct stat st;
	size_t n = strlen(cfg->token);

	if (n > 0 && n < TOKEN_MIN) {
		kb_warnx("serve.token in %s has %zu characters; use at least "
		    "%d (e.g. openssl rand -hex 16)", cfg->path, n, TOKEN_MIN);
		return -1;
	}
	if (n > 0 && stat(cfg->path, &st) == 0 && (st.st_mode & 077) != 0)
		kb_warnx("warning: %s holds serve.token and is readable by "
		    "others (mode %04o): chmod 600 %s", cfg->path,
		    (unsigned)(st.st_mode & 07777), cfg->path);
	if (strncmp(addr, "127.", 4) != 0 && strcmp(addr, "::1") != 0 &&
	    strcmp(addr, "localhost") != 0)
		kb_warnx("warning: listening on %s, not loopback: anyone who "
		    "reaches it reads every page and result%s", addr,
		    n > 0 ? ", and the token crosses the network in clear "
		    "(put TLS in front)" : "");
	return 0;
}

/*
 * The queue runner, a child of its own (kbench queue run): a try it
 * runs takes minutes to hours and must not share the server's process.
 * Its output goes to $KBENCH_HOME/queue/runner.log.  Its pid, or -1.
 */
static pid_t
start_runner(void)
{
	struct spawn_opts so = { NULL, NULL, SPAWN_NULL, SPAWN_KEEP,
	    SPAWN_TO_OUT, 1, 1 };
	char *argv[4], *dir, *log;
	pid_t pid = -1;
	int fd;

	dir = kb_asprintf("%s/queue", kb_home());
	log = kb_asprintf("%s/runner.log", dir);
	if ((argv[0] = self_path(NULL)) != NULL && kb_mkdirs(dir, 0755) == 0 &&
	    (fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0644)) != -1) {
		argv[1] = "queue";
		argv[2] = "run";
		argv[3] = NULL;
		so.out = fd;
		pid = spawn_start(argv, &so, NULL);
		close(fd);
	}
	if (pid == -1)
		kb_warnx("serve: the queue runner did not start: queued "
		    "requests wait for kbench queue run");
	else
		kb_info("kbench serve: queue runner pid %ld, log %s",
		    (long)pid, log);
	free(argv[0]);
	free(dir);
	free(log);
	return pid;
}

static void
stop_runner(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(-pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

struct serve_args {
	const char	*listen, *conf;
	int		 runner;
};

static int
serve_args(struct serve_args *a, int argc, char **argv)
{
	int i;

	memset(a, 0, sizeof(*a));
	a->runner = 1;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc)
			a->listen = argv[++i];
		else if (strncmp(argv[i], "--listen=", 9) == 0)
			a->listen = argv[i] + 9;
		else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			a->conf = argv[++i];
		else if (strcmp(argv[i], "--no-runner") == 0)
			a->runner = 0;
		else
			return kb_usage_error("serve", "unexpected %s",
			    argv[i]);
	}
	return 0;
}

int
cmd_serve(int argc, char **argv)
{
	struct kb_config cfg;
	struct serve_args a;
	struct web w;
	const char *listen, *conf;
	char addr[64], err[512];
	sigset_t set;
	struct timespec t0, t1;
	struct rp_cmp *rv;
	int64_t *runs;
	size_t nv;
	void *daemon;
	pid_t runner = -1;
	int port = SERVE_PORT, bound, sig;

	if ((bound = serve_args(&a, argc, argv)) != 0)
		return bound;
	listen = a.listen;
	conf = a.conf;
	snprintf(addr, sizeof(addr), "127.0.0.1");
	if (listen != NULL && parse_listen(listen, addr, sizeof(addr),
	    &port) == -1)
		return kb_usage_error("serve", "--listen ADDR:PORT, not %s",
		    listen);
	memset(&cfg, 0, sizeof(cfg));
	if (kb_config_load(conf, &cfg, err, sizeof(err)) == -1) {
		kb_warnx("%s", err);
		kb_config_free(&cfg);
		return KB_EXIT_ERR;
	}
	if (check_exposure(&cfg, addr) == -1) {
		kb_config_free(&cfg);
		return KB_EXIT_ERR;
	}
	memset(&w, 0, sizeof(w));
	w.x.o.confidence = cfg.confidence;
	w.x.o.threshold = cfg.threshold;
	w.x.trees = cfg.trees;
	w.x.ntrees = cfg.ntrees;
	w.x.live = 1;
	w.x.fmt = PLOT_SVG;
	w.token = cfg.token;
	w.cache = kb_asprintf("%s/cache/web", kb_home());
	if (kb_mkdirs(w.cache, 0755) == -1 ||
	    (w.x.c = store_connect()) == NULL) {
		free(w.cache);
		kb_config_free(&cfg);
		return KB_EXIT_ERR;
	}
	wd_session(w.x.c);
	/* Summaries before the first visitor, not during its request. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (wd_warm(w.x.c, WARM_RUNS) == -1)
		kb_warnx("serve: summaries not ready; pages will make them");
	/* And the status page's latest verdicts, read once from disk. */
	if (rp_recent(w.x.c, &w.x.o, WARM_VERDICTS, &rv, &runs, &nv) == 0) {
		rp_cmps_free(rv, nv);
		free(runs);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	kb_info("kbench serve: summaries ready in %.2f s",
	    (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (a.runner)
		runner = start_runner();
	/* Block the signals first: the server's thread inherits the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((bound = web_start(&w, addr, port, &daemon)) == -1) {
		stop_runner(runner);
		db_close(w.x.c);
		free(w.cache);
		kb_config_free(&cfg);
		return KB_EXIT_ERR;
	}
	fprintf(stderr, "kbench serve: listening on http://%s:%d/%s\n", addr,
	    bound, *w.token == '\0' ? " (POST /api/try disabled: no "
	    "serve.token)" : "");
	fflush(stderr);
	sigwait(&set, &sig);
	web_stop(&w, daemon);
	stop_runner(runner);
	db_close(w.x.c);
	free(w.cache);
	kb_config_free(&cfg);
	return KB_EXIT_OK;
}
