/*
 * csvin: the CSV record reader (see csvin.h).
 *
 * Flow per file: lines come from io.h's line reader; each line is brought
 * to UTF-8 (checked, or converted from GB18030 with iconv); the first
 * non-blank lines are held back until the delimiter is known; then every
 * line, followed by its LF, is fed to libcsv, whose callbacks collect the
 * fields of the current record.  The lines of the record in progress are
 * kept so that a record can be reported with its text, and re-fed when an
 * open quote turns out to be a stray one.  Runs of whole lines without
 * quotes skip all that: they go to libcsv whole (bulk_run()).
 */
#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "io.h"
#include "utf8.h"

/*
 * libcsv grows its field buffer by this much at a time: its default of
 * 128 bytes makes a field of megabytes cost thousands of reallocations.
 */
#define FIELD_BLK	(64 * 1024)

#define SNIFF_LINES 20

/*
 * A second parser for long runs of whole quote-free lines (see bulk_run()):
 * the run is cut at line ends into pieces of about PIECE bytes, each
 * parsed into a batch of its own by whichever of two threads, this one or
 * a helper, is free to take the next piece; this thread hands the pieces'
 * records on in file order.  Up to NSLOT pieces are parsed or waiting at
 * a time, so that neither thread waits for the other to be scheduled:
 * with more threads than CPUs, taking pieces in strict turns left each
 * waiting for the other for a fifth to a third of a run.  When the bytes
 * stay put (a file mapped whole), the pieces of one run are still being
 * parsed while this thread finds the next; otherwise the two threads met
 * at the end of every run, and the helper sat waiting for a quarter of
 * the time.
 */
#define PIECE	(256 * 1024)
#define NSLOT	8

/*
 * With the bytes staying put, this thread goes to find the next run while
 * AHEAD pieces are still to be taken, so that the helper has work while it
 * looks.
 */
#define AHEAD	2

/* The window in which the CRs that end lines become LFs. */
#define CRWIN	((size_t)1 << 20)

/* How far ahead a quote is looked for, which bounds a run. */
#define SCAN	((size_t)8 << 20)

/* A piece of a run and the batch it is parsed into. */
struct slot {
	const char	*p;
	size_t		 n;
	int		 state;		/* S_FREE, S_BUSY, S_DONE */
	struct recbatch	 rb;		/* its records, lines from 1 */
	long		 lines;		/* LFs in the piece */
	size_t		 f0;		/* first field of the record in progress */
	char		 delim;
	int		 failed;	/* libcsv ran out of memory */
};

enum { S_FREE, S_BUSY, S_DONE };

struct piece {
	const char	*p;
	size_t		 n;
};

struct assist {
	pthread_t	 thr;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	int		 quit;
	/* the pieces queued since the queue was last empty */
	struct piece	*pc;
	int		 npieces, pcap;	/* both changed by this thread only */
	int		 next;		/* the first piece nobody has taken */
	int		 taken;		/* pieces handed on (changed by this
					   thread only); piece k's slot is
					   k % NSLOT, free when k < taken + NSLOT */
	char		 delim;
	struct slot	 slot[NSLOT];
	struct csv_parser parser;	/* the helper's */
	struct csv_parser mine;		/* this thread's, for pieces */
};

struct state {
	struct csvin	*c;
	struct csv_parser p;
	iconv_t		 cd;
	int		 cdopen;
	struct buf	 conv;		/* converted line */
	struct buf	 whole;		/* converted run of lines (bulk_text) */
	/* the record in progress: its lines are at the end of batch->raw */
	size_t		 rawstart;
	size_t		*loff;		/* line starts, relative to rawstart */
	long		*lno;		/* line numbers */
	int		*lfl;		/* line flags (CSVREC_BADENC) */
	int		 nl;
	int		 lcap;
	size_t		 f0;		/* its first field */
	int		 recflags;	/* flags of its lines */
	int		 lineflags;	/* flags of the line being fed */
	csvin_emit	 emit;
	void		*ctx;
	int		 stopped;
	struct buf	 blank;		/* whitespace-collapsed line */
	int		 bulk;		/* feeding a run of whole lines */
	long		 line;		/* lines consumed so far */
	/* the first lines, held until the delimiter is known */
	int		 sniffing;
	struct buf	 held;
	size_t		 hoff[SNIFF_LINES + 1];
	long		 hno[SNIFF_LINES];
	int		 hflags[SNIFF_LINES];
	int		 nheld;
	struct assist	*as;		/* the helper, once started */
	int		 noassist;	/* it could not be started */
	int		 stray;		/* the record that just ended is a
					   stray quote's (quote_runs_on()) */
	struct buf	 carry;		/* a line begun in the last block */
	int		 crlines;	/* lines end in CRs (cr_lines()) */
	int		 aftercr;	/* the last byte taken was a CR */
	struct buf	 crwin;		/* their window, with LFs for CRs */
};

void
recbatch_clear(struct recbatch *b)
{
	b->data.len = 0;
	b->raw.len = 0;
	b->nr = 0;
	b->nfl = 0;
}

void
recbatch_free(struct recbatch *b)
{
	buf_free(&b->data);
	buf_free(&b->raw);
	free(b->r);
	free(b->fo);
	free(b->fl);
	memset(b, 0, sizeof(*b));
}

/* Append a field; called for every field of every record, so inline. */
static inline void
add_field(struct recbatch *b, const void *p, size_t n)
{
	if (b->nfl == b->capfl) {
		b->capfl = b->capfl ? 2 * b->capfl : 8192;
		b->fo = xreallocarray(b->fo, b->capfl, sizeof(size_t));
		b->fl = xreallocarray(b->fl, b->capfl, sizeof(size_t));
	}
	b->fo[b->nfl] = b->data.len;
	b->fl[b->nfl] = n;
	b->nfl++;
	if (b->data.len + n + 1 > b->data.cap)
		buf_grow(&b->data, n);
	buf_copy(b->data.p + b->data.len, p, n);
	b->data.len += n;
}

