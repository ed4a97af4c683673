/*
 * insnprof.h: where a guest kernel's instructions went, per function.
 * Two inputs: the profile kbench-insn.so writes at exit with profile=
 * and no map (workers/qemu-plugin/profile.c), one "COUNT 0xADDR" line
 * per kernel block start address, counted between the agent's marks and
 * summed over a boot's repetitions; and the guest's own /proc/kallsyms
 * ("ADDR TYPE NAME [module]"), which names those addresses as that
 * boot's kernel placed them (KASLR included).
 */
#ifndef INSNPROF_H
#define INSNPROF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Text symbols (types t T w W), sorted by address. */
struct ksyms {
	uint64_t	*addr;
	char		**name;
	size_t		 n;
};

/* buf's kallsyms lines, up to len or a NUL; the symbols found (0: none). */
size_t		 ksyms_parse(struct ksyms *, const char *buf, size_t len);
/* The function addr falls in (the last symbol at or below it), or NULL. */
const char	*ksyms_name(const struct ksyms *, uint64_t addr);
void		 ksyms_free(struct ksyms *);

struct insn_func {
	char		*name;
	int64_t		 insn;
};

/* Per function, most first; what no symbol names goes to "[unknown]". */
struct insn_profile {
	struct insn_func *f;
	size_t		 n;
	int64_t		 total;
};

/*
 * The plugin's lines from fp, each address named by ks (NULL: kept as
 * its 0xADDR), summed per function.  0, or -1 with why (a line that is
 * not "COUNT NAME").
 */
int		 insnprof_read(FILE *fp, const struct ksyms *ks,
		    struct insn_profile *, char *why, size_t whysz);
void		 insnprof_free(struct insn_profile *);

#endif /* INSNPROF_H */
