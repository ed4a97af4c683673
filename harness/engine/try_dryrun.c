/*
 * try_dryrun.c: kbench try PATCH... --dry-run: what kbench would run on
 * a real machine (OpenBSD, FreeBSD, Linux over ssh) to try the patches,
 * printed in order and never run.
 *
 * try_ssh.c runs the same recipes; this is how the per-OS recipes
 * (configs/recipes/OS.conf) are reviewed before one is trusted with
 * them.  It reads the configuration and the patch files and nothing
 * else: no database, no network, no child process; except with --tree
 * DIR, where both kernels' ids are the real ones and the patches are
 * applied (git, in the scratch clone: DIR is never written) to show
 * they apply before anything is built.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/config.h"
#include "lib/util.h"
#include "lib/hash.h"
#include "format/recipe.h"
#include "worker/kernel.h"
#include "engine/try.h"
#include "engine/try_dryrun.h"

/* The placeholder kernel ids of the two sides: 12 hex digits each. */
static int
kernel_ids(const struct try *t, char kid[2][13])
{
	char *all = NULL, h[65], buf[65536];
	size_t len = 0, n, i;
	FILE *fp;

	for (i = 0; i < t->npatches; i++) {
		if ((fp = fopen(t->patches[i], "r")) == NULL) {
			kb_warn("%s", t->patches[i]);
			free(all);
			return -1;
		}
		while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
			all = kb_reallocarray(all, len + n, 1);
			memcpy(all + len, buf, n);
			len += n;
		}
		fclose(fp);
	}
	/*
	 * The series' bytes in order; the base has none.  A real kernel
	 * id (kernel.c) also hashes the base revision, the config and the
	 * arch, which only the worker's tree can tell: a dry run has no
	 * tree, so these name the plan, not a kernel that exists.
	 */
	kb_sha256_hex("", 0, h);
	snprintf(kid[0], 13, "%.12s", h);
	kb_sha256_hex(all != NULL ? all : "", len, h);
	snprintf(kid[1], 13, "%.12s", h);
	free(all);
	return 0;
}

/*
 * --tree: both kernels' ids for arch, from the tree at --base, the
 * patches applied on the patched kernel's branch of the scratch clone;
 * each said on a comment line.  0, or -1 (a patch that does not apply
 * names itself and the hunk).
 */
static int
tree_kernels(const struct try *t, const char *arch, char kid[2][13])
{
	static const char *side[2] = { "base", "patched" };
	struct kernel_spec s;
	struct kernel_artifact a;
	int i;

	for (i = 0; i < 2; i++) {
		memset(&s, 0, sizeof(s));
		s.os = "linux";
		s.arch = arch;
		s.patches = (char **)t->patches;
		s.npatches = i ? t->npatches : 0;
		s.tree = t->tree;
		s.rev = t->base;
		s.apply_only = 1;
		if (kernel_build(&s, &a) != 0) {
			kernel_artifact_free(&a);
			return -1;
		}
		snprintf(kid[i], 13, "%s", a.kid12);
		printf("# the %s kernel %s (%s): %s at %.12s, %s, "
		    "applied in %s on branch kb/%s\n", side[i], a.kid12,
		    a.label, a.tree, a.base, a.cc, a.work, a.kid12);
		kernel_artifact_free(&a);
	}
	return 0;
}

/* --tree on a QEMU worker: the kernels, then what the try would do. */
static int
tree_qemu_plan(const struct try *t)
{
	const char *w = t->worker_given ? t->worker : "qemu-amd64";
	const char *arch = strchr(w, '-') != NULL ? strchr(w, '-') + 1 :
	    "amd64";
	char kid[2][13];

	if (tree_kernels(t, arch, kid) == -1)
		return KB_EXIT_ERR;
	printf("# then: both kernels built here (make, ccache), the user's "
	    "tree untouched\n# then: %ld boots of %s a side in turns, base "
	    "and patched, each checked to run -kb%s or -kb%s before any "
	    "sample counts\n", (t->n + t->per_boot - 1) / t->per_boot, w,
	    kid[0], kid[1]);
	return fflush(stdout) == 0 ? KB_EXIT_OK : KB_EXIT_ERR;
}

