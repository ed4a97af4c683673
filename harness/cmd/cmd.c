/*
 * cmd.c: the command table and what every command shares for its
 * usage and help.  Each command lives in its own cmd_NAME.c.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "lib/sample.h"
#include "lib/suggest.h"
#include "lib/util.h"

static const struct kb_cmd cmds[] = {
	{ "alert", cmd_alert, "triage the alerts kbench detect makes",
	  "kbench alert list [--state S] [--worker W] [--format text|json]\n"
	  "kbench alert show ID [--format text|json]\n"
	  "kbench alert ack|invalid|fixed|accept ID [--by NAME]\n"
	  "kbench alert note ID TEXT [--by NAME]" },
	{ "annotate", cmd_annotate, "notes on a kernel or a date, shown on "
	  "the graphs",
	  "kbench annotate add --kernel LABEL|--date YYYY-MM-DD [--worker W]\n"
	  "                    [--workload L] [--by NAME] TEXT...\n"
	  "kbench annotate list [--format text|json]\n"
	  "kbench annotate rm ID..." },
	{ "compare", cmd_compare, "compare two sample sets, ministat-style",
	  "kbench compare [-c CONFIDENCE] [--threshold PCT] [--format text|json]\n"
	  "               [--metric M,...] [--plot] [--fail-on-regression]\n"
	  "               FILE_A FILE_B\n"
	  "kbench compare [options] --worker W --workload L KERNEL_A KERNEL_B\n"
	  "kbench compare --profile [--format text|json] --worker W "
	  "--workload L\n"
	  "               KERNEL_A KERNEL_B" },
	{ "bisect", cmd_bisect, "find the commit that changed a measurement",
	  "kbench bisect --repo DIR --good REV --bad REV [--worker local]\n"
	  "              [--build CMD] [--metric M] [-n N] [--best-of K]\n"
	  "              [--confirm-revert]"
	  " -- CMD...\n"
	  "kbench bisect --repo TREE --good REV --bad REV --worker qemu-ARCH\n"
	  "              [--workload L] [--icount SHIFT] [--metric M] [-n N]"
	  " [-- CMD...]\n"
	  "kbench bisect --resume ID\n"
	  "kbench bisect log [ID] [--format text|json]" },
	{ "db", cmd_db, "manage the PostgreSQL store",
	  "kbench db init|start|stop|status|migrate|replay\n"
	  "kbench db psql [PSQL_ARGS...]" },
	{ "detect", cmd_detect, "find change points in result history",
	  "kbench detect [--worker W] [--workload L] [--metric M,...] [--full]\n"
	  "              [--alpha A] [--permutations R] [--min-size K]\n"
	  "              [--config FILE]\n"
	  "kbench detect --list [--all] [--worker W] [--workload L] "
	  "[--metric M]\n"
	  "              [--format text|json]\n"
	  "kbench detect --input FILE" },
	{ "help", cmd_help, "show commands, or one command's usage",
	  "kbench help [COMMAND]" },
	{ "import", cmd_import, "store samples from time(1) logs",
	  "kbench import --kernel K --worker W --workload L [--arch A]\n"
	  "              [--os OS] [--force] [--lenient]\n"
	  "              [--revision REV --date DATE] FILE... | -\n"
	  "kbench import --agent FILE --run ID [--session S]" },
	{ "kernel", cmd_kernel, "build a patched kernel, cached by kernel id",
	  "kbench kernel build [--os linux] [--arch amd64] [--patch P]...\n"
	  "                    [--fragment F]... [-j N] [--force] [--no-db] "
	  "[--id-only]\n"
	  "kbench kernel list\n"
	  "kbench kernel show KID|PREFIX|LABEL" },
	{ "plot", cmd_plot, "draw a series, a comparison or an overview",
	  "kbench plot --out FILE [--format svg|png] [--metric M] history\n"
	  "            --worker W --workload L\n"
	  "kbench plot --out FILE [options] compare --worker W --workload L\n"
	  "            KERNEL_A KERNEL_B\n"
	  "kbench plot --out FILE [options] overview --arch A --workload L" },
	{ "queue", cmd_queue, "per-patch requests and their runner",
	  "kbench queue list [--all] [--format text|json]\n"
	  "kbench queue show ID [--format text|json]\n"
	  "kbench queue cancel ID\n"
	  "kbench queue run [--once] [--jobs N] [--poll SECONDS]" },
	{ "report", cmd_report, "write comparisons for people: text, md, "
	  "csv, json, html",
	  "kbench report [--format text|md|csv|json] [--out DIR] --worker W\n"
	  "              --workload L KERNEL_A KERNEL_B\n"
	  "kbench report [--format text|md|csv|json] [--out DIR] --run ID\n"
	  "kbench report [--format text|md|csv|json|html] [--out DIR] [--all]" },
	{ "run", cmd_run, "run a workload through the agent and store it",
	  "kbench run [--worker W] --workload NAME [-n N] [-w WARMUP] [-t SECS]\n"
	  "           [--kernel LABEL] [--config FILE]\n"
	  "kbench run [options] [--workload LABEL] -- CMD...\n"
	  "kbench run [options] [--workload NAME] --variant LABEL[=CMD] "
	  "--variant ...\n"
	  "kbench run [options] --variant A[=CMD] --variant B[=CMD] "
	  "--until-verdict\n"
	  "           [--max-n N] [--metric M] [--threshold PCT] [--best-of K]" },
	{ "runs", cmd_runs, "list, hide or remove stored runs",
	  "kbench runs list [--all] [--failed] [--limit N] "
	  "[--format text|json]\n"
	  "kbench runs hide|show|rm ID..." },
	{ "serve", cmd_serve, "serve the dashboard and its JSON API",
	  "kbench serve [--listen ADDR:PORT] [--config FILE]" },
	{ "submit", cmd_submit, "send a patch to the Buildbot master's try "
	  "scheduler",
	  "kbench submit [--builder B]... [--wait] [--timeout SECS] "
	  "[--master HOST:PORT]\n"
	  "              [-n N] [--workload L] [--subject S] "
	  "[--property NAME=VALUE]...\n"
	  "              [--comment TEXT] PATCH|-" },
	{ "try", cmd_try, "measure a patch against its baseline",
	  "kbench try [--worker qemu-ARCH|SSH-WORKER|all] [--workload L] [-n N] "
	  "[--per-boot N] [-w N]\n"
	  "           [--icount SHIFT] [-t SECS] [--format text|json] "
	  "[-c CONFIDENCE]\n"
	  "           [--threshold PCT] [--fail-on-regression] [--profile] "
	  "PATCH...\n"
	  "           [-- CMD...]\n"
	  "kbench try [options] --until-verdict [--max-n N] [--metric M] "
	  "[--best-of K]\n"
	  "           PATCH... [-- CMD...]\n"
	  "kbench try --dry-run [--worker W] [--os OS] [--workload L] "
	  "[-n N]\n"
	  "           [--per-boot N] [-w N] [-t SECS] PATCH... [-- CMD...]\n"
	  "kbench try --repo DIR [--base REV] [--build CMD] [-n N] [-w N] "
	  "[-t SECS]\n"
	  "           [--workload L] [--format text|json] [-c CONFIDENCE]\n"
	  "           [--threshold PCT] [--fail-on-regression] PATCH... "
	  "-- CMD..." },
	{ "version", cmd_version, "print the version", "kbench version" },
	{ "watch", cmd_watch, "follow a git branch: measure, detect, alert",
	  "kbench watch --repo DIR [--branch B] [--every N] [--once]\n"
	  "             [--interval S] [--since REV] [--depth N] [--build CMD]\n"
	  "             [--metric M] [-n N] [--threshold PCT] -- CMD...\n"
	  "kbench watch --tree DIR [--branch B] [--worker qemu-ARCH]\n"
	  "             [--workload L] [--every N] [--once] [options]" },
	{ "worker", cmd_worker, "prepare QEMU workers, boot built kernels",
	  "kbench worker prepare [ARCH]\n"
	  "kbench worker accel [KID]\n"
	  "kbench worker boot [ARCH] --kernel KID [-n N] [--warmup N] "
	  "[--timeout S]\n"
	  "                   [--boot-timeout S] [--rep-timeout S] "
	  "[--setup CMD]\n"
	  "                   [--cleanup CMD] [--dir GUESTDIR] "
	  "[--append ARGS]\n"
	  "                   [--accel kvm|tcg] [--icount SHIFT] [--smp N] "
	  "[--mem MB]\n"
	  "                   [--no-verify] [--no-insn] [--profile]\n"
	  "                   [--store [--worker W] [--workload L]] "
	  "-- CMD..." },
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

const struct kb_cmd *
cmd_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		if (strcmp(cmds[i].name, name) == 0)
			return &cmds[i];
	return NULL;
}

/* help and version are described in kbench(1): no page of their own. */
static int
has_page(const struct kb_cmd *c)
{
	return c->fn != cmd_help && c->fn != cmd_version;
}

