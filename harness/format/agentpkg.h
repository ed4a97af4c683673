/*
 * agentpkg.h: the package rows of a bulk build as kbench-agent sends
 * them from a guest or an ssh worker, one framed line each before the
 * repetition's SAMPLE (format/agentproto.h has the frame):
 *
 *   KBENCH-PKG {"session":"...","rep":2,"pkg":{ROW}} *XXXXXXXX
 *
 * ROW is one line of kbench-bulk's pkgs-REP.jsonl, checked by the same
 * rules as the file (format/ports.h), so that the rows of a guest take
 * the road of a local run's: the file, then store/portsdb.h.
 */
#ifndef AGENTPKG_H
#define AGENTPKG_H

#include <stddef.h>

#include "format/ports.h"

/*
 * One line (without its newline): 0 with *rep and pkg (the package's
 * name) set and *row the row as one compact JSON line without a newline
 * (free it), or -1 with why set
 * (no frame, a bad CRC or JSON, a rep out of range, a row the ports
 * rules refuse).
 */
int	 agentpkg_parse(const char *line, size_t len, long *rep,
	    char pkg[PORTS_MAX_NAME + 1], char **row, char *why,
	    size_t whysz);

#endif /* AGENTPKG_H */
