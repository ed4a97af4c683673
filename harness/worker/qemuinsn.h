/*
 * qemuinsn.h: a guest's instruction counts per repetition, read from
 * the file that the TCG plugin kbench-insn.so writes beside the console
 * (DIR/insn.log; format/insnlog.h), as the run goes.
 */
#ifndef QEMUINSN_H
#define QEMUINSN_H

#include <stdio.h>
#include <stdint.h>

#include "lib/sample.h"
#include "format/insnlog.h"
#include "format/insnprof.h"

struct qemu_insn {
	char		*path;		/* DIR/insn.log, or NULL: not counting */
	FILE		*fp;		/* opened once the plugin made it */
	struct insnlog	 il;
	long		 total;		/* reps, warm-ups in */
	int64_t		*kern;		/* by rep; KB_NONE: none yet */
	int64_t		*user;
	char		*prof_path;	/* DIR/profile: the plugin's, or NULL */
	char		*syms_path;	/* DIR/kallsyms.raw: the guest's */
};

/*
 * The plugin, or NULL when it is not built (make all builds it): its
 * path is kb_root()/bin/kbench-insn.so.  Free it.
 */
char	*qemu_insn_plugin(void);

/*
 * Counting into dir/insn.log for total reps of a guest with vcpus
 * vCPUs; the -plugin argument.  One vCPU is counted inline; more
 * through a call per block (mode=cb), since QEMU 7.2's inline counters
 * lose counts when two vCPUs add at once (docs/statistics.md).  With
 * profile, the plugin also counts kernel instructions per block address
 * into dir/profile (named afterwards by qemu_insn_profile()).
 */
char	*qemu_insn_start(struct qemu_insn *, const char *plugin,
	    const char *dir, long total, int vcpus, int profile);
/*
 * The disk the guest writes its /proc/kallsyms to (text symbols; the
 * job runs QEMU_INSN_SYMS_CMD): made empty, QEMU_INSN_SYMS_MB large.
 * Its path, or NULL when not profiling or it could not be made.
 */
#define QEMU_INSN_SYMS_MB	32
#define QEMU_INSN_SYMS_CMD	"if [ -b /dev/vdc ]; then " \
	"grep ' [tTwW] ' /proc/kallsyms >/dev/vdc; sync; fi"
const char *qemu_insn_syms_disk(struct qemu_insn *);
/*
 * Once the guest is gone: the plugin's profile, named by the guest's
 * symbols, into p.  0; -1 with the reason said (p left empty).
 */
int	 qemu_insn_profile(struct qemu_insn *, struct insn_profile *p);
/* The counts of rep into s (left KB_NONE when they did not come). */
void	 qemu_insn_get(struct qemu_insn *, long rep, struct kb_sample *s);
/* Once the guest is gone: says which reps came without counts, why. */
void	 qemu_insn_report(struct qemu_insn *);
void	 qemu_insn_free(struct qemu_insn *);

#endif /* QEMUINSN_H */
