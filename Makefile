# cv: customer value toolchain for clothing-retail POS data.
#
#   make            build the commands into bin/
#   make demo       build, then run the nightly pipeline on the sample data
#   make check      build, then run the whole test suite
#   make bench      throughput and memory figures (tests/bench/)
#   make install    PREFIX=/usr/local DESTDIR=
#
# Missing build dependencies (make, a C compiler, pkg-config, libcsv, zlib,
# PCRE2; mandoc for the tests) are installed with apt-get when possible
# (.ci/deps); NO_DEPS=1 skips that.  SANITIZE=1 builds with AddressSanitizer
# and UBSan into build-san/.

VERSION	= 0.1.0
PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man

CC	?= cc
CFLAGS	?= -g -O2
WARNFLAGS = -std=c11 -Wall -Wextra -Wpedantic -Wmissing-prototypes \
	    -Wstrict-prototypes -Wshadow -Wwrite-strings -Wvla
ifeq ($(DEVELOPER),1)
WARNFLAGS += -Werror
endif
ALL_CPPFLAGS = -D_GNU_SOURCE -Ilib -MMD -MP $(CPPFLAGS)
PKGLIBS	= $(shell pkg-config --libs libpcre2-8 zlib 2>/dev/null || echo -lpcre2-8 -lz)
LDLIBS	= -lcsv $(PKGLIBS) -lm -pthread

ifeq ($(SANITIZE),1)
O	= build-san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined
else
O	= .
SANFLAGS =
endif

ALL_CFLAGS = $(WARNFLAGS) $(CFLAGS) $(SANFLAGS) -pthread

LIBSRC	= $(sort $(wildcard lib/*.c))
CMDSRC	= $(sort $(wildcard cmd/*.c))
UNITSRC	= $(sort $(wildcard tests/unit/*_test.c))
LIBOBJ	= $(LIBSRC:%.c=$(O)/%.o)
CMDS	= $(CMDSRC:cmd/%.c=$(O)/bin/%)
UNITS	= $(UNITSRC:tests/unit/%.c=$(O)/tests/unit/%)
MAN1	= $(wildcard man/*.1)
MAN5	= $(wildcard man/*.5)
MAN7	= $(wildcard man/*.7)
LIBA	= $(O)/lib/libcv.a

.PHONY: all build build-tests deps check test unit lint demo bench install \
	uninstall clean

all: deps
	@$(MAKE) --no-print-directory build

build: $(CMDS)
	@:

# The header checks see the CPPFLAGS given to make (-I dir).
DEPS	= @CC="$(CC)" CPPFLAGS="$(CPPFLAGS)" sh .ci/deps

deps:
	$(DEPS)

$(O)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(O)/cmd/%.o: cmd/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(O)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) -Itests/unit $(ALL_CFLAGS) -c -o $@ $<

$(LIBA): $(LIBOBJ)
	@rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

$(O)/bin/%: $(O)/cmd/%.o $(LIBA)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBA) $(LDLIBS)

$(O)/tests/unit/%: $(O)/tests/unit/%.o $(LIBA)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBA) $(LDLIBS)

# The command and unit test objects are made by a chain of pattern rules, so
# on a first build, before the .d files exist to name them, GNU make would
# treat them as intermediate and delete them, and the next make (or make
# install) would compile and link everything again.  Keep them.
.SECONDARY: $(CMDSRC:cmd/%.c=$(O)/cmd/%.o) \
	    $(UNITSRC:tests/unit/%.c=$(O)/tests/unit/%.o)

-include $(LIBOBJ:.o=.d) $(CMDSRC:cmd/%.c=$(O)/cmd/%.d) \
	 $(UNITSRC:tests/unit/%.c=$(O)/tests/unit/%.d)

# The suite: C unit tests, golden command tests, man page lint.  It ends
# with one line "N passed, N failed" and fails if anything failed.
check:
	$(DEPS) check
	@$(MAKE) --no-print-directory build-tests
	@BIN="$(CURDIR)/$(O)/bin" UNITDIR="$(CURDIR)/$(O)/tests/unit" \
	    SANITIZE="$(SANITIZE)" sh tests/run.sh

test: check

build-tests: $(CMDS) $(UNITS)
	@:

lint:
	@mandoc -T lint -W warning $(MAN1) $(MAN5) $(MAN7) && echo "man pages: clean"

demo: all
	@BIN="$(CURDIR)/$(O)/bin" sh tests/demo.sh

bench: all
	@BIN="$(CURDIR)/$(O)/bin" sh tests/bench/run.sh

install: all
	mkdir -p "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MANDIR)/man1" \
	    "$(DESTDIR)$(MANDIR)/man5" "$(DESTDIR)$(MANDIR)/man7"
	for f in $(CMDS); do install -m 755 $$f "$(DESTDIR)$(BINDIR)/"; done
	for f in $(MAN1); do install -m 644 $$f "$(DESTDIR)$(MANDIR)/man1/"; done
	for f in $(MAN5); do install -m 644 $$f "$(DESTDIR)$(MANDIR)/man5/"; done
	for f in $(MAN7); do install -m 644 $$f "$(DESTDIR)$(MANDIR)/man7/"; done

uninstall:
	for f in $(CMDS); do rm -f "$(DESTDIR)$(BINDIR)/$${f##*/}"; done
	for f in $(MAN1); do rm -f "$(DESTDIR)$(MANDIR)/man1/$${f##*/}"; done
	for f in $(MAN5); do rm -f "$(DESTDIR)$(MANDIR)/man5/$${f##*/}"; done
	for f in $(MAN7); do rm -f "$(DESTDIR)$(MANDIR)/man7/$${f##*/}"; done

clean:
	rm -rf bin build-san demo-out lib/*.o lib/*.d lib/libcv.a cmd/*.o \
	    cmd/*.d tests/unit/*.o tests/unit/*.d $(UNITSRC:%.c=%)
