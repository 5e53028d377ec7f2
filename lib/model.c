/*
 * model: BG/NBD and Gamma-Gamma fits and the per-customer quantities
 * cv-score derives from them (see model.h).
 *
 * The fits minimise the mean negative log-likelihood over the logarithms
 * of the parameters by BFGS with analytic gradients, from two generic
 * starts, and keep the better answer.  Identical patterns are merged
 * first, times are divided by their mean and spends by theirs (so the
 * starts are near the answer's scale whatever the caller's units), and
 * the patterns are grouped by x: the log-gamma and digamma terms depend
 * on x alone and are computed once per distinct x, ln(alpha + t) once per
 * distinct time, and what is left per pattern is one exp and one log1p.
 * Large data (daily times over years give 10^5 patterns and more) are
 * first fitted on a copy with coarsened times or spends, whose answer
 * and inverse Hessian start the fit on the data itself, which then takes
 * a handful of iterations.
 *
 * The conditional expectation needs ln 2F1(a, b; c; z) for positive
 * parameters and 0 <= z < 1.  Up to z = 0.6 that is the Gauss series;
 * above it the series would need hundreds or thousands of terms, and the
 * 1 - z connection formula (Abramowitz & Stegun 15.3.6) is used instead.
 * Its two terms blow up when c - a - b is near an integer; there the
 * value is extrapolated from shifted parameters, as is the expectation
 * near a = 1, where its formula is 0/0.  Every route carries a bound on
 * its rounding error, and a value that the bound says has lost its
 * digits (for small t the expectation is a difference of two nearly
 * equal logarithms) is refused rather than returned.  The series keep a
 * separate scale, so that large terms (x in the hundreds) cannot
 * overflow.
 */
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "model.h"

#define NPMAX		4	/* parameters the optimiser handles */
#define HYP_MAXTERMS	2000000L
#define HYP_FALLBACK	100000L	/* series terms tried after the connection */
#define HYP_ZSWITCH	0.6	/* above this z, the 1 - z connection */
#define HYP_DEGEN	1e-3	/* c - a - b nearer an integer: extrapolate */
#define A_NEAR1		1e-3	/* |a - 1| below this: extrapolate */
#define LBOUND		9.22	/* |ln parameter| <= ln 1e4 after scaling */
#define HORIZON_MAX	36525.0

/* ln|Gamma(x)| without touching the global signgam (thread safety). */
static double
lgam(double x, int *sg)
{
	int s;
	double v;

	v = lgamma_r(x, &s);
	if (sg != NULL)
		*sg = s;
	return v;
}

static double
lgamp(double x)
{
	return lgam(x, NULL);
}

/* Digamma for x > 0: recurrence up to 6, then the asymptotic series. */
static double
digamma(double x)
{
	double r = 0, f;

	while (x < 6) {
		r -= 1 / x;
		x += 1;
	}
	f = 1 / (x * x);
	return r + log(x) - 0.5 / x - f * (1.0 / 12 - f * (1.0 / 120 -
	    f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132)))));
}

static int
nonposint(double x)
{
	return x <= 0 && x == floor(x);
}

