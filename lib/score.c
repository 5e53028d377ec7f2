/*
 * score: per-customer facts, RFM, grades, value quadrants and model
 * predictions (see score.h and cv-score(1)).
 *
 * Memory layout.  Customers are records in one array, found through an
 * open-addressing table of 64-bit slots (32 bits of the id's hash, 32 bits
 * of record index).  Ids live in a chunked arena, length-prefixed.  Each
 * customer's distinct (day, receipt) pairs are a sorted array of 6-byte
 * entries in a pool of size classes; the receipt is a 32-bit hash of
 * store and receipt id whose low bit says whether the receipt has a sale
 * line.  When the input is regular files, lines that come in day order
 * are counted as they come and only the current day's receipts are kept;
 * customers with lines out of day order get their full lists from a
 * second pass.  A customer's first store and first assistant are kept in
 * the record with their spend; further ones go to a small array of their
 * own.
 */
#include <sys/stat.h>

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "date.h"
#include "diag.h"
#include "hash.h"
#include "io.h"
#include "model.h"
#include "num.h"
#include "rsort.h"
#include "score.h"
#include "tsv.h"

#define CHUNK		(1u << 20)
#define NO_DAY		0xffff
#define MAXEV		65535	/* receipts in the largest block class */
#define EV_BIG		0xff	/* evc of a customer past MAXEV receipts */

void
score_defaults(struct score_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->as_of = DAY_NONE;
	o->since = DAY_NONE;
	o->grade_a = 0.80;
	o->grade_b = 0.95;
	o->horizon = 90;
	o->clv_days = 365;
	o->discount = 0.10;
	o->all_members = 1;
}

/* A chunked arena: handles are chunk << 20 | offset, never 0. */
struct arena {
	char		**chunk;
	uint32_t	 nchunk;
	uint32_t	 used;		/* in the last chunk */
};

static uint32_t
arena_alloc(struct arena *a, uint32_t n)
{
	if (a->nchunk == 0 || a->used + n > CHUNK) {
		if (a->nchunk >= 4095)
			cv_errx(EX_SOFTWARE, "too much data for one run");
		a->chunk = xreallocarray(a->chunk, a->nchunk + 1, sizeof(char *));
		a->chunk[a->nchunk++] = xmalloc(CHUNK);
		a->used = 8;
	}
	a->used += n;
	return ((a->nchunk - 1) << 20) | (a->used - n);
}

static inline char *
arena_ptr(const struct arena *a, uint32_t h)
{
	return a->chunk[h >> 20] + (h & (CHUNK - 1));
}

static void
arena_free(struct arena *a)
{
	uint32_t i;

	for (i = 0; i < a->nchunk; i++)
		free(a->chunk[i]);
	free(a->chunk);
	memset(a, 0, sizeof(*a));
}

/* Event blocks in size classes, recycled through free lists. */
/* Capacities (in entries) grow by about a quarter, so little is wasted. */
static const uint16_t evcap[] = {
	2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80,
	96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 640, 768, 896,
	1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096, 5120, 6144, 7168,
	8192, 10240, 12288, 14336, 16384, 20480, 24576, 28672, 32768, 40960,
	49152, 57344, 65535
};
#define NCLASS (sizeof(evcap) / sizeof(evcap[0]))

struct evpool {
	struct arena	 a;
	uint32_t	 freel[NCLASS];
};

/*
 * The receipts of a customer who has more than the largest class holds
 * (an id many buyers share, read from a pipe or out of day order, or many
 * receipts in one day): a hash set of its own, indexed by the customer's
 * event handle, so that a receipt is found and added in constant time
 * where a sorted list would move all after it.  An entry is
 * (day + 1) << 32 | receipt, the receipt's low bit its sale flag; 0 is
 * an empty slot.  At most half the slots are used.
 */
struct bigev {
	uint64_t	*t;
	size_t		 n;
	size_t		 cap;		/* a power of two */
};

static uint32_t
ev_alloc(struct evpool *p, int cls, uint32_t esize)
{
	uint32_t h = p->freel[cls];

	if (h != 0) {
		memcpy(&p->freel[cls], arena_ptr(&p->a, h), 4);
		return h;
	}
	return arena_alloc(&p->a, (uint32_t)evcap[cls] * esize);
}

static void
ev_release(struct evpool *p, int cls, uint32_t h)
{
	memcpy(arena_ptr(&p->a, h), &p->freel[cls], 4);
	p->freel[cls] = h;
}

/*
 * A customer's id beside the customer, by the same index, so that the
 * lookup checks an id without reading the customer: ids up to IDK_IN
 * bytes live here whole; of a longer one, its first bytes (the arena
 * holds it whole).
 */
#define IDK_IN	11
struct idkey {
	uint8_t		 n;
	char		 b[IDK_IN];
};

struct cust {
	int64_t		 net;		/* spend in the window, net of returns */
	int64_t		 now;		/* spend counted in value_now */
	int64_t		 ret;		/* amount returned (positive) */
	int64_t		 online;	/* sales on the online channel */
	int64_t		 fnet;		/* net on the first visit day (C_FRET) */
	int64_t		 samt;		/* spend at the first store seen */
	int64_t		 tamt;		/* spend with the first assistant seen */
	uint32_t	 id;		/* arena handle of an id longer than
					   IDK_IN bytes */
	uint32_t	 ev;		/* event block handle */
	uint32_t	 store;		/* interned store + 1, 0 for none */
	uint32_t	 staff;
	uint32_t	 nret;		/* return lines */
	uint32_t	 prof;		/* member row + 1 */
	uint32_t	 pt;		/* further stores and assistants */
	/* counted as the lines come, when they come in day order */
	uint32_t	 visits;
	uint32_t	 orders;
	uint32_t	 lastrc;	/* the last receipt seen */
	uint16_t	 last;		/* the last visit */
	uint16_t	 lastday;	/* the day of the last line seen */
	uint16_t	 nev;
	uint8_t		 evc;		/* event block class */
	uint8_t		 flags;
	uint16_t	 fday;		/* day fnet belongs to: the first visit */
	uint16_t	 npt;
	uint8_t		 ptc;		/* party block class */
};

enum {
	C_DIRTY = 1,		/* lines out of day order: receipts in pass 2 */
	C_LASTSALE = 2,		/* the last receipt has a sale line */
	C_DAYSALE = 4,		/* the last day seen has a sale line */
	C_INTER = 8,		/* dealer or group buyer */
	C_HASEV = 16,
	C_FRET = 32		/* no sale yet: fday/fnet are the last day read */
};

/*
 * Strings interned to small numbers (store and staff ids).  Lines come in
 * runs of one store and one assistant, so the last string is checked
 * before the hash table.
 */
struct intern {
	struct buf	 s;
	uint32_t	*off;
	uint32_t	 n;
	uint32_t	 cap;
	uint32_t	*ht;
	uint32_t	 htcap;
	uint32_t	 last;		/* the last string asked for, */
	size_t		 lastn;		/* and its length ((size_t)-1: none) */
};

static uint32_t
intern_slow(struct intern *t, const char *p, size_t n)
{
	uint64_t h = hash64(p, n, 3);
	uint32_t i, j;

	if (2 * (t->n + 1) > t->htcap) {
		uint32_t ncap = t->htcap ? 2 * t->htcap : 256;
		uint32_t *nt = xcalloc(ncap, sizeof(uint32_t));

		for (i = 0; i < t->n; i++) {
			const char *s = t->s.p + t->off[i];
			uint64_t hh = hash64(s, strlen(s), 3);

			for (j = (uint32_t)hh & (ncap - 1); nt[j] != 0;
			    j = (j + 1) & (ncap - 1))
				;
			nt[j] = i + 1;
		}
		free(t->ht);
		t->ht = nt;
		t->htcap = ncap;
	}
	for (j = (uint32_t)h & (t->htcap - 1); t->ht[j] != 0;
	    j = (j + 1) & (t->htcap - 1)) {
		const char *s = t->s.p + t->off[t->ht[j] - 1];

		if (strncmp(s, p, n) == 0 && s[n] == '\0')
			return t->ht[j] - 1;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->off = xreallocarray(t->off, t->cap, sizeof(uint32_t));
	}
	t->off[t->n] = (uint32_t)t->s.len;
	buf_add(&t->s, p, n);
	buf_addc(&t->s, '\0');
	t->ht[j] = t->n + 1;
	return t->n++;
}

static const char *
intern_str(const struct intern *t, uint32_t i)
{
	return t->s.p + t->off[i];
}

static inline uint32_t
intern(struct intern *t, const char *p, size_t n)
{
	if (n != t->lastn || memcmp(p, intern_str(t, t->last), n) != 0) {
		t->last = intern_slow(t, p, n);
		t->lastn = n;
	}
	return t->last;
}

/* Per distinct (x, tx, T): the model's predictions. */
struct pattern {
	uint32_t	 x;
	uint16_t	 tx;
	uint16_t	 T;
	double		 palive;
	double		 eh;		/* expected purchases in the horizon */
	double		 e365;		/* ... in 365 days */
	double		 disc;		/* discounted purchases for the CLV */
	double		 n;
};

struct facts;

struct state {
	const struct score_opts *o;
	long long	 toobig;	/* model values past the int64 range */
	struct arena	 ids;		/* the ids longer than IDK_IN bytes */
	struct idkey	*idk;		/* by customer: its id, or the start */
	struct evpool	 evp;
	struct bigev	*big;		/* customers past MAXEV receipts */
	uint32_t	 nbig;
	struct cust	*c;
	uint32_t	 nc;
	uint32_t	 capc;
	uint64_t	*ht;
	uint32_t	 htcap;
	struct intern	 stores;
	struct intern	 staff;
	struct evpool	 ptp;		/* party blocks: (key, spend) pairs */
	/* member profiles */
	struct buf	 prows;		/* member rows as read, LF-ended */
	size_t		*poff;
	uint32_t	 np;
	char		**pcols;	/* member columns but customer_id */
	int		 npcols;
	int		 pidcol;
	int		 ptypecol;
	/* counters */
	long long	 lines, walkins, after, before, used;
	int		 ordered;	/* count as lines come (a second pass is possible) */
	int		 pass2;
	int		 frozen;	/* the facts are in the records */
	long long	 ndirty;
	int32_t		 nowlo;		/* first day counted in value_now */
	/* results */
	uint8_t		*rs, *fs, *ms, *grade, *quad;
	uint32_t	*pidx;		/* customer -> pattern */
	struct pattern	*pat;
	uint32_t	 npat;
	struct bgnbd_params bg;
	struct gg_params gg;
	int		 have_bg, have_gg;
	char		 bgwhy[200], ggwhy[200];
	double		 t_read, t_fit, t_predict, t_write;	/* --timing */
	double		 mean_spend;
};

