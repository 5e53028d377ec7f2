#!/bin/sh
# Golden tests of cv-ingest: every export style, every reject reason with its
# message and exit status, gzip, duplicates, the other kinds of file, and
# the real Online Retail data checked against an independent computation.
. "$(dirname "$0")/lib.sh"

T=testdata

# Export styles met in the wild.
check ingest-cn-utf8 0 cv-ingest $T/pos-sh01-20261121.csv
check ingest-gbk 0 cv-ingest $T/pos-hz02-20261121-gbk.csv
check ingest-gbk-forced 0 cv-ingest --encoding gbk $T/pos-hz02-20261121-gbk.csv
# Excel's plain CSV in English settings (Windows-1252: £, €, é, an en
# dash as single bytes) is read when given, and is bad GBK when guessed,
# the message naming cp1252; a file with a UTF-8 byte order mark is UTF-8
# whatever is given.
check ingest-cp1252 0 cv-ingest --as-of 2026-11-22 --encoding cp1252 \
    $T/pos-man09-20261121-cp1252.csv
check ingest-cp1252-guessed 65 cv-ingest --as-of 2026-11-22 \
    $T/pos-man09-20261121-cp1252.csv
check ingest-bom-over-encoding 0 cv-ingest --as-of 2026-11-22 \
    --encoding gbk $T/pos-ldn08-20261121-uk.csv
check ingest-excel 0 cv-ingest $T/pos-bj03-20261121-excel.csv
check ingest-report 0 cv-ingest $T/pos-gz04-20261121-report.csv
check ingest-online 0 cv-ingest $T/pos-online-20261121.csv
check ingest-pipe-traditional 0 cv-ingest $T/pos-tw05-20261121-pipe.txt
check ingest-delim-given 0 cv-ingest -d pipe $T/pos-tw05-20261121-pipe.txt
check ingest-mdy-settled 0 cv-ingest $T/pos-us-mdy.csv
check ingest-ambiguous 65 cv-ingest $T/pos-ambiguous.csv
check ingest-ambiguous-mdy 0 cv-ingest --date-order mdy $T/pos-ambiguous.csv
check ingest-ambiguous-dmy 0 cv-ingest --date-order dmy $T/pos-ambiguous.csv
# A line sent twice in one file, the first copy waiting for the date
# order and the second settling it: the later copy in the file is the
# later one, whichever was decided first.
printf 'InvoiceNo,Line,InvoiceDate,CustomerID,Store,Amount\r\n900001,1,3/4/2026,20001,NY01,25.00\r\n900001,1,4/25/2026,20001,NY01,27.50\r\n' >"$TMP/wait-dup.csv"
check ingest-wait-dup-last 0 cv-ingest -q "$TMP/wait-dup.csv"
check ingest-wait-dup-first 0 cv-ingest -q --dedup first "$TMP/wait-dup.csv"
# Rows after the first waiting one wait behind it: a member's later row
# still replaces the earlier one (and --dedup first keeps the earlier),
# and a row left ambiguous at the end is rejected while the others stay.
printf '会员卡号,姓名,生日,入会日期\r\nA1,old,3/4/1990,2021-01-01\r\nA1,new,1990-03-04,2022-01-01\r\nA2,x,,2023-05-06\r\nA3,y,,13/1/2020\r\n' >"$TMP/wait-members.csv"
check ingest-wait-members-last 0 cv-ingest --kind members "$TMP/wait-members.csv"
check ingest-wait-members-first 0 cv-ingest --kind members --dedup first \
    "$TMP/wait-members.csv"
printf '联系日期,会员卡号,导购编号,联系方式,活动,结果\n3/11/2026,A1,S1,电话,回访,未接通\n2026-11-03,A1,S1,电话,回访,已购买\n4/5/2026,A2,S1,电话,回访,\n2026-11-04,A3,S1,微信,回访,\n' >"$TMP/wait-contacts.csv"
check ingest-wait-never 0 scrub cv-ingest --kind contacts --max-reject-rate 60 \
    "$TMP/wait-contacts.csv"
# English month names need no order: an Excel-saved UK export writes
# 21-Nov-26 10:20 (d-mmm-yy, the year's century by the POSIX rule), web
# shops Nov 21, 2026, 7:15 PM PST or Sat, 21 Nov 2026; a weekday that is
# not the date's makes it a bad date.
check ingest-month-names 0 cv-ingest --as-of 2026-11-21 \
    $T/pos-ldn08-20261121-uk.csv
printf 'Order ID,Order Date,Customer ID,Total\nW1,"Nov 21, 2026, 7:15 PM PST",B1,$25.00\nW2,"Sat, 21 Nov 2026 20:02:11 +0000",B2,$30.00\nW3,"Fri, 21 Nov 2026 21:00:00 +0000",B3,$35.00\nW4,November 20 2026,B1,$40.00\n' >"$TMP/web-months.csv"
check ingest-month-names-web 0 scrub cv-ingest --as-of 2026-11-21 \
    --max-reject-rate 30 \
    "$TMP/web-months.csv"
# A two-digit year with numbers alone (11/21/26) may be month, day or
# year first: read only in the order given, never settled by the file.
printf 'Sale Date,Order ID,Customer ID,Total\n11/21/26,1001,b1,12.00\n11/20/26,1002,b2,15.00\n' >"$TMP/yy.csv"
check ingest-yy-needs-order 65 scrub cv-ingest --as-of 2026-11-21 "$TMP/yy.csv"
check ingest-yy-mdy 0 cv-ingest -q --as-of 2026-11-21 --date-order mdy \
    "$TMP/yy.csv"
check ingest-yy-dmy 65 scrub cv-ingest --as-of 2026-11-21 \
    --date-order dmy "$TMP/yy.csv"
printf 'Sale Date,Order ID,Customer ID,Total\n26/11/21,1001,b1,12.00\n26.11.20,1002,b2,15.00\n' >"$TMP/yy-ymd.csv"
check ingest-yy-ymd 0 cv-ingest -q --as-of 2026-11-21 --date-order ymd \
    "$TMP/yy-ymd.csv"
# The order given for two-digit years holds for the whole file: a day-first
# date with its year in full (13/11/2026) settles how those read, not how
# 26/11/21 does; and a settled order reads no two-digit year (a file's
# 11/13/2026 says nothing of whether 11/20/26 has its year first).  A word
# after the time is no zone unless it is a zone's name (VOID is not); an
# ISO date's bad time says nothing of the file's day/month order.
printf 'txn_id,date,customer,store,sku,qty,amount\nT1,26/11/21,C1,S1,K1,1,10.00\nT2,13/11/2026,C1,S1,K1,1,10.00\nT3,26/11/21,C1,S1,K2,1,10.00\n' >"$TMP/yy-kept.csv"
check ingest-yy-order-kept 0 cv-ingest -q --as-of 2026-11-22 --date-order ymd \
    "$TMP/yy-kept.csv"
printf 'txn_id,date,customer,store,sku,qty,amount\nT1,11/13/2026,C1,S1,K1,1,10.00\nT2,11/20/26,C1,S1,K2,1,10.00\nT3,2026-11-21 14:32 VOID,C1,S1,K2,1,10.00\nT4,2026-11-21 14:32 PST,C1,S1,K3,1,10.00\nT5,11/31/2026,C1,S1,K3,1,10.00\n' >"$TMP/yy-settled.csv"
check ingest-yy-not-settled 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 80 "$TMP/yy-settled.csv"
# A birthday's century cannot be told from two digits; a birthday with its
# month named and no year is kept as --MM-DD; a join date's two-digit
# year is read in the order given.
printf 'Member ID,Name,Birthday,Join Date\nM1,Ann,Nov 21,11/21/98\nM2,Bob,21 Nov 1990,Nov 3 2019\nM3,Cy,5/11/62,2020-01-01\nM4,Di,Sept 31,2020-01-01\nM5,Ed,21-Nov,1/2/03\nM6,Fay,00:00:00,1/2/2003\n' >"$TMP/bday-names.csv"
check ingest-bday-names 0 scrub cv-ingest --kind members --as-of 2026-11-22 \
    --date-order mdy --max-reject-rate 50 "$TMP/bday-names.csv"
check ingest-bday-names-yy 65 scrub cv-ingest --kind members \
    --as-of 2026-11-22 "$TMP/bday-names.csv"
# A date that is no day in either order (2/30) is bad and settles nothing.
printf 'InvoiceNo,InvoiceDate,CustomerID,Amount\n1,2/30/2026,C1,1.00\n2,14/3/2026,C2,2.00\n3,3/4/2026,C3,3.00\n' >"$TMP/no-day.csv"
check ingest-no-day-settles-nothing 0 scrub cv-ingest --max-reject-rate 50 \
    "$TMP/no-day.csv"
# Profiles, logs and rosters as chains write them: a totals row is no
# member, contact or assistant; gender is M, F or empty, never raw; no
# opt-out column leaves opt_out empty (unknown), not 0; Card No and
# 会员名称 are header names; 企业微信 and 打电话 are channels; 是/否 and
# states of employment read as active or left; a leave date still ahead
# does not make an assistant left.
printf '会员列表 导出时间2026-11-21\r\nCard No,会员名称,性别,客户类型\r\nA1,a,男性,代理\r\nA2,b,女士,零售客户\r\nA3,c,保密,集团客户\r\nA4,d,1,会员\r\n合计,4人,,\r\n' >"$TMP/members-report.csv"
check ingest-members-report 0 scrub cv-ingest --kind members \
    --max-reject-rate 50 "$TMP/members-report.csv"
printf '会员卡号,拒绝联系\nA1,×\nA2,已退订\nA3,Ｙ\nA4,未退订\n' >"$TMP/optout.csv"
check ingest-members-optout-values 0 cv-ingest -q --kind members "$TMP/optout.csv"
printf '联系日期,会员卡号,导购编号,联系方式\n2026-11-10,A1,S1,企业微信\n2026-11-10,A2,S1,打电话\n2026-11-11,A3,S1,上门拜访\n2026-11-12,Total,S1,电话\n' >"$TMP/contacts-ch.csv"
check ingest-contacts-channels 0 scrub cv-ingest --kind contacts \
    --max-reject-rate 50 "$TMP/contacts-ch.csv"
# A form's padded labels (性　别 with U+3000, 姓 名), a template's marks
# (*会员卡号, 手机*) and a name wrapped in its cell are the columns they name.
printf '*会员卡号,姓 名,性\343\200\200别,生\343\200\200日,手　机*,"会员\r\n等级"\r\nA1,陈静,女,1988-03-14,13800138000,金卡\r\nA2,王芳,女,1992-07-08,13655556666,银卡\r\n' >"$TMP/members-form.csv"
check ingest-members-form-labels 0 cv-ingest --kind members --as-of 2026-11-21 \
    "$TMP/members-form.csv"
# Opt-out columns as CRM exports name them (是否退订, SMS Opt-out); of
# two, the general one, then texts before mail.  The summary names the
# columns no field has, and not one left for a better name (电话 beside
# 手机, Email Opt Out beside SMS Opt-out), nor with -q.
printf '会员卡号,姓名,手机,电话,是否退订,可用积分,备注\r\nA1,陈静,13800138000,021-5555,是,120,\r\nA2,王芳,13655556666,,否,0,老客户\r\n' >"$TMP/optout-ask.csv"
check ingest-members-optout-ask 0 scrub cv-ingest --kind members "$TMP/optout-ask.csv"
check ingest-members-optout-ask-q 0 cv-ingest -q --kind members \
    "$TMP/optout-ask.csv"
printf '會員卡號,姓名,簡訊退訂,是否退訂\r\nH1,陳大文,是,否\r\n' >"$TMP/optout-trad.csv"
check ingest-members-optout-trad 0 cv-ingest --kind members "$TMP/optout-trad.csv"
printf 'Member ID,Name,Mobile,Email Opt Out,SMS Opt-out,Points\nM1,Ann,07700900123,Y,N,40\nM2,Bob,07700900456,N,Y,0\n' >"$TMP/optout-en.csv"
check ingest-members-optout-en 0 scrub cv-ingest --kind members "$TMP/optout-en.csv"
printf '联系日期,会员卡号,导购编号,门店,联系方式,结果,满意度\n2026-11-10,A1,S1,SH01,电话,已到店,5\n' >"$TMP/contacts-extra.csv"
check ingest-contacts-unread 0 scrub cv-ingest --kind contacts "$TMP/contacts-extra.csv"
# A report's bare 会员 column holds names: beside a mobile number it is
# not the member id.  Two members named 王芳 stay two, the first one's
# opt-out kept; in a member profile 会员 is then the name.  Contacts and
# sales go by the mobile number as well.
printf '会员,手机号,性别,生日,拒绝联系\r\n王芳,13800138000,女,1988-03-14,是\r\n张伟,13912345678,男,1979-11-30,否\r\n王芳,13655556666,女,1992-07-08,否\r\n' >"$TMP/huiyuan-names.csv"
check ingest-members-huiyuan-phone 0 scrub cv-ingest --kind members \
    --as-of 2026-11-21 "$TMP/huiyuan-names.csv"
printf '日期,会员,手机号,导购,方式,结果\n2026-11-10,陈静,13800138000,王芳,电话,已到店\n2026-11-10,陈静,13912345678,王芳,微信,未回复\n' >"$TMP/huiyuan-contacts.csv"
check ingest-contacts-huiyuan-phone 0 scrub cv-ingest --kind contacts \
    --as-of 2026-11-21 "$TMP/huiyuan-contacts.csv"
printf '单号,销售时间,会员,手机号,数量,实收金额\nX1,2026-11-20 14:32:05,王芳,13800138000,1,299.00\nX2,2026-11-20 15:10:00,王芳,13655556666,1,199.00\n' >"$TMP/huiyuan-txn.csv"
check ingest-txn-huiyuan-phone 0 scrub cv-ingest --as-of 2026-11-21 \
    "$TMP/huiyuan-txn.csv"
# A member's home store and assistant: the code beside the name is the
# id (开卡门店 and 门店编码), combined headers (所属门店代码, 专属导购编号)
# are read, the current home before where the card was opened; a
# Location is where the member lives, not a store.
printf '会员卡号,姓名,开卡门店,门店编码,专属导购,导购编号,Location\r\nA1,陈静,上海南京路店,SH01,王芳,SH01-03,上海\r\n' >"$TMP/home-code-name.csv"
check ingest-members-home-code 0 scrub cv-ingest --kind members \
    "$TMP/home-code-name.csv"
printf '会员卡号,姓名,开卡门店编码,所属门店代码,所属门店,开卡导购编号,专属导购编号\r\nA1,陈静,SH01,SH02,徐汇店,SH01-03,SH02-07\r\n' >"$TMP/home-codes.csv"
check ingest-members-home-codes 0 scrub cv-ingest --kind members \
    "$TMP/home-codes.csv"
# Common CRM headers: 会员手机号, 会员性别, 会员生日, 办卡日期, 所属店铺,
# 开卡导购, 卡级别; Mobile No., Birth Day, First Name (a Last Name beside
# it is not read).  In a contact log 导购姓名, 联系渠道, 联系类型 and 联系内容
# are read, so two assistants' contacts of one day stay two; a date
# beside a time of day (联系日期 and 联系时间, Date and Time) is the date,
# and 回访时间 alone is the date.
printf '会员卡号,会员名,会员手机号,会员性别,会员生日,办卡日期,所属店铺,开卡导购,卡级别,是否退订\r\nA1,陈静,13800138000,女,1988-03-14,2021-05-02,SH01,王芳,金卡,是\r\n' >"$TMP/crm-members.csv"
check ingest-members-crm-headers 0 scrub cv-ingest --kind members \
    --as-of 2026-11-21 "$TMP/crm-members.csv"
printf 'Customer ID,First Name,Last Name,Mobile No.,Tel.,Birth Day\n7001,Ann,Lee,07700900123,020 7946 0000,1988-03-14\n' >"$TMP/en-members.csv"
check ingest-members-en-headers 0 scrub cv-ingest --kind members \
    --as-of 2026-11-21 "$TMP/en-members.csv"
printf '联系日期,联系时间,会员卡号,导购姓名,联系渠道,联系类型,联系内容,联系结果\n2026-11-10,10:05,A1,王芳,电话,生日关怀,电话没人接,未接通\n2026-11-10,15:40,A1,李娜,微信,新品到店,发了新品图,已回复\n' >"$TMP/crm-contacts.csv"
check ingest-contacts-crm-headers 0 scrub cv-ingest --kind contacts \
    --as-of 2026-11-21 "$TMP/crm-contacts.csv"
printf 'Time,Date,Member ID,Staff,Channel,Outcome\n14:32,11/21/2026,A1,S1,Phone,Visited\n' >"$TMP/en-contacts.csv"
check ingest-contacts-date-time 0 scrub cv-ingest --kind contacts \
    --as-of 2026-11-21 "$TMP/en-contacts.csv"
printf '回访时间,会员卡号,导购姓名,回访方式,回访内容,回访结果\n2026-11-10 14:00,A1,王芳,电话,试穿了大衣,已到店\n' >"$TMP/visit-contacts.csv"
check ingest-contacts-visit-time 0 scrub cv-ingest --kind contacts \
    --as-of 2026-11-21 "$TMP/visit-contacts.csv"
printf '导购编号,姓名,门店,在职,离职日期\nS1,a,SH01,是,\nS2,b,SH01,否,\nS3,c,SH01,√,\nS4,d,SH01,试用,\nS5,e,SH01,已離職,\nS6,f,SH01,是,2027-01-01\nS7,g,SH01,是,2026-11-01\n合计,,,,\n' >"$TMP/staff-status.csv"
check ingest-staff-status 0 scrub cv-ingest --kind staff --as-of 2026-11-21 \
    --max-reject-rate 50 "$TMP/staff-status.csv"
# Many rows behind a waiting one: a later copy still wins (the queue
# holds them in order); two day/month dates 100000 rows apart both wait;
# past 250000 waiting rows the file stops waiting, its day/month dates are
# rejected, and every other row is kept in order.
awk 'BEGIN { print "InvoiceNo,Line,InvoiceDate,CustomerID,Amount"
	print "1,1,3/4/2026,C1,1.00"
	for (i = 2; i <= 100001; i++) printf "%d,1,2026-04-05,C%d,2.00\n", i, i
	print "2,1,2026-04-05,C2,2.50"
	print "100002,1,3/5/2026,C9,3.00"
	print "100003,1,13/4/2026,C9,4.00" }' >"$TMP/queue.csv"
check ingest-queue-order 0 sh -c "cv-ingest $TMP/queue.csv 2>&1 |
    awk -F'\t' '\$1 == 1 || \$1 == 2 || \$1 > 100000 || !/^[0-9]/' |
    sed 's|$TMP|TMP|'"
awk 'BEGIN { print "InvoiceNo,Line,InvoiceDate,CustomerID,Amount"
	print "1,1,3/4/2026,C1,1.00"
	for (i = 2; i <= 250002; i++) printf "%d,1,2026-04-05,C%d,2.00\n", i, i
	print "250003,1,3/5/2026,C9,3.00"
	print "250004,1,13/4/2026,C9,4.00" }' >"$TMP/queue-full.csv"
