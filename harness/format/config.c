/*
 * config.c: load and check the kbench configuration (libconfig).
 *
 * libconfig only knows syntax; the schema lives here, as tables of the
 * keys each group may hold.  Anything not in a table is an error, so a
 * typo ("comand") is caught at load time instead of silently running
 * nothing.  Every message is "FILE:LINE: ..." so an editor can jump.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include <dirent.h>
#include <errno.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"
#include "format/cfgkeys.h"
#include "format/commiturl.h"
#include "lib/label.h"
#include "lib/suggest.h"
#include "format/config.h"
#include "stats/stats.h"

static const char *const os_names[KB_OS_COUNT] = {
	"linux", "openbsd", "freebsd"
};

/* One file being checked. */
struct ctx {
	const char	*file;
	char		*err;
	size_t		 errlen;
	int		 failed;
};

static const struct cfg_key main_keys[] = {
	{ "database", CFG_GROUP, 0 }, { "compare", CFG_GROUP, 0 },
	{ "workload_dirs", CFG_STRINGS, 0 }, { "workers", CFG_GROUPS, 0 },
	{ "serve", CFG_GROUP, 0 }, { "alert", CFG_GROUP, 0 },
	{ NULL, 0, 0 }
};
static const struct cfg_key database_keys[] = {
	{ "conninfo", CFG_STRING, 0 }, { NULL, 0, 0 }
};
static const struct cfg_key compare_keys[] = {
	{ "confidence", CFG_NUMBER, 0 }, { "threshold", CFG_NUMBER, 0 },
	{ NULL, 0, 0 }
};
static const struct cfg_key serve_keys[] = {
	{ "token", CFG_STRING, 0 }, { "url", CFG_STRING, 0 },
	{ "trees", CFG_GROUPS, 0 }, { NULL, 0, 0 }
};
static const struct cfg_key tree_keys[] = {
	{ "os", CFG_STRING, 0 }, { "commit_url", CFG_STRING, 1 },
	{ NULL, 0, 0 }
};
static const struct cfg_key alert_keys[] = {
	{ "mail", CFG_STRINGS, 0 }, { "sendmail", CFG_STRING, 0 },
	{ "from", CFG_STRING, 0 }, { "webhook", CFG_GROUP, 0 },
	{ "threshold", CFG_NUMBER, 0 }, { "overrides", CFG_GROUPS, 0 },
	{ NULL, 0, 0 }
};
static const struct cfg_key webhook_keys[] = {
	{ "url", CFG_STRING, 1 }, { "secret", CFG_STRING, 0 },
	{ NULL, 0, 0 }
};
static const struct cfg_key override_keys[] = {
	{ "worker", CFG_STRING, 0 }, { "workload", CFG_STRING, 0 },
	{ "threshold", CFG_NUMBER, 1 }, { NULL, 0, 0 }
};
static const struct cfg_key worker_keys[] = {
	{ "name", CFG_STRING, 0 }, { "transport", CFG_STRING, 0 },
	{ "arch", CFG_STRING, 0 }, { "os", CFG_STRING, 0 },
	{ "ncpu", CFG_INT, 0 }, { "jobs", CFG_INT, 0 },
	{ "host", CFG_STRING, 0 }, { "port", CFG_INT, 0 },
	{ "ssh_config", CFG_STRING, 0 }, { "recipe", CFG_STRING, 0 },
	{ "kconfig", CFG_STRINGS, 0 }, { "console", CFG_STRING, 0 },
	{ "boot_timeout", CFG_INT, 0 }, { NULL, 0, 0 }
};
static const struct cfg_key workload_keys[] = {
	{ "name", CFG_STRING, 0 }, { "description", CFG_STRING, 0 },
	{ "defaults", CFG_GROUP, 0 }, { "linux", CFG_GROUP, 0 },
	{ "openbsd", CFG_GROUP, 0 }, { "freebsd", CFG_GROUP, 0 },
	{ NULL, 0, 0 }
};
static const struct cfg_key defaults_keys[] = {
	{ "n", CFG_INT, 0 }, { "warmup", CFG_INT, 0 },
	{ "timeout", CFG_INT, 0 }, { NULL, 0, 0 }
};
static const struct cfg_key recipe_keys[] = {
	{ "fetch", CFG_STRING, 0 }, { "dir", CFG_STRING, 0 },
	{ "setup", CFG_STRING, 0 }, { "command", CFG_STRING, 0 },
	{ "cleanup", CFG_STRING, 0 }, { "n", CFG_INT, 0 },
	{ "warmup", CFG_INT, 0 }, { "timeout", CFG_INT, 0 },
	{ NULL, 0, 0 }
};

static int
sline(const config_setting_t *s)
{
	return s != NULL ? config_setting_source_line(s) : 0;
}

static const char *
sfile(const struct ctx *c, const config_setting_t *s)
{
	const char *f;

	/* An @include'd setting knows its own file. */
	if (s != NULL && (f = config_setting_source_file(s)) != NULL)
		return f;
	return c->file;
}

