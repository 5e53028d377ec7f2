/*
 * num: exact decimal numbers as scaled 64-bit integers.  Money is held in
 * cents (scale 2), unit prices in millionths (scale 6); sums of money are
 * integer sums, so no total ever drifts by a binary fraction.
 *
 * Parsers return 0 on success or one of the NUM_E* codes below; they read
 * exactly s[0..n) and never more.
 */
#ifndef CV_NUM_H
#define CV_NUM_H

#include <stddef.h>
#include <stdint.h>

enum {
	NUM_OK = 0,
	NUM_EBAD = -1,		/* not a number */
	NUM_EPLACES = -2,	/* more decimal places than the scale keeps */
	NUM_ERANGE = -3		/* too large */
};

/* Largest magnitude accepted, in units of the scale: 10^15 cents is 10^13. */
#define NUM_MAX INT64_C(900000000000000000)

/*
 * Strict form used in cv streams: -?[0-9]+(\.[0-9]+)?  At most `scale`
 * decimal places, except that further zeros are allowed (1.500 at scale 2).
 */
int	num_parse(const char *s, size_t n, int scale, int64_t *v);

/* Strict integer: -?[0-9]+ */
int	num_parse_int(const char *s, size_t n, int64_t *v);

/*
 * Loose form met in POS exports: surrounding blanks; full-width digits and
 * signs; a currency sign or code before or after (¥ ￥ $ £ € RMB CNY 元);
 * thousands separators (1,234.50); a decimal comma when no point is
 * present and one or two digits follow the comma (12,50); negatives as
 * -12, (12.00), 12.00- or −12.
 */
int	num_parse_loose(const char *s, size_t n, int scale, int64_t *v);
/*
 * The same with the decimal mark of the value's file: mark 0 or '.' reads
 * 2,125 as 2125 and 1.234 as 1.234, as num_parse_loose() does; ',' reads
 * them as 2.125 and 1234, and *amb (when amb is not NULL) is set to 1 for
 * such a value, whose reading the mark decided.  Values that show their
 * own mark (12,50; 1.234,50; 1,234.50; 0,125; 1,234,567; 12.50) read
 * alike with either; so do 1 234,50 and 1'234.50 (U+00A0, U+202F, U+2009
 * or an apostrophe between groups of three, the first group not starting
 * with 0) and 12.- (a whole amount).
 */
int	num_parse_loose_mark(const char *s, size_t n, int scale, int mark,
	    int *amb, int64_t *v);
/*
 * The same, and the mark the value shows whatever its file's to *own (when
 * own is not NULL), as num_mark() tells it: '.', ',' or 0.
 */
int	num_parse_loose_own(const char *s, size_t n, int scale, int mark,
	    int *own, int *amb, int64_t *v);
/*
 * The decimal mark a loose number shows whatever its file's: '.' (12.50,
 * 1,234.50, 1.2345), ',' (12,50, 1.234,50, 0,125, 1.234.567), or 0 when it
 * shows none (12, 1,234, 1.000) or is no number.
 */
int	num_mark(const char *s, size_t n);

/* Short description of a NUM_E* code, for messages. */
const char *num_strerror(int code);

/*
 * Write v at the given scale with exactly `places` decimals (places <=
 * scale; the value is rounded half away from zero when places < scale).
 * out must hold 32 bytes.  Returns the length.
 */
size_t	num_fmt(int64_t v, int scale, int places, char *out);

/*
 * Write a double with exactly `places` decimals (0 to 9; fewer are taken
 * as 0, more as 9), the same bytes as printf's "%.*f": the exact binary
 * value rounded to the nearest, ties to even.  out must hold NUM_REAL_MAX
 * bytes (DBL_MAX has 309 digits).  Returns the length.
 */
#define NUM_REAL_MAX	328
size_t	num_fmt_real(double v, int places, char *out);

/* Money: cents written with two decimals. */
static inline size_t
money_fmt(int64_t cents, char *out)
{
	return num_fmt(cents, 2, 2, out);
}

/*
 * Money that may be past the int64 range (a sum of many amounts): cents
 * with two decimals.  out must hold 48 bytes.  Returns the length.
 */
__extension__ typedef __int128 num_wide;
__extension__ typedef unsigned __int128 num_uwide;
size_t	money_fmt_wide(num_wide cents, char *out);

/*
 * Round v / 10^shift half away from zero (used to bring qty * unit price,
 * at scale 6, down to cents).
 */
int64_t	num_round_shift(int64_t v, int shift);

/* Multiply with overflow check; returns NUM_ERANGE on overflow. */
int	num_mul(int64_t a, int64_t b, int64_t *r);

#endif
