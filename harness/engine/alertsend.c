/*
 * alertsend.c: deliver new alerts by mail (sendmail -t -oi, the
 * interface every MTA provides) and by webhook (HTTP POST written on
 * a socket: one request, no library, http:// only).
 *
 * The webhook carries X-Kbench-Signature: sha256=HMAC(secret, body),
 * never the secret itself, so a receiver checks the body was ours and
 * unchanged while the secret stays off the wire and out of every log.
 */
#include <sys/socket.h>
#include <sys/time.h>

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/util.h"
#include "lib/hash.h"
#include "lib/spawn.h"
#include "format/config.h"
#include "store/db.h"
#include "store/alertdb.h"
#include "output/alertmsg.h"
#include "engine/alertsend.h"

#define HOOK_TIMEOUT	10	/* seconds to connect, send, answer */
#define ERRLEN		1024

int
alertsend_configured(const struct kb_config *cfg)
{
	return cfg->alert.nmail > 0 || *cfg->alert.webhook_url != '\0';
}

/* The whole message for sendmail -t: headers, a blank line, body. */
static void
mail_write(FILE *fp, const struct kb_config *cfg, const struct db_table *a,
    const struct db_table *cps)
{
	char host[256], date[64], *subj, *body;
	time_t now = time(NULL);
	size_t i;

	if (gethostname(host, sizeof(host)) == -1)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000",
	    gmtime(&now));
	subj = alertmsg_subject(a, 0, cps);
	body = alertmsg_text(a, 0, cps, cfg->serve_url);
	if (*cfg->alert.from != '\0')
		fprintf(fp, "From: %s\n", cfg->alert.from);
	else
		fprintf(fp, "From: kbench <kbench@%s>\n", host);
	fputs("To: ", fp);
	for (i = 0; i < cfg->alert.nmail; i++)
		fprintf(fp, "%s%s", i ? ", " : "", cfg->alert.mail[i]);
	fprintf(fp, "\nSubject: %s\nDate: %s\n", subj, date);
	fprintf(fp, "Message-ID: <kbench-alert-%s.%lld.%ld@%s>\n",
	    db_cell(a, 0, AL_ID), (long long)now, (long)getpid(), host);
	fprintf(fp, "X-Kbench-Alert: %s\nMIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n\n%s", db_cell(a, 0, AL_ID),
	    body);
	free(subj);
	free(body);
}

/* A header may not be split by a value: no CR or LF in any. */
static int
header_safe(const struct kb_config *cfg)
{
	size_t i;

	if (strpbrk(cfg->alert.from, "\r\n") != NULL)
		return 0;
	for (i = 0; i < cfg->alert.nmail; i++)
		if (strpbrk(cfg->alert.mail[i], "\r\n") != NULL)
			return 0;
	return 1;
}

/* Hand the mail to sendmail; 0, or -1 with the reason in err. */
static int
send_mail(const struct kb_config *cfg, const struct db_table *a,
    const struct db_table *cps, char *err, size_t errlen)
{
	char *argv[] = { cfg->alert.sendmail, "-t", "-oi", NULL };
	struct spawn_opts o = { NULL, NULL, SPAWN_KEEP, SPAWN_PIPE,
	    SPAWN_TO_OUT, 0, 1 };
	char out[256];
	int rd[2], st;
	ssize_t n;
	size_t got = 0;
	pid_t pid;
	FILE *tmp;

	if (!header_safe(cfg)) {
		snprintf(err, errlen, "a mail address has a line break");
		return -1;
	}
	/* A file, not a pipe: sendmail can answer while it reads. */
	if ((tmp = tmpfile()) == NULL) {
		snprintf(err, errlen, "tmpfile: %s", strerror(errno));
		return -1;
	}
	mail_write(tmp, cfg, a, cps);
	fflush(tmp);
	rewind(tmp);
	o.in = fileno(tmp);
	pid = spawn_start(argv, &o, rd);
	fclose(tmp);
	if (pid == -1) {
		snprintf(err, errlen, "cannot run %s", cfg->alert.sendmail);
		return -1;
	}
	while ((n = read(rd[0], out + got, sizeof(out) - 1 - got)) > 0 ||
	    (n == -1 && errno == EINTR))
		if (n > 0 && (got += (size_t)n) == sizeof(out) - 1)
			break;
	out[got] = '\0';
	close(rd[0]);
	if ((st = spawn_wait(pid)) != 0) {
		out[strcspn(out, "\n")] = '\0';
		snprintf(err, errlen, "%s exited %d%s%s", cfg->alert.sendmail,
		    st, *out != '\0' ? ": " : "", out);
		return -1;
	}
	return 0;
}

