/*
 * dedup: the duplicate index of one ingest run.  Each accepted line is
 * known by a 96-bit fingerprint of its key (store, receipt, line for
 * sales: k1, and k2 folded to 32 bits) and remembers its ordinal in the
 * output; a 32-bit fingerprint of its content is kept by ordinal, so a
 * line that arrives again is told apart as unchanged (dropped) or changed
 * (the new one replaces the old).  Memory is 16 bytes a slot, at most 3/4
 * full, and 4 bytes an ordinal: about 25 bytes per line.  The superseded
 * set is a bitmap over ordinals.
 *
 * The table slot is chosen by k1 alone, so a caller can make related keys
 * neighbours: for sale lines k1 is the receipt's hash plus the line
 * number, and the lines of one receipt cost one cache miss, not one each;
 * k2 is a full hash of the key.
 */
#ifndef CV_DEDUP_H
#define CV_DEDUP_H

#include <stddef.h>
#include <stdint.h>

struct dedup_slot {
	uint64_t	k1;
	uint32_t	k2;		/* k2 folded; 0 in k1 and k2 marks an
					   empty slot */
	uint32_t	ord;
};

struct dedup {
	struct dedup_slot *t;
	size_t		 cap;		/* a power of two */
	size_t		 n;
	size_t		 mapped;	/* bytes of t when mapped, else 0 */
	uint32_t	*chash;		/* content fingerprint by ordinal */
	size_t		 chcap;		/* ordinals chash has room for */
	uint64_t	*gone;		/* bit per ordinal: superseded */
	size_t		 gonecap;	/* in 64-bit words */
	size_t		 ngone;
	uint64_t	*copy;		/* bit per ordinal: a copy dropped
					   (dedup_mark()), not superseded */
	size_t		 copycap;
};

void	dedup_init(struct dedup *d);
void	dedup_free(struct dedup *d);

enum { DEDUP_NEW, DEDUP_SAME, DEDUP_CHANGED };

/*
 * Look up the key (k1, k2).  A new key is added with (ord, chash) and
 * gives DEDUP_NEW.  A known key with the same content gives DEDUP_SAME and
 * changes nothing.  A known key with other content gives DEDUP_CHANGED: the
 * entry takes (ord, chash) and the old ordinal is marked superseded.
 */
int	dedup_put(struct dedup *d, uint64_t k1, uint64_t k2, uint32_t ord,
	    uint32_t chash);

/* Start fetching the slot of k1, so that a later dedup_put() finds it in
 * the cache (the table is far larger than the cache). */
static inline void
dedup_prefetch(const struct dedup *d, uint64_t k1)
{
	if (d->cap > 0)
		__builtin_prefetch(&d->t[k1 & (d->cap - 1)], 1);
}

static inline int
dedup_gone(const struct dedup *d, uint32_t ord)
{
	size_t w = ord / 64;

	return w < d->gonecap && (d->gone[w] >> (ord % 64)) & 1;
}

/* Whether ordinal ord is a copy dropped by dedup_mark(). */
static inline int
dedup_copy(const struct dedup *d, uint32_t ord)
{
	size_t w = ord / 64;

	return w < d->copycap && (d->copy[w] >> (ord % 64)) & 1;
}

/* Make room for n keys in all, so that no dedup_put() grows the table. */
void	dedup_reserve(struct dedup *d, size_t n);

/*
 * Fault the whole table in now (it is mapped lazily): a thread with time
 * to spare before its first lookup spends it here, not in the lookups.
 */
void	dedup_populate(struct dedup *d);

/*
 * Mark ordinal ord superseded: a copy the caller decided to drop
 * (dedup_copy() tells it from a line a later one replaced).
 */
void	dedup_mark(struct dedup *d, uint32_t ord);

/* Bytes held by the index. */
size_t	dedup_bytes(const struct dedup *d);

#endif
