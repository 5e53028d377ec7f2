/*
 * ingest: from export files to cv streams (see ingest.h).
 *
 * The caller's thread reads each file with csvin and packs its records into
 * batches; the converter thread takes the batches in order, finds each
 * file's header, checks and converts every record, and writes accepted
 * lines to a spool file and rejected ones to the rejects file; the
 * resolver thread decides which spooled lines are duplicates to drop or
 * replace (see struct resolver); a writer thread (out_async()) compresses
 * a .gz -o file that is its own spool (--dedup first) as the converter
 * fills it.
 * When all input is read and the run succeeded, the surviving spool lines
 * go to the output.  An -o file is its own spool: the superseded lines are
 * squeezed out of it in place, which saves writing every line twice.  No
 * memory is allocated per row: batches, line buffers and tables are
 * reused, and grow only with the largest record or with the number of
 * distinct lines (the duplicate index).
 */
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "csvin.h"
#include "date.h"
#include "dedup.h"
#include "diag.h"
#include "hash.h"
#include "ingest.h"
#include "io.h"
#include "num.h"
#include "profile.h"
#include "re.h"
#include "tsv.h"
#include "utf8.h"

#define BATCH_BYTES	(1 << 20)
#define BATCH_RECS	8192
/*
 * Batches in flight between the parser and the converter: with more
 * threads than cores, either may be off its core for a few time slices,
 * and with 4 the other soon waited for it: a run over 10 million lines
 * kept 1.73 of the two CPUs busy with 4, about 1.85 with 8.
 */
#define NBATCHES	8
#define PREAMBLE_MAX	50
#define PENDING_MAX	100000	/* rows with a day/month date waiting */
#define PENDING_DETAIL	"more than " CV_STR(PENDING_MAX) " rows with " \
	"day and month both 12 or less wait for the file to show its order; " \
	"give --date-order mdy or dmy"
#define QUEUE_MAX	250000	/* rows waiting, with those behind them */
#define QUEUE_DETAIL	"the file did not show whether it writes month/day " \
	"or day/month in " CV_STR(QUEUE_MAX) " rows; give --date-order mdy " \
	"or dmy"
#define CV_STR(x)	CV_STR2(x)
#define CV_STR2(x)	#x
#define SHOW_REJECTS	10

static const char *const headers[KIND_COUNT] = {
	"txn_id\tline\tts\tcustomer_id\tstore_id\tstaff_id\tchannel\tsku\t"
	    "qty\tamount",
	"customer_id\tname\tphone\tgender\tbirthday\tjoin_date\tstore_id\t"
	    "staff_id\ttier\ttype\topt_out",
	"date\tcustomer_id\tstaff_id\tchannel\tcampaign\toutcome\tnote",
	"staff_id\tname\tstore_id\tstatus\tleft_date",
};

/*
 * A flag of ours on a waiting record (csvin's CSVREC_* flags are the low
 * bits): a repeated header came before it, so the decimal mark starts
 * afresh when it is read.
 */
#define REC_EXPORT	0x1000

/* Reasons for rejecting a row; the summary counts rows per reason. */
enum reason {
	R_FIELDS, R_BROKEN, R_ENCODING, R_NOHEADER, R_TOTALS, R_NODATE,
	R_DATE, R_AMBIG, R_FUTURE, R_NOAMOUNT, R_AMOUNT, R_QTY, R_PRICE,
	R_IDMANGLED, R_IDPATTERN, R_NOID, R_NOTXN, R_TYPE, R_OPTOUT,
	R_BIRTHDAY, R_JOINDATE, R_STATUS, R_NOSTAFF, R_IDLONG, R_WALKIN,
	R_NREASONS
};

static const char *const reason_names[R_NREASONS] = {
	"wrong number of fields", "unterminated quote", "bad encoding",
	"no usable header", "totals row", "no date", "bad date",
	"ambiguous date", "date after --as-of", "no amount", "bad amount",
	"bad quantity", "bad unit price", "number mangled by a spreadsheet",
	"member id does not match --id-pattern", "no member id",
	"no receipt id", "bad customer type", "bad opt-out value",
	"bad birthday", "bad join date", "bad staff status", "no staff id",
	"member id too long", "a --walk-in id",
};

const char *
ingest_header(enum kind kind)
{
	return headers[kind];
}

void
ingest_defaults(struct ingest_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->kind = KIND_TXN;
	o->max_reject_rate = 0.01;
	o->as_of = DAY_NONE;
	o->dedup = DEDUP_KEEP_LAST;
}

/* A batch of records on its way from the parser to the converter. */
struct batch {
	struct recbatch	 rb;
	int		 file;
	int		 end;		/* the file ends with this batch */
	struct cv_error	 err;		/* err.status != 0: the file failed */
	int		 enc;
	int		 delim;
	long		 lines;
	struct batch	*next;
};

struct queue {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct batch	*head;
	struct batch	*tail;
	struct batch	*free;
	int		 done;
};

/* Receipt -> number of lines seen, for files without a line column. */
struct rcount {
	uint64_t	*k;
	uint32_t	*v;
	size_t		 cap;
	size_t		 n;
};

struct fileconv {
	const char	*name;
	int		 data;		/* the header was found */
	int		 broken;	/* no usable header: reject everything */
	long		 badhdr;	/* the line of the header that failed */
	int		 tspart;	/* the column beside ts holding the
					   rest of the time (a date and a
					   time of day apart), or -1 */
	int		 ncol;
	int		*col;
	int		 where[HDRMAP_MAXF];
	const char	*colname[HDRMAP_MAXF];	/* header name of each field */
	int		 nfields;
	struct buf	 hdr;		/* header cells, NUL-separated */
	size_t		*hdroff;
	long		 preamble;
	int		 order;
	int		 settled;
	int		 mark;		/* decimal mark, '.' or ','; 0 until a
					   value shows it (num_mark()) */
	long long	 markamb;	/* numbers read before it with a point
					   that a comma would read otherwise */
	long		 markambline;	/* the first of them */
	long		 markline;	/* the row that set it */
	long long	 markafter;	/* numbers the mark it set decided */
	long		 markafterline;	/* the first of them */
	long long	 markother;	/* rows since that show the other */
	long		 markotherline;	/* the first of them */
	int		 markbad;	/* a fatal mixture was told */
	int		 resetnext;	/* a repeated header came while rows
					   wait: the next to wait is marked
					   REC_EXPORT */
	long long	 pnumbad;	/* rows with a bad number waiting */
	/*
	 * Rows wait in pending while the file has not shown its date order:
	 * those with a day/month date, and every row after the first of them
	 * (so that rows are accepted in the file's order).  never: the file
	 * ended unsettled, an ambiguous date is now rejected.
	 */
	struct recbatch	 pending;
	int		 namb;		/* of them, rows with a day/month date */
	int		 never;
	const char	*neverwhy;	/* why an ambiguous date is rejected */
	struct recbatch	 pre;		/* records before the header */
	/* The texts of the title lines above the header, each NUL-ended. */
	struct buf	 titles;
	/*
	 * Lines after it equal to one of those: title lines again if a
	 * repeated header follows them (report exports joined with cat),
	 * else rows to reject.
	 */
	struct recbatch	 held;
	/*
	 * One-cell lines after the data (共60条记录, 导出人：张三): a footer
	 * if the file ends or a repeated header follows, else rows.
	 */
	struct recbatch	 foot;
	int		 penc;
	int		 henc;		/* the encoding the lines before the
					   header were read in */
	/* An opt-out column read x as yes, and one held a tick (√). */
	long		 optx;
	int		 opttick;
	int		 ambf;		/* field of the last ambiguous date */
	long long	 rows;
	long long	 accepted;
	long long	 rejected;
	long long	 dups;
	struct rcount	 rc;
	uint64_t	 lastrk;
	uint32_t	 lastrn;
};

/* A line written to the spool whose duplicate check is still to come. */
struct dpend {
	uint64_t	 k1, k2;
	uint32_t	 ord;
	uint32_t	 chash;
};

#define DPBATCH		(1 << 16)
#define DPQUEUE		8
#define DPBUCKETS	65536
#define RESOLVE_AHEAD	16	/* slots fetched ahead of the lookups */

/*
 * The duplicate decisions of a run that keeps the last copy are made in a
 * thread of their own, a batch at a time (see resolve()): the converter
 * hands over a full batch and goes on converting while the batch is
 * sorted and put into the index, whose first touch of fresh memory is
 * most of the cost.  Up to DPQUEUE batches wait their turn, so that the
 * converter goes on while the first batches fault in the index (256 MiB
 * for 10 million lines, half a second on fresh memory).  What the batches
 * found waits here until the converter collects it at the end of a file.
 */
struct resolver {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	pthread_t	 thr;
	int		 running;	/* the thread was started */
	int		 busy;		/* a batch is being put */
	int		 quit;
	int		 inited;
	struct dedup	*dd;
	struct dpend	*q[DPQUEUE];	/* batches handed over, a ring */
	size_t		 qn[DPQUEUE];
	int		 qhead, qcount;
	/*
	 * Emptied batches.  At most DPQUEUE + 2 exist: the converter's, those
	 * in the ring and the one being put (a batch is made only when there
	 * is no spare).
	 */
	struct dpend	*spare[DPQUEUE + 2];
	int		 nspare;
	struct dpend	*dpsort;
	uint32_t	*dpcount;
	long long	 accepted, dups, replaced;
};

struct conv {
	const struct ingest_opts *o;
	char		**files;
	int		 nfiles;
	struct hdrmap	*map;
	struct re	*idre;
	char		**walkins;	/* --walk-in ids, normalised */
	size_t		*walkinn;
	int		 nwalkins;
	struct dedup	 dd;
	struct profiles	 held;		/* members: superseded profiles */
	struct buf	 merged;
	struct cv_out	*spool;
	struct cv_out	 rej;
	int		 haverej;
	struct buf	 line;
	struct buf	 key;
	struct buf	 tmp;
	struct buf	 tmp2;
	struct buf	 rkey;		/* receipt key, for numbering lines */
	struct buf	 rkeyid;	/* its member id, normalised */
	struct buf	 rkeytxn;	/* its receipt id, repaired */
	int		 rowmark;	/* the decimal mark the row showed */
	int		 rowamb;	/* it read 2,125 or 1.234 with a point
					   for want of a mark */
	struct buf	 rejtext;	/* a rejected row's text, made UTF-8 */
	uint32_t	 rline;		/* the row's number on its receipt */
	struct buf	 text;		/* a rejected record's text */
	const char	*idp;		/* the member id of the row, get_id() */
	size_t		 idn;
	const char	*mkp;		/* the id a made-up receipt id takes: */
	size_t		 mkn;		/* idp's, or the --walk-in id's */
	const char	*chan;		/* --channel, or "store" */
	size_t		 chann;
	uint32_t	 ord;
	/* duplicate decisions waiting for a batch (see resolve()) */
	struct dpend	*dp;
	size_t		 ndp;
	struct resolver	 rs;
	int64_t		 lastts;	/* the last time written, and its text */
	char		 lasttsb[24];
	uint64_t	 k1, k2;	/* key fingerprint, when havekey */
	int		 havekey;
	int		 tsjoined;	/* the time was made of two columns */
	int		 tsf;		/* the column the sale's date came from */
	int		 yy;		/* how two-digit years are read: beside
					   a month name, and in numbers alone
					   only in --date-order's order */
	int		 special;	/* put_row() escaped or kept a control
					   character */
	struct ingest_stats st;
	long long	 byreason[R_NREASONS];
	long long	 skipped;	/* title lines before headers */
	long long	 footer;	/* footer lines after the data */
	int		 shown;
	int		 status;	/* worst file-level status */
	struct fileconv	 fc;
	int		 curfile;
	int		 ncolumns;	/* --columns given */
	char		**columns;
	size_t		*collen;
};

/*
 * The batch queue.  The parser fills a batch and pushes it; the converter
 * pops batches in order and gives them back to the free list.
 */
static struct batch *
batch_get(struct queue *q)
{
	struct batch *b;

	pthread_mutex_lock(&q->mu);
	while (q->free == NULL)
		pthread_cond_wait(&q->cv, &q->mu);
	b = q->free;
	q->free = b->next;
	pthread_mutex_unlock(&q->mu);
	b->next = NULL;
	recbatch_clear(&b->rb);
	b->end = 0;
	b->enc = ENC_AUTO;
	b->err.status = 0;
	return b;
}

