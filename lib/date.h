/*
 * date: calendar dates and shop-local timestamps as plain integers.
 *
 * A day is the number of days since 1970-01-01 in the proleptic Gregorian
 * calendar (negative before it); a timestamp is seconds since
 * 1970-01-01T00:00:00 in shop-local time, with no zone and no leap seconds,
 * so day arithmetic is integer arithmetic and never depends on TZ.
 *
 * The strict parsers read the cv stream forms (YYYY-MM-DD and
 * YYYY-MM-DDTHH:MM:SS) and reject anything else; the loose parser reads
 * what POS exports write.  All return 0 on success and a negative value on
 * failure, and never read past s[n-1].
 */
#ifndef CV_DATE_H
#define CV_DATE_H

#include <stddef.h>
#include <stdint.h>

#define DAY_NONE	INT32_MIN
/* The last day a sale in a cv stream may have (2149-06-05; from day 0,
 * 1970-01-01, the days fit in 16 bits with one value to spare). */
#define CV_DAY_MAX	0xfffe
#define SECS_PER_DAY	86400

int32_t	day_from_civil(int y, int m, int d);
void	civil_from_day(int32_t day, int *y, int *m, int *d);
int	date_valid(int y, int m, int d);
int	days_in_month(int y, int m);
/* 0 = Monday ... 6 = Sunday */
int	day_weekday(int32_t day);

/* Strict YYYY-MM-DD. */
int	date_parse(const char *s, size_t n, int32_t *day);
/* Strict YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS. */
int	ts_parse(const char *s, size_t n, int64_t *ts);
/* Write YYYY-MM-DD and a NUL into out[11]; returns 10. */
size_t	date_fmt(int32_t day, char *out);
/* Write YYYY-MM-DDTHH:MM:SS and a NUL into out[20]; returns 19. */
size_t	ts_fmt(int64_t ts, char *out);

static inline int32_t
ts_day(int64_t ts)
{
	int64_t d = ts / SECS_PER_DAY;

	if (ts % SECS_PER_DAY < 0)
		d--;
	return (int32_t)d;
}

/* Today's date on this machine's local clock. */
int32_t	date_today(void);

/*
 * Loose parsing of the dates POS exports write: 2026-11-21, 2026/11/21,
 * 2026.11.21, 20261121, 2026年11月21日, with an English month name (Nov 21,
 * 2026; 21 Nov 2026; 21-Nov-2026; 2026-Nov-21), each after an optional
 * weekday (Sat, 21 Nov 2026: it must be that day's, else DATE_WDAY) and
 * with an optional time (14:32, 14:32:05, 14:32:05.123, 2:32 PM, 下午
 * 2:32, 2:32 下午) after a blank, a T, 上午/下午 or a comma and a
 * blank (11/21/2026, 2:32:05 PM), and zone (Z, +08:00, +0800, PST:
 * passed over, the time is kept as written), or as Oracle and DB2 write
 * it after a date, hh.mm.ss all of two digits (21-NOV-26 02.32.05.000000
 * PM, and 2026-11-21-14.32.05.000000 with a -); and M/D/YYYY or
 * D/M/YYYY, which need an order.  Full-width digits and － ． ／ ： are
 * read as ASCII (a value longer than 64 bytes once they are folded is
 * DATE_BAD), in time_parse() and time_like() too.  Day 0 of January 1900
 * (1900/1/0, 1/0/1900, 00/01/1900), as Excel writes its serial 0, is
 * 1899-12-31 in any order, and settles none.
 *
 * order is DATE_ORDER_NONE, _MDY, _DMY or _YMD, with DATE_YY added when a
 * two-digit year may be read beside a month's name (21-Nov-26), and
 * DATE_YYORDER(o) when it may be read in numbers alone in order o (11/21/26
 * with _MDY, 26/11/21 with _YMD); 69..99 are 1969..1999, 00..68
 * 2000..2068.  On success *ts is set and the return value is DATE_OK.
 * DATE_AMBIG means the value is a day/month/year form whose order was not
 * given and cannot be told from the value itself; *hint is then set to
 * DATE_ORDER_MDY or _DMY when the value settles the order for its file (it
 * is a calendar day in that order only: 13/2/2026), else DATE_ORDER_NONE.
 * A value that is a day in neither order (2/30/1990) is DATE_BAD and
 * settles nothing; one whose time of day is none (05/11/2026 24:00) is
 * DATE_BAD too, with *hint set as above when its day settles the order
 * (13/11/2026 24:00).  DATE_YY2 means a value with a two-digit year that may
 * be a real day but is not read: DATE_YY was not given, or it is numbers
 * alone (11/21/26 may be month, day or year first) and no DATE_YYORDER;
 * such a value settles nothing either.
 */
