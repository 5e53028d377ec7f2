/*
 * Unit tests for lib/expr.c: precedence, three-valued logic over missing
 * values, exact decimals, typing, dates and every function, and the
 * compile errors with their line:column.
 */
#include <stdint.h>
#include <stdio.h>

#include "date.h"
#include "expr.h"
#include "test.h"

static const char *const cols[] = {
	"customer_id", "monetary", "p_alive", "last_date", "birthday",
	"grade", "city", "name", "orders", "ts", "a", "b", "c", "odd name",
	"code"
};
#define NCOL ((int)(sizeof(cols) / sizeof(cols[0])))

static struct tsv_field row[NCOL];
static struct expr_ctx ctx;

static void
set(const char *col, const char *v)
{
	int i;

	for (i = 0; i < NCOL; i++)
		if (strcmp(cols[i], col) == 0) {
			row[i].p = (char *)v;
			row[i].n = strlen(v);
			return;
		}
	printf("no column %s in the test\n", col);
}

static void
clear(void)
{
	int i;

	for (i = 0; i < NCOL; i++) {
		row[i].p = (char *)"";
		row[i].n = 0;
	}
}

static void
asof(const char *d)
{
	if (date_parse(d, strlen(d), &ctx.asof) != 0)
		printf("bad as-of %s\n", d);
}

/* Truth of a condition: 0 false, 1 true, 2 unknown, -1 compile error. */
static int
U(const char *src)
{
	struct expr_error err;
	struct expr *e;
	int r;

	if ((e = expr_compile(src, cols, NCOL, 0, &err)) == NULL) {
		printf("compile %s: %ld:%ld: %s\n", src, err.e.line, err.col,
		    err.e.msg);
		return -1;
	}
	r = expr_truth(e, row, &ctx);
	if (expr_test(e, row, &ctx) != (r == EXPR_TRUE))
		r = -2;
	expr_free(e);
	return r;
}

/* expr_test(): 1 or 0. */
static int
T(const char *src)
{
	int r = U(src);

	return r == 2 ? 0 : r;
}

/* A value as text, "(missing)", or "(error)". */
static const char *
V(const char *src)
{
	static char buf[256];
	struct expr_error err;
	struct expr *e;
	const char *p;
	size_t n;

	if ((e = expr_compile(src, cols, NCOL, EXPR_VALUE, &err)) == NULL) {
		printf("compile %s: %ld:%ld: %s\n", src, err.e.line, err.col,
		    err.e.msg);
		return "(error)";
	}
	if (expr_value(e, row, &ctx, &p, &n))
		snprintf(buf, sizeof(buf), "%.*s", (int)n, p);
	else
		snprintf(buf, sizeof(buf), "(missing)");
	expr_free(e);
	return buf;
}

/* The compile error as "line:col: message". */
static const char *
E(const char *src)
{
	static char buf[700];
	struct expr_error err;
	struct expr *e;

	if ((e = expr_compile(src, cols, NCOL, 0, &err)) != NULL) {
		expr_free(e);
		return "(compiled)";
	}
	snprintf(buf, sizeof(buf), "%ld:%ld: %s", err.e.line, err.col,
	    err.e.msg);
	return buf;
}

/*
 * 1 if evaluating src on the row counts a misfit (a value there but not
 * usable as needed), 0 if not, -1 on a compile error.
 */
static int
M(const char *src, int flags)
{
	struct expr_error err;
	struct expr *e;
	const char *p;
	size_t n;
	long m;

	if ((e = expr_compile(src, cols, NCOL, flags, &err)) == NULL)
		return -1;
	if (flags & EXPR_VALUE)
		(void)expr_value(e, row, &ctx, &p, &n);
	else
		(void)expr_truth(e, row, &ctx);
	m = expr_misfits(e);
	expr_free(e);
	return m == 1 ? 1 : m == 0 ? 0 : -2;
}

static void
misfits(void)
{
	clear();
	set("grade", "A");
	set("monetary", "1200.50");
	set("last_date", "2026-11-01");
	/* Text where a number or a date is needed. */
	CHECK(M("-grade = 1", 0) == 1);
	CHECK(M("grade * 2 > 1", 0) == 1);
	CHECK(M("days_since(grade) > 1", 0) == 1);
	CHECK(M("abs(grade) > 1", 0) == 1);
	CHECK(M("round(grade) > 1", 0) == 1);
	CHECK(M("grade > 2026-01-01", 0) == 1);
	CHECK(M("grade between 1 and 2", 0) == 1);
	CHECK(M("grade in (1, 2)", 0) == 1);
	CHECK(M("monetary / 0 > 1", 0) == 1);
	CHECK(M("-last_date", EXPR_VALUE) == 1);
	/* Missing values are not misfits; nor is a rule decided anyway. */
	CHECK(M("city * 2 > 1", 0) == 0);
	CHECK(M("days_since(birthday) > 1", 0) == 0);
	CHECK(M("grade * 2 > 1 or grade = 'A'", 0) == 0);
	CHECK(M("grade = 'B' and grade * 2 > 1", 0) == 0);
	CHECK(M("coalesce(grade * 2, 1) = 1", 0) == 0);
	/* A misfit masked by "or" or coalesce() is not why a rule that a
	 * missing value leaves unknown is unknown. */
	CHECK(M("(days_since(grade) > 3 or monetary > 0) and city = 'x'", 0)
	    == 0);
	CHECK(M("coalesce(days_since(grade), 0) >= 0 and city = 'x'", 0) == 0);
	CHECK(M("(days_since(grade) > 3 or city = 'x') and monetary > 0", 0)
	    == 1);
	CHECK(M("coalesce(grade * 2, city) > 1", 0) == 1);
	CHECK(M("monetary in (city, grade * 2)", 0) == 1);
	CHECK(M("monetary in (city, 3)", 0) == 0);
	CHECK(M("monetary between city and grade * 2", 0) == 1);
	CHECK(M("not (grade * 2 > 1)", 0) == 1);
	/* An overflow, a substring start before the first character. */
	set("a", "999999999999999999");
	CHECK(M("round(a, -1) > 0", 0) == 1);
	CHECK(M("substr(grade, 0) = 'A'", 0) == 1);
	CHECK(M("substr(grade, 1, -1) = 'A'", 0) == 1);
	/* A birthday without its year has a month and a day, no year. */
	set("birthday", "--11-28");
	CHECK(M("month(birthday) = 11 and day(birthday) = 28", 0) == 0);
	CHECK(T("month(birthday) = 11 and day(birthday) = 28") == 1);
	CHECK(U("year(birthday) > 1900") == 2);
	CHECK(M("year(birthday) > 1900", 0) == 0);
	/* Usable values: none. */
	CHECK(M("monetary * 2 > 1", 0) == 0);
	CHECK(M("days_since(last_date) = 20", 0) == 0);
	CHECK(M("grade = 'A'", 0) == 0);
}

