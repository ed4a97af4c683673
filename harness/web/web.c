/*
 * web.c: the HTTP server of kbench serve on libmicrohttpd.  Read-only
 * but for POST /api/try; every page is built from the store at the
 * time of the request; plots are drawn on demand, once per change of
 * their data (plotcache.h).
 *
 * A pool of threads answers, so that one slow request (a plot being
 * drawn, a large page) does not hold up the rest; each thread waits
 * on idle clients with epoll or poll, a client that says nothing for
 * IDLE_TIMEOUT seconds is dropped, and one address holds at most
 * PER_IP connections of the MAX_CONNS, so no one client can take
 * every slot.
 *
 * The threads share one database connection under one lock (w->mu),
 * held for every request's reading of the store and nothing else: the
 * store layer keeps state of its own beside the connection (the
 * last error's kind in db.c, statements built once in webdata.c, the
 * connection settings read once for a reconnect), all of it written
 * without locks, and one lock keeps all of it single-threaded without
 * auditing each.  A page holds it for a few milliseconds; a plot holds
 * it to read its data, never while gnuplot draws.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <fcntl.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/db.h"
#include "store/connect.h"
#include "web/webplots.h"
#include "web/webapi.h"
#include "web/webform.h"
#include "web/web.h"

/* The graphs of the series pages: Debian's libjs-dygraphs. */
#define DYGRAPHS_DIR	"/usr/share/javascript/dygraphs"
#define DYGRAPHS_EM_STYLE "'sha256-MJyOH6fkfzWPCLv2CfAAYjOtxkqoLBYZsmiMyy1D4sc='"
#define MAX_BODY	(1024 * 1024)	/* a patch for POST /api/try */
/* Threads: handlers block (the lock, a drawing), so more than cores. */
#define POOL_THREADS	8
#define MAX_CONNS	1000
#define PER_IP		64
#define IDLE_TIMEOUT	10	/* seconds */
/* Descriptors beside the connections: database, files, gnuplot. */
#define FD_SPARE	64
/* The plot cache: 64 MB or 1000 files; two drawings (gnuplot) at once. */
#define CACHE_BYTES	((int64_t)64 * 1024 * 1024)
#define CACHE_FILES	1000
#define CACHE_DRAWS	2

/* Per-connection state for a request with a body. */
struct upload {
	char	*buf;
	size_t	 len;
	int	 toobig;
};

static const char *
get_arg(void *ctx, const char *key)
{
	return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, key);
}

/*
 * A database that went away (restart) is reconnected once, but never
 * started: one its administrator stopped stays stopped, and the pages
 * say the database is away.
 */
static int
db_ok(struct web *w)
{
	PGconn *c;
	char err[256];

	if (w->x.c != NULL && PQstatus(w->x.c) == CONNECTION_OK)
		return 0;
	if (w->x.c != NULL)
		PQreset(w->x.c);
	if (w->x.c != NULL && PQstatus(w->x.c) == CONNECTION_OK) {
		wd_session(w->x.c);
		return 0;
	}
	if ((c = store_reconnect(err, sizeof(err))) == NULL) {
		kb_warnx("database: %s", err);
		return -1;
	}
	wd_session(c);
	db_close(w->x.c);
	w->x.c = c;
	return 0;
}

/* The store, locked; -1 (unlocked, a 503 in r) when it is away. */
static int
db_enter(struct web *w, struct web_reply *r)
{
	pthread_mutex_lock(&w->mu);
	if (db_ok(w) == 0)
		return 0;
	pthread_mutex_unlock(&w->mu);
	web_error(r, 503, "the database is not reachable");
	return -1;
}

/* A file sent as it is read, never whole in memory. */
static void
fd_reply(int fd, const char *type, struct web_reply *r)
{
	struct stat st;

	if (fd == -1 || fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		if (fd != -1)
			close(fd);
		web_error(r, 404, "not found");
		return;
	}
	r->fd = fd;
	r->size = (uint64_t)st.st_size;
	r->status = 200;
	r->type = type;
}

