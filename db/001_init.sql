-- 001_init: workers, workloads, kernels, runs and their samples.
-- Times are bigint microseconds.  A sample is unique by (run, rep), so
-- a replay from the spool or a resumed run never duplicates one.

CREATE TABLE worker (
	id		bigserial PRIMARY KEY,
	name		text NOT NULL UNIQUE,
	arch		text,
	os		text,
	transport	text,
	ncpu		integer,
	created		timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE workload (
	id		bigserial PRIMARY KEY,
	name		text NOT NULL UNIQUE,
	description	text,
	created		timestamptz NOT NULL DEFAULT now()
);

-- A kernel: a label users choose (or the running kernel's uname), and
-- for built kernels the id hashed from tree, patches, config and arch.
CREATE TABLE kernel (
	id		bigserial PRIMARY KEY,
	label		text NOT NULL UNIQUE,
	kid		text,
	os		text,
	revision	text,
	commit_date	timestamptz,
	parent		text,
	patches		text,
	created		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kernel_revision ON kernel (revision);

CREATE TABLE run (
	id		bigserial PRIMARY KEY,
	ukey		text NOT NULL UNIQUE,
	kernel_id	bigint NOT NULL REFERENCES kernel (id),
	worker_id	bigint NOT NULL REFERENCES worker (id),
	workload_id	bigint NOT NULL REFERENCES workload (id),
	variant		text,
	source		text NOT NULL,
	state		text NOT NULL CHECK (state IN ('queued', 'building',
			    'booting', 'running', 'done', 'failed')),
	reason		text,
	n_planned	integer,
	command		text,
	accel		text,
	log_path	text,
	created		timestamptz NOT NULL DEFAULT now(),
	started		timestamptz,
	finished	timestamptz,
	heartbeat	timestamptz
);
CREATE INDEX run_series ON run (worker_id, workload_id, kernel_id);
CREATE INDEX run_state ON run (state);

CREATE TABLE sample (
	id		bigserial PRIMARY KEY,
	run_id		bigint NOT NULL REFERENCES run (id) ON DELETE CASCADE,
	rep		integer NOT NULL,
	warmup		boolean NOT NULL DEFAULT false,
	real_us		bigint NOT NULL CHECK (real_us >= 0),
	user_us		bigint CHECK (user_us >= 0),
	sys_us		bigint CHECK (sys_us >= 0),
	maxrss_kb	bigint,
	minflt		bigint,
	majflt		bigint,
	inblock		bigint,
	oublock		bigint,
	nvcsw		bigint,
	nivcsw		bigint,
	status		integer,
	timedout	boolean NOT NULL DEFAULT false,
	started		timestamptz,
	source_line	bigint,
	UNIQUE (run_id, rep)
);

-- Content hashes of imported logs: the same content is refused twice.
CREATE TABLE import_file (
	sha256		text PRIMARY KEY,
	run_id		bigint NOT NULL REFERENCES run (id) ON DELETE CASCADE,
	name		text,
	imported	timestamptz NOT NULL DEFAULT now()
);