static void
precedence(void)
{
	clear();
	/* or < and */
	CHECK(T("true or true and false") == 1);
	CHECK(T("false and true or true") == 1);
	CHECK(T("(true or true) and false") == 0);
	/* and < not < comparison */
	CHECK(T("not true and false") == 0);
	CHECK(T("not (true and false)") == 1);
	set("a", "2");
	CHECK(T("not a = 1") == 1);
	CHECK(T("not a = 2") == 0);
	CHECK(T("not not a = 2") == 1);
	CHECK(T("a = 1 or a = 2 and a > 1") == 1);
	CHECK_STR(E("A = 2 AND a = 2 Or false"),	/* columns keep case */
	    "1:1: unknown column 'A' (did you mean 'a'?)");
	CHECK(T("a = 2 AND a = 2 Or false") == 1);	/* keywords do not */
	/* arithmetic */
	CHECK_STR(V("1 + 2 * 3"), "7");
	CHECK_STR(V("(1 + 2) * 3"), "9");
	CHECK_STR(V("10 - 3 - 2"), "5");
	CHECK_STR(V("100 / 10 / 5"), "2");
	CHECK_STR(V("2 * 3 % 4"), "2");
	CHECK_STR(V("1 + 2 = 3"), "true");
	CHECK(T("1 + 2 * 3 = 7 and 2 * 3 + 1 > 6") == 1);
	/* unary minus binds tightest */
	CHECK_STR(V("-2 * 3"), "-6");
	CHECK_STR(V("2 * -3"), "-6");
	CHECK_STR(V("-a * 3"), "-6");
	CHECK_STR(V("- a - 1"), "-3");
	CHECK_STR(V("2 - -1"), "3");
	CHECK_STR(V("--2"), "2");
	CHECK(T("-a < 0") == 1);
	CHECK(T("-1 = 0 - 1") == 1);
}

static void
decimals(void)
{
	clear();
	CHECK(T("0.1 + 0.2 = 0.3") == 1);
	CHECK_STR(V("0.1 + 0.2"), "0.3");
	CHECK(T("1000.00 = 1000") == 1);
	CHECK(T("1000.001 > 1000") == 1);
	set("monetary", "1000.00");
	CHECK(T("monetary >= 1000") == 1);
	CHECK(T("monetary = 1000") == 1);
	CHECK(T("monetary > 1000") == 0);
	CHECK_STR(V("monetary * 2"), "2000.00");
	CHECK_STR(V("monetary + 0.005"), "1000.005");
	set("monetary", "999.99");
	CHECK(T("monetary >= 1000") == 0);
	CHECK(T("monetary < 1000") == 1);
	set("monetary", "-12.50");
	CHECK(T("monetary < 0") == 1);
	CHECK(T("monetary = -12.5") == 1);
	CHECK_STR(V("abs(monetary)"), "12.50");
	set("p_alive", "0.499999");
	CHECK(T("p_alive < 0.5") == 1);
	set("p_alive", "0.500000");
	CHECK(T("p_alive < 0.5") == 0);
	CHECK(T("p_alive = 0.5") == 1);
	CHECK(T("p_alive >= 0.5 and p_alive <= 0.50") == 1);
	set("p_alive", "0.1234567890123");
	CHECK(T("p_alive > 0.123456789012") == 1);
	CHECK(T("p_alive < 0.1234567890124") == 1);
	/* products, quotients and remainders */
	CHECK_STR(V("12.50 * 2"), "25.00");
	CHECK_STR(V("12.50 * 0.9"), "11.250");
	CHECK_STR(V("10 / 4"), "2.5");
	CHECK_STR(V("1 / 3"), "0.333333");
	CHECK_STR(V("2 / 3"), "0.666667");
	CHECK_STR(V("-2 / 3"), "-0.666667");
	CHECK_STR(V("1000.00 / 3"), "333.33333333");
	CHECK_STR(V("1000.00 / 4"), "250.00");
	CHECK(T("1 / 3 * 3 = 0.999999") == 1);
	CHECK_STR(V("7 % 3"), "1");
	CHECK_STR(V("-7 % 3"), "-1");
	CHECK_STR(V("7.5 % 2"), "1.5");
	/* division by zero and overflow are missing, never a wrong number */
	CHECK_STR(V("1 / 0"), "(missing)");
	CHECK_STR(V("1 % 0"), "(missing)");
	CHECK(U("1 / 0 = 1") == 2);
	CHECK_STR(V("999999999999999999 * 10"), "(missing)");
	CHECK_STR(V("999999999999999999 + 1"), "(missing)");
	CHECK_STR(V("999999999999999999 - 1"), "999999999999999998");
	CHECK_STR(V("100000000000000000 / 0.001"), "(missing)");
	CHECK(T("999999999999999999 > 0.000000000000000001") == 1);
	CHECK(T("-999999999999999999 < 0.000000000000000001") == 1);
	/* only the result must fit, not an operand at the common places */
	set("p_alive", "0.123456789012345678");
	CHECK_STR(V("p_alive - 1"), "-0.876543210987654322");
	CHECK(T("p_alive - 1 < 0") == 1);
	CHECK(T("p_alive - 1 >= 0") == 0);
	CHECK_STR(V("1 - p_alive"), "0.876543210987654322");
	CHECK_STR(V("p_alive + 0.5"), "0.623456789012345678");
	CHECK_STR(V("p_alive + 9"), "(missing)");
	CHECK_STR(V("p_alive + 10"), "(missing)");
	CHECK_STR(V("p_alive - 10"), "(missing)");
	CHECK_STR(V("p_alive + 100000"), "(missing)");
	CHECK_STR(V("p_alive % 1"), "0.123456789012345678");
	CHECK_STR(V("1 % p_alive"), "0.012345687901234576");
	CHECK_STR(V("100 % p_alive"), "0.000000900000000820");
	CHECK_STR(V("-100 % p_alive"), "-0.000000900000000820");
	CHECK_STR(V("999999999999999999 % p_alive"), "0.051852718985185908");
	set("a", "999999.123456789012");
	CHECK_STR(V("a - 1000000"), "-0.876543210988");
	CHECK(T("a - 1000000 = -0.876543210988") == 1);
	CHECK_STR(V("a + 1000000"), "(missing)");
	CHECK_STR(V("-999999999999999999 - 1"), "(missing)");
	CHECK_STR(V("-999999999999999999 - 0.5"), "(missing)");
	CHECK_STR(V("0.999999999999999999 + 0.000000000000000001"),
	    "(missing)");
	CHECK_STR(V("0.000000000000000001 * 0.5"), "0.000000000000000001");
	/* a field with more places than fit, but only zeros */
	set("monetary", "5.0000000000000000000000");
	CHECK(T("monetary = 5") == 1);
	set("monetary", "1e3");
	CHECK(U("monetary > 1") == 2);
	set("monetary", "1,000");
	CHECK(U("monetary > 1") == 2);
}

