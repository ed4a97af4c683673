/*
 * cmd_import.c: kbench import, the timing logs users already have.
 *
 * Every file is parsed before the database is touched, and everything
 * is stored in one transaction: a bad file stores nothing at all.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "store/db.h"
#include "store/connect.h"
#include "store/importdb.h"
#include "store/pkgdb.h"
#include "lib/util.h"
#include "lib/sample.h"
#include "lib/hash.h"
#include "lib/label.h"
#include "worker/krun.h"
#include "engine/recover.h"
#include "format/timeparse.h"
#include "format/bulklog.h"
#include "format/dpblog.h"
#include "format/poudlog.h"

struct import_file {
	const char		*name;
	char			*buf;
	size_t			 len;
	char			 sha[65];
	struct kb_sampleset	 ss;
	struct tp_skips		 skips;	/* --lenient */
	struct bulklog		 bulk;	/* --format: a bulk log directory */
	int64_t			 run;	/* stored as, once committed */
};

/* --format: the bulk logs of other tools, a directory each. */
static const struct {
	const char	*name;
	int		(*read)(const char *, struct bulklog *, char *, size_t);
} bulk_formats[] = {
	{ "dpb",	dpblog_read },
	{ "poudriere",	poudlog_read },
};
#define NBULK	(sizeof(bulk_formats) / sizeof(bulk_formats[0]))

struct import_opts {
	const char	*kernel, *worker, *workload;
	const char	*revision, *date, *parent, *arch, *os;
	int		 force, lenient;
	int		 bulk;		/* --format: bulk_formats[bulk - 1] */
};

/*
 * Bigger than any timing log (a million records are ~10 MB): a wrong
 * file, stopped before it fills the memory.
 */
#define IMPORT_MAX	((size_t)1 << 30)

/* A binary file is refused at its first NUL, not after reading it all. */
static int
text_only(const char *name, const char *buf, size_t from, size_t len)
{
	const char *nul, *s;
	long line = 1;

	if ((nul = memchr(buf + from, '\0', len - from)) == NULL)
		return 0;
	for (s = buf; s < nul; s++)
		line += *s == '\n';
	kb_warnx("%s:%ld: NUL byte; expected a text log; nothing was "
	    "imported", name, line);
	return -1;
}

static char *
read_all(const char *name, size_t *lenp)
{
	FILE *fp;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	int bad = 0;

	if (strcmp(name, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(name, "r")) == NULL) {
		kb_warn("%s", name);
		return NULL;
	}
	while (!bad) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 1 << 20;
			buf = kb_reallocarray(buf, cap, 1);
		}
		if ((n = fread(buf + len, 1, cap - len - 1, fp)) == 0)
			break;
		bad = text_only(name, buf, len, len + n) == -1;
		if ((len += n) > IMPORT_MAX && !bad) {
			kb_warnx("%s: larger than %zu MiB; expected a timing "
			    "log (split it); nothing was imported", name,
			    IMPORT_MAX >> 20);
			bad = 1;
		}
	}
	if (!bad && ferror(fp)) {
		kb_warn("%s", name);
		bad = 1;
	}
	if (fp != stdin)
		fclose(fp);
	if (bad) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

static int
parse_files(struct import_file *f, int nf, int lenient, int bulk)
{
	char err[512];
	int i;

	for (i = 0; i < nf; i++) {
		if (bulk > 0) {
			if (bulk_formats[bulk - 1].read(f[i].name, &f[i].bulk,
			    err, sizeof(err)) == -1) {
				kb_warnx("%s; nothing was imported", err);
				return -1;
			}
			memcpy(f[i].sha, f[i].bulk.sha, sizeof(f[i].sha));
			continue;
		}
		if ((f[i].buf = read_all(f[i].name, &f[i].len)) == NULL)
			return -1;
		if (tp_parse_lenient(f[i].buf, f[i].len,
		    strcmp(f[i].name, "-") == 0 ? "<stdin>" : f[i].name,
		    &f[i].ss, lenient ? &f[i].skips : NULL, err,
		    sizeof(err)) < 0) {
			kb_warnx("%s; nothing was imported", err);
			return -1;
		}
		kb_sha256_hex(f[i].buf, f[i].len, f[i].sha);
	}
	return 0;
}

/* The same content again is almost always a mistake: say where it went. */
static int
refuse_duplicate(PGconn *c, const struct import_file *f)
{
	struct importdb_dup d;
	int dup;

	if ((dup = importdb_find(c, f->sha, &d)) == -1)
		return -1;
	if (dup)
		kb_warnx("%s: this content was already imported from %s as run "
		    "%s (kernel %s) on %s; use --force to import it again; "
		    "nothing was imported", f->name, d.name, d.run, d.kernel,
		    d.when);
	return dup ? -1 : 0;
}

static int
set_revision(PGconn *c, int64_t kid, const struct import_opts *o)
{
	if (o->revision == NULL && o->date == NULL && o->parent == NULL)
		return 0;
	return importdb_kernel_facts(c, kid, o->revision, o->date,
	    o->parent);
}

