/*
 * Unit tests for lib/rsort.c: the order of signed keys at the ends of the
 * range, stability among equal keys, the skipped passes, and agreement
 * with qsort on random keys of every width.
 */
#include <stdint.h>
#include <stdlib.h>

#include "rsort.h"
#include "test.h"

static int
cmp(const void *a, const void *b)
{
	const struct kv *x = a, *y = b;

	if (x->v != y->v)
		return x->v < y->v ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

int
main(void)
{
	static const int64_t ends[] = { 5, INT64_MAX, -1, 0, INT64_MIN, 1,
	    INT64_MIN + 1, -256, 255, 256, INT64_MAX - 1 };
	static const int64_t sorted[] = { INT64_MIN, INT64_MIN + 1, -256, -1,
	    0, 1, 5, 255, 256, INT64_MAX - 1, INT64_MAX };
	struct kv a[11], *r, *q, tmp[11];
	size_t i, n = 100000;
	int w, ok;

	for (i = 0; i < 11; i++) {
		a[i].v = ends[i];
		a[i].i = (uint32_t)i;
	}
	rsort(a, 11, tmp);
	for (ok = 1, i = 0; i < 11; i++)
		ok &= a[i].v == sorted[i];
	CHECK(ok);
	CHECK(a[0].i == 4 && a[10].i == 1);

	/* Equal keys keep the order they came in. */
	for (i = 0; i < 11; i++) {
		a[i].v = (int64_t)(i % 3) - 1;
		a[i].i = (uint32_t)(100 - i);
	}
	rsort(a, 11, NULL);
	for (ok = 1, i = 1; i < 11; i++)
		ok &= a[i - 1].v < a[i].v || (a[i - 1].v == a[i].v &&
		    a[i - 1].i > a[i].i);
	CHECK(ok);

	/* Nothing to do: none, one, all alike. */
	rsort(a, 0, NULL);
	a[0].v = 7;
	rsort(a, 1, NULL);
	CHECK(a[0].v == 7);
	for (i = 0; i < 11; i++) {
		a[i].v = -42;
		a[i].i = (uint32_t)i;
	}
	rsort(a, 11, NULL);
	for (ok = 1, i = 0; i < 11; i++)
		ok &= a[i].v == -42 && a[i].i == i;
	CHECK(ok);

	/* Random keys of 1 to 64 bits, many of them equal: as qsort. */
	r = malloc(n * sizeof(*r));
	q = malloc(n * sizeof(*q));
	for (w = 1; w <= 64; w += 9) {
		for (i = 0; i < n; i++) {
			uint64_t x = test_rand();

			r[i].v = w == 64 ? (int64_t)x :
			    (int64_t)(x & ((1ULL << w) - 1)) -
			    (int64_t)(1ULL << (w - 1));
			r[i].i = (uint32_t)i;
			q[i] = r[i];
		}
		rsort(r, n, NULL);
		qsort(q, n, sizeof(*q), cmp);
		for (ok = 1, i = 0; i < n; i++)
			ok &= r[i].v == q[i].v && r[i].i == q[i].i;
		CHECK(ok);
	}
	free(r);
	free(q);
	return test_summary();
}