static void
batch_push(struct queue *q, struct batch *b)
{
	pthread_mutex_lock(&q->mu);
	b->next = NULL;
	if (q->tail != NULL)
		q->tail->next = b;
	else
		q->head = b;
	q->tail = b;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

static struct batch *
batch_pop(struct queue *q)
{
	struct batch *b;

	pthread_mutex_lock(&q->mu);
	while (q->head == NULL && !q->done)
		pthread_cond_wait(&q->cv, &q->mu);
	b = q->head;
	if (b != NULL) {
		q->head = b->next;
		if (q->head == NULL)
			q->tail = NULL;
	}
	pthread_mutex_unlock(&q->mu);
	return b;
}

static void
batch_put(struct queue *q, struct batch *b)
{
	pthread_mutex_lock(&q->mu);
	b->next = q->free;
	q->free = b;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

/* The parser side: csvin's callback. */
struct reader {
	struct queue	*q;
	struct batch	*cur;
	int		 file;
	long long	 records;
	int		 progress;
	time_t		 last;
	const char	*name;
};

static int
on_record(void *ctx, struct csvin *ci)
{
	struct reader *rd = ctx;
	struct batch *b = rd->cur;
	long long before = rd->records;

	if (b->rb.nr >= BATCH_RECS || b->rb.data.len + b->rb.raw.len >=
	    BATCH_BYTES || (ci->flush && b->rb.nr > 0)) {
		/* Found by now, if a row of it can have bytes not valid in it. */
		b->enc = ci->enc_used;
		batch_push(rd->q, b);
		b = rd->cur = batch_get(rd->q);
		b->file = rd->file;
		ci->batch = &b->rb;
	}
	rd->records += ci->nnew;
	if (rd->progress && (rd->records >> 16) != (before >> 16)) {
		time_t now = time(NULL);

		if (now != rd->last) {
			rd->last = now;
			fprintf(stderr, "\r%s: %s: %lld rows...", cv_progname,
			    rd->name, rd->records);
		}
	}
	return 0;
}

/* Receipt line counters, for exports without a line number column. */
static uint32_t
rcount_next(struct rcount *rc, uint64_t k)
{
	size_t i;

	if (k == 0)
		k = 1;
	if (4 * (rc->n + 1) > 3 * rc->cap) {
		size_t ncap = rc->cap ? 2 * rc->cap : 1024, j;
		uint64_t *nk = xcalloc(ncap, sizeof(*nk));
		uint32_t *nv = xcalloc(ncap, sizeof(*nv));

		for (i = 0; i < rc->cap; i++) {
			if (rc->k[i] == 0)
				continue;
			for (j = rc->k[i] & (ncap - 1); nk[j] != 0;
			    j = (j + 1) & (ncap - 1))
				;
			nk[j] = rc->k[i];
			nv[j] = rc->v[i];
		}
		free(rc->k);
		free(rc->v);
		rc->k = nk;
		rc->v = nv;
		rc->cap = ncap;
	}
	for (i = k & (rc->cap - 1); rc->k[i] != 0; i = (i + 1) & (rc->cap - 1))
		if (rc->k[i] == k)
			return ++rc->v[i];
	rc->k[i] = k;
	rc->v[i] = 1;
	rc->n++;
	return 1;
}

static void
rcount_clear(struct rcount *rc)
{
	free(rc->k);
	free(rc->v);
	memset(rc, 0, sizeof(*rc));
}

/* trim()'s work when a value may start or end with a blank or wide space. */
static void
trim_ends(const char **p, size_t *n)
{
	const char *s = *p, *e = s + *n;

	for (;;) {
		if (s < e && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
			s++;
		else if (e - s >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0)
			s += 3;
		else if (e - s >= 2 && memcmp(s, "\xc2\xa0", 2) == 0)
			s += 2;
		else
			break;
	}
	for (;;) {
		if (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
		    e[-1] == '\n'))
			e--;
		else if (e - s >= 3 && memcmp(e - 3, "\xe3\x80\x80", 3) == 0)
			e -= 3;
		else if (e - s >= 2 && memcmp(e - 2, "\xc2\xa0", 2) == 0)
			e -= 2;
		else
			break;
	}
	*p = s;
	*n = (size_t)(e - s);
}

/*
 * Trim ASCII blanks, ideographic spaces and no-break spaces.  The common
 * case, nothing to trim, is settled here without a call.
 */
static inline void
trim(const char **p, size_t *n)
{
	const unsigned char *s = (const unsigned char *)*p;

	if (*n == 0 || (s[0] > ' ' && s[0] < 0xc2 && s[*n - 1] > ' ' &&
	    s[*n - 1] < 0x80))
		return;
	trim_ends(p, n);
}

/* Excel's ways of keeping a value as text: ="00123" and '00123. */
static void
unexcel(const char **p, size_t *n)
{
	if (*n >= 3 && (*p)[0] == '=' && (*p)[1] == '"' && (*p)[*n - 1] == '"') {
		*p += 2;
		*n -= 3;
	} else if (*n >= 2 && (*p)[0] == '\'') {
		*p += 1;
		*n -= 1;
	}
}

static int
eqi(const char *p, size_t n, const char *lit)
{
	/* Bytes that differ beyond case differ: most words go at once. */
	if (n > 0 && ((p[0] ^ lit[0]) & ~0x20) != 0)
		return 0;
	return strlen(lit) == n && strncasecmp(p, lit, n) == 0;
}

static int
oneof(const char *p, size_t n, const char *const *list)
{
	for (; *list != NULL; list++)
		if (eqi(p, n, *list))
			return 1;
	return 0;
}

/*
 * What systems write in a cell for "no value": SQL tools' NULL, Excel's
 * errors where a formula looked a value up, dashes and 无.
 */
#define NONE_WORDS							\
	"null", "(null)", "(blank)", "blank", "n/a", "#n/a", "none",	\
	"-", "--", "/",							\
	"\xe6\x97\xa0",					/* 无 */	\
	"\xe7\x84\xa1",					/* 無 */	\
	"\xe7\xa9\xba",					/* 空 */	\
	"\xe2\x80\x94", "\xe2\x80\x94\xe2\x80\x94",	/* — —— */	\
	"\xe2\x80\x95", "\xe2\x80\x95\xe2\x80\x95",	/* ― ―― */	\
	"#null!", "#ref!", "#value!", "#name?", "#div/0!", "#num!", "'",	\
	"(\xe7\xa9\xba\xe7\x99\xbd)",			/* (空白) */	\
	"\xef\xbc\x88\xe7\xa9\xba\xe7\x99\xbd\xef\xbc\x89"	/* （空白） */

/* The commonest first: most walk-ins of a Chinese till are 散客. */
static const char *const walkin_ids[] = {
	"\xe6\x95\xa3\xe5\xae\xa2",			/* 散客 */
	"0", NONE_WORDS, "na", "nan",
	"walk-in", "walkin", "walk in", "guest", "anonymous",
	"\xe9\x9d\x9e\xe4\xbc\x9a\xe5\x91\x98",		/* 非会员 */
	"\xe9\x9d\x9e\xe6\x9c\x83\xe5\x93\xa1",		/* 非會員 */
	"\xe5\x8c\xbf\xe5\x90\x8d",			/* 匿名 */
	"\xe4\xb8\xb4\xe6\x97\xb6\xe9\xa1\xbe\xe5\xae\xa2", /* 临时顾客 */
	NULL
};

/*
 * The same in a profile's or a contact's other fields, and "unknown": an
 * empty field.  Not NA or Nan, which are names in pinyin (娜, 楠).
 */
static const char *const none_words[] = {
	NONE_WORDS, "unknown",
	"\xe6\x9c\xaa\xe7\x9f\xa5",			/* 未知 */
	"\xe4\xb8\x8d\xe8\xaf\xa6",			/* 不详 */
	"\xe4\xb8\x8d\xe8\xa9\xb3",			/* 不詳 */
	NULL
};

/* Is the trimmed value s[0..n) a placeholder for no value? */
static int
is_none(const char *s, size_t n)
{
	unsigned char a, b;

	if (n == 0 || n > 12)
		return 0;
	/*
	 * Every profile field comes here: first how the words begin (a
	 * name 陈静 or a store SH01 costs no word list).
	 */
	a = (unsigned char)s[0];
	b = n > 1 ? (unsigned char)s[1] : 0;
	if (a < 0x80) {
		a |= 0x20;
		if (a != 'n' && a != 'b' && a != 'u' && s[0] != '(' &&
		    s[0] != '#' && s[0] != '-' && s[0] != '/' && s[0] != '\'')
			return 0;
	} else if (!(a == 0xe6 && (b == 0x97 || b == 0x9c)) &&	/* 无 未 */
	    !(a == 0xe7 && (b == 0x84 || b == 0xa9)) &&		/* 無 空 */
	    !(a == 0xe4 && b == 0xb8) &&			/* 不 */
	    !(a == 0xe2 && b == 0x80) &&			/* — ― */
	    !(a == 0xef && b == 0xbc))				/* （ */
		return 0;
	return oneof(s, n, none_words);
}

enum { ID_OK, ID_WALKIN, ID_MANGLED, ID_FRACTION };

/*
 * Normalise a member id into out.  Spreadsheet damage is repaired only
 * where exact: 17850.0 is 17850, 1.3800138000E+10 is 13800138000; but
 * 1.38001E+10 lost digits and is refused.
 */
static int
norm_id_slow(const char *p, size_t n, struct buf *out);
static int unmangle(const char *p, size_t n, struct buf *out);

/*
 * The id is left in *rp, *rn: a piece of the input when it needed no
 * change (the common case: letters and digits), else out's text.
 */
static int
norm_id(const char *p, size_t n, struct buf *out, const char **rp,
    size_t *rn)
{
	size_t i;
	int k, zero = 1, letters = 0;

	trim(&p, &n);
	if (n >= 2 && n <= 64) {
		for (i = 0; i < n; i++) {
			unsigned char ch = (unsigned char)p[i];

			if (ch >= '0' && ch <= '9')
				zero &= ch == '0';
			else if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z')
				letters = 1, zero = 0;
			else
				break;
		}
		/* Only words can be placeholders such as "null" or "guest". */
		if (i == n && !zero && (!letters || !oneof(p, n, walkin_ids))) {
			*rp = p;
			*rn = n;
			return ID_OK;
		}
	}
	if (n == 0) {
		/* A walk-in with nothing written: the commonest slow case. */
		out->len = 0;
		*rp = "";
		*rn = 0;
		return ID_WALKIN;
	}
	k = norm_id_slow(p, n, out);
	*rp = out->p != NULL ? out->p : "";
	*rn = out->len;
	return k;
}

static int norm_id_rest(const char *p, size_t n, struct buf *out);

/* An id with full-width forms (１７８５０): the id in ASCII. */
static __attribute__((noinline)) int
norm_id_hw(const char *p, size_t n, struct buf *out)
{
	char hw[3 * 256];

	return norm_id_rest(hw, utf8_halfwidth(hw, p, n), out);
}

/*
 * The bytes of U+200B..U+200F, U+202A..U+202E, U+2060 and U+FEFF at p:
 * marks that do not show (zero-width spaces and joiners, the direction
 * marks a phone's contacts put round a number), or 0.
 */
static size_t
unseen(const char *p, const char *e)
{
	const unsigned char *u = (const unsigned char *)p;

	if (e - p < 3)
		return 0;
	if (u[0] == 0xe2 && u[1] == 0x80 && ((u[2] >= 0x8b && u[2] <= 0x8f) ||
	    (u[2] >= 0xaa && u[2] <= 0xae)))
		return 3;
	if ((u[0] == 0xe2 && u[1] == 0x81 && u[2] == 0xa0) || (u[0] == 0xef &&
	    u[1] == 0xbb && u[2] == 0xbf))
		return 3;
	return 0;
}

/* An id with marks that do not show: the id without them. */
static __attribute__((noinline)) int
norm_id_unseen(const char *p, size_t n, struct buf *out)
{
	char clean[3 * 256];
	const char *e = p + n;
	size_t k = 0, m;

	while (p < e) {
		if ((m = unseen(p, e)) > 0)
			p += m;
		else
			clean[k++] = *p++;
	}
	return norm_id_slow(clean, k, out);
}

static int
norm_id_slow(const char *p, size_t n, struct buf *out)
{
	size_t i;

	trim(&p, &n);
	/* The marks start E2 or EF: most ids have neither byte. */
	if (n <= 3 * 256 && (memchr(p, 0xe2, n) != NULL || memchr(p, 0xef,
	    n) != NULL))
		for (i = 0; i + 3 <= n; i++)
			if (unseen(p + i, p + n) > 0)
				return norm_id_unseen(p, n, out);
	if (n <= 3 * 256 && memchr(p, 0xef, n) != NULL)
		return norm_id_hw(p, n, out);
	return norm_id_rest(p, n, out);
}

static int
norm_id_rest(const char *p, size_t n, struct buf *out)
{
	size_t i;
	int allzero = 1, k;

	unexcel(&p, &n);
	trim(&p, &n);
	out->len = 0;
	if (n == 0)
		return ID_WALKIN;
	/* Most ids are plain digits or letters and digits: skip the list. */
	if (!(n > 1 && ((p[0] >= '1' && p[0] <= '9') || (p[0] >= 'A' &&
	    p[0] <= 'Z' && p[1] >= '0' && p[1] <= '9'))) &&
	    oneof(p, n, walkin_ids))
		return ID_WALKIN;
	for (i = 0; i < n; i++)
		if (p[i] != '0')
			allzero = 0;
	if (allzero)
		return ID_WALKIN;
	if ((k = unmangle(p, n, out)) >= 0)
		return k;
	buf_add(out, p, n);
	return ID_OK;
}

/*
 * A number a spreadsheet wrote for an id, in out as the id (17850.0 and
 * 17850,0 are 17850; 1.3800138000E+10 and 1,3800138000E+10 are
 * 13800138000; 13,800,138,000 is 13800138000): ID_OK, or ID_MANGLED when
 * digits were lost (1.38001E+10), ID_FRACTION when it is no whole number
 * (1.2345E+2); -1 when p is no such number (out untouched).
 */
static int
unmangle(const char *p, size_t n, struct buf *out)
{
	size_t i, j, dot = 0, e, mant, exp;

	if (n < 2 || p[0] < '0' || p[0] > '9')
		return -1;
	/* 17850.0 */
	for (i = 0; i < n && p[i] >= '0' && p[i] <= '9'; i++)
		;
	if (i < n && (p[i] == '.' || p[i] == ',')) {
		for (j = i + 1; j < n && p[j] == '0'; j++)
			;
		/* but 17,000 is a group of thousands, not 17,0 */
		if (j == n && j > i + 1 && !(p[i] == ',' && j - i == 4 &&
		    i <= 3 && p[0] != '0')) {
			/* 0.0 is the placeholder 0, as 17850.0 is 17850. */
			for (j = 0; j < i && p[j] == '0'; j++)
				;
			if (j == i)
				return ID_WALKIN;
			out->len = 0;
			buf_add(out, p, i);
			return ID_OK;
		}
	}
	/* 13,800,138,000: groups of three after one to three digits */
	if (i >= 1 && i <= 3 && i < n && p[i] == ',' && p[0] != '0') {
		for (j = i; j < n && j + 4 <= n && p[j] == ',' &&
		    p[j + 1] >= '0' && p[j + 1] <= '9' && p[j + 2] >= '0' &&
		    p[j + 2] <= '9' && p[j + 3] >= '0' && p[j + 3] <= '9'; j += 4)
			;
		if (j == n) {
			out->len = 0;
			for (j = 0; j < n; j++)
				if (p[j] != ',')
					buf_addc(out, p[j]);
			return ID_OK;
		}
	}
	/* d.ddddE+xx */
	if (n >= 4 && p[0] >= '1' && p[0] <= '9') {
		for (i = 1; i < n && p[i] != 'E' && p[i] != 'e'; i++) {
			if ((p[i] == '.' || p[i] == ',') && dot == 0)
				dot = i;
			else if (p[i] < '0' || p[i] > '9')
				break;
		}
		/* Excel writes one digit before the point, or none. */
		if (i < n && (p[i] == 'E' || p[i] == 'e') && (dot == 1 ||
		    (dot == 0 && i == 1))) {
			j = i + 1;
			e = i;
			if (j < n && p[j] == '+')
				j++;
			exp = 0;
			if (j == n)
				return -1;
			for (; j < n && p[j] >= '0' && p[j] <= '9'; j++)
				exp = exp * 10 + (size_t)(p[j] - '0');
			if (j != n || exp > 30)
				return -1;
			mant = dot ? e - dot - 1 : 0;
			/* 1.78500E+04: digits past the exponent's are zeros */
			while (mant > exp && p[dot + mant] == '0')
				mant--;
			if (mant < exp)
				return ID_MANGLED;
			if (mant > exp)
				return ID_FRACTION;
			out->len = 0;
			buf_add(out, p, 1);
			if (mant > 0)
				buf_add(out, p + 2, mant);
			return ID_OK;
		}
	}
	return -1;
}

static const char *
channel_norm(const char *p, size_t n)
{
	static const char *const online[] = { "online", "web", "internet",
	    "ecommerce", "e-commerce", "app", "mini program", "miniprogram",
	    "\xe7\xba\xbf\xe4\xb8\x8a",			/* 线上 */
	    "\xe7\xb7\x9a\xe4\xb8\x8a",			/* 線上 */
	    "\xe7\xbd\x91\xe5\xba\x97",			/* 网店 */
	    "\xe7\xbd\x91\xe4\xb8\x8a",			/* 网上 */
	    "\xe7\x94\xb5\xe5\x95\x86",			/* 电商 */
	    "\xe5\xb0\x8f\xe7\xa8\x8b\xe5\xba\x8f",	/* 小程序 */
	    "\xe5\xae\x98\xe7\xbd\x91",			/* 官网 */
	    NULL };
	static const char *const store[] = { "store", "shop", "pos", "offline",
	    "retail", "in-store", "instore",
	    "\xe7\xba\xbf\xe4\xb8\x8b",			/* 线下 */
	    "\xe7\xb7\x9a\xe4\xb8\x8b",			/* 線下 */
	    "\xe9\x97\xa8\xe5\xba\x97",			/* 门店 */
	    "\xe9\x96\x80\xe5\xba\x97",			/* 門店 */
	    "\xe5\xae\x9e\xe4\xbd\x93\xe5\xba\x97",	/* 实体店 */
	    NULL };

	if (oneof(p, n, online))
		return "online";
	if (oneof(p, n, store))
		return "store";
	return NULL;
}

static const char *
contact_channel(const char *p, size_t n)
{
	static const char *const phone[] = { "phone", "call", "tel",
	    "telephone", "phone call",
	    "\xe7\x94\xb5\xe8\xaf\x9d",			/* 电话 */
	    "\xe9\x9b\xbb\xe8\xa9\xb1",			/* 電話 */
	    "\xe6\x89\x93\xe7\x94\xb5\xe8\xaf\x9d",	/* 打电话 */
	    "\xe6\x89\x93\xe9\x9b\xbb\xe8\xa9\xb1", NULL };	/* 打電話 */
	static const char *const sms[] = { "sms", "text", "message",
	    "\xe7\x9f\xad\xe4\xbf\xa1",			/* 短信 */
	    "\xe7\xb0\xa1\xe8\xa8\x8a",			/* 簡訊 */
	    "\xe7\x9f\xad\xe8\xae\xaf",			/* 短讯 */
	    "\xe7\x9f\xad\xe8\xa8\x8a", NULL };		/* 短訊 */
	static const char *const wechat[] = { "wechat", "weixin", "wx",
	    "wecom",
	    "\xe5\xbe\xae\xe4\xbf\xa1",			/* 微信 */
	    "\xe4\xbc\x81\xe4\xb8\x9a\xe5\xbe\xae\xe4\xbf\xa1", /* 企业微信 */
	    "\xe4\xbc\x81\xe6\xa5\xad\xe5\xbe\xae\xe4\xbf\xa1", /* 企業微信 */
	    "\xe4\xbc\x81\xe5\xbe\xae", NULL };		/* 企微 */
	static const char *const visit[] = { "visit", "in person", "store",
	    "\xe5\x88\xb0\xe5\xba\x97",			/* 到店 */
	    "\xe9\x9d\xa2\xe8\xb0\x88",			/* 面谈 */
	    "\xe9\x97\xa8\xe5\xba\x97",			/* 门店 */
	    "\xe9\x96\x80\xe5\xba\x97",			/* 門店 */
	    "\xe4\xb8\x8a\xe9\x97\xa8\xe6\x8b\x9c\xe8\xae\xbf", /* 上门拜访 */
	    "\xe4\xb8\x8a\xe9\x96\x80\xe6\x8b\x9c\xe8\xa8\xaa", /* 上門拜訪 */
	    NULL };

	if (oneof(p, n, phone))
		return "phone";
	if (oneof(p, n, sms))
		return "sms";
	if (oneof(p, n, wechat))
		return "wechat";
	if (oneof(p, n, visit))
		return "visit";
	return NULL;
}

/*
 * The record being converted: its fields by canonical field, and in
 * slot TX_TSPART the column beside the sale's time that holds the other
 * half of it (NULL when there is none).
 */
#define TX_TSPART	TX_NFIELDS
struct row {
	const char	*p[HDRMAP_MAXF];
	size_t		 n[HDRMAP_MAXF];
	const char *const *col;			/* header names, for messages */
	long		 line;
};

enum { OK, REJECT, PENDING };

struct verdict {
	enum reason	 why;
	char		 msg[400];
};

#define YY_DETAIL "a two-digit year: give --date-order mdy, dmy or ymd " \
	"(26/11/21 year first) to read it (69-99 are 1969-1999, 00-68 " \
	"2000-2068)"
#define YY_BIRTHDAY "a birthday's year needs four digits: its century " \
	"cannot be told"
#define WDAY_DETAIL "the weekday is not that day's"
#define NEVER_DETAIL "the file never shows whether it writes month/day " \
	"or day/month; give --date-order mdy or dmy"

static int
rejectf(struct verdict *v, enum reason why, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
rejectf(struct verdict *v, enum reason why, const char *fmt, ...)
{
	va_list ap;

	v->why = why;
	va_start(ap, fmt);
	vsnprintf(v->msg, sizeof(v->msg), fmt, ap);
	va_end(ap);
	return REJECT;
}

static int
bad_value(struct verdict *v, enum reason why, const char *what,
    const struct row *r, int f, const char *detail)
{
	char q[CV_QUOTE_MAX];

	cv_quote(q, sizeof(q), r->p[f], r->n[f]);
	if (detail != NULL)
		return rejectf(v, why, "%s '%s' in column '%s': %s", what, q,
		    r->col[f], detail);
	return rejectf(v, why, "%s '%s' in column '%s'", what, q, r->col[f]);
}

/*
 * A day/month date the file has not settled: it waits (PENDING), or,
 * once the file has ended without settling, it is rejected.
 */
static int
ambiguous(struct conv *c, const struct row *r, int f, struct verdict *v)
{
	char q[CV_QUOTE_MAX];
	const char *p = r->p[f];
	size_t n = r->n[f];

	if (!c->fc.never) {
		c->fc.ambf = f;
		return PENDING;
	}
	trim(&p, &n);
	cv_quote(q, sizeof(q), p, n);
	return rejectf(v, R_AMBIG, "ambiguous date '%s' in column '%s': %s", q,
	    r->col[f], c->fc.neverwhy);
}

#define TIME_DETAIL "what follows the date is not a time of day"

/*
 * Why a bad date of numbers alone with day and month first was read as it
 * was: in the order the file settled, or, with a two-digit year, in
 * --date-order's; or, when the date before a time reads as a day as the
 * whole value was read, that what follows it is no time of day.  NULL for
 * other forms.
 */
static const char *
order_detail(const struct conv *c, const char *p, size_t n)
{
	static const char *const file[] = { NULL, "this file's dates are "
	    "month first", "this file's dates are day first", NULL };
	static const char *const given[] = { NULL, "--date-order mdy reads "
	    "it month, day, year", "--date-order dmy reads it day, month, "
	    "year", "--date-order ymd reads it year, month, day" };
	size_t i = 0, k;
	int part, rc;
	char sep = 0;
	int64_t x;

	trim(&p, &n);
	for (part = 0; part < 3; part++) {
		for (k = 0; i < n && p[i] >= '0' && p[i] <= '9'; i++)
			k++;
		if (k == 0 || (part < 2 && k > 2))
			return NULL;
		if (part == 2)
			break;
		if (i == n || (p[i] != '/' && p[i] != '-' && p[i] != '.') ||
		    (sep != 0 && p[i] != sep))
			return NULL;
		sep = p[i++];
	}
	if (i < n) {
		rc = date_parse_loose(p, i, c->fc.order | c->yy, &x, NULL);
		if (rc == DATE_OK || rc == DATE_AMBIG)
			return TIME_DETAIL;
	}
	/* The option reads two-digit years; mdy and dmy all years. */
	if (k == 2 || (c->o->date_order & DATE_ORDER_MASK) == DATE_ORDER_MDY ||
	    (c->o->date_order & DATE_ORDER_MASK) == DATE_ORDER_DMY)
		return given[c->o->date_order & DATE_ORDER_MASK];
	return file[c->fc.order & DATE_ORDER_MASK];
}

/*
 * A bad date that is an Excel day number (46347, 46347.6055: a date
 * Excel wrote as a number when the column lost its date format): the
 * message, written into buf, names the day it is in Excel's 1900 date
 * system, and it is not read (in the 1904 system the same number is
 * another day); NULL for other values.
 */
static const char *
serial_detail(const char *p, size_t n, char *buf, size_t size)
{
	int32_t day;
	char d[11];

	if (date_excel_serial(p, n, &day) != 0)
		return NULL;
	date_fmt(day, d);
	snprintf(buf, size, "looks like an Excel day number (%s in Excel's "
	    "1900 date system): format the column as a date in Excel and "
	    "save the file again", d);
	return buf;
}

/* A value no date order reads: why, in words. */
static const char *
unread_detail(const struct conv *c, const char *p, size_t n)
{
	const char *why = order_detail(c, p, n);

	return why != NULL ? why : "neither a date nor a time of day";
}

/* Parse a date field; DATE_AMBIG may settle the file's order. */
static int
get_ts(struct conv *c, const struct row *r, int f, int64_t *ts,
    struct verdict *v)
{
	struct fileconv *fc = &c->fc;
	int rc, hint;

	c->tsf = f;
	rc = date_parse_loose(r->p[f], r->n[f], fc->order | c->yy, ts,
	    &hint);
	if ((rc == DATE_AMBIG || rc == DATE_BAD) && hint != DATE_ORDER_NONE) {
		fc->order = hint;
		fc->settled = 1;
		rc = date_parse_loose(r->p[f], r->n[f], fc->order | c->yy, ts,
		    &hint);
	}
	if (rc == DATE_AMBIG)
		return ambiguous(c, r, f, v);
	if (rc == DATE_YY2 || rc == DATE_WDAY)
		return bad_value(v, R_DATE, "bad date", r, f, rc == DATE_YY2 ?
		    YY_DETAIL : WDAY_DETAIL);
	if (rc != DATE_OK) {
		char buf[200];
		const char *why = order_detail(c, r->p[f], r->n[f]);

		if (why == NULL)
			why = serial_detail(r->p[f], r->n[f], buf, sizeof(buf));
		return bad_value(v, R_DATE, "bad date", r, f, why);
	}
	return OK;
}

/*
 * A bad date that is a time of day alone: say where its date is.  Six
 * digits alone (143205) are a time only in a time column beside a date
 * (201121 may as well be a day).
 */
static int
ts_hint(const struct row *r, struct verdict *v)
{
	int secs;

	if (v->why == R_DATE && time_like(r->p[TX_TS], r->n[TX_TS]) &&
	    time_parse(r->p[TX_TS], r->n[TX_TS], &secs) == 0)
		return bad_value(v, R_DATE, "bad date", r, TX_TS, "a time of "
		    "day without its date: name the date column with --map "
		    "ts=HEADER, and the time beside it is read with it");
	return REJECT;
}

/*
 * Whether a field is written as a date, a day in either order (whatever
 * the file's order), or one with a two-digit year or a wrong weekday.
 */
static int
is_date(const struct conv *c, const char *p, size_t n)
{
	int64_t x;
	int rc = date_parse_loose(p, n, c->yy, &x, NULL);

	return rc == DATE_OK || rc == DATE_AMBIG || rc == DATE_YY2 ||
	    rc == DATE_WDAY;
}

/* Two columns of the sale's time that name different days or times. */
static int
disagree(const struct row *r, struct verdict *v)
{
	char a[CV_QUOTE_MAX], b[CV_QUOTE_MAX];

	cv_quote(a, sizeof(a), r->p[TX_TS], r->n[TX_TS]);
	cv_quote(b, sizeof(b), r->p[TX_TSPART], r->n[TX_TSPART]);
	return rejectf(v, R_DATE, "bad date: '%s' in column '%s' and '%s' in "
	    "column '%s' are not one day and time", a, r->col[TX_TS], b,
	    r->col[TX_TSPART]);
}

/*
 * Two columns of the sale's time whose dates settle the file's order
 * opposite ways: ts_order is the order of the one in TX_TS.
 */
static int
opposite(const struct row *r, struct verdict *v, int ts_order)
{
	char a[CV_QUOTE_MAX], b[CV_QUOTE_MAX];
	int dmy = ts_order == DATE_ORDER_DMY;

	cv_quote(a, sizeof(a), r->p[TX_TS], r->n[TX_TS]);
	cv_quote(b, sizeof(b), r->p[TX_TSPART], r->n[TX_TSPART]);
	return rejectf(v, R_DATE, "bad date: '%s' in column '%s' is %s first "
	    "and '%s' in column '%s' %s first", a, r->col[TX_TS],
	    dmy ? "day" : "month", b, r->col[TX_TSPART], dmy ? "month" :
	    "day");
}

/* The time of day of ts, in seconds. */
static int
day_secs(int64_t ts)
{
	return (int)(ts - (int64_t)ts_day(ts) * SECS_PER_DAY);
}

/*
 * The date *ts (its time of day, if any, as written) with the time of
 * day secs from the other column.  Midnight in either is no time; a time
 * without its seconds (Excel's h:mm of a re-saved file) is the other's
 * minute; any other difference is a bad date.
 */
static int
join_time(struct conv *c, const struct row *r, int64_t *ts, int secs,
    struct verdict *v)
{
	int own = day_secs(*ts);

	if (secs == own || secs == 0)
		return OK;
	if (own != 0 && (own / 60 != secs / 60 ||
	    (own % 60 != 0 && secs % 60 != 0)))
		return disagree(r, v);
	if (own % 60 == 0) {
		*ts += secs - own;
		c->tsjoined = 1;
	}
	return OK;
}

/*
 * The order a day/month date p[0..n) settles, being a calendar day in that
 * order only (13/11/2026, 30/12/1899 14:33), or DATE_ORDER_NONE.
 */
static int
order_of(const struct conv *c, const char *p, size_t n)
{
	int64_t x;
	int hint, rc;

	rc = date_parse_loose(p, n, c->fc.order | c->yy, &x, &hint);
	return rc == DATE_AMBIG || rc == DATE_BAD ? hint : DATE_ORDER_NONE;
}

/* What looks like a time of day but is none (24:00), p beside a date q. */
static int
bad_time(const struct conv *c, const char *p, size_t n, const char *q,
    size_t qn)
{
	int64_t x;

	return time_like(p, n) && date_parse_loose(p, n, c->fc.order | c->yy,
	    &x, NULL) == DATE_BAD && is_date(c, q, qn);
}

/*
 * A value that cannot be read as a date whatever the file's order turns
 * out to be: no date (abc, 2/30/2026, 05/11/2026 24:00), a two-digit year
 * the file's order does not read (05/11/26), or a day that is not its
 * weekday (Fri, 5 Nov 2026).  Once the order is settled, a value
 * that is a day in the other order only (13/11/2026 in a month-first
 * file) is one too.
 */
static int
unreadable(const struct conv *c, const char *p, size_t n)
{
	int64_t x;
	int rc = date_parse_loose(p, n, c->fc.order | c->yy, &x, NULL);

	return rc == DATE_BAD || rc == DATE_YY2 || rc == DATE_WDAY;
}

/*
 * A day/month date p[0..n) that the file has not settled (a different day
 * in either order: 05/11/2026), beside the day of ts in the other column:
 * read in the order that gives that day, which settles the file's order.
 * Returns DATE_OK with *x set, DATE_BAD when neither order gives the day,
 * or DATE_AMBIG for any other value (get_ts() reads it; a day zero such
 * as 12/30/1899 is a day in one order only).
 */
static int
by_day(struct conv *c, const char *p, size_t n, int64_t ts, int64_t *x)
{
	int hint;

	if (date_parse_loose(p, n, c->fc.order | c->yy, x, &hint) !=
	    DATE_AMBIG || hint != DATE_ORDER_NONE)
		return DATE_AMBIG;
	if (date_parse_loose(p, n, DATE_ORDER_MDY | c->yy, x, NULL) ==
	    DATE_OK && ts_day(*x) == ts_day(ts))
		c->fc.order = DATE_ORDER_MDY;
	else if (date_parse_loose(p, n, DATE_ORDER_DMY | c->yy, x, NULL) ==
	    DATE_OK && ts_day(*x) == ts_day(ts))
		c->fc.order = DATE_ORDER_DMY;
	else
		return DATE_BAD;
	c->fc.settled = 1;
	return DATE_OK;
}

/*
 * The sale's time, from one column or two: a date in one and a time of
 * day in the other (销售日期 and 销售时间, Date and Time), in either
 * column; or the date and time in one and the same time, or the day zero
 * of Excel, Access and SQL Server (1899-12-30, 1900-01-01) with a time of
 * day, in the other.  An empty one leaves the date alone; two that name
 * different days, or different times of day, are a bad date.
 */
static int
get_txn_ts(struct conv *c, const struct row *r, int64_t *ts,
    struct verdict *v)
{
	const char *p = r->p[TX_TSPART], *t = r->p[TX_TS];
	size_t n = r->n[TX_TSPART], tn = r->n[TX_TS];
	int secs, rc, hint, h2;
	int64_t x;

	trim(&p, &n);
	trim(&t, &tn);
	if (n == 0 || tn == 0) {
		/* One column empty: the other holds the date. */
		int f = n == 0 ? TX_TS : TX_TSPART;

		if (n == 0 && tn == 0)
			return rejectf(v, R_NODATE, "no date in column '%s'",
			    r->col[TX_TS]);
		if (n == 0 ? time_parse(t, tn, &secs) == 0 :
		    time_parse(p, n, &secs) == 0)
			return rejectf(v, R_NODATE, "no date in column '%s'",
			    r->col[f == TX_TS ? TX_TSPART : TX_TS]);
		if (f == TX_TSPART)
			c->tsjoined = 1;
		return get_ts(c, r, f, ts, v);
	}
	if (time_parse(p, n, &secs) == 0) {
		if ((rc = get_ts(c, r, TX_TS, ts, v)) != OK)
			return rc;
		return join_time(c, r, ts, secs, v);
	}
	if (time_parse(t, tn, &secs) == 0) {
		c->tsjoined = 1;
		if ((rc = get_ts(c, r, TX_TSPART, ts, v)) != OK)
			return rc;
		return join_time(c, r, ts, secs, v);
	}
	/*
	 * Neither is a time of day alone: the other column may hold the
	 * whole time (a Time column of date-times).  A date that is a day in
	 * one order only settles the file's order, in either column (a UK
	 * day zero, 30/12/1899 14:33, beside 05/11/2026), even when the row
	 * is then rejected; two that settle it opposite ways settle nothing.
	 */
	if ((hint = order_of(c, p, n)) != DATE_ORDER_NONE &&
	    (h2 = order_of(c, t, tn)) != DATE_ORDER_NONE && h2 != hint)
		return opposite(r, v, h2);
	if (hint == DATE_ORDER_NONE)
		hint = order_of(c, t, tn);
	if (hint != DATE_ORDER_NONE) {
		c->fc.order = hint;
		c->fc.settled = 1;
	}
	/* What looks like a time of day but is none (24:00) is a bad time. */
	if (bad_time(c, t, tn, p, n))
		return bad_value(v, R_DATE, "bad time", r, TX_TS,
		    "neither a time of day nor a date");
	if (bad_time(c, p, n, t, tn))
		return bad_value(v, R_DATE, "bad time", r, TX_TSPART,
		    "neither a time of day nor a date");
	/*
	 * A value no order reads is bad now, in either column, rather than
	 * beside a day/month date that waits for the file's order.
	 */
	if (date_parse_loose(t, tn, c->yy, &x, NULL) == DATE_BAD)
		return bad_value(v, R_DATE, "bad date", r, TX_TS,
		    unread_detail(c, t, tn));
	if (date_parse_loose(p, n, c->yy, &x, NULL) == DATE_BAD)
		return bad_value(v, R_DATE, "bad date", r, TX_TSPART,
		    unread_detail(c, p, n));
	if (unreadable(c, t, tn))
		return get_ts(c, r, TX_TS, ts, v);
	if (unreadable(c, p, n))
		return get_ts(c, r, TX_TSPART, ts, v);
	/*
	 * The first column: a day/month date beside a day in the other is
	 * read in the order that gives that day.
	 */
	if (date_parse_loose(p, n, c->fc.order | c->yy, &x, NULL) == DATE_OK &&
	    !ts_placeholder(x - day_secs(x)) &&
	    (rc = by_day(c, t, tn, x, ts)) != DATE_AMBIG) {
		if (rc == DATE_BAD)
			return disagree(r, v);
		c->tsf = TX_TS;
		c->tsjoined = 1;
	} else if ((rc = get_ts(c, r, TX_TS, ts, v)) != OK)
		return rc;
	if (!ts_placeholder(*ts - day_secs(*ts)) &&
	    (rc = by_day(c, p, n, *ts, &x)) != DATE_AMBIG) {
		if (rc == DATE_BAD)
			return disagree(r, v);
		c->tsf = TX_TS;
		return join_time(c, r, ts, day_secs(x), v);
	}
	/* A day/month date here waits for the file's order, or settles it. */
	if ((rc = get_ts(c, r, TX_TSPART, &x, v)) != OK)
		return rc;
	if (ts_placeholder(x - day_secs(x))) {
		c->tsf = TX_TS;
		return join_time(c, r, ts, day_secs(x), v);
	}
	if (ts_placeholder(*ts - day_secs(*ts))) {
		/* The day zero with the time, in TX_TS: the date is the other. */
		secs = day_secs(*ts);
		*ts = x;
		c->tsjoined = 1;
		return join_time(c, r, ts, secs, v);
	}
	c->tsf = TX_TS;
	if (ts_day(x) != ts_day(*ts))
		return disagree(r, v);
	return join_time(c, r, ts, day_secs(x), v);
}

static void
put(struct buf *b, const char *p, size_t n)
{
	tsv_buf_put(b, p, n);
}

static void
tab(struct buf *b)
{
	buf_addc(b, '\t');
}

static const char *
mangled_detail(int k)
{
	return k == ID_FRACTION ? "in scientific notation, and not a whole "
	    "number" : "a spreadsheet wrote it in scientific notation and "
	    "lost digits";
}

/*
 * Take a --walk-in id, normalised as a row's id is, so that 88888888.0
 * in a file is the walk-in 88888888.  Returns -1 after a message.
 */
static int
add_walkin(struct conv *c, const char *id)
{
	struct buf b = BUF_INIT;
	const char *p;
	size_t n;
	int k = norm_id(id, strlen(id), &b, &p, &n);

	if (k == ID_MANGLED || k == ID_FRACTION || n > 255) {
		char q[CV_QUOTE_MAX];

		cv_warnx("--walk-in '%s': %s", cv_quote(q, sizeof(q), id,
		    strlen(id)), n > 255 ? "longer than 255 bytes" :
		    mangled_detail(k));
		buf_free(&b);
		return -1;
	}
	if (k == ID_WALKIN) {
		char q[CV_QUOTE_MAX];

		cv_warnx("--walk-in '%s': %s", cv_quote(q, sizeof(q), id,
		    strlen(id)), n == 0 && strspn(id, " \t") == strlen(id) ?
		    "an empty id" : "a walk-in already (a built-in "
		    "placeholder)");
		buf_free(&b);
		return -1;
	}
	c->walkins = xreallocarray(c->walkins, (size_t)c->nwalkins + 1,
	    sizeof(*c->walkins));
	c->walkinn = xreallocarray(c->walkinn, (size_t)c->nwalkins + 1,
	    sizeof(*c->walkinn));
	c->walkins[c->nwalkins] = xstrndup(p, n);
	c->walkinn[c->nwalkins++] = n;
	buf_free(&b);
	return 0;
}

/* The member id of a row, or a verdict.  walkin_ok: sales rows. */
static int
get_id(struct conv *c, const struct row *r, int f, int walkin_ok,
    struct verdict *v)
{
	int k = norm_id(r->p[f], r->n[f], &c->tmp, &c->idp, &c->idn);

	c->mkp = c->idp;
	c->mkn = c->idn;
	if (k == ID_WALKIN) {
		if (walkin_ok)
			return OK;
		if (r->n[f] == 0)
			return rejectf(v, R_NOID, "no member id in column '%s'",
			    r->col[f]);
		return bad_value(v, R_NOID, "no member id:", r, f,
		    "a walk-in placeholder");
	}
	if (k == ID_MANGLED || k == ID_FRACTION)
		return bad_value(v, R_IDMANGLED, "member id", r, f,
		    mangled_detail(k));
	/* The longest id the commands after cv-ingest take. */
	if (c->idn > 255)
		return rejectf(v, R_IDLONG, "member id in column '%s' longer "
		    "than 255 bytes", r->col[f]);
	for (k = 0; k < c->nwalkins; k++)
		if (c->walkinn[k] == c->idn &&
		    memcmp(c->walkins[k], c->idp, c->idn) == 0) {
			if (!walkin_ok)
				return bad_value(v, R_WALKIN, "no member id:",
				    r, f, "given as a walk-in with --walk-in");
			/*
			 * A made-up receipt id keeps the card (mkp), as it
			 * had without --walk-in: a night sent again with it
			 * replaces its lines, and the card's receipts stay
			 * apart from the blank ones of the same time.
			 */
			c->idp = "";
			c->idn = 0;
			return OK;
		}
	if (c->idre != NULL && (k = re_match(c->idre, c->idp, c->idn)) != 1)
		return bad_value(v, R_IDPATTERN, "member id", r, f, k == 0 ?
		    "does not match --id-pattern" : "--id-pattern could not "
		    "be matched against it (a PCRE2 error, such as its match "
		    "limit): simplify the pattern");
	return OK;
}

/* A field of the output line, with whether it may need escapes. */
struct piece {
	const char	*p;
	size_t		 n;
	int		 esc;
};

#define PIECE(i, s, len, e) do {					\
	pv[i].p = (s);							\
	pv[i].n = (len);						\
	pv[i].esc = (e);						\
} while (0)

/*
 * Write the pieces TAB-separated into L (cleared first), in one go.
 * Returns 1 when a piece held a control character (a NUL, say).
 */
static int
put_row(struct buf *L, const struct piece *v, int n)
{
	size_t total = (size_t)n, i;
	char *w;
	int k, special = 0;

	for (k = 0; k < n; k++)
		total += v[k].n;
	L->len = 0;
	buf_grow(L, 2 * total);
	w = L->p;
	for (k = 0; k < n; k++) {
		if (k > 0)
			*w++ = '\t';
		if (!v[k].esc || !tsv_special(v[k].p, v[k].n)) {
			buf_copy(w, v[k].p, v[k].n);
			w += v[k].n;
			continue;
		}
		special = 1;
		for (i = 0; i < v[k].n; i++) {
			char ch = v[k].p[i];

			if (ch == '\t' || ch == '\n' || ch == '\r' || ch == '\\') {
				*w++ = '\\';
				*w++ = ch == '\t' ? 't' : ch == '\n' ? 'n' :
				    ch == '\r' ? 'r' : '\\';
			} else
				*w++ = ch;
		}
	}
	*w = '\0';
	L->len = (size_t)(w - L->p);
	return special;
}

/* Written as the stream writes money: -?[1-9][0-9]*|0 . two digits. */
static int
canon_money(const char *s, size_t n)
{
	size_t i = 0, d;

	if (n > 0 && s[0] == '-')
		i++;
	for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (i == d || (i - d > 1 && s[d] == '0') || i + 3 != n || s[i] != '.' ||
	    s[i + 1] < '0' || s[i + 1] > '9' || s[i + 2] < '0' || s[i + 2] > '9')
		return 0;
	return 1;
}

/*
 * The member id of a made-up receipt id: the id as get_id() reads it, a
 * --walk-in id included; empty for a walk-in; as written when it is no id.
 */
static void
receipt_member(struct conv *c, const char **s, size_t *sn)
{
	const char *p;
	size_t n;
	int k = norm_id(*s, *sn, &c->rkeyid, &p, &n);

	if (k == ID_OK) {
		*s = p;
		*sn = n;
	} else if (k == ID_WALKIN)
		*sn = 0;
}

/* Whether p[0..n) is all ASCII digits, eight bytes at a time. */
static inline int
digits_only(const char *p, size_t n)
{
	uint64_t w, bad = 0;
	size_t i;

	if (n < 8) {
		for (i = 0; i < n; i++)
			if (p[i] < '0' || p[i] > '9')
				return 0;
		return 1;
	}
	/*
	 * A byte below '0' or above '9' sets a top bit (a borrow or carry
	 * may set another's too, never clear its own); the last eight bytes
	 * overlap the words before.
	 */
	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		bad |= (w - UINT64_C(0x3030303030303030)) |
		    (w + UINT64_C(0x4646464646464646));
	}
	memcpy(&w, p + n - 8, 8);
	bad |= (w - UINT64_C(0x3030303030303030)) |
	    (w + UINT64_C(0x4646464646464646));
	return (bad & UINT64_C(0x8080808080808080)) == 0;
}

/*
 * A receipt id as a spreadsheet may have written it, repaired where exact
 * as a member id is (536365.0 is 536365, 2.0261121000123E+13 is
 * 20261121000123; out holds it): ID_OK, or ID_MANGLED or ID_FRACTION
 * when digits were lost (2.02611E+13: every receipt of a month the same).
 */
static inline int
receipt_id(const char **p, size_t *n, struct buf *out)
{
	const char *e;
	int k;

	if (*n < 2 || **p < '0' || **p > '9')
		return ID_OK;
	/* Most receipt ids are digits alone: nothing to repair. */
	if (digits_only(*p, *n))
		return ID_OK;
	/* Excel writes E+: 3E12 may be a till's own id, never a number. */
	if (((e = memchr(*p, 'E', *n)) != NULL || (e = memchr(*p, 'e',
	    *n)) != NULL) && (e + 1 == *p + *n || e[1] != '+'))
		return ID_OK;
	if ((k = unmangle(*p, *n, out)) < 0 || k == ID_WALKIN)
		return ID_OK;
	if (k == ID_OK) {
		*p = out->p;
		*n = out->len;
	}
	return k;
}

/*
 * An export without a line column: the lines of each receipt are numbered
 * in the order the file lists them.  The number is taken when the row is
 * first read, before any check, so that a rejected row still uses its
 * number and a line gets the same number in every export of its receipt.
 * The receipt is the store and the receipt id, or without a receipt id
 * column the time and the member id read as conv_txn() reads it for the
 * receipt id it makes up (17850.0 is 17850; a blank id, 0 and 散客 are
 * one walk-in), so that two rows given the same made-up id are numbered
 * apart, not taken for two exports of one line.
 */
static uint32_t
receipt_line(struct conv *c, const struct row *r)
{
	struct fileconv *fc = &c->fc;
	static const int parts[2][5] = { { TX_STORE_ID, TX_TXN_ID, -1 },
	    { TX_STORE_ID, TX_TS, TX_TSPART, TX_CUSTOMER_ID, -1 } };
	const int *pf = parts[r->p[TX_TXN_ID] == NULL];
	const char *s;
	size_t sn;
	uint64_t rk;
	uint32_t lineno;

	c->rkey.len = 0;
	for (; *pf >= 0; pf++) {
		if ((s = r->p[*pf]) != NULL) {
			sn = r->n[*pf];
			trim(&s, &sn);
			if (*pf == TX_TXN_ID) {
				unexcel(&s, &sn);
				(void)receipt_id(&s, &sn, &c->rkeytxn);
			}
			else if (*pf == TX_CUSTOMER_ID)
				receipt_member(c, &s, &sn);
			buf_add(&c->rkey, s, sn);
		}
		buf_addc(&c->rkey, '\x1f');
	}
	rk = hash64(c->rkey.p, c->rkey.len, 7);
	if (rk == fc->lastrk && fc->lastrn > 0) {
		lineno = ++fc->lastrn;
		(void)rcount_next(&fc->rc, rk);
	} else {
		lineno = rcount_next(&fc->rc, rk);
		fc->lastrk = rk;
		fc->lastrn = lineno;
	}
	return lineno;
}

/* A repeated header starts another export: its receipts number afresh. */
static void
receipt_lines_reset(struct fileconv *fc)
{
	rcount_clear(&fc->rc);
	fc->lastrk = 0;
	fc->lastrn = 0;
}

/*
 * The decimal mark a row's numbers show (12,50 or 1.234,50 a comma, 12.50
 * or 1,234.50 a point), or 0.  The first accepted row that shows one sets
 * the file's (accept()), so that 2,125 and 1.234 are read as the file
 * writes numbers; the row's own numbers are read with it.
 */
static int
row_mark(const struct row *r)
{
	static const int f[] = { TX_AMOUNT, TX_UNIT_PRICE, TX_QTY };
	size_t i;
	int m = 0;

	for (i = 0; i < sizeof(f) / sizeof(f[0]) && m == 0; i++) {
		if (r->p[f[i]] == NULL)
			continue;
		m = num_mark(r->p[f[i]], r->n[f[i]]);
		if (m == 0 && f[i] == TX_AMOUNT) {
			int64_t v;
			int amb;

			/*
			 * Money has two places at most: an amount 1,299 shows
			 * a point (with a comma it has three), 1.299 a comma.
			 */
			if (num_parse_loose_mark(r->p[f[i]], r->n[f[i]], 2, 0,
			    &amb, &v) != NUM_EBAD && amb)
				m = memchr(r->p[f[i]], ',', r->n[f[i]]) != NULL ||
				    memmem(r->p[f[i]], r->n[f[i]],
				    "\xef\xbc\x8c", 3) != NULL ? '.' : ',';
		}
	}
	return m;
}

/*
 * Whether a number the file's mark left unread may have a point between
 * thousands (1.299, 12.345.678): a file not yet known to write a point.
 */
static int
point_groups(const struct conv *c, const char *s, size_t n)
{
	const char *pt = memrchr(s, '.', n);

	return c->fc.mark == 0 && pt != NULL && s + n - pt == 4 &&
	    memchr(s, ',', n) == NULL;
}

static int
conv_txn(struct conv *c, const struct row *r, struct verdict *v)
{
	const struct ingest_opts *o = c->o;
	struct buf *L = &c->line;
	int64_t ts, qty = 1, amount, price;
	int rc, cancel = 0, mark, a = 0, amb = 0, *ambp = NULL;
	int own = 0, shown = 0, *ownp = NULL;
	char num[32], tsb[24], qtyb[32], linenum[32];
	struct piece pv[10];
	const char *txn, *s, *ch, *store, *amtcanon = NULL;
	size_t txnn, sn, storen, amtcanonn = 0, keyrcpt;
	uint32_t lineno;

	c->rowmark = 0;
	c->rowamb = 0;
	/* Date first: an ambiguous one parks the row until the file tells. */
	if (r->p[TX_TSPART] == NULL && (r->p[TX_TS] == NULL ||
	    r->n[TX_TS] == 0))
		return rejectf(v, R_NODATE, "no date in column '%s'",
		    r->col[TX_TS]);
	c->tsjoined = 0;
	if (r->p[TX_TSPART] == NULL) {
		if ((rc = get_ts(c, r, TX_TS, &ts, v)) == REJECT)
			rc = ts_hint(r, v);
	} else
		rc = get_txn_ts(c, r, &ts, v);
	if (rc != OK)
		return rc;
	/*
	 * After the date is read from both columns, so that a row rejected
	 * here has settled the file's date order as any other would.
	 */
	if (c->o->as_of != DAY_NONE && ts_day(ts) > c->o->as_of)
		return bad_value(v, R_FUTURE, "date", r, c->tsf,
		    "after --as-of");
	/* The days a cv stream can hold (cv-tsv(5)): a mistyped year is bad. */
	if (ts < 0 || ts >= ((int64_t)CV_DAY_MAX + 1) * SECS_PER_DAY)
		return bad_value(v, R_DATE, "bad date", r, c->tsf, "before "
		    "1970 or after 2149-06-05");
	if ((rc = get_id(c, r, TX_CUSTOMER_ID, 1, v)) != OK)
		return rc;
	/*
	 * The file's decimal mark, or while it is not known the one this
	 * row shows (set for the file if the row is accepted: accept()).
	 */
	mark = c->fc.mark;
	if (mark == 0) {
		mark = c->rowmark = row_mark(r);
		ambp = &a;
	} else if (mark == ',' && c->o->decimal_mark == 0) {
		/* A file that showed a comma: does it show a point now? */
		c->rowmark = row_mark(r);
		ambp = &a;
	} else if (c->o->decimal_mark == 0) {
		/* A file that showed a point: its numbers tell a comma. */
		ambp = &a;
		ownp = &own;
	}
	if (r->p[TX_QTY] != NULL) {
		s = r->p[TX_QTY];
		sn = r->n[TX_QTY];
		trim(&s, &sn);
		if (sn == 0)
			return rejectf(v, R_QTY, "no quantity in column '%s'",
			    r->col[TX_QTY]);
		if ((rc = num_parse_loose_own(s, sn, 0, mark, ownp, ambp,
		    &qty)) != NUM_OK)
			return bad_value(v, R_QTY, "bad quantity", r, TX_QTY,
			    rc != NUM_EPLACES ? num_strerror(rc) :
			    point_groups(c, s, sn) ? "not a whole number, or "
			    "a point between thousands (--decimal-mark comma)" :
			    "not a whole number");
		amb |= a;
		shown |= own == ',';
	}
	if (r->p[TX_AMOUNT] != NULL) {
		s = r->p[TX_AMOUNT];
		sn = r->n[TX_AMOUNT];
		trim(&s, &sn);
		if (sn == 0)
			return rejectf(v, R_NOAMOUNT, "no amount in column '%s'",
			    r->col[TX_AMOUNT]);
		if ((rc = num_parse_loose_own(s, sn, 2, mark, ownp, ambp,
		    &amount)) != NUM_OK)
			return bad_value(v, R_AMOUNT, "bad amount", r, TX_AMOUNT,
			    rc != NUM_EPLACES ? num_strerror(rc) :
			    point_groups(c, s, sn) ? "more than two decimal "
			    "places, or a point between thousands "
			    "(--decimal-mark comma)" :
			    "more than two decimal places");
		shown |= own == ',';
		/* An amount's mark is its two places: row_mark() decides. */
		if (canon_money(s, sn)) {
			amtcanon = s;
			amtcanonn = sn;
		}
	} else {
		s = r->p[TX_UNIT_PRICE];
		sn = r->n[TX_UNIT_PRICE];
		trim(&s, &sn);
		if (sn == 0)
			return rejectf(v, R_NOAMOUNT, "no unit price in column "
			    "'%s'", r->col[TX_UNIT_PRICE]);
		if ((rc = num_parse_loose_own(s, sn, 6, mark, ownp, ambp,
		    &price)) != NUM_OK)
			return bad_value(v, R_PRICE, "bad unit price", r,
			    TX_UNIT_PRICE, rc == NUM_EPLACES ? "more than six "
			    "decimal places" : num_strerror(rc));
		amb |= a;
		shown |= own == ',';
		if (num_mul(price, qty, &amount) != NUM_OK)
			return bad_value(v, R_PRICE, "unit price", r,
			    TX_UNIT_PRICE, "quantity times price is too large");
		amount = num_round_shift(amount, 4);
	}
	/* Numbers the mark decided, read with a point for want of one. */
	c->rowamb = amb && c->o->decimal_mark == 0;
	if (shown)
		c->rowmark = ',';	/* in a file that showed a point */
	/* Receipt id, or one made of the time and the member. */
	if (r->p[TX_TXN_ID] != NULL) {
		txn = r->p[TX_TXN_ID];
		txnn = r->n[TX_TXN_ID];
		trim(&txn, &txnn);
		unexcel(&txn, &txnn);
		if (txnn == 0)
			return rejectf(v, R_NOTXN, "no receipt id in column '%s'",
			    r->col[TX_TXN_ID]);
		if ((rc = receipt_id(&txn, &txnn, &c->tmp2)) != ID_OK)
			return bad_value(v, R_IDMANGLED, "receipt id", r,
			    TX_TXN_ID, mangled_detail(rc));
		if (o->cancel_prefix != NULL && txnn >= strlen(o->cancel_prefix) &&
		    memcmp(txn, o->cancel_prefix, strlen(o->cancel_prefix)) == 0)
			cancel = 1;
	} else {
		ts_fmt(ts, tsb);
		c->tmp2.len = 0;
		buf_add(&c->tmp2, tsb, 4);
		buf_add(&c->tmp2, tsb + 5, 2);
		buf_add(&c->tmp2, tsb + 8, 2);
		buf_addc(&c->tmp2, 'T');
		buf_add(&c->tmp2, tsb + 11, 2);
		buf_add(&c->tmp2, tsb + 14, 2);
		buf_add(&c->tmp2, tsb + 17, 2);
		buf_addc(&c->tmp2, '/');
		if (c->mkn > 0)
			buf_add(&c->tmp2, c->mkp, c->mkn);
		else
			buf_addc(&c->tmp2, '-');
		txn = c->tmp2.p;
		txnn = c->tmp2.len;
	}
	if (cancel) {
		if (qty > 0)
			qty = -qty;
		if (amount > 0)
			amount = -amount;
	} else if (qty < 0 && amount > 0)
		amount = -amount;

	/* The line's fields, written at the end in one go. */
	if (r->p[TX_STORE_ID] != NULL) {
		store = r->p[TX_STORE_ID];
		storen = r->n[TX_STORE_ID];
		trim(&store, &storen);
	} else {
		store = o->store != NULL ? o->store : "";
		storen = strlen(store);
	}
	PIECE(0, txn, txnn, 1);
	/* The key: store, receipt and line. */
	c->key.len = 0;
	buf_add(&c->key, store, storen);
	buf_addc(&c->key, '\x1f');
	buf_add(&c->key, txn, txnn);
	buf_addc(&c->key, '\x1f');
	keyrcpt = c->key.len;
	if (r->p[TX_LINE] != NULL && r->n[TX_LINE] > 0) {
		s = r->p[TX_LINE];
		sn = r->n[TX_LINE];
		trim(&s, &sn);
		PIECE(1, s, sn, 1);
		buf_add(&c->key, s, sn);
	} else {
		/* Numbered by receipt_line() when the row was read. */
		lineno = c->rline;
		sn = num_fmt(lineno, 0, 0, linenum);
		PIECE(1, linenum, sn, 0);
		buf_add(&c->key, linenum, sn);
	}
	/*
	 * The fingerprint: k1 is the receipt's hash plus the line's, so a
	 * receipt's lines are neighbours in the index; k2 hashes the whole
	 * key.
	 */
	{
		const char *lp = c->key.p + keyrcpt;
		size_t ln = c->key.len - keyrcpt, i;
		uint64_t off = 0;

		for (i = 0; i < ln && i < 4 && lp[i] >= '0' && lp[i] <= '9'; i++)
			off = off * 10 + (uint64_t)(lp[i] - '0');
		if (i != ln)
			off = hash64(lp, ln, 3) & 15;
		c->k1 = hash64(c->key.p, keyrcpt, 0x243f6a8885a308d3ULL) + off;
	}
	c->k2 = hash64(c->key.p, c->key.len, 0x13198a2e03707344ULL);
	c->havekey = 1;
	/* The time: as written when it is written the stream's way. */
	s = r->p[TX_TS];
	sn = r->n[TX_TS];
	trim(&s, &sn);
	if (!c->tsjoined && sn == 19 && s[4] == '-' && s[7] == '-' && (s[10] == ' ' ||
	    s[10] == 'T') && s[13] == ':' && s[16] == ':') {
		memcpy(tsb, s, 19);
		tsb[10] = 'T';
		PIECE(2, tsb, 19, 0);
	} else {
		if (ts != c->lastts || c->lasttsb[0] == '\0') {
			ts_fmt(ts, c->lasttsb);
			c->lastts = ts;
		}
		PIECE(2, c->lasttsb, 19, 0);
	}
	PIECE(3, c->idp, c->idn, 1);
	PIECE(4, store, storen, 1);
	s = "";
	sn = 0;
	if (r->p[TX_STAFF_ID] != NULL) {
		s = r->p[TX_STAFF_ID];
		sn = r->n[TX_STAFF_ID];
		trim(&s, &sn);
	}
	PIECE(5, s, sn, 1);
	if (r->p[TX_CHANNEL] != NULL && r->n[TX_CHANNEL] > 0) {
		s = r->p[TX_CHANNEL];
		sn = r->n[TX_CHANNEL];
		trim(&s, &sn);
		if ((ch = channel_norm(s, sn)) != NULL)
			PIECE(6, ch, strlen(ch), 0);
		else
			PIECE(6, s, sn, 1);
	} else
		PIECE(6, c->chan, c->chann, 1);
	s = "";
	sn = 0;
	if (r->p[TX_SKU] != NULL) {
		s = r->p[TX_SKU];
		sn = r->n[TX_SKU];
		trim(&s, &sn);
	}
	PIECE(7, s, sn, 1);
	PIECE(8, qtyb, num_fmt(qty, 0, 0, qtyb), 0);
	if (amtcanon != NULL && (amtcanon[0] == '-') == (amount < 0) &&
	    amount != 0)
		PIECE(9, amtcanon, amtcanonn, 0);	/* as written: canonical */
	else
		PIECE(9, num, money_fmt(amount, num), 0);
	c->special = put_row(L, pv, 10);
	return OK;
}

/* The marks a sheet ticks a box with: √ ✓ ✔ ☑ */
#define CHECK_MARKS \
	"\xe2\x88\x9a", "\xe2\x9c\x93", "\xe2\x9c\x94", "\xe2\x98\x91"

static const char *const tick_marks[] = { CHECK_MARKS, NULL };

static int
yes_no(const char *p, size_t n)
{
	static const char *const yes[] = { "1", "y", "yes", "true", "x", "t",
	    "\xe6\x98\xaf",				/* 是 */
	    "\xe6\x8b\x92\xe7\xbb\x9d",			/* 拒绝 */
	    "\xe6\x8b\x92\xe7\xb5\x95",			/* 拒絕 */
	    "\xe9\x80\x80\xe8\xae\xa2",			/* 退订 */
	    "\xe5\xb7\xb2\xe9\x80\x80\xe8\xae\xa2",	/* 已退订 */
	    "\xe6\x8b\x92\xe6\x94\xb6",			/* 拒收 */
	    "\xef\xbc\xb9", "\xef\xbc\x91",		/* Ｙ １ */
	    "1.0",
	    "\xe5\xb7\xb2\xe9\x80\x80\xe8\xa8\x82",	/* 已退訂 */
	    "\xe9\x80\x80\xe8\xa8\x82",			/* 退訂 */
	    "\xe5\xb7\xb2\xe6\x8b\x92\xe7\xbb\x9d",	/* 已拒绝 */
	    "\xe5\xb7\xb2\xe6\x8b\x92\xe7\xb5\x95",	/* 已拒絕 */
	    "\xef\xbd\x99",				/* ｙ */
	    CHECK_MARKS, NULL };
	static const char *const no[] = { "", "0", "n", "no", "false", "f", "-",
	    "\xe5\x90\xa6",				/* 否 */
	    "\xe6\x97\xa0",				/* 无 */
	    "\xe4\xb8\x8d",				/* 不 */
	    "\xc3\x97", "\xe2\x9c\x97",		/* × ✗ */
	    "\xe6\x9c\xaa\xe9\x80\x80\xe8\xae\xa2",	/* 未退订 */
	    "\xef\xbc\xae", "\xef\xbc\x90",		/* Ｎ ０ */
	    "0.0",
	    "\xe6\x9c\xaa\xe9\x80\x80\xe8\xa8\x82",	/* 未退訂 */
	    "\xe2\x98\x90",				/* ☐ */
	    "\xef\xbd\x8e",				/* ｎ */
	    NULL };

	if (oneof(p, n, yes))
		return 1;
	if (oneof(p, n, no))
		return 0;
	return -1;
}

/*
 * A year and a month without a day, as 出生年月 columns hold (1990-05,
 * 1990/5, 1990.05, 199005, 1990年5月): 1 if s[0..n) is one.
 */
static int
year_month(const char *s, size_t n, int *yp, int *mp)
{
	size_t i, j;
	int y = 0, m = 0;

	for (i = 0; i < n && i < 4 && s[i] >= '0' && s[i] <= '9'; i++)
		y = y * 10 + (s[i] - '0');
	if (i != 4 || y < 1900)
		return 0;
	if (i < n && (s[i] == '-' || s[i] == '/' || s[i] == '.'))
		i++;
	else if (n - i > 3 && memcmp(s + i, "\xe5\xb9\xb4", 3) == 0)	/* 年 */
		i += 3;
	else if (n - i != 2)
		return 0;
	for (j = i; j < n && j - i < 2 && s[j] >= '0' && s[j] <= '9'; j++)
		m = m * 10 + (s[j] - '0');
	if (j == i || m < 1 || m > 12)
		return 0;
	if (n - j == 3 && memcmp(s + j, "\xe6\x9c\x88", 3) == 0)	/* 月 */
		j += 3;
	*yp = y;
	*mp = m;
	return j == n;
}

/*
 * A birthday's month and day in numbers without a year: M月D日 (or 号)
 * is month first; D/M and D.M (05.11.) follow the file's date order as
 * D/M/YYYY does, and wait for it (PENDING) when both orders give a day;
 * M-D is day first when the order is (given, or settled by the file),
 * else month first (11-05, as Chinese exports write a birthday), but a
 * first number that is no month is a day whatever the order (21-11).
 * OK with *mp and *dp set, PENDING, or REJECT: with why written when the
 * value has this form, else why untouched.
 */
static int
monthday(struct conv *c, const char *s, size_t n, int *mp, int *dp,
    char *why, size_t size)
{
	size_t i = 0, j;
	int a = 0, b = 0, m, d, dayfirst, order;
	const char *how = "";
	char sep;

	while (i < n && i < 2 && s[i] >= '0' && s[i] <= '9')
		a = a * 10 + (s[i++] - '0');
	if (i == 0 || i == n)
		return REJECT;
	if (s[i] == '-' || s[i] == '/' || s[i] == '.')
		sep = s[i++];
	else if (n - i >= 3 && memcmp(s + i, "\xe6\x9c\x88", 3) == 0) { /* 月 */
		sep = 'M';
		i += 3;
	} else
		return REJECT;
	for (j = i; j < n && j - i < 2 && s[j] >= '0' && s[j] <= '9'; j++)
		b = b * 10 + (s[j] - '0');
	if (j == i)
		return REJECT;
	if (sep == 'M' && n - j == 3 && (memcmp(s + j, "\xe6\x97\xa5", 3) ==
	    0 || memcmp(s + j, "\xe5\x8f\xb7", 3) == 0))	/* 日 号 */
		j = n;
	else if (sep == '.' && n - j == 1 && s[j] == '.')
		j = n;
	if (j != n)
		return REJECT;
	order = c->fc.order & DATE_ORDER_MASK;
	if (sep == 'M')
		dayfirst = 0;
	else if (sep == '-')
		dayfirst = order == DATE_ORDER_DMY || (a > 12 && b <= 12);
	else {
		if (a != b && order != DATE_ORDER_MDY &&
		    order != DATE_ORDER_DMY) {
			int md = date_valid(2000, a, b), dm = date_valid(2000,
			    b, a);

			if (md && dm)
				return PENDING;
			if (md || dm) {
				order = md ? DATE_ORDER_MDY : DATE_ORDER_DMY;
				c->fc.order = order;
				c->fc.settled = 1;
			}
		}
		dayfirst = order == DATE_ORDER_DMY;
	}
	m = dayfirst ? b : a;
	d = dayfirst ? a : b;
	if (date_valid(2000, m, d)) {
		*mp = m;
		*dp = d;
		return OK;
	}
	if (sep != 'M' && (order == DATE_ORDER_MDY || order ==
	    DATE_ORDER_DMY) && (sep != '-' || dayfirst))
		how = (c->o->date_order & DATE_ORDER_MASK) == order ?
		    (order == DATE_ORDER_DMY ? " (--date-order dmy reads it "
		    "day first)" : " (--date-order mdy reads it month first)") :
		    (order == DATE_ORDER_DMY ? " (this file's dates are day "
		    "first)" : " (this file's dates are month first)");
	if (sep != 'M' && a > 12 && b > 12)
		snprintf(why, size, "neither %d nor %d is a month", a, b);
	else if (m < 1 || m > 12)
		snprintf(why, size, "no month %d%s", m, how);
	else
		snprintf(why, size, "month %d has no day %d%s", m, d, how);
	return REJECT;
}

/*
 * A date field of a profile or log: empty stays empty, and so does a date
 * written for none (0000-00-00, 1900-01-01); a birthday may lack its year
 * (11-21, 11月21日), written --MM-DD, and must lie between 1900 and --as-of.
 */
static int
get_day(struct conv *c, const struct row *r, int f, int birthday,
    struct buf *L, struct verdict *v, enum reason why, const char *what)
{
	const char *s = r->p[f];
	size_t n = r->n[f];
	int64_t ts;
	int rc, hint, yy, m = 0, d = 0;
	char b[32];

	if (s == NULL)
		return OK;
	trim(&s, &n);
	if (n == 0 || date_zeros(s, n) || is_none(s, n))
		return OK;
	/* --11-21 as cv writes it, 0000-11-21 as MySQL does. */
	if (birthday && date_parse_yearless(s, n, &m, &d) == 0) {
		snprintf(b, sizeof(b), "--%02d-%02d", m, d);
		buf_adds(L, b);
		return OK;
	}
	yy = birthday ? 0 : c->yy;
	rc = date_parse_loose(s, n, c->fc.order | yy, &ts, &hint);
	if ((rc == DATE_AMBIG || rc == DATE_BAD) && hint != DATE_ORDER_NONE) {
		c->fc.order = hint;
		c->fc.settled = 1;
		rc = date_parse_loose(s, n, c->fc.order | yy, &ts, &hint);
	}
	/*
	 * 1900-02-29, Excel's day 60 (its 1900 system counts a 29 February
	 * 1900 that was not): a birthday without its year, as 1900's are.
	 */
	if (rc == DATE_BAD && birthday && n > 4 && n < sizeof(b) &&
	    memcmp(s, "1900", 4) == 0 && (s[4] < '0' || s[4] > '9')) {
		memcpy(b, "0000", 4);
		memcpy(b + 4, s + 4, n - 4);
		if (date_parse_yearless(b, n, &m, &d) == 0 && m == 2 &&
		    d == 29) {
			buf_adds(L, "--02-29");
			return OK;
		}
	}
	if (rc == DATE_AMBIG)
		return ambiguous(c, r, f, v);
	if (rc == DATE_YY2 || rc == DATE_WDAY)
		return bad_value(v, why, what, r, f, rc == DATE_WDAY ?
		    WDAY_DETAIL : birthday ? YY_BIRTHDAY : YY_DETAIL);
	if (rc == DATE_OK) {
		if (ts_placeholder(ts))
			return OK;
		civil_from_day(ts_day(ts), &yy, &m, &d);
		if (birthday && (yy == 1900 || yy == 1904)) {
			/*
			 * A year no customer was born in, which systems
			 * store a birthday without its year in (Excel's
			 * 1904 date system starts at 1904-01-01, its day
			 * zero, none as 1900-01-01 is).
			 */
			if (yy == 1904 && m == 1 && d == 1 &&
			    ts % SECS_PER_DAY == 0)
				return OK;
			snprintf(b, sizeof(b), "--%02d-%02d", m, d);
			buf_adds(L, b);
			return OK;
		}
		if (birthday && ts_day(ts) < day_from_civil(1900, 1, 1))
			return bad_value(v, why, what, r, f, "before 1900");
		if (birthday && ts_day(ts) > (c->o->as_of != DAY_NONE ?
		    c->o->as_of : date_today()))
			return bad_value(v, why, what, r, f, c->o->as_of !=
			    DAY_NONE ? "after --as-of" : "after today");
		buf_add(L, b, date_fmt(ts_day(ts), b));
		return OK;
	}
	/* A birthday without its day is no birthday: left empty. */
	if (birthday && year_month(s, n, &m, &d)) {
		int32_t lim = c->o->as_of != DAY_NONE ? c->o->as_of :
		    date_today();
		int ly, lm, ld;

		civil_from_day(lim, &ly, &lm, &ld);
		if (m > ly || (m == ly && d > lm))
			return bad_value(v, why, what, r, f, c->o->as_of !=
			    DAY_NONE ? "after --as-of" : "after today");
		return OK;
	}
	if (birthday && date_parse_monthday(s, n, &m, &d) == 0) {
		snprintf(b, sizeof(b), "--%02d-%02d", m, d);
		buf_adds(L, b);
		return OK;
	}
	if (birthday) {
		char detail[120];

		detail[0] = '\0';
		if ((rc = monthday(c, s, n, &m, &d, detail,
		    sizeof(detail))) == OK) {
			snprintf(b, sizeof(b), "--%02d-%02d", m, d);
			buf_adds(L, b);
			return OK;
		}
		if (rc == PENDING)
			return ambiguous(c, r, f, v);
		if (detail[0] != '\0')
			return bad_value(v, why, what, r, f, detail);
	}
	{
		const char *detail = order_detail(c, s, n);
		char sb[200];

		if (detail == NULL)
			detail = serial_detail(s, n, sb, sizeof(sb));
		/* 1988, 1988年; 0314 (month and day, or day and month?) */
		if (detail == NULL && birthday && (n == 4 || (n == 7 &&
		    memcmp(s + 4, "\xe5\xb9\xb4", 3) == 0)) &&	/* 年 */
		    digits_only(s, 4))
			detail = n == 7 || memcmp(s, "1900", 4) >= 0 ?
			    "a year alone" : "four digits: write a month and "
			    "day as MM-DD";
		return bad_value(v, why, what, r, f, detail);
	}
}

/* A text field, trimmed; NULL, 无 and the like leave it empty. */
static void
put_trim(struct buf *L, const struct row *r, int f)
{
	const char *s = r->p[f];
	size_t n = r->n[f];

	if (s == NULL)
		return;
	trim(&s, &n);
	if (!is_none(s, n))
		put(L, s, n);
}

/* A home store: the file's, or --store for a file without the column. */
static void
put_store(const struct conv *c, struct buf *L, const struct row *r, int f)
{
	if (r->p[f] == NULL && c->o->store != NULL)
		put(L, c->o->store, strlen(c->o->store));
	else
		put_trim(L, r, f);
}

static int
conv_members(struct conv *c, const struct row *r, struct verdict *v)
{
	struct buf *L = &c->line;
	const char *s;
	size_t n;
	int rc, k;

	if ((rc = get_id(c, r, MB_CUSTOMER_ID, 0, v)) != OK)
		return rc;
	L->len = 0;
	put(L, c->idp, c->idn);
	c->key.len = 0;
	buf_add(&c->key, c->idp, c->idn);
	tab(L);
	put_trim(L, r, MB_NAME);
	tab(L);
	if (r->p[MB_PHONE] != NULL) {
		const char *ph;
		size_t phn;

		k = norm_id(r->p[MB_PHONE], r->n[MB_PHONE], &c->tmp, &ph, &phn);
		if (k == ID_MANGLED || k == ID_FRACTION)
			return bad_value(v, R_IDMANGLED, "phone", r, MB_PHONE,
			    mangled_detail(k));
		if (k == ID_OK)
			put(L, ph, phn);
	}
	tab(L);
	if ((s = r->p[MB_GENDER]) != NULL) {
		static const char *const m[] = { "m", "male", "man", "mr",
		    "mr.",
		    "\xe7\x94\xb7\xe7\x94\x9f",		/* 男生 */
		    "\xe7\x94\xb7\xe5\xad\xa9",		/* 男孩 */
		    "\xe7\x94\xb7",				/* 男 */
		    "\xe7\x94\xb7\xe6\x80\xa7",		/* 男性 */
		    "\xe7\x94\xb7\xe5\xa3\xab",		/* 男士 */
		    "\xe5\x85\x88\xe7\x94\x9f",		/* 先生 */
		    "\xef\xbc\xad", NULL };			/* Ｍ */
		static const char *const f[] = { "f", "female", "woman",
		    "ms", "mrs", "miss", "ms.", "mrs.", "miss.",
		    "\xe5\xa5\xb3\xe7\x94\x9f",		/* 女生 */
		    "\xe5\xa5\xb3\xe5\xad\xa9",		/* 女孩 */
		    "\xe5\xa5\xb3",				/* 女 */
		    "\xe5\xa5\xb3\xe6\x80\xa7",		/* 女性 */
		    "\xe5\xa5\xb3\xe5\xa3\xab",		/* 女士 */
		    "\xe5\xb0\x8f\xe5\xa7\x90",		/* 小姐 */
		    "\xef\xbc\xa6", NULL };			/* Ｆ */

		/*
		 * Anything else (未知, 保密, a POS's 1/2 code) is no gender
		 * the stream can name: left empty, never passed on raw.
		 */
		n = r->n[MB_GENDER];
		trim(&s, &n);
		if (oneof(s, n, m))
			buf_addc(L, 'M');
		else if (oneof(s, n, f))
			buf_addc(L, 'F');
	}
	tab(L);
	if ((rc = get_day(c, r, MB_BIRTHDAY, 1, L, v, R_BIRTHDAY,
	    "bad birthday")) != OK)
		return rc;
	tab(L);
	if ((rc = get_day(c, r, MB_JOIN_DATE, 0, L, v, R_JOINDATE,
	    "bad join date")) != OK)
		return rc;
	tab(L);
	put_store(c, L, r, MB_STORE_ID);
	tab(L);
	put_trim(L, r, MB_STAFF_ID);
	tab(L);
	put_trim(L, r, MB_TIER);
	tab(L);
	s = r->p[MB_TYPE];
	n = r->n[MB_TYPE];
	if (s != NULL)
		trim(&s, &n);
	/*
	 * No type column, a blank cell or NULL: not said, left empty
	 * (cv-score takes it as retail), so that a later export that does
	 * not say it leaves the member's type as it was (profile.h).
	 */
	if (s != NULL && n > 0 && !is_none(s, n)) {
		static const char *const retail[] = { "retail", "consumer",
		    "end", "end customer", "individual", "personal",
		    "\xe9\x9b\xb6\xe5\x94\xae",			/* 零售 */
		    "\xe4\xb8\xaa\xe4\xba\xba",			/* 个人 */
		    "\xe5\x80\x8b\xe4\xba\xba",			/* 個人 */
		    "\xe7\xbb\x88\xe7\xab\xaf",			/* 终端 */
		    "\xe6\x99\xae\xe9\x80\x9a",			/* 普通 */
		    "\xe6\xb6\x88\xe8\xb4\xb9\xe8\x80\x85",	/* 消费者 */
		    "\xe9\x9b\xb6\xe5\x94\xae\xe5\xae\xa2\xe6\x88\xb7", /* 零售客户 */
		    "\xe6\x99\xae\xe9\x80\x9a\xe4\xbc\x9a\xe5\x91\x98", /* 普通会员 */
		    "\xe4\xbc\x9a\xe5\x91\x98",			/* 会员 */
		    "\xe6\x9c\x83\xe5\x93\xa1",			/* 會員 */
		    "retail customer",
		    "vip\xe4\xbc\x9a\xe5\x91\x98",		/* VIP会员 */
		    "vip\xe6\x9c\x83\xe5\x93\xa1",		/* VIP會員 */
		    "\xe9\x9b\xb6\xe5\x94\xae\xe5\xae\xa2\xe6\x88\xb6",	/* 零售客戶 */
		    "\xe6\x99\xae\xe9\x80\x9a\xe6\x9c\x83\xe5\x93\xa1",	/* 普通會員 */
		    NULL };
		static const char *const dealer[] = { "dealer", "franchisee",
		    "distributor", "wholesale", "wholesaler", "agent", "reseller",
		    "\xe7\xbb\x8f\xe9\x94\x80\xe5\x95\x86",	/* 经销商 */
		    "\xe7\xb6\x93\xe9\x8a\xb7\xe5\x95\x86",	/* 經銷商 */
		    "\xe5\x8a\xa0\xe7\x9b\x9f\xe5\x95\x86",	/* 加盟商 */
		    "\xe5\x8a\xa0\xe7\x9b\x9f",			/* 加盟 */
		    "\xe4\xbb\xa3\xe7\x90\x86\xe5\x95\x86",	/* 代理商 */
		    "\xe4\xbb\xa3\xe7\x90\x86",			/* 代理 */
		    "\xe5\x88\x86\xe9\x94\x80\xe5\x95\x86",	/* 分销商 */
		    "\xe6\x89\xb9\xe5\x8f\x91",			/* 批发 */
		    "\xe7\xbb\x8f\xe9\x94\x80",		/* 经销 */
		    "\xe7\xb6\x93\xe9\x8a\xb7",		/* 經銷 */
		    "\xe5\x88\x86\xe9\x8a\xb7\xe5\x95\x86",	/* 分銷商 */
		    "\xe6\x89\xb9\xe7\x99\xbc",		/* 批發 */
		    "\xe6\x89\xb9\xe5\x8f\x91\xe5\x95\x86",	/* 批发商 */
		    "\xe6\x89\xb9\xe7\x99\xbc\xe5\x95\x86",	/* 批發商 */
		    "\xe5\x8a\xa0\xe7\x9b\x9f\xe5\xba\x97",	/* 加盟店 */
		    NULL };
		static const char *const group[] = { "group", "corporate",
		    "company", "business", "group buyer", "b2b",
		    "\xe5\x9b\xa2\xe8\xb4\xad",			/* 团购 */
		    "\xe5\x9c\x98\xe8\xb3\xbc",			/* 團購 */
		    "\xe9\x9b\x86\xe5\x9b\xa2",			/* 集团 */
		    "\xe4\xbc\x81\xe4\xb8\x9a",			/* 企业 */
		    "\xe5\x85\xac\xe5\x8f\xb8",			/* 公司 */
		    "\xe5\xa4\xa7\xe5\xae\xa2\xe6\x88\xb7",	/* 大客户 */
		    "\xe9\x9b\x86\xe5\x9b\xa2\xe5\xae\xa2\xe6\x88\xb7", /* 集团客户 */
		    "\xe4\xbc\x81\xe4\xb8\x9a\xe5\xae\xa2\xe6\x88\xb7", /* 企业客户 */
		    "corporate customer", "group buying",
		    "\xe5\x9b\xa2\xe8\xb4\xad\xe5\xae\xa2\xe6\x88\xb7",	/* 团购客户 */
		    "\xe5\x9b\xa2\xe4\xbd\x93",		/* 团体 */
		    "\xe9\x9b\x86\xe5\x9c\x98",		/* 集團 */
		    "\xe9\x9b\x86\xe5\x9c\x98\xe5\xae\xa2\xe6\x88\xb6",	/* 集團客戶 */
		    "\xe4\xbc\x81\xe6\xa5\xad",		/* 企業 */
		    "\xe4\xbc\x81\xe6\xa5\xad\xe5\xae\xa2\xe6\x88\xb6",	/* 企業客戶 */
		    "\xe5\xa4\xa7\xe5\xae\xa2\xe6\x88\xb6",	/* 大客戶 */
		    "\xe5\x9c\x98\xe8\xb3\xbc\xe5\xae\xa2\xe6\x88\xb6",	/* 團購客戶 */
		    "\xe5\x9c\x98\xe9\xab\x94",		/* 團體 */
		    NULL };

		if (oneof(s, n, retail))
			buf_adds(L, "retail");
		else if (oneof(s, n, dealer))
			buf_adds(L, "dealer");
		else if (oneof(s, n, group))
			buf_adds(L, "group");
		else
			return bad_value(v, R_TYPE, "customer type", r, MB_TYPE,
			    "not retail, dealer or group");
	}
	tab(L);
	if ((s = r->p[MB_OPT_OUT]) != NULL) {
		n = r->n[MB_OPT_OUT];
		trim(&s, &n);
		/* A blank cell, NULL or 未知 says nothing. */
		if (n == 0)
			return OK;
		if ((k = yes_no(s, n)) < 0 && is_none(s, n))
			return OK;
		if (k < 0)
			return bad_value(v, R_OPTOUT, "opt-out value", r,
			    MB_OPT_OUT, "not yes or no");
		/*
		 * x is a mark, yes; but a sheet that ticks with √ may have
		 * x typed for ×, no.  Read as yes no one who opted out is
		 * called: the file's end says so (end_file()).
		 */
		if (k == 1 && n == 1 && (s[0] | 0x20) == 'x') {
			if (c->fc.optx == 0)
				c->fc.optx = r->line;
		} else if (k == 1 && n == 3 && oneof(s, n, tick_marks))
			c->fc.opttick = 1;
		buf_addc(L, k ? '1' : '0');
	}
	/*
	 * No opt-out column: unknown, left empty.  A 0 would say the
	 * member may be contacted, which the file never said; and a later
	 * export laid over it (profile.h) would lower an earlier 1.
	 */
	return OK;
}

static int
conv_contacts(struct conv *c, const struct row *r, struct verdict *v)
{
	struct buf *L = &c->line;
	const char *s, *ch;
	size_t n, at;
	int rc;

	L->len = 0;
	if ((rc = get_day(c, r, CT_DATE, 0, L, v, R_DATE, "bad date")) != OK)
		return rc;
	/* Empty, blank, or a date written for none (0000-00-00). */
	if (L->len == 0) {
		s = r->p[CT_DATE];
		n = r->n[CT_DATE];
		trim(&s, &n);
		if (n > 0)
			return bad_value(v, R_NODATE, "no date", r, CT_DATE,
			    "a date that stands for none");
		return rejectf(v, R_NODATE, "no date in column '%s'",
		    r->col[CT_DATE]);
	}
	/* A contact after the day the run is for is a typo, as a sale is. */
	if (c->o->as_of != DAY_NONE) {
		int32_t day;

		if (date_parse(L->p, L->len, &day) == 0 && day > c->o->as_of)
			return bad_value(v, R_FUTURE, "date", r, CT_DATE,
			    "after --as-of");
	}
	c->key.len = 0;
	buf_add(&c->key, L->p, L->len);
	tab(L);
	if ((rc = get_id(c, r, CT_CUSTOMER_ID, 0, v)) != OK)
		return rc;
	put(L, c->idp, c->idn);
	buf_addc(&c->key, '\x1f');
	buf_add(&c->key, c->idp, c->idn);
	tab(L);
	at = L->len;
	put_trim(L, r, CT_STAFF_ID);
	buf_addc(&c->key, '\x1f');
	buf_add(&c->key, L->p + at, L->len - at);
	tab(L);
	at = L->len;
	/* --channel: the channel of a log without a channel column. */
	if ((s = r->p[CT_CHANNEL]) != NULL || (s = c->o->channel) != NULL) {
		n = r->p[CT_CHANNEL] != NULL ? r->n[CT_CHANNEL] : strlen(s);
		trim(&s, &n);
		if ((ch = contact_channel(s, n)) != NULL)
			buf_adds(L, ch);
		else if (!is_none(s, n))
			put(L, s, n);
	}
	buf_addc(&c->key, '\x1f');
	buf_add(&c->key, L->p + at, L->len - at);
	tab(L);
	at = L->len;
	put_trim(L, r, CT_CAMPAIGN);
	buf_addc(&c->key, '\x1f');
	buf_add(&c->key, L->p + at, L->len - at);
	tab(L);
	put_trim(L, r, CT_OUTCOME);
	tab(L);
	put_trim(L, r, CT_NOTE);
	return OK;
}

static int
conv_staff(struct conv *c, const struct row *r, struct verdict *v)
{
	struct buf *L = &c->line;
	const char *s = r->p[SF_STAFF_ID], *st;
	size_t n = r->n[SF_STAFF_ID], at;
	int rc, left = 0;

	trim(&s, &n);
	if (n == 0)
		return rejectf(v, R_NOSTAFF, "no staff id in column '%s'",
		    r->col[SF_STAFF_ID]);
	L->len = 0;
	put(L, s, n);
	c->key.len = 0;
	buf_add(&c->key, s, n);
	tab(L);
	put_trim(L, r, SF_NAME);
	tab(L);
	put_store(c, L, r, SF_STORE_ID);
	tab(L);
	if ((st = r->p[SF_STATUS]) != NULL) {
		/*
		 * The status column says whether the assistant works here
		 * (状态, 在职, active): yes, or a state of someone still
		 * employed (on probation, on leave, moved to another
		 * store), is active.
		 */
		static const char *const active[] = { "", "active", "employed",
		    "current", "1", "yes", "y", "true", "t", "probation",
		    "on leave",
		    "\xe5\x9c\xa8\xe8\x81\x8c",			/* 在职 */
		    "\xe5\x9c\xa8\xe8\x81\xb7",			/* 在職 */
		    "\xe5\x9c\xa8\xe5\xb2\x97",			/* 在岗 */
		    "\xe6\xad\xa3\xe5\xb8\xb8",			/* 正常 */
		    "\xe6\x98\xaf",				/* 是 */
		    "\xe2\x88\x9a", "\xe2\x9c\x93",		/* √ ✓ */
		    "\xe8\xaf\x95\xe7\x94\xa8",			/* 试用 */
		    "\xe8\xa9\xa6\xe7\x94\xa8",			/* 試用 */
		    "\xe4\xbc\x91\xe5\x81\x87",			/* 休假 */
		    "\xe8\xb0\x83\xe5\xba\x97",			/* 调店 */
		    "\xe8\xaa\xbf\xe5\xba\x97",			/* 調店 */
		    "\xe5\x85\xbc\xe8\x81\x8c",			/* 兼职 */
		    NULL };
		static const char *const gone[] = { "left", "inactive", "former",
		    "terminated", "resigned", "retired", "0", "no", "n",
		    "false", "f",
		    "\xe7\xa6\xbb\xe8\x81\x8c",			/* 离职 */
		    "\xe9\x9b\xa2\xe8\x81\xb7",			/* 離職 */
		    "\xe5\xb7\xb2\xe7\xa6\xbb\xe8\x81\x8c",	/* 已离职 */
		    "\xe5\xb7\xb2\xe9\x9b\xa2\xe8\x81\xb7",	/* 已離職 */
		    "\xe7\xa6\xbb\xe5\xb2\x97",			/* 离岗 */
		    "\xe8\xbe\x9e\xe8\x81\x8c",			/* 辞职 */
		    "\xe8\xbe\xad\xe8\x81\xb7",			/* 辭職 */
		    "\xe9\x80\x80\xe4\xbc\x91",			/* 退休 */
		    "\xe5\x81\x9c\xe7\x94\xa8",			/* 停用 */
		    "\xe5\x90\xa6",				/* 否 */
		    "\xc3\x97", "\xe2\x9c\x97",		/* × ✗ */
		    NULL };

		n = r->n[SF_STATUS];
		trim(&st, &n);
		if (oneof(st, n, gone))
			left = 1;
		else if (!oneof(st, n, active))
			return bad_value(v, R_STATUS, "staff status", r,
			    SF_STATUS, "not active or left");
	}
	at = L->len;
	buf_adds(L, "active");
	tab(L);
	if ((rc = get_day(c, r, SF_LEFT_DATE, 0, L, v, R_DATE,
	    "bad leave date")) != OK)
		return rc;
	if (L->len > at + 7) {
		/*
		 * A leave date that has come means the person left; one
		 * still ahead (a notice period) does not, yet.
		 */
		int32_t day, now = c->o->as_of != DAY_NONE ? c->o->as_of :
		    date_today();

		if (date_parse(L->p + at + 7, 10, &day) < 0 || day <= now)
			left = 1;
	}
	if (left) {
		/* Rewrite "active" as "left" in place. */
		memmove(L->p + at + 4, L->p + at + 6, L->len - at - 6);
		memcpy(L->p + at, "left", 4);
		L->len -= 2;
		L->p[L->len] = '\0';
	}
	return OK;
}

/*
 * The rejects file is a cv stream, UTF-8 without NUL bytes: a byte that is
 * not UTF-8, or a NUL, becomes U+FFFD in the text of its row.
 */
static void
as_utf8(struct buf *b, const char *p, size_t n)
{
	size_t k, i;

	b->len = 0;
	while (n > 0) {
		k = utf8_bad(p, n);
		for (i = 0; i < k; i++)
			if (p[i] == '\0')
				buf_add(b, "\xef\xbf\xbd", 3);
			else
				buf_addc(b, p[i]);
		if (k < n) {
			buf_add(b, "\xef\xbf\xbd", 3);
			k++;
		}
		p += k;
		n -= k;
	}
	buf_addc(b, '\0');
	b->len--;
}

static void
reject_row(struct conv *c, const char *text, size_t textlen, long line,
    const struct verdict *v)
{
	struct fileconv *fc = &c->fc;
	char num[32];

	c->st.rejected++;
	fc->rejected++;
	c->byreason[v->why]++;
	/* Rows the user asked to leave out are not held against the rate. */
	if (v->why == R_TOTALS || v->why == R_WALKIN)
		c->st.exempt++;
	if (c->haverej) {
		tsv_puts(&c->rej, fc->name);
		out_putc(&c->rej, '\t');
		snprintf(num, sizeof(num), "%ld", line);
		out_puts(&c->rej, num);
		out_putc(&c->rej, '\t');
		tsv_puts(&c->rej, v->msg);
		out_putc(&c->rej, '\t');
		if (memchr(text, '\0', textlen) != NULL ||
		    !utf8_valid(text, textlen)) {
			as_utf8(&c->rejtext, text, textlen);
			text = c->rejtext.p;
			textlen = c->rejtext.len;
		}
		tsv_put(&c->rej, text, textlen);
		out_putc(&c->rej, '\n');
	}
	if (!c->o->quiet && v->why != R_TOTALS && c->shown < SHOW_REJECTS) {
		c->shown++;
		cv_msgat(fc->name, line, "%s", v->msg);
	}
}

/*
 * Put the batch dp[0..ndp) into the index and count what it found.  The lines
 * are taken in the order of the index slots they land in (a counting sort
 * on the slot's high bits; equal keys keep their order), so that the
 * probes sweep the index instead of jumping about: the index is far
 * larger than the caches and the TLB.  A later copy with the same content
 * is dropped; one with other content replaces the earlier line.
 */
static void
resolve(struct resolver *r, const struct dpend *dp, size_t ndp)
{
	struct dedup *dd = r->dd;
	size_t i, cap;
	uint32_t *cnt = r->dpcount, b, sum = 0;
	int shift = 0, d;

	if (ndp == 0)
		return;
	/* Grow first, so that the slots do not move while we sweep. */
	dedup_reserve(dd, dd->n + ndp);
	cap = dd->cap;
	while ((cap >> shift) > DPBUCKETS)
		shift++;
	memset(cnt, 0, DPBUCKETS * sizeof(*cnt));
	for (i = 0; i < ndp; i++)
		cnt[(dp[i].k1 & (cap - 1)) >> shift]++;
	for (b = 0; b < DPBUCKETS; b++) {
		uint32_t k = cnt[b];

		cnt[b] = sum;
		sum += k;
	}
	for (i = 0; i < ndp; i++)
		r->dpsort[cnt[(dp[i].k1 & (cap - 1)) >> shift]++] = dp[i];
	for (i = 0; i < ndp; i++) {
		const struct dpend *p = &r->dpsort[i];

		/* A few lines ahead, so that the misses overlap. */
		if (i + RESOLVE_AHEAD < ndp)
			dedup_prefetch(dd, r->dpsort[i + RESOLVE_AHEAD].k1);
		d = dedup_put(dd, p->k1, p->k2, p->ord, p->chash);
		if (d == DEDUP_NEW)
			r->accepted++;
		else {
			r->dups++;
			if (d == DEDUP_CHANGED)
				r->replaced++;
			else
				dedup_mark(dd, p->ord);	/* drop this copy */
		}
	}
}

/* The batches in the order they were handed over; at quit, the rest. */
static void *
resolver_main(void *arg)
{
	struct resolver *r = arg;
	struct dpend *dp;
	size_t n;
	const char *t = getenv("CV_TEST_RESOLVE_DELAY");
	long delay = t != NULL ? atol(t) : 0;	/* test hook: milliseconds */

	/* The first batch is a while coming: fault the index in meanwhile. */
	dedup_populate(r->dd);
	pthread_mutex_lock(&r->mu);
	for (;;) {
		while (r->qcount == 0 && !r->quit)
			pthread_cond_wait(&r->cv, &r->mu);
		if (r->qcount == 0)
			break;
		dp = r->q[r->qhead];
		n = r->qn[r->qhead];
		r->qhead = (r->qhead + 1) % DPQUEUE;
		r->qcount--;
		r->busy = 1;
		pthread_cond_broadcast(&r->cv);		/* room in the ring */
		pthread_mutex_unlock(&r->mu);
		if (delay > 0) {
			/* The first batch is late: the ring fills behind it. */
			struct timespec ts = { delay / 1000,
			    delay % 1000 * 1000000 };

			while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
				;
			delay = 0;
		}
		resolve(r, dp, n);
		pthread_mutex_lock(&r->mu);
		r->spare[r->nspare++] = dp;
		r->busy = 0;
		pthread_cond_broadcast(&r->cv);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

/* The batches are only needed when the later copy wins (DEDUP_KEEP_LAST). */
static void
resolver_init(struct resolver *r, struct dedup *dd, int batches)
{
	memset(r, 0, sizeof(*r));
	r->dd = dd;
	if (batches) {
		r->dpsort = xcalloc(DPBATCH, sizeof(*r->dpsort));
		r->dpcount = xcalloc(DPBUCKETS, sizeof(*r->dpcount));
	}
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	r->inited = 1;
}

/*
 * Start the thread, with a small stack (resolve() needs little); without
 * one, hand_over() resolves in place.
 */
static void
resolver_start(struct resolver *r)
{
	pthread_attr_t a;

	if (pthread_attr_init(&a) != 0)
		return;
	(void)pthread_attr_setstacksize(&a, (size_t)256 << 10);
	r->running = pthread_create(&r->thr, &a, resolver_main, r) == 0;
	pthread_attr_destroy(&a);
}

static void
resolver_free(struct resolver *r)
{
	if (r->running) {
		pthread_mutex_lock(&r->mu);
		r->quit = 1;
		pthread_cond_broadcast(&r->cv);
		pthread_mutex_unlock(&r->mu);
		pthread_join(r->thr, NULL);
		r->running = 0;
	}
	if (!r->inited)
		return;
	r->inited = 0;
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv);
	while (r->qcount > 0) {
		free(r->q[r->qhead]);
		r->qhead = (r->qhead + 1) % DPQUEUE;
		r->qcount--;
	}
	while (r->nspare > 0)
		free(r->spare[--r->nspare]);
	free(r->dpsort);
	free(r->dpcount);
	r->dpsort = NULL;
}

/*
 * Give the converter's pending decisions to the resolver, and take an
 * empty batch to go on with; without the thread, resolve them here.
 */
static void
hand_over(struct conv *c)
{
	struct resolver *r = &c->rs;
	int slot;

	if (c->ndp == 0)
		return;
	if (!r->running) {
		resolve(r, c->dp, c->ndp);
		c->ndp = 0;
		return;
	}
	pthread_mutex_lock(&r->mu);
	while (r->qcount == DPQUEUE)
		pthread_cond_wait(&r->cv, &r->mu);
	slot = (r->qhead + r->qcount) % DPQUEUE;
	r->q[slot] = c->dp;
	r->qn[slot] = c->ndp;
	r->qcount++;
	c->dp = r->nspare > 0 ? r->spare[--r->nspare] : NULL;
	c->ndp = 0;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	if (c->dp == NULL)
		c->dp = xreallocarray(NULL, DPBATCH, sizeof(*c->dp));
}

/* Wait for every decision so far and count them into the file's figures. */
static void
settle(struct conv *c)
{
	struct resolver *r = &c->rs;

	hand_over(c);
	pthread_mutex_lock(&r->mu);
	while (r->qcount > 0 || r->busy)
		pthread_cond_wait(&r->cv, &r->mu);
	c->st.accepted += r->accepted;
	c->fc.accepted += r->accepted;
	c->st.dups += r->dups;
	c->fc.dups += r->dups;
	c->st.replaced += r->replaced;
	r->accepted = r->dups = r->replaced = 0;
	pthread_mutex_unlock(&r->mu);
}

static void
accept_row(struct conv *c)
{
	struct buf *L = &c->line;
	uint64_t k1, k2;
	uint32_t ch;
	int d;

	c->fc.rows++;
	if (c->havekey) {
		k1 = c->k1;
		k2 = c->k2;
		c->havekey = 0;
	} else {
		k1 = hash64(c->key.p, c->key.len, 0x243f6a8885a308d3ULL);
		k2 = hash64(c->key.p, c->key.len, 0x13198a2e03707344ULL);
	}
	ch = (uint32_t)hash64(L->p, L->len, 0xa4093822299f31d0ULL);
	buf_addc(L, '\n');
	if (c->o->dedup == DEDUP_KEEP_LAST) {
		/* Into the spool now; the duplicate check comes in a batch. */
		struct dpend *p = &c->dp[c->ndp++];

		p->k1 = k1;
		p->k2 = k2;
		p->ord = c->ord++;
		p->chash = ch;
		out_write(c->spool, L->p, L->len);
		if (c->ndp == DPBATCH)
			hand_over(c);
		return;
	}
	d = dedup_put(&c->dd, k1, k2, c->ord, ch);
	if (d != DEDUP_NEW) {
		/* --dedup first: a later copy is dropped, changed or not. */
		c->st.dups++;
		c->fc.dups++;
		return;
	}
	c->st.accepted++;
	c->fc.accepted++;
	out_write(c->spool, L->p, L->len);
	c->ord++;
}

/* What a report writes in a totals row. */
static const char *const totals_words[] = { "total", "totals", "grand total",
    "sum", "subtotal", "sub-total",
    "\xe5\x90\x88\xe8\xae\xa1",				/* 合计 */
    "\xe5\x90\x88\xe8\xa8\x88",				/* 合計 */
    "\xe6\x80\xbb\xe8\xae\xa1",				/* 总计 */
    "\xe7\xb8\xbd\xe8\xa8\x88",				/* 總計 */
    "\xe5\xb0\x8f\xe8\xae\xa1",				/* 小计 */
    "\xe5\xb0\x8f\xe8\xa8\x88",				/* 小計 */
    "\xe5\x90\x88\xe8\xae\xa1\xef\xbc\x9a",		/* 合计： */
    "\xe5\x90\x88\xe8\xae\xa1:",			/* 合计: */
    "\xe5\x90\x88\xe8\xa8\x88\xef\xbc\x9a",		/* 合計： */
    "\xe6\x80\xbb\xe8\xae\xa1\xef\xbc\x9a",		/* 总计： */
    "\xe6\x80\xbb\xe8\xae\xa1:",			/* 总计: */
    "\xe7\xb8\xbd\xe8\xa8\x88\xef\xbc\x9a",		/* 總計： */
    "\xe5\xb0\x8f\xe8\xae\xa1\xef\xbc\x9a",		/* 小计： */
    "\xe5\xb0\x8f\xe8\xae\xa1:",			/* 小计: */
    "\xe5\xb0\x8f\xe8\xa8\x88\xef\xbc\x9a",		/* 小計： */
    "total:", "totals:", "subtotal:", "grand total:", NULL };

/* What a count in a totals cell may be of: 合计：60人, Total: 60 rows. */
static const char *const count_units[] = {
    "\xe4\xba\xba",					/* 人 */
    "\xe6\x9d\xa1",					/* 条 */
    "\xe6\xa2\x9d",					/* 條 */
    "\xe6\x9d\xa1\xe8\xae\xb0\xe5\xbd\x95",		/* 条记录 */
    "\xe6\xa2\x9d\xe8\xa8\x98\xe9\x8c\x84",		/* 條記錄 */
    "\xe7\xac\x94",					/* 笔 */
    "\xe7\xad\x86",					/* 筆 */
    "\xe5\x8d\x95",					/* 单 */
    "\xe5\x96\xae",					/* 單 */
    "\xe4\xbb\xb6",					/* 件 */
    "\xe4\xb8\xaa",					/* 个 */
    "\xe5\x80\x8b",					/* 個 */
    "\xe5\x90\x8d",					/* 名 */
    "\xe4\xbd\x8d",					/* 位 */
    "\xe8\xa1\x8c",					/* 行 */
    "\xe6\x88\xb7",					/* 户 */
    "\xe6\x88\xb6",					/* 戶 */
    "rows", "records", "members", "customers", "items", NULL };

/*
 * A totals word with a count in the same cell: 合计：60人, 合计60人,
 * 总计 60, Total: 60, Total (60), 合計（1,234 筆）.  An English word needs
 * a blank, colon or bracket before its number (SUM60 may be an id).
 */
static int
totals_count(const char *s, size_t n)
{
	const char *const *w;
	const char *e = s + n, *p = NULL;
	int sep = 0, open = 0, digits = 0;

	if (n < 4 || n > 48)
		return 0;
	for (w = totals_words; *w != NULL; w++) {
		size_t k = strlen(*w);

		if (k < n && strncasecmp(s, *w, k) == 0 &&
		    (p == NULL || s + k > p))
			p = s + k;
	}
	if (p == NULL)
		return 0;
	sep = p[-1] == ':' || (unsigned char)p[-1] >= 0x80;
	for (;;) {
		if (p < e && (*p == ' ' || *p == ':' || *p == '('))
			open |= *p == '(', sep = 1, p++;
		else if (e - p >= 3 && (memcmp(p, "\xef\xbc\x9a", 3) == 0 ||
		    memcmp(p, "\xef\xbc\x88", 3) == 0 ||	/* ： （ */
		    memcmp(p, "\xe3\x80\x80", 3) == 0))
			open |= p[2] == '\x88', sep = 1, p += 3;
		else
			break;
	}
	if (!sep)
		return 0;
	while (p < e && ((*p >= '0' && *p <= '9') || (digits && *p == ',')))
		p++, digits++;
	if (digits == 0 || p[-1] == ',')
		return 0;
	while (p < e && *p == ' ')
		p++;
	for (w = count_units; *w != NULL && p < e; w++) {
		size_t k = strlen(*w);

		if ((size_t)(e - p) >= k && strncasecmp(p, *w, k) == 0 &&
		    (p + k == e || p[k] == ')' || (unsigned char)p[k] == 0xef)) {
			p += k;
			break;
		}
	}
	if (open && p < e && *p == ')')
		p++;
	else if (open && e - p >= 3 && memcmp(p, "\xef\xbc\x89", 3) == 0)
		p += 3;						/* ） */
	return p == e;
}

/*
 * Whether a trimmed cell may start a totals word: su, to, gr, or the
 * bytes of 合 总 總 小.  Every sale comes here, so that a store like SH001
 * or a name costs no word list.
 */
static inline int
totals_start(const char *s, size_t k)
{
	if (k < 3)
		return 0;
	if ((unsigned char)s[0] < 0x80) {
		int a = s[0] | 0x20, b = s[1] | 0x20;

		return (a == 's' && b == 'u') || (a == 't' && b == 'o') ||
		    (a == 'g' && b == 'r');
	}
	return memcmp(s, "\xe5\x90\x88", 3) == 0 ||
	    memcmp(s, "\xe6\x80\xbb", 3) == 0 ||
	    memcmp(s, "\xe7\xb8\xbd", 3) == 0 ||
	    memcmp(s, "\xe5\xb0\x8f", 3) == 0;
}

/* A trimmed cell that is a totals word, or one with its count (合计：60人). */
static int
totals_cell(const char *s, size_t k)
{
	if (!totals_start(s, k))
		return 0;
	/* The words' lengths: 3, 5-9, 11 or 12 bytes. */
	if (k <= 12 && ((0x1be8u >> k) & 1) && oneof(s, k, totals_words))
		return 1;
	/* A count after a word: the word first (a SKU TOP-1234 is none). */
	if ((unsigned char)s[0] < 0x80 ? !(k > 5 && strncasecmp(s, "total",
	    5) == 0) && !(k > 3 && strncasecmp(s, "sum", 3) == 0) &&
	    !(k > 8 && strncasecmp(s, "sub", 3) == 0) && !(k > 11 &&
	    strncasecmp(s, "grand total", 11) == 0) : !(k > 6 &&
	    (memcmp(s + 3, "\xe8\xae\xa1", 3) == 0 ||	/* 计 */
	    memcmp(s + 3, "\xe8\xa8\x88", 3) == 0)))		/* 計 */
		return 0;
	return totals_count(s, k);
}

/*
 * Is field f of a sale row a totals word, or one with its count?  A row whose receipt id or store
 * is one (for a walk-in), or whose sku is one, is a report's totals or
 * subtotal row, whatever else it holds (a daily report puts the day in
 * its date column, a receipt's subtotal its receipt id and member).
 */
static int
totals_field(const struct row *r, int f)
{
	const char *s = r->p[f];
	size_t k = r->n[f];

	if (s == NULL)
		return 0;
	trim(&s, &k);
	return totals_cell(s, k);
}

/* The field that names a profile, contact or roster row. */
static int
key_field(enum kind kind)
{
	switch (kind) {
	case KIND_MEMBERS:
		return MB_CUSTOMER_ID;
	case KIND_CONTACTS:
		return CT_CUSTOMER_ID;
	case KIND_STAFF:
		return SF_STAFF_ID;
	default:
		return -1;
	}
}

/* A member, contact or assistant called 合计 or Total is a totals row. */
static int
totals_id(const struct conv *c, const struct row *r)
{
	int f = key_field(c->o->kind);
	const char *s;
	size_t k;

	if (f < 0 || (s = r->p[f]) == NULL)
		return 0;
	k = r->n[f];
	trim(&s, &k);
	return totals_cell(s, k);
}

static int
is_totals(const struct conv *c, const struct row *r, const struct recbatch *b,
    const struct csv_rec *br)
{
	int i, hint;
	int datef = c->o->kind == KIND_TXN ? TX_TS : c->o->kind ==
	    KIND_CONTACTS ? CT_DATE : -1;
	int64_t ts;

	/*
	 * A profile's name or note may be a totals word ("Sum"): in a row
	 * with an id only the id tells.
	 */
	if (c->o->kind != KIND_TXN) {
		int f = key_field(c->o->kind);

		if (totals_id(c, r))
			return 1;
		if (r->p[f] != NULL && r->n[f] > 0)
			return 0;
	}
	/*
	 * A totals word in any cell; in a sale, a count beside it only in a
	 * cell that names the row (a product called "Total 90" is a
	 * product).  A profile or contact without an id is no row anyway.
	 */
	for (i = 0; i < br->nf; i++) {
		size_t k;
		const char *s = rec_field(b, br, i, &k);

		trim(&s, &k);
		if (k > 0 && ((k < 24 && oneof(s, k, totals_words)) ||
		    (c->o->kind != KIND_TXN && totals_count(s, k))))
			break;
	}
	if (i == br->nf && !(c->o->kind == KIND_TXN &&
	    (totals_field(r, TX_TXN_ID) || totals_field(r, TX_STORE_ID) ||
	    totals_field(r, TX_CUSTOMER_ID))))
		return 0;
	if (datef >= 0 && r->p[datef] != NULL && r->n[datef] > 0) {
		int rc = date_parse_loose(r->p[datef], r->n[datef],
		    DATE_ORDER_MDY | DATE_YY, &ts, &hint);

		if (rc == DATE_OK || rc == DATE_YY2 || rc == DATE_WDAY) {
			/* A dated row is one only without a receipt id. */
			const char *t = c->o->kind == KIND_TXN ?
			    r->p[TX_TXN_ID] : NULL;
			size_t tn = t != NULL ? r->n[TX_TXN_ID] : 0;

			/* No receipt id column: no receipt id (a sale's). */
			if (t == NULL)
				return c->o->kind == KIND_TXN;
			trim(&t, &tn);
			return tn == 0;
		}
	}
	return 1;
}

static void count_line(struct conv *, const struct recbatch *,
    const struct csv_rec *);
static inline void fill_row(struct conv *, const struct recbatch *,
    const struct csv_rec *, int, struct row *);
static void process(struct conv *c, const struct recbatch *b,
    const struct csv_rec *br, int enc);

/* Hold a row until the file shows its date order. */
static void
wait_row(struct conv *c, const struct recbatch *b, const struct csv_rec *br,
    int enc, int amb)
{
	struct fileconv *fc = &c->fc;

	fc->namb += amb;
	c->st.rows--;		/* counted when it is decided */
	c->havekey = 0;
	recbatch_copy(&fc->pending, b, br);
	/* Its number on its receipt, taken when it was read. */
	fc->pending.r[fc->pending.nr - 1].tag = c->rline;
	if (fc->resetnext) {
		fc->pending.r[fc->pending.nr - 1].flags |= REC_EXPORT;
		fc->resetnext = 0;
	}
	fc->penc = enc;
}

/* A file's decimal mark starts afresh: its start, or a repeated header. */
static void
mark_reset(struct conv *c)
{
	struct fileconv *fc = &c->fc;

	fc->mark = c->o->decimal_mark;
	fc->markamb = 0;
	fc->markafter = 0;
	fc->markother = 0;
	fc->markbad = 0;
}

/*
 * An accepted row, in the file's order, and the file's decimal mark: the
 * first row that shows one sets it.  Numbers read before it with a point
 * that a comma reads otherwise (2,125; 1.299) were misread if it is a
 * comma.  And a file that shows both marks, one of them maybe a slip,
 * where the mark it took decided numbers the other reads otherwise, may
 * have misread them.  Either way the run fails, saying so, rather than
 * keep them.
 */
static void
settle_mark(struct conv *c, long line)
{
	struct fileconv *fc = &c->fc;

	if (fc->mark != 0 && c->o->decimal_mark == 0) {
		if (fc->markbad)
			return;
		if (c->rowamb && fc->markafter++ == 0)
			fc->markafterline = line;
		if (c->rowmark != 0 && c->rowmark != fc->mark &&
		    fc->markother++ == 0)
			fc->markotherline = line;
		if (fc->markafter == 0 || fc->markother == 0)
			return;
		cv_msgat(fc->name, line, "the file's numbers have a decimal "
		    "%s from line %ld, and a %s on line %ld; %lld number%s "
		    "(the first on line %ld) %s read with the %s, %s: give "
		    "--decimal-mark comma or point",
		    fc->mark == ',' ? "comma" : "point", fc->markline,
		    fc->mark == ',' ? "point" : "comma", fc->markotherline,
		    fc->markafter, fc->markafter == 1 ? "" : "s",
		    fc->markafterline, fc->markafter == 1 ? "was" : "were",
		    fc->mark == ',' ? "comma" : "point", fc->mark == ',' ?
		    "2,125 as 2.125 and 1.299 as 1299" :
		    "2,125 as 2125 and 1.234 as 1.234");
		fc->markbad = 1;
		if (c->status == 0)
			c->status = EX_DATAERR;
		return;
	}
	if (fc->mark != 0)
		return;
	if (c->rowmark == 0) {
		if (c->rowamb && fc->markamb++ == 0)
			fc->markambline = line;
		return;
	}
	fc->mark = c->rowmark;
	fc->markline = line;
	if (c->rowamb) {
		fc->markafter = 1;
		fc->markafterline = line;
	}
	if (fc->mark == ',' && fc->markamb > 0) {
		cv_msgat(fc->name, line, "this row's numbers have a decimal "
		    "comma, but %lld number%s on rows before it (the first on "
		    "line %ld) %s read with a point, 2,125 as 2125 and 1.299 "
		    "as 1.299: give --decimal-mark comma or point",
		    fc->markamb, fc->markamb == 1 ? "" : "s", fc->markambline,
		    fc->markamb == 1 ? "was" : "were");
		fc->markbad = 1;
		if (c->status == 0)
			c->status = EX_DATAERR;
	}
}

/* Go back over rows held for an unsettled date order. */
static void
flush_pending(struct conv *c)
{
	struct fileconv *fc = &c->fc;
	struct recbatch p = fc->pending;
	int i;

	memset(&fc->pending, 0, sizeof(fc->pending));
	fc->settled = 0;
	fc->namb = 0;
	fc->pnumbad = 0;
	for (i = 0; i < p.nr; i++)
		process(c, &p, &p.r[i], fc->penc);
	/* A repeated header after them, and no row waited after it. */
	if (fc->resetnext && fc->pending.nr == 0) {
		mark_reset(c);
		fc->resetnext = 0;
	}
	/* Keep the storage for reuse. */
	recbatch_clear(&p);
	if (fc->pending.nr == 0) {
		recbatch_free(&fc->pending);
		fc->pending = p;
	} else
		recbatch_free(&p);
}

/*
 * The waiting rows fill the queue: stop waiting.  They are decided in
 * order, their day/month dates rejected, and so are later ones unless a
 * later row shows the order; then the row that did not fit is taken.
 */
static void
give_up(struct conv *c, const struct recbatch *b, const struct csv_rec *br,
    int enc)
{
	struct fileconv *fc = &c->fc;
	struct csv_rec cur = *br;

	cur.tag = c->rline;	/* its receipt line, numbered once */
	fc->never = 1;
	fc->neverwhy = QUEUE_DETAIL;
	flush_pending(c);
	c->st.rows--;		/* process() counts it again */
	process(c, b, &cur, enc);
}

/* Once the header is known: the header name of each field. */
static void
set_colnames(struct conv *c)
{
	struct fileconv *fc = &c->fc;
	int f, j;

	fc->nfields = hdrmap_nfields(c->map);
	for (f = 0; f < fc->nfields; f++) {
		j = fc->where[f];
		fc->colname[f] = j < 0 ? NULL : c->ncolumns > 0 ?
		    c->columns[j] : fc->hdr.p + fc->hdroff[j];
	}
	fc->colname[TX_TSPART] = fc->tspart < 0 ? NULL : c->ncolumns > 0 ?
	    c->columns[fc->tspart] : fc->hdr.p + fc->hdroff[fc->tspart];
}

/*
 * A sales header with its date and its time of day in two columns: of
 * the columns left over that could also be the time (销售日期 beside
 * 销售时间, Time beside Date), the one with the best synonym holds the
 * other half.  Two at the same rank are left alone: which one it is would
 * be a guess.
 */
static void
find_tspart(struct conv *c, const char *const *cells, const size_t *lens,
    int nf)
{
	struct fileconv *fc = &c->fc;
	int i, p, best = 1000, tie = 0;

	fc->tspart = -1;
	if (c->o->kind != KIND_TXN || fc->where[TX_TS] < 0)
		return;
	for (i = 0; i < nf; i++) {
		if (fc->col[i] >= 0 || (p = hdrmap_could_be(c->map, TX_TS,
		    cells[i], lens[i])) < 0 || p > best)
			continue;
		tie = p == best;
		best = p;
		fc->tspart = i;
	}
	if (tie)
		fc->tspart = -1;
}

static int map_columns(struct conv *, struct cv_error *);

/*
 * The money columns of a sales header, once mapped.  A unit price the
 * user named with --map is used even when a column with a generic name
 * (an order's Total, 金额) could be the amount.  A selling price found by
 * name (售价, Price) is refused beside a discount column when no column
 * holds the amount: the amount would be the price before the discount.
 * Returns -1 with e filled.
 */
static int
money_columns(struct conv *c, const char *const *cells, const size_t *lens,
    int nf, struct cv_error *e)
{
	struct fileconv *fc = &c->fc;
	int a = fc->where[TX_AMOUNT], u = fc->where[TX_UNIT_PRICE], i;
	char q1[CV_QUOTE_MAX], q2[CV_QUOTE_MAX];

	if (c->o->kind != KIND_TXN || u < 0)
		return 0;
	if (hdrmap_override_of(c->map, TX_UNIT_PRICE) != NULL) {
		/* Only a generic name (Total, 金额) gives way, never 实收金额. */
		if (a >= 0 && hdrmap_override_of(c->map, TX_AMOUNT) == NULL &&
		    hdrmap_could_be(c->map, TX_AMOUNT, cells[a], lens[a]) >=
		    HDRMAP_AMOUNT_GENERIC) {
			fc->col[a] = -1;
			fc->where[TX_AMOUNT] = -1;
		}
		return 0;
	}
	/* Only a selling price (售价, Price) may be before a discount. */
	if (a >= 0 || hdrmap_could_be(c->map, TX_UNIT_PRICE, cells[u],
	    lens[u]) < HDRMAP_PRICE_SELLING)
		return 0;
	for (i = 0; i < nf; i++)
		if (fc->col[i] < 0 && hdrmap_discount(c->map, cells[i],
		    lens[i])) {
			cv_quote(q2, sizeof(q2), cells[u], lens[u]);
			return cv_fail(e, EX_DATAERR, "column '%s' holds "
			    "discounts and no column holds the amount paid: "
			    "quantity times '%s' would be the price before the "
			    "discount; name the amount paid with --map "
			    "amount=HEADER, or give --map unit_price='%s' if "
			    "it is the price paid", cv_quote(q1, sizeof(q1),
			    cells[i], lens[i]), q2, q2);
		}
	return 0;
}

static void
start_file(struct conv *c, int idx, const char *name)
{
	struct fileconv *fc = &c->fc;
	struct cv_error e;

	fc->name = name;
	fc->data = 0;
	fc->broken = 0;
	fc->badhdr = 0;
	fc->tspart = -1;
	fc->preamble = 0;
	recbatch_clear(&fc->pre);
	recbatch_clear(&fc->held);
	recbatch_clear(&fc->foot);
	fc->titles.len = 0;
	fc->order = c->o->date_order;
	mark_reset(c);
	fc->resetnext = 0;
	fc->pnumbad = 0;
	fc->settled = 0;
	fc->never = 0;
	fc->namb = 0;
	fc->optx = 0;
	fc->opttick = 0;
	fc->rows = fc->accepted = fc->rejected = fc->dups = 0;
	receipt_lines_reset(fc);
	c->curfile = idx;
	c->st.files++;
	if (c->ncolumns > 0)
		(void)map_columns(c, &e);	/* checked at the start */
}

/*
 * Headerless input: the names --columns gave are the header, mapped as a
 * header line is.  Returns -1 with e filled when two names could be the
 * same field.
 */
static int
map_columns(struct conv *c, struct cv_error *e)
{
	struct fileconv *fc = &c->fc;

	fc->ncol = c->ncolumns;
	fc->col = xreallocarray(fc->col, (size_t)fc->ncol, sizeof(int));
	if (hdrmap_header(c->map, (const char *const *)c->columns, c->collen,
	    fc->ncol, fc->col, fc->where, e) < 0 ||
	    money_columns(c, (const char *const *)c->columns, c->collen,
	    fc->ncol, e) < 0)
		return -1;
	find_tspart(c, (const char *const *)c->columns, c->collen, fc->ncol);
	fc->hdr.len = 0;
	fc->data = 1;
	set_colnames(c);
	return 0;
}

static int
missing_fields(struct conv *c, struct buf *msg)
{
	struct fileconv *fc = &c->fc;
	int f, miss = 0;

	msg->len = 0;
	for (f = 0; f < hdrmap_nfields(c->map); f++) {
		const char *h = hdrmap_override_of(c->map, f);

		if (h != NULL && fc->where[f] < 0 && c->ncolumns == 0) {
			/* A --map header that is not there: never ignored. */
			buf_printf(msg, "%s'%s' (--map %s=%s)", miss ? ", " : "",
			    h, hdrmap_field(c->map, f), h);
			miss++;
			continue;
		}
		if (!hdrmap_required(c->map, f) || fc->where[f] >= 0)
			continue;
		buf_printf(msg, "%s'%s'", miss ? ", " : "", hdrmap_field(c->map, f));
		miss++;
	}
	if (c->o->kind == KIND_TXN && fc->where[TX_AMOUNT] < 0 &&
	    fc->where[TX_UNIT_PRICE] < 0) {
		buf_printf(msg, "%s'amount' (or 'unit_price')", miss ? ", " : "");
		miss++;
	}
	return miss;
}

/* Try a record as the header line; returns 1 if it is one. */
static int
try_header(struct conv *c, const struct recbatch *b, const struct csv_rec *br)
{
	struct fileconv *fc = &c->fc;
	const char **cells;
	size_t *lens;
	struct cv_error e;
	int i, k, nf = br->nf;
	struct buf msg = BUF_INIT;

	/* Only header candidates come here: no row pays for these. */
	cells = xcalloc((size_t)nf + 1, sizeof(*cells));
	lens = xcalloc((size_t)nf + 1, sizeof(*lens));
	for (i = 0; i < nf; i++)
		cells[i] = rec_field(b, br, i, &lens[i]);
	fc->col = xreallocarray(fc->col, (size_t)nf + 1, sizeof(int));
	k = hdrmap_header(c->map, cells, lens, nf, fc->col, fc->where, &e);
	if (k < 0) {
		cv_msgat(fc->name, br->line, "%s", e.msg);
		fc->broken = 1;
		fc->badhdr = br->line;
		c->status = c->status ? c->status : EX_DATAERR;
		free(cells);
		free(lens);
		return 1;
	}
	if (k < 2) {
		free(cells);
		free(lens);
		return 0;
	}
	fc->ncol = nf;
	find_tspart(c, cells, lens, nf);
	if (money_columns(c, cells, lens, nf, &e) < 0) {
		cv_msgat(fc->name, br->line, "%s", e.msg);
		fc->broken = 1;
		fc->badhdr = br->line;
		c->status = c->status ? c->status : EX_DATAERR;
	} else if (missing_fields(c, &msg) > 0) {
		struct buf found = BUF_INIT;
		char q[CV_QUOTE_MAX];

		for (i = 0; i < nf; i++)
			buf_printf(&found, "%s'%s'", i ? ", " : "",
			    cv_quote(q, sizeof(q), cells[i], lens[i]));
		cv_msgat(fc->name, br->line, "no column for %s (the columns are "
		    "%s); name it with --map FIELD=HEADER", msg.p, found.p);
		buf_free(&found);
		fc->broken = 1;
		fc->badhdr = br->line;
		c->status = c->status ? c->status : EX_DATAERR;
	} else if (!c->o->quiet && (c->o->kind == KIND_MEMBERS ||
	    c->o->kind == KIND_CONTACTS) && hdrmap_unread(c->map, cells, lens,
	    nf, fc->col, &msg) > 0)
		/* A synonym missing shows the first night, not on a call list. */
		cv_msgat(fc->name, 0, "columns not read: %s", msg.p);
	buf_free(&msg);
	/* Keep the header cells to spot a header repeated in the data. */
	fc->hdr.len = 0;
	fc->hdroff = xreallocarray(fc->hdroff, (size_t)nf + 1, sizeof(size_t));
	for (i = 0; i < nf; i++) {
		fc->hdroff[i] = fc->hdr.len;
		buf_add(&fc->hdr, cells[i], lens[i]);
		buf_addc(&fc->hdr, '\0');
	}
	fc->hdroff[nf] = fc->hdr.len;
	fc->data = 1;
	set_colnames(c);
	free(cells);
	free(lens);
	return 1;
}

static void	reject_held(struct conv *);

/* The first field from i on that is not empty once trimmed, or br->nf. */
static int
filled_from(const struct recbatch *b, const struct csv_rec *br, int i)
{
	for (; i < br->nf; i++) {
		size_t n;
		const char *p = rec_field(b, br, i, &n);

		trim(&p, &n);
		if (n > 0)
			break;
	}
	return i;
}

/* Reject a row whose field count is not the header's. */
static void
reject_fields(struct conv *c, const struct recbatch *b,
    const struct csv_rec *br)
{
	struct verdict v;
	const char *raw;
	size_t rawlen;

	count_line(c, b, br);
	rejectf(&v, R_FIELDS, "%d field%s, the header has %d", br->nf,
	    br->nf == 1 ? "" : "s", c->fc.ncol);
	csvin_text(b, br, &c->text, &raw, &rawlen);
	reject_row(c, raw, rawlen, br->line, &v);
}

/* The text of a record, blanks at its ends trimmed. */
static void
rec_text(struct conv *c, const struct recbatch *b, const struct csv_rec *br,
    const char **p, size_t *n)
{
	csvin_text(b, br, &c->text, p, n);
	trim(p, n);
}

/* Keep the texts of the title lines above the header (fc->pre). */
static void
keep_titles(struct conv *c)
{
	struct fileconv *fc = &c->fc;
	const char *p;
	size_t n;
	int i;

	fc->titles.len = 0;
	for (i = 0; i < fc->pre.nr; i++) {
		rec_text(c, &fc->pre, &fc->pre.r[i], &p, &n);
		if (n == 0 || memchr(p, '\0', n) != NULL)
			continue;
		buf_add(&fc->titles, p, n);
		buf_addc(&fc->titles, '\0');
	}
}

/* Is the record's text one of the title lines above the header? */
static int
is_title(struct conv *c, const struct recbatch *b, const struct csv_rec *br)
{
	const char *p, *t, *end;
	size_t n;

	rec_text(c, b, br, &p, &n);
	end = c->fc.titles.p + c->fc.titles.len;
	for (t = c->fc.titles.p; t < end; t += strlen(t) + 1)
		if (strlen(t) == n && memcmp(t, p, n) == 0)
			return 1;
	return 0;
}

/*
 * Does a record shorter than the header look like a report's footer line:
 * one cell that is not empty, holding text beyond ASCII (共60条记录,
 * 导出人：张三), a colon (Printed: ...) or a number among words (Page 1
 * of 3); not a lone id cut short, a totals word, nor a row quoted whole
 * or with another delimiter (separators in it)?
 */
static int
is_footer(const struct recbatch *b, const struct csv_rec *br)
{
	int i = filled_from(b, br, 0), text = 0, digit = 0, blank = 0, seps = 0;
	int colon = 0, letter = 0;
	const char *p;
	size_t n, k;

	if (i == br->nf || filled_from(b, br, i + 1) != br->nf)
		return 0;
	p = rec_field(b, br, i, &n);
	trim(&p, &n);
	if ((n < 24 && oneof(p, n, totals_words)) || totals_count(p, n))
		return 0;
	/*
	 * Not what a row cut short leaves in its first cell: a date or a
	 * number (2026-11-20 10:1), a name or a store (王芳, 上海南京路店),
	 * an id (SH01-2026): a footer says something of a count, a page or
	 * who and when (共60条记录, 导出人：张三, Page 1 of 3, Printed: ...).
	 */
	if (n == 0 || (p[0] >= '0' && p[0] <= '9'))
		return 0;
	for (k = 0; k < n; k++) {
		unsigned char ch = (unsigned char)p[k];

		text |= ch >= 0x80;
		colon |= ch == ':' || (ch == 0xef && n - k >= 3 &&
		    memcmp(p + k, "\xef\xbc\x9a", 3) == 0);	/* ： */
		letter |= ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z');
		digit |= ch >= '0' && ch <= '9';
		blank |= ch == ' ';
		seps += ch == ',' || ch == ';' || ch == '\t' || ch == '|';
	}
	if (seps >= 2)
		return 0;
	return text ? digit || colon : letter && blank && (digit || colon);
}

static int
is_header_again(const struct fileconv *fc, const struct recbatch *b,
    const struct csv_rec *br)
{
	int i;

	if (fc->hdr.len == 0 || br->nf != fc->ncol)
		return 0;
	for (i = 0; i < br->nf; i++) {
		size_t n;
		const char *p = rec_field(b, br, i, &n);

		/* Excel exports joined with cat: each header has a BOM. */
		if (i == 0 && n >= 3 && (unsigned char)p[0] == 0xef &&
		    memcmp(p, "\xef\xbb\xbf", 3) == 0) {
			p += 3;
			n -= 3;
		}
		if (n != fc->hdroff[i + 1] - fc->hdroff[i] - 1 ||
		    memcmp(p, fc->hdr.p + fc->hdroff[i], n) != 0)
			return 0;
	}
	return 1;
}

/* No header was found: the records held back are rows after all. */
static void
reject_pre(struct conv *c)
{
	struct fileconv *fc = &c->fc;
	struct verdict v;
	int i;

	for (i = 0; i < fc->pre.nr; i++) {
		const struct csv_rec *br = &fc->pre.r[i];

		const char *raw;
		size_t rawlen;

		c->st.rows++;
		if (fc->badhdr > 0)
			rejectf(&v, R_NOHEADER, "the header on line %ld was "
			    "refused (see its message)", fc->badhdr);
		else
			rejectf(&v, R_NOHEADER, "the file has no usable header "
			    "line");
		csvin_text(&fc->pre, br, &c->text, &raw, &rawlen);
		reject_row(c, raw, rawlen, br->line, &v);
	}
	recbatch_clear(&fc->pre);
}

/*
 * For a file with no header found: its lines were read as GBK, guessed
 * from bytes that were not UTF-8; a Big5 file (Taiwan, Hong Kong) reads
 * as GBK without a bad byte, its headers turned to other characters.
 */
static const char *
guessed_gbk(const struct conv *c)
{
	if (c->o->encoding != ENC_AUTO || c->fc.henc != ENC_GBK)
		return "";
	return "; its lines were read as GBK, guessed from their bytes: if "
	    "the file is in another encoding, give --encoding big5, utf-8 or "
	    "cp1252";
}

static void
process(struct conv *c, const struct recbatch *b, const struct csv_rec *br,
    int enc)
{
	struct fileconv *fc = &c->fc;
	struct verdict v;
	struct row r;
	const char *raw;
	size_t rawlen;
	int rc, nf, numbad;

	if (!fc->data && !fc->broken) {
		fc->henc = enc;
		if (!(br->flags & (CSVREC_BADENC | CSVREC_BROKEN)) &&
		    try_header(c, b, br)) {
			/* Title lines above the header are not rows. */
			c->skipped += fc->pre.nr;
			keep_titles(c);
			recbatch_clear(&fc->pre);
			return;
		}
		recbatch_copy(&fc->pre, b, br);
		fc->preamble++;
		if (fc->preamble >= PREAMBLE_MAX) {
			cv_msgat(fc->name, 0, "no header line in the first %d "
			    "records: none of them names the columns cv needs "
			    "(use --columns for a file without a header, or "
			    "--map FIELD=HEADER)%s", PREAMBLE_MAX,
			    guessed_gbk(c));
			fc->broken = 1;
			c->status = c->status ? c->status : EX_DATAERR;
			reject_pre(c);
		}
		return;
	}
	/*
	 * A line of empty fields (",,,,," where Excel saved formatted empty
	 * rows) is a blank line, not a row.
	 */
	if (!(br->flags & (CSVREC_BADENC | CSVREC_BROKEN)) &&
	    filled_from(b, br, 0) == br->nf)
		return;
	/*
	 * A line equal to a title line above the header is held until the
	 * next record tells: before a repeated header it is a title line
	 * again, else a row with the wrong number of fields.
	 */
	if (fc->titles.len > 0 && !fc->broken && br->nf != fc->ncol &&
	    !(br->flags & (CSVREC_BADENC | CSVREC_BROKEN)) &&
	    is_title(c, b, br)) {
		if (fc->held.nr >= PREAMBLE_MAX)
			reject_held(c);
		recbatch_copy(&fc->held, b, br);
		return;
	}
	if (br->nf < fc->ncol && fc->data && !fc->broken &&
	    !(br->flags & (CSVREC_BADENC | CSVREC_BROKEN)) &&
	    is_footer(b, br)) {
		if (fc->foot.nr >= PREAMBLE_MAX)
			reject_held(c);
		recbatch_copy(&fc->foot, b, br);
		return;
	}
	if (fc->held.nr > 0 || fc->foot.nr > 0) {
		if (!(br->flags & (CSVREC_BADENC | CSVREC_BROKEN)) &&
		    is_header_again(fc, b, br)) {
			c->skipped += fc->held.nr;
			c->footer += fc->foot.nr;
			recbatch_clear(&fc->held);
			recbatch_clear(&fc->foot);
		} else
			reject_held(c);
	}
	c->st.rows++;
	if (fc->broken) {
		if (fc->badhdr > 0)
			rejectf(&v, R_NOHEADER, "the header on line %ld was "
			    "refused (see its message)", fc->badhdr);
		else
			rejectf(&v, R_NOHEADER, "the file has no usable header "
			    "line");
		csvin_text(b, br, &c->text, &raw, &rawlen);
		reject_row(c, raw, rawlen, br->line, &v);
		return;
	}
	if (br->flags & CSVREC_BROKEN) {
		rejectf(&v, R_BROKEN, "%s (a quote in a field is written twice, "
		    "and nothing follows the closing one)",
		    br->flags & CSVREC_STRAY ? "text follows the quote that "
		    "closes a quoted field" : "a quoted field is never closed");
		csvin_text(b, br, &c->text, &raw, &rawlen);
		reject_row(c, raw, rawlen, br->line, &v);
		return;
	}
	if (br->flags & CSVREC_BADENC) {
		count_line(c, b, br);
		rejectf(&v, R_ENCODING, "bytes that are not valid %s%s",
		    csvin_enc_name(enc), c->o->encoding != ENC_AUTO ? "" :
		    enc == ENC_GBK ? " (if the file is not GBK, give "
		    "--encoding utf-8, or cp1252 for Excel's plain CSV in "
		    "English or European settings)" : " (give --encoding if "
		    "the file's encoding was guessed wrong)");
		csvin_text(b, br, &c->text, &raw, &rawlen);
		reject_row(c, raw, rawlen, br->line, &v);
		return;
	}
	if (br->flags & REC_EXPORT)
		mark_reset(c);
	if (is_header_again(fc, b, br)) {
		c->st.rows--;		/* a page header, not a row */
		receipt_lines_reset(fc);
		/*
		 * Another export: it shows its own decimal mark, from the
		 * header's place in the file (rows before it that wait for
		 * the date order are read later: the next row to wait is
		 * marked where the mark starts afresh).
		 */
		if (fc->pending.nr > 0)
			fc->resetnext = 1;
		else
			mark_reset(c);
		return;
	}
	nf = br->nf;
	if (nf > fc->ncol) {
		/* Trailing empty fields are harmless (a trailing comma). */
		if (filled_from(b, br, fc->ncol) == nf)
			nf = fc->ncol;
	}
	fill_row(c, b, br, nf, &r);
	if (nf != fc->ncol) {
		if (is_totals(c, &r, b, br)) {
			rejectf(&v, R_TOTALS, "a totals row");
			csvin_text(b, br, &c->text, &raw, &rawlen);
			reject_row(c, raw, rawlen, br->line, &v);
			return;
		}
		reject_fields(c, b, br);
		return;
	}
	switch (c->o->kind) {
	case KIND_TXN:
		if (r.p[TX_LINE] == NULL || r.n[TX_LINE] == 0)
			c->rline = br->tag != 0 ? br->tag : receipt_line(c, &r);
		rc = conv_txn(c, &r, &v);
		break;
	case KIND_MEMBERS:
		rc = conv_members(c, &r, &v);
		break;
	case KIND_CONTACTS:
		rc = conv_contacts(c, &r, &v);
		break;
	default:
		rc = conv_staff(c, &r, &v);
		break;
	}
	if (rc == PENDING) {
		if (fc->namb >= PENDING_MAX) {
			bad_value(&v, R_AMBIG, "ambiguous date", &r, fc->ambf,
			    PENDING_DETAIL);
			csvin_text(b, br, &c->text, &raw, &rawlen);
			reject_row(c, raw, rawlen, br->line, &v);
		} else if (fc->pending.nr - fc->pnumbad >= QUEUE_MAX)
			give_up(c, b, br, enc);
		else
			wait_row(c, b, br, enc, 1);
		return;
	}
	/* A totals row has no member: only walk-in sales are looked at. */
	if (rc == OK && (c->o->kind == KIND_TXN ? (c->idn == 0 &&
	    (totals_field(&r, TX_TXN_ID) || totals_field(&r, TX_STORE_ID))) ||
	    totals_field(&r, TX_SKU) : totals_id(c, &r)))
		rc = rejectf(&v, R_TOTALS, "a totals row");
	if (rc == OK && (c->o->kind != KIND_TXN || c->special) &&
	    memchr(c->line.p, '\0', c->line.len) != NULL) {
		/* No cv stream holds a NUL: it is binary data, not text. */
		rc = rejectf(&v, R_ENCODING, "a NUL byte (binary data, not "
		    "text)");
	}
	/* A number the waiting rows' decimal mark may read otherwise. */
	/*
	 * Rows with a bad number wait apart from the limit of waiting rows,
	 * up to as many again, then are rejected at once.
	 */
	numbad = rc == REJECT && (v.why == R_QTY || v.why == R_AMOUNT ||
	    v.why == R_PRICE) && fc->pnumbad < QUEUE_MAX;
	if (fc->settled && fc->pending.nr > 0 && (rc != REJECT || numbad)) {
		/*
		 * This row settled the date order; the rows that waited
		 * for it come before it in the file: it goes behind them,
		 * and all are read again in the file's order (which row
		 * shows the decimal mark first, too).
		 */
		wait_row(c, b, br, enc, 0);
		flush_pending(c);
	} else if (fc->pending.nr > 0 && (rc != REJECT || numbad)) {
		/*
		 * Rows before this one wait for the date order: it waits
		 * behind them, for a later copy of a line must be later in
		 * the input, and is read after them (one with a bad number
		 * too: their numbers may show the decimal mark it is read
		 * with).
		 */
		if (numbad) {
			wait_row(c, b, br, enc, 0);
			fc->pnumbad++;
		} else if (fc->pending.nr - fc->pnumbad >= QUEUE_MAX)
			give_up(c, b, br, enc);
		else
			wait_row(c, b, br, enc, 0);
	} else if (rc == REJECT) {
		/* A report's totals row fails somewhere; say what it is. */
		if (is_totals(c, &r, b, br))
			rejectf(&v, R_TOTALS, "a totals row");
		csvin_text(b, br, &c->text, &raw, &rawlen);
		reject_row(c, raw, rawlen, br->line, &v);
	} else {
		if (c->o->kind == KIND_TXN)
			settle_mark(c, br->line);
		accept_row(c);
	}
	if (fc->settled && fc->pending.nr > 0)
		flush_pending(c);
	fc->settled = 0;
}

/*
 * The record's fields by canonical field, from its first nf fields: a
 * column past them is empty, a field without a column NULL.  For sales,
 * slot TX_TSPART holds the other half of a time written in two columns.
 */
static inline void
fill_row(struct conv *c, const struct recbatch *b, const struct csv_rec *br,
    int nf, struct row *r)
{
	struct fileconv *fc = &c->fc;
	int f, j;

	r->line = br->line;
	r->col = fc->colname;
	r->p[TX_TSPART] = NULL;
	r->n[TX_TSPART] = 0;
	if (c->o->kind == KIND_TXN && (j = fc->tspart) >= 0) {
		r->p[TX_TSPART] = j < nf ? rec_field(b, br, j,
		    &r->n[TX_TSPART]) : "";
	}
	for (f = 0; f < fc->nfields; f++) {
		j = fc->where[f];
		if (j >= 0 && j < nf)
			r->p[f] = rec_field(b, br, j, &r->n[f]);
		else {
			r->p[f] = j >= 0 ? "" : NULL;
			r->n[f] = 0;
		}
	}
}

/*
 * A sale row rejected before its values are read (bad bytes, a field too
 * many or too few) still takes its number on its receipt when the file
 * numbers lines by count, so that the lines after it keep theirs in
 * every export; its receipt is read from the columns where they are.
 */
static void
count_line(struct conv *c, const struct recbatch *b, const struct csv_rec *br)
{
	struct row r;

	if (c->o->kind != KIND_TXN || br->tag != 0)
		return;
	fill_row(c, b, br, br->nf, &r);
	if (r.p[TX_LINE] == NULL || r.n[TX_LINE] == 0)
		(void)receipt_line(c, &r);
}

/*
 * The lines held as possible footer or title lines are rows after all:
 * rejected.
 */
static void
reject_held(struct conv *c)
{
	struct fileconv *fc = &c->fc;
	int i;

	for (i = 0; i < fc->foot.nr; i++) {
		c->st.rows++;
		reject_fields(c, &fc->foot, &fc->foot.r[i]);
	}
	recbatch_clear(&fc->foot);
	for (i = 0; i < fc->held.nr; i++) {
		c->st.rows++;
		reject_fields(c, &fc->held, &fc->held.r[i]);
	}
	recbatch_clear(&fc->held);
}

static void
end_file(struct conv *c, const struct batch *b)
{
	struct fileconv *fc = &c->fc;

	/* One-cell lines at the end are the report's footer. */
	c->footer += fc->foot.nr;
	recbatch_clear(&fc->foot);
	if (fc->held.nr > 0)
		reject_held(c);

	/*
	 * The file never showed its date order: the waiting rows are
	 * decided in order, their day/month dates rejected.
	 */
	fc->never = 1;
	fc->neverwhy = NEVER_DETAIL;
	if (fc->pending.nr > 0)
		flush_pending(c);
	recbatch_clear(&fc->pending);
	settle(c);
	if (!fc->data && b->err.status != 0)
		reject_pre(c);
	if (b->err.status != 0) {
		cv_warnx("%s", b->err.msg);
		if (c->status == 0)
			c->status = b->err.status;
		c->st.file_errors++;
	} else if (!fc->data && !fc->broken) {
		if (fc->preamble == 0)
			cv_msgat(fc->name, 0, "empty input: no header line");
		else
			cv_msgat(fc->name, 0, "no header line: none of the "
			    "%ld records names the columns cv needs (use "
			    "--columns for a file without a header, or "
			    "--map FIELD=HEADER)%s", fc->preamble,
			    guessed_gbk(c));
		reject_pre(c);
		if (c->status == 0)
			c->status = EX_DATAERR;
		c->st.file_errors++;
	} else if (fc->broken)
		c->st.file_errors++;
	if (fc->optx > 0 && fc->opttick)
		cv_msgat(fc->name, fc->optx, "the opt-out column '%s' marks "
		    "with both x and a tick (such as √): x was read as yes, "
		    "opted out, so these members are not called; if x stands "
		    "for \xc3\x97, no, write \xc3\x97 or \xe5\x90\xa6 for it",
		    fc->colname[MB_OPT_OUT]);
	if (!c->o->quiet && c->nfiles > 1)
		cv_msgat(fc->name, 0, "%s%s%s; %lld row%s = %lld accepted + %lld "
		    "rejected + %lld duplicate%s",
		    csvin_enc_name(b->enc),
		    b->delim ? ", " : "", b->delim ? csvin_delim_name(b->delim) :
		    "", fc->rows + fc->rejected, fc->rows + fc->rejected == 1 ?
		    "" : "s", fc->accepted, fc->rejected, fc->dups,
		    fc->dups == 1 ? "" : "s");
}

struct convthread {
	struct conv	*c;
	struct queue	*q;
};

static void *
convert_main(void *arg)
{
	struct convthread *ct = arg;
	struct conv *c = ct->c;
	struct batch *b;
	int i, started = -1;

	if (c->o->dedup != DEDUP_KEEP_LAST)
		dedup_populate(&c->dd);	/* what the resolver does otherwise */
	while ((b = batch_pop(ct->q)) != NULL) {
		if (b->file != started) {
			/* Test hook: a fatal error with the outputs open. */
			if (getenv("CV_TEST_OOM") != NULL)
				cv_errx(EX_OSERR, "out of memory");
			start_file(c, b->file, c->nfiles > 0 ?
			    c->files[b->file] : "<stdin>");
			started = b->file;
		}
		for (i = 0; i < b->rb.nr; i++)
			process(c, &b->rb, &b->rb.r[i], b->enc);
		if (b->end)
			end_file(c, b);
		batch_put(ct->q, b);
	}
	return NULL;
}

/* Columns for headerless files: "customer_id,,ts,qty,amount". */
static void
split_columns(struct conv *c, const char *spec)
{
	const char *s = spec, *t;
	int n = 1, i;

	for (t = spec; *t != '\0'; t++)
		if (*t == ',')
			n++;
	c->ncolumns = n;
	c->columns = xcalloc((size_t)n, sizeof(char *));
	c->collen = xcalloc((size_t)n, sizeof(size_t));
	for (i = 0; i < n; i++) {
		t = strchr(s, ',');
		if (t == NULL)
			t = s + strlen(s);
		c->columns[i] = xstrndup(s, (size_t)(t - s));
		c->collen[i] = (size_t)(t - s);
		s = *t ? t + 1 : t;
	}
}

/*
 * Copy the first len bytes of the spool to o with sendfile.  Returns 0; 1
 * when sendfile cannot, found before anything was copied (the caller then
 * reads and writes instead; after a part, that is a write error); 2 when the
 * spool holds fewer bytes than were written to it; -1 on a write error
 * (in o->errnum).
 */
static int
copy_spool(int from, off_t len, struct cv_out *o)
{
	off_t off = 0;
	ssize_t k;

	out_flush(o);
	if (o->errnum != 0)
		return -1;
	while (off < len) {
		k = sendfile(o->fd, from, &off, (size_t)(len - off) > (1 << 30) ?
		    (1 << 30) : (size_t)(len - off));
		if (k < 0) {
			if (errno == EINTR)
				continue;
			if ((errno == EINVAL || errno == ENOSYS) && off == 0)
				return 1;	/* fall back to read/write */
			o->errnum = errno;
			return -1;
		}
		if (k == 0)
			return 2;	/* the spool is shorter than written */
	}
	return 0;
}

/*
 * Where walk_spool() sends each surviving line: its ordinal, its text
 * without the newline.  Returns 0, or -1 to stop.
 */
typedef int (*spool_put)(void *ctx, uint32_t ord, const char *p, size_t n);

/*
 * Read the spooled lines in fd from offset pos to len, ordinal 0 first,
 * and hand the ones no later copy superseded to fn.  Returns 0, -1 with
 * e filled on a read error, or -1 with e->status 0 when fn failed.
 */
static int
walk_spool(struct conv *c, int fd, const char *name, off_t pos, off_t len,
    spool_put fn, void *ctx, struct cv_error *e)
{
	char *blk = xmalloc(1 << 20);
	struct buf carry = BUF_INIT;
	uint32_t ord = 0;
	ssize_t k;
	int rc = 0;

	while (pos < len) {
		char *p, *end, *nl;

		k = pread(fd, blk, (size_t)(len - pos) < (1 << 20) ?
		    (size_t)(len - pos) : (1 << 20), pos);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			rc = cv_fail(e, EX_IOERR, "%s: %s", name, k < 0 ?
			    strerror(errno) : "short read");
			break;
		}
		pos += k;
		p = blk;
		end = blk + k;
		while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			const char *lp = p;
			size_t ln = (size_t)(nl - p);

			if (carry.len > 0) {
				buf_add(&carry, p, ln);
				lp = carry.p;
				ln = carry.len;
			}
			if (!dedup_gone(&c->dd, ord)) {
				c->st.written++;
				/* A member's profiles laid one over another. */
				if (c->o->kind == KIND_MEMBERS &&
				    profiles_take(&c->held, lp, ln, &c->merged)) {
					lp = c->merged.p;
					ln = c->merged.len;
				}
				if (fn(ctx, ord, lp, ln) < 0) {
					rc = -1;
					e->status = 0;
					goto out;
				}
			} else if (c->o->kind == KIND_MEMBERS &&
			    !dedup_copy(&c->dd, ord))
				/* Superseded, not a copy of the one kept. */
				profiles_hold(&c->held, lp, ln);
			ord++;
			carry.len = 0;
			p = nl + 1;
		}
		if (p < end)
			buf_add(&carry, p, (size_t)(end - p));
	}
out:
	buf_free(&carry);
	free(blk);
	return rc;
}

