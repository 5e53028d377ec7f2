#!/bin/sh
# Golden tests of cv-segment: the three built-in sets in English and
# Chinese on customers placed on every edge of their rules, several sets at
# once, --explain, --split, --check, the summary, the rule language through
# rule files (precedence, missing values, patterns, dates, exact decimals,
# layout), every error with its position and exit status, and a property
# test over random customer streams.
. "$(dirname "$0")/lib.sh"

T=testdata
A="--as-of 2026-11-21"
C=$T/seg-customers.tsv

# The customer and the columns cv-segment added (seg-customers.tsv has 35
# columns), keeping cv-segment's exit status.
added() {
	_s=0
	cv-segment "$@" >"$TMP/added" || _s=$?
	cut -f1,36- "$TMP/added"
	return $_s
}

# seg-customers.tsv, as of 2026-11-21.  The customer ids say what each
# row is for:
#   R<r><f><m>  one RFM cell: the corners of every range of the table in
#       cv-segment(1) and the cells just outside them (555 554 545 455,
#       332 335 552, 222 424 244 232, 313 425 415, 411 525 531 421, 134
#       245 135 144, 124 255 154 125, 133 253 153 143, 211 331 214 231 312
#       221, 111 152 115 151), and the ten cells the R package leaves to
#       Others (215 241 251 252 341 351 441 451 541 551), which the last
#       two rules name Loyal Customers and About To Sleep (215);
#   R---  no scores at all, R-55  r_score missing: both Others;
#   Q-*   quadrant high, potential, secondary, low, empty, and "High"
#         (text is compared byte by byte, so it is Unrated);
#   L-*   lifecycle, each just inside and just outside a threshold:
#     L-t90 L-t91 L-t90-busy   tenure 90 is new (with any visits), 91 not;
#     L-g60-r90 .. r481        gap g = 120 / (3 - 1) = 60: active up to
#                              1.5g = 90, cooling 150, lapsing 240,
#                              lapsed 480, then lost;
#     L-g15-r45 .. r241        raw gap 60 / 4 = 15 is held at 30: active
#                              up to 45 (not 22.5), lapsed up to 240;
#     L-g500-r547 .. r1461     raw gap 500 is held at 365: active up to
#                              547.5 (not 750), lapsing up to 1460, and
#                              lost after (lapsed stops at 730);
#     L-g100-r730 r731         gap 100: 8g = 800, but lapsed stops at 730;
#     L-g61-r91 r92            gap 61: 1.5g = 91.5;
#     L-one-r180 .. r731       one visit: cooling up to 180, lapsing 365,
#                              lapsed 730, then lost;
#     L-join-90 L-join-91      no visit, joined 90 and 91 days ago: new,
#                              lost; L-join-none  no visit, no join date:
#                              lost; L-returns  returns only, joined 20
#                              days ago: new.
# Names are Chinese and English; birthdays include 2000-02-29, 2004-02-29,
# --05-20 and --12-25 (no year) and empty ones; p_alive is empty where
# there is no model (R---, Q-empty, the members without a visit).

# Each built-in set, with every column passed through and the summary.
check seg-rfm 0 cv-segment $A $C
check seg-rfm-zh 0 added $A --lang zh --set rfm $C
check seg-quadrant 0 added $A --set quadrant $C
check seg-quadrant-zh 0 added $A --set quadrant --lang zh $C
check seg-lifecycle 0 added $A --set lifecycle $C
check seg-lifecycle-zh 0 added $A --lang zh --set lifecycle $C
# Without a join_date column (column 30) a member without a visit is lost.
check seg-lifecycle-no-join 0 sh -c "cut -f1-29,31- $C |
    cv-segment -q $A --set lifecycle | awk -F'\t' '{ print \$1 \"\t\" \$NF }'"
# Scores outside 1..5 (deciles, a 0) are in no range of the table:
# Others, as a row without scores is.  The last two, in range, are named.
printf 'r_score\tf_score\tm_score\n6\t5\t1\n4\t6\t0\n5\t5\t0\n2\t4\t0\n2\t1\t6\n0\t1\t1\n5\t5\t1\n2\t1\t5\n' \
    >"$TMP/rfm-range.tsv"
check seg-rfm-out-of-range 0 cv-segment -q $A "$TMP/rfm-range.tsv"
# The input comes back unchanged, with one column more.
pass_through() {
	cv-segment -q $A $C | cut -f1-35 | cmp - $C
}
assert seg-pass-through pass_through

# Several sets at once: default column names segment_<set or rule file>,
# or the names given with --column (the man page's example).
check seg-several 0 cv-segment $A --set rfm --set quadrant --set lifecycle $C
check seg-several-named-zh 0 added $A --lang zh --set rfm --column rfm_segment \
    --set quadrant --column 价值象限 --set lifecycle --column 生命周期 $C
check seg-several-rule-file 0 added -q $A --rules $T/seg-layout.rules \
    --set rfm --column 'RFM 分群' $C

