/*
 * qemuinsn.c: read kbench-insn.so's counts while the guest runs.  The
 * plugin writes a line at the end mark of each repetition, before the
 * agent prints its sample, so by the time the sample is delivered its
 * line is in the file; a line the plugin has not finished is left for
 * the next read.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"
#include "worker/qemuinsn.h"

char *
qemu_insn_plugin(void)
{
	char *p = kb_asprintf("%s/bin/kbench-insn.so", kb_root());

	if (access(p, R_OK) == 0)
		return p;
	free(p);
	return NULL;
}

char *
qemu_insn_start(struct qemu_insn *qi, const char *plugin, const char *dir,
    long total, int vcpus)
{
	long i;

	memset(qi, 0, sizeof(*qi));
	insnlog_init(&qi->il);
	qi->path = kb_asprintf("%s/insn.log", dir);
	unlink(qi->path);
	qi->total = total;
	qi->kern = kb_calloc((size_t)total + 1, sizeof(*qi->kern));
	qi->user = kb_calloc((size_t)total + 1, sizeof(*qi->user));
	for (i = 0; i <= total; i++)
		qi->kern[i] = qi->user[i] = KB_NONE;
	return kb_asprintf("%s,out=%s,mode=%s", plugin, qi->path,
	    vcpus > 1 ? "cb" : "inline");
}

/* Every whole line written since the last read. */
static void
poll_lines(struct qemu_insn *qi)
{
	struct insn_count c;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long at;

	if (qi->fp == NULL && (qi->fp = fopen(qi->path, "r")) == NULL)
		return;
	for (;;) {
		at = ftell(qi->fp);
		if ((n = getline(&line, &cap, qi->fp)) <= 0)
			break;
		if (line[n - 1] != '\n') {
			fseek(qi->fp, at, SEEK_SET);	/* not finished */
			break;
		}
		if (insnlog_feed(&qi->il, line, (size_t)n - 1, &c) == 0 &&
		    c.seq <= qi->total) {
			qi->kern[c.seq] = c.kernel;
			qi->user[c.seq] = c.user;
		}
	}
	clearerr(qi->fp);
	free(line);
}

void
qemu_insn_get(struct qemu_insn *qi, long rep, struct kb_sample *s)
{
	if (qi->path == NULL || rep < 1 || rep > qi->total)
		return;
	if (qi->kern[rep] == KB_NONE)
		poll_lines(qi);
	s->insn_kernel = qi->kern[rep];
	s->insn_user = qi->user[rep];
}

void
qemu_insn_report(struct qemu_insn *qi)
{
	long i, missing = 0;

	if (qi->path == NULL)
		return;
	poll_lines(qi);
	for (i = 1; i <= qi->total; i++)
		if (qi->kern[i] == KB_NONE)
			missing++;
	if (missing > 0)
		kb_warnx("%s: %ld of %ld repetitions without instruction "
		    "counts%s%s", qi->path, missing, qi->total,
		    qi->il.rejected > 0 ? "; first bad line: " : "",
		    qi->il.rejected > 0 ? qi->il.why : "");
}

void
qemu_insn_free(struct qemu_insn *qi)
{
	if (qi->fp != NULL)
		fclose(qi->fp);
	free(qi->path);
	free(qi->kern);
	free(qi->user);
	memset(qi, 0, sizeof(*qi));
}
