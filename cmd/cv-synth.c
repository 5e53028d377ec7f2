/*
 * cv-synth: write realistic, deterministic synthetic data for a
 * multi-store clothing brand (POS dumps, members, staff, contact log),
 * or one large POS export for throughput tests.  The data come from
 * lib/synth.c; this file reads the options and reports.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "date.h"
#include "diag.h"
#include "synth.h"

enum {
	OPT_DAYS = 256,
	OPT_END,
	OPT_LINES,
	OPT_MEMBERS,
	OPT_SEED,
	OPT_SINGLE,
	OPT_START,
	OPT_STORES,
	OPT_STYLE
};

static const struct option longopts[] = {
	{ "days",	required_argument,	NULL,	OPT_DAYS },
	{ "end",	required_argument,	NULL,	OPT_END },
	{ "gzip",	no_argument,		NULL,	'z' },
	{ "help",	no_argument,		NULL,	'h' },
	{ "lines",	required_argument,	NULL,	OPT_LINES },
	{ "members",	required_argument,	NULL,	OPT_MEMBERS },
	{ "output",	required_argument,	NULL,	'o' },
	{ "quiet",	no_argument,		NULL,	'q' },
	{ "seed",	required_argument,	NULL,	OPT_SEED },
	{ "single",	required_argument,	NULL,	OPT_SINGLE },
	{ "start",	required_argument,	NULL,	OPT_START },
	{ "stores",	required_argument,	NULL,	OPT_STORES },
	{ "style",	required_argument,	NULL,	OPT_STYLE },
	{ "version",	no_argument,		NULL,	'V' },
	{ NULL,		0,			NULL,	0 }
};

static const char synopsis[] =
"cv-synth [-qz] [--seed N] [--stores N] [--members N] [--start DATE]\n"
"                [--end DATE] [--days N] [--style NAME] -o DIR\n"
"       cv-synth [-q] [--seed N] [--stores N] [--members N] [--start DATE]\n"
"                [--end DATE] [--days N] [--style NAME] --single FILE\n"
"                --lines N";

static const char help[] =
"\nWrite synthetic POS dumps, members, staff and contacts of a clothing chain.\n"
"\n"
"  -o, --output DIR   write the data set into DIR (created if missing)\n"
"      --single FILE  write one POS export of --lines N data lines instead\n"
"                     (- is stdout; FILE.gz is gzipped)\n"
"      --lines N      data lines for --single, 1 to 10000000000, at most\n"
"                     10000000 on the busiest day\n"
"      --seed N       random seed (default 1); same seed, same bytes\n"
"      --stores N     stores, 1 to 999, the fifth being the web shop\n"
"                     (default 6)\n"
"      --members N    members, 1 to 10000000 (default 2000)\n"
"      --start DATE   first day of the window (YYYY-MM-DD, 2000-01-01\n"
"                     to 2099-12-31)\n"
"      --end DATE     last day of the window (default 2026-11-21; dates\n"
"                     2000-01-01 to 2099-12-31)\n"
"      --days N       days in the window, 1 to 3660 (default 90)\n"
"      --style NAME   mixed (default with -o), cn-utf8 (default with\n"
"                     --single), cn-gbk, excel, report, online\n"
"  -z, --gzip         write the POS dumps as .csv.gz\n"
"  -q, --quiet        no progress or summary line on stderr\n"
"  -h, --help         show this help\n"
"  -V, --version      show the version\n";

/* A decimal number in [lo, hi]; anything else is a usage error. */
static uint64_t
number(const char *opt, const char *s, uint64_t lo, uint64_t hi)
{
	uint64_t v = 0;
	const char *p;
	int over = 0;

	for (p = s; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			over = 1;
		else
			v = v * 10 + (uint64_t)(*p - '0');
	}
	if (p == s || *p != '\0' || (v < lo && !over))
		cli_bad("%s: '%s' is not a %snumber", opt, s,
		    lo > 0 ? "positive " : "");
	if (over || v > hi)
		cli_bad("%s: '%s' is too large (at most %llu)", opt, s,
		    (unsigned long long)hi);
	return v;
}

static int32_t
day(const char *opt, const char *s)
{
	int32_t d, lo, hi;

	if (date_parse(s, strlen(s), &d) < 0)
		cli_bad("%s: '%s' is not a date (YYYY-MM-DD)", opt, s);
	date_parse(SYNTH_FIRSTDAY, 10, &lo);
	date_parse(SYNTH_LASTDAY, 10, &hi);
	if (d < lo || d > hi)
		cli_bad("%s: '%s' is out of range (%s to %s)", opt, s,
		    SYNTH_FIRSTDAY, SYNTH_LASTDAY);
	return d;
}

/* Progress on a terminal: "cv-synth:  42%", cleared at the end. */
static void
progress_clear(void)
{
	fprintf(stderr, "\r%*s\r", (int)strlen(cv_progname) + 6, "");
	fflush(stderr);
}

static void
progress(void *arg, uint64_t done, uint64_t total)
{
	(void)arg;
	fprintf(stderr, "\r%s: %3d%%", cv_progname,
	    (int)(done * 100 / total));
	if (done == total)
		progress_clear();
	fflush(stderr);
}

