/*
 * ktree.c: the kernel source tree (see ktree.h): fetched by
 * kernel-src/OS/fetch.sh, locked while a build uses it, and a branch
 * per kernel with its patches as commits.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/util.h"
#include "lib/hash.h"
#include "format/mail.h"
#include "worker/krun.h"
#include "worker/ktree.h"

/*
 * The patch failed: print its name and git's account of the hunk
 * ("error: patch failed: mm/filemap.c:123" and the context it looked
 * for), not the whole log.
 */
static void
patch_error(const char *patch, const struct kr_out *o)
{
	const char *s, *e;
	int ctx = 0, shown = 0;

	kb_warnx("patch %s does not apply to the base tree:", patch);
	for (s = o->buf; s != NULL && *s != '\0'; s = *e ? e + 1 : e) {
		e = s + strcspn(s, "\n");
		if (strncmp(s, "error:", 6) == 0 ||
		    strncmp(s, "Patch failed", 12) == 0 ||
		    strncmp(s, "Hunk #", 6) == 0) {
			fprintf(stderr, "    %.*s\n", (int)(e - s), s);
			ctx = strstr(s, "while searching for") != NULL &&
			    (size_t)(e - s) < 80 ? 8 : 0;
			shown++;
		} else if (ctx > 0) {
			fprintf(stderr, "      | %.*s\n", (int)(e - s), s);
			ctx--;
		}
	}
	if (shown == 0 && o->buf != NULL)
		fprintf(stderr, "%s\n", o->buf);
}

static char *const git_ident[] = {
	"GIT_AUTHOR_NAME=kbench", "GIT_AUTHOR_EMAIL=kbench@localhost",
	"GIT_COMMITTER_NAME=kbench", "GIT_COMMITTER_EMAIL=kbench@localhost",
	"GIT_AUTHOR_DATE=2000-01-01T00:00:00Z",
	"GIT_COMMITTER_DATE=2000-01-01T00:00:00Z", NULL
};

static int
git(const char *tree, const char *log, struct kr_out *o, const char *a1,
    const char *a2, const char *a3, const char *a4, const char *a5)
{
	char *argv[] = { "/usr/bin/git", "-C", (char *)tree, "-c",
	    "gc.auto=0", (char *)a1, (char *)a2, (char *)a3, (char *)a4,
	    (char *)a5, NULL };

	return kr_run(argv, NULL, git_ident, log, o, NULL);
}

/* One patch, a commit on the branch; 0, or -1 with the reason printed. */
static int
apply_one(const char *tree, const char *patch, const char *log,
    struct kr_out *o)
{
	char *abs, *buf, *msg = NULL;
	int rc = -1;

	if ((abs = realpath(patch, NULL)) == NULL) {
		kb_warn("%s", patch);
		return -1;
	}
	if ((buf = kr_read_file(abs, NULL)) == NULL) {
		kb_warn("%s", abs);
		free(abs);
		return -1;
	}
	o->len = 0;
	if (patch_is_mail(buf)) {
		if (git(tree, log, o, "am", "-q", "--keep-cr", abs,
		    NULL) != 0) {
			patch_error(patch, o);
			git(tree, log, NULL, "am", "--abort", NULL, NULL,
			    NULL);
			goto out;
		}
	} else {
		msg = kb_asprintf("kbench: %s", kr_basename(patch));
		if (git(tree, log, o, "apply", "-v", "--index", abs,
		    NULL) != 0) {
			patch_error(patch, o);
			git(tree, log, NULL, "reset", "-q", "--hard", NULL,
			    NULL);
			goto out;
		}
		if (git(tree, log, o, "commit", "-q", "--no-verify", "-m",
		    msg) != 0) {
			kb_warnx("git commit of %s failed:\n%s", patch,
			    o->buf);
			goto out;
		}
	}
	rc = 0;
out:
	free(msg);
	free(buf);
	free(abs);
	return rc;
}

int
ktree_apply(const char *tree, const char *base, char *const *patches,
    size_t npatches, const char *kid12, const char *log)
{
	struct kr_out o = { NULL, 0 };
	char *branch, *ramdir;
	struct stat sb;
	size_t i;
	int rc = -1;

	branch = kb_asprintf("kb/%s", kid12);
	/* A git am that died half-way would block every later one. */
	ramdir = kb_asprintf("%s/.git/rebase-apply", tree);
	if (stat(ramdir, &sb) == 0)
		git(tree, log, NULL, "am", "--abort", NULL, NULL, NULL);
	free(ramdir);
	if (git(tree, log, &o, "checkout", "-q", "-f", "-B", branch) != 0) {
		kb_warnx("git checkout in %s failed:\n%s", tree, o.buf);
		goto out;
	}
	o.len = 0;
	if (git(tree, log, &o, "reset", "-q", "--hard", base, NULL) != 0) {
		kb_warnx("git reset in %s failed:\n%s", tree, o.buf);
		goto out;
	}
	for (i = 0; i < npatches; i++)
		if (apply_one(tree, patches[i], log, &o) != 0)
			goto out;
	rc = 0;
out:
	free(o.buf);
	free(branch);
	return rc;
}