static void
missing(void)
{
	clear();			/* a, b, c all missing */
	CHECK(U("a = 1") == 2);
	CHECK(U("a != 1") == 2);
	CHECK(U("a <> 1") == 2);
	CHECK(U("a < 1") == 2);
	CHECK(U("a <= 1") == 2);
	CHECK(U("a > 1") == 2);
	CHECK(U("a >= 1") == 2);
	CHECK(U("a = b") == 2);
	CHECK(U("a in (1, 2)") == 2);
	CHECK(U("a not in (1, 2)") == 2);
	CHECK(U("a ~ 'x'") == 2);
	CHECK(U("a !~ 'x'") == 2);
	CHECK(U("a between 1 and 2") == 2);
	CHECK(U("a not between 1 and 2") == 2);
	CHECK(U("a + 1 = 1") == 2);
	CHECK(U("a * 0 = 0") == 2);
	CHECK(U("-a = 0") == 2);
	CHECK(U("lower(a) = 'x'") == 2);
	CHECK(U("contains(a, 'x')") == 2);
	CHECK(U("starts_with('abc', a)") == 2);
	CHECK(U("days_since(a) > 1") == 2);
	CHECK_STR(V("a + 1"), "(missing)");
	CHECK_STR(V("1 - a"), "(missing)");
	CHECK_STR(V("a / 2"), "(missing)");
	CHECK_STR(V("min(a, 1)"), "(missing)");
	CHECK_STR(V("coalesce(a, b, 'none')"), "none");
	CHECK_STR(V("coalesce(a, 7)"), "7");
	CHECK_STR(V("a = 1"), "(missing)");
	/* Kleene logic */
	CHECK(U("not a = 1") == 2);
	CHECK(U("a = 1 and true") == 2);
	CHECK(U("a = 1 and false") == 0);
	CHECK(U("false and a = 1") == 0);
	CHECK(U("a = 1 or true") == 1);
	CHECK(U("true or a = 1") == 1);
	CHECK(U("a = 1 or false") == 2);
	CHECK(U("a = 1 or a != 1") == 2);
	CHECK(T("not (a = 1 or a != 1)") == 0);
	/* is empty never is unknown */
	CHECK(U("a is empty") == 1);
	CHECK(U("a is not empty") == 0);
	CHECK(U("not a is empty") == 0);
	CHECK(U("a + 1 is empty") == 1);
	CHECK(U("a IS NOT EMPTY or a > 1") == 2);
	/* an item of an in list */
	set("a", "1");
	CHECK(U("a in (b, 1)") == 1);
	CHECK(U("a in (b, 2)") == 2);
	CHECK(U("a not in (b, 2)") == 2);
	CHECK(U("a not in (b, 1)") == 0);
	CHECK(U("a in (2, 3)") == 0);
	CHECK(U("a not in (2, 3)") == 1);
	CHECK(U("a between b and 3") == 2);
	CHECK(U("a is empty") == 0);
	/* a value that does not read as the type wanted counts as missing */
	set("a", "abc");
	CHECK(U("a = 1") == 2);
	CHECK(U("a != 1") == 2);
	CHECK(U("a < 2026-01-01") == 2);
	CHECK_STR(V("a + 1"), "(missing)");
	CHECK(U("a is empty") == 0);
}

