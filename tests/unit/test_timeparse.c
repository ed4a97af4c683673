/*
 * test_timeparse.c: every log format tp_parse reads, exact to the
 * microsecond, and every way a log can be wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"
#include "lib/util.h"
#include "lib/sample.h"
#include "format/timeparse.h"

#define DATA	KB_ROOT "/tests/data/"

static char err[512];

/* Parse a string; the set is left in *ss for the caller to check. */
static int
pstr(const char *s, struct kb_sampleset *ss)
{
	memset(ss, 0, sizeof(*ss));
	return tp_parse_buf(s, strlen(s), "log", ss, err, sizeof(err));
}

/* Parse a string through a FILE too, and check both agree. */
static int
pboth(const char *s, struct kb_sampleset *ss)
{
	struct kb_sampleset	 fs;
	FILE			*fp;
	char			 ferr[512];
	int			 n, fn;

	n = pstr(s, ss);
	fp = tmpfile();
	assert_non_null(fp);
	assert_int_equal(fwrite(s, 1, strlen(s), fp), strlen(s));
	rewind(fp);
	memset(&fs, 0, sizeof(fs));
	fn = tp_parse(fp, "log", &fs, ferr, sizeof(ferr));
	fclose(fp);
	assert_int_equal(fn, n);
	if (n < 0)
		assert_string_equal(ferr, err);
	else {
		assert_int_equal(fs.n, ss->n);
		assert_memory_equal(fs.v, ss->v, fs.n * sizeof(*fs.v));
	}
	kb_ss_free(&fs);
	return n;
}

static int
pfile(const char *path, struct kb_sampleset *ss)
{
	FILE	*fp;
	int	 n;

	fp = fopen(path, "r");
	assert_non_null(fp);
	memset(ss, 0, sizeof(*ss));
	n = tp_parse(fp, path, ss, err, sizeof(err));
	fclose(fp);
	return n;
}

/* The parse must fail with a message containing want. */
static void
bad(const char *s, const char *want)
{
	struct kb_sampleset ss;

	if (pboth(s, &ss) != -1)
		fail_msg("parsed, expected error \"%s\"", want);
	assert_int_equal(ss.n, 0);
	if (strstr(err, want) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err, want);
	kb_ss_free(&ss);
}

static void
check_times(const struct kb_sample *s, int64_t r, int64_t u, int64_t y)
{
	assert_int_equal(s->real_us, r);
	assert_int_equal(s->user_us, u);
	assert_int_equal(s->sys_us, y);
}

static void
check_none_rusage(const struct kb_sample *s)
{
	assert_int_equal(s->maxrss_kb, KB_NONE);
	assert_int_equal(s->minflt, KB_NONE);
	assert_int_equal(s->majflt, KB_NONE);
	assert_int_equal(s->inblock, KB_NONE);
	assert_int_equal(s->oublock, KB_NONE);
	assert_int_equal(s->nvcsw, KB_NONE);
	assert_int_equal(s->nivcsw, KB_NONE);
}

static void
test_bsd_ksh(void **state)
{
	struct kb_sampleset ss;

	assert_int_equal(pboth("make: noise\n"
	    "   16m32.65s real    21m36.79s user    30m53.45s system\n"
	    "cc -c foo.c\n"
	    "    1h02m03.45s real     0m00.29s user     0m00.01s system\n",
	    &ss), 2);
	check_times(&ss.v[0], 992650000, 1296790000, 1853450000);
	check_times(&ss.v[1], 3723450000LL, 290000, 10000);
	assert_int_equal(ss.v[0].rep, 1);
	assert_int_equal(ss.v[1].rep, 2);
	assert_int_equal(ss.v[0].line, 2);
	assert_int_equal(ss.v[1].line, 4);
	assert_int_equal(ss.v[0].status, -1);
	assert_int_equal(ss.v[0].warmup, 0);
	check_none_rusage(&ss.v[0]);
	kb_ss_free(&ss);
}

