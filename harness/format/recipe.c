/*
 * recipe.c: load a per-OS kernel recipe (configs/recipes/OS.conf) and
 * print the plan of `kbench try PATCH --dry-run` from it.
 *
 * As in config.c, libconfig only knows syntax and the schema is a table
 * here: an unknown key, a wrong type, a missing phase or an empty step
 * is refused at load time with FILE:LINE, so that a typo cannot quietly
 * drop a step from what a real machine would run; format/cfgkeys.c
 * checks the keys for both.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"
#include "format/cfgkeys.h"
#include "format/recipe.h"
#include "lib/spawn.h"
#include "lib/label.h"
#include "format/agentcmd.h"

/* kbench's directory on the worker: /tmp may be emptied at boot. */
#define REMOTE_DIR	"/var/tmp/kbench"
/* How long a real machine may take to come back after a reboot. */
#define BOOT_TIMEOUT	900

static const char *const phase_names[RP_COUNT] = {
	"fetch", "patch", "build", "install", "reboot", "verify", "on_panic",
	"save", "restore", "fallback"
};

static const struct cfg_key root_keys[] = {
	{ "name", CFG_STRING, 1 }, { "description", CFG_STRING, 0 },
	{ "src", CFG_STRING, 1 }, { "verify_expect", CFG_STRING, 1 },
	{ "example_worker", CFG_GROUP, 1 }, { "workloads", CFG_GROUP, 1 },
	{ "fetch", CFG_STRLIST, 0 }, { "patch", CFG_STRLIST, 0 },
	{ "build", CFG_STRLIST, 0 }, { "install", CFG_STRLIST, 1 },
	{ "reboot", CFG_STRLIST, 1 }, { "verify", CFG_STRLIST, 1 },
	{ "on_panic", CFG_STRLIST, 1 }, { "boot_id", CFG_STRING, 0 },
	{ "build_on", CFG_STRING, 0 }, { "save", CFG_STRLIST, 0 },
	{ "restore", CFG_STRLIST, 0 }, { "fallback", CFG_STRLIST, 0 },
	{ NULL, 0, 0 }
};
static const struct cfg_key worker_keys[] = {
	{ "name", CFG_STRING, 1 }, { "host", CFG_STRING, 1 },
	{ "arch", CFG_STRING, 1 }, { "ncpu", CFG_INT, 1 }, { NULL, 0, 0 }
};
static const struct cfg_key workload_keys[] = {
	{ "dir", CFG_STRING, 0 }, { "setup", CFG_STRING, 0 },
	{ "command", CFG_STRING, 1 }, { "cleanup", CFG_STRING, 0 },
	{ "files", CFG_STRLIST, 0 }, { NULL, 0, 0 }
};

/* One file being loaded; the first error only is kept. */
struct ctx {
	const char	*file;
	char		*err;
	size_t		 errlen;
	int		 failed;
};

static int
rerr(struct ctx *c, const config_setting_t *s, const char *fmt, ...)
	__attribute__((__format__(__printf__, 3, 4)));
