#!/bin/sh
# run.sh: `make bench`.  Throughput and memory of cv-ingest, the history
# store, cv-score and cv-segment on generated data, as ratios to baselines
# run in the same invocation (cat, zcat, a bare libcsv pass, the speed of
# the command before in the pipeline).  Prints the figures as
# it goes and writes them to tests/bench/results.txt.  See tests/bench/README.
#
# Environment (defaults in brackets):
#   BIN            the commands [bin/]
#   CC             the compiler for the helpers [cc]
#   BENCH_REPS     runs per timing, the best is kept [3]
#   BENCH_REPS_SHORT  runs per timing when a run takes under 1 s [9]
#   BENCH_LONG     a run longer than this many seconds is not repeated [30]
#   BENCH_TIMEOUT  a run is killed after this many seconds [300]
#   BENCH_SIZES    exports as lines:members [1000000:50000 10000000:500000]
#   BENCH_NIGHTS   the nights as days:members:stores [101:1000000:40]
#   BENCH_STYLES   the other export styles measured at 1M lines, for
#                  information [cn-gbk excel report online]
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
cd "$TOP" || exit 2
: "${BIN:=$TOP/bin}" "${CC:=cc}"
: "${BENCH_REPS:=3}" "${BENCH_LONG:=30}" "${BENCH_TIMEOUT:=300}"
: "${BENCH_REPS_SHORT:=$((3 * BENCH_REPS))}"
: "${BENCH_SIZES:=1000000:50000 10000000:500000}"
: "${BENCH_NIGHTS:=101:1000000:40}"
: "${BENCH_STYLES=cn-gbk excel report online}"
LC_ALL=C
TZ=UTC
export LC_ALL TZ
W=$HERE/work
RES=$HERE/results.txt
ASOF=2026-11-21		# the last day of cv-synth's default window
STYLE=cn-utf8
mkdir -p "$W" || exit 73
PART=$W/results.part
SUMM=$W/summary.part
: >"$PART"
: >"$SUMM"
fail=0
t_start=$(date +%s)
load0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)

# Progress, on stderr.
say() { printf 'bench: %s\n' "$*" >&2; }
# A line of the results: shown now and kept for results.txt.
out() { printf '%s\n' "$*" | tee -a "$PART"; }
# A line of the summary table.
summ() { printf '%s\n' "$*" >>"$SUMM"; }
die() { say "$*"; exit 1; }
# awk arithmetic: calc FORMAT EXPR (in parentheses, so that > compares
# and is not taken for a redirection)
calc() { awk "BEGIN { printf \"$1\", ($2) }"; }
# 1000000 -> 1M
nice_n() {
	awk -v n="$1" 'BEGIN {
		if (n >= 1e6 && n % 1e6 == 0) printf "%dM", n / 1e6
		else if (n >= 1e3 && n % 1e3 == 0) printf "%dk", n / 1e3
		else printf "%d", n }'
}

# The whole run uses copies of the commands, so that a rebuild while it
# runs does not mix two builds in one set of figures.
mkdir -p "$W/bin" || exit 73
for c in cv-synth cv-ingest cv-score cv-segment; do
	[ -x "$BIN/$c" ] || die "$BIN/$c is missing; run make first"
	cp "$BIN/$c" "$W/bin/$c.tmp" && mv "$W/bin/$c.tmp" "$W/bin/$c" ||
	    die "cannot copy $BIN/$c"
done
BIN=$W/bin

say "compiling runstat, csvcount and zinflate into $W"
$CC -O2 -o "$W/runstat" "$HERE/runstat.c" || die "cannot build runstat"
$CC -O2 -o "$W/csvcount" "$HERE/csvcount.c" -lcsv ||
    die "cannot build csvcount (is libcsv installed?)"
$CC -O2 -o "$W/zinflate" "$HERE/zinflate.c" -lz ||
    die "cannot build zinflate (is zlib installed?)"
RUNSTAT=$W/runstat
CSVCOUNT=$W/csvcount
ZINFLATE=$W/zinflate
ERR=$W/stderr.last

# Free space in the work folder, in MB.
free_mb() { df -Pk "$W" | awk 'NR == 2 { printf "%d", $4 / 1024 }'; }
# room NEED_MB WHAT: is there room for NEED_MB more, with 1 GB to spare?
room() {
	have=$(free_mb)
	if [ "$have" -lt $(($1 + 1024)) ]; then
		out "  skipped $2: it needs about $1 MB and $have MB are free"
		return 1
	fi
	return 0
}