check ingest-queue-full 0 sh -c "cv-ingest --max-reject-rate 1 \
    $TMP/queue-full.csv 2>&1 | awk -F'\t' '\$1 <= 2 || \$1 >= 250001 ||
    !/^[0-9]/' | sed 's|$TMP|TMP|'"
# Exports as other tills write them: the date and the time of day in two
# columns (either may hold the date; a date written with midnight takes
# the time), a store's and an assistant's code beside their names, the
# member by mobile number, 零售单号 receipts (two walk-ins in one second
# stay two), 商品数量 and 小计; Square's item sales with Date and Time, a
# Unit of measure that is no count, Net Sales beside Gross Sales.
check ingest-split-time 0 cv-ingest --as-of 2026-11-21 \
    $T/pos-nj06-20261121-split.csv
check ingest-square-items 0 cv-ingest --as-of 2026-11-21 \
    $T/pos-ny07-20261121-items.csv
# --map ts=Date keeps the Time column beside it.  Two columns that could
# be the rest of the time, with synonyms of one rank, are left alone
# (which one is meant would be a guess), and the message says how to name
# the date; named, its time column is the better synonym of the two.
check ingest-split-time-map 0 cv-ingest -q --as-of 2026-11-21 \
    --map ts=Date $T/pos-ny07-20261121-items.csv
printf '单号,销售时间,销售日期,交易日期,会员卡号,实收金额\n1,10:02:13,2026-11-20,2026-11-20,A1,5.00\n' >"$TMP/two-times.csv"
check ingest-split-time-two 65 scrub cv-ingest --as-of 2026-11-21 \
    "$TMP/two-times.csv"
check ingest-split-time-two-map 0 cv-ingest -q --as-of 2026-11-21 \
    --map ts=交易日期 "$TMP/two-times.csv"
# A zone after the time is passed over: the time stays as the till wrote
# it.  A web shop's order export: the customer by e-mail; the unit price
# named with --map is used although an order Total could be the amount.
printf 'Name,Created at,Email,Lineitem quantity,Lineitem price,Lineitem sku,Total\n#1001,2026-11-20 10:14:00 +0800,ana@example.com,1,399.00,CO26W005-BLK-M,598.00\n#1001,2026-11-20 10:14:00 +0800,ana@example.com,1,199.00,SC26W011-RED-F,\n#1002,2026-11-20T03:59:00Z,bo@example.com,2,599.00,DR26W210-BLK-S,1078.20\n' >"$TMP/web-orders.csv"
check ingest-web-orders 0 cv-ingest -q --as-of 2026-11-21 --map txn_id=Name \
    --map unit_price='Lineitem price' "$TMP/web-orders.csv"
# A selling price beside a discount and no amount paid: refused, for the
# amount would be the price before the discount; said to be the price
# paid with --map, it is used.  A price named as paid (实际售价) is taken
# before the selling price, with no question.
printf '小票号,销售时间,会员卡号,款号,数量,售价,折扣\nX1,2026-11-20 14:32:05,A1,CO26W005,1,1299.00,80\n' >"$TMP/list-price.csv"
check ingest-price-before-discount 65 scrub cv-ingest --as-of 2026-11-21 \
    "$TMP/list-price.csv"
check ingest-price-before-discount-map 0 cv-ingest -q --as-of 2026-11-21 \
    --map unit_price=售价 "$TMP/list-price.csv"
printf '小票号,销售时间,会员卡号,款号,数量,售价,折扣,实际售价\nX1,2026-11-20 14:32:05,A1,CO26W005,2,1299.00,80,1039.20\n' >"$TMP/paid-price.csv"
check ingest-price-paid 0 cv-ingest -q --as-of 2026-11-21 "$TMP/paid-price.csv"
# A time column whose value is no time is a bad time, not midnight; an
# empty one leaves the date alone; one holding the whole time is used.
printf 'Date,Time,Customer ID,SKU,Qty,Amount\n2026-11-21,24:00,C1,COAT,1,599.00\n2026-11-21,,C1,SCARF,1,99.00\n2026-11-21,2026-11-21 15:20:00,C1,BELT,1,49.00\n' >"$TMP/bad-time.csv"
check ingest-split-time-bad 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 50 "$TMP/bad-time.csv"
# So in the Chinese layout, where 销售时间 is the better synonym and the
# date is in 销售日期: an empty time leaves the date alone, and 24:00 is a
# bad time (they were "no date" and "bad date").
printf '零售单号,销售日期,销售时间,会员手机号,款号,商品数量,小计\nLS1,2026/11/21,10:02:13,13800138000,K1,1,594.15\nLS2,2026/11/21,,13800138000,K2,1,129.00\nLS3,2026/11/21,24:00,13800138000,K3,1,99.00\nLS4,,10:05,13800138000,K4,1,19.00\n' >"$TMP/bad-time-cn.csv"
check ingest-split-time-bad-cn 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 50 "$TMP/bad-time-cn.csv"
# Two columns that name different days, or a time of day other than the
# date's own, are a bad date: which one was meant would be a guess (one
# column won, a different one by the headers' language).
printf 'Date,Time,Customer ID,SKU,Qty,Amount\n2026-11-21,2026-11-22 15:20:00,C1,BELT,1,49.00\n2026-11-21 09:00,10:00,C1,HAT,1,19.00\n2026-11-21 10:00,10:00,C1,CAP,1,9.00\n2026-11-21 00:00,2026-11-21 11:00,C1,BAG,1,5.00\n' >"$TMP/two-days.csv"
printf '零售单号,销售日期,销售时间,会员手机号,款号,商品数量,小计\nLS1,2026/11/21,2026/11/22 10:02:13,13800138000,K1,1,594.15\nLS2,2026/11/21,2026/11/21 10:02:13,13800138000,K1,1,594.15\n' >"$TMP/two-days-cn.csv"
check ingest-split-time-disagree 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 100 "$TMP/two-days.csv" "$TMP/two-days-cn.csv"
# But a file re-saved by Excel (a date and time written as h:mm, the
# seconds lost, beside a time of day with them) takes the seconds, either
# way round and in both layouts; midnight in the time column is no time;
# a Time column of Access or SQL Server times (the day zero with the
# time) gives the time of day.
printf 'Receipt,Date,Time,Member,Qty,Amount\nR1,2026/11/20 14:32,14:32:05,M1,1,10.00\nR2,2026-11-20 14:32:05,14:32,M2,1,10.00\nR3,2026-11-20 14:32:05,00:00:00,M3,1,10.00\nR4,2026-11-20,1899-12-30 14:32:05,M4,1,10.00\nR5,2026-11-20,1900-01-01 14:33:00,M5,1,10.00\nR6,2026-11-20 14:32:05,2026-11-20 14:32,M6,1,10.00\n' >"$TMP/resaved.csv"
printf '单号,销售日期,销售时间,会员卡号,数量,实收金额\nR1,2026/11/20 14:32,14:32:05,M1,1,10.00\nR2,2026-11-20 14:32:05,14:32,M2,1,10.00\nR3,2026-11-20,1899-12-30 14:32:05,M3,1,10.00\n' >"$TMP/resaved-cn.csv"
check ingest-split-time-resaved 0 sh -c "cv-ingest -q --as-of 2026-11-22 \
    $TMP/resaved.csv $TMP/resaved-cn.csv | cut -f1,3,4"
# The messages name the value at fault: a date before 1970 beside an
# empty time (the empty column was quoted), a two-digit year beside a date
# (its hint was lost to "neither a time of day nor a date").
printf '单号,销售日期,销售时间,会员卡号,数量,实收金额\nR1,1969-12-31,,M1,1,10.00\nR2,2026-11-20,20/11/26 14:32:05,M1,1,10.00\n' >"$TMP/ts-messages.csv"
check ingest-split-time-messages 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 100 "$TMP/ts-messages.csv"
# Excel in Chinese writes h:mm AM/PM as 2:32 下午, the 上午/下午 after the
# time, in one column or in a time column of its own; a T or an
# ideographic space between a day-first date and its time (all were
# rejected as bad dates).
printf '单号,销售时间,会员卡号,数量,实收金额\nP1,2026/11/21 2:32 下午,M1,1,10.00\nP2,2026/11/21 12:05 上午,M1,1,10.00\nP3,2026/11/21 13:05 下午,M1,1,10.00\n' >"$TMP/ampm-after.csv"
printf '单号,销售日期,销售时间,会员卡号,数量,实收金额\nQ1,2026/11/21,12:32:05 下午,M2,1,10.00\n' >"$TMP/ampm-after-split.csv"
printf 'Receipt,Date,Member,Qty,Amount\nU1,21/11/2026T14:32,M3,1,10.00\nU2,21/11/2026\343\200\20015:40,M3,1,10.00\nU3,21/11/2026T,M3,1,10.00\n' >"$TMP/dmy-t.csv"
check ingest-time-forms 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 100 "$TMP/ampm-after.csv" "$TMP/ampm-after-split.csv" \
    "$TMP/dmy-t.csv"
# A day/month date in the column left over waits for the file to settle
# its order, and settles it, as one in the first column does: beside
# Access's times every row was rejected as before 1970, and the same row
# was read two ways before and after the order was settled.  A Time
# column of day-zero times as US and UK tills write them gives the time;
# a two-digit year or a wrong weekday there keeps its message.
printf '单号,销售日期,销售时间,会员卡号,数量,实收金额\nA1,05/11/2026,1899-12-30 14:32:05,M1,1,10.00\nA2,20/11/2026,1899-12-30 15:00:00,M2,1,10.00\nA3,06/11/2026,1899-12-30 16:00:00,M3,1,10.00\n' >"$TMP/wait-access.csv"
printf '单号,销售日期,销售时间,会员卡号,数量,实收金额\nB1,05/11/2026 14:32,2026-11-05,M1,1,10.00\nB2,20/11/2026,,M2,1,10.00\nB3,05/11/2026 14:32,2026-11-05,M3,1,10.00\n' >"$TMP/wait-two.csv"
printf 'Receipt,Date,Time,Member,Qty,Amount\nU1,2026-11-20,12/30/1899 2:32:05 PM,M1,1,10.00\n' >"$TMP/zero-us.csv"
printf 'Receipt,Date,Time,Member,Qty,Amount\nK2,2026-11-20,30/12/1899 14:33:00,M2,1,10.00\n' >"$TMP/zero-uk.csv"
printf '单号,销售日期,销售时间,会员卡号,数量,实收金额\nH1,20/11/26,2026-11-20 14:32:05,M1,1,10.00\nH2,"Sat, 20 Nov 2026",2026-11-20 14:32:05,M2,1,10.00\n' >"$TMP/second-hints.csv"
check ingest-split-time-waits 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 100 "$TMP/wait-access.csv" "$TMP/wait-two.csv" \
    "$TMP/zero-us.csv" "$TMP/zero-uk.csv" "$TMP/second-hints.csv"
# But beside a day in the first column it is read in the order that
# gives that day: a file whose days are all 12 or less, which never
# settles its order, was rejected whole.
printf '单号,销售日期,销售时间,会员卡号,数量,实收金额\nC1,05/11/2026,2026-11-05 14:32:05,M1,1,10.00\nC2,06/11/2026,2026-11-06 15:00:00,M2,1,10.00\n' >"$TMP/beside-cn.csv"
printf 'Receipt,Date,Time,Member,Qty,Amount\nD1,2026-11-05,11/5/2026 2:32:05 PM,M1,1,10.00\nD2,2026-11-05,11/5/2026 3:10:00 PM,M2,1,12.00\n' >"$TMP/beside-us.csv"
check ingest-split-time-beside 0 cv-ingest -q --as-of 2026-11-22 \
    "$TMP/beside-cn.csv" "$TMP/beside-us.csv"
# The same with the day/month date in the first column; a row whose date
# is a day in one order only settles it as before, and a row read by the
# other column's day settles it too, so a later row that disagrees with
# it is a bad date.
printf '单号,销售日期,销售时间,会员卡号,数量,实收金额\nJ1,2026-11-05,11/5/2026 2:32:05 PM,M1,1,10.00\n' >"$TMP/beside-first-cn.csv"
printf 'Receipt,Date,Time,Member,Qty,Amount\nJ2,05/11/2026,2026-11-05 14:32:05,M1,1,10.00\n' >"$TMP/beside-first-en.csv"
printf '单号,销售日期,销售时间,会员卡号,数量,实收金额\nL1,11/30/2026,2026-11-30 15:00:00,M2,1,10.00\nL2,11/05/2026,2026-05-11 14:00:00,M1,1,10.00\n' >"$TMP/beside-settled.csv"
printf '单号,销售日期,销售时间,会员卡号,数量,实收金额\nN1,30/11/2026,2026-11-30 14:00:00,M1,1,10.00\nN2,05/11/2026,1899-12-30 14:33:00,M2,1,10.00\n' >"$TMP/beside-zero.csv"
printf 'Receipt,Date,Time,Member,Qty,Amount\nP1,2026-05-11,11/05/2026 2:00 PM,M1,1,10.00\nP2,2026-11-30,11/30/2026 3:00 PM,M2,1,10.00\n' >"$TMP/beside-agrees.csv"
check ingest-split-time-beside-settles 0 scrub cv-ingest --as-of 2026-12-31 \
    --max-reject-rate 100 "$TMP/beside-first-cn.csv" "$TMP/beside-first-en.csv" \
    "$TMP/beside-settled.csv" "$TMP/beside-zero.csv" "$TMP/beside-agrees.csv"
# A UK day zero in the Time column settles the order for the Date column
# beside it, in either layout (the English one waited and rejected every
# row as ambiguous).
printf 'Receipt,Date,Time,Customer,Qty,Amount\nQ1,05/11/2026,30/12/1899 14:33,C1,1,10.00\nQ2,06/11/2026,30/12/1899 15:00,C2,1,12.00\n' >"$TMP/zero-uk-waits-en.csv"
printf '单号,销售时间,销售日期,会员卡号,数量,实收金额\nQ3,05/11/2026,30/12/1899 14:33,C3,1,10.00\n' >"$TMP/zero-uk-waits-cn.csv"
check ingest-split-time-zero-settles 0 cv-ingest -q --as-of 2026-11-22 \
    "$TMP/zero-uk-waits-en.csv" "$TMP/zero-uk-waits-cn.csv"
# A row rejected for --as-of has settled the file's order by the other
# column's day in both layouts, so a later date alone is read by it (in
# the English one it was rejected as ambiguous).
printf 'Receipt,Date,Time,Customer,Qty,Amount\nF1,2026-12-05,05/12/2026 10:00,C1,1,10.00\nF2,07/11/2026,,C2,1,12.00\n' >"$TMP/future-settles-en.csv"
printf '单号,销售日期,销售时间,会员卡号,数量,实收金额\nF3,2026-12-05,05/12/2026 10:00,C3,1,10.00\nF4,07/11/2026,,C4,1,12.00\n' >"$TMP/future-settles-cn.csv"
check ingest-split-time-future-settles 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 100 "$TMP/future-settles-en.csv" \
    "$TMP/future-settles-cn.csv"
# A row rejected for a bad time (24:00) has settled the order by its date
# in both layouts (the Chinese one rejected the row before, and every
# earlier row waited and was rejected as ambiguous), and the reason is the
# bad time in both.
printf 'Receipt,Date,Time,Customer,Qty,Amount\nG1,05/11/2026,14:33,C1,1,10.00\nG2,13/11/2026,24:00,C2,1,10.00\nG3,06/11/2026,24:00,C3,1,10.00\n' >"$TMP/bad-time-settles-en.csv"
printf '单号,销售日期,销售时间,会员卡号,数量,实收金额\nG4,05/11/2026,14:33,C4,1,10.00\nG5,13/11/2026,24:00,C5,1,10.00\nG6,06/11/2026,24:00,C6,1,10.00\n' >"$TMP/bad-time-settles-cn.csv"
check ingest-split-time-bad-time-settles 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 100 "$TMP/bad-time-settles-en.csv" \
    "$TMP/bad-time-settles-cn.csv"
# A row whose two columns settle the order opposite ways is a bad date and
# settles nothing, in both layouts (which column won depended on the
# headers' language, and the other rows were read months off).
printf 'Receipt,Date,Time,Customer,Qty,Amount\nO1,05/11/2026,14:33,C1,1,10.00\nO2,13/11/2026,12/30/1899 2:33 PM,C2,1,10.00\nO3,20/11/2026,15:00,C3,1,10.00\n' >"$TMP/opposite-en.csv"
printf '单号,销售日期,销售时间,会员卡号,数量,实收金额\nO4,05/11/2026,14:33,C4,1,10.00\nO5,13/11/2026,12/30/1899 2:33 PM,C5,1,10.00\nO6,11/20/2026,15:00,C6,1,10.00\n' >"$TMP/opposite-cn.csv"
check ingest-split-time-opposite-orders 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 100 "$TMP/opposite-en.csv" "$TMP/opposite-cn.csv"
# Every time of day written wrong is a bad time at once, in both layouts
# (24:00:00.000, 24时00分, 24：00, 13:33 p.m., 24:00:00-05:00 made the
# English rows wait and be rejected as ambiguous), and so is a value no
# order reads, beside a day/month date the file has not settled (abc,
# 2/30/2026, a two-digit year).
printf 'Receipt,Date,Time,Customer,Qty,Amount\nH1,05/11/2026,14:33,C1,1,10.00\nH2,06/11/2026,24:00:00.000,C2,1,10.00\nH3,07/11/2026,24\346\227\26600\345\210\206,C3,1,10.00\nH4,08/11/2026,24\357\274\23200,C4,1,10.00\nH5,09/11/2026,13:33 p.m.,C5,1,10.00\nH6,10/11/2026,24:00:00-05:00,C6,1,10.00\n' >"$TMP/time-forms-en.csv"
sed '1s/.*/单号,销售日期,销售时间,会员卡号,数量,实收金额/' "$TMP/time-forms-en.csv" >"$TMP/time-forms-cn.csv"
check ingest-split-time-bad-time-forms 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 100 "$TMP/time-forms-en.csv" "$TMP/time-forms-cn.csv"
printf 'Receipt,Date,Time,Customer,Qty,Amount\nJ1,05/11/2026,abc,C1,1,10.00\nJ2,06/11/2026,2/30/2026,C2,1,10.00\nJ3,07/11/2026,05/11/26,C3,1,10.00\nJ4,05/11/26,24:00,C4,1,10.00\n' >"$TMP/unreadable-en.csv"
sed '1s/.*/单号,销售日期,销售时间,会员卡号,数量,实收金额/' "$TMP/unreadable-en.csv" >"$TMP/unreadable-cn.csv"
check ingest-split-time-unreadable 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 100 "$TMP/unreadable-en.csv" "$TMP/unreadable-cn.csv"
# A day that is not its weekday beside a day/month date the file has not
# settled is bad at once in both layouts (the English row waited and was
# rejected as ambiguous).
printf 'Receipt,Date,Time,Customer,Qty,Amount\nW1,05/11/2026,"Fri, 5 Nov 2026",C1,1,10.00\nW2,06/11/2026,15:00,C2,1,10.00\n' >"$TMP/weekday-en.csv"
sed '1s/.*/单号,销售日期,销售时间,会员卡号,数量,实收金额/' "$TMP/weekday-en.csv" >"$TMP/weekday-cn.csv"
check ingest-split-time-wrong-weekday 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 100 "$TMP/weekday-en.csv" "$TMP/weekday-cn.csv"
# A day/month date whose time is none (24:00, a T alone) is a bad date at once,
# saying so, in one column or beside a date (it waited and was rejected
# as ambiguous, or as two columns that are not one day and time); a day
# in one order only still settles the file's order (T0 is 5 November).
printf 'Receipt,Date,Customer,Qty,Amount\nT0,05/11/2026 10:00,C0,1,10.00\nT1,05/11/2026 24:00,C1,1,10.00\nT3,13/11/2026 24:00,C3,1,10.00\nT2,13/11/2026 14:00,C2,1,10.00\nT4,06/11/2026T,C4,1,10.00\n' >"$TMP/cell-time.csv"
printf 'Receipt,Date,Time,Customer,Qty,Amount\nT5,2026-11-05,05/11/2026 24:00,C5,1,10.00\n' >"$TMP/cell-time-en.csv"
sed '1s/.*/单号,销售日期,销售时间,会员卡号,数量,实收金额/' "$TMP/cell-time-en.csv" >"$TMP/cell-time-cn.csv"
check ingest-date-time-none 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 100 "$TMP/cell-time.csv" "$TMP/cell-time-en.csv" \
    "$TMP/cell-time-cn.csv"
