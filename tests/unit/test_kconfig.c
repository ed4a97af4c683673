/*
 * test_kconfig.c: how a kernel's config fragments are read
 * (worker/kernel.c): what of a fragment counts toward the kernel id,
 * which symbol a line sets, and the precedence rule: fragments are
 * read in order after tinyconfig, so the last word on a symbol is the
 * one the merged .config must hold.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "lib/util.h"
#include "worker/kconfig.h"

static void
test_lines(void **state)
{
	char buf[] =
	    "# a comment that must not make a new kernel\n"
	    "  CONFIG_A=y  \r\n"
	    "\tCONFIG_B=\"x y|<z>&\"\n"
	    "# CONFIG_C is not set\n"
	    "#CONFIG_D=y\n"
	    "# CONFIG_E is set to nothing\n"
	    "\n"
	    "NOT_CONFIG_F=y\n"
	    "CONFIG_G=m";
	size_t n;

	(void)state;
	n = kconfig_lines(buf);
	assert_int_equal(n, strlen(buf));
	assert_string_equal(buf,
	    "CONFIG_A=y\n"
	    "CONFIG_B=\"x y|<z>&\"\n"
	    "# CONFIG_C is not set\n"
	    "CONFIG_G=m\n");
}

static void
test_sym(void **state)
{
	const char *sym = NULL;

	(void)state;
	assert_int_equal(config_sym("CONFIG_SMP=y", &sym), 10);
	assert_memory_equal(sym, "CONFIG_SMP", 10);
	assert_int_equal(config_sym("  # CONFIG_SMP is not set", &sym), 10);
	assert_memory_equal(sym, "CONFIG_SMP is", 13);
	assert_int_equal(config_sym("CONFIG_X=\"a=b\"", &sym), 8);
	sym = NULL;
	assert_int_equal(config_sym("CONFIG_SMP", &sym), 0);
	assert_int_equal(config_sym("# CONFIG_SMP is set", &sym), 0);
	assert_int_equal(config_sym("# just a comment", &sym), 0);
	assert_int_equal(config_sym("", &sym), 0);
	assert_null(sym);
}

/*
 * The lines of the fragments (in order) that must hold in the merged
 * config, as kernel.c's check after olddefconfig takes them: every
 * line setting a symbol that no later line sets again.
 */
static char *
effective(const char *fragments)
{
	char *all = kb_strdup(fragments), *line, *next, *out, *t;
	const char *sym;

	out = kb_strdup("");
	for (line = all; *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) == NULL)
			next = line + strlen(line);
		else
			*next++ = '\0';
		if (config_sym(line, &sym) == 0 ||
		    config_set_later(next, sym))
			continue;
		t = kb_asprintf("%s%s\n", out, line + strspn(line, " \t"));
		free(out);
		out = t;
	}
	free(all);
	return out;
}

static void
test_precedence(void **state)
{
	char *got;

	(void)state;
	/* base.config, then debug.config, then the user's extra. */
	got = effective(
	    "CONFIG_SMP=y\n"
	    "CONFIG_NR_CPUS=8\n"
	    "# CONFIG_DEBUG is not set\n"
	    "CONFIG_CMDLINE=\"console=ttyS0 quiet\"\n"
	    "CONFIG_DEBUG=y\n"
	    "CONFIG_NR_CPUS_MAX=64\n"
	    "# CONFIG_SMP is not set\n"
	    "CONFIG_NR_CPUS=2\n"
	    "CONFIG_CMDLINE=\"a|b<c>&'d'\"\n");
	/*
	 * The later fragment wins each time: SMP off, 2 CPUs, debug on,
	 * its command line; a symbol whose name extends another's
	 * (NR_CPUS_MAX) is its own.
	 */
	assert_string_equal(got,
	    "CONFIG_DEBUG=y\n"
	    "CONFIG_NR_CPUS_MAX=64\n"
	    "# CONFIG_SMP is not set\n"
	    "CONFIG_NR_CPUS=2\n"
	    "CONFIG_CMDLINE=\"a|b<c>&'d'\"\n");
	free(got);
	/* Nothing later: every line holds. */
	assert_int_equal(config_set_later("", "CONFIG_A=y"), 0);
	assert_int_equal(config_set_later("CONFIG_AB=y\n", "CONFIG_A=y"), 0);
	assert_int_equal(config_set_later("x\n# CONFIG_A is not set",
	    "CONFIG_A=y"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_sym),
		cmocka_unit_test(test_precedence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
