-- 006_web: what kbench report and kbench serve keep.
--
-- try_request: per-patch runs asked for through POST /api/try (the
-- only write the web API allows, behind serve.token).  A scheduler
-- (kbench try, Buildbot) takes queued rows and sets run_id.
--
-- series_range and run_summary: summaries of finished data, filled
-- the first time a page needs them, so that no page reads the samples
-- of a finished kernel or run twice.  series_range differs from 005's
-- series_point (kept by triggers, real/user/sys medians) in holding
-- min and max, the spread a history plot draws, for every metric.  A row is valid while the set of
-- runs it was made from is unchanged (nruns, maxrun); runs that are
-- still going are summarised live and never cached.

CREATE TABLE try_request (
	id		bigserial PRIMARY KEY,
	worker		text NOT NULL,
	workload	text NOT NULL,
	n		integer NOT NULL CHECK (n BETWEEN 1 AND 1000),
	patch		text NOT NULL,
	state		text NOT NULL DEFAULT 'queued' CHECK (state IN
			    ('queued', 'running', 'done', 'failed',
			    'cancelled')),
	client		text,
	run_id		bigint REFERENCES run (id) ON DELETE SET NULL,
	submitted	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX try_request_state ON try_request (state, id);

CREATE TABLE series_range (
	worker_id	bigint NOT NULL REFERENCES worker (id) ON DELETE CASCADE,
	workload_id	bigint NOT NULL REFERENCES workload (id)
			    ON DELETE CASCADE,
	kernel_id	bigint NOT NULL REFERENCES kernel (id) ON DELETE CASCADE,
	metric		text NOT NULL,
	nruns		bigint NOT NULL,
	maxrun		bigint NOT NULL,
	n		bigint NOT NULL,
	min		double precision,
	max		double precision,
	median		double precision,
	mean		double precision,
	stddev		double precision,
	PRIMARY KEY (worker_id, workload_id, kernel_id, metric)
);

CREATE TABLE run_summary (
	run_id		bigint PRIMARY KEY REFERENCES run (id) ON DELETE CASCADE,
	nall		bigint NOT NULL,	-- every sample, warm-ups in
	n		bigint NOT NULL,	-- counted samples
	real_median	double precision,	-- microseconds
	real_mean	double precision,
	real_min	double precision,
	real_max	double precision
);

-- The runs of a state, newest first (status page, queue).
CREATE INDEX run_state_id ON run (state, id DESC);
