-- 002_ports: per-package results of bulk builds (the ports workloads).
-- kbench-bulk writes one JSON line per package and repetition; the run
-- command stores them here next to the repetition's sample.  A package
-- is unique by (run, rep, package), so a replay never duplicates one.

CREATE TABLE pkg_build (
	id		bigserial PRIMARY KEY,
	run_id		bigint NOT NULL REFERENCES run (id) ON DELETE CASCADE,
	rep		integer NOT NULL CHECK (rep >= 1),
	package		text NOT NULL,
	status		text NOT NULL CHECK (status IN ('ok', 'failed',
			    'skipped')),
	exit		integer,
	real_us		bigint NOT NULL CHECK (real_us >= 0),
	user_us		bigint NOT NULL CHECK (user_us >= 0),
	sys_us		bigint NOT NULL CHECK (sys_us >= 0),
	started		timestamptz,
	log_tail	text,
	UNIQUE (run_id, rep, package)
);
-- Per-package series across runs: "how did bison's build time move?"
CREATE INDEX pkg_build_package ON pkg_build (package, run_id);
