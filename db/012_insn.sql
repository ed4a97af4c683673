-- 012_insn: guest instructions per repetition, counted by the TCG
-- plugin kbench-insn.so between kbench-agent's marks (docs/statistics.md):
-- in kernel mode and in user mode, summed over the guest's vCPUs.
-- NULL: not counted (KVM, a real machine, this host, or --no-insn).

ALTER TABLE sample ADD COLUMN IF NOT EXISTS insn_kernel bigint;
ALTER TABLE sample ADD COLUMN IF NOT EXISTS insn_user bigint;
