/*
 * insnprof.c: the plugin's per-address profile named by the guest's
 * kallsyms (insnprof.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "format/insnprof.h"

#define UNKNOWN	"[unknown]"

struct ksym {
	uint64_t	 addr;
	char		*name;
};

static int
by_addr(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return (x->addr > y->addr) - (x->addr < y->addr);
}

size_t
ksyms_parse(struct ksyms *ks, const char *buf, size_t len)
{
	struct ksym *v = NULL;
	size_t n = 0, cap = 0, i;
	const char *p = buf, *end, *eol;
	char name[256], type, line[512];
	unsigned long long addr;
	size_t ll;

	memset(ks, 0, sizeof(*ks));
	if ((end = memchr(buf, '\0', len)) == NULL)
		end = buf + len;
	for (; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		ll = (size_t)(eol - p) < sizeof(line) - 1 ?
		    (size_t)(eol - p) : sizeof(line) - 1;
		memcpy(line, p, ll);
		line[ll] = '\0';
		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3 ||
		    strchr("tTwW", type) == NULL || type == '\0')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			v = kb_reallocarray(v, cap, sizeof(*v));
		}
		v[n].addr = addr;
		v[n++].name = kb_strdup(name);
	}
	if (n == 0) {
		free(v);
		return 0;
	}
	qsort(v, n, sizeof(*v), by_addr);
	ks->addr = kb_calloc(n, sizeof(*ks->addr));
	ks->name = kb_calloc(n, sizeof(*ks->name));
	for (i = 0; i < n; i++) {
		ks->addr[i] = v[i].addr;
		ks->name[i] = v[i].name;
	}
	ks->n = n;
	free(v);
	return n;
}

const char *
ksyms_name(const struct ksyms *ks, uint64_t addr)
{
	size_t lo = 0, hi, mid;

	if (ks == NULL || ks->n == 0 || addr < ks->addr[0])
		return NULL;
	hi = ks->n - 1;
	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		if (ks->addr[mid] <= addr)
			lo = mid;
		else
			hi = mid - 1;
	}
	return ks->name[lo];
}

void
ksyms_free(struct ksyms *ks)
{
	size_t i;

	for (i = 0; i < ks->n; i++)
		free(ks->name[i]);
	free(ks->name);
	free(ks->addr);
	memset(ks, 0, sizeof(*ks));
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct insn_func *)a)->name,
	    ((const struct insn_func *)b)->name);
}

static int
by_insn(const void *a, const void *b)
{
	const struct insn_func *x = a, *y = b;

	if (x->insn != y->insn)
		return (x->insn < y->insn) - (x->insn > y->insn);
	return strcmp(x->name, y->name);
}

/* Sum the entries of the same function; most first. */
static void
merge(struct insn_profile *p)
{
	size_t i, k = 0;

	if (p->n == 0)
		return;
	qsort(p->f, p->n, sizeof(*p->f), by_name);
	for (i = 1; i < p->n; i++) {
		if (strcmp(p->f[k].name, p->f[i].name) == 0) {
			p->f[k].insn += p->f[i].insn;
			free(p->f[i].name);
		} else
			p->f[++k] = p->f[i];
	}
	p->n = k + 1;
	qsort(p->f, p->n, sizeof(*p->f), by_insn);
}

int
insnprof_read(FILE *fp, const struct ksyms *ks, struct insn_profile *p,
    char *why, size_t whysz)
{
	char *line = NULL, *sp, *end;
	const char *name;
	size_t cap = 0, fcap = 0;
	ssize_t len;
	long lineno = 0;
	unsigned long long count, addr;

	memset(p, 0, sizeof(*p));
	while ((len = getline(&line, &cap, fp)) > 0) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		errno = 0;
		count = strtoull(line, &sp, 10);
		if (sp == line || *sp != ' ' || errno != 0 ||
		    count > INT64_MAX || sp[1] == '\0' ||
		    strchr(sp + 1, ' ') != NULL) {
			snprintf(why, whysz, "line %ld: expected \"COUNT "
			    "NAME\", got \"%.60s\"", lineno, line);
			free(line);
			insnprof_free(p);
			return -1;
		}
		name = sp + 1;
		if (strncmp(name, "0x", 2) == 0 && ks != NULL) {
			errno = 0;
			addr = strtoull(name + 2, &end, 16);
			if (*end == '\0' && errno == 0 &&
			    (name = ksyms_name(ks, addr)) == NULL)
				name = UNKNOWN;
			else if (*end != '\0' || errno != 0)
				name = sp + 1;
		}
		if (p->n == fcap) {
			fcap = fcap ? fcap * 2 : 1024;
			p->f = kb_reallocarray(p->f, fcap, sizeof(*p->f));
		}
		p->f[p->n].name = kb_strdup(name);
		p->f[p->n++].insn = (int64_t)count;
		if (p->total > INT64_MAX - (int64_t)count) {
			snprintf(why, whysz, "line %ld: total overflows",
			    lineno);
			free(line);
			insnprof_free(p);
			return -1;
		}
		p->total += (int64_t)count;
	}
	free(line);
	merge(p);
	return 0;
}

void
insnprof_free(struct insn_profile *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->f[i].name);
	free(p->f);
	memset(p, 0, sizeof(*p));
}