/* Record the first error only: later ones are usually its echoes. */
static int
cerr(struct ctx *c, const config_setting_t *s, const char *fmt, ...)
	__attribute__((__format__(__printf__, 3, 4)));
static int
cerr(struct ctx *c, const config_setting_t *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (c->failed++)
		return -1;
	n = snprintf(c->err, c->errlen, "%s:%d: ", sfile(c, s), sline(s));
	if (n < 0 || (size_t)n >= c->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Check group g against its table; what names it in messages. */
static int
check_keys(struct ctx *c, const config_setting_t *g,
    const struct cfg_key *keys, const char *what)
{
	const config_setting_t *s;
	char msg[1024];

	if ((s = cfg_check_keys(g, keys, what, msg, sizeof(msg))) == NULL)
		return 0;
	return cerr(c, s, "%s", msg);
}

/* Look up a key already type-checked by check_keys. */
static const char *
get_str(const config_setting_t *g, const char *key, const char *def)
{
	const char *v;

	if (g != NULL && config_setting_lookup_string(g, key, &v))
		return v;
	return def;
}

static int
get_long(struct ctx *c, const config_setting_t *g, const char *key,
    long min, long max, long *out)
{
	const config_setting_t *s;
	long long v;

	if (g == NULL || (s = config_setting_get_member(g, key)) == NULL)
		return 0;
	v = config_setting_get_int64(s);
	if (v < min || v > max)
		return cerr(c, s, "%s: expected an integer from %ld to %ld, "
		    "not %lld", key, min, max, v);
	*out = (long)v;
	return 0;
}

static int
get_double(struct ctx *c, const config_setting_t *g, const char *key,
    double min, int min_ok, double max, double *out)
{
	const config_setting_t *s;
	double v;

	if (g == NULL || (s = config_setting_get_member(g, key)) == NULL)
		return 0;
	if (config_setting_type(s) == CONFIG_TYPE_FLOAT)
		v = config_setting_get_float(s);
	else
		v = (double)config_setting_get_int64(s);
	if (!((v > min || (min_ok && v == min)) && v < max))
		return cerr(c, s, "%s: expected a number %s %g and below "
		    "%g, not %g", key, min_ok ? "from" : "above", min, max, v);
	*out = v;
	return 0;
}

int
kb_os_parse(const char *s, enum kb_os *os)
{
	int i;

	for (i = 0; i < KB_OS_COUNT; i++)
		if (strcmp(s, os_names[i]) == 0) {
			*os = (enum kb_os)i;
			return 0;
		}
	return -1;
}

const char *
kb_host_arch(void)
{
	static char arch[65];
	static const struct { const char *uname, *arch; } map[] = {
		{ "x86_64", "amd64" }, { "aarch64", "arm64" },
		{ "i686", "i386" }, { "i586", "i386" }, { "i386", "i386" },
		{ "ppc", "macppc" }, { "powerpc", "macppc" },
		{ "ppc64le", "powerpc64" }, { "ppc64", "powerpc64" },
	};
	struct utsname u;
	size_t i;

	if (arch[0] != '\0')
		return arch;
	if (uname(&u) == -1)
		return "unknown";
	snprintf(arch, sizeof(arch), "%s", u.machine);
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(u.machine, map[i].uname) == 0)
			snprintf(arch, sizeof(arch), "%s", map[i].arch);
	return arch;
}

const char *
kb_host_os(void)
{
	static char os[65];
	struct utsname u;
	char *p;

	if (os[0] != '\0')
		return os;
	if (uname(&u) == -1)
		return "unknown";
	snprintf(os, sizeof(os), "%s", u.sysname);
	for (p = os; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return os;
}

int
kb_host_ncpu(void)
{
	long n;

	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 && n < 1000000 ? (int)n : 1;
}

/* dir of file, for paths relative to the file that names them. */
static char *
dir_of(const char *file)
{
	const char *slash;

	if ((slash = strrchr(file, '/')) == NULL)
		return kb_strdup(".");
	if (slash == file)
		return kb_strdup("/");
	return kb_asprintf("%.*s", (int)(slash - file), file);
}

static char *
resolve(const char *base_file, const char *p)
{
	char *dir, *r;

	if (strncmp(p, "$KBENCH_ROOT/", 13) == 0)
		return kb_asprintf("%s/%s", kb_root(), p + 13);
	if (p[0] == '/')
		return kb_strdup(p);
	dir = dir_of(base_file);
	r = kb_asprintf("%s/%s", dir, p);
	free(dir);
	return r;
}

static int
read_file(struct ctx *c, config_t *cf, const char *path)
{
	const char *f;
	char *dir;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(c->err, c->errlen, "%s: %s", path, strerror(errno));
		c->failed++;
		return -1;
	}
	config_init(cf);
	dir = dir_of(path);
	config_set_include_dir(cf, dir);
	free(dir);
	/* config_read_file sets the file name for error messages. */
	fclose(fp);
	if (!config_read_file(cf, path)) {
		f = config_error_file(cf);
		snprintf(c->err, c->errlen, "%s:%d: %s",
		    f != NULL ? f : path, config_error_line(cf),
		    config_error_text(cf));
		config_destroy(cf);
		c->failed++;
		return -1;
	}
	return 0;
}

static void
worker_default(struct kb_worker *w)
{
	w->name = kb_strdup("local");
	w->transport = kb_strdup("local");
	w->arch = kb_strdup(kb_host_arch());
	w->os = kb_strdup(kb_host_os());
	w->host = kb_strdup("");
	w->ssh_config = kb_strdup("");
	w->recipe = kb_strdup("");
	w->console = kb_strdup("");
	w->kconfig = NULL;
	w->nkconfig = 0;
	w->port = w->boot_timeout = 0;
	w->ncpu = kb_host_ncpu();
	w->jobs = w->ncpu / 2 > 0 ? w->ncpu / 2 : 1;
	w->file = kb_strdup("");
	w->line = 0;
}

/* The worker's name: present, a valid label, not yet defined. */
static int
worker_name(struct ctx *c, const struct kb_config *cfg,
    const config_setting_t *g, const char **namep)
{
	const char *name;
	size_t i;

	if ((name = get_str(g, "name", NULL)) == NULL)
		return cerr(c, g, "worker: expected name = \"...\"");
	if (!label_valid(name, 0))
		return cerr(c, config_setting_get_member(g, "name"),
		    "worker name '%s': expected letters, digits, '.', '_', "
		    "'+' or '-'", name);
	for (i = 0; i < cfg->nworkers; i++)
		if (strcmp(cfg->workers[i].name, name) == 0)
			return cerr(c, g, "worker '%s' already defined at "
			    "%s:%d", name, cfg->workers[i].file,
			    cfg->workers[i].line);
	*namep = name;
	return 0;
}

/* Transport, arch and os; the local host may leave the last two out. */
static int
worker_kind(struct ctx *c, const config_setting_t *g, const char *name,
    const char **transportp, const char **archp, const char **osp)
{
	const char *transport, *arch, *os;
	enum kb_os dummy;

	transport = get_str(g, "transport",
	    strcmp(name, "local") == 0 ? "local" : NULL);
	if (transport == NULL)
		return cerr(c, g, "worker '%s': expected transport = "
		    "\"local\", \"ssh\" or \"qemu\"", name);
	if (strcmp(transport, "local") != 0 && strcmp(transport, "ssh") != 0 &&
	    strcmp(transport, "qemu") != 0)
		return cerr(c, config_setting_get_member(g, "transport"),
		    "worker '%s': transport '%s': expected \"local\", \"ssh\" "
		    "or \"qemu\"", name, transport);
	arch = get_str(g, "arch", "");
	os = get_str(g, "os", "");
	/* The local host can say what it is; anything else must be told. */
	if (strcmp(transport, "local") == 0) {
		if (*arch == '\0')
			arch = kb_host_arch();
		if (*os == '\0')
			os = kb_host_os();
	} else {
		if (*arch == '\0')
			return cerr(c, g, "worker '%s': expected arch = "
			    "\"...\" (amd64, arm64, riscv64, macppc)", name);
		if (*os == '\0')
			return cerr(c, g, "worker '%s': expected os = "
			    "\"linux\", \"openbsd\" or \"freebsd\"", name);
		if (kb_os_parse(os, &dummy) == -1)
			return cerr(c, config_setting_get_member(g, "os"),
			    "worker '%s': os '%s': expected \"linux\", "
			    "\"openbsd\" or \"freebsd\"", name, os);
	}
	*transportp = transport;
	*archp = arch;
	*osp = os;
	return 0;
}

/* Settings that only an ssh worker uses are errors on any other. */
static int
worker_ssh_only(struct ctx *c, const config_setting_t *g, const char *name,
    const char *transport)
{
	static const char *const sshonly[] = { "port", "ssh_config",
	    "recipe", "kconfig", "console", "boot_timeout", NULL };
	size_t i;

	if (strcmp(transport, "ssh") == 0)
		return 0;
	for (i = 0; sshonly[i] != NULL; i++)
		if (config_setting_get_member(g, sshonly[i]) != NULL)
			return cerr(c, config_setting_get_member(g,
			    sshonly[i]), "worker '%s': %s is for "
			    "transport ssh only", name, sshonly[i]);
	return 0;
}

/* The ssh settings of w, paths resolved against the worker's file. */
static void
worker_ssh(struct ctx *c, const config_setting_t *g, struct kb_worker *w)
{
	const config_setting_t *kc;
	size_t i;

	w->host = kb_strdup(get_str(g, "host", ""));
	w->ssh_config = *get_str(g, "ssh_config", "") != '\0' ?
	    resolve(sfile(c, g), get_str(g, "ssh_config", "")) :
	    kb_strdup("");
	w->recipe = *get_str(g, "recipe", "") != '\0' ?
	    resolve(sfile(c, g), get_str(g, "recipe", "")) : kb_strdup("");
	w->console = kb_strdup(get_str(g, "console", ""));
	if ((kc = config_setting_get_member(g, "kconfig")) != NULL) {
		w->nkconfig = (size_t)config_setting_length(kc);
		w->kconfig = kb_calloc(w->nkconfig + 1, sizeof(char *));
		for (i = 0; i < w->nkconfig; i++)
			w->kconfig[i] = resolve(sfile(c, g),
			    config_setting_get_string_elem(kc, (int)i));
	} else {
		w->kconfig = NULL;
		w->nkconfig = 0;
	}
}

static int
load_worker(struct ctx *c, struct kb_config *cfg, const config_setting_t *g)
{
	struct kb_worker *w;
	const char *name = NULL, *transport = NULL;
	const char *arch = NULL, *os = NULL;
	long ncpu = 0, jobs = 0, port = 0, boot_timeout = 0;

	if (check_keys(c, g, worker_keys, "worker") == -1)
		return -1;
	if (worker_name(c, cfg, g, &name) == -1 ||
	    worker_kind(c, g, name, &transport, &arch, &os) == -1)
		return -1;
	if (strcmp(transport, "ssh") == 0 && *get_str(g, "host", "") == '\0')
		return cerr(c, g, "worker '%s': transport ssh: expected "
		    "host = \"[user@]host\"", name);
	if (get_long(c, g, "ncpu", 0, 65536, &ncpu) == -1 ||
	    get_long(c, g, "jobs", 0, 65536, &jobs) == -1 ||
	    get_long(c, g, "port", 1, 65535, &port) == -1 ||
	    get_long(c, g, "boot_timeout", 10, 86400, &boot_timeout) == -1)
		return -1;
	if (worker_ssh_only(c, g, name, transport) == -1)
		return -1;
	if (ncpu == 0 && strcmp(transport, "local") == 0)
		ncpu = kb_host_ncpu();

	cfg->workers = kb_reallocarray(cfg->workers, cfg->nworkers + 1,
	    sizeof(*cfg->workers));
	w = &cfg->workers[cfg->nworkers++];
	w->name = kb_strdup(name);
	w->transport = kb_strdup(transport);
	w->arch = kb_strdup(arch);
	w->os = kb_strdup(os);
	w->port = (int)port;
	w->boot_timeout = (int)boot_timeout;
	worker_ssh(c, g, w);
	w->ncpu = (int)ncpu;
	w->jobs = jobs > 0 ? (int)jobs : (ncpu / 2 > 0 ? (int)ncpu / 2 : 1);
	w->file = kb_strdup(sfile(c, g));
	w->line = sline(g);
	return 0;
}

static void
recipe_free(struct kb_recipe *r)
{
	free(r->fetch);
	free(r->dir);
	free(r->setup);
	free(r->command);
	free(r->cleanup);
}

static void
workload_free(struct kb_workload *wl)
{
	int i;

	for (i = 0; i < KB_OS_COUNT; i++)
		if (wl->has[i])
			recipe_free(&wl->recipe[i]);
	free(wl->name);
	free(wl->description);
	free(wl->file);
}

/* Fill wl from one workload file's root group. */
static int
load_workload_root(struct ctx *c, const config_setting_t *root,
    const char *path, struct kb_workload *wl)
{
	const config_setting_t *def, *sec, *cmd;
	struct kb_recipe *r;
	const char *name, *base;
	long n = KB_CONF_N, warmup = KB_CONF_WARMUP, timeout = KB_CONF_TIMEOUT;
	int i, any = 0;

	if (check_keys(c, root, workload_keys, "a workload file") == -1)
		return -1;
	/* Without a name the file's base name names the workload. */
	if ((name = get_str(root, "name", NULL)) == NULL) {
		base = (base = strrchr(path, '/')) != NULL ? base + 1 : path;
		wl->name = kb_strdup(base);
		if (strlen(wl->name) > 5 &&
		    strcmp(wl->name + strlen(wl->name) - 5, ".conf") == 0)
			wl->name[strlen(wl->name) - 5] = '\0';
		wl->line = 1;
	} else {
		wl->name = kb_strdup(name);
		wl->line = sline(config_setting_get_member(root, "name"));
	}
	wl->description = kb_strdup(get_str(root, "description", ""));
	wl->file = kb_strdup(path);
	if (!label_valid(wl->name, 0))
		return cerr(c, config_setting_get_member(root, "name"),
		    "workload name '%s': expected letters, digits, '.', '_', "
		    "'+' or '-'", wl->name);

	def = config_setting_get_member(root, "defaults");
	if (def != NULL) {
		if (check_keys(c, def, defaults_keys, "defaults") == -1)
			return -1;
		if (get_long(c, def, "n", 1, 1000000, &n) == -1 ||
		    get_long(c, def, "warmup", 0, 1000000, &warmup) == -1 ||
		    get_long(c, def, "timeout", 0, 86400 * 30, &timeout) == -1)
			return -1;
	}
	for (i = 0; i < KB_OS_COUNT; i++) {
		if ((sec = config_setting_get_member(root, os_names[i])) ==
		    NULL)
			continue;
		any = 1;
		if (check_keys(c, sec, recipe_keys, os_names[i]) == -1)
			return -1;
		cmd = config_setting_get_member(sec, "command");
		if (cmd == NULL || *config_setting_get_string(cmd) == '\0')
			return cerr(c, cmd != NULL ? cmd : sec, "workload "
			    "'%s', section %s: expected command = \"...\" "
			    "(the timed shell command)", wl->name,
			    os_names[i]);
		r = &wl->recipe[i];
		wl->has[i] = 1;
		r->name = wl->name;
		r->description = wl->description;
		r->os = (enum kb_os)i;
		r->fetch = kb_strdup(get_str(sec, "fetch", ""));
		r->dir = kb_strdup(get_str(sec, "dir", ""));
		r->setup = kb_strdup(get_str(sec, "setup", ""));
		r->command = kb_strdup(get_str(sec, "command", ""));
		r->cleanup = kb_strdup(get_str(sec, "cleanup", ""));
		r->n = n;
		r->warmup = warmup;
		r->timeout = timeout;
		r->file = wl->file;
		r->line = sline(sec);
		if (get_long(c, sec, "n", 1, 1000000, &r->n) == -1 ||
		    get_long(c, sec, "warmup", 0, 1000000, &r->warmup) == -1 ||
		    get_long(c, sec, "timeout", 0, 86400 * 30, &r->timeout) ==
		    -1)
			return -1;
	}
	if (!any) {
		/* No setting to point at: the workload's first line. */
		c->failed++;
		snprintf(c->err, c->errlen, "%s:%d: workload '%s': expected "
		    "a section linux, openbsd or freebsd with a command",
		    path, wl->line, wl->name);
		return -1;
	}
	return 0;
}

static int
load_workload_file(struct kb_config *cfg, const char *path, char *err,
    size_t errlen)
{
	struct ctx c = { path, err, errlen, 0 };
	struct kb_workload wl;
	const struct kb_workload *o;
	config_t cf;
	size_t i;
	int rc;

	if (read_file(&c, &cf, path) == -1)
		return -1;
	memset(&wl, 0, sizeof(wl));
	rc = load_workload_root(&c, config_root_setting(&cf), path, &wl);
	if (rc == 0) {
		for (i = 0; i < cfg->nworkloads; i++) {
			o = &cfg->workloads[i];
			if (strcmp(o->name, wl.name) == 0) {
				snprintf(err, errlen, "%s:%d: workload '%s' "
				    "already defined at %s:%d", path, wl.line,
				    wl.name, o->file, o->line);
				rc = -1;
				break;
			}
		}
	}
	config_destroy(&cf);
	if (rc == -1) {
		workload_free(&wl);
		return -1;
	}
	/* The recipes point at the workload's strings, not at wl itself. */
	cfg->workloads = kb_reallocarray(cfg->workloads, cfg->nworkloads + 1,
	    sizeof(*cfg->workloads));
	cfg->workloads[cfg->nworkloads++] = wl;
	return 0;
}

static int
conf_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 &&
	    strcmp(d->d_name + n - 5, ".conf") == 0;
}