static struct csv_rec *
add_rec(struct recbatch *b)
{
	if (b->nr == b->capr) {
		b->capr = b->capr ? 2 * b->capr : 1024;
		b->r = xreallocarray(b->r, (size_t)b->capr, sizeof(*b->r));
	}
	return &b->r[b->nr++];
}

void
recbatch_copy(struct recbatch *to, const struct recbatch *from,
    const struct csv_rec *r)
{
	struct csv_rec *n;
	size_t len;
	const char *p;
	int i;

	n = add_rec(to);
	*n = *r;
	n->f0 = to->nfl;
	for (i = 0; i < r->nf; i++) {
		p = rec_field(from, r, i, &len);
		add_field(to, p, len);
	}
	n->raw = to->raw.len;
	if (r->rawlen > 0)	/* from->raw.p may be NULL */
		buf_add(&to->raw, from->raw.p + r->raw, r->rawlen);
}

static int
ascii(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	uint64_t w, acc = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		acc |= w;
	}
	for (; i < n; i++)
		acc |= p[i];
	return (acc & 0x8080808080808080ULL) == 0;
}

const char *
csvin_delim_name(int d)
{
	switch (d) {
	case ',':
		return "comma";
	case ';':
		return "semicolon";
	case '\t':
		return "TAB";
	case '|':
		return "pipe";
	case DELIM_BLANKS:
		return "blanks";
	default:
		return "other";
	}
}

const char *
csvin_enc_name(int enc)
{
	switch (enc) {
	case ENC_GBK:
		return "GBK";
	case ENC_CP1252:
		return "Windows-1252";
	case ENC_BIG5:
		return "Big5";
	default:
		return "UTF-8";
	}
}

/*
 * GB18030 (or Windows-1252) to UTF-8; invalid bytes become U+FFFD and
 * flag the line.
 */
static void
from_enc(struct state *s, const char *p, size_t n)
{
	char *in = (char *)p, *out;
	size_t inleft = n, outleft;

	s->conv.len = 0;
	buf_grow(&s->conv, 2 * n + 16);
	while (inleft > 0) {
		out = s->conv.p + s->conv.len;
		outleft = s->conv.cap - s->conv.len - 1;
		if (iconv(s->cd, &in, &inleft, &out, &outleft) != (size_t)-1) {
			s->conv.len = (size_t)(out - s->conv.p);
			break;
		}
		s->conv.len = (size_t)(out - s->conv.p);
		if (errno == E2BIG) {
			buf_grow(&s->conv, inleft * 2 + 16);
			continue;
		}
		/* EILSEQ or EINVAL: skip one byte. */
		buf_add(&s->conv, "\xef\xbf\xbd", 3);
		in++;
		inleft--;
		s->lineflags |= CSVREC_BADENC;
		iconv(s->cd, NULL, NULL, NULL, NULL);
	}
	s->conv.p[s->conv.len] = '\0';
}

/*
 * The converter from GB18030 (or GBK where that is all there is), or from
 * Windows-1252 or Big5-HKSCS when that was given.
 */
static int
conv_open(struct state *s)
{
	if (!s->cdopen) {
		if (s->c->enc_used == ENC_CP1252)
			s->cd = iconv_open("UTF-8", "WINDOWS-1252");
		else if (s->c->enc_used == ENC_BIG5) {
			s->cd = iconv_open("UTF-8", "BIG5-HKSCS");
			if (s->cd == (iconv_t)-1)
				s->cd = iconv_open("UTF-8", "BIG5");
		} else {
			s->cd = iconv_open("UTF-8", "GB18030");
			if (s->cd == (iconv_t)-1)
				s->cd = iconv_open("UTF-8", "GBK");
		}
		if (s->cd == (iconv_t)-1)
			return 0;
		s->cdopen = 1;
	}
	return 1;
}

/*
 * Bring a line to UTF-8.  The encoding of an ASCII-only start is decided by
 * the first line that is not plain ASCII: valid UTF-8 means UTF-8,
 * anything else is taken as GB18030 (which includes GBK and GB2312).
 */
static int
guess_enc(const char *line, size_t n)
{
	return utf8_valid(line, n) ? ENC_UTF8 : ENC_GBK;
}

static void
to_utf8(struct state *s, char **p, size_t *n, struct cv_error *e)
{
	struct csvin *c = s->c;

	(void)e;
	if (ascii(*p, *n))
		return;
	if (c->enc_used == ENC_AUTO)
		c->enc_used = guess_enc(*p, *n);
	if (c->enc_used == ENC_UTF8) {
		if (!utf8_valid(*p, *n))
			s->lineflags |= CSVREC_BADENC;
		return;
	}
	if (!conv_open(s)) {
		s->lineflags |= CSVREC_BADENC;
		return;
	}
	from_enc(s, *p, *n);
	*p = s->conv.p;
	*n = s->conv.len;
}

static void
cb_field(void *data, size_t len, void *arg)
{
	struct state *s = arg;

	add_field(s->c->batch, data, len);
}