static int
put_out(void *ctx, uint32_t ord, const char *p, size_t n)
{
	struct cv_out *o = ctx;

	(void)ord;
	out_write(o, p, n);
	out_putc(o, '\n');
	return 0;
}

static int
put_sink(void *ctx, uint32_t ord, const char *p, size_t n)
{
	struct ingest_sink *sink = ctx;

	(void)ord;
	return sink->row(sink->ctx, p, n);
}

/* Send the spool's surviving lines to the output or the sink. */
static int
emit_spool(struct conv *c, int fd, off_t len, struct cv_out *o,
    struct ingest_sink *sink, struct cv_error *e)
{
	if (sink == NULL && c->dd.ngone == 0 && !o->gz) {
		int r = copy_spool(fd, len, o);

		if (r == 2)
			return cv_fail(e, EX_IOERR, "spool file: short read");
		if (r <= 0) {
			c->st.written = c->ord;
			return 0;
		}
	}
	if (sink != NULL)
		return walk_spool(c, fd, "spool file", 0, len, put_sink, sink,
		    e);
	return walk_spool(c, fd, "spool file", 0, len, put_out, o, e);
}

/*
 * An output file written as its own spool keeps its surviving lines by
 * moving them down over the superseded ones.  The lines before the first
 * superseded one stay where they are.
 */