# --explain: after each segment column, the rule that matched, as one line
# (continuation lines joined, comments dropped); one name may come from two
# rules.
check seg-explain 0 added $A --explain --rules $T/seg-layout.rules \
    --set lifecycle $C
check seg-explain-rfm 0 added -q $A --explain --set rfm --lang zh $C

# The summary: -q drops it; without value_now (column 20) it sums monetary;
# several inputs are one stream.
check seg-quiet 0 added -q $A --set quadrant $C
check seg-summary-monetary 0 sh -c "cut -f1-19,21- $C |
    cv-segment $A --set quadrant >/dev/null"
check seg-two-inputs 0 sh -c "cv-segment $A --set quadrant $C - <$C | wc -l"
check seg-header-only 0 sh -c "head -1 $C | cv-segment $A --set quadrant"
# An empty file: the message names it.
: >"$TMP/empty.tsv"
check seg-empty 65 scrub cv-segment $A --set quadrant "$TMP/empty.tsv"
# The summary adds up value_now: a value that is not money stops the run.
printf 'customer_id\tquadrant\tvalue_now\nC1\thigh\t10.00\nC2\thigh\tabc\n' >"$TMP/notmoney.tsv"
check seg-value-not-money 65 scrub cv-segment $A --set quadrant "$TMP/notmoney.tsv"
# In the summary the counts of each set add up to the rows read, and so
# do the values, to value_now's total in cents.
summary_adds_up() {
	cv-segment $A --set rfm --set quadrant --set lifecycle $C \
	    2>"$TMP/sum.err" >/dev/null || return
	awk -v total="$(awk -F'\t' 'NR > 1 { sub(/\./, "", $20); s += $20 }
	    END { print s }' $C)" '
	function cents(v) { sub(/\./, "", v); return v + 0 }
	/^cv-segment: / { sets++; if ($3 != 91 || cents($NF) != total) bad++
		next }
	{ n[sets] += $(NF - 2); v[sets] += cents($NF) }
	END {
		for (i = 1; i <= 3; i++)
			if (n[i] != 91 || v[i] != total) bad++
		exit !(sets == 3 && !bad)
	}' "$TMP/sum.err"
}
assert seg-summary-adds-up summary_adds_up

# The rule language.  Truth tables over a and b in 1 (true), 0 (false),
# missing (unknown), and a=2 with b missing: three-valued and, or, not,
# in, not in, between, is empty.
check seg-truth 0 cv-segment -q $A \
    --rules $T/seg-truth-and.rules --column 'a = 1 and b = 1' \
    --rules $T/seg-truth-or.rules --column 'a = 1 or b = 1' \
    --rules $T/seg-truth-not.rules --column 'not a = 1' \
    --rules $T/seg-truth-in.rules --column 'a in (b, 1)' \
    --rules $T/seg-truth-notin.rules --column 'a not in (b, 1)' \
    --rules $T/seg-truth-between.rules --column 'a between b and 1' \
    --rules $T/seg-truth-empty.rules --column 'a is empty or b is not empty' \
    $T/seg-kleene.tsv
# One case a row: the segment is the case's name when the answer is the
# one the man page gives, else WRONG.
check seg-precedence 0 cv-segment -q $A --rules $T/seg-precedence.rules \
    $T/seg-precedence.tsv
check seg-numbers 0 cv-segment -q $A --rules $T/seg-numbers.rules \
    $T/seg-numbers.tsv
check seg-text 0 cv-segment -q $A --rules $T/seg-text.rules $T/seg-text.tsv
# A chain of operators as long as a generated rule makes: 2000 is taken,
# 50000 is refused with its position (the evaluator recursed along the
# chain and overflowed the stack).
chain() {
	awk -v n="$1" 'BEGIN { printf "long:"; for (i = 0; i < n; i++)
	    printf "%s customer_id = \"C%d\"", i ? " or" : "", i; print ""
	    print "other: *" }' >"$TMP/chain.rules"
}
chain 2000
check seg-chain-ok 0 sh -c "cv-segment -q $A --rules $TMP/chain.rules $C | wc -l"
chain 50000
check seg-chain-long 64 scrub cv-segment -q $A --rules $TMP/chain.rules $C
# The limits cv-segment(1) gives, exactly: 4000 operators on one path
# (3999 'or' and the comparison under them; the values are not operators)
# and 200 levels of parentheses or 'not' are taken, one more is refused.
chain 4000
check seg-chain-4000 0 sh -c "cv-segment -q $A --rules $TMP/chain.rules $C | wc -l"
chain 4001
check seg-chain-4001 64 scrub cv-segment -q $A --rules $TMP/chain.rules $C
nest() {
	awk -v n="$1" -v o="$2" -v c="$3" 'BEGIN { printf "deep: "
	    for (i = 0; i < n; i++) printf "%s", o; printf "r_score > 0"
	    for (i = 0; i < n; i++) printf "%s", c; print ""
	    print "other: *" }' >"$TMP/nest.rules"
}
nest 200 '(' ')'
check seg-nest-200 0 sh -c "cv-segment -q $A --rules $TMP/nest.rules $C | wc -l"
nest 201 '(' ')'
check seg-nest-201 64 scrub cv-segment -q $A --rules $TMP/nest.rules $C
nest 200 'not ' ''
check seg-not-200 0 sh -c "cv-segment -q $A --rules $TMP/nest.rules $C | wc -l"
nest 201 'not ' ''
check seg-not-201 64 scrub cv-segment -q $A --rules $TMP/nest.rules $C
# A quoted literal among coalesce(), min() or max() arguments is text as a
# field's is: read as a number against a number.  (It was kept a quoted
# string, which cannot meet a number: the comparison was unknown, and
# the rows without p_alive or r_score fell through to 'other'.)
check seg-literal-args 0 added -q $A --rules $T/seg-literal-args.rules $C
check seg-dates 0 cv-segment -q $A --rules $T/seg-dates.rules $T/seg-dates.tsv
# age() and days_until_birthday() at seven as-of dates around 29 February
# and a year-end: each row of seg-birthdays.tsv is read at its own as_of.
birthdays() {
	for d in 2026-11-21 2027-02-27 2027-02-28 2027-03-01 2028-02-28 \
	    2028-02-29 2027-11-22; do
		awk -F'\t' -v d=$d 'NR == 1 || $1 == d' \
		    $T/seg-birthdays.tsv |
		    cv-segment -q --as-of $d --rules $T/seg-birthday.rules ||
		    return
	done
}
check seg-birthdays 0 birthdays
# A missing last_date matches neither "last_date < 2026-01-01" nor its
# negation; there is no catch-all, so those rows get an empty field.
check seg-missing 0 added -q $A --rules $T/seg-missing.rules $C