int
ktree_fetch(const char *os, char base[41])
{
	char *script = kb_asprintf("%s/kernel-src/%s/fetch.sh", kb_root(), os);
	char *home = kb_asprintf("KBENCH_HOME=%s", kb_home());
	char *root = kb_asprintf("KBENCH_ROOT=%s", kb_root());
	char *cache = kb_asprintf("KBENCH_CACHE=%s", kr_cache_dir());
	char *argv[] = { "/bin/sh", script, NULL };
	char *env[] = { home, root, cache, NULL };
	struct kr_out o = { NULL, 0 };
	struct kr_prog p = { "fetch tree", { 0, 0 }, 0, "", 0 };
	const char *s;
	size_t n;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &p.t0);
	p.tty = isatty(2);
	p.shown = time(NULL);
	rc = kr_run(argv, NULL, env, NULL, &o, &p);
	kr_prog_end(&p);
	/* The commit id is the last line. */
	s = o.buf != NULL ? o.buf : "";
	n = strlen(s);
	while (n > 0 && s[n - 1] == '\n')
		n--;
	if (rc == 0 && n >= 40) {
		memcpy(base, s + n - 40, 40);
		base[40] = '\0';
		if (strspn(base, "0123456789abcdef") != 40)
			rc = -1;
	} else
		rc = -1;
	if (rc != 0)
		kb_warnx("%s failed:\n%s", script, s);
	free(o.buf);
	free(script);
	free(home);
	free(root);
	free(cache);
	return rc;
}

int
ktree_resolve(const char *dir, const char *rev, char base[41])
{
	struct kr_out o = { NULL, 0 };
	char *spec;
	size_t n;
	int rc;

	spec = kb_asprintf("%s^{commit}", rev);
	rc = git(dir, NULL, &o, "rev-parse", "--verify", "--quiet", spec,
	    NULL);
	n = o.buf != NULL ? strcspn(o.buf, "\n") : 0;
	if (rc == 0 && n == 40 && strspn(o.buf, "0123456789abcdef") == 40) {
		memcpy(base, o.buf, 40);
		base[40] = '\0';
	} else {
		kb_warnx("--tree %s: no commit %s there (is it a git tree?)",
		    dir, rev);
		rc = -1;
	}
	free(o.buf);
	free(spec);
	return rc;
}

char *
ktree_scratch(const char *dir)
{
	struct kr_out o = { NULL, 0 };
	char *abs, *path, *gitdir, h[65];
	struct stat sb;

	if ((abs = realpath(dir, NULL)) == NULL) {
		kb_warn("--tree %s", dir);
		return NULL;
	}
	kb_sha256_hex(abs, strlen(abs), h);
	path = kb_asprintf("%s/src/tree-%.12s", kb_home(), h);
	gitdir = kb_asprintf("%s/.git", path);
	if (stat(gitdir, &sb) == -1) {
		char *argv[] = { "/usr/bin/git", "clone", "-q", "--shared",
		    "--no-checkout", abs, path, NULL };
		char *src = kb_asprintf("%s/src", kb_home());

		kb_info("scratch clone of %s in %s (git clone --shared)", abs,
		    path);
		if (kb_mkdirs(src, 0755) == -1 ||
		    kr_run(argv, NULL, git_ident, NULL, &o, NULL) != 0) {
			kb_warnx("git clone --shared %s %s failed:\n%s", abs,
			    path, o.buf != NULL ? o.buf : "");
			free(path);
			path = NULL;
		}
		free(src);
	}
	free(o.buf);
	free(gitdir);
	free(abs);
	return path;
}

int
ktree_lock(const char *path)
{
	int fd;

	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) == -1) {
		kb_warn("%s", path);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		kb_info("waiting for another kernel build (%s)", path);
		if (flock(fd, LOCK_EX) == -1) {
			kb_warn("flock %s", path);
			close(fd);
			return -1;
		}
	}
	return fd;
}
