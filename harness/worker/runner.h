/*
 * runner.h: run kbench-agent processes on this host and read back the
 * framed lines they print, one agent per variant of a run.
 *
 * Every byte an agent prints is kept raw in DIR/agent.out; each line
 * then goes through ap_reader, so only well-formed, in-sequence lines
 * reach the caller.  Rejected lines are counted and logged to
 * DIR/rejected.log with the reason.
 *
 * Interleaving: with several agents the runner lets exactly one run at
 * a time, A B A B ...  Each agent's setup and cleanup start by reading
 * one line from a FIFO (KBENCH_GATE in its environment; see
 * RUNNER_GATE), and the runner writes that line when it is the agent's
 * turn.  The timed command itself is never gated.
 */
#ifndef RUNNER_H
#define RUNNER_H

#include <sys/types.h>

#include <stdio.h>

#include "format/agentproto.h"

/* What a gated setup or cleanup runs first. */
#define RUNNER_GATE	"read -r _ < \"$KBENCH_GATE\""

struct agent_proc {
	/* Filled in by the caller. */
	const char	*label;		/* variant label, or NULL */
	char		**argv;		/* agent command line */
	char		**env;		/* NAME=VALUE for the agent */
	const char	*dir;		/* the run's directory */
	long		 reps;		/* planned, warm-ups too */
	void		*arg;		/* the caller's, per agent */

	/* Kept by the runner. */
	pid_t		 pid;
	int		 fd;		/* the agent's stdout */
	int		 gatefd;	/* write end of DIR/gate, or -1 */
	char		*gate;
	FILE		*raw;		/* DIR/agent.out */
	FILE		*rejects;	/* DIR/rejected.log, or NULL */
	struct ap_reader rd;
	char		*buf;
	size_t		 len, cap;
	int		 eof;
	int		 status;	/* 128+signal; -1 running */
	int		 started, ended;
	long		 samples;
	long		 rejected;
	char		 error[256];	/* first KBENCH-ERROR */
};

struct runner_hooks {
	/* An accepted START, SAMPLE, ERROR or END line; -1 stops all. */
	int	(*line)(void *, struct agent_proc *, const struct ap_line *);
	/* About once a second while agents run. */
	void	(*tick)(void *);
	void	*arg;
};

/*
 * Catch SIGINT, SIGTERM and SIGHUP so that a run can be stopped
 * cleanly: agents are terminated and the run is recorded as failed.
 */
void	 runner_catch_signals(void);
/* The signal that stopped us, or 0. */
int	 runner_interrupted(void);

/*
 * Start the agents and read them to the end.  interleave: one
 * repetition of one agent at a time, in turn.  Returns 0 when every
 * agent ran (see each agent's fields for how it went), -1 when the
 * runner itself failed or was interrupted.
 */
#define RUNNER_ROTATE	2	/* interleave, each round from the next agent */
int	 runner_run(struct agent_proc *, size_t n, int interleave,
	    const struct runner_hooks *);
void	 runner_free(struct agent_proc *);

/*
 * Run "/bin/sh -c cmd" in dir (unless NULL) with output appended to
 * log; for untimed steps such as fetching sources.  Returns the exit
 * status (128+signal when killed), or -1 if it could not run.
 */
int	 runner_shell(const char *cmd, const char *dir, const char *log);

/*
 * --metric insn_user on this host: kbench-agent -i counts the command's
 * user instructions under valgrind (docs/statistics.md).  0 when
 * valgrind is on $PATH; else -1, said in words for cmd.
 */
int	 runner_insn_ready(const char *cmd);

/* The kbench-agent to run: $KBENCH_AGENT, beside kbench, or the tree. */
char	*runner_agent_path(const char *argv0);

#endif /* RUNNER_H */