static void
test_bsd_usrbin(void **state)
{
	struct kb_sampleset ss;

	assert_int_equal(pboth("        1.23 real         0.50 user"
	    "         0.10 sys\r\n        0.29 real 0.00 user 0 sys\n",
	    &ss), 2);
	check_times(&ss.v[0], 1230000, 500000, 100000);
	check_times(&ss.v[1], 290000, 0, 0);
	kb_ss_free(&ss);
}

static void
test_bsd_l(void **state)
{
	struct kb_sampleset ss;
	const struct kb_sample *s;

	assert_int_equal(pfile(DATA "bsd-l.txt", &ss), 3);
	s = &ss.v[0];
	check_times(s, 162410000, 398220000, 187530000);
	assert_int_equal(s->maxrss_kb, 187364);
	assert_int_equal(s->minflt, 6712345);
	assert_int_equal(s->majflt, 12);
	assert_int_equal(s->inblock, 640);
	assert_int_equal(s->oublock, 4012);
	assert_int_equal(s->nvcsw, 48211);
	assert_int_equal(s->nivcsw, 9120);
	assert_int_equal(s->line, 3);
	/* OpenBSD spells the faults "minor/major page faults". */
	s = &ss.v[1];
	check_times(s, 163870000, 399050000, 189100000);
	assert_int_equal(s->maxrss_kb, 187420);
	assert_int_equal(s->minflt, 6713002);
	assert_int_equal(s->majflt, 9);
	assert_int_equal(s->inblock, 512);
	assert_int_equal(s->oublock, 4020);
	assert_int_equal(s->nvcsw, 48302);
	assert_int_equal(s->nivcsw, 9207);
	/* A plain BSD line right after: rusage belongs to no one. */
	check_times(&ss.v[2], 161950000, 397610000, 186840000);
	check_none_rusage(&ss.v[2]);
	kb_ss_free(&ss);
}

static void
test_posix(void **state)
{
	struct kb_sampleset ss;

	assert_int_equal(pboth("\nreal 1.23\nuser 0.50\nsys 0.10\n"
	    "make[1]: done\nreal 1234567.891234\nuser 0.29\nsys .5\n", &ss), 2);
	check_times(&ss.v[0], 1230000, 500000, 100000);
	check_times(&ss.v[1], 1234567891234LL, 290000, 500000);
	assert_int_equal(ss.v[0].line, 2);
	assert_int_equal(ss.v[1].line, 6);
	assert_int_equal(ss.v[1].rep, 2);
	assert_int_equal(ss.v[0].status, -1);
	kb_ss_free(&ss);
}

static void
test_bash(void **state)
{
	struct kb_sampleset ss;

	assert_int_equal(pfile(DATA "bash.txt", &ss), 3);
	check_times(&ss.v[0], 114310000, 372004000, 100250000);
	check_times(&ss.v[2], 115102000, 373336000, 101009000);
	assert_int_equal(ss.v[0].line, 4);
	kb_ss_free(&ss);
	assert_int_equal(pboth("real\t65m0.000s\nuser\t0m0.290s\n"
	    "sys\t0m0.001s\n", &ss), 1);
	check_times(&ss.v[0], 3900000000LL, 290000, 1000);
	kb_ss_free(&ss);
}

