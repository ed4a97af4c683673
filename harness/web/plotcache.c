/*
 * plotcache.c: drawn plots as files, one drawing per plot at a time.
 *
 * Everything below runs under pc->mu but the drawing itself and the
 * rename that publishes it.  A job is a drawing under way: the threads
 * that want the same file hold a reference and sleep on pc->cv until
 * it is done, then read its result.  A done job leaves the list at
 * once, so a later request never waits on it.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/util.h"
#include "web/plotcache.h"

#define TMP_PREFIX	".tmp-"
#define TMP_STALE	600	/* seconds: another server's drawing died */

struct job {
	char		*key;
	int		 done, rc, refs;
	struct job	*next;
};

struct plotcache {
	char		*dir;
	struct pc_limits lim;
	int		 ndraws;
	unsigned long	 seq;
	struct job	*jobs;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
};

struct entry {
	char	*name;
	int64_t	 size;
	time_t	 used;
};

static int
by_use(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return (x->used > y->used) - (x->used < y->used);
}

/* f is another version of the plot whose file is keep (NAME.VERSION). */
static int
older(const char *f, const char *keep)
{
	const char *dot = strrchr(keep, '.');
	size_t n = (size_t)(dot - keep) + 1;

	return strcmp(f, keep) != 0 && strncmp(f, keep, n) == 0 &&
	    strchr(f + n, '.') == NULL;
}

/*
 * Read the directory and delete: temporary files when stale; with
 * all, every plot; else the other versions of keep (a file name), and
 * the least recently used while over the bounds, never keep.
 */
static void
clean(struct plotcache *pc, int all, const char *keep)
{
	struct entry *v = NULL;
	struct dirent *de;
	struct stat st;
	DIR *d;
	char *p, *base;
	size_t n = 0, i;
	int64_t total = 0;
	time_t now = time(NULL);

	if ((d = opendir(pc->dir)) == NULL) {
		kb_warn("%s", pc->dir);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		p = kb_asprintf("%s/%s", pc->dir, de->d_name);
		if (lstat(p, &st) == -1 || !S_ISREG(st.st_mode))
			free(p);
		else if (strncmp(de->d_name, TMP_PREFIX,
		    strlen(TMP_PREFIX)) == 0) {
			if (now - st.st_mtime > TMP_STALE)
				unlink(p);
			free(p);
		} else if (all || (keep != NULL && older(de->d_name, keep))) {
			unlink(p);
			free(p);
		} else {
			v = kb_reallocarray(v, n + 1, sizeof(*v));
			v[n].name = p;
			v[n].size = (int64_t)st.st_size;
			v[n++].used = st.st_mtime;
			total += (int64_t)st.st_size;
		}
	}
	closedir(d);
	if (n > 0)
		qsort(v, n, sizeof(*v), by_use);
	for (i = 0; i < n; i++) {
		base = strrchr(v[i].name, '/') + 1;
		if ((total > pc->lim.max_bytes ||
		    (int64_t)(n - i) > pc->lim.max_files) &&
		    (keep == NULL || strcmp(base, keep) != 0) &&
		    unlink(v[i].name) == 0)
			total -= v[i].size;
		free(v[i].name);
	}
	free(v);
}

struct plotcache *
pc_open(const char *dir, const struct pc_limits *lim)
{
	struct plotcache *pc;

	pc = kb_calloc(1, sizeof(*pc));
	pc->dir = kb_strdup(dir);
	pc->lim = *lim;
	if (pc->lim.max_draws < 1)
		pc->lim.max_draws = 1;
	pthread_mutex_init(&pc->mu, NULL);
	pthread_cond_init(&pc->cv, NULL);
	/* Another kbench's plots, or ours from before an upgrade: gone. */
	clean(pc, 1, NULL);
	return pc;
}

void
pc_close(struct plotcache *pc)
{
	if (pc == NULL)
		return;
	pthread_mutex_destroy(&pc->mu);
	pthread_cond_destroy(&pc->cv);
	free(pc->dir);
	free(pc);
}

/* The file of this version, marked as just used; -1 when not there. */
static int
open_hit(const char *path)
{
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	(void)futimens(fd, NULL);
	return fd;
}

static struct job *
find(struct plotcache *pc, const char *key)
{
	struct job *j;

	for (j = pc->jobs; j != NULL; j = j->next)
		if (strcmp(j->key, key) == 0)
			return j;
	return NULL;
}

static void
unref(struct job *j)
{
	if (--j->refs == 0) {
		free(j->key);
		free(j);
	}
}

/* A done job leaves the list; its waiters still hold it. */
static void
finish(struct plotcache *pc, struct job *j, int rc)
{
	struct job **jp;

	for (jp = &pc->jobs; *jp != j; jp = &(*jp)->next)
		;
	*jp = j->next;
	j->done = 1;
	j->rc = rc;
	pc->ndraws--;
	pthread_cond_broadcast(&pc->cv);
	unref(j);
}

/* Called and returns with pc->mu held; unlocks it while drawing. */
static int
draw_one(struct plotcache *pc, const char *key, const char *path,
    int (*draw)(void *, const char *), void *arg, int *rc)
{
	struct job *j;
	char *tmp;
	int r, fd = -1;

	j = kb_calloc(1, sizeof(*j));
	j->key = kb_strdup(key);
	j->refs = 1;
	j->next = pc->jobs;
	pc->jobs = j;
	pc->ndraws++;
	tmp = kb_asprintf("%s/" TMP_PREFIX "%ld-%lu-%s", pc->dir,
	    (long)getpid(), pc->seq++, key);
	pthread_mutex_unlock(&pc->mu);
	if ((r = draw(arg, tmp)) == 0 && rename(tmp, path) == -1) {
		kb_warn("%s", path);
		r = -1;
	}
	if (r != 0)
		unlink(tmp);
	free(tmp);
	pthread_mutex_lock(&pc->mu);
	if (r == 0 && (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		kb_warn("%s", path);
		r = -1;
	}
	finish(pc, j, r);
	if (r == 0)
		clean(pc, 0, key);
	*rc = r;
	return fd;
}

int
pc_get(struct plotcache *pc, const char *name, const char *version,
    int (*draw)(void *, const char *), void *arg, int *rc)
{
	struct job *j;
	char *key, *path;
	int fd;

	key = kb_asprintf("%s.%s", name, version);
	path = kb_asprintf("%s/%s", pc->dir, key);
	*rc = 0;
	pthread_mutex_lock(&pc->mu);
	for (;;) {
		if ((fd = open_hit(path)) != -1)
			break;
		if ((j = find(pc, key)) != NULL) {
			/* Drawn by another thread now: the same file. */
			j->refs++;
			while (!j->done)
				pthread_cond_wait(&pc->cv, &pc->mu);
			*rc = j->rc;
			unref(j);
			if (*rc != 0)
				break;
			continue;
		}
		if (pc->ndraws < pc->lim.max_draws) {
			fd = draw_one(pc, key, path, draw, arg, rc);
			break;
		}
		pthread_cond_wait(&pc->cv, &pc->mu);
	}
	pthread_mutex_unlock(&pc->mu);
	free(key);
	free(path);
	return fd;
}
