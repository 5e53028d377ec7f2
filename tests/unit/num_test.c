/* Unit tests for lib/num.c: exact decimals, loose money, formatting. */
#include <math.h>
#include <stdint.h>

#include "num.h"
#include "test.h"

static int
L(const char *s, int64_t *v)
{
	return num_parse_loose(s, strlen(s), 2, v);
}

static const char *
F(int64_t v, int scale, int places)
{
	static char buf[32];

	num_fmt(v, scale, places, buf);
	return buf;
}

/* num_fmt_real(v, places) must write what printf writes; counts misses. */
static long
real_misses(double v, int places)
{
	char a[NUM_REAL_MAX], b[NUM_REAL_MAX];
	size_t n = num_fmt_real(v, places, a);

	snprintf(b, sizeof(b), "%.*f", places, v);
	if (n != strlen(b) || strcmp(a, b) != 0) {
		printf("num_fmt_real(%a, %d) is '%s', printf '%s'\n", v,
		    places, a, b);
		return 1;
	}
	return 0;
}

/* A fixed sequence of random 64-bit numbers (xorshift64*). */
static uint64_t
rnd(void)
{
	static uint64_t x = 0x9e3779b97f4a7c15ULL;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	return x * 0x2545f4914f6cdd1dULL;
}

static void
test_fmt_real(void)
{
	long miss = 0, i;
	int p;

	CHECK(real_misses(0.0, 4) == 0 && real_misses(-0.0, 2) == 0);
	CHECK(real_misses(0.5, 0) == 0 && real_misses(1.5, 0) == 0 &&
	    real_misses(2.5, 0) == 0);		/* ties to even */
	CHECK(real_misses(0.125, 2) == 0 && real_misses(0.375, 2) == 0 &&
	    real_misses(1.0005, 3) == 0 && real_misses(0.99995, 4) == 0);
	{
		char b[NUM_REAL_MAX];

		/* Places are 0 to 9, the longest output fits. */
		CHECK(num_fmt_real(0.1, 400, b) == 11 &&
		    strcmp(b, "0.100000000") == 0);
		CHECK(num_fmt_real(2.5, -3, b) == 1 && strcmp(b, "2") == 0);
		CHECK(num_fmt_real(-1.7976931348623157e308, 9, b) == 320 &&
		    b[0] == '-' && strlen(b) == 320);
	}
	CHECK(real_misses(1e300, 3) == 0 && real_misses(0x1p50, 2) == 0 &&
	    real_misses(-2.5, 1) == 0 && real_misses(INFINITY, 2) == 0);
	/* Values on and next to every tie k/2 / 10^p, and at random. */
	for (i = 0; i < 300000; i++) {
		double t;

		p = (int)(i % 10);
		t = ((double)(rnd() % 20000000) + 0.5) / pow(10, p);
		miss += real_misses(t, p);
		miss += real_misses(nextafter(t, 0), p);
		miss += real_misses(nextafter(t, INFINITY), p);
		miss += real_misses((double)(rnd() >> 11) * 0x1p-53, p);
		miss += real_misses((double)(rnd() >> 11) * 0x1p-53 * 1e6, p);
		miss += real_misses((double)(rnd() >> 11) * 0x1p-13, p % 4);
	}
	CHECK(miss == 0);
}

/*
 * Plain numbers: whatever the strict parser makes of a string of digits,
 * at most one point and a leading minus, num_parse_loose() makes the same
 * (value and status), at every scale, for 200000 random strings up to 20
 * bytes.  One check a scale.  (More points are digit groups to the loose
 * parser, 1.234.567, or no number.)
 */
static void
loose_is_strict_on_plain(void)
{
	static const char alpha[] = "0123456789.0000099999";
	char t[24];
	int64_t a, b;
	int scale, k, ra, rb, ok;
	size_t n, i;

	for (scale = 0; scale <= 9; scale++) {
		ok = 1;
		for (k = 0; k < 20000; k++) {
			n = (size_t)(test_rand() % 21);
			for (i = 0; i < n; i++)
				t[i] = alpha[test_rand() % (sizeof(alpha) - 1)];
			if (n > 0 && test_rand() % 3 == 0)
				t[0] = '-';
			a = b = 12345;
			ra = num_parse(t, n, scale, &a);
			if (ra == NUM_EBAD || memchr(t, '.', n) != memrchr(t,
			    '.', n))
				continue;
			rb = num_parse_loose(t, n, scale, &b);
			if (ra != rb || (ra == NUM_OK && a != b)) {
				printf("'%.*s' scale %d: %d %lld, loose %d %lld\n",
				    (int)n, t, scale, ra, (long long)a, rb,
				    (long long)b);
				ok = 0;
			}
		}
		CHECK(ok);
	}
}

