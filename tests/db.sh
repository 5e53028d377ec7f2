#!/bin/sh
# Tests of the history store (cv-ingest --db): nights that add up, re-sent
# and overlapping dumps, --check, a full disk, runs killed at every step
# and at many moments, and two runs at once.
. "$(dirname "$0")/lib.sh"

T=testdata
D=$TMP/cvdb

# The content of a store: every line of every live file, sorted.
digest() {
	if [ ! -f "$1/CURRENT" ]; then
		echo empty
		return
	fi
	awk -F'\t' 'NR > 1 { print $3 }' "$1/$(cat "$1/CURRENT")" |
	while read -r f; do gzip -dc "$1/$f" | tail -n +2; done |
	    sort | cksum
}

# A night of sales from a POS with no line numbers: $2 lines of day $1
# (YYYY-MM-DD) spread over 40 stores.
night() {
	awk -v day="$1" -v n="$2" 'BEGIN {
		print "单号,销售时间,会员卡号,门店,导购,款号,数量,实收金额"
		srand(7)
		for (i = 0; i < n; i++) {
			s = i % 40
			printf "R%s-%02d-%06d,%s %02d:%02d:00,1%010d,S%02d,S%02d-%d,SKU%04d,%d,%d.%02d\n",
			    day, s, int(i / 3), day, 10 + i % 11, i % 60,
			    int(rand() * 900000), s, s, i % 5, i % 977, 1 + i % 3,
			    50 + i % 900, i % 100
		}
	}'
}

check db-first-night 0 scrub cv-ingest --db $D $T/pos-sh01-20261121.csv \
    $T/pos-hz02-20261121-gbk.csv $T/pos-online-20261121.csv
one=$(digest $D)
check db-same-night-again 0 scrub cv-ingest --db $D $T/pos-sh01-20261121.csv \
    $T/pos-hz02-20261121-gbk.csv $T/pos-online-20261121.csv
assert db-same-night-same-history test "$one" = "$(digest $D)"
check db-resent-night 0 scrub cv-ingest --db $D $T/pos-sh01-20261121-resent.csv
check db-resent-content 0 sh -c "gzip -dc $D/txn/2026/2026-11-21.000002.tsv.gz |
    grep -E 'SH01-20261121-000[79]'"
check db-members 0 scrub cv-ingest --db $D --kind members $T/members.csv
check db-members-update 65 scrub cv-ingest --db $D --kind members $T/members-bad.csv
check db-members-update-lenient 0 scrub cv-ingest --db $D --kind members \
    --max-reject-rate 100 -q $T/members-bad.csv
check db-contacts 0 scrub cv-ingest --db $D --kind contacts $T/contacts.csv
check db-staff 0 scrub cv-ingest --db $D --kind staff $T/staff.csv
check db-check 0 scrub cv-ingest --db $D --check
check db-layout 0 sh -c "cd $D && find . -type f | sort && cat CURRENT"
two=$(digest $D)

# A failed night adds nothing.
check db-bad-night 65 scrub cv-ingest --db $D $T/bad-dates.csv
assert db-bad-night-nothing-added test "$two" = "$(digest $D)"

# The store is read with zcat and awk.
check db-zcat 0 sh -c "gzip -dc $D/members.*.tsv.gz | awk -F'\t' '\$10 != \"retail\" { print \$1, \$10 }'"