# measure LABEL [runstat options] command [arg ...]: run the command
# BENCH_REPS times (BENCH_REPS_SHORT if the first run takes under 1 s),
# one after another, and keep the fastest run's wall and CPU time and the
# largest max RSS in M_WALL M_CPU M_RSS (KiB).  A run
# longer than BENCH_LONG seconds is not repeated; one longer than
# BENCH_TIMEOUT is killed.  If PREP is set it is eval'd, untimed, before
# each run.  Returns 0, 1 if the command failed, 2 if it was killed.
PREP=
measure() {
	M_LABEL=$1
	shift
	M_WALL= M_CPU= M_RSS=0 M_STATUS=0 M_RUNS=0
	M_REPS=$BENCH_REPS
	while [ "$M_RUNS" -lt "$M_REPS" ]; do
		M_RUNS=$((M_RUNS + 1))
		[ -n "$PREP" ] && eval "$PREP"
		_line=$("$RUNSTAT" -t "$BENCH_TIMEOUT" -e "$ERR" "$@")
		if [ -z "$_line" ]; then
			M_STATUS=127
			break
		fi
		IFS='	' read -r _w _c _r _s <<EOF
$_line
EOF
		[ "$_r" -gt "$M_RSS" ] && M_RSS=$_r
		if [ "$_s" -ne 0 ]; then
			M_STATUS=$_s
			break
		fi
		if [ -z "$M_WALL" ] ||
		    awk -v a="$_w" -v b="$M_WALL" 'BEGIN { exit !(a < b) }'; then
			M_WALL=$_w
			M_CPU=$_c
		fi
		awk -v a="$_w" -v b="$BENCH_LONG" 'BEGIN { exit !(a > b) }' &&
		    break
		# Short runs are noisy: take the best of more of them.
		[ "$M_RUNS" = 1 ] && [ "$BENCH_REPS" -gt 1 ] &&
		    awk -v a="$_w" 'BEGIN { exit !(a < 1) }' &&
		    M_REPS=$BENCH_REPS_SHORT
	done
	case $M_STATUS in
	0)	return 0 ;;
	124)	out "$(printf '  %-32s did not finish in %s s: killed' \
		    "$M_LABEL" "$BENCH_TIMEOUT")"
		say "killed after $BENCH_TIMEOUT s: $(cmdline "$@")"
		notes
		return 2 ;;
	*)	out "$(printf '  %-32s FAILED with exit status %s' \
		    "$M_LABEL" "$M_STATUS")"
		say "FAILED (exit $M_STATUS): $(cmdline "$@")"
		notes
		fail=1
		return 1 ;;
	esac
}

# cmdline ARG...: a command line for a message, cut short if long.
cmdline() {
	printf '%s\n' "$*" |
	    awk '{ print (length > 160 ? substr($0, 1, 160) " ..." : $0) }'
}

# notes: what the last measured command said on stderr, a few lines.
notes() {
	[ -s "$ERR" ] || return 0
	awk '!seen[$0]++' "$ERR" | head -n 3 | while IFS= read -r _l; do
		out "    stderr: $_l"
	done
}

# once: like measure, one run only.
once() {
	_reps=$BENCH_REPS
	BENCH_REPS=1
	measure "$@"
	_st=$?
	BENCH_REPS=$_reps
	return $_st
}

# turns A B: the best of runs of A and B taken in turn (shell functions
# that each run one command with once), so that a change in the speed of
# the machine while the bench runs hits a target's baseline and its
# command alike; A goes first in odd rounds, B in even ones.  Repeats as
# measure does, by the longer of the two; a run killed for taking too
# long ends the turns at once.  Sets A_WALL A_CPU A_RSS and B_WALL B_CPU
# B_RSS (the wall time empty when a run of it failed; the rest of its runs
# are not made), A_ST and B_ST (once's status of that run, else 0),
# T_RUNS and T_REPS; what each said on stderr in its last good run is
# kept in $W/stderr.A and .B.
turns() {
	A_WALL= A_CPU= A_RSS=0 A_ST=0 B_WALL= B_CPU= B_RSS=0 B_ST=0
	_fA=$1 _fB=$2 _onA=1 _onB=1 T_RUNS=0 T_REPS=$BENCH_REPS
	: >"$W/stderr.A"
	: >"$W/stderr.B"
	while [ "$T_RUNS" -lt "$T_REPS" ] && [ "$_onA$_onB" != 00 ]; do
		T_RUNS=$((T_RUNS + 1))
		_long=0
		_order="A B"
		[ $((T_RUNS % 2)) = 0 ] && _order="B A"
		for _side in $_order; do
			eval "_on=\$_on$_side _f=\$_f$_side _bw=\$${_side}_WALL _br=\$${_side}_RSS"
			[ "$_on" = 1 ] || continue
			$_f
			_rc=$?
			if [ "$_rc" != 0 ]; then
				eval "_on$_side=0 ${_side}_WALL= ${_side}_ST=$_rc"
				[ "$_rc" = 2 ] && _long=1 && break
				continue
			fi
			cp "$ERR" "$W/stderr.$_side"
			[ "$M_RSS" -gt "$_br" ] && eval "${_side}_RSS=\$M_RSS"
			if [ -z "$_bw" ] || [ "$(calc '%d' "$M_WALL < $_bw")" = 1 ]; then
				eval "${_side}_WALL=\$M_WALL ${_side}_CPU=\$M_CPU"
			fi
			[ "$(calc '%d' "$M_WALL > $BENCH_LONG")" = 1 ] && _long=1
		done
		[ "$_long" = 1 ] && break
		# Short runs are noisy: take the best of more of them.
		if [ "$T_RUNS" = 1 ] && [ "$BENCH_REPS" -gt 1 ] &&
		    [ "$(calc '%d' "${A_WALL:-0} < 1 && ${B_WALL:-0} < 1")" = 1 ]; then
			T_REPS=$BENCH_REPS_SHORT
		fi
	done
}