static int
rerr(struct ctx *c, const config_setting_t *s, const char *fmt, ...)
{
	const char *f = NULL;
	va_list ap;
	int n, line = 0;

	if (c->failed++)
		return -1;
	if (s != NULL) {
		f = config_setting_source_file(s);
		line = config_setting_source_line(s);
	}
	/* The root group has no line of its own: point at the top. */
	n = snprintf(c->err, c->errlen, "%s:%d: ", f != NULL ? f : c->file,
	    line > 0 ? line : 1);
	if (n < 0 || (size_t)n >= c->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Only keys of the table, each of its type, and every required one. */
static int
check_keys(struct ctx *c, const config_setting_t *g,
    const struct cfg_key *keys, const char *what)
{
	const config_setting_t *s;
	char msg[1024];

	if ((s = cfg_check_keys(g, keys, what, msg, sizeof(msg))) == NULL)
		return 0;
	return rerr(c, s, "%s", msg);
}

static char *
str_of(const config_setting_t *g, const char *key)
{
	const char *v;

	if (config_setting_lookup_string(g, key, &v))
		return kb_strdup(v);
	return kb_strdup("");
}

static int
blank(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

/* A checked list of strings into *vp; empty: may it have none? */
static int
load_strings(struct ctx *c, const config_setting_t *s, const char *what,
    int empty, char ***vp, size_t *np)
{
	const config_setting_t *e;
	int i, n;

	n = config_setting_length(s);
	if (n == 0 && !empty)
		return rerr(c, s, "%s: expected at least one step", what);
	*vp = kb_calloc((size_t)n + 1, sizeof(char *));
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(s, i);
		if (blank(config_setting_get_string(e)))
			return rerr(c, e, "%s, step %d: expected a shell "
			    "command, not an empty string", what, i + 1);
		(*vp)[i] = kb_strdup(config_setting_get_string(e));
		(*np)++;
	}
	return 0;
}

static int
load_workloads(struct ctx *c, struct recipe *r, const config_setting_t *g)
{
	const config_setting_t *s, *f;
	struct recipe_workload *w;
	char what[128];
	int i, n;

	n = config_setting_length(g);
	if (n == 0)
		return rerr(c, g, "workloads: expected at least one, e.g. "
		    "libc: { dir = \"...\"; command = \"...\"; }");
	r->workloads = kb_calloc((size_t)n, sizeof(*r->workloads));
	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(g, i);
		snprintf(what, sizeof(what), "workload %s",
		    config_setting_name(s));
		if (!config_setting_is_group(s))
			return rerr(c, s, "%s: expected %s", what,
			    cfg_type_word(CFG_GROUP));
		w = &r->workloads[r->nworkloads++];
		w->name = kb_strdup(config_setting_name(s));
		if (check_keys(c, s, workload_keys, what) == -1)
			return -1;
		w->dir = str_of(s, "dir");
		w->setup = str_of(s, "setup");
		w->command = str_of(s, "command");
		w->cleanup = str_of(s, "cleanup");
		if (blank(w->command))
			return rerr(c, config_setting_get_member(s, "command"),
			    "%s: expected command = \"...\" (the timed shell "
			    "command), not an empty string", what);
		if ((f = config_setting_get_member(s, "files")) != NULL &&
		    load_strings(c, f, "files", 1, &w->files,
		    &w->nfiles) == -1)
			return -1;
	}
	return 0;
}

static int
load_root(struct ctx *c, struct recipe *r, const config_setting_t *root)
{
	const config_setting_t *g, *s;
	int i;

	if (check_keys(c, root, root_keys, "the recipe") == -1)
		return -1;
	r->name = str_of(root, "name");
	r->description = str_of(root, "description");
	r->src = str_of(root, "src");
	r->verify_expect = str_of(root, "verify_expect");
	/* A check that does not name the kernel proves nothing. */
	if (strstr(r->verify_expect, "$KB_KID12") == NULL)
		return rerr(c, config_setting_get_member(root,
		    "verify_expect"), "verify_expect: expected a string "
		    "containing $KB_KID12, the kernel id the booted kernel "
		    "must show");

	g = config_setting_get_member(root, "example_worker");
	if (check_keys(c, g, worker_keys, "example_worker") == -1)
		return -1;
	r->example.name = str_of(g, "name");
	r->example.host = str_of(g, "host");
	r->example.arch = str_of(g, "arch");
	s = config_setting_get_member(g, "ncpu");
	r->example.ncpu = (long)config_setting_get_int64(s);
	if (r->example.ncpu < 1 || r->example.ncpu > 65536)
		return rerr(c, s, "ncpu: expected an integer from 1 to 65536");

	r->boot_id = str_of(root, "boot_id");
	s = config_setting_get_member(root, "build_on");
	if (s != NULL && strcmp(config_setting_get_string(s), "harness") == 0)
		r->build_on_harness = 1;
	else if (s != NULL && strcmp(config_setting_get_string(s),
	    "worker") != 0)
		return rerr(c, s, "build_on: expected \"worker\" or "
		    "\"harness\"");
	for (i = 0; i < RP_COUNT; i++) {
		s = config_setting_get_member(root, phase_names[i]);
		/*
		 * Kernels built on the harness are fetched, patched and
		 * built there: the recipe has no such steps, and must
		 * not pretend to.
		 */
		if (i == RP_FETCH || i == RP_PATCH || i == RP_BUILD) {
			if (r->build_on_harness && s != NULL)
				return rerr(c, s, "%s: a recipe with build_on "
				    "= \"harness\" has no %s steps",
				    phase_names[i], phase_names[i]);
			if (r->build_on_harness)
				continue;
			if (s == NULL)
				return rerr(c, root, "the recipe has no %s; "
				    "expected %s = %s", phase_names[i],
				    phase_names[i], cfg_type_word(CFG_STRLIST));
		}
		/* A machine's safety steps: none, or save with restore. */
		if (i >= RP_SAVE && s == NULL)
			continue;
		if (load_strings(c, s, phase_names[i], 0, &r->phase[i].v,
		    &r->phase[i].n) == -1)
			return -1;
	}
	if ((r->phase[RP_SAVE].n == 0) != (r->phase[RP_RESTORE].n == 0))
		return rerr(c, root, "save and restore go together: what is "
		    "kept aside before the first install is put back at the "
		    "end");
	/* The check reads one command's output, so there is one. */
	if (r->phase[RP_VERIFY].n != 1)
		return rerr(c, config_setting_get_member(root, "verify"),
		    "verify: expected exactly one command, whose output "
		    "must contain verify_expect");
	return load_workloads(c, r, config_setting_get_member(root,
	    "workloads"));
}

int
recipe_load_file(const char *path, struct recipe *r, char *err,
    size_t errlen)
{
	struct ctx c = { path, err, errlen, 0 };
	const char *f;
	config_t cf;
	FILE *fp;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	fclose(fp);
	config_init(&cf);
	if (!config_read_file(&cf, path)) {
		f = config_error_file(&cf);
		snprintf(err, errlen, "%s:%d: %s", f != NULL ? f : path,
		    config_error_line(&cf), config_error_text(&cf));
		config_destroy(&cf);
		return -1;
	}
	r->file = kb_strdup(path);
	rc = load_root(&c, r, config_root_setting(&cf));
	config_destroy(&cf);
	if (rc == -1)
		recipe_free(r);
	return rc;
}

static int
conf_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 &&
	    strcmp(d->d_name + n - 5, ".conf") == 0;
}

