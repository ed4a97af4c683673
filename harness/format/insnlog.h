/*
 * insnlog.h: the lines of kbench-insn.so, the TCG plugin that counts a
 * guest's instructions between kbench-agent's marks
 * (workers/qemu-plugin/kbench-insn.c):
 *
 *   KBENCH-INSN {"seq":1,"kernel":123,"user":456} *XXXXXXXX
 *
 * framed and checksummed as the agent's lines are (format/agentproto.h).
 * seq numbers the marked repetitions from 1, warm-ups included, so it
 * is the agent's rep.
 */
#ifndef INSNLOG_H
#define INSNLOG_H

#include <stddef.h>
#include <stdint.h>

struct insn_count {
	long	 seq;		/* 1-based: the agent's rep */
	int64_t	 kernel;	/* instructions in kernel mode */
	int64_t	 user;		/* and in user mode */
};

/*
 * One line (without its newline): 0 with *c filled, or -1 with why set
 * (no frame, a bad CRC, bad JSON, a missing or out-of-range value).
 */
int	 insnlog_parse(const char *line, size_t len, struct insn_count *c,
	    char *why, size_t whysz);

/*
 * A reader that also enforces the order: seq 1, 2, 3 ..., each once; a
 * line lost to a truncated file leaves a gap (allowed), a repeated or
 * backward seq is rejected.
 */
struct insnlog {
	long	 next_seq;
	long	 counts;	/* accepted */
	long	 rejected;
	char	 why[256];	/* the first rejection's reason */
};
void	 insnlog_init(struct insnlog *);
/* 0 with *c filled, -1 rejected (counted, the first reason kept). */
int	 insnlog_feed(struct insnlog *, const char *line, size_t len,
	    struct insn_count *c);

#endif /* INSNLOG_H */