static void	setwhy(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static void
setwhy(char *why, size_t whysz, const char *fmt, ...)
{
	va_list ap;

	if (why != NULL && whysz > 0) {
		va_start(ap, fmt);
		vsnprintf(why, whysz, fmt, ap);
		va_end(ap);
	}
}

/* ---------------------------------------------------------------- 2F1 */

/* The tail of Stirling's series for ln Gamma(x), x >= 10. */
static double
stirling(double x)
{
	double f = 1 / (x * x);

	return (1.0 / 12 - f * (1.0 / 360 - f * (1.0 / 1260 - f * (1.0 / 1680 -
	    f / 1188)))) / x;
}

/*
 * ln|Gamma(y) / Gamma(y - d)|, its sign, and a bound on its absolute
 * error.  For large arguments the difference of the Stirling series,
 * written in y and d so that the rounding of y - d hardly matters, keeps
 * the digits that subtracting two large lgamma values loses when d is
 * small (r close to 0 against b in the thousands, say).
 */
static double
lgratio(double y, double d, int *sg, double *err)
{
	double x = y - d, v, u;
	int s1, s2;

	if (x >= 10 && y >= 10) {
		v = -(x - 0.5) * log1p(-d / y) + d * log(y) - d +
		    stirling(y) - stirling(x);
		*sg = 1;
		*err = 4 * DBL_EPSILON * (fabs(v) + fabs(d) + 1e-3);
		return v;
	}
	u = lgam(y, &s1);
	v = lgam(x, &s2);
	*sg = s1 * s2;
	*err = 2 * DBL_EPSILON * (fabs(u) + fabs(v) + 1);
	return u - v;
}

/*
 * The Gauss series sum (a)_n (b)_n / ((c)_n n!) z^n for 0 <= z < 1 and
 * real a, b, c (c not 0, -1, -2, ...): ln|sum| into *ls, its sign into
 * *sg, a bound on the absolute error of *ls into *err.  Returns -1 if the
 * series does not settle, or if its terms have mixed signs and cancel to
 * less than 1e-4 of the largest.
 *
 * The ratio of successive terms exceeds 1 exactly where the concave
 * quadratic (a+n)(b+n)z - (c+n)(n+1) is positive, an interval; the sum
 * may only stop once n is past the vertex, all Pochhammer factors are
 * positive and the ratio is below 1, so that the terms fall from there
 * on, and then when the last term bounds the tail to rounding.  The
 * leading 1 is kept apart from the rest, so that a sum close to 1 keeps
 * its digits through log1p.
 */
static int
hypser(double a, double b, double c, double z, long maxterms, double *ls,
    int *sg, double *err)
{
	double one = 1, t = 1, s = 0, sabs = 0, tmax = 1, sc = 0, tot;
	double rho, nmin, dn = 0, at;
	long n;

	/* past the vertex, with every Pochhammer factor positive */
	nmin = fmax(fmax(0, fmax(-a, fmax(-b, -c))) + 1,
	    ((a + b) * z - c - 1) / (2 * (1 - z)) + 1);
	for (n = 0; n < maxterms; n++, dn += 1) {
		if (c + dn == 0)
			return -1;
		rho = (a + dn) * (b + dn) / ((c + dn) * (dn + 1)) * z;
		if (!(fabs(rho) < 1e50))
			return -1;
		t *= rho;
		if (t == 0)	/* a polynomial, or z so small nothing counts */
			break;
		s += t;
		at = fabs(t);
		sabs += at;
		if (at > tmax)
			tmax = at;
		if (fabs(s) > 1e200 || at > 1e200) {
			one *= 1e-200;
			s *= 1e-200;
			t *= 1e-200;
			sabs *= 1e-200;
			tmax *= 1e-200;
			sc += 200 * M_LN10;
		}
		/*
		 * Relative to s too: a sum close to 1 is used as log1p(s).
		 * (Plain comparisons: fmin and fmax are library calls here.)
		 */
		if (dn >= nmin && fabs(rho) < 1) {
			double as = fabs(s), a1 = fabs(one + s), ar = fabs(rho);

			if (fabs(t) <= DBL_EPSILON / 8 * (as < a1 ? as : a1) *
			    (1 - (ar > z ? ar : z)))
				break;
		}
	}
	tot = one + s;
	/* mixed signs that cancel to 1e-4 of the largest term: few digits */
	if (n == maxterms || !(fabs(tot) > 1e-4 * tmax) || !isfinite(tot))
		return -1;
	*sg = tot > 0 ? 1 : -1;
	if (sc == 0 && fabs(s) < 0.5) {
		*ls = log1p(s);
		*err = DBL_EPSILON * ((4 + sqrt(dn)) * sabs / fabs(tot) +
		    fabs(*ls));
	} else {
		*ls = log(fabs(tot)) + sc;
		*err = DBL_EPSILON * ((4 + sqrt(dn)) * (sabs + one) /
		    fabs(tot) + 1 + fabs(*ls));
	}
	return 0;
}

/*
 * ln 2F1 by the 1 - z connection formula (y = 1 - z, given so that it
 * keeps its digits when z is close to 1), s = c - a - b not an integer:
 *
 *   Gamma(c) Gamma(s) / (Gamma(c-a) Gamma(c-b)) F(a, b; 1-s; y)
 *   + y^s Gamma(c) Gamma(-s) / (Gamma(a) Gamma(b)) F(c-a, c-b; 1+s; y)
 *
 * Fails when the terms cancel to a value that keeps too few digits.
 */
static int
hypconn(double a, double b, double c, double y, double *lf, double *err)
{
	double s, l1 = 0, l2, lf1, lf2, e1 = 0, e2, m, v, u, w, el;
	int g1 = 1, g2, sg;

	/*
	 * Take the larger of a and b from c first: the difference is then
	 * often exact, and ln Gamma(s) near s = 0 is sensitive to every
	 * digit of s.
	 */
	s = b >= a ? (c - b) - a : (c - a) - b;
	if (nonposint(c - a) || nonposint(c - b))
		g1 = 0;		/* 1/Gamma at a pole: the term vanishes */
	else {
		l1 = lgratio(c, a, &g1, &e1);	/* Gamma(c)/Gamma(c-a) */
		u = lgam(s, &sg);
		g1 *= sg;
		w = lgam(c - b, &sg);
		g1 *= sg;
		if (hypser(a, b, 1 - s, y, HYP_MAXTERMS, &lf1, &sg, &el) != 0)
			return -1;
		l1 += u - w + lf1;
		g1 *= sg;
		e1 += el + 2 * DBL_EPSILON * (fabs(u) + fabs(w) + 1);
	}
	l2 = lgratio(c, c - b, &g2, &e2);		/* Gamma(c)/Gamma(b) */
	u = lgam(-s, &sg);
	g2 *= sg;
	w = lgam(a, &sg);
	g2 *= sg;
	if (hypser(c - a, c - b, 1 + s, y, HYP_MAXTERMS, &lf2,
	    &sg, &el) != 0)
		return -1;
	l2 += s * log(y) + u - w + lf2;
	g2 *= sg;
	e2 += el + 2 * DBL_EPSILON * (fabs(u) + fabs(w) + fabs(s * log(y)) +
	    1);
	if (g1 == 0) {
		if (g2 < 0 || !isfinite(l2))
			return -1;
		*lf = l2;
		*err = e2;
		return 0;
	}
	m = fmax(l1, l2);
	u = exp(l1 - m);
	w = exp(l2 - m);
	v = g1 * u + g2 * w;
	if (!(v > 1e-5) || !isfinite(m))
		return -1;
	*lf = m + log(v);
	*err = (u * e1 + w * e2) / v + DBL_EPSILON * (fabs(m) + 1);
	return 0;
}

/*
 * hypconn(), or near an integer c - a - b the extrapolation of ln 2F1
 * from shifts of +-h, +-2h, +-3h in one parameter (c, or a or b if c is
 * too small to shift), each at least deg from the degenerate point.  The
 * symmetric means M(k) = f + k^2 h^2 f2 / 2 + k^4 h^4 f4 / 24 + ... (f2,
 * f4 the derivatives) are a polynomial in k^2, extrapolated to k = 0 with
 * an error of O(h^6); the two-point extrapolation (4 M(1) - M(2)) / 3,
 * good to O(h^4), differs from that by about its own error, which serves
 * as the error estimate.  Near the degenerate point the two terms of the
 * formula are of size 1/(s ln y) with opposite signs, so deg shrinks as
 * ln y grows, which keeps the cancellation near 1/HYP_DEGEN and h ln y
 * small.
 */
static int
hypnear1(double a, double b, double c, double y, double *lf, double *err)
{
	double s = b >= a ? (c - b) - a : (c - a) - b;
	double deg = HYP_DEGEN / fmax(1, -log(y)), h = 2 * deg;
	double l[6], e[6], m[3], aa, bb, cc, d, emax = 0, f4;
	int i;

	if (fabs(s - rint(s)) >= deg)
		return hypconn(a, b, c, y, lf, err);
	for (i = 0; i < 6; i++) {
		d = (i / 2 + 1) * (i % 2 ? -h : h);
		aa = a, bb = b, cc = c;
		if (c > 8 * h)
			cc += d;
		else if (a > 8 * h)
			aa += d;
		else if (b > 8 * h)
			bb += d;
		else
			return -1;
		if (hypconn(aa, bb, cc, y, &l[i], &e[i]) != 0)
			return -1;
		emax = fmax(emax, e[i]);
	}
	for (i = 0; i < 3; i++)
		m[i] = (l[2 * i] + l[2 * i + 1]) / 2;
	*lf = 1.5 * m[0] - 0.6 * m[1] + 0.1 * m[2];
	f4 = (4 * m[0] - m[1]) / 3;
	*err = 2.2 * emax + fabs(*lf - f4);
	return 0;
}

/*
 * ln 2F1(a, b; c; z) for a, b, c > 0, 0 <= z < 1 and y = 1 - z, with a
 * bound on its absolute error into *err; MODEL_NONE if it cannot be
 * computed.  Above HYP_ZSWITCH the connection formula comes first; if its
 * error bound is not tiny, the series is tried as well (for at most
 * HYP_FALLBACK terms, as it may be slow there) and the better kept.
 */
static double
lhyp(double a, double b, double c, double z, double y, double *err)
{
	double lf = -1, e = HUGE_VAL, lf2, e2;
	int sg;

	*err = HUGE_VAL;
	if (!(a > 0 && b > 0 && c > 0 && a <= 1e8 && b <= 1e8 && c <= 1e8 &&
	    z >= 0 && z < 1 && y > 0 && y <= 1))
		return MODEL_NONE;
	if (z == 0) {
		*err = 0;
		return 0;
	}
	/* 2F1 >= 1 here: a clearly negative logarithm means lost digits */
	if (z > HYP_ZSWITCH && (hypnear1(a, b, c, y, &lf, &e) != 0 ||
	    !(lf > -1e-9) || !isfinite(lf)))
		lf = -1, e = HUGE_VAL;
	if (!(e <= 1e-12 * (1 + lf)) &&
	    hypser(a, b, c, z, z > HYP_ZSWITCH && e < HUGE_VAL ?
	    HYP_FALLBACK : HYP_MAXTERMS, &lf2, &sg, &e2) == 0 && sg > 0 &&
	    lf2 > -1e-9 && isfinite(lf2) && e2 < e)
		lf = lf2, e = e2;
	if (!(e < HUGE_VAL))
		return MODEL_NONE;
	*err = e;
	return fmax(lf, 0);
}

double
model_lhyp2f1(double a, double b, double c, double z)
{
	double err, lf = lhyp(a, b, c, z, 1 - z, &err);

	return lf >= 0 && err <= 1e-8 * (1 + lf) ? lf : MODEL_NONE;
}

/* ------------------------------------------------------ BG/NBD values */

static int
bgok(const struct bgnbd_params *bg)
{
	return bg != NULL && bg->r > 0 && bg->alpha > 0 && bg->a > 0 &&
	    bg->b > 0 && isfinite(bg->r) && isfinite(bg->alpha) &&
	    isfinite(bg->a) && isfinite(bg->b);
}

static int
histok(double x, double tx, double T)
{
	return x >= 0 && x <= 1e7 && x == floor(x) && T >= 0 && isfinite(T) &&
	    tx >= 0 && tx <= T;
}

/*
 * ln of the ratio of the two terms of the likelihood for x > 0: the
 * customer dropped out after the last purchase rather than being alive
 * at T.  P(alive) = 1 / (1 + exp(D)).
 */
static double
dropterm(const struct bgnbd_params *bg, double x, double tx, double T)
{
	return log(bg->a / (bg->b + x - 1)) +
	    (bg->r + x) * log1p((T - tx) / (bg->alpha + tx));
}

double
bgnbd_p_alive(const struct bgnbd_params *bg, double x, double tx, double T)
{
	double d, e;

	if (!bgok(bg) || !histok(x, tx, T))
		return MODEL_NONE;
	if (x == 0)
		return 1;
	/* d = +inf (T enormous against alpha + tx) is P = 0, as below */
	if (isnan(d = dropterm(bg, x, tx, T)))
		return MODEL_NONE;
	/* 1 / (1 + e^d) without overflow */
	if (d > 0) {
		e = exp(-d);
		return e / (1 + e);
	}
	return 1 / (1 + exp(d));
}

/*
 * 1 - (1-z)^A 2F1(A, B; C; z), or NAN when that cannot be computed
 * (kept internal; the public functions turn it into MODEL_NONE).
 */
static double
qterm(double A, double B, double C, double z, double y, double l1z)
{
	double err, lf = lhyp(A, B, C, z, y, &err), e;

	if (lf < 0)
		return NAN;
	e = A * l1z + lf;
	if (!(e < 700))
		return NAN;
	/*
	 * For small t the two logarithms nearly cancel: the relative error
	 * of expm1(e) is err * e^e / |expm1(e)|, and more than 1e-4 of it
	 * is no answer.
	 */
	err += DBL_EPSILON * (fabs(A * l1z) + lf);
	if (err * exp(e) > 1e-4 * fabs(expm1(e)))
		return NAN;
	return -expm1(e);
}

/*
 * Expected purchases in (T, T+t] given alive at T: the mean of
 * (1 - (1 + p u)^-(r+x)) / p over p ~ Beta(a, b+x), u = t / (alpha + T),
 * which FHL write (a+b+x-1)/(a-1) [1 - (1-z)^(r+x) 2F1(r+x, b+x;
 * a+b+x-1; z)], z = u / (1 + u).  When a+b+x-1 is small or negative (x =
 * 0 and a + b < 1.25) the 2F1 has no positive-term series, and a step in
 * the Beta mixture, p ~ Beta(a, be) being Beta(a, be+1) with weight
 * be/(a+be) and Beta(a+1, be) with weight a/(a+be), gives
 *
 *   be/(a-1) [1 - (1-z)^A 2F1(A, be+1; a+be; z)]
 *   + [1 - (1-z)^A 2F1(A, be; a+be; z)]
 *
 * with positive parameters throughout.  Returns NAN on failure.
 */
static double
ealive1(double r, double al, double a, double b, double x, double T,
    double t)
{
	double A = r + x, be = b + x, C = a + be - 1, u, z, y, l1z, q1, q2;

	u = t / (al + T);
	z = t / (al + T + t);
	y = (al + T) / (al + T + t);
	l1z = -log1p(u);
	if (C >= 0.25) {
		q1 = qterm(A, be, C, z, y, l1z);
		return C / (a - 1) * q1;
	}
	q1 = qterm(A, be + 1, a + be, z, y, l1z);
	q2 = qterm(A, be, a + be, z, y, l1z);
	return be / (a - 1) * q1 + q2;
}

/* ealive1(), extrapolated from a +- h, a +- 2h when a is close to 1. */
static double
ealive(const struct bgnbd_params *bg, double x, double T, double t)
{
	static const double k[4] = { 1, -1, 2, -2 };
	double v[4], h = 2 * A_NEAR1, e;
	int i;

	if (t == 0)
		return 0;
	if (fabs(bg->a - 1) >= A_NEAR1)
		e = ealive1(bg->r, bg->alpha, bg->a, bg->b, x, T, t);
	else {
		for (i = 0; i < 4; i++)
			v[i] = ealive1(bg->r, bg->alpha, bg->a + k[i] * h,
			    bg->b, x, T, t);
		e = (4 * (v[0] + v[1]) - (v[2] + v[3])) / 6;
	}
	if (!isfinite(e) || e < -1e-9 * (1 + fabs(e)))
		return MODEL_NONE;
	return fmax(e, 0);
}

double
bgnbd_expected(const struct bgnbd_params *bg, double t, double x, double tx,
    double T)
{
	double pa, e;

	if (!bgok(bg) || !histok(x, tx, T) || !(t >= 0) || !isfinite(t))
		return MODEL_NONE;
	if ((pa = bgnbd_p_alive(bg, x, tx, T)) < 0)
		return MODEL_NONE;
	if (pa == 0)
		return 0;
	if ((e = ealive(bg, x, T, t)) < 0)
		return MODEL_NONE;
	e *= pa;
	return isfinite(e) ? e : MODEL_NONE;
}

double
bgnbd_expected_new(const struct bgnbd_params *bg, double t)
{
	return bgnbd_expected(bg, t, 0, 0, 0);
}

/* One customer's log-likelihood. */
static double
bgll1(const struct bgnbd_params *bg, double x, double tx, double T)
{
	double r = bg->r, al = bg->alpha, a = bg->a, b = bg->b, ll, d;

	ll = lgamp(r + x) - lgamp(r) + r * log(al) + lgamp(b + x) +
	    lgamp(a + b) - lgamp(a + b + x) - lgamp(b) - (r + x) * log(al + T);
	if (x > 0) {
		d = dropterm(bg, x, tx, T);
		ll += d > 0 ? d + log1p(exp(-d)) : log1p(exp(d));
	}
	return ll;
}

int
bgnbd_loglik(const struct bgnbd_params *bg, const struct bgnbd_pattern *pat,
    size_t npat, double *ll)
{
	double s = 0;
	size_t i;

	if (!bgok(bg))
		return -1;
	for (i = 0; i < npat; i++) {
		const struct bgnbd_pattern *q = &pat[i];

		if (!histok(q->x, q->tx, q->T) || !(q->n >= 0) ||
		    !isfinite(q->n))
			return -1;
		if (q->n > 0)
			s += q->n * bgll1(bg, q->x, q->tx, q->T);
	}
	if (!isfinite(s))
		return -1;
	*ll = s;
	return 0;
}

void
bgnbd_rescale(const struct bgnbd_params *in, double k,
    struct bgnbd_params *out)
{
	struct bgnbd_params p = *in;

	if (k > 0 && isfinite(k)) {
		p.alpha /= k;
		p.ll += p.nrep * log(k);
	}
	*out = p;
}

void
bgnbd_days_to_weeks(const struct bgnbd_params *days,
    struct bgnbd_params *weeks)
{
	bgnbd_rescale(days, 7, weeks);
}

/* ---------------------------------------------------------- optimiser */

/* Objective: value, gradient into g; HUGE_VAL outside the domain. */
typedef double objfn(const double *th, double *g, void *ctx);

/* An inverse Hessian estimate; valid = 0 means none yet. */
struct hess {
	int	 valid;
	double	 h[NPMAX][NPMAX];
};

static double
gmaxabs(const double *g, int n)
{
	double m = 0;
	int i;

	for (i = 0; i < n; i++)
		m = fmax(m, fabs(g[i]));
	return m;
}

/*
 * BFGS on the inverse Hessian with a backtracking Armijo line search,
 * from th, and from the inverse Hessian in *hs if it is valid (else the
 * identity, scaled by s'y/y'y after the first step, so that no guess at
 * the curvature is needed); *hs is left with the last estimate.  Stops
 * when the largest gradient component is below gtol, when the step the
 * estimate proposes would gain less than 1e-14 (relative), when the
 * decrease has been lost in rounding three times running, when even a
 * fresh steepest descent finds no decrease, or after maxit iterations.
 * Returns the largest gradient component at *fx, the value at the end.
 */
static double
bfgs(objfn *f, void *ctx, int n, double *th, double *fx, struct hess *hs,
    double gtol, int maxit)
{
	double H[NPMAX][NPMAX], g[NPMAX], g1[NPMAX], d[NPMAX], t1[NPMAX];
	double s[NPMAX], y[NPMAX], Hy[NPMAX], f0, f1, step, gd, sy, yHy, dm;
	int i, j, it, k, fresh = 1, stall = 0;

	*fx = HUGE_VAL;
	f0 = f(th, g, ctx);
	if (!(f0 < HUGE_VAL))
		return HUGE_VAL;
	if (hs->valid) {
		memcpy(H, hs->h, sizeof(H));
		fresh = 0;
	}
	for (it = 0; it < maxit && gmaxabs(g, n) >= gtol; it++) {
		if (fresh)
			for (i = 0; i < n; i++)
				for (j = 0; j < n; j++)
					H[i][j] = i == j;
		gd = 0;
		for (i = 0; i < n; i++) {
			d[i] = 0;
			for (j = 0; j < n; j++)
				d[i] -= H[i][j] * g[j];
			gd += g[i] * d[i];
		}
		if (!(gd < 0)) {
			if (fresh)
				break;
			fresh = 1;
			continue;
		}
		/*
		 * The quasi-Newton step would gain less than rounding can
		 * show: at the answer (H is a real estimate, not the identity).
		 */
		if (!fresh && -gd < 1e-14 * (1 + fabs(f0)))
			break;
		/* no step of more than a factor e^3 in any parameter */
		dm = gmaxabs(d, n);
		if (dm > 3)
			for (i = 0, gd *= 3 / dm; i < n; i++)
				d[i] *= 3 / dm;
		step = 1;
		for (k = 0; k < 60; k++) {
			for (i = 0; i < n; i++)
				t1[i] = th[i] + step * d[i];
			f1 = f(t1, g1, ctx);
			if (f1 <= f0 + 1e-4 * step * gd)
				break;
			if (f1 < HUGE_VAL) {
				/* minimum of the interpolating parabola */
				double q = -gd * step * step /
				    (2 * (f1 - f0 - gd * step));

				step = fmin(fmax(q, 0.1 * step), 0.5 * step);
			} else
				step *= 0.1;
		}
		if (k == 60) {
			if (fresh)
				break;
			fresh = 1;
			continue;
		}
		sy = yHy = 0;
		for (i = 0; i < n; i++) {
			s[i] = t1[i] - th[i];
			y[i] = g1[i] - g[i];
			sy += s[i] * y[i];
		}
		if (sy > 1e-300) {
			if (fresh) {
				double yy = 0;

				for (i = 0; i < n; i++)
					yy += y[i] * y[i];
				for (i = 0; i < n; i++)
					H[i][i] = sy / yy;
			}
			for (i = 0; i < n; i++) {
				Hy[i] = 0;
				for (j = 0; j < n; j++)
					Hy[i] += H[i][j] * y[j];
				yHy += y[i] * Hy[i];
			}
			for (i = 0; i < n; i++)
				for (j = 0; j < n; j++)
					H[i][j] += (sy + yHy) * s[i] * s[j] /
					    (sy * sy) - (Hy[i] * s[j] +
					    s[i] * Hy[j]) / sy;
			fresh = 0;
		}
		/* progress lost in rounding three times running: done */
		stall = f0 - f1 <= 1e-15 * fabs(f0) ? stall + 1 : 0;
		memcpy(th, t1, sizeof(double) * n);
		memcpy(g, g1, sizeof(double) * n);
		f0 = f1;
		if (stall == 3)
			break;
	}
	if (!fresh) {
		memcpy(hs->h, H, sizeof(H));
		hs->valid = 1;
	}
	*fx = f0;
	return gmaxabs(g, n);
}

/*
 * Minimise from each start in turn (with the inverse Hessian in *hs, if
 * valid, as the first estimate), restarting BFGS from its own answer
 * while the gradient stays above 1e-7 and a restart gains something;
 * keep the best answer in best and its Hessian estimate in *hs.  Returns
 * the largest gradient component at the answer, HUGE_VAL if nothing
 * worked.
 */
static double
minimise(objfn *f, void *ctx, int n, double (*start)[NPMAX], int nstart,
    double *best, struct hess *hs)
{
	struct hess h0 = *hs, h;
	double th[NPMAX], fx = HUGE_VAL, fprev, fbest = HUGE_VAL, gm;
	double gbest = HUGE_VAL;
	int s, pass;

	for (s = 0; s < nstart; s++) {
		memcpy(th, start[s], sizeof(double) * n);
		h = h0;
		fprev = HUGE_VAL;
		for (pass = 0; pass < 5; pass++) {
			gm = bfgs(f, ctx, n, th, &fx, &h, 1e-10, 400);
			if (gm < 1e-7 || !(fx < fprev - 1e-13 * fabs(fx)))
				break;
			fprev = fx;
			h.valid = 0;
		}
		if (fx < fbest) {
			fbest = fx;
			gbest = gm;
			memcpy(best, th, sizeof(double) * n);
			*hs = h;
		}
	}
	return gbest;
}

/* The size of data above which the fits first solve a coarsened copy. */
#define COARSE_MIN	4000

/* Is every ln parameter within the bounds the fits accept? */
static int
inbounds(const double *th, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!(fabs(th[i]) <= LBOUND))
			return 0;
	return 1;
}

