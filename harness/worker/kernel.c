/*
 * kernel.c: build a kernel by its id and keep its artifacts (see
 * kernel.h); the tree is ktree.c's, the .config kconfig.c's.
 *
 * One checkout per OS ($KBENCH_HOME/src/linux) and one build directory
 * per OS and arch ($KBENCH_HOME/build/linux-amd64, linux-arm64,
 * linux-riscv64; the last two cross-built) serve every kernel, with
 * ccache under them.  A lock file serialises builds.  A --tree build
 * has its own scratch clone (ktree.c) and build directory per tree
 * ($KBENCH_HOME/build/tree-<hash>-ARCH).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/util.h"
#include "lib/hash.h"
#include "lib/spawn.h"
#include "store/db.h"
#include "worker/kcache.h"
#include "worker/kcc.h"
#include "worker/kconfig.h"
#include "store/connect.h"
#include "store/kerneldb.h"
#include "worker/kernel.h"
#include "worker/kid.h"
#include "worker/krun.h"
#include "worker/ktree.h"

void
kernel_artifact_free(struct kernel_artifact *a)
{
	free(a->dir);
	free(a->image);
	free(a->config);
	free(a->log);
	free(a->label);
	free(a->release);
	free(a->arch);
	free(a->os);
	free(a->patches);
	free(a->cc);
	free(a->tree);
	free(a->work);
	memset(a, 0, sizeof(*a));
}

/* The image's file name in kernels/<kid>/: bzImage on amd64, else Image. */
static const char *
image_name(const char *arch)
{
	const struct karch *k = arch != NULL ? kr_arch(arch) : NULL;

	return k != NULL ? k->target : "bzImage";
}

static void
set_paths(struct kernel_artifact *a)
{
	free(a->dir);
	free(a->image);
	free(a->config);
	free(a->log);
	a->dir = kb_asprintf("%s/kernels/%s", kb_home(), a->kid);
	a->image = kb_asprintf("%s/%s", a->dir, image_name(a->arch));
	a->config = kb_asprintf("%s/config", a->dir);
	a->log = kb_asprintf("%s/build.log", a->dir);
}

/* Read dir/kernel.info into a; 0, or -1 when there is no finished build. */
static int
load_info(const char *kid, struct kernel_artifact *a)
{
	char *path, *buf, *line, *next, *eq;

	path = kb_asprintf("%s/kernels/%s/kernel.info", kb_home(), kid);
	buf = kr_read_file(path, NULL);
	free(path);
	if (buf == NULL)
		return -1;
	kernel_artifact_free(a);
	for (line = buf; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((eq = strchr(line, '=')) == NULL)
			continue;
		*eq++ = '\0';
		if (strcmp(line, "kid") == 0 && strlen(eq) == 64)
			memcpy(a->kid, eq, 65);
		else if (strcmp(line, "base") == 0 && strlen(eq) == 40)
			memcpy(a->base, eq, 41);
		else if (strcmp(line, "label") == 0)
			a->label = kb_strdup(eq);
		else if (strcmp(line, "release") == 0)
			a->release = kb_strdup(eq);
		else if (strcmp(line, "arch") == 0)
			a->arch = kb_strdup(eq);
		else if (strcmp(line, "os") == 0)
			a->os = kb_strdup(eq);
		else if (strcmp(line, "patches") == 0)
			a->patches = kb_strdup(eq);
		else if (strcmp(line, "cc") == 0)
			a->cc = kb_strdup(eq);
		else if (strcmp(line, "tree") == 0)
			a->tree = kb_strdup(eq);
		else if (strcmp(line, "build_secs") == 0)
			a->build_secs = strtod(eq, NULL);
	}
	free(buf);
	if (a->kid[0] == '\0' || a->label == NULL) {
		kernel_artifact_free(a);
		return -1;
	}
	memcpy(a->kid12, a->kid, 12);
	a->kid12[12] = '\0';
	if (a->patches == NULL)
		a->patches = kb_strdup("");
	if (a->cc == NULL)
		a->cc = kb_strdup("");
	if (a->tree == NULL)
		a->tree = kb_strdup("");
	set_paths(a);
	return 0;
}

static int
save_info(const struct kernel_artifact *a, const char *dir)
{
	char *path, *s;
	int rc;

	path = kb_asprintf("%s/kernel.info", dir);
	s = kb_asprintf("kid=%s\nos=%s\narch=%s\nbase=%s\nlabel=%s\n"
	    "release=%s\npatches=%s\ncc=%s\ntree=%s\nbuild_secs=%.1f\n"
	    "image=%s\n", a->kid, a->os, a->arch, a->base, a->label,
	    a->release != NULL ? a->release : "", a->patches, a->cc, a->tree,
	    a->build_secs, image_name(a->arch));
	rc = kr_write_file(path, s);
	free(s);
	free(path);
	return rc;
}

