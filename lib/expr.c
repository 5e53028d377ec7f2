/*
 * expr: the rule language of expr.h.
 *
 * A source text is parsed by recursive descent straight into a tree of
 * nodes held in one array (children by index, lists chained through
 * `next`).  Each node gets a static type as it is built, so that mistakes
 * of type are reported with their position before any row is read; what
 * only the data can tell (a column value that does not read as a number)
 * is settled per row and counts as missing.
 *
 * Evaluation walks the tree with values on the C stack.  Numbers are
 * decimals: an int64 coefficient of at most 18 digits and a scale of 0..18
 * places, so every sum, product and comparison is exact integer work and
 * an overflow is caught rather than rounded away.  Conditions evaluate to
 * three values (false, true, unknown).  Text values point into the row,
 * into literals, or into per-node buffers made at compile time, so a row
 * costs no allocation.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "expr.h"
#include "re.h"
#include "utf8.h"

#define DEC_MAXSC	18
#define DEC_LIM		INT64_C(999999999999999999)	/* 18 nines */
#define MAXDEPTH	200
#define MAXTREE		4000	/* nodes on one path, for the evaluator */
#define TMPSZ		48

static const int64_t p10[DEC_MAXSC + 1] = {
	INT64_C(1), INT64_C(10), INT64_C(100), INT64_C(1000), INT64_C(10000),
	INT64_C(100000), INT64_C(1000000), INT64_C(10000000),
	INT64_C(100000000), INT64_C(1000000000), INT64_C(10000000000),
	INT64_C(100000000000), INT64_C(1000000000000),
	INT64_C(10000000000000), INT64_C(100000000000000),
	INT64_C(1000000000000000), INT64_C(10000000000000000),
	INT64_C(100000000000000000), INT64_C(1000000000000000000)
};

/* Runtime value types. */
enum { V_MISS, V_BOOL, V_NUM, V_DATE, V_STR, V_TEXT };

/*
 * V_STR is a quoted literal: it makes the other side of a comparison
 * compare as bytes.  V_TEXT is text whose type is not settled (a field, a
 * function's text result).
 */
struct val {
	int		 t;
	int		 sc;		/* V_NUM: places */
	int64_t		 i;		/* coefficient, day, or truth */
	const char	*p;		/* V_STR, V_TEXT */
	size_t		 n;
};

/* Truth values of conditions. */
enum { B_F = EXPR_FALSE, B_T = EXPR_TRUE, B_U = EXPR_UNKNOWN };

/* Static types: S_TEXT and S_ANY are settled per row. */
enum { S_BOOL, S_NUM, S_DATE, S_STR, S_TEXT, S_ANY };

enum {
	N_COL, N_LIT, N_AND, N_OR, N_NOT, N_CMP, N_IN, N_BETWEEN, N_EMPTY,
	N_MATCH, N_ARITH, N_NEG, N_CALL
};

enum { C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE };
enum { A_ADD, A_SUB, A_MUL, A_DIV, A_MOD };

struct node {
	int		 kind;
	int		 op;		/* C_*, A_*, F_*, or 1 if negated */
	int		 st;		/* static type */
	int		 a, b, c;	/* children; a is the column of N_COL */
	int		 arg, narg;	/* N_IN, N_CALL: first item, count */
	int		 next;		/* next item in an argument list */
	size_t		 off;		/* where the node starts in the source */
	struct val	 lit;
	struct re	*re;
	char		*buf;		/* lower(), upper() */
	size_t		 cap;
	struct val	*set;		/* N_IN of literals of one type, sorted */
	size_t		 nset;
	char		 tmp[TMPSZ];	/* this node's number or date as text */
};

struct expr {
	struct node	*nd;
	int		 nnd, ndcap;
	char		**pool;		/* literal texts */
	int		 npool, poolcap;
	int		 root;
	int		 asof;		/* calls an as-of function */
	long		 misfits;	/* rows unknown for a misfit value */
	char		 out[TMPSZ];
};

/* Functions. */
enum {
	F_DAYS_SINCE, F_YEAR, F_MONTH, F_DAY, F_WEEKDAY, F_AGE, F_DAYS_UNTIL_BD,
	F_LOWER, F_UPPER, F_LENGTH, F_SUBSTR, F_CONTAINS, F_STARTS_WITH,
	F_ENDS_WITH, F_ABS, F_ROUND, F_MIN, F_MAX, F_COALESCE, F_COUNT
};

/*
 * args holds one letter per argument, the last repeated for the rest:
 * d date, n number, t text, a any value.  ret is the static type of the
 * result; S_ANY for min, max and coalesce is narrowed from the arguments.
 */
static const struct func {
	const char	*name;
	int		 min, max;	/* max -1: no limit */
	const char	*args;
	int		 ret;
	int		 asof;
} funcs[F_COUNT] = {
	[F_DAYS_SINCE] =	{ "days_since", 1, 1, "d", S_NUM, 1 },
	[F_YEAR] =		{ "year", 1, 1, "d", S_NUM, 0 },
	[F_MONTH] =		{ "month", 1, 1, "d", S_NUM, 0 },
	[F_DAY] =		{ "day", 1, 1, "d", S_NUM, 0 },
	[F_WEEKDAY] =		{ "weekday", 1, 1, "d", S_NUM, 0 },
	[F_AGE] =		{ "age", 1, 1, "d", S_NUM, 1 },
	[F_DAYS_UNTIL_BD] =	{ "days_until_birthday", 1, 1, "d", S_NUM, 1 },
	[F_LOWER] =		{ "lower", 1, 1, "t", S_TEXT, 0 },
	[F_UPPER] =		{ "upper", 1, 1, "t", S_TEXT, 0 },
	[F_LENGTH] =		{ "length", 1, 1, "t", S_NUM, 0 },
	[F_SUBSTR] =		{ "substr", 2, 3, "tn", S_TEXT, 0 },
	[F_CONTAINS] =		{ "contains", 2, 2, "t", S_BOOL, 0 },
	[F_STARTS_WITH] =	{ "starts_with", 2, 2, "t", S_BOOL, 0 },
	[F_ENDS_WITH] =		{ "ends_with", 2, 2, "t", S_BOOL, 0 },
	[F_ABS] =		{ "abs", 1, 1, "n", S_NUM, 0 },
	[F_ROUND] =		{ "round", 1, 2, "n", S_NUM, 0 },
	[F_MIN] =		{ "min", 2, -1, "a", S_ANY, 0 },
	[F_MAX] =		{ "max", 2, -1, "a", S_ANY, 0 },
	[F_COALESCE] =		{ "coalesce", 2, -1, "a", S_ANY, 0 },
};

/* ---- decimals ---- */

static int
isdig(int c)
{
	return c >= '0' && c <= '9';
}

/*
 * Read -?[0-9]+(.[0-9]+)? into a coefficient and scale, keeping the places
 * as written unless the digits do not fit, in which case trailing zeros
 * of the fraction are dropped first.  Returns 0, or -1 if s[0..n) is not
 * such a number or has more than 18 significant digits.
 */
static int
dec_parse(const char *s, size_t n, int64_t *c, int *sc)
{
	size_t i = 0, is, ie, fs = 0, fe = 0;
	int64_t x = 0;
	int neg = 0, nd;

	if (n > 0 && s[0] == '-') {
		neg = 1;
		i = 1;
	}
	is = i;
	while (i < n && isdig(s[i]))
		i++;
	ie = i;
	if (ie == is)
		return -1;
	if (i < n) {
		if (s[i] != '.')
			return -1;
		fs = ++i;
		while (i < n && isdig(s[i]))
			i++;
		fe = i;
		if (i != n || fe == fs)
			return -1;
	}
	/* Leading zeros take no room in the coefficient. */
	while (is < ie && s[is] == '0')
		is++;
	nd = (int)(ie - is) + (int)(fe - fs);
	if (nd > DEC_MAXSC || fe - fs > DEC_MAXSC) {
		while (fe > fs && s[fe - 1] == '0')
			fe--;
		nd = (int)(ie - is) + (int)(fe - fs);
		if (nd > DEC_MAXSC)
			return -1;
	}
	for (i = is; i < ie; i++)
		x = x * 10 + (s[i] - '0');
	for (i = fs; i < fe; i++)
		x = x * 10 + (s[i] - '0');
	*c = neg ? -x : x;
	*sc = (int)(fe - fs);
	return 0;
}

/* v * 10^k into *r; -1 if the result leaves the 18-digit range. */
static int
dec_up(int64_t v, int k, int64_t *r)
{
	if (k > DEC_MAXSC)
		return v == 0 ? (*r = 0, 0) : -1;
	if (__builtin_mul_overflow(v, p10[k], r) || *r > DEC_LIM ||
	    *r < -DEC_LIM)
		return -1;
	return 0;
}

/* Exact comparison of a * 10^-as and b * 10^-bs. */
static int
dec_cmp(int64_t a, int as, int64_t b, int bs)
{
	int64_t x;

	/*
	 * When scaling up one side overflows, its magnitude is past anything
	 * the other side can hold, so its sign decides.
	 */
	if (as < bs) {
		if (__builtin_mul_overflow(a, p10[bs - as], &x))
			return a < 0 ? -1 : 1;
		a = x;
	} else if (bs < as) {
		if (__builtin_mul_overflow(b, p10[as - bs], &x))
			return b < 0 ? 1 : -1;
		b = x;
	}
	return (a > b) - (a < b);
}

/* Round v / 10^k half away from zero. */
static int64_t
dec_shift(int64_t v, int k)
{
	int64_t q, r;

	if (k <= 0)
		return v;
	if (k > DEC_MAXSC)
		return 0;		/* |v| < 10^18 <= 10^k / 2 */
	q = v / p10[k];
	r = v % p10[k];
	if (r < 0)
		r = -r;
	if (r >= p10[k] - r)
		q += v < 0 ? -1 : 1;
	return q;
}

/*
 * Only the result must fit in 18 digits, not the operands brought to the
 * common places (0.123456789012345678 - 1 brings 1 to 10^18).  Only one
 * operand is scaled, and the other is below 10^18, so when the scaling or
 * the sum leaves 64 bits the result is past 18 digits anyway.
 */
