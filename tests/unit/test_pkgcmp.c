/*
 * test_pkgcmp.c: the per-package comparison's arithmetic: rows ordered
 * by time added, intervals with repetitions and ratios without, the
 * totals, packages not built or on one side only, and the critical path
 * (with a cycle in the edges, which must not hang it).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "lib/util.h"
#include "output/pkgcmp.h"

/* pkg(set, name, n, seconds...): a package with n ok repetitions. */
static void
pkg(struct pkgdb_set *s, const char *name, int failed, size_t n, ...)
{
	struct pkgdb_pkg *p;
	va_list ap;
	size_t i;

	s->v = kb_reallocarray(s->v, s->n + 1, sizeof(*s->v));
	p = &s->v[s->n++];
	memset(p, 0, sizeof(*p));
	p->name = kb_strdup(name);
	p->failed = failed;
	p->real_us = kb_calloc(n + 1, sizeof(int64_t));
	va_start(ap, n);
	for (i = 0; i < n; i++)
		p->real_us[i] = (int64_t)(va_arg(ap, double) * 1e6);
	va_end(ap);
	p->n = n;
}

static void
edge(struct pkgdb_set *s, const char *from, const char *to)
{
	s->e = kb_reallocarray(s->e, s->ne + 1, sizeof(*s->e));
	s->e[s->ne].pkg = kb_strdup(from);
	s->e[s->ne++].dep = kb_strdup(to);
}

static void
test_compare(void **state)
{
	struct pkgdb_set a, b;
	struct pkgcmp pc;
	char err[256];

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	/* Out of order on purpose: pkgcmp_build sorts. */
	pkg(&a, "zlib", 0, 3, 10.0, 11.0, 10.5);
	pkg(&b, "zlib", 0, 3, 12.0, 12.5, 12.2);
	pkg(&a, "bison", 0, 1, 100.0);
	pkg(&b, "bison", 0, 1, 80.0);
	pkg(&a, "m4", 0, 1, 20.0);
	pkg(&b, "m4", 1, 0);
	pkg(&a, "only-base", 0, 1, 5.0);
	pkg(&b, "only-patched", 1, 0);
	pkg(&a, "flex", 0, 1, 30.0);
	pkg(&b, "flex", 0, 1, 33.0);
	edge(&a, "flex", "bison");
	edge(&a, "bison", "m4");
	edge(&a, "zlib", "m4");
	assert_int_equal(pkgcmp_build(&pc, &a, &b, "base", "patched", 95, 1,
	    err, sizeof(err)), 0);
	assert_int_equal(pc.n, 3);
	/* zlib +1.73 s, flex +3 s, bison -20 s: most time added first. */
	assert_string_equal(pc.v[0].name, "flex");
	assert_string_equal(pc.v[1].name, "zlib");
	assert_string_equal(pc.v[2].name, "bison");
	assert_true(pc.v[1].interval && isfinite(pc.v[1].c.diff_pct_ci));
	assert_true(pc.v[1].c.diff_pct > 15 && pc.v[1].c.diff_pct < 18);
	assert_false(pc.v[0].interval);
	assert_true(fabs(pc.v[0].ratio - 1.1) < 1e-9);
	assert_true(fabs(pc.v[2].ratio - 0.8) < 1e-9);
	assert_true(pc.single);
	assert_true(fabs(pc.total_a - 140.5) < 1e-6);
	assert_true(fabs(pc.total_b - (80 + 33 + 36.7 / 3)) < 1e-6);
	assert_int_equal(pc.failed_a, 0);
	assert_int_equal(pc.failed_b, 2);	/* m4, only-patched */
	assert_int_equal(pc.only_a, 1);
	assert_int_equal(pc.only_b, 1);
	/* By base time: m4 (20) -> bison (100) -> flex (30) = 150. */
	assert_int_equal(pc.npath, 3);
	assert_string_equal(pc.path[0], "m4");
	assert_string_equal(pc.path[1], "bison");
	assert_string_equal(pc.path[2], "flex");
	assert_true(fabs(pc.path_a - 150) < 1e-6);
	assert_true(fabs(pc.path_b - 113) < 1e-6);	/* m4 not built */
	pkgcmp_free(&pc);
	pkgdb_free(&a);
	pkgdb_free(&b);
}

static void
test_no_edges(void **state)
{
	struct pkgdb_set a, b;
	struct pkgcmp pc;
	char err[256];
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	pkg(&a, "a-package-name-longer-than-the-column", 0, 1, 1.0);
	pkg(&b, "a-package-name-longer-than-the-column", 0, 1, 2.0);
	assert_int_equal(pkgcmp_build(&pc, &a, &b, "base", "patched", 95, 1,
	    err, sizeof(err)), 0);
	assert_int_equal(pc.npath, 0);
	pkgcmp_free(&pc);
	assert_int_equal(pkgcmp_build(&pc, &a, &b, "base", "patched", 42, 1,
	    err, sizeof(err)), 0);	/* no interval: no confidence used */
	fp = open_memstream(&buf, &len);
	pkgcmp_text(fp, &pc);
	fclose(fp);
	assert_non_null(strstr(buf, "  a-package-name-longer-t~"));
	assert_non_null(strstr(buf, "x2.000"));
	assert_non_null(strstr(buf, "Critical path: unknown"));
	free(buf);
	pkgcmp_free(&pc);
	/* Edges in a cycle are wrong, but must not hang the path. */
	pkg(&a, "b", 0, 1, 3.0);
	pkg(&b, "b", 0, 1, 3.0);
	edge(&a, "a-package-name-longer-than-the-column", "b");
	edge(&a, "b", "a-package-name-longer-than-the-column");
	assert_int_equal(pkgcmp_build(&pc, &a, &b, "base", "patched", 95, 1,
	    err, sizeof(err)), 0);
	assert_int_equal(pc.npath, 2);
	assert_true(fabs(pc.path_a - 4) < 1e-6);
	pkgcmp_free(&pc);
	pkgdb_free(&a);
	pkgdb_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_no_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