static int
store_file(PGconn *c, struct import_file *f, int64_t ids[3],
    const struct import_opts *o)
{
	char ukey[40];
	struct db_run run;
	int64_t id;
	char *cmd;

	if (importdb_lock(c, f->sha) == -1 ||
	    (!o->force && refuse_duplicate(c, f) == -1))
		return -1;
	memcpy(ukey, "import-", 7);
	if (kb_randhex(ukey + 7, 16) == -1) {
		kb_warnx("cannot read /dev/urandom");
		return -1;
	}
	cmd = o->bulk > 0 ? kb_asprintf("import --format %s %s (%s)",
	    bulk_formats[o->bulk - 1].name, f->name, f->bulk.files) :
	    kb_asprintf("import %s", f->name);
	memset(&run, 0, sizeof(run));
	run.kernel_id = ids[0];
	run.worker_id = ids[1];
	run.workload_id = ids[2];
	run.ukey = ukey;
	run.source = "import";
	run.state = "done";
	run.command = cmd;
	/* A bulk log is one repetition of its packages, with no total. */
	run.n_planned = o->bulk > 0 ? 1 : (int)f->ss.n;
	id = db_run_create(c, &run);
	free(cmd);
	if (id <= 0 || (o->bulk > 0 ? pkgdb_store(c, id, &f->bulk) :
	    db_samples_copy(c, id, &f->ss)) == -1 ||
	    db_run_state(c, id, "done", NULL) == -1)
		return -1;
	if (importdb_record(c, f->sha, id, f->name) == -1)
		return -1;
	f->run = id;
	return 0;
}

static void
print_bulk(const struct import_file *f, const struct import_opts *o)
{
	size_t i, ok = 0, failed = 0;

	for (i = 0; i < f->bulk.n; i++) {
		ok += strcmp(f->bulk.v[i].status, "ok") == 0;
		failed += strcmp(f->bulk.v[i].status, "failed") == 0;
	}
	printf("%s: %zu packages (%zu built, %zu failed, %zu skipped) stored "
	    "as run %" PRId64 " (kernel %s, worker %s, workload %s)\n",
	    f->name, f->bulk.n, ok, failed, f->bulk.n - ok - failed, f->run,
	    o->kernel, o->worker, o->workload);
}

/* Only after the commit: a run named here exists. */
static void
print_stored(const struct import_file *f, int nf,
    const struct import_opts *o)
{
	int i;

	for (i = 0; i < nf; i++) {
		if (o->bulk > 0) {
			print_bulk(&f[i], o);
			continue;
		}
		printf("%s: %zu samples stored as run %" PRId64 " (kernel %s, "
		    "worker %s, workload %s)\n", f[i].name, f[i].ss.n,
		    f[i].run, o->kernel, o->worker, o->workload);
		if (f[i].skips.n > 0)
			printf("%s: %zu stored, %ld skipped (--lenient): %s%s\n",
			    f[i].name, f[i].ss.n, f[i].skips.n,
			    f[i].skips.first, f[i].skips.n > 1 ?
			    " (the first)" : "");
	}
}

static int
store(struct import_file *f, int nf, const struct import_opts *o)
{
	PGconn *c;
	int64_t ids[3];
	int i, rc = -1;

	/*
	 * No spool for imports: the file is the user's own record, and
	 * all or nothing stays true.  Say so plainly.
	 */
	if ((c = store_connect()) == NULL) {
		kb_warnx("the database is unreachable; nothing was imported "
		    "(the files are untouched: import them again when it is "
		    "back)");
		return -1;
	}
	if (db_begin(c) == -1)
		goto out;
	ids[0] = db_kernel_id(c, o->kernel);
	ids[1] = db_worker_id(c, o->worker, o->arch, o->os, NULL, 0);
	ids[2] = db_workload_id(c, o->workload);
	if (ids[0] <= 0 || ids[1] <= 0 || ids[2] <= 0 ||
	    set_revision(c, ids[0], o) == -1)
		goto fail;
	for (i = 0; i < nf; i++)
		if (store_file(c, &f[i], ids, o) == -1)
			goto fail;
	if (db_commit(c) == -1)
		goto fail;
	print_stored(f, nf, o);
	rc = 0;
	goto out;
fail:
	db_rollback(c);
out:
	db_close(c);
	return rc;
}

/*
 * Name exactly the options missing, and give the worker the arch its
 * name says when it is one kbench builds kernels for (a worker called
 * riscv64 is a riscv64 machine); 0 or the usage error's status.
 */
