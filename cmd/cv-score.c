/*
 * cv-score: read sale lines (a txn stream or the history store) and write
 * one row per customer: facts, RFM scores, A/B/C grade, current and
 * potential value with the value quadrant, and the BG/NBD and Gamma-Gamma
 * predictions.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "date.h"
#include "db.h"
#include "diag.h"
#include "num.h"
#include "score.h"

static const char usage[] =
    "cv-score [-hqV] [--as-of date] [--since date | --window days]\n"
    "       [--frequency days|receipts] [--members file] [--buyers-only]\n"
    "       [--r-cuts list] [--f-cuts list] [--m-cuts list] [--grade-cuts a,b]\n"
    "       [--horizon days] [--clv-days days] [--discount rate] [--no-model]\n"
    "       [--params file] [--time-unit day|week] [--timing]\n"
    "       [--db[=dir] [--wait seconds]] [-o file] [file ...]";

enum {
	OPT_AS_OF = 256, OPT_SINCE, OPT_WINDOW, OPT_FREQ, OPT_MEMBERS,
	OPT_BUYERS, OPT_RCUTS, OPT_FCUTS, OPT_MCUTS, OPT_GRADE, OPT_HORIZON,
	OPT_CLV, OPT_DISCOUNT, OPT_NOMODEL, OPT_PARAMS, OPT_UNIT, OPT_DB,
	OPT_TIMING, OPT_WAIT
};

static const struct option longopts[] = {
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ "buyers-only", no_argument, NULL, OPT_BUYERS },
	{ "clv-days", required_argument, NULL, OPT_CLV },
	{ "db", optional_argument, NULL, OPT_DB },
	{ "discount", required_argument, NULL, OPT_DISCOUNT },
	{ "f-cuts", required_argument, NULL, OPT_FCUTS },
	{ "frequency", required_argument, NULL, OPT_FREQ },
	{ "grade-cuts", required_argument, NULL, OPT_GRADE },
	{ "help", no_argument, NULL, 'h' },
	{ "horizon", required_argument, NULL, OPT_HORIZON },
	{ "m-cuts", required_argument, NULL, OPT_MCUTS },
	{ "members", required_argument, NULL, OPT_MEMBERS },
	{ "no-model", no_argument, NULL, OPT_NOMODEL },
	{ "output", required_argument, NULL, 'o' },
	{ "params", required_argument, NULL, OPT_PARAMS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "r-cuts", required_argument, NULL, OPT_RCUTS },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "time-unit", required_argument, NULL, OPT_UNIT },
	{ "timing", no_argument, NULL, OPT_TIMING },
	{ "version", no_argument, NULL, 'V' },
	{ "wait", required_argument, NULL, OPT_WAIT },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ NULL, 0, NULL, 0 }
};

/* With --db: the store has been read. */
static void
release(void *db)
{
	db_release(db);
}

/* Four rising cut points: "30,60,120,240" (money with cents for m). */
static void
cuts(const char *opt, const char *val, int scale, int64_t *out)
{
	const char *s = val, *t;
	int k;

	for (k = 0; k < 4; k++) {
		t = strchr(s, ',');
		/* Days and visits are 0 or more; money may be negative. */
		if ((t == NULL) != (k == 3) ||
		    num_parse(s, t ? (size_t)(t - s) : strlen(s), scale,
		    &out[k]) != 0 || (scale == 0 && out[k] < 0) ||
		    (k > 0 && out[k] <= out[k - 1]))
			cli_bad("%s: '%s' is not four rising numbers%s "
			    "(like 30,60,120,240)", opt, val, scale == 0 ?
			    " of 0 or more" : "");
		s = t ? t + 1 : s;
	}
}