static void
test_gnu_default(void **state)
{
	struct kb_sampleset ss;
	const struct kb_sample *s;

	assert_int_equal(pfile(DATA "gnu-default.txt", &ss), 4);
	s = &ss.v[0];
	check_times(s, 83450000, 212470000, 98310000);
	assert_int_equal(s->maxrss_kb, 187364);
	assert_int_equal(s->inblock, 0);
	assert_int_equal(s->oublock, 401232);
	assert_int_equal(s->majflt, 0);
	assert_int_equal(s->minflt, 6712345);
	assert_int_equal(s->nvcsw, KB_NONE);
	assert_int_equal(s->nivcsw, KB_NONE);
	/* No status line means GNU time saw exit status 0. */
	assert_int_equal(s->status, 0);
	assert_int_equal(s->line, 6);
	assert_int_equal(ss.v[1].majflt, 1);
	assert_int_equal(ss.v[1].inblock, 8);
	/* Signal 2, and a record starting at its status line. */
	assert_int_equal(ss.v[2].status, 130);
	assert_int_equal(ss.v[2].line, 15);
	/* h:mm:ss elapsed and a non-zero exit. */
	s = &ss.v[3];
	check_times(s, 3723000000LL, 650330000, 101720000);
	assert_int_equal(s->status, 2);
	assert_int_equal(s->rep, 4);
	kb_ss_free(&ss);
	/* GNU time 1.7 prints ?% when elapsed is zero. */
	assert_int_equal(pboth("0.00user 0.00system 0:00.00elapsed ?%CPU "
	    "(0avgtext+0avgdata 1920maxresident)k\n"
	    "0inputs+0outputs (0major+86minor)pagefaults 0swaps\n", &ss), 1);
	check_times(&ss.v[0], 0, 0, 0);
	assert_int_equal(ss.v[0].maxrss_kb, 1920);
	kb_ss_free(&ss);
}

static void
test_gnu_verbose(void **state)
{
	struct kb_sampleset ss;
	const struct kb_sample *s;

	assert_int_equal(pfile(DATA "gnu-verbose.txt", &ss), 2);
	s = &ss.v[0];
	check_times(s, 83450000, 212470000, 98310000);
	assert_int_equal(s->maxrss_kb, 187364);
	assert_int_equal(s->majflt, 2);
	assert_int_equal(s->minflt, 6712345);
	assert_int_equal(s->nvcsw, 48211);
	assert_int_equal(s->nivcsw, 9120);
	assert_int_equal(s->inblock, 64);
	assert_int_equal(s->oublock, 401232);
	assert_int_equal(s->status, 0);
	assert_int_equal(s->line, 3);
	s = &ss.v[1];
	check_times(s, 3723000000LL, 290000, 100000);
	assert_int_equal(s->status, 2);
	assert_int_equal(s->line, 28);
	kb_ss_free(&ss);
}

static void
test_gnu_posix_status(void **state)
{
	struct kb_sampleset ss;

	/* GNU time -p prints its status line before a POSIX record. */
	assert_int_equal(pboth("Command exited with non-zero status 3\n"
	    "real 1.00\nuser 0.50\nsys 0.25\nreal 2.00\nuser 1\nsys 0\n",
	    &ss), 2);
	assert_int_equal(ss.v[0].status, 3);
	assert_int_equal(ss.v[0].line, 1);
	assert_int_equal(ss.v[1].status, -1);
	kb_ss_free(&ss);
}

static void
test_plain(void **state)
{
	struct kb_sampleset ss;

	assert_int_equal(pfile(DATA "plain.txt", &ss), 4);
	check_times(&ss.v[0], 992650000, KB_NONE, KB_NONE);
	check_none_rusage(&ss.v[0]);
	assert_int_equal(ss.v[3].real_us, 994030000);
	assert_int_equal(ss.v[3].rep, 4);
	assert_int_equal(ss.v[0].line, 2);
	kb_ss_free(&ss);
	/* Non-numeric lines between are skipped. */
	assert_int_equal(pboth("  0.29\nrun two\n- idle box\n\t7\n", &ss),
	    2);
	assert_int_equal(ss.v[0].real_us, 290000);
	assert_int_equal(ss.v[1].real_us, 7000000);
	assert_int_equal(ss.v[1].line, 4);
	kb_ss_free(&ss);
}

/* In a time(1) log bare numbers are noise, before or after a record. */
static void
test_bare_numbers_in_log(void **state)
{
	struct kb_sampleset ss;

	assert_int_equal(pboth("42\n2024\n1 warning generated.\n"
	    "real 1.5\nuser 1\nsys 0\n17\n-3\nreal 2.5\nuser 2\nsys 0\n",
	    &ss), 2);
	assert_int_equal(ss.v[0].real_us, 1500000);
	assert_int_equal(ss.v[0].rep, 1);
	assert_int_equal(ss.v[1].real_us, 2500000);
	assert_int_equal(ss.v[1].rep, 2);
	kb_ss_free(&ss);
}