/* Every NAME.conf in dir, in name order so errors are reproducible. */
static int
load_workload_dir(struct kb_config *cfg, const char *dir, char *err,
    size_t errlen)
{
	struct dirent **ents;
	char *path;
	int i, n, rc = 0;

	if ((n = scandir(dir, &ents, conf_filter, alphasort)) == -1) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		path = kb_asprintf("%s/%s", dir, ents[i]->d_name);
		if (rc == 0 && load_workload_file(cfg, path, err, errlen) == -1)
			rc = -1;
		free(path);
		free(ents[i]);
	}
	free(ents);
	return rc;
}

/* serve.trees: a commit link template per worker OS (commiturl.h). */
static int
load_trees(struct ctx *c, struct kb_config *cfg, const config_setting_t *l)
{
	const config_setting_t *g;
	struct kb_tree *t;
	enum kb_os os;
	int i, n;

	n = config_setting_length(l);
	cfg->trees = kb_calloc((size_t)n + 1, sizeof(*cfg->trees));
	for (i = 0; i < n; i++) {
		g = config_setting_get_elem(l, i);
		if (check_keys(c, g, tree_keys, "serve.trees") == -1)
			return -1;
		t = &cfg->trees[cfg->ntrees++];
		t->os = kb_strdup(get_str(g, "os", ""));
		t->commit_url = kb_strdup(get_str(g, "commit_url", ""));
		if (*t->os != '\0' && kb_os_parse(t->os, &os) == -1)
			return cerr(c, config_setting_get_member(g, "os"),
			    "serve.trees: os '%s': expected \"linux\", "
			    "\"openbsd\" or \"freebsd\"", t->os);
		if (commit_url_ok(t->commit_url) == -1)
			return cerr(c, config_setting_get_member(g,
			    "commit_url"), "serve.trees: commit_url '%s': "
			    "expected one %%s (where the revision goes) and no "
			    "other %%", t->commit_url);
	}
	return 0;
}

