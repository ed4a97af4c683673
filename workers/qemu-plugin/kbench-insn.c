/*
 * kbench-insn.c: a QEMU TCG plugin that counts the guest instructions
 * executed in kernel mode and in user mode between kbench-agent's marks
 * (the start and the end of each timed repetition).
 *
 * At translation time each block is classed by its start address: the
 * upper half of the address space (bit 63 set) is the kernel's on
 * amd64, arm64 and riscv64 alike; anything else is user space.  The
 * block's instruction count is added to that class's counter by an
 * inline operation, so no helper is called per instruction or per
 * block.  QEMU 7.2's inline operations add to one fixed address,
 * whatever the vCPU, so with several vCPUs under MTTCG two host threads
 * may add at the same time and lose counts (14% of them in a test of two
 * busy threads under qemu-x86_64); "mode=cb" counts per vCPU through a
 * call per block instead: exact, and slower (a tight loop: 1.35x against
 * inline's 1.12x).  kbench uses cb for a guest with more than one vCPU.
 *
 * A mark is one instruction that does nothing, recognised by its bytes:
 *
 *	amd64	nopl 0x4b42000N(%rax)	0f 1f 80 0N 00 42 4b
 *	arm64	movz xzr, #0x4b4N, lsl #48
 *	riscv64	lui zero, 0x4b42N
 *
 * N is 1 at the start of a repetition and 2 at its end.  The mark's
 * instruction gets a call (it runs twice per repetition); every other
 * instruction of a block that holds a mark is counted one by one, so
 * that a count stops exactly at the mark.  The mark itself is not
 * counted.  At each end mark the plugin writes one framed line:
 *
 *	KBENCH-INSN {"seq":1,"kernel":123,"user":456} *XXXXXXXX
 *
 * where XXXXXXXX is the CRC-32 of the bytes from the K to the brace,
 * as kbench-agent's lines are (harness/format/insnlog.h reads them).
 * seq counts the pairs from 1; an end without a start is ignored.
 *
 * With profile=FILE, blocks are also counted between the marks only
 * (profile.c), and FILE gets "COUNT NAME" per function at exit, most
 * first.  With map=FILE (System.map, or nm(1) output: text symbols)
 * each block is charged to the function its start address falls in;
 * without a map, to its start address, written "COUNT 0xADDR" (in a
 * whole guest, kernel blocks only): the harness names them from the
 * guest's /proc/kallsyms, which KASLR makes known only after boot.
 *
 * Arguments: out=FILE (default: QEMU's log), mode=inline|cb, map=FILE,
 * profile=FILE.
 */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include <qemu-plugin.h>

#include "profile.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define MAXCPUS		64
#define MARK_START	1
#define MARK_END	2

enum { KERN, USER };

/* One vCPU's counters, a cache line each (mode=cb). */
struct vcount {
	uint64_t	 n[2];
	char		 pad[64 - 2 * sizeof(uint64_t)];
};

static int		 per_cpu;	/* mode=cb */
static int		 arch;		/* 'x', 'a', 'r' */
static uint64_t		 count[2];	/* inline counters, all vCPUs */
static struct vcount	 vcount[MAXCPUS];
static FILE		*out;
static atomic_int	 busy;		/* a mark being handled */
static int		 open_pair;
static uint64_t		 at_start[2];
static long		 seq;
static char		*profile_out;	/* profile=FILE */
static int		 have_map;	/* map=FILE */
static int		 system_mode;	/* a whole guest, not qemu-user */

