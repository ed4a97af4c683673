/*
 * spool.c: the append-only spool of runs that could not reach the
 * database, and its replay.  See spool.h for the format and the rules.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"
#include "lib/hash.h"
#include "lib/label.h"
#include "lib/sample.h"
#include "format/agentproto.h"
#include "store/db.h"
#include "store/kerneldb.h"
#include "store/portsdb.h"
#include "store/spool.h"

#define MAXF		24	/* fields in a record, with room */
#define SUFFIX		".spool"

struct spool {
	char	*path;
	char	*ukey;
	int	 fd;
};

const char *
spool_dir(void)
{
	static char *p;

	if (p == NULL)
		p = kb_asprintf("%s/spool", kb_home());
	return p;
}

/* Make the directory private even if someone made it before us. */
static int
mkspooldir(void)
{
	if (kb_mkdirs(spool_dir(), 0700) == -1)
		return -1;
	if (chmod(spool_dir(), 0700) == -1) {
		kb_warn("chmod %s", spool_dir());
		return -1;
	}
	return 0;
}

char *
spool_encode(char type, const char *const *f, int n)
{
	size_t len = 16, i;
	char *out, *p, crc[9];
	const char *s;
	int k;

	for (k = 0; k < n; k++)
		len += (f[k] != NULL ? strlen(f[k]) * 2 : 2) + 1;
	out = kb_malloc(len);
	p = out + 9;		/* CRC and space go in front at the end */
	*p++ = type;
	for (k = 0; k < n; k++) {
		*p++ = '\t';
		if (f[k] == NULL) {
			*p++ = '\\';
			*p++ = 'N';
			continue;
		}
		for (s = f[k]; *s != '\0'; s++) {
			switch (*s) {
			case '\\': *p++ = '\\'; *p++ = '\\'; break;
			case '\t': *p++ = '\\'; *p++ = 't'; break;
			case '\n': *p++ = '\\'; *p++ = 'n'; break;
			case '\r': *p++ = '\\'; *p++ = 'r'; break;
			default: *p++ = *s; break;
			}
		}
	}
	*p = '\0';
	snprintf(crc, sizeof(crc), "%08lx",
	    (unsigned long)kb_crc32(out + 9, (size_t)(p - (out + 9))));
	memcpy(out, crc, 8);
	out[8] = ' ';
	i = (size_t)(p - out);
	out[i] = '\n';
	out[i + 1] = '\0';
	return out;
}

/*
 * Decode in place one line without its newline.  Returns the number
 * of fields, or -1 when the line is not a whole, intact record.
 */
int
spool_decode(char *line, char *type, char **f, int max)
{
	unsigned long want;
	char *end, *s, *d, *start, sep;
	size_t len = strlen(line);
	int n = 0, isnull;

	if (len < 10 || line[8] != ' ')
		return -1;
	want = strtoul(line, &end, 16);
	if (end != line + 8)
		return -1;
	if (kb_crc32(line + 9, len - 9) != (uint32_t)want)
		return -1;
	*type = line[9];
	s = line + 10;
	if (*s == '\0')
		return 0;
	if (*s != '\t')
		return -1;
	for (;;) {
		if (n == max)
			return -1;
		start = d = ++s;	/* s was on the tab before the field */
		isnull = 0;
		while (*s != '\0' && *s != '\t') {
			if (*s != '\\') {
				*d++ = *s++;
				continue;
			}
			switch (s[1]) {
			case '\\': *d++ = '\\'; break;
			case 't': *d++ = '\t'; break;
			case 'n': *d++ = '\n'; break;
			case 'r': *d++ = '\r'; break;
			case 'N':
				if (d != start || (s[2] != '\0' &&
				    s[2] != '\t'))
					return -1;
				isnull = 1;
				break;
			default:
				return -1;
			}
			s += 2;
		}
		/* d <= s: the terminator may land on the tab; keep sep. */
		sep = *s;
		*d = '\0';
		f[n++] = isnull ? NULL : start;
		if (sep == '\0')
			break;
	}
	return n;
}

