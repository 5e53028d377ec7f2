#!/bin/sh
# synth.sh: golden tests for cv-synth.  The data sets are tiny so the
# suite stays fast; what is pinned is the exact bytes (a sha256 per file),
# so any change to the generator shows here and must be reviewed.
. "$(dirname "$0")/lib.sh"

# The files under a folder with the sha256 of each (of the decompressed
# bytes for .gz: the compressed form depends on the zlib build).
tree() {
	(cd "$1" && find . -type f | sort | while read -r f; do
		case "$f" in
		*.gz)	printf '%s  %s\n' \
			    "$(gzip -dc "$f" | sha256sum | cut -d' ' -f1)" "$f" ;;
		*)	printf '%s  %s\n' \
			    "$(sha256sum <"$f" | cut -d' ' -f1)" "$f" ;;
		esac
	done)
}

# Shown to check: a run, then the tree it wrote.
run_tree() {
	dir=$1
	shift
	cv-synth -o "$dir" "$@" && tree "$dir"
}

tiny="--seed 3 --stores 5 --members 1000 --days 5"

# Determinism: the files, their hashes, and the summary line.
check synth-tiny 0 run_tree "$TMP/tiny" $tiny
check synth-tiny-gzip 0 run_tree "$TMP/tinyz" $tiny -z
check synth-six-stores 0 run_tree "$TMP/six" --seed 11 --members 200 \
    --days 2
same_seed() {
	cv-synth -q -o "$TMP/a" $tiny && cv-synth -q -o "$TMP/b" $tiny &&
	    diff -r "$TMP/a" "$TMP/b"
}
other_seed() {
	cv-synth -q -o "$TMP/c" $tiny --seed 4 &&
	    ! diff -rq "$TMP/a" "$TMP/c"
}
# --gzip compresses the very bytes a plain run writes.
gzip_same() (
	cd "$TMP/tinyz" || exit
	for f in pos/*/*.gz; do
		gzip -dc "$f" | cmp - "$TMP/tiny/${f%.gz}" || exit
	done
)
# The style changes the format, not the sales: the same lines either way.
style_same() {
	cv-synth -q -o "$TMP/s1" $tiny --style cn-utf8 &&
	    cv-synth -q -o "$TMP/s2" $tiny --style online &&
	    test "$(cat "$TMP"/s1/pos/*/*.csv | grep -vc '^单号')" = \
	    "$(cat "$TMP"/s2/pos/*/*.csv | grep -vc '^order_id')" &&
	    diff "$TMP/s1/members.csv" "$TMP/s2/members.csv" &&
	    diff "$TMP/s1/contacts.csv" "$TMP/s2/contacts.csv"
}
assert synth-same-seed same_seed
assert synth-other-seed other_seed
assert synth-gzip-same-data gzip_same
assert synth-style-same-sales style_same

# Byte order mark and CR made visible.
visible() {
	sed -e '1s/^\xef\xbb\xbf/<BOM>/' -e 's/\r$/<CR>/'
}

# What each style looks like: the first lines of one day's dumps.
sample() (
	cv-synth -q -o "$TMP/sample" --seed 7 --stores 5 --members 2000 \
	    --days 1 || exit
	cd "$TMP/sample/pos/2026-11-21" || exit
	for f in *.csv; do
		echo "== $f"
		case "$f" in
		BJ*)	head -n 8 "$f" | iconv -f GBK -t UTF-8 ;;
		SZ*)	visible <"$f" ;;
		*)	head -n 8 "$f" | visible ;;
		esac
	done
	echo "== members.csv"
	head -n 4 ../../members.csv
	echo "== staff.csv"
	sed -n -e 1p -e '/,离职,/{p;q;}' ../../staff.csv
	echo "== contacts.csv"
	head -n 1 ../../contacts.csv
)
check synth-sample 0 sample

# Excel: a BOM, then CRLF at the end of every record.
excel() {
	cv-synth -q -o "$TMP/xl" $tiny --style excel || return
	f=$TMP/xl/pos/2026-11-21/SH001.csv
	head -n 1 "$f" | visible
	awk '!/\r$/ { n++ } END { print "lines without CR:", n + 0 }' \
	    "$TMP"/xl/pos/*/*.csv
}
check synth-excel 0 excel

