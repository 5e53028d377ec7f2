/*
 * date: day numbers, timestamps and their text forms (see date.h).
 * The civil-calendar conversions use the era-based method: 400-year eras
 * of 146097 days, with March as the first month so that the leap day falls
 * at the end of the year.
 */
#include <string.h>
#include <time.h>

#include "date.h"
#include "utf8.h"

int32_t
day_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

void
civil_from_day(int32_t day, int *y, int *m, int *d)
{
	int64_t z = (int64_t)day + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int
days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return 29;
	return dm[m - 1];
}

int
date_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= days_in_month(y, m);
}

int
day_weekday(int32_t day)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	int w = (int)(((int64_t)day + 3) % 7);

	return w < 0 ? w + 7 : w;
}

static int
digits(const char *s, size_t n, int *v)
{
	size_t i;
	int x = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return 0;
}

int
date_parse(const char *s, size_t n, int32_t *day)
{
	int y, m, d;

	if (n != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) ||
	    digits(s + 5, 2, &m) || digits(s + 8, 2, &d) || !date_valid(y, m, d))
		return -1;
	*day = day_from_civil(y, m, d);
	return 0;
}

int
ts_parse(const char *s, size_t n, int64_t *ts)
{
	int32_t day;
	int hh, mm, ss;

	if (n == 10) {
		if (date_parse(s, n, &day))
			return -1;
		*ts = (int64_t)day * SECS_PER_DAY;
		return 0;
	}
	if (n != 19 || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
	    date_parse(s, 10, &day) || digits(s + 11, 2, &hh) ||
	    digits(s + 14, 2, &mm) || digits(s + 17, 2, &ss) || hh > 23 ||
	    mm > 59 || ss > 59)
		return -1;
	*ts = (int64_t)day * SECS_PER_DAY + hh * 3600 + mm * 60 + ss;
	return 0;
}

static void
put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

size_t
date_fmt(int32_t day, char *out)
{
	int y, m, d;

	civil_from_day(day, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = 0;
	put2(out, y / 100);
	put2(out + 2, y % 100);
	out[4] = '-';
	put2(out + 5, m);
	out[7] = '-';
	put2(out + 8, d);
	out[10] = '\0';
	return 10;
}

size_t
ts_fmt(int64_t ts, char *out)
{
	int32_t day = ts_day(ts);
	int64_t s = ts - (int64_t)day * SECS_PER_DAY;

	date_fmt(day, out);
	out[10] = 'T';
	put2(out + 11, (int)(s / 3600));
	out[13] = ':';
	put2(out + 14, (int)(s / 60 % 60));
	out[16] = ':';
	put2(out + 17, (int)(s % 60));
	out[19] = '\0';
	return 19;
}

int32_t
date_today(void)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	return day_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* A small cursor over the value being parsed. */
struct cur {
	const char *p;
	const char *e;
};

/* Inlined, so that strlen() of the literal is a constant. */
static inline __attribute__((always_inline)) int
eat(struct cur *c, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(c->e - c->p) >= n && memcmp(c->p, lit, n) == 0) {
		c->p += n;
		return 1;
	}
	return 0;
}

static void
skipsp(struct cur *c)
{
	for (;;) {
		if (c->p < c->e && (*c->p == ' ' || *c->p == '\t'))
			c->p++;
		else if (!eat(c, "\xe3\x80\x80") &&	/* U+3000 ideographic space */
		    !eat(c, "\xc2\xa0"))		/* U+00A0 no-break space */
			return;
	}
}

/* Read 1..max digits; returns how many were read. */
static int
num(struct cur *c, int max, int *v)
{
	int k = 0, x = 0;

	while (k < max && c->p < c->e && *c->p >= '0' && *c->p <= '9') {
		x = x * 10 + (*c->p - '0');
		c->p++;
		k++;
	}
	*v = x;
	return k;
}

/* The longest value, its full-width characters folded, unwide() reads. */
#define WIDE_MAX	64
/* Its buffer: such a value may take three bytes a character unfolded. */
#define WIDE_BUF	(3 * WIDE_MAX)

