/*
 * cv-ingest: read the sales exports of POS systems (and member profiles,
 * contact logs and staff rosters) and write a clean cv stream, accounting
 * for every row: accepted, rejected with a reason, or a counted duplicate.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "csvin.h"
#include "date.h"
#include "db.h"
#include "diag.h"
#include "hdrmap.h"
#include "ingest.h"
#include "io.h"

static const char usage[] =
    "cv-ingest [-hqV] [--kind txn|members|contacts|staff] [-d delim]\n"
    "       [--encoding auto|utf-8|gbk|big5|cp1252]\n"
    "       [--date-order ymd|mdy|dmy] [--decimal-mark point|comma]\n"
    "       [--map field=header ...]\n"
    "       [--columns list] [--id-pattern re] [--walk-in id ...]\n"
    "       [--cancel-prefix prefix] [--channel name] [--store id]\n"
    "       [--dedup last|first] [--as-of date]\n"
    "       [--rejects file] [--max-reject-rate pct]\n"
    "       [--db[=dir] [--wait seconds]] [-o file] [file ...]\n"
    "       cv-ingest --db[=dir] [--wait seconds] --check";

enum {
	OPT_KIND = 256, OPT_ENCODING, OPT_DATE_ORDER, OPT_MAP, OPT_COLUMNS,
	OPT_ID_PATTERN, OPT_CANCEL, OPT_CHANNEL, OPT_STORE, OPT_DEDUP,
	OPT_AS_OF, OPT_REJECTS, OPT_MAX_REJECT, OPT_DB, OPT_CHECK, OPT_WAIT,
	OPT_WALK_IN, OPT_DECIMAL
};

static const struct option longopts[] = {
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ "cancel-prefix", required_argument, NULL, OPT_CANCEL },
	{ "channel", required_argument, NULL, OPT_CHANNEL },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "columns", required_argument, NULL, OPT_COLUMNS },
	{ "date-order", required_argument, NULL, OPT_DATE_ORDER },
	{ "db", optional_argument, NULL, OPT_DB },
	{ "decimal-mark", required_argument, NULL, OPT_DECIMAL },
	{ "dedup", required_argument, NULL, OPT_DEDUP },
	{ "delimiter", required_argument, NULL, 'd' },
	{ "encoding", required_argument, NULL, OPT_ENCODING },
	{ "help", no_argument, NULL, 'h' },
	{ "id-pattern", required_argument, NULL, OPT_ID_PATTERN },
	{ "kind", required_argument, NULL, OPT_KIND },
	{ "map", required_argument, NULL, OPT_MAP },
	{ "max-reject-rate", required_argument, NULL, OPT_MAX_REJECT },
	{ "output", required_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "rejects", required_argument, NULL, OPT_REJECTS },
	{ "store", required_argument, NULL, OPT_STORE },
	{ "version", no_argument, NULL, 'V' },
	{ "wait", required_argument, NULL, OPT_WAIT },
	{ "walk-in", required_argument, NULL, OPT_WALK_IN },
	{ NULL, 0, NULL, 0 }
};

static int
delimiter(const char *s)
{
	if (strcmp(s, ",") == 0 || strcmp(s, "comma") == 0)
		return ',';
	if (strcmp(s, ";") == 0 || strcmp(s, "semicolon") == 0)
		return ';';
	if (strcmp(s, "\t") == 0 || strcmp(s, "\\t") == 0 ||
	    strcmp(s, "tab") == 0 || strcmp(s, "TAB") == 0)
		return '\t';
	if (strcmp(s, "|") == 0 || strcmp(s, "pipe") == 0)
		return '|';
	if (strcmp(s, " ") == 0 || strcmp(s, "space") == 0 ||
	    strcmp(s, "blanks") == 0)
		return DELIM_BLANKS;
	cli_bad("-d: '%s' is not a delimiter (comma, semicolon, tab, "
	    "pipe or blanks)", s);
}

/*
 * Before the store is opened (and made, when it is new), every named file
 * must be there to read: a mistyped name fails the night without leaving
 * an empty store behind.  A lone missing name after a bare --db, when
 * there is no default store either, is most likely a new store.
 */
