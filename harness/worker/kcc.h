/*
 * kcc.h: the compiler a kernel is built with, and its version string:
 * the first line of `CC --version` ("gcc (Debian 12.2.0-14) 12.2.0"),
 * which the kernel id hashes (kernel.h), so one tree built by two
 * compilers is two kernels.
 */
#ifndef KCC_H
#define KCC_H

/*
 * The compiler's command: cc when given (kbench kernel build --cc),
 * else the arch's gcc, cross ("aarch64-linux-gnu-gcc") or native.
 * Allocated.
 */
char	*kcc_name(const char *cross, const char *cc);

/*
 * The first line of s, without its newline and trailing blanks; NULL
 * when it is empty.  Allocated.
 */
char	*kcc_first_line(const char *s);

/*
 * The first line of `cc --version`; NULL, with the reason printed,
 * when the compiler does not run or says nothing.  Allocated.
 */
char	*kcc_version(const char *cc);

#endif /* KCC_H */
