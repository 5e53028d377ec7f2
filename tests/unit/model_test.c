/*
 * Unit tests for lib/model.c: the BG/NBD and Gamma-Gamma fits against the
 * published CDNOW figures, ln 2F1 and the conditional expectation against
 * values computed with mpmath, the guards, recovery of known parameters
 * from simulated data, and the refusals.
 *
 * testdata/cdnow-calibration.tsv holds (x, t_x, T, m) of the 2,357 CDNOW
 * sample customers, made by awk alone, not by the code under test:
 * calibration 1997-01-01 .. 1997-09-30, one transaction per customer and
 * day worth the day's total, x the purchase days after the first, t_x and
 * T in days from the first purchase to the last one and to 1997-09-30, m
 * the mean of the repeat days' totals.  Regenerate it from the top of the
 * tree with the lines from " * {" to " * } >testdata..." below, less their
 * leading " * " (or " *" before a tab):
 *
 *	sed -n '/^ \* {$/,/^ \* } >testdata/s/^ \* \{0,1\}//p' \
 *	    tests/unit/model_test.c | sh
 *
 * {
 * printf 'customer_id\tx\tt_x\tT\tm\n'
 * gzip -dc /work/shared/data/cdnow-sample.txt.gz | tr -d '\r' | awk '
 * function day(s,  y, m, d, n) {
 *	y = substr(s, 1, 4) + 0; m = substr(s, 5, 2) + 0
 *	d = substr(s, 7, 2) + 0
 *	if (m < 3) { y--; m += 12 }
 *	n = 365 * y + int(y / 4) - int(y / 100) + int(y / 400)
 *	return n + int((153 * (m - 3) + 2) / 5) + d
 * }
 * {
 *	c = $2; d = day($3)
 *	if (!(c in first) || d < first[c]) first[c] = d
 *	if ($3 <= 19970930) cents[c, d] += int($5 * 100 + 0.5)
 * }
 * END {
 *	end = day("19970930")
 *	for (k in cents) {
 *		split(k, f, SUBSEP); c = f[1]; d = f[2] + 0
 *		if (d == first[c]) continue
 *		x[c]++; sum[c] += cents[k]
 *		if (d > last[c]) last[c] = d
 *	}
 *	for (c in first) {
 *		if (x[c] > 0)
 *			printf "%s\t%d\t%d\t%d\t%.4f\n", c, x[c],
 *			    last[c] - first[c], end - first[c],
 *			    sum[c] / x[c] / 100
 *		else
 *			printf "%s\t0\t0\t%d\t\n", c, end - first[c]
 *	}
 * }' | sort
 * } >testdata/cdnow-calibration.tsv
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "model.h"
#include "test.h"

#define CDNOW	"testdata/cdnow-calibration.tsv"
#define NCDNOW	2357

/* The fitted values and such, with -v only: the suite shows failures. */
#define info(...) do {							\
	if (verbose)							\
		printf(__VA_ARGS__);					\
} while (0)

static int verbose;
static struct bgnbd_pattern cdw[NCDNOW], cdd[NCDNOW];	/* weeks, days */
static struct gg_obs cdm[NCDNOW];
static size_t ncd, ncdm;

/* Does v, rounded to `places` decimals, read `want`? */
static int
rounds(double v, int places, double want)
{
	double k = pow(10, places);

	return isfinite(v) && llround(v * k) == llround(want * k);
}

static int
near(double v, double want, double rel)
{
	return isfinite(v) && fabs(v - want) <= rel * fmax(fabs(want), 1e-300);
}

/* Valid output of a per-customer function: finite, >= 0 or MODEL_NONE. */
static int
sane(double v)
{
	return isfinite(v) && (v >= 0 || v == MODEL_NONE);
}

