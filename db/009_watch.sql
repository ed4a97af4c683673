-- 009_watch: the loop closed (docs/watch.md).
--
-- watch: where kbench watch left each followed branch, so that --once
-- from cron measures only what is new.
CREATE TABLE watch (
	id		bigserial PRIMARY KEY,
	kind		text NOT NULL CHECK (kind IN ('repo', 'tree')),
	repo		text NOT NULL,	-- the absolute path of the git tree
	branch		text NOT NULL,
	worker		text NOT NULL,
	workload	text NOT NULL,
	last_rev	text,		-- the newest commit measured
	measured	bigint NOT NULL DEFAULT 0,
	updated		timestamptz NOT NULL DEFAULT now(),
	UNIQUE (kind, repo, branch, worker, workload)
);

-- An alert made by watch is held until both sides were measured again
-- (the confirmation): then pending (sent) or quiet (not confirmed,
-- kept as such).  bisection_id: the bisection that confirmed it and,
-- when the step spans several commits, named the culprit.
ALTER TABLE alert DROP CONSTRAINT alert_delivery_check;
ALTER TABLE alert ADD CONSTRAINT alert_delivery_check CHECK (delivery IN
    ('held', 'pending', 'failed', 'sent', 'quiet'));
ALTER TABLE alert ADD COLUMN bisection_id bigint REFERENCES bisection (id)
    ON DELETE SET NULL;
ALTER TABLE alert ADD COLUMN confirm_note text;

-- The queue runner (kbench queue run, started by kbench serve): a
-- request goes queued -> building -> booting -> running -> done or
-- failed (or cancelled), with who ran it, when, its log and verdict.
ALTER TABLE try_request DROP CONSTRAINT try_request_state_check;
ALTER TABLE try_request ADD CONSTRAINT try_request_state_check CHECK
    (state IN ('queued', 'building', 'booting', 'running', 'done',
    'failed', 'cancelled'));
ALTER TABLE try_request ADD COLUMN runner text;	-- host:pid
ALTER TABLE try_request ADD COLUMN started timestamptz;
ALTER TABLE try_request ADD COLUMN finished timestamptz;
ALTER TABLE try_request ADD COLUMN verdict text;
ALTER TABLE try_request ADD COLUMN error text;
ALTER TABLE try_request ADD COLUMN log_path text;
ALTER TABLE try_request ADD COLUMN attempts integer NOT NULL DEFAULT 0;
