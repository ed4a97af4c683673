/*
 * recover.c: a run's samples stored after the fact from what its agent
 * printed (recover.h).  The agent's lines carry their own checksum and
 * session, so whatever else a console log holds, a line is taken only
 * when it is intact and of the run's session; the store ignores a
 * second copy of a rep, so recovering twice stores each sample once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/recover.h"
#include "format/agentproto.h"
#include "lib/util.h"
#include "store/connect.h"
#include "store/db.h"
#include "store/portsdb.h"
#include "store/recoverdb.h"
#include "worker/pkgrows.h"

#define MAXSESS	16

/* The sessions started in the file: id, release, reps planned. */
struct sessions {
	struct ap_line	 s[MAXSESS];
	int		 n;
};

/* A console may show a line twice: one session is one session. */
static int
known(const struct sessions *ss, const struct ap_line *l)
{
	int i;

	for (i = 0; i < ss->n; i++)
		if (strcmp(ss->s[i].session, l->session) == 0)
			return 1;
	return 0;
}

static int
read_sessions(FILE *fp, struct sessions *ss)
{
	struct ap_line l;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	ss->n = 0;
	while ((len = getline(&line, &cap, fp)) != -1)
		if (ap_parse(line, (size_t)len - (line[len - 1] == '\n'),
		    &l) == AP_START && ss->n < MAXSESS && !known(ss, &l))
			ss->s[ss->n++] = l;
	free(line);
	return ss->n;
}

/* The session to take; NULL with the reason said. */
static const struct ap_line *
pick(const struct sessions *ss, const char *want, const char *kid12,
    const char *path)
{
	const struct ap_line *hit = NULL;
	char tag[20];
	int i, n = 0;

	snprintf(tag, sizeof(tag), "-kb%s", kid12);
	for (i = 0; i < ss->n; i++)
		if (want != NULL ? strcmp(ss->s[i].session, want) == 0 :
		    *kid12 == '\0' || strstr(ss->s[i].release, tag) != NULL) {
			hit = &ss->s[i];
			n++;
		}
	if (n == 1 || (n > 1 && want != NULL))
		return hit;
	if (want != NULL)
		kb_warnx("%s: no agent session %s in it", path, want);
	else if (n == 0)
		kb_warnx("%s: no agent session on the run's kernel (a release "
		    "with %s) in it; name one with --session", path, tag);
	else {
		kb_warnx("%s: %d agent sessions could be the run's; name one "
		    "with --session:", path, n);
		for (i = 0; i < ss->n; i++)
			fprintf(stderr, "  %s  %s\n", ss->s[i].session,
			    ss->s[i].release);
	}
	return NULL;
}

/*
 * Store the session's intact sample lines, and the package rows that
 * came before each (written back into pkgs-REP.jsonl files in a
 * scratch directory, then stored from there as a local run's are); -1
 * on a store error.
 */
static int
store_lines(PGconn *c, int64_t run, FILE *fp, const char *session,
    struct recover_result *res)
{
	struct pkgrows pk;
	struct ap_line l;
	const char *dir;
	char *line = NULL, *tmp, *path;
	size_t cap = 0, n;
	ssize_t len;
	const char *t = getenv("TMPDIR");
	long rep, top = 0;
	int rc = 0;

	tmp = kb_asprintf("%s/kbench-recover.XXXXXX", t != NULL && *t != '\0' ?
	    t : "/tmp");
	if (mkdtemp(tmp) == NULL) {
		kb_warn("%s", tmp);
		free(tmp);
		return -1;
	}
	pkgrows_init(&pk, tmp);
	while (rc == 0 && (len = getline(&line, &cap, fp)) != -1) {
		n = (size_t)len - (line[len - 1] == '\n');
		switch (ap_parse(line, n, &l)) {
		case AP_PKG:
			if (strcmp(l.session, session) == 0 &&
			    pkgrows_feed(&pk, line, n) == 0 && pk.rep > top)
				top = pk.rep;
			break;
		case AP_SAMPLE:
			if (strcmp(l.session, session) != 0)
				break;
			res->lines++;
			rc = db_sample_insert(c, run, &l.sample);
			if (rc == 0 && (dir = pkgrows_dir(&pk,
			    l.sample.rep)) != NULL)
				rc = ports_collect(c, run, l.sample.rep, dir);
			break;
		default:
			break;
		}
	}
	res->pkgs = pk.rows;
	pkgrows_free(&pk);
	for (rep = 1; rep <= top; rep++) {
		path = kb_asprintf("%s/pkgs-%ld.jsonl", tmp, rep);
		unlink(path);
		free(path);
	}
	rmdir(tmp);
	free(tmp);
	free(line);
	return rc;
}

static int
recover_in(PGconn *c, int64_t run, FILE *fp, const char *path,
    const char *session, struct recover_result *res)
{
	struct recoverdb_run r;
	struct sessions ss;
	const struct ap_line *s;

	if (recoverdb_run(c, run, &r) != 1) {
		kb_warnx("no run %lld in the database", (long long)run);
		return -1;
	}
	res->before = r.samples;
	if (read_sessions(fp, &ss) == 0) {
		kb_warnx("%s: no intact KBENCH-START line: no agent session "
		    "to recover", path);
		return -1;
	}
	if ((s = pick(&ss, session, r.kid12, path)) == NULL)
		return -1;
	snprintf(res->session, sizeof(res->session), "%s", s->session);
	rewind(fp);
	if (store_lines(c, run, fp, s->session, res) == -1 ||
	    recoverdb_run(c, run, &r) != 1)
		return -1;
	res->after = r.samples;
	res->done = r.samples >= s->n + s->warmup;
	if (res->done && strcmp(r.state, "done") != 0 &&
	    db_run_state(c, run, "done", NULL) == -1)
		return -1;
	return 0;
}

int
recover_run(int64_t run, const char *path, const char *session,
    struct recover_result *res)
{
	PGconn *c;
	FILE *fp;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	if ((fp = fopen(path, "r")) == NULL) {
		kb_warn("%s", path);
		return -1;
	}
	if ((c = store_connect()) != NULL && db_begin(c) == 0) {
		rc = recover_in(c, run, fp, path, session, res);
		if (rc == 0 && db_commit(c) == -1)
			rc = -1;
		if (rc != 0)
			db_rollback(c);
	}
	db_close(c);
	fclose(fp);
	return rc;
}
