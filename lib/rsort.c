/*
 * rsort: least significant byte first, eight passes of 256 buckets, the
 * passes whose byte is the same in every key skipped (values that fit in
 * a few bytes sort in a few passes).  See rsort.h.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "rsort.h"

#define SIGN	0x8000000000000000ULL

void
rsort(struct kv *a, size_t n, struct kv *tmp)
{
	size_t (*count)[256], i, sum, t;
	struct kv *src = a, *dst, *x, *own = NULL;
	uint64_t k;
	int d;

	if (n < 2)
		return;
	if (tmp == NULL)
		tmp = own = xreallocarray(NULL, n, sizeof(*tmp));
	dst = tmp;
	count = xcalloc(8, sizeof(*count));
	for (i = 0; i < n; i++) {
		k = (uint64_t)a[i].v ^ SIGN;
		for (d = 0; d < 8; d++)
			count[d][k >> (8 * d) & 0xff]++;
	}
	for (d = 0; d < 8; d++) {
		k = (uint64_t)src[0].v ^ SIGN;
		if (count[d][k >> (8 * d) & 0xff] == n)
			continue;		/* one byte value: nothing moves */
		for (sum = 0, i = 0; i < 256; i++) {
			t = count[d][i];
			count[d][i] = sum;
			sum += t;
		}
		for (i = 0; i < n; i++) {
			k = (uint64_t)src[i].v ^ SIGN;
			dst[count[d][k >> (8 * d) & 0xff]++] = src[i];
		}
		x = src;
		src = dst;
		dst = x;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(*a));
	free(count);
	free(own);
}