int
main(void)
{
	int64_t v;

	loose_is_strict_on_plain();
	test_fmt_real();

	CHECK(num_parse("12.5", 4, 2, &v) == 0 && v == 1250);
	CHECK(num_parse("-0.01", 5, 2, &v) == 0 && v == -1);
	CHECK(num_parse("7", 1, 2, &v) == 0 && v == 700);
	CHECK(num_parse("1.500", 5, 2, &v) == 0 && v == 150);
	CHECK(num_parse("1.505", 5, 2, &v) == NUM_EPLACES);
	CHECK(num_parse("", 0, 2, &v) == NUM_EBAD);
	CHECK(num_parse("-", 1, 2, &v) == NUM_EBAD);
	CHECK(num_parse("1e3", 3, 2, &v) == NUM_EBAD);
	CHECK(num_parse("1,000", 5, 2, &v) == NUM_EBAD);
	CHECK(num_parse("99999999999999999999", 20, 2, &v) == NUM_ERANGE);
	CHECK(num_parse("0.001", 5, 6, &v) == 0 && v == 1000);
	CHECK(num_parse_int("-42", 3, &v) == 0 && v == -42);
	CHECK(num_parse_int("4.2", 3, &v) == NUM_EBAD);

	CHECK(L("1,234.50", &v) == 0 && v == 123450);
	CHECK(L("1,234,567", &v) == 0 && v == 123456700);
	CHECK(L("12,50", &v) == 0 && v == 1250);
	CHECK(L("¥128.00", &v) == 0 && v == 12800);
	CHECK(L("￥1,280", &v) == 0 && v == 128000);
	CHECK(L("RMB 99", &v) == 0 && v == 9900);
	CHECK(L("$-5.00", &v) == 0 && v == -500);
	CHECK(L("-$5.00", &v) == 0 && v == -500);
	CHECK(L("£3.20", &v) == 0 && v == 320);
	CHECK(L("(12.00)", &v) == 0 && v == -1200);
	CHECK(L("12.00-", &v) == 0 && v == -1200);
	CHECK(L("（12.00）", &v) == 0 && v == -1200);
	CHECK(L("(¥12.00)", &v) == 0 && v == -1200);
	CHECK(L("(-12.00)", &v) == NUM_EBAD);
	CHECK(L("(12.00-)", &v) == NUM_EBAD);
	CHECK(L("（－12）", &v) == NUM_EBAD);
	CHECK(L("１２８．５０", &v) == 0 && v == 12850);
	CHECK(L("－１２８", &v) == 0 && v == -12800);
	CHECK(L("128元", &v) == 0 && v == 12800);
	CHECK(L("  42 ", &v) == 0 && v == 4200);
	CHECK(L("12.", &v) == 0 && v == 1200);
	CHECK(L("1,23,456", &v) == NUM_EBAD);
	CHECK(L("1.2.3", &v) == NUM_EBAD);
	CHECK(L("abc", &v) == NUM_EBAD);
	CHECK(L("", &v) == NUM_EBAD);
	CHECK(L("12.345", &v) == NUM_EPLACES);
	CHECK(L("12.340", &v) == 0 && v == 1234);
	CHECK(L("1,2345", &v) == NUM_EPLACES);
	CHECK(L("1.234.567", &v) == 0 && v == 123456700);

	/* 12.- is a whole amount, not a negative one; 12.00- is negative. */
	CHECK(L("12.-", &v) == 0 && v == 1200);
	CHECK(L("250,-", &v) == 0 && v == 25000);
	CHECK(L("12.\xe2\x80\x93", &v) == 0 && v == 1200);
	CHECK(L("\xe2\x82\xac 12,-", &v) == 0 && v == 1200);
	CHECK(L(".-", &v) == NUM_EBAD);
	CHECK(L("-12.-", &v) == NUM_EBAD);
	/* Groups parted by a blank or an apostrophe, and 1.234,50. */
	CHECK(L("1.234,50", &v) == 0 && v == 123450);
	CHECK(L("1\xc2\xa0" "234,50", &v) == 0 && v == 123450);
	CHECK(L("1\xe2\x80\xaf" "234,50", &v) == 0 && v == 123450);
	CHECK(L("1\xe2\x80\x89" "234\xe2\x80\x89" "567,5", &v) == 0 &&
	    v == 123456750);
	CHECK(L("1'234.50", &v) == 0 && v == 123450);
	CHECK(L("-1\xc2\xa0" "234", &v) == 0 && v == -123400);
	CHECK(L("12 50", &v) == NUM_EBAD);
	CHECK(L("1 234.567,50", &v) == NUM_EBAD);
	CHECK(L("1,234.567,50", &v) == NUM_EBAD);
	CHECK(L("1.234,567.8", &v) == NUM_EBAD);
	CHECK(L("'12", &v) == NUM_EBAD);
	CHECK(L("12,", &v) == NUM_EBAD);
	CHECK(L(",5", &v) == 0 && v == 50);
	CHECK(L("0 299", &v) == NUM_EBAD);
	CHECK(L("0,299.5", &v) == NUM_EBAD);
	CHECK(L("03,333", &v) == NUM_EBAD);
	CHECK(L("05\xc2\xa0" "590", &v) == NUM_EBAD);
	CHECK(L("100 200", &v) == NUM_EBAD);
	CHECK(L("9,03.-", &v) == NUM_EBAD);
	CHECK(L("\xef\xbc\x92\xef\xbc\x95\xef\xbc\x90.-", &v) == 0 &&
	    v == 25000);
	CHECK(L("12 ", &v) == 0 && v == 1200);
	/* A first group of 0 is no thousands: 0,125 is 0.125. */
	CHECK(num_parse_loose("0,125", 5, 6, &v) == 0 && v == 125000);
	CHECK(L("0,125", &v) == NUM_EPLACES);
	/* 2,125 and 1.234 by the file's mark. */
	CHECK(num_parse_loose("2,125", 5, 6, &v) == 0 && v == 2125000000);
	CHECK(num_parse_loose_mark("2,125", 5, 6, '.', NULL, &v) == 0 &&
	    v == 2125000000);
	CHECK(num_parse_loose_mark("2,125", 5, 6, ',', NULL, &v) == 0 &&
	    v == 2125000);
	CHECK(num_parse_loose_mark("1.234", 5, 6, 0, NULL, &v) == 0 && v == 1234000);
	CHECK(num_parse_loose_mark("1.234", 5, 6, ',', NULL, &v) == 0 &&
	    v == 1234000000);
	CHECK(num_parse_loose_mark("1.000", 5, 0, ',', NULL, &v) == 0 && v == 1000);
	CHECK(num_parse_loose_mark("1,000", 5, 0, ',', NULL, &v) == 0 && v == 1);
	CHECK(num_parse_loose_mark("12.50", 5, 2, ',', NULL, &v) == 0 && v == 1250);
	CHECK(num_parse_loose_mark("12,50", 5, 2, '.', NULL, &v) == 0 && v == 1250);
	CHECK(num_parse_loose_mark("1,234.50", 8, 2, ',', NULL, &v) == 0 &&
	    v == 123450);
	CHECK(num_parse_loose_mark("-1.234", 6, 2, ',', NULL, &v) == 0 &&
	    v == -123400);
	CHECK(num_parse_loose_mark("42", 2, 2, ',', NULL, &v) == 0 && v == 4200);
	/* Whether the mark decided: 2,125 and 1.234, not 12.50 nor 0.125. */
	{
		int amb;

		CHECK(num_parse_loose_mark("2,125", 5, 6, 0, &amb, &v) == 0 &&
		    amb == 1 && v == 2125000000);
		CHECK(num_parse_loose_mark("1.234", 5, 6, 0, &amb, &v) == 0 &&
		    amb == 1 && v == 1234000);
		CHECK(num_parse_loose_mark("-1.234", 6, 6, 0, &amb, &v) == 0 &&
		    amb == 1 && v == -1234000);
		CHECK(num_parse_loose_mark("\xc2\xa5" "1.234", 7, 6, 0, &amb,
		    &v) == 0 && amb == 1);
		CHECK(num_parse_loose_mark("1.234", 5, 6, ',', &amb, &v) == 0 &&
		    amb == 1 && v == 1234000000);
		CHECK(num_parse_loose_mark("12.50", 5, 2, 0, &amb, &v) == 0 &&
		    amb == 0);
		CHECK(num_parse_loose_mark("0.125", 5, 6, 0, &amb, &v) == 0 &&
		    amb == 0);
		CHECK(num_parse_loose_mark("1234.567", 8, 6, 0, &amb, &v) ==
		    0 && amb == 0);
		CHECK(num_parse_loose_mark("1,234.50", 8, 2, 0, &amb, &v) ==
		    0 && amb == 0);
		CHECK(num_parse_loose_mark("1,234,567", 9, 2, 0, &amb, &v) ==
		    0 && amb == 0);
		CHECK(num_parse_loose_mark("299", 3, 2, 0, &amb, &v) == 0 &&
		    amb == 0);
		/* Full-width marks read by the mark as ASCII ones are. */
		CHECK(num_parse_loose_mark("2\xef\xbc\x8c" "125", 7, 6, ',',
		    NULL, &v) == 0 && v == 2125000);
		CHECK(num_parse_loose_mark("1\xef\xbc\x8e" "299", 7, 2, ',',
		    NULL, &v) == 0 && v == 129900);
		CHECK(num_mark("12\xef\xbc\x8c" "50", 7) == ',');
	}
	/* What a value shows of its file's mark. */
	CHECK(num_mark("12,50", 5) == ',');
	CHECK(num_mark("1.234,50", 8) == ',');
	CHECK(num_mark("0,125", 5) == ',');
	CHECK(num_mark("1.234.567", 9) == ',');
	CHECK(num_mark(" 1\xc2\xa0" "234,5 ", 10) == ',');
	CHECK(num_mark("12.50", 5) == '.');
	CHECK(num_mark("1,234.50", 8) == '.');
	CHECK(num_mark("1,234,567", 9) == '.');
	CHECK(num_mark("0.1250", 6) == '.');
	CHECK(num_mark("\xc2\xa5" "12.5", 6) == '.');
	CHECK(num_mark("12", 2) == 0);
	CHECK(num_mark("1,234", 5) == 0);
	CHECK(num_mark("1.000", 5) == 0);
	CHECK(num_mark("12.", 3) == 0);
	CHECK(num_mark("12.-", 4) == 0);
	CHECK(num_mark("1.2.3", 5) == 0);
	CHECK(num_mark("abc,50", 6) == 0);

	/* The mark a value shows, told while it is read with a point. */
	{
		int own, amb;

		CHECK(num_parse_loose_own("12,50", 5, 2, '.', &own, &amb,
		    &v) == 0 && own == ',' && amb == 0 && v == 1250);
		CHECK(num_parse_loose_own("1.234,50", 8, 2, '.', &own, &amb,
		    &v) == 0 && own == ',' && v == 123450);
		CHECK(num_parse_loose_own("12.50", 5, 2, '.', &own, &amb,
		    &v) == 0 && own == '.' && amb == 0);
		CHECK(num_parse_loose_own("2,125", 5, 6, '.', &own, &amb,
		    &v) == 0 && own == 0 && amb == 1 && v == 2125000000);
		CHECK(num_parse_loose_own("1.234", 5, 6, '.', &own, &amb,
		    &v) == 0 && own == 0 && amb == 1 && v == 1234000);
		CHECK(num_parse_loose_own("-0.125", 6, 6, '.', &own, &amb,
		    &v) == 0 && own == '.' && amb == 0 && v == -125000);
		CHECK(num_parse_loose_own("299", 3, 2, '.', &own, &amb,
		    &v) == 0 && own == 0 && amb == 0);
	}
	/*
	 * Random numbers: what a value shows is num_mark()'s, and the mark
	 * decided it exactly when a comma reads it otherwise.
	 */
	{
		static const char alpha[] = "0123456789012345.,-";
		uint32_t x = 12345;
		long misses = 0, decided = 0, shown = 0;
		int k;

		for (k = 0; k < 300000; k++) {
			char b[12];
			size_t n, i;
			int own, amb, sc = (k % 3) * 2, r1, r2;
			int64_t v1, v2;

			x = x * 1103515245u + 12345u;
			n = 1 + (x >> 16) % 9;
			for (i = 0; i < n; i++) {
				x = x * 1103515245u + 12345u;
				b[i] = alpha[(x >> 16) % (sizeof(alpha) - 1)];
			}
			r1 = num_parse_loose_own(b, n, sc, '.', &own, &amb, &v1);
			r2 = num_parse_loose_mark(b, n, sc, ',', NULL, &v2);
			if (r1 != 0)
				continue;
			misses += own != num_mark(b, n);
			shown += own != 0;
			if (r2 == 0) {
				misses += amb != (v1 != v2);
				decided += amb;
			}
			r2 = num_parse_loose(b, n, sc, &v2);
			misses += r2 != 0 || v2 != v1;
		}
		CHECK(misses == 0 && decided > 100 && shown > 1000);
	}

	CHECK_STR(F(1250, 2, 2), "12.50");
	CHECK_STR(F(-5, 2, 2), "-0.05");
	CHECK_STR(F(0, 2, 2), "0.00");
	CHECK_STR(F(1000, 6, 2), "0.00");
	CHECK_STR(F(5000, 6, 2), "0.01");
	CHECK_STR(F(-5000, 6, 2), "-0.01");
	CHECK_STR(F(-4999, 6, 2), "0.00");
	CHECK_STR(F(7, 0, 0), "7");
	CHECK_STR(F(INT64_C(-900000000000000000), 2, 2),
	    "-9000000000000000.00");
	CHECK(num_round_shift(15, 1) == 2 && num_round_shift(-15, 1) == -2 &&
	    num_round_shift(14, 1) == 1);
	CHECK(num_mul(INT64_C(300000000), INT64_C(300000000), &v) == 0 && v == INT64_C(90000000000000000));
	CHECK(num_mul(INT64_C(30000000000), INT64_C(30000000000), &v) ==
	    NUM_ERANGE);
	return test_summary();
}
