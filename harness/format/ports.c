/*
 * ports.c: store the per-package results of a bulk build.
 *
 * The lines come from a worker, so nothing in them is trusted: each is
 * parsed by a small strict JSON reader that knows exactly one flat
 * object shape, every value is bounded and checked, and the whole file
 * is refused (nothing stored) if any line is wrong, so a run never ends
 * up with half a package list.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "lib/label.h"
#include "store/db.h"
#include "format/ports.h"

/* 10^13 us is about 115 days: more than any build, less than garbage. */
#define MAX_US		INT64_C(10000000000000)

enum {
	K_PKG = 1 << 0, K_STATUS = 1 << 1, K_EXIT = 1 << 2,
	K_REAL = 1 << 3, K_USER = 1 << 4, K_SYS = 1 << 5,
	K_START = 1 << 6, K_TAIL = 1 << 7, K_ALL = (1 << 8) - 1
};

static const char *
skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
hex4(const char *p, unsigned *v)
{
	int i, h;

	*v = 0;
	for (i = 0; i < 4; i++) {
		if ((h = hexval((unsigned char)p[i])) == -1)
			return -1;
		*v = *v << 4 | (unsigned)h;
	}
	return 0;
}

/* Length of the valid UTF-8 sequence at p, or 0. */
static int
utf8_len(const unsigned char *p)
{
	int len, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	for (i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* Overlong forms, surrogates, beyond U+10FFFF. */
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))
		return 0;
	return len;
}

/*
 * A JSON string at *pp into out (cap bytes with the NUL).  NUL is
 * refused even escaped: PostgreSQL text cannot hold it.
 */
static int
parse_string(const char **pp, char *out, size_t cap, size_t *lenp,
    const char **why)
{
	const char *p = *pp;
	size_t n = 0;
	unsigned u, lo;
	char enc[4];
	int len, i;

	if (*p++ != '"') {
		*why = "expected a string";
		return -1;
	}
	for (;;) {
		unsigned char c = (unsigned char)*p;

		if (c == '"')
			break;
		if (c == '\0') {
			*why = "unterminated string";
			return -1;
		}
		if (c < 0x20) {
			*why = "control character in string";
			return -1;
		}
		if (c != '\\') {
			if ((len = utf8_len((const unsigned char *)p)) == 0) {
				*why = "invalid UTF-8 in string";
				return -1;
			}
			memcpy(enc, p, len);
			p += len;
		} else {
			p++;
			len = 1;
			switch (*p) {
			case '"': case '\\': case '/':
				enc[0] = *p;
				break;
			case 'b': enc[0] = '\b'; break;
			case 'f': enc[0] = '\f'; break;
			case 'n': enc[0] = '\n'; break;
			case 'r': enc[0] = '\r'; break;
			case 't': enc[0] = '\t'; break;
			case 'u':
				if (hex4(p + 1, &u) == -1) {
					*why = "bad \\u escape";
					return -1;
				}
				p += 4;
				if (u >= 0xd800 && u <= 0xdbff) {
					if (p[1] != '\\' || p[2] != 'u' ||
					    hex4(p + 3, &lo) == -1 ||
					    lo < 0xdc00 || lo > 0xdfff) {
						*why = "lone surrogate";
						return -1;
					}
					p += 6;
					u = 0x10000 + ((u - 0xd800) << 10) +
					    (lo - 0xdc00);
				} else if (u >= 0xdc00 && u <= 0xdfff) {
					*why = "lone surrogate";
					return -1;
				}
				if (u == 0) {
					*why = "NUL in string";
					return -1;
				}
				if (u < 0x80)
					enc[0] = (char)u;
				else if (u < 0x800) {
					enc[0] = (char)(0xc0 | u >> 6);
					enc[1] = (char)(0x80 | (u & 0x3f));
					len = 2;
				} else if (u < 0x10000) {
					enc[0] = (char)(0xe0 | u >> 12);
					enc[1] = (char)(0x80 | (u >> 6 & 0x3f));
					enc[2] = (char)(0x80 | (u & 0x3f));
					len = 3;
				} else {
					enc[0] = (char)(0xf0 | u >> 18);
					enc[1] = (char)(0x80 | (u >> 12 & 0x3f));
					enc[2] = (char)(0x80 | (u >> 6 & 0x3f));
					enc[3] = (char)(0x80 | (u & 0x3f));
					len = 4;
				}
				break;
			default:
				*why = "bad escape";
				return -1;
			}
			p++;
		}
		if (n + len >= cap) {
			*why = "string too long";
			return -1;
		}
		for (i = 0; i < len; i++)
			out[n++] = enc[i];
	}
	out[n] = '\0';
	if (lenp != NULL)
		*lenp = n;
	*pp = p + 1;
	return 0;
}

