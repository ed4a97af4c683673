/*
 * alertdb.c: the statements of alerts (kbench alert, kbench detect).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/alertdb.h"

/* A time as the JSON and the text show it: UTC, ISO 8601. */
#define UTC(x)	"to_char(" x " AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

int
alertdb_attach(PGconn *c, int64_t worker_id, int64_t workload_id,
    const char *metric, int64_t kernel_id, int64_t prev_kernel_id,
    const char *delivery, int *created)
{
	char wid[24], lid[24], kid[24], pid[24];
	const char *p[6] = { wid, kid, pid, delivery, lid, metric };
	PGresult *r;

	snprintf(wid, sizeof(wid), "%" PRId64, worker_id);
	snprintf(lid, sizeof(lid), "%" PRId64, workload_id);
	snprintf(kid, sizeof(kid), "%" PRId64, kernel_id);
	snprintf(pid, sizeof(pid), "%" PRId64, prev_kernel_id);
	*created = 0;
	/*
	 * Created once: a second detect of the same step finds it.  NOT
	 * EXISTS first, so that a found alert spends no id of the
	 * sequence (ON CONFLICT alone would, and ids people quote would
	 * skip); ON CONFLICT still settles a race between two detects.
	 */
	if (db_exec(c, &r, "INSERT INTO alert (worker_id, kernel_id, "
	    "prev_kernel_id, delivery) SELECT $1, $2, "
	    "NULLIF($3, '0')::bigint, $4 WHERE NOT EXISTS (SELECT 1 FROM "
	    "alert WHERE worker_id = $1 AND kernel_id = $2) "
	    "ON CONFLICT (worker_id, kernel_id) DO NOTHING RETURNING id",
	    4, p) == -1)
		return -1;
	*created = PQntuples(r) == 1;
	PQclear(r);
	return db_exec(c, NULL, "UPDATE change_point SET alert_id = "
	    "(SELECT id FROM alert WHERE worker_id = $1 AND kernel_id = $2) "
	    "WHERE worker_id = $1 AND kernel_id = $2 AND workload_id = $3 "
	    "AND metric = $4 AND alert_id IS NULL", 4,
	    (const char *const[]){ wid, kid, lid, metric });
}

int
alertdb_list(PGconn *c, int64_t id, const char *state, const char *worker,
    struct db_table *t)
{
	char aid[24];
	const char *p[3] = { aid, state, worker };

	snprintf(aid, sizeof(aid), "%" PRId64, id);
	return db_query(c, t, "SELECT a.id, w.name, k.label, "
	    "COALESCE(k.revision, ''), COALESCE(pk.label, ''), "
	    "COALESCE(pk.revision, ''), a.state, COALESCE(a.state_by, ''), "
	    "COALESCE(" UTC("a.state_at") ", ''), " UTC("a.created") ", "
	    "a.confirmed, a.culprit, a.delivery, "
	    "COALESCE(" UTC("a.delivered_at") ", ''), a.delivery_error, "
	    "a.delivery_tries, COALESCE(" UTC("a.mail_at") ", ''), "
	    "COALESCE(" UTC("a.webhook_at") ", ''), a.worker_id, "
	    "a.kernel_id, COALESCE(a.prev_kernel_id, 0), a.confirm_note, "
	    "a.bisection_id FROM alert a JOIN worker w ON w.id = a.worker_id "
	    "JOIN kernel k ON k.id = a.kernel_id "
	    "LEFT JOIN kernel pk ON pk.id = a.prev_kernel_id "
	    "WHERE ($1::bigint = 0 OR a.id = $1) "
	    "AND ($2::text IS NULL OR a.state = $2) "
	    "AND ($3::text IS NULL OR w.name = $3) "
	    "ORDER BY a.id DESC", 3, p);
}

/* A statement over the alert $1's rows. */
static int
by_alert(PGconn *c, int64_t id, struct db_table *t, const char *sql)
{
	char aid[24];
	const char *p[1] = { aid };

	snprintf(aid, sizeof(aid), "%" PRId64, id);
	return db_query(c, t, sql, 1, p);
}

int
alertdb_cps(PGconn *c, int64_t id, struct db_table *t)
{
	return by_alert(c, id, t, "SELECT cp.id, l.name, cp.metric, "
	    "cp.diff_pct, cp.ci_low_pct, cp.ci_high_pct, cp.p_value, "
	    "cp.mean_before, cp.mean_after, cp.status, cp.workload_id "
	    "FROM change_point cp JOIN workload l ON l.id = cp.workload_id "
	    "WHERE cp.alert_id = $1 "
	    "ORDER BY abs(cp.diff_pct) DESC, l.name, cp.metric");
}

int
alertdb_notes(PGconn *c, int64_t id, struct db_table *t)
{
	return by_alert(c, id, t, "SELECT author, " UTC("at") ", body "
	    "FROM alert_note WHERE alert_id = $1 ORDER BY id");
}

int
alertdb_events(PGconn *c, int64_t id, struct db_table *t)
{
	return by_alert(c, id, t, "SELECT state, by_name, " UTC("at") " "
	    "FROM alert_event WHERE alert_id = $1 ORDER BY id");
}