static void
emit_rec(struct state *s, int nlines, int flags)
{
	struct recbatch *b = s->c->batch;
	struct csv_rec *r = add_rec(b);
	size_t rawlen;

	if (s->bulk) {
		r->line = s->line + 1;
		r->nlines = 1;
		r->raw = 0;
		r->rawlen = 0;
		flags |= CSVREC_NORAW;
	} else {
		/* Each record starts a line or a part of one (feed()). */
		r->line = s->lno[0];
		r->nlines = nlines;
		r->raw = s->rawstart;
		rawlen = nlines < s->nl ? s->loff[nlines] - 1 :
		    b->raw.len - s->rawstart - 1;
		if (rawlen > 0 && b->raw.p[s->rawstart + rawlen - 1] == '\r')
			rawlen--;
		r->rawlen = rawlen;
	}
	r->nf = (int)(b->nfl - s->f0);
	r->f0 = s->f0;
	r->tag = 0;
	r->flags = flags | s->recflags;
	r->delim = (char)(s->c->delim_used == DELIM_BLANKS ? ' ' :
	    s->c->delim_used);
	s->c->records++;
	if (!s->stopped && s->emit(s->ctx, s->c) < 0)
		s->stopped = 1;
	/* The batch may have changed: the next record starts afresh. */
	s->f0 = s->c->batch->nfl;
}

/*
 * A record that took several lines because of a quote that does not end
 * its field: in "Cloud" scarf the quote after Cloud is followed by more
 * text, so libcsv, lenient, reads on across line ends to the next quote
 * before a delimiter, and the rows between become one.  This looks only
 * for that: a quoted field whose closing quote (not a doubled one) is
 * followed by anything but blanks and then a delimiter or a line end.
 * A quote inside an unquoted field (12"x) is text, as libcsv takes it.
 * The look ends at the first CR or LF outside quotes: until a stray
 * quote this reads the text as libcsv does, so the record ended there
 * (the rest of a line after a bare CR holds the next records).
 */
static int
stray_quote(const char *p, size_t n, int delim)
{
	size_t i = 0;

#define BLANK(ch) ((ch) == ' ' || ((ch) == '\t' && delim != '\t'))
	while (i < n) {
		while (i < n && BLANK(p[i]))
			i++;
		if (i < n && p[i] == '"') {
			for (i++; i < n; i++)
				if (p[i] == '"') {
					if (i + 1 < n && p[i + 1] == '"')
						i++;
					else
						break;
				}
			if (i >= n)
				return 0;	/* never closed: not this */
			for (i++; i < n && BLANK(p[i]); i++)
				;
			if (i < n && p[i] != delim && p[i] != '\r' &&
			    p[i] != '\n')
				return 1;
		} else
			while (i < n && p[i] != delim && p[i] != '\r' &&
			    p[i] != '\n')
				i++;
		if (i < n && p[i] != delim)
			return 0;	/* the record's end: the rest is not its */
		i++;	/* the delimiter */
	}
#undef BLANK
	return 0;
}

static int
quote_runs_on(struct state *s)
{
	struct recbatch *b = s->c->batch;

	if (s->nl < 2 || s->c->delim_used == DELIM_BLANKS)
		return 0;
	return stray_quote(b->raw.p + s->rawstart, b->raw.len - s->rawstart,
	    s->c->delim_used);
}

static void
cb_record(int term, void *arg)
{
	struct state *s = arg;

	if (s->bulk) {
		/* Every CR and LF comes here; only LF ends a line. */
		if (s->c->batch->nfl > s->f0)
			emit_rec(s, 1, 0);
		if (term == '\n')
			s->line++;
		s->f0 = s->c->batch->nfl;
		return;
	}
	if (s->nl > 1 && !s->stray && quote_runs_on(s)) {
		/* Left in progress: feed_part() splits it as a broken one. */
		s->stray = 1;
		return;
	}
	if (s->stray)
		return;		/* split_broken() reads the rest again */
	emit_rec(s, s->nl, 0);
	s->nl = 0;
	s->recflags = 0;
	s->rawstart = s->c->batch->raw.len;
}

static void
keep_line(struct state *s, const char *p, size_t n, long lineno)
{
	struct recbatch *b = s->c->batch;

	if (s->nl == s->lcap) {
		s->lcap = s->lcap ? 2 * s->lcap : 16;
		s->loff = xreallocarray(s->loff, (size_t)s->lcap, sizeof(size_t));
		s->lno = xreallocarray(s->lno, (size_t)s->lcap, sizeof(long));
		s->lfl = xreallocarray(s->lfl, (size_t)s->lcap, sizeof(int));
	}
	if (s->nl == 0) {
		s->rawstart = b->raw.len;
		s->f0 = b->nfl;
	}
	s->loff[s->nl] = b->raw.len - s->rawstart;
	s->lno[s->nl] = lineno;
	s->lfl[s->nl] = 0;
	s->nl++;
	buf_add(&b->raw, p, n);
	buf_addc(&b->raw, p[n] == '\r' ? '\r' : '\n');	/* its end */
}

/*
 * libcsv is between records: its parser state (pstate, in csv.h's
 * struct csv_parser; ROW_NOT_BEGUN is 0) says so.
 */
static int
between_records(const struct state *s)
{
	return s->p.pstate == 0;
}

static void feed(struct state *, const char *, size_t, long, int);
static void drain(struct state *);

/*
 * The record in progress has an open quote that never closed: report its
 * first line as broken and parse the lines after it again.
 */