enum {
	DATE_ORDER_NONE = 0,
	DATE_ORDER_MDY = 1,
	DATE_ORDER_DMY = 2,
	DATE_ORDER_YMD = 3,	/* as NONE, but 26/11/21 is year first */
	DATE_ORDER_MASK = 0x0f,
	DATE_YY = 0x10
};
#define DATE_YYORDER(o)	((o) << 8)
enum {
	DATE_OK = 0,
	DATE_BAD = -1,		/* not a date, or not a real calendar day */
	DATE_AMBIG = -2,	/* M/D or D/M not settled */
	DATE_YY2 = -3,		/* a two-digit year not to be read here */
	DATE_WDAY = -4		/* a day, but not the weekday before it */
};
int	date_parse_loose(const char *s, size_t n, int order, int64_t *ts,
	    int *hint);

/*
 * The dates systems write for "none": date_zeros() is true of all zeros
 * (0000-00-00, 00/00/0000, with or without 00:00:00), ts_placeholder() of
 * the day zero of SQL Server and of Excel (1900-01-01, 1899-12-30,
 * 1899-12-31, which date_parse_loose() also gives for Excel's 1900/1/0)
 * at midnight.  1970-01-01 is not one: a member may be born
 * that day.
 */
int	date_zeros(const char *s, size_t n);
int	ts_placeholder(int64_t ts);

/*
 * A number of five digits, with or without a fraction (46347,
 * 46347.6055), as Excel writes a date in a column that lost its date
 * format: 0 with *day set to the day it is in Excel's 1900 date system
 * (46347 is 2026-11-21), or -1.  date_parse_loose() reads no such number
 * as a date: in Excel's 1904 date system it is another day.
 */
int	date_excel_serial(const char *s, size_t n, int32_t *day);

/*
 * A day of a year with the month named and no year (Nov 21, 21 Nov,
 * 21-Nov), as birthdays are written: 0 with *m and *d set, or -1.
 */
int	date_parse_monthday(const char *s, size_t n, int *m, int *d);

/*
 * A birthday written without its year as cv-tsv(5) writes one (--11-21,
 * and --1121) or as MySQL does (0000-11-21, 0000/11/21, 0000.11.21, the
 * month and day of one or two digits): 0 with *m and *d set, or -1.
 * February 29 is a day.
 */
int	date_parse_yearless(const char *s, size_t n, int *m, int *d);

/*
 * A time of day alone, as a column of its own beside a date column holds
 * it (14:32, 14:32:05, 2:32 PM, 下午 2:32, 2:32 下午, and six digits
 * HHMMSS, 143205, as ERP exports keep a time): 0 with *secs set, or -1.
 */
int	time_parse(const char *s, size_t n, int *secs);
/*
 * Whether s[0..n) is written as a time of day is, right or wrong: after
 * blanks and an optional 上午 or 下午, one or two digits and a colon (or
 * ：, 时, 点), as 14:32, 24:00, 24:00:00.000 and 24时00分 are, and no date
 * is (2026-11-20 14:32 and 20/11/2026 start otherwise).
 */
int	time_like(const char *s, size_t n);

#endif
