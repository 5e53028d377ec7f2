#!/bin/sh
# Tests of how the commands open their inputs and write their outputs:
# -o through symbolic links (to a file there or not yet there, chains,
# loops), the mode and owner of a replaced file, temporary files removed
# when a run is killed, names ending in / and names near the longest a
# folder takes, standard input read from where it stands, a cv stream cut
# short, and standard descriptors closed at the start.
. "$(dirname "$0")/lib.sh"

T=testdata
A="--as-of 2026-11-21"

cv-ingest -q $T/pos-sh01-20261121.csv >"$TMP/txn.tsv"
cv-score -q $A "$TMP/txn.tsv" >"$TMP/cust.tsv" 2>/dev/null
# A customers stream of more than 256 KiB: a plain file that big is mapped.
cv-synth -q --single - --lines 40000 --members 8000 | cv-ingest -q |
    cv-score -q $A >"$TMP/big.tsv" 2>/dev/null
cv-segment -q $A "$TMP/big.tsv" >"$TMP/big.seg"
# The big stream with a bad row at the end: a run that fails after it has
# written more than its output buffer.
{ cat "$TMP/big.tsv"; echo bad; } >"$TMP/bigbad.tsv"

# What a folder holds, dot files too: where each link points, the lines
# of each file.
files() {
	(cd "$1" && find . -mindepth 1 | sort | while read -r f; do
		if [ -L "$f" ]; then
			echo "$f -> $(readlink "$f")"
		elif [ -d "$f" ]; then
			echo "$f/"
		else
			echo "$f: $(wc -l <"$f") lines"
		fi
	done)
}

# -o through a symbolic link to a file that is not there yet: the output
# goes to a temporary file beside the link's target and is renamed onto
# it, so a run that fails leaves nothing at the target and the link stays
# a link.  A relative link is taken from the link's folder, a chain of
# links is followed, a loop is refused.
L=$TMP/l
mkdir "$L" "$L/sub"
ln -s sub/out.tsv "$L/new.tsv"
check output-link-new-fail 65 scrub cv-segment -q -o "$L/new.tsv" \
    "$TMP/bigbad.tsv"
check output-link-new-fail-files 0 scrub files "$L"
check output-link-new 0 cv-segment -q -o "$L/new.tsv" "$TMP/cust.tsv"
check output-link-new-files 0 scrub files "$L"
rm -r "$L"
mkdir "$L" "$L/sub"
ln -s "$L/hop2" "$L/hop1"
ln -s sub/hop3 "$L/hop2"
ln -s ../chain.tsv "$L/sub/hop3"
check output-link-chain 0 cv-segment -q -o "$L/hop1" "$TMP/cust.tsv"
check output-link-chain-files 0 scrub files "$L"
ln -s loop2 "$L/loop1"
ln -s loop1 "$L/loop2"
check output-link-loop 73 scrub cv-segment -q -o "$L/loop1" "$TMP/cust.tsv"
# A link to a file that is there: replaced through the link, as before.
check output-link-existing 0 cv-segment -q -o "$L/hop1" "$TMP/big.tsv"
check output-link-existing-files 0 scrub files "$L"

