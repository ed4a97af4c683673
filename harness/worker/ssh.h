/*
 * ssh.h: commands on a worker over ssh(1), run by argv (no shell on
 * this side), with kbench's fixed options: BatchMode=yes (never a
 * prompt), StrictHostKeyChecking=yes (an unknown or changed host key
 * is an error), one master connection per worker (ControlMaster=auto,
 * its socket in $KBENCH_HOME/ssh, ControlPersist=60).  The user's ssh
 * configuration applies as ssh reads it (~/.ssh/config, or the
 * worker's ssh_config file as -F); kbench passes no key (-i) and
 * prints none.
 */
#ifndef SSH_H
#define SSH_H

#include <stdio.h>

struct ssh_host {
	const char	*worker;	/* name, for messages */
	const char	*host;		/* [user@]host, or a Host alias */
	int		 port;		/* 0: ssh's (config) choice */
	const char	*config;	/* -F FILE; NULL or "": none */
	int		 connect_timeout; /* s; 0: 10 */
};

/* Exit statuses besides the command's own. */
#define SSH_TIMEOUT	(-2)	/* killed at the deadline */
#define SSH_LOST	255	/* ssh's own: connection failed or lost */

/*
 * Run the sh(1) command line cmd on the host.  Its standard input is
 * infd (-1: /dev/null).  Every byte of its output and of ssh's errors
 * is appended to log (unless NULL), its standard output also given to
 * line() one line at a time (without the newline; a non-zero return
 * stops the command) and kept in *out (unless NULL; allocated).  After
 * timeout seconds (0: none) ssh is killed.  Returns the exit status
 * (SSH_LOST when ssh could not connect or lost the connection,
 * 128+signal when ssh was killed), SSH_TIMEOUT, or -1 when ssh could
 * not be run.
 */
int	 ssh_run(const struct ssh_host *, const char *cmd, int infd,
	    FILE *log, int (*line)(void *, const char *, size_t), void *arg,
	    char **out, int timeout);
/* Copy a local file to path on the host (cat > path): 0 or -1. */
int	 ssh_put(const struct ssh_host *, const char *local,
	    const char *path, FILE *log);
/* End the master connection, if any (ssh -O exit). */
void	 ssh_close(const struct ssh_host *, FILE *log);
/* The ssh command line, for logs and messages (allocated). */
char	*ssh_cmdline(const struct ssh_host *);

#endif /* SSH_H */
