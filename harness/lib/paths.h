/*
 * paths.h: where kbench finds its data and keeps its state.
 *
 * kb_root() (declared in lib/util.h) is the data directory: the SQL
 * migrations in db/, dashboards/, the files workers/ copies to guests
 * and hosts, configs/ and kernel-src/.  $KBENCH_ROOT if set; else, for
 * the kbench that make install builds, the directory it installed them
 * in (KB_DATADIR, PREFIX/share/kbench); else the checkout it was built
 * in (KB_ROOT).
 *
 * kb_home() (lib/util.h) is where kbench keeps its state: the private
 * database cluster, spool, run logs, kernels, images, caches.
 * $KBENCH_HOME if set; else var/ in the checkout for the tree's kbench;
 * else ${XDG_DATA_HOME:-$HOME/.local/share}/kbench for an installed one.
 */
#ifndef LIB_PATHS_H
#define LIB_PATHS_H

/* Why kb_home() and kb_root() are what they are, for db status. */
const char	*kb_home_origin(void);
const char	*kb_root_origin(void);

#endif /* LIB_PATHS_H */