/* ---------------------------------------------------------- BG/NBD fit */

struct bgfit {
	size_t		 np, nt, ng;
	double		*n;		/* per pattern */
	uint32_t	*iT, *itx;	/* per pattern: indexes into tv */
	size_t		*gstart;	/* group k: gstart[k] .. gstart[k+1] */
	double		*gx, *gn;	/* group k: x, sum of n */
	double		*tv;		/* distinct times / scale */
	double		*lt, *iv;	/* ln(alpha + tv), 1 / (alpha + tv) */
	double		 N;
};

static int
patcmp(const void *va, const void *vb)
{
	const struct bgnbd_pattern *a = va, *b = vb;

	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	if (a->T != b->T)
		return a->T < b->T ? -1 : 1;
	if (a->tx != b->tx)
		return a->tx < b->tx ? -1 : 1;
	return 0;
}

static int
dblcmp(const void *va, const void *vb)
{
	double a = *(const double *)va, b = *(const double *)vb;

	return a < b ? -1 : a > b;
}

static uint32_t
tindex(const double *tv, size_t nt, double v)
{
	size_t lo = 0, hi = nt;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (tv[mid] <= v)
			lo = mid;
		else
			hi = mid;
	}
	return (uint32_t)lo;
}

/* Mean negative log-likelihood over th = ln(r, alpha, a, b), gradient. */
static double
bgobj(const double *th, double *grad, void *ctx)
{
	struct bgfit *F = ctx;
	double r, al, a, b, lal, ll = 0, gr = 0, gal = 0, ga = 0, gb = 0;
	double lgr, lgb, lgab, psr, psb, psab, x, A, d0, ib, nk;
	size_t j, k, i;
	int q;

	for (q = 0; q < 4; q++)
		if (!(fabs(th[q]) < 40))
			return HUGE_VAL;
	r = exp(th[0]), al = exp(th[1]), a = exp(th[2]), b = exp(th[3]);
	lal = log(al);
	for (j = 0; j < F->nt; j++) {
		double v = al + F->tv[j];

		F->lt[j] = log(v);
		F->iv[j] = 1 / v;
	}
	lgr = lgamp(r), lgb = lgamp(b), lgab = lgamp(a + b);
	psr = digamma(r), psb = digamma(b), psab = digamma(a + b);
	for (k = 0; k < F->ng; k++) {
		double slt = 0, siv = 0, ssp = 0, ssg = 0, ssgl = 0, ssgi = 0;
		double psabx;

		x = F->gx[k], nk = F->gn[k], A = r + x;
		psabx = digamma(a + b + x);
		ll += nk * (lgamp(r + x) - lgr + lgamp(b + x) + lgab -
		    lgamp(a + b + x) - lgb + r * lal);
		gr += nk * (digamma(r + x) - psr + lal);
		gal += nk * r / al;
		ga += nk * (psab - psabx);
		gb += nk * (digamma(b + x) - psb + psab - psabx);
		if (x == 0) {
			for (i = F->gstart[k]; i < F->gstart[k + 1]; i++) {
				slt += F->n[i] * F->lt[F->iT[i]];
				siv += F->n[i] * F->iv[F->iT[i]];
			}
			ll -= r * slt;
			gr -= slt;
			gal -= r * siv;
			continue;
		}
		d0 = log(a / (b + x - 1));
		ib = 1 / (b + x - 1);
		for (i = F->gstart[k]; i < F->gstart[k + 1]; i++) {
			double n = F->n[i], lT = F->lt[F->iT[i]];
			double ltx = F->lt[F->itx[i]], ivT = F->iv[F->iT[i]];
			double ivx = F->iv[F->itx[i]], D, e, sp, sg;

			D = d0 + A * (lT - ltx);
			e = exp(-fabs(D));
			sp = fmax(D, 0) + log1p(e);
			sg = D > 0 ? 1 / (1 + e) : e / (1 + e);
			slt += n * lT;
			siv += n * ivT;
			ssp += n * sp;
			ssg += n * sg;
			ssgl += n * sg * (lT - ltx);
			ssgi += n * sg * (ivT - ivx);
		}
		ll += -A * slt + ssp;
		gr += -slt + ssgl;
		gal += -A * siv + A * ssgi;
		ga += ssg / a;
		gb -= ssg * ib;
	}
	if (!isfinite(ll))
		return HUGE_VAL;
	grad[0] = -r * gr / F->N;
	grad[1] = -al * gal / F->N;
	grad[2] = -a * ga / F->N;
	grad[3] = -b * gb / F->N;
	return -ll / F->N;
}