int
recipe_load(const char *os, struct recipe *r, char *err, size_t errlen)
{
	struct dirent **ents;
	char *dir, *path, list[256];
	size_t len = 0;
	int i, n, rc;

	memset(r, 0, sizeof(*r));
	dir = kb_asprintf("%s/configs/recipes", kb_root());
	path = kb_asprintf("%s/%s.conf", dir, os);
	/* The name becomes a file name: no way out of the directory. */
	if (label_valid(os, 0) && access(path, F_OK) == 0) {
		rc = recipe_load_file(path, r, err, errlen);
		free(path);
		free(dir);
		return rc;
	}
	list[0] = '\0';
	if ((n = scandir(dir, &ents, conf_filter, alphasort)) >= 0) {
		for (i = 0; i < n; i++) {
			if (len < sizeof(list))
				len += (size_t)snprintf(list + len,
				    sizeof(list) - len, "%s%.*s",
				    len ? ", " : "",
				    (int)strlen(ents[i]->d_name) - 5,
				    ents[i]->d_name);
			free(ents[i]);
		}
		free(ents);
	}
	snprintf(err, errlen, "no recipe for OS '%s' in %s; expected one of: "
	    "%s", os, dir, list[0] != '\0' ? list : "(none)");
	free(path);
	free(dir);
	return -1;
}

static void
free_strings(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

const char *
recipe_phase_name(enum recipe_phase p)
{
	return p < RP_COUNT ? phase_names[p] : "?";
}

void
recipe_free(struct recipe *r)
{
	struct recipe_workload *w;
	size_t i;

	for (i = 0; i < RP_COUNT; i++)
		free_strings(r->phase[i].v, r->phase[i].n);
	for (i = 0; i < r->nworkloads; i++) {
		w = &r->workloads[i];
		free(w->name);
		free(w->dir);
		free(w->setup);
		free(w->command);
		free(w->cleanup);
		free_strings(w->files, w->nfiles);
	}
	free(r->workloads);
	free(r->file);
	free(r->name);
	free(r->description);
	free(r->src);
	free(r->verify_expect);
	free(r->boot_id);
	free(r->example.name);
	free(r->example.host);
	free(r->example.arch);
	memset(r, 0, sizeof(*r));
}

const struct recipe_workload *
recipe_workload(const struct recipe *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nworkloads; i++)
		if (strcmp(r->workloads[i].name, name) == 0)
			return &r->workloads[i];
	return NULL;
}