# --split: one stream per segment of the first set, named after it
# (blanks become '-'); nothing on standard output without -o; the folder
# holds the finished files only (no temporary file left).
split_run() {
	_s=0
	cv-segment "$@" >"$TMP/split.out" || _s=$?
	echo "stdout: $(wc -c <"$TMP/split.out") bytes"
	[ -d "$TMP/split" ] || echo "no folder"
	ls -A "$TMP/split" 2>/dev/null | while read -r f; do
		echo "== $f"
		cat "$TMP/split/$f"
	done
	rm -rf "$TMP/split"
	return $_s
}
# Segment names with a blank, an apostrophe and Chinese characters.
check seg-split 0 split_run $A --rules $T/seg-split.rules --split $TMP/split $C
split_count() {
	_s=0
	cv-segment "$@" >"$TMP/split.out" || _s=$?
	echo "stdout: $(wc -l <"$TMP/split.out") lines"
	(cd "$TMP/split" && ls -A | while read -r f; do
		echo "$f: $(wc -l <"$f") lines, $(cut -f1 "$f" |
		    tail -n +2 | tr '\n' ' ')"
	done)
	rm -rf "$TMP/split"
	return $_s
}
# A full disk on one --split file: it and the files after it are not
# replaced (named in one message), the ones before are whole.
check seg-split-full 74 scrub sh -c "CV_TEST_ENOSPC_AFTER=6000 cv-segment -q \
    $A --split $TMP/full --set rfm $C; s=\$?; ls -A $TMP/full; exit \$s"
# The first set splits; every file has all the columns of both sets.
check seg-split-rfm 0 split_count -q $A --split $TMP/split --set rfm \
    --set quadrant $C
check seg-split-header 0 sh -c "cv-segment -q $A --split $TMP/s --set rfm \
    --set quadrant $C && head -1 $TMP/s/Champions.tsv | tr '\t' '\n' | tail -3"
check seg-split-zh 0 split_count -q $A --lang zh --split $TMP/split \
    --set lifecycle $C
# With -o the whole stream is written as well.
check seg-split-and-o 0 split_count -q $A --split $TMP/split -o - \
    --set quadrant $C
# A run killed with more --split files open than 1024 (one per segment)
# removes every temporary file, not only the first 1024.  Killed by
# SIGPIPE: stdout is read by a command that stops after 6 bytes, and
# stdout is first written (256 KiB) after the --split files are open.
awk 'BEGIN { for (i = 0; i < 1100; i++) print "s" i ": a = " i
    print "rest: *" }' >"$TMP/many.rules"
awk 'BEGIN { print "a"; for (i = 0; i < 200000; i++) print i % 1200 }' \
    >"$TMP/many.tsv"
split_killed() {
	mkdir "$TMP/many"
	(ulimit -n 4096 && env --default-signal=PIPE cv-segment -q \
	    --rules "$TMP/many.rules" --split "$TMP/many" -o - \
	    "$TMP/many.tsv") | head -c 6
	echo
	echo "left behind: $(ls -A "$TMP/many" | wc -l) files"
}
check seg-split-killed-many 0 split_killed
# Rows that no rule names are in no file.
check seg-split-no-catchall 0 split_count -q $A --split $TMP/split \
    --rules $T/seg-missing.rules $C
# A bad record: no file is left, not even a temporary one, nor the
# folder made for the run.
check seg-split-bad-input 65 split_run -q $A --split $TMP/split $T/seg-crlf.tsv
check seg-split-cannot-create 73 scrub cv-segment -q $A \
    --split $TMP/no/such/dir $C

