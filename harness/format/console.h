/*
 * console.h: read a guest's serial console: split it into lines, keep
 * its tail for failure reports, pick out the agent's framed lines
 * (through ap_reader, so only checked, in-sequence lines count), the
 * guest init's KBENCH-GUEST lines, and the kernel's cries for help:
 *
 *   Kernel panic, Oops, BUG:, blocked for more than, soft lockup,
 *   general protection fault, Call Trace (or arm64's and riscv64's
 *   "Call trace:")
 *
 * The first of those is kept with its line; the caller decides to
 * stop the guest (any of them makes the timings untrustworthy).
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stddef.h>

#include "format/agentproto.h"

#define CONSOLE_TAIL	16384	/* bytes of console kept for reports */

/* What kbench-stat printed (KBENCH-GUEST); -1 where unknown. */
struct guest_stat {
	char		 tag[16];	/* boot, pre, post */
	long		 rep;
	long long	 read_kib;	/* disk KiB read since boot */
	long long	 write_kib;
	long long	 cached_kib;	/* Cached: in /proc/meminfo */
	long long	 memfree_kib;
};

enum console_kind {
	CON_TEXT,		/* anything else */
	CON_AGENT,		/* an accepted agent line: see ap */
	CON_AGENT_BAD,		/* framed, rejected */
	CON_GUEST,		/* a KBENCH-GUEST line: see gs */
	CON_FATAL		/* the kernel is in trouble: see the line */
};

struct console_line {
	enum console_kind	 kind;
	const char		*text;		/* NUL-terminated */
	size_t			 len;
	struct ap_line		 ap;		/* CON_AGENT* */
	char			 release[128];	/* START: uname -r */
	struct guest_stat	 gs;		/* CON_GUEST */
};

struct console {
	struct ap_reader rd;
	char		 line[8192];
	size_t		 len;
	char		 tail[CONSOLE_TAIL];	/* a ring */
	size_t		 tpos;
	int		 twrapped;
	char		 fatal[256];	/* first fatal line */
	long		 lines;
	long		 rejected;
};

void	 console_init(struct console *);
/*
 * Feed raw console bytes; fn is called for every complete line.  A
 * nonzero return from fn stops feeding and is returned.
 */
int	 console_feed(struct console *, const char *, size_t,
	    int (*fn)(void *, const struct console_line *), void *);
/* Flush a last unterminated line (when the guest is gone). */
int	 console_flush(struct console *,
	    int (*fn)(void *, const struct console_line *), void *);
/* The last lines (at most maxlines) of the console; free it. */
char	*console_tail(const struct console *, int maxlines);
/* The fatal pattern a line matches, or NULL. */
const char *console_fatal(const char *line);
/* Parse a KBENCH-GUEST frame (CRC checked); 0 or -1. */
int	 console_guest(const char *line, size_t len, struct guest_stat *);

#endif /* CONSOLE_H */