/* Only names the pages make: [a-z0-9.-], no "..", no '/'. */
static int
safe_name(const char *s)
{
	if (*s == '\0' || *s == '.' || strlen(s) > 120)
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-' || *s == '.'))
			return 0;
	return 1;
}

struct plot_job {
	struct web	*w;
	const char	*name;
};

/* plotcache's draw(): read under the lock, draw without it. */
static int
draw_plot(void *arg, const char *path)
{
	struct plot_job *j = arg;
	struct wplot *p;
	struct timespec t0, t1;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_mutex_lock(&j->w->mu);
	rc = db_ok(j->w) == -1 ? -1 : wplot_load(j->w->x.c, &j->w->x.o,
	    j->w->x.fmt, j->name, &p);
	pthread_mutex_unlock(&j->w->mu);
	if (rc != 0)
		return rc;
	rc = wplot_draw(p, path);
	wplot_free(p);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* One line per drawing: what the cache saves can be counted. */
	kb_info("kbench serve: drew %s in %.2f s%s", j->name,
	    (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, rc == 0 ? "" :
	    " (failed)");
	return rc;
}

static void
plot_reply(struct web *w, const char *name, struct web_reply *r)
{
	struct plot_job j = { w, name };
	char ver[PD_VERSION_LEN];
	int rc, fd;

	if (db_enter(w, r) == -1)
		return;
	rc = wplot_version(w->x.c, w->x.fmt, name, ver);
	if (rc == -1 && db_lost(w->x.c))
		rc = -2;
	pthread_mutex_unlock(&w->mu);
	if (rc == 0 && (fd = pc_get(w->plots, name, ver, draw_plot, &j,
	    &rc)) != -1) {
		fd_reply(fd, w->x.fmt == PLOT_PNG ? "image/png" :
		    "image/svg+xml", r);
		return;
	}
	if (rc == -2)
		web_error(r, 503, "the database is not reachable");
	else
		web_error(r, rc == 1 ? 404 : 500, rc == 1 ? "no such plot" :
		    "the plot could not be drawn");
}

static void
page_reply(struct web *w, struct MHD_Connection *conn, const char *name,
    struct web_reply *r)
{
	FILE *fp;
	int rc;

	w->x.arg = get_arg;
	w->x.argctx = conn;
	if ((fp = open_memstream(&r->body, &r->len)) == NULL) {
		web_error(r, 500, "out of memory");
		return;
	}
	rc = wp_page(&w->x, fp, name);
	fclose(fp);
	w->x.arg = NULL;
	w->x.argctx = NULL;
	if (rc == 0) {
		r->status = 200;
		r->type = "text/html; charset=utf-8";
	} else if (rc == 2)
		web_error(r, 400, "bad query parameter");
	else if (rc != 1 && db_lost(w->x.c))
		web_error(r, 503, "the database is not reachable");
	else
		web_error(r, rc == 1 ? 404 : 500, rc == 1 ? "not found" :
		    "internal error");
}

static void
route_get(struct web *w, struct MHD_Connection *conn, const char *url,
    struct web_reply *r)
{
	const char *name = url + 1;
	char *path;

	if (strncmp(url, "/api/", 5) == 0 || strcmp(url, "/api") == 0) {
		if (db_enter(w, r) == 0) {
			webapi_get(w, url, get_arg, conn, r);
			pthread_mutex_unlock(&w->mu);
		}
		return;
	}
	if (*url != '/' || !(*name == '\0' || safe_name(name))) {
		web_error(r, 404, "not found");
		return;
	}
	if (strcmp(name, "favicon.ico") == 0) {
		/* No icon: say so without an error in the browser's log. */
		r->status = 204;
		r->type = "image/x-icon";
		r->body = kb_strdup("");
	} else if (strcmp(name, "style.css") == 0 ||
	    strcmp(name, "status.js") == 0 || strcmp(name, "sort.js") == 0 ||
	    strcmp(name, "series.js") == 0) {
		path = kb_asprintf("%s/dashboards/%s", kb_root(), name);
		fd_reply(open(path, O_RDONLY | O_CLOEXEC),
		    strcmp(name, "style.css") == 0 ? "text/css" :
		    "text/javascript", r);
		free(path);
	} else if (strcmp(name, "dygraph.min.js") == 0 ||
	    strcmp(name, "dygraph.min.css") == 0) {
		/* Debian's libjs-dygraphs, never a CDN. */
		path = kb_asprintf("%s/%s", DYGRAPHS_DIR, name);
		fd_reply(open(path, O_RDONLY | O_CLOEXEC),
		    strcmp(name, "dygraph.min.js") == 0 ? "text/javascript" :
		    "text/css", r);
		free(path);
	} else if (strncmp(name, "plot-", 5) == 0)
		plot_reply(w, name, r);
	else if (db_enter(w, r) == 0) {
		page_reply(w, conn, name, r);
		pthread_mutex_unlock(&w->mu);
	}
}

static enum MHD_Result
send_reply(struct MHD_Connection *conn, struct web_reply *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (r->fd != -1) {
		/* The response owns the descriptor from here on. */
		if ((resp = MHD_create_response_from_fd64(r->size,
		    r->fd)) == NULL)
			close(r->fd);
	} else if ((resp = MHD_create_response_from_buffer(r->len, r->body,
	    MHD_RESPMEM_MUST_FREE)) == NULL)
		free(r->body);
	if (resp == NULL) {
		free(r->location);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", r->type);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	/*
	 * Everything comes from here: nothing inline, nothing external;
	 * but one style attribute by its hash, the one dygraphs (2.2)
	 * measures an em with when its legend is left,
	 * "margin: 0; padding: 0 0 0 1em; border: 0;".
	 */
	MHD_add_response_header(resp, "Content-Security-Policy",
	    "default-src 'self'; img-src 'self'; style-src 'self' "
	    "'unsafe-hashes' " DYGRAPHS_EM_STYLE "; script-src 'self'; "
	    "frame-ancestors 'none'");
	if (r->allow != NULL)
		MHD_add_response_header(resp, "Allow", r->allow);
	if (r->auth)
		MHD_add_response_header(resp, "WWW-Authenticate",
		    "Bearer realm=\"kbench\"");
	if (r->location != NULL)
		MHD_add_response_header(resp, "Location", r->location);
	free(r->location);
	ret = MHD_queue_response(conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void
client_addr(struct MHD_Connection *conn, char *buf, size_t len)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;

	*buf = '\0';
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)
		    (const void *)sa)->sin_addr, buf, (socklen_t)len);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr, buf, (socklen_t)len);
}

