#!/bin/sh
# Golden tests of cv-score.  The expected customer streams for the small
# data set (testdata/score-small.tsv, testdata/score-members.tsv, as of
# 2026-11-21) were computed by hand from the definitions in cv-score(1), not
# copied from the program; the model columns are checked on the CDNOW data
# against the published parameters and for sanity on the master file.
# Do not regenerate the expected files with UPDATE=1 without checking every
# changed value by hand against the man page.
. "$(dirname "$0")/lib.sh"

T=testdata
S=$T/score-small.tsv
M=$T/score-members.tsv
A="--as-of 2026-11-21"

# How the trickiest rows of score-small were worked out (as of 2026-11-21;
# 13 customers with lines, so N = 13 and a score is 1 + floor(5 L / 13)):
#
# 13800000001  sales 500+100 at S1 (S1-01) on 11-20, a return of 400 the same
#     day on another receipt, 300 at S2 (S2-01) on 10-01, 100 online on 09-15.
#     Visits 3 (09-15, 10-01, 11-20), orders 3 (the return receipt has no
#     sale), monetary 1000-400 = 600.00, avg_order 200.00.  Net by store:
#     S1 200, S2 300, WEB 100, so top_store S2 and top_staff S2-01 although
#     S1 had the larger gross sales.  online_share 100/1000 = 0.10.
#     Recency 1: only 13800000009 (0) is better, L = 11, r = 1+floor(55/13) = 5.
# 13800000002  two receipts on 11-01 (200 at S2/S2-01, 100 at S1/S1-02) and
#     100 at S1/S1-01 on 08-01: visits 2, orders 3 (frequency 3 with
#     --frequency receipts), avg 400/3 = 133.33.  Stores S1 200 = S2 200:
#     the tie goes to S1; staff S2-01 200 > S1-02 100 = S1-01 100.
# 13800000003, 13800000004  equal recency (11), frequency (2) and monetary
#     (200.01), so equal scores (442).  avg_order 200.01/2 = 100.005 -> 100.01
#     (half away from zero).  ...03 bought 120.01 online (WEB, no assistant)
#     on 05-25 and 80.00 with S1-02: top_store WEB, top_staff S1-02 (a line
#     without an assistant names nobody), online_share 0.60.
# 13800000005  a return only: no visit, so first/last/recency/tenure and
#     avg_order are empty, frequency and orders 0, r = f = m = 1 (worst),
#     online_share empty (no sales to share), monetary -59.90, grade C.
# 13800000006  250.00 on 05-05 returned on 05-26: monetary 0.00, grade C
#     (a value of zero is always C).  With --window 180 (05-26 .. 11-21) only
#     the return is left: a returns-only customer with monetary -250.00.
# 13800000007  an exchange receipt on 02-01 (-300.01 back, 100.00 bought), a
#     free gift (qty 1, 0.00) on a second receipt the same day and its return
#     (qty -1, 0.00) on 03-01: visits 1, orders 2, returns 2, returns_amount
#     300.01, monetary -200.01, avg_order -100.005 -> -100.01.  Net by
#     assistant S1-02 -200.01 < S1-01 0.00, so top_staff S1-01.
# 0012 / 13800000011  one visit each on 2025-11-21 (365 days back) and
#     2025-11-22 (364): monetary 700.00 both, but value_now counts the last
#     365 days (2025-11-22 .. 2026-11-21), so 0.00 and 700.00.  ...11 bought
#     350 with S1-02 and 350 with S1-01 on one receipt: top_staff S1-01.
# 13800000009  2000.00 at 23:59:59 on the as-of day (recency 0) and 5000.00
#     at 00:00:00 the day after (ignored); 13800000013 has only a line after
#     the as-of date and is not listed (but is, with empty facts, as a member).
# Grades.  Without profiles all 13 are end customers: total positive value
#     54125.00, the dealer D001 (42000) and G001 (8000) are A, 13800000009 is B
#     (before it 50000 = 92.4%), the rest C.  With score-members.tsv D001 and
#     G001 are graded apart (A; B at 42000/50000 = 84%) and the end customers'
#     total is 2000+700+600+400+200.01+200.01+24.98 = 4125.00, so 13800000002
#     has exactly 3300 = 80% before it and is B (A needs less than 80%); with
#     --grade-cuts 50,80 it is C (B needs less than 80%); with --grade-cuts
#     80,90 13800000004 has 3900.01 > 90% before it but shares the B of its
#     equal 13800000003 (3700 before).  The three members without lines make
#     N = 16 (frequency 0, monetary 0.00, every score 1, grade C).

# The hand-computed streams.
check score-small 0 cv-score $A --no-model $S
check score-receipts 0 cv-score -q $A --no-model --frequency receipts $S
check score-cuts 0 cv-score -q $A --no-model --r-cuts 0,11,20,300 \
    --f-cuts 0,1,2,3 --m-cuts 0,200.01,700,2000 $S
check score-window 0 cv-score $A --no-model --window 180 $S
check score-since 0 cv-score $A --no-model --since 2026-05-26 $S
check score-members 0 cv-score -q $A --no-model --members $M $S
# One standard input: the members or the sale lines, not both.
check score-members-stdin-twice 64 cv-score -q $A --no-model --members -
check score-members-stdin-twice-dash 64 cv-score -q $A --no-model \
    --members - $S -