static void
split_broken(struct state *s, int recflags)
{
	struct recbatch *b = s->c->batch;
	struct buf rest = BUF_INIT;
	long *lnos;
	int *flags;
	size_t *offs, first;
	int i, n = s->nl - 1;

	/* A quote that ends its field early, whatever the later lines hold. */
	if (recflags == 0 && s->c->delim_used != DELIM_BLANKS &&
	    stray_quote(b->raw.p + s->rawstart, n > 0 ? s->loff[1] :
	    b->raw.len - s->rawstart, s->c->delim_used))
		recflags = CSVREC_STRAY;
	csv_free(&s->p);
	csv_init(&s->p, 0);
	csv_set_blk_size(&s->p, FIELD_BLK);
	csv_set_delim(&s->p, (unsigned char)(s->c->delim_used == DELIM_BLANKS ?
	    '\t' : s->c->delim_used));
	/* Keep copies of the later lines: feeding them again rebuilds raw. */
	first = n > 0 ? s->rawstart + s->loff[1] : b->raw.len;
	buf_add(&rest, b->raw.p + first, b->raw.len - first);
	lnos = xcalloc((size_t)n + 1, sizeof(long));
	offs = xcalloc((size_t)n + 1, sizeof(size_t));
	flags = xcalloc((size_t)n + 1, sizeof(int));
	for (i = 0; i < n; i++) {
		lnos[i] = s->lno[i + 1];
		flags[i] = s->lfl[i + 1];
		offs[i] = s->loff[i + 1] - s->loff[1];
	}
	offs[n] = rest.len;
	/* The broken record: its first line, no fields. */
	b->nfl = s->f0;
	b->raw.len = first;
	emit_rec(s, 1, CSVREC_BROKEN | recflags);
	s->nl = 0;
	s->recflags = 0;
	for (i = 0; i < n && !s->stopped; i++)
		feed(s, rest.p + offs[i], offs[i + 1] - offs[i] - 1, lnos[i],
		    flags[i]);
	free(lnos);
	free(flags);
	free(offs);
	buf_free(&rest);
}

/* Collapse runs of blanks to one TAB and trim the ends. */
static void
blanks(struct state *s, const char **p, size_t *n)
{
	size_t i;
	int sp = 1;

	s->blank.len = 0;
	for (i = 0; i < *n; i++) {
		char ch = (*p)[i];

		if (ch == ' ' || ch == '\t' || ch == '\r') {
			sp = 1;
			continue;
		}
		if (sp && s->blank.len > 0)
			buf_addc(&s->blank, '\t');
		sp = 0;
		buf_addc(&s->blank, ch);
	}
	buf_addc(&s->blank, '\n');
	s->blank.len--;
	*p = s->blank.p;
	*n = s->blank.len;
}

/*
 * A line of nothing but blanks (and a CR) holds no record: libcsv skips
 * blanks before a field and ends no record on an empty line.  A TAB is a
 * blank unless it separates the fields.
 */
static int
blank_line(const char *p, size_t n, int delim)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\r' && (p[i] != '\t' ||
		    delim == '\t'))
			return 0;
	return 1;
}

/*
 * Feed one UTF-8 part of a line to libcsv: the line without its LF, or
 * a part that a bare CR ends (p[n] is then that CR).  p[n] must be
 * readable.
 */
static void
feed_part(struct state *s, const char *p, size_t n, long lineno, int lflags)
{
	const char *fp = p;
	size_t fn = n;
	int ok;

	if (s->nl == 0 && blank_line(p, n, s->c->delim_used))
		return;		/* a blank line between records */
	if (s->c->delim_used == DELIM_BLANKS) {
		blanks(s, &fp, &fn);
		if (s->nl == 0 && fn == 0)
			return;
	}
	keep_line(s, p, n, lineno);
	s->lfl[s->nl - 1] = lflags;
	s->recflags |= lflags;
	if (fp[fn] == '\n' || fp[fn] == '\r')
		ok = csv_parse(&s->p, fp, fn + 1, cb_field, cb_record, s) ==
		    fn + 1;
	else
		ok = csv_parse(&s->p, fp, fn, cb_field, cb_record, s) == fn &&
		    csv_parse(&s->p, "\n", 1, cb_field, cb_record, s) == 1;
	if (!ok)
		cv_errx(EX_OSERR, "%s: out of memory", s->c->name);
	if (s->stray || s->nl > s->c->max_rec_lines) {
		int stray = s->stray;

		s->stray = 0;
		split_broken(s, stray ? CSVREC_STRAY : 0);
	}
}

/*
 * Feed one UTF-8 line (without its LF; p[n] must be readable) to libcsv.
 * libcsv ends a record at a bare CR as at an LF, so the parts of a line
 * that bare CRs end go as lines of their own, with the line's number: a
 * record begun after one starts a line of its own (its fields, text and
 * line number), and a quote at fault in a record is mended up to the next
 * bare CR as up to the next LF.  A CR before the LF is the line's end.
 */
static void
feed(struct state *s, const char *p, size_t n, long lineno, int lflags)
{
	const char *cr;

	if (s->c->delim_used != DELIM_BLANKS)
		while (n > 1 && !s->stopped &&
		    (cr = memchr(p, '\r', n - 1)) != NULL) {
			size_t k = (size_t)(cr - p);

			feed_part(s, p, k, lineno, lflags);
			p += k + 1;
			n -= k + 1;
		}
	if (!s->stopped)
		feed_part(s, p, n, lineno, lflags);
}

static int
count_delims(const char *p, size_t n, char d)
{
	size_t i;
	int q = 0, k = 0;

	for (i = 0; i < n; i++) {
		if (p[i] == '"')
			q = !q;
		else if (p[i] == d && !q)
			k++;
	}
	return k;
}

/* The delimiter with the most occurrences on any one of the first lines. */
static int
sniff(struct buf *lines, size_t *offs, int n)
{
	static const char cand[] = { ',', '\t', ';', '|' };
	int best = ',', bestk = 0, i, j, k, m;

	for (j = 0; j < 4; j++) {
		m = 0;
		for (i = 0; i < n; i++) {
			k = count_delims(lines->p + offs[i], offs[i + 1] -
			    offs[i] - 1, cand[j]);
			if (k > m)
				m = k;
		}
		if (m > bestk) {
			bestk = m;
			best = cand[j];
		}
	}
	return best;
}

