/*
 * csvin: records from the CSV files that POS systems export, as they really
 * arrive: UTF-8 (with or without a BOM) or GBK/GB18030 bytes, comma,
 * semicolon, TAB or pipe separated (found from the first lines, or given),
 * or columns separated by runs of blanks; quoted fields with separators,
 * quotes and newlines in them; LF or CRLF line ends.  Parsing is done by
 * libcsv; this module feeds it one line at a time so that every record
 * knows the line it starts on, converts GBK to UTF-8 with iconv before
 * parsing, and keeps each record's text for the rejects file.
 *
 * Runs of whole lines without a quote character are handed to libcsv in
 * one piece (GBK ones converted whole first), which is where the speed
 * comes from; with `assist` set, long runs are cut into pieces that two
 * threads parse, each taking the next piece when it is free, and come out
 * in file order.  Lines with quotes, and runs with bytes invalid in
 * the file's encoding, go one line at a time.  The text of a record from
 * such a run is not copied: it is exactly its fields joined by the
 * delimiter, and csvin_text() rebuilds it when it is wanted (for the
 * rejects file).
 *
 * Blank lines, and lines of nothing but blanks, are not records.  A
 * quoted field left open for more than max_rec_lines lines (or at the end
 * of the file), or one that spans lines and whose closing quote is
 * followed by more text ("Cloud" scarf), makes its first line a broken
 * record; parsing starts again on the next line, so one stray quote does
 * not swallow the rows after it.
 */
#ifndef CV_CSVIN_H
#define CV_CSVIN_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"

enum {
	ENC_AUTO = 0,
	ENC_UTF8 = 1,
	ENC_GBK = 2,
	ENC_CP1252 = 3,	/* given only: Excel's plain CSV in English and
			   European settings (£ and € as single bytes) */
	ENC_BIG5 = 4	/* given only: Taiwan's and Hong Kong's exports
			   (Big5-HKSCS; nearly every Big5 pair is a valid
			   GBK one, so the bytes cannot tell) */
};

/* The name of an ENC_* encoding for messages. */
const char *csvin_enc_name(int enc);

#define DELIM_BLANKS ' '	/* delimiter value for "runs of blanks" */

/* Record flags. */
enum {
	CSVREC_BADENC = 1,	/* bytes invalid in the file's encoding */
	CSVREC_BROKEN = 2,	/* unterminated quoted field */
	CSVREC_NORAW = 4,	/* no text kept: it is the fields joined by
				   the delimiter (see csvin_text()) */
	CSVREC_STRAY = 8	/* with CSVREC_BROKEN: the quoted field closed,
				   but text follows its closing quote */
};

/*
 * Records are written straight into a batch that the caller owns, so that
 * no field is copied twice: field bytes go to `data`, the text of each
 * record to `raw`.  The caller may hand csvin a fresh batch from its emit
 * callback (batches are only swapped between records).
 */
struct csv_rec {
	long		 line;		/* line the record starts on (1-based) */
	int		 nlines;	/* lines it spans, parts that a bare
					   CR ends counted as lines */
	int		 nf;		/* number of fields */
	int		 flags;
	char		 delim;		/* the file's delimiter */
	size_t		 f0;		/* first field in fo[]/fl[] */
	size_t		 raw;		/* text offset in raw, UTF-8, no LF */
	size_t		 rawlen;
	uint32_t	 tag;		/* 0 from csvin; the caller's to set */
};

struct recbatch {
	struct buf	 data;		/* field bytes */
	struct buf	 raw;		/* record texts */
	struct csv_rec	*r;
	int		 nr;
	int		 capr;
	size_t		*fo;		/* field offsets into data */
	size_t		*fl;		/* field lengths */
	size_t		 nfl;
	size_t		 capfl;
};

void	recbatch_clear(struct recbatch *b);
void	recbatch_free(struct recbatch *b);
/* Copy record r of batch from into batch to. */
void	recbatch_copy(struct recbatch *to, const struct recbatch *from,
	    const struct csv_rec *r);

static inline const char *
rec_field(const struct recbatch *b, const struct csv_rec *r, int i,
    size_t *n)
{
	*n = b->fl[r->f0 + (size_t)i];
	return b->data.p + b->fo[r->f0 + (size_t)i];
}

/*
 * Called after each record is complete in the batch (its last entry), or
 * after c->nnew records at once (the last c->nnew entries); return 0 to go
 * on, -1 to stop.  It may set c->batch to another batch.  With c->flush
 * set the batch should be passed on now, new records or not (c->nnew may
 * be 0): csvin may then swap its contents for a batch of records parsed
 * on the side, so the records already seen are not there on the next call.
 */
struct csvin;
typedef int (*csvin_emit)(void *ctx, struct csvin *c);

struct csvin {
	/* settings, filled by the caller before csvin_read() */
	int		 delim;		/* 0: find it; DELIM_BLANKS; or the byte */
	int		 encoding;	/* ENC_AUTO, or the ENC_* given */
	int		 max_rec_lines;	/* 0 means 100 */
	int		 inflags;	/* io.h IN_* flags */
	int		 assist;	/* parse long quote-free runs on two
					   threads (see csvin_emit) */
	struct recbatch	*batch;		/* where records go */
	/* for the emit callback */
	int		 nnew;		/* records added since the last call */
	int		 flush;		/* pass the batch on now */
	/* what was found, valid after csvin_read() */
	const char	*name;
	int		 enc_used;	/* ENC_UTF8, ENC_GBK or the one given
					   (ENC_AUTO: all ASCII) */
	int		 delim_used;
	int		 bom;
	long		 lines;		/* physical lines read */
	long		 records;
	unsigned long long bytes;	/* bytes read from the file */
};

/*
 * Read the file at path (NULL or "-" for stdin) and call emit for every
 * record.  Returns 0 at the end of the file, -1 with e filled on an input
 * error (EX_NOINPUT, EX_IOERR, EX_DATAERR for corrupt gzip), or -1 with
 * e->status 0 when emit asked to stop.
 */
int	csvin_read(struct csvin *c, const char *path, csvin_emit emit,
	    void *ctx, struct cv_error *e);

/*
 * The text of a record: as read, or for a CSVREC_NORAW record its fields
 * joined by the delimiter (quoted where RFC 4180 needs it), built in b.
 */
void	csvin_text(const struct recbatch *rb, const struct csv_rec *r,
	    struct buf *b, const char **p, size_t *n);

/* Name of a delimiter for messages ("comma", "TAB", ...). */
const char *csvin_delim_name(int delim);

#endif
