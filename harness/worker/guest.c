/*
 * guest.c: the worker, workload and image of a QEMU boot (guest.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"
#include "lib/adhoc.h"
#include "worker/guest.h"
#include "worker/qemu.h"
#include "lib/spawn.h"

int
guest_worker(struct guest *g, const struct kb_config *cfg, const char *name)
{
	const struct kb_worker *w;
	const char *arch;

	if (name == NULL)
		name = "qemu-amd64";
	if ((w = kb_config_worker(cfg, name)) != NULL) {
		if (strcmp(w->transport, "qemu") != 0) {
			kb_warnx("worker %s (%s:%d) has transport %s and "
			    "cannot boot a kernel here: use a qemu worker "
			    "(qemu-amd64)", name, *w->file ? w->file :
			    "built in", w->line, w->transport);
			return -1;
		}
		g->arch = kb_strdup(w->arch);
		g->smp = w->ncpu;
		g->worker = kb_strdup(name);
	} else {
		if (strcmp(name, "local") == 0) {
			kb_warnx("the local worker cannot boot a kernel: use "
			    "a qemu worker (qemu-amd64)");
			return -1;
		}
		arch = strncmp(name, "qemu-", 5) == 0 ? name + 5 : name;
		g->arch = kb_strdup(arch);
		g->worker = kb_asprintf("qemu-%s", arch);
	}
	if (!qemu_arch_ok(g->arch, 1)) {
		kb_warnx("worker %s: no QEMU guest for %s here:", name,
		    g->arch);
		qemu_arch_ok(g->arch, 0);
		return -1;
	}
	return 0;
}

int
guest_workload(struct guest *g, const struct kb_config *cfg,
    const char *workload, char **cmdv)
{
	const struct kb_recipe *r;
	size_t i;
	char *t;

	if (cmdv != NULL && cmdv[0] != NULL) {
		/* Words after -- are the guest shell's, as in kbench try. */
		g->cmd = kb_strdup(cmdv[0]);
		for (i = 1; cmdv[i] != NULL; i++) {
			t = kb_asprintf("%s %s", g->cmd, cmdv[i]);
			free(g->cmd);
			g->cmd = t;
		}
		g->wl = adhoc_label(cmdv);
		g->warmup = 1;	/* a fresh guest's page cache is cold */
		return 0;
	}
	/* macppc's image has no compiler: only vm-small runs there. */
	if (workload == NULL)
		workload = g->arch != NULL && strcmp(g->arch, "macppc") == 0 ?
		    "vm-small" : "libc-small";
	g->wl = kb_strdup(workload);
	if (kb_config_find_workload(cfg, g->wl) == NULL) {
		kb_config_no_workload(cfg, g->wl);
		return -1;
	}
	if ((r = kb_config_workload(cfg, g->wl, "linux")) == NULL) {
		kb_warnx("workload %s has no linux recipe for the guest",
		    g->wl);
		return -1;
	}
	if (!guest_dir_ok(r->dir)) {
		kb_warnx("%s:%d: workload %s: dir \"%s\": only path "
		    "characters and $NAME may name a guest directory",
		    r->file, r->line, g->wl, r->dir);
		return -1;
	}
	g->cmd = guest_in_dir(r->dir, r->command);
	if (*r->setup != '\0')
		g->setup = guest_in_dir(r->dir, r->setup);
	if (*r->cleanup != '\0')
		g->cleanup = guest_in_dir(r->dir, r->cleanup);
	g->warmup = r->warmup > 0 ? r->warmup : 1;
	g->timeout = r->timeout;
	return 0;
}

int
guest_image(struct guest *g)
{
	char *self, *argv[6];
	int st, n = 0;

	g->image = kb_asprintf("%s/images/%s/base.img", kb_home(), g->arch);
	if (access(g->image, R_OK) == 0)
		return 0;
	kb_info("no guest image yet: kbench worker prepare %s", g->arch);
	self = self_path(NULL);
	argv[n++] = self;
	if (kb_quiet)
		argv[n++] = "-q";
	argv[n++] = "worker";
	argv[n++] = "prepare";
	argv[n++] = g->arch;
	argv[n] = NULL;
	st = spawn(argv, NULL, NULL, STDERR_FILENO, NULL);
	free(self);
	if (st != 0 || access(g->image, R_OK) != 0) {
		kb_warnx("kbench worker prepare %s failed", g->arch);
		return -1;
	}
	return 0;
}

void
guest_free(struct guest *g)
{
	free(g->worker);
	free(g->arch);
	free(g->wl);
	free(g->cmd);
	free(g->setup);
	free(g->cleanup);
	free(g->image);
	memset(g, 0, sizeof(*g));
}

/*
 * The recipe's dir names $KBENCH_SRC and friends, which only the guest
 * knows (kbench-init sets them), so the guest's shell expands it.
 */
char *
guest_in_dir(const char *dir, const char *step)
{
	if (*dir == '\0')
		return kb_strdup(step);
	return kb_asprintf("cd \"%s\" && %s", dir, step);
}

/*
 * The dir goes between double quotes in the guest's shell: only path
 * characters and $NAME or ${NAME}, so that it can name a directory and
 * never run a command (as wordexp(WRDE_NOCMD) guarantees on the host).
 */
int
guest_dir_ok(const char *dir)
{
	const char *p;

	for (p = dir; *p != '\0'; p++) {
		if (isalnum((unsigned char)*p) || strchr("_-./+{}", *p) != NULL)
			continue;
		if (*p == '$' && (isalpha((unsigned char)p[1]) || p[1] == '_' ||
		    p[1] == '{'))
			continue;
		return 0;
	}
	return 1;
}