# Such a date's message blames the time only when the order reads its
# day and its year has four digits: in a month-first file, or under
# --date-order dmy, a date the order does not read says so, in a Time
# column too, and so does a year of five digits.
printf 'Receipt,Date,Time,Customer,Qty,Amount\nD0,11/13/2026,10:00,C0,1,10.00\nD1,2026-11-05,13/11/2026 24:00,C1,1,10.00\n' >"$TMP/detail-mdy.csv"
printf 'Receipt,Date,Time,Customer,Qty,Amount\nD2,2026-11-13,11/13/2026 24:00,C2,1,10.00\n' >"$TMP/detail-given.csv"
printf 'Receipt,Date,Customer,Qty,Amount\nD3,13/11/2026 10:00,C3,1,10.00\nD4,05/11/20261 14:32,C4,1,10.00\n' >"$TMP/detail-year5.csv"
check ingest-date-time-detail 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 100 "$TMP/detail-mdy.csv" "$TMP/detail-year5.csv"
check ingest-date-time-detail-given 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 100 --date-order dmy "$TMP/detail-given.csv"
# --map unit_price never sets aside an amount paid (实收金额), only a
# generic one; a name column beside a name column of another kind, a
# subtotal beside an amount, Unit alone as the count all map.
printf '单号,销售时间,会员卡号,导购,导购姓名,数量,单价,实收金额,金额,小计\nX1,2026-11-20 14:32:05,A1,S01,王芳,2,1299.00,2078.40,2598.00,2078.40\n' >"$TMP/paid-amount.csv"
check ingest-map-price-keeps-paid 0 cv-ingest -q --as-of 2026-11-21 \
    --map unit_price=单价 "$TMP/paid-amount.csv"
printf 'Date,Receipt No,Customer ID,Unit,Price\n2026-11-20,R1,C1,2,399.00\n' >"$TMP/unit-only.csv"
check ingest-unit-only 0 cv-ingest -q --as-of 2026-11-21 "$TMP/unit-only.csv"
# A sale before 1970 (a mistyped year) is a bad date: cv-score could not
# read it, and the history store would keep it.
printf 'Receipt No,Date,Member,Amount\nR1,1926-11-21,M1,1.00\nR2,2026-11-21,M1,2.00\n' >"$TMP/year-1926.csv"
check ingest-date-before-1970 0 scrub cv-ingest --as-of 2026-11-21 \
    --max-reject-rate 50 "$TMP/year-1926.csv"
# A rejected record with no text of its own, first in its batch (8191
# records on one line split by bare CRs before it; the blank lines after
# keep it a file of LF lines, with more LFs than lone CRs).
{ printf 'Receipt No,Date,Member,Amount\n'; awk 'BEGIN { for (i = 0; i < 8191; i++) printf "R%d,2026-11-21,M1,1.00\r", i }'; printf 'R,2026-11-21,M1,abc\r\n'; awk 'BEGIN { for (i = 0; i < 8200; i++) print "" }'; } >"$TMP/cr-batch.csv"
check ingest-cr-batch-reject 0 sh -c "cd $TMP && cv-ingest -q \
    --as-of 2026-11-21 --max-reject-rate 100 --rejects cr-rej.tsv \
    cr-batch.csv | wc -l && cat cr-rej.tsv"
# Two columns of one name: --map cannot tell them apart, so the message
# does not offer it.
printf 'Date,Customer ID,Amount,amount\n2026-11-20,C1,1.00,2.00\n' >"$TMP/same-name.csv"
check ingest-same-name 65 scrub cv-ingest "$TMP/same-name.csv"
# A bare "Sales" column is money, not a receipt id.
printf 'Date,Receipt No,Customer ID,SKU,Qty,Sales\n2026-11-20,R1001,C77,CO26W005-BLK-M,1,399.00\n' >"$TMP/sales-col.csv"
check ingest-sales-column 0 cv-ingest -q --as-of 2026-11-21 "$TMP/sales-col.csv"
# A member card number beside a payment card number, a name beside a
# member's title: no error.  A totals row without an id is still one.
# --columns with one column --map gives to two fields.  An id over 255
# bytes is refused here, as cv-score would refuse it.
printf 'InvoiceNo,InvoiceDate,CustomerID,Card No,Amount\n1,2026-11-21,C1,4111,1.00\n' >"$TMP/card.csv"
check ingest-card-no 0 cv-ingest -q "$TMP/card.csv"
printf '会员卡号,姓名,会员名称\nA1,王芳,金卡会员\n,合计,2\n' >"$TMP/title.csv"
check ingest-member-title 0 scrub cv-ingest --kind members \
    --max-reject-rate 0 "$TMP/title.csv"
printf '联系日期,会员卡号,导购编号\n2026-11-10,A1,S1\n合计,,\n' >"$TMP/ct-total.csv"
check ingest-contacts-total 0 scrub cv-ingest --kind contacts \
    --max-reject-rate 0 "$TMP/ct-total.csv"
printf '13800138000,a\n' >"$TMP/cols2.csv"
check ingest-columns-twice 64 cv-ingest --columns amount,amount,ts,customer_id \
    "$TMP/cols2.csv"
check ingest-columns-map-twice 0 cv-ingest -q --kind members \
    --columns mobile,name --map customer_id=mobile --map phone=mobile \
    "$TMP/cols2.csv"
awk 'BEGIN { printf "会员卡号,姓名\n"; for (i = 0; i < 256; i++) printf "9"
	print ",long" ; print "A1,short" }' >"$TMP/long-id.csv"
check ingest-id-too-long 0 scrub cv-ingest --kind members \
    --max-reject-rate 50 "$TMP/long-id.csv"
# A birthday without a year follows the date order, given or settled.
printf '会员卡号,生日\nB1,5/11\nB2,21/11\nB3,11-05\nB4,5月11日\n' >"$TMP/bday.csv"
check ingest-bday-dmy 0 cv-ingest --kind members --date-order dmy "$TMP/bday.csv"
printf '会员卡号,生日\nB1,5/11\nB2,14/3/1988\nB3,12/25\n' >"$TMP/bday-settle.csv"
check ingest-bday-settled 0 scrub cv-ingest --kind members --max-reject-rate 50 \
    "$TMP/bday-settle.csv"
# Dates written for none (0000-00-00 from MySQL, 1900-01-01 and
# 1899-12-30 from SQL Server and Excel) are no date: an empty birthday (not
# a birthday call every 1 January), an assistant who has not left, a
# contact rejected for its date; a birthday before 1900 or after --as-of
# is a bad birthday; 1970-01-01 is a real day.
printf '会员卡号,姓名,生日,入会日期\r\nM1,陈静,0000-00-00,2020-01-01\r\nM2,刘洋,1900-01-01,0000-00-00 00:00:00\r\nM3,王芳,1900/1/1,2020-01-01\r\nM4,赵敏,1899-12-29,2020-01-01\r\nM5,孙丽,2030-01-01,2020-01-01\r\nM6,周杰,1899-12-30 00:00:00,1900-01-01\r\nM7,吴昊,1970-01-01,2020-01-01\r\nM8,郑爽,1900-01-02,00/00/0000\r\n' >"$TMP/none-dates.csv"
check ingest-none-dates-members 0 scrub cv-ingest --kind members \
    --as-of 2026-11-22 --max-reject-rate 50 "$TMP/none-dates.csv"
printf '导购编号,姓名,门店,状态,离职日期\nS1,王,SH01,在职,1900-01-01\nS2,李,SH01,在职,0000-00-00\nS3,张,SH01,在职,2026-10-01\n' >"$TMP/none-left.csv"
check ingest-none-dates-staff 0 cv-ingest --kind staff --as-of 2026-11-22 \
    "$TMP/none-left.csv"
printf '联系日期,会员卡号,导购编号,联系方式,活动,结果\n0000-00-00,A1,S1,电话,回访,未接通\n"  ",A2,S1,电话,回访,\n2026-11-04,A3,S1,微信,回访,\n1900-01-01 00:00:00,A4,S1,微信,回访,\n' >"$TMP/none-contacts.csv"
check ingest-none-dates-contacts 0 scrub cv-ingest --kind contacts \
    --as-of 2026-11-22 --max-reject-rate 80 "$TMP/none-contacts.csv"
check ingest-store-channel 0 cv-ingest --store UK01 --channel online $T/pos-us-mdy.csv
check ingest-several 0 cv-ingest $T/pos-sh01-20261121.csv \
    $T/pos-hz02-20261121-gbk.csv $T/pos-bj03-20261121-excel.csv \
    $T/pos-gz04-20261121-report.csv $T/pos-online-20261121.csv

# gzip: a file, two members, stdin, and the broken ones.
check ingest-gz 0 cv-ingest -q $T/pos-sh01-20261121.csv.gz
check ingest-gz-members 0 cv-ingest -q $T/pos-sh01-two-members.csv.gz
STDIN=$T/pos-sh01-20261121.csv.gz
check ingest-gz-stdin 0 cv-ingest -q
STDIN=$T/pos-online-20261121.csv
check ingest-stdin-dash 0 cv-ingest -q -
check ingest-gz-truncated 65 cv-ingest $T/truncated.csv.gz
check ingest-gz-corrupt 65 cv-ingest $T/corrupt.csv.gz
check ingest-gz-garbage 65 cv-ingest $T/trailing-garbage.csv.gz
# A trailer that claims 4 GiB sizes nothing: the run fits in 600 MB of
# address space (not under the sanitizers, which reserve terabytes).
if [ -n "${SANITIZE:-}" ]; then vlimit=unlimited; else vlimit=600000; fi
check ingest-gz-bad-length 65 sh -c 'ulimit -v "$0" && exec cv-ingest "$1"' \
    "$vlimit" $T/bad-length.csv.gz
# A long export cut off mid-stream, where the runs of plain lines are
# parsed on two threads when the data stops: the same error, no line of
# output, no -o file, every row read counted.
gz_truncated_long() (
	mkdir -p "$TMP/gzt" && cd "$TMP/gzt" || exit 1
	cv-synth -q --single t.csv --lines 60000 --members 3000 --seed 3
	gzip -nc t.csv | head -c 500000 >t.csv.gz
	cv-ingest t.csv.gz >o.tsv 2>err
	echo "exit $?, $(wc -l <o.tsv) lines out"
	sed 1q err
	sed -n 2p err | awk '$4 == $7 + $10 + $13 && $4 > 10000 {
	    print "rows read = accepted + rejected + duplicates"; next }
	    { print "not all rows counted:", $0 }'
	rm -f out.tsv
	cv-ingest -q -o out.tsv t.csv.gz 2>&1
	echo "exit $?"
	[ ! -e out.tsv ] || echo "out.tsv was written"
	cd .. && rm -rf gzt
)
check ingest-gz-truncated-long 0 gz_truncated_long
# A file read from a mapping of the whole file: its runs of plain lines
# are parsed on two threads while the next run is looked for, and the
# pages behind are let go.  Lines with quotes far apart, where the runs
# stop, and a last line without its LF come out in their places: the
# output is what the same bytes give from a pipe, every line accounted.
mapped_runs() (
	mkdir -p "$TMP/mr" && cd "$TMP/mr" || exit 1
	cv-synth -q --single m.csv --lines 400000 --members 20000 --seed 5
	awk -F, -v OFS=, 'NR > 1 && NR % 37000 == 0 { $7 = "\"" $7 ",x\"" }
	    { printf "%s%s", (NR > 1 ? "\n" : ""), $0 }' m.csv >q.csv
	cv-ingest q.csv >a.tsv 2>a.err
	echo "exit $?, $(wc -l <a.tsv) lines out, $(grep -c ',x' a.tsv) quoted"
	cat a.err
	cat q.csv | cv-ingest >b.tsv 2>b.err
	echo "exit $?"
	cmp -s a.tsv b.tsv || echo "not the output of the same bytes on a pipe"
	cmp -s a.err b.err || echo "not the messages of the same bytes on a pipe"
	# Under a limit on the address space the file is mapped in windows.
	sh -c 'ulimit -v "$0" && exec cv-ingest q.csv' "$vlimit" >c.tsv 2>c.err
	echo "exit $?"
	cmp -s a.tsv c.tsv || echo "not the same output under ulimit -v"
	tail -n 1 a.tsv | cut -f 1,2
	cd .. && rm -rf mr
)
check ingest-mapped-runs 0 mapped_runs

# Duplicates: the same night twice, a re-sent night with a corrected line.
check ingest-same-twice 0 cv-ingest $T/pos-sh01-20261121.csv \
    $T/pos-sh01-20261121.csv.gz
check ingest-resent 0 cv-ingest $T/pos-sh01-20261121.csv \
    $T/pos-sh01-20261121-resent.csv
check ingest-resent-first 0 cv-ingest --dedup first \
    $T/pos-sh01-20261121.csv $T/pos-sh01-20261121-resent.csv
# With -o the output file is its own spool: the lines a later copy
# superseded are squeezed out in place.  The file must hold what stdout
# gets: the night sent twice (the second copy dropped whole), the re-sent
# night (earlier lines replaced), the first line replaced, one line
# replaced twice, a line of 2 MB moved down.
H='单号,行号,销售时间,会员卡号,门店,款号,数量,实收金额'
printf '%s\nR1,1,2026-11-21 10:00,VIP1,SH01,A,1,10.00\nR2,1,2026-11-21 10:05,VIP2,SH01,B,1,20.00\nR3,1,2026-11-21 10:09,,SH01,C,1,30.00\n' "$H" >"$TMP/sq-a.csv"
printf '%s\nR1,1,2026-11-21 10:00,VIP1,SH01,A,1,11.00\nR3,1,2026-11-21 10:09,,SH01,C,1,30.00\nR4,1,2026-11-21 11:00,VIP4,SH01,D,2,80.00\n' "$H" >"$TMP/sq-b.csv"
printf '%s\nR1,1,2026-11-21 10:00,VIP1,SH01,A,1,12.00\n' "$H" >"$TMP/sq-c.csv"
{ printf '%s\nR0,1,2026-11-21 09:00,VIP0,SH01,Z,1,5.00\n' "$H"
  awk 'BEGIN { printf "R9,1,2026-11-21 12:00,VIP9,SH01,"
	for (i = 0; i < 2097152; i++) printf "L"; print ",1,90.00" }'
} >"$TMP/sq-long.csv"
printf '%s\nR0,1,2026-11-21 09:00,VIP0,SH01,Z,1,6.00\n' "$H" >"$TMP/sq-long2.csv"
squeezed() {
	cv-ingest -q "$@" >"$TMP/sq-stdout.tsv" &&
	cv-ingest -q -o "$TMP/sq-out.tsv" "$@" &&
	cmp "$TMP/sq-stdout.tsv" "$TMP/sq-out.tsv" &&
	cut -c1-72 "$TMP/sq-out.tsv" && wc -c <"$TMP/sq-out.tsv"
}
check ingest-o-same-twice 0 squeezed $T/pos-sh01-20261121.csv \
    $T/pos-sh01-20261121.csv.gz
check ingest-o-resent 0 squeezed $T/pos-sh01-20261121.csv \
    $T/pos-sh01-20261121-resent.csv
check ingest-o-replaced 0 squeezed "$TMP/sq-a.csv" "$TMP/sq-b.csv" \
    "$TMP/sq-c.csv"
check ingest-o-long-line 0 squeezed "$TMP/sq-long.csv" "$TMP/sq-long2.csv"
# The -o file holds the lines itself, so TMPDIR is not needed; unless the
# output's file system has less room than the input (CV_TEST_ROOM stands
# for its free bytes): then the lines wait in TMPDIR as before.
check ingest-o-no-tmpdir 0 sh -c "TMPDIR=/nonexistent cv-ingest -q -o $TMP/nt.tsv \
    $T/pos-sh01-20261121.csv $T/pos-sh01-20261121-resent.csv &&
    cv-ingest -q $T/pos-sh01-20261121.csv $T/pos-sh01-20261121-resent.csv |
    cmp - $TMP/nt.tsv && wc -l <$TMP/nt.tsv"
check ingest-o-small-fs 73 env CV_TEST_ROOM=1000 TMPDIR=/nonexistent \
    cv-ingest -q -o $TMP/nt.tsv $T/pos-sh01-20261121.csv \
    $T/pos-sh01-20261121-resent.csv
# A full disk while the -o file is written: the file is named, nothing is
# left behind, the old file stays.
mkdir -p "$TMP/full" && echo old >"$TMP/full/out.tsv"
check ingest-o-full-disk 74 scrub sh -c "CV_TEST_ENOSPC_AFTER=500 cv-ingest -q \
    -o $TMP/full/out.tsv $T/pos-sh01-20261121.csv $T/pos-sh01-20261121-resent.csv;
    s=\$?; ls -A $TMP/full; cat $TMP/full/out.tsv; exit \$s"
# A fatal error with the outputs open (CV_TEST_OOM: out of memory when the
# first file's rows start to be converted; a thread that cannot start
# ends the same way): exit 71, and neither the -o file's nor the rejects
# file's temporary copy is left behind; the old file stays.
check ingest-o-fatal 71 scrub sh -c "CV_TEST_OOM=1 cv-ingest -q \
    -o $TMP/full/out.tsv --rejects $TMP/full/rej.tsv $T/pos-sh01-20261121.csv;
    s=\$?; ls -A $TMP/full; cat $TMP/full/out.tsv; exit \$s"
# The same on outputs of many buffers, written while the rows are
# converted: a full disk there is found, named and leaves nothing behind,
# whether the lines go to the -o file or wait in TMPDIR (for stdout); the
# old file stays.
awk 'BEGIN { print "单号,行号,销售时间,会员卡号,门店,款号,数量,实收金额"
    for (i = 1; i <= 9000; i++)
	printf "SH01%06d,1,2026-11-21 10:%02d:%02d,1380013%04d,SH01,26SKU%03d,1,%d.50\r\n",
	    i, i % 60, i % 47, i % 5000, i % 500, 100 + i % 900 }' >"$TMP/big.csv"