/* Write one whole record and make it durable before returning. */
static int
put(struct spool *sp, char type, const char *const *f, int n)
{
	char *rec;
	size_t len, off = 0;
	ssize_t w;
	int rc = 0;

	rec = spool_encode(type, f, n);
	len = strlen(rec);
	while (off < len) {
		if ((w = write(sp->fd, rec + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			kb_warn("%s", sp->path);
			rc = -1;
			break;
		}
		off += (size_t)w;
	}
	if (rc == 0 && fsync(sp->fd) == -1) {
		kb_warn("fsync %s", sp->path);
		rc = -1;
	}
	free(rec);
	return rc;
}

static int
sync_dir(void)
{
	int fd;

	if ((fd = open(spool_dir(), O_RDONLY | O_DIRECTORY)) == -1)
		return -1;
	fsync(fd);
	close(fd);
	return 0;
}

/*
 * Open and lock path; make sure what we locked is still the file under
 * that name (a replayer may have removed it meanwhile).
 */
static int
open_locked(const char *path, int flags, int wait)
{
	struct stat a, b;
	int fd;

	for (;;) {
		if ((fd = open(path, flags | O_CLOEXEC, 0600)) == -1)
			return -1;
		if (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) == -1) {
			close(fd);
			return -2;
		}
		if (fstat(fd, &a) == 0 && a.st_nlink > 0 &&
		    stat(path, &b) == 0 && a.st_ino == b.st_ino &&
		    a.st_dev == b.st_dev)
			return fd;
		close(fd);
		if (!(flags & O_CREAT))
			return -1;
	}
}

struct spool *
spool_open(const struct spool_run *r)
{
	struct spool *sp;
	struct stat st;
	char nc[16], np[16], pid[24];
	const char *f[17];

	/* A ukey names a file: a label, so no way out of the directory. */
	if (!label_valid(r->ukey, 0)) {
		kb_warnx("spool: bad run key");
		return NULL;
	}
	if (mkspooldir() == -1)
		return NULL;
	sp = kb_calloc(1, sizeof(*sp));
	sp->path = kb_asprintf("%s/%s" SUFFIX, spool_dir(), r->ukey);
	sp->ukey = kb_strdup(r->ukey);
	/* Read too: the run replays its own file once the server is back. */
	sp->fd = open_locked(sp->path, O_RDWR | O_APPEND | O_CREAT, 1);
	if (sp->fd < 0 || fstat(sp->fd, &st) == -1) {
		kb_warn("%s", sp->path);
		spool_close(sp);
		return NULL;
	}
	fchmod(sp->fd, 0600);
	if (st.st_size > 0)
		return sp;
	sync_dir();
	snprintf(nc, sizeof(nc), "%d", r->ncpu);
	snprintf(np, sizeof(np), "%d", r->n_planned);
	snprintf(pid, sizeof(pid), "%ld", r->pid);
	f[0] = r->ukey;
	f[1] = r->worker;
	f[2] = r->arch;
	f[3] = r->os;
	f[4] = r->transport;
	f[5] = r->ncpu > 0 ? nc : NULL;
	f[6] = r->workload;
	f[7] = r->kernel;
	f[8] = r->variant;
	f[9] = r->source;
	f[10] = r->state;
	f[11] = r->n_planned > 0 ? np : NULL;
	f[12] = r->command;
	f[13] = r->log_path;
	f[14] = r->host;
	f[15] = r->pid > 0 ? pid : NULL;
	f[16] = r->pid_start;
	if (put(sp, 'R', f, 17) == -1) {
		spool_close(sp);
		return NULL;
	}
	return sp;
}

static const char *
num(char *buf, size_t len, int64_t v)
{
	if (v == KB_NONE)
		return NULL;
	snprintf(buf, len, "%" PRId64, v);
	return buf;
}

int
spool_sample(struct spool *sp, const struct kb_sample *s)
{
	char b[18][24];
	const char *f[18];

	f[0] = sp->ukey;
	f[1] = num(b[1], sizeof(b[1]), s->rep);
	f[2] = s->warmup ? "t" : "f";
	f[3] = num(b[3], sizeof(b[3]), s->real_us);
	f[4] = num(b[4], sizeof(b[4]), s->user_us);
	f[5] = num(b[5], sizeof(b[5]), s->sys_us);
	f[6] = num(b[6], sizeof(b[6]), s->maxrss_kb);
	f[7] = num(b[7], sizeof(b[7]), s->minflt);
	f[8] = num(b[8], sizeof(b[8]), s->majflt);
	f[9] = num(b[9], sizeof(b[9]), s->inblock);
	f[10] = num(b[10], sizeof(b[10]), s->oublock);
	f[11] = num(b[11], sizeof(b[11]), s->nvcsw);
	f[12] = num(b[12], sizeof(b[12]), s->nivcsw);
	f[13] = s->status < 0 ? NULL : num(b[13], sizeof(b[13]), s->status);
	f[14] = s->timedout ? "t" : "f";
	f[15] = s->start[0] != '\0' ? s->start : NULL;
	f[16] = num(b[16], sizeof(b[16]), s->insn_kernel);
	f[17] = num(b[17], sizeof(b[17]), s->insn_user);
	return put(sp, 'S', f, 18);
}

int
spool_state(struct spool *sp, const char *state, const char *reason)
{
	const char *f[3] = { sp->ukey, state, reason };

	return put(sp, 'T', f, 3);
}

int
spool_ports(struct spool *sp, int rep, const char *dir)
{
	char b[16];
	const char *f[3] = { sp->ukey, b, dir };

	snprintf(b, sizeof(b), "%d", rep);
	return put(sp, 'P', f, 3);
}

static const char *
kib(char *buf, size_t len, long long v)
{
	return v < 0 ? NULL : num(buf, len, v);
}

int
spool_io(struct spool *sp, const struct spool_io *io)
{
	char b[5][24];
	const char *f[6];

	f[0] = sp->ukey;
	f[1] = num(b[0], sizeof(b[0]), io->rep);
	f[2] = kib(b[1], sizeof(b[1]), io->read_kib);
	f[3] = kib(b[2], sizeof(b[2]), io->write_kib);
	f[4] = kib(b[3], sizeof(b[3]), io->cached_pre_kib);
	f[5] = kib(b[4], sizeof(b[4]), io->cached_post_kib);
	return put(sp, 'I', f, 6);
}

int
spool_boot(struct spool *sp, const struct spool_boot *b)
{
	const char *f[5] = { sp->ukey, b->accel, b->console_log, b->boot_us,
	    b->tail };

	return put(sp, 'B', f, 5);
}

const char *
spool_path(const struct spool *sp)
{
	return sp->path;
}

void
spool_close(struct spool *sp)
{
	if (sp == NULL)
		return;
	if (sp->fd >= 0)
		close(sp->fd);
	free(sp->path);
	free(sp->ukey);
	free(sp);
}

/* The whole file, NUL-terminated. */
static char *
slurp(int fd, size_t *lenp)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) == -1)
		return NULL;
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			buf = kb_reallocarray(buf, cap, 1);
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			free(buf);
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

