/*
 * config.h: the kbench configuration (libconfig syntax): the main file
 * (database, compare defaults, workers, where workloads live) and one
 * file per workload.  docs/config.md describes every key.
 *
 * Everything is checked at load time, so a command that got a config
 * can trust it: unknown keys, wrong types, missing commands and
 * duplicate names are errors that name FILE:LINE and what was expected.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>

#include "format/commiturl.h"

/* The operating systems a workload can have a recipe for. */
enum kb_os {
	KB_OS_LINUX, KB_OS_OPENBSD, KB_OS_FREEBSD, KB_OS_COUNT
};
int		 kb_os_parse(const char *, enum kb_os *);

struct kb_worker {
	char	*name;
	char	*transport;	/* local ssh qemu */
	char	*arch;		/* amd64 arm64 riscv64 macppc ... */
	char	*os;		/* linux openbsd freebsd */
	char	*host;		/* ssh: [user@]host; "" otherwise */
	int	 ncpu;		/* 0 in the file: detected */
	int	 jobs;		/* package builds: ncpu/2, >= 1 */
	/* ssh workers (docs/workers.md); "" or 0 when not given. */
	int	 port;		/* ssh -p; 0: ssh's own choice */
	char	*ssh_config;	/* ssh -F FILE, absolute; "" none */
	char	*recipe;	/* recipe file, absolute; "": OS.conf */
	char	**kconfig;	/* harness builds: extra fragments, absolute */
	size_t	 nkconfig;
	char	*console;	/* sh command reaching the console; "" */
	int	 boot_timeout;	/* reboot to ssh back, s; 0: default */
	char	*file;		/* defined there; "" built in */
	int	 line;
};

/*
 * One workload resolved for one OS: the OS section over the workload's
 * defaults over the built-in defaults.  Strings are never NULL ("" when
 * absent), except command, which a recipe always has.
 */
struct kb_recipe {
	const char	*name;
	const char	*description;
	enum kb_os	 os;
	char		*fetch;		/* untimed, before the run */
	char		*dir;		/* working dir; "" = none */
	char		*setup;		/* untimed, once per run */
	char		*command;	/* timed: /bin/sh -c COMMAND */
	char		*cleanup;	/* between repetitions */
	long		 n;
	long		 warmup;
	long		 timeout;	/* per repetition; 0 none */
	const char	*file;
	int		 line;		/* of the OS section */
};

struct kb_workload {
	char		*name;
	char		*description;
	char		*file;
	int		 line;		/* of the name (or 1) */
	int		 has[KB_OS_COUNT];
	struct kb_recipe recipe[KB_OS_COUNT];
};

/* alert: where kbench detect sends a new alert (docs/alerts.md). */
struct kb_alert_override {
	char		*worker, *workload;	/* "": any */
	double		 threshold;
};
struct kb_alert_conf {
	char		**mail;		/* recipients; none: no mail */
	size_t		 nmail;
	char		*sendmail;	/* the sendmail(8) interface */
	char		*from;		/* "": kbench@ this host's name */
	char		*webhook_url;	/* http://HOST[:PORT]/PATH; "" none */
	char		*webhook_secret;	/* signs the body; "" none */
	double		 threshold;	/* least |change| sent, percent */
	struct kb_alert_override *over;
	size_t		 nover;
};

struct kb_config {
	char		*path;		/* main file; "" built in */
	char		*conninfo;	/* or $KBENCH_DB */
	double		 confidence;	/* percent */
	double		 threshold;	/* percent */
	char		*token;		/* serve.token */
	char		*serve_url;	/* serve.url: links in alerts; "" */
	struct kb_tree	*trees;		/* serve.trees: commit links */
	size_t		 ntrees;
	struct kb_alert_conf alert;
	char		**workload_dirs;	/* absolute */
	size_t		 nworkload_dirs;
	struct kb_worker *workers;
	size_t		 nworkers;
	struct kb_workload *workloads;
	size_t		 nworkloads;
};

/* Built-in defaults when the file says nothing. */
#define KB_CONF_CONFIDENCE	95.0
#define KB_CONF_THRESHOLD	1.0
#define KB_CONF_N		5
#define KB_CONF_WARMUP		0
#define KB_CONF_TIMEOUT		3600

/*
 * Load path, or when NULL the first of $KBENCH_CONFIG, ./kbench.conf,
 * $KBENCH_ROOT/configs/kbench.conf, and the workload files it names.
 * Returns 0, or -1 with "FILE:LINE: what was expected" in err (the
 * config is then empty, and kb_config_free is still safe).
 */
int	 kb_config_load(const char *path, struct kb_config *, char *err,
	    size_t errlen);
/*
 * The database.conninfo of the config file kb_config_load read last,
 * else of the default one, in *ci, and that file in *file; both NULL
 * when it names none (the private cluster).  -1 with "FILE:LINE: ..."
 * in err when the default file is malformed.
 */
int	 kb_config_conninfo(const char **ci, const char **file, char *err,
	    size_t errlen);
/* The path kb_config_load(NULL, ...) would read; NULL when none. */
const char *kb_config_default_path(void);
void	 kb_config_free(struct kb_config *);

const struct kb_worker	 *kb_config_worker(const struct kb_config *,
			    const char *name);
const struct kb_workload *kb_config_find_workload(const struct kb_config *,
			    const char *name);
/* Warn "no workload NAME in FILE; did you mean..., the workloads are". */
void	 kb_config_no_workload(const struct kb_config *, const char *name);
/* The recipe of workload name for os; NULL if either is unknown. */
const struct kb_recipe	 *kb_config_workload(const struct kb_config *,
			    const char *name, const char *os);

/*
 * The alert threshold of (worker, workload): the override that names
 * both, else the one that names either, else alert.threshold.
 */
double		 kb_alert_threshold(const struct kb_config *,
		    const char *worker, const char *workload);

/* This host: arch (amd64 arm64 ...), os (linux ...), online cpus. */
const char	*kb_host_arch(void);
const char	*kb_host_os(void);
int		 kb_host_ncpu(void);

#endif /* CONFIG_H */