/* Which mark an instruction's bytes are, or 0. */
static int
mark_of(const unsigned char *p, size_t len)
{
	uint32_t w;

	switch (arch) {
	case 'x':
		if (len == 7 && p[0] == 0x0f && p[1] == 0x1f &&
		    p[2] == 0x80 && p[4] == 0 && p[5] == 0x42 &&
		    p[6] == 0x4b && (p[3] == MARK_START || p[3] == MARK_END))
			return p[3];
		return 0;
	case 'a':
		if (len != 4)
			return 0;
		memcpy(&w, p, 4);	/* little-endian, as the host */
		if (w == (0xd2800000U | 3U << 21 | 0x4b41U << 5 | 31U))
			return MARK_START;
		if (w == (0xd2800000U | 3U << 21 | 0x4b42U << 5 | 31U))
			return MARK_END;
		return 0;
	case 'r':
		if (len != 4)
			return 0;
		memcpy(&w, p, 4);
		if (w == (0x4b421U << 12 | 0x37U))
			return MARK_START;
		if (w == (0x4b422U << 12 | 0x37U))
			return MARK_END;
		return 0;
	default:
		return 0;
	}
}

static void
totals(uint64_t t[2])
{
	int i;

	t[KERN] = count[KERN];
	t[USER] = count[USER];
	if (per_cpu) {
		for (i = 0; i < MAXCPUS; i++) {
			t[KERN] += vcount[i].n[KERN];
			t[USER] += vcount[i].n[USER];
		}
	}
}

static void
emit(uint64_t kern, uint64_t user)
{
	char line[160];
	int len;

	len = snprintf(line, sizeof(line),
	    "KBENCH-INSN {\"seq\":%ld,\"kernel\":%" PRIu64 ",\"user\":%"
	    PRIu64 "}", seq, kern, user);
	if (len < 0 || (size_t)len >= sizeof(line))
		return;
	snprintf(line + len, sizeof(line) - (size_t)len, " *%08lx\n",
	    crc32(0L, (const unsigned char *)line, (unsigned)len));
	if (out != NULL) {
		fputs(line, out);
		fflush(out);
	} else
		qemu_plugin_outs(line);
}

/* A mark ran: the start snapshots the totals, the end reports them. */
static void
on_mark(unsigned int vcpu, void *udata)
{
	int expect = 0;
	uint64_t t[2];

	/* Marks on two vCPUs at once: the agent runs on one only. */
	while (!atomic_compare_exchange_weak(&busy, &expect, 1))
		expect = 0;
	totals(t);
	if ((uintptr_t)udata == MARK_START) {
		at_start[KERN] = t[KERN];
		at_start[USER] = t[USER];
		open_pair = 1;
		prof_mark(1);
	} else if (open_pair) {
		prof_mark(0);
		seq++;
		emit(t[KERN] - at_start[KERN], t[USER] - at_start[USER]);
		open_pair = 0;
	}
	atomic_store(&busy, 0);
}

/* A block's call: its class, size and function, packed in udata. */
#define TB_UDATA(class, n, fn)	((void *)(uintptr_t)((uintptr_t)(class) | \
				    (uintptr_t)(n) << 1 | \
				    (uintptr_t)((fn) + 1) << 11))

static void
on_tb_cb(unsigned int vcpu, void *udata)
{
	uintptr_t v = (uintptr_t)udata;
	uint64_t n = (v >> 1) & 0x3ff;	/* a block holds 512 at most */

	vcount[vcpu % MAXCPUS].n[v & 1] += n;
	if ((v >> 11) != 0)
		prof_add((long)(v >> 11) - 1, n);
}

static void
on_insn_cb(unsigned int vcpu, void *udata)
{
	uintptr_t v = (uintptr_t)udata;

	vcount[vcpu % MAXCPUS].n[v & 1]++;
	if ((v >> 11) != 0)
		prof_add((long)(v >> 11) - 1, 1);
}

/* Count one instruction of a block that holds a mark. */
static void
count_one(struct qemu_plugin_insn *insn, int class, long fn)
{
	if (per_cpu) {
		qemu_plugin_register_vcpu_insn_exec_cb(insn, on_insn_cb,
		    QEMU_PLUGIN_CB_NO_REGS, TB_UDATA(class, 1, fn));
		return;
	}
	qemu_plugin_register_vcpu_insn_exec_inline(insn,
	    QEMU_PLUGIN_INLINE_ADD_U64, &count[class], 1);
	if (fn >= 0)
		qemu_plugin_register_vcpu_insn_exec_inline(insn,
		    QEMU_PLUGIN_INLINE_ADD_U64, prof_counter(fn), 1);
}

