-- 008_alert: alerts that people triage (kbench alert), delivered by
-- mail and webhook when kbench detect creates them.  docs/alerts.md.

-- One alert per worker and kernel: every regression change point of
-- that worker first seen at that kernel (all its workloads and metrics)
-- is one thing to look at, one mail, one webhook call.
CREATE TABLE alert (
	id		bigserial PRIMARY KEY,
	worker_id	bigint NOT NULL REFERENCES worker (id),
	kernel_id	bigint NOT NULL REFERENCES kernel (id),
	prev_kernel_id	bigint REFERENCES kernel (id),
	state		text NOT NULL DEFAULT 'new' CHECK (state IN ('new',
			    'acknowledged', 'invalid', 'fixed', 'accepted')),
	state_by	text,		-- who set the state, and when
	state_at	timestamptz,
	created		timestamptz NOT NULL DEFAULT now(),
	-- Reserved for the confirmation rerun and the automatic bisection,
	-- neither of which exists yet: false and NULL until they do.
	confirmed	boolean NOT NULL DEFAULT false,
	culprit		text,
	-- pending: to send; failed: to send again by the next detect;
	-- sent; quiet: no change point reached its threshold, or nothing
	-- was configured to send to when the alert was made.
	delivery	text NOT NULL DEFAULT 'pending' CHECK (delivery IN (
			    'pending', 'failed', 'sent', 'quiet')),
	mail_at		timestamptz,	-- each channel once, so a retry
	webhook_at	timestamptz,	-- sends only what failed
	delivered_at	timestamptz,
	delivery_error	text,
	delivery_tries	integer NOT NULL DEFAULT 0,
	UNIQUE (worker_id, kernel_id)
);
CREATE INDEX alert_delivery ON alert (delivery) WHERE delivery IN
    ('pending', 'failed');

ALTER TABLE change_point ADD COLUMN alert_id bigint REFERENCES alert (id);
CREATE INDEX change_point_alert ON change_point (alert_id);
-- An accepted alert's change points are deliberate shifts.
ALTER TABLE change_point DROP CONSTRAINT change_point_status_check;
ALTER TABLE change_point ADD CONSTRAINT change_point_status_check CHECK
    (status IN ('open', 'acknowledged', 'fixed', 'false-alarm',
    'accepted'));

-- Every state change, so that "who said fixed, and when" survives the
-- next change.
CREATE TABLE alert_event (
	id		bigserial PRIMARY KEY,
	alert_id	bigint NOT NULL REFERENCES alert (id) ON DELETE CASCADE,
	state		text NOT NULL,
	by_name		text NOT NULL,
	at		timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_event_alert ON alert_event (alert_id, id);

CREATE TABLE alert_note (
	id		bigserial PRIMARY KEY,
	alert_id	bigint NOT NULL REFERENCES alert (id) ON DELETE CASCADE,
	author		text NOT NULL,
	at		timestamptz NOT NULL DEFAULT now(),
	body		text NOT NULL
);
CREATE INDEX alert_note_alert ON alert_note (alert_id, id);

-- An accepted shift restarts the series there: no analysis, --full
-- included, reaches back past it, so the step is never flagged again.
ALTER TABLE series_state ADD COLUMN baseline_kernel_id bigint
    REFERENCES kernel (id);