struct squeeze {
	int		 fd;
	off_t		 wpos;		/* where the next kept line goes */
	uint32_t	 kept;		/* lines kept so far */
	char		*wb;		/* kept lines not written yet */
	size_t		 wn, wcap;
	int		 err;		/* errno of a failed write */
};

#define SQUEEZE_BUF	((size_t)1 << 20)

static int
squeeze_flush(struct squeeze *z)
{
	size_t done = 0;
	ssize_t k;

	while (done < z->wn) {
		k = pwrite(z->fd, z->wb + done, z->wn - done,
		    z->wpos + (off_t)done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			z->err = errno;
			return -1;
		}
		done += (size_t)k;
	}
	z->wpos += (off_t)z->wn;
	z->wn = 0;
	return 0;
}

/*
 * A kept line goes where the last one ended.  It is never written past
 * the point where it was read from: the lines only move down.
 */
static int
put_squeeze(void *ctx, uint32_t ord, const char *p, size_t n)
{
	struct squeeze *z = ctx;

	if (ord == z->kept++) {
		z->wpos += (off_t)n + 1;	/* nothing dropped yet */
		return 0;
	}
	if (z->wn + n + 1 > z->wcap) {
		if (squeeze_flush(z) < 0)
			return -1;
		if (n + 1 > z->wcap) {
			z->wcap = n + 1;
			z->wb = xrealloc(z->wb, z->wcap);
		}
	}
	memcpy(z->wb + z->wn, p, n);
	z->wb[z->wn + n] = '\n';
	z->wn += n + 1;
	return 0;
}