void
csvin_text(const struct recbatch *rb, const struct csv_rec *r, struct buf *b,
    const char **p, size_t *n)
{
	int i;
	size_t k, j;
	const char *f;

	if (!(r->flags & CSVREC_NORAW)) {
		/* A record with no text of its own may come first in a batch. */
		*p = rb->raw.p != NULL ? rb->raw.p + r->raw : "";
		*n = r->rawlen;
		return;
	}
	b->len = 0;
	for (i = 0; i < r->nf; i++) {
		f = rec_field(rb, r, i, &k);
		if (i > 0)
			buf_addc(b, r->delim);
		if (memchr(f, r->delim, k) == NULL && memchr(f, '"', k) == NULL &&
		    memchr(f, '\n', k) == NULL && memchr(f, '\r', k) == NULL) {
			buf_add(b, f, k);
			continue;
		}
		buf_addc(b, '"');
		for (j = 0; j < k; j++) {
			if (f[j] == '"')
				buf_addc(b, '"');
			buf_addc(b, f[j]);
		}
		buf_addc(b, '"');
	}
	buf_addc(b, '\0');
	b->len--;
	*p = b->p;
	*n = b->len;
}

/* The held first lines: choose the delimiter, then feed them. */
static void
end_sniff(struct state *s)
{
	int i;

	s->hoff[s->nheld] = s->held.len;
	s->c->delim_used = s->nheld > 0 ? sniff(&s->held, s->hoff, s->nheld) :
	    ',';
	csv_set_delim(&s->p, (unsigned char)s->c->delim_used);
	s->sniffing = 0;
	for (i = 0; i < s->nheld && !s->stopped; i++)
		feed(s, s->held.p + s->hoff[i], s->hoff[i + 1] - s->hoff[i] - 1,
		    s->hno[i], s->hflags[i]);
	s->nheld = 0;
}

/* One line (without its LF; p[n] readable), the careful way. */
static void
one_line(struct state *s, char *p, size_t n)
{
	long lineno;

	drain(s);
	lineno = ++s->line;
	s->lineflags = 0;
	to_utf8(s, &p, &n, NULL);
	if (!s->sniffing) {
		feed(s, p, n, lineno, s->lineflags);
		return;
	}
	if ((n == 0 || (n == 1 && p[0] == '\r')) && s->nheld == 0)
		return;		/* blank lines before anything */
	s->hoff[s->nheld] = s->held.len;
	s->hno[s->nheld] = lineno;
	s->hflags[s->nheld] = s->lineflags;
	buf_add(&s->held, p, n);
	buf_addc(&s->held, '\n');
	if (++s->nheld == SNIFF_LINES)
		end_sniff(s);
}

/*
 * A run of whole lines (ending with LF) without quotes, in valid UTF-8,
 * starting at a record boundary: libcsv takes it in one call, reporting
 * every CR and LF so that lines are counted.
 */
static void
bulk(struct state *s, const char *p, size_t n)
{
	s->bulk = 1;
	s->f0 = s->c->batch->nfl;
	csv_set_opts(&s->p, CSV_REPALL_NL);
	if (csv_parse(&s->p, p, n, cb_field, cb_record, s) != n)
		cv_errx(EX_OSERR, "%s: out of memory", s->c->name);
	csv_set_opts(&s->p, 0);
	s->bulk = 0;
}

/* The libcsv callbacks for a piece: what bulk() does, into its slot. */
static void
pcb_field(void *data, size_t len, void *arg)
{
	struct slot *sl = arg;

	add_field(&sl->rb, data, len);
}

static void
pcb_record(int term, void *arg)
{
	struct slot *sl = arg;
	struct recbatch *b = &sl->rb;
	struct csv_rec *r;

	if (b->nfl > sl->f0) {
		r = add_rec(b);
		r->line = sl->lines + 1;
		r->nlines = 1;
		r->raw = 0;
		r->rawlen = 0;
		r->nf = (int)(b->nfl - sl->f0);
		r->f0 = sl->f0;
		r->tag = 0;
		r->flags = CSVREC_NORAW;
		r->delim = sl->delim;
	}
	if (term == '\n')
		sl->lines++;
	sl->f0 = b->nfl;
}

/*
 * Parse the piece in sl with parser cp (which is between records: every
 * piece ends with its line's LF).  Called without the lock held; the slot
 * is the caller's while it is S_BUSY.
 */
static void
parse_piece(struct csv_parser *cp, struct slot *sl)
{
	recbatch_clear(&sl->rb);
	sl->lines = 0;
	sl->f0 = 0;
	csv_set_delim(cp, (unsigned char)sl->delim);
	if (csv_parse(cp, sl->p, sl->n, pcb_field, pcb_record, sl) != sl->n)
		sl->failed = 1;
}

/* Can the next piece be taken?  (With the lock held.) */
static int
can_take(const struct assist *a)
{
	return a->next < a->npieces && a->next < a->taken + NSLOT;
}

/*
 * Take the next piece, parse it with cp and mark it done.  Called with the
 * lock held, which is let go while the piece is parsed: the caller looks
 * at the state again after.
 */
static void
take_piece(struct assist *a, struct csv_parser *cp)
{
	struct slot *sl = &a->slot[a->next % NSLOT];
	int k = a->next++;

	sl->p = a->pc[k].p;
	sl->n = a->pc[k].n;
	sl->delim = a->delim;
	sl->state = S_BUSY;
	pthread_mutex_unlock(&a->mu);
	parse_piece(cp, sl);
	pthread_mutex_lock(&a->mu);
	sl->state = S_DONE;
	pthread_cond_broadcast(&a->cv);
}

static void *
assist_main(void *arg)
{
	struct assist *a = arg;

	pthread_mutex_lock(&a->mu);
	for (;;) {
		while (!a->quit && !can_take(a))
			pthread_cond_wait(&a->cv, &a->mu);
		if (a->quit)
			break;
		take_piece(a, &a->parser);
	}
	pthread_mutex_unlock(&a->mu);
	return NULL;
}