/* The plan. */

/* Variables a step may use; a NULL value is left for the worker. */
enum { V_SRC, V_WORK, V_PATCH, V_KID12, V_NCPU, V_JOBS, V_COUNT };
static const char *const var_names[V_COUNT] = {
	"KB_SRC", "KB_WORK", "KB_PATCH", "KB_KID12", "NCPU", "JOBS"
};

static void
append(char **s, size_t *len, const char *p, size_t n)
{
	*s = kb_reallocarray(*s, *len + n + 1, 1);
	memcpy(*s + *len, p, n);
	*len += n;
	(*s)[*len] = '\0';
}

/*
 * $NAME and ${NAME} of the known variables replaced by their values, so
 * the plan shows what would run; anything else ($(machine), $rel) is
 * the worker's shell's business and stays as written.
 */
static char *
expand(const char *s, const char *const vals[V_COUNT])
{
	const char *name;
	char *out = NULL;
	size_t len = 0, n;
	int brace, v;

	append(&out, &len, "", 0);
	while (*s != '\0') {
		if (*s != '$') {
			append(&out, &len, s++, 1);
			continue;
		}
		brace = s[1] == '{';
		name = s + 1 + brace;
		for (n = 0; isalnum((unsigned char)name[n]) || name[n] == '_';
		    n++)
			;
		for (v = 0; v < V_COUNT; v++)
			if (strlen(var_names[v]) == n &&
			    strncmp(name, var_names[v], n) == 0)
				break;
		if (v == V_COUNT || vals[v] == NULL ||
		    (brace && name[n] != '}')) {
			append(&out, &len, s++, 1);
			continue;
		}
		append(&out, &len, vals[v], strlen(vals[v]));
		s = name + n + brace;
	}
	return out;
}

/* A word for sh(1), quoted only when it has to be, for readability. */
static char *
word(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("/._+-=:@%,", *p) ==
		    NULL)
			return sh_quote(s);
	return *s != '\0' ? kb_strdup(s) : sh_quote(s);
}

/* The basename, made safe to name unquoted on the worker. */
static char *
remote_name(const char *path, size_t i)
{
	const char *b = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 :
	    path;
	char *s, *p;

	s = i > 0 ? kb_asprintf("%zu-%s", i, b) : kb_strdup(b);
	for (p = s; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("._+-", *p) == NULL)
			*p = '_';
	return s;
}

static void
steps(FILE *fp, const char *where, const struct recipe_steps *st,
    const char *const vals[V_COUNT])
{
	char *s;
	size_t i;

	for (i = 0; i < st->n; i++) {
		s = expand(st->v[i], vals);
		fprintf(fp, "[%s] %s\n", where, s);
		free(s);
	}
}

static void
scp(FILE *fp, const char *opts, const char *from, const char *to)
{
	char *f = word(from), *t = word(to);

	fprintf(fp, "[harness] scp %s %s %s\n", opts, f, t);
	free(f);
	free(t);
}