static int
files_open(char **files, int nfiles, int dirgiven)
{
	struct cv_error e;
	struct stat sb;
	int i, bad = 0;

	for (i = 0; i < nfiles; i++) {
		if (in_check(files[i], &e) == 0)
			continue;
		if (errno == ENOENT && nfiles == 1 && !dirgiven &&
		    stat(db_dir(NULL), &sb) < 0 && errno == ENOENT)
			cv_warnx("%s (a store not made yet is given as "
			    "--db=%s)", e.msg, files[i]);
		else
			cv_warnx("%s", e.msg);
		bad = 1;
	}
	return bad ? EX_NOINPUT : 0;
}

/* Add the night's files to the store, or check the store. */
static int
run_db(struct ingest_opts *o, const char *dir, int check, double wait,
    char **files, int nfiles)
{
	struct cv_error e;
	struct db_stats st;
	struct cv_out out;
	struct db *db;
	const char *why;
	long before;
	int status, dbstatus;

	if (!check && (status = files_open(files, nfiles, dir != NULL)) != 0) {
		if (!o->quiet)
			cv_warnx("%s: nothing added to the store", db_dir(dir));
		return status;
	}
	db = db_open(dir, check ? DB_READ : DB_WRITE, o->quiet, wait, &e);
	if (db == NULL) {
		cv_warnx("%s", e.msg);
		return e.status;
	}
	if (check) {
		if (out_open(&out, o->out, 0, &e) < 0) {
			cv_warnx("%s", e.msg);
			db_close(db);
			return e.status;
		}
		status = db_check(db, &out, o->quiet);
		if (out_close(&out, &e) < 0) {
			cv_warnx("%s", e.msg);
			status = e.status;
		}
		db_close(db);
		return status;
	}
	o->sink = db_sink(db, o->kind);
	before = db_gen(db);
	status = ingest_run(o, files, nfiles, NULL);
	if (status == 0) {
		if (db_commit(db, &st, &e) < 0) {
			cv_warnx("%s", e.msg);
			status = e.status;
		} else if (!o->quiet)
			cv_warnx("%s: %lld new, %lld replaced, %lld unchanged "
			    "lines; %d file%s written (generation %ld)",
			    db_dir(dir), st.added, st.replaced, st.unchanged,
			    st.parts, st.parts == 1 ? "" : "s", st.gen);
	} else if ((why = db_error(db, &dbstatus)) != NULL) {
		cv_warnx("%s", why);
		status = dbstatus;
	}
	if (status != 0 && db_gen(db) == before && !o->quiet)
		cv_warnx("%s: nothing added to the store", db_dir(dir));
	db_close(db);
	return status;
}

