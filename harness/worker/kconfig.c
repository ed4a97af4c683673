/*
 * kconfig.c: a kernel's .config from tinyconfig and the config
 * fragments (see kconfig.h), and what of a fragment counts towards the
 * kernel's id.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "worker/kconfig.h"
#include "worker/krun.h"

char **
kconfig_fragments(const char *dir, size_t *n)
{
	struct dirent *de;
	char **v = NULL;
	size_t len;
	DIR *d;

	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 8 || strcmp(de->d_name + len - 7, ".config") != 0)
			continue;
		v = kb_reallocarray(v, *n + 1, sizeof(*v));
		v[(*n)++] = kb_asprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	if (*n > 0)
		qsort(v, *n, sizeof(*v), kr_cmpstr);
	return v;
}

size_t
kconfig_lines(char *buf)
{
	char *line, *next, *o = buf;
	size_t n;

	for (line = buf; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		if (strncmp(line, "CONFIG_", 7) != 0 &&
		    (strncmp(line, "# CONFIG_", 9) != 0 ||
		    strstr(line, " is not set") == NULL))
			continue;
		n = strlen(line);
		while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t' ||
		    line[n - 1] == '\r'))
			n--;
		memmove(o, line, n);
		o += n;
		*o++ = '\n';
	}
	*o = '\0';
	return (size_t)(o - buf);
}

/*
 * The symbol a fragment line sets ("CONFIG_X=..." or "# CONFIG_X is
 * not set"): *sym points at it; its length, or 0 for any other line.
 */
size_t
config_sym(const char *line, const char **sym)
{
	size_t n;

	while (*line == ' ' || *line == '\t')
		line++;
	if (strncmp(line, "# CONFIG_", 9) == 0) {
		line += 2;
		n = strcspn(line, " ");
		if (strncmp(line + n, " is not set", 11) != 0)
			return 0;
	} else if (strncmp(line, "CONFIG_", 7) == 0) {
		n = strcspn(line, "=");
		if (line[n] != '=')
			return 0;
	} else
		return 0;
	*sym = line;
	return n;
}

/* Does a line of rest (NUL-separated up to its end) set sym again? */
int
config_set_later(const char *rest, const char *sym)
{
	size_t n = strcspn(sym, "= "), m;
	const char *s, *e, *t;

	for (s = rest; *s != '\0'; s = *e != '\0' ? e + 1 : e) {
		e = s + strcspn(s, "\n");
		if ((m = config_sym(s, &t)) == n && strncmp(t, sym, n) == 0)
			return 1;
	}
	return 0;
}

/*
 * A fragment line kconfig did not keep (a dependency is missing) is
 * reported: it would silently give a different kernel.  cfg is the
 * .config olddefconfig wrote.
 */
static void
check_stuck(const char *cfg, char **frags, size_t nfrags)
{
	char *frag, *line, *next, *add, *all, *t;
	const char *sym;
	size_t i, *offs;
	int on;

	/* Every fragment's lines, in the order kconfig read them. */
	all = kb_strdup("");
	offs = kb_calloc(nfrags + 1, sizeof(*offs));
	for (i = 0; i < nfrags; i++) {
		offs[i] = strlen(all);
		if ((frag = kr_read_file(frags[i], NULL)) == NULL)
			continue;
		t = kb_asprintf("%s%s\n", all, frag);
		free(all);
		free(frag);
		all = t;
	}
	offs[nfrags] = strlen(all);
	for (i = 0, line = all; *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) == NULL)
			next = line + strlen(line);
		else
			*next++ = '\0';
		while (i + 1 < nfrags && (size_t)(line - all) >= offs[i + 1])
			i++;
		if (config_sym(line, &sym) == 0 ||
		    config_set_later(next, sym))
			continue;
		/* The last word on a symbol is the one that must hold. */
		line += strspn(line, " \t");
		on = *line == 'C';
		if (on)
			add = kb_asprintf("\n%s\n", line);
		else
			add = kb_asprintf("\n%.*s=", (int)config_sym(line,
			    &sym), sym);
		if ((strstr(cfg, add) == NULL) == on)
			kb_warnx("%s: %s did not stick (a missing "
			    "dependency?)", kr_basename(frags[i]), line);
		free(add);
	}
	free(all);
	free(offs);
}

/* The fragments, then our LOCALVERSION, after tinyconfig's .config. */
static int
append_fragments(const char *cfgpath, char **frags, size_t nfrags,
    const char *kid12)
{
	char *frag;
	size_t i;
	FILE *fp;

	if ((fp = fopen(cfgpath, "a")) == NULL) {
		kb_warn("%s", cfgpath);
		return -1;
	}
	for (i = 0; i < nfrags; i++) {
		if ((frag = kr_read_file(frags[i], NULL)) == NULL) {
			kb_warn("%s", frags[i]);
			fclose(fp);
			return -1;
		}
		fprintf(fp, "\n# %s\n%s\n", frags[i], frag);
		free(frag);
	}
	fprintf(fp, "CONFIG_LOCALVERSION=\"-kb%s\"\n"
	    "# CONFIG_LOCALVERSION_AUTO is not set\n", kid12);
	fclose(fp);
	return 0;
}

int
kconfig_make(const char *tree, const char *bdir, char **frags, size_t nfrags,
    const struct karch *ka, const char *kid12, const char *log,
    struct kr_prog *p)
{
	char *ob = kb_asprintf("O=%s", bdir);
	char *ar = kb_asprintf("ARCH=%s", ka->karch);
	/* Kconfig asks the compiler what it can do: the cross one. */
	char *cr = kb_asprintf("CROSS_COMPILE=%s", ka->cross);
	char *argv[] = { "/usr/bin/make", "-C", (char *)tree, ob, ar, cr,
	    "tinyconfig", NULL };
	char *cfgpath, *cfg;
	struct kr_out o = { NULL, 0 };
	int rc = -1;

	cfgpath = kb_asprintf("%s/.config", bdir);
	p->phase = "configure";
	if (kr_run(argv, NULL, NULL, log, &o, p) != 0) {
		kb_warnx("make tinyconfig failed:\n%s", o.buf);
		goto out;
	}
	if (append_fragments(cfgpath, frags, nfrags, kid12) != 0)
		goto out;
	argv[6] = "olddefconfig";
	o.len = 0;
	if (kr_run(argv, NULL, NULL, log, &o, p) != 0) {
		kb_warnx("make olddefconfig failed:\n%s", o.buf);
		goto out;
	}
	if ((cfg = kr_read_file(cfgpath, NULL)) == NULL)
		goto out;
	check_stuck(cfg, frags, nfrags);
	free(cfg);
	rc = 0;
out:
	free(o.buf);
	free(cfgpath);
	free(ob);
	free(ar);
	free(cr);
	return rc;
}
