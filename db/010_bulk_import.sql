-- 010_bulk_import: the bulk logs BSD users already have (kbench import
-- --format dpb|poudriere, docs/workloads.md).
--
-- Their tools log only each package's elapsed time: user and system
-- time are unknown (NULL) for imported packages, never a made-up 0.
ALTER TABLE pkg_build ALTER COLUMN user_us DROP NOT NULL,
	ALTER COLUMN sys_us DROP NOT NULL;

-- pkg_edge: package depends on dep, in one run's package set, where the
-- run knows it; the per-package comparison's critical path follows it.
CREATE TABLE pkg_edge (
	run_id		bigint NOT NULL REFERENCES run (id) ON DELETE CASCADE,
	package		text NOT NULL,
	dep		text NOT NULL,
	UNIQUE (run_id, package, dep)
);
