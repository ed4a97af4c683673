/*
 * recipe.h: how a kernel is fetched, patched, built, installed, booted
 * and checked on a real machine of one OS, reached over ssh
 * (configs/recipes/OS.conf, libconfig syntax), and the plan that
 * `kbench try PATCH --dry-run` prints from it.
 *
 * try_ssh.c executes a recipe (kbench try PATCH --worker NAME on an
 * ssh worker); the plan is there so that anyone can read exactly which
 * commands kbench would run, in which order and on which host, before
 * a real worker is trusted with them.
 */
#ifndef RECIPE_H
#define RECIPE_H

#include <stddef.h>
#include <stdio.h>

/*
 * The phases, in the order of the file's keys and of the plan.  The
 * last three keep a real machine safe and are optional (n 0): save
 * keeps the running kernel aside before the first install, restore
 * makes it the default again at the end and boots it (its last step
 * reboots; verify must then show what it showed before the first
 * install), fallback is typed at the console when a new kernel does
 * not come back.
 */
enum recipe_phase {
	RP_FETCH, RP_PATCH, RP_BUILD, RP_INSTALL, RP_REBOOT, RP_VERIFY,
	RP_ON_PANIC, RP_SAVE, RP_RESTORE, RP_FALLBACK, RP_COUNT
};

struct recipe_steps {
	char	**v;		/* sh(1) command lines, none empty */
	size_t	  n;		/* at least 1 */
};

/* A workload as an OS section of configs/workloads/NAME.conf has it. */
struct recipe_workload {
	char	 *name;
	char	 *dir, *setup, *command, *cleanup;	/* "" when absent */
	char	**files;	/* harness files copied to the worker first */
	size_t	  nfiles;
};

struct recipe {
	char			*file;
	char			*name, *description;
	char			*src;		/* $KB_SRC on the worker */
	char			*verify_expect;	/* verify's output has it */
	char			*boot_id;	/* new at each boot; "" */
	int			 build_on_harness; /* no fetch/patch/build */
	struct {
		char	*name, *host, *arch;
		long	 ncpu;
	}			 example;	/* example_worker */
	struct recipe_steps	 phase[RP_COUNT];
	struct recipe_workload	*workloads;
	size_t			 nworkloads;
};

/*
 * Load $KBENCH_ROOT/configs/recipes/OS.conf, or the file at path.
 * 0, or -1 with "FILE:LINE: what was expected" in err (the recipe is
 * then empty and recipe_free is still safe).
 */
int	 recipe_load(const char *os, struct recipe *, char *err, size_t errlen);
int	 recipe_load_file(const char *path, struct recipe *, char *err,
	    size_t errlen);
void	 recipe_free(struct recipe *);
/* A phase's key in the file ("fetch" ... "fallback"). */
const char *recipe_phase_name(enum recipe_phase);
const struct recipe_workload *recipe_workload(const struct recipe *,
	    const char *name);

/* What one plan is about: the worker, the patches, the workload. */
struct plan {
	const char		*host;		/* [user@]host */
	const char		*worker;	/* its name */
	const char		*origin;	/* where it is defined */
	long			 ncpu, jobs;	/* 0: detected on the worker */
	const char *const	*patches;	/* paths on this host */
	size_t			 npatches;
	const struct recipe_workload *workload;
	long			 n;		/* counted reps per kernel */
	long			 per_boot;	/* counted reps per boot */
	long			 warmup;	/* per boot */
	long			 timeout;	/* per rep; 0 none */
	long			 boot_timeout;	/* s; 0: the default */
	const char		*kid12[2];	/* base, patched */
	int			 real_ids;	/* kid12: not placeholders */
};

/*
 * Print every command of the plan in order, one per line, prefixed by
 * where it runs: "[HOST] ..." on the worker, "[harness] ..." here.
 */
void	 recipe_print_plan(FILE *, const struct recipe *, const struct plan *);

#endif /* RECIPE_H */