static void
test_exact_decimals(void **state)
{
	static const struct {
		const char	*in;
		int64_t		 us;
	} t[] = {
		{ "0.29", 290000 }, { "0.1", 100000 }, { "0.7", 700000 },
		{ "1.000001", 1000001 }, { "12.", 12000000 },
		{ "0.0000005", 1 }, { "0.0000004", 0 },
		{ "0.9999995", 1000000 }, { "1000000000", 1000000000000000LL },
		{ "4.35", 4350000 }, { "0.57", 570000 },
	};
	struct kb_sampleset ss;
	char	buf[64];
	size_t	i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(buf, sizeof(buf), "%s\n", t[i].in);
		assert_int_equal(pstr(buf, &ss), 1);
		if (ss.v[0].real_us != t[i].us)
			fail_msg("%s gave %lld", t[i].in,
			    (long long)ss.v[0].real_us);
		kb_ss_free(&ss);
	}
}

static void
test_data_sets(void **state)
{
	static const char *f[] = { "riscv64-libc-base.txt",
	    "riscv64-libc-canpersist.txt", "amd64-libc-base.txt",
	    "amd64-libc-canpersist.txt" };
	struct kb_sampleset ss;
	char	path[512];
	double	real[4], sys[4], user[4];
	size_t	i, j;

	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), DATA "%s", f[i]);
		assert_int_equal(pfile(path, &ss), 4);
		real[i] = sys[i] = user[i] = 0;
		for (j = 0; j < 4; j++) {
			assert_int_equal(ss.v[j].rep, (int)j + 1);
			real[i] += ss.v[j].real_us / 4e6;
			user[i] += ss.v[j].user_us / 4e6;
			sys[i] += ss.v[j].sys_us / 4e6;
		}
		if (i == 0)
			check_times(&ss.v[0], 992650000, 1296790000,
			    1853450000);
		kb_ss_free(&ss);
	}
	/* The story the data tells: riscv64 +16% real, +19% sys. */
	assert_true(real[1] / real[0] > 1.15 && real[1] / real[0] < 1.17);
	assert_true(sys[1] / sys[0] > 1.18 && sys[1] / sys[0] < 1.20);
	assert_true(user[1] / user[0] > 0.99 && user[1] / user[0] < 1.01);
	assert_true(real[3] / real[2] > 1.33 && real[3] / real[2] < 1.37);
}

/* Samples the caller had stay; on error ours are taken back. */
static void
test_append_and_rollback(void **state)
{
	static const char *rb = "real 1\nuser 1\nsys 1\nreal 2\n";
	struct kb_sampleset ss;
	struct kb_sample s;

	memset(&ss, 0, sizeof(ss));
	kb_sample_init(&s);
	kb_ss_add(&ss, &s);
	assert_int_equal(tp_parse_buf("1\n2\n", 4, "x", &ss, err,
	    sizeof(err)), 2);
	assert_int_equal(ss.n, 3);
	assert_int_equal(ss.v[2].rep, 2);
	assert_int_equal(tp_parse_buf(rb, strlen(rb),
	    "x", &ss, err, sizeof(err)), -1);
	assert_int_equal(ss.n, 3);
	assert_string_equal(err, "x:4: record is truncated at end of file; "
	    "expected \"user\" and \"sys\" lines after \"real\"");
	kb_ss_free(&ss);
}

