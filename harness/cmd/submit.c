/*
 * cmd_submit.c: kbench submit, a patch to the Buildbot master's try
 * scheduler.
 *
 * It runs Debian's `buildbot try --connect pb --diff PATCH` by argv,
 * never through a shell.  The user name and password go into a
 * .buildbot/options file (mode 0600) in a private directory that is the
 * client's working directory, so they never appear on a command line;
 * the directory is removed afterwards.  The client can hang on errors
 * (a refused login, a master that went away), so it runs in its own
 * process group under a timeout.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "lib/util.h"
#include "lib/label.h"
#include "lib/spawn.h"

#define MAX_BUILDERS	32
#define MAX_PROPS	32
#define SUBMIT_CONF	"buildbot/submit.conf"

struct submit {
	const char	*builders[MAX_BUILDERS];
	int		 nbuilders;
	const char	*props[MAX_PROPS];
	int		 nprops;
	const char	*patch;
	const char	*master;
	const char	*comment;
	long		 timeout;
	int		 wait;
	/* From the credentials file and the environment. */
	char		*f_master, *f_user, *f_password, *f_builder, *f_www;
	char		*credfile;
};

static volatile sig_atomic_t got_signal;

static void
on_signal(int sig)
{
	got_signal = sig;
}

static const struct option longopts[] = {
	{ "builder", required_argument, NULL, 'b' },
	{ "wait", no_argument, NULL, 'W' },
	{ "timeout", required_argument, NULL, 'T' },
	{ "master", required_argument, NULL, 'm' },
	{ "property", required_argument, NULL, 'p' },
	{ "workload", required_argument, NULL, 'L' },
	{ "subject", required_argument, NULL, 'S' },
	{ "comment", required_argument, NULL, 'C' },
	{ NULL, 0, NULL, 0 }
};

/* No control characters: values go into the options file and argv. */
static int
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
	    e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/*
 * The credentials file: "key = value" lines (master, user, password,
 * builder, www), readable by its owner only.  A missing default file is
 * not an error; a named one is.
 */
static int
read_credentials(struct submit *s, const char *path, int must)
{
	struct stat st;
	char line[1024], *k, *v, **dst;
	FILE *fp;
	int lineno = 0, fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW)) == -1) {
		if (errno == ENOENT && !must)
			return 0;
		kb_warn("%s", path);
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		kb_warn("%s", path);
		close(fd);
		return -1;
	}
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		kb_warnx("%s: readable by others (mode %03o): chmod 600 %s",
		    path, (unsigned)(st.st_mode & 0777), path);
		close(fd);
		return -1;
	}
	if (st.st_uid != getuid()) {
		kb_warnx("%s: not owned by you", path);
		close(fd);
		return -1;
	}
	if ((fp = fdopen(fd, "r")) == NULL) {
		kb_warn("%s", path);
		close(fd);
		return -1;
	}
	free(s->credfile);
	s->credfile = kb_strdup(path);
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		k = trim(line);
		if (*k == '\0' || *k == '#')
			continue;
		if ((v = strchr(k, '=')) == NULL) {
			kb_warnx("%s:%d: expected key = value", path, lineno);
			fclose(fp);
			return -1;
		}
		*v++ = '\0';
		k = trim(k);
		v = trim(v);
		if (strcmp(k, "master") == 0)
			dst = &s->f_master;
		else if (strcmp(k, "user") == 0)
			dst = &s->f_user;
		else if (strcmp(k, "password") == 0)
			dst = &s->f_password;
		else if (strcmp(k, "builder") == 0)
			dst = &s->f_builder;
		else if (strcmp(k, "www") == 0)
			dst = &s->f_www;
		else {
			kb_warnx("%s:%d: unknown key '%s'; expected master, "
			    "user, password, builder or www", path, lineno, k);
			fclose(fp);
			return -1;
		}
		free(*dst);
		*dst = kb_strdup(v);
	}
	fclose(fp);
	return 0;
}

static void
from_env(char **dst, const char *name)
{
	const char *v;

	if ((v = getenv(name)) != NULL && *v != '\0') {
		free(*dst);
		*dst = kb_strdup(v);
	}
}

