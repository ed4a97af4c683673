# kbench: the one entry point.  See README.md.
#
#   make            build bin/kbench and bin/kbench-agent
#   make deps       install missing Debian packages (idempotent)
#   make test       deps, sanitizer build, the short tier of the tests
#   make test-long  the long tier: other arches, many boots (README.md)
#   make demo       deps, build, the main job on the built-in default
#   make bench      benchmarks that print figures
#   make install    PREFIX=/usr/local (and DESTDIR); make uninstall

PREFIX	?= /usr/local
MANDIR	?= $(PREFIX)/share/man
DATADIR	?= $(PREFIX)/share/kbench
CC	?= cc

PKGS	 = libpq gsl libconfig libcrypto libmicrohttpd jansson zlib
PKG_CFLAGS != pkg-config --cflags $(PKGS) 2>/dev/null || true
PKG_LIBS   != pkg-config --libs $(PKGS) 2>/dev/null || echo -lpq -lgsl -lgslcblas -lconfig -lcrypto -ljansson -lz
PG_INC     != pg_config --includedir 2>/dev/null || echo /usr/include/postgresql

WARN	 = -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes \
	   -Wmissing-prototypes -Wno-unused-parameter
STD	 = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
# KB_ROOT: the checkout, the data directory of the tree's binaries;
# make install adds KB_DATADIR for its kbench (harness/lib/paths.h).
DEFS	 = -DKB_ROOT='"$(CURDIR)"' -DKB_VERSION='"0.1"'
BASE_CFLAGS = $(STD) $(WARN) $(DEFS) -Iharness -I$(PG_INC) $(PKG_CFLAGS) -MMD -MP
REL_CFLAGS  = -O2 -g
SAN_CFLAGS  = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	      -fno-sanitize-recover=undefined
SAN_LDFLAGS = -fsanitize=address,undefined
LIBS	 = $(PKG_LIBS) -lm