static void
usage_cmd(FILE *fp, const struct kb_cmd *c)
{
	fprintf(fp, "usage: %s\n", c->usage);
	if (has_page(c))
		fprintf(fp, "See kbench-%s(1) (man docs/man/kbench-%s.1).\n",
		    c->name, c->name);
	else
		fprintf(fp, "See kbench(1) (man docs/man/kbench.1).\n");
}

int
cmd_unknown(const char *cmd, const char *word)
{
	const char *names[NCMDS];
	size_t i;

	for (i = 0; i < NCMDS; i++)
		names[i] = cmds[i].name;
	return kb_unknown(cmd, "command", word, names, NCMDS);
}

int
cmd_subcommand(const char *cmd, int argc, char **argv,
    const char *const *subs, size_t n)
{
	size_t i;

	for (i = 0; argc >= 2 && i < n; i++)
		if (strcmp(argv[1], subs[i]) == 0)
			return (int)i;
	(void)kb_unknown(cmd, "subcommand", argc >= 2 ? argv[1] : NULL,
	    subs, n);
	return -1;
}

int
cmd_unknown_metric(const char *cmd, const char *word)
{
	const char *names[KB_M_COUNT];
	size_t i;

	for (i = 0; i < KB_M_COUNT; i++)
		names[i] = kb_metric_name((enum kb_metric)i);
	return kb_unknown(cmd, "metric", word, names, KB_M_COUNT);
}