static void
test_truncated(void **state)
{
	struct kb_sampleset ss;

	assert_int_equal(pfile(DATA "bad/truncated.txt", &ss), -1);
	assert_non_null(strstr(err, "truncated.txt:1: record is truncated"));
	kb_ss_free(&ss);
	bad("real 1.23\nuser 0.50\nsys 0.10\nreal 1.23\nuser 0.50\n",
	    "log:4: record is truncated at end of file; expected a \"sys\"");
	bad("real 1.23\nmake: noise\nuser 0.5\nsys 0.1\n",
	    "log:2: record started at line 1 is incomplete; expected "
	    "\"user 0.50\"");
	bad("0.50user 0.10system 0:01.23elapsed 49%CPU (0avgtext+0avgdata "
	    "1234maxresident)k\n", "log:1: record is truncated at end of "
	    "file; expected GNU time's second line");
	bad("0.50user 0.10system 0:01.23elapsed 49%CPU (0avgtext+0avgdata "
	    "1234maxresident)k\nmake: done\n", "log:2: GNU time record "
	    "started at line 1 is incomplete");
	bad("\tCommand being timed: \"x\"\n\tUser time (seconds): 0.50\n"
	    "\tSystem time (seconds): 0.10\n\tExit status: 0\n",
	    "log:4: GNU time -v record started at line 1 has no \"Elapsed");
	bad("\tCommand being timed: \"x\"\n\tUser time (seconds): 0.50\n",
	    "log:1: record is truncated at end of file; expected the rest "
	    "of the GNU time -v block");
	bad("\tCommand being timed: \"x\"\n\tUser time (seconds): 0.50\n"
	    "\tCommand being timed: \"y\"\n", "log:3: GNU time -v record "
	    "started at line 1 is incomplete");
	bad("Command exited with non-zero status 1\n",
	    "log:1: GNU time status line at end of file");
	bad("Command exited with non-zero status 1\nmake: x\n",
	    "log:2: GNU time status line 1 is not followed by its record");
	bad("user 0.50\nsys 0.10\n", "log:1: \"user\" line without a "
	    "record; expected \"real\" first");
}

static void
test_contradictory(void **state)
{
	bad("real 1.23\nreal 1.23\nuser 0.5\nsys 0.1\n",
	    "log:2: record started at line 1 is incomplete; expected "
	    "\"user");
	bad("real -1.23\nuser 0.5\nsys 0.1\n",
	    "log:1: negative real time \"-1.23\"; expected");
	bad("   1m75.00s real 0m1.00s user 0m1.00s system\n",
	    "log:1: impossible real time \"1m75.00s\"");
	bad("   1h60m00.00s real 0m1.00s user 0m1.00s system\n",
	    "log:1: impossible real time");
	bad("99999999999 real 1 user 1 sys\n", "log:1: impossible real time");
	bad("0.50user 0.10system 0:61.00elapsed 49%CPU (0avgtext+0avgdata "
	    "1maxresident)k\n0inputs+0outputs (0major+1minor)pagefaults "
	    "0swaps\n", "log:1: impossible elapsed time \"0:61.00\"");
	bad("        1.23 real         0.50 user         0.10 sys\n"
	    "   12  page faults\n   13  page faults\n",
	    "log:3: second \"page faults\" in the record at line 1");
	bad("        1.23 real         0.50 user         0.10 sys\n"
	    "   -2  swaps\n", "log:2: negative swaps \"-2\"");
	bad("\tCommand being timed: \"x\"\n\tUser time (seconds): 0.50\n"
	    "\tUser time (seconds): 0.50\n", "log:3: second \"User time "
	    "(seconds)\"");
	bad("\tCommand being timed: \"x\"\n\tExit status: 300\n",
	    "log:2: impossible exit status \"300\"");
}