check ingest-o-full-disk-large 74 scrub sh -c "CV_TEST_ENOSPC_AFTER=300000 \
    cv-ingest -q -o $TMP/full/out.tsv $TMP/big.csv;
    s=\$?; ls -A $TMP/full; cat $TMP/full/out.tsv; exit \$s"
check ingest-spool-full-disk 74 scrub sh -c "CV_TEST_ENOSPC_AFTER=300000 \
    TMPDIR=$TMP cv-ingest -q $TMP/big.csv >$TMP/sp.out; s=\$?;
    wc -c <$TMP/sp.out; ls $TMP | grep -c '^cv-ingest'; exit \$s"
# A file cut short while it is read (written over in place by whoever
# sends it; CV_TEST_SHRINK=SIZE:FILE cuts FILE once it is mapped): the
# pages past its new end raise SIGBUS, which names the file and exits 74
# with nothing left behind and the old -o file kept; the same when the
# file is mapped in windows (under ulimit -v) and when the lines wait in
# TMPDIR.
shrinking() (
	cut=100000:$TMP/shrink.csv
	cp "$TMP/big.csv" "$TMP/shrink.csv"
	CV_TEST_SHRINK=$cut cv-ingest -q -o "$TMP/full/out.tsv" \
	    --rejects "$TMP/full/rej.tsv" "$TMP/shrink.csv"
	echo "exit $?"
	ls -A "$TMP/full"
	cat "$TMP/full/out.tsv"
	cp "$TMP/big.csv" "$TMP/shrink.csv"
	CV_TEST_SHRINK=$cut sh -c 'ulimit -v "$0" && exec cv-ingest -q \
	    -o "$1" "$2"' "$vlimit" "$TMP/full/out.tsv" "$TMP/shrink.csv"
	echo "exit $?"
	ls -A "$TMP/full"
	mkdir -p "$TMP/sk" && cp "$TMP/big.csv" "$TMP/shrink.csv"
	CV_TEST_SHRINK=$cut TMPDIR="$TMP/sk" cv-ingest -q "$TMP/shrink.csv" \
	    >"$TMP/sk.out"
	echo "exit $?, $(wc -l <"$TMP/sk.out") lines out"
	ls -A "$TMP/sk"
	rm -rf "$TMP/sk" "$TMP/shrink.csv"
)
check ingest-file-shrinks 0 scrub shrinking
# The hook cuts no other file: not one named otherwise (./), not one
# given without a name, nor standard input's.
not_shrinking() (
	cp "$TMP/big.csv" "$TMP/shrink.csv"
	cd "$TMP" || return
	CV_TEST_SHRINK=100000:$TMP/shrink.csv cv-ingest -q ./shrink.csv |
	    wc -l
	CV_TEST_SHRINK=100000 cv-ingest -q shrink.csv | wc -l
	CV_TEST_SHRINK=100000:$TMP/shrink.csv cv-ingest -q <shrink.csv |
	    wc -l
	wc -c <shrink.csv
	rm shrink.csv
)
check ingest-file-shrinks-named 0 not_shrinking
check ingest-big-lines 0 sh -c "cv-ingest -q $TMP/big.csv | wc -lc;
    cv-ingest -q -o $TMP/big.tsv $TMP/big.csv && cv-ingest -q $TMP/big.csv |
    cmp - $TMP/big.tsv && cv-ingest -q --dedup first $TMP/big.csv |
    cmp - $TMP/big.tsv && cat $TMP/big.csv | cv-ingest -q | cmp - $TMP/big.tsv"
# With --dedup first the lines go straight to standard output; the
# messages of rejected rows on stderr fall between whole lines even when
# both go down one pipe (five runs: where they fall is up to timing).
awk 'BEGIN { print "单号,行号,销售时间,会员卡号,门店,款号,数量,实收金额"
    for (i = 1; i <= 60000; i++)
	printf "SH01%06d,1,2026-11-21 10:%02d:%02d,1380013%04d,SH01,26SKU%03d,%s,%d.50\r\n",
	    i, i % 60, i % 47, i % 5000, i % 500, (i % 5000 == 0 ? "x" : "1"),
	    100 + i % 900 }' >"$TMP/mix.csv"
check ingest-first-messages-whole 0 sh -c "for i in 1 2 3 4 5; do
    cv-ingest --dedup first --max-reject-rate 100 $TMP/mix.csv 2>&1 |
    grep -c '.cv-ingest: '; done | sort -u"
# Duplicate decisions over many batches are taken in the order the lines
# came, even when the resolver falls behind: the test hook holds its first
# batch back, so the batches after it queue up (the originals and their
# copies among them) and the converter waits for room.  A 600000-line
# export with lines 100001-140000 sent again after line 400000, once
# unchanged (the first copies stay where they are) and once with other
# amounts (the new ones replace the old, where the new ones are).  The
# outputs to expect come from files without duplicates; one export is on
# disk at a time besides the first.
resolver_behind() (
	cd "$TMP" || exit 1
	cv-synth -q --single s600.csv --lines 600000 --members 30000 --seed 7
	sed -n 100002,140001p s600.csv >again.part
	awk -F, -v OFS=, '{ $NF = sprintf("%.2f", $NF + 1000); print }' \
	    again.part >changed.part
	# late WHAT: x.csv with the resolver held back; its output must be $want
	late() {
		CV_TEST_RESOLVE_DELAY=400 cv-ingest x.csv 2>err | cksum >sum
		cat err
		[ "$(cat sum)" = "$want" ] || echo "$1"
	}
	want=$(cv-ingest -q s600.csv | cksum)
	{ sed 400001q s600.csv; cat again.part; sed 1,400001d s600.csv; } >x.csv
	late "unchanged copies: not the output of the file without them"
	{ sed 100001q s600.csv; sed -n 140002,400001p s600.csv;
	    cat changed.part; sed 1,400001d s600.csv; } >x.csv
	want=$(cv-ingest -q x.csv | cksum)
	{ sed 400001q s600.csv; cat changed.part; sed 1,400001d s600.csv; } >x.csv
	late "changed copies: not the output of the file with them moved"
	rm -f s600.csv x.csv again.part changed.part err sum
)
check ingest-resolver-behind 0 resolver_behind
# Runs appending (>>) to one file at once interleave only between whole
# lines: output goes out in writes that end on a line, however long.
appenders() (
	cd "$TMP" || exit 1
	cv-synth -q --single s60.csv --lines 60000 --members 3000 --seed 3
	rm -f all.tsv
	for j in 1 2 3 4; do
		cv-ingest -q --dedup first s60.csv >>all.tsv &
	done
	wait
	cv-ingest -q --dedup first s60.csv | sort >one.tsv
	awk -F'\t' 'NF != 10 { bad++ } END { print NR, bad + 0 }' all.tsv
	sort all.tsv | uniq -c | awk '$1 != 4 { print "not 4 times:", $0 }' |
	    head -3
	sort -u all.tsv | cmp -s - one.tsv || echo "not the lines of one run"
	rm -f s60.csv all.tsv one.tsv
)
check ingest-appenders 0 appenders
# Past its first lines a GBK file is read as its UTF-8 twin is, converted
# a run of lines at a time: a line of blanks, blanks around a field and a
# bare CR inside a line give the same rows and rejects in both.
gbk_twin() (
	cd "$TMP" || exit 1
	mkdir -p u g
	{ printf '单号,行号,销售时间,会员卡号,门店,导购,款号,数量,单价,实收金额\n'
	  i=1
	  while [ $i -le 22 ]; do
		printf 'T%03d,1,2026-08-24 01:13:57,,杭州店,,SKU%d,1,9.00,9.00\n' $i $i
		i=$((i + 1))
	  done
	  printf '   \n'
	  printf 'T100,1,2026-08-24 01:13:57,,杭州店,,SKU1,x,9.00,9.00\n'
	  printf 'T101, 1 ,2026-08-24 01:13:57,,杭州店,,SKU1,y,9.00,9.00\n'
	  printf 'T102,1,2026-08-24 01:13:57\r,,杭州店,,SKU1,1,9.00,9.00\n'
	  printf 'T103,1,2026-08-24 01:13:57,,杭州店,,SKU1,1,9.00,9.00\n'; } >u/x.csv
	iconv -f UTF-8 -t GB18030 u/x.csv >g/x.csv
	for d in u g; do
		(cd $d && cv-ingest -q --max-reject-rate 100 --rejects r.tsv \
		    x.csv >o.tsv)
	done
	cat g/r.tsv
	cmp -s u/o.tsv g/o.tsv || echo "the rows differ"
	cmp -s u/r.tsv g/r.tsv || echo "the rejects differ"
	rm -rf u g
)
check ingest-gbk-twin 0 gbk_twin
# A byte that is not GBK is named as such wherever it is in the file.
gbk_badbyte() (
	cd "$TMP" || exit 1
	cv-synth -q --style cn-gbk --single g.csv --lines 45000 --seed 1
	{ sed 100q g.csv; printf 'X1,2026/08/24 10:00,\377,BJ002,G0099,26CPT335,1,199.00\n'
	  sed -n 101,38000p g.csv
	  printf 'X2,2026/08/24 10:00,\377,BJ002,G0099,26CPT335,1,199.00\n'
	  sed 1,38000d g.csv; } >gb.csv
	cv-ingest -q --rejects r.tsv gb.csv >/dev/null
	cut -f 2,3 r.tsv
	rm -f g.csv gb.csv r.tsv
)
check ingest-gbk-badbyte 0 gbk_badbyte
# Without a line column each receipt's lines are numbered in file order,
# rejected rows included, so a re-sent receipt whose middle line is bad
# still matches line for line; a repeated header (dumps joined with cat)
# starts the numbering again, so the overlap is found.
H='单号,销售时间,会员卡号,门店,款号,数量,实收金额'
printf '%s\r\nR1,2026-11-21 10:00,13800138000,NJ03,SKU1,1,100.00\r\nR1,2026-11-21 10:00,13800138000,NJ03,SKU2,1,200.00\r\nR1,2026-11-21 10:00,13800138000,NJ03,SKU3,1,300.00\r\n' "$H" >"$TMP/nl-a.csv"
printf '%s\r\nR1,2026-11-21 10:00,13800138000,NJ03,SKU1,1,100.00\r\nR1,2026-11-21 10:00,13800138000,NJ03,SKU2,1,两百\r\nR1,2026-11-21 10:00,13800138000,NJ03,SKU3,1,300.00\r\nR2,2026-11-21 11:00,,NJ03,SKU4,1,50.00\r\n' "$H" >"$TMP/nl-b.csv"
check ingest-noline-resent-reject 0 scrub cv-ingest --max-reject-rate 50 $TMP/nl-a.csv $TMP/nl-b.csv
check ingest-noline-concat 0 sh -c "cat $TMP/nl-a.csv $TMP/nl-a.csv | cv-ingest"
# So does a row rejected before its values are read: a field too many, or
# bytes that are not UTF-8.
printf '%s\r\nR1,2026-11-21 10:00,13800138000,NJ03,SKU1,1,100.00,x\r\nR1,2026-11-21 10:00,13800138000,NJ03,SKU2,1,200.00\r\nR1,2026-11-21 10:00,13800138000,NJ03,SKU3\377,1,300.00\r\nR1,2026-11-21 10:00,13800138000,NJ03,SKU4,1,400.00\r\n' "$H" >"$TMP/nl-c.csv"
check ingest-noline-resent-split 0 scrub cv-ingest --max-reject-rate 50 \
    $TMP/nl-a.csv $TMP/nl-c.csv
# A bare CR in a line with bad bytes: the record after it is rejected with
# the line, and no bad byte reaches the stream.
printf '日期,会员卡号,金额\nx\r2026-11-21,M1\377,1.00\n' >"$TMP/cr-badenc.csv"
check ingest-cr-badenc 0 scrub cv-ingest --as-of 2026-11-21 \
    --max-reject-rate 100 "$TMP/cr-badenc.csv"
# A record after a bare CR is rejected with its text (its fields), not an
# empty one.
printf 'Receipt No,Date,Member ID,Amount\nR1,2026-11-21,M1,10.00\rnote\rR2,2026-11-21,M2,abc\n' >"$TMP/cr-text.csv"
check ingest-cr-text 0 scrub sh -c "cv-ingest -q --as-of 2026-11-22 \
    --max-reject-rate 100 --rejects $TMP/cr-text.rej $TMP/cr-text.csv >/dev/null &&
    cut -f2- $TMP/cr-text.rej"

# Every reject reason, with its message and exit status.
check ingest-bad-dates 65 cv-ingest --as-of 2026-11-22 $T/bad-dates.csv
check ingest-bad-amounts 65 cv-ingest $T/bad-amounts.csv
# A file's decimal mark, from its first number that shows it: a German
# Excel export (1.299,00 and 89,90: a comma) reads 1.499 as 1499.00, and
# 1.049,00 and 49,- (a whole amount, not -49); all were bad amounts.
check ingest-decimal-comma 0 cv-ingest --as-of 2026-11-22 \
    $T/pos-muc14-20261121-de.csv
# Unit prices with three decimals and quantities written 1,000 in a
# decimal-comma file (2,125 was 2125 and 1,000 a thousand pieces); 0,125
# is 0.125 in any file.
printf 'InvoiceNo;InvoiceDate;CustomerID;StockCode;Quantity;UnitPrice\n581010;2026-11-21 10:20;17850;85123A;2;12,50\n581011;2026-11-21 10:31;17850;21730;4;0,125\n581012;2026-11-21 11:02;17851;22752;1;2,125\n581013;2026-11-21 11:40;17852;84029G;1,000;8,95\n' >"$TMP/comma-prices.csv"
printf 'InvoiceNo,InvoiceDate,CustomerID,StockCode,Quantity,UnitPrice\n581014,2026-11-21 12:00,17853,21731,"1,000",0.125\n581015,2026-11-21 12:10,17853,21732,1,"2,125"\n' >"$TMP/point-prices.csv"
check ingest-decimal-comma-prices 0 sh -c "cv-ingest -q --as-of 2026-11-22 \
    $TMP/comma-prices.csv $TMP/point-prices.csv | cut -f1,9,10"
# Money has two places at most: an amount 1.299 shows a comma (1299.00)
# and 1,299 a point.  A quantity 1.000 in a file that shows no mark is 1,
# and 1.234 no whole number, the message saying the point may part
# thousands; --decimal-mark comma reads them so.
printf 'Receipt;Date;Customer ID;Quantity;Amount\nA1;2026-11-21 10:00;C1;1;1.299\nA2;2026-11-21 10:05;C1;1.000;12\n' >"$TMP/point-groups.csv"
printf 'Receipt;Date;Customer ID;Quantity;Amount\nB1;2026-11-21 10:00;C1;1.000;12\nB2;2026-11-21 10:05;C1;1.234;12\n' >"$TMP/point-groups-2.csv"
check ingest-decimal-unknown 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 100 "$TMP/point-groups.csv" "$TMP/point-groups-2.csv"
check ingest-decimal-mark-given 0 cv-ingest -q --as-of 2026-11-22 \
    --decimal-mark comma "$TMP/point-groups-2.csv"
check ingest-usage-decimal-mark 64 cv-ingest --decimal-mark 2 \
    "$TMP/point-groups.csv"
# Only an accepted row shows the file's mark: a rejected quantity 1,5
# does not make the rest of a file of points read 1,299 as 1.30 and
# 12.500 as 12500 (it did).
printf 'Receipt,Date,Customer ID,SKU,Quantity,Unit Price\nR1,2026-11-21 10:00,M1,A,1,"1,299"\nR2,2026-11-21 10:05,M2,B,"1,5",99\nR3,2026-11-21 10:10,M3,C,1,"1,299"\nR4,2026-11-21 10:15,M4,D,2,12.500\nR5,2026-11-21 10:20,M5,E,1.000,8\n' >"$TMP/mark-rejected.csv"
check ingest-decimal-rejected-row 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 100 "$TMP/mark-rejected.csv"
# A decimal comma after unit prices read with a point for want of a mark
# (1,299 as 1299) says so and fails the run: they may be a thousand times
# wrong.  So does a point after a comma that read unit prices (1,299 as
# 1.299, 12.500 as 12500): the comma may have been a slip.  Whole amounts
# written 1,299 with one slip 12,99 are read as before (the run failed).
printf 'Receipt,Date,Customer ID,SKU,Quantity,Unit Price\nR1,2026-11-21 10:00,M1,A,1,"1,299"\nR2,2026-11-21 10:05,M2,B,1,"12,50"\nR3,2026-11-21 10:10,M3,C,1,"12,60"\n' >"$TMP/mark-late.csv"
check ingest-decimal-comma-late 65 scrub cv-ingest --as-of 2026-11-22 \
    "$TMP/mark-late.csv"
check ingest-decimal-comma-late-given 0 cv-ingest -q --as-of 2026-11-22 \
    --decimal-mark point "$TMP/mark-late.csv"
printf 'Receipt,Date,Customer ID,SKU,Quantity,Unit Price\nP1,2026-11-21 10:00,M1,A,1,850\nP2,2026-11-21 10:05,M2,B,1,"12,50"\nP3,2026-11-21 10:10,M3,C,1,"1,299"\nP4,2026-11-21 10:15,M4,D,2,12.500\nP5,2026-11-21 10:20,M5,E,1,19.90\n' >"$TMP/mark-slip.csv"
check ingest-decimal-point-late 65 scrub cv-ingest --as-of 2026-11-22 \
    "$TMP/mark-slip.csv"
# A German export whose first mark is a point, a slip: 2,125 read with it
# is 2125; the commas after it show the file's mark (the point was kept).
printf 'Receipt;Date;Customer ID;SKU;Quantity;Unit Price\nB1;2026-11-21 10:00;K1;A;1;12.50\nB2;2026-11-21 10:05;K2;B;1;2,125\nB3;2026-11-21 10:06;K3;C;1;12,50\nB4;2026-11-21 10:07;K4;C;1;1.234,50\n' >"$TMP/mark-slip-point.csv"
check ingest-decimal-point-slip 65 scrub cv-ingest --as-of 2026-11-22 \
    "$TMP/mark-slip-point.csv"
# ... in the other order: the comma shown before the number it decides.
printf 'Receipt;Date;Customer ID;SKU;Quantity;Unit Price\nB1;2026-11-21 10:00;K1;A;1;12.50\nB3;2026-11-21 10:06;K3;C;1;12,50\nB2;2026-11-21 10:05;K2;B;1;2,125\n' >"$TMP/mark-slip-point2.csv"
check ingest-decimal-point-slip-after 65 scrub cv-ingest --as-of 2026-11-22 \
    "$TMP/mark-slip-point2.csv"
check ingest-decimal-point-slip-given 0 cv-ingest -q --as-of 2026-11-22 \
    --decimal-mark comma "$TMP/mark-slip-point2.csv"
# A point file with both: 12,50 is read as it shows, 1,299 by the point,
# and no number is decided that a comma reads otherwise: no failure.
printf 'Receipt,Date,Customer ID,SKU,Quantity,Unit Price\nE1,2026-11-21 10:00,C1,A,1,12.50\nE2,2026-11-21 10:05,C2,B,1,"12,50"\nE3,2026-11-21 10:10,C3,C,1,1299.00\n' >"$TMP/mark-both-plain.csv"
check ingest-decimal-both-undecided 0 cv-ingest -q --as-of 2026-11-22 \
    "$TMP/mark-both-plain.csv"