/* http://HOST[:PORT][/PATH] into its parts (config.c checked http://). */
static int
parse_url(const char *url, char *host, size_t hl, char *port, size_t pl,
    const char **path)
{
	const char *h = url + 7, *e, *c;

	*path = strchr(h, '/');
	e = *path != NULL ? *path : h + strlen(h);
	if (*path == NULL)
		*path = "/";
	if (*h == '[') {		/* [v6]:port */
		if ((c = memchr(h, ']', (size_t)(e - h))) == NULL)
			return -1;
		snprintf(host, hl, "%.*s", (int)(c - h - 1), h + 1);
		c = c[1] == ':' ? c + 1 : NULL;
	} else {
		c = memchr(h, ':', (size_t)(e - h));
		snprintf(host, hl, "%.*s", (int)((c ? c : e) - h), h);
	}
	if (c != NULL)
		snprintf(port, pl, "%.*s", (int)(e - c - 1), c + 1);
	else
		snprintf(port, pl, "80");
	return *host != '\0' && *port != '\0' ? 0 : -1;
}

/* A connected socket with send and receive timeouts, or -1. */
static int
dial(const char *host, const char *port, char *err, size_t errlen)
{
	struct addrinfo hints, *res, *ai;
	struct timeval tv = { HOOK_TIMEOUT, 0 };
	int fd = -1, rc, e = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		snprintf(err, errlen, "%s: %s", host, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype,
		    ai->ai_protocol)) == -1)
			continue;
		/* Linux applies SO_SNDTIMEO to connect too. */
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		e = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd == -1)
		snprintf(err, errlen, "connect to %s port %s: %s", host, port,
		    strerror(e));
	return fd;
}