static void
test_garbage(void **state)
{
	struct kb_sampleset ss;

	assert_int_equal(pfile(DATA "bad/garbage.txt", &ss), -1);
	assert_non_null(strstr(err, "garbage.txt:2: bad user \"0.5O\"; "
	    "expected seconds like 0.50"));
	kb_ss_free(&ss);
	bad("   abc real    0.50 user    0.10 sys\n",
	    "log:1: bad real time \"abc\"; expected seconds like 1.23 or "
	    "16m32.65s");
	bad("real\t1m5x.0s\nuser\t0m0.5s\nsys\t0m0.1s\n",
	    "log:1: bad real time \"1m5x.0s\"");
	bad("0.5Ouser 0.10system 0:01.23elapsed 49%CPU (0avgtext+0avgdata "
	    "1maxresident)k\n", "log:1: bad user time \"0.5O\"");
	bad("0.50user 0.10system 0:01.23elapsed 49%CPU (0avgtext+0avgdata "
	    "xmaxresident)k\n", "log:1: bad maxresident \"xmaxresident)k\"");
	bad("0.50user 0.10system 0:01.23elapsed 49%CPU junk\n",
	    "log:1: malformed GNU time line");
	bad("0.50user 0.10system 0:01.23elapsed 49%CPU (0avgtext+0avgdata "
	    "1maxresident)k\n0inputs+0outputs (0major+xminor)pagefaults "
	    "0swaps\n", "log:2: bad minor faults");
	bad("\tCommand being timed: \"x\"\n\tMaximum resident set size "
	    "(kbytes): lots\n", "log:2: bad Maximum resident set size "
	    "(kbytes) \"lots\"");
	bad("        1.23 real         0.50 user         0.10 sys\n"
	    "  many  maximum resident set size\n", "log:2: bad maximum "
	    "resident set size \"many\"");
	/* A plain-number log: lines that look like numbers must be. */
	bad("1.5\n2.5\n3,5\n", "log:3: bad number \"3,5\"; expected one "
	    "number of seconds per line");
	bad("1.5\n-2.5\n", "log:2: negative time \"-2.5\"");
	bad("1.5\n2.5 3.5\n", "log:2: more than a number in \"2.5\"");
	bad("1e3\n", "log:1: bad number \"1e3\"");
}

static void
test_mixed(void **state)
{
	struct kb_sampleset ss;

	assert_int_equal(pfile(DATA "bad/mixed.txt", &ss), -1);
	assert_non_null(strstr(err, "mixed.txt:2: GNU time output in a BSD "
	    "time log; expected one format per file"));
	kb_ss_free(&ss);
	bad("real 1.0\nuser 1.0\nsys 1.0\nreal\t0m1.0s\nuser\t0m1.0s\n"
	    "sys\t0m1.0s\n", "log:4: bash time output in a POSIX time -p "
	    "log");
	bad("real 1.0\nuser 1.0\nsys 1.0\n        1.23 real  0.50 user  "
	    "0.10 sys\n", "log:4: BSD time output in a POSIX time -p log");
	bad("real\t0m1.0s\nuser 1.0\nsys 1.0\n", "log:2: bad user \"1.0\"; "
	    "expected a time like 0m0.50s");
}

static void
test_empty(void **state)
{
	struct kb_sampleset ss;

	assert_int_equal(pfile(DATA "bad/empty.txt", &ss), -1);
	assert_non_null(strstr(err, "empty.txt: empty file; no timing "
	    "records found"));
	kb_ss_free(&ss);
	bad("", "log: empty file");
	bad("make: nothing to be done\n\n# 1.5\n",
	    "log: no timing records found");
	bad("\n", "log: no timing records found");
}

static void
test_long_line_nul(void **state)
{
	size_t	 n = 70000;
	char	*s;

	s = malloc(n + 32);
	assert_non_null(s);
	strcpy(s, "real 1\nuser 1\nsys 1\n");
	memset(s + 20, 'x', n);
	strcpy(s + 20 + n, "\n");
	bad(s, "log:4: line too long (more than 65536 bytes)");
	/* Without a newline at all, and at the end of the file. */
	s[20 + n] = '\0';
	bad(s, "log:4: line too long");
	/* Exactly at the limit is fine. */
	s[20 + 65536] = '\0';
	{
		struct kb_sampleset ss;

		assert_int_equal(pboth(s, &ss), 1);
		kb_ss_free(&ss);
	}
	free(s);
	{
		struct kb_sampleset ss;
		static const char nul[] = "real 1\nuser 1\0\nsys 1\n";

		memset(&ss, 0, sizeof(ss));
		assert_int_equal(tp_parse_buf(nul, sizeof(nul) - 1, "log",
		    &ss, err, sizeof(err)), -1);
		assert_string_equal(err, "log:2: NUL byte; expected a text "
		    "log");
		kb_ss_free(&ss);
	}
}