#define ID_SEED	11	/* hash64() seed of customer ids */

/* The customer of id (h its hash64() with ID_SEED), made when insert. */
static struct cust *
cust_find(struct state *s, const char *id, size_t n, uint64_t h, int insert)
{
	uint64_t slot;
	uint32_t tag = (uint32_t)(h >> 32), i, j;
	struct cust *c;
	struct idkey *k;

	if (4 * (uint64_t)(s->nc + 1) > 3 * (uint64_t)s->htcap) {
		uint32_t ncap = s->htcap ? 2 * s->htcap : 4096;
		uint64_t *nt = xcalloc(ncap, sizeof(uint64_t));

		/* A slot's place comes from its tag: no id is read again. */
		for (i = 0; i < s->htcap; i++) {
			if (s->ht[i] == 0)
				continue;
			for (j = (uint32_t)(s->ht[i] >> 32) & (ncap - 1);
			    nt[j] != 0; j = (j + 1) & (ncap - 1))
				;
			nt[j] = s->ht[i];
		}
		free(s->ht);
		s->ht = nt;
		s->htcap = ncap;
	}
	for (j = tag & (s->htcap - 1); (slot = s->ht[j]) != 0;
	    j = (j + 1) & (s->htcap - 1)) {
		if ((uint32_t)(slot >> 32) != tag)
			continue;
		i = (uint32_t)slot - 1;
		c = &s->c[i];
		/* The caller updates the customer next: fetch it meanwhile. */
		__builtin_prefetch(c, 1);
		__builtin_prefetch((const char *)c + 64, 1);
		k = &s->idk[i];
		if (k->n == n && (n <= IDK_IN ? memcmp(k->b, id, n) == 0 :
		    memcmp(k->b, id, IDK_IN) == 0 && memcmp(arena_ptr(&s->ids,
		    c->id), id, n) == 0))
			return c;
	}
	if (!insert)
		return NULL;
	if (s->nc == s->capc) {
		s->capc = s->capc ? s->capc + s->capc / 4 : 4096;
		s->c = xreallocarray(s->c, s->capc, sizeof(*s->c));
		s->idk = xreallocarray(s->idk, s->capc, sizeof(*s->idk));
	}
	c = &s->c[s->nc];
	memset(c, 0, sizeof(*c));
	k = &s->idk[s->nc];
	k->n = (uint8_t)n;
	memcpy(k->b, id, n <= IDK_IN ? n : IDK_IN);
	if (n > IDK_IN) {
		c->id = arena_alloc(&s->ids, (uint32_t)n);
		memcpy(arena_ptr(&s->ids, c->id), id, n);
	}
	c->fday = NO_DAY;
	c->last = NO_DAY;
	c->lastday = NO_DAY;
	s->ht[j] = ((uint64_t)tag << 32) | (s->nc + 1);
	s->nc++;
	return c;
}

static inline struct cust *
cust_get(struct state *s, const char *id, size_t n, int insert)
{
	return cust_find(s, id, n, hash64(id, n, ID_SEED), insert);
}

static inline const char *
cust_id(const struct state *s, const struct cust *c, size_t *n)
{
	const struct idkey *k = &s->idk[c - s->c];

	*n = k->n;
	return k->n <= IDK_IN ? k->b : arena_ptr(&s->ids, c->id);
}

static inline void
ev_get(const unsigned char *e, uint16_t *day, uint32_t *h)
{
	memcpy(day, e, 2);
	memcpy(h, e + 2, 4);
}

static size_t
big_slot(const struct bigev *g, uint16_t day, uint32_t h)
{
	uint64_t k = ((uint64_t)(h >> 1) << 16 | day) * 0x9e3779b97f4a7c15u;

	return (size_t)(k >> 32) & (g->cap - 1);
}

/* The slot of receipt h on day, or of the empty slot where it would go. */
static size_t
big_find(const struct bigev *g, uint16_t day, uint32_t h)
{
	size_t i = big_slot(g, day, h);
	uint64_t want = (uint64_t)(day + 1) << 32 | (h | 1);

	while (g->t[i] != 0 && (g->t[i] | 1) != want)
		i = (i + 1) & (g->cap - 1);
	return i;
}

static void
big_grow(struct bigev *g)
{
	uint64_t *old = g->t;
	size_t i, j, ocap = g->cap;

	g->cap = ocap * 2;
	g->t = xcalloc(g->cap, sizeof(*g->t));
	for (i = 0; i < ocap; i++) {
		if (old[i] == 0)
			continue;
		for (j = big_slot(g, (uint16_t)((old[i] >> 32) - 1),
		    (uint32_t)old[i]); g->t[j] != 0; j = (j + 1) & (g->cap - 1))
			;
		g->t[j] = old[i];
	}
	free(old);
}

static void
big_add(struct bigev *g, uint16_t day, uint32_t h, int sale)
{
	size_t i = big_find(g, day, h);

	if (g->t[i] != 0) {
		if (sale)
			g->t[i] |= 1;
		return;
	}
	g->t[i] = (uint64_t)(day + 1) << 32 | (h & ~1u) | (sale ? 1 : 0);
	if (2 * ++g->n > g->cap)
		big_grow(g);
}

/* Move a customer's full list of MAXEV receipts to a set of its own. */
static void
to_big(struct state *s, struct cust *c)
{
	struct bigev *g;
	const unsigned char *e;
	uint32_t i, x;
	uint16_t d;

	s->big = xreallocarray(s->big, s->nbig + 1, sizeof(*s->big));
	g = &s->big[s->nbig];
	g->n = 0;
	g->cap = (size_t)1 << 18;
	g->t = xcalloc(g->cap, sizeof(*g->t));
	e = (const unsigned char *)arena_ptr(&s->evp.a, c->ev);
	for (i = 0; i < c->nev; i++, e += 6) {
		ev_get(e, &d, &x);
		big_add(g, d, x, (int)(x & 1));
	}
	ev_release(&s->evp, c->evc, c->ev);
	c->ev = s->nbig++;
	c->evc = EV_BIG;
	c->nev = 0;
}

/*
 * Note that the customer had receipt h on day (sale: the receipt has a
 * line that is not a return).  The array stays sorted by (day, receipt).
 */
static void
ev_add(struct state *s, struct cust *c, uint16_t day, uint32_t h, int sale)
{
	unsigned char *base, *e;
	uint16_t d;
	uint32_t x;
	int lo, hi, mid;

	if (c->evc == EV_BIG) {
		big_add(&s->big[c->ev], day, h, sale);
		return;
	}
	if (c->nev > 0) {
		base = (unsigned char *)arena_ptr(&s->evp.a, c->ev);
		lo = 0;
		hi = c->nev - 1;
		/*
		 * Most lines come in day order, the lines of a receipt
		 * together: try the last entry first.
		 */
		ev_get(base + 6 * hi, &d, &x);
		if (d == day && (x | 1) == (h | 1) && (!sale || (x & 1)))
			return;
		if (d < day || (d == day && (x | 1) < (h | 1)))
			lo = c->nev;
		while (lo <= hi) {
			mid = (lo + hi) / 2;
			ev_get(base + 6 * mid, &d, &x);
			if (d == day && (x | 1) == (h | 1)) {
				if (sale && !(x & 1)) {
					x |= 1;
					memcpy(base + 6 * mid + 2, &x, 4);
				}
				return;
			}
			if (d < day || (d == day && (x | 1) < (h | 1)))
				lo = mid + 1;
			else
				hi = mid - 1;
		}
	} else
		lo = 0;
	if (c->nev == MAXEV) {
		to_big(s, c);
		big_add(&s->big[c->ev], day, h, sale);
		return;
	}
	if (c->nev == 0 || c->nev == evcap[c->evc]) {
		int cls = c->nev == 0 ? 0 : c->evc + 1;
		uint32_t nh = ev_alloc(&s->evp, cls, 6);

		if (c->nev > 0) {
			memcpy(arena_ptr(&s->evp.a, nh), arena_ptr(&s->evp.a,
			    c->ev), (size_t)c->nev * 6);
			ev_release(&s->evp, c->evc, c->ev);
		}
		c->ev = nh;
		c->evc = (uint8_t)cls;
	}
	base = (unsigned char *)arena_ptr(&s->evp.a, c->ev);
	e = base + 6 * lo;
	memmove(e + 6, e, (size_t)(c->nev - lo) * 6);
	x = (h & ~1u) | (sale ? 1 : 0);
	memcpy(e, &day, 2);
	memcpy(e + 2, &x, 4);
	c->nev++;
}

/* Whether the customer has no receipts listed. */
static inline int
ev_none(const struct state *s, const struct cust *c)
{
	return c->evc == EV_BIG ? s->big[c->ev].n == 0 : c->nev == 0;
}

/*
 * Forget the customer's events, giving their block back (a customer with
 * a set of its own starts again with a list).
 */
static void
ev_clear(struct state *s, struct cust *c)
{
	if (c->evc == EV_BIG) {
		free(s->big[c->ev].t);
		s->big[c->ev].t = NULL;
		c->evc = 0;
	} else if (c->nev > 0)
		ev_release(&s->evp, c->evc, c->ev);
	c->nev = 0;
}