int
main(int argc, char *argv[])
{
	struct synth_opts o;
	struct synth_stats st;
	struct cv_error e;
	const char *dir = NULL, *single = NULL, *sdays = NULL;
	int32_t start = DAY_NONE, end = DAY_NONE, lo, hi;
	int64_t days = SYNTH_DAYS;
	int ch, quiet = 0, haslines = 0, r;

	cli_init(argv[0], synopsis);
	memset(&o, 0, sizeof(o));
	o.seed = 1;
	o.nstores = SYNTH_STORES;
	o.nmembers = SYNTH_MEMBERS;
	o.style = SYNTH_UNKNOWN;
	while ((ch = cli_getopt(argc, argv, "hVo:qz", longopts)) != -1)
		switch (ch) {
		case 'h':
			cli_help(help);
		case 'V':
			cli_version();
		case 'o':
			dir = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'z':
			o.gzip = 1;
			break;
		case OPT_DAYS:
			sdays = optarg;
			days = (int64_t)number("--days", optarg, 1,
			    SYNTH_MAXDAYS);
			break;
		case OPT_END:
			end = day("--end", optarg);
			break;
		case OPT_LINES:
			o.lines = number("--lines", optarg, 1,
			    (uint64_t)SYNTH_MAXLINES);
			haslines = 1;
			break;
		case OPT_MEMBERS:
			o.nmembers = (int64_t)number("--members", optarg, 1,
			    SYNTH_MAXMEMBERS);
			break;
		case OPT_SEED:
			o.seed = number("--seed", optarg, 0, UINT64_MAX);
			break;
		case OPT_SINGLE:
			single = optarg;
			break;
		case OPT_START:
			start = day("--start", optarg);
			break;
		case OPT_STORES:
			o.nstores = (int)number("--stores", optarg, 1,
			    SYNTH_MAXSTORES);
			break;
		case OPT_STYLE:
			if ((o.style = synth_style(optarg)) == SYNTH_UNKNOWN)
				cli_bad("--style: '%s' is not a style (mixed, "
				    "cn-utf8, cn-gbk, excel, report or online)",
				    optarg);
			break;
		default:
			cli_bad("unknown option");
		}
	if (optind < argc)
		cli_bad("unexpected argument '%s'", argv[optind]);
	if (dir != NULL && single != NULL)
		cli_bad("-o and --single cannot be used together");
	if (dir == NULL && single == NULL)
		cli_bad("no output: give -o DIR or --single FILE");
	if ((dir != NULL && *dir == '\0') || (single != NULL && *single == '\0'))
		cli_bad("%s: empty name", dir != NULL ? "-o" : "--single");
	if (single != NULL && !haslines)
		cli_bad("--single needs --lines N");
	if (single == NULL && haslines)
		cli_bad("--lines needs --single FILE");
	if (single != NULL && o.gzip)
		cli_bad("--gzip applies to -o; with --single, name the file "
		    "FILE.gz");
	if (single != NULL && o.style == SYNTH_MIXED)
		cli_bad("--single writes one style; --style mixed is for -o");
	if (o.style == SYNTH_UNKNOWN)
		o.style = single != NULL ? SYNTH_CNUTF8 : SYNTH_MIXED;

	/*
	 * The window: --days days (default 90) ending at --end (default
	 * 2026-11-21), or starting at --start when that is given.  Never
	 * today: the output must not depend on when it is made.
	 */
	date_parse(SYNTH_FIRSTDAY, 10, &lo);
	date_parse(SYNTH_LASTDAY, 10, &hi);
	if (start != DAY_NONE && end != DAY_NONE) {
		if (start > end)
			cli_bad("--start is after --end");
		if (sdays != NULL && days != (int64_t)end - start + 1)
			cli_bad("--days %lld does not match --start and --end "
			    "(%lld days)", (long long)days,
			    (long long)end - start + 1);
		if ((int64_t)end - start + 1 > SYNTH_MAXDAYS)
			cli_bad("--start to --end is more than %d days",
			    SYNTH_MAXDAYS);
	} else if (start != DAY_NONE) {
		end = (int32_t)(start + days - 1);
		if (end > hi)
			cli_bad("--start plus --days goes past %s",
			    SYNTH_LASTDAY);
	} else {
		if (end == DAY_NONE)
			date_parse(SYNTH_END, 10, &end);
		start = (int32_t)(end - days + 1);
		if (start < lo)
			cli_bad("--end minus --days goes before %s",
			    SYNTH_FIRSTDAY);
	}
	o.start = start;
	o.end = end;
	if (!quiet && isatty(2)) {
		o.progress = progress;
		o.progress_arg = NULL;
	}

	if (single != NULL)
		r = synth_single(&o, single, &st, &e);
	else
		r = synth_tree(&o, dir, &st, &e);
	if (r < 0) {
		if (o.progress != NULL)
			progress_clear();
		cv_errx(e.status, "%s", e.msg);
	}
	if (!quiet) {
		if (single != NULL)
			cv_warnx("wrote 1 file: %llu POS lines",
			    (unsigned long long)st.lines);
		else
			cv_warnx("wrote %llu files: %llu POS lines, %llu "
			    "members, %llu contacts",
			    (unsigned long long)st.files,
			    (unsigned long long)st.lines,
			    (unsigned long long)st.members,
			    (unsigned long long)st.contacts);
	}
	return EX_OK;
}