static char *
ccache_cc(const char *ccname)
{
	if (access("/usr/bin/ccache", X_OK) == 0)
		return kb_asprintf("CC=ccache %s", ccname);
	kb_warnx("ccache not found: building without it (apt-get install "
	    "ccache)");
	return kb_asprintf("CC=%s", ccname);
}

static int
make_image(const char *tree, const char *bdir, const struct karch *ka,
    const char *ccname, int jobs, const char *log, struct kr_prog *p)
{
	char *ob = kb_asprintf("O=%s", bdir);
	char *j = kb_asprintf("-j%d", jobs);
	char *cc = ccache_cc(ccname);
	char *ar = kb_asprintf("ARCH=%s", ka->karch);
	char *cr = kb_asprintf("CROSS_COMPILE=%s", ka->cross);
	char *phase = kb_asprintf("make %s", ka->target);
	char *ccdir = kb_asprintf("CCACHE_DIR=%s/ccache", kr_cache_dir());
	char *base = kb_asprintf("CCACHE_BASEDIR=%s", tree);
	/*
	 * LOCALVERSION set (even empty) stops setlocalversion adding "+"
	 * for a git tree: the release is exactly 6.1.N-kb<kid12>.
	 */
	char *argv[] = { "/usr/bin/make", "-C", (char *)tree, ob, ar, cr,
	    cc, j, "LOCALVERSION=", (char *)ka->target, NULL };
	char *env[] = { ccdir, base, "CCACHE_NOHASHDIR=1",
	    "CCACHE_MAXSIZE=5G", "KBUILD_BUILD_USER=kbench",
	    "KBUILD_BUILD_HOST=kbench", NULL };
	struct kr_out o = { NULL, 0 };
	int rc;

	p->phase = phase;
	rc = kr_run(argv, NULL, env, log, &o, p);
	kr_prog_end(p);
	if (rc != 0) {
		const char *t = o.buf != NULL ? o.buf : "";
		size_t n = strlen(t);

		/* The last lines hold the compiler's error. */
		while (n > 0 && (t[n - 1] == '\n'))
			n--;
		for (rc = 0; n > 0 && rc < 25; n--)
			if (t[n - 1] == '\n')
				rc++;
		kb_warnx("kernel build failed; the end of %s:\n%s", log,
		    t + n);
		rc = -1;
	}
	free(o.buf);
	free(ob);
	free(j);
	free(cc);
	free(ar);
	free(cr);
	free(phase);
	free(ccdir);
	free(base);
	return rc;
}

