/*
 * kcache.h: finished kernels kept in the machine's cache
 * ($KBENCH_CACHE/kernels/KID), shared by every kbench home on it.
 */
#ifndef KCACHE_H
#define KCACHE_H

/* Copy kernel kid from the cache into this home; 0 when it is there now. */
int	 kcache_restore(const char *kid);

/* Copy this home's finished kernel kid into the cache; best effort. */
void	 kcache_save(const char *kid);

#endif /* KCACHE_H */