static const char *const bgname[4] = { "r", "alpha", "a", "b" };

/* Sort p[0..np) and merge equal patterns; returns how many are left. */
static size_t
bgmerge(struct bgnbd_pattern *p, size_t np)
{
	size_t i, j;

	qsort(p, np, sizeof(*p), patcmp);
	for (i = j = 0; i < np; i++) {
		if (j > 0 && patcmp(&p[j - 1], &p[i]) == 0)
			p[j - 1].n += p[i].n;
		else
			p[j++] = p[i];
	}
	return j;
}

/*
 * Set F up for the merged patterns p[0..np) (sorted by x) with times
 * divided by scale.  Returns -1 if there are too many distinct times.
 */
static int
bgsetup(struct bgfit *F, const struct bgnbd_pattern *p, size_t np,
    double scale)
{
	double *tv;
	size_t i, nt;

	memset(F, 0, sizeof(*F));
	tv = xreallocarray(NULL, 2 * np, sizeof(double));
	for (i = 0; i < np; i++) {
		tv[2 * i] = p[i].T;
		tv[2 * i + 1] = p[i].tx;
	}
	qsort(tv, 2 * np, sizeof(double), dblcmp);
	for (i = nt = 0; i < 2 * np; i++)
		if (nt == 0 || tv[nt - 1] != tv[i])
			tv[nt++] = tv[i];
	F->tv = tv;
	if (nt > UINT32_MAX)
		return -1;
	F->np = np, F->nt = nt;
	F->n = xreallocarray(NULL, np, sizeof(double));
	F->iT = xreallocarray(NULL, np, sizeof(uint32_t));
	F->itx = xreallocarray(NULL, np, sizeof(uint32_t));
	F->gstart = xreallocarray(NULL, np + 1, sizeof(size_t));
	F->gx = xreallocarray(NULL, np, sizeof(double));
	F->gn = xreallocarray(NULL, np, sizeof(double));
	F->lt = xreallocarray(NULL, nt, sizeof(double));
	F->iv = xreallocarray(NULL, nt, sizeof(double));
	for (i = 0; i < np; i++) {
		F->N += p[i].n;
		F->n[i] = p[i].n;
		F->iT[i] = tindex(tv, nt, p[i].T);
		F->itx[i] = tindex(tv, nt, p[i].tx);
		if (i == 0 || p[i].x != p[i - 1].x) {
			F->gstart[F->ng] = i;
			F->gx[F->ng] = p[i].x;
			F->gn[F->ng++] = 0;
		}
		F->gn[F->ng - 1] += p[i].n;
	}
	F->gstart[F->ng] = np;
	for (i = 0; i < nt; i++)
		tv[i] /= scale;
	return 0;
}

