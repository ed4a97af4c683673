/*
 * agentcmd.h: the one place that knows kbench-agent's command line,
 * for a local run (an argv) and for a worker over ssh or a dry run
 * (one sh(1) line).
 */
#ifndef FORMAT_AGENTCMD_H
#define FORMAT_AGENTCMD_H

struct agent_cmd {
	const char	*agent;		/* the program: a path */
	long		 n;		/* -n: measured repetitions */
	long		 warmup;	/* -w */
	long		 timeout;	/* -t, seconds; 0: none */
	const char	*dir;		/* -C; NULL or "": left out */
	const char	*setup;		/* -s */
	const char	*cleanup;	/* -c */
	const char	*log;		/* -o: the workload's output */
	int		 insn;		/* -i: count user instructions too */
	const char	*shell;		/* the workload as /bin/sh -c shell, */
	char *const	*cmdv;		/* else this argv */
};

/* The NULL-terminated argv, every string allocated. */
char	**agent_argv(const struct agent_cmd *);
void	  agent_argv_free(char **);
/* The same as one line for sh(1), words quoted where they need it. */
char	 *agent_cmdline(const struct agent_cmd *);

#endif /* FORMAT_AGENTCMD_H */
