/*
 * cmd.h: the command table.  Each command lives in cmd_NAME.c.
 */
#ifndef CMD_H
#define CMD_H

#include <stdio.h>

struct kb_cmd {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*summary;
	const char	*usage;		/* synopsis lines, for --help */
};

const struct kb_cmd	*cmd_lookup(const char *);
void	cmd_usage_all(FILE *);
/* "--help" or "-h" anywhere before "--": print usage, return 1. */
int	cmd_wants_help(int, char **, const struct kb_cmd *);
/* The usage of the command NAME (kb_usage_hook). */
void	cmd_usage_of(FILE *, const char *);
/*
 * An unknown command or metric word, as lib/suggest.h's kb_unknown
 * says it (cmd NULL: kbench itself); returns KB_EXIT_USAGE.
 */
int	cmd_unknown(const char *cmd, const char *word);
int	cmd_unknown_metric(const char *cmd, const char *word);
/*
 * argv[1] among the n subcommands subs: its index, or -1 when it is
 * missing or unknown (said as cmd_unknown does).
 */
int	cmd_subcommand(const char *cmd, int argc, char **argv,
	    const char *const *subs, size_t n);

int	cmd_alert(int, char **);
int	cmd_compare(int, char **);
int	cmd_bisect(int, char **);
int	cmd_db(int, char **);
int	cmd_detect(int, char **);
int	cmd_help(int, char **);
int	cmd_import(int, char **);
int	cmd_kernel(int, char **);
int	cmd_worker(int, char **);
int	cmd_plot(int, char **);
int	cmd_report(int, char **);
int	cmd_run(int, char **);
int	cmd_runs(int, char **);
int	cmd_annotate(int, char **);
int	cmd_serve(int, char **);
int	cmd_submit(int, char **);
int	cmd_try(int, char **);
int	cmd_watch(int, char **);
int	cmd_queue(int, char **);
int	cmd_version(int, char **);

#endif