static int
import_check(struct import_opts *o)
{
	const char *opt[3] = { "--kernel", "--worker", "--workload" };
	const char *val[3] = { o->kernel, o->worker, o->workload };
	char miss[64];
	size_t len = 0;
	int i, n = 0;

	miss[0] = '\0';
	for (i = 0; i < 3; i++)
		if (val[i] == NULL && ++n)
			len += snprintf(miss + len, sizeof(miss) - len, " %s",
			    opt[i]);
	if (n > 0)
		return kb_usage_error("import", "missing%s (%s)", miss,
		    n == 1 ? "it is required" : "each is required");
	if (*o->kernel == '\0' || *o->worker == '\0' || *o->workload == '\0')
		return kb_usage_error("import", "empty label");
	if (o->arch != NULL && !label_valid(o->arch, 32))
		return kb_usage_error("import", "--arch %s: expected an "
		    "architecture name such as amd64 or riscv64", o->arch);
	if (o->arch == NULL && kr_arch(o->worker) != NULL)
		o->arch = o->worker;
	return 0;
}

/* --format NAME: which bulk log; 0 or the usage error's status. */
static int
bulk_format(struct import_opts *o, const char *name)
{
	size_t i;

	for (i = 0; i < NBULK; i++)
		if (strcmp(bulk_formats[i].name, name) == 0) {
			o->bulk = (int)i + 1;
			return 0;
		}
	return kb_usage_error("import", "--format %s: expected dpb or "
	    "poudriere", name);
}

/* import --agent FILE --run ID: recover.h. */
static int
recover(const char *path, const char *runs, const char *session)
{
	struct recover_result r;
	long run;

	if (runs == NULL || kb_parse_long(runs, 1, LONG_MAX, &run) == -1)
		return kb_usage_error("import", "--agent FILE needs --run ID");
	if (recover_run(run, path, session, &r) == -1)
		return KB_EXIT_ERR;
	printf("%s: session %s: %ld sample lines, %ld package rows; run %ld "
	    "had %lld samples, has %lld%s\n", path, r.session, r.lines,
	    r.pkgs, run, (long long)r.before, (long long)r.after,
	    r.done ? " (all of them: done)" : "");
	return KB_EXIT_OK;
}

int
cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "worker", required_argument, NULL, 'W' },
		{ "workload", required_argument, NULL, 'L' },
		{ "force", no_argument, NULL, 'f' },
		{ "revision", required_argument, NULL, 'r' },
		{ "date", required_argument, NULL, 'd' },
		{ "parent", required_argument, NULL, 'p' },
		{ "arch", required_argument, NULL, 'a' },
		{ "os", required_argument, NULL, 'o' },
		{ "agent", required_argument, NULL, 'A' },
		{ "run", required_argument, NULL, 'R' },
		{ "session", required_argument, NULL, 'S' },
		{ "lenient", no_argument, NULL, 'l' },
		{ "format", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 }
	};
	const char *agent = NULL, *run = NULL, *session = NULL;
	struct import_opts o;
	struct import_file *f;
	int ch, i, nf, nstdin = 0, rc;

	memset(&o, 0, sizeof(o));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "fk:W:L:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'k': o.kernel = optarg; break;
		case 'W': o.worker = optarg; break;
		case 'L': o.workload = optarg; break;
		case 'f': o.force = 1; break;
		case 'r': o.revision = optarg; break;
		case 'd': o.date = optarg; break;
		case 'p': o.parent = optarg; break;
		case 'a': o.arch = optarg; break;
		case 'o': o.os = optarg; break;
		case 'A': agent = optarg; break;
		case 'R': run = optarg; break;
		case 'S': session = optarg; break;
		case 'l': o.lenient = 1; break;
		case 'F':
			if ((rc = bulk_format(&o, optarg)) != 0)
				return rc;
			break;
		default:
			return kb_usage_error("import", "bad option");
		}
	}
	if (agent != NULL && optind == argc)
		return recover(agent, run, session);
	if (agent != NULL || run != NULL || session != NULL)
		return kb_usage_error("import", "--agent FILE --run ID "
		    "[--session S] take no other FILE");
	if ((rc = import_check(&o)) != 0)
		return rc;
	if ((nf = argc - optind) < 1)
		return kb_usage_error("import", o.bulk > 0 ? "no DIR (a %s "
		    "log directory)" : "no FILE (use - for stdin)",
		    o.bulk > 0 ? bulk_formats[o.bulk - 1].name : "");
	if (o.bulk > 0 && o.lenient)
		return kb_usage_error("import", "--lenient is for time(1) "
		    "logs, not --format %s", bulk_formats[o.bulk - 1].name);
	f = kb_calloc((size_t)nf, sizeof(*f));
	for (i = 0; i < nf; i++) {
		f[i].name = argv[optind + i];
		nstdin += strcmp(f[i].name, "-") == 0;
	}
	if (nstdin > 1) {
		free(f);
		return kb_usage_error("import", "- given more than once");
	}
	rc = parse_files(f, nf, o.lenient, o.bulk) == 0 &&
	    store(f, nf, &o) == 0 ?
	    KB_EXIT_OK : KB_EXIT_ERR;
	for (i = 0; i < nf; i++) {
		free(f[i].buf);
		kb_ss_free(&f[i].ss);
		bulklog_free(&f[i].bulk);
	}
	free(f);
	return rc;
}