int
cmd_wants_help(int argc, char **argv, const struct kb_cmd *c)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			fprintf(stdout, "kbench %s: %s\n", c->name, c->summary);
			usage_cmd(stdout, c);
			return 1;
		}
	}
	return 0;
}

/* The usage of a command by name, for kb_usage_error in lib/util.c. */
void
cmd_usage_of(FILE *fp, const char *name)
{
	const struct kb_cmd *c;

	if ((c = cmd_lookup(name)) != NULL)
		usage_cmd(fp, c);
}

void
cmd_usage_all(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: kbench [-q] COMMAND [ARGS...]\n\ncommands:\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(fp, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(fp, "\n'kbench help COMMAND' or 'kbench COMMAND --help' for "
	    "one command; kbench(1) for the whole.\n");
}

int
cmd_help(int argc, char **argv)
{
	const struct kb_cmd *c;

	if (argc < 2) {
		cmd_usage_all(stdout);
		return KB_EXIT_OK;
	}
	if ((c = cmd_lookup(argv[1])) == NULL)
		return cmd_unknown("help", argv[1]);
	fprintf(stdout, "kbench %s: %s\n", c->name, c->summary);
	usage_cmd(stdout, c);
	return KB_EXIT_OK;
}

int
cmd_version(int argc, char **argv)
{
	printf("kbench %s\n", KB_VERSION);
	return KB_EXIT_OK;
}