/* alert.overrides: thresholds per worker, workload or both. */
static int
load_overrides(struct ctx *c, struct kb_alert_conf *a,
    const config_setting_t *l)
{
	const config_setting_t *g;
	struct kb_alert_override *o;
	int i, n;

	n = config_setting_length(l);
	a->over = kb_calloc((size_t)n + 1, sizeof(*a->over));
	for (i = 0; i < n; i++) {
		g = config_setting_get_elem(l, i);
		if (check_keys(c, g, override_keys, "alert.overrides") == -1)
			return -1;
		o = &a->over[a->nover++];
		o->worker = kb_strdup(get_str(g, "worker", ""));
		o->workload = kb_strdup(get_str(g, "workload", ""));
		if (get_double(c, g, "threshold", 0, 1, 1e6,
		    &o->threshold) == -1)
			return -1;
		if (*o->worker == '\0' && *o->workload == '\0')
			return cerr(c, g, "alert.overrides: expected worker, "
			    "workload or both");
	}
	return 0;
}

static int
load_alert(struct ctx *c, struct kb_alert_conf *a, const config_setting_t *g)
{
	const config_setting_t *l, *h;
	char *p;
	int i, n;

	if (check_keys(c, g, alert_keys, "alert") == -1 ||
	    get_double(c, g, "threshold", 0, 1, 1e6, &a->threshold) == -1)
		return -1;
	p = kb_strdup(get_str(g, "sendmail", a->sendmail));
	free(a->sendmail);
	a->sendmail = p;
	free(a->from);
	a->from = kb_strdup(get_str(g, "from", ""));
	if ((l = config_setting_get_member(g, "mail")) != NULL) {
		n = config_setting_length(l);
		a->mail = kb_calloc((size_t)n + 1, sizeof(char *));
		for (i = 0; i < n; i++)
			a->mail[a->nmail++] = kb_strdup(
			    config_setting_get_string_elem(l, i));
	}
	if ((h = config_setting_get_member(g, "webhook")) != NULL) {
		if (check_keys(c, h, webhook_keys, "alert.webhook") == -1)
			return -1;
		free(a->webhook_url);
		free(a->webhook_secret);
		a->webhook_url = kb_strdup(get_str(h, "url", ""));
		a->webhook_secret = kb_strdup(get_str(h, "secret", ""));
		/* Plain HTTP only: the POST is written on a socket here. */
		if (strncmp(a->webhook_url, "http://", 7) != 0)
			return cerr(c, config_setting_get_member(h, "url"),
			    "url: expected http://HOST[:PORT]/PATH (https: "
			    "through a local relay), not %s", a->webhook_url);
	}
	if ((l = config_setting_get_member(g, "overrides")) != NULL)
		return load_overrides(c, a, l);
	return 0;
}

