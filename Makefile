# casefile — one Makefile for the program, its tests, docs and benchmarks.
# Quiet unless V=1.  CC=clang works too.

CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/casefile
LIBEXECDIR ?= $(PREFIX)/libexec/casefile
PKG_CONFIG ?= pkg-config

# Libraries, each earning its place:
#   ncursesw  the TUI          sqlite3  the case store       libgit2  reports and sync
#   jansson   JSON in and out
#   libsodium  SHA-256 of operations: its first digest takes 0.04 ms where OpenSSL's takes
#             ~0.9 ms (provider start-up), paid by every one-record command
#   libcrypto  SHA-256 of evidence files: OpenSSL uses the CPU's SHA instructions, 5-6x
#             libsodium's speed on a multi-gigabyte disk image
#   libcmark-gfm  Markdown -> HTML for exports (with the GFM table extension)
#   libutf8proc  the Unicode tables behind store/text.c: which code points are hidden or
#             dangerous, display widths; the C library's tables vary with its version and locale
#   cairo, pangocairo  PDF exports laid out in the process (export/pdf*.c): text in any script,
#             fonts found by fontconfig (fonts-noto-core, fonts-noto-cjk)
#   zlib      a sealed case's files compressed before they are encrypted (export/seal.c):
#             ciphertext does not compress, and git deflating it made sealed syncs 2x slower
#   cmocka    unit tests
PKGS      = ncursesw sqlite3 libgit2 jansson libsodium libcrypto libcmark-gfm libutf8proc \
            cairo pangocairo zlib
# The small `casefile` binary (tui/cli/main.c with CASEFILE_CORE) runs the one-record commands with
# only these; it execs casefile-full for the rest.
CORE_PKGS = sqlite3 jansson libsodium libutf8proc
TEST_PKGS = cmocka
DEB_PKGS  = build-essential pkg-config libncurses-dev libsqlite3-dev libgit2-dev \
            libjansson-dev libsodium-dev libssl-dev libcmark-gfm-dev \
            libcmark-gfm-extensions-dev libcmocka-dev libutf8proc-dev sqlite3 git tmux valgrind python3 python3-html5lib \
            python3-jsonschema libcairo2-dev libpango1.0-dev fonts-noto-core fonts-noto-cjk \
            poppler-utils zlib1g-dev
TOOLS     = cc pkg-config sqlite3 git tmux valgrind python3 ssh ssh-keygen ssh-agent zsh fish \
            pdftotext pdfinfo
# sync's ssh test runs a real sshd on 127.0.0.1 (tests/t_sync_ssh.sh)
DEB_PKGS += openssh-client openssh-server
# the zsh and fish completion scripts are run by those shells (tests/t_completion.sh)
DEB_PKGS += zsh fish

WARN    = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
          -Wno-unused-parameter
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_XOPEN_SOURCE=700 \
          -D_XOPEN_SOURCE_EXTENDED -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) \
          -DCASEFILE_DATADIR='"$(DATADIR)"' -I. -MMD -MP
PKG_CFLAGS = $(filter-out -D_XOPEN_SOURCE=% -D_DEFAULT_SOURCE,$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null))
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions
TEST_LIBS  = $(shell $(PKG_CONFIG) --libs $(TEST_PKGS) 2>/dev/null)
# Statically, where the archives are installed (Debian's -dev packages ship them): no symbol
# lookups across shared objects at start-up, 0.6 ms of a 4.8 ms `event add` here.
CORE_STATIC = $(shell for l in sqlite3 jansson sodium utf8proc; do \
	  test -f "$$($(CC) -print-file-name=lib$$l.a)" || exit 0; done; echo yes)
ifeq ($(CORE_STATIC),yes)
CORE_LIBS  = -Wl,-Bstatic $(shell $(PKG_CONFIG) --libs-only-l $(CORE_PKGS) 2>/dev/null) \
	  -Wl,-Bdynamic $(filter-out $(shell $(PKG_CONFIG) --libs-only-l $(CORE_PKGS) 2>/dev/null), \
	  $(shell $(PKG_CONFIG) --static --libs $(CORE_PKGS) 2>/dev/null)) -lm