printf '单号,销售时间,会员卡号,数量,实收金额\nT1,2026-11-21 10:00,M1,1,"1,299"\nT2,2026-11-21 10:05,M1,1,"2,599"\nT3,2026-11-21 10:10,M2,1,"12,99"\nT4,2026-11-21 10:15,M3,2,"3,998"\n' >"$TMP/whole-amounts.csv"
check ingest-decimal-whole-amounts 0 cv-ingest -q --as-of 2026-11-22 \
    "$TMP/whole-amounts.csv"
# Exports joined with cat: each shows its own mark (the English one was
# read with the German one's comma, 1,299 as 1.30 and 2.125 as 2125).
printf 'Receipt,Date,Customer ID,SKU,Quantity,Unit Price\nD1,2026-11-21 10:00,K1,A,1,"12,50"\nD2,2026-11-21 10:05,K2,B,1,"2,125"\nReceipt,Date,Customer ID,SKU,Quantity,Unit Price\nU1,2026-11-21 11:00,C1,A,1,"1,299"\nU2,2026-11-21 11:05,C2,B,1,2.125\nU3,2026-11-21 11:10,C3,B,1,12.50\n' >"$TMP/mark-cat.csv"
check ingest-decimal-cat 0 cv-ingest -q --as-of 2026-11-22 "$TMP/mark-cat.csv"
# ... also when the first export's rows wait for the date order (a night
# of the 5th of November day first): they are read after the second
# export settles it, with their own mark, not the second's.
printf 'Receipt,Date,Customer ID,SKU,Quantity,Unit Price\nD1,05/11/2026 10:00,K1,A,1,"12,50"\nD2,05/11/2026 10:05,K2,B,1,"2,125"\nReceipt,Date,Customer ID,SKU,Quantity,Unit Price\nU1,21/11/2026 11:00,C1,A,1,"1,299"\nU2,21/11/2026 11:05,C2,B,1,2.125\nU3,21/11/2026 11:10,C3,B,1,12.50\n' >"$TMP/mark-cat-waiting.csv"
check ingest-decimal-cat-waiting 0 cv-ingest -q --as-of 2026-11-22 \
    "$TMP/mark-cat-waiting.csv"
# Rows that wait for the date order are read in the file's order, so the
# first row that shows the mark sets it: the same 1.299 was 1.30 in the
# row that settled the order and 1299.00 after it, or rejected and
# accepted.  Full-width ， and ． are read by the mark as , and . are.
printf 'Receipt;Date;Customer ID;SKU;Quantity;Amount\nB1;05.11.2026 10:00;K1;A;1;12,50\nB2;06.11.2026 10:02;K1;A;1;2.499\nB3;21.11.2026 10:05;K2;B;1;1.299\nB4;21.11.2026 10:10;K3;C;1;1.299\n' >"$TMP/mark-waiting.csv"
printf 'Receipt;Date;Customer ID;SKU;Quantity;Unit Price\nD1;2026-11-21 10:00;K1;A;1;12,50\nD2;2026-11-21 10:05;K2;B;1;2,125\nD3;2026-11-21 10:06;K2;B;1;2\357\274\214125\nD4;2026-11-21 10:07;K2;B;1;1.299\nD5;2026-11-21 10:08;K2;B;1;1\357\274\216299\n' >"$TMP/mark-wide.csv"
check ingest-decimal-waiting 0 cv-ingest -q --as-of 2026-11-22 \
    "$TMP/mark-waiting.csv" "$TMP/mark-wide.csv"
check ingest-bad-prices 65 cv-ingest $T/bad-prices.csv
check ingest-bad-fields 65 cv-ingest $T/bad-fields.csv
check ingest-bad-quote 65 cv-ingest $T/bad-quote.csv
# A quote that does not end its field ("Cloud" scarf) read on, across
# lines, to the next quoted description: the rows between were one row
# with the last one's amount, and the run said 3 rows, exit 0.  Now the
# line with it is rejected and the rows after it are read.
check ingest-bad-quote-stray 65 cv-ingest --as-of 2026-11-21 \
    $T/bad-quote-stray.csv
# The same with no quote after it: read on to the end of the file, it is
# still named for what it is.
check ingest-bad-quote-stray-last 65 cv-ingest --as-of 2026-11-21 \
    $T/bad-quote-stray-last.csv
# Lines of only blanks are not rows: one in the middle left the next row
# reported on its line, one at the end became an unterminated quote.
{ head -4 $T/pos-sh01-20261121.csv; printf '  \t \r\n'
  printf 'SH01-20261121-0099,1,2026-11-21 10:12:05,13800138000,SH01,SH01-03,JK26W101-BLK-M,1,899.00,abc\n'
  tail -n +5 $T/pos-sh01-20261121.csv; printf '   '; } >"$TMP/blanks.csv"
check ingest-blank-lines 65 scrub cv-ingest --as-of 2026-11-21 "$TMP/blanks.csv"
# Rows of empty fields, as Excel saves formatted empty rows, are blank
# lines too (they were rejected as "no date" and failed the run).
{ cat $T/pos-sh01-20261121.csv; printf ',,,,,,,,,\r\n, ,,,,,,,,\r\n'; } \
    >"$TMP/empty-rows.csv"
check ingest-empty-rows 0 scrub cv-ingest --as-of 2026-11-21 "$TMP/empty-rows.csv"
# A dated totals row without a receipt id is a totals row (it was "no
# receipt id", held against the reject rate).
printf '销售日期,单号,门店编码,会员号,导购员,款号,数量,金额\n2026-11-21 10:20:00,GZ04-5501,GZ04,13822225555,GZ04-01,TS26W033-BLK-M,1,129.00\n2026-11-21,,,,,合计,1,129.00\n' >"$TMP/totals-dated.csv"
check ingest-totals-no-receipt 0 scrub cv-ingest --as-of 2026-11-21 "$TMP/totals-dated.csv"
# A receipt's subtotal row (小计 as its SKU, with the receipt and member)
# was accepted as a sale, doubling the receipt; 总计： is a totals word.
printf '单号,销售时间,会员卡号,门店,款号,数量,实收金额\nT1,2026-11-21 10:00,M1,SH01,A,1,100.00\nT1,2026-11-21 10:00,M1,SH01,B,1,50.00\nT1,2026-11-21 10:00,M1,SH01,小计,2,150.00\nT2,2026-11-21 11:00,,SH01,C,1,80.00\n,,,,总计：,3,230.00\n' >"$TMP/subtotal.csv"
check ingest-subtotal-rows 0 scrub cv-ingest --as-of 2026-11-21 "$TMP/subtotal.csv"
# A header of 600 columns, the amount in the 591st (512 were read).
awk 'BEGIN {
	for (i = 1; i <= 600; i++) { h[i] = "x" i; r[i] = "" }
	h[1] = "Receipt No"; h[2] = "Date"; h[3] = "Member ID"; h[591] = "Amount"
	r[1] = "R1"; r[2] = "2026-11-21 10:00"; r[3] = "M1"; r[591] = "12.50"
	for (i = 1; i <= 600; i++) { H = H (i > 1 ? "," : "") h[i]
		R = R (i > 1 ? "," : "") r[i] }
	print H; print R }' >"$TMP/wide.csv"
check ingest-wide-header 0 scrub cv-ingest --as-of 2026-11-21 "$TMP/wide.csv"
# Store names as headers (店名, 门市): without them the store was empty
# and one store's receipt 0001 replaced another's.  Qty Sold is a count.
printf '单号,销售时间,会员卡号,店名,数量,实收金额\n0001,2026-11-21 10:00:00,M1,南京店,1,100.00\n' >"$TMP/nj.csv"
printf '单号,销售时间,会员卡号,門市,数量,实收金额\n0001,2026-11-21 10:30:00,M3,上海店,1,300.00\n' >"$TMP/sh.csv"
printf 'Receipt,Date,Member,Qty Sold,Unit Price\nR1,2026-11-21,M1,3,10.00\n' >"$TMP/qty-sold.csv"
check ingest-store-name-headers 0 scrub cv-ingest -q --as-of 2026-11-21 \
    "$TMP/nj.csv" "$TMP/sh.csv" "$TMP/qty-sold.csv"
# ... and they give way to the names known before, whatever the order:
# 店仓 to 店仓编码, 专柜 to 门店 and 门店编码, Qty Sold to Quantity.
printf '单据编号,单据日期,会员卡号,店仓编码,店仓,数量,成交金额\nRT001,2026-11-21,M1,C001,南京新街口店,1,100.00\n' >"$TMP/h1.csv"
printf '单号,销售时间,会员卡号,门店,专柜,门店编码,数量,实收金额\n0001,2026-11-21 10:00:00,M1,新世界百货,ZG01,S01,1,100.00\n' >"$TMP/h2.csv"
printf 'Receipt,Date,Member,Quantity,Qty Sold,Amount\nR1,2026-11-21,M1,3,2,10.00\n' >"$TMP/h3.csv"
check ingest-store-name-rank 0 scrub cv-ingest -q --as-of 2026-11-21 \
    "$TMP/h1.csv" "$TMP/h2.csv" "$TMP/h3.csv"
# A quote inside an unquoted field of a record of two lines is text, as
# in a record of one line; the totals rule for a file without receipt ids.
printf 'Receipt No,Line,Date,Member ID,Store,Staff,SKU,Description,Qty,Amount\nR1,1,2026-11-21 10:05:00,M1,BJ03,S1,12"x,"Wool coat\ncamel",1,10.00\nR3,1,2026-11-21 10:07:00,M1,BJ03,S1,SKU3,Tee,1,5.00\n' >"$TMP/inch.csv"
check ingest-quote-in-text 0 scrub cv-ingest -q --as-of 2026-11-21 "$TMP/inch.csv"
printf '销售日期,门店编码,会员号,款号,数量,金额\n2026-11-21 10:20:00,GZ04,138,TS1,1,129.00\n2026-11-21,,,合计,x,129.00\n' >"$TMP/totals-noid.csv"
check ingest-totals-no-receipt-column 0 scrub cv-ingest --as-of 2026-11-21 \
    "$TMP/totals-noid.csv"
# One bad byte 200 lines after the first Chinese text: the file is UTF-8
# (its first line that is not plain ASCII says so) and only that row is
# rejected; the rows before it were read as GBK (上海 as 涓婃捣), with exit
# 0, and with -d the Chinese header too.
{ printf 'Receipt No,Line,Date,Member ID,Store,SKU,Qty,Amount\n'
  i=1; while [ $i -le 30 ]; do printf 'R%d,1,2026-11-21 10:00:00,M%d,SH01,S%d,1,10.00\n' $i $i $i; i=$((i + 1)); done
  while [ $i -le 230 ]; do printf 'R%d,1,2026-11-21 10:00:00,M%d,上海,S%d,1,10.00\n' $i $i $i; i=$((i + 1)); done
  printf 'R231,1,2026-11-21 10:00:00,M231,上海\377,S231,1,10.00\n'; } >"$TMP/u8-bad.csv"
check ingest-utf8-one-bad-byte 0 scrub sh -c "cv-ingest --as-of 2026-11-21 \
    $TMP/u8-bad.csv | cut -f5 | sort | uniq -c"
{ cat $T/pos-sh01-20261121.csv
  printf 'SH01-20261121-0009,1,2026-11-21 19:55:37,1391234\3775678,SH01,SH01-07,JK26W101-BLK-L,1,899.00,764.15\n'; } >"$TMP/sh01-bad.csv"
check ingest-utf8-one-bad-byte-d 65 scrub cv-ingest -d comma --as-of 2026-11-21 \
    "$TMP/sh01-bad.csv"
# 出生年月 holding only a year and a month: the birthday is left empty.
# One after --as-of is a bad birthday, as a whole date is.
printf '会员卡号,姓名,出生年月\nA1,王芳,1990-05\nA2,李娜,1990年5月\nA3,张伟,1985-11-02\nA4,刘洋,2026-12\n' >"$TMP/year-month.csv"
check ingest-birthday-year-month 0 scrub cv-ingest --kind members \
    --as-of 2026-11-21 --max-reject-rate 100 "$TMP/year-month.csv"
check ingest-bad-encoding 65 cv-ingest $T/bad-encoding.csv
check ingest-bad-ids 65 cv-ingest $T/bad-ids.csv
# An empty quantity is rejected, not taken as 1 (with a unit price the
# amount was made up from it).
printf 'InvoiceNo,InvoiceDate,CustomerID,StockCode,Quantity,UnitPrice\n536365,2026-11-21 10:00,17850,85123A,,2.55\n536365,2026-11-21 10:00,17850,71053,6,3.39\n' >"$TMP/no-qty.csv"
check ingest-no-quantity 0 scrub cv-ingest --as-of 2026-11-30 \
    --max-reject-rate 100 "$TMP/no-qty.csv"
# --date-order given: a date it cannot read is blamed on the option, not
# on the file.
printf '单号,销售时间,会员卡号,门店,款号,数量,实收金额\nC1,13/11/2026,V001,S1,K1,1,1.00\nC2,11/13/2026,V001,S1,K1,1,1.00\n' >"$TMP/order-given.csv"
check ingest-date-order-given 0 scrub cv-ingest --as-of 2026-11-30 \
    --max-reject-rate 100 --date-order mdy "$TMP/order-given.csv"
# --date-order ymd reads two-digit years only: a four-digit year last is
# read in the order the file settles, and its misreads blamed on the file.
printf 'Receipt,Sale Date,Member,Amount\nR1,25/12/2025,M1,1.00\nR2,12/25/2025,M2,1.00\n' >"$TMP/order-ymd.csv"
check ingest-date-order-ymd-file 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 100 --date-order ymd "$TMP/order-ymd.csv"
check ingest-id-pattern 65 cv-ingest --id-pattern '1[3-9][0-9]{9}' \
    $T/bad-ids.csv
# A store card the assistants ring non-members up on (88888888, one with
# blanks round it) and another shared card are walk-ins with --walk-in,
# which is normalised as a row's id is (88888888.0 is 88888888); a members
# file's row for it names no member and is not held against the reject
# rate.  Without a receipt id column the made-up receipt id keeps the
# card, so its lines stay apart from the blank walk-ins of the same time
# (they were taken for duplicates of them).  An id a spreadsheet mangled,
# longer than 255 bytes, empty, or a built-in placeholder is a usage
# error.
check ingest-walk-in 0 cv-ingest --as-of 2026-11-21 --walk-in 88888888 \
    --walk-in 66666666 $T/pos-wh10-20261121-storecard.csv
check ingest-walk-in-float 0 sh -c "cv-ingest -q --as-of 2026-11-21 \
    --walk-in 88888888.0 $T/pos-wh10-20261121-storecard.csv | cut -f1,4"
printf '会员卡号,姓名,生日\n88888888,门店卡,\n13971234567,张三,1990-05-01\n' \
    >"$TMP/storecard-members.csv"
check ingest-walk-in-members 0 scrub sh -c "cv-ingest --kind members \
    --as-of 2026-11-21 --walk-in 88888888 \
    --rejects '$TMP/storecard.rej' '$TMP/storecard-members.csv' &&
    cat '$TMP/storecard.rej'"
printf '日期,会员卡号,门店,款号,数量,实收金额\n2026-11-21,88888888,S1,K1,1,100\n2026-11-21,88888888,S1,K2,1,60\n2026-11-21,,S1,K3,1,50\n2026-11-21,,S1,K4,1,40\n2026-11-21,13971234567,S1,K5,1,10\n' \
    >"$TMP/storecard-days.csv"
check ingest-walk-in-no-receipt 0 scrub cv-ingest --as-of 2026-11-21 \
    --walk-in 88888888 "$TMP/storecard-days.csv"
# Without a receipt id column, a row's receipt is its time and member id
# read as an id: a blank id, 0 and 散客 in one second are one walk-in's
# receipt, as are 17850 and 17850.0, its lines numbered in turn (the rows
# written differently were each numbered from 1 and taken for duplicates).
printf '销售时间,会员卡号,门店,款号,数量,实收金额\n2026-11-21 10:00:00,,S1,K1,1,10\n2026-11-21 10:00:00,0,S1,K2,1,20\n2026-11-21 10:00:00,散客,S1,K3,1,30\n2026-11-21 10:05:00,17850,S1,K4,1,40\n2026-11-21 10:05:00,17850.0,S1,K5,1,50\n2026-11-21 10:06:00, 1234 ,S1,K6,1,60\n2026-11-21 10:06:00,1234,S1,K7,1,70\n' \
    >"$TMP/ids-written-apart.csv"
check ingest-no-receipt-ids-apart 0 scrub cv-ingest --as-of 2026-11-21 \
    "$TMP/ids-written-apart.csv"
check ingest-usage-walk-in-mangled 64 cv-ingest --walk-in 1.38001E+10 \
    $T/pos-wh10-20261121-storecard.csv
check ingest-usage-walk-in-long 64 cv-ingest \
    --walk-in "$(printf '%0300d' 8)" $T/pos-wh10-20261121-storecard.csv
check ingest-usage-walk-in-empty 64 cv-ingest --walk-in ' ' \
    $T/pos-wh10-20261121-storecard.csv
check ingest-usage-walk-in-placeholder 64 cv-ingest --walk-in 散客 \
    $T/pos-wh10-20261121-storecard.csv
# A pattern PCRE2 cannot finish matching (its match limit) rejects the id
# saying so, not as an id that does not match.
printf '单号,销售时间,会员卡号,门店,款号,数量,实收金额\nA1,2026-11-21 10:00:00,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac,S1,K1,1,1\nA2,2026-11-21 10:00:00,aaaac,S1,K1,1,1\n' >"$TMP/id-limit.csv"
check ingest-id-pattern-limit 0 scrub cv-ingest --as-of 2026-11-30 \
    --max-reject-rate 100 --id-pattern '((a+)+)+b|a+c' "$TMP/id-limit.csv"
# Ids in scientific notation: exact ones repaired (1.78500E+04 too), lost
# digits and fractions rejected, each with its reason; forms Excel does
# not write (1234E0, several digits before the point) are ids as they
# stand, as typed or in Excel's text forms (they became member 1).  The
# dashes and 空 that Chinese reports write for no member are walk-ins; ids
# typed in full width are the same ids in ASCII.
printf '单号,销售时间,会员卡号,门店,款号,数量,实收金额\nX1,2026-11-21 10:00:00,="1234E0",S1,K1,1,1.00\nX2,2026-11-21 10:00:00,'"'"'1234E0,S1,K1,1,2.00\nX3,2026-11-21 10:00:00,1234E0,S1,K1,1,3.00\nX4,2026-11-21 10:00:00,17850E+00,S1,K1,1,4.00\nX5,2026-11-21 10:00:00,="2023E15",S1,K1,1,5.00\nX6,2026-11-21 10:00:00,1.78500E+04,S1,K1,1,6.00\nX7,2026-11-21 10:00:00,1.2345E+2,S1,K1,1,7.00\nX8,2026-11-21 10:00:00,2E+10,S1,K1,1,8.00\nW1,2026-11-21 11:00:00,——,S1,K1,1,10.00\nW2,2026-11-21 11:00:00,—,S1,K1,1,20.00\nW3,2026-11-21 11:00:00,－,S1,K1,1,30.00\nW4,2026-11-21 11:00:00,空,S1,K1,1,40.00\nF1,2026-11-21 12:00:00,１７８５０,S1,K1,1,50.00\nF2,2026-11-21 12:00:00,ＶＩＰ－００１２,S1,K1,1,60.00\n' >"$TMP/id-forms.csv"
check ingest-id-forms 0 scrub sh -c "cv-ingest --as-of 2026-11-30 \
    --max-reject-rate 100 $TMP/id-forms.csv | cut -f1,4"
