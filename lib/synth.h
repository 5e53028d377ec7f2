/*
 * synth: realistic, deterministic synthetic data for a multi-store
 * clothing brand, so that cv can be tried without real data and so that
 * tests, the demo and benchmarks have inputs of any size.
 *
 * synth_tree() writes a folder: one nightly POS dump per store and day
 * (pos/YYYY-MM-DD/STORE.csv), the member profiles (members.csv), the
 * staff roster (staff.csv) and a log of past contacts (contacts.csv).
 * Stores run different POS systems, so their dumps differ the way real
 * exports do: encoding (UTF-8 or GBK), separator, header language, date
 * and money forms, title and totals lines, and how a walk-in is written.
 * synth_single() writes one large export in one format, for throughput
 * tests.
 *
 * Customers follow the story the scoring models assume, so the models
 * have something true to find: a personal purchase rate (gamma across
 * members), a chance to drop out after each purchase (beta across
 * members), spend around a personal mean, seasonal peaks and weekends,
 * a home store and an assistant, and contacts that bring people in.
 *
 * The output depends on the options alone: the same options give the
 * same bytes on any machine, day or locale (gzip files: the same bytes
 * once decompressed, since the compressed form depends on the zlib
 * build).  The sales are decided before any format is chosen, so the
 * style changes how the sales are written, never which sales there are.
 *
 * Both functions return 0, or -1 with e filled: EX_CANTCREAT when a
 * folder or file cannot be created, EX_IOERR on a write error, EX_OSERR
 * when the C library cannot convert to GBK.
 */
#ifndef CV_SYNTH_H
#define CV_SYNTH_H

#include <stdint.h>

#include "diag.h"

/* Export formats; SYNTH_MIXED gives each store its own, in rotation. */
enum {
	SYNTH_UNKNOWN = -2,
	SYNTH_MIXED = -1,
	SYNTH_CNUTF8 = 0,	/* Chinese header, UTF-8, comma */
	SYNTH_CNGBK,		/* Chinese header, GBK bytes */
	SYNTH_EXCEL,		/* saved by Excel: BOM, CRLF, "¥1,299.00" */
	SYNTH_REPORT,		/* report screen: title, export time, totals */
	SYNTH_ONLINE,		/* web shop: semicolons, ISO times */
	SYNTH_NSTYLES
};

/* Defaults and limits, shared by the command and its manual. */
#define SYNTH_STORES		6
#define SYNTH_MEMBERS		2000
#define SYNTH_DAYS		90
#define SYNTH_END		"2026-11-21"
#define SYNTH_MAXSTORES		999
#define SYNTH_MAXMEMBERS	10000000
#define SYNTH_MAXDAYS		3660
#define SYNTH_MAXLINES		INT64_C(10000000000)
#define SYNTH_MAXDAYLINES	10000000	/* --single: lines of one day, held
					   in memory (about 150 bytes each) */
#define SYNTH_FIRSTDAY		"2000-01-01"
#define SYNTH_LASTDAY		"2099-12-31"

struct synth_opts {
	uint64_t seed;
	int	 nstores;
	int64_t	 nmembers;
	int32_t	 start;		/* first day of the window (date.h days) */
	int32_t	 end;		/* last day, included */
	int	 style;		/* SYNTH_MIXED or one style */
	int	 gzip;		/* synth_tree: POS dumps as .csv.gz */
	uint64_t lines;		/* synth_single: data lines to write */
	/* Called after each simulated day when not NULL. */
	void	(*progress)(void *arg, uint64_t done, uint64_t total);
	void	*progress_arg;
};

struct synth_stats {
	uint64_t files;		/* files written */
	uint64_t lines;		/* POS data lines (records, not physical lines) */
	uint64_t members;
	uint64_t contacts;	/* rows of contacts.csv */
};

/*
 * The style named s ("mixed", "cn-utf8", "cn-gbk", "excel", "report",
 * "online"), or SYNTH_UNKNOWN.
 */
int	synth_style(const char *s);
/* The name of a style, or "mixed". */
const char *synth_style_name(int style);

/* Write the whole data set into the folder dir, creating it if needed. */
int	synth_tree(const struct synth_opts *o, const char *dir,
	    struct synth_stats *st, struct cv_error *e);
/*
 * Write o->lines data lines of POS export, in one style (never mixed),
 * to path: "-" is stdout; a name ending in ".gz" is gzipped (fast level:
 * these files are for throughput tests).
 */
int	synth_single(const struct synth_opts *o, const char *path,
	    struct synth_stats *st, struct cv_error *e);

#endif