/*
 * Drop the superseded lines of an output file written as its own spool
 * (its lines from offset start on) and cut the file after the last kept
 * line.  Returns 0, or -1 with e filled.
 */
static int
squeeze_out(struct conv *c, struct cv_out *o, off_t start,
    struct cv_error *e)
{
	struct squeeze z;
	off_t len;
	int rc;

	out_flush(o);
	if (o->errnum == 0 && c->dd.ngone == 0) {
		c->st.written = c->ord;
		return 0;
	}
	if (o->errnum == 0 && (len = lseek(o->fd, 0, SEEK_CUR)) < 0)
		o->errnum = errno;
	if (o->errnum != 0)
		return cv_fail(e, EX_IOERR, "%s: %s", o->name,
		    strerror(o->errnum));
	memset(&z, 0, sizeof(z));
	z.fd = o->fd;
	z.wpos = start;
	z.wcap = SQUEEZE_BUF;
	z.wb = xmalloc(z.wcap);
	rc = walk_spool(c, o->fd, o->name, start, len, put_squeeze, &z, e);
	if (rc == 0 && (squeeze_flush(&z) < 0 ||
	    ftruncate(o->fd, z.wpos) < 0 || lseek(o->fd, z.wpos, SEEK_SET) < 0))
		z.err = errno;
	if (z.err != 0)
		rc = cv_fail(e, EX_IOERR, "%s: %s", o->name,
		    strerror(z.err));
	free(z.wb);
	return rc;
}