static int64_t
i64(const char *s)
{
	return s == NULL ? KB_NONE : strtoll(s, NULL, 10);
}

/* Apply one R record: rows by name, the run by its ukey. */
static int64_t
apply_run(PGconn *c, char **f, int n)
{
	struct db_run dr;
	int64_t wid, lid, kid, id;

	if (n != 17 || f[0] == NULL || f[1] == NULL || f[6] == NULL ||
	    f[7] == NULL || f[9] == NULL || f[10] == NULL)
		return -1;
	wid = db_worker_id(c, f[1], f[2], f[3], f[4],
	    f[5] != NULL ? atoi(f[5]) : 0);
	lid = db_workload_id(c, f[6]);
	kid = db_kernel_id(c, f[7]);
	if (wid <= 0 || lid <= 0 || kid <= 0)
		return -1;
	memset(&dr, 0, sizeof(dr));
	dr.kernel_id = kid;
	dr.worker_id = wid;
	dr.workload_id = lid;
	dr.ukey = f[0];
	dr.variant = f[8];
	dr.source = f[9];
	dr.state = f[10];
	dr.n_planned = f[11] != NULL ? atoi(f[11]) : 0;
	dr.command = f[12];
	if ((id = db_run_create(c, &dr)) <= 0)
		return -1;
	if (db_run_harness(c, id, f[13], f[14],
	    f[15] != NULL ? atol(f[15]) : 0, f[16]) == -1)
		return -1;
	return id;
}

