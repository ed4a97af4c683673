-- 011_runs: housekeeping of runs (kbench runs, the dashboard).
--
-- hidden: a run kept but left out of the index and the run lists (a
-- failed ad hoc run, a mistake); kbench runs hide|rm, or the web with
-- the token.  A series all of whose runs are hidden leaves the index.
ALTER TABLE run ADD COLUMN hidden boolean NOT NULL DEFAULT false;

-- kbench runs rm: a bisection step keeps its figures without its run.
ALTER TABLE bisect_step DROP CONSTRAINT bisect_step_run_id_fkey;
ALTER TABLE bisect_step ADD CONSTRAINT bisect_step_run_id_fkey
    FOREIGN KEY (run_id) REFERENCES run (id) ON DELETE SET NULL;