# Ids from Excel with German settings: 17850,0 and 1,3800138000E+10
# repaired, 1,38001E+10 rejected (all were ids as written, merging
# members); a number with thousands commas is the number.  Excel's errors
# where a formula looked the member up, and Chinese Excel's (空白), are
# walk-ins; marks that do not show (U+202D..U+202C round a phone number
# pasted from a phone's contacts, U+200B, U+FEFF) are dropped (they made
# one member three).
printf 'InvoiceNo;InvoiceDate;CustomerID;StockCode;Quantity;UnitPrice\nD1;2026-11-21 10:00;17850,0;A;1;2,50\nD2;2026-11-21 10:01;1,3800138000E+10;A;1;2,50\nD3;2026-11-21 10:02;1,38001E+10;A;1;2,50\nD4;2026-11-21 10:03;13,800,138,000;A;1;2,50\nE1;2026-11-21 11:00;#REF!;A;1;2,50\nE2;2026-11-21 11:01;#VALUE!;A;1;2,50\nE3;2026-11-21 11:02;#NAME?;A;1;2,50\nE4;2026-11-21 11:03;(空白);A;1;2,50\nE5;2026-11-21 11:04;'"'"';A;1;2,50\nU1;2026-11-21 12:00;\342\200\25513800138000\342\200\254;A;1;2,50\nU2;2026-11-21 12:01;13800138000\342\200\213;A;1;2,50\nU3;2026-11-21 12:02;\357\273\277138\342\200\21300138000;A;1;2,50\n' >"$TMP/id-forms-de.csv"
check ingest-id-forms-more 0 scrub sh -c "cv-ingest --as-of 2026-11-30 \
    --max-reject-rate 100 $TMP/id-forms-de.csv | cut -f1,4"
# 536,000 and 17,000 are thousands, not 536,0 (they were 536 and 17: two
# receipts, and with a line column one sale lost as a duplicate).
printf 'InvoiceNo,Line,InvoiceDate,CustomerID,StockCode,Quantity,Amount\n"536,000",1,2026-11-21 10:00,"17,000",A,1,10.00\n536,1,2026-11-21 10:05,17,B,1,20.00\n17850,1,2026-11-21 10:10,"17850,000",C,1,30.00\n' >"$TMP/id-thousands.csv"
check ingest-id-thousands 0 cv-ingest --as-of 2026-11-30 "$TMP/id-thousands.csv"
# Receipt ids a spreadsheet wrote in scientific notation: with digits lost
# (every receipt of a month is 2.02611E+13) rejected, not taken for one
# receipt whose lines replace each other; exact ones and 536365.0 repaired
# (536365.0 and 536365 were two receipts, the sale counted twice); ids a
# till writes with an E of its own (3E12) are ids.
printf '单号,行号,销售时间,会员卡号,数量,实收金额\n2.02611E+13,1,2026-11-21 10:00:00,13800138000,1,199.00\n2.02611E+13,1,2026-11-21 10:05:00,13900139000,1,299.00\n2.0261121000123E+13,1,2026-11-21 10:10:00,13700137000,1,99.00\n3E12,1,2026-11-21 10:15:00,13700137000,1,9.00\n' >"$TMP/rcpt-sci.csv"
printf 'InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n536365,85123A,6,2026-11-21 08:26:00,2.55,17850\n' >"$TMP/rcpt-float.csv"
printf 'InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n536365.0,85123A,6,2026-11-21 08:26:00,2.55,17850.0\n' >"$TMP/rcpt-float-again.csv"
check ingest-receipt-sci 0 scrub cv-ingest --as-of 2026-11-30 \
    --max-reject-rate 100 "$TMP/rcpt-sci.csv" "$TMP/rcpt-float.csv" \
    "$TMP/rcpt-float-again.csv"
check ingest-bad-receipt 65 cv-ingest $T/bad-receipt.csv
check ingest-missing-column 65 cv-ingest $T/bad-missing-column.csv
check ingest-missing-column-mapped 0 cv-ingest --store SH01 \
    --map customer_id=门店 $T/bad-missing-column.csv
check ingest-no-header 65 cv-ingest $T/bad-no-header.csv
check ingest-columns 0 cv-ingest \
    --columns txn_id,ts,customer_id,store_id,sku,qty,amount $T/bad-no-header.csv
check ingest-two-amounts 65 cv-ingest $T/bad-two-amounts.csv
check ingest-two-amounts-mapped 0 cv-ingest --map amount=实收金额 \
    $T/bad-two-amounts.csv
check ingest-empty 65 cv-ingest $T/empty.csv
check ingest-header-only 0 cv-ingest $T/header-only.csv
check ingest-reject-rate 0 cv-ingest --max-reject-rate 90 --as-of 2026-11-22 \
    $T/bad-dates.csv
check ingest-rejects-file 65 sh -c "cv-ingest -q --rejects $TMP/rej.tsv \
    --as-of 2026-11-22 $T/bad-dates.csv $T/bad-quote.csv \
    $T/pos-gz04-20261121-report.csv >/dev/null; s=\$?; cat $TMP/rej.tsv; exit \$s"
# A long CRLF export where runs of plain lines, quoted fields with commas,
# quotes and line breaks, and blank lines mix: line numbers stay right.
check ingest-long-crlf 65 sh -c "cv-ingest --rejects $TMP/rej2.tsv \
    $T/pos-sz09-crlf-long.csv; s=\$?; cat $TMP/rej2.tsv; exit \$s"
# A bare CR ends a record in the middle of line 32, and the quote after
# it opens a field that runs to line 39: the lines after keep their
# numbers (the quick path for plain lines once lost the eight), and the
# record begun after the CR is reported from line 32 with its text.
check ingest-cr-quote 65 sh -c "cv-ingest --as-of 2026-11-22 \
    --rejects $TMP/rej3.tsv $T/bad-cr-quote.csv; s=\$?; cat $TMP/rej3.tsv; \
    exit \$s"
# The same file cut before the quote closes: the six rows after line 32
# were lost without a word; now line 32's tail is rejected and they are
# read.
check ingest-cr-quote-open 65 sh -c "head -n 38 $T/bad-cr-quote.csv | \
    cv-ingest --as-of 2026-11-22 >$TMP/crq.tsv; s=\$?; cut -f1,4 $TMP/crq.tsv; \
    exit \$s"
# R1's description holds a line break and doubled quotes; a bare CR ends
# it mid-line 3 and R2 begins there with a quoted field that runs to
# line 4.  R2 lost the fields before its quote (3 fields of 6), and was
# then taken for a stray quote from R1's text.
check ingest-cr-quote-rows 0 cv-ingest --as-of 2026-11-22 \
    $T/cr-quote-rows.csv
# Rows parted by bare CRs, three with a quote fault: R2 is sound though
# a stray quote follows its CR (it was rejected for R3's text), and R6
# and R9, after the CR that ends a faulty row, are read again (they were
# inside the rejected text).  The same file with LF for each bare CR
# gives the same rows.
check ingest-cr-rows 0 sh -c "cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 50% --rejects $TMP/rej4.tsv $T/bad-cr-rows.csv \
    >$TMP/cr4.tsv; s=\$?; cut -f1,4,10 $TMP/cr4.tsv; cat $TMP/rej4.tsv; \
    exit \$s"
cr_as_lf() {
	tr '\r' '\n' <"$T/bad-cr-rows.csv" | sed '/^$/d' >"$TMP/cr-lf.csv"
	cv-ingest -q --as-of 2026-11-22 --max-reject-rate 50% \
	    "$TMP/cr-lf.csv" >"$TMP/cr-lf.tsv"
	cmp "$TMP/cr4.tsv" "$TMP/cr-lf.tsv"
}
assert ingest-cr-rows-as-lf cr_as_lf
# A GBK export saved by Excel for Mac as "CSV (Macintosh)": lines end in
# a lone CR, and a note holds a line break (an LF) in its cell.  The rows
# and rejects carry their lines' numbers (all were on line 1, or 2 after
# the LF), and file, stdin and gzip read it as its LF twin.
check ingest-mac-cr 0 sh -c "cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 20% --rejects $TMP/mac.rej \
    $T/pos-cd07-20261121-mac.csv; s=\$?; cat $TMP/mac.rej; exit \$s"
mac_as_lf() (
	cd "$TMP" || exit 1
	f=$OLDPWD/$T/pos-cd07-20261121-mac.csv
	tr '\r' '\n' <"$f" >lf.csv
	gzip -c "$f" >mac.csv.gz
	set -- --as-of 2026-11-22 --max-reject-rate 20% -q
	cv-ingest "$@" --rejects lf.rej lf.csv >lf.tsv || exit 1
	cut -f2- lf.rej >lf.r
	for how in file stdin gzip; do
		case $how in
		file)	cv-ingest "$@" --rejects m.rej "$f" >m.tsv ;;
		stdin)	cv-ingest "$@" --rejects m.rej <"$f" >m.tsv ;;
		gzip)	cv-ingest "$@" --rejects m.rej mac.csv.gz >m.tsv ;;
		esac || exit 1
		cut -f2- m.rej >m.r
		cmp lf.tsv m.tsv && cmp lf.r m.r || exit 1
	done
	rm -f lf.csv mac.csv.gz lf.rej lf.tsv lf.r m.rej m.tsv m.r
)
assert ingest-mac-cr-as-lf mac_as_lf
# Lines ended by CR CR LF (Python's csv module on Windows) and a header
# with a stray CR are not Mac files: their lines are counted by LFs.
printf 'Receipt,Sale Date,Member,Amount\r\r\nR1,2026-11-21,M1,10.00\r\r\nR2,2026-11-21,M2,1O.00\r\r\n' >"$TMP/crcrlf.csv"
check ingest-crcrlf 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 100 "$TMP/crcrlf.csv"
# It is the first line's end that tells: a Mac file with line breaks
# (LFs) in its cells is one of CR lines, an LF file with lone CRs in
# quoted cells, or CR CR LF lines with a lone CR in a cell, is not; a
# blank-separated Mac export joined with an LF one keeps all its rows.
printf 'Receipt,Sale Date,Member,Note,Amount\rR1,2026-11-21,M1,"a\nb\nc",10.00\rR2,2026-11-21,M2,"x\ny\nz",10.00\rR3,2026-11-21,M3,,1O.00\r' >"$TMP/mac-cells.csv"
printf 'Receipt,Sale Date,Member,Note,Amount\nR1,2026-11-21,M1,"line one\rline two\rline three",10.00\nR2,2026-11-21,M2,"x\ry",10.00\rR3,2026-11-21,M3,,1O.00\n' >"$TMP/lf-cells.csv"
printf 'Receipt,Sale Date,Member,Note,Amount\r\r\nR1,2026-11-21,M1,"a\rb",10.00\r\r\nR2,2026-11-21,M2,,1O.00\r\r\n' >"$TMP/crcrlf-cell.csv"
{ printf 'Receipt Date Member Amount\rR1 2026-11-21 M1 10.00\rR2 2026-11-21 M2 10.00\r'
  printf 'Receipt Date Member Amount\nR3 2026-11-21 M3 10.00\nR4 2026-11-21 M4 10.00\nR5 2026-11-21 M5 10.00\n'; } >"$TMP/mac-joined.txt"
check ingest-cr-lines-told 0 scrub sh -c "cv-ingest -q --as-of 2026-11-22 \
    --max-reject-rate 100 --rejects $TMP/told.rej $TMP/mac-cells.csv \
    $TMP/lf-cells.csv $TMP/crcrlf-cell.csv >/dev/null && cut -f1,2 $TMP/told.rej && \
    cv-ingest -q --as-of 2026-11-22 -d blanks $TMP/mac-joined.txt | cut -f1"
# A lone CR in the header is no line end of its own when the next line
# ends in LF (a blank-separated file lost every row to it); line ends in
# quotes, in the header too, do not count.
printf 'Receipt Sale-Date\r Member Amount\nE1 2026-11-21 M1 10.00\nE2 2026-11-21 M2 10.00\n' >"$TMP/hdr-cr.txt"
printf 'Receipt,Sale Date,Member,Amount,"Note\rx"\nF1,2026-11-21,M1,10.00,"a\rb"\nF2,2026-11-21,M2,10.00,"c\rd\re"\nF3,2026-11-21,M3,1O.00,\n' >"$TMP/hdr-quoted-cr.csv"
printf 'Receipt,Sale Date,Member,Amount,"Note\nx"\rG1,2026-11-21,M1,10.00,\rG2,2026-11-21,M2,10.00,\rG3,2026-11-21,M3,1O.00,\r' >"$TMP/mac-hdr-lf.csv"
check ingest-cr-lines-header 0 scrub sh -c "cv-ingest -q --as-of 2026-11-22 \
    -d blanks $TMP/hdr-cr.txt | cut -f1 && cv-ingest -q --as-of 2026-11-22 \
    --max-reject-rate 100 --rejects $TMP/hdr.rej $TMP/hdr-quoted-cr.csv \
    $TMP/mac-hdr-lf.csv | cut -f1 && cut -f1,2 $TMP/hdr.rej"
# A quote opens a quoted field only at its start, as for libcsv: an inch
# mark in a Mac file's title line or header hid its CR lines (a
# blank-separated one lost every row), and one in an LF file's title made
# it a Mac file.
printf 'Sales of 12" pizzas\rReceipt Sale-Date Member Amount\rQ1 2026-11-21 M1 10.00\rQ2 2026-11-21 M2 1O.00\rQ3 2026-11-21 M3 10.00\r' >"$TMP/mac-inch.txt"
printf 'Receipt,Sale Date,Member,Amount,Screen 12"\rS1,2026-11-21,M1,10.00,a\rS2,2026-11-21,M2,1O.00,b\rS3,2026-11-21,M3,10.00,c\r' >"$TMP/mac-inch.csv"
printf 'Sales of 12" pizzas\nReceipt,Sale Date,Member,Amount,Note\nT1,2026-11-21,M1,10.00,"a\rb\rc"\nT2,2026-11-21,M2,1O.00,x\nT3,2026-11-21,M3,10.00,"d\re"\n' >"$TMP/lf-inch.csv"
check ingest-cr-lines-inch 0 scrub sh -c "cv-ingest -q --as-of 2026-11-22 \
    --max-reject-rate 100 -d blanks $TMP/mac-inch.txt | cut -f1 && \
    cv-ingest -q --as-of 2026-11-22 --max-reject-rate 100 \
    --rejects $TMP/inch.rej $TMP/mac-inch.csv $TMP/lf-inch.csv | cut -f1 && \
    cut -f1,2 $TMP/inch.rej"
# A quote after a TAB opens a quoted field, and in a blank-separated file
# one after a blank: a TAB-separated Mac file with a line break in a
# header cell, and a blank-separated one with one in a row (which lost
# every row without a word), are files of CR lines.
printf 'Receipt\tSale Date\tMember\tAmount\t"Note\nfree text"\rU1\t2026-11-21\tM1\t10.00\tx\rU2\t2026-11-21\tM2\t1O.00\ty\rU3\t2026-11-21\tM3\t10.00\tz\r' >"$TMP/mac-tab.tsv"
printf 'Receipt Sale-Date Member Amount Note\rV1 2026-11-21 M1 10.00 "a\nb"\rV2 2026-11-21 M2 1O.00 y\rV3 2026-11-21 M3 10.00 z\r' >"$TMP/mac-blank.txt"
check ingest-cr-lines-tab 0 scrub sh -c "cv-ingest -q --as-of 2026-11-22 \
    --max-reject-rate 100 --rejects $TMP/tab.rej $TMP/mac-tab.tsv | cut -f1 && \
    cut -f1,2 $TMP/tab.rej && cv-ingest -q --as-of 2026-11-22 \
    --max-reject-rate 100 -d blanks --rejects $TMP/tab.rej \
    $TMP/mac-blank.txt | cut -f1 && cut -f1,2 $TMP/tab.rej"
# A Mac file of a header and one row whose last line ends in an LF: its
# row is read (blank-separated, it was taken into the header: 0 rows).
printf 'Receipt Sale-Date Member Amount\rW1 2026-11-21 M1 10.00\n' >"$TMP/mac-short.txt"
check ingest-cr-lines-short 0 sh -c "cv-ingest -q --as-of 2026-11-22 \
    -d blanks $TMP/mac-short.txt | cut -f1"
# Lines that CRs end are read 1 MiB at a time: a CRLF whose CR is the
# last byte of the first MiB is one line end, and a bad row after it has
# its line's number, from a file and from stdin.
awk 'BEGIN { printf "Receipt,Sale Date,Member,Amount\r"
	for (i = 1; i <= 40000; i++)
		printf "R%06d,2026-11-21,M%04d,%s\r%s", i, i % 10000,
		    i == 32800 ? "1O0.00" : "100.00", i == 32767 ? "\n" : "" }' \
    >"$TMP/cr-mib.csv"
check ingest-mac-cr-mib 0 sh -c "cd $TMP && cv-ingest --as-of 2026-11-22 \
    cr-mib.csv | wc -l && cv-ingest --as-of 2026-11-22 <cr-mib.csv | \
    cksum && tr '\r' '\n' <cr-mib.csv | sed '/^\$/d' | \
    cv-ingest -q --as-of 2026-11-22 | cksum"
check ingest-cancel-prefix 0 cv-ingest --cancel-prefix R --store X \
    --columns txn_id,ts,customer_id,qty,amount $T/cancel.csv

# Errors before and after reading: usage, input, output.
check ingest-usage-option 64 cv-ingest --frobnicate
check ingest-usage-delim 64 cv-ingest -d x $T/pos-us-mdy.csv
check ingest-usage-kind 64 cv-ingest --kind orders $T/pos-us-mdy.csv
check ingest-usage-as-of 64 cv-ingest --as-of 2026-02-30 $T/pos-us-mdy.csv
check ingest-usage-map 64 cv-ingest --map nonsense $T/pos-us-mdy.csv
check ingest-usage-map-field 64 cv-ingest --map price=UnitPrice $T/pos-us-mdy.csv
check ingest-usage-pattern 64 cv-ingest --id-pattern '[0-9' $T/pos-us-mdy.csv
check ingest-usage-rate 64 cv-ingest --max-reject-rate lots $T/pos-us-mdy.csv
check ingest-usage-rate-range 64 cv-ingest --max-reject-rate 200 $T/pos-us-mdy.csv
check ingest-usage-rate-pct-range 64 cv-ingest --max-reject-rate 200% \
    $T/pos-us-mdy.csv
# An option letter that is not ASCII is named whole, not the argument
# before it.
check ingest-usage-option-utf8 64 cv-ingest --kind txn -é $T/pos-us-mdy.csv
check ingest-usage-option-utf8-cluster 64 cv-ingest -qé $T/pos-us-mdy.csv
check ingest-usage-map-long 64 cv-ingest \
    --map "$(printf 'x%.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 \
    21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 \
    45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 \
    69 70)=Foo" $T/pos-us-mdy.csv