# --check: the 125 RFM cells and the rule naming each.  The built-in set
# names them all; the R package's own table leaves ten to its catch-all;
# a rule file without a catch-all leaves two cells unnamed.
check seg-check 0 cv-segment --check $A
check seg-check-zh 0 cv-segment --check --lang zh $A
check seg-check-package 65 cv-segment --check $A --rules $T/seg-rfm-package.rules
check seg-check-no-catchall 65 cv-segment --check $A --rules $T/seg-top-cells.rules
check seg-check-output 0 sh -c "cv-segment -q --check $A -o $TMP/cells.tsv &&
    wc -l <$TMP/cells.tsv && grep -c Champions $TMP/cells.tsv"

# Errors in rule files: the message, file:line:column, exit status 64.
check seg-err-column 64 cv-segment $A --rules $T/seg-err-column.rules $C
check seg-err-function 64 cv-segment $A --rules $T/seg-err-function.rules $C
check seg-err-args 64 cv-segment $A --rules $T/seg-err-args.rules $C
check seg-err-string 64 cv-segment $A --rules $T/seg-err-string.rules $C
check seg-err-regex 64 cv-segment $A --rules $T/seg-err-regex.rules $C
check seg-err-garbage 64 cv-segment $A --rules $T/seg-err-garbage.rules $C
check seg-err-empty 64 cv-segment $A --rules $T/seg-err-empty.rules $C
check seg-err-after-catchall 64 cv-segment $A \
    --rules $T/seg-err-after-catchall.rules $C
check seg-err-paren 64 cv-segment $A --rules $T/seg-err-paren.rules $C
# Each mistake of the rule language, through the command: where it is,
# what is wrong, status 64.
rule_err() {
	printf '%s\n' "$1" >"$TMP/err.rules"
	scrub cv-segment $A --rules "$TMP/err.rules" $C
}
check seg-err-nameless 64 rule_err ": grade = 'A'"
check seg-err-open-paren 64 rule_err "x: (recency_days > 1"
check seg-err-non-ascii-column 64 rule_err "x: 城市 = 'a'"
check seg-err-bang 64 rule_err "x: ! grade = 'A'"
check seg-err-leading-dot 64 rule_err "x: recency_days > .5"
check seg-err-ampersand 64 rule_err "x: grade = 'A' & frequency > 1"
check seg-err-backquote 64 rule_err 'x: `grade = 1'
check seg-err-bad-date 64 rule_err "x: last_date > 2026-13-01"
check seg-err-bad-number 64 rule_err "x: monetary > 1.2.3"
check seg-err-long-number 64 rule_err \
    "x: monetary > 123456789012345678901234567890"
check seg-err-value-alone 64 rule_err "x: grade"
check seg-err-not-number 64 rule_err "x: not 3"
check seg-err-condition-sum 64 rule_err "x: (grade = 'A') + 1 > 0"
check seg-err-close-paren 64 rule_err "x: )"
check seg-err-arg-comma 64 rule_err "x: days_since(last_date 1) > 3"
check seg-err-arg-count 64 rule_err "x: round(1,2,3) > 0"
check seg-err-negate-text 64 rule_err "x: -'a' = 1"
check seg-err-missing-and 64 rule_err "x: grade = 'A' grade"
check seg-err-between 64 rule_err "x: frequency between 1"
check seg-err-match-pattern 64 rule_err "x: grade ~"
# Rule files are read and checked before the input is opened: a missing
# rule file (66) or a mistake that needs no header (64) is told at once,
# not after the input's header (after the whole upstream command in a
# pipeline, never on a terminal).  Here the input is missing, or stdin is
# empty: before, that was the error told.  An unknown column needs the
# header, and so does a function's name that may be a column.
printf "x: grade = 'abc\n" >"$TMP/early.rules"
printf "x: nosuch = 1\n" >"$TMP/early-col.rules"
printf "x: grade(1) = 1\n" >"$TMP/early-func.rules"
check seg-early-missing-rules 66 scrub cv-segment $A \
    --rules "$TMP/no-such.rules" "$TMP/no-such.tsv"
check seg-early-syntax 64 scrub cv-segment $A --rules "$TMP/early.rules" \
    "$TMP/no-such.tsv"
check seg-early-syntax-stdin 64 scrub cv-segment $A \
    --rules "$TMP/early.rules"
check seg-early-second-set 64 scrub cv-segment $A --set rfm \
    --rules "$TMP/early.rules" "$TMP/no-such.tsv"
check seg-early-column 66 scrub cv-segment $A --rules "$TMP/early-col.rules" \
    "$TMP/no-such.tsv"
check seg-early-function 66 scrub cv-segment $A \
    --rules "$TMP/early-func.rules" "$TMP/no-such.tsv"
check seg-early-function-column 64 scrub cv-segment $A \
    --rules "$TMP/early-func.rules" $C
