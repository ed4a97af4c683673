-- 004_detect: change points over history (kbench detect) and
-- bisections (kbench bisect).  docs/statistics.md has the statistics.

-- A change point: where a series (worker, workload, metric over kernels
-- in commit order) moved.  kernel_id is the first kernel after the
-- change, prev_kernel_id the last before it.  Sizes are percent of the
-- mean before; the interval is Welch's 95% interval of the difference
-- between the samples of the two segments; p_value is the permutation
-- test's.  "Higher is worse" for every metric: a rise is a regression.
CREATE TABLE change_point (
	id		bigserial PRIMARY KEY,
	worker_id	bigint NOT NULL REFERENCES worker (id),
	workload_id	bigint NOT NULL REFERENCES workload (id),
	metric		text NOT NULL,
	kernel_id	bigint NOT NULL REFERENCES kernel (id),
	prev_kernel_id	bigint REFERENCES kernel (id),
	mean_before	double precision,
	mean_after	double precision,
	diff_pct	double precision,
	ci_low_pct	double precision,
	ci_high_pct	double precision,
	p_value		double precision,
	direction	text NOT NULL CHECK (direction IN ('regression',
			    'improvement')),
	status		text NOT NULL DEFAULT 'open' CHECK (status IN ('open',
			    'acknowledged', 'fixed', 'false-alarm')),
	detected	timestamptz NOT NULL DEFAULT now(),
	n_before	integer,	-- kernels in the segment before
	n_after		integer,	-- and after, when detected
	UNIQUE (worker_id, workload_id, metric, kernel_id)
);
CREATE INDEX change_point_open ON change_point (status, direction, detected);
CREATE INDEX change_point_kernel ON change_point (kernel_id);

-- Incremental analysis: each series is re-analysed only from its last
-- change point (the anchor), as Hunter does; points before it are
-- settled.  last_kernel_id and npoints say what the last analysis saw,
-- so a detect with no new data does nothing.
CREATE TABLE series_state (
	worker_id	bigint NOT NULL REFERENCES worker (id),
	workload_id	bigint NOT NULL REFERENCES workload (id),
	metric		text NOT NULL,
	anchor_kernel_id bigint REFERENCES kernel (id),
	last_kernel_id	bigint REFERENCES kernel (id),
	npoints		integer NOT NULL DEFAULT 0,
	analysed	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (worker_id, workload_id, metric)
);

-- A bisection: the revisions, what is measured and how, and the answer.
-- ukey identifies the same request (repo, good, bad, command, build,
-- metric, worker) so that re-running it resumes instead of starting over.
CREATE TABLE bisection (
	id		bigserial PRIMARY KEY,
	ukey		text NOT NULL,
	subject		text NOT NULL DEFAULT 'repo' CHECK (subject IN ('repo',
			    'kernel')),
	repo		text,
	good		text NOT NULL,
	bad		text NOT NULL,
	good_sha	text,
	bad_sha		text,
	worker_id	bigint NOT NULL REFERENCES worker (id),
	workload_id	bigint REFERENCES workload (id),
	metric		text NOT NULL,
	command		text,
	build		text,
	n		integer NOT NULL,
	state		text NOT NULL DEFAULT 'running' CHECK (state IN (
			    'running', 'done', 'failed')),
	reason		text,
	culprit		text,
	culprit_subject	text,
	confirm_diff_pct double precision,	-- culprit vs its parent
	confirm_p	double precision,
	revert_diff_pct	double precision,	-- culprit+revert vs culprit
	revert_p	double precision,
	created		timestamptz NOT NULL DEFAULT now(),
	finished	timestamptz
);
CREATE INDEX bisection_ukey ON bisection (ukey, state);

-- Every measured revision: endpoints, steps, confirmations.  The samples
-- are the run's (run_id); n, mean, stddev summarise the counted ones.
CREATE TABLE bisect_step (
	id		bigserial PRIMARY KEY,
	bisection_id	bigint NOT NULL REFERENCES bisection (id)
			    ON DELETE CASCADE,
	seq		integer NOT NULL,
	kind		text NOT NULL CHECK (kind IN ('good', 'bad', 'step',
			    'parent', 'culprit', 'revert')),
	revision	text NOT NULL,
	subject		text,
	run_id		bigint REFERENCES run (id),
	n		integer,
	mean		double precision,
	stddev		double precision,
	llr		double precision,	-- SPRT log likelihood ratio
	p_good		double precision,	-- Welch p against each endpoint
	p_bad		double precision,
	decision	text NOT NULL CHECK (decision IN ('good', 'bad', 'skip',
			    'measured')),
	detail		text,
	created		timestamptz NOT NULL DEFAULT now(),
	UNIQUE (bisection_id, seq)
);