/*
 * Digits and － ． ／ ： typed in full width (as a Chinese IME in
 * full-width mode writes them; all of U+FF01..U+FF5E are folded, by
 * utf8_halfwidth()) in s[0..n), folded to ASCII into buf[WIDE_BUF]: 1
 * with *s and *n moved to buf; 0, s left alone, when there are none; -1
 * when the value folded is longer than WIDE_MAX.
 */
static int
unwide(const char **s, size_t *n, char *buf)
{
	const unsigned char *p = (const unsigned char *)*s, *e = p + *n, *q;

	for (q = p; (q = memchr(q, 0xef, (size_t)(e - q))) != NULL; q++)
		if (e - q >= 3 && (q[1] == 0xbc || q[1] == 0xbd))
			break;
	if (q == NULL)
		return 0;
	if (*n > WIDE_BUF || (*n = utf8_halfwidth(buf, *s, *n)) > WIDE_MAX)
		return -1;
	*s = buf;
	return 1;
}

/*
 * A zone after a time: Z, UTC or GMT, an offset +08:00, +0800 or -05.  It
 * is passed over: the time stays as the till wrote it.  Returns 0, or -1
 * (with c where it was) if what follows is not a zone.
 */
static int
zone(struct cur *c, int offset_ok)
{
	const char *p0 = c->p;
	int hh, mm;

	if (eat(c, "Z"))
		return 0;
	/* PST, CEST, HKT after a blank: a zone by its name */
	if (c->p[-1] == ' ' && c->e - c->p >= 3 && c->e - c->p <= 4) {
		static const char names[] =
		    " PST PDT MST MDT CST CDT EST EDT AKST AKDT HST AST ADT NST"
		    " NDT BST IST CET CEST EET EEST WET WEST MSK JST KST HKT SGT"
		    " PHT ICT WIB AEST AEDT ACST ACDT AWST NZST NZDT SAST CAT EAT"
		    " WAT ";
		char w[6];
		size_t n = (size_t)(c->e - c->p);

		w[0] = ' ';
		memcpy(w + 1, c->p, n);
		w[n + 1] = ' ';
		if (memmem(names, sizeof(names) - 1, w, n + 2) != NULL) {
			c->p = c->e;
			return 0;
		}
	}
	if (eat(c, "UTC") || eat(c, "GMT")) {
		if (c->p == c->e)
			return 0;
		offset_ok = 1;
	}
	if (offset_ok && c->p < c->e && (*c->p == '+' || *c->p == '-')) {
		c->p++;
		if (num(c, 2, &hh) > 0 && hh <= 14) {
			if (c->p == c->e)
				return 0;
			eat(c, ":");
			if (num(c, 2, &mm) == 2 && mm <= 59)
				return 0;
		}
	}
	c->p = p0;
	return -1;
}

/*
 * The hour of a time of day and the separator after it, past an optional
 * 上午 or 下午 (*pm 0 or 1, else -1): the hour, or -1 with c moved.
 */
static int
hour(struct cur *c, int *pm)
{
	int hh;

	*pm = -1;
	if (eat(c, "\xe4\xb8\x8a\xe5\x8d\x88"))		/* 上午 */
		*pm = 0;
	else if (eat(c, "\xe4\xb8\x8b\xe5\x8d\x88"))	/* 下午 */
		*pm = 1;
	skipsp(c);
	if (num(c, 2, &hh) == 0 || !(eat(c, ":") || eat(c, "\xef\xbc\x9a") ||
	    eat(c, "\xe6\x97\xb6") || eat(c, "\xe7\x82\xb9")))	/* ： 时 点 */
		return -1;
	return hh;
}

/*
 * Whether c is at a time written with dots, as Oracle and DB2 write one
 * after a date: hh.mm.ss, all three parts of two digits each (14.32.05,
 * 02.32.05.000000 PM).
 */
