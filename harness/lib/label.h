/*
 * label.h: the one rule for the names kbench takes from users
 * (workload, variant, kernel, builder and package labels): they end up
 * in file names, SQL values and command lines.
 */
#ifndef LIB_LABEL_H
#define LIB_LABEL_H

#include <stddef.h>

/*
 * Letters, digits and ._+- only, not empty, not starting with '.' (a
 * hidden file, "..") or '-' (an option), and at most max bytes when
 * max is not 0.  1 if s is such a label, else 0.
 */
int	label_valid(const char *s, size_t max);

#endif /* LIB_LABEL_H */
