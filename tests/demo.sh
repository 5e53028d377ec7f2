#!/bin/sh
# demo.sh: what `make demo` runs.  Builds four months of history for a
# six-store brand from sample exports (written by cv-synth, the same bytes
# on every machine), adds last night's dumps (with the messy exports of
# testdata/), then scores every customer and writes the day's lists.
# Everything goes under demo-out/.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
: "${BIN:=$TOP/bin}"
PATH="$BIN:$PATH"
export PATH
LC_ALL=C
export LC_ALL
OUT=demo-out
DAY=2026-11-21
rm -rf "$OUT"
mkdir -p "$OUT"

echo "== sample exports: 6 stores, 3000 members, 120 nights (cv-synth)"
cv-synth -q --seed 2026 --stores 6 --members 3000 --days 120 --end $DAY \
    -o $OUT/data

echo "== the history: 119 nights into the store $OUT/cvdb"
cv-ingest -q --db $OUT/cvdb --kind members $OUT/data/members.csv
cv-ingest -q --db $OUT/cvdb --kind staff $OUT/data/staff.csv
cv-ingest -q --db $OUT/cvdb --kind contacts $OUT/data/contacts.csv
for d in $OUT/data/pos/*; do
	[ "${d##*/}" = $DAY ] && continue
	cv-ingest -q --db $OUT/cvdb "$d"/*.csv
done

echo "== last night, $DAY: the stores' dumps, plus five exports in other formats"
cv-ingest --db $OUT/cvdb --as-of $DAY --rejects $OUT/rejects.tsv \
    $OUT/data/pos/$DAY/*.csv \
    testdata/pos-sh01-20261121.csv testdata/pos-hz02-20261121-gbk.csv \
    testdata/pos-bj03-20261121-excel.csv testdata/pos-gz04-20261121-report.csv \
    testdata/pos-online-20261121.csv 2>&1 | tail -4
cv-ingest --db $OUT/cvdb --check >$OUT/store-check.tsv

echo "== every customer graded as of $DAY"
cv-score --db $OUT/cvdb --as-of $DAY --params $OUT/params.tsv \
    -o $OUT/customers.tsv
cv-segment -q --as-of $DAY --set rfm --set quadrant --set lifecycle \
    -o $OUT/segments.tsv $OUT/customers.tsv
cv-segment --as-of $DAY --rules testdata/calls.rules --split $OUT/calls \
    $OUT/customers.tsv

echo
echo "The outputs are in $OUT/:"
for f in $OUT/customers.tsv $OUT/segments.tsv $OUT/params.tsv \
    $OUT/rejects.tsv $OUT/store-check.tsv $OUT/calls/*.tsv; do
	printf '  %-36s %6s lines\n' "$f" "$(wc -l <"$f")"
done
echo "  $OUT/cvdb/                            the history store (cv-db(5))"
echo
echo "Five customers, best value first:"
sort -t '	' -k20,20gr $OUT/customers.tsv | head -5 |
    cut -f 1,3,6,8,18,19,20,21,22,23