/* One boot: install, reboot, verify, then the workload via the agent. */
static void
boot(FILE *fp, const struct recipe *r, const struct plan *p,
    const char *const vals[V_COUNT], const char *opts, long b, long reps)
{
	const struct recipe_workload *w = p->workload;
	char *s, *expect, *log, *cmd, *to, *dir, *setup, *cleanup;
	struct agent_cmd ac;

	steps(fp, p->host, &r->phase[RP_INSTALL], vals);
	steps(fp, p->host, &r->phase[RP_REBOOT], vals);
	fprintf(fp, "[harness] wait for ssh, at most %ld s\n",
	    p->boot_timeout > 0 ? p->boot_timeout : (long)BOOT_TIMEOUT);
	steps(fp, p->host, &r->phase[RP_VERIFY], vals);
	s = expand(r->phase[RP_VERIFY].v[0], vals);
	expect = expand(r->verify_expect, vals);
	fprintf(fp, "[harness] check that the output of '%s' contains %s\n",
	    s, expect);
	free(s);

	memset(&ac, 0, sizeof(ac));
	ac.agent = REMOTE_DIR "/kbench-agent";
	ac.n = reps;
	ac.warmup = p->warmup;
	ac.timeout = p->timeout;
	ac.dir = dir = expand(w->dir, vals);
	ac.setup = setup = expand(w->setup, vals);
	ac.cleanup = cleanup = expand(w->cleanup, vals);
	ac.log = log = kb_asprintf(REMOTE_DIR "/boot-%ld.log", b);
	ac.shell = s = expand(w->command, vals);
	cmd = agent_cmdline(&ac);
	fprintf(fp, "[%s] %s\n", p->host, cmd);
	free(cmd);
	free(s);
	free(log);
	free(dir);
	free(setup);
	free(cleanup);
	fprintf(fp, "[harness] check the agent's START line (its uname "
	    "contains %s), then each KBENCH-SAMPLE line (CRC, session, "
	    "sequence); store each at once\n", expect);
	log = kb_asprintf("%s:" REMOTE_DIR "/boot-%ld.log", p->host, b);
	to = kb_asprintf("%s/runs/RUN/", kb_home());
	scp(fp, opts, log, to);
	free(to);
	free(log);
	free(expect);
}

/* The plan's header: what runs where, and the variables' values. */
static void
plan_head(FILE *fp, const struct recipe *r, const struct plan *p,
    const char *const vals[V_COUNT], const char *opts, long boots)
{
	const struct recipe_workload *w = p->workload;

	fprintf(fp, "# kbench try --dry-run: the plan only; nothing here "
	    "has been run.\n");
	fprintf(fp, "# recipe %s: %s\n", r->file, r->description);
	fprintf(fp, "# worker %s, %s (%s)\n", p->worker, p->host,
	    p->origin);
	fprintf(fp, "# kernel ids: base %s, patched %s (%s)\n", p->kid12[0],
	    p->kid12[1], p->real_ids ? "the kernels' own, from --tree" :
	    "placeholders from the patch bytes");
	fprintf(fp, "# workload %s: %ld counted repetitions per kernel, "
	    "%ld boot%s each, %ld warm-up per boot\n", w->name, p->n, boots,
	    boots > 1 ? "s" : "", p->warmup);
	fprintf(fp, "# [%s] lines run one at a time as: ssh %s %s 'LINE'\n",
	    p->host, opts, p->host);
	fprintf(fp, "# variables shown expanded: KB_SRC=%s KB_WORK=%s "
	    "NCPU=%s JOBS=%s\n", r->src, REMOTE_DIR,
	    vals[V_NCPU] != NULL ? vals[V_NCPU] : "(detected on the worker)",
	    vals[V_JOBS] != NULL ? vals[V_JOBS] : "(detected on the worker)");
}

/* Connect; copy and build the agent, the patches, the workload's files. */
static void
plan_copy(FILE *fp, const struct plan *p, const char *opts)
{
	const struct recipe_workload *w = p->workload;
	char *s, *from, *to;
	size_t i;

	fprintf(fp, "\n# connect; copy and build the agent, the patches, "
	    "the workload's files\n");
	fprintf(fp, "[harness] mkdir -p -m 700 %s/ssh\n", kb_home());
	fprintf(fp, "[harness] ssh %s %s true\n", opts, p->host);
	fprintf(fp, "[%s] mkdir -p " REMOTE_DIR "\n", p->host);
	from = kb_asprintf("%s/workers/agent/kbench-agent.c", kb_root());
	to = kb_asprintf("%s:" REMOTE_DIR "/", p->host);
	scp(fp, opts, from, to);
	free(from);
	for (i = 0; i < p->npatches; i++) {
		s = remote_name(p->patches[i], i + 1);
		from = kb_asprintf("%s:" REMOTE_DIR "/%s", p->host, s);
		scp(fp, opts, p->patches[i], from);
		free(from);
		free(s);
	}
	for (i = 0; i < w->nfiles; i++) {
		from = kb_asprintf("%s/%s", kb_root(), w->files[i]);
		scp(fp, opts, from, to);
		free(from);
	}
	free(to);
	fprintf(fp, "[%s] cd " REMOTE_DIR " && cc -O2 -o kbench-agent "
	    "kbench-agent.c\n", p->host);
}