# turn_row A|B LABEL BYTES ROWS: the table line of one side of turns.
turn_row() {
	eval "M_WALL=\$${1}_WALL M_CPU=\$${1}_CPU M_RSS=\$${1}_RSS"
	[ -n "$M_WALL" ] || return 1
	M_LABEL=$2 M_RUNS=$T_RUNS M_REPS=$T_REPS
	cp "$W/stderr.$1" "$ERR"
	row "$3" "$4"
}

# row BYTES ROWS: the line of a throughput table for the last measure.
tblhead() {
	out "$(printf '  %-32s %8s %8s %9s %9s %11s' '' 'wall s' 'cpu s' \
	    'RSS MiB' 'MB/s' 'rows/s')"
}
row() {
	l=$M_LABEL
	if [ "$M_RUNS" = 1 ] && [ "$BENCH_REPS" != 1 ]; then
		l="$l (1 run)"
	elif [ "$M_RUNS" -lt "$M_REPS" ]; then
		l="$l ($M_RUNS runs)"
	fi
	awk -v l="$l" -v b="$1" -v n="$2" -v w="$M_WALL" -v c="$M_CPU" \
	    -v r="$M_RSS" 'BEGIN {
		printf "  %-32s %8.3f %8.3f %9.1f %9.1f %11.0f\n",
		    l, w, c, r / 1024, b / 1e6 / w, n / w }' | tee -a "$PART"
	notes
}

# target LABEL VALUE OP GOAL: a ratio against its target, shown in the
# section and in the summary.  VALUE may be "<x" or ">x", a bound.
target() {
	case $2 in
	'<'*|'>'*) v=$2 vn=${2#[<>]} ;;
	*) v=$(calc '%.2f' "$2") vn=$(calc '%.6f' "$2") ;;
	esac
	case "$v$3" in
	'<'*'>='|'>'*'<=') vd="missed" ;;
	*)	if awk -v v="$vn" -v t="$4" "BEGIN { exit !(v $3 t) }"; then
			vd="met"
		else
			vd="missed"
		fi ;;
	esac
	out "$(printf '  %-48s %7s   target %s %s: %s' "$1" "$v" "$3" "$4" "$vd")"
	summ "$(printf '%-48s %9s   %2s %-4s %s' "$1" "$v" "$3" "$4" "$vd")"
}
# info LABEL VALUE UNIT: a figure for the summary, without a target.
info() { summ "$(printf '%-48s %9s   %s' "$1" "$2" "$3")"; }

# single LINES MEMBERS EXT: the cached cv-synth --single export; sets F.
# The name carries a checksum of a small export, so that exports of an
# older cv-synth are made again, not reused.
single() {
	if [ -z "${SYNTH_SUM:-}" ]; then
		SYNTH_SUM=$("$BIN/cv-synth" -q --single - --lines 2000 \
		    --members 500 --style "$STYLE" | cksum | cut -d' ' -f1)
	fi
	F=$W/single-l$1-m$2-$STYLE-$SYNTH_SUM.$3
	[ -s "$F" ] && return 0
	rm -f "$W"/single-l$1-m$2-$STYLE.$3 "$W"/single-l$1-m$2-$STYLE-*.$3
	case $3 in
	*.gz) need=$(($1 * 25 / 1000000 + 1)) ;;
	*) need=$(($1 * 90 / 1000000 + 1)) ;;
	esac
	room "$need" "the $1-line .$3 export" || return 1
	say "generating $F"
	tmp=$W/.part-$$-${F##*/}
	if ! "$BIN/cv-synth" -q --single "$tmp" --lines "$1" --members "$2" \
	    --style "$STYLE"; then
		rm -f "$tmp"
		say "FAILED: cv-synth --single $F"
		fail=1
		return 1
	fi
	mv "$tmp" "$F"
}

out "cv benchmark (make bench)"
cpu=$(sed -n 's/^model name[	 ]*: *//p' /proc/cpuinfo 2>/dev/null | head -n 1)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB RAM", $2 / 1048576 }' \
    /proc/meminfo 2>/dev/null)
out "machine: $(nproc) CPUs; ${cpu:-CPU unknown}; ${mem:-RAM unknown}"
out "method: wall time of the best of $BENCH_REPS runs ($BENCH_REPS_SHORT for runs under 1 s), one at a time (a target's baseline and command in turn), input in the page cache;"
out "  runs over $BENCH_LONG s are not repeated, runs over $BENCH_TIMEOUT s are killed; RSS: the largest max RSS"
out "  (with a file argument it includes the input file's pages if the command maps it); MB = 10^6 bytes"

# --- 1. cv-ingest throughput ---------------------------------------------
out ""
out "1. cv-ingest -q FILE >/dev/null on a cv-synth --single export ($STYLE)"
TINY_RSS=
TINY=
if single 1000 50000 csv; then
	TINY=$F
	if measure "cv-ingest, 1000 lines" -o /dev/null \
	    sh -c 'cat "$1" | "$2" -q' sh "$TINY" "$BIN/cv-ingest"; then
		TINY_RSS=$M_RSS
		out "  a 1000-line run: max RSS $(calc '%.1f' "$M_RSS / 1024") MiB (subtracted below)"
	fi