static void
bgfree(struct bgfit *F)
{
	free(F->tv);
	free(F->n);
	free(F->iT);
	free(F->itx);
	free(F->gstart);
	free(F->gx);
	free(F->gn);
	free(F->lt);
	free(F->iv);
}

int
bgnbd_fit(const struct bgnbd_pattern *pat, size_t npat,
    struct bgnbd_params *out, char *why, size_t whysz)
{
	struct bgnbd_pattern *p = NULL;
	struct bgfit F, C;
	struct hess hs = { 0 };
	double N = 0, X = 0, nrep = 0, sT = 0, scale, rate, w;
	double start[2][NPMAX], th[NPMAX], g[NPMAX], gm, f;
	size_t i, j, np = 0, nc;
	int rc = -1, q, nstart;

	memset(&F, 0, sizeof(F));
	for (i = 0; i < npat; i++) {
		if (!histok(pat[i].x, pat[i].tx, pat[i].T) ||
		    !(pat[i].n >= 0) || !isfinite(pat[i].n)) {
			setwhy(why, whysz, "pattern %zu: invalid x, t_x, T "
			    "or n", i + 1);
			return -1;
		}
		/* the likelihood grows without bound as alpha goes to 0 */
		if (pat[i].x > 0 && pat[i].tx == 0 && pat[i].n > 0) {
			setwhy(why, whysz, "pattern %zu: repeat purchases at "
			    "t_x = 0, the time of the first", i + 1);
			return -1;
		}
		if (pat[i].n > 0)
			np++;
	}
	p = xreallocarray(NULL, np ? np : 1, sizeof(*p));
	for (i = j = 0; i < npat; i++)
		if (pat[i].n > 0) {
			p[j] = pat[i];
			if (p[j].x == 0)
				p[j].tx = 0;
			j++;
		}
	np = bgmerge(p, np);
	for (i = 0; i < np; i++) {
		N += p[i].n;
		X += p[i].n * p[i].x;
		sT += p[i].n * p[i].T;
		if (p[i].x > 0)
			nrep += p[i].n;
	}
	if (nrep < MODEL_MIN_REPEAT) {
		setwhy(why, whysz, "only %g repeat buyers, too few to fit",
		    nrep);
		goto done;
	}
	if (!(sT > 0) || !isfinite(sT) || !isfinite(X)) {
		setwhy(why, whysz, "no customer has any observation time");
		goto done;
	}
	scale = sT / N;

