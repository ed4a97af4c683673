/*
 * kbench: kernel bulk-build benchmarks.  The command table is in cmd.c;
 * each command lives in its own cmd_NAME.c.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "lib/util.h"

int
main(int argc, char **argv)
{
	static char progname[64];
	const struct kb_cmd *c;

	while (argc > 1 && argv[1][0] == '-') {
		if (strcmp(argv[1], "-q") == 0)
			kb_quiet = 1;
		else if (strcmp(argv[1], "--help") == 0 ||
		    strcmp(argv[1], "-h") == 0) {
			cmd_usage_all(stdout);
			return KB_EXIT_OK;
		} else if (strcmp(argv[1], "--version") == 0) {
			return cmd_version(0, NULL);
		} else {
			fprintf(stderr, "kbench: unknown option %s; before the "
			    "command: -q, --help, --version\n", argv[1]);
			return KB_EXIT_USAGE;
		}
		argc--;
		argv++;
	}
	if (argc < 2) {
		cmd_usage_all(stderr);
		return KB_EXIT_USAGE;
	}
	kb_usage_hook = cmd_usage_of;
	if ((c = cmd_lookup(argv[1])) == NULL)
		return cmd_unknown(NULL, argv[1]);
	snprintf(progname, sizeof(progname), "kbench %s", c->name);
	kb_progname = progname;
	if (cmd_wants_help(argc - 1, argv + 1, c))
		return KB_EXIT_OK;
	return c->fn(argc - 1, argv + 1);
}
