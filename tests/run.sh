#!/bin/sh
# run.sh: the whole suite.  Runs every C unit test and every tests/*.sh
# script, then the man page lint, and ends with "N passed, N failed".
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 2
: "${BIN:=$TOP/bin}" "${UNITDIR:=$TOP/tests/unit}"
export BIN
LC_ALL=C
TZ=UTC
export LC_ALL TZ
total_p=0
total_f=0
log=$(mktemp "${TMPDIR:-/tmp}/cv-suite.XXXXXX")
trap 'rm -f "$log"' EXIT

tally() {
	# The last line of a part is "N passed, N failed".
	last=$(tail -n 1 "$log")
	p=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	f=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	if [ -z "$p" ]; then
		echo "FAIL $1: did not finish"
		p=0
		f=1
	fi
	total_p=$((total_p + p))
	total_f=$((total_f + f))
}

for t in "$UNITDIR"/*_test; do
	[ -x "$t" ] || continue
	echo "== unit ${t##*/}"
	"$t" >"$log" 2>&1
	grep -v '^[0-9]* passed, [0-9]* failed$' "$log"
	tally "${t##*/}"
done
for t in tests/*.sh; do
	case "$t" in
	tests/lib.sh|tests/run.sh|tests/demo.sh) continue ;;
	esac
	echo "== ${t#tests/}"
	sh "$t" >"$log" 2>&1
	grep -v '^[0-9]* passed, [0-9]* failed$' "$log"
	tally "$t"
done
echo "== man pages"
if mandoc -T lint -W warning man/* >"$log" 2>&1; then
	echo "ok mandoc-lint"
	total_p=$((total_p + 1))
else
	cat "$log"
	echo "FAIL mandoc-lint"
	total_f=$((total_f + 1))
fi
echo "$total_p passed, $total_f failed"
[ "$total_f" = 0 ]