check ingest-usage-cancel-empty 64 cv-ingest --cancel-prefix '' $T/pos-us-mdy.csv
check ingest-usage-date-order 64 cv-ingest --date-order xyz $T/pos-us-mdy.csv
check ingest-usage-dedup 64 cv-ingest --dedup xyz $T/pos-us-mdy.csv
check ingest-usage-encoding 64 cv-ingest --encoding latin1 $T/pos-us-mdy.csv
# Help that cannot be written is an I/O error, not a silent success.
check ingest-help-full 74 sh -c 'cv-ingest --help >/dev/full'

# Bad values of every kind get their own reason (an audit of the
# messages found these without a test).
printf '导购编号,姓名,门店,在职\n,a,SH01,是\nS3,c,SH01,maybe\nS4,d,SH01,是\n' \
    >"$TMP/staff-bad.csv"
check ingest-staff-bad 0 scrub cv-ingest --kind staff --as-of 2026-11-21 \
    --max-reject-rate 100 "$TMP/staff-bad.csv"
printf '单号,销售时间,会员卡号,数量,单价\nA1,2026-11-21 10:00,1001,99999999999,99999999999.00\nA2,2026-11-21 10:00,1001,1,10.00\n' \
    >"$TMP/price-big.csv"
check ingest-price-too-large 0 scrub cv-ingest --max-reject-rate 100 \
    "$TMP/price-big.csv"
printf '会员卡号,姓名,生日\n0,a,1990-01-01\n1001,b,2099-03-14\n1002,c,2099-03\n1003,d,1990-05-06\n' \
    >"$TMP/members-later.csv"
check ingest-members-placeholder-later 0 scrub cv-ingest --kind members \
    --as-of 2026-11-21 --max-reject-rate 100 "$TMP/members-later.csv"
# No header among the first 50 records: the run fails, every row counted.
awk 'BEGIN { for (i = 1; i <= 200; i++) print "A" i ",2026-11-21,1001,9.00" }' \
    >"$TMP/no-header-200.csv"
check ingest-no-header-200 65 scrub cv-ingest "$TMP/no-header-200.csv"
# More than ten rejected rows: ten shown, the rest counted.
awk 'BEGIN { print "单号,销售时间,会员卡号,实收金额"
    for (i = 1; i <= 12; i++) print "A" i ",2026-13-0" (i % 9 + 1) ",1001,9.00"
    print "B1,2026-11-21,1001,9.00" }' >"$TMP/twelve-bad.csv"
check ingest-rejects-shown 0 scrub cv-ingest --max-reject-rate 100 \
    "$TMP/twelve-bad.csv"
# A read error is an I/O error (74), not a short input.
check ingest-read-error 74 cv-ingest /proc/self/mem

# A --map header the file does not have is an error, never a silent
# switch to another column; --columns must name the required fields.
printf '单号,销售时间,会员卡号,实收金额,单价\r\nR1,2026-11-21 10:00,13800138000,90.00,100.00\r\n' >"$TMP/map.csv"
check ingest-map-missing-header 65 scrub cv-ingest --map amount=成交额 "$TMP/map.csv"
check ingest-columns-no-member 64 cv-ingest --columns ,ts,,amount $T/pos-us-mdy.csv
check ingest-columns-no-amount 64 cv-ingest --columns txn_id,ts,customer_id $T/pos-us-mdy.csv

# 0.0 and 0.00 (a placeholder 0 a spreadsheet wrote as a number) are
# walk-ins, as 0 is; rows after an unclosed quote are still checked for
# bad bytes.
printf '单号,销售时间,会员卡号,实收金额\r\nR1,2026-11-21 10:00,0.0,10.00\r\nR2,2026-11-21 10:05,0.00,20.00\r\nR3,2026-11-21 10:09,17850.0,30.00\r\n' >"$TMP/zero-id.csv"
check ingest-id-zero-float 0 cv-ingest -q "$TMP/zero-id.csv"
printf '单号,销售时间,会员卡号,款号,实收金额\nR1,2026-11-21,C1,"A,1.00\nR2\325Q,2026-11-21,C1,B,2.00\nR3,2026-11-21,C1,B\377,2.00\nR4,2026-11-21,C1,B,2.00\n' >"$TMP/quote-enc.csv"
check ingest-quote-then-bad-bytes 0 scrub cv-ingest --max-reject-rate 100 "$TMP/quote-enc.csv"

# A daily report's totals row carries the day in its date column; it is
# still a totals row, not a walk-in sale of the whole day.  Excel exports
# joined with cat repeat their header with a BOM: a header, not a row.
printf '\357\273\277单号,销售时间,会员卡号,数量,实收金额\r\nR1,2026-11-21 10:00,13800138000,1,1234.00\r\nR2,2026-11-21 11:00,,1,5.00\r\n合计,2026-11-21,,2,1239.00\r\n' >"$TMP/day-total.csv"
check ingest-totals-dated 0 cv-ingest "$TMP/day-total.csv"
check ingest-concat-bom 0 sh -c "cat $TMP/day-total.csv $TMP/day-total.csv | cv-ingest"
# Report exports joined with cat repeat their title lines above the
# header: title lines, not rows (they were rejected as rows of one field
# and failed the run).  Only lines equal to the file's title lines are:
# other lines of the wrong field count are rejected, before a repeated
# header too (rows quoted whole or with another delimiter).
check ingest-concat-report 0 sh -c "cat $T/pos-gz04-20261121-report.csv \
    $T/pos-gz04-20261121-report.csv | cv-ingest --as-of 2026-11-22"
printf '销售日期,单号,门店编码,会员号,导购员,款号,数量,金额\n2026-11-21 10:20:00,GZ04-5501,GZ04,138,GZ04-01,TS1,1,129.00\nnote only\n2026-11-21 10:21:00,GZ04-5502,GZ04,138,GZ04-01,TS2,1,99.00\nlast words\n' >"$TMP/one-field.csv"
check ingest-one-field-lines 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 100 "$TMP/one-field.csv"
printf '销售日期,单号,门店编码,会员号,导购员,款号,数量,金额\n2026-11-21 10:20:00,GZ04-5501,GZ04,138,GZ04-01,TS1,1,129.00\n"2026-11-21 10:21:00,GZ04-5502,GZ04,138,GZ04-01,TS2,1,99.00"\n2026-11-21 10:22:00;GZ04-5503;GZ04;138;GZ04-01;TS3;1;99.00\n销售日期,单号,门店编码,会员号,导购员,款号,数量,金额\n2026-11-21 10:23:00,GZ04-5504,GZ04,138,GZ04-01,TS4,1,19.00\n' >"$TMP/not-titles.csv"
check ingest-not-titles 65 scrub cv-ingest --as-of 2026-11-22 "$TMP/not-titles.csv"

# --max-reject-rate is compared exactly: 7 bad rows of 1000 are not more
# than 0.7% (in floating point they were), but more than 0.69%.
awk 'BEGIN { print "单号,销售时间,会员卡号,实收金额"
	for (i = 1; i <= 1000; i++)
		printf "R%04d,2026-11-21 10:00,1380013%04d,%s\n", i, i,
		    i <= 7 ? "—" : "99.00" }' >"$TMP/rate7.csv"
check ingest-rate-exact 0 cv-ingest -q --max-reject-rate 0.7 "$TMP/rate7.csv" -o /dev/null
check ingest-rate-over 65 scrub cv-ingest -q --max-reject-rate 0.69 "$TMP/rate7.csv" -o /dev/null
check ingest-help 0 cv-ingest --help
check ingest-version 0 cv-ingest --version
check ingest-no-file 66 cv-ingest $T/no-such-file.csv
check ingest-directory 66 cv-ingest $T
check ingest-full-disk 74 sh -c "cv-ingest $T/pos-us-mdy.csv >/dev/full"
check ingest-out-dir-missing 73 cv-ingest -o no/such/dir/x.tsv $T/pos-us-mdy.csv
check ingest-rejects-dir-missing 73 cv-ingest --rejects no/dir/r.tsv $T/pos-us-mdy.csv

# -o writes atomically; a failed run leaves no output and no temporary file.
mkdir -p "$TMP/o"
check ingest-output-file 0 sh -c "cv-ingest -q -o $TMP/o/out.tsv $T/pos-online-20261121.csv &&
    cat $TMP/o/out.tsv && ls -A $TMP/o"
check ingest-output-gz 0 sh -c "cv-ingest -q -o $TMP/out.tsv.gz $T/pos-online-20261121.csv &&
    gzip -dc $TMP/out.tsv.gz"
check ingest-output-failed 65 sh -c "rm -f $TMP/o/*; cv-ingest -q -o $TMP/o/bad.tsv $T/bad-dates.csv;
    s=\$?; ls -A $TMP/o; exit \$s"
# -o and --rejects on what is not a regular file: a FIFO or device is
# written as it is (renaming over it would replace it), a symbolic link
# keeps pointing at its file, a folder or an empty name is refused before
# anything is written.
mkdir -p "$TMP/nr" && mkfifo "$TMP/nr/fifo"
check ingest-output-fifo 0 sh -c "cd $TMP/nr && { timeout 20 cat fifo > got & } &&
    cv-ingest -q -o fifo '$TOP/$T/pos-online-20261121.csv' && wait &&
    test -p fifo && wc -l < got"
check ingest-output-symlink 0 sh -c "cd $TMP/nr && echo old > real.tsv &&
    ln -s real.tsv link.tsv && cv-ingest -q -o link.tsv \
    '$TOP/$T/pos-online-20261121.csv' && test -L link.tsv && head -1 real.tsv"
check ingest-output-folder 73 sh -c "cd $TMP/nr && mkdir -p d &&
    cv-ingest -q -o d '$TOP/$T/pos-online-20261121.csv'"
check ingest-rejects-folder 73 sh -c "cd $TMP/nr &&
    cv-ingest -q --rejects d '$TOP/$T/pos-online-20261121.csv'"
check ingest-output-empty-name 64 cv-ingest -q -o '' $T/pos-online-20261121.csv
# Standard input read twice would be empty the second time.
check ingest-stdin-twice 64 cv-ingest -q - $T/pos-online-20261121.csv -

# Member profiles, contact logs and staff rosters.
check ingest-members 0 cv-ingest --kind members $T/members.csv
check ingest-members-bad 65 cv-ingest --kind members $T/members-bad.csv
# Big5 (Taipei): read when given; guessed as GBK its headers are other
# characters, and the message says how the file was read.
check ingest-members-big5 0 cv-ingest --kind members --encoding big5 \
    $T/members-tp01-20261121-big5.csv
check ingest-members-big5-guessed 65 cv-ingest --kind members \
    $T/members-tp01-20261121-big5.csv
# A member's later profile is laid over the earlier one: a tier report
# without phone, birthday or opt-out columns, and a later row whose
# opt-out cell is blank, say nothing of those (the opted-out member stays
# opted out); a value the later row does give wins (a tier, a 否).
printf '会员卡号,姓名,手机,生日,会员等级,客户类型,拒绝联系\nA1,陈静,13800138000,1988-03-14,银卡,经销商,是\nA2,刘洋,13912345678,1979-11-30,金卡,零售,否\nA3,周敏,13655556666,11-21,银卡,零售,是\nA1,陈静,,,银卡,,\n' >"$TMP/prof-full.csv"
printf '会员卡号,会员等级\nA1,金卡\nA2,钻石\nA4,普通\n' >"$TMP/prof-tier.csv"
printf '会员卡号,拒绝联系\nA3,否\n' >"$TMP/prof-optin.csv"
check ingest-members-laid-over 0 scrub cv-ingest --kind members \
    "$TMP/prof-full.csv" "$TMP/prof-tier.csv" "$TMP/prof-optin.csv"
check ingest-members-laid-over-o 0 sh -c "cv-ingest -q --kind members \
    -o $TMP/prof.tsv $TMP/prof-full.csv $TMP/prof-tier.csv \
    $TMP/prof-optin.csv && cat $TMP/prof.tsv"
check ingest-members-laid-over-first 0 cv-ingest -q --kind members \
    --dedup first "$TMP/prof-full.csv" "$TMP/prof-tier.csv"
# Many members, each a short row then a long one and a short one again:
# -o squeezes its own file in place, and the laid-over lines are longer
# than the lines they stand in for; the same as through a spool.
awk 'BEGIN { print "会员卡号,姓名,手机,生日,会员等级,备注名";
    for (i = 0; i < 3000; i++) printf "M%d,,,,L%d,\n", i, i % 7;
    for (i = 0; i < 3000; i++) printf "M%d,会员%d的一个很长很长的名字,1380013%04d,1990-01-%02d,,\n", i, i, i, i % 28 + 1;
    for (i = 0; i < 3000; i += 2) printf "M%d,,,,G%d,\n", i, i % 5 }' \
    >"$TMP/prof-many.csv"
cv-ingest -q --kind members "$TMP/prof-many.csv" >"$TMP/prof-many-spool.tsv"
cv-ingest -q --kind members -o "$TMP/prof-many-o.tsv" "$TMP/prof-many.csv"
assert ingest-members-laid-over-squeeze cmp "$TMP/prof-many-spool.tsv" \
    "$TMP/prof-many-o.tsv"
assert ingest-members-laid-over-many test "$(awk -F'\t' 'NR > 1 && \
    $2 != "" && $3 != "" && $5 != "" && $9 != "" { n++ } END { print n }' \
    "$TMP/prof-many-o.tsv")" = 3000
check ingest-contacts 0 cv-ingest --kind contacts $T/contacts.csv
check ingest-staff 0 cv-ingest --kind staff $T/staff.csv

# Real data.  CDNOW: blank-separated columns, no header; the first column is
# the master file's id and is left out.
check ingest-cdnow-sample 0 sh -c "cv-ingest -d blanks \
    --columns ,customer_id,ts,qty,amount $T/cdnow-sample.txt.gz | head -5"
check ingest-cdnow-master 0 sh -c "cv-ingest $T/cdnow-master.txt.gz -d blanks | tail -3"
check ingest-online-retail 0 sh -c "cv-ingest --cancel-prefix C \
    $T/online-retail.csv.gz | sha256sum"

# A NUL byte is binary data, not text: the row is rejected, never passed on
# to break a stream.
printf 'ts,customer_id,sku,amount\n2026-11-01,C1,A\000B,1.00\n2026-11-01,C2,AB,1.00\n' \
    >"$TMP/nul.csv"
STDIN=$TMP/nul.csv
check ingest-nul-byte 65 cv-ingest --as-of 2026-11-21
# Excel's "Unicode text" is UTF-16: one clear message, no rows made up.
{ printf '\377\376'; printf '单号\t销售时间\t会员卡号\t实收金额\r\nT1\t2026-11-21\tC1\t1.00\r\n' |
    iconv -f UTF-8 -t UTF-16LE; } >"$TMP/u16.csv"
check ingest-utf16 65 scrub cv-ingest "$TMP/u16.csv"
# The rejects file stays a cv stream: a NUL or a byte that is not UTF-8
# becomes U+FFFD in the row's text.
printf '销售日期,会员卡号,款号,金额\n2026-11-01,C1,A\000B,1.00\n2026-11-01,C3,\377\376,1.00\n2026-11-01,C2,AB,1.00\n' \
    >"$TMP/bad8.csv"
check ingest-rejects-nul-utf8 0 sh -c "cd $TMP && cv-ingest -q --as-of 2026-11-21 \
    --max-reject-rate 100 --rejects rej8.tsv bad8.csv >/dev/null &&
    iconv -f UTF-8 -t UTF-8 rej8.tsv && tr -d '\\000' <rej8.tsv | cmp - rej8.tsv"
printf 'member_id,name\n13800138000,a\000b\n13800138001,ab\n' >"$TMP/nul-m.csv"
STDIN=$TMP/nul-m.csv
check ingest-members-nul-byte 65 cv-ingest --kind members
# A field of 2 MB (an amount of 2 million nines) is read in linear time.
awk 'BEGIN { printf "ts,customer_id,amount\n2026-11-01,C1,"
	for (i = 0; i < 20000; i++) printf "%s", "9999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999"
	printf "\n2026-11-01,C2,1.00\n" }' >"$TMP/long.csv"
STDIN=$TMP/long.csv
check ingest-long-field 65 cv-ingest --as-of 2026-11-21

# Dates as more systems write them.  Excel's day zero as Excel writes it
# (1900/1/0, 1900-01-00, 1/0/1900, 00/01/1900) is its day zero: the time
# alone in a Time column, no birthday in a profile, in any date order,
# settling none (all were bad dates, and the US one said the file was
# month first).
printf '单号,销售日期,销售时间,会员卡号,数量,实收金额\nZ1,2026/11/21,1900/1/0 14:32,M1,1,10.00\nZ2,2026/11/21,1900-01-00 14:40:05,M2,1,10.00\n' >"$TMP/zero-excel-cn.csv"
printf 'Receipt,Date,Time,Member,Qty,Amount\nZ3,11/05/2026,1/0/1900 2:32 PM,M3,1,10.00\nZ4,11/21/2026,1/0/1900 3:00:05 PM,M4,1,10.00\n' >"$TMP/zero-excel-us.csv"
printf 'Receipt,Date,Time,Member,Qty,Amount\nZ5,05/11/2026,00/01/1900 14:32,M5,1,10.00\nZ6,21/11/2026,00/01/1900 15:00,M6,1,10.00\n' >"$TMP/zero-excel-uk.csv"
printf 'Receipt,Date,Time,Member,Qty,Amount\nZ7,05/11/2026,1/0/1900 2:32 PM,M7,1,10.00\n' >"$TMP/zero-excel-never.csv"
check ingest-excel-day-zero 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 100 "$TMP/zero-excel-cn.csv" "$TMP/zero-excel-us.csv" \
    "$TMP/zero-excel-uk.csv" "$TMP/zero-excel-never.csv"
printf '会员卡号,姓名,生日,入会日期\nV1,a,1900/1/0,2026/1/5\nV2,b,1/0/1900,2026-01-06\nV3,c,00/01/1900,1900-01-00\nV4,d,05/11/1990,2026-01-08\n' >"$TMP/zero-excel-members.csv"
check ingest-excel-day-zero-members 0 scrub cv-ingest --kind members \
    --as-of 2026-11-22 --max-reject-rate 100 "$TMP/zero-excel-members.csv"

# Digits and - . / : typed in full width (a Chinese IME in full-width
# mode) are read in dates and times as in amounts (all were bad dates).
printf '单号,销售时间,会员卡号,数量,实收金额\nW1,２０２６-１１-２１ １４:３２,M1,1,１２．５０\nW2,2026－11－21 14:32,M2,1,12.50\nW3,2026／11／21,M3,1,12.50\nW4,２０２６年１１月２１日 １４：３２：０５,M4,1,12.50\nW5,２０２６／１１／３１,M5,1,12.50\n' >"$TMP/wide-dates.csv"
printf '单号,销售日期,销售时间,会员卡号,数量,实收金额\nW6,２０２６．１１．２１,１４：３２,M6,1,12.50\n' >"$TMP/wide-split.csv"
check ingest-wide-dates 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 100 "$TMP/wide-dates.csv" "$TMP/wide-split.csv"

