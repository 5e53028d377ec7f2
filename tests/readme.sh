#!/bin/sh
# The README's examples are real: every "$ command" in an indented block
# of the README is run from a scratch folder (with testdata/ beside it)
# and must print what the README shows under it, its standard output
# first, then its messages.
. "$(dirname "$0")/lib.sh"

D=$TMP/readme
mkdir -p "$D" && ln -s "$TOP/testdata" "$D/testdata" || exit 2
# Split the examples out: ex-N.cmd (continued over lines ending in \ or |)
# and ex-N.want.
awk -v d="$D" '
function flush() { if (n > 0) close(d "/ex-" n ".want") }
/^    \$ / {
	flush()
	n++
	cmd = substr($0, 7)
	while (cmd ~ /[\\|] *$/ && (getline line) > 0)
		cmd = cmd "\n" substr(line, 5)
	print cmd > (d "/ex-" n ".cmd")
	close(d "/ex-" n ".cmd")
	printf "" > (d "/ex-" n ".want")
	inex = 1
	next
}
inex && /^    / { print substr($0, 5) > (d "/ex-" n ".want"); next }
{ inex = 0 }
END { flush(); print n + 0 > (d "/count") }
' "$TOP/README"

n=$(cat "$D/count")
if [ "$n" -lt 1 ]; then
	fail readme-examples "no \$ command found in README"
fi
i=1
while [ "$i" -le "$n" ]; do
	name=readme-$i-$(sed -n '1s/^\([a-z-]*\).*/\1/p' "$D/ex-$i.cmd")
	(cd "$D" && sh -c "$(cat "ex-$i.cmd")" >"ex-$i.out" 2>"ex-$i.err")
	s=$?
	cat "$D/ex-$i.out" "$D/ex-$i.err" >"$D/ex-$i.got"
	if [ "$s" != 0 ]; then
		fail "$name" "exit status $s"
		head -20 "$D/ex-$i.got"
	elif cmp -s "$D/ex-$i.want" "$D/ex-$i.got"; then
		ok "$name"
	else
		fail "$name" "output differs from the README"
		diff -u "$D/ex-$i.want" "$D/ex-$i.got" | head -40
	fi
	i=$((i + 1))
done

# The README's first command, `make demo`, after the build: the whole
# pipeline on the sample data (into a scratch folder with a space in its
# name), every output it lists written; a folder of other files is
# refused and left as it was.
demo() {
	DEMO_OUT="$TMP/demo out" BIN="$BIN" sh tests/demo.sh
}
check demo-runs 0 scrub demo
mkdir -p "$TMP/mine"
echo keep >"$TMP/mine/notes.txt"
check demo-refuses-folder 1 scrub env DEMO_OUT="$TMP/mine" BIN="$BIN" \
    sh tests/demo.sh
check demo-refuses-folder-kept 0 cat "$TMP/mine/notes.txt"
check demo-refuses-file 1 scrub env DEMO_OUT="$TMP/mine/notes.txt" \
    BIN="$BIN" sh tests/demo.sh
check demo-refuses-file-kept 0 cat "$TMP/mine/notes.txt"
# A relative DEMO_OUT is taken from the folder make was run in.
demo_relative() {
	(cd "$TMP/mine" && DEMO_OUT=rel BIN="$BIN" sh "$TOP/tests/demo.sh" \
	    >/dev/null 2>&1) && test -s "$TMP/mine/rel/customers.tsv" &&
	    echo written
}
check demo-relative 0 demo_relative
# DEMO_OUT a link to an earlier demo's folder: emptied through the link,
# the night then adds 101 new lines, as in a fresh store.
demo_link() {
	ln -s "$TMP/demo out" "$TMP/demo-link" &&
	    DEMO_OUT="$TMP/demo-link" BIN="$BIN" sh tests/demo.sh 2>/dev/null |
	    grep -c '101 new' && test -L "$TMP/demo-link"
}
check demo-link 0 demo_link
finish