static void
try_reply(struct web *w, struct MHD_Connection *conn, int post,
    const struct upload *up, struct web_reply *r)
{
	char client[64];

	if (!post) {
		web_error(r, 405, "POST a patch to /api/try");
		r->allow = "POST";
	} else if (up->toobig)
		web_error(r, 413, "the patch is larger than 1 MiB");
	else if (db_enter(w, r) == 0) {
		client_addr(conn, client, sizeof(client));
		webapi_try(w, MHD_lookup_connection_value(conn,
		    MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
		    get_arg, conn, client, up->buf ? up->buf : "", up->len,
		    r);
		pthread_mutex_unlock(&w->mu);
	}
}

/* A dashboard form (webform.c), posted with the token. */
static void
form_reply(struct web *w, struct MHD_Connection *conn, const char *url,
    const struct upload *up, struct web_reply *r)
{
	if (up->toobig)
		web_error(r, 413, "the form is larger than 1 MiB");
	else if (db_enter(w, r) == 0) {
		webform_post(w, url, MHD_lookup_connection_value(conn,
		    MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
		    up->buf ? up->buf : "", r);
		pthread_mutex_unlock(&w->mu);
	}
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *data,
    size_t *data_size, void **con_cls)
{
	struct web *w = cls;
	struct web_reply r;
	struct upload *up;
	int post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;

	if (*con_cls == NULL) {
		/* First call: headers only.  Keep a place for a body. */
		*con_cls = kb_calloc(1, sizeof(struct upload));
		return MHD_YES;
	}
	up = *con_cls;
	if (*data_size > 0) {
		if (!post || up->len + *data_size > MAX_BODY)
			up->toobig = 1;
		else {
			up->buf = realloc(up->buf, up->len + *data_size + 1);
			if (up->buf == NULL)
				return MHD_NO;
			memcpy(up->buf + up->len, data, *data_size);
			up->len += *data_size;
			up->buf[up->len] = '\0';
		}
		*data_size = 0;
		return MHD_YES;
	}
	memset(&r, 0, sizeof(r));
	r.fd = -1;
	if (strcmp(url, "/api/try") == 0)
		try_reply(w, conn, post, up, &r);
	else if (post && (strcmp(url, "/triage") == 0 ||
	    strcmp(url, "/runs") == 0 || strcmp(url, "/annotate") == 0))
		form_reply(w, conn, url, up, &r);
	else if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		web_error(&r, 405, "read-only: GET");
		r.allow = "GET, HEAD";
	} else
		route_get(w, conn, url, &r);
	return send_reply(conn, &r);
}

static void
completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct upload *up = *con_cls;

	if (up != NULL) {
		free(up->buf);
		free(up);
		*con_cls = NULL;
	}
}

