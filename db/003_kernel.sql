-- 003_kernel: what built kernels and QEMU runs add.
-- A kernel built by kbench knows its arch, the release its guest must
-- report (uname -r, carrying -kb<kid12>) and how long it took to build.
-- A QEMU run keeps how long the guest took to boot to the agent's START
-- and, when it failed, the console's tail beside the reason.  A sample
-- from a guest carries what shows the mechanism behind its times: KiB
-- read from and written to the guest's disk during the repetition and
-- the guest's page cache (Cached:) before and after it.  NULL: unknown.

ALTER TABLE kernel ADD COLUMN IF NOT EXISTS arch text;
ALTER TABLE kernel ADD COLUMN IF NOT EXISTS release text;
ALTER TABLE kernel ADD COLUMN IF NOT EXISTS build_us bigint;

ALTER TABLE run ADD COLUMN IF NOT EXISTS boot_us bigint;
ALTER TABLE run ADD COLUMN IF NOT EXISTS console_tail text;

ALTER TABLE sample ADD COLUMN IF NOT EXISTS disk_read_kib bigint;
ALTER TABLE sample ADD COLUMN IF NOT EXISTS disk_write_kib bigint;
ALTER TABLE sample ADD COLUMN IF NOT EXISTS cached_pre_kib bigint;
ALTER TABLE sample ADD COLUMN IF NOT EXISTS cached_post_kib bigint;