/* Both kernels built here (build_on = "harness"), and copied. */
static void
plan_build_here(FILE *fp, const struct plan *p, const char *opts)
{
	char *from, *to;
	int side;

	fprintf(fp, "\n# build both kernels here (build_on = "
	    "\"harness\"), and copy them\n");
	for (side = 0; side < 2; side++) {
		fprintf(fp, "[harness] kbench kernel build --os linux "
		    "--arch ARCH%s: %s\n", side ? " --patch ..." : "",
		    p->kid12[side]);
		from = kb_asprintf("%s/kernels/KID/bzImage", kb_home());
		to = kb_asprintf("%s:" REMOTE_DIR "/vmlinuz-%s", p->host,
		    p->kid12[side]);
		scp(fp, opts, from, to);
		free(from);
		free(to);
	}
}

/* Both kernels built on the worker: fetch, base, patches, patched. */
static void
plan_build_there(FILE *fp, const struct recipe *r, const struct plan *p,
    const char *vals[V_COUNT])
{
	char *s, *from;
	size_t i;

	fprintf(fp, "\n# fetch: the source tree in %s\n", r->src);
	steps(fp, p->host, &r->phase[RP_FETCH], vals);

	fprintf(fp, "\n# build the base kernel %s\n", p->kid12[0]);
	vals[V_KID12] = p->kid12[0];
	steps(fp, p->host, &r->phase[RP_BUILD], vals);

	fprintf(fp, "\n# patch, and build the patched kernel %s\n",
	    p->kid12[1]);
	vals[V_KID12] = p->kid12[1];
	for (i = 0; i < p->npatches; i++) {
		s = remote_name(p->patches[i], i + 1);
		from = kb_asprintf(REMOTE_DIR "/%s", s);
		vals[V_PATCH] = from;
		steps(fp, p->host, &r->phase[RP_PATCH], vals);
		free(from);
		free(s);
	}
	vals[V_PATCH] = NULL;
	steps(fp, p->host, &r->phase[RP_BUILD], vals);
}

/* Before the first install: the kernel the machine runs, kept aside. */
static void
plan_save(FILE *fp, const struct recipe *r, const struct plan *p,
    const char *vals[V_COUNT])
{
	char *s;

	if (r->phase[RP_SAVE].n == 0) {
		fprintf(fp, "\n# the recipe has no save and restore steps: "
		    "the last kernel booted stays installed\n");
		return;
	}
	fprintf(fp, "\n# before the first install: note the running kernel "
	    "and keep it aside\n");
	vals[V_KID12] = NULL;
	steps(fp, p->host, &r->phase[RP_VERIFY], vals);
	s = expand(r->phase[RP_VERIFY].v[0], vals);
	fprintf(fp, "[harness] keep the output of '%s': the kernel to come "
	    "back to\n", s);
	free(s);
	steps(fp, p->host, &r->phase[RP_SAVE], vals);
}

/* Turns, so that drift on the machine hits both kernels alike. */
static void
plan_boots(FILE *fp, const struct recipe *r, const struct plan *p,
    const char *vals[V_COUNT], const char *opts, long boots)
{
	long b, done[2] = { 0, 0 }, reps;
	int side;

	for (b = 0; b < 2 * boots; b++) {
		side = (int)(b % 2);
		reps = p->n - done[side] < p->per_boot ? p->n - done[side] :
		    p->per_boot;
		done[side] += reps;
		vals[V_KID12] = p->kid12[side];
		fprintf(fp, "\n# boot %ld of %ld: the %s kernel %s, %ld "
		    "counted\n", b + 1, 2 * boots, side ? "patched" : "base",
		    p->kid12[side], reps);
		boot(fp, r, p, vals, opts, b + 1, reps);
	}
}

