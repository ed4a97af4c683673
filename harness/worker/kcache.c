/*
 * kcache.c: finished kernels shared through the machine's cache.
 *
 * A kernel id names everything that decides the image (kernel.h): the
 * tree's commit, every config fragment, every patch.  So a kernel kept
 * under its id in $KBENCH_CACHE/kernels is that kernel, whichever home
 * built it, and a fresh clone, a test's private home or a second
 * checkout boots it instead of building it again (an incremental
 * build in a fresh build directory is a whole build).  Copies go to a
 * temporary name first and are renamed into place, so a reader never
 * sees half a kernel and two writers never mix theirs.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/util.h"
#include "worker/kcache.h"
#include "worker/krun.h"

/* cp -R from to, into a temporary name beside to, then rename it in. */
static int
copy_dir(const char *from, const char *to)
{
	char *tmp, *cp[] = { "/bin/cp", "-R", "--", NULL, NULL, NULL };
	char *rm[] = { "/bin/rm", "-rf", "--", NULL, NULL };
	int rc = -1;

	tmp = kb_asprintf("%s.tmp.%ld", to, (long)getpid());
	cp[3] = (char *)from;
	cp[4] = tmp;
	if (kr_run(cp, NULL, NULL, NULL, NULL, NULL) == 0 &&
	    rename(tmp, to) == 0)
		rc = 0;
	rm[3] = tmp;
	if (rc != 0)
		kr_run(rm, NULL, NULL, NULL, NULL, NULL);
	free(tmp);
	return rc;
}

static int
has_kernel(const char *dir)
{
	char *info = kb_asprintf("%s/kernel.info", dir);
	int ok = access(info, R_OK) == 0;

	free(info);
	return ok;
}

int
kcache_restore(const char *kid)
{
	char *from, *to, *kdir;
	int rc = -1;

	from = kb_asprintf("%s/kernels/%s", kr_cache_dir(), kid);
	kdir = kb_asprintf("%s/kernels", kb_home());
	to = kb_asprintf("%s/%s", kdir, kid);
	if (has_kernel(from) && kb_mkdirs(kdir, 0755) == 0 &&
	    copy_dir(from, to) == 0) {
		kb_info("kernel %.12s: copied from the machine's cache (%s)",
		    kid, from);
		rc = 0;
	}
	free(from);
	free(to);
	free(kdir);
	return rc;
}

void
kcache_save(const char *kid)
{
	char *from, *to, *cdir;

	cdir = kb_asprintf("%s/kernels", kr_cache_dir());
	from = kb_asprintf("%s/kernels/%s", kb_home(), kid);
	to = kb_asprintf("%s/%s", cdir, kid);
	if (!has_kernel(to) && kb_mkdirs(cdir, 0755) == 0 &&
	    copy_dir(from, to) != 0)
		kb_warnx("kernel %.12s: not kept in %s (no room?)", kid, cdir);
	free(from);
	free(to);
	free(cdir);
}
