/*
 * kcc.c: the kernel's compiler and its version string (see kcc.h).
 */
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "lib/spawn.h"
#include "worker/kcc.h"

char *
kcc_name(const char *cross, const char *cc)
{
	if (cc != NULL && *cc != '\0')
		return kb_strdup(cc);
	return kb_asprintf("%sgcc", cross != NULL ? cross : "");
}

char *
kcc_first_line(const char *s)
{
	size_t n;

	if (s == NULL)
		return NULL;
	n = strcspn(s, "\n");
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r'))
		n--;
	if (n == 0)
		return NULL;
	return kb_asprintf("%.*s", (int)n, s);
}

char *
kcc_version(const char *cc)
{
	char *argv[] = { (char *)cc, "--version", NULL };
	char *out = NULL, *v;
	int st;

	st = spawn(argv, NULL, &out, -1, NULL);
	v = st == 0 ? kcc_first_line(out) : NULL;
	free(out);
	if (v == NULL)
		kb_warnx("compiler %s: `%s --version` %s", cc, cc, st == 0 ?
		    "printed nothing" : "failed (is it installed?)");
	return v;
}