static void
typing(void)
{
	clear();
	set("customer_id", "00123");
	CHECK(T("customer_id = 123") == 1);
	CHECK(T("customer_id = '123'") == 0);
	CHECK(T("customer_id = '00123'") == 1);
	CHECK(T("customer_id = \"00123\"") == 1);
	set("monetary", "999");
	CHECK(T("monetary > 1000") == 0);
	CHECK(T("monetary > '1000'") == 1);	/* quoted: text order */
	set("grade", "A");
	CHECK(T("grade = 'A'") == 1);
	CHECK(T("grade = 'a'") == 0);
	CHECK(T("lower(grade) = 'a'") == 1);
	CHECK(U("grade = 1") == 2);
	CHECK(T("grade in ('A', 'B')") == 1);
	CHECK(T("grade in ('B', 'C')") == 0);
	CHECK(T("grade not in ('B', 'C')") == 1);
	CHECK(T("grade between 'A' and 'B'") == 1);
	CHECK(T("grade < 'B'") == 1);
	/* two column values: numbers if both look like numbers */
	set("a", "10");
	set("b", "9");
	CHECK(T("a > b") == 1);
	set("b", "9x");
	CHECK(T("a > b") == 0);		/* as text, "1" < "9" */
	set("a", "abc");
	set("b", "abd");
	CHECK(T("a < b") == 1);
	set("a", "2.50");
	set("b", "2.5");
	CHECK(T("a = b") == 1);
	CHECK(T("a = '2.5'") == 0);
	/* bytewise, also for UTF-8 */
	set("city", "上海");
	CHECK(T("city = '上海'") == 1);
	CHECK(T("city != '北京'") == 1);
	CHECK(T("city in ('北京', '上海')") == 1);
	CHECK(T("city > 'Z'") == 1);
	set("odd name", "x");
	CHECK(T("`odd name` = 'x'") == 1);
	CHECK(T("`odd name` is not empty and `customer_id` = 123") == 1);
	/* escapes */
	set("name", "O'Brien \"Bob\" \\");
	CHECK(T("name = 'O\\'Brien \"Bob\" \\\\'") == 1);
	CHECK(T("name = \"O'Brien \\\"Bob\\\" \\\\\"") == 1);
	/* dates compare as dates, timestamps as their day */
	set("last_date", "2026-11-01");
	CHECK(T("last_date = 2026-11-01") == 1);
	CHECK(T("last_date < 2026-11-21") == 1);
	CHECK(T("last_date between 2026-10-01 and 2026-11-01") == 1);
	CHECK(T("last_date = '2026-11-01'") == 1);
	CHECK(U("last_date > 5") == 2);
	set("ts", "2026-11-21T10:00:00");
	CHECK(T("ts = 2026-11-21") == 1);
	CHECK(T("ts >= 2026-11-21 and ts < 2026-11-22") == 1);
	/* conditions as values */
	CHECK_STR(V("1 < 2"), "true");
	CHECK_STR(V("1 > 2"), "false");
	CHECK_STR(V("'abc'"), "abc");
	CHECK_STR(V("2026-11-21"), "2026-11-21");
}

static void
regex(void)
{
	clear();
	set("name", "张伟");
	CHECK(T("name ~ '^张'") == 1);
	CHECK(T("name ~ '^.伟$'") == 1);	/* . is one character */
	CHECK(T("name ~ '^..$'") == 1);
	CHECK(T("name ~ '李'") == 0);
	CHECK(T("name !~ '李'") == 1);
	CHECK(T("name !~ '伟'") == 0);
	CHECK(T("not name ~ '李'") == 1);
	set("code", "AB123");
	CHECK(T("code ~ '\\d{3}$'") == 1);	/* \d needs no doubling */
	CHECK(T("code ~ '^ab'") == 0);
	CHECK(T("code ~ '(?i)^ab'") == 1);
	CHECK(T("code ~ '^[A-Z]{2}[0-9]+$'") == 1);
	set("monetary", "128.00");
	CHECK(T("monetary ~ '^12'") == 1);
	CHECK(T("monetary + 1 ~ '^129\\.00$'") == 1);
	CHECK(T("lower(code) ~ '^ab'") == 1);
	CHECK(T("code ~ 'X' or code ~ 'B1'") == 1);
}

static void
dates(void)
{
	clear();
	asof("2026-11-21");
	set("last_date", "2026-11-01");
	CHECK_STR(V("days_since(last_date)"), "20");
	CHECK(T("days_since(last_date) between 14 and 30") == 1);
	CHECK_STR(V("days_since(2026-12-01)"), "-10");
	CHECK_STR(V("days_since('2026-11-21')"), "0");
	CHECK_STR(V("last_date + 30"), "2026-12-01");
	CHECK_STR(V("30 + last_date"), "2026-12-01");
	CHECK_STR(V("last_date - 1"), "2026-10-31");
	CHECK_STR(V("2026-11-21 - last_date"), "20");
	CHECK_STR(V("last_date + 1.5"), "(missing)");
	CHECK_STR(V("year(last_date)"), "2026");
	CHECK_STR(V("month(last_date)"), "11");
	CHECK_STR(V("day(last_date)"), "1");
	CHECK_STR(V("weekday(2026-11-21)"), "6");
	CHECK_STR(V("weekday(2026-11-22)"), "7");
	CHECK_STR(V("weekday(2026-11-23)"), "1");
	set("ts", "2026-11-20T23:59:59");
	CHECK_STR(V("days_since(ts)"), "1");
	CHECK_STR(V("month(ts)"), "11");
	set("last_date", "2026-13-01");
	CHECK_STR(V("days_since(last_date)"), "(missing)");
	CHECK(U("last_date < 2027-01-01") == 2);

	/* age: whole years at the as-of date */
	set("birthday", "1990-11-21");
	CHECK_STR(V("age(birthday)"), "36");		/* on the birthday */
	CHECK_STR(V("days_until_birthday(birthday)"), "0");
	asof("2026-11-20");
	CHECK_STR(V("age(birthday)"), "35");
	CHECK_STR(V("days_until_birthday(birthday)"), "1");
	asof("2026-11-22");
	CHECK_STR(V("age(birthday)"), "36");
	CHECK_STR(V("days_until_birthday(birthday)"), "364");
	/* 29 February: 28 February in common years */
	set("birthday", "2000-02-29");
	asof("2026-02-27");
	CHECK_STR(V("age(birthday)"), "25");
	CHECK_STR(V("days_until_birthday(birthday)"), "1");
	asof("2026-02-28");
	CHECK_STR(V("age(birthday)"), "26");
	CHECK_STR(V("days_until_birthday(birthday)"), "0");
	asof("2026-03-01");
	CHECK_STR(V("days_until_birthday(birthday)"), "364");
	asof("2027-03-01");
	CHECK_STR(V("days_until_birthday(birthday)"), "365");
	asof("2028-02-28");
	CHECK_STR(V("age(birthday)"), "27");
	CHECK_STR(V("days_until_birthday(birthday)"), "1");
	asof("2028-02-29");
	CHECK_STR(V("age(birthday)"), "28");
	CHECK_STR(V("days_until_birthday(birthday)"), "0");
	/* 31 December to 1 January, and the other way */
	set("birthday", "1980-01-01");
	asof("2026-12-31");
	CHECK_STR(V("days_until_birthday(birthday)"), "1");
	CHECK_STR(V("age(birthday)"), "46");
	set("birthday", "1980-12-31");
	asof("2027-01-01");
	CHECK_STR(V("days_until_birthday(birthday)"), "364");
	/* a birthday after the as-of date is bad data: missing age */
	set("birthday", "2030-05-05");
	CHECK_STR(V("age(birthday)"), "(missing)");
	CHECK(U("age(birthday) < 18") == 2);
	/* no as-of date: the as-of functions are missing */
	ctx.asof = DAY_NONE;
	set("birthday", "1990-11-21");
	CHECK_STR(V("age(birthday)"), "(missing)");
	CHECK_STR(V("days_since(birthday)"), "(missing)");
	CHECK_STR(V("year(birthday)"), "1990");
	asof("2026-11-21");
}

