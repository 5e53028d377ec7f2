/*
 * model: the customer-base models behind cv-score.
 *
 * BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy
 * way", Marketing Science 24(2)): while active, a customer buys at a
 * Poisson rate lambda, Gamma(r, alpha) across customers; after each repeat
 * purchase the customer drops out for good with probability p, Beta(a, b)
 * across customers.  A customer is summarised by
 *
 *	x	repeat purchases (purchases after the first), a whole number
 *	tx	time of the last purchase, measured from the first (0 if x = 0)
 *	T	time from the first purchase to the end of the observation
 *
 * Gamma-Gamma (Fader & Hardie 2013, "The Gamma-Gamma model of monetary
 * value"; Colombo & Jiang 1999): the spend of a customer's transactions
 * is Gamma(p, nu), nu is Gamma(q, gamma) across customers, independent of
 * the purchase process.  A repeat buyer is summarised by x >= 1 and m, the
 * mean spend of the x repeat transactions.
 *
 * Time unit.  The BG/NBD functions work in whatever unit the caller's
 * tx and T are in (days or weeks); alpha comes out in that unit and r, a
 * and b do not depend on it.  model_clv() takes the unit's length in
 * days.  Money is in whatever unit m is in; gamma is in that unit.
 *
 * Errors.  The fits return 0, or -1 with a short lowercase reason (no
 * full stop) in why[whysz]; on failure *out is left untouched, so no
 * nonsense parameters ever escape.  Every per-customer function returns a
 * value >= 0, or MODEL_NONE (negative) when the inputs are invalid or the
 * value cannot be computed: none ever returns NaN or an infinity.  They
 * allocate nothing, keep no state and are safe to call from threads.  The
 * fits allocate working copies of their input (through xmalloc(), so out
 * of memory exits) and free them before they return.
 */
#ifndef CV_MODEL_H
#define CV_MODEL_H

#include <stddef.h>

/* "No value": what the per-customer functions return when they cannot. */
#define MODEL_NONE	(-1.0)

/* The fewest repeat buyers (customers with x >= 1) a fit accepts. */
#define MODEL_MIN_REPEAT 20

/*
 * BG/NBD.  A pattern is n customers that share x, tx and T (n need not be
 * a whole number: it is a weight).  Identical patterns are merged by the
 * fit, so passing one pattern per customer works, only more slowly.
 */
struct bgnbd_pattern {
	double	 x, tx, T, n;
};

struct bgnbd_params {
	double	 r, alpha, a, b;
	double	 ll;		/* log-likelihood at the fit */
	double	 ncust;		/* customers in the fit, sum of n */
	double	 nrep;		/* repeat purchases in the fit, sum of n * x */
};

/*
 * Maximum-likelihood fit.  Patterns with n = 0 are ignored.  It is an
 * error for a pattern to have x that is not a whole number >= 0, tx
 * outside [0, T], a value that is not finite, or x >= 1 with tx = 0
 * (repeat purchases at the time of the first: the likelihood then grows
 * without bound as alpha goes to 0; count purchases once per day, so
 * that a repeat purchase is at least a day after the first).  Fails when
 * fewer than MODEL_MIN_REPEAT customers have x >= 1, when no customer
 * has T > 0, or when the optimiser does not converge to an interior
 * point: a parameter runs off beyond 1e-4 .. 1e4 (alpha measured in
 * units of the mean T), which means the data do not identify the model,
 * typically because too few customers buy again to show how they drop
 * out.  The reason names the parameter.
 */
int	bgnbd_fit(const struct bgnbd_pattern *pat, size_t npat,
	    struct bgnbd_params *out, char *why, size_t whysz);

/*
 * Log-likelihood of the patterns under the parameters in *bg (only r,
 * alpha, a and b are read) into *ll.  Returns 0, or -1 for invalid
 * parameters or patterns.
 */
int	bgnbd_loglik(const struct bgnbd_params *bg,
	    const struct bgnbd_pattern *pat, size_t npat, double *ll);

/*
 * Express a fit in a time unit k times as long as the one it was fitted
 * in (k = 7 turns days into weeks): alpha becomes alpha / k.  The
 * log-likelihood becomes ll + nrep * ln k, because each customer's
 * likelihood is a density in the x purchase times and so carries the
 * time unit to the power -x.  in and out may be the same.
 */
void	bgnbd_rescale(const struct bgnbd_params *in, double k,
	    struct bgnbd_params *out);
/* bgnbd_rescale(days, 7, weeks) */
void	bgnbd_days_to_weeks(const struct bgnbd_params *days,
	    struct bgnbd_params *weeks);

/*
 * Probability that a customer with this history is still active at T
 * (1 when x = 0: nobody drops out before a repeat purchase).
 */
double	bgnbd_p_alive(const struct bgnbd_params *bg, double x, double tx,
	    double T);

