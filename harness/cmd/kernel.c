/*
 * cmd_kernel.c: kbench kernel: build a patched kernel, list and show
 * the built ones.  The work is in kernel.c, which `kbench try` shares.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "lib/suggest.h"
#include "cmd/cmd.h"
#include "worker/kernel.h"

static void
print_artifact(const struct kernel_artifact *a)
{
	printf("kid\t%s\nlabel\t%s\nrelease\t%s\nbase\t%s\nos\t%s\n"
	    "arch\t%s\npatches\t%s\ncc\t%s\ntree\t%s\nbuild_secs\t%.1f\n"
	    "image\t%s\nconfig\t%s\nlog\t%s\n", a->kid, a->label,
	    a->release != NULL ? a->release : "", a->base, a->os, a->arch,
	    a->patches, a->cc != NULL ? a->cc : "", a->tree != NULL ?
	    a->tree : "", a->build_secs, a->image, a->config, a->log);
}

static const struct option build_opts[] = {
	{ "os", required_argument, NULL, 'o' },
	{ "arch", required_argument, NULL, 'a' },
	{ "patch", required_argument, NULL, 'p' },
	{ "fragment", required_argument, NULL, 'f' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "force", no_argument, NULL, 'F' },
	{ "no-db", no_argument, NULL, 'N' },
	{ "id-only", no_argument, NULL, 'I' },
	{ "tree", required_argument, NULL, 'T' },
	{ "base", required_argument, NULL, 'B' },
	{ "cc", required_argument, NULL, 'C' },
	{ "dry-run", no_argument, NULL, 'D' },
	{ NULL, 0, NULL, 0 }
};

/* One option of kernel build into s; 0, or the usage error's status. */
static int
build_option(struct kernel_spec *s, int ch, int *nodb)
{
	long j;

	switch (ch) {
	case 'o': s->os = optarg; break;
	case 'a': s->arch = optarg; break;
	case 'p': s->patches[s->npatches++] = optarg; break;
	case 'f': s->fragments[s->nfragments++] = optarg; break;
	case 'j':
		if (kb_parse_long(optarg, 1, 1024, &j) != 0)
			return kb_usage_error("kernel", "bad -j: %s", optarg);
		s->jobs = (int)j;
		break;
	case 'F': s->force = 1; break;
	case 'N': *nodb = 1; break;
	case 'I':
		s->fetch_only = 1;
		*nodb = 1;
		break;
	case 'T': s->tree = optarg; break;
	case 'B': s->rev = optarg; break;
	case 'C': s->cc = optarg; break;
	case 'D':
		s->apply_only = 1;
		*nodb = 1;
		break;
	default:
		return kb_usage_error("kernel", "bad option");
	}
	return 0;
}

/* The options that do not go together; 0, or the usage error's. */
static int
build_args_ok(const struct kernel_spec *s, int argc, char **argv)
{
	if (optind != argc)
		return kb_usage_error("kernel", "unexpected %s", argv[optind]);
	if (s->rev != NULL && s->tree == NULL)
		return kb_usage_error("kernel", "--base goes with --tree");
	if (s->fetch_only && s->apply_only)
		return kb_usage_error("kernel", "--id-only or --dry-run, not "
		    "both");
	return 0;
}

static int
kernel_cmd_build(int argc, char **argv)
{
	struct kernel_spec s;
	struct kernel_artifact a;
	int ch, nodb = 0, rc = 0;

	memset(&s, 0, sizeof(s));
	s.os = "linux";
	s.arch = "amd64";
	s.patches = kb_calloc((size_t)argc, sizeof(char *));
	s.fragments = kb_calloc((size_t)argc, sizeof(char *));
	optind = 1;
	while (rc == 0 &&
	    (ch = getopt_long(argc, argv, "+j:", build_opts, NULL)) != -1)
		rc = build_option(&s, ch, &nodb);
	if (rc == 0)
		rc = build_args_ok(&s, argc, argv);
	if (rc != 0) {
		free(s.patches);
		free(s.fragments);
		return rc;
	}
	rc = kernel_build(&s, &a);
	free(s.patches);
	free(s.fragments);
	if (rc != 0) {
		kernel_artifact_free(&a);
		return KB_EXIT_ERR;
	}
	if (s.fetch_only)
		printf("%s\n", a.kid);
	else if (s.apply_only)
		printf("kid\t%s\nlabel\t%s\nbase\t%s\ncc\t%s\n"
		    "patched in\t%s (branch kb/%s)\n", a.kid, a.label,
		    a.base, a.cc, a.work, a.kid12);
	else {
		print_artifact(&a);
		if (!nodb && kernel_store(&a) != 0)
			rc = -1;
	}
	kernel_artifact_free(&a);
	return rc == 0 ? KB_EXIT_OK : KB_EXIT_ERR;
}

static const char *const subs[] = { "build", "list", "show" };
#define NSUBS (sizeof(subs) / sizeof(subs[0]))

int
cmd_kernel(int argc, char **argv)
{
	struct kernel_artifact a;
	char **v;
	size_t n, i;

	if (argc < 2)
		return kb_unknown("kernel", "subcommand", NULL, subs, NSUBS);
	if (strcmp(argv[1], "build") == 0)
		return kernel_cmd_build(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0 && argc == 2) {
		v = kernel_list(&n);
		for (i = 0; i < n; i++) {
			if (kernel_lookup(v[i], &a) == 0)
				printf("%s  %-30s %6.0fs  %s\n", a.kid12,
				    a.label, a.build_secs,
				    a.release != NULL ? a.release : "");
			kernel_artifact_free(&a);
			free(v[i]);
		}
		free(v);
		return KB_EXIT_OK;
	}
	if (strcmp(argv[1], "show") == 0 && argc == 3) {
		if (kernel_lookup(argv[2], &a) != 0)
			return KB_EXIT_ERR;
		print_artifact(&a);
		kernel_artifact_free(&a);
		return KB_EXIT_OK;
	}
	for (i = 0; i < NSUBS; i++)
		if (strcmp(argv[1], subs[i]) == 0)
			return kb_usage_error("kernel", "%s: wrong number of "
			    "arguments", argv[1]);
	return kb_unknown("kernel", "subcommand", argv[1], subs, NSUBS);
}
