/*
 * num: scaled-integer decimals (see num.h).  The loose parser first maps
 * the value to a plain ASCII form in a small local buffer (full-width
 * characters, currency marks and negative notations removed), then hands
 * it to the strict parser, so both share one digit loop.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "num.h"

static const int64_t p10[] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	1000000000
};

int
num_parse(const char *s, size_t n, int scale, int64_t *v)
{
	size_t i = 0;
	int64_t x = 0;
	int neg = 0, nd = 0, places = 0;

	if (scale < 0 || scale > 9)
		return NUM_EBAD;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, nd++) {
		if (x > (NUM_MAX / 10) / p10[scale])
			return NUM_ERANGE;
		x = x * 10 + (s[i] - '0');
	}
	x *= p10[scale];
	if (i < n && s[i] == '.') {
		i++;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, nd++) {
			if (places < scale) {
				places++;
				x += (s[i] - '0') * p10[scale - places];
			} else if (s[i] != '0')
				return NUM_EPLACES;
		}
	}
	if (i != n || nd == 0)
		return NUM_EBAD;
	*v = neg ? -x : x;
	return NUM_OK;
}

int
num_parse_int(const char *s, size_t n, int64_t *v)
{
	size_t i = 0;
	int64_t x = 0;
	int neg = 0;

	if (i < n && s[i] == '-')
		neg = 1, i++;
	if (i == n)
		return NUM_EBAD;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return NUM_EBAD;
		if (x > NUM_MAX / 10)
			return NUM_ERANGE;
		x = x * 10 + (s[i] - '0');
	}
	*v = neg ? -x : x;
	return NUM_OK;
}

/* Drop a literal prefix or suffix; returns 1 if it was there. */
static int
strip_pre(const char **p, const char *e, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(e - *p) >= n && memcmp(*p, lit, n) == 0) {
		*p += n;
		return 1;
	}
	return 0;
}

static int
strip_suf(const char *p, const char **e, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(*e - p) >= n && memcmp(*e - n, lit, n) == 0) {
		*e -= n;
		return 1;
	}
	return 0;
}

static const char *const currency[] = {
	"\xef\xbf\xa5",		/* ￥ */
	"\xc2\xa5",		/* ¥ */
	"\xc2\xa3",		/* £ */
	"\xe2\x82\xac",		/* € */
	"HK$", "US$", "NT$", "S$", "$", "RMB", "CNY", "rmb", "USD", "HKD", "TWD",
	"NTD", "EUR", "GBP", "SGD",
	NULL
};

