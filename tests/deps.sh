#!/bin/sh
# deps.sh: tests of .ci/deps, what `make`, `make demo` and `make check` run
# first on a fresh machine.  Each case runs it with a PATH of stand-ins:
# a compiler that lacks the headers of packages not yet "installed", an
# apt-get that installs them (or says it did), id, sudo, and whichever of
# make, pkg-config, mandoc and iconv the case has.  What apt-get and sudo
# were asked to do is shown after the script's messages.
. "$(dirname "$0")/lib.sh"

unset APT SUDO FAKE_UID CV_APT_WAIT
DEPS_ARG=
CCREAL=$(command -v cc || command -v gcc)
for TRUE in /usr/bin/true /bin/true; do
	[ -x $TRUE ] && break
done
STUBS=$TMP/stubs

# stubs HAVE...: a fresh set; HAVE names commands (make pkg-config mandoc
# iconv sudo apt-get cc) and packages (libc6-dev libcsv-dev zlib1g-dev
# libpcre2-dev) that are there.
stubs() {
	rm -rf "$STUBS"
	mkdir -p "$STUBS/bin" "$STUBS/pkg"
	: >"$STUBS/log"
	for t in sh env cat ln sleep; do
		ln -s "$(command -v $t)" "$STUBS/bin/$t"
	done
	ln -s $TRUE "$STUBS/bin/true"
	cat >"$STUBS/bin/id" <<-EOF
	#!/bin/sh
	echo "\${FAKE_UID:-0}"
	EOF
	cat >"$STUBS/bin/cc.real" <<-EOF
	#!/bin/sh
	# A header of a package not installed is missing.
	src=\$(cat)
	for p in csv.h:libcsv-dev zlib.h:zlib1g-dev pcre2.h:libpcre2-dev \\
	    stdio.h:libc6-dev; do
		case "\$src" in
		*"<\${p%%:*}>"*) [ -e "$STUBS/pkg/\${p#*:}" ] || exit 1 ;;
		esac
	done
	printf '%s\n' "\$src" | exec "$CCREAL" "\$@"
	EOF
	cat >"$STUBS/bin/apt-get.real" <<-EOF
	#!/bin/sh
	echo "apt-get \$* (uid \$(id -u), DEBIAN_FRONTEND=\${DEBIAN_FRONTEND:-})" \\
	    >>"$STUBS/log"
	[ "\${APT:-}" = fail ] && exit 100
	# Locked: the first two updates find the lists locked.
	if [ "\${APT:-}" = locked ] && [ "\$*" != "\${*#*update}" ]; then
		n=\$(cat "$STUBS/locked" 2>/dev/null || echo 0)
		echo \$((n + 1)) >"$STUBS/locked"
		if [ \$n -lt 2 ]; then
			echo "E: Could not get lock /var/lib/apt/lists/lock." >&2
			exit 100
		fi
	fi
	case " \$* " in
	*" install "*)
		[ "\${APT:-}" = lie ] && exit 0
		for a; do
			case "\$a" in
			-*|install) ;;
			gcc) ln -sf cc.real "$STUBS/bin/cc" ;;
			*) ln -sf $TRUE "$STUBS/bin/\$a"
			   : >"$STUBS/pkg/\$a" ;;
			esac
		done ;;
	esac
	exit 0
	EOF
	cat >"$STUBS/bin/sudo.real" <<-EOF
	#!/bin/sh
	echo "sudo \$*" >>"$STUBS/log"
	[ "\$1" = -n ] || { echo "sudo: a terminal is required" >&2; exit 1; }
	shift
	[ "\${SUDO:-}" = password ] && { echo "sudo: a password is required" >&2
	    exit 1; }
	FAKE_UID=0 exec env -u DEBIAN_FRONTEND "\$@"
	EOF
	chmod +x "$STUBS/bin/"*
	for h; do
		case $h in
		cc) ln -s cc.real "$STUBS/bin/cc" ;;
		apt-get|sudo) ln -s $h.real "$STUBS/bin/$h" ;;
		make|pkg-config|mandoc|iconv)
			ln -s $TRUE "$STUBS/bin/$h" ;;
		*) : >"$STUBS/pkg/$h" ;;
		esac
	done
}

# deps [VAR=VALUE...] [-- ARG]: run .ci/deps with the stand-ins, then show
# what apt-get and sudo were asked.
deps() {
	s=0
	env -u NO_DEPS -u CC -u CPPFLAGS PATH="$STUBS/bin" "$@" \
	    sh "$TOP/.ci/deps" ${DEPS_ARG:-} || s=$?
	echo "exit $s"
	cat "$STUBS/log"
}

all="make pkg-config cc libc6-dev libcsv-dev zlib1g-dev libpcre2-dev apt-get"
stubs $all
check deps-all-there 0 deps
stubs make pkg-config cc libc6-dev zlib1g-dev apt-get
check deps-root-installs 0 deps
# What apt-get installed is looked for again.
stubs make pkg-config cc libc6-dev zlib1g-dev libpcre2-dev apt-get
check deps-apt-lies 0 deps APT=lie
stubs make pkg-config cc libc6-dev zlib1g-dev libpcre2-dev apt-get
check deps-apt-fails 0 deps APT=fail
# The package lists locked by a first boot's upgrades: the update waits.
stubs make pkg-config cc libc6-dev zlib1g-dev libpcre2-dev apt-get
check deps-apt-locked 0 deps APT=locked CV_APT_WAIT=0
# No compiler, no make: all of it in one go.
stubs apt-get
check deps-bare-machine 0 deps
stubs make pkg-config cc libc6-dev zlib1g-dev libpcre2-dev apt-get sudo
check deps-sudo 0 deps FAKE_UID=1000
# sudo that wants a password is never asked; the command to run is shown,
# with the apt-get update a fresh machine needs.
stubs make pkg-config cc libc6-dev zlib1g-dev libpcre2-dev apt-get sudo
check deps-sudo-password 0 deps FAKE_UID=1000 SUDO=password
stubs make pkg-config cc libc6-dev zlib1g-dev libpcre2-dev apt-get
check deps-no-sudo 0 deps FAKE_UID=1000
stubs make pkg-config cc libc6-dev zlib1g-dev libpcre2-dev
check deps-no-apt 0 deps
# Without apt-get, no apt-get command is offered, whoever runs it.
stubs make pkg-config cc libc6-dev zlib1g-dev libpcre2-dev sudo
check deps-no-apt-user 0 deps FAKE_UID=1000
# make check's needs too, in one command.
stubs make pkg-config cc libc6-dev zlib1g-dev libpcre2-dev apt-get iconv
DEPS_ARG=check
check deps-check-one-command 0 deps FAKE_UID=1000
DEPS_ARG=
# The compiler as make calls it: with arguments, or one no package brings.
stubs $all
check deps-cc-with-args 0 deps CC="cc -fPIE"
stubs $all
check deps-cc-unknown 0 deps CC=nosuchcc
stubs pkg-config
check deps-skipped 0 deps NO_DEPS=1
stubs make pkg-config cc libc6-dev zlib1g-dev libpcre2-dev
check deps-not-skipped 0 deps NO_DEPS=0
finish