static void
functions(void)
{
	clear();
	set("city", "上海市浦东");
	set("name", "ABC上海def");
	CHECK_STR(V("lower(name)"), "abc上海def");
	CHECK_STR(V("upper(name)"), "ABC上海DEF");
	CHECK_STR(V("length(city)"), "5");
	CHECK_STR(V("length(name)"), "8");
	CHECK_STR(E("length('') = 0"), "1:8: '' is empty, and an empty "
	    "value is a missing one: write 'is empty'");
	CHECK_STR(V("length(12.50)"), "5");
	CHECK_STR(V("substr(city, 3, 2)"), "市浦");
	CHECK_STR(V("substr(city, 1, 2)"), "上海");
	CHECK_STR(V("substr(city, 4)"), "浦东");
	CHECK_STR(V("substr(city, 5, 10)"), "东");
	CHECK_STR(V("substr(city, 6)"), "(missing)");
	CHECK_STR(V("substr(city, 0, 1)"), "(missing)");
	CHECK_STR(V("substr(city, 1, 0)"), "(missing)");
	CHECK_STR(V("substr(city, 1, -1)"), "(missing)");
	CHECK_STR(V("substr(city, 1.5, 1)"), "(missing)");
	CHECK_STR(V("substr(2026-11-21, 1, 4)"), "2026");
	CHECK(T("substr(city, 1, 2) = '上海'") == 1);
	CHECK(T("contains(city, '浦')") == 1);
	CHECK(T("contains(city, '北')") == 0);
	CHECK(T("starts_with(city, '上海')") == 1);
	CHECK(T("starts_with(city, '浦东')") == 0);
	CHECK(T("ends_with(city, '浦东')") == 1);
	CHECK(T("ends_with(city, '上海市浦东区')") == 0);
	CHECK(T("not contains(city, '北')") == 1);
	CHECK_STR(V("abs(-3.5)"), "3.5");
	CHECK_STR(V("abs(3)"), "3");
	CHECK_STR(V("min(3, 2.5)"), "2.5");
	CHECK_STR(V("max(3, 2.5)"), "3");
	CHECK_STR(V("min(3, 2.5, -1)"), "-1");
	CHECK_STR(V("max('b', 'a')"), "b");
	CHECK_STR(V("max(2026-01-01, 2026-11-21)"), "2026-11-21");
	set("last_date", "2026-10-05");
	CHECK_STR(V("max(last_date, 2026-01-01)"), "2026-10-05");
	CHECK_STR(V("min(last_date, 2026-01-01)"), "2026-01-01");
	CHECK_STR(V("round(2.345, 2)"), "2.35");
	CHECK_STR(V("round(-2.345, 2)"), "-2.35");
	CHECK_STR(V("round(2.344, 2)"), "2.34");
	CHECK_STR(V("round(12.5)"), "13");
	CHECK_STR(V("round(2.5, 18)"), "2.5");
	CHECK_STR(V("round(2.5, 2)"), "2.50");
	CHECK_STR(V("round(-12.5)"), "-13");
	CHECK_STR(V("round(12.5, 2)"), "12.50");
	CHECK_STR(V("round(1250, -2)"), "1300");
	CHECK_STR(V("round(1234.5, -2)"), "1200");
	CHECK_STR(V("round(1 / 3, 2)"), "0.33");
	CHECK_STR(V("round(2, 19)"), "(missing)");
	CHECK_STR(V("round(2, 0.5)"), "(missing)");
	set("monetary", "1000.00");
	set("orders", "3");
	CHECK_STR(V("round(monetary / orders, 2)"), "333.33");
	CHECK(T("monetary / orders > 333.33") == 1);
	CHECK_STR(V("coalesce(a, monetary)"), "1000.00");
	CHECK_STR(V("coalesce(monetary, a)"), "1000.00");
	CHECK(T("coalesce(a, 0) = 0") == 1);
	CHECK(T("COALESCE(a, 0) = 0") == 1);
}

