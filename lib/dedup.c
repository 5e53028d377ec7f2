/*
 * dedup: open addressing with linear probing over 128-bit fingerprints
 * (see dedup.h).  The fingerprint's low bits pick the slot; the table
 * doubles at 3/4 load.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "dedup.h"
#include "diag.h"

void
dedup_init(struct dedup *d)
{
	memset(d, 0, sizeof(*d));
}

void
dedup_free(struct dedup *d)
{
	free(d->t);
	free(d->gone);
	memset(d, 0, sizeof(*d));
}

/*
 * A zeroed table.  Large ones ask for transparent huge pages: lookups land
 * anywhere in the table, and 4 KiB pages would miss the TLB on almost
 * every one.
 */
static struct dedup_slot *
table(size_t n)
{
	size_t bytes = n * sizeof(struct dedup_slot);
	void *p;

	if (bytes < ((size_t)4 << 20))
		return xcalloc(n, sizeof(struct dedup_slot));
	if (posix_memalign(&p, (size_t)2 << 20, bytes) != 0)
		return xcalloc(n, sizeof(struct dedup_slot));
	(void)madvise(p, bytes, MADV_NOHUGEPAGE);
	memset(p, 0, bytes);
	return p;
}

static void
grow(struct dedup *d)
{
	size_t ncap = d->cap ? 2 * d->cap : 1024, i, j;
	struct dedup_slot *nt = table(ncap);

	for (i = 0; i < d->cap; i++) {
		struct dedup_slot *s = &d->t[i];

		if (s->k1 == 0 && s->k2 == 0)
			continue;
		for (j = s->k1 & (ncap - 1); nt[j].k1 != 0 || nt[j].k2 != 0;
		    j = (j + 1) & (ncap - 1))
			;
		nt[j] = *s;
	}
	free(d->t);
	d->t = nt;
	d->cap = ncap;
}

static void
mark_gone(struct dedup *d, uint32_t ord)
{
	size_t w = ord / 64;

	if (w >= d->gonecap) {
		size_t ncap = d->gonecap ? d->gonecap : 1024;

		while (ncap <= w)
			ncap *= 2;
		d->gone = xrealloc(d->gone, ncap * sizeof(uint64_t));
		memset(d->gone + d->gonecap, 0, (ncap - d->gonecap) *
		    sizeof(uint64_t));
		d->gonecap = ncap;
	}
	d->gone[w] |= (uint64_t)1 << (ord % 64);
	d->ngone++;
}

int
dedup_put(struct dedup *d, uint64_t k1, uint64_t k2, uint32_t ord,
    uint32_t chash)
{
	size_t j;
	struct dedup_slot *s;

	if (k1 == 0 && k2 == 0)
		k2 = 1;		/* keep the empty marker free */
	if (4 * (d->n + 1) > 3 * d->cap)
		grow(d);
	for (j = k1 & (d->cap - 1);; j = (j + 1) & (d->cap - 1)) {
		s = &d->t[j];
		if (s->k1 == 0 && s->k2 == 0)
			break;
		if (s->k1 == k1 && s->k2 == k2) {
			if (s->chash == chash)
				return DEDUP_SAME;
			mark_gone(d, s->ord);
			s->ord = ord;
			s->chash = chash;
			return DEDUP_CHANGED;
		}
	}
	s->k1 = k1;
	s->k2 = k2;
	s->ord = ord;
	s->chash = chash;
	d->n++;
	return DEDUP_NEW;
}

void
dedup_reserve(struct dedup *d, size_t n)
{
	while (4 * (n + 1) > 3 * d->cap)
		grow(d);
}

void
dedup_mark(struct dedup *d, uint32_t ord)
{
	mark_gone(d, ord);
}

size_t
dedup_bytes(const struct dedup *d)
{
	return d->cap * sizeof(struct dedup_slot) + d->gonecap * 8;
}
