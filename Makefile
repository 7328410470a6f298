# customs - container image security scanner
#
#   make            build build/customs
#   make demo       install deps, build the sample image, scan it
#   make check      install deps, build, run every test (unit, e2e, ASan+UBSan,
#                   ThreadSanitizer on the threaded code)
#   make bench      time a scan of the sample image beside gzip -dc | sha256sum
#
# Variables: BUILD (output dir), SAN=1 (ASan+UBSan build), CC.

CC ?= cc
BUILD ?= build
PKGS := libarchive libisal libzstd libcrypto libcjson sqlite3 yaml-0.1 libcurl libhs libpcre2-8

WARN := -Wall -Wextra -Wshadow -Wvla -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes -Werror
CFLAGS ?= -O2 -g
CS_CFLAGS := -std=c11 $(WARN) -Isrc -Itests -MMD -MP $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CS_LDLIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

ifeq ($(SAN),1)
CS_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -DCS_ARENA_DEBUG
CS_LDFLAGS += -fsanitize=address,undefined
endif
ifeq ($(SAN),thread)
CS_CFLAGS += -fsanitize=thread -fno-omit-frame-pointer
CS_LDFLAGS += -fsanitize=thread
endif

VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo 0.1.0)
# The version goes into one generated header that only src/core/version.c
# includes; it is rewritten only when it changes.
CS_CFLAGS += -I$(BUILD)

CLI_SRC := $(wildcard src/cli/*.c)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
LIB_SRC := $(filter-out $(CLI_SRC),$(wildcard src/*/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(wildcard tests/unit/test_*.c)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
REPLAY_BIN := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=$(BUILD)/replay/%)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_TIME ?= 60

# Keep test objects between runs (they are intermediates of pattern rules).
.SECONDARY:

.PHONY: all deps test-deps unit replay e2e check check-san check-tsan demo bench clean images fuzz

all: $(BUILD)/customs

deps:
	@scripts/deps.sh build

test-deps:
	@scripts/deps.sh test

$(BUILD)/gen/version.h: FORCE
	@mkdir -p $(dir $@)
	@v='#define CS_BUILD_VERSION "$(VERSION)"'; [ "$$(cat $@ 2>/dev/null)" = "$$v" ] || echo "$$v" > $@

$(BUILD)/src/core/version.o: $(BUILD)/gen/version.h

.PHONY: FORCE
FORCE:

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CS_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/libcustoms.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/customs: $(CLI_OBJ) $(BUILD)/libcustoms.a
	$(CC) $(CFLAGS) $(CS_LDFLAGS) -o $@ $^ $(CS_LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(BUILD)/libcustoms.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CS_LDFLAGS) -o $@ $^ $(CS_LDLIBS)

# Unit tests: every tests/unit/test_*.c is one binary; run one by name with
# build/tests/test_dpkg [TEST...]. The fuzz corpora are replayed as tests too.
unit: $(TEST_BIN) $(REPLAY_BIN)
	@scripts/run-unit.sh $(TEST_BIN) $(REPLAY_BIN)

# Each fuzz target linked with a plain main that runs it over its corpus
# (tests/fuzz/corpus/NAME), so every build, sanitized ones included, replays it.
$(BUILD)/replay/%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay.o $(BUILD)/libcustoms.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CS_LDFLAGS) -o $@ $^ $(CS_LDLIBS)

# libFuzzer builds with clang: make fuzz [FUZZ_TIME=seconds per target].
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRC) $(wildcard src/*/*.h tests/unit/*.h tests/fuzz/*.h)
	@mkdir -p $(dir $@)
	clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-DCS_ARENA_DEBUG -Isrc -Itests $(shell pkg-config --cflags $(PKGS)) \
		$< $(LIB_SRC) $(CS_LDLIBS) -o $@

fuzz: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do n=$${f##*/fuzz_}; mkdir -p build/fuzz/corpus-$$n; \
		echo "fuzz $$n for $(FUZZ_TIME) s"; \
		$$f -max_total_time=$(FUZZ_TIME) -rss_limit_mb=2048 build/fuzz/corpus-$$n tests/fuzz/corpus/$$n || exit 1; done

# End-to-end: real images built from the Debian archive (cached under
# ~/.cache/customs), scanned in every transport, compared with dpkg-query.
e2e: $(BUILD)/customs
	@CUSTOMS=$(BUILD)/customs tests/e2e/run.sh

images:
	@scripts/build-images.sh

check: test-deps
	@$(MAKE) --no-print-directory all unit
	@$(MAKE) --no-print-directory e2e
	@$(MAKE) --no-print-directory check-san
	@$(MAKE) --no-print-directory check-tsan

# The whole suite again under ASan+UBSan (no recovery) in build/asan.
check-san:
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=1 all unit
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=1 e2e

# The tests whose code runs on several threads (layer decoder, workers,
# secret lanes) under ThreadSanitizer in build/tsan: any race fails them.
TSAN_TESTS := test_layer test_image test_scan_secrets test_dockerstream test_daemon test_apk test_dpkg
check-tsan:
	@$(MAKE) --no-print-directory BUILD=build/tsan SAN=thread $(TSAN_TESTS:%=build/tsan/tests/%)
	@set -e; for t in $(TSAN_TESTS); do TSAN_OPTIONS=halt_on_error=1:exitcode=66 build/tsan/tests/$$t; done

demo: deps
	@scripts/deps.sh demo
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh $(BUILD)/customs

bench: deps
	@scripts/deps.sh demo
	@$(MAKE) --no-print-directory all
	@scripts/bench.sh $(BUILD)/customs

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%.d) \
	$(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/fuzz/%.d) $(BUILD)/tests/fuzz/replay.d
