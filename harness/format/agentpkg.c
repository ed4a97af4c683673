/*
 * agentpkg.c: read the agent's framed package rows.  The frame, the CRC
 * and the strict JSON are agentproto's rules, the row's are ports.c's.
 */
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/agentproto.h"
#include "format/agentpkg.h"
#include "format/ports.h"

int
agentpkg_parse(const char *line, size_t len, long *rep,
    char pkg[PORTS_MAX_NAME + 1], char **row, char *why, size_t whysz)
{
	struct ports_rec rec;
	const char *w = NULL;
	json_t *o, *r, *p;
	char *s = NULL;

	*row = NULL;
	if ((o = ap_frame_object(line, len, "PKG", why, whysz)) == NULL)
		return -1;
	r = json_object_get(o, "rep");
	p = json_object_get(o, "pkg");
	if (r == NULL || !json_is_integer(r) || json_integer_value(r) < 1 ||
	    json_integer_value(r) > INT_MAX - 1)
		snprintf(why, whysz, "PKG: \"rep\" is not an integer 1..%d",
		    INT_MAX - 1);
	else if (p == NULL || !json_is_object(p))
		snprintf(why, whysz, "PKG: \"pkg\" is not an object");
	else if ((s = json_dumps(p, JSON_COMPACT)) == NULL)
		snprintf(why, whysz, "PKG: out of memory");
	else if (ports_parse_line(s, &rec, &w) == -1) {
		snprintf(why, whysz, "PKG: %s", w);
		free(s);
		s = NULL;
	} else {
		memcpy(pkg, rec.pkg, sizeof(rec.pkg));
		ports_rec_free(&rec);
		*rep = (long)json_integer_value(r);
		*row = s;
	}
	json_decref(o);
	return s != NULL ? 0 : -1;
}