static int
readcdnow(void)
{
	FILE *fp;
	char line[256], id[32], ms[64];
	double x, tx, T;
	int k;

	if ((fp = fopen(CDNOW, "r")) == NULL) {
		printf("%s: cannot open (run from the top of the tree)\n",
		    CDNOW);
		return -1;
	}
	if (fgets(line, sizeof(line), fp) == NULL) {
		fclose(fp);
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL && ncd < NCDNOW) {
		k = sscanf(line, "%31s %lf %lf %lf %63s", id, &x, &tx, &T, ms);
		if (k < 4)
			break;
		cdd[ncd] = (struct bgnbd_pattern){ x, tx, T, 1 };
		cdw[ncd] = (struct bgnbd_pattern){ x, tx / 7, T / 7, 1 };
		ncd++;
		if (x > 0 && k == 5)
			cdm[ncdm++] = (struct gg_obs){ x, atof(ms), 1 };
	}
	fclose(fp);
	return 0;
}

/* ----------------------------------------------------- the simulator */

static uint64_t rng = 0x9e3779b97f4a7c15u;

/* splitmix64, as a double in (0, 1) */
static double
unif(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	z ^= z >> 31;
	return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

static double
rnorm(void)
{
	return sqrt(-2 * log(unif())) * cos(2 * M_PI * unif());
}

/* Gamma(k, 1) by Marsaglia & Tsang; k < 1 through k + 1. */
static double
rgam(double k)
{
	double d, c, x, v, u;

	if (k < 1)
		return rgam(k + 1) * pow(unif(), 1 / k);
	d = k - 1.0 / 3, c = 1 / sqrt(9 * d);
	for (;;) {
		do {
			x = rnorm();
			v = 1 + c * x;
		} while (v <= 0);
		v = v * v * v;
		u = unif();
		if (u < 1 - 0.0331 * x * x * x * x ||
		    log(u) < 0.5 * x * x + d * (1 - v + log(v)))
			return d * v;
	}
}

/*
 * n customers from a BG/NBD with parameters bg (time in days), first
 * purchases spread evenly over the `span` days before the end, counted
 * as a caller counts them: whole days, one purchase per day, so that x
 * is the number of later days with a purchase; with spends from a
 * Gamma-Gamma gg into m[] (if not NULL).
 */
static void
simulate(const struct bgnbd_params *bg, const struct gg_params *gg, int n,
    double span, struct bgnbd_pattern *pat, struct gg_obs *m)
{
	double lambda, p, t, tx, T, x, nu, sum;
	int i, j;

	for (i = 0; i < n; i++) {
		T = floor(unif() * (span + 1));
		lambda = rgam(bg->r) / bg->alpha;
		p = rgam(bg->a);
		p /= p + rgam(bg->b);
		for (t = tx = x = 0;;) {
			t += -log(unif()) / lambda;
			if (t > T)
				break;
			if (floor(t) > tx)
				x++, tx = floor(t);
			if (unif() < p)
				break;
		}
		pat[i] = (struct bgnbd_pattern){ x, tx, T, 1 };
		if (m == NULL)
			continue;
		nu = rgam(gg->q) / gg->gamma;
		for (j = 0, sum = 0; j < x; j++)
			sum += rgam(gg->p) / nu;
		m[i] = (struct gg_obs){ x, x > 0 ? sum / x : 0, 1 };
	}
}

/* ------------------------------------------------------------- tests */

static void
test_cdnow(void)
{
	struct bgnbd_params w, d, dw, pub = { 0.243, 4.414, 0.793, 2.426,
	    0, 0, 0 };
	struct gg_params g;
	struct model_summary s;
	char why[128] = "";
	double ll;

	CHECK(ncd == NCDNOW && ncdm == 946);

	/* weeks, as published (T = days / 7 to 1997-09-30) */
	CHECK(bgnbd_fit(cdw, ncd, &w, why, sizeof(why)) == 0);
	info("# cdnow weeks: r %.6f alpha %.6f a %.6f b %.6f ll %.4f\n",
	    w.r, w.alpha, w.a, w.b, w.ll);
	CHECK(rounds(w.r, 3, 0.243));
	CHECK(rounds(w.alpha, 3, 4.414));
	CHECK(rounds(w.a, 3, 0.793));
	CHECK(rounds(w.b, 3, 2.426));
	CHECK(rounds(w.ll, 1, -9582.4));
	CHECK(w.ncust == 2357 && w.nrep == 2457);
	CHECK(bgnbd_loglik(&pub, cdw, ncd, &ll) == 0 && rounds(ll, 1,
	    -9582.4));

	/* days: alpha times 7, r a b unchanged, ll less 2457 ln 7 */
	CHECK(bgnbd_fit(cdd, ncd, &d, why, sizeof(why)) == 0);
	info("# cdnow days:  r %.6f alpha %.6f a %.6f b %.6f ll %.4f\n",
	    d.r, d.alpha, d.a, d.b, d.ll);
	CHECK(rounds(d.r, 3, 0.243));
	CHECK(rounds(d.alpha, 2, 30.90));
	CHECK(rounds(d.a, 3, 0.793));
	CHECK(rounds(d.b, 3, 2.426));
	CHECK(near(d.ll, w.ll - 2457 * log(7.0), 1e-7));
	bgnbd_days_to_weeks(&d, &dw);
	CHECK(near(dw.alpha, w.alpha, 1e-5) && near(dw.r, w.r, 1e-5) &&
	    near(dw.a, w.a, 1e-5) && near(dw.b, w.b, 1e-5));
	CHECK(near(dw.ll, w.ll, 1e-8));
	bgnbd_rescale(&dw, 1 / 7.0, &dw);
	CHECK(near(dw.alpha, d.alpha, 1e-12) && near(dw.ll, d.ll, 1e-12));

	CHECK(gg_fit(cdm, ncdm, &g, why, sizeof(why)) == 0);
	info("# cdnow spend: p %.6f q %.6f gamma %.6f ll %.4f\n", g.p, g.q,
	    g.gamma, g.ll);
	CHECK(rounds(g.p, 2, 6.25));
	CHECK(rounds(g.q, 2, 3.74));
	CHECK(rounds(g.gamma, 2, 15.44));
	CHECK(rounds(g.ll, 1, -4055.9));
	CHECK(g.n == 946);

	model_summary(&w, 7, &g, &s);
	CHECK(s.have_bgnbd && s.have_gg);
	CHECK(rounds(s.alpha_days, 2, 30.90) && rounds(s.alpha_weeks, 3,
	    4.414));
	CHECK(near(s.ll_weeks, w.ll, 1e-12) && near(s.ll_days, d.ll, 1e-7));
	CHECK(s.nrep == 2457 && rounds(s.dropout, 3, 0.246));
	CHECK(near(s.mean_spend, g.p * g.gamma / (g.q - 1), 1e-12));
	model_summary(NULL, 7, NULL, &s);
	CHECK(!s.have_bgnbd && !s.have_gg && s.r == MODEL_NONE);
}

/* ln 2F1 against mpmath (40 digits) and against closed forms. */
static void
test_hyp2f1(void)
{
	static const double ref[][5] = {
		{ 2.243, 4.426, 4.219, 0.4740258161752194,
		    1.5206757450090228 },
		{ 0.243, 2.426, 2.219, 0.5, 0.18821830926204302 },
		{ 1.5, 2.5, 4.0, 0.3, 0.32316195630065338 },
		{ 300.243, 302.426, 302.219, 0.9, 691.81046805962592 },
		{ 0.7, 1.3, 3.0, 0.99, 0.60029006996905791 },	/* c-a-b = 1 */
		{ 0.7, 1.3, 2.0, 0.9999, 2.0928952369031146 },	/* c-a-b = 0 */
		{ 0.7, 1.3, 2.5, 0.999999, 1.0120383773849965 },
		{ 5.0, 0.05, 0.5, 0.95, 10.609125927435085 },
		{ 2.0, 3.0, 0.01, 0.7, 12.56109170196789 },
	};
	double z, v;
	size_t i;
	int ok;

	for (i = 0; i < sizeof(ref) / sizeof(ref[0]); i++) {
		v = model_lhyp2f1(ref[i][0], ref[i][1], ref[i][2], ref[i][3]);
		if (!near(v, ref[i][4], 1e-9))
			printf("# 2F1 case %zu: %.17g, want %.17g\n", i, v,
			    ref[i][4]);
		CHECK(near(v, ref[i][4], 1e-9));
	}
	/* 2F1(1,1;2;z) = -ln(1-z)/z, 2F1(a,b;b;z) = (1-z)^-a */
	for (ok = 1, z = 0.001; z < 1; z += 0.0437)
		ok &= near(model_lhyp2f1(1, 1, 2, z), log(-log1p(-z) / z),
		    1e-10) && near(model_lhyp2f1(0.37, 2.5, 2.5, z),
		    -0.37 * log1p(-z), 1e-10);
	CHECK(ok);
	z = 1 - 1e-12;
	CHECK(near(model_lhyp2f1(1, 1, 2, z), log(-log1p(-z) / z), 1e-10));
	/* 2F1(1/2,1/2;3/2;z^2) = asin(z)/z */
	CHECK(near(model_lhyp2f1(0.5, 0.5, 1.5, 0.81), log(asin(0.9) / 0.9),
	    1e-10));
	CHECK(model_lhyp2f1(1, 1, 2, 0) == 0);
	CHECK(model_lhyp2f1(1, 1, 2, 1) == MODEL_NONE);
	CHECK(model_lhyp2f1(1, 1, 2, -0.5) == MODEL_NONE);
	CHECK(model_lhyp2f1(0, 1, 2, 0.5) == MODEL_NONE);
	CHECK(model_lhyp2f1(1, 1, -2, 0.5) == MODEL_NONE);
	CHECK(model_lhyp2f1(NAN, 1, 2, 0.5) == MODEL_NONE);
	CHECK(model_lhyp2f1(1, 1, 2, NAN) == MODEL_NONE);
	CHECK(model_lhyp2f1(1e9, 1, 2, 0.5) == MODEL_NONE);
}

/* P(alive) and E[Y(t) | x, t_x, T] against mpmath (quadrature over p). */
static void
test_values(void)
{
	static const double ref[][10] = {
		/* r alpha a b t x tx T E P */
		{ 0.243, 4.414, 0.793, 2.426, 39, 2, 30.43, 38.86,
		    1.2260281747671444, 0.72657857008067291 },
		{ 0.243, 4.414, 0.793, 2.426, 39, 0, 0, 0,
		    1.1967231933208168, 1.0 },
		{ 0.243, 4.414, 0.793, 2.426, 52, 7, 35.14, 38.86,
		    5.5425227892948851, 0.84712348415869822 },
		{ 0.243, 30.9, 1.0, 2.426, 365, 3, 100, 200,
		    1.4598464531286737, 0.4126377181906706 },
		{ 0.5, 10, 0.3, 0.4, 100, 0, 0, 20,
		    1.0292214585722049, 1.0 },
	};
	struct bgnbd_params bg;
	size_t i;
	double e, p;

	for (i = 0; i < sizeof(ref) / sizeof(ref[0]); i++) {
		bg = (struct bgnbd_params){ ref[i][0], ref[i][1], ref[i][2],
		    ref[i][3], 0, 0, 0 };
		e = bgnbd_expected(&bg, ref[i][4], ref[i][5], ref[i][6],
		    ref[i][7]);
		p = bgnbd_p_alive(&bg, ref[i][5], ref[i][6], ref[i][7]);
		if (!near(e, ref[i][8], 1e-8) || !near(p, ref[i][9], 1e-12))
			printf("# value case %zu: E %.17g P %.17g\n", i, e, p);
		CHECK(near(e, ref[i][8], 1e-8));
		CHECK(near(p, ref[i][9], 1e-12));
	}
	bg = (struct bgnbd_params){ 0.243, 4.414, 0.793, 2.426, 0, 0, 0 };
	CHECK(bgnbd_expected_new(&bg, 39) == bgnbd_expected(&bg, 39, 0, 0, 0));
	/* a moment ahead: P(alive) times the rate (r+x)/(alpha+T) */
	e = bgnbd_expected(&bg, 1e-6, 2, 30.43, 38.86);
	p = bgnbd_p_alive(&bg, 2, 30.43, 38.86);
	CHECK(near(e / 1e-6, p * 2.243 / (4.414 + 38.86), 1e-5));
}

static void
test_guards(void)
{
	static const double rs[] = { 1e-6, 0.243, 50, 1e4 };
	static const double als[] = { 1e-6, 30.9, 1e6 };
	static const double as[] = { 1e-4, 0.999, 1, 1.0005, 50 };
	static const double bs[] = { 1e-4, 2.426, 1e4 };
	static const double h[][3] = {
		{ 0, 0, 0 }, { 0, 0, 100000 }, { 1, 0, 0 }, { 300, 100, 100 },
		{ 300, 0, 100000 }, { 1, 100000, 100000 }, { 50, 3, 7 },
	};
	static const double ts[] = { 0, 1, 30, 365, 1e5 };
	struct bgnbd_params bg = { 0.243, 30.9, 0.793, 2.426, 0, 0, 0 }, bad;
	size_t i, j, k, l, m, q;
	double v, prev;
	int ok = 1, none = 0, calls = 0;

	/* nobody drops out before a repeat purchase */
	for (v = 0; v < 1000; v += 37)
		ok &= bgnbd_p_alive(&bg, 0, 0, v) == 1;
	CHECK(ok);
	/* the awkward customers, with sensible parameters */
	for (i = 0; i < sizeof(h) / sizeof(h[0]); i++) {
		v = bgnbd_p_alive(&bg, h[i][0], h[i][1], h[i][2]);
		CHECK(v >= 0 && v <= 1);
		for (j = 0; j < sizeof(ts) / sizeof(ts[0]); j++) {
			v = bgnbd_expected(&bg, ts[j], h[i][0], h[i][1],
			    h[i][2]);
			if (!(isfinite(v) && v >= 0))
				printf("# E(%g | %g, %g, %g) = %g\n", ts[j],
				    h[i][0], h[i][1], h[i][2], v);
			CHECK(isfinite(v) && v >= 0);
		}
		v = model_clv(&bg, h[i][0], h[i][1], h[i][2], 25, 1, 365, 0.1);
		CHECK(isfinite(v) && v >= 0);
	}
	CHECK(bgnbd_expected(&bg, 0, 3, 10, 20) == 0);
	CHECK(bgnbd_p_alive(&bg, 300, 300, 300) > 0.99);
	CHECK(bgnbd_p_alive(&bg, 300, 0, 100000) < 1e-10);

	/* every parameter at its extremes: never NaN or Inf */
	for (i = 0; i < sizeof(rs) / sizeof(rs[0]); i++)
	for (j = 0; j < sizeof(als) / sizeof(als[0]); j++)
	for (k = 0; k < sizeof(as) / sizeof(as[0]); k++)
	for (l = 0; l < sizeof(bs) / sizeof(bs[0]); l++) {
		bg = (struct bgnbd_params){ rs[i], als[j], as[k], bs[l],
		    0, 0, 0 };
		for (m = 0; m < sizeof(h) / sizeof(h[0]); m++) {
			v = bgnbd_p_alive(&bg, h[m][0], h[m][1], h[m][2]);
			ok &= isfinite(v) && v >= 0 && v <= 1;
			for (q = 0; q < sizeof(ts) / sizeof(ts[0]); q++) {
				v = bgnbd_expected(&bg, ts[q], h[m][0],
				    h[m][1], h[m][2]);
				ok &= sane(v);
				none += v == MODEL_NONE;
				calls++;
			}
			ok &= sane(model_clv(&bg, h[m][0], h[m][1], h[m][2],
			    10, 1, 730, 0.1));
		}
		ok &= sane(bgnbd_expected_new(&bg, 365));
	}
	CHECK(ok);
	info("# extreme grid: %d of %d expectations not computable\n", none,
	    calls);

	/* invalid input gives MODEL_NONE */
	bg = (struct bgnbd_params){ 0.243, 30.9, 0.793, 2.426, 0, 0, 0 };
	CHECK(bgnbd_p_alive(&bg, 2, 50, 40) == MODEL_NONE);	/* tx > T */
	CHECK(bgnbd_p_alive(&bg, 1.5, 5, 40) == MODEL_NONE);
	CHECK(bgnbd_p_alive(&bg, -1, 0, 40) == MODEL_NONE);
	CHECK(bgnbd_p_alive(&bg, 2, 5, NAN) == MODEL_NONE);
	CHECK(bgnbd_p_alive(&bg, 2, 5, INFINITY) == MODEL_NONE);
	CHECK(bgnbd_expected(&bg, -1, 2, 5, 40) == MODEL_NONE);
	CHECK(bgnbd_expected(&bg, INFINITY, 2, 5, 40) == MODEL_NONE);
	CHECK(bgnbd_expected(&bg, NAN, 2, 5, 40) == MODEL_NONE);
	CHECK(bgnbd_expected(NULL, 1, 2, 5, 40) == MODEL_NONE);
	bad = bg, bad.a = 0;
	CHECK(bgnbd_expected(&bad, 1, 2, 5, 40) == MODEL_NONE);
	bad = bg, bad.alpha = NAN;
	CHECK(bgnbd_p_alive(&bad, 2, 5, 40) == MODEL_NONE);
	bad = bg, bad.r = INFINITY;
	CHECK(bgnbd_expected(&bad, 1, 2, 5, 40) == MODEL_NONE);
	CHECK(model_clv(&bg, 2, 5, 40, -1, 1, 365, 0.1) == MODEL_NONE);
	CHECK(model_clv(&bg, 2, 5, 40, 10, 0, 365, 0.1) == MODEL_NONE);
	CHECK(model_clv(&bg, 2, 5, 40, 10, 1, 40000, 0.1) == MODEL_NONE);
	CHECK(model_clv(&bg, 2, 5, 40, 10, 1, 365, -1) == MODEL_NONE);
	CHECK(model_clv(&bg, 2, 5, 40, 10, 1, 0, 0.1) == 0);

	/* expected purchases grow with the horizon */
	for (i = 0; i < sizeof(h) / sizeof(h[0]); i++) {
		for (ok = 1, prev = 0, v = 1; v < 5000; v *= 1.7) {
			double e = bgnbd_expected(&bg, v, h[i][0], h[i][1],
			    h[i][2]);

			ok &= e >= prev;
			prev = e;
		}
		CHECK(ok && (prev > 0 || bgnbd_p_alive(&bg, h[i][0], h[i][1],
		    h[i][2]) < 1e-300));
	}
}

static void
test_spend_clv(void)
{
	struct gg_params g = { 6.25, 3.74, 15.44, 0, 0 }, bad = g;
	struct bgnbd_params bg = { 0.243, 4.414, 0.793, 2.426, 0, 0, 0 }, bd;
	double e, v, want, prev, td, s;
	int k;

	CHECK(near(gg_expected_spend(&g, 0, 123), 6.25 * 15.44 / 2.74,
	    1e-12));
	CHECK(near(gg_expected_spend(&g, 2, 20), 6.25 * (15.44 + 40) /
	    (12.5 + 2.74), 1e-12));
	/* the weights: population mean and own mean */
	e = gg_expected_spend(&g, 5, 50);
	CHECK(near(e, 2.74 / (31.25 + 2.74) * 6.25 * 15.44 / 2.74 +
	    31.25 / (31.25 + 2.74) * 50, 1e-12));
	CHECK(gg_expected_spend(&g, 2, 0) == MODEL_NONE);
	CHECK(gg_expected_spend(&g, 2, -5) == MODEL_NONE);
	CHECK(gg_expected_spend(&g, 2.5, 5) == MODEL_NONE);
	bad.q = 0.5;
	CHECK(gg_expected_spend(&bad, 0, 5) == MODEL_NONE);
	CHECK(gg_expected_spend(&bad, 3, 5) > 0);
	bad.q = NAN;
	CHECK(gg_expected_spend(&bad, 3, 5) == MODEL_NONE);

	/* CLV: undiscounted, it is E(horizon) * spend */
	v = model_clv(&bg, 2, 30.43, 38.86, 20, 7, 365, 0);
	CHECK(near(v, 20 * bgnbd_expected(&bg, 365 / 7.0, 2, 30.43, 38.86),
	    1e-9));
	/* discounted: steps of 30 days, the last partial (100 = 30+30+30+10) */
	for (k = 1, want = prev = 0;; k++) {
		td = fmin(30 * k, 100);
		e = bgnbd_expected(&bg, td / 7, 2, 30.43, 38.86);
		want += (e - prev) * 20 * pow(1.1, -td / 365);
		prev = e;
		if (td == 100)
			break;
	}
	CHECK(k == 4);
	CHECK(near(model_clv(&bg, 2, 30.43, 38.86, 20, 7, 100, 0.1), want,
	    1e-12));
	CHECK(model_clv(&bg, 2, 30.43, 38.86, 20, 7, 100, 0.1) <
	    model_clv(&bg, 2, 30.43, 38.86, 20, 7, 100, 0));
	/* the same customer in days, with the fit in days */
	bgnbd_rescale(&bg, 1 / 7.0, &bd);
	s = model_clv(&bd, 2, 213.01, 272.02, 20, 1, 730, 0.08);
	CHECK(near(s, model_clv(&bg, 2, 30.43, 38.86, 20, 7, 730, 0.08),
	    1e-9));
}

static void
test_simulated(void)
{
	static struct bgnbd_pattern pat[60000];
	static struct gg_obs m[60000];
	struct bgnbd_params truth = { 0.5, 20, 0.7, 3, 0, 0, 0 }, f;
	struct gg_params gt = { 6, 4, 15, 0, 0 }, gf;
	char why[128] = "";
	int i, n = 60000;

	rng = 42;
	simulate(&truth, &gt, n, 540, pat, m);
	CHECK(bgnbd_fit(pat, (size_t)n, &f, why, sizeof(why)) == 0);
	info("# simulated (0.5, 20, 0.7, 3): r %.4f alpha %.4f a %.4f "
	    "b %.4f\n", f.r, f.alpha, f.a, f.b);
	CHECK(near(f.r, truth.r, 0.1) && near(f.alpha, truth.alpha, 0.15));
	CHECK(near(f.a, truth.a, 0.25) && near(f.b, truth.b, 0.3));
	CHECK(gg_fit(m, (size_t)n, &gf, why, sizeof(why)) == 0);
	info("# simulated (6, 4, 15): p %.4f q %.4f gamma %.4f\n", gf.p,
	    gf.q, gf.gamma);
	CHECK(near(gf.p, gt.p, 0.15) && near(gf.q, gt.q, 0.2) &&
	    near(gf.gamma, gt.gamma, 0.25));

	/* the fit merges identical patterns: grouped input, same answer */
	{
		struct bgnbd_params f2;
		static struct bgnbd_pattern dup[2 * 60000];

		for (i = 0; i < n; i++) {
			dup[2 * i] = pat[i];
			dup[2 * i + 1] = pat[i];
			dup[2 * i].n = dup[2 * i + 1].n = 0.5;
		}
		CHECK(bgnbd_fit(dup, 2 * (size_t)n, &f2, why,
		    sizeof(why)) == 0 && near(f2.r, f.r, 1e-6) &&
		    near(f2.ll, f.ll, 1e-9));
	}
}

static void
test_refusals(void)
{
	struct bgnbd_pattern pat[200];
	struct gg_obs o[10];
	struct bgnbd_params f = { 1, 2, 3, 4, 5, 6, 7 };
	struct gg_params g = { 1, 2, 3, 4, 5 };
	char why[128];
	int i;

	/* 10 repeat buyers among 200 */
	for (i = 0; i < 200; i++)
		pat[i] = (struct bgnbd_pattern){ i < 10 ? 2 : 0,
		    i < 10 ? 20 : 0, 100, 1 };
	why[0] = '\0';
	CHECK(bgnbd_fit(pat, 200, &f, why, sizeof(why)) == -1);
	CHECK_STR(why, "only 10 repeat buyers, too few to fit");
	CHECK(f.r == 1 && f.alpha == 2 && f.ll == 5);	/* untouched */
	CHECK(bgnbd_fit(pat, 0, &f, why, sizeof(why)) == -1 && why[0] != '\0');
	CHECK(bgnbd_fit(pat, 200, &f, NULL, 0) == -1);
	pat[3].tx = 200;
	CHECK(bgnbd_fit(pat, 200, &f, why, sizeof(why)) == -1);
	CHECK_STR(why, "pattern 4: invalid x, t_x, T or n");
	pat[3].tx = 0;
	CHECK(bgnbd_fit(pat, 200, &f, why, sizeof(why)) == -1);
	CHECK_STR(why, "pattern 4: repeat purchases at t_x = 0, the time of "
	    "the first");

	for (i = 0; i < 10; i++)
		o[i] = (struct gg_obs){ 1 + i % 3, 10 + i, 1 };
	CHECK(gg_fit(o, 10, &g, why, sizeof(why)) == -1);
	CHECK_STR(why, "only 10 repeat buyers, too few to fit");
	CHECK(g.p == 1 && g.ll == 4);
	/* x = 0 and m <= 0 are left out, not counted */
	o[0] = (struct gg_obs){ 0, 0, 100 };
	o[1] = (struct gg_obs){ 2, -5, 100 };
	o[2] = (struct gg_obs){ 2, 0, 100 };
	CHECK(gg_fit(o, 10, &g, why, sizeof(why)) == -1);
	CHECK_STR(why, "only 7 repeat buyers, too few to fit");
	o[3].m = NAN;
	CHECK(gg_fit(o, 10, &g, why, sizeof(why)) == -1);
	CHECK_STR(why, "observation 4: invalid x, m or n");
	/* everyone spends the same: no spread for p and q to describe */
	o[0] = (struct gg_obs){ 2, 25, 30 };
	o[1] = (struct gg_obs){ 5, 25, 30 };
	why[0] = '\0';
	CHECK(gg_fit(o, 2, &g, why, sizeof(why)) == -1);
	info("# degenerate spend: %s\n", why);
	CHECK(why[0] != '\0' && g.p == 1);

	/*
	 * Everyone buys at one steady rate and never leaves: nothing to
	 * fit heterogeneity or dropout to, and the fit must say so.
	 */
	for (i = 0; i < 200; i++)
		pat[i] = (struct bgnbd_pattern){ 10, 95, 100, 1 };
	why[0] = '\0';
	CHECK(bgnbd_fit(pat, 200, &f, why, sizeof(why)) == -1);
	info("# degenerate data: %s\n", why);
	CHECK(why[0] != '\0' && f.r == 1);
}

int
main(int argc, char **argv)
{
	verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
	if (readcdnow() == 0)
		test_cdnow();
	else
		CHECK(!"testdata/cdnow-calibration.tsv readable");
	test_hyp2f1();
	test_values();
	test_guards();
	test_spend_clv();
	test_simulated();
	test_refusals();
	return test_summary();
}