STDIN=$M
check score-members-stdin 0 cv-score -q $A --no-model --members - $S
STDIN=/dev/null
# A bad escape names its line and column; a bad one in a column name is
# shown quoted, control bytes and all.
printf 'txn_id\tline\tts\tcustomer_id\tstore_id\tstaff_id\tchannel\tsku\tqty\tamount\nT1\t1\t2026-11-20T10:00:00\tC\\x1\tS1\tS1-1\tstore\tSKU\t1\t10.00\n' >"$TMP/bad-esc.tsv"
check score-bad-escape 65 scrub cv-score -q $A $TMP/bad-esc.tsv
printf 'txn_id\033[31m\\q\tamount\n' >"$TMP/bad-esc-head.tsv"
check score-bad-escape-header 65 scrub cv-score -q $A $TMP/bad-esc-head.tsv
# A members stream with a row without an id is refused, not thinned.
printf 'customer_id\tname\nC1\tBob\n\tNoId\n' >"$TMP/emptyid.tsv"
check score-members-empty-id 65 scrub cv-score -q $A --no-model \
    --members $TMP/emptyid.tsv $S
# Profile columns named like ours (expected_90d, grade) get member_ as
# often as it takes to stay unique: the header never repeats a name.
printf 'customer_id\tgrade\tmember_grade\texpected_90d\nC001\tVIP\tgold\t3\n' >"$TMP/clash.tsv"
check score-members-name-clash 0 sh -c "cv-score -q $A --no-model --members $TMP/clash.tsv $S |
    head -1 | tr '\t' '\n' | tail -4"
check score-grade-cuts-50-80 0 cv-score -q $A --no-model --members $M \
    --grade-cuts 50,80 $S
check score-grade-cuts-80-90 0 cv-score -q $A --no-model --members $M \
    --grade-cuts 80,90 $S
check score-buyers-only 0 cv-score -q $A --no-model --members $M \
    --buyers-only $S