	/*
	 * Two generic starts, in the scaled time where the mean T is 1:
	 * rates that match the observed purchase rate, and a dropout chance
	 * of a half and of a sixth.
	 */
	rate = fmax(X / N, 1e-3);
	start[0][0] = 0, start[0][1] = -log(rate);
	start[0][2] = 0, start[0][3] = 0;
	start[1][0] = log(0.5), start[1][1] = log(0.5 / rate);
	start[1][2] = log(0.5), start[1][3] = log(2.5);

	/*
	 * Many patterns (daily data over years): search from the starts on
	 * a copy with the times rounded to 1/16 of the mean T, which has far
	 * fewer patterns, then finish on the data from that answer and with
	 * its Hessian estimate.
	 */
	nstart = 2;
	if (np > COARSE_MIN) {
		struct bgnbd_pattern *pc;

		pc = xreallocarray(NULL, np, sizeof(*pc));
		w = scale / 16;
		for (i = 0; i < np; i++) {
			pc[i] = p[i];
			pc[i].T = nearbyint(p[i].T / w) * w;
			pc[i].tx = nearbyint(p[i].tx / w) * w;
			/* no repeat purchase at 0: see bgnbd_fit() in model.h */
			if (pc[i].x > 0 && pc[i].tx == 0)
				pc[i].tx = w, pc[i].T = fmax(pc[i].T, w);
		}
		nc = bgmerge(pc, np);
		if (bgsetup(&C, pc, nc, scale) == 0 &&
		    minimise(bgobj, &C, 4, start, 2, th, &hs) < 1e-5 &&
		    inbounds(th, 4)) {
			memcpy(start[0], th, sizeof(th));
			nstart = 1;
		} else
			hs.valid = 0;
		bgfree(&C);
		free(pc);
	}
	if (bgsetup(&F, p, np, scale) != 0) {
		setwhy(why, whysz, "too many distinct times");
		goto done;
	}
	if (!((gm = minimise(bgobj, &F, 4, start, nstart, th, &hs)) <
	    HUGE_VAL) || !((f = bgobj(th, g, &F)) < HUGE_VAL)) {
		setwhy(why, whysz, "the fit does not converge");
		goto done;
	}
	for (q = 0; q < 4; q++)
		if (fabs(th[q]) > LBOUND) {
			setwhy(why, whysz, "the fit does not settle: %s runs "
			    "off towards %s", bgname[q],
			    th[q] > 0 ? "infinity" : "0");
			goto done;
		}
	if (!(gm < 1e-5)) {
		setwhy(why, whysz, "the fit does not converge");
		goto done;
	}
	out->r = exp(th[0]);
	out->alpha = exp(th[1]) * scale;
	out->a = exp(th[2]);
	out->b = exp(th[3]);
	/* each customer's density carries scale^-x: see bgnbd_rescale() */
	out->ll = -f * N - X * log(scale);
	out->ncust = N;
	out->nrep = X;
	rc = 0;
done:
	free(p);
	bgfree(&F);
	return rc;
}