static void
errors(void)
{
	CHECK_STR(E("monetray >= 1000"),
	    "1:1: unknown column 'monetray' (did you mean 'monetary'?)");
	CHECK_STR(E("Grade = 'A'"),
	    "1:1: unknown column 'Grade' (did you mean 'grade'?)");
	CHECK_STR(E("zzzz = 1"), "1:1: unknown column 'zzzz'");
	CHECK_STR(E("grade = 'A' and dayssince(last_date) > 30"),
	    "1:17: unknown function 'dayssince' (did you mean 'days_since'?)");
	CHECK_STR(E("frobnicate(a) = 1"),
	    "1:1: unknown function 'frobnicate'");
	CHECK_STR(E("monetary(1) > 2"),
	    "1:1: 'monetary' is a column, not a function");
	CHECK_STR(E("days_since > 2"), "1:1: unknown column 'days_since' "
	    "(days_since is a function: write days_since(...))");
	CHECK_STR(E("days_since(last_date, 1) > 30"),
	    "1:1: days_since() takes 1 argument, not 2");
	CHECK_STR(E("a = 1 and substr(name) = 'x'"),
	    "1:11: substr() takes 2 or 3 arguments, not 1");
	CHECK_STR(E("coalesce(a) = 1"),
	    "1:1: coalesce() takes at least 2 arguments, not 1");
	CHECK_STR(E("min(a, b = 1)"),
	    "1:8: min() cannot take a condition");
	CHECK_STR(E("days_since(5) > 1"),
	    "1:12: days_since() wants a date here, not a number");
	CHECK_STR(E("round(a, 2026-01-01) > 1"),
	    "1:10: round() wants a number here, not a date");
	CHECK_STR(E("name = 'abc"), "1:8: unterminated string");
	CHECK_STR(E("name = \"abc"), "1:8: unterminated string");
	CHECK_STR(E("`odd name = 1"), "1:1: unterminated `name`");
	CHECK_STR(E("name = 'abc\n' = 1"), "1:8: unterminated string");
	CHECK_STR(E("name ~ '['"), "1:8: bad pattern '[' at offset 1: "
	    "missing terminating ] for character class");
	CHECK_STR(E("a = 1\nor name ~ 'a(b'"), "2:11: bad pattern 'a(b' at "
	    "offset 3: missing closing parenthesis");
	CHECK_STR(E("a ~ b"), "1:5: '~' wants a quoted pattern, found 'b'");
	CHECK_STR(E("a = 1 b"), "1:7: unexpected 'b' after a complete "
	    "expression (a missing 'and' or 'or'?)");
	CHECK_STR(E("a = 1)"), "1:6: unexpected ')' after a complete "
	    "expression (a missing 'and' or 'or'?)");
	CHECK_STR(E(""), "1:1: empty expression");
	CHECK_STR(E("   # only a comment"), "1:1: empty expression");
	CHECK_STR(E("grade in ('A', 'B'"),
	    "1:19: expected ')' after 'in' list");
	CHECK_STR(E("grade in ('A' 'B')"),
	    "1:15: expected ')' after 'in' list");
	CHECK_STR(E("grade in 'A'"),
	    "1:10: expected '(' after 'in', found 'A'");
	CHECK_STR(E("grade in ()"), "1:11: empty 'in' list");
	CHECK_STR(E("(a = 1"),
	    "1:7: expected ')' to close the '(' before, found the end");
	CHECK_STR(E("a ="), "1:4: expected a value after '='");
	CHECK_STR(E("a = )"), "1:5: expected a value after '=', found ')'");
	CHECK_STR(E("and a = 1"), "1:1: expected a value, found 'and'");
	CHECK_STR(E("a = 1 and\n    monetray > 3"),
	    "2:5: unknown column 'monetray' (did you mean 'monetary'?)");
	CHECK_STR(E("city = '上海' and foo = 1"), "1:17: unknown column 'foo'");
	CHECK_STR(E("a < b < c"),
	    "1:7: comparisons do not chain: join them with 'and'");
	CHECK_STR(E("monetary"), "1:1: column 'monetary' is a value, not a "
	    "condition: compare it with something");
	CHECK_STR(E("monetary + 1"), "1:1: the expression is a value, not a "
	    "condition: compare it with something");
	CHECK_STR(E("a = 1 and monetary"), "1:11: column 'monetary' is a "
	    "value, not a condition: compare it with something");
	CHECK_STR(E("a = ''"), "1:5: '' is empty, and an empty value is a "
	    "missing one: write 'is empty'");
	CHECK_STR(E("last_date < 2026-02-30"),
	    "1:13: bad date '2026-02-30' (write a real day as YYYY-MM-DD)");
	CHECK_STR(E("last_date < 2026-1-5"),
	    "1:13: bad date '2026-1-5' (write a real day as YYYY-MM-DD)");
	CHECK_STR(E("a > 12abc"), "1:5: bad number '12abc'");
	CHECK_STR(E("a > 1.5.2"), "1:5: bad number '1.5.2'");
	CHECK_STR(E("a > 1234567890123456789"), "1:5: number "
	    "'1234567890123456789' has too many digits (at most 18)");
	CHECK_STR(E("'abc' > 5"), "1:7: cannot compare text with a number");
	CHECK_STR(E("2026-01-01 = 5"),
	    "1:12: cannot compare a date with a number");
	CHECK_STR(E("1 in (a, 2026-01-01)"), "1:10: cannot compare a number "
	    "with a date");
	CHECK_STR(E("(a = 1) = true"), "1:2: a condition cannot be compared");
	CHECK_STR(E("'a' + 1 = 2"),
	    "1:5: cannot do arithmetic on quoted text");
	CHECK_STR(E("2026-01-01 * 2 = 1"),
	    "1:12: cannot compute a date * a number");
	CHECK_STR(E("a is nothing"),
	    "1:6: expected 'empty' or 'not empty' after 'is', found 'nothing'");
	CHECK_STR(E("a between 1 or 2"),
	    "1:13: expected 'and' in 'between', found 'or'");
	CHECK_STR(E("a （ 1"), "1:3: unexpected '（': a full-width "
	    "character, write '(' instead");
	CHECK_STR(E("a = 1　and b = 2"), "1:6: unexpected '　': a full-width "
	    "character, write a space instead");
	CHECK_STR(E("金额 > 1"), "1:1: unexpected '金额' (put a column name "
	    "that is not plain ASCII in backquotes: `金额`)");
	CHECK_STR(E("a == 1 && b = 2"),
	    "1:8: unexpected '&' (write 'and' or 'or')");
	CHECK_STR(E("! a = 1"),
	    "1:1: unexpected '!' (write 'not', '!=' or '!~')");
	CHECK_STR(E("a = 1 not b = 2"), "1:7: unexpected 'not' after a "
	    "complete expression (a missing 'and' or 'or'?)");
	CHECK_STR(E("*"), "1:1: expected a value, found '*'");
	CHECK_STR(E("p_alive < .5"), "1:11: unexpected '.' (write 0.5, not "
	    ".5)");
	CHECK_STR(E("city = '\xc9\xcf\xba\xa3'"), "1:9: the text is not "
	    "UTF-8 here (saved as GBK? save it as UTF-8)");	/* 上海 in GBK */
	CHECK_STR(E("a = 1 and -(b = 2)"),
	    "1:13: a condition cannot be negated");
	CHECK_STR(E("not a"), "1:5: column 'a' is a value, not a condition: "
	    "compare it with something");
	/* deep nesting is an error, not a crash */
	{
		static char deep[2000];
		int i;

		for (i = 0; i < 600; i++)
			deep[i] = '(';
		strcpy(deep + 600, "a = 1");
		for (i = 0; i < 600; i++)
			strcat(deep, ")");
		CHECK_STR(E(deep), "1:201: expression nested too deeply");
	}
	CHECK_STR(E("A = 1 OR a = 1"), "1:1: unknown column 'A' (did you "
	    "mean 'a'?)");
	/* well-formed texts that look odd still compile */
	CHECK_STR(E("last_date * 2 = 1"), "(compiled)");
	CHECK_STR(E("a==1"), "(compiled)");
	CHECK_STR(E("a=1 and b=2"), "(compiled)");
	CHECK_STR(E("a=1and b=2"), "1:3: bad number '1and'");
	CHECK_STR(E("10-3 = 7"), "(compiled)");
	CHECK_STR(E("a = 1 # a comment\n and b = 2"), "(compiled)");
	CHECK_STR(E("name = 'a#b'"), "(compiled)");
}

