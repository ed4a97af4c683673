/*
 * web.c: the HTTP server of kbench serve on libmicrohttpd.  Read-only
 * but for POST /api/try; every page is built from the store at the
 * time of the request, plots are drawn on demand and reused for a few
 * seconds.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/db.h"
#include "store/connect.h"
#include "web/webapi.h"
#include "web/web.h"

#define MAX_BODY	(1024 * 1024)	/* a patch for POST /api/try */

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

static int
file_reply(const char *path, const char *type, struct web_reply *r)
{
	FILE *fp;
	struct stat st;

	if ((fp = fopen(path, "r")) == NULL || fstat(fileno(fp), &st) == -1) {
		if (fp != NULL)
			fclose(fp);
		web_error(r, 404, "not found");
		return 0;
	}
	r->body = kb_malloc((size_t)st.st_size + 1);
	r->len = fread(r->body, 1, (size_t)st.st_size, fp);
	fclose(fp);
	r->status = 200;
	r->type = type;
	return 0;
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

static int
plot_reply(struct web *w, const char *name, struct web_reply *r)
{
	struct stat st;
	char *path;
	int rc;

	path = kb_asprintf("%s/%s", w->cache, name);
	if (stat(path, &st) == -1 || time(NULL) - st.st_mtime >= w->plot_ttl) {
		rc = wp_plot(&w->x, name, path);
		if (rc != 0) {
			web_error(r, rc == 1 ? 404 : 500, rc == 1 ?
			    "no such plot" : "the plot could not be drawn");
			free(path);
			return 0;
		}
	}
	file_reply(path, "image/svg+xml", r);
	free(path);
	return 0;
}

static void
page_reply(struct web *w, const char *name, struct web_reply *r)
{
	FILE *fp;
	int rc;

	if ((fp = open_memstream(&r->body, &r->len)) == NULL) {
		web_error(r, 500, "out of memory");
		return;
	}
	rc = wp_page(&w->x, fp, name);
	fclose(fp);
	if (rc == 0) {
		r->status = 200;
		r->type = "text/html; charset=utf-8";
	} else if (rc != 1 && db_lost(w->x.c))
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
		webapi_get(w, url, get_arg, conn, r);
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
	    strcmp(name, "status.js") == 0) {
		path = kb_asprintf("%s/dashboards/%s", kb_root(), name);
		file_reply(path, strcmp(name, "style.css") == 0 ?
		    "text/css" : "text/javascript", r);
		free(path);
	} else if (strncmp(name, "plot-", 5) == 0)
		plot_reply(w, name, r);
	else
		page_reply(w, name, r);
}

static enum MHD_Result
send_reply(struct MHD_Connection *conn, struct web_reply *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(r->len, r->body,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(r->body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", r->type);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	/* Everything comes from here: nothing inline, nothing external. */
	MHD_add_response_header(resp, "Content-Security-Policy",
	    "default-src 'self'; img-src 'self'; style-src 'self'; "
	    "script-src 'self'; frame-ancestors 'none'");
	if (r->allow != NULL)
		MHD_add_response_header(resp, "Allow", r->allow);
	if (r->auth)
		MHD_add_response_header(resp, "WWW-Authenticate",
		    "Bearer realm=\"kbench\"");
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

static enum MHD_Result
handler(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *data,
    size_t *data_size, void **con_cls)
{
	struct web *w = cls;
	struct web_reply r;
	struct upload *up;
	char client[64];
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
	if (db_ok(w) == -1)
		web_error(&r, 503, "the database is not reachable");
	else if (strcmp(url, "/api/try") == 0) {
		if (!post) {
			web_error(&r, 405, "POST a patch to /api/try");
			r.allow = "POST";
		} else if (up->toobig)
			web_error(&r, 413, "the patch is larger than 1 MiB");
		else {
			client_addr(conn, client, sizeof(client));
			webapi_try(w, MHD_lookup_connection_value(conn,
			    MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
			    get_arg, conn, client, up->buf ? up->buf : "",
			    up->len, &r);
		}
	} else if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
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

int
web_start(struct web *w, const char *addr, int port, void **daemon)
{
	struct sockaddr_in sin;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *di;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		kb_warnx("not an IPv4 address: %s", addr);
		return -1;
	}
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_ERROR_LOG, (uint16_t)port, NULL, NULL, handler, w,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
	    MHD_OPTION_END);
	if (d == NULL) {
		kb_warnx("cannot listen on %s:%d", addr, port);
		return -1;
	}
	*daemon = d;
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	return di != NULL ? di->port : port;
}

void
web_stop(void *daemon)
{
	MHD_stop_daemon(daemon);
}
