-- 013_insn_profile: where a profiled guest boot's kernel instructions
-- went (kbench try --profile, kbench worker boot --profile): per
-- function, counted by the TCG plugin kbench-insn.so between
-- kbench-agent's marks and summed over the run's repetitions (warm-ups
-- included, as many as the run's sample rows), named from that boot's
-- /proc/kallsyms (docs/statistics.md).  "[unknown]": no symbol.

CREATE TABLE IF NOT EXISTS insn_profile (
	run_id		bigint NOT NULL REFERENCES run (id) ON DELETE CASCADE,
	func		text NOT NULL,
	insn		bigint NOT NULL CHECK (insn >= 0),
	PRIMARY KEY (run_id, func)
);