static void
api(void)
{
	struct expr_error err;
	struct expr *e;

	e = expr_compile("days_since(last_date) > 30", cols, NCOL, 0, &err);
	CHECK(e != NULL && expr_uses_asof(e) && expr_is_cond(e) &&
	    !expr_is_true(e));
	expr_free(e);
	e = expr_compile("true", cols, NCOL, 0, &err);
	CHECK(e != NULL && expr_is_true(e) && !expr_uses_asof(e));
	expr_free(e);
	e = expr_compile("monetary * 2", cols, NCOL, EXPR_VALUE, &err);
	CHECK(e != NULL && !expr_is_cond(e));
	clear();
	CHECK(e != NULL && expr_truth(e, row, &ctx) == EXPR_UNKNOWN);
	expr_free(e);
	expr_free(NULL);
	/* expr_compile_at() counts from where the text starts */
	e = expr_compile_at("a = 1 and\n  zz = 2", 18, 7, 10, cols, NCOL, 0,
	    &err);
	CHECK(e == NULL && err.e.line == 8 && err.col == 3 &&
	    err.e.status == EX_USAGE);
	e = expr_compile_at("a = 1 and zz = 2", 16, 7, 10, cols, NCOL, 0,
	    &err);
	CHECK(e == NULL && err.e.line == 7 && err.col == 20);
	/* only len bytes are read */
	e = expr_compile_at("a = 1 garbage", 5, 1, 1, cols, NCOL, 0, &err);
	CHECK(e != NULL);
	expr_free(e);
	/* the same compiled expression over many rows */
	e = expr_compile("monetary >= 1000 and grade in ('A', 'B')", cols,
	    NCOL, 0, &err);
	clear();
	set("monetary", "1500.00");
	set("grade", "B");
	CHECK(e != NULL && expr_test(e, row, &ctx) == 1);
	set("grade", "C");
	CHECK(e != NULL && expr_test(e, row, &ctx) == 0);
	set("grade", "A");
	set("monetary", "");
	CHECK(e != NULL && expr_test(e, row, &ctx) == 0);
	CHECK(e != NULL && expr_test(e, row, NULL) == 0);
	expr_free(e);
	/* lower() grows its buffer for a long value */
	{
		static char longv[5000];

		memset(longv, 'X', sizeof(longv) - 1);
		clear();
		set("name", longv);
		CHECK_STR(V("length(lower(name))"), "4999");
		CHECK(T("lower(name) ~ '^x+$'") == 1);
	}
}

/*
 * A long "in" list of literals of one type is looked up in a sorted set;
 * it must give what the same test item by item gives: x = i1 or x = i2
 * or ..., with the same truth (three-valued) and the same misfits, for
 * values that match in another form (1.50 and 1.5, a timestamp and its
 * day), that do not read as the items' type, or are missing.
 */
