/*
 * qemu.h: boot a built kernel in a QEMU guest over the prepared image,
 * run a workload there through kbench-agent, and read the samples back
 * out of the serial console.
 *
 * Nothing from the guest is trusted blindly: the agent's START line
 * must name the release we built (it carries -kb<kid12>) before any
 * sample counts; the console is watched for panics, oopses, BUG:s and
 * hung tasks; every phase (boot to START, each repetition, shutdown)
 * has a timeout.  A run that goes wrong is ended (QEMU is killed) and
 * reported with its reason and the console's tail, never dropped.
 */
#ifndef QEMU_H
#define QEMU_H

#include "lib/util.h"
#include "lib/sample.h"
#include "format/console.h"
#include "format/insnprof.h"

struct qemu_job {
	const char	*arch;		/* "amd64", "arm64", "riscv64" */
	const char	*kernel;	/* bzImage, or Image */
	/* In uname -r ("-kb<kid12>"), or NULL: no check. */
	const char	*release_tag;
	const char	*image;		/* base ext4 image (raw) */
	/* The run's directory: console.log, qemu.log, overlay, job. */
	const char	*dir;
	const char	*append;	/* kernel args, or NULL */
	const char	*accel;		/* kvm, tcg, NULL: probe */
	/*
	 * TCG's -icount: guest time follows executed instructions (2^shift
	 * ns each), so host noise mostly leaves the guest's clocks; costs
	 * multi-threaded TCG, and an amd64 or riscv64 guest gets one vCPU
	 * (QEMU 7.2 does not start a second x86 vCPU under -icount, and a
	 * 4-hart riscv64 guest hangs in its first disk I/O).  Implies tcg.
	 */
	int		 icount;	/* 1: on */
	int		 icount_shift;	/* 0..10 */
	int		 smp;		/* 0: the arch's (qemu_arch_cpus) */
	/*
	 * Under TCG the plugin kbench-insn.so counts the guest's kernel and
	 * user instructions per repetition (insn_kernel, insn_user) unless
	 * this is 1 (--no-insn).
	 */
	int		 no_insn;
	/*
	 * 1: the plugin also counts kernel instructions per function, per
	 * boot over its repetitions (qemu_result.prof); the guest writes its
	 * /proc/kallsyms to a third disk that names them (--profile).
	 */
	int		 profile;
	int		 mem_mb;	/* 0: scaled to the host */

	/* The workload, as kbench-agent takes it. */
	long		 n, warmup;
	const char	*cmd;		/* sh -c string */
	const char	*setup;		/* or NULL */
	const char	*cleanup;	/* or NULL */
	const char	*workdir;	/* in the guest; NULL: /root */
	long		 agent_timeout;	/* agent -t; 0: none */

	/* The harness's own watchdogs, seconds; 0: defaults. */
	int		 boot_timeout;	/* QEMU start to START */
	int		 rep_timeout;	/* between two agent lines */
	int		 shutdown_timeout; /* END to QEMU gone */
};

/* One repetition with what the guest said around it. */
struct qemu_sample {
	struct kb_sample s;
	long long	 read_kib;	/* disk KiB read during it; -1 */
	long long	 write_kib;	/* disk KiB written during it; -1 */
	long long	 cached_pre_kib; /* page cache before; -1 */
	long long	 cached_post_kib; /* and after; -1 */
	/* Where its bulk build's pkgs-REP.jsonl was written, or NULL. */
	const char	*pkgs_dir;
};

struct qemu_hooks {
	/* Each sample once its guest figures are in; -1 stops the run. */
	int	(*sample)(void *, const struct qemu_sample *);
	/* Phase changes ("booting", "running rep 2/5"), about 1/s. */
	void	(*tick)(void *, const char *phase, double elapsed);
	void	*arg;
};

struct qemu_result {
	int	 ok;		/* every planned sample, no trouble */
	char	 reason[512];	/* why not */
	char	*tail;		/* console's last lines */
	char	*console_log;	/* dir/console.log */
	char	 accel[64];	/* what ran: "kvm", "tcg" (+ why) */
	char	 release[128];	/* the guest's uname -r */
	char	 session[64];
	double	 boot_secs;	/* QEMU start to the agent's START */
	double	 total_secs;
	long	 samples;	/* delivered */
	long	 rejected;	/* framed lines that failed the checks */
	long	 timedout;	/* samples the agent killed */
	int	 qemu_status;	/* exit status, 128+signal, -1 killed */
	/* With job.profile: per function, summed over the reps; else n 0. */
	struct insn_profile prof;
};

/*
 * The accelerator for an arch's guests: "kvm" only when the guest's
 * arch is the host's (amd64 only is probed yet), /proc/cpuinfo has
 * vmx or svm, /dev/kvm opens, and a bounded probe boot of kernel
 * reaches userland; else "tcg".  why gets the reason (e.g. "no vmx/svm
 * in /proc/cpuinfo").  The verdict is kept in $KBENCH_HOME/qemu/accel
 * for an hour.
 */
const char	*qemu_accel_arch(const char *arch, const char *kernel,
		    char *why, size_t whysz);

/*
 * Whether there is a guest for arch (amd64, arm64, riscv64) and its QEMU
 * is installed; else 0, with the reason unless quiet.
 */
int	 qemu_arch_ok(const char *arch, int quiet);

/*
 * The vCPUs a guest of arch gets when the job says smp: smp when > 0,
 * else the arch's fixed count (riscv64: 4, as a HiFive Unmatched), else
 * the host's CPUs up to 4.
 */
int	 qemu_arch_cpus(const char *arch, int smp);

/* Run the job; 0 when QEMU could be run at all (see r->ok), else -1. */
int	 qemu_run(const struct qemu_job *, const struct qemu_hooks *,
	    struct qemu_result *);
void	 qemu_result_free(struct qemu_result *);

/*
 * Store one sample of a run with its guest figures (sample.disk_read_kib
 * and friends, db/003_kernel.sql) and its package rows (pkg_build); a
 * repeat of (run, rep) is ignored.
 * And the end of a run: state done or failed with the reason, accel,
 * console log, boot time and, when it failed, the console's tail.
 * 0 or -1.
 */
struct pg_conn;
int	 qemu_store_sample(struct pg_conn *, int64_t run,
	    const struct qemu_sample *);
int	 qemu_store_result(struct pg_conn *, int64_t run,
	    const struct qemu_result *);

#endif /* QEMU_H */