static int
ncpu(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

/* One build's working set, from the lock to the published artifacts. */
struct kbuild {
	const struct kernel_spec *s;
	const struct karch *ka;
	char		**frags;	/* config fragments, in order */
	size_t		  nfrags;
	char		 *tree;		/* $KBENCH_HOME/src/OS, or scratch */
	char		 *bdir;		/* $KBENCH_HOME/build/OS-ARCH */
	char		 *cc;		/* the compiler's command */
	char		 *ccv;		/* its version line */
	char		 *tmp;		/* kernels/<kid>.tmp, then renamed */
	char		 *log;		/* tmp/build.log */
};

/* The arch's build, once the OS is one built here and its compiler is. */
static const struct karch *
build_arch(const struct kernel_spec *s)
{
	const struct karch *ka;
	char *gcc;
	int ok;

	if (strcmp(s->os, "linux") != 0) {
		kb_warnx("kernel build: os %s: only linux is built here; "
		    "see kernel-src/%s/README for the fetch recipe", s->os,
		    s->os);
		return NULL;
	}
	if ((ka = kr_arch(s->arch)) == NULL) {
		kb_warnx("kernel build: arch %s: expected amd64, arm64, "
		    "riscv64 or macppc", s->arch);
		return NULL;
	}
	if (*ka->cross == '\0' || s->fetch_only || s->apply_only ||
	    s->cc != NULL)
		return ka;
	gcc = kb_asprintf("/usr/bin/%sgcc", ka->cross);
	ok = access(gcc, X_OK) == 0;
	if (!ok)
		kb_warnx("kernel build: %s: no cross compiler %s (apt-get "
		    "install %s, or make deps)", s->arch, gcc, ka->cross_pkg);
	free(gcc);
	return ok ? ka : NULL;
}

/* The OS's fragments, then the arch's (config/ARCH), then the spec's. */
static char **
build_fragments(const struct kernel_spec *s, size_t *nfrags)
{
	char **frags, **afrags, *fragdir, *t;
	size_t nafrags, i;

	fragdir = kb_asprintf("%s/kernel-src/%s/config", kb_root(), s->os);
	frags = kconfig_fragments(fragdir, nfrags);
	t = kb_asprintf("%s/%s", fragdir, s->arch);
	afrags = kconfig_fragments(t, &nafrags);
	free(t);
	free(fragdir);
	for (i = 0; i < nafrags; i++) {
		frags = kb_reallocarray(frags, *nfrags + 1, sizeof(*frags));
		frags[(*nfrags)++] = afrags[i];
	}
	free(afrags);
	for (i = 0; i < s->nfragments; i++) {
		frags = kb_reallocarray(frags, *nfrags + 1, sizeof(*frags));
		frags[(*nfrags)++] = kb_strdup(s->fragments[i]);
	}
	return frags;
}

/*
 * a->kid: everything that decides what the image is (kid.h).  The
 * patches' names, space-separated, in *names.  0, or -1 when a file
 * cannot be read.
 */
static int
kernel_id(const struct kernel_spec *s, const struct kbuild *b,
    struct kernel_artifact *a, char **names)
{
	struct kid h;
	char sum[65], *buf, *t;
	size_t len, i;

	kid_init(&h, s->os, s->arch, a->base, b->ccv);
	for (i = 0; i < b->nfrags; i++) {
		if ((buf = kr_read_file(b->frags[i], &len)) == NULL) {
			kb_warn("%s", b->frags[i]);
			kid_final(&h, a->kid);
			return -1;
		}
		len = kconfig_lines(buf);
		kb_sha256_hex(buf, len, sum);
		free(buf);
		kid_fragment(&h, kr_basename(b->frags[i]), sum);
	}
	*names = kb_strdup("");
	for (i = 0; i < s->npatches; i++) {
		if ((buf = kr_read_file(s->patches[i], &len)) == NULL) {
			kb_warn("%s", s->patches[i]);
			kid_final(&h, a->kid);
			return -1;
		}
		kb_sha256_hex(buf, len, sum);
		free(buf);
		kid_patch(&h, sum);
		t = kb_asprintf("%s%s%s", *names, i ? " " : "",
		    kr_basename(s->patches[i]));
		free(*names);
		*names = t;
	}
	kid_final(&h, a->kid);
	memcpy(a->kid12, a->kid, 12);
	a->kid12[12] = '\0';
	return 0;
}

/* A new kernel's artifact: its os, arch, patches, label and paths. */
static void
name_artifact(const struct kernel_spec *s, struct kernel_artifact *a,
    char *names, const char *ccv)
{
	char *t;
	size_t i;

	a->os = kb_strdup(s->os);
	a->arch = kb_strdup(s->arch);
	a->patches = names;
	a->tree = s->tree != NULL ? realpath(s->tree, NULL) : NULL;
	if (a->tree == NULL)
		a->tree = kb_strdup(s->tree != NULL ? s->tree : "");
	a->cc = kb_strdup(ccv);
	/*
	 * amd64 kernels keep the plain label they have always had; a
	 * --tree kernel is its tree's name at its commit.
	 */
	t = s->tree != NULL ? kb_asprintf("%s-g%.12s", kr_basename(a->tree),
	    a->base) : kb_strdup("linux-6.1");
	a->label = strcmp(s->arch, "amd64") == 0 ? kb_strdup(t) :
	    kb_asprintf("%s-%s", t, s->arch);
	free(t);
	for (i = 0; i < s->npatches; i++) {
		t = kb_asprintf("%s+%s", a->label, kr_basename(s->patches[i]));
		free(a->label);
		a->label = t;
	}
	set_paths(a);
}

/* Patches, .config and make, in the locked tree. */
static int
build_steps(struct kbuild *b, struct kernel_artifact *a)
{
	const struct kernel_spec *s = b->s;
	struct kr_prog p;

	memset(&p, 0, sizeof(p));
	clock_gettime(CLOCK_MONOTONIC, &p.t0);
	p.tty = isatty(2);
	p.shown = time(NULL);
	kb_info("%s kernel %s (%s) in %s", s->apply_only ? "patching" :
	    "building", a->kid12, a->label, s->apply_only ? b->tree :
	    b->bdir);
	p.phase = "apply patches";
	kr_prog_show(&p, 1);
	if (ktree_apply(b->tree, a->base, s->patches, s->npatches, a->kid12,
	    b->log) != 0)
		return -1;
	kr_prog_end(&p);
	if (s->apply_only)
		return 0;
	if (kconfig_make(b->tree, b->bdir, b->frags, b->nfrags, b->ka,
	    a->kid12, b->log, &p) != 0)
		return -1;
	if (make_image(b->tree, b->bdir, b->ka, b->cc, s->jobs > 0 ?
	    s->jobs : ncpu(), b->log, &p) != 0)
		return -1;
	a->build_secs = kr_elapsed(&p.t0);
	return 0;
}

/* The image, .config and release into tmp; the release is checked. */
static int
build_collect(struct kbuild *b, struct kernel_artifact *a)
{
	char *t, *buf, *rel;
	int ok;

	t = kb_asprintf("%s/%s", b->bdir, b->ka->built);
	buf = kb_asprintf("%s/%s", b->tmp, b->ka->target);
	ok = kr_copy_file(t, buf) == 0;
	free(t);
	free(buf);
	t = kb_asprintf("%s/.config", b->bdir);
	buf = kb_asprintf("%s/config", b->tmp);
	ok = ok && kr_copy_file(t, buf) == 0;
	free(t);
	free(buf);
	t = kb_asprintf("%s/include/config/kernel.release", b->bdir);
	if ((rel = kr_read_file(t, NULL)) != NULL) {
		rel[strcspn(rel, "\n")] = '\0';
		a->release = rel;
	}
	free(t);
	if (!ok)
		return -1;
	if (a->release == NULL || strstr(a->release, a->kid12) == NULL) {
		kb_warnx("kernel release \"%s\" lacks -kb%s: not trusted",
		    a->release != NULL ? a->release : "", a->kid12);
		return -1;
	}
	return 0;
}

/* The rename publishes a finished build, never a partial one. */
static int
build_publish(struct kbuild *b, struct kernel_artifact *a)
{
	char *t;

	if (save_info(a, b->tmp) != 0)
		return -1;
	t = kb_asprintf("%s.old", a->dir);
	if (rename(a->dir, t) == 0) {
		char *rmv[] = { "/bin/rm", "-rf", "--", t, NULL };

		kr_run(rmv, NULL, NULL, NULL, NULL, NULL);
	}
	free(t);
	if (rename(b->tmp, a->dir) == -1) {
		kb_warn("rename %s", b->tmp);
		return -1;
	}
	kb_info("built kernel %s (%s) in %.0f s: %s, release %s", a->kid12,
	    a->label, a->build_secs, a->image, a->release);
	kcache_save(a->kid);
	return 0;
}

/* The build proper, under the tree's lock. */
static int
build_locked(struct kbuild *b, struct kernel_artifact *a)
{
	const struct kernel_spec *s = b->s;
	char *lockp;
	int lockfd, rc = -1;

	if (s->tree != NULL) {
		if ((b->tree = ktree_scratch(s->tree)) == NULL)
			return -1;
		b->bdir = kb_asprintf("%s/build/%s-%s", kb_home(),
		    kr_basename(b->tree), s->arch);
	} else {
		b->tree = kb_asprintf("%s/src/%s", kb_home(), s->os);
		b->bdir = kb_asprintf("%s/build/%s-%s", kb_home(), s->os,
		    s->arch);
	}
	lockp = kb_asprintf("%s.lock", b->tree);
	if ((lockfd = ktree_lock(lockp)) == -1)
		goto out;
	if (s->apply_only) {
		b->log = kb_asprintf("%s.log", b->tree);
		unlink(b->log);
		if (build_steps(b, a) == 0) {
			a->work = kb_strdup(b->tree);
			rc = 0;
		}
		goto out;
	}
	/* Whoever held the lock may have built this very kernel. */
	if (!s->force && load_info(a->kid, a) == 0) {
		a->cached = 1;
		kb_info("kernel %s was just built by another kbench: reusing "
		    "%s", a->kid12, a->dir);
		rc = 0;
		goto out;
	}
	b->tmp = kb_asprintf("%s.tmp", a->dir);
	if (kb_mkdirs(b->tmp, 0755) == -1 || kb_mkdirs(b->bdir, 0755) == -1)
		goto out;
	b->log = kb_asprintf("%s/build.log", b->tmp);
	unlink(b->log);
	if (build_steps(b, a) == 0 && build_collect(b, a) == 0 &&
	    build_publish(b, a) == 0)
		rc = 0;
out:
	if (rc != 0 && b->log != NULL)
		kb_warnx("build log: %s", b->log);
	if (lockfd != -1)
		close(lockfd);
	free(lockp);
	return rc;
}

/* The base commit: --tree's revision, or kbench's fetched tree. */
static int
build_base(const struct kernel_spec *s, char base[41])
{
	if (s->tree != NULL)
		return ktree_resolve(s->tree, s->rev != NULL ? s->rev : "HEAD",
		    base);
	return ktree_fetch(s->os, base);
}

int
kernel_build(const struct kernel_spec *s, struct kernel_artifact *a)
{
	struct kbuild b;
	char *names = NULL;
	int rc = -1;

	memset(a, 0, sizeof(*a));
	memset(&b, 0, sizeof(b));
	b.s = s;
	if ((b.ka = build_arch(s)) == NULL)
		return -1;
	if (build_base(s, a->base) != 0)
		return -1;
	b.cc = kcc_name(b.ka->cross, s->cc);
	if ((b.ccv = kcc_version(b.cc)) == NULL)
		goto out;
	b.frags = build_fragments(s, &b.nfrags);
	if (kernel_id(s, &b, a, &names) != 0)
		goto out;
	if (!s->force && !s->apply_only && (load_info(a->kid, a) == 0 ||
	    (!s->fetch_only && kcache_restore(a->kid) == 0 &&
	    load_info(a->kid, a) == 0))) {
		a->cached = 1;
		kb_info("kernel %s already built (%s, %.0f s): reusing %s",
		    a->kid12, a->label, a->build_secs, a->dir);
		rc = 0;
		goto out;
	}
	name_artifact(s, a, names, b.ccv);
	names = NULL;
	rc = s->fetch_only ? 0 : build_locked(&b, a);
out:
	kr_freev(b.frags, b.nfrags);
	free(names);
	free(b.tree);
	free(b.bdir);
	free(b.cc);
	free(b.ccv);
	free(b.tmp);
	free(b.log);
	return rc;
}

int
kernel_lookup(const char *key, struct kernel_artifact *a)
{
	char **v;
	size_t n, i, hits = 0;
	const char *hit = NULL;
	struct kernel_artifact t;
	int rc = -1;

	memset(a, 0, sizeof(*a));
	memset(&t, 0, sizeof(t));
	v = kernel_list(&n);
	for (i = 0; i < n; i++) {
		if (strncmp(v[i], key, strlen(key)) == 0 &&
		    strlen(key) >= 6) {
			hit = v[i];
			hits++;
		} else if (load_info(v[i], &t) == 0 &&
		    strcmp(t.label, key) == 0) {
			hit = v[i];
			hits++;
		}
		kernel_artifact_free(&t);
	}
	if (hits == 1)
		rc = load_info(hit, a);
	else if (hits == 0)
		kb_warnx("no built kernel %s (kbench kernel list)", key);
	else
		kb_warnx("%s names %zu built kernels; say more", key, hits);
	kr_freev(v, n);
	return rc;
}

char **
kernel_list(size_t *n)
{
	char *dir = kb_asprintf("%s/kernels", kb_home());
	struct dirent *de;
	char **v = NULL;
	DIR *d;

	*n = 0;
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strlen(de->d_name) != 64 ||
			    strspn(de->d_name, "0123456789abcdef") != 64)
				continue;
			v = kb_reallocarray(v, *n + 1, sizeof(*v));
			v[(*n)++] = kb_strdup(de->d_name);
		}
		closedir(d);
	}
	free(dir);
	if (*n > 0)
		qsort(v, *n, sizeof(*v), kr_cmpstr);
	return v;
}

