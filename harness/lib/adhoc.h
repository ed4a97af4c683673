/*
 * adhoc.h: names for ad hoc commands (kbench run -- CMD...): the
 * command line as a shell would read it back, and a short workload
 * label derived from it.
 */
#ifndef ADHOC_H
#define ADHOC_H

/* argv quoted for sh(1), words joined by spaces (allocated). */
char	*adhoc_join(char *const *argv);
/*
 * A workload label for an ad hoc command: up to two readable words of
 * the command (for "sh -c SCRIPT", of the script), then '-' and six
 * hex digits of the CRC-32 of the whole command line, so that two
 * different commands never share a label and the same command always
 * gets the same one: "make -j4" gives "make-j4-XXXXXX" (allocated).
 */
char	*adhoc_label(char *const *argv);

#endif /* ADHOC_H */