static void
inlist_same(const char *left, const char *const *items, int n,
    const char *const *cells, int ncell)
{
	static char in[40000], eq[80000], nin[40000], neq[80016];
	size_t a = 0, b = 0;
	int i, k, bad = 0;

	a += (size_t)snprintf(in + a, sizeof(in) - a, "%s in (", left);
	for (i = 0; i < n; i++) {
		a += (size_t)snprintf(in + a, sizeof(in) - a, "%s%s",
		    i > 0 ? ", " : "", items[i]);
		b += (size_t)snprintf(eq + b, sizeof(eq) - b, "%s%s = %s",
		    i > 0 ? " or " : "", left, items[i]);
	}
	snprintf(in + a, sizeof(in) - a, ")");
	snprintf(nin, sizeof(nin), "%s not %s", left, in + strlen(left) + 1);
	snprintf(neq, sizeof(neq), "not (%s)", eq);
	for (k = 0; k < ncell; k++) {
		clear();
		set("a", cells[k]);
		if (U(in) != U(eq) || U(nin) != U(neq) ||
		    M(in, 0) != M(eq, 0) || M(nin, 0) != M(neq, 0)) {
			printf("%s in (%d items) on a = '%s': %d (misfit %d), "
			    "item by item %d (misfit %d)\n", left, n, cells[k],
			    U(in), M(in, 0), U(eq), M(eq, 0));
			bad++;
		}
	}
	CHECK(bad == 0);
}

static void
inlists(void)
{
	static char buf[300][32];
	static const char *items[300];
	static const char *const numcells[] = {
		"17", "17.0", "017", "17.000000000000000", "-4", "-4.00",
		"0", "-0", "0.000", "999999999999999999", "0.5", "0.50",
		"3.25", "3.250", "18", "1e3", "abc", "", "2026-03-01",
		"12345678901234567890", "-", ".5", "17 "
	};
	static const char *const strcells[] = {
		"C0017", "C17", "c0017", "C0017 ", "17", "", "C0000",
		"C0298", "C0299", "D", "北京", "2026-03-01"
	};
	static const char *const daycells[] = {
		"2026-03-01", "2026-03-01T10:20:30", "2026-3-1", "2026-03-02",
		"2025-12-31", "20260301", "abc", "", "5", "2026-02-30"
	};
	static const char *const numleft[] = {
		"a", "lower(a)", "a + 0", "coalesce(a, b)", "min(a, 99)"
	};
	static const char *const strleft[] = {
		"a", "lower(a)", "substr(a, 1)", "coalesce(a, b)"
	};
	static const char *const dayleft[] = {
		"a", "lower(a)", "a + 0", "coalesce(a, b)"
	};
	int i, k;

	/* Numbers: whole, with places, negative, written two ways. */
	for (i = 0; i < 300; i++) {
		int64_t v = (int64_t)(test_rand() % 2000) - 1000;

		switch (i % 6) {
		case 0:
			snprintf(buf[i], sizeof(buf[i]), "%d", (int)v);
			break;
		case 1:
			snprintf(buf[i], sizeof(buf[i]), "%d.%02d", (int)v,
			    (int)(test_rand() % 100));
			break;
		case 2:
			snprintf(buf[i], sizeof(buf[i]), "%d.000", (int)v);
			break;
		case 3:
			snprintf(buf[i], sizeof(buf[i]), "0.%03d",
			    (int)(test_rand() % 1000));
			break;
		default:
			snprintf(buf[i], sizeof(buf[i]), "%d", i);
			break;
		}
		items[i] = buf[i];
	}
	items[0] = "17";
	items[1] = "-4.0";
	items[2] = "0";
	items[3] = "3.25";
	items[4] = "999999999999999999";
	items[5] = "0.5";
	for (k = 0; k < (int)(sizeof(numleft) / sizeof(numleft[0])); k++) {
		inlist_same(numleft[k], items, 300, numcells,
		    (int)(sizeof(numcells) / sizeof(numcells[0])));
		inlist_same(numleft[k], items, 2, numcells,
		    (int)(sizeof(numcells) / sizeof(numcells[0])));
	}
	/* Quoted text. */
	for (i = 0; i < 300; i++) {
		snprintf(buf[i], sizeof(buf[i]), "'C%04d'",
		    (int)((i * 7919) % 300));
		items[i] = buf[i];
	}
	items[150] = "'北京'";
	items[151] = "'17'";
	for (k = 0; k < (int)(sizeof(strleft) / sizeof(strleft[0])); k++)
		inlist_same(strleft[k], items, 300, strcells,
		    (int)(sizeof(strcells) / sizeof(strcells[0])));
	/* Dates. */
	for (i = 0; i < 300; i++) {
		snprintf(buf[i], sizeof(buf[i]), "2026-%02d-%02d",
		    1 + (i * 5) % 12, 1 + (i * 11) % 28);
		items[i] = buf[i];
	}
	for (k = 0; k < (int)(sizeof(dayleft) / sizeof(dayleft[0])); k++)
		inlist_same(dayleft[k], items, 300, daycells,
		    (int)(sizeof(daycells) / sizeof(daycells[0])));
	/* The set over many rows of one compiled expression. */
	{
		struct expr_error err;
		struct expr *e;
		static char src[20000];
		size_t n = 0;
		int hits = 0;

		n += (size_t)snprintf(src, sizeof(src), "customer_id in (");
		for (i = 0; i < 1000; i++)
			n += (size_t)snprintf(src + n, sizeof(src) - n,
			    "%s'C%05d'", i > 0 ? ", " : "", (i * 37) % 3000);
		snprintf(src + n, sizeof(src) - n, ")");
		e = expr_compile(src, cols, NCOL, 0, &err);
		CHECK(e != NULL);
		for (i = 0; e != NULL && i < 3000; i++) {
			char id[16];

			snprintf(id, sizeof(id), "C%05d", i);
			clear();
			set("customer_id", id);
			hits += expr_test(e, row, &ctx);
		}
		CHECK(hits == 1000);
		expr_free(e);
	}
}

int
main(void)
{
	asof("2026-11-21");
	precedence();
	decimals();
	missing();
	typing();
	regex();
	dates();
	functions();
	errors();
	api();
	misfits();
	inlists();
	return test_summary();
}