fi
ING_SIZES=
for sz in $BENCH_SIZES; do
	N=${sz%%:*}
	MEM=${sz#*:}
	tag=$(nice_n "$N")
	say "cv-ingest on $N lines ($MEM members)"
	single "$N" "$MEM" csv || continue
	P=$F
	single "$N" "$MEM" csv.gz || continue
	G=$F
	B=$(wc -c <"$P")
	GB=$(wc -c <"$G")
	out ""
	out "$tag lines, $MEM members: $(calc '%.1f' "$B / 1e6") MB plain, $(calc '%.1f' "$GB / 1e6") MB gzip; MB/s of the plain bytes"
	tblhead
	CAT_WALL= CSV_WALL= ING_WALL= ZCAT_WALL= GZ_WALL= ZINF_WALL=
	say "  cat"
	measure "cat FILE" -o /dev/null cat "$P" &&
	    row "$B" "$N" && CAT_WALL=$M_WALL
	say "  csvcount (bare libcsv) and cv-ingest plain, in turn"
	run_csv() { once "bare libcsv pass" -o "$W/csvcount.out" "$CSVCOUNT" "$P"; }
	run_ing() { once "cv-ingest plain" -o /dev/null "$BIN/cv-ingest" -q "$P"; }
	turns run_csv run_ing
	if turn_row A "bare libcsv pass" "$B" "$N"; then
		CSV_WALL=$A_WALL
		rec=$(awk '{ print $1 }' "$W/csvcount.out")
		[ "$rec" = $((N + 1)) ] ||
		    out "  note: libcsv counted $rec records, not $((N + 1))"
	fi
	turn_row B "cv-ingest plain" "$B" "$N" && ING_WALL=$B_WALL
	# Memory is taken from a run reading a pipe: with a file argument
	# the max RSS includes the pages of the input file if it is mapped.
	say "  cat FILE | cv-ingest"
	ING_RSS=
	once "cat FILE | cv-ingest" -o /dev/null \
	    sh -c 'cat "$1" | "$2" -q' sh "$P" "$BIN/cv-ingest" &&
	    row "$B" "$N" && ING_RSS=$M_RSS
	say "  zcat and cv-ingest gzip, in turn"
	run_zcat() { once "zcat FILE.gz" -o /dev/null zcat "$G"; }
	run_gz() { once "cv-ingest gzip" -o /dev/null "$BIN/cv-ingest" -q "$G"; }
	turns run_zcat run_gz
	turn_row A "zcat FILE.gz" "$B" "$N" && ZCAT_WALL=$A_WALL
	turn_row B "cv-ingest gzip" "$B" "$N" && GZ_WALL=$B_WALL
	say "  zinflate (zlib alone)"
	measure "zlib inflate alone" -o /dev/null "$ZINFLATE" "$G" &&
	    row "$B" "$N" && ZINF_WALL=$M_WALL
	say "  zcat | csvcount"
	measure "zcat | bare libcsv pass" -o /dev/null \
	    sh -c 'zcat "$1" | "$2"' sh "$G" "$CSVCOUNT" && row "$B" "$N"
	# One run with -o, for information; its output is the txn stream
	# that cv-score reads in part 3.
	TXN=$W/txn-l$N-m$MEM.tsv
	rm -f "$TXN" "$W/out.tsv"
	if room $((N * 110 / 1000000 + 1)) "cv-ingest -o for $tag lines"; then
		say "  cv-ingest plain -o FILE"
		once "cv-ingest plain -o FILE" \
		    "$BIN/cv-ingest" -q "$P" -o "$W/out.tsv" &&
		    row "$B" "$N" && mv "$W/out.tsv" "$TXN"
	fi
	if [ -n "$ING_WALL" ] && [ -n "$CSV_WALL" ]; then
		target "ingest plain speed / libcsv speed, $tag" \
		    "$CSV_WALL / $ING_WALL" '>=' 0.8
	fi
	[ -n "$GZ_WALL" ] && [ -n "$ZCAT_WALL" ] &&
	    target "ingest gzip time / zcat time, $tag" \
		"$GZ_WALL / $ZCAT_WALL" '<=' 1.2
	[ -n "$ING_WALL" ] && [ -n "$CAT_WALL" ] &&
	    out "$(printf '  %-48s %7s   (information)' \
		"ingest plain speed / cat speed, $tag" \
		"$(calc '%.3f' "$CAT_WALL / $ING_WALL")")"
	[ -n "$ZINF_WALL" ] && [ -n "$ZCAT_WALL" ] &&
	    out "$(printf '  %-48s %7s   (information)' \
		"zlib inflate time / zcat time, $tag" \
		"$(calc '%.2f' "$ZINF_WALL / $ZCAT_WALL")")"
	if [ -n "$ING_WALL" ]; then
		info "ingest rows/s, plain, $tag" "$(calc '%.0f' "$N / $ING_WALL")" "(rows/s)"
		ING_SIZES="$ING_SIZES $N:$MEM:$ING_WALL"
		if [ -n "$TINY_RSS" ] && [ -n "$ING_RSS" ]; then
			per=$(calc '%.1f' "($ING_RSS - $TINY_RSS) * 1024 / $N")
			out "  duplicate index: $per bytes a row ((max RSS - max RSS of a 1000-line run) / rows, both reading a pipe)"
			info "ingest memory per row, $tag" "$per" "(bytes)"
		fi
	fi
done

# --- 1b. the other export styles, for information -------------------------
# The same measure on the exports as other POS systems write them: GBK
# bytes, Excel's BOM, CRLF and quoted fields, a report with title lines and
# a totals row, semicolons.  They are not what the targets are set on; they
# show what to expect of each.
if [ -n "$BENCH_STYLES" ]; then
	out ""
	out "1b. the same on 1M-line exports of the other styles (50000 members), for information"
	out "$(printf '  %-12s %9s %10s %10s %12s %12s' style MB 'libcsv s' \
	    'ingest s' 'ingest MB/s' 'speed ratio')"
	STYLE0=$STYLE
	for STYLE in $BENCH_STYLES; do
		SYNTH_SUM=
		say "style $STYLE: 1000000 lines"
		single 1000000 50000 csv || continue
		B=$(wc -c <"$F")
		# Report exports hold a title and a totals row, rejected as
		# such; the rate is not what is measured here.
		run_csv() { once "bare libcsv pass ($STYLE)" -o /dev/null \
		    "$CSVCOUNT" "$F"; }
		run_ing() { once "cv-ingest plain ($STYLE)" -o /dev/null \
		    "$BIN/cv-ingest" -q --max-reject-rate 100 "$F"; }
		turns run_csv run_ing
		CSV_WALL=$A_WALL ING_WALL=$B_WALL
		[ -n "$CSV_WALL" ] && [ -n "$ING_WALL" ] || continue
		out "$(printf '  %-12s %9.1f %10.3f %10.3f %12.1f %12.2f' \
		    "$STYLE" "$(calc '%f' "$B / 1e6")" "$CSV_WALL" "$ING_WALL" \
		    "$(calc '%f' "$B / 1e6 / $ING_WALL")" \
		    "$(calc '%f' "$CSV_WALL / $ING_WALL")")"
		info "ingest speed / libcsv speed, 1M $STYLE" \
		    "$(calc '%.2f' "$CSV_WALL / $ING_WALL")" "(information)"
	done
	STYLE=$STYLE0
	SYNTH_SUM=
fi

# --- 2. history store ----------------------------------------------------
out ""
ND=${BENCH_NIGHTS%%:*}
rest=${BENCH_NIGHTS#*:}
NM=${rest%%:*}
NS=${rest#*:}
out "2. history store: one more night (cv-synth -o --days $ND --members $NM --stores $NS, every style)"
NIGHTS=$W/nights-d$ND-m$NM-s$NS
ok=1
if [ ! -d "$NIGHTS/pos" ]; then
	if room $((NM * ND / 200000 + 100)) "the history store"; then
		say "generating $NIGHTS"
		rm -rf "$W/.part-nights"
		if "$BIN/cv-synth" -q -o "$W/.part-nights" --days "$ND" \
		    --members "$NM" --stores "$NS"; then
			mv "$W/.part-nights" "$NIGHTS"
		else
			rm -rf "$W/.part-nights"
			say "FAILED: cv-synth -o $NIGHTS"
			fail=1
			ok=0
		fi
	else
		ok=0
	fi
fi
nlines() { cat "$NIGHTS/pos/$1"/*.csv | wc -l; }
if [ "$ok" = 1 ]; then
	days=$(ls "$NIGHTS/pos" | sort)
	hist=$(($(echo "$days" | wc -l) - 1))
	next=$(echo "$days" | tail -n 1)
	next_lines=$(nlines "$next")
	rm -rf "$W/store-build" "$W"/store-[0-9]* "$W/store-trial"
	say "building the $hist-night store night by night"
	i=0
	build_s=0
	min_l=
	max_l=0
	hist_lines=0
	for d in $(echo "$days" | head -n "$hist"); do
		i=$((i + 1))
		l=$(nlines "$d")
		hist_lines=$((hist_lines + l))
		if [ -z "$min_l" ] || [ "$l" -lt "$min_l" ]; then min_l=$l; fi
		[ "$l" -gt "$max_l" ] && max_l=$l
		line=$("$RUNSTAT" -t "$BENCH_TIMEOUT" -e "$ERR" "$BIN/cv-ingest" -q \
		    --db "$W/store-build" "$NIGHTS/pos/$d"/*.csv)
		st=$(echo "$line" | cut -f4)
		if [ "$st" != 0 ]; then
			out "  FAILED: cv-ingest --db, night $d, exit status ${st:-?}"
			notes
			fail=1
			ok=0
			break
		fi
		build_s=$(calc '%.4f' "$build_s + $(echo "$line" | cut -f1)")
		case $i in
		1|10|"$hist") cp -a "$W/store-build" "$W/store-$i" ;;
		esac
		[ $((i % 10)) = 0 ] && say "  $i nights"
	done
	rm -rf "$W/store-build"
fi
if [ "$ok" = 1 ]; then
	out "  the next night: $next, $next_lines lines (with headers) in $NS files; the $hist nights before it hold $min_l to $max_l lines, $hist_lines in all"
	out "  building the $hist-night store night by night: $(calc '%.1f' "$build_s") s, $(calc '%.3f' "$build_s / $hist") s a night"
	out "  cv-ingest -q --db STORE DIR/pos/$next/*.csv, each run on a fresh copy of the store, synced to disk before the run:"
	out "$(printf '  %-18s %9s %8s %8s %9s %11s' 'store' 'store MB' 'wall s' 'cpu s' 'RSS MiB' 'vs 1 night')"
	ONE=
	LAST=
	for k in 1 10 "$hist"; do
		[ -d "$W/store-$k" ] || continue
		smb=$(du -sk "$W/store-$k" | awk '{ printf "%.1f", $1 / 1024 }')
		say "  one more night on the $k-night store"
		PREP="rm -rf '$W/store-trial' && cp -a '$W/store-$k' '$W/store-trial' && sync"
		kl="$k nights"
		[ "$k" = 1 ] && kl="1 night"
		measure "$kl" "$BIN/cv-ingest" -q --db "$W/store-trial" \
		    "$NIGHTS/pos/$next"/*.csv
		st=$?
		PREP=
		rm -rf "$W/store-trial"
		[ "$st" = 0 ] || continue
		[ "$k" = 1 ] && ONE=$M_WALL
		out "$(awk -v l="$kl" -v s="$smb" -v w="$M_WALL" \
		    -v c="$M_CPU" -v r="$M_RSS" -v o="$ONE" 'BEGIN {
			printf "  %-18s %9s %8.3f %8.3f %9.1f %11s",
			    l, s, w, c, r / 1024,
			    o == "" ? "-" : sprintf("%.2f", w / o) }')"
		LAST=$M_WALL
		LASTK=$k
	done
	[ -n "$ONE" ] && [ -n "$LAST" ] && [ "$LASTK" != 1 ] &&
	    target "one more night, $LASTK vs 1 night (time)" \
		"$LAST / $ONE" '<=' 1.2
	[ -n "$LAST" ] && info "one more night ($next_lines lines), $LASTK nights" \
	    "$(calc '%.3f' "$LAST")" "(seconds)"
	say "  cv-ingest --db --check on the $hist-night store"
	if measure "--check" -o /dev/null "$BIN/cv-ingest" -q \
	    --db "$W/store-$hist" --check; then
		out "  cv-ingest --db STORE --check on the $hist-night store: $(calc '%.3f' "$M_WALL") s wall, $(calc '%.3f' "$M_CPU") s cpu, $(calc '%.1f' "$M_RSS / 1024") MiB RSS, $(calc '%.0f' "$hist_lines / $M_WALL") lines/s"
		info "store --check, $hist nights" "$(calc '%.3f' "$M_WALL")" "(seconds)"
	fi
fi
rm -rf "$W"/store-[0-9]*

# --- 3. cv-score throughput ----------------------------------------------
out ""
out "3. cv-score -q --as-of $ASOF on the txn streams of part 1 (cv-ingest -o) and of the nights of part 2"
# score_case TITLE TAG TXN N INGEST_WALL: cv-score on the stream TXN,
# made by cv-ingest from N rows in INGEST_WALL seconds; TXN is removed.
score_case() {
	tag=$2
	TXN=$3
	N=$4
	IW=$5
	TB=$(wc -c <"$TXN")
	TL=$(($(wc -l <"$TXN") - 1))
	say "cv-score on the $tag stream"
	out ""
	out "$1: txn stream of $TL lines, $(calc '%.1f' "$TB / 1e6") MB; rows/s are txn lines/s"
	tblhead
	# The full runs and the --no-model runs alternate, so that a change
	# in the load of the machine hits both alike.
	say "  cv-score and cv-score --no-model, in turn"
	rm -f "$W/score.out"
	run_full() { once "cv-score" -o "$W/score.out" \
	    "$BIN/cv-score" -q --timing --as-of "$ASOF" "$TXN"; }
	run_nomodel() { once "cv-score --no-model" -o /dev/null \
	    "$BIN/cv-score" -q --no-model --as-of "$ASOF" "$TXN"; }
	turns run_full run_nomodel
	FW=$A_WALL FRSS=$A_RSS NW=$B_WALL
	if [ "$A_ST" = 2 ]; then
		target "score lines/s / ingest rows/s, $tag" \
		    "<$(calc '%.2f' "($TL / $BENCH_TIMEOUT) / ($N / $IW)")" '>=' 1.0
		[ -z "$NW" ] &&
		    out "  cv-score --no-model: not run, since the full run did not finish"
		rm -f "$W/score.out" "$TXN"
		return
	fi
	[ -n "$FW" ] || { rm -f "$W/score.out" "$TXN"; return; }
	turn_row A "cv-score" "$TB" "$TL"
	turn_row B "cv-score --no-model" "$TB" "$TL"
	cust=$(($(wc -l <"$W/score.out") - 1))
	# cv-score --timing: "cpu seconds: reading R, model fit F (P patterns),
	# predictions Q, the rest S"
	FIT=$(sed -n 's/.*model fit \([0-9.]*\) (\([0-9]*\) patterns), predictions \([0-9.]*\).*/\1 \2 \3/p' "$W/stderr.A" | tail -n 1)
	# Keep the largest customers stream for part 4.
	if [ ! -s "$W/customers.tsv" ] || [ "$cust" -gt "$(($(wc -l <"$W/customers.tsv") - 1))" ]; then
		cp "$W/score.out" "$W/customers.tsv"
		SCORE_CPS=$(calc '%.0f' "$cust / $FW")
	fi
	modelled=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++)
		if ($i == "p_alive") c = i; next }
		c && $c != "" { n++ } END { print n + 0 }' "$W/score.out")
	rm -f "$W/score.out"
	say "  cat FILE | cv-score"
	FR=
	once "cat FILE | cv-score" -o /dev/null \
	    sh -c 'cat "$1" | "$2" -q --as-of "$3"' sh "$TXN" \
	    "$BIN/cv-score" "$ASOF" && row "$TB" "$TL" && FR=$M_RSS
	out "  customers in the output: $cust, of whom $modelled have model values (p_alive)"
	if [ -n "$FIT" ]; then
		set -- $FIT
		out "  model fit: $1 s cpu on $2 distinct (x, t_x, T) patterns of $cust customers; predictions: $3 s cpu (cv-score --timing)"
		target "model fit, cpu seconds, $tag" "$1" '<' 1.0
	fi
	if [ -n "$NW" ]; then
		out "  model fit + predictions: $(calc '%.3f' "$FW - $NW") s wall (the full run's best wall time minus the --no-model run's, the two run in turn)"
		if [ "$(calc '%d' "$FW < $NW")" = 1 ]; then
			out "  (negative: the model's cost is below the run-to-run noise of these timings)"
		elif [ "$(calc '%d' "$FW - $NW < 0.02 * $FW")" = 1 ]; then
			out "  (under 2% of the run: within the noise of the two timings)"
		fi
	fi
	target "score lines/s / ingest rows/s, $tag" \
	    "($TL / $FW) / ($N / $IW)" '>=' 1.0
	info "score lines/s, $tag" "$(calc '%.0f' "$TL / $FW")" "(lines/s)"
	# What the customers cost: the max RSS less that of a run over the
	# same input that keeps no customer (all of its lines after an as-of
	# date of 1970), which has the same reader, buffers and libraries.
	if [ "$cust" -gt 0 ] && once "cv-score, no customers" -o /dev/null \
	    "$BIN/cv-score" -q --no-model --as-of 1970-01-02 "$TXN"; then
		BF=$M_RSS
		per=$(calc '%.0f' "($FRSS - $BF) * 1024 / $cust")
		out "  memory per customer, files: $per bytes ((max RSS $(calc '%.1f' "$FRSS / 1024") MiB - $(calc '%.1f' "$BF / 1024") MiB of a run that keeps no customer) / customers)"
		target "score memory per customer, bytes, $tag" "$per" '<=' 200
		if [ -n "$FR" ] && once "cat FILE | cv-score, no customers" \
		    -o /dev/null sh -c 'cat "$1" | "$2" -q --no-model --as-of 1970-01-02' \
		    sh "$TXN" "$BIN/cv-score"; then
			per=$(calc '%.0f' "($FR - $M_RSS) * 1024 / $cust")
			out "  memory per customer, a pipe: $per bytes (the same from cat FILE |; a pipe cannot be read twice, so every receipt is kept)"
			info "score memory per customer on a pipe, $tag" "$per" "(bytes)"
		fi
	elif [ "$cust" -le 0 ]; then
		out "  no customers in the output: something is wrong"
		fail=1
	fi
	[ -n "$NW" ] && info "score model fit + predictions, $tag" \
	    "$(calc '%.3f' "$FW - $NW")" "(seconds)"
	rm -f "$TXN"
}

for s in $ING_SIZES; do
	N=${s%%:*}
	s=${s#*:}
	MEM=${s%%:*}
	IW=${s#*:}
	TXN=$W/txn-l$N-m$MEM.tsv
	[ -s "$TXN" ] || continue
	score_case "$(nice_n "$N")-line export, $MEM members" "$(nice_n "$N")" \
	    "$TXN" "$N" "$IW"
done

# The --single exports put many lines on each member, more than the
# models expect; the nights of part 2 are a history the model can fit.
if [ -d "$NIGHTS/pos" ] &&
    room $((NM * ND / 400000 + 1)) "cv-score on the nights"; then
	say "cv-ingest of all the nights into one stream"
	nfiles=$(ls "$NIGHTS"/pos/*/*.csv | wc -l)
	if measure "cv-ingest, all nights" -o /dev/null \
	    "$BIN/cv-ingest" -q "$NIGHTS"/pos/*/*.csv &&
	    "$BIN/cv-ingest" -q "$NIGHTS"/pos/*/*.csv >"$W/txn-nights.tsv"; then
		NN=$(($(wc -l <"$W/txn-nights.tsv") - 1))
		out ""
		out "  the $ND nights of part 2 ($nfiles files, every style), cv-ingest -q FILE... >/dev/null: $(calc '%.3f' "$M_WALL") s wall, $(calc '%.3f' "$M_CPU") s cpu, $(calc '%.0f' "$NN / $M_WALL") rows/s ($NN accepted)"
		score_case "the $ND nights of part 2, $NM members" "$ND nights" \
		    "$W/txn-nights.tsv" "$NN" "$M_WALL"
	fi
	rm -f "$W/txn-nights.tsv"
fi
rm -f "$W/txn-tiny.tsv" "$W/csvcount.out" "$W/score.out"

# --- 4. cv-segment throughput ----------------------------------------------
# The largest customers stream of part 3, repeated with new ids until it
# holds a million customers; the rfm set, and a file of 20 rules.
if [ -s "$W/customers.tsv" ] && room 1000 "cv-segment"; then
	say "cv-segment on a million customers"
	out ""
	out "4. cv-segment -q --as-of $ASOF on a customers stream of cv-score (part 3), repeated to 1M rows"
	awk -F'\t' -v OFS='\t' 'NR == 1 { print; next } { rows[++n] = $0 }
	    END { k = 0; while (k < 1000000) for (i = 1; i <= n && k < 1000000; i++) {
		split(rows[i], f, "\t"); f[1] = f[1] "-" int(k / n); k++
		line = f[1]; for (j = 2; j <= length(f); j++) line = line OFS f[j]
		print line } }' "$W/customers.tsv" >"$W/seg-in.tsv"
	head -n 10001 "$W/seg-in.tsv" >"$W/seg-10k.tsv"
	cat >"$W/twenty.rules" <<'RULES'
vip-lapsing: grade = 'A' and recency_days between 30 and 90 and p_alive < 0.7
vip-active: grade = 'A' and recency_days < 30
gz-quiet: top_store in ('GZ003', 'SZ004') and recency_days > 60
grade-b-staff: grade = 'B' and top_staff ~ '^G0[0-4]'
anniversary-week: days_until_birthday(first_date) <= 7 and returns = 0
new-welcome: frequency = 1 and recency_days between 7 and 9
new-30: tenure_days <= 30
follow-up: recency_days between 7 and 14 and orders >= 2
shanghai-away: top_store ~ '^SH' and days_since(last_date) > 45
online-fans: online_share >= 0.5 and monetary >= 1000
returner: returns >= 3 or returns_amount > 0.5 * monetary
big-spender: monetary >= 20000 or avg_order >= 3000
potential: quadrant = 'potential' and value_potential > 2 * value_now
slipping: p_alive < 0.3 and value_now >= 3000
frequent-small: frequency >= 10 and avg_order < 200
champions: rfm in ('555', '554', '545', '455')
loyal: f_score >= 4 and r_score >= 3
at-risk: r_score <= 2 and m_score >= 4
cold: recency_days > 365 or first_date is empty
rest: *
RULES
	measure "cv-segment --set rfm, 10k rows" -o /dev/null \
	    "$BIN/cv-segment" -q --as-of "$ASOF" --set rfm "$W/seg-10k.tsv" &&
	    R10K=$M_RSS
	SB=$(wc -c <"$W/seg-in.tsv")
	tblhead
	if measure "cv-segment --set rfm" -o /dev/null \
	    "$BIN/cv-segment" -q --as-of "$ASOF" --set rfm "$W/seg-in.tsv"; then
		row "$SB" 1000000
		SEG1=$M_WALL
		out "  max RSS $(calc '%.1f' "$M_RSS / 1024") MiB for 1M rows against $(calc '%.1f' "${R10K:-0} / 1024") MiB for 10k: memory does not grow with rows"
	fi
	if measure "cv-segment --rules (20 rules)" -o /dev/null \
	    "$BIN/cv-segment" -q --as-of "$ASOF" --rules "$W/twenty.rules" \
	    "$W/seg-in.tsv"; then
		row "$SB" 1000000
		SEG2=$M_WALL
	fi
	if [ -n "${SCORE_CPS:-}" ]; then
		out "  cv-score wrote $SCORE_CPS customers a second on the largest case of part 3"
		[ -n "${SEG1:-}" ] && target "segment rows/s / score customers/s, rfm" \
		    "(1000000 / $SEG1) / $SCORE_CPS" '>=' 1.0
		[ -n "${SEG2:-}" ] && target "segment rows/s / score customers/s, 20 rules" \
		    "(1000000 / $SEG2) / $SCORE_CPS" '>=' 1.0
	fi
	rm -f "$W/seg-in.tsv" "$W/seg-10k.tsv"
fi
rm -f "$W/customers.tsv" "$ERR"

# --- summary -------------------------------------------------------------
t_end=$(date +%s)
load1=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
{
	echo ""
	echo "summary (each ratio is against baselines run in the same invocation)"
	printf '%-48s %9s   %s\n' '' 'figure' 'target'
	cat "$SUMM"
	echo ""
	echo "load average (1, 5, 15 min): ${load0:-?} at the start, ${load1:-?} at the end"
	echo "the whole run took $((t_end - t_start)) s"
} | tee -a "$PART" >/dev/null
mv "$PART" "$RES"
rm -f "$SUMM"
say "summary:"
sed -n '/^summary/,$p' "$RES"
say "wrote $RES"
[ "$fail" = 0 ] || say "some commands failed; see the messages above"
exit "$fail"
