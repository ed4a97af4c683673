/*
 * agentproto.h: the framed lines kbench-agent prints, read back safely
 * out of a noisy stream (a serial console, an ssh session).
 *
 *   KBENCH-START {...json...} *XXXXXXXX
 *   KBENCH-SAMPLE {...json...} *XXXXXXXX
 *   KBENCH-ERROR {...json...} *XXXXXXXX
 *   KBENCH-END {...json...} *XXXXXXXX
 *   KBENCH-PKG {"session":...,"rep":N,"pkg":{...}} *XXXXXXXX
 *
 * XXXXXXXX is the CRC-32 (IEEE) of the bytes from the K of KBENCH to the
 * closing brace, in hex.  Anything before the K on the line (console
 * noise) is ignored.
 */
#ifndef AGENTPROTO_H
#define AGENTPROTO_H

#include "lib/util.h"
#include "lib/sample.h"

enum ap_kind {
	AP_NONE,		/* not a framed line: ignore */
	AP_BAD,			/* looks framed but fails checks: reject */
	AP_START, AP_SAMPLE, AP_ERROR, AP_END,
	AP_PKG			/* a bulk build's package row: agentpkg.h */
};

struct ap_line {
	enum ap_kind	 kind;
	struct kb_sample sample;	/* AP_SAMPLE */
	char		 session[64];	/* the agent's session id */
	char		 msg[256];	/* AP_ERROR text, AP_BAD reason */
	char		 release[128];	/* AP_START: uname -r, or "" */
	char		 version[256];	/* AP_START: uname -v, or "" */
	long		 n;		/* AP_START: planned reps */
	long		 warmup;	/* AP_START: warm-up reps */
	long		 samples;	/* AP_END: samples the agent printed */
	long		 errors;	/* AP_END: errors the agent printed */
	long		 rep;		/* AP_ERROR: its rep, 0 for none;
					   AP_PKG: its rep */
};

/*
 * The object of the first "KBENCH-<name> {...} *CRC" frame on a line,
 * its CRC checked and its JSON read as strictly as the agent's: for
 * other writers of framed lines (format/insnlog.c).  NULL with why set
 * when there is none or it fails a check; json_decref() it.
 */
typedef struct json_t json_t;
json_t		*ap_frame_object(const char *line, size_t len,
		    const char *name, char *why, size_t whysz);

/* Classify and decode one line (without its newline). */
enum ap_kind	 ap_parse(const char *line, size_t len, struct ap_line *);

/*
 * A reader that also enforces the sequence: one START, samples with
 * rep 1..n each at most once and in order, one END; forged, repeated
 * or out-of-order lines are rejected with a reason.  With expect set
 * (the kernel id's mark, "-kb<kid12>" or "KBENCH-<kid12>"), a START
 * whose uname -r and -v both lack it is rejected and wrong_kernel set:
 * the session never starts, so no later line counts.  A gap in the reps
 * (a line lost to noise) is allowed: the END's counts against samples
 * and errors tell the caller, and AP_END then carries a note in msg.
 */
struct ap_reader {
	int	 started, ended;
	char	 session[64];
	int	 next_rep;	/* next expected rep (warm-ups count too) */
	long	 rejected;
	long	 warmup;	/* from START: reps 1..warmup are warm-ups */
	long	 planned;	/* from START: warmup + n */
	long	 samples;	/* accepted AP_SAMPLE lines */
	long	 errors;	/* accepted AP_ERROR lines */
	long	 pkgs;		/* accepted AP_PKG lines */
	const char *expect;	/* START's uname must hold it, or NULL */
	int	 wrong_kernel;	/* a START failed expect */
};
void		 ap_reader_init(struct ap_reader *);
enum ap_kind	 ap_reader_feed(struct ap_reader *, const char *line,
		    size_t len, struct ap_line *);

#endif