static int
dotted(const struct cur *c)
{
	const char *p = c->p;
	int i;

	if (c->e - p < 8)
		return 0;
	for (i = 0; i < 8; i++)
		if (i == 2 || i == 5 ? p[i] != '.' : p[i] < '0' || p[i] > '9')
			return 0;
	return c->e - p == 8 || p[8] < '0' || p[8] > '9';
}

/*
 * Parse an optional time of day at c, with optional AM/PM (English, or
 * 上午/下午 before or after the time) and zone; after a date (dots 1) it
 * may be written hh.mm.ss.  Returns seconds or -1.
 */
static int
timeofday(struct cur *c, int dots)
{
	int hh, mm, ss = 0, k, pm = -1, hadsec = 0;

	skipsp(c);
	if (c->p == c->e)
		return 0;
	if (dots && dotted(c)) {
		num(c, 2, &hh);
		c->p++;
		num(c, 2, &mm);
		c->p++;
		num(c, 2, &ss);
		hadsec = 1;
	} else {
		if ((hh = hour(c, &pm)) < 0 || num(c, 2, &mm) != 2)
			return -1;
		eat(c, "\xe5\x88\x86");			/* 分 */
		if (eat(c, ":") || eat(c, "\xef\xbc\x9a")) {
			if (num(c, 2, &ss) != 2)
				return -1;
			hadsec = 1;
		} else if (c->p < c->e && *c->p >= '0' && *c->p <= '9') {
			if (num(c, 2, &ss) != 2)
				return -1;
		}
		eat(c, "\xe7\xa7\x92");			/* 秒 */
	}
	if (eat(c, ".") || eat(c, ",")) {
		/* Fractions of a second are dropped, not rounded. */
		if (num(c, 9, &k) == 0)
			return -1;
	}
	skipsp(c);
	if (pm < 0) {
		/* 2:32 PM, or 2:32 下午 as Excel in Chinese writes h:mm AM/PM */
		if (eat(c, "AM") || eat(c, "am") || eat(c, "a.m.") ||
		    eat(c, "\xe4\xb8\x8a\xe5\x8d\x88"))		/* 上午 */
			pm = 0;
		else if (eat(c, "PM") || eat(c, "pm") || eat(c, "p.m.") ||
		    eat(c, "\xe4\xb8\x8b\xe5\x8d\x88"))	/* 下午 */
			pm = 1;
		skipsp(c);
	}
	/*
	 * An offset right after a time without seconds (10:00-11:00) is
	 * a range, not a zone: only 10:00 +08:00 or 10:00:00-05:00 are.
	 */
	if (c->p != c->e && zone(c, hadsec || c->p[-1] == ' ') < 0)
		return -1;
	skipsp(c);
	if (c->p != c->e)
		return -1;
	if (pm >= 0) {
		if (hh < 1 || hh > 12)
			return -1;
		hh = hh % 12 + (pm ? 12 : 0);
	}
	if (hh > 23 || mm > 59 || ss > 59)
		return -1;
	return hh * 3600 + mm * 60 + ss;
}

#define WORD_MAX	10

static int
isletter(char ch)
{
	return (ch | 0x20) >= 'a' && (ch | 0x20) <= 'z';
}

/*
 * The ASCII word at c, in lower case, into w[WORD_MAX]: its length, or 0
 * when it is shorter than 3 letters or longer than w.  c does not move.
 */
static size_t
word(const struct cur *c, char *w)
{
	size_t n = 0;

	while (c->p + n < c->e && n < WORD_MAX && isletter(c->p[n])) {
		w[n] = (char)(c->p[n] | 0x20);
		n++;
	}
	if (n < 3 || (c->p + n < c->e && isletter(c->p[n])))
		return 0;
	return n;
}

/*
 * An English month name at c, abbreviated (Nov, Sept) or in full,
 * in any case: 1..12, with c past it; or 0 with c where it was.
 */