# A rule that meets text where it needs a number or a date is unknown
# there, like a missing value, but the run names it with its row count.
printf 'lapsed: days_since(grade) > 90\nsums: monetary * 2 > 100 or grade = 1\nfine: frequency >= 1\n' \
    >"$TMP/misfit.rules"
check seg-misfit-warning 0 scrub cv-segment $A --rules "$TMP/misfit.rules" $C
check seg-err-fullwidth 64 cv-segment $A --rules $T/seg-err-fullwidth.rules $C
check seg-err-fullwidth-colon 64 cv-segment $A \
    --rules $T/seg-err-fullwidth-colon.rules $C
check seg-err-gbk 64 cv-segment $A --rules $T/seg-err-gbk.rules $C
check seg-err-continued 64 cv-segment $A --rules $T/seg-err-continued.rules $C
check seg-err-chain 64 cv-segment $A --rules $T/seg-err-chain.rules $C
check seg-err-types 64 cv-segment $A --rules $T/seg-err-types.rules $C
check seg-err-no-name 64 cv-segment $A --rules $T/seg-err-no-name.rules $C
check seg-err-no-rules 64 cv-segment $A --rules $T/seg-err-no-rules.rules $C
check seg-err-empty-string 64 cv-segment $A \
    --rules $T/seg-err-empty-string.rules $C
# A rule file that cannot be opened: 66.
check seg-err-no-rule-file 66 cv-segment $A --rules $T/seg-no-such.rules $C
# The error in the second of two sets is found before any row is written.
check seg-err-second-set 64 cv-segment $A --set rfm \
    --rules $T/seg-err-regex.rules $C

# Streams that do not fit: a txn stream for the built-in sets (the message
# names the set), a stream that has a segment column already (65, unless
# the new column gets another name), a CR in a record (65: the rows before
# it are written to standard output, but nothing to an -o file).
check seg-stream-not-customers 65 cv-segment $A --set lifecycle $T/score-small.tsv
check seg-stream-not-customers-rfm 65 cv-segment $A $T/score-small.tsv
# --check of a built-in set that needs a customers stream: a usage error.
check seg-check-builtin-stream 64 cv-segment --check --set quadrant
# A folder given as a rule file or an input cannot be opened (66).
check seg-rules-folder 66 cv-segment $A --rules $T $C
check seg-input-folder 66 cv-segment $A $T
# A first column whose name holds an escape keeps it: the output is a
# stream the next cv-segment reads.
printf 'a\\\\b\tr_score\tf_score\tm_score\nx\t5\t5\t5\n' >"$TMP/esc-first.tsv"
check seg-first-col-escaped 0 sh -c "cv-segment -q $A $TMP/esc-first.tsv |
    cv-segment -q $A --column s2"
check seg-stream-has-segment 65 sh -c "cv-segment -q $A $C | cv-segment $A"
check seg-stream-has-segment-named 0 sh -c "cv-segment -q $A $C |
    cv-segment -q $A --set quadrant --column segment_quadrant | cut -f1,36- |
    head -3"
check seg-stream-has-column 65 cv-segment $A --set quadrant --column name $C
check seg-crlf 65 added $A $T/seg-crlf.tsv
mkdir -p "$TMP/o"
check seg-crlf-o 65 sh -c "cv-segment $A -o $TMP/o/out.tsv $T/seg-crlf.tsv;
    s=\$?; ls -A $TMP/o; exit \$s"
check seg-no-input 66 cv-segment $A $T/seg-no-such.tsv

# Options.
check seg-usage-set 64 cv-segment $A --set nonsense $C
check seg-usage-lang 64 cv-segment $A --lang fr $C
check seg-usage-column-twice 64 cv-segment $A --set rfm --column a --column b $C
check seg-usage-column-same 64 cv-segment $A --set rfm --column a \
    --set quadrant --column a $C
check seg-usage-column-empty 64 cv-segment $A --set rfm --column '' $C
check seg-usage-check-input 64 cv-segment --check $A $C
check seg-usage-check-two-sets 64 cv-segment --check $A --set rfm --rules \
    $T/seg-rfm-package.rules
check seg-usage-option 64 cv-segment $A --frobnicate $C
# An option's error names it as typed, and says what is wrong with it.
check seg-usage-needs-value 64 cv-segment $A $C --output
check seg-usage-no-value 64 cv-segment $A --quiet=1 $C
check seg-usage-ambiguous 64 cv-segment $A --s rfm $C
check seg-usage-short 64 cv-segment $A -qx $C
check seg-usage-short-utf8 64 cv-segment $A -qé $C
check seg-usage-many-sets 64 cv-segment $A --set rfm --set rfm --set rfm \
    --set rfm --set rfm --set rfm --set rfm --set rfm --set rfm --set rfm \
    --set rfm --set rfm --set rfm --set rfm --set rfm --set rfm --set rfm $C
check seg-usage-column-before-set 64 cv-segment $A --column a --column b $C
check seg-usage-column-named 64 cv-segment $A --column a --set rfm \
    --column b $C
check seg-usage-question 64 cv-segment $A -?q $C
check seg-usage-as-of 64 cv-segment --as-of 2026-02-30 $C
check seg-help 0 cv-segment --help
check seg-version 0 cv-segment --version