int
main(int argc, char *argv[])
{
	struct score_opts o;
	char **members = NULL, **copies = NULL;
	const char *dbdir = NULL;
	double wait = -1;
	int ch, k, usedb = 0, status, nfiles;
	int64_t c[4];
	long long window = 0, *mrows = NULL;
	char **files;
	struct tsv_store tst, mst;
	struct db *db = NULL;
	struct cv_error e;

	cli_init(argv[0], usage);
	score_defaults(&o);
	while ((ch = cli_getopt(argc, argv, "ho:qV", longopts)) != -1) {
		switch (ch) {
		case 'h':
			cli_help(NULL);
		case 'o':
			o.out = optarg;
			break;
		case 'q':
			o.quiet = 1;
			break;
		case 'V':
			cli_version();
		case OPT_AS_OF:
			o.as_of = cli_date("--as-of", optarg);
			break;
		case OPT_BUYERS:
			o.all_members = 0;
			break;
		case OPT_CLV:
			o.clv_days = (int)cli_int("--clv-days", optarg, 0, 36500);
			break;
		case OPT_DB:
			usedb = 1;
			dbdir = optarg;
			break;
		case OPT_DISCOUNT:
			o.discount = cli_double("--discount", optarg, 0, HUGE_VAL,
			    CLI_PCT_DIVIDES);
			/* "10" meant as ten per cent would be 1000%. */
			if (o.discount > 1)
				cli_bad("--discount: '%s' is more than 100%% a "
				    "year (ten per cent is 0.1 or 10%%)", optarg);
			break;
		case OPT_FCUTS:
			cuts("--f-cuts", optarg, 0, o.f_cuts);
			o.have_f_cuts = 1;
			break;
		case OPT_FREQ:
			if (strcmp(optarg, "days") == 0)
				o.frequency = FREQ_DAYS;
			else if (strcmp(optarg, "receipts") == 0)
				o.frequency = FREQ_RECEIPTS;
			else
				cli_bad("--frequency: '%s' is not days or "
				    "receipts", optarg);
			break;
		case OPT_GRADE: {
			double a, b;
			char *end;

			/*
			 * Two decimal numbers, each read by cli_double(): bare
			 * strtod() would take 0x50 and leading blanks.
			 */
			if ((end = strchr(optarg, ',')) == NULL ||
			    strchr(end + 1, ',') != NULL)
				cli_bad("--grade-cuts: '%s' is not two "
				    "rising percentages (like 80,95)", optarg);
			*end = '\0';
			a = cli_double("--grade-cuts", optarg, 0, 100,
			    CLI_PCT_NO);
			b = cli_double("--grade-cuts", end + 1, 0, 100,
			    CLI_PCT_NO);
			*end = ',';
			/*
			 * Shares are reckoned in millionths: each cut must be
			 * one at least, and b above a in them.
			 */
			if (llround(a / 100 * 1e6) < 1 ||
			    llround(b / 100 * 1e6) <= llround(a / 100 * 1e6))
				cli_bad("--grade-cuts: '%s' is not two "
				    "rising percentages (like 80,95) that are "
				    "0.0001 or more and apart in 0.0001 steps",
				    optarg);
			o.grade_a = a / 100;
			o.grade_b = b / 100;
			break;
		}
		case OPT_HORIZON:
			o.horizon = (int)cli_int("--horizon", optarg, 1, 3650);
			break;
		case OPT_MCUTS:
			cuts("--m-cuts", optarg, 2, o.m_cuts);
			o.have_m_cuts = 1;
			break;
		case OPT_MEMBERS:
			cli_push(&members, &o.nmembers, optarg);
			break;
		case OPT_NOMODEL:
			o.no_model = 1;
			break;
		case OPT_PARAMS:
			o.params = optarg;
			break;
		case OPT_RCUTS:
			cuts("--r-cuts", optarg, 0, c);
			if (c[3] > CV_DAY_MAX)
				cli_bad("--r-cuts: %lld days is more than a cv "
				    "stream can span (%d)", (long long)c[3],
				    CV_DAY_MAX);
			for (k = 0; k < 4; k++)
				o.r_cuts[k] = (int)c[k];
			o.have_r_cuts = 1;
			break;
		case OPT_SINCE:
			o.since = cli_date("--since", optarg);
			break;
		case OPT_UNIT:
			if (strcmp(optarg, "day") == 0 || strcmp(optarg, "days") == 0)
				o.week_unit = 0;
			else if (strcmp(optarg, "week") == 0 ||
			    strcmp(optarg, "weeks") == 0)
				o.week_unit = 1;
			else
				cli_bad("--time-unit: '%s' is not day or "
				    "week", optarg);
			break;
		case OPT_TIMING:
			o.timing = 1;
			break;
		case OPT_WAIT:
			wait = cli_wait(optarg);
			break;
		case OPT_WINDOW:
			window = cli_int("--window", optarg, 1, 36500);
			break;
		default:
			cli_bad("unknown option");
		}
	}
	argc -= optind;
	argv += optind;
	if (o.as_of == DAY_NONE)
		o.as_of = date_today();
	/* The model counts days from a customer's first one in 16 bits. */
	if (o.as_of > CV_DAY_MAX)
		cli_bad("--as-of: after 2149-06-05, the last day a cv stream "
		    "can hold");
	if (window > 0 && o.since != DAY_NONE)
		cli_bad("--since and --window: give one of them");
	if (window > 0)
		o.since = o.as_of - (int32_t)window + 1;
	if (o.since != DAY_NONE && o.since > o.as_of)
		cli_bad("--since is after --as-of");
	if (o.params != NULL && o.no_model)
		cli_bad("--params and --no-model: there is no model");
	/* Or one is renamed over the other, or both share one stdout. */
	cli_outputs_apart("--params", o.params, o.out);
	if (usedb)
		cli_db_operand(&dbdir, &argc, &argv, 0);
	if (usedb && argc > 0)
		cli_bad("--db: the sale lines come from the store, not "
		    "from files");
	if (wait >= 0 && !usedb)
		cli_bad("--wait needs --db");
	/* Standard input holds one stream: the sale lines or the members. */
	if (!usedb && o.nmembers > 0) {
		int stdin_sales = argc == 0;

		for (k = 0; k < argc; k++)
			stdin_sales |= strcmp(argv[k], "-") == 0;
		for (k = 0; k < o.nmembers; k++)
			if (strcmp(members[k], "-") == 0 && stdin_sales)
				cli_bad("--members - and the sale lines both "
				    "read standard input: give one of them "
				    "as a file");
	}
	o.progress = cli_isatty(2);
	files = argv;
	nfiles = argc;
	if (usedb) {
		if ((db = db_open(dbdir, DB_READ, o.quiet, wait, &e)) == NULL) {
			cv_warnx("%s", e.msg);
			return e.status;
		}
		if (o.nmembers == 0) {
			o.nmembers = db_paths(db, KIND_MEMBERS, DAY_NONE, DAY_NONE,
			    &members, &mst, &e);
			if (o.nmembers < 0) {
				cv_warnx("%s", e.msg);
				db_close(db);
				return e.status;
			}
			/* db_paths reuses its arrays: copy before the next call. */
			if (o.nmembers > 0) {
				copies = xcalloc((size_t)o.nmembers,
				    sizeof(char *));
				mrows = xcalloc((size_t)o.nmembers,
				    sizeof(long long));
				for (k = 0; k < o.nmembers; k++) {
					copies[k] = xstrdup(members[k]);
					mrows[k] = mst.rows[k];
				}
			}
			members = copies;
			mst.rows = mrows;
			o.members_store = &mst;
		}
		nfiles = db_paths(db, KIND_TXN, o.since, o.as_of, &files, &tst,
		    &e);
		if (nfiles < 0) {
			cv_warnx("%s", e.msg);
			status = e.status;
			goto out;
		}
		o.txn_store = &tst;
		/* Read: a writer need not wait while the output is written. */
		o.read_done = release;
		o.read_done_ctx = db;
		if (nfiles == 0)
			nfiles = -1;	/* no sale lines yet */
	}
	o.members = members;
	status = score_run(&o, files, nfiles);
out:
	db_close(db);
	if (copies != NULL) {
		for (k = 0; k < o.nmembers; k++)
			free(copies[k]);
		free(copies);
	} else
		free(members);
	free(mrows);
	return status;
}
