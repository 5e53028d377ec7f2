/* Unit tests for lib/date.c: calendar arithmetic and the date parsers. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "test.h"

static int64_t
T(int y, int m, int d, int hh, int mm, int ss)
{
	return (int64_t)day_from_civil(y, m, d) * SECS_PER_DAY + hh * 3600 +
	    mm * 60 + ss;
}

static int
loose(const char *s, int order, int64_t *ts)
{
	int hint;

	return date_parse_loose(s, strlen(s), order, ts, &hint);
}

int
main(void)
{
	int32_t day;
	int64_t ts;
	int y, m, d, i, hint;
	char buf[32];

	CHECK(day_from_civil(1970, 1, 1) == 0);
	CHECK(day_from_civil(2000, 3, 1) == 11017);
	CHECK(day_from_civil(1969, 12, 31) == -1);
	for (i = -719000; i < 2900000; i += 997) {
		civil_from_day(i, &y, &m, &d);
		if (day_from_civil(y, m, d) != i || !date_valid(y, m, d))
			break;
	}
	CHECK(i >= 2900000);
	CHECK(day_weekday(day_from_civil(2026, 11, 22)) == 6);	/* Sunday */
	CHECK(days_in_month(2024, 2) == 29);
	CHECK(days_in_month(2100, 2) == 28);
	CHECK(days_in_month(2000, 2) == 29);

	CHECK(date_parse("2026-11-21", 10, &day) == 0 &&
	    day == day_from_civil(2026, 11, 21));
	CHECK(date_parse("2026-02-29", 10, &day) < 0);
	CHECK(date_parse("2026-13-01", 10, &day) < 0);
	CHECK(date_parse("2026-1-01", 9, &day) < 0);
	CHECK(date_parse("2026/11/21", 10, &day) < 0);
	CHECK(ts_parse("2026-11-21T14:32:05", 19, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 5));
	CHECK(ts_parse("2026-11-21 14:32:05", 19, &ts) < 0);
	CHECK(ts_parse("2026-11-21T24:00:00", 19, &ts) < 0);
	/*
	 * The quick forms (2026-11-21 14:32:05, 2026/11/21 14:32, ...) read
	 * as the general parser reads them: a leading blank sends the same
	 * text there.
	 */
	{
		static const int ys[] = { 0, 1, 1999, 2024, 2026, 9999 };
		static const char *forms[] = { "%04d-%02d-%02d %s",
		    "%04d-%02d-%02dT%s", "%04d/%02d/%02d %s", "%04d/%02d/%02dT%s",
		    "%04d/%02d-%02d %s" };
		static const char *times[] = { "00:00", "23:59:59", "24:00",
		    "12:60", "12:34:60", "08:05:07", "8:05" };
		char s1[128], s2[160];
		int64_t t1, t2;
		int h1, h2, r1, r2, f, k, diff = 0, ok = 0;

		for (i = 0; i < 6; i++)
			for (m = 0; m <= 13; m++)
				for (d = 0; d <= 32; d++)
					for (f = 0; f < 5; f++)
						for (k = 0; k < 7; k++) {
			snprintf(s1, sizeof(s1), forms[f], ys[i], m, d, times[k]);
			snprintf(s2, sizeof(s2), " %s", s1);
			t1 = t2 = -1;
			r1 = date_parse_loose(s1, strlen(s1), 0, &t1, &h1);
			r2 = date_parse_loose(s2, strlen(s2), 0, &t2, &h2);
			if (r1 != r2 || t1 != t2 || h1 != h2)
				diff++;
			if (r1 == DATE_OK)
				ok++;
		}
		CHECK(diff == 0);
		CHECK(ok > 20000);
	}
	CHECK(loose("2026/11/21 14:32", 0, &ts) == DATE_OK &&
	    ts == T(2026, 11, 21, 14, 32, 0));
	CHECK(loose("2026-11-21 14:32", 0, &ts) == DATE_OK &&
	    ts == T(2026, 11, 21, 14, 32, 0));
	CHECK(loose("2026/11/21 14:32:05", 0, &ts) == DATE_OK &&
	    ts == T(2026, 11, 21, 14, 32, 5));
	CHECK(loose("2026/02/29 14:32", 0, &ts) == DATE_BAD);
	date_fmt(day_from_civil(2026, 1, 5), buf);
	CHECK_STR(buf, "2026-01-05");
	ts_fmt(T(1999, 12, 31, 23, 59, 58), buf);
	CHECK_STR(buf, "1999-12-31T23:59:58");
	ts_fmt(T(1960, 2, 29, 1, 2, 3), buf);
	CHECK_STR(buf, "1960-02-29T01:02:03");

	CHECK(loose("2026-11-21", 0, &ts) == 0 && ts == T(2026, 11, 21, 0, 0, 0));
	CHECK(loose("2026/11/21 14:32", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 0));
	CHECK(loose("2026/1/5 9:05:07", 0, &ts) == 0 &&
	    ts == T(2026, 1, 5, 9, 5, 7));
	CHECK(loose("2026.11.21", 0, &ts) == 0 && ts == T(2026, 11, 21, 0, 0, 0));
	/* A zone is passed over: the time stays as the till wrote it. */
	CHECK(loose("2026-11-20 10:14:00 +0800", 0, &ts) == 0 &&
	    ts == T(2026, 11, 20, 10, 14, 0));
	CHECK(loose("2026-11-20T10:14:00+08:00", 0, &ts) == 0 &&
	    ts == T(2026, 11, 20, 10, 14, 0));
	CHECK(loose("2026-11-20T02:14:00.250Z", 0, &ts) == 0 &&
	    ts == T(2026, 11, 20, 2, 14, 0));
	CHECK(loose("2026/11/20 2:14 PM -05:00", 0, &ts) == 0 &&
	    ts == T(2026, 11, 20, 14, 14, 0));
	CHECK(loose("2026-11-20 10:14:00 UTC", 0, &ts) == 0 &&
	    ts == T(2026, 11, 20, 10, 14, 0));
	CHECK(loose("2026-11-20 10:14:00 GMT+8", 0, &ts) == 0 &&
	    ts == T(2026, 11, 20, 10, 14, 0));
	CHECK(loose("2026-11-20 10:14:00 +08x", 0, &ts) == DATE_BAD);
	CHECK(loose("2026-11-20 10:14:00 +25", 0, &ts) == DATE_BAD);
	CHECK(loose("2026-11-20 10:14:00 X", 0, &ts) == DATE_BAD);
	CHECK(loose("2026-11-20 +0800", 0, &ts) == DATE_BAD);
	CHECK(loose("2026-11-20 10:00-11:00", 0, &ts) == DATE_BAD);
	CHECK(loose("2026-11-20 10:00 -05:00", 0, &ts) == 0 &&
	    ts == T(2026, 11, 20, 10, 0, 0));
	/* A time of day alone, the column beside a date column. */
	{
		int t;

		CHECK(time_parse("14:32:05", 8, &t) == 0 && t == 52325);
		CHECK(time_parse(" 9:05 ", 6, &t) == 0 && t == 32700);
		CHECK(time_parse("\xe4\xb8\x8b\xe5\x8d\x88 2:32", 11, &t) == 0 &&
		    t == 52320);
		CHECK(time_parse("2:32 PM", 7, &t) == 0 && t == 52320);
		CHECK(time_parse("12:32 下午", 12, &t) == 0 && t == 45120);
		CHECK(time_parse("2:32:05上午", 13, &t) == 0 && t == 9125);
		CHECK(time_parse("2026-11-20", 10, &t) == -1);
		CHECK(time_parse("20261120", 8, &t) == -1);
		CHECK(time_parse("", 0, &t) == -1);
		CHECK(time_parse("25:00", 5, &t) == -1);
		/* HHMMSS, six digits, as ERP exports keep a time */
		CHECK(time_parse("143205", 6, &t) == 0 && t == 52325);
		CHECK(time_parse(" 093205 ", 8, &t) == 0 && t == 34325);
		CHECK(time_parse("000000", 6, &t) == 0 && t == 0);
		CHECK(time_parse("235959", 6, &t) == 0 && t == 86399);
		CHECK(time_parse("240000", 6, &t) == -1);
		CHECK(time_parse("146005", 6, &t) == -1);
		CHECK(time_parse("143260", 6, &t) == -1);
		CHECK(time_parse("93205", 5, &t) == -1);
		CHECK(time_parse("1432", 4, &t) == -1);
		CHECK(time_parse("1432050", 7, &t) == -1);
		CHECK(time_parse("14 3205", 7, &t) == -1);
		CHECK(!time_like("143205", 6));
		CHECK(loose("143205", 0, &ts) == DATE_BAD);
		CHECK(loose("20261121 143205", 0, &ts) == DATE_BAD);
		CHECK(time_parse("\xef\xbc\x91\xef\xbc\x94\xef\xbc\x9a"
		    "\xef\xbc\x93\xef\xbc\x92", 15, &t) == 0 &&
		    t == 52320);				/* １４：３２ */
		CHECK(time_like("\xef\xbc\x92\xef\xbc\x94:00", 9));	/* ２４:00 */
		/* Written as a time, right or wrong; no date is. */
		CHECK(time_like("24:00", 5));
		CHECK(time_like(" 24:00:00.000", 13));
		CHECK(time_like("24\xe6\x97\xb6" "00\xe5\x88\x86", 10));
		CHECK(time_like("24\xef\xbc\x9a" "00", 7));
		CHECK(time_like("\xe4\xb8\x8b\xe5\x8d\x88 13:33", 12));
		CHECK(time_like("13:33 p.m.", 10));
		CHECK(!time_like("2026-11-20 14:32", 16));
		CHECK(!time_like("20/11/2026 14:32", 16));
		CHECK(!time_like("abc", 3));
		CHECK(!time_like("", 0));
		CHECK(!time_like("123:00", 6));
		/* A day/month date whose time is none: bad, not ambiguous. */
		CHECK(loose("05/11/2026 24:00", 0, &ts) == DATE_BAD);
		CHECK(loose("05/11/2026 14:33", 0, &ts) == DATE_AMBIG);
	}
	CHECK(loose("20261121", 0, &ts) == 0 && ts == T(2026, 11, 21, 0, 0, 0));
	CHECK(loose("20261121143205", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 5));
	CHECK(loose("2026年11月21日", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 0, 0, 0));
	CHECK(loose("2026年11月21日 14:32:05", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 5));
	CHECK(loose("2026-11-21T14:32:05.250", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 5));
	CHECK(loose(" 2026-11-21 ", 0, &ts) == 0);
	CHECK(loose("2026-11-21 2:05 PM", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 5, 0));
	CHECK(loose("2026-11-21 12:05 AM", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 0, 5, 0));
	CHECK(loose("2026/11/21 下午 2:05:00", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 5, 0));
	/* 上午/下午 after the time, as Excel in Chinese writes h:mm AM/PM. */
	CHECK(loose("2026-11-21 2:05 下午", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 5, 0));
	CHECK(loose("2026-11-21 12:05:00 下午", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 12, 5, 0));
	CHECK(loose("2026-11-21 12:05上午", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 0, 5, 0));
	CHECK(loose("2026-11-21下午2:05", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 5, 0));
	CHECK(loose("2026-11-21 下午 2:05 下午", 0, &ts) == DATE_BAD);
	CHECK(loose("2026-11-21 13:05 下午", 0, &ts) == DATE_BAD);
	/* A T, U+3000 or tab between the day and its time, in every form. */
	CHECK(loose("20261121T14:32:05", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 5));
	CHECK(loose("20261121\xe3\x80\x80" "14:32", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 0));
	CHECK(loose("2026/11/21\t14:32", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 0));
	CHECK(loose("21/11/2026T14:32", DATE_ORDER_DMY, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 0));
	CHECK(loose("21/11/2026\xe3\x80\x80" "14:32", DATE_ORDER_DMY,
	    &ts) == 0 && ts == T(2026, 11, 21, 14, 32, 0));
	CHECK(loose("11/21/2026 2:32 下午", DATE_ORDER_MDY, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 0));
	CHECK(loose("21/11/2026下午2:32", DATE_ORDER_DMY, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 0));
	CHECK(date_parse_loose("21/11/2026T14:32", 16, 0, &ts, &hint) ==
	    DATE_AMBIG && hint == DATE_ORDER_DMY);
	/* A comma and a blank before the time, as toLocaleString() writes. */
	CHECK(date_parse_loose("11/21/2026, 2:32:05 PM", 22, 0, &ts, &hint) ==
	    DATE_AMBIG && hint == DATE_ORDER_MDY);
	CHECK(loose("11/21/2026, 2:32:05 PM", DATE_ORDER_MDY, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 5));
	CHECK(loose("21/11/2026, 14:32:05", DATE_ORDER_DMY, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 5));
	CHECK(loose("2026/11/21, 14:32:05", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 5));
	CHECK(loose("2026-11-21,\xe3\x80\x80" "14:32", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 0));
	CHECK(loose("20261121, 14:32", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 0));
	CHECK(loose("2026/11/21, \xe4\xb8\x8b\xe5\x8d\x88 2:32", 0,
	    &ts) == 0 && ts == T(2026, 11, 21, 14, 32, 0));	/* , 下午 2:32 */
	CHECK(loose("2026/11/21,14:32:05", 0, &ts) == DATE_BAD);
	CHECK(loose("2026/11/21,", 0, &ts) == DATE_BAD);
	CHECK(loose("2026/11/21, ", 0, &ts) == DATE_BAD);
	CHECK(loose("2026/11/21 , 14:32", 0, &ts) == DATE_BAD);
	CHECK(loose("2026/11/21,, 14:32", 0, &ts) == DATE_BAD);
	CHECK(loose("2026/11/21, abc", 0, &ts) == DATE_BAD);
	CHECK(date_parse_loose("11/5/2026, 24:00", 16, 0, &ts, &hint) ==
	    DATE_BAD);
	/*
	 * Oracle's and DB2's timestamps: hh.mm.ss after a date, all three
	 * parts of two digits, and after a - in DB2's year-first form.
	 */
	CHECK(loose("21-NOV-26 02.32.05.000000 PM", DATE_YY, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 5));
	CHECK(loose("21-NOV-26 12.05.00.000000 AM", DATE_YY, &ts) == 0 &&
	    ts == T(2026, 11, 21, 0, 5, 0));
	CHECK(loose("21-NOV-26 02.32.05.000000 PM", 0, &ts) == DATE_YY2);
	CHECK(loose("21-NOV-2026 14.32.05", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 5));
	CHECK(loose("2026-11-21-14.32.05.000000", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 5));
	CHECK(loose("2026-11-21-14.32.05", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 5));
	CHECK(loose("2026-11-21 14.32.05", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 5));
	CHECK(loose("20261121 14.32.05", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 5));
	CHECK(date_parse_loose("21/11/2026 14.32.05", 19, 0, &ts, &hint) ==
	    DATE_AMBIG && hint == DATE_ORDER_DMY);
	CHECK(loose("21.11.2026 14.32.05", DATE_ORDER_DMY, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 5));
	CHECK(loose("2026-11-21 14.32", 0, &ts) == DATE_BAD);
	CHECK(loose("2026-11-21 2.32.05", 0, &ts) == DATE_BAD);
	CHECK(loose("2026-11-21 14.3.05", 0, &ts) == DATE_BAD);
	CHECK(loose("2026-11-21 14.32.5", 0, &ts) == DATE_BAD);
	CHECK(loose("2026-11-21 14.32.051", 0, &ts) == DATE_BAD);
	CHECK(loose("2026-11-21 14.32:05", 0, &ts) == DATE_BAD);
	CHECK(loose("2026-11-21 24.00.00", 0, &ts) == DATE_BAD);
	CHECK(loose("2026-11-21 13.32.05 PM", 0, &ts) == DATE_BAD);
	CHECK(loose("2026-11-21-14:32:05", 0, &ts) == DATE_BAD);
	CHECK(loose("2026-11-21-14.32", 0, &ts) == DATE_BAD);
	CHECK(loose("2026/11/21-14.32.05", 0, &ts) == DATE_BAD);
	CHECK(loose("21/11/2026-14.32.05", DATE_ORDER_DMY, &ts) == DATE_BAD);
	CHECK(loose("2026-11-21-", 0, &ts) == DATE_BAD);
	/* A time column alone is never read with dots (21.11.26 is a day). */
	{
		int t;

		CHECK(time_parse("14.32.05", 8, &t) == -1);
		CHECK(time_parse("21.11.26", 8, &t) == -1);
		CHECK(!time_like("14.32.05", 8));
	}
	/* A T with no time, or a time run into the day, is no date. */
	CHECK(loose("2026-11-21T", 0, &ts) == DATE_BAD);
	CHECK(loose("20261121T", 0, &ts) == DATE_BAD);
	CHECK(loose("21/11/2026T", DATE_ORDER_DMY, &ts) == DATE_BAD);
	CHECK(loose("2026-11-2114:32", 0, &ts) == DATE_BAD);
	CHECK(loose("21/11/2026x", DATE_ORDER_DMY, &ts) == DATE_BAD);
	CHECK(loose("21/11/26x", DATE_YYORDER(DATE_ORDER_DMY), &ts) ==
	    DATE_BAD);
	/*
	 * Digits and - . / : typed in full width are read as ASCII; a value
	 * that is longer than 64 bytes once folded is bad.
	 */
	/* ２０２６-１１-２１ １４:３２ */
	CHECK(loose("\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x96-"
	    "\xef\xbc\x91\xef\xbc\x91-\xef\xbc\x92\xef\xbc\x91 "
	    "\xef\xbc\x91\xef\xbc\x94:\xef\xbc\x93\xef\xbc\x92", 0,
	    &ts) == 0 && ts == T(2026, 11, 21, 14, 32, 0));
	CHECK(loose("2026\xef\xbc\x8d" "11\xef\xbc\x8d" "21 14:32", 0,
	    &ts) == 0 && ts == T(2026, 11, 21, 14, 32, 0));	/* 2026－11－21 */
	CHECK(loose("2026\xef\xbc\x8f" "11\xef\xbc\x8f" "21", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 0, 0, 0));			/* 2026／11／21 */
	/* Every full-width ASCII form, as its ASCII one: Ｔ, ， and ＰＭ. */
	CHECK(loose("2026-11-21\xef\xbc\xb4" "14:32", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 0));
	CHECK(loose("11/21/2026\xef\xbc\x8c 2:32 \xef\xbc\xb0\xef\xbc\xad",
	    DATE_ORDER_MDY, &ts) == 0 && ts == T(2026, 11, 21, 14, 32, 0));
	CHECK(loose("2026\xef\xbc\x8e" "11\xef\xbc\x8e" "21 14\xef\xbc\x9a"
	    "32\xef\xbc\x9a" "05\xef\xbc\x8e" "250", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 14, 32, 5));		/* 2026．11．21 14：32：05．250 */
	CHECK(loose("\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x96"
	    "\xe5\xb9\xb4\xef\xbc\x91\xef\xbc\x91\xe6\x9c\x88"
	    "\xef\xbc\x92\xef\xbc\x91\xe6\x97\xa5", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 0, 0, 0));		/* ２０２６年１１月２１日 */
	CHECK(date_parse_loose("\xef\xbc\x92\xef\xbc\x91/11/2026", 14, 0,
	    &ts, &hint) == DATE_AMBIG && hint == DATE_ORDER_DMY);
	CHECK(loose("2026\xef\xbc\x8d" "11\xef\xbc\x8d" "31", 0, &ts) ==
	    DATE_BAD);
	CHECK(loose("2026\xef\xbc\x8c" "11\xef\xbc\x8c" "21", 0, &ts) ==
	    DATE_BAD);					/* ，is no separator */
	{
		char w[128];
		int k;

		/* ２026-11-21 14:32:05 and 45 blanks: 64 bytes folded */
		strcpy(w, "\xef\xbc\x92" "026-11-21 14:32:05");
		for (k = 0; k < 45; k++)
			strcat(w, " ");
		CHECK(strlen(w) == 66 && loose(w, 0, &ts) == 0 &&
		    ts == T(2026, 11, 21, 14, 32, 5));
		strcat(w, " ");
		CHECK(loose(w, 0, &ts) == DATE_BAD);
		/* An ASCII value has no such bound. */
		w[0] = '2';
		memmove(w + 1, w + 3, strlen(w + 3) + 1);
		CHECK(strlen(w) == 65 && loose(w, 0, &ts) == 0 &&
		    ts == T(2026, 11, 21, 14, 32, 5));
	}
	CHECK(loose("2026-02-30", 0, &ts) == DATE_BAD);
	CHECK(loose("2026-11-21 25:00", 0, &ts) == DATE_BAD);
	CHECK(loose("21.11.26", 0, &ts) == DATE_YY2);
	CHECK(loose("yesterday", 0, &ts) == DATE_BAD);
	CHECK(loose("", 0, &ts) == DATE_BAD);
	CHECK(loose("2026-11", 0, &ts) == DATE_BAD);

	/* Day and month first: never a silent guess. */
	CHECK(date_parse_loose("11/5/2026", 9, 0, &ts, &hint) == DATE_AMBIG &&
	    hint == DATE_ORDER_NONE);
	CHECK(date_parse_loose("21/11/2026", 10, 0, &ts, &hint) == DATE_AMBIG &&
	    hint == DATE_ORDER_DMY);
	CHECK(date_parse_loose("11/21/2026 8:26", 15, 0, &ts, &hint) ==
	    DATE_AMBIG && hint == DATE_ORDER_MDY);
	/* No day in either order: bad, and it settles nothing. */
	CHECK(date_parse_loose("2/30/1990", 9, 0, &ts, &hint) == DATE_BAD);
	CHECK(date_parse_loose("31/4/1990", 9, 0, &ts, &hint) == DATE_BAD);
	CHECK(date_parse_loose("2/29/1990", 9, 0, &ts, &hint) == DATE_BAD);
	CHECK(date_parse_loose("2/29/1992", 9, 0, &ts, &hint) == DATE_AMBIG &&
	    hint == DATE_ORDER_MDY);
	CHECK(date_parse_loose("29/2/1992", 9, 0, &ts, &hint) == DATE_AMBIG &&
	    hint == DATE_ORDER_DMY);
	CHECK(loose("5/5/2026", 0, &ts) == 0 && ts == T(2026, 5, 5, 0, 0, 0));
	CHECK(loose("11/5/2026", DATE_ORDER_MDY, &ts) == 0 &&
	    ts == T(2026, 11, 5, 0, 0, 0));
	CHECK(loose("11/5/2026", DATE_ORDER_DMY, &ts) == 0 &&
	    ts == T(2026, 5, 11, 0, 0, 0));
	CHECK(loose("12/1/2010 8:26", DATE_ORDER_MDY, &ts) == 0 &&
	    ts == T(2010, 12, 1, 8, 26, 0));
	CHECK(loose("31/11/2026", DATE_ORDER_DMY, &ts) == DATE_BAD);

	/* An English month name needs no order. */
	CHECK(loose("Nov 21, 2026", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 0, 0, 0));
	CHECK(loose("Nov. 21, 2026, 7:15 PM", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 19, 15, 0));
	CHECK(loose("november 21 2026 10:20", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 10, 20, 0));
	CHECK(loose("Nov 21,2026", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 0, 0, 0));
	CHECK(loose("21 Nov 2026 10:20", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 10, 20, 0));
	CHECK(loose("21-NOV-2026", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 0, 0, 0));
	CHECK(loose("3 Sept 2026", 0, &ts) == 0 &&
	    ts == T(2026, 9, 3, 0, 0, 0));
	CHECK(loose("2026-Nov-21 10:20:00", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 10, 20, 0));
	CHECK(loose("Nov 21, 2026 10:20:00 AM PST", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 10, 20, 0));
	CHECK(loose("2026-11-21 10:20 CEST", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 10, 20, 0));
	CHECK(loose("2026-11-21 10:20 CESTXY", 0, &ts) == DATE_BAD);
	CHECK(loose("2026-11-21 14:32 VOID", 0, &ts) == DATE_BAD);
	CHECK(loose("2026-11-21 14:32 NULL", 0, &ts) == DATE_BAD);
	CHECK(loose("21\xc2\xa0Nov\xc2\xa0" "2026", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 0, 0, 0));
	CHECK(loose("2026-11-21 10:20 pst", 0, &ts) == DATE_BAD);
	CHECK(loose("Nov 31, 2026", 0, &ts) == DATE_BAD);
	CHECK(loose("Novem 21 2026", 0, &ts) == DATE_BAD);
	CHECK(loose("Nov 212026", 0, &ts) == DATE_BAD);
	CHECK(loose("21 Nov", 0, &ts) == DATE_BAD);
	CHECK(loose("21.Nov.2026", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 0, 0, 0));
	CHECK(loose("21.Nov 2026", 0, &ts) == DATE_BAD);
	CHECK(loose("Nov-21 2026", 0, &ts) == DATE_BAD);
	/* A weekday before the date must be that date's. */
	CHECK(loose("Sat, 21 Nov 2026 10:20:00 +0000", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 10, 20, 0));
	CHECK(loose("Saturday, November 21, 2026", 0, &ts) == 0 &&
	    ts == T(2026, 11, 21, 0, 0, 0));
	CHECK(loose("Thurs 2026-11-19", 0, &ts) == 0 &&
	    ts == T(2026, 11, 19, 0, 0, 0));
	CHECK(loose("Fri, 21 Nov 2026", 0, &ts) == DATE_WDAY);
	CHECK(loose("Fri, 31 Nov 2026", 0, &ts) == DATE_BAD);
	CHECK(loose("Satur 21 Nov 2026", 0, &ts) == DATE_BAD);
	CHECK(loose("Tuesd 17 Nov 2026", 0, &ts) == DATE_BAD);
	CHECK(loose("Tues 17 Nov 2026", 0, &ts) == 0);

	/*
	 * Two-digit years: read only when allowed (DATE_YY), by the POSIX
	 * rule, and numbers alone only in a given order.
	 */
	CHECK(loose("21-Nov-26", DATE_YY, &ts) == 0 &&
	    ts == T(2026, 11, 21, 0, 0, 0));
	CHECK(loose("Nov-21-26", DATE_YY, &ts) == 0 &&
	    ts == T(2026, 11, 21, 0, 0, 0));
	CHECK(loose("21-Nov-69", DATE_YY, &ts) == 0 &&
	    ts == T(1969, 11, 21, 0, 0, 0));
	CHECK(loose("21-Nov-68", DATE_YY, &ts) == 0 &&
	    ts == T(2068, 11, 21, 0, 0, 0));
	CHECK(loose("21-Nov-26", 0, &ts) == DATE_YY2);
	CHECK(loose("31-Nov-26", DATE_YY, &ts) == DATE_BAD);
	CHECK(date_parse_loose("11/21/26", 8, DATE_YY, &ts, &hint) ==
	    DATE_YY2 && hint == DATE_ORDER_NONE);
	CHECK(loose("11/21/26 7:15 PM", DATE_YYORDER(DATE_ORDER_MDY), &ts) ==
	    0 && ts == T(2026, 11, 21, 19, 15, 0));
	CHECK(loose("21.11.26", DATE_YYORDER(DATE_ORDER_DMY), &ts) == 0 &&
	    ts == T(2026, 11, 21, 0, 0, 0));
	CHECK(loose("26/11/21", DATE_YYORDER(DATE_ORDER_YMD), &ts) == 0 &&
	    ts == T(2026, 11, 21, 0, 0, 0));
	/* An order a file settled (the first argument) reads no two-digit year. */
	CHECK(loose("11/21/26", DATE_ORDER_MDY | DATE_YY, &ts) == DATE_YY2);
	CHECK(loose("26/11/21", DATE_ORDER_DMY | DATE_YY |
	    DATE_YYORDER(DATE_ORDER_YMD), &ts) == 0 &&
	    ts == T(2026, 11, 21, 0, 0, 0));
	CHECK(loose("11/21/26", DATE_YYORDER(DATE_ORDER_DMY), &ts) == DATE_BAD);
	CHECK(loose("40/40/40", DATE_YY, &ts) == DATE_BAD);
	CHECK(loose("11/21/262", DATE_YYORDER(DATE_ORDER_MDY), &ts) ==
	    DATE_BAD);
	/* Year first stays year first whatever the order. */
	CHECK(loose("2026/11/21", DATE_ORDER_YMD, &ts) == 0 &&
	    ts == T(2026, 11, 21, 0, 0, 0));
	CHECK(date_parse_loose("21/11/2026", 10, DATE_ORDER_YMD, &ts, &hint) ==
	    DATE_AMBIG && hint == DATE_ORDER_DMY);

	/* Dates written for none. */
	CHECK(date_zeros("0000-00-00", 10));
	CHECK(date_zeros("0000-00-00 00:00:00", 19));
	CHECK(date_zeros("00/00/0000", 10));
	CHECK(date_zeros("00000000", 8));
	CHECK(date_zeros(" 0/0/0000 00:00 ", 16));
	CHECK(date_zeros("0000.00.00 00:00:00.000", 23));
	CHECK(!date_zeros("0", 1));
	CHECK(!date_zeros("00:00", 5));
	CHECK(!date_zeros("00:00:00", 8));
	CHECK(!date_zeros("000000", 6));
	CHECK(!date_zeros("0 0 0 0 0 0", 11));
	CHECK(!date_zeros("/00/0000", 8));
	CHECK(!date_zeros("0000-00/00", 10));
	CHECK(!date_zeros("0000-00-00 00", 13));
	CHECK(!date_zeros("0000-00-00 01:00", 16));
	CHECK(!date_zeros("", 0));
	CHECK(!date_zeros("0000-00-01", 10));
	CHECK(ts_placeholder(T(1900, 1, 1, 0, 0, 0)));
	CHECK(ts_placeholder(T(1899, 12, 30, 0, 0, 0)));
	CHECK(ts_placeholder(T(1899, 12, 31, 0, 0, 0)));
	CHECK(!ts_placeholder(T(1900, 1, 1, 8, 0, 0)));
	CHECK(!ts_placeholder(T(1900, 1, 2, 0, 0, 0)));
	CHECK(!ts_placeholder(T(1899, 12, 29, 0, 0, 0)));
	CHECK(!ts_placeholder(T(1970, 1, 1, 0, 0, 0)));
	/*
	 * Excel's day zero as Excel writes it, day 0 of January 1900: its
	 * serial 0, 1899-12-31, in any order, needing none and settling none.
	 */
	CHECK(loose("1900/1/0 14:32", 0, &ts) == 0 &&
	    ts == T(1899, 12, 31, 14, 32, 0));
	CHECK(loose("1900-01-00", 0, &ts) == 0 &&
	    ts == T(1899, 12, 31, 0, 0, 0) && ts_placeholder(ts));
	CHECK(loose("1900-01-00 14:40:05", 0, &ts) == 0 &&
	    ts == T(1899, 12, 31, 14, 40, 5));
	CHECK(loose("1900\xe5\xb9\xb4" "1\xe6\x9c\x88" "0\xe6\x97\xa5", 0,
	    &ts) == 0 && ts == T(1899, 12, 31, 0, 0, 0));	/* 1900年1月0日 */
	CHECK(loose("19000100", 0, &ts) == 0 && ts == T(1899, 12, 31, 0, 0, 0));
	CHECK(loose("Jan 0, 1900", 0, &ts) == 0 &&
	    ts == T(1899, 12, 31, 0, 0, 0));
	CHECK(loose("0-Jan-1900", 0, &ts) == 0 &&
	    ts == T(1899, 12, 31, 0, 0, 0));
	for (i = 0; i < 4; i++) {
		static const int orders[] = { DATE_ORDER_NONE, DATE_ORDER_MDY,
		    DATE_ORDER_DMY, DATE_ORDER_YMD };

		CHECK(date_parse_loose("1/0/1900 2:32 PM", 16, orders[i], &ts,
		    &hint) == 0 && ts == T(1899, 12, 31, 14, 32, 0) &&
		    hint == DATE_ORDER_NONE);
		CHECK(date_parse_loose("00/01/1900 14:32", 16, orders[i], &ts,
		    &hint) == 0 && ts == T(1899, 12, 31, 14, 32, 0) &&
		    hint == DATE_ORDER_NONE);
		CHECK(date_parse_loose("0/1/1900", 8, orders[i], &ts,
		    &hint) == 0 && ts == T(1899, 12, 31, 0, 0, 0) &&
		    hint == DATE_ORDER_NONE);
	}
	/* Day 0 of any other month or year is no day. */
	CHECK(loose("1900-02-00", 0, &ts) == DATE_BAD);
	CHECK(loose("2026-01-00", 0, &ts) == DATE_BAD);
	CHECK(loose("1901/1/0", 0, &ts) == DATE_BAD);
	CHECK(loose("1/0/2026", DATE_ORDER_MDY, &ts) == DATE_BAD);
	CHECK(loose("0/0/1900", 0, &ts) == DATE_BAD);
	CHECK(loose("2/0/1900", DATE_ORDER_MDY, &ts) == DATE_BAD);
	CHECK(loose("1/0/00", DATE_YYORDER(DATE_ORDER_MDY), &ts) == DATE_BAD);
	CHECK(loose("1/0/1900 24:00", 0, &ts) == DATE_BAD);

	/* Excel's day numbers: not dates, but the day they are is told. */
	CHECK(loose("46347", 0, &ts) == DATE_BAD);
	CHECK(loose("46347.6055", 0, &ts) == DATE_BAD);
	CHECK(date_excel_serial("46347", 5, &day) == 0 &&
	    day == day_from_civil(2026, 11, 21));
	CHECK(date_excel_serial(" 46347.6055 ", 12, &day) == 0 &&
	    day == day_from_civil(2026, 11, 21));
	CHECK(date_excel_serial("46347,5", 7, &day) == 0 &&
	    day == day_from_civil(2026, 11, 21));
	CHECK(date_excel_serial("32874", 5, &day) == 0 &&
	    day == day_from_civil(1990, 1, 1));
	CHECK(date_excel_serial("10000", 5, &day) == 0 &&
	    day == day_from_civil(1927, 5, 18));
	CHECK(date_excel_serial("99999", 5, &day) == 0 &&
	    day == day_from_civil(2173, 10, 13));
	CHECK(date_excel_serial("4634", 4, &day) == -1);
	CHECK(date_excel_serial("463470", 6, &day) == -1);
	CHECK(date_excel_serial("06347", 5, &day) == -1);
	CHECK(date_excel_serial("46347.", 6, &day) == -1);
	CHECK(date_excel_serial("46347.5x", 8, &day) == -1);
	CHECK(date_excel_serial("46347.5.5", 9, &day) == -1);
	CHECK(date_excel_serial("-46347", 6, &day) == -1);
	CHECK(date_excel_serial("", 0, &day) == -1);

	/* Birthdays: a named month without a year. */
	CHECK(date_parse_monthday("Nov 21", 6, &m, &d) == 0 &&
	    m == 11 && d == 21);
	CHECK(date_parse_monthday(" 3 September ", 13, &m, &d) == 0 &&
	    m == 9 && d == 3);
	CHECK(date_parse_monthday("21-Nov", 6, &m, &d) == 0 &&
	    m == 11 && d == 21);
	CHECK(date_parse_monthday("Feb 29", 6, &m, &d) == 0);
	CHECK(date_parse_monthday("Feb 30", 6, &m, &d) == -1);
	CHECK(date_parse_monthday("Nov 21 2026", 11, &m, &d) == -1);
	CHECK(date_parse_monthday("11-21", 5, &m, &d) == -1);
	CHECK(date_parse_monthday("", 0, &m, &d) == -1);
	/* cv's own yearless birthday, and MySQL's year 0000. */
	CHECK(date_parse_yearless("--11-21", 7, &m, &d) == 0 &&
	    m == 11 && d == 21);
	CHECK(date_parse_yearless(" --0314 ", 8, &m, &d) == 0 &&
	    m == 3 && d == 14);
	CHECK(date_parse_yearless("--02-29", 7, &m, &d) == 0);
	CHECK(date_parse_yearless("0000-03-14", 10, &m, &d) == 0 &&
	    m == 3 && d == 14);
	CHECK(date_parse_yearless("0000/3/4", 8, &m, &d) == 0 &&
	    m == 3 && d == 4);
	CHECK(date_parse_yearless("0000.12.31", 10, &m, &d) == 0);
	CHECK(date_parse_yearless("--02-30", 7, &m, &d) == -1);
	CHECK(date_parse_yearless("--3-14", 6, &m, &d) == -1);
	CHECK(date_parse_yearless("--03-14-", 8, &m, &d) == -1);
	CHECK(date_parse_yearless("0000-03/14", 10, &m, &d) == -1);
	CHECK(date_parse_yearless("0000-00-00", 10, &m, &d) == -1);
	CHECK(date_parse_yearless("000-03-14", 9, &m, &d) == -1);
	CHECK(date_parse_yearless("1988-03-14", 10, &m, &d) == -1);
	CHECK(date_parse_yearless("03-14", 5, &m, &d) == -1);
	CHECK(date_parse_yearless("", 0, &m, &d) == -1);
	return test_summary();
}