static int
load_main(struct ctx *c, struct kb_config *cfg, const config_setting_t *root)
{
	const config_setting_t *g, *dirs, *d, *l;
	struct stat st;
	char *p;
	int i, n;

	if (check_keys(c, root, main_keys, "the main file") == -1)
		return -1;
	if ((g = config_setting_get_member(root, "database")) != NULL) {
		if (check_keys(c, g, database_keys, "database") == -1)
			return -1;
		free(cfg->conninfo);
		cfg->conninfo = kb_strdup(get_str(g, "conninfo", ""));
	}
	if ((g = config_setting_get_member(root, "compare")) != NULL) {
		if (check_keys(c, g, compare_keys, "compare") == -1 ||
		    get_double(c, g, "confidence", 50.0, 0, 100.0,
		    &cfg->confidence) == -1)
			return -1;
		/* Only the levels ministat has tables for. */
		if (config_setting_get_member(g, "confidence") != NULL &&
		    !st_confidence_ok(cfg->confidence))
			return cerr(c, config_setting_get_member(g,
			    "confidence"), "confidence: expected one of 80, "
			    "90, 95, 98, 99, 99.5, not %g", cfg->confidence);
		if (get_double(c, g, "threshold", 0.0, 1, 1e6,
		    &cfg->threshold) == -1)
			return -1;
	}
	if ((g = config_setting_get_member(root, "serve")) != NULL) {
		if (check_keys(c, g, serve_keys, "serve") == -1)
			return -1;
		free(cfg->token);
		cfg->token = kb_strdup(get_str(g, "token", ""));
		free(cfg->serve_url);
		cfg->serve_url = kb_strdup(get_str(g, "url", ""));
		if ((l = config_setting_get_member(g, "trees")) != NULL &&
		    load_trees(c, cfg, l) == -1)
			return -1;
	}
	if ((g = config_setting_get_member(root, "alert")) != NULL &&
	    load_alert(c, &cfg->alert, g) == -1)
		return -1;
	if ((dirs = config_setting_get_member(root, "workload_dirs")) != NULL) {
		n = config_setting_length(dirs);
		for (i = 0; i < n; i++) {
			d = config_setting_get_elem(dirs, i);
			p = resolve(sfile(c, d), config_setting_get_string(d));
			if (stat(p, &st) == -1 || !S_ISDIR(st.st_mode)) {
				cerr(c, d, "workload_dirs: %s: expected a "
				    "directory", p);
				free(p);
				return -1;
			}
			cfg->workload_dirs = kb_reallocarray(cfg->workload_dirs,
			    cfg->nworkload_dirs + 1, sizeof(char *));
			cfg->workload_dirs[cfg->nworkload_dirs++] = p;
		}
	} else {
		cfg->workload_dirs = kb_calloc(1, sizeof(char *));
		cfg->workload_dirs[0] = kb_asprintf("%s/configs/workloads",
		    kb_root());
		cfg->nworkload_dirs = 1;
	}
	if ((g = config_setting_get_member(root, "workers")) != NULL) {
		n = config_setting_length(g);
		for (i = 0; i < n; i++)
			if (load_worker(c, cfg,
			    config_setting_get_elem(g, i)) == -1)
				return -1;
	}
	return 0;
}

