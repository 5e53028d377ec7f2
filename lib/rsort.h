/*
 * rsort: a stable radix sort of (64-bit signed key, 32-bit index) pairs,
 * for the sorts of every customer in cv-score (by a value, by the first
 * bytes of an id): linear time, and no comparison callback per pair.
 */
#ifndef CV_RSORT_H
#define CV_RSORT_H

#include <stddef.h>
#include <stdint.h>

struct kv {
	int64_t		 v;
	uint32_t	 i;
};

/*
 * Sort a[0..n-1] by v, ascending; pairs of equal v keep their order.
 * tmp, if not NULL, holds n pairs; else the sort allocates them.
 */
void	rsort(struct kv *a, size_t n, struct kv *tmp);

#endif