static void
summary(struct conv *c)
{
	struct buf b = BUF_INIT;
	int i, k = 0;

	cv_warnx("%d file%s: %lld row%s = %lld accepted + %lld rejected + %lld "
	    "duplicate%s", c->st.files, c->st.files == 1 ? "" : "s",
	    c->st.rows, c->st.rows == 1 ? "" : "s", c->st.accepted,
	    c->st.rejected, c->st.dups, c->st.dups == 1 ? "" : "s");
	if (c->skipped > 0)
		cv_warnx("%lld title line%s above the header skipped",
		    c->skipped, c->skipped == 1 ? "" : "s");
	if (c->footer > 0)
		cv_warnx("%lld footer line%s below the data skipped",
		    c->footer, c->footer == 1 ? "" : "s");
	if (c->st.replaced > 0)
		cv_warnx("%lld duplicate%s replaced an earlier %s with a later "
		    "export of it", c->st.replaced, c->st.replaced == 1 ? "" : "s",
		    c->o->kind == KIND_TXN ? "line" : "row");
	if (c->st.rejected > 0) {
		for (i = 0; i < R_NREASONS; i++) {
			if (c->byreason[i] == 0)
				continue;
			buf_printf(&b, "%s%s %lld", k++ ? ", " : "",
			    reason_names[i], c->byreason[i]);
		}
		cv_warnx("rejected: %s%s", b.p, c->o->rejects ? "" :
		    " (--rejects FILE keeps them)");
	}
	buf_free(&b);
}