static int
apply_sample(PGconn *c, int64_t run, char **f, int n)
{
	struct kb_sample s;

	/* 16 fields before the instruction counts (db/012_insn.sql). */
	if ((n != 16 && n != 18) || f[1] == NULL || f[3] == NULL)
		return -1;
	kb_sample_init(&s);
	s.rep = (int)i64(f[1]);
	s.warmup = f[2] != NULL && f[2][0] == 't';
	s.real_us = i64(f[3]);
	s.user_us = i64(f[4]);
	s.sys_us = i64(f[5]);
	s.maxrss_kb = i64(f[6]);
	s.minflt = i64(f[7]);
	s.majflt = i64(f[8]);
	s.inblock = i64(f[9]);
	s.oublock = i64(f[10]);
	s.nvcsw = i64(f[11]);
	s.nivcsw = i64(f[12]);
	s.status = f[13] != NULL ? (int)i64(f[13]) : -1;
	s.timedout = f[14] != NULL && f[14][0] == 't';
	if (f[15] != NULL)
		snprintf(s.start, sizeof(s.start), "%s", f[15]);
	if (n == 18) {
		s.insn_kernel = i64(f[16]);
		s.insn_user = i64(f[17]);
	}
	return db_sample_insert(c, run, &s);
}

/* An I record: the guest's figures of a rep already stored. */
static int
apply_io(PGconn *c, int64_t run, char **f, int n)
{
	if (n != 6 || f[1] == NULL)
		return -1;
	return kerneldb_sample_io(c, run, atoi(f[1]),
	    f[2] != NULL ? atoll(f[2]) : -1, f[3] != NULL ? atoll(f[3]) : -1,
	    f[4] != NULL ? atoll(f[4]) : -1, f[5] != NULL ? atoll(f[5]) : -1);
}

struct tally {
	long	 samples, states;
	int	 torn, bad;
};

/*
 * Apply every intact record of buf in one transaction.  A record that
 * fails its CRC is skipped: the last one is a torn write, any other
 * is damage, counted and reported.
 */
static int
apply(PGconn *c, char *buf, size_t len, const char *path, int64_t *idp,
    struct tally *t)
{
	char *line, *nl, *f[MAXF], type;
	int64_t id = 0;
	int n;

	if (db_begin(c) == -1)
		return -1;
	for (line = buf; line < buf + len; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL) {
			t->torn++;	/* a crash mid-write: ignore */
			break;
		}
		*nl = '\0';
		if ((n = spool_decode(line, &type, f, MAXF)) < 1 ||
		    f[0] == NULL) {
			t->bad++;
			kb_warnx("%s: damaged record skipped", path);
			continue;
		}
		if (type == 'R') {
			if ((id = apply_run(c, f, n)) <= 0)
				goto fail;
			continue;
		}
		if (id <= 0) {
			kb_warnx("%s: record before its run; skipped", path);
			t->bad++;
			continue;
		}
		switch (type) {
		case 'S':
			if (apply_sample(c, id, f, n) == -1)
				goto fail;
			t->samples++;
			break;
		case 'T':
			if (n != 3 || f[1] == NULL ||
			    db_run_state(c, id, f[1], f[2]) == -1)
				goto fail;
			t->states++;
			break;
		case 'P':
			/* Missing or bad package files are reported there. */
			if (n == 3 && f[1] != NULL && f[2] != NULL)
				ports_collect(c, id, atoi(f[1]), f[2]);
			break;
		case 'I':
			if (apply_io(c, id, f, n) == -1)
				goto fail;
			break;
		case 'B':
			if (n != 5 || kerneldb_run_boot(c, id, f[1], f[2],
			    f[3], f[4]) == -1)
				goto fail;
			break;
		default:
			t->bad++;
			kb_warnx("%s: unknown record '%c' skipped", path, type);
			break;
		}
	}
	if (db_commit(c) == -1)
		return -1;
	if (idp != NULL)
		*idp = id;
	return 0;