static int
monthname(struct cur *c)
{
	static const char *const full[12] = {
		"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december"
	};
	char w[WORD_MAX];
	size_t n = word(c, w), k;
	int i;

	if (n == 0)
		return 0;
	for (i = 0; i < 12; i++) {
		k = strlen(full[i]);
		if ((n == 3 || n == k || (i == 8 && n == 4)) && n <= k &&
		    memcmp(w, full[i], n) == 0) {
			c->p += n;
			return i + 1;
		}
	}
	return 0;
}

/*
 * An English weekday name and what ends it (Sat, Sat. Saturday,): 0 for
 * Monday .. 6, with c past it and the blanks after it; or -1 with c where
 * it was.
 */
static int
weekdayname(struct cur *c)
{
	static const char *const full[7] = {
		"monday", "tuesday", "wednesday", "thursday", "friday",
		"saturday", "sunday"
	};
	char w[WORD_MAX];
	size_t n = word(c, w), k;
	int i;

	if (n == 0)
		return -1;
	for (i = 0; i < 7; i++) {
		k = strlen(full[i]);
		/* Tue, Tues, Thu, Thur, Thurs as well as the full names */
		if (n <= k && memcmp(w, full[i], n) == 0 && (n == 3 ||
		    n == k || ((i == 1 || i == 3) && n == 4) ||
		    (i == 3 && n == 5))) {
			c->p += n;
			if (!eat(c, ","))
				eat(c, ".");
			skipsp(c);
			return i;
		}
	}
	return -1;
}

/*
 * Whether what follows a date in numbers may be its time:
 * nothing, a blank (space, tab, U+3000, U+00A0), 上午 or 下午, a T
 * before a digit (21/11/2026T14:32), which is passed over, or a comma, a
 * blank and more (11/21/2026, 2:32:05 PM, as JavaScript's
 * toLocaleString() writes it), the comma passed over.
 */
static int
time_follows(struct cur *c)
{
	struct cur t = *c;

	if (c->p == c->e)
		return 1;
	if (*c->p == 'T') {
		/* 2026-11-21T14:32, or T 14:32, T下午 2:32; not T alone */
		t.p++;
		skipsp(&t);
		if (t.p < t.e && ((*t.p >= '0' && *t.p <= '9') ||
		    eat(&t, "\xe4\xb8\x8a\xe5\x8d\x88") ||	/* 上午 */
		    eat(&t, "\xe4\xb8\x8b\xe5\x8d\x88"))) {	/* 下午 */
			c->p++;
			return 1;
		}
		return 0;
	}
	if (*c->p == ',') {
		t.p++;
		skipsp(&t);
		if (t.p == c->p + 1 || t.p == t.e)
			return 0;
		c->p++;
		return 1;
	}
	skipsp(&t);
	if (t.p != c->p)
		return 1;
	return eat(&t, "\xe4\xb8\x8a\xe5\x8d\x88") ||	/* 上午 */
	    eat(&t, "\xe4\xb8\x8b\xe5\x8d\x88");		/* 下午 */
}

/* A two-digit year: 69..99 are 1969..1999, 00..68 are 2000..2068. */
static int
century(int yy)
{
	return yy + (yy < 69 ? 2000 : 1900);
}

static inline int
finish(int y, int m, int d, struct cur *c, int64_t *ts)
{
	int t;

	/*
	 * Excel (1900 date system) writes its serial 0 as day 0 of January
	 * 1900 (1900/1/0, 1/0/1900, 00/01/1900, Jan 0, 1900): the day
	 * before 1900-01-01, its day zero.
	 */
	if (y == 1900 && m == 1 && d == 0) {
		y = 1899;
		m = 12;
		d = 31;
	}
	if (!date_valid(y, m, d))
		return DATE_BAD;
	if ((t = timeofday(c, 1)) < 0)
		return DATE_BAD;
	*ts = (int64_t)day_from_civil(y, m, d) * SECS_PER_DAY + t;
	return DATE_OK;
}

/*
 * The forms most exports use, 2026-11-21 14:32:05 (or with a T) and
 * 2026/11/21 14:32:05, with or without the seconds, read without the
 * general machinery.  Returns DATE_OK, or 1 to say "not this
 * form, use the general parser".
 */