/* The helper, started on first use; NULL when it cannot be. */
static struct assist *
assist_get(struct state *s)
{
	struct assist *a;

	if (s->as != NULL || s->noassist)
		return s->as;
	a = xcalloc(1, sizeof(*a));
	csv_init(&a->parser, CSV_REPALL_NL);
	csv_set_blk_size(&a->parser, FIELD_BLK);
	csv_init(&a->mine, CSV_REPALL_NL);
	csv_set_blk_size(&a->mine, FIELD_BLK);
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cv, NULL);
	if (pthread_create(&a->thr, NULL, assist_main, a) != 0) {
		/* Not an error: the runs are parsed here alone. */
		pthread_mutex_destroy(&a->mu);
		pthread_cond_destroy(&a->cv);
		csv_free(&a->parser);
		csv_free(&a->mine);
		free(a);
		s->noassist = 1;
		return NULL;
	}
	s->as = a;
	return a;
}

static void
assist_end(struct state *s)
{
	struct assist *a = s->as;
	int i;

	if (a == NULL)
		return;
	pthread_mutex_lock(&a->mu);
	a->quit = 1;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	pthread_join(a->thr, NULL);
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->cv);
	csv_free(&a->parser);
	csv_free(&a->mine);
	for (i = 0; i < NSLOT; i++)
		recbatch_free(&a->slot[i].rb);
	free(a->pc);
	free(a);
	s->as = NULL;
}

/*
 * Hand a parsed piece's records on: the batch so far goes first (emit is
 * asked to pass it on), then the piece's batch takes the place of the
 * empty one, its line numbers made the file's, and goes on whole.
 */
static void
hand_on(struct state *s, struct slot *sl)
{
	struct csvin *c = s->c;
	struct recbatch t;
	int i, n = sl->rb.nr;

	if (sl->failed)
		cv_errx(EX_OSERR, "%s: out of memory", c->name);
	if (n > 0 && !s->stopped) {
		c->flush = 1;
		if (c->batch->nr > 0) {
			c->nnew = 0;
			if (s->emit(s->ctx, c) < 0)
				s->stopped = 1;
		}
		if (!s->stopped) {
			t = *c->batch;
			*c->batch = sl->rb;
			sl->rb = t;
			for (i = 0; i < n; i++)
				c->batch->r[i].line += s->line;
			c->records += n;
			c->nnew = n;
			if (s->emit(s->ctx, c) < 0)
				s->stopped = 1;
		}
		c->flush = 0;
		c->nnew = 1;
		s->f0 = c->batch->nfl;
	}
	s->line += sl->lines;
}

/* Where the piece starting at pos of the run [p, p+n) ends. */
static size_t
piece_end(const char *p, size_t n, size_t pos)
{
	const char *nl;

	if (n - pos < PIECE + PIECE / 2)
		return n;
	nl = memchr(p + pos + PIECE, '\n', n - pos - PIECE);
	return nl != NULL ? (size_t)(nl - p) + 1 : n;
}

/*
 * Queue the pieces of the run [p, p+n) (with the lock held).  The ones
 * handed on leave the queue, NSLOT at a time so that each piece keeps its
 * slot: on a file mapped whole the queue may never be empty.
 */
static void
add_pieces(struct assist *a, const char *p, size_t n)
{
	size_t pos, e;
	int d = a->taken - a->taken % NSLOT;

	if (d > 0) {
		memmove(a->pc, a->pc + d, (size_t)(a->npieces - d) *
		    sizeof(*a->pc));
		a->npieces -= d;
		a->next -= d;
		a->taken -= d;
	}
	for (pos = 0; pos < n; pos = e) {
		e = piece_end(p, n, pos);
		if (a->npieces == a->pcap) {
			a->pcap = a->pcap ? 2 * a->pcap : 64;
			a->pc = xreallocarray(a->pc, (size_t)a->pcap,
			    sizeof(*a->pc));
		}
		a->pc[a->npieces].p = p + pos;
		a->pc[a->npieces].n = e - pos;
		a->npieces++;
	}
}

/*
 * Hand the queued pieces' records on in order, with the lock held: while
 * the next piece is not done, take one to parse (it, or a later one while
 * the helper has it), or wait.  With keep, return instead of waiting once
 * no more than AHEAD pieces are left to take: the helper goes on with
 * them while this thread finds the next run.
 */
static void
hand_on_pieces(struct state *s, struct assist *a, int keep)
{
	struct slot *sl;
	int k;

	while ((k = a->taken) < a->npieces) {
		sl = &a->slot[k % NSLOT];
		if (keep && a->npieces - a->next <= AHEAD &&
		    sl->state != S_DONE)
			break;
		while (sl->state != S_DONE || a->next <= k) {
			if (can_take(a))
				take_piece(a, &a->mine);
			else
				pthread_cond_wait(&a->cv, &a->mu);
		}
		pthread_mutex_unlock(&a->mu);
		hand_on(s, sl);
		pthread_mutex_lock(&a->mu);
		sl->state = S_FREE;
		a->taken = k + 1;
		pthread_cond_broadcast(&a->cv);
	}
	if (a->taken == a->npieces)
		a->npieces = a->next = a->taken = 0;
}

/* Are pieces queued and not yet handed on? */
static int
in_flight(const struct state *s)
{
	return s->as != NULL && s->as->taken < s->as->npieces;
}

/*
 * The first byte still wanted when the file is read up to at: the start
 * of the first piece not handed on, if any.  (A line read the careful
 * way is copied before it is parsed.)
 */
static const char *
needed(const struct state *s, const char *at)
{
	return in_flight(s) ? s->as->pc[s->as->taken].p : at;
}

/* Hand on every piece still queued: records come next from elsewhere. */
static void
drain(struct state *s)
{
	struct assist *a = s->as;

	if (!in_flight(s))
		return;
	pthread_mutex_lock(&a->mu);
	hand_on_pieces(s, a, 0);
	pthread_mutex_unlock(&a->mu);
}