# Nor anyone's quadrant: both averages are over the customers given a
# quadrant, so the members who bought nothing do not pull the average of
# value_now down (75 of 354 buyers moved when they did).
quadrants() {
	cv-synth -q --seed 3 --members 600 --days 200 -o "$TMP/syq" &&
	cv-ingest -q "$TMP"/syq/pos/*/* -o "$TMP/syq/txn.tsv" &&
	cv-ingest -q --kind members "$TMP/syq/members.csv" \
	    -o "$TMP/syq/mem.tsv" || return
	cv-score -q $A --members "$TMP/syq/mem.tsv" "$TMP/syq/txn.tsv" |
	    cut -f1,22 | sort >"$TMP/q1"
	cv-score -q $A --members "$TMP/syq/mem.tsv" --buyers-only \
	    "$TMP/syq/txn.tsv" | cut -f1,22 | sort >"$TMP/q2"
	echo "moved: $(join -t "$(printf '\t')" "$TMP/q1" "$TMP/q2" |
	    awk -F'\t' '$2 != $3' | wc -l)"
	cut -f2 "$TMP/q2" | grep -vx quadrant | sort | uniq -c
}
check score-buyers-only-quadrant 0 quadrants
# --buyers-only must not change anyone's top store or assistant: C1 spent
# 10.00 at S1 with A and 20.00 at S2 with B; M0 is a member with no lines.
printf 'customer_id\tname\tphone\tgender\tbirthday\tjoin_date\tstore_id\tstaff_id\ttier\ttype\topt_out\nM0\t\t\t\t\t\t\t\t\tretail\t0\n' >"$TMP/m0.tsv"
printf 'txn_id\tline\tts\tcustomer_id\tstore_id\tstaff_id\tchannel\tsku\tqty\tamount\nr1\t1\t2026-11-20T10:00:00\tC1\tS1\tA\tstore\tk\t1\t10.00\nr1\t2\t2026-11-20T10:00:00\tC1\tS2\tB\tstore\tk\t1\t20.00\n' >"$TMP/c1.tsv"
check score-buyers-only-top 0 sh -c "cv-score -q $A --no-model \
    --members $TMP/m0.tsv --buyers-only $TMP/c1.tsv | cut -f1,12,13"

# A line with quantity 0 and a positive amount is a sale (only a negative
# amount or quantity makes a return).
printf 'txn_id\tline\tts\tcustomer_id\tstore_id\tstaff_id\tchannel\tsku\tqty\tamount\na\t1\t2026-11-20T10:00:00\tC1\tS1\tA\tstore\tk\t0\t10.00\n' >"$TMP/qty0.tsv"
STDIN=$TMP/qty0.tsv
check score-qty-zero 0 cv-score -q $A --no-model

# The same answers however the input comes: gzip on stdin, columns in
# another order with one more, members split over two files, -o with .gz.
gzip -c $S >"$TMP/small.tsv.gz"
STDIN=$TMP/small.tsv.gz
check score-gz-stdin 0 cv-score -q $A --no-model
awk -F'\t' -v OFS='\t' '{ print $10, "x" NR, $4, $9, $7, $3, $1, $6, $5, $8, $2 }' \
    $S >"$TMP/shuffled.tsv"
assert score-columns-by-name sh -c "cv-score -q $A --no-model $TMP/shuffled.tsv |
    cmp - '$EXP/score-small.out'"
# The order of the lines does not matter.  A file is read in one pass when
# each customer's lines come in day order and again for those whose lines
# do not; a pipe is read once, keeping every receipt.  Reversed, sorted by
# SKU (receipts split up) and by customer: the same answers all ways.
{ head -1 $S; tail -n +2 $S | tac; } >"$TMP/reversed.tsv"
{ head -1 $S; tail -n +2 $S | sort -t '	' -k8,8 -k1,1; } >"$TMP/by-sku.tsv"
{ head -1 $S; tail -n +2 $S | sort -t '	' -k4,4 -k1,1r; } >"$TMP/by-cust.tsv"
for o in reversed by-sku by-cust; do
	assert score-order-$o-file sh -c "cv-score -q $A --no-model \
	    $TMP/$o.tsv | cmp - '$EXP/score-small.out'"
	assert score-order-$o-pipe sh -c "cat $TMP/$o.tsv | cv-score -q $A \
	    --no-model | cmp - '$EXP/score-small.out'"
done
# Receipts of one day interleaved, a receipt whose return line comes
# before its sale line, a return-only receipt, a day that comes late, lines
# before --since: a file (counted as the lines come, then read again) and a
# pipe (every receipt kept) agree, by visits and by receipts.
check score-order-days 0 cv-score -q $A --no-model $T/score-days.tsv
for f in days receipts; do
	for w in "" "--since 2026-09-01"; do
		n=score-order-days-$f${w:+-since}
		if ! cv-score -q $A --no-model --frequency $f $w \
		    <$T/score-days.tsv >"$TMP/days-pipe.out" ||
		    [ "$(wc -l <"$TMP/days-pipe.out")" != 5 ]; then
			fail "$n" "the run on a pipe failed"
			continue
		fi
		assert "$n" sh -c "cv-score -q $A --no-model --frequency $f \
		    $w $T/score-days.tsv | cmp - $TMP/days-pipe.out"
	done
done
# By receipts, frequency is orders: K1 3 (its return-only receipt is not
# one), K4 5 (two receipts on each of two days, one the day before).
assert score-order-days-receipts-counts sh -c "test \"\$(cv-score -q $A \
    --no-model --frequency receipts $T/score-days.tsv | cut -f1,6,7 |
    grep -c -x -e 'K1	3	3' -e 'K4	5	5')\" = 2"
head -5 $M >"$TMP/m1.tsv"
{ head -1 $M; tail -n +6 $M; } >"$TMP/m2.tsv"
assert score-members-twice sh -c "cv-score -q $A --no-model \
    --members $TMP/m1.tsv --members $TMP/m2.tsv $S | cmp - '$EXP/score-members.out'"
assert score-output-gz sh -c "cv-score -q $A --no-model -o $TMP/out.tsv.gz $S &&
    gzip -dc $TMP/out.tsv.gz | cmp - '$EXP/score-small.out'"
assert score-horizon-header sh -c "cv-score -q $A --no-model --horizon 30 $S |
    head -1 | grep -q '	expected_30d	'"

# Model columns where the data cannot support a fit: the reason on stderr
# and in --params, the columns empty, exit 0.
check score-model-refused 0 cv-score $A $S
check score-params-refused 0 sh -c "cv-score -q $A --params $TMP/p.tsv $S \
    >/dev/null && cat $TMP/p.tsv"
# n of 30 customers come back once more.
repeat() {
	awk -v n="$1" 'BEGIN {
		print "txn_id\tline\tts\tcustomer_id\tstore_id\tstaff_id\tchannel\tsku\tqty\tamount"
		for (i = 1; i <= 30; i++) {
			id = sprintf("R%02d", i); d = 1 + i % 28
			printf "%s-1\t1\t2026-01-%02dT10:00:00\t%s\tS1\tS1-01\tstore\tK\t1\t%d.00\n", id, d, id, 50 + i
			if (i <= n)
				printf "%s-2\t1\t2026-%02d-%02dT10:00:00\t%s\tS1\tS1-01\tstore\tK\t1\t%d.00\n", id, 2 + i % 9, d, id, 60 + i
		}
	}'
}
repeat 19 >"$TMP/r19.tsv"
repeat 20 >"$TMP/r20.tsv"
check score-model-19 0 sh -c "cv-score $A --params $TMP/p19.tsv $TMP/r19.tsv |
    cut -f1,21-25 && cat $TMP/p19.tsv"
# 20 repeat buyers are enough to try, but these 20 do not pin the model
# down: whatever the reason given, the columns stay empty and no NaN leaks.
model_edge() {
	cv-score $A --params "$TMP/p20.tsv" "$TMP/r20.tsv" >"$TMP/r20.out" \
	    2>"$TMP/r20.err" || return 1
	grep -q 'no BG/NBD fit' "$TMP/r20.err" &&
	    grep -q '^bgnbd	not_fitted	' "$TMP/p20.tsv" &&
	    awk -F'\t' 'NR > 1 && ($21 $22 $23 $24 $25) != "" { exit 1 }' \
	    "$TMP/r20.out" && ! grep -qi 'nan\|inf' "$TMP/r20.out"
}
assert score-model-edge model_edge

# CDNOW: the calibration period of the 2,357-customer sample gives the
# parameters published by Fader, Hardie and Lee (2005) for BG/NBD, in weeks,
# and by Fader and Hardie (2013) for Gamma-Gamma.
cv-ingest -q -d blanks --columns ,customer_id,ts,qty,amount \
    $T/cdnow-sample.txt.gz >"$TMP/cdnow.tsv"
# params FILE: the --params file as "model.parameter value" rounded as
# published.
params() {
	awk -F'\t' 'NR > 1 {
		k = $1 "." $2
		if (k == "bgnbd.log_likelihood") printf "%s %.1f\n", k, $3
		else if (k ~ /^gg\.(p|q)$/) printf "%s %.2f\n", k, $3
		else if (k == "gg.gamma") printf "%s %.2f\n", k, $3
		else if (k ~ /^bgnbd\.(r|alpha|a|b)$/) printf "%s %.3f\n", k, $3
	}' "$1"
}
cdnow_week() {
	cv-score -q --as-of 1997-09-30 --params "$TMP/pw.tsv" --time-unit week \
	    "$TMP/cdnow.tsv" >/dev/null || return 1
	params "$TMP/pw.tsv" >"$TMP/pw.txt"
	printf '%s\n' "bgnbd.r 0.243" "bgnbd.alpha 4.414" "bgnbd.a 0.793" \
	    "bgnbd.b 2.426" "bgnbd.log_likelihood -9582.4" "gg.p 6.25" \
	    "gg.q 3.74" "gg.gamma 15.44" | diff - "$TMP/pw.txt"
}
assert score-cdnow-published cdnow_week
cdnow_day() {
	cv-score -q --as-of 1997-09-30 --params "$TMP/pd.tsv" \
	    "$TMP/cdnow.tsv" >/dev/null || return 1
	awk -F'\t' '$1 == "bgnbd" && $2 == "alpha" { a = sprintf("%.2f", $3) }
	    $1 == "bgnbd" && $2 == "time_unit" { u = $3 }
	    END { exit !(a == "30.90" && u == "day") }' "$TMP/pd.tsv"
}
assert score-cdnow-alpha-days cdnow_day

# The whole master file (23,570 customers, all of whom first bought in the
# first quarter of 1997), scored mid-way and at the end.
cv-ingest -q -d blanks $T/cdnow-master.txt.gz >"$TMP/master.tsv"
# sane FILE PARAMS: one row per customer, a fit, probabilities in [0,1],
# nothing negative or not-a-number where it cannot be, grades A/B/C with A
# the customers who make the first 80% of value_now and A+B the first 95%,
# and the grades in descending order of value.
sane() {
	grep -q 'not_fitted' "$2" && return 1
	grep -q '^bgnbd	r	' "$2" && grep -q '^gg	p	' "$2" || return 1
	grep -qi 'nan\|inf' "$1" "$2" && return 1
	awk -F'\t' '
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{
		n++
		p = $c["p_alive"]; e = $c["expected_90d"]; v = $c["clv"]
		pot = $c["value_potential"]; g = $c["grade"]; now = $c["value_now"]
		if (p == "" || e == "" || v == "" || pot == "" || $c["quadrant"] == "") bad++
		if (p + 0 < 0 || p + 0 > 1 || e + 0 < 0 || v + 0 < 0 || pot + 0 < 0) bad++
		if (g !~ /^[ABC]$/) bad++
		cnt[g]++
		if (now + 0 > 0) { tot += now; sum[g] += now }
		if (g == "A" && (minA == "" || now + 0 < minA)) minA = now + 0
		if (g == "B" && now + 0 > maxB) maxB = now + 0
		if (g == "B" && (minB == "" || now + 0 < minB)) minB = now + 0
		if (g == "C" && now + 0 > maxC) maxC = now + 0
	}
	END {
		if (n != 23570 || bad || !cnt["A"] || !cnt["B"] || !cnt["C"]) exit 1
		a = sum["A"] / tot; ab = (sum["A"] + sum["B"]) / tot
		if (a < 0.80 || a > 0.81 || ab < 0.95 || ab > 0.96) exit 1
		if (minA < maxB || minB < maxC) exit 1
	}' "$1"
}
for d in 1997-09-30 1998-06-30; do
	cv-score -q --as-of $d --params "$TMP/pm.tsv" "$TMP/master.tsv" \
	    >"$TMP/m.tsv" 2>"$TMP/m.err"
	assert score-cdnow-master-$d sane "$TMP/m.tsv" "$TMP/pm.tsv"
done

# The history store: the nightly dumps and the members file, read back.
P="$T/pos-sh01-20261121.csv $T/pos-hz02-20261121-gbk.csv \
    $T/pos-bj03-20261121-excel.csv $T/pos-gz04-20261121-report.csv \
    $T/pos-online-20261121.csv"
cv-ingest -q --db "$TMP/cvdb" $P
cv-ingest -q --db "$TMP/cvdb" --kind members $T/members.csv
cv-ingest -q --kind members $T/members.csv >"$TMP/members.tsv"
check score-db 0 scrub cv-score --db "$TMP/cvdb" $A --no-model
assert score-db-equals-pipe sh -c "cv-ingest -q $P | cv-score -q $A \
    --no-model --members $TMP/members.tsv | cmp - '$EXP/score-db.out'"
check score-db-missing 66 scrub cv-score --db="$TMP/nostore" $A --no-model
check score-db-missing-space 66 scrub cv-score --db "$TMP/nostore" $A --no-model

# Bad input: the message names the file and line, the status says why.
cut -f1-9 $S >"$TMP/no-amount.tsv"
sed '/^S1-0002	1	/s/	350\.00$/	3S0.00/' $S >"$TMP/bad-amount.tsv"
sed 's/2026-04-01T10:00:00/2026-04-31T10:00:00/' $S >"$TMP/bad-ts.tsv"
sed '4s/$/\r/' $S >"$TMP/crlf.tsv"
: >"$TMP/empty.tsv"
check score-no-amount 65 scrub cv-score $A --no-model "$TMP/no-amount.tsv"
check score-bad-amount 65 scrub cv-score $A --no-model "$TMP/bad-amount.tsv"
check score-bad-ts 65 scrub cv-score $A --no-model "$TMP/bad-ts.tsv"
# A bad time is bad also on the same day as the line before it.
printf 'txn_id\tline\tts\tcustomer_id\tstore_id\tstaff_id\tchannel\tsku\tqty\tamount\na\t1\t2026-11-20T10:00:00\tC1\tS1\tA\tstore\tk\t1\t10.00\na\t2\t2026-11-20garbage!!\tC1\tS1\tA\tstore\tk\t1\t10.00\n' >"$TMP/same-day.tsv"
STDIN=$TMP/same-day.tsv
check score-bad-ts-same-day 65 cv-score $A --no-model
check score-crlf 65 scrub cv-score $A --no-model "$TMP/crlf.tsv"
STDIN=$TMP/empty.tsv
check score-empty 65 cv-score $A --no-model
check score-no-file 66 cv-score $A --no-model $T/no-such-file.tsv
check score-full-disk 74 sh -c "cv-score $A --no-model -q $S >/dev/full"
check score-out-dir-missing 73 scrub cv-score $A --no-model -q \
    -o "$TMP/no/such/dir/x.tsv" $S

H='txn_id\tline\tts\tcustomer_id\tstore_id\tstaff_id\tchannel\tsku\tqty\tamount'
# A file of 256 KiB or more is read through a read-only mapping: a row
# with an escape (the sku SKU\tX) is unescaped in a copy, not in place.
awk 'BEGIN { print "'"$H"'"
	print "e1\t1\t2026-11-01T10:00:00\tC1\tS1\t\tstore\tSKU\\tX\t1\t10.00"
	for (i = 0; i < 5000; i++)
		printf "f%d\t1\t2026-11-02T10:00:00\tC2\tS1\t\tstore\tK\t1\t1.00\n", i
}' >"$TMP/big-escape.tsv"
check score-mapped-escape 0 sh -c "cv-score $A --no-model -q \
    '$TMP/big-escape.tsv' | cut -f1,7,8"
# A NUL byte in a profile, an empty profile file.
printf 'customer_id\tname\nC1\ta\000b\n' >"$TMP/nul-members.tsv"
check score-members-nul 65 scrub cv-score $A --no-model -q \
    --members "$TMP/nul-members.tsv" $S
check score-members-empty 65 scrub cv-score $A --no-model -q \
    --members "$TMP/empty.tsv" $S
# A NUL byte in a header would cut the column's name short.
printf 'txn_id\tline\tts\tcustomer_id\000x\tstore_id\tstaff_id\tchannel\tsku\tqty\tamount\na\t1\t2026-11-20T10:00:00\tC1\tS1\tA\tstore\tk\t1\t10.00\n' >"$TMP/nul-header.tsv"
check score-header-nul 65 scrub cv-score $A --no-model "$TMP/nul-header.tsv"
# A customer's amounts that add up past the int64 range are an error, not
# a wrapped negative sum; a share of huge amounts is still a share.
awk 'BEGIN { print "'"$H"'"
	for (i = 1; i <= 11; i++)
		printf "t%d\t1\t2026-11-01T10:00:00\tC1\tS1\t\tstore\tK\t1\t8999999999999999.99\n", i
}' >"$TMP/huge.tsv"
STDIN=$TMP/huge.tsv
check score-sum-too-large 65 cv-score $A --no-model -q
printf "$H"'\nw1\t1\t2026-11-01T10:00:00\tC1\tWEB\t\tonline\tK\t1\t500000000000000.00\n' \
    >"$TMP/huge-online.tsv"
check score-online-share-huge 0 sh -c "cv-score $A --no-model -q \
    '$TMP/huge-online.tsv' | cut -f1,8,14"
# A model fitted to absurd amounts (CDNOW times 10^13) predicts values
# past the int64 range: left empty and said, never wrapped.
clv_past() {
	awk -F'\t' 'BEGIN { OFS = "\t" } NR > 1 { $10 = sprintf("%.2f",
	    $10 * 10000000000000) } { print }' "$TMP/cdnow.tsv" >"$TMP/absurd.tsv"
	cv-score -q --as-of 1997-09-30 --clv-days 36500 --discount 0 \
	    "$TMP/absurd.tsv" >"$TMP/absurd.out" 2>"$TMP/absurd.err" || return 1
	grep -q 'clv values* past 92,233,720,368,547,758.07, the most cv can hold, left empty' \
	    "$TMP/absurd.err" || return 1
	! awk -F'\t' 'NR > 1 && ($21 ~ /^-/ || $25 ~ /^-/)' "$TMP/absurd.out" |
	    grep -q .
}
assert score-model-past-int64 clv_past
# A first day of huge returns and later days of huge sales: the spend
# after the first day is past int64 though each sum is not; the spend
# model takes it without overflow.
{ cat "$TMP/cdnow.tsv"; awk 'BEGIN { OFS = "\t"
	print "x0", 1, "1997-02-01T10:00:00", "X", "", "", "store", "", 1, "1.00"
	for (i = 1; i <= 10; i++)
		print "r" i, 1, "1997-02-01T11:00:00", "X", "", "", "store", "",
		    -1, "-8999999999999999.99"
	for (i = 1; i <= 20; i++)
		print "s" i, 1, "1997-02-0" (i <= 10 ? 2 : 3) "T10:00:00", "X",
		    "", "", "store", "", 1, "8999999999999999.99"
}'; } >"$TMP/repeat-huge.tsv"
check score-repeat-spend-huge 0 sh -c "cv-score -q --as-of 1997-09-30 \
    '$TMP/repeat-huge.tsv' | awk -F'\t' '\$1 == \"X\"' | cut -f1,6,8,11"

# An exchange on the first visit day: the item handed back before (P) or
# after (Q) the new sale.  The first day's net is 0 either way, so both
# have the same spend model figures; P lost its return when the return was
# read first.  The same lines shuffled in a file (read twice for the
# customers out of day order) give the same figures too.
{ cat "$TMP/cdnow.tsv"; awk 'BEGIN { OFS = "\t"
	print "p0", 1, "1997-03-01T09:00:00", "P", "", "", "store", "", -1, "-50.00"
	print "p1", 1, "1997-03-01T10:00:00", "P", "", "", "store", "", 1, "50.00"
	print "p2", 1, "1997-04-01T10:00:00", "P", "", "", "store", "", 1, "200.00"
	print "q1", 1, "1997-03-01T10:00:00", "Q", "", "", "store", "", 1, "50.00"
	print "q2", 1, "1997-03-01T11:00:00", "Q", "", "", "store", "", -1, "-50.00"
	print "q3", 1, "1997-04-01T10:00:00", "Q", "", "", "store", "", 1, "200.00"
	print "r3", 1, "1997-04-01T10:00:00", "R", "", "", "store", "", 1, "200.00"
	print "r1", 1, "1997-03-01T10:00:00", "R", "", "", "store", "", 1, "50.00"
	print "r0", 1, "1997-03-01T09:00:00", "R", "", "", "store", "", -1, "-50.00"
	print "r9", 1, "1997-02-01T09:00:00", "R", "", "", "store", "", -1, "-10.00"
}'; } >"$TMP/first-day.tsv"
check score-first-day-order 0 sh -c "cv-score -q --as-of 1997-09-30 \
    '$TMP/first-day.tsv' | awk -F'\t' '\$1 ~ /^[PQR]\$/' | cut -f1,2,8,21,24"

# A stream is read on two threads that pass the lines on in batches of a
# thousand: the CDNOW master file (69,659 lines, 23,570 customers) gives
# the same answers in day order, reversed in a file (every customer out of
# day order, read again) and reversed on a pipe (read once).
{ head -1 "$TMP/master.tsv"; tail -n +2 "$TMP/master.tsv" | tac; } \
    >"$TMP/master-rev.tsv"
cv-score -q --as-of 1997-09-30 "$TMP/master.tsv" >"$TMP/master-fwd.out"
assert score-batches-reversed-file sh -c "cv-score -q --as-of 1997-09-30 \
    '$TMP/master-rev.tsv' | cmp - '$TMP/master-fwd.out'"
assert score-batches-reversed-pipe sh -c "cat '$TMP/master-rev.tsv' |
    cv-score -q --as-of 1997-09-30 | cmp - '$TMP/master-fwd.out'"
# A bad line far into the second file, and a sum past the int64 range far
# into the first while the second is being read: each message names its
# own file and line, the first bad line of the input.
awk -F'\t' 'BEGIN { OFS = "\t" } NR == 5001 { $10 = "12.3.4" } { print }' \
    "$TMP/master.tsv" >"$TMP/late-bad.tsv"
check score-late-bad-amount 65 scrub cv-score -q --as-of 1997-09-30 \
    --no-model "$TMP/master.tsv" "$TMP/late-bad.tsv"
awk 'BEGIN { print "'"$H"'"
	for (i = 1; i <= 5000; i++)
		printf "f%d\t1\t2026-11-01T10:00:00\tF%d\tS1\t\tstore\tK\t1\t1.00\n", i, i
	for (i = 1; i <= 11; i++)
		printf "t%d\t1\t2026-11-01T10:00:00\tC1\tS1\t\tstore\tK\t1\t8999999999999999.99\n", i
}' >"$TMP/late-huge.tsv"
check score-late-sum-too-large 65 scrub cv-score $A --no-model -q \
    "$TMP/late-huge.tsv" "$TMP/late-bad.tsv"

# Once adding a line fails, nothing after it is read: a FIFO named after
# the failing file, with no writer, is never opened (the run would wait
# for ever), and a terminal is shown no count of lines past the failure.
# On a terminal the count shows every 1,048,576 lines.
mkfifo "$TMP/nofifo"
check score-fail-before-fifo 65 scrub timeout 60 cv-score $A --no-model -q \
    "$TMP/late-huge.tsv" "$TMP/nofifo"
awk 'BEGIN { print "'"$H"'"
	for (i = 1; i <= 1048000; i++)
		printf "f%d\t1\t2026-11-01T10:00:00\tF%d\tS1\t\tstore\tK\t1\t1.00\n", i, i % 5000
	for (i = 1; i <= 11; i++)
		printf "t%d\t1\t2026-11-01T10:00:00\tC1\tS1\t\tstore\tK\t1\t8999999999999999.99\n", i
	for (i = 1; i <= 5000; i++)
		printf "g%d\t1\t2026-11-01T10:00:00\tG%d\tS1\t\tstore\tK\t1\t1.00\n", i, i
}' >"$TMP/progress-huge.tsv"
grep -v '	C1	' "$TMP/progress-huge.tsv" >"$TMP/progress.tsv"
check score-progress-fails 65 scrub script -qec "cv-score $A --no-model -q \
    '$TMP/progress-huge.tsv' >/dev/null" /dev/null
check score-progress 0 scrub script -qec "cv-score $A --no-model -q \
    '$TMP/progress.tsv' >/dev/null" /dev/null

# Files the user names are read one after another (only a store's are
# opened ahead, see db.sh): a gzip file cut short after a file whose last
# line is bad still reports the bad line first; gzip and plain files in
# turn read as the files joined.
{ cat $S; printf 'z1\t1\t2026-11-20T10:00:00\tC9\tS1\t\tstore\tK\t1\t1,0.0\n'; } \
    >"$TMP/last-bad.tsv"
gzip -c "$TMP/master.tsv" | head -c 20000 >"$TMP/cut.tsv.gz"
check score-ahead-order 65 scrub cv-score -q --as-of 1997-09-30 --no-model \
    "$TMP/last-bad.tsv" "$TMP/cut.tsv.gz"
check score-ahead-cut 65 scrub cv-score -q --as-of 1997-09-30 --no-model \
    "$TMP/master.tsv" "$TMP/cut.tsv.gz" "$TMP/master.tsv"
head -30001 "$TMP/master.tsv" | gzip -c >"$TMP/m1.tsv.gz"
{ head -1 "$TMP/master.tsv"; sed -n '30002,50001p' "$TMP/master.tsv"; } \
    >"$TMP/m2.tsv"
{ head -1 "$TMP/master.tsv"; tail -n +50002 "$TMP/master.tsv"; } | gzip -c \
    >"$TMP/m3.tsv.gz"
assert score-ahead-joined sh -c "cv-score -q --as-of 1997-09-30 \
    '$TMP/m1.tsv.gz' '$TMP/m2.tsv' '$TMP/m3.tsv.gz' |
    cmp - '$TMP/master-fwd.out'"


# An id many buyers share (a walk-in card the POS does not mark as such)
# can have more receipts than the largest block of a customer's receipts
# holds (65,535).  Its facts are those awk counts (a receipt of returns
# only is no order, a day of returns only no visit) read from a pipe, where
# every receipt is kept, and from a file: days going backwards (the
# receipts are gathered by a second pass), and 70,000 receipts on one day
# in day order (the day's list), then a day of 10, another of 70,000, and
# an earlier day (a second pass).  Receipts are told apart by a 31-bit
# hash: the ids of the second stream are chosen so that no two of a day
# share one (with other ids an order or two would be missing; see
# cv-score(1)).
awk 'BEGIN { print "'"$H"'"
	for (i = 0; i < 70000; i++) {
		d = 304 - int(i / 230)
		ts = sprintf("2025-%02d-%02dT10:00:00", 1 + int(d / 28), 1 + d % 28)
		if (i % 10 == 0) {
			printf "W%d\t1\t%s\t88888888\tS%d\tA%d\tstore\tK\t-1\t-5.00\n", i, ts, i % 3, i % 7
			continue
		}
		printf "W%d\t1\t%s\t88888888\tS%d\tA%d\tstore\tK\t1\t5.00\n", i, ts, i % 3, i % 7
		if (i % 3 == 0)
			printf "W%d\t2\t%s\t88888888\tS%d\tA%d\tstore\tL\t-1\t-1.00\n", i, ts, i % 3, i % 7
	}
	printf "V1\t1\t2025-06-01T10:00:00\tC2\tS1\t\tstore\tK\t1\t2.00\n"
}' >"$TMP/shared-id.tsv"
awk 'BEGIN { print "'"$H"'"
	for (i = 0; i < 70000; i++)
		printf "mD%d\t1\t2025-03-01T10:00:00\t88888888\tS1\t\tstore\tK\t1\t%s\n", i, i % 9 == 0 ? "0.00" : "3.00"
	for (i = 0; i < 10; i++)
		printf "mE%d\t1\t2025-03-02T10:00:00\t88888888\tS2\t\tstore\tK\t1\t3.00\n", i
	for (i = 0; i < 70000; i++) {
		printf "mF%d\t1\t2025-03-03T10:00:00\t88888888\tS1\t\tstore\tK\t-1\t-1.00\n", i
		if (i % 4)
			printf "mF%d\t2\t2025-03-03T10:00:00\t88888888\tS1\t\tstore\tK\t1\t2.00\n", i
	}
}' >"$TMP/shared-day.tsv"
{ cat "$TMP/shared-day.tsv"
  printf 'mG1\t1\t2025-02-01T10:00:00\t88888888\tS1\t\tstore\tK\t1\t3.00\n'
} >"$TMP/shared-back.tsv"
# shared_id FILE: awk's facts of 88888888 in FILE, and cv-score's from the
# file and from a pipe, all three the same.
shared_id() {
	awk -F'\t' 'NR > 1 && $4 == "88888888" {
		if ($9 > 0) { o[$5 " " $1] = 1; v[substr($3, 1, 10)] = 1 }
		else { r++; ra += -$10 }
		m += $10
	}
	END {
		for (k in o) no++
		for (k in v) nv++
		printf "88888888\t%d\t%d\t%.2f\t%d\t%.2f\n", nv, no, m, r, ra
	}' "$1" >"$TMP/shared-id.want"
	cv-score -q --as-of 2026-01-01 --no-model "$1" |
	    awk -F'\t' '$1 == "88888888"' | cut -f1,6-8,10,11 \
	    >"$TMP/shared-file.out" &&
	cv-score -q --as-of 2026-01-01 --no-model <"$1" |
	    awk -F'\t' '$1 == "88888888"' | cut -f1,6-8,10,11 \
	    >"$TMP/shared-pipe.out" &&
	cat "$TMP/shared-id.want" &&
	cmp "$TMP/shared-id.want" "$TMP/shared-file.out" &&
	cmp "$TMP/shared-id.want" "$TMP/shared-pipe.out"
}
assert score-shared-id shared_id "$TMP/shared-id.tsv"
assert score-shared-id-day shared_id "$TMP/shared-day.tsv"
assert score-shared-id-back shared_id "$TMP/shared-back.tsv"
# Stores and assistants are kept per customer up to 65,535 together: past
# that the run stops, naming the customer and the line.
awk 'BEGIN { print "'"$H"'"
	for (i = 1; i <= 33000; i++)
		printf "P%d\t1\t2026-11-01T10:00:00\t13800000001\tS%d\tA%d\tstore\tK\t1\t1.00\n", i, i, i
}' >"$TMP/parties.tsv"
check score-too-many-parties 70 scrub cv-score $A --no-model -q \
    "$TMP/parties.tsv"
# A return (negative quantity) with a positive amount would raise spend:
# a malformed line.  A date past the last day the counts hold names the
# range.  A members file without customer_id names the file.
H='txn_id\tline\tts\tcustomer_id\tstore_id\tstaff_id\tchannel\tsku\tqty\tamount'
printf "$H\na\t1\t2026-11-20T10:00:00\tC1\tS1\tA\tstore\tk\t-1\t10.00\n" >"$TMP/qneg.tsv"
check score-return-positive 65 scrub cv-score -q $A "$TMP/qneg.tsv"
printf "$H\na\t1\t2149-12-31T10:00:00\tC1\tS1\tA\tstore\tk\t1\t10.00\n" >"$TMP/far.tsv"
check score-date-far 65 scrub cv-score -q $A "$TMP/far.tsv"
printf 'member\tname\nC1\tx\n' >"$TMP/noid.tsv"
check score-members-no-id 65 scrub cv-score -q $A --members "$TMP/noid.tsv" $S
# A members stream with a bad header is named, as a sales stream is.
printf 'customer_id\tname\r\nC1\tBob\r\n' >"$TMP/mcrlf.tsv"
check score-members-crlf 65 scrub cv-score -q $A --members "$TMP/mcrlf.tsv" $S

# Bad options.
check score-usage-as-of 64 cv-score --as-of 2026-13-01 $S
check score-usage-r-cuts-three 64 cv-score $A --r-cuts 1,2,3 $S
check score-usage-r-cuts-falling 64 cv-score $A --r-cuts 4,3,2,1 $S
check score-usage-m-cuts 64 cv-score $A --m-cuts 1,2,x,4 $S
# Money cut points may be 0 or negative (a net returner scores 1).
check score-m-cuts-negative 0 sh -c "cv-score -q $A --no-model --m-cuts=-100,0,100,200 $S |
    awk -F'\t' 'NR > 1 { print \$17, \$8 }' | sort -k1,1n -k2,2n | awk '!seen[\$1]++'"
check score-usage-grade-cuts 64 cv-score $A --grade-cuts 95,80 $S
check score-usage-grade-cuts-nan 64 cv-score $A --grade-cuts nan,95 $S
check score-usage-grade-cuts-tiny 64 cv-score $A --grade-cuts 0.00001,95 $S
# Decimal numbers only, as every number option reads them: not hex, not
# with a blank before, not three, not past 100.
check score-usage-grade-cuts-hex 64 cv-score $A --grade-cuts 0x50,0x5f $S
check score-usage-grade-cuts-blank 64 cv-score $A --grade-cuts ' 80,95' $S
check score-usage-grade-cuts-three 64 cv-score $A --grade-cuts 80,95,99 $S
check score-usage-grade-cuts-over 64 cv-score $A --grade-cuts 80,101 $S
check score-usage-r-cuts-huge 64 cv-score $A --r-cuts 0,11,20,4294967296 $S
check score-usage-as-of-far 64 cv-score --as-of 2200-01-01 $S
check score-usage-discount-10 64 cv-score $A --discount 10 $S
check score-usage-frequency 64 cv-score $A --frequency weekly $S
check score-usage-since-after 64 cv-score $A --since 2026-11-22 $S
check score-usage-since-window 64 cv-score $A --since 2026-01-01 --window 30 $S
check score-usage-window 64 cv-score $A --window 0 $S
check score-usage-params-no-model 64 cv-score $A --params "$TMP/p.tsv" \
    --no-model $S
check score-usage-time-unit 64 cv-score $A --time-unit month $S
check score-usage-option 64 cv-score --frobnicate $S
check score-usage-horizon 64 cv-score $A --horizon x $S
check score-usage-discount-negative 64 cv-score $A --discount -1 $S
check score-usage-discount-pct 64 cv-score $A --discount -1% $S
check score-usage-discount-hex 64 cv-score $A --discount 0x1 $S
check score-usage-db-files 64 cv-score --db "$TMP/cvdb" $A $S
check score-version-full 74 sh -c 'cv-score --version >/dev/full'
# Several streams must share one header; standard input is named so.
sed '1s/amount/amt/' $S >"$TMP/amt.tsv"
STDIN=$S check score-header-differs 65 scrub cv-score $A - "$TMP/amt.tsv"
# A row with more fields than the header, a column named twice, an id
# past 255 bytes: each a data error naming the line.
awk 'NR == 3 { $0 = $0 "\tx\ty" } { print }' $S >"$TMP/more.tsv"
check score-more-fields 65 scrub cv-score $A "$TMP/more.tsv"
sed '1s/amount/customer_id/' $S >"$TMP/twice.tsv"
check score-column-twice 65 scrub cv-score $A "$TMP/twice.tsv"
awk -F '\t' -v OFS='\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "customer_id") c = i }
    NR == 2 { $c = sprintf("%0300d", 7) } { print }' $S >"$TMP/longid.tsv"
check score-id-too-long 65 scrub cv-score $A "$TMP/longid.tsv"
check score-help 0 cv-score --help
check score-version 0 cv-score --version

finish
