/*
 * kbench-stat: print one framed line with what shows the mechanism
 * behind a guest's timings: KiB read from and written to the root disk
 * so far (/sys/block/DISK/stat) and the page cache size (Cached: in
 * /proc/meminfo).  The guest init runs it around every repetition:
 *
 *   KBENCH-GUEST {"tag":"pre","rep":3,"disk":"vda","read_kib":N,
 *                 "write_kib":N,"cached_kib":N,"memfree_kib":N} *CRC
 *
 * The frame is the agent's (CRC-32 of the bytes from the K to the
 * closing brace), so the harness reads it out of the same noisy
 * console.  Portable C99, no dependencies: built static for the guest.
 *
 * usage: kbench-stat TAG REP [DISK]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned long
crc32(const char *p, size_t n)
{
	unsigned long c = 0xffffffffUL;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		c ^= (unsigned char)p[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320UL & (0UL - (c & 1)));
	}
	return c ^ 0xffffffffUL;
}

static long long
meminfo(const char *key)
{
	char line[256];
	size_t kl = strlen(key);
	long long v = -1;
	FILE *fp;

	if ((fp = fopen("/proc/meminfo", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, key, kl) == 0 && line[kl] == ':') {
			v = atoll(line + kl + 1);
			break;
		}
	fclose(fp);
	return v;
}

int
main(int argc, char *argv[])
{
	char path[256], line[512];
	long long f[11], rd = -1, wr = -1;
	const char *disk;
	int len, i, ok;
	FILE *fp;

	if (argc < 3 || argc > 4 || strlen(argv[1]) > 32) {
		fprintf(stderr, "usage: kbench-stat TAG REP [DISK]\n");
		return 2;
	}
	disk = argc == 4 ? argv[3] : "vda";
	if (strlen(disk) > 32 || strchr(disk, '/') != NULL)
		return 2;
	snprintf(path, sizeof(path), "/sys/block/%s/stat", disk);
	if ((fp = fopen(path, "r")) != NULL) {
		for (i = 0, ok = 1; i < 11 && ok; i++)
			ok = fscanf(fp, "%lld", &f[i]) == 1;
		fclose(fp);
		if (ok) {
			/* Fields 3 and 7: sectors of 512 bytes. */
			rd = f[2] / 2;
			wr = f[6] / 2;
		}
	}
	len = snprintf(line, sizeof(line), "KBENCH-GUEST {\"tag\":\"%s\","
	    "\"rep\":%ld,\"disk\":\"%s\",\"read_kib\":%lld,"
	    "\"write_kib\":%lld,\"cached_kib\":%lld,\"memfree_kib\":%lld}",
	    argv[1], atol(argv[2]), disk, rd, wr, meminfo("Cached"),
	    meminfo("MemFree"));
	if (len < 0 || (size_t)len >= sizeof(line) - 16)
		return 1;
	len += snprintf(line + len, sizeof(line) - (size_t)len, " *%08lx\n",
	    crc32(line, (size_t)len));
	/* One write, so the line is never split by our own buffering. */
	return write(STDOUT_FILENO, line, (size_t)len) == len ? 0 : 1;
}
