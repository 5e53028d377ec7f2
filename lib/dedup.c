/*
 * dedup: open addressing with linear probing over 96-bit fingerprints
 * (see dedup.h).  The low bits of k1 pick the slot; the table doubles at
 * 3/4 load.  The content fingerprints live in an array by ordinal, which
 * is written once per line and read only when a key comes again.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "dedup.h"
#include "diag.h"

/*
 * A zeroed table.  Large ones are mapped afresh (the kernel hands out
 * zeroed pages, so no memset) in small pages: a run that keeps the last
 * copy looks keys up in sorted sweeps (see resolve() in ingest.c), which
 * miss the TLB about once a page, and on virtual machines whose host takes
 * back freed memory a fresh huge page can cost five times what its 512
 * small pages do (330 against 1900 MB/s measured on a 2-core VM).  The
 * pages are faulted in by dedup_populate(), by resize() for a grown table,
 * or as lookups touch them.
 * *mapped is the length mapped, 0 for a malloc'd table.
 */
static struct dedup_slot *
table(size_t n, size_t *mapped)
{
	size_t bytes = n * sizeof(struct dedup_slot), huge = (size_t)2 << 20;
	void *p;

	*mapped = 0;
	if (bytes < ((size_t)4 << 20))
		return xcalloc(n, sizeof(struct dedup_slot));
	bytes = (bytes + huge - 1) & ~(huge - 1);
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		cv_errx(EX_OSERR, "out of memory (a duplicate index of %zu "
		    "MiB)", bytes >> 20);
	(void)madvise(p, bytes, MADV_NOHUGEPAGE);
	*mapped = bytes;
	return p;
}

/*
 * Fault the pages of a mapped table in for writing: a lookup that touches
 * a fresh page reads it first, so each page would otherwise take two
 * faults (the shared zero page, then a copy of it) and, with more than one
 * thread, a TLB flush on every CPU.  Each page gets an atomic OR of zero,
 * which the processor takes as a write (one fault) and which leaves what
 * the page holds.  Not madvise(MADV_POPULATE_WRITE): that holds the
 * process's memory map lock while it runs, and the parsing thread's mmap()
 * calls (the input's windows, malloc's arenas) waited behind it, 30 ms at
 * the start of a 0.5 s run, where a page fault takes only the lock of its
 * own mapping.
 */
static void
populate(void *t, size_t mapped)
{
	char *p = t;
	size_t off;

	for (off = 0; off < mapped; off += 4096)
		(void)__atomic_fetch_or(p + off, 0, __ATOMIC_RELAXED);
}

void
dedup_populate(struct dedup *d)
{
	populate(d->t, d->mapped);
}

static void
untable(struct dedup_slot *t, size_t mapped)
{
	if (mapped > 0)
		munmap(t, mapped);
	else
		free(t);
}

void
dedup_init(struct dedup *d)
{
	memset(d, 0, sizeof(*d));
}

void
dedup_free(struct dedup *d)
{
	untable(d->t, d->mapped);
	free(d->gone);
	free(d->copy);
	free(d->chash);
	memset(d, 0, sizeof(*d));
}

/* Move to a table of ncap slots (a power of two, room for every key). */
static void
resize(struct dedup *d, size_t ncap)
{
	size_t i, j, mapped;
	struct dedup_slot *nt = table(ncap, &mapped);

	/*
	 * A grown table is filled at once; a first one waits for
	 * dedup_populate() in a thread with time to spare.
	 */
	if (d->n > 0)
		populate(nt, mapped);
	for (i = 0; i < d->cap; i++) {
		struct dedup_slot *s = &d->t[i];

		if (s->k1 == 0 && s->k2 == 0)
			continue;
		for (j = s->k1 & (ncap - 1); nt[j].k1 != 0 || nt[j].k2 != 0;
		    j = (j + 1) & (ncap - 1))
			;
		nt[j] = *s;
	}
	untable(d->t, d->mapped);
	d->t = nt;
	d->cap = ncap;
	d->mapped = mapped;
}

static void
grow(struct dedup *d)
{
	resize(d, d->cap ? 2 * d->cap : 1024);
}

/* Set bit ord of a bitmap that grows as needed. */
static void
bit_set(uint64_t **bits, size_t *cap, uint32_t ord)
{
	size_t w = ord / 64;

	if (w >= *cap) {
		size_t ncap = *cap ? *cap : 1024;

		while (ncap <= w)
			ncap *= 2;
		*bits = xrealloc(*bits, ncap * sizeof(uint64_t));
		memset(*bits + *cap, 0, (ncap - *cap) * sizeof(uint64_t));
		*cap = ncap;
	}
	(*bits)[w] |= (uint64_t)1 << (ord % 64);
}

static void
mark_gone(struct dedup *d, uint32_t ord)
{
	bit_set(&d->gone, &d->gonecap, ord);
	d->ngone++;
}

/* Keep the content fingerprint of ordinal ord. */
static void
set_chash(struct dedup *d, uint32_t ord, uint32_t chash)
{
	if (ord >= d->chcap) {
		size_t ncap = d->chcap ? d->chcap : 4096;

		while (ncap <= ord)
			ncap *= 2;
		/* Not zeroed: an ordinal's entry is read only after it is set. */
		d->chash = xrealloc(d->chash, ncap * sizeof(uint32_t));
		d->chcap = ncap;
	}
	d->chash[ord] = chash;
}

int
dedup_put(struct dedup *d, uint64_t k1, uint64_t k2, uint32_t ord,
    uint32_t chash)
{
	size_t j;
	struct dedup_slot *s;
	uint32_t h = (uint32_t)(k2 ^ k2 >> 32);

	if (k1 == 0 && h == 0)
		h = 1;		/* keep the empty marker free */
	if (4 * (d->n + 1) > 3 * d->cap)
		grow(d);
	for (j = k1 & (d->cap - 1);; j = (j + 1) & (d->cap - 1)) {
		s = &d->t[j];
		if (s->k1 == 0 && s->k2 == 0)
			break;
		if (s->k1 == k1 && s->k2 == h) {
			if (d->chash[s->ord] == chash)
				return DEDUP_SAME;
			mark_gone(d, s->ord);
			s->ord = ord;
			set_chash(d, ord, chash);
			return DEDUP_CHANGED;
		}
	}
	s->k1 = k1;
	s->k2 = h;
	s->ord = ord;
	set_chash(d, ord, chash);
	d->n++;
	return DEDUP_NEW;
}

void
dedup_reserve(struct dedup *d, size_t n)
{
	size_t ncap = d->cap ? d->cap : 1024;

	while (4 * (n + 1) > 3 * ncap)
		ncap *= 2;
	if (ncap != d->cap)
		resize(d, ncap);
}

void
dedup_mark(struct dedup *d, uint32_t ord)
{
	mark_gone(d, ord);
	bit_set(&d->copy, &d->copycap, ord);
}

size_t
dedup_bytes(const struct dedup *d)
{
	return d->cap * sizeof(struct dedup_slot) + d->gonecap * 8 +
	    d->chcap * sizeof(uint32_t);
}