const char *
kb_config_default_path(void)
{
	static char *path;
	const char *e;

	free(path);
	path = NULL;
	if ((e = getenv("KBENCH_CONFIG")) != NULL && *e != '\0')
		return path = kb_strdup(e);
	if (access("kbench.conf", F_OK) == 0)
		return path = kb_strdup("kbench.conf");
	path = kb_asprintf("%s/configs/kbench.conf", kb_root());
	if (access(path, F_OK) == 0)
		return path;
	free(path);
	return path = NULL;
}

/*
 * database.conninfo of the config file read last, and that file: the
 * store asks for it (kb_config_conninfo) whether or not its command
 * loaded a config itself.
 */
static char	*last_conninfo, *last_conninfo_file;

static void
keep_conninfo(const char *file, const char *ci)
{
	free(last_conninfo);
	free(last_conninfo_file);
	last_conninfo = kb_strdup(ci);
	last_conninfo_file = kb_strdup(file);
}

int
kb_config_conninfo(const char **ci, const char **file, char *err,
    size_t errlen)
{
	struct ctx c = { NULL, err, errlen, 0 };
	const char *path, *v;
	config_t cf;

	*ci = *file = NULL;
	/*
	 * Only the main file (and what it includes): a broken workload or
	 * recipe must not keep db stop from finding the database.
	 */
	if (last_conninfo_file == NULL) {
		if ((path = kb_config_default_path()) == NULL)
			return 0;
		c.file = path;
		if (read_file(&c, &cf, path) == -1)
			return -1;
		if (!config_lookup_string(&cf, "database.conninfo", &v))
			v = "";
		keep_conninfo(path, v);
		config_destroy(&cf);
	}
	if (last_conninfo != NULL && *last_conninfo != '\0') {
		*ci = last_conninfo;
		*file = last_conninfo_file;
	}
	return 0;
}