/* The workload: the recipe's (default libc), or the command after --. */
static int
pick_workload(const struct try *t, const struct recipe *r,
    struct recipe_workload *adhoc, const struct recipe_workload **wp)
{
	const char *name = t->workload != NULL ? t->workload : "libc";
	char *s, *list;
	size_t i;

	if (t->cmdv != NULL && t->cmdv[0] != NULL) {
		/* As try_kernel.c: the words are one sh(1) command line. */
		adhoc->name = kb_strdup("(the command after --)");
		adhoc->command = kb_strdup(t->cmdv[0]);
		for (i = 1; t->cmdv[i] != NULL; i++) {
			s = kb_asprintf("%s %s", adhoc->command, t->cmdv[i]);
			free(adhoc->command);
			adhoc->command = s;
		}
		adhoc->dir = adhoc->setup = adhoc->cleanup = "";
		*wp = adhoc;
		return 0;
	}
	if ((*wp = recipe_workload(r, name)) != NULL)
		return 0;
	list = kb_strdup("");
	for (i = 0; i < r->nworkloads; i++) {
		s = kb_asprintf("%s%s%s", list, i ? ", " : "",
		    r->workloads[i].name);
		free(list);
		list = s;
	}
	kb_warnx("no workload %s in %s; expected one of: %s", name, r->file,
	    list);
	free(list);
	return -1;
}

/*
 * With --worker: the configuration loaded into cfg and the worker in
 * *wp (NULL: not configured, planned from the recipe's example worker
 * of --os), its OS in *os.  -1 with the exit status in *rc.
 */
static int
dry_worker(const struct try *t, struct kb_config *cfg,
    const struct kb_worker **wp, const char **os, int *rc)
{
	const struct kb_worker *w;
	char err[1024];

	if (kb_config_load(NULL, cfg, err, sizeof(err)) == -1) {
		kb_warnx("%s", err);
		return -1;
	}
	*wp = w = kb_config_worker(cfg, t->worker);
	if (w != NULL && strcmp(w->transport, "ssh") != 0) {
		kb_warnx("worker %s (%s:%d) has transport %s; the dry "
		    "run plans ssh workers (docs/workers.md)",
		    w->name, *w->file ? w->file : "built in", w->line,
		    w->transport);
		return -1;
	}
	if (w == NULL && t->os == NULL) {
		kb_warnx("no worker %s in %s: configure it "
		    "(docs/workers.md), or give --os OS for the "
		    "recipe's example worker", t->worker,
		    *cfg->path ? cfg->path : "the built-in config");
		return -1;
	}
	if (w != NULL && t->os != NULL && strcmp(w->os, t->os) != 0) {
		*rc = kb_usage_error("try", "--os %s, but worker %s "
		    "runs %s", t->os, w->name, w->os);
		return -1;
	}
	if (w != NULL)
		*os = w->os;
	return 0;
}

/*
 * The plan's worker: the configured one, else the recipe's example.
 * Returns where it comes from, for the caller to free.
 */
static char *
plan_worker(struct plan *p, const struct try *t, const struct kb_worker *w,
    const struct recipe *r)
{
	if (w != NULL) {
		p->worker = w->name;
		p->host = w->host;
		p->ncpu = w->ncpu;
		/* config.c's jobs default needs ncpu; 0 is detected later. */
		p->jobs = w->ncpu > 0 ? w->jobs : 0;
		p->boot_timeout = w->boot_timeout;
		return kb_asprintf("%s:%d", w->file, w->line);
	}
	p->worker = r->example.name;
	p->host = r->example.host;
	p->ncpu = r->example.ncpu;
	p->jobs = p->ncpu / 2 > 0 ? p->ncpu / 2 : 1;
	return kb_asprintf("%sthe example_worker of the recipe, %s, %ld CPUs",
	    t->worker_given ? "not configured; " : "", r->example.arch,
	    r->example.ncpu);
}