# A name that leads to a link of /proc (/dev/stdout, /dev/stderr,
# /dev/fd/N; here links of our own to /proc/self/fd/N, and /dev/stdout
# only with stdout on a file of the scratch folder) stands for an open
# descriptor: written through it, where it stands, never replaced by a
# rename.  So the link stays a link when the descriptor's file was
# removed (realpath() fails on it), what a shell appends to (>>) or
# writes around the command stays, and --rejects to stderr keeps the
# log stderr goes to, and the summary in it.  A descriptor not open, or
# open only for reading, is refused before any work.
F=$TMP/f
mkdir "$F"
ln -s /proc/self/fd/1 "$F/out"
ln -s /proc/self/fd/2 "$F/err"
ln -s /proc/self/fd/0 "$F/in"
ln -s /proc/self/fd/7 "$F/seven"
fd_removed() {
	( exec >"$F/gone.tsv" && rm "$F/gone.tsv" &&
	  cv-segment -q -o "$F/out" "$TMP/cust.tsv" ) || return
	files "$F"
}
check output-fd-removed 0 fd_removed
fd_append() {
	echo old >"$F/log.tsv"
	cv-segment -q -o "$F/out" "$TMP/cust.tsv" >>"$F/log.tsv" || return
	{ echo '# title'; cv-segment -q -o /dev/stdout "$TMP/cust.tsv" &&
	    echo '# end'; } >>"$F/log.tsv" || return
	test -L /dev/stdout || echo "/dev/stdout is no longer a link"
	cut -f 1-3 "$F/log.tsv"
	rm "$F/log.tsv"
}
check output-fd-append 0 fd_append
fd_stderr() {
	echo "log of the night before" >"$F/night.log"
	cv-ingest --max-reject-rate 100% --rejects "$F/err" \
	    $T/bad-dates.csv >/dev/null 2>>"$F/night.log" || return
	cut -f 1-3 "$F/night.log"
	rm "$F/night.log"
}
check output-fd-stderr 0 scrub fd_stderr
check output-fd-read-only 73 scrub cv-segment -q -o "$F/in" "$TMP/cust.tsv"
check output-fd-not-open 73 scrub cv-segment -q -o "$F/seven" "$TMP/cust.tsv"
check output-fd-files 0 scrub files "$F"
# Two outputs of one run that would end in one file, one renamed over
# the other or both mixed in one stdout, are a usage error before any
# work: -o and --rejects, -o and --params (a name written two ways, a
# link, stdout twice, /dev/stdout), and -o in the --split folder (by its
# name or by where a link leads, whether the folder is there yet or
# not).  Two names of /dev/null are no file.
S=$TMP/s
mkdir "$S"
ln -s "$S" "$S/self"
check output-same-rejects 64 scrub cv-ingest -q -o "$S/x.tsv" \
    --rejects "$S/self/x.tsv" $T/bad-dates.csv
check output-same-rejects-stdout 64 cv-ingest -q --rejects - \
    $T/bad-dates.csv
check output-same-rejects-devstdout 64 cv-ingest -q -o /dev/stdout \
    --rejects - $T/bad-dates.csv
check output-same-rejects-null 0 cv-ingest -q -o /dev/null \
    --rejects /dev/null --max-reject-rate 100% $T/bad-dates.csv
check output-same-params 64 scrub cv-score -q $A -o "$S/x.tsv" \
    --params "$S/../s/x.tsv" "$TMP/txn.tsv"
check output-same-params-stdout 64 cv-score -q $A --params - "$TMP/txn.tsv"
check output-same-split 64 scrub cv-segment -q --split "$S/seg" \
    -o "$S/seg/Lost.tsv" "$TMP/big.tsv"
mkdir "$S/seg"
check output-same-split-link 64 scrub cv-segment -q --split "$S/seg/" \
    -o "$S/self/seg/all.tsv" "$TMP/big.tsv"
check output-same-files 0 scrub files "$S"

# A file replaced with -o keeps its mode, and its owner and group where
# the user may give them (only root may give a file away).  A new file
# gets 0666 less the umask.
M=$TMP/m
mkdir "$M"
modes() {
	for f in "$M"/*; do
		echo "${f##*/} $(stat -L -c %a "$f")"
	done
}
echo old >"$M/private.tsv"
chmod 600 "$M/private.tsv"
echo old >"$M/shared.tsv"
chmod 640 "$M/shared.tsv"
ln -s shared.tsv "$M/link.tsv"
check output-mode-new 0 sh -c "umask 027 && cv-segment -q -o $M/new.tsv \
    $TMP/cust.tsv && umask 022 && cv-segment -q -o $M/new.gz $TMP/cust.tsv"
check output-mode-private 0 cv-segment -q -o "$M/private.tsv" "$TMP/cust.tsv"
check output-mode-link 0 cv-segment -q -o "$M/link.tsv" "$TMP/cust.tsv"
check output-mode-modes 0 modes
owner() {
	_o=$(stat -c %u:%g "$M/given.tsv")
	cv-segment -q -o "$M/given.tsv" "$TMP/cust.tsv" || return
	if [ "$(stat -c %u:%g "$M/given.tsv")" = "$_o" ]; then
		echo "owner and group kept, mode $(stat -c %a "$M/given.tsv")"
	else
		echo "owner and group $(stat -c %u:%g "$M/given.tsv"), not $_o"
	fi
}
echo old >"$M/given.tsv"
chmod 604 "$M/given.tsv"
if [ "$(id -u)" = 0 ]; then
	chown 65534:65534 "$M/given.tsv"
