-- 005_reliability: who runs a run, and a series summary kept current.
--
-- host, pid, pid_start: the harness process that owns a live run.  A
-- run still 'running' whose harness is gone (same host, and the pid is
-- dead or now belongs to a process started at another time) is stale:
-- the next kbench run or db status marks it failed, and kbench run
-- --resume can finish it.  pid_start is "BOOT_ID:START_TICKS" from
-- /proc (a reboot or a reused pid never matches).

ALTER TABLE run ADD COLUMN IF NOT EXISTS host text;
ALTER TABLE run ADD COLUMN IF NOT EXISTS pid integer;
ALTER TABLE run ADD COLUMN IF NOT EXISTS pid_start text;
CREATE INDEX IF NOT EXISTS run_live ON run (host)
    WHERE state IN ('queued', 'building', 'booting', 'running');

-- One point of a series: the good samples (no warm-ups, no timeouts, no
-- failed commands, as compare reads them) of one (worker, workload,
-- kernel), summarised.  A series of 10,000 kernels is then 10,000 index
-- rows instead of a median over every sample.  Kept current by the
-- statement triggers below; times in microseconds.
CREATE TABLE series_point (
	worker_id	bigint NOT NULL REFERENCES worker (id) ON DELETE CASCADE,
	workload_id	bigint NOT NULL REFERENCES workload (id)
			    ON DELETE CASCADE,
	kernel_id	bigint NOT NULL REFERENCES kernel (id) ON DELETE CASCADE,
	n		integer NOT NULL,
	real_median	double precision NOT NULL,
	real_mean	double precision NOT NULL,
	real_stddev	double precision,
	user_median	double precision,
	sys_median	double precision,
	updated		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (worker_id, workload_id, kernel_id)
);

-- Recompute the points a statement touched.  One transaction-scoped
-- advisory lock per (worker, workload), taken in order, serialises two
-- writers of the same series just long enough that neither overwrites
-- the other's newer point; each statement below then sees what is
-- committed (READ COMMITTED: a fresh snapshot per statement).
CREATE FUNCTION series_point_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(hashtextextended(
	    'kbench-series:' || k.worker_id || ':' || k.workload_id, 0))
	FROM (SELECT DISTINCT r.worker_id, r.workload_id
	    FROM (SELECT DISTINCT run_id FROM changed) c
	    JOIN run r ON r.id = c.run_id ORDER BY 1, 2) k;

	DELETE FROM series_point p USING (SELECT DISTINCT r.worker_id,
	    r.workload_id, r.kernel_id FROM (SELECT DISTINCT run_id
	    FROM changed) c JOIN run r ON r.id = c.run_id) k
	WHERE p.worker_id = k.worker_id AND p.workload_id = k.workload_id
	    AND p.kernel_id = k.kernel_id;

	INSERT INTO series_point (worker_id, workload_id, kernel_id, n,
	    real_median, real_mean, real_stddev, user_median, sys_median)
	SELECT r.worker_id, r.workload_id, r.kernel_id, count(*),
	    percentile_cont(0.5) WITHIN GROUP (ORDER BY s.real_us),
	    avg(s.real_us), stddev_samp(s.real_us),
	    percentile_cont(0.5) WITHIN GROUP (ORDER BY s.user_us),
	    percentile_cont(0.5) WITHIN GROUP (ORDER BY s.sys_us)
	FROM (SELECT DISTINCT r0.worker_id, r0.workload_id, r0.kernel_id
	    FROM (SELECT DISTINCT run_id FROM changed) c
	    JOIN run r0 ON r0.id = c.run_id) k
	JOIN run r ON r.worker_id = k.worker_id
	    AND r.workload_id = k.workload_id AND r.kernel_id = k.kernel_id
	JOIN sample s ON s.run_id = r.id
	WHERE NOT s.warmup AND NOT s.timedout
	    AND (s.status IS NULL OR s.status = 0)
	GROUP BY r.worker_id, r.workload_id, r.kernel_id;
	RETURN NULL;
END
$$;

CREATE TRIGGER sample_series_ins AFTER INSERT ON sample
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION series_point_refresh();
CREATE TRIGGER sample_series_del AFTER DELETE ON sample
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION series_point_refresh();

-- The points of runs already stored.
INSERT INTO series_point (worker_id, workload_id, kernel_id, n,
    real_median, real_mean, real_stddev, user_median, sys_median)
SELECT r.worker_id, r.workload_id, r.kernel_id, count(*),
    percentile_cont(0.5) WITHIN GROUP (ORDER BY s.real_us),
    avg(s.real_us), stddev_samp(s.real_us),
    percentile_cont(0.5) WITHIN GROUP (ORDER BY s.user_us),
    percentile_cont(0.5) WITHIN GROUP (ORDER BY s.sys_us)
FROM run r JOIN sample s ON s.run_id = r.id
WHERE NOT s.warmup AND NOT s.timedout AND (s.status IS NULL OR s.status = 0)
GROUP BY r.worker_id, r.workload_id, r.kernel_id;
