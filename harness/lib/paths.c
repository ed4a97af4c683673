/*
 * paths.c: kb_home() and kb_root(), see paths.h.  Make compiles this
 * file alone a second time, with KB_DATADIR, for the kbench it installs,
 * so that bin/kbench in the tree keeps using the checkout.
 */
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/paths.h"
#include "lib/util.h"

static const char *home_origin, *root_origin;

static char *
absolute(const char *p)
{
	char cwd[PATH_MAX];

	if (p[0] == '/')
		return kb_strdup(p);
	if (getcwd(cwd, sizeof(cwd)) == NULL) {
		kb_warn("getcwd");
		exit(KB_EXIT_ERR);
	}
	if (strcmp(p, ".") == 0)
		return kb_strdup(cwd);
	if (strncmp(p, "./", 2) == 0)
		p += 2;
	return kb_asprintf("%s/%s", cwd, p);
}

static const char *
env(const char *name)
{
	const char *e;

	e = getenv(name);
	return e != NULL && *e != '\0' ? e : NULL;
}

#ifdef KB_DATADIR
/*
 * One place per user, whatever the working directory: the XDG data
 * directory.  A relative XDG_DATA_HOME is to be ignored (XDG spec).
 */
static char *
user_home(void)
{
	struct passwd *pw;
	const char *e;

	if ((e = env("XDG_DATA_HOME")) != NULL && e[0] == '/') {
		home_origin = "$XDG_DATA_HOME/kbench";
		return kb_asprintf("%s/kbench", e);
	}
	home_origin = "~/.local/share/kbench";
	if ((e = env("HOME")) != NULL)
		return kb_asprintf("%s/.local/share/kbench", e);
	if ((pw = getpwuid(getuid())) != NULL && pw->pw_dir[0] == '/')
		return kb_asprintf("%s/.local/share/kbench", pw->pw_dir);
	kb_warnx("no home directory: set KBENCH_HOME");
	exit(KB_EXIT_ERR);
}
#endif

const char *
kb_home(void)
{
	static char *home;
	const char *e;

	if (home != NULL)
		return home;
	if ((e = env("KBENCH_HOME")) != NULL) {
		home_origin = "KBENCH_HOME";
		home = absolute(e);
	} else {
#ifdef KB_DATADIR
		home = user_home();
#else
		home_origin = "the checkout's var/";
		home = kb_strdup(KB_ROOT "/var");
#endif
	}
	return home;
}

const char *
kb_root(void)
{
	static char *root;
	const char *e;

	if (root != NULL)
		return root;
	if ((e = env("KBENCH_ROOT")) != NULL) {
		root_origin = "KBENCH_ROOT";
		root = absolute(e);
	} else {
#ifdef KB_DATADIR
		root_origin = "installed";
		root = kb_strdup(KB_DATADIR);
#else
		root_origin = "the checkout";
		root = kb_strdup(KB_ROOT);
#endif
	}
	return root;
}

const char *
kb_home_origin(void)
{
	kb_home();
	return home_origin;
}

const char *
kb_root_origin(void)
{
	kb_root();
	return root_origin;
}
