#!/bin/sh
# demo.sh: what `make demo` runs.  Builds four months of history for a
# six-store brand from sample exports (written by cv-synth, the same bytes
# on every machine), adds last night's dumps (with the messy exports of
# testdata/), then scores every customer and writes the day's lists.
# Everything goes under demo-out/, or the folder DEMO_OUT names (made
# afresh; one that holds other files than an earlier demo's is refused).
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=${DEMO_OUT:-$TOP/demo-out}
case $OUT in
/*)	;;
*)	OUT=$PWD/$OUT ;;
esac
cd "$TOP"
: "${BIN:=$TOP/bin}"
PATH="$BIN:$PATH"
export PATH
LC_ALL=C
export LC_ALL
DAY=2026-11-21
if [ -e "$OUT" ] && [ ! -d "$OUT" ]; then
	echo "demo: $OUT is not a folder; name an empty or new folder" \
	    "with DEMO_OUT=" >&2
	exit 1
fi
if [ -n "${DEMO_OUT:-}" ] && [ -d "$OUT" ] && [ -n "$(ls -A "$OUT")" ] &&
    [ ! -f "$OUT/.cv-demo" ]; then
	echo "demo: $OUT holds other files; name an empty or new folder" \
	    "with DEMO_OUT=" >&2
	exit 1
fi
# An earlier demo's outputs go; the folder itself stays.
mkdir -p "$OUT"
find "$OUT"/ -mindepth 1 -maxdepth 1 -exec rm -rf {} +
: >"$OUT/.cv-demo"

echo "== sample exports: 6 stores, 3000 members, 120 nights (cv-synth)"
cv-synth -q --seed 2026 --stores 6 --members 3000 --days 120 --end $DAY \
    -o "$OUT/data"

echo "== the history: 119 nights into the store $OUT/cvdb"
cv-ingest -q --db="$OUT/cvdb" --kind members "$OUT/data/members.csv"
cv-ingest -q --db="$OUT/cvdb" --kind staff "$OUT/data/staff.csv"
cv-ingest -q --db="$OUT/cvdb" --kind contacts "$OUT/data/contacts.csv"
# The Excel dumps show about one member id in 2,000 as 1.38E+10, which
# cannot be undone; on a small night that one row can pass the default 1%.
for d in "$OUT"/data/pos/*; do
	[ "${d##*/}" = $DAY ] && continue
	cv-ingest -q --max-reject-rate 5 --db="$OUT/cvdb" "$d"/*.csv
done

echo "== last night, $DAY: the stores' dumps, plus five exports in other formats"
# The summary's last lines are shown; all of it when the night fails.
if ! cv-ingest --db="$OUT/cvdb" --as-of $DAY --rejects "$OUT/rejects.tsv" \
    "$OUT"/data/pos/$DAY/*.csv \
    testdata/pos-sh01-20261121.csv testdata/pos-hz02-20261121-gbk.csv \
    testdata/pos-bj03-20261121-excel.csv testdata/pos-gz04-20261121-report.csv \
    testdata/pos-online-20261121.csv 2>"$OUT/ingest.log"; then
	cat "$OUT/ingest.log" >&2
	exit 1
fi
tail -4 "$OUT/ingest.log"
cv-ingest --db="$OUT/cvdb" --check >"$OUT/store-check.tsv"

echo "== every customer graded as of $DAY"
cv-score --db="$OUT/cvdb" --as-of $DAY --params "$OUT/params.tsv" \
    -o "$OUT/customers.tsv"
cv-segment -q --as-of $DAY --set rfm --set quadrant --set lifecycle \
    -o "$OUT/segments.tsv" "$OUT/customers.tsv"
cv-segment --as-of $DAY --rules testdata/calls.rules --split "$OUT/calls" \
    "$OUT/customers.tsv"

echo
echo "The outputs are in $OUT/:"
for f in "$OUT"/customers.tsv "$OUT"/segments.tsv "$OUT"/params.tsv \
    "$OUT"/rejects.tsv "$OUT"/store-check.tsv "$OUT"/ingest.log \
    "$OUT"/calls/*.tsv; do
	if [ ! -s "$f" ]; then
		echo "demo: $f was not written" >&2
		exit 1
	fi
	printf '  %-28s %6s lines\n' "${f#"$OUT"/}" "$(wc -l <"$f")"
done
echo "  cvdb/                        the history store (cv-db(5))"
echo
echo "Five retail customers, best value first (dealers and group buyers"
echo "are graded among themselves):"
# (awk alone, not in a pipeline, so that a missing column stops the demo)
top=$(awk -F '\t' -v OFS='\t' '
NR == 1 {
	n = split("customer_id name last_date frequency monetary rfm grade " \
	    "value_now value_potential quadrant p_alive", want, " ")
	for (i = 1; i <= NF; i++)
		at[$i] = i
	for (k = 1; k <= n; k++)
		if (!(want[k] in at)) {
			print "demo: customers.tsv has no " want[k] > "/dev/stderr"
			exit 1
		}
}
NR == 1 || !("type" in at) || ($at["type"] != "dealer" &&
    $at["type"] != "group") {
	line = $at[want[1]]
	for (k = 2; k <= n; k++)
		line = line OFS $at[want[k]]
	print line
}' "$OUT/customers.tsv")
printf '%s\n' "$top" | {
	IFS= read -r head
	printf '%s\n' "$head"
	sort -t '	' -k8,8gr | head -5
}
