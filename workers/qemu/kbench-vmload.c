/*
 * kbench-vmload: the vm-small workload of guests without a compiler
 * (macppc).  It has a build's process pattern without gcc: a driver
 * (like make) forks and execs a "compiler" once per source file, up to
 * -j at a time, for -r rounds; each compiler run pages in part of its
 * own large read-only tables, as cc1 runs different code for different
 * sources: which 64 KiB windows follows from the input's bytes, about
 * half of them, the same for a file every time.  It maps and reads its
 * input, fills a private heap, and writes a small object file.
 *
 *   kbench-vmload [-j JOBS] [-r ROUNDS] CC SRCDIR OBJDIR   the driver
 *   kbench-vmload -c SRC OBJ                               one compile
 *
 * CC is the path of a copy of this program on the disk (not the one
 * the driver runs from: a program still mapped by its parent keeps its
 * page cache under any kernel).  Every compile is a fresh exec, so a
 * kernel that drops a file's pages when its last mapping goes
 * (canpersist-removal.patch) drops what earlier compiles paged in and
 * this one did not touch, and the next one reads it from the disk
 * again.  (What the exiting process itself mapped is mostly still held
 * by its TLB batch when the last mapping goes, so it survives.)
 * Exit status 0, or 1 with a message when any compile failed.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HEAP_KIB	1024	/* the "compiler's" private heap per compile */
#define WINDOW		(64 * 1024)	/* what fault-around maps at once */

/*
 * Its read-only tables: 2 MiB in the executable's .rodata, mapped from
 * the file, so every run faults them in from the page cache, or from
 * the disk when the cache was dropped.  Not zeros: mkfs's -d leaves
 * holes for zero blocks, and a hole is never read from the disk.
 */
#define T4	0x5a5aa5a5U, 0xa5a55a5aU, 0x3c3cc3c3U, 0xc3c33c3cU
#define T16	T4, T4, T4, T4
#define T64	T16, T16, T16, T16
#define T256	T64, T64, T64, T64
#define T1K	T256, T256, T256, T256
#define T4K	T1K, T1K, T1K, T1K
#define T16K	T4K, T4K, T4K, T4K
#define T64K	T16K, T16K, T16K, T16K
#define T256K	T64K, T64K, T64K, T64K
static const unsigned int table[] = { T256K, T256K };	/* 2 MiB */

static int
compile(const char *src, const char *obj)
{
	volatile const unsigned char *t = (const unsigned char *)table;
	unsigned long h = 5381, seed;
	unsigned char *m = NULL, *heap;
	struct stat sb;
	size_t i, psz = (size_t)sysconf(_SC_PAGESIZE);
	FILE *fp;
	int fd;

	if ((fd = open(src, O_RDONLY)) == -1 || fstat(fd, &sb) == -1) {
		fprintf(stderr, "kbench-vmload: %s: %s\n", src,
		    strerror(errno));
		return 1;
	}
	if (sb.st_size > 0 && (m = mmap(NULL, (size_t)sb.st_size, PROT_READ,
	    MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
		fprintf(stderr, "kbench-vmload: mmap %s: %s\n", src,
		    strerror(errno));
		return 1;
	}
	close(fd);
	for (i = 0; i < (size_t)sb.st_size; i++)
		h = h * 33 + m[i];
	/*
	 * One byte a page of about half the table's windows, chosen by the
	 * input: whole windows, since a fault maps the cached pages around
	 * it (fault-around), and a window half touched would be all mapped.
	 */
	for (i = 0, seed = h; i < sizeof(table); i += psz) {
		if (i % WINDOW == 0)
			seed = seed * 1103515245UL + 12345UL;
		if ((seed >> 16) & 1)
			h = h * 33 + t[i];
	}
	if ((heap = malloc(HEAP_KIB * 1024)) == NULL) {
		fprintf(stderr, "kbench-vmload: out of memory\n");
		return 1;
	}
	for (i = 0; i < HEAP_KIB * 1024; i += psz)
		heap[i] = (unsigned char)(h >> (i % 7));
	for (i = 0; i < HEAP_KIB * 1024; i += psz)
		h = h * 33 + heap[i];
	free(heap);
	if (m != NULL)
		munmap(m, (size_t)sb.st_size);
	if ((fp = fopen(obj, "w")) == NULL ||
	    fprintf(fp, "%s %lld %lx\n", src, (long long)sb.st_size, h) < 0 ||
	    fclose(fp) == EOF) {
		fprintf(stderr, "kbench-vmload: %s: %s\n", obj,
		    strerror(errno));
		return 1;
	}
	return 0;
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of dir, sorted: the same order every run. */
static char **
sources(const char *dir, size_t *n)
{
	struct dirent *de;
	struct stat sb;
	char **v = NULL, *p;
	DIR *d;

	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((p = malloc(strlen(dir) + strlen(de->d_name) + 2)) == NULL)
			break;
		sprintf(p, "%s/%s", dir, de->d_name);
		if (stat(p, &sb) == -1 || !S_ISREG(sb.st_mode)) {
			free(p);
			continue;
		}
		if ((v = realloc(v, (*n + 1) * sizeof(*v))) == NULL)
			break;
		v[(*n)++] = p;
	}
	closedir(d);
	if (v != NULL)
		qsort(v, *n, sizeof(*v), cmpstr);
	return v;
}

static const char *
base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s != NULL ? s + 1 : p;
}

static void
usage(void)
{
	fprintf(stderr, "usage: kbench-vmload [-j jobs] [-r rounds] cc "
	    "srcdir objdir\n       kbench-vmload -c src obj\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	char **src, obj[4096];
	size_t nsrc, next, done, total;
	long jobs = 1, rounds = 1, running = 0, failed = 0;
	pid_t pid;
	int ch, st;

	if (argc == 4 && strcmp(argv[1], "-c") == 0)
		return compile(argv[2], argv[3]);
	while ((ch = getopt(argc, argv, "j:r:")) != -1) {
		switch (ch) {
		case 'j':
			jobs = strtol(optarg, NULL, 10);
			break;
		case 'r':
			rounds = strtol(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 3 || jobs < 1 || rounds < 1)
		usage();
	if ((src = sources(argv[1], &nsrc)) == NULL || nsrc == 0) {
		fprintf(stderr, "kbench-vmload: %s: no sources\n", argv[1]);
		return 1;
	}
	if (mkdir(argv[2], 0755) == -1 && errno != EEXIST) {
		fprintf(stderr, "kbench-vmload: %s: %s\n", argv[2],
		    strerror(errno));
		return 1;
	}
	total = nsrc * (size_t)rounds;
	for (next = done = 0; done < total; ) {
		while (next < total && running < jobs) {
			snprintf(obj, sizeof(obj), "%s/%s.o", argv[2],
			    base(src[next % nsrc]));
			if ((pid = fork()) == -1) {
				fprintf(stderr, "kbench-vmload: fork: %s\n",
				    strerror(errno));
				return 1;
			}
			if (pid == 0) {
				execl(argv[0], argv[0], "-c", src[next % nsrc],
				    obj, (char *)NULL);
				fprintf(stderr, "kbench-vmload: exec %s: %s\n",
				    argv[0], strerror(errno));
				_exit(127);
			}
			next++;
			running++;
		}
		if (wait(&st) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		running--;
		done++;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			failed++;
	}
	if (failed > 0) {
		fprintf(stderr, "kbench-vmload: %ld of %zu compiles failed\n",
		    failed, total);
		return 1;
	}
	printf("kbench-vmload: %zu compiles of %zu sources\n", total, nsrc);
	return 0;
}
