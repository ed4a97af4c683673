-- 014_annotation: notes on a kernel or a date (kbench annotate, a
-- series page's form posted to /annotate with the token), shown on
-- the series pages' graphs.  A note is on one kernel or one day, for
-- every series or only a worker's, a workload's, or one series.
CREATE TABLE annotation (
	id		bigserial PRIMARY KEY,
	kernel_id	bigint REFERENCES kernel (id) ON DELETE CASCADE,
	day		date,
	worker_id	bigint REFERENCES worker (id) ON DELETE CASCADE,
	workload_id	bigint REFERENCES workload (id) ON DELETE CASCADE,
	body		text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
	author		text NOT NULL DEFAULT '',
	created		timestamptz NOT NULL DEFAULT now(),
	CHECK ((kernel_id IS NULL) <> (day IS NULL))
);
CREATE INDEX annotation_kernel ON annotation (kernel_id);
CREATE INDEX annotation_day ON annotation (day);