static int
send_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		/* MSG_NOSIGNAL: a receiver that hangs up is an error here. */
		if ((n = send(fd, buf, len, MSG_NOSIGNAL)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read the status line; its code, or -1. */
static int
http_status(int fd)
{
	char buf[256];
	size_t got = 0;
	ssize_t n;
	int code;

	while (got < sizeof(buf) - 1 && memchr(buf, '\n', got) == NULL) {
		if ((n = recv(fd, buf + got, sizeof(buf) - 1 - got, 0)) <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			break;
		}
		got += (size_t)n;
	}
	buf[got] = '\0';
	if (sscanf(buf, "HTTP/%*d.%*d %d", &code) != 1)
		return -1;
	return code;
}

/* POST the alert's JSON; 0, or -1 with the reason in err. */
static int
send_webhook(const struct kb_config *cfg, const struct db_table *a,
    const struct db_table *cps, char *err, size_t errlen)
{
	const struct kb_alert_conf *ac = &cfg->alert;
	char host[256], port[16], sig[65], *body, *req;
	const char *path;
	json_t *j;
	int fd, code, rc = -1;

	if (parse_url(ac->webhook_url, host, sizeof(host), port, sizeof(port),
	    &path) == -1 || strpbrk(ac->webhook_url, " \r\n") != NULL) {
		snprintf(err, errlen, "bad url %s", ac->webhook_url);
		return -1;
	}
	j = json_pack("{s:s, s:o}", "event", "alert", "alert",
	    alertmsg_json(a, 0, cps, cfg->serve_url));
	body = json_dumps(j, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	json_decref(j);
	if (body == NULL) {
		snprintf(err, errlen, "cannot write the JSON");
		return -1;
	}
	sig[0] = '\0';
	if (*ac->webhook_secret != '\0')
		kb_hmac_sha256_hex(ac->webhook_secret,
		    strlen(ac->webhook_secret), body, strlen(body), sig);
	req = kb_asprintf("POST %s HTTP/1.1\r\nHost: %s:%s\r\n"
	    "User-Agent: kbench/" KB_VERSION "\r\n"
	    "Content-Type: application/json\r\nContent-Length: %zu\r\n"
	    "X-Kbench-Event: alert\r\n%s%s%sConnection: close\r\n\r\n%s",
	    path, host, port, strlen(body), *sig ?
	    "X-Kbench-Signature: sha256=" : "", sig, *sig ? "\r\n" : "",
	    body);
	if ((fd = dial(host, port, err, errlen)) != -1) {
		if (send_all(fd, req, strlen(req)) == -1)
			snprintf(err, errlen, "send to %s: %s", host,
			    strerror(errno));
		else if ((code = http_status(fd)) < 200 || code > 299)
			snprintf(err, errlen, code == -1 ? "%s: no HTTP "
			    "answer" : "%s: HTTP %d", host, code);
		else
			rc = 0;
		close(fd);
	}
	free(req);
	free(body);
	return rc;
}

/* Does any change point reach its threshold? */
static int
loud(const struct kb_config *cfg, const struct db_table *a,
    const struct db_table *cps)
{
	int i;

	for (i = 0; i < cps->nrows; i++)
		if (fabs(db_num(cps, i, AC_DIFF_PCT)) >= kb_alert_threshold(
		    cfg, db_cell(a, 0, AL_WORKER), db_cell(cps, i,
		    AC_WORKLOAD)))
			return 1;
	return 0;
}

/* Deliver one alert on each channel not yet done; record it. */
static int
deliver(PGconn *c, const struct kb_config *cfg, int64_t id, long *sent,
    long *failed)
{
	struct db_table a, cps;
	char merr[ERRLEN] = "", herr[ERRLEN] = "", *e = NULL;
	int want_mail, want_hook, mail_ok, hook_ok, rc;

	if (alertdb_list(c, id, NULL, NULL, &a) == -1)
		return -1;
	if (a.nrows != 1 || alertdb_cps(c, id, &cps) == -1) {
		rc = a.nrows != 1 ? 0 : -1;	/* gone: nothing to send */
		db_table_free(&a);
		return rc;
	}
	want_mail = cfg->alert.nmail > 0 && *db_cell(&a, 0, AL_MAIL_AT) == 0;
	want_hook = *cfg->alert.webhook_url != '\0' &&
	    *db_cell(&a, 0, AL_WEBHOOK_AT) == '\0';
	if (!loud(cfg, &a, &cps) || !alertsend_configured(cfg)) {
		printf("alert #%" PRId64 ": not sent (%s)\n", id,
		    alertsend_configured(cfg) ? "below its threshold" :
		    "nothing configured to send to");
		rc = alertdb_delivered(c, id, 0, 0, "quiet", NULL);
		goto out;
	}
	mail_ok = !want_mail || send_mail(cfg, &a, &cps, merr,
	    sizeof(merr)) == 0;
	hook_ok = !want_hook || send_webhook(cfg, &a, &cps, herr,
	    sizeof(herr)) == 0;
	if (!mail_ok || !hook_ok)
		e = kb_asprintf("%s%s%s%s%s", !mail_ok ? "mail: " : "", merr,
		    !mail_ok && !hook_ok ? "; " : "", !hook_ok ? "webhook: " :
		    "", herr);
	if (e != NULL) {
		kb_warnx("alert #%" PRId64 ": delivery failed, to be tried "
		    "again by the next detect: %s", id, e);
		(*failed)++;
	} else {
		printf("alert #%" PRId64 ": sent%s%s\n", id, want_mail ?
		    " by mail" : "", want_hook ? (want_mail ? " and webhook" :
		    " by webhook") : "");
		(*sent)++;
	}
	rc = alertdb_delivered(c, id, want_mail && mail_ok, want_hook &&
	    hook_ok, e != NULL ? "failed" : "sent", e);
	free(e);
out:
	db_table_free(&cps);
	db_table_free(&a);
	return rc;
}

int
alertsend_pending(PGconn *c, const struct kb_config *cfg, long *sent,
    long *failed)
{
	struct db_table ids;
	int i, rc = 0;

	*sent = *failed = 0;
	if (alertdb_pending(c, &ids) == -1)
		return -1;
	for (i = 0; i < ids.nrows && rc == 0; i++)
		rc = deliver(c, cfg, strtoll(db_cell(&ids, i, 0), NULL, 10),
		    sent, failed);
	db_table_free(&ids);
	return rc;
}