/*
 * An accepted step: each of the alert's series restarts at its kernel.
 * The anchor moves there too unless it is already later, and npoints
 * is forgotten so that the next detect analyses the series afresh.
 * Kernels are ordered as series are, by (commit_date, id).
 */
static int
accept_baseline(PGconn *c, const char *aid)
{
	const char *p[1] = { aid };

	return db_exec(c, NULL, "UPDATE series_state s SET "
	    "baseline_kernel_id = CASE WHEN s.baseline_kernel_id IS NULL OR "
	    "(SELECT ROW(commit_date, id) FROM kernel "
	    "WHERE id = s.baseline_kernel_id) < (SELECT ROW(commit_date, id) "
	    "FROM kernel WHERE id = cp.kernel_id) THEN cp.kernel_id "
	    "ELSE s.baseline_kernel_id END, "
	    "anchor_kernel_id = CASE WHEN s.anchor_kernel_id IS NULL OR "
	    "(SELECT ROW(commit_date, id) FROM kernel "
	    "WHERE id = s.anchor_kernel_id) < (SELECT ROW(commit_date, id) "
	    "FROM kernel WHERE id = cp.kernel_id) THEN cp.kernel_id "
	    "ELSE s.anchor_kernel_id END, npoints = -1 "
	    "FROM change_point cp WHERE cp.alert_id = $1 "
	    "AND s.worker_id = cp.worker_id "
	    "AND s.workload_id = cp.workload_id AND s.metric = cp.metric",
	    1, p);
}

int
alertdb_set_state(PGconn *c, int64_t id, const char *state, const char *by)
{
	static const char *const map[][2] = {
		{ "new", "open" }, { "acknowledged", "acknowledged" },
		{ "invalid", "false-alarm" }, { "fixed", "fixed" },
		{ "accepted", "accepted" }
	};
	char aid[24];
	const char *cps = NULL;
	PGresult *r;
	size_t i;
	int found;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], state) == 0)
			cps = map[i][1];
	if (cps == NULL)
		return -1;
	snprintf(aid, sizeof(aid), "%" PRId64, id);
	if (db_begin(c) == -1)
		return -1;
	if (db_exec(c, &r, "UPDATE alert SET state = $2, state_by = $3, "
	    "state_at = now() WHERE id = $1 RETURNING id", 3,
	    (const char *const[]){ aid, state, by }) == -1)
		goto fail;
	found = PQntuples(r) == 1;
	PQclear(r);
	if (!found) {
		db_rollback(c);
		return 1;
	}
	/* change_point.status follows, so detect --list agrees. */
	if (db_exec(c, NULL, "INSERT INTO alert_event (alert_id, state, "
	    "by_name) VALUES ($1, $2, $3)", 3,
	    (const char *const[]){ aid, state, by }) == -1 ||
	    db_exec(c, NULL, "UPDATE change_point SET status = $2 "
	    "WHERE alert_id = $1", 2, (const char *const[]){ aid, cps }) == -1)
		goto fail;
	if (strcmp(state, "accepted") == 0 && accept_baseline(c, aid) == -1)
		goto fail;
	return db_commit(c);
fail:
	db_rollback(c);
	return -1;
}

int
alertdb_note(PGconn *c, int64_t id, const char *author, const char *body)
{
	char aid[24];
	PGresult *r;
	int n;

	snprintf(aid, sizeof(aid), "%" PRId64, id);
	if (db_exec(c, &r, "INSERT INTO alert_note (alert_id, author, body) "
	    "SELECT id, $2, $3 FROM alert WHERE id = $1 RETURNING id", 3,
	    (const char *const[]){ aid, author, body }) == -1)
		return -1;
	n = PQntuples(r);
	PQclear(r);
	return n == 1 ? 0 : 1;
}

int
alertdb_pending(PGconn *c, struct db_table *t)
{
	return db_query(c, t, "SELECT id FROM alert WHERE delivery IN "
	    "('pending', 'failed') AND state = 'new' ORDER BY id", 0, NULL);
}

int
alertdb_delivered(PGconn *c, int64_t id, int mail_ok, int webhook_ok,
    const char *delivery, const char *error)
{
	char aid[24];
	const char *p[5] = { aid, mail_ok ? "1" : NULL,
	    webhook_ok ? "1" : NULL, delivery, error };

	snprintf(aid, sizeof(aid), "%" PRId64, id);
	return db_exec(c, NULL, "UPDATE alert SET "
	    "mail_at = CASE WHEN $2::text IS NULL THEN mail_at "
	    "ELSE COALESCE(mail_at, now()) END, "
	    "webhook_at = CASE WHEN $3::text IS NULL THEN webhook_at "
	    "ELSE COALESCE(webhook_at, now()) END, "
	    "delivery = $4, delivery_error = $5, "
	    "delivered_at = CASE WHEN $4 = 'sent' THEN now() END, "
	    "delivery_tries = delivery_tries + 1 WHERE id = $1", 5, p);
}
