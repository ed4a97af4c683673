/*
 * fuzz_config.c: libFuzzer target for the configuration reader.  A
 * config or workload file may come from a patch series or a fleet
 * repository: hostile input.  libconfig reads from a file, so the input
 * goes to a private temporary file first; the first byte picks what it
 * is: the main file, or a workload file in a workload_dirs directory.
 * The reader must not crash, leak or report success without a local
 * worker, and a failure must say why.
 */
#include <sys/stat.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"
#include "format/config.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	dir[64], wdir[96], mainf[128], wlf[128];

static void
put(const char *path, const void *buf, size_t len)
{
	FILE *fp;

	if ((fp = fopen(path, "w")) == NULL)
		__builtin_trap();
	if (len > 0 && fwrite(buf, 1, len, fp) != len)
		__builtin_trap();
	fclose(fp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char wmain[] = "workload_dirs = [ \"wl\" ];\n";
	struct kb_config cfg;
	char err[512];
	int rc;

	if (dir[0] == '\0') {
		snprintf(dir, sizeof(dir), "/tmp/fuzz-config.%ld",
		    (long)getpid());
		snprintf(wdir, sizeof(wdir), "%s/wl", dir);
		snprintf(mainf, sizeof(mainf), "%s/kbench.conf", dir);
		snprintf(wlf, sizeof(wlf), "%s/wl/x.conf", dir);
		if (mkdir(dir, 0700) == -1 || mkdir(wdir, 0700) == -1)
			__builtin_trap();
		/* Whatever the environment says, only our files count. */
		unsetenv("KBENCH_DB");
	}
	if (size > 0 && (data[0] & 1)) {
		put(mainf, wmain, sizeof(wmain) - 1);
		put(wlf, data + 1, size - 1);
	} else {
		unlink(wlf);
		put(mainf, size > 0 ? data + 1 : data, size > 0 ? size - 1 : 0);
	}
	rc = kb_config_load(mainf, &cfg, err, sizeof(err));
	if (rc == -1) {
		if (err[0] == '\0')
			__builtin_trap();
	} else {
		if (kb_config_worker(&cfg, "local") == NULL)
			__builtin_trap();
		kb_config_free(&cfg);
	}
	return 0;
}