/* A JSON integer: no fraction, no exponent, no leading zeros. */
static int
parse_int(const char **pp, int64_t min, int64_t max, int64_t *v,
    const char **why)
{
	const char *p = *pp;
	int neg = 0, digits = 0;
	int64_t x = 0;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (*p == '0' && isdigit((unsigned char)p[1])) {
		*why = "leading zero in number";
		return -1;
	}
	while (isdigit((unsigned char)*p)) {
		if (++digits > 15) {
			*why = "number out of range";
			return -1;
		}
		x = x * 10 + (*p++ - '0');
	}
	if (digits == 0 || *p == '.' || *p == 'e' || *p == 'E') {
		*why = "expected an integer";
		return -1;
	}
	if (neg)
		x = -x;
	if (x < min || x > max) {
		*why = "number out of range";
		return -1;
	}
	*v = x;
	*pp = p;
	return 0;
}

/* "" or YYYY-MM-DDTHH:MM:SS[.f{1,6}]Z; the database checks the date. */
static int
valid_start(const char *s)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:dd";
	size_t i, n = strlen(s), f;

	if (n == 0)
		return 1;
	if (n < sizeof(pat))
		return 0;
	for (i = 0; i < sizeof(pat) - 1; i++)
		if (pat[i] == 'd' ? !isdigit((unsigned char)s[i]) :
		    s[i] != pat[i])
			return 0;
	if (s[i] == '.') {
		for (f = 0, i++; isdigit((unsigned char)s[i]); i++)
			f++;
		if (f < 1 || f > 6)
			return 0;
	}
	return s[i] == 'Z' && s[i + 1] == '\0';
}

void
ports_rec_free(struct ports_rec *r)
{
	free(r->log_tail);
	r->log_tail = NULL;
}