# The harness's layers, lowest first (docs/architecture.md; make lint).
LAYERS	 = lib format stats store output worker engine web cmd
SRCS	 = $(foreach l,$(LAYERS),$(wildcard harness/$(l)/*.c))
LIBOBJS_REL = $(patsubst harness/%.c,build/rel/%.o,$(SRCS))
LIBOBJS_SAN = $(patsubst harness/%.c,build/san/%.o,$(SRCS))
UNITS	 = $(patsubst tests/unit/%.c,build/san/%,$(wildcard tests/unit/test_*.c))
AGENT_SRC = workers/agent/kbench-agent.c
AGENT_CFLAGS = -std=c99 -Wall -Wextra -pedantic -Werror -O2 -g

.PHONY: all deps test test-long test-unit test-integration demo bench clean \
	install uninstall agent-check lint fuzz fuzzers

all: bin/kbench bin/kbench-agent bin/kbench-insn.so

bin/kbench: build/rel/main.o $(LIBOBJS_REL) | bin
	$(CC) -o $@ build/rel/main.o $(LIBOBJS_REL) $(LIBS)

bin/kbench-agent: $(AGENT_SRC) | bin
	$(CC) $(AGENT_CFLAGS) -o $@ $(AGENT_SRC)

# The TCG plugin that counts guest instructions (docs/statistics.md),
# against the plugin header of the installed QEMU, fetched once from
# Debian's source package into ~/.cache/kbench.
PLUGIN_SRC = workers/qemu-plugin/kbench-insn.c workers/qemu-plugin/profile.c
PLUGIN_CFLAGS = -std=c11 -D_DEFAULT_SOURCE $(WARN) -O2 -g -fPIC -shared
bin/kbench-insn.so: $(PLUGIN_SRC) workers/qemu-plugin/profile.h \
    workers/fetch/qemu-plugin.sh | bin
	inc=$$(sh workers/fetch/qemu-plugin.sh) && \
	    $(CC) $(PLUGIN_CFLAGS) -I"$$inc" -o $@ $(PLUGIN_SRC) -lz

build/rel/%.o: harness/%.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(REL_CFLAGS) -c $< -o $@

build/san/%.o: harness/%.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(SAN_CFLAGS) -c $< -o $@

build/san/kbench: build/san/main.o $(LIBOBJS_SAN)
	$(CC) $(SAN_LDFLAGS) -o $@ build/san/main.o $(LIBOBJS_SAN) $(LIBS)

build/san/kbench-agent: $(AGENT_SRC) | build/san
	$(CC) $(AGENT_CFLAGS) $(SAN_CFLAGS) $(SAN_LDFLAGS) -o $@ $(AGENT_SRC)

build/san/test_%: tests/unit/test_%.c $(LIBOBJS_SAN) tests/unit/unit.h
	$(CC) $(BASE_CFLAGS) $(SAN_CFLAGS) -o $@ $< \
	    $(LIBOBJS_SAN) $(SAN_LDFLAGS) $(LIBS) -lcmocka

bin build/rel build/san:
	mkdir -p $@

-include $(wildcard build/rel/*.d build/rel/*/*.d build/san/*.d build/san/*/*.d)

deps:
	@sh scripts/deps.sh

# libFuzzer targets (clang), each with the harness files it needs.
FUZZ_CC	 = clang
FUZZ_CFLAGS = $(STD) $(DEFS) -I$(PG_INC) -Iharness -g -O1 \
	      -fsanitize=fuzzer,address,undefined
FUZZ_COMMON = harness/lib/sample.c harness/lib/util.c harness/lib/hash.c \
	      harness/lib/label.c harness/lib/suggest.c \
	      harness/lib/paths.c
FUZZ_LIBS = -lz -lcrypto -ljansson
FUZZERS	 = $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 600

build/fuzz/fuzz_timeparse: tests/fuzz/fuzz_timeparse.c harness/format/timeparse.c \
    $(FUZZ_COMMON)
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^ $(FUZZ_LIBS)

build/fuzz/fuzz_agentproto: tests/fuzz/fuzz_agentproto.c harness/format/agentproto.c \
    $(FUZZ_COMMON)
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^ $(FUZZ_LIBS)

build/fuzz/fuzz_insnlog: tests/fuzz/fuzz_insnlog.c harness/format/insnlog.c \
    harness/format/agentproto.c $(FUZZ_COMMON)
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^ $(FUZZ_LIBS)

build/fuzz/fuzz_config: tests/fuzz/fuzz_config.c harness/format/config.c \
    harness/format/cfgkeys.c harness/format/commiturl.c \
    harness/stats/stats.c $(FUZZ_COMMON)
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^ $(LIBS)

build/fuzz/fuzz_agentpkg: tests/fuzz/fuzz_agentpkg.c harness/format/agentpkg.c \
    harness/format/agentproto.c harness/format/ports.c $(FUZZ_COMMON)
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^ $(LIBS)

build/fuzz/fuzz_ports: tests/fuzz/fuzz_ports.c harness/format/ports.c $(FUZZ_COMMON)
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^ $(LIBS)

build/fuzz/fuzz_bulklog: tests/fuzz/fuzz_bulklog.c harness/format/bulklog.c \
    harness/format/dpblog.c harness/format/poudlog.c \
    harness/format/timeparse.c $(FUZZ_COMMON)
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^ $(LIBS)

fuzzers: $(FUZZERS)

# The long runs; the test suite runs each for a short time box.
fuzz: deps fuzzers
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh

# The agent must build warning-free as a plain portable C99 file.
agent-check:
	$(CC) -std=c99 -Wall -Wextra -pedantic -Werror -fsyntax-only $(AGENT_SRC)

# Two tiers (tests/run.sh): make test, every unit test, every
# PostgreSQL-only integration test and each QEMU path once on amd64;
# make test-long, the other arches, buildbot on QEMU, the kernel bisect.
test: deps
	@$(MAKE) --no-print-directory all build/san/kbench \
	    build/san/kbench-agent $(UNITS) agent-check fuzzers lint
	@sh scripts/qemu-prep.sh short
	@sh tests/run.sh short

test-long: deps
	@$(MAKE) --no-print-directory all build/san/kbench \
	    build/san/kbench-agent
	@sh scripts/qemu-prep.sh long
	@sh tests/run.sh long

test-unit: $(UNITS)
	@sh tests/run.sh unit

test-integration: build/san/kbench build/san/kbench-agent
	@sh tests/run.sh integration

demo: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/demo.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/bench.sh
	@echo "== page times with 1,000,000 samples (scripts/bench-web.sh)"
	@sh scripts/bench-web.sh
	@echo "== a compare plot of 1,000,000 samples (scripts/bench-plot.sh)"
	@sh scripts/bench-plot.sh
	@echo "== change points: false alerts on flat series (scripts/bench-detect.sh)"
	@sh scripts/bench-detect.sh
	@echo "== bulk builds: the harness per package (scripts/bench-bulk.sh)"
	@sh scripts/bench-bulk.sh
	@echo "== ports-small: wall time and harness per package (scripts/bench-ports.sh)"
	@sh scripts/bench-ports.sh

# The slow figures, each its own target (minutes to a quarter hour):
# ten bisections of a 5% step; ten --until-verdict comparisons of a
# 15% regression and ten A/A (and three tries of a 15% kernel regression
# and three A/A under QEMU -icount); make -j of all of musl against
# /usr/bin/time; QEMU timing noise with and without -icount, and the
# guest instruction counts' spread and the plugin's cost.  bench-ports
# (ports-small's wall time, about 5 minutes) is also the last step of
# make bench.
.PHONY: bench-slow bench-bisect bench-verdict bench-verdict-qemu bench-libc \
	bench-qemu bench-ports
bench-slow: bench-bisect bench-verdict bench-verdict-qemu bench-libc bench-qemu
bench-bisect: deps build/san/kbench build/san/kbench-agent
	@sh scripts/bench-bisect.sh
bench-verdict: deps build/san/kbench build/san/kbench-agent
	@sh scripts/bench-verdict.sh
bench-verdict-qemu: deps all
	@KBENCH_QEMU_ARCHS=amd64 KBENCH_QEMU_SSH=0 sh scripts/qemu-prep.sh
	@sh scripts/bench-verdict-qemu.sh
bench-libc: deps all
	@sh scripts/bench-libc.sh
bench-ports: deps all
	@sh scripts/bench-ports.sh
bench-qemu: deps all
	@sh scripts/qemu-prep.sh
	@sh scripts/bench-qemu.sh
	@sh scripts/bench-qemu-insn.sh

# What kbench reads at run time, installed under DATADIR: migrations,
# dashboards, the files it copies to workers, configurations, kernel
# configs and patches.
DATA_DIRS = configs dashboards db kernel-src workers

# The installed kbench is bin/kbench's objects but lib/paths.o, built
# again with the data directory; bin/kbench keeps using the checkout.
# Built at each install, since PREFIX may differ from the last one.
install: all
	@mkdir -p build/inst
	$(CC) $(BASE_CFLAGS) $(REL_CFLAGS) -DKB_DATADIR='"$(DATADIR)"' \
	    -c harness/lib/paths.c -o build/inst/paths.o
	$(CC) -o build/inst/kbench build/rel/main.o build/inst/paths.o \
	    $(filter-out build/rel/lib/paths.o,$(LIBOBJS_REL)) $(LIBS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(DATADIR)
	install -m 755 build/inst/kbench bin/kbench-agent \
	    $(DESTDIR)$(PREFIX)/bin
	install -d $(DESTDIR)$(DATADIR)/bin
	install -m 755 bin/kbench-insn.so $(DESTDIR)$(DATADIR)/bin
	install -m 644 docs/man/*.1 $(DESTDIR)$(MANDIR)/man1
	find $(DATA_DIRS) -name __pycache__ -prune -o -type f -print | \
	while read -r f; do \
		m=644; [ ! -x "$$f" ] || m=755; \
		install -d "$(DESTDIR)$(DATADIR)/$${f%/*}" && \
		install -m $$m "$$f" "$(DESTDIR)$(DATADIR)/$$f" || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/kbench $(DESTDIR)$(PREFIX)/bin/kbench-agent
	for f in docs/man/*.1; do \
		rm -f "$(DESTDIR)$(MANDIR)/man1/$${f##*/}"; \
	done
	rm -rf $(DESTDIR)$(DATADIR)

# Layers, include cycles, SQL only in store/, a header per file, man
# pages (scripts/lint.sh); no function past 100 lines without a reason
# (scripts/funclen.sh).
lint:
	@sh scripts/lint.sh
	@sh scripts/funclen.sh

clean:
	rm -rf build bin

# Buildbot (docs/buildbot.md): a local master and worker on 127.0.0.1,
# state under $KBENCH_HOME/buildbot; and the test of it alone.
.PHONY: buildbot-up buildbot-down test-buildbot
buildbot-up: deps all
	@sh scripts/buildbot-up.sh

buildbot-down:
	@sh scripts/buildbot-down.sh

# kbench bisect over a kernel tree, for real: 20 to 40 minutes (TCG);
# part of make test-long.
.PHONY: test-kernel-bisect
test-kernel-bisect: deps all build/san/kbench build/san/kbench-agent
	@KBENCH_QEMU_ARCHS=amd64 KBENCH_QEMU_SSH=0 sh scripts/qemu-prep.sh
	@sh tests/run.sh long kernel-bisect

test-buildbot: deps build/san/kbench build/san/kbench-agent
	@sh tests/run.sh integration 75-buildbot