# --check finds damage: a truncated file, a changed file, a missing file.
cp -R $D $TMP/damaged
f=$(ls $TMP/damaged/txn/2026/*.gz)
head -c 200 "$f" >"$TMP/part" && mv "$TMP/part" "$f"
check db-check-truncated 65 scrub cv-ingest --db $TMP/damaged --check
rm -rf $TMP/damaged
cp -R $D $TMP/damaged
f=$(ls $TMP/damaged/staff.*.gz)
gzip -dc "$f" | sed 's/陈晨/陈辰/' | gzip -c >"$TMP/part" && mv "$TMP/part" "$f"
check db-check-changed 65 scrub cv-ingest --db $TMP/damaged --check
rm -f $TMP/damaged/contacts/*.gz
check db-check-missing 65 scrub cv-ingest --db $TMP/damaged --check
rm -rf $TMP/damaged
# A file damaged on every line: the first ten problems, then a count.
cp -R $D $TMP/damaged
f=$(ls $TMP/damaged/txn/2026/*.gz)
gzip -dc "$f" | awk 'NR > 1 { sub(/\t[^\t]*$/, "") } { print }' | gzip -c \
    >"$TMP/part" && mv "$TMP/part" "$f"
check db-check-many 65 scrub cv-ingest --db $TMP/damaged --check
rm -rf $TMP/damaged

# A night that touches a damaged file stops before writing anything: a
# line edited by hand, a line removed, a blank line added.
damaged_night() {
	rm -rf $TMP/damaged && cp -R $D $TMP/damaged
	f=$(ls $TMP/damaged/txn/2026/*.gz)
	gzip -dc "$f" | $1 | gzip -c >"$TMP/part" && mv "$TMP/part" "$f"
	before=$(digest $TMP/damaged)
	_st=0
	cv-ingest -q --db $TMP/damaged $T/pos-sh01-20261121-resent.csv \
	    >$TMP/night.out 2>&1 || _st=$?
	sed "s|$TMP|TMP|g; s|[0-9]*\.tsv\.gz|N.tsv.gz|" $TMP/night.out
	[ "$(digest $TMP/damaged)" = "$before" ] && echo unchanged
	return $_st
}
check db-night-on-edited 65 damaged_night "sed s/SH01/SH0I/"
check db-night-on-short 65 damaged_night "sed 3d"
blank3() { awk 'NR == 3 { print "" } { print }'; }
check db-night-on-blank 65 damaged_night blank3
# --check names a line of the wrong shape once, not also as misdated.
check db-check-blank 65 scrub cv-ingest --db $TMP/damaged --check
# A reader of the store checks each file against the manifest too: a line
# removed (the gzip itself still sound), a file not gzip'd, another
# header.  cv-score fails naming the store as damaged.
damaged_read() {
	rm -rf $TMP/damaged && cp -R $D $TMP/damaged
	f=$(ls $TMP/damaged/txn/2026/*.gz)
	gzip -dc "$f" | $1 >"$TMP/part"
	[ "${2:-}" = plain ] || gzip -c "$TMP/part" >"$TMP/part.gz"
	[ "${2:-}" = plain ] && mv "$TMP/part" "$f" || mv "$TMP/part.gz" "$f"
	_st=0
	cv-score -q --db $TMP/damaged --as-of 2026-11-30 >/dev/null \
	    2>$TMP/read.err || _st=$?
	sed "s|$TMP|TMP|g; s|[0-9]*\.tsv\.gz|N.tsv.gz|" $TMP/read.err
	return $_st
}
check db-read-short 65 damaged_read "sed 3d"
check db-read-long 65 damaged_read "sed 3p"
check db-read-not-gzip 65 damaged_read cat plain
check db-read-header 65 damaged_read "sed 1s/amount/amt/"
check db-read-sound 0 damaged_read cat
# Only the files read are checked: a damaged day before --since is not.
f=$(ls $TMP/damaged/txn/2026/*.gz)
gzip -dc "$f" | sed 3d | gzip -c >"$TMP/part.gz" && mv "$TMP/part.gz" "$f"
check db-read-since 0 sh -c "cv-score -q --db $TMP/damaged \
    --as-of 2026-11-30 --since 2026-11-22 >/dev/null"
# The store's member profiles are checked as they are read; profiles
# given with --members are a stream like any other.
rm -rf $TMP/damaged && cp -R $D $TMP/damaged
f=$(ls $TMP/damaged/members.*.gz)
gzip -dc "$f" >$TMP/members.tsv
sed 3d $TMP/members.tsv | gzip -c >"$TMP/part.gz" && mv "$TMP/part.gz" "$f"
check db-read-members-short 65 scrub cv-score -q --db $TMP/damaged \
    --as-of 2026-11-30
check db-read-members-given 0 sh -c "cv-score -q \
    --db $TMP/damaged --as-of 2026-11-30 --members $TMP/members.tsv >/dev/null"
rm -rf $TMP/damaged
check db-check-no-store 66 scrub cv-ingest --db $TMP/nowhere --check
check db-usage-check 64 cv-ingest --check
# A new store written after a bare --db with a space, the night on stdin:
# the name is taken for a file; the run fails saying how to name a new
# store, and leaves no store in the current folder.
new_store_space() {
	rm -rf $TMP/cwd
	mkdir $TMP/cwd
	f=$PWD/$T/pos-us-mdy.csv
	(cd $TMP/cwd && unset CV_DB &&
	    cv-ingest --db newstore < "$f"
	    echo "exit $?"; ls -A)
}
check db-new-store-space 0 new_store_space
check db-missing-night 66 scrub cv-ingest --db $TMP/cwd/s $T/pos-us-mdy.csv $TMP/nonight.csv
check db-missing-night-store 0 sh -c "[ ! -e $TMP/cwd/s ] && echo no store made"
check db-night-folder 66 scrub cv-ingest --db="$TMP/cwd/s2" "$TMP/cwd"
check db-night-folder-store 0 sh -c "[ ! -e $TMP/cwd/s2 ] && echo no store made"
# A night read from a named pipe: looking for the files before the store
# is opened does not open the pipe (that would wait for its writer, and
# closing it would end the writer's stream).
fifo_night() {
	rm -f "$TMP/night.fifo"
	mkfifo "$TMP/night.fifo"
	(sleep 1; timeout 20 sh -c "cat $T/pos-us-mdy.csv >'$TMP/night.fifo'") &
	timeout 20 cv-ingest -q --db="$TMP/fifostore" "$TMP/night.fifo"
	s=$?
	wait
	echo "exit $s"
	cv-ingest -q --db="$TMP/fifostore" --check | tail -n +2 | wc -l
}
check db-night-fifo 0 fifo_night
check db-usage-o 64 scrub cv-ingest --db $D -o $TMP/x.tsv $T/pos-us-mdy.csv
check db-usage-first 64 scrub cv-ingest --db $D --dedup first $T/pos-us-mdy.csv

# A full disk at any point of a run: exit 74 and the store unchanged.
# Every 150 bytes of budget until the run has room to finish.
full_disk() {
	rm -rf $TMP/w
	cp -R $D $TMP/w
	cv-ingest -q --db $TMP/w $T/pos-sh01-20261121-resent.csv \
	    $T/pos-bj03-20261121-excel.csv || return 1
	want=$(digest $TMP/w)
	b=0
	fails=0
	while :; do
		rm -rf $TMP/w
		cp -R $D $TMP/w
		s=0
		CV_TEST_ENOSPC_AFTER=$b cv-ingest -q --db $TMP/w \
		    $T/pos-sh01-20261121-resent.csv $T/pos-bj03-20261121-excel.csv \
		    2>/dev/null || s=$?
		cv-ingest -q --db $TMP/w --check >/dev/null || return 1
		if [ $s = 0 ]; then
			[ "$(digest $TMP/w)" = "$want" ] || return 1
			break
		fi
		[ $s = 74 ] || { echo "budget $b: exit $s"; return 1; }
		[ "$(digest $TMP/w)" = "$two" ] ||
		    { echo "budget $b: changed"; return 1; }
		fails=$((fails + 1))
		b=$((b + 150))
	done
	[ $fails -ge 20 ] || { echo "only $fails failing budgets"; return 1; }
}
assert db-full-disk full_disk
check db-full-disk-message 74 scrub env CV_TEST_ENOSPC_AFTER=1500 cv-ingest --db $D \
    $T/pos-bj03-20261121-excel.csv

# Killed at each step of the commit: the old store or the new one, never
# anything else; the next run cleans up and gets to the new one.
night 2026-11-20 30000 >$TMP/n20.csv
night 2026-11-21 30000 >$TMP/n21.csv
rm -rf $TMP/old $TMP/new
cv-ingest -q --db $TMP/old $TMP/n20.csv
cp -R $TMP/old $TMP/new
cv-ingest -q --db $TMP/new $TMP/n21.csv $T/pos-sh01-20261121.csv
old=$(digest $TMP/old)
new=$(digest $TMP/new)
crash_steps() {
	for p in staged part-written manifest-written committed; do
		rm -rf $TMP/w
		cp -R $TMP/old $TMP/w
		CV_TEST_CRASH=$p cv-ingest -q --db $TMP/w $TMP/n21.csv \
		    $T/pos-sh01-20261121.csv 2>/dev/null
		if ! cv-ingest -q --db $TMP/w --check >/dev/null 2>$TMP/check.err
		then
			cat $TMP/check.err
			echo "$p: check failed"
			return 1
		fi
		d=$(digest $TMP/w)
		case $p in
		committed) [ "$d" = "$new" ] ;;
		*) [ "$d" = "$old" ] ;;
		esac || { echo "$p: wrong content"; return 1; }
		cv-ingest -q --db $TMP/w $TMP/n21.csv $T/pos-sh01-20261121.csv ||
		    return 1
		[ "$(digest $TMP/w)" = "$new" ] || { echo "$p: rerun"; return 1; }
		[ -z "$(find $TMP/w -name '.*' ! -name . )" ] ||
		    { echo "$p: leftovers"; return 1; }
	done
}
assert db-crash-steps crash_steps

# SIGKILL at 25 moments spread over a large ingest.
night 2026-11-21 200000 >$TMP/big.csv
kill_loop() {
	rm -rf $TMP/w
	cp -R $TMP/old $TMP/w
	start=$(date +%s%N)
	cv-ingest -q --db $TMP/w $TMP/big.csv || return 1
	end=$(date +%s%N)
	want=$(digest $TMP/w)
	span=$(( (end - start) / 1000 ))	# microseconds
	i=1
	while [ $i -le 25 ]; do
		rm -rf $TMP/w
		cp -R $TMP/old $TMP/w
		cv-ingest -q --db $TMP/w $TMP/big.csv 2>/dev/null &
		pid=$!
		us=$(( span * i / 26 ))
		sleep "$(printf '%d.%06d' $((us / 1000000)) $((us % 1000000)))"
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		if ! cv-ingest -q --db $TMP/w --check >/dev/null 2>$TMP/check.err
		then
			cat $TMP/check.err
			echo "kill $i: check failed"
			return 1
		fi
		d=$(digest $TMP/w)
		[ "$d" = "$old" ] || [ "$d" = "$want" ] ||
		    { echo "kill $i: neither old nor new"; return 1; }
		i=$((i + 1))
	done
}
assert db-kill-loop kill_loop

# A folder that holds other files is not made a store, and the store's
# clean-up never touches what is not its own; a store that lost CURRENT is
# refused with what to do, not swept empty.
mkdir -p $TMP/other && echo keep > $TMP/other/notes.txt
check db-not-a-store 73 scrub cv-ingest -q --db $TMP/other $T/pos-sh01-20261121.csv
check db-not-a-store-read 66 scrub cv-score -q --db $TMP/other
# ... and is left as it was found: no LOCK file made in it.
check db-not-a-store-untouched 0 ls -A $TMP/other
# A reader on an empty folder: no store here yet, and nothing made in it.
mkdir -p $TMP/emptydir
check db-empty-folder-read 66 scrub sh -c "cv-score -q --db $TMP/emptydir; \
    s=\$?; ls -A $TMP/emptydir; exit \$s"
rm -rf $TMP/own && cv-ingest -q --db $TMP/own $T/pos-sh01-20261121.csv &&
    cv-ingest -q -o $TMP/own/txn-2026-11-21.tsv.gz $T/pos-sh01-20261121.csv &&
    echo keep > $TMP/own/.env.local && echo keep > $TMP/own/members.tsv.gz
check db-keeps-other-files 0 sh -c "cv-ingest -q --db $TMP/own \
    $T/pos-online-20261121.csv && cd $TMP/own && ls -A | sort"
rm -f $TMP/own/CURRENT
check db-current-missing 65 scrub cv-ingest -q --db $TMP/own $T/pos-online-20261121.csv
check db-current-missing-check 65 scrub cv-ingest -q --db $TMP/own --check
assert db-current-missing-kept test -f $TMP/own/MANIFEST-000002
echo MANIFEST-000002 > $TMP/own/CURRENT
check db-current-restored 0 scrub cv-ingest -q --db $TMP/own --check

# A CURRENT edited by hand to another spelling, a manifest listing a day
# twice, an empty manifest, an empty folder given to a reader.
rm -rf $TMP/m && cv-ingest -q --db $TMP/m $T/pos-sh01-20261121.csv
mv $TMP/m/MANIFEST-000001 $TMP/m/MANIFEST-1 && echo MANIFEST-1 >$TMP/m/CURRENT
check db-current-bad-name 65 scrub cv-ingest -q --db $TMP/m --check
mv $TMP/m/MANIFEST-1 $TMP/m/MANIFEST-000001 && echo MANIFEST-000001 >$TMP/m/CURRENT
sed -i 2p $TMP/m/MANIFEST-000001
check db-manifest-part-twice 65 scrub cv-score -q --db $TMP/m
printf 'kind\tpart\tfile\trows\tcrc32\n' >$TMP/m/MANIFEST-000001
rm $TMP/m/txn/2026/*.gz
check db-manifest-empty 0 scrub cv-ingest -q --db $TMP/m --check
# CURRENT written by hand without its LF, or with CRLF, names its manifest.
rm -rf $TMP/m && cv-ingest -q --db $TMP/m $T/pos-sh01-20261121.csv
printf MANIFEST-000001 >$TMP/m/CURRENT
check db-current-no-lf 0 scrub cv-ingest -q --db $TMP/m --check
printf 'MANIFEST-000001\r\n' >$TMP/m/CURRENT
check db-current-crlf 0 scrub cv-ingest -q --db $TMP/m --check
mkdir -p $TMP/e
check db-read-empty-folder 66 scrub cv-score -q --db $TMP/e

# The folder of CURRENT cannot be synced after the rename: the night is in
# (exit 74, but the store is whole and holds it).
rm -rf $TMP/ds && cv-ingest -q --db $TMP/ds $T/pos-sh01-20261121.csv
check db-current-sync-fails 74 scrub env CV_TEST_EIO_DIRSYNC=CURRENT \
    cv-ingest -q --db $TMP/ds $T/pos-online-20261121.csv
check db-current-sync-fails-check 0 scrub cv-ingest -q --db $TMP/ds --check
# Without -q: the night is in, so no "nothing added"; a manifest that
# cannot be synced before the switch adds nothing, and says so.
rm -rf $TMP/ds && cv-ingest -q --db $TMP/ds $T/pos-sh01-20261121.csv
check db-current-sync-fails-loud 74 scrub env CV_TEST_EIO_DIRSYNC=CURRENT \
    cv-ingest --db $TMP/ds $T/pos-online-20261121.csv
rm -rf $TMP/ds && cv-ingest -q --db $TMP/ds $T/pos-sh01-20261121.csv
check db-manifest-sync-fails 74 scrub env \
    CV_TEST_EIO_DIRSYNC=MANIFEST-000002 \
    cv-ingest --db $TMP/ds $T/pos-online-20261121.csv
# The staging folder cannot be made (a file holds its name): 73.
rm -rf $TMP/ds && cv-ingest -q --db $TMP/ds $T/pos-sh01-20261121.csv
check db-staging-blocked 73 scrub sh -c 'touch "$1/.staging-$$" &&
    exec cv-ingest --db "$1" "$2"' sh $TMP/ds $T/pos-online-20261121.csv
rm -rf $TMP/ds

# A copy of a store made of symbolic links (cp -rs) and written to: the
# new CURRENT, manifest and day file go in the copy, replacing its links;
# the store the links point into is left as it was and stays readable.
rm -rf $TMP/prod $TMP/sandbox &&
    cv-ingest -q --db $TMP/prod $T/pos-sh01-20261121.csv
prod=$(digest $TMP/prod)
cp -rs $TMP/prod $TMP/sandbox
symlink_copy() {
	cv-ingest -q --db $TMP/sandbox $T/pos-online-20261121.csv || return 1
	cat $TMP/prod/CURRENT
	cv-ingest -q --db $TMP/prod --check || return 1
	cv-ingest -q --db $TMP/sandbox --check || return 1
	(cd $TMP/sandbox && find . -type l | sort)
}
check db-symlink-copy 0 scrub symlink_copy
assert db-symlink-copy-prod test "$prod" = "$(digest $TMP/prod)"
rm -rf $TMP/prod $TMP/sandbox

# Two runs at once: the second waits for the first.
two_runs() {
	rm -rf $TMP/w
	cp -R $TMP/old $TMP/w
	flock $TMP/w/LOCK sleep 1 &
	sleep 0.2
	cv-ingest --db $TMP/w $TMP/n21.csv $T/pos-sh01-20261121.csv \
	    2>$TMP/two.err || return 1
	wait
	grep -q 'another run holds the store (.*); waiting' $TMP/two.err &&
	    [ "$(digest $TMP/w)" = "$new" ]
}
assert db-two-runs two_runs

# A reader lets go of the store once it has read it: one whose output is
# not taken (a pager left open) does not hold up the night.  3000 members
# make more output than a pipe holds.
reader_lets_go() {
	rm -rf $TMP/rl && cp -R $TMP/old $TMP/rl
	awk 'BEGIN {
		print "会员卡号,姓名,手机,性别,生日,入会日期,开卡门店,专属导购,会员等级,客户类型,拒绝联系"
		for (i = 0; i < 3000; i++)
			printf "M%06d,N%d,139%08d,女,1980-01-01,2020-01-01,S01,S01-1,金卡,零售,否\n", i, i, i
	}' >$TMP/rl-members.csv
	cv-ingest -q --db $TMP/rl --kind members $TMP/rl-members.csv || return 1
	cv-score -q --db $TMP/rl --as-of 2026-11-21 --no-model | sleep 20 &
	sleeper=$!
	sleep 1
	_st=0
	timeout 10 cv-ingest -q --db $TMP/rl $T/pos-sh01-20261121.csv || _st=$?
	kill $sleeper
	wait
	echo "night: exit $_st"
}
check db-reader-lets-go 0 reader_lets_go
# Each way a store is found damaged or with leftovers, and its message.
rm -rf $TMP/s1 && cv-ingest -q --db $TMP/s1 $T/pos-sh01-20261121.csv
dstore() {
	rm -rf $TMP/sd && cp -R $TMP/s1 $TMP/sd
	m=$TMP/sd/$(cat $TMP/sd/CURRENT)
	f=$(ls $TMP/sd/txn/2026/*.gz)
}
dstore; echo garbage >$TMP/sd/CURRENT
check db-current-garbage 65 scrub cv-score -q --db $TMP/sd
dstore; printf '1s/.*/kind\tpart/\n' >$TMP/sed1 && sed -i -f $TMP/sed1 $m
check db-manifest-header 65 scrub cv-score -q --db $TMP/sd
dstore; sed -i '2s/^[a-z]*/bogus/' $m
check db-manifest-entry 65 scrub cv-score -q --db $TMP/sd
dstore; sed -i '2s/^[a-z]*/members/' $m
check db-manifest-kind-swapped 65 scrub cv-score -q --db $TMP/sd
dstore; printf '2s/\t10\t/\t-10\t/\n' >$TMP/sed1 && sed -i -f $TMP/sed1 $m
check db-manifest-rows-negative 65 scrub cv-score -q --db $TMP/sd
dstore; sed -i '2s/[0-9a-f]*$/65a538zz/' $m
check db-manifest-crc-not-hex 65 scrub cv-score -q --db $TMP/sd
dstore; sed -i '2s/[0-9a-f]*$/65A538D1/' $m
check db-manifest-crc-upper 0 scrub cv-ingest -q --db $TMP/sd --check
# A file or manifest the store names that is missing: the store is
# damaged (65), and the message says where to look or how to restore
# CURRENT (to the newest manifest there, as after a write through links).
dstore; rm $f
check db-read-missing-file 65 scrub cv-score -q --db $TMP/sd
check db-night-missing-file 65 scrub cv-ingest -q --db $TMP/sd \
    $T/pos-sh01-20261121-resent.csv
check db-check-missing-file 65 scrub cv-ingest -q --db $TMP/sd --check
dstore; echo MANIFEST-000002 >$TMP/sd/CURRENT
check db-manifest-missing 65 scrub cv-score -q --db $TMP/sd
check db-manifest-missing-night 65 scrub cv-ingest -q --db $TMP/sd \
    $T/pos-sh01-20261121-resent.csv
dstore; rm $m
check db-manifest-missing-all 65 scrub cv-ingest -q --db $TMP/sd --check
# A manifest entry's file must be the name the store gives its part's
# file: one outside the store (an archive kept elsewhere) is neither read
# nor removed when the next night replaces the day; nor is another part's
# file, one of a later generation or a part the store does not write.
dstore; mkdir -p $TMP/archive && mv $f $TMP/archive/day.tsv.gz
printf '2s|\t[^\t]*[.]tsv[.]gz\t|\t../archive/day.tsv.gz\t|\n' >$TMP/sed1 &&
    sed -i -f $TMP/sed1 $m
check db-manifest-file-outside 65 scrub cv-ingest -q --db $TMP/sd \
    $T/pos-sh01-20261121-resent.csv
assert db-manifest-file-outside-kept test -f $TMP/archive/day.tsv.gz
check db-manifest-file-outside-read 65 scrub cv-score -q --db $TMP/sd
dstore; mv $f $TMP/sd/txn/2026/2026-11-22.000001.tsv.gz
sed -i '2s|2026-11-21[.]000001|2026-11-22.000001|' $m
check db-manifest-file-other-part 65 scrub cv-ingest -q --db $TMP/sd --check
dstore; mv $f $TMP/sd/txn/2026/2026-11-21.000002.tsv.gz
sed -i '2s|2026-11-21[.]000001|2026-11-21.000002|' $m
check db-manifest-file-later 65 scrub cv-ingest -q --db $TMP/sd --check
dstore; sed -i '2s|txn/2026/2026-11-21\t|txn/2026/../../x\t|' $m
check db-manifest-part-outside 65 scrub cv-ingest -q --db $TMP/sd --check
# A file of the store that is empty, or cut inside a line: damaged.
dstore; : | gzip -c >$f
check db-read-empty-file 65 scrub cv-score -q --db $TMP/sd
dstore; rm $TMP/sd/CURRENT $TMP/sd/MANIFEST-*
check db-manifest-all-missing 65 scrub cv-score -q --db $TMP/sd
# A manifest made by hand under another name is named as no manifest of
# the store's, not passed over in silence.
dstore; rm $TMP/sd/CURRENT $TMP/sd/MANIFEST-*; : >$TMP/sd/MANIFEST-1
check db-manifest-hand-made 65 scrub cv-score -q --db $TMP/sd
dstore; printf 'a\tb\n1\t2\n' | gzip -c >$f
check db-night-on-other-file 65 scrub cv-ingest -q --db $TMP/sd \
    $T/pos-sh01-20261121-resent.csv
check db-check-other-file 65 scrub cv-ingest -q --db $TMP/sd --check
dstore; : | gzip -c >$f
check db-night-on-empty-file 65 scrub cv-ingest -q --db $TMP/sd \
    $T/pos-sh01-20261121-resent.csv
dstore; gzip -dc $f | sed 3p | gzip -c >$TMP/part && mv $TMP/part $f
check db-check-twice 65 scrub cv-ingest -q --db $TMP/sd --check
# What a killed run leaves: --check names it, the next night removes it.
dstore; touch $TMP/sd/MANIFEST-000000 && mkdir $TMP/sd/.staging-123
cp $f $TMP/sd/txn/2026/2026-11-21.000000.tsv.gz
cp $f $TMP/sd/txn/2026/2026-11-22.000002.tsv.gz
check db-check-leftovers 0 scrub cv-ingest --db $TMP/sd --check
check db-night-leftovers 0 scrub cv-ingest --db $TMP/sd \
    $T/pos-sh01-20261121-resent.csv
assert db-leftovers-gone test ! -e $TMP/sd/MANIFEST-000000 -a \
    ! -e $TMP/sd/.staging-123 -a ! -e $TMP/sd/txn/2026/2026-11-21.000000.tsv.gz
# A leftover that cannot be removed stops the night before it commits:
# once committed, a file of its generation left there would be damage.
# (As root, the run is made as nobody, whom a read-only folder stops.)
# The folder is one the night does not write to.
unlink_fails() {
	rm -rf $TMP/uf && cp -R $TMP/s1 $TMP/uf
	mkdir $TMP/uf/contacts
	cp $TMP/uf/txn/2026/*.gz $TMP/uf/contacts/2026-11.000002.tsv.gz
	cp $T/pos-online-20261121.csv $TMP/uf-night.csv
	as=""
	if [ "$(id -u)" = 0 ]; then
		chown -R nobody $TMP/uf $TMP/uf-night.csv
		chmod o+x $TMP
		as="setpriv --reuid=nobody --regid=nogroup --clear-groups"
	fi
	chmod a-w $TMP/uf/contacts
	_st=0
	$as cv-ingest -q --db $TMP/uf $TMP/uf-night.csv || _st=$?
	chmod u+w $TMP/uf/contacts
	cat $TMP/uf/CURRENT
	return $_st
}
check db-leftover-stays 74 scrub unlink_fails
# A data file the manifest does not name that no interrupted run leaves
# (a day whose line was lost from the manifest; a file of a generation
# after the next) is damage: --check names it, a night refuses to remove
# it, a reader whose days it holds stops.
rm -rf $TMP/s2 && night 2026-11-20 30 >$TMP/n20s.csv &&
    cv-ingest -q --db $TMP/s2 $TMP/n20s.csv &&
    cv-ingest -q --db $TMP/s2 $T/pos-sh01-20261121.csv
sed -i '/2026-11-20/d' $TMP/s2/MANIFEST-000002
check db-unnamed-check 65 scrub cv-ingest --db $TMP/s2 --check
check db-unnamed-night 65 scrub cv-ingest --db $TMP/s2 \
    $T/pos-sh01-20261121-resent.csv
assert db-unnamed-kept test -f $TMP/s2/txn/2026/2026-11-20.000001.tsv.gz
check db-unnamed-read 65 scrub cv-score -q --db $TMP/s2 --as-of 2026-11-30
check db-unnamed-read-since 0 sh -c "cv-score -q --db $TMP/s2 \
    --as-of 2026-11-30 --since 2026-11-21 >/dev/null"
mv $TMP/s2/txn/2026/2026-11-20.000001.tsv.gz $TMP/s2/txn/2026/2026-11-20.000004.tsv.gz
touch $TMP/s2/MANIFEST-000005
check db-unnamed-later 65 scrub cv-ingest -q --db $TMP/s2 --check
rm -rf $TMP/s2
# The clean-up looks only at the names the store writes: copies kept in
# another folder under txn/ or contacts/, in a folder inside a year's
# folder, or under a name of another shape are left alone; a killed run's
# data file and temporary file beside them are removed.
dstore
cp -R $TMP/sd/txn/2026 $TMP/sd/txn/2026-backup
mkdir $TMP/sd/txn/2026/old && cp $f $TMP/sd/txn/2026/old/
cp $f $TMP/sd/txn/2026/2026-11-21.1.tsv.gz
cp $f $TMP/sd/txn/2025-11-21.000001.tsv.gz
cp $f $TMP/sd/txn/2026/2025-11-21.000001.tsv.gz
mkdir -p $TMP/sd/contacts/old && cp $f $TMP/sd/contacts/old/2026-11.000001.tsv.gz
cp $f $TMP/sd/txn.000001.tsv.gz
cp $f $TMP/sd/txn/2026/2026-11-20.000002.tsv.gz
cp $f $TMP/sd/txn/2026/.2026-11-20.000002.tsv.gz.Ab12Cd
check db-check-other-folders 0 scrub cv-ingest --db $TMP/sd --check
check db-night-other-folders 0 scrub sh -c "cv-ingest --db $TMP/sd \
    $T/pos-sh01-20261121-resent.csv && cd $TMP/sd && find . | sort"
# A second run waits for the one that holds the store, and says so.
dstore
flock $TMP/sd/LOCK sh -c "touch $TMP/held; sleep 1" &
i=0
while [ ! -e $TMP/held ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
check db-waits 0 scrub cv-ingest --db $TMP/sd --check
wait
# A store's next day file is opened and inflated while the one before is
# read: the CDNOW master as a store of 546 day files scores as the same
# lines in one stream does, and of two damaged files (one cut short, one
# not gzip) the first in day order is the one named.
rm -rf $TMP/cd && cv-ingest -q --db $TMP/cd -d blanks $T/cdnow-master.txt.gz
cv-ingest -q -d blanks $T/cdnow-master.txt.gz >$TMP/cd.tsv
cv-score -q --as-of 1998-07-01 $TMP/cd.tsv >$TMP/cd-stream.out
assert db-ahead-same sh -c "cv-score -q --as-of 1998-07-01 --db $TMP/cd |
    cmp - $TMP/cd-stream.out"
cd_day() { ls $TMP/cd/txn/1997/*.gz | sed -n "$1p"; }
d100=$(cd_day 100) d200=$(cd_day 200)
head -c 100 "$d100" >$TMP/cut.gz && mv $TMP/cut.gz "$d100"
echo junk >"$d200"
check db-ahead-first-damage 65 scrub cv-score -q --as-of 1998-07-01 \
    --no-model --db $TMP/cd
rm -rf $TMP/cd $TMP/cd.tsv $TMP/cd-stream.out

# --wait: a run gives up after so many seconds while another holds the
# store (exit 75, the store untouched), or at once with --wait 0; one
# that is given long enough goes on when the other lets go.  The lock is
# held until the test lets go of it, whatever the machine's speed.
dstore
hold() {
	rm -f $TMP/held $TMP/go
	flock $TMP/sd/LOCK sh -c "touch $TMP/held
	    while [ ! -e $TMP/go ]; do sleep 0.05; done" &
	i=0
	while [ ! -e $TMP/held ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
}
sd_before=$(digest $TMP/sd)
hold
check db-wait-gives-up 75 scrub cv-ingest --db $TMP/sd --wait 0.3 \
    $T/pos-sh01-20261121-resent.csv
assert db-wait-gives-up-untouched test "$(digest $TMP/sd)" = "$sd_before"
check db-wait-zero 75 scrub cv-score --db $TMP/sd --wait 0 \
    --as-of 2026-11-21
check db-wait-zero-check 75 scrub cv-ingest -q --db $TMP/sd --wait 0 --check
check db-wait-one-second 75 scrub cv-score --db $TMP/sd --wait 1.0000001 \
    --as-of 2026-11-21
# A bad option is told at once, not after the wait for the lock (it was
# exit 75 for the lock, the option unsaid).
check db-wait-bad-option 64 scrub cv-ingest --db $TMP/sd --wait 0 \
    --walk-in 0 $T/pos-sh01-20261121-resent.csv
check db-wait-bad-pattern 64 scrub cv-ingest --db $TMP/sd --wait 0 \
    --id-pattern '[' $T/pos-sh01-20261121-resent.csv
touch $TMP/go
wait
# (the other run lets go once this one says it waits)
wait_enough() {
	: >$TMP/we.err
	cv-ingest --db $TMP/sd --wait 60 $T/pos-sh01-20261121-resent.csv \
	    2>>$TMP/we.err &
	we=$!
	i=0
	while ! grep -q waiting $TMP/we.err && [ $i -lt 600 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	touch $TMP/go
	st=0
	wait $we || st=$?
	cat $TMP/we.err >&2
	return $st
}
hold
check db-wait-enough 0 scrub wait_enough
wait
check db-wait-needs-db 64 cv-score --wait 5 --as-of 2026-11-21 \
    $T/score-small.tsv
check db-wait-not-seconds 64 cv-ingest --db $TMP/sd --wait 5s --check
check db-wait-hex 64 cv-ingest --db $TMP/sd --wait 0x10 --check
check db-wait-negative 64 cv-ingest --db $TMP/sd --wait -1 --check
check db-wait-too-long 64 cv-ingest --db $TMP/sd --wait 604801 --check
rm -rf $TMP/s1 $TMP/sd $TMP/held $TMP/go

# A night sent again with --walk-in for a store card, from an export
# without a receipt id column: the card's lines are replaced (now walk-ins),
# not added beside the old ones, and the card is no longer a customer.
printf '销售时间,会员卡号,门店,款号,数量,实收金额\n2026-11-21 10:00:00,88888888,S1,K1,1,100\n2026-11-21 11:00:00,13971234567,S1,K2,1,50\n' \
    >"$TMP/card.csv"
cv-ingest -q --as-of 2026-11-21 --db "$TMP/card" "$TMP/card.csv"
check db-walk-in-again 0 scrub sh -c "cv-ingest --as-of 2026-11-21 \
    --db '$TMP/card' --walk-in 88888888 '$TMP/card.csv' &&
    cv-ingest --db '$TMP/card' --check &&
    cv-score -q --no-model --as-of 2026-11-21 --db '$TMP/card' | cut -f1,8"

L=$TMP/laid
cv-ingest -q --db $L --kind members $T/members.csv
# A night's member profile is laid over the stored one: a tier report
# leaves the phone, birthday and opt-out as they were; sent again, it
# says nothing new and changes nothing.
printf '会员卡号,会员等级\nVIP0012345,金卡\n13800138000,金卡\n' >"$TMP/tier.csv"
check db-members-laid-over 0 scrub cv-ingest --db $L --kind members \
    "$TMP/tier.csv"
check db-members-laid-over-content 0 sh -c "gzip -dc $L/members.*.tsv.gz |
    grep -E '^(VIP0012345|13800138000)	'"
check db-members-laid-over-again 0 scrub cv-ingest --db $L --kind members \
    "$TMP/tier.csv"

finish
