/*
 * util.h: what every part of the kbench harness shares: exit codes,
 * error reporting, allocation that cannot fail silently, where things
 * live, and option parsing.
 */
#ifndef LIB_UTIL_H
#define LIB_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define KB_EXIT_OK		0
#define KB_EXIT_ERR		1
#define KB_EXIT_USAGE		2
#define KB_EXIT_REGRESSION	3

/* Errors: "kbench CMD: message" on stderr. */
extern const char *kb_progname;
void	 kb_warnx(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	 kb_warn(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	 kb_info(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	*kb_malloc(size_t);
void	*kb_calloc(size_t, size_t);
void	*kb_reallocarray(void *, size_t, size_t);
char	*kb_strdup(const char *);
char	*kb_asprintf(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));

/* Where things live. */
/* Both absolute; how they are chosen: lib/paths.h (lib/paths.c). */
const char	*kb_home(void);	/* state: database, spool, runs, caches */
const char	*kb_root(void);	/* data: db/, configs/, dashboards/, workers/ */
int		 kb_mkdirs(const char *, int mode);
extern int	 kb_quiet;	/* -q: no progress output */
/* Every warning also goes here when set (try_all.c's children). */
extern FILE	*kb_warnlog;
/*
 * Print "kbench CMD: message" and, through kb_usage_hook (which the
 * command table sets, so that layers below it can report a usage
 * error without knowing the table), CMD's usage; returns KB_EXIT_USAGE.
 */
int	 kb_usage_error(const char *cmd, const char *, ...)
	    __attribute__((__format__ (printf, 2, 3)));
extern void	(*kb_usage_hook)(FILE *, const char *cmd);

/* n random bytes as 2n hex digits into buf (size 2n+1); 0 or -1. */
int	 kb_randhex(char *buf, size_t nbytes);

/* 1 if s is valid UTF-8 (no overlong form, surrogate or > U+10FFFF). */
int	 kb_utf8_valid(const char *s);

/* 1 if s has the shape of an ISO date, YYYY-MM-DD (digits, dashes). */
int	 kb_ymd_shape(const char *s);

/* The value of one hex digit (either case), or -1. */
int	 kb_hexval(int c);

/* Parse a non-negative integer option; 0 on success. */
int	 kb_parse_long(const char *, long min, long max, long *);

#endif /* LIB_UTIL_H */