static int
fast_iso(const char *s, size_t n, int64_t *ts)
{
	/* Lines of one file mostly share their day: remember the last. */
	static _Thread_local char lastd[10];
	static _Thread_local int32_t lastday = DAY_NONE;
	int32_t day;
	int y, m, d, hh, mm, ss = 0;
	char sep;

	if (n != 19 && n != 16)
		return 1;
	sep = s[4];
	if ((sep != '-' && sep != '/') || s[7] != sep || (s[10] != ' ' &&
	    (s[10] != 'T' || sep != '-' || n != 19)) || s[13] != ':' ||
	    digits(s + 11, 2, &hh) || digits(s + 14, 2, &mm) || (n == 19 &&
	    (s[16] != ':' || digits(s + 17, 2, &ss))) || hh > 23 || mm > 59 ||
	    ss > 59)
		return 1;
	if (lastday != DAY_NONE && memcmp(s, lastd, 10) == 0)
		day = lastday;
	else if (digits(s, 4, &y) == 0 && digits(s + 5, 2, &m) == 0 &&
	    digits(s + 8, 2, &d) == 0 && date_valid(y, m, d)) {
		day = day_from_civil(y, m, d);
		memcpy(lastd, s, 10);
		lastday = day;
	} else
		return 1;
	*ts = (int64_t)day * SECS_PER_DAY + hh * 3600 + mm * 60 + ss;
	return DATE_OK;
}

int
time_parse(const char *s, size_t n, int *secs)
{
	char wide[WIDE_BUF];
	struct cur c;
	int t;

	if (unwide(&s, &n, wide) < 0)
		return -1;
	c.p = s;
	c.e = s + n;
	skipsp(&c);
	while (c.e > c.p && (c.e[-1] == ' ' || c.e[-1] == '\t'))
		c.e--;
	/* HHMMSS, as ERP and SAP exports keep a time (CHAR(6)): 143205 */
	if (c.e - c.p == 6 && digits(c.p, 6, &t) == 0) {
		if (t / 10000 > 23 || t / 100 % 100 > 59 || t % 100 > 59)
			return -1;
		*secs = t / 10000 * 3600 + t / 100 % 100 * 60 + t % 100;
		return 0;
	}
	if (c.p == c.e || (t = timeofday(&c, 0)) < 0)
		return -1;
	*secs = t;
	return 0;
}

int
time_like(const char *s, size_t n)
{
	char wide[WIDE_BUF];
	struct cur c;
	int pm;

	if (unwide(&s, &n, wide) < 0)
		return 0;
	c.p = s;
	c.e = s + n;
	skipsp(&c);
	return hour(&c, &pm) >= 0;
}

/*
 * The year after a date's month and day when the month is a name (Nov 21,
 * 2026; 21-Nov-26), then the time.
 */
static int
named_year(struct cur *c, int m, int d, int flags, int64_t *ts)
{
	int y, k, rc;

	k = num(c, 4, &y);
	if (k != 2 && k != 4)
		return DATE_BAD;
	if (c->p < c->e && *c->p != ' ' && *c->p != '\t' && *c->p != ',' &&
	    (unsigned char)*c->p < 0x80)
		return DATE_BAD;
	eat(c, ",");
	rc = finish(k == 2 ? century(y) : y, m, d, c, ts);
	return rc == DATE_OK && k == 2 && !(flags & DATE_YY) ? DATE_YY2 : rc;
}

/* What separates the parts of a date around a month name: - / . or blanks. */
static int
named_sep(struct cur *c)
{
	const char *p0 = c->p;

	if (c->p < c->e && (*c->p == '-' || *c->p == '/'))
		return *c->p++;
	/* Nov.21.2026, 21.Nov.2026 */
	if (c->e - c->p >= 2 && c->p[0] == '.' && ((c->p[1] >= '0' &&
	    c->p[1] <= '9') || isletter(c->p[1])))
		return *c->p++;
	/* Nov. 21, 21 Nov., 21 November, 2026; Nov 21,2026 */
	if (eat(c, ".")) {
		skipsp(c);
		return c->p[-1] != '.' ? ' ' : -1;
	}
	eat(c, ",");
	skipsp(c);
	return c->p > p0 ? ' ' : -1;
}