# A time column of six digits, HHMMSS, beside a date column (an ERP's
# CHAR(6) time) is the time of day (it was a bad date); five or four digits
# and hours, minutes or seconds out of range stay bad, and a date column
# alone keeps its message.
printf '单号,销售日期,销售时间,会员卡号,数量,实收金额\nH1,20261121,143205,M1,1,10.00\nH2,20261121,093205,M2,1,10.00\nH3,093205,20261121,M3,1,10.00\nH4,20261121,93205,M4,1,10.00\nH5,20261121,240000,M5,1,10.00\nH6,20261121,1432,M6,1,10.00\nH7,,143205,M7,1,10.00\nH8,20261121 14:32:05,143205,M8,1,10.00\nH9,20261121 14:32:05,143206,M9,1,10.00\n' >"$TMP/hhmmss.csv"
printf 'Receipt,Date,Member,Qty,Amount\nS1,143205,M1,1,10.00\n' >"$TMP/hhmmss-alone.csv"
check ingest-time-hhmmss 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 100 "$TMP/hhmmss.csv" "$TMP/hhmmss-alone.csv"

# A comma and a blank between the date and its time, as JavaScript's
# toLocaleString() writes them, in every numeric form (they were bad dates,
# "what follows the date is not a time of day"); a comma without the
# blank, or with nothing after it, stays bad.
printf 'Order ID,Created at,Customer ID,Total\nJ1,"11/21/2026, 2:32:05 PM",C1,10.00\nJ2,"11/5/2026, 9:05:00 AM",C2,10.00\nJ3,"2026/11/21, 14:32:05",C3,10.00\nJ4,"2026/11/21,14:32:05",C4,10.00\nJ5,"2026/11/21,",C5,10.00\n' >"$TMP/comma-time.csv"
check ingest-time-after-comma 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 100 "$TMP/comma-time.csv"

# Oracle's default timestamp (21-NOV-26 02.32.05.000000 PM) and DB2's
# (2026-11-21-14.32.05.000000): a time hh.mm.ss after a date, with all
# three parts of two digits (both were bad dates); other dotted times
# stay bad.
printf 'Receipt No,Sale Date,Customer ID,Qty,Amount\nO1,21-NOV-26 02.32.05.000000 PM,C1,1,10.00\nO2,2026-11-21-14.32.05.000000,C2,1,10.00\nO3,21-NOV-2026 09.05.00,C3,1,10.00\nO4,2026-11-21 14.32,C4,1,10.00\nO5,2026-11-21-14.32,C5,1,10.00\n' >"$TMP/dotted-time.csv"
check ingest-time-dotted 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 100 "$TMP/dotted-time.csv"

# A number of five digits, with or without a fraction, in a date column
# is an Excel day number: still a bad date (the 1904 date system would
# make it another day), but the message names the day it is in Excel's
# 1900 system and says what to do (it said only "bad date"); a time
# column's 93205 beside a date keeps its message.
printf 'Receipt No,Sale Date,Customer ID,Qty,Amount\nE1,46347,C1,1,10.00\nE2,46347.6055,C2,1,10.00\nE3,4634,C3,1,10.00\nE4,463470,C4,1,10.00\n' >"$TMP/serial.csv"
printf '单号,销售日期,销售时间,会员卡号,数量,实收金额\nE5,46347,14:32,M5,1,10.00\nE6,20261121,93205,M6,1,10.00\n' >"$TMP/serial-split.csv"
check ingest-excel-serial 0 scrub cv-ingest --as-of 2026-11-22 \
    --max-reject-rate 100 "$TMP/serial.csv" "$TMP/serial-split.csv"
printf '会员卡号,姓名,生日,入会日期\nV1,a,32874,2026-01-05\nV2,b,1990-01-01,46347\n' >"$TMP/serial-members.csv"
check ingest-excel-serial-members 0 scrub cv-ingest --kind members \
    --as-of 2026-11-22 --max-reject-rate 100 "$TMP/serial-members.csv"

# A placeholder for no value (NULL from SQL tools, 无, -, 未知) leaves
# an optional profile or contact field empty: a member is not rejected
# for a NULL birthday, and no store or assistant is called NULL.
printf 'card_no,name,mobile,gender,birthday,join_date,home_store,assigned_staff,tier,customer_type,opt_out\r\nM1,Ann,13800138000,F,1988-03-14,2021-05-02,SH01,S1,Gold,retail,0\r\nM2,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL\r\nM3,Bob,13800138001,M,NULL,2021-05-02,SH01,NULL,NULL,NULL,1\r\n' \
    >"$TMP/sql-null-members.csv"
printf '会员卡号,姓名,生日,入会日期,开卡门店,导购编号,会员等级,客户类型,拒绝联系\nA1,陈静,未知,-,无,—,无,未知,未知\nA2,王芳,--,2021-05-02,SH01,S1,金卡,零售,否\n' \
    >"$TMP/none-members.csv"
check ingest-members-none-values 0 scrub cv-ingest --kind members \
    --as-of 2026-11-21 "$TMP/sql-null-members.csv" "$TMP/none-members.csv"
printf '联系日期,会员卡号,导购编号,联系方式,活动,结果,备注\n2026-11-10,A1,NULL,NULL,NULL,NULL,NULL\n2026-11-11,A2,S1,电话,回访,已回复,无\nNULL,A3,S1,电话,回访,,\n' \
    >"$TMP/none-contacts2.csv"
check ingest-contacts-none-values 0 scrub cv-ingest --kind contacts \
    --as-of 2026-11-21 --max-reject-rate 50 "$TMP/none-contacts2.csv"

# A birthday without its year: as cv writes it (--MM-DD, read back), as
# MySQL does (0000-MM-DD), and in the years systems store one in (1900,
# and 1904 of Excel's Mac date system, whose 1904-01-01 is its day zero,
# none); 1901 is a real year.
printf '会员卡号,姓名,生日\nY1,a,--11-21\nY2,b,--1121\nY3,c,0000-03-14\nY4,d,0000/3/14\nY5,e,1900-03-14\nY6,f,1904/2/29\nY7,g,1904-01-01\nY8,h,1900-01-01\nY9,i,1901-03-14\nY10,j,--02-30\n' \
    >"$TMP/bday-yearless.csv"
# 1900-02-29 is Excel's day 60, a day its 1900 system counts that was
# not: a birthday of 1900 is one without its year, this one too (it
# was rejected, the profile and its opt-out lost); 1901-02-29 is bad.
printf '会员卡号,姓名,生日\nA1,陈静,1900-02-29\nA2,刘洋,1900/2/29\nA3,王芳,1900-03-14\nA4,张伟,1901-02-29\n' >"$TMP/bday-day60.csv"
check ingest-bday-excel-day60 0 scrub cv-ingest --kind members \
    --as-of 2026-11-22 --max-reject-rate 100 "$TMP/bday-day60.csv"
check ingest-bday-yearless 0 scrub cv-ingest --kind members --as-of 2026-11-21 \
    --max-reject-rate 100 "$TMP/bday-yearless.csv"
# cv-ingest reads its own members stream back as it wrote it.
check ingest-members-read-back 0 sh -c "cv-ingest -q --kind members \
    $T/members.csv | cv-ingest -q --kind members --as-of 2026-11-21 >'$TMP/back' &&
    cv-ingest -q --kind members $T/members.csv | cmp - '$TMP/back' && echo same"

# A yearless birthday with a dash or a point follows --date-order dmy
# (or a file that settles day first) as one with a slash does, and as
# its full dates do; a first number that is no month (21-11) is the day
# in any order; a bad one says why.
printf 'Member ID,Birthday\r\nM1,05-11-1990\r\nM2,05-11\r\nM3,05.11.1990\r\nM4,05.11\r\nM5,21-11\r\nM6,25-12\r\nM7,05/11\r\nM8,12-25\r\n' \
    >"$TMP/bday-dmy-dash.csv"
check ingest-bday-dmy-dash 0 scrub cv-ingest --kind members --date-order dmy \
    --as-of 2026-11-21 --max-reject-rate 100 "$TMP/bday-dmy-dash.csv"
printf '会员卡号,生日\nN1,03-14\nN2,21-11\nN3,13/2/1990\nN4,05-11\nN5,14.3.\nN6,13-14\nN7,02-30\nN8,1988\nN9,0314\nN10,1988年\n' \
    >"$TMP/bday-dash-settled.csv"
check ingest-bday-dash-settled 0 scrub cv-ingest --kind members \
    --as-of 2026-11-21 --max-reject-rate 100 "$TMP/bday-dash-settled.csv"

# Value lists: the traditional forms of the types and opt-outs (a Taiwan
# or Hong Kong export maps 客戶類型 and 退訂, and must read their values),
# other common ones, and titles with a dot.
printf '\357\273\277會員卡號,姓名,性別,客戶類型,退訂\r\nT1,陳大文,先生,零售客戶,已退訂\r\nT2,李小明,Mr.,普通會員,未退訂\r\nT3,王美玲,Mrs.,經銷,退訂\r\nT4,張志強,Ms.,分銷商,0.0\r\nT5,林淑芬,女生,批發,1.0\r\nT6,黃建國,男生,集團客戶,☐\r\nT7,吳家豪,男,企業客戶,✔\r\nT8,周怡君,女,大客戶,☑\r\nT9,趙子龍,男,團購客戶,已拒絕\r\nT10,錢多多,女,企業,否\r\n' \
    >"$TMP/members-trad.csv"
printf '会员卡号,姓名,客户类型,拒绝联系\nS1,a,团购客户,已拒绝\nS2,b,团体,否\nS3,c,批发商,否\nS4,d,加盟店,否\nS5,e,经销,否\nS6,f,Retail Customer,否\nS7,g,Corporate Customer,否\nS8,h,Group Buying,否\nS9,i,VIP会员,否\n' \
    >"$TMP/members-values.csv"
check ingest-members-values-trad 0 scrub cv-ingest --kind members \
    "$TMP/members-trad.csv" "$TMP/members-values.csv"
# x in an opt-out column is yes, so that no one who opted out is called;
# in a column that also ticks with √, where x may be typed for ×, the
# file is told.
printf '会员卡号,姓名,拒绝联系\nA1,陈静,√\nA2,刘洋,x\nA3,王芳,√\nA4,张伟,X\n' \
    >"$TMP/optout-tick-x.csv"
printf '会员卡号,姓名,拒绝联系\nB1,陈静,x\nB2,刘洋,\n' >"$TMP/optout-x.csv"
check ingest-optout-tick-x 0 scrub cv-ingest -q --kind members \
    "$TMP/optout-tick-x.csv" "$TMP/optout-x.csv"

# A contact dated after --as-of is rejected as a sale is (a typed 2027).
printf '联系日期,会员卡号,导购编号,联系方式,结果\n2026-11-20,A1,S1,电话,已回复\n2026-11-21 18:30,A2,S1,电话,未接通\n2026-11-25,A3,S1,微信,已回复\n2027-11-20,A4,S2,电话,已回复\n' \
    >"$TMP/contacts-future.csv"
check ingest-contacts-after-as-of 0 scrub cv-ingest --kind contacts \
    --as-of 2026-11-21 --max-reject-rate 60 "$TMP/contacts-future.csv"

# --store is the home store of a profile export without a store column
# (one store's members) and the store of a roster; --channel the channel
# of a contact log without one.  A kind without such a field refuses them.
printf '会员卡号,姓名,手机\nA1,陈静,13800138000\nA2,刘洋,13912345678\n' \
    >"$TMP/members-nostore.csv"
printf '会员卡号,姓名,开卡门店\nA3,王芳,SH02\n' >"$TMP/members-store.csv"
check ingest-members-store-option 0 cv-ingest -q --kind members --store SH01 \
    "$TMP/members-nostore.csv" "$TMP/members-store.csv"
printf '联系日期,会员卡号,导购编号,结果\n2026-11-10,A1,S1,已到店\n' \
    >"$TMP/contacts-nochannel.csv"
check ingest-contacts-channel-option 0 cv-ingest -q --kind contacts \
    --channel 微信 "$TMP/contacts-nochannel.csv"
check ingest-contacts-store-option 64 cv-ingest --store SH01 --kind contacts \
    "$TMP/contacts-nochannel.csv"
check ingest-members-channel-option 64 cv-ingest --kind members --channel sms \
    "$TMP/members-nostore.csv"

# A totals word with its count in the same cell (合计：2人, Total (2),
# 合计2人, 总计 2) is a totals row, set aside in every kind: as a
# profile's id it made a member called 合计:2人, and as a sale's receipt
# id or in another cell it was held against the rate.
printf '会员卡号,姓名,手机\nA1,陈静,13800138000\nA2,刘洋,13912345678\n合计：2人,,\n总计 2,,\nTotal (2),,\n合计2人,,\nTotal: 2 members,,\n,合計（2 人）,\nSUM2,王芳,13655556666\n' \
    >"$TMP/members-total-count.csv"
check ingest-members-total-count 0 scrub cv-ingest --kind members \
    "$TMP/members-total-count.csv"
printf '单号,销售时间,会员卡号,商品编码,数量,实收金额\nR1,2026-11-21 10:00,1001,SKU1,1,100.00\nR2,2026-11-21 11:00,1002,SKU2,2,50.00\n合计：2笔,,,,3,150.00\nTotal (2),,,,3,150.00\n' \
    >"$TMP/sales-total-count.csv"
check ingest-sales-total-count 0 scrub cv-ingest --as-of 2026-11-21 \
    "$TMP/sales-total-count.csv"
# A count beside a totals word tells a totals row only in a cell that
# names the row: a product called "Total 90" with a bad amount is a bad
# row (it was set aside as a totals row, exit 0), a remark 合计2件 is a
# remark; a receipt id 合计：2笔 in a dated row is a totals row (it was a
# walk-in sale of 300.00).
printf 'date,time,member,store,sku,product,qty,amount\n2026-11-20,10:01:02,M1,LDN08,SKU1,Scarf,1,10.00\n2026-11-20,10:05:00,M2,LDN08,SKU9,Total 90,1,#VALUE!\n2026-11-20,10:07:00,M3,LDN08,SKU2,Hat,1,20.00\n' >"$TMP/total90.csv"
check ingest-totals-product-named 65 scrub cv-ingest --as-of 2026-11-22 \
    "$TMP/total90.csv"
printf '销售时间,会员卡号,门店,款号,数量,实收金额,备注\n2026-11-20 10:01:02,13800138000,SH01,A1,1,100.00,\n2026-11-20 10:05:00,13800138001,SH01,A2,2,200.00,合计2件\n' >"$TMP/remark-total.csv"
check ingest-totals-remark 0 cv-ingest -q --as-of 2026-11-22 \
    "$TMP/remark-total.csv"
printf '单号,销售时间,会员卡号,门店,款号,数量,实收金额\nR1,2026-11-20 10:01:02,13800138000,SH01,A1,1,100.00\nR2,2026-11-20 10:05:00,,SH01,A2,1,200.00\n合计：2笔,2026-11-20,,SH01,,2,300.00\n' >"$TMP/totals-receipt.csv"
check ingest-totals-receipt-count 0 scrub cv-ingest --as-of 2026-11-22 \
    "$TMP/totals-receipt.csv"

# One-cell lines after the data (共5条记录, 导出人：张三, Page 1 of 1) are
# the report's footer, skipped as the title lines above the header are and
# not held against --max-reject-rate; so are those before a repeated
# header (a page's footer).  One followed by rows is rejected as before.
printf '会员资料报表\r\n门店：SH01\r\n会员卡号,姓名,手机,性别,生日\r\nA1,陈静,13800138000,女,1988-03-14\r\nA2,刘洋,13912345678,男,1979-11-30\r\nA3,王芳,13655556666,女,1992-07-08\r\n合计,3人,,,\r\n共3条记录\r\n导出人：张三\r\n打印时间：2026-11-21 08:00\r\nPage 1 of 1\r\n' \
    >"$TMP/members-footer.csv"
# A row cut short in its first cell is no footer: a name, a store or a
# time of day alone is a rejected row, the run fails.
printf '姓名,会员卡号,手机,会员等级\n陈静,A1,13800138000,金卡\n刘洋,A2,13900000000,银卡\n王芳' >"$TMP/trunc-name.csv"
check ingest-footer-not-cut-name 65 scrub cv-ingest --kind members \
    "$TMP/trunc-name.csv"
printf '销售时间,会员卡号,门店,款号,数量,实收金额\n2026-11-20 10:01:02,13800138000,SH01,A1,1,100.00\n2026-11-20 10:05:00,13800138001,SH01,A2,2,200.00\n2026-11-20 10:1\n' >"$TMP/trunc-ts.csv"
check ingest-footer-not-cut-time 65 scrub cv-ingest --as-of 2026-11-22 \
    "$TMP/trunc-ts.csv"
check ingest-members-footer 0 scrub cv-ingest --kind members \
    --as-of 2026-11-21 "$TMP/members-footer.csv"
printf '销售日期,单号,门店编码,会员号,款号,数量,金额\n2026-11-21 10:20:00,GZ04-5501,GZ04,138,TS1,1,129.00\n第1页 共2页\n销售日期,单号,门店编码,会员号,款号,数量,金额\n2026-11-21 10:21:00,GZ04-5502,GZ04,139,TS2,1,99.00\n第2页 共2页\n' \
    >"$TMP/sales-page-footer.csv"
printf '销售日期,单号,门店编码,会员号,款号,数量,金额\n2026-11-21 10:20:00,GZ04-5503,GZ04,138,TS1,1,129.00\n备注：赠品未计\n2026-11-21 10:21:00,GZ04-5504,GZ04,139,TS2,1,99.00\n' \
    >"$TMP/sales-mid-note.csv"
check ingest-sales-page-footer 0 scrub cv-ingest --as-of 2026-11-21 \
    --max-reject-rate 50 "$TMP/sales-page-footer.csv" "$TMP/sales-mid-note.csv"

# The Online Retail per-customer totals agree exactly with an independent
# computation from the raw CSV (integer arithmetic in awk: quantity times
# the price in millionths, rounded half away from zero to cents).
retail_check() {
	gzip -dc $T/online-retail.csv.gz | awk -F, 'NR > 1 {
		q = $(NF - 4); p = $(NF - 2); c = $(NF - 1); sub(/\.0$/, "", c)
		neg = 0; if (p ~ /^-/) { neg = 1; p = substr(p, 2) }
		n = split(p, a, "."); f = (n > 1 ? a[2] : "")
		while (length(f) < 6) f = f "0"
		pm = a[1] * 1000000 + f; if (neg) pm = -pm
		x = q * pm; ax = (x < 0 ? -x : x); s = (x < 0 ? -1 : 1)
		t[c] += s * int((ax + 5000) / 10000); r[c]++
	} END { for (k in t) printf "%s\t%d\t%d\n", k, r[k], t[k] }' |
	    sort >"$TMP/indep"
	cv-ingest -q $T/online-retail.csv.gz | awk -F'\t' 'NR > 1 {
		split($10, a, "."); v = a[1] * 100
		v += ($10 ~ /^-/ ? -a[2] : a[2]); t[$4] += v; r[$4]++
	} END { for (k in t) printf "%s\t%d\t%d\n", k, r[k], t[k] }' |
	    sort >"$TMP/ours"
	[ "$(wc -l <"$TMP/ours")" -eq 4373 ] && cmp "$TMP/indep" "$TMP/ours"
}
assert ingest-online-retail-totals retail_check

finish