fail:
	db_rollback(c);
	return -1;
}

/* Replay a file whose lock we hold, then remove it. */
static int
replay_fd(PGconn *c, int fd, const char *path, int64_t *idp,
    struct tally *t)
{
	char *buf;
	size_t len;
	int rc;

	if ((buf = slurp(fd, &len)) == NULL) {
		kb_warn("%s", path);
		return -1;
	}
	rc = apply(c, buf, len, path, idp, t);
	free(buf);
	if (rc == -1)
		return -1;
	/* Committed: the file goes; a crash before this replays again. */
	if (unlink(path) == -1) {
		kb_warn("unlink %s", path);
		return -1;
	}
	sync_dir();
	return 0;
}

int
spool_flush(PGconn *c, struct spool *sp, int64_t *idp)
{
	struct tally t;

	memset(&t, 0, sizeof(t));
	if (replay_fd(c, sp->fd, sp->path, idp, &t) == -1)
		return -1;
	close(sp->fd);
	sp->fd = -1;
	return 0;
}

static int
is_spool(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > sizeof(SUFFIX) - 1 && d->d_name[0] != '.' &&
	    strcmp(d->d_name + n - (sizeof(SUFFIX) - 1), SUFFIX) == 0;
}

int
spool_replay_all(PGconn *c, int verbose)
{
	struct dirent **ents;
	struct tally t;
	char *path;
	int i, n, fd, done = 0, failed = 0;

	if ((n = scandir(spool_dir(), &ents, is_spool, alphasort)) == -1)
		return 0;	/* no spool: nothing to do */
	memset(&t, 0, sizeof(t));
	for (i = 0; i < n; i++) {
		path = kb_asprintf("%s/%s", spool_dir(), ents[i]->d_name);
		free(ents[i]);
		/* Held by a live run, or gone: not ours to replay. */
		fd = failed ? -1 : open_locked(path, O_RDWR, 0);
		if (fd >= 0) {
			/*
			 * The database gone again: stop, the rest waits.  A
			 * file it refuses stays (reported) and is retried.
			 */
			if (replay_fd(c, fd, path, NULL, &t) == 0)
				done++;
			else if (db_lost(c))
				failed = 1;
			else
				kb_warnx("%s: not replayed; kept", path);
			close(fd);
		}
		free(path);
	}
	free(ents);
	if (done > 0 && (verbose || !kb_quiet))
		kb_info("kbench: replayed %ld samples of %d spooled runs",
		    t.samples, done);
	if (t.bad > 0)
		kb_warnx("spool: %d damaged records skipped", t.bad);
	return failed ? -1 : done;
}

int
spool_status(struct spool_stat *st)
{
	struct dirent **ents;
	char *path, *buf, *line, *nl, *f[MAXF], type;
	size_t len;
	int i, n, fd;

	memset(st, 0, sizeof(*st));
	if ((n = scandir(spool_dir(), &ents, is_spool, alphasort)) == -1)
		return errno == ENOENT ? 0 : -1;
	for (i = 0; i < n; i++) {
		path = kb_asprintf("%s/%s", spool_dir(), ents[i]->d_name);
		free(ents[i]);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
			free(path);
			continue;
		}
		st->files++;
		if (flock(fd, LOCK_SH | LOCK_NB) == -1)
			st->live++;
		if ((buf = slurp(fd, &len)) != NULL) {
			for (line = buf; line < buf + len; line = nl + 1) {
				if ((nl = strchr(line, '\n')) == NULL) {
					st->torn++;
					break;
				}
				*nl = '\0';
				if (spool_decode(line, &type, f, MAXF) < 1) {
					st->bad++;
					continue;
				}
				if (type == 'R')
					st->runs++;
				else if (type == 'S')
					st->samples++;
				else if (type == 'T')
					st->states++;
			}
			free(buf);
		}
		close(fd);
		free(path);
	}
	free(ents);
	return 0;
}