# Output: a full disk (74), -o atomically (a .gz name is compressed; a
# failed write leaves nothing behind), a folder that does not exist (73).
check seg-full-disk 74 sh -c "cv-segment -q $A $C >/dev/full"
check seg-out-enospc 74 scrub sh -c "CV_TEST_ENOSPC_AFTER=2000 cv-segment -q $A \
    -o $TMP/o/out.tsv $C; s=\$?; ls -A $TMP/o; exit \$s"
check seg-out-gz 0 sh -c "gzip -c $C | cv-segment -q $A -o $TMP/o/out.tsv.gz &&
    ls -A $TMP/o && gzip -dc $TMP/o/out.tsv.gz | cut -f1,36 | head -4"
check seg-out-dir-missing 73 scrub cv-segment -q $A -o $TMP/no/dir/x.tsv $C

# Property test: random customer streams (a fixed seed per round) through
# all three built-in sets.  Each row must get exactly one non-empty segment
# per set; the rows and their columns come back unchanged; the summary's
# counts per segment are the output's and add up to the rows read, and its
# values add up; and each segment is the one the man page's tables give,
# worked out here apart: the rfm range table, the quadrant names, and the
# lifecycle table in integer arithmetic (recency <= k g as
# recency (visits - 1) <= k (tenure - recency), with g held in 30..365).
cat >"$TMP/gen.awk" <<'EOF'
function date(z,   era, doe, yoe, y, doy, mp, d, m) {
	z += 719468; era = int(z / 146097); doe = z - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
	y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
	mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
	m = mp + (mp < 10 ? 3 : -9); y += (m <= 2)
	return sprintf("%04d-%02d-%02d", y, m, d)
}
function score() { return rand() < 0.04 ? "" : 1 + int(rand() * 5) }
BEGIN {
	srand(seed); OFS = "\t"; asof = 20778	# 2026-11-21
	split("high potential secondary low", Q, " ")
	split("90 180 365 730", B1, " "); split("1.5 2.5 4 8", K, " ")
	print "customer_id", "first_date", "recency_days", "tenure_days",
	    "frequency", "r_score", "f_score", "m_score", "rfm", "quadrant",
	    "value_now", "join_date"
	n = 20 + int(rand() * 60)
	for (i = 1; i <= n; i++) {
		if (rand() < 0.1)
			r = f = m = ""
		else {
			r = score(); f = score(); m = score()
		}
		rfm = r == "" || f == "" || m == "" ? "" : r f m
		q = rand() < 0.15 ? "" : Q[1 + int(rand() * 4)]
		u = rand()
		if (u < 0.15) {
			fq = 0; rec = ten = fd = ""
		} else if (u < 0.45) {
			# One visit: often a day off a threshold.
			fq = 1
			rec = rand() < 0.5 ? int(rand() * 900) : \
			    B1[1 + int(rand() * 4)] + int(rand() * 3) - 1
			ten = rec
		} else if (u < 0.7) {
			fq = 2 + int(rand() * 12); rec = int(rand() * 1600)
			ten = rec + fq - 1 + int(rand() * (rand() < 0.5 ? 200 : 1500))
		} else {
			# A whole gap g, often outside 30..365, and a recency a
			# day off k g (or off the 730 cap).
			fq = 2 + int(rand() * 12); g = 1 + int(rand() * 450)
			h = g < 30 ? 30 : g > 365 ? 365 : g
			rec = int(K[1 + int(rand() * 4)] * h) + int(rand() * 3) - 1
			if (rand() < 0.15)
				rec = 729 + int(rand() * 3)
			ten = rec + g * (fq - 1)
		}
		fd = fq == 0 ? "" : date(asof - ten)
		jd = rand() < 0.2 ? "" : date(asof - int(rand() * 400))
		c = int(rand() * 900000) - 20000
		v = sprintf("%s%d.%02d", c < 0 ? "-" : "", (c < 0 ? -c : c) / 100,
		    (c < 0 ? -c : c) % 100)
		print sprintf("C%04d", i), fd, rec, ten, fq, r, f, m, rfm, q, v, jd
	}
}
EOF
cat >"$TMP/want.awk" <<'EOF'
function inr(v, lo, hi) { return v >= lo && v <= hi }
function rfmseg(r, f, m) {
	if (r == "" || f == "" || m == "") return "Others"
	if (r == 5 && f == 5 && m == 5) return "Champions"
	if (inr(r,3,5) && inr(f,3,5) && inr(m,2,5)) return "Potential Loyalist"
	if (inr(r,2,4) && inr(f,2,4) && inr(m,2,4)) return "Loyal Customers"
	if (inr(r,3,4) && inr(f,1,3) && inr(m,3,5)) return "Promising"
	if (inr(r,4,5) && inr(f,1,3) && inr(m,1,5)) return "New Customers"
	if (inr(r,1,2) && inr(f,3,4) && inr(m,4,5)) return "Can't Lose Them"
	if (inr(r,1,2) && inr(f,2,5) && inr(m,4,5)) return "At Risk"
	if (inr(r,1,3) && inr(f,3,5) && inr(m,3,5)) return "Need Attention"
	if (inr(r,2,3) && inr(f,1,3) && inr(m,1,4)) return "About To Sleep"
	if (r == 1) return "Lost"
	if (inr(r,2,5) && inr(f,4,5) && inr(m,1,2)) return "Loyal Customers"
	if (r == 2 && f == 1 && m == 5) return "About To Sleep"
	return "Others"
}
function quad(q) {
	if (q == "high") return "High value"
	if (q == "potential") return "Potential"
	if (q == "secondary") return "Secondary"
	if (q == "low") return "Low value"
	return "Unrated"
}
function within(rec, ten, fq, kn, kd,   gn, gd) {
	gn = ten - rec; gd = fq - 1
	if (gn < 30 * gd) { gn = 30; gd = 1 }
	if (gn > 365 * gd) { gn = 365; gd = 1 }
	return rec * gd * kd <= kn * gn
}
function days(s,   y, m, d, era, yoe, doy) {
	y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0
	y -= (m <= 2); era = int(y / 400); yoe = y - era * 400
	doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
	return era * 146097 + yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy - 719468
}
function life(ten, rec, fq, fd, jd) {
	if (ten != "" && ten <= 90) return "new"
	if (fq >= 2) {
		if (within(rec, ten, fq, 3, 2)) return "active"
		if (within(rec, ten, fq, 5, 2)) return "cooling"
		if (within(rec, ten, fq, 4, 1)) return "lapsing"
		if (within(rec, ten, fq, 8, 1) && rec <= 730) return "lapsed"
	}
	if (fq == 1) {
		if (rec <= 180) return "cooling"
		if (rec <= 365) return "lapsing"
		if (rec <= 730) return "lapsed"
	}
	if (fd == "" && jd != "" && 20778 - days(jd) <= 90) return "new"
	return "lost"
}
BEGIN { FS = OFS = "\t" }
NR > 1 {
	print $1, rfmseg($6, $7, $8), quad($10), life($4, $3, $5, $2, $12)
}
EOF
# The summary as "set<TAB>segment<TAB>count<TAB>cents", and the same
# worked out from the output rows.
cat >"$TMP/summary.awk" <<'EOF'
BEGIN { OFS = "\t" }
function cents(v) { sub(/\./, "", v); return v + 0 }
/^cv-segment: / {
	set = $2; sub(/:$/, "", set); rows[set] = $3; total[set] = cents($NF)
	next
}
{
	name = $0; sub(/^  /, "", name)
	sub(/ +[0-9]+ +[0-9.]+% +-?[0-9]+\.[0-9][0-9]$/, "", name)
	print set, name, $(NF - 2), cents($NF)
	n[set] += $(NF - 2); v[set] += cents($NF)
}
END {
	for (s in rows)
		if (n[s] != rows[s] || v[s] != total[s])
			print "summary of " s " does not add up"
}
EOF
property_round() {
	awk -v seed="$1" -f "$TMP/gen.awk" >"$TMP/p.tsv"
	rows=$(($(wc -l <"$TMP/p.tsv") - 1))
	cv-segment $A --set rfm --set quadrant --set lifecycle "$TMP/p.tsv" \
	    >"$TMP/p.out" 2>"$TMP/p.err" || { echo "seed $1: exit $?"; return 1; }
	# Rows and columns come back unchanged, in order.
	cut -f1-12 "$TMP/p.out" | cmp -s - "$TMP/p.tsv" ||
	    { echo "seed $1: rows changed"; return 1; }
	# Exactly one non-empty segment per set.
	awk -F'\t' -v rows="$rows" -v want=segment_rfm,segment_quadrant,segment_lifecycle '
	    NR == 1 && $13 "," $14 "," $15 != want { bad = 1 }
	    NR > 1 && (NF != 15 || $13 == "" || $14 == "" || $15 == "") { bad = 1 }
	    END { exit bad || NR - 1 != rows }' "$TMP/p.out" ||
	    { echo "seed $1: rows or segments wrong"; return 1; }
	# The segments the man page's tables give.
	awk -f "$TMP/want.awk" "$TMP/p.tsv" >"$TMP/p.want"
	cut -f1,13- "$TMP/p.out" | tail -n +2 | diff "$TMP/p.want" - ||
	    { echo "seed $1: segments differ from the tables"; return 1; }
	# The summary: counts and values per segment, adding up.
	awk -f "$TMP/summary.awk" "$TMP/p.err" | sort >"$TMP/p.sum"
	awk -F'\t' 'function cents(v) { sub(/\./, "", v); return v + 0 }
	    NR == 1 { for (i = 13; i <= 15; i++) set[i] = $i }
	    NR > 1 { for (i = 13; i <= 15; i++) {
		n[set[i] "\t" $i]++; v[set[i] "\t" $i] += cents($11) } }
	    END { for (k in n) print k "\t" n[k] "\t" v[k] }' "$TMP/p.out" |
	    sort >"$TMP/p.rows"
	# The summary also lists segments with no rows: drop them to compare.
	awk -F'\t' '$3 != 0' "$TMP/p.sum" | diff - "$TMP/p.rows" ||
	    { echo "seed $1: summary differs"; return 1; }
	[ "$(awk -F'\t' '{ n[$1] += $3 } END { for (s in n) print n[s] }' \
	    "$TMP/p.sum" | sort -u)" = "$rows" ] ||
	    { echo "seed $1: summary counts do not add up to $rows"; return 1; }
}
property() {
	for seed in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 \
	    23 24; do
		property_round $seed || return 1
	done
}
assert seg-property property