int
main(int argc, char *argv[])
{
	struct ingest_opts o;
	char **maps = NULL, **walkins = NULL;
	const char *dbdir = NULL;
	double wait = -1;
	int ch, k, nstdin, usedb = 0, check = 0;

	cli_init(argv[0], usage);
	ingest_defaults(&o);
	while ((ch = cli_getopt(argc, argv, "d:ho:qV", longopts)) != -1) {
		switch (ch) {
		case 'd':
			o.delim = delimiter(optarg);
			break;
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
		case OPT_CANCEL:
			if (*optarg == '\0')
				cli_bad("--cancel-prefix: empty prefix");
			o.cancel_prefix = optarg;
			break;
		case OPT_CHANNEL:
			o.channel = optarg;
			break;
		case OPT_CHECK:
			check = 1;
			break;
		case OPT_DB:
			usedb = 1;
			dbdir = optarg;
			break;
		case OPT_COLUMNS:
			o.columns = optarg;
			break;
		case OPT_DATE_ORDER:
			if (strcmp(optarg, "mdy") == 0)
				o.date_order = DATE_ORDER_MDY;
			else if (strcmp(optarg, "dmy") == 0)
				o.date_order = DATE_ORDER_DMY;
			else if (strcmp(optarg, "ymd") == 0)
				o.date_order = DATE_ORDER_YMD;
			else
				cli_bad("--date-order: '%s' is not ymd, "
				    "mdy or dmy", optarg);
			break;
		case OPT_DECIMAL:
			if (strcmp(optarg, "point") == 0 ||
			    strcmp(optarg, ".") == 0)
				o.decimal_mark = '.';
			else if (strcmp(optarg, "comma") == 0 ||
			    strcmp(optarg, ",") == 0)
				o.decimal_mark = ',';
			else
				cli_bad("--decimal-mark: '%s' is not point "
				    "or comma", optarg);
			break;
		case OPT_DEDUP:
			if (strcmp(optarg, "last") == 0)
				o.dedup = DEDUP_KEEP_LAST;
			else if (strcmp(optarg, "first") == 0)
				o.dedup = DEDUP_KEEP_FIRST;
			else
				cli_bad("--dedup: '%s' is not last or "
				    "first", optarg);
			break;
		case OPT_ENCODING:
			if (strcasecmp(optarg, "auto") == 0)
				o.encoding = ENC_AUTO;
			else if (strcasecmp(optarg, "utf-8") == 0 ||
			    strcasecmp(optarg, "utf8") == 0)
				o.encoding = ENC_UTF8;
			else if (strcasecmp(optarg, "gbk") == 0 ||
			    strcasecmp(optarg, "gb18030") == 0 ||
			    strcasecmp(optarg, "gb2312") == 0)
				o.encoding = ENC_GBK;
			else if (strcasecmp(optarg, "cp1252") == 0 ||
			    strcasecmp(optarg, "windows-1252") == 0)
				o.encoding = ENC_CP1252;
			else if (strcasecmp(optarg, "big5") == 0 ||
			    strcasecmp(optarg, "big5-hkscs") == 0)
				o.encoding = ENC_BIG5;
			else
				cli_bad("--encoding: '%s' is not auto, "
				    "utf-8, gbk, big5 or cp1252", optarg);
			break;
		case OPT_ID_PATTERN:
			o.id_pattern = optarg;
			break;
		case OPT_KIND:
			if ((k = hdrmap_kind(optarg)) < 0)
				cli_bad("--kind: '%s' is not txn, members, "
				    "contacts or staff", optarg);
			o.kind = (enum kind)k;
			break;
		case OPT_MAP:
			cli_push(&maps, &o.nmaps, optarg);
			break;
		case OPT_MAX_REJECT:
			o.max_reject_rate = cli_double("--max-reject-rate",
			    optarg, 0, 100, CLI_PCT_UNIT) / 100;
			break;
		case OPT_REJECTS:
			o.rejects = optarg;
			break;
		case OPT_STORE:
			o.store = optarg;
			break;
		case OPT_WAIT:
			wait = cli_wait(optarg);
			break;
		case OPT_WALK_IN:
			cli_push(&walkins, &o.nwalkins, optarg);
			break;
		default:
			cli_bad("unknown option");
		}
	}
	argc -= optind;
	argv += optind;
	if (usedb)
		cli_db_operand(&dbdir, &argc, &argv, check ? 2 : 1);
	if (check && !usedb)
		cli_bad("--check needs --db");
	if (wait >= 0 && !usedb)
		cli_bad("--wait needs --db");
	if (check && argc > 0)
		cli_bad("--check reads no files");
	for (k = 0, nstdin = 0; k < argc; k++)
		if (strcmp(argv[k], "-") == 0 && nstdin++ > 0)
			cli_bad("standard input (-) is named twice");
	/* Options a kind has no field for would be dropped unsaid. */
	if (o.store != NULL && o.kind == KIND_CONTACTS)
		cli_bad("--store: a contact log has no store column");
	if (o.channel != NULL && o.kind != KIND_TXN && o.kind != KIND_CONTACTS)
		cli_bad("--channel: a %s has no channel column",
		    o.kind == KIND_MEMBERS ? "member profile" : "staff roster");
	if (usedb && o.out != NULL && !check)
		cli_bad("-o and --db: the lines go to the store");
	/* Or one is renamed over the other, or both share one stdout. */
	if (!(usedb && !check))
		cli_outputs_apart("--rejects", o.rejects, o.out);
	if (usedb && o.dedup == DEDUP_KEEP_FIRST)
		cli_bad("--dedup first and --db: the store keeps the "
		    "later export of a line");
	o.maps = maps;
	o.walkins = walkins;
	o.progress = cli_isatty(2);
	/* A bad option is told at once, not once the store is locked. */
	k = usedb && !check ? ingest_check_opts(&o) : 0;
	if (k == 0 && usedb)
		k = run_db(&o, dbdir, check, wait, argv, argc);
	else if (k == 0)
		k = ingest_run(&o, argv, argc, NULL);
	free(maps);
	free(walkins);
	return k;
}