int
ports_parse_line(const char *line, struct ports_rec *r, const char **why)
{
	const char *p;
	char key[16];
	int seen = 0, bit;
	int64_t v;

	memset(r, 0, sizeof(*r));
	r->log_tail = kb_malloc(PORTS_MAX_TAIL + 1);
	r->log_tail[0] = '\0';
	if (strlen(line) > PORTS_MAX_LINE) {
		*why = "line too long";
		goto bad;
	}
	p = skip_ws(line);
	if (*p++ != '{') {
		*why = "not a JSON object";
		goto bad;
	}
	for (;;) {
		p = skip_ws(p);
		if (parse_string(&p, key, sizeof(key), NULL, why) == -1) {
			*why = "bad key";
			goto bad;
		}
		p = skip_ws(p);
		if (*p++ != ':') {
			*why = "expected ':'";
			goto bad;
		}
		p = skip_ws(p);
		if (strcmp(key, "pkg") == 0) {
			bit = K_PKG;
			if (parse_string(&p, r->pkg, sizeof(r->pkg), NULL,
			    why) == -1)
				goto bad;
			if (!label_valid(r->pkg, PORTS_MAX_NAME)) {
				*why = "bad package name";
				goto bad;
			}
		} else if (strcmp(key, "status") == 0) {
			bit = K_STATUS;
			if (parse_string(&p, r->status, sizeof(r->status),
			    NULL, why) == -1)
				goto bad;
			if (strcmp(r->status, "ok") != 0 &&
			    strcmp(r->status, "failed") != 0 &&
			    strcmp(r->status, "skipped") != 0) {
				*why = "bad status";
				goto bad;
			}
		} else if (strcmp(key, "exit") == 0) {
			bit = K_EXIT;
			if (parse_int(&p, -1, 511, &v, why) == -1)
				goto bad;
			r->exit = (int)v;
		} else if (strcmp(key, "real_us") == 0 ||
		    strcmp(key, "user_us") == 0 ||
		    strcmp(key, "sys_us") == 0) {
			bit = key[0] == 'r' ? K_REAL : key[0] == 'u' ?
			    K_USER : K_SYS;
			if (parse_int(&p, 0, MAX_US, &v, why) == -1)
				goto bad;
			if (bit == K_REAL)
				r->real_us = v;
			else if (bit == K_USER)
				r->user_us = v;
			else
				r->sys_us = v;
		} else if (strcmp(key, "start") == 0) {
			bit = K_START;
			if (parse_string(&p, r->start, sizeof(r->start),
			    NULL, why) == -1)
				goto bad;
			if (!valid_start(r->start)) {
				*why = "bad start time";
				goto bad;
			}
		} else if (strcmp(key, "log_tail") == 0) {
			bit = K_TAIL;
			if (parse_string(&p, r->log_tail, PORTS_MAX_TAIL + 1,
			    NULL, why) == -1)
				goto bad;
		} else {
			*why = "unknown key";
			goto bad;
		}
		if (seen & bit) {
			*why = "duplicate key";
			goto bad;
		}
		seen |= bit;
		p = skip_ws(p);
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p++ != '}') {
			*why = "expected ',' or '}'";
			goto bad;
		}
		break;
	}
	if (*skip_ws(p) != '\0') {
		*why = "trailing garbage";
		goto bad;
	}
	if (seen != K_ALL) {
		*why = "missing key";
		goto bad;
	}
	/* The status and the exit code must tell the same story. */
	if ((strcmp(r->status, "ok") == 0 && r->exit != 0) ||
	    (strcmp(r->status, "skipped") == 0 && r->exit != -1)) {
		*why = "status and exit disagree";
		goto bad;
	}
	return 0;
bad:
	ports_rec_free(r);
	return -1;
}

/* Read and check the whole file; *np records, or -1 (reason printed). */
static int
read_file(const char *path, struct ports_rec **out, size_t *np)
{
	struct ports_rec *v = NULL;
	size_t n = 0, i, len;
	long lineno = 0;
	const char *why;
	char *line;
	FILE *fp;
	int c, rc = -1;

	*out = NULL;
	*np = 0;
	if ((fp = fopen(path, "r")) == NULL) {
		kb_warn("%s", path);
		return -1;
	}
	line = kb_malloc(PORTS_MAX_LINE + 2);
	for (;;) {
		/* Read by hand: fgets would silently split a long line. */
		len = 0;
		while ((c = getc(fp)) != EOF && c != '\n') {
			if (c == '\0') {
				kb_warnx("%s:%ld: NUL byte", path, lineno + 1);
				goto out;
			}
			if (len == PORTS_MAX_LINE + 1) {
				kb_warnx("%s:%ld: line too long", path,
				    lineno + 1);
				goto out;
			}
			line[len++] = (char)c;
		}
		if (c == EOF && len == 0)
			break;
		line[len] = '\0';
		lineno++;
		if (*skip_ws(line) == '\0')
			continue;
		if (n == PORTS_MAX_PKGS) {
			kb_warnx("%s: more than %d packages", path,
			    PORTS_MAX_PKGS);
			goto out;
		}
		v = kb_reallocarray(v, n + 1, sizeof(*v));
		if (ports_parse_line(line, &v[n], &why) == -1) {
			kb_warnx("%s:%ld: %s", path, lineno, why);
			goto out;
		}
		for (i = 0; i < n; i++)
			if (strcmp(v[i].pkg, v[n].pkg) == 0)
				break;
		if (i < n) {
			kb_warnx("%s:%ld: package %s listed twice", path,
			    lineno, v[n].pkg);
			ports_rec_free(&v[n]);
			goto out;
		}
		n++;
		if (c == EOF)
			break;
	}
	if (ferror(fp)) {
		kb_warn("%s", path);
		goto out;
	}
	rc = 0;
out:
	free(line);
	fclose(fp);
	if (rc == -1) {
		for (i = 0; i < n; i++)
			ports_rec_free(&v[i]);
		free(v);
		return -1;
	}
	*out = v;
	*np = n;
	return 0;
}