# Fixed: an exact boundary where the usual gap is a repeating decimal
# (g = 100/3, 1.5 g = 50): active, not cooling.
printf 'tenure_days\trecency_days\tfrequency\n150\t50\t4\n150\t51\t4\n' \
    >"$TMP/gap.tsv"
check seg-lifecycle-exact-gap 0 cv-segment -q --as-of 2026-11-21 \
    --set lifecycle "$TMP/gap.tsv"
# The default column of a rule file whose name starts with '.' is named
# after what follows the dot (it was segment_).
printf "x: grade = 'A'\n" >"$TMP/.vip.rules"
check seg-column-dot-file 0 sh -c "cv-segment -q $A --rules $TMP/.vip.rules \
    --set quadrant $C | head -1 | tr '\t' '\n' | tail -2"
# The summary counts the value of rows no rule names.
printf 'one: a = 1\n' >"$TMP/one.rules"
printf 'id\tvalue_now\ta\n1\t10.00\t1\n2\t-5.00\t\n' >"$TMP/one.tsv"
check seg-summary-unnamed-value 0 cv-segment --as-of 2026-11-21 \
    --rules "$TMP/one.rules" "$TMP/one.tsv"
check seg-check-missing-rules 66 cv-segment --check --rules testdata/no-such.rules
# Two segments that would share a --split file name; columns added twice.
printf 'a b: x = 1\na-b: x = 2\n' >"$TMP/clash.rules"
printf 'id\tx\n1\t1\n2\t2\n' >"$TMP/clash.tsv"
check seg-split-name-clash 64 scrub cv-segment -q --as-of 2026-11-21 \
    --rules "$TMP/clash.rules" --split "$TMP/clash" "$TMP/clash.tsv"
