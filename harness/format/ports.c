/*
 * ports.c: read the per-package results of a bulk build.
 *
 * The lines come from a worker, so nothing in them is trusted: jansson
 * parses each strictly (valid UTF-8, no NUL, no repeated key), it must
 * be exactly one flat object shape, every value is bounded and checked,
 * and the whole file is refused if any line is wrong, so a run never
 * ends up with half a package list.  store/portsdb.c stores them.
 */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "lib/label.h"
#include "format/ports.h"

/* 10^13 us is about 115 days: more than any build, less than garbage. */
#define MAX_US		INT64_C(10000000000000)

/* The keys of a line, each required once. */
static const char *const keys[] = {
	"pkg", "status", "exit", "real_us", "user_us", "sys_us", "start",
	"log_tail"
};
#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

/* A static reason for what jansson refused. */
static const char *
json_why(const json_error_t *e)
{
	switch (json_error_code(e)) {
	case json_error_duplicate_key:
		return "duplicate key";
	case json_error_numeric_overflow:
		return "number out of range";
	case json_error_invalid_utf8:
		return "invalid UTF-8 in string";
	case json_error_null_character:
	case json_error_null_byte_in_key:
		return "NUL in string";
	case json_error_end_of_input_expected:
		return "trailing garbage";
	case json_error_premature_end_of_input:
		return "truncated line";
	default:
		return "bad JSON";
	}
}

/* The string value of key, at most max bytes, or NULL with *why set. */
static const char *
get_str(json_t *o, const char *key, size_t max, const char **why)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v)) {
		*why = "expected a string";
		return NULL;
	}
	if (json_string_length(v) > max) {
		*why = "string too long";
		return NULL;
	}
	return json_string_value(v);
}

/* An integer value of key (no fraction, no exponent) in min..max. */
static int
get_int(json_t *o, const char *key, int64_t min, int64_t max, int64_t *vp,
    const char **why)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v)) {
		*why = "expected an integer";
		return -1;
	}
	if (json_integer_value(v) < min || json_integer_value(v) > max) {
		*why = "number out of range";
		return -1;
	}
	*vp = json_integer_value(v);
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

/* The checked values of a parsed line into r. */
static int
fill(json_t *o, struct ports_rec *r, const char **why)
{
	const char *k, *s;
	json_t *v;
	int64_t x;
	size_t i;

	json_object_foreach(o, k, v) {
		for (i = 0; i < NKEYS && strcmp(k, keys[i]) != 0; i++)
			;
		if (i == NKEYS) {
			*why = "unknown key";
			return -1;
		}
	}
	if (json_object_size(o) != NKEYS) {
		*why = "missing key";
		return -1;
	}
	if ((s = get_str(o, "pkg", PORTS_MAX_NAME, why)) == NULL)
		return -1;
	if (!label_valid(s, PORTS_MAX_NAME)) {
		*why = "bad package name";
		return -1;
	}
	memcpy(r->pkg, s, strlen(s) + 1);
	if ((s = get_str(o, "status", sizeof(r->status) - 1, why)) == NULL)
		return -1;
	if (strcmp(s, "ok") != 0 && strcmp(s, "failed") != 0 &&
	    strcmp(s, "skipped") != 0) {
		*why = "bad status";
		return -1;
	}
	memcpy(r->status, s, strlen(s) + 1);
	if (get_int(o, "exit", -1, 511, &x, why) == -1 ||
	    get_int(o, "real_us", 0, MAX_US, &r->real_us, why) == -1 ||
	    get_int(o, "user_us", 0, MAX_US, &r->user_us, why) == -1 ||
	    get_int(o, "sys_us", 0, MAX_US, &r->sys_us, why) == -1)
		return -1;
	r->exit = (int)x;
	if ((s = get_str(o, "start", sizeof(r->start) - 1, why)) == NULL)
		return -1;
	if (!valid_start(s)) {
		*why = "bad start time";
		return -1;
	}
	memcpy(r->start, s, strlen(s) + 1);
	if ((s = get_str(o, "log_tail", PORTS_MAX_TAIL, why)) == NULL)
		return -1;
	/* The status and the exit code must tell the same story. */
	if ((strcmp(r->status, "ok") == 0 && r->exit != 0) ||
	    (strcmp(r->status, "skipped") == 0 && r->exit != -1)) {
		*why = "status and exit disagree";
		return -1;
	}
	r->log_tail = kb_strdup(s);
	return 0;
}

int
ports_parse_line(const char *line, struct ports_rec *r, const char **why)
{
	json_error_t e;
	size_t len = strlen(line);
	json_t *o;
	int rc;

	memset(r, 0, sizeof(*r));
	if (len > PORTS_MAX_LINE) {
		*why = "line too long";
		return -1;
	}
	if (line[strspn(line, " \t\r\n")] != '{') {
		*why = "not a JSON object";
		return -1;
	}
	if ((o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &e)) == NULL) {
		*why = json_why(&e);
		return -1;
	}
	rc = fill(o, r, why);
	json_decref(o);
	if (rc == -1)
		ports_rec_free(r);
	return rc;
}

void
ports_free(struct ports_rec *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ports_rec_free(&v[i]);
	free(v);
}

int
ports_read_file(const char *path, struct ports_rec **out, size_t *np)
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
		if (line[strspn(line, " \t\r\n")] == '\0')
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
		ports_free(v, n);
		return -1;
	}
	*out = v;
	*np = n;
	return 0;
}