static int
insert_all(PGconn *conn, int64_t run_id, int rep,
    const struct ports_rec *v, size_t n)
{
	char runs[24], reps[16], exits[16], real[24], user[24], sys[24];
	const char *params[10];
	size_t i;

	snprintf(runs, sizeof(runs), "%" PRId64, run_id);
	snprintf(reps, sizeof(reps), "%d", rep);
	for (i = 0; i < n; i++) {
		snprintf(exits, sizeof(exits), "%d", v[i].exit);
		snprintf(real, sizeof(real), "%" PRId64, v[i].real_us);
		snprintf(user, sizeof(user), "%" PRId64, v[i].user_us);
		snprintf(sys, sizeof(sys), "%" PRId64, v[i].sys_us);
		params[0] = runs;
		params[1] = reps;
		params[2] = v[i].pkg;
		params[3] = v[i].status;
		params[4] = exits;
		params[5] = real;
		params[6] = user;
		params[7] = sys;
		params[8] = v[i].start[0] != '\0' ? v[i].start : NULL;
		params[9] = v[i].log_tail;
		if (db_exec(conn, NULL,
		    "INSERT INTO pkg_build (run_id, rep, package, status, "
		    "exit, real_us, user_us, sys_us, started, log_tail) "
		    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
		    "ON CONFLICT (run_id, rep, package) DO NOTHING",
		    10, params) == -1)
			return -1;
	}
	return 0;
}

int
ports_collect(PGconn *conn, int64_t run_id, int rep, const char *results_dir)
{
	struct ports_rec *v;
	struct stat st;
	size_t n, i;
	char *path;
	int rc, own;

	if (rep < 1 || run_id < 1) {
		kb_warnx("ports: bad run %" PRId64 " or rep %d", run_id, rep);
		return -1;
	}
	path = kb_asprintf("%s/pkgs-%d.jsonl", results_dir, rep);
	if (stat(path, &st) == -1) {
		rc = errno == ENOENT ? 0 : -1;
		if (rc == -1)
			kb_warn("%s", path);
		free(path);
		return rc;
	}
	if (!S_ISREG(st.st_mode)) {
		kb_warnx("%s: not a regular file", path);
		free(path);
		return -1;
	}
	if (read_file(path, &v, &n) == -1) {
		free(path);
		return -1;
	}

	/*
	 * All or nothing.  In the caller's transaction a savepoint keeps
	 * a failure here from aborting the caller's own work.
	 */
	own = PQtransactionStatus(conn) == PQTRANS_IDLE;
	rc = own ? db_begin(conn) :
	    db_exec(conn, NULL, "SAVEPOINT ports_collect", 0, NULL);
	if (rc == 0)
		rc = insert_all(conn, run_id, rep, v, n);
	if (rc == 0)
		rc = own ? db_commit(conn) : db_exec(conn, NULL,
		    "RELEASE SAVEPOINT ports_collect", 0, NULL);
	if (rc == -1) {
		if (own)
			db_rollback(conn);
		else
			PQclear(PQexec(conn,
			    "ROLLBACK TO SAVEPOINT ports_collect"));
		kb_warnx("%s: packages not stored", path);
	}
	for (i = 0; i < n; i++)
		ports_rec_free(&v[i]);
	free(v);
	free(path);
	return rc;
}