/*
 * A run for bulk(): long ones are cut into pieces that this thread and
 * the helper take, whichever is free, and whose records this thread
 * hands on in order.  Unless keep says that the bytes stay put until the
 * file is closed, every piece is parsed and handed on before this
 * returns, as the bytes may go away after; once emit() asks to stop, the
 * rest are parsed but not handed on.
 */
static void
bulk_run(struct state *s, const char *p, size_t n, int keep)
{
	struct assist *a = s->as;

	if (a == NULL && s->c->assist && n >= 2 * PIECE)
		a = assist_get(s);
	if (a == NULL || (n < 2 * PIECE && !in_flight(s))) {
		bulk(s, p, n);
		return;
	}
	pthread_mutex_lock(&a->mu);
	a->delim = (char)s->c->delim_used;
	add_pieces(a, p, n);
	pthread_cond_broadcast(&a->cv);
	hand_on_pieces(s, a, keep);
	pthread_mutex_unlock(&a->mu);
}

/*
 * The stretch [p, p+n) as UTF-8 for bulk_run(): as it is, or converted
 * from GB18030 in one go.  0 when it holds bytes invalid in the file's
 * encoding: it then goes line by line, so that those lines are flagged.
 */
static int
bulk_text(struct state *s, const char *p, size_t n, const char **t,
    size_t *tn)
{
	struct csvin *c = s->c;
	char *in = (char *)p, *out;
	size_t inleft = n, outleft;

	*t = p;
	*tn = n;
	if (ascii(p, n))
		return 1;
	if (c->enc_used == ENC_AUTO) {
		/*
		 * The first line that is not plain ASCII decides, as in
		 * to_utf8(): not the whole run, where one bad byte further
		 * on would make a UTF-8 file GBK.
		 */
		const char *ls, *le, *q = p;

		while (q < p + n && (unsigned char)*q < 0x80)
			q++;
		ls = memrchr(p, '\n', (size_t)(q - p));
		ls = ls != NULL ? ls + 1 : p;
		le = memchr(q, '\n', (size_t)(p + n - q));
		le = le != NULL ? le : p + n;
		c->enc_used = guess_enc(ls, (size_t)(le - ls));
	}
	if (c->enc_used == ENC_UTF8)
		return utf8_valid(p, n);
	if (!conv_open(s))
		return 0;
	/* LF and '"' are never part of a GB18030 (or 1252) character. */
	s->whole.len = 0;
	buf_grow(&s->whole, 2 * n + 16);
	out = s->whole.p;
	outleft = s->whole.cap - 1;
	if (iconv(s->cd, &in, &inleft, &out, &outleft) == (size_t)-1) {
		iconv(s->cd, NULL, NULL, NULL, NULL);
		return 0;
	}
	s->whole.len = (size_t)(out - s->whole.p);
	*t = s->whole.p;
	*tn = s->whole.len;
	return 1;
}

/*
 * The bytes [p+pos, p+n) of the input, as UTF-8 or as read: whole lines
 * go to libcsv, the quote-free runs of them the quick way, and a line the
 * bytes end in the middle waits in s->carry for the next call.  lasting:
 * the bytes stay put until released (a file mapped whole).
 */
static void
take_bytes(struct state *s, struct cv_in *in, char *p, size_t n, size_t pos,
    int lasting)
{
	size_t lmuntil = 0;

	if (s->carry.len > 0) {
		char *nl = memchr(p + pos, '\n', n - pos);

		if (nl == NULL) {
			buf_add(&s->carry, p + pos, n - pos);
			return;
		}
		buf_add(&s->carry, p + pos, (size_t)(nl - (p + pos)));
		one_line(s, s->carry.p, s->carry.len);
		s->carry.len = 0;
		pos = (size_t)(nl - p) + 1;
	}
	while (pos < n && !s->stopped) {
		const char *t;
		size_t tn;
		char *nl;

		/* Only where libcsv is between records. */
		if (pos >= lmuntil && !s->sniffing && s->nl == 0 &&
		    s->c->delim_used != DELIM_BLANKS && between_records(s)) {
			size_t span = n - pos < SCAN ? n - pos : SCAN;
			char *q = memchr(p + pos, '"', span);
			size_t lim = q != NULL ? (size_t)(q - p) : pos + span;
			char *end = memrchr(p + pos, '\n', lim - pos);

			if (end != NULL) {
				size_t k = (size_t)(end - p) + 1;

				if (bulk_text(s, p + pos, k - pos, &t, &tn)) {
					bulk_run(s, t, tn,
					    t == p + pos && lasting);
					pos = k;
					in_release(in, needed(s, p + pos));
					continue;
				}
				/* Bad bytes somewhere: line by line. */
				lmuntil = k;
			}
		}
		nl = memchr(p + pos, '\n', n - pos);
		if (nl == NULL) {
			buf_add(&s->carry, p + pos, n - pos);
			break;
		}
		one_line(s, p + pos, (size_t)(nl - (p + pos)));
		pos = (size_t)(nl - p) + 1;
		in_release(in, needed(s, p + pos));
	}
}

/*
 * The next line end in [*q, e) outside quoted fields: '\r' for a lone CR,
 * '\n' for an LF or CRs before one, 0 for none; *q is moved past it.  As
 * for libcsv, a quote opens a field only at its start (after a line end
 * or a separator of any kind, spaces between; blanks: after a blank), so
 * an inch mark (12") opens nothing; this only tells line ends apart,
 * libcsv reads the fields.
 */
static int
next_end(const char **q, const char *e, int blanks)
{
	const char *p = *q, *b;
	int quoted = 0;

	for (; p < e; p++) {
		if (quoted) {
			if (*p == '"') {
				if (p + 1 < e && p[1] == '"')
					p++;
				else
					quoted = 0;
			}
		} else if (*p == '"') {
			for (b = p; b > *q && b[-1] == ' '; b--)
				;
			quoted = b == *q || strchr(",;|\t", b[-1]) != NULL ||
			    (blanks && b < p);
		} else if (*p == '\n') {
			*q = p + 1;
			return '\n';
		} else if (*p == '\r') {
			while (p < e && *p == '\r')
				p++;
			if (p == e)
				return 0;
			*q = p + (*p == '\n');
			return *p == '\n' ? '\n' : '\r';
		}
	}
	return 0;
}

