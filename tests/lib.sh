# lib.sh: helpers for the golden command tests, sourced by tests/*.sh.
#
#   check NAME STATUS CMD [ARG ...]
#
# runs CMD from the top of the tree with stdin from $STDIN (default
# /dev/null) and compares its stdout with expected/NAME.out, its stderr with
# expected/NAME.err (a missing .err means stderr must be empty) and its exit
# status with STATUS.  UPDATE=1 writes the expected files instead.  Each
# script ends with `finish`, which prints "N passed, N failed".

set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
EXP="$TOP/tests/expected"
cd "$TOP" || exit 2
: "${BIN:=$TOP/bin}"
PATH="$BIN:$PATH"
LC_ALL=C
TZ=UTC
export PATH LC_ALL TZ
unset CV_DB
passed=0
failed=0
# The scratch folder's name is pasted into shell command strings: under
# a TMPDIR whose path has a blank it is made in /tmp instead.
case ${TMPDIR:-/tmp} in
*[[:space:]]*)	TMP=$(mktemp -d /tmp/cv-test.XXXXXX) || exit 2 ;;
*)		TMP=$(mktemp -d "${TMPDIR:-/tmp}/cv-test.XXXXXX") || exit 2 ;;
esac
trap 'rm -rf "$TMP"' EXIT
STDIN=/dev/null

ok() {
	passed=$((passed + 1))
	echo "ok $1"
}

fail() {
	failed=$((failed + 1))
	echo "FAIL $1${2:+: $2}"
}

check() {
	_name=$1 _want=$2
	shift 2
	_rc=0
	"$@" <"$STDIN" >"$TMP/out" 2>"$TMP/err" || _rc=$?
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$TMP/out" "$EXP/$_name.out"
		if [ -s "$TMP/err" ]; then
			cp "$TMP/err" "$EXP/$_name.err"
		else
			rm -f "$EXP/$_name.err"
		fi
	fi
	_bad=""
	if [ "$_rc" != "$_want" ]; then
		_bad="exit status $_rc, want $_want"
	fi
	if [ ! -f "$EXP/$_name.out" ]; then
		_bad="${_bad:+$_bad; }no expected/$_name.out"
	elif ! cmp -s "$TMP/out" "$EXP/$_name.out"; then
		_bad="${_bad:+$_bad; }stdout differs"
		diff -u "$EXP/$_name.out" "$TMP/out" | head -40
	fi
	if [ -f "$EXP/$_name.err" ]; then
		if ! cmp -s "$TMP/err" "$EXP/$_name.err"; then
			_bad="${_bad:+$_bad; }stderr differs"
			diff -u "$EXP/$_name.err" "$TMP/err" | head -20
		fi
	elif [ -s "$TMP/err" ]; then
		_bad="${_bad:+$_bad; }unexpected stderr"
		head -20 "$TMP/err"
	fi
	if [ -z "$_bad" ]; then
		ok "$_name"
	else
		fail "$_name" "$_bad"
	fi
	STDIN=/dev/null
}

# assert NAME COMMAND...: a test that passes when the shell command succeeds.
assert() {
	_name=$1
	shift
	if "$@" >"$TMP/aout" 2>&1; then
		ok "$_name"
	else
		fail "$_name"
		head -40 "$TMP/aout"
	fi
}

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
}

# scrub CMD...: run CMD with its output and messages passed through sed so
# that the scratch folder's name reads TMP; returns CMD's status.
scrub() {
	_s=0
	"$@" >"$TMP/scrub.out" 2>"$TMP/scrub.err" || _s=$?
	sed "s|$TMP|TMP|g" "$TMP/scrub.out"
	sed "s|$TMP|TMP|g" "$TMP/scrub.err" >&2
	return $_s
}