/* A small err buffer is truncated, not overrun; none at all is fine. */
static void
test_errbuf(void **state)
{
	struct kb_sampleset ss;
	char	small[8];

	memset(&ss, 0, sizeof(ss));
	assert_int_equal(tp_parse_buf("x", 1, "a-long-name", &ss, small,
	    sizeof(small)), -1);
	assert_string_equal(small, "a-long-");
	assert_int_equal(tp_parse_buf("x", 1, "n", &ss, NULL, 0), -1);
	kb_ss_free(&ss);
}

/*
 * A million lines of bash time output with make noise: one pass, and
 * fast.  Also through a FILE so records straddle read buffers.
 */
static void
test_million(void **state)
{
	struct kb_sampleset ss;
	size_t	 cap = 40 * 1000 * 1000, len = 0, i, nrec = 250000;
	int64_t	 want = 0, sum = 0;
	char	*buf;
	FILE	*fp;
	clock_t	 t0;
	double	 secs;

	buf = malloc(cap);
	assert_non_null(buf);
	for (i = 0; i < nrec; i++) {
		len += (size_t)snprintf(buf + len, cap - len,
		    "real\t%zum%zu.%03zus\nuser\t0m0.%03zus\nsys\t0m0.001s\n"
		    "cc -c file%zu.c\n", i % 7, i % 60, i % 1000, i % 1000, i);
		want += ((int64_t)(i % 7) * 60 + (int64_t)(i % 60)) *
		    1000000 + (int64_t)(i % 1000) * 1000;
	}
	t0 = clock();
	memset(&ss, 0, sizeof(ss));
	assert_int_equal(tp_parse_buf(buf, len, "big", &ss, err,
	    sizeof(err)), (int)nrec);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	for (i = 0; i < ss.n; i++)
		sum += ss.v[i].real_us;
	assert_int_equal(sum, want);
	assert_int_equal(ss.v[nrec - 1].line, 4 * (long)nrec - 3);
	assert_int_equal(ss.v[nrec - 1].rep, (int)nrec);
	kb_ss_free(&ss);
	print_message("1M lines in %.2fs\n", secs);
	assert_true(secs < 10);

	fp = tmpfile();
	assert_non_null(fp);
	assert_int_equal(fwrite(buf, 1, len, fp), len);
	rewind(fp);
	memset(&ss, 0, sizeof(ss));
	assert_int_equal(tp_parse(fp, "big", &ss, err, sizeof(err)),
	    (int)nrec);
	fclose(fp);
	for (sum = 0, i = 0; i < ss.n; i++)
		sum += ss.v[i].real_us;
	assert_int_equal(sum, want);
	kb_ss_free(&ss);
	free(buf);
}

/*
 * Records cut short, wrapped or missing a line, in every format: an
 * error naming the line, never a record quietly dropped as noise.
 */
/* bad() on a BSD record followed by tail. */
static void
bad_after_bsd(const char *tail, const char *want)
{
	char *s = kb_asprintf("        1.23 real         0.50 user         "
	    "0.10 sys\n%s", tail);

	bad(s, want);
	free(s);
}