/* -------------------------------------------------------- Gamma-Gamma */

struct ggfit {
	size_t		 no, ng;
	double		*m, *lm, *n;	/* per observation: m / scale, ln, n */
	size_t		*gstart;
	double		*gx, *glx, *gn;	/* per group: x, ln x, sum of n */
	double		 N;
};

static int
obscmp(const void *va, const void *vb)
{
	const struct gg_obs *a = va, *b = vb;

	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	if (a->m != b->m)
		return a->m < b->m ? -1 : 1;
	return 0;
}

/*
 * Mean negative log-likelihood over th = ln(p, q, gamma).  The density
 * of the mean m of x spends is
 *
 *   Gamma(px+q) / (Gamma(px) Gamma(q)) gamma^q m^(px-1) x^(px)
 *   / (gamma + m x)^(px+q)
 */
static double
ggobj(const double *th, double *grad, void *ctx)
{
	struct ggfit *F = ctx;
	double p, q, g, lg, ll = 0, gp = 0, gq = 0, gg = 0, psq, lgq;
	size_t k, i;
	int t;

	for (t = 0; t < 3; t++)
		if (!(fabs(th[t]) < 40))
			return HUGE_VAL;
	p = exp(th[0]), q = exp(th[1]), g = exp(th[2]);
	lg = log(g), psq = digamma(q), lgq = lgamp(q);
	for (k = 0; k < F->ng; k++) {
		double x = F->gx[k], lx = F->glx[k], nk = F->gn[k], px = p * x;
		double ps1 = digamma(px + q), slm = 0, sl = 0, si = 0;

		ll += nk * (lgamp(px + q) - lgamp(px) - lgq + q * lg +
		    px * lx);
		gp += nk * x * (ps1 - digamma(px) + lx);
		gq += nk * (ps1 - psq + lg);
		gg += nk * q / g;
		for (i = F->gstart[k]; i < F->gstart[k + 1]; i++) {
			double n = F->n[i], v = g + F->m[i] * x;

			slm += n * F->lm[i];
			sl += n * log(v);
			si += n / v;
		}
		ll += (px - 1) * slm - (px + q) * sl;
		gp += x * (slm - sl);
		gq -= sl;
		gg -= (px + q) * si;
	}
	if (!isfinite(ll))
		return HUGE_VAL;
	grad[0] = -p * gp / F->N;
	grad[1] = -q * gq / F->N;
	grad[2] = -g * gg / F->N;
	return -ll / F->N;
}

static const char *const ggname[3] = { "p", "q", "gamma" };

/* Sort o[0..no) and merge equal observations; returns how many are left. */
static size_t
ggmerge(struct gg_obs *o, size_t no)
{
	size_t i, j;

	qsort(o, no, sizeof(*o), obscmp);
	for (i = j = 0; i < no; i++) {
		if (j > 0 && obscmp(&o[j - 1], &o[i]) == 0)
			o[j - 1].n += o[i].n;
		else
			o[j++] = o[i];
	}
	return j;
}

/* Set F up for the merged observations o[0..no), spends / scale. */
static void
ggsetup(struct ggfit *F, const struct gg_obs *o, size_t no, double scale)
{
	size_t i, ng = 0;

	/* The observations come sorted by x: a group for each x. */
	for (i = 0; i < no; i++)
		if (i == 0 || o[i].x != o[i - 1].x)
			ng++;
	memset(F, 0, sizeof(*F));
	F->no = no;
	F->m = xreallocarray(NULL, no, sizeof(double));
	F->lm = xreallocarray(NULL, no, sizeof(double));
	F->n = xreallocarray(NULL, no, sizeof(double));
	F->gstart = xreallocarray(NULL, ng + 1, sizeof(size_t));
	F->gx = xreallocarray(NULL, ng + 1, sizeof(double));
	F->glx = xreallocarray(NULL, ng + 1, sizeof(double));
	F->gn = xreallocarray(NULL, ng + 1, sizeof(double));
	for (i = 0; i < no; i++) {
		F->N += o[i].n;
		F->m[i] = o[i].m / scale;
		F->lm[i] = log(F->m[i]);
		F->n[i] = o[i].n;
		if (i == 0 || o[i].x != o[i - 1].x) {
			F->gstart[F->ng] = i;
			F->gx[F->ng] = o[i].x;
			F->glx[F->ng] = log(o[i].x);
			F->gn[F->ng++] = 0;
		}
		F->gn[F->ng - 1] += o[i].n;
	}
	F->gstart[F->ng] = no;
}

static void
ggfree(struct ggfit *F)
{
	free(F->m);
	free(F->lm);
	free(F->n);
	free(F->gstart);
	free(F->gx);
	free(F->glx);
	free(F->gn);
}

/* A spend rounded to 1% on the log scale, for the first, coarse search. */
static double
ggcoarse(double m, double scale)
{
	return exp(nearbyint(log(m / scale) * 100) / 100) * scale;
}

static int
ggkeep(const struct gg_obs *b)
{
	return b->x >= 1 && b->m > 0 && b->n > 0;
}

int
gg_fit(const struct gg_obs *obs, size_t nobs, struct gg_params *out,
    char *why, size_t whysz)
{
	struct gg_obs *o = xreallocarray(NULL, nobs ? nobs : 1, sizeof(*o));
	int rc;

	if (nobs > 0)
		memcpy(o, obs, nobs * sizeof(*o));
	rc = gg_fit_inplace(o, nobs, out, why, whysz);
	free(o);
	return rc;
}

