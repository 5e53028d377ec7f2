/*
 * cv-segment: add a segment column to a customers stream, from a rule file
 * or a built-in set (rfm, quadrant, lifecycle); several sets add several
 * columns.  With --split, one stream per segment.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "date.h"
#include "diag.h"
#include "io.h"
#include "segment.h"

static const char usage[] =
    "cv-segment [-hqV] [--rules file | --set rfm|quadrant|lifecycle\n"
    "       [--column name]] ... [--lang en|zh] [--as-of date] [--explain]\n"
    "       [--split dir] [-o file] [file ...]\n"
    "       cv-segment --check [--rules file | --set rfm] [--lang en|zh]";

enum {
	OPT_RULES = 256, OPT_SET, OPT_COLUMN, OPT_LANG, OPT_AS_OF, OPT_SPLIT,
	OPT_EXPLAIN, OPT_CHECK
};

static const struct option longopts[] = {
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "column", required_argument, NULL, OPT_COLUMN },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ "help", no_argument, NULL, 'h' },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "output", required_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "set", required_argument, NULL, OPT_SET },
	{ "split", required_argument, NULL, OPT_SPLIT },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static struct segment_set *
add_set(struct segment_opts *o)
{
	if (o->nsets == SEG_MAXSETS)
		cli_bad("at most %d sets at once", SEG_MAXSETS);
	memset(&o->sets[o->nsets], 0, sizeof(o->sets[0]));
	return &o->sets[o->nsets++];
}

int
main(int argc, char *argv[])
{
	struct segment_opts o;
	struct segment_set *last = NULL;
	const char *pending = NULL;
	int ch, i, j;

	cli_init(argv[0], usage);
	memset(&o, 0, sizeof(o));
	o.as_of = DAY_NONE;
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
		case OPT_CHECK:
			o.check = 1;
			break;
		case OPT_COLUMN:
			if (*optarg == '\0' || strpbrk(optarg, "\t\n\r") != NULL)
				cli_bad("--column: '%s' is not a column "
				    "name", optarg);
			if (last == NULL) {
				if (pending != NULL)
					cli_bad("--column given twice "
					    "before any set");
				pending = optarg;
			} else if (last->column != NULL)
				cli_bad("--column: the set before it is "
				    "named already");
			else
				last->column = optarg;
			break;
		case OPT_EXPLAIN:
			o.explain = 1;
			break;
		case OPT_LANG:
			if (strcmp(optarg, "en") == 0)
				o.zh = 0;
			else if (strcmp(optarg, "zh") == 0)
				o.zh = 1;
			else
				cli_bad("--lang: '%s' is not en or zh",
				    optarg);
			break;
		case OPT_RULES:
			last = add_set(&o);
			last->rules = optarg;
			break;
		case OPT_SET:
			if (!segment_builtin(optarg))
				cli_bad("--set: no built-in set '%s' (rfm, "
				    "quadrant, lifecycle)", optarg);
			last = add_set(&o);
			last->builtin = optarg;
			break;
		case OPT_SPLIT:
			o.split = optarg;
			break;
		default:
			cli_bad("unknown option");
		}
	}
	argc -= optind;
	argv += optind;
	if (o.nsets == 0) {
		last = add_set(&o);
		last->builtin = "rfm";
	}
	if (pending != NULL) {
		if (o.sets[0].column != NULL)
			cli_bad("--column: the first set is named already");
		o.sets[0].column = pending;
	}
	for (i = 0; i < o.nsets; i++)
		for (j = 0; j < i; j++)
			if (o.sets[i].column != NULL && o.sets[j].column != NULL &&
			    strcmp(o.sets[i].column, o.sets[j].column) == 0)
				cli_bad("--column: '%s' names two sets",
				    o.sets[i].column);
	if (o.check && (o.nsets > 1 || argc > 0 || o.split != NULL))
		cli_bad("--check takes one set and no input");
	if (o.check && o.sets[0].builtin != NULL &&
	    strcmp(o.sets[0].builtin, "rfm") != 0)
		cli_bad("--check: the built-in set '%s' does not name RFM cells "
		    "(--check takes --set rfm or --rules FILE)",
		    o.sets[0].builtin);
	/* A segment's file there would be renamed over it, or it over one. */
	if (o.split != NULL && out_within(o.out, o.split))
		cli_bad("-o '%s' is in the --split folder '%s'", o.out,
		    o.split);
	if (o.as_of == DAY_NONE)
		o.as_of = date_today();
	return segment_run(&o, argv, argc);
}