# GBK: converts from GBK, and is not valid UTF-8.
gbk() {
	cv-synth -q -o "$TMP/gbk" $tiny --style cn-gbk || return
	for f in "$TMP"/gbk/pos/*/*.csv; do
		iconv -f GBK -t UTF-8 "$f" >/dev/null || return
	done
	iconv -f UTF-8 -t UTF-8 "$TMP/gbk/pos/2026-11-21/SH001.csv" \
	    >/dev/null 2>&1 && echo "valid UTF-8"
	iconv -f GBK -t UTF-8 "$TMP/gbk/pos/2026-11-21/SH001.csv" | head -n 1
}
check synth-gbk 0 gbk

# The window: --start and --days, --start and --end.
window() {
	cv-synth -q -o "$TMP/w1" --members 20 --start 2026-01-30 --days 3 &&
	    ls "$TMP/w1/pos" &&
	    cv-synth -q -o "$TMP/w2" --members 20 --start 2025-12-31 \
	    --end 2026-01-01 && ls "$TMP/w2/pos"
}
check synth-window 0 window

# --single: exactly N data lines, in any style and compressed.
single() {
	cv-synth --single "$TMP/s.csv" --lines 1000 &&
	    wc -l <"$TMP/s.csv" && sha256sum <"$TMP/s.csv"
}
single_report() {
	# Title, export time, blank line and header; totals at the end.
	cv-synth -q --single - --lines 1000 --style report |
	    sed -e 1,4d -e '$d' | wc -l
}
single_gz() {
	cv-synth -q --single "$TMP/s.csv.gz" --lines 1000 &&
	    gzip -dc "$TMP/s.csv.gz" | cmp - "$TMP/s.csv" && echo same
}
single_gbk() {
	cv-synth -q --single - --lines 500 --style cn-gbk |
	    iconv -f GBK -t UTF-8 | wc -l
}
check synth-single 0 single
check synth-single-stdout 0 cv-synth -q --single - --lines 7 --members 10 \
    --days 2
check synth-single-report 0 single_report
check synth-single-gz 0 single_gz
check synth-single-gbk 0 single_gbk

# Usage errors: exit 64 and a clear message, nothing written.
check synth-members-bad 64 cv-synth --members 0x -o "$TMP/x"
check synth-members-zero 64 cv-synth --members 0 -o "$TMP/x"
check synth-members-big 64 cv-synth --members 99999999 -o "$TMP/x"
check synth-seed-bad 64 cv-synth --seed -1 -o "$TMP/x"
check synth-seed-big 64 cv-synth --seed 18446744073709551616 -o "$TMP/x"
check synth-stores-big 64 cv-synth --stores 1000 -o "$TMP/x"
check synth-days-zero 64 cv-synth --days 0 -o "$TMP/x"
check synth-style-bad 64 cv-synth --style csv -o "$TMP/x"
check synth-date-bad 64 cv-synth --start 2026-02-30 -o "$TMP/x"
check synth-date-range 64 cv-synth --end 1999-12-31 -o "$TMP/x"
check synth-start-after-end 64 cv-synth --start 2026-11-22 \
    --end 2026-11-21 -o "$TMP/x"
check synth-days-mismatch 64 cv-synth --start 2026-11-01 \
    --end 2026-11-21 --days 10 -o "$TMP/x"
check synth-no-output 64 cv-synth
check synth-both-outputs 64 cv-synth -o "$TMP/x" --single "$TMP/y" \
    --lines 5
check synth-single-no-lines 64 cv-synth --single "$TMP/y"
check synth-lines-no-single 64 cv-synth --lines 5 -o "$TMP/x"
check synth-single-gzip 64 cv-synth --single "$TMP/y" --lines 5 -z
check synth-single-mixed 64 cv-synth --single "$TMP/y" --lines 5 \
    --style mixed
check synth-unknown-option 64 cv-synth --colour -o "$TMP/x"
check synth-missing-value 64 cv-synth -o
check synth-operand 64 cv-synth -o "$TMP/x" extra
check synth-output-empty 64 cv-synth -o ''
check synth-single-empty 64 cv-synth --single '' --lines 3
check synth-window-long 64 cv-synth -o "$TMP/x" --start 2000-01-01 \
    --end 2020-01-01
check synth-window-late 64 cv-synth -o "$TMP/x" --start 2099-12-01 --days 100
check synth-window-early 64 cv-synth -o "$TMP/x" --end 2000-01-05 --days 100
# A day's receipts are held in memory: its lines are bounded.
check synth-single-busy-day 64 cv-synth --single "$TMP/y" \
    --lines 10000000000
assert synth-usage-wrote-nothing test ! -e "$TMP/x" -a ! -e "$TMP/y"

# How the people and the sales relate, over a year of 2,000 members (the
# checks print what breaks them).
year="--seed 7 --members 2000 --days 365"
cv-synth -q -o "$TMP/year" $year
# A member's own assistant was at work the day the member joined.
assistant_at_work() {
	awk -F, 'NR == FNR { if ($5 != "") left[$1] = $5; next }
	    FNR > 1 && ($8 in left) && $6 >= left[$8] {
		print $1, "joined", $6, "assistant", $8, "left", left[$8]; bad++ }
	    END { exit bad > 0 }' "$TMP/year/staff.csv" "$TMP/year/members.csv"
}
# Nobody joined before sixteen.
joined_grown() {
	awk -F, 'FNR > 1 && $5 != "" && $5 != "1900-01-01" {
		b = $5; gsub("-", "", b); j = $6; gsub("-", "", j)
		if (j - b < 160000) { print $1, "born", $5, "joined", $6; bad++ } }
	    END { exit bad > 0 }' "$TMP/year/members.csv"
}
# A member who joins in the year first buys at the store where the card
# was made, from the member's own assistant.
first_purchase_home() {
	cv-ingest -q --kind members "$TMP/year/members.csv" >"$TMP/ym.tsv" &&
	cv-ingest -q "$TMP"/year/pos/*/*.csv* 2>/dev/null |
	    sort -t "$(printf '\t')" -k3,3 >"$TMP/yt.tsv"
	awk -F'\t' 'NR == FNR { if (FNR > 1 && $6 >= "2025-11-22") {
		home[$1] = $7; own[$1] = $8 } next }
	    ($4 in home) && !seen[$4]++ && ($5 != home[$4] ||
	    $6 != own[$4]) { print $4, "first bought at", $5, "from", $6,
		"home", home[$4], own[$4]; bad++ }
	    END { exit bad > 0 }' "$TMP/ym.tsv" "$TMP/yt.tsv"
}
assert synth-assistant-at-work assistant_at_work
assert synth-joined-grown joined_grown
assert synth-first-purchase-home first_purchase_home
# --single: a member's return comes after the purchase it returns, no
# member buys before joining (its ids are those of -o's members.csv for
# the same options), and about 3% of lines are returns.
single_returns() {
	cv-synth -q --single - --lines 100000 $year | cv-ingest -q |
	    awk -F'\t' 'NR > 1 && $4 != "" { k = $4 SUBSEP $8 SUBSEP $5
		day = substr($3, 1, 10)
		if ($9 > 0) { if (!(k in first)) first[k] = day }
		else if (!(k in first) || first[k] >= day) {
		print "return not after its purchase:", $0; bad++ } }
	    END { exit bad > 0 }'
}
single_joined() {
	cv-ingest -q --kind members "$TMP/year/members.csv" >"$TMP/ym1.tsv" &&
	cv-synth -q --single - --lines 100000 $year | cv-ingest -q |
	    awk -F'\t' 'NR == FNR { if (FNR > 1) join[$1] = $6; next }
	    FNR > 1 && $4 != "" && substr($3, 1, 10) < join[$4] {
		print $4, "bought", $3, "joined", join[$4]; bad++ }
	    END { exit bad > 0 }' "$TMP/ym1.tsv" -
}
single_return_share() {
	cv-synth -q --single - --lines 100000 | cv-ingest -q |
	    awk -F'\t' 'NR > 1 { n++; if ($9 < 0) r++ }
	    END { printf "%.1f%% returns\n", 100 * r / n
		exit !(r / n > 0.02 && r / n < 0.04) }'
}
assert synth-single-returns-after single_returns
assert synth-single-joined single_joined
assert synth-single-return-share single_return_share

# Output errors: 73 when the folder cannot be made, 74 on a full disk.
check synth-unwritable 73 cv-synth -q -o /dev/null/out
check synth-not-folder 73 cv-synth -q -o /dev/null
full() {
	cv-synth -q --single - --lines 100000 >/dev/full
}
if [ -w /dev/full ]; then
	check synth-full 74 full
fi

# The smallest export: a single line.
check synth-one-line 0 sh -c "cv-synth -q --single - --lines 1 | wc -l"
check synth-help 0 cv-synth --help
check synth-version 0 cv-synth -V

finish