fi
check output-owner 0 owner

# A run killed by SIGTERM or SIGHUP removes its temporary file and still
# dies of the signal (SIGINT too, but a background job ignores it).  The
# input comes from a FIFO kept open, so the run is still reading when it
# is killed.  The signal's action is made the default first: under nohup
# SIGHUP comes ignored, and a command keeps an ignored signal ignored.  A
# watchdog kills a run still alive 30 s after the signal, so the test
# fails instead of waiting for ever.
killed() {
	rm -rf "$TMP/k" "$TMP/k.fifo"
	mkdir "$TMP/k"
	mkfifo "$TMP/k.fifo"
	env --default-signal="$1" cv-segment -q -o "$TMP/k/out.tsv" \
	    <"$TMP/k.fifo" &
	_pid=$!
	exec 3>"$TMP/k.fifo"
	# More than the first block read, so that the output is open.
	cat "$TMP/big.tsv" >&3
	for _i in 1 2 3; do
		tail -n +2 "$TMP/big.tsv"
	done >&3
	_i=0
	while [ -z "$(ls -A "$TMP/k")" ] && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	echo "while running: $(ls -A "$TMP/k" |
	    sed 's/\.out\.tsv\......./.out.tsv.XXXXXX/')"
	kill -s "$1" $_pid
	( trap 'kill $! 2>/dev/null; exit 0' TERM
	  sleep 30 & wait $!; kill -s KILL $_pid ) >/dev/null 2>&1 3>&- &
	_w=$!
	_s=0
	wait $_pid 2>/dev/null || _s=$?
	kill $_w 2>/dev/null
	exec 3>&-
	echo "exit status $_s"
	_left=$(ls -A "$TMP/k")
	echo "left behind: ${_left:-nothing}"
}
check output-killed-term 0 killed TERM
check output-killed-hup 0 killed HUP
# So do the other signals that end a run: SIGQUIT (no core file here),
# SIGUSR1 and SIGALRM (a batch system's, a timeout's) and SIGXCPU
# (ulimit -t).
ulimit -c 0
check output-killed-quit 0 killed QUIT
check output-killed-usr1 0 killed USR1
check output-killed-alrm 0 killed ALRM
check output-killed-xcpu 0 killed XCPU
# A file size limit (ulimit -f) is a write error, exit status 74: no
# temporary file is left behind.
check output-file-size-limit 74 scrub sh -c "mkdir $TMP/fs && ulimit -f 100 &&
    cv-segment -q -o $TMP/fs/out.tsv $TMP/big.tsv; s=\$?; ls -A $TMP/fs;
    exit \$s"
# So does one killed by SIGPIPE, its stdout read by a command that stopped
# reading.
cv-synth -q --single "$TMP/big.csv" --lines 40000
piped() {
	mkdir "$TMP/p"
	env --default-signal=PIPE cv-ingest -q --rejects "$TMP/p/rejects.tsv" \
	    "$TMP/big.csv" | head -c 6
	echo
	_left=$(ls -A "$TMP/p")
	echo "left behind: ${_left:-nothing}"
}
check output-killed-pipe 0 piped

# Standard input is read from where it stands: a line read before the
# command is not read again, whatever the size of the file.
{ echo junk; cat "$TMP/big.tsv"; } >"$TMP/junk-big.tsv"
{ echo junk; cat "$TMP/cust.tsv"; } >"$TMP/junk-small.tsv"
cv-segment -q $A "$TMP/cust.tsv" >"$TMP/small.seg"
after_junk() {
	{ read -r _junk; cv-segment -q $A; } <"$1" >"$TMP/pos.out" || return
	cmp "$TMP/pos.out" "$2" && echo "read from the second line"
}
check output-stdin-big 0 after_junk "$TMP/junk-big.tsv" "$TMP/big.seg"
check output-stdin-small 0 after_junk "$TMP/junk-small.tsv" "$TMP/small.seg"
# From the start, a big file is read whole.
check output-stdin-big-whole 0 sh -c "cv-segment -q $A <$TMP/big.tsv |
    cmp - $TMP/big.seg && echo same"