static int
dec_addsub(int op, const struct val *a, const struct val *b, struct val *r)
{
	int64_t x, y, s;
	int sc = a->sc > b->sc ? a->sc : b->sc;

	if (__builtin_mul_overflow(a->i, p10[sc - a->sc], &x) ||
	    __builtin_mul_overflow(b->i, p10[sc - b->sc], &y))
		return -1;
	if (op == A_SUB ? __builtin_sub_overflow(x, y, &s) :
	    __builtin_add_overflow(x, y, &s))
		return -1;
	if (s > DEC_LIM || s < -DEC_LIM)
		return -1;
	r->i = s;
	r->sc = sc;
	return 0;
}

static int
dec_mul(const struct val *a, const struct val *b, struct val *r)
{
	int64_t x;
	int sc = a->sc + b->sc, keep = a->sc > b->sc ? a->sc : b->sc;

	if (__builtin_mul_overflow(a->i, b->i, &x))
		return -1;
	if (sc > DEC_MAXSC) {
		x = dec_shift(x, sc - DEC_MAXSC);
		sc = DEC_MAXSC;
	}
	/* Give up places the operands did not have before giving up. */
	while ((x > DEC_LIM || x < -DEC_LIM) && sc > keep) {
		x = dec_shift(x, 1);
		sc--;
	}
	if (x > DEC_LIM || x < -DEC_LIM)
		return -1;
	r->i = x;
	r->sc = sc;
	return 0;
}

/*
 * a / b by long division, so that no intermediate value needs more than
 * 64 bits: digits are produced one place at a time until the target
 * scale, or until one more would leave the 18-digit range.
 */
static int
dec_div(const struct val *a, const struct val *b, struct val *r)
{
	uint64_t A, B, q, rem;
	int keep = a->sc > b->sc ? a->sc : b->sc;
	int target = keep + 6, k, i, sc, neg;
	int64_t v;

	if (b->i == 0)
		return -1;
	if (target > DEC_MAXSC)
		target = DEC_MAXSC;
	neg = (a->i < 0) != (b->i < 0);
	A = a->i < 0 ? (uint64_t)0 - (uint64_t)a->i : (uint64_t)a->i;
	B = b->i < 0 ? (uint64_t)0 - (uint64_t)b->i : (uint64_t)b->i;
	/* q after i steps holds the quotient at scale a->sc - b->sc + i. */
	k = target - a->sc + b->sc;
	q = A / B;
	rem = A % B;
	for (i = 0; i < k; i++) {
		if (q > (uint64_t)DEC_LIM / 10)
			break;
		rem *= 10;		/* rem < B < 10^18: no overflow */
		q = q * 10 + rem / B;
		rem %= B;
	}
	if (rem >= B - rem)
		q++;
	if (q > (uint64_t)DEC_LIM)
		return -1;
	sc = a->sc - b->sc + i;
	v = (int64_t)q;
	if (sc < 0) {
		if (dec_up(v, -sc, &v) < 0)
			return -1;
		sc = 0;
	}
	while (sc > keep && v % 10 == 0) {
		v /= 10;
		sc--;
	}
	r->i = neg ? -v : v;
	r->sc = sc;
	return 0;
}

/*
 * a % b at the larger number of places, with the dividend's sign.  The
 * remainder is smaller than both operands, so it always fits; only the
 * way there is long.  A dividend brought to more places is reduced a place
 * at a time ((m * 10) % y, below 10^19 in 64 unsigned bits); a divisor
 * brought past 64 bits is larger than the dividend, which is then the
 * remainder.
 */
static int
dec_mod(const struct val *a, const struct val *b, struct val *r)
{
	uint64_t x, y, m;
	int sc = a->sc > b->sc ? a->sc : b->sc, k;

	if (b->i == 0)
		return -1;
	x = a->i < 0 ? (uint64_t)0 - (uint64_t)a->i : (uint64_t)a->i;
	y = b->i < 0 ? (uint64_t)0 - (uint64_t)b->i : (uint64_t)b->i;
	if (__builtin_mul_overflow(y, (uint64_t)p10[sc - b->sc], &y))
		m = x;
	else {
		m = x % y;
		for (k = a->sc; k < sc; k++)
			m = m * 10 % y;
	}
	r->i = a->i < 0 ? -(int64_t)m : (int64_t)m;
	r->sc = sc;
	return 0;
}