int
kb_config_load(const char *path, struct kb_config *cfg, char *err,
    size_t errlen)
{
	struct ctx c = { NULL, err, errlen, 0 };
	struct stat st;
	const char *e;
	config_t cf;
	size_t i;
	int rc = 0;

	memset(cfg, 0, sizeof(*cfg));
	err[0] = '\0';
	cfg->conninfo = kb_strdup("");
	cfg->token = kb_strdup("");
	cfg->serve_url = kb_strdup("");
	cfg->alert.sendmail = kb_strdup("/usr/sbin/sendmail");
	cfg->alert.from = kb_strdup("");
	cfg->alert.webhook_url = kb_strdup("");
	cfg->alert.webhook_secret = kb_strdup("");
	cfg->confidence = KB_CONF_CONFIDENCE;
	cfg->threshold = KB_CONF_THRESHOLD;
	if (path == NULL)
		path = kb_config_default_path();
	cfg->path = kb_strdup(path != NULL ? path : "");
	c.file = cfg->path;

	if (path != NULL) {
		if (read_file(&c, &cf, path) == -1)
			goto fail;
		rc = load_main(&c, cfg, config_root_setting(&cf));
		config_destroy(&cf);
		if (rc == -1)
			goto fail;
	} else {
		/* No file at all: the built-in workloads, if installed. */
		cfg->workload_dirs = kb_calloc(1, sizeof(char *));
		cfg->workload_dirs[0] = kb_asprintf("%s/configs/workloads",
		    kb_root());
		cfg->nworkload_dirs = 1;
		if (stat(cfg->workload_dirs[0], &st) == -1)
			cfg->nworkload_dirs = 0;
	}
	for (i = 0; i < cfg->nworkload_dirs; i++)
		if (load_workload_dir(cfg, cfg->workload_dirs[i], err,
		    errlen) == -1)
			goto fail;
	/* There is always a way to run here and now. */
	if (kb_config_worker(cfg, "local") == NULL) {
		cfg->workers = kb_reallocarray(cfg->workers, cfg->nworkers + 1,
		    sizeof(*cfg->workers));
		worker_default(&cfg->workers[cfg->nworkers++]);
	}
	if (path != NULL)
		keep_conninfo(path, cfg->conninfo);
	if ((e = getenv("KBENCH_DB")) != NULL && *e != '\0') {
		free(cfg->conninfo);
		cfg->conninfo = kb_strdup(e);
	}
	return 0;
fail:
	if (err[0] == '\0')
		snprintf(err, errlen, "%s: cannot load", cfg->path);
	kb_config_free(cfg);
	return -1;
}