# Segment names that would make hidden or empty file names.
printf "'.hidden': x = 1\n'': x = 2\n.dot: *\n" >"$TMP/hidden.rules"
printf 'id\tx\n1\t1\n2\t2\n3\t3\n' >"$TMP/hidden.tsv"
check seg-split-hidden-names 0 split_run -q --as-of 2026-11-21 \
    --rules "$TMP/hidden.rules" --split "$TMP/split" "$TMP/hidden.tsv"
# A bad backslash escape in a value or a column name: the sequence named,
# the text shown as written.
printf 'all: *\n' >"$TMP/all.rules"
printf 'id\tnote\n1\t50%% off \\ sale\n' >"$TMP/esc-row.tsv"
check seg-bad-escape 65 scrub cv-segment -q --as-of 2026-11-21 \
    --rules "$TMP/all.rules" "$TMP/esc-row.tsv"
printf 'id\tnote\n1\tends with \\\n' >"$TMP/esc-lone.tsv"
check seg-bad-escape-lone 65 scrub cv-segment -q --as-of 2026-11-21 \
    --rules "$TMP/all.rules" "$TMP/esc-lone.tsv"
printf 'id\tnote\n1\t\\\001\n' >"$TMP/esc-ctl.tsv"
check seg-bad-escape-control 65 scrub cv-segment -q --as-of 2026-11-21 \
    --rules "$TMP/all.rules" "$TMP/esc-ctl.tsv"
printf 'id\ta\\tb\\x\n1\t2\n' >"$TMP/esc-head.tsv"
check seg-bad-escape-header 65 scrub cv-segment -q --as-of 2026-11-21 \
    --rules "$TMP/all.rules" "$TMP/esc-head.tsv"
check seg-same-set-twice 64 cv-segment -q --as-of 2026-11-21 --set rfm \
    --set rfm testdata/seg-customers.tsv
check seg-column-clash 64 cv-segment -q --as-of 2026-11-21 --set rfm \
    --column segment_quadrant --set quadrant testdata/seg-customers.tsv
printf 'id\tsegment_rule\tx\n1\ta\t1\n' >"$TMP/rulecol.tsv"
check seg-explain-column-clash 65 scrub cv-segment -q --as-of 2026-11-21 \
    --rules "$TMP/clash.rules" --explain "$TMP/rulecol.tsv"

# Totals of many huge values do not wrap.
awk 'BEGIN { print "customer_id\tvalue_now\tquadrant"
	for (i = 1; i <= 11; i++) printf "X%d\t8999999999999999.99\thigh\n", i
}' >"$TMP/huge.tsv"
STDIN=$TMP/huge.tsv
check seg-summary-huge 0 cv-segment --as-of 2026-11-21 --set quadrant

finish