/* Write c * 10^-sc into out (TMPSZ bytes); returns the length. */
static size_t
dec_fmt(int64_t c, int sc, char *out)
{
	char tmp[24];
	uint64_t u;
	size_t n = 0;
	int k = 0;

	if (c < 0) {
		out[n++] = '-';
		u = (uint64_t)0 - (uint64_t)c;
	} else
		u = (uint64_t)c;
	do {
		tmp[k++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0 || k <= sc);
	while (k > 0) {
		out[n++] = tmp[--k];
		if (k == sc && sc > 0)
			out[n++] = '.';
	}
	out[n] = '\0';
	return n;
}

/* ---- values ---- */

static int
istext(const struct val *v)
{
	return v->t == V_TEXT || v->t == V_STR;
}

static int
as_num(const struct val *v, int64_t *c, int *sc)
{
	if (v->t == V_NUM) {
		*c = v->i;
		*sc = v->sc;
		return 0;
	}
	if (istext(v))
		return dec_parse(v->p, v->n, c, sc);
	return -1;
}

/* A whole number (1, 1.00) as a plain integer. */
static int
as_int(const struct val *v, int64_t *r)
{
	int64_t c;
	int sc;

	if (as_num(v, &c, &sc) < 0 || c % p10[sc] != 0)
		return -1;
	*r = c / p10[sc];
	return 0;
}

/* A date, or text read as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS. */
static int
as_day(const struct val *v, int32_t *day)
{
	int64_t ts;

	if (v->t == V_DATE) {
		*day = (int32_t)v->i;
		return 0;
	}
	if (!istext(v))
		return -1;
	if (v->n == 10)
		return date_parse(v->p, v->n, day) == 0 ? 0 : -1;
	if (v->n == 19 && ts_parse(v->p, v->n, &ts) == 0) {
		*day = ts_day(ts);
		return 0;
	}
	return -1;
}

/* A day stays in the years date.h can write. */
static int
day_ok(int64_t d)
{
	return d >= day_from_civil(1, 1, 1) && d <= day_from_civil(9999, 12, 31);
}

/*
 * Text of any value; numbers and dates are written into tmp (TMPSZ
 * bytes).  Returns -1 for a missing value.
 */
static int
textof(const struct val *v, char *tmp, const char **p, size_t *n)
{
	switch (v->t) {
	case V_STR:
	case V_TEXT:
		*p = v->p;
		*n = v->n;
		return 0;
	case V_NUM:
		*n = dec_fmt(v->i, v->sc, tmp);
		*p = tmp;
		return 0;
	case V_DATE:
		*n = date_fmt((int32_t)v->i, tmp);
		*p = tmp;
		return 0;
	case V_BOOL:
		*p = v->i ? "true" : "false";
		*n = strlen(*p);
		return 0;
	default:
		return -1;
	}
}

static int
bytecmp(const struct val *a, const struct val *b)
{
	size_t n = a->n < b->n ? a->n : b->n;
	int r = n > 0 ? memcmp(a->p, b->p, n) : 0;

	if (r != 0)
		return r < 0 ? -1 : 1;
	return (a->n > b->n) - (a->n < b->n);
}

/*
 * Compare two values that are not missing, by the typing rules of
 * expr.h.  Returns -1, 0 or 1, or 2 when they cannot be compared.
 */
static int
cmpv(const struct val *a, const struct val *b)
{
	int64_t x, y;
	int xs, ys;
	int32_t d, e;

	if (a->t == V_TEXT && b->t == V_TEXT) {
		if (dec_parse(a->p, a->n, &x, &xs) == 0 &&
		    dec_parse(b->p, b->n, &y, &ys) == 0)
			return dec_cmp(x, xs, y, ys);
		return bytecmp(a, b);
	}
	if (a->t == V_STR || b->t == V_STR)
		return istext(a) && istext(b) ? bytecmp(a, b) : 2;
	if (a->t == V_NUM || b->t == V_NUM) {
		if (as_num(a, &x, &xs) < 0 || as_num(b, &y, &ys) < 0)
			return 2;
		return dec_cmp(x, xs, y, ys);
	}
	if (a->t == V_DATE || b->t == V_DATE) {
		if (as_day(a, &d) < 0 || as_day(b, &e) < 0)
			return 2;
		return (d > e) - (d < e);
	}
	if (a->t == V_BOOL && b->t == V_BOOL)
		return (a->i > b->i) - (a->i < b->i);
	return 2;
}

/*
 * The items of an "in" list that are all literals of one type (quoted
 * text, numbers or dates) are kept sorted, so that a row costs one reading
 * of the value and a binary search instead of a cmpv() per item.  The
 * order is cmpv()'s for such items: bytes, exact value, day.
 */
static int
setcmp(int t, const struct val *a, const struct val *b)
{
	if (t == V_STR)
		return bytecmp(a, b);
	if (t == V_NUM)
		return dec_cmp(a->i, a->sc, b->i, b->sc);
	return (a->i > b->i) - (a->i < b->i);
}

static int
setcmp_str(const void *a, const void *b)
{
	return setcmp(V_STR, a, b);
}

static int
setcmp_num(const void *a, const void *b)
{
	return setcmp(V_NUM, a, b);
}

static int
setcmp_day(const void *a, const void *b)
{
	return setcmp(V_DATE, a, b);
}

/*
 * x read once as cmpv(x, item) reads it against every item of type t, into
 * *k; -1 when cmpv() would find x and such items not comparable.  That
 * depends on x and t only, never on the item: a quoted item meets only
 * text (as bytes); a number meets a number, or text that reads as one; a
 * date meets a date, or text that reads as one.
 */
static int
setkey(int t, const struct val *x, struct val *k)
{
	int32_t d;

	if (t == V_STR) {
		if (!istext(x))
			return -1;
		*k = *x;
		return 0;
	}
	if (x->t == V_STR)
		return -1;
	k->t = t;
	if (t == V_NUM)
		return as_num(x, &k->i, &k->sc);
	if (as_day(x, &d) < 0)
		return -1;
	k->i = d;
	return 0;
}

/* 1 if the set of node nd holds an item that cmpv() finds equal to k. */
static int
setfind(const struct node *nd, const struct val *k)
{
	size_t lo = 0, hi = nd->nset, mid;
	int t = nd->set[0].t, c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = setcmp(t, &nd->set[mid], k);
		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Text in arithmetic: a number if it reads as one, else a date. */
static void
settle(struct val *v)
{
	int32_t d;

	if (!istext(v))
		return;
	if (dec_parse(v->p, v->n, &v->i, &v->sc) == 0)
		v->t = V_NUM;
	else if (as_day(v, &d) == 0) {
		v->t = V_DATE;
		v->i = d;
	}
}

static void
arith(int op, struct val *a, struct val *b, struct val *r)
{
	int64_t days;
	int rc = -1;

	r->t = V_MISS;
	if (a->t == V_MISS || b->t == V_MISS)
		return;
	settle(a);
	settle(b);
	if (a->t == V_NUM && b->t == V_NUM) {
		switch (op) {
		case A_ADD:
		case A_SUB:
			rc = dec_addsub(op, a, b, r);
			break;
		case A_MUL:
			rc = dec_mul(a, b, r);
			break;
		case A_DIV:
			rc = dec_div(a, b, r);
			break;
		default:
			rc = dec_mod(a, b, r);
			break;
		}
		if (rc == 0)
			r->t = V_NUM;
		return;
	}
	if (a->t == V_DATE && b->t == V_DATE && op == A_SUB) {
		r->t = V_NUM;
		r->i = a->i - b->i;
		r->sc = 0;
		return;
	}
	if (a->t == V_NUM && b->t == V_DATE && op == A_ADD) {
		struct val *t = a;

		a = b;
		b = t;
	}
	if (a->t == V_DATE && b->t == V_NUM && (op == A_ADD || op == A_SUB) &&
	    as_int(b, &days) == 0) {
		days = op == A_ADD ? a->i + days : a->i - days;
		if (day_ok(days)) {
			r->t = V_DATE;
			r->i = days;
		}
	}
}

/* ---- evaluation ---- */

/*
 * misfit: after a node is evaluated to missing or unknown, whether that
 * is for a value that was there but could not be used as needed (text for
 * a number or date, a division by zero, an overflow) rather than for a
 * missing one.  Every node that comes out missing or unknown leaves it
 * right for itself: a leaf clears it, a node whose child's missing value
 * passes up keeps the child's, and "and", "or", "in" and coalesce() keep
 * it only from the operands that left them unknown.  A row left unknown
 * for a misfit is counted for a warning.
 */
struct run {
	struct expr		*e;
	const struct tsv_field	*row;
	int32_t			 asof;
	int			 misfit;
};

/* A misfit, unless v (when given) is missing: then v's own flag stands. */
static void
misfit(struct run *r, const struct val *v)
{
	if (v == NULL || v->t != V_MISS)
		r->misfit = 1;
}

static int	evb(struct run *, int);
static void	evv(struct run *, int, struct val *);

static void
setnum(struct val *v, int64_t i)
{
	v->t = V_NUM;
	v->i = i;
	v->sc = 0;
}

/* Evaluate argument node i as text; -1 if missing. */
static int
argtext(struct run *r, int i, const char **p, size_t *n)
{
	struct val v;

	evv(r, i, &v);
	if (textof(&v, r->e->nd[i].tmp, p, n) < 0 || *n == 0)
		return -1;
	return 0;
}

static int
argday(struct run *r, int i, int32_t *day)
{
	struct val v;

	evv(r, i, &v);
	if (v.t == V_MISS)
		return -1;
	if (as_day(&v, day) < 0) {
		misfit(r, NULL);
		return -1;
	}
	return 0;
}

/*
 * A birthday: a date, or --MM-DD for one without a year (cv-ingest writes
 * those); *by is 0 when the year is not known.
 */
static int
argbday(struct run *r, int i, int *by, int *bm, int *bd)
{
	struct val v;
	const char *p;
	size_t n;
	int32_t day;

	evv(r, i, &v);
	if (v.t == V_MISS)
		return -1;
	if (textof(&v, r->e->nd[i].tmp, &p, &n) == 0 && n == 7 &&
	    p[0] == '-' && p[1] == '-' && p[4] == '-' &&
	    p[2] >= '0' && p[2] <= '9' && p[3] >= '0' && p[3] <= '9' &&
	    p[5] >= '0' && p[5] <= '9' && p[6] >= '0' && p[6] <= '9') {
		*bm = (p[2] - '0') * 10 + (p[3] - '0');
		*bd = (p[5] - '0') * 10 + (p[6] - '0');
		*by = 0;
		if (!date_valid(2000, *bm, *bd)) {
			misfit(r, NULL);
			return -1;
		}
		return 0;
	}
	if (as_day(&v, &day) < 0) {
		misfit(r, NULL);
		return -1;
	}
	civil_from_day(day, by, bm, bd);
	return 0;
}

static int
isleap(int y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

/* The day of the birthday (bm, bd) in year y: 29 Feb is 28 Feb when y is
 * a common year. */
static int32_t
bday_in(int y, int bm, int bd)
{
	if (bm == 2 && bd == 29 && !isleap(y))
		bd = 28;
	return day_from_civil(y, bm, bd);
}

/* Byte offset of character k (0-based) in p[0..n), or n. */
static size_t
utf8_skip(const char *p, size_t n, int64_t k)
{
	size_t i = 0;

	while (i < n && k > 0) {
		i++;
		while (i < n && ((unsigned char)p[i] & 0xc0) == 0x80)
			i++;
		k--;
	}
	return i;
}

static void
call(struct run *r, int i, struct val *v)
{
	struct node *nd = &r->e->nd[i];
	int a0 = nd->arg, a1, a2, y, m, d, by, bm, bd, j;
	int64_t c, s, k;
	int sc, cmp;
	int32_t day, t;
	const char *p;
	size_t n, o, e;
	struct val w;

	v->t = V_MISS;
	r->misfit = 0;
	a1 = a0 >= 0 ? r->e->nd[a0].next : -1;
	a2 = a1 >= 0 ? r->e->nd[a1].next : -1;
	switch (nd->op) {
	case F_DAYS_SINCE:
		if (r->asof != DAY_NONE && argday(r, a0, &day) == 0)
			setnum(v, (int64_t)r->asof - day);
		break;
	case F_YEAR:
	case F_MONTH:
	case F_DAY:
		/* A birthday without its year (--MM-DD) has a month and day. */
		if (argbday(r, a0, &y, &m, &d) == 0 &&
		    (nd->op != F_YEAR || y != 0))
			setnum(v, nd->op == F_YEAR ? y :
			    nd->op == F_MONTH ? m : d);
		break;
	case F_WEEKDAY:
		if (argday(r, a0, &day) == 0)
			setnum(v, day_weekday(day) + 1);
		break;
	case F_AGE:
		if (r->asof == DAY_NONE || argbday(r, a0, &by, &bm, &bd) < 0 ||
		    by == 0 || day_from_civil(by, bm, bd) > r->asof)
			break;
		civil_from_day(r->asof, &y, &m, &d);
		setnum(v, y - by - (r->asof < bday_in(y, bm, bd)));
		break;
	case F_DAYS_UNTIL_BD:
		if (r->asof == DAY_NONE || argbday(r, a0, &by, &bm, &bd) < 0)
			break;
		civil_from_day(r->asof, &y, &m, &d);
		t = bday_in(y, bm, bd);
		if (t < r->asof)
			t = bday_in(y + 1, bm, bd);
		setnum(v, (int64_t)t - r->asof);
		break;
	case F_LOWER:
	case F_UPPER:
		if (argtext(r, a0, &p, &n) < 0)
			break;
		if (n > nd->cap) {
			/* Grows only for a longer value than any before. */
			nd->cap = n + n / 2;
			nd->buf = xrealloc(nd->buf, nd->cap);
		}
		for (o = 0; o < n; o++) {
			char ch = p[o];

			if (nd->op == F_LOWER && ch >= 'A' && ch <= 'Z')
				ch = (char)(ch - 'A' + 'a');
			else if (nd->op == F_UPPER && ch >= 'a' && ch <= 'z')
				ch = (char)(ch - 'a' + 'A');
			nd->buf[o] = ch;
		}
		v->t = V_TEXT;
		v->p = nd->buf;
		v->n = n;
		break;
	case F_LENGTH:
		if (argtext(r, a0, &p, &n) == 0)
			setnum(v, (int64_t)utf8_len(p, n));
		break;
	case F_SUBSTR:
		if (argtext(r, a0, &p, &n) < 0)
			break;
		evv(r, a1, &w);
		if (as_int(&w, &s) < 0 || s < 1) {
			misfit(r, &w);
			break;
		}
		o = utf8_skip(p, n, s - 1);
		e = n;
		if (a2 >= 0) {
			evv(r, a2, &w);
			if (as_int(&w, &k) < 0 || k < 0) {
				misfit(r, &w);
				break;
			}
			e = o + utf8_skip(p + o, n - o, k);
		}
		if (e > o) {
			v->t = V_TEXT;
			v->p = p + o;
			v->n = e - o;
		}
		break;
	case F_ABS:
		evv(r, a0, &w);
		if (as_num(&w, &c, &sc) == 0) {
			v->t = V_NUM;
			v->i = c < 0 ? -c : c;
			v->sc = sc;
		} else
			misfit(r, &w);
		break;
	case F_ROUND:
		evv(r, a0, &w);
		if (as_num(&w, &c, &sc) < 0) {
			misfit(r, &w);
			break;
		}
		k = 0;
		if (a1 >= 0) {
			evv(r, a1, &w);
			if (as_int(&w, &k) < 0 || k < -DEC_MAXSC ||
			    k > DEC_MAXSC) {
				misfit(r, &w);
				break;
			}
		}
		if (k >= sc) {
			/* Nothing to round: more places only where they fit. */
			int64_t up;

			if (dec_up(c, (int)k - sc, &up) < 0)
				k = sc;
			else
				c = up;
		} else if (k >= 0)
			c = dec_shift(c, sc - (int)k);
		else if (dec_up(dec_shift(c, sc - (int)k), (int)-k, &c) < 0) {
			misfit(r, NULL);
			break;
		}
		v->t = V_NUM;
		v->i = c;
		v->sc = k > 0 ? (int)k : 0;
		break;
	case F_MIN:
	case F_MAX:
		for (j = a0; j >= 0; j = r->e->nd[j].next) {
			evv(r, j, &w);
			if (w.t == V_MISS) {
				v->t = V_MISS;
				break;
			}
			/* A literal's text is text like a field's here. */
			if (w.t == V_STR)
				w.t = V_TEXT;
			if (j == a0) {
				*v = w;
				continue;
			}
			cmp = cmpv(&w, v);
			if (cmp == 2) {
				misfit(r, NULL);
				v->t = V_MISS;
				break;
			}
			if ((nd->op == F_MIN && cmp < 0) ||
			    (nd->op == F_MAX && cmp > 0))
				*v = w;
		}
		break;
	case F_COALESCE:
		cmp = 0;	/* a missing argument was a misfit */
		for (j = a0; j >= 0; j = r->e->nd[j].next) {
			evv(r, j, v);
			if (v->t != V_MISS)
				break;
			cmp |= r->misfit;
		}
		if (v->t == V_MISS)
			r->misfit = cmp;
		if (v->t == V_STR)
			v->t = V_TEXT;	/* as min() and max() give it */
		break;
	}
}

/* contains(), starts_with(), ends_with() */
static int
callb(struct run *r, int i)
{
	struct node *nd = &r->e->nd[i];
	int a1 = r->e->nd[nd->arg].next;
	const char *p, *q;
	size_t n, m;

	r->misfit = 0;
	if (argtext(r, nd->arg, &p, &n) < 0 || argtext(r, a1, &q, &m) < 0)
		return B_U;
	if (m > n)
		return B_F;
	switch (nd->op) {
	case F_CONTAINS:
		return memmem(p, n, q, m) != NULL;
	case F_STARTS_WITH:
		return memcmp(p, q, m) == 0;
	default:
		return memcmp(p + n - m, q, m) == 0;
	}
}

static int
notb(int b)
{
	return b == B_U ? B_U : !b;
}

static int
cmpop(int op, int c)
{
	switch (op) {
	case C_EQ:
		return c == 0;
	case C_NE:
		return c != 0;
	case C_LT:
		return c < 0;
	case C_LE:
		return c <= 0;
	case C_GT:
		return c > 0;
	default:
		return c >= 0;
	}
}

static int
evb(struct run *r, int i)
{
	struct node *nd = &r->e->nd[i];
	struct val x, y, z;
	const char *p;
	size_t n;
	int a, b, c, j, unk;

	switch (nd->kind) {
	case N_LIT:
		r->misfit = 0;
		return nd->lit.t == V_BOOL ? (int)nd->lit.i : B_U;
	case N_AND:
	case N_OR:
		/* Decided by a: false for and, true for or. */
		c = nd->kind == N_AND ? B_F : B_T;
		if ((a = evb(r, nd->a)) == c)
			return c;
		unk = a == B_U && r->misfit;
		if ((b = evb(r, nd->b)) == c)
			return c;
		if (a != B_U && b != B_U)
			return !c;
		r->misfit = unk || (b == B_U && r->misfit);
		return B_U;
	case N_NOT:
		return notb(evb(r, nd->a));
	case N_CMP:
		evv(r, nd->a, &x);
		if (x.t == V_MISS)
			return B_U;
		evv(r, nd->b, &y);
		if (y.t == V_MISS)
			return B_U;
		if ((c = cmpv(&x, &y)) == 2) {
			misfit(r, NULL);
			return B_U;
		}
		return cmpop(nd->op, c);
	case N_IN:
		evv(r, nd->a, &x);
		if (x.t == V_MISS)
			return B_U;
		if (nd->set != NULL) {
			/* As the loop below would find, item by item. */
			r->misfit = 0;
			if (setkey(nd->set[0].t, &x, &y) < 0) {
				r->misfit = 1;
				b = B_U;
			} else
				b = setfind(nd, &y) ? B_T : B_F;
			return nd->op ? notb(b) : b;
		}
		unk = 0;
		a = 0;	/* an unknown item was a misfit */
		for (j = nd->arg; j >= 0; j = r->e->nd[j].next) {
			evv(r, j, &y);
			if (y.t == V_MISS) {
				unk = 1;
				a |= r->misfit;
			} else if ((c = cmpv(&x, &y)) == 2) {
				unk = 1;
				a = 1;
			} else if (c == 0)
				return nd->op ? B_F : B_T;
		}
		r->misfit = a;
		b = unk ? B_U : B_F;
		return nd->op ? notb(b) : b;
	case N_BETWEEN:
		evv(r, nd->a, &x);
		if (x.t == V_MISS)
			return B_U;
		evv(r, nd->b, &y);
		a = y.t == V_MISS && r->misfit;
		evv(r, nd->c, &z);
		if (y.t == V_MISS || z.t == V_MISS) {
			r->misfit = a || (z.t == V_MISS && r->misfit);
			return B_U;
		}
		if ((a = cmpv(&x, &y)) == 2 || (b = cmpv(&x, &z)) == 2) {
			misfit(r, NULL);
			return B_U;
		}
		c = a >= 0 && b <= 0;
		return nd->op ? !c : c;
	case N_EMPTY:
		evv(r, nd->a, &x);
		return (x.t == V_MISS) != nd->op;
	case N_MATCH:
		evv(r, nd->a, &x);
		if (textof(&x, nd->tmp, &p, &n) < 0)
			return B_U;
		if ((c = re_match(nd->re, p, n)) < 0) {
			misfit(r, NULL);
			return B_U;
		}
		return nd->op ? !c : c;
	case N_CALL:
		return callb(r, i);
	default:
		return B_U;
	}
}

static void
evv(struct run *r, int i, struct val *v)
{
	struct node *nd = &r->e->nd[i];
	const struct tsv_field *f;
	struct val x, y;
	int b;

	switch (nd->kind) {
	case N_COL:
		r->misfit = 0;
		f = &r->row[nd->a];
		if (f->n == 0)
			v->t = V_MISS;
		else {
			v->t = V_TEXT;
			v->p = f->p;
			v->n = f->n;
		}
		return;
	case N_LIT:
		r->misfit = 0;
		*v = nd->lit;
		return;
	case N_ARITH:
		evv(r, nd->a, &x);
		if (x.t == V_MISS) {
			v->t = V_MISS;
			return;
		}
		evv(r, nd->b, &y);
		arith(nd->op, &x, &y, v);
		if (v->t == V_MISS && y.t != V_MISS)
			misfit(r, NULL);
		return;
	case N_NEG:
		evv(r, nd->a, &x);
		settle(&x);
		if (x.t == V_NUM) {
			v->t = V_NUM;
			v->i = -x.i;
			v->sc = x.sc;
		} else {
			misfit(r, &x);
			v->t = V_MISS;
		}
		return;
	case N_CALL:
		if (nd->st != S_BOOL) {
			call(r, i, v);
			return;
		}
		break;
	default:
		break;
	}
	/* A condition used as a value. */
	b = evb(r, i);
	if (b == B_U)
		v->t = V_MISS;
	else {
		v->t = V_BOOL;
		v->i = b;
	}
}

static void
runinit(struct run *r, struct expr *e, const struct tsv_field *row,
    const struct expr_ctx *ctx)
{
	r->e = e;
	r->row = row;
	r->asof = ctx != NULL ? ctx->asof : DAY_NONE;
	r->misfit = 0;
}

int
expr_truth(struct expr *e, const struct tsv_field *row,
    const struct expr_ctx *ctx)
{
	struct run r;

	int b;

	runinit(&r, e, row, ctx);
	if (e->nd[e->root].st != S_BOOL)
		return EXPR_UNKNOWN;
	b = evb(&r, e->root);
	if (b == B_U && r.misfit)
		e->misfits++;
	return b;
}

int
expr_test(struct expr *e, const struct tsv_field *row,
    const struct expr_ctx *ctx)
{
	return expr_truth(e, row, ctx) == EXPR_TRUE;
}

int
expr_value(struct expr *e, const struct tsv_field *row,
    const struct expr_ctx *ctx, const char **p, size_t *n)
{
	struct run r;
	struct val v;

	runinit(&r, e, row, ctx);
	evv(&r, e->root, &v);
	if (v.t == V_MISS && r.misfit)
		e->misfits++;
	if (textof(&v, e->out, p, n) < 0 || *n == 0) {
		*p = "";
		*n = 0;
		return 0;
	}
	return 1;
}

long
expr_misfits(const struct expr *e)
{
	return e->misfits;
}

int
expr_is_cond(const struct expr *e)
{
	return e->nd[e->root].st == S_BOOL;
}

int
expr_is_true(const struct expr *e)
{
	const struct node *nd = &e->nd[e->root];

	return nd->kind == N_LIT && nd->lit.t == V_BOOL && nd->lit.i == 1;
}

int
expr_uses_asof(const struct expr *e)
{
	return e->asof;
}

void
expr_free(struct expr *e)
{
	int i;

	if (e == NULL)
		return;
	for (i = 0; i < e->nnd; i++) {
		re_free(e->nd[i].re);
		free(e->nd[i].buf);
		free(e->nd[i].set);
	}
	for (i = 0; i < e->npool; i++)
		free(e->pool[i]);
	free(e->pool);
	free(e->nd);
	free(e);
}

void
expr_warn(const char *file, const struct expr_error *err)
{
	const char *f = file != NULL ? file : "";
	const char *sep = file != NULL ? ": " : "";

	if (err->e.line > 0 && err->col > 0)
		cv_warnx("%s:%ld:%ld: %s", f, err->e.line, err->col, err->e.msg);
	else if (err->e.line > 0)
		cv_warnx("%s:%ld: %s", f, err->e.line, err->e.msg);
	else
		cv_warnx("%s%s%s", f, sep, err->e.msg);
}

/* ---- lexer ---- */

enum {
	T_EOF, T_ERR, T_NUM, T_STR, T_DATE, T_IDENT, T_QIDENT, T_LP, T_RP,
	T_COMMA, T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_MATCH, T_NMATCH,
	T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PCT
};

struct tok {
	int		 t;
	size_t		 off, len;	/* the token in the source */
	int64_t		 num;		/* T_NUM coefficient, T_DATE day */
	int		 sc;
	const char	*s;		/* T_IDENT: in the source; T_STR, */
	size_t		 n;		/* T_QIDENT: unescaped, in the pool */
};

struct parser {
	const char	*src;
	size_t		 len, pos;
	long		 line0, col0;
	struct tok	 tok, nxt, prev;
	int		 havenxt;
	struct expr	*e;
	const char *const *cols;
	int		 ncol;
	int		 anycol;	/* EXPR_ANYCOL */
	struct expr_error *err;
	int		 depth;
	int		 failed;
};

static int	fail(struct parser *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static int
fail(struct parser *p, size_t off, const char *fmt, ...)
{
	va_list ap;
	long line = p->line0, col = 1;
	size_t i, ls = 0;

	if (p->failed)
		return -1;	/* the first error is the one to fix */
	p->failed = 1;
	for (i = 0; i < off && i < p->len; i++)
		if (p->src[i] == '\n') {
			line++;
			ls = i + 1;
		}
	col += (long)utf8_len(p->src + ls, off - ls);
	if (line == p->line0)
		col += p->col0 - 1;
	p->err->e.status = EX_USAGE;
	p->err->e.line = line;
	p->err->col = col;
	va_start(ap, fmt);
	vsnprintf(p->err->e.msg, sizeof(p->err->e.msg), fmt, ap);
	va_end(ap);
	return -1;
}

static const char *
q(char *buf, const char *s, size_t n)
{
	return cv_quote(buf, CV_QUOTE_MAX, s, n);
}

static char *
pool_add(struct expr *e, const char *s, size_t n)
{
	char *t = xmalloc(n + 1);

	memcpy(t, s, n);
	t[n] = '\0';
	if (e->npool == e->poolcap) {
		e->poolcap = e->poolcap ? 2 * e->poolcap : 8;
		e->pool = xreallocarray(e->pool, (size_t)e->poolcap,
		    sizeof(*e->pool));
	}
	e->pool[e->npool++] = t;
	return t;
}

static int
isalpha_(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int
isalnum_(int c)
{
	return isalpha_(c) || isdig(c);
}

/* Full-width forms an input method slips in, and what was meant. */
static const struct {
	const char	*fw, *ascii;
} fullwidth[] = {
	{ "\xef\xbc\x88", "(" }, { "\xef\xbc\x89", ")" },
	{ "\xef\xbc\x8c", "," }, { "\xef\xbc\x9d", "=" },
	{ "\xef\xbc\x9e", ">" }, { "\xef\xbc\x9c", "<" },
	{ "\xef\xbc\x81", "!" }, { "\xef\xbd\x9e", "~" },
	{ "\xef\xbc\x8a", "*" }, { "\xef\xbc\x8b", "+" },
	{ "\xef\xbc\x8d", "-" }, { "\xef\xbc\x8f", "/" },
	{ "\xef\xbc\x85", "%" }, { "\xef\xbc\x9a", ":" },
	{ "\xe2\x80\x98", "'" }, { "\xe2\x80\x99", "'" },
	{ "\xe2\x80\x9c", "\"" }, { "\xe2\x80\x9d", "\"" },
	{ "\xe3\x80\x80", "a space" },
};

static int
badchar(struct parser *p, size_t i)
{
	const char *s = p->src + i;
	char b1[CV_QUOTE_MAX];
	size_t n = 1, k;

	if ((unsigned char)*s >= 0xc0)
		while (i + n < p->len && ((unsigned char)s[n] & 0xc0) == 0x80)
			n++;
	for (k = 0; k < sizeof(fullwidth) / sizeof(fullwidth[0]); k++)
		if (strlen(fullwidth[k].fw) == n &&
		    memcmp(fullwidth[k].fw, s, n) == 0)
			return fail(p, i, "unexpected '%s': a full-width "
			    "character, write %s%s%s instead", q(b1, s, n),
			    fullwidth[k].ascii[1] ? "" : "'",
			    fullwidth[k].ascii, fullwidth[k].ascii[1] ? "" : "'");
	if ((unsigned char)*s >= 0x80) {
		/* Show the whole word: `金额`, not `金`. */
		while (i + n < p->len && ((unsigned char)s[n] >= 0x80 ||
		    isalnum_(s[n])))
			n++;
		return fail(p, i, "unexpected '%s' (put a column name that is "
		    "not plain ASCII in backquotes: `%s`)", q(b1, s, n),
		    q(b1, s, n));
	}
	if (*s == '!')
		return fail(p, i, "unexpected '!' (write 'not', '!=' or '!~')");
	if (*s == '.' && i + 1 < p->len && isdig(s[1]))
		return fail(p, i, "unexpected '.' (write 0.5, not .5)");
	if (*s == '&' || *s == '|')
		return fail(p, i, "unexpected '%c' (write 'and' or 'or')", *s);
	return fail(p, i, "unexpected '%s'", q(b1, s, n));
}

/* A quoted string or `name` starting at i; the quote is s[i]. */
static int
lexquoted(struct parser *p, struct tok *t, size_t i)
{
	const char *s = p->src;
	char qc = s[i], *buf;
	size_t j, k = 0;

	for (j = i + 1;; j++) {
		if (j >= p->len || s[j] == '\n' || s[j] == '\r' || s[j] == '\0')
			return fail(p, i, qc == '`' ? "unterminated `name`" :
			    "unterminated string");
		if (s[j] == qc)
			break;
		if (s[j] == '\\' && j + 1 < p->len && (s[j + 1] == '\\' ||
		    s[j + 1] == '\'' || s[j + 1] == '"' || s[j + 1] == '`'))
			j++;
		k++;
	}
	t->len = j + 1 - i;
	/* Copy as written, then drop the escaping backslashes in place. */
	buf = pool_add(p->e, s + i + 1, j - i - 1);
	for (j = 0, k = 0; buf[j] != '\0'; j++) {
		if (buf[j] == '\\' && (buf[j + 1] == '\\' ||
		    buf[j + 1] == '\'' || buf[j + 1] == '"' || buf[j + 1] == '`'))
			j++;
		buf[k++] = buf[j];
	}
	buf[k] = '\0';
	t->t = qc == '`' ? T_QIDENT : T_STR;
	t->s = buf;
	t->n = k;
	return t->t;
}

static int
lexnum(struct parser *p, struct tok *t, size_t i)
{
	const char *s = p->src;
	size_t j = i, k, n = p->len;
	int32_t day;
	char b1[CV_QUOTE_MAX];

	while (j < n && isdig(s[j]))
		j++;
	/* digits-digits-digits is a date. */
	if (j + 1 < n && s[j] == '-' && isdig(s[j + 1])) {
		k = j + 1;
		while (k < n && isdig(s[k]))
			k++;
		if (k + 1 < n && s[k] == '-' && isdig(s[k + 1])) {
			k++;
			while (k < n && (isalnum_(s[k]) || s[k] == '-'))
				k++;
			if (date_parse(s + i, k - i, &day) != 0)
				return fail(p, i, "bad date '%s' (write a real "
				    "day as YYYY-MM-DD)", q(b1, s + i, k - i));
			t->t = T_DATE;
			t->num = day;
			t->len = k - i;
			return T_DATE;
		}
	}
	if (j < n && s[j] == '.') {
		j++;
		if (j >= n || !isdig(s[j]))
			return fail(p, i, "bad number '%s'", q(b1, s + i, j - i));
		while (j < n && isdig(s[j]))
			j++;
	}
	if (j < n && (isalpha_(s[j]) || s[j] == '.')) {
		while (j < n && (isalnum_(s[j]) || s[j] == '.'))
			j++;
		return fail(p, i, "bad number '%s'", q(b1, s + i, j - i));
	}
	if (dec_parse(s + i, j - i, &t->num, &t->sc) < 0)
		return fail(p, i, "number '%s' has too many digits (at most "
		    "18)", q(b1, s + i, j - i));
	t->t = T_NUM;
	t->len = j - i;
	return T_NUM;
}

static int
lex1(struct parser *p, struct tok *t)
{
	const char *s = p->src;
	size_t i = p->pos, n = p->len;
	int c;

	for (;;) {
		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
		    s[i] == '\r'))
			i++;
		if (i < n && s[i] == '#') {
			while (i < n && s[i] != '\n')
				i++;
			continue;
		}
		break;
	}
	t->off = i;
	t->len = 1;
	if (i >= n) {
		t->len = 0;
		return t->t = T_EOF;
	}
	c = (unsigned char)s[i];
	if (isdig(c))
		return lexnum(p, t, i) < 0 ? (t->t = T_ERR) : t->t;
	if (isalpha_(c)) {
		size_t j = i;

		while (j < n && isalnum_(s[j]))
			j++;
		t->s = s + i;
		t->n = t->len = j - i;
		return t->t = T_IDENT;
	}
	if (c == '\'' || c == '"' || c == '`')
		return lexquoted(p, t, i) < 0 ? (t->t = T_ERR) : t->t;
	t->len = 2;
	if (i + 1 < n) {
		int d = s[i + 1];

		if (c == '=' && d == '=')
			return t->t = T_EQ;
		if (c == '!' && d == '=')
			return t->t = T_NE;
		if (c == '<' && d == '>')
			return t->t = T_NE;
		if (c == '!' && d == '~')
			return t->t = T_NMATCH;
		if (c == '<' && d == '=')
			return t->t = T_LE;
		if (c == '>' && d == '=')
			return t->t = T_GE;
	}
	t->len = 1;
	switch (c) {
	case '(':
		return t->t = T_LP;
	case ')':
		return t->t = T_RP;
	case ',':
		return t->t = T_COMMA;
	case '=':
		return t->t = T_EQ;
	case '<':
		return t->t = T_LT;
	case '>':
		return t->t = T_GT;
	case '~':
		return t->t = T_MATCH;
	case '+':
		return t->t = T_PLUS;
	case '-':
		return t->t = T_MINUS;
	case '*':
		return t->t = T_STAR;
	case '/':
		return t->t = T_SLASH;
	case '%':
		return t->t = T_PCT;
	default:
		badchar(p, i);
		return t->t = T_ERR;
	}
}

static void
lex(struct parser *p, struct tok *t)
{
	lex1(p, t);
	p->pos = t->off + t->len;
	if (t->t == T_ERR)
		p->pos = p->len;	/* stop: the error is already set */
}

static void
advance(struct parser *p)
{
	p->prev = p->tok;
	if (p->havenxt) {
		p->tok = p->nxt;
		p->havenxt = 0;
	} else
		lex(p, &p->tok);
}

static struct tok *
peek(struct parser *p)
{
	if (!p->havenxt) {
		lex(p, &p->nxt);
		p->havenxt = 1;
	}
	return &p->nxt;
}

/* Is t the keyword kw (any case)? */
static int
iskw(const struct tok *t, const char *kw)
{
	size_t i, n = strlen(kw);

	if (t->t != T_IDENT || t->n != n)
		return 0;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)t->s[i];

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != kw[i])
			return 0;
	}
	return 1;
}

