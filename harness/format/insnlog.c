/*
 * insnlog.c: read kbench-insn.so's framed count lines.  The frame, the
 * CRC and the strict JSON are agentproto's rules; the values are
 * checked here.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "format/agentproto.h"
#include "format/insnlog.h"

/* A required integer value of o in [min, INT64_MAX]. */
static int
getint(json_t *o, const char *key, int64_t min, int64_t *v, char *why,
    size_t whysz)
{
	json_t *x = json_object_get(o, key);

	if (x == NULL) {
		snprintf(why, whysz, "INSN: missing \"%s\"", key);
		return -1;
	}
	if (!json_is_integer(x) || json_integer_value(x) < min) {
		snprintf(why, whysz, "INSN: \"%s\" is not an integer >= %lld",
		    key, (long long)min);
		return -1;
	}
	*v = json_integer_value(x);
	return 0;
}

int
insnlog_parse(const char *line, size_t len, struct insn_count *c,
    char *why, size_t whysz)
{
	json_t *o;
	int64_t seq;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	if ((o = ap_frame_object(line, len, "INSN", why, whysz)) == NULL)
		return -1;
	if (getint(o, "seq", 1, &seq, why, whysz) == 0 &&
	    getint(o, "kernel", 0, &c->kernel, why, whysz) == 0 &&
	    getint(o, "user", 0, &c->user, why, whysz) == 0) {
		if (seq > (int64_t)0x7fffffff)
			snprintf(why, whysz, "INSN: seq %lld out of range",
			    (long long)seq);
		else {
			c->seq = (long)seq;
			rc = 0;
		}
	}
	json_decref(o);
	return rc;
}

void
insnlog_init(struct insnlog *r)
{
	memset(r, 0, sizeof(*r));
	r->next_seq = 1;
}

int
insnlog_feed(struct insnlog *r, const char *line, size_t len,
    struct insn_count *c)
{
	char why[sizeof(r->why)];

	if (insnlog_parse(line, len, c, why, sizeof(why)) == 0) {
		if (c->seq >= r->next_seq) {
			r->next_seq = c->seq + 1;
			r->counts++;
			return 0;
		}
		snprintf(why, sizeof(why), "INSN: seq %ld repeated or out of "
		    "order (next is %ld)", c->seq, r->next_seq);
	}
	if (r->rejected++ == 0)
		memcpy(r->why, why, sizeof(r->why));
	return -1;
}