int64_t
kernel_row(PGconn *c, const struct kernel_artifact *a)
{
	struct kerneldb_facts f;
	char *label = NULL, *kid;
	int64_t id = -1;
	int found;

	/* The label is unique: same names, other contents get the kid. */
	if ((found = kerneldb_kid(c, a->label, &kid)) == -1)
		goto out;
	if (found && strcmp(kid, a->kid) != 0)
		label = kb_asprintf("%s-kb%s", a->label, a->kid12);
	else
		label = kb_strdup(a->label);
	free(kid);
	if ((id = db_kernel_id(c, label)) == -1)
		goto out;
	f.kid = a->kid;
	f.os = a->os;
	f.revision = a->base;
	f.patches = a->patches;
	f.arch = a->arch;
	f.release = a->release;
	f.build_us = (long long)(a->build_secs * 1e6);
	if (kerneldb_set(c, id, &f) != 0) {
		id = -1;
		goto out;
	}
	kb_info("kernel row %s (id %lld)", label, (long long)id);
out:
	free(label);
	return id;
}

int
kernel_store(const struct kernel_artifact *a)
{
	PGconn *c;
	int64_t id;

	if ((c = store_connect()) == NULL)
		return -1;
	id = kernel_row(c, a);
	db_close(c);
	return id == -1 ? -1 : 0;
}
