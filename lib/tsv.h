/*
 * tsv: the cv stream format (see cv-tsv(5)).  One header line of unique,
 * non-empty column names, then records of exactly as many TAB-separated
 * fields, LF line ends (the last line too), no quoting; TAB, LF, CR and
 * backslash inside a value are written \t \n \r \\.  Columns are found by
 * name.
 *
 * The reader reuses one line and one field array for every row: after
 * tsv_next() the fields point into the current line and stay valid until
 * the next call.  Fields are unescaped in place (only rows that hold a
 * backslash pay for it); the row as read is kept for pass-through.  Several
 * inputs are read one after another as one stream; each must have the same
 * header as the first.  With IN_THREAD, a store's file after the one
 * being read is opened ahead, so that it is inflated while the one before
 * is read.
 */
#ifndef CV_TSV_H
#define CV_TSV_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "io.h"

struct tsv_field {
	const char *p;
	size_t	 n;
};

/*
 * Inputs that are files of a store (cv-db(5)): each is gzip, begins with
 * header and holds rows[i] rows, as the store's manifest says.
 */
struct tsv_store {
	const char	*dir;		/* the store's folder, for messages */
	const char	*kind;		/* for messages: "txn", "members" */
	const char	*header;	/* the kind's header line, no LF */
	const long long	*rows;
};

struct tsv_reader {
	const char	*name;		/* current input, for messages */
	long		 lineno;	/* line of the current row */
	int		 ncol;
	char		**cols;		/* header names */
	struct tsv_field *f;		/* fields of the current row */
	char		*raw;		/* current row as read (escaped) */
	size_t		 rawlen;
	/* internals */
	const struct tsv_store *store;
	char		**paths;
	int		 npaths;
	int		 cur;
	int		 open;
	int		 flags;
	/*
	 * Called, when set, before each input after the first is opened; a
	 * nonzero return ends the reading there (tsv_next() returns 0).
	 */
	int		(*crossing)(void *);
	void		*crossing_ctx;
	struct cv_in	 ins[2];	/* the input being read, the next one */
	struct cv_in	*in;		/* the input being read */
	int		 ahead;		/* the next input is open in the other
					   slot */
	struct lines	 lines;
	struct buf	 hdrline;
	struct buf	 unesc;		/* a row's fields, unescaped */
};

/*
 * Open the inputs (npaths 0 means stdin) and read the first header.
 * Returns 0, or -1 with e filled: EX_NOINPUT for a file that cannot be
 * opened, EX_DATAERR for an empty input, a bad header or one without its
 * LF; a reader that failed to open holds no memory.
 */
int	tsv_open(struct tsv_reader *r, char **paths, int npaths, int flags,
	    struct cv_error *e);
/*
 * tsv_open() for files of a store: any file that is not gzip, has another
 * header or ends with another number of rows than st says fails the
 * reader with EX_DATAERR, naming the store as damaged.  st is kept, not
 * copied.
 */
int	tsv_open_store(struct tsv_reader *r, char **paths, int npaths,
	    int flags, const struct tsv_store *st, struct cv_error *e);
/*
 * Read the next row: 1, 0 at the end of the last input, -1 on error
 * (EX_DATAERR with e->line set for a malformed row or a last row without
 * its LF; EX_IOERR).
 */
int	tsv_next(struct tsv_reader *r, struct cv_error *e);
/* Index of the column called name, or -1. */
int	tsv_col(const struct tsv_reader *r, const char *name);
void	tsv_close(struct tsv_reader *r);

/* Write a value escaped. */
void	tsv_put(struct cv_out *o, const char *p, size_t n);
static inline void
tsv_puts(struct cv_out *o, const char *s)
{
	tsv_put(o, s, strlen(s));
}

/* Nonzero if a byte of the word w is below 0x20 or a backslash. */
static inline uint64_t
tsv_special_word(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL;
	uint64_t bs = w ^ (ones * '\\');

	return (((w - ones * 0x20) & ~w) | ((bs - ones) & ~bs)) &
	    (ones * 0x80);
}

/*
 * 1 if p[0..n) holds a byte that must be escaped (TAB, LF, CR, backslash),
 * looked for eight bytes at a time; a few other control bytes may give a
 * 1 too, which only sends the caller to the careful path.  The last
 * bytes are read as one word too: the last eight again, or a short
 * value's bytes gathered by overlapping loads, so no byte loop is left.
 */
static inline int
tsv_special(const char *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL;
	uint64_t w;
	uint32_t a, b;
	size_t i = 0;

	if (n >= 8) {
		for (;;) {
			memcpy(&w, p + i, 8);
			if (tsv_special_word(w))
				return 1;
			if ((i += 8) + 8 > n)
				break;
		}
		if (i == n)
			return 0;
		memcpy(&w, p + n - 8, 8);
	} else if (n >= 4) {
		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		w = a | (uint64_t)b << 32;
	} else if (n > 0) {
		/* p[0], p[n/2] and p[n-1] are all of them; 'A' fills. */
		w = (unsigned char)p[0] | (uint64_t)(unsigned char)p[n / 2] << 8 |
		    (uint64_t)(unsigned char)p[n - 1] << 16 |
		    (ones * 'A') << 24;
	} else
		return 0;
	return tsv_special_word(w) != 0;
}

/* Append a value escaped to a buffer. */
void	tsv_buf_put(struct buf *b, const char *p, size_t n);

/* Unescape \t \n \r \\ in place; returns the new length, or -1 if a
 * backslash is followed by anything else. */
long	tsv_unescape(char *p, size_t n);

#endif