static void
test_cut_records(void **state)
{
	(void)state;
	bad_after_bsd("        1.20 real         0.50 user\n",
	    "log:2: BSD time record cut short or wrapped (4 words)");
	bad_after_bsd("        1.20 real\n",
	    "log:2: BSD time record cut short or wrapped (2 words)");
	bad_after_bsd("        1.20 real         0.50\n user 0.10 sys\n",
	    "log:2: BSD time record cut short or wrapped (3 words)");
	bad("0.50 user 0.10 sys\n",
	    "log:1: BSD time record cut short or wrapped (4 words)");
	bad("real 1.0\nuser 0.5\nreal 1.2\nuser 0.5\nsys 0.1\n",
	    "log:3: record started at line 1 is incomplete");
	bad("real\t0m1.0s\nuser\t0m0.5s\nsys\t0m0.1s\n\nreal\t0m1.2s\n",
	    "log:5: record is truncated at end of file");
	bad("0.50user 0.10system 0:01.23elapsed 99%CPU (0avgtext+0avgdata "
	    "1234maxresident)k\n0.50user 0.10system 0:01.23elapsed 99%CPU "
	    "(0avgtext+0avgdata 1234maxresident)k\n0inputs+0outputs "
	    "(0major+100minor)pagefaults 0swaps\n",
	    "log:2: GNU time record started at line 1 is incomplete");
	bad("1.0\nnan\n2.0\n", "log:2: not a number \"nan\"");
	bad("1.0\n-inf\n", "log:2: not a number \"-inf\"");
	bad("1.0\nfoo\n", "log:2: not a number \"foo\"");
}

/* --lenient: n samples, k skipped, the first skip's message. */
static void
lenient(const char *log, size_t n, long k, const char *first)
{
	struct kb_sampleset ss;
	struct tp_skips sk;
	memset(&ss, 0, sizeof(ss));
	assert_int_equal(tp_parse_lenient(log, strlen(log), "log", &ss, &sk,
	    err, sizeof(err)), (int)n);
	assert_int_equal(ss.n, n);
	assert_int_equal(sk.n, k);
	if (first != NULL)
		assert_non_null(strstr(sk.first, first));
	kb_ss_free(&ss);
}

static void
test_lenient(void **state)
{
	struct kb_sampleset ss;
	struct tp_skips sk;
	(void)state;
	/* A cut BSD record between two whole ones. */
	lenient("1.20 real 0.50 user 0.10 sys\n1.30 real 0.50 user\n"
	    "1.40 real 0.60 user 0.10 sys\n", 2, 1,
	    "log:2: BSD time record cut short or wrapped (4 words)");
	/* POSIX: the record with no sys; the line that broke it is kept. */
	lenient("real 1.0\nuser 0.5\nreal 1.2\nuser 0.5\nsys 0.1\n", 1, 1,
	    "log:3: record started at line 1 is incomplete");
	/* Cut at the end of the file. */
	lenient("real 1\nuser 1\nsys 1\nreal 2\n", 1, 1,
	    "log:4: record is truncated at end of file");
	/* Plain numbers: every bad line counted, the first named. */
	lenient("1.0\nnan\n2.0\nfoo\n3.0\n", 3, 2, "log:2: not a number");
	/* Whole logs: nothing skipped. */
	lenient("1.20 real 0.50 user 0.10 sys\n", 1, 0, NULL);
	/* Still errors: binary, empty, nothing at all. */
	memset(&ss, 0, sizeof(ss));
	assert_int_equal(tp_parse_lenient("1.0\n\0\n", 5, "log", &ss, &sk,
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "NUL byte"));
	assert_int_equal(tp_parse_lenient("", 0, "log", &ss, &sk, err,
	    sizeof(err)), -1);
	assert_int_equal(tp_parse_lenient("make: done\n", 11, "log", &ss,
	    &sk, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no timing records found"));
	kb_ss_free(&ss);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bsd_ksh),
		cmocka_unit_test(test_bsd_usrbin),
		cmocka_unit_test(test_bsd_l),
		cmocka_unit_test(test_posix),
		cmocka_unit_test(test_bash),
		cmocka_unit_test(test_gnu_default),
		cmocka_unit_test(test_gnu_verbose),
		cmocka_unit_test(test_gnu_posix_status),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_bare_numbers_in_log),
		cmocka_unit_test(test_exact_decimals),
		cmocka_unit_test(test_data_sets),
		cmocka_unit_test(test_append_and_rollback),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_contradictory),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_long_line_nul),
		cmocka_unit_test(test_errbuf),
		cmocka_unit_test(test_million),
		cmocka_unit_test(test_cut_records),
		cmocka_unit_test(test_lenient),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