/* Prints the plan of the try on w (or the example worker); rc. */
static int
print_plan(const struct try *t, const struct kb_worker *w,
    const struct recipe *r, const struct recipe_workload *wl, char **path,
    char kid[2][13])
{
	struct plan p;
	char *origin;

	memset(&p, 0, sizeof(p));
	origin = plan_worker(&p, t, w, r);
	p.origin = origin;
	p.patches = (const char *const *)path;
	p.npatches = t->npatches;
	p.workload = wl;
	p.n = t->n;
	p.per_boot = t->per_boot;
	p.warmup = t->warmup_given ? t->warmup : 1; /* each boot is cold */
	p.timeout = t->timeout > 0 ? t->timeout : KB_CONF_TIMEOUT;
	p.kid12[0] = kid[0];
	p.kid12[1] = kid[1];
	p.real_ids = t->tree != NULL;
	recipe_print_plan(stdout, r, &p);
	free(origin);
	return fflush(stdout) == 0 ? KB_EXIT_OK : KB_EXIT_ERR;
}

int
try_dry_run(struct try *t)
{
	struct kb_config cfg;
	const struct kb_worker *w = NULL;
	struct recipe r;
	struct recipe_workload adhoc;
	const struct recipe_workload *wl;
	char err[1024], kid[2][13], *path[TRY_MAX_PATCHES];
	const char *os = t->os;
	size_t i, npaths = 0;
	int rc = KB_EXIT_ERR;

	if (t->repo != NULL)
		return kb_usage_error("try", "--dry-run plans a kernel patch "
		    "on a worker, not --repo");
	if (t->tree != NULL && t->os == NULL && (!t->worker_given ||
	    strncmp(t->worker, "qemu-", 5) == 0))
		return tree_qemu_plan(t);
	if (!t->worker_given && t->os == NULL)
		return kb_usage_error("try", "--dry-run needs --worker NAME "
		    "or --os OS");
	if (t->cmdv != NULL && t->cmdv[0] != NULL && t->workload != NULL)
		return kb_usage_error("try", "give either --workload or a "
		    "command after --, not both");

	memset(&cfg, 0, sizeof(cfg));
	memset(&r, 0, sizeof(r));
	memset(&adhoc, 0, sizeof(adhoc));
	if (t->worker_given && dry_worker(t, &cfg, &w, &os, &rc) == -1)
		goto out;
	if ((w != NULL && *w->recipe != '\0' ? recipe_load_file(w->recipe, &r,
	    err, sizeof(err)) : recipe_load(os, &r, err, sizeof(err))) == -1) {
		kb_warnx("%s", err);
		goto out;
	}
	if (t->tree != NULL && !r.build_on_harness) {
		kb_warnx("recipe %s builds kernels on the worker from its own "
		    "%s; --tree %s needs a recipe with build_on = \"harness\" "
		    "(docs/workers.md)", r.file, r.src, t->tree);
		goto out;
	}
	if ((t->tree != NULL ? tree_kernels(t, w != NULL ? w->arch :
	    r.example.arch, kid) : kernel_ids(t, kid)) == -1 ||
	    pick_workload(t, &r, &adhoc, &wl) == -1)
		goto out;
	/* scp names the patches from anywhere: absolute paths. */
	for (i = 0; i < t->npatches; i++, npaths++)
		if ((path[i] = realpath(t->patches[i], NULL)) == NULL) {
			kb_warn("%s", t->patches[i]);
			goto out;
		}
	rc = print_plan(t, w, &r, wl, path, kid);
out:
	for (i = 0; i < npaths; i++)
		free(path[i]);
	if (adhoc.command != NULL) {
		free(adhoc.name);
		free(adhoc.command);
	}
	recipe_free(&r);
	if (t->worker_given)
		kb_config_free(&cfg);
	return rc;
}