static void
alert_free(struct kb_alert_conf *a)
{
	size_t i;

	for (i = 0; i < a->nmail; i++)
		free(a->mail[i]);
	free(a->mail);
	for (i = 0; i < a->nover; i++) {
		free(a->over[i].worker);
		free(a->over[i].workload);
	}
	free(a->over);
	free(a->sendmail);
	free(a->from);
	free(a->webhook_url);
	/* The secret does not outlive its use in freed memory. */
	if (a->webhook_secret != NULL)
		explicit_bzero(a->webhook_secret, strlen(a->webhook_secret));
	free(a->webhook_secret);
}

void
kb_config_free(struct kb_config *cfg)
{
	struct kb_worker *w;
	size_t i, k;

	for (i = 0; i < cfg->nworkers; i++) {
		w = &cfg->workers[i];
		free(w->name);
		free(w->transport);
		free(w->arch);
		free(w->os);
		free(w->host);
		free(w->ssh_config);
		free(w->recipe);
		free(w->console);
		for (k = 0; k < w->nkconfig; k++)
			free(w->kconfig[k]);
		free(w->kconfig);
		free(w->file);
	}
	for (i = 0; i < cfg->nworkloads; i++)
		workload_free(&cfg->workloads[i]);
	for (i = 0; i < cfg->nworkload_dirs; i++)
		free(cfg->workload_dirs[i]);
	free(cfg->workload_dirs);
	free(cfg->workers);
	free(cfg->workloads);
	free(cfg->path);
	free(cfg->conninfo);
	free(cfg->token);
	free(cfg->serve_url);
	for (i = 0; i < cfg->ntrees; i++) {
		free(cfg->trees[i].os);
		free(cfg->trees[i].commit_url);
	}
	free(cfg->trees);
	alert_free(&cfg->alert);
	memset(cfg, 0, sizeof(*cfg));
}

double
kb_alert_threshold(const struct kb_config *cfg, const char *worker,
    const char *workload)
{
	const struct kb_alert_override *o;
	double t = cfg->alert.threshold;
	int best = 0, score;
	size_t i;

	for (i = 0; i < cfg->alert.nover; i++) {
		o = &cfg->alert.over[i];
		if ((*o->worker != '\0' && strcmp(o->worker, worker) != 0) ||
		    (*o->workload != '\0' &&
		    strcmp(o->workload, workload) != 0))
			continue;
		score = (*o->worker != '\0') + (*o->workload != '\0');
		if (score > best) {
			best = score;
			t = o->threshold;
		}
	}
	return t;
}

const struct kb_worker *
kb_config_worker(const struct kb_config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nworkers; i++)
		if (strcmp(cfg->workers[i].name, name) == 0)
			return &cfg->workers[i];
	return NULL;
}

const struct kb_workload *
kb_config_find_workload(const struct kb_config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nworkloads; i++)
		if (strcmp(cfg->workloads[i].name, name) == 0)
			return &cfg->workloads[i];
	return NULL;
}

void
kb_config_no_workload(const struct kb_config *cfg, const char *name)
{
	const char **v, *near;
	char *list, *s;
	size_t i;

	v = kb_calloc(cfg->nworkloads + 1, sizeof(*v));
	list = kb_strdup("");
	for (i = 0; i < cfg->nworkloads; i++) {
		v[i] = cfg->workloads[i].name;
		s = kb_asprintf("%s%s%s", list, i > 0 ? ", " : "", v[i]);
		free(list);
		list = s;
	}
	near = kb_suggest(name, v, cfg->nworkloads);
	s = near != NULL ? kb_asprintf("did you mean '%s'? ", near) :
	    kb_strdup("");
	kb_warnx("no workload %s in %s; %sthe workloads are: %s", name,
	    *cfg->path != '\0' ? cfg->path : "the configuration", s, list);
	free(s);
	free(list);
	free(v);
}

const struct kb_recipe *
kb_config_workload(const struct kb_config *cfg, const char *name,
    const char *os)
{
	const struct kb_workload *wl;
	enum kb_os o;

	if ((wl = kb_config_find_workload(cfg, name)) == NULL ||
	    kb_os_parse(os, &o) == -1 || !wl->has[o])
		return NULL;
	return &wl->recipe[o];
}