/* Zeros at c, 1..max of them: how many, or 0 with c where it was. */
static int
zeros(struct cur *c, int max)
{
	int k = 0;

	while (k < max && c->p < c->e && *c->p == '0')
		c->p++, k++;
	return k;
}

int
date_zeros(const char *s, size_t n)
{
	struct cur c = { s, s + n };
	int a, b, y;
	char sep;

	/* 0000-00-00, 00/00/0000, 0/0/0000, 00000000 */
	skipsp(&c);
	a = zeros(&c, 8);
	if (a == 8)
		;
	else if (a > 0 && c.p < c.e && (*c.p == '-' || *c.p == '/' ||
	    *c.p == '.')) {
		sep = *c.p++;
		b = zeros(&c, 2);
		if (b == 0 || c.p == c.e || *c.p++ != sep)
			return 0;
		y = zeros(&c, 4);
		if (!((a == 4 && b == 2 && y == 2) || (a <= 2 && y == 4)))
			return 0;
	} else
		return 0;
	/* and a midnight: 00:00, 00:00:00, 00:00:00.000 */
	skipsp(&c);
	if (c.p < c.e && (zeros(&c, 2) == 0 || !eat(&c, ":") ||
	    zeros(&c, 2) != 2))
		return 0;
	if (eat(&c, ":") && zeros(&c, 2) != 2)
		return 0;
	if (eat(&c, "."))
		zeros(&c, 9);
	skipsp(&c);
	return c.p == c.e;
}

int
ts_placeholder(int64_t ts)
{
	return ts % SECS_PER_DAY == 0 &&
	    ts / SECS_PER_DAY >= day_from_civil(1899, 12, 30) &&
	    ts / SECS_PER_DAY <= day_from_civil(1900, 1, 1);
}

int
date_excel_serial(const char *s, size_t n, int32_t *day)
{
	size_t i, k;
	int32_t serial = 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	for (i = 0; i < n && i < 6 && s[i] >= '0' && s[i] <= '9'; i++)
		serial = serial * 10 + (s[i] - '0');
	if (i != 5 || s[0] == '0')
		return -1;
	if (i < n) {
		if (s[i] != '.' && s[i] != ',')
			return -1;
		for (k = ++i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == k || i < n)
			return -1;
	}
	/* From serial 61 on, 1899-12-30 and that many days (60 is 1900-02-29). */
	*day = day_from_civil(1899, 12, 30) + serial;
	return 0;
}

int
date_parse_monthday(const char *s, size_t n, int *m, int *d)
{
	struct cur c = { s, s + n };
	int sep;

	skipsp(&c);
	while (c.e > c.p && (c.e[-1] == ' ' || c.e[-1] == '\t'))
		c.e--;
	if ((*m = monthname(&c)) > 0) {
		/* Nov 21, November 21, Nov-21 */
		if ((sep = named_sep(&c)) < 0 || num(&c, 2, d) == 0)
			return -1;
	} else {
		/* 21 Nov, 21-Nov */
		if (num(&c, 2, d) == 0 || (sep = named_sep(&c)) < 0 ||
		    (*m = monthname(&c)) == 0)
			return -1;
		eat(&c, ".");
	}
	return c.p == c.e && date_valid(2000, *m, *d) ? 0 : -1;
}

