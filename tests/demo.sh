#!/bin/sh
# demo.sh: the nightly pipeline on the sample data shipped in testdata/,
# run by `make demo`.  Writes everything under demo-out/ and says where.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
: "${BIN:=$TOP/bin}"
PATH="$BIN:$PATH"
export PATH
OUT=demo-out
rm -rf "$OUT"
mkdir -p "$OUT"
S=testdata

echo "== cv-ingest: last night's dumps from five stores and the web shop"
cv-ingest --as-of 2026-11-21 --rejects "$OUT/rejects.tsv" \
    -o "$OUT/txn.tsv" \
    $S/pos-sh01-20261121.csv $S/pos-hz02-20261121-gbk.csv \
    $S/pos-bj03-20261121-excel.csv $S/pos-gz04-20261121-report.csv \
    $S/pos-online-20261121.csv $S/pos-tw05-20261121-pipe.txt
cv-ingest --kind members -o "$OUT/members.tsv" $S/members.csv
cv-ingest --kind contacts -o "$OUT/contacts.tsv" $S/contacts.csv

echo
echo "The outputs are in $OUT/:"
for f in "$OUT"/*; do
	printf '  %-28s %6s lines\n' "$f" "$(wc -l <"$f")"
done
echo
echo "First lines of $OUT/txn.tsv:"
head -5 "$OUT/txn.tsv"