/*
 * About how many bytes of text a file holds: its size, or for a gzip file
 * the larger of that and the size its trailer gives (modulo 2^32, of the
 * last member only: a hint, never trusted for more).  The trailer of a
 * truncated file is any four bytes, so the hint is held to 20 times the
 * file (exports compress 5 to 7 times).  0 when not a file.
 */
static uint64_t
text_bytes(const char *path)
{
	struct stat sb;
	unsigned char m[4];
	uint64_t isize;
	int fd;

	/* Not opened unless a file: opening a FIFO waits for its writer. */
	if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode) ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return 0;
	}
	isize = 0;
	if (sb.st_size >= 18 && pread(fd, m, 2, 0) == 2 && m[0] == 0x1f &&
	    m[1] == 0x8b && pread(fd, m, 4, sb.st_size - 4) == 4)
		isize = (uint64_t)m[0] | (uint64_t)m[1] << 8 |
		    (uint64_t)m[2] << 16 | (uint64_t)m[3] << 24;
	close(fd);
	if (isize > 20 * (uint64_t)sb.st_size)
		isize = 20 * (uint64_t)sb.st_size;
	return isize > (uint64_t)sb.st_size ? isize : (uint64_t)sb.st_size;
}

/*
 * Whether the file system of fd has room for the lines of inbytes of
 * input (a quarter more: the lines gain a column); yes when unknown.
 */