/*
 * Whether the bytes [p, p+n), the start of a file, are lines that lone
 * CRs end, as Excel for Mac's "CSV (Macintosh)" and old Macintosh
 * programs write them: the first line end outside quotes is a lone CR,
 * and so is the next, if the first CRWIN bytes hold one and it does not
 * end the input (a stray CR in a header is no line end of its own).  Only
 * those bytes are looked at, so that a file mapped whole is not read
 * through here.
 */
static int
cr_lines(const char *p, size_t n, int blanks)
{
	const char *e = p + (n > CRWIN ? CRWIN : n);
	int end;

	if (next_end(&p, e, blanks) != '\r')
		return 0;
	end = next_end(&p, e, blanks);
	/* An LF that ends the whole input (shorter than a block) is its end. */
	return end == 0 || end == '\r' || (p == e && n < CRWIN);
}

/*
 * The bytes [p, p+n) of a file whose lines end in CRs, with an LF for
 * each CR, CRLF, or LF: the reader takes them a window at a time.
 */
static void
take_cr_bytes(struct state *s, struct cv_in *in, const char *p, size_t n)
{
	const char *cr;
	size_t i, k, m, w;

	buf_grow(&s->crwin, CRWIN);
	while (n > 0 && !s->stopped) {
		w = n < CRWIN ? n : CRWIN;
		for (i = k = 0; i < w; ) {
			if (s->aftercr) {
				s->aftercr = 0;
				if (p[i] == '\n') {
					i++;
					continue;
				}
			}
			cr = memchr(p + i, '\r', w - i);
			m = cr != NULL ? (size_t)(cr - (p + i)) : w - i;
			memcpy(s->crwin.p + k, p + i, m);
			k += m;
			i += m;
			if (cr != NULL) {
				s->crwin.p[k++] = '\n';
				i++;
				s->aftercr = 1;
			}
		}
		take_bytes(s, in, s->crwin.p, k, 0, 0);
		drain(s);
		p += w;
		n -= w;
		in_release(in, p);
	}
}

int
csvin_read(struct csvin *c, const char *path, csvin_emit emit, void *ctx,
    struct cv_error *e)
{
	struct cv_in in;
	struct state s;
	const char *blk;
	char *p;
	ssize_t len = 0;
	size_t n, pos;
	int first = 1;

	if (c->max_rec_lines <= 0)
		c->max_rec_lines = 100;
	c->enc_used = c->encoding;
	c->delim_used = c->delim;
	c->bom = 0;
	c->nnew = 1;
	c->flush = 0;
	c->lines = c->records = 0;
	c->bytes = 0;
	memset(&s, 0, sizeof(s));
	s.c = c;
	s.emit = emit;
	s.ctx = ctx;
	e->status = 0;
	e->line = 0;
	if (in_open(&in, path, c->inflags | IN_WHOLE, e) < 0)
		return -1;
	c->name = in.name;
	csv_init(&s.p, 0);
	csv_set_blk_size(&s.p, FIELD_BLK);
	s.sniffing = c->delim == 0;
	if (!s.sniffing)
		csv_set_delim(&s.p, (unsigned char)(c->delim == DELIM_BLANKS ?
		    '\t' : c->delim));
	while (!s.stopped && (len = in_next(&in, &blk, e)) > 0) {
		p = (char *)blk;
		n = (size_t)len;
		pos = 0;
		if (first) {
			first = 0;
			if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
				/* Excel's "CSV UTF-8", whatever was given. */
				pos = 3;
				c->bom = 1;
				c->enc_used = ENC_UTF8;
			}
			if (n >= 2 && (memcmp(p, "\xff\xfe", 2) == 0 ||
			    memcmp(p, "\xfe\xff", 2) == 0)) {
				/* Excel's "Unicode text": no row can be read. */
				len = cv_fail(e, EX_DATAERR, "%s: UTF-16 text, "
				    "which cv does not read: save it as \"CSV "
				    "UTF-8\", or convert it with iconv -f UTF-16 "
				    "-t UTF-8", c->name);
				break;
			}
			s.crlines = cr_lines(p + pos, n - pos,
			    c->delim == DELIM_BLANKS);
		}
		if (s.crlines)
			take_cr_bytes(&s, &in, p + pos, n - pos);
		else
			take_bytes(&s, &in, p, n, pos, in_lasting(&in));
		/* The next in_next() takes this block's bytes away. */
		drain(&s);
	}
	drain(&s);
	if (len >= 0 && !s.stopped && s.carry.len > 0)
		one_line(&s, s.carry.p, s.carry.len);	/* no LF at the end */
	if (len >= 0 && !s.stopped && s.sniffing)
		end_sniff(&s);
	/* An open quote at the end of the file. */
	while (len >= 0 && !s.stopped && s.nl > 0)
		split_broken(&s, 0);
	c->lines = s.line;
	c->bytes = in.rawbytes;
	assist_end(&s);
	in_close(&in);
	csv_free(&s.p);
	if (s.cdopen)
		iconv_close(s.cd);
	buf_free(&s.conv);
	buf_free(&s.whole);
	buf_free(&s.blank);
	buf_free(&s.held);
	buf_free(&s.carry);
	buf_free(&s.crwin);
	free(s.loff);
	free(s.lno);
	free(s.lfl);
	if (len < 0)
		return -1;
	if (s.stopped) {
		e->status = 0;
		return -1;
	}
	return 0;
}