int
date_parse_yearless(const char *s, size_t n, int *m, int *d)
{
	struct cur c = { s, s + n };
	char sep;

	skipsp(&c);
	while (c.e > c.p && (c.e[-1] == ' ' || c.e[-1] == '\t'))
		c.e--;
	if (eat(&c, "--")) {
		/* --11-21, --1121 */
		if (num(&c, 2, m) != 2)
			return -1;
		eat(&c, "-");
		if (num(&c, 2, d) != 2)
			return -1;
	} else {
		/* 0000-11-21, 0000/11/21, 0000.11.21 */
		if (zeros(&c, 4) != 4 || c.p == c.e || (*c.p != '-' &&
		    *c.p != '/' && *c.p != '.'))
			return -1;
		sep = *c.p++;
		if (num(&c, 2, m) == 0 || c.p == c.e || *c.p++ != sep ||
		    num(&c, 2, d) == 0)
			return -1;
	}
	return c.p == c.e && date_valid(2000, *m, *d) ? 0 : -1;
}

/* date_parse_loose() after the weekday, if any. */
static int
loose(struct cur *c, int order, int flags, int64_t *ts, int *hint)
{
	int a, b, y, k, m, d, hh, mm, ss;
	char sep;

	if ((m = monthname(c)) > 0) {
		/* Nov 21, 2026; November 21 2026 10:20 AM; Nov-21-26 */
		if ((sep = (char)named_sep(c)) < 0 || num(c, 2, &d) == 0)
			return DATE_BAD;
		if (sep == ' ') {
			if (named_sep(c) != ' ')
				return DATE_BAD;
		} else if (c->p == c->e || *c->p++ != sep)
			return DATE_BAD;
		return named_year(c, m, d, flags, ts);
	}
	k = num(c, 8, &a);
	if (k == 8 && time_follows(c)) {
		/* 20261121, 20261121 14:32:05, 20261121T14:32:05 */
		y = a / 10000;
		m = a / 100 % 100;
		d = a % 100;
		return finish(y, m, d, c, ts);
	}
	if (k == 8 && c->e - c->p == 6) {
		if (digits(c->p, 2, &hh) || digits(c->p + 2, 2, &mm) ||
		    digits(c->p + 4, 2, &ss) || hh > 23 || mm > 59 || ss > 59)
			return DATE_BAD;
		c->p += 6;
		y = a / 10000;
		m = a / 100 % 100;
		d = a % 100;
		if (finish(y, m, d, c, ts) != DATE_OK)
			return DATE_BAD;
		*ts += hh * 3600 + mm * 60 + ss;
		return DATE_OK;
	}
	if (k == 4) {
		/* Year first: 2026-11-21, 2026/11/21, 2026.11.21, 2026年11月21日 */
		y = a;
		if (eat(c, "\xe5\xb9\xb4")) {			/* 年 */
			if (num(c, 2, &m) == 0 || !eat(c, "\xe6\x9c\x88") ||
			    num(c, 2, &d) == 0)			/* 月 */
				return DATE_BAD;
			if (!eat(c, "\xe6\x97\xa5"))		/* 日 */
				eat(c, "\xe5\x8f\xb7");		/* 号 */
			return finish(y, m, d, c, ts);
		}
		if (c->p == c->e || (*c->p != '-' && *c->p != '/' &&
		    *c->p != '.'))
			return DATE_BAD;
		sep = *c->p++;
		/* 2026-Nov-21 */
		if ((m = monthname(c)) == 0 && num(c, 2, &m) == 0)
			return DATE_BAD;
		if (c->p == c->e || *c->p++ != sep || num(c, 2, &d) == 0)
			return DATE_BAD;
		/* DB2's 2026-11-21-14.32.05.000000: a - before a dotted time */
		if (sep == '-' && c->p < c->e && *c->p == '-') {
			struct cur t = { c->p + 1, c->e };

			if (dotted(&t)) {
				c->p++;
				return finish(y, m, d, c, ts);
			}
		}
		if (!time_follows(c))
			return DATE_BAD;
		return finish(y, m, d, c, ts);
	}
	if (k == 1 || k == 2) {
		struct cur t = *c;

		/* 21 Nov 2026, 21-Nov-2026, 21-Nov-26, 21 November, 2026 */
		if ((sep = (char)named_sep(&t)) > 0 && (m = monthname(&t)) > 0) {
			*c = t;
			if (sep == ' ') {
				if (named_sep(c) != ' ')
					return DATE_BAD;
			} else if (c->p == c->e || *c->p++ != sep)
				return DATE_BAD;
			return named_year(c, m, a, flags, ts);
		}
		/* Day and month first: needs an order. */
		if (c->p == c->e || (*c->p != '/' && *c->p != '-' &&
		    *c->p != '.'))
			return DATE_BAD;
		sep = *c->p++;
		if (num(c, 2, &b) == 0 || c->p == c->e || *c->p++ != sep)
			return DATE_BAD;
		k = num(c, 4, &y);
		if (k != 2 && k != 4)
			return DATE_BAD;
		if (!time_follows(c))
			return DATE_BAD;
		if (k == 2) {
			int rc;

			/*
			 * A two-digit year: 11/21/26 may be month, day and
			 * year, day first, or year first (26/11/21): only an
			 * order given for it reads it, never one a file's
			 * other dates settled (they tell M/D from D/M, not
			 * whether the year comes first).
			 */
			order = flags >> 8 & DATE_ORDER_MASK;
			if (order == DATE_ORDER_MDY)
				rc = finish(century(y), a, b, c, ts);
			else if (order == DATE_ORDER_DMY)
				rc = finish(century(y), b, a, c, ts);
			else if (order == DATE_ORDER_YMD)
				rc = finish(century(a), b, y, c, ts);
			else
				return date_valid(century(y), a, b) ||
				    date_valid(century(y), b, a) ||
				    date_valid(century(a), b, y) ? DATE_YY2 :
				    DATE_BAD;
			return rc;
		}
		/*
		 * Excel's day zero (1/0/1900 month first, 00/01/1900 day
		 * first) is the same day in either order: it needs none and
		 * settles none.
		 */
		if (y == 1900 && ((a == 1 && b == 0) || (a == 0 && b == 1)))
			return finish(y, 1, 0, c, ts);
		if (order == DATE_ORDER_MDY || a == b)
			return finish(y, a, b, c, ts);
		if (order == DATE_ORDER_DMY)
			return finish(y, b, a, c, ts);
		/*
		 * A value that is no day in either order (2/30/1990) is bad,
		 * and must not settle the file's order; one that is a day in
		 * one order only settles it.
		 */
		if (!date_valid(y, a, b) && !date_valid(y, b, a))
			return DATE_BAD;
		if (hint != NULL) {
			if (!date_valid(y, a, b))
				*hint = DATE_ORDER_DMY;
			else if (!date_valid(y, b, a))
				*hint = DATE_ORDER_MDY;
		}
		/*
		 * Nor is one whose time is none (05/11/2026 24:00), though
		 * its day may still settle the order (13/11/2026 24:00).
		 */
		{
			struct cur rest = *c;

			if (timeofday(&rest, 1) < 0)
				return DATE_BAD;
		}
		return DATE_AMBIG;
	}
	return DATE_BAD;
}

int
date_parse_loose(const char *s, size_t n, int order, int64_t *ts, int *hint)
{
	char wide[WIDE_BUF];
	struct cur c;
	int wd, rc, flags = order & ~DATE_ORDER_MASK;

	if (hint != NULL)
		*hint = DATE_ORDER_NONE;
	if (fast_iso(s, n, ts) == DATE_OK)
		return DATE_OK;
	if (unwide(&s, &n, wide) < 0)
		return DATE_BAD;
	c.p = s;
	c.e = s + n;
	skipsp(&c);
	while (c.e > c.p && (c.e[-1] == ' ' || c.e[-1] == '\t'))
		c.e--;
	/* Sat, 21 Nov 2026: the day must be that weekday */
	wd = weekdayname(&c);
	rc = loose(&c, order & DATE_ORDER_MASK, flags, ts, hint);
	if (wd >= 0 && rc == DATE_OK && day_weekday(ts_day(*ts)) != wd)
		return DATE_WDAY;
	return rc;
}
