/*
 * krun.h: what the kernel build's steps (kernel.c, ktree.c, kconfig.c)
 * share: the arches a kernel is built for, running a child with its
 * output logged, kept and shown as a progress line, and whole files.
 */
#ifndef KRUN_H
#define KRUN_H

#include <stddef.h>
#include <time.h>

#define TAIL_MAX	(64 * 1024)

/*
 * What each arch is built as: kbuild's ARCH, the cross toolchain's
 * prefix ("" natively), the make target and where it lands in the build
 * directory, and the name the artifact keeps in kernels/<kid>/.
 */
struct karch {
	const char	*arch;		/* ours: amd64 arm64 riscv64 */
	const char	*karch;		/* kbuild's ARCH= */
	const char	*cross;		/* CROSS_COMPILE= */
	const char	*cross_pkg;	/* Debian package of the compiler */
	const char	*target;	/* make target */
	const char	*built;		/* the target, in the build dir */
};

/* What a child printed: kept whole up to TAIL_MAX, then its tail. */
struct kr_out {
	char	*buf;
	size_t	 len;
};

/* How a long step shows it is alive. */
struct kr_prog {
	const char	*phase;
	struct timespec	 t0;
	time_t		 shown;
	char		 last[160];
	int		 tty;
};

/* The arch's build, or NULL when there is none for it. */
const struct karch *kr_arch(const char *);

double	 kr_elapsed(const struct timespec *);

/* The progress line: now if force, else when it is due. */
void	 kr_prog_show(struct kr_prog *, int force);
void	 kr_prog_end(struct kr_prog *);

/*
 * Run argv (no shell) in dir with env additions; stdout and stderr go
 * to log (appended, unless NULL) and into o; each output line updates
 * the progress line.  Returns the exit status, 128+signal, or -1.
 */
int	 kr_run(char *const argv[], const char *dir, char *const *envadd,
	    const char *log, struct kr_out *o, struct kr_prog *p);

/* A whole file, NUL-terminated, its length in *lenp; NULL if unread. */
char	*kr_read_file(const char *path, size_t *lenp);
int	 kr_write_file(const char *path, const char *s);
int	 kr_copy_file(const char *from, const char *to);

/* ccache's and the tree fetcher's cache: $KBENCH_CACHE or XDG's. */
const char *kr_cache_dir(void);
const char *kr_basename(const char *);
int	 kr_cmpstr(const void *, const void *);	/* for qsort of char * */
void	 kr_freev(char **, size_t);

#endif /* KRUN_H */
