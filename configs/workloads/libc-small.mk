# libc-small.mk: a fixed subset of musl for the libc-small workload.
#
# Read after musl's own Makefile (make -f Makefile -f libc-small.mk), so
# the subset is whatever musl itself would compile for those directories
# on this architecture, arch-specific replacements included (on x86_64
# src/string/x86_64/memcpy.s replaces src/string/memcpy.c).  It takes
# the objects that go into libc.a ($(AOBJS)); where configure finds the
# compiler makes PIC anyway (Debian's gcc does) those are the .lo files
# libc.so uses too, so every source file runs the compiler exactly once,
# as in the full build: the per-exec cost is what kernel VM changes move.
#
# The subset is fixed: these five directories of the pinned musl version
# (workers/fetch/musl.sh): 269 of musl's 1341 libc objects on x86_64
# (string 74, stdio 116, ctype 37, stdlib 22, multibyte 20).  Changing it
# changes the workload: give it a new name instead.

KBENCH_SMALL_DIRS = string stdio ctype stdlib multibyte
KBENCH_SMALL_OBJS = $(filter $(addsuffix /%,$(addprefix obj/src/,$(KBENCH_SMALL_DIRS))),$(AOBJS))

.PHONY: kbench-small kbench-small-list
kbench-small: $(KBENCH_SMALL_OBJS)

# Print the objects, one a line (documentation and tests).
kbench-small-list:
	@printf '%s\n' $(KBENCH_SMALL_OBJS)