/*
 * libmicrohttpd's complaints, at most one a second: each connection
 * refused at a limit is one, and a flood of them must not become a
 * flood of the log.
 */
static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	static time_t last;
	static unsigned long quiet;
	time_t now = time(NULL);

	pthread_mutex_lock(&mu);
	if (now != last) {
		flockfile(stderr);
		if (quiet > 0)
			fprintf(stderr, "kbench serve: (%lu more such "
			    "messages)\n", quiet);
		quiet = 0;
		last = now;
		fputs("kbench serve: ", stderr);
		vfprintf(stderr, fmt, ap);
		funlockfile(stderr);
	} else
		quiet++;
	pthread_mutex_unlock(&mu);
}

/*
 * How many connections the descriptors allow: the soft limit raised
 * towards the hard one first when MAX_CONNS needs it.
 */
static unsigned
conn_limit(void)
{
	struct rlimit rl;
	rlim_t want = MAX_CONNS + FD_SPARE;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return MAX_CONNS;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ||
		    rl.rlim_max > want ? want : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want)
		return rl.rlim_cur > 2 * FD_SPARE ?
		    (unsigned)(rl.rlim_cur - FD_SPARE) : FD_SPARE;
	return MAX_CONNS;
}

int
web_start(struct web *w, const char *addr, int port, void **daemon)
{
	struct sockaddr_in sin;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *di;
	struct pc_limits lim = { CACHE_BYTES, CACHE_FILES, CACHE_DRAWS };
	unsigned conns = conn_limit();

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		kb_warnx("not an IPv4 address: %s", addr);
		return -1;
	}
	/* Made once here, not first by two threads at once. */
	(void)kb_root();
	(void)kb_home();
	pthread_mutex_init(&w->mu, NULL);
	w->plots = pc_open(w->cache, &lim);
	/* MHD_USE_AUTO: epoll on Linux, poll where there is none. */
	d = MHD_start_daemon(MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_ERROR_LOG, (uint16_t)port, NULL, NULL, handler, w,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)POOL_THREADS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT,
	    MHD_OPTION_CONNECTION_LIMIT, conns,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)PER_IP,
	    MHD_OPTION_END);
	if (d == NULL) {
		kb_warnx("cannot listen on %s:%d", addr, port);
		pc_close(w->plots);
		pthread_mutex_destroy(&w->mu);
		return -1;
	}
	*daemon = d;
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	return di != NULL ? di->port : port;
}

void
web_stop(struct web *w, void *daemon)
{
	MHD_stop_daemon(daemon);
	pc_close(w->plots);
	pthread_mutex_destroy(&w->mu);
}