static int
room_for(int fd, uint64_t inbytes)
{
	struct statvfs sv;
	const char *t = getenv("CV_TEST_ROOM");

	if (t != NULL)			/* test hook: the room, in bytes */
		return (uint64_t)strtoull(t, NULL, 10) >= inbytes / 4 * 5;
	if (inbytes == 0 || fstatvfs(fd, &sv) < 0)
		return 1;
	return (uint64_t)sv.f_bavail * sv.f_frsize >= inbytes / 4 * 5;
}

/* ingest_run(), or with optsonly ingest_check_opts(). */
static int
run(const struct ingest_opts *o, char **files, int nfiles,
    struct ingest_stats *st, int optsonly)
{
	struct conv c;
	struct queue q;
	struct reader rd;
	struct batch *bs;
	struct convthread ct;
	struct cv_error e;
	struct cv_out out, spool;
	pthread_t thr;
	char spoolname[4096];
	const char *tmpdir;
	int i, sfd = -1, status = 0, unwritten = 0, nin = nfiles > 0 ? nfiles : 1;
	off_t outstart = 0;
	uint64_t inbytes = 0;
	long long counted;
	double rate;

	memset(&c, 0, sizeof(c));
	c.o = o;
	c.chan = o->channel != NULL ? o->channel : "store";
	c.yy = DATE_YY | DATE_YYORDER(o->date_order);
	c.chann = strlen(c.chan);
	c.files = files;
	c.nfiles = nfiles;
	c.map = hdrmap_new(o->kind);
	c.curfile = -1;
	dedup_init(&c.dd);
	profiles_init(&c.held);
	for (i = 0; i < o->nmaps; i++)
		if (hdrmap_override(c.map, o->maps[i], &e) < 0) {
			cv_warnx("%s", e.msg);
			status = EX_USAGE;
			goto done0;
		}
	for (i = 0; i < o->nwalkins; i++)
		if (add_walkin(&c, o->walkins[i]) < 0) {
			status = EX_USAGE;
			goto done0;
		}
	if (o->id_pattern != NULL &&
	    (c.idre = re_compile(o->id_pattern, RE_ANCHOR, &e)) == NULL) {
		cv_warnx("--id-pattern: %s", e.msg);
		status = EX_USAGE;
		goto done0;
	}
	if (o->columns != NULL) {
		struct buf msg = BUF_INIT;

		split_columns(&c, o->columns);
		if (map_columns(&c, &e) < 0) {
			cv_warnx("--columns '%s': %s", o->columns, e.msg);
			status = EX_USAGE;
		} else if (missing_fields(&c, &msg) > 0) {
			cv_warnx("--columns '%s': no column for %s",
			    o->columns, msg.p);
			status = EX_USAGE;
		}
		buf_free(&msg);
		if (status != 0)
			goto done0;
	}
	if (optsonly)
		goto done0;
	/*
	 * Size the duplicate index from the files' bytes (a sale line is
	 * seldom under 96), so that it grows seldom: a grow holds the old
	 * table and the new one at once.
	 */
	for (i = 0; i < nfiles; i++)
		inbytes += text_bytes(files[i]);
	if (inbytes / 96 > 1024)
		dedup_reserve(&c.dd, (size_t)(inbytes / 96 < 50000000 ?
		    inbytes / 96 : 50000000));
	if (o->dedup == DEDUP_KEEP_LAST)
		c.dp = xcalloc(DPBATCH, sizeof(*c.dp));
	resolver_init(&c.rs, &c.dd, o->dedup == DEDUP_KEEP_LAST);

	/* Outputs first, so that a bad -o fails before any work. */
	if (o->sink == NULL && out_open(&out, o->out, 0, &e) < 0) {
		cv_warnx("%s", e.msg);
		status = e.status;
		goto done0;
	}
	if (o->rejects != NULL) {
		if (out_open(&c.rej, o->rejects, 0, &e) < 0) {
			cv_warnx("%s", e.msg);
			if (o->sink == NULL)
				out_abort(&out);
			status = e.status;
			goto done0;
		}
		c.haverej = 1;
		out_puts(&c.rej, "file\tline\treason\ttext\n");
	}
	/*
	 * The output is its own spool when no line can be dropped after it
	 * is written (--dedup first), and when it is a file of our own: the
	 * temporary file of -o, which can be read back and squeezed, if its
	 * file system has room for every line (TMPDIR may have more).
	 */
	if (o->sink == NULL && (o->dedup == DEDUP_KEEP_FIRST ||
	    (out.tmp != NULL && !out.gz && room_for(out.fd, inbytes)))) {
		c.spool = &out;
		out_puts(&out, headers[o->kind]);
		out_putc(&out, '\n');
		outstart = (off_t)strlen(headers[o->kind]) + 1;
	} else {
		tmpdir = getenv("TMPDIR");
		if (tmpdir == NULL || *tmpdir == '\0')
			tmpdir = "/tmp";
		snprintf(spoolname, sizeof(spoolname), "%s/cv-ingest.XXXXXX",
		    tmpdir);
		if ((sfd = mkstemp(spoolname)) < 0) {
			cv_warn("cannot create a spool file in %s", tmpdir);
			if (o->sink == NULL)
				out_abort(&out);
			if (c.haverej)
				out_abort(&c.rej);
			status = EX_CANTCREAT;
			goto done0;
		}
		unlink(spoolname);
		out_open_fd(&spool, sfd, "spool file");
		c.spool = &spool;
	}
	/*
	 * Compressing a .gz output that is its own spool (--dedup first -o
	 * FILE.gz) goes on in a thread of its own, beside the converter that
	 * fills it.  Plain writes stay in the converter: with five threads on
	 * two CPUs, waking a writer thread for each 256 KiB cost more than
	 * the writes (with it, 3-4% more wall and CPU time at 1M and 10M
	 * lines).  Never for standard output, where the converter's messages
	 * on stderr must stay between whole lines.
	 */
	if (c.spool == &out && out.gz)
		out_async(c.spool);

	/*
	 * This thread parses; the converter converts, the resolver (--dedup
	 * last) decides the duplicates.
	 */
	memset(&q, 0, sizeof(q));
	pthread_mutex_init(&q.mu, NULL);
	pthread_cond_init(&q.cv, NULL);
	bs = xcalloc(NBATCHES, sizeof(*bs));
	for (i = 0; i < NBATCHES; i++) {
		bs[i].next = q.free;
		q.free = &bs[i];
	}
	ct.c = &c;
	ct.q = &q;
	if (o->dedup == DEDUP_KEEP_LAST)
		resolver_start(&c.rs);
	if (pthread_create(&thr, NULL, convert_main, &ct) != 0) {
		if (o->sink == NULL)
			out_abort(&out);
		if (c.haverej)
			out_abort(&c.rej);
		cv_errx(EX_OSERR, "cannot start a thread");
	}
	memset(&rd, 0, sizeof(rd));
	rd.q = &q;
	rd.progress = o->progress && !o->quiet;
	for (i = 0; i < nin; i++) {
		struct csvin ci;

		memset(&ci, 0, sizeof(ci));
		ci.delim = o->delim;
		ci.encoding = o->encoding;
		ci.inflags = IN_THREAD;
		ci.assist = 1;
		rd.file = i;
		rd.name = nfiles > 0 ? files[i] : "<stdin>";
		rd.cur = batch_get(&q);
		rd.cur->file = i;
		ci.batch = &rd.cur->rb;
		if (csvin_read(&ci, nfiles > 0 ? files[i] : NULL, on_record, &rd,
		    &e) < 0 && e.status != 0)
			rd.cur->err = e;
		rd.cur->end = 1;
		rd.cur->enc = ci.enc_used;
		rd.cur->delim = ci.delim_used;
		rd.cur->lines = ci.lines;
		batch_push(&q, rd.cur);
	}
	if (rd.progress && rd.records >= 0x10000)
		fprintf(stderr, "\r\033[K");
	pthread_mutex_lock(&q.mu);
	q.done = 1;
	pthread_cond_broadcast(&q.cv);
	pthread_mutex_unlock(&q.mu);
	pthread_join(thr, NULL);
	resolver_free(&c.rs);
	for (i = 0; i < NBATCHES; i++)
		recbatch_free(&bs[i].rb);
	free(bs);
	recbatch_free(&c.fc.pending);
	recbatch_free(&c.fc.pre);
	recbatch_free(&c.fc.held);
	recbatch_free(&c.fc.foot);
	buf_free(&c.fc.titles);

	/* Decide, then write the output only if the run succeeded. */
	status = c.status;
	/*
	 * Totals rows count neither way.  The limit is compared in whole
	 * numbers (in units of 1e-8), so that 7 of 1000 is not more than
	 * 0.7%.
	 */
	counted = c.st.rows - c.st.exempt;
	rate = counted > 0 ? (double)(c.st.rejected - c.st.exempt) /
	    (double)counted : 0.0;
	if (status == 0 && counted > 0 &&
	    (num_wide)(c.st.rejected - c.st.exempt) * 100000000 >
	    (num_wide)llround(o->max_reject_rate * 1e8) * counted) {
		cv_warnx("%lld of %lld rows rejected (%.2f%%), more than "
		    "--max-reject-rate %g%%", c.st.rejected - c.st.exempt,
		    counted, 100.0 * rate, 100.0 * o->max_reject_rate);
		status = EX_DATAERR;
	}
	if (c.spool == &spool) {
		out_flush(&spool);
		if (spool.errnum != 0) {
			errno = spool.errnum;
			cv_warn("spool file in %s", getenv("TMPDIR") ?
			    getenv("TMPDIR") : "/tmp");
			status = EX_IOERR;
		}
	}
	if (status != 0 && o->sink == NULL && c.spool == &spool)
		unwritten = 1;
	if (status == 0) {
		off_t len = c.spool == &spool ? lseek(sfd, 0, SEEK_CUR) : 0;

		if (o->sink != NULL) {
			if (o->sink->header(o->sink->ctx, headers[o->kind],
			    strlen(headers[o->kind])) < 0 ||
			    emit_spool(&c, sfd, len, NULL, o->sink, &e) < 0)
				status = e.status ? e.status : EX_IOERR;
			if (status != 0 && e.status != 0)
				cv_warnx("%s", e.msg);
		} else if (c.spool == &spool) {
			out_puts(&out, headers[o->kind]);
			out_putc(&out, '\n');
			if (emit_spool(&c, sfd, len, &out, NULL, &e) < 0) {
				cv_warnx("%s", e.msg);
				status = e.status;
			}
		} else if (o->dedup == DEDUP_KEEP_LAST) {
			if (squeeze_out(&c, &out, outstart, &e) < 0) {
				cv_warnx("%s", e.msg);
				status = e.status;
			}
		} else
			c.st.written = c.ord;
	}
	/*
	 * A failed run writes nothing where lines wait in a file of their
	 * own (-o's temporary file, or a spool not yet copied out); with
	 * --dedup first they went to standard output as they came.
	 */
	if (status != 0 && o->sink == NULL && out.tmp != NULL)
		unwritten = 1;
	if (o->sink == NULL) {
		if (status == 0) {
			if (out_close(&out, &e) < 0) {
				cv_warnx("%s", e.msg);
				status = e.status;
			}
		} else
			out_abort(&out);
	}
	if (c.spool == &spool) {
		free(spool.buf);
		close(sfd);
	}
	if (c.haverej && out_close(&c.rej, &e) < 0) {
		cv_warnx("%s", e.msg);
		if (status == 0)
			status = e.status;
	}
	if (!o->quiet)
		summary(&c);
	if (!o->quiet && unwritten)
		cv_warnx("%s: nothing written: the run failed",
		    o->out != NULL && strcmp(o->out, "-") != 0 ? o->out :
		    "standard output");
	if (!o->quiet && c.shown >= SHOW_REJECTS &&
	    c.st.rejected - c.st.exempt > SHOW_REJECTS)
		cv_warnx("(only the first %d rejected rows are shown above)",
		    SHOW_REJECTS);
	pthread_mutex_destroy(&q.mu);
	pthread_cond_destroy(&q.cv);
	if (st != NULL)
		*st = c.st;
done0:
	dedup_free(&c.dd);
	profiles_free(&c.held);
	buf_free(&c.merged);
	resolver_free(&c.rs);
	free(c.dp);
	hdrmap_free(c.map);
	re_free(c.idre);
	for (i = 0; i < c.nwalkins; i++)
		free(c.walkins[i]);
	free(c.walkins);
	free(c.walkinn);
	buf_free(&c.line);
	buf_free(&c.key);
	buf_free(&c.tmp);
	buf_free(&c.tmp2);
	buf_free(&c.rkey);
	buf_free(&c.rkeyid);
	buf_free(&c.rkeytxn);
	buf_free(&c.rejtext);
	buf_free(&c.text);
	buf_free(&c.fc.hdr);
	free(c.fc.col);
	free(c.fc.hdroff);
	rcount_clear(&c.fc.rc);
	for (i = 0; i < c.ncolumns; i++)
		free(c.columns[i]);
	free(c.columns);
	free(c.collen);
	return status;
}

int
ingest_run(const struct ingest_opts *o, char **files, int nfiles,
    struct ingest_stats *st)
{
	return run(o, files, nfiles, st, 0);
}

int
ingest_check_opts(const struct ingest_opts *o)
{
	return run(o, NULL, 0, NULL, 1);
}
