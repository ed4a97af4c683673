/*
 * qemuinsn.c: read kbench-insn.so's counts while the guest runs.  The
 * plugin writes a line at the end mark of each repetition, before the
 * agent prints its sample, so by the time the sample is delivered its
 * line is in the file; a line the plugin has not finished is left for
 * the next read.
 */
#include <sys/stat.h>

#include <fcntl.h>
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
    long total, int vcpus, int profile)
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
	if (profile) {
		qi->prof_path = kb_asprintf("%s/profile", dir);
		qi->syms_path = kb_asprintf("%s/kallsyms.raw", dir);
		unlink(qi->prof_path);
		return kb_asprintf("%s,out=%s,mode=%s,profile=%s", plugin,
		    qi->path, vcpus > 1 ? "cb" : "inline", qi->prof_path);
	}
	return kb_asprintf("%s,out=%s,mode=%s", plugin, qi->path,
	    vcpus > 1 ? "cb" : "inline");
}

const char *
qemu_insn_syms_disk(struct qemu_insn *qi)
{
	int fd;

	if (qi->syms_path == NULL)
		return NULL;
	if ((fd = open(qi->syms_path, O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC, 0644)) == -1 ||
	    ftruncate(fd, (off_t)QEMU_INSN_SYMS_MB << 20) == -1) {
		kb_warn("%s", qi->syms_path);
		if (fd != -1)
			close(fd);
		return NULL;
	}
	close(fd);
	return qi->syms_path;
}

/* The guest's symbols: the disk's text up to its first NUL. */
static int
read_syms(const char *path, struct ksyms *ks)
{
	char *buf;
	size_t len;
	FILE *fp;

	buf = kb_malloc(((size_t)QEMU_INSN_SYMS_MB << 20) + 1);
	if ((fp = fopen(path, "r")) == NULL) {
		kb_warn("%s", path);
		free(buf);
		return -1;
	}
	len = fread(buf, 1, (size_t)QEMU_INSN_SYMS_MB << 20, fp);
	fclose(fp);
	if (ksyms_parse(ks, buf, len) == 0) {
		kb_warnx("%s: no kernel text symbols from the guest (is "
		    "/proc/kallsyms there and readable?)", path);
		free(buf);
		return -1;
	}
	free(buf);
	return 0;
}

int
qemu_insn_profile(struct qemu_insn *qi, struct insn_profile *p)
{
	struct ksyms ks;
	char why[256];
	FILE *fp;
	int rc;

	memset(p, 0, sizeof(*p));
	if (qi->prof_path == NULL)
		return -1;
	if ((fp = fopen(qi->prof_path, "r")) == NULL) {
		kb_warn("%s: no instruction profile", qi->prof_path);
		return -1;
	}
	if (read_syms(qi->syms_path, &ks) != 0) {
		fclose(fp);
		return -1;
	}
	if ((rc = insnprof_read(fp, &ks, p, why, sizeof(why))) != 0)
		kb_warnx("%s: %s", qi->prof_path, why);
	fclose(fp);
	ksyms_free(&ks);
	return rc;
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
	free(qi->prof_path);
	free(qi->syms_path);
	free(qi->kern);
	free(qi->user);
	memset(qi, 0, sizeof(*qi));
}
