/*
 * score: from a txn stream to one row per customer with the facts, the
 * RFM scores, the A/B/C grade, current and potential value with the value
 * quadrant, and the BG/NBD and Gamma-Gamma predictions (see cv-score(1)
 * for the definitions of every column).
 *
 * The txn stream is read once; per customer the module keeps a fixed
 * record (sums, the first store and assistant with their spend) and a
 * sorted array of the customer's distinct (day, receipt) pairs, so memory
 * grows with customers and their receipts, never with lines.  Everything
 * that needs the whole population (quantile cuts, grade cuts, averages,
 * the model fits) runs after the pass, on those records.
 */
#ifndef CV_SCORE_H
#define CV_SCORE_H

#include <stdint.h>

#include "io.h"
#include "tsv.h"

enum { FREQ_DAYS, FREQ_RECEIPTS };

struct score_opts {
	int32_t		 as_of;
	int32_t		 since;		/* DAY_NONE: from the beginning */
	int		 frequency;	/* FREQ_DAYS or FREQ_RECEIPTS */
	int		 r_cuts[4];	/* fixed cuts, used when have_*_cuts */
	int64_t		 f_cuts[4];
	int64_t		 m_cuts[4];	/* cents */
	int		 have_r_cuts, have_f_cuts, have_m_cuts;
	double		 grade_a;	/* cumulative share of value for A (0.80) */
	double		 grade_b;	/* ... for A and B together (0.95) */
	int		 horizon;	/* days for expected_<horizon>d */
	int		 clv_days;
	double		 discount;	/* annual rate */
	int		 no_model;
	int		 week_unit;	/* --params in weeks */
	int		 quiet;
	int		 progress;
	int		 timing;	/* CPU time of each step on stderr */
	const char	*params;	/* --params FILE, or NULL */
	char		**members;	/* member profile streams */
	int		 nmembers;
	/* With --db: what the store's manifest says of the files read. */
	const struct tsv_store *txn_store, *members_store;
	int		 all_members;	/* list members without purchases */
	const char	*out;
	/*
	 * Called, if set, once every input has been read and before the
	 * output is written (with --db: to let go of the store's lock).
	 */
	void		(*read_done)(void *ctx);
	void		*read_done_ctx;
};

void	score_defaults(struct score_opts *o);

/*
 * Score the txn streams in files (nfiles 0: stdin) and write the
 * customers stream.  Returns the exit status (65 for a malformed input
 * record, 66 for an input that cannot be opened, 73/74 for output
 * errors), having printed the messages.
 */
int	score_run(const struct score_opts *o, char **files, int nfiles);

#endif