# A name that ends in / names a folder: refused before any work, and
# nothing is left behind.
D=$TMP/d
mkdir "$D"
echo x >"$D/file.tsv"
check output-slash-new 73 scrub cv-segment -q -o "$D/newdir/" "$TMP/cust.tsv"
check output-slash-file 73 scrub cv-segment -q -o "$D/file.tsv/" \
    "$TMP/cust.tsv"
check output-slash-link 73 scrub sh -c "ln -s newdir/ $D/dirlink &&
    cv-segment -q -o $D/dirlink $TMP/cust.tsv"
check output-slash-dir 73 scrub cv-segment -q -o "$D/" "$TMP/cust.tsv"
check output-slash-files 0 files "$D"

# Outputs are opened before the input is read: reading a pipe whose
# writer says nothing yet (an upstream cv-score still at work, or a
# terminal), a bad -o, --split or --params is told at once, and a failed
# --params leaves standard output empty.  A watchdog ends a run still
# waiting after 30 s, so the test fails instead of hanging.
quiet_pipe() {
	rm -f "$TMP/q.fifo"
	mkfifo "$TMP/q.fifo"
	"$@" <"$TMP/q.fifo" >"$TMP/q.out" 2>"$TMP/q.err" &
	_pid=$!
	exec 3>"$TMP/q.fifo"
	( trap 'kill $! 2>/dev/null; exit 0' TERM
	  sleep 30 & wait $!; kill -s KILL $_pid ) >/dev/null 2>&1 3>&- &
	_w=$!
	_s=0
	wait $_pid 2>/dev/null || _s=$?
	kill $_w 2>/dev/null
	exec 3>&-
	sed "s|$TMP|TMP|g" "$TMP/q.err" >&2
	echo "stdout: $(wc -c <"$TMP/q.out") bytes"
	return $_s
}
check output-early-slash 73 quiet_pipe cv-segment -q -o "$D/newdir/"
check output-early-nodir 73 quiet_pipe cv-segment -q -o "$D/nodir/x.tsv"
check output-early-split 73 quiet_pipe cv-segment -q --split /dev/null/x
check output-early-split-file 73 quiet_pipe cv-segment -q \
    --split "$D/file.tsv"
check output-early-params 73 quiet_pipe cv-score -q $A \
    --params "$D/nodir/p.tsv"
check output-early-params-file 73 scrub sh -c "cv-score -q $A \
    --params $D/nodir/p.tsv $TMP/txn.tsv >$TMP/pf.out; s=\$?;
    wc -c <$TMP/pf.out; exit \$s"
# The parameters go into place only after the customers: when the last
# write of -o fails (a full disk), --params is not put beside the old
# customers file.
mkdir "$D/pa"
check output-params-after-main 74 scrub sh -c "CV_TEST_ENOSPC_AFTER=300 \
    cv-score -q $A -o $D/pa/cust.tsv --params $D/pa/p.tsv $TMP/txn.tsv;
    s=\$?; ls -A $D/pa; exit \$s"
# Every input is found there to read before any work: a name mistyped
# in a list is told before standard input (a quiet pipe here) is waited
# for, and before a first file's lines go out; each is named.
check output-inputs-score 66 quiet_pipe cv-score -q $A - "$D/missing.tsv" \
    "$D"
check output-inputs-segment 66 quiet_pipe cv-segment -q "$TMP/cust.tsv" - \
    "$D/missing.tsv"
# A folder --split made is removed again when the run fails.
check output-split-made-fail 65 scrub sh -c "cv-segment -q --split \
    $D/made $TMP/bigbad.tsv; s=\$?; ls -d $D/made; exit \$s"

# Names of 248 to 255 bytes take a shorter temporary name; a name longer
# than a folder takes is refused before any work.
N=$TMP/n
mkdir "$N"
name() {
	awk -v n="$1" -v c="$2" 'BEGIN { while (n-- > 0) printf "%s", c }'
}
long() {
	cv-segment -q -o "$N/$1" "$TMP/cust.tsv" || return
	ls -A "$N" | awk '{ print length($0) " bytes" }'
	rm -f "$N/$1"
}
check output-name-248 0 long "$(name 244 a).tsv"
check output-name-255 0 long "$(name 251 a).tsv"
check output-name-255-utf8 0 long "$(name 85 客)"
toolong() {
	_s=0
	cv-segment -q -o "$N/$1" "$TMP/cust.tsv" 2>"$TMP/long.err" || _s=$?
	sed 's/: .*: /: NAME: /' "$TMP/long.err" >&2
	ls -A "$N"
	return $_s
}
check output-name-256 73 toolong "$(name 252 a).tsv"