static int
load_credentials(struct submit *s)
{
	const char *env, *home;
	char *p;
	int rc;

	if ((env = getenv("KBENCH_BUILDBOT_CREDENTIALS")) != NULL &&
	    *env != '\0') {
		if (read_credentials(s, env, 1) == -1)
			return -1;
	} else {
		p = kb_asprintf("%s/%s", kb_home(), SUBMIT_CONF);
		rc = read_credentials(s, p, 0);
		free(p);
		if (rc == -1)
			return -1;
		if (s->credfile == NULL && (home = getenv("HOME")) != NULL) {
			p = kb_asprintf("%s/.config/kbench/submit.conf", home);
			rc = read_credentials(s, p, 0);
			free(p);
			if (rc == -1)
				return -1;
		}
	}
	from_env(&s->f_master, "KBENCH_BUILDBOT_MASTER");
	from_env(&s->f_user, "KBENCH_BUILDBOT_USER");
	from_env(&s->f_password, "KBENCH_BUILDBOT_PASSWORD");
	return 0;
}

/* A Python string literal for the options file (the client exec()s it). */
static void
py_string(FILE *fp, const char *s)
{
	fputc('\'', fp);
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '\'')
			fputc('\\', fp);
		fputc(*s, fp);
	}
	fputc('\'', fp);
}