static void
trim(const char **p, const char **e)
{
	for (;;) {
		if (*p < *e && (**p == ' ' || **p == '\t'))
			(*p)++;
		else if (!strip_pre(p, *e, "\xe3\x80\x80") &&	/* U+3000 */
		    !strip_pre(p, *e, "\xc2\xa0"))		/* NBSP */
			break;
	}
	for (;;) {
		if (*e > *p && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
			(*e)--;
		else if (!strip_suf(*p, e, "\xe3\x80\x80") &&
		    !strip_suf(*p, e, "\xc2\xa0"))
			break;
	}
}

static int
strip_currency(const char **p, const char **e)
{
	int i, hit = 0;

	for (i = 0; currency[i] != NULL; i++)
		if (strip_pre(p, *e, currency[i]) || strip_suf(*p, e, currency[i])) {
			hit = 1;
			break;
		}
	if (strip_suf(*p, e, "\xe5\x85\x83"))			/* 元 */
		hit = 1;
	if (hit)
		trim(p, e);
	return hit;
}

/*
 * The decimal mark of a number in tmp[0..k) (digits, '.', ',' and '_' for
 * a blank or an apostrophe between digit groups), with mark the file's
 * (0 or '.': a point; ','): its index, k when there is none, or -1 when
 * the value is no number.  *own is set to the mark when the value shows
 * it whatever the file's (12,50; 1.234,50; 0,125; 1,234,567), else 0;
 * *amb to 1 when the mark decided (2,125; 1.234).
 */
static long
decimal_at(const char *tmp, size_t k, int mark, int *own, int *amb)
{
	size_t i, np = 0, nc = 0, ng = 0, lastp = 0, lastc = 0;
	char sep;
	size_t at, after;

	*own = 0;
	for (i = 0; i < k; i++) {
		if (tmp[i] == '.') {
			np++;
			lastp = i;
		} else if (tmp[i] == ',') {
			nc++;
			lastc = i;
		} else if (tmp[i] == '_')
			ng++;
	}
	if (np > 0 && nc > 0) {
		/* 1,234.50 or 1.234,50: the last one is the mark. */
		at = lastp > lastc ? lastp : lastc;
		if ((tmp[at] == '.' ? np : nc) != 1)
			return -1;
		*own = tmp[at];
		return (long)at;
	}
	if (np + nc == 0)
		return (long)k;
	sep = np > 0 ? '.' : ',';
	at = np > 0 ? lastp : lastc;
	if (np + nc > 1) {
		/* 1,234,567: the groups' mark; the other is the decimal one. */
		*own = sep == ',' ? '.' : ',';
		return (long)k;
	}
	after = k - at - 1;
	if (sep == ',' && after == 0)
		return -1;	/* 12, (12. is 12) */
	if (after != 3 || ng > 0 || (at == 1 && tmp[0] == '0')) {
		/* 12,50; 12.5000; 1 234,567; 0,125: a mark, not groups. */
		if (after > 0)
			*own = sep;
		return (long)at;
	}
	/* 2,125 or 1.234: as the file's mark says, a point if not known. */
	*amb = 1;
	if (sep == (mark == ',' ? ',' : '.'))
		return (long)at;
	return (long)k;
}

/*
 * Everything but the common case of num_parse_loose(), kept out of line
 * so that the common case needs no large frame.  The value's own mark
 * goes to *own (see decimal_at()) when own is not NULL.
 */
static __attribute__((noinline)) int
parse_loose(const char *s, size_t n, int scale, int mark, int *own,
    int *amb, int64_t *v)
{
	char tmp[64], out[64];
	const char *p = s, *e = s + n;
	size_t k = 0, i, j, run;
	long at;
	int neg = 0, whole = 0, r, seen, dummy, dummy2;
	int64_t x;

	if (own == NULL)
		own = &dummy;
	if (amb == NULL)
		amb = &dummy2;
	*own = 0;
	*amb = 0;
	/* Plain numbers go straight to the strict parser. */
	for (i = 0, j = 0; i < n; i++)
		if (s[i] == '.')
			j++;
		else if ((s[i] < '0' || s[i] > '9') && (s[i] != '-' || i > 0))
			break;
	if (i == n && n > 0 && j <= 1 && mark != ',' && (r = num_parse(s, n,
	    scale, v)) != NUM_EBAD) {
		const char *pt = memchr(s, '.', n);
		size_t ip = pt != NULL ? (size_t)(pt - s) - (s[0] == '-') : 0;

		if (pt != NULL && s + n - pt - 1 == 3 && ip >= 1 && ip <= 3 &&
		    !(ip == 1 && pt[-1] == '0'))
			*amb = 1;	/* 1.234 */
		else if (pt != NULL && s + n - pt - 1 > 0)
			*own = '.';
		return r;
	}
	trim(&p, &e);
	/* (12.00) and （12.00） are negative; a sign inside them is no number. */
	if (p < e && *p == '(' && e[-1] == ')') {
		neg = 1;
		p++;
		e--;
		trim(&p, &e);
	} else if (e - p >= 6 && memcmp(p, "\xef\xbc\x88", 3) == 0 &&
	    memcmp(e - 3, "\xef\xbc\x89", 3) == 0) {
		neg = 1;
		p += 3;
		e -= 3;
		trim(&p, &e);
	}
	strip_currency(&p, &e);
	/*
	 * 12.- and 12,- are a whole amount (Swiss and German tills), not a
	 * negative 12.: the dash stands for the cents.
	 */
	if (p < e && (e[-1] == '-' || e[-1] == '\x93') &&
	    (strip_suf(p, &e, ".-") || strip_suf(p, &e, ",-") ||
	    strip_suf(p, &e, ".\xe2\x80\x93") ||		/* .– */
	    strip_suf(p, &e, ",\xe2\x80\x93"))) {
		if (p == e)
			return NUM_EBAD;
		whole = 1;
	}
	/* A sign may stand before or after the currency mark. */
	else if (strip_pre(&p, e, "-") || strip_pre(&p, e, "\xef\xbc\x8d") ||
	    strip_pre(&p, e, "\xe2\x88\x92")) {	/* - － − */
		if (neg)
			return NUM_EBAD;
		neg = 1;
		trim(&p, &e);
		strip_currency(&p, &e);
	} else if (strip_suf(p, &e, "-") || strip_suf(p, &e, "\xef\xbc\x8d")) {
		if (neg)
			return NUM_EBAD;
		neg = 1;
		trim(&p, &e);
		strip_currency(&p, &e);
	} else if (strip_pre(&p, e, "+") || strip_pre(&p, e, "\xef\xbc\x8b"))
		trim(&p, &e);
	/*
	 * Map full-width digits and marks to ASCII into tmp, and a blank
	 * that does not break (U+00A0, U+202F, U+2009: what Excel writes
	 * between groups, 1 234,50) or an apostrophe (1'234.50) between
	 * digit groups to '_'.
	 */
	while (p < e) {
		unsigned char c = (unsigned char)*p;
		size_t g = 0;

		if (k >= sizeof(tmp) - 1)
			return NUM_ERANGE;
		if (c == 0xef && e - p >= 3 && (unsigned char)p[1] == 0xbc &&
		    (unsigned char)p[2] >= 0x90 && (unsigned char)p[2] <= 0x99) {
			tmp[k++] = (char)('0' + ((unsigned char)p[2] - 0x90));
			p += 3;
		} else if (c == 0xef && e - p >= 3 && (unsigned char)p[1] == 0xbc &&
		    (unsigned char)p[2] == 0x8e) {		/* ． */
			tmp[k++] = '.';
			p += 3;
		} else if (c == 0xef && e - p >= 3 && (unsigned char)p[1] == 0xbc &&
		    (unsigned char)p[2] == 0x8c) {		/* ， */
			tmp[k++] = ',';
			p += 3;
		} else if ((c >= '0' && c <= '9') || c == '.' || c == ',') {
			tmp[k++] = (char)c;
			p++;
		} else {
			if (c == '\'')
				g = 1;
			else if (e - p >= 2 && memcmp(p, "\xc2\xa0", 2) == 0)
				g = 2;				/* U+00A0 */
			else if (e - p >= 3 && (memcmp(p, "\xe2\x80\xaf", 3) ==
			    0 || memcmp(p, "\xe2\x80\x89", 3) == 0 ||
			    memcmp(p, "\xe2\x80\x99", 3) == 0))
				g = 3;			/* U+202F U+2009 ’ */
			if (g == 0 || k == 0 || tmp[k - 1] < '0' ||
			    tmp[k - 1] > '9')
				return NUM_EBAD;
			tmp[k++] = '_';
			p += g;
		}
	}
	/*
	 * The common case, ¥299.00: digits and at most one point, read as
	 * they stand unless the point may part thousands (1.299).
	 */
	if (!whole && mark != ',' && memchr(tmp, ',', k) == NULL &&
	    memchr(tmp, '_', k) == NULL) {
		const char *pt = memchr(tmp, '.', k);
		size_t after = pt != NULL ? k - (size_t)(pt - tmp) - 1 : 0;

		if (pt == NULL || (after != 3 && memchr(pt + 1, '.', after) ==
		    NULL)) {
			if (after > 0)
				*own = '.';
			if ((r = num_parse(tmp, k, scale, &x)) != NUM_OK)
				return r;
			*v = neg ? -x : x;
			return NUM_OK;
		}
	}
	if ((at = decimal_at(tmp, k, mark, own, amb)) < 0 ||
	    (whole && (size_t)at < k))
		goto bad;	/* 9,03.- is no whole amount */
	/*
	 * Digit groups before the mark: one to three digits, then groups of
	 * exactly three, all parted by one kind of separator.
	 */
	for (i = 0, j = 0, run = 0, seen = 0; i < (size_t)at; i++) {
		if (tmp[i] >= '0' && tmp[i] <= '9') {
			out[j++] = tmp[i];
			run++;
			continue;
		}
		/* Not 1,23 nor 0 299 nor 05 590: groups start 1 to 9. */
		if ((seen && (run != 3 || tmp[i] != seen)) || (!seen &&
		    (run == 0 || run > 3 || out[0] == '0')))
			goto bad;
		seen = tmp[i];
		run = 0;
	}
	if (seen && run != 3)
		goto bad;
	if ((size_t)at < k) {
		out[j++] = '.';
		for (i = (size_t)at + 1; i < k; i++) {
			if (tmp[i] < '0' || tmp[i] > '9')
				goto bad;
			out[j++] = tmp[i];
		}
		if (out[j - 1] == '.')
			j--;		/* "12." */
	}
	if ((r = num_parse(out, j, scale, &x)) != NUM_OK)
		return r;
	*v = neg ? -x : x;
	return NUM_OK;
bad:
	*own = 0;
	*amb = 0;
	return NUM_EBAD;
}

/* Whether s[0..n) holds a decimal mark, ASCII or full width (． ，). */
static int
has_mark(const char *s, size_t n)
{
	return memchr(s, '.', n) != NULL || memchr(s, ',', n) != NULL ||
	    memmem(s, n, "\xef\xbc\x8e", 3) != NULL ||
	    memmem(s, n, "\xef\xbc\x8c", 3) != NULL;
}

int
num_mark(const char *s, size_t n)
{
	int64_t v;
	int own;

	if (!has_mark(s, n))
		return 0;
	if (parse_loose(s, n, 9, 0, &own, NULL, &v) == NUM_EBAD)
		return 0;
	return own;
}

int
num_parse_loose_mark(const char *s, size_t n, int scale, int mark, int *amb,
    int64_t *v)
{
	if (amb != NULL)
		return num_parse_loose_own(s, n, scale, mark, NULL, amb, v);
	if (mark == ',' && has_mark(s, n))
		return parse_loose(s, n, scale, mark, NULL, NULL, v);
	return num_parse_loose(s, n, scale, v);
}

/*
 * The common case in one pass: -?[0-9]*(.[0-9]*)? with at least one
 * digit, at most `scale` places, and the digits before the point (leading
 * zeros too) plus `scale` at most 16, which parse_loose() would take the
 * same way: 1 and the value, with its digits and places, or 0.
 */
static inline int
parse_plain(const char *s, size_t n, int scale, int64_t *v, int *ndp,
    int *plp)
{
	size_t i;
	int64_t x;

	if (n > 0 && n <= 18 && scale >= 0 && scale <= 9) {
		uint64_t u = 0;
		int nd = 0, pl = -1;

		for (i = s[0] == '-'; i < n; i++) {
			unsigned d = (unsigned char)s[i] - '0';

			if (d <= 9) {
				u = u * 10 + d;
				nd++;
				pl += pl >= 0;
			} else if (s[i] == '.' && pl < 0)
				pl = 0;
			else
				break;
		}
		if (pl < 0)
			pl = 0;
		if (i == n && nd > 0 && pl <= scale && nd - pl + scale <= 16) {
			x = (int64_t)u * p10[scale - pl];
			*v = s[0] == '-' ? -x : x;
			*ndp = nd;
			*plp = pl;
			return 1;
		}
	}
	return 0;
}

int
num_parse_loose_own(const char *s, size_t n, int scale, int mark, int *own,
    int *amb, int64_t *v)
{
	int nd, pl, a;

	if (mark != ',' && parse_plain(s, n, scale, v, &nd, &pl)) {
		/* 1.234 as parse_loose() tells it: one to three digits. */
		a = pl == 3 && nd - pl >= 1 && nd - pl <= 3 &&
		    !(nd - pl == 1 && s[s[0] == '-'] == '0');
		if (amb != NULL)
			*amb = a;
		if (own != NULL)
			*own = !a && pl > 0 ? '.' : 0;
		return NUM_OK;
	}
	return parse_loose(s, n, scale, mark, own, amb, v);
}

int
num_parse_loose(const char *s, size_t n, int scale, int64_t *v)
{
	int nd, pl;

	if (parse_plain(s, n, scale, v, &nd, &pl))
		return NUM_OK;
	return parse_loose(s, n, scale, 0, NULL, NULL, v);
}

const char *
num_strerror(int code)
{
	switch (code) {
	case NUM_EBAD:
		return "not a number";
	case NUM_EPLACES:
		return "too many decimal places";
	case NUM_ERANGE:
		return "number too large";
	default:
		return "number error";
	}
}

int64_t
num_round_shift(int64_t v, int shift)
{
	int64_t d, q, r;

	if (shift <= 0)
		return v;
	d = p10[shift];
	q = v / d;
	r = v % d;
	if (r < 0)
		r = -r;
	if (2 * r >= d)
		q += v < 0 ? -1 : 1;
	return q;
}

int
num_mul(int64_t a, int64_t b, int64_t *r)
{
	if (__builtin_mul_overflow(a, b, r) || *r > NUM_MAX || *r < -NUM_MAX)
		return NUM_ERANGE;
	return NUM_OK;
}

/*
 * v * 10^places is prod + err exactly (fma gives the product's rounding
 * error), so its nearest integer is found without printf's arbitrary
 * precision: below 2^50 the error is under 1/8, which cannot move a
 * fraction under 1/4 across one half.  Larger values, negative ones
 * (and -0) and the rest go to printf.
 */
size_t
num_fmt_real(double v, int places, char *out)
{
	static const double tens[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
	    1e7, 1e8, 1e9 };
	double prod, err, n, t;
	int64_t k;

	if (places < 0)
		places = 0;
	if (places > 9)
		places = 9;
	if (!isfinite(v) || signbit(v) || v * tens[places] >= 0x1p50) {
		int r = snprintf(out, NUM_REAL_MAX, "%.*f", places, v);

		return r < 0 ? 0 : r < NUM_REAL_MAX ? (size_t)r :
		    NUM_REAL_MAX - 1;
	}
	prod = v * tens[places];
	err = fma(v, tens[places], -prod);
	n = floor(prod);
	t = (prod - n) - 0.5;
	t += err;
	k = (int64_t)n;
	if (t > 0 || (t == 0 && (k & 1)))
		k++;
	return num_fmt(k, places, places, out);
}

size_t
num_fmt(int64_t v, int scale, int places, char *out)
{
	char tmp[32];
	size_t n = 0, k = 0;
	uint64_t u;
	int i;

	if (places > scale)
		places = scale;
	if (places < scale)
		v = num_round_shift(v, scale - places);
	if (v < 0) {
		out[n++] = '-';
		u = (uint64_t)0 - (uint64_t)v;
	} else
		u = (uint64_t)v;
	do {
		tmp[k++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0 || (int)k <= places);
	for (i = (int)k - 1; i >= 0; i--) {
		out[n++] = tmp[i];
		if (i == places && places > 0)
			out[n++] = '.';
	}
	out[n] = '\0';
	return n;
}

size_t
money_fmt_wide(num_wide cents, char *out)
{
	num_uwide a;
	char tmp[48];
	size_t n = 0, k = 0;

	if (cents >= INT64_MIN && cents <= INT64_MAX)
		return money_fmt((int64_t)cents, out);
	a = cents < 0 ? -(num_uwide)cents : (num_uwide)cents;
	/* Digits backwards: two decimals, the point, then the rest. */
	tmp[k++] = (char)('0' + (int)(a % 10));
	a /= 10;
	tmp[k++] = (char)('0' + (int)(a % 10));
	a /= 10;
	tmp[k++] = '.';
	do {
		tmp[k++] = (char)('0' + (int)(a % 10));
		a /= 10;
	} while (a > 0);
	if (cents < 0)
		out[n++] = '-';
	while (k > 0)
		out[n++] = tmp[--k];
	out[n] = '\0';
	return n;
}