/*
 * Expected number of purchases in (T, T + t] of a customer with this
 * history (FHL eq. 10; t in the fit's unit).  0 when t = 0.  The value is
 * good to 1e-8 or so; MODEL_NONE where rounding would leave fewer than 4
 * digits, which happens only at extreme parameters (r below 1e-4, say).
 */
double	bgnbd_expected(const struct bgnbd_params *bg, double t, double x,
	    double tx, double T);

/*
 * Expected number of repeat purchases in (0, t] of a new customer whose
 * first purchase is at 0 (FHL eq. 9); the same as bgnbd_expected(bg, t,
 * 0, 0, 0).
 */
double	bgnbd_expected_new(const struct bgnbd_params *bg, double t);

/*
 * Gamma-Gamma.  An observation is n repeat buyers with x repeat
 * transactions of mean spend m.  Observations with x = 0 are ignored (so
 * every customer may be passed), as are those with m <= 0, which the
 * model cannot hold (net returns).  x must be a whole number.
 */
struct gg_obs {
	double	 x, m, n;
};

struct gg_params {
	double	 p, q, gamma;
	double	 ll;		/* log-likelihood of the mean spends */
	double	 n;		/* repeat buyers in the fit */
};

/*
 * Maximum-likelihood fit (the likelihood of the mean spend m, Fader &
 * Hardie 2013 eq. 3).  Fails as bgnbd_fit() does: too few repeat buyers,
 * or a parameter beyond 1e-4 .. 1e4 (gamma in units of the mean m), as
 * when every buyer spends the same.
 */
int	gg_fit(const struct gg_obs *obs, size_t nobs, struct gg_params *out,
	    char *why, size_t whysz);
/* The same, sorting and merging obs in place (it is left changed): no copy. */
int	gg_fit_inplace(struct gg_obs *obs, size_t nobs, struct gg_params *out,
	    char *why, size_t whysz);

/*
 * E[M | x, m], the expected spend per transaction of a customer with x
 * repeat transactions of mean m:
 *
 *	(q - 1) / (p x + q - 1) * p gamma / (q - 1)  +  p x / (p x + q - 1) * m
 *	    = p (gamma + m x) / (p x + q - 1)
 *
 * For x = 0 (m is then ignored) the population mean p gamma / (q - 1),
 * which exists only when q > 1.  MODEL_NONE when the value does not exist
 * or m <= 0 with x >= 1.
 */
double	gg_expected_spend(const struct gg_params *gg, double x, double m);

/*
 * Customer lifetime value over the next `horizon` days, discounted at the
 * annual rate `rate` (0.1 for 10%, > -1):
 *
 *	sum over k = 1 .. K of
 *	    [E(t[k]) - E(t[k-1])] * spend * (1 + rate)^(-t[k] / 365)
 *
 * with t[0] = 0, t[k] = min(30 k, horizon) days, K = ceil(horizon / 30)
 * (so steps of 30 days, the last one partial), and E(t) =
 * bgnbd_expected(bg, t / unit, x, tx, T): x, tx and T are in the fit's
 * unit, which is `unit` days long (1 for days, 7 for weeks).  Each step's
 * purchases are discounted from the step's end.  spend is the expected
 * spend per transaction, normally gg_expected_spend(), >= 0.  The horizon
 * is at most 36525 days (100 years); 0 gives 0.
 */
double	model_clv(const struct bgnbd_params *bg, double x, double tx,
	    double T, double spend, double unit, double horizon, double rate);

/*
 * Both fits in fixed units, for reports: fills *s and prints nothing.
 * unit is the length of the BG/NBD fit's time unit in days.  bg or gg may
 * be NULL; have_bgnbd and have_gg say which parts are filled (the others
 * are MODEL_NONE).
 */
struct model_summary {
	int	 have_bgnbd, have_gg;
	double	 r, a, b;
	double	 alpha_days, alpha_weeks;
	double	 ll_days, ll_weeks;	/* BG/NBD ll, time in days, weeks */
	double	 ncust, nrep;
	double	 dropout;		/* mean P(drop out), a / (a + b) */
	double	 p, q, gamma, gg_ll, gg_n;
	double	 mean_spend;		/* p gamma / (q - 1), or MODEL_NONE */
};
void	model_summary(const struct bgnbd_params *bg, double unit,
	    const struct gg_params *gg, struct model_summary *s);

/*
 * ln 2F1(a, b; c; z), the Gauss hypergeometric function, for a, b, c > 0
 * (at most 1e8) and 0 <= z < 1, where 2F1 >= 1, to about 1e-11 relative
 * (absolute when the logarithm is below 1); MODEL_NONE if the arguments
 * are outside that range or the value cannot be had to 1e-8.
 */
double	model_lhyp2f1(double a, double b, double c, double z);

#endif