static int
write_options(const char *dir, const struct submit *s)
{
	char *d, *f;
	FILE *fp;
	int fd, rc = -1;

	d = kb_asprintf("%s/.buildbot", dir);
	f = kb_asprintf("%s/options", d);
	if (mkdir(d, 0700) == -1) {
		kb_warn("%s", d);
		goto out;
	}
	if ((fd = open(f, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1) {
		kb_warn("%s", f);
		goto out;
	}
	if ((fp = fdopen(fd, "w")) == NULL) {
		close(fd);
		goto out;
	}
	fputs("try_username = ", fp);
	py_string(fp, s->f_user);
	fputs("\ntry_passwd = ", fp);
	py_string(fp, s->f_password);
	fputc('\n', fp);
	if (fclose(fp) == 0)
		rc = 0;
	else
		kb_warn("%s", f);
out:
	free(d);
	free(f);
	return rc;
}

static void
remove_options(const char *dir)
{
	char *p;

	p = kb_asprintf("%s/.buildbot/options", dir);
	unlink(p);
	free(p);
	p = kb_asprintf("%s/.buildbot", dir);
	rmdir(p);
	free(p);
	p = kb_asprintf("%s/patch.diff", dir);
	unlink(p);
	free(p);
	rmdir(dir);
}

/* Standard input to DIR/patch.diff, for PATCH "-". */
static char *
stdin_patch(const char *dir)
{
	char buf[65536], *p;
	ssize_t n;
	int fd;

	p = kb_asprintf("%s/patch.diff", dir);
	if ((fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1) {
		kb_warn("%s", p);
		free(p);
		return NULL;
	}
	while ((n = read(STDIN_FILENO, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n) {
			kb_warn("%s", p);
			close(fd);
			free(p);
			return NULL;
		}
	close(fd);
	return p;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* argv in dir, in its own process group, its output on *fd; or -1. */
static pid_t
client_spawn(char *const argv[], const char *dir, int *fd)
{
	struct spawn_opts so = { NULL, NULL, SPAWN_KEEP, SPAWN_PIPE,
	    SPAWN_TO_OUT, 1, 0 };
	pid_t pid;
	int p[2];

	so.dir = dir;
	if ((pid = spawn_start(argv, &so, p)) == -1)
		return -1;
	*fd = p[0];
	return pid;
}

/* How the client is being waited for, and stopped. */
struct client {
	pid_t	 pid;
	double	 deadline;	/* when to stop it, or to kill it */
	int	 killed;	/* SIGTERM sent */
	int	*timedout;
	int	*failed;	/* it printed a traceback */
};

/*
 * Past the deadline or on a signal: SIGTERM to the group, and three
 * seconds later SIGKILL (then again every hardkill seconds).
 */
static void
client_stop(struct client *cl, double hardkill)
{
	if (!cl->killed && (got_signal || now() >= cl->deadline)) {
		if (!got_signal && !*cl->failed)
			*cl->timedout = 1;
		kill(-cl->pid, SIGTERM);
		cl->killed = 1;
		cl->deadline = now() + 3;
	} else if (cl->killed && now() >= cl->deadline) {
		kill(-cl->pid, SIGKILL);
		cl->deadline = now() + hardkill;
	}
}

/* buf appended to *out (len bytes of cap), NUL-terminated. */
static void
keep_output(char **out, size_t *len, size_t *cap, const char *buf,
    size_t n)
{
	if (*cap - *len <= n) {
		while (*cap - *len <= n)
			*cap *= 2;
		*out = kb_reallocarray(*out, *cap, 1);
	}
	memcpy(*out + *len, buf, n);
	*len += n;
	(*out)[*len] = '\0';
}

/* The client's output, copied to ours and kept, until it closes it. */
static void
client_read(struct client *cl, int fd, char **out)
{
	struct pollfd pfd;
	char buf[4096];
	size_t len = 0, cap = 8192;
	ssize_t n;

	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		client_stop(cl, 3600);
		if (poll(&pfd, 1, 500) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd.revents == 0)
			continue;
		if ((n = read(fd, buf, sizeof(buf))) == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		fwrite(buf, 1, (size_t)n, stdout);
		fflush(stdout);
		keep_output(out, &len, &cap, buf, (size_t)n);
		/*
		 * After a traceback (a refused login, an error on the
		 * master) the client often waits forever: give it two
		 * seconds to say the rest, then stop it.
		 */
		if (!*cl->failed && strstr(*out, "Traceback (most recent call "
		    "last)") != NULL) {
			*cl->failed = 1;
			if (cl->deadline > now() + 2)
				cl->deadline = now() + 2;
		}
	}
}

/*
 * Run argv in dir, in its own process group, its output (both streams)
 * copied to ours and kept in *out.  Kill the group after timeout
 * seconds or on SIGINT/SIGTERM.  Returns the wait status, or -1 with
 * *timedout set.
 */
static int
run_client(char *const argv[], const char *dir, long timeout, char **out,
    int *timedout, int *failed)
{
	struct sigaction sa, oint, oterm;
	struct client cl;
	int fd, st;

	*timedout = 0;
	*failed = 0;
	*out = kb_malloc(8192);
	(*out)[0] = '\0';
	memset(&cl, 0, sizeof(cl));
	cl.timedout = timedout;
	cl.failed = failed;
	if ((cl.pid = client_spawn(argv, dir, &fd)) == -1)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &oint);
	sigaction(SIGTERM, &sa, &oterm);
	cl.deadline = now() + (double)timeout;
	client_read(&cl, fd, out);
	close(fd);
	/* The client closed its output; do not wait for it forever. */
	for (;;) {
		pid_t w = waitpid(cl.pid, &st, WNOHANG);

		if (w == cl.pid)
			break;
		if (w == -1 && errno != EINTR) {
			st = -1;
			break;
		}
		client_stop(&cl, 0);
		usleep(50000);
	}
	/* Whatever the client left in its group goes too. */
	kill(-cl.pid, SIGKILL);
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGTERM, &oterm, NULL);
	if (*timedout)
		return -1;
	return st;
}

/*
 * After "All Builds Complete" the client prints "BUILDER: RESULT
 * (text)" per build.  0 when all succeeded, 3 when the worst was a
 * warning (kbench's regression), 1 otherwise or when nothing was said.
 */
static int
builds_status(const char *out, int *nseen)
{
	const char *p, *eol, *c;
	size_t len;
	int worst = 0;

	*nseen = 0;
	if ((p = strstr(out, "All Builds Complete")) == NULL)
		return KB_EXIT_ERR;
	for (p = strchr(p, '\n'); p != NULL; p = eol) {
		p++;
		eol = strchr(p, '\n');
		len = eol != NULL ? (size_t)(eol - p) : strlen(p);
		if ((c = memchr(p, ':', len)) == NULL || c + 2 > p + len ||
		    c[1] != ' ')
			continue;
		c += 2;
		(*nseen)++;
		if (strncmp(c, "success", 7) == 0)
			continue;
		if (strncmp(c, "warnings", 8) == 0) {
			if (worst == 0)
				worst = KB_EXIT_REGRESSION;
		} else
			worst = KB_EXIT_ERR;
	}
	return *nseen > 0 ? worst : KB_EXIT_ERR;
}

/* The last line of a Python traceback: what went wrong. */
static const char *
last_error(char *out)
{
	static char line[256];
	char *p, *e, *best = NULL;

	for (p = out; (e = strchr(p, '\n')) != NULL; p = e + 1) {
		if (e > p && strstr(p, "Error") != NULL &&
		    strstr(p, "Error") < e && p[0] != ' ')
			best = p;
	}
	if (best == NULL)
		return "see its output above";
	e = strchr(best, '\n');
	snprintf(line, sizeof(line), "%.*s", (int)(e - best), best);
	return line;
}

static const char *
buildbot_bin(void)
{
	const char *b;

	if ((b = getenv("KBENCH_BUILDBOT_BIN")) != NULL && *b != '\0')
		return b;
	/* Debian's script runs /usr/bin/python3, which has buildbot. */
	if (access("/usr/bin/buildbot", X_OK) == 0)
		return "/usr/bin/buildbot";
	return "buildbot";
}

static void
free_submit(struct submit *s)
{
	free(s->f_master);
	free(s->f_user);
	free(s->f_password);
	free(s->f_builder);
	free(s->f_www);
	free(s->credfile);
}

/* --property NAME=VALUE; 0 or why not. */
static int
submit_property(struct submit *s, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char name[65];

	if (eq == NULL || eq - arg > 64)
		return kb_usage_error("submit", "--property %s: expected "
		    "NAME=VALUE", arg);
	memcpy(name, arg, (size_t)(eq - arg));
	name[eq - arg] = '\0';
	if (!label_valid(name, 64) || !printable(eq + 1))
		return kb_usage_error("submit", "--property %s: bad name or "
		    "value", arg);
	if (s->nprops == MAX_PROPS)
		return kb_usage_error("submit", "too many properties");
	s->props[s->nprops++] = arg;
	return 0;
}

/* One option into s (or ownprops: -n, --workload, --subject); 0 or why. */
static int
submit_opt(struct submit *s, char *ownprops[3], int ch, const char *arg)
{
	long nrep;
	int i;

	switch (ch) {
	case 'b':
		if (!label_valid(arg, 64))
			return kb_usage_error("submit", "--builder '%s': not "
			    "a builder name", arg);
		if (s->nbuilders == MAX_BUILDERS)
			return kb_usage_error("submit", "too many builders");
		s->builders[s->nbuilders++] = arg;
		break;
	case 'W':
		s->wait = 1;
		break;
	case 'T':
		if (kb_parse_long(arg, 1, 86400 * 7, &s->timeout) == -1)
			return kb_usage_error("submit", "--timeout %s: "
			    "expected seconds from 1", arg);
		break;
	case 'm':
		s->master = arg;
		break;
	case 'C':
		if (!printable(arg))
			return kb_usage_error("submit", "--comment: control "
			    "characters");
		s->comment = arg;
		break;
	case 'n':
		if (kb_parse_long(arg, 2, 100000, &nrep) == -1)
			return kb_usage_error("submit", "-n %s: expected a "
			    "count from 2", arg);
		free(ownprops[0]);
		ownprops[0] = kb_asprintf("n=%ld", nrep);
		break;
	case 'L':
	case 'S':
		if (!label_valid(arg, 64))
			return kb_usage_error("submit", "%s '%s': not a name",
			    ch == 'L' ? "--workload" : "--subject", arg);
		i = ch == 'L' ? 1 : 2;
		free(ownprops[i]);
		ownprops[i] = kb_asprintf("%s=%s", ch == 'L' ? "workload" :
		    "subject", arg);
		break;
	case 'p':
		return submit_property(s, arg);
	default:
		return kb_usage_error("submit", "bad option");
	}
	return 0;
}

/* The command line into s; 0, or the usage error's exit status. */
static int
submit_args(struct submit *s, char *ownprops[3], int argc, char **argv)
{
	int ch, i, rc;

	memset(s, 0, sizeof(*s));
	s->timeout = -1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+n:", longopts, NULL)) != -1)
		if ((rc = submit_opt(s, ownprops, ch, optarg)) != 0)
			return rc;
	if (optind != argc - 1)
		return kb_usage_error("submit", "expected one PATCH");
	s->patch = argv[optind];
	for (i = 0; i < 3; i++)
		if (ownprops[i] != NULL && s->nprops < MAX_PROPS)
			s->props[s->nprops++] = ownprops[i];
	if (s->timeout == -1)
		s->timeout = s->wait ? 4 * 3600 : 120;
	return 0;
}

/* The master, the login and the builder, from the options or a file. */
static const char *
submit_master(struct submit *s)
{
	const char *master;

	if (load_credentials(s) == -1)
		return NULL;
	master = s->master != NULL ? s->master : s->f_master;
	if (master == NULL || *master == '\0' || strchr(master, ':') == NULL ||
	    !printable(master)) {
		kb_warnx("no master HOST:PORT: give --master, set "
		    "KBENCH_BUILDBOT_MASTER, or 'master = HOST:PORT' in %s",
		    s->credfile ? s->credfile : "$KBENCH_HOME/" SUBMIT_CONF);
		return NULL;
	}
	if (s->f_user == NULL || s->f_password == NULL ||
	    !printable(s->f_user) || !printable(s->f_password)) {
		kb_warnx("no user and password: set KBENCH_BUILDBOT_USER and "
		    "KBENCH_BUILDBOT_PASSWORD, or 'user =' and 'password =' "
		    "in a file of mode 0600 (KBENCH_BUILDBOT_CREDENTIALS, "
		    "$KBENCH_HOME/" SUBMIT_CONF ")");
		return NULL;
	}
	if (s->nbuilders == 0 && s->f_builder != NULL &&
	    *s->f_builder != '\0') {
		if (!label_valid(s->f_builder, 64)) {
			kb_warnx("%s: builder '%s': not a name", s->credfile,
			    s->f_builder);
			return NULL;
		}
		s->builders[s->nbuilders++] = s->f_builder;
	}
	return master;
}

/*
 * The client's private directory, made from tmpl, in *dir, with the
 * options file in it; the patch's absolute path in *patch (a copy in
 * the directory for "-").  0, or -1 (*dir may be set: remove it).
 */
static int
submit_dir(const struct submit *s, char tmpl[PATH_MAX], char **dir,
    char **patch)
{
	const char *tmp;
	struct stat st;

	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(tmpl, PATH_MAX, "%s/kbench-submit.XXXXXX", tmp);
	if ((*dir = mkdtemp(tmpl)) == NULL) {
		kb_warn("mkdtemp %s", tmpl);
		return -1;
	}
	if (strcmp(s->patch, "-") == 0) {
		if ((*patch = stdin_patch(*dir)) == NULL)
			return -1;
	} else if ((*patch = realpath(s->patch, NULL)) == NULL) {
		kb_warn("%s", s->patch);
		return -1;
	}
	if (stat(*patch, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size == 0) {
		kb_warnx("%s: not a patch (empty or not a file)", s->patch);
		return -1;
	}
	return write_options(*dir, s) == -1 ? -1 : 0;
}

/* `buildbot try` for s, into cargv. */
static void
client_argv(char **cargv, const struct submit *s, const char *master,
    char *patch)
{
	int i, n = 0;

	cargv[n++] = (char *)buildbot_bin();
	cargv[n++] = "try";
	cargv[n++] = "--connect=pb";
	cargv[n++] = "--master";
	cargv[n++] = (char *)master;
	cargv[n++] = "--diff";
	cargv[n++] = patch;
	cargv[n++] = "-p1";
	/* The master's database wants a repository, even an empty one. */
	cargv[n++] = "--repository=";
	cargv[n++] = "--quiet";
	if (s->wait)
		cargv[n++] = "--wait";
	if (s->comment != NULL) {
		cargv[n++] = "--comment";
		cargv[n++] = (char *)s->comment;
	}
	for (i = 0; i < s->nbuilders; i++) {
		cargv[n++] = "--builder";
		cargv[n++] = (char *)s->builders[i];
	}
	for (i = 0; i < s->nprops; i++) {
		cargv[n++] = "--property";
		cargv[n++] = (char *)s->props[i];
	}
	cargv[n] = NULL;
}

/* What the client's end and output say: kbench's exit status. */
static int
client_verdict(const struct submit *s, int status, char *out, int timedout,
    int failed)
{
	int rc, nseen;

	if (timedout) {
		kb_warnx("buildbot try gave no answer in %ld s; stopped it "
		    "(wrong password, master down, or a longer build: "
		    "--timeout)", s->timeout);
		return KB_EXIT_ERR;
	}
	if (got_signal) {
		kb_warnx("interrupted");
		return KB_EXIT_ERR;
	}
	/*
	 * A refused login: the client's login deferred ("remote = yield
	 * d" in deliver_job_pb) fails with an empty RemoteError.
	 */
	if (strstr(out, "UnauthorizedLogin") != NULL ||
	    (strstr(out, "remote = yield d\n") != NULL &&
	    strstr(out, "RemoteError") != NULL)) {
		kb_warnx("the master refused the login of '%s' (wrong user "
		    "or password?)", s->f_user);
		return KB_EXIT_ERR;
	}
	if (failed || status == -1 || !WIFEXITED(status)) {
		kb_warnx("buildbot try failed: %s", last_error(out));
		return KB_EXIT_ERR;
	}
	if (strstr(out, "job has been delivered") == NULL &&
	    strstr(out, "All Builds Complete") == NULL &&
	    WEXITSTATUS(status) != 0) {
		kb_warnx("buildbot try exited %d", WEXITSTATUS(status));
		return KB_EXIT_ERR;
	}
	if (!s->wait) {
		if (WEXITSTATUS(status) != 0) {
			kb_warnx("buildbot try exited %d", WEXITSTATUS(status));
			return KB_EXIT_ERR;
		}
		kb_info("submitted%s%s", s->f_www ? "; builds at " : "",
		    s->f_www ? s->f_www : "");
		return KB_EXIT_OK;
	}
	rc = builds_status(out, &nseen);
	if (nseen == 0)
		kb_warnx("no build result from the master");
	else
		kb_info("%s%s%s", rc == KB_EXIT_OK ? "every build succeeded" :
		    rc == KB_EXIT_REGRESSION ? "a regression (build result "
		    "warnings)" : "a build failed",
		    s->f_www ? "; builds at " : "", s->f_www ? s->f_www : "");
	return rc;
}

int
cmd_submit(int argc, char **argv)
{
	struct submit s;
	char tmpl[PATH_MAX], *cargv[16 + 2 * (MAX_BUILDERS + MAX_PROPS)];
	char *out = NULL, *patch = NULL, *ownprops[3] = { NULL, NULL, NULL };
	char *dir = NULL;
	const char *master;
	int i, status, timedout, failed;
	int rc = KB_EXIT_ERR;

	if ((rc = submit_args(&s, ownprops, argc, argv)) != 0) {
		for (i = 0; i < 3; i++)
			free(ownprops[i]);
		return rc;
	}
	rc = KB_EXIT_ERR;
	if ((master = submit_master(&s)) == NULL)
		goto out;
	if (submit_dir(&s, tmpl, &dir, &patch) != 0)
		goto out;
	client_argv(cargv, &s, master, patch);
	kb_info("sending %s to %s%s%s (as %s, timeout %lds)", s.patch, master,
	    s.nbuilders ? ", builder " : "", s.nbuilders ? s.builders[0] : "",
	    s.f_user, s.timeout);
	status = run_client(cargv, dir, s.timeout, &out, &timedout, &failed);
	rc = client_verdict(&s, status, out, timedout, failed);
out:
	if (dir != NULL)
		remove_options(dir);
	free(patch);
	free(out);
	for (i = 0; i < 3; i++)
		free(ownprops[i]);
	free_submit(&s);
	return rc;
}