int
gg_fit_inplace(struct gg_obs *o, size_t nobs, struct gg_params *out,
    char *why, size_t whysz)
{
	struct ggfit F, C;
	struct hess hs = { 0 };
	double N = 0, sm = 0, scale, start[2][NPMAX], th[NPMAX], g[NPMAX];
	double gm, f;
	size_t i, j, no = 0, nc;
	int rc = -1, q, nstart;

	memset(&F, 0, sizeof(F));
	for (i = 0; i < nobs; i++) {
		const struct gg_obs *b = &o[i];

		if (!(b->x >= 0 && b->x <= 1e7 && b->x == floor(b->x)) ||
		    !isfinite(b->m) || !(b->n >= 0) || !isfinite(b->n)) {
			setwhy(why, whysz, "observation %zu: invalid x, m or n",
			    i + 1);
			return -1;
		}
	}
	for (i = j = 0; i < nobs; i++)
		if (ggkeep(&o[i]))
			o[j++] = o[i];
	no = ggmerge(o, j);
	for (i = 0; i < no; i++) {
		N += o[i].n;
		sm += o[i].n * o[i].m;
	}
	if (N < MODEL_MIN_REPEAT) {
		setwhy(why, whysz, "only %g repeat buyers, too few to fit", N);
		goto done;
	}
	if (!isfinite(sm)) {
		setwhy(why, whysz, "spend too large");
		goto done;
	}
	scale = sm / N;

	/* Scaled spends have mean 1: starts with p gamma / (q - 1) = 1. */
	start[0][0] = 0, start[0][1] = log(2), start[0][2] = 0;
	start[1][0] = log(5), start[1][1] = log(5), start[1][2] = log(0.8);

	/* Many buyers: search first with spends rounded to 1% (log scale). */
	nstart = 2;
	if (no > COARSE_MIN) {
		struct gg_obs *oc;
		double prev;

		/*
		 * Rounding keeps the order of o (by x, then m), so equal
		 * rounded spends are neighbours: count them, then merge.
		 */
		for (i = 0, nc = 0, prev = 0; i < no; i++) {
			double m = ggcoarse(o[i].m, scale);

			if (i == 0 || o[i].x != o[i - 1].x || m != prev)
				nc++;
			prev = m;
		}
		oc = xreallocarray(NULL, nc, sizeof(*oc));
		for (i = 0, j = 0; i < no; i++) {
			double m = ggcoarse(o[i].m, scale);

			if (j > 0 && oc[j - 1].x == o[i].x && oc[j - 1].m == m)
				oc[j - 1].n += o[i].n;
			else {
				oc[j] = o[i];
				oc[j++].m = m;
			}
		}
		ggsetup(&C, oc, nc, scale);
		if (minimise(ggobj, &C, 3, start, 2, th, &hs) < 1e-5 &&
		    inbounds(th, 3)) {
			memcpy(start[0], th, sizeof(th));
			nstart = 1;
		} else
			hs.valid = 0;
		ggfree(&C);
		free(oc);
	}
	ggsetup(&F, o, no, scale);
	if (!((gm = minimise(ggobj, &F, 3, start, nstart, th, &hs)) <
	    HUGE_VAL) || !((f = ggobj(th, g, &F)) < HUGE_VAL)) {
		setwhy(why, whysz, "the fit does not converge");
		goto done;
	}
	for (q = 0; q < 3; q++)
		if (fabs(th[q]) > LBOUND) {
			setwhy(why, whysz, "the fit does not settle: %s runs "
			    "off towards %s", ggname[q],
			    th[q] > 0 ? "infinity" : "0");
			goto done;
		}
	if (!(gm < 1e-5)) {
		setwhy(why, whysz, "the fit does not converge");
		goto done;
	}
	out->p = exp(th[0]);
	out->q = exp(th[1]);
	out->gamma = exp(th[2]) * scale;
	/* the density of m carries 1/scale per buyer */
	out->ll = -f * N - N * log(scale);
	out->n = N;
	rc = 0;
done:
	ggfree(&F);
	return rc;
}

static int
ggok(const struct gg_params *gg)
{
	return gg != NULL && gg->p > 0 && gg->q > 0 && gg->gamma > 0 &&
	    isfinite(gg->p) && isfinite(gg->q) && isfinite(gg->gamma);
}

double
gg_expected_spend(const struct gg_params *gg, double x, double m)
{
	double d, v;

	if (!ggok(gg) || !(x >= 0 && x <= 1e7 && x == floor(x)))
		return MODEL_NONE;
	if (x == 0) {
		if (!(gg->q > 1))
			return MODEL_NONE;
		v = gg->p * gg->gamma / (gg->q - 1);
	} else {
		if (!(m > 0) || !isfinite(m))
			return MODEL_NONE;
		d = gg->p * x + gg->q - 1;
		if (!(d > 0))
			return MODEL_NONE;
		v = gg->p * (gg->gamma + m * x) / d;
	}
	return isfinite(v) ? v : MODEL_NONE;
}

/* ---------------------------------------------------------------- CLV */

double
model_clv(const struct bgnbd_params *bg, double x, double tx, double T,
    double spend, double unit, double horizon, double rate)
{
	double pa, e, eprev = 0, sum = 0, td, k;

	if (!bgok(bg) || !histok(x, tx, T) || !(spend >= 0) ||
	    !isfinite(spend) || !(unit > 0) || !isfinite(unit) ||
	    !(horizon >= 0 && horizon <= HORIZON_MAX) || !(rate > -1) ||
	    !isfinite(rate))
		return MODEL_NONE;
	if (horizon == 0)
		return 0;
	if ((pa = bgnbd_p_alive(bg, x, tx, T)) < 0)
		return MODEL_NONE;
	if (pa == 0 || spend == 0)
		return 0;
	for (k = 1;; k++) {
		td = fmin(30 * k, horizon);
		if ((e = ealive(bg, x, T, td / unit)) < 0)
			return MODEL_NONE;
		/* E is increasing; a rounding dip must not count negative */
		if (e > eprev) {
			sum += (e - eprev) * pow(1 + rate, -td / 365);
			eprev = e;
		}
		if (td >= horizon)
			break;
	}
	sum *= pa * spend;
	return isfinite(sum) ? sum : MODEL_NONE;
}

void
model_summary(const struct bgnbd_params *bg, double unit,
    const struct gg_params *gg, struct model_summary *s)
{
	struct bgnbd_params d;

	s->have_bgnbd = s->have_gg = 0;
	s->r = s->a = s->b = s->alpha_days = s->alpha_weeks = MODEL_NONE;
	s->ll_days = s->ll_weeks = s->ncust = s->nrep = MODEL_NONE;
	s->dropout = s->p = s->q = s->gamma = s->gg_ll = s->gg_n = MODEL_NONE;
	s->mean_spend = MODEL_NONE;
	if (bg != NULL && bgok(bg) && unit > 0 && isfinite(unit)) {
		/* a unit of `unit` days to days: k = 1/unit */
		bgnbd_rescale(bg, 1 / unit, &d);
		s->have_bgnbd = 1;
		s->r = d.r, s->a = d.a, s->b = d.b;
		s->alpha_days = d.alpha;
		s->alpha_weeks = d.alpha / 7;
		s->ll_days = d.ll;
		s->ll_weeks = d.ll + d.nrep * log(7.0);
		s->ncust = d.ncust, s->nrep = d.nrep;
		s->dropout = d.a / (d.a + d.b);
	}
	if (gg != NULL && ggok(gg)) {
		s->have_gg = 1;
		s->p = gg->p, s->q = gg->q, s->gamma = gg->gamma;
		s->gg_ll = gg->ll, s->gg_n = gg->n;
		s->mean_spend = gg_expected_spend(gg, 0, 0);
	}
}