/* At the end, whatever happened: the machine's own kernel back. */
static void
plan_restore(FILE *fp, const struct recipe *r, const struct plan *p,
    const char *vals[V_COUNT])
{
	char *s;

	if (r->phase[RP_SAVE].n == 0)
		return;
	fprintf(fp, "\n# at the end, also after a failure or ^C: the "
	    "machine's own kernel back, booted and verified\n");
	vals[V_KID12] = NULL;
	steps(fp, p->host, &r->phase[RP_RESTORE], vals);
	fprintf(fp, "[harness] wait for ssh, at most %ld s\n",
	    p->boot_timeout > 0 ? p->boot_timeout : (long)BOOT_TIMEOUT);
	steps(fp, p->host, &r->phase[RP_VERIFY], vals);
	s = expand(r->phase[RP_VERIFY].v[0], vals);
	fprintf(fp, "[harness] check that the output of '%s' is the one "
	    "kept before the first install\n", s);
	free(s);
}

/* A wrong kernel, a panic or a hang; then the end. */
static void
plan_end(FILE *fp, const struct recipe *r, const struct plan *p,
    const char *vals[V_COUNT], const char *opts)
{
	char *s;

	fprintf(fp, "\n# a boot whose verify output lacks the kernel id: "
	    "stored as failed (the wrong kernel), not measured; the try goes "
	    "on and fails at the end\n");
	fprintf(fp, "\n# when a boot panics or hangs (no ssh within %ld s), "
	    "or drops the connection during the workload: at %s's console "
	    "(worker key console)\n", p->boot_timeout > 0 ?
	    p->boot_timeout : (long)BOOT_TIMEOUT, p->host);
	s = kb_asprintf("%s console", p->host);
	steps(fp, s, &r->phase[RP_ON_PANIC], vals);
	if (r->phase[RP_FALLBACK].n > 0) {
		fprintf(fp, "# then the fallback, to boot the kernel the "
		    "machine had\n");
		steps(fp, s, &r->phase[RP_FALLBACK], vals);
		fprintf(fp, "[harness] wait for ssh, at most %ld s\n",
		    p->boot_timeout > 0 ? p->boot_timeout :
		    (long)BOOT_TIMEOUT);
	}
	free(s);
	fprintf(fp, "[harness] store the boot as failed with that output, "
	    "and stop%s\n", r->phase[RP_FALLBACK].n > 0 ? "" : ": without "
	    "a fallback, a real machine needs a person to boot its previous "
	    "kernel");

	plan_restore(fp, r, p, vals);
	fprintf(fp, "\n# the end\n");
	fprintf(fp, "[harness] ssh -O exit %s %s\n", opts, p->host);
	fprintf(fp, "[harness] compare the %s and %s samples, as kbench "
	    "compare does\n", p->kid12[0], p->kid12[1]);
}

void
recipe_print_plan(FILE *fp, const struct recipe *r, const struct plan *p)
{
	const char *vals[V_COUNT];
	char *opts, ncpu[24], jobs[24];
	long boots;

	snprintf(ncpu, sizeof(ncpu), "%ld", p->ncpu);
	snprintf(jobs, sizeof(jobs), "%ld", p->jobs);
	vals[V_SRC] = r->src;
	vals[V_WORK] = REMOTE_DIR;
	vals[V_PATCH] = NULL;
	vals[V_KID12] = NULL;
	vals[V_NCPU] = p->ncpu > 0 ? ncpu : NULL;
	vals[V_JOBS] = p->jobs > 0 ? jobs : NULL;
	/*
	 * One master connection per worker: every step reuses it, and
	 * BatchMode makes a missing key an error instead of a prompt.
	 * The host key is checked against known_hosts, never waved
	 * through: a wrong host would be handed root's kernel.
	 */
	opts = kb_asprintf("-o ControlMaster=auto -o ControlPath=%s/ssh/%%C "
	    "-o ControlPersist=60 -o BatchMode=yes "
	    "-o StrictHostKeyChecking=yes", kb_home());
	boots = (p->n + p->per_boot - 1) / p->per_boot;

	plan_head(fp, r, p, vals, opts, boots);
	plan_copy(fp, p, opts);
	if (r->build_on_harness)
		plan_build_here(fp, p, opts);
	else
		plan_build_there(fp, r, p, vals);
	plan_save(fp, r, p, vals);
	plan_boots(fp, r, p, vals, opts, boots);
	plan_end(fp, r, p, vals, opts);
	free(opts);
}