static int
iskeyword(const struct tok *t)
{
	static const char *const kws[] = {
		"and", "or", "not", "in", "between", "is", "empty", "true",
		"false"
	};
	size_t i;

	for (i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
		if (iskw(t, kws[i]))
			return 1;
	return 0;
}

/* The token as text for a message: 'x', or "the end". */
static const char *
tokstr(struct parser *p, const struct tok *t, char *buf)
{
	char b1[CV_QUOTE_MAX];

	if (t->t == T_EOF)
		return "the end";
	if (t->t == T_STR || t->t == T_QIDENT)	/* quoted already */
		return q(buf, p->src + t->off, t->len);
	snprintf(buf, CV_QUOTE_MAX + 2, "'%s'", q(b1, p->src + t->off, t->len));
	return buf;
}

/* ---- parser ---- */

static int
mknode(struct parser *p, int kind, int op, int st, size_t off)
{
	struct expr *e = p->e;
	struct node *nd;

	if (e->nnd == e->ndcap) {
		e->ndcap = e->ndcap ? 2 * e->ndcap : 16;
		e->nd = xreallocarray(e->nd, (size_t)e->ndcap, sizeof(*e->nd));
	}
	nd = &e->nd[e->nnd];
	memset(nd, 0, sizeof(*nd));
	nd->kind = kind;
	nd->op = op;
	nd->st = st;
	nd->a = nd->b = nd->c = nd->arg = nd->next = -1;
	nd->off = off;
	return e->nnd++;
}

static const char *
stname(int st)
{
	switch (st) {
	case S_BOOL:
		return "a condition";
	case S_NUM:
		return "a number";
	case S_DATE:
		return "a date";
	case S_STR:
		return "text";
	default:
		return "a value";
	}
}

static int
need_cond(struct parser *p, int i)
{
	struct node *nd = &p->e->nd[i];
	char b1[CV_QUOTE_MAX];

	if (nd->st == S_BOOL)
		return 0;
	if (nd->kind == N_COL && p->anycol)
		return fail(p, nd->off, "column '%s' is a value, not a "
		    "condition: compare it with something",
		    q(b1, nd->lit.p, nd->lit.n));
	if (nd->kind == N_COL)
		return fail(p, nd->off, "column '%s' is a value, not a "
		    "condition: compare it with something",
		    q(b1, p->cols[nd->a], strlen(p->cols[nd->a])));
	return fail(p, nd->off, "%s is not a condition: compare it with "
	    "something", stname(nd->st));
}

static int
need_value(struct parser *p, int i, const char *what)
{
	struct node *nd = &p->e->nd[i];

	if (nd->st != S_BOOL)
		return 0;
	return fail(p, nd->off, "a condition cannot be %s", what);
}

/* Can values of static types x and y ever be compared? */
static int
comparable(struct parser *p, int a, int b, size_t off)
{
	int x = p->e->nd[a].st, y = p->e->nd[b].st;

	if (need_value(p, a, "compared") < 0 ||
	    need_value(p, b, "compared") < 0)
		return -1;
	if ((x == S_NUM || x == S_DATE || x == S_STR) &&
	    (y == S_NUM || y == S_DATE || y == S_STR) && x != y)
		return fail(p, off, "cannot compare %s with %s", stname(x),
		    stname(y));
	return 0;
}

/*
 * comparable() for two arguments of min() or max(), where a quoted
 * literal is text as a field's is: it meets a number or a date when its
 * text reads as one.
 */
static int
arg_comparable(struct parser *p, int a, int b, size_t off)
{
	const struct node *lit = &p->e->nd[a], *other = &p->e->nd[b];
	int64_t c;
	int sc;
	int32_t d;

	if (!(lit->kind == N_LIT && lit->st == S_STR)) {
		lit = &p->e->nd[b];
		other = &p->e->nd[a];
	}
	/* Not a quoted literal, or one whose text cannot meet the other. */
	if (!(lit->kind == N_LIT && lit->st == S_STR) ||
	    (other->st == S_NUM && dec_parse(lit->lit.p, lit->lit.n, &c,
	    &sc) != 0) || (other->st == S_DATE && date_parse(lit->lit.p,
	    lit->lit.n, &d) != 0))
		return comparable(p, a, b, off);
	return need_value(p, a, "compared") < 0 ||
	    need_value(p, b, "compared") < 0 ? -1 : 0;
}

static int	parse_or(struct parser *);
static int	parse_sum(struct parser *);

static int
column(struct parser *p, const char *name, size_t n, size_t off);
static int
parse_call(struct parser *p);

static int
literal(struct parser *p, int st, const struct val *v, size_t off)
{
	int i = mknode(p, N_LIT, 0, st, off);

	p->e->nd[i].lit = *v;
	return i;
}

static int
parse_primary(struct parser *p)
{
	struct tok *t = &p->tok;
	struct val v;
	char b1[CV_QUOTE_MAX], b2[CV_QUOTE_MAX];
	size_t off = t->off;
	int i;

	memset(&v, 0, sizeof(v));
	switch (t->t) {
	case T_ERR:
		return -1;
	case T_NUM:
		v.t = V_NUM;
		v.i = t->num;
		v.sc = t->sc;
		advance(p);
		return literal(p, S_NUM, &v, off);
	case T_DATE:
		v.t = V_DATE;
		v.i = t->num;
		advance(p);
		return literal(p, S_DATE, &v, off);
	case T_STR:
		if (t->n == 0)
			return fail(p, off, "'' is empty, and an empty value "
			    "is a missing one: write 'is empty'");
		v.t = V_STR;
		v.p = t->s;
		v.n = t->n;
		advance(p);
		return literal(p, S_STR, &v, off);
	case T_QIDENT:
		i = column(p, t->s, t->n, off);
		advance(p);
		return i;
	case T_LP:
		advance(p);
		if ((i = parse_or(p)) < 0)
			return -1;
		if (p->tok.t != T_RP)
			return fail(p, p->tok.off, "expected ')' to close the "
			    "'(' before, found %s", tokstr(p, &p->tok, b1));
		advance(p);
		return i;
	case T_IDENT:
		if (iskw(t, "true") || iskw(t, "false")) {
			v.t = V_BOOL;
			v.i = iskw(t, "true");
			advance(p);
			return literal(p, S_BOOL, &v, off);
		}
		if (peek(p)->t == T_LP)
			return parse_call(p);
		if (!iskeyword(t)) {
			i = column(p, t->s, t->n, off);
			advance(p);
			return i;
		}
		break;
	default:
		break;
	}
	if (t->t == T_EOF && p->prev.t == T_EOF)
		return fail(p, 0, "empty expression");
	if (t->t == T_EOF)
		return fail(p, off, "expected a value after %s",
		    tokstr(p, &p->prev, b1));
	if (p->prev.t == T_EOF)
		return fail(p, off, "expected a value, found %s",
		    tokstr(p, t, b1));
	return fail(p, off, "expected a value after %s, found %s",
	    tokstr(p, &p->prev, b1), tokstr(p, t, b2));
}

/* Optimal string alignment distance, ASCII case ignored; big if long. */
static int
distance(const char *a, size_t n, const char *b, size_t m)
{
	int d[3][65], *r0, *r1, *r2, *tmp, i, j, x;

	if (n > 64 || m > 64)
		return 1000;
	r0 = d[0];
	r1 = d[1];
	r2 = d[2];
	for (j = 0; j <= (int)m; j++)
		r1[j] = j;
	for (i = 1; i <= (int)n; i++) {
		r2[0] = i;
		for (j = 1; j <= (int)m; j++) {
			int ca = (unsigned char)a[i - 1];
			int cb = (unsigned char)b[j - 1];

			if (ca >= 'A' && ca <= 'Z')
				ca += 'a' - 'A';
			if (cb >= 'A' && cb <= 'Z')
				cb += 'a' - 'A';
			x = r1[j - 1] + (ca != cb);
			if (r1[j] + 1 < x)
				x = r1[j] + 1;
			if (r2[j - 1] + 1 < x)
				x = r2[j - 1] + 1;
			if (i > 1 && j > 1 && ca != cb) {
				int pa = (unsigned char)a[i - 2];
				int pb = (unsigned char)b[j - 2];

				if (pa >= 'A' && pa <= 'Z')
					pa += 'a' - 'A';
				if (pb >= 'A' && pb <= 'Z')
					pb += 'a' - 'A';
				if (ca == pb && cb == pa && r0[j - 2] + 1 < x)
					x = r0[j - 2] + 1;
			}
			r2[j] = x;
		}
		tmp = r0;
		r0 = r1;
		r1 = r2;
		r2 = tmp;
	}
	return r1[m];
}

/* The closest of names[0..n) to s, or NULL if none is close enough. */
static const char *
closest(const char *s, size_t len, const char *const *names, int n)
{
	const char *best = NULL;
	int i, d, bd, limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;

	bd = limit + 1;
	for (i = 0; i < n; i++) {
		d = distance(s, len, names[i], strlen(names[i]));
		if (d < bd) {
			bd = d;
			best = names[i];
		}
	}
	return best;
}

static int
findfunc(const char *s, size_t n)
{
	struct tok t;
	int i;

	memset(&t, 0, sizeof(t));
	t.t = T_IDENT;
	t.s = s;
	t.n = n;
	for (i = 0; i < F_COUNT; i++)
		if (iskw(&t, funcs[i].name))
			return i;
	return -1;
}

static int
column(struct parser *p, const char *name, size_t n, size_t off)
{
	const char *sugg;
	char b1[CV_QUOTE_MAX], b2[CV_QUOTE_MAX];
	int i;

	if (p->anycol) {
		/* The name, for need_cond(), while the source is there. */
		i = mknode(p, N_COL, 0, S_TEXT, off);
		p->e->nd[i].lit.p = name;
		p->e->nd[i].lit.n = n;
		return i;
	}
	for (i = 0; i < p->ncol; i++)
		if (strlen(p->cols[i]) == n && memcmp(p->cols[i], name, n) == 0) {
			int k = mknode(p, N_COL, 0, S_TEXT, off);

			p->e->nd[k].a = i;
			return k;
		}
	if ((sugg = closest(name, n, p->cols, p->ncol)) != NULL)
		return fail(p, off, "unknown column '%s' (did you mean '%s'?)",
		    q(b1, name, n), q(b2, sugg, strlen(sugg)));
	if ((i = findfunc(name, n)) >= 0)
		return fail(p, off, "unknown column '%s' (%s is a function: "
		    "write %s(...))", q(b1, name, n), funcs[i].name,
		    funcs[i].name);
	return fail(p, off, "unknown column '%s'", q(b1, name, n));
}

/* Static check of argument k (0-based) of function f, node a. */
static int
checkarg(struct parser *p, int f, int k, int a)
{
	const char *args = funcs[f].args;
	size_t na = strlen(args);
	char kind = args[(size_t)k < na ? (size_t)k : na - 1];
	int st = p->e->nd[a].st;
	size_t off = p->e->nd[a].off;
	const char *want;

	if (st == S_BOOL)
		return fail(p, off, "%s() cannot take a condition",
		    funcs[f].name);
	switch (kind) {
	case 'd':
		if (st != S_NUM && st != S_BOOL)
			return 0;
		want = "a date";
		break;
	case 'n':
		if (st != S_DATE && st != S_STR)
			return 0;
		want = "a number";
		break;
	default:
		return 0;
	}
	return fail(p, off, "%s() wants %s here, not %s", funcs[f].name, want,
	    stname(st));
}

static int
parse_call(struct parser *p)
{
	struct tok name = p->tok;
	const char *fnames[F_COUNT], *sugg;
	char b1[CV_QUOTE_MAX], b2[CV_QUOTE_MAX];
	int f, i, j, k, n = 0, first = -1, last = -1, st = -1;
	size_t off = name.off;

	if ((f = findfunc(name.s, name.n)) < 0) {
		for (i = 0; i < F_COUNT; i++)
			fnames[i] = funcs[i].name;
		for (i = 0; i < p->ncol; i++)
			if (strlen(p->cols[i]) == name.n &&
			    memcmp(p->cols[i], name.s, name.n) == 0)
				return fail(p, off, "'%s' is a column, not a "
				    "function", q(b1, name.s, name.n));
		if (p->anycol && !p->failed)
			p->err->header = 1;
		if ((sugg = closest(name.s, name.n, fnames, F_COUNT)) != NULL)
			return fail(p, off, "unknown function '%s' (did you "
			    "mean '%s'?)", q(b1, name.s, name.n), sugg);
		return fail(p, off, "unknown function '%s'",
		    q(b1, name.s, name.n));
	}
	advance(p);		/* the name */
	advance(p);		/* ( */
	if (p->tok.t != T_RP)
		for (;;) {
			if ((i = parse_or(p)) < 0)
				return -1;
			if (first < 0)
				first = i;
			else
				p->e->nd[last].next = i;
			last = i;
			n++;
			if (p->tok.t == T_COMMA) {
				advance(p);
				continue;
			}
			if (p->tok.t == T_RP)
				break;
			return fail(p, p->tok.off, "expected ',' or ')' in "
			    "the arguments of %s(), found %s", funcs[f].name,
			    tokstr(p, &p->tok, b2));
		}
	advance(p);		/* ) */
	if (n < funcs[f].min || (funcs[f].max >= 0 && n > funcs[f].max)) {
		if (funcs[f].min == funcs[f].max)
			return fail(p, off, "%s() takes %d argument%s, not %d",
			    funcs[f].name, funcs[f].min,
			    funcs[f].min == 1 ? "" : "s", n);
		if (funcs[f].max < 0)
			return fail(p, off, "%s() takes at least %d "
			    "arguments, not %d", funcs[f].name, funcs[f].min, n);
		return fail(p, off, "%s() takes %d or %d arguments, not %d",
		    funcs[f].name, funcs[f].min, funcs[f].max, n);
	}
	for (i = first, k = 0; i >= 0; i = p->e->nd[i].next, k++) {
		if (checkarg(p, f, k, i) < 0)
			return -1;
		/* min and max compare their arguments. */
		if ((f == F_MIN || f == F_MAX) && i != first &&
		    arg_comparable(p, first, i, p->e->nd[i].off) < 0)
			return -1;
		if (funcs[f].ret == S_ANY) {
			j = p->e->nd[i].st;
			st = st < 0 ? j : st == j ? st : S_ANY;
		}
	}
	if (funcs[f].ret != S_ANY)
		st = funcs[f].ret;
	else if (st == S_STR)
		st = S_TEXT;	/* a literal's text no longer forces bytes */
	k = mknode(p, N_CALL, f, st, off);
	p->e->nd[k].arg = first;
	p->e->nd[k].narg = n;
	if (f == F_LOWER || f == F_UPPER) {
		p->e->nd[k].cap = 64;
		p->e->nd[k].buf = xmalloc(64);
	}
	if (funcs[f].asof)
		p->e->asof = 1;
	return k;
}

static int
parse_unary(struct parser *p)
{
	size_t off = p->tok.off;
	int x, k, st;

	if (p->tok.t != T_MINUS)
		return parse_primary(p);
	if (++p->depth > MAXDEPTH)
		return fail(p, off, "expression nested too deeply");
	advance(p);
	if ((x = parse_unary(p)) < 0)
		return -1;
	p->depth--;
	st = p->e->nd[x].st;
	if (p->e->nd[x].kind == N_LIT && st == S_NUM) {
		p->e->nd[x].lit.i = -p->e->nd[x].lit.i;
		p->e->nd[x].off = off;
		return x;
	}
	if (need_value(p, x, "negated") < 0)
		return -1;
	if (st == S_DATE || st == S_STR)
		return fail(p, off, "cannot negate %s", stname(st));
	k = mknode(p, N_NEG, 0, S_NUM, off);
	p->e->nd[k].a = x;
	return k;
}

/* The static type of a OP b, or -1 after an error. */
static int
arithtype(struct parser *p, int op, int a, int b, size_t off)
{
	int x = p->e->nd[a].st, y = p->e->nd[b].st;
	static const char opc[] = "+-*/%";

	if (need_value(p, a, "used in arithmetic") < 0 ||
	    need_value(p, b, "used in arithmetic") < 0)
		return -1;
	if (x == S_STR || y == S_STR)
		return fail(p, off, "cannot do arithmetic on quoted text");
	if (x == S_NUM && y == S_NUM)
		return S_NUM;
	if ((x == S_DATE || y == S_DATE) && x != S_ANY && x != S_TEXT &&
	    y != S_ANY && y != S_TEXT) {
		if (x == S_DATE && y == S_DATE && op == A_SUB)
			return S_NUM;
		if (x == S_DATE && y == S_NUM && (op == A_ADD || op == A_SUB))
			return S_DATE;
		if (x == S_NUM && y == S_DATE && op == A_ADD)
			return S_DATE;
		return fail(p, off, "cannot compute %s %c %s", stname(x),
		    opc[op], stname(y));
	}
	if ((x == S_DATE || y == S_DATE) && op != A_ADD && op != A_SUB)
		return fail(p, off, "cannot use '%c' with a date", opc[op]);
	return S_ANY;
}

static int
parse_binary(struct parser *p, int level)
{
	int l, r, op, st, k;
	size_t off = p->tok.off, opoff;

	if ((l = level ? parse_unary(p) : parse_binary(p, 1)) < 0)
		return -1;
	for (;;) {
		switch (p->tok.t) {
		case T_PLUS:
			op = A_ADD;
			break;
		case T_MINUS:
			op = A_SUB;
			break;
		case T_STAR:
			op = A_MUL;
			break;
		case T_SLASH:
			op = A_DIV;
			break;
		case T_PCT:
			op = A_MOD;
			break;
		default:
			return l;
		}
		if ((level == 0) != (op == A_ADD || op == A_SUB))
			return l;
		opoff = p->tok.off;
		advance(p);
		if ((r = level ? parse_unary(p) : parse_binary(p, 1)) < 0)
			return -1;
		if ((st = arithtype(p, op, l, r, opoff)) < 0)
			return -1;
		k = mknode(p, N_ARITH, op, st, off);
		p->e->nd[k].a = l;
		p->e->nd[k].b = r;
		l = k;
	}
}

static int
parse_sum(struct parser *p)
{
	return parse_binary(p, 0);
}

static int
iscmp(int t)
{
	return t == T_EQ || t == T_NE || t == T_LT || t == T_LE || t == T_GT ||
	    t == T_GE || t == T_MATCH || t == T_NMATCH;
}

/*
 * The sorted set of the "in" node k, when its items are all literals of
 * one type (see setcmp()); other lists are compared item by item.
 */
static void
in_set(struct expr *e, int k)
{
	struct node *nd = &e->nd[k];
	const struct node *it;
	size_t n = 0;
	int j, t = -1;

	for (j = nd->arg; j >= 0; j = it->next) {
		it = &e->nd[j];
		if (it->kind != N_LIT || (it->lit.t != V_STR &&
		    it->lit.t != V_NUM && it->lit.t != V_DATE) ||
		    (t >= 0 && it->lit.t != t))
			return;
		t = it->lit.t;
		n++;
	}
	nd->set = xcalloc(n, sizeof(*nd->set));
	for (j = nd->arg; j >= 0; j = e->nd[j].next)
		nd->set[nd->nset++] = e->nd[j].lit;
	qsort(nd->set, n, sizeof(*nd->set), t == V_STR ? setcmp_str :
	    t == V_NUM ? setcmp_num : setcmp_day);
}

static int
parse_cmp(struct parser *p)
{
	struct tok *t = &p->tok;
	struct cv_error rerr;
	char b1[CV_QUOTE_MAX];
	size_t off = t->off, opoff;
	int l, r, hi, k, neg = 0, op, first, last, item;

	if ((l = parse_sum(p)) < 0)
		return -1;
	opoff = t->off;
	switch (t->t) {
	case T_EQ:
	case T_NE:
	case T_LT:
	case T_LE:
	case T_GT:
	case T_GE:
		op = t->t == T_EQ ? C_EQ : t->t == T_NE ? C_NE :
		    t->t == T_LT ? C_LT : t->t == T_LE ? C_LE :
		    t->t == T_GT ? C_GT : C_GE;
		advance(p);
		if ((r = parse_sum(p)) < 0 || comparable(p, l, r, opoff) < 0)
			return -1;
		k = mknode(p, N_CMP, op, S_BOOL, off);
		p->e->nd[k].a = l;
		p->e->nd[k].b = r;
		break;
	case T_MATCH:
	case T_NMATCH:
		neg = t->t == T_NMATCH;
		advance(p);
		if (need_value(p, l, "matched") < 0)
			return -1;
		if (t->t != T_STR)
			return t->t == T_ERR ? -1 : fail(p, t->off, "'%s' "
			    "wants a quoted pattern, found %s", neg ? "!~" : "~",
			    tokstr(p, t, b1));
		k = mknode(p, N_MATCH, neg, S_BOOL, off);
		if ((p->e->nd[k].re = re_compile(t->s, 0, &rerr)) == NULL)
			return fail(p, t->off, "%s", rerr.msg);
		p->e->nd[k].a = l;
		advance(p);
		break;
	case T_IDENT:
		if (iskw(t, "not")) {
			struct tok *nx = peek(p);

			if (!iskw(nx, "in") && !iskw(nx, "between"))
				return l;
			neg = 1;
			advance(p);
		}
		if (iskw(t, "in")) {
			advance(p);
			if (need_value(p, l, "compared") < 0)
				return -1;
			if (t->t != T_LP)
				return fail(p, t->off, "expected '(' after "
				    "'in', found %s", tokstr(p, t, b1));
			advance(p);
			if (t->t == T_RP)
				return fail(p, t->off, "empty 'in' list");
			first = last = -1;
			for (;;) {
				if ((item = parse_sum(p)) < 0 ||
				    comparable(p, l, item,
				    p->e->nd[item].off) < 0)
					return -1;
				if (first < 0)
					first = item;
				else
					p->e->nd[last].next = item;
				last = item;
				if (t->t == T_COMMA) {
					advance(p);
					continue;
				}
				if (t->t == T_RP)
					break;
				return fail(p, t->off, "expected ')' after "
				    "'in' list");
			}
			advance(p);
			k = mknode(p, N_IN, neg, S_BOOL, off);
			p->e->nd[k].a = l;
			p->e->nd[k].arg = first;
			in_set(p->e, k);
			break;
		}
		if (iskw(t, "between")) {
			advance(p);
			if ((r = parse_sum(p)) < 0 ||
			    comparable(p, l, r, opoff) < 0)
				return -1;
			if (!iskw(t, "and"))
				return t->t == T_ERR ? -1 : fail(p, t->off,
				    "expected 'and' in 'between', found %s",
				    tokstr(p, t, b1));
			advance(p);
			if ((hi = parse_sum(p)) < 0 ||
			    comparable(p, l, hi, opoff) < 0)
				return -1;
			k = mknode(p, N_BETWEEN, neg, S_BOOL, off);
			p->e->nd[k].a = l;
			p->e->nd[k].b = r;
			p->e->nd[k].c = hi;
			break;
		}
		if (iskw(t, "is")) {
			advance(p);
			if (iskw(t, "not")) {
				neg = 1;
				advance(p);
			}
			if (!iskw(t, "empty"))
				return t->t == T_ERR ? -1 : fail(p, t->off,
				    "expected 'empty' or 'not empty' after "
				    "'is', found %s", tokstr(p, t, b1));
			advance(p);
			if (need_value(p, l, "tested for empty") < 0)
				return -1;
			k = mknode(p, N_EMPTY, neg, S_BOOL, off);
			p->e->nd[k].a = l;
			break;
		}
		return l;
	default:
		return l;
	}
	if (iscmp(t->t) || iskw(t, "in") || iskw(t, "between") ||
	    iskw(t, "is"))
		return fail(p, t->off, "comparisons do not chain: join them "
		    "with 'and'");
	return k;
}

static int
parse_not(struct parser *p)
{
	size_t off = p->tok.off;
	int x, k;

	if (!iskw(&p->tok, "not"))
		return parse_cmp(p);
	if (++p->depth > MAXDEPTH)
		return fail(p, off, "expression nested too deeply");
	advance(p);
	if ((x = parse_not(p)) < 0 || need_cond(p, x) < 0)
		return -1;
	p->depth--;
	k = mknode(p, N_NOT, 0, S_BOOL, off);
	p->e->nd[k].a = x;
	return k;
}

static int
parse_logic(struct parser *p, int isor)
{
	int l, r, k;
	size_t off = p->tok.off;

	if ((l = isor ? parse_logic(p, 0) : parse_not(p)) < 0)
		return -1;
	while (iskw(&p->tok, isor ? "or" : "and")) {
		advance(p);
		if ((r = isor ? parse_logic(p, 0) : parse_not(p)) < 0)
			return -1;
		if (need_cond(p, l) < 0 || need_cond(p, r) < 0)
			return -1;
		k = mknode(p, isor ? N_OR : N_AND, 0, S_BOOL, off);
		p->e->nd[k].a = l;
		p->e->nd[k].b = r;
		l = k;
	}
	return l;
}

static int
parse_or(struct parser *p)
{
	int x;

	/* At the '(' (of a function too) that opens the level. */
	if (++p->depth > MAXDEPTH)
		return fail(p, p->prev.t != T_EOF ? p->prev.off : p->tok.off,
		    "expression nested too deeply");
	x = parse_logic(p, 1);
	p->depth--;
	return x;
}

/*
 * The evaluator recurses along the tree, and a chain of operators (x = 1
 * or x = 2 or ...) makes it as deep as the chain is long, parentheses or
 * not.  Returns the offset of an operator deeper than MAXTREE, or
 * (size_t)-1.
 * Walks the tree with a stack of its own, for the same reason.
 */
static size_t
too_deep(const struct expr *e, int root)
{
	int *node = xcalloc((size_t)e->nnd + 1, sizeof(int));
	int *depth = xcalloc((size_t)e->nnd + 1, sizeof(int));
	int sp = 0, i, k, d, kid[4];
	size_t off = (size_t)-1;

	node[sp] = root;
	depth[sp++] = 1;
	while (sp > 0 && off == (size_t)-1) {
		sp--;
		k = node[sp];
		d = depth[sp];
		/* Values (columns, literals) are not operators. */
		if (d > MAXTREE && e->nd[k].kind != N_COL &&
		    e->nd[k].kind != N_LIT) {
			off = e->nd[k].off;
			break;
		}
		kid[0] = e->nd[k].kind == N_COL ? -1 : e->nd[k].a;
		kid[1] = e->nd[k].b;
		kid[2] = e->nd[k].c;
		kid[3] = e->nd[k].arg;
		for (i = 0; i < 4; i++) {
			int c;

			for (c = kid[i]; c >= 0 && c < e->nnd && sp < e->nnd;
			    c = i == 3 ? e->nd[c].next : -1) {
				node[sp] = c;
				depth[sp++] = d + 1;
			}
		}
	}
	free(node);
	free(depth);
	return off;
}

struct expr *
expr_compile_at(const char *src, size_t len, long line, long col,
    const char *const *cols, int ncol, int flags, struct expr_error *err)
{
	struct parser p;
	char b1[CV_QUOTE_MAX];
	size_t bad;
	int root;

	memset(&p, 0, sizeof(p));
	memset(err, 0, sizeof(*err));
	p.src = src;
	p.len = len;
	p.line0 = line > 0 ? line : 1;
	p.col0 = col > 0 ? col : 1;
	p.anycol = (flags & EXPR_ANYCOL) != 0;
	p.cols = p.anycol ? NULL : cols;
	p.ncol = p.anycol ? 0 : ncol;
	p.err = err;
	p.e = xcalloc(1, sizeof(*p.e));
	if ((bad = utf8_bad(src, len)) < len) {
		fail(&p, bad, "the text is not UTF-8 here (saved as GBK? "
		    "save it as UTF-8)");
		expr_free(p.e);
		return NULL;
	}
	advance(&p);
	p.prev.t = T_EOF;
	p.depth = -1;		/* the whole expression is not a nesting */
	root = parse_or(&p);
	if (root >= 0 && !p.failed && p.tok.t != T_EOF)
		fail(&p, p.tok.off, "unexpected %s after a complete "
		    "expression (a missing 'and' or 'or'?)",
		    tokstr(&p, &p.tok, b1));
	if (root >= 0 && !p.failed && !(flags & EXPR_VALUE) &&
	    p.e->nd[root].st != S_BOOL) {
		if (p.e->nd[root].kind == N_COL)
			need_cond(&p, root);
		else
			fail(&p, p.e->nd[root].off, "the expression is %s, "
			    "not a condition: compare it with something",
			    stname(p.e->nd[root].st));
	}
	if (root >= 0 && !p.failed && (bad = too_deep(p.e, root)) !=
	    (size_t)-1)
		fail(&p, bad, "expression too long: more than %d operators "
		    "deep (split it into several rules, or use 'in')", MAXTREE);
	if (root < 0 || p.failed) {
		expr_free(p.e);
		return NULL;
	}
	p.e->root = root;
	return p.e;
}

struct expr *
expr_compile(const char *src, const char *const *cols, int ncol, int flags,
    struct expr_error *err)
{
	return expr_compile_at(src, strlen(src), 1, 1, cols, ncol, flags, err);
}
