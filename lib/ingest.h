/*
 * ingest: turn POS exports (and member, contact and staff files) into cv
 * streams, accounting for every row.
 *
 * Each input row ends up accepted, rejected with a reason (into the
 * rejects file), or counted as a duplicate of a line seen before in the
 * run.  A duplicate with the same content is dropped; one with other
 * content replaces the earlier line (the later export wins).  Because a
 * later line can replace an earlier one, accepted lines are held in a
 * spool file and written out when all input has been read, and only if
 * the run succeeded (exit status 0); with dedup "first" they stream out at
 * once and a later copy of a line is dropped instead.
 *
 * The work runs in threads: the caller's parses CSV (csvin.h), with a
 * helper for long quote-free runs; another checks and converts the
 * records and writes them.  When the later copy of a line wins, one more
 * puts the lines' fingerprints into the duplicate index a batch at a
 * time.
 */
#ifndef CV_INGEST_H
#define CV_INGEST_H

#include <stdint.h>

#include "hdrmap.h"

enum { DEDUP_KEEP_LAST, DEDUP_KEEP_FIRST };

/* Where accepted lines go at the end of a successful run. */
struct ingest_sink {
	void	*ctx;
	/* The header line, then each line (without LF); return -1 to fail. */
	int	(*header)(void *ctx, const char *line, size_t n);
	int	(*row)(void *ctx, const char *line, size_t n);
};

struct ingest_opts {
	enum kind	 kind;
	int		 delim;		/* 0: find it from the header line */
	int		 encoding;	/* ENC_AUTO, ENC_UTF8, ENC_GBK */
	int		 date_order;	/* DATE_ORDER_NONE, _MDY, _DMY */
	int		 decimal_mark;	/* '.' or ','; 0: from the values */
	char		**maps;		/* --map field=Header */
	int		 nmaps;
	const char	*columns;	/* names for files without a header */
	const char	*id_pattern;	/* PCRE2 every member id must match */
	char		**walkins;	/* --walk-in: ids that are walk-ins */
	int		 nwalkins;
	const char	*cancel_prefix;	/* receipt ids of cancellations */
	const char	*channel;	/* channel when the file has none */
	const char	*store;		/* store id when the file has none */
	const char	*rejects;	/* path of the rejects file, or NULL */
	double		 max_reject_rate; /* a fraction, 0.01 for 1% */
	int32_t		 as_of;		/* DAY_NONE: no check for future dates */
	int		 dedup;
	int		 quiet;
	int		 progress;	/* show progress (stderr is a terminal) */
	const char	*out;		/* -o FILE, or NULL for stdout */
	struct ingest_sink *sink;	/* instead of out, when not NULL */
};

/* What a run did, for the summary and for callers such as the store. */
struct ingest_stats {
	long long	 rows;		/* data rows read */
	long long	 accepted;
	long long	 rejected;
	long long	 exempt;	/* rejected rows not held against the rate */
	long long	 dups;		/* duplicates (same or changed) */
	long long	 replaced;	/* duplicates that replaced a line */
	long long	 written;	/* lines given to the output */
	int		 files;
	int		 file_errors;
};

void	ingest_defaults(struct ingest_opts *o);
/* The column names written for a kind, TAB-separated. */
const char *ingest_header(enum kind kind);

/*
 * Run over files (nfiles 0: stdin).  Returns the exit status: 0; 64 for
 * bad options (checked before any input is read); 65 bad data (rejects
 * over the limit, a file without a usable header, corrupt gzip); 66 an
 * input that cannot be opened; 73/74 output errors.  Messages and the
 * summary go to stderr.  st may be NULL.
 */
int	ingest_run(const struct ingest_opts *o, char **files, int nfiles,
	    struct ingest_stats *st);
/*
 * The checks of the options ingest_run() makes before it reads (--map,
 * --walk-in, --id-pattern, --columns), alone: 0, or 64 with a message.
 * For a caller with work to do first, such as taking the store's lock.
 */
int	ingest_check_opts(const struct ingest_opts *o);

#endif