# A link to a file whose full name is longer than realpath() gives (from
# a folder 22 levels of 200 bytes deep) is refused, not replaced.
deep() (
	_d=$(name 200 d)
	mkdir -p "$TMP/deep" && cd "$TMP/deep" || return
	for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22
	do
		mkdir "$_d" && cd -P "$_d" || return
	done
	echo old >file.tsv && ln -s file.tsv link.tsv || return
	_s=0
	cv-segment -q -o link.tsv "$TMP/cust.tsv" || _s=$?
	echo "link.tsv -> $(readlink link.tsv), file.tsv: $(cat file.tsv)"
	return $_s
)
check output-link-unnamed 73 deep

# A cv stream whose last line has no line end was cut short (a copy
# interrupted): refused, from a file, from stdin and gzip'd, header and
# all.  cv-ingest still takes a POS export without the last line end.
# big.tsv ends in a clv with two places: cut, it still has every field.
head -c -3 "$TMP/big.tsv" >"$TMP/cut.tsv"
C=$TMP/cut.out
check output-cut-segment 65 scrub cv-segment -q -o "$C" "$TMP/cut.tsv"
STDIN=$TMP/cut.tsv
check output-cut-stdin 65 cv-segment -q -o "$C"
gzip -c "$TMP/cut.tsv" >"$TMP/cut.tsv.gz"
STDIN=$TMP/cut.tsv.gz
check output-cut-gz 65 cv-segment -q -o "$C"
head -c -1 "$TMP/txn.tsv" >"$TMP/cut-txn.tsv"
check output-cut-score 65 scrub cv-score -q $A "$TMP/cut-txn.tsv"
printf 'customer_id\tname' >"$TMP/cut-header.tsv"
check output-cut-header 65 scrub cv-segment -q "$TMP/cut-header.tsv"
check output-cut-second 65 scrub cv-segment -q -o "$C" "$TMP/cust.tsv" \
    "$TMP/cut.tsv"
cv-ingest -q --kind members $T/members.csv | head -c -1 >"$TMP/cut-mem.tsv"
check output-cut-members 65 scrub cv-score -q $A --members "$TMP/cut-mem.tsv" \
    "$TMP/txn.tsv"
head -c -1 $T/pos-sh01-20261121.csv >"$TMP/pos-nolf.csv"
check output-cut-ingest 0 sh -c "cv-ingest -q $TMP/pos-nolf.csv | cmp - \
    $TMP/txn.tsv && echo same"
# The history store reads its own files with the same line reader.
check output-cut-db 0 sh -c "cv-ingest -q --db $TMP/db $TMP/pos-nolf.csv &&
    cv-score -q $A --db $TMP/db 2>/dev/null | cmp - $TMP/cust.tsv && echo same"

# A standard descriptor closed at the start is held on /dev/null, so no
# file the command opens takes its place: messages do not go into the
# output, the stream meant for stdout does not go into --params (the
# write fails, 74), and a temporary file is not read as standard input
# (the read fails, 74).
closed_err() {
	cv-score $A -o "$TMP/c-err.tsv" <"$TMP/txn.tsv" 2>&-
	_s=$?
	cmp "$TMP/c-err.tsv" "$TMP/cust.tsv" && echo "output whole"
	return $_s
}
check output-closed-stderr 0 closed_err
closed_out() {
	cv-score -q $A --params "$TMP/c-par.tsv" <"$TMP/txn.tsv" >&- 2>/dev/null
	_s=$?
	# Nor does --params go into place without the customers.
	ls "$TMP" | grep -c c-par
	return $_s
}
check output-closed-stdout 74 closed_out
mkdir "$TMP/c"
check output-closed-stdin 74 sh -c "cv-score -q $A -o $TMP/c/x.tsv <&-;
    _s=\$?; ls -A $TMP/c; exit \$_s"

finish