static void
on_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);
	int class, m, marked = 0;
	struct qemu_plugin_insn *insn;
	long fn;

	class = (qemu_plugin_tb_vaddr(tb) >> 63) ? KERN : USER;
	/*
	 * Profiled: with a map, every block; without one, a system
	 * guest's kernel blocks only (by address, named afterwards).
	 */
	fn = -1;
	if (profile_out != NULL && (have_map || !system_mode ||
	    class == KERN))
		fn = prof_find(qemu_plugin_tb_vaddr(tb));
	for (i = 0; i < n; i++) {
		insn = qemu_plugin_tb_get_insn(tb, i);
		if (mark_of(qemu_plugin_insn_data(insn),
		    qemu_plugin_insn_size(insn)) != 0)
			marked = 1;
	}
	if (!marked) {
		if (per_cpu)
			qemu_plugin_register_vcpu_tb_exec_cb(tb, on_tb_cb,
			    QEMU_PLUGIN_CB_NO_REGS, TB_UDATA(class, n, fn));
		else {
			qemu_plugin_register_vcpu_tb_exec_inline(tb,
			    QEMU_PLUGIN_INLINE_ADD_U64, &count[class], n);
			if (fn >= 0)
				qemu_plugin_register_vcpu_tb_exec_inline(tb,
				    QEMU_PLUGIN_INLINE_ADD_U64,
				    prof_counter(fn), n);
		}
		return;
	}
	for (i = 0; i < n; i++) {
		insn = qemu_plugin_tb_get_insn(tb, i);
		m = mark_of(qemu_plugin_insn_data(insn),
		    qemu_plugin_insn_size(insn));
		if (m != 0)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark,
			    QEMU_PLUGIN_CB_NO_REGS, (void *)(uintptr_t)m);
		else
			count_one(insn, class, fn);
	}
}

static void
on_atexit(qemu_plugin_id_t id, void *p)
{
	if (out != NULL)
		fclose(out);
	out = NULL;
	if (profile_out != NULL)
		prof_write(profile_out);
}

QEMU_PLUGIN_EXPORT int
qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc,
    char **argv)
{
	static const char *const targets[] = { "x86_64", "aarch64",
	    "riscv64" };
	static const char archs[] = "xar";
	const char *t = info->target_name;
	size_t k;
	int i;

	for (k = 0; k < sizeof(targets) / sizeof(targets[0]); k++)
		if (strcmp(t, targets[k]) == 0)
			arch = archs[k];
	if (arch == 0) {
		fprintf(stderr, "kbench-insn: target %s: expected x86_64, "
		    "aarch64 or riscv64\n", t);
		return -1;
	}
	system_mode = info->system_emulation;
	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "out=", 4) == 0) {
			if ((out = fopen(argv[i] + 4, "w")) == NULL) {
				perror(argv[i] + 4);
				return -1;
			}
		} else if (strncmp(argv[i], "map=", 4) == 0) {
			if (prof_load(argv[i] + 4) != 0)
				return -1;
			have_map = 1;
		} else if (strncmp(argv[i], "profile=", 8) == 0) {
			/* QEMU frees the arguments after install. */
			if ((profile_out = strdup(argv[i] + 8)) == NULL)
				return -1;
		} else if (strcmp(argv[i], "mode=cb") == 0)
			per_cpu = 1;
		else if (strcmp(argv[i], "mode=inline") == 0)
			per_cpu = 0;
		else {
			fprintf(stderr, "kbench-insn: unknown argument %s\n",
			    argv[i]);
			return -1;
		}
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_trans);
	qemu_plugin_register_atexit_cb(id, on_atexit, NULL);
	return 0;
}
