/*
 * agentcmd.c: build kbench-agent's command line.  Options go as
 * separate words ("-n" "5"): the agent takes both that and "-n5", and
 * the sh(1) form reads the same as the argv.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "lib/spawn.h"
#include "format/agentcmd.h"

#define AGENT_MAX_OPTS	24	/* every option and the shell words */

static void
opt(char **v, size_t *n, const char *flag, const char *val)
{
	if (val == NULL || *val == '\0')
		return;
	v[(*n)++] = kb_strdup(flag);
	v[(*n)++] = kb_strdup(val);
}

char **
agent_argv(const struct agent_cmd *c)
{
	size_t n = 0, i;
	char **v;

	for (i = 0; c->shell == NULL && c->cmdv != NULL &&
	    c->cmdv[i] != NULL; i++)
		;
	v = kb_calloc(AGENT_MAX_OPTS + i + 1, sizeof(*v));
	v[n++] = kb_strdup(c->agent);
	v[n++] = kb_strdup("-n");
	v[n++] = kb_asprintf("%ld", c->n);
	v[n++] = kb_strdup("-w");
	v[n++] = kb_asprintf("%ld", c->warmup);
	if (c->timeout > 0) {
		v[n++] = kb_strdup("-t");
		v[n++] = kb_asprintf("%ld", c->timeout);
	}
	opt(v, &n, "-C", c->dir);
	opt(v, &n, "-s", c->setup);
	opt(v, &n, "-c", c->cleanup);
	opt(v, &n, "-o", c->log);
	if (c->insn)
		v[n++] = kb_strdup("-i");
	v[n++] = kb_strdup("--");
	if (c->shell != NULL) {
		v[n++] = kb_strdup("/bin/sh");
		v[n++] = kb_strdup("-c");
		v[n++] = kb_strdup(c->shell);
	} else
		for (i = 0; c->cmdv != NULL && c->cmdv[i] != NULL; i++)
			v[n++] = kb_strdup(c->cmdv[i]);
	v[n] = NULL;
	return v;
}

void
agent_argv_free(char **v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* A word as sh(1) reads it back: bare when nothing in it is special. */
static char *
word(const char *s)
{
	static const char safe[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789/._+-=:@%,";

	if (*s != '\0' && strspn(s, safe) == strlen(s))
		return kb_strdup(s);
	return sh_quote(s);
}

char *
agent_cmdline(const struct agent_cmd *c)
{
	char **v, *line, *w, *t;
	size_t i;

	v = agent_argv(c);
	line = kb_strdup(v[0]);
	for (i = 1; v[i] != NULL; i++) {
		w = word(v[i]);
		t = kb_asprintf("%s %s", line, w);
		free(w);
		free(line);
		line = t;
	}
	agent_argv_free(v);
	return line;
}