/* The sale flag of receipt h in the customer's list of the day, or -1. */
static int
today_get(const struct state *s, const struct cust *c, uint32_t h)
{
	const unsigned char *base;
	uint32_t x;
	uint16_t d;
	int lo, hi, mid;

	if (c->evc == EV_BIG) {
		const struct bigev *g = &s->big[c->ev];
		size_t i = big_find(g, 0, h);

		return g->t[i] != 0 ? (int)(g->t[i] & 1) : -1;
	}
	if (c->nev == 0)
		return -1;
	/* The day's list is sorted by receipt (its entries have day 0). */
	base = (const unsigned char *)arena_ptr(&s->evp.a, c->ev);
	lo = 0;
	hi = c->nev - 1;
	while (lo <= hi) {
		mid = (lo + hi) / 2;
		ev_get(base + 6 * mid, &d, &x);
		if ((x | 1) == (h | 1))
			return (int)(x & 1);
		if ((x | 1) < (h | 1))
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}
/*
 * A line of receipt h on day, when lines come in day order: count visits
 * and orders as they come, keeping only the current day's receipts (in
 * the customer's event block, and only when there are two or more).  A
 * line from an earlier day makes the customer "dirty": their receipts are
 * then gathered in full by a second pass over the input.
 */
static void
ev_ordered(struct state *s, struct cust *c, uint16_t day, uint32_t h,
    int sale)
{
	int had;	/* the receipt had a sale line before this one */

	h &= ~1u;
	if (c->flags & C_DIRTY)
		return;
	if (c->lastday != NO_DAY && day < c->lastday) {
		c->flags |= C_DIRTY;
		ev_clear(s, c);
		s->ndirty++;
		return;
	}
	if (c->lastday == NO_DAY || day > c->lastday) {
		/* A new day: one receipt so far, kept in the record. */
		c->lastday = day;
		c->lastrc = h;
		ev_clear(s, c);
		c->flags &= (uint8_t)~(C_LASTSALE | C_DAYSALE);
		had = 0;
	} else if (h == c->lastrc) {
		had = !!(c->flags & C_LASTSALE);
		if (sale && !had && !ev_none(s, c))
			ev_add(s, c, 0, h, 1);
	} else {
		/* Another receipt the same day: the day's list. */
		if (ev_none(s, c))
			ev_add(s, c, 0, c->lastrc, !!(c->flags & C_LASTSALE));
		had = today_get(s, c, h);
		if (had < 0)
			had = 0;
		ev_add(s, c, 0, h, sale);
		c->lastrc = h;
		c->flags = (uint8_t)((c->flags & ~C_LASTSALE) |
		    (had ? C_LASTSALE : 0));
	}
	if (!sale || had)
		return;
	/* The receipt's first sale line: an order, maybe a visit. */
	c->flags |= C_LASTSALE;
	c->orders++;
	if (!(c->flags & C_DAYSALE)) {
		c->flags |= C_DAYSALE;
		c->visits++;
		c->last = day;
	}
}

/* Facts derived from the events. */
struct facts {
	uint16_t	 first, last;
	uint32_t	 visits, orders;
};

/* The facts of a customer with a set of receipts of its own. */
static void
big_facts(const struct bigev *g, struct facts *f)
{
	uint64_t days[65536 / 64] = { 0 };
	size_t i;
	uint16_t d;

	for (i = 0; i < g->cap; i++) {
		if (!(g->t[i] & 1))
			continue;
		d = (uint16_t)((g->t[i] >> 32) - 1);
		f->orders++;
		if (!(days[d / 64] & (uint64_t)1 << (d % 64))) {
			days[d / 64] |= (uint64_t)1 << (d % 64);
			f->visits++;
		}
		if (f->first == NO_DAY || d < f->first)
			f->first = d;
		if (f->last == NO_DAY || d > f->last)
			f->last = d;
	}
}

static void
facts(const struct state *s, const struct cust *c, struct facts *f)
{
	const unsigned char *e;
	uint16_t d, prev = NO_DAY;
	uint32_t x, i;

	if (s->frozen || (s->ordered && !(c->flags & C_DIRTY))) {
		f->visits = c->visits;
		f->orders = c->orders;
		f->first = c->visits ? c->fday : NO_DAY;
		f->last = c->last;
		return;
	}
	f->first = f->last = NO_DAY;
	f->visits = f->orders = 0;
	if (c->evc == EV_BIG) {
		big_facts(&s->big[c->ev], f);
		return;
	}
	if (c->nev == 0)
		return;
	e = (const unsigned char *)arena_ptr(&s->evp.a, c->ev);
	for (i = 0; i < c->nev; i++, e += 6) {
		ev_get(e, &d, &x);
		if (!(x & 1))
			continue;
		f->orders++;
		if (d != prev)
			f->visits++;
		prev = d;
		if (f->first == NO_DAY)
			f->first = d;
		f->last = d;
	}
}

/*
 * The mean net spend, in currency units, of the visits after the first
 * (the spend model's m), or -1 when there are none or they add up to
 * nothing.  The sums are compared and their difference taken unsigned, so
 * amounts near the ends of int64 cannot overflow it.
 */
static double
repeat_mean(const struct cust *c, uint32_t visits)
{
	if (visits < 2 || c->net <= c->fnet)
		return -1;
	return (double)((uint64_t)c->net - (uint64_t)c->fnet) / 100.0 /
	    (visits - 1);
}

/* A sum that only ranks stores and assistants: held at the ends. */
static int64_t
sat_add(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

/*
 * Spend of a customer at a store (staff 0) or with an assistant (staff
 * 1).  The first of each is kept in the record; further ones in a small
 * array of (key, spend) pairs of the customer's own, key being the
 * interned index + 1 with the top bit for assistants.
 */
static int
add_party(struct state *s, struct cust *c, uint32_t idx, int staff,
    int64_t amount)
{
	uint32_t *slot = staff ? &c->staff : &c->store, key, k, i;
	int64_t *amt = staff ? &c->tamt : &c->samt, v;
	unsigned char *base;

	if (*slot == 0) {
		*slot = idx + 1;
		*amt = amount;
		return 0;
	}
	if (*slot == idx + 1) {
		*amt = sat_add(*amt, amount);
		return 0;
	}
	key = (idx + 1) | (staff ? 0x80000000u : 0);
	base = c->npt ? (unsigned char *)arena_ptr(&s->ptp.a, c->pt) : NULL;
	for (i = 0; i < c->npt; i++) {
		memcpy(&k, base + 12 * i, 4);
		if (k == key) {
			memcpy(&v, base + 12 * i + 4, 8);
			v = sat_add(v, amount);
			memcpy(base + 12 * i + 4, &v, 8);
			return 0;
		}
	}
	/* 65,535 in all, with the two in the record. */
	if (c->npt + (c->store != 0) + (c->staff != 0) >= 65535)
		return -1;
	if (c->npt == 0 || c->npt == evcap[c->ptc]) {
		int cls = c->npt == 0 ? 0 : c->ptc + 1;
		uint32_t nh = ev_alloc(&s->ptp, cls, 12);

		if (c->npt > 0) {
			memcpy(arena_ptr(&s->ptp.a, nh), base,
			    (size_t)c->npt * 12);
			ev_release(&s->ptp, c->ptc, c->pt);
		}
		c->pt = nh;
		c->ptc = (uint8_t)cls;
		base = (unsigned char *)arena_ptr(&s->ptp.a, nh);
	}
	memcpy(base + 12 * c->npt, &key, 4);
	memcpy(base + 12 * c->npt + 4, &amount, 8);
	c->npt++;
	return 0;
}

struct cols {
	int	 ts, cust, amount, txn, store, staff, channel, qty;
};

static int
need(const struct tsv_reader *r, const char *name, struct cv_error *e)
{
	int k = tsv_col(r, name);

	if (k < 0)
		cv_failat(e, EX_DATAERR, 1, "no column '%s' (is this a txn "
		    "stream?)", name);
	return k;
}

static int
bad(struct cv_error *e, const struct tsv_reader *r, const char *what,
    const struct tsv_field *f, const char *col)
{
	char q[CV_QUOTE_MAX];

	return cv_failat(e, EX_DATAERR, r->lineno, "bad %s '%s' in column '%s'",
	    what, cv_quote(q, sizeof(q), f->p, f->n), col);
}

/* The customer's id quoted for a message, in q (CV_QUOTE_MAX bytes). */
static const char *
quoted_id(const struct state *s, const struct cust *c, char *q)
{
	size_t n;
	const char *id = cust_id(s, c, &n);

	return cv_quote(q, CV_QUOTE_MAX, id, n);
}

static int
too_much(struct state *s, struct cust *c, long lineno, struct cv_error *e)
{
	char q[CV_QUOTE_MAX];

	return cv_failat(e, EX_DATAERR, lineno, "the amounts of customer "
	    "'%s' add up past 92,233,720,368,547,758.07, the most cv can "
	    "hold", quoted_id(s, c, q));
}

static int
too_many_parties(struct state *s, struct cust *c, long lineno,
    struct cv_error *e)
{
	char q[CV_QUOTE_MAX];

	return cv_failat(e, EX_SOFTWARE, lineno, "customer '%s' has more "
	    "than 65,535 stores and assistants together, the most cv can hold "
	    "for one customer", quoted_id(s, c, q));
}

/* A receipt is known by its store and id (or its store and day). */
static uint32_t
receipt_hash(const struct cols *k, const struct tsv_field *f, int32_t day)
{
	uint64_t h;

	h = hash64(k->store >= 0 ? f[k->store].p : "", k->store >= 0 ?
	    f[k->store].n : 0, 5);
	if (k->txn >= 0)
		h = hash_combine(h, hash64(f[k->txn].p, f[k->txn].n, 6));
	else
		h = hash_combine(h, (uint64_t)day);
	return (uint32_t)(h ^ (h >> 32));
}

/*
 * The net spend of the first visit day (the first day with a sale), for
 * the spend model.  Until the first sale, fday and fnet follow the last
 * day read (C_FRET), so that returns read before the day's sale count.
 * Exact when lines come in day order, in any order within a day; a sale
 * on a day before fday (lines out of order) starts fday afresh, and for a
 * customer out of day order the second pass sums the day again.  Returns
 * -1 when the sum passes the int64 range.
 */
static int
first_day(struct cust *c, uint16_t day, int64_t amount, int sale)
{
	int fret = (c->flags & C_FRET) != 0, none = c->fday == NO_DAY;

	if (none || (fret && day != c->fday) ||
	    (sale && !fret && day < c->fday)) {
		c->fday = day;
		c->fnet = amount;
	} else if (day == c->fday &&
	    __builtin_add_overflow(c->fnet, amount, &c->fnet))
		return -1;
	if (sale)
		c->flags &= (uint8_t)~C_FRET;
	else if (none)
		c->flags |= C_FRET;
	return 0;
}

/*
 * One pass over a txn stream, on two threads: the reader thread splits
 * the lines, checks their values and parses them into struct line (the
 * id's hash, the day, the amount, the receipt's hash); the caller's thread
 * adds them to the customers (take_lines()), the part that reads and
 * writes memory all over the customer tables.  Lines go between them in
 * batches, a ring of LB_N; the strings a line needs later (its customer,
 * store and assistant) are copied into its batch's buffer.  Every line is
 * checked in the order of the input, so the first bad line is the one
 * reported, whichever thread finds it; once the taker fails, the reader
 * stops at its next line.  Before the reader opens the next file the user
 * named, it waits for the taker to take every line before it, so that a
 * run that fails opens no file after the failing line, as when one thread
 * did it all (a FIFO without a writer would wait for ever); a store's
 * files, which are only files, are not waited for.
 *
 * The second pass (s->pass2) reads the same files again for the receipts
 * of the customers whose lines were out of day order, and nothing else.
 */
#define LB_LINES	1024
#define LB_BYTES	(32 * 1024)
#define LB_N		4
#define LB_SEEN		(8 * LB_LINES)

enum { L_SALE = 1, L_ONLINE = 2, L_STORE = 4, L_STAFF = 8 };

/*
 * A line's strings follow the strings of the line before in the batch's
 * buffer: its id, then its store and assistant when the flags say so.
 */
struct line {
	long		 lineno;
	int64_t		 amount;
	uint64_t	 idh;		/* hash64() of the id, ID_SEED */
	size_t		 nstore, nstaff;
	uint32_t	 rh;		/* receipt_hash() */
	uint16_t	 day;
	uint8_t		 idn;
	uint8_t		 flags;
};

struct lbatch {
	struct line	*l;
	int		 n;
	struct buf	 b;
	const char	*name;		/* the input the lines are from */
	int		 pi;		/* --progress: after line pi, */
	long long	 pv;		/* say pv lines were read (pi -1: none) */
};

struct lreader {
	const struct state *s;
	struct tsv_reader *r;
	struct cols	 k;
	pthread_t	 thr;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct lbatch	 b[LB_N];
	int		 head;		/* the next batch to take */
	int		 tail;		/* the batch being filled */
	int		 count;		/* batches full or being taken */
	int		 done;		/* the reader has ended, */
	int		 rc;		/* with tsv_next()'s 0 or -1 */
	int		 stop;		/* the taker failed: stop reading (set
					   under mu, read atomically) */
	struct cv_error	 e;
	long long	 lines, walkins, after, before;
};

static int
stopped(struct lreader *x)
{
	return __atomic_load_n(&x->stop, __ATOMIC_ACQUIRE);
}

/* Start filling batch b afresh; a buffer a huge batch grew is let go. */
static void
lb_start(struct lreader *x, struct lbatch *b)
{
	b->n = 0;
	if (b->b.cap > 16 * LB_BYTES)
		buf_free(&b->b);
	buf_reset(&b->b);
	b->name = x->r->name;
	b->pi = -1;
}

/*
 * Hand the batch being filled over (when it holds lines) and wait until
 * the taker has room for another, or with all, until it has taken every
 * line handed over.  Returns the batch to fill next, or NULL when the
 * taker failed.
 */
static struct lbatch *
lb_publish(struct lreader *x, int all)
{
	struct lbatch *b = &x->b[x->tail];
	int stop, handed = b->n > 0;

	pthread_mutex_lock(&x->mu);
	if (handed) {
		x->tail = (x->tail + 1) % LB_N;
		x->count++;
		pthread_cond_broadcast(&x->cv);
	}
	while ((all ? x->count > 0 : x->count == LB_N) && !x->stop)
		pthread_cond_wait(&x->cv, &x->mu);
	stop = x->stop;
	pthread_mutex_unlock(&x->mu);
	if (stop)
		return NULL;
	b = &x->b[x->tail];
	if (handed)
		lb_start(x, b);
	return b;
}

/* tsv's crossing hook: before the next file the user named is opened. */
static int
lb_crossing(void *arg)
{
	return lb_publish(arg, 1) == NULL;
}

static void
read_lines(struct lreader *x)
{
	const struct state *s = x->s;
	const struct score_opts *o = s->o;
	struct tsv_reader *r = x->r;
	const struct cols *k = &x->k;
	struct cv_error *e = &x->e;
	struct lbatch *b = &x->b[x->tail];
	char lastts[10];
	int32_t day = 0;
	int64_t amount, qty, tsv;
	int rc, seen = 0;

	memset(lastts, 0, sizeof(lastts));
	lb_start(x, b);
	while ((rc = tsv_next(r, e)) == 1) {
		const struct tsv_field *f = r->f;
		struct line *L;
		int sale;

		if (stopped(x))
			return;
		/* The crossing hook may have handed the batch over. */
		b = &x->b[x->tail];
		/*
		 * A batch goes over when its file ends, and after LB_SEEN
		 * lines read however few it holds (lines left out, such as
		 * walk-ins, do not fill it), so the taker is not kept
		 * waiting.
		 */
		if (b->n == 0)
			seen = 0;
		if ((r->name != b->name || ++seen > LB_SEEN) && b->n > 0) {
			if ((b = lb_publish(x, 0)) == NULL)
				return;
			seen = 0;	/* this line begins the next batch */
		}
		b->name = r->name;
		if (!s->pass2)
			x->lines++;
		/* Every line must be well formed, also those left out. */
		if (f[k->ts].n >= 10 && memcmp(f[k->ts].p, lastts, 10) == 0 &&
		    (f[k->ts].n == 10 || (f[k->ts].n == 19 &&
		    ts_parse(f[k->ts].p, 19, &tsv) == 0))) {
			/* the same day as the line before */
		} else if (ts_parse(f[k->ts].p, f[k->ts].n, &tsv) < 0) {
			rc = bad(e, r, "time", &f[k->ts], "ts");
			break;
		} else {
			day = ts_day(tsv);
			if (day < 0 || day >= NO_DAY) {
				rc = cv_failat(e, EX_DATAERR, r->lineno, "date "
				    "'%.10s' is outside 1970-01-01 to 2149-06-05",
				    f[k->ts].p);
				break;
			}
			memcpy(lastts, f[k->ts].p, 10);
		}
		if (num_parse(f[k->amount].p, f[k->amount].n, 2, &amount) != 0) {
			rc = bad(e, r, "amount", &f[k->amount], "amount");
			break;
		}
		qty = 1;
		if (k->qty >= 0 && f[k->qty].n > 0 &&
		    num_parse_int(f[k->qty].p, f[k->qty].n, &qty) != 0) {
			rc = bad(e, r, "quantity", &f[k->qty], "qty");
			break;
		}
		if (qty < 0 && amount > 0) {
			rc = cv_failat(e, EX_DATAERR, r->lineno, "a return "
			    "(quantity %lld) with a positive amount %.*s",
			    (long long)qty, (int)f[k->amount].n,
			    f[k->amount].p);
			break;
		}
		if (s->pass2) {
			if (f[k->cust].n == 0 || day > o->as_of ||
			    (o->since != DAY_NONE && day < o->since))
				continue;
		} else if (f[k->cust].n == 0) {
			x->walkins++;
			continue;
		} else if (day > o->as_of) {
			x->after++;
			continue;
		} else if (o->since != DAY_NONE && day < o->since) {
			x->before++;
			continue;
		}
		if (f[k->cust].n > 255) {
			rc = cv_failat(e, EX_DATAERR, r->lineno, "customer id "
			    "longer than 255 bytes");
			break;
		}
		sale = amount >= 0 && qty >= 0;
		L = &b->l[b->n++];
		L->lineno = r->lineno;
		L->amount = amount;
		L->idh = hash64(f[k->cust].p, f[k->cust].n, ID_SEED);
		L->idn = (uint8_t)f[k->cust].n;
		buf_add(&b->b, f[k->cust].p, f[k->cust].n);
		L->day = (uint16_t)day;
		L->rh = receipt_hash(k, f, day);
		L->flags = sale ? L_SALE : 0;
		if (sale && k->channel >= 0 && f[k->channel].n == 6 &&
		    memcmp(f[k->channel].p, "online", 6) == 0)
			L->flags |= L_ONLINE;
		if (k->store >= 0 && f[k->store].n > 0) {
			L->flags |= L_STORE;
			L->nstore = f[k->store].n;
			buf_add(&b->b, f[k->store].p, f[k->store].n);
		}
		if (k->staff >= 0 && f[k->staff].n > 0) {
			L->flags |= L_STAFF;
			L->nstaff = f[k->staff].n;
			buf_add(&b->b, f[k->staff].p, f[k->staff].n);
		}
		/* The taker says it, once it has taken the line. */
		if (o->progress && !s->pass2 &&
		    ((s->lines + x->lines) & 0xfffff) == 0) {
			b->pi = b->n - 1;
			b->pv = s->lines + x->lines;
		}
		if ((b->n == LB_LINES || b->b.len >= LB_BYTES || b->pi >= 0) &&
		    (b = lb_publish(x, 0)) == NULL)
			return;
	}
	b = &x->b[x->tail];	/* the crossing hook may have handed it over */
	pthread_mutex_lock(&x->mu);
	if (b->n > 0) {
		x->tail = (x->tail + 1) % LB_N;
		x->count++;
	}
	x->done = 1;
	x->rc = rc;
	pthread_cond_broadcast(&x->cv);
	pthread_mutex_unlock(&x->mu);
}

static void *
reader_main(void *arg)
{
	read_lines(arg);
	return NULL;
}

struct taker {
	struct cust	*c;		/* the customer of the line before */
	uint64_t	 h;		/* its id's hash */
	size_t		 n;		/* its id's length */
};

/*
 * Add the lines of a batch to their customers.  Returns 0, or -1 with e
 * filled at the line that fails.
 */
static int
take_lines(struct state *s, const struct lbatch *b, struct taker *t,
    struct cv_error *e)
{
	const char *next = b->b.p;	/* the strings of line i */
	int i;

	for (i = 0; i < b->n; i++) {
		const struct line *L = &b->l[i];
		const char *id = next, *store, *staff;
		int64_t amount = L->amount;
		int sale = L->flags & L_SALE;
		struct cust *c = t->c;
		size_t idn;

		next += L->idn;
		store = next;
		if (L->flags & L_STORE)
			next += L->nstore;
		staff = next;
		if (L->flags & L_STAFF)
			next += L->nstaff;
		/* The table slot of a line a few ahead, meanwhile. */
		if (i + 8 < b->n && s->ht != NULL)
			__builtin_prefetch(&s->ht[(uint32_t)(b->l[i + 8].idh >>
			    32) & (s->htcap - 1)]);
		/* The lines of a receipt come together: the same customer. */
		if (c == NULL || L->idh != t->h || L->idn != t->n ||
		    memcmp(id, cust_id(s, c, &idn), t->n) != 0) {
			c = cust_find(s, id, L->idn, L->idh, !s->pass2);
			if (c == NULL)
				continue;
			t->c = c;
			t->h = L->idh;
			t->n = L->idn;
		}
		if (s->pass2) {
			/*
			 * Only the receipts of customers out of day order,
			 * and the net of their first visit day, now known.
			 */
			if (c->flags & C_DIRTY) {
				ev_add(s, c, L->day, L->rh, sale);
				if (L->day == c->fday && !(c->flags & C_FRET))
					c->fnet = sat_add(c->fnet, amount);
			}
			continue;
		}
		s->used++;
		/* Sums that pass the int64 range are an error, not a wrap. */
		if (__builtin_add_overflow(c->net, amount, &c->net) ||
		    (L->day >= s->nowlo &&
		    __builtin_add_overflow(c->now, amount, &c->now)))
			return too_much(s, c, L->lineno, e);
		if (!sale) {
			c->nret++;
			if (amount < 0 &&
			    __builtin_sub_overflow(c->ret, amount, &c->ret))
				return too_much(s, c, L->lineno, e);
		} else if ((L->flags & L_ONLINE) &&
		    __builtin_add_overflow(c->online, amount, &c->online))
			return too_much(s, c, L->lineno, e);
		if (first_day(c, L->day, amount, sale) < 0)
			return too_much(s, c, L->lineno, e);
		if (s->ordered)
			ev_ordered(s, c, L->day, L->rh, sale);
		else
			ev_add(s, c, L->day, L->rh, sale);
		c->flags |= C_HASEV;
		if (((L->flags & L_STORE) && add_party(s, c,
		    intern(&s->stores, store, L->nstore), 0, amount) < 0) ||
		    ((L->flags & L_STAFF) && add_party(s, c,
		    intern(&s->staff, staff, L->nstaff), 1, amount) < 0))
			return too_many_parties(s, c, L->lineno, e);
		if (i == b->pi)
			fprintf(stderr, "\r%s: %lld lines...", cv_progname,
			    b->pv);
	}
	return 0;
}

static int
read_txn(struct state *s, struct tsv_reader *r, struct cv_error *e)
{
	struct lreader *x;
	struct taker t = { NULL, 0, 0 };
	const char *failed = NULL;
	int i, rc = 0;

	x = xcalloc(1, sizeof(*x));
	x->s = s;
	x->r = r;
	if ((x->k.ts = need(r, "ts", e)) < 0 ||
	    (x->k.cust = need(r, "customer_id", e)) < 0 ||
	    (x->k.amount = need(r, "amount", e)) < 0) {
		free(x);
		return -1;
	}
	x->k.txn = tsv_col(r, "txn_id");
	x->k.store = tsv_col(r, "store_id");
	x->k.staff = tsv_col(r, "staff_id");
	x->k.channel = tsv_col(r, "channel");
	x->k.qty = tsv_col(r, "qty");
	x->e.line = 0;
	for (i = 0; i < LB_N; i++)
		x->b[i].l = xreallocarray(NULL, LB_LINES, sizeof(struct line));
	if (s->o->txn_store == NULL) {
		r->crossing = lb_crossing;
		r->crossing_ctx = x;
	}
	pthread_mutex_init(&x->mu, NULL);
	pthread_cond_init(&x->cv, NULL);
	if ((errno = pthread_create(&x->thr, NULL, reader_main, x)) != 0)
		cv_err(EX_OSERR, "cannot start a thread");
	for (;;) {
		const struct lbatch *b;

		pthread_mutex_lock(&x->mu);
		while (x->count == 0 && !x->done)
			pthread_cond_wait(&x->cv, &x->mu);
		if (x->count == 0) {
			pthread_mutex_unlock(&x->mu);
			break;
		}
		pthread_mutex_unlock(&x->mu);
		b = &x->b[x->head];
		rc = take_lines(s, b, &t, e);
		pthread_mutex_lock(&x->mu);
		x->head = (x->head + 1) % LB_N;
		x->count--;
		if (rc < 0) {
			__atomic_store_n(&x->stop, 1, __ATOMIC_RELEASE);
			failed = b->name;
		}
		pthread_cond_broadcast(&x->cv);
		pthread_mutex_unlock(&x->mu);
		if (rc < 0)
			break;
	}
	pthread_join(x->thr, NULL);
	pthread_mutex_destroy(&x->mu);
	pthread_cond_destroy(&x->cv);
	r->crossing = NULL;
	if (rc < 0)
		r->name = failed;	/* the file of the line that failed */
	else if (x->rc < 0) {
		*e = x->e;
		rc = -1;
	}
	if (!s->pass2) {
		s->lines += x->lines;
		s->walkins += x->walkins;
		s->after += x->after;
		s->before += x->before;
	}
	for (i = 0; i < LB_N; i++) {
		free(x->b[i].l);
		buf_free(&x->b[i].b);
	}
	free(x);
	return rc;
}

/* Member profiles: kept as read, joined by customer_id. */
static int
read_members(struct state *s, struct cv_error *e)
{
	struct tsv_reader r;
	int rc, i, j;

	if (tsv_open_store(&r, s->o->members, s->o->nmembers, 0,
	    s->o->members_store, e) < 0) {
		cv_error_file(r.name, e);
		tsv_close(&r);
		return -1;
	}
	s->pidcol = tsv_col(&r, "customer_id");
	if (s->pidcol < 0) {
		cv_fail(e, EX_DATAERR, "%s:1: no column 'customer_id' (is this "
		    "a members stream?)", r.name);
		tsv_close(&r);
		return -1;
	}
	s->ptypecol = tsv_col(&r, "type");
	s->pcols = xcalloc((size_t)r.ncol, sizeof(char *));
	for (i = 0; i < r.ncol; i++) {
		if (i == s->pidcol)
			continue;
		s->pcols[s->npcols++] = xstrdup(r.cols[i]);
	}
	(void)j;
	while ((rc = tsv_next(&r, e)) == 1) {
		struct cust *c;

		if (r.f[s->pidcol].n == 0 || r.f[s->pidcol].n > 255) {
			/* Not a profile cv-ingest writes: the stream is bad. */
			rc = cv_failat(e, EX_DATAERR, r.lineno, "%s",
			    r.f[s->pidcol].n == 0 ? "a member without a "
			    "customer_id" : "customer id longer than 255 bytes");
			break;
		}
		c = cust_get(s, r.f[s->pidcol].p, r.f[s->pidcol].n, 1);
		s->poff = xreallocarray(s->poff, s->np + 2, sizeof(size_t));
		s->poff[s->np] = s->prows.len;
		buf_add(&s->prows, r.raw, r.rawlen);
		buf_addc(&s->prows, '\n');
		c->prof = ++s->np;
		if (s->ptypecol >= 0) {
			const struct tsv_field *t = &r.f[s->ptypecol];

			if ((t->n == 6 && memcmp(t->p, "dealer", 6) == 0) ||
			    (t->n == 5 && memcmp(t->p, "group", 5) == 0))
				c->flags |= C_INTER;
			else
				c->flags &= (uint8_t)~C_INTER;
		}
	}
	if (rc < 0)
		cv_error_file(r.name, e);
	tsv_close(&r);
	return rc < 0 ? -1 : 0;
}

/* Sorting helpers. */
/*
 * Quantile scores 1..5: a customer's score is 1 + floor(5 L / N), where
 * L is the number of customers with a strictly worse value, so equal
 * values always get equal scores.  v[] is "higher is better".
 */
static void
quantile_scores(struct kv *v, uint32_t n, uint8_t *out)
{
	uint32_t i = 0, j, k;

	/* v[] comes in index order; equal values keep it. */
	rsort(v, n, NULL);
	while (i < n) {
		for (j = i; j < n && v[j].v == v[i].v; j++)
			;
		for (k = i; k < j; k++)
			out[v[k].i] = (uint8_t)(1 + (5ULL * i) / n);
		i = j;
	}
}

/* Fixed cuts: score 1 up to a, 2 up to b, ... 5 above d. */
static uint8_t
cut_score(int64_t v, const int64_t *cuts)
{
	int k;

	for (k = 0; k < 4; k++)
		if (v <= cuts[k])
			return (uint8_t)(k + 1);
	return 5;
}

static void
rfm(struct state *s)
{
	const struct score_opts *o = s->o;
	struct kv *v = xcalloc(s->nc + 1, sizeof(*v));
	struct facts f;
	uint32_t i;

	s->rs = xcalloc(s->nc + 1, 1);
	s->fs = xcalloc(s->nc + 1, 1);
	s->ms = xcalloc(s->nc + 1, 1);
	/* Recency: fewer days is better; no visit at all is the worst. */
	for (i = 0; i < s->nc; i++) {
		facts(s, &s->c[i], &f);
		v[i].i = i;
		v[i].v = f.last == NO_DAY ? INT64_MIN : -(int64_t)(o->as_of -
		    f.last);
		if (o->have_r_cuts) {
			int64_t rc[4];
			int k;

			for (k = 0; k < 4; k++)
				rc[k] = o->r_cuts[k];
			s->rs[i] = f.last == NO_DAY ? 1 :
			    (uint8_t)(6 - cut_score(o->as_of - f.last, rc));
		}
	}
	if (!o->have_r_cuts)
		quantile_scores(v, s->nc, s->rs);
	for (i = 0; i < s->nc; i++) {
		facts(s, &s->c[i], &f);
		v[i].i = i;
		v[i].v = o->frequency == FREQ_RECEIPTS ? f.orders : f.visits;
		if (o->have_f_cuts)
			s->fs[i] = cut_score(v[i].v, o->f_cuts);
	}
	if (!o->have_f_cuts)
		quantile_scores(v, s->nc, s->fs);
	for (i = 0; i < s->nc; i++) {
		v[i].i = i;
		v[i].v = s->c[i].net;
		if (o->have_m_cuts)
			s->ms[i] = cut_score(v[i].v, o->m_cuts);
	}
	if (!o->have_m_cuts)
		quantile_scores(v, s->nc, s->ms);
	free(v);
}

/*
 * A/B/C by cumulative share of current value, within each kind of
 * customer: in descending order of value_now, a customer is A while the
 * value of the customers before them is under grade_a of the total, B
 * while it is under grade_b; customers of equal value share the grade of
 * the first of them; value_now <= 0 is always C.
 */
static void
grades(struct state *s)
{
	struct kv *v = xcalloc(s->nc + 1, sizeof(*v));
	uint32_t i, j, k, n;
	int g;
	num_wide total, before, a, b;

	s->grade = xcalloc(s->nc + 1, 1);
	a = (num_wide)llround(s->o->grade_a * 1e6);
	b = (num_wide)llround(s->o->grade_b * 1e6);
	for (g = 0; g < 2; g++) {
		n = 0;
		total = 0;
		for (i = 0; i < s->nc; i++) {
			if (!!(s->c[i].flags & C_INTER) != g)
				continue;
			v[n].i = i;
			v[n].v = -s->c[i].now;
			if (s->c[i].now > 0)
				total += s->c[i].now;
			n++;
		}
		rsort(v, n, NULL);
		before = 0;
		for (i = 0; i < n; i = j) {
			int64_t val = -v[i].v;
			char gr;

			for (j = i; j < n && v[j].v == v[i].v; j++)
				;
			if (val <= 0 || total <= 0)
				gr = 'C';
			else if (before * 1000000 < a * total)
				gr = 'A';
			else if (before * 1000000 < b * total)
				gr = 'B';
			else
				gr = 'C';
			for (k = i; k < j; k++) {
				s->grade[v[k].i] = (uint8_t)gr;
				if (val > 0)
					before += val;
			}
		}
	}
	free(v);
}

static const uint64_t *sort_keys;

static int
cmp_pattern(const void *a, const void *b)
{
	uint64_t x = sort_keys[*(const uint32_t *)a];
	uint64_t y = sort_keys[*(const uint32_t *)b];

	return x < y ? -1 : x > y;
}

struct predjob {
	struct state	*s;
	uint32_t	 lo, hi;
};

static void *
predict(void *arg)
{
	struct predjob *j = arg;
	struct state *s = j->s;
	const struct score_opts *o = s->o;
	uint32_t i;
	int k, steps;

	for (i = j->lo; i < j->hi; i++) {
		struct pattern *p = &s->pat[i];
		double x = p->x, tx = p->tx, T = p->T, prev = 0, e, t, disc = 0;

		p->palive = bgnbd_p_alive(&s->bg, x, tx, T);
		p->eh = bgnbd_expected(&s->bg, o->horizon, x, tx, T);
		p->e365 = o->horizon == 365 ? p->eh :
		    bgnbd_expected(&s->bg, 365, x, tx, T);
		steps = (o->clv_days + 29) / 30;
		for (k = 1; k <= steps && disc >= 0; k++) {
			t = 30.0 * k < o->clv_days ? 30.0 * k : o->clv_days;
			e = t == o->horizon ? p->eh : t == 365 ? p->e365 :
			    bgnbd_expected(&s->bg, t, x, tx, T);
			if (e < 0) {
				disc = MODEL_NONE;
				break;
			}
			disc += (e - prev) * pow(1.0 + o->discount, -t / 365.0);
			prev = e;
		}
		p->disc = o->clv_days == 0 ? 0 : disc;
	}
	return NULL;
}

/* Fit the models and predict per distinct (x, tx, T). */
/* CPU time of the process so far, for --timing. */
static double
cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
models(struct state *s)
{
	const struct score_opts *o = s->o;
	struct bgnbd_pattern *bp;
	struct gg_obs *go;
	struct facts f;
	uint64_t *keys = NULL;
	uint32_t *slot = NULL, *cnt = NULL, *order, *rank;
	uint32_t i, ng = 0, p, np = 0, cap = 0;
	pthread_t th;
	struct predjob j1, j2;
	double t0;

	/*
	 * Customers with the same (x, t_x, T) share a pattern: a hash table
	 * from the pattern's key to its number finds them, in the memory of
	 * the patterns rather than of the customers.
	 */
	s->pidx = xcalloc(s->nc + 1, sizeof(uint32_t));
	for (i = 0; i < s->nc; i++) {
		struct cust *c = &s->c[i];
		uint64_t k;
		uint32_t j;

		facts(s, c, &f);
		if (f.visits == 0)
			continue;
		if (repeat_mean(c, f.visits) > 0)
			ng++;
		k = ((uint64_t)(f.visits - 1) << 32) |
		    ((uint64_t)(f.last - f.first) << 16) |
		    (uint64_t)(o->as_of - f.first);
		if (2 * (np + 1) > cap) {
			uint32_t ncap = cap ? 2 * cap : 1024, m;
			uint32_t *nslot = xcalloc(ncap, sizeof(uint32_t));

			for (m = 0; m < np; m++) {
				for (j = (uint32_t)hash_mix(keys[m], 0x9e3779b97f4a7c15ULL) &
				    (ncap - 1); nslot[j] != 0; j = (j + 1) & (ncap - 1))
					;
				nslot[j] = m + 1;
			}
			free(slot);
			slot = nslot;
			cap = ncap;
			keys = xreallocarray(keys, cap / 2, sizeof(uint64_t));
			cnt = xreallocarray(cnt, cap / 2, sizeof(uint32_t));
		}
		for (j = (uint32_t)hash_mix(k, 0x9e3779b97f4a7c15ULL) & (cap - 1);
		    slot[j] != 0 && keys[slot[j] - 1] != k; j = (j + 1) & (cap - 1))
			;
		if (slot[j] == 0) {
			keys[np] = k;
			cnt[np] = 0;
			slot[j] = ++np;
		}
		cnt[slot[j] - 1]++;
		s->pidx[i] = slot[j];
	}
	free(slot);
	/* The patterns in the order of their keys, as numbers 1 to p. */
	order = xcalloc(np + 1, sizeof(uint32_t));
	for (i = 0; i < np; i++)
		order[i] = i;
	sort_keys = keys;
	qsort(order, np, sizeof(uint32_t), cmp_pattern);
	rank = xcalloc(np + 1, sizeof(uint32_t));
	s->pat = xcalloc(np + 1, sizeof(*s->pat));
	for (p = 0; p < np; p++) {
		uint64_t k = keys[order[p]];

		rank[order[p]] = p + 1;
		s->pat[p].x = (uint32_t)(k >> 32);
		s->pat[p].tx = (uint16_t)(k >> 16);
		s->pat[p].T = (uint16_t)k;
		s->pat[p].n = cnt[order[p]];
	}
	s->npat = p;
	for (i = 0; i < s->nc; i++)
		if (s->pidx[i] != 0)
			s->pidx[i] = rank[s->pidx[i] - 1];
	free(order);
	free(rank);
	free(keys);
	free(cnt);
	/* The repeat buyers' mean spends, for the spend model. */
	go = xcalloc(ng + 1, sizeof(*go));
	ng = 0;
	for (i = 0; i < s->nc; i++) {
		double m;

		/* A pattern's x is the visits after the first. */
		if (s->pidx[i] == 0 || (m = repeat_mean(&s->c[i],
		    s->pat[s->pidx[i] - 1].x + 1)) <= 0)
			continue;
		go[ng].x = s->pat[s->pidx[i] - 1].x;
		go[ng].m = m;
		go[ng].n = 1;
		ng++;
	}
	bp = xcalloc(p + 1, sizeof(*bp));
	for (i = 0; i < p; i++) {
		bp[i].x = s->pat[i].x;
		bp[i].tx = s->pat[i].tx;
		bp[i].T = s->pat[i].T;
		bp[i].n = s->pat[i].n;
	}
	t0 = cpu_seconds();
	s->have_bg = bgnbd_fit(bp, p, &s->bg, s->bgwhy, sizeof(s->bgwhy)) == 0;
	free(bp);
	s->have_gg = gg_fit_inplace(go, ng, &s->gg, s->ggwhy,
	    sizeof(s->ggwhy)) == 0;
	free(go);
	s->t_fit = cpu_seconds() - t0;
	s->mean_spend = s->have_gg ? gg_expected_spend(&s->gg, 0, 0) : MODEL_NONE;
	if (!s->have_bg)
		return;
	j1.s = j2.s = s;
	j1.lo = 0;
	j1.hi = j2.lo = p / 2;
	j2.hi = p;
	t0 = cpu_seconds();
	if (pthread_create(&th, NULL, predict, &j2) != 0) {
		predict(&j2);
		predict(&j1);
	} else {
		predict(&j1);
		pthread_join(th, NULL);
	}
	s->t_predict = cpu_seconds() - t0;
}

/* Expected spend per visit of a customer, or MODEL_NONE. */
static double
spend(const struct state *s, const struct cust *c, const struct facts *f)
{
	double m;

	if (!s->have_gg)
		return MODEL_NONE;
	if ((m = repeat_mean(c, f->visits)) <= 0)
		return s->mean_spend;
	return gg_expected_spend(&s->gg, f->visits - 1, m);
}

/* Is x (cents) a money value cv can hold?  NaN is not. */
static int
money_ok(double x)
{
	return x > -9.2e18 && x < 9.2e18;
}

/*
 * value_potential in cents, or -1 when there is none, -2 when it is past
 * what cv can hold (a fit on absurd amounts).
 */
static int64_t
potential(const struct state *s, const struct cust *c, const struct facts *f)
{
	const struct pattern *p;
	double sp, x;

	if (!s->have_bg || s->pidx[c - s->c] == 0)
		return -1;
	p = &s->pat[s->pidx[c - s->c] - 1];
	sp = spend(s, c, f);
	if (sp < 0 || p->e365 < 0)
		return -1;
	x = p->e365 * sp * 100.0;
	return money_ok(x) ? llround(x) : -2;
}

static void
quadrants(struct state *s)
{
	struct facts f;
	num_wide sumnow[2] = { 0, 0 }, sumpot[2] = { 0, 0 };
	long long nnow[2] = { 0, 0 }, npot[2] = { 0, 0 };
	uint32_t i;
	int g;

	s->quad = xcalloc(s->nc + 1, 1);
	for (i = 0; i < s->nc; i++) {
		int64_t pv;

		/*
		 * Both averages are over the customers a quadrant is given
		 * to, those with a potential value: members who bought
		 * nothing (left out by --buyers-only) do not move them.
		 */
		g = !!(s->c[i].flags & C_INTER);
		facts(s, &s->c[i], &f);
		if ((pv = potential(s, &s->c[i], &f)) >= 0) {
			sumnow[g] += s->c[i].now;
			nnow[g]++;
			sumpot[g] += pv;
			npot[g]++;
		}
	}
	for (i = 0; i < s->nc; i++) {
		int64_t pv;
		int hn, hp;

		g = !!(s->c[i].flags & C_INTER);
		facts(s, &s->c[i], &f);
		if ((pv = potential(s, &s->c[i], &f)) < 0)
			continue;
		/* At or above the average of the customer's kind is high. */
		hn = (num_wide)s->c[i].now * nnow[g] >= sumnow[g];
		hp = (num_wide)pv * npot[g] >= sumpot[g];
		s->quad[i] = (uint8_t)(hn ? (hp ? 'H' : 'S') : (hp ? 'P' : 'L'));
	}
}

/* The store or assistant a customer spent most with (ties: lowest id),
 * as its interned index + 1, 0 for none. */
static uint32_t
top(const struct state *s, const struct cust *c, int staff)
{
	const struct intern *t = staff ? &s->staff : &s->stores;
	uint32_t best = staff ? c->staff : c->store, k, i;
	int64_t amt = staff ? c->tamt : c->samt, v;
	const unsigned char *base;

	if (best == 0)
		return 0;
	base = c->npt ? (const unsigned char *)arena_ptr(&s->ptp.a, c->pt) :
	    NULL;
	for (i = 0; i < c->npt; i++) {
		memcpy(&k, base + 12 * i, 4);
		if (!!(k & 0x80000000u) != staff)
			continue;
		k &= 0x7fffffffu;
		memcpy(&v, base + 12 * i + 4, 8);
		if (v > amt || (v == amt && strcmp(intern_str(t, k - 1),
		    intern_str(t, best - 1)) < 0)) {
			amt = v;
			best = k;
		}
	}
	return best;
}

static void
big_free(struct state *s)
{
	uint32_t i;

	for (i = 0; i < s->nbig; i++)
		free(s->big[i].t);
	free(s->big);
	s->big = NULL;
	s->nbig = 0;
}

/*
 * After the pass the receipts are only needed for the facts: put those in
 * the records and give the receipts' memory back before the
 * population-wide steps allocate theirs.
 */
static void
freeze_facts(struct state *s)
{
	struct facts f;
	uint32_t i;

	for (i = 0; i < s->nc; i++) {
		facts(s, &s->c[i], &f);
		s->c[i].visits = f.visits;
		s->c[i].orders = f.orders;
		s->c[i].last = f.last;
	}
	s->frozen = 1;
	arena_free(&s->evp.a);
	memset(&s->evp, 0, sizeof(s->evp));
	big_free(s);
	for (i = 0; i < s->nc; i++) {
		s->c[i].nev = 0;
		s->c[i].evc = 0;
	}
}

/* Keep only customers with lines in the window. */
static void
buyers_only(struct state *s)
{
	uint32_t i, w = 0;

	for (i = 0; i < s->nc; i++)
		if (s->c[i].flags & C_HASEV) {
			s->idk[w] = s->idk[i];
			s->c[w++] = s->c[i];
		}
	s->nc = w;
}

/*
 * Once the input is read, the id table is not needed, the records are as
 * many as they will be, and each customer's store and assistant are the
 * top ones.
 */
static void
done_reading(struct state *s)
{
	uint32_t i;

	for (i = 0; i < s->nc; i++) {
		struct cust *c = &s->c[i];
		uint32_t st = top(s, c, 0), sf = top(s, c, 1);

		c->store = st;
		c->staff = sf;
		c->npt = 0;
	}
	arena_free(&s->ptp.a);
	memset(&s->ptp, 0, sizeof(s->ptp));
	free(s->ht);
	s->ht = NULL;
	s->htcap = 0;
	if (s->nc > 0 && s->nc < s->capc) {
		s->c = xreallocarray(s->c, s->nc, sizeof(*s->c));
		s->idk = xreallocarray(s->idk, s->nc, sizeof(*s->idk));
		s->capc = s->nc;
	}
}

static const struct state *sort_state;
static const uint64_t *sort_pre;

static int
cmp_ids(const void *a, const void *b)
{
	const struct state *s = sort_state;
	uint32_t ia = *(const uint32_t *)a, ib = *(const uint32_t *)b;
	const char *x, *y;
	size_t nx, ny;
	int r;

	if (sort_pre[ia] != sort_pre[ib])
		return sort_pre[ia] < sort_pre[ib] ? -1 : 1;
	x = cust_id(s, &s->c[ia], &nx);
	y = cust_id(s, &s->c[ib], &ny);
	r = memcmp(x, y, nx < ny ? nx : ny);
	return r != 0 ? r : (nx > ny) - (nx < ny);
}

/*
 * The customers in the byte order of their ids.  The first 8 bytes of
 * each id, as a big-endian number, settle most comparisons without
 * reading the ids.
 */
static uint32_t *
id_order(struct state *s)
{
	uint64_t *pre = xcalloc(s->nc + 1, sizeof(uint64_t));
	uint32_t *order = xcalloc(s->nc + 1, sizeof(uint32_t)), i;

	for (i = 0; i < s->nc; i++) {
		size_t n, j;
		const char *p = cust_id(s, &s->c[i], &n);
		uint64_t v = 0;

		for (j = 0; j < 8; j++)
			v = v << 8 | (j < n ? (unsigned char)p[j] : 0);
		pre[i] = v;
		order[i] = i;
	}
	sort_state = s;
	sort_pre = pre;
	qsort(order, s->nc, sizeof(uint32_t), cmp_ids);
	free(pre);
	return order;
}

static void
put_num(struct cv_out *o, long long v)
{
	char b[32];

	out_write(o, b, num_fmt(v, 0, 0, b));
}

static void
put_money(struct cv_out *o, int64_t cents)
{
	char b[32];

	out_write(o, b, money_fmt(cents, b));
}

static void
put_dbl(struct cv_out *o, double v, int places)
{
	char b[NUM_REAL_MAX];

	if (v < 0 || !isfinite(v))
		return;
	out_write(o, b, num_fmt_real(v, places, b));
}

static void
put_day(struct cv_out *o, uint16_t d)
{
	char b[16];

	if (d != NO_DAY)
		out_write(o, b, date_fmt(d, b));
}

static const char *
quad_name(uint8_t q)
{
	switch (q) {
	case 'H':
		return "high";
	case 'P':
		return "potential";
	case 'S':
		return "secondary";
	case 'L':
		return "low";
	default:
		return "";
	}
}

static void
write_row(struct state *s, struct cv_out *o, uint32_t i)
{
	const struct score_opts *opt = s->o;
	struct cust *c = &s->c[i];
	struct facts f;
	const struct pattern *p = NULL;
	const char *id;
	size_t n;
	int64_t pv;
	num_wide gross;
	double sp;
	char b[8];

	facts(s, c, &f);
	if (s->have_bg && s->pidx[i] != 0)
		p = &s->pat[s->pidx[i] - 1];
	id = cust_id(s, c, &n);
	tsv_put(o, id, n);
	out_putc(o, '\t');
	put_day(o, f.first);
	out_putc(o, '\t');
	put_day(o, f.last);
	out_putc(o, '\t');
	if (f.last != NO_DAY)
		put_num(o, opt->as_of - f.last);
	out_putc(o, '\t');
	if (f.first != NO_DAY)
		put_num(o, opt->as_of - f.first);
	out_putc(o, '\t');
	put_num(o, opt->frequency == FREQ_RECEIPTS ? f.orders : f.visits);
	out_putc(o, '\t');
	put_num(o, f.orders);
	out_putc(o, '\t');
	put_money(o, c->net);
	out_putc(o, '\t');
	if (f.orders > 0) {
		int64_t q = c->net / (int64_t)f.orders;
		int64_t r = c->net % (int64_t)f.orders;

		if (2 * (r < 0 ? -r : r) >= (int64_t)f.orders)
			q += c->net < 0 ? -1 : 1;
		put_money(o, q);
	}
	out_putc(o, '\t');
	put_num(o, c->nret);
	out_putc(o, '\t');
	put_money(o, c->ret);
	out_putc(o, '\t');
	if (c->store != 0)
		tsv_puts(o, intern_str(&s->stores, c->store - 1));
	out_putc(o, '\t');
	if (c->staff != 0)
		tsv_puts(o, intern_str(&s->staff, c->staff - 1));
	out_putc(o, '\t');
	gross = (num_wide)c->net + c->ret;
	if (gross > 0) {
		num_wide share = ((num_wide)c->online * 100 * 2 + gross) /
		    (2 * gross);

		put_dbl(o, (double)share / 100.0, 2);
	}
	out_putc(o, '\t');
	b[0] = (char)('0' + s->rs[i]);
	b[1] = '\t';
	b[2] = (char)('0' + s->fs[i]);
	b[3] = '\t';
	b[4] = (char)('0' + s->ms[i]);
	b[5] = '\t';
	out_write(o, b, 6);
	b[0] = (char)('0' + s->rs[i]);
	b[1] = (char)('0' + s->fs[i]);
	b[2] = (char)('0' + s->ms[i]);
	b[3] = '\t';
	b[4] = (char)s->grade[i];
	b[5] = '\t';
	out_write(o, b, 6);
	put_money(o, c->now);
	out_putc(o, '\t');
	if ((pv = potential(s, c, &f)) >= 0)
		put_money(o, pv);
	else if (pv == -2)
		s->toobig++;
	out_putc(o, '\t');
	out_puts(o, quad_name(s->quad[i]));
	out_putc(o, '\t');
	if (p != NULL)
		put_dbl(o, p->palive, 4);
	out_putc(o, '\t');
	if (p != NULL)
		put_dbl(o, p->eh, 3);
	out_putc(o, '\t');
	if (p != NULL && (sp = spend(s, c, &f)) >= 0 && p->disc >= 0) {
		double x = p->disc * sp * 100.0;

		if (money_ok(x))
			put_money(o, llround(x));
		else
			s->toobig++;
	}
	if (s->npcols > 0) {
		/* The member's own columns, as they were, but customer_id. */
		if (c->prof != 0) {
			const char *row = s->prows.p + s->poff[c->prof - 1], *t;
			int k = 0;

			for (;;) {
				t = strpbrk(row, "\t\n");
				if (k != s->pidcol) {
					out_putc(o, '\t');
					out_write(o, row, (size_t)(t - row));
				}
				if (*t == '\n')
					break;
				row = t + 1;
				k++;
			}
		} else {
			int k;

			for (k = 0; k < s->npcols; k++)
				out_putc(o, '\t');
		}
	}
	out_putc(o, '\n');
}

/* The parameters, into --params opened at the start. */
static void
write_params(struct state *s, struct cv_out *o)
{
	struct model_summary ms;
	char line[256];
	int week = s->o->week_unit;

	model_summary(s->have_bg ? &s->bg : NULL, 1, s->have_gg ? &s->gg : NULL,
	    &ms);
	out_puts(o, "model\tparameter\tvalue\n");
	if (s->have_bg) {
		snprintf(line, sizeof(line), "bgnbd\ttime_unit\t%s\n"
		    "bgnbd\tr\t%.6f\nbgnbd\talpha\t%.6f\nbgnbd\ta\t%.6f\n"
		    "bgnbd\tb\t%.6f\nbgnbd\tlog_likelihood\t%.4f\n",
		    week ? "week" : "day", ms.r, week ? ms.alpha_weeks :
		    ms.alpha_days, ms.a, ms.b, week ? ms.ll_weeks : ms.ll_days);
		out_puts(o, line);
		snprintf(line, sizeof(line), "bgnbd\tcustomers\t%.0f\n"
		    "bgnbd\trepeat_purchases\t%.0f\n", ms.ncust, ms.nrep);
		out_puts(o, line);
	} else {
		out_puts(o, "bgnbd\tnot_fitted\t");
		tsv_puts(o, s->bgwhy);
		out_putc(o, '\n');
	}
	if (s->have_gg) {
		snprintf(line, sizeof(line), "gg\tp\t%.6f\ngg\tq\t%.6f\n"
		    "gg\tgamma\t%.6f\ngg\tlog_likelihood\t%.4f\n"
		    "gg\tcustomers\t%.0f\n", ms.p, ms.q, ms.gamma, ms.gg_ll,
		    ms.gg_n);
		out_puts(o, line);
	} else {
		out_puts(o, "gg\tnot_fitted\t");
		tsv_puts(o, s->ggwhy);
		out_putc(o, '\n');
	}
}

/* The columns of the customers stream, before the profile columns. */
static const char *const ourcols[] = {
	"customer_id", "first_date", "last_date", "recency_days",
	"tenure_days", "frequency", "orders", "monetary", "avg_order",
	"returns", "returns_amount", "top_store", "top_staff", "online_share",
	"r_score", "f_score", "m_score", "rfm", "grade", "value_now",
	"value_potential", "quadrant", "p_alive", "expected", "clv", NULL
};

/*
 * Is name one of our columns (exp: the name of the expected column) or
 * another profile column than number self?
 */
static int
col_taken(const struct state *s, const char *name, const char *exp, int self)
{
	int j;

	for (j = 0; ourcols[j] != NULL; j++)
		if (strcmp(strcmp(ourcols[j], "expected") == 0 ? exp :
		    ourcols[j], name) == 0)
			return 1;
	for (j = 0; j < s->npcols; j++)
		if (j != self && strcmp(s->pcols[j], name) == 0)
			return 1;
	return 0;
}

static void
state_free(struct state *s)
{
	int i;

	arena_free(&s->ids);
	arena_free(&s->evp.a);
	big_free(s);
	free(s->c);
	free(s->idk);
	free(s->ht);
	buf_free(&s->stores.s);
	free(s->stores.off);
	free(s->stores.ht);
	buf_free(&s->staff.s);
	free(s->staff.off);
	free(s->staff.ht);
	arena_free(&s->ptp.a);
	buf_free(&s->prows);
	free(s->poff);
	for (i = 0; i < s->npcols; i++)
		free(s->pcols[i]);
	free(s->pcols);
	free(s->rs);
	free(s->fs);
	free(s->ms);
	free(s->grade);
	free(s->quad);
	free(s->pidx);
	free(s->pat);
}

/*
 * Counting visits as the lines come needs no event lists for customers
 * whose lines come in day order, which is how the history store and the
 * nightly exports have them; the others are read again.  That takes
 * regular files: a pipe cannot be read twice.
 */
static int
rereadable(char **files, int nfiles)
{
	struct stat st;
	int i;

	if (nfiles <= 0)
		return 0;
	for (i = 0; i < nfiles; i++)
		if (strcmp(files[i], "-") == 0 || stat(files[i], &st) < 0 ||
		    !S_ISREG(st.st_mode))
			return 0;
	return 1;
}

/* The second pass: the receipts of the customers out of day order. */
static int
read_again(struct state *s, char **files, int nfiles)
{
	struct tsv_reader r;
	struct cv_error e;
	uint32_t i;
	int rc;

	e.line = 0;
	s->pass2 = 1;
	for (i = 0; i < s->nc; i++)
		if ((s->c[i].flags & (C_DIRTY | C_FRET)) == C_DIRTY)
			s->c[i].fnet = 0;	/* summed again */
	if (tsv_open_store(&r, files, nfiles, IN_THREAD, s->o->txn_store,
	    &e) < 0)
		rc = -1;
	else
		rc = read_txn(s, &r, &e);
	if (rc < 0) {
		/* The files changed under us since the first pass. */
		if (e.line > 0)
			cv_msgat(r.name, e.line, "on reading again: %s", e.msg);
		else
			cv_warnx("on reading again: %s", e.msg);
	}
	tsv_close(&r);
	s->pass2 = 0;
	return rc < 0 ? -1 : 0;
}

int
score_run(const struct score_opts *o, char **files, int nfiles)
{
	struct state s;
	struct tsv_reader r;
	struct cv_error e;
	struct cv_out out, par;
	uint32_t *order = NULL, i;
	int rc, status = 0, k;
	char hdr[64];

	memset(&s, 0, sizeof(s));
	s.stores.lastn = s.staff.lastn = (size_t)-1;
	s.o = o;
	s.pidcol = -1;
	s.nowlo = o->since != DAY_NONE ? o->since : o->as_of - 364;
	/*
	 * Every input is there to read before any work (a mistyped name in
	 * a nightly job's list), though each is opened only when reached.
	 * A store's missing file is told as damage to the store, on reading.
	 */
	for (k = 0, rc = 0; k < nfiles && o->txn_store == NULL; k++)
		if (in_check(files[k], &e) < 0) {
			cv_warnx("%s", e.msg);
			rc = 1;
		}
	if (rc)
		return EX_NOINPUT;
	/* Both outputs before any work, so that a bad one stops it. */
	if (out_open(&out, o->out, 0, &e) < 0) {
		cv_warnx("%s", e.msg);
		return e.status;
	}
	if (o->params != NULL && out_open(&par, o->params, 0, &e) < 0) {
		cv_warnx("%s", e.msg);
		out_abort(&out);
		return e.status;
	}
	if (o->nmembers > 0 && read_members(&s, &e) < 0) {
		cv_warnx("%s", e.msg);
		status = e.status;
		goto done;
	}
	e.line = 0;
	if (nfiles >= 0) {
		s.ordered = rereadable(files, nfiles);
		if (tsv_open_store(&r, files, nfiles, IN_THREAD, o->txn_store,
		    &e) < 0) {
			cv_report(r.name, &e);
			status = e.status;
			tsv_close(&r);
			goto done;
		}
		rc = read_txn(&s, &r, &e);
		if (rc < 0) {
			cv_report(r.name, &e);
			status = e.status;
			tsv_close(&r);
			goto done;
		}
		tsv_close(&r);
		if (s.ndirty > 0 && read_again(&s, files, nfiles) < 0) {
			status = EX_IOERR;
			goto done;
		}
	}
	if (o->read_done != NULL)
		o->read_done(o->read_done_ctx);
	if (o->progress && s.lines >= 0x100000)
		fprintf(stderr, "\r\033[K");
	s.t_read = cpu_seconds();
	if (!o->all_members)
		buyers_only(&s);
	done_reading(&s);
	freeze_facts(&s);
	rfm(&s);
	grades(&s);
	if (!o->no_model)
		models(&s);
	else
		s.pidx = xcalloc(s.nc + 1, sizeof(uint32_t));
	quadrants(&s);

	/* The stream: customers in the order of their ids. */
	for (k = 0; ourcols[k] != NULL; k++) {
		if (strcmp(ourcols[k], "expected") == 0) {
			snprintf(hdr, sizeof(hdr), "expected_%dd", o->horizon);
			out_puts(&out, hdr);
		} else
			out_puts(&out, ourcols[k]);
		if (ourcols[k + 1] != NULL)
			out_putc(&out, '\t');
	}
	for (k = 0; k < s.npcols; k++) {
		struct buf nm = BUF_INIT;

		/*
		 * A profile column named like one of ours gets a prefix,
		 * as often as it takes to be unlike every other column.
		 */
		buf_printf(&nm, "%s", s.pcols[k]);
		while (col_taken(&s, nm.p, hdr, k)) {
			struct buf t = BUF_INIT;

			buf_printf(&t, "member_%s", nm.p);
			buf_free(&nm);
			nm = t;
		}
		out_putc(&out, '\t');
		tsv_puts(&out, nm.p);
		buf_free(&nm);
	}
	out_putc(&out, '\n');
	order = id_order(&s);
	for (i = 0; i < s.nc; i++)
		write_row(&s, &out, order[i]);
	if (o->timing)
		cv_warnx("cpu seconds: reading %.3f, model fit %.3f (%u patterns), "
		    "predictions %.3f, the rest %.3f", s.t_read, s.t_fit, s.npat,
		    s.t_predict, cpu_seconds() - s.t_read - s.t_fit -
		    s.t_predict);
	if (o->params != NULL)
		write_params(&s, &par);
	if (!o->quiet) {
		cv_warnx("%lld line%s: %lld used, %lld walk-in, %lld after "
		    "--as-of; %u customer%s", s.lines, s.lines == 1 ? "" : "s",
		    s.used, s.walkins, s.after, s.nc, s.nc == 1 ? "" : "s");
		if (s.before > 0)
			cv_warnx("%lld line%s before the window left out",
			    s.before, s.before == 1 ? "" : "s");
	}
	{
		if (!o->no_model && !s.have_bg)
			cv_warnx("no BG/NBD fit: %s; p_alive, expected and clv "
			    "are left empty", s.bgwhy);
		if (!o->no_model && s.have_bg && !s.have_gg)
			cv_warnx("no spend fit: %s; value_potential and clv "
			    "are left empty", s.ggwhy);
		if (s.toobig > 0)
			cv_warnx("%lld value_potential or clv value%s past "
			    "92,233,720,368,547,758.07, the most cv can hold, "
			    "left empty", s.toobig, s.toobig == 1 ? "" : "s");
	}
done:
	free(order);
	/*
	 * The parameters go into place only after the customers they were
	 * fitted with, never beside an older customers file.
	 */
	if (status == 0 && out_close(&out, &e) < 0) {
		cv_warnx("%s", e.msg);
		status = e.status;
	} else if (status != 0)
		out_abort(&out);
	if (o->params != NULL && status == 0 && out_close(&par, &e) < 0) {
		cv_warnx("%s", e.msg);
		status = e.status;
	} else if (o->params != NULL && status != 0)
		out_abort(&par);
	state_free(&s);
	return status;
}