else
CORE_LIBS  = $(shell $(PKG_CONFIG) --libs $(CORE_PKGS) 2>/dev/null) -lm
endif

BUILD ?= build
# Every .c under store/, export/ and tui/ but the entry point (README, "Layout").
LIB_SRC = $(filter-out tui/cli/main.c,$(sort $(shell find store export tui -name '*.c')))
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC = $(wildcard tests/test_*.c)
TEST_BIN = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCH_SRC = $(wildcard tests/bench/*.c)
BENCH_BIN = $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)
# Fuzz targets (tests/fuzz/fuzz_NAME.c): replay_NAME runs a corpus once (make check),
# fuzz_NAME is the libFuzzer build (make fuzz).
FUZZ_TARGETS = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAY = $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%)
BIN = $(BUILD)/casefile
FULL_BIN = $(BUILD)/casefile-full
# Shell completion scripts, printed by the binary (tui/cli/complete.c), installed where
# bash-completion, zsh and fish look for them.
COMPLETIONS = $(BUILD)/completion/casefile.bash $(BUILD)/completion/_casefile \
	      $(BUILD)/completion/casefile.fish
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d

ifeq ($(V),1)
Q =
else
Q = @
endif

.PHONY: all run check test install uninstall deps asan san fuzz fuzz-bins bench stress clean \
	tui-test man-keys FORCE
all: $(BIN) $(FULL_BIN) $(COMPLETIONS) $(TEST_BIN) $(BENCH_BIN) $(FUZZ_REPLAY)

$(BUILD)/completion/casefile.bash: $(BIN)
	@mkdir -p $(dir $@)
	$(Q)$(BIN) completion bash >$@.tmp && mv $@.tmp $@
$(BUILD)/completion/_casefile: $(BIN)
	@mkdir -p $(dir $@)
	$(Q)$(BIN) completion zsh >$@.tmp && mv $@.tmp $@
$(BUILD)/completion/casefile.fish: $(BIN)
	@mkdir -p $(dir $@)
	$(Q)$(BIN) completion fish >$@.tmp && mv $@.tmp $@

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

# The rules directory is compiled in: rebuild rules.o whenever DATADIR (PREFIX) changes, so
# `make install PREFIX=/usr` after a plain `make` does not install a binary looking elsewhere.
# The same for LIBEXECDIR, where the small binary finds casefile-full once installed.
$(BUILD)/datadir.stamp: FORCE
	@mkdir -p $(dir $@)
	@echo '$(DATADIR) $(LIBEXECDIR)' | cmp -s - $@ 2>/dev/null || echo '$(DATADIR) $(LIBEXECDIR)' >$@
$(BUILD)/store/deadline/rules.o: $(BUILD)/datadir.stamp
$(BUILD)/tui/cli/main_core.o: tui/cli/main.c $(BUILD)/datadir.stamp
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $< (core)")
	$(Q)$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -DCASEFILE_CORE \
	  -DCASEFILE_LIBEXECDIR='"$(LIBEXECDIR)"' -c -o $@ $<
FORCE:

$(BUILD)/libcasefile.a: $(LIB_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

$(FULL_BIN): $(BUILD)/tui/cli/main.o $(BUILD)/libcasefile.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

# Linked with the core libraries only: an object of the archive that needs anything more
# fails this link, instead of quietly making every one-record command slower.
$(BIN): $(BUILD)/tui/cli/main_core.o $(BUILD)/libcasefile.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(CORE_LIBS) $(LDFLAGS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/libcasefile.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) $(TEST_LIBS) $(LDFLAGS)

$(BUILD)/bench/%: $(BUILD)/tests/bench/%.o $(BUILD)/libcasefile.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

$(BUILD)/fuzz/replay_%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay.o \
		$(BUILD)/tests/fuzz/common.o $(BUILD)/libcasefile.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

$(BUILD)/fuzz/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/common.o \
		$(BUILD)/libcasefile.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS) $(LDFLAGS)
fuzz-bins: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)
.SECONDARY: $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz/fuzz_%.o) $(BUILD)/tests/fuzz/common.o \
	$(BUILD)/tests/fuzz/replay.o

# The demo case lives in the user's data directory, as the XDG spec says.
DEMO_DIR ?= $(or $(XDG_DATA_HOME),$(HOME)/.local/share)/casefile/demo
run: deps
	$(MAKE) --no-print-directory $(BIN) $(FULL_BIN)
	@test -f "$(DEMO_DIR)/casefile.db" || ./$(BIN) demo "$(DEMO_DIR)"
	CASEFILE_RULES_DIR=store/deadline/rules ./$(BIN) -C "$(DEMO_DIR)"

# Every test; tests/run prints the tally last.
check: deps
	$(MAKE) --no-print-directory all san
	$(Q)BUILD=$(BUILD) sh tests/run

test: all san
	$(Q)BUILD=$(BUILD) sh tests/run

stress: all san
	$(Q)CASEFILE_STRESS=1 BUILD=$(BUILD) sh tests/run

# The two binaries again with gcc's AddressSanitizer and UBSan, in $(BUILD)/san: the damaged
# databases of tests/t_corrupt.sh run through them, so that a bad read shows even when it does not
# crash the plain build.
# -Wno-error: the instrumented code gives gcc false truncation warnings; the plain build is the
# one held to -Werror.
SAN_CFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
  -fno-sanitize-recover=all -Wno-error
san:
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/san CFLAGS="$(SAN_CFLAGS)" \
	  LDFLAGS="-fsanitize=address,undefined" $(BUILD)/san/casefile $(BUILD)/san/casefile-full

# The sanitizer build needs clang and its runtime libraries (not part of `make deps`).
asan:
	$(MAKE) --no-print-directory deps TOOLS="$(TOOLS) clang" \
	  DEB_PKGS="$(DEB_PKGS) clang libclang-rt-dev"
	$(MAKE) --no-print-directory BUILD=build-asan CC=clang \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" all
	$(Q)ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  BUILD=build-asan sh tests/run

# libFuzzer on every target for FUZZ_SECONDS each (clang and its runtime, as for asan), starting
# from the corpus in tests/fuzz/corpus/NAME; new inputs go to build-fuzz/corpus/NAME, a crash to
# build-fuzz/crashes/ (then: copy it into the corpus, fix, and make check replays it for good).
FUZZ_SECONDS ?= 600
FUZZ_CFLAGS = -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
  -fno-sanitize-recover=all
fuzz:
	$(MAKE) --no-print-directory deps TOOLS="$(TOOLS) clang" \
	  DEB_PKGS="$(DEB_PKGS) clang libclang-rt-dev"
	$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang CFLAGS="$(FUZZ_CFLAGS)" \
	  LDFLAGS="-fsanitize=address,undefined" fuzz-bins
	$(Q)for t in $(FUZZ_TARGETS); do \
	  mkdir -p build-fuzz/corpus/$$t build-fuzz/crashes && \
	  ASAN_OPTIONS=detect_leaks=1 ./build-fuzz/fuzz/fuzz_$$t build-fuzz/corpus/$$t \
	    tests/fuzz/corpus/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=20 \
	    -artifact_prefix=build-fuzz/crashes/$$t- -print_final_stats=1 2>&1 | \
	    tee build-fuzz/$$t.log | grep -E '^(stat::number_of_executed_units|==|SUMMARY)|Done'; \
	  grep -q '^Done' build-fuzz/$$t.log || { echo "fuzz: $$t failed"; exit 1; }; done

# fossil and taskwarrior are the latency comparisons of bench_store.sh: installed for the
# benchmarks only, not needed by casefile.
bench:
	$(MAKE) --no-print-directory deps TOOLS="$(TOOLS) fossil task" \
	  DEB_PKGS="$(DEB_PKGS) fossil taskwarrior"
	$(MAKE) --no-print-directory all
	$(Q)BUILD=$(BUILD) sh tests/bench/run

install: $(BIN) $(FULL_BIN) $(COMPLETIONS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	  $(DESTDIR)$(DATADIR)/rules $(DESTDIR)$(DATADIR)/templates $(DESTDIR)$(LIBEXECDIR) \
	  $(DESTDIR)$(BASHCOMPDIR) \
	  $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 644 $(BUILD)/completion/casefile.bash $(DESTDIR)$(BASHCOMPDIR)/casefile
	install -m 644 $(BUILD)/completion/_casefile $(DESTDIR)$(ZSHCOMPDIR)/_casefile
	install -m 644 $(BUILD)/completion/casefile.fish $(DESTDIR)$(FISHCOMPDIR)/casefile.fish
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/casefile
	install -m 755 $(FULL_BIN) $(DESTDIR)$(LIBEXECDIR)/casefile-full
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	$(if $(wildcard man/*.5),install -m 644 $(wildcard man/*.5) $(DESTDIR)$(MANDIR)/man5/)
	$(if $(wildcard store/deadline/rules/*),install -m 644 store/deadline/rules/* $(DESTDIR)$(DATADIR)/rules/)
	install -m 644 export/templates/*.md $(DESTDIR)$(DATADIR)/templates/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/casefile $(DESTDIR)$(LIBEXECDIR)/casefile-full
	rm -f $(DESTDIR)$(BASHCOMPDIR)/casefile $(DESTDIR)$(ZSHCOMPDIR)/_casefile \
	  $(DESTDIR)$(FISHCOMPDIR)/casefile.fish
	-rmdir $(DESTDIR)$(LIBEXECDIR) 2>/dev/null
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(wildcard man/*.1)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(wildcard man/*.5)))
	rm -rf $(DESTDIR)$(DATADIR)

# Installs only what is missing: a library pkg-config cannot find or a tool not on PATH; then
# checks again, so a package that did not bring what was missing is said, not ignored.
DEPS_CHECK = missing=""; \
	for p in $(PKGS) $(TEST_PKGS); do \
	  $(PKG_CONFIG) --exists $$p 2>/dev/null || missing="$$missing $$p"; done; \
	test -e /usr/include/cmark-gfm-core-extensions.h || missing="$$missing cmark-gfm-extensions"; \
	test -x /usr/sbin/sshd || missing="$$missing sshd"; \
	fc-list 'Noto Sans' 2>/dev/null | grep -q . || missing="$$missing fonts-noto-core"; \
	fc-list :lang=zh 2>/dev/null | grep -qi 'Noto Sans CJK' || missing="$$missing fonts-noto-cjk"; \
	for t in $(TOOLS); do command -v $$t >/dev/null 2>&1 || missing="$$missing $$t"; done; \
	python3 -c 'import html5lib' 2>/dev/null || /usr/bin/python3 -c 'import html5lib' \
	  2>/dev/null || missing="$$missing python3-html5lib"; \
	python3 -c 'import jsonschema' 2>/dev/null || /usr/bin/python3 -c 'import jsonschema' \
	  2>/dev/null || missing="$$missing python3-jsonschema"
deps:
	@$(DEPS_CHECK); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	echo "casefile: missing:$$missing"; \
	if command -v apt-get >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	    $(DEB_PKGS) </dev/null || exit 1; \
	  $(DEPS_CHECK); \
	  if [ -n "$$missing" ]; then \
	    echo "casefile: still missing after apt-get install:$$missing"; exit 1; fi; \
	else \
	  echo "casefile: not a Debian/Ubuntu system; install by hand: a C11 compiler, make,"; \
	  echo "  pkg-config and the development files of ncursesw, sqlite3 (3.35+, FTS5), libgit2,"; \
	  echo "  jansson, libsodium, OpenSSL libcrypto, cmark-gfm (with extensions), utf8proc, cmocka; and the tools"; \
	  echo "  sqlite3, git, tmux, valgrind, python3 with html5lib and jsonschema, zsh, fish."; exit 1; \
	fi

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# The KEYS list of casefile(1) is generated from tui/actions.h (tests/t_tui_keys.sh checks it).
man-keys: $(BIN) $(FULL_BIN)
	$(Q)./$(BIN) tui --keys >$(BUILD)/keys.roff
	$(Q)awk -v keys=$(BUILD)/keys.roff '/^\.\\" END KEYS/ { skip = 0 } !skip { print } \
	  /^\.\\" BEGIN KEYS/ { while ((getline l < keys) > 0) print l; skip = 1 }' \
	  man/casefile.1 >$(BUILD)/casefile.1 && mv $(BUILD)/casefile.1 man/casefile.1
