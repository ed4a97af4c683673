/*
 * test_plotcache.c: kbench serve's plot files: one drawing for many
 * threads that want the same plot at once, all reading its bytes; a
 * failed drawing is every waiter's answer; a new version replaces the
 * old; the directory stays under its bounds; it is emptied at start
 * but for another server's drawing under way.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "lib/util.h"
#include "web/plotcache.h"

#define THREADS	12

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int draws, arrived, expect;

/*
 * Writes "drawing N" once every thread expected has come to ask, and
 * a while after, so that they all ask while it draws.
 */
static int
draw(void *arg, const char *path)
{
	FILE *fp;
	int n;

	pthread_mutex_lock(&mu);
	n = ++draws;
	while (arrived < expect)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	usleep(300000);
	if (arg != NULL)
		return *(int *)arg;
	if ((fp = fopen(path, "w")) == NULL)
		return -1;
	fprintf(fp, "drawing %d\n", n);
	return fclose(fp) == 0 ? 0 : -1;
}

static char *
tmpdir(void)
{
	char *d = kb_strdup("/tmp/kbench-pc.XXXXXX");

	assert_non_null(mkdtemp(d));
	return d;
}

static void
rmdir_all(const char *d)
{
	struct dirent *de;
	DIR *dp;
	char *p;

	assert_non_null(dp = opendir(d));
	while ((de = readdir(dp)) != NULL) {
		if (*de->d_name == '.' && (de->d_name[1] == '\0' ||
		    strcmp(de->d_name, "..") == 0))
			continue;
		p = kb_asprintf("%s/%s", d, de->d_name);
		unlink(p);
		free(p);
	}
	closedir(dp);
	rmdir(d);
}

/* Create or touch d/name, its time t (seconds since 1970) or now. */
static void
touch(const char *d, const char *name, time_t t)
{
	struct timespec ts[2] = { { t, 0 }, { t, 0 } };
	char *p = kb_asprintf("%s/%s", d, name);

	assert_int_equal(close(open(p, O_CREAT | O_WRONLY, 0644)), 0);
	if (t != 0)
		assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
	free(p);
}

static int
nfiles(const char *d)
{
	struct dirent *de;
	DIR *dp;
	int n = 0;

	assert_non_null(dp = opendir(d));
	while ((de = readdir(dp)) != NULL)
		n += *de->d_name != '.';
	closedir(dp);
	return n;
}

static void
slurp(int fd, char *buf, size_t len)
{
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, len - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	close(fd);
}

struct req {
	struct plotcache *pc;
	int		 *fail;
	int		  fd, rc;
};

static void *
ask(void *arg)
{
	struct req *r = arg;

	pthread_mutex_lock(&mu);
	arrived++;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	r->fd = pc_get(r->pc, "plot-compare-1-1-1-2.svg", "v1", draw,
	    r->fail, &r->rc);
	return NULL;
}

/* THREADS at once: the results of their requests. */
static void
many(struct plotcache *pc, int *fail, struct req *r)
{
	pthread_t t[THREADS];
	int i;

	draws = arrived = 0;
	expect = THREADS;
	for (i = 0; i < THREADS; i++) {
		r[i].pc = pc;
		r[i].fail = fail;
		assert_int_equal(pthread_create(&t[i], NULL, ask, &r[i]), 0);
	}
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
}

static void
test_once(void **state)
{
	struct pc_limits lim = { 1 << 20, 100, 2 };
	struct req r[THREADS];
	struct plotcache *pc;
	char *d = tmpdir(), buf[64];
	int i, one = 1;

	(void)state;
	pc = pc_open(d, &lim);
	/* No such plot: one drawing, every waiter told so. */
	many(pc, &one, r);
	assert_int_equal(draws, 1);
	for (i = 0; i < THREADS; i++) {
		assert_int_equal(r[i].fd, -1);
		assert_int_equal(r[i].rc, 1);
	}
	/* Then drawn once for all, the same bytes. */
	many(pc, NULL, r);
	assert_int_equal(draws, 1);
	for (i = 0; i < THREADS; i++) {
		assert_int_equal(r[i].rc, 0);
		slurp(r[i].fd, buf, sizeof(buf));
		assert_string_equal(buf, "drawing 1\n");
	}
	/* Asked again: the file, no drawing. */
	slurp(pc_get(pc, "plot-compare-1-1-1-2.svg", "v1", draw, NULL,
	    &i), buf, sizeof(buf));
	assert_int_equal(draws, 1);
	/* A new version: drawn, and the old one gone. */
	slurp(pc_get(pc, "plot-compare-1-1-1-2.svg", "v2", draw, NULL,
	    &i), buf, sizeof(buf));
	assert_string_equal(buf, "drawing 2\n");
	assert_int_equal(nfiles(d), 1);
	pc_close(pc);
	rmdir_all(d);
	free(d);
}

static void
test_bounds(void **state)
{
	struct pc_limits lim = { 1 << 20, 3, 1 };
	struct plotcache *pc;
	char *d = tmpdir(), *p, name[64], buf[64];
	int i, rc, fd;

	(void)state;
	/* Left from before: a plot, a drawing under way, a dead one. */
	touch(d, "plot-old.svg.v", 0);
	touch(d, ".tmp-1-0-plot-x.svg.v", 0);
	touch(d, ".tmp-1-1-plot-y.svg.v", 1000);
	pc = pc_open(d, &lim);
	/* Only the young temporary file is left. */
	assert_int_equal(nfiles(d), 0);
	p = kb_asprintf("%s/.tmp-1-0-plot-x.svg.v", d);
	assert_int_equal(access(p, F_OK), 0);
	unlink(p);
	free(p);
	p = kb_asprintf("%s/.tmp-1-1-plot-y.svg.v", d);
	assert_int_equal(access(p, F_OK), -1);
	free(p);
	/* Five plots, three files kept: the most recently used. */
	expect = 0;
	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "plot-history-1-%d-real.svg", i);
		fd = pc_get(pc, name, "v", draw, NULL, &rc);
		slurp(fd, buf, sizeof(buf));
		snprintf(name, sizeof(name), "plot-history-1-%d-real.svg.v",
		    i);
		touch(d, name, 1000 + i);	/* used in this order */
	}
	assert_int_equal(nfiles(d), 3);
	p = kb_asprintf("%s/plot-history-1-4-real.svg.v", d);
	assert_int_equal(access(p, F_OK), 0);
	free(p);
	p = kb_asprintf("%s/plot-history-1-0-real.svg.v", d);
	assert_int_equal(access(p, F_OK), -1);
	free(p);
	pc_close(pc);
	rmdir_all(d);
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_once),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
