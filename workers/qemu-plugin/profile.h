/*
 * profile.h: kbench-insn.so's count of instructions per function (the
 * plugin's "map=" and "profile=" arguments): a symbol map such as the
 * kernel's System.map, each translated block charged to the function
 * its start address falls in, only between the agent's marks.
 */
#ifndef KBENCH_INSN_PROFILE_H
#define KBENCH_INSN_PROFILE_H

#include <stdint.h>

/* Read a map of "ADDR TYPE NAME" lines (text symbols: t T w W). */
int		 prof_load(const char *path);
/*
 * The function at vaddr: the last symbol at or below it, or -1 (no map,
 * below the first symbol, or at or past the last, which in System.map
 * is an end marker).
 */
long		 prof_find(uint64_t vaddr);
/* Its counter, for an inline add (one vCPU only). */
uint64_t	*prof_counter(long idx);
/* An atomic add, for a call per block (several vCPUs). */
void		 prof_add(long idx, uint64_t n);
/* A start mark (1) or an end mark (0). */
void		 prof_mark(int start);
/* "COUNT NAME" per function with a count, most first; 0 or -1. */
int		 prof_write(const char *path);

#endif
